//! `cwallet issuer ...`: the issuing authority's side (keys, credentials, trust and status lists).

use std::path::{Path, PathBuf};

use citizen_wallet_core::issuer::{transfer_text, Issuer};
use citizen_wallet_core::model::{Credential, CredentialType};
use citizen_wallet_core::trust::TrustList;
use citizen_wallet_core::{Clock, SystemClock};
use clap::Subcommand;
use serde_json::json;

use crate::authority::{self, Authority, AuthorityFile, NewAuthority, Role};
use crate::output::{io_err, CliError, CliResult, Output};

const DAY: i64 = 86_400;

#[derive(Subcommand)]
pub enum IssuerCommand {
    /// Create an authority key file (0600) and its public `.pub.json` beside it.
    New {
        /// The key file to write (refuses to overwrite).
        #[arg(long)]
        out: PathBuf,
        /// A trust-list root key instead of an issuer key.
        #[arg(long, conflicts_with = "reader")]
        root: bool,
        /// A counter's reader key instead of an issuer key: it signs request QRs
        /// (`cwallet request`); needs --reader-id and --role.
        #[arg(long)]
        reader: bool,
        /// Reader: its id, the audience answers are bound to (1 to 16 bytes, e.g. BM-Q1).
        #[arg(long, requires = "reader")]
        reader_id: Option<String>,
        /// Reader: its role, which bounds what it may ask: clinic (check-in, health insurance,
        /// health book), police (citizen ID, judicial record), service_desk (citizen ID, health
        /// insurance).
        #[arg(long, requires = "reader")]
        role: Option<String>,
        /// Issuer: short name carried in every credential (e.g. BHXH).
        #[arg(long)]
        iss: Option<String>,
        /// Issuer: name in Vietnamese.
        #[arg(long)]
        name_vi: Option<String>,
        /// Issuer: name in English.
        #[arg(long)]
        name_en: Option<String>,
        /// Issuer: credential types it may issue, comma-separated.
        #[arg(long)]
        types: Option<String>,
        /// Issuer: entries in its status list (a multiple of 8).
        #[arg(long, default_value_t = 65_536)]
        status_size: u64,
        /// Issuer: hours a signed status list stays current.
        #[arg(long, default_value_t = 168)]
        status_max_age_hours: u32,
    },
    /// Show an authority's public facts (kid, public key, names, types).
    Show { key: PathBuf },
    /// Sign a trust list naming the given issuers, numbered one above the last list this root
    /// signed (kept in the root's key file).
    TrustList {
        /// The root key file.
        #[arg(long)]
        root: PathBuf,
        /// The signed trust list to write.
        #[arg(long)]
        out: PathBuf,
        /// Also write the JSON export (kid, public key, names, types) here.
        #[arg(long)]
        export: Option<PathBuf>,
        /// Days the issuers are trusted from now.
        #[arg(long, default_value_t = authority::DEFAULT_ISSUER_WINDOW_DAYS)]
        valid_days: i64,
        /// Days until the list is due to be replaced: after that, counters' verdicts are stale.
        #[arg(long, default_value_t = authority::DEFAULT_NEXT_UPDATE_DAYS)]
        next_update_days: i64,
        /// Issuer and reader key (or .pub.json) files.
        #[arg(required = true)]
        issuers: Vec<PathBuf>,
    },
    /// Issue a credential to a holder key; writes its `VN1C:` transfer text.
    Issue {
        /// The issuer key file (its status index counter is updated).
        #[arg(long)]
        key: PathBuf,
        /// The holder's public key (hex), from `cwallet holder-key`.
        #[arg(long)]
        holder: String,
        /// citizen_id, health_insurance, health_book, judicial_record or clinic_checkin.
        #[arg(long = "type")]
        credential_type: String,
        /// The credential's fields as JSON (as in the samples).
        #[arg(long)]
        data: PathBuf,
        /// Claims to make selectively disclosable (comma-separated); default: the type's policy.
        #[arg(long)]
        sd: Option<String>,
        /// Days until the credential expires.
        #[arg(long, default_value_t = 365)]
        valid_days: i64,
        /// The transfer text to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Revoke a credential by its status index.
    Revoke {
        #[arg(long)]
        key: PathBuf,
        index: u64,
    },
    /// Sign the issuer's current status list, numbered one above the last list it signed (kept
    /// in the issuer's key file).
    StatusList {
        #[arg(long)]
        key: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(cmd: &IssuerCommand, out: &Output) -> CliResult {
    let now = SystemClock.now_unix();
    match cmd {
        IssuerCommand::New {
            out: path,
            root,
            reader,
            reader_id,
            role,
            iss,
            name_vi,
            name_en,
            types,
            status_size,
            status_max_age_hours,
        } => {
            if path.exists() {
                return Err(CliError::Usage(format!(
                    "{} exists; refusing to overwrite a key file",
                    path.display()
                )));
            }
            let opts = NewAuthority {
                role: if *root {
                    Role::Root
                } else if *reader {
                    Role::Reader
                } else {
                    Role::Issuer
                },
                reader_id: reader_id.as_deref(),
                reader_role: role
                    .as_deref()
                    .map(citizen_wallet_core::trust::ReaderRole::parse)
                    .transpose()?,
                iss: iss.as_deref(),
                name_vi: name_vi.as_deref(),
                name_en: name_en.as_deref(),
                types: types
                    .as_deref()
                    .map(authority::parse_types)
                    .transpose()?
                    .unwrap_or_default(),
                status_len: *status_size,
                status_max_age_secs: status_max_age_hours.saturating_mul(3600),
            };
            let a = Authority::generate(&opts, path)?;
            a.save(true)?;
            print_public(&a.file, &a.path, out, "created");
            Ok(())
        }
        IssuerCommand::Show { key } => {
            let file = AuthorityFile::load_public(key)?;
            print_public(&file, key, out, "");
            Ok(())
        }
        IssuerCommand::TrustList {
            root,
            out: path,
            export,
            valid_days,
            next_update_days,
            issuers,
        } => {
            let mut root = Authority::load(root)?;
            if root.file.role != Role::Root {
                return Err(CliError::Usage(format!(
                    "{} is not a root key",
                    root.path.display()
                )));
            }
            if *next_update_days < 1 {
                return Err(CliError::Usage("--next-update-days must be at least 1".into()));
            }
            let mut list = TrustList::new(now)
                .with_next_update(now.saturating_add(next_update_days.saturating_mul(DAY)));
            let until = now.saturating_add(valid_days.saturating_mul(DAY));
            for p in issuers {
                let a = AuthorityFile::load_public(p)?;
                list = match a.role {
                    Role::Reader => list.with_reader(a.trusted_reader(now - DAY, until)?),
                    _ => list.with(a.trusted_entry(now - DAY, until)?),
                };
            }
            list = list.with_sequence(root.next_sequence()?);
            let signed = list.sign(&root.key)?;
            // Save the number first: no two lists ever carry the same one.
            root.save(false)?;
            std::fs::write(path, &signed).map_err(|e| io_err("writing", path, e))?;
            if let Some(e) = export {
                std::fs::write(e, list.to_json_export() + "\n").map_err(|err| io_err("writing", e, err))?;
            }
            out.print(
                || {
                    format!(
                        "trust list number {} with {} issuer(s) and {} reader(s), {} bytes, next update {}: {}",
                        list.sequence,
                        list.issuers.len(),
                        list.readers.len(),
                        signed.len(),
                        citizen_wallet_core::model::Date::from_unix(list.next_update),
                        path.display()
                    )
                },
                || {
                    json!({ "ok": true, "sequence": list.sequence, "issuers": list.issuers.len(), "readers": list.readers.len(),
                            "next_update": list.next_update, "bytes": signed.len(), "path": path })
                },
            );
            Ok(())
        }
        IssuerCommand::Issue {
            key,
            holder,
            credential_type,
            data,
            sd,
            valid_days,
            out: path,
        } => {
            let mut a = Authority::load(key)?;
            let issuer = a.issuer()?;
            let ty = CredentialType::parse(credential_type)?;
            let text = std::fs::read_to_string(data).map_err(|e| io_err("reading", data, e))?;
            let cred = Credential::from_json(ty, &text)?;
            let holder = parse_holder(holder)?;
            let index = a.next_status_index()?;
            let sd_names: Vec<String> = match sd {
                Some(list) => list
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect(),
                None => Issuer::default_sd_claims(ty)
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            };
            let sd_refs: Vec<&str> = sd_names.iter().map(String::as_str).collect();
            let bytes = issuer.issue(
                &cred,
                &holder,
                &sd_refs,
                now,
                now.saturating_add(valid_days.saturating_mul(DAY)),
                index,
            )?;
            // Save the counter first: an index is never handed out twice, even if writing fails.
            a.save(false)?;
            std::fs::write(path, transfer_text(&bytes) + "\n").map_err(|e| io_err("writing", path, e))?;
            out.print(
                || format!("issued {ty} (status index {index}, {} bytes): {}", bytes.len(), path.display()),
                || json!({ "ok": true, "type": ty, "status_index": index, "bytes": bytes.len(), "path": path }),
            );
            Ok(())
        }
        IssuerCommand::Revoke { key, index } => {
            let mut a = Authority::load(key)?;
            let newly = a.revoke(*index)?;
            a.save(false)?;
            out.print(
                || {
                    if newly {
                        format!("revoked index {index}; publish a new status list (issuer status-list)")
                    } else {
                        format!("index {index} was already revoked")
                    }
                },
                || json!({ "ok": true, "index": index, "newly_revoked": newly }),
            );
            Ok(())
        }
        IssuerCommand::StatusList { key, out: path } => {
            let mut a = Authority::load(key)?;
            let signed = a.signed_status_list(now)?;
            // Save the number first: no two lists ever carry the same one.
            a.save(false)?;
            std::fs::write(path, &signed).map_err(|e| io_err("writing", path, e))?;
            let revoked = a.file.status.as_ref().map_or(0, |s| s.revoked.len());
            let sequence = a.file.last_sequence;
            out.print(
                || {
                    format!(
                        "status list number {sequence} ({revoked} revoked, {} bytes): {}",
                        signed.len(),
                        path.display()
                    )
                },
                || json!({ "ok": true, "sequence": sequence, "revoked": revoked, "bytes": signed.len(), "path": path }),
            );
            Ok(())
        }
    }
}

fn print_public(f: &AuthorityFile, path: &Path, out: &Output, verb: &str) {
    let role = match f.role {
        Role::Root => "root",
        Role::Issuer => "issuer",
        Role::Reader => "reader",
    };
    let types: Vec<&str> = f.types.iter().map(|t| t.as_str()).collect();
    out.print(
        || {
            let mut s = String::new();
            if !verb.is_empty() {
                s.push_str(&format!("{verb} {role} key {}\n", path.display()));
                s.push_str(&format!(
                    "public file {}\n",
                    authority::public_path(path).display()
                ));
            }
            s.push_str(&format!(
                "role        {role}\nkid         {}\npublic key  {}\n",
                f.kid, f.public_key
            ));
            if let Some(iss) = &f.iss {
                s.push_str(&format!("iss         {iss}\n"));
            }
            if let (Some(vi), Some(en)) = (&f.name_vi, &f.name_en) {
                s.push_str(&format!("name        {vi} / {en}\n"));
            }
            if !types.is_empty() {
                s.push_str(&format!("types       {}\n", types.join(", ")));
            }
            if let (Some(id), Some(r)) = (&f.reader_id, &f.reader_role) {
                s.push_str(&format!("reader id   {id}\nreader role {r}\n"));
            }
            s
        },
        || {
            json!({ "ok": true, "role": role, "kid": f.kid, "public_key": f.public_key, "iss": f.iss,
                    "name_vi": f.name_vi, "name_en": f.name_en, "types": types,
                    "reader_id": f.reader_id, "reader_role": f.reader_role,
                    "path": path, "public_path": authority::public_path(path) })
        },
    );
}

/// A holder key in hex (64 characters).
pub fn parse_holder(hex_text: &str) -> CliResult<[u8; 32]> {
    hex::decode(hex_text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            CliError::Usage("--holder must be a 32-byte public key in hex (cwallet holder-key)".into())
        })
}
