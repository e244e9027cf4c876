//! Edge routes (host API 1.4): bends a layout gives some edges, drawn as polylines through them
//! (the layered layout routes a long edge through the layers it crosses).
//!
//! Encoding, little-endian, routes back to back: `u32` edge index (in the graph's edge order),
//! `u32` bend count, then that many positions (two finite `f32` each), from the edge's source
//! towards its target. An edge is routed at most once; a route with no bends is a straight line.

use alloc::vec::Vec;
use core::fmt;

/// Bends a layout gave one edge.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeRoute {
    /// The edge, by its index in the graph's edge order.
    pub edge: u32,
    /// Bends between the edge's ends, in order from its source to its target.
    pub bends: Vec<[f32; 2]>,
}

/// Most bends drawn in all routes of one layout (each takes 16 bytes of GPU texture).
pub const MAX_BENDS: usize = 2 << 20;

/// Why routes were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteError {
    /// The bytes end inside a route.
    Truncated {
        /// Byte offset where the unfinished route starts.
        at: usize,
    },
    /// A route names an edge the graph does not have.
    UnknownEdge {
        /// The edge named.
        edge: u32,
        /// Edges in the graph.
        edges: usize,
    },
    /// Two routes for one edge.
    Twice {
        /// The edge.
        edge: u32,
    },
    /// A bend is NaN or infinite.
    NotFinite {
        /// The edge.
        edge: u32,
    },
    /// More bends in all than are drawn.
    TooMany {
        /// Bends given (at least).
        bends: usize,
    },
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated { at } => write!(f, "the edge routes end inside the route starting at byte {at}"),
            Self::UnknownEdge { edge, edges } => {
                write!(f, "a route names edge {edge}, but the graph has {edges} edges")
            }
            Self::Twice { edge } => write!(f, "edge {edge} is routed twice"),
            Self::NotFinite { edge } => write!(f, "a bend of edge {edge}'s route is not a finite number"),
            Self::TooMany { bends } => write!(f, "{bends} bends in all; at most {MAX_BENDS} are drawn"),
        }
    }
}

impl core::error::Error for RouteError {}

/// The checks every route passes, one route at a time: a known edge, routed once, finite bends,
/// at most [`MAX_BENDS`] in all.
struct RouteChecker {
    edges: usize,
    seen: Vec<bool>,
    bends: usize,
}

impl RouteChecker {
    fn new(edges: usize) -> Self {
        Self { edges, seen: Vec::new(), bends: 0 }
    }

    fn route(&mut self, edge: u32, bends: impl ExactSizeIterator<Item = [f32; 2]>) -> Result<(), RouteError> {
        if self.seen.is_empty() {
            self.seen = alloc::vec![false; self.edges];
        }
        let seen = self.seen.get_mut(edge as usize).ok_or(RouteError::UnknownEdge { edge, edges: self.edges })?;
        if core::mem::replace(seen, true) {
            return Err(RouteError::Twice { edge });
        }
        self.bends += bends.len();
        if self.bends > MAX_BENDS {
            return Err(RouteError::TooMany { bends: self.bends });
        }
        let mut bends = bends;
        if bends.any(|p| !p[0].is_finite() || !p[1].is_finite()) {
            return Err(RouteError::NotFinite { edge });
        }
        Ok(())
    }
}

/// Checks routes for a graph of `edges` edges: known edges, each once, finite bends, at most
/// [`MAX_BENDS`] in all.
///
/// # Errors
/// The first [`RouteError`] found.
pub fn check_edge_routes(routes: &[EdgeRoute], edges: usize) -> Result<(), RouteError> {
    let mut checker = RouteChecker::new(edges);
    routes.iter().try_for_each(|r| checker.route(r.edge, r.bends.iter().copied()))
}

/// Encodes routes.
#[must_use]
pub fn encode_edge_routes(routes: &[EdgeRoute]) -> Vec<u8> {
    let mut out = Vec::with_capacity(routes.iter().map(|r| 8 + r.bends.len() * 8).sum());
    for r in routes {
        out.extend_from_slice(&r.edge.to_le_bytes());
        out.extend_from_slice(&(r.bends.len() as u32).to_le_bytes());
        for p in &r.bends {
            out.extend_from_slice(&p[0].to_le_bytes());
            out.extend_from_slice(&p[1].to_le_bytes());
        }
    }
    out
}

/// The routes in `bytes`, each as its edge and its bends' bytes; a bend count is checked against
/// the bytes left before anything is read.
fn split_routes(bytes: &[u8]) -> impl Iterator<Item = Result<(u32, &[u8]), RouteError>> {
    let mut at = 0;
    core::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let word = |o: usize| bytes.get(o..o + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let start = at;
        let (Some(edge), Some(count)) = (word(at), word(at + 4)) else {
            at = bytes.len();
            return Some(Err(RouteError::Truncated { at: start }));
        };
        let body = at + 8;
        if count as usize > (bytes.len() - body) / 8 {
            at = bytes.len();
            return Some(Err(RouteError::Truncated { at: start }));
        }
        at = body + count as usize * 8;
        Some(Ok((edge, &bytes[body..at])))
    })
}

fn bends_of(bytes: &[u8]) -> impl ExactSizeIterator<Item = [f32; 2]> + '_ {
    bytes.chunks_exact(8).map(|c| {
        let v = |o: usize| f32::from_le_bytes([c[o], c[o + 1], c[o + 2], c[o + 3]]);
        [v(0), v(4)]
    })
}

/// Checks encoded routes for a graph of `edges` edges without decoding them, as the host does
/// before keeping the bytes; returns how many routes they hold.
///
/// # Errors
/// [`RouteError`]: bytes ending inside a route, or as [`check_edge_routes`].
pub fn check_edge_route_bytes(bytes: &[u8], edges: usize) -> Result<usize, RouteError> {
    let mut checker = RouteChecker::new(edges);
    let mut routes = 0;
    for route in split_routes(bytes) {
        let (edge, bends) = route?;
        checker.route(edge, bends_of(bends))?;
        routes += 1;
    }
    Ok(routes)
}

/// Decodes and checks routes for a graph of `edges` edges.
///
/// # Errors
/// As [`check_edge_route_bytes`].
pub fn decode_edge_routes(bytes: &[u8], edges: usize) -> Result<Vec<EdgeRoute>, RouteError> {
    check_edge_route_bytes(bytes, edges)?;
    split_routes(bytes).map(|r| r.map(|(edge, bends)| EdgeRoute { edge, bends: bends_of(bends).collect() })).collect()
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;

    use super::*;

    #[test]
    fn routes_round_trip_and_bad_ones_are_named() {
        let routes =
            vec![EdgeRoute { edge: 2, bends: vec![[1.0, 2.0], [3.0, -4.5]] }, EdgeRoute { edge: 0, bends: Vec::new() }];
        let bytes = encode_edge_routes(&routes);
        assert_eq!(bytes.len(), 8 + 16 + 8);
        assert_eq!(decode_edge_routes(&bytes, 3), Ok(routes.clone()));
        assert_eq!(decode_edge_routes(&[], 0), Ok(Vec::new()));
        assert_eq!(check_edge_route_bytes(&bytes, 3), Ok(2));
        assert_eq!(check_edge_routes(&routes, 3), Ok(()));
        assert_eq!(decode_edge_routes(&bytes, 2), Err(RouteError::UnknownEdge { edge: 2, edges: 2 }));
        assert_eq!(decode_edge_routes(&bytes[..bytes.len() - 1], 3), Err(RouteError::Truncated { at: 24 }));
        assert_eq!(decode_edge_routes(&bytes[..10], 3), Err(RouteError::Truncated { at: 0 }));
        let twice = encode_edge_routes(&[routes[1].clone(), routes[1].clone()]);
        assert_eq!(decode_edge_routes(&twice, 3), Err(RouteError::Twice { edge: 0 }));
        let nan = encode_edge_routes(&[EdgeRoute { edge: 1, bends: vec![[f32::NAN, 0.0]] }]);
        assert_eq!(decode_edge_routes(&nan, 3), Err(RouteError::NotFinite { edge: 1 }));
        // A huge count with few bytes behind it is refused before anything is allocated.
        let mut lying = 1u32.to_le_bytes().to_vec();
        lying.extend_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode_edge_routes(&lying, 3), Err(RouteError::Truncated { at: 0 }));
        assert!(RouteError::Twice { edge: 0 }.to_string().contains("routed twice"));
    }
}
