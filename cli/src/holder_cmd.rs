//! The citizen's side of issued credentials: `import` and `present`.

use std::path::{Path, PathBuf};

use citizen_wallet_core::qr::QrMatrix;
use citizen_wallet_core::trust::TrustList;
use citizen_wallet_core::{Lang, Presentation, PresentationRequest, ReaderRequest};
use serde_json::json;

use crate::authority;
use crate::output::{io_err, CliError, CliResult, Output};
use crate::wallet_cmd;

/// PNG pixels per QR module: 8 gives a 600-700 px image for the usual versions.
pub const PNG_SCALE: u32 = 8;

/// Where `present` writes its outputs.
#[derive(clap::Args)]
pub struct PresentArgs {
    /// The credential id (from `cwallet list`). Answering a request, the default is the first
    /// signed credential of the type asked for.
    #[arg(long, required_unless_present_any = ["request", "request_png"])]
    pub credential: Option<String>,
    /// Claims to disclose, comma-separated (e.g. full_name,dob,citizen_id,bhyt_code).
    /// Answering a request: default all those asked; else a subset of them.
    #[arg(long, default_value = "")]
    pub claims: String,
    /// Answer a counter's request: a file holding its `VN1R:` text. The request is checked
    /// against the trust list (reader certified, its role allows the ask, not expired) and
    /// shown; the answer is bound to the reader's id and the request's nonce.
    #[arg(long, conflicts_with_all = ["request_png", "audience", "nonce"], requires_all = ["trust", "root_key"])]
    pub request: Option<PathBuf>,
    /// Answer a counter's request read from a PNG image of its QR.
    #[arg(long, conflicts_with_all = ["audience", "nonce"], requires_all = ["trust", "root_key"])]
    pub request_png: Option<PathBuf>,
    /// With --request: the signed trust list that certifies readers.
    #[arg(long)]
    pub trust: Option<PathBuf>,
    /// With --request: the pinned root public key (64 hex characters or the root's key /
    /// .pub.json file).
    #[arg(long)]
    pub root_key: Option<String>,
    /// The counter id the presentation is for (default: any counter, "offline").
    #[arg(long)]
    pub audience: Option<String>,
    /// The counter's challenge, in hex.
    #[arg(long)]
    pub nonce: Option<String>,
    /// Lifetime in seconds (default 120, at most 600).
    #[arg(long)]
    pub ttl: Option<u32>,
    /// Write the QR text here.
    #[arg(long)]
    pub out_text: Option<PathBuf>,
    /// Write the QR as a PNG image here.
    #[arg(long)]
    pub out_png: Option<PathBuf>,
    /// Write the QR as an SVG image here.
    #[arg(long)]
    pub out_svg: Option<PathBuf>,
    /// Do not draw the QR in the terminal.
    #[arg(long)]
    pub no_terminal: bool,
    #[command(flatten)]
    pub fmt: crate::Fmt,
}

/// Reads and verifies a signed trust list file against the pinned root key.
pub fn load_trust(path: &Path, root_key: &str) -> CliResult<TrustList> {
    let bytes = std::fs::read(path).map_err(|e| io_err("reading", path, e))?;
    Ok(TrustList::parse_verify(
        &bytes,
        &authority::root_public_key(root_key)?,
    )?)
}

pub fn import(
    dir: &Path,
    pin_stdin: bool,
    trust: &Path,
    root_key: &str,
    file: &Path,
    out: &Output,
) -> CliResult {
    let trust = load_trust(trust, root_key)?;
    let mut input = std::fs::read(file).map_err(|e| io_err("reading", file, e))?;
    // Transfer text may end with a newline (as `issuer issue` writes it).
    while input.last().is_some_and(u8::is_ascii_whitespace) {
        input.pop();
    }
    let w = wallet_cmd::open(dir, pin_stdin)?;
    let id = w.import_issued(&input, &trust)?;
    let ty = w.get(&id)?.credential.credential_type();
    out.print(
        || format!("imported {ty} {id}"),
        || json!({ "ok": true, "id": id, "type": ty }),
    );
    Ok(())
}

pub fn present(dir: &Path, pin_stdin: bool, a: &PresentArgs) -> CliResult {
    if a.request.is_some() || a.request_png.is_some() {
        return answer(dir, pin_stdin, a);
    }
    let nonce = a
        .nonce
        .as_deref()
        .map(|n| hex::decode(n).map_err(|_| CliError::Usage("--nonce must be hex".into())))
        .transpose()?;
    let req = PresentationRequest {
        credential_id: a.credential.clone().unwrap_or_default(),
        claims: split_claims(&a.claims),
        audience: a.audience.clone(),
        nonce,
        ttl_secs: a.ttl,
    };
    let p = wallet_cmd::open(dir, pin_stdin)?.present(&req)?;
    show(&p, a, None)
}

pub(crate) fn split_claims(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Writes and prints a presentation (after the request it answers, if any).
fn show(p: &Presentation, a: &PresentArgs, request: Option<&ReaderRequest>) -> CliResult {
    write_outputs(
        p,
        a.out_text.as_deref(),
        a.out_png.as_deref(),
        a.out_svg.as_deref(),
    )?;
    let out = Output::new(a.fmt.json);
    out.print(
        || {
            let mut s = String::new();
            if let Some(r) = request {
                s.push_str(&describe_request(r));
            }
            if !a.no_terminal {
                s.push_str(&p.qr.to_terminal());
            }
            s.push_str(&describe(p));
            s
        },
        || {
            let mut j = presentation_json(p);
            if let Some(r) = request {
                j["request"] = request_json(r);
            }
            j
        },
    );
    Ok(())
}

/// `present --request`: read and check the counter's request, then answer it.
fn answer(dir: &Path, pin_stdin: bool, a: &PresentArgs) -> CliResult {
    let (Some(trust), Some(root_key)) = (&a.trust, &a.root_key) else {
        return Err(CliError::Usage(
            "answering a request needs --trust and --root-key".into(),
        ));
    };
    let text = match (&a.request, &a.request_png) {
        (Some(f), _) => String::from_utf8(std::fs::read(f).map_err(|e| io_err("reading", f, e))?)
            .map_err(|_| CliError::Usage("the request file is not UTF-8".into()))?,
        (None, Some(f)) => {
            citizen_wallet_core::qr::decode_png(&std::fs::read(f).map_err(|e| io_err("reading", f, e))?)?
        }
        (None, None) => {
            return Err(CliError::Usage(
                "give --request FILE or --request-png FILE".into(),
            ))
        }
    };
    let trust = load_trust(trust, root_key)?;
    let w = wallet_cmd::open(dir, pin_stdin)?;
    let request = w.read_request(text.trim(), &trust)?;
    let id = match &a.credential {
        Some(id) => id.clone(),
        None => w
            .list(Some(request.credential_type))?
            .into_iter()
            .find(|c| c.signed)
            .map(|c| c.id)
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "the wallet holds no signed {} credential to answer with",
                    request.credential_type
                ))
            })?,
    };
    let chosen = split_claims(&a.claims);
    let p = w.answer_request(&request, &id, (!chosen.is_empty()).then_some(chosen.as_slice()))?;
    show(&p, a, Some(&request))
}

/// What the citizen sees before answering: who asks, for what, why, until when.
pub fn describe_request(r: &ReaderRequest) -> String {
    format!("{}\n{}\n", r.summary_in(Lang::Vi), r.summary_in(Lang::En))
}

pub fn request_json(r: &ReaderRequest) -> serde_json::Value {
    json!({ "reader_id": r.reader_id, "reader_name_vi": r.reader_name_vi, "reader_name_en": r.reader_name_en,
            "role": r.role.as_str(), "credential_type": r.credential_type, "claims": r.claims,
            "purpose": r.purpose.as_str(), "purpose_vi": r.purpose.message(Lang::Vi),
            "purpose_en": r.purpose.message(Lang::En), "expires_at": r.expires_at,
            "summary_vi": r.summary_in(Lang::Vi), "summary": r.summary_in(Lang::En) })
}

/// Writes the text, PNG and SVG forms where asked.
pub fn write_outputs(
    p: &Presentation,
    text: Option<&Path>,
    png: Option<&Path>,
    svg: Option<&Path>,
) -> CliResult {
    write_qr(&p.qr_text, &p.qr, text, png, svg)
}

/// Writes a QR code's text (with a final newline), 8 px/module PNG and SVG to the files given:
/// presentations here, counter requests in `request_cmd`.
pub fn write_qr(
    qr_text: &str,
    qr: &QrMatrix,
    text: Option<&Path>,
    png: Option<&Path>,
    svg: Option<&Path>,
) -> CliResult {
    if let Some(f) = text {
        std::fs::write(f, format!("{qr_text}\n")).map_err(|e| io_err("writing", f, e))?;
    }
    if let Some(f) = png {
        std::fs::write(f, qr.to_png(PNG_SCALE)?).map_err(|e| io_err("writing", f, e))?;
    }
    if let Some(f) = svg {
        std::fs::write(f, qr.to_svg()).map_err(|e| io_err("writing", f, e))?;
    }
    Ok(())
}

/// The size facts of a presentation, for people.
pub fn describe(p: &Presentation) -> String {
    let mut shown = p.always_visible.clone();
    shown.extend(p.disclosed.iter().cloned());
    format!(
        "QR version {} (ECC M), {} bytes signed, {} characters\nshows: {}\naudience {}, expires {} UTC\n",
        p.qr_version,
        p.bytes,
        p.qr_text.len(),
        shown.join(", "),
        p.audience,
        utc_time(p.expires_at)
    )
}

/// `YYYY-MM-DD HH:MM:SS` of a unix time.
pub fn utc_time(t: i64) -> String {
    let secs = t.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}",
        citizen_wallet_core::model::Date::from_unix(t),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

pub fn presentation_json(p: &Presentation) -> serde_json::Value {
    json!({ "ok": true, "qr_version": p.qr_version, "bytes": p.bytes, "chars": p.qr_text.len(),
            "qr_text": p.qr_text, "disclosed": p.disclosed, "always_visible": p.always_visible,
            "audience": p.audience, "expires_at": p.expires_at })
}
