//! `cwallet change-pin` with and without `--rotate`, against someone who kept an old copy of
//! the wallet file and learned the old PIN.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)] // this file uses only part of the shared helpers
mod common;

use std::path::Path;

use citizen_wallet_test_support::splice_pin_slot;
use common::{first_person_credentials, json, run};

const OLD_PIN: &str = "135790";
const NEW_PIN: &str = "24682468";

fn cwallet(dir: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    let d = dir.to_str().unwrap();
    run(&[&["--wallet", d, "--pin-stdin"][..], args].concat(), stdin)
}

/// Adds the `n`-th credential of the first sample person; returns its id.
fn add(dir: &Path, n: usize, pin: &str) -> String {
    let c = &first_person_credentials()[n];
    let file = dir.with_extension(format!("cred{n}.json"));
    std::fs::write(&file, c.to_value().to_string()).unwrap();
    let o = cwallet(
        dir,
        &[
            "add",
            "--type",
            c.credential_type().as_str(),
            "--json",
            file.to_str().unwrap(),
            "--json-out",
        ],
        &format!("{pin}\n"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    json(&o)["id"].as_str().unwrap().to_string()
}

/// Without `--rotate`, an old copy of wallet.db and the old PIN still open a credential added
/// after the PIN change (the residual the help text states); with `--rotate` they do not.
///
/// On main this fails: `change-pin` had no `--rotate` (exit 2, usage), so nothing a user could
/// do made the old PIN useless for later data.
#[test]
fn change_pin_rotate_stops_an_old_copy_and_the_old_pin_from_opening_later_data() {
    for rotate in [true, false] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("w");
        let o = cwallet(&dir, &["init"], &format!("{OLD_PIN}\n"));
        assert!(o.status.success());
        add(&dir, 0, OLD_PIN);
        // Every cwallet run closes the wallet (a checkpoint): wallet.db alone is a full copy.
        let old_copy = tmp.path().join("old-copy");
        std::fs::create_dir(&old_copy).unwrap();
        std::fs::copy(dir.join("wallet.db"), old_copy.join("wallet.db")).unwrap();

        let mut args = vec!["change-pin", "--json"];
        if rotate {
            args.push("--rotate");
        }
        let o = cwallet(&dir, &args, &format!("{OLD_PIN}\n{NEW_PIN}\n"));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
        assert_eq!(json(&o)["rotated"], rotate);
        if rotate {
            assert_eq!(json(&o)["resealed"], 1);
        }
        let later = add(&dir, 1, NEW_PIN);

        // The later file, with the old copy's PIN slot, opened with the old PIN.
        let stolen = tmp.path().join("stolen");
        std::fs::create_dir(&stolen).unwrap();
        std::fs::copy(dir.join("wallet.db"), stolen.join("wallet.db")).unwrap();
        splice_pin_slot(&old_copy.join("wallet.db"), &stolen.join("wallet.db"));
        let o = cwallet(&stolen, &["show", &later, "--json"], &format!("{OLD_PIN}\n"));
        if rotate {
            assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stdout));
            assert_eq!(json(&o)["error"], "wrong_key");
        } else {
            assert!(
                o.status.success(),
                "the residual: {}",
                String::from_utf8_lossy(&o.stdout)
            );
            assert_eq!(json(&o)["id"], later.as_str());
        }
        // The owner's new PIN opens everything either way.
        let o = cwallet(&dir, &["list", "--json"], &format!("{NEW_PIN}\n"));
        assert_eq!(json(&o)["credentials"].as_array().unwrap().len(), 2);
    }
}
