//! What a counter holds: the newest trust list and status lists it has accepted, kept across
//! restarts, and the rule that decides whether an offered list replaces the one held.
//!
//! ## The rule ([`ListUpdate`])
//!
//! Every trust list and status list carries its signer's **sequence number**. A verified list
//! offered to a counter is
//!
//! * **refused as from the future** when dated after now plus the clock-skew tolerance (an
//!   issuer host with a wrong clock, or a forgery by a compromised signer): accepted, it would
//!   stay "newest" and silently block every real list;
//! * **refused as older** when its number is below the held list's (a replayed list: the
//!   status list from before a revocation, the trust list from before an issuer was removed);
//! * **the same** when its number and content are the held list's (nothing changes);
//! * **refused as conflicting** when it has the held list's number but other content, or a
//!   higher number but an earlier date: the signer published two histories (a bug, or a
//!   compromised key). The held list stays;
//! * otherwise **applied**. A newer trust list drops the held status lists of issuers it no
//!   longer names.
//!
//! A list whose signature or structure is bad is an `Err` and changes nothing.
//!
//! ## Persistence ([`CounterState::open`])
//!
//! The "never older" rule is worthless in memory only: a restarted counter would accept any
//! list again. [`CounterState::open`] keeps the held lists in one file, `counter-state.bin`
//! ([`STATE_FILE_NAME`]), in a directory of the counter's own:
//!
//! ```text
//! b"CWSTATE\n" || CBOR {"version": 1, "root": h'<pinned root key>',
//!                       "trust": h'<signed trust list>', "status": [h'<signed status list>', ...]}
//! ```
//!
//! A counter that shows request QRs also keeps the requests it made (their nonces, see
//! `open_requests.rs`) so a restarted counter still refuses a replayed response. While it
//! remembers any, the file is **version 2**, with a fifth entry
//! `"requests": [{"n": h'<nonce>', "r": reader id, "t": type, "i": iat, "e": exp, "a": answered}, ...]`; without
//! any it is written as version 1, byte for byte as before, and both versions are read. The
//! requests are not signed by anyone: altering them can only refuse responses or reopen a
//! request the same counter made (see SECURITY.md).
//!
//! Integrity comes from the signers: on load every list is **verified again** (the trust list
//! against the root key the caller pins, each status list against its issuer's key in that
//! trust list), so a changed byte is caught, and the file must name the same root key. A file
//! that does not start with the magic is [`StateError::Foreign`]; one that does but does not
//! decode or verify is [`StateError::Damaged`]; a newer format is [`StateError::NewerVersion`];
//! another root key is [`StateError::OtherRootKey`]. A file that cannot be loaded is never
//! overwritten: no [`CounterState`] exists to write it. Each applied list rewrites the file
//! atomically (a new file beside it, synced, renamed over it, the directory synced), before
//! the list is used.
//!
//! What it does not stop: someone who can delete or replace the file (restoring an older copy
//! rolls the counter back; see SECURITY.md), and two processes sharing one directory (the last
//! writer wins): give each verifier its own.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::format::cbor::{self, map_get, Value};
use crate::{Error, Result};

use super::open_requests::{OpenRequest, OpenRequests};
use super::{StatusList, TrustList};

/// The state file's name inside the directory given to [`CounterState::open`].
pub const STATE_FILE_NAME: &str = "counter-state.bin";

/// The largest state file read or written (a trust list of 1,000 issuers and their status lists
/// of 65,536 entries take about 1 MB).
pub const MAX_STATE_BYTES: usize = 32 * 1024 * 1024;

const MAGIC: &[u8; 8] = b"CWSTATE\n";
const FORMAT_VERSION: u64 = 1;
/// The format with the counter's requests (`"requests"`), written only while it has any.
const FORMAT_VERSION_REQUESTS: u64 = 2;

/// What happened to a verified trust list or status list offered to a counter (see the module
/// docs for the rule). Only [`Applied`](Self::Applied) changes what the counter holds.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[non_exhaustive]
pub enum ListUpdate {
    /// The list is now the one held (and saved, for a state opened from a directory).
    Applied,
    /// The list held already: same sequence number, same content. Nothing changed.
    SameAsCurrent,
    /// Refused: its sequence number is below the held list's (a replayed or rolled-back list).
    OlderThanCurrent,
    /// Refused: the held list's sequence number with other content, or a higher number dated
    /// before the held list. The signer published two histories; the held list stays.
    ConflictsWithCurrent,
    /// Refused: dated after now plus the clock-skew tolerance.
    FromTheFuture,
}

impl ListUpdate {
    /// Whether the list is now the one held.
    pub fn is_applied(self) -> bool {
        self == Self::Applied
    }

    /// Whether the list was refused (older, conflicting or from the future).
    pub fn is_refused(self) -> bool {
        !matches!(self, Self::Applied | Self::SameAsCurrent)
    }
}

/// Why a counter state file cannot be used ([`Error::CounterState`]). The file is left as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[non_exhaustive]
pub enum StateError {
    /// Not a counter state file (another program's file at that name).
    Foreign,
    /// A counter state file that does not decode, or whose lists no longer verify (truncated,
    /// damaged or altered).
    Damaged,
    /// Written by a newer version of this library.
    NewerVersion,
    /// Made for another trust-list root key than the one pinned now. Delete the directory
    /// deliberately to start over with the new root.
    OtherRootKey,
}

impl StateError {
    /// A sentence for the counter's developer or operator (English).
    pub fn message(self) -> &'static str {
        match self {
            Self::Foreign => "not a counter state file",
            Self::Damaged => "damaged or altered: its lists do not decode or verify",
            Self::NewerVersion => "written by a newer version of the library",
            Self::OtherRootKey => "made for another trust-list root key",
        }
    }
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A held list and the signed bytes it was read from (what the state file keeps).
#[derive(Debug, Clone)]
struct Held<T> {
    list: T,
    bytes: Vec<u8>,
}

/// The trust list and status lists a counter holds, in memory or saved in a directory (see the
/// module docs). [`crate::Verifier::from_state`] verifies with it.
pub struct CounterState {
    path: Option<PathBuf>,
    root: [u8; 32],
    trust: Option<Held<TrustList>>,
    status: BTreeMap<[u8; 8], Held<StatusList>>,
    requests: OpenRequests,
}

impl fmt::Debug for CounterState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CounterState")
            .field("saved", &self.path.is_some())
            .field(
                "trust_list_sequence",
                &self.trust.as_ref().map(|t| t.list.sequence),
            )
            .field("status_lists", &self.status.len())
            .field("requests", &self.requests.len())
            .finish()
    }
}

impl CounterState {
    /// A state kept in memory only (what [`crate::Verifier::new`] uses): forgotten on restart.
    pub fn in_memory(root_public_key: &[u8; 32]) -> Self {
        Self {
            path: None,
            root: *root_public_key,
            trust: None,
            status: BTreeMap::new(),
            requests: OpenRequests::default(),
        }
    }

    /// Opens the state kept in `dir` (created if missing) for a counter pinning
    /// `root_public_key`: empty when the directory holds no state file yet, otherwise the lists
    /// saved there, each verified again.
    ///
    /// # Errors
    /// [`Error::CounterState`] when the file is foreign, damaged, newer or made for another
    /// root key (the file is left untouched); [`Error::Storage`] when the directory or file
    /// cannot be read.
    pub fn open(dir: &Path, root_public_key: &[u8; 32]) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| io_error("creating the directory", &e))?;
        let path = dir.join(STATE_FILE_NAME);
        let mut state = Self::in_memory(root_public_key);
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                state.path = Some(path);
                return Ok(state);
            }
            Err(e) => return Err(io_error("reading", &e)),
        };
        // One byte past the limit is enough to know the file is too large.
        let mut bytes = Vec::new();
        file.take(MAX_STATE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_error("reading", &e))?;
        state.load(&bytes)?;
        state.path = Some(path);
        Ok(state)
    }

    /// Where the state is saved, if it is.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The pinned root public key.
    pub fn root_public_key(&self) -> &[u8; 32] {
        &self.root
    }

    /// The trust list held, if any.
    pub fn trust_list(&self) -> Option<&TrustList> {
        self.trust.as_ref().map(|t| &t.list)
    }

    /// The status list held for the issuer with key id `issuer_kid`, if any.
    pub fn status_list(&self, issuer_kid: &[u8; 8]) -> Option<&StatusList> {
        self.status.get(issuer_kid).map(|s| &s.list)
    }

    /// Every status list held, by issuer key id.
    pub fn status_lists(&self) -> impl Iterator<Item = &StatusList> {
        self.status.values().map(|s| &s.list)
    }

    /// Offers a signed trust list, read at `now` (Unix seconds) with a clock-skew tolerance of
    /// `skew_secs`; when it is applied, the held status lists of issuers it no longer names are
    /// dropped and the state is saved. [`crate::Verifier::update_trust_list`] calls this with
    /// its clock and configuration.
    ///
    /// # Errors
    /// [`crate::RejectReason::BadTrustData`] (and the other errors of
    /// [`TrustList::parse_verify`]) when it does not verify against the pinned root key;
    /// [`Error::Storage`] when saving fails. Either way nothing changes.
    pub fn update_trust_list(&mut self, bytes: &[u8], now: i64, skew_secs: u32) -> Result<ListUpdate> {
        let list = TrustList::parse_verify(bytes, &self.root)?;
        let held = self
            .trust
            .as_ref()
            .map(|h| (h.list.sequence, h.list.issued_at, h.list == list));
        let update = decide(held, list.sequence, list.issued_at, now, skew_secs);
        if update != ListUpdate::Applied {
            return Ok(update);
        }
        let status: BTreeMap<[u8; 8], Held<StatusList>> = self
            .status
            .iter()
            .filter(|(kid, _)| list.find(kid.as_slice()).is_some())
            .map(|(kid, h)| (*kid, h.clone()))
            .collect();
        let trust = Held {
            list,
            bytes: bytes.to_vec(),
        };
        self.save(&trust, status.values(), &self.requests)?;
        self.trust = Some(trust);
        self.status = status;
        Ok(ListUpdate::Applied)
    }

    /// Offers an issuer's signed status list, read at `now` with a clock-skew tolerance of
    /// `skew_secs`; an applied list is saved. [`crate::Verifier::update_status_list`] calls this
    /// with its clock and configuration.
    ///
    /// # Errors
    /// [`Error::NotFound`] when no trust list is held yet; the errors of
    /// [`StatusList::parse_verify`] when it does not verify against its issuer's key in the
    /// held trust list; [`Error::Storage`] when saving fails. Either way nothing changes.
    pub fn update_status_list(&mut self, bytes: &[u8], now: i64, skew_secs: u32) -> Result<ListUpdate> {
        let trust = self.trust.as_ref().ok_or(Error::NotFound("trust list"))?;
        let list = StatusList::parse_verify(bytes, &trust.list)?;
        let kid = list.issuer_kid;
        let held = self
            .status
            .get(&kid)
            .map(|h| (h.list.sequence, h.list.issued_at, h.list == list));
        let update = decide(held, list.sequence, list.issued_at, now, skew_secs);
        if update != ListUpdate::Applied {
            return Ok(update);
        }
        let new = Held {
            list,
            bytes: bytes.to_vec(),
        };
        let others = self.status.iter().filter(|(k, _)| **k != kid).map(|(_, h)| h);
        self.save(trust, others.chain(std::iter::once(&new)), &self.requests)?;
        self.status.insert(kid, new);
        Ok(ListUpdate::Applied)
    }

    /// How many requests this counter made that are neither answered nor expired at `now`.
    pub fn open_requests(&self, now: i64) -> usize {
        self.requests.open_count(now)
    }

    /// Whether the counter remembers any request it made (open, answered or recently expired).
    pub(crate) fn remembers_requests(&self) -> bool {
        !self.requests.is_empty()
    }

    /// Remembers a request the counter is about to show (and saves), after forgetting old ones.
    pub(crate) fn add_request(&mut self, nonce: [u8; 16], request: OpenRequest, now: i64) -> Result<()> {
        let mut requests = self.requests.clone();
        requests.prune(now);
        requests.add(nonce, request);
        self.save_requests(requests)
    }

    /// The open request a response carrying `nonce` answers, if it may be accepted now.
    pub(crate) fn check_response(&self, nonce: &[u8], now: i64, skew_secs: u32) -> Result<OpenRequest> {
        self.requests.check(nonce, now, skew_secs)
    }

    /// Marks the request with `nonce` answered (and saves): a replay is refused from now on.
    pub(crate) fn mark_answered(&mut self, nonce: &[u8]) -> Result<()> {
        let mut requests = self.requests.clone();
        requests.mark_answered(nonce);
        self.save_requests(requests)
    }

    /// Saves `requests` with the held lists, then uses them.
    fn save_requests(&mut self, requests: OpenRequests) -> Result<()> {
        if let Some(trust) = &self.trust {
            self.save(trust, self.status.values(), &requests)?;
        }
        self.requests = requests;
        Ok(())
    }

    /// Writes the file (when the state has a path) holding `trust`, `status` and `requests`.
    fn save<'a>(
        &self,
        trust: &Held<TrustList>,
        status: impl Iterator<Item = &'a Held<StatusList>>,
        requests: &OpenRequests,
    ) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mut status: Vec<&Held<StatusList>> = status.collect();
        status.sort_by_key(|h| h.list.issuer_kid);
        let version = if requests.is_empty() {
            FORMAT_VERSION
        } else {
            FORMAT_VERSION_REQUESTS
        };
        let mut entries = vec![
            (Value::text("version"), Value::Uint(version)),
            (Value::text("root"), Value::Bytes(self.root.to_vec())),
            (Value::text("trust"), Value::Bytes(trust.bytes.clone())),
            (
                Value::text("status"),
                Value::Array(status.iter().map(|h| Value::Bytes(h.bytes.clone())).collect()),
            ),
        ];
        if !requests.is_empty() {
            entries.push((Value::text("requests"), requests.to_value()));
        }
        let body = cbor::encode(&Value::sorted_map(entries));
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&body);
        if file.len() > MAX_STATE_BYTES {
            return Err(crate::InputError::new(
                "counter state",
                crate::InputRule::TooLong { max: MAX_STATE_BYTES },
            )
            .into());
        }
        write_atomically(path, &file)
    }

    /// Reads a state file's bytes into this (empty) state.
    fn load(&mut self, bytes: &[u8]) -> Result<()> {
        let damaged = || Error::CounterState(StateError::Damaged);
        let body = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or(Error::CounterState(StateError::Foreign))?;
        if bytes.len() > MAX_STATE_BYTES {
            return Err(damaged());
        }
        let doc = cbor::decode(body, MAX_STATE_BYTES).map_err(|_| damaged())?;
        let map = doc.as_map().ok_or_else(damaged)?;
        let get = |k: &str| map_get(map, &Value::text(k)).ok_or_else(damaged);
        let requests = match get("version")?.as_u64() {
            Some(FORMAT_VERSION) if map.len() == 4 => OpenRequests::default(),
            Some(FORMAT_VERSION_REQUESTS) if map.len() == 5 => {
                OpenRequests::from_value(get("requests")?).ok_or_else(damaged)?
            }
            Some(v) if v > FORMAT_VERSION_REQUESTS => {
                return Err(Error::CounterState(StateError::NewerVersion))
            }
            _ => return Err(damaged()),
        };
        if get("root")?.as_bytes() != Some(self.root.as_slice()) {
            return Err(Error::CounterState(StateError::OtherRootKey));
        }
        let trust_bytes = get("trust")?.as_bytes().ok_or_else(damaged)?;
        let trust = TrustList::parse_verify(trust_bytes, &self.root).map_err(|_| damaged())?;
        let mut status = BTreeMap::new();
        for s in get("status")?.as_array().ok_or_else(damaged)? {
            let s = s.as_bytes().ok_or_else(damaged)?;
            let list = StatusList::parse_verify(s, &trust).map_err(|_| damaged())?;
            let kid = list.issuer_kid;
            let held = Held {
                list,
                bytes: s.to_vec(),
            };
            if status.insert(kid, held).is_some() {
                return Err(damaged());
            }
        }
        self.trust = Some(Held {
            list: trust,
            bytes: trust_bytes.to_vec(),
        });
        self.status = status;
        self.requests = requests;
        Ok(())
    }
}

/// The rule of the module docs. `held`: the held list's sequence number and date, and whether
/// the offered list equals it.
fn decide(
    held: Option<(u64, i64, bool)>,
    sequence: u64,
    issued_at: i64,
    now: i64,
    skew_secs: u32,
) -> ListUpdate {
    use std::cmp::Ordering;
    if issued_at > now.saturating_add(i64::from(skew_secs)) {
        return ListUpdate::FromTheFuture;
    }
    let Some((held_sequence, held_issued_at, same)) = held else {
        return ListUpdate::Applied;
    };
    match sequence.cmp(&held_sequence) {
        Ordering::Less => ListUpdate::OlderThanCurrent,
        Ordering::Equal if same => ListUpdate::SameAsCurrent,
        Ordering::Equal => ListUpdate::ConflictsWithCurrent,
        Ordering::Greater if issued_at < held_issued_at => ListUpdate::ConflictsWithCurrent,
        Ordering::Greater => ListUpdate::Applied,
    }
}

/// An I/O failure as [`Error::Storage`]: what was being done and the error kind (no path).
fn io_error(doing: &str, e: &std::io::Error) -> Error {
    Error::Storage(format!("counter state: {doing}: {}", e.kind()))
}

/// Replaces `path` with `bytes`: a new file beside it (exclusive, unpredictable name), written
/// and synced, renamed over `path`, then the directory synced. A crash leaves the old file or
/// the new one, never a mix (and at worst a stray `.tmp` file).
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let suffix: [u8; 8] = crate::crypto::random::bytes()?;
    let tmp = dir.join(format!(".{STATE_FILE_NAME}.{}.tmp", hex::encode(suffix)));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()));
    let result = written
        .map_err(|e| io_error("writing", &e))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| io_error("replacing", &e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return result;
    }
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error("syncing the directory", &e))?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        use ListUpdate as U;
        let now = 1000;
        // (held, sequence, issued_at) -> outcome
        let cases = [
            (None, 1, 900, U::Applied),
            (None, 1, 1060, U::Applied),
            (None, 1, 1061, U::FromTheFuture),
            (Some((5, 900, false)), 6, 1061, U::FromTheFuture),
            (Some((5, 900, false)), 4, 950, U::OlderThanCurrent),
            (Some((5, 900, true)), 5, 900, U::SameAsCurrent),
            (Some((5, 900, false)), 5, 900, U::ConflictsWithCurrent),
            (Some((5, 900, false)), 6, 899, U::ConflictsWithCurrent),
            (Some((5, 900, false)), 6, 900, U::Applied),
            (Some((5, 900, false)), u64::MAX, 1000, U::Applied),
        ];
        for (held, seq, iat, want) in cases {
            assert_eq!(decide(held, seq, iat, now, 60), want, "{held:?} {seq} {iat}");
        }
        assert_eq!(decide(None, 1, i64::MAX, i64::MAX, u32::MAX), U::Applied);
        assert_eq!(decide(None, 1, i64::MAX, i64::MAX - 1, 0), U::FromTheFuture);
        assert!(U::Applied.is_applied() && !U::Applied.is_refused());
        assert!(!U::SameAsCurrent.is_applied() && !U::SameAsCurrent.is_refused());
        for u in [U::OlderThanCurrent, U::ConflictsWithCurrent, U::FromTheFuture] {
            assert!(u.is_refused() && !u.is_applied());
        }
    }
}
