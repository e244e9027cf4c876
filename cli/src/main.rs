//! `ptstudio`: the Parseltongue Studio command line.
//!
//! - `ptstudio inspect FILE... [--json]`: counts by kind, warnings and resolution figures.
//! - `ptstudio generate --nodes N --edges M [--seed S] --output FILE`: a synthetic ISG.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use isg::synth::{SynthSpec, generate};
use isg::{Loaded, SourceFile};
use serde_json::json;

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
        /// Number of nodes.
        #[arg(long)]
        nodes: usize,
        /// Number of edge records.
        #[arg(long)]
        edges: usize,
        /// Seed; the same seed gives the same graph.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write.
        #[arg(long, short)]
        output: PathBuf,
    },
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
        Cmd::Generate { nodes, edges, seed, output } => generate_file(nodes, edges, seed, &output),
    }
}

fn inspect(paths: &[PathBuf], as_json: bool) -> Result<()> {
    let contents: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            Ok((p.display().to_string(), std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?))
        })
        .collect::<Result<_>>()?;
    let sources: Vec<SourceFile<'_>> = contents.iter().map(|(n, b)| SourceFile { name: n, bytes: b }).collect();
    let started = Instant::now();
    let loaded = isg::load(&sources)?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
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
