//! # plugin-host — the sandbox for untrusted ISG plugins
//!
//! This crate will hold the wasmi host: plugin manifests (`plugin.toml`, parsed strictly),
//! capabilities as import modules linked only when granted, fuel and memory limits, the registry
//! and signatures. Its core has no web dependencies, so it is tested and benchmarked natively;
//! `cargo xtask test` checks that it pulls in no browser bindings.
//!
//! Nothing is implemented yet: the plugin-host issue builds it.
