//! Typed errors for everything a plugin can do wrong, each with a text for the UI.

use crate::capability::Capability;
use crate::manifest::PluginKind;
use crate::params::ParamError;

/// Why a plugin could not be loaded or a call did not complete. Every variant names the plugin.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PluginError {
    /// Not valid wasm, over a size or validation bound, or using a feature the host forbids.
    #[error("plugin {plugin} is not a valid module: {reason}")]
    InvalidModule {
        /// `name@version`.
        plugin: String,
        /// What is wrong, from the validator where it had something to say.
        reason: String,
    },
    /// The module was built against another plugin ABI, or lacks the ABI exports.
    #[error("plugin {plugin} does not speak plugin ABI {expected}: it {found}")]
    AbiMismatch {
        /// `name@version`.
        plugin: String,
        /// The ABI this host implements.
        expected: u32,
        /// What the module reported or lacked, as a verb phrase ("reports ABI 2", "has no …").
        found: String,
    },
    /// The module's entry point is that of another kind than the manifest declares.
    #[error(
        "plugin {plugin} is declared kind \"{declared}\" in plugin.toml, but its module exports {export}, the entry point of kind \"{found}\""
    )]
    KindMismatch {
        /// `name@version`.
        plugin: String,
        /// The kind in `plugin.toml`.
        declared: PluginKind,
        /// The kind the module's entry point is for.
        found: PluginKind,
        /// The entry point the module exports.
        export: &'static str,
    },
    /// The module imports something its grants do not link.
    #[error("{}", capability_denied_text(plugin, import, *capability))]
    CapabilityDenied {
        /// `name@version`.
        plugin: String,
        /// `module.name` of the import.
        import: String,
        /// The capability that would link it; `None` when no capability does.
        capability: Option<Capability>,
    },
    /// The call used up its fuel.
    #[error(
        "plugin {plugin} ran out of fuel after {fuel} units; it was stopped (raise the fuel limit if it needs more)"
    )]
    OutOfFuel {
        /// `name@version`.
        plugin: String,
        /// The fuel the call had.
        fuel: u64,
    },
    /// The plugin asked for more linear memory or table space than allowed.
    #[error("plugin {plugin} hit its memory limit: {detail}")]
    MemoryLimit {
        /// `name@version`.
        plugin: String,
        /// What it asked for against what it may have.
        detail: String,
    },
    /// Recursion went deeper than the host allows.
    #[error("plugin {plugin} overflowed its stack (recursion too deep)")]
    StackOverflow {
        /// `name@version`.
        plugin: String,
    },
    /// A host function was given a pointer and length outside the plugin's linear memory.
    #[error("plugin {plugin} passed {function} the range {ptr:#x}+{len}, outside its {memory}-byte memory")]
    BadPointer {
        /// `name@version`.
        plugin: String,
        /// The host function, `module.name`.
        function: &'static str,
        /// Start of the range.
        ptr: u32,
        /// Length of the range in bytes.
        len: u64,
        /// The size of linear memory at the time.
        memory: usize,
    },
    /// The plugin's output broke the ABI's rules (wrong count, not finite, too large, bad overlay).
    #[error("plugin {plugin} produced invalid output: {reason}")]
    InvalidOutput {
        /// `name@version`.
        plugin: String,
        /// Which rule it broke.
        reason: String,
    },
    /// The parameters did not match the plugin's schema.
    #[error("plugin {plugin}: {source}")]
    Params {
        /// `name@version`.
        plugin: String,
        /// The schema violation.
        source: ParamError,
    },
    /// The fuel budget asked for the call is outside the host's range.
    #[error("plugin {plugin}: {source}")]
    FuelBudget {
        /// `name@version`.
        plugin: String,
        /// The budget and the range.
        source: crate::policy::FuelBudgetError,
    },
    /// The plugin trapped, panicked or reported failure.
    #[error("plugin {plugin} failed: {message}")]
    Trap {
        /// `name@version`.
        plugin: String,
        /// The trap, or the plugin's own failure message.
        message: String,
    },
    /// The user stopped the call.
    #[error("plugin {plugin} was cancelled")]
    Cancelled {
        /// `name@version`.
        plugin: String,
    },
}

fn capability_denied_text(plugin: &str, import: &str, capability: Option<Capability>) -> String {
    match capability {
        Some(c) => format!("plugin {plugin} imports {import}, which needs the {c} capability, and it was not granted"),
        None => format!("plugin {plugin} imports {import}, which no capability provides"),
    }
}

impl PluginError {
    /// A short stable name for metrics, the audit trail and tests.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::InvalidModule { .. } => "InvalidModule",
            Self::AbiMismatch { .. } => "AbiMismatch",
            Self::KindMismatch { .. } => "KindMismatch",
            Self::CapabilityDenied { .. } => "CapabilityDenied",
            Self::OutOfFuel { .. } => "OutOfFuel",
            Self::MemoryLimit { .. } => "MemoryLimit",
            Self::StackOverflow { .. } => "StackOverflow",
            Self::BadPointer { .. } => "BadPointer",
            Self::InvalidOutput { .. } => "InvalidOutput",
            Self::Params { .. } => "Params",
            Self::FuelBudget { .. } => "FuelBudget",
            Self::Trap { .. } => "Trap",
            Self::Cancelled { .. } => "Cancelled",
        }
    }

    /// Whether this is a resource limit the policy enforced, as opposed to a bug in the plugin.
    pub const fn is_limit(&self) -> bool {
        matches!(self, Self::OutOfFuel { .. } | Self::MemoryLimit { .. } | Self::StackOverflow { .. })
    }
}

/// Why a [`crate::PluginHost`] could not be set up.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum HostSetupError {
    /// A limit of the policy is zero or otherwise unusable.
    #[error("host policy: {0}")]
    Policy(#[from] crate::policy::PolicyError),
    /// wasmi refused to link our own host functions (a test guards against this).
    #[error("linking the host functions failed: {0}")]
    Link(String),
}
