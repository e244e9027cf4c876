//! Signatures in minisign's format (Ed25519; authors can sign with the `minisign` or `rsign2`
//! command lines as well as with `ptstudio plugin sign`). A publisher signs a package's
//! [`Statement`]: the plugin's name and version and every file's SHA-256, so a signature never
//! fits another plugin, another version or a changed file. A registry signs its index the same way.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine;
use semver::Version;

use crate::package::{Package, sha256_hex};

/// The length of a minisign public key in base64 (2 bytes of algorithm, 8 of key id, 32 of key).
const KEY_BASE64_LEN: usize = 56;

/// The most read of a fetched signature or public key file: either is a few hundred bytes.
pub const MAX_SIGNATURE_BYTES: usize = 16 << 10;

/// The canonical text a publisher signs for a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement(String);

impl Statement {
    /// The statement of plugin `name` at `version` made of `files` (the signature entry excluded).
    #[must_use]
    pub fn of(name: &str, version: &Version, files: &BTreeMap<String, Vec<u8>>) -> Self {
        let mut text = format!("ptplugin signed statement v1\nplugin {name}\nversion {version}\n");
        for (file, bytes) in files {
            text.push_str(&format!("file {file} sha256 {} size {}\n", sha256_hex(bytes), bytes.len()));
        }
        Self(text)
    }

    /// The bytes signed.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The trusted comment a package signature carries: names the plugin and version again, in the
    /// part of the signature minisign shows and signs.
    #[must_use]
    pub fn trusted_comment(name: &str, version: &Version) -> String {
        format!("ptplugin {name}@{version}")
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A publisher's or registry's public key, in minisign's base64 form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PublicKey {
    base64: String,
    id: KeyId,
}

/// A key's id: minisign's 8-byte key number, shown as 16 upper-case hex digits as minisign does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 8]);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // minisign prints the key number as a little-endian u64.
        write!(f, "{:016X}", u64::from_le_bytes(self.0))
    }
}

/// Why a key or a signature could not even be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Not a minisign public key.
    #[error("not a minisign public key: {0}")]
    BadKey(String),
    /// Not a minisign signature.
    #[error("not a minisign signature: {0}")]
    BadSignature(String),
}

impl PublicKey {
    /// Reads a key from its base64 line, or from a `.pub` file's text (comment line, then base64).
    ///
    /// # Errors
    /// [`KeyError::BadKey`] when it is not an Ed25519 minisign key.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let line = text.lines().map(str::trim).rfind(|l| !l.is_empty() && !l.starts_with("untrusted comment:"));
        // A `.pub` file pasted into a one-line field loses its line break, gluing the comment to
        // the key: the key is then the text's last 56 characters (42 bytes in base64).
        let glued = || {
            let t = text.trim_end();
            t.len()
                .checked_sub(KEY_BASE64_LEN)
                .and_then(|at| t.get(at..))
                .filter(|_| t.starts_with("untrusted comment:"))
        };
        let line = line.or_else(glued).ok_or_else(|| KeyError::BadKey("empty".into()))?;
        minisign_verify::PublicKey::from_base64(line).map_err(|e| KeyError::BadKey(e.to_string()))?;
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(line).map_err(|e| KeyError::BadKey(e.to_string()))?;
        let mut id = [0u8; 8];
        id.copy_from_slice(&bytes[2..10]);
        Ok(Self { base64: line.to_owned(), id: KeyId(id) })
    }

    /// Its id.
    #[must_use]
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The base64 line.
    #[must_use]
    pub fn base64(&self) -> &str {
        &self.base64
    }

    /// Whether `signature` (minisign text) signs `data` with this key and carries
    /// `trusted_comment`.
    ///
    /// # Errors
    /// [`SignatureProblem`] naming what did not match.
    pub fn verify(&self, data: &[u8], signature: &str, trusted_comment: &str) -> Result<(), SignatureProblem> {
        let key = minisign_verify::PublicKey::from_base64(&self.base64).map_err(|_| SignatureProblem::Unreadable)?;
        let sig = minisign_verify::Signature::decode(signature).map_err(|_| SignatureProblem::Unreadable)?;
        match key.verify(data, &sig, false) {
            Ok(()) => {}
            Err(minisign_verify::Error::UnexpectedKeyId) => return Err(SignatureProblem::OtherKey),
            Err(_) => return Err(SignatureProblem::DoesNotMatch),
        }
        if sig.trusted_comment() != trusted_comment {
            return Err(SignatureProblem::WrongSubject { signed: sig.trusted_comment().to_owned() });
        }
        Ok(())
    }
}

impl TryFrom<String> for PublicKey {
    type Error = KeyError;
    fn try_from(s: String) -> Result<Self, KeyError> {
        Self::parse(&s)
    }
}

impl From<PublicKey> for String {
    fn from(k: PublicKey) -> Self {
        k.base64
    }
}

/// The key id a signature says it was made with.
///
/// # Errors
/// [`KeyError::BadSignature`] when the text is not a minisign signature.
pub fn signature_key_id(signature: &str) -> Result<KeyId, KeyError> {
    minisign_verify::Signature::decode(signature).map_err(|e| KeyError::BadSignature(e.to_string()))?;
    let line = signature.lines().nth(1).unwrap_or_default();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(line.trim())
        .map_err(|e| KeyError::BadSignature(e.to_string()))?;
    let mut id = [0u8; 8];
    id.copy_from_slice(&bytes[2..10]);
    Ok(KeyId(id))
}

/// What is wrong with a signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureProblem {
    /// Not a minisign signature.
    #[error("the signature is not a readable minisign signature")]
    Unreadable,
    /// Made with another key than the one checked against.
    #[error("the signature was made with another key")]
    OtherKey,
    /// The right key, but the signed bytes differ: a file was changed after signing.
    #[error("the signature does not match the files (changed after signing?)")]
    DoesNotMatch,
    /// A valid signature of something else (another plugin, version or registry).
    #[error("the signature is for {signed:?}, not this package")]
    WrongSubject {
        /// What its trusted comment names.
        signed: String,
    },
}

/// Where a package's signature stands against the keys the user trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureStatus {
    /// Signed by a trusted publisher's key.
    Verified {
        /// The key.
        key: KeyId,
    },
    /// Correctly signed by a key the registry lists but the user has not trusted yet (its
    /// publisher can be trusted).
    UnknownPublisher {
        /// The key.
        key: KeyId,
    },
    /// Signed with a key neither the user nor the registry has, so it cannot be checked: as good
    /// as unsigned, and said so.
    UnknownKey {
        /// The key the signature names.
        key: KeyId,
    },
    /// No signature.
    Unsigned,
    /// A signature that does not hold: the package never installs or runs.
    Invalid(SignatureProblem),
}

impl SignatureStatus {
    /// One line for the plugin page.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Verified { key } => format!("verified: signed by trusted key {key}"),
            Self::UnknownPublisher { key } => format!("signed by an unknown publisher (key {key})"),
            Self::UnknownKey { key } => format!("signed with key {key}, which is not known here: it cannot be checked"),
            Self::Unsigned => "unsigned".to_owned(),
            Self::Invalid(p) => format!("invalid signature: {p}"),
        }
    }

    /// Whether the package may be installed or run at all (after the user's say for the first
    /// two cases that are not [`SignatureStatus::Verified`]).
    #[must_use]
    pub fn may_run(&self) -> bool {
        !matches!(self, Self::Invalid(_))
    }
}

/// Checks `package`'s signature: against `trusted` keys first, then against `known` keys (a
/// registry's publishers, not yet trusted by the user), whose signatures still must hold.
#[must_use]
pub fn check_package(package: &Package, trusted: &[PublicKey], known: &[PublicKey]) -> SignatureStatus {
    let Some(signature) = &package.signature else { return SignatureStatus::Unsigned };
    let Ok(id) = signature_key_id(signature) else { return SignatureStatus::Invalid(SignatureProblem::Unreadable) };
    let statement = package.statement();
    let comment = Statement::trusted_comment(&package.manifest.plugin.name, &package.manifest.plugin.version);
    let check = |key: &PublicKey| key.verify(statement.as_bytes(), signature, &comment);
    if let Some(key) = trusted.iter().find(|k| k.id() == id) {
        return match check(key) {
            Ok(()) => SignatureStatus::Verified { key: id },
            Err(p) => SignatureStatus::Invalid(p),
        };
    }
    match known.iter().find(|k| k.id() == id) {
        Some(key) => match check(key) {
            Ok(()) => SignatureStatus::UnknownPublisher { key: id },
            Err(p) => SignatureStatus::Invalid(p),
        },
        None => SignatureStatus::UnknownKey { key: id },
    }
}

/// A key pair for signing (authors and registries; never in the app).
#[cfg(feature = "author")]
pub struct KeyPair {
    /// In the clear, for signing.
    secret: minisign::SecretKey,
    public: PublicKey,
    /// The secret key file as stored (encrypted when made with a password).
    stored: String,
}

/// Why a key could not be made, read or used.
#[cfg(feature = "author")]
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SigningError(String);

#[cfg(feature = "author")]
impl SigningError {
    /// An error saying `why`.
    #[must_use]
    pub fn new(why: String) -> Self {
        Self(why)
    }
}

#[cfg(feature = "author")]
impl KeyPair {
    /// A new key pair whose secret key file is encrypted with `password` (minisign's scrypt
    /// scheme, which `minisign -S` reads), or kept in the clear with its checksum when `password`
    /// is empty (development keys; tests).
    ///
    /// # Errors
    /// The system's randomness failed.
    pub fn generate(password: &str) -> Result<Self, SigningError> {
        let pair = minisign::KeyPair::generate_encrypted_keypair(Some(password.to_owned()))
            .map_err(|e| SigningError(e.to_string()))?;
        Self::from_secret(&pair.sk, password)
    }

    fn from_secret(stored: &minisign::SecretKey, password: &str) -> Result<Self, SigningError> {
        // Signing needs the key in the clear: a stored key is decrypted by reading its file back.
        let text = stored.to_box(None).map_err(|e| SigningError(e.to_string()))?.into_string();
        let secret = minisign::SecretKeyBox::from_string(&text)
            .and_then(|b| b.into_secret_key(Some(password.to_owned())))
            .map_err(|e| SigningError(e.to_string()))?;
        let public = minisign::PublicKey::from_secret_key(&secret).map_err(|e| SigningError(e.to_string()))?;
        let public = PublicKey::parse(&public.to_base64()).map_err(|e| SigningError(e.to_string()))?;
        Ok(Self { secret, public, stored: text })
    }

    /// Reads a secret key file (minisign's format) with its password (empty for a key kept in the clear).
    ///
    /// # Errors
    /// Not a minisign secret key, or the wrong password.
    pub fn read_secret_key_file(text: &str, password: &str) -> Result<Self, SigningError> {
        let boxed = minisign::SecretKeyBox::from_string(text).map_err(|e| SigningError(e.to_string()))?;
        let stored = minisign::SecretKey::from_box(boxed.clone(), Some(password.to_owned()))
            .map_err(|e| SigningError(e.to_string()))?;
        let public = minisign::PublicKey::from_secret_key(&stored).map_err(|e| SigningError(e.to_string()))?;
        let public = PublicKey::parse(&public.to_base64()).map_err(|e| SigningError(e.to_string()))?;
        Ok(Self { secret: stored, public, stored: boxed.into_string() })
    }

    /// The secret key file's text, encrypted as it was made.
    #[must_use]
    pub fn secret_key_file(&self) -> String {
        self.stored.clone()
    }

    /// The public key file's text, as minisign writes `.pub` files.
    #[must_use]
    pub fn public_key_file(&self) -> String {
        format!("untrusted comment: ptstudio public key {}\n{}\n", self.public.id(), self.public.base64())
    }

    /// The public key.
    #[must_use]
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// A minisign signature of `data` carrying `trusted_comment`.
    ///
    /// # Errors
    /// Signing failed.
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> Result<String, SigningError> {
        let signature = minisign::sign(None, &self.secret, data, Some(trusted_comment), Some("ptstudio signature"))
            .map_err(|e| SigningError(e.to_string()))?;
        Ok(signature.into_string())
    }

    /// Signs a package (replacing any signature it had).
    ///
    /// # Errors
    /// Signing failed.
    pub fn sign_package(&self, package: &mut Package) -> Result<(), SigningError> {
        let comment = Statement::trusted_comment(&package.manifest.plugin.name, &package.manifest.plugin.version);
        package.signature = Some(self.sign(package.statement().as_bytes(), &comment)?);
        Ok(())
    }
}
