//! PlantUML class diagrams, in parts small enough for PlantUML's default image limit
//! ([`MAX_PIXELS`] on a side): classes go into parts of at most [`CLASSES_PER_PART`], module by
//! module, each part its own `@startuml … @enduml` diagram in the file (PlantUML renders each to
//! its own image). Relations between parts cannot be drawn and are counted in the note; classes
//! with no relation in their part are stacked in columns of [`COLUMN`] so a part never becomes
//! one row wider than the limit.

use crate::ExportGraph;
use crate::classes::{ClassModel, Relation, RelationKind, class_model};

/// PlantUML's default `PLANTUML_LIMIT_SIZE`: a bigger image is cut off.
pub const MAX_PIXELS: u32 = 4096;
/// Most classes in one part.
pub const CLASSES_PER_PART: usize = 24;
/// Most operations listed in one class.
pub const OPERATIONS_SHOWN: usize = 6;
/// Classes per column of a part's unrelated classes.
pub const COLUMN: usize = 4;

/// A name inside `"…"`: PlantUML has no escape for a quote, so quotes become apostrophes, and
/// line breaks spaces.
#[must_use]
pub fn quoted(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '\n' | '\r' | '\t' => ' ',
            c => c,
        })
        .collect();
    format!("\"{clean}\"")
}

/// An operation's name as a member line: only what a Rust identifier holds, so nothing in it can
/// open PlantUML markup.
fn member(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect()
}

/// What [`write`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// The PlantUML text: one or more diagrams.
    pub text: String,
    /// The number of diagrams in it.
    pub parts: usize,
    /// What was done to fit, in words (empty when nothing was).
    pub note: String,
}

fn keyword(stereotype: &str) -> &'static str {
    match stereotype {
        "trait" => "interface",
        "enum" => "enum",
        _ => "class",
    }
}

fn arrow(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Realizes => "..|>",
        RelationKind::Association => "-->",
        RelationKind::Dependency => "..>",
    }
}

/// One part: the classes `members` (indices into the model's classes, module by module) grouped
/// by file, and `relations`, those between two of its classes.
fn part(graph: &ExportGraph, model: &ClassModel, members: &[u32], relations: &[Relation], title: &str) -> String {
    let mut out = format!(
        "@startuml\ntitle {}\nhide empty members\nskinparam classAttributeIconSize 0\n",
        quoted(title).trim_matches('"')
    );
    let file = |c: u32| graph.files.get(model.classes[c as usize].node as usize).map_or("", String::as_str);
    let mut at = 0;
    while at < members.len() {
        let here = file(members[at]);
        let end = at + members[at..].iter().take_while(|&&c| file(c) == here).count();
        out.push_str(&format!("package {} {{\n", quoted(here)));
        for &c in &members[at..end] {
            let class = &model.classes[c as usize];
            let name = graph.names.get(class.node as usize).map_or("", String::as_str);
            out.push_str(&format!(
                "  {} {} as C{c} <<{}>> {{\n",
                keyword(class.stereotype),
                quoted(name),
                class.stereotype
            ));
            for &op in class.operations.iter().take(OPERATIONS_SHOWN) {
                out.push_str(&format!("    + {}()\n", member(graph.names.get(op as usize).map_or("", String::as_str))));
            }
            if class.operations.len() > OPERATIONS_SHOWN {
                out.push_str(&format!("    .. {} more ..\n", class.operations.len() - OPERATIONS_SHOWN));
            }
            out.push_str("  }\n");
        }
        out.push_str("}\n");
        at = end;
    }
    let mut related: std::collections::BTreeSet<u32> = std::collections::BTreeSet::new();
    for r in relations {
        related.insert(r.from);
        related.insert(r.to);
        out.push_str(&format!("C{} {} C{}\n", r.from, arrow(r.kind), r.to));
    }
    // Unrelated classes would sit in one row: hidden links stack them in columns.
    let loose: Vec<u32> = members.iter().copied().filter(|c| !related.contains(c)).collect();
    for pair in loose.chunks(COLUMN).flat_map(|column| column.windows(2)) {
        out.push_str(&format!("C{} -[hidden]down-> C{}\n", pair[0], pair[1]));
    }
    out.push_str("@enduml\n");
    out
}

/// The class diagram of `graph`, split into parts when it has more than [`CLASSES_PER_PART`]
/// classes.
#[must_use]
pub fn write(graph: &ExportGraph) -> Diagram {
    let model = class_model(graph);
    let mut order: Vec<u32> = (0..model.classes.len() as u32).collect();
    let module = |c: u32| graph.modules.get(model.classes[c as usize].node as usize).copied().unwrap_or(0);
    order.sort_by_key(|&c| (module(c), c));
    let chunks: Vec<&[u32]> = order.chunks(CLASSES_PER_PART.max(1)).collect();
    let parts = chunks.len().max(1);
    // Each class's part, then each relation to the part holding both its ends, in one pass.
    let mut part_of = vec![0usize; model.classes.len()];
    for (i, members) in chunks.iter().enumerate() {
        for &c in *members {
            part_of[c as usize] = i;
        }
    }
    let mut relations: Vec<Vec<Relation>> = vec![Vec::new(); chunks.len()];
    let mut dropped = 0;
    for r in &model.relations {
        let (a, b) = (part_of[r.from as usize], part_of[r.to as usize]);
        if a == b {
            relations[a].push(*r);
        } else {
            dropped += 1;
        }
    }
    let mut text = String::new();
    if chunks.is_empty() {
        text.push_str("@startuml\ntitle \"No structs, enums or traits\"\n@enduml\n");
    }
    for (i, members) in chunks.iter().enumerate() {
        let title = if parts == 1 { "Classes".to_owned() } else { format!("Classes, part {} of {parts}", i + 1) };
        text.push_str(&part(graph, &model, members, &relations[i], &title));
    }
    let note = if parts > 1 {
        format!(
            "{} classes pass what one PlantUML image holds ({MAX_PIXELS} px a side): split into {parts} diagrams of at most {CLASSES_PER_PART}, module by module; {dropped} relations between parts are not drawn",
            model.classes.len()
        )
    } else {
        String::new()
    };
    let text = if note.is_empty() { text } else { format!("' {note}.\n{text}") };
    Diagram { text, parts, note }
}
