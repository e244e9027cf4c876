//! `pt_net` ([`Capability::NetworkAccess`]): GETs through the host, to allow-listed hosts only.

use wasmi::Linker;

use super::{FetchRequest, Host, HostFault, HostState, charge, cost, count_len, enter, guest, slot, text, text_len};
use crate::abi::NetStatus;
use crate::audit::AuditKind;
use crate::capability::Capability;

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

pub(super) fn link(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = Capability::NetworkAccess.module();
    let s = slot(m, "fetch");
    linker.func_wrap(
        m,
        "fetch",
        move |mut c: Host<'_>, url: i32, url_len: i32, dst: i32, cap: i32| -> Result<i32, wasmi::Error> {
            let f = "pt_net.fetch";
            let [url, _] = enter(&mut c, s, f, [(url, count_len(url_len, 1)), (dst, count_len(cap, 1))])?;
            // Every outcome records an audit event.
            charge(&mut c, cost::CALL + cost::text(text_len(&url)) + cost::AUDIT_EVENT)?;
            let (memory, state) = guest(&mut c)?;
            let url = text(&memory[url]);
            let plugin = state.plugin.clone();
            let Some(host) = url_host(&url) else {
                state.audit.record(&plugin, AuditKind::Denied, format!("fetch of malformed URL {url:?}"));
                return Ok(NetStatus::BadUrl as i32);
            };
            if !state.allow.contains(&host) {
                state.audit.record(
                    &plugin,
                    AuditKind::Denied,
                    format!("fetch of {url:?}: host {host:?} is not on the allow-list"),
                );
                return Ok(NetStatus::Denied as i32);
            }
            state.audit.record(&plugin, AuditKind::CapabilityUse, format!("fetch {url:?}"));
            Err(wasmi::Error::host(HostFault::Fetch(FetchRequest { url, dst: dst as u32, cap: cap as u32 })))
        },
    )?;
    Ok(())
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
