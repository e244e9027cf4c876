//! The graph as Graphviz DOT, GraphML, GEXF, Cytoscape.js JSON, a Mermaid flowchart or class
//! diagram, a PlantUML class diagram, or the module metrics as CSV (`export_core`), for the whole
//! graph, the module level, or the selected item with its neighbours.

use analysis_core::metrics::{TypeRole, Zone, module_metrics};
use export_core::ExportGraph;
use export_core::csv::Cell;
use pt_plugin_sdk::{ExportFile, Graph, Params, abi, exporter, log};

/// Which texts a format needs read through the host (one call per text, the bulk of an export's
/// cost on a big graph).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Texts {
    /// Every item's name and file.
    All,
    /// The names and files of classes and the items joined to them.
    Classes,
    /// One file per module.
    ModuleFiles,
}

fn read(graph: &Graph, texts: Texts) -> ExportGraph {
    let n = graph.node_count();
    let (node_kind_names, edge_kind_names) = (graph.node_kind_names(), graph.edge_kind_names());
    let kinds: Vec<String> = graph.node_kinds().iter().map(|&k| node_kind_names[k as usize].clone()).collect();
    let modules = graph.node_modules();
    let wanted: Vec<bool> = match texts {
        Texts::All => vec![true; n],
        Texts::ModuleFiles => {
            let mut seen = std::collections::BTreeSet::new();
            modules.iter().map(|&m| seen.insert(m)).collect()
        }
        Texts::Classes => {
            let class: Vec<bool> = kinds.iter().map(|k| export_core::classes::stereotype(k).is_some()).collect();
            let mut wanted = class.clone();
            for e in graph.edges() {
                if class[e[0] as usize] || class[e[1] as usize] {
                    wanted[e[0] as usize] = true;
                    wanted[e[1] as usize] = true;
                }
            }
            wanted
        }
    };
    let text = |v: usize, read: &dyn Fn(u32) -> String| if wanted[v] { read(v as u32) } else { String::new() };
    ExportGraph {
        names: (0..n)
            .map(|v| if texts == Texts::ModuleFiles { String::new() } else { text(v, &|v| graph.node_name(v)) })
            .collect(),
        files: (0..n).map(|v| text(v, &|v| graph.node_file(v))).collect(),
        kinds,
        modules: modules.to_vec(),
        edges: graph.edges().to_vec(),
        edge_kinds: graph.edge_kinds().iter().map(|&k| edge_kind_names[k as usize].clone()).collect(),
        // The picture on screen when the app runs the export; none on the command line.
        positions: graph.positions().map(<[[f32; 2]]>::to_vec).unwrap_or_default(),
    }
}

/// Martin's metrics per module as CSV, one row per module (its file naming it).
fn metrics_csv(export: &ExportGraph) -> String {
    let roles: Vec<TypeRole> = export.kinds.iter().map(|k| TypeRole::of_kind(k)).collect();
    let measured = module_metrics(&export.modules, &export.edges, &roles, 0.7);
    let first = analysis_core::first_items(&export.modules);
    let rows = measured.iter().map(|m| {
        let file = first[m.module as usize].map_or("", |v| export.files[v as usize].as_str());
        let zone = match m.zone {
            Zone::Balanced => "",
            Zone::Pain => "pain",
            Zone::Uselessness => "uselessness",
        };
        vec![
            Cell::Text(file.to_owned()),
            Cell::Number(f64::from(m.nodes)),
            Cell::Number(f64::from(m.afferent)),
            Cell::Number(f64::from(m.efferent)),
            Cell::Number(f64::from(m.instability)),
            Cell::Number(f64::from(m.abstractness)),
            Cell::Number(f64::from(m.distance)),
            Cell::Text(zone.to_owned()),
        ]
    });
    export_core::csv::write(&["module", "items", "Ca", "Ce", "instability", "abstractness", "distance", "zone"], rows)
}

fn export(graph: &Graph, params: &Params) -> ExportFile {
    let format = params.str("format");
    let scope = params.str("scope");
    let texts = match format {
        "csv" => Texts::ModuleFiles,
        // A flowchart over Mermaid's limits is collapsed to modules: it needs no item names.
        "mermaid" if scope == "all" && graph.edge_count() > export_core::mermaid::MAX_EDGES => Texts::ModuleFiles,
        "plantuml" | "mermaid-class" if scope == "all" => Texts::Classes,
        _ => Texts::All,
    };
    let whole = read(graph, texts);
    let flags = graph.view_flags();
    let marked = |bit: u8| flags.map(|f| f.iter().map(|&b| b & bit != 0).collect::<Vec<bool>>());
    let selected = marked(abi::VIEW_SELECTED).filter(|s| s.iter().filter(|&&b| b).count() > 1);
    let (export, suffix) = match scope {
        "modules" if format != "csv" => (whole.modules_level(), "-modules"),
        "visible" => match marked(abi::VIEW_SHOWN) {
            Some(shown) => (whole.induced(&shown), "-visible"),
            None => {
                log(2, "No screen to take what is shown from: the whole graph is exported.");
                (whole, "")
            }
        },
        // Several items selected: exactly those; one: it and its neighbours.
        "selection" => match (selected, graph.selected()) {
            (Some(s), _) => (whole.induced(&s), "-selection"),
            (None, Some(v)) => (whole.around(v), "-selection"),
            (None, None) => {
                log(2, "Nothing is selected: the whole graph is exported.");
                (whole, "")
            }
        },
        _ => (whole, ""),
    };
    let say = |note: &str| {
        if !note.is_empty() {
            log(1, note);
        }
    };
    let (name, text) = match format {
        "graphml" => ("graph.graphml", export_core::graphml::write(&export)),
        "gexf" => ("graph.gexf", export_core::gexf::write(&export)),
        "cytoscape" => ("graph.cyjs.json", export_core::cytoscape::write(&export)),
        "mermaid" => {
            let chart = export_core::mermaid::write(&export);
            say(&chart.note);
            ("graph.mmd", chart.text)
        }
        "mermaid-class" => {
            let chart = export_core::mermaid::class_diagram(&export);
            say(&chart.note);
            ("classes.mmd", chart.text)
        }
        "plantuml" => {
            let diagram = export_core::plantuml::write(&export);
            say(&diagram.note);
            ("classes.puml", diagram.text)
        }
        "csv" => ("module-metrics.csv", metrics_csv(&export)),
        _ => ("graph.dot", export_core::dot::write(&export)),
    };
    let name = match name.split_once('.') {
        Some((stem, ext)) => format!("{stem}{suffix}.{ext}"),
        None => name.to_owned(),
    };
    ExportFile { name, bytes: text.into_bytes() }
}

exporter!(export);
