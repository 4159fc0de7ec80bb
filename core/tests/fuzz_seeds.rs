//! Seed corpora for the fuzz targets in `fuzz/` (issue 5), made from the test fixture (counter
//! state files too) and from `../shared/data/` (EU DCC payloads, CCCD samples) and the SD-CWT
//! draft's examples.
//!
//! Without an environment variable this test builds every seed in memory and checks that each
//! one reaches the outcome it is meant to exercise (a valid verdict, a parsed list, a decoded
//! image...), so a seed set that silently stops covering the deep paths fails here. With
//! `CW_FUZZ_SEEDS=<dir>` it also writes them to `<dir>/<target>/` (`fuzz/run.sh` passes
//! `fuzz/corpus`, which is not committed).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as fixture;

use std::collections::BTreeMap;

use citizen_wallet_core::internal::build_presentation;
use citizen_wallet_core::internal::request::{self as wire, RequestFields};
use citizen_wallet_core::internal::sd_cwt::SdCwt;
use citizen_wallet_core::internal::SigningKey;
use citizen_wallet_core::internal::{cbor, qr_text};
use citizen_wallet_core::issuer::{transfer_text, IssuerKey};
use citizen_wallet_core::model::{parse_cccd_qr, CredentialType};
use citizen_wallet_core::qr;
use citizen_wallet_core::trust::{
    CounterState, ReaderRole, RequestPurpose, StatusList, TrustList, TrustedIssuer, TrustedReader,
    STATE_FILE_NAME,
};
use citizen_wallet_core::{ReaderRequest, Verifier, VerifierConfig};
use fixture::{all_credentials, data_dir, shared_dir, World, DAY, T0};

type Seeds = BTreeMap<&'static str, Vec<Vec<u8>>>;

/// The nonce the `qr_text` target also verifies with.
const NONCE: &[u8] = b"counter-nonce";

fn seeds() -> Seeds {
    let world = World::new();
    let verifier = world.verifier();
    let mut s = Seeds::new();
    let mut add = |target: &'static str, bytes: Vec<u8>| s.entry(target).or_default().push(bytes);

    // Presentations of every credential of every person: all claims where they fit a QR, the
    // first two claims, with and without the counter nonce; their issued credentials.
    let holder = SigningKey::from_seed(&[7; 32]).unwrap();
    for cred in all_credentials() {
        let ty = cred.credential_type();
        let (issued, _) = world.issue(&cred, &holder);
        let names: Vec<String> = cred.claims().iter().map(|c| c.def.name.to_owned()).collect();
        for (claims, nonce) in [
            (names.clone(), None),
            (names.iter().take(2).cloned().collect::<Vec<_>>(), Some(NONCE)),
        ] {
            let kbt = build_presentation(&issued, &holder, &claims, None, nonce, T0, None).unwrap();
            let text = qr_text::encode_presentation(&kbt);
            if text.len() > citizen_wallet_core::internal::limits::MAX_QR_TEXT_CHARS {
                continue;
            }
            let v = match nonce {
                Some(n) => verifier.verify_text_with_nonce(&text, n).unwrap(),
                None => verifier.verify_text(&text).unwrap(),
            };
            assert!(v.is_fully_valid(), "{ty}: {}", v.summary());
            if claims.len() == 2 {
                // At most version 20 at 2 px/module: 210 px, under the png target's 320.
                add("png", qr::encode(&text).unwrap().to_png(2).unwrap());
            }
            add("cbor", kbt);
            add("qr_text", text.into_bytes());
        }
        add("import", transfer_text(&issued).into_bytes());
        add("cbor", issued.clone());
        add("import", issued);
    }
    // The fixed check-in vectors (format 2 with Ed25519 and ES256, format 1), and bare prefixes.
    for qr_file in [
        "vector-checkin-qr.txt",
        "vector-checkin-es256-qr.txt",
        "vector-checkin-v1-qr.txt",
    ] {
        let vector = std::fs::read_to_string(data_dir().join(qr_file)).unwrap();
        add("qr_text", vector.trim().as_bytes().to_vec());
    }
    for hex_file in [
        "vector-checkin-kbt.hex",
        "vector-checkin-sd-cwt.hex",
        "vector-checkin-es256-kbt.hex",
        "vector-checkin-es256-sd-cwt.hex",
        "vector-checkin-v1-kbt.hex",
        "vector-checkin-v1-sd-cwt.hex",
    ] {
        let h = std::fs::read_to_string(data_dir().join(hex_file)).unwrap();
        add("cbor", hex::decode(h.trim()).unwrap());
    }
    add("qr_text", b"VN1:".to_vec());
    add("qr_text", b"VN2:".to_vec());

    // Trust lists: the fixture's, an empty one, one with a single issuer of every type.
    add("trust_list", world.trust_bytes.clone());
    add("cbor", world.trust_bytes.clone());
    add("trust_list", TrustList::new(T0).sign(&world.root).unwrap());
    let all_types = [
        CredentialType::CitizenId,
        CredentialType::HealthInsurance,
        CredentialType::ClinicCheckin,
        CredentialType::HealthBook,
        CredentialType::JudicialRecord,
    ];
    let one = TrustList::new(T0).with(TrustedIssuer::new(
        IssuerKey::from_seed(&[8; 32]).unwrap().public(),
        "X",
        "Tên",
        "Name",
        T0 - DAY,
        T0 + DAY,
        &all_types,
    ));
    add("trust_list", one.sign(&world.root).unwrap());

    // Status lists: the fixture's (one with revocations), and odd sizes.
    let mut w2 = World::new();
    w2.revoke(CredentialType::HealthBook, 3);
    w2.revoke(CredentialType::HealthBook, 4095);
    for l in w2.signed_status_lists() {
        add("cbor", l.clone());
        add("status_list", l);
    }
    for len in [0usize, 1, 100_000] {
        let mut l = StatusList::new(world.bca.key.kid(), len, T0, 3600).unwrap();
        if len > 0 {
            l.revoke(0).unwrap();
        }
        add("status_list", l.sign(&world.bca.key).unwrap());
    }

    // Counter state files: the trust list alone, with the four status lists, and after a
    // revocation and a newer trust list.
    {
        let dir = tempfile::tempdir().unwrap();
        let mut state = CounterState::open(dir.path(), &world.root.public()).unwrap();
        let file = || std::fs::read(dir.path().join(STATE_FILE_NAME)).unwrap();
        assert!(state
            .update_trust_list(&world.trust_bytes, T0, 60)
            .unwrap()
            .is_applied());
        add("counter_state", file());
        for l in world.signed_status_lists() {
            assert!(state.update_status_list(&l, T0, 60).unwrap().is_applied());
        }
        add("counter_state", file());
        let mut w3 = World::new();
        w3.revoke(CredentialType::HealthBook, 3);
        for l in w3.signed_status_lists() {
            let _ = state.update_status_list(&l, T0, 60).unwrap();
        }
        let v2 = world.trust.clone().with_sequence(2).sign(&world.root).unwrap();
        assert!(state.update_trust_list(&v2, T0, 60).unwrap().is_applied());
        add("counter_state", file());
    }

    // Reader requests (the `request` target certifies the clinic reader of seed [21; 32]), a
    // trust list naming that reader, and a counter state remembering a request (version 2).
    {
        let with_reader = trust_with_reader(&world);
        add("trust_list", with_reader.sign(&world.root).unwrap());
        let sk = SigningKey::from_seed(&[21; 32]).unwrap();
        let kid = IssuerKey::from_seed(&[21; 32]).unwrap().kid();
        for (ty, keys, purpose) in [
            (
                CredentialType::ClinicCheckin,
                &["fn", "bd", "id", "hi"][..],
                RequestPurpose::ClinicCheckin,
            ),
            (
                CredentialType::HealthBook,
                &["bt", "al"][..],
                RequestPurpose::MedicalTreatment,
            ),
            (
                CredentialType::HealthInsurance,
                &["hi"][..],
                RequestPurpose::ClinicCheckin,
            ),
        ] {
            let fields = RequestFields {
                nonce: [9; 16],
                type_code: u64::from(ty.code()),
                claim_keys: keys.iter().map(|k| (*k).to_owned()).collect(),
                purpose_code: u64::from(purpose.code()),
                iat: T0,
                exp: T0 + 300,
            };
            add(
                "request",
                wire::encode_text(&wire::sign(&sk, kid, &fields)).into_bytes(),
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let mut state = CounterState::open(dir.path(), &world.root.public()).unwrap();
        let bytes = with_reader.sign(&world.root).unwrap();
        assert!(state.update_trust_list(&bytes, T0, 60).unwrap().is_applied());
        let counter = Verifier::from_state(state, VerifierConfig::default(), world.clock.clone()).unwrap();
        counter
            .make_request(
                &IssuerKey::from_seed(&[21; 32]).unwrap(),
                CredentialType::ClinicCheckin,
                &["full_name".to_owned()],
                RequestPurpose::ClinicCheckin,
                None,
            )
            .unwrap();
        add(
            "counter_state",
            std::fs::read(dir.path().join(STATE_FILE_NAME)).unwrap(),
        );
    }

    // CCCD QR payloads, as printed and with the noise scanners add.
    let cccd = std::fs::read_to_string(data_dir().join("cccd-qr.txt")).unwrap();
    for line in cccd
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        add("cccd", line.as_bytes().to_vec());
        add("cccd", format!("\u{feff}CCCD: {line}\0").into_bytes());
    }

    // Foreign material from ../shared: EU DCC payloads as text, and their COSE inside.
    if let Some(shared) = shared_dir() {
        let hc1 = std::fs::read_to_string(shared.join("data/foreign-qr/eu-dcc-testdata-hc1.txt")).unwrap();
        for line in hc1.lines().filter(|l| l.starts_with("HC1:")).step_by(29) {
            add("qr_text", line.as_bytes().to_vec());
            // The zlib-compressed COSE_Sign1 behind the prefix, and the same under ours.
            if let Ok(z) = qr_text_base45(&line[4..]) {
                if let Ok(cose) = miniz_oxide::inflate::decompress_to_vec_zlib(&z) {
                    add("qr_text", qr_text::encode_presentation(&cose).into_bytes());
                    add("import", cose.clone());
                    add("cbor", cose);
                }
            }
        }
        for f in [
            "specs/sd-cwt/example-issuer_cwt.cbor",
            "specs/sd-cwt/example-kbt.cbor",
        ] {
            if let Ok(b) = std::fs::read(shared.join(f)) {
                add("import", b.clone());
                add("cbor", b);
            }
        }
        if let Ok(c) = std::fs::read_to_string(shared.join("data/samples/cccd-qr.txt")) {
            for line in c.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
                add("cccd", line.as_bytes().to_vec());
            }
        }
    } else {
        eprintln!("../shared not found: no EU DCC or SD-CWT draft seeds");
    }
    s
}

/// The fixture trust list plus the clinic reader the `request` fuzz target certifies.
fn trust_with_reader(world: &World) -> TrustList {
    world.trust.clone().with_reader(TrustedReader::new(
        IssuerKey::from_seed(&[21; 32]).unwrap().public(),
        "BM-TIEPDON-1",
        "Bệnh viện Bạch Mai",
        "Bach Mai Hospital",
        T0 - DAY,
        T0 + DAY,
        ReaderRole::Clinic,
    ))
}

/// Base45 decoding (the EU DCC body uses the same alphabet as ours).
fn qr_text_base45(body: &str) -> citizen_wallet_core::Result<Vec<u8>> {
    citizen_wallet_core::internal::base45::decode(body)
}

#[test]
fn fuzz_seeds_reach_their_targets_deep_paths() {
    let world = World::new();
    let s = seeds();
    for target in [
        "qr_text",
        "png",
        "import",
        "trust_list",
        "status_list",
        "cccd",
        "cbor",
        "counter_state",
        "request",
    ] {
        assert!(
            s.get(target).is_some_and(|v| v.len() >= 3),
            "{target}: too few seeds"
        );
    }
    let verifier = world.verifier();
    // Every PNG decodes to a presentation that verifies.
    for png in &s["png"] {
        assert!(png.len() < 4096);
        assert!(verifier.verify_png(png).unwrap().is_fully_valid());
    }
    // Our issued credentials parse and check (both forms); foreign COSE does not.
    let ours = s["import"]
        .iter()
        .filter(|b| {
            let bytes = if b.starts_with(b"VN1C:") {
                qr_text::decode_issued(std::str::from_utf8(b).unwrap()).unwrap()
            } else {
                b.to_vec()
            };
            SdCwt::parse(&bytes).is_ok_and(|c| c.check_disclosures().is_ok() && c.claims().is_ok())
        })
        .count();
    assert!(ours >= 2 * all_credentials().len(), "{ours}");
    for t in &s["trust_list"] {
        TrustList::parse_verify(t, &world.root.public()).unwrap();
    }
    let with_reader = trust_with_reader(&world);
    for r in &s["request"] {
        ReaderRequest::read(std::str::from_utf8(r).unwrap(), &with_reader, T0).unwrap();
    }
    for l in &s["status_list"] {
        StatusList::parse_verify(l, &world.trust).unwrap();
    }
    // Every counter state opens, one of them with a status list for each of the four issuers.
    let mut most = 0;
    for c in &s["counter_state"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(STATE_FILE_NAME), c).unwrap();
        let state = CounterState::open(dir.path(), &world.root.public()).unwrap();
        assert!(state.trust_list().is_some());
        most = most.max(state.status_lists().count());
    }
    assert_eq!(most, 4);
    for c in &s["cccd"] {
        parse_cccd_qr(std::str::from_utf8(c).unwrap()).unwrap();
    }
    // All CBOR seeds are canonical (the cbor target's oracle holds on them).
    for b in &s["cbor"] {
        let v = cbor::decode(b, 1 << 20).unwrap_or_else(|e| panic!("{e}: {}", hex::encode(&b[..8])));
        assert_eq!(&cbor::encode(&v), b);
    }
    // Every credential type is presented.
    let types: std::collections::BTreeSet<_> = s["qr_text"]
        .iter()
        .filter_map(|t| {
            verifier
                .verify_text_with_nonce(std::str::from_utf8(t).ok()?, NONCE)
                .ok()
        })
        .chain(
            s["qr_text"]
                .iter()
                .filter_map(|t| verifier.verify_text(std::str::from_utf8(t).ok()?).ok()),
        )
        .filter_map(|v| v.credential_type)
        .collect();
    assert_eq!(types.len(), 5, "{types:?}");

    if let Some(dir) = std::env::var_os("CW_FUZZ_SEEDS") {
        let dir = std::path::PathBuf::from(dir);
        let mut written = 0;
        for (target, list) in &s {
            let d = dir.join(target);
            std::fs::create_dir_all(&d).unwrap();
            for (i, b) in list.iter().enumerate() {
                std::fs::write(d.join(format!("seed-{i:04}")), b).unwrap();
                written += 1;
            }
        }
        eprintln!("wrote {written} seeds under {}", dir.display());
    }
}
