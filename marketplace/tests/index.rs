//! Registry indexes: signed by the registry's key, never older than one seen, never past expiry,
//! well-formed; and the files they list checked against their hash.

mod common;

use common::key;
use marketplace::index::{Index, IndexError, Publisher, Release};
use marketplace::{FileMismatch, SignatureProblem};

const NOW: u64 = 2_000_000_000;

fn release(version: &str, publisher: &str) -> Release {
    Release {
        version: version.parse().unwrap(),
        host_api: "^1.0".parse().unwrap(),
        kind: plugin_host::PluginKind::Layout,
        description: "Places nodes.".into(),
        author: "Tester".into(),
        category: "layout".into(),
        tags: vec!["test".into()],
        license: "MIT".into(),
        capabilities: vec!["read_isg".into()],
        network: Vec::new(),
        dependencies: Default::default(),
        file: format!("packages/circle-{version}.ptplugin"),
        size: 3,
        sha256: marketplace::package::sha256_hex(b"abc"),
        publisher: publisher.into(),
        yanked: false,
        published: 0,
    }
}

#[test]
fn an_index_opens_only_when_signed_fresh_and_not_older_than_seen() {
    let registry = key();
    let author = key();
    let mut index = Index::new("team", 5, NOW + 100);
    index.publishers.push(Publisher { name: "Tester".into(), key: author.public().clone() });
    index.plugins.insert("circle".into(), vec![release("0.1.0", &author.public().id().to_string())]);
    let json = serde_json::to_vec(&index).unwrap();
    let sig = registry.sign(&json, &index.trusted_comment()).unwrap();
    let keys = [registry.public().clone()];
    assert_eq!(Index::open(&json, Some(&sig), &keys, NOW, Some(5)).as_ref(), Ok(&index));
    assert_eq!(Index::open(&json, Some(&sig), &keys, NOW, Some(4)).map(|i| i.serial), Ok(5));

    let open = |json: &[u8], sig: Option<&str>, now: u64, seen: Option<u64>| Index::open(json, sig, &keys, now, seen);
    assert_eq!(
        open(&json, Some(&sig), NOW, Some(6)),
        Err(IndexError::SerialWentBack { registry: "team".into(), got: 5, seen: 6 })
    );
    assert_eq!(
        open(&json, Some(&sig), NOW + 100, None),
        Err(IndexError::Expired { registry: "team".into(), expires: NOW + 100, now: NOW + 100 })
    );
    assert_eq!(open(&json, None, NOW, None), Err(IndexError::Unsigned { registry: "team".into() }));
    // Signed by someone else's key.
    let other = key().sign(&json, &index.trusted_comment()).unwrap();
    assert_eq!(
        open(&json, Some(&other), NOW, None),
        Err(IndexError::BadSignature { registry: "team".into(), problem: SignatureProblem::OtherKey })
    );
    // A byte changed after signing (a version's hash swapped for an attacker's package).
    let evil = String::from_utf8(json.clone()).unwrap().replace(&index.plugins["circle"][0].sha256, &"e".repeat(64));
    assert!(matches!(
        open(evil.as_bytes(), Some(&sig), NOW, None),
        Err(IndexError::BadSignature { problem: SignatureProblem::DoesNotMatch, .. })
    ));
    // An old index re-signed for a new serial without the registry's key is impossible; an old
    // signature on a raised serial does not match.
    let mut raised = index.clone();
    raised.serial = 9;
    let raised_json = serde_json::to_vec(&raised).unwrap();
    assert!(matches!(open(&raised_json, Some(&sig), NOW, None), Err(IndexError::BadSignature { .. })));
    // Garbage, another format, too big.
    assert!(matches!(open(b"{\"plugins\": [", Some(&sig), NOW, None), Err(IndexError::Garbage(_))));
    assert!(matches!(open(b"[1, 2, 3]", Some(&sig), NOW, None), Err(IndexError::Garbage(_))));
    let mut v2 = index.clone();
    v2.format = 2;
    assert_eq!(open(&serde_json::to_vec(&v2).unwrap(), Some(&sig), NOW, None), Err(IndexError::Format(2)));
    let huge = vec![b' '; marketplace::index::MAX_INDEX_BYTES + 1];
    assert!(matches!(open(&huge, Some(&sig), NOW, None), Err(IndexError::TooBig { .. })));
}

#[test]
fn malformed_listings_are_refused() {
    let author = key();
    let id = author.public().id().to_string();
    let base = || {
        let mut i = Index::new("team", 1, NOW + 100);
        i.publishers.push(Publisher { name: "Tester".into(), key: author.public().clone() });
        i
    };
    let mut twice = base();
    twice.plugins.insert("circle".into(), vec![release("0.1.0", &id), release("0.1.0", &id)]);
    let mut escape = base();
    let mut r = release("0.1.0", &id);
    r.file = "../../etc/passwd".into();
    escape.plugins.insert("circle".into(), vec![r]);
    let mut hash = base();
    let mut r = release("0.1.0", &id);
    r.sha256 = "xyz".into();
    hash.plugins.insert("circle".into(), vec![r]);
    let mut stranger = base();
    stranger.plugins.insert("circle".into(), vec![release("0.1.0", "0123456789ABCDEF")]);
    for (index, want) in [
        (twice, "listed twice"),
        (escape, "leaves the registry"),
        (hash, "not a SHA-256"),
        (stranger, "not one of the registry's publishers"),
    ] {
        assert!(
            matches!(index.check(), Err(IndexError::Malformed(ref m)) if m.contains(want)),
            "{want}: {:?}",
            index.check()
        );
    }
}

#[test]
fn a_file_that_does_not_match_its_listing_is_named() {
    let r = release("0.1.0", "x");
    assert_eq!(r.check_file(b"abc"), Ok(()));
    assert!(matches!(r.check_file(b"abd"), Err(FileMismatch::Hash { .. })));
    assert_eq!(r.check_file(b"abcd"), Err(FileMismatch::Size { file: r.file.clone(), got: 4, listed: 3 }));
    assert_eq!(r.incompatible(&"1.4.0".parse().unwrap()), None);
    assert_eq!(
        r.incompatible(&"2.0.0".parse().unwrap()).as_deref(),
        Some("needs host API ^1.0; this app implements 2.0.0")
    );
}
