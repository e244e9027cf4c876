//! The tamper suite for packages: every way a `.ptplugin` can be malformed or hostile is refused
//! with an error naming it, and a good package round-trips.

mod common;

use common::{Raw, files, gzip, package, raw_package};
use marketplace::package::{MAX_PACKAGE_BYTES, MAX_UNPACKED_BYTES};
use marketplace::{Package, PackageError};
use tar::EntryType;

const FILE: EntryType = EntryType::Regular;

fn good_entries() -> Vec<(Vec<u8>, Vec<u8>)> {
    files("circle", "0.1.0", "").into_iter().map(|(n, d)| (n.into_bytes(), d)).collect()
}

fn with(extra: &[Raw<'_>]) -> Vec<u8> {
    let good = good_entries();
    let mut entries: Vec<Raw<'_>> = good.iter().map(|(n, d)| Raw { name: n, data: d, kind: FILE }).collect();
    entries.extend(extra.iter().map(|r| Raw { name: r.name, data: r.data, kind: r.kind }));
    raw_package(&entries)
}

#[test]
fn a_package_round_trips_and_is_the_same_bytes_every_time() {
    let p = package("circle", "0.1.0", None);
    let bytes = p.write();
    assert_eq!(bytes, package("circle", "0.1.0", None).write(), "deterministic");
    let back = Package::read(&bytes).expect("reads");
    assert_eq!(back.files, p.files);
    assert_eq!(back.id(), "circle@0.1.0");
    assert!(back.readme().starts_with("# circle"));
    assert_eq!(
        Package::read(&with(&[])).map(|p| p.id()),
        Ok("circle@0.1.0".to_owned()),
        "a hand-made archive reads too"
    );
}

#[test]
fn hostile_and_broken_archives_are_refused_by_name() {
    let cases: Vec<(Vec<u8>, PackageError)> = vec![
        (with(&[Raw { name: b"../evil.sh", data: b"x", kind: FILE }]), PackageError::UnsafePath("../evil.sh".into())),
        (with(&[Raw { name: b"/etc/passwd", data: b"x", kind: FILE }]), PackageError::UnsafePath("/etc/passwd".into())),
        (
            with(&[Raw { name: b"sub/README.md", data: b"x", kind: FILE }]),
            PackageError::UnsafePath("sub/README.md".into()),
        ),
        (
            with(&[Raw { name: b"icon.png", data: b"", kind: EntryType::Symlink }]),
            PackageError::NotAFile("icon.png".into()),
        ),
        (with(&[Raw { name: b"run.sh", data: b"x", kind: FILE }]), PackageError::UnknownEntry("run.sh".into())),
        (with(&[Raw { name: b"README.md", data: b"again", kind: FILE }]), PackageError::Duplicate("README.md".into())),
        (
            with(&[
                Raw { name: b"icon.png", data: b"p", kind: FILE },
                Raw { name: b"icon.svg", data: b"s", kind: FILE },
            ]),
            PackageError::TwoIcons,
        ),
        (
            raw_package(&[Raw { name: b"plugin.toml", data: &files("a", "1.0.0", "")["plugin.toml"], kind: FILE }]),
            PackageError::Missing("plugin.wasm"),
        ),
        (
            gzip(b"this is not a tar archive at all, just text that goes on for a while"),
            PackageError::Unreadable(String::new()),
        ),
        (b"not even gzip".to_vec(), PackageError::Unreadable(String::new())),
        (vec![0; MAX_PACKAGE_BYTES + 1], PackageError::TooBig { bytes: MAX_PACKAGE_BYTES + 1 }),
    ];
    for (bytes, want) in cases {
        let got = Package::read(&bytes).map(|p| p.id());
        match (&got, &want) {
            (Err(PackageError::Unreadable(_)), PackageError::Unreadable(_)) => {}
            _ => assert_eq!(got, Err(want.clone()), "{want}"),
        }
    }
    // Truncated: a good package cut short.
    let good = package("circle", "0.1.0", None).write();
    assert!(matches!(Package::read(&good[..good.len() / 2]), Err(PackageError::Unreadable(_))));
}

#[test]
fn a_compression_bomb_stops_at_the_limit() {
    // A small file that unpacks past the limit: read stops there, never at the end of memory.
    let zeros = vec![0u8; MAX_UNPACKED_BYTES + (1 << 20)];
    let bomb = with(&[Raw { name: b"icon.png", data: &zeros, kind: FILE }]);
    assert!(bomb.len() < 1 << 20, "{} bytes compressed", bomb.len());
    assert_eq!(Package::read(&bomb).map(|p| p.id()), Err(PackageError::UnpacksTooBig));
}

#[test]
fn bad_contents_are_named() {
    let mut f = files("circle", "0.1.0", "");
    f.insert("plugin.wasm".into(), b"MZ not wasm".to_vec());
    assert_eq!(Package::from_files(f, None).map(|p| p.id()), Err(PackageError::NotWasm));
    let mut f = files("circle", "0.1.0", "");
    f.insert("plugin.toml".into(), b"[plugin]\nname = 3".to_vec());
    assert!(matches!(Package::from_files(f, None), Err(PackageError::Manifest(_))));
    let mut f = files("circle", "0.1.0", "");
    f.insert("README.md".into(), vec![0xff, 0xfe, 0x00]);
    assert_eq!(Package::from_files(f, None).map(|p| p.id()), Err(PackageError::NotText("README.md")));
}

#[test]
fn any_flipped_byte_of_a_package_is_caught_even_unsigned() {
    // Without a signature only the gzip checksum stands between a changed byte and the contents.
    let good = package("circle", "0.1.0", None).write();
    let original = Package::read(&good).unwrap().files;
    for at in (0..good.len()).step_by(7) {
        let mut bad = good.clone();
        bad[at] ^= 0x10;
        if let Ok(p) = Package::read(&bad) {
            // A flip in the gzip header's free fields (time, flags, OS) changes no content.
            assert_eq!(p.files, original, "byte {at} changed the contents unnoticed");
        }
    }
}
