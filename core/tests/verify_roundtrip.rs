//! Issue -> present -> verify, for every credential type of every sample person, and the
//! size of the clinic check-in QR (DESIGN.md: 330 bytes, QR version 14 at ECC M).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as fixture;

use citizen_wallet_core::internal::sd_cwt::SdCwt;
use citizen_wallet_core::internal::SigningKey;
use citizen_wallet_core::internal::{build_presentation, present};
use citizen_wallet_core::issuer::Issuer;
use citizen_wallet_core::model::{claim_names, display_value, CredentialType};
use citizen_wallet_core::OFFLINE_AUDIENCE;
use citizen_wallet_core::{Error, InputRule, RejectReason};
use citizen_wallet_core::{Outcome, VerdictStatus, VerifierConfig};
use fixture::{all_credentials, World, T0};

#[test]
fn every_type_round_trips_with_every_claim_and_with_two_claims() {
    let world = World::new();
    let verifier = world.verifier();
    let holder = SigningKey::make().unwrap();
    let mut seen_types = std::collections::BTreeSet::new();
    for cred in all_credentials() {
        let ty = cred.credential_type();
        seen_types.insert(ty);
        let (issued, _) = world.issue(&cred, &holder);
        let expected: Vec<(String, String)> = cred
            .claims()
            .iter()
            .map(|c| (c.def.name.to_owned(), display_value(&c.value)))
            .collect();

        // Every claim (bytes, not bounded by a QR: the verifier takes up to 4,296 chars).
        let all: Vec<String> = expected.iter().map(|(n, _)| n.clone()).collect();
        let kbt = build_presentation(&issued, &holder, &all, None, None, T0, None).unwrap();
        let text = citizen_wallet_core::internal::qr_text::encode_presentation(&kbt);
        if text.len() <= citizen_wallet_core::internal::limits::MAX_QR_TEXT_CHARS {
            let v = verifier.verify_text(&text).unwrap();
            assert_eq!(v.status, VerdictStatus::Valid, "{ty}: {}", v.summary());
            let got: Vec<(String, String)> = v
                .claims
                .iter()
                .map(|c| (c.name.clone(), c.value.clone()))
                .collect();
            assert_eq!(got, expected, "{ty}: all claims come back, in display order");
            assert_eq!(v.credential_type, Some(ty));
            assert!(
                v.summary().starts_with("VALID (status verified as of 2026-01-14"),
                "{}",
                v.summary()
            );
        } else {
            println!(
                "{ty}: full presentation is {} chars, above one QR code",
                text.len()
            );
        }

        // Two claims through the QR path (for a judicial record: the record itself).
        let two: Vec<String> = match ty {
            CredentialType::JudicialRecord => vec!["citizen_id".to_owned(), "status".to_owned()],
            _ => vec!["full_name".to_owned(), "dob".to_owned()],
        };
        let (text, always_visible, version) = match present(&issued, &holder, &two, None, None, T0, None) {
            Ok(p) => {
                println!("{ty}: 2 claims = {} bytes, QR version {}", p.bytes, p.qr_version);
                assert!(p.qr_version <= 20, "{ty}: version {}", p.qr_version);
                assert_eq!(p.audience, OFFLINE_AUDIENCE);
                (p.qr_text, p.always_visible, Some(p.qr_version))
            }
            // A judicial record whose status is a long sentence (the sample "linh": 90 characters
            // with diacritics) does not fit a phone-readable QR code: say so, and still check the
            // bytes verify (the verifier reads text up to the largest QR).
            Err(Error::QrTooLarge {
                bytes,
                needed_version,
                ..
            }) if ty == CredentialType::JudicialRecord => {
                println!("{ty}: 2 claims = {bytes} bytes, needs QR version {needed_version}: QrTooLarge");
                let kbt = build_presentation(&issued, &holder, &two, None, None, T0, None).unwrap();
                (
                    citizen_wallet_core::internal::qr_text::encode_presentation(&kbt),
                    Vec::new(),
                    None,
                )
            }
            Err(e) => panic!("{ty}: {e}"),
        };
        let v = verifier.verify_text(&text).unwrap();
        assert_eq!(v.status, VerdictStatus::Valid, "{ty}");
        assert_eq!(v.claim("full_name"), Some(cred.full_name()));
        let shown: Vec<&str> = v.claims.iter().map(|c| c.name.as_str()).collect();
        let sd = Issuer::default_sd_claims(ty);
        let clear: Vec<&str> = claim_names(ty)
            .iter()
            .copied()
            .filter(|n| !sd.contains(n) && expected.iter().any(|(e, _)| e == n))
            .collect();
        let mut want: Vec<&str> = claim_names(ty)
            .iter()
            .copied()
            .filter(|n| clear.contains(n) || two.iter().any(|t| t == n))
            .collect();
        want.dedup();
        assert_eq!(
            shown, want,
            "{ty}: the chosen claims plus those signed in clear, nothing else"
        );
        for c in &v.claims {
            assert_eq!(
                c.selectively_disclosed,
                sd.contains(&c.name.as_str()),
                "{ty}: {}",
                c.name
            );
        }
        if version.is_some() {
            assert_eq!(always_visible, clear, "{ty}");
        }
        assert_eq!(
            v.issuer_name_en.as_deref(),
            world
                .trust
                .find(&world.issuer_for(ty).key.kid())
                .map(|i| i.name_en.as_str())
        );
    }
    assert_eq!(
        seen_types.len(),
        CredentialType::ALL.len(),
        "samples cover every type"
    );
}

#[test]
fn clinic_checkin_qr_is_version_14_or_less_and_holder_bound() {
    let world = World::new();
    let verifier = world.verifier();
    let holder = SigningKey::make().unwrap();
    let mut worst = (0usize, 0u8);
    for cred in all_credentials()
        .into_iter()
        .filter(|c| c.credential_type() == CredentialType::ClinicCheckin)
    {
        let (issued, _) = world.issue(&cred, &holder);
        let claims: Vec<String> = claim_names(CredentialType::ClinicCheckin)
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let p = present(&issued, &holder, &claims, None, None, T0, None).unwrap();
        println!(
            "check-in: issuer SD-CWT {} bytes, presentation {} bytes, QR text {} chars, QR version {} (ECC M)",
            issued.len(),
            p.bytes,
            p.qr_text.len(),
            p.qr_version
        );
        assert!(
            p.qr_version <= 14,
            "check-in QR must stay at version 14 or below, got {}",
            p.qr_version
        );
        assert!(p.bytes <= 360, "check-in presentation grew to {} bytes", p.bytes);
        worst = worst.max((p.bytes, p.qr_version));
        // Holder-bound: the credential's cnf is the holder key and the KBT verifies with it.
        let v = verifier.verify_text(&p.qr_text).unwrap();
        assert_eq!(v.status, VerdictStatus::Valid);
        let thumb = citizen_wallet_core::internal::cose::key::key_thumbprint(&holder.public().to_bytes());
        assert_eq!(v.holder_thumbprint.as_deref(), Some(hex::encode(thumb).as_str()));
        assert_eq!(
            SdCwt::parse(&issued).unwrap().holder_key_bytes().unwrap(),
            holder.public().to_bytes()
        );
    }
    println!("check-in worst case: {} bytes, version {}", worst.0, worst.1);
    assert!(worst.0 > 0);
}

#[test]
fn selectively_disclosed_check_in_costs_what_design_md_says() {
    // The alternative DESIGN.md measured: the four claims redacted and all disclosed.
    let world = World::new();
    let holder = SigningKey::make().unwrap();
    let cred = all_credentials()
        .into_iter()
        .find(|c| c.credential_type() == CredentialType::ClinicCheckin)
        .unwrap();
    let names = claim_names(CredentialType::ClinicCheckin);
    let issued = world
        .bhxh
        .issue(&cred, &holder.public().to_bytes(), names, T0 - 10, T0 + 1000, 1)
        .unwrap();
    let claims: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    let p = present(&issued, &holder, &claims, None, None, T0, None).unwrap();
    println!(
        "check-in with 4 SD claims: {} bytes, QR version {}",
        p.bytes, p.qr_version
    );
    assert!(
        p.qr_version > 14,
        "redaction costs versions: that is why check-in is issued in clear"
    );
    assert_eq!(p.disclosed.len(), 4);
    let v = world.verifier().verify_text(&p.qr_text).unwrap();
    assert_eq!(v.status, VerdictStatus::Valid);
    assert!(v.claims.iter().all(|c| c.selectively_disclosed));
}

#[test]
fn a_presentation_too_large_for_a_qr_says_so() {
    let world = World::new();
    let holder = SigningKey::make().unwrap();
    // The largest health book: every claim.
    let (issued, cred) = all_credentials()
        .into_iter()
        .filter(|c| c.credential_type() == CredentialType::HealthBook)
        .map(|c| (world.issue(&c, &holder).0, c))
        .max_by_key(|(b, _)| b.len())
        .unwrap();
    let all: Vec<String> = cred.claims().iter().map(|c| c.def.name.to_owned()).collect();
    match present(&issued, &holder, &all, None, None, T0, None) {
        Err(Error::QrTooLarge {
            bytes,
            needed_version,
            max_version,
        }) => {
            println!(
                "full health book: {bytes} bytes would need QR version {needed_version} (> {max_version})"
            );
            assert!(needed_version > max_version);
            assert!(bytes > 600);
        }
        Ok(p) => {
            println!(
                "full health book fits: {} bytes, version {}",
                p.bytes, p.qr_version
            );
            assert!(p.qr_version <= 20);
        }
        Err(e) => panic!("unexpected {e}"),
    }
}

#[test]
fn holder_cannot_present_someone_elses_credential_or_unknown_claims() {
    let world = World::new();
    let holder = SigningKey::make().unwrap();
    let other = SigningKey::make().unwrap();
    let cred = all_credentials().remove(0);
    let (issued, _) = world.issue(&cred, &holder);
    let e = build_presentation(&issued, &other, &[], None, None, T0, None).unwrap_err();
    assert!(
        matches!(e, Error::InvalidInput(ref m) if m.rule == InputRule::OtherHolder),
        "{e}"
    );
    let e = build_presentation(&issued, &holder, &["shoe_size".into()], None, None, T0, None).unwrap_err();
    assert!(matches!(e, Error::InvalidInput(_)));
    for ttl in [0, 601] {
        assert!(build_presentation(&issued, &holder, &[], None, None, T0, Some(ttl)).is_err());
    }
}

#[test]
fn audience_nonce_and_offline_policy() {
    let world = World::new();
    let holder = SigningKey::make().unwrap();
    let cred = all_credentials().remove(0);
    let (issued, _) = world.issue(&cred, &holder);
    let claims = vec!["full_name".to_owned()];
    let counter = world.verifier_with(VerifierConfig {
        audience: Some("BV-BachMai-Quay3".into()),
        accept_offline_audience: Some(false),
        ..VerifierConfig::default()
    });
    let for_counter = present(
        &issued,
        &holder,
        &claims,
        Some("BV-BachMai-Quay3"),
        Some(b"n-123"),
        T0,
        None,
    )
    .unwrap();
    let for_other = present(&issued, &holder, &claims, Some("BV-ChoRay-Quay1"), None, T0, None).unwrap();
    let offline = present(&issued, &holder, &claims, None, None, T0, None).unwrap();
    assert_eq!(
        counter.verify_text(&for_counter.qr_text).unwrap().status,
        VerdictStatus::Valid
    );
    assert_eq!(
        counter
            .verify_text_with_nonce(&for_counter.qr_text, b"n-123")
            .unwrap()
            .status,
        VerdictStatus::Valid
    );
    let r = |v: citizen_wallet_core::Verdict| v.reject_reason();
    assert_eq!(
        r(counter
            .verify_text_with_nonce(&for_counter.qr_text, b"n-124")
            .unwrap()),
        Some(RejectReason::WrongNonce)
    );
    assert_eq!(
        r(counter.verify_text(&for_other.qr_text).unwrap()),
        Some(RejectReason::WrongAudience)
    );
    assert_eq!(
        r(counter.verify_text(&offline.qr_text).unwrap()),
        Some(RejectReason::WrongAudience)
    );
    // The default verifier accepts "offline".
    assert_eq!(
        world.verifier().verify_text(&offline.qr_text).unwrap().status,
        VerdictStatus::Valid
    );
    // A nonce-less presentation does not answer a challenge.
    assert_eq!(
        r(world
            .verifier()
            .verify_text_with_nonce(&offline.qr_text, b"x")
            .unwrap()),
        Some(RejectReason::WrongNonce)
    );
}

/// Finding 8 (hidden-claim count leaks). The number of Redacted Claim Hashes is signed into
/// every presentation. Without decoys it told a verifier which optional claims a credential
/// has even when none was shown: a citizen ID with an old 9-digit ID number (so an older
/// holder) carried one digest more than one without. With decoys every credential of a type
/// carries as many digests as its issuer's policy redacts claims, in bytewise order; the holder
/// never presents a decoy and the verifier ignores digests nobody discloses.
///
/// Fails on main: Hà's citizen ID (with an old ID number) carried 8 digests, Minh's (without)
/// 7.
#[test]
fn every_credential_of_a_type_carries_the_same_number_of_digests() {
    use citizen_wallet_core::internal::qr_text::encode_presentation;
    use citizen_wallet_core::internal::sd_cwt::Kbt;
    let world = World::new();
    let verifier = world.verifier();
    let holder = SigningKey::make().unwrap();
    let name = vec!["full_name".to_owned()];
    // The digests a verifier sees when only the name is shown (and checks that is all it sees).
    let digests_shown = |cred: &citizen_wallet_core::model::Credential| {
        let (issued, _) = world.issue(cred, &holder);
        let kbt = build_presentation(&issued, &holder, &name, None, None, T0, None).unwrap();
        let parsed = Kbt::parse(&kbt).unwrap();
        assert_eq!(
            parsed.cwt.disclosures.len(),
            1,
            "only the name is disclosed, no decoy"
        );
        assert!(!parsed.cwt.disclosures[0].is_decoy());
        let v = verifier.verify_text(&encode_presentation(&kbt)).unwrap();
        assert_eq!(v.status, VerdictStatus::Valid, "{}", v.summary());
        assert_eq!(v.claim("full_name"), Some(cred.full_name()));
        let digests = parsed.cwt.top_level_digests().unwrap();
        assert!(digests.windows(2).all(|w| w[0] < w[1]), "bytewise order");
        digests.len()
    };
    let ids: Vec<_> = all_credentials()
        .into_iter()
        .filter(|c| c.credential_type() == CredentialType::CitizenId)
        .collect();
    let has_old_id =
        |c: &&citizen_wallet_core::model::Credential| c.claims().iter().any(|x| x.def.name == "old_id");
    let with_old_id = ids.iter().find(has_old_id).unwrap();
    let without = ids.iter().find(|c| !has_old_id(c)).unwrap();
    assert_eq!(digests_shown(with_old_id), digests_shown(without));
    assert_eq!(
        digests_shown(without),
        Issuer::default_sd_claims(CredentialType::CitizenId).len()
    );

    // Every type, every sample: the policy's count. (Without decoys: the claims each has.)
    for ty in CredentialType::ALL {
        let sd = Issuer::default_sd_claims(ty);
        let mut with_decoys = std::collections::BTreeSet::new();
        let mut without_decoys = std::collections::BTreeSet::new();
        for cred in all_credentials()
            .into_iter()
            .filter(|c| c.credential_type() == ty)
        {
            let (issued, _) = world.issue(&cred, &holder);
            let cwt = SdCwt::parse(&issued).unwrap();
            with_decoys.insert(cwt.top_level_digests().unwrap().len());
            without_decoys.insert(cwt.disclosures.iter().filter(|d| !d.is_decoy()).count());
            // The holder holds a disclosure for every digest, decoys included.
            assert_eq!(cwt.disclosures.len(), cwt.top_level_digests().unwrap().len());
        }
        println!("{ty}: {with_decoys:?} digests per credential (without decoys: {without_decoys:?})");
        assert_eq!(
            with_decoys.into_iter().collect::<Vec<_>>(),
            vec![sd.len()],
            "{ty}"
        );
    }
}

#[test]
fn default_sd_policy() {
    assert!(Issuer::default_sd_claims(CredentialType::ClinicCheckin).is_empty());
    assert_eq!(
        Issuer::default_sd_claims(CredentialType::HealthBook),
        claim_names(CredentialType::HealthBook)
    );
}

/// A world, a fresh holder, and the first sample credential issued to it.
fn first_issued() -> (World, SigningKey, Vec<u8>) {
    let world = World::new();
    let holder = SigningKey::make().unwrap();
    let (issued, _) = world.issue(&all_credentials().remove(0), &holder);
    (world, holder, issued)
}

/// Hardening finding 5. Fails on the old code (main at 8e05c9a): `VerifierConfig::default()`
/// accepted any-counter (`"offline"`) presentations, so a counter given its own id but built
/// with `..Default::default()` still accepted a presentation made for any counter, one that
/// could have been replayed from another counter.
#[test]
fn a_counter_with_its_own_id_refuses_any_counter_presentations_by_default() {
    let (world, holder, issued) = first_issued();
    let offline = present(&issued, &holder, &["full_name".to_owned()], None, None, T0, None).unwrap();
    let counter = world.verifier_with(VerifierConfig {
        audience: Some("BV-BachMai-Quay3".into()),
        ..VerifierConfig::default()
    });
    assert_eq!(
        counter.verify_text(&offline.qr_text).unwrap().reject_reason(),
        Some(RejectReason::WrongAudience)
    );
}

#[test]
fn the_any_counter_policy_is_explicit_when_set_and_follows_the_audience_when_not() {
    let (world, holder, issued) = first_issued();
    let claims = vec!["full_name".to_owned()];
    let offline = present(&issued, &holder, &claims, None, None, T0, None).unwrap();
    let mine = present(&issued, &holder, &claims, Some("quay-3"), None, T0, None).unwrap();
    let config = |audience: Option<&str>, accept: Option<bool>| VerifierConfig {
        audience: audience.map(str::to_owned),
        accept_offline_audience: accept,
        ..VerifierConfig::default()
    };
    // (audience, policy) -> (accepts "offline", accepts "quay-3")
    for (audience, accept, want_offline, want_mine) in [
        (None, None, true, false),
        (None, Some(false), false, false),
        (Some("quay-3"), None, false, true),
        (Some("quay-3"), Some(true), true, true),
        (Some("quay-3"), Some(false), false, true),
    ] {
        let c = config(audience, accept);
        assert_eq!(c.accepts_offline_audience(), want_offline, "{c:?}");
        let v = world.verifier_with(c.clone());
        assert_eq!(
            v.verify_text(&offline.qr_text).unwrap().outcome() != Outcome::Invalid,
            want_offline,
            "{c:?}"
        );
        assert_eq!(
            v.verify_text(&mine.qr_text).unwrap().outcome() != Outcome::Invalid,
            want_mine,
            "{c:?}"
        );
    }
    assert_eq!(VerifierConfig::default().accept_offline_audience, None);
}
