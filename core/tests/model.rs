//! The credential model as the spec: sample people, CCCD QR payloads, validation, labels.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as common;

use citizen_wallet_core::model::{
    claim_names, folded_key, parse_cccd_qr, ClaimDef, Credential, CredentialType, Sex,
};
use citizen_wallet_core::Error;
use common::*;

#[test]
fn every_sample_person_yields_valid_typed_credentials() {
    let people = people();
    assert_eq!(people.len(), 5);
    let mut per_type = std::collections::BTreeMap::new();
    for p in &people {
        for c in p.credentials().unwrap() {
            *per_type.entry(c.credential_type()).or_insert(0) += 1;
            // JSON round trip through the same layout `cwallet add` reads.
            let back = Credential::from_value(c.credential_type(), c.to_value()).unwrap();
            assert_eq!(back, c);
            // Claims round trip and every claim has both labels.
            let claims = c.claims();
            assert!(claims
                .iter()
                .all(|cl| !cl.def.label_vi.is_empty() && !cl.def.label_en.is_empty()));
            assert_eq!(Credential::from_claims(c.credential_type(), claims).unwrap(), c);
        }
    }
    assert_eq!(per_type[&CredentialType::CitizenId], 5);
    assert_eq!(per_type[&CredentialType::HealthInsurance], 5);
    assert_eq!(per_type[&CredentialType::ClinicCheckin], 5);
    assert_eq!(per_type[&CredentialType::HealthBook], 5);
    assert_eq!(
        per_type[&CredentialType::JudicialRecord],
        3,
        "the child and one adult have none"
    );
}

#[test]
fn debug_output_never_shows_personal_data() {
    for c in all_credentials() {
        let dbg = format!("{c:?}");
        assert!(!dbg.contains(c.full_name()), "{dbg}");
        assert!(!dbg.chars().any(|ch| ch.is_ascii_digit()), "{dbg}");
    }
    let dbg = format!("{:?}", people());
    for p in people() {
        assert!(!dbg.contains(&p.full_name) && !dbg.contains(&p.citizen_id));
    }
}

#[test]
fn cccd_qr_payloads_parse_in_both_layouts_and_with_scanner_noise() {
    let text = std::fs::read_to_string(data_dir().join("cccd-qr.txt")).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert!(lines.len() >= 5);
    let mut ok = 0;
    for line in &lines {
        match parse_cccd_qr(line) {
            Ok(q) => {
                ok += 1;
                assert_eq!(q.card.citizen_id.len(), 12);
                // Scanner noise gives the same result.
                let noisy = format!("\u{feff}CCCD:{line}\0\0 ");
                assert_eq!(parse_cccd_qr(&noisy).unwrap(), q);
            }
            Err(e) => assert!(matches!(e, Error::InvalidInput(_)), "{e:?}"),
        }
    }
    assert!(ok >= 5, "only {ok} of {} sample payloads parsed", lines.len());
    let ha = parse_cccd_qr(lines[0]).unwrap().card;
    assert_eq!(
        (ha.full_name.as_str(), ha.sex, ha.dob.to_string().as_str()),
        ("Nguyễn Thị Thu Hà", Sex::Female, "1992-03-14")
    );
}

#[test]
fn malformed_cccd_qr_is_a_clear_error() {
    for bad in [
        "",
        "001192034517|013482957|Nguyễn Thị Thu Hà|14031992|Nữ",
        "001192034517|013482957|Nguyễn Thị Thu Hà|14031992|Nữ|addr|12082021|x",
        "001192034517|013482957|Nguyễn Thị Thu Hà|31021992|Nữ|addr|12082021",
        "001192034517|013482957|Nguyễn Thị Thu Hà|14031992|F|addr|12082021",
        "ABC192034517|013482957|Nguyễn Thị Thu Hà|14031992|Nữ|addr|12082021",
    ] {
        let e = parse_cccd_qr(bad).unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)));
        assert!(!e.to_string().contains("Nguyễn"), "{e}");
    }
    assert!(parse_cccd_qr(&"|".repeat(100_000)).is_err());
}

#[test]
fn names_fold_for_comparison_but_are_stored_nfc() {
    assert_eq!(folded_key("Phạm Thị Ngọc Ánh"), folded_key("PHAM THI NGOC ANH"));
    assert_eq!(folded_key("Lê Hoàng Gia Bảo"), folded_key("Le Hoang Gia Bao"));
}

#[test]
fn every_credential_type_names_its_claims_with_labels() {
    for ty in CredentialType::ALL {
        assert!(!ty.label_vi().is_empty() && !ty.label_en().is_empty());
        assert_eq!(CredentialType::parse(ty.as_str()).unwrap(), ty);
        assert_eq!(CredentialType::from_code(u64::from(ty.code())), Some(ty));
        for n in claim_names(ty) {
            assert!(ClaimDef::by_name(n).is_some(), "{ty}: {n}");
        }
    }
    assert!(CredentialType::parse("passport").is_err());
}
