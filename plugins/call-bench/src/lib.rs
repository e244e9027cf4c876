//! Calls the host `calls` times and returns nothing: the cost per call is the host-call overhead.

use pt_plugin_sdk::{Analysis, Graph, Params, progress};

fn calls(_graph: &Graph, params: &Params) -> Analysis {
    let n = params.i64("calls").max(0) as u32;
    for i in 0..n {
        progress(i, n);
    }
    Analysis::default()
}

pt_plugin_sdk::analysis!(calls);
