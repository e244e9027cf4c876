//! # share — views and reports that travel
//!
//! Everything needed to hand a view of a graph to someone else, with no web dependencies so the
//! app, the report viewer and the CLI share one definition and it is tested natively:
//! - [`view`]: [`ViewState`], the view as it travels: sources, camera, selection, search, layout
//!   and renderer plugins with their parameters, hubs, filters;
//! - [`fragment`]: a view state in a URL fragment (`#v1.…`, deflated, base64url), which never
//!   reaches a server;
//! - [`payload`]: [`Report`], what a report holds (the compact model, positions, the style in
//!   force, findings, title and notes), as one checked, compressed container;
//! - [`diff_picture`]: a diff report's picture, both snapshots coloured by change;
//! - [`html`]: the single-file HTML report: the viewer ([`ViewerBundle`]) and the payload
//!   inlined under a strict Content-Security-Policy.

pub mod diff_picture;
pub mod fragment;
pub mod html;
pub mod payload;
mod sections;
pub mod view;

pub use html::{ViewerBundle, report_html};
pub use payload::{CapturedStyle, Report, ReportError, ReportMeta};
pub use view::ViewState;

/// What wrote a report or built a viewer, as the report shows it: the product and this build's
/// version, then `who` (`app`, `ptstudio report`, a commit).
#[must_use]
pub fn generator(who: &str) -> String {
    format!("Parseltongue Studio {} ({who})", env!("CARGO_PKG_VERSION"))
}
