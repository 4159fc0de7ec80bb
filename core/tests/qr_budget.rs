//! The check-in QR's byte budget (issue 16): every sample person's check-in presentation, with
//! an Ed25519 and an ES256 holder key, a counter audience, a 16-byte nonce and a
//! national-scale status index, fits QR version 13 at ECC M (at most 319 bytes behind the
//! prefix: what a cheap webcam at arm's length reads) with a counter id of up to 6 bytes. The field-by-field budget is in
//! docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_workload::qr_budget::{
    checkin_sizes, health_insurance_two_claim_sizes, COUNTER_AUDIENCE, SHORT_AUDIENCE,
};
use citizen_wallet_workload::PEOPLE_JSON;

fn check(audience: &str, max_version: u8) {
    let sizes = checkin_sizes(PEOPLE_JSON, audience).unwrap();
    assert_eq!(sizes.len(), 10, "5 people x 2 key types");
    for s in &sizes {
        println!(
            "{audience} {:5} {:8} {} bytes, {} chars, v{}",
            s.person, s.key, s.bytes, s.chars, s.version
        );
    }
    for s in &sizes {
        assert!(
            s.version <= max_version,
            "{} {}: {} bytes, version {}",
            s.person,
            s.key,
            s.bytes,
            s.version
        );
    }
}

/// With a 6-byte counter id every sample person's code is version 13 at most.
#[test]
fn every_check_in_qr_fits_version_13_with_a_short_counter_id() {
    check(SHORT_AUDIENCE, 13);
}

/// With an 11-byte counter id the longest name (24 bytes of UTF-8) needs version 14 (322 and
/// 324 bytes, 3 and 5 over): the target is missed there, see docs/PERFORMANCE.md.
#[test]
fn every_check_in_qr_fits_version_14_with_a_long_counter_id() {
    check(COUNTER_AUDIENCE, 14);
}

/// The health-insurance card with two claims chosen (five digests in the credential) stays at
/// version 19 or lower (issue 16), with either key type, nonce and counter id.
#[test]
fn health_insurance_with_two_claims_fits_version_19() {
    let sizes = health_insurance_two_claim_sizes(PEOPLE_JSON, COUNTER_AUDIENCE).unwrap();
    assert_eq!(sizes.len(), 10);
    for s in &sizes {
        println!("HI {:5} {:8} {} bytes, v{}", s.person, s.key, s.bytes, s.version);
        assert!(
            s.version <= 19,
            "{} {}: {} bytes, version {}",
            s.person,
            s.key,
            s.bytes,
            s.version
        );
    }
}
