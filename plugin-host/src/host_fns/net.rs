//! `pt_net` ([`Capability::NetworkAccess`]): GETs through the host, to allow-listed hosts only.

use super::{
    FetchRequest, Guest, HostFault, HostResult, Implementation, args, charge, cost, count_len, enter, implement,
    read_text, text_len,
};
use crate::abi::NetStatus;
use crate::audit::AuditKind;

pub(super) const FUNCTIONS: &[Implementation] = &[implement(pt_abi::MODULE_NET, "fetch", fetch)];
/// The host of an `http(s)://` URL, lower-cased; `None` for anything else.
fn url_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') {
        return None;
    }
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { authority });
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn fetch(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [url, url_len, dst, cap] = args(a);
    let [url, _] = enter(g, "pt_net.fetch", [(url, count_len(url_len, 1)), (dst, count_len(cap, 1))])?;
    // Every outcome records an audit event.
    charge(g, cost::CALL + cost::text(text_len(&url)) + cost::AUDIT_EVENT)?;
    let url = read_text(g, &url);
    let state = g.state();
    let plugin = state.plugin.clone();
    let Some(host) = url_host(&url) else {
        state.audit.record(&plugin, AuditKind::Denied, format!("fetch of malformed URL {url:?}"));
        return Ok(Some(NetStatus::BadUrl as i32));
    };
    if !state.allow.contains(&host) {
        state.audit.record(
            &plugin,
            AuditKind::Denied,
            format!("fetch of {url:?}: host {host:?} is not on the allow-list"),
        );
        return Ok(Some(NetStatus::Denied as i32));
    }
    state.audit.record(&plugin, AuditKind::CapabilityUse, format!("fetch {url:?}"));
    Err(HostFault::Fetch(FetchRequest { url, dst: dst as u32, cap: cap as u32 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_hosts() {
        assert_eq!(url_host("https://API.example.com/x?y").as_deref(), Some("api.example.com"));
        assert_eq!(url_host("http://example.com:8080").as_deref(), Some("example.com"));
        assert_eq!(url_host("https://evil.com@example.com/"), None);
        assert_eq!(url_host("file:///etc/passwd"), None);
        assert_eq!(url_host("https:///x"), None);
    }

    #[test]
    fn net_status_codes_are_negative() {
        assert!((NetStatus::Denied as i32) < 0 && (NetStatus::Failed as i32) < 0);
    }
}
