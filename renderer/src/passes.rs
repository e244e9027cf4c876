//! The passes a frame is drawn in, by name, so the render bench can draw each one alone (and
//! with or without its fragments) and say where a frame's time goes.

/// A set of a frame's passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Passes(u16);

impl Passes {
    /// Module rings and hull triangles, under the graph.
    pub const HULLS: Self = Self(1);
    /// The graph's own edges (and routed segments).
    pub const EDGES: Self = Self(1 << 1);
    /// Module edges between aggregates.
    pub const MODULE_EDGES: Self = Self(1 << 2);
    /// Arrowheads.
    pub const ARROWS: Self = Self(1 << 3);
    /// The graph's own nodes.
    pub const NODES: Self = Self(1 << 4);
    /// Module aggregates.
    pub const AGGREGATES: Self = Self(1 << 5);
    /// Label glyphs.
    pub const LABELS: Self = Self(1 << 6);
    /// The minimap in its corner.
    pub const MINIMAP: Self = Self(1 << 7);
    /// Nothing: a cleared frame.
    pub const NONE: Self = Self(0);
    /// Every pass: what the product draws.
    pub const ALL: Self = Self(0xff);
    /// Each pass alone, with its name, in drawing order.
    pub const EACH: [(&'static str, Self); 8] = [
        ("rings and hulls", Self::HULLS),
        ("edges", Self::EDGES),
        ("module edges", Self::MODULE_EDGES),
        ("arrowheads", Self::ARROWS),
        ("nodes", Self::NODES),
        ("aggregates", Self::AGGREGATES),
        ("labels", Self::LABELS),
        ("minimap", Self::MINIMAP),
    ];

    /// Whether every pass of `other` is in this set.
    #[must_use]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// This set and `other`.
    #[must_use]
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// This set without `other`.
    #[must_use]
    pub const fn without(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }
}

/// What a painter draws of each frame: every pass, fragments and all, unless a bench asks for less.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PassSelection {
    /// The passes drawn.
    pub passes: Passes,
    /// Draw with a one-pixel scissor: the vertex work is done, almost no fragment is shaded, so
    /// the difference to a full frame is the fragment work (shading, blending, overdraw).
    pub vertex_only: bool,
    /// Reuse the picture of a big graph drawn for this zoom while the view only pans (see
    /// `gpu::picture`); off, every frame draws every pass.
    pub reuse: bool,
}

impl PassSelection {
    /// The whole frame.
    pub const ALL: Self = Self { passes: Passes::ALL, vertex_only: false, reuse: true };
    /// The whole frame, drawn in full every time.
    pub const ALL_REDRAWN: Self = Self { reuse: false, ..Self::ALL };
}

impl Default for PassSelection {
    fn default() -> Self {
        Self::ALL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pass_is_one_bit_and_all_of_them_make_all() {
        let mut union = Passes::NONE;
        for (name, p) in Passes::EACH {
            assert_eq!(p.0.count_ones(), 1, "{name}");
            assert!(!union.contains(p), "{name} named twice");
            union = union.with(p);
        }
        assert_eq!(union, Passes::ALL);
        assert!(!Passes::ALL.without(Passes::EDGES).contains(Passes::EDGES));
        assert!(Passes::ALL.without(Passes::EDGES).contains(Passes::NODES));
    }
}
