//! Property test: random sequences of store operations give the same answers as a model.
//!
//! The model is a map `id -> (sample credential, added_at)` plus a locked flag. Operations: add
//! one, add a batch, add an invalid credential, get (an existing id, a missing id, a malformed
//! id), list (all, or one type), delete (existing, missing, malformed), present (self-added
//! credentials cannot be presented), lock, unlock with the right key, unlock with a wrong key,
//! reopen (unlocked), reopen locked, and clock ticks. After every operation the wallet's answer
//! must equal the model's (the same value, or the same error kind), and after the sequence the
//! whole wallet must equal the model.
//!
//! `PROPTEST_CASES` sets the number of sequences (default 256); failures shrink to a minimal
//! sequence and are saved under `proptest-regressions/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use citizen_wallet_core::model::{Credential, CredentialType};
use citizen_wallet_core::FixedClock;
use citizen_wallet_core::PresentationRequest;
use citizen_wallet_core::{Error, SoftwareKeyProvider, StoredCredential, Unlock, Wallet};
use common::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};

fn samples() -> &'static [Credential] {
    static S: OnceLock<Vec<Credential>> = OnceLock::new();
    S.get_or_init(all_credentials)
}

#[derive(Debug, Clone)]
enum Sel {
    /// One of the ids in the model (by position), or a missing one if the model is empty.
    Existing(Index),
    /// A well-formed id no wallet has.
    Missing(String),
    /// Not an id at all.
    Malformed(String),
}

#[derive(Debug, Clone)]
enum Op {
    Add(Index),
    AddAll(Vec<Index>),
    AddInvalid,
    Get(Sel),
    List(Option<CredentialType>),
    Delete(Sel),
    /// Present a credential: self-added ones have no issuer signature (InvalidInput).
    Present(Sel),
    Lock,
    Unlock,
    UnlockWrongKey,
    Reopen,
    ReopenLocked,
    Tick(i64),
}

fn sel() -> impl Strategy<Value = Sel> {
    prop_oneof![
        6 => any::<Index>().prop_map(Sel::Existing),
        2 => "[0-9a-f]{32}".prop_map(Sel::Missing),
        1 => prop_oneof![
            Just(String::new()),
            "[0-9A-F]{32}",
            "[0-9a-f]{31}",
            "[0-9a-f]{33}",
            "[ -~]{0,40}",
            "[0-9a-f]{30}đ",
        ]
        .prop_map(Sel::Malformed),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => any::<Index>().prop_map(Op::Add),
        2 => prop::collection::vec(any::<Index>(), 0..5).prop_map(Op::AddAll),
        1 => Just(Op::AddInvalid),
        5 => sel().prop_map(Op::Get),
        3 => prop::option::of(prop::sample::select(CredentialType::ALL.to_vec())).prop_map(Op::List),
        4 => sel().prop_map(Op::Delete),
        1 => sel().prop_map(Op::Present),
        2 => Just(Op::Lock),
        2 => Just(Op::Unlock),
        1 => Just(Op::UnlockWrongKey),
        1 => Just(Op::Reopen),
        1 => Just(Op::ReopenLocked),
        2 => (0i64..3).prop_map(Op::Tick),
    ]
}

/// An error's kind, for comparing with the model's expectation.
fn kind(e: &Error) -> &'static str {
    match e {
        Error::Locked => "Locked",
        Error::NotFound(_) => "NotFound",
        Error::InvalidInput(_) => "InvalidInput",
        Error::WrongKey => "WrongKey",
        _ => "other",
    }
}

#[derive(Default)]
struct Model {
    creds: BTreeMap<String, (usize, i64)>,
    locked: bool,
    now: i64,
}

impl Model {
    fn pick(&self, s: &Sel) -> String {
        match s {
            Sel::Existing(i) if !self.creds.is_empty() => {
                self.creds.keys().nth(i.index(self.creds.len())).unwrap().clone()
            }
            Sel::Existing(_) => "0".repeat(32),
            Sel::Missing(id) => id.clone(),
            Sel::Malformed(s) => s.clone(),
        }
    }

    /// The model's answer for a get or delete of `id`.
    fn lookup_error(&self, s: &Sel, id: &str) -> Option<&'static str> {
        if matches!(s, Sel::Malformed(_)) {
            Some("InvalidInput")
        } else if self.locked {
            Some("Locked")
        } else if !self.creds.contains_key(id) {
            Some("NotFound")
        } else {
            None
        }
    }

    /// What `list(ty)` must return, oldest first (then by id).
    fn list(&self, ty: Option<CredentialType>) -> Vec<(String, usize, i64)> {
        let mut v: Vec<_> = self
            .creds
            .iter()
            .filter(|(_, (i, _))| ty.is_none_or(|t| samples()[*i].credential_type() == t))
            .map(|(id, (i, at))| (id.clone(), *i, *at))
            .collect();
        v.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
        v
    }
}

fn as_rows(list: &[StoredCredential]) -> Vec<(String, usize, i64)> {
    list.iter()
        .map(|s| {
            assert!(!s.signed, "a self-added credential reads back as signed");
            let i = samples()
                .iter()
                .position(|c| *c == s.credential)
                .expect("a credential that is none of the samples");
            (s.id.clone(), i, s.added_at)
        })
        .collect()
}

/// `Ok(())` if the wallet's error kind is the model's.
fn same_error<T: std::fmt::Debug>(
    got: citizen_wallet_core::Result<T>,
    want: &str,
    op: &Op,
) -> Result<(), TestCaseError> {
    match got {
        Err(e) if kind(&e) == want => Ok(()),
        other => Err(TestCaseError::fail(format!(
            "{op:?}: expected {want}, got {other:?}"
        ))),
    }
}

/// With `want`, checks `got` is that error and gives `None`; without, `got` must succeed.
fn checked<T: std::fmt::Debug>(
    got: citizen_wallet_core::Result<T>,
    want: Option<&str>,
    op: &Op,
) -> Result<Option<T>, TestCaseError> {
    match want {
        Some(want) => same_error(got, want, op).map(|()| None),
        None => got
            .map(Some)
            .map_err(|e| TestCaseError::fail(format!("{op:?}: {e:?}"))),
    }
}

fn invalid_credential() -> Credential {
    let mut c = samples()
        .iter()
        .find(|c| matches!(c, Credential::CitizenId(_)))
        .unwrap()
        .clone();
    if let Credential::CitizenId(card) = &mut c {
        card.citizen_id = "00119203451X".into();
    }
    c
}

static CASES: AtomicUsize = AtomicUsize::new(0);
static OPS: AtomicUsize = AtomicUsize::new(0);

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    CASES.fetch_add(1, Ordering::Relaxed);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wallet.db");
    let key = SoftwareKeyProvider::make("model-test").unwrap();
    let wrong = SoftwareKeyProvider::make("model-test").unwrap();
    let clock = Arc::new(FixedClock::new(T0));
    let mut w = Some(Wallet::create(&path, Unlock::Provider(&key), options(&clock)).unwrap());
    let mut m = Model {
        now: T0,
        ..Model::default()
    };

    for op in &ops {
        OPS.fetch_add(1, Ordering::Relaxed);
        let wallet = w.as_ref().unwrap();
        match op {
            Op::Add(i) => {
                let i = i.index(samples().len());
                let got = wallet.add(&samples()[i]);
                if m.locked {
                    same_error(got, "Locked", op)?;
                } else {
                    let id = got.map_err(|e| TestCaseError::fail(format!("{op:?}: {e:?}")))?;
                    prop_assert!(!m.creds.contains_key(&id), "a reused id");
                    m.creds.insert(id, (i, m.now));
                }
            }
            Op::AddAll(ix) => {
                let ix: Vec<usize> = ix.iter().map(|i| i.index(samples().len())).collect();
                let batch: Vec<Credential> = ix.iter().map(|&i| samples()[i].clone()).collect();
                let got = wallet.add_all(&batch);
                if m.locked {
                    same_error(got, "Locked", op)?;
                } else {
                    let ids = got.map_err(|e| TestCaseError::fail(format!("{op:?}: {e:?}")))?;
                    prop_assert_eq!(ids.len(), ix.len());
                    for (id, i) in ids.into_iter().zip(ix) {
                        prop_assert!(m.creds.insert(id, (i, m.now)).is_none(), "a reused id");
                    }
                }
            }
            Op::AddInvalid => {
                let want = if m.locked { "Locked" } else { "InvalidInput" };
                same_error(wallet.add(&invalid_credential()), want, op)?;
                // A batch with one bad credential stores none of them.
                let batch = vec![samples()[0].clone(), invalid_credential()];
                same_error(wallet.add_all(&batch), want, op)?;
            }
            Op::Get(s) => {
                let id = m.pick(s);
                if let Some(got) = checked(wallet.get(&id), m.lookup_error(s, &id), op)? {
                    let (i, at) = m.creds[&id];
                    prop_assert_eq!(as_rows(&[got]), vec![(id, i, at)]);
                }
            }
            Op::List(ty) => {
                let want = if m.locked { Some("Locked") } else { None };
                if let Some(got) = checked(wallet.list(*ty), want, op)? {
                    prop_assert_eq!(as_rows(&got), m.list(*ty), "{:?}", op);
                }
            }
            Op::Delete(s) => {
                let id = m.pick(s);
                if checked(wallet.delete(&id), m.lookup_error(s, &id), op)?.is_some() {
                    m.creds.remove(&id);
                }
            }
            Op::Present(s) => {
                let id = m.pick(s);
                let req = PresentationRequest {
                    credential_id: id.clone(),
                    claims: vec!["full_name".into()],
                    audience: None,
                    nonce: None,
                    ttl_secs: None,
                };
                let want = m.lookup_error(s, &id).unwrap_or("InvalidInput");
                same_error(wallet.present(&req), want, op)?;
            }
            Op::Lock => {
                wallet.lock();
                m.locked = true;
            }
            Op::Unlock => {
                wallet
                    .unlock(Unlock::Provider(&key))
                    .map_err(|e| TestCaseError::fail(format!("{op:?}: {e:?}")))?;
                m.locked = false;
            }
            Op::UnlockWrongKey => {
                same_error(wallet.unlock(Unlock::Provider(&wrong)), "WrongKey", op)?;
            }
            Op::Reopen | Op::ReopenLocked => {
                drop(w.take()); // close first, as an app restart does
                let reopened = if matches!(op, Op::Reopen) {
                    Wallet::open(&path, Unlock::Provider(&key), options(&clock))
                } else {
                    Wallet::open_locked(&path, options(&clock))
                };
                w = Some(reopened.map_err(|e| TestCaseError::fail(format!("{op:?}: {e:?}")))?);
                m.locked = matches!(op, Op::ReopenLocked);
            }
            Op::Tick(s) => {
                clock.advance(*s);
                m.now += s;
            }
        }
        prop_assert_eq!(w.as_ref().unwrap().is_locked(), m.locked, "after {:?}", op);
    }

    // The whole wallet, from a fresh open, equals the model.
    drop(w);
    let w = Wallet::open(&path, Unlock::Provider(&key), options(&clock)).unwrap();
    prop_assert_eq!(as_rows(&w.list(None).unwrap()), m.list(None));
    Ok(())
}

#[test]
fn random_store_operations_match_a_hashmap_model() {
    let cases: u32 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/proptest-regressions/store_model.txt",
        ))),
        ..Config::default()
    });
    let started = std::time::Instant::now();
    let result = runner.run(&prop::collection::vec(op(), 1..60), run);
    println!(
        "store model: {} sequences run ({} configured cases, the rest shrinking), {} operations, {:.1} s",
        CASES.load(Ordering::Relaxed),
        cases,
        OPS.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
