//! Where the commands that run plugins (`analyze`, `export`) find one: a `.ptplugin` package, a
//! folder holding `plugin.toml` and `plugin.wasm`, or a first-party plugin's name, looked up in
//! the default registry folder (`$PTSTUDIO_REGISTRY`, else the one `cargo xtask registry` builds
//! in this checkout's `target/registry`), whose packages are signed and built from source.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use plugin_host::lane::{Metering, WasmtimeRunner};
use plugin_host::{GraphInput, HostPolicy, Manifest, PluginHost, PluginKind, RunOutput};
use serde_json::Value;

/// The registry folder first-party names are looked up in.
fn registry_folder() -> PathBuf {
    std::env::var_os("PTSTUDIO_REGISTRY")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/registry"), PathBuf::from)
}

/// The newest package of plugin `name` in `registry`'s `packages/` folder.
fn newest_package(registry: &Path, name: &str) -> Option<PathBuf> {
    let prefix = format!("{name}-");
    std::fs::read_dir(registry.join("packages"))
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let file = entry.file_name().to_string_lossy().into_owned();
            let version = file.strip_prefix(&prefix)?.strip_suffix(".ptplugin")?;
            Some((semver::Version::parse(version).ok()?, entry.path()))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, path)| path)
}

/// The plugin `arg` names: a path when one exists there, else a first-party name.
pub fn resolve(arg: &Path) -> Result<PathBuf> {
    if arg.exists() {
        return Ok(arg.to_path_buf());
    }
    let name = arg.to_string_lossy();
    let registry = registry_folder();
    if !name.contains(['/', '\\', '.'])
        && let Some(path) = newest_package(&registry, &name)
    {
        return Ok(path);
    }
    bail!(
        "no plugin at {name}: not a package or plugin folder, nor a plugin in the registry folder {} (`cargo xtask registry` builds it; PTSTUDIO_REGISTRY names another)",
        registry.display()
    )
}

/// A plugin from a package or a folder: its manifest text and module.
fn read(path: &Path) -> Result<(String, Vec<u8>)> {
    if path.is_dir() {
        let manifest = std::fs::read_to_string(path.join("plugin.toml"))
            .with_context(|| format!("{}: a plugin folder holds plugin.toml", path.display()))?;
        let wasm = std::fs::read(path.join("plugin.wasm"))
            .with_context(|| format!("{}: a plugin folder holds plugin.wasm", path.display()))?;
        return Ok((manifest, wasm));
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let package = marketplace::Package::read(&bytes).with_context(|| format!("{}", path.display()))?;
    Ok((package.manifest_text().to_owned(), package.module().to_vec()))
}

/// Runs the plugin `arg` names, which must be of `kind`, on `graph` on `engine` with the
/// capabilities its manifest asks for (no network: the command line does not fetch).
pub fn run(
    engine: Engine,
    host: &PluginHost,
    arg: &Path,
    kind: PluginKind,
    graph: &Arc<GraphInput>,
    params: &Value,
    selected: Option<u32>,
) -> Result<(Arc<Manifest>, RunOutput)> {
    let path = resolve(arg)?;
    let (text, wasm) = read(&path)?;
    let manifest = Arc::new(Manifest::parse(&text).with_context(|| format!("{}", path.display()))?);
    if manifest.plugin.kind != kind {
        bail!("{} is {} plugin, not {}", manifest.id(), with_article(manifest.plugin.kind), with_article(kind));
    }
    let run = run_on(engine, host, &manifest, &wasm, manifest.capabilities, None, (graph, params, selected))?;
    let (output, _) = run
        .result
        .map_err(|failed| anyhow::anyhow!("{}: {} ({})", manifest.id(), failed.error, failed.error.code()))?;
    Ok((manifest, output))
}

/// Which engine runs a plugin natively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Engine {
    /// The interpreter, in fuel slices: what the app runs every untrusted plugin in.
    #[default]
    Wasmi,
    /// The fast lane: wasmtime compiles the module, with its own fuel and the same limits and
    /// host functions.
    Wasmtime,
}

/// One call of a plugin run to its end: what it produced or how it failed, and the plugin's audit
/// trail.
pub struct PluginRun {
    /// The plugin's audit trail after the call.
    pub audit: plugin_host::AuditLog,
    /// The output and metrics, or the typed failure with its metrics.
    pub result: Result<(RunOutput, plugin_host::CallMetrics), Box<plugin_host::FailedCall>>,
}

/// Runs one call of a plugin to its end on `engine`.
pub fn run_on(
    engine: Engine,
    host: &PluginHost,
    manifest: &Arc<Manifest>,
    wasm: &[u8],
    grants: plugin_host::Capabilities,
    fuel: Option<u64>,
    call: (&Arc<GraphInput>, &Value, Option<u32>),
) -> Result<PluginRun> {
    let (graph, params, selected) = call;
    match engine {
        Engine::Wasmi => {
            let mut plugin = host.load(Arc::clone(manifest), wasm, grants)?;
            plugin.set_fuel_budget(fuel)?;
            let result = plugin.run_to_end(Arc::clone(graph), params, selected, |req| {
                Err(plugin_host::FetchFailed::new(format!("the command line does not fetch ({})", req.url)))
            });
            Ok(PluginRun { audit: plugin.audit().clone(), result })
        }
        Engine::Wasmtime => {
            let mut plugin = host.load_fast(Arc::clone(manifest), wasm, grants, Metering::Engine)?;
            plugin.set_fuel_budget(fuel)?;
            let result = WasmtimeRunner::new()?.run(&mut plugin, Arc::clone(graph), params, selected);
            Ok(PluginRun { audit: plugin.audit().clone(), result })
        }
    }
}

/// "a layout", "an analysis"…
fn with_article(kind: PluginKind) -> String {
    let word = kind.to_string();
    let article = if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {word}")
}

/// A host with the default policy.
pub fn host() -> Result<PluginHost> {
    Ok(PluginHost::new(HostPolicy::default())?)
}
