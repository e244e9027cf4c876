//! Builds the first-party plugins from source (once per test binary) and hands out their bytes.
//! Shared by the plugin-host and CLI tests; no plugin binary is ever committed.
#![allow(dead_code, reason = "each test binary that includes this uses part of it")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("crate sits in the repo root").to_path_buf()
}

/// Builds `plugins/` for wasm32 in release mode and returns the directory holding the `.wasm` files.
pub fn plugins_dir() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = repo_root();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "--release", "--target", "wasm32-unknown-unknown", "--manifest-path"])
            .arg(root.join("plugins/Cargo.toml"))
            .arg("--target-dir")
            .arg(root.join("target/plugins"))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building plugins/ for wasm32 failed (is the wasm32-unknown-unknown target installed? `cargo xtask setup` adds it)");
        root.join("target/plugins/wasm32-unknown-unknown/release")
    })
}

/// The `.wasm` and the `plugin.toml` text of the plugin crate `name` (e.g. `circle-layout`).
pub fn plugin(name: &str) -> (Vec<u8>, String) {
    let wasm = plugins_dir().join(format!("{}.wasm", name.replace('-', "_")));
    let wasm = std::fs::read(&wasm).unwrap_or_else(|e| panic!("{}: {e}", wasm.display()));
    let manifest = repo_root().join("plugins").join(name).join("plugin.toml");
    let manifest = std::fs::read_to_string(&manifest).unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    (wasm, manifest)
}
