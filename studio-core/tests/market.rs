//! The marketplace as the studio uses it: a registry added with its key, its list with
//! incompatible versions greyed out, a fetched package checked against its listing and its
//! publisher before it becomes a runnable plugin, and every mismatch refused by name.

use std::collections::BTreeMap;

use marketplace::index::{Index, Publisher, Release};
use marketplace::{KeyPair, Package, Query, SignatureStatus};
use plugin_host::PluginOrigin;
use studio_core::market::{Market, MarketError, RegistrySource, capabilities_in_words};

const NOW: u64 = 2_000_000_000;

fn package(name: &str, version: &str, key: &KeyPair) -> Vec<u8> {
    let manifest = format!(
        "[plugin]\nname = \"{name}\"\nversion = \"{version}\"\nauthor = \"Tester\"\ndescription = \"Lays out.\"\n\
         kind = \"layout\"\nhost_api = \"^1.0\"\n[capabilities]\nread_isg = true\nwrite_visualization = true\n"
    );
    let files = BTreeMap::from([
        ("plugin.toml".to_owned(), manifest.into_bytes()),
        ("plugin.wasm".to_owned(), b"\0asm\x01\0\0\0".to_vec()),
        ("README.md".to_owned(), b"# it\n".to_vec()),
    ]);
    let mut p = Package::from_files(files, None).unwrap();
    key.sign_package(&mut p).unwrap();
    p.write()
}

/// The index's listing of a package, as the registry folder writes it; `host_api` and a network
/// allow-list set by hand to test what the list and page say of them.
fn listing(bytes: &[u8], publisher: &KeyPair, host_api: &str) -> Release {
    let mut r = Release::of_package(&Package::read(bytes).unwrap(), bytes, publisher.public().id());
    r.host_api = host_api.parse().unwrap();
    r.network = vec!["api.example.org".into()];
    r
}

struct Fixture {
    registry: KeyPair,
    publisher: KeyPair,
    good: Vec<u8>,
}

fn index(f: &Fixture, serial: u64) -> (Vec<u8>, String) {
    let mut index = Index::new("team", serial, NOW + 1000);
    index.publishers.push(Publisher { name: "Tester".into(), key: f.publisher.public().clone() });
    let future = package("future", "1.0.0", &f.publisher);
    index.plugins.insert("force".into(), vec![listing(&f.good, &f.publisher, "^1.0")]);
    index.plugins.insert("future".into(), vec![listing(&future, &f.publisher, "^9.0")]);
    let json = serde_json::to_vec(&index).unwrap();
    let sig = f.registry.sign(&json, &index.trusted_comment()).unwrap();
    (json, sig)
}

#[test]
fn a_registry_lists_its_plugins_and_a_checked_package_becomes_a_plugin() {
    let publisher = KeyPair::generate("").unwrap();
    let f =
        Fixture { registry: KeyPair::generate("").unwrap(), good: package("force", "1.0.0", &publisher), publisher };
    let source = RegistrySource::new("http://127.0.0.1:9/reg", f.registry.public().clone());
    assert_eq!(source.index_url(), "http://127.0.0.1:9/reg/index.json");
    let mut market = Market::default();
    let (json, sig) = index(&f, 3);
    market.add(source.clone(), &json, Some(&sig), NOW).unwrap();

    let rows = market.list(&Query::default());
    assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["force", "future"]);
    assert_eq!(rows[0].incompatible, None);
    assert!(
        rows[1].incompatible.as_deref().is_some_and(|w| w.starts_with("needs host API ^9.0")),
        "greyed out with the reason"
    );
    assert_eq!(
        capabilities_in_words(&rows[0].release),
        [
            "read the loaded graph: names, signatures, file paths and edges",
            "change node positions, colours, labels and overlays in the view",
            "fetch from: api.example.org"
        ]
    );

    let (at, url, release) = market.locate("force", &"1.0.0".parse().unwrap()).unwrap();
    assert_eq!(url, "http://127.0.0.1:9/reg/packages/force-1.0.0.ptplugin");
    let checked = market.check(at, &release, &f.good).unwrap();
    assert_eq!(
        checked.status,
        SignatureStatus::UnknownPublisher { key: f.publisher.public().id() },
        "the first time, the publisher is not trusted yet"
    );
    let (name, key) = market.publisher_name(f.publisher.public().id()).unwrap();
    assert_eq!(name, "Tester");
    market.trust(key);
    let checked = market.check(at, &release, &f.good).unwrap();
    assert_eq!(checked.status, SignatureStatus::Verified { key: f.publisher.public().id() });
    let source = checked.source();
    assert_eq!(source.identity.origin, PluginOrigin::Registry { registry: "team".into() });
    assert_eq!(source.manifest.plugin.name, "force");
    assert!(source.identity.key().starts_with("registry/force@1.0.0#"));
}

#[test]
fn the_default_registry_lives_beside_the_app_and_is_never_kept_nor_removed() {
    let publisher = KeyPair::generate("").unwrap();
    let f =
        Fixture { registry: KeyPair::generate("").unwrap(), good: package("force", "1.0.0", &publisher), publisher };
    let key = f.registry.public().clone();
    let beside = RegistrySource::beside_app("https://studio.example.org/app/index.html?isg=x.json#v=1", key.clone());
    assert_eq!(beside.url, "https://studio.example.org/app/registry/");
    assert_eq!(
        RegistrySource::beside_app("http://127.0.0.1:8080/", key.clone()).url,
        "http://127.0.0.1:8080/registry/"
    );
    let mut market = Market::default();
    let (json, sig) = index(&f, 3);
    market.add(beside.clone(), &json, Some(&sig), NOW).unwrap();
    let private = KeyPair::generate("").unwrap();
    let mut other = Index::new("private", 1, NOW + 1000);
    other.publishers.push(Publisher { name: "Tester".into(), key: f.publisher.public().clone() });
    other.plugins.insert("spy".into(), vec![listing(&f.good, &f.publisher, "^1.0")]);
    let other_json = serde_json::to_vec(&other).unwrap();
    let other_sig = private.sign(&other_json, &other.trusted_comment()).unwrap();
    let added = RegistrySource::new("http://127.0.0.1:9/private", private.public().clone());
    market.add(added.clone(), &other_json, Some(&other_sig), NOW).unwrap();
    assert_eq!(market.list(&Query::default()).len(), 3);

    let settings = market.settings(true, &[]);
    assert_eq!(
        settings.registries,
        [(added.url.clone(), private.public().clone())],
        "only the one the user added is kept"
    );
    assert!(!market.remove(&beside.url), "the default registry stays");
    assert!(market.remove(&added.url));
    assert!(!market.remove(&added.url), "already gone");
    assert_eq!(
        market.list(&Query::default()).iter().map(|r| r.registry.as_str()).collect::<Vec<_>>(),
        ["team", "team"]
    );
    assert!(market.settings(true, &[]).registries.is_empty());
}

#[test]
fn tampered_swapped_and_stale_are_refused_by_name() {
    let publisher = KeyPair::generate("").unwrap();
    let f =
        Fixture { registry: KeyPair::generate("").unwrap(), good: package("force", "1.0.0", &publisher), publisher };
    let mut market = Market::default();
    let source = RegistrySource::new("http://127.0.0.1:9/reg/", f.registry.public().clone());
    let (json, sig) = index(&f, 5);
    market.add(source.clone(), &json, Some(&sig), NOW).unwrap();
    let (at, _, release) = market.locate("force", &"1.0.0".parse().unwrap()).unwrap();

    // A flipped byte on the wire.
    let mut flipped = f.good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert!(matches!(market.check(at, &release, &flipped), Err(MarketError::NotAsListed(_))));
    // Another plugin's genuine package where this one should be: its hash is not the listed one.
    let other = package("spy", "1.0.0", &f.publisher);
    assert!(matches!(market.check(at, &release, &other), Err(MarketError::NotAsListed(_))));
    // A registry whose listing points at another plugin's package: named.
    let mut lying = release.clone();
    lying.size = other.len() as u64;
    lying.sha256 = marketplace::package::sha256_hex(&other);
    let e = market.check(at, &lying, &other).unwrap_err();
    assert_eq!(e, MarketError::OtherPlugin { got: "spy@1.0.0".into(), listed: "force@1.0.0".into() });
    // Re-signed by someone else with the right bytes listed: the signature does not hold.
    let stranger = KeyPair::generate("").unwrap();
    let mut p = Package::read(&f.good).unwrap();
    stranger.sign_package(&mut p).unwrap();
    let resigned = p.write();
    let mut relisted = release.clone();
    relisted.size = resigned.len() as u64;
    relisted.sha256 = marketplace::package::sha256_hex(&resigned);
    let checked = market.check(at, &relisted, &resigned).unwrap();
    assert_eq!(
        checked.status,
        SignatureStatus::UnknownKey { key: stranger.public().id() },
        "a key nobody lists cannot vouch"
    );

    // An older index of the same registry, and one signed by another key.
    let (old, old_sig) = index(&f, 4);
    assert!(matches!(
        market.add(source.clone(), &old, Some(&old_sig), NOW),
        Err(MarketError::Index(marketplace::IndexError::SerialWentBack { .. }))
    ));
    let impostor = RegistrySource::new("http://127.0.0.1:9/reg/", stranger.public().clone());
    assert!(matches!(
        market.add(impostor, &json, Some(&sig), NOW),
        Err(MarketError::Index(marketplace::IndexError::BadSignature { .. }))
    ));
    assert!(matches!(
        market.add(source, &json, Some(&sig), NOW + 5000),
        Err(MarketError::Index(marketplace::IndexError::Expired { .. }))
    ));
    assert_eq!(market.registries.len(), 1, "what the user had stays");
}
