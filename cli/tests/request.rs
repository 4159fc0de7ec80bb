//! The two-way request QR through `cwallet` processes (issue 12 item 2): a certified reader
//! asks (`cwallet request`), the citizen answers (`present --request` / `--request-png`), the
//! counter accepts the answer once (`verify --state`).
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
    json(o)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

struct Counter {
    _tmp: tempfile::TempDir,
    d: PathBuf,
}

impl Counter {
    fn p(&self, name: &str) -> PathBuf {
        self.d.join(name)
    }

    fn wallet(&self, args: &[&str]) -> Output {
        let mut all = vec!["--wallet", s(&self.d), "--pin-stdin"];
        all.extend_from_slice(args);
        run(&all, PIN)
    }

    fn issuer(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["issuer", "--json"];
        all.extend_from_slice(args);
        ok(&run(&all, ""))
    }

    /// Root, BHXH, a clinic reader and a police reader; a trust list naming them (and one
    /// naming BHXH only, as before readers); a wallet holding an imported check-in credential.
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let c = Self {
            d: tmp.path().to_owned(),
            _tmp: tmp,
        };
        c.issuer(&["new", "--root", "--out", s(&c.p("root.json"))]);
        c.issuer(&[
            "new",
            "--out",
            s(&c.p("bhxh.json")),
            "--iss",
            "BHXH",
            "--types",
            "clinic_checkin",
            "--status-size",
            "64",
        ]);
        let clinic = c.issuer(&[
            "new",
            "--reader",
            "--reader-id",
            "BM-Q1",
            "--role",
            "clinic",
            "--name-vi",
            "Bệnh viện Bạch Mai, quầy 1",
            "--name-en",
            "Bach Mai Hospital, desk 1",
            "--out",
            s(&c.p("clinic.json")),
        ]);
        assert_eq!(clinic["role"], "reader");
        assert_eq!(clinic["reader_role"], "clinic");
        c.issuer(&[
            "new",
            "--reader",
            "--reader-id",
            "CA-HK",
            "--role",
            "police",
            "--out",
            s(&c.p("police.json")),
        ]);
        // A reader id too long for the answer QR is refused.
        let long = run(
            &[
                "issuer",
                "new",
                "--reader",
                "--reader-id",
                "a-very-long-reader-id",
                "--role",
                "clinic",
                "--out",
                s(&c.p("x.json")),
            ],
            "",
        );
        assert_eq!(long.status.code(), Some(2));
        let list = c.issuer(&[
            "trust-list",
            "--root",
            s(&c.p("root.json")),
            "--out",
            s(&c.p("trust.cwt")),
            "--export",
            s(&c.p("trust.json")),
            s(&c.p("bhxh.pub.json")),
            s(&c.p("clinic.pub.json")),
            s(&c.p("police.pub.json")),
        ]);
        assert_eq!(list["readers"], 2);
        let export: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(c.p("trust.json")).unwrap()).unwrap();
        assert_eq!(export["readers"][0]["reader_id"], "BM-Q1");
        c.issuer(&[
            "trust-list",
            "--root",
            s(&c.p("root.json")),
            "--out",
            s(&c.p("old-trust.cwt")),
            s(&c.p("bhxh.pub.json")),
        ]);
        ok(&c.wallet(&["init", "--json"]));
        let holder = ok(&c.wallet(&["holder-key", "--json"]))["holder_key"]
            .as_str()
            .unwrap()
            .to_owned();
        let cred = first_person_credentials()
            .into_iter()
            .find(|x| x.credential_type() == CredentialType::ClinicCheckin)
            .unwrap();
        std::fs::write(c.p("checkin.json"), cred.to_value().to_string()).unwrap();
        c.issuer(&[
            "issue",
            "--key",
            s(&c.p("bhxh.json")),
            "--holder",
            &holder,
            "--type",
            "clinic_checkin",
            "--data",
            s(&c.p("checkin.json")),
            "--out",
            s(&c.p("issued.txt")),
        ]);
        ok(&c.wallet(&[
            "import",
            "--json",
            "--trust",
            s(&c.p("trust.cwt")),
            "--root-key",
            s(&c.p("root.pub.json")),
            s(&c.p("issued.txt")),
        ]));
        c.issuer(&[
            "status-list",
            "--key",
            s(&c.p("bhxh.json")),
            "--out",
            s(&c.p("bhxh-status.cwt")),
        ]);
        c
    }

    fn request(&self, reader: &str, ty: &str, claims: &str, purpose: &str, name: &str) -> Output {
        run(
            &[
                "request",
                "--json",
                "--no-terminal",
                "--reader-key",
                s(&self.p(reader)),
                "--state",
                s(&self.p("counter")),
                "--trust",
                s(&self.p("trust.cwt")),
                "--root-key",
                s(&self.p("root.pub.json")),
                "--type",
                ty,
                "--claims",
                claims,
                "--purpose",
                purpose,
                "--out-text",
                s(&self.p(&format!("{name}.txt"))),
                "--out-png",
                s(&self.p(&format!("{name}.png"))),
            ],
            "",
        )
    }

    fn answer(&self, how: &str, request: &str, trust: &str, out: &str) -> Output {
        self.wallet(&[
            "present",
            "--json",
            "--no-terminal",
            how,
            s(&self.p(request)),
            "--trust",
            s(&self.p(trust)),
            "--root-key",
            s(&self.p("root.pub.json")),
            "--out-text",
            s(&self.p(out)),
        ])
    }

    fn verify(&self, text: &str, extra: &[&str]) -> Output {
        let (state, root) = (self.p("counter"), self.p("root.pub.json"));
        let (status, t) = (self.p("bhxh-status.cwt"), self.p(text));
        let mut args = vec![
            "verify",
            "--json",
            "--state",
            s(&state),
            "--root-key",
            s(&root),
            "--status",
            s(&status),
            "--text",
            s(&t),
        ];
        args.extend_from_slice(extra);
        run(&args, "")
    }
}

fn reason(o: &Output) -> String {
    json(o)["reason"].as_str().unwrap_or("").to_owned()
}

#[test]
fn a_counter_asks_the_citizen_answers_and_the_answer_counts_once() {
    let c = Counter::new();
    let req = ok(&c.request(
        "clinic.json",
        "clinic_checkin",
        "full_name,dob,citizen_id,bhyt_code",
        "clinic_checkin",
        "req",
    ));
    assert!(req["qr_version"].as_u64().unwrap() <= 10, "{req}");
    assert_eq!(req["open_requests"], 1);
    assert_eq!(req["reader_id"], "BM-Q1");

    // The citizen sees who asks, what and why, then answers from the text or the picture.
    let a = ok(&c.answer("--request", "req.txt", "trust.cwt", "answer.txt"));
    assert_eq!(a["audience"], "BM-Q1");
    assert_eq!(a["request"]["role"], "clinic");
    assert_eq!(a["request"]["reader_name_en"], "Bach Mai Hospital, desk 1");
    assert!(a["request"]["summary_vi"]
        .as_str()
        .unwrap()
        .contains("tiếp đón khám bệnh"));
    let again = ok(&c.answer("--request-png", "req.png", "trust.cwt", "answer2.txt"));
    assert_eq!(again["audience"], "BM-Q1");

    // The counter accepts the first answer, then neither it nor a second answer to the same
    // request.
    let v = ok(&c.verify("answer.txt", &[]));
    assert_eq!(v["status"], "valid");
    for replay in ["answer.txt", "answer2.txt"] {
        let o = c.verify(replay, &[]);
        assert_eq!(o.status.code(), Some(5));
        assert_eq!(reason(&o), "RequestAlreadyAnswered");
        assert!(json(&o)["message_vi"]
            .as_str()
            .unwrap()
            .contains("đã được trả lời"));
    }

    // A one-way code: refused by a counter that requires requests, accepted otherwise.
    let id = ok(&c.wallet(&["list", "--json"]))["credentials"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(&c.wallet(&[
        "present",
        "--json",
        "--no-terminal",
        "--credential",
        &id,
        "--out-text",
        s(&c.p("oneway.txt")),
    ]));
    let strict = c.verify("oneway.txt", &["--require-request"]);
    assert_eq!(strict.status.code(), Some(5));
    assert_eq!(reason(&strict), "RequestRequired");
    assert_eq!(ok(&c.verify("oneway.txt", &[]))["status"], "valid");
}

#[test]
fn the_wallet_refuses_unknown_readers_and_the_counter_cannot_ask_beyond_its_role() {
    let c = Counter::new();
    // The clinic may not ask for a judicial record, nor the police for a check-in.
    let o = c.request(
        "clinic.json",
        "judicial_record",
        "status",
        "clinic_checkin",
        "bad",
    );
    assert_eq!(o.status.code(), Some(5), "{}", String::from_utf8_lossy(&o.stdout));
    let o = c.request(
        "police.json",
        "clinic_checkin",
        "full_name",
        "identity_check",
        "bad",
    );
    assert_eq!(o.status.code(), Some(5));
    // An issuer key is not a reader key.
    let o = c.request(
        "bhxh.json",
        "clinic_checkin",
        "full_name",
        "clinic_checkin",
        "bad",
    );
    assert_eq!(o.status.code(), Some(2));

    // A wallet whose trust list does not certify the reader refuses its request, in both
    // languages.
    ok(&c.request(
        "clinic.json",
        "clinic_checkin",
        "full_name",
        "clinic_checkin",
        "req",
    ));
    let o = c.answer("--request", "req.txt", "old-trust.cwt", "answer.txt");
    assert_eq!(o.status.code(), Some(5));
    let j = json(&o);
    assert_eq!(j["reason"], "UnknownReader");
    assert_eq!(j["message_vi"], "quầy yêu cầu không có trong danh sách tin cậy");
    assert!(!c.p("answer.txt").exists());
}

#[test]
fn the_demo_tells_the_two_way_story_after_the_one_way_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let j = ok(&run(&["demo", "--json", "--no-terminal", "--dir", s(&dir)], ""));
    assert_eq!(j["verdict"]["status"], "valid");
    let t = &j["two_way"];
    assert!(t["request_qr_version"].as_u64().unwrap() <= 10, "{t}");
    assert_eq!(t["verdict"]["status"], "valid");
    assert_eq!(t["replay"], "RequestAlreadyAnswered");
    assert_eq!(t["one_way_when_required"], "RequestRequired");
    assert_eq!(t["beyond_role_refused"], true);
    assert!(t["request_summary_vi"]
        .as_str()
        .unwrap()
        .contains("cơ sở khám chữa bệnh"));
    assert!(dir.join("request-qr.png").exists() && dir.join("answer-qr.png").exists());
    let human = run(&["demo", "--no-terminal", "--dir", s(&dir)], "");
    let text = String::from_utf8_lossy(&human.stdout);
    let one_way = text.find("== 4.").unwrap();
    let two_way = text.find("== 5. Two-way").unwrap();
    assert!(one_way < two_way, "the two-way story comes after the one-way one");
}
