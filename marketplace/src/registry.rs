//! A registry as a folder (what `ptstudio registry …` works on, and what any static server can
//! then serve): `index.json`, its signature, and `packages/NAME-VERSION.ptplugin`. Every change
//! raises the serial, renews the expiry and signs the index again with the registry's key.
//! Published versions are immutable: publishing one again is refused.

use std::path::{Path, PathBuf};

use semver::Version;

use crate::index::{FileMismatch, INDEX_FILE, INDEX_SIGNATURE_FILE, Index, IndexError, Publisher, Release, Revoked};
use crate::package::{Package, PackageError};
use crate::signing::{KeyPair, PublicKey, SignatureProblem, SigningError, Statement, signature_key_id};

/// How long a freshly signed index stays valid.
pub const INDEX_VALIDITY_SECS: u64 = 90 * 24 * 3600;

/// Why a registry operation failed.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Reading or writing a file.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The folder already holds a registry.
    #[error("{0} already holds a registry")]
    AlreadyThere(PathBuf),
    /// The index does not open.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// A package does not read.
    #[error(transparent)]
    Package(#[from] PackageError),
    /// Signing failed.
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// The package carries no signature.
    #[error("{0} is not signed; sign it with `ptstudio plugin sign` first")]
    Unsigned(String),
    /// Signed with a key that is not one of the registry's publishers.
    #[error(
        "{plugin} is signed with key {key}, which is not a publisher of this registry (add it with `ptstudio registry add-publisher`)"
    )]
    UnknownPublisher {
        /// The plugin.
        plugin: String,
        /// The key.
        key: String,
    },
    /// The signature does not hold.
    #[error("{plugin}: {problem}")]
    BadSignature {
        /// The plugin.
        plugin: String,
        /// What did not match.
        problem: SignatureProblem,
    },
    /// The version is already published.
    #[error("{0} is already published; published versions never change (publish a new version)")]
    Exists(String),
    /// No such release.
    #[error("{0} is not in this registry")]
    NotListed(String),
    /// A listed package file does not match the index.
    #[error(transparent)]
    Mismatch(#[from] FileMismatch),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RegistryError + '_ {
    move |source| RegistryError::Io { path: path.to_owned(), source }
}

fn read(path: &Path) -> Result<Vec<u8>, RegistryError> {
    std::fs::read(path).map_err(io(path))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), RegistryError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(path, bytes).map_err(io(path))
}

/// A registry folder and the key that signs its index.
pub struct RegistryDir<'k> {
    root: PathBuf,
    key: &'k KeyPair,
}

impl<'k> RegistryDir<'k> {
    /// The registry in `root`, signed with `key`.
    #[must_use]
    pub fn new(root: &Path, key: &'k KeyPair) -> Self {
        Self { root: root.to_owned(), key }
    }

    /// Makes an empty registry named `name`.
    ///
    /// # Errors
    /// The folder already holds one, or writing failed.
    pub fn init(&self, name: &str, now: u64) -> Result<Index, RegistryError> {
        if self.root.join(INDEX_FILE).exists() {
            return Err(RegistryError::AlreadyThere(self.root.clone()));
        }
        let index = Index::new(name, 1, now + INDEX_VALIDITY_SECS);
        self.save(&index)?;
        Ok(index)
    }

    /// The index as it is, checked against the registry's own key (not its expiry: the operator
    /// may be renewing an expired index).
    ///
    /// # Errors
    /// It does not open.
    pub fn load(&self) -> Result<Index, RegistryError> {
        open_folder(&self.root, self.key.public(), None)
    }

    fn save(&self, index: &Index) -> Result<(), RegistryError> {
        let json = serde_json::to_vec_pretty(index).unwrap_or_default();
        let signature = self.key.sign(&json, &index.trusted_comment())?;
        write(&self.root.join(INDEX_FILE), &json)?;
        write(&self.root.join(INDEX_SIGNATURE_FILE), signature.as_bytes())
    }

    fn change(
        &self,
        now: u64,
        edit: impl FnOnce(&mut Index) -> Result<(), RegistryError>,
    ) -> Result<Index, RegistryError> {
        let mut index = self.load()?;
        edit(&mut index)?;
        index.serial += 1;
        index.expires = now + INDEX_VALIDITY_SECS;
        self.save(&index)?;
        Ok(index)
    }

    /// Lets `publisher` (named `name`) publish here.
    ///
    /// # Errors
    /// The index does not open, or writing failed.
    pub fn add_publisher(&self, name: &str, publisher: &PublicKey, now: u64) -> Result<Index, RegistryError> {
        self.change(now, |index| {
            index.publishers.retain(|p| p.key != *publisher);
            index.publishers.push(Publisher { name: name.to_owned(), key: publisher.clone() });
            Ok(())
        })
    }

    /// Publishes a signed package: its signature must be a listed publisher's, and its version new.
    ///
    /// # Errors
    /// [`RegistryError`] naming why it was refused.
    pub fn publish(&self, package_bytes: &[u8], now: u64) -> Result<Release, RegistryError> {
        let package = Package::read(package_bytes)?;
        let id = package.id();
        let signature = package.signature.clone().ok_or_else(|| RegistryError::Unsigned(id.clone()))?;
        let mut published = None;
        self.change(now, |index| {
            let key_id = signature_key_id(&signature).map_err(|_| RegistryError::BadSignature {
                plugin: id.clone(),
                problem: SignatureProblem::Unreadable,
            })?;
            let publisher = index
                .publisher(key_id)
                .ok_or_else(|| RegistryError::UnknownPublisher { plugin: id.clone(), key: key_id.to_string() })?;
            let m = &package.manifest;
            let comment = Statement::trusted_comment(&m.plugin.name, &m.plugin.version);
            publisher
                .key
                .verify(package.statement().as_bytes(), &signature, &comment)
                .map_err(|problem| RegistryError::BadSignature { plugin: id.clone(), problem })?;
            if index.release(&m.plugin.name, &m.plugin.version).is_some() {
                return Err(RegistryError::Exists(id.clone()));
            }
            let release = Release { published: now, ..Release::of_package(&package, package_bytes, key_id) };
            write(&self.root.join(&release.file), package_bytes)?;
            index.plugins.entry(m.plugin.name.clone()).or_default().push(release.clone());
            published = Some(release);
            Ok(())
        })?;
        published.ok_or(RegistryError::NotListed(id))
    }

    /// Withdraws a version from offers (installed copies keep working; pinning still finds it).
    ///
    /// # Errors
    /// It is not listed, or the index does not open.
    pub fn yank(&self, name: &str, version: &Version, now: u64) -> Result<Index, RegistryError> {
        self.change(now, |index| {
            let release = index
                .plugins
                .get_mut(name)
                .and_then(|rs| rs.iter_mut().find(|r| r.version == *version))
                .ok_or_else(|| RegistryError::NotListed(format!("{name}@{version}")))?;
            release.yanked = true;
            Ok(())
        })
    }

    /// Marks a version malicious: clients disable it wherever it is installed.
    ///
    /// # Errors
    /// It is not listed, or the index does not open.
    pub fn revoke(&self, name: &str, version: &Version, reason: &str, now: u64) -> Result<Index, RegistryError> {
        self.change(now, |index| {
            if index.release(name, version).is_none() {
                return Err(RegistryError::NotListed(format!("{name}@{version}")));
            }
            index.revoked.retain(|r| !(r.name == name && r.version == *version));
            index.revoked.push(Revoked { name: name.to_owned(), version: version.clone(), reason: reason.to_owned() });
            if let Some(r) = index.plugins.get_mut(name).and_then(|rs| rs.iter_mut().find(|r| r.version == *version)) {
                r.yanked = true;
            }
            Ok(())
        })
    }

    /// Checks the whole registry ([`verify_folder`]); returns how many packages were checked.
    ///
    /// # Errors
    /// The first problem found.
    pub fn verify(&self) -> Result<usize, RegistryError> {
        verify_folder(&self.root, self.key.public(), None).map(|(_, n)| n)
    }
}

/// The index in `root`, signed by `key`, and unexpired at `now` when given.
fn open_folder(root: &Path, key: &PublicKey, now: Option<u64>) -> Result<Index, RegistryError> {
    let json = read(&root.join(INDEX_FILE))?;
    let signature = String::from_utf8_lossy(&read(&root.join(INDEX_SIGNATURE_FILE))?).into_owned();
    Ok(Index::open(&json, Some(&signature), std::slice::from_ref(key), now.unwrap_or(0), None)?)
}

/// Checks a registry folder as a client would: the index signed by `key` (and unexpired at `now`
/// when given), and every package matching its listing and signed by its publisher. Returns the
/// index and how many packages were checked.
///
/// # Errors
/// The first problem found.
pub fn verify_folder(root: &Path, key: &PublicKey, now: Option<u64>) -> Result<(Index, usize), RegistryError> {
    let index = open_folder(root, key, now)?;
    let keys = index.publisher_keys();
    let mut checked = 0;
    for (name, releases) in &index.plugins {
        for r in releases {
            let bytes = read(&root.join(&r.file))?;
            r.check_file(&bytes)?;
            let package = Package::read(&bytes)?;
            let id = format!("{name}@{}", r.version);
            match crate::signing::check_package(&package, &keys, &[]) {
                crate::signing::SignatureStatus::Verified { .. } => {}
                crate::signing::SignatureStatus::Invalid(problem) => {
                    return Err(RegistryError::BadSignature { plugin: id, problem });
                }
                _ => return Err(RegistryError::Unsigned(id)),
            }
            checked += 1;
        }
    }
    Ok((index, checked))
}

/// The registry in `root` as one mirror file, after checking it as a client would
/// ([`verify_folder`] with the registry's `key`).
///
/// # Errors
/// The registry does not verify, or a file cannot be read.
pub fn mirror_folder(root: &Path, key: &PublicKey) -> Result<Vec<u8>, RegistryError> {
    let (index, _) = verify_folder(root, key, None)?;
    let mut mirror = crate::mirror::Mirror {
        index: read(&root.join(INDEX_FILE))?,
        signature: Some(String::from_utf8_lossy(&read(&root.join(INDEX_SIGNATURE_FILE))?).into_owned()),
        files: std::collections::BTreeMap::new(),
    };
    for r in index.plugins.values().flatten() {
        mirror.files.insert(r.file.clone(), read(&root.join(&r.file))?);
    }
    Ok(mirror.write())
}

/// A key pair read from its secret key file with its password (empty for a key in the clear).
///
/// # Errors
/// The file cannot be read, is not a minisign secret key, or the password is wrong.
pub fn read_key(path: &Path, password: &str) -> Result<KeyPair, RegistryError> {
    let text = String::from_utf8_lossy(&read(path)?).into_owned();
    Ok(KeyPair::read_secret_key_file(&text, password)?)
}
