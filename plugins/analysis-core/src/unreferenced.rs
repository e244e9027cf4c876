//! Unreferenced code: functions and methods that nothing in the graph calls or uses and that are
//! none of the things code is reached by without a call in the export — an entry point (`main`),
//! public API (its signature starts with `pub`, when public items are left out), a test, bench or
//! example, or a trait method (reached through the trait: a method whose name some *called*
//! method also has, or one of the standard traits' methods, is taken for one).

/// What the analysis knows of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'a> {
    /// A function or a method (only these are reported).
    pub callable: bool,
    /// A method (of an impl block) rather than a free function.
    pub method: bool,
    /// Its name.
    pub name: &'a str,
    /// Its signature, as exported.
    pub signature: &'a str,
    /// Its file.
    pub file: &'a str,
    /// An external placeholder (code outside the export).
    pub external: bool,
}

/// Methods of the standard library's traits, reached through the trait (formatting, operators,
/// iteration, conversion, futures…): an impl of them is used without a call anyone wrote.
pub const TRAIT_METHODS: &[&str] = &[
    "fmt",
    "drop",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "hash",
    "from",
    "into",
    "try_from",
    "try_into",
    "deref",
    "deref_mut",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "next",
    "next_back",
    "size_hint",
    "poll",
    "poll_next",
    "poll_read",
    "poll_write",
    "poll_flush",
    "poll_shutdown",
    "poll_ready",
    "call",
    "default",
    "from_str",
    "index",
    "index_mut",
    "add",
    "sub",
    "mul",
    "div",
    "neg",
    "not",
    "into_iter",
    "extend",
    "from_iter",
    "serialize",
    "deserialize",
    "visit",
    "write",
    "read",
    "flush",
    "to_string",
    "source",
    "description",
];

/// Whether code at `file` is a test, a bench or an example.
#[must_use]
pub fn is_test_or_example(file: &str) -> bool {
    let file = file.trim_start_matches("./");
    ["tests/", "benches/", "examples/"].iter().any(|dir| file.starts_with(dir) || file.contains(&format!("/{dir}")))
        || file.ends_with("/tests.rs")
        || file.ends_with("/test.rs")
}

/// The items nothing references, ascending. `edges` are the graph's `[from, to]`; public items
/// count as referenced unless `include_public`.
#[must_use]
pub fn unreferenced(items: &[Item<'_>], edges: &[[u32; 2]], include_public: bool) -> Vec<u32> {
    let mut referenced = vec![false; items.len()];
    for e in edges.iter().filter(|e| e[0] != e[1]) {
        if let Some(r) = referenced.get_mut(e[1] as usize) {
            *r = true;
        }
    }
    let mut called_methods: Vec<&str> =
        items.iter().zip(&referenced).filter(|(i, r)| **r && i.method).map(|(i, _)| i.name).collect();
    called_methods.sort_unstable();
    called_methods.dedup();
    let is_entry = |i: &Item<'_>| i.name == "main" || i.name.starts_with("test_");
    let is_public =
        |i: &Item<'_>| i.signature.trim_start().starts_with("pub ") || i.signature.trim_start().starts_with("pub(");
    let via_trait =
        |i: &Item<'_>| i.method && (TRAIT_METHODS.contains(&i.name) || called_methods.binary_search(&i.name).is_ok());
    (0..items.len() as u32)
        .filter(|&v| {
            let i = &items[v as usize];
            i.callable
                && !i.external
                && !referenced[v as usize]
                && !is_entry(i)
                && !is_test_or_example(i.file)
                && (include_public || !is_public(i))
                && !via_trait(i)
        })
        .collect()
}
