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
pub const CORE_MODULE: &str = pt_abi::MODULE_CORE;

impl Capability {
    /// Every capability, in the order the consent dialog lists them.
    pub const ALL: [Self; 4] = [Self::ReadIsg, Self::WriteVisualization, Self::NetworkAccess, Self::FileSystemAccess];

    /// The import module this capability links.
    pub const fn module(self) -> &'static str {
        match self {
            Self::ReadIsg => pt_abi::MODULE_ISG,
            Self::WriteVisualization => pt_abi::MODULE_VIZ,
            Self::NetworkAccess => pt_abi::MODULE_NET,
            Self::FileSystemAccess => pt_abi::MODULE_FS,
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

pub use pt_abi::{HOST_FUNCTIONS, host_function_index};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_host_module_is_core_or_a_capability() {
        for h in HOST_FUNCTIONS {
            assert!(h.module == CORE_MODULE || Capability::for_module(h.module).is_some(), "{}.{}", h.module, h.name);
            assert_eq!(host_function_index(h.module, h.name).map(|i| HOST_FUNCTIONS[i]), Some(*h));
        }
        for c in Capability::ALL {
            assert!(HOST_FUNCTIONS.iter().any(|h| h.module == c.module()), "{c} links nothing");
        }
    }
}
