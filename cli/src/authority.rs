//! Authority key files: the state of a trust-list root or an issuer, for `cwallet issuer ...`.
//!
//! One JSON file per authority, written with mode 0600 because it holds the Ed25519 seed in
//! hex. Real issuers keep their keys in an HSM; these files serve the demo, tests and pilots.
//! An issuer's file also carries its status-list state (size, next free index, revoked
//! indices), so `issue` hands out indices and `revoke` / `status-list` work from the same file.
//!
//! Next to every key file `issuer new` writes `<name>.pub.json` with the public part only: what
//! a verifier or wallet needs to pin the root key.

use std::path::{Path, PathBuf};

use citizen_wallet_core::issuer::{Issuer, IssuerKey};
use citizen_wallet_core::model::CredentialType;
use citizen_wallet_core::trust::{StatusList, TrustedIssuer};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::output::{io_err, CliError, CliResult};

const KIND: &str = "citizen-wallet authority key";

/// What an authority does.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Signs trust lists.
    Root,
    /// Signs credentials and its status list.
    Issuer,
}

/// An issuer's revocation state.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct StatusState {
    /// Entries in the status list (a multiple of 8).
    pub len: u64,
    /// The next unused index (0 is never handed out).
    pub next_index: u64,
    /// Revoked indices.
    pub revoked: Vec<u64>,
    /// How long a signed status list stays current, in seconds.
    pub max_age_secs: u32,
}

/// The JSON of a key file. `seed_hex` is absent in the public file.
#[derive(Serialize, Deserialize, Clone)]
pub struct AuthorityFile {
    pub kind: String,
    pub role: Role,
    pub public_key: String,
    pub kid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_hex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_vi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<CredentialType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusState>,
}

impl Drop for AuthorityFile {
    fn drop(&mut self) {
        if let Some(s) = self.seed_hex.take() {
            drop(Zeroizing::new(s));
        }
    }
}

impl AuthorityFile {
    /// Reads a key file or a public `.pub.json` file (public facts only are used).
    pub fn load_public(path: &Path) -> CliResult<Self> {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| io_err("reading", path, e))?);
        let file: AuthorityFile = serde_json::from_str(&text)
            .map_err(|_| usage(format!("{} is not an authority key file", path.display())))?;
        if file.kind != KIND {
            return Err(usage(format!("{} is not an authority key file", path.display())));
        }
        Ok(file)
    }

    /// The public key.
    pub fn public_key(&self) -> CliResult<[u8; 32]> {
        hex::decode(&self.public_key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| usage("key file: bad public key"))
    }

    /// The trust-list entry for this issuer, trusted from `not_before` to `not_after`.
    pub fn trusted_entry(&self, not_before: i64, not_after: i64) -> CliResult<TrustedIssuer> {
        let iss = match (&self.role, &self.iss) {
            (Role::Issuer, Some(iss)) => iss.clone(),
            _ => return Err(usage(format!("key {} is not an issuer key", self.kid))),
        };
        Ok(TrustedIssuer::new(
            self.public_key()?,
            iss.clone(),
            self.name_vi.clone().unwrap_or_else(|| iss.clone()),
            self.name_en.clone().unwrap_or_else(|| iss.clone()),
            not_before,
            not_after,
            &self.types,
        ))
    }
}

/// A loaded authority with its key.
pub struct Authority {
    pub file: AuthorityFile,
    pub key: IssuerKey,
    pub path: PathBuf,
}

/// Options for a new authority.
pub struct NewAuthority<'a> {
    pub role: Role,
    pub iss: Option<&'a str>,
    pub name_vi: Option<&'a str>,
    pub name_en: Option<&'a str>,
    pub types: Vec<CredentialType>,
    pub status_len: u64,
    pub status_max_age_secs: u32,
}

fn usage(m: impl Into<String>) -> CliError {
    CliError::Usage(m.into())
}

impl Authority {
    /// A fresh key with its metadata (not yet saved).
    pub fn generate(opts: &NewAuthority<'_>, path: &Path) -> CliResult<Self> {
        let key = IssuerKey::generate()?;
        let issuer = opts.role == Role::Issuer;
        if issuer {
            if opts.iss.is_none_or(|s| s.trim().is_empty()) {
                return Err(usage(
                    "an issuer needs --iss (its short name in credentials, e.g. BHXH)",
                ));
            }
            if opts.types.is_empty() {
                return Err(usage(
                    "an issuer needs --types (the credential types it may issue)",
                ));
            }
            if opts.status_len == 0 || opts.status_len % 8 != 0 {
                return Err(usage("--status-size must be a positive multiple of 8"));
            }
        }
        let text = |s: Option<&str>| s.map(str::to_owned);
        let file = AuthorityFile {
            kind: KIND.into(),
            role: opts.role,
            public_key: hex::encode(key.public()),
            kid: hex::encode(key.kid()),
            seed_hex: Some(hex::encode(*key.seed())),
            iss: text(opts.iss),
            name_vi: text(opts.name_vi.or(opts.iss)),
            name_en: text(opts.name_en.or(opts.iss)),
            types: if issuer { opts.types.clone() } else { Vec::new() },
            status: issuer.then(|| StatusState {
                len: opts.status_len,
                next_index: 1,
                revoked: Vec::new(),
                max_age_secs: opts.status_max_age_secs,
            }),
        };
        Ok(Self {
            file,
            key,
            path: path.to_owned(),
        })
    }

    /// Reads a key file (with its seed).
    pub fn load(path: &Path) -> CliResult<Self> {
        let file = AuthorityFile::load_public(path)?;
        let seed = file.seed_hex.as_deref().ok_or_else(|| {
            usage(format!(
                "{} is a public key file; the key file is needed",
                path.display()
            ))
        })?;
        let seed = Zeroizing::new(
            hex::decode(seed).map_err(|_| usage(format!("{}: seed is not hex", path.display())))?,
        );
        let key = IssuerKey::from_seed(&seed)?;
        if hex::encode(key.public()) != file.public_key {
            return Err(usage(format!(
                "{}: seed and public key do not match",
                path.display()
            )));
        }
        Ok(Self {
            file,
            key,
            path: path.to_owned(),
        })
    }

    /// Writes the key file (0600) and, when `with_public`, `<stem>.pub.json` beside it.
    pub fn save(&self, with_public: bool) -> CliResult<()> {
        let json = Zeroizing::new(
            serde_json::to_string_pretty(&self.file).map_err(|e| CliError::Io(e.to_string()))?,
        );
        write_private(&self.path, json.as_bytes())?;
        if with_public {
            let mut public = self.file.clone();
            public.seed_hex = None;
            public.status = None;
            let p = public_path(&self.path);
            let text = serde_json::to_string_pretty(&public).map_err(|e| CliError::Io(e.to_string()))?;
            std::fs::write(&p, text + "\n").map_err(|e| io_err("writing", &p, e))?;
        }
        Ok(())
    }

    pub fn issuer(&self) -> CliResult<Issuer> {
        match (&self.file.role, &self.file.iss) {
            (Role::Issuer, Some(iss)) => Ok(Issuer::new(self.key.clone(), iss.clone())),
            _ => Err(usage(format!("{} is not an issuer key", self.path.display()))),
        }
    }

    fn status_mut(&mut self) -> CliResult<&mut StatusState> {
        let path = self.path.display().to_string();
        self.file
            .status
            .as_mut()
            .ok_or_else(|| usage(format!("{path} has no status list (not an issuer key)")))
    }

    /// Hands out the next status-list index (the caller saves the file).
    pub fn next_status_index(&mut self) -> CliResult<u64> {
        let s = self.status_mut()?;
        if s.next_index >= s.len {
            return Err(usage(
                "the issuer's status list is full: create a new issuer key with a larger --status-size",
            ));
        }
        let idx = s.next_index;
        s.next_index += 1;
        Ok(idx)
    }

    /// Marks `index` revoked (the caller saves the file).
    pub fn revoke(&mut self, index: u64) -> CliResult<bool> {
        let s = self.status_mut()?;
        if index == 0 || index >= s.next_index {
            return Err(usage(format!("index {index} was never issued by this issuer")));
        }
        if s.revoked.contains(&index) {
            return Ok(false);
        }
        s.revoked.push(index);
        s.revoked.sort_unstable();
        Ok(true)
    }

    /// The signed status list as of `now`.
    pub fn signed_status_list(&self, now: i64) -> CliResult<Vec<u8>> {
        let s = self
            .file
            .status
            .as_ref()
            .ok_or_else(|| usage(format!("{} is not an issuer key", self.path.display())))?;
        let len = usize::try_from(s.len).map_err(|_| usage("status list too large"))?;
        let mut list = StatusList::new(self.key.kid(), len, now, s.max_age_secs)?;
        for &i in &s.revoked {
            list.revoke(i)?;
        }
        Ok(list.sign(&self.key)?)
    }
}

/// `x.json` → `x.pub.json`.
pub fn public_path(key_path: &Path) -> PathBuf {
    let stem = key_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "authority".into());
    key_path.with_file_name(format!("{stem}.pub.json"))
}

/// A root public key given as 64 hex characters, or the path of a key / public key file.
pub fn root_public_key(arg: &str) -> CliResult<[u8; 32]> {
    let hex_text = if arg.len() == 64 && arg.bytes().all(|b| b.is_ascii_hexdigit()) {
        arg.to_owned()
    } else {
        let file = AuthorityFile::load_public(Path::new(arg))?;
        if file.role != Role::Root {
            return Err(usage(format!("{arg} is not a root key")));
        }
        file.public_key.clone()
    };
    let bytes = hex::decode(&hex_text).map_err(|_| usage("root key: not hex"))?;
    bytes
        .try_into()
        .map_err(|_| usage("root key: must be 32 bytes (64 hex characters)"))
}

/// Writes a file readable by its owner only (on Unix); never through a symlink left in place.
pub fn write_private(path: &Path, bytes: &[u8]) -> CliResult<()> {
    let tmp = path.with_extension("tmp");
    {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp).map_err(|e| io_err("writing", &tmp, e))?;
        f.write_all(bytes).map_err(|e| io_err("writing", &tmp, e))?;
        f.sync_all().map_err(|e| io_err("writing", &tmp, e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| io_err("writing", path, e))
}

/// Parses `a,b,c` credential type names.
pub fn parse_types(list: &str) -> CliResult<Vec<CredentialType>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| CredentialType::parse(s).map_err(CliError::from))
        .collect()
}
