//! The encrypted store, as the spec: what a wallet keeps, what an attacker with its files sees,
//! and how it fails. The suite runs once with a PIN and once with a platform key provider.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as common;

use std::sync::Arc;

use citizen_wallet_core::model::{Credential, CredentialType};
use citizen_wallet_core::{Error, SoftwareKeyProvider, Unlock, Wallet};
use common::*;
use rusqlite::Connection;
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------- the suite, run twice

fn suite(method: fn() -> Method) {
    add_get_list_delete_round_trip(method());
    nothing_personal_reaches_the_disk(method());
    a_sealed_value_moved_to_another_row_is_tampering(method());
    a_flipped_byte_is_tampering(method());
    a_swapped_type_tag_is_tampering(method());
    locked_wallet_refuses_everything(method());
    data_survives_reopening(method());
}

#[test]
fn store_suite_with_pin() {
    suite(Method::pin);
}

#[test]
fn store_suite_with_key_provider() {
    suite(Method::provider);
}

fn add_get_list_delete_round_trip(method: Method) {
    let t = TestWallet::new(method);
    let creds = all_credentials();
    let mut ids = Vec::new();
    for c in &creds {
        ids.push(t.wallet.add(c).unwrap());
    }
    for (id, c) in ids.iter().zip(&creds) {
        let got = t.wallet.get(id).unwrap();
        assert_eq!(&got.credential, c);
        assert!(!got.signed);
        assert_eq!(got.added_at, T0);
    }
    assert_eq!(t.wallet.list(None).unwrap().len(), creds.len());
    for ty in CredentialType::ALL {
        let want = creds.iter().filter(|c| c.credential_type() == ty).count();
        let got = t.wallet.list(Some(ty)).unwrap();
        assert_eq!(got.len(), want, "{ty}");
        assert!(got.iter().all(|s| s.credential.credential_type() == ty));
    }
    // Summaries: the same rows in the same order, without opening the credentials.
    let full = t.wallet.list(None).unwrap();
    let summaries = t.wallet.list_summaries(None).unwrap();
    assert_eq!(summaries.len(), full.len());
    for (s, f) in summaries.iter().zip(&full) {
        assert_eq!((&s.id, s.signed, s.added_at), (&f.id, f.signed, f.added_at));
        assert_eq!(s.credential_type, f.credential.credential_type());
        assert!(!s.label.is_empty() && s.expires_at.is_none());
    }
    for ty in CredentialType::ALL {
        let want: Vec<String> = t
            .wallet
            .list(Some(ty))
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        let got: Vec<String> = t
            .wallet
            .list_summaries(Some(ty))
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(got, want, "{ty}");
    }
    t.wallet.delete(&ids[0]).unwrap();
    assert!(matches!(t.wallet.get(&ids[0]), Err(Error::NotFound(_))));
    assert!(matches!(t.wallet.delete(&ids[0]), Err(Error::NotFound(_))));
    assert_eq!(t.wallet.list(None).unwrap().len(), creds.len() - 1);
    assert!(matches!(t.wallet.get("not-an-id"), Err(Error::InvalidInput(_))));
}

/// The five sample people's names (NFC and NFD), ID numbers, BHYT codes and diagnosis codes
/// appear nowhere in the database files.
fn nothing_personal_reaches_the_disk(method: Method) {
    let t = TestWallet::new(method);
    t.wallet.add_all(&all_credentials()).unwrap();
    for c in all_credentials() {
        t.wallet.add(&c).unwrap();
    }
    let bytes = all_db_bytes(&t.db_path());
    assert!(bytes.len() > 4096);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data_dir().join("people.json")).unwrap()).unwrap();
    let mut secrets: Vec<String> = Vec::new();
    for p in json["people"].as_array().unwrap() {
        let name = p["full_name"].as_str().unwrap();
        secrets.push(name.nfc().collect());
        secrets.push(name.nfd().collect());
        secrets.push(p["citizen_id"].as_str().unwrap().into());
        secrets.push(p["old_id"].as_str().unwrap().into());
        secrets.push(p["bhyt"]["code"].as_str().unwrap().into());
        secrets.push(p["address"].as_str().unwrap().into());
        for v in p["health_book"]["visits"].as_array().unwrap() {
            for d in v["diagnoses"].as_array().unwrap() {
                secrets.push(d.as_str().unwrap().into());
            }
        }
        for d in p["health_book"]["chronic"].as_array().unwrap() {
            secrets.push(d.as_str().unwrap().into());
        }
    }
    secrets.retain(|s| !s.is_empty());
    assert!(secrets.len() > 25);
    for s in &secrets {
        assert!(
            !contains(&bytes, s.as_bytes()),
            "plaintext personal value found on disk ({} bytes)",
            s.len()
        );
    }
}

fn first_two_ids(t: &TestWallet) -> (String, String) {
    let a = t.wallet.add(&all_credentials()[0]).unwrap();
    let b = t.wallet.add(&all_credentials()[1]).unwrap();
    assert_ne!(
        all_credentials()[0].credential_type(),
        all_credentials()[1].credential_type()
    );
    (a, b)
}

fn raw(t: &TestWallet) -> Connection {
    Connection::open(t.db_path()).unwrap()
}

fn a_sealed_value_moved_to_another_row_is_tampering(method: Method) {
    let t = TestWallet::new(method);
    let (a, b) = first_two_ids(&t);
    let db = raw(&t);
    db.execute(
        "UPDATE credentials SET payload_sealed = (SELECT payload_sealed FROM credentials WHERE id = ?1),
                                type_tag = (SELECT type_tag FROM credentials WHERE id = ?1) WHERE id = ?2",
        [&a, &b],
    )
    .unwrap();
    assert!(matches!(t.wallet.get(&b), Err(Error::Tampered(_))));
    assert!(matches!(t.wallet.list(None), Err(Error::Tampered(_))));
    // The untouched row still reads.
    assert_eq!(t.wallet.get(&a).unwrap().credential, all_credentials()[0]);
}

fn a_flipped_byte_is_tampering(method: Method) {
    let t = TestWallet::new(method);
    let (a, _) = first_two_ids(&t);
    let db = raw(&t);
    let sealed: Vec<u8> = db
        .query_row(
            "SELECT payload_sealed FROM credentials WHERE id = ?1",
            [&a],
            |r| r.get(0),
        )
        .unwrap();
    for pos in [0, 1, 24, sealed.len() / 2, sealed.len() - 1] {
        let mut bad = sealed.clone();
        bad[pos] ^= 0x01;
        db.execute(
            "UPDATE credentials SET payload_sealed = ?1 WHERE id = ?2",
            rusqlite::params![bad, a],
        )
        .unwrap();
        assert!(
            matches!(t.wallet.get(&a), Err(Error::Tampered(_))),
            "flip at {pos}"
        );
    }
    db.execute(
        "UPDATE credentials SET payload_sealed = ?1 WHERE id = ?2",
        rusqlite::params![sealed, a],
    )
    .unwrap();
    assert!(t.wallet.get(&a).is_ok());
}

fn a_swapped_type_tag_is_tampering(method: Method) {
    let t = TestWallet::new(method);
    let (a, b) = first_two_ids(&t);
    let db = raw(&t);
    db.execute(
        "UPDATE credentials SET type_tag = (SELECT type_tag FROM credentials WHERE id = ?1) WHERE id = ?2",
        [&b, &a],
    )
    .unwrap();
    assert!(matches!(t.wallet.get(&a), Err(Error::Tampered(_))));
}

fn locked_wallet_refuses_everything(method: Method) {
    let t = TestWallet::new(method);
    let (a, _) = first_two_ids(&t);
    t.wallet.lock();
    assert!(t.wallet.is_locked());
    assert!(matches!(t.wallet.get(&a), Err(Error::Locked)));
    assert!(matches!(t.wallet.list(None), Err(Error::Locked)));
    assert!(matches!(t.wallet.add(&all_credentials()[0]), Err(Error::Locked)));
    assert!(matches!(t.wallet.delete(&a), Err(Error::Locked)));
    assert!(matches!(t.wallet.holder_public_key(), Err(Error::Locked)));
    t.wallet.unlock(t.method.unlock()).unwrap();
    assert!(t.wallet.get(&a).is_ok());
}

fn data_survives_reopening(method: Method) {
    let mut t = TestWallet::new(method);
    let holder = t.wallet.holder_public_key().unwrap();
    let ids = t.wallet.add_all(&all_credentials()).unwrap();
    t.reopen();
    assert_eq!(t.wallet.holder_public_key().unwrap(), holder);
    for (id, c) in ids.iter().zip(all_credentials()) {
        assert_eq!(t.wallet.get(id).unwrap().credential, c);
    }
}

// ---------------------------------------------------------------- PIN and keys

fn table_dump(t: &TestWallet) -> Vec<(String, Vec<u8>)> {
    table_dump_at(&t.db_path())
}

#[test]
fn wrong_pin_is_typed_changes_nothing_backs_off_persistently_and_right_pin_still_opens() {
    let t = TestWallet::new(Method::pin());
    t.wallet.add_all(&all_credentials()).unwrap();
    let before = table_dump(&t);
    let path = t.db_path();
    drop(t.wallet);
    let opts = options(&t.clock);

    match Wallet::open(&path, Unlock::Pin("000000"), opts.clone()) {
        Err(Error::WrongPin {
            retry_after_secs,
            failed_attempts,
        }) => {
            assert_eq!((retry_after_secs, failed_attempts), (1, 1));
        }
        other => panic!("expected WrongPin, got {other:?}"),
    }
    assert_eq!(table_dump_at(&path), before, "a wrong PIN changed stored data");

    // Back-off is enforced before Argon2 runs, even with the right PIN, and survives reopening.
    let second = Wallet::open(&path, Unlock::Pin("111111"), opts.clone());
    assert!(
        matches!(second, Err(Error::Backoff { retry_after_secs: 1 })),
        "{second:?}"
    );
    t.clock.advance(1);
    assert!(matches!(
        Wallet::open(&path, Unlock::Pin("111111"), opts.clone()),
        Err(Error::WrongPin {
            failed_attempts: 2,
            retry_after_secs: 2
        })
    ));
    assert!(matches!(
        Wallet::open(&path, Unlock::Pin(PIN), opts.clone()),
        Err(Error::Backoff { retry_after_secs: 2 })
    ));
    let locked = Wallet::open_locked(&path, opts.clone()).unwrap();
    assert_eq!(locked.pin_retry_after_secs().unwrap(), 2);
    drop(locked);

    t.clock.advance(2);
    let w = Wallet::open(&path, Unlock::Pin(PIN), opts.clone()).unwrap();
    assert_eq!(w.list(None).unwrap().len(), all_credentials().len());
    assert_eq!(
        w.pin_retry_after_secs().unwrap(),
        0,
        "a right PIN resets the back-off"
    );
    // The error message carries no PIN.
    let e = Wallet::open(&path, Unlock::Pin("987654"), opts).unwrap_err();
    assert!(!e.to_string().contains("987654") && !format!("{e:?}").contains("987654"));
}

fn table_dump_at(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let db = Connection::open(path).unwrap();
    let mut stmt = db
        .prepare("SELECT id, payload_sealed FROM credentials ORDER BY id")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    let mut v: Vec<(String, Vec<u8>)> = rows.map(|r| r.unwrap()).collect();
    let slots: Vec<u8> = db
        .query_row("SELECT group_concat(hex(wrapped)) FROM key_slots", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap()
        .into_bytes();
    v.push(("slots".into(), slots));
    v
}

#[test]
fn pin_change_and_rekey_do_not_reencrypt_data() {
    let t = TestWallet::new(Method::pin());
    let ids = t.wallet.add_all(&all_credentials()).unwrap();
    let payloads = |t: &TestWallet| table_dump(t)[..ids.len()].to_vec();
    let before = payloads(&t);

    t.wallet.change_pin(PIN, "13579135").unwrap();
    let provider = SoftwareKeyProvider::make("keystore-2026").unwrap();
    t.wallet.set_key_provider(&provider).unwrap();
    assert_eq!(payloads(&t), before, "credential ciphertexts were rewritten");

    let opts = options(&t.clock);
    assert!(matches!(
        Wallet::open(t.db_path(), Unlock::Pin(PIN), opts.clone()),
        Err(Error::WrongPin { .. })
    ));
    t.clock.advance(10);
    let by_pin = Wallet::open(t.db_path(), Unlock::Pin("13579135"), opts.clone()).unwrap();
    let by_key = Wallet::open(t.db_path(), Unlock::Provider(&provider), opts.clone()).unwrap();
    for id in &ids {
        assert_eq!(by_pin.get(id).unwrap(), by_key.get(id).unwrap());
    }
    // Rekey to another platform key: the old one no longer opens.
    let provider3 = SoftwareKeyProvider::make("keystore-2027").unwrap();
    by_key.set_key_provider(&provider3).unwrap();
    assert!(matches!(
        Wallet::open(t.db_path(), Unlock::Provider(&provider), opts.clone()),
        Err(Error::WrongKey)
    ));
    assert!(Wallet::open(t.db_path(), Unlock::Provider(&provider3), opts).is_ok());
    // A wrong old PIN does not change the PIN.
    assert!(matches!(
        by_pin.change_pin("000000", "555555"),
        Err(Error::WrongPin { .. })
    ));
}

#[test]
fn weak_pin_and_existing_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.db");
    assert!(matches!(
        Wallet::create(&p, Unlock::Pin("123"), Default::default()),
        Err(Error::InvalidInput(_))
    ));
    assert!(!p.exists(), "a refused create leaves no file");
    let k = SoftwareKeyProvider::make("k").unwrap();
    Wallet::create(&p, Unlock::Provider(&k), Default::default()).unwrap();
    assert!(matches!(
        Wallet::create(&p, Unlock::Provider(&k), Default::default()),
        Err(Error::AlreadyExists(_))
    ));
    assert!(
        Wallet::open(&p, Unlock::Provider(&k), Default::default()).is_ok(),
        "the wallet survived"
    );
}

#[test]
fn invalid_credentials_are_refused_without_echoing_values() {
    let t = TestWallet::new(Method::provider());
    let mut c = all_credentials()[0].clone();
    if let Credential::CitizenId(card) = &mut c {
        card.citizen_id = "001192034518X".into();
    }
    let e = t.wallet.add(&c).unwrap_err();
    assert!(matches!(e, Error::InvalidInput(_)));
    assert!(!e.to_string().contains("001192034518X"));
    assert!(t.wallet.list(None).unwrap().is_empty());
}

// ---------------------------------------------------------------- concurrency

#[test]
fn eight_threads_adding_and_reading_a_thousand_each() {
    let t = TestWallet::new(Method::provider());
    let wallet = Arc::new(t.wallet);
    let creds = Arc::new(all_credentials());
    let handles: Vec<_> = (0..8)
        .map(|n| {
            let (w, creds) = (wallet.clone(), creds.clone());
            std::thread::spawn(move || {
                let mut mine = Vec::with_capacity(1000);
                for i in 0..1000 {
                    let c = &creds[(n + i) % creds.len()];
                    let id = w.add(c).unwrap();
                    assert_eq!(&w.get(&id).unwrap().credential, c);
                    mine.push((id, (n + i) % creds.len()));
                }
                mine
            })
        })
        .collect();
    let all: Vec<(String, usize)> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    assert_eq!(all.len(), 8000);
    let listed = wallet.list(None).unwrap();
    assert_eq!(listed.len(), 8000);
    let by_id: std::collections::HashMap<_, _> =
        listed.iter().map(|s| (s.id.clone(), &s.credential)).collect();
    for (id, idx) in &all {
        assert_eq!(by_id[id], &creds[*idx]);
    }
}

// ---------------------------------------------------------------- sizes at rest (finding 9)

/// `length(column)` of every credential row, by id.
fn sealed_lengths(t: &TestWallet, column: &str) -> std::collections::BTreeMap<String, i64> {
    let db = raw(t);
    let mut stmt = db
        .prepare(&format!("SELECT id, length({column}) FROM credentials"))
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.map(|r| r.unwrap()).collect()
}

/// The sealed size of a credential does not tell what is in it. On main (unpadded sealing) the
/// sample judicial records seal to 310 bytes (no conviction), 409 (no conviction, a long
/// status) and 467 (a conviction), so this test fails there; padded to a size bucket (1 KiB
/// here), all three seal to the same size, and so does every other sample credential.
#[test]
fn sealed_judicial_records_with_and_without_a_conviction_are_the_same_size() {
    let t = TestWallet::new(Method::provider());
    let judicial: Vec<Credential> = all_credentials()
        .into_iter()
        .filter(|c| c.credential_type() == CredentialType::JudicialRecord)
        .collect();
    let with_conviction = |c: &Credential| {
        c.to_value()["convictions"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    };
    assert!(judicial.iter().any(with_conviction) && !judicial.iter().all(with_conviction));
    let ids: Vec<String> = judicial.iter().map(|c| t.wallet.add(c).unwrap()).collect();
    let sizes = sealed_lengths(&t, "payload_sealed");
    let judicial_sizes: std::collections::BTreeSet<i64> = ids.iter().map(|id| sizes[id]).collect();
    assert_eq!(judicial_sizes.len(), 1, "sealed sizes differ: {judicial_sizes:?}");

    // Every sample credential of every type fits the same bucket.
    t.wallet.add_all(&all_credentials()).unwrap();
    let all: std::collections::BTreeSet<i64> = sealed_lengths(&t, "payload_sealed").into_values().collect();
    assert_eq!(all, judicial_sizes, "{all:?}");
    // And they still read back.
    for (id, c) in ids.iter().zip(&judicial) {
        assert_eq!(&t.wallet.get(id).unwrap().credential, c);
    }
}

/// A copy of `core/tests/data/wallet-schema2-seal-v1.sqlite` (see below) in a new temporary
/// directory: the directory, the copy's path, a clock at `T0` and the wallet's key provider.
fn old_wallet_copy() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Arc<citizen_wallet_core::FixedClock>,
    SoftwareKeyProvider,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wallet.db");
    std::fs::copy(data_dir().join("wallet-schema2-seal-v1.sqlite"), &path).unwrap();
    let clock = Arc::new(citizen_wallet_core::FixedClock::new(T0));
    let provider = SoftwareKeyProvider::from_key("old-wallet-keystore", &[0x17; 32]).unwrap();
    (dir, path, clock, provider)
}

/// A wallet written before sealed values were padded (schema 2, every value sealed as version
/// 1; `core/tests/data/wallet-schema2-seal-v1.sqlite`, made by the code of commit e59bf88 with the
/// sample PIN, a software key provider of key `[0x17; 32]` and the second sample person's five
/// credentials) still opens with both, reads back, and takes new, padded values beside its
/// old ones. Its first unlock runs migration 3, which rewrites its JSON payloads in CBOR: they
/// are sealed again, and so padded.
#[test]
fn a_wallet_written_before_padding_still_opens_and_grows() {
    let (_dir, path, clock, provider) = old_wallet_copy();
    let holder = "4616e2ff1d4406e3d6fabf8be0e135d9ce6de95c5e7fce12144619d56cf68b0b";
    let minh = people()[1].credentials().unwrap();

    let w = Wallet::open(&path, Unlock::Pin(PIN), options(&clock)).unwrap();
    assert_eq!(hex::encode(w.holder_public_key().unwrap()), holder);
    let listed: Vec<Credential> = w.list(None).unwrap().into_iter().map(|s| s.credential).collect();
    assert_eq!(listed.len(), minh.len());
    for c in &minh {
        assert!(listed.contains(c));
    }
    let new_id = w.add(&all_credentials()[0]).unwrap();
    let versions: Vec<(String, u8)> = {
        let db = Connection::open(&path).unwrap();
        let mut stmt = db
            .prepare("SELECT id, substr(payload_sealed, 1, 1) FROM credentials")
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, Vec<u8>>(1)?[0])))
            .unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    assert_eq!(versions.len(), minh.len() + 1);
    for (id, v) in &versions {
        assert_eq!(*v, 2, "{id}");
    }
    drop(w);
    let w = Wallet::open(&path, Unlock::Provider(&provider), options(&clock)).unwrap();
    assert_eq!(w.list(None).unwrap().len(), minh.len() + 1);
    assert_eq!(w.get(&new_id).unwrap().credential, all_credentials()[0]);
}

// ---------------------------------------------------------------- data key rotation (finding 10)

/// Copies the wallet's files (main and `-wal`) as they are: a backup, or what a thief or
/// another app takes. Taken with no write in progress, the copy is a consistent wallet.
fn copy_wallet(from: &std::path::Path, to: &std::path::Path) {
    for suffix in ["", "-wal"] {
        let src = std::path::PathBuf::from(format!("{}{suffix}", from.display()));
        if src.exists() {
            std::fs::copy(&src, format!("{}{suffix}", to.display())).unwrap();
        }
    }
}

/// An old copy of the wallet file and the old PIN: after `change_pin` alone they still open
/// what is added later (the residual: a PIN change rewraps the same data key); after a change
/// with `rotate_data_key` they open nothing added since.
///
/// On main this test does not build: there is no `rotate_data_key`, so a PIN change could
/// never stop an old copy and the old PIN from opening later data (the first half below
/// passes there and shows it).
#[test]
fn an_old_copy_and_the_old_pin_open_later_data_only_without_rotation() {
    const NEW_PIN: &str = "13579135";
    let later = all_credentials()[3].clone();
    for rotate in [false, true] {
        let mut t = TestWallet::new(Method::pin());
        t.wallet.add_all(&all_credentials()[..3]).unwrap();
        let old_copy = t.dir.path().join("old-copy.db");
        copy_wallet(&t.db_path(), &old_copy);

        if rotate {
            let n = t.wallet.rotate_data_key(&[Unlock::Pin(NEW_PIN)]).unwrap();
            assert_eq!(n, 3);
        } else {
            t.wallet.change_pin(PIN, NEW_PIN).unwrap();
        }
        let later_id = t.wallet.add(&later).unwrap();
        t.wallet = Wallet::open(t.db_path(), Unlock::Pin(NEW_PIN), options(&t.clock)).unwrap();
        assert_eq!(t.wallet.get(&later_id).unwrap().credential, later);

        // The thief's copy of the later file, with the old copy's PIN slot.
        let stolen = t.dir.path().join("stolen.db");
        copy_wallet(&t.db_path(), &stolen);
        splice_pin_slot(&old_copy, &stolen);
        let opened = Wallet::open(&stolen, Unlock::Pin(PIN), options(&t.clock));
        if rotate {
            assert!(
                matches!(opened, Err(Error::WrongKey)),
                "the old key opened the rotated wallet: {opened:?}"
            );
        } else {
            let w = opened.expect("without rotation the old PIN and slot open the later file");
            assert_eq!(w.get(&later_id).unwrap().credential, later, "the residual");
        }
        // And the old copy itself opens with the old PIN either way (it is the old wallet).
        assert_eq!(
            Wallet::open(&old_copy, Unlock::Pin(PIN), options(&t.clock))
                .unwrap()
                .list(None)
                .unwrap()
                .len(),
            3
        );
    }
}

/// Every sealed value of the wallet, by table and row.
fn sealed_values(path: &std::path::Path) -> Vec<(String, Option<Vec<u8>>)> {
    let db = Connection::open(path).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT 'canary', value FROM meta WHERE key = 'canary'",
        "SELECT 'seed', seed_sealed FROM holder_key",
        "SELECT 'payload ' || id, payload_sealed FROM credentials ORDER BY id",
        "SELECT 'issued ' || id, issued_sealed FROM credentials ORDER BY id",
        "SELECT 'tag ' || id, type_tag FROM credentials ORDER BY id",
        "SELECT 'slot ' || slot, wrapped FROM key_slots ORDER BY slot",
    ] {
        let mut stmt = db.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

/// Rotation re-encrypts every value and rewraps every slot, needs what each slot needs (no
/// slot dropped silently; a refused rotation changes nothing), keeps the holder key and the
/// credentials, pads values an older wallet sealed unpadded, and needs the wallet unlocked.
#[test]
fn rotation_reseals_everything_and_rewraps_every_slot_or_changes_nothing() {
    let (_dir, path, clock, provider) = old_wallet_copy();
    let w = Wallet::open(&path, Unlock::Provider(&provider), options(&clock)).unwrap();
    let holder = w.holder_public_key().unwrap();
    let before_list = w.list(None).unwrap();
    let before = sealed_values(&path);

    // The wallet has a PIN slot and a provider slot: each must be given, once.
    for (unlocks, field) in [
        (vec![Unlock::Provider(&provider)], "PIN"),
        (vec![Unlock::Pin(PIN)], "key provider"),
    ] {
        match w.rotate_data_key(&unlocks) {
            Err(Error::InvalidInput(e)) => assert_eq!(e.field, field),
            other => panic!("expected InvalidInput for {field}, got {other:?}"),
        }
    }
    for unlocks in [
        vec![],
        vec![Unlock::Pin(PIN), Unlock::PinBytes(PIN.as_bytes())],
        vec![Unlock::Provider(&provider), Unlock::Provider(&provider)],
    ] {
        assert!(matches!(w.rotate_data_key(&unlocks), Err(Error::InvalidInput(_))));
    }
    assert_eq!(
        sealed_values(&path),
        before,
        "a refused rotation changed the file"
    );

    let n = w
        .rotate_data_key(&[Unlock::Pin(PIN), Unlock::Provider(&provider)])
        .unwrap();
    assert_eq!(n, before_list.len());
    // The pages as they were before (sealed under the old key) do not linger in the -wal.
    let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
    assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
    let after = sealed_values(&path);
    assert_eq!(after.len(), before.len());
    for ((name, old), (name2, new)) in before.iter().zip(&after) {
        assert_eq!(name, name2);
        if old.is_some() {
            assert_ne!(old, new, "{name} was not rewritten");
        }
        if let (false, Some(new)) = (name.starts_with("tag") || name.starts_with("slot"), new) {
            assert_eq!(new[0], 2, "{name} is not sealed padded");
        }
    }
    // Same holder key, same credentials, in this handle and through both unlock methods.
    assert_eq!(w.holder_public_key().unwrap(), holder);
    assert_eq!(w.list(None).unwrap(), before_list);
    for unlock in [Unlock::Pin(PIN), Unlock::Provider(&provider)] {
        let again = Wallet::open(&path, unlock, options(&clock)).unwrap();
        assert_eq!(again.holder_public_key().unwrap(), holder);
        assert_eq!(again.list(None).unwrap(), before_list);
    }
    w.lock();
    assert!(matches!(
        w.rotate_data_key(&[Unlock::Pin(PIN), Unlock::Provider(&provider)]),
        Err(Error::Locked)
    ));
}

/// Another handle on the file (another process, say) that still holds the old key is told
/// `Error::Locked` instead of writing rows sealed under a key nobody has any more, or
/// misreading; it unlocks again and carries on. Threads of the rotating handle itself never
/// notice: their writes land before or after, under the right key.
#[test]
fn handles_holding_a_rotated_key_are_locked_and_no_write_is_lost() {
    let t = TestWallet::new(Method::provider());
    let ids = t.wallet.add_all(&all_credentials()[..4]).unwrap();
    let other = Wallet::open(t.db_path(), t.method.unlock(), options(&t.clock)).unwrap();
    assert_eq!(other.list(None).unwrap().len(), 4);

    let wallet = Arc::new(t.wallet);
    let writers: Vec<_> = (0..4)
        .map(|n| {
            let w = wallet.clone();
            std::thread::spawn(move || {
                (0..25)
                    .map(|i| w.add(&all_credentials()[(n + i) % 4]).unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut rotations = 0;
    while !writers.iter().all(|h| h.is_finished()) || rotations < 3 {
        wallet.rotate_data_key(&[t.method.unlock()]).unwrap();
        rotations += 1;
    }
    let added: Vec<String> = writers.into_iter().flat_map(|h| h.join().unwrap()).collect();
    assert_eq!(added.len(), 100);
    for id in ids.iter().chain(&added) {
        wallet.get(id).unwrap();
    }

    // The other handle: a write is refused, the handle is locked, nothing landed.
    assert!(matches!(other.add(&all_credentials()[0]), Err(Error::Locked)));
    assert!(other.is_locked());
    assert_eq!(wallet.list(None).unwrap().len(), 104);
    // A read through a stale key is `Locked` too, not `Tampered`.
    other.unlock(t.method.unlock()).unwrap();
    wallet.rotate_data_key(&[t.method.unlock()]).unwrap();
    assert!(matches!(other.get(&ids[0]), Err(Error::Locked)));
    assert!(matches!(
        other.set_key_provider(&SoftwareKeyProvider::make("k").unwrap()),
        Err(Error::Locked)
    ));
    other.unlock(t.method.unlock()).unwrap();
    assert_eq!(other.get(&ids[0]).unwrap().credential, all_credentials()[0]);
    other.add(&all_credentials()[0]).unwrap();
    assert_eq!(wallet.list(None).unwrap().len(), 105);
}

/// Rotation time for a few wallet sizes (not asserted: tests never assert wall-clock times).
/// `cargo test --release -p citizen-wallet-core --test store -- --ignored --nocapture measure_rotation`
#[test]
#[ignore = "measurement"]
fn measure_rotation() {
    for n in [10usize, 100, 1000, 10_000] {
        let t = TestWallet::new(Method::provider());
        let creds = all_credentials();
        let batch: Vec<_> = (0..n).map(|i| creds[i % creds.len()].clone()).collect();
        t.wallet.add_all(&batch).unwrap();
        let started = std::time::Instant::now();
        t.wallet.rotate_data_key(&[t.method.unlock()]).unwrap();
        println!(
            "rotate {n} credentials: {:.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
}

// ---------------------------------------------------------------- migration 3: the lean store

/// Per row, the sealed-format byte of its payload and of its summary (`None`: no summary).
type RowVersions = Vec<(Option<u8>, Option<u8>)>;

/// Every sealed payload's and summary's version byte, and the schema version, read raw.
fn raw_state(path: &std::path::Path) -> (u32, RowVersions) {
    let db = Connection::open(path).unwrap();
    let v: u32 = db.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let has_summary: bool = db
        .query_row(
            "SELECT count(*) FROM pragma_table_info('credentials') WHERE name = 'summary_sealed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let sql = if has_summary {
        "SELECT payload_sealed, summary_sealed FROM credentials ORDER BY id"
    } else {
        "SELECT payload_sealed, NULL FROM credentials ORDER BY id"
    };
    let mut stmt = db.prepare(sql).unwrap();
    let rows = stmt
        .query_map([], |r| {
            let p: Option<Vec<u8>> = r.get(0)?;
            let s: Option<Vec<u8>> = r.get(1)?;
            Ok((p.map(|p| p[0]), s.map(|s| s[0])))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (v, rows)
}

/// A copy of `core/tests/data/wallet-schema2-json.sqlite`: schema 2, payloads in JSON sealed
/// as version 2 (padded), made by the code of commit e671704 with a software key provider of
/// key `[0x17; 32]`, then the sample PIN, and the first sample person's five credentials added
/// by hand, then the same five imported, issued by the test world's issuers for this wallet's
/// holder key (valid from `T0 - DAY` to `T0 + 365 * DAY`).
fn json_wallet_copy() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Arc<citizen_wallet_core::FixedClock>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wallet.db");
    std::fs::copy(data_dir().join("wallet-schema2-json.sqlite"), &path).unwrap();
    (dir, path, Arc::new(citizen_wallet_core::FixedClock::new(T0)))
}

/// Migration 3 on a wallet of the previous format: it opens, its schema and then (at the first
/// unlock, which has the key) every row are migrated in one transaction each, and every
/// credential reads back exactly as before, with summaries that match.
#[test]
fn a_json_wallet_migrates_to_cbor_and_summaries_and_reads_back_identically() {
    let (_dir, path, clock) = json_wallet_copy();
    let an = people()[0].credentials().unwrap();
    let (v, rows) = raw_state(&path);
    assert_eq!((v, rows.len()), (2, 2 * an.len()));
    assert!(rows.iter().all(|r| *r == (Some(2), None)));

    // Opened locked: the schema is migrated, the rows (which need the key) are not yet.
    drop(Wallet::open_locked(&path, options(&clock)).unwrap());
    let (v, rows) = raw_state(&path);
    assert_eq!(v, 3);
    assert!(rows.iter().all(|r| *r == (Some(2), None)));

    let w = Wallet::open(&path, Unlock::Pin(PIN), options(&clock)).unwrap();
    assert_eq!(
        hex::encode(w.holder_public_key().unwrap()),
        "00959481da6b791dcee433ae79a71477c7da681d8c572d69df186476e286142e"
    );
    let (_, rows) = raw_state(&path);
    assert!(rows.iter().all(|r| *r == (Some(2), Some(2))), "{rows:?}");
    let check = |w: &Wallet| {
        let listed = w.list(None).unwrap();
        assert_eq!(listed.len(), 2 * an.len());
        for c in &an {
            let same: Vec<_> = listed.iter().filter(|s| s.credential == *c).collect();
            assert_eq!(same.len(), 2);
            assert_eq!(same.iter().filter(|s| s.signed).count(), 1);
            for s in same {
                assert_eq!(w.get(&s.id).unwrap(), *s);
            }
        }
        let summaries = w.list_summaries(None).unwrap();
        assert_eq!(summaries.len(), listed.len());
        for (s, f) in summaries.iter().zip(&listed) {
            assert_eq!(s.id, f.id);
            assert_eq!(s.credential_type, f.credential.credential_type());
            assert_eq!(s.signed, f.signed);
            let label = match &f.credential {
                Credential::CitizenId(c) => &c.full_name,
                Credential::HealthInsurance(c) => &c.full_name,
                Credential::HealthBook(c) => &c.full_name,
                Credential::JudicialRecord(c) => &c.full_name,
                Credential::ClinicCheckin(c) => &c.full_name,
            };
            assert_eq!(&s.label, label);
            if f.signed {
                let iss = World::new().issuer_for(s.credential_type).iss.clone();
                assert_eq!(s.issuer.as_deref(), Some(iss.as_str()));
                assert_eq!(s.expires_at, Some(T0 + 365 * DAY));
            } else {
                assert_eq!(s.expires_at, None);
            }
            match &f.credential {
                Credential::HealthInsurance(c) => assert_eq!(s.valid_to, Some(c.valid_to)),
                _ => assert_eq!(s.valid_to, None),
            }
            // Debug never shows the label.
            assert!(!format!("{s:?}").contains(label.as_str()));
        }
        // The imported ones still present.
        let signed = listed.iter().find(|s| s.signed).unwrap();
        w.disclosable_claims(&signed.id).unwrap();
    };
    check(&w);
    drop(w);
    let provider = SoftwareKeyProvider::from_key("old-wallet-keystore", &[0x17; 32]).unwrap();
    let w = Wallet::open(&path, Unlock::Provider(&provider), options(&clock)).unwrap();
    check(&w);
    // And nothing personal is on disk in the clear after the rewrite either.
    let bytes = all_db_bytes(&path);
    for p in &people()[..1] {
        assert!(!contains(&bytes, p.full_name.as_bytes()));
    }
}

/// A row that does not open (a flipped byte) does not stop the migration of the others, and is
/// left exactly as it was: it reads as tampered, as it did before.
#[test]
fn a_damaged_row_is_left_as_it_was_and_the_others_migrate() {
    let (_dir, path, clock) = json_wallet_copy();
    let victim: String = {
        let db = Connection::open(&path).unwrap();
        let (id, mut p): (String, Vec<u8>) = db
            .query_row(
                "SELECT id, payload_sealed FROM credentials ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        p[40] ^= 1;
        db.execute(
            "UPDATE credentials SET payload_sealed = ?2 WHERE id = ?1",
            rusqlite::params![id, p],
        )
        .unwrap();
        id
    };
    let w = Wallet::open(&path, Unlock::Pin(PIN), options(&clock)).unwrap();
    assert!(matches!(w.get(&victim), Err(Error::Tampered(_))));
    assert!(matches!(w.list_summaries(None), Err(Error::Tampered(_))));
    let (_, rows) = raw_state(&path);
    assert_eq!(rows.iter().filter(|r| r.1.is_none()).count(), 1);
    drop(w);
    // Unlocking again tries again, and still refuses nothing else.
    let w = Wallet::open(&path, Unlock::Pin(PIN), options(&clock)).unwrap();
    let ids: Vec<String> = {
        let db = Connection::open(&path).unwrap();
        let mut stmt = db.prepare("SELECT id FROM credentials WHERE id != ?1").unwrap();
        let rows = stmt.query_map([&victim], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert_eq!(ids.len(), 9);
    for id in ids {
        w.get(&id).unwrap();
    }
}
