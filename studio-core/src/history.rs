//! Undo and redo for what the user does to the view: a layout applied, a filter or focus, hubs
//! hidden or split, the selection. A snapshot is small: the positions are shared (`Arc`) with the
//! view and with other snapshots until a layout replaces them.

use std::sync::Arc;

use crate::filters::{Filters, Focus};
use crate::studio::HubMode;

/// Where a layout put the nodes, and the bends it gave some edges: what an undo glides back to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Placement {
    /// One position per node.
    pub positions: Vec<[f32; 2]>,
    /// Edges drawn as polylines once the nodes are in place.
    pub routes: Vec<renderer::scene::EdgeRoute>,
}

/// Snapshots kept each way; older ones are dropped.
pub const HISTORY_LIMIT: usize = 100;

/// The view state an undo returns to.
#[derive(Clone, Debug)]
pub struct ViewSnapshot {
    /// Filters in force.
    pub filters: Filters,
    /// The focus, if any.
    pub focus: Option<Focus>,
    /// The hub threshold.
    pub hub_threshold: Option<usize>,
    /// What happens to hubs.
    pub hub_mode: HubMode,
    /// Selected nodes.
    pub selection: Vec<u32>,
    /// Where the nodes stood, and the edges' routes.
    pub placement: Arc<Placement>,
}

/// Undo and redo stacks.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<ViewSnapshot>,
    redo: Vec<ViewSnapshot>,
}

impl History {
    /// Remembers `before`, the state a new action is about to change; the redo stack is dropped.
    pub fn record(&mut self, before: ViewSnapshot) {
        self.undo.push(before);
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The state to return to, given the state now (kept for redo); `None` when there is none.
    pub fn undo(&mut self, now: ViewSnapshot) -> Option<ViewSnapshot> {
        let back = self.undo.pop()?;
        self.redo.push(now);
        Some(back)
    }

    /// The state an undo left, given the state now (kept for undo); `None` when there is none.
    pub fn redo(&mut self, now: ViewSnapshot) -> Option<ViewSnapshot> {
        let forward = self.redo.pop()?;
        self.undo.push(now);
        Some(forward)
    }

    /// Whether there is something to undo.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Forgets everything (a new graph).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}
