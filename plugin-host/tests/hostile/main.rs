//! The hostile-plugin suite: each case is a plugin written in WAT, assembled by the test, that tries
//! to escape, exhaust or confuse the host. Every case must end in the right typed error, and the
//! host, the graph and the next plugin must be unaffected. One file per topic.

mod common;
mod folder;
mod fuel;
mod host_work;
mod imports;
mod memory;
mod module;
mod output;
#[path = "../support/mod.rs"]
mod support;
