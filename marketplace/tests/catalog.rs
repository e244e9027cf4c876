//! All registries together: search and filters, and dependency resolution with semver across
//! registries, with conflicts, cycles and missing plugins named.

use std::collections::BTreeMap;

use marketplace::index::{Index, Release};
use marketplace::{Catalog, Query, ResolveError, Resolved, Sort};
use plugin_host::PluginKind;

fn rel(version: &str, kind: PluginKind, deps: &[(&str, &str)]) -> Release {
    Release {
        version: version.parse().unwrap(),
        host_api: "^1.0".parse().unwrap(),
        kind,
        description: format!("does {version}"),
        author: "T".into(),
        category: if kind == PluginKind::Layout { "layout".into() } else { "style".into() },
        tags: vec!["graph".into()],
        license: String::new(),
        capabilities: Vec::new(),
        network: Vec::new(),
        dependencies: deps.iter().map(|(n, r)| ((*n).to_owned(), r.parse().unwrap())).collect::<BTreeMap<_, _>>(),
        file: "packages/x.ptplugin".into(),
        size: 1,
        sha256: "0".repeat(64),
        publisher: "K".into(),
        yanked: false,
        published: 0,
    }
}

fn index(name: &str, plugins: Vec<(&str, Vec<Release>)>) -> Index {
    let mut i = Index::new(name, 1, u64::MAX);
    i.plugins = plugins.into_iter().map(|(n, r)| (n.to_owned(), r)).collect();
    i
}

fn host() -> semver::Version {
    "1.4.0".parse().unwrap()
}

fn names(resolved: &[Resolved]) -> Vec<String> {
    resolved.iter().map(|r| format!("{}@{}", r.name, r.version)).collect()
}

#[test]
fn search_ranks_names_before_tags_before_descriptions_and_filters() {
    let mut force = rel("1.0.0", PluginKind::Layout, &[]);
    force.tags = vec!["physics".into()];
    let mut heat = rel("0.3.0", PluginKind::Renderer, &[]);
    heat.description = "colours by physics-like heat".into();
    let catalog = Catalog {
        indexes: vec![index(
            "main",
            vec![
                ("force", vec![force]),
                ("heatmap", vec![heat]),
                ("physics-sim", vec![rel("1.0.0", PluginKind::Layout, &[])]),
            ],
        )],
    };
    let found: Vec<&str> =
        catalog.search(&Query { text: "physics".into(), ..Query::default() }).iter().map(|l| l.name).collect();
    assert_eq!(found, ["physics-sim", "force", "heatmap"]);
    let layouts = catalog.search(&Query { kind: Some(PluginKind::Layout), ..Query::default() });
    assert_eq!(layouts.len(), 2);
    assert_eq!(catalog.search(&Query { category: Some("style".into()), ..Query::default() }).len(), 1);
    assert_eq!(catalog.categories(), ["layout", "style"]);
    assert!(
        catalog.search(&Query { text: "physics nothing".into(), ..Query::default() }).is_empty(),
        "all words must match"
    );
}

#[test]
fn the_list_sorts_by_match_name_newest_and_size() {
    let release = |published: u64, size: u64, description: &str| Release {
        published,
        size,
        description: description.into(),
        ..rel("1.0.0", PluginKind::Layout, &[])
    };
    let catalog = Catalog {
        indexes: vec![index(
            "main",
            vec![
                ("alpha", vec![release(100, 300, "lays out trees")]),
                ("beta-tree", vec![release(300, 200, "a tree layout")]),
                ("gamma", vec![release(200, 100, "for a tree")]),
            ],
        )],
    };
    let order = |text: &str, sort: Sort| -> Vec<String> {
        catalog
            .search(&Query { text: text.into(), sort, ..Query::default() })
            .iter()
            .map(|l| l.name.to_owned())
            .collect()
    };
    assert_eq!(order("tree", Sort::Relevance), ["beta-tree", "alpha", "gamma"]);
    assert_eq!(order("tree", Sort::Name), ["alpha", "beta-tree", "gamma"]);
    assert_eq!(order("", Sort::Newest), ["beta-tree", "gamma", "alpha"]);
    assert_eq!(order("", Sort::Smallest), ["gamma", "beta-tree", "alpha"]);
}

#[test]
fn resolution_picks_the_newest_fitting_versions_across_registries_dependencies_first() {
    let mut yanked = rel("2.1.0", PluginKind::Layout, &[]);
    yanked.yanked = true;
    let mut future = rel("3.0.0", PluginKind::Layout, &[]);
    future.host_api = "^2.0".parse().unwrap();
    let catalog = Catalog {
        indexes: vec![
            index("main", vec![("app", vec![rel("1.0.0", PluginKind::Renderer, &[("base", "^2.0"), ("util", "^1")])])]),
            index(
                "team",
                vec![
                    (
                        "base",
                        vec![
                            rel("1.9.0", PluginKind::Layout, &[]),
                            rel("2.0.3", PluginKind::Layout, &[]),
                            yanked,
                            future,
                        ],
                    ),
                    ("util", vec![rel("1.2.0", PluginKind::Layout, &[("base", ">=2.0.1")])]),
                ],
            ),
        ],
    };
    let got = catalog.resolve("app", &"*".parse().unwrap(), &host()).unwrap();
    // base 3.0.0 needs a newer host, 2.1.0 is yanked: 2.0.3 fits every requirement.
    assert_eq!(names(&got), ["base@2.0.3", "util@1.2.0", "app@1.0.0"]);
    assert_eq!(got[0].registry, 1);
    // Pinning a yanked version exactly still finds it.
    let pinned = catalog.resolve("base", &"=2.1.0".parse().unwrap(), &host()).unwrap();
    assert_eq!(names(&pinned), ["base@2.1.0"]);
}

#[test]
fn conflicts_cycles_missing_and_revoked_are_named() {
    let conflict = Catalog {
        indexes: vec![index(
            "main",
            vec![
                ("app", vec![rel("1.0.0", PluginKind::Layout, &[("base", "^1"), ("util", "*")])]),
                ("util", vec![rel("1.0.0", PluginKind::Layout, &[("base", "^2")])]),
                ("base", vec![rel("1.5.0", PluginKind::Layout, &[]), rel("2.0.0", PluginKind::Layout, &[])]),
            ],
        )],
    };
    let e = conflict.resolve("app", &"*".parse().unwrap(), &host()).unwrap_err();
    assert!(matches!(&e, ResolveError::Conflict { plugin, .. } if plugin == "base"), "{e}");
    assert!(e.to_string().contains("app 1.0.0 needs ^1") && e.to_string().contains("util 1.0.0 needs ^2"), "{e}");

    let cycle = Catalog {
        indexes: vec![index(
            "main",
            vec![
                ("a", vec![rel("1.0.0", PluginKind::Layout, &[("b", "*")])]),
                ("b", vec![rel("1.0.0", PluginKind::Layout, &[("a", "*")])]),
            ],
        )],
    };
    assert_eq!(
        cycle.resolve("a", &"*".parse().unwrap(), &host()),
        Err(ResolveError::Cycle { cycle: vec!["a".into(), "b".into(), "a".into()] })
    );

    let missing = Catalog {
        indexes: vec![index("main", vec![("a", vec![rel("1.0.0", PluginKind::Layout, &[("ghost", "^1")])])])],
    };
    assert_eq!(
        missing.resolve("a", &"*".parse().unwrap(), &host()),
        Err(ResolveError::Missing { plugin: "ghost".into(), wanted_by: "a 1.0.0".into() })
    );

    let mut revoked = index(
        "main",
        vec![("base", vec![rel("1.0.0", PluginKind::Layout, &[]), rel("1.1.0", PluginKind::Layout, &[])])],
    );
    revoked.revoked.push(marketplace::Revoked {
        name: "base".into(),
        version: "1.1.0".parse().unwrap(),
        reason: "steals tokens".into(),
    });
    let catalog = Catalog { indexes: vec![revoked] };
    assert_eq!(
        names(&catalog.resolve("base", &"*".parse().unwrap(), &host()).unwrap()),
        ["base@1.0.0"],
        "never a revoked version"
    );
    assert_eq!(catalog.revoked("base", &"1.1.0".parse().unwrap()), Some("steals tokens"));
}
