//! The report viewer's entry point: mounts the report page and nothing else. Trunk builds it
//! beside the app (`index.html`), and `cargo xtask viewer-bundle` packs it for reports.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::report_view::ReportViewer);
}
