//! Typed errors for everything a plugin can do wrong, each with a text for the UI.

use crate::capability::Capability;
use crate::manifest::PluginKind;
use crate::params::ParamError;

/// What went wrong with a plugin (the plugin is named by the [`PluginError`] holding it). Each
/// message reads after "plugin NAME@VERSION ".
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not valid wasm, over a size or validation bound, or using a feature the host forbids.
    #[error("is not a valid module: {reason}")]
    InvalidModule {
        /// What is wrong, from the validator where it had something to say.
        reason: String,
    },
    /// The module was built against another plugin ABI, or lacks the ABI exports.
    #[error("does not speak plugin ABI {expected}: it {found}")]
    AbiMismatch {
        /// The ABI this host implements.
        expected: u32,
        /// What the module reported or lacked, as a verb phrase ("reports ABI 2", "has no …").
        found: String,
    },
    /// The module's entry point is that of another kind than the manifest declares.
    #[error(
        "is declared kind \"{declared}\" in plugin.toml, but its module exports {export}, the entry point of kind \"{found}\""
    )]
    KindMismatch {
        /// The kind in `plugin.toml`.
        declared: PluginKind,
        /// The kind the module's entry point is for.
        found: PluginKind,
        /// The entry point the module exports.
        export: &'static str,
    },
    /// The module imports something its grants do not link.
    #[error("{}", capability_denied_text(import, *capability))]
    CapabilityDenied {
        /// `module.name` of the import.
        import: String,
        /// The capability that would link it; `None` when no capability does.
        capability: Option<Capability>,
    },
    /// The call used up its fuel.
    #[error("ran out of fuel after {fuel} units; it was stopped (raise the fuel limit if it needs more)")]
    OutOfFuel {
        /// The fuel the call had.
        fuel: u64,
    },
    /// The plugin asked for more linear memory or table space than allowed.
    #[error("hit its memory limit: {detail}")]
    MemoryLimit {
        /// What it asked for against what it may have.
        detail: String,
    },
    /// Recursion went deeper than the host allows.
    #[error("overflowed its stack (recursion too deep)")]
    StackOverflow,
    /// A host function was given a pointer and length outside the plugin's linear memory.
    #[error("passed {function} the range {ptr:#x}+{len}, outside its {memory}-byte memory")]
    BadPointer {
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
    #[error("produced invalid output: {reason}")]
    InvalidOutput {
        /// Which rule it broke.
        reason: String,
    },
    /// The parameters did not match the plugin's schema.
    #[error("{source}")]
    Params {
        /// The schema violation.
        source: ParamError,
    },
    /// The fuel budget asked for the call is outside the host's range.
    #[error("{source}")]
    FuelBudget {
        /// The budget and the range.
        source: crate::policy::FuelBudgetError,
    },
    /// The plugin trapped, panicked or reported failure.
    #[error("failed: {message}")]
    Trap {
        /// The trap, or the plugin's own failure message.
        message: String,
    },
    /// The user stopped the call.
    #[error("was cancelled")]
    Cancelled,
}

fn capability_denied_text(import: &str, capability: Option<Capability>) -> String {
    match capability {
        Some(c) => format!("imports {import}, which needs the {c} capability, and it was not granted"),
        None => format!("imports {import}, which no capability provides"),
    }
}

/// Why a plugin could not be loaded or a call did not complete: which plugin, and what kind of
/// failure (as wasmi's `Error { kind }`).
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("plugin {plugin}{}{kind}", separator(kind))]
pub struct PluginError {
    /// `name@version`.
    pub plugin: String,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// Parameter and fuel errors read as "plugin X: …", the others as "plugin X …".
fn separator(kind: &ErrorKind) -> &'static str {
    if matches!(kind, ErrorKind::Params { .. } | ErrorKind::FuelBudget { .. }) { ": " } else { " " }
}

impl PluginError {
    /// A `kind` of failure of `plugin`.
    pub fn new(plugin: impl Into<String>, kind: ErrorKind) -> Self {
        Self { plugin: plugin.into(), kind }
    }

    /// A short stable name for metrics, the audit trail and tests.
    pub const fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Whether this is a resource limit the policy enforced, as opposed to a bug in the plugin.
    pub const fn is_limit(&self) -> bool {
        self.kind.is_limit()
    }
}

impl ErrorKind {
    /// A short stable name for metrics, the audit trail and tests.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::InvalidModule { .. } => "InvalidModule",
            Self::AbiMismatch { .. } => "AbiMismatch",
            Self::KindMismatch { .. } => "KindMismatch",
            Self::CapabilityDenied { .. } => "CapabilityDenied",
            Self::OutOfFuel { .. } => "OutOfFuel",
            Self::MemoryLimit { .. } => "MemoryLimit",
            Self::StackOverflow => "StackOverflow",
            Self::BadPointer { .. } => "BadPointer",
            Self::InvalidOutput { .. } => "InvalidOutput",
            Self::Params { .. } => "Params",
            Self::FuelBudget { .. } => "FuelBudget",
            Self::Trap { .. } => "Trap",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Whether this is a resource limit the policy enforced, as opposed to a bug in the plugin.
    pub const fn is_limit(&self) -> bool {
        matches!(self, Self::OutOfFuel { .. } | Self::MemoryLimit { .. } | Self::StackOverflow)
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
