//! The failed-PIN policy under attack: concurrent guessing (threads of one wallet, several
//! wallet handles on one file), a clock moved forward, and the cap after which the PIN is
//! disabled until the platform key provider unlocks the wallet. (The same race across
//! `cwallet` processes is in `cli/tests/pin_race.rs`.)
//!
//! Self-contained (no shared test module): a wallet with a PIN and a software key provider,
//! and a clock that moves only when told.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use citizen_wallet_core::FixedClock;
use citizen_wallet_core::KdfParams;
use citizen_wallet_core::{pin_backoff_secs, MAX_PIN_FAILURES};
use citizen_wallet_core::{Error, SoftwareKeyProvider, Unlock, Wallet, WalletOptions};

const PIN: &str = "246810";
const WRONG: &str = "135790";
/// 2026-01-15T00:00:00Z.
const T0: i64 = 1_768_435_200;
const THREADS: usize = 8;

struct Setup {
    _dir: tempfile::TempDir,
    path: PathBuf,
    clock: Arc<FixedClock>,
    provider: SoftwareKeyProvider,
}

impl Setup {
    /// A wallet protected by the PIN and by a software key provider.
    fn new() -> Self {
        Self::with_kdf(KdfParams::default())
    }

    fn with_kdf(kdf: KdfParams) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wallet.db");
        let clock = Arc::new(FixedClock::new(T0));
        let provider = SoftwareKeyProvider::make("pin-policy-keystore").unwrap();
        let opts = WalletOptions {
            kdf,
            clock: clock.clone(),
        };
        let w = Wallet::create(&path, Unlock::Pin(PIN), opts).unwrap();
        w.set_key_provider(&provider).unwrap();
        Self {
            _dir: dir,
            path,
            clock,
            provider,
        }
    }

    fn opts(&self) -> WalletOptions {
        WalletOptions {
            clock: self.clock.clone(),
            ..WalletOptions::default()
        }
    }

    /// A new handle on the file, locked (as a restarted app, or another process, would have).
    fn handle(&self) -> Wallet {
        Wallet::open_locked(&self.path, self.opts()).unwrap()
    }
}

/// `pin_attempts.failed` as stored: every PIN tested is counted there, before it is tested.
fn stored_failures(path: &Path) -> u32 {
    let db = rusqlite::Connection::open(path).unwrap();
    db.query_row("SELECT failed FROM pin_attempts WHERE id = 1", [], |r| r.get(0))
        .unwrap()
}

#[derive(Debug, Default, PartialEq)]
struct Round {
    /// PINs actually tested (Argon2id ran, the PIN was wrong).
    tested: usize,
    /// Attempts refused by the back-off without testing the PIN.
    refused: usize,
}

/// `THREADS` threads released together, each trying `WRONG` once with `attempt`.
fn round(attempt: impl Fn(usize) -> Result<(), Error> + Send + Sync + 'static) -> Round {
    let attempt = Arc::new(attempt);
    let barrier = Arc::new(Barrier::new(THREADS));
    let outcomes: Vec<Result<(), Error>> = (0..THREADS)
        .map(|n| {
            let (attempt, barrier) = (attempt.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                attempt(n)
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    let mut r = Round::default();
    for o in outcomes {
        match o {
            Err(Error::WrongPin { .. }) => r.tested += 1,
            Err(Error::Backoff { .. }) => r.refused += 1,
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    r
}

/// Whether `r` is `Error::WrongPin` with `n` failed attempts (any wait).
fn is_wrong_pin<T>(r: &Result<T, Error>, n: u32) -> bool {
    matches!(r, Err(Error::WrongPin { failed_attempts, .. }) if *failed_attempts == n)
}

/// Eight threads guessing through one `Wallet` test one PIN per back-off window.
///
/// On main this fails: the back-off was checked, the lock released, Argon2id run and only then
/// the failure recorded, so all eight threads passed the check and tested eight PINs in the
/// first window (measured: `tested: 8, refused: 0`).
#[test]
fn eight_threads_on_one_wallet_test_one_pin_per_backoff_window() {
    let s = Setup::new();
    let wallet = Arc::new(s.handle());
    let one = Round {
        tested: 1,
        refused: THREADS - 1,
    };
    let w = wallet.clone();
    assert_eq!(round(move |_| w.unlock(Unlock::Pin(WRONG))), one);
    assert_eq!(stored_failures(&s.path), 1);
    // The next window: the wall clock and real time both move on by the back-off.
    s.clock.advance(pin_backoff_secs(1) as i64);
    std::thread::sleep(Duration::from_millis(1050));
    let w = wallet.clone();
    assert_eq!(round(move |_| w.unlock(Unlock::Pin(WRONG))), one);
    assert_eq!(stored_failures(&s.path), 2);
    // The right PIN, once the window has passed, still opens and clears the count.
    s.clock.advance(pin_backoff_secs(2) as i64);
    std::thread::sleep(Duration::from_millis(2050));
    wallet.unlock(Unlock::Pin(PIN)).unwrap();
    assert_eq!(stored_failures(&s.path), 0);
}

/// Eight wallet handles on one file (what eight processes have: nothing shared but the file)
/// test one PIN per back-off window: the attempt is claimed in a `BEGIN IMMEDIATE` transaction
/// before Argon2id runs, so each handle sees the claims made before it.
///
/// On main this fails the same way (eight PINs tested in the first window).
#[test]
fn eight_wallet_handles_on_one_file_test_one_pin_per_backoff_window() {
    let s = Setup::new();
    for window in 1..=4u32 {
        // Fresh handles each window: no handle remembers an earlier wait in memory; only the
        // file counts.
        let handles: Arc<Vec<Wallet>> = Arc::new((0..THREADS).map(|_| s.handle()).collect());
        let h = handles.clone();
        let r = round(move |n| h[n].unlock(Unlock::Pin(WRONG)));
        assert_eq!(
            r,
            Round {
                tested: 1,
                refused: THREADS - 1
            },
            "window {window}"
        );
        assert_eq!(stored_failures(&s.path), window);
        s.clock.advance(pin_backoff_secs(window) as i64);
    }
}

/// The attempt is counted before the PIN is tested: while Argon2id runs (slowed down here to
/// about a second), the file already holds the attempt. A process killed then (or a guesser
/// racing it) cannot test a PIN for free.
///
/// On main this fails: the failure was written only after Argon2id.
#[test]
fn an_attempt_is_counted_before_the_pin_is_tested() {
    let slow = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 12,
        parallelism: 1,
    };
    let s = Setup::with_kdf(slow);
    let w = s.handle();
    let attempt = std::thread::spawn(move || w.unlock(Unlock::Pin(WRONG)));
    let mut counted_while_testing = false;
    while !attempt.is_finished() {
        if stored_failures(&s.path) == 1 && !attempt.is_finished() {
            counted_while_testing = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let outcome = attempt.join().unwrap();
    assert!(
        matches!(
            outcome,
            Err(Error::WrongPin {
                failed_attempts: 1,
                ..
            })
        ),
        "{outcome:?}"
    );
    assert!(
        counted_while_testing,
        "the attempt was not in the file while its PIN was being tested"
    );
}

/// A clock moved forward does not end the wait within the process: the handle times the wait
/// it saw begin with the monotonic clock too. Across a restart (a new handle) only the wall
/// clock is left, so each such jump buys one guess; the cap (next test) bounds them.
///
/// On main this fails: moving the clock forward by a day let the next PIN be tested at once.
#[test]
fn a_clock_moved_forward_does_not_end_the_wait() {
    let s = Setup::new();
    let w = s.handle();
    assert!(matches!(
        w.unlock(Unlock::Pin(WRONG)),
        Err(Error::WrongPin {
            failed_attempts: 1,
            retry_after_secs: 1
        })
    ));
    s.clock.advance(24 * 3600);
    let e = w.unlock(Unlock::Pin(PIN)).unwrap_err();
    assert!(matches!(e, Error::Backoff { retry_after_secs: 1 }), "{e:?}");
    assert_eq!(w.pin_retry_after_secs().unwrap(), 1);
    assert_eq!(stored_failures(&s.path), 1, "the refused attempt was not tested");
    // Real time passes: the wait is over.
    std::thread::sleep(Duration::from_millis(1050));
    assert_eq!(w.pin_retry_after_secs().unwrap(), 0);
    assert!(is_wrong_pin(&w.unlock(Unlock::Pin(WRONG)), 2));
    // A wall clock set backwards still gives the full wait, also to a new handle.
    s.clock.advance(-3600);
    assert!(matches!(
        s.handle().unlock(Unlock::Pin(PIN)),
        Err(Error::Backoff { retry_after_secs: 2 })
    ));
    // The residual: a new handle (a restarted app) with the clock moved forward past the wait.
    s.clock.advance(3600 + 24 * 3600);
    assert!(is_wrong_pin(&s.handle().unlock(Unlock::Pin(WRONG)), 3));
}

/// After `MAX_PIN_FAILURES` (10) wrong PINs in a row the PIN is disabled: every PIN, the right
/// one too, is refused untested with `Error::PinLocked`, however much time passes, until the
/// platform key provider unlocks the wallet, which enables the PIN again.
///
/// On main this fails: there was no cap; the right PIN opened the wallet after 10 (or 20, or
/// any number of) wrong ones.
#[test]
fn ten_wrong_pins_disable_the_pin_until_the_key_provider_unlocks() {
    let s = Setup::new();
    assert_eq!(MAX_PIN_FAILURES, 10);
    for n in 1..=MAX_PIN_FAILURES {
        let e = s.handle().unlock(Unlock::Pin(WRONG)).unwrap_err();
        if n < MAX_PIN_FAILURES {
            assert!(
                matches!(e, Error::WrongPin { failed_attempts, retry_after_secs }
                    if failed_attempts == n && retry_after_secs == pin_backoff_secs(n)),
                "attempt {n}: {e:?}"
            );
        } else {
            assert!(matches!(e, Error::PinLocked), "attempt {n}: {e:?}");
        }
        s.clock.advance(pin_backoff_secs(n) as i64);
    }
    assert_eq!(stored_failures(&s.path), MAX_PIN_FAILURES);
    // Disabled: the right PIN is not tested, now or a year later.
    for _ in 0..2 {
        let h = s.handle();
        assert!(matches!(h.unlock(Unlock::Pin(PIN)), Err(Error::PinLocked)));
        assert!(matches!(h.pin_retry_after_secs(), Err(Error::PinLocked)));
        assert!(matches!(
            Wallet::open(&s.path, Unlock::Pin(PIN), s.opts()),
            Err(Error::PinLocked)
        ));
        s.clock.advance(365 * 24 * 3600);
    }
    assert_eq!(stored_failures(&s.path), MAX_PIN_FAILURES, "nothing was tested");
    // The message tells the user what to do, and carries no PIN.
    let msg = Error::PinLocked.to_string();
    assert!(msg.contains("device key"), "{msg}");
    // A wrong platform key does not enable it.
    let other = SoftwareKeyProvider::make("pin-policy-keystore").unwrap();
    assert!(matches!(
        s.handle().unlock(Unlock::Provider(&other)),
        Err(Error::WrongKey)
    ));
    assert!(matches!(
        s.handle().unlock(Unlock::Pin(PIN)),
        Err(Error::PinLocked)
    ));
    // The platform key does, and the PIN works again from a clean count.
    let h = s.handle();
    h.unlock(Unlock::Provider(&s.provider)).unwrap();
    assert_eq!(stored_failures(&s.path), 0);
    assert_eq!(h.pin_retry_after_secs().unwrap(), 0);
    Wallet::open(&s.path, Unlock::Pin(PIN), s.opts()).unwrap();
    assert!(is_wrong_pin(&s.handle().unlock(Unlock::Pin(WRONG)), 1));
}

/// Setting a new PIN (wallet unlocked) starts it with no failed attempts; input that cannot be
/// a PIN is refused without counting as an attempt; a right PIN leaves in the file the time of
/// the last wrong one, not its own (when the PIN was last used is nobody's business).
#[test]
fn a_new_pin_starts_clean_and_impossible_input_is_not_an_attempt() {
    let s = Setup::new();
    let last_failed_at = |path: &Path| -> i64 {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT last_failed_at FROM pin_attempts", [], |r| r.get(0))
            .unwrap()
    };
    assert!(s.handle().unlock(Unlock::Pin(WRONG)).is_err());
    s.clock.advance(5);
    s.handle().unlock(Unlock::Pin(PIN)).unwrap();
    assert_eq!((stored_failures(&s.path), last_failed_at(&s.path)), (0, T0));
    assert!(s.handle().unlock(Unlock::Pin(WRONG)).is_err());
    s.clock.advance(1);
    let too_long = "9".repeat(300);
    assert!(matches!(
        s.handle().unlock(Unlock::Pin(&too_long)),
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(stored_failures(&s.path), 1);
    let h = s.handle();
    h.unlock(Unlock::Provider(&s.provider)).unwrap();
    assert!(s.handle().unlock(Unlock::Pin(WRONG)).is_err());
    assert_eq!(stored_failures(&s.path), 1);
    h.set_pin("11223344").unwrap();
    assert_eq!(stored_failures(&s.path), 0);
    Wallet::open(&s.path, Unlock::Pin("11223344"), s.opts()).unwrap();
}

/// A PIN given as bytes (what the bindings' `*_pin_bytes` entry points pass on after copying
/// the app's byte array) is the same PIN as the text: either form opens a slot made with the
/// other. A new PIN given as bytes must be UTF-8 text of at least 6 characters.
#[test]
fn a_pin_as_bytes_is_the_same_pin_as_its_text() {
    let s = Setup::new();
    Wallet::open(&s.path, Unlock::PinBytes(PIN.as_bytes()), s.opts()).unwrap();
    let w = s.handle();
    w.change_pin_bytes(PIN.as_bytes(), "mật khẩu".as_bytes()).unwrap();
    Wallet::open(&s.path, Unlock::Pin("mật khẩu"), s.opts()).unwrap();
    w.unlock(Unlock::PinBytes("mật khẩu".as_bytes())).unwrap();
    for (bad, why) in [
        (&b"\xff\xfe123456"[..], "not UTF-8"),
        (&b"12345"[..], "too short"),
    ] {
        assert!(
            matches!(w.set_pin_bytes(bad), Err(Error::InvalidInput(_))),
            "{why}"
        );
    }
    w.set_pin_bytes(b"24682468").unwrap();
    Wallet::open(&s.path, Unlock::Pin("24682468"), s.opts()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let created = dir.path().join("w.db");
    Wallet::create(&created, Unlock::PinBytes(b"97531086"), s.opts()).unwrap();
    Wallet::open(&created, Unlock::Pin("97531086"), s.opts()).unwrap();
    assert!(matches!(
        Wallet::create(
            dir.path().join("x.db"),
            Unlock::PinBytes(b"\xc3\x28abcdef"),
            s.opts()
        ),
        Err(Error::InvalidInput(_))
    ));
    let shown = format!("{:?}", Unlock::PinBytes(b"97531086"));
    assert_eq!(shown, "Unlock::PinBytes(<redacted>)");
}
