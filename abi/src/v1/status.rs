//! The codes host functions take and return.

/// How serious a finding is (`emit_finding`'s first argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(i32)]
pub enum Severity {
    /// Worth knowing.
    Info = 0,
    /// Worth a look.
    Warning = 1,
    /// Worth fixing.
    Error = 2,
}

impl Severity {
    /// The severity with this code.
    #[must_use]
    pub fn from_code(code: i32) -> Option<Self> {
        match code {
            0 => Some(Self::Info),
            1 => Some(Self::Warning),
            2 => Some(Self::Error),
            _ => None,
        }
    }
}

/// Result status of `pt_net.fetch` when it fetched nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum NetStatus {
    /// The URL's host is not on the allow-list.
    Denied = -1,
    /// The URL is not an `http(s)://host/...` URL.
    BadUrl = -2,
    /// The request failed (unreachable, CORS, HTTP error).
    Failed = -3,
}

impl NetStatus {
    /// The status with this (negative) code.
    #[must_use]
    pub fn from_code(code: i32) -> Option<Self> {
        match code {
            -1 => Some(Self::Denied),
            -2 => Some(Self::BadUrl),
            -3 => Some(Self::Failed),
            _ => None,
        }
    }
}

/// Result status of `pt_fs` calls that did not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum FsStatus {
    /// No file of that name.
    NotFound = -1,
    /// The write would exceed the plugin's storage quota (bytes, names and a per-file overhead)
    /// or its file count.
    QuotaExceeded = -2,
    /// The name is not 1–128 bytes of ASCII letters, digits, `-`, `_` and `.`, starts or ends
    /// with `.`, or is a device name Windows reserves (`CON`, `COM1`, …).
    BadName = -3,
}

impl FsStatus {
    /// The status with this (negative) code.
    #[must_use]
    pub fn from_code(code: i32) -> Option<Self> {
        match code {
            -1 => Some(Self::NotFound),
            -2 => Some(Self::QuotaExceeded),
            -3 => Some(Self::BadName),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in [Severity::Info, Severity::Warning, Severity::Error] {
            assert_eq!(Severity::from_code(s as i32), Some(s));
        }
        for s in [NetStatus::Denied, NetStatus::BadUrl, NetStatus::Failed] {
            assert!((s as i32) < 0);
            assert_eq!(NetStatus::from_code(s as i32), Some(s));
        }
        for s in [FsStatus::NotFound, FsStatus::QuotaExceeded, FsStatus::BadName] {
            assert!((s as i32) < 0);
            assert_eq!(FsStatus::from_code(s as i32), Some(s));
        }
        assert_eq!(Severity::from_code(3), None);
    }
}
