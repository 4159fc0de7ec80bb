//! `cwallet request`: a counter with a screen asks (issue 12 item 2). It signs a request QR
//! with its reader key (certified in the trust list with a role bounding what it may ask),
//! writes it as text / PNG / SVG and draws it, and keeps the open nonce in its counter state
//! (`--state DIR`), where `cwallet verify --state DIR` finds it to accept the citizen's answer
//! once, within the request's lifetime.

use std::path::PathBuf;

use citizen_wallet_core::model::CredentialType;
use citizen_wallet_core::trust::RequestPurpose;
use citizen_wallet_core::{CounterRequest, Lang, VerifierConfig};
use serde_json::json;

use crate::authority::{Authority, Role};
use crate::holder_cmd;
use crate::output::{CliError, CliResult, Output};
use crate::verify_cmd;

#[derive(clap::Args)]
pub struct RequestArgs {
    /// The counter's reader key file (`cwallet issuer new --reader`).
    #[arg(long)]
    pub reader_key: PathBuf,
    /// This counter's own state directory (as for `cwallet verify --state`): the open nonce is
    /// kept there.
    #[arg(long, value_name = "DIR")]
    pub state: PathBuf,
    /// The signed trust list naming the reader (optional once the state holds one).
    #[arg(long)]
    pub trust: Option<PathBuf>,
    /// The pinned root public key: 64 hex characters or the root's key / .pub.json file.
    #[arg(long)]
    pub root_key: String,
    /// The credential type asked for (within the reader's role).
    #[arg(long = "type")]
    pub credential_type: String,
    /// The claims asked for, comma-separated (e.g. full_name,dob,citizen_id,bhyt_code).
    #[arg(long)]
    pub claims: String,
    /// Why: clinic_checkin, medical_treatment, identity_check, background_check,
    /// insurance_procedure (within the reader's role).
    #[arg(long)]
    pub purpose: String,
    /// Lifetime in seconds (default 300, at most 600).
    #[arg(long)]
    pub ttl: Option<u32>,
    /// Write the request's QR text here.
    #[arg(long)]
    pub out_text: Option<PathBuf>,
    /// Write the request's QR as a PNG image here.
    #[arg(long)]
    pub out_png: Option<PathBuf>,
    /// Write the request's QR as an SVG image here.
    #[arg(long)]
    pub out_svg: Option<PathBuf>,
    /// Do not draw the QR in the terminal.
    #[arg(long)]
    pub no_terminal: bool,
    #[command(flatten)]
    pub fmt: crate::Fmt,
}

pub fn run(a: &RequestArgs) -> CliResult {
    let reader = Authority::load(&a.reader_key)?;
    if reader.file.role != Role::Reader {
        return Err(CliError::Usage(format!(
            "{} is not a reader key (cwallet issuer new --reader)",
            a.reader_key.display()
        )));
    }
    let reader_id = reader.file.reader_id.clone();
    let config = VerifierConfig {
        audience: reader_id.clone(),
        ..VerifierConfig::default()
    };
    let (verifier, _) =
        verify_cmd::verifier_with_state(&a.state, a.trust.as_deref(), &a.root_key, &[], config)?;
    let claims = holder_cmd::split_claims(&a.claims);
    let purpose = RequestPurpose::parse(&a.purpose)?;
    let r = verifier.make_request(
        &reader.key,
        CredentialType::parse(&a.credential_type)?,
        &claims,
        purpose,
        a.ttl,
    )?;
    holder_cmd::write_qr(
        &r.qr_text,
        &r.qr,
        a.out_text.as_deref(),
        a.out_png.as_deref(),
        a.out_svg.as_deref(),
    )?;
    Output::new(a.fmt.json).print(
        || {
            let mut s = String::new();
            if !a.no_terminal {
                s.push_str(&r.qr.to_terminal());
            }
            s.push_str(&describe(&r, reader_id.as_deref().unwrap_or("?"), purpose));
            s
        },
        || {
            json!({ "ok": true, "qr_text": r.qr_text, "qr_version": r.qr_version, "bytes": r.bytes,
                    "chars": r.qr_text.len(), "nonce": hex::encode(&r.nonce), "reader_id": reader_id,
                    "issued_at": r.issued_at, "expires_at": r.expires_at,
                    "open_requests": verifier.open_requests() })
        },
    );
    Ok(())
}

/// The request's facts, for the officer.
pub fn describe(r: &CounterRequest, reader_id: &str, purpose: RequestPurpose) -> String {
    format!(
        "request QR version {} (ECC M), {} bytes signed, {} characters\nreader {reader_id}, purpose: {} / {}\nanswer before {} (nonce kept in the counter state)\n",
        r.qr_version,
        r.bytes,
        r.qr_text.len(),
        purpose.message(Lang::Vi),
        purpose.message(Lang::En),
        crate::holder_cmd::utc_time(r.expires_at),
    )
}
