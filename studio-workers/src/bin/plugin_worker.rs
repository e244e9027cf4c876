//! Entry point of the plugin Web Worker (built by Trunk with `data-type="worker"`): starts the
//! worker loop and nothing else.

fn main() {
    #[cfg(target_arch = "wasm32")]
    studio_workers::plugin_worker::start();
}
