// The peer renderer for `?bench=render`: sigma.js (pinned in package.json, used only by the bench)
// drawing the same graph, positions, sizes and colours as the app, on a canvas of the same size in
// the same page, so the two are timed side by side in one run. bench-browser.mjs injects
// graphology, sigma and this file into the bench page before its own scripts run; the Rust bench
// (app/src/bench/peer.rs) calls `window.ptPeer`.
(() => {
  const SigmaClass = window.Sigma && (window.Sigma.Sigma || window.Sigma.default || window.Sigma);
  const Graph = window.graphology && (window.graphology.MultiDirectedGraph || window.graphology.default?.MultiDirectedGraph);
  if (!SigmaClass || !Graph) return;

  const hex = (rgba) => '#' + (rgba >>> 8).toString(16).padStart(6, '0');
  let renderer = null;
  let host = null;

  /** Waits until the GPU has finished every context sigma drew on (a one-pixel read-back). */
  function sync() {
    const pixel = new Uint8Array(4);
    for (const gl of Object.values(renderer.webGLContexts ?? {})) {
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    }
  }

  window.ptPeer = {
    name: 'sigma.js 3.0.3',
    /**
     * Mounts sigma on a `width`×`height` CSS-pixel box over the graph: `x`, `y`, `size` (radius in
     * pixels) and `color` (0xRRGGBBAA) per node, `labels` per node, `edges` as (from, to) pairs
     * with `edgeColor` per edge. Returns the milliseconds the graph and sigma took to build.
     */
    mount(width, height, x, y, size, color, labels, edges, edgeColor) {
      const t0 = performance.now();
      this.unmount();
      const graph = new Graph();
      for (let i = 0; i < x.length; i++) {
        // Sigma's y axis points up, the app's down.
        graph.addNode(i, { x: x[i], y: -y[i], size: size[i], color: hex(color[i]), label: labels[i] });
      }
      for (let e = 0; e < edgeColor.length; e++) {
        graph.addEdge(edges[2 * e], edges[2 * e + 1], { color: hex(edgeColor[e]), size: 1 });
      }
      host = document.createElement('div');
      host.dataset.testid = 'peer-canvas';
      Object.assign(host.style, { position: 'fixed', left: '0', top: '0', width: `${width}px`, height: `${height}px`, background: '#12141a' });
      document.body.appendChild(host);
      renderer = new SigmaClass(graph, host, { renderEdgeLabels: false, labelRenderedSizeThreshold: 6, hideEdgesOnMove: false });
      sync();
      return performance.now() - t0;
    },
    /** Draws one frame at camera `(cx, cy, ratio)` (sigma's units: 0.5, 0.5, 1 is the fitted view) and waits for the GPU. */
    frame(cx, cy, ratio) {
      renderer.getCamera().setState({ x: cx, y: cy, ratio });
      renderer.render();
      sync();
    },
    unmount() {
      renderer?.kill();
      host?.remove();
      renderer = null;
      host = null;
    },
  };
})();
