//! The class model and the class diagrams (PlantUML, Mermaid), the other formats' escaping, CSV's
//! defusing, and the module and selection scopes.

use export_core::classes::{RelationKind, class_model};
use export_core::csv::Cell;
use export_core::{ExportGraph, csv, cytoscape, gexf, mermaid, plantuml};

const HOSTILE: &str = "a\"b\\c\n<script>&amp;'#1";

/// `Router` (struct, 0) implements `Service` (trait, 1) and uses `Kind` (enum, 2); `route` (3),
/// in Router's file, calls `helper` (4) in Kind's file, which uses Kind; `main` (5) calls route.
fn shop() -> ExportGraph {
    let items = [
        ("Router<S>", "Struct", "src/router.rs"),
        ("Service", "Trait", "src/service.rs"),
        ("Kind", "Enum", "src/kind.rs"),
        ("route", "Method", "src/router.rs"),
        ("helper", "Function", "src/kind.rs"),
        ("main", "Function", "src/main.rs"),
    ];
    let edges = [
        ([0, 1], "Implements"),
        ([0, 2], "Uses"),
        ([3, 0], "Uses"),
        ([3, 4], "Calls"),
        ([4, 2], "Uses"),
        ([5, 3], "Calls"),
    ];
    ExportGraph {
        names: items.iter().map(|i| i.0.to_owned()).collect(),
        kinds: items.iter().map(|i| i.1.to_owned()).collect(),
        files: items.iter().map(|i| i.2.to_owned()).collect(),
        modules: vec![0, 1, 2, 0, 2, 3],
        edges: edges.iter().map(|e| e.0).collect(),
        edge_kinds: edges.iter().map(|e| e.1.to_owned()).collect(),
        positions: Vec::new(),
    }
}

#[test]
fn the_class_model_finds_classes_operations_and_relations() {
    let model = class_model(&shop());
    let classes: Vec<(u32, &str, &[u32])> =
        model.classes.iter().map(|c| (c.node, c.stereotype, c.operations.as_slice())).collect();
    assert_eq!(classes, [(0, "struct", [3].as_slice()), (1, "trait", &[]), (2, "enum", &[4])]);
    let relations: Vec<(u32, u32, RelationKind)> = model.relations.iter().map(|r| (r.from, r.to, r.kind)).collect();
    // Router → Service realises; Router → Kind associates; route (Router's) calls helper (Kind's):
    // a dependency from Router to Kind besides the association; main belongs to no class.
    assert_eq!(
        relations,
        [(0, 1, RelationKind::Realizes), (0, 2, RelationKind::Association), (0, 2, RelationKind::Dependency)]
    );
}

#[test]
fn plantuml_writes_classes_in_packages_and_splits_big_diagrams() {
    let one = plantuml::write(&shop());
    assert_eq!((one.parts, one.note.as_str()), (1, ""));
    assert!(one.text.starts_with("@startuml\n"), "{}", one.text);
    assert!(
        one.text
            .contains("package \"src/router.rs\" {\n  class \"Router<S>\" as C0 <<struct>> {\n    + route()\n  }\n}"),
        "{}",
        one.text
    );
    assert!(one.text.contains("interface \"Service\" as C1 <<trait>>"));
    assert!(one.text.contains("C0 ..|> C1\nC0 --> C2\nC0 ..> C2\n"));
    // 60 unrelated structs in 60 files: three parts, each stacked in columns.
    let names: Vec<String> = (0..60).map(|i| format!("T{i}\"x")).collect();
    let big = ExportGraph {
        kinds: vec!["Struct".to_owned(); 60],
        files: (0..60).map(|i| format!("f{i}.rs")).collect(),
        modules: (0..60).collect(),
        names,
        ..ExportGraph::default()
    };
    let split = plantuml::write(&big);
    assert_eq!(split.parts, 3);
    assert_eq!(split.text.matches("@startuml").count(), 3);
    assert_eq!(split.text.matches("@enduml").count(), 3);
    assert!(
        split.note.starts_with(
            "60 classes pass what one PlantUML image holds (4096 px a side): split into 3 diagrams of at most 24"
        ),
        "{}",
        split.note
    );
    assert!(split.text.starts_with("' 60 classes"), "the note is the file's first line");
    assert!(split.text.contains("class \"T0'x\" as C0"), "quotes cannot close the name");
    assert!(
        split
            .text
            .contains("C0 -[hidden]down-> C1\nC1 -[hidden]down-> C2\nC2 -[hidden]down-> C3\nC4 -[hidden]down-> C5")
    );
    // No classes at all is still a diagram.
    assert!(plantuml::write(&ExportGraph::default()).text.contains("No structs, enums or traits"));
}

#[test]
fn mermaid_class_diagrams_use_mermaid_generics_and_keep_the_most_related_within_the_limits() {
    let chart = mermaid::class_diagram(&shop());
    assert!(chart.note.is_empty());
    assert!(chart.text.contains("  class C0[\"Router~S~\"] {\n    <<struct>>\n    +route()\n  }\n"), "{}", chart.text);
    assert!(chart.text.contains("  C0 ..|> C1\n  C0 --> C2\n  C0 ..> C2\n"));
    // 700 traits implemented by one struct: 700 relations pass the 500-edge limit.
    let n = 701;
    let graph = ExportGraph {
        names: (0..n).map(|i| format!("T{i}")).collect(),
        kinds: (0..n).map(|i| if i == 0 { "Struct" } else { "Trait" }.to_owned()).collect(),
        files: vec!["a.rs".to_owned(); n],
        modules: vec![0; n],
        edges: (1..n as u32).map(|i| [0, i]).collect(),
        edge_kinds: vec!["Implements".to_owned(); n - 1],
        positions: Vec::new(),
    };
    let cut = mermaid::class_diagram(&graph);
    let arrows = cut.text.lines().filter(|l| l.contains("..|>")).count();
    assert!(arrows <= mermaid::MAX_EDGES && cut.text.len() <= mermaid::MAX_TEXT, "{arrows}");
    assert!(arrows > 400, "as many as fit are kept: {arrows}");
    assert!(cut.text.contains("class C0[\"T0\"]"), "the most related class stays");
    assert!(cut.note.starts_with("701 classes and 700 relations pass Mermaid's limits"), "{}", cut.note);
}

#[test]
fn gexf_and_cytoscape_escape_names_and_carry_the_default_look() {
    let mut graph = shop();
    graph.names[0] = HOSTILE.to_owned();
    let text = gexf::write(&graph);
    assert!(text.contains("label=\"a&quot;b\\c\n&lt;script&gt;&amp;amp;&apos;#1\""), "{text}");
    let [r, g, b, _] = pt_abi::node_kind_rgba("Struct");
    assert!(text.contains(&format!("<viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\" a=\"1.000\"/>")));
    assert!(!text.contains("viz:position"), "no positions given, none written");
    assert!(!text.contains("<script>"));
    graph.positions = vec![[1.5, -2.0]; 6];
    assert!(gexf::write(&graph).contains("<viz:position x=\"1.5\" y=\"-2\" z=\"0\"/>"));
    let json = cytoscape::write(&graph);
    assert!(json.contains(r#""name":"a\"b\\c\n<script>&amp;'#1""#), "{json}");
    assert!(json.contains(r#""position":{"x":1.5,"y":-2}"#));
    assert_eq!(cytoscape::json_string("\u{1}\u{2028}"), "\"\\u0001\\u2028\"");
}

#[test]
fn csv_quotes_what_needs_it_and_defuses_formulas() {
    let text = csv::write(
        &["name", "value"],
        [
            vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Number(1.0)],
            vec![Cell::Text("a,b".into()), Cell::Number(0.25)],
            vec![Cell::Text("-1".into()), Cell::Number(-3.0)],
            vec![Cell::Text("plain".into()), Cell::Number(f64::NAN)],
        ],
    );
    assert_eq!(text, "name,value\r\n\"'=HYPERLINK(\"\"x\"\")\",1\r\n\"a,b\",0.2500\r\n'-1,-3\r\nplain,\r\n");
}

#[test]
fn the_module_level_and_the_selection_are_graphs_of_their_own() {
    let graph = shop();
    let modules = graph.modules_level();
    assert_eq!(modules.names, ["src/router.rs", "src/service.rs", "src/kind.rs", "src/main.rs"]);
    assert_eq!(modules.edges, [[0, 1], [0, 2], [3, 0]], "one edge per ordered pair, inside ones left out");
    assert!(modules.kinds.iter().all(|k| k == "Module") && modules.edge_kinds.iter().all(|k| k == "Depends"));
    let around = graph.around(3);
    assert_eq!(around.names, ["Router<S>", "route", "helper", "main"]);
    assert_eq!(around.edges, [[1, 0], [1, 2], [3, 1]]);
    assert_eq!(around.edge_kinds, ["Uses", "Calls", "Calls"]);
    assert_eq!(graph.around(99), ExportGraph::default());
}
