//! A registry as a folder: init, publishers, publish (signed by a listed publisher, never over a
//! published version), yank, revoke, and a verify that finds a tampered file.

mod common;

use common::{key, package};
use marketplace::index::{INDEX_FILE, INDEX_SIGNATURE_FILE, Index};
use marketplace::registry::{RegistryDir, RegistryError};

const NOW: u64 = 2_000_000_000;

#[test]
fn a_registry_folder_publishes_signed_versions_once_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let registry_key = key();
    let author = key();
    let reg = RegistryDir::new(dir.path(), &registry_key);
    reg.init("team", NOW).unwrap();
    assert!(matches!(reg.init("team", NOW), Err(RegistryError::AlreadyThere(_))));

    // Not yet a publisher here.
    let v1 = package("circle", "0.1.0", Some(&author)).write();
    assert!(matches!(reg.publish(&v1, NOW), Err(RegistryError::UnknownPublisher { .. })));
    reg.add_publisher("Tester", author.public(), NOW).unwrap();
    let release = reg.publish(&v1, NOW).unwrap();
    assert_eq!(release.sha256, marketplace::package::sha256_hex(&v1));
    assert_eq!(release.capabilities, ["read_isg", "write_visualization"]);
    assert_eq!(release.published, NOW, "the time of publishing is listed, for sorting by newest");
    assert!(matches!(reg.publish(&v1, NOW), Err(RegistryError::Exists(ref id)) if id == "circle@0.1.0"), "immutable");
    assert!(matches!(reg.publish(&package("circle", "0.2.0", None).write(), NOW), Err(RegistryError::Unsigned(_))));
    reg.publish(&package("circle", "0.2.0", Some(&author)).write(), NOW).unwrap();

    // Readers open what the folder holds with the registry's key; the serial grew with each change.
    let json = std::fs::read(dir.path().join(INDEX_FILE)).unwrap();
    let sig = std::fs::read_to_string(dir.path().join(INDEX_SIGNATURE_FILE)).unwrap();
    let index = Index::open(&json, Some(&sig), &[registry_key.public().clone()], NOW, Some(1)).unwrap();
    assert_eq!(index.serial, 4, "init, a publisher, two versions");
    assert_eq!(index.plugins["circle"].len(), 2);
    assert_eq!(reg.verify().unwrap(), 2);

    reg.yank("circle", &"0.2.0".parse().unwrap(), NOW).unwrap();
    reg.revoke("circle", &"0.1.0".parse().unwrap(), "mines coins", NOW).unwrap();
    let index = reg.load().unwrap();
    assert!(index.plugins["circle"].iter().all(|r| r.yanked));
    assert_eq!(index.revoked("circle", &"0.1.0".parse().unwrap()).map(|r| r.reason.as_str()), Some("mines coins"));
    assert!(matches!(reg.yank("ghost", &"1.0.0".parse().unwrap(), NOW), Err(RegistryError::NotListed(_))));

    // A package file swapped on the server is found.
    let file = dir.path().join(&index.plugins["circle"][0].file);
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&file, bytes).unwrap();
    assert!(matches!(reg.verify(), Err(RegistryError::Mismatch(_))));
}

#[test]
fn a_registry_travels_as_one_mirror_file_and_a_bad_mirror_is_named() {
    use marketplace::mirror::{Mirror, MirrorError};
    let dir = tempfile::tempdir().unwrap();
    let (registry_key, author) = (key(), key());
    let reg = RegistryDir::new(dir.path(), &registry_key);
    reg.init("team", NOW).unwrap();
    reg.add_publisher("Tester", author.public(), NOW).unwrap();
    reg.publish(&package("circle", "0.1.0", Some(&author)).write(), NOW).unwrap();
    let file = marketplace::registry::mirror_folder(dir.path(), registry_key.public()).unwrap();
    let mirror = Mirror::read(&file).unwrap();
    let index =
        Index::open(&mirror.index, mirror.signature.as_deref(), &[registry_key.public().clone()], NOW, None).unwrap();
    let release = &index.plugins["circle"][0];
    release.check_file(&mirror.files[&release.file]).unwrap();
    // Another key cannot make a mirror of it.
    assert!(marketplace::registry::mirror_folder(dir.path(), author.public()).is_err());
    // Damaged or hostile mirrors are named.
    assert!(matches!(Mirror::read(&file[..file.len() / 2]), Err(MirrorError::Archive(_))));
    let raw = |name: &[u8]| {
        common::raw_package(&[
            common::Raw { name: b"index.json", data: &mirror.index, kind: tar::EntryType::Regular },
            common::Raw { name, data: b"x", kind: tar::EntryType::Regular },
        ])
    };
    assert!(
        matches!(Mirror::read(&raw(b"packages/../../evil.ptplugin")), Err(MirrorError::Archive(why)) if why.contains("outside the mirror"))
    );
    assert!(matches!(Mirror::read(&raw(b"run.sh")), Err(MirrorError::Archive(why)) if why.contains("does not belong")));
    assert!(matches!(Mirror::read(&raw(b"index.json")), Err(MirrorError::Archive(why)) if why.contains("twice")));
    let only_packages = Mirror { index: Vec::new(), signature: None, files: mirror.files.clone() }.write();
    let without_index = common::raw_package(&[common::Raw {
        name: b"packages/circle-0.1.0.ptplugin",
        data: b"x",
        kind: tar::EntryType::Regular,
    }]);
    assert_eq!(Mirror::read(&without_index).map(|_| ()), Err(MirrorError::NoIndex));
    assert!(
        Mirror::read(&only_packages).is_ok_and(|m| m.index.is_empty()),
        "an empty index is read, and refused when opened"
    );
}
