//! Getting ISG bytes into the app: URLs (with download progress), picked files and dropped files.

use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The sample opened when the URL names none: parseltongue v0.1.0's export of axum 0.8.3.
pub const DEFAULT_SAMPLE: &str = "samples/axum-0.8.3.json";

/// Samples bundled into the build, as `(label, urls)`; several URLs open together.
pub const BUNDLED_SAMPLES: &[(&str, &[&str])] = &[
    ("axum 0.8.3 (v0.1.0 snapshot)", &["samples/axum-0.8.3.json"]),
    ("tokio 1.47.1 (v0.1.0 snapshot)", &["samples/tokio-1.47.1.json"]),
    (
        "axum 0.8.3 (v0.9.7 pt02 pair)",
        &["samples/axum-0.8.3.level01.entities.json", "samples/axum-0.8.3.level00.edges.json"],
    ),
    (
        "tokio 1.47.1 (v1.7.2 HTTP pair)",
        &["samples/tokio-1.47.1.code-entities-list-all.json", "samples/tokio-1.47.1.dependency-edges-list-all.json"],
    ),
    ("crate registry, 179k nodes (v0.1.0 .gz)", &["samples/registry-full.json.gz"]),
];

/// Why a file could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The page has no window (it always has; a worker does not).
    #[error("there is no window to fetch from")]
    NoWindow,
    /// The request did not get an answer.
    #[error(
        "could not fetch {url}: the server cannot be reached or does not allow cross-origin requests (CORS) ({reason})"
    )]
    Unreachable {
        /// What was fetched.
        url: String,
        /// The browser's words.
        reason: String,
    },
    /// The answer was not a response.
    #[error("could not fetch {url}: not a response")]
    NotResponse {
        /// What was fetched.
        url: String,
    },
    /// The server answered with an error status.
    #[error("could not fetch {url}: the server answered {status} {text}")]
    Status {
        /// What was fetched.
        url: String,
        /// HTTP status.
        status: u16,
        /// Its text.
        text: String,
    },
    /// The body stopped arriving.
    #[error("download of {url} broke off: {reason}")]
    BrokeOff {
        /// What was fetched.
        url: String,
        /// The browser's words.
        reason: String,
    },
    /// The answer is larger than what is accepted from there: reading stopped at the limit.
    #[error("{url} is larger than {limit} bytes, the most accepted from it; it was not read further")]
    TooBig {
        /// What was fetched.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// A picked or dropped file could not be read.
    #[error("could not read {name}: {reason}")]
    Unreadable {
        /// The file's name.
        name: String,
        /// The browser's words.
        reason: String,
    },
    /// A parseltongue server's answer is not an edge page.
    #[error("{url}: the server's answer is not a parseltongue edge page: {reason}")]
    NotAnEdgePage {
        /// The page asked for.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A parseltongue server that never stops sending pages.
    #[error("{base}: the server kept sending edge pages past {pages} pages; stopped")]
    Runaway {
        /// The server.
        base: String,
        /// Pages read.
        pages: u64,
    },
    /// A text file that is not UTF-8.
    #[error("{0} is not UTF-8")]
    NotUtf8(String),
}

/// One file's name and bytes.
pub struct FetchedFile {
    /// File name or URL.
    pub name: String,
    /// Raw bytes (possibly gzip).
    pub bytes: Vec<u8>,
}

fn js_error_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |err| String::from(err.message()))
}

/// The `isg` query parameters of the page URL, in order (`?isg=a.json&isg=b.json` opens a pair).
#[must_use]
pub fn isg_urls_from_location() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let Ok(search) = window.location().search() else {
        return Vec::new();
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    params.get_all("isg").iter().filter_map(|v| v.as_string()).filter(|s| !s.is_empty()).collect()
}

/// A query parameter of the page URL.
#[must_use]
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// Downloads `url`, reporting the fraction received (NaN when the size is unknown).
///
/// # Errors
/// [`FetchError`] naming the URL and what went wrong.
pub async fn fetch_with_progress(url: &str, on_progress: &dyn Fn(f64)) -> Result<FetchedFile, FetchError> {
    fetch_at_most(url, usize::MAX, on_progress).await
}

/// Downloads `url` as [`fetch_with_progress`], refusing more than `limit` bytes: a declared
/// length over it is refused before the body is read, and a body that grows past it (a server
/// that lies or sends no length) is cancelled there, so a hostile server cannot fill the memory.
///
/// # Errors
/// [`FetchError::TooBig`], or what [`fetch_with_progress`] names.
pub async fn fetch_at_most(url: &str, limit: usize, on_progress: &dyn Fn(f64)) -> Result<FetchedFile, FetchError> {
    let too_big = || FetchError::TooBig { url: url.to_owned(), limit };
    let window = web_sys::window().ok_or(FetchError::NoWindow)?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| FetchError::Unreachable { url: url.to_owned(), reason: js_error_text(&e) })?;
    let response: web_sys::Response =
        response.dyn_into().map_err(|_| FetchError::NotResponse { url: url.to_owned() })?;
    if !response.ok() {
        return Err(FetchError::Status {
            url: url.to_owned(),
            status: response.status(),
            text: response.status_text(),
        });
    }
    let total: Option<f64> =
        response.headers().get("content-length").ok().flatten().and_then(|v| v.parse().ok()).filter(|&n: &f64| n > 0.0);
    if total.is_some_and(|t| t > limit as f64) {
        return Err(too_big());
    }
    let Some(body) = response.body() else {
        return Ok(FetchedFile { name: url.to_owned(), bytes: Vec::new() });
    };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(total.map_or(1 << 20, |t| t as usize).min(limit));
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| FetchError::BrokeOff { url: url.to_owned(), reason: js_error_text(&e) })?;
        let done = Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
        if done {
            break;
        }
        if let Ok(value) = Reflect::get(&chunk, &"value".into()) {
            let array: Uint8Array = value.unchecked_into();
            if bytes.len() + array.length() as usize > limit {
                // The stream is dropped either way; cancelling tells the server to stop sending.
                drop(reader.cancel());
                return Err(too_big());
            }
            let start = bytes.len();
            bytes.resize(start + array.length() as usize, 0);
            array.copy_to(&mut bytes[start..]);
        }
        on_progress(total.map_or(f64::NAN, |t| bytes.len() as f64 / t));
    }
    let name = url.rsplit('/').next().unwrap_or(url).to_owned();
    Ok(FetchedFile { name, bytes })
}

/// Edges asked for per page from a live server.
const SERVER_PAGE: u64 = 20_000;
/// A server that keeps answering full pages past this is misbehaving; stop rather than loop forever.
const MAX_SERVER_PAGES: u64 = 1_000;

/// True when `url` names a parseltongue server (a base URL) rather than a file.
#[must_use]
pub fn is_server_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")) else { return false };
    let path = rest.split(['?', '#']).next().unwrap_or(rest);
    let last = path.rsplit('/').next().unwrap_or("");
    !(last.ends_with(".json") || last.ends_with(".gz") || last.ends_with(".toon"))
}

#[derive(serde::Deserialize)]
struct PageHead {
    data: PageData,
}

#[derive(serde::Deserialize)]
struct PageData {
    #[serde(default)]
    total_count: Option<u64>,
    #[serde(default)]
    returned_count: Option<u64>,
}

/// Loads entities and every page of edges from a running parseltongue v1.7.2 server.
///
/// # Errors
/// [`FetchError`] for the first page that could not be had or read.
pub async fn fetch_from_server(base: &str, on_progress: &dyn Fn(f64)) -> Result<Vec<FetchedFile>, FetchError> {
    let base = base.trim_end_matches('/');
    let mut entities = fetch_with_progress(&format!("{base}/code-entities-list-all"), &|_| {}).await?;
    entities.name = format!("{base}/code-entities-list-all");
    let mut files = vec![entities];
    let mut offset = 0u64;
    for _ in 0..MAX_SERVER_PAGES {
        let url = format!("{base}/dependency-edges-list-all?limit={SERVER_PAGE}&offset={offset}");
        let mut page = fetch_with_progress(&url, &|_| {}).await?;
        let head: PageHead = serde_json::from_slice(&page.bytes)
            .map_err(|e| FetchError::NotAnEdgePage { url: url.clone(), reason: e.to_string() })?;
        let returned = head.data.returned_count.unwrap_or(0);
        let total = head.data.total_count.unwrap_or(0);
        page.name = url;
        files.push(page);
        offset += returned;
        on_progress(if total > 0 { offset as f64 / total as f64 } else { f64::NAN });
        if returned == 0 || offset >= total {
            return Ok(files);
        }
    }
    Err(FetchError::Runaway { base: base.to_owned(), pages: MAX_SERVER_PAGES })
}

/// Reads a file the user picked or dropped.
///
/// # Errors
/// [`FetchError::Unreadable`] with the browser's reason.
pub async fn read_file(file: &web_sys::File) -> Result<FetchedFile, FetchError> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| FetchError::Unreadable { name: file.name(), reason: js_error_text(&e) })?;
    Ok(FetchedFile { name: file.name(), bytes: Uint8Array::new(&buffer).to_vec() })
}

/// Reads every file of a `FileList`.
///
/// # Errors
/// As [`read_file`], for the first file that cannot be read.
pub async fn read_file_list(list: &web_sys::FileList) -> Result<Vec<FetchedFile>, FetchError> {
    let mut out = Vec::new();
    for i in 0..list.length() {
        if let Some(f) = list.get(i) {
            out.push(read_file(&f).await?);
        }
    }
    Ok(out)
}

/// Waits until the browser has painted once, so progress shows before a long synchronous step.
pub async fn next_paint() {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            w.request_animation_frame(&resolve).ok();
        }
    });
    JsFuture::from(promise).await.ok();
    next_task().await;
}

/// Gives the browser a turn (input, rendering, other tasks) and comes back in a new task.
pub async fn next_task() {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).ok();
        }
    });
    JsFuture::from(promise).await.ok();
}

/// Milliseconds since page start.
#[must_use]
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}
