//! One scanner at the counter (`Verifier::scan_text`): a presentation is verified as before, a
//! chip ID card's printed QR is read as unverified card data, and neither is ever taken for the
//! other.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as fixture;

use citizen_wallet_core::internal::present;
use citizen_wallet_core::internal::SigningKey;
use citizen_wallet_core::model::{parse_cccd_qr, CredentialType, Sex};
use citizen_wallet_core::{Error, InputRule, Lang, Outcome, RejectReason, Scan, VerdictStatus};
use fixture::{all_credentials, World, T0};

/// The card QR texts of core/tests/data/cccd-qr.txt (comments skipped).
fn card_texts() -> Vec<String> {
    std::fs::read_to_string(fixture::data_dir().join("cccd-qr.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_sample_card_reads_as_unverified_card_data_never_as_a_verdict() {
    let verifier = World::new().verifier();
    let cards = card_texts();
    assert_eq!(cards.len(), 5, "the five sample cards");
    for text in &cards {
        // What scanners add around the text changes nothing.
        for variant in [
            text.clone(),
            format!("\u{feff}{text}"),
            format!("CCCD:{text}\n"),
            format!("  {text}\0"),
        ] {
            let scan = verifier.scan_text(&variant).unwrap();
            let Scan::IdCard(data) = &scan else {
                panic!("a card QR was taken for a presentation: {scan:?}");
            };
            assert_eq!(
                data.card,
                parse_cccd_qr(text).unwrap().card,
                "the parser's own reading"
            );
            assert!(!scan.is_fully_valid(), "card data is never green");
            assert!(scan.summary_in(Lang::En).starts_with("ID CARD: UNVERIFIED DATA"));
            assert!(scan
                .summary_in(Lang::Vi)
                .starts_with("THẺ CCCD: DỮ LIỆU CHƯA XÁC THỰC"));
            // Debug shows no personal data.
            let debug = format!("{scan:?}");
            assert!(
                !debug.contains(&data.card.citizen_id) && !debug.contains(&data.card.full_name),
                "{debug}"
            );
        }
        // verify_text (a presentation-only counter) says "not ours", never "damaged".
        let v = verifier.verify_text(text).unwrap();
        assert_eq!(
            v.reject_reason(),
            Some(RejectReason::NotOurFormat),
            "{}",
            v.summary()
        );
    }
    // The fields come through: the first sample, field by field.
    let Scan::IdCard(first) = verifier.scan_text(&cards[0]).unwrap() else {
        panic!()
    };
    assert_eq!(first.card.citizen_id, "001192034517");
    assert_eq!(first.card.old_id.as_deref(), Some("013482957"));
    assert_eq!(first.card.full_name, "Nguyễn Thị Thu Hà");
    assert_eq!(first.card.sex, Sex::Female);
    assert_eq!(first.card.dob.to_string(), "1992-03-14");
}

#[test]
fn presentations_scan_exactly_as_verify_text_says_valid_or_damaged() {
    let world = World::new();
    let verifier = world.verifier();
    let holder = SigningKey::make().unwrap();
    let cred = all_credentials()
        .into_iter()
        .find(|c| c.credential_type() == CredentialType::CitizenId)
        .unwrap();
    let (issued, _) = world.issue(&cred, &holder);
    let claims = vec!["full_name".to_owned(), "dob".to_owned()];
    let p = present(&issued, &holder, &claims, None, None, T0, None).unwrap();

    let Scan::Presentation(v) = verifier.scan_text(&p.qr_text).unwrap() else {
        panic!("not a presentation")
    };
    assert_eq!(v.status, VerdictStatus::Valid, "{}", v.summary());
    assert_eq!(v, verifier.verify_text(&p.qr_text).unwrap());

    // A damaged presentation stays a rejected presentation, even with `|` and digits in it.
    let mut damaged = p.qr_text.clone();
    damaged.truncate(damaged.len() - 7);
    for text in [damaged.clone(), format!("{damaged}|001192034517|x")] {
        let Scan::Presentation(v) = verifier.scan_text(&text).unwrap() else {
            panic!("read as a card")
        };
        assert_eq!(v.outcome(), Outcome::Invalid);
    }
    // Foreign and unknown codes are presentation verdicts that say why.
    let Scan::Presentation(v) = verifier.scan_text("HC1:NCFOXN%TS3DH0").unwrap() else {
        panic!()
    };
    assert_eq!(v.outcome(), Outcome::Invalid);
}

#[test]
fn a_card_shaped_text_that_is_not_a_valid_card_is_a_typed_error() {
    let verifier = World::new().verifier();
    let cases = [
        // Six fields.
        "001192034517|013482957|Nguyễn Thị Thu Hà|14031992|Nữ|Hà Nội",
        // A date that does not exist.
        "001192034517|013482957|Nguyễn Thị Thu Hà|31021992|Nữ|Hà Nội|12082021",
        // An ID number that says male, a card that says female.
        "001092034517|013482957|Nguyễn Thị Thu Hà|14031992|Nữ|Hà Nội|12082021",
    ];
    for text in cases {
        match verifier.scan_text(text) {
            Err(Error::InvalidInput(e)) => {
                assert!(
                    !e.to_string().contains("Nguyễn"),
                    "no personal data in the error: {e}"
                );
                assert!(matches!(
                    e.rule,
                    InputRule::Format(_) | InputRule::Invalid(_) | InputRule::Range(_)
                ));
            }
            other => panic!("{other:?}"),
        }
    }
    // Oversized input: refused before parsing.
    let long = format!("001192034517|{}", "x|".repeat(10_000));
    assert!(matches!(verifier.scan_text(&long), Err(Error::InvalidInput(_))));
}
