//! `cargo xtask`: set-up, serve, test, benchmarks and fuzzing for Parseltongue Studio.
//!
//! Every command does its own set-up first, so a newcomer on a fresh machine needs nothing else.
#![allow(clippy::print_stdout, reason = "the summary line is the command's output")]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

mod codemap;
mod csp;
mod registry;
mod serve_check;
mod setup;
mod viewer_bundle;

use setup::Toolchain;

#[derive(Parser)]
#[command(about = "Automation for Parseltongue Studio", version)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Install everything the build and the tests need (idempotent; each step is skipped when done).
    Setup,
    /// Set up, build, and serve the app on 127.0.0.1 with the bundled sample open.
    Serve {
        /// Port to serve on.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Build with optimisations and wasm-opt (slower to build, much faster on big graphs).
        #[arg(long)]
        release: bool,
        /// Instead of serving until Ctrl-C: start, check the page answers, and fail if anything
        /// rebuilds in the next minute (part of `cargo xtask test`).
        #[arg(long)]
        check_stable: bool,
    },
    /// Set up, then run every check: fmt, clippy (native and wasm32), native tests, wasm tests in
    /// headless Chromium, the trunk build, and Playwright end-to-end tests on WebGL2 and WebGPU.
    Test {
        /// Skip the Playwright end-to-end tests.
        #[arg(long)]
        no_e2e: bool,
    },
    /// Run the native criterion benches, then the in-browser load benchmark in headless Chromium.
    Bench {
        /// Only the in-browser benchmark.
        #[arg(long)]
        browser_only: bool,
    },
    /// Build the default plugin registry from plugins/ into target/registry: packed, signed and
    /// verified (development keys in target/keys unless PTSTUDIO_REGISTRY_KEY and
    /// PTSTUDIO_PUBLISHER_KEY name release keys).
    Registry,
    /// Check that ARCHITECTURE.md's codemap names every source file (part of `cargo xtask test`).
    Codemap,
    /// Trunk's post-build hook: write the Content-Security-Policy into the built index.html.
    Csp {
        /// The directory holding index.html (default: trunk's staging directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Trunk's post-build hook: pack the report viewer into report-viewer.bin beside the app.
    ViewerBundle {
        /// The directory holding the built viewer (default: trunk's staging directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Fuzz the ISG loader with cargo-fuzz for a number of seconds.
    Fuzz {
        /// How long to fuzz.
        #[arg(long, default_value_t = 300)]
        seconds: u64,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let root = workspace_root()?;
    std::env::set_current_dir(&root)?;
    match cli.command {
        Cmd::Setup => Toolchain::setup(&root, setup::Needs::all()).map(|_| ()),
        Cmd::Serve { check_stable: true, .. } => {
            let tools = Toolchain::setup(&root, setup::Needs::build())?;
            serve_check::check(&tools, &root, &trunk_env())
        }
        Cmd::Serve { port, release, .. } => serve(&root, port, release),
        Cmd::Test { no_e2e } => test(&root, !no_e2e),
        Cmd::Bench { browser_only } => bench(&root, browser_only),
        Cmd::Registry => {
            let tools = Toolchain::setup(&root, setup::Needs::build())?;
            registry::build(&tools, &root).map(|dir| eprintln!("default registry in {}", dir.display()))
        }
        Cmd::Codemap => codemap::check(&root),
        Cmd::Csp { dir } => csp::write_policy(dir.as_deref()),
        Cmd::ViewerBundle { dir } => viewer_bundle::write(&root, dir.as_deref()),
        Cmd::Fuzz { seconds } => fuzz(&root, seconds),
    }
}

fn workspace_root() -> Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).context("xtask lives one level below the workspace root")
}

/// Runs a command with the toolchain's PATH, failing with the command line when it fails.
pub(crate) fn run(tools: &Toolchain, program: &str, args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Result<()> {
    let mut cmd = tools.command(program);
    cmd.args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let status = cmd.status().with_context(|| format!("could not start `{program}`"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

fn trunk_env() -> [(&'static str, &'static str); 1] {
    [("TRUNK_SKIP_VERSION_CHECK", "true")]
}

fn serve(root: &Path, port: u16, release: bool) -> Result<()> {
    let tools = &Toolchain::setup(root, setup::Needs { wasm_opt: release, ..setup::Needs::build() })?;
    // Trunk ignores target/ while watching (Trunk.toml), and an ignored path must exist.
    std::fs::create_dir_all(root.join("target"))?;
    // The default registry the Marketplace lists at once; the pre-build hook stages it.
    registry::build(tools, root)?;
    let hosts = format!("127.0.0.1:{port},localhost:{port}");
    let port = port.to_string();
    let mut args = vec!["serve", "--address", "127.0.0.1", "--port", &port];
    if release {
        args.push("--release");
    }
    eprintln!("serving on http://127.0.0.1:{port}/ (the bundled axum sample opens by default; Ctrl-C stops)");
    run(tools, "trunk", &args, root, &[trunk_env()[0], ("PT_CSP_SERVE_HOSTS", &hosts)])
}

/// A command line's arguments, written as one string for readability.
fn words(args: &str) -> Vec<&str> {
    args.split_whitespace().collect()
}

/// One check of `cargo xtask test`.
type StepFn<'a> = Box<dyn Fn() -> Result<()> + 'a>;

struct Step {
    name: &'static str,
    took: Duration,
    ok: bool,
}

fn test(root: &Path, e2e: bool) -> Result<()> {
    let started = Instant::now();
    let tools = Toolchain::setup(root, setup::Needs::all())?;
    let setup_took = started.elapsed();
    let wasm = "wasm32-unknown-unknown";
    let clippy_wasm_dir = root.join(".clippy-wasm");
    let clippy_wasm_dir = clippy_wasm_dir.to_string_lossy().into_owned();
    let chromedriver = [("CHROMEDRIVER", "/usr/bin/chromedriver"), ("WASM_BINDGEN_TEST_TIMEOUT", "120")];
    let e2e_dir = root.join("e2e");
    let tools = &tools;
    let mut steps: Vec<(&'static str, StepFn<'_>)> = vec![
        (
            "cargo fmt --check",
            Box::new(|| {
                run(tools, "cargo", &["fmt", "--all", "--check"], root, &[])?;
                run(tools, "cargo", &["fmt", "--all", "--check", "--manifest-path", "plugins/Cargo.toml"], root, &[])
            }),
        ),
        ("ARCHITECTURE.md names every source file", Box::new(|| codemap::check(root))),
        (
            "clippy (native)",
            Box::new(|| {
                run(
                    tools,
                    "cargo",
                    &["clippy", "--workspace", "--exclude", "app", "--all-targets", "--", "-D", "warnings"],
                    root,
                    &[],
                )
            }),
        ),
        (
            "clippy (wasm32)",
            Box::new(|| {
                // Benches are native-only (they time with Instant), so no --all-targets here.
                let args = "clippy --target wasm32-unknown-unknown -p app -p studio-core -p studio-workers -p renderer -p isg -p plugin-host -p pt-abi --lib --bins --tests -- -D warnings";
                run(tools, "cargo", &words(args), root, &[("CLIPPY_CONF_DIR", &clippy_wasm_dir)])?;
                // The marketplace's tests make keys and folders natively; its library is what the app will verify with.
                let args = "clippy --target wasm32-unknown-unknown -p marketplace -p share --lib -- -D warnings";
                run(tools, "cargo", &words(args), root, &[("CLIPPY_CONF_DIR", &clippy_wasm_dir)])?;
                // The bench pages are behind a feature the product leaves out; lint them too.
                let args = "clippy --target wasm32-unknown-unknown -p app --features bench --lib --bins -- -D warnings";
                run(tools, "cargo", &words(args), root, &[("CLIPPY_CONF_DIR", &clippy_wasm_dir)])
            }),
        ),
        (
            "clippy (plugins/, wasm32)",
            Box::new(|| {
                let args = "clippy --manifest-path plugins/Cargo.toml --target-dir target/plugins --target wasm32-unknown-unknown --all-targets -- -D warnings";
                run(tools, "cargo", &words(args), root, &[("CLIPPY_CONF_DIR", &clippy_wasm_dir)])
            }),
        ),
        (
            "no web deps in the core crates",
            Box::new(|| {
                setup::check_no_web_deps(
                    tools,
                    root,
                    &["pt-abi", "isg", "plugin-host", "marketplace", "findings", "share", "studio-core"],
                )
            }),
        ),
        (
            "native tests",
            Box::new(|| {
                run(tools, "cargo", &["test", "--workspace", "--exclude", "app"], root, &[])?;
                // The layout algorithms are plain Rust and are tested natively too.
                let args = "test --manifest-path plugins/Cargo.toml --target-dir target/plugins-native -p analysis-core -p export-core -p tangles -p smells -p communities -p patterns -p module-metrics -p start-here -p unreferenced -p force-core -p layout-core -p hotspots -p module-colors -p style-by-kind -p uml-view";
                run(tools, "cargo", &words(args), root, &[])
            }),
        ),
        (
            "wasm tests in headless Chromium",
            Box::new(|| run(tools, "cargo", &["test", "--target", wasm, "-p", "app"], root, &chromedriver)),
        ),
        ("default registry (built, signed, verified)", Box::new(|| registry::build(tools, root).map(|_| ()))),
        ("trunk build", Box::new(|| run(tools, "trunk", &["build"], root, &trunk_env()))),
        ("serve stays stable (no rebuild in 60 s)", Box::new(|| serve_check::check(tools, root, &trunk_env()))),
    ];
    if e2e {
        steps.push((
            "Playwright e2e (WebGL2 + WebGPU)",
            Box::new(|| run(tools, "npx", &["playwright", "test"], &e2e_dir, &[("CI", "true")])),
        ));
    }
    let mut results = Vec::new();
    for (name, step) in &steps {
        eprintln!("\n==> {name}");
        let t = Instant::now();
        let outcome = step();
        if let Err(e) = &outcome {
            eprintln!("FAILED: {name}: {e:#}");
        }
        results.push(Step { name, took: t.elapsed(), ok: outcome.is_ok() });
        if outcome.is_err() {
            break;
        }
    }
    eprintln!("\n{:<40} {:>8}", "step", "seconds");
    eprintln!("{:<40} {:>8.1}", "setup", setup_took.as_secs_f64());
    for s in &results {
        eprintln!("{:<40} {:>8.1} {}", s.name, s.took.as_secs_f64(), if s.ok { "ok" } else { "FAILED" });
    }
    eprintln!("{:<40} {:>8.1}", "total", started.elapsed().as_secs_f64());
    let passed = results.iter().filter(|s| s.ok).count();
    let failed = steps.len() - passed;
    // The plain closing line CI reads.
    println!("xtask: {passed} passed, {failed} failed");
    if failed > 0 {
        bail!("{failed} step(s) failed or did not run");
    }
    Ok(())
}

fn bench(root: &Path, browser_only: bool) -> Result<()> {
    let tools = &Toolchain::setup(root, setup::Needs { wasm_opt: true, ..setup::Needs::all() })?;
    if !browser_only {
        run(tools, "cargo", &["bench", "-p", "isg", "--bench", "isg"], root, &[])?;
        run(tools, "cargo", &["bench", "-p", "plugin-host", "--bench", "host"], root, &[])?;
        run(tools, "cargo", &["bench", "-p", "plugin-host", "--bench", "host_costs"], root, &[])?;
        run(tools, "cargo", &["bench", "-p", "plugin-host", "--features", "wasmtime", "--bench", "lanes"], root, &[])?;
        run(tools, "cargo", &["bench", "-p", "renderer", "--bench", "render"], root, &[])?;
        run(tools, "cargo", &["bench", "-p", "marketplace", "--bench", "marketplace"], root, &[])?;
    }
    // The bench pages are the app built with its `bench` feature; the product bundle (index.html)
    // leaves them out. bench.html is written from index.html, so the two cannot drift apart.
    write_bench_page(root)?;
    run(tools, "trunk", &["build", "bench.html", "--release", "--dist", "target/dist-bench"], root, &trunk_env())?;
    run(tools, "node", &["bench-browser.mjs", "../target/dist-bench"], &root.join("e2e"), &[])
}

/// The app's `<link data-trunk rel="rust">` in index.html.
const APP_LINK: &str = r#"data-bin="app""#;

/// Writes `bench.html` (git-ignored): index.html with the app built with its `bench` feature.
fn write_bench_page(root: &Path) -> Result<()> {
    let index = std::fs::read_to_string(root.join("index.html")).context("reading index.html")?;
    let bench = bench_page(&index)?;
    std::fs::write(root.join("bench.html"), bench).context("writing bench.html")
}

fn bench_page(index: &str) -> Result<String> {
    if index.matches(APP_LINK).count() != 1 {
        bail!("index.html must have exactly one rust link with {APP_LINK}; bench.html is made from it");
    }
    Ok(index
        .replace(APP_LINK, &format!(r#"{APP_LINK} data-cargo-features="bench""#))
        .replace("<title>Parseltongue Studio</title>", "<title>Parseltongue Studio benchmarks</title>"))
}

fn fuzz(root: &Path, seconds: u64) -> Result<()> {
    let tools = Toolchain::setup(root, setup::Needs { fuzz: true, ..setup::Needs::none() })?;
    let corpus = root.join("fuzz/corpus/load");
    std::fs::create_dir_all(&corpus)?;
    // Seed the corpus with the head of every real sample, so the fuzzer starts from real shapes.
    let samples = root.join("../shared/isg-samples");
    for dir in std::fs::read_dir(&samples).with_context(|| samples.display().to_string())? {
        let dir = dir?.path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).with_context(|| dir.display().to_string())? {
            let path = file?.path();
            let bytes = std::fs::read(&path).with_context(|| path.display().to_string())?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            std::fs::write(corpus.join(name), &bytes[..bytes.len().min(64 * 1024)])?;
        }
    }
    let time = format!("-max_total_time={seconds}");
    // cargo-fuzz needs nightly flags; this machine has only stable, which accepts them with RUSTC_BOOTSTRAP.
    let mut cmd = tools.command("cargo");
    cmd.args(["fuzz", "run", "load", "--", &time, "-max_len=65536", "-rss_limit_mb=4096"])
        .current_dir(root)
        .env("RUSTC_BOOTSTRAP", "1")
        .stdin(Stdio::null());
    let status = cmd.status().context("could not start cargo fuzz")?;
    if !status.success() {
        bail!("cargo fuzz found a failure ({status}); the crashing input is under fuzz/artifacts/load/");
    }
    eprintln!("fuzzed the loader for {seconds} s without a crash");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bench_page_is_the_app_page_with_the_bench_feature() {
        let index = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../index.html")).unwrap();
        let bench = bench_page(&index).unwrap();
        assert!(bench.contains(r#"data-bin="app" data-cargo-features="bench""#), "{bench}");
        assert!(!index.contains("data-cargo-features"), "the product page builds no bench code");
        // Everything else (workers, styles, copied assets) is the product page's.
        let lines = |t: &str| {
            t.lines().filter(|l| !l.contains("<title>") && !l.contains(APP_LINK)).map(str::to_owned).collect::<Vec<_>>()
        };
        assert_eq!(lines(&bench), lines(&index));
        assert!(bench_page("<html></html>").is_err());
    }
}
