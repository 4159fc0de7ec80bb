//! `peers`: our side of the peer comparisons (perf/run-peers.sh runs it beside the peers).
//!
//! * `peers export-records FILE`: the 10,000 store records of perf/workload/src/records.rs, for
//!   the askar peer. Per record: a kind byte (1 = the listed type), a 32-byte id, a
//!   little-endian u32 length and the credential's stored payload (exactly what our wallet
//!   seals: compact CBOR since issue 16, JSON before).
//! * `peers store DIR [--quick]`: our store on those records (perf/workload/src/store.rs):
//!   insert 10k in one transaction, get by id, list one type (~1,000 rows: whole credentials,
//!   and summaries only), open without KDF; and the naive encrypted floor of the same.
//! * `peers codec DIR [--quick]`: our presentation codec beside claim169-core 0.3.0 (MOSIP
//!   Claim 169: CBOR, CWT, COSE_Sign1 Ed25519, zlib, base45), on the same four check-in claims
//!   (full name with diacritics, date of birth, 12-digit ID, 15-character BHYT code):
//!   - encode: ours = build and sign the SD-KBT over the stored SD-CWT + base45 (one
//!     signature); peer = `Encoder::sign_with_ed25519().encode()` (one signature, zlib, base45);
//!   - decode + verify: ours = `Verifier::verify_text` to a `Valid` verdict (two signatures:
//!     issuer and holder; trust list, status list, disclosures, times); peer =
//!     `Decoder::verify_with_ed25519().decode()` (one signature, timestamps). Target: ours no
//!     slower than the peer + one Ed25519 verification (measured here too).
//!
//! Every command prints one JSON object of medians (µs / ms as the names say).

use std::hint::black_box;
use std::path::Path;

use citizen_wallet_workload as workload;
use claim169_core::{Claim169, Compression, CwtMeta, Decoder, Encoder};
use ed25519_dalek::Verifier as _;
use serde_json::{json, Value};
use workload::codec::{decode_verify_issued, encode_presentation_text, World};
use workload::records::LISTED_TYPE;
use workload::store::StorePlan;
use workload::timing::{medians_interleaved, ns_to_us, round3, Plan};
use workload::{Res, PEOPLE_JSON};

const N: usize = 10_000;

fn export_records(path: &Path) -> Res<()> {
    let records = workload::records::make(PEOPLE_JSON, N)?;
    let mut out = Vec::new();
    for c in &records {
        // What the wallet seals: the normalized credential's stored payload.
        let mut c = c.clone();
        c.normalize_and_validate()?;
        let json = citizen_wallet_core::internal::encode_stored_payload(&c).to_vec();
        let mut id = [0u8; 16];
        workload::fill_random(&mut id)?;
        out.push(u8::from(c.credential_type() == LISTED_TYPE));
        out.extend_from_slice(workload::hex_lower(&id).as_bytes());
        out.extend_from_slice(&u32::try_from(json.len())?.to_le_bytes());
        out.extend_from_slice(&json);
    }
    std::fs::write(path, out)?;
    Ok(())
}

fn store(dir: &Path, quick: bool) -> Res<Value> {
    let records = workload::records::make(PEOPLE_JSON, N)?;
    let plan = if quick { StorePlan::QUICK } else { StorePlan::FULL };
    let r = workload::store::run(dir, &records, plan)?;
    Ok(json!({
        "records": r.records,
        "listed": r.listed,
        "insert_10k_ms": round3(r.insert_10k_ms),
        "get_us": round3(r.get_us),
        "list_by_type_ms": round3(r.list_by_type_ms),
        "list_summaries_ms": round3(r.list_summaries_ms),
        "open_ms": round3(r.open_ms),
        "payload_bytes_avg": round3(r.payload_bytes_avg),
        "insert_10k_floor_ms": round3(r.insert_10k_floor_ms),
        "get_floor_us": round3(r.get_floor_us),
        "list_by_type_floor_ms": round3(r.list_by_type_floor_ms),
        "insert_10k_plain_ms": round3(r.insert_10k_plain_ms),
        "get_plain_us": round3(r.get_plain_us),
        "list_by_type_plain_ms": round3(r.list_by_type_plain_ms),
        "open_plain_ms": round3(r.open_plain_ms),
    }))
}

/// A string field of the check-in credential's JSON.
fn field(v: &Value, key: &str) -> Res<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("check-in credential: no `{key}`").into())
}

fn now_unix() -> Res<i64> {
    Ok(i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs(),
    )?)
}

fn codec(dir: &Path, quick: bool) -> Res<Value> {
    let world = World::new(dir, PEOPLE_JSON)?;
    let p = world.present()?;
    world.verify(&p.qr_text)?;
    let (holder, issued) = world.standalone_holder()?;
    let claims = world.request.claims.clone();
    let issued_text = citizen_wallet_core::internal::qr_text::encode_issued(&issued);

    // The same four values in Claim 169 (ID, full name, date of birth as YYYYMMDD; the BHYT
    // code in a free-text field of the same length class, `legal_status`: Claim 169 has no
    // health-insurance field).
    let v = world.checkin.to_value();
    let claim = Claim169 {
        id: Some(field(&v, "citizen_id")?),
        full_name: Some(field(&v, "full_name")?),
        date_of_birth: Some(field(&v, "dob")?.replace('-', "")),
        legal_status: Some(field(&v, "bhyt_code")?),
        ..Default::default()
    };
    let now = now_unix()?;
    let meta = CwtMeta::new()
        .with_issuer("BHXH")
        .with_issued_at(now - 86_400)
        .with_expires_at(now + 365 * 86_400);
    let peer_key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    let peer_pub = peer_key.verifying_key().to_bytes();
    let peer_encode = |compression: Compression| -> Res<String> {
        Ok(Encoder::new(claim.clone(), meta.clone())
            .sign_with_ed25519(&peer_key.to_bytes())?
            .compression(compression)
            .encode()?
            .qr_data)
    };
    let peer_text = peer_encode(Compression::Zlib)?;
    let peer_raw_text = peer_encode(Compression::None)?;
    let peer_decode = |text: &str| -> Res<()> {
        let r = Decoder::new(text).verify_with_ed25519(&peer_pub)?.decode()?;
        if r.claim169.id != claim.id || r.claim169.full_name != claim.full_name {
            return Err("claim169: decoded claims differ".into());
        }
        Ok(())
    };
    peer_decode(&peer_text)?;
    peer_decode(&peer_raw_text)?;

    // One Ed25519 verification over a message as long as our presentation (the allowance
    // between our two signatures and the peer's one).
    let kbt = citizen_wallet_core::internal::qr_text::decode_presentation(&p.qr_text)?;
    let sig_key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let sig_pub = sig_key.verifying_key();
    let sig = ed25519_dalek::Signer::sign(&sig_key, &kbt);

    // All in alternation, sample by sample (see workload::timing::medians_interleaved).
    let plan = if quick {
        Plan::new(20, 61, 5)
    } else {
        Plan::new(50, 201, 5)
    };
    let m = medians_interleaved(
        plan,
        &mut [
            &mut || {
                black_box(encode_presentation_text(&holder, &issued, &claims)?);
                Ok(())
            },
            &mut || {
                black_box(peer_encode(Compression::Zlib)?);
                Ok(())
            },
            &mut || {
                black_box(peer_encode(Compression::None)?);
                Ok(())
            },
            &mut || world.verify(black_box(&p.qr_text)),
            &mut || peer_decode(black_box(&peer_text)),
            &mut || peer_decode(black_box(&peer_raw_text)),
            &mut || {
                black_box(decode_verify_issued(black_box(&issued_text), &world.trust)?);
                Ok(())
            },
            &mut || {
                sig_pub.verify(black_box(&kbt), &sig)?;
                Ok(())
            },
            &mut || {
                sig_pub.verify_strict(black_box(&kbt), &sig)?;
                Ok(())
            },
        ],
    )?;
    let us: Vec<f64> = m.into_iter().map(ns_to_us).collect();
    let [ours_encode_us, peer_encode_us, peer_encode_raw_us, ours_decode_us, peer_decode_us, peer_decode_raw_us, ours_issued_decode_us, verify_us, verify_strict_us] =
        us[..]
    else {
        return Err("expected nine medians".into());
    };

    let r = round3;
    let allowance = peer_decode_us + verify_us;
    Ok(json!({
        "peer": "claim169-core 0.3.0 (Ed25519, zlib, base45)",
        "ours_chars": p.qr_text.len(),
        "claim169_chars": peer_text.len(),
        "claim169_raw_chars": peer_raw_text.len(),
        "ours_encode_us": r(ours_encode_us),
        "claim169_encode_us": r(peer_encode_us),
        "claim169_encode_raw_us": r(peer_encode_raw_us),
        "claim169_encode_ratio": r(ours_encode_us / peer_encode_us),
        "ours_decode_verify_us": r(ours_decode_us),
        "claim169_decode_verify_us": r(peer_decode_us),
        "claim169_decode_verify_raw_us": r(peer_decode_raw_us),
        "claim169_decode_ratio": r(ours_decode_us / peer_decode_us),
        "ed25519_verify_us": r(verify_us),
        "ed25519_verify_strict_us": r(verify_strict_us),
        "claim169_decode_plus_verify_us": r(allowance),
        "claim169_decode_target_ratio": r(ours_decode_us / allowance),
        "ours_issued_decode_verify_us": r(ours_issued_decode_us),
        "claim169_issued_decode_ratio": r(ours_issued_decode_us / peer_decode_us),
    }))
}

/// `peers profile-verify DIR [N]`: N (default 2,000) verifications of the check-in QR, for a
/// profiler: `valgrind --tool=callgrind peers profile-verify DIR 2000` (then
/// `callgrind_annotate --inclusive=yes`: the verifier inlines into this function).
fn profile_verify(dir: &Path, args: &[String]) -> Res<Value> {
    let n: usize = args.get(3).map_or(Ok(2000), |s| s.parse())?;
    let world = World::new(dir, PEOPLE_JSON)?;
    let p = world.present()?;
    for _ in 0..n {
        world.verify(black_box(&p.qr_text))?;
    }
    Ok(json!({ "verified": n }))
}

/// `peers profile-store DIR`: one insert of the 10,000 records into a fresh wallet, then 20
/// listings of one type and 2,000 gets, for a profiler (see [`profile_verify`]).
fn profile_store(dir: &Path) -> Res<Value> {
    let records = workload::records::make(PEOPLE_JSON, N)?;
    let provider = citizen_wallet_core::SoftwareKeyProvider::make("bench")?;
    let wallet = workload::store::create_wallet(&dir.join("profile.db"), &provider)?;
    let ids = wallet.add_all(&records)?;
    for _ in 0..20 {
        black_box(wallet.list(Some(LISTED_TYPE))?);
    }
    let mut rng = workload::Rng(1);
    for _ in 0..2000 {
        black_box(wallet.get(&ids[rng.below(N)])?);
    }
    Ok(json!({ "inserted": ids.len() }))
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    if let (Some("store" | "codec" | "profile-verify" | "profile-store"), Some(dir)) =
        (args.get(1).map(String::as_str), args.get(2))
    {
        std::fs::create_dir_all(dir)?;
    }
    let out =
        match (args.get(1).map(String::as_str), args.get(2)) {
            (Some("export-records"), Some(file)) => {
                export_records(Path::new(file))?;
                return Ok(());
            }
            (Some("store"), Some(dir)) => store(Path::new(dir), quick)?,
            (Some("codec"), Some(dir)) => codec(Path::new(dir), quick)?,
            (Some("profile-verify"), Some(dir)) => profile_verify(Path::new(dir), &args)?,
            (Some("profile-store"), Some(dir)) => profile_store(Path::new(dir))?,
            _ => return Err(
                "usage: peers export-records FILE | peers store DIR [--quick] | peers codec DIR [--quick]"
                    .into(),
            ),
        };
    println!("{out}");
    Ok(())
}
