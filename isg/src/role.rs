//! What a piece of code is for, read from where it lives: the crate's own source, its tests,
//! benches or examples, or a placeholder for something outside the codebase.

use crate::graph::{Graph, NodeId};

/// What a node's code is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeRole {
    /// Library or binary source.
    Src,
    /// Tests: under a `tests` or `test` folder, or a `tests.rs` / `test.rs` / `*_test(s).rs` file.
    Test,
    /// Benchmarks: under a `benches` or `bench` folder.
    Bench,
    /// Examples: under an `examples` folder.
    Example,
    /// A placeholder for something outside the codebase.
    External,
}

impl CodeRole {
    /// Every role, in the order a filter lists them.
    pub const ALL: [Self; 5] = [Self::Src, Self::Test, Self::Bench, Self::Example, Self::External];

    /// A word for the role, as the filter shows it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Src => "source",
            Self::Test => "tests",
            Self::Bench => "benches",
            Self::Example => "examples",
            Self::External => "external",
        }
    }

    /// The role of code in the file at `path` (relative, `/`-separated).
    #[must_use]
    pub fn of_path(path: &str) -> Self {
        let mut parts = path.split(['/', '\\']).filter(|p| !p.is_empty() && *p != ".");
        let file = parts.next_back().unwrap_or("");
        for folder in parts {
            match folder {
                "tests" | "test" => return Self::Test,
                "benches" | "bench" => return Self::Bench,
                "examples" => return Self::Example,
                _ => {}
            }
        }
        let stem = file.strip_suffix(".rs").unwrap_or(file);
        if matches!(stem, "tests" | "test") || stem.ends_with("_test") || stem.ends_with("_tests") {
            Self::Test
        } else {
            Self::Src
        }
    }
}

impl Graph {
    /// What node `n`'s code is for.
    #[must_use]
    pub fn role(&self, n: NodeId) -> CodeRole {
        if self.is_external(n) { CodeRole::External } else { CodeRole::of_path(self.file_path(n)) }
    }
}

#[cfg(test)]
mod tests {
    use super::CodeRole;

    #[test]
    fn roles_come_from_folders_and_file_names() {
        for (path, role) in [
            ("src/runtime/task/mod.rs", CodeRole::Src),
            ("tests/sync_mpsc.rs", CodeRole::Test),
            ("tokio/tests/io_async_fd.rs", CodeRole::Test),
            ("src/runtime/tests/loom_pool.rs", CodeRole::Test),
            ("src/sync/tests.rs", CodeRole::Test),
            ("src/parser_tests.rs", CodeRole::Test),
            ("benches/spawn.rs", CodeRole::Bench),
            ("examples/chat.rs", CodeRole::Example),
            ("src/testing.rs", CodeRole::Src),
            ("src/latest/mod.rs", CodeRole::Src),
            ("", CodeRole::Src),
        ] {
            assert_eq!(CodeRole::of_path(path), role, "{path}");
        }
    }
}
