//! `ptstudio export`: every format through the first-party exporter, found by name in a registry
//! folder (the newest package there) or given as a folder; the module and selection scopes; and
//! every mistake a user can make named.

#[path = "../../plugin-host/tests/support/mod.rs"]
mod support;

mod running;

use running::{axum, plugin_folder, ptstudio, ptstudio_with};

#[test]
fn every_format_is_written_by_the_exporter_found_by_name_in_the_registry_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // A registry folder holding graph-export packed as a registry serves it, beside an older
    // "version" that is not a package at all: the newest is the one taken.
    let folder = plugin_folder(d, "graph-export");
    let packages = d.join("registry/packages");
    std::fs::create_dir_all(&packages).unwrap();
    let source = support::repo_root().join("plugins/graph-export");
    let (packed, _, err) = ptstudio(
        d,
        &[
            "plugin",
            "pack",
            source.to_str().unwrap(),
            "--wasm",
            folder.join("plugin.wasm").to_str().unwrap(),
            "--out",
            packages.join("graph-export-0.1.0.ptplugin").to_str().unwrap(),
        ],
    );
    assert!(packed, "{err}");
    std::fs::write(packages.join("graph-export-0.0.9.ptplugin"), b"an old, broken package").unwrap();
    let registry = d.join("registry");
    let env = [("PTSTUDIO_REGISTRY", registry.as_path())];
    let axum = axum();
    let axum = axum.to_str().unwrap();
    for (format, head) in [
        ("dot", "digraph isg {"),
        ("graphml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml"),
        ("gexf", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://gexf.net/1.3\""),
        ("cytoscape", "{\"elements\":{\"nodes\":["),
        ("plantuml", "' 115 classes pass what one PlantUML image holds"),
        ("mermaid", "%% 611 items and 842 edges pass Mermaid's limits"),
        ("mermaid-class", "classDiagram\n"),
        ("csv", "module,items,Ca,Ce,instability,abstractness,distance,zone\r\n"),
    ] {
        let out = format!("axum.{format}");
        let (ok, _, err) = ptstudio_with(d, &["export", "--isg", axum, "--format", format, "-o", &out], &env);
        assert!(ok, "{format}: {err}");
        let text = std::fs::read_to_string(d.join(&out)).unwrap();
        assert!(text.starts_with(head), "{format}: {}", &text[..80.min(text.len())]);
        // The command line has no picture on screen: no positions are made up.
        assert!(!text.contains("viz:position") && !text.contains("\"position\""), "{format}");
        assert!(err.contains(&format!("wrote {out} (")), "{err}");
    }
    // What a format had to do to fit is said.
    let (_, _, err) = ptstudio_with(d, &["export", "--isg", axum, "--format", "plantuml", "-o", "-"], &env);
    assert!(err.contains("graph-export@0.1.0: 115 classes pass what one PlantUML image holds"), "{err}");
    // Standard output.
    let (ok, out, _) =
        ptstudio_with(d, &["export", "--isg", axum, "--format", "dot", "--scope", "modules", "-o", "-"], &env);
    assert!(ok && out.starts_with("digraph isg {") && out.contains("tooltip=\"Module in src/"), "{out}");
}

#[test]
fn the_selection_is_an_item_named_exactly_and_mistakes_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let exporter = plugin_folder(d, "graph-export");
    let exporter = exporter.to_str().unwrap();
    let axum = axum();
    let axum = axum.to_str().unwrap();
    let export = |extra: &[&str]| {
        let mut args = vec!["export", "--isg", axum, "--format", "dot", "--plugin", exporter, "-o", "-"];
        args.extend_from_slice(extra);
        ptstudio(d, &args)
    };
    let (ok, out, err) = export(&["--scope", "selection", "--select", "Router"]);
    assert!(ok, "{err}");
    assert!(out.contains("label=\"Router\""), "{out}");
    let whole = export(&[]).1;
    assert!(out.lines().count() < whole.lines().count() / 2, "only Router and its neighbours");
    let (ok, _, err) = export(&["--scope", "selection", "--select", "no_such_item"]);
    assert!(!ok && err.contains("no item is named no_such_item"), "{err}");
    // `poll` is in three files: the error says how to pick one, and the way it says works.
    let (ok, _, err) = export(&["--scope", "selection", "--select", "poll"]);
    assert!(!ok && err.contains("3 items are named poll; say which with name@file: poll@"), "{err}");
    let pick = err.split("name@file: ").nth(1).unwrap().split(", ").next().unwrap().trim().to_owned();
    let (ok, out, err) = export(&["--scope", "selection", "--select", &pick]);
    assert!(ok, "{pick}: {err}");
    assert!(out.contains("label=\"poll\""));
    let (ok, _, err) = export(&["--scope", "selection"]);
    assert!(!ok && err.contains("--scope selection needs --select ITEM"), "{err}");
    let (ok, _, err) = export(&["--select", "Router"]);
    assert!(!ok && err.contains("--select only means something with --scope selection"), "{err}");
    // Not an exporter; no such plugin.
    let analysis = plugin_folder(d, "tangles");
    let (ok, _, err) =
        ptstudio(d, &["export", "--isg", axum, "--format", "dot", "--plugin", analysis.to_str().unwrap(), "-o", "x"]);
    assert!(!ok && err.contains("tangles@0.1.0 is an analysis plugin, not an exporter"), "{err}");
    let (ok, _, err) = ptstudio_with(
        d,
        &["export", "--isg", axum, "--format", "dot", "--plugin", "nope", "-o", "x"],
        &[("PTSTUDIO_REGISTRY", d)],
    );
    assert!(
        !ok && err.contains("no plugin at nope: not a package or plugin folder, nor a plugin in the registry folder"),
        "{err}"
    );
    let (ok, _, err) = ptstudio(d, &["export", "--isg", axum, "--format", "svg", "-o", "x"]);
    assert!(!ok && err.contains("invalid value 'svg'"), "{err}");
    let (ok, _, err) =
        ptstudio(d, &["export", "--isg", axum, "--format", "dot", "--plugin", exporter, "-o", "/no/such/dir/x.dot"]);
    assert!(!ok && err.contains("cannot write /no/such/dir/x.dot"), "{err}");
}
