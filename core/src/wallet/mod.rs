//! [`Wallet`]: the citizen's side. Owns the open store, the unlocked keys and the holder key,
//! the clock and the options; every read and write is one call to the store
//! (`storage::WalletDb`), which runs it in one SQLite transaction and seals and opens what it
//! stores.
//!
//! A wallet is unlocked by a PIN or by a platform [`KeyProvider`] (see [`Unlock`]); both unwrap
//! the same data key, so either can be changed without re-encrypting anything;
//! [`Wallet::rotate_data_key`] replaces the data key itself. Wrong PINs meet the policy of
//! `backoff.rs` (attempts counted before they are tested, back-off, a cap of
//! [`MAX_PIN_FAILURES`]). `Wallet` is `Send + Sync`: share it between threads behind an `Arc`.

mod backoff;
mod issued;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use zeroize::Zeroizing;

use crate::clock::{Clock, SystemClock};
use crate::crypto::kdf::{check_new_pin_bytes, check_pin_len, derive_pin_key_bytes, KdfParams};
use crate::crypto::signing::SigningKey;
use crate::crypto::{random, DataKey};
use crate::model::{Credential, CredentialType};
use crate::platform::KeyProvider;
use crate::storage::cipher::StoreCipher;
use crate::storage::{KeyCheck, NewCredential, Slot, WalletDb};
use crate::{Error, InputError, InputRule, Result};

use backoff::MonotonicWait;
pub use backoff::{pin_backoff_secs, MAX_BACKOFF_SECS, MAX_PIN_FAILURES};

/// How to unlock (or, at creation, protect) a wallet.
#[derive(Clone, Copy)]
pub enum Unlock<'a> {
    /// A PIN or passphrase, stretched with Argon2id.
    Pin(&'a str),
    /// The same, as its UTF-8 bytes: for a PIN held in a byte array the caller wipes after the
    /// call (the bindings wipe the buffer they received, see
    /// [`crypto::secret::wipe_after`](crate::crypto::secret::wipe_after)). Opens the same slot
    /// as [`Unlock::Pin`] with the same text.
    PinBytes(&'a [u8]),
    /// A platform key provider (Android Keystore, iOS Keychain / Secure Enclave).
    Provider(&'a dyn KeyProvider),
}

impl Unlock<'_> {
    /// The PIN's bytes, for the PIN ways of unlocking.
    fn pin(&self) -> Option<&[u8]> {
        match self {
            Unlock::Pin(p) => Some(p.as_bytes()),
            Unlock::PinBytes(p) => Some(p),
            Unlock::Provider(_) => None,
        }
    }
}

impl std::fmt::Debug for Unlock<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unlock::Pin(_) => f.write_str("Unlock::Pin(<redacted>)"),
            Unlock::PinBytes(_) => f.write_str("Unlock::PinBytes(<redacted>)"),
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
    /// The credential's data, normalized as it was validated on the way in.
    pub credential: Credential,
    /// Whether the wallet holds the issuer-signed form (presentable), or only self-entered data.
    pub signed: bool,
    /// Unix seconds when it was added.
    pub added_at: i64,
}

/// What a list screen shows of a credential, read from its small sealed summary without
/// opening the credential itself ([`Wallet::list_summaries`]).
#[derive(Clone, PartialEq)]
pub struct CredentialSummary {
    /// Random id (32 hex characters), as [`StoredCredential::id`].
    pub id: String,
    /// The credential's type.
    pub credential_type: CredentialType,
    /// The holder's full name, as the credential gives it.
    pub label: String,
    /// Who issued it: the issuer id (`iss`, e.g. `"BHXH"`) of an imported credential, the
    /// issuing office of a judicial record typed in by hand; `None` otherwise.
    pub issuer: Option<String>,
    /// When the imported, issuer-signed form expires (Unix seconds); `None` if typed in by hand.
    pub expires_at: Option<i64>,
    /// The last day of validity the credential itself states (a health insurance card's
    /// `valid_to`); `None` for the other types.
    pub valid_to: Option<crate::model::Date>,
    /// Whether the wallet holds the issuer-signed form, as [`StoredCredential::signed`].
    pub signed: bool,
    /// Unix seconds when it was added.
    pub added_at: i64,
}

/// Shows the id, type and row facts, never the label or the issuer (personal data).
impl std::fmt::Debug for CredentialSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialSummary")
            .field("id", &self.id)
            .field("credential_type", &self.credential_type)
            .field("signed", &self.signed)
            .field("added_at", &self.added_at)
            .finish_non_exhaustive()
    }
}

struct Unlocked {
    dek: DataKey,
    cipher: StoreCipher,
    holder: SigningKey,
    /// Which data key this is, as the file knows it (a key rotated away by another handle is
    /// refused on write and reported as `Error::Locked`).
    key: KeyCheck,
}

/// The citizen's wallet: one encrypted SQLite file, its keys while unlocked, and the holder key
/// that presentations are signed with.
///
/// A wallet is unlocked by a PIN or by a platform [`KeyProvider`] (see [`Unlock`]); both unwrap
/// the same data key, so either can be changed without re-encrypting anything. Wrong PINs meet
/// an exponential back-off that survives restarts. Every read and write is one SQLite
/// transaction. `Wallet` is `Send + Sync`: share it between threads behind an `Arc`.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
///
/// use citizen_wallet_core::model::{ClinicCheckin, Credential, CredentialType, Date};
/// use citizen_wallet_core::{Error, FixedClock, Unlock, Wallet, WalletOptions};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("wallet.db");
/// let clock = Arc::new(FixedClock::new(1_767_225_600));
/// let options = WalletOptions {
///     clock: clock.clone(),
///     ..WalletOptions::default()
/// };
/// let wallet = Wallet::create(&path, Unlock::Pin("135790"), options.clone())?;
///
/// // Typed in by the citizen: stored encrypted, but not signed, so it cannot be presented.
/// let id = wallet.add(&Credential::ClinicCheckin(ClinicCheckin {
///     full_name: "Nguyễn Văn An".into(),
///     dob: Date::new(1990, 5, 17)?,
///     citizen_id: "001090012345".into(),
///     bhyt_code: "DN4010115283746".into(),
/// }))?;
/// assert!(!wallet.get(&id)?.signed);
///
/// // Locked, it answers nothing.
/// wallet.lock();
/// assert!(matches!(wallet.list(None), Err(Error::Locked)));
/// drop(wallet);
///
/// // A wrong PIN says how long to wait before the next attempt.
/// let Err(Error::WrongPin { retry_after_secs, .. }) =
///     Wallet::open(&path, Unlock::Pin("000000"), options.clone())
/// else {
///     panic!("a wrong PIN must not open the wallet");
/// };
/// clock.advance(retry_after_secs as i64);
/// let wallet = Wallet::open(&path, Unlock::Pin("135790"), options)?;
/// assert_eq!(wallet.list(Some(CredentialType::ClinicCheckin))?.len(), 1);
/// # Ok(())
/// # }
/// ```
///
/// Importing an issued credential and presenting it: see the crate documentation.
pub struct Wallet {
    path: PathBuf,
    db: WalletDb,
    keys: RwLock<Option<Unlocked>>,
    opts: WalletOptions,
    /// The PIN back-off wait this handle saw begin, timed by the monotonic clock.
    pin_wait: Mutex<Option<MonotonicWait>>,
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("locked", &self.is_locked())
            .finish_non_exhaustive()
    }
}

fn check_id(id: &str) -> Result<()> {
    if id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        Ok(())
    } else {
        Err(InputError::new(
            "credential id",
            InputRule::Format("expected 32 lowercase hex characters"),
        )
        .into())
    }
}

impl Wallet {
    /// Creates a new wallet at `path` (a file that must not exist yet), protected by `unlock`,
    /// with a fresh data key and holder key. The wallet is returned unlocked.
    pub fn create(path: impl AsRef<Path>, unlock: Unlock<'_>, opts: WalletOptions) -> Result<Self> {
        if let Some(pin) = unlock.pin() {
            check_new_pin_bytes(pin)?;
        }
        let path = path.as_ref();
        let dek = DataKey::make()?;
        let cipher = StoreCipher::new(&dek);
        let holder = SigningKey::make()?;
        let now = opts.clock.now_unix();
        // Derive the slot before creating the file, so a failure leaves nothing behind.
        let slot = Self::make_slot(unlock, &dek, opts.kdf)?;
        let (db, key) = WalletDb::create(path, &cipher, holder.seed().as_ref(), &slot, now)?;
        Ok(Self {
            path: path.to_path_buf(),
            db,
            keys: RwLock::new(Some(Unlocked {
                dek,
                cipher,
                holder,
                key,
            })),
            opts,
            pin_wait: Mutex::new(None),
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
        // Refuses a file that is not a complete wallet (an interrupted creation too), untouched.
        let db = WalletDb::open(path.as_ref())?;
        Ok(Self {
            path: path.as_ref().to_path_buf(),
            db,
            keys: RwLock::new(None),
            opts,
            pin_wait: Mutex::new(None),
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

    /// Whether the keys are forgotten ([`Wallet::lock`], or opened with [`Wallet::open_locked`]).
    pub fn is_locked(&self) -> bool {
        self.keys.read().unwrap_or_else(|e| e.into_inner()).is_none()
    }

    /// Unlocks with a PIN or provider.
    ///
    /// A PIN attempt is counted before the PIN is tested, and refused without testing it while
    /// the back-off runs ([`Error::Backoff`]) or once [`MAX_PIN_FAILURES`] PINs in a row were
    /// wrong ([`Error::PinLocked`]). A provider unlock clears the count, which enables the PIN
    /// again.
    pub fn unlock(&self, unlock: Unlock<'_>) -> Result<()> {
        let dek = match unlock {
            Unlock::Pin(pin) => self.unwrap_with_pin(pin.as_bytes())?,
            Unlock::PinBytes(pin) => self.unwrap_with_pin(pin)?,
            Unlock::Provider(p) => self.unwrap_with_provider(p)?,
        };
        let cipher = StoreCipher::new(&dek);
        // A wrong key is `Error::WrongKey` here (the canary), before the seed is opened.
        let (seed, key) = self.db.open_holder_seed(&cipher)?;
        let holder = SigningKey::from_seed(&seed)?;
        // Migration 3 needs the key: rows an older version wrote in JSON are rewritten in CBOR
        // with their summaries, all in one transaction, the first time the wallet is unlocked.
        self.db.summarize_old_rows(&cipher, &key)?;
        if matches!(unlock, Unlock::Provider(_)) {
            // The platform key proved itself (the canary): the PIN count starts over.
            self.db.reset_pin_attempts()?;
            *self.pin_wait.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = Some(Unlocked {
            dek,
            cipher,
            holder,
            key,
        });
        Ok(())
    }

    /// Seconds until the next PIN attempt is allowed (0 if now). [`Error::PinLocked`] when PIN
    /// unlock is disabled (only the platform key provider can unlock the wallet).
    pub fn pin_retry_after_secs(&self) -> Result<u64> {
        let a = self.db.pin_attempts()?;
        if a.failed >= MAX_PIN_FAILURES {
            return Err(Error::PinLocked);
        }
        Ok(self.pin_wait_secs(a.failed, a.last_failed_at, self.now()))
    }

    /// Sets (adds or replaces) the PIN slot; the new PIN starts with no failed attempts. Needs
    /// the wallet unlocked.
    pub fn set_pin(&self, new_pin: &str) -> Result<()> {
        self.set_pin_bytes(new_pin.as_bytes())
    }

    /// [`Wallet::set_pin`] with the PIN as UTF-8 bytes (see [`Unlock::PinBytes`]).
    pub fn set_pin_bytes(&self, new_pin: &[u8]) -> Result<()> {
        check_new_pin_bytes(new_pin)?;
        self.with_keys(|k| {
            let slot = Self::make_slot(Unlock::PinBytes(new_pin), &k.dek, self.opts.kdf)?;
            self.db.put_slot(&slot, &k.key, self.now())
        })
    }

    /// Changes the PIN: checks `old_pin` (with back-off, like unlocking), then rewraps the data
    /// key under `new_pin`. No credential is re-encrypted: an old copy of the file still opens
    /// with the old PIN, data added later included; [`Wallet::rotate_data_key`] changes the
    /// key itself.
    pub fn change_pin(&self, old_pin: &str, new_pin: &str) -> Result<()> {
        self.change_pin_bytes(old_pin.as_bytes(), new_pin.as_bytes())
    }

    /// [`Wallet::change_pin`] with the PINs as UTF-8 bytes (see [`Unlock::PinBytes`]).
    pub fn change_pin_bytes(&self, old_pin: &[u8], new_pin: &[u8]) -> Result<()> {
        check_new_pin_bytes(new_pin)?;
        let dek = self.unwrap_with_pin(old_pin)?;
        // The key the PIN slot held is the file's (its canary), and stays so until the new
        // slot is written.
        let (_, key) = self.db.open_holder_seed(&StoreCipher::new(&dek))?;
        let slot = Self::make_slot(Unlock::PinBytes(new_pin), &dek, self.opts.kdf)?;
        self.db.put_slot(&slot, &key, self.now())
    }

    /// Sets (adds or replaces) the platform key provider slot: re-keying to a new platform key
    /// rewraps the data key only. Needs the wallet unlocked.
    pub fn set_key_provider(&self, provider: &dyn KeyProvider) -> Result<()> {
        self.with_keys(|k| {
            let slot = Self::make_slot(Unlock::Provider(provider), &k.dek, self.opts.kdf)?;
            self.db.put_slot(&slot, &k.key, self.now())
        })
    }

    /// Rotates the data key: a fresh random key replaces the current one, every sealed value
    /// (canary, holder seed, every credential) is resealed under it, and every key slot is
    /// rewrapped, all in **one transaction** (a crash leaves the old key or the new one, never
    /// a mix). Needs the wallet unlocked. Returns the number of credentials resealed.
    ///
    /// `unlocks` says how each slot is rewrapped, one per kind: [`Unlock::Pin`] /
    /// [`Unlock::PinBytes`] (the PIN the new PIN slot opens with: the current one, or a new one
    /// to change it at the same time; its failure count starts over), [`Unlock::Provider`]
    /// (the provider that wraps the new key). Every kind of slot the wallet has must be given,
    /// or the rotation is refused with [`Error::InvalidInput`] naming it and nothing changes:
    /// no way of unlocking is dropped silently. A kind the wallet does not have yet is added.
    ///
    /// Why: changing the PIN rewraps the same data key, so an old copy of the file opened with
    /// the old PIN still yields the key that seals everything added later. After a rotation,
    /// it yields a key that opens nothing written since. Other handles on the file holding
    /// the old key get [`Error::Locked`] on their next write (or failed read) and must unlock
    /// again. Values older wallets sealed unpadded are padded on the way.
    pub fn rotate_data_key(&self, unlocks: &[Unlock<'_>]) -> Result<usize> {
        let kind = |u: &Unlock<'_>| match u {
            Unlock::Provider(_) => Slot::PROVIDER,
            Unlock::Pin(_) | Unlock::PinBytes(_) => Slot::PIN,
        };
        let kinds: Vec<&str> = unlocks.iter().map(kind).collect();
        if unlocks.is_empty() || (1..kinds.len()).any(|i| kinds[..i].contains(&kinds[i])) {
            return Err(
                InputError::new("unlocks", InputRule::Invalid("give each way of unlocking once")).into(),
            );
        }
        for pin in unlocks.iter().filter_map(Unlock::pin) {
            check_new_pin_bytes(pin)?;
        }
        self.with_keys(|_| Ok(()))?;
        // Before Argon2id runs: is every existing slot covered? (Checked again when writing.)
        self.db.check_slots_cover(&kinds)?;
        let dek = DataKey::make()?;
        let cipher = StoreCipher::new(&dek);
        let slots = unlocks
            .iter()
            .map(|u| Self::make_slot(*u, &dek, self.opts.kdf))
            .collect::<Result<Vec<_>>>()?;
        // No seal under the old key may start while the store is resealed: hold the keys.
        let mut keys = self.keys.write().unwrap_or_else(|e| e.into_inner());
        let Some(old) = keys.take() else {
            return Err(Error::Locked);
        };
        match self.db.rotate(&old.cipher, &old.key, &cipher, &slots, self.now()) {
            Ok((key, resealed)) => {
                *keys = Some(Unlocked {
                    dek,
                    cipher,
                    holder: old.holder,
                    key,
                });
                if kinds.contains(&Slot::PIN) {
                    *self.pin_wait.lock().unwrap_or_else(|e| e.into_inner()) = None;
                }
                Ok(resealed)
            }
            // The old key was rotated away by another handle: this one is locked now.
            Err(Error::Locked) => Err(Error::Locked),
            Err(e) => {
                *keys = Some(old);
                Err(e)
            }
        }
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
        self.with_keys(|k| {
            let rows = credentials
                .iter()
                .map(|c| Self::seal_row(k, c, None))
                .collect::<Result<Vec<_>>>()?;
            self.db.insert_credentials(&rows, &k.key, self.now())?;
            Ok(rows.into_iter().map(NewCredential::into_id).collect())
        })
    }

    /// One credential by id.
    pub fn get(&self, id: &str) -> Result<StoredCredential> {
        check_id(id)?;
        // Locked first, like every other keyed operation (a locked wallet answers no questions).
        self.with_keys(|k| self.db.credential(id)?.open(&k.cipher))
    }

    /// All credentials, or those of one type, oldest first.
    pub fn list(&self, ty: Option<CredentialType>) -> Result<Vec<StoredCredential>> {
        self.with_keys(|k| {
            let tag = ty.map(|t| k.cipher.type_tag(t));
            let rows = self.db.credentials(tag.as_ref().map(|t| &t[..]))?;
            rows.into_iter().map(|r| r.open(&k.cipher)).collect()
        })
    }

    /// What a list screen needs of every credential, or of those of one type, oldest first
    /// (the order of [`Wallet::list`]): type, label, issuer, expiry, read from each
    /// credential's small sealed summary without opening the credential itself.
    pub fn list_summaries(&self, ty: Option<CredentialType>) -> Result<Vec<CredentialSummary>> {
        self.with_keys(|k| {
            let tag = ty.map(|t| k.cipher.type_tag(t));
            let rows = self.db.summaries(tag.as_ref().map(|t| &t[..]))?;
            rows.into_iter().map(|r| r.open(&k.cipher)).collect()
        })
    }

    /// Deletes a credential. [`Error::NotFound`] if there is none with that id.
    pub fn delete(&self, id: &str) -> Result<()> {
        check_id(id)?;
        self.with_keys(|_| Ok(()))?;
        self.db.delete_credential(id)
    }

    // ---- crate-internal helpers (used by wallet/issued.rs) ----

    /// Stores a validated credential and, if given, its issuer-signed bytes. Returns the id.
    pub(crate) fn insert_credential(&self, credential: &Credential, issued: Option<&[u8]>) -> Result<String> {
        self.with_keys(|k| {
            let row = Self::seal_row(k, credential, issued)?;
            self.db
                .insert_credentials(std::slice::from_ref(&row), &k.key, self.now())?;
            Ok(row.into_id())
        })
    }

    /// The issuer-signed bytes of a credential (`None` if it was self-added).
    pub(crate) fn issued_bytes(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        check_id(id)?;
        self.with_keys(|k| self.db.issued(id)?.map(|s| s.open(&k.cipher)).transpose())
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

    /// Runs `f` with the unlocked keys (`Error::Locked` if there are none), holding them: a
    /// rotation in this handle cannot swap them under a seal and its write.
    ///
    /// When another handle has rotated the data key, this handle's key opens nothing and
    /// writes are refused: `f` fails with `Error::Tampered` (a read) or `Error::Locked` (a
    /// write, see `KeyCheck`). If the file's key is then no longer this one, the handle
    /// forgets it and answers `Error::Locked`: unlock again.
    fn with_keys<R>(&self, f: impl FnOnce(&Unlocked) -> Result<R>) -> Result<R> {
        let stale = {
            let guard = self.keys.read().unwrap_or_else(|e| e.into_inner());
            let Some(k) = guard.as_ref() else {
                return Err(Error::Locked);
            };
            match f(k) {
                Err(e @ (Error::Tampered(_) | Error::Locked)) => match self.db.is_current(&k.key) {
                    Ok(false) => k.key.clone(),
                    _ => return Err(e),
                },
                other => return other,
            }
        };
        let mut keys = self.keys.write().unwrap_or_else(|e| e.into_inner());
        if keys.as_ref().is_some_and(|k| k.key == stale) {
            *keys = None;
        }
        Err(Error::Locked)
    }

    /// Validates and normalizes `credential`, then seals it for a new row.
    fn seal_row(k: &Unlocked, credential: &Credential, issued: Option<&[u8]>) -> Result<NewCredential> {
        let credential = credential.to_normalized()?;
        NewCredential::seal(&k.cipher, &credential, issued)
    }

    fn make_slot(unlock: Unlock<'_>, dek: &DataKey, kdf: KdfParams) -> Result<Slot> {
        let pin = match unlock {
            Unlock::Provider(p) => return Slot::provider(p, dek),
            Unlock::Pin(pin) => pin.as_bytes(),
            Unlock::PinBytes(pin) => pin,
        };
        let salt = random::bytes::<16>()?;
        let kek = derive_pin_key_bytes(pin, &salt, kdf)?;
        Slot::pin(&kek, &salt, kdf, dek)
    }

    /// Seconds to wait before the next PIN attempt: the wall-clock back-off, and no less than
    /// what is left of the wait this handle saw begin, by the monotonic clock (a clock moved
    /// forward does not end it). The first time this handle sees a stored state, its wait
    /// starts being timed from now.
    fn pin_wait_secs(&self, failed: u32, last_failed_at: i64, now: i64) -> u64 {
        let wall = backoff::remaining(failed, last_failed_at, now);
        let at = Instant::now();
        let mut seen = self.pin_wait.lock().unwrap_or_else(|e| e.into_inner());
        match seen.and_then(|w| w.remaining(failed, last_failed_at, at)) {
            Some(monotonic) => wall.max(monotonic),
            None => {
                *seen = (failed > 0).then(|| MonotonicWait::new(failed, last_failed_at, wall, at));
                wall
            }
        }
    }

    fn unwrap_with_pin(&self, pin: &[u8]) -> Result<DataKey> {
        // Input that cannot be a PIN is refused before it counts as an attempt.
        check_pin_len(pin)?;
        let now = self.now();
        // The attempt is checked against the back-off and the cap and counted (claimed) in
        // one transaction, before Argon2id runs: concurrent attempts each see the ones before.
        let attempt = self.db.begin_pin_attempt(now, |a| {
            if a.failed >= MAX_PIN_FAILURES {
                return Err(Error::PinLocked);
            }
            match self.pin_wait_secs(a.failed, a.last_failed_at, now) {
                0 => Ok(()),
                wait => Err(Error::Backoff {
                    retry_after_secs: wait,
                }),
            }
        })?;
        let claimed = attempt.claimed();
        *self.pin_wait.lock().unwrap_or_else(|e| e.into_inner()) = Some(MonotonicWait::new(
            claimed.failed,
            claimed.last_failed_at,
            pin_backoff_secs(claimed.failed),
            Instant::now(),
        ));
        // Argon2id runs without holding the database lock.
        let kek = derive_pin_key_bytes(pin, &attempt.slot().salt, attempt.slot().params)?;
        match attempt.slot().unwrap(&kek) {
            Ok(dek) => {
                self.db.pin_accepted(attempt)?;
                *self.pin_wait.lock().unwrap_or_else(|e| e.into_inner()) = None;
                DataKey::from_slice(&dek)
            }
            Err(_) => match self.db.pin_rejected(attempt) {
                failed if failed >= MAX_PIN_FAILURES => Err(Error::PinLocked),
                failed => Err(Error::WrongPin {
                    retry_after_secs: pin_backoff_secs(failed),
                    failed_attempts: failed,
                }),
            },
        }
    }

    fn unwrap_with_provider(&self, provider: &dyn KeyProvider) -> Result<DataKey> {
        let dek = self.db.provider_slot()?.unwrap(provider)?;
        DataKey::from_slice(&dek)
    }
}
