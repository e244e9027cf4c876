//! Robert Martin's package metrics ("OO Design Quality Metrics", 1994), per module:
//! - **Ca**, afferent coupling: nodes outside the module that depend on a node inside it;
//! - **Ce**, efferent coupling: nodes inside the module that depend on a node outside it;
//! - **I** = Ce / (Ca + Ce), instability (0 when the module has no coupling at all);
//! - **A**, abstractness: traits over all types (traits, structs, enums) in the module (0 with no types);
//! - **D** = |A + I − 1|, distance from the main sequence.
//!
//! A module far from the main sequence is in the *zone of pain* when it is concrete and stable
//! (A + I < 1: much depends on it, and it is hard to change) and in the *zone of uselessness* when
//! it is abstract and unstable (A + I > 1: abstractions nobody uses).

use crate::ModuleGraph;

/// What a node counts as for abstractness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeRole {
    /// Not a type (a function, a method, an impl block…).
    NotAType,
    /// An abstract type: a trait.
    Abstract,
    /// A concrete type: a struct or an enum.
    Concrete,
}

impl TypeRole {
    /// The role of a node of kind `kind` as the host names kinds (`Trait`, `Struct`, `Enum`…).
    #[must_use]
    pub fn of_kind(kind: &str) -> Self {
        match kind {
            "Trait" => Self::Abstract,
            "Struct" | "Enum" => Self::Concrete,
            _ => Self::NotAType,
        }
    }
}

/// Where a module stands against the main sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Within the chosen distance of the main sequence.
    Balanced,
    /// Concrete and stable: painful to change.
    Pain,
    /// Abstract and unstable: abstractions nobody depends on.
    Uselessness,
}

/// One module's metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleMetrics {
    /// The module id.
    pub module: u32,
    /// Its nodes.
    pub nodes: u32,
    /// Ca.
    pub afferent: u32,
    /// Ce.
    pub efferent: u32,
    /// I.
    pub instability: f32,
    /// A.
    pub abstractness: f32,
    /// D.
    pub distance: f32,
    /// Its zone, for the distance threshold given.
    pub zone: Zone,
}

/// The metrics of every module that has nodes, by module id. `modules` gives each node's module,
/// `roles` each node's [`TypeRole`]; a module is out of the main sequence's band when its distance
/// is at least `far` (0.7 is a common choice).
#[must_use]
pub fn module_metrics(modules: &[u32], edges: &[[u32; 2]], roles: &[TypeRole], far: f32) -> Vec<ModuleMetrics> {
    let count = modules.iter().map(|&m| m as usize + 1).max().unwrap_or(0);
    let mut depends_out = vec![false; modules.len()];
    let (mut afferent, mut efferent) = (vec![0u32; count], vec![0u32; count]);
    for e in edges {
        let (Some(&from), Some(&to)) = (modules.get(e[0] as usize), modules.get(e[1] as usize)) else { continue };
        if from == to {
            continue;
        }
        // Ce counts each inside node that depends on anything outside once.
        if !depends_out[e[0] as usize] {
            depends_out[e[0] as usize] = true;
            efferent[from as usize] += 1;
        }
    }
    // Ca: distinct outside nodes per target module.
    let mut callers: Vec<(u32, u32)> = edges
        .iter()
        .filter_map(|e| {
            let (from, to) = (*modules.get(e[0] as usize)?, *modules.get(e[1] as usize)?);
            (from != to).then_some((to, e[0]))
        })
        .collect();
    callers.sort_unstable();
    callers.dedup();
    for (to, _) in callers {
        afferent[to as usize] += 1;
    }
    let (mut abstracts, mut types) = (vec![0u32; count], vec![0u32; count]);
    for (v, &m) in modules.iter().enumerate() {
        match roles.get(v).copied().unwrap_or(TypeRole::NotAType) {
            TypeRole::Abstract => {
                abstracts[m as usize] += 1;
                types[m as usize] += 1;
            }
            TypeRole::Concrete => types[m as usize] += 1,
            TypeRole::NotAType => {}
        }
    }
    let sizes = ModuleGraph::new(modules, &[]).sizes;
    (0..count)
        .filter(|&m| sizes[m] > 0)
        .map(|m| {
            let (ca, ce) = (afferent[m], efferent[m]);
            let instability = if ca + ce == 0 { 0.0 } else { ce as f32 / (ca + ce) as f32 };
            let abstractness = if types[m] == 0 { 0.0 } else { abstracts[m] as f32 / types[m] as f32 };
            let sum = abstractness + instability;
            let distance = (sum - 1.0).abs();
            // A module nothing couples to has no instability to speak of: it is in no zone.
            let zone = if distance < far || ca + ce == 0 {
                Zone::Balanced
            } else if sum < 1.0 {
                Zone::Pain
            } else {
                Zone::Uselessness
            };
            ModuleMetrics {
                module: m as u32,
                nodes: sizes[m],
                afferent: ca,
                efferent: ce,
                instability,
                abstractness,
                distance,
                zone,
            }
        })
        .collect()
}
