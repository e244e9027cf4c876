//! The default look: one colour and glyph per node kind, one colour per edge kind, node size by
//! degree. The renderer draws it before any renderer plugin runs, and the first-party
//! `style-by-kind` plugin writes the same look through the ABI, both from these functions.

use super::records::Shape;

/// Colour of what a finding shown on the graph warns about (the edges to cut to break a
/// tangle); its hull is the same colour, faint.
pub const WARNING_RGBA: [u8; 4] = [0xff, 0x6a, 0x3d, 0xff];

/// Colour of external placeholders (callees outside the codebase).
pub const EXTERNAL_RGBA: [u8; 4] = [0x8a, 0x8a, 0x8a, 0xc0];

/// The default colour of a node kind.
#[must_use]
pub fn node_kind_rgba(kind: &str) -> [u8; 4] {
    match kind {
        "Function" => [0x4e, 0x9a, 0xf0, 0xff],
        "Method" => [0x3c, 0xc8, 0xd8, 0xff],
        "Struct" => [0xf0, 0x8c, 0x3c, 0xff],
        "Enum" => [0xe8, 0xb4, 0x3c, 0xff],
        "Trait" => [0x9b, 0x6c, 0xf0, 0xff],
        "Impl" => [0xd0, 0x6c, 0xb4, 0xff],
        "Module" | "File" => [0x6c, 0xc0, 0x6c, 0xff],
        _ => [0xa0, 0xa0, 0xa0, 0xff],
    }
}

/// The default glyph of a node kind: functions and methods round, structs and enums square,
/// traits and impls diamonds, anything else a triangle.
#[must_use]
pub fn node_kind_shape(kind: &str) -> Shape {
    match kind {
        "Function" | "Method" => Shape::Circle,
        "Struct" | "Enum" => Shape::Square,
        "Trait" | "Impl" => Shape::Diamond,
        _ => Shape::Triangle,
    }
}

/// The default colour of an edge kind.
#[must_use]
pub fn edge_kind_rgba(kind: &str) -> [u8; 4] {
    match kind {
        "Calls" => [0x7a, 0x9c, 0xc8, 0x90],
        "Uses" => [0xd8, 0x9c, 0x6c, 0x90],
        "Implements" => [0xb0, 0x8c, 0xf0, 0xd0],
        _ => [0x90, 0x90, 0x90, 0x80],
    }
}

/// Square root without `std`: an exact-enough start from the float's bits, then Newton steps.
fn sqrt(x: f32) -> f32 {
    if x <= 0.0 {
        return 0.0;
    }
    let mut r = f32::from_bits((x.to_bits() >> 1) + 0x1fc0_0000);
    for _ in 0..4 {
        r = 0.5 * (r + x / r);
    }
    r
}

/// The default radius of a node with `degree` edges, in world units: 0.5 plus a little per
/// square root of the degree, so hubs stand out but stay bounded (at most 3).
#[must_use]
pub fn node_radius(degree: u32) -> f32 {
    (0.5 + sqrt(degree as f32) * 0.125).min(3.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_get_distinct_looks() {
        let kinds = ["Function", "Struct", "Trait"];
        for a in kinds {
            for b in kinds.iter().filter(|b| **b != a) {
                assert_ne!(node_kind_rgba(a), node_kind_rgba(b));
                assert_ne!(node_kind_shape(a), node_kind_shape(b));
            }
        }
        assert_eq!(node_kind_shape("SomethingNew"), Shape::Triangle, "unknown kinds still draw");
        assert!(edge_kind_rgba("Implements")[3] > edge_kind_rgba("Calls")[3], "the rare Implements edges stand out");
    }

    #[test]
    fn radius_grows_with_degree_and_is_bounded() {
        assert_eq!(node_radius(0), 0.5);
        for d in [1u32, 2, 7, 100, 1000, 40_000] {
            let exact = 0.5 + (d as f64).sqrt() as f32 * 0.125;
            assert!((node_radius(d) - exact.min(3.0)).abs() < 1e-5, "{d}");
        }
        assert_eq!(node_radius(u32::MAX), 3.0);
    }
}
