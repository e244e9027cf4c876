//! `ptstudio report`: the single-file HTML report, built without a browser (for CI): the same
//! studio core as the app lays the graph out, styles it and keeps the view, the same host runs the
//! plugins, and the report embeds the viewer the build made from this checkout (`trunk build`
//! writes `dist/report-viewer.bin`; `--viewer` or `$PTSTUDIO_VIEWER` names another). With
//! `--base`, a diff report: both snapshots in one picture coloured by change, with the API
//! differences as findings.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use findings::{AnalysisRun, PluginInfo};
use plugin_host::{GraphInput, PluginKind, RunOutput};
use serde_json::Value;
use share::html::{VIEWER_FILE, ViewerBundle};
use share::view::PluginChoice;
use studio_core::plugin_style::{StyleExtras, StyleRecords};
use studio_core::{LoadedGraph, NullGpu, Studio};

use crate::load_isg;
use crate::plugin_file;

/// `ptstudio report`'s arguments.
#[derive(clap::Args)]
pub struct Report {
    /// The engine that runs the plugins: `wasmi` (the interpreter) or `wasmtime` (the fast lane,
    /// compiled, with the same limits and host functions).
    #[arg(long, value_enum, default_value = "wasmi")]
    engine: plugin_file::Engine,
    /// The ISG file(s) to report on.
    #[arg(long, required = true, num_args = 1..)]
    isg: Vec<PathBuf>,
    /// An earlier snapshot's file(s): a diff report, both snapshots in one picture coloured by
    /// change, with the API differences as findings.
    #[arg(long, num_args = 1..)]
    base: Vec<PathBuf>,
    /// A layout plugin whose positions the report shows: a package, a plugin folder or a
    /// first-party name (`force-layout`…). Without one, the app's module map.
    #[arg(long)]
    layout: Option<PathBuf>,
    /// The layout's parameters, as a JSON object.
    #[arg(long, default_value = "{}")]
    params: String,
    /// A renderer plugin whose style the report shows (`module-colors`…).
    #[arg(long)]
    renderer: Option<PathBuf>,
    /// The renderer's parameters, as a JSON object.
    #[arg(long, default_value = "{}")]
    renderer_params: String,
    /// An analysis plugin whose findings the report carries (repeatable).
    #[arg(long = "analysis")]
    analyses: Vec<PathBuf>,
    /// The report's title (default: the files' names).
    #[arg(long)]
    title: Option<String>,
    /// Notes shown beside the graph.
    #[arg(long, default_value = "")]
    notes: String,
    /// The report viewer bundle (default: `$PTSTUDIO_VIEWER`, else this checkout's
    /// `dist/report-viewer.bin`, which `trunk build` and `cargo xtask test` write).
    #[arg(long)]
    viewer: Option<PathBuf>,
    /// Where to write the report.
    #[arg(long, short)]
    output: PathBuf,
}

/// The viewer bundle: `--viewer`, `$PTSTUDIO_VIEWER`, or this checkout's build.
fn viewer(arg: Option<&Path>) -> Result<ViewerBundle> {
    let path = arg
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("PTSTUDIO_VIEWER").map(PathBuf::from))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist").join(VIEWER_FILE));
    let bytes = std::fs::read(&path).with_context(|| {
        format!(
            "no report viewer at {}: build the app first (`trunk build`, which `cargo xtask test` and `cargo xtask serve` run), or name one with --viewer or PTSTUDIO_VIEWER",
            path.display()
        )
    })?;
    ViewerBundle::decode(&bytes).with_context(|| path.display().to_string())
}

fn json_object(text: &str, flag: &str) -> Result<Value> {
    let value: Value = serde_json::from_str(text).with_context(|| format!("{flag} is not JSON"))?;
    if !value.is_object() {
        bail!("{flag} must be a JSON object, such as '{{\"iterations\": 300}}'");
    }
    Ok(value)
}

fn names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Now, as RFC 3339 UTC.
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// A plugin's choice as a link names it.
fn choice(manifest: &plugin_host::Manifest, params: &Value) -> PluginChoice {
    PluginChoice { name: manifest.plugin.name.clone(), params: params.clone() }
}

/// Applies a renderer's output as the app does.
fn apply_renderer(studio: &mut Studio<NullGpu>, name: &str, output: &RunOutput) -> Result<()> {
    let records = StyleRecords {
        nodes: output.node_styles.as_ref().map(|r| r.as_bytes()),
        edges: output.edge_styles.as_ref().map(|r| r.as_bytes()),
        marks: output.edge_marks.as_ref().map(|r| r.as_bytes()),
    };
    let extras = StyleExtras {
        labels: output.labels.iter().map(|(&n, t)| (n, t.clone())).collect(),
        overlays: output.overlays.clone(),
    };
    studio.apply_plugin_style(name, records, extras).with_context(|| format!("{name}'s style"))
}

/// Runs `ptstudio report`.
pub fn report(args: &Report) -> Result<()> {
    let started = Instant::now();
    let viewer = viewer(args.viewer.as_deref())?;
    let params = json_object(&args.params, "--params")?;
    let renderer_params = json_object(&args.renderer_params, "--renderer-params")?;
    let (loaded, _) = load_isg(&args.isg)?;
    let mut diff = None;
    let mut runs: Vec<AnalysisRun> = Vec::new();
    let mut compared = None;
    let loaded = if args.base.is_empty() {
        loaded
    } else {
        let (base, _) = load_isg(&args.base)?;
        let union = isg::diff::union(&base.graph, &loaded.graph);
        // The union keeps the new snapshot's ids, so the API differences select the same items.
        runs.push(findings::api_diff::api_diff(&base.graph, &loaded.graph));
        compared = Some(format!("compared with {}: {}", names(&args.base), share::diff_picture::summary(&union)));
        let style = share::diff_picture::diff_style(&union);
        diff = Some(style);
        isg::Loaded { graph: union.graph, report: loaded.report }
    };
    let graph = Arc::new(loaded.graph.clone());
    let input = Arc::new(GraphInput::new(Arc::clone(&graph)));
    let mut studio: Studio<NullGpu> = Studio::default();
    studio.install(LoadedGraph::from_loaded(names(&args.isg), loaded)).context("the graph")?;
    let host = plugin_file::host()?;
    let mut view_layout = None;
    if let Some(layout) = &args.layout {
        let (manifest, output) =
            plugin_file::run(args.engine, &host, layout, PluginKind::Layout, &input, &params, None)?;
        let positions = output.positions.as_ref().with_context(|| format!("{} gave no positions", manifest.id()))?;
        let positions: Vec<[f32; 2]> = positions.iter().collect();
        studio.set_positions(&positions, true, 0.0, 0.0).with_context(|| format!("{}'s positions", manifest.id()))?;
        studio.draw(1.0);
        view_layout = Some(choice(&manifest, &params));
    }
    let mut view_renderer = None;
    if let Some(style) = &diff {
        let extras: StyleExtras = serde_json::from_value(style.extras.clone())?;
        let records = StyleRecords { nodes: style.nodes.as_deref(), edges: style.edges.as_deref(), marks: None };
        studio.apply_plugin_style(&style.name, records, extras).context("the diff's style")?;
    } else if let Some(renderer) = &args.renderer {
        let (manifest, output) =
            plugin_file::run(args.engine, &host, renderer, PluginKind::Renderer, &input, &renderer_params, None)?;
        apply_renderer(&mut studio, &manifest.plugin.name, &output)?;
        view_renderer = Some(choice(&manifest, &renderer_params));
    }
    for analysis in &args.analyses {
        let (manifest, output) = plugin_file::run(
            args.engine,
            &host,
            analysis,
            PluginKind::Analysis,
            &input,
            &Value::Object(Default::default()),
            None,
        )?;
        runs.push(AnalysisRun {
            plugin: PluginInfo::from(&*manifest),
            findings: output.findings,
            metrics: output.metrics,
        });
    }
    let mut view = studio.view_state();
    // The reader's window frames the picture.
    view.camera = None;
    view.layout = view_layout;
    view.renderer = view_renderer;
    let meta = share::ReportMeta {
        title: args.title.clone().unwrap_or_else(|| names(&args.isg)),
        notes: args.notes.clone(),
        created: now_rfc3339(),
        sources: args.isg.iter().map(|p| names(std::slice::from_ref(p))).collect(),
        generator: share::generator("ptstudio report"),
        compared,
    };
    let mut report = studio.report(meta, view)?;
    report.analyses = runs;
    let html = share::report_html(&viewer, &report);
    std::fs::write(&args.output, &html).with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!(
        "wrote {}: {:.2} MB, {} nodes, {} edges, {} analysis run(s), in {:.2} s (viewer: {})",
        args.output.display(),
        html.len() as f64 / 1e6,
        graph.node_count(),
        graph.edge_count(),
        report.analyses.len(),
        started.elapsed().as_secs_f64(),
        viewer.build
    );
    Ok(())
}
