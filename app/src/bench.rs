//! The in-browser benchmark page (`?bench=isg`): the ISG model's figures measured in wasm in the
//! browser, printed as a table and as JSON for `cargo xtask bench` to collect.

use isg::diff::diff;
use isg::query::{Direction, SearchIndex, neighbourhood, strongly_connected_components};
use isg::synth::{SynthSpec, generate};
use isg::{NodeId, SourceFile, load};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::loading::{fetch_with_progress, next_paint, now_ms};

/// One measured figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// What was measured.
    pub name: String,
    /// Median, ms.
    pub p50: f64,
    /// 95th percentile, ms.
    pub p95: f64,
    /// The issue's target, in words.
    pub target: &'static str,
}

fn percentiles(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}

fn time_n(n: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    let samples = (0..n)
        .map(|i| {
            let t = now_ms();
            f(i);
            now_ms() - t
        })
        .collect();
    percentiles(samples)
}

const KEYSTROKES: &[&str] = &[
    "s", "sp", "spa", "spaw", "spawn", "r", "re", "rea", "read", "read_", "read_b", "f", "fr", "fra", "fram", "frame",
];

async fn run(figures: RwSignal<Vec<Figure>>, status: RwSignal<String>) -> Result<(), String> {
    let push = |name: &str, (p50, p95): (f64, f64), target: &'static str| {
        figures.update(|f| f.push(Figure { name: name.to_owned(), p50, p95, target }));
    };
    status.set("downloading the registry sample".into());
    next_paint().await;
    let registry = fetch_with_progress("samples/registry-full.json.gz", &|_| {}).await?;
    status.set("load and index: registry".into());
    next_paint().await;
    let registry_load = time_n(3, |_| {
        let loaded = load(&[SourceFile { name: "registry-full.json.gz", bytes: &registry.bytes }]);
        if let Ok(l) = loaded {
            std::hint::black_box(SearchIndex::build(&l.graph));
        }
    });
    push("load+index registry (179k nodes / 406k edges, .gz)", registry_load, "≤ 1500 ms");

    status.set("generating a 100k / 1M synthetic graph".into());
    next_paint().await;
    let big = generate(SynthSpec { nodes: 100_000, edges: 1_000_000, seed: 42 });
    let json = isg::snapshot::to_snapshot_json(&big);
    status.set("load and index: 100k / 1M".into());
    next_paint().await;
    let big_load = time_n(3, |_| {
        if let Ok(l) = load(&[SourceFile { name: "synthetic.json", bytes: json.as_bytes() }]) {
            std::hint::black_box(SearchIndex::build(&l.graph));
        }
    });
    drop(json);
    push("load+index 100k nodes / 1M edges", big_load, "≤ 2000 ms");

    status.set("search, neighbourhood, scc, diff".into());
    next_paint().await;
    let index = SearchIndex::build(&big);
    push(
        "search per keystroke, 100k nodes",
        time_n(KEYSTROKES.len() * 10, |i| {
            std::hint::black_box(index.search(&big, KEYSTROKES[i % KEYSTROKES.len()], 30));
        }),
        "p95 ≤ 5 ms",
    );
    let n = big.node_count() as u32;
    push(
        "3-hop neighbourhood, 100k / 1M",
        time_n(300, |i| {
            let seed = NodeId((i as u32).wrapping_mul(2_654_435_761) % n);
            std::hint::black_box(neighbourhood(&big, &[seed], 3, Direction::Both, None));
        }),
        "≤ 2 ms",
    );
    push(
        "strongly connected components, 1M edges",
        time_n(3, |_| {
            std::hint::black_box(strongly_connected_components(&big));
        }),
        "≤ 200 ms",
    );
    drop(big);
    let old = generate(SynthSpec { nodes: 100_000, edges: 500_000, seed: 11 });
    let new = generate(SynthSpec { nodes: 100_000, edges: 520_000, seed: 11 });
    push(
        "diff of two 100k-node graphs",
        time_n(3, |_| {
            std::hint::black_box(diff(&old, &new));
        }),
        "≤ 500 ms",
    );
    Ok(())
}

/// The bench page: runs once on mount and shows the figures.
#[component]
pub fn BenchPage() -> impl IntoView {
    let figures = RwSignal::new(Vec::<Figure>::new());
    let status = RwSignal::new(String::from("starting"));
    let done = RwSignal::new(false);
    spawn_local(async move {
        match run(figures, status).await {
            Ok(()) => status.set("done".into()),
            Err(e) => status.set(format!("failed: {e}")),
        }
        done.set(true);
    });
    let json = move || {
        let rows: Vec<String> = figures
            .get()
            .iter()
            .map(|f| {
                format!(
                    "{{\"name\":{:?},\"p50_ms\":{:.3},\"p95_ms\":{:.3},\"target\":{:?}}}",
                    f.name, f.p50, f.p95, f.target
                )
            })
            .collect();
        format!("[{}]", rows.join(","))
    };
    view! {
        <main class="bench">
            <h1>"Parseltongue Studio: in-browser ISG benchmarks"</h1>
            <p data-testid="bench-status">{move || status.get()}</p>
            <table class="counts">
                <tr>
                    <th>"figure"</th>
                    <th>"p50 ms"</th>
                    <th>"p95 ms"</th>
                    <th>"target"</th>
                </tr>
                {move || {
                    figures
                        .get()
                        .into_iter()
                        .map(|f| {
                            view! {
                                <tr>
                                    <td>{f.name}</td>
                                    <td class="num">{format!("{:.2}", f.p50)}</td>
                                    <td class="num">{format!("{:.2}", f.p95)}</td>
                                    <td>{f.target}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </table>
            <Show when=move || done.get()>
                <pre data-testid="bench-results">{json}</pre>
            </Show>
        </main>
    }
}
