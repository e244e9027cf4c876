//! Unreferenced code on a hand-built graph: what is reported and every reason something is not.

use analysis_core::unreferenced::{Item, is_test_or_example, unreferenced};

fn item<'a>(name: &'a str, signature: &'a str, file: &'a str, method: bool) -> Item<'a> {
    Item { callable: true, method, name, signature, file, external: false }
}

#[test]
fn only_code_nothing_reaches_is_reported() {
    let items = [
        item("main", "fn main()", "src/main.rs", false),    // 0: entry point
        item("helper", "fn helper()", "src/lib.rs", false), // 1: called by main
        item("orphan", "fn orphan()", "src/lib.rs", false), // 2: reported
        item("api", "pub fn api()", "src/lib.rs", false),   // 3: public API
        item("fmt", "fn fmt(&self, f: &mut Formatter)", "src/a.rs", true), // 4: Display impl
        item("run", "fn run(&self)", "src/a.rs", true),     // 5: a called method's namesake
        item("run", "fn run(&self)", "src/b.rs", true),     // 6: called
        item("case", "fn case()", "tests/it.rs", false),    // 7: a test
        item("again", "fn again()", "src/lib.rs", false),   // 8: only calls itself: reported
        Item { callable: false, ..item("Config", "struct Config", "src/lib.rs", false) }, // 9: a type
        Item { external: true, ..item("spawn", "fn spawn()", "", false) }, // 10: outside the export
        item("crate_api", "pub(crate) fn crate_api()", "src/lib.rs", false), // 11: pub(crate)
    ];
    let edges = [[0, 1], [1, 6], [8, 8]];
    assert_eq!(unreferenced(&items, &edges, false), [2, 8]);
    assert_eq!(unreferenced(&items, &edges, true), [2, 3, 8, 11], "public items too, when asked");
}

#[test]
fn tests_benches_and_examples_by_path() {
    for path in ["tests/a.rs", "crate/tests/a.rs", "benches/b.rs", "x/examples/e.rs", "src/tests.rs", "./tests/a.rs"] {
        assert!(is_test_or_example(path), "{path}");
    }
    for path in ["src/lib.rs", "src/testing.rs", "src/contests/a.rs"] {
        assert!(!is_test_or_example(path), "{path}");
    }
}
