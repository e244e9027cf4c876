//! `ptstudio export`: writes an ISG in another tool's format through an exporter plugin (the
//! first-party `graph-export` unless told otherwise), in the same sandbox as the app.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use plugin_host::{GraphInput, PluginKind};
use serde_json::{Value, json};

use crate::load_isg;

/// The formats `graph-export` writes, as `--format` takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphviz DOT.
    Dot,
    /// GraphML (yEd, Cytoscape, networkx).
    Graphml,
    /// GEXF 1.3 (Gephi).
    Gexf,
    /// Cytoscape.js JSON.
    Cytoscape,
    /// PlantUML class diagram.
    Plantuml,
    /// Mermaid flowchart.
    Mermaid,
    /// Mermaid class diagram.
    MermaidClass,
    /// Martin's module metrics as CSV.
    Csv,
}

impl Format {
    /// The `format` parameter's value.
    fn param(self) -> &'static str {
        match self {
            Self::Dot => "dot",
            Self::Graphml => "graphml",
            Self::Gexf => "gexf",
            Self::Cytoscape => "cytoscape",
            Self::Plantuml => "plantuml",
            Self::Mermaid => "mermaid",
            Self::MermaidClass => "mermaid-class",
            Self::Csv => "csv",
        }
    }
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    /// Every item.
    All,
    /// One node per module.
    Modules,
    /// The item named by `--select` with its callers and callees.
    Selection,
}

/// `ptstudio export`'s arguments.
#[derive(clap::Args)]
pub struct Export {
    /// The engine that runs the plugins: `wasmi` (the interpreter) or `wasmtime` (the fast lane,
    /// compiled, with the same limits and host functions).
    #[arg(long, value_enum, default_value = "wasmi")]
    engine: crate::plugin_file::Engine,
    /// The ISG file(s) to export.
    #[arg(long, required = true, num_args = 1..)]
    isg: Vec<PathBuf>,
    /// The format.
    #[arg(long, value_enum)]
    format: Format,
    /// What to export.
    #[arg(long, value_enum, default_value = "all")]
    scope: Scope,
    /// The item `--scope selection` centres on, by its exact name (or `name@file` when the name
    /// is not unique).
    #[arg(long)]
    select: Option<String>,
    /// The exporter: a `.ptplugin` package, a plugin folder, or a first-party plugin's name.
    #[arg(long, default_value = "graph-export")]
    plugin: PathBuf,
    /// Where to write; `-` for standard output.
    #[arg(long, short)]
    output: PathBuf,
}

/// The item `wanted` names: `name` or `name@file`, which must be exactly one item.
fn find_item(graph: &isg::Graph, wanted: &str) -> Result<u32> {
    let (name, file) = wanted.split_once('@').map_or((wanted, None), |(n, f)| (n, Some(f)));
    let found: Vec<isg::NodeId> =
        graph.nodes().filter(|&v| graph.name(v) == name && file.is_none_or(|f| graph.file_path(v) == f)).collect();
    match found.as_slice() {
        [one] => Ok(one.0),
        [] => bail!("no item is named {wanted}"),
        many => bail!(
            "{} items are named {wanted}; say which with name@file: {}",
            many.len(),
            many.iter().take(5).map(|&v| format!("{name}@{}", graph.file_path(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Runs `ptstudio export`.
pub fn export(args: &Export) -> Result<()> {
    let (loaded, _) = load_isg(&args.isg)?;
    let selected = match (args.scope, &args.select) {
        (Scope::Selection, Some(wanted)) => Some(find_item(&loaded.graph, wanted)?),
        (Scope::Selection, None) => bail!("--scope selection needs --select ITEM"),
        (_, Some(_)) => bail!("--select only means something with --scope selection"),
        _ => None,
    };
    let scope = match args.scope {
        Scope::All => "all",
        Scope::Modules => "modules",
        Scope::Selection => "selection",
    };
    let params: Value = json!({ "format": args.format.param(), "scope": scope });
    let graph = Arc::new(GraphInput::new(Arc::new(loaded.graph)));
    let host = crate::plugin_file::host()?;
    let (manifest, output) =
        crate::plugin_file::run(args.engine, &host, &args.plugin, PluginKind::Exporter, &graph, &params, selected)?;
    for line in &output.logs {
        eprintln!("{}: {}", manifest.id(), line.message);
    }
    let Some(file) = output.files.first() else { bail!("{} wrote no file", manifest.id()) };
    if args.output.as_os_str() == "-" {
        use std::io::Write;
        std::io::stdout().lock().write_all(&file.bytes)?;
    } else {
        std::fs::write(&args.output, &file.bytes).with_context(|| format!("cannot write {}", args.output.display()))?;
        eprintln!("wrote {} ({} bytes, {})", args.output.display(), file.bytes.len(), file.name);
    }
    Ok(())
}
