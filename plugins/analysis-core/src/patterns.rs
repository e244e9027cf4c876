//! Design patterns guessed from names, signatures and edges (experimental: the export holds no
//! bodies, so this is a reading of the interface, and every match says what it rests on):
//! - **builder**: a type named `…Builder` with a `build` function in its file, and the type it
//!   builds (its name without `Builder`, or what `build` uses) when there is one;
//! - **newtype**: a tuple struct with exactly one field, when the signature shows its fields;
//! - **visitor**: a trait named `…Visitor`, or a trait whose file holds at least two `visit_…`
//!   functions, with those functions;
//! - **observer**: a type named `…Listener`, `…Observer` or `…Subscriber`, or a file holding both a
//!   way to subscribe (`subscribe`, `add_listener`, `register_…`, `watch`) and a way to tell
//!   (`notify…`, `emit`, `on_…`, `publish`).

/// An item as the detection reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its kind (`Struct`, `Trait`, `Function`…).
    pub kind: &'a str,
    /// Its module (its file): items of one file share it.
    pub module: u32,
    /// Its signature (may be just `struct Name`).
    pub signature: &'a str,
}

/// A pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pattern {
    /// Builder.
    Builder,
    /// Newtype.
    Newtype,
    /// Visitor.
    Visitor,
    /// Observer, listener or subscriber.
    Observer,
}

impl Pattern {
    /// Its name in reports.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Self::Builder => "builder",
            Self::Newtype => "newtype",
            Self::Visitor => "visitor",
            Self::Observer => "observer",
        }
    }
}

/// One match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The pattern.
    pub pattern: Pattern,
    /// The items taking part, the main one first.
    pub nodes: Vec<u32>,
    /// What matched, in words.
    pub evidence: String,
}

fn is_type(kind: &str) -> bool {
    matches!(kind, "Struct" | "Enum" | "Trait" | "Union" | "TypeAlias" | "Type")
}

fn is_function(kind: &str) -> bool {
    matches!(kind, "Function" | "Method")
}

/// The single field of a tuple struct's signature (`struct Meters(f64);` gives `f64`).
#[must_use]
pub fn single_field(signature: &str) -> Option<&str> {
    let rest = signature.trim_start().trim_start_matches("pub ").trim_start();
    let rest = rest.strip_prefix("struct ")?;
    let open = rest.find('(')?;
    // Generic parameters before the fields are fine; a brace before means a named-field struct.
    if rest[..open].contains('{') {
        return None;
    }
    let mut depth = 0i32;
    for (i, c) in rest[open..].char_indices() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => {
                depth -= 1;
                if depth == 0 && c == ')' {
                    let field = rest[open + 1..open + i].trim().trim_end_matches(',').trim();
                    return (!field.is_empty()).then(|| field.trim_start_matches("pub ").trim());
                }
            }
            ',' if depth == 1 => {
                // A trailing comma before `)` is still one field.
                let after = rest[open + i + 1..].trim_start();
                if !after.starts_with(')') {
                    return None;
                }
            }
            _ => {}
        }
    }
    None
}

/// Items by module, a counting sort over module ids (no string compared).
fn by_module(items: &[Item<'_>]) -> Vec<Vec<u32>> {
    let mut modules: Vec<Vec<u32>> = vec![Vec::new(); items.iter().map(|i| i.module as usize + 1).max().unwrap_or(0)];
    for (i, item) in items.iter().enumerate() {
        modules[item.module as usize].push(i as u32);
    }
    modules
}

fn builders(items: &[Item<'_>], edges: &[[u32; 2]], files: &[Vec<u32>]) -> Vec<Match> {
    let mut types_by_name: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    for (i, item) in items.iter().enumerate().filter(|(_, it)| matches!(it.kind, "Struct" | "Enum")) {
        types_by_name.entry(item.name).or_insert(i as u32);
    }
    let mut out = Vec::new();
    for (b, item) in items.iter().enumerate().filter(|(_, it)| matches!(it.kind, "Struct" | "Enum")) {
        let Some(stem) = item.name.strip_suffix("Builder") else { continue };
        let build: Vec<u32> = files[item.module as usize]
            .iter()
            .copied()
            .filter(|&f| is_function(items[f as usize].kind) && items[f as usize].name.starts_with("build"))
            .collect();
        // What is built: the stem's type, else a type `build` uses.
        let target = types_by_name.get(stem).copied().filter(|_| !stem.is_empty()).or_else(|| {
            edges
                .iter()
                .find(|e| build.contains(&e[0]) && is_type(items[e[1] as usize].kind) && e[1] != b as u32)
                .map(|e| e[1])
        });
        if build.is_empty() && target.is_none() {
            continue;
        }
        let mut evidence = vec![format!("named {}", item.name)];
        if !build.is_empty() {
            evidence.push(format!("`{}` in its file", items[build[0] as usize].name));
        }
        let mut nodes = vec![b as u32];
        nodes.extend(&build);
        if let Some(t) = target {
            evidence.push(format!("builds {}", items[t as usize].name));
            nodes.push(t);
        }
        out.push(Match { pattern: Pattern::Builder, nodes, evidence: evidence.join(", ") });
    }
    out
}

fn newtypes(items: &[Item<'_>]) -> Vec<Match> {
    items
        .iter()
        .enumerate()
        .filter(|(_, it)| it.kind == "Struct")
        .filter_map(|(i, it)| {
            let field = single_field(it.signature)?;
            Some(Match {
                pattern: Pattern::Newtype,
                nodes: vec![i as u32],
                evidence: format!("a tuple struct with one field, {field}"),
            })
        })
        .collect()
}

fn visitors(items: &[Item<'_>], files: &[Vec<u32>]) -> Vec<Match> {
    let mut out = Vec::new();
    for (t, item) in items.iter().enumerate().filter(|(_, it)| it.kind == "Trait") {
        let visits: Vec<u32> = files[item.module as usize]
            .iter()
            .copied()
            .filter(|&f| is_function(items[f as usize].kind) && items[f as usize].name.starts_with("visit_"))
            .collect();
        let named = item.name.ends_with("Visitor");
        if !named && visits.len() < 2 {
            continue;
        }
        let mut evidence = Vec::new();
        if named {
            evidence.push(format!("named {}", item.name));
        }
        if !visits.is_empty() {
            let names: Vec<&str> = visits.iter().take(4).map(|&v| items[v as usize].name).collect();
            evidence.push(format!("{} visit_ functions in its file ({})", visits.len(), names.join(", ")));
        }
        let mut nodes = vec![t as u32];
        nodes.extend(visits);
        out.push(Match { pattern: Pattern::Visitor, nodes, evidence: evidence.join(", ") });
    }
    out
}

const OBSERVER_SUFFIXES: [&str; 3] = ["Listener", "Observer", "Subscriber"];

fn subscribes(name: &str) -> bool {
    matches!(name, "subscribe" | "add_listener" | "add_observer" | "watch" | "listen") || name.starts_with("register_")
}

fn notifies(name: &str) -> bool {
    name.starts_with("notify") || name.starts_with("on_") || matches!(name, "emit" | "publish" | "broadcast")
}

fn observers(items: &[Item<'_>], files: &[Vec<u32>]) -> Vec<Match> {
    let mut out = Vec::new();
    let mut files_done = vec![false; files.len()];
    for (t, item) in items.iter().enumerate().filter(|(_, it)| is_type(it.kind)) {
        let Some(suffix) = OBSERVER_SUFFIXES.iter().find(|s| item.name.ends_with(*s) && item.name.len() > s.len())
        else {
            continue;
        };
        files_done[item.module as usize] = true;
        out.push(Match {
            pattern: Pattern::Observer,
            nodes: vec![t as u32],
            evidence: format!("a {} named …{suffix}", item.kind.to_lowercase()),
        });
    }
    for (module, members) in files.iter().enumerate() {
        if files_done[module] {
            continue;
        }
        let fns = |test: fn(&str) -> bool| -> Vec<u32> {
            members
                .iter()
                .copied()
                .filter(|&m| is_function(items[m as usize].kind) && test(items[m as usize].name))
                .collect()
        };
        let (subscribe, notify) = (fns(subscribes), fns(notifies));
        if subscribe.is_empty() || notify.is_empty() {
            continue;
        }
        let evidence = format!(
            "its file can subscribe ({}) and tell ({})",
            items[subscribe[0] as usize].name, items[notify[0] as usize].name
        );
        let mut nodes = subscribe;
        nodes.extend(notify);
        out.push(Match { pattern: Pattern::Observer, nodes, evidence });
    }
    out
}

/// Every match in `items` joined by `edges` (`[from, to]` by item index), by pattern.
#[must_use]
pub fn detect(items: &[Item<'_>], edges: &[[u32; 2]]) -> Vec<Match> {
    let n = items.len() as u32;
    let edges: Vec<[u32; 2]> = edges.iter().copied().filter(|e| e[0] < n && e[1] < n).collect();
    let files = by_module(items);
    let mut out = builders(items, &edges, &files);
    out.extend(newtypes(items));
    out.extend(visitors(items, &files));
    out.extend(observers(items, &files));
    out
}
