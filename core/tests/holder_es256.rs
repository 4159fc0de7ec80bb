//! ES256 (P-256) holder keys (issue 14, item 5): a credential bound to a P-256 key in `cnf`
//! (compressed point), presentations signed by the wallet's software P-256 key or by a signer
//! outside the wallet (the bindings' foreign signer: Secure Enclave, StrongBox), and the
//! verifier's checks of them: a tampered signature, another curve, a point off the curve, an
//! uncompressed point (refused: one encoding per key), and algorithm confusion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as fixture;

use citizen_wallet_core::internal::cbor::{self, Value};
use citizen_wallet_core::internal::cose::{label, Sign1, TYP_SD_CWT};
use citizen_wallet_core::internal::qr_text::encode_presentation;
use citizen_wallet_core::internal::sd_cwt::{Kbt, SdCwt};
use citizen_wallet_core::internal::{cwt, SigningKey};
use citizen_wallet_core::issuer::Issuer;
use citizen_wallet_core::model::{Credential, CredentialType};
use citizen_wallet_core::{
    Error, HolderAlg, HolderPublicKey, HolderSigner, InputRule, PresentationRequest, RejectReason,
    SoftwareP256Signer, Verdict, VerdictStatus,
};
use fixture::{all_credentials, Method, TestWallet, World, DAY, T0};

fn first(ty: CredentialType) -> Credential {
    all_credentials()
        .into_iter()
        .find(|c| c.credential_type() == ty)
        .unwrap()
}

fn request(id: &str, claims: &[&str]) -> PresentationRequest {
    PresentationRequest {
        credential_id: id.to_owned(),
        claims: claims.iter().map(|s| (*s).to_owned()).collect(),
        audience: None,
        nonce: None,
        ttl_secs: None,
    }
}

fn reason(v: &Verdict) -> RejectReason {
    v.reject_reason()
        .unwrap_or_else(|| panic!("expected a rejection, got {}", v.summary()))
}

fn is_input(e: &Error, field: &str) -> bool {
    matches!(e, Error::InvalidInput(i) if i.to_string().contains(field))
}

#[test]
fn the_wallet_s_software_p256_key_issue_import_present_verify() {
    let world = World::new();
    let tw = TestWallet::new(Method::provider());
    let es = tw.wallet.holder_key_for(HolderAlg::Es256).unwrap();
    let ed = tw.wallet.holder_key_for(HolderAlg::Ed25519).unwrap();
    assert_eq!(es.alg(), HolderAlg::Es256);
    assert_eq!(es.to_bytes().len(), 33, "compressed");
    assert_eq!(ed.to_bytes(), tw.wallet.holder_public_key().unwrap().to_vec());
    // Derived from the sealed seed: the same after a reopen.
    let mut tw = tw;
    tw.reopen();
    assert_eq!(tw.wallet.holder_key_for(HolderAlg::Es256).unwrap(), es);

    for ty in [CredentialType::ClinicCheckin, CredentialType::HealthInsurance] {
        let cred = first(ty);
        let issued = world
            .issuer_for(ty)
            .issue_default_to(&cred, &es, T0 - DAY, T0 + 365 * DAY, 7)
            .unwrap();
        let id = tw.wallet.import_issued(&issued, &world.trust).unwrap();
        let p = tw.wallet.present(&request(&id, &["full_name", "dob"])).unwrap();
        assert!(p.qr_text.starts_with("VN2:"));
        let v = world.verifier().verify_text(&p.qr_text).unwrap();
        assert_eq!(v.status, VerdictStatus::Valid, "{ty}: {}", v.summary());
        assert!(v.claim("full_name").is_some());
        // The thumbprint is the P-256 key's, not the Ed25519 key's.
        let ed_cred = world
            .issuer_for(ty)
            .issue_default_to(&cred, &ed, T0 - DAY, T0 + 365 * DAY, 8)
            .unwrap();
        let ed_id = tw.wallet.import_issued(&ed_cred, &world.trust).unwrap();
        let ed_p = tw
            .wallet
            .present(&request(&ed_id, &["full_name", "dob"]))
            .unwrap();
        let ed_v = world.verifier().verify_text(&ed_p.qr_text).unwrap();
        assert_eq!(ed_v.status, VerdictStatus::Valid);
        assert_ne!(ed_v.holder_thumbprint, v.holder_thumbprint);
        if ty == CredentialType::ClinicCheckin {
            // ES256 costs 2 bytes over Ed25519 (the EC2 key's `kty` 2 and its sign bit).
            assert_eq!(p.bytes, ed_p.bytes + 2);
        }
    }
}

/// A key the wallet does not hold (the Secure Enclave's, StrongBox's): imported for it, then
/// presented with the signer, at once or in two steps (prepare, sign elsewhere, finish).
#[test]
fn a_signer_outside_the_wallet() {
    let world = World::new();
    let tw = TestWallet::new(Method::provider());
    let hardware = SoftwareP256Signer::generate().unwrap();
    let pk = hardware.public();
    let cred = first(CredentialType::ClinicCheckin);
    let issued = world
        .bhxh
        .issue_default_to(&cred, &pk, T0 - DAY, T0 + 365 * DAY, 9)
        .unwrap();
    // Not this wallet's key: refused unless the app names it.
    let err = tw.wallet.import_issued(&issued, &world.trust).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(i) if i.rule == InputRule::OtherHolder),
        "{err:?}"
    );
    let id = tw.wallet.import_issued_for(&issued, &world.trust, &pk).unwrap();
    // The wallet cannot sign for it ...
    let err = tw.wallet.present(&request(&id, &[])).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(i) if i.rule == InputRule::OtherHolder));
    // ... nor can another signer.
    let other = SoftwareP256Signer::generate().unwrap();
    let err = tw.wallet.present_with(&request(&id, &[]), &other).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(i) if i.rule == InputRule::OtherHolder));
    // The right signer can.
    let p = tw.wallet.present_with(&request(&id, &[]), &hardware).unwrap();
    assert_eq!(
        world.verifier().verify_text(&p.qr_text).unwrap().status,
        VerdictStatus::Valid
    );

    // Two steps: what the bindings' async presentation does around an awaited signer.
    let pending = tw.wallet.prepare_presentation(&request(&id, &[])).unwrap();
    assert_eq!(pending.holder(), pk);
    let tbs = pending.to_be_signed();
    // A signer that answers in DER, with another key's signature, or with nothing: typed
    // errors, no QR code.
    let sig = hardware.sign(&tbs).unwrap();
    let mut der = vec![0x30, 0x44, 0x02, 0x20];
    der.extend_from_slice(&sig[..32]);
    der.extend_from_slice(&[0x02, 0x20]);
    der.extend_from_slice(&sig[32..]);
    for bad in [der, other.sign(&tbs).unwrap(), Vec::new()] {
        let err = pending.clone().finish(&bad).unwrap_err();
        assert!(is_input(&err, "holder signature"), "{err:?}");
    }
    let p = pending.finish(&sig).unwrap();
    assert_eq!(
        world.verifier().verify_text(&p.qr_text).unwrap().status,
        VerdictStatus::Valid
    );
}

/// A failing signer's error is passed on, typed.
#[test]
fn a_failing_signer_is_an_error_not_a_code() {
    struct Refuses(HolderPublicKey);
    impl HolderSigner for Refuses {
        fn public_key(&self) -> citizen_wallet_core::Result<HolderPublicKey> {
            Ok(self.0)
        }
        fn sign(&self, _: &[u8]) -> citizen_wallet_core::Result<Vec<u8>> {
            Err(Error::Locked)
        }
    }
    let world = World::new();
    let tw = TestWallet::new(Method::provider());
    let pk = SoftwareP256Signer::generate().unwrap().public();
    let issued = world
        .bhxh
        .issue_default_to(&first(CredentialType::ClinicCheckin), &pk, T0 - DAY, T0 + DAY, 9)
        .unwrap();
    let id = tw.wallet.import_issued_for(&issued, &world.trust, &pk).unwrap();
    assert!(matches!(
        tw.wallet.present_with(&request(&id, &[]), &Refuses(pk)),
        Err(Error::Locked)
    ));
}

fn es256_world() -> (World, SoftwareP256Signer, Vec<u8>) {
    let world = World::new();
    let holder = SoftwareP256Signer::from_secret(&[9; 32]).unwrap();
    let issued = world
        .bhxh
        .issue_default_to(
            &first(CredentialType::ClinicCheckin),
            &holder.public(),
            T0 - DAY,
            T0 + DAY,
            3,
        )
        .unwrap();
    (world, holder, issued)
}

#[test]
fn every_bit_of_a_tampered_es256_signature_is_rejected() {
    let (world, holder, issued) = es256_world();
    let cwt = SdCwt::parse(&issued).unwrap().with_disclosures(&[]);
    let kbt = Kbt::sign_with(&holder, &cwt, "offline", T0, T0 + 120, None).unwrap();
    let verifier = world.verifier();
    assert_eq!(
        verifier.verify_text(&encode_presentation(&kbt)).unwrap().status,
        VerdictStatus::Valid
    );
    let sig_start = kbt.len() - 64;
    for i in (sig_start..kbt.len()).step_by(3) {
        for bit in [0x01u8, 0x80] {
            let mut t = kbt.clone();
            t[i] ^= bit;
            assert_eq!(
                reason(&verifier.verify_text(&encode_presentation(&t)).unwrap()),
                RejectReason::BadHolderSignature,
                "byte {i}"
            );
        }
    }
    // An Ed25519 signature over the same KBT, with the P-256 key in `cnf`: refused.
    let ed = SigningKey::from_seed(&[9; 32]).unwrap();
    let confused = Kbt::sign(&ed, &cwt, "offline", T0, T0 + 120, None);
    assert_eq!(
        reason(&verifier.verify_text(&encode_presentation(&confused)).unwrap()),
        RejectReason::BadHolderSignature
    );
}

/// The issuer re-signs the credential with another `cnf` (so only the key itself is wrong).
fn with_cnf(issued: &[u8], issuer: &Issuer, cnf: Value) -> Sign1 {
    let s = Sign1::parse(issued, 1 << 16).unwrap();
    let payload: Vec<(Value, Value)> = s
        .payload_map(1 << 16)
        .unwrap()
        .into_iter()
        .map(|(k, v)| {
            if k == Value::int(cwt::CNF) {
                (k, cnf.clone())
            } else {
                (k, v)
            }
        })
        .collect();
    let key = SigningKey::from_seed(&*issuer.key.seed()).unwrap();
    Sign1::sign(
        &key,
        vec![(Value::int(label::TYP), Value::Uint(TYP_SD_CWT))],
        s.unprotected.clone(),
        cbor::encode(&Value::sorted_map(payload)),
    )
}

fn ec2(crv: u64, x: &[u8], y: Value) -> Value {
    Value::Map(vec![(
        Value::Uint(1),
        Value::Map(vec![
            (Value::Uint(1), Value::Uint(2)),
            (Value::int(-1), Value::Uint(crv)),
            (Value::int(-2), Value::Bytes(x.to_vec())),
            (Value::int(-3), y),
        ]),
    )])
}

#[test]
fn wrong_curve_bad_point_and_uncompressed_point_are_refused() {
    let (world, holder, issued) = es256_world();
    let pk = holder.public().to_bytes();
    let (prefix, x) = (pk[0], &pk[1..]);
    let verifier = world.verifier();
    let check = |cnf: Value, want: RejectReason| {
        let cwt = with_cnf(&issued, &world.bhxh, cnf);
        // Signed by the holder's real key; only the key in `cnf` differs.
        let kbt = Kbt::sign_with(&holder, &cwt, "offline", T0, T0 + 120, None).unwrap();
        let v = verifier.verify_text(&encode_presentation(&kbt)).unwrap();
        assert_eq!(reason(&v), want);
    };
    // The right key, compressed: valid (control).
    let good = with_cnf(&issued, &world.bhxh, ec2(1, x, Value::Bool(prefix == 3)));
    let kbt = Kbt::sign_with(&holder, &good, "offline", T0, T0 + 120, None).unwrap();
    assert_eq!(
        verifier.verify_text(&encode_presentation(&kbt)).unwrap().status,
        VerdictStatus::Valid
    );
    // The other sign bit: another point, so the signature does not verify.
    check(
        ec2(1, x, Value::Bool(prefix != 3)),
        RejectReason::BadHolderSignature,
    );
    // P-384 (crv 2) and P-521 (crv 3): not supported.
    check(ec2(2, x, Value::Bool(false)), RejectReason::UnsupportedAlgorithm);
    check(ec2(3, x, Value::Bool(false)), RejectReason::UnsupportedAlgorithm);
    // The same key uncompressed (`y` in full): refused by our profile, one encoding per key.
    let unc = holder.public().to_sec1_uncompressed().unwrap();
    assert_eq!(
        HolderPublicKey::from_bytes(HolderAlg::Es256, &unc).unwrap(),
        holder.public()
    );
    check(
        ec2(1, x, Value::Bytes(unc[33..].to_vec())),
        RejectReason::Malformed,
    );
    // An x with no point on the curve.
    let off = (0u8..=255)
        .map(|b| [b; 32])
        .find(|x| {
            let mut p = vec![2u8];
            p.extend_from_slice(x);
            HolderPublicKey::from_bytes(HolderAlg::Es256, &p).is_err()
        })
        .unwrap();
    check(ec2(1, &off, Value::Bool(false)), RejectReason::Malformed);
    // A 31-byte x.
    check(ec2(1, &x[1..], Value::Bool(false)), RejectReason::Malformed);
}

/// Format 2 takes `alg` from the key; a format-2 KBT that names one anyway is malformed, and a
/// format-1 code cannot carry an ES256 key.
#[test]
fn alg_in_the_kbt_follows_the_format_version() {
    let (world, holder, issued) = es256_world();
    let cwt = SdCwt::parse(&issued).unwrap().with_disclosures(&[]);
    let verifier = world.verifier();
    let ed = SigningKey::from_seed(&[9; 32]).unwrap();
    // A format-1 layout (alg -19 in the KBT) over a credential bound to the P-256 key.
    let v1 = Kbt::sign_v1(&ed, &cwt, "offline", T0, T0 + 120, None);
    let v1_text = encode_presentation(&v1).replacen("VN2:", "VN1:", 1);
    assert_eq!(
        reason(&verifier.verify_text(&v1_text).unwrap()),
        RejectReason::UnsupportedAlgorithm
    );
    // The same layout under the format-2 prefix: an `alg` header where none belongs.
    assert_eq!(
        reason(&verifier.verify_text(&encode_presentation(&v1)).unwrap()),
        RejectReason::Malformed
    );
    // Control: the format-2 layout verifies.
    let kbt = Kbt::sign_with(&holder, &cwt, "offline", T0, T0 + 120, None).unwrap();
    assert_eq!(
        verifier.verify_text(&encode_presentation(&kbt)).unwrap().status,
        VerdictStatus::Valid
    );
}
