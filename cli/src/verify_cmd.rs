//! `cwallet verify`: the clinic counter. QR text or image in, verdict out, no network.
//!
//! Exit status, one per [`Outcome`]: 0 valid; 8 every check passed but the revocation status is
//! not current (no or old status list, or an out-of-date trust list); 5 rejected (the reason is
//! printed); 9 the QR printed on a chip ID card, shown as unverified card data (a citizen
//! without a phone shows the card itself: one scanner reads both, [`Verifier::scan_text`]);
//! other codes as for every command. The JSON's `"ok"` is `true` for exit 0 only: a revocation
//! status that is not current is not ok, and card data is never ok.
//!
//! With `--state DIR` the counter keeps the newest trust list and status lists it has accepted
//! in `DIR` (its own directory; [`CounterState`]): a later run refuses older ones, with a
//! warning, and verifies with those it keeps; `--trust` and `--status` are then optional. The
//! same directory keeps the requests the counter made (`cwallet request`): an answer is
//! accepted once, for a nonce it issued, within the request's lifetime; `--require-request`
//! refuses one-way presentations.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use citizen_wallet_core::model::{Date, Sex};
use citizen_wallet_core::{
    qr, Clock, CounterState, IdCardData, Lang, ListUpdate, Outcome, Scan, SystemClock, Verdict,
    VerdictStatus, Verifier, VerifierConfig,
};
use serde_json::json;

use crate::authority;
use crate::output::{io_err, CliError, CliResult, Output};

/// Exit status of a valid presentation whose revocation status is not current.
pub const EXIT_STALE: u8 = 8;
/// Exit status of a rejected presentation.
pub const EXIT_INVALID: u8 = 5;
/// Exit status of a chip ID card's printed QR: card data, not verified.
pub const EXIT_ID_CARD: u8 = 9;

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["text", "png"])))]
pub struct VerifyArgs {
    /// The signed trust list (from `cwallet issuer trust-list`). Optional with `--state` once
    /// the state holds one.
    #[arg(long, required_unless_present = "state")]
    pub trust: Option<PathBuf>,
    /// The pinned root public key: 64 hex characters or the root's key / .pub.json file.
    #[arg(long)]
    pub root_key: String,
    /// Signed status lists of the issuers (repeat for several).
    #[arg(long)]
    pub status: Vec<PathBuf>,
    /// This counter's own directory for the lists it has accepted, kept between runs: a list
    /// older than the one kept (a replay or rollback) is refused with a warning.
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// A file holding the QR text (`-` for standard input).
    #[arg(long)]
    pub text: Option<PathBuf>,
    /// A picture of the QR code: PNG or JPEG (told apart by its first bytes), a screenshot or
    /// a camera photo. `--png` is the same option under its old name.
    #[arg(long = "image", visible_alias = "png", value_name = "FILE")]
    pub png: Option<PathBuf>,
    /// This counter's id (presentations for other counters are rejected, and those made for
    /// any counter too unless --accept-any-counter).
    #[arg(long)]
    pub audience: Option<String>,
    /// Reject presentations made for any counter ("offline" audience), even without --audience.
    #[arg(long, conflicts_with = "accept_any_counter")]
    pub require_audience: bool,
    /// With --audience: still accept presentations made for any counter ("offline" audience),
    /// for citizens whose phone cannot read this counter's id (they can be replayed at another
    /// counter within their two minutes).
    #[arg(long)]
    pub accept_any_counter: bool,
    /// Accept only answers to this counter's own requests (`cwallet request`, kept in
    /// --state): a one-way presentation is refused. Without it, a presentation carrying a
    /// nonce at a counter that has made requests is still checked as an answer (once, in time).
    #[arg(long, requires = "state")]
    pub require_request: bool,
    /// Clock-skew tolerance in seconds.
    #[arg(long, default_value_t = 60)]
    pub clock_skew: u32,
    #[command(flatten)]
    pub fmt: crate::Fmt,
}

fn read(path: &Path) -> CliResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| io_err("reading", path, e))
}

/// A verifier from files, holding its lists in memory.
pub fn verifier(
    trust: &Path,
    root_key: &str,
    status: &[PathBuf],
    config: VerifierConfig,
) -> CliResult<Verifier> {
    let lists = status.iter().map(|p| read(p)).collect::<CliResult<Vec<_>>>()?;
    Ok(Verifier::new(
        &read(trust)?,
        &authority::root_public_key(root_key)?,
        &lists,
        config,
        Arc::new(SystemClock),
    )?)
}

/// What happened to one list file offered to a counter state.
pub struct Offered {
    pub path: PathBuf,
    pub kind: &'static str,
    pub update: ListUpdate,
}

/// A verifier on the counter state kept in `dir`: the trust list and status lists given are
/// offered to it (and saved when newer); the answers say what happened to each.
pub fn verifier_with_state(
    dir: &Path,
    trust: Option<&Path>,
    root_key: &str,
    status: &[PathBuf],
    config: VerifierConfig,
) -> CliResult<(Verifier, Vec<Offered>)> {
    let mut state = CounterState::open(dir, &authority::root_public_key(root_key)?)?;
    let mut offered = Vec::new();
    if let Some(t) = trust {
        let update = state.update_trust_list(&read(t)?, SystemClock.now_unix(), config.clock_skew_secs)?;
        offered.push(Offered {
            path: t.to_owned(),
            kind: "trust list",
            update,
        });
    }
    if state.trust_list().is_none() {
        let refused = offered
            .first()
            .map(|o| format!(" (the one given was refused: {})", o.update.message(Lang::En)))
            .unwrap_or_default();
        return Err(CliError::Usage(format!(
            "{} holds no trust list yet: give --trust{refused}",
            dir.display()
        )));
    }
    let v = Verifier::from_state(state, config, Arc::new(SystemClock))?;
    for p in status {
        let update = v.update_status_list(&read(p)?)?;
        offered.push(Offered {
            path: p.clone(),
            kind: "status list",
            update,
        });
    }
    Ok((v, offered))
}

pub fn run(a: &VerifyArgs) -> CliResult<ExitCode> {
    let config = VerifierConfig {
        audience: a.audience.clone(),
        accept_offline_audience: if a.require_audience {
            Some(false)
        } else if a.accept_any_counter {
            Some(true)
        } else {
            None
        },
        clock_skew_secs: a.clock_skew,
    };
    let (v, offered) = match (&a.state, &a.trust) {
        (Some(dir), trust) => verifier_with_state(dir, trust.as_deref(), &a.root_key, &a.status, config)?,
        (None, Some(trust)) => (verifier(trust, &a.root_key, &a.status, config)?, Vec::new()),
        (None, None) => return Err(CliError::Usage("give --trust FILE or --state DIR".into())),
    };
    v.set_require_requests(a.require_request);
    // Refused lists are the operator's business, not the verdict's: say so on stderr.
    for o in offered.iter().filter(|o| o.update.is_refused()) {
        eprintln!(
            "warning: {} {}: {}
         {}",
            o.kind,
            o.path.display(),
            o.update.message(Lang::En),
            o.update.message(Lang::Vi)
        );
    }
    let scan = match (&a.text, &a.png) {
        (Some(t), _) => {
            let text = if t.as_os_str() == "-" {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                    .map_err(|e| CliError::Io(format!("reading stdin: {}", e.kind())))?;
                s
            } else {
                String::from_utf8(read(t)?)
                    .map_err(|_| CliError::Usage("the QR text file is not UTF-8".into()))?
            };
            v.scan_text(text.trim())?
        }
        (None, Some(p)) => v.scan_text(&qr::decode_image(&read(p)?)?)?,
        (None, None) => return Err(CliError::Usage("give --text FILE or --image FILE".into())),
    };
    let verdict = match scan {
        Scan::Presentation(verdict) => verdict,
        Scan::IdCard(card) => {
            Output::new(a.fmt.json).print(|| describe_card(&card), || card_json(&card));
            return Ok(ExitCode::from(EXIT_ID_CARD));
        }
    };
    let out = Output::new(a.fmt.json);
    out.print(
        || describe(&verdict),
        || {
            let mut j = verdict_json(&verdict);
            if a.state.is_some() {
                j["list_updates"] = offered
                    .iter()
                    .map(|o| json!({ "path": o.path, "kind": o.kind, "update": format!("{:?}", o.update) }))
                    .collect();
            }
            j
        },
    );
    Ok(ExitCode::from(exit_code(&verdict)))
}

pub fn exit_code(v: &Verdict) -> u8 {
    match v.outcome() {
        Outcome::Valid => 0,
        Outcome::StatusNotCurrent => EXIT_STALE,
        Outcome::Invalid => EXIT_INVALID,
    }
}

/// The verdict as a counter screen would show it, in Vietnamese and English.
pub fn describe(v: &Verdict) -> String {
    let mut s = format!("{}\n{}\n", v.summary_vi(), v.summary());
    if let Some(reason) = v.reject_reason() {
        s.push_str(&format!("  ({})\n", reason.message(Lang::Vi)));
        return s;
    }
    if let Some(ty) = v.credential_type {
        s.push_str(&format!("{} / {}\n", ty.label_vi(), ty.label_en()));
    }
    if let (Some(vi), Some(en)) = (&v.issuer_name_vi, &v.issuer_name_en) {
        s.push_str(&format!("cấp bởi / issued by: {vi} / {en}\n"));
    }
    for c in &v.claims {
        s.push_str(&format!("  {} / {}: {}\n", c.label_vi, c.label_en, c.value));
    }
    if let Some(t) = v.credential_expires_at {
        s.push_str(&format!("hết hạn / expires: {}\n", Date::from_unix(t)));
    }
    s
}

/// A chip ID card's printed QR as a counter screen would show it: unverified, field by field.
fn describe_card(d: &IdCardData) -> String {
    let scan = Scan::IdCard(d.clone());
    let c = &d.card;
    let mut s = format!("{}\n{}\n", scan.summary_in(Lang::Vi), scan.summary_in(Lang::En));
    s.push_str(&format!("  số CCCD / ID number: {}\n", c.citizen_id));
    if let Some(old) = &c.old_id {
        s.push_str(&format!("  số CMND cũ / old ID number: {old}\n"));
    }
    s.push_str(&format!("  họ và tên / full name: {}\n", c.full_name));
    s.push_str(&format!("  ngày sinh / date of birth: {}\n", c.dob));
    let sex = match c.sex {
        Sex::Male => "Nam / male",
        Sex::Female => "Nữ / female",
        Sex::Other => "khác / other",
    };
    s.push_str(&format!("  giới tính / sex: {sex}\n"));
    s.push_str(&format!("  nơi thường trú / address: {}\n", c.address));
    if let Some(d) = c.issue_date {
        s.push_str(&format!("  ngày cấp / issued: {d}\n"));
    }
    s
}

fn card_json(d: &IdCardData) -> serde_json::Value {
    let scan = Scan::IdCard(d.clone());
    json!({
        "ok": false,
        "status": "id_card_unverified",
        "summary": scan.summary_in(Lang::En),
        "summary_vi": scan.summary_in(Lang::Vi),
        "card": d.card,
    })
}

pub fn verdict_json(v: &Verdict) -> serde_json::Value {
    let (status, reason, message, message_vi) = match v.status {
        VerdictStatus::Valid => ("valid", None, None, None),
        VerdictStatus::ValidStale { reason, .. } => (
            "valid_stale",
            Some(format!("{reason:?}")),
            Some(reason.message(Lang::En)),
            Some(reason.message(Lang::Vi)),
        ),
        VerdictStatus::Invalid { reason } => (
            "invalid",
            Some(format!("{reason:?}")),
            Some(reason.message(Lang::En)),
            Some(reason.message(Lang::Vi)),
        ),
    };
    json!({
        // Exit 0 only: amber (revocation status not current) is not ok.
        "ok": v.is_fully_valid(),
        "status": status,
        "reason": reason,
        "message": message,
        "message_vi": message_vi,
        "summary": v.summary(),
        "summary_vi": v.summary_vi(),
        "credential_type": v.credential_type,
        "issuer_name_vi": v.issuer_name_vi,
        "issuer_name_en": v.issuer_name_en,
        "claims": v.claims.iter().map(|c| json!({
            "name": c.name, "label_vi": c.label_vi, "label_en": c.label_en, "value": c.value,
            "selectively_disclosed": c.selectively_disclosed,
        })).collect::<Vec<_>>(),
        "verified_at": v.verified_at,
        "status_as_of": v.status_as_of,
        "presented_at": v.presented_at,
        "credential_expires_at": v.credential_expires_at,
        "holder_thumbprint": v.holder_thumbprint,
    })
}
