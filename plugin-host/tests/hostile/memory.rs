//! Memory, tables and the stack: bombs hit their limits with `MemoryLimit` or `StackOverflow`.

use plugin_host::*;

use crate::common::*;

#[test]
fn memory_grow_bomb_hits_the_memory_limit() {
    let e = run_error(
        r#"(func (export "pt_run") (result i32) (loop $l (drop (memory.grow (i32.const 100))) (br $l)) i32.const 0)"#,
    );
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::MemoryLimit { detail, .. }, .. } if detail.contains("16 MiB")),
        "{e}"
    );
}

#[test]
fn huge_initial_memory_is_refused_at_load() {
    let host = host();
    let bytes = wat(
        r#"(memory (export "memory") 1000) (func (export "pt_abi_version") (result i32) i32.const 1) (func (export "pt_run") (result i32) i32.const 0)"#,
    );
    let e = host.load(manifest("", ""), &bytes, Capabilities::default()).err().unwrap();
    assert!(matches!(e, PluginError { kind: ErrorKind::MemoryLimit { .. }, .. }), "{e}");
}

#[test]
fn table_bomb_hits_the_limit() {
    let e = run_error(
        r#"(table $t 1 funcref)
           (func (export "pt_run") (result i32) (loop $l (drop (table.grow $t (ref.null func) (i32.const 50000))) (br $l)) i32.const 0)"#,
    );
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::MemoryLimit { detail, .. }, .. } if detail.contains("table")),
        "{e}"
    );
}

#[test]
fn deep_recursion_overflows_the_stack() {
    let e = run_error(
        r#"(func $down (param i32) (result i32) (call $down (i32.add (local.get 0) (i32.const 1))))
                         (func (export "pt_run") (result i32) (call $down (i32.const 0)))"#,
    );
    assert!(matches!(e, PluginError { kind: ErrorKind::StackOverflow, .. }), "{e}");
}
