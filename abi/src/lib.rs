//! # pt-abi — the plugin ABI of Parseltongue Studio, written once
//!
//! Every fact host and plugin must agree on lives here and nowhere else: the ABI version, the
//! names of the exports a plugin provides and of the host functions it may import (with their
//! signatures), the status codes those functions return, the binary record layouts of positions,
//! node and edge styles and edge marks with their encoding and checked decoding, and the default
//! look per node and edge kind. The host (`plugin-host`), the plugin SDK (which re-exports this
//! crate), the renderer's style mapping and the first-party plugins all use it, so a plugin is
//! still a self-contained `.wasm` file: this crate is compiled into it.
//!
//! The crate has no dependencies and is `no_std` (it needs only `alloc`), so it costs a plugin
//! almost nothing.
//!
//! ## Versions side by side
//! Each published ABI version has its own module ([`v1`]), as zed keeps its extension API per
//! version. The crate root re-exports the current one. A later ABI gets a `v2` module next to
//! `v1`, and the host keeps linking `v1` plugins through [`v1`]: a plugin built against 1.x
//! keeps loading. Within a version, host API minor versions (1.1, 1.2, …) only add functions and
//! records; what they added is documented where it is defined.
#![no_std]

extern crate alloc;

pub mod v1;

pub use v1::*;
