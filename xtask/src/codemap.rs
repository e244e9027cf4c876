//! The codemap check: every source file is named in `ARCHITECTURE.md`, in the paragraph of its
//! top-level folder (`**`isg/`** — …`), by its path, its file name, or a folder above it.
//!
//! Names are read from backticks: `graph/` names every file under `isg/src/graph/`,
//! `model.rs` names `isg/src/model.rs`, `tests/hostile/` the whole suite. A crate's `lib.rs` or
//! `main.rs` is named by the paragraph itself, a `mod.rs` by its folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, bail};

/// File extensions that count as source.
const SOURCE: &[&str] = &["rs", "wgsl", "ts", "mjs", "sh"];

/// Folder names too generic to name the files under them on their own.
const GENERIC: &[&str] = &["src/", "tests/", "benches/", "bin/", "src/bin/"];

/// Checks the tracked source files under `root` against its `ARCHITECTURE.md`.
///
/// # Errors
/// Git could not list the files, the codemap could not be read, or files are not named in it.
pub(crate) fn check(root: &Path) -> Result<()> {
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).context("reading ARCHITECTURE.md")?;
    let listed = std::process::Command::new("git")
        .args(["ls-files", "--cached", "--others", "--exclude-standard"])
        .current_dir(root)
        .output()
        .context("running git ls-files")?;
    let files: Vec<String> = String::from_utf8_lossy(&listed.stdout).lines().map(str::to_owned).collect();
    let unnamed = unnamed_files(&text, &files);
    if !unnamed.is_empty() {
        bail!(
            "ARCHITECTURE.md does not name {} source file(s); add each to its folder's paragraph in the codemap:\n  {}",
            unnamed.len(),
            unnamed.join("\n  ")
        );
    }
    Ok(())
}

/// The source files among `files` that the codemap in `architecture` does not name.
pub(crate) fn unnamed_files(architecture: &str, files: &[String]) -> Vec<String> {
    let paragraphs = paragraphs(architecture);
    files
        .iter()
        .filter(|f| Path::new(f).extension().and_then(|e| e.to_str()).is_some_and(|e| SOURCE.contains(&e)))
        .filter(|f| !f.starts_with("target/") && !f.contains("/target/"))
        .filter(|f| !is_named(&paragraphs, f))
        .cloned()
        .collect()
}

/// Backticked names per top-level folder, from paragraphs opening with ``**`folder/`**``.
fn paragraphs(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.trim().is_empty() {
            current = None;
            continue;
        }
        if let Some(folder) = line.strip_prefix("**`").and_then(|l| l.split_once("/`**")).map(|(f, _)| f) {
            current = Some(folder.to_owned());
        }
        if let Some(folder) = &current {
            let names = out.entry(folder.clone()).or_default();
            names.extend(line.split('`').skip(1).step_by(2).map(str::to_owned));
        }
    }
    out
}

fn is_named(paragraphs: &BTreeMap<String, BTreeSet<String>>, file: &str) -> bool {
    let Some((top, inner)) = file.split_once('/') else { return false };
    let Some(names) = paragraphs.get(top) else { return false };
    let inner_short = inner.strip_prefix("src/").unwrap_or(inner);
    let base = inner.rsplit('/').next().unwrap_or(inner);
    if names.contains(inner) || names.contains(inner_short) || names.contains(base) {
        return true;
    }
    let crate_root = matches!(inner_short, "lib.rs" | "main.rs") && !inner_short.contains('/');
    if crate_root {
        return true;
    }
    // Every folder above the file, as written from the top folder or from `src/`.
    let folders =
        |path: &str| -> Vec<String> { path.match_indices('/').map(|(i, _)| path[..=i].to_owned()).collect::<Vec<_>>() };
    let mut above = folders(inner);
    above.extend(folders(inner_short));
    // `host/mod.rs` is named by `host/` and by `host.rs`, as Rust allows either spelling.
    if base == "mod.rs"
        && let Some(folder) = inner_short.strip_suffix("/mod.rs")
    {
        let last = folder.rsplit('/').next().unwrap_or(folder);
        if names.contains(&format!("{last}.rs")) || names.contains(&format!("{last}/")) {
            return true;
        }
    }
    above.iter().any(|folder| {
        if GENERIC.contains(&folder.as_str()) {
            return false;
        }
        let last = folder.trim_end_matches('/').rsplit('/').next().unwrap_or(folder);
        names.contains(folder) || names.contains(&format!("{last}/"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = "# Architecture\n\n## Codemap\n\n\
        **`isg/`** — the model. `graph/` holds the graph; `query.rs` searches; `load/` reads files.\n\
        Benches in `benches/isg.rs`.\n\n\
        **`plugin-host/`** — the sandbox. `host_fns/` implements imports; tests in `tests/hostile/`.\n\n\
        **`e2e/`** — Playwright: `tests/load.spec.ts`.\n";

    fn unnamed(files: &[&str]) -> Vec<String> {
        unnamed_files(MAP, &files.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn files_named_by_path_name_or_folder_pass() {
        let files = [
            "isg/src/lib.rs",
            "isg/src/graph/mod.rs",
            "isg/src/graph/builder.rs",
            "isg/src/query.rs",
            "isg/src/load/raw.rs",
            "isg/benches/isg.rs",
            "plugin-host/src/host_fns/core.rs",
            "plugin-host/tests/hostile/fuel.rs",
            "e2e/tests/load.spec.ts",
            "isg/Cargo.toml",
            "README.md",
        ];
        assert_eq!(unnamed(&files), Vec::<String>::new());
    }

    #[test]
    fn a_file_the_map_does_not_name_is_reported() {
        let files = [
            "isg/src/model.rs",
            "isg/tests/samples.rs",
            "plugin-host/src/host.rs",
            "e2e/tests/other.spec.ts",
            "studio-core/src/lib.rs",
        ];
        assert_eq!(unnamed(&files), files.map(str::to_owned).to_vec());
    }

    #[test]
    fn only_the_folders_own_paragraph_counts() {
        // `query.rs` is named under isg/, not under plugin-host/.
        assert_eq!(unnamed(&["plugin-host/src/query.rs"]), vec!["plugin-host/src/query.rs".to_owned()]);
    }
}
