//! The lists a counter holds: rollback, replay and future-dated trust and status lists are
//! refused, across restarts (hardening findings 2 and 3), and an out-of-date trust list gives a
//! stale verdict. The state file: typed errors, never overwritten.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as fixture;

use std::path::Path;

use citizen_wallet_core::internal::present;
use citizen_wallet_core::internal::SigningKey;
use citizen_wallet_core::model::{Credential, CredentialType};
use citizen_wallet_core::trust::{CounterState, ListUpdate, StateError, TrustList, STATE_FILE_NAME};
use citizen_wallet_core::{Error, RejectReason};
use citizen_wallet_core::{StaleReason, Verdict, VerdictStatus, Verifier, VerifierConfig};
use fixture::{all_credentials, World, DAY, T0};

const SKEW: u32 = 60;

fn first(ty: CredentialType) -> Credential {
    all_credentials()
        .into_iter()
        .find(|c| c.credential_type() == ty)
        .unwrap()
}

/// A presentation of a judicial record issued by the fixture's justice ministry, made at `at`.
fn judicial_qr(world: &World, holder: &SigningKey, at: i64) -> (String, u64) {
    let (issued, idx) = world.issue(&first(CredentialType::JudicialRecord), holder);
    let p = present(&issued, holder, &["status".to_owned()], None, None, at, None).unwrap();
    (p.qr_text, idx)
}

fn reason(v: &Verdict) -> Option<RejectReason> {
    v.reject_reason()
}

/// The position of the justice ministry's status list in `world.status`.
fn btp(world: &World) -> usize {
    world
        .status
        .iter()
        .position(|s| s.issuer_kid == world.btp.key.kid())
        .unwrap()
}

fn open(dir: &Path, world: &World) -> CounterState {
    CounterState::open(dir, &world.root.public()).unwrap()
}

/// A counter state in `dir` holding the fixture's trust list and every status list, each
/// checked to have been applied.
fn open_with_world_lists(dir: &Path, world: &World) -> CounterState {
    let mut state = open(dir, world);
    assert!(state
        .update_trust_list(&world.trust_bytes, T0, SKEW)
        .unwrap()
        .is_applied());
    for l in world.signed_status_lists() {
        assert!(state.update_status_list(&l, T0, SKEW).unwrap().is_applied());
    }
    state
}

fn state_file(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join(STATE_FILE_NAME)).unwrap()
}

// ------------------------------------------------------------------------------ finding 2

/// Hardening finding 2. Fails on the old code (main at 8e05c9a): a list replaced the held one
/// unless strictly older, so the pre-revocation list, signed in the same second as the one that
/// revokes, was accepted after it and the revoked credential verified VALID again.
#[test]
fn a_pre_revocation_status_list_signed_in_the_same_second_does_not_restore_valid() {
    let mut world = World::new();
    let holder = SigningKey::make().unwrap();
    let (qr, idx) = judicial_qr(&world, &holder, T0);
    let before = world.signed_status_lists();
    world.revoke(CredentialType::JudicialRecord, idx);
    let verifier = world.verifier();
    assert_eq!(
        reason(&verifier.verify_text(&qr).unwrap()),
        Some(RejectReason::Revoked)
    );
    // The replayed lists carry the same date as the revoking one.
    for l in &before {
        let _ = verifier.update_status_list(l);
    }
    assert_eq!(
        reason(&verifier.verify_text(&qr).unwrap()),
        Some(RejectReason::Revoked),
        "a replayed list restored a revoked credential"
    );
}

/// Hardening finding 2 (and fails on the old code the same way): a list dated in the future was
/// accepted, and then every real list, dated before it, was "older" and ignored: the revocation
/// never reached the counter.
#[test]
fn a_future_dated_status_list_is_refused_and_blocks_nothing() {
    let mut world = World::new();
    let holder = SigningKey::make().unwrap();
    let (qr, idx) = judicial_qr(&world, &holder, T0);
    let verifier = world.verifier();
    let mut future = world.status[btp(&world)].clone();
    future.issued_at = T0 + 30 * DAY;
    let future = future.sign(&world.btp.key).unwrap();
    let _ = verifier.update_status_list(&future);
    world.revoke(CredentialType::JudicialRecord, idx);
    for l in &world.signed_status_lists() {
        let _ = verifier.update_status_list(l);
    }
    assert_eq!(
        reason(&verifier.verify_text(&qr).unwrap()),
        Some(RejectReason::Revoked)
    );
}

#[test]
fn status_list_updates_answer_with_a_typed_outcome() {
    let mut world = World::new();
    let holder = SigningKey::make().unwrap();
    let (qr, idx) = judicial_qr(&world, &holder, T0);
    let verifier = world.verifier();
    let pos = btp(&world);
    let held = world.signed_status_lists().remove(pos);
    assert_eq!(
        verifier.update_status_list(&held).unwrap(),
        ListUpdate::SameAsCurrent
    );
    // Dated past now + skew: refused; at now + skew: still accepted (clocks differ).
    let mut l = world.status[pos].clone().with_sequence(5);
    l.issued_at = T0 + i64::from(SKEW) + 1;
    let u = verifier
        .update_status_list(&l.sign(&world.btp.key).unwrap())
        .unwrap();
    assert_eq!(u, ListUpdate::FromTheFuture);
    assert!(u.is_refused());
    // The same number with other content: the issuer signed two histories.
    let mut conflicting = world.status[pos].clone();
    conflicting.revoke(idx).unwrap();
    assert_eq!(
        verifier
            .update_status_list(&conflicting.sign(&world.btp.key).unwrap())
            .unwrap(),
        ListUpdate::ConflictsWithCurrent
    );
    // A higher number dated before the held list.
    let mut earlier = conflicting.clone().with_sequence(2);
    earlier.issued_at = T0 - 7200;
    assert_eq!(
        verifier
            .update_status_list(&earlier.sign(&world.btp.key).unwrap())
            .unwrap(),
        ListUpdate::ConflictsWithCurrent
    );
    assert_eq!(
        verifier.verify_text(&qr).unwrap().status,
        VerdictStatus::Valid,
        "nothing refused was applied"
    );
    // The next edition, dated within the skew: applied.
    world.revoke(CredentialType::JudicialRecord, idx);
    world.status[pos].issued_at = T0 + i64::from(SKEW);
    let next = world.signed_status_lists().remove(pos);
    assert_eq!(verifier.update_status_list(&next).unwrap(), ListUpdate::Applied);
    assert_eq!(
        reason(&verifier.verify_text(&qr).unwrap()),
        Some(RejectReason::Revoked)
    );
    assert_eq!(
        verifier.update_status_list(&held).unwrap(),
        ListUpdate::OlderThanCurrent
    );
    // A bad signature is an error, not an outcome, and changes nothing.
    let mut forged = next.clone();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    assert!(matches!(
        verifier.update_status_list(&forged),
        Err(Error::Rejected(RejectReason::BadTrustData))
    ));
    assert_eq!(
        reason(&verifier.verify_text(&qr).unwrap()),
        Some(RejectReason::Revoked)
    );
    // Built with a future-dated list: an error, not a silently ignored list.
    assert!(matches!(
        Verifier::new(
            &world.trust_bytes,
            &world.root.public(),
            &[l.sign(&world.btp.key).unwrap()],
            VerifierConfig::default(),
            world.clock.clone(),
        ),
        Err(Error::InvalidInput(e)) if e.field == "status list"
    ));
}

/// Hardening finding 2: the "never older" rule survives a restart of the counter. (No counter
/// state existed on the old code: a restarted verifier took any list inside its maximum age.)
#[test]
fn status_list_rollback_is_refused_across_a_restart() {
    let mut world = World::new();
    let holder = SigningKey::make().unwrap();
    let (qr, idx) = judicial_qr(&world, &holder, T0);
    let dir = tempfile::tempdir().unwrap();
    let pos = btp(&world);
    let before = world.signed_status_lists().remove(pos);
    {
        let mut state = open(dir.path(), &world);
        assert!(state.trust_list().is_none());
        assert_eq!(
            state.update_trust_list(&world.trust_bytes, T0, SKEW).unwrap(),
            ListUpdate::Applied
        );
        let verifier = Verifier::from_state(state, VerifierConfig::default(), world.clock.clone()).unwrap();
        assert_eq!(verifier.update_status_list(&before).unwrap(), ListUpdate::Applied);
        world.revoke(CredentialType::JudicialRecord, idx);
        let revoking = world.signed_status_lists().remove(pos);
        assert_eq!(
            verifier.update_status_list(&revoking).unwrap(),
            ListUpdate::Applied
        );
        assert_eq!(
            reason(&verifier.verify_text(&qr).unwrap()),
            Some(RejectReason::Revoked)
        );
    }
    // The counter restarts and is offered the pre-revocation list again.
    let saved = state_file(dir.path());
    let state = open(dir.path(), &world);
    assert_eq!(state.status_list(&world.btp.key.kid()).unwrap().sequence, 2);
    let verifier = Verifier::from_state(state, VerifierConfig::default(), world.clock.clone()).unwrap();
    assert_eq!(
        reason(&verifier.verify_text(&qr).unwrap()),
        Some(RejectReason::Revoked)
    );
    assert_eq!(
        verifier.update_status_list(&before).unwrap(),
        ListUpdate::OlderThanCurrent
    );
    assert_eq!(
        reason(&verifier.verify_text(&qr).unwrap()),
        Some(RejectReason::Revoked)
    );
    assert_eq!(state_file(dir.path()), saved, "a refused list writes nothing");
    // And once more, through `new` on top of a state: still refused.
    drop(verifier);
    let mut state = open(dir.path(), &world);
    assert_eq!(
        state.update_status_list(&before, T0, SKEW).unwrap(),
        ListUpdate::OlderThanCurrent
    );
}

// ------------------------------------------------------------------------------ finding 3

/// Hardening finding 3. Fails on the old code (main at 8e05c9a): a trust list had no next
/// update, so one 40 days old still gave VALID with fresh status lists.
#[test]
fn an_expired_trust_list_gives_a_stale_verdict_not_a_valid_one() {
    let mut world = World::new();
    let later = T0 + 40 * DAY;
    world.clock.set(later);
    for s in &mut world.status {
        s.issued_at = later - 3600;
    }
    let holder = SigningKey::make().unwrap();
    let (qr, _) = judicial_qr(&world, &holder, later);
    let v = world.verifier().verify_text(&qr).unwrap();
    assert!(
        matches!(v.status, VerdictStatus::ValidStale { .. }),
        "{}",
        v.summary()
    );
    assert!(
        v.summary().contains("trust list is out of date"),
        "{}",
        v.summary()
    );
}

#[test]
fn trust_list_expiry_is_its_next_update_and_says_so_in_both_languages() {
    let world = World::new();
    let trust = TrustList::parse_verify(&world.trust_bytes, &world.root.public()).unwrap();
    assert_eq!((trust.sequence, trust.next_update), (1, T0 - DAY + 30 * DAY));
    let holder = SigningKey::make().unwrap();
    let verifier = world.verifier();
    for (at, stale) in [(trust.next_update, false), (trust.next_update + 1, true)] {
        world.clock.set(at);
        let (qr, _) = judicial_qr(&world, &holder, at);
        let v = verifier.verify_text(&qr).unwrap();
        // The fixture's status lists are 7 days old by then: the trust list's reason wins.
        let want = if stale {
            StaleReason::TrustListExpired
        } else {
            StaleReason::StatusListExpired
        };
        assert_eq!(
            v.status,
            VerdictStatus::ValidStale {
                as_of: Some(T0 - 3600),
                reason: want
            },
            "at {at}"
        );
    }
    let v = verifier
        .verify_text(&judicial_qr(&world, &holder, trust.next_update + 1).0)
        .unwrap();
    assert!(
        v.summary_vi().contains("danh sách tin cậy đã quá hạn"),
        "{}",
        v.summary_vi()
    );
    // Revoked stays invalid, whatever the trust list's age.
    let mut world = World::new();
    let (qr, idx) = judicial_qr(&world, &holder, T0 + 40 * DAY);
    world.revoke(CredentialType::JudicialRecord, idx);
    world.clock.set(T0 + 40 * DAY);
    assert_eq!(
        reason(&world.verifier().verify_text(&qr).unwrap()),
        Some(RejectReason::Revoked)
    );
}

/// A trust list v2 that removed the justice ministry (say, its key leaked), signed by the root.
fn v2_without_btp(world: &World, sequence: u64) -> Vec<u8> {
    let mut v2 = world.trust.clone().with_sequence(sequence);
    v2.issued_at = T0 - 60;
    v2.next_update = T0 + 30 * DAY;
    v2.issuers.retain(|i| i.iss != "BTP");
    v2.sign(&world.root).unwrap()
}

/// Hardening finding 3: a counter that has seen v2 refuses v1 and the issuer v2 removed, after
/// restarts too. (The old code had no sequence and no way to hold a newer trust list.)
#[test]
fn trust_list_rollback_is_refused_across_a_restart() {
    let world = World::new();
    let holder = SigningKey::make().unwrap();
    let (qr, _) = judicial_qr(&world, &holder, T0);
    let dir = tempfile::tempdir().unwrap();
    let v1 = world.trust_bytes.clone();
    let v2 = v2_without_btp(&world, 2);
    {
        let mut state = open(dir.path(), &world);
        assert_eq!(
            state.update_trust_list(&v1, T0, SKEW).unwrap(),
            ListUpdate::Applied
        );
        for l in world.signed_status_lists() {
            assert_eq!(
                state.update_status_list(&l, T0, SKEW).unwrap(),
                ListUpdate::Applied
            );
        }
        let verifier = Verifier::from_state(state, VerifierConfig::default(), world.clock.clone()).unwrap();
        assert_eq!(verifier.verify_text(&qr).unwrap().status, VerdictStatus::Valid);
        assert_eq!(verifier.update_trust_list(&v2).unwrap(), ListUpdate::Applied);
        assert_eq!(
            reason(&verifier.verify_text(&qr).unwrap()),
            Some(RejectReason::UnknownIssuer)
        );
        assert_eq!(verifier.trust_list().sequence, 2);
    }
    let state = open(dir.path(), &world);
    assert_eq!(state.trust_list().unwrap().sequence, 2);
    assert!(
        state.status_list(&world.btp.key.kid()).is_none(),
        "the removed issuer's status list went with it"
    );
    assert_eq!(state.status_lists().count(), 3);
    let verifier = Verifier::from_state(state, VerifierConfig::default(), world.clock.clone()).unwrap();
    assert_eq!(
        verifier.update_trust_list(&v1).unwrap(),
        ListUpdate::OlderThanCurrent
    );
    assert_eq!(
        reason(&verifier.verify_text(&qr).unwrap()),
        Some(RejectReason::UnknownIssuer)
    );
    assert_eq!(
        verifier.update_trust_list(&v2).unwrap(),
        ListUpdate::SameAsCurrent
    );
    // A v2 signed in the same series with other content, and a v3 dated in the future.
    let other_v2 = world.trust.clone().with_sequence(2).sign(&world.root).unwrap();
    assert_eq!(
        verifier.update_trust_list(&other_v2).unwrap(),
        ListUpdate::ConflictsWithCurrent
    );
    let mut v3 = world.trust.clone().with_sequence(3);
    v3.issued_at = T0 + 3600;
    v3.next_update = T0 + 30 * DAY;
    assert_eq!(
        verifier
            .update_trust_list(&v3.sign(&world.root).unwrap())
            .unwrap(),
        ListUpdate::FromTheFuture
    );
    assert_eq!(
        reason(&verifier.verify_text(&qr).unwrap()),
        Some(RejectReason::UnknownIssuer)
    );
    // A trust list from another root is an error and changes nothing.
    let rogue = citizen_wallet_core::issuer::IssuerKey::generate().unwrap();
    assert!(matches!(
        verifier.update_trust_list(&world.trust.clone().with_sequence(9).sign(&rogue).unwrap()),
        Err(Error::Rejected(RejectReason::BadTrustData))
    ));
    assert_eq!(verifier.trust_list().sequence, 2);
    // Built on a future-dated trust list: an error.
    assert!(matches!(
        Verifier::new(
            &v3.sign(&world.root).unwrap(),
            &world.root.public(),
            &[],
            VerifierConfig::default(),
            world.clock.clone()
        ),
        Err(Error::InvalidInput(e)) if e.field == "trust list"
    ));
}

#[test]
fn a_trust_list_without_a_sequence_or_next_update_is_refused_and_signing_checks_the_dates() {
    let world = World::new();
    let mut bad = world.trust.clone();
    bad.next_update = bad.issued_at;
    assert!(matches!(bad.sign(&world.root), Err(Error::InvalidInput(_))));
    // Old-format lists (no "seq", no "next_update") are refused: nothing was deployed before.
    use citizen_wallet_core::internal::cbor::{self, Value};
    use citizen_wallet_core::internal::cose::Sign1;
    let s = Sign1::parse(&world.trust_bytes, usize::MAX).unwrap();
    for drop_key in ["seq", "next_update"] {
        let payload: Vec<(Value, Value)> = s
            .payload_map(usize::MAX)
            .unwrap()
            .into_iter()
            .filter(|(k, _)| *k != Value::text(drop_key))
            .collect();
        let signer = citizen_wallet_core::internal::SigningKey::from_seed(&[1; 32]).unwrap();
        let protected = s
            .protected
            .iter()
            .filter(|(k, _)| *k != Value::int(1))
            .cloned()
            .collect();
        let old = Sign1::sign(&signer, protected, Vec::new(), cbor::encode(&Value::Map(payload))).to_bytes();
        assert!(
            matches!(
                TrustList::parse_verify(&old, &world.root.public()),
                Err(Error::Rejected(RejectReason::BadTrustData))
            ),
            "{drop_key}"
        );
    }
}

// ------------------------------------------------------------------------------ the state file

#[test]
fn a_damaged_foreign_newer_or_other_root_state_file_is_a_typed_error_and_left_untouched() {
    let world = World::new();
    let dir = tempfile::tempdir().unwrap();
    open_with_world_lists(dir.path(), &world);
    let good = state_file(dir.path());
    let path = dir.path().join(STATE_FILE_NAME);
    let problem = |bytes: &[u8], root: &[u8; 32]| -> StateError {
        std::fs::write(&path, bytes).unwrap();
        let e = CounterState::open(dir.path(), root).unwrap_err();
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "left untouched");
        match e {
            Error::CounterState(p) => p,
            other => panic!("not a state error: {other}"),
        }
    };
    let root = world.root.public();
    assert_eq!(problem(b"", &root), StateError::Foreign);
    assert_eq!(problem(b"SQLite format 3\0", &root), StateError::Foreign);
    assert_eq!(problem(&good[..8], &root), StateError::Damaged);
    assert_eq!(problem(&good[..good.len() - 1], &root), StateError::Damaged);
    let other_root = citizen_wallet_core::issuer::IssuerKey::generate()
        .unwrap()
        .public();
    assert_eq!(problem(&good, &other_root), StateError::OtherRootKey);
    // The format version, one byte after the "version" key.
    let at = good.windows(7).position(|w| w == b"version").unwrap() + 7;
    assert_eq!(good[at], 1);
    let mut newer = good.clone();
    newer[at] = 3;
    assert_eq!(problem(&newer, &root), StateError::NewerVersion);
    // Version 2 (a counter's open requests) must carry them.
    newer[at] = 2;
    assert_eq!(problem(&newer, &root), StateError::Damaged);
    // Every single bit flip is refused, with a typed error: the lists are verified again.
    for i in 0..good.len() {
        let mut b = good.clone();
        b[i] ^= 0x01;
        std::fs::write(&path, &b).unwrap();
        match CounterState::open(dir.path(), &root) {
            Err(Error::CounterState(_)) => {}
            Err(other) => panic!("byte {i}: {other}"),
            Ok(_) => panic!("byte {i}: a damaged state loaded"),
        }
    }
    // A refused file is never overwritten: there is no state object to write it with.
    std::fs::write(&path, &good).unwrap();
    let state = open(dir.path(), &world);
    assert_eq!(state.status_lists().count(), 4);
    assert_eq!(state.path(), Some(path.as_path()));
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [STATE_FILE_NAME]);
    // A state without a trust list cannot make a verifier.
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        Verifier::from_state(
            open(empty.path(), &world),
            VerifierConfig::default(),
            world.clock.clone()
        ),
        Err(Error::NotFound("trust list"))
    ));
    assert!(matches!(
        open(empty.path(), &world).update_status_list(&world.signed_status_lists()[0], T0, SKEW),
        Err(Error::NotFound("trust list"))
    ));
}

/// Load time and size of a counter state: the fixture's (4 issuers, 4,096-entry status lists)
/// and a large one (1,000 issuers, 65,536-entry lists with 1 % revoked). Debug build timings
/// (the crypto crates are optimised in tests too); run with `--ignored --nocapture`.
#[test]
#[ignore = "a measurement"]
fn measure_counter_state_load() {
    use citizen_wallet_core::issuer::IssuerKey;
    use citizen_wallet_core::trust::{StatusList, TrustedIssuer};
    let world = World::new();
    let dir = tempfile::tempdir().unwrap();
    open_with_world_lists(dir.path(), &world);
    let time_open = |dir: &Path, root: &[u8; 32], label: &str| {
        let bytes = std::fs::metadata(dir.join(STATE_FILE_NAME)).unwrap().len();
        let runs = 20;
        let t = std::time::Instant::now();
        for _ in 0..runs {
            CounterState::open(dir, root).unwrap();
        }
        println!("{label}: {bytes} bytes, open {:?}", t.elapsed() / runs);
    };
    time_open(
        dir.path(),
        &world.root.public(),
        "fixture (4 issuers, 4,096 entries)",
    );

    let keys: Vec<IssuerKey> = (0..1000u16)
        .map(|i| {
            let mut s = [7u8; 32];
            s[..2].copy_from_slice(&i.to_be_bytes());
            IssuerKey::from_seed(&s).unwrap()
        })
        .collect();
    let trust = keys
        .iter()
        .enumerate()
        .fold(TrustList::new(T0 - DAY), |t, (i, k)| {
            t.with(TrustedIssuer::new(
                k.public(),
                format!("I{i}"),
                "Tên",
                "Name",
                T0 - DAY,
                T0 + 365 * DAY,
                &[CredentialType::CitizenId],
            ))
        });
    let big = tempfile::tempdir().unwrap();
    let mut state = open(big.path(), &world);
    assert!(state
        .update_trust_list(&trust.sign(&world.root).unwrap(), T0, SKEW)
        .unwrap()
        .is_applied());
    let t = std::time::Instant::now();
    for k in &keys {
        let mut l = StatusList::new(k.kid(), 65_536, T0 - 3600, 7 * 86_400).unwrap();
        for idx in (0..65_536).step_by(100) {
            l.revoke(idx).unwrap();
        }
        assert!(state
            .update_status_list(&l.sign(k).unwrap(), T0, SKEW)
            .unwrap()
            .is_applied());
    }
    println!(
        "1,000 status lists applied one by one (each saved): {:?}",
        t.elapsed()
    );
    time_open(
        big.path(),
        &world.root.public(),
        "1,000 issuers, 65,536 entries each",
    );
}
