//! Capabilities and the host functions each one links.
//!
//! Each capability is exactly one wasm import module. The host links a module only when its
//! capability is granted, and checks every import of a plugin against this table before linking,
//! so an ungranted or unknown import fails at load time with the plugin, the import and the
//! capability named, never at first call.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Something a plugin may be allowed to do beyond computing on its own memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Read the loaded graph: `pt_isg`.
    ReadIsg,
    /// Write positions, styles, labels and overlays: `pt_viz`.
    WriteVisualization,
    /// Fetch from allow-listed hosts through the host: `pt_net`.
    NetworkAccess,
    /// Read and write a private per-plugin folder in browser storage: `pt_fs`.
    FileSystemAccess,
}

/// The import module every plugin gets: logging, progress, failure messages and non-visual output.
pub const CORE_MODULE: &str = "pt_core";

impl Capability {
    /// Every capability, in the order the consent dialog lists them.
    pub const ALL: [Self; 4] = [Self::ReadIsg, Self::WriteVisualization, Self::NetworkAccess, Self::FileSystemAccess];

    /// The import module this capability links.
    pub const fn module(self) -> &'static str {
        match self {
            Self::ReadIsg => "pt_isg",
            Self::WriteVisualization => "pt_viz",
            Self::NetworkAccess => "pt_net",
            Self::FileSystemAccess => "pt_fs",
        }
    }

    /// The manifest key, e.g. `read_isg`.
    pub const fn key(self) -> &'static str {
        match self {
            Self::ReadIsg => "read_isg",
            Self::WriteVisualization => "write_visualization",
            Self::NetworkAccess => "network_access",
            Self::FileSystemAccess => "file_system_access",
        }
    }

    /// What granting it means, in words for the consent dialog.
    pub const fn explanation(self) -> &'static str {
        match self {
            Self::ReadIsg => "read the loaded graph: names, signatures, file paths and edges",
            Self::WriteVisualization => "change node positions, colours, labels and overlays in the view",
            Self::NetworkAccess => "fetch data from the hosts it lists, through Parseltongue Studio",
            Self::FileSystemAccess => "keep files in its own private folder in this browser",
        }
    }

    /// The capability whose module is `module`.
    pub fn for_module(module: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.module() == module)
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Every host function, by import module and name. The index is the audit counter slot.
pub const HOST_FUNCTIONS: &[(&str, &str)] = &[
    (CORE_MODULE, "log"),
    (CORE_MODULE, "progress"),
    (CORE_MODULE, "fail"),
    (CORE_MODULE, "params_len"),
    (CORE_MODULE, "params_read"),
    (CORE_MODULE, "emit_finding"),
    (CORE_MODULE, "emit_metric"),
    (CORE_MODULE, "emit_file"),
    ("pt_isg", "node_count"),
    ("pt_isg", "edge_count"),
    ("pt_isg", "read_edges"),
    ("pt_isg", "read_edge_kinds"),
    ("pt_isg", "read_node_kinds"),
    ("pt_isg", "read_node_flags"),
    ("pt_isg", "read_node_modules"),
    ("pt_isg", "node_kind_name"),
    ("pt_isg", "edge_kind_name"),
    ("pt_isg", "node_name"),
    ("pt_isg", "node_file"),
    ("pt_isg", "node_signature"),
    ("pt_isg", "selected_node"),
    ("pt_viz", "set_positions"),
    ("pt_viz", "set_node_styles"),
    ("pt_viz", "set_edge_styles"),
    ("pt_viz", "set_edge_marks"),
    ("pt_viz", "set_label"),
    ("pt_viz", "add_overlay"),
    ("pt_net", "fetch"),
    ("pt_fs", "write"),
    ("pt_fs", "read"),
];

/// The slot of `module.name` in [`HOST_FUNCTIONS`].
pub fn host_function_index(module: &str, name: &str) -> Option<usize> {
    HOST_FUNCTIONS.iter().position(|(m, n)| *m == module && *n == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_host_module_is_core_or_a_capability() {
        for (module, name) in HOST_FUNCTIONS {
            assert!(*module == CORE_MODULE || Capability::for_module(module).is_some(), "{module}.{name}");
            assert_eq!(host_function_index(module, name).map(|i| HOST_FUNCTIONS[i]), Some((*module, *name)));
        }
        for c in Capability::ALL {
            assert!(HOST_FUNCTIONS.iter().any(|(m, _)| *m == c.module()), "{c} links nothing");
        }
    }
}
