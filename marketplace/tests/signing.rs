//! The tamper suite for signatures: a package signed by a trusted key verifies; a flipped byte,
//! another key, a signature moved from another plugin or version, or one naming something else
//! never does, and each says what did not match.

mod common;

use common::{key, package};
use marketplace::signing::signature_key_id;
use marketplace::{Package, PublicKey, SignatureProblem, SignatureStatus, Statement, check_package};

#[test]
fn a_trusted_signature_verifies_and_survives_the_round_trip() {
    let author = key();
    let p = package("circle", "0.1.0", Some(&author));
    let back = Package::read(&p.write()).expect("reads");
    let trusted = [author.public().clone()];
    assert_eq!(check_package(&back, &trusted, &[]), SignatureStatus::Verified { key: author.public().id() });
    // Known to the registry but not yet trusted by the user: checked, and the publisher can be trusted.
    assert_eq!(check_package(&back, &[], &trusted), SignatureStatus::UnknownPublisher { key: author.public().id() });
    // Nobody knows the key: cannot be checked.
    assert_eq!(check_package(&back, &[], &[]), SignatureStatus::UnknownKey { key: author.public().id() });
    assert_eq!(check_package(&package("circle", "0.1.0", None), &trusted, &[]), SignatureStatus::Unsigned);
    assert!(SignatureStatus::Unsigned.may_run() && !SignatureStatus::Invalid(SignatureProblem::OtherKey).may_run());
    // The key file formats are minisign's, and the id is what minisign prints.
    let pubfile = author.public_key_file();
    assert_eq!(PublicKey::parse(&pubfile).expect("reads its own .pub"), *author.public());
    // Pasted into a one-line field, the file loses its line break: the key still reads.
    let glued = pubfile.replace('\n', "");
    assert_eq!(PublicKey::parse(&glued).expect("reads a glued .pub"), *author.public());
    assert!(PublicKey::parse("untrusted comment: short").is_err());
    assert!(
        PublicKey::parse(&format!("not a comment{}", author.public().base64())).is_err(),
        "glued only after a comment"
    );
    assert_eq!(author.public().id().to_string().len(), 16);
    let again = marketplace::KeyPair::read_secret_key_file(&author.secret_key_file(), "").unwrap();
    assert_eq!(again.public(), author.public());
    assert_eq!(signature_key_id(p.signature.as_deref().unwrap()), Ok(author.public().id()));
}

#[test]
fn every_tampering_is_caught_and_named() {
    let author = key();
    let trusted = [author.public().clone()];
    let signed = package("circle", "0.1.0", Some(&author));
    let status = |p: &Package| check_package(p, &trusted, &[]);
    let invalid = |p: SignatureProblem| SignatureStatus::Invalid(p);

    // A flipped byte in the module, and in the manifest.
    let mut p = signed.clone();
    p.files.get_mut("plugin.wasm").unwrap()[9] ^= 1;
    assert_eq!(status(&p), invalid(SignatureProblem::DoesNotMatch));
    let mut p = signed.clone();
    let toml = String::from_utf8(p.files["plugin.toml"].clone()).unwrap().replace("A test plugin.", "A test plugin!");
    p.files.insert("plugin.toml".into(), toml.into_bytes());
    assert_eq!(status(&p), invalid(SignatureProblem::DoesNotMatch));
    // A file added after signing.
    let mut p = signed.clone();
    p.files.insert("icon.svg".into(), b"<svg/>".to_vec());
    assert_eq!(status(&p), invalid(SignatureProblem::DoesNotMatch));

    // Signed by another key than the trusted one with the same id? Another key entirely: unknown.
    let other = key();
    let by_other = package("circle", "0.1.0", Some(&other));
    assert_eq!(status(&by_other), SignatureStatus::UnknownKey { key: other.public().id() });

    // A signature moved from another plugin, and from another version of this one.
    let mut moved = package("square", "0.1.0", None);
    moved.signature.clone_from(&signed.signature);
    assert_eq!(status(&moved), invalid(SignatureProblem::DoesNotMatch));
    let mut newer = package("circle", "0.2.0", None);
    newer.signature.clone_from(&signed.signature);
    assert_eq!(status(&newer), invalid(SignatureProblem::DoesNotMatch));

    // The right bytes signed for something else (its trusted comment names another plugin).
    let mut p = package("circle", "0.1.0", None);
    let comment = Statement::trusted_comment("square", &"0.1.0".parse().unwrap());
    p.signature = Some(author.sign(p.statement().as_bytes(), &comment).unwrap());
    assert_eq!(status(&p), invalid(SignatureProblem::WrongSubject { signed: "ptplugin square@0.1.0".into() }));

    // Garbage where the signature should be.
    let mut p = signed.clone();
    p.signature = Some("untrusted comment: x\nnot base64\n".into());
    assert_eq!(status(&p), invalid(SignatureProblem::Unreadable));
    // A byte flipped inside the signature itself.
    let mut p = signed;
    let sig = p.signature.take().unwrap();
    let mut lines: Vec<String> = sig.lines().map(str::to_owned).collect();
    let mut chars: Vec<char> = lines[1].chars().collect();
    chars[20] = if chars[20] == 'A' { 'B' } else { 'A' };
    lines[1] = chars.into_iter().collect();
    p.signature = Some(lines.join("\n"));
    assert!(matches!(status(&p), SignatureStatus::Invalid(_)), "{:?}", status(&p));
}

#[test]
fn a_key_with_a_password_needs_it() {
    let key = marketplace::KeyPair::generate("correct horse").expect("randomness");
    let file = key.secret_key_file();
    let back = marketplace::KeyPair::read_secret_key_file(&file, "correct horse").expect("the right password");
    assert_eq!(back.public(), key.public());
    let wrong = marketplace::KeyPair::read_secret_key_file(&file, "wrong");
    assert!(wrong.is_err_and(|e| e.to_string().contains("password")), "the wrong password is named");
    // What it signs verifies.
    let p = package("circle", "0.1.0", Some(&back));
    assert_eq!(check_package(&p, &[key.public().clone()], &[]), SignatureStatus::Verified { key: key.public().id() });
}
