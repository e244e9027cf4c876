//! Trunk's second post-build hook: packs the report viewer (its wasm-bindgen glue, its wasm and
//! the app's style sheet) into one file, `report-viewer.bin`, beside the app. The app fetches it
//! to write a report, and `ptstudio report` reads it from `dist/`: both embed the viewer this
//! build made, from this commit.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use share::html::{VIEWER_FILE, ViewerBundle};

/// The viewer's files as trunk writes them (`data-bin="report_viewer"`, `data-type="worker"`:
/// the glue is a classic script, no module, so the report can inline it).
const GLUE: &str = "report_viewer.js";
const WASM: &str = "report_viewer_bg.wasm";

/// The commit this tree is at, with `+changes` when it has uncommitted ones.
fn commit(root: &Path) -> String {
    let run =
        |args: &[&str]| Command::new("git").args(args).current_dir(root).output().ok().filter(|o| o.status.success());
    let Some(head) = run(&["rev-parse", "--short=12", "HEAD"]) else { return "unknown commit".into() };
    let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    let dirty = run(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|o| !o.stdout.is_empty());
    if dirty { format!("{head}+changes") } else { head }
}

/// Packs the viewer in `dir` (default: trunk's staging directory) into [`VIEWER_FILE`] and
/// removes its loose files, which nothing else loads.
///
/// # Errors
/// Not run by trunk, a file is missing, or the glue or style cannot be inlined.
pub fn write(root: &Path, dir: Option<&Path>) -> Result<()> {
    let dir: PathBuf = match dir {
        Some(d) => d.to_path_buf(),
        None => std::env::var_os("TRUNK_STAGING_DIR")
            .map(Into::into)
            .context("`cargo xtask viewer-bundle` is trunk's post-build hook: it needs TRUNK_STAGING_DIR, or --dir")?,
    };
    let read = |name: &str| {
        std::fs::read(dir.join(name)).with_context(|| format!("{}: the report viewer's {name}", dir.display()))
    };
    let glue = String::from_utf8(read(GLUE)?).context("the viewer's glue is not UTF-8")?;
    let wasm = read(WASM)?;
    let mut styles = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "css") {
            styles.push(path);
        }
    }
    let [style] = styles.as_slice() else {
        bail!("{}: expected the app's one style sheet, found {}", dir.display(), styles.len());
    };
    let css = std::fs::read_to_string(style).with_context(|| style.display().to_string())?;
    let build = share::generator(&commit(root));
    let bundle = ViewerBundle::new(build, glue, &wasm, css)?;
    std::fs::write(dir.join(VIEWER_FILE), bundle.encode())?;
    for loose in [GLUE, WASM] {
        std::fs::remove_file(dir.join(loose))?;
    }
    Ok(())
}
