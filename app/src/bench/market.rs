//! `?bench=market`: the marketplace in the page — verifying packages (MB/s), installing a 200 KB
//! plugin into IndexedDB, a 1,000-plugin registry's signed index opened and its list painted, and
//! search per keystroke over it with the list redrawn.

use std::collections::BTreeMap;

use leptos::prelude::*;
use marketplace::index::{Index, Publisher, Release};
use marketplace::{Catalog, KeyPair, Package, Query, check_package};
use studio_core::installed::InstalledSet;
use studio_core::market::CheckedPackage;

use super::figures::{Figure, percentiles};
use crate::browser_storage::IdbStorage;
use crate::loading::{next_paint, now_ms};

const WORDS: [&str; 12] =
    ["force", "layered", "graph", "module", "heat", "cycle", "export", "dot", "uml", "radial", "tree", "metric"];

/// A signed package whose module is `bytes` incompressible bytes.
fn package(name: &str, bytes: usize, key: &KeyPair) -> Result<Package, String> {
    let mut module = b"\0asm\x01\0\0\0".to_vec();
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    module.extend((0..bytes).map(|_| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s as u8
    }));
    let manifest = format!(
        "[plugin]\nname = \"{name}\"\nversion = \"1.0.0\"\nauthor = \"Bench\"\ndescription = \"A bench plugin.\"\n\
         kind = \"layout\"\nhost_api = \"^1.0\"\n[capabilities]\nread_isg = true\n"
    );
    let files = BTreeMap::from([
        ("plugin.toml".to_owned(), manifest.into_bytes()),
        ("plugin.wasm".to_owned(), module),
        ("README.md".to_owned(), b"# bench\n".to_vec()),
    ]);
    let mut p = Package::from_files(files, None).map_err(|e| e.to_string())?;
    key.sign_package(&mut p).map_err(|e| e.to_string())?;
    Ok(p)
}

/// A signed index of 1,000 plugins with three versions each.
fn registry(registry_key: &KeyPair, publisher: &KeyPair) -> Result<(Vec<u8>, String), String> {
    let mut index = Index::new("bench", 1, u64::MAX);
    index.publishers.push(Publisher { name: "Bench".into(), key: publisher.public().clone() });
    let key = publisher.public().id().to_string();
    for i in 0..1000 {
        let name = format!("{}-{}-{i}", WORDS[i % 12], WORDS[(i / 7) % 12]);
        let releases = (0..3)
            .map(|v| Release {
                version: semver::Version::new(1, v, 0),
                host_api: semver::VersionReq::parse("^1.0").unwrap_or_default(),
                kind: plugin_host::PluginKind::Layout,
                description: format!("Lays out graphs by {} with {}.", WORDS[(i * 3) % 12], WORDS[(i * 5) % 12]),
                author: "Bench".into(),
                category: "layout".into(),
                tags: vec![WORDS[(i * 11) % 12].into(), "graph".into()],
                license: "MIT".into(),
                capabilities: vec!["read_isg".into()],
                network: Vec::new(),
                dependencies: BTreeMap::new(),
                file: format!("packages/{name}-1.{v}.0.ptplugin"),
                size: 200_000,
                sha256: "a".repeat(64),
                publisher: key.clone(),
                yanked: false,
            })
            .collect();
        index.plugins.insert(name, releases);
    }
    let json = serde_json::to_vec(&index).map_err(|e| e.to_string())?;
    let sig = registry_key.sign(&json, &index.trusted_comment()).map_err(|e| e.to_string())?;
    Ok((json, sig))
}

/// Replaces the children of `list` with one item per name, as the marketplace list draws rows.
fn draw_list(list: &web_sys::Element, names: &[&str]) {
    list.set_inner_html("");
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    for name in names {
        if let Ok(li) = document.create_element("li") {
            li.set_text_content(Some(name));
            list.append_child(&li).ok();
        }
    }
}

/// Runs the marketplace figures.
pub async fn run_market(figures: RwSignal<Vec<Figure>>, status: RwSignal<String>) -> Result<(), String> {
    let push = |name: String, (p50, p95): (f64, f64), target: &'static str| {
        figures.update(|f| f.push(Figure { name, p50, p95, target }));
    };
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let publisher = KeyPair::generate("").map_err(|e| err(&e))?;
    let registry_key = KeyPair::generate("").map_err(|e| err(&e))?;
    let trusted = [publisher.public().clone()];
    for (label, size) in [("200 KB", 200 << 10), ("4 MB", 4 << 20)] {
        status.set(format!("verifying a {label} package"));
        next_paint().await;
        let bytes = package("bench", size, &publisher)?.write();
        let mut samples = Vec::new();
        for _ in 0..10 {
            let t = now_ms();
            let p = Package::read(&bytes).map_err(|e| err(&e))?;
            std::hint::black_box(check_package(&p, &trusted, &[]));
            samples.push(now_ms() - t);
        }
        let (p50, p95) = percentiles(samples);
        let mbps = bytes.len() as f64 / 1e6 / (p50 / 1000.0);
        push(format!("verify a {label} package (read, hash, signature): {mbps:.0} MB/s"), (p50, p95), "report MB/s");
    }

    status.set("installing a 200 KB plugin into IndexedDB".into());
    next_paint().await;
    let p = package("bench-install", 200 << 10, &publisher)?;
    let bytes = p.write();
    let status_of = check_package(&p, &trusted, &[]);
    let checked = CheckedPackage { package: p, status: status_of, registry: "bench".into() };
    let mut samples = Vec::new();
    for _ in 0..5 {
        let mut set = InstalledSet::load(&IdbStorage).await.map_err(|e| err(&e))?;
        let t = now_ms();
        let again = Package::read(&bytes).map_err(|e| err(&e))?;
        std::hint::black_box(check_package(&again, &trusted, &[]));
        set.install(&IdbStorage, &checked, &bytes).await.map_err(|e| err(&e))?;
        samples.push(now_ms() - t);
        set.uninstall(&IdbStorage, "bench-install").await.map_err(|e| err(&e))?;
    }
    push("install a 200 KB plugin: check, then keep in IndexedDB".into(), percentiles(samples), "report");

    status.set("a registry of 1,000 plugins".into());
    next_paint().await;
    let (json, sig) = registry(&registry_key, &publisher)?;
    let keys = [registry_key.public().clone()];
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let list = document.create_element("ul").map_err(|_| "no list".to_owned())?;
    document.body().ok_or("no body")?.append_child(&list).map_err(|_| "no list".to_owned())?;
    let mut samples = Vec::new();
    let mut catalog = Catalog::default();
    for _ in 0..5 {
        let t = now_ms();
        let index = Index::open(&json, Some(&sig), &keys, 0, None).map_err(|e| err(&e))?;
        catalog = Catalog { indexes: vec![index] };
        let rows = catalog.search(&Query::default());
        draw_list(&list, &rows.iter().map(|r| r.name).collect::<Vec<_>>());
        next_paint().await;
        samples.push(now_ms() - t);
    }
    push(
        format!("1,000-plugin registry ({} KB index): open and verify, list painted", json.len() >> 10),
        percentiles(samples),
        "report",
    );

    status.set("search per keystroke".into());
    next_paint().await;
    let typed = "force graph";
    let mut samples = Vec::new();
    for round in 0..5 {
        for end in 1..=typed.len() {
            let t = now_ms();
            let rows = catalog.search(&Query { text: typed[..end].to_owned(), ..Query::default() });
            draw_list(&list, &rows.iter().map(|r| r.name).collect::<Vec<_>>());
            samples.push(now_ms() - t);
            if round == 0 {
                next_paint().await;
            }
        }
    }
    push("search 1,000 plugins per keystroke, list redrawn".into(), percentiles(samples), "≤ 16 ms");
    list.remove();
    Ok(())
}
