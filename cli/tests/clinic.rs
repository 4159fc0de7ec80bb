//! The clinic story through `cwallet` processes: authority, wallet, counter, and the demo.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use citizen_wallet_core::model::CredentialType;
use common::{first_person_credentials, json, run};

const PIN: &str = "135790\n";

fn ok(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout {}\nstderr {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // Human-readable output (no --json) is not parsed.
    serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The first sample person's credential of type `ty`, as a JSON file.
fn sample(dir: &Path, ty: CredentialType) -> PathBuf {
    let cred = first_person_credentials()
        .into_iter()
        .find(|c| c.credential_type() == ty)
        .unwrap();
    let p = dir.join(format!("{}.json", ty.as_str()));
    std::fs::write(&p, cred.to_value().to_string()).unwrap();
    p
}

struct Story {
    _tmp: tempfile::TempDir,
    d: PathBuf,
}

impl Story {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().to_owned();
        Self { _tmp: tmp, d }
    }
    fn p(&self, name: &str) -> PathBuf {
        self.d.join(name)
    }
    fn wallet(&self, args: &[&str]) -> Output {
        let mut all = vec!["--wallet", s(&self.d), "--pin-stdin"];
        all.extend_from_slice(args);
        run(&all, PIN)
    }
    /// `issuer status-list` for the BHXH key, written to `name` in the story's directory.
    fn publish_status_list(&self, name: &str) {
        ok(&run(
            &[
                "issuer",
                "status-list",
                "--key",
                s(&self.p("bhxh.json")),
                "--out",
                s(&self.p(name)),
            ],
            "",
        ));
    }

    fn verify(&self, extra: &[&str]) -> Output {
        let (trust, root) = (self.p("trust.cwt"), self.p("root.json"));
        let mut args = vec!["verify", "--json", "--trust", s(&trust), "--root-key", s(&root)];
        args.extend_from_slice(extra);
        run(&args, "")
    }

    /// A root (`root.json`), the BHXH issuer for `types` (`bhxh.json`) and the trust list naming
    /// it (`trust.cwt`, returned), in the story's directory.
    fn root_and_bhxh_trust_list(&self, types: &str) -> PathBuf {
        let p = |n: &str| self.p(n);
        ok(&run(
            &["issuer", "new", "--root", "--out", s(&p("root.json"))],
            "",
        ));
        ok(&run(
            &[
                "issuer",
                "new",
                "--out",
                s(&p("bhxh.json")),
                "--iss",
                "BHXH",
                "--types",
                types,
            ],
            "",
        ));
        let trust = p("trust.cwt");
        ok(&run(
            &[
                "issuer",
                "trust-list",
                "--root",
                s(&p("root.json")),
                "--out",
                s(&trust),
                s(&p("bhxh.pub.json")),
            ],
            "",
        ));
        trust
    }

    /// Imports the issued credential at `issued` (checked against `trust` and `root_pub`) and
    /// presents its full name to `qr.txt` in the story's directory, which it returns.
    fn import_and_present_name(&self, trust: &Path, root_pub: &Path, issued: &Path) -> PathBuf {
        let id = ok(&self.wallet(&[
            "import",
            "--json",
            "--trust",
            s(trust),
            "--root-key",
            s(root_pub),
            s(issued),
        ]))["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let qr = self.p("qr.txt");
        ok(&self.wallet(&[
            "present",
            "--json",
            "--credential",
            &id,
            "--claims",
            "full_name",
            "--out-text",
            s(&qr),
        ]));
        qr
    }
}

#[test]
fn issue_import_present_verify_revoke_from_the_command_line() {
    let st = Story::new();
    // The authority: a root and the social-insurance issuer.
    ok(&run(
        &[
            "issuer",
            "--json",
            "new",
            "--root",
            "--out",
            s(&st.p("root.json")),
        ],
        "",
    ));
    let bhxh = ok(&run(
        &[
            "issuer",
            "--json",
            "new",
            "--out",
            s(&st.p("bhxh.json")),
            "--iss",
            "BHXH",
            "--name-vi",
            "Bảo hiểm xã hội",
            "--name-en",
            "Social Security",
            "--types",
            "health_insurance,clinic_checkin",
            "--status-size",
            "64",
        ],
        "",
    ));
    assert_eq!(bhxh["kid"].as_str().unwrap().len(), 16);
    // Key files are private; the public file has no seed.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(st.p("bhxh.json")).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "key file readable by others: {mode:o}");
    }
    let public = std::fs::read_to_string(st.p("bhxh.pub.json")).unwrap();
    assert!(!public.contains("seed"), "{public}");
    // Never overwrite a key.
    let again = run(&["issuer", "new", "--root", "--out", s(&st.p("root.json"))], "");
    assert_eq!(again.status.code(), Some(2));
    ok(&run(
        &[
            "issuer",
            "--json",
            "trust-list",
            "--root",
            s(&st.p("root.json")),
            "--out",
            s(&st.p("trust.cwt")),
            "--export",
            s(&st.p("trust.json")),
            s(&st.p("bhxh.pub.json")),
        ],
        "",
    ));

    // The citizen: a wallet, its holder key, an issued check-in credential imported.
    ok(&st.wallet(&["init", "--json"]));
    let holder = ok(&st.wallet(&["holder-key", "--json"]))["holder_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let data = sample(&st.d, CredentialType::ClinicCheckin);
    let issued = ok(&run(
        &[
            "issuer",
            "--json",
            "issue",
            "--key",
            s(&st.p("bhxh.json")),
            "--holder",
            &holder,
            "--type",
            "clinic_checkin",
            "--data",
            s(&data),
            "--out",
            s(&st.p("checkin.txt")),
        ],
        "",
    ));
    assert_eq!(issued["status_index"], 1);
    let (trust, root_pub, checkin, other_txt) = (
        st.p("trust.cwt"),
        st.p("root.pub.json"),
        st.p("checkin.txt"),
        st.p("other.txt"),
    );
    let import = [
        "import",
        "--json",
        "--trust",
        s(&trust),
        "--root-key",
        s(&root_pub),
        s(&checkin),
    ];
    let id = ok(&st.wallet(&import))["id"].as_str().unwrap().to_owned();
    // `show` lists the claims by name and what the citizen may choose to show: for the
    // purpose-made check-in credential, nothing is optional (the issuer's policy).
    let shown = ok(&st.wallet(&["show", "--json", &id]));
    assert_eq!(shown["disclosable"], serde_json::json!([]));
    assert!(citizen_wallet_core::issuer::Issuer::default_sd_claims(CredentialType::ClinicCheckin).is_empty());
    let text = String::from_utf8(st.wallet(&["show", &id]).stdout).unwrap();
    assert!(text.contains("  full_name") && !text.contains(" *\n"), "{text}");
    assert!(text.contains("the issuer made none optional"), "{text}");

    // A credential for another holder key is refused, and nothing is stored.
    let other = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    ok(&run(
        &[
            "issuer",
            "issue",
            "--key",
            s(&st.p("bhxh.json")),
            "--holder",
            other,
            "--type",
            "clinic_checkin",
            "--data",
            s(&data),
            "--out",
            s(&st.p("other.txt")),
        ],
        "",
    ));
    let mut import_other = import;
    import_other[6] = s(&other_txt);
    assert_eq!(st.wallet(&import_other).status.code(), Some(5));
    assert_eq!(
        ok(&st.wallet(&["list", "--json"]))["credentials"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Present: text, PNG and SVG; the check-in QR fits version 14.
    let p = ok(&st.wallet(&[
        "present",
        "--json",
        "--credential",
        &id,
        "--claims",
        "full_name,dob,citizen_id,bhyt_code",
        "--out-text",
        s(&st.p("qr.txt")),
        "--out-png",
        s(&st.p("qr.png")),
        "--out-svg",
        s(&st.p("qr.svg")),
    ]));
    assert!(p["qr_version"].as_u64().unwrap() <= 14, "{p}");
    let text = std::fs::read_to_string(st.p("qr.txt")).unwrap();
    assert_eq!(text.trim(), p["qr_text"].as_str().unwrap());
    assert!(std::fs::read_to_string(st.p("qr.svg")).unwrap().contains("<svg"));
    assert_eq!(
        citizen_wallet_core::qr::decode_png(&std::fs::read(st.p("qr.png")).unwrap()).unwrap(),
        text.trim()
    );

    // The counter. Without a status list: every check passed, but the revocation status is not
    // current (exit 8), and that is not "ok" (it was `true` before the three-way outcome:
    // a script reading it took an unchecked, possibly revoked, credential for valid).
    let v = st.verify(&["--text", s(&st.p("qr.txt"))]);
    assert_eq!(v.status.code(), Some(8), "{}", String::from_utf8_lossy(&v.stdout));
    assert_eq!(json(&v)["status"], "valid_stale");
    assert_eq!(json(&v)["ok"], false);
    // With the issuer's status list: valid (exit 0), from the text and from the image.
    st.publish_status_list("status.cwt");
    // `--image` reads PNG or JPEG; `--png` is its old name.
    for input in [
        ["--text", s(&st.p("qr.txt"))],
        ["--png", s(&st.p("qr.png"))],
        ["--image", s(&st.p("qr.png"))],
    ] {
        let v = st.verify(&[&["--status", s(&st.p("status.cwt"))][..], &input[..]].concat());
        let j = ok(&v);
        assert_eq!(j["status"], "valid");
        assert_eq!(j["credential_type"], "clinic_checkin");
        let names: Vec<&str> = j["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["full_name", "dob", "citizen_id", "bhyt_code"]);
    }
    // A JPEG photo of a presentation from another trust world (core's test fixture): read,
    // then rejected like any foreign presentation (exit 5), not an image error.
    let jpeg =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/data/jpeg/presentation-gray-q20.jpg");
    let v = st.verify(&["--status", s(&st.p("status.cwt")), "--image", s(&jpeg)]);
    assert_eq!(v.status.code(), Some(5), "{}", String::from_utf8_lossy(&v.stderr));
    assert_eq!(json(&v)["status"], "invalid");
    // A tampered code: rejected with a reason, exit 5.
    let mut chars: Vec<char> = text.trim().chars().collect();
    let mid = chars.len() / 2;
    chars[mid] = if chars[mid] == '0' { '1' } else { '0' };
    std::fs::write(st.p("bad.txt"), chars.into_iter().collect::<String>()).unwrap();
    let v = st.verify(&["--status", s(&st.p("status.cwt")), "--text", s(&st.p("bad.txt"))]);
    assert_eq!(v.status.code(), Some(5));
    assert_eq!(json(&v)["status"], "invalid");
    assert!(json(&v)["claims"].as_array().unwrap().is_empty());
    // A counter with its own id refuses presentations made for any counter.
    let v = st.verify(&[
        "--audience",
        "clinic-7",
        "--require-audience",
        "--text",
        s(&st.p("qr.txt")),
    ]);
    assert_eq!(
        (v.status.code(), json(&v)["reason"].as_str()),
        (Some(5), Some("WrongAudience"))
    );

    // Revocation: the issuer revokes index 1 and publishes a new list; the counter rejects.
    ok(&run(
        &["issuer", "--json", "revoke", "--key", s(&st.p("bhxh.json")), "1"],
        "",
    ));
    st.publish_status_list("status2.cwt");
    let v = st.verify(&["--status", s(&st.p("status2.cwt")), "--text", s(&st.p("qr.txt"))]);
    assert_eq!(
        (v.status.code(), json(&v)["reason"].as_str()),
        (Some(5), Some("Revoked"))
    );
    // An index never issued cannot be revoked.
    assert_eq!(
        run(&["issuer", "revoke", "--key", s(&st.p("bhxh.json")), "40"], "")
            .status
            .code(),
        Some(2)
    );

    // A trust list checked against the wrong root key is refused before anything is verified.
    let wrong_root = run(
        &[
            "verify",
            "--trust",
            s(&st.p("trust.cwt")),
            "--root-key",
            other,
            "--text",
            s(&st.p("qr.txt")),
        ],
        "",
    );
    assert_eq!(
        wrong_root.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&wrong_root.stderr)
    );
}

#[test]
fn an_issuer_cannot_issue_types_it_is_not_trusted_for() {
    let st = Story::new();
    ok(&run(
        &["issuer", "new", "--root", "--out", s(&st.p("root.json"))],
        "",
    ));
    ok(&run(
        &[
            "issuer",
            "new",
            "--out",
            s(&st.p("court.json")),
            "--iss",
            "TA",
            "--types",
            "judicial_record",
        ],
        "",
    ));
    ok(&run(
        &[
            "issuer",
            "trust-list",
            "--root",
            s(&st.p("root.json")),
            "--out",
            s(&st.p("trust.cwt")),
            s(&st.p("court.json")),
        ],
        "",
    ));
    ok(&st.wallet(&["init"]));
    let holder = ok(&st.wallet(&["holder-key", "--json"]))["holder_key"]
        .as_str()
        .unwrap()
        .to_owned();
    // The court signs a health-insurance card: it signs fine, but no wallet accepts it.
    let data = sample(&st.d, CredentialType::HealthInsurance);
    ok(&run(
        &[
            "issuer",
            "issue",
            "--key",
            s(&st.p("court.json")),
            "--holder",
            &holder,
            "--type",
            "health_insurance",
            "--data",
            s(&data),
            "--out",
            s(&st.p("card.txt")),
        ],
        "",
    ));
    let o = st.wallet(&[
        "import",
        "--json",
        "--trust",
        s(&st.p("trust.cwt")),
        "--root-key",
        s(&st.p("root.json")),
        s(&st.p("card.txt")),
    ]);
    assert_eq!(o.status.code(), Some(5));
    assert_eq!(json(&o)["error"], "rejected");
}

#[test]
fn the_demo_tells_the_clinic_story_and_its_png_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("demo");
    let o = run(&["demo", "--dir", s(&d), "--json"], "");
    let j = ok(&o);
    assert_eq!(j["credentials"], 23);
    let version = j["checkin_qr_version"].as_u64().unwrap();
    let bytes = j["checkin_qr_bytes"].as_u64().unwrap();
    assert!(version <= 14, "check-in QR version {version}");
    println!("demo check-in QR: version {version}, {bytes} bytes");
    assert_eq!(j["verdict"]["status"], "valid");
    assert_eq!(j["tampered"].as_str().unwrap().split(':').next(), Some("INVALID"));
    assert_eq!(
        j["revoked"],
        "INVALID: the document has been revoked by its issuer"
    );

    // The PNG decodes, with the Rust QR reader, to the text file's contents.
    let text = std::fs::read_to_string(d.join("clinic-qr.txt")).unwrap();
    let png = std::fs::read(d.join("clinic-qr.png")).unwrap();
    assert_eq!(citizen_wallet_core::qr::decode_png(&png).unwrap(), text.trim());
    assert!(std::fs::read_to_string(d.join("clinic-qr.svg"))
        .unwrap()
        .contains("<svg"));
    // ...and verifies at a counter that has only the published files.
    let v = run(
        &[
            "verify",
            "--json",
            "--trust",
            s(&d.join("trust-list.cwt")),
            "--root-key",
            s(&d.join("keys/root.pub.json")),
            "--status",
            s(&d.join("status/BHXH.cwt")),
            "--png",
            s(&d.join("clinic-qr.png")),
        ],
        "",
    );
    assert_eq!(ok(&v)["status"], "valid");

    // trust-list.json lists the four issuers for other tools.
    let t: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("trust-list.json")).unwrap()).unwrap();
    let issuers = t["issuers"].as_array().unwrap();
    assert_eq!(issuers.len(), 4);
    for i in issuers {
        assert_eq!(i["kid"].as_str().unwrap().len(), 16);
        assert_eq!(i["public_key"].as_str().unwrap().len(), 64);
        assert!(!i["types"].as_array().unwrap().is_empty());
    }

    // Running it again reuses its own directory; a foreign directory is never touched.
    ok(&run(&["demo", "--dir", s(&d), "--json"], ""));
    let foreign = tmp.path().join("mine");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "x").unwrap();
    assert_eq!(run(&["demo", "--dir", s(&foreign)], "").status.code(), Some(2));
    assert!(foreign.join("keep.txt").exists());
}

/// Hardening findings 2 and 3 through `cwallet verify --state`: the counter keeps the newest
/// trust list and status lists between runs, and a later run refuses the older ones (the
/// pre-revocation status list; the trust list from before an issuer was removed), with a
/// warning, and verifies with what it keeps. (On the old code there was no `--state`: every run
/// took the lists it was given.)
#[test]
fn a_counter_with_state_refuses_rolled_back_lists_between_runs() {
    let st = Story::new();
    let p = |n: &str| st.p(n);
    let issuer = |out: &str, iss: &str, types: &str| {
        ok(&run(
            &[
                "issuer",
                "new",
                "--out",
                s(&p(out)),
                "--iss",
                iss,
                "--types",
                types,
                "--status-size",
                "64",
            ],
            "",
        ));
    };
    ok(&run(
        &["issuer", "new", "--root", "--out", s(&p("root.json"))],
        "",
    ));
    issuer("bhxh.json", "BHXH", "clinic_checkin");
    issuer("bca.json", "BCA", "citizen_id");
    let root = p("root.json");
    let trust_list = |out: &str, issuers: &[&str]| -> serde_json::Value {
        let out = p(out);
        let files: Vec<PathBuf> = issuers.iter().map(|i| p(i)).collect();
        let mut args = vec![
            "issuer",
            "--json",
            "trust-list",
            "--root",
            s(&root),
            "--out",
            s(&out),
        ];
        args.extend(files.iter().map(|f| s(f)));
        ok(&run(&args, ""))
    };
    // v1 names BHXH; the root's file numbers it 1, and the next list 2.
    assert_eq!(
        trust_list("v1.cwt", &["bhxh.pub.json", "bca.pub.json"])["sequence"],
        1
    );

    ok(&st.wallet(&["init", "--json"]));
    let holder = ok(&st.wallet(&["holder-key", "--json"]))["holder_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let data = sample(&st.d, CredentialType::ClinicCheckin);
    let key = p("bhxh.json");
    let args = [
        "issuer",
        "issue",
        "--key",
        s(&key),
        "--holder",
        &holder,
        "--type",
        "clinic_checkin",
    ];
    let (data_s, out) = (s(&data), p("checkin.txt"));
    ok(&run(
        &[&args[..], &["--data", data_s, "--out", s(&out)]].concat(),
        "",
    ));
    let (v1, root_pub) = (p("v1.cwt"), p("root.pub.json"));
    let qr = st.import_and_present_name(&v1, &root_pub, &out);

    let state = p("counter");
    let counter = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--json",
            "--root-key",
            s(&root_pub),
            "--state",
            s(&state),
            "--text",
            s(&qr),
        ];
        args.extend_from_slice(extra);
        run(&args, "")
    };
    let verdict = |o: &Output| {
        (
            o.status.code(),
            json(o)["status"].clone(),
            json(o)["reason"].clone(),
        )
    };
    let updates = |o: &Output| -> Vec<String> {
        json(o)["list_updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["update"].as_str().unwrap().to_owned())
            .collect()
    };

    // Day 1: v1 and the first status list (number 1): valid.
    st.publish_status_list("s1.cwt");
    let (s1, s2) = (p("s1.cwt"), p("s2.cwt"));
    let o = counter(&["--trust", s(&v1), "--status", s(&s1)]);
    assert_eq!(verdict(&o), (Some(0), "valid".into(), serde_json::Value::Null));
    assert_eq!(updates(&o), ["Applied", "Applied"]);
    // The credential is revoked; status list number 2 (possibly in the same second).
    ok(&run(&["issuer", "revoke", "--key", s(&key), "1"], ""));
    st.publish_status_list("s2.cwt");
    let o = counter(&["--status", s(&s2)]);
    assert_eq!(verdict(&o).0, Some(5));
    assert_eq!(json(&o)["reason"], "Revoked");
    // A later run is handed the pre-revocation list again: refused, still revoked.
    let o = counter(&["--trust", s(&v1), "--status", s(&s1)]);
    assert_eq!(updates(&o), ["SameAsCurrent", "OlderThanCurrent"]);
    assert_eq!(
        json(&o)["reason"],
        "Revoked",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let warning = String::from_utf8_lossy(&o.stderr);
    assert!(warning.contains("older than the list in use"), "{warning}");
    assert!(warning.contains("cũ hơn danh sách đang dùng"), "{warning}");

    // v2 removes BHXH (say its key leaked): its credentials are refused from now on...
    assert_eq!(trust_list("v2.cwt", &["bca.pub.json"])["sequence"], 2);
    let v2 = p("v2.cwt");
    let o = counter(&["--trust", s(&v2)]);
    assert_eq!(updates(&o), ["Applied"]);
    assert_eq!(json(&o)["reason"], "UnknownIssuer");
    // ...and replaying v1 in a later run does not bring it back.
    let o = counter(&["--trust", s(&v1)]);
    assert_eq!(updates(&o), ["OlderThanCurrent"]);
    assert_eq!(
        (o.status.code(), json(&o)["reason"].clone()),
        (Some(5), "UnknownIssuer".into())
    );

    // A damaged state file is a typed error (exit 6), and it is left as it was.
    let file = state.join(citizen_wallet_core::trust::STATE_FILE_NAME);
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    std::fs::write(&file, &bytes).unwrap();
    let o = counter(&["--trust", s(&v2)]);
    assert_eq!(o.status.code(), Some(6), "{}", String::from_utf8_lossy(&o.stdout));
    assert_eq!(json(&o)["error"], "counter_state");
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
    // A fresh directory needs a trust list.
    let o = run(
        &[
            "verify",
            "--root-key",
            s(&root_pub),
            "--state",
            s(&p("empty")),
            "--text",
            s(&qr),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
}

/// Hardening finding 5 from the command line: `--audience` alone now refuses presentations
/// made for any counter; `--accept-any-counter` is the explicit choice to take them.
#[test]
fn a_counter_id_refuses_any_counter_presentations_unless_accepted_explicitly() {
    let st = Story::new();
    let p = |n: &str| st.p(n);
    let trust = st.root_and_bhxh_trust_list("clinic_checkin");
    ok(&st.wallet(&["init", "--json"]));
    let holder = ok(&st.wallet(&["holder-key", "--json"]))["holder_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let data = sample(&st.d, CredentialType::ClinicCheckin);
    let out = p("checkin.txt");
    ok(&run(
        &[
            "issuer",
            "issue",
            "--key",
            s(&p("bhxh.json")),
            "--holder",
            &holder,
            "--type",
            "clinic_checkin",
            "--data",
            s(&data),
            "--out",
            s(&out),
        ],
        "",
    ));
    let root_pub = p("root.pub.json");
    let qr = st.import_and_present_name(&trust, &root_pub, &out);
    let reason = |extra: &[&str]| {
        let o = st.verify(&[&["--text", s(&qr)][..], extra].concat());
        json(&o)["reason"].clone()
    };
    assert_eq!(reason(&["--audience", "clinic-7"]), "WrongAudience");
    assert_eq!(
        reason(&["--audience", "clinic-7", "--accept-any-counter"]),
        "NoStatusList"
    );
    assert_eq!(reason(&[]), "NoStatusList");
    assert_eq!(reason(&["--require-audience"]), "WrongAudience");
}

/// A citizen without a phone shows the chip ID card: `cwallet verify` reads its printed QR (as
/// text or as a PNG) as unverified card data, exit 9, never as a valid or damaged presentation.
#[test]
fn the_counter_reads_an_id_cards_printed_qr_as_unverified_card_data() {
    let st = Story::new();
    let p = |n: &str| st.p(n);
    st.root_and_bhxh_trust_list("health_insurance");
    let cards = std::fs::read_to_string(citizen_wallet_test_support::data_dir().join("cccd-qr.txt")).unwrap();
    let card = cards
        .lines()
        .find(|l| !l.starts_with('#') && !l.is_empty())
        .unwrap();
    std::fs::write(p("card.txt"), card).unwrap();
    let png = citizen_wallet_core::qr::encode(card).unwrap().to_png(4).unwrap();
    std::fs::write(p("card.png"), png).unwrap();
    for input in [["--text", s(&p("card.txt"))], ["--png", s(&p("card.png"))]] {
        let o = st.verify(&input);
        assert_eq!(o.status.code(), Some(9), "{}", String::from_utf8_lossy(&o.stderr));
        let j = json(&o);
        assert_eq!(j["ok"], false);
        assert_eq!(j["status"], "id_card_unverified");
        assert_eq!(j["card"]["citizen_id"], "001192034517");
        assert!(j["summary"]
            .as_str()
            .unwrap()
            .starts_with("ID CARD: UNVERIFIED DATA"));
    }
    // Without --json: both languages, the fields, no verdict colour.
    let o = run(
        &[
            "verify",
            "--trust",
            s(&p("trust.cwt")),
            "--root-key",
            s(&p("root.json")),
            "--text",
            s(&p("card.txt")),
        ],
        "",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("THẺ CCCD: DỮ LIỆU CHƯA XÁC THỰC") && out.contains("ID CARD: UNVERIFIED DATA"),
        "{out}"
    );
    assert!(
        out.contains("Nguyễn Thị Thu Hà") && !out.contains("VALID"),
        "{out}"
    );
    // A card-shaped text that is no valid card: a clear input error (exit 5), not a verdict.
    std::fs::write(p("bad.txt"), card.replace("14031992", "31021992")).unwrap();
    let o = st.verify(&["--text", s(&p("bad.txt"))]);
    assert_eq!(o.status.code(), Some(5), "{}", String::from_utf8_lossy(&o.stderr));
}
