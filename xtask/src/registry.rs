//! `cargo xtask registry`: the default registry, built from `plugins/` by the build (no package or
//! key is committed). Every first-party plugin a user is offered (not the test and bench plugins)
//! is built from source, packed, signed by the publisher key and published into
//! `target/registry/`, whose index the registry key signs; then the folder is verified as a
//! client would. Both keys come from the environment for a release (`PTSTUDIO_REGISTRY_KEY` and
//! `PTSTUDIO_PUBLISHER_KEY`: secret key files, with their `.pub` beside them, and the password in
//! `PTSTUDIO_KEY_PASSWORD`); otherwise development keys are made once in `target/keys/` —
//! development keys, to be trusted on a development machine only. The folder also holds the
//! registry's public key, `registry.pub`: the app's build stages the folder beside the page, where
//! the app finds it as its default registry.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::run;
use crate::setup::Toolchain;

/// Where the registry is written.
pub const REGISTRY_DIR: &str = "target/registry";

/// A secret key file from `env`, or a development key `target/keys/NAME.key` (made when missing).
fn key(tools: &Toolchain, root: &Path, env: &str, name: &str) -> Result<PathBuf> {
    if let Ok(path) = std::env::var(env) {
        return Ok(PathBuf::from(path));
    }
    let base = root.join("target/keys").join(name);
    let secret = base.with_extension("key");
    if !secret.exists() {
        ptstudio(tools, root, &["plugin", "keygen", &base.display().to_string()], &[("PTSTUDIO_KEY_PASSWORD", "")])?;
    }
    Ok(secret)
}

fn ptstudio(tools: &Toolchain, root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    let mut all = vec!["run", "--quiet", "-p", "cli", "--"];
    all.extend_from_slice(args);
    run(tools, "cargo", &all, root, env)
}

/// Builds and verifies the default registry; returns its folder.
pub fn build(tools: &Toolchain, root: &Path) -> Result<PathBuf> {
    let built = root.join("target/plugins");
    run(
        tools,
        "cargo",
        &[
            "build",
            "--quiet",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--manifest-path",
            "plugins/Cargo.toml",
        ],
        root,
        &[("CARGO_TARGET_DIR", &built.display().to_string())],
    )?;
    let registry_key = key(tools, root, "PTSTUDIO_REGISTRY_KEY", "dev-registry")?;
    let publisher_key = key(tools, root, "PTSTUDIO_PUBLISHER_KEY", "dev-publisher")?;
    let (registry_key, publisher_key) = (registry_key.display().to_string(), publisher_key.display().to_string());
    let public = |secret: &str| Path::new(secret).with_extension("pub").display().to_string();
    let out = root.join(REGISTRY_DIR);
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("cannot clear {}", out.display()))?;
    }
    let staging = root.join("target/registry-staging");
    std::fs::create_dir_all(&staging).with_context(|| format!("cannot make {}", staging.display()))?;
    let dir = out.display().to_string();
    ptstudio(tools, root, &["registry", "init", &dir, "--name", "parseltongue-studio", "--key", &registry_key], &[])?;
    ptstudio(
        tools,
        root,
        &[
            "registry",
            "add-publisher",
            &dir,
            "--name",
            "Parseltongue Studio",
            "--publisher",
            &public(&publisher_key),
            "--key",
            &registry_key,
        ],
        &[],
    )?;
    let mut plugins: Vec<PathBuf> = std::fs::read_dir(root.join("plugins"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("plugin.toml").exists())
        .collect();
    plugins.sort();
    for plugin in plugins {
        let manifest = std::fs::read_to_string(plugin.join("plugin.toml"))?;
        // Test and bench plugins are staged for the tests, never offered.
        if manifest.lines().any(|l| l.trim() == "category = \"testing\"") {
            continue;
        }
        let name = plugin.file_name().and_then(|n| n.to_str()).context("plugin folder name")?.to_owned();
        let wasm = built.join("wasm32-unknown-unknown/release").join(format!("{}.wasm", name.replace('-', "_")));
        let package = staging.join(format!("{name}.ptplugin")).display().to_string();
        let (plugin, wasm) = (plugin.display().to_string(), wasm.display().to_string());
        ptstudio(tools, root, &["plugin", "pack", &plugin, "--wasm", &wasm, "--out", &package], &[])?;
        ptstudio(tools, root, &["plugin", "sign", &package, "--key", &publisher_key], &[])?;
        ptstudio(tools, root, &["registry", "publish", &dir, &package, "--key", &registry_key], &[])?;
    }
    ptstudio(tools, root, &["registry", "verify", &dir, "--key", &public(&registry_key)], &[])?;
    // The app finds its default registry, and the key to check it with, beside its page
    // (`studio_core::market::APP_REGISTRY_KEY_FILE`); the pre-build hook stages this folder.
    let key_file = out.join("registry.pub");
    std::fs::copy(public(&registry_key), &key_file).with_context(|| format!("cannot write {}", key_file.display()))?;
    Ok(out)
}
