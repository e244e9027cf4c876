//! `ptstudio report`: the report's payload read back from the page (the graph, the layout's
//! positions, the renderer's style, the findings, the title and notes), a diff report holding both
//! snapshots coloured by change, the viewer found by flag and by environment, and every mistake
//! named. The page itself is opened in Chromium by `e2e/tests/share.spec.ts`.

#[path = "../../plugin-host/tests/support/mod.rs"]
mod support;

mod running;

use std::path::Path;

use running::{axum, plugin_folder, ptstudio, ptstudio_with};
use share::html::ViewerBundle;

/// A viewer bundle made by the test: the CLI only inlines it (the e2e tests use the real one).
fn viewer(dir: &Path) -> std::path::PathBuf {
    let bundle =
        ViewerBundle::new("test viewer".into(), "var wasm_bindgen;".into(), b"\0asm", "body{}".into()).unwrap();
    let path = dir.join("report-viewer.bin");
    std::fs::write(&path, bundle.encode()).unwrap();
    path
}

fn read(path: &Path) -> share::Report {
    share::html::read_report_html(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_report_holds_the_graph_its_layout_style_and_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let viewer = viewer(d);
    let (layout, renderer, analysis) =
        (plugin_folder(d, "circle-layout"), plugin_folder(d, "module-colors"), plugin_folder(d, "tangles"));
    let out = d.join("axum.html");
    let (ok, _, err) = ptstudio(
        d,
        &[
            "report",
            "--isg",
            axum().to_str().unwrap(),
            "--layout",
            layout.to_str().unwrap(),
            "--params",
            r#"{"spacing": 4}"#,
            "--renderer",
            renderer.to_str().unwrap(),
            "--analysis",
            analysis.to_str().unwrap(),
            "--title",
            "axum <b>",
            "--notes",
            "look at routing",
            "--viewer",
            viewer.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    assert!(err.contains("611 nodes, 842 edges, 1 analysis run(s)"), "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("<title>axum &lt;b&gt;</title>")
            && html.contains("<meta name=\"generator\" content=\"test viewer\">")
    );
    let report = read(&out);
    assert_eq!((report.meta.title.as_str(), report.meta.notes.as_str()), ("axum <b>", "look at routing"));
    assert!(report.meta.generator.contains("ptstudio report"));
    assert!(report.meta.created.ends_with('Z') && report.meta.created.len() == 20, "{}", report.meta.created);
    let (graph, _) = isg::model::decode_portable(&report.graph).unwrap();
    assert_eq!((graph.node_count(), graph.edge_count()), (611, 842));
    let positions = report.positions.as_ref().unwrap();
    assert_eq!(positions.len(), 611);
    // A circle: every node the same distance from the centre.
    let centre =
        positions.iter().fold([0.0f64; 2], |c, p| [c[0] + f64::from(p[0]) / 611.0, c[1] + f64::from(p[1]) / 611.0]);
    let radii: Vec<f64> =
        positions.iter().map(|p| (f64::from(p[0]) - centre[0]).hypot(f64::from(p[1]) - centre[1])).collect();
    let (lo, hi) = radii.iter().fold((f64::MAX, 0.0f64), |(lo, hi), &r| (lo.min(r), hi.max(r)));
    assert!(hi - lo < hi * 0.01, "a circle of radius {lo}..{hi}");
    let style = report.style.as_ref().unwrap();
    assert_eq!(style.name, "module-colors");
    assert_eq!(style.nodes.as_ref().unwrap().len() % 611, 0);
    assert_eq!(report.view.layout.as_ref().map(|l| l.name.as_str()), Some("circle-layout"));
    assert_eq!(report.view.layout.as_ref().unwrap().params, serde_json::json!({"spacing": 4}));
    assert_eq!(report.view.renderer.as_ref().map(|l| l.name.as_str()), Some("module-colors"));
    assert!(report.view.camera.is_none(), "the reader's window frames the picture");
    assert_eq!(report.analyses.len(), 1);
    assert_eq!(report.analyses[0].plugin.name, "tangles");
    assert!(!report.analyses[0].findings.is_empty());
}

#[test]
fn a_diff_report_holds_both_snapshots_coloured_by_change() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let viewer = viewer(d);
    let base: serde_json::Value = serde_json::from_slice(&std::fs::read(axum()).unwrap()).unwrap();
    let mut changed = base.clone();
    let nodes = changed["nodes"].as_array_mut().unwrap();
    let gone = nodes.remove(5);
    nodes[0]["signature"] = "fn main(changed: u8)".into();
    changed["edges"].as_array_mut().unwrap().retain(|e| e["from"] != gone["hash"] && e["to"] != gone["hash"]);
    let after = d.join("after.json");
    std::fs::write(&after, serde_json::to_vec(&changed).unwrap()).unwrap();
    let out = d.join("diff.html");
    let env = [("PTSTUDIO_VIEWER", viewer.as_path())];
    let before = axum();
    let args =
        ["report", "--base", before.to_str().unwrap(), "--isg", after.to_str().unwrap(), "-o", out.to_str().unwrap()];
    let (ok, _, err) = ptstudio_with(d, &args, &env);
    assert!(ok, "{err}");
    let report = read(&out);
    let (graph, _) = isg::model::decode_portable(&report.graph).unwrap();
    assert_eq!(graph.node_count(), 611, "610 kept and the removed one");
    let compared = report.meta.compared.as_deref().unwrap();
    assert!(compared.contains("0 nodes added, 1 removed, 1 re-signed"), "{compared}");
    let style = report.style.as_ref().unwrap();
    assert_eq!(style.name, share::diff_picture::DIFF_STYLE);
    let nodes = pt_abi::decode_node_styles(style.nodes.as_ref().unwrap(), 611).unwrap();
    let colour_of = |name: &str| {
        let n = graph.nodes().find(|&n| graph.name(n) == name).unwrap();
        nodes[n.index()].rgba
    };
    assert_eq!(colour_of(gone["name"].as_str().unwrap()), share::diff_picture::REMOVED_RGBA);
    assert_eq!(colour_of(base["nodes"][0]["name"].as_str().unwrap()), share::diff_picture::CHANGED_RGBA);
    assert_eq!(report.analyses[0].plugin.name, "api-diff");
}

#[test]
fn mistakes_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let viewer = viewer(d);
    let axum = axum();
    let axum = axum.to_str().unwrap();
    let out = d.join("r.html");
    let out = out.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["report", "--isg", axum, "-o", out, "--viewer", viewer.to_str().unwrap()];
        args.extend_from_slice(extra);
        ptstudio(d, &args)
    };
    let (ok, _, err) = ptstudio(d, &["report", "--isg", axum, "-o", out, "--viewer", "no-such-viewer.bin"]);
    assert!(!ok && err.contains("no report viewer at no-such-viewer.bin") && err.contains("trunk build"), "{err}");
    std::fs::write(d.join("junk.bin"), b"junk").unwrap();
    let (ok, _, err) =
        ptstudio(d, &["report", "--isg", axum, "-o", out, "--viewer", d.join("junk.bin").to_str().unwrap()]);
    assert!(!ok && err.contains("report viewer bundle"), "{err}");
    let (ok, _, err) = run(&["--params", "[1"]);
    assert!(!ok && err.contains("--params is not JSON"), "{err}");
    let (ok, _, err) = run(&["--params", "[1]"]);
    assert!(!ok && err.contains("--params must be a JSON object"), "{err}");
    let tangles = plugin_folder(d, "tangles");
    let (ok, _, err) = run(&["--layout", tangles.to_str().unwrap()]);
    assert!(!ok && err.contains("is an analysis plugin, not a layout"), "{err}");
    let (ok, _, err) = run(&["--layout", "no-such-layout"]);
    assert!(!ok && err.contains("no plugin at no-such-layout"), "{err}");
    let (ok, _, err) =
        ptstudio(d, &["report", "--isg", "missing.json", "-o", out, "--viewer", viewer.to_str().unwrap()]);
    assert!(!ok && err.contains("cannot read missing.json"), "{err}");
    let (ok, _, err) =
        ptstudio(d, &["report", "--isg", axum, "-o", "/no/such/folder/r.html", "--viewer", viewer.to_str().unwrap()]);
    assert!(!ok && err.contains("cannot write /no/such/folder/r.html"), "{err}");
}

/// The lines of the documented workflow's shell block that run `ptstudio report`, continuation
/// lines joined, as argument lists (the block uses plain words and double-quoted variables).
fn documented_report_commands() -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string(support::repo_root().join("docs/ci/pull-request-report.md")).unwrap();
    let block = doc.split("```sh").nth(1).unwrap().split("```").next().unwrap();
    let joined = block.replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("target/release/ptstudio report"))
        .map(|l| {
            let mut args = Vec::new();
            let mut word = String::new();
            let mut quoted = false;
            for c in l.chars() {
                match c {
                    '"' => quoted = !quoted,
                    ' ' if !quoted => {
                        if !word.is_empty() {
                            args.push(std::mem::take(&mut word));
                        }
                    }
                    c => word.push(c),
                }
            }
            args.push(word);
            args.remove(0);
            args
        })
        .collect()
}

#[test]
fn the_documented_ci_commands_write_their_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let viewer = viewer(d);
    let commands = documented_report_commands();
    assert_eq!(commands.len(), 2, "a report and a diff report");
    // The first-party plugins the commands name, packed into a registry folder as
    // `cargo xtask registry` does.
    let packages = d.join("registry/packages");
    std::fs::create_dir_all(&packages).unwrap();
    let named: Vec<String> = commands
        .iter()
        .flat_map(|c| {
            c.windows(2)
                .filter(|w| ["--layout", "--renderer", "--analysis"].contains(&w[0].as_str()))
                .map(|w| w[1].clone())
        })
        .collect();
    assert!(named.len() >= 3, "{named:?}");
    for name in &named {
        let wasm = plugin_folder(d, name).join("plugin.wasm");
        let source = support::repo_root().join("plugins").join(name);
        let package = packages.join(format!("{name}-0.1.0.ptplugin"));
        let args = [
            "plugin",
            "pack",
            source.to_str().unwrap(),
            "--wasm",
            wasm.to_str().unwrap(),
            "--out",
            package.to_str().unwrap(),
        ];
        let (ok, _, err) = ptstudio(d, &args);
        assert!(ok, "{err}");
    }
    std::fs::copy(axum(), d.join("base.json")).unwrap();
    let mut head: serde_json::Value = serde_json::from_slice(&std::fs::read(axum()).unwrap()).unwrap();
    head["nodes"][1]["signature"] = "struct AppState2".into();
    std::fs::write(d.join("head.json"), serde_json::to_vec(&head).unwrap()).unwrap();
    let registry = d.join("registry");
    let env = [("PTSTUDIO_REGISTRY", registry.as_path()), ("PTSTUDIO_VIEWER", viewer.as_path())];
    for command in &commands {
        let args: Vec<String> =
            command.iter().map(|a| a.replace("$TITLE", "my-crate #12").replace("$NOTES", "notes")).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, _, err) = ptstudio_with(d, &args, &env);
        assert!(ok, "{args:?}: {err}");
    }
    let report = read(&d.join("report.html"));
    assert_eq!(report.meta.title, "my-crate #12");
    assert_eq!(report.analyses.len(), 3);
    assert!(report.style.is_some() && report.positions.is_some());
    let diff = read(&d.join("diff-report.html"));
    assert!(diff.meta.compared.as_deref().unwrap().contains("1 re-signed"), "{:?}", diff.meta.compared);
}
