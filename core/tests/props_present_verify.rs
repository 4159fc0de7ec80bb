//! Property tests of present -> verify (issue 5):
//!
//! * a presentation of any non-empty subset of a credential's selectively disclosable claims,
//!   for every credential of every sample person (all five types), verifies as valid and shows
//!   exactly the chosen claims, with the credential's values, next to the claims the issuer
//!   signed in clear;
//! * several random byte mutations (bit flip, overwrite, insert, delete, truncate) of a
//!   presentation's bytes never verify as valid;
//! * several random mutations of its QR text never verify as valid, unless all they did was
//!   add the surrounding whitespace the verifier trims (base45 decoding is one-to-one, so any
//!   other change alters the signed bytes).
//!
//! Case counts keep the file under 30 s in a debug build; each property prints how many cases
//! it checked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as fixture;

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use citizen_wallet_core::internal::build_presentation;
use citizen_wallet_core::internal::limits::MAX_QR_TEXT_CHARS;
use citizen_wallet_core::internal::qr_text;
use citizen_wallet_core::internal::sd_cwt::SdCwt;
use citizen_wallet_core::internal::SigningKey;
use citizen_wallet_core::model::{display_value, CredentialType};
use citizen_wallet_core::Verifier;
use citizen_wallet_core::{RejectReason, Verdict, VerdictStatus};
use fixture::{all_credentials, World, T0};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// One issued credential with what a presentation of it may show.
struct Issued {
    ty: CredentialType,
    sd_cwt: Vec<u8>,
    /// Claim name -> the credential's display value.
    values: Vec<(String, String)>,
    /// Selectively disclosable claim names (the holder chooses among them).
    disclosable: Vec<String>,
    /// Claims signed in clear: in every presentation.
    always: Vec<String>,
}

struct Setup {
    verifier: Verifier,
    holder: SigningKey,
    issued: Vec<Issued>,
}

fn setup() -> Setup {
    let world = World::new();
    let holder = SigningKey::from_seed(&[42; 32]).unwrap();
    let issued = all_credentials()
        .into_iter()
        .map(|cred| {
            let (sd_cwt, _) = world.issue(&cred, &holder);
            let shown = SdCwt::parse(&sd_cwt).unwrap().claims().unwrap();
            let pick = |sd: bool| {
                shown
                    .iter()
                    .filter(|c| c.selectively_disclosed == sd)
                    .map(|c| c.claim.def.name.to_owned())
                    .collect::<Vec<_>>()
            };
            Issued {
                ty: cred.credential_type(),
                values: cred
                    .claims()
                    .iter()
                    .map(|c| (c.def.name.to_owned(), display_value(&c.value)))
                    .collect(),
                disclosable: pick(true),
                always: pick(false),
                sd_cwt,
            }
        })
        .collect();
    Setup {
        verifier: world.verifier(),
        holder,
        issued,
    }
}

/// The claims chosen by `mask` among `disclosable` (never empty when there is one to choose).
fn chosen(disclosable: &[String], mask: u64) -> Vec<String> {
    let mut c: Vec<String> = disclosable
        .iter()
        .enumerate()
        .filter(|(i, _)| mask >> (i % 64) & 1 == 1)
        .map(|(_, n)| n.clone())
        .collect();
    if c.is_empty() && !disclosable.is_empty() {
        c.push(disclosable[(mask as usize / 7) % disclosable.len()].clone());
    }
    c
}

fn present(s: &Setup, cred: usize, mask: u64) -> (Vec<u8>, Vec<String>) {
    let i = &s.issued[cred];
    let claims = chosen(&i.disclosable, mask);
    let kbt = build_presentation(&i.sd_cwt, &s.holder, &claims, None, None, T0, None).unwrap();
    (kbt, claims)
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn any_chosen_subset_verifies_and_shows_exactly_those_claims() {
    let s = setup();
    let types: BTreeSet<CredentialType> = s.issued.iter().map(|i| i.ty).collect();
    assert_eq!(types.len(), 5, "every credential type is covered: {types:?}");
    let n = s.issued.len();
    let checked = Cell::new(0usize);
    let too_large = Cell::new(0usize);
    let seen_types = RefCell::new(BTreeSet::new());
    runner(1500)
        .run(&(0..n, any::<u64>()), |(cred, mask)| {
            let i = &s.issued[cred];
            let (kbt, claims) = present(&s, cred, mask);
            let text = qr_text::encode_presentation(&kbt);
            let v = s.verifier.verify_text(&text).unwrap();
            if text.len() > MAX_QR_TEXT_CHARS {
                // Larger than any QR code: refused for its size, nothing shown.
                prop_assert_eq!(
                    &v.status,
                    &VerdictStatus::Invalid {
                        reason: RejectReason::TooLarge
                    }
                );
                too_large.set(too_large.get() + 1);
                return Ok(());
            }
            prop_assert_eq!(&v.status, &VerdictStatus::Valid, "{}: {}", i.ty, v.summary());
            prop_assert_eq!(v.credential_type, Some(i.ty));
            let disclosed: BTreeSet<(String, String)> = v
                .claims
                .iter()
                .filter(|c| c.selectively_disclosed)
                .map(|c| (c.name.clone(), c.value.clone()))
                .collect();
            let in_clear: BTreeSet<(String, String)> = v
                .claims
                .iter()
                .filter(|c| !c.selectively_disclosed)
                .map(|c| (c.name.clone(), c.value.clone()))
                .collect();
            let expect = |names: &[String]| -> BTreeSet<(String, String)> {
                i.values
                    .iter()
                    .filter(|(n, _)| names.contains(n))
                    .cloned()
                    .collect()
            };
            prop_assert_eq!(disclosed, expect(&claims), "{}: chosen {:?}", i.ty, claims);
            prop_assert_eq!(in_clear, expect(&i.always), "{}", i.ty);
            checked.set(checked.get() + 1);
            seen_types.borrow_mut().insert(i.ty);
            Ok(())
        })
        .unwrap();
    let (checked, too_large) = (checked.get(), too_large.get());
    eprintln!("present->verify: {checked} valid round trips, {too_large} refused as too large");
    assert_eq!(seen_types.borrow().len(), 5);
    assert!(checked > 1000, "{checked}");
}

/// One mutation of a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Set { at: usize, byte: u8 },
    Insert { at: usize, byte: u8 },
    Delete { at: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..8u8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set { at, byte }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Delete { at }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len();
    match *m {
        Mutation::Flip { at, bit } if len > 0 => bytes[at % len] ^= 1 << bit,
        Mutation::Set { at, byte } if len > 0 => bytes[at % len] = byte,
        Mutation::Insert { at, byte } => bytes.insert(at % (len + 1), byte),
        Mutation::Delete { at } if len > 0 => {
            bytes.remove(at % len);
        }
        Mutation::Truncate { at } if len > 0 => bytes.truncate(at % len),
        _ => {}
    }
}

/// A mutated presentation's verdict: counted (with its reason) when invalid, a failure naming
/// the mutations otherwise.
fn count_rejection(
    v: &Verdict,
    muts: &impl std::fmt::Debug,
    rejected: &Cell<usize>,
    reasons: &RefCell<BTreeSet<String>>,
) -> Result<(), TestCaseError> {
    match &v.status {
        VerdictStatus::Invalid { reason } => {
            reasons.borrow_mut().insert(format!("{reason:?}"));
            rejected.set(rejected.get() + 1);
            Ok(())
        }
        _ => Err(TestCaseError::fail(format!(
            "{:?} verified: {}",
            muts,
            v.summary()
        ))),
    }
}

#[test]
fn mutated_presentation_bytes_never_verify() {
    let s = setup();
    let n = s.issued.len();
    let rejected = Cell::new(0usize);
    let reasons = RefCell::new(BTreeSet::new());
    runner(2500)
        .run(
            &(0..n, any::<u64>(), prop::collection::vec(mutation(), 1..6)),
            |(cred, mask, muts)| {
                let (kbt, _) = present(&s, cred, mask);
                let mut bad = kbt.clone();
                for m in &muts {
                    apply(&mut bad, m);
                }
                if bad == kbt {
                    return Ok(()); // e.g. a byte set to its own value
                }
                let v = s
                    .verifier
                    .verify_text(&qr_text::encode_presentation(&bad))
                    .unwrap();
                count_rejection(&v, &muts, &rejected, &reasons)
            },
        )
        .unwrap();
    let (rejected, reasons) = (rejected.get(), reasons.into_inner());
    eprintln!("byte mutations: {rejected} mutated presentations rejected, reasons {reasons:?}");
    assert!(rejected > 2000, "{rejected}");
    // The mutations reach past the CBOR layer: signature and disclosure checks reject some.
    assert!(reasons.len() >= 3, "{reasons:?}");
}

const BASE45: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// One mutation of QR text: mostly within the base45 alphabet (so decoding succeeds and the
/// damage reaches the signed bytes), sometimes outside it.
#[derive(Debug, Clone)]
enum TextMutation {
    Replace { at: usize, c: u8 },
    Insert { at: usize, c: u8 },
    Delete { at: usize },
    Truncate { at: usize },
    Swap { at: usize },
    Foreign { at: usize, c: char },
}

fn text_mutation() -> impl Strategy<Value = TextMutation> {
    let b45 = (0..BASE45.len()).prop_map(|i| BASE45[i]);
    prop_oneof![
        4 => (any::<usize>(), b45.clone()).prop_map(|(at, c)| TextMutation::Replace { at, c }),
        2 => (any::<usize>(), b45).prop_map(|(at, c)| TextMutation::Insert { at, c }),
        2 => any::<usize>().prop_map(|at| TextMutation::Delete { at }),
        1 => any::<usize>().prop_map(|at| TextMutation::Truncate { at }),
        2 => any::<usize>().prop_map(|at| TextMutation::Swap { at }),
        1 => (any::<usize>(), any::<char>()).prop_map(|(at, c)| TextMutation::Foreign { at, c }),
    ]
}

fn apply_text(t: &mut Vec<char>, m: &TextMutation) {
    let len = t.len();
    match *m {
        TextMutation::Replace { at, c } if len > 0 => t[at % len] = char::from(c),
        TextMutation::Insert { at, c } => t.insert(at % (len + 1), char::from(c)),
        TextMutation::Delete { at } if len > 0 => {
            t.remove(at % len);
        }
        TextMutation::Truncate { at } if len > 0 => t.truncate(at % len),
        TextMutation::Swap { at } if len > 1 => t.swap(at % (len - 1), at % (len - 1) + 1),
        TextMutation::Foreign { at, c } => t.insert(at % (len + 1), c),
        _ => {}
    }
}

#[test]
fn mutated_qr_text_never_verifies() {
    let s = setup();
    let n = s.issued.len();
    let rejected = Cell::new(0usize);
    let trimmed_back = Cell::new(0usize);
    let reasons = RefCell::new(BTreeSet::new());
    runner(2500)
        .run(
            &(0..n, any::<u64>(), prop::collection::vec(text_mutation(), 1..6)),
            |(cred, mask, muts)| {
                let (kbt, _) = present(&s, cred, mask);
                let text = qr_text::encode_presentation(&kbt);
                let mut chars: Vec<char> = text.chars().collect();
                for m in &muts {
                    apply_text(&mut chars, m);
                }
                let bad: String = chars.into_iter().collect();
                let v = s.verifier.verify_text(&bad).unwrap();
                if bad.trim() == text {
                    // Only whitespace around the text: the same presentation.
                    prop_assert!(v.is_fully_valid());
                    trimmed_back.set(trimmed_back.get() + 1);
                    return Ok(());
                }
                count_rejection(&v, &muts, &rejected, &reasons)
            },
        )
        .unwrap();
    let (rejected, trimmed_back, reasons) = (rejected.get(), trimmed_back.get(), reasons.into_inner());
    eprintln!(
        "text mutations: {rejected} mutated QR texts rejected ({trimmed_back} were the same text \
         with whitespace around it), reasons {reasons:?}"
    );
    assert!(rejected > 2000, "{rejected}");
    assert!(reasons.len() >= 3, "{reasons:?}");
}
