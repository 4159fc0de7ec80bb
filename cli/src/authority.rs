//! Authority key files: the state of a trust-list root or an issuer, for `cwallet issuer ...`.
//!
//! One JSON file per authority, written with mode 0600 because it holds the Ed25519 seed in
//! hex. Real issuers keep their keys in an HSM; these files serve the demo, tests and pilots.
//! An issuer's file also carries its status-list state (size, next free index, revoked
//! indices), so `issue` hands out indices and `revoke` / `status-list` work from the same file.
//! Every authority's file also keeps the sequence number of the last list it signed (a root's
//! trust lists, an issuer's status lists): each signing takes the next number and saves it
//! before the list is written, so no number is used twice and a counter that holds one list
//! refuses every earlier one.
//!
//! Next to every key file `issuer new` writes `<name>.pub.json` with the public part only: what
//! a verifier or wallet needs to pin the root key.

use std::path::{Path, PathBuf};

use citizen_wallet_core::issuer::{Issuer, IssuerKey};
use citizen_wallet_core::model::CredentialType;
use citizen_wallet_core::trust::{ReaderRole, StatusList, TrustedIssuer, TrustedReader};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::output::{io_err, CliError, CliResult};

const KIND: &str = "citizen-wallet authority key";

/// How long `issuer trust-list` (and the demo) trusts an issuer by default: one year, so that a
/// key nobody renews stops being accepted, and a list naming it is re-signed at least yearly.
pub const DEFAULT_ISSUER_WINDOW_DAYS: i64 = 365;
/// How long a trust list stays current by default before counters call it out of date.
pub const DEFAULT_NEXT_UPDATE_DAYS: i64 = 30;

/// What an authority does.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Signs trust lists.
    Root,
    /// Signs credentials and its status list.
    Issuer,
    /// A counter's reader key: signs request QRs (`cwallet request`).
    Reader,
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
    /// Reader: its id, the audience answers are bound to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_id: Option<String>,
    /// Reader: its role (`clinic`, `police`, `service_desk`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_role: Option<String>,
    /// The sequence number of the last list this authority signed (0: none yet).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub last_sequence: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
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

    /// The reader's role.
    pub fn reader_role(&self) -> CliResult<ReaderRole> {
        match (&self.role, &self.reader_role) {
            (Role::Reader, Some(r)) => Ok(ReaderRole::parse(r)?),
            _ => Err(usage(format!("key {} is not a reader key", self.kid))),
        }
    }

    /// The trust-list entry for this reader, trusted from `not_before` to `not_after`.
    pub fn trusted_reader(&self, not_before: i64, not_after: i64) -> CliResult<TrustedReader> {
        let role = self.reader_role()?;
        let id = self
            .reader_id
            .clone()
            .ok_or_else(|| usage(format!("reader key {} has no reader id", self.kid)))?;
        Ok(TrustedReader::new(
            self.public_key()?,
            id.clone(),
            self.name_vi.clone().unwrap_or_else(|| id.clone()),
            self.name_en.clone().unwrap_or_else(|| id.clone()),
            not_before,
            not_after,
            role,
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
    pub reader_id: Option<&'a str>,
    pub reader_role: Option<ReaderRole>,
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
        let reader = opts.role == Role::Reader;
        if reader {
            let id = opts.reader_id.unwrap_or("");
            if id.is_empty() || id.len() > citizen_wallet_core::trust::MAX_READER_ID_BYTES || id == "offline"
            {
                return Err(usage(
                    "a reader needs --reader-id: 1 to 16 bytes, not \"offline\" (answers carry it in their QR)",
                ));
            }
            if opts.reader_role.is_none() {
                return Err(usage("a reader needs --role (clinic, police or service_desk)"));
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
            name_vi: text(opts.name_vi.or(opts.iss).or(opts.reader_id)),
            name_en: text(opts.name_en.or(opts.iss).or(opts.reader_id)),
            reader_id: if reader { text(opts.reader_id) } else { None },
            reader_role: if reader {
                opts.reader_role.map(|r| r.as_str().to_owned())
            } else {
                None
            },
            types: if issuer { opts.types.clone() } else { Vec::new() },
            status: issuer.then(|| StatusState {
                len: opts.status_len,
                next_index: 1,
                revoked: Vec::new(),
                max_age_secs: opts.status_max_age_secs,
            }),
            last_sequence: 0,
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
            public.last_sequence = 0;
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

    /// Takes the sequence number for the next list this authority signs (the caller saves the
    /// file before publishing the list).
    pub fn next_sequence(&mut self) -> CliResult<u64> {
        let next = self
            .file
            .last_sequence
            .checked_add(1)
            .ok_or_else(|| usage("the key file's list sequence number is exhausted"))?;
        self.file.last_sequence = next;
        Ok(next)
    }

    /// The signed status list as of `now`, with the next sequence number (the caller saves the
    /// file before publishing the list).
    pub fn signed_status_list(&mut self, now: i64) -> CliResult<Vec<u8>> {
        let sequence = self.next_sequence()?;
        let s = self
            .file
            .status
            .as_ref()
            .ok_or_else(|| usage(format!("{} is not an issuer key", self.path.display())))?;
        let len = usize::try_from(s.len).map_err(|_| usage("status list too large"))?;
        let mut list = StatusList::new(self.key.kid(), len, now, s.max_age_secs)?.with_sequence(sequence);
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

/// Writes a file readable by its owner only (mode 0600 on Unix), atomically, never through a
/// symlink.
///
/// The bytes go to a new file with an unpredictable name beside `path`, created exclusively
/// (`O_CREAT | O_EXCL`, which does not follow a symlink planted at that name) with mode 0600
/// from the start, synced, then renamed over `path`. A symlink at `path` itself is refused with
/// a clear error rather than replaced or followed. So a leftover or planted temporary file can
/// neither widen the key file's permissions nor receive the seed.
pub fn write_private(path: &Path, bytes: &[u8]) -> CliResult<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(CliError::Io(format!(
            "refusing to write {}: it is a symbolic link (remove it, or choose another path)",
            path.display()
        )));
    }
    let (tmp, mut f) = create_exclusive_beside(path)?;
    let written = {
        use std::io::Write;
        f.write_all(bytes).and_then(|()| f.sync_all())
    };
    drop(f);
    let result = written
        .map_err(|e| io_err("writing", &tmp, e))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| io_err("writing", path, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A new, empty file beside `path` with an unpredictable name, created exclusively with mode
/// 0600 (Unix). Retries on the rare name collision.
fn create_exclusive_beside(path: &Path) -> CliResult<(PathBuf, std::fs::File)> {
    use std::hash::{BuildHasher, Hasher};
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("key");
    let mut last = None;
    for attempt in 0u32..16 {
        // 64 bits from std's per-process random hashing keys, the pid, the time and the attempt:
        // unpredictable enough that a name cannot be planted in advance; exclusivity does the rest.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.write_u32(attempt);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        let tmp = dir.join(format!(".{name}.{:016x}.tmp", h.finish()));
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some((tmp, e)),
            Err(e) => return Err(io_err("writing", &tmp, e)),
        }
    }
    match last {
        Some((tmp, e)) => Err(io_err("writing", &tmp, e)),
        None => Err(CliError::Io("writing: no temporary file name".into())),
    }
}

/// Parses `a,b,c` credential type names.
pub fn parse_types(list: &str) -> CliResult<Vec<CredentialType>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| CredentialType::parse(s).map_err(CliError::from))
        .collect()
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::os::unix::fs::{symlink, PermissionsExt};

    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    /// Hardening finding 11. On the old code (fixed `<name>.tmp`, create + truncate) the planted
    /// world-readable tmp file kept its 0644 and became the key file.
    #[test]
    fn a_leftover_world_readable_tmp_file_does_not_widen_the_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("bhxh.json");
        let planted = dir.path().join("bhxh.tmp");
        std::fs::write(&planted, b"old").unwrap();
        std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&key, b"seed").unwrap();
        assert_eq!(std::fs::read(&key).unwrap(), b"seed");
        assert_eq!(mode(&key), 0o600);
        assert_eq!(
            std::fs::read(&planted).unwrap(),
            b"old",
            "the planted file is not used"
        );
    }

    /// Hardening finding 11. On the old code the seed was written through a symlink planted at
    /// `<name>.tmp` into the file it points to.
    #[test]
    fn a_symlink_planted_at_the_old_tmp_name_receives_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("root.json");
        let target = dir.path().join("attacker-owned");
        std::fs::write(&target, b"").unwrap();
        symlink(&target, dir.path().join("root.tmp")).unwrap();
        write_private(&key, b"seed").unwrap();
        assert_eq!(
            std::fs::read(&target).unwrap(),
            b"",
            "nothing went through the symlink"
        );
        assert_eq!(std::fs::read(&key).unwrap(), b"seed");
        assert_eq!(mode(&key), 0o600);
    }

    /// Hardening finding 11. On the old code a symlink at the key path was silently replaced.
    #[test]
    fn a_symlink_at_the_key_path_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("bhxh.json");
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, b"keep").unwrap();
        symlink(&target, &key).unwrap();
        match write_private(&key, b"seed") {
            Err(CliError::Io(m)) => assert!(m.contains("symbolic link"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(std::fs::symlink_metadata(&key).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn rewriting_keeps_mode_0600_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k.json");
        write_private(&key, b"one").unwrap();
        write_private(&key, b"two").unwrap();
        assert_eq!(std::fs::read(&key).unwrap(), b"two");
        assert_eq!(mode(&key), 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
