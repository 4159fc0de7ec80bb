//! PIN guessing with many `cwallet` processes at once: each process is a separate wallet handle
//! with nothing shared but the file, as an attacker scripting the CLI (or several app
//! processes) would have.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)] // this file uses only part of the shared helpers
mod common;

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use common::{json, run, spawn};

const PIN: &str = "135790";
const WRONG: &str = "999999";
const PROCESSES: usize = 8;

fn stored_failures(dir: &Path) -> u32 {
    let db = rusqlite::Connection::open(dir.join("wallet.db")).unwrap();
    db.query_row("SELECT failed FROM pin_attempts WHERE id = 1", [], |r| r.get(0))
        .unwrap()
}

/// How many PINs the back-off schedule (1 s, 2 s, 4 s, ... after the 1st, 2nd, 3rd wrong PIN)
/// lets through in `secs` seconds, starting with an allowed attempt: n attempts need
/// 1 + 2 + ... + 2^(n-2) = 2^(n-1) - 1 seconds.
fn allowed_in(secs: f64) -> usize {
    let mut n = 1;
    while (2f64).powi(n as i32) - 1.0 <= secs {
        n += 1;
    }
    n
}

/// Eight `cwallet` processes, started together and handed a wrong PIN at the same moment, test
/// at most one PIN per back-off window: the others exit 3 with `backoff` without testing it.
///
/// On main this fails: each process checked the back-off, ran Argon2id (~30-100 ms) and only
/// then recorded its failure, so processes reaching the check within one KDF time all tested
/// their PIN (measured: 8 of 8 `wrong_pin`).
#[test]
fn eight_cwallet_processes_test_at_most_one_pin_per_backoff_window() {
    assert_eq!(allowed_in(0.5), 1);
    assert_eq!(allowed_in(1.0), 2);
    assert_eq!(allowed_in(3.5), 3);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let d = dir.to_str().unwrap();
    let o = run(&["--wallet", d, "--pin-stdin", "init"], &format!("{PIN}\n"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // Start every process first: each waits for its PIN on stdin. Then hand all of them the
    // wrong PIN at once.
    let mut children: Vec<_> = (0..PROCESSES)
        .map(|_| spawn(&["--wallet", d, "--pin-stdin", "list", "--json"]))
        .collect();
    let started = Instant::now();
    for c in &mut children {
        let mut stdin = c.stdin.take().unwrap();
        stdin.write_all(format!("{WRONG}\n").as_bytes()).unwrap();
    }
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let elapsed = started.elapsed().as_secs_f64();

    let mut tested = 0;
    for o in &outputs {
        assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stdout));
        let j = json(o);
        match j["error"].as_str().unwrap() {
            "wrong_pin" => tested += 1,
            "backoff" => {}
            other => panic!("unexpected error {other}: {j}"),
        }
        assert!(!String::from_utf8_lossy(&o.stdout).contains(WRONG));
    }
    println!("{PROCESSES} processes in {elapsed:.2} s: {tested} PIN(s) tested");
    assert!(tested >= 1);
    assert!(
        tested <= allowed_in(elapsed),
        "{tested} PINs tested in {elapsed:.2} s; the back-off allows {}",
        allowed_in(elapsed)
    );
    assert_eq!(
        stored_failures(&dir),
        tested as u32,
        "every tested PIN is counted, and only those"
    );
}

/// A wallet whose PIN is disabled (10 wrong PINs in a row) refuses the right PIN with exit 3
/// and `pin_locked`; the message says what to do. (Reaching 10 through the CLI takes 511 s of
/// back-off; the count is set in the file here. The policy itself is tested in
/// core/tests/pin_policy.rs.)
#[test]
fn a_disabled_pin_exits_3_with_pin_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let d = dir.to_str().unwrap();
    let o = run(&["--wallet", d, "--pin-stdin", "init"], &format!("{PIN}\n"));
    assert!(o.status.success());
    rusqlite::Connection::open(dir.join("wallet.db"))
        .unwrap()
        .execute("UPDATE pin_attempts SET failed = 10 WHERE id = 1", [])
        .unwrap();
    let o = run(
        &["--wallet", d, "--pin-stdin", "list", "--json"],
        &format!("{PIN}\n"),
    );
    assert_eq!(o.status.code(), Some(3));
    let j = json(&o);
    assert_eq!(j["error"], "pin_locked", "{j}");
    assert!(j["message"].as_str().unwrap().contains("device key"), "{j}");
    assert_eq!(stored_failures(&dir), 10, "the right PIN was not tested");
}
