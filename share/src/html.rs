//! The single-file HTML report: the viewer (its wasm-bindgen glue and gzip-compressed wasm, the
//! app's style sheet) and the report's payload inlined in one page that opens from `file://`
//! with no network and no server. Its Content-Security-Policy allows exactly its two inline
//! scripts by hash and WebAssembly through `'wasm-unsafe-eval'`, and nothing may be fetched
//! (`connect-src 'none'`): the report cannot load anything from anywhere.

use base64::Engine as _;
use renderer::svg::xml_escape as escape;
use sha2::{Digest, Sha256};

use crate::payload::{Report, ReportError};
use crate::sections::{ContainerError, Sections, gzip_best};

/// The viewer bundle's magic.
const VIEWER_MAGIC: &[u8; 8] = b"PTVIEWER";
/// The viewer bundle format.
const VIEWER_VERSION: u32 = 1;
/// Bytes a viewer bundle may unpack to.
const VIEWER_MAX: u64 = 256 << 20;
/// The file name the build gives the viewer bundle, beside the app's `index.html`.
pub const VIEWER_FILE: &str = "report-viewer.bin";
/// The id of the element holding the payload (base64 of [`Report::encode`]).
pub const PAYLOAD_ID: &str = "pt-report";
/// The id of the element holding the viewer's gzip-compressed wasm, in base64.
pub const VIEWER_WASM_ID: &str = "pt-viewer";

/// The report viewer as the build made it: its wasm-bindgen glue (a classic script defining
/// `wasm_bindgen`), its wasm gzip-compressed, and the app's style sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewerBundle {
    /// What built it (version and commit), shown in the report.
    pub build: String,
    /// The glue script.
    pub script: String,
    /// The wasm, gzip-compressed (the browser unpacks it with `DecompressionStream`).
    pub wasm_gz: Vec<u8>,
    /// The style sheet.
    pub css: String,
}

/// Why a viewer bundle cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ViewerError {
    /// The bundle file is damaged.
    #[error("the report viewer bundle {0}")]
    Container(#[from] ContainerError),
    /// A text section is not UTF-8.
    #[error("the report viewer bundle's {0} is not UTF-8 text")]
    Text(&'static str),
    /// The glue or style would end its inline element early.
    #[error("the report viewer's {0} contains a closing tag and cannot be inlined")]
    ClosingTag(&'static str),
}

impl ViewerBundle {
    /// Makes a bundle from the build's files: the glue, the raw wasm and the style sheet.
    ///
    /// # Errors
    /// The glue or style sheet holds a closing tag of its element.
    pub fn new(build: String, script: String, wasm: &[u8], css: String) -> Result<Self, ViewerError> {
        let bundle = Self { build, script, wasm_gz: gzip_best(wasm), css };
        bundle.check()?;
        Ok(bundle)
    }

    fn check(&self) -> Result<(), ViewerError> {
        if self.script.to_ascii_lowercase().contains("</script") {
            return Err(ViewerError::ClosingTag("script"));
        }
        if self.css.to_ascii_lowercase().contains("</style") {
            return Err(ViewerError::ClosingTag("style sheet"));
        }
        Ok(())
    }

    /// The bundle as the file [`VIEWER_FILE`].
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut s = Sections::new();
        s.push(b"BILD", self.build.as_bytes().to_vec());
        s.push(b"GLUE", self.script.as_bytes().to_vec());
        s.push(b"WASM", self.wasm_gz.clone());
        s.push(b"CSS ", self.css.as_bytes().to_vec());
        s.encode(VIEWER_MAGIC, VIEWER_VERSION)
    }

    /// Reads a bundle file.
    ///
    /// # Errors
    /// It is damaged, from another format, or not inlinable.
    pub fn decode(bytes: &[u8]) -> Result<Self, ViewerError> {
        let mut s = Sections::decode(bytes, VIEWER_MAGIC, "PTVIEWER", VIEWER_VERSION, VIEWER_MAX)?;
        let text = |bytes: Vec<u8>, what| String::from_utf8(bytes).map_err(|_| ViewerError::Text(what));
        let bundle = Self {
            build: text(s.require(b"BILD", "build")?, "build")?,
            script: text(s.require(b"GLUE", "glue")?, "glue")?,
            wasm_gz: s.require(b"WASM", "wasm")?,
            css: text(s.require(b"CSS ", "style sheet")?, "style sheet")?,
        };
        bundle.check()?;
        Ok(bundle)
    }
}

/// Starts the viewer: unpacks its wasm and hands it to the glue; says what went wrong in words
/// (a browser without `DecompressionStream` or WebAssembly, a damaged file) instead of leaving a
/// blank page. It runs once the page is parsed; the end marker tells a whole file from a cut one.
/// The viewer itself reads the payload.
const BOOT_SCRIPT: &str = r#"document.addEventListener("DOMContentLoaded", async () => {
  const boot = document.getElementById("pt-boot");
  const fail = (why) => {
    boot.textContent = "This report cannot be opened: " + why;
    boot.className = "boot failed";
    boot.setAttribute("data-testid", "report-failed");
  };
  try {
    if (typeof WebAssembly !== "object" || typeof DecompressionStream !== "function") {
      fail("this browser has no WebAssembly or no DecompressionStream; open it in a current Chromium, Firefox or Safari.");
      return;
    }
    if (!document.getElementById("pt-end")) {
      fail("the file is truncated (it ends before its data does); download or copy it again.");
      return;
    }
    const text = document.getElementById("pt-viewer").textContent.trim();
    let bytes;
    try {
      if (typeof Uint8Array.fromBase64 === "function") {
        bytes = Uint8Array.fromBase64(text);
      } else {
        const bin = atob(text);
        bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      }
    } catch (e) {
      fail("the file is damaged (its viewer is not valid base64).");
      return;
    }
    let wasm;
    try {
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      wasm = await new Response(stream).arrayBuffer();
    } catch (e) {
      fail("the file is truncated or damaged (its viewer does not unpack: " + e.message + ").");
      return;
    }
    await wasm_bindgen({ module_or_path: wasm });
  } catch (e) {
    fail("its viewer did not start (" + (e && e.message ? e.message : e) + ").");
  }
});"#;

/// The report's policy; `{scripts}` and `{style}` are the inline elements' hashes.
const POLICY: &[&str] = &[
    "default-src 'none'",
    "script-src {scripts} 'wasm-unsafe-eval'",
    "style-src {style}",
    // PNG and SVG exports are blob downloads; the legend and plots are drawn in the page.
    "img-src data: blob:",
    "connect-src 'none'",
    "worker-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
];

fn hash(body: &str) -> String {
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes())))
}

/// The policy for a report with these inline scripts and style sheet.
#[must_use]
pub fn report_policy(scripts: &[&str], css: &str) -> String {
    let scripts: Vec<String> = scripts.iter().map(|s| hash(s)).collect();
    POLICY.join("; ").replace("{scripts}", &scripts.join(" ")).replace("{style}", &hash(css))
}

/// The single-file report: `viewer` showing `report`.
#[must_use]
pub fn report_html(viewer: &ViewerBundle, report: &Report) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = b64.encode(report.encode());
    let wasm = b64.encode(&viewer.wasm_gz);
    let policy = report_policy(&[&viewer.script, BOOT_SCRIPT], &viewer.css);
    let title = escape(if report.meta.title.is_empty() { "Parseltongue Studio report" } else { &report.meta.title });
    let mut html = String::with_capacity(payload.len() + wasm.len() + viewer.script.len() + viewer.css.len() + 4096);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str(&format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n", escape(&policy)));
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str(&format!("<meta name=\"generator\" content=\"{}\">\n", escape(&viewer.build)));
    // The scripts come first and the data last: a file cut short (a download that stopped) still
    // runs the boot script, which finds its data missing or cut and says so.
    html.push_str(&format!("<title>{title}</title>\n<style>{}</style>\n", viewer.css));
    html.push_str(&format!("<script>{}</script>\n<script>{BOOT_SCRIPT}</script>\n</head>\n<body>\n", viewer.script));
    html.push_str("<div class=\"boot\" id=\"pt-boot\" role=\"status\">Opening the report… (it needs JavaScript and WebAssembly)</div>\n");
    html.push_str(&format!("<script type=\"application/x-ptstudio-viewer\" id=\"{VIEWER_WASM_ID}\">{wasm}</script>\n"));
    html.push_str(&format!("<script type=\"application/x-ptstudio-report\" id=\"{PAYLOAD_ID}\">{payload}</script>\n"));
    html.push_str("<div id=\"pt-end\" hidden></div>\n</body>\n</html>\n");
    html
}

/// The payload text of a report page (what the viewer reads from [`PAYLOAD_ID`]).
#[must_use]
pub fn payload_text(html: &str) -> Option<&str> {
    let open = format!("id=\"{PAYLOAD_ID}\">");
    let start = html.find(&open)? + open.len();
    let len = html[start..].find("</script>")?;
    Some(&html[start..start + len])
}

/// Reads the payload's base64 text, as the viewer does.
///
/// # Errors
/// It is not base64, or the payload inside is damaged.
pub fn read_payload_text(text: &str) -> Result<Report, ReportError> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).map_err(|_| ReportError::Base64)?;
    Report::decode(&bytes)
}

/// Reads the report inside a report page (the CLI and tests; the viewer reads the DOM).
///
/// # Errors
/// It is not a report page, or its payload is damaged.
pub fn read_report_html(html: &str) -> Result<Report, ReportError> {
    let text = payload_text(html).ok_or(ReportError::Container(ContainerError::Missing("report")))?;
    read_payload_text(text)
}
