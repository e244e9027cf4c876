//! The peer renderer the render bench measures against: sigma.js, which `e2e/bench/sigma-peer.js`
//! puts on the page as `window.ptPeer` (bench-browser.mjs injects it with sigma and graphology,
//! pinned in `e2e/package.json`). It draws the same graph, positions, sizes and colours, on a
//! canvas of the same size, through the same camera path.

use isg::{Graph, NodeId};
use js_sys::{Array, Float32Array, Function, Reflect, Uint32Array};
use renderer::{Camera, DrawOptions, Scene};
use wasm_bindgen::{JsCast, JsValue};

/// sigma.js on this page, when the bench script put it there.
pub(crate) struct Peer {
    object: JsValue,
    /// Its name and version, for the figures.
    pub(crate) name: String,
}

/// A JS exception or a missing function, in words.
fn js_error(context: &str, e: &JsValue) -> String {
    format!("{context}: {}", e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

impl Peer {
    /// `window.ptPeer`, or `None` when the page was opened without it.
    pub(crate) fn on_page() -> Option<Self> {
        let object = Reflect::get(&js_sys::global(), &"ptPeer".into()).ok().filter(|v| v.is_object())?;
        let name = Reflect::get(&object, &"name".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        Some(Self { object, name })
    }

    fn call(&self, method: &str, args: &Array) -> Result<JsValue, String> {
        let f: Function = Reflect::get(&self.object, &method.into())
            .map_err(|e| js_error(method, &e))?
            .dyn_into()
            .map_err(|_| format!("ptPeer.{method} is not a function"))?;
        f.apply(&self.object, args).map_err(|e| js_error(&format!("ptPeer.{method}"), &e))
    }

    /// Hands the peer `graph` as `scene` draws it at `fitted`: positions, node radii in pixels,
    /// colours, names and edges. Returns the milliseconds the peer took to build its own model.
    pub(crate) fn mount(&self, scene: &Scene, graph: &Graph, fitted: &Camera) -> Result<f64, String> {
        let n = scene.node_count();
        let (mut x, mut y, mut size, mut color) =
            (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        let labels = Array::new_with_length(n as u32);
        let node_px = DrawOptions::default().node_px;
        for (i, node) in scene.nodes.iter().enumerate().take(n) {
            let [px, py] = scene.position(i);
            x.push(px);
            y.push(py);
            size.push((scene.size(i) * fitted.scale).max(node_px) * 0.5);
            color.push(node.color);
            labels.set(i as u32, graph.name(NodeId(i as u32)).into());
        }
        let ends: Vec<u32> = scene.edges.iter().flat_map(|e| [e.from, e.to]).collect();
        let edge_colors: Vec<u32> = scene.edges.iter().map(|e| e.color).collect();
        let args = Array::new();
        args.push(&fitted.viewport[0].into());
        args.push(&fitted.viewport[1].into());
        args.push(&Float32Array::from(x.as_slice()));
        args.push(&Float32Array::from(y.as_slice()));
        args.push(&Float32Array::from(size.as_slice()));
        args.push(&Uint32Array::from(color.as_slice()));
        args.push(&labels);
        args.push(&Uint32Array::from(ends.as_slice()));
        args.push(&Uint32Array::from(edge_colors.as_slice()));
        self.call("mount", &args)?.as_f64().ok_or_else(|| "ptPeer.mount returned no time".into())
    }

    /// Draws one frame through `camera`, `fitted` being the whole graph in view, and waits for the GPU.
    pub(crate) fn frame(&self, camera: &Camera, fitted: &Camera) -> Result<(), String> {
        // Sigma's camera: the centre in units of the fitted view's extent (0.5, 0.5 at fit), y
        // up, and a ratio that shrinks as the view zooms in.
        let extent = [fitted.viewport[0] / fitted.scale, fitted.viewport[1] / fitted.scale];
        let side = extent[0].max(extent[1]);
        let cx = 0.5 + (camera.center[0] - fitted.center[0]) / side;
        let cy = 0.5 - (camera.center[1] - fitted.center[1]) / side;
        let ratio = fitted.scale / camera.scale;
        let args = Array::of3(&cx.into(), &cy.into(), &ratio.into());
        self.call("frame", &args).map(drop)
    }

    /// Takes the peer's canvas off the page.
    pub(crate) fn unmount(&self) {
        self.call("unmount", &Array::new()).ok();
    }
}
