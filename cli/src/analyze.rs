//! `ptstudio analyze`: runs analysis plugins on ISG files in the same sandbox as the app, prints
//! their findings, writes them as JSON and as SARIF 2.1.0 (so code scanning shows tangles and
//! smells), and fails when a finding at or above a chosen severity exists, so CI can gate on it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use plugin_host::abi::Severity;
use plugin_host::{GraphInput, PluginHost, PluginKind};
use serde_json::Value;

use crate::load_isg;
use findings::sarif::level;
use findings::{AnalysisRun, PluginInfo};

/// The severity at which `--fail-on` fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Any finding.
    Info,
    /// A warning or an error.
    Warning,
    /// An error.
    Error,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            Self::Info => Severity::Info,
            Self::Warning => Severity::Warning,
            Self::Error => Severity::Error,
        }
    }
}

/// Where findings go and when they fail the run: the options `analyze` and `diff` share.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// Write the findings as SARIF 2.1.0 to this file (for code scanning).
    #[arg(long)]
    sarif: Option<PathBuf>,
    /// Write the findings as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Fail (exit status 1) when a finding at or above this severity exists.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

/// `ptstudio analyze`'s arguments.
#[derive(clap::Args)]
pub struct Analyze {
    /// The engine that runs the plugins: `wasmi` (the interpreter) or `wasmtime` (the fast lane,
    /// compiled, with the same limits and host functions).
    #[arg(long, value_enum, default_value = "wasmi")]
    engine: crate::plugin_file::Engine,
    /// The ISG file(s) to analyse.
    #[arg(long, required = true, num_args = 1..)]
    isg: Vec<PathBuf>,
    /// An analysis plugin: a `.ptplugin` package, a folder holding `plugin.toml` and
    /// `plugin.wasm`, or a first-party plugin's name (`tangles`…) (repeatable).
    #[arg(long = "plugin", required = true)]
    plugins: Vec<PathBuf>,
    /// Parameters for every plugin, as a JSON object; unspecified ones take their defaults.
    #[arg(long, default_value = "{}")]
    params: String,
    #[command(flatten)]
    report: ReportArgs,
}

fn run_one(
    engine: crate::plugin_file::Engine,
    host: &PluginHost,
    path: &Path,
    graph: &Arc<GraphInput>,
    params: &Value,
) -> Result<AnalysisRun> {
    let (manifest, output) = crate::plugin_file::run(engine, host, path, PluginKind::Analysis, graph, params, None)?;
    Ok(AnalysisRun { plugin: PluginInfo::from(&*manifest), findings: output.findings, metrics: output.metrics })
}

/// Runs `ptstudio analyze`.
pub fn analyze(args: &Analyze) -> Result<()> {
    let params: Value = serde_json::from_str(&args.params).context("--params is not JSON")?;
    let (loaded, _) = load_isg(&args.isg)?;
    let graph = Arc::new(GraphInput::new(Arc::new(loaded.graph)));
    let host = crate::plugin_file::host()?;
    let runs =
        args.plugins.iter().map(|p| run_one(args.engine, &host, p, &graph, &params)).collect::<Result<Vec<_>>>()?;
    report(&runs, graph.graph(), &args.report)
}

/// Prints `runs`' findings, writes them as `report` asks, and fails as it asks.
///
/// # Errors
/// A file that cannot be written, or findings at or above `--fail-on`.
pub fn report(runs: &[AnalysisRun], graph: &isg::Graph, args: &ReportArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for run in runs {
        writeln!(out, "{}: {} findings", run.plugin.id(), run.findings.len())?;
        for f in &run.findings {
            writeln!(out, "  {}: {} [{} items]", level(f.severity), f.message, f.nodes.len())?;
        }
    }
    if let Some(path) = &args.sarif {
        let sarif = findings::sarif::log(runs, graph);
        std::fs::write(path, serde_json::to_vec_pretty(&sarif)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.json {
        let report = findings::report::json(runs, graph);
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(fail_on) = args.fail_on {
        let count = runs.iter().flat_map(|r| &r.findings).filter(|f| f.severity >= fail_on.severity()).count();
        if count > 0 {
            bail!("{count} findings at or above {}: failing, as --fail-on asks", level(fail_on.severity()));
        }
    }
    Ok(())
}
