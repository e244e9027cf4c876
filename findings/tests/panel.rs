//! The findings panel's logic on a hand-built graph: the list across runs filtered and sorted,
//! metric tables by module and by item, the plots' marks, and the reports.

use findings::book::{Filter, SortBy, entries, modules, plugins};
use findings::plots::{Mark, community_sizes, degree_distribution, main_sequence};
use findings::table::{Level, table};
use findings::{AnalysisRun, PluginInfo};
use plugin_host::abi::Severity;
use plugin_host::{Finding, MetricColumn};

/// Items a0, a1 in a.rs (a trait and a struct), b0 in b.rs, c0 in c.rs; a0 and b0 call c0, b0
/// calls a1.
fn graph() -> isg::Graph {
    let node = |hash: u64, kind: &str, name: &str, file: &str| {
        format!(r#"{{"hash":{hash},"kind":"{kind}","name":"{name}","signature":"","file_path":"{file}","line":0}}"#)
    };
    let text = format!(
        r#"{{"nodes":[{},{},{},{}],"edges":[{{"from":1,"to":4,"kind":"Calls"}},{{"from":3,"to":4,"kind":"Calls"}},{{"from":3,"to":2,"kind":"Calls"}}],"metadata":{{"version":1,"timestamp":0,"node_count":4,"edge_count":3}}}}"#,
        node(1, "Trait", "a0", "src/a.rs"),
        node(2, "Struct", "a1", "src/a.rs"),
        node(3, "Function", "b0", "src/b.rs"),
        node(4, "Function", "c0", "src/c.rs"),
    );
    isg::load(&[isg::SourceFile { name: "t.json", bytes: text.as_bytes() }]).expect("loads").graph
}

fn id(graph: &isg::Graph, name: &str) -> u32 {
    graph.nodes().find(|&v| graph.name(v) == name).expect("an item").0
}

fn plugin(name: &str) -> PluginInfo {
    PluginInfo { name: name.into(), version: "0.1.0".into(), description: format!("{name} finds things") }
}

fn finding(severity: Severity, nodes: Vec<u32>, message: &str) -> Finding {
    Finding { severity, nodes, edges: Vec::new(), message: message.into() }
}

fn runs(g: &isg::Graph) -> Vec<AnalysisRun> {
    let (a0, b0, c0) = (id(g, "a0"), id(g, "b0"), id(g, "c0"));
    // Module metrics: a.rs is abstract and stable, b.rs unstable, c.rs stable and concrete.
    let per_module = |a: f32, b: f32, c: f32| {
        g.nodes()
            .map(|v| match g.file_path(v) {
                "src/a.rs" => a,
                "src/b.rs" => b,
                _ => c,
            })
            .collect::<Vec<f32>>()
    };
    vec![
        AnalysisRun {
            plugin: plugin("tangles"),
            findings: vec![
                finding(Severity::Info, vec![], "Summary of tangles"),
                finding(Severity::Warning, vec![a0, b0, c0], "A tangle across three files"),
            ],
            metrics: vec![],
        },
        AnalysisRun {
            plugin: plugin("module-metrics"),
            findings: vec![
                finding(Severity::Error, vec![c0], "c.rs is in the zone of pain"),
                finding(Severity::Info, vec![b0], "b.rs note"),
            ],
            metrics: vec![
                MetricColumn { name: "module instability".into(), values: per_module(0.0, 1.0, 0.0) },
                MetricColumn { name: "module abstractness".into(), values: per_module(0.5, 0.0, 0.0) },
            ],
        },
        AnalysisRun {
            plugin: plugin("communities"),
            findings: vec![],
            metrics: vec![MetricColumn { name: "community".into(), values: per_module(1.0, 1.0, 2.0) }],
        },
    ]
}

fn messages<'a>(list: &[findings::book::Entry<'a>]) -> Vec<&'a str> {
    list.iter().map(|e| e.finding.message.as_str()).collect()
}

#[test]
fn one_list_across_runs_filtered_and_sorted() {
    let g = graph();
    let runs = runs(&g);
    let all = entries(&runs, &g, &Filter::default(), SortBy::Listed);
    assert_eq!(
        messages(&all),
        ["Summary of tangles", "A tangle across three files", "c.rs is in the zone of pain", "b.rs note"]
    );
    assert_eq!((all[2].run, all[2].index, all[2].plugin.name.as_str()), (1, 0, "module-metrics"));
    let by_severity = entries(&runs, &g, &Filter::default(), SortBy::Severity);
    assert_eq!(messages(&by_severity)[..2], ["c.rs is in the zone of pain", "A tangle across three files"]);
    let by_size = entries(&runs, &g, &Filter::default(), SortBy::Size);
    assert_eq!(messages(&by_size)[0], "A tangle across three files");
    let by_plugin = entries(&runs, &g, &Filter::default(), SortBy::Plugin);
    assert_eq!(by_plugin[0].plugin.name, "module-metrics");
    let warnings = Filter { min_severity: Some(Severity::Warning), ..Filter::default() };
    assert_eq!(
        messages(&entries(&runs, &g, &warnings, SortBy::Listed)),
        ["A tangle across three files", "c.rs is in the zone of pain"]
    );
    let in_b = Filter { module: Some("src/b.rs".into()), ..Filter::default() };
    assert_eq!(messages(&entries(&runs, &g, &in_b, SortBy::Listed)), ["A tangle across three files", "b.rs note"]);
    let one_plugin = Filter { plugin: Some("tangles".into()), text: "TANGLE ACROSS".into(), ..Filter::default() };
    assert_eq!(messages(&entries(&runs, &g, &one_plugin, SortBy::Listed)), ["A tangle across three files"]);
    assert_eq!(plugins(&runs), ["tangles", "module-metrics", "communities"]);
    // b.rs and c.rs are touched by two findings each (ties by name), a.rs by the tangle alone.
    let touched = modules(&runs, &g, 10);
    assert_eq!(touched, [("src/b.rs".to_owned(), 2), ("src/c.rs".to_owned(), 2), ("src/a.rs".to_owned(), 1)]);
    assert_eq!(modules(&runs, &g, 1).len(), 1);
}

#[test]
fn metric_tables_go_by_module_when_columns_do_and_sort_either_way() {
    let g = graph();
    let runs = runs(&g);
    let t = table(&g, &runs[1].metrics, 0, true, 10);
    assert_eq!(t.level, Level::Modules);
    assert_eq!(t.columns, ["module instability", "module abstractness"]);
    assert_eq!(t.rows[0].label, "src/b.rs");
    assert_eq!(t.rows[0].values, [1.0, 0.0]);
    assert_eq!(t.total, 3);
    let a_rows: Vec<&findings::table::Row> = t.rows.iter().filter(|r| r.label == "src/a.rs").collect();
    assert_eq!(a_rows[0].nodes.len(), 2, "a module's row selects its items");
    let ascending = table(&g, &runs[1].metrics, 1, false, 1);
    assert_eq!((ascending.rows.len(), ascending.total), (1, 3));
    assert_eq!(ascending.rows[0].values[1], 0.0);
    // A column that differs inside a module makes rows of items; NaN sorts last.
    let mut per_item = runs[1].metrics[0].clone();
    per_item.values[0] = f32::NAN;
    per_item.values[1] = 0.25;
    let t = table(&g, &[per_item], 0, true, 10);
    assert_eq!(t.level, Level::Items);
    assert_eq!(t.rows.len(), 4);
    assert!(t.rows[3].values[0].is_nan());
    // Columns of the wrong length are left out rather than misread.
    let short = MetricColumn { name: "short".into(), values: vec![1.0] };
    assert!(table(&g, &[short], 0, true, 10).columns.is_empty());
}

fn dots(marks: &[Mark]) -> Vec<(&str, usize, [f32; 2])> {
    marks
        .iter()
        .filter_map(|m| match m {
            Mark::Dot { title, nodes, at, .. } => Some((title.as_str(), nodes.len(), *at)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_main_sequence_has_one_dot_per_module_where_its_figures_put_it() {
    let g = graph();
    let runs = runs(&g);
    let plot = main_sequence(&g, &runs[1]).expect("module-metrics gives A and I");
    let found = dots(&plot.marks);
    assert_eq!(found.len(), 3, "one dot per module");
    let a = found.iter().find(|d| d.0.starts_with("src/a.rs")).expect("a.rs");
    assert_eq!(a.0, "src/a.rs: I 0.00, A 0.50, D 0.50 (2 items)");
    assert_eq!(a.1, 2);
    let b = found.iter().find(|d| d.0.starts_with("src/b.rs")).expect("b.rs");
    // b (I = 1) sits right of a (I = 0); a (A = 0.5) sits above b (A = 0) — SVG's y grows down.
    assert!(b.2[0] > a.2[0] && a.2[1] < b.2[1]);
    assert!(main_sequence(&g, &runs[0]).is_none(), "a run without the columns has no scatter");
    let svg = plot.svg();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("circle")).count(), 3);
}

#[test]
fn degree_distribution_and_community_sizes_count_what_the_graph_and_run_say() {
    let g = graph();
    let runs = runs(&g);
    let plot = degree_distribution(&g);
    let bars: Vec<&str> = plot
        .marks
        .iter()
        .filter_map(|m| match m {
            Mark::Bar { title, .. } => Some(title.as_str()),
            _ => None,
        })
        .collect();
    // In-degrees: a0 0, a1 1, b0 0, c0 2; out-degrees: a0 1, a1 0, b0 2, c0 0.
    assert!(bars.contains(&"2 items with in-degree 0"), "{bars:?}");
    assert!(bars.contains(&"1 items with in-degree 1"));
    assert!(bars.contains(&"1 items with in-degree 2"));
    assert!(bars.contains(&"2 items with out-degree 0"));
    let sizes = community_sizes(&g, &runs[2]).expect("communities give a column");
    let bars: Vec<(String, usize)> = sizes
        .marks
        .iter()
        .filter_map(|m| match m {
            Mark::Bar { title, nodes, .. } => Some((title.clone(), nodes.len())),
            _ => None,
        })
        .collect();
    assert_eq!(bars.len(), 2);
    assert!(bars[0].0.starts_with("community 1: 3 items"), "{bars:?}");
    assert_eq!(bars[1].1, 1);
    assert!(community_sizes(&g, &runs[1]).is_none());
    roxmltree::Document::parse(&sizes.svg()).expect("well-formed SVG");
    roxmltree::Document::parse(&plot.svg()).expect("well-formed SVG");
}

#[test]
fn plot_text_is_escaped() {
    let plot = findings::plots::Plot {
        title: "<script>".into(),
        marks: vec![Mark::Text { at: [0.0, 0.0], text: "a & \"b\" <c>\u{1}".into(), anchor: "start" }],
    };
    let svg = plot.svg();
    assert!(!svg.contains("<script>") && svg.contains("a &amp; &quot;b&quot; &lt;c&gt; </text>"), "{svg}");
    roxmltree::Document::parse(&svg).expect("well-formed");
}

#[test]
fn the_json_and_sarif_reports_name_items_and_plugins() {
    let g = graph();
    let runs = runs(&g);
    let json = findings::report::json(&runs, &g);
    assert_eq!(json["plugins"][0]["plugin"], "tangles@0.1.0");
    assert_eq!(json["plugins"][0]["findings"][1]["severity"], "warning");
    assert_eq!(json["plugins"][0]["findings"][1]["items"][0]["file"], "src/a.rs");
    assert_eq!(json["plugins"][1]["metrics"][0], "module instability");
    let sarif = findings::sarif::log(&runs, &g);
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][1]["results"][0]["level"], "error");
    assert_eq!(
        sarif["runs"][1]["tool"]["driver"]["rules"][0]["shortDescription"]["text"],
        "module-metrics finds things"
    );
}
