//! The private folder: quota with names and per-file overhead, a file count, safe names.

use plugin_host::*;

use crate::common::*;

#[test]
fn private_folder_round_trips_and_keeps_its_quota() {
    // Room for "notes" with 8 bytes: 4 fit, 10 do not.
    let host = PluginHost::new(HostPolicy { folder_quota: FILE_OVERHEAD + 5 + 8, ..HostPolicy::default() }).unwrap();
    let body = r#"(import "pt_fs" "write" (func $w (param i32 i32 i32 i32) (result i32)))
                  (import "pt_fs" "read" (func $r (param i32 i32 i32 i32) (result i32)))
                  (data (i32.const 0) "notes0123456789")
                  (func (export "pt_run") (result i32)
                    (if (i32.ne (call $w (i32.const 0) (i32.const 5) (i32.const 5) (i32.const 4)) (i32.const 0)) (then unreachable))
                    (if (i32.ne (call $w (i32.const 0) (i32.const 5) (i32.const 5) (i32.const 10)) (i32.const -2)) (then unreachable))
                    (if (i32.ne (call $r (i32.const 0) (i32.const 5) (i32.const 200) (i32.const 10)) (i32.const 4)) (then unreachable))
                    (if (i32.ne (call $r (i32.const 5) (i32.const 1) (i32.const 200) (i32.const 10)) (i32.const -1)) (then unreachable))
                    (i32.ne (i32.load (i32.const 200)) (i32.load (i32.const 5))))"#;
    let mut plugin =
        host.load(manifest("file_system_access = true", ""), &wat(&format!("{body} {ABI}")), grants_all()).unwrap();
    run(&mut plugin, &graph()).unwrap();
    assert_eq!(plugin.folder().files()["notes"], b"0123");
}

#[test]
fn folder_floods_and_unsafe_names_are_refused() {
    let host = host();
    // Writes empty files named "f" + 4 letters spelling the counter until a write fails (and
    // fails unless that was the 1025th); first it tries names that are not UTF-8, bidi overrides and "..".
    let body = r#"(import "pt_fs" "write" (func $w (param i32 i32 i32 i32) (result i32)))
                  (data (i32.const 0) "f0000")
                  (data (i32.const 16) "a\ff")
                  (data (i32.const 32) "a\fe")
                  (data (i32.const 48) "helper\e2\80\aegnp.exe")
                  (data (i32.const 80) "..")
                  (func (export "pt_run") (result i32) (local $i i32) (local $k i32)
                    (if (i32.ne (call $w (i32.const 16) (i32.const 2) (i32.const 0) (i32.const 0)) (i32.const -3)) (then unreachable))
                    (if (i32.ne (call $w (i32.const 32) (i32.const 2) (i32.const 0) (i32.const 0)) (i32.const -3)) (then unreachable))
                    (if (i32.ne (call $w (i32.const 48) (i32.const 16) (i32.const 0) (i32.const 0)) (i32.const -3)) (then unreachable))
                    (if (i32.ne (call $w (i32.const 80) (i32.const 2) (i32.const 0) (i32.const 0)) (i32.const -3)) (then unreachable))
                    (block $full (loop $next
                      (local.set $k (i32.const 0))
                      (loop $digit
                        (i32.store8 (i32.add (i32.const 1) (local.get $k))
                          (i32.add (i32.const 97) (i32.and (i32.shr_u (local.get $i) (i32.mul (local.get $k) (i32.const 4))) (i32.const 15))))
                        (local.set $k (i32.add (local.get $k) (i32.const 1)))
                        (br_if $digit (i32.lt_u (local.get $k) (i32.const 4))))
                      (br_if $full (i32.ne (call $w (i32.const 0) (i32.const 5) (i32.const 0) (i32.const 0)) (i32.const 0)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br $next)))
                    (i32.ne (local.get $i) (i32.const 1024)))"#;
    let m = manifest_of_kind("layout", "file_system_access = true", "");
    let mut plugin = host.load(m, &wat(&format!("{body} {ABI}")), grants_all()).unwrap();
    run(&mut plugin, &graph()).expect("the flood stops at the file count, and the names were refused");
    assert_eq!(plugin.folder().files().len(), MAX_FILES);
    assert!(plugin.folder().files().keys().all(|n| n.len() == 5 && n.starts_with('f')));
    let denied = plugin.audit().events().iter().filter(|e| e.kind == AuditKind::Denied).count();
    assert_eq!(denied, 5, "four bad names and the write past the file count are on the audit trail");
}
