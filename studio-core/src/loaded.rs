//! A graph ready to show: the model a worker parsed, read back, with its index and scene.

use std::sync::Arc;

use isg::model::{Model, ModelError};
use isg::query::SearchIndex;
use isg::{Graph, LoadReport};
use renderer::scene::{Scene, SceneBuilder};
use renderer::style::NodeStyles;

/// A graph ready to show: the model, its report, search index and GPU scene.
pub struct LoadedGraph {
    /// Where it came from (file names or URL).
    pub source: String,
    /// The model.
    pub graph: Graph,
    /// What the loader found.
    pub report: LoadReport,
    /// Name and signature search.
    pub index: SearchIndex,
    /// Positions, styles and instances.
    pub scene: Scene,
    /// Milliseconds the worker spent parsing and indexing.
    pub load_ms: f64,
    /// Milliseconds spent reading the model back, laying it out and building the scene.
    pub prepare_ms: f64,
    /// The model as the worker wrote it ([`isg::model`]), kept so plugin workers get the same
    /// graph without parsing anything.
    pub model: Arc<Vec<u8>>,
}

impl LoadedGraph {
    /// Reads a model back and lays it out: the initial grouped-by-file layout and the scene, all
    /// at once ([`Preparing`] does it in steps). `now_ms` is the embedder's clock (the core has
    /// none).
    ///
    /// # Errors
    /// The model is damaged or not from this build.
    pub fn from_model(
        source: String,
        model: Arc<Vec<u8>>,
        load_ms: f64,
        now_ms: &dyn Fn() -> f64,
    ) -> Result<Self, ModelError> {
        Preparing::new(source, model, load_ms).finish(now_ms)
    }

    /// Indexes a graph loaded in this thread and lays it out (the CLI, tests and benches; the app
    /// loads in a worker and uses [`LoadedGraph::from_model`]).
    #[must_use]
    pub fn from_loaded(source: String, loaded: isg::Loaded) -> Self {
        let index = SearchIndex::build(&loaded.graph);
        let model = Arc::new(isg::model::encode(&loaded.graph, &index, &loaded.report));
        let positions = renderer::module_map::modules_first(&loaded.graph);
        let scene = Scene::build(&loaded.graph, &positions, &NodeStyles::by_kind(&loaded.graph));
        Self { source, graph: loaded.graph, report: loaded.report, index, scene, load_ms: 0.0, prepare_ms: 0.0, model }
    }
}

/// A model being made ready to show, one step at a time: read back, laid out, then the scene in
/// its phases. The page gives the browser a turn between steps, so none is a long task; each
/// is a fraction of the whole (on the registry sample, the whole is over 100 ms in wasm).
pub struct Preparing {
    source: String,
    model: Arc<Vec<u8>>,
    load_ms: f64,
    spent_ms: f64,
    stage: Stage,
}

enum Stage {
    Encoded,
    Decoded(Model),
    Building(Model, Box<SceneBuilder>),
    /// A step failed; its error was returned.
    Failed,
}

impl Preparing {
    /// Starts preparing `model`, which the graph worker wrote in `load_ms`.
    #[must_use]
    pub fn new(source: String, model: Arc<Vec<u8>>, load_ms: f64) -> Self {
        Self { source, model, load_ms, spent_ms: 0.0, stage: Stage::Encoded }
    }

    /// Starts from a model already read (a report's graph, rebuilt from its portable form).
    /// The graph carries no compact model then: it is shown, never sent to plugin workers.
    #[must_use]
    pub fn from_decoded(source: String, model: Model, load_ms: f64) -> Self {
        Self { source, model: Arc::new(Vec::new()), load_ms, spent_ms: 0.0, stage: Stage::Decoded(model) }
    }

    /// Runs the next step; `true` once [`Preparing::finish`] has only assembling left.
    ///
    /// # Errors
    /// The model is damaged or not from this build (and every step after that).
    pub fn step(&mut self, now_ms: &dyn Fn() -> f64) -> Result<bool, ModelError> {
        let started = now_ms();
        let (next, done) = match std::mem::replace(&mut self.stage, Stage::Failed) {
            Stage::Encoded => (Stage::Decoded(isg::model::decode(&self.model)?), false),
            Stage::Decoded(model) => {
                let positions = renderer::module_map::modules_first(&model.graph);
                let builder = SceneBuilder::new(&model.graph, positions, NodeStyles::by_kind(&model.graph));
                (Stage::Building(model, Box::new(builder)), false)
            }
            Stage::Building(model, mut builder) => {
                let done = builder.step(&model.graph);
                (Stage::Building(model, builder), done)
            }
            Stage::Failed => return Err(ModelError::Inconsistent("an earlier step failed")),
        };
        self.stage = next;
        self.spent_ms += now_ms() - started;
        Ok(done)
    }

    /// Runs the steps left and returns the graph ready to show.
    ///
    /// # Errors
    /// The model is damaged or not from this build.
    pub fn finish(mut self, now_ms: &dyn Fn() -> f64) -> Result<LoadedGraph, ModelError> {
        loop {
            match std::mem::replace(&mut self.stage, Stage::Failed) {
                Stage::Building(Model { graph, index, report }, builder) => {
                    let started = now_ms();
                    let scene = builder.finish(&graph);
                    return Ok(LoadedGraph {
                        source: self.source,
                        graph,
                        report,
                        index,
                        scene,
                        load_ms: self.load_ms,
                        prepare_ms: self.spent_ms + (now_ms() - started),
                        model: self.model,
                    });
                }
                other => {
                    self.stage = other;
                    self.step(now_ms)?;
                }
            }
        }
    }
}
