//! A [`ViewState`] in a URL fragment: `#v1.` then the state's JSON, deflated and written in
//! base64url. A fragment never reaches a server (mermaid.live and Excalidraw keep their state
//! there for the same reason). Reading is bounded at every step and names what is wrong.

use std::io::{Read as _, Write as _};

use base64::Engine as _;

use crate::view::{ViewProblem, ViewState};

/// What a fragment of this format starts with.
pub const PREFIX: &str = "v1.";
/// Characters of fragment read at most.
pub const MAX_FRAGMENT_CHARS: usize = 64 * 1024;
/// Bytes a fragment may inflate to.
pub const MAX_INFLATED: u64 = 256 * 1024;

/// Why a fragment was not read; the viewer then ignores it with a notice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FragmentError {
    /// Not one of ours (or from a newer version).
    #[error("it does not start with {PREFIX:?}")]
    Prefix,
    /// Longer than any view needs.
    #[error("it is {0} characters long; at most {MAX_FRAGMENT_CHARS} are read")]
    TooLong(usize),
    /// Not base64url.
    #[error("it is not base64url text")]
    Base64,
    /// The deflated data is damaged.
    #[error("its compressed data is damaged")]
    Deflate,
    /// It inflates to more than a view can be.
    #[error("it inflates to more than {MAX_INFLATED} bytes")]
    TooLarge,
    /// Not a view state.
    #[error("it is not a view: {0}")]
    Json(String),
    /// A view state out of bounds.
    #[error(transparent)]
    View(#[from] ViewProblem),
}

/// The fragment (without `#`) that carries `state`.
#[must_use]
pub fn encode(state: &ViewState) -> String {
    let json = serde_json::to_vec(state).unwrap_or_default();
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    deflate.write_all(&json).ok();
    let packed = deflate.finish().unwrap_or_default();
    format!("{PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment written by [`encode`], with or without its `#`.
///
/// # Errors
/// What is wrong with it, by name.
pub fn decode(fragment: &str) -> Result<ViewState, FragmentError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(FragmentError::TooLong(fragment.len()));
    }
    let body = fragment.strip_prefix(PREFIX).ok_or(FragmentError::Prefix)?;
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).map_err(|_| FragmentError::Base64)?;
    let mut json = Vec::new();
    flate2::read::DeflateDecoder::new(packed.as_slice())
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut json)
        .map_err(|_| FragmentError::Deflate)?;
    if json.len() as u64 > MAX_INFLATED {
        return Err(FragmentError::TooLarge);
    }
    let state: ViewState = serde_json::from_slice(&json).map_err(|e| FragmentError::Json(e.to_string()))?;
    state.check()?;
    Ok(state)
}

/// Whether a fragment looks like one of ours (an empty one or an anchor is not).
#[must_use]
pub fn is_view_fragment(fragment: &str) -> bool {
    fragment.strip_prefix('#').unwrap_or(fragment).starts_with(PREFIX)
}
