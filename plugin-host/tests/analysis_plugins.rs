//! The first-party analysis plugins on real samples, their findings checked against figures computed
//! here from the graph, and against networkx where an established reader exists.

mod running;
mod support;

use std::sync::Arc;

use plugin_host::{GraphInput, HostPolicy, PluginHost};
use running::{column, load, no_fetch, tokio, tool};
use serde_json::json;

#[test]
fn tangles_on_tokio_mark_exactly_the_items_that_reach_themselves() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let mut plugin = load(&host, "tangles");
    let g = tokio();
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({}), None, no_fetch).expect("runs");
    let graph = g.graph();
    let n = graph.node_count();
    let mut next = vec![Vec::new(); n];
    for (a, b, _) in graph.edges() {
        if a != b {
            next[a.0 as usize].push(b.0);
        }
    }
    // Independently of Tarjan: an item is in a tangle when a walk from it comes back to it.
    let comes_back = |v: u32| {
        let mut seen = vec![false; n];
        let mut stack = next[v as usize].clone();
        while let Some(w) = stack.pop() {
            if w == v {
                return true;
            }
            if !std::mem::replace(&mut seen[w as usize], true) {
                stack.extend(&next[w as usize]);
            }
        }
        false
    };
    let size = column(&out, "tangle size");
    let tangled = size.iter().filter(|&&s| s > 0.0).count();
    assert!(tangled > 10, "tokio has mutually recursive items: {tangled}");
    for v in (0..n as u32).step_by(7) {
        assert_eq!(size[v as usize] > 0.0, comes_back(v), "item {v}");
    }
    assert!(
        out.findings.iter().any(|f| f.message.contains("modules depend on one another in a cycle")),
        "module tangles"
    );
    assert!(
        out.findings.iter().any(|f| f.message.contains("items call or use one another in a cycle")),
        "item tangles"
    );
    for f in out.findings.iter().filter(|f| f.severity == plugin_host::abi::Severity::Warning) {
        assert!(!f.nodes.is_empty(), "a warning selects what it is about: {}", f.message);
    }
}

#[test]
fn module_metrics_on_tokio_count_coupling_as_the_graph_says() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let mut plugin = load(&host, "module-metrics");
    let g = tokio();
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({}), None, no_fetch).expect("runs");
    let graph = g.graph();
    let module = |v: isg::NodeId| graph.module(v).0;
    // Ce written out: the items of a module with an edge leaving it.
    let mut leaving = std::collections::BTreeMap::<u32, std::collections::BTreeSet<u32>>::new();
    let mut entering = std::collections::BTreeMap::<u32, std::collections::BTreeSet<u32>>::new();
    for (a, b, _) in graph.edges() {
        if module(a) != module(b) {
            leaving.entry(module(a)).or_default().insert(a.0);
            entering.entry(module(b)).or_default().insert(a.0);
        }
    }
    let (ce, ca, instability) =
        (column(&out, "module Ce"), column(&out, "module Ca"), column(&out, "module instability"));
    for v in 0..graph.node_count() as u32 {
        let m = module(isg::NodeId(v));
        let (out_, in_) = (leaving.get(&m).map_or(0, |s| s.len()), entering.get(&m).map_or(0, |s| s.len()));
        assert_eq!(ce[v as usize], out_ as f32, "Ce of item {v}");
        assert_eq!(ca[v as usize], in_ as f32, "Ca of item {v}");
        let i = if out_ + in_ == 0 { 0.0 } else { out_ as f32 / (out_ + in_) as f32 };
        assert!((instability[v as usize] - i).abs() < 1e-6);
    }
    assert!(out.findings[0].message.contains("modules measured"), "{}", out.findings[0].message);
}

#[test]
fn start_here_on_tokio_lists_the_highest_ranks_in_order() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let mut plugin = load(&host, "start-here");
    let g = tokio();
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({"top": 10}), None, no_fetch).expect("runs");
    let rank = column(&out, "rank");
    assert!((rank.iter().map(|&r| f64::from(r)).sum::<f64>() - 1.0).abs() < 1e-3, "ranks sum to 1");
    let listed = &out.findings[0].nodes;
    assert_eq!(listed.len(), 10);
    assert!(listed.windows(2).all(|w| rank[w[0] as usize] >= rank[w[1] as usize]), "in rank order");
    let graph = g.graph();
    for (place, &v) in listed.iter().enumerate() {
        assert_eq!(out.findings[place + 1].nodes, [v], "each listed item is a finding that selects it");
        assert!(graph.in_degree(isg::NodeId(v)) > 0, "a top item is depended on");
        let path = graph.file_path(isg::NodeId(v));
        assert!(!path.starts_with("tests/") && !path.contains("/tests/"), "tests are left out: {path}");
    }
}

#[test]
fn unreferenced_on_tokio_reports_only_functions_nothing_reaches() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let mut plugin = load(&host, "unreferenced");
    let g = tokio();
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({}), None, no_fetch).expect("runs");
    let graph = g.graph();
    let reported = &out.findings[0].nodes;
    assert!(!reported.is_empty(), "{}", out.findings[0].message);
    let mut referenced = vec![false; graph.node_count()];
    for (a, b, _) in graph.edges() {
        if a != b {
            referenced[b.0 as usize] = true;
        }
    }
    for &v in reported {
        let id = isg::NodeId(v);
        assert!(!referenced[v as usize], "{} is referenced", graph.name(id));
        assert!(matches!(graph.kind_name(id), "Function" | "Method"), "{}", graph.kind_name(id));
        assert_ne!(graph.name(id), "main");
        assert!(!graph.file_path(id).contains("tests/"), "{}", graph.file_path(id));
    }
    let per_file: usize = out.findings[1..].iter().map(|f| f.nodes.len()).sum();
    assert_eq!(per_file, reported.len(), "every reported item is in its file's finding");
}

/// The modules of tokio's items, and its module dependencies as distinct `(from, to)` pairs.
fn module_pairs(g: &GraphInput) -> (Vec<u32>, std::collections::BTreeSet<(u32, u32)>) {
    let graph = g.graph();
    let modules: Vec<u32> = graph.nodes().map(|v| graph.module(v).0).collect();
    let pairs =
        graph.edges().map(|(a, b, _)| (modules[a.0 as usize], modules[b.0 as usize])).filter(|(a, b)| a != b).collect();
    (modules, pairs)
}

#[test]
fn smells_on_tokio_count_fans_and_hubs_as_the_graph_says() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let mut plugin = load(&host, "smells");
    let g = tokio();
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({}), None, no_fetch).expect("runs");
    let graph = g.graph();
    // Fans written out: distinct neighbours, self-loops left out.
    let pairs: std::collections::BTreeSet<(u32, u32)> =
        graph.edges().filter(|(a, b, _)| a != b).map(|(a, b, _)| (a.0, b.0)).collect();
    let (fan_in, fan_out) = (column(&out, "fan-in"), column(&out, "fan-out"));
    for v in 0..graph.node_count() as u32 {
        assert_eq!(fan_out[v as usize], pairs.iter().filter(|p| p.0 == v).count() as f32, "fan-out of {v}");
        assert_eq!(fan_in[v as usize], pairs.iter().filter(|p| p.1 == v).count() as f32, "fan-in of {v}");
    }
    let (modules, module_pairs) = module_pairs(&g);
    let hubs: Vec<_> = out.findings.iter().filter(|f| f.message.contains(" is hub-like: ")).collect();
    assert!(!hubs.is_empty(), "tokio has hub-like modules: {}", out.findings[0].message);
    for hub in hubs {
        let m = modules[hub.nodes[0] as usize];
        assert!(hub.nodes.iter().all(|&v| modules[v as usize] == m), "a hub selects its own items");
        let (ins, outs) =
            (module_pairs.iter().filter(|p| p.1 == m).count(), module_pairs.iter().filter(|p| p.0 == m).count());
        assert!(ins >= 10 && outs >= 10, "{ins} and {outs}");
        let file = graph.file_path(isg::NodeId(hub.nodes[0]));
        assert_eq!(
            hub.message,
            format!(
                "{file} is hub-like: {ins} modules depend on it and it depends on {outs}, so changes anywhere reach it and changes in it reach everywhere."
            )
        );
        assert!(!file.starts_with("tests/"), "tests are not reported: {file}");
    }
    assert!(out.findings.iter().any(|f| f.message.contains("modules that are less stable than itself")));
}

/// Runs networkx on tokio's module graph (undirected, dependencies summed both ways): the
/// modularity of the given partitions, then of networkx's own Louvain communities.
fn networkx_modularity(g: &GraphInput, partitions: &[&[u32]]) -> Vec<f64> {
    let graph = g.graph();
    let (modules, _) = module_pairs(g);
    let mut weights = std::collections::BTreeMap::<(u32, u32), u32>::new();
    for (a, b, _) in graph.edges() {
        let (x, y) = (modules[a.0 as usize], modules[b.0 as usize]);
        if x != y {
            *weights.entry((x.min(y), x.max(y))).or_default() += 1;
        }
    }
    let count = modules.iter().max().map_or(0, |&m| m + 1);
    let mut input = format!("{count}\n");
    for ((a, b), w) in weights {
        input.push_str(&format!("{a} {b} {w}\n"));
    }
    for p in partitions {
        input.push_str(&format!("P {}\n", p.iter().map(u32::to_string).collect::<Vec<_>>().join(" ")));
    }
    let script = "import sys, networkx as nx\n\
                  lines = sys.stdin.read().split('\\n')\n\
                  g = nx.Graph(); g.add_nodes_from(range(int(lines[0])))\n\
                  parts = []\n\
                  for l in lines[1:]:\n\
                  \x20   if l.startswith('P '): parts.append([int(x) for x in l[2:].split()])\n\
                  \x20   elif l: a, b, w = map(int, l.split()); g.add_edge(a, b, weight=w)\n\
                  for p in parts:\n\
                  \x20   groups = {}\n\
                  \x20   for v, c in enumerate(p): groups.setdefault(c, set()).add(v)\n\
                  \x20   print(nx.community.modularity(g, groups.values(), weight='weight'))\n\
                  print(nx.community.modularity(g, nx.community.louvain_communities(g, weight='weight', seed=1), weight='weight'))";
    tool("python3", &["-c", script], input.as_bytes()).lines().map(|l| l.trim().parse().expect("a number")).collect()
}

/// The number after `word` in `text`.
fn figure_after(text: &str, word: &str) -> f64 {
    let at = text.find(word).unwrap_or_else(|| panic!("{word} in {text}")) + word.len();
    text[at..]
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find(|s| !s.is_empty())
        .expect("a figure")
        .trim_end_matches('.')
        .parse()
        .expect("a number")
}

#[test]
fn communities_on_tokio_are_connected_and_their_modularity_agrees_with_networkx() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let mut plugin = load(&host, "communities");
    let g = tokio();
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({}), None, no_fetch).expect("runs");
    let (modules, pairs) = module_pairs(&g);
    let count = modules.iter().max().map_or(0, |&m| m as usize + 1);
    // Every item carries its module's community.
    let community = column(&out, "community");
    let mut of_module = vec![0u32; count];
    for (v, &m) in modules.iter().enumerate() {
        of_module[m as usize] = community[v] as u32;
    }
    for (v, &m) in modules.iter().enumerate() {
        assert_eq!(community[v] as u32, of_module[m as usize], "item {v}");
    }
    // Each community is connected by the dependencies between its own modules (Leiden's promise).
    let mut next = vec![Vec::new(); count];
    for &(a, b) in &pairs {
        next[a as usize].push(b);
        next[b as usize].push(a);
    }
    for c in 1..=of_module.iter().copied().max().unwrap_or(0) {
        let members: Vec<u32> = (0..count as u32).filter(|&m| of_module[m as usize] == c).collect();
        // A module id no item has is a community of its own that no item carries.
        if members.is_empty() {
            continue;
        }
        let mut seen = std::collections::BTreeSet::from([members[0]]);
        let mut stack = vec![members[0]];
        while let Some(m) = stack.pop() {
            for &n in &next[m as usize] {
                if of_module[n as usize] == c && seen.insert(n) {
                    stack.push(n);
                }
            }
        }
        assert_eq!(seen.len(), members.len(), "community {c} is connected");
    }
    // The figures in the summary are networkx's for the same partitions, and Leiden does at least
    // as well as networkx's Louvain.
    let graph = g.graph();
    // A module id no item has is an isolated node: in any group, it changes no modularity.
    let folder = |m: u32| {
        let Some(v) = modules.iter().position(|&k| k == m) else { return String::new() };
        let path = graph.file_path(isg::NodeId(v as u32));
        path.rsplit_once('/').map_or(".", |(f, _)| f).to_owned()
    };
    let folder_names: Vec<String> = (0..count as u32).map(folder).collect();
    let folder_ids: Vec<u32> =
        folder_names.iter().map(|f| folder_names.iter().position(|g| g == f).expect("itself") as u32).collect();
    let expected = networkx_modularity(&g, &[&of_module, &folder_ids]);
    let summary = &out.findings[0].message;
    assert!((figure_after(summary, "modularity ") - expected[0]).abs() < 0.0015, "{summary} vs {expected:?}");
    assert!((figure_after(summary, "as communities score ") - expected[1]).abs() < 0.0015, "{summary} vs {expected:?}");
    assert!(expected[0] >= expected[2] - 0.01, "Leiden {} against Louvain {}", expected[0], expected[2]);
    assert!(out.findings[1].message.starts_with("Community 1: "), "{}", out.findings[1].message);
}

#[test]
fn patterns_on_tokio_name_what_each_match_rests_on() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let mut plugin = load(&host, "patterns");
    let g = tokio();
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({}), None, no_fetch).expect("runs");
    let graph = g.graph();
    assert!(out.findings[0].message.starts_with("Experimental: "), "{}", out.findings[0].message);
    let builders: Vec<_> = out.findings.iter().filter(|f| f.message.starts_with("builder: ")).collect();
    assert!(!builders.is_empty(), "tokio has builders");
    for f in &builders {
        let main = isg::NodeId(f.nodes[0]);
        assert!(graph.name(main).ends_with("Builder"), "{}", f.message);
        assert!(
            f.message.contains(&format!("in {} (named {}", graph.file_path(main), graph.name(main))),
            "{}",
            f.message
        );
        // Whatever else it names is in the selection: a build function of its file or the type it builds.
        for &n in &f.nodes[1..] {
            let (name, file) = (graph.name(isg::NodeId(n)), graph.file_path(isg::NodeId(n)));
            assert!(
                name.starts_with("build") && file == graph.file_path(main)
                    || f.message.contains(&format!("builds {name}")),
                "{name} in {}",
                f.message
            );
        }
    }
}
