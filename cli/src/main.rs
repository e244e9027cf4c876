//! `ptstudio`: the Parseltongue Studio command line.
//!
//! - `ptstudio inspect FILE... [--json]`: counts by kind, warnings and resolution figures.
//! - `ptstudio generate --nodes N --edges M [--seed S] --output FILE`: a synthetic ISG.
//! - `ptstudio run-plugin PLUGIN.wasm --manifest plugin.toml --isg FILE... [--fuel N] [--params JSON]`:
//!   runs a plugin in the same sandbox as the app and prints its output summary and metrics; the
//!   plugin author's test harness.
//! - `ptstudio analyze --isg FILE... --plugin P... [--sarif OUT] [--json OUT] [--fail-on LEVEL]`:
//!   runs analysis plugins and reports their findings, as SARIF for CI ([`analyze`]; the reports are the `findings` crate's);
//! - `ptstudio diff --base FILE... --isg FILE... [--sarif OUT] [--json OUT] [--fail-on LEVEL]`:
//!   API differences between two snapshots as findings ([`diff`]);
//! - `ptstudio export --isg FILE... --format F [--scope S] -o OUT`: writes the graph in another
//!   tool's format through an exporter plugin ([`export`]); both find plugins by path or by
//!   first-party name ([`plugin_file`]).
//! - `ptstudio report --isg FILE... [--base FILE...] [--layout P] [--renderer P] [--analysis P...] -o OUT`:
//!   the single-file HTML report, built natively for CI ([`report`]).
//! - `ptstudio plugin new|keygen|pack|statement|sign|verify` and
//!   `ptstudio registry init|add-publisher|publish|yank|revoke|mirror|verify`: packages and registries
//!   ([`authoring`]).

mod analyze;
mod authoring;
mod diff;
mod export;
mod plugin_file;
mod report;
mod template;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use isg::synth::{SynthSpec, generate};
use isg::{Loaded, SourceFile};
use plugin_host::{Capability, GraphInput, HostPolicy, Manifest, PluginHost};
use serde_json::json;
use std::sync::Arc;

/// Largest synthetic graph `generate` writes: its JSON is built in memory.
const MAX_NODES: u64 = 5_000_000;
/// Largest number of edge records `generate` writes.
const MAX_EDGES: u64 = 20_000_000;

#[derive(Parser)]
#[command(name = "ptstudio", about = "Parseltongue Studio on the command line", version)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Load one export (or files that go together, such as a pt02 entities + edges pair) and report on it.
    Inspect {
        /// The files (.json, .json.gz, .toon).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a realistic synthetic ISG as a v0.1.0 snapshot (gzip when the name ends in .gz).
    Generate {
        /// Number of nodes (at most 5,000,000).
        #[arg(long, value_parser = clap::value_parser!(u64).range(0..=MAX_NODES))]
        nodes: u64,
        /// Number of edge records (at most 20,000,000).
        #[arg(long, value_parser = clap::value_parser!(u64).range(0..=MAX_EDGES))]
        edges: u64,
        /// Seed; the same seed gives the same graph.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write.
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Run a plugin on an ISG in the sandbox and print what it produced and what it cost.
    RunPlugin(RunPlugin),
    /// Run analysis plugins on an ISG; print their findings, write them as SARIF or JSON, and fail on a severity.
    Analyze(analyze::Analyze),
    /// The API differences between two snapshots, by module, breaking or additive; as text, JSON or SARIF.
    Diff(diff::Diff),
    /// Write an ISG as DOT, GraphML, GEXF, Cytoscape.js JSON, PlantUML, Mermaid or CSV through an exporter plugin.
    Export(export::Export),
    /// Write a single-file HTML report: the graph laid out and styled by plugins, their findings, read-only in any browser; with --base, a diff report.
    Report(report::Report),
    /// Make, pack, sign and verify plugin packages.
    #[command(subcommand)]
    Plugin(authoring::PluginCmd),
    /// Make and keep a registry folder: publish, yank, revoke, verify.
    #[command(subcommand)]
    Registry(authoring::RegistryCmd),
}

#[derive(clap::Args)]
struct RunPlugin {
    /// The plugin module.
    wasm: PathBuf,
    /// Its manifest.
    #[arg(long)]
    manifest: PathBuf,
    /// The ISG file(s) to run on.
    #[arg(long, required = true, num_args = 1..)]
    isg: Vec<PathBuf>,
    /// Fuel for the call (about one unit per wasm instruction, host work included); at least 1;
    /// defaults to the host's ceiling, and a larger value raises the ceiling.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    fuel: Option<u64>,
    /// Parameters as a JSON object; unspecified ones take their defaults.
    #[arg(long, default_value = "{}")]
    params: String,
    /// Withhold a capability the manifest asks for (read_isg, write_visualization, network_access, file_system_access).
    #[arg(long)]
    deny: Vec<String>,
    /// Print the whole output and the metrics as JSON.
    #[arg(long)]
    json: bool,
    /// Write the audit trail as JSON to this file.
    #[arg(long)]
    audit: Option<PathBuf>,
    /// The engine: `wasmi` (the interpreter, sliced) or `wasmtime` (the fast lane: compiled, with
    /// its own fuel, the same limits and the same host functions).
    #[arg(long, value_enum, default_value = "wasmi")]
    engine: plugin_file::Engine,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Cmd::Inspect { files, json } => inspect(&files, json),
        Cmd::Generate { nodes, edges, seed, output } => generate_file(nodes as usize, edges as usize, seed, &output),
        Cmd::RunPlugin(args) => run_plugin(&args),
        Cmd::Analyze(args) => analyze::analyze(&args),
        Cmd::Export(args) => export::export(&args),
        Cmd::Diff(args) => diff::diff(&args),
        Cmd::Report(args) => report::report(&args),
        Cmd::Plugin(cmd) => authoring::plugin(cmd),
        Cmd::Registry(cmd) => authoring::registry(cmd),
    }
}

/// Reads and loads ISG files; returns the graph and the load time in milliseconds.
fn load_isg(paths: &[PathBuf]) -> Result<(Loaded, f64)> {
    let contents: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            Ok((p.display().to_string(), std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?))
        })
        .collect::<Result<_>>()?;
    let sources: Vec<SourceFile<'_>> = contents.iter().map(|(n, b)| SourceFile { name: n, bytes: b }).collect();
    let started = Instant::now();
    let loaded = isg::load(&sources)?;
    Ok((loaded, started.elapsed().as_secs_f64() * 1000.0))
}

fn inspect(paths: &[PathBuf], as_json: bool) -> Result<()> {
    let (loaded, ms) = load_isg(paths)?;
    let report = describe(&loaded, ms);
    let mut out = std::io::stdout().lock();
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write_text(&mut out, &loaded, ms)?;
    }
    Ok(())
}

fn describe(loaded: &Loaded, ms: f64) -> serde_json::Value {
    let g = &loaded.graph;
    let r = &loaded.report;
    let mem = g.memory();
    json!({
        "format": r.format.to_string(),
        "nodes": g.node_count(),
        "edges": g.edge_count(),
        "raw_nodes": r.raw_nodes,
        "raw_edges": r.raw_edges,
        "node_kinds": g.node_counts_by_kind().into_iter().map(|(k, n)| (k, json!(n))).collect::<serde_json::Map<_, _>>(),
        "edge_kinds": g.edge_counts_by_kind().into_iter().map(|(k, n)| (k, json!(n))).collect::<serde_json::Map<_, _>>(),
        "warnings": r.warnings.iter().map(|w| json!({"message": w.to_string(), "count": w.count})).collect::<Vec<_>>(),
        "resolution": r.resolution.map(|x| json!({
            "endpoints": {"exact": x.exact, "by_path": x.by_path, "by_name": x.by_name, "files": x.files,
                          "unlisted": x.unlisted, "ambiguous": x.ambiguous, "external": x.external},
            "edges": {"resolved": x.edges_resolved, "ambiguous": x.edges_ambiguous, "external": x.edges_external},
        })),
        "memory": {"string_bytes": mem.string_bytes, "node_bytes": mem.node_bytes, "edge_bytes": mem.edge_bytes},
        "load_ms": ms,
    })
}

fn write_text(out: &mut impl Write, loaded: &Loaded, ms: f64) -> Result<()> {
    let g = &loaded.graph;
    let r = &loaded.report;
    writeln!(out, "format: {}", r.format)?;
    writeln!(out, "nodes: {} ({} records in the files)", g.node_count(), r.raw_nodes)?;
    for (kind, n) in g.node_counts_by_kind() {
        writeln!(out, "  {kind}: {n}")?;
    }
    writeln!(out, "edges: {} ({} records in the files)", g.edge_count(), r.raw_edges)?;
    for (kind, n) in g.edge_counts_by_kind() {
        writeln!(out, "  {kind}: {n}")?;
    }
    if let Some(x) = r.resolution {
        writeln!(
            out,
            "resolution: {} edges resolved, {} ambiguous, {} external",
            x.edges_resolved, x.edges_ambiguous, x.edges_external
        )?;
        writeln!(
            out,
            "  endpoints: {} exact, {} by path, {} by name, {} files, {} unlisted, {} ambiguous, {} external",
            x.exact, x.by_path, x.by_name, x.files, x.unlisted, x.ambiguous, x.external
        )?;
    }
    writeln!(out, "warnings: {}", r.warnings.len())?;
    for w in &r.warnings {
        writeln!(out, "  - {w}")?;
    }
    let mem = g.memory();
    let per_node = mem.node_bytes as f64 / g.node_count().max(1) as f64;
    let per_edge = mem.edge_bytes as f64 / g.edge_count().max(1) as f64;
    writeln!(
        out,
        "memory: {per_node:.1} B/node + {per_edge:.1} B/edge + {:.1} MB strings",
        mem.string_bytes as f64 / 1e6
    )?;
    writeln!(out, "loaded in {ms:.1} ms")?;
    Ok(())
}

fn generate_file(nodes: usize, edges: usize, seed: u64, output: &PathBuf) -> Result<()> {
    let graph = generate(SynthSpec { nodes, edges, seed });
    let json = isg::snapshot::to_snapshot_json(&graph);
    let file = std::fs::File::create(output).with_context(|| format!("cannot create {}", output.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    if output.extension().is_some_and(|e| e == "gz") {
        let mut gz = flate2::write::GzEncoder::new(writer, flate2::Compression::fast());
        gz.write_all(json.as_bytes())?;
        gz.finish()?.flush()?;
    } else {
        writer.write_all(json.as_bytes())?;
        writer.flush()?;
    }
    eprintln!("wrote {} nodes and {} edges to {}", graph.node_count(), graph.edge_count(), output.display());
    Ok(())
}

fn run_plugin(args: &RunPlugin) -> Result<()> {
    let text =
        std::fs::read_to_string(&args.manifest).with_context(|| format!("cannot read {}", args.manifest.display()))?;
    let manifest = Arc::new(Manifest::parse(&text)?);
    let wasm = std::fs::read(&args.wasm).with_context(|| format!("cannot read {}", args.wasm.display()))?;
    let params: serde_json::Value = serde_json::from_str(&args.params).context("--params is not JSON")?;
    let mut grants = manifest.capabilities;
    for key in &args.deny {
        let capability = Capability::ALL
            .into_iter()
            .find(|c| c.key() == key)
            .with_context(|| format!("--deny {key}: no such capability"))?;
        grants = grants.with(capability, false);
    }
    let (loaded, _) = load_isg(&args.isg)?;
    let graph = Arc::new(GraphInput::new(Arc::new(loaded.graph)));

    let mut policy = HostPolicy::default();
    if let Some(fuel) = args.fuel {
        policy.fuel_ceiling = policy.fuel_ceiling.max(fuel);
    }
    let host = PluginHost::new(policy)?;
    let started = Instant::now();
    let plugin_file::PluginRun { audit, result } =
        plugin_file::run_on(args.engine, &host, &manifest, &wasm, grants, args.fuel, (&graph, &params, None))?;
    let run_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Some(path) = &args.audit {
        std::fs::write(path, audit.to_json()).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let (output, metrics, error) = match result {
        Ok((output, metrics)) => (Some(output), metrics, None),
        Err(failed) => (None, failed.metrics, Some(failed.error)),
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let report = json!({
            "plugin": manifest.id(),
            "engine": format!("{:?}", args.engine).to_lowercase(),
            "output": output,
            "metrics": metrics,
            "run_ms": run_ms,
            "error": error.as_ref().map(|e| json!({"code": e.code(), "message": e.to_string()})),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        writeln!(out, "plugin: {} (engine: {:?})", manifest.id(), args.engine)?;
        if let Some(output) = &output {
            writeln!(out, "output: {}", output.summary())?;
            for f in &output.findings {
                writeln!(out, "  finding ({:?}): {} [{} nodes]", f.severity, f.message, f.nodes.len())?;
            }
            for f in &output.files {
                writeln!(out, "  file: {} ({}, {} bytes)", f.name, f.mime, f.bytes.len())?;
            }
            for line in &output.logs {
                writeln!(out, "  log[{}]: {}", line.level, line.message)?;
            }
        }
        writeln!(
            out,
            "metrics: {} fuel of {}, peak memory {:.1} MiB, {} host calls, {} slices, load and run {run_ms:.1} ms",
            metrics.fuel_used,
            metrics.fuel_budget,
            metrics.peak_memory as f64 / f64::from(1 << 20),
            metrics.host_calls,
            metrics.slices
        )?;
    }
    match error {
        Some(e) => Err(anyhow::anyhow!("{} ({})", e, e.code())),
        None => Ok(()),
    }
}
