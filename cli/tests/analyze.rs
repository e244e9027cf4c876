//! `ptstudio analyze` as CI runs it: analysis plugins from a package and from a folder on a real
//! sample, findings printed, written as JSON and as SARIF that the published SARIF 2.1.0 schema
//! accepts (checked by Python's jsonschema, both installed by `cargo xtask setup`), and the exit
//! status following `--fail-on`.

#[path = "../../plugin-host/tests/support/mod.rs"]
mod support;

mod running;

use running::{axum, plugin_folder, ptstudio, validate_sarif};

#[test]
fn findings_become_sarif_the_schema_accepts_and_fail_on_gates_the_exit_status() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let tangles = plugin_folder(d, "tangles");
    // module-metrics as a package, as a registry serves it.
    let metrics = plugin_folder(d, "module-metrics");
    let source = support::repo_root().join("plugins/module-metrics");
    let (packed, _, err) = ptstudio(
        d,
        &[
            "plugin",
            "pack",
            source.to_str().unwrap(),
            "--wasm",
            metrics.join("plugin.wasm").to_str().unwrap(),
            "--out",
            "metrics.ptplugin",
        ],
    );
    assert!(packed, "{err}");
    let axum = axum();
    let (ok, out, err) = ptstudio(
        d,
        &[
            "analyze",
            "--isg",
            axum.to_str().unwrap(),
            "--plugin",
            tangles.to_str().unwrap(),
            "--plugin",
            "metrics.ptplugin",
            "--sarif",
            "out.sarif",
            "--json",
            "out.json",
            "--fail-on",
            "warning",
        ],
    );
    assert!(!ok, "axum has tangles, warnings: --fail-on warning fails");
    assert!(err.contains("findings at or above warning: failing, as --fail-on asks"), "{err}");
    assert!(out.starts_with("tangles@0.1.0: "), "{out}");
    assert!(out.contains("module-metrics@0.1.0: "), "{out}");
    // The published schema accepts the log.
    let validated = validate_sarif(&d.join("out.sarif"));
    let sarif: serde_json::Value = serde_json::from_slice(&std::fs::read(d.join("out.sarif")).unwrap()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(d.join("out.json")).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let findings = json["plugins"][0]["findings"].as_array().unwrap();
    assert_eq!(results.len(), findings.len(), "one result per finding");
    assert_eq!(validated, format!("2 {}", results.len() + sarif["runs"][1]["results"].as_array().unwrap().len()));
    // Results point at files of the export, at lines where the export has them, and name items.
    let locations: Vec<&serde_json::Value> =
        results.iter().filter_map(|r| r["locations"].as_array()).flatten().collect();
    assert!(!locations.is_empty());
    assert!(locations.iter().all(|l| !l["logicalLocations"][0]["name"].as_str().unwrap().is_empty()));
    for l in &locations {
        assert!(l["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().ends_with(".rs"), "{l}");
        // This export records no lines (0): SARIF lines start at 1, so the file alone is given.
        assert!(l["physicalLocation"]["region"].is_null(), "{l}");
    }
    // Errors only: axum's findings are warnings and notes, so the run passes.
    let (ok, _, err) = ptstudio(
        d,
        &["analyze", "--isg", axum.to_str().unwrap(), "--plugin", tangles.to_str().unwrap(), "--fail-on", "error"],
    );
    assert!(ok, "{err}");
}

#[test]
fn what_is_not_an_analysis_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let layout = plugin_folder(d, "circle-layout");
    let axum = axum();
    let (ok, _, err) = ptstudio(d, &["analyze", "--isg", axum.to_str().unwrap(), "--plugin", layout.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("circle-layout@0.1.0 is a layout plugin, not an analysis"), "{err}");
    std::fs::write(d.join("junk.ptplugin"), b"not a package").unwrap();
    let (ok, _, err) = ptstudio(d, &["analyze", "--isg", axum.to_str().unwrap(), "--plugin", "junk.ptplugin"]);
    assert!(!ok);
    assert!(err.contains("junk.ptplugin"), "{err}");
    let (ok, _, err) =
        ptstudio(d, &["analyze", "--isg", axum.to_str().unwrap(), "--plugin", d.join("nothing").to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("nothing"), "{err}");
}
