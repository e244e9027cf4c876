//! What an exported file is called and which MIME type it travels as: decided by the host, never
//! by the plugin.
//!
//! A plugin's file is data. The app offers it only as a download, and the type it is offered as
//! comes from this allow-list by the file's extension: a plugin cannot make the page treat its
//! bytes as HTML, SVG with script, or anything else the browser would run in the app's origin.

/// Export formats the host knows, by extension: `(extension, MIME type)`.
pub const EXPORT_FORMATS: &[(&str, &str)] = &[
    ("csv", "text/csv"),
    ("dot", "text/vnd.graphviz"),
    ("gexf", "application/gexf+xml"),
    ("graphml", "application/graphml+xml"),
    ("gv", "text/vnd.graphviz"),
    ("json", "application/json"),
    ("md", "text/markdown"),
    ("mmd", "text/plain"),
    ("puml", "text/plain"),
    ("sarif", "application/sarif+json"),
    ("tsv", "text/tab-separated-values"),
    ("txt", "text/plain"),
];

/// The type of anything else: bytes to save, never to render.
pub const OPAQUE_MIME: &str = "application/octet-stream";

/// Longest file name kept, in bytes.
const MAX_NAME: usize = 96;

/// The MIME type the host gives a file called `name`: the allow-listed type of its extension, or
/// [`OPAQUE_MIME`].
#[must_use]
pub fn mime_for(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    EXPORT_FORMATS.iter().find(|(e, _)| *e == ext).map_or(OPAQUE_MIME, |(_, mime)| mime)
}

/// A file name safe to offer for download: the last path component, letters, digits, `-`, `_`
/// and `.` only (anything else becomes `_`), no leading dot, at most 96 bytes with the extension
/// kept; `export` when nothing is left.
#[must_use]
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut cleaned: String =
        last.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    let trimmed = cleaned.trim_start_matches('.').trim_end_matches('.');
    cleaned = trimmed.to_owned();
    if cleaned.trim_matches('_').is_empty() {
        return "export".to_owned();
    }
    if cleaned.len() > MAX_NAME {
        let ext = cleaned.rsplit_once('.').map(|(_, e)| e.to_owned()).filter(|e| e.len() <= 16);
        let keep = MAX_NAME - ext.as_ref().map_or(0, |e| e.len() + 1);
        cleaned.truncate(keep);
        if let Some(ext) = ext {
            cleaned.push('.');
            cleaned.push_str(&ext);
        }
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_allow_list() {
        assert_eq!(mime_for("graph.dot"), "text/vnd.graphviz");
        assert_eq!(mime_for("findings.SARIF"), "application/sarif+json");
        assert_eq!(mime_for("page.html"), OPAQUE_MIME);
        assert_eq!(mime_for("picture.svg"), OPAQUE_MIME);
        assert_eq!(mime_for("noextension"), OPAQUE_MIME);
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_file_name("graph.dot"), "graph.dot");
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\Users\\x\\evil.json"), "evil.json");
        assert_eq!(safe_file_name("helper\u{202e}gnp.exe"), "helper_gnp.exe");
        assert_eq!(safe_file_name(".bashrc"), "bashrc");
        assert_eq!(safe_file_name(""), "export");
        assert_eq!(safe_file_name("\u{202e}\u{202e}"), "export");
        let long = format!("{}.graphml", "a".repeat(300));
        let safe = safe_file_name(&long);
        assert_eq!(safe.len(), 96);
        assert!(safe.ends_with(".graphml"), "{safe}");
    }
}
