//! Findings on the graph: a click on a finding selects and frames its items and draws it (a hull
//! and its edges in the warning colour) until the selection changes; and what exporters are told
//! of the view (what is drawn and selected).

use super::Studio;
use crate::gpu::GpuView;

impl<G: GpuView> Studio<G> {
    /// Shows (or clears) a finding on the graph: a hull around its items and its edges in the
    /// warning colour, over the style in force.
    pub(super) fn set_emphasis(&mut self, emphasis: Option<renderer::scene::Emphasis>) {
        let Some(c) = &mut self.current else { return };
        if c.scene.emphasis() == emphasis.as_ref() {
            return;
        }
        c.scene.set_emphasis(emphasis);
        if let Some(r) = &mut self.renderer {
            r.update_styles(&c.scene);
        }
    }

    /// Selects `ids` (those that are nodes of the graph on screen) and frames them: what a click
    /// on a finding does. `false`, changing nothing, when none is a node here.
    pub fn show_nodes(&mut self, ids: &[u32]) -> bool {
        self.show_finding(ids, &[])
    }

    /// What a click on a finding does: selects its items (those that are nodes here) and frames
    /// them, and draws it on the graph, a hull around the items and `edges` (the dependencies it
    /// names, such as those to cut to break a tangle) in the warning colour, until the selection
    /// changes. `false`, changing nothing, when none of its items is a node here.
    pub fn show_finding(&mut self, ids: &[u32], edges: &[u32]) -> bool {
        let Some(c) = self.current.as_ref() else { return false };
        let (count, edge_count) = (c.graph.node_count(), c.graph.edge_count());
        let ids: Vec<u32> = ids.iter().copied().filter(|&i| (i as usize) < count).collect();
        if ids.is_empty() {
            return false;
        }
        self.select(&ids);
        let edges: Vec<u32> = edges.iter().copied().filter(|&e| (e as usize) < edge_count).collect();
        // One item alone needs no hull: the selection already marks it.
        if ids.len() > 1 || !edges.is_empty() {
            self.set_emphasis(Some(renderer::scene::Emphasis { nodes: ids, edges }));
        }
        self.zoom_to_selection()
    }

    /// What is drawn and selected, one byte per node as exporters read it
    /// ([`pt_abi::VIEW_SHOWN`], [`pt_abi::VIEW_SELECTED`]); empty without a graph.
    #[must_use]
    pub fn view_flags(&self) -> Vec<u8> {
        let Some(c) = &self.current else { return Vec::new() };
        let mut flags: Vec<u8> =
            (0..c.scene.node_count()).map(|i| if c.scene.is_hidden(i) { 0 } else { pt_abi::VIEW_SHOWN }).collect();
        for &s in &self.selection {
            if let Some(f) = flags.get_mut(s as usize) {
                *f |= pt_abi::VIEW_SELECTED;
            }
        }
        flags
    }
}
