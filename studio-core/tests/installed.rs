//! Installed plugins over in-memory storage: install, update with the old version kept, roll back
//! both ways, pin, revocation, uninstall that leaves nothing behind, and a full quota or a
//! changed stored package that leave the installed version working or refuse to run.
// Native only: they block on the storage futures.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use marketplace::index::{Index, Publisher, Release};
use marketplace::{KeyPair, Package};
use studio_core::installed::{InstallError, InstalledSet};
use studio_core::market::{Market, MarketSettings, RegistrySource};
use studio_core::storage::{Area, MemoryStorage, StorageBackend};

const NOW: u64 = 2_000_000_000;

fn block_on<F: Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

fn package(version: &str, caps: &str, key: &KeyPair) -> Vec<u8> {
    let manifest = format!(
        "[plugin]\nname = \"force\"\nversion = \"{version}\"\nauthor = \"T\"\ndescription = \"Lays out.\"\n\
         kind = \"layout\"\nhost_api = \"^1.0\"\n[capabilities]\n{caps}"
    );
    let files = BTreeMap::from([
        ("plugin.toml".to_owned(), manifest.into_bytes()),
        ("plugin.wasm".to_owned(), format!("\0asm\x01\0\0\0{version}").into_bytes()),
        ("README.md".to_owned(), b"# force\n".to_vec()),
    ]);
    let mut p = Package::from_files(files, None).unwrap();
    key.sign_package(&mut p).unwrap();
    p.write()
}

fn release(bytes: &[u8], key: &KeyPair) -> Release {
    Release::of_package(&Package::read(bytes).unwrap(), bytes, key.public().id())
}

struct World {
    market: Market,
    v1: Vec<u8>,
    v2: Vec<u8>,
}

fn world(revoke_v2: bool) -> World {
    let (registry, publisher) = (KeyPair::generate("").unwrap(), KeyPair::generate("").unwrap());
    let v1 = package("1.0.0", "read_isg = true\nwrite_visualization = true\n", &publisher);
    let v2 = package(
        "2.0.0",
        "read_isg = true\nwrite_visualization = true\nnetwork_access = true\n[network]\nallow = [\"api.example.org\"]\n",
        &publisher,
    );
    let mut index = Index::new("team", 1, NOW + 100);
    index.publishers.push(Publisher { name: "T".into(), key: publisher.public().clone() });
    index.plugins.insert("force".into(), vec![release(&v1, &publisher), release(&v2, &publisher)]);
    if revoke_v2 {
        index.revoked.push(marketplace::Revoked {
            name: "force".into(),
            version: "2.0.0".parse().unwrap(),
            reason: "exfiltrates".into(),
        });
    }
    let json = serde_json::to_vec(&index).unwrap();
    let sig = registry.sign(&json, &index.trusted_comment()).unwrap();
    let mut market = Market::default();
    market.add(RegistrySource::new("http://r/", registry.public().clone()), &json, Some(&sig), NOW).unwrap();
    market.trust(publisher.public().clone());
    World { market, v1, v2 }
}

fn check(w: &World, version: &str, bytes: &[u8]) -> studio_core::market::CheckedPackage {
    let (at, _, release) = w.market.locate("force", &version.parse().unwrap()).unwrap();
    w.market.check(at, &release, bytes).unwrap()
}

#[test]
fn install_update_roll_back_pin_and_uninstall() {
    block_on(async {
        let w = world(false);
        let storage = MemoryStorage::default();
        let mut set = InstalledSet::load(&storage).await.unwrap();
        assert!(set.plugins.is_empty());
        set.install(&storage, &check(&w, "1.0.0", &w.v1), &w.v1).await.unwrap();
        // A reload finds it.
        let mut set = InstalledSet::load(&storage).await.unwrap();
        assert_eq!(set.get("force").map(|p| p.version.to_string()), Some("1.0.0".into()));
        let updates = set.updates(&w.market);
        assert_eq!(updates.len(), 1);
        assert_eq!(
            (updates[0].to.to_string(), updates[0].asks_more),
            ("2.0.0".into(), true),
            "2.0 asks for the network too"
        );

        set.install(&storage, &check(&w, "2.0.0", &w.v2), &w.v2).await.unwrap();
        let p = set.get("force").unwrap().clone();
        assert_eq!((p.version.to_string(), p.previous.map(|v| v.to_string())), ("2.0.0".into(), Some("1.0.0".into())));
        assert!(set.updates(&w.market).is_empty());
        let opened = set.open(&storage, "force", &w.market.trusted, &[]).await.unwrap();
        assert_eq!(opened.package.id(), "force@2.0.0");

        // Roll back, and back again.
        let back = set.roll_back(&storage, "force").await.unwrap();
        assert_eq!(
            (back.version.to_string(), back.previous.map(|v| v.to_string())),
            ("1.0.0".into(), Some("2.0.0".into()))
        );
        assert_eq!(set.open(&storage, "force", &w.market.trusted, &[]).await.unwrap().package.id(), "force@1.0.0");
        set.roll_back(&storage, "force").await.unwrap();
        set.roll_back(&storage, "force").await.unwrap();
        assert_eq!(set.get("force").unwrap().version.to_string(), "1.0.0");

        // Pinned: no update offered.
        set.set_pinned(&storage, "force", true).await.unwrap();
        assert!(set.updates(&w.market).is_empty());
        assert!(InstalledSet::load(&storage).await.unwrap().get("force").unwrap().pinned, "the pin is kept");
        set.set_pinned(&storage, "force", false).await.unwrap();

        // Uninstall: packages, grants and folder go; nothing else is left but the empty list.
        let identity = studio_core::market::registry_identity(&Package::read(&w.v1).unwrap(), "team");
        storage.put(Area::Grants, &identity.key(), b"granted").await.unwrap();
        storage.put(Area::Folders, &identity.folder_key(), b"files").await.unwrap();
        set.uninstall(&storage, "force").await.unwrap();
        assert!(set.get("force").is_none());
        assert_eq!(storage.len(), 1, "only the (empty) list remains");
        assert!(matches!(set.uninstall(&storage, "force").await, Err(InstallError::NotInstalled(_))));
        assert!(matches!(set.roll_back(&storage, "force").await, Err(InstallError::NotInstalled(_))));
    });
}

#[test]
fn a_full_quota_keeps_the_installed_version_and_changed_or_revoked_ones_do_not_run() {
    block_on(async {
        let w = world(false);
        // Room for version 1 and the list, not for version 2 besides.
        let storage = MemoryStorage::with_quota(Some(w.v1.len() + 300));
        let mut set = InstalledSet::default();
        set.install(&storage, &check(&w, "1.0.0", &w.v1), &w.v1).await.unwrap();
        let e = set.install(&storage, &check(&w, "2.0.0", &w.v2), &w.v2).await.unwrap_err();
        assert!(e.to_string().contains("browser storage is full"), "{e}");
        assert_eq!(set.get("force").unwrap().version.to_string(), "1.0.0", "the installed version stays");
        assert_eq!(
            set.open(&storage, "force", &w.market.trusted, &[]).await.unwrap().package.id(),
            "force@1.0.0",
            "and still runs"
        );
        assert!(matches!(set.roll_back(&storage, "force").await, Err(InstallError::NoPrevious(_))));

        // A stored package changed behind the app's back does not run.
        let mut bytes = w.v1.clone();
        let mut p = Package::read(&bytes).unwrap();
        p.files.get_mut("plugin.wasm").unwrap().push(0);
        bytes = p.write();
        let storage2 = MemoryStorage::default();
        let mut set2 = InstalledSet::default();
        set2.install(&storage2, &check(&w, "1.0.0", &w.v1), &w.v1).await.unwrap();
        storage2.put(Area::Packages, "force@1.0.0", &bytes).await.unwrap();
        assert!(matches!(
            set2.open(&storage2, "force", &w.market.trusted, &[]).await,
            Err(InstallError::Tampered { .. })
        ));
        storage2.put(Area::Packages, "force@1.0.0", b"garbage").await.unwrap();
        assert!(matches!(
            set2.open(&storage2, "force", &w.market.trusted, &[]).await,
            Err(InstallError::Damaged { .. })
        ));

        // Version 2 is revoked after it was installed: it is disabled, and never offered again.
        let storage3 = MemoryStorage::default();
        let mut set3 = InstalledSet::default();
        set3.install(&storage3, &check(&w, "2.0.0", &w.v2), &w.v2).await.unwrap();
        let revoking = world(true);
        let (at, _, listed) = revoking.market.locate("force", &"2.0.0".parse().unwrap()).unwrap();
        assert!(matches!(
            revoking.market.check(at, &listed, &revoking.v2),
            Err(studio_core::market::MarketError::Revoked { .. })
        ));
        assert_eq!(set3.apply_revocations(&storage3, &revoking.market).await.unwrap(), ["force"]);
        let e = set3.open(&storage3, "force", &w.market.trusted, &[]).await.unwrap_err();
        assert_eq!(e.to_string(), "force 2.0.0 was revoked by its registry and is disabled: exfiltrates");
        assert!(set3.apply_revocations(&storage3, &revoking.market).await.unwrap().is_empty(), "said once");
    });
}

#[test]
fn settings_survive_a_reload_and_remember_serials() {
    block_on(async {
        let storage = MemoryStorage::default();
        assert_eq!(MarketSettings::load(&storage).await.unwrap(), MarketSettings::default());
        let w = world(false);
        let settings = w.market.settings(false, &[]);
        settings.save(&storage).await.unwrap();
        let back = MarketSettings::load(&storage).await.unwrap();
        assert_eq!(back, settings);
        assert_eq!(back.seen.get("team"), Some(&1));
        assert_eq!(back.registries.len(), 1);
        assert!(!back.check_updates);
        assert_eq!(Market::from_settings(&back).trusted.len(), 1);
    });
}
