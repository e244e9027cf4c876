//! The class model of an interface signature graph, as UML draws it: every struct, enum, trait
//! (and union or type alias) is a class whose operations are the functions of its file joined to
//! it by an edge; between classes, `Implements` is a realisation, `Uses` an association, and an
//! operation of one class calling or using another class (or its operations) a dependency.
//! The UML view plugin draws this model; the PlantUML and Mermaid class diagrams write it.

use crate::ExportGraph;

/// The UML stereotype of a node kind, if the kind is drawn as a class.
#[must_use]
pub fn stereotype(kind: &str) -> Option<&'static str> {
    match kind {
        "Struct" => Some("struct"),
        "Enum" => Some("enum"),
        "Trait" => Some("trait"),
        "Union" => Some("union"),
        "TypeAlias" | "Type" => Some("type"),
        _ => None,
    }
}

/// One class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    /// Its item.
    pub node: u32,
    /// Its stereotype (`struct`, `trait`…).
    pub stereotype: &'static str,
    /// Its operations' items, the most connected first.
    pub operations: Vec<u32>,
}

/// How two classes are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RelationKind {
    /// The first implements the second (a trait).
    Realizes,
    /// The first uses the second as a type.
    Association,
    /// An operation of the first calls or uses the second.
    Dependency,
}

/// A relation between two classes, by index into [`ClassModel::classes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Relation {
    /// Where it starts.
    pub from: u32,
    /// Where it ends.
    pub to: u32,
    /// What it is.
    pub kind: RelationKind,
}

/// Classes and the relations between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassModel {
    /// The classes, in item order.
    pub classes: Vec<Class>,
    /// Relations, each pair and kind once, sorted.
    pub relations: Vec<Relation>,
}

/// Builds the class model of `graph`.
#[must_use]
pub fn class_model(graph: &ExportGraph) -> ClassModel {
    let n = graph.names.len();
    let mut class_of = vec![u32::MAX; n];
    let mut classes = Vec::new();
    for (v, kind) in graph.kinds.iter().enumerate().take(n) {
        if let Some(stereotype) = stereotype(kind) {
            class_of[v] = classes.len() as u32;
            classes.push(Class { node: v as u32, stereotype, operations: Vec::new() });
        }
    }
    let degrees = graph.degrees();
    let same_file = |a: usize, b: usize| graph.files.get(a).is_some_and(|f| Some(f) == graph.files.get(b));
    // An operation belongs to the first class of its file it is joined to.
    let mut owner = vec![u32::MAX; n];
    for ([a, b], _) in graph.valid_edges() {
        for (ty, op) in [(a as usize, b as usize), (b as usize, a as usize)] {
            if class_of[ty] != u32::MAX && class_of[op] == u32::MAX && owner[op] == u32::MAX && same_file(ty, op) {
                owner[op] = class_of[ty];
            }
        }
    }
    for (op, &c) in owner.iter().enumerate() {
        if c != u32::MAX {
            classes[c as usize].operations.push(op as u32);
        }
    }
    for class in &mut classes {
        class.operations.sort_by_key(|&o| (std::cmp::Reverse(degrees[o as usize]), o));
    }
    // The class an item stands for: itself when it is one, its owner when it is an operation.
    let class_for = |v: usize| if class_of[v] != u32::MAX { class_of[v] } else { owner[v] };
    let mut relations = Vec::new();
    for ([a, b], kind) in graph.valid_edges() {
        let (a, b) = (a as usize, b as usize);
        let (from, to) = (class_for(a), class_for(b));
        if from == u32::MAX || to == u32::MAX || from == to {
            continue;
        }
        let both_classes = class_of[a] != u32::MAX && class_of[b] != u32::MAX;
        let kind = match kind {
            "Implements" if both_classes => RelationKind::Realizes,
            "Uses" if both_classes => RelationKind::Association,
            _ => RelationKind::Dependency,
        };
        relations.push(Relation { from, to, kind });
    }
    relations.sort_unstable();
    relations.dedup();
    ClassModel { classes, relations }
}
