//! Fixed test vectors: the check-in credential and presentation of the first sample person,
//! from fixed seeds, in presentation format 2 (Ed25519 and ES256 holder keys), and the frozen
//! format-1 files, which must keep verifying. Ed25519 is deterministic and the check-in credential has no salted
//! disclosures, so the bytes are fixed: any change to the wire format shows up here (claim keys
//! and envelope are "fixed forever once issued"). Independent tools can check these files.
//!
//! Regenerate (only for an intended format change) with
//! `CW_WRITE_VECTORS=1 cargo test -p citizen-wallet-core --test format_vectors`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as fixture;

use citizen_wallet_core::internal::qr_text;
use citizen_wallet_core::internal::SigningKey;
use citizen_wallet_core::internal::{build_presentation, build_presentation_with};
use citizen_wallet_core::model::CredentialType;
use citizen_wallet_core::{SoftwareP256Signer, VerdictStatus};
use fixture::{all_credentials, data_dir, World, DAY, T0};

const HOLDER_SEED: [u8; 32] = [9; 32];

fn check(name: &str, bytes: &[u8]) {
    check_text(name, &hex::encode(bytes));
}

fn check_text(name: &str, hex_now: &str) {
    let path = data_dir().join(name);
    if std::env::var_os("CW_WRITE_VECTORS").is_some() {
        std::fs::write(&path, format!("{hex_now}\n")).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        stored.trim_end_matches('\n'),
        hex_now,
        "{name}: the wire format changed"
    );
}

fn check_in() -> citizen_wallet_core::model::Credential {
    all_credentials()
        .into_iter()
        .find(|c| c.credential_type() == CredentialType::ClinicCheckin)
        .unwrap()
}

fn counter(world: &World) -> citizen_wallet_core::Verifier {
    world.verifier_with(citizen_wallet_core::VerifierConfig {
        audience: Some("quay-1".into()),
        ..Default::default()
    })
}

/// Format version 1 (`VN1:`, written before format 2): the frozen files still verify. Decided:
/// a counter keeps accepting version-1 codes (made by wallets not yet updated), see
/// `format/qr_text.rs`.
#[test]
fn version_1_vectors_still_verify() {
    let world = World::new();
    let text = std::fs::read_to_string(data_dir().join("vector-checkin-v1-qr.txt")).unwrap();
    let kbt = hex::decode(
        std::fs::read_to_string(data_dir().join("vector-checkin-v1-kbt.hex"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    assert!(text.starts_with("VN1:"));
    assert_eq!(qr_text::decode_presentation(text.trim()).unwrap(), kbt);
    let v = counter(&world)
        .verify_text_with_nonce(text.trim(), &[1, 2, 3, 4])
        .unwrap();
    assert_eq!(v.status, VerdictStatus::Valid);
    assert_eq!(v.claim("dob"), Some("1992-03-14"));
    // The same bytes under the format-2 prefix are refused (an `alg` in a format-2 KBT), and a
    // newer version is named as such.
    let as_v2 = text.trim().replacen("VN1:", "VN2:", 1);
    assert_eq!(
        counter(&world).verify_text(&as_v2).unwrap().reject_reason(),
        Some(citizen_wallet_core::RejectReason::Malformed)
    );
    let as_v3 = text.trim().replacen("VN1:", "VN3:", 1);
    assert_eq!(
        counter(&world).verify_text(&as_v3).unwrap().reject_reason(),
        Some(citizen_wallet_core::RejectReason::UnsupportedVersion)
    );
}

#[test]
fn check_in_vectors_are_stable_and_verify() {
    let world = World::new();
    let holder = SigningKey::from_seed(&HOLDER_SEED).unwrap();
    let issued = world
        .bhxh
        .issue_default(
            &check_in(),
            &holder.public().to_bytes(),
            T0 - DAY,
            T0 + 365 * DAY,
            42,
        )
        .unwrap();
    let kbt = build_presentation(
        &issued,
        &holder,
        &[],
        Some("quay-1"),
        Some(&[1, 2, 3, 4]),
        T0,
        None,
    )
    .unwrap();
    check("vector-checkin-sd-cwt.hex", &issued);
    check("vector-checkin-kbt.hex", &kbt);
    let text = qr_text::encode_presentation(&kbt);
    assert!(text.starts_with("VN2:"));
    check_text("vector-checkin-qr.txt", &text);
    let v = counter(&world)
        .verify_text_with_nonce(&text, &[1, 2, 3, 4])
        .unwrap();
    assert_eq!(v.status, VerdictStatus::Valid);
    assert_eq!(v.claim("dob"), Some("1992-03-14"));
    assert_eq!(v.claim("citizen_id"), Some("001192034517"));
    println!(
        "vector: issued {} bytes, presentation {} bytes, QR text {} chars",
        issued.len(),
        kbt.len(),
        text.len()
    );
}

/// The same with an ES256 holder key (software P-256 from a fixed secret; RFC 6979 makes the
/// signature deterministic, so these bytes are fixed too).
#[test]
fn es256_check_in_vectors_are_stable_and_verify() {
    let world = World::new();
    let holder = SoftwareP256Signer::from_secret(&[9; 32]).unwrap();
    let issued = world
        .bhxh
        .issue_default_to(&check_in(), &holder.public(), T0 - DAY, T0 + 365 * DAY, 42)
        .unwrap();
    let kbt = build_presentation_with(
        &issued,
        &holder,
        &[],
        Some("quay-1"),
        Some(&[1, 2, 3, 4]),
        T0,
        None,
    )
    .unwrap();
    check("vector-checkin-es256-sd-cwt.hex", &issued);
    check("vector-checkin-es256-kbt.hex", &kbt);
    let text = qr_text::encode_presentation(&kbt);
    check_text("vector-checkin-es256-qr.txt", &text);
    let v = counter(&world)
        .verify_text_with_nonce(&text, &[1, 2, 3, 4])
        .unwrap();
    assert_eq!(v.status, VerdictStatus::Valid);
}
