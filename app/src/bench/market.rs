//! `?bench=market`: the marketplace in the page — verifying packages (MB/s), installing a 200 KB
//! plugin into IndexedDB, a 1,000-plugin registry's signed index opened and its list painted, and
//! search per keystroke over it with the list redrawn.

use leptos::prelude::*;
use marketplace::index::Index;
use marketplace::synth::{signed_index, signed_package};
use marketplace::{Catalog, KeyPair, Package, Query, check_package};
use studio_core::installed::InstalledSet;
use studio_core::market::CheckedPackage;

use super::figures::{Figure, percentiles};
use crate::browser_storage::IdbStorage;
use crate::loading::{next_paint, now_ms};

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
        let bytes = signed_package("bench", size, &publisher).map_err(|e| err(&e))?.write();
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
    let p = signed_package("bench-install", 200 << 10, &publisher).map_err(|e| err(&e))?;
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
    let (json, sig) = signed_index(1000, &registry_key, &publisher).map_err(|e| err(&e))?;
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
