//! One test per size limit of `core/src/format/limits.rs` (issue 5): each is enforced, and
//! enforced **before** the work it protects. "Before" shows as the error kind: an over-limit
//! input whose content is also broken is refused as too large, where the same broken content
//! under the limit is refused as malformed, so the length was looked at first.
//!
//! Image limits (file size, dimensions, the detector's pixel and finder-pattern budgets) are
//! tested in `qr_codes.rs`; the status-bit decompression limits also in `status_bits.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as fixture;

use citizen_wallet_core::internal::build_presentation;
use citizen_wallet_core::internal::cbor::{self, Value};
use citizen_wallet_core::internal::cose::Sign1;
use citizen_wallet_core::internal::limits::*;
use citizen_wallet_core::internal::qr_text;
use citizen_wallet_core::internal::sd_cwt::{Kbt, SdCwt};
use citizen_wallet_core::internal::SigningKey;
use citizen_wallet_core::issuer::IssuerKey;
use citizen_wallet_core::model::{parse_cccd_qr, CredentialType};
use citizen_wallet_core::trust::{StatusList, TrustList, TrustedIssuer};
use citizen_wallet_core::VerifierConfig;
use citizen_wallet_core::{Error, InputRule, RejectReason, VerdictStatus};
use fixture::{all_credentials, data_dir, World, DAY, T0};

fn too_large<T: std::fmt::Debug>(r: &Result<T, Error>) -> bool {
    matches!(r, Err(Error::Rejected(RejectReason::TooLarge)))
}

fn rejected_as<T: std::fmt::Debug>(r: &Result<T, Error>, why: RejectReason) -> bool {
    matches!(r, Err(Error::Rejected(x)) if *x == why)
}

fn invalid(why: RejectReason) -> VerdictStatus {
    VerdictStatus::Invalid { reason: why }
}

fn signer(k: &IssuerKey) -> SigningKey {
    SigningKey::from_seed(&*k.seed()).unwrap()
}

#[test]
fn qr_text_length_is_checked_before_base45() {
    let world = World::new();
    let v = world.verifier();
    let at = |n: usize, c: char| format!("VN1:{}", c.to_string().repeat(n - 4));
    // Over the limit with characters outside base45: too large, not malformed.
    for text in [at(MAX_QR_TEXT_CHARS + 1, 'a'), at(10 << 20, 'a')] {
        assert_eq!(
            v.verify_text(&text).unwrap().status,
            invalid(RejectReason::TooLarge)
        );
    }
    // At the limit the same characters reach base45 and are malformed.
    let text = at(MAX_QR_TEXT_CHARS, 'a');
    assert_eq!(
        v.verify_text(&text).unwrap().status,
        invalid(RejectReason::Malformed)
    );
    assert!(too_large(&qr_text::decode_presentation(&at(
        MAX_QR_TEXT_CHARS + 1,
        '0'
    ))));
    assert!(qr_text::decode_presentation(&at(MAX_QR_TEXT_CHARS, '0')).is_ok());
}

#[test]
fn presentation_bytes_are_checked_before_cbor() {
    let junk = vec![0xff; MAX_PRESENTATION_BYTES + 1];
    assert!(too_large(&Kbt::parse(&junk)));
    assert!(rejected_as(&Kbt::parse(&junk[1..]), RejectReason::Malformed));
    // The most base45 text of one QR code decodes to at most this many bytes.
    let text = format!("VN1:{}", "0".repeat(MAX_QR_TEXT_CHARS - 4));
    assert!(qr_text::decode_presentation(&text).unwrap().len() <= MAX_PRESENTATION_BYTES);
}

#[test]
fn issued_credentials_are_measured_before_utf8_base45_or_cbor() {
    let world = World::new();
    let tw = TestWallet::new();
    let junk = vec![0xff; MAX_ISSUED_BYTES + 1];
    assert!(too_large(&SdCwt::parse(&junk)));
    assert!(rejected_as(&SdCwt::parse(&junk[1..]), RejectReason::Malformed));
    assert!(too_large(&tw.wallet.import_issued(&junk, &world.trust)));
    // `VN1C:` followed by bytes that are not UTF-8: an oversized one is refused for its size
    // before the UTF-8 check; a small one fails that check.
    let mut text = b"VN1C:".to_vec();
    text.extend(std::iter::repeat_n(0xffu8, MAX_ISSUED_TEXT_CHARS + 100));
    assert!(too_large(&tw.wallet.import_issued(&text, &world.trust)));
    assert!(rejected_as(
        &tw.wallet.import_issued(&text[..100], &world.trust),
        RejectReason::Malformed
    ));
    // Text just over the transfer limit, in the alphabet.
    let long = format!("VN1C:{}", "0".repeat(MAX_ISSUED_TEXT_CHARS));
    assert!(too_large(&qr_text::decode_issued(&long)));
    assert!(too_large(&tw.wallet.import_issued(long.as_bytes(), &world.trust)));
    assert!(tw.wallet.list(None).unwrap().is_empty());
}

#[test]
fn trust_and_status_list_bytes_are_checked_before_decoding() {
    let world = World::new();
    let junk = vec![0xff; MAX_TRUST_LIST_BYTES + 1];
    assert!(too_large(&TrustList::parse_verify(&junk, &world.root.public())));
    assert!(rejected_as(
        &TrustList::parse_verify(&junk[1..], &world.root.public()),
        RejectReason::BadTrustData
    ));
    let junk = vec![0xff; MAX_STATUS_LIST_BYTES + 1];
    assert!(too_large(&StatusList::parse_verify(&junk, &world.trust)));
    assert!(rejected_as(
        &StatusList::parse_verify(&junk[1..], &world.trust),
        RejectReason::BadTrustData
    ));
}

/// A zlib stream of `n` zero bytes built directly (fixed-Huffman matches of 258 bytes at
/// distance 1): about 13 bits per 258 bytes, without compressing `n` bytes first.
fn zlib_zeros(n: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        len: u32,
    }
    impl Bits {
        fn put(&mut self, v: u64, n: u32) {
            self.acc |= v << self.len;
            self.len += n;
            while self.len >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.len -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u64, n: u32) {
            let rev = (0..n).fold(0, |r, i| r | ((code >> i) & 1) << (n - 1 - i));
            self.put(rev, n);
        }
    }
    let mut b = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        len: 0,
    };
    b.put(1, 1); // final block
    b.put(1, 2); // fixed Huffman
    b.code(0x30, 8); // literal 0 (code 00110000)
    let mut left = n - 1;
    while left >= 258 {
        b.code(0b1100_0101, 8); // length symbol 285 = 258
        b.code(0, 5); // distance 1
        left -= 258;
    }
    for _ in 0..left {
        b.code(0x30, 8);
    }
    b.code(0, 7); // end of block (256)
    if b.len > 0 {
        b.put(0, 8 - b.len);
    }
    let mut out = b.out;
    // Adler-32 of n zeros: a = 1, b = n mod 65521.
    out.extend((((n % 65521) as u32) << 16 | 1).to_be_bytes());
    out
}

/// The COSE_Sign1 `signed` with its payload changed by `edit`, signed again by `by` (keeping
/// its protected headers but `alg`, label 1).
fn resigned(signed: &[u8], by: &IssuerKey, edit: impl FnOnce(&mut Vec<(Value, Value)>)) -> Vec<u8> {
    let s = Sign1::parse(signed, usize::MAX).unwrap();
    let mut payload = s.payload_map(usize::MAX).unwrap();
    edit(&mut payload);
    Sign1::sign(
        &signer(by),
        s.protected
            .into_iter()
            .filter(|(k, _)| *k != Value::int(1))
            .collect(),
        Vec::new(),
        cbor::encode(&Value::Map(payload)),
    )
    .to_bytes()
}

/// A status list token for `issuer` whose `lst` is `lst`, signed by the issuer.
fn status_token(issuer: &IssuerKey, lst: Vec<u8>) -> Vec<u8> {
    let good = StatusList::new(issuer.kid(), 8, T0, 3600)
        .unwrap()
        .sign(issuer)
        .unwrap();
    resigned(&good, issuer, |payload| {
        for (k, v) in payload {
            if *k == Value::int(65533) {
                *v = Value::sorted_map(vec![
                    (Value::text("bits"), Value::Uint(1)),
                    (Value::text("lst"), Value::Bytes(lst.clone())),
                ]);
            }
        }
    })
}

#[test]
fn status_list_entries_are_bounded_while_inflating() {
    let world = World::new();
    let key = &world.bca.key;
    // The stream builder is right: a small list reads back.
    let small = status_token(key, zlib_zeros(1000));
    assert_eq!(
        StatusList::parse_verify(&small, &world.trust).unwrap().bits.len(),
        8000
    );
    // One byte past 2^30 entries, in about 850 KB: refused as too large by the inflater's
    // output limit (the whole 128 MiB is never held).
    let bomb = zlib_zeros(MAX_STATUS_LIST_ENTRIES / 8 + 1);
    assert!(bomb.len() < MAX_STATUS_LIST_BYTES - 1000, "{}", bomb.len());
    assert!(too_large(&StatusList::parse_verify(
        &status_token(key, bomb),
        &world.trust
    )));
}

fn nest(depth: usize, open: &[u8]) -> Vec<u8> {
    let mut b = open.repeat(depth);
    b.push(0x00);
    b
}

#[test]
fn cbor_depth_container_length_and_item_count() {
    let d = |b: &[u8]| cbor::decode(b, 1 << 20);
    // Depth: an integer inside 16 arrays (or tags, or maps) is the deepest accepted.
    for open in [&[0x81u8][..], &[0xc6], &[0xa1, 0x00]] {
        assert!(d(&nest(MAX_CBOR_DEPTH, open)).is_ok(), "{open:x?}");
        assert!(too_large(&d(&nest(MAX_CBOR_DEPTH + 1, open))), "{open:x?}");
    }
    // Container length: 1024 entries, not 1025.
    let arr = |n: usize| {
        let mut b = vec![0x99, (n >> 8) as u8, n as u8];
        b.extend(std::iter::repeat_n(0x00, n));
        b
    };
    assert!(d(&arr(MAX_CBOR_CONTAINER_LEN)).is_ok());
    assert!(too_large(&d(&arr(MAX_CBOR_CONTAINER_LEN + 1))));
    let map = |n: usize| {
        cbor::encode(&Value::Map(
            (0..n as u64).map(|i| (Value::Uint(i), Value::Null)).collect(),
        ))
    };
    assert!(d(&map(MAX_CBOR_CONTAINER_LEN)).is_ok());
    assert!(too_large(&d(&map(MAX_CBOR_CONTAINER_LEN + 1))));
    // Item count: an array of 63 arrays of 1024 is 64,576 items; of 64, 65,601.
    let items = |outer: usize| {
        let mut b = vec![0x98, outer as u8];
        for _ in 0..outer {
            b.extend(arr(MAX_CBOR_CONTAINER_LEN));
        }
        b
    };
    assert!(d(&items(63)).is_ok());
    assert!(too_large(&d(&items(64))));
    const { assert!(64 + 64 * MAX_CBOR_CONTAINER_LEN > MAX_CBOR_ITEMS) };
    // A length the remaining input cannot hold is refused before any allocation.
    for huge in [
        &[0x9b, 0, 0, 0, 1, 0, 0, 0, 0][..],                     // array of 2^32
        &[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // bstr of 2^64 - 1
        &[0xbb, 0, 0, 0, 0, 0x10, 0, 0, 0],                      // map of 2^28
    ] {
        assert!(rejected_as(&d(huge), RejectReason::Malformed), "{huge:x?}");
    }
    // The caller's byte limit comes first of all.
    assert!(too_large(&cbor::decode(&[0x00, 0x00], 1)));
}

/// A world, a holder made from `seed`, and a credential of `ty` issued to it, as a `Sign1`.
fn issued(seed: u8, ty: CredentialType) -> (World, SigningKey, Sign1) {
    let world = World::new();
    let holder = SigningKey::from_seed(&[seed; 32]).unwrap();
    let cred = all_credentials()
        .into_iter()
        .find(|c| c.credential_type() == ty)
        .unwrap();
    let (bytes, _) = world.issue(&cred, &holder);
    let base = Sign1::parse(&bytes, usize::MAX).unwrap();
    (world, holder, base)
}

#[test]
fn disclosures_are_counted_before_any_is_parsed() {
    let (_world, holder, base) = issued(3, CredentialType::HealthBook);
    // `n` disclosures that are not even CBOR: parsing any of them would fail as malformed.
    let with = |n: usize| {
        let mut s = base.clone();
        s.unprotected.retain(|(k, _)| *k != Value::int(17));
        s.unprotected
            .push((Value::int(17), Value::Array(vec![Value::Bytes(vec![0xff]); n])));
        s
    };
    assert!(too_large(&SdCwt::parse(&with(MAX_DISCLOSURES + 1).to_bytes())));
    assert!(rejected_as(
        &SdCwt::parse(&with(MAX_DISCLOSURES).to_bytes()),
        RejectReason::Malformed
    ));
    // Inside a presentation, through both presentation readers.
    let kbt = Kbt::sign(&holder, &with(MAX_DISCLOSURES + 1), "offline", T0, T0 + 60, None);
    assert!(too_large(&Kbt::parse(&kbt)));
    assert!(too_large(&Kbt::parse_lenient(&kbt)));
    let kbt = Kbt::sign(&holder, &with(MAX_DISCLOSURES), "offline", T0, T0 + 60, None);
    assert!(rejected_as(&Kbt::parse_lenient(&kbt), RejectReason::Malformed));
}

#[test]
fn redacted_claim_hashes_are_counted_before_matching() {
    let (world, holder, base) = issued(4, CredentialType::CitizenId);
    // Pad the credential's digest list to `n` (with digests of nothing) and re-sign it with
    // the issuer's key: only the count differs from a valid credential.
    let with_digests = |n: usize| {
        let mut payload = base.payload_map(usize::MAX).unwrap();
        for (k, v) in &mut payload {
            if *k == Value::Simple(59) {
                let Value::Array(a) = v else { panic!() };
                while a.len() < n {
                    a.push(Value::Bytes(vec![a.len() as u8; 32]));
                }
            }
        }
        Sign1::sign(
            &signer(&world.bca.key),
            base.protected
                .iter()
                .filter(|(k, _)| *k != Value::int(1))
                .cloned()
                .collect(),
            base.unprotected.clone(),
            cbor::encode(&Value::Map(payload)),
        )
    };
    let over = SdCwt::from_sign1(with_digests(MAX_REDACTED_CLAIMS + 1)).unwrap();
    assert!(too_large(&over.top_level_digests()));
    assert!(too_large(&over.check_disclosures()));
    let at = SdCwt::from_sign1(with_digests(MAX_REDACTED_CLAIMS)).unwrap();
    assert_eq!(at.top_level_digests().unwrap().len(), MAX_REDACTED_CLAIMS);
    assert!(at.check_disclosures().is_ok());
    // Through the verifier (no disclosures shown): issuer and holder signatures good, valid at
    // the limit, refused for the count one above it.
    let v = world.verifier();
    let present = |n: usize| {
        let cwt = SdCwt::from_sign1(with_digests(n)).unwrap().with_disclosures(&[]);
        let kbt = Kbt::sign(&holder, &cwt, "offline", T0, T0 + 60, None);
        v.verify_text(&qr_text::encode_presentation(&kbt)).unwrap()
    };
    let verdict = present(MAX_REDACTED_CLAIMS);
    assert!(verdict.is_fully_valid(), "{}", verdict.summary());
    let verdict = present(MAX_REDACTED_CLAIMS + 1);
    assert_eq!(
        verdict.status,
        invalid(RejectReason::TooLarge),
        "{}",
        verdict.summary()
    );
}

/// The trust list `list` signed by the fixture root after `edit` changed its payload.
fn resigned_trust_list(
    world: &World,
    list: &TrustList,
    edit: impl FnOnce(&mut Vec<(Value, Value)>),
) -> Vec<u8> {
    resigned(&list.sign(&world.root).unwrap(), &world.root, edit)
}

fn entry(seed: u16, name: &str) -> TrustedIssuer {
    let mut s = [0u8; 32];
    s[..2].copy_from_slice(&seed.to_be_bytes());
    TrustedIssuer::new(
        IssuerKey::from_seed(&s).unwrap().public(),
        "X",
        name,
        "Name",
        T0 - DAY,
        T0 + DAY,
        &[CredentialType::CitizenId],
    )
}

#[test]
fn trust_list_issuer_count_and_name_lengths() {
    let world = World::new();
    let root = world.root.public();
    let full = (0..MAX_TRUSTED_ISSUERS as u16).fold(TrustList::new(T0), |l, i| l.with(entry(i, "Tên")));
    let bytes = full.sign(&world.root).unwrap();
    assert_eq!(
        TrustList::parse_verify(&bytes, &root).unwrap().issuers.len(),
        MAX_TRUSTED_ISSUERS
    );
    // One more: the signer refuses, and a root-signed list with it is bad trust data.
    let one_more = full.clone().with(entry(MAX_TRUSTED_ISSUERS as u16, "Tên"));
    assert!(matches!(one_more.sign(&world.root), Err(Error::InvalidInput(_))));
    let extra = {
        let one = TrustList::new(T0).with(entry(MAX_TRUSTED_ISSUERS as u16, "Tên"));
        let s = Sign1::parse(&one.sign(&world.root).unwrap(), usize::MAX).unwrap();
        let p = s.payload_map(usize::MAX).unwrap();
        cbor::map_get(&p, &Value::text("issuers"))
            .unwrap()
            .as_array()
            .unwrap()[0]
            .clone()
    };
    let forged = resigned_trust_list(&world, &full, |p| {
        for (k, v) in p.iter_mut() {
            if *k == Value::text("issuers") {
                let Value::Array(a) = v else { panic!() };
                a.push(extra.clone());
            }
        }
    });
    assert!(rejected_as(
        &TrustList::parse_verify(&forged, &root),
        RejectReason::BadTrustData
    ));

    // Names: 256 bytes are accepted, 257 refused by the signer and by the reader.
    let name = |n: usize| "ệ".repeat(n / 3) + &"x".repeat(n % 3);
    let ok = TrustList::new(T0).with(entry(1, &name(MAX_NAME_BYTES)));
    assert!(TrustList::parse_verify(&ok.sign(&world.root).unwrap(), &root).is_ok());
    let long = TrustList::new(T0).with(entry(1, &name(MAX_NAME_BYTES + 1)));
    assert!(matches!(long.sign(&world.root), Err(Error::InvalidInput(_))));
    let forged = resigned_trust_list(&world, &ok, |p| {
        for (k, v) in p.iter_mut() {
            if *k == Value::text("issuers") {
                let Value::Array(a) = v else { panic!() };
                let Value::Map(m) = &mut a[0] else { panic!() };
                for (ek, ev) in m.iter_mut() {
                    if *ek == Value::text("vi") {
                        *ev = Value::text(name(MAX_NAME_BYTES + 1));
                    }
                }
            }
        }
    });
    assert!(rejected_as(
        &TrustList::parse_verify(&forged, &root),
        RejectReason::BadTrustData
    ));
}

#[test]
fn audience_nonce_and_lifetime_bounds_hold_on_both_sides() {
    let world = World::new();
    let holder = SigningKey::from_seed(&[5; 32]).unwrap();
    let cred = all_credentials()
        .into_iter()
        .find(|c| c.credential_type() == CredentialType::ClinicCheckin)
        .unwrap();
    let (issued, _) = world.issue(&cred, &holder);
    let cwt = SdCwt::parse(&issued).unwrap().with_disclosures(&[]);
    let text = |aud: &str, exp: i64, nonce: Option<&[u8]>| {
        qr_text::encode_presentation(&Kbt::sign(&holder, &cwt, aud, T0, exp, nonce))
    };
    let build = |aud: &str, nonce: Option<&[u8]>, ttl: Option<u32>| {
        build_presentation(&issued, &holder, &[], Some(aud), nonce, T0, ttl)
    };

    // Audience: 128 bytes are made and accepted by a counter with that id; 129 are refused by
    // the presenter, and by the verifier in a presentation signed by hand.
    for (len, ok) in [(MAX_AUDIENCE_BYTES, true), (MAX_AUDIENCE_BYTES + 1, false)] {
        let aud = "c".repeat(len);
        let v = world.verifier_with(VerifierConfig {
            audience: Some(aud.clone()),
            ..VerifierConfig::default()
        });
        assert_eq!(build(&aud, None, None).is_ok(), ok, "{len}");
        let verdict = v.verify_text(&text(&aud, T0 + 60, None)).unwrap();
        assert_eq!(verdict.is_fully_valid(), ok, "{len}: {}", verdict.summary());
    }
    // Nonce: 64 bytes, not 65.
    for (len, ok) in [(MAX_NONCE_BYTES, true), (MAX_NONCE_BYTES + 1, false)] {
        let nonce = vec![7u8; len];
        assert_eq!(build("offline", Some(&nonce), None).is_ok(), ok, "{len}");
        let verdict = world
            .verifier()
            .verify_text_with_nonce(&text("offline", T0 + 60, Some(&nonce)), &nonce)
            .unwrap();
        assert_eq!(verdict.is_fully_valid(), ok, "{len}: {}", verdict.summary());
    }
    // Lifetime: 600 s, not 601.
    let secs = MAX_PRESENTATION_TTL_SECS;
    for (ttl, ok) in [(secs, true), (secs + 1, false)] {
        assert_eq!(build("offline", None, Some(ttl)).is_ok(), ok, "{ttl}");
        let verdict = world
            .verifier()
            .verify_text(&text("offline", T0 + i64::from(ttl), None))
            .unwrap();
        assert_eq!(verdict.is_fully_valid(), ok, "{ttl}: {}", verdict.summary());
    }
}

/// The time bounds of finding 6: an issuer signs credentials valid for at most 100 years
/// (typed `InputError`, checked arithmetic for any two `i64`s), and a verifier tolerates at
/// most five minutes of clock skew (refused when built).
#[test]
fn credential_lifetime_and_clock_skew_bounds() {
    let world = World::new();
    let holder = SigningKey::make().unwrap().public().to_bytes();
    let cred = all_credentials()
        .into_iter()
        .find(|c| c.credential_type() == CredentialType::ClinicCheckin)
        .unwrap();
    let issue = |iat: i64, exp: i64| world.bhxh.issue_default(&cred, &holder, iat, exp, 1);
    let rule = |r: Result<Vec<u8>, Error>| match r {
        Err(Error::InvalidInput(e)) => {
            assert_eq!(e.field, "credential");
            e.rule
        }
        other => panic!("expected an input error, got {other:?}"),
    };
    let longest = MAX_CREDENTIAL_LIFETIME_SECS;
    assert_eq!(longest, 36_525 * DAY, "100 years of 365.25 days");
    assert!(issue(T0, T0 + longest).is_ok());
    assert!(issue(T0, T0 + 1).is_ok());
    let too_long = InputRule::Range("exp must be at most 100 years after iat");
    let not_after = InputRule::Invalid("exp must be after iat");
    assert_eq!(rule(issue(T0, T0 + longest + 1)), too_long);
    assert_eq!(rule(issue(T0, i64::MAX)), too_long);
    assert_eq!(
        rule(issue(i64::MIN, i64::MAX)),
        too_long,
        "the difference overflows i64"
    );
    assert_eq!(rule(issue(T0, T0)), not_after);
    assert_eq!(rule(issue(T0, T0 - 1)), not_after);
    assert_eq!(rule(issue(i64::MAX, i64::MIN)), not_after);

    // Clock skew: five minutes are accepted, a second more is refused when the verifier is built.
    let with_skew = |secs: u32| {
        citizen_wallet_core::Verifier::new(
            &world.trust_bytes,
            &world.root.public(),
            &[],
            VerifierConfig {
                clock_skew_secs: secs,
                ..VerifierConfig::default()
            },
            world.clock.clone(),
        )
    };
    assert_eq!(MAX_CLOCK_SKEW_SECS, 300);
    assert_eq!(
        with_skew(MAX_CLOCK_SKEW_SECS).unwrap().config().clock_skew_secs,
        300
    );
    for secs in [MAX_CLOCK_SKEW_SECS + 1, u32::MAX] {
        match with_skew(secs) {
            Err(Error::InvalidInput(e)) => assert_eq!(e.field, "clock_skew_secs", "{secs}"),
            other => panic!("{secs}: expected an input error, got {other:?}"),
        }
    }
}

#[test]
fn cccd_qr_length_is_checked_before_parsing() {
    let text = std::fs::read_to_string(data_dir().join("cccd-qr.txt")).unwrap();
    let line = text.lines().find(|l| !l.starts_with('#')).unwrap();
    // Padded with spaces that trimming would remove: the length is looked at first.
    let padded = |n: usize| format!("{line}{}", " ".repeat(n - line.len()));
    assert!(parse_cccd_qr(&padded(MAX_CCCD_QR_BYTES)).is_ok());
    let e = parse_cccd_qr(&padded(MAX_CCCD_QR_BYTES + 1)).unwrap_err();
    assert!(e.to_string().contains("longer than"), "{e}");
}

/// A wallet in a temporary directory (PIN unlock), for the import limits.
struct TestWallet {
    _dir: tempfile::TempDir,
    wallet: citizen_wallet_core::Wallet,
}

impl TestWallet {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let opts = citizen_wallet_core::WalletOptions {
            clock: std::sync::Arc::new(citizen_wallet_core::FixedClock::new(T0)),
            ..Default::default()
        };
        let wallet = citizen_wallet_core::Wallet::create(
            dir.path().join("w.db"),
            citizen_wallet_core::Unlock::Pin("246810"),
            opts,
        )
        .unwrap();
        Self { _dir: dir, wallet }
    }
}
