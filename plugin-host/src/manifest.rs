//! `plugin.toml`: what a plugin is, what it may touch and what it needs, parsed strictly.
//!
//! Every table rejects unknown fields, so a typo such as `read_isgg = true` is an error that names the
//! field instead of a capability silently not being requested. Capabilities default to `false`.

use std::collections::BTreeMap;
use std::fmt;

use semver::{Version, VersionReq};
use serde::{Deserialize, Serialize};

use crate::allow_list::{AllowEntryProblem, NetworkRules, check_allow_entry};
use crate::capability::Capability;
use crate::params::{BadDefault, ParamSpec};

/// The host API this build implements. Plugins state the range they accept in `plugin.host_api`.
/// 1.1 added `pt_viz.set_edge_marks` and the box shape; 1.2 the entry points named by kind
/// (`pt_run_layout`, …), so the host can check a module is the kind its manifest says; 1.3 the
/// `legend` overlay, a renderer's key to its colours and glyphs; 1.4 `pt_viz.set_edge_routes`, bends
/// a layout gives edges so they are drawn as polylines; 1.5 `pt_core.mark_finding_edges`, the
/// edges a finding is about.
pub const HOST_API_VERSION: Version = Version::new(1, 5, 0);

/// A parsed and checked `plugin.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Identity and kind.
    pub plugin: PluginInfo,
    /// Capabilities requested; each one the user grants links one import module.
    #[serde(default)]
    pub capabilities: Capabilities,
    /// Hosts the plugin may fetch from when `network_access` is granted.
    #[serde(default)]
    pub network: NetworkPolicy,
    /// Resource requests, capped by the host policy.
    #[serde(default)]
    pub resources: Resources,
    /// Other plugins this one needs loaded first: name → semver requirement.
    #[serde(default)]
    pub dependencies: BTreeMap<String, VersionReq>,
    /// Catalogue metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// Parameters the app draws a form for, by name.
    #[serde(default)]
    pub parameters: BTreeMap<String, ParamSpec>,
}

/// `[plugin]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PluginInfo {
    /// Lower-case identifier: letters, digits and `-`.
    pub name: String,
    /// The plugin's own semver version.
    pub version: Version,
    /// Who wrote it.
    pub author: String,
    /// One or two sentences shown in the catalogue and the consent dialog.
    pub description: String,
    /// What the plugin produces.
    pub kind: PluginKind,
    /// The host API versions the plugin works with, e.g. `"^1.0"`.
    pub host_api: VersionReq,
}

/// What a plugin produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PluginKind {
    /// Positions per node, optionally progressive.
    Layout,
    /// Styles per node and edge, plus overlays.
    Renderer,
    /// Findings and metric tables.
    Analysis,
    /// A file: bytes and a name (the host picks the MIME type).
    Exporter,
}

impl PluginKind {
    /// Every kind, in the order the app lists them.
    pub const ALL: [Self; 4] = [Self::Layout, Self::Renderer, Self::Analysis, Self::Exporter];

    /// The export a module of this kind runs through (host API 1.2); the SDK macro of the same
    /// name as the kind (`layout!`, `renderer!`, `analysis!`, `exporter!`) writes it.
    pub const fn entry_point(self) -> &'static str {
        match self {
            Self::Layout => crate::abi::EXPORT_RUN_LAYOUT,
            Self::Renderer => crate::abi::EXPORT_RUN_RENDERER,
            Self::Analysis => crate::abi::EXPORT_RUN_ANALYSIS,
            Self::Exporter => crate::abi::EXPORT_RUN_EXPORTER,
        }
    }

    /// The kind whose entry point is `export`.
    pub fn for_entry_point(export: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.entry_point() == export)
    }
}

impl fmt::Display for PluginKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Layout => "layout",
            Self::Renderer => "renderer",
            Self::Analysis => "analysis",
            Self::Exporter => "exporter",
        })
    }
}

/// `[capabilities]`: all `false` unless the manifest says otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// Read the loaded graph (`pt_isg`).
    #[serde(default)]
    pub read_isg: bool,
    /// Set positions, styles, labels and overlays (`pt_viz`).
    #[serde(default)]
    pub write_visualization: bool,
    /// Fetch from allow-listed hosts through the host (`pt_net`).
    #[serde(default)]
    pub network_access: bool,
    /// A private per-plugin folder in browser storage (`pt_fs`).
    #[serde(default)]
    pub file_system_access: bool,
    /// Reserved: no host grants it yet, so asking for it is an error.
    #[serde(default)]
    pub gpu_access: bool,
}

impl Capabilities {
    /// The capabilities set to `true`, in a fixed order.
    pub fn requested(&self) -> Vec<Capability> {
        Capability::ALL.into_iter().filter(|c| self.contains(*c)).collect()
    }

    /// Whether `capability` is set.
    pub fn contains(&self, capability: Capability) -> bool {
        match capability {
            Capability::ReadIsg => self.read_isg,
            Capability::WriteVisualization => self.write_visualization,
            Capability::NetworkAccess => self.network_access,
            Capability::FileSystemAccess => self.file_system_access,
        }
    }

    /// The same set with `capability` switched on or off.
    pub fn with(mut self, capability: Capability, on: bool) -> Self {
        match capability {
            Capability::ReadIsg => self.read_isg = on,
            Capability::WriteVisualization => self.write_visualization = on,
            Capability::NetworkAccess => self.network_access = on,
            Capability::FileSystemAccess => self.file_system_access = on,
        }
        self
    }
}

impl FromIterator<Capability> for Capabilities {
    /// The set holding exactly these capabilities.
    fn from_iter<I: IntoIterator<Item = Capability>>(iter: I) -> Self {
        iter.into_iter().fold(Self::default(), |set, c| set.with(c, true))
    }
}

/// `[network]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkPolicy {
    /// Host names (exact, lower case) the plugin may fetch from. Empty means none.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// `[resources]`: requests, never more than the host policy's ceilings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// Fuel per call.
    pub fuel: Option<u64>,
    /// Linear memory ceiling in MiB.
    pub memory_mib: Option<u32>,
}

/// `[metadata]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Catalogue category.
    pub category: Option<String>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// SPDX licence expression.
    pub license: Option<String>,
}

/// Why a manifest was rejected.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ManifestError {
    /// TOML syntax, a missing field, a wrong type, an unknown field or a malformed version.
    #[error("plugin.toml: {0}")]
    Parse(String),
    /// The name is not a lower-case identifier.
    #[error("plugin.toml: plugin name {0:?} must be 1–64 characters of a–z, 0–9 and '-'")]
    BadName(String),
    /// The plugin needs a host API this host does not implement.
    #[error("plugin {plugin} needs host API {required}, but this host implements {host}")]
    IncompatibleHostApi {
        /// The plugin's name.
        plugin: String,
        /// What the manifest asks for.
        required: VersionReq,
        /// What this host implements.
        host: Version,
    },
    /// `gpu_access` is reserved.
    #[error("plugin {0} asks for gpu_access, which is reserved and not granted by this host")]
    ReservedCapability(String),
    /// An allow-list entry is not a public host name.
    #[error("plugin {plugin}: network.allow entry {entry:?} is refused: {problem}")]
    BadAllowEntry {
        /// The plugin's name.
        plugin: String,
        /// The offending entry.
        entry: String,
        /// Why it is refused.
        problem: AllowEntryProblem,
    },
    /// A parameter's declaration is inconsistent.
    #[error("plugin {plugin}: parameter {param:?}: {problem}")]
    BadParameter {
        /// The plugin's name.
        plugin: String,
        /// The parameter.
        param: String,
        /// What is wrong with it.
        problem: Box<BadDefault>,
    },
}

impl Manifest {
    /// Parses and checks a `plugin.toml`.
    ///
    /// # Errors
    /// A [`ManifestError`] naming the first problem found.
    pub fn parse(text: &str) -> Result<Self, ManifestError> {
        Self::parse_with(text, NetworkRules::default())
    }

    /// Parses and checks a `plugin.toml` under `rules` for its network allow-list (a development
    /// host may allow loopback names).
    ///
    /// # Errors
    /// A [`ManifestError`] naming the first problem found.
    pub fn parse_with(text: &str, rules: NetworkRules) -> Result<Self, ManifestError> {
        let manifest: Self = toml::from_str(text).map_err(|e| ManifestError::Parse(one_line(&e)))?;
        manifest.check(rules)?;
        Ok(manifest)
    }

    /// Checks the allow-list against `rules` again (the host's, which may be stricter than the
    /// rules the manifest was parsed under).
    ///
    /// # Errors
    /// [`ManifestError::BadAllowEntry`] for the first entry refused.
    pub fn check_allow_list(&self, rules: NetworkRules) -> Result<(), ManifestError> {
        for entry in &self.network.allow {
            check_allow_entry(entry, rules).map_err(|problem| ManifestError::BadAllowEntry {
                plugin: self.plugin.name.clone(),
                entry: entry.clone(),
                problem,
            })?;
        }
        Ok(())
    }

    fn check(&self, rules: NetworkRules) -> Result<(), ManifestError> {
        let name = &self.plugin.name;
        let name_ok = !name.is_empty()
            && name.len() <= 64
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !name_ok {
            return Err(ManifestError::BadName(name.clone()));
        }
        if !self.plugin.host_api.matches(&HOST_API_VERSION) {
            return Err(ManifestError::IncompatibleHostApi {
                plugin: name.clone(),
                required: self.plugin.host_api.clone(),
                host: HOST_API_VERSION,
            });
        }
        if self.capabilities.gpu_access {
            return Err(ManifestError::ReservedCapability(name.clone()));
        }
        self.check_allow_list(rules)?;
        for (param, spec) in &self.parameters {
            spec.check().map_err(|problem| ManifestError::BadParameter {
                plugin: name.clone(),
                param: param.clone(),
                problem: Box::new(problem),
            })?;
        }
        Ok(())
    }

    /// `name@version`, the key grants and audit entries use.
    pub fn id(&self) -> String {
        format!("{}@{}", self.plugin.name, self.plugin.version)
    }
}

/// toml's errors span several lines with a source excerpt; the UI banner wants one.
fn one_line(error: &toml::de::Error) -> String {
    let message = error.message().trim_end_matches('.');
    match error.span() {
        Some(span) => format!("{message} (at byte {})", span.start),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const MINIMAL: &str = r#"
[plugin]
name = "circle"
version = "0.1.0"
author = "Parseltongue Studio"
description = "Places nodes on a circle."
kind = "layout"
host_api = "^1.0"
"#;

    #[test]
    fn minimal_manifest_requests_nothing() {
        let m = Manifest::parse(MINIMAL).unwrap();
        assert_eq!(m.plugin.kind, PluginKind::Layout);
        assert!(m.capabilities.requested().is_empty());
        assert!(m.network.allow.is_empty());
        assert_eq!(m.id(), "circle@0.1.0");
    }

    #[test]
    fn unknown_field_is_named() {
        let text = format!("{MINIMAL}\n[capabilities]\nread_isgg = true\n");
        let err = Manifest::parse(&text).unwrap_err().to_string();
        assert!(err.contains("read_isgg"), "{err}");
        let text = MINIMAL.replace("kind = \"layout\"", "kind = \"layout\"\nhomepage = \"x\"");
        let err = Manifest::parse(&text).unwrap_err().to_string();
        assert!(err.contains("homepage"), "{err}");
    }

    #[test]
    fn bad_semver_is_an_error() {
        let err = Manifest::parse(&MINIMAL.replace("0.1.0", "one")).unwrap_err().to_string();
        assert!(err.contains("plugin.toml"), "{err}");
    }

    #[test]
    fn incompatible_host_api_names_both_versions() {
        let err = Manifest::parse(&MINIMAL.replace("^1.0", "^2.0")).unwrap_err();
        assert_eq!(err.to_string(), "plugin circle needs host API ^2.0, but this host implements 1.5.0");
        // A plugin written for 1.1 (edge marks, boxes) or 1.2 (kind entry points) loads; one asking
        // for a later minor does not.
        assert!(Manifest::parse(&MINIMAL.replace("^1.0", "^1.1")).is_ok());
        assert!(Manifest::parse(&MINIMAL.replace("^1.0", "^1.2")).is_ok());
        assert!(Manifest::parse(&MINIMAL.replace("^1.0", "^1.3")).is_ok(), "1.3: legend overlays");
        assert!(Manifest::parse(&MINIMAL.replace("^1.0", "^1.4")).is_ok(), "1.4: edge routes");
        assert!(
            Manifest::parse(&MINIMAL.replace("^1.0", "^1.5")).is_ok(),
            "1.5: finding edges and positions on screen"
        );
        assert!(Manifest::parse(&MINIMAL.replace("^1.0", "^1.6")).is_err());
    }

    #[test]
    fn gpu_access_is_reserved() {
        let text = format!("{MINIMAL}\n[capabilities]\ngpu_access = true\n");
        assert!(matches!(Manifest::parse(&text), Err(ManifestError::ReservedCapability(_))));
    }

    #[test]
    fn name_and_allow_list_are_checked() {
        assert!(matches!(
            Manifest::parse(&MINIMAL.replace("\"circle\"", "\"Circle!\"")),
            Err(ManifestError::BadName(_))
        ));
        let text = format!("{MINIMAL}\n[network]\nallow = [\"https://x.org/\"]\n");
        assert!(matches!(Manifest::parse(&text), Err(ManifestError::BadAllowEntry { .. })));
        for entry in ["localhost", "127.0.0.1", "169.254.169.254", "0", ".."] {
            let text = format!("{MINIMAL}\n[network]\nallow = [\"{entry}\"]\n");
            let err = Manifest::parse(&text).unwrap_err();
            assert!(matches!(err, ManifestError::BadAllowEntry { .. }), "{entry}: {err}");
        }
        let text = format!("{MINIMAL}\n[network]\nallow = [\"localhost\"]\n");
        let err = Manifest::parse(&text).unwrap_err().to_string();
        assert!(err.contains("\"localhost\" is refused: it names this machine"), "{err}");
        let dev = NetworkRules { allow_loopback: true };
        assert!(Manifest::parse_with(&text, dev).is_ok());
    }

    #[test]
    fn kinds_are_named_like_the_sdk_macros() {
        for (word, kind) in [
            ("layout", PluginKind::Layout),
            ("renderer", PluginKind::Renderer),
            ("analysis", PluginKind::Analysis),
            ("exporter", PluginKind::Exporter),
        ] {
            let m = Manifest::parse(&MINIMAL.replace("kind = \"layout\"", &format!("kind = \"{word}\""))).unwrap();
            assert_eq!(m.plugin.kind, kind);
            assert_eq!(kind.to_string(), word);
            assert_eq!(kind.entry_point(), format!("pt_run_{word}"));
            assert_eq!(PluginKind::for_entry_point(kind.entry_point()), Some(kind));
        }
        let err = Manifest::parse(&MINIMAL.replace("kind = \"layout\"", "kind = \"export\"")).unwrap_err();
        assert!(err.to_string().contains("exporter"), "{err}");
    }

    #[test]
    fn full_manifest_round_trips() {
        let text = format!(
            "{MINIMAL}\n[capabilities]\nread_isg = true\nwrite_visualization = true\n\
             [resources]\nfuel = 1000\nmemory_mib = 16\n[dependencies]\nbase = \"^0.2\"\n\
             [metadata]\ncategory = \"layout\"\ntags = [\"circle\"]\nlicense = \"MIT\"\n\
             [parameters.radius]\ntype = \"number\"\ndefault = 10.0\nmin = 1.0\nmax = 100.0\n"
        );
        let m = Manifest::parse(&text).unwrap();
        assert_eq!(m.capabilities.requested(), vec![Capability::ReadIsg, Capability::WriteVisualization]);
        assert_eq!(m.resources.fuel, Some(1000));
        assert!(m.dependencies["base"].matches(&Version::new(0, 2, 5)));
        assert_eq!(m.metadata.tags, ["circle"]);
        let again = Manifest::parse(&toml::to_string(&m).unwrap()).unwrap();
        assert_eq!(again, m);
    }
}
