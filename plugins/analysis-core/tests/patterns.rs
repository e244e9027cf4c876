//! Pattern detection on hand-built items: each pattern found with what it rests on, and
//! look-alikes left alone.

use analysis_core::patterns::{Item, Pattern, detect, single_field};

/// An item; its file names its module (module ids by first appearance of the file).
fn item<'a>(name: &'a str, kind: &'a str, file: &'a str, signature: &'a str) -> Item<'a> {
    const FILES: [&str; 9] = [
        "src/router/builder.rs",
        "src/router/mod.rs",
        "src/units.rs",
        "src/ast.rs",
        "src/events.rs",
        "src/bus.rs",
        "src/lonely.rs",
        "src/net.rs",
        "src/client.rs",
    ];
    let module = FILES.iter().position(|f| *f == file).expect("a known file") as u32;
    Item { name, kind, module, signature }
}

#[test]
fn builders_newtypes_visitors_and_observers_with_their_evidence() {
    let items = [
        item("RouterBuilder", "Struct", "src/router/builder.rs", "pub struct RouterBuilder"),
        item("build", "Method", "src/router/builder.rs", "pub fn build(self) -> Router"),
        item("Router", "Struct", "src/router/mod.rs", "pub struct Router"),
        item("Meters", "Struct", "src/units.rs", "pub struct Meters(pub f64);"),
        item("Pair", "Struct", "src/units.rs", "pub struct Pair(u8, u8);"),
        item("Named", "Struct", "src/units.rs", "pub struct Named { x: (u8, u8) }"),
        item("ExprVisitor", "Trait", "src/ast.rs", "pub trait ExprVisitor"),
        item("visit_add", "Method", "src/ast.rs", "fn visit_add(&mut self)"),
        item("visit_mul", "Method", "src/ast.rs", "fn visit_mul(&mut self)"),
        item("EventListener", "Trait", "src/events.rs", "pub trait EventListener"),
        item("subscribe", "Function", "src/bus.rs", "pub fn subscribe()"),
        item("notify_all", "Function", "src/bus.rs", "pub fn notify_all()"),
        item("Builder", "Struct", "src/lonely.rs", "pub struct Builder"),
        item("Listener", "Struct", "src/net.rs", "pub struct Listener"),
    ];
    let found = detect(&items, &[[1, 2]]);
    let of = |p: Pattern| found.iter().filter(|m| m.pattern == p).collect::<Vec<_>>();
    let builders = of(Pattern::Builder);
    assert_eq!(builders.len(), 1, "a lone `Builder` with nothing to build and no build fn is no match: {builders:?}");
    assert_eq!(builders[0].nodes, [0, 1, 2]);
    assert_eq!(builders[0].evidence, "named RouterBuilder, `build` in its file, builds Router");
    let newtypes = of(Pattern::Newtype);
    assert_eq!(newtypes.len(), 1);
    assert_eq!(
        (newtypes[0].nodes.as_slice(), newtypes[0].evidence.as_str()),
        ([3].as_slice(), "a tuple struct with one field, f64")
    );
    let visitors = of(Pattern::Visitor);
    assert_eq!(visitors[0].nodes, [6, 7, 8]);
    assert_eq!(visitors[0].evidence, "named ExprVisitor, 2 visit_ functions in its file (visit_add, visit_mul)");
    let observers = of(Pattern::Observer);
    assert_eq!(
        observers.len(),
        2,
        "the listener trait and the bus; a bare `Listener` (a socket) is not one: {observers:?}"
    );
    assert_eq!(observers[0].evidence, "a trait named …Listener");
    assert_eq!(observers[1].evidence, "its file can subscribe (subscribe) and tell (notify_all)");
    assert_eq!(observers[1].nodes, [10, 11]);
}

#[test]
fn single_fields_are_read_from_signatures() {
    assert_eq!(single_field("struct Id(u64);"), Some("u64"));
    assert_eq!(single_field("pub struct Wrap<T>(pub Vec<(T, T)>,);"), Some("Vec<(T, T)>"));
    assert_eq!(single_field("struct Two(u8, u16);"), None);
    assert_eq!(single_field("struct Unit;"), None);
    assert_eq!(single_field("struct Empty();"), None);
    assert_eq!(single_field("struct S { a: (u8) }"), None);
    assert_eq!(single_field("fn f(x: u8)"), None);
}
