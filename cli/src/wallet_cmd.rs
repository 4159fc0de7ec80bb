//! The citizen's wallet commands.

use std::path::{Path, PathBuf};

use citizen_wallet_core::model::{Credential, CredentialType};
use citizen_wallet_core::{StoredCredential, Unlock, Wallet, WalletOptions};
use serde_json::json;

use crate::output::{io_err, CliResult, Output};
use crate::pin;

pub fn db_path(dir: &Path) -> PathBuf {
    dir.join("wallet.db")
}

pub fn open(dir: &Path, pin_stdin: bool) -> CliResult<Wallet> {
    let pin = pin::pin(pin_stdin)?;
    Ok(Wallet::open(
        db_path(dir),
        Unlock::Pin(&pin),
        WalletOptions::default(),
    )?)
}

pub fn init(dir: &Path, pin_stdin: bool, out: &Output) -> CliResult {
    let pin = pin::pin(pin_stdin)?;
    std::fs::create_dir_all(dir).map_err(|e| io_err("creating", dir, e))?;
    let w = Wallet::create(db_path(dir), Unlock::Pin(&pin), WalletOptions::default())?;
    let key = hex::encode(w.holder_public_key()?);
    out.print(
        || format!("created wallet {}\nholder key {key}", db_path(dir).display()),
        || json!({ "ok": true, "path": db_path(dir), "holder_key": key }),
    );
    Ok(())
}

pub fn add(dir: &Path, pin_stdin: bool, ty: &str, file: &Path, out: &Output) -> CliResult {
    let ty = CredentialType::parse(ty)?;
    let text = std::fs::read_to_string(file).map_err(|e| io_err("reading", file, e))?;
    let cred = Credential::from_json(ty, &text)?;
    let id = open(dir, pin_stdin)?.add(&cred)?;
    out.print(
        || format!("added {ty} {id}"),
        || json!({ "ok": true, "id": id, "type": ty }),
    );
    Ok(())
}

pub fn summary_json(s: &StoredCredential) -> serde_json::Value {
    let ty = s.credential.credential_type();
    json!({ "id": s.id, "type": ty, "label_en": ty.label_en(), "label_vi": ty.label_vi(),
            "signed": s.signed, "added_at": s.added_at })
}

pub fn list(dir: &Path, pin_stdin: bool, ty: Option<&str>, out: &Output) -> CliResult {
    let ty = ty.map(CredentialType::parse).transpose()?;
    let items = open(dir, pin_stdin)?.list(ty)?;
    out.print(
        || {
            let mut s = format!("{} credential(s)\n", items.len());
            for c in &items {
                let ty = c.credential.credential_type();
                let signed = if c.signed { "signed" } else { "self-entered" };
                s.push_str(&format!(
                    "{}  {:<17} {} / {} ({signed})\n",
                    c.id,
                    ty.as_str(),
                    ty.label_vi(),
                    ty.label_en()
                ));
            }
            s
        },
        || json!({ "ok": true, "credentials": items.iter().map(summary_json).collect::<Vec<_>>() }),
    );
    Ok(())
}

pub fn show(dir: &Path, pin_stdin: bool, id: &str, out: &Output) -> CliResult {
    let w = open(dir, pin_stdin)?;
    let s = w.get(id)?;
    let disclosable = w.disclosable_claims(id)?;
    let ty = s.credential.credential_type();
    out.print(
        || {
            let mut t = format!("{} / {}  ({})\n", ty.label_vi(), ty.label_en(), s.id);
            for c in s.credential.claims() {
                let mark = if disclosable.iter().any(|d| d == c.def.name) {
                    " *"
                } else {
                    ""
                };
                t.push_str(&format!(
                    "  {:<18} {} / {}: {}{mark}\n",
                    c.def.name,
                    c.def.label_vi,
                    c.def.label_en,
                    c.display()
                ));
            }
            t.push_str(if !s.signed {
                "added by hand: no issuer signature, cannot be presented\n"
            } else if disclosable.is_empty() {
                "every claim is shown when presented (the issuer made none optional)\n"
            } else {
                "* shown only when chosen: `present --claims NAME,...`; the others are always shown\n"
            });
            t
        },
        || {
            let mut j = summary_json(&s);
            j["ok"] = json!(true);
            j["data"] = s.credential.to_value();
            j["disclosable"] = json!(disclosable);
            j
        },
    );
    Ok(())
}

pub fn delete(dir: &Path, pin_stdin: bool, id: &str, out: &Output) -> CliResult {
    open(dir, pin_stdin)?.delete(id)?;
    out.print(|| format!("deleted {id}"), || json!({ "ok": true, "id": id }));
    Ok(())
}

/// `change-pin [--rotate]`: with `--rotate`, the wallet is unlocked with the old PIN and its
/// data key rotated, the new PIN wrapping the new key, in one transaction (a `cwallet` wallet
/// has only a PIN slot).
pub fn change_pin(dir: &Path, pin_stdin: bool, rotate: bool, out: &Output) -> CliResult {
    let old = pin::pin(pin_stdin)?;
    let new = pin::new_pin(pin_stdin)?;
    let w = Wallet::open_locked(db_path(dir), WalletOptions::default())?;
    if !rotate {
        w.change_pin(&old, &new)?;
        out.print(
            || "PIN changed".into(),
            || json!({ "ok": true, "rotated": false }),
        );
        return Ok(());
    }
    w.unlock(Unlock::Pin(&old))?;
    let resealed = w.rotate_data_key(&[Unlock::Pin(&new)])?;
    out.print(
        || format!("PIN changed; data key rotated ({resealed} credential(s) re-encrypted)"),
        || json!({ "ok": true, "rotated": true, "resealed": resealed }),
    );
    Ok(())
}

pub fn holder_key(dir: &Path, pin_stdin: bool, out: &Output) -> CliResult {
    let key = hex::encode(open(dir, pin_stdin)?.holder_public_key()?);
    out.print(|| key.clone(), || json!({ "ok": true, "holder_key": key }));
    Ok(())
}
