//! `ptstudio diff`: the API differences between two snapshots (added, removed and re-signed items
//! by module, breaking or additive; `findings::api_diff`), printed and written as JSON or SARIF
//! like `analyze`'s findings, failing on a severity so CI can gate on breaking changes.

use std::path::PathBuf;

use anyhow::Result;

use crate::analyze::{ReportArgs, report};
use crate::load_isg;

/// `ptstudio diff`'s arguments.
#[derive(clap::Args)]
pub struct Diff {
    /// The earlier snapshot's ISG file(s).
    #[arg(long, required = true, num_args = 1..)]
    base: Vec<PathBuf>,
    /// The later snapshot's ISG file(s).
    #[arg(long, required = true, num_args = 1..)]
    isg: Vec<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
}

/// Runs `ptstudio diff`.
pub fn diff(args: &Diff) -> Result<()> {
    let (base, _) = load_isg(&args.base)?;
    let (new, _) = load_isg(&args.isg)?;
    let run = findings::api_diff::api_diff(&base.graph, &new.graph);
    report(&[run], &new.graph, &args.report)
}
