//! `cwallet` wallet commands, driven as a user would: a process, stdin, exit codes, JSON output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{first_person_credentials, json, run};

/// `cwallet --wallet DIR ARGS`.
fn cwallet(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let dir = dir.to_str().unwrap();
    run(&[&["--wallet", dir][..], args].concat(), stdin)
}

/// The first sample person's credentials as JSON files: (type, path).
fn sample_files(dir: &Path) -> Vec<(String, PathBuf)> {
    first_person_credentials()
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let p = dir.join(format!("cred{i}.json"));
            std::fs::write(&p, c.to_value().to_string()).unwrap();
            (c.credential_type().as_str().to_string(), p)
        })
        .collect()
}

#[test]
fn wallet_lifecycle_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let pin = "135790\n";

    let o = cwallet(&dir, &["--pin-stdin", "init", "--json"], pin);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["holder_key"].as_str().unwrap().len(), 64);
    // A second init never overwrites the wallet.
    let o = cwallet(&dir, &["--pin-stdin", "init"], pin);
    assert_eq!(o.status.code(), Some(5));

    let mut ids = Vec::new();
    for (ty, file) in sample_files(tmp.path()) {
        let o = cwallet(
            &dir,
            &[
                "--pin-stdin",
                "add",
                "--type",
                &ty,
                "--json",
                file.to_str().unwrap(),
                "--json-out",
            ],
            pin,
        );
        assert!(o.status.success(), "{ty}: {}", String::from_utf8_lossy(&o.stdout));
        ids.push(json(&o)["id"].as_str().unwrap().to_string());
    }
    let o = cwallet(&dir, &["--pin-stdin", "list", "--json"], pin);
    assert_eq!(json(&o)["credentials"].as_array().unwrap().len(), ids.len());
    let o = cwallet(
        &dir,
        &["--pin-stdin", "list", "--type", "health_book", "--json"],
        pin,
    );
    assert_eq!(json(&o)["credentials"].as_array().unwrap().len(), 1);

    let o = cwallet(&dir, &["--pin-stdin", "show", &ids[0]], pin);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("Họ và tên / Full name: Nguyễn Thị Thu Hà"),
        "{text}"
    );

    let o = cwallet(&dir, &["--pin-stdin", "delete", &ids[0]], pin);
    assert!(o.status.success());
    let o = cwallet(&dir, &["--pin-stdin", "show", &ids[0], "--json"], pin);
    assert_eq!(o.status.code(), Some(4));
    assert_eq!(json(&o)["error"], "not_found");

    // Wrong PIN: exit 3, typed, and the PIN is not echoed.
    let o = cwallet(&dir, &["--pin-stdin", "list", "--json"], "999999\n");
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(json(&o)["error"], "wrong_pin");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("999999"));
    std::thread::sleep(std::time::Duration::from_millis(1100));

    // change-pin: old PIN then new PIN on stdin.
    let o = cwallet(&dir, &["--pin-stdin", "change-pin"], "135790\n24682468\n");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = cwallet(&dir, &["--pin-stdin", "list", "--json"], "24682468\n");
    assert_eq!(json(&o)["credentials"].as_array().unwrap().len(), ids.len() - 1);

    // Bad input: unknown type, broken JSON, missing PIN.
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let add_bad = |ty: &str| {
        cwallet(
            &dir,
            &[
                "--pin-stdin",
                "add",
                "--type",
                ty,
                "--json",
                bad.to_str().unwrap(),
            ],
            "24682468\n",
        )
    };
    let o = add_bad("citizen_id");
    assert_eq!(o.status.code(), Some(5));
    let o = add_bad("passport");
    assert_eq!(o.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&o.stderr).contains("citizen_id"));
    let o = cwallet(&dir, &["list"], "");
    assert_eq!(o.status.code(), Some(2));
}
