//! [`WalletDb`]: the open wallet database behind its mutex, and every read and write the wallet
//! makes, each one call. A call takes the connection, runs the statements of the table files
//! (`meta.rs`, `key_slots.rs`, `holder_key.rs`, `credentials.rs`, `pin_attempts.rs`) in one
//! transaction (a single statement is its own), and releases it. Credentials are sealed before
//! and opened after the call (`NewCredential::seal`, `CredentialRow::open`), and Argon2id runs
//! between the calls of a PIN attempt, so neither holds the connection.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, TransactionBehavior};
use zeroize::Zeroizing;

use super::cipher::StoreCipher;
use super::credentials::{self, CredentialRow, NewCredential, SealedIssued, SummaryRow};
use super::key_slots::{self, ProviderSlot, Slot};
use super::meta::KeyCheck;
use super::pin_attempts::{self, PinAttempt, PinAttempts};
use super::{db, holder_key, meta};
use crate::Result;

/// The open wallet database. Every method is one transaction (see the module docs). Dropping
/// it closes the connection and, if that was the file's last connection and it closed
/// cleanly, marks the file as cleanly closed ([`db::mark_clean_close`]).
pub(crate) struct WalletDb {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Drop for WalletDb {
    fn drop(&mut self) {
        // Take the connection out to close it and see the result (an in-memory one, which
        // touches no file, stands in for the rest of the drop).
        let Ok(stand_in) = Connection::open_in_memory() else {
            return;
        };
        let conn = std::mem::replace(self.conn.get_mut().unwrap_or_else(|e| e.into_inner()), stand_in);
        if conn.close().is_ok() {
            db::mark_clean_close(&self.path);
        }
    }
}

impl WalletDb {
    /// Creates the database file at `path` (which must not exist) and writes a new wallet in
    /// one transaction: its facts and canary (sealed under `cipher`), its holder seed (sealed),
    /// and its first key slot. Derive the slot first: a failure then leaves no file behind.
    /// Returns the database and the new key's [`KeyCheck`].
    pub(crate) fn create(
        path: &Path,
        cipher: &StoreCipher,
        holder_seed: &[u8],
        slot: &Slot,
        now: i64,
    ) -> Result<(Self, KeyCheck)> {
        let mut conn = db::create(path)?;
        let tx = conn.transaction()?;
        meta::insert_new(&tx, cipher, now)?;
        holder_key::insert(&tx, cipher, holder_seed)?;
        key_slots::upsert(&tx, slot, now)?;
        let key = meta::key_check(&tx)?;
        tx.commit()?;
        Ok((Self::new(conn, path), key))
    }

    /// Opens the existing wallet database at `path` (see [`db::open`]) and refuses a wallet
    /// whose creation did not complete.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let conn = db::open(path)?;
        meta::check_complete(&conn)?;
        Ok(Self::new(conn, path))
    }

    fn new(conn: Connection, path: &Path) -> Self {
        Self {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
        }
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-done transaction: rusqlite's
        // Transaction rolls back on drop. So a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ---- keys and unlocking

    /// Checks that `cipher` is this wallet's (its canary: `Error::WrongKey` otherwise), then
    /// opens the holder seed. Both are read first, in one read transaction. Returns the seed
    /// and the key's [`KeyCheck`].
    pub(crate) fn open_holder_seed(&self, cipher: &StoreCipher) -> Result<(Zeroizing<Vec<u8>>, KeyCheck)> {
        let (canary, seed_sealed) = {
            let mut conn = self.conn();
            let tx = conn.transaction()?;
            let read = (meta::read_canary(&tx)?, holder_key::read(&tx)?);
            tx.commit()?;
            read
        };
        let key = meta::checked(cipher, canary)?;
        Ok((holder_key::open(cipher, &seed_sealed)?, key))
    }

    /// Whether `key` is still the file's data key (not rotated away by another handle).
    pub(crate) fn is_current(&self, key: &KeyCheck) -> Result<bool> {
        Ok(meta::key_check(&self.conn())? == *key)
    }

    /// Adds `slot`, or replaces the slot of its kind: the data key of `key`, wrapped anew. A new
    /// PIN slot starts with no failed attempts. `Error::Locked` if `key` was rotated away.
    pub(crate) fn put_slot(&self, slot: &Slot, key: &KeyCheck, now: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        key.verify(&tx)?;
        key_slots::upsert(&tx, slot, now)?;
        if slot.is_pin() {
            pin_attempts::reset(&tx)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Refuses `slots` (with the field to supply) unless they rewrap every kind of slot the
    /// wallet has. [`WalletDb::rotate`] checks it again in its transaction; this is the check
    /// before Argon2id runs for a new PIN slot.
    pub(crate) fn check_slots_cover(&self, kinds: &[&str]) -> Result<()> {
        key_slots::check_covers(&self.conn(), |kind| kinds.contains(&kind))
    }

    /// Rotates the data key, in one `BEGIN IMMEDIATE` transaction: checks that `key` (the
    /// key of `old`) is still the file's, reseals the canary, the holder seed and every
    /// credential from `old` to `new`, and replaces every key slot with `slots` (which must
    /// rewrap every kind the wallet has). A crash or kill leaves the old key or the new one,
    /// never a mix. Returns the new key's [`KeyCheck`] and the number of credentials
    /// resealed. The connection is held throughout, so no write sealed under `old` can land
    /// after it.
    pub(crate) fn rotate(
        &self,
        old: &StoreCipher,
        key: &KeyCheck,
        new: &StoreCipher,
        slots: &[Slot],
        now: i64,
    ) -> Result<(KeyCheck, usize)> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        key.verify(&tx)?;
        let new_key = meta::reseal_canary(&tx, new)?;
        holder_key::reseal(&tx, old, new)?;
        let resealed = credentials::reseal_all(&tx, old, new)?;
        key_slots::replace_all(&tx, slots, now)?;
        if slots.iter().any(Slot::is_pin) {
            pin_attempts::reset(&tx)?;
        }
        tx.commit()?;
        // The resealed pages are in the `-wal`; the main file (and older `-wal` frames) still
        // hold them as they were, sealed under the old key. Checkpoint, so the main file's
        // copies are overwritten, and truncate the `-wal` (best effort: with another
        // connection reading, a later checkpoint does it). Pages the rows left are zeroed by
        // `secure_delete`.
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok((new_key, resealed))
    }

    /// The platform key provider slot (`Error::NotFound` if the wallet has none).
    pub(crate) fn provider_slot(&self) -> Result<ProviderSlot> {
        key_slots::read_provider(&self.conn())
    }

    /// The back-off state.
    pub(crate) fn pin_attempts(&self) -> Result<PinAttempts> {
        pin_attempts::read(&self.conn())
    }

    /// Begins a PIN attempt and claims it, in one `BEGIN IMMEDIATE` transaction: reads the
    /// back-off state, lets `allow` refuse the attempt (with its error), reads the PIN slot
    /// (`Error::NotFound` if the wallet has none), and counts the attempt as failed at `now`
    /// before any PIN is tested. Other connections (handles, processes) wait for the file's
    /// write lock, so each sees the claims made before it. The connection is free again when
    /// this returns, before the caller runs Argon2id.
    pub(crate) fn begin_pin_attempt(
        &self,
        now: i64,
        allow: impl FnOnce(PinAttempts) -> Result<()>,
    ) -> Result<PinAttempt> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let before = pin_attempts::read(&tx)?;
        allow(before)?;
        let slot = key_slots::read_pin(&tx)?;
        let claimed = pin_attempts::claim(&tx, now)?;
        tx.commit()?;
        Ok(PinAttempt::new(slot, before, claimed))
    }

    /// The attempt's PIN was right: clears the failure count (and puts back the time of the
    /// last wrong PIN).
    pub(crate) fn pin_accepted(&self, attempt: PinAttempt) -> Result<()> {
        pin_attempts::accepted(&self.conn(), attempt.before().last_failed_at)
    }

    /// The attempt's PIN was wrong: its claim stays counted. Returns the failure count.
    pub(crate) fn pin_rejected(&self, attempt: PinAttempt) -> u32 {
        attempt.claimed().failed
    }

    /// The platform key provider opened the wallet: clears the failure count (and so enables a
    /// PIN disabled after too many failures).
    pub(crate) fn reset_pin_attempts(&self) -> Result<()> {
        pin_attempts::reset(&self.conn())
    }

    // ---- credentials

    /// Inserts sealed credentials (one or many), all or none, sealed under the key of `key`:
    /// `Error::Locked` if that key was rotated away.
    pub(crate) fn insert_credentials(&self, rows: &[NewCredential], key: &KeyCheck, now: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        key.verify(&tx)?;
        credentials::insert_all(&tx, rows, now)?;
        tx.commit()?;
        Ok(())
    }

    /// One credential row (`Error::NotFound` if there is none).
    pub(crate) fn credential(&self, id: &str) -> Result<CredentialRow> {
        credentials::get(&self.conn(), id)
    }

    /// Every credential row, or those with type tag `type_tag`, oldest first.
    pub(crate) fn credentials(&self, type_tag: Option<&[u8]>) -> Result<Vec<CredentialRow>> {
        let conn = self.conn();
        match type_tag {
            Some(tag) => credentials::list_by_type(&conn, tag),
            None => credentials::list_all(&conn),
        }
    }

    /// Every credential's summary row, or those with type tag `type_tag`, oldest first.
    pub(crate) fn summaries(&self, type_tag: Option<&[u8]>) -> Result<Vec<SummaryRow>> {
        credentials::summaries(&self.conn(), type_tag)
    }

    /// Migration 3's second half, which needs the data key: if rows written before schema 3
    /// are left (JSON payloads, no summary), rewrites them all in one `BEGIN IMMEDIATE`
    /// transaction under the key of `key` (`Error::Locked` if it was rotated away): all or
    /// none, so a crash leaves them as they were, still readable, for the next unlock. Finding
    /// none is one search of an empty index. Returns the rows rewritten.
    pub(crate) fn summarize_old_rows(&self, cipher: &StoreCipher, key: &KeyCheck) -> Result<usize> {
        let mut conn = self.conn();
        if !credentials::any_unsummarized(&conn)? {
            return Ok(0);
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        key.verify(&tx)?;
        let n = credentials::summarize_all(&tx, cipher)?;
        tx.commit()?;
        // As after a rotation: the JSON rows' pages are still in the main file until a
        // checkpoint overwrites them (best effort).
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(n)
    }

    /// Deletes a credential (`Error::NotFound` if there is none).
    pub(crate) fn delete_credential(&self, id: &str) -> Result<()> {
        credentials::delete(&self.conn(), id)
    }

    /// The sealed issuer-signed bytes of a credential: `None` if it was added by hand,
    /// `Error::NotFound` if there is none.
    pub(crate) fn issued(&self, id: &str) -> Result<Option<SealedIssued>> {
        credentials::issued(&self.conn(), id)
    }
}
