//! Idempotent set-up: each step checks first and is skipped when already satisfied at the pinned
//! version. Pinned tools the machine lacks are installed; a tool found at another version is left
//! alone and the pinned one is installed beside it under `.tools/`, first on PATH for our commands.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// trunk version; 0.22 needs rustc ≥ 1.96.
const TRUNK_VERSION: &str = "0.21.14";
/// Must equal the `wasm-bindgen` pin in Cargo.toml and `[tools]` in Trunk.toml.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// npm's binaryen; Debian's binaryen 108 breaks wasm-bindgen 0.2.130 output.
const BINARYEN_VERSION: &str = "132.0.0";
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// The networkx the tests read GraphML and GEXF exports back with (an established reader, not
/// ours); 3.6 is the first to read GEXF 1.3.
const NETWORKX_VERSION: &str = "3.6.1";
/// The jsonschema the tests validate SARIF exports with.
const JSONSCHEMA_VERSION: &str = "4.26.0";
/// The npm package that carries the published SARIF 2.1.0 schema (`lib/schemas/`).
const SARIF_SCHEMA_PACKAGE: &str = "@microsoft/jest-sarif@1.0.0-beta.0";
/// Where the SARIF schema is unpacked, under the repository root.
const SARIF_SCHEMA: &str = ".tools/sarif/package/lib/schemas/sarif-2.1.0-rtm.5.json";

/// Which set-up steps a command needs.
#[derive(Clone, Copy)]
pub struct Needs {
    pub wasm_target: bool,
    pub trunk: bool,
    pub wasm_bindgen: bool,
    pub wasm_opt: bool,
    pub chromium: bool,
    pub npm: bool,
    pub fuzz: bool,
}

impl Needs {
    pub fn none() -> Self {
        Self {
            wasm_target: false,
            trunk: false,
            wasm_bindgen: false,
            wasm_opt: false,
            chromium: false,
            npm: false,
            fuzz: false,
        }
    }

    /// What building the app needs.
    pub fn build() -> Self {
        Self { wasm_target: true, trunk: true, wasm_bindgen: true, ..Self::none() }
    }

    /// Everything the tests need (wasm-opt is for release builds only).
    pub fn all() -> Self {
        Self { chromium: true, npm: true, ..Self::build() }
    }
}

/// The PATH our commands run with: project-local tools first.
pub struct Toolchain {
    path: std::ffi::OsString,
}

impl Toolchain {
    /// A command that finds project-local tools first.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path);
        cmd
    }

    /// Prints what is done, does what is missing, and fails naming the step and the fix.
    pub fn setup(root: &Path, needs: Needs) -> Result<Self> {
        let tools_dir = root.join(".tools");
        let binaryen_bin = tools_dir.join("binaryen/node_modules/.bin");
        let mut dirs: Vec<PathBuf> = vec![tools_dir.join("bin"), binaryen_bin];
        if let Some(home) = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        {
            dirs.push(home.join("bin"));
        }
        dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        let tools = Self { path: std::env::join_paths(dirs).context("PATH")? };

        step("cargo fetch (offline builds need every crate locally)", || {
            tools.ok("cargo", &["fetch", "--locked"], root)
        })?;
        if needs.wasm_target {
            step("wasm32-unknown-unknown target", || {
                let installed = tools.output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
                if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
                    return Ok(Done::Already);
                }
                tools.ok("rustup", &["target", "add", "wasm32-unknown-unknown"], root)?;
                Ok(Done::Installed)
            })?;
        }
        if needs.trunk {
            step(&format!("trunk {TRUNK_VERSION} (about 13 minutes to build on 2 cores)"), || {
                tools.cargo_install(root, "trunk", TRUNK_VERSION, &["trunk", "--version"], true)
            })?;
        }
        if needs.wasm_bindgen {
            // Without --locked: its lockfile pins a crate the registry no longer serves.
            step(&format!("wasm-bindgen-cli {WASM_BINDGEN_VERSION}"), || {
                tools.cargo_install(
                    root,
                    "wasm-bindgen-cli",
                    WASM_BINDGEN_VERSION,
                    &["wasm-bindgen", "--version"],
                    false,
                )
            })?;
        }
        if needs.wasm_opt {
            step(&format!("wasm-opt (npm binaryen {BINARYEN_VERSION})"), || {
                let major = BINARYEN_VERSION.split('.').next().unwrap_or_default();
                let out = tools.output("wasm-opt", &["--version"]).unwrap_or_default();
                if out.contains(&format!("version {major}")) {
                    return Ok(Done::Already);
                }
                let prefix = tools_dir.join("binaryen");
                std::fs::create_dir_all(&prefix)?;
                let prefix = prefix.to_string_lossy().into_owned();
                tools.ok(
                    "npm",
                    &[
                        "install",
                        "--no-audit",
                        "--no-fund",
                        "--prefix",
                        &prefix,
                        &format!("binaryen@{BINARYEN_VERSION}"),
                    ],
                    root,
                )?;
                Ok(Done::Installed)
            })?;
        }
        if needs.chromium {
            step(
                "Debian chromium, chromium-driver, Mesa's lavapipe Vulkan driver (image tests), Graphviz and PlantUML (exports rendered)",
                || {
                    let lavapipe = std::fs::read_dir("/usr/share/vulkan/icd.d")
                        .is_ok_and(|dir| dir.flatten().any(|e| e.file_name().to_string_lossy().starts_with("lvp_icd")));
                    let present = Path::new("/usr/bin/chromium").exists()
                        && Path::new("/usr/bin/chromedriver").exists()
                        && Path::new("/usr/bin/dot").exists()
                        && Path::new("/usr/bin/plantuml").exists()
                        && lavapipe;
                    if present {
                        return Ok(Done::Already);
                    }
                    let sudo: &[&str] =
                        if tools.output("id", &["-u"]).unwrap_or_default().trim() == "0" { &[] } else { &["sudo"] };
                    let apt = |args: &[&str]| -> Result<()> {
                        let mut full: Vec<&str> = sudo.to_vec();
                        full.extend_from_slice(args);
                        let (program, rest) = full.split_first().context("apt command")?;
                        let status =
                            tools.command(program).args(rest).env("DEBIAN_FRONTEND", "noninteractive").status()?;
                        if !status.success() {
                            bail!("`{}` failed ({status})", full.join(" "));
                        }
                        Ok(())
                    };
                    apt(&["apt-get", "update", "-qq"])?;
                    apt(&[
                        "apt-get",
                        "install",
                        "-y",
                        "-qq",
                        "chromium",
                        "chromium-driver",
                        "mesa-vulkan-drivers",
                        "libvulkan1",
                        "graphviz",
                        "plantuml",
                    ])?;
                    Ok(Done::Installed)
                },
            )?;
            step(
                &format!(
                    "networkx {NETWORKX_VERSION} and jsonschema {JSONSCHEMA_VERSION} from PyPI (GraphML and GEXF read back, SARIF validated)"
                ),
                || {
                    let probe = "import networkx, importlib.metadata as m; print(networkx.__version__, m.version('jsonschema'))";
                    let found = tools.output("python3", &["-c", probe]).unwrap_or_default();
                    if found.trim() == format!("{NETWORKX_VERSION} {JSONSCHEMA_VERSION}") {
                        return Ok(Done::Already);
                    }
                    let pins = [format!("networkx=={NETWORKX_VERSION}"), format!("jsonschema=={JSONSCHEMA_VERSION}")];
                    let status =
                        tools.command("python3").args(["-m", "pip", "install", "--quiet"]).args(&pins).status()?;
                    if !status.success() {
                        bail!("`python3 -m pip install {}` failed ({status})", pins.join(" "));
                    }
                    Ok(Done::Installed)
                },
            )?;
            step(&format!("the SARIF 2.1.0 schema (npm {SARIF_SCHEMA_PACKAGE})"), || {
                if root.join(SARIF_SCHEMA).exists() {
                    return Ok(Done::Already);
                }
                let dir = tools_dir.join("sarif");
                std::fs::create_dir_all(&dir)?;
                let dir_text = dir.to_string_lossy().into_owned();
                let packed = tools
                    .command("npm")
                    .args(["pack", "--silent", SARIF_SCHEMA_PACKAGE, "--pack-destination", &dir_text])
                    .output()?;
                if !packed.status.success() {
                    bail!("`npm pack {SARIF_SCHEMA_PACKAGE}` failed: {}", String::from_utf8_lossy(&packed.stderr));
                }
                let tarball = String::from_utf8_lossy(&packed.stdout).trim().to_owned();
                tools.ok("tar", &["xzf", &tarball, "package/lib/schemas"], &dir)?;
                Ok(Done::Installed)
            })?;
        }
        if needs.npm {
            step(
                "npm ci in e2e/ (Playwright, and Mermaid, cytoscape and graphology-gexf to check exports; pinned by package-lock.json; no browser download)",
                || {
                    let e2e = root.join("e2e");
                    let lock =
                        std::fs::read_to_string(e2e.join("package-lock.json")).context("e2e/package-lock.json")?;
                    let package: serde_json::Value = serde_json::from_str(
                        &std::fs::read_to_string(e2e.join("package.json")).context("e2e/package.json")?,
                    )
                    .context("e2e/package.json is JSON")?;
                    let wanted: Vec<&String> = package["devDependencies"]
                        .as_object()
                        .context("devDependencies in e2e/package.json")?
                        .keys()
                        .collect();
                    // Installed already when every package the tests name is there at its locked version.
                    let installed = |name: &str| -> Result<bool> {
                        let want = lock_version(&lock, &format!("node_modules/{name}"))
                            .with_context(|| format!("{name} in package-lock.json"))?;
                        let have = std::fs::read_to_string(e2e.join("node_modules").join(name).join("package.json"))
                            .unwrap_or_default();
                        Ok(have.contains(&format!("\"version\": \"{want}\"")))
                    };
                    if wanted
                        .iter()
                        .map(|name| installed(name))
                        .collect::<Result<Vec<bool>>>()?
                        .into_iter()
                        .all(|ok| ok)
                    {
                        return Ok(Done::Already);
                    }
                    let status = tools
                        .command("npm")
                        .args(["ci", "--no-audit", "--no-fund"])
                        .current_dir(&e2e)
                        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                        .status()?;
                    if !status.success() {
                        bail!("`npm ci` in e2e/ failed ({status})");
                    }
                    Ok(Done::Installed)
                },
            )?;
        }
        if needs.fuzz {
            step(&format!("cargo-fuzz {CARGO_FUZZ_VERSION}"), || {
                tools.cargo_install(root, "cargo-fuzz", CARGO_FUZZ_VERSION, &["cargo", "fuzz", "--version"], true)
            })?;
        }
        Ok(tools)
    }

    fn output(&self, program: &str, args: &[&str]) -> Option<String> {
        let out = self.command(program).args(args).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn ok(&self, program: &str, args: &[&str], dir: &Path) -> Result<Done> {
        let status = self
            .command(program)
            .args(args)
            .current_dir(dir)
            .status()
            .with_context(|| format!("could not start `{program}`"))?;
        if !status.success() {
            bail!("`{program} {}` failed ({status})", args.join(" "));
        }
        Ok(Done::Checked)
    }

    /// Installs `krate@version` unless `probe` already prints that version. A different version
    /// elsewhere on PATH is left in place; ours goes to `.tools/` and wins on our PATH.
    fn cargo_install(&self, root: &Path, krate: &str, version: &str, probe: &[&str], locked: bool) -> Result<Done> {
        let (program, args) = probe.split_first().context("probe")?;
        let found = self.output(program, args);
        if found.as_deref().is_some_and(|v| v.split_whitespace().any(|w| w == version || w == format!("v{version}"))) {
            return Ok(Done::Already);
        }
        let tools_root = root.join(".tools");
        let tools_root = tools_root.to_string_lossy().into_owned();
        let mut install = vec!["install", krate, "--version", version, "--root", &tools_root];
        if locked {
            install.push("--locked");
        }
        if let Some(other) = found {
            eprintln!("    found {} (need {version}); installing {version} into .tools/ beside it", other.trim());
        }
        self.ok("cargo", &install, root).with_context(|| {
            format!(
                "installing {krate} {version}: check that crates.io is reachable, then run `cargo {}`",
                install.join(" ")
            )
        })?;
        Ok(Done::Installed)
    }
}

enum Done {
    Already,
    Installed,
    Checked,
}

fn step(name: &str, f: impl FnOnce() -> Result<Done>) -> Result<()> {
    match f() {
        Ok(Done::Already) => eprintln!("setup: {name}: already there"),
        Ok(Done::Installed) => eprintln!("setup: {name}: installed"),
        Ok(Done::Checked) => eprintln!("setup: {name}: ok"),
        Err(e) => bail!("setup step failed: {name}: {e:#}"),
    }
    Ok(())
}

/// The version of `package` in an npm lockfile (v3 layout).
fn lock_version(lock: &str, package: &str) -> Option<String> {
    let at = lock.find(&format!("\"{package}\""))?;
    let rest = &lock[at..];
    let v = rest.find("\"version\"")?;
    let after = &rest[v + 9..];
    let start = after.find('"')? + 1;
    let end = after[start..].find('"')?;
    Some(after[start..start + end].to_owned())
}

/// Fails when any of `crates` pulls in a browser binding on wasm32: the model and the plugin
/// host's core must stay testable and benchmarkable natively.
pub fn check_no_web_deps(tools: &Toolchain, root: &Path, crates: &[&str]) -> Result<()> {
    for krate in crates {
        let out = tools
            .command("cargo")
            .args(["tree", "-p", krate, "--target", "wasm32-unknown-unknown", "-e", "normal", "--prefix", "none"])
            .current_dir(root)
            .output()?;
        if !out.status.success() {
            bail!("cargo tree -p {krate} failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let tree = String::from_utf8_lossy(&out.stdout);
        let web: Vec<&str> = tree
            .lines()
            .filter(|l| ["web-sys ", "js-sys ", "wasm-bindgen "].iter().any(|w| l.starts_with(w)))
            .collect();
        if !web.is_empty() {
            bail!("{krate} depends on browser bindings on wasm32: {}", web.join(", "));
        }
        eprintln!("    {krate}: no web-sys, js-sys or wasm-bindgen");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockfile_version_is_read_for_the_named_package() {
        let lock = r#"{"packages": {"node_modules/@playwright/test": {"version": "1.65.1", "dev": true}, "node_modules/x": {"version": "2.0.0"}}}"#;
        assert_eq!(lock_version(lock, "node_modules/@playwright/test").as_deref(), Some("1.65.1"));
        assert_eq!(lock_version(lock, "node_modules/missing"), None);
    }
}
