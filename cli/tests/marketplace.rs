//! From a plugin crate to a signed package in a registry folder, as an author and a registry
//! operator would do it with `ptstudio`, and every refusal on the way says why.

use std::path::Path;

use assert_cmd::Command;

#[path = "../../plugin-host/tests/support/mod.rs"]
mod support;

/// Runs `ptstudio args` in `dir`; returns (success, stdout, stderr). Never a panic.
fn ptstudio(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::cargo_bin("ptstudio")
        .expect("the binary is built")
        .current_dir(dir)
        .env_remove("PTSTUDIO_KEY_PASSWORD")
        .args(args)
        .output()
        .expect("runs");
    let (stdout, stderr) =
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert!(!stderr.contains("panicked"), "ptstudio {args:?} panicked: {stderr}");
    (out.status.success(), stdout, stderr)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (success, stdout, stderr) = ptstudio(dir, args);
    assert!(success, "ptstudio {args:?} failed: {stderr}");
    stdout
}

fn fails(dir: &Path, args: &[&str], why: &str) {
    let (success, _, stderr) = ptstudio(dir, args);
    assert!(!success, "ptstudio {args:?} should fail");
    assert!(stderr.contains(why), "ptstudio {args:?}: expected {why:?} in {stderr}");
}

#[test]
fn an_author_packs_signs_and_publishes_and_tampering_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let d = tmp.path();
    let plugin_dir = support::repo_root().join("plugins/circle-layout");
    let wasm = support::plugins_dir().join("circle_layout.wasm");
    let (plugin_dir, wasm) = (plugin_dir.to_str().unwrap(), wasm.to_str().unwrap());

    assert!(ok(d, &["plugin", "keygen", "keys/me"]).contains("in the clear"));
    fails(d, &["plugin", "keygen", "keys/me"], "never overwritten");
    ok(d, &["plugin", "keygen", "keys/registry"]);
    ok(d, &["plugin", "keygen", "keys/stranger"]);

    let out = ok(d, &["plugin", "pack", plugin_dir, "--wasm", wasm, "--out", "circle.ptplugin"]);
    assert!(out.contains("circle-layout@0.1.0"), "{out}");
    fails(d, &["plugin", "pack", plugin_dir, "--wasm", "keys/me.pub"], "would not load");
    fails(d, &["plugin", "verify", "circle.ptplugin", "--key", "keys/me.pub"], "not signed by a trusted key");
    assert!(
        ok(d, &["plugin", "statement", "circle.ptplugin"])
            .starts_with("ptplugin signed statement v1\nplugin circle-layout\nversion 0.1.0\n")
    );
    ok(d, &["plugin", "sign", "circle.ptplugin", "--key", "keys/me.key"]);
    assert!(ok(d, &["plugin", "verify", "circle.ptplugin", "--key", "keys/me.pub"]).contains("verified"));
    fails(d, &["plugin", "verify", "circle.ptplugin", "--key", "keys/stranger.pub"], "not known here");

    // A flipped byte anywhere in the package is refused, by structure or by signature.
    let bytes = std::fs::read(d.join("circle.ptplugin")).unwrap();
    let mut evil = bytes.clone();
    let at = evil.len() / 2;
    evil[at] ^= 0x40;
    std::fs::write(d.join("evil.ptplugin"), &evil).unwrap();
    let (success, _, stderr) = ptstudio(d, &["plugin", "verify", "evil.ptplugin", "--key", "keys/me.pub"]);
    assert!(!success && !stderr.is_empty(), "a tampered package never verifies");

    ok(d, &["registry", "init", "reg", "--name", "team", "--key", "keys/registry.key"]);
    fails(d, &["registry", "init", "reg", "--name", "team", "--key", "keys/registry.key"], "already holds a registry");
    fails(
        d,
        &["registry", "publish", "reg", "circle.ptplugin", "--key", "keys/registry.key"],
        "not a publisher of this registry",
    );
    ok(
        d,
        &[
            "registry",
            "add-publisher",
            "reg",
            "--name",
            "Parseltongue Studio",
            "--publisher",
            "keys/me.pub",
            "--key",
            "keys/registry.key",
        ],
    );
    assert!(
        ok(d, &["registry", "publish", "reg", "circle.ptplugin", "--key", "keys/registry.key"])
            .contains("packages/circle-layout-0.1.0.ptplugin")
    );
    fails(d, &["registry", "publish", "reg", "circle.ptplugin", "--key", "keys/registry.key"], "already published");
    assert!(ok(d, &["registry", "verify", "reg", "--key", "keys/registry.pub"]).contains("1 packages match"));
    fails(d, &["registry", "verify", "reg", "--key", "keys/stranger.pub"], "not signed by its key");
    assert!(
        ok(d, &["registry", "mirror", "reg", "--key", "keys/registry.pub", "--out", "reg.ptmirror"])
            .contains("mirror of")
    );
    assert!(
        marketplace::mirror::Mirror::read(&std::fs::read(d.join("reg.ptmirror")).unwrap())
            .is_ok_and(|m| m.files.len() == 1)
    );
    fails(
        d,
        &["registry", "mirror", "reg", "--key", "keys/stranger.pub", "--out", "x.ptmirror"],
        "not signed by its key",
    );
    ok(d, &["registry", "yank", "reg", "circle-layout", "0.1.0", "--key", "keys/registry.key"]);
    ok(d, &["registry", "revoke", "reg", "circle-layout", "0.1.0", "--reason", "test", "--key", "keys/registry.key"]);
    fails(
        d,
        &["registry", "yank", "reg", "circle-layout", "9.9.9", "--key", "keys/registry.key"],
        "not in this registry",
    );
    fails(
        d,
        &["registry", "yank", "reg", "circle-layout", "not-a-version", "--key", "keys/registry.key"],
        "invalid value",
    );
    // A package swapped on the server.
    std::fs::write(d.join("reg/packages/circle-layout-0.1.0.ptplugin"), &evil).unwrap();
    fails(d, &["registry", "verify", "reg", "--key", "keys/registry.pub"], "the index says");
}

#[test]
fn a_new_plugin_builds_outside_this_repository_and_packs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let d = tmp.path();
    let sdk = support::repo_root().join("plugins/sdk");
    let out = ok(d, &["plugin", "new", "my-layout", "--kind", "layout", "--sdk", sdk.to_str().unwrap()]);
    assert!(out.contains("my-layout"), "{out}");
    fails(d, &["plugin", "new", "my-layout", "--kind", "layout", "--sdk", sdk.to_str().unwrap()], "exists");
    fails(d, &["plugin", "new", "Bad_Name", "--kind", "layout", "--sdk", sdk.to_str().unwrap()], "lower-case");
    fails(d, &["plugin", "new", "x", "--kind", "painter"], "invalid value");
    for kind in ["renderer", "analysis", "exporter"] {
        ok(d, &["plugin", "new", &format!("my-{kind}"), "--kind", kind, "--sdk", sdk.to_str().unwrap()]);
    }
    // The crate builds on its own (its own workspace and release profile), the host loads it as a
    // layout, and the package is written.
    let out = ok(d, &["plugin", "pack", "my-layout", "--out", "my.ptplugin"]);
    assert!(out.contains("my-layout@0.1.0"), "{out}");
    assert!(d.join("my.ptplugin").exists());
}
