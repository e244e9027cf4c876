//! Malformed and hostile input: each case asserts the message a user sees.

use std::io::Write;

use super::*;

fn one(bytes: &[u8]) -> Result<Loaded, LoadError> {
    load(&[SourceFile { name: "input.json", bytes }])
}

fn message(bytes: &[u8]) -> String {
    match one(bytes) {
        Ok(_) => panic!("expected an error for {:?}", String::from_utf8_lossy(&bytes[..bytes.len().min(80)])),
        Err(e) => e.to_string(),
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

const SMALL: &str = r#"{"nodes":[
 {"hash":18446744073709551615,"kind":"Function","name":"main","signature":"fn main","file_path":"src/main.rs","line":0},
 {"hash":2,"kind":"Struct","name":"App","signature":"struct App","file_path":"src/app.rs","line":3}
],"edges":[{"from":18446744073709551615,"to":2,"kind":"Uses"}],
"metadata":{"version":1,"timestamp":1,"node_count":2,"edge_count":1}}"#;

#[test]
fn a_well_formed_snapshot_loads_with_exact_u64_hashes() {
    let l = one(SMALL.as_bytes()).unwrap();
    assert_eq!(l.report.format, Format::SnapshotV0_1);
    assert!(l.report.warnings.is_empty());
    assert_eq!(l.graph.node_by_hash(u64::MAX).map(|n| l.graph.name(n)), Some("main"));
    let gz = gzip(SMALL.as_bytes());
    assert_eq!(load(&[SourceFile { name: "x.json.gz", bytes: &gz }]).unwrap().graph.edge_count(), 1);
}

#[test]
fn empty_and_blank_files_say_so() {
    assert_eq!(message(b""), "input.json: the file is empty");
    assert_eq!(message(b"  \n\t "), "input.json: the file is empty");
    assert_eq!(message(&gzip(b"")), "input.json: the file is empty");
}

#[test]
fn truncated_json_names_where_it_ends() {
    let cut = &SMALL.as_bytes()[..150];
    let m = message(cut);
    assert!(m.starts_with("input.json: the file is truncated: it ends at line 3, column 18"), "{m}");
}

#[test]
fn truncated_gzip_is_reported_as_such() {
    let gz = gzip(SMALL.as_bytes());
    let m = message(&gz[..gz.len() / 2]);
    assert!(m.starts_with("input.json: the gzip data is corrupt or truncated"), "{m}");
}

#[test]
fn binary_input_is_recognised() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(message(png), "input.json: this is a binary file, not a JSON or TOON export (control byte at offset 6)");
}

#[test]
fn non_json_text_gives_line_and_column() {
    assert_eq!(message(b"hello world"), "input.json: syntax error at line 1, column 1: expected value");
    let m = message(b"{\"nodes\": [}");
    assert!(m.contains("syntax error at line 1, column 12"), "{m}");
}

#[test]
fn wrong_types_name_the_field() {
    let bad_hash = SMALL.replacen("\"hash\":2", "\"hash\":true", 1);
    let m = message(bad_hash.as_bytes());
    assert!(m.starts_with("input.json: wrong value at nodes[1].hash (line 3"), "{m}");
    assert!(m.contains("expected a node hash"), "{m}");

    let too_big = SMALL.replacen("\"hash\":2", "\"hash\":18446744073709551616", 1);
    assert!(message(too_big.as_bytes()).contains("wrong value at nodes[1].hash"));

    let negative = SMALL.replacen("\"hash\":2", "\"hash\":-2", 1);
    assert!(message(negative.as_bytes()).contains("wrong value at nodes[1].hash"));

    let no_name = SMALL.replacen("\"name\":\"App\",", "", 1);
    let m = message(no_name.as_bytes());
    assert!(m.contains("wrong value at nodes[1]") && m.contains("missing field `name`"), "{m}");

    let bad_edge = SMALL.replacen("\"kind\":\"Uses\"", "\"kind\":7", 1);
    assert!(message(bad_edge.as_bytes()).contains("wrong value at edges[0]"));
}

#[test]
fn json_that_is_not_an_export_says_what_was_found() {
    assert!(message(b"[1,2,3]").contains("this is not a parseltongue export: a JSON array at the top level"));
    assert!(message(b"{\"foo\": 1}").contains("a JSON object without `nodes`, `entities`, `edges` or `data`"));
    assert!(
        message(br#"{"success":true,"endpoint":"/stats","data":{"x":1}}"#).contains("a server response from /stats")
    );
    assert_eq!(
        message(br#"{"success":false,"error":"database locked"}"#),
        "input.json: the saved server response reports a failure: database locked"
    );
}

#[test]
fn hostile_nesting_is_an_error_not_a_crash() {
    let deep = format!("{{\"anything\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    // serde_json skips unknown values without recursing, so this is merely "not an export".
    assert!(message(deep.as_bytes()).contains("this is not a parseltongue export"));
    let deep_in_node =
        format!("{{\"nodes\":[{{\"hash\":1,\"kind\":{}{}}}]}}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    let m = message(deep_in_node.as_bytes());
    assert!(m.contains("wrong value at nodes[0].kind"), "{m}");
}

#[test]
fn oversized_input_and_gzip_bombs_stop_at_the_limit() {
    let opts = LoadOptions { max_input_bytes: 1 << 20 };
    let big = vec![b' '; (1 << 20) + 1];
    let e = load_with(&[SourceFile { name: "big.json", bytes: &big }], &opts).unwrap_err();
    assert_eq!(e.to_string(), "big.json: the file is too large: 1 MiB or more, the limit is 1 MiB");
    let bomb = gzip(&vec![b' '; 64 << 20]);
    assert!(bomb.len() < 1 << 20);
    let e = load_with(&[SourceFile { name: "bomb.json.gz", bytes: &bomb }], &opts).unwrap_err();
    assert!(e.to_string().starts_with("bomb.json.gz: the file is too large"), "{e}");
}

#[test]
fn repairs_are_warnings_with_counts_and_examples() {
    let doc = r#"{"nodes":[
      {"hash":1,"kind":"Function","name":"a","signature":"fn a","file_path":"src/a.rs","line":0},
      {"hash":1,"kind":"Function","name":"a2","signature":"fn a2","file_path":"src/a.rs","line":0},
      {"hash":"2","kind":"Macro","name":"m","signature":"macro m","file_path":"src/a.rs","line":0}
    ],"edges":[
      {"from":1,"to":2,"kind":"Calls"},{"from":1,"to":2,"kind":"Calls"},{"from":1,"to":1,"kind":"Calls"},
      {"from":1,"to":99,"kind":"Calls"},{"from":2,"to":1,"kind":"Expands"}
    ],"metadata":{"node_count":4,"edge_count":5}}"#;
    let l = one(doc.as_bytes()).unwrap();
    let text: Vec<String> = l.report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "the file declares node_count = 4 but holds 3",
            "1 nodes repeat a hash already used; the first of each was kept (e.g. hash 1 (a and a2))",
            "1 edges point to a node hash that is not in the file; they were dropped (e.g. 1 → 99 (Calls): no node has hash 99)",
            "1 duplicate edges (same endpoints and kind) were merged",
            "1 edges go from a node to itself (e.g. a)",
        ]
    );
    // Unknown kinds are kept, not rejected.
    assert_eq!(l.graph.node_kind_named("Macro").map(|k| l.graph.nodes_of_kind(k).len()), Some(1));
    assert!(l.graph.edge_kind_named("Expands").is_some());
}

#[test]
fn combining_files_checks_they_belong_together() {
    let edges = br#"{"export_metadata":{"level":0},"edges":[{"from_key":"rust:fn:a:./src/a.rs:1-2","to_key":"rust:fn:b:unknown:0-0","edge_type":"Calls"}]}"#;
    let e = load(&[SourceFile { name: "x.level00.edges.json", bytes: edges }]).unwrap_err();
    assert!(
        e.to_string().starts_with("x.level00.edges.json lists parseltongue v0.9.7 pt02 export edges by entity key"),
        "{e}"
    );
    let e =
        load(&[SourceFile { name: "a.json", bytes: SMALL.as_bytes() }, SourceFile { name: "e.json", bytes: edges }])
            .unwrap_err();
    assert_eq!(
        e.to_string(),
        "a.json (parseltongue v0.1.0 snapshot) and e.json (parseltongue v0.9.7 pt02 export) cannot be opened together: open them one at a time"
    );
    assert_eq!(load(&[]).unwrap_err(), LoadError::NoFiles);
}

#[test]
fn keyed_resolution_handles_methods_names_and_ambiguity() {
    let entities = br#"{"export_metadata":{"total_entities":4},"entities":[
      {"isgl1_key":"rust:method:run:__src_a_rs:1-5","entity_name":"run","entity_type":"method","file_path":"./src/a.rs","interface_signature":"{\"line_range\":{\"start\":1,\"end\":5}}"},
      {"isgl1_key":"rust:fn:new:__src_a_rs:7-9","entity_name":"new","entity_type":"function","file_path":"./src/a.rs","interface_signature":"not json"},
      {"isgl1_key":"rust:fn:new:__src_b_rs:7-9","entity_name":"new","entity_type":"function","file_path":"./src/b.rs"}
    ]}"#;
    let edges = br#"{"edges":[
      {"from_key":"rust:fn:run:./src/a.rs:1-5","to_key":"rust:fn:new:unknown:0-0","edge_type":"Calls"},
      {"from_key":"rust:fn:run:./src/a.rs:1-5","to_key":"rust:fn:unwrap:unknown:0-0","edge_type":"Calls"},
      {"from_key":"rust:file:./src/a.rs:1-1","to_key":"rust:module:run:0-0","edge_type":"Uses"}
    ]}"#;
    let l =
        load(&[SourceFile { name: "e.json", bytes: entities }, SourceFile { name: "d.json", bytes: edges }]).unwrap();
    let r = l.report.resolution.unwrap();
    assert_eq!((r.by_path, r.ambiguous, r.external, r.files, r.by_name), (2, 1, 1, 1, 1));
    assert_eq!((r.edges_resolved, r.edges_ambiguous, r.edges_external), (1, 1, 1));
    let g = &l.graph;
    let amb = g.nodes().find(|&n| g.flags(n).contains(NodeFlags::AMBIGUOUS)).unwrap();
    assert_eq!(g.name(amb), "new");
    assert!(g.is_external(amb));
    let file = g.nodes().find(|&n| g.kind_name(n) == "File").unwrap();
    assert_eq!(g.file_path(file), "./src/a.rs");
    let warnings: Vec<String> = l.report.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings[0].starts_with("the file declares total_entities in e.json = 4 but holds 3"), "{warnings:?}");
    assert!(warnings[1].starts_with("1 interface signatures are not valid JSON"), "{warnings:?}");
}

#[test]
fn toon_errors_name_line_and_column() {
    let ok =
        "entities[1\\t]{edge_type,from_key,to_key}:\n  Calls\t\"rust:fn:a:./a.rs:1-1\"\t\"rust:fn:b:unknown:0-0\"\n";
    assert!(matches!(parse_document(ok.as_bytes()), Ok(Document::KeyedEdges { .. })));
    let short_row = "entities[2\\t]{edge_type,from_key,to_key}:\n  Calls\t\"a\"\n  Calls\t\"a\"\t\"b\"\n";
    assert_eq!(
        parse_document(short_row.as_bytes()).err().map(|p| p.to_string()),
        Some("syntax error at line 2, column 3: row has 2 cells, the header names 3 fields".into())
    );
    let truncated = "entities[2\\t]{edge_type,from_key,to_key}:\n  Calls\t\"a\"\t\"b\"\n  Calls\t\"rust:fn:";
    assert!(matches!(parse_document(truncated.as_bytes()), Err(FileProblem::Truncated { line: 3, .. })));
    let latin1 = b"entities[1\\t]{edge_type,from_key,to_key}:\n  Calls\t\xff\t\"b\"\n";
    assert_eq!(parse_document(latin1).err(), Some(FileProblem::NotUtf8 { offset: 50 }));
}
