//! The citizen's side of issued credentials: `import` and `present`.

use std::path::{Path, PathBuf};

use citizen_wallet_core::trust::TrustList;
use citizen_wallet_core::{Presentation, PresentationRequest};
use serde_json::json;

use crate::authority;
use crate::output::{io_err, CliError, CliResult, Output};
use crate::wallet_cmd;

/// PNG pixels per QR module: 8 gives a 600-700 px image for the usual versions.
pub const PNG_SCALE: u32 = 8;

/// Where `present` writes its outputs.
#[derive(clap::Args)]
pub struct PresentArgs {
    /// The credential id (from `cwallet list`).
    #[arg(long)]
    pub credential: String,
    /// Claims to disclose, comma-separated (e.g. full_name,dob,citizen_id,bhyt_code).
    #[arg(long, default_value = "")]
    pub claims: String,
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
    let nonce = a
        .nonce
        .as_deref()
        .map(|n| hex::decode(n).map_err(|_| CliError::Usage("--nonce must be hex".into())))
        .transpose()?;
    let req = PresentationRequest {
        credential_id: a.credential.clone(),
        claims: a
            .claims
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        audience: a.audience.clone(),
        nonce,
        ttl_secs: a.ttl,
    };
    let p = wallet_cmd::open(dir, pin_stdin)?.present(&req)?;
    write_outputs(
        &p,
        a.out_text.as_deref(),
        a.out_png.as_deref(),
        a.out_svg.as_deref(),
    )?;
    let out = Output::new(a.fmt.json);
    out.print(
        || {
            let mut s = String::new();
            if !a.no_terminal {
                s.push_str(&p.qr.to_terminal());
            }
            s.push_str(&describe(&p));
            s
        },
        || presentation_json(&p),
    );
    Ok(())
}

/// Writes the text, PNG and SVG forms where asked.
pub fn write_outputs(
    p: &Presentation,
    text: Option<&Path>,
    png: Option<&Path>,
    svg: Option<&Path>,
) -> CliResult {
    if let Some(f) = text {
        std::fs::write(f, format!("{}\n", p.qr_text)).map_err(|e| io_err("writing", f, e))?;
    }
    if let Some(f) = png {
        std::fs::write(f, p.qr.to_png(PNG_SCALE)?).map_err(|e| io_err("writing", f, e))?;
    }
    if let Some(f) = svg {
        std::fs::write(f, p.qr.to_svg()).map_err(|e| io_err("writing", f, e))?;
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
fn utc_time(t: i64) -> String {
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
