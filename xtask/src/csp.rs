//! The app's Content-Security-Policy, written into the built `index.html` by a trunk post-build
//! hook (`cargo xtask csp`, see Trunk.toml).
//!
//! A `<meta http-equiv>` policy works wherever the files are served from (a static host, an object
//! store, `python3 -m http.server` in the tests), so it is what the app ships. Trunk writes one
//! inline module script that starts the app; the policy allows exactly that script by its SHA-256,
//! never `'unsafe-inline'`, and WebAssembly through `'wasm-unsafe-eval'`, never `'unsafe-eval'`.
//!
//! Under `trunk serve` the page also holds trunk's live-reload script, whose host trunk fills in
//! when it serves the page; `cargo xtask serve` names the hosts in `PT_CSP_SERVE_HOSTS` so the hook
//! can allow the script as it will be served.

use std::path::Path;

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The policy, less the hashes of the page's inline scripts.
const POLICY: &[&str] = &[
    "default-src 'none'",
    // The app's module, its wasm, and the worker's loader come from the app's own origin.
    "script-src 'self' 'wasm-unsafe-eval' {hashes}",
    "worker-src 'self'",
    // ISG files may come from any URL the user types, and plugins fetch their allow-listed hosts
    // through the host; both use plain fetches. The live-reload socket of `trunk serve` is 'self'.
    "connect-src 'self' http: https:",
    "img-src 'self' data: blob:",
    "style-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
];

/// The marker trunk's live-reload script holds until trunk serves the page.
const ADDRESS_MARKER: &str = "'{{__TRUNK_ADDRESS__}}'";
const WS_BASE_MARKER: &str = "{{__TRUNK_WS_BASE__}}";
/// What precedes the policy's meta tag in the page.
const META_INDENT: &str = "\n    ";

/// The bodies of the inline scripts in `html` (scripts without `src`), exactly as written.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else { break };
        if !tag.contains(" src=") {
            scripts.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    scripts
}

fn hash(body: &str) -> String {
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes())))
}

/// The policy for a page whose inline scripts are `scripts`; a live-reload script is also allowed
/// as trunk will serve it on each of `serve_hosts` (`host:port`).
#[must_use]
pub fn policy(scripts: &[&str], serve_hosts: &[String]) -> String {
    let mut hashes: Vec<String> = Vec::new();
    for body in scripts {
        hashes.push(hash(body));
        if body.contains(ADDRESS_MARKER) {
            for host in serve_hosts {
                let served = body.replace(ADDRESS_MARKER, &format!("'{host}'")).replace(WS_BASE_MARKER, "/");
                hashes.push(hash(&served));
            }
        }
    }
    hashes.dedup();
    POLICY.join("; ").replace("{hashes}", &hashes.join(" "))
}

/// `html` with its policy at the top of `<head>`, after the character set (replacing one written
/// before), so it applies to every script after it.
///
/// # Errors
/// The page has no `<head>`.
pub fn with_policy(html: &str, serve_hosts: &[String]) -> Result<String> {
    let without = match html.find("<meta http-equiv=\"Content-Security-Policy\"") {
        Some(at) => {
            let end = at + html[at..].find('>').context("unterminated CSP meta tag")? + 1;
            let start = at - if html[..at].ends_with(META_INDENT) { META_INDENT.len() } else { 0 };
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_owned(),
    };
    let head = without.find("<head>").context("the page has no <head>")? + "<head>".len();
    // After the character set, which must come first; before every script.
    let head = match without[head..].find("<meta charset") {
        Some(at) => head + at + without[head + at..].find('>').context("unterminated charset meta tag")? + 1,
        None => head,
    };
    let meta = format!(
        "{META_INDENT}<meta http-equiv=\"Content-Security-Policy\" content=\"{}\" />",
        policy(&inline_scripts(&without), serve_hosts)
    );
    Ok(format!("{}{meta}{}", &without[..head], &without[head..]))
}

/// The post-build hook: adds the policy to `index.html` in trunk's staging directory.
///
/// # Errors
/// Not run by trunk (no `TRUNK_STAGING_DIR`), or the page cannot be read or written.
pub fn write_policy(dir: Option<&Path>) -> Result<()> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => std::env::var_os("TRUNK_STAGING_DIR")
            .map(Into::into)
            .context("`cargo xtask csp` is trunk's post-build hook: it needs TRUNK_STAGING_DIR, or --dir")?,
    };
    let page = dir.join("index.html");
    let html = std::fs::read_to_string(&page).with_context(|| page.display().to_string())?;
    let hosts: Vec<String> = std::env::var("PT_CSP_SERVE_HOSTS")
        .unwrap_or_default()
        .split(',')
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .collect();
    let out = with_policy(&html, &hosts)?;
    if !out.contains("'sha256-") && html.contains("<script") {
        bail!("{}: no inline script was hashed", page.display());
    }
    std::fs::write(&page, out).with_context(|| page.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><head>\n<title>t</title>\n<script type=\"module\">\nimport init from '/app.js';\n</script>\n\
                        <script src=\"/other.js\"></script></head><body></body></html>";

    #[test]
    fn the_policy_goes_first_and_hashes_each_inline_script() {
        let out = with_policy(PAGE, &[]).unwrap();
        let meta = out.find("Content-Security-Policy").unwrap();
        assert!(meta < out.find("<script").unwrap(), "the policy precedes the scripts");
        let expected = hash("\nimport init from '/app.js';\n");
        assert!(out.contains(&expected), "{out}");
        assert_eq!(out.matches("'sha256-").count(), 1, "scripts with src are not hashed");
        for must in ["object-src 'none'", "base-uri 'none'", "worker-src 'self'", "'wasm-unsafe-eval'"] {
            assert!(out.contains(must), "{must}");
        }
        assert!(!out.contains("unsafe-inline") && !out.contains("'unsafe-eval'"));
        // Running it again replaces the policy rather than adding a second one.
        assert_eq!(with_policy(&out, &[]).unwrap(), out);
    }

    #[test]
    fn the_live_reload_script_is_allowed_as_served() {
        let reload = "const address = '{{__TRUNK_ADDRESS__}}'; const base = '{{__TRUNK_WS_BASE__}}';";
        let page = format!("<html><head><script>{reload}</script></head></html>");
        let out = with_policy(&page, &["127.0.0.1:8080".into()]).unwrap();
        let served = "const address = '127.0.0.1:8080'; const base = '/';";
        assert!(out.contains(&hash(served)), "{out}");
        assert!(out.contains(&hash(reload)));
    }
}
