//! The plots of the findings panel, as marks (lines, dots, bars, text) in SVG user units: the app
//! draws the same marks as SVG elements (a dot or bar that stands for items selects them on a
//! click), and [`Plot::svg`] writes them as a document for export. One geometry, two outputs.
//!
//! - [`main_sequence`]: abstractness against instability, one dot per module, with the main
//!   sequence A + I = 1 and the zones of pain and uselessness;
//! - [`degree_distribution`]: how many items have each in- and out-degree, in powers of two;
//! - [`community_sizes`]: the items in each community, the biggest first.

use isg::{Graph, NodeId};
use plugin_host::abi::metric_names::{COMMUNITY, MODULE_ABSTRACTNESS, MODULE_INSTABILITY};

use crate::AnalysisRun;

/// Plot size in SVG user units.
pub const WIDTH: f32 = 360.0;
/// Plot size in SVG user units.
pub const HEIGHT: f32 = 260.0;
/// Room for axes and their labels: left, top, right, bottom.
const MARGIN: [f32; 4] = [44.0, 36.0, 12.0, 36.0];

/// The app's colours (its dark theme), as CSS colours.
pub mod colors {
    /// Plot background.
    pub const BACKGROUND: &str = "#14171c";
    /// Axes and ticks.
    pub const AXIS: &str = "#6b7488";
    /// Text.
    pub const TEXT: &str = "#c8d0df";
    /// Dots and bars: the modules' colour in the default look.
    pub const MARK: &str = "#6cc06c";
    /// A second series (out-degree).
    pub const SECOND: &str = "#4e9af0";
    /// The main sequence.
    pub const GUIDE: &str = "#b08cf0";
    /// The zones far from it.
    pub const ZONE: &str = "#f08c3c";
}

/// One thing drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A line segment.
    Line {
        /// From.
        from: [f32; 2],
        /// To.
        to: [f32; 2],
        /// CSS colour.
        color: &'static str,
        /// Dashed.
        dashed: bool,
    },
    /// A filled polygon (a zone).
    Area {
        /// Corners.
        points: Vec<[f32; 2]>,
        /// CSS colour.
        color: &'static str,
        /// Opacity.
        opacity: f32,
    },
    /// A dot standing for items.
    Dot {
        /// Centre.
        at: [f32; 2],
        /// Radius.
        r: f32,
        /// CSS colour.
        color: &'static str,
        /// Its tooltip.
        title: String,
        /// The items a click selects.
        nodes: Vec<u32>,
    },
    /// A bar standing for items.
    Bar {
        /// Top-left corner.
        at: [f32; 2],
        /// Width and height.
        size: [f32; 2],
        /// CSS colour.
        color: &'static str,
        /// Its tooltip.
        title: String,
        /// The items a click selects.
        nodes: Vec<u32>,
    },
    /// Text.
    Text {
        /// Anchor point.
        at: [f32; 2],
        /// The text.
        text: String,
        /// `start`, `middle` or `end`.
        anchor: &'static str,
    },
}

/// A plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// What it shows.
    pub title: String,
    /// Its marks, back to front.
    pub marks: Vec<Mark>,
}

// XML text, escaped as the renderer's SVG export escapes labels (one definition).
use renderer::svg::xml_escape as xml_text;

impl Plot {
    /// The plot as a standalone SVG document.
    #[must_use]
    pub fn svg(&self) -> String {
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"sans-serif\" font-size=\"10\">\n<title>{}</title>\n<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{}\"/>\n",
            xml_text(&self.title),
            colors::BACKGROUND
        );
        for mark in &self.marks {
            match mark {
                Mark::Line { from, to, color, dashed } => out.push_str(&format!(
                    "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{color}\"{}/>\n",
                    from[0],
                    from[1],
                    to[0],
                    to[1],
                    if *dashed { " stroke-dasharray=\"4 3\"" } else { "" }
                )),
                Mark::Area { points, color, opacity } => out.push_str(&format!(
                    "<polygon points=\"{}\" fill=\"{color}\" fill-opacity=\"{opacity}\"/>\n",
                    points.iter().map(|p| format!("{:.1},{:.1}", p[0], p[1])).collect::<Vec<_>>().join(" ")
                )),
                Mark::Dot { at, r, color, title, .. } => out.push_str(&format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r}\" fill=\"{color}\" fill-opacity=\"0.8\"><title>{}</title></circle>\n",
                    at[0],
                    at[1],
                    xml_text(title)
                )),
                Mark::Bar { at, size, color, title, .. } => out.push_str(&format!(
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{color}\"><title>{}</title></rect>\n",
                    at[0],
                    at[1],
                    size[0],
                    size[1],
                    xml_text(title)
                )),
                Mark::Text { at, text, anchor } => out.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" fill=\"{}\">{}</text>\n",
                    at[0],
                    at[1],
                    colors::TEXT,
                    xml_text(text)
                )),
            }
        }
        out.push_str("</svg>\n");
        out
    }
}

/// Where `(x, y)` in `[0, 1]²` lands in the plot area.
fn place(x: f32, y: f32) -> [f32; 2] {
    let [left, top, right, bottom] = MARGIN;
    [left + x * (WIDTH - left - right), HEIGHT - bottom - y * (HEIGHT - top - bottom)]
}

/// The title, the axes and their labels.
fn frame(title: &str, x_label: &str, y_label: &str, x_ticks: &[(f32, String)], y_ticks: &[(f32, String)]) -> Vec<Mark> {
    let axis = |from, to| Mark::Line { from, to, color: colors::AXIS, dashed: false };
    let mut marks = vec![
        Mark::Text { at: [WIDTH / 2.0, 13.0], text: title.to_owned(), anchor: "middle" },
        axis(place(0.0, 0.0), place(1.0, 0.0)),
        axis(place(0.0, 0.0), place(0.0, 1.0)),
        Mark::Text { at: [WIDTH / 2.0, HEIGHT - 6.0], text: x_label.to_owned(), anchor: "middle" },
        Mark::Text { at: [4.0, 27.0], text: y_label.to_owned(), anchor: "start" },
    ];
    for (x, label) in x_ticks {
        let at = place(*x, 0.0);
        marks.push(axis(at, [at[0], at[1] + 3.0]));
        marks.push(Mark::Text { at: [at[0], at[1] + 13.0], text: label.clone(), anchor: "middle" });
    }
    for (y, label) in y_ticks {
        let at = place(0.0, *y);
        marks.push(axis([at[0] - 3.0, at[1]], at));
        marks.push(Mark::Text { at: [at[0] - 5.0, at[1] + 3.0], text: label.clone(), anchor: "end" });
    }
    marks
}

/// The column named `name` of `run`, if it has one value per node of `graph`.
fn column<'a>(run: &'a AnalysisRun, graph: &Graph, name: &str) -> Option<&'a [f32]> {
    run.metrics.iter().find(|c| c.name == name && c.values.len() == graph.node_count()).map(|c| c.values.as_slice())
}

/// The main-sequence scatter of a run that gives every item its module's instability and
/// abstractness ([`MODULE_INSTABILITY`], [`MODULE_ABSTRACTNESS`]); `None` for a run that does not.
#[must_use]
pub fn main_sequence(graph: &Graph, run: &AnalysisRun) -> Option<Plot> {
    let (instability, abstractness) =
        (column(run, graph, MODULE_INSTABILITY)?, column(run, graph, MODULE_ABSTRACTNESS)?);
    let ticks: Vec<(f32, String)> = [0.0, 0.5, 1.0].iter().map(|&t| (t, format!("{t:.1}"))).collect();
    let mut marks =
        frame("Main sequence: abstractness against instability", "instability I", "abstractness A", &ticks, &ticks);
    // The zones where |A + I − 1| ≥ 0.7: pain near the origin, uselessness at the far corner.
    marks.insert(
        0,
        Mark::Area {
            points: vec![place(0.0, 0.0), place(0.3, 0.0), place(0.0, 0.3)],
            color: colors::ZONE,
            opacity: 0.18,
        },
    );
    marks.insert(
        0,
        Mark::Area {
            points: vec![place(1.0, 1.0), place(0.7, 1.0), place(1.0, 0.7)],
            color: colors::ZONE,
            opacity: 0.18,
        },
    );
    marks.push(Mark::Line { from: place(0.0, 1.0), to: place(1.0, 0.0), color: colors::GUIDE, dashed: true });
    marks.push(Mark::Text { at: place(0.02, 0.04), text: "pain".into(), anchor: "start" });
    marks.push(Mark::Text { at: place(0.98, 0.92), text: "uselessness".into(), anchor: "end" });
    for (file, items) in crate::items_by_file(graph) {
        let (i, a) = (instability[items[0] as usize], abstractness[items[0] as usize]);
        if !(i.is_finite() && a.is_finite()) {
            continue;
        }
        let r = (2.0 + (items.len() as f32).sqrt() * 0.5).min(7.0);
        marks.push(Mark::Dot {
            at: place(i.clamp(0.0, 1.0), a.clamp(0.0, 1.0)),
            r,
            color: colors::MARK,
            title: format!("{file}: I {i:.2}, A {a:.2}, D {:.2} ({} items)", (a + i - 1.0).abs(), items.len()),
            nodes: items,
        });
    }
    Some(Plot { title: "Main sequence".into(), marks })
}

/// Degree buckets: 0, 1, 2–3, 4–7, … up to the largest degree.
fn bucket(degree: usize) -> usize {
    if degree == 0 { 0 } else { (usize::BITS - degree.leading_zeros()) as usize }
}

/// How many items have each in-degree and out-degree, in powers of two, bars on a log scale.
#[must_use]
pub fn degree_distribution(graph: &Graph) -> Plot {
    let mut counts: Vec<[u32; 2]> = Vec::new();
    for v in graph.nodes() {
        for (side, degree) in [graph.in_degree(v), graph.out_degree(v)].into_iter().enumerate() {
            let b = bucket(degree);
            if counts.len() <= b {
                counts.resize(b + 1, [0, 0]);
            }
            counts[b][side] += 1;
        }
    }
    let most = counts.iter().flatten().copied().max().unwrap_or(1).max(1) as f32;
    let height = |c: u32| if c == 0 { 0.0 } else { (1.0 + (c as f32).log10()) / (1.0 + most.log10()) };
    let slots = counts.len().max(1) as f32;
    let label = |b: usize| match b {
        0 => "0".to_owned(),
        1 => "1".to_owned(),
        b => format!("{}", 1usize << (b - 1)),
    };
    let x_ticks: Vec<(f32, String)> = (0..counts.len()).map(|b| ((b as f32 + 0.5) / slots, label(b))).collect();
    let y_ticks: Vec<(f32, String)> = (0..=most.log10().floor() as i32)
        .map(|p| ((1.0 + p as f32) / (1.0 + most.log10()), format!("{}", 10u64.pow(p as u32))))
        .collect();
    let mut marks =
        frame("Degree distribution (in: green, out: blue)", "degree (from)", "items (log)", &x_ticks, &y_ticks);
    let width = (WIDTH - MARGIN[0] - MARGIN[2]) / slots;
    for (b, [incoming, outgoing]) in counts.iter().enumerate() {
        for (side, (count, color, word)) in
            [(*incoming, colors::MARK, "in"), (*outgoing, colors::SECOND, "out")].into_iter().enumerate()
        {
            let h = height(count);
            let top = place(b as f32 / slots, h);
            let bottom = place(0.0, 0.0)[1];
            marks.push(Mark::Bar {
                at: [top[0] + 1.0 + side as f32 * (width - 2.0) / 2.0, top[1]],
                size: [(width - 2.0) / 2.0, bottom - top[1]],
                color,
                title: format!("{count} items with {word}-degree {}", label(b)),
                nodes: Vec::new(),
            });
        }
    }
    Plot { title: "Degree distribution".into(), marks }
}

/// Community sizes of a run that gives every item its community ([`COMMUNITY`], numbered from
/// 1), the biggest first (at most 40 bars); `None` for a run that does not.
#[must_use]
pub fn community_sizes(graph: &Graph, run: &AnalysisRun) -> Option<Plot> {
    let community = column(run, graph, COMMUNITY)?;
    let mut members: std::collections::BTreeMap<u32, Vec<u32>> = std::collections::BTreeMap::new();
    for (v, &c) in community.iter().enumerate() {
        if c >= 1.0 && c.is_finite() {
            members.entry(c as u32).or_default().push(v as u32);
        }
    }
    let mut sizes: Vec<(u32, Vec<u32>)> = members.into_iter().collect();
    sizes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let shown = sizes.len().min(40);
    let most = sizes.first().map_or(1, |s| s.1.len()).max(1) as f32;
    let y_ticks = vec![(0.0, "0".to_owned()), (1.0, format!("{}", most as u32))];
    let title = if sizes.len() > shown {
        format!("Community sizes (the {shown} biggest of {})", sizes.len())
    } else {
        format!("Community sizes ({} communities)", sizes.len())
    };
    let mut marks = frame(&title, "community", "items", &[], &y_ticks);
    let width = (WIDTH - MARGIN[0] - MARGIN[2]) / shown.max(1) as f32;
    for (slot, (id, items)) in sizes.into_iter().take(shown).enumerate() {
        let top = place(slot as f32 / shown.max(1) as f32, items.len() as f32 / most);
        let bottom = place(0.0, 0.0)[1];
        marks.push(Mark::Bar {
            at: [top[0] + 0.5, top[1]],
            size: [(width - 1.0).max(0.5), bottom - top[1]],
            color: colors::MARK,
            title: format!("community {id}: {} items, the first {}", items.len(), graph.name(NodeId(items[0]))),
            nodes: items,
        });
    }
    Some(Plot { title: "Community sizes".into(), marks })
}
