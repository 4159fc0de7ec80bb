//! Foreign QR payloads: the 577 EU Digital COVID Certificate test payloads (public test suite,
//! read from `../shared`, never copied here) are rejected cleanly, with a reason, and no panic —
//! both as they are (`HC1:`: not our format) and disguised with our prefix (`VN1:`), which
//! pushes them through base45, CBOR and COSE parsing. EU DCC payloads are zlib-compressed after
//! base45; ours are not, so the disguised ones fail at CBOR/COSE structure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as fixture;

use std::collections::BTreeMap;

use citizen_wallet_core::internal::{base45, qr_text, sd_cwt::Kbt};
use citizen_wallet_core::RejectReason;
use fixture::World;

fn payloads() -> Option<Vec<String>> {
    let Some(shared) = fixture::shared_dir() else {
        println!("skipped: ../shared not found");
        return None;
    };
    let text = std::fs::read_to_string(shared.join("data/foreign-qr/eu-dcc-testdata-hc1.txt")).unwrap();
    Some(text.lines().map(str::to_owned).collect())
}

#[test]
fn every_eu_dcc_payload_is_rejected_as_not_ours() {
    let Some(lines) = payloads() else { return };
    assert_eq!(lines.len(), 577);
    let verifier = World::new().verifier();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let v = verifier.verify_text(line).unwrap();
        let r = v
            .reject_reason()
            .unwrap_or_else(|| panic!("line {}: accepted", i + 1));
        assert!(v.claims.is_empty());
        *reasons.entry(format!("{r:?}")).or_default() += 1;
        assert_eq!(r, RejectReason::NotOurFormat, "line {}", i + 1);
    }
    let foreign = lines.iter().filter(|l| qr_text::is_known_foreign(l)).count();
    println!(
        "EU DCC as-is: {} payloads, reasons {reasons:?}; {foreign} recognised as a known foreign format",
        lines.len()
    );
}

#[test]
fn eu_dcc_payloads_with_our_prefix_fail_in_base45_cbor_or_cose_parsing() {
    let Some(lines) = payloads() else { return };
    let verifier = World::new().verifier();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut stages: BTreeMap<&str, usize> = BTreeMap::new();
    let mut disguised = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(body) = line.strip_prefix("HC1:") else {
            continue;
        };
        disguised += 1;
        let text = format!("VN1:{body}");
        let v = verifier.verify_text(&text).unwrap();
        let r = v
            .reject_reason()
            .unwrap_or_else(|| panic!("line {}: accepted", i + 1));
        *reasons.entry(format!("{r:?}")).or_default() += 1;
        // Where it failed, stage by stage.
        let stage = match base45::decode(body) {
            Err(_) => "base45",
            Ok(bytes) => match Kbt::parse(&bytes) {
                Err(_) if bytes.first() == Some(&0x78) => "CBOR (zlib stream, not CBOR)",
                Err(_) => "CBOR/COSE",
                Ok(_) => "later checks",
            },
        };
        *stages.entry(stage).or_default() += 1;
        assert!(
            matches!(
                r,
                RejectReason::Malformed | RejectReason::TooLarge | RejectReason::WrongMessageType
            ),
            "line {}: unexpected reason {r:?}",
            i + 1
        );
    }
    println!("EU DCC with VN1: prefix: {disguised} payloads, reasons {reasons:?}, failed at {stages:?}");
    assert!(disguised >= 570);
    assert_eq!(stages.get("later checks"), None, "none gets past structure");
}

#[test]
fn eu_dcc_payloads_decompressed_are_cose_but_not_ours() {
    // Inflate the zlib layer (as an EU verifier would) and feed the COSE to our parser: it is a
    // COSE_Sign1 with ES256/PS256 and no SD-KBT typ, so it must fail at typ/structure.
    let Some(lines) = payloads() else { return };
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut inflated = 0;
    for line in &lines {
        let Some(body) = line.strip_prefix("HC1:") else {
            continue;
        };
        let Ok(z) = base45::decode(body) else { continue };
        let Ok(cose) = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&z, 64 * 1024) else {
            continue;
        };
        inflated += 1;
        let err = Kbt::parse(&cose).unwrap_err();
        let r = match err {
            citizen_wallet_core::Error::Rejected(r) => r,
            other => panic!("unexpected error kind {other}"),
        };
        *reasons.entry(format!("{r:?}")).or_default() += 1;
    }
    println!("EU DCC inflated to COSE: {inflated} payloads, our parser says {reasons:?}");
    assert!(inflated > 500);
}
