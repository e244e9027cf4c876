//! The legend: what the colours, glyphs and lines of the picture mean, for the default look or
//! as a renderer plugin declares it, under a title naming the graph. The shell shows it beside the
//! view; [`Legend::svg`] and [`Legend::rasterize`] put the same legend into SVG and PNG exports.
//!
//! One layout serves both exports: the font is monospace, so a line's width is its character
//! count times the advance.

use std::fmt::Write;

use isg::Graph;

use crate::labels::{FontError, bundled_font};
use crate::style::{Rgba, Shape, edge_color, kind_color, kind_shape};
use crate::svg::xml_escape;

/// What an entry's swatch looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Swatch {
    /// A node glyph.
    Node(Shape),
    /// An edge line, with an arrowhead.
    Line {
        /// Dashed rather than solid.
        dashed: bool,
    },
    /// A filled area (a hull around a group).
    Area,
}

/// One line of a legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// The swatch.
    pub swatch: Swatch,
    /// Its colour.
    pub color: Rgba,
    /// What it means.
    pub label: String,
}

/// A group of entries under a heading.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendSection {
    /// The heading.
    pub heading: String,
    /// The entries.
    pub entries: Vec<LegendEntry>,
}

/// A legend: a title, sections of entries, and notes in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Legend {
    /// What the picture shows (the graph's name and size).
    pub title: String,
    /// Swatches and their meaning.
    pub sections: Vec<LegendSection>,
    /// Sentences: direction, what size means.
    pub notes: Vec<String>,
}

/// Most characters of a line; longer ones end in an ellipsis.
const MAX_CHARS: usize = 64;
/// Most entries of one section; the rest are summed up in one line.
const MAX_ENTRIES: usize = 12;

/// Layout in CSS pixels at scale 1.
const FONT_PX: f32 = 12.0;
const LINE_PX: f32 = 17.0;
const PAD_PX: f32 = 8.0;
const SWATCH_PX: f32 = 12.0;
const SWATCH_GAP_PX: f32 = 6.0;
/// DejaVu Sans Mono's advance, in ems.
const ADVANCE_EM: f32 = 0.602;

/// The legend's background, the app's own (`#12141a`), mostly opaque.
const BACKGROUND: [u8; 4] = [18, 20, 26, 225];
const TEXT: [u8; 4] = [230, 233, 240, 255];
const MUTED: [u8; 4] = [150, 158, 175, 255];

fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(MAX_CHARS - 1).collect();
        s.push('…');
        s
    }
}

impl Legend {
    /// The default look's legend for `graph`: each node kind and edge kind it holds, with its
    /// colour and glyph, and how to read direction and size.
    #[must_use]
    pub fn default_look(graph: &Graph, title: impl Into<String>) -> Self {
        let nodes = graph
            .node_counts_by_kind()
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(kind, n)| LegendEntry {
                swatch: Swatch::Node(kind_shape(&kind)),
                color: kind_color(&kind),
                label: format!("{kind} ({n})"),
            })
            .collect();
        let edges = graph
            .edge_counts_by_kind()
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(kind, n)| LegendEntry {
                swatch: Swatch::Line { dashed: false },
                color: edge_color(&kind),
                label: format!("{kind} ({n})"),
            })
            .collect();
        Self {
            title: title.into(),
            sections: vec![
                LegendSection { heading: "Nodes".into(), entries: nodes },
                LegendSection { heading: "Edges".into(), entries: edges },
            ],
            notes: vec![
                "Arrowheads point at the callee, the type used or the trait implemented.".into(),
                "Node size grows with the number of edges.".into(),
            ],
        }
    }

    /// A renderer plugin's legend: the entries it declared (none: it is named only), and how to
    /// read direction.
    #[must_use]
    pub fn for_style(title: impl Into<String>, style: &str, entries: Vec<LegendEntry>) -> Self {
        let mut sections = Vec::new();
        if !entries.is_empty() {
            sections.push(LegendSection { heading: format!("Styled by {style}"), entries });
        }
        let mut notes = Vec::new();
        if sections.is_empty() {
            notes.push(format!("Colours and sizes by {style}, which gave no legend."));
        }
        notes.push("Arrowheads point at the callee, the type used or the trait implemented.".into());
        Self { title: title.into(), sections, notes }
    }

    /// Lines as laid out: (indent in swatches, text, muted) per line, entries capped per section.
    fn lines(&self) -> Vec<Line> {
        let mut out = vec![Line { swatch: None, text: clip(&self.title), muted: false }];
        for section in &self.sections {
            out.push(Line { swatch: None, text: clip(&section.heading), muted: true });
            for e in section.entries.iter().take(MAX_ENTRIES) {
                out.push(Line { swatch: Some((e.swatch, e.color)), text: clip(&e.label), muted: false });
            }
            if section.entries.len() > MAX_ENTRIES {
                let more = section.entries.len() - MAX_ENTRIES;
                out.push(Line { swatch: None, text: format!("… and {more} more"), muted: true });
            }
        }
        out.extend(self.notes.iter().map(|n| Line { swatch: None, text: clip(n), muted: true }));
        out
    }

    /// The legend's size in CSS pixels at `scale` 1.
    #[must_use]
    pub fn size(&self) -> [f32; 2] {
        let lines = self.lines();
        let widest = lines
            .iter()
            .map(|l| {
                let indent = if l.swatch.is_some() { SWATCH_PX + SWATCH_GAP_PX } else { 0.0 };
                indent + l.text.chars().count() as f32 * ADVANCE_EM * FONT_PX
            })
            .fold(0.0, f32::max);
        [widest + 2.0 * PAD_PX, lines.len() as f32 * LINE_PX + 2.0 * PAD_PX]
    }

    /// The legend as an SVG group at `[x, y]`, text escaped.
    #[must_use]
    pub fn svg(&self, at: [f32; 2]) -> String {
        let [w, h] = self.size();
        let mut s = String::new();
        let [r, g, b, a] = BACKGROUND;
        writeln!(s, "<g class=\"legend\" transform=\"translate({:.1} {:.1})\">", at[0], at[1]).ok();
        writeln!(
            s,
            "<rect width=\"{w:.1}\" height=\"{h:.1}\" rx=\"4\" fill=\"rgb({r},{g},{b})\" fill-opacity=\"{:.2}\"/>",
            f32::from(a) / 255.0
        )
        .ok();
        for (i, line) in self.lines().iter().enumerate() {
            let y = PAD_PX + i as f32 * LINE_PX;
            let mut x = PAD_PX;
            if let Some((swatch, color)) = line.swatch {
                svg_swatch(&mut s, swatch, color, [x, y + (LINE_PX - SWATCH_PX) / 2.0]);
                x += SWATCH_PX + SWATCH_GAP_PX;
            }
            let [tr, tg, tb, _] = if line.muted { MUTED } else { TEXT };
            let weight = if i == 0 { " font-weight=\"bold\"" } else { "" };
            writeln!(
                s,
                "<text x=\"{x:.1}\" y=\"{:.1}\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"{FONT_PX}\" fill=\"rgb({tr},{tg},{tb})\"{weight}>{}</text>",
                y + LINE_PX * 0.75,
                xml_escape(&line.text)
            )
            .ok();
        }
        s.push_str("</g>\n");
        s
    }

    /// The legend drawn into RGBA pixels at `scale` device pixels per CSS pixel.
    ///
    /// # Errors
    /// The bundled font could not be read.
    pub fn rasterize(&self, scale: f32) -> Result<LegendImage, FontError> {
        let font = bundled_font()?;
        let scale = scale.clamp(0.5, 8.0);
        let [w, h] = self.size();
        let (width, height) = ((w * scale).ceil() as u32, (h * scale).ceil() as u32);
        let mut image = LegendImage { width, height, rgba: vec![0; (width * height * 4) as usize] };
        image.fill_rounded(BACKGROUND, 4.0 * scale);
        let px = FONT_PX * scale;
        for (i, line) in self.lines().iter().enumerate() {
            let top = (PAD_PX + i as f32 * LINE_PX) * scale;
            let mut x = PAD_PX * scale;
            if let Some((swatch, color)) = line.swatch {
                let y = top + (LINE_PX - SWATCH_PX) / 2.0 * scale;
                image.swatch(swatch, color, [x, y], SWATCH_PX * scale);
                x += (SWATCH_PX + SWATCH_GAP_PX) * scale;
            }
            let baseline = top + LINE_PX * 0.75 * scale;
            let colour = if line.muted { MUTED } else { TEXT };
            for c in line.text.chars() {
                let (m, coverage) = font.rasterize(c, px);
                let gx = x + m.xmin as f32;
                let gy = baseline - m.height as f32 - m.ymin as f32;
                for (j, &cov) in coverage.iter().enumerate() {
                    let (cx, cy) = ((j % m.width.max(1)) as f32 + gx, (j / m.width.max(1)) as f32 + gy);
                    image.blend(cx, cy, colour, f32::from(cov) / 255.0);
                }
                x += ADVANCE_EM * px;
            }
        }
        Ok(image)
    }
}

struct Line {
    swatch: Option<(Swatch, Rgba)>,
    text: String,
    muted: bool,
}

fn svg_swatch(s: &mut String, swatch: Swatch, color: Rgba, [x, y]: [f32; 2]) {
    let [r, g, b, a] = color.channels();
    let fill = format!("fill=\"rgb({r},{g},{b})\" fill-opacity=\"{:.2}\"", f32::from(a) / 255.0);
    let (h, c) = (SWATCH_PX, SWATCH_PX / 2.0);
    let (cx, cy) = (x + c, y + c);
    let shape = match swatch {
        Swatch::Node(Shape::Circle) => format!("<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{:.1}\" {fill}/>", c * 0.9),
        Swatch::Node(Shape::Square) => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" {fill}/>",
            x + 1.0,
            y + 1.0,
            h - 2.0,
            h - 2.0
        ),
        Swatch::Node(Shape::Diamond) => {
            format!(
                "<polygon points=\"{cx:.1},{y:.1} {:.1},{cy:.1} {cx:.1},{:.1} {x:.1},{cy:.1}\" {fill}/>",
                x + h,
                y + h
            )
        }
        Swatch::Node(Shape::Triangle) => {
            format!("<polygon points=\"{cx:.1},{y:.1} {:.1},{:.1} {x:.1},{:.1}\" {fill}/>", x + h, y + h, y + h)
        }
        Swatch::Node(Shape::Box) => format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{h:.1}\" height=\"{:.1}\" rx=\"2\" {fill}/>",
            y + 2.0,
            h - 4.0
        ),
        Swatch::Line { dashed } => {
            let dash = if dashed { " stroke-dasharray=\"3 2\"" } else { "" };
            format!(
                "<line x1=\"{x:.1}\" y1=\"{cy:.1}\" x2=\"{:.1}\" y2=\"{cy:.1}\" stroke=\"rgb({r},{g},{b})\" stroke-width=\"2\"{dash}/><polygon points=\"{:.1},{:.1} {:.1},{cy:.1} {:.1},{:.1}\" fill=\"rgb({r},{g},{b})\"/>",
                x + h - 4.0,
                x + h - 5.0,
                cy - 3.5,
                x + h,
                x + h - 5.0,
                cy + 3.5
            )
        }
        Swatch::Area => format!("<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{h:.1}\" height=\"{h:.1}\" rx=\"3\" {fill}/>"),
    };
    s.push_str(&shape);
    s.push('\n');
}

/// A legend drawn into straight-alpha RGBA pixels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegendImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Row-major RGBA.
    pub rgba: Vec<u8>,
}

impl LegendImage {
    fn blend(&mut self, x: f32, y: f32, colour: [u8; 4], coverage: f32) {
        if x < 0.0 || y < 0.0 || coverage <= 0.0 {
            return;
        }
        let (x, y) = (x as u32, y as u32);
        if x >= self.width || y >= self.height {
            return;
        }
        let i = ((y * self.width + x) * 4) as usize;
        let a = coverage * f32::from(colour[3]) / 255.0;
        for (dst, &src) in self.rgba[i..i + 3].iter_mut().zip(&colour[..3]) {
            let d = f32::from(*dst);
            *dst = (d + (f32::from(src) - d) * a).round() as u8;
        }
        let da = f32::from(self.rgba[i + 3]) / 255.0;
        self.rgba[i + 3] = ((a + da * (1.0 - a)) * 255.0).round() as u8;
    }

    /// Four-by-four supersampled coverage of `inside` over the pixel at `(x, y)`.
    fn cover(x: u32, y: u32, inside: &impl Fn(f32, f32) -> bool) -> f32 {
        let mut hits = 0;
        for sy in 0..4 {
            for sx in 0..4 {
                if inside(x as f32 + (sx as f32 + 0.5) / 4.0, y as f32 + (sy as f32 + 0.5) / 4.0) {
                    hits += 1;
                }
            }
        }
        hits as f32 / 16.0
    }

    fn fill(&mut self, colour: [u8; 4], bounds: [f32; 4], inside: impl Fn(f32, f32) -> bool) {
        let [x0, y0, x1, y1] = bounds;
        for y in (y0.floor().max(0.0) as u32)..(y1.ceil().max(0.0) as u32).min(self.height) {
            for x in (x0.floor().max(0.0) as u32)..(x1.ceil().max(0.0) as u32).min(self.width) {
                let c = Self::cover(x, y, &inside);
                self.blend(x as f32, y as f32, colour, c);
            }
        }
    }

    fn fill_rounded(&mut self, colour: [u8; 4], radius: f32) {
        let (w, h) = (self.width as f32, self.height as f32);
        self.fill(colour, [0.0, 0.0, w, h], |x, y| {
            let dx = (radius - x).max(x - (w - radius)).max(0.0);
            let dy = (radius - y).max(y - (h - radius)).max(0.0);
            dx * dx + dy * dy <= radius * radius
        });
    }

    fn swatch(&mut self, swatch: Swatch, color: Rgba, [x, y]: [f32; 2], size: f32) {
        let colour = color.channels();
        let (c, cx, cy) = (size / 2.0, x + size / 2.0, y + size / 2.0);
        let bounds = [x, y, x + size, y + size];
        match swatch {
            Swatch::Node(Shape::Circle) => self.fill(colour, bounds, |px, py| (px - cx).hypot(py - cy) <= c * 0.9),
            Swatch::Node(Shape::Square) => {
                self.fill(colour, bounds, |px, py| (px - cx).abs() <= c * 0.84 && (py - cy).abs() <= c * 0.84);
            }
            Swatch::Node(Shape::Diamond) => self.fill(colour, bounds, |px, py| (px - cx).abs() + (py - cy).abs() <= c),
            Swatch::Node(Shape::Triangle) => {
                self.fill(colour, bounds, |px, py| py <= y + size && (px - cx).abs() <= (py - y) / 2.0);
            }
            Swatch::Node(Shape::Box) => {
                self.fill(colour, bounds, |_, py| py >= y + size * 0.17 && py <= y + size * 0.83);
            }
            Swatch::Line { dashed } => {
                let thick = (size / 6.0).max(1.0);
                let head = size * 0.4;
                let dash = size / 4.0;
                self.fill(colour, bounds, |px, py| {
                    let on = !dashed || ((px - x) / dash).floor() as i32 % 2 == 0;
                    let line = on && (py - cy).abs() <= thick / 2.0 && px <= x + size - head;
                    let arrow = px >= x + size - head && (py - cy).abs() <= (x + size - px) * 0.7;
                    line || arrow
                });
            }
            Swatch::Area => self.fill(colour, bounds, |_, _| true),
        }
    }

    /// Blends the legend over `rows` (RGBA, `row_width` pixels wide) that hold image rows
    /// `first_row..first_row + rows.len() / (row_width * 4)`, with its top-left corner at `at`.
    pub fn composite(&self, rows: &mut [u8], row_width: u32, first_row: u32, at: [u32; 2]) {
        let row_count = rows.len() as u32 / (row_width * 4).max(1);
        for ly in 0..self.height {
            let y = at[1] + ly;
            if y < first_row || y >= first_row + row_count {
                continue;
            }
            for lx in 0..self.width.min(row_width.saturating_sub(at[0])) {
                let s = ((ly * self.width + lx) * 4) as usize;
                let a = f32::from(self.rgba[s + 3]) / 255.0;
                if a <= 0.0 {
                    continue;
                }
                let d = (((y - first_row) * row_width + at[0] + lx) * 4) as usize;
                for (dst, &src) in rows[d..d + 3].iter_mut().zip(&self.rgba[s..s + 3]) {
                    let under = f32::from(*dst);
                    *dst = (under + (f32::from(src) - under) * a).round() as u8;
                }
                rows[d + 3] = 255;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use isg::synth::{SynthSpec, generate};

    use super::*;

    fn legend() -> Legend {
        Legend::default_look(&generate(SynthSpec { nodes: 300, edges: 900, seed: 3 }), "synthetic — 300 nodes")
    }

    #[test]
    fn the_default_legend_names_every_kind_with_its_look() {
        let g = generate(SynthSpec { nodes: 300, edges: 900, seed: 3 });
        let l = Legend::default_look(&g, "t");
        let nodes = &l.sections[0].entries;
        for (kind, n) in g.node_counts_by_kind().into_iter().filter(|(_, n)| *n > 0) {
            let e = nodes.iter().find(|e| e.label == format!("{kind} ({n})")).expect("every kind is listed");
            assert_eq!((e.swatch, e.color), (Swatch::Node(kind_shape(&kind)), kind_color(&kind)));
        }
        assert_eq!(l.sections[1].entries.len(), g.edge_counts_by_kind().iter().filter(|(_, n)| *n > 0).count());
    }

    #[test]
    fn the_svg_legend_is_well_formed_and_escapes_text() {
        let mut l = Legend::for_style(
            "a <b> & \"c\"",
            "plugin",
            vec![LegendEntry {
                swatch: Swatch::Area,
                color: Rgba::new(255, 0, 0, 128),
                label: "</text><script>alert(1)</script>".into(),
            }],
        );
        l.notes.push("x".repeat(200));
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{}</svg>", l.svg([4.0, 4.0]));
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        let texts: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
        assert!(texts.contains(&"a <b> & \"c\""));
        assert!(texts.iter().any(|t| t.starts_with("</text><script>")), "{texts:?}");
        assert!(!svg.contains("<script>"));
        assert!(texts.iter().all(|t| t.chars().count() <= MAX_CHARS));
    }

    #[test]
    fn the_raster_legend_has_its_swatches_and_text_where_the_layout_says() {
        let l = legend();
        let image = l.rasterize(2.0).expect("font");
        let [w, h] = l.size();
        assert_eq!((image.width, image.height), ((w * 2.0).ceil() as u32, (h * 2.0).ceil() as u32));
        // The first node swatch sits on the third line (title, heading, entry), in its colour.
        let first = &l.sections[0].entries[0];
        let (x, y) =
            (((PAD_PX + SWATCH_PX / 2.0) * 2.0) as u32, (((PAD_PX + 2.0 * LINE_PX) + LINE_PX / 2.0) * 2.0) as u32);
        let i = ((y * image.width + x) * 4) as usize;
        let [r, g, b, _] = first.color.channels();
        let px = &image.rgba[i..i + 3];
        assert!(px.iter().zip([r, g, b]).all(|(&a, e)| a.abs_diff(e) < 40), "{px:?} vs {:?}", [r, g, b]);
        // Text is drawn: bright pixels in the title line.
        let bright = (0..image.width * (LINE_PX as u32 * 2 + PAD_PX as u32 * 2))
            .filter(|&p| image.rgba[(p * 4) as usize] > 200 && image.rgba[(p * 4 + 1) as usize] > 200)
            .count();
        assert!(bright > 50, "{bright} bright pixels in the title");
    }

    #[test]
    fn compositing_lands_only_in_the_rows_given() {
        let image = legend().rasterize(1.0).expect("font");
        let width = image.width + 20;
        // Rows 10..20 of a picture, the legend at (5, 12).
        let mut rows = vec![0u8; (width * 10 * 4) as usize];
        image.composite(&mut rows, width, 10, [5, 12]);
        let touched = |row: u32| (0..width).any(|x| rows[((row * width + x) * 4 + 3) as usize] == 255);
        assert!(!touched(0) && !touched(1), "rows above the legend stay");
        assert!(touched(2) && touched(9));
        assert!(
            (0..10).all(|r| (0..5).all(|x| rows[((r * width + x) * 4 + 3) as usize] == 0)),
            "columns left of it stay"
        );
    }
}
