//! UML-style class view: every struct, enum and trait becomes a box (host API 1.1's box shape)
//! whose label is the UML class notation (in ASCII, which the label atlas holds): a <<stereotype>>, the signature, and an operations
//! compartment listing the functions of the same file that use the type. Implements edges are drawn
//! as UML realisation (dashed line, hollow arrowhead), Uses edges as dependency (dashed line), and
//! calls fade into the background.

use pt_plugin_sdk::{EdgeMarks, EdgeStyle, Graph, NodeStyle, Params, Shape, Styles};

/// The UML stereotype of a node kind as a box shows it (`<<struct>>`…), if the kind is drawn as a class
/// box (`export_core::classes`, the one definition of what is a class).
pub fn stereotype(kind: &str) -> Option<String> {
    export_core::classes::stereotype(kind).map(|s| format!("<<{s}>>"))
}

/// Box text: the stereotype, the signature (or the name when the signature is long), a rule and
/// up to `operations.len()` operations as `+ name()`.
pub fn class_label(stereotype: &str, name: &str, signature: &str, operations: &[String]) -> String {
    let signature = signature.trim().trim_start_matches("pub ").trim_end_matches('{').trim();
    let head = if signature.is_empty() || signature.chars().count() > 48 { name } else { signature };
    let mut label = format!("{stereotype}\n{head}");
    if !operations.is_empty() {
        let width = label.lines().map(|l| l.chars().count()).max().unwrap_or(0).clamp(8, 24);
        label.push('\n');
        label.extend(std::iter::repeat_n('-', width));
        for op in operations {
            label.push_str(&format!("\n+ {op}()"));
        }
    }
    label
}

/// Fill of a trait's box.
const TRAIT_FILL: [u8; 4] = [0x4a, 0x3a, 0x78, 255];
/// Fill of a struct's or enum's box.
const TYPE_FILL: [u8; 4] = [0x6e, 0x48, 0x26, 255];
/// Functions, faint dots.
const FUNCTION: [u8; 4] = [0x6a, 0x80, 0xa0, 0x90];
/// Implements: UML realisation.
const IMPLEMENTS: EdgeStyle = EdgeStyle { rgba: [0xd8, 0xc8, 0xff, 0xf0], width: 1.6 };
/// Uses between two types: association.
const USES_TYPE: EdgeStyle = EdgeStyle { rgba: [0xf0, 0xb0, 0x70, 0xd0], width: 1.2 };
/// Uses from a function: dependency.
const USES: EdgeStyle = EdgeStyle { rgba: [0xd8, 0x9c, 0x6c, 0x70], width: 1.0 };
/// Calls, in the background.
const CALLS: EdgeStyle = EdgeStyle { rgba: [0x7a, 0x9c, 0xc8, 0x38], width: 0.8 };

fn legend() -> Vec<pt_plugin_sdk::Value> {
    use pt_plugin_sdk::legend_entry;
    vec![
        legend_entry(TYPE_FILL, "struct or enum: a box with its signature and operations", "box"),
        legend_entry(TRAIT_FILL, "trait", "box"),
        legend_entry(FUNCTION, "function", "circle"),
        legend_entry(IMPLEMENTS.rgba, "Implements: realisation (hollow head)", "dashed"),
        legend_entry(USES_TYPE.rgba, "Uses between types: association", "line"),
        legend_entry(USES.rgba, "Uses from a function: dependency", "dashed"),
        legend_entry(CALLS.rgba, "Calls", "line"),
    ]
}

fn render(graph: &Graph, params: &Params) -> Styles {
    let n = graph.node_count();
    let edges = graph.edges();
    let kinds = graph.node_kinds();
    let kind_names = graph.node_kind_names();
    let class_of: Vec<Option<String>> = kinds.iter().map(|&k| stereotype(&kind_names[k as usize])).collect();
    let max_ops = params.i64("operations").clamp(0, 12) as usize;
    let show_functions = params.bool("functions");
    let mut degree = vec![0u32; n];
    for e in edges {
        degree[e[0] as usize] += 1;
        degree[e[1] as usize] += 1;
    }
    // Operations of a type: non-type nodes of the same file joined to it by an edge.
    let mut operations: Vec<Vec<u32>> = vec![Vec::new(); n];
    if max_ops > 0 {
        let files: Vec<String> = (0..n as u32).map(|i| graph.node_file(i)).collect();
        for &[a, b] in edges {
            for (ty, op) in [(a, b), (b, a)] {
                let (t, o) = (ty as usize, op as usize);
                if class_of[t].is_some()
                    && class_of[o].is_none()
                    && files[t] == files[o]
                    && !operations[t].contains(&op)
                {
                    operations[t].push(op);
                }
            }
        }
    }
    let mut labels = Vec::new();
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        match &class_of[i] {
            Some(st) => {
                let mut ops = std::mem::take(&mut operations[i]);
                ops.sort_by_key(|&o| std::cmp::Reverse(degree[o as usize]));
                let shown = ops.len().min(max_ops);
                let names: Vec<String> = ops[..shown].iter().map(|&o| graph.node_name(o)).collect();
                let label = class_label(st, &graph.node_name(i as u32), &graph.node_signature(i as u32), &names);
                let lines = label.lines().count() as f32;
                let fill = if st == "<<trait>>" { TRAIT_FILL } else { TYPE_FILL };
                // Radius grows with the lines, so every box shows its text at the same size.
                nodes.push(NodeStyle {
                    rgba: fill,
                    size: 0.35 * lines + 0.25,
                    shape: Shape::Box,
                    hidden: false,
                    halo: false,
                });
                labels.push((i as u32, label));
            }
            None => nodes.push(NodeStyle {
                rgba: FUNCTION,
                size: 0.3,
                shape: Shape::Circle,
                hidden: !show_functions,
                halo: false,
            }),
        }
    }
    let edge_kinds = graph.edge_kinds();
    let edge_kind_names = graph.edge_kind_names();
    let (mut edge_styles, mut marks) = (Vec::with_capacity(edges.len()), Vec::with_capacity(edges.len()));
    for (&[a, b], &k) in edges.iter().zip(edge_kinds) {
        let between_types = class_of[a as usize].is_some() && class_of[b as usize].is_some();
        let (style, mark) = match edge_kind_names[k as usize].as_str() {
            "Implements" => (IMPLEMENTS, EdgeMarks::DASHED | EdgeMarks::HOLLOW_ARROW),
            "Uses" if between_types => (USES_TYPE, 0),
            "Uses" => (USES, EdgeMarks::DASHED),
            _ => (CALLS, EdgeMarks::NO_ARROW),
        };
        let hidden = !show_functions && !between_types;
        edge_styles.push(if hidden { EdgeStyle { width: 0.0, ..style } } else { style });
        marks.push(mark);
    }
    Styles { nodes, edges: Some(edge_styles), edge_marks: Some(marks), labels, overlays: legend() }
}

pt_plugin_sdk::renderer!(render);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_boxes_read_as_uml() {
        assert_eq!(stereotype("Trait").as_deref(), Some("<<trait>>"));
        assert_eq!(stereotype("Function"), None);
        let label = class_label("<<struct>>", "Router", "pub struct Router<S>", &["route".into(), "nest".into()]);
        let lines: Vec<&str> = label.lines().collect();
        assert_eq!(lines[0], "<<struct>>");
        assert_eq!(lines[1], "struct Router<S>");
        assert!(lines[2].chars().all(|c| c == '-'));
        assert_eq!(&lines[3..], ["+ route()", "+ nest()"]);
        // A long signature gives way to the name; no operations, no compartment.
        let long = format!("struct X<{}>", "T, ".repeat(30));
        assert_eq!(class_label("<<struct>>", "X", &long, &[]), "<<struct>>\nX");
    }
}
