//! `ptstudio plugin …` and `ptstudio registry …`: from a new plugin crate to a signed package in
//! a registry folder any static server can serve.
#![allow(clippy::print_stdout, reason = "each command reports what it did on standard output")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use marketplace::registry::{RegistryDir, read_key};
use marketplace::{KeyPair, Package, PublicKey, SignatureStatus, check_package};
use plugin_host::{Capability, HostPolicy, Manifest, PluginHost};

use crate::template;

/// The environment variable holding a secret key's password (empty or unset: a key in the clear).
pub const PASSWORD_ENV: &str = "PTSTUDIO_KEY_PASSWORD";

/// `ptstudio plugin …`.
#[derive(clap::Subcommand)]
pub enum PluginCmd {
    /// Write a new plugin crate, ready to build outside this repository.
    New {
        /// The plugin's name (lower case letters, digits and `-`); also the folder made.
        name: String,
        /// What it produces.
        #[arg(long, value_parser = ["layout", "renderer", "analysis", "exporter"])]
        kind: String,
        /// Where to make the folder.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// The plugin SDK's folder (`plugins/sdk` of a Parseltongue Studio checkout).
        #[arg(long, default_value = template::DEFAULT_SDK)]
        sdk: PathBuf,
    },
    /// Make a signing key pair: NAME.key (secret; encrypted with $PTSTUDIO_KEY_PASSWORD when set) and NAME.pub.
    Keygen {
        /// Path and name without extension, e.g. `keys/me`.
        out: PathBuf,
    },
    /// Build a plugin crate and write its package, after checking the manifest and that the host loads the module.
    Pack {
        /// The plugin's folder (plugin.toml, README.md, Cargo.toml).
        dir: PathBuf,
        /// Where to write the package (default: NAME-VERSION.ptplugin in the current folder).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Use this module instead of building (for a module built another way).
        #[arg(long)]
        wasm: Option<PathBuf>,
        /// Include this icon (icon.png or icon.svg).
        #[arg(long)]
        icon: Option<PathBuf>,
    },
    /// Print the statement a package's signature covers (to sign it with `minisign -S -m`).
    Statement {
        /// The package.
        file: PathBuf,
    },
    /// Sign a package with a secret key, or attach a signature made with minisign (checked first).
    Sign {
        /// The package (rewritten with the signature inside).
        file: PathBuf,
        /// The secret key file.
        #[arg(long, conflicts_with = "signature", required_unless_present = "signature")]
        key: Option<PathBuf>,
        /// A minisign signature of the package's statement, made with the trusted comment
        /// `ptplugin NAME@VERSION` (`minisign -S -m statement -t "ptplugin NAME@VERSION"`).
        #[arg(long, requires = "public")]
        signature: Option<PathBuf>,
        /// The public key of the key that made `--signature`.
        #[arg(long)]
        public: Option<PathBuf>,
    },
    /// Check a package: structure, manifest, and its signature against the given public keys.
    Verify {
        /// The package.
        file: PathBuf,
        /// A trusted public key file (repeatable).
        #[arg(long = "key")]
        keys: Vec<PathBuf>,
    },
}

/// `ptstudio registry …`.
#[derive(clap::Subcommand)]
pub enum RegistryCmd {
    /// Make an empty registry in a folder, signed by the registry's key.
    Init {
        /// The folder.
        dir: PathBuf,
        /// The registry's name.
        #[arg(long)]
        name: String,
        /// The registry's secret key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Let a publisher's key publish here.
    AddPublisher {
        /// The registry folder.
        dir: PathBuf,
        /// The publisher's name (manifests' `author`).
        #[arg(long)]
        name: String,
        /// The publisher's public key file.
        #[arg(long)]
        publisher: PathBuf,
        /// The registry's secret key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Publish a signed package (refused when the version exists or the signer is not a publisher).
    Publish {
        /// The registry folder.
        dir: PathBuf,
        /// The package.
        file: PathBuf,
        /// The registry's secret key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Withdraw a version from offers (installed copies keep working).
    Yank {
        /// The registry folder.
        dir: PathBuf,
        /// Plugin name.
        name: String,
        /// Version.
        version: semver::Version,
        /// The registry's secret key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Mark a version malicious: the app disables it wherever it is installed.
    Revoke {
        /// The registry folder.
        dir: PathBuf,
        /// Plugin name.
        name: String,
        /// Version.
        version: semver::Version,
        /// Why (shown to users).
        #[arg(long)]
        reason: String,
        /// The registry's secret key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Write the whole registry as one mirror file (for machines without a network), after verifying it.
    Mirror {
        /// The registry folder.
        dir: PathBuf,
        /// The registry's public key file.
        #[arg(long)]
        key: PathBuf,
        /// Where to write the mirror.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check the index signature and every package against it.
    Verify {
        /// The registry folder.
        dir: PathBuf,
        /// The registry's public key file.
        #[arg(long)]
        key: PathBuf,
    },
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn password() -> String {
    std::env::var(PASSWORD_ENV).unwrap_or_default()
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn public_key(path: &Path) -> Result<PublicKey> {
    let text = String::from_utf8_lossy(&read(path)?).into_owned();
    PublicKey::parse(&text).with_context(|| format!("{}", path.display()))
}

fn secret_key(path: &Path) -> Result<KeyPair> {
    read_key(path, &password())
        .with_context(|| format!("the secret key {} (password from ${PASSWORD_ENV})", path.display()))
}

fn package(path: &Path) -> Result<Package> {
    Package::read(&read(path)?).with_context(|| format!("{}", path.display()))
}

/// Runs a `plugin` subcommand, printing what it did.
pub fn plugin(cmd: PluginCmd) -> Result<()> {
    match cmd {
        PluginCmd::New { name, kind, dir, sdk } => {
            let made = template::write(&dir, &name, &kind, &sdk)?;
            println!("made {} — build it with `ptstudio plugin pack {}`", made.display(), made.display());
        }
        PluginCmd::Keygen { out } => {
            let pair = KeyPair::generate(&password())?;
            let (secret, public) = (out.with_extension("key"), out.with_extension("pub"));
            for path in [&secret, &public] {
                if path.exists() {
                    bail!("{} exists; keys are never overwritten", path.display());
                }
            }
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).with_context(|| format!("cannot make {}", parent.display()))?;
            }
            std::fs::write(&secret, pair.secret_key_file())
                .with_context(|| format!("cannot write {}", secret.display()))?;
            std::fs::write(&public, pair.public_key_file())
                .with_context(|| format!("cannot write {}", public.display()))?;
            let clear =
                if password().is_empty() { " (in the clear: set $PTSTUDIO_KEY_PASSWORD to encrypt it)" } else { "" };
            println!("key {}: {}{clear}, {}", pair.public().id(), secret.display(), public.display());
        }
        PluginCmd::Pack { dir, out, wasm, icon } => {
            let p = pack(&dir, wasm.as_deref(), icon.as_deref())?;
            let out = out.unwrap_or_else(|| {
                PathBuf::from(format!("{}-{}.ptplugin", p.manifest.plugin.name, p.manifest.plugin.version))
            });
            let bytes = p.write();
            std::fs::write(&out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
            println!(
                "{}: {} ({} bytes, unsigned: `ptstudio plugin sign {} --key KEY`)",
                out.display(),
                p.id(),
                bytes.len(),
                out.display()
            );
        }
        PluginCmd::Statement { file } => print!("{}", package(&file)?.statement()),
        PluginCmd::Sign { file, key, signature, public } => {
            let mut p = package(&file)?;
            let signer = match (key, signature, public) {
                (Some(key), _, _) => {
                    let key = secret_key(&key)?;
                    key.sign_package(&mut p)?;
                    key.public().clone()
                }
                (None, Some(sig), Some(public)) => {
                    p.signature = Some(String::from_utf8_lossy(&read(&sig)?).into_owned());
                    public_key(&public)?
                }
                _ => bail!("give --key, or --signature with --public"),
            };
            // A signature that does not hold for this package is never attached.
            match check_package(&p, std::slice::from_ref(&signer), &[]) {
                SignatureStatus::Verified { key } => {
                    std::fs::write(&file, p.write()).with_context(|| format!("cannot write {}", file.display()))?;
                    println!("{}: signed with key {key}", p.id());
                }
                other => bail!("{}: {}", file.display(), other.describe()),
            }
        }
        PluginCmd::Verify { file, keys } => {
            let p = package(&file)?;
            let keys: Vec<PublicKey> = keys.iter().map(|k| public_key(k)).collect::<Result<_>>()?;
            match check_package(&p, &keys, &[]) {
                status @ SignatureStatus::Verified { .. } => println!("{}: {}", p.id(), status.describe()),
                status => bail!("{} is not signed by a trusted key: {}", p.id(), status.describe()),
            }
        }
    }
    Ok(())
}

/// Builds (or takes) the module, checks the manifest and that the host loads the module as the
/// kind the manifest says, and makes the package.
fn pack(dir: &Path, wasm: Option<&Path>, icon: Option<&Path>) -> Result<Package> {
    let manifest_text = String::from_utf8(read(&dir.join("plugin.toml"))?).context("plugin.toml is not UTF-8")?;
    let manifest = Manifest::parse(&manifest_text)?;
    let module = match wasm {
        Some(path) => read(path)?,
        None => build(dir, &manifest)?,
    };
    let host = PluginHost::new(HostPolicy::default())?;
    let grants = Capability::ALL.into_iter().collect();
    host.load(std::sync::Arc::new(manifest.clone()), &module, grants)
        .with_context(|| format!("the host would not load {}'s module", manifest.id()))?;
    let mut files = std::collections::BTreeMap::from([
        ("plugin.toml".to_owned(), manifest_text.into_bytes()),
        ("plugin.wasm".to_owned(), module),
        ("README.md".to_owned(), read(&dir.join("README.md"))?),
    ]);
    if let Some(icon) = icon {
        let name = match icon.extension().and_then(|e| e.to_str()) {
            Some("png") => "icon.png",
            Some("svg") => "icon.svg",
            _ => bail!("the icon must be a .png or .svg"),
        };
        files.insert(name.to_owned(), read(icon)?);
    }
    Ok(Package::from_files(files, None)?)
}

/// `cargo build --release --target wasm32-unknown-unknown` in the plugin's folder; the module it made.
fn build(dir: &Path, manifest: &Manifest) -> Result<Vec<u8>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = dir.join("target");
    let status = Command::new(cargo)
        .args(["build", "--release", "--target", "wasm32-unknown-unknown", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("building {} failed", dir.display());
    }
    let file = format!("{}.wasm", manifest.plugin.name.replace('-', "_"));
    read(&target.join("wasm32-unknown-unknown/release").join(file))
}

/// Runs a `registry` subcommand, printing what it did.
pub fn registry(cmd: RegistryCmd) -> Result<()> {
    match cmd {
        RegistryCmd::Init { dir, name, key } => {
            let key = secret_key(&key)?;
            RegistryDir::new(&dir, &key).init(&name, now())?;
            println!("registry {name} in {} (key {})", dir.display(), key.public().id());
        }
        RegistryCmd::AddPublisher { dir, name, publisher, key } => {
            let key = secret_key(&key)?;
            let publisher = public_key(&publisher)?;
            RegistryDir::new(&dir, &key).add_publisher(&name, &publisher, now())?;
            println!("{name} (key {}) may publish to {}", publisher.id(), dir.display());
        }
        RegistryCmd::Publish { dir, file, key } => {
            let key = secret_key(&key)?;
            let release = RegistryDir::new(&dir, &key).publish(&read(&file)?, now())?;
            println!("published {} ({} bytes, sha256 {})", release.file, release.size, release.sha256);
        }
        RegistryCmd::Yank { dir, name, version, key } => {
            let key = secret_key(&key)?;
            RegistryDir::new(&dir, &key).yank(&name, &version, now())?;
            println!("yanked {name}@{version}");
        }
        RegistryCmd::Revoke { dir, name, version, reason, key } => {
            let key = secret_key(&key)?;
            RegistryDir::new(&dir, &key).revoke(&name, &version, &reason, now())?;
            println!("revoked {name}@{version}: {reason}");
        }
        RegistryCmd::Mirror { dir, key, out } => {
            let bytes = marketplace::registry::mirror_folder(&dir, &public_key(&key)?)?;
            std::fs::write(&out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
            println!("mirror of {} in {} ({} bytes)", dir.display(), out.display(), bytes.len());
        }
        RegistryCmd::Verify { dir, key } => {
            let (index, checked) = marketplace::registry::verify_folder(&dir, &public_key(&key)?, Some(now()))?;
            println!(
                "registry {} serial {}: index signed, {checked} packages match and are signed by their publishers",
                index.registry, index.serial
            );
        }
    }
    Ok(())
}
