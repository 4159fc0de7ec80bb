//! Fixed test vectors: the check-in credential and presentation of the first sample person,
//! from fixed seeds. Ed25519 is deterministic and the check-in credential has no salted
//! disclosures, so the bytes are fixed: any change to the wire format shows up here (claim keys
//! and envelope are "fixed forever once issued"). Independent tools can check these files.
//!
//! Regenerate (only for an intended format change) with
//! `CW_WRITE_VECTORS=1 cargo test -p citizen-wallet-core --test format_vectors`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as fixture;

use citizen_wallet_core::internal::build_presentation;
use citizen_wallet_core::internal::qr_text;
use citizen_wallet_core::internal::SigningKey;
use citizen_wallet_core::model::CredentialType;
use citizen_wallet_core::VerdictStatus;
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

#[test]
fn check_in_vectors_are_stable_and_verify() {
    let world = World::new();
    let holder = SigningKey::from_seed(&HOLDER_SEED).unwrap();
    let cred = all_credentials()
        .into_iter()
        .find(|c| c.credential_type() == CredentialType::ClinicCheckin)
        .unwrap();
    let issued = world
        .bhxh
        .issue_default(&cred, &holder.public().to_bytes(), T0 - DAY, T0 + 365 * DAY, 42)
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
    check_text("vector-checkin-qr.txt", &text);
    let v = world
        .verifier_with(citizen_wallet_core::VerifierConfig {
            audience: Some("quay-1".into()),
            ..Default::default()
        })
        .verify_text_with_nonce(&text, &[1, 2, 3, 4])
        .unwrap();
    assert_eq!(v.status, VerdictStatus::Valid);
    println!(
        "vector: issued {} bytes, presentation {} bytes, QR text {} chars",
        issued.len(),
        kbt.len(),
        text.len()
    );
}
