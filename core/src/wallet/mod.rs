//! [`Wallet`]: the citizen's side. Owns the open database, the unlocked keys and the holder key;
//! every operation runs in one SQLite transaction.
//!
//! A wallet is unlocked by a PIN or by a platform [`KeyProvider`] (see [`Unlock`]); both unwrap
//! the same data key, so either can be changed without re-encrypting anything. `Wallet` is
//! `Send + Sync`: share it between threads behind an `Arc`.

mod backoff;
mod issued;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rusqlite::{params, Connection, OptionalExtension};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::clock::{Clock, SystemClock};
use crate::crypto::kdf::{check_new_pin, derive_pin_key, KdfParams};
use crate::crypto::signing::SigningKey;
use crate::crypto::{aead, random, DataKey};
use crate::model::{Credential, CredentialType};
use crate::platform::KeyProvider;
use crate::storage::cipher::StoreCipher;
use crate::storage::db;
use crate::storage::sealed::{CREDENTIAL_ISSUED, CREDENTIAL_PAYLOAD, HOLDER_SEED, KEY_SLOT_WRAPPED};
use crate::{Error, Result};

pub use backoff::pin_backoff_secs;

/// How to unlock (or, at creation, protect) a wallet.
#[derive(Clone, Copy)]
pub enum Unlock<'a> {
    /// A PIN or passphrase, stretched with Argon2id.
    Pin(&'a str),
    /// A platform key provider (Android Keystore, iOS Keychain / Secure Enclave).
    Provider(&'a dyn KeyProvider),
}

impl std::fmt::Debug for Unlock<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unlock::Pin(_) => f.write_str("Unlock::Pin(<redacted>)"),
            Unlock::Provider(p) => write!(f, "Unlock::Provider({:?})", p.key_id()),
        }
    }
}

/// Options for creating or opening a wallet.
#[derive(Clone)]
pub struct WalletOptions {
    /// Argon2id parameters for a new PIN slot (existing slots keep their own).
    pub kdf: KdfParams,
    /// The time source (back-off, timestamps, presentations).
    pub clock: Arc<dyn Clock>,
}

impl Default for WalletOptions {
    fn default() -> Self {
        Self {
            kdf: KdfParams::default(),
            clock: Arc::new(SystemClock),
        }
    }
}

/// A credential as stored in the wallet.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCredential {
    /// Random id (32 hex characters); carries no meaning.
    pub id: String,
    pub credential: Credential,
    /// Whether the wallet holds the issuer-signed form (presentable), or only self-entered data.
    pub signed: bool,
    /// Unix seconds when it was added.
    pub added_at: i64,
}

struct Unlocked {
    dek: DataKey,
    cipher: StoreCipher,
    holder: SigningKey,
}

/// The citizen's wallet. See the module docs.
pub struct Wallet {
    path: PathBuf,
    conn: Mutex<Connection>,
    keys: RwLock<Option<Unlocked>>,
    opts: WalletOptions,
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("locked", &self.is_locked())
            .finish_non_exhaustive()
    }
}

const PIN_SLOT: &str = "pin";
const PROVIDER_SLOT: &str = "provider";
/// The row of the holder seed's associated data (`holder_key.id`).
const HOLDER_ROW: &str = "1";
/// `key_slots` row of the PIN slot: wrapped key, Argon2 salt, KDF parameters (JSON).
type PinSlotRow = (Vec<u8>, Option<Vec<u8>>, Option<String>);

fn check_id(id: &str) -> Result<()> {
    if id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        Ok(())
    } else {
        Err(Error::InvalidInput(
            "credential id: expected 32 lowercase hex characters".into(),
        ))
    }
}

impl Wallet {
    /// Creates a new wallet at `path` (a file that must not exist yet), protected by `unlock`,
    /// with a fresh data key and holder key. The wallet is returned unlocked.
    pub fn create(path: impl AsRef<Path>, unlock: Unlock<'_>, opts: WalletOptions) -> Result<Self> {
        if let Unlock::Pin(pin) = unlock {
            check_new_pin(pin)?;
        }
        let path = path.as_ref();
        let dek = DataKey::make()?;
        let cipher = StoreCipher::new(&dek);
        let holder = SigningKey::make()?;
        let now = opts.clock.now_unix();
        // Derive the slot before creating the file, so a failure leaves nothing behind.
        let slot = Self::make_slot(unlock, &dek, opts.kdf)?;
        let mut conn = db::create(path)?;
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('wallet_id', ?1)",
            [hex::encode(random::bytes::<16>()?)],
        )?;
        tx.execute("INSERT INTO meta (key, value) VALUES ('created_at', ?1)", [now])?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('canary', ?1)",
            [cipher.make_canary()?],
        )?;
        tx.execute(
            "INSERT INTO holder_key (id, seed_sealed) VALUES (1, ?1)",
            [HOLDER_SEED.seal(&cipher, HOLDER_ROW, holder.seed().as_ref())?],
        )?;
        slot.write(&tx, now)?;
        tx.commit()?;
        Ok(Self {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
            keys: RwLock::new(Some(Unlocked { dek, cipher, holder })),
            opts,
        })
    }

    /// Opens the wallet at `path` and unlocks it. A wrong PIN gives [`Error::WrongPin`] (and
    /// counts towards back-off); a wrong provider key gives [`Error::WrongKey`].
    pub fn open(path: impl AsRef<Path>, unlock: Unlock<'_>, opts: WalletOptions) -> Result<Self> {
        let wallet = Self::open_locked(path, opts)?;
        wallet.unlock(unlock)?;
        Ok(wallet)
    }

    /// Opens the wallet at `path` without unlocking it (e.g. to show the back-off timer).
    pub fn open_locked(path: impl AsRef<Path>, opts: WalletOptions) -> Result<Self> {
        let conn = db::open(path.as_ref())?;
        // `create` writes the canary, holder key and key slot in its last transaction. Without
        // them the creation was interrupted (a crash or kill): say so, rather than a misleading
        // "no key slot" at unlock. The file is left as it is; it holds no credentials.
        let (complete, empty): (bool, bool) = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'canary') AND EXISTS (SELECT 1 FROM holder_key),
                    NOT EXISTS (SELECT 1 FROM credentials)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        match (complete, empty) {
            (true, _) => {}
            (false, true) => {
                return Err(Error::Corrupted(
                    "the wallet is incomplete: its creation was interrupted or its -wal file was lost; it holds no credentials".into(),
                ))
            }
            (false, false) => return Err(Error::Corrupted("wallet canary or holder key missing".into())),
        }
        Ok(Self {
            path: path.as_ref().to_path_buf(),
            conn: Mutex::new(conn),
            keys: RwLock::new(None),
            opts,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Forgets the keys. Every operation that needs them returns [`Error::Locked`] until
    /// [`Wallet::unlock`].
    pub fn lock(&self) {
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    pub fn is_locked(&self) -> bool {
        self.keys.read().unwrap_or_else(|e| e.into_inner()).is_none()
    }

    /// Unlocks with a PIN or provider.
    pub fn unlock(&self, unlock: Unlock<'_>) -> Result<()> {
        let dek = match unlock {
            Unlock::Pin(pin) => self.unwrap_with_pin(pin)?,
            Unlock::Provider(p) => self.unwrap_with_provider(p)?,
        };
        let cipher = StoreCipher::new(&dek);
        let (canary, seed_sealed): (Vec<u8>, Vec<u8>) = {
            let conn = self.conn();
            let canary = conn
                .query_row("SELECT value FROM meta WHERE key = 'canary'", [], |r| r.get(0))
                .optional()?
                .ok_or_else(|| Error::Corrupted("wallet canary missing".into()))?;
            let seed = conn
                .query_row("SELECT seed_sealed FROM holder_key WHERE id = 1", [], |r| {
                    r.get(0)
                })
                .optional()?
                .ok_or_else(|| Error::Corrupted("holder key missing".into()))?;
            (canary, seed)
        };
        cipher.check_canary(&canary)?;
        let seed = HOLDER_SEED.open(&cipher, HOLDER_ROW, &seed_sealed)?;
        let holder = SigningKey::from_seed(&seed)?;
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = Some(Unlocked { dek, cipher, holder });
        Ok(())
    }

    /// Seconds until the next PIN attempt is allowed (0 if now).
    pub fn pin_retry_after_secs(&self) -> Result<u64> {
        let (failed, last) = backoff::read(&self.conn())?;
        Ok(backoff::remaining(failed, last, self.now()))
    }

    /// Sets (adds or replaces) the PIN slot. Needs the wallet unlocked.
    pub fn set_pin(&self, new_pin: &str) -> Result<()> {
        check_new_pin(new_pin)?;
        let slot = self.with_keys(|k| Self::make_slot(Unlock::Pin(new_pin), &k.dek, self.opts.kdf))?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        slot.write(&tx, self.now())?;
        tx.commit()?;
        Ok(())
    }

    /// Changes the PIN: checks `old_pin` (with back-off, like unlocking), then rewraps the data
    /// key under `new_pin`. No credential is re-encrypted.
    pub fn change_pin(&self, old_pin: &str, new_pin: &str) -> Result<()> {
        check_new_pin(new_pin)?;
        let dek = self.unwrap_with_pin(old_pin)?;
        let slot = Self::make_slot(Unlock::Pin(new_pin), &dek, self.opts.kdf)?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        slot.write(&tx, self.now())?;
        tx.commit()?;
        Ok(())
    }

    /// Sets (adds or replaces) the platform key provider slot: re-keying to a new platform key
    /// rewraps the data key only. Needs the wallet unlocked.
    pub fn set_key_provider(&self, provider: &dyn KeyProvider) -> Result<()> {
        let slot = self.with_keys(|k| Self::make_slot(Unlock::Provider(provider), &k.dek, self.opts.kdf))?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        slot.write(&tx, self.now())?;
        tx.commit()?;
        Ok(())
    }

    /// The holder's Ed25519 public key (what issuers bind credentials to).
    pub fn holder_public_key(&self) -> Result<[u8; 32]> {
        self.with_keys(|k| Ok(k.holder.public().to_bytes()))
    }

    /// Adds a self-entered (unsigned) credential after validating it. Returns its id.
    pub fn add(&self, credential: &Credential) -> Result<String> {
        self.insert_credential(credential, None)
    }

    /// Adds many credentials in one transaction (all or nothing). Returns their ids in order.
    pub fn add_all(&self, credentials: &[Credential]) -> Result<Vec<String>> {
        let rows = self.with_keys(|k| {
            credentials
                .iter()
                .map(|c| Self::seal_row(k, c, None))
                .collect::<Result<Vec<_>>>()
        })?;
        let now = self.now();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(INSERT_SQL)?;
            for r in &rows {
                stmt.execute(params![r.id, r.type_tag, r.payload, r.issued, now])?;
            }
        }
        tx.commit()?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// One credential by id.
    pub fn get(&self, id: &str) -> Result<StoredCredential> {
        check_id(id)?;
        // Locked first, like every other keyed operation (a locked wallet answers no questions).
        self.with_keys(|_| Ok(()))?;
        let row = self
            .conn()
            .prepare_cached(GET_SQL)?
            .query_row([id], RawRow::from_row)
            .optional()?
            .ok_or(Error::NotFound("credential"))?;
        self.with_keys(|k| row.open(k))
    }

    /// All credentials, or those of one type, oldest first.
    pub fn list(&self, ty: Option<CredentialType>) -> Result<Vec<StoredCredential>> {
        let rows: Vec<RawRow> = {
            let tag = match ty {
                Some(t) => Some(self.with_keys(|k| Ok(k.cipher.type_tag(t)))?),
                None => None,
            };
            let conn = self.conn();
            // Two statements, not one `?1 IS NULL OR type_tag = ?1`: SQLite plans that OR as a
            // full scan of every sealed row, where `type_tag = ?1` searches the index.
            match tag {
                Some(tag) => conn
                    .prepare_cached(LIST_BY_TYPE_SQL)?
                    .query_map([&tag[..]], RawRow::from_row)?
                    .collect::<std::result::Result<_, _>>()?,
                None => conn
                    .prepare_cached(LIST_ALL_SQL)?
                    .query_map([], RawRow::from_row)?
                    .collect::<std::result::Result<_, _>>()?,
            }
        };
        self.with_keys(|k| rows.into_iter().map(|r| r.open(k)).collect())
    }

    /// Deletes a credential. [`Error::NotFound`] if there is none with that id.
    pub fn delete(&self, id: &str) -> Result<()> {
        check_id(id)?;
        self.with_keys(|_| Ok(()))?;
        let n = self
            .conn()
            .execute("DELETE FROM credentials WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound("credential"));
        }
        Ok(())
    }

    // ---- crate-internal helpers (used by wallet/issued.rs) ----

    /// Stores a validated credential and, if given, its issuer-signed bytes. Returns the id.
    pub(crate) fn insert_credential(&self, credential: &Credential, issued: Option<&[u8]>) -> Result<String> {
        let row = self.with_keys(|k| Self::seal_row(k, credential, issued))?;
        let now = self.now();
        self.conn().prepare_cached(INSERT_SQL)?.execute(params![
            row.id,
            row.type_tag,
            row.payload,
            row.issued,
            now
        ])?;
        Ok(row.id)
    }

    /// The issuer-signed bytes of a credential (`None` if it was self-added).
    pub(crate) fn issued_bytes(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        check_id(id)?;
        self.with_keys(|_| Ok(()))?;
        let sealed: Option<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT issued_sealed FROM credentials WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or(Error::NotFound("credential"))?;
        match sealed {
            None => Ok(None),
            Some(s) => self
                .with_keys(|k| CREDENTIAL_ISSUED.open(&k.cipher, id, &s))
                .map(Some),
        }
    }

    /// The holder's signing key.
    pub(crate) fn holder_key(&self) -> Result<SigningKey> {
        self.with_keys(|k| Ok(k.holder.clone()))
    }

    /// The current time from the wallet's clock.
    pub(crate) fn now(&self) -> i64 {
        self.opts.clock.now_unix()
    }

    // ---- internals ----

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-done transaction: rusqlite's
        // Transaction rolls back on drop. So a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn with_keys<R>(&self, f: impl FnOnce(&Unlocked) -> Result<R>) -> Result<R> {
        let guard = self.keys.read().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(k) => f(k),
            None => Err(Error::Locked),
        }
    }

    fn seal_row(k: &Unlocked, credential: &Credential, issued: Option<&[u8]>) -> Result<SealedRow> {
        let credential = credential.to_normalized()?;
        let id = hex::encode(random::bytes::<16>()?);
        let json = Zeroizing::new(
            serde_json::to_vec(&credential)
                .map_err(|_| Error::InvalidInput("credential: not serializable".into()))?,
        );
        Ok(SealedRow {
            type_tag: k.cipher.type_tag(credential.credential_type()).to_vec(),
            payload: CREDENTIAL_PAYLOAD.seal(&k.cipher, &id, &json)?,
            issued: issued
                .map(|b| CREDENTIAL_ISSUED.seal(&k.cipher, &id, b))
                .transpose()?,
            id,
        })
    }

    fn make_slot(unlock: Unlock<'_>, dek: &DataKey, kdf: KdfParams) -> Result<Slot> {
        match unlock {
            Unlock::Pin(pin) => {
                let salt = random::bytes::<16>()?;
                let kek = derive_pin_key(pin, &salt, kdf)?;
                Ok(Slot {
                    slot: PIN_SLOT,
                    key_id: "argon2id".into(),
                    wrapped: aead::seal(&kek, &KEY_SLOT_WRAPPED.aad(PIN_SLOT), dek.as_bytes())?,
                    salt: Some(salt.to_vec()),
                    kdf: Some(serde_json::to_string(&kdf).map_err(|_| Error::Crypto("kdf params"))?),
                })
            }
            Unlock::Provider(p) => Ok(Slot {
                slot: PROVIDER_SLOT,
                key_id: p.key_id(),
                wrapped: p.wrap(dek.as_bytes())?,
                salt: None,
                kdf: None,
            }),
        }
    }

    fn unwrap_with_pin(&self, pin: &str) -> Result<DataKey> {
        let now = self.now();
        let (wrapped, salt, params) = {
            let conn = self.conn();
            let (failed, last) = backoff::read(&conn)?;
            let wait = backoff::remaining(failed, last, now);
            if wait > 0 {
                return Err(Error::Backoff {
                    retry_after_secs: wait,
                });
            }
            let row: Option<PinSlotRow> = conn
                .query_row(
                    "SELECT wrapped, salt, kdf_params FROM key_slots WHERE slot = ?1",
                    [PIN_SLOT],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (wrapped, salt, params) = row.ok_or(Error::NotFound("PIN slot (this wallet has no PIN)"))?;
            let salt = salt.ok_or_else(|| Error::Corrupted("PIN slot has no salt".into()))?;
            let params: KdfParams = params
                .and_then(|p| serde_json::from_str(&p).ok())
                .ok_or_else(|| Error::Corrupted("PIN slot parameters unreadable".into()))?;
            (wrapped, salt, params)
        };
        // Argon2id runs without holding the database lock.
        let kek = derive_pin_key(pin, &salt, params)?;
        match aead::open(&kek, &KEY_SLOT_WRAPPED.aad(PIN_SLOT), &wrapped) {
            Ok(dek) => {
                backoff::reset(&self.conn())?;
                DataKey::from_slice(&dek)
            }
            Err(_) => {
                let failed = backoff::record_failure(&self.conn(), now)?;
                Err(Error::WrongPin {
                    retry_after_secs: pin_backoff_secs(failed),
                    failed_attempts: failed,
                })
            }
        }
    }

    fn unwrap_with_provider(&self, provider: &dyn KeyProvider) -> Result<DataKey> {
        let wrapped: Vec<u8> = self
            .conn()
            .query_row(
                "SELECT wrapped FROM key_slots WHERE slot = ?1",
                [PROVIDER_SLOT],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound(
                "key provider slot (this wallet has no platform key)",
            ))?;
        let dek = provider.unwrap(&wrapped)?;
        DataKey::from_slice(&dek)
    }
}

const INSERT_SQL: &str =
    "INSERT INTO credentials (id, type_tag, payload_sealed, issued_sealed, added_at) VALUES (?1, ?2, ?3, ?4, ?5)";
/// One credential by id: a search of the primary key.
const GET_SQL: &str =
    "SELECT id, type_tag, payload_sealed, issued_sealed IS NOT NULL, added_at FROM credentials WHERE id = ?1";
/// The credentials of one type (by its tag), oldest first: a search of `credentials_by_type`.
const LIST_BY_TYPE_SQL: &str =
    "SELECT id, type_tag, payload_sealed, issued_sealed IS NOT NULL, added_at FROM credentials
     WHERE type_tag = ?1 ORDER BY added_at, id";
/// Every credential, oldest first.
const LIST_ALL_SQL: &str =
    "SELECT id, type_tag, payload_sealed, issued_sealed IS NOT NULL, added_at FROM credentials
     ORDER BY added_at, id";

struct Slot {
    slot: &'static str,
    key_id: String,
    wrapped: Vec<u8>,
    salt: Option<Vec<u8>>,
    kdf: Option<String>,
}

impl Slot {
    fn write(&self, conn: &Connection, now: i64) -> Result<()> {
        conn.execute(
            "INSERT INTO key_slots (slot, key_id, wrapped, salt, kdf_params, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (slot) DO UPDATE SET key_id = excluded.key_id, wrapped = excluded.wrapped,
               salt = excluded.salt, kdf_params = excluded.kdf_params, created_at = excluded.created_at",
            params![self.slot, self.key_id, self.wrapped, self.salt, self.kdf, now],
        )?;
        Ok(())
    }
}

struct SealedRow {
    id: String,
    type_tag: Vec<u8>,
    payload: Vec<u8>,
    issued: Option<Vec<u8>>,
}

struct RawRow {
    id: String,
    type_tag: Vec<u8>,
    payload: Vec<u8>,
    signed: bool,
    added_at: i64,
}

impl RawRow {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            type_tag: r.get(1)?,
            payload: r.get(2)?,
            signed: r.get(3)?,
            added_at: r.get(4)?,
        })
    }

    fn open(self, k: &Unlocked) -> Result<StoredCredential> {
        let json = CREDENTIAL_PAYLOAD.open(&k.cipher, &self.id, &self.payload)?;
        let credential: Credential = serde_json::from_slice(&json)
            .map_err(|_| Error::Corrupted("stored credential unreadable".into()))?;
        // A keyed hash (secret-derived) against a value an attacker may have written: compare in
        // constant time.
        if !bool::from(k.cipher.type_tag(credential.credential_type())[..].ct_eq(&self.type_tag[..])) {
            return Err(Error::Tampered("credential type tag does not match its contents"));
        }
        Ok(StoredCredential {
            id: self.id,
            credential,
            signed: self.signed,
            added_at: self.added_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query plans of the listing statements on a real wallet schema.
    fn plan(sql: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let conn = db::create(&dir.path().join("w.db")).unwrap();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map([&[0u8; 16][..]], |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn listing_by_type_searches_the_type_index() {
        let p = plan(LIST_BY_TYPE_SQL);
        assert!(p.contains("USING INDEX credentials_by_type"), "{p}");
        assert!(!p.contains("SCAN credentials"), "{p}");
    }

    #[test]
    fn lookups_by_id_use_the_primary_key() {
        let p = plan(GET_SQL);
        assert!(p.contains("sqlite_autoindex_credentials_1"), "{p}");
    }
}
