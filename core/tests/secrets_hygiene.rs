//! Secrets hygiene: no personal data in any error or Debug output, no key material in Debug,
//! no log output at all, and the zeroize-on-drop bounds of key types.
//!
//! "Personal data" is every string of every sample person in `people.json` (names in NFC and
//! NFD and folded, ID numbers also without leading zeros, BHYT codes, addresses, dates,
//! diagnoses, drugs, visit reasons...). The tests drive every error path they can reach with
//! those values in every position: each credential field replaced by each of the person's
//! values (wrong type, too long, control characters, empty, removed), truncated JSON, broken
//! people files, mangled CCCD QR payloads, wallet errors (wrong PIN, wrong key, locked, not
//! found, tampered), and issue -> import -> present -> verify with tampered QR texts. Every
//! error's `Display` and `Debug` (and `{:#?}`) must contain none of the values.
//!
//! Logging: the core has no logging facade in its dependencies (see `no_network.rs`) and
//! prints nothing outside tests (checked below by scanning `core/src`), so no log line can
//! carry personal data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as common;
use citizen_wallet_test_support as fixture;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use citizen_wallet_core::internal::DataKey;
use citizen_wallet_core::internal::SigningKey;
use citizen_wallet_core::internal::StoreCipher;
use citizen_wallet_core::issuer::Issuer;
use citizen_wallet_core::model::{folded_key, parse_cccd_qr, Credential, PersonRecord};
use citizen_wallet_core::FixedClock;
use citizen_wallet_core::PresentationRequest;
use citizen_wallet_core::{Error, KeyProvider, Outcome, SoftwareKeyProvider, Unlock, Wallet};
use common::*;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;
use zeroize::{ZeroizeOnDrop, Zeroizing};

// ---------------------------------------------------------------- what counts as personal

/// Keys whose values are categories shared by many people, not personal data.
const NOT_PERSONAL: &[&str] = &[
    "key",
    "note",
    "sex",
    "nationality",
    "ethnicity",
    "type",
    "blood_type",
    "form",
];

fn collect(v: &Value, key: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| collect(x, k, out)),
        Value::Array(a) => a.iter().for_each(|x| collect(x, key, out)),
        Value::String(s) if !NOT_PERSONAL.contains(&key) && s.chars().count() >= 3 => {
            out.insert(s.clone());
            out.insert(s.nfc().collect());
            out.insert(s.nfd().collect());
            if s.bytes().all(|b| b.is_ascii_digit()) {
                // An ID number read as a JSON number loses its leading zeros.
                out.insert(s.trim_start_matches('0').to_owned());
            }
            if key == "full_name" {
                out.insert(folded_key(s));
                out.insert(s.to_uppercase());
            }
            if key == "dob" {
                // DDMMYYYY, as in the CCCD QR.
                out.insert(format!("{}{}{}", &s[8..10], &s[5..7], &s[0..4]));
            }
        }
        _ => {}
    }
}

/// One person's personal values.
struct Person {
    record: PersonRecord,
    secrets: Vec<String>,
}

fn sample_people() -> Vec<Person> {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(data_dir().join("people.json")).unwrap()).unwrap();
    let records = people();
    json["people"]
        .as_array()
        .unwrap()
        .iter()
        .zip(records)
        .map(|(v, record)| {
            let mut s = BTreeSet::new();
            collect(v, "", &mut s);
            s.retain(|x| x.chars().count() >= 3);
            Person {
                record,
                secrets: s.into_iter().collect(),
            }
        })
        .collect()
}

fn all_secrets(people: &[Person]) -> Vec<String> {
    let s: BTreeSet<String> = people.iter().flat_map(|p| p.secrets.iter().cloned()).collect();
    s.into_iter().collect()
}

/// Fails if `text` contains any secret (the message names the context and length, not the value).
#[track_caller]
fn assert_clean(context: &str, text: &str, secrets: &[String]) {
    for s in secrets {
        assert!(
            !text.contains(s.as_str()),
            "{context}: output contains a personal value ({} chars): {text}",
            s.chars().count()
        );
    }
}

/// Checks an error's Display, Debug and pretty Debug.
#[track_caller]
fn check_error(context: &str, e: &Error, secrets: &[String], count: &mut usize) {
    assert_clean(context, &e.to_string(), secrets);
    assert_clean(context, &format!("{e:?}"), secrets);
    assert_clean(context, &format!("{e:#?}"), secrets);
    *count += 1;
}

#[track_caller]
fn check_debug<T: std::fmt::Debug>(context: &str, v: &T, secrets: &[String]) {
    assert_clean(context, &format!("{v:?}"), secrets);
    assert_clean(context, &format!("{v:#?}"), secrets);
}

// ---------------------------------------------------------------- model errors

/// Every leaf of a JSON value, as a path of object keys / array indexes.
fn leaves(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                path.push(Value::String(k.clone()));
                leaves(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(Value::from(i));
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn at<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |v, p| match p {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(i) => &mut v[i.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

fn remove_at(v: &mut Value, path: &[Value]) {
    let (last, parent) = path.split_last().unwrap();
    match (at(v, parent), last) {
        (Value::Object(m), Value::String(k)) => {
            m.remove(k);
        }
        (Value::Array(a), Value::Number(i)) => {
            a.remove(i.as_u64().unwrap() as usize);
        }
        _ => unreachable!(),
    }
}

#[test]
fn credential_field_errors_name_the_field_never_the_value() {
    let people = sample_people();
    let secrets = all_secrets(&people);
    let mut errors = 0usize;
    let mut accepted = 0usize;
    for p in &people {
        for c in p.record.credentials().unwrap() {
            let ty = c.credential_type();
            let base = c.to_value();
            let mut paths = Vec::new();
            leaves(&base, &mut Vec::new(), &mut paths);
            for path in &paths {
                let original = at(&mut base.clone(), path).clone();
                let mut replacements: Vec<Value> = Vec::new();
                for s in &p.secrets {
                    replacements.push(Value::String(s.clone()));
                    replacements.push(Value::String(format!("{s}X")));
                    replacements.push(Value::String(format!("{s}\u{7}")));
                    if let Ok(n) = s.trim_start_matches('0').parse::<u64>() {
                        replacements.push(Value::from(n));
                    }
                    replacements.push(serde_json::json!({ "v": s }));
                    replacements.push(serde_json::json!([s]));
                }
                if let Value::String(s) = &original {
                    replacements.push(Value::String(String::new()));
                    replacements.push(Value::String(s.repeat(400)));
                }
                for r in replacements {
                    let mut v = base.clone();
                    *at(&mut v, path) = r;
                    match Credential::from_value(ty, v) {
                        Err(e) => check_error(&format!("{ty} field {path:?}"), &e, &secrets, &mut errors),
                        Ok(c) => {
                            check_debug("accepted credential", &c, &secrets);
                            accepted += 1;
                        }
                    }
                }
                let mut v = base.clone();
                remove_at(&mut v, path);
                if let Err(e) = Credential::from_value(ty, v) {
                    check_error(&format!("{ty} without {path:?}"), &e, &secrets, &mut errors);
                }
            }
            // Truncated JSON text of the credential.
            let text = serde_json::to_string(&base).unwrap();
            for cut in (0..text.len()).step_by(5).filter(|&i| text.is_char_boundary(i)) {
                if let Err(e) = Credential::from_json(ty, &text[..cut]) {
                    check_error("truncated credential JSON", &e, &secrets, &mut errors);
                }
            }
        }
    }
    println!("credential fields: {errors} errors checked, {accepted} mutated credentials accepted");
    assert!(errors > 5_000, "too few error paths exercised: {errors}");
}

#[test]
fn people_file_and_cccd_qr_errors_carry_no_personal_data() {
    let people = sample_people();
    let secrets = all_secrets(&people);
    let mut errors = 0usize;

    // Broken people files: truncated anywhere, and values of the wrong type in every field.
    let text = std::fs::read_to_string(data_dir().join("people.json")).unwrap();
    for cut in (0..text.len()).step_by(97).filter(|&i| text.is_char_boundary(i)) {
        if let Err(e) = PersonRecord::parse_list(&text[..cut]) {
            check_error("truncated people file", &e, &secrets, &mut errors);
        }
    }
    let json: Value = serde_json::from_str(&text).unwrap();
    for field in ["full_name", "dob", "sex", "citizen_id", "old_id", "address"] {
        for p in &people {
            for s in &p.secrets {
                let mut v = json.clone();
                v["people"][0][field] = Value::from(s.trim_start_matches('0').parse::<u64>().ok());
                if v["people"][0][field].is_null() {
                    v["people"][0][field] = serde_json::json!([s]);
                }
                let mut w = json.clone();
                w["people"][0][field] = Value::String(s.clone());
                for broken in [v, w] {
                    match PersonRecord::parse_list(&broken.to_string()) {
                        Err(e) => check_error(&format!("people file, {field}"), &e, &secrets, &mut errors),
                        Ok(list) => {
                            check_debug("person", &list[0], &secrets);
                            if let Err(e) = list[0].credentials() {
                                check_error(
                                    &format!("person credentials, {field}"),
                                    &e,
                                    &secrets,
                                    &mut errors,
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    // Mangled CCCD QR payloads: fields dropped, added, replaced by other personal values.
    let lines: Vec<String> = std::fs::read_to_string(data_dir().join("cccd-qr.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_owned)
        .collect();
    assert!(lines.len() >= 5);
    for line in &lines {
        let ok = parse_cccd_qr(line).unwrap();
        check_debug("CCCD QR", &ok, &secrets);
        let fields: Vec<&str> = line.split('|').collect();
        for i in 0..fields.len() {
            let mut dropped = fields.clone();
            dropped.remove(i);
            let mut variants = vec![dropped.join("|"), format!("{line}|{}", fields[i])];
            for s in &secrets {
                let mut f = fields.clone();
                f[i] = s;
                variants.push(f.join("|"));
                let x = format!("{}X", fields[i]);
                let mut f = fields.clone();
                f[i] = &x;
                variants.push(f.join("|"));
            }
            variants.push(line.repeat(20));
            for v in variants {
                match parse_cccd_qr(&v) {
                    Err(e) => check_error("CCCD QR", &e, &secrets, &mut errors),
                    Ok(q) => check_debug("CCCD QR", &q, &secrets),
                }
            }
        }
    }
    println!("people file and CCCD QR: {errors} errors checked");
    assert!(errors > 1_000, "too few error paths exercised: {errors}");
}

// ---------------------------------------------------------------- wallet errors

#[test]
fn wallet_errors_and_debug_output_carry_no_personal_data_or_pin() {
    let people = sample_people();
    let mut secrets = all_secrets(&people);
    secrets.push(PIN.to_owned());
    let wrong_pin = "97531086";
    secrets.push(wrong_pin.to_owned());
    let mut errors = 0usize;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let clock = Arc::new(FixedClock::new(T0));
    let w = Wallet::create(&path, Unlock::Pin(PIN), options(&clock)).unwrap();
    check_debug("Unlock::Pin", &Unlock::Pin(PIN), &secrets);
    let mut ids = Vec::new();
    for p in &people {
        for c in p.record.credentials().unwrap() {
            check_debug("credential", &c, &secrets);
            for claim in c.claims() {
                check_debug("claim", &claim, &secrets);
            }
            let id = w.add(&c).unwrap();
            check_debug("stored credential", &w.get(&id).unwrap(), &secrets);
            ids.push(id);
            // Invalid versions of it, through the wallet.
            let mut bad = c.to_value();
            if let Some(name) = bad.get_mut("full_name") {
                *name = Value::String(format!("{}\u{1b}[2J", p.record.full_name));
            }
            if let Err(e) = Credential::from_value(c.credential_type(), bad) {
                check_error("invalid credential", &e, &secrets, &mut errors);
            }
        }
    }
    check_debug("list", &w.list(None).unwrap(), &secrets);
    check_debug("wallet", &w, &secrets);

    // Keyed operations on a locked wallet, unknown and malformed ids.
    w.lock();
    for r in [w.get(&ids[0]).err(), w.list(None).err(), w.delete(&ids[0]).err()] {
        check_error("locked", &r.unwrap(), &secrets, &mut errors);
    }
    w.unlock(Unlock::Pin(PIN)).unwrap();
    for id in [
        &"0".repeat(32),
        &people[0].record.citizen_id,
        &people[0].record.full_name,
    ] {
        check_error("get", &w.get(id).unwrap_err(), &secrets, &mut errors);
        check_error("delete", &w.delete(id).unwrap_err(), &secrets, &mut errors);
    }
    // A PIN equal to a person's ID number or name is not echoed.
    for pin in [
        people[0].record.citizen_id.as_str(),
        people[1].record.full_name.as_str(),
        "12",
    ] {
        if let Err(e) = w.set_pin(pin) {
            check_error("set_pin", &e, &secrets, &mut errors);
        }
    }
    w.set_pin(PIN).unwrap();
    // Tampered rows.
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute(
            "UPDATE credentials SET payload_sealed = (SELECT payload_sealed FROM credentials WHERE id = ?1) WHERE id = ?2",
            [&ids[0], &ids[1]],
        )
        .unwrap();
    }
    check_error("tampered", &w.get(&ids[1]).unwrap_err(), &secrets, &mut errors);
    check_error("tampered list", &w.list(None).unwrap_err(), &secrets, &mut errors);
    drop(w);

    // Wrong PIN, back-off, wrong key, existing file.
    let e = Wallet::open(&path, Unlock::Pin(wrong_pin), options(&clock)).unwrap_err();
    assert!(matches!(e, Error::WrongPin { .. }));
    check_error("wrong PIN", &e, &secrets, &mut errors);
    let e = Wallet::open(&path, Unlock::Pin(PIN), options(&clock)).unwrap_err();
    check_error("back-off", &e, &secrets, &mut errors);
    let other = SoftwareKeyProvider::make("other").unwrap();
    let e = Wallet::open(&path, Unlock::Provider(&other), options(&clock)).unwrap_err();
    check_error("no provider slot", &e, &secrets, &mut errors);
    let e = Wallet::create(&path, Unlock::Pin(PIN), options(&clock)).unwrap_err();
    check_error("exists", &e, &secrets, &mut errors);
    println!("wallet: {errors} errors checked");
}

#[test]
fn issue_present_verify_and_tampered_qr_errors_carry_no_personal_data() {
    let people = sample_people();
    let secrets = all_secrets(&people);
    let world = fixture::World::new();
    let verifier = world.verifier();
    let t = TestWallet::new(Method::provider());
    let holder = t.wallet.holder_public_key().unwrap();
    let mut errors = 0usize;
    let mut verdicts = 0usize;
    for (n, c) in people
        .iter()
        .flat_map(|p| p.record.credentials().unwrap())
        .enumerate()
    {
        let ty = c.credential_type();
        let issued = world
            .issuer_for(ty)
            .issue_default(
                &c,
                &holder,
                fixture::T0 - fixture::DAY,
                fixture::T0 + 365 * fixture::DAY,
                n as u64 + 1,
            )
            .unwrap();
        // Tampered issued credentials on import.
        for pos in (0..issued.len()).step_by(7) {
            let mut bad = issued.clone();
            bad[pos] ^= 0x20;
            if let Err(e) = t.wallet.import_issued(&bad, &world.trust) {
                check_error("tampered import", &e, &secrets, &mut errors);
            }
        }
        let id = t.wallet.import_issued(&issued, &world.trust).unwrap();
        let claims: Vec<String> = Issuer::default_sd_claims(ty)
            .iter()
            .take(2)
            .map(|s| s.to_string())
            .collect();
        let req = PresentationRequest {
            credential_id: id,
            claims,
            audience: None,
            nonce: None,
            ttl_secs: None,
        };
        check_debug("presentation request", &req, &secrets);
        let p = match t.wallet.present(&req) {
            Ok(p) => p,
            Err(e) => {
                check_error("present", &e, &secrets, &mut errors);
                continue;
            }
        };
        check_debug("presentation", &p, &secrets);
        let v = verifier.verify_text(&p.qr_text).unwrap();
        check_debug("valid verdict", &v, &secrets);
        // Tampered QR texts: a character changed, cut short, doubled.
        let text = p.qr_text.clone();
        let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        let mut variants: Vec<String> = (4..text.len())
            .step_by(11)
            .map(|i| {
                let mut b = text.clone().into_bytes();
                b[i] = alphabet[(alphabet.iter().position(|&a| a == b[i]).unwrap_or(0) + 1) % 45];
                String::from_utf8(b).unwrap()
            })
            .collect();
        variants.extend((4..text.len()).step_by(29).map(|i| text[..i].to_owned()));
        variants.push(format!("{text}{}", &text[4..]));
        for v in variants {
            match verifier.verify_text(&v) {
                Ok(verdict) => {
                    check_debug("verdict", &verdict, &secrets);
                    if verdict.outcome() == Outcome::Invalid {
                        assert_clean("invalid verdict summary", &verdict.summary(), &secrets);
                        assert_clean("invalid verdict summary", &verdict.summary_vi(), &secrets);
                    }
                    verdicts += 1;
                }
                Err(e) => check_error("verify", &e, &secrets, &mut errors),
            }
        }
    }
    println!("issue/present/verify: {errors} errors and {verdicts} verdicts on tampered input checked");
    assert!(errors + verdicts > 500);
}

// ---------------------------------------------------------------- keys

/// The ways a 32-byte key could show up in text.
fn renderings(key: &[u8]) -> Vec<String> {
    vec![
        hex::encode(key),
        hex::encode_upper(key),
        format!("{:?}", &key[..4]).trim_end_matches(']').to_owned(),
        format!("{key:?}"),
    ]
}

#[test]
fn debug_of_key_types_prints_no_key_material() {
    let dk = DataKey::make().unwrap();
    let secrets = renderings(dk.as_bytes());
    check_debug("DataKey", &dk, &secrets);
    check_debug("StoreCipher", &StoreCipher::new(&dk), &secrets);
    for sub in ["store/value", "store/tag"] {
        let k = dk.derive_subkey(sub);
        check_debug("StoreCipher", &StoreCipher::new(&dk), &renderings(k.as_bytes()));
    }

    let sk = SigningKey::make().unwrap();
    let seed = sk.seed();
    check_debug("SigningKey", &sk, &renderings(&seed[..]));
    let issuer = citizen_wallet_core::issuer::IssuerKey::generate().unwrap();
    check_debug("IssuerKey", &issuer, &renderings(&issuer.seed()[..]));

    let p = SoftwareKeyProvider::make("kp").unwrap();
    check_debug("SoftwareKeyProvider", &p, &renderings(p.key_bytes()));

    // A wallet: neither its data key (via the wrapped slot, unwrapped here) nor its holder seed.
    let t = TestWallet::new(Method::provider());
    let Method::Provider(provider) = &t.method else {
        unreachable!()
    };
    let wrapped: Vec<u8> = rusqlite::Connection::open(t.db_path())
        .unwrap()
        .query_row("SELECT wrapped FROM key_slots WHERE slot = 'provider'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let dek: Zeroizing<Vec<u8>> = provider.unwrap(&wrapped).unwrap();
    check_debug("Wallet", &t.wallet, &renderings(&dek));
    t.wallet.lock();
    check_debug("locked Wallet", &t.wallet, &renderings(&dek));
}

#[test]
fn key_types_zeroize_on_drop() {
    fn zeroize_on_drop<T: ZeroizeOnDrop>() {}
    zeroize_on_drop::<DataKey>();
    // The holder and issuer keys wrap ed25519-dalek's key, built with its `zeroize` feature.
    zeroize_on_drop::<ed25519_dalek::SigningKey>();
    zeroize_on_drop::<Zeroizing<Vec<u8>>>();
    zeroize_on_drop::<Zeroizing<[u8; 32]>>();

    // Secret bytes handed out by the API come in zeroizing containers (checked by type).
    let sk = SigningKey::make().unwrap();
    let _: Zeroizing<[u8; 32]> = sk.seed();
    let p = SoftwareKeyProvider::make("kp").unwrap();
    let wrapped = p.wrap(&[7; 32]).unwrap();
    let _: Zeroizing<Vec<u8>> = p.unwrap(&wrapped).unwrap();
    let dk = DataKey::make().unwrap();
    let c = StoreCipher::new(&dk);
    let sealed = c.seal("t", "c", "r", b"x").unwrap();
    let _: Zeroizing<Vec<u8>> = c.open("t", "c", "r", &sealed).unwrap();
}

// ---------------------------------------------------------------- no log output

/// Source before the first `#[cfg(test)]` (test modules sit at the end of each file).
fn non_test_source(p: &Path) -> String {
    let s = std::fs::read_to_string(p).unwrap();
    match s.find("#[cfg(test)]") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn core_writes_no_log_lines() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 10);
    let forbidden = [
        "println!",
        "eprintln!",
        "print!",
        "eprint!",
        "dbg!",
        "log::",
        "tracing::",
        "std::io::stdout",
        "std::io::stderr",
        "io::stdout()",
        "io::stderr()",
    ];
    for f in &files {
        let src = non_test_source(f);
        for line in src.lines() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "{}: `{word}` outside tests: the core must not print or log ({line})",
                    f.display()
                );
            }
        }
    }
}
