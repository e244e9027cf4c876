//! Files the app hands the user: always as a download, never as a page.
//!
//! Every file (a PNG or SVG of the view, the audit trail, whatever an exporter plugin produced) is
//! offered as an `application/octet-stream` blob through an `<a download>` the app clicks itself:
//! the browser saves it and never renders it in the app's origin, so a file with script in it
//! cannot run next to the app's storage. The blob's URL is revoked shortly after, so it cannot be
//! opened in a tab later either.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Milliseconds a download's object URL lives: long enough for the browser to start saving.
const URL_LIFETIME_MS: i32 = 10_000;

/// Why a file could not be offered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the browser refused to offer {file} for download: {reason}")]
pub struct DownloadError {
    /// The file.
    pub file: String,
    /// The browser's words.
    pub reason: String,
}

/// Offers `bytes` as a download named `file_name` (which the caller has made safe).
///
/// # Errors
/// [`DownloadError`] with what the browser refused.
pub fn download(bytes: &[u8], file_name: &str) -> Result<(), DownloadError> {
    let refused = |reason: String| DownloadError { file: file_name.to_owned(), reason };
    let window = web_sys::window().ok_or_else(|| refused("no window".into()))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(plugin_host::export_format::OPAQUE_MIME);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| refused(format!("{e:?}")))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| refused(format!("{e:?}")))?;
    let anchor = window
        .document()
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| refused("the page cannot make a download link".into()))?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_rel("noopener");
    anchor.click();
    let revoke = Closure::once_into_js(move || {
        // Nothing to do if the browser already forgot it.
        web_sys::Url::revoke_object_url(&url).ok();
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), URL_LIFETIME_MS)
        .map_err(|e| refused(format!("{e:?}")))?;
    Ok(())
}
