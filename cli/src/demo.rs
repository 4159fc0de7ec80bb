//! `cwallet demo`: the whole clinic story on built-in synthetic data, offline.
//!
//! 1. The authorities: a trust-list root and four issuers (police, social insurance, health
//!    ministry, justice ministry), each allowed only its own credential types; a signed trust
//!    list and one signed status list per issuer.
//! 2. The citizen's wallet (PIN-protected, encrypted SQLite), holding the credentials of the five
//!    sample people, each issued to the wallet's holder key and imported through its `VN1C:`
//!    transfer text after the trust-list check.
//! 3. The check-in presentation of the first person: the QR in the terminal, and as PNG, SVG
//!    and text files, with its QR version and size.
//! 4. The counter: reads the PNG back with a QR reader, verifies it offline, prints the verdict;
//!    then shows what it says to a tampered code and to a revoked card.
//! 5. The two-way story, for a counter with a screen: the clinic's reader key (certified in the
//!    trust list with the clinic role) signs a request QR; the wallet checks it and shows who
//!    asks, for what and why; the citizen answers with a presentation bound to that request;
//!    the counter accepts it once, refuses the replay and (once it requires requests) a
//!    one-way code, and cannot ask beyond its role.
//!
//! Everything lands in `--dir` (default `./cwallet-demo`), so the other commands can be tried
//! on it (the demo prints them). A directory the demo did not create is never overwritten.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use citizen_wallet_core::issuer::transfer_text;
use citizen_wallet_core::model::{claim_names, CredentialType, PersonRecord};
use citizen_wallet_core::trust::{ReaderRole, RequestPurpose, TrustList};
use citizen_wallet_core::PresentationRequest;
use citizen_wallet_core::{qr, Clock, SystemClock, Unlock, Verifier, VerifierConfig, Wallet, WalletOptions};
use serde_json::json;

use crate::authority::{Authority, NewAuthority, Role, DEFAULT_ISSUER_WINDOW_DAYS};
use crate::holder_cmd;
use crate::output::{io_err, out_line, out_text, CliError, CliResult, Output};
use crate::verify_cmd;

/// The synthetic people (shared with the tests).
const PEOPLE_JSON: &str = include_str!("../../core/tests/data/people.json");
/// Written into a directory the demo owns; without it the demo refuses to reuse a directory.
const MARKER: &str = ".cwallet-demo";
/// The demo wallet's PIN (synthetic data only).
pub const DEMO_PIN: &str = "246813";
const DAY: i64 = 86_400;
/// The demo clinic counter's reader id (the audience its requests' answers are bound to).
const READER_ID: &str = "BM-Q1";

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Directory for the demo's files (recreated on each run if the demo made it).
    #[arg(long, default_value = "cwallet-demo")]
    pub dir: PathBuf,
    /// Do not draw the QR in the terminal.
    #[arg(long)]
    pub no_terminal: bool,
    #[command(flatten)]
    pub fmt: crate::Fmt,
}

struct Authorities {
    root: Authority,
    issuers: Vec<Authority>,
    /// The clinic counter's reader key.
    reader: Authority,
}

impl Authorities {
    fn issuer_for(&mut self, ty: CredentialType) -> CliResult<&mut Authority> {
        self.issuers
            .iter_mut()
            .find(|a| a.file.types.contains(&ty))
            .ok_or_else(|| CliError::Usage(format!("no demo issuer for {ty}")))
    }
}

fn prepare_dir(dir: &Path) -> CliResult {
    let marker = dir.join(MARKER);
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| io_err("reading", dir, e))?
            .next()
            .is_none();
        if !empty && !marker.exists() {
            return Err(CliError::Usage(format!(
                "{} exists and was not made by `cwallet demo`; choose another --dir",
                dir.display()
            )));
        }
        // The demo's own directory: start over (its wallet holds synthetic data only). The
        // counter state a user made with --state belongs to the previous run's root key.
        for sub in ["wallet", "keys", "status", "counter"] {
            let p = dir.join(sub);
            if p.exists() {
                std::fs::remove_dir_all(&p).map_err(|e| io_err("removing", &p, e))?;
            }
        }
    }
    for sub in ["wallet", "keys", "status"] {
        let p = dir.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| io_err("creating", &p, e))?;
    }
    std::fs::write(
        &marker,
        "made by cwallet demo: synthetic data, recreated on every run\n",
    )
    .map_err(|e| io_err("writing", &marker, e))
}

fn authorities(keys: &Path) -> CliResult<Authorities> {
    let root = Authority::generate(
        &NewAuthority {
            role: Role::Root,
            iss: None,
            name_vi: Some("Cơ quan gốc tin cậy (demo)"),
            name_en: Some("Trust root (demo)"),
            types: Vec::new(),
            status_len: 0,
            status_max_age_secs: 0,
            reader_id: None,
            reader_role: None,
        },
        &keys.join("root.json"),
    )?;
    let spec: [(&str, &str, &str, &str, &[CredentialType]); 4] = [
        (
            "bca",
            "BCA",
            "Bộ Công an",
            "Ministry of Public Security",
            &[CredentialType::CitizenId],
        ),
        (
            "bhxh",
            "BHXH",
            "Bảo hiểm xã hội Việt Nam",
            "Vietnam Social Security",
            &[CredentialType::HealthInsurance, CredentialType::ClinicCheckin],
        ),
        (
            "byt",
            "BYT",
            "Bộ Y tế",
            "Ministry of Health",
            &[CredentialType::HealthBook],
        ),
        (
            "btp",
            "BTP",
            "Bộ Tư pháp",
            "Ministry of Justice",
            &[CredentialType::JudicialRecord],
        ),
    ];
    let issuers = spec
        .iter()
        .map(|(file, iss, vi, en, types)| {
            Authority::generate(
                &NewAuthority {
                    role: Role::Issuer,
                    iss: Some(iss),
                    name_vi: Some(vi),
                    name_en: Some(en),
                    types: types.to_vec(),
                    status_len: 4096,
                    status_max_age_secs: 7 * 24 * 3600,
                    reader_id: None,
                    reader_role: None,
                },
                &keys.join(format!("{file}.json")),
            )
        })
        .collect::<CliResult<Vec<_>>>()?;
    let reader = Authority::generate(
        &NewAuthority {
            role: Role::Reader,
            iss: None,
            name_vi: Some("Bệnh viện Bạch Mai, quầy tiếp đón 1 (demo)"),
            name_en: Some("Bach Mai Hospital, reception desk 1 (demo)"),
            types: Vec::new(),
            status_len: 0,
            status_max_age_secs: 0,
            reader_id: Some(READER_ID),
            reader_role: Some(ReaderRole::Clinic),
        },
        &keys.join("clinic-reader.json"),
    )?;
    Ok(Authorities {
        root,
        issuers,
        reader,
    })
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> CliResult {
    std::fs::write(path, bytes).map_err(|e| io_err("writing", path, e))
}

pub fn run(a: &DemoArgs) -> CliResult {
    let out = Output::new(a.fmt.json);
    let human = !a.fmt.json;
    let say = |s: String| {
        if human {
            out_line(&s);
        }
    };
    let dir = &a.dir;
    let now = SystemClock.now_unix();
    prepare_dir(dir)?;

    // 1. Authorities, trust list, status lists.
    say("== 1. Issuing authorities and the trust list ==".into());
    let mut auth = authorities(&dir.join("keys"))?;
    let mut trust = TrustList::new(now).with_sequence(auth.root.next_sequence()?);
    for i in &auth.issuers {
        trust = trust.with(
            i.file
                .trusted_entry(now - DAY, now + DEFAULT_ISSUER_WINDOW_DAYS * DAY)?,
        );
        let types: Vec<&str> = i.file.types.iter().map(|t| t.as_str()).collect();
        say(format!(
            "  {:<5} kid {}  {}  may issue: {}",
            i.file.iss.as_deref().unwrap_or("?"),
            i.file.kid,
            i.file.name_en.as_deref().unwrap_or(""),
            types.join(", ")
        ));
    }
    trust = trust.with_reader(
        auth.reader
            .file
            .trusted_reader(now - DAY, now + DEFAULT_ISSUER_WINDOW_DAYS * DAY)?,
    );
    say(format!(
        "  reader kid {}  {}  role: clinic (may ask: check-in, health insurance, health book)",
        auth.reader.file.kid,
        auth.reader.file.name_en.as_deref().unwrap_or("")
    ));
    let trust_bytes = trust.sign(&auth.root.key)?;
    write(&dir.join("trust-list.cwt"), &trust_bytes)?;
    write(&dir.join("trust-list.json"), trust.to_json_export() + "\n")?;
    say(format!(
        "  trust list signed by root kid {} ({} bytes): {}",
        auth.root.file.kid,
        trust_bytes.len(),
        dir.join("trust-list.json").display()
    ));

    // 2. The wallet and the five people's credentials.
    say("\n== 2. The citizen's wallet ==".into());
    let wallet_path = dir.join("wallet").join("wallet.db");
    let wallet = Wallet::create(&wallet_path, Unlock::Pin(DEMO_PIN), WalletOptions::default())?;
    let holder = wallet.holder_public_key()?;
    say(format!(
        "  created {} (encrypted; demo PIN {DEMO_PIN}), holder key {}",
        wallet_path.display(),
        hex::encode(holder)
    ));
    let people = PersonRecord::parse_list(PEOPLE_JSON)?;
    let mut checkins = Vec::new();
    let mut imported = 0usize;
    for (n, person) in people.iter().enumerate() {
        let mut types = Vec::new();
        for cred in person.credentials()? {
            let ty = cred.credential_type();
            let issuer_auth = auth.issuer_for(ty)?;
            let index = issuer_auth.next_status_index()?;
            let issued =
                issuer_auth
                    .issuer()?
                    .issue_default(&cred, &holder, now - DAY, now + 365 * DAY, index)?;
            // What the issuer app hands over, imported as the wallet app would.
            let id = wallet.import_issued(transfer_text(&issued).as_bytes(), &trust)?;
            if ty == CredentialType::ClinicCheckin {
                checkins.push((n, id, index));
            }
            types.push(ty.as_str());
            imported += 1;
        }
        say(format!("  person {}: imported {}", n + 1, types.join(", ")));
    }
    for i in &auth.issuers {
        i.save(true)?;
    }
    auth.root.save(true)?;
    auth.reader.save(true)?;
    say(format!(
        "  {imported} signed credentials stored, each checked against the trust list"
    ));

    // 3. The check-in QR.
    say("\n== 3. Check-in QR for the clinic counter ==".into());
    let (_, checkin_id, _) = checkins
        .first()
        .cloned()
        .ok_or_else(|| CliError::Usage("the sample data has no check-in credential".into()))?;
    let claims: Vec<String> = claim_names(CredentialType::ClinicCheckin)
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let request = |id: &str| PresentationRequest {
        credential_id: id.to_owned(),
        claims: claims.clone(),
        audience: None,
        nonce: None,
        ttl_secs: None,
    };
    let p = wallet.present(&request(&checkin_id))?;
    let (png, svg, txt) = (
        dir.join("clinic-qr.png"),
        dir.join("clinic-qr.svg"),
        dir.join("clinic-qr.txt"),
    );
    holder_cmd::write_outputs(&p, Some(&txt), Some(&png), Some(&svg))?;
    if human && !a.no_terminal {
        out_text(&p.qr.to_terminal());
    }
    say(format!(
        "  {}",
        holder_cmd::describe(&p).trim_end().replace('\n', "\n  ")
    ));
    say(format!(
        "  wrote {}, {}, {}",
        png.display(),
        svg.display(),
        txt.display()
    ));

    // 4. The counter.
    say("\n== 4. The counter verifies, offline ==".into());
    let status: Vec<Vec<u8>> = auth
        .issuers
        .iter_mut()
        .map(|i| i.signed_status_list(now))
        .collect::<CliResult<_>>()?;
    let verifier = Verifier::new(
        &trust_bytes,
        &auth.root.key.public(),
        &status,
        VerifierConfig::default(),
        Arc::new(SystemClock),
    )?;
    let png_bytes = std::fs::read(&png).map_err(|e| io_err("reading", &png, e))?;
    let scanned = qr::decode_png(&png_bytes)?;
    if scanned != p.qr_text {
        return Err(CliError::Io(
            "the PNG did not decode to the presented text".into(),
        ));
    }
    say(format!(
        "  scanned {} ({} characters, same as presented)",
        png.display(),
        scanned.len()
    ));
    let verdict = verifier.verify_png(&png_bytes)?;
    say(format!(
        "  {}",
        verify_cmd::describe(&verdict).trim_end().replace('\n', "\n  ")
    ));

    // What the counter says to a tampered code and to a revoked card.
    let tampered = tamper(&p.qr_text);
    let tampered_verdict = verifier.verify_text(&tampered)?;
    say(format!(
        "\n  a code with one character changed: {}",
        tampered_verdict.summary()
    ));
    let mut revoked_summary = None;
    if let Some((_, second_id, second_index)) = checkins.get(1).cloned() {
        let bhxh = auth.issuer_for(CredentialType::ClinicCheckin)?;
        bhxh.revoke(second_index)?;
        let revoking = bhxh.signed_status_list(now + 1)?;
        bhxh.save(false)?;
        let update = verifier.update_status_list(&revoking)?;
        if !update.is_applied() {
            return Err(CliError::Io(format!(
                "the counter refused BHXH's new status list: {}",
                update.message(citizen_wallet_core::Lang::En)
            )));
        }
        let v = verifier.verify_text(&wallet.present(&request(&second_id))?.qr_text)?;
        say(format!(
            "  person 2's card after BHXH revoked it:  {}",
            v.summary()
        ));
        revoked_summary = Some(v.summary());
    }

    // The status lists as published after the revocation, for `cwallet verify --status`.
    for i in &mut auth.issuers {
        let f = dir
            .join("status")
            .join(format!("{}.cwt", i.file.iss.as_deref().unwrap_or("issuer")));
        let signed = i.signed_status_list(now + 1)?;
        i.save(false)?;
        write(&f, signed)?;
    }

    // 5. The two-way story.
    let two_way = two_way(
        a,
        dir,
        &verifier,
        &wallet,
        &trust,
        &auth.reader,
        &checkin_id,
        &claims,
    )?;
    say(two_way.told.trim_end().to_owned());

    say(format!(
        "\nTry it yourself (files in {d}):\n  cwallet verify --trust {d}/trust-list.cwt --root-key {d}/keys/root.pub.json --status {d}/status/BHXH.cwt --png {d}/clinic-qr.png\n  (add --state {d}/counter to keep the newest lists between runs and refuse older ones)\n  CWALLET_PIN={DEMO_PIN} cwallet --wallet {d}/wallet list\nThe two-way exchange:\n  cwallet request --reader-key {d}/keys/clinic-reader.json --state {d}/counter --trust {d}/trust-list.cwt --root-key {d}/keys/root.pub.json --type clinic_checkin --claims full_name,dob,citizen_id,bhyt_code --purpose clinic_checkin --out-png {d}/my-request.png\n  CWALLET_PIN={DEMO_PIN} cwallet --wallet {d}/wallet present --request-png {d}/my-request.png --trust {d}/trust-list.cwt --root-key {d}/keys/root.pub.json --out-png {d}/my-answer.png\n  cwallet verify --state {d}/counter --root-key {d}/keys/root.pub.json --status {d}/status/BHXH.cwt --require-request --png {d}/my-answer.png",
        d = dir.display()
    ));
    if !human {
        out.print(String::new, || {
            json!({
                "ok": verdict.is_fully_valid(),
                "dir": dir,
                "credentials": imported,
                "checkin_qr_version": p.qr_version,
                "checkin_qr_bytes": p.bytes,
                "checkin_qr_chars": p.qr_text.len(),
                "png_decodes_to_text": true,
                "verdict": verify_cmd::verdict_json(&verdict),
                "tampered": tampered_verdict.summary(),
                "revoked": revoked_summary,
                "trust_list_json": dir.join("trust-list.json"),
                "two_way": two_way.json,
            })
        });
    }
    if !verdict.is_fully_valid() {
        return Err(CliError::Io(format!(
            "the demo's own presentation did not verify: {}",
            verdict.summary()
        )));
    }
    Ok(())
}

/// What step 5 told, and its facts for `--json`.
struct TwoWay {
    told: String,
    json: serde_json::Value,
}

/// Step 5: the clinic counter asks, the citizen answers, the counter accepts the answer once.
#[allow(clippy::too_many_arguments)]
fn two_way(
    a: &DemoArgs,
    dir: &Path,
    verifier: &Verifier,
    wallet: &Wallet,
    trust: &TrustList,
    reader: &Authority,
    checkin_id: &str,
    claims: &[String],
) -> CliResult<TwoWay> {
    let mut t = String::from("\n== 5. Two-way: the counter asks, the citizen answers ==\n");
    let line = |t: &mut String, s: String| {
        t.push_str("  ");
        t.push_str(&s.replace('\n', "\n  "));
        t.push('\n');
    };
    let request = verifier.make_request(
        &reader.key,
        CredentialType::ClinicCheckin,
        claims,
        RequestPurpose::ClinicCheckin,
        None,
    )?;
    let (req_png, req_txt) = (dir.join("request-qr.png"), dir.join("request-qr.txt"));
    write(&req_png, request.qr.to_png(holder_cmd::PNG_SCALE)?)?;
    write(&req_txt, format!("{}\n", request.qr_text))?;
    if !a.fmt.json && !a.no_terminal {
        t.push_str(&request.qr.to_terminal());
    }
    line(
        &mut t,
        format!(
            "the counter's screen shows a request signed with its reader key: QR version {} (ECC M), {} bytes, {} characters; wrote {}",
            request.qr_version,
            request.bytes,
            request.qr_text.len(),
            req_png.display()
        ),
    );
    // The citizen's phone scans it; the wallet checks the reader against the trust list.
    let scanned = qr::decode_png(&std::fs::read(&req_png).map_err(|e| io_err("reading", &req_png, e))?)?;
    let seen = wallet.read_request(&scanned, trust)?;
    line(
        &mut t,
        format!(
            "the wallet shows:\n{}",
            holder_cmd::describe_request(&seen).trim_end()
        ),
    );
    let answer = wallet.answer_request(&seen, checkin_id, None)?;
    let (ans_png, ans_txt) = (dir.join("answer-qr.png"), dir.join("answer-qr.txt"));
    holder_cmd::write_outputs(&answer, Some(&ans_txt), Some(&ans_png), None)?;
    line(
        &mut t,
        format!(
            "the citizen answers: QR version {}, {} bytes, bound to counter {} and the request's nonce; wrote {}",
            answer.qr_version,
            answer.bytes,
            answer.audience,
            ans_png.display()
        ),
    );
    let verdict =
        verifier.verify_png(&std::fs::read(&ans_png).map_err(|e| io_err("reading", &ans_png, e))?)?;
    line(
        &mut t,
        format!("the counter:\n{}", verify_cmd::describe(&verdict).trim_end()),
    );
    let replay = verifier.verify_text(&answer.qr_text)?;
    line(
        &mut t,
        format!("the same answer scanned again: {}", replay.summary()),
    );
    verifier.set_require_requests(true);
    let one_way = wallet.present(&PresentationRequest {
        credential_id: checkin_id.to_owned(),
        claims: claims.to_vec(),
        audience: None,
        nonce: None,
        ttl_secs: None,
    })?;
    let refused_one_way = verifier.verify_text(&one_way.qr_text)?;
    verifier.set_require_requests(false);
    line(
        &mut t,
        format!(
            "a one-way code, once the counter requires requests: {}",
            refused_one_way.summary()
        ),
    );
    let beyond = verifier.make_request(
        &reader.key,
        CredentialType::JudicialRecord,
        &["status".to_owned()],
        RequestPurpose::BackgroundCheck,
        None,
    );
    let beyond_text = match &beyond {
        Ok(_) => "made (unexpected)".to_owned(),
        Err(e) => format!("refused: {e}"),
    };
    line(
        &mut t,
        format!("the clinic asking for a judicial record: {beyond_text}"),
    );
    if !verdict.is_fully_valid() || replay.reject_reason().is_none() || beyond.is_ok() {
        return Err(CliError::Io(format!(
            "the demo's two-way exchange did not go as told: {}",
            verdict.summary()
        )));
    }
    Ok(TwoWay {
        told: t,
        json: json!({
            "request_qr_version": request.qr_version,
            "request_bytes": request.bytes,
            "request_chars": request.qr_text.len(),
            "request_summary": seen.summary_in(citizen_wallet_core::Lang::En),
            "request_summary_vi": seen.summary_in(citizen_wallet_core::Lang::Vi),
            "answer_qr_version": answer.qr_version,
            "answer_bytes": answer.bytes,
            "verdict": verify_cmd::verdict_json(&verdict),
            "replay": replay.reject_reason().map(|r| format!("{r:?}")),
            "one_way_when_required": refused_one_way.reject_reason().map(|r| format!("{r:?}")),
            "beyond_role_refused": beyond.is_err(),
        }),
    })
}

/// The QR text with one base45 character in the middle changed (still valid base45 alphabet).
fn tamper(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}
