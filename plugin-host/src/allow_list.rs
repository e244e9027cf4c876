//! Which host names a plugin's `[network] allow` list may hold.
//!
//! Only public DNS names: at least two labels of lower-case letters, digits and `-`, a top-level
//! label that is not a number. Bare IP addresses (which covers every private, link-local,
//! unspecified and metadata address, `169.254.169.254` included) are refused, and so are the
//! names that point into this machine or its network (`localhost`, `*.local`, `*.internal`, …),
//! unless a development policy allows loopback names.

use std::fmt;

/// The host's rules for allow-list entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetworkRules {
    /// Allow `localhost` and `*.localhost` (for developing a plugin against a local server).
    pub allow_loopback: bool,
}

/// Why an allow-list entry was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowEntryProblem {
    /// Not a host name: characters outside `a-z`, `0-9`, `-` and `.`, an empty label, a label
    /// starting or ending with `-`, or too long.
    NotAHostName,
    /// A single label (`intranet`, `0`): names that resolve on the local network.
    NoDot,
    /// An IP address rather than a name.
    BareIp,
    /// A name for this machine.
    Loopback,
    /// A name for the local network (`*.local`, `*.internal`, `*.lan`, `*.home.arpa`, …).
    LocalNetwork,
}

impl fmt::Display for AllowEntryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotAHostName => "it is not a lower-case host name (labels of a-z, 0-9 and '-', separated by dots)",
            Self::NoDot => "a host name needs at least one dot; single names resolve on the local network",
            Self::BareIp => "bare IP addresses are refused: name a public host",
            Self::Loopback => {
                "it names this machine (loopback), which plugins may reach only under a development policy"
            }
            Self::LocalNetwork => "it names a host on the local network, which plugins may not reach",
        })
    }
}

/// Suffixes of names that resolve inside a local network rather than on the internet.
const LOCAL_SUFFIXES: &[&str] = &[
    "local",
    "internal",
    "intranet",
    "lan",
    "home",
    "corp",
    "private",
    "home.arpa",
    "in-addr.arpa",
    "ip6.arpa",
    "localdomain",
];

/// Checks one allow-list entry.
///
/// # Errors
/// The first problem found.
pub fn check_allow_entry(entry: &str, rules: NetworkRules) -> Result<(), AllowEntryProblem> {
    let labels: Vec<&str> = entry.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if entry.is_empty() || entry.len() > 253 || !labels.iter().all(label_ok) {
        return Err(AllowEntryProblem::NotAHostName);
    }
    let last = labels[labels.len() - 1];
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AllowEntryProblem::BareIp);
    }
    let loopback = last == "localhost";
    if loopback {
        return if rules.allow_loopback { Ok(()) } else { Err(AllowEntryProblem::Loopback) };
    }
    if labels.len() < 2 {
        return Err(AllowEntryProblem::NoDot);
    }
    let local = LOCAL_SUFFIXES.iter().any(|suffix| entry == *suffix || entry.ends_with(&format!(".{suffix}")));
    if local {
        return Err(AllowEntryProblem::LocalNetwork);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_names_pass() {
        for entry in ["api.example.org", "raw.githubusercontent.com", "xn--bcher-kva.example", "a-b.c0.io"] {
            assert_eq!(check_allow_entry(entry, NetworkRules::default()), Ok(()), "{entry}");
        }
    }

    #[test]
    fn addresses_and_local_names_are_refused() {
        let cases = [
            ("localhost", AllowEntryProblem::Loopback),
            ("api.localhost", AllowEntryProblem::Loopback),
            ("127.0.0.1", AllowEntryProblem::BareIp),
            ("169.254.169.254", AllowEntryProblem::BareIp),
            ("10.0.0.8", AllowEntryProblem::BareIp),
            ("192.168.1.1", AllowEntryProblem::BareIp),
            ("0.0.0.0", AllowEntryProblem::BareIp),
            ("0", AllowEntryProblem::BareIp),
            ("127.1", AllowEntryProblem::BareIp),
            ("2130706433", AllowEntryProblem::BareIp),
            ("intranet", AllowEntryProblem::NoDot),
            ("printer.local", AllowEntryProblem::LocalNetwork),
            ("metadata.google.internal", AllowEntryProblem::LocalNetwork),
            ("router.home.arpa", AllowEntryProblem::LocalNetwork),
            ("..", AllowEntryProblem::NotAHostName),
            (".example.org", AllowEntryProblem::NotAHostName),
            ("example.org.", AllowEntryProblem::NotAHostName),
            ("-x.example.org", AllowEntryProblem::NotAHostName),
            ("[::1]", AllowEntryProblem::NotAHostName),
            ("::1", AllowEntryProblem::NotAHostName),
            ("Example.org", AllowEntryProblem::NotAHostName),
            ("https://x.org/", AllowEntryProblem::NotAHostName),
            ("", AllowEntryProblem::NotAHostName),
        ];
        for (entry, problem) in cases {
            assert_eq!(check_allow_entry(entry, NetworkRules::default()), Err(problem), "{entry}");
        }
    }

    #[test]
    fn a_development_policy_allows_loopback_names_only() {
        let dev = NetworkRules { allow_loopback: true };
        assert_eq!(check_allow_entry("localhost", dev), Ok(()));
        assert_eq!(check_allow_entry("127.0.0.1", dev), Err(AllowEntryProblem::BareIp));
        assert_eq!(check_allow_entry("printer.local", dev), Err(AllowEntryProblem::LocalNetwork));
    }
}
