//! `ptstudio plugin new`: a plugin crate that builds on its own, outside this repository — no
//! workspace inheritance, its own release profile with what plugins need, the SDK spelled out by
//! path — with a manifest, a README and a working entry point for its kind.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The SDK of the checkout this binary was built from.
pub const DEFAULT_SDK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../plugins/sdk");

/// The entry point's body for each kind, with the SDK macro that goes with it.
fn source(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "layout" => {
            r#"//! A layout: one position per node.

use pt_plugin_sdk::{Graph, Params, Positions};

fn layout(graph: &Graph, params: &Params) -> Positions {
    let spacing = params.f64("spacing") as f32;
    let n = graph.node_count();
    let columns = (n as f32).sqrt().ceil().max(1.0) as usize;
    (0..n).map(|i| [(i % columns) as f32 * spacing, (i / columns) as f32 * spacing]).collect()
}

pt_plugin_sdk::layout!(layout);
"#
        }
        "renderer" => {
            r#"//! A renderer: one style per node (and optionally per edge), labels and overlays.

use pt_plugin_sdk::{Graph, NodeStyle, Params, Shape, Styles};

fn render(graph: &Graph, params: &Params) -> Styles {
    let size = params.f64("spacing") as f32;
    let mut degree = vec![0u32; graph.node_count()];
    for &[a, b] in graph.edges() {
        degree[a as usize] += 1;
        degree[b as usize] += 1;
    }
    let nodes = degree
        .iter()
        .map(|&d| {
            let hub = d > 10;
            let rgba = if hub { [0xf0, 0x6c, 0x6c, 0xff] } else { [0x4e, 0x9a, 0xf0, 0xff] };
            NodeStyle { rgba, size, shape: Shape::Circle, hidden: false, halo: None }
        })
        .collect();
    Styles { nodes, ..Styles::default() }
}

pt_plugin_sdk::renderer!(render);
"#
        }
        "analysis" => {
            r#"//! An analysis: findings (severity, nodes, message) and metric columns.

use pt_plugin_sdk::{Analysis, Graph, Params, Severity};

fn analyse(graph: &Graph, _params: &Params) -> Analysis {
    let (mut fan_in, mut degree) = (vec![0f32; graph.node_count()], vec![0u32; graph.node_count()]);
    for &[a, b] in graph.edges() {
        fan_in[b as usize] += 1.0;
        degree[a as usize] += 1;
        degree[b as usize] += 1;
    }
    let lonely: Vec<u32> = (0..graph.node_count() as u32).filter(|&n| degree[n as usize] == 0).collect();
    Analysis {
        findings: vec![(Severity::Info, lonely.clone(), format!("{} nodes have no edges", lonely.len()))],
        metrics: vec![("fan_in".to_owned(), fan_in)],
    }
}

pt_plugin_sdk::analysis!(analyse);
"#
        }
        "exporter" => {
            r#"//! An exporter: one file (the host chooses its type from the name's extension).

use pt_plugin_sdk::{ExportFile, Graph, Params};

fn export(graph: &Graph, _params: &Params) -> ExportFile {
    let mut csv = String::from("from,to\n");
    for &[a, b] in graph.edges() {
        csv.push_str(&format!("{a},{b}\n"));
    }
    ExportFile { name: "edges.csv".to_owned(), bytes: csv.into_bytes() }
}

pt_plugin_sdk::exporter!(export);
"#
        }
        _ => return None,
    })
}

fn cargo_toml(name: &str, sdk: &Path) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

# A plugin is one WebAssembly module.
[lib]
crate-type = ["cdylib"]

[dependencies]
pt-plugin-sdk = {{ path = "{sdk}" }}

# Plugins run in the app's interpreter: small, fast modules, and panics that abort (the SDK
# reports the message to the host first).
[profile.release]
opt-level = 3
lto = true
codegen-units = 1
panic = "abort"

# Its own workspace, so it builds anywhere, even inside another project's folder.
[workspace]
"#,
        sdk = sdk.display()
    )
}

fn manifest(name: &str, kind: &str) -> String {
    let capabilities = match kind {
        "layout" | "renderer" => "read_isg = true\nwrite_visualization = true\n",
        _ => "read_isg = true\n",
    };
    format!(
        r#"[plugin]
name = "{name}"
version = "0.1.0"
author = "Your Name"
description = "What {name} does, in a sentence."
kind = "{kind}"
host_api = "^1.4"

# Nothing is granted unless asked for here, and the user is asked before it runs.
[capabilities]
{capabilities}
[metadata]
category = "{kind}"
tags = ["{kind}"]
license = "MIT OR Apache-2.0"

# Each parameter gets a form field; types: number, integer, bool, choice (with `options`), string.
[parameters.spacing]
label = "Spacing"
type = "number"
default = 4.0
min = 0.5
max = 100.0
description = "Distance between neighbours, in world units."
"#
    )
}

fn readme(name: &str, kind: &str) -> String {
    format!(
        r#"# {name}

A Parseltongue Studio {kind} plugin.

- Build and package: `ptstudio plugin pack .` (runs `cargo build --release --target wasm32-unknown-unknown`,
  checks the manifest and that the host loads the module as a `{kind}`).
- Try it on a graph: `ptstudio run-plugin target/wasm32-unknown-unknown/release/{module}.wasm --manifest plugin.toml --isg FILE`.
- Sign: `ptstudio plugin keygen keys/me`, then `ptstudio plugin sign {name}-0.1.0.ptplugin --key keys/me.key`.

The graph a plugin sees: nodes `0..node_count()`, each with a kind name (`function`, `struct`,
`trait`, `impl`, `enum`, `module`, … as the export names them), a name, a file and a signature;
edges as `[from, to]` with a kind name (`Calls`, `Uses`, `Implements`). Parameters arrive checked
against `plugin.toml`: `params.f64("spacing")`, `params.i64(…)`, `params.bool(…)`, `params.str(…)`.
"#,
        module = name.replace('-', "_")
    )
}

/// Writes the crate for plugin `name` of `kind` into `dir/name`, using the SDK at `sdk`; returns the folder.
///
/// # Errors
/// A bad name or kind, an existing folder, or a write that failed.
pub fn write(dir: &Path, name: &str, kind: &str, sdk: &Path) -> Result<PathBuf> {
    if name.is_empty()
        || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || name.starts_with('-')
    {
        bail!("a plugin name is lower-case letters, digits and `-`, not {name:?}");
    }
    let source = source(kind).with_context(|| format!("unknown kind {kind:?}"))?;
    let sdk = sdk.canonicalize().with_context(|| format!("the plugin SDK is not at {} (give --sdk)", sdk.display()))?;
    let root = dir.join(name);
    if root.exists() {
        bail!("{} exists", root.display());
    }
    let files = [
        ("Cargo.toml", cargo_toml(name, &sdk)),
        ("plugin.toml", manifest(name, kind)),
        ("README.md", readme(name, kind)),
        ("src/lib.rs", source.to_owned()),
        (".gitignore", "/target\n*.ptplugin\n*.key\n".to_owned()),
    ];
    for (file, text) in files {
        let path = root.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot make {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(root)
}
