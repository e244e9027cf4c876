//! Where the nodes are: a layout's positions gliding in, the edges it routed, and boxes of a
//! boxed style kept apart.

use std::sync::Arc;

use renderer::layout::Fitted;
use renderer::scene::EdgeRoute;

use super::{PositionsRefused, RoutesRefused, Studio};
use crate::gpu::GpuView;
use crate::history::Placement;
use renderer::animation::Transition;

impl<G: GpuView> Studio<G> {
    /// Moves the nodes to `positions` (one per node, e.g. from a layout plugin), animating over
    /// `animate_ms`. Positions too large, too far out or too small for the camera are rescaled
    /// first ([`renderer::layout::fit_positions`]), so the view never goes blank.
    ///
    /// # Errors
    /// No graph is shown, the count does not match it, or the positions cannot be drawn (all on one
    /// point); nothing moves then.
    pub fn set_positions(
        &mut self,
        positions: &[[f32; 2]],
        fit: bool,
        now_ms: f64,
        animate_ms: f64,
    ) -> Result<Fitted, PositionsRefused> {
        let c = self.current.as_mut().ok_or(PositionsRefused::NoGraph)?;
        if positions.len() != c.scene.node_count() {
            return Err(PositionsRefused::Count { got: positions.len(), nodes: c.scene.node_count() });
        }
        let mut target = positions.to_vec();
        let fitted = renderer::layout::fit_positions(&mut target)?;
        // A style of labelled boxes keeps its boxes apart under the layout's final positions.
        if fit && let Some(apart) = c.scene.boxes_apart(&target) {
            target = apart;
        }
        let from = match &self.transition {
            Some(t) => t.at(now_ms).0,
            None => c.scene.positions(),
        };
        if fit {
            // Framed where the layout ends, as `fit` will frame it.
            self.camera.fit(c.scene.picture_bounds(Some(&target), self.settings.rings_px.is_some()), 24.0);
        }
        self.layout = Arc::new(Placement { positions: target.clone(), routes: Vec::new() });
        self.fitted = fitted;
        self.transition = Some(Transition::new(from, target, now_ms, animate_ms));
        self.sync_routes(true);
        Ok(fitted)
    }

    /// Draws the listed edges of the last layout as polylines through their bends (in the
    /// layout's own coordinates, moved as its positions were), once its nodes are in place.
    ///
    /// # Errors
    /// The routes do not fit the graph shown; nothing changes.
    pub fn route_edges(&mut self, routes: &[EdgeRoute]) -> Result<(), RoutesRefused> {
        let c = self.current.as_ref().ok_or(RoutesRefused::NoGraph)?;
        pt_abi::check_edge_routes(routes, c.scene.edges.len())?;
        let fitted = self.fitted;
        let routes = routes
            .iter()
            .map(|r| EdgeRoute { edge: r.edge, bends: r.bends.iter().map(|&p| fitted.apply(p)).collect() })
            .collect();
        Arc::make_mut(&mut self.layout).routes = routes;
        if self.transition.is_none() {
            self.sync_routes(false);
        }
        Ok(())
    }

    /// [`Studio::route_edges`] for routes as the ABI encodes them (a layout plugin's output).
    ///
    /// # Errors
    /// The bytes are not routes of the graph shown; nothing changes.
    pub fn route_edges_encoded(&mut self, bytes: &[u8]) -> Result<(), RoutesRefused> {
        let c = self.current.as_ref().ok_or(RoutesRefused::NoGraph)?;
        let routes = pt_abi::decode_edge_routes(bytes, c.scene.edges.len())?;
        self.route_edges(&routes)
    }

    /// Shows the current layout's routes (or, while nodes move, straight edges), uploading the
    /// scene again when its bends changed. A device that cannot hold the bends keeps straight edges.
    pub(super) fn sync_routes(&mut self, moving: bool) {
        let Some(c) = &mut self.current else { return };
        let routes: &[EdgeRoute] = if moving { &[] } else { &self.layout.routes };
        if !matches!(c.scene.set_edge_routes(routes), Ok(true)) {
            return;
        }
        if let Some(r) = &mut self.renderer
            && r.upload(&c.scene).is_err()
        {
            c.scene.set_edge_routes(&[]).ok();
            r.upload(&c.scene).ok();
        }
        self.first_picture = super::FirstPicture::Complete;
    }

    /// Moves the boxes of a boxed style (the UML view) apart where they overlap, at once, and
    /// makes that the layout undo returns from.
    pub(super) fn move_boxes_apart(&mut self) {
        let Some(c) = &mut self.current else { return };
        let at = match &self.transition {
            Some(t) => t.target().to_vec(),
            None => c.scene.positions(),
        };
        let Some(apart) = c.scene.boxes_apart(&at) else { return };
        self.transition = None;
        c.scene.set_positions(&apart);
        if let Some(r) = &mut self.renderer {
            r.update_node_data(&c.scene);
        }
        // The routes' bends were laid around the old places.
        let layout = Arc::make_mut(&mut self.layout);
        layout.positions = apart;
        layout.routes.clear();
        self.sync_routes(false);
    }
}
