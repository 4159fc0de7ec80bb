//! Crash safety: a wallet killed with SIGKILL at a random moment loses nothing it reported as
//! committed, and reopens to a consistent database.
//!
//! The writer is this test binary itself, re-executed with `--exact crash_child_writer --ignored`
//! and the `CW_CRASH_*` environment variables (no extra binary). It opens the wallet and runs a
//! deterministic sequence of operations, each one SQLite transaction: add one credential, add a
//! batch of three (`add_all`), delete one it added earlier, or (every 40th operation) rotate
//! the data key (`rotate_data_key`: every credential resealed, the PIN and provider slots
//! rewrapped). Before each operation it prints `BEGIN <op> ...`, after the commit returns
//! `COMMIT <op> <ids>`. The parent kills it (`Child::kill` is SIGKILL on Unix) at a random
//! point, then checks:
//!
//! * `PRAGMA integrity_check` is `ok`;
//! * the wallet opens with its key provider **and** with its PIN, and its credentials are
//!   exactly the model after every reported commit, plus at most the one operation that was in
//!   flight (committed but not yet reported), applied whole: a batch is all or nothing;
//! * every credential decrypts to the sample it was made from (so every value is sealed under
//!   the one key both slots unwrap: a rotation killed midway left the old key or the new one);
//! * the data key changed if and only if a rotation committed (the sealed canary changes with
//!   the key): a reported rotation is never lost, an unreported one only if it was in flight.
//!
//! Each iteration also copies the killed wallet's main file *without* its `-wal` (what a
//! careless backup or file copy does) and opens that: it must give an older consistent state or
//! a typed error, never a panic, and the copy must still be there afterwards. See SECURITY.md,
//! "Residual risks", for why the loss itself cannot be detected.
//!
//! Reproduce a run with `CW_CRASH_SEED=<seed printed by the test>`; `CW_CRASH_ITERATIONS`
//! raises the number of kills (default 30).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use citizen_wallet_core::FixedClock;
use citizen_wallet_core::{Error, SoftwareKeyProvider, Unlock, Wallet};
use common::*;
use rusqlite::Connection;

const ENV_DB: &str = "CW_CRASH_DB";
const ENV_KEY: &str = "CW_CRASH_KEY";
const ENV_START: &str = "CW_CRASH_START";
const ENV_MODE: &str = "CW_CRASH_MODE";
const KEY_ID: &str = "crash-test-keystore";
/// Starts every protocol line the child prints.
const MARK: &str = "@@cw ";
/// The parent trims the wallet to `TRIM_TO` credentials when it holds more than `TRIM_ABOVE`.
const TRIM_ABOVE: usize = 1000;
const TRIM_TO: usize = 300;
/// A child that is never killed stops by itself after this long (a safety net, not a timing).
const CHILD_MAX_RUN: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------- a tiny reproducible RNG

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn seed() -> u64 {
    std::env::var("CW_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
}

// ---------------------------------------------------------------- the operation sequence

/// What operation number `n` is. Deterministic, so the parent knows what was in flight.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Add(usize),
    Batch([usize; 3]),
    Delete,
    Rotate,
}

fn op(n: u64, creds: usize) -> Op {
    let i = n as usize;
    if n % 40 == 20 {
        return Op::Rotate;
    }
    match n % 7 {
        3 => Op::Batch([i % creds, (i + 1) % creds, (i + 2) % creds]),
        5 => Op::Delete,
        _ => Op::Add(i % creds),
    }
}

// ---------------------------------------------------------------- the child

/// The writer process. Does nothing unless started by [`spawn_child`].
#[test]
#[ignore = "child process of the crash-safety tests; run by them"]
fn crash_child_writer() {
    let Ok(db) = std::env::var(ENV_DB) else {
        return;
    };
    let key = hex::decode(std::env::var(ENV_KEY).unwrap()).unwrap();
    let provider = SoftwareKeyProvider::from_key(KEY_ID, &key).unwrap();
    let clock = Arc::new(FixedClock::new(T0));
    let out = std::io::stdout();
    let say = |line: String| {
        let mut o = out.lock();
        // A marker, because libtest prints "test crash_child_writer ... " before the first line.
        writeln!(o, "{MARK}{line}").unwrap();
        o.flush().unwrap();
    };
    if std::env::var(ENV_MODE).as_deref() == Ok("create") {
        say("BEGIN create".into());
        Wallet::create(&db, Unlock::Provider(&provider), options(&clock)).unwrap();
        say("COMMIT create".into());
        return;
    }
    let start: u64 = std::env::var(ENV_START).unwrap().parse().unwrap();
    let creds = all_credentials();
    let wallet = Wallet::open(&db, Unlock::Provider(&provider), options(&clock)).unwrap();
    // Ids this run added and has not deleted yet, oldest first: delete victims come from here.
    let mut mine: Vec<String> = Vec::new();
    say("READY".into());
    let began = Instant::now();
    let mut n = start;
    while began.elapsed() < CHILD_MAX_RUN {
        clock.advance(1);
        match op(n, creds.len()) {
            Op::Add(i) => {
                say(format!("BEGIN {n} add"));
                let id = wallet.add(&creds[i]).unwrap();
                say(format!("COMMIT {n} {id}"));
                mine.push(id);
            }
            Op::Batch(ix) => {
                say(format!("BEGIN {n} batch"));
                let batch: Vec<_> = ix.iter().map(|&i| creds[i].clone()).collect();
                let ids = wallet.add_all(&batch).unwrap();
                say(format!("COMMIT {n} {}", ids.join(" ")));
                mine.extend(ids);
            }
            Op::Delete => {
                if mine.is_empty() {
                    say(format!("BEGIN {n} skip"));
                    say(format!("COMMIT {n}"));
                } else {
                    let victim = mine.remove(0);
                    say(format!("BEGIN {n} delete {victim}"));
                    wallet.delete(&victim).unwrap();
                    say(format!("COMMIT {n} {victim}"));
                }
            }
            Op::Rotate => {
                say(format!("BEGIN {n} rotate"));
                wallet
                    .rotate_data_key(&[Unlock::Provider(&provider), Unlock::Pin(PIN)])
                    .unwrap();
                say(format!("COMMIT {n}"));
            }
        }
        n += 1;
    }
}

// ---------------------------------------------------------------- the parent

fn spawn_child(db: &Path, key: &[u8; 32], start: u64, mode: &str) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "crash_child_writer",
            "--exact",
            "--nocapture",
            "--ignored",
            "--test-threads=1",
        ])
        .env(ENV_DB, db)
        .env(ENV_KEY, hex::encode(key))
        .env(ENV_START, start.to_string())
        .env(ENV_MODE, mode)
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let Some(at) = line.find(MARK) else { continue };
            if tx.send(line[at + MARK.len()..].to_string()).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Kills the child (SIGKILL) and returns everything it printed, and its stderr.
fn kill_and_drain(
    mut child: Child,
    rx: mpsc::Receiver<String>,
    mut seen: Vec<String>,
) -> (Vec<String>, String) {
    child.kill().unwrap();
    let status = child.wait().unwrap();
    // Killed, or (if it died by itself) a failure we want to see.
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        std::io::Read::read_to_string(&mut e, &mut err).unwrap();
    }
    assert!(
        status.code().is_none() || status.success(),
        "the writer failed by itself ({status}):\n{err}"
    );
    // The reader thread ends at EOF: every line the child wrote before dying is in the pipe.
    seen.extend(rx.iter());
    (seen, err)
}

/// Waits for the `count`-th line starting with `prefix` (or the child's exit).
fn wait_for(rx: &mpsc::Receiver<String>, seen: &mut Vec<String>, prefix: &str, count: usize) {
    wait_until(rx, seen, |l| l.starts_with(prefix), count);
}

/// Waits for the `count`-th line that `matches` (or the child's exit).
fn wait_until(
    rx: &mpsc::Receiver<String>,
    seen: &mut Vec<String>,
    matches: impl Fn(&str) -> bool,
    count: usize,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut got = seen.iter().filter(|l| matches(l)).count();
    while got < count {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => {
                if matches(&l) {
                    got += 1;
                }
                seen.push(l);
            }
            Err(_) => return,
        }
    }
}

/// The wallet's content: id -> index of the sample credential it holds.
type Model = BTreeMap<String, usize>;

fn index_of(
    c: &citizen_wallet_core::model::Credential,
    creds: &[citizen_wallet_core::model::Credential],
) -> usize {
    creds
        .iter()
        .position(|x| x == c)
        .expect("a stored credential that is none of the samples")
}

fn integrity_ok(db: &Path) {
    let conn = Connection::open(db).unwrap();
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows, ["ok"], "integrity_check after a kill");
}

/// The wallet's content, opened with the key provider and, separately, with the PIN: both
/// slots must unwrap the key every value is sealed under.
fn read_wallet(
    db: &Path,
    provider: &SoftwareKeyProvider,
    creds: &[citizen_wallet_core::model::Credential],
) -> Model {
    let clock = Arc::new(FixedClock::new(T0));
    let read = |unlock| {
        let w = Wallet::open(db, unlock, options(&clock)).unwrap();
        w.list(None)
            .unwrap()
            .into_iter()
            .map(|s| (s.id.clone(), index_of(&s.credential, creds)))
            .collect::<Model>()
    };
    let by_provider = read(Unlock::Provider(provider));
    assert_eq!(
        read(Unlock::Pin(PIN)),
        by_provider,
        "the PIN and the provider open different keys"
    );
    by_provider
}

/// The sealed canary: it is resealed (and so changes) exactly when the data key is rotated.
fn canary(db: &Path) -> Vec<u8> {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT value FROM meta WHERE key = 'canary'", [], |r| r.get(0))
        .unwrap()
}

#[derive(Default)]
struct Stats {
    kills: usize,
    commits_reported: usize,
    ids_verified: usize,
    in_flight_landed: usize,
    in_flight_lost: usize,
    killed_before_ready: usize,
    walless_older_state: usize,
    /// Committed credentials a WAL-less copy did not show (summed over the copies).
    walless_missing: usize,
    /// WAL-less copies that show commits of the killed run (a checkpoint ran in the child).
    walless_after_checkpoint: usize,
    trimmed: usize,
    walless_errors: BTreeMap<String, usize>,
    rotations_reported: usize,
    rotation_in_flight_landed: usize,
    rotation_in_flight_lost: usize,
}

/// Copies the main database file alone, as a careless backup would (its `-wal` is lost).
fn copy_without_wal(db: &Path, scratch: &Path, n: usize) -> PathBuf {
    let copy = scratch.join(format!("walless-{n}.db"));
    std::fs::copy(db, &copy).unwrap();
    copy
}

/// Opens a WAL-less copy. Must not panic; gives either a consistent older state, every
/// credential of which was once committed, or a typed error; the copy is still there afterwards.
fn open_without_wal(
    copy: &Path,
    provider: &SoftwareKeyProvider,
    ever: &Model,
    now: &Model,
    before_run: &Model,
    creds: &[citizen_wallet_core::model::Credential],
    stats: &mut Stats,
) {
    let size = std::fs::metadata(copy).unwrap().len();
    let clock = Arc::new(FixedClock::new(T0));
    let outcome = Wallet::open(copy, Unlock::Provider(provider), options(&clock)).and_then(|w| w.list(None));
    match outcome {
        Ok(list) => {
            for s in &list {
                let i = ever.get(&s.id).copied();
                assert_eq!(
                    i,
                    Some(index_of(&s.credential, creds)),
                    "a WAL-less copy shows a credential never committed"
                );
            }
            let shown: std::collections::BTreeSet<&String> = list.iter().map(|s| &s.id).collect();
            stats.walless_missing += now.keys().filter(|id| !shown.contains(id)).count();
            if shown.iter().any(|id| !before_run.contains_key(*id)) {
                stats.walless_after_checkpoint += 1;
            }
            stats.walless_older_state += 1;
        }
        Err(e) => {
            assert!(
                matches!(e, Error::Corrupted(_) | Error::Tampered(_) | Error::Storage(_)),
                "untyped outcome for a WAL-less copy: {e:?}"
            );
            *stats.walless_errors.entry(format!("{e:?}")).or_default() += 1;
        }
    }
    assert!(
        copy.is_file() && std::fs::metadata(copy).unwrap().len() >= size,
        "the WAL-less copy was deleted or shrunk"
    );
    std::fs::remove_file(copy).unwrap();
    for s in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(PathBuf::from(format!("{}{s}", copy.display())));
    }
}

#[test]
fn sigkill_at_random_points_loses_no_reported_commit() {
    let seed = seed();
    let iterations: usize = std::env::var("CW_CRASH_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    println!("crash test seed {seed} (set CW_CRASH_SEED to reproduce), {iterations} kills");
    let mut rng = Rng::new(seed);
    let creds = all_credentials();
    let dir = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let db = dir.path().join("wallet.db");
    let provider = SoftwareKeyProvider::make(KEY_ID).unwrap();
    let key = *provider.key_bytes();
    {
        let clock = Arc::new(FixedClock::new(T0));
        let w = Wallet::create(&db, Unlock::Provider(&provider), options(&clock)).unwrap();
        // A second slot, so every rotation has two to rewrap.
        w.set_pin(PIN).unwrap();
    }

    let mut model = Model::new();
    // Every id ever committed (for judging WAL-less copies, which may show deleted ones).
    let mut ever = Model::new();
    let mut next_op = 0u64;
    let mut stats = Stats::default();
    let started = Instant::now();

    for it in 0..iterations {
        let (child, rx) = spawn_child(&db, &key, next_op, "ops");
        let mut seen = Vec::new();
        // Kill points: a quarter of the runs early (possibly while the wallet is still opening,
        // i.e. during WAL recovery), three in twenty during a rotation, the rest after a random
        // number of commits plus a random sub-commit delay, so kills land inside transactions,
        // fsyncs and checkpoints.
        // Three runs in twenty write long enough for SQLite's automatic WAL checkpoint (every 1000
        // pages) to run in the child, so some kills land in or after a checkpoint.
        let before_run: Model = model.clone();
        let canary_before = canary(&db);
        let mode = rng.below(20);
        if mode < 5 {
            std::thread::sleep(Duration::from_micros(rng.below(5_000)));
        } else if mode >= 17 {
            // Three runs in twenty are killed during a data key rotation: after its Argon2id
            // run for the new PIN slot, inside its transaction, or just after.
            wait_for(&rx, &mut seen, "READY", 1);
            let nth = 1 + rng.below(3) as usize;
            wait_until(
                &rx,
                &mut seen,
                |l| l.starts_with("BEGIN") && l.ends_with("rotate"),
                nth,
            );
            std::thread::sleep(Duration::from_micros(rng.below(150_000)));
        } else {
            wait_for(&rx, &mut seen, "READY", 1);
            let commits = if mode < 8 {
                250 + rng.below(600)
            } else {
                1 + rng.below(100)
            } as usize;
            wait_for(&rx, &mut seen, "COMMIT", commits);
            std::thread::sleep(Duration::from_micros(rng.below(3_000)));
        }
        let (lines, _stderr) = kill_and_drain(child, rx, seen);
        stats.kills += 1;
        if !lines.iter().any(|l| l == "READY") {
            stats.killed_before_ready += 1;
        }

        // Replay what the child reported onto the model.
        let mut in_flight: Option<(u64, Op, Option<String>)> = None;
        let mut rotations = 0;
        for l in &lines {
            let parts: Vec<&str> = l.split(' ').collect();
            match parts[0] {
                "BEGIN" => {
                    let n: u64 = parts[1].parse().unwrap();
                    assert_eq!(n, next_op, "operations out of order");
                    in_flight = Some((n, op(n, creds.len()), parts.get(3).map(|s| s.to_string())));
                }
                "COMMIT" => {
                    let n: u64 = parts[1].parse().unwrap();
                    let (m, o, _) = in_flight.take().expect("COMMIT without BEGIN");
                    assert_eq!(m, n);
                    match o {
                        Op::Add(i) => {
                            model.insert(parts[2].into(), i);
                            ever.insert(parts[2].into(), i);
                        }
                        Op::Batch(ix) => {
                            assert_eq!(parts.len(), 5);
                            for (id, i) in parts[2..].iter().zip(ix) {
                                model.insert((*id).into(), i);
                                ever.insert((*id).into(), i);
                            }
                        }
                        Op::Delete => {
                            if let Some(victim) = parts.get(2) {
                                assert!(model.remove(*victim).is_some(), "deleted an unknown id");
                            }
                        }
                        Op::Rotate => rotations += 1,
                    }
                    stats.commits_reported += 1;
                    next_op = n + 1;
                }
                _ => {}
            }
        }

        // The files as the kill left them: first a WAL-less copy, then the real thing.
        let walless = copy_without_wal(&db, scratch.path(), it);
        integrity_ok(&db);
        let rotated = canary(&db) != canary_before;
        let actual = read_wallet(&db, &provider, &creds);
        // The key changed exactly when a rotation committed.
        stats.rotations_reported += rotations;
        let rotating = matches!(in_flight, Some((_, Op::Rotate, _)));
        if rotations > 0 {
            assert!(rotated, "iteration {it}: a reported rotation was lost");
        } else if rotating {
            if rotated {
                stats.rotation_in_flight_landed += 1;
            } else {
                stats.rotation_in_flight_lost += 1;
            }
        } else {
            assert!(!rotated, "iteration {it}: the key changed with no rotation");
        }

        // Exactly the model, or the model plus the whole in-flight operation.
        if actual == model {
            if in_flight.is_some() && !rotating {
                stats.in_flight_lost += 1;
            }
        } else {
            let (n, o, victim) = in_flight.clone().unwrap_or_else(|| {
                panic!("iteration {it}: wallet differs from the reported commits and nothing was in flight")
            });
            let mut landed = model.clone();
            match o {
                Op::Add(_) | Op::Batch(_) => {
                    let want: Vec<usize> = match o {
                        Op::Add(i) => vec![i],
                        Op::Batch(ix) => ix.to_vec(),
                        Op::Delete | Op::Rotate => unreachable!(),
                    };
                    let extra: Vec<(&String, &usize)> =
                        actual.iter().filter(|(id, _)| !model.contains_key(*id)).collect();
                    let mut got: Vec<usize> = extra.iter().map(|(_, i)| **i).collect();
                    let mut want_sorted = want.clone();
                    got.sort_unstable();
                    want_sorted.sort_unstable();
                    assert_eq!(
                        got, want_sorted,
                        "iteration {it}: op {n} landed partially or wrongly"
                    );
                    for (id, i) in extra {
                        landed.insert(id.clone(), *i);
                        ever.insert(id.clone(), *i);
                    }
                }
                Op::Delete => {
                    landed.remove(&victim.expect("delete without a victim"));
                }
                Op::Rotate => panic!("iteration {it}: a rotation changed the credentials"),
            }
            assert_eq!(
                actual, landed,
                "iteration {it}: the wallet is neither before nor after op {n}"
            );
            stats.in_flight_landed += 1;
            next_op = n + 1;
            model = landed;
        }
        stats.ids_verified += actual.len();
        open_without_wal(
            &walless,
            &provider,
            &ever,
            &model,
            &before_run,
            &creds,
            &mut stats,
        );
        // Keep the wallet small enough that checking it stays cheap: the parent deletes the
        // oldest credentials (each delete is a commit too, checked on the next round).
        if model.len() > TRIM_ABOVE {
            let clock = Arc::new(FixedClock::new(T0));
            let w = Wallet::open(&db, Unlock::Provider(&provider), options(&clock)).unwrap();
            let victims: Vec<String> = model.keys().take(model.len() - TRIM_TO).cloned().collect();
            for id in victims {
                w.delete(&id).unwrap();
                model.remove(&id);
            }
            stats.trimmed += 1;
        }
    }

    println!(
        "crash test: {} kills ({} before the wallet finished opening), {} reported commits verified, \
         {} id checks, in-flight op landed {} / lost {}, final wallet {} credentials (trimmed {} times), {:.1} s",
        stats.kills,
        stats.killed_before_ready,
        stats.commits_reported,
        stats.ids_verified,
        stats.in_flight_landed,
        stats.in_flight_lost,
        model.len(),
        stats.trimmed,
        started.elapsed().as_secs_f64()
    );
    println!(
        "data key rotations: {} reported (each checked: the key changed), in flight at the kill: \
         landed {} / lost {}",
        stats.rotations_reported, stats.rotation_in_flight_landed, stats.rotation_in_flight_lost
    );
    println!(
        "WAL-less copies: {} opened to an older consistent state (missing {} committed credentials \
         in all, undetectably; {} taken after a checkpoint in the child), errors: {:?}",
        stats.walless_older_state,
        stats.walless_missing,
        stats.walless_after_checkpoint,
        stats.walless_errors
    );
    assert!(stats.kills >= 20);
    assert!(stats.commits_reported > 0, "no commit was ever reported");
    assert!(stats.rotations_reported > 0, "no rotation was ever reported");
}

/// A kill while the wallet is being created leaves either a complete wallet or a file that gives
/// a typed error; the library never deletes it, and `create` refuses to overwrite it.
#[test]
fn sigkill_during_create_leaves_a_wallet_or_a_typed_error() {
    let seed = seed() ^ 0x5eed;
    let mut rng = Rng::new(seed);
    let iterations = 12;
    let provider = SoftwareKeyProvider::make(KEY_ID).unwrap();
    let key = *provider.key_bytes();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..iterations {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("wallet.db");
        let (child, rx) = spawn_child(&db, &key, 0, "create");
        let mut seen = Vec::new();
        wait_for(&rx, &mut seen, "BEGIN", 1);
        std::thread::sleep(Duration::from_micros(rng.below(8_000)));
        let (lines, _) = kill_and_drain(child, rx, seen);
        let reported = lines.iter().any(|l| l == "COMMIT create");
        let clock = Arc::new(FixedClock::new(T0));
        if !db.exists() {
            assert!(!reported);
            *outcomes.entry("no file".into()).or_default() += 1;
            continue;
        }
        let outcome =
            Wallet::open(&db, Unlock::Provider(&provider), options(&clock)).and_then(|w| w.list(None));
        match outcome {
            Ok(list) => {
                assert!(list.is_empty());
                *outcomes.entry("complete wallet".into()).or_default() += 1;
            }
            Err(e) => {
                assert!(!reported, "a reported create does not open: {e:?}");
                assert!(matches!(e, Error::Corrupted(_) | Error::Storage(_)), "{e:?}");
                *outcomes.entry(format!("{e:?}")).or_default() += 1;
            }
        }
        assert!(db.is_file(), "the library deleted a wallet file");
        assert!(matches!(
            Wallet::create(&db, Unlock::Provider(&provider), options(&clock)),
            Err(Error::AlreadyExists(_))
        ));
    }
    println!("kill during create (seed {seed}): {outcomes:?}");
}
