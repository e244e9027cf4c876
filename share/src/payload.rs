//! [`Report`]: what a report holds — the graph (portable form), the positions on screen, the style in
//! force, the findings, the view, a title, notes, and when and from what it was made — as one
//! gzip-compressed container of tagged sections (`sections.rs`). The viewer trusts none of it:
//! every length is checked here, and the model, positions and style are checked again as they
//! are shown, exactly as a plugin's output is.

use base64::Engine as _;
use findings::{AnalysisRun, PluginInfo};
use plugin_host::{Finding, MetricColumn};
use serde::{Deserialize, Serialize};

use crate::sections::{ContainerError, Sections};
use crate::view::ViewState;

/// The container's magic.
const MAGIC: &[u8; 8] = b"PTREPORT";
/// The payload format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Bytes a payload may unpack to (the registry sample's is about 40 MB).
pub const MAX_UNPACKED: u64 = 1 << 30;

/// Who made the report, when, and what it says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportMeta {
    /// The title the author gave.
    pub title: String,
    /// The author's notes, shown as text.
    #[serde(default)]
    pub notes: String,
    /// When it was made (RFC 3339, UTC).
    pub created: String,
    /// The files the graph was read from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// What wrote it (`Parseltongue Studio 0.1.0 (app)`, `… (ptstudio report)`).
    pub generator: String,
    /// For a diff report, what was compared with what, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compared: Option<String>,
}

/// A renderer plugin's output as it was applied: its records as written and its extras (labels,
/// hulls, legend) as JSON, applied again, and checked again, by the viewer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CapturedStyle {
    /// The renderer's name, as the legend shows it.
    pub name: String,
    /// Node style records.
    pub nodes: Option<Vec<u8>>,
    /// Edge style records.
    pub edges: Option<Vec<u8>>,
    /// Edge mark bytes.
    pub marks: Option<Vec<u8>>,
    /// Labels and overlays, as the studio's `StyleExtras` JSON.
    pub extras: serde_json::Value,
}

/// Everything a report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Title, notes, time, sources.
    pub meta: ReportMeta,
    /// Camera, selection, search, hubs, filters at the time.
    pub view: ViewState,
    /// The graph and its load report in the portable form (`isg::model::encode_portable`): no
    /// derived index, which the viewer rebuilds.
    pub graph: Vec<u8>,
    /// Where the nodes are, one per node; `None` for the viewer's own initial layout.
    pub positions: Option<Vec<[f32; 2]>>,
    /// The style in force, if a renderer plugin's.
    pub style: Option<CapturedStyle>,
    /// Analysis runs with their findings and metric columns.
    pub analyses: Vec<AnalysisRun>,
}

/// Why a report could not be opened.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    /// The container is damaged.
    #[error("the report's data {0}")]
    Container(#[from] ContainerError),
    /// The payload's text is not base64 (cut or edited).
    #[error("the report's data is damaged: it is not base64 text (the file was cut or edited)")]
    Base64,
    /// The description section is not what this build writes.
    #[error("the report's description is damaged: {0}")]
    Meta(String),
    /// The positions section is not whole pairs of numbers.
    #[error("the report's positions are damaged: {0} bytes is not a whole number of points")]
    Positions(usize),
    /// A metric column is damaged.
    #[error("the report's metric column {0:?} is damaged")]
    Metric(String),
}

#[derive(Serialize, Deserialize)]
struct MetaSection {
    meta: ReportMeta,
    view: ViewState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    style: Option<StyleMeta>,
    #[serde(default)]
    analyses: Vec<RunSection>,
}

#[derive(Serialize, Deserialize)]
struct StyleMeta {
    name: String,
    extras: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
struct RunSection {
    name: String,
    version: String,
    description: String,
    findings: Vec<Finding>,
    /// Columns with their values as little-endian `f32`s in base64: JSON has no NaN.
    metrics: Vec<(String, String)>,
}

impl From<&AnalysisRun> for RunSection {
    fn from(run: &AnalysisRun) -> Self {
        let b64 = base64::engine::general_purpose::STANDARD;
        Self {
            name: run.plugin.name.clone(),
            version: run.plugin.version.clone(),
            description: run.plugin.description.clone(),
            findings: run.findings.clone(),
            metrics: run
                .metrics
                .iter()
                .map(|m| {
                    (m.name.clone(), b64.encode(m.values.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>()))
                })
                .collect(),
        }
    }
}

impl RunSection {
    fn into_run(self) -> Result<AnalysisRun, ReportError> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let metrics = self
            .metrics
            .into_iter()
            .map(|(name, values)| match b64.decode(&values) {
                Ok(bytes) if bytes.len() % 4 == 0 => Ok(MetricColumn {
                    values: bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect(),
                    name,
                }),
                _ => Err(ReportError::Metric(name)),
            })
            .collect::<Result<_, _>>()?;
        Ok(AnalysisRun {
            plugin: PluginInfo { name: self.name, version: self.version, description: self.description },
            findings: self.findings,
            metrics,
        })
    }
}

impl Report {
    /// The report as one compressed container.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let meta = MetaSection {
            meta: self.meta.clone(),
            view: self.view.clone(),
            style: self.style.as_ref().map(|s| StyleMeta { name: s.name.clone(), extras: s.extras.clone() }),
            analyses: self.analyses.iter().map(RunSection::from).collect(),
        };
        let mut sections = Sections::new();
        sections.push(b"META", serde_json::to_vec(&meta).unwrap_or_default());
        sections.push(b"GRPH", self.graph.clone());
        if let Some(p) = &self.positions {
            sections.push(
                b"POSN",
                p.iter().flat_map(|[x, y]| x.to_le_bytes().into_iter().chain(y.to_le_bytes())).collect(),
            );
        }
        if let Some(style) = &self.style {
            for (tag, bytes) in [(b"NSTY", &style.nodes), (b"ESTY", &style.edges), (b"MARK", &style.marks)] {
                if let Some(bytes) = bytes {
                    sections.push(tag, bytes.clone());
                }
            }
        }
        sections.encode(MAGIC, FORMAT_VERSION)
    }

    /// Reads a report written by [`Report::encode`].
    ///
    /// # Errors
    /// What is damaged, by name: truncation, a broken checksum, a newer format, a missing or
    /// malformed section.
    pub fn decode(bytes: &[u8]) -> Result<Self, ReportError> {
        let mut sections = Sections::decode(bytes, MAGIC, "PTREPORT", FORMAT_VERSION, MAX_UNPACKED)?;
        let meta: MetaSection = serde_json::from_slice(&sections.require(b"META", "description")?)
            .map_err(|e| ReportError::Meta(e.to_string()))?;
        meta.view.check().map_err(|e| ReportError::Meta(format!("its view: {e}")))?;
        let graph = sections.require(b"GRPH", "graph")?;
        let positions = match sections.take(b"POSN") {
            None => None,
            Some(bytes) if bytes.len() % 8 == 0 => Some(
                bytes
                    .chunks_exact(8)
                    .map(|c| {
                        [f32::from_le_bytes([c[0], c[1], c[2], c[3]]), f32::from_le_bytes([c[4], c[5], c[6], c[7]])]
                    })
                    .collect(),
            ),
            Some(bytes) => return Err(ReportError::Positions(bytes.len())),
        };
        let style = meta.style.map(|s| CapturedStyle {
            name: s.name,
            extras: s.extras,
            nodes: sections.take(b"NSTY"),
            edges: sections.take(b"ESTY"),
            marks: sections.take(b"MARK"),
        });
        let analyses = meta.analyses.into_iter().map(RunSection::into_run).collect::<Result<_, _>>()?;
        Ok(Self { meta: meta.meta, view: meta.view, graph, positions, style, analyses })
    }
}
