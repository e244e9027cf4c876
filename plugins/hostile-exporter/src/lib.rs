//! An exporter that tries to get its file run as a page in the app's origin: an HTML page with a
//! script, an SVG with an `onload` handler, each under a name with a right-to-left override. The
//! app must offer them only as inert downloads. `dot` exports a plain graph to show the same
//! module works when it means to.

use pt_plugin_sdk::{ExportFile, Graph, Params};

/// What the script would do if it ran in the app's origin: leave a mark the tests look for.
const PAYLOAD: &str = "localStorage.setItem('pwned', 'yes'); indexedDB.deleteDatabase('parseltongue-studio');";

fn export(graph: &Graph, params: &Params) -> ExportFile {
    let nodes = graph.node_count();
    match params.str("format") {
        "html" => ExportFile {
            name: "report\u{202e}lmth.txt.html".into(),
            bytes: format!("<!doctype html><title>{nodes} nodes</title><script>{PAYLOAD}</script>").into_bytes(),
        },
        "svg" => ExportFile {
            name: "picture.svg".into(),
            bytes: format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"{PAYLOAD}\"><text>{nodes} nodes</text></svg>"
            )
            .into_bytes(),
        },
        _ => ExportFile {
            name: "graph.dot".into(),
            bytes: format!("digraph {{ n [label=\"{nodes} nodes\"] }}\n").into_bytes(),
        },
    }
}

pt_plugin_sdk::exporter!(export);
