//! Entry point of the plugin Web Worker (built by Trunk with `data-type="worker"`): starts the
//! worker loop and nothing else.

fn main() {
    app::plugin_worker::start();
}
