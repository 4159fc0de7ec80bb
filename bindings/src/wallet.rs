//! The `Wallet` object: a newtype over the core wallet whose methods delegate in one line.
//!
//! PINs come in two forms. The `*_pin_bytes` methods take the PIN as UTF-8 bytes: the app can
//! overwrite its byte array (Kotlin `ByteArray`, Swift `[UInt8]`, Python `bytearray`) after the
//! call, and the `Vec<u8>` uniffi hands to Rust is wiped here after use
//! (`citizen_wallet_core::wipe_after`). The `String` methods wipe the Rust `String` too, but the
//! app's string cannot be wiped. See SECURITY.md, "Secrets across the FFI".

use std::sync::Arc;

use citizen_wallet_core as core;
use core::model::{Credential, CredentialType};
use core::wipe_after;
use core::PresentationRequest;
use core::{InputRule, Unlock, WalletOptions};
use zeroize::Zeroizing;

use crate::blocking;
use crate::error::{invalid, signed, unsigned, Result};
use crate::platform::{core_clock, ForeignKeyProvider, KeyProvider, TimeSource};
use crate::presentation::Presentation;
use crate::records::{CredentialDetail, CredentialListEntry, CredentialSummary};
use crate::verifier::TrustList;

/// The citizen's wallet. Thread-safe: share one instance.
#[derive(uniffi::Object)]
pub struct Wallet(pub(crate) core::Wallet);

fn provider(p: Arc<dyn KeyProvider>) -> ForeignKeyProvider {
    ForeignKeyProvider(p)
}

/// Default options with the app's clock (or the system clock).
fn options(clock: Option<Arc<dyn TimeSource>>) -> WalletOptions {
    WalletOptions {
        clock: core_clock(clock),
        ..WalletOptions::default()
    }
}

#[uniffi::export]
impl Wallet {
    /// Creates a wallet database at `path` protected by a PIN (at least 6 characters).
    #[uniffi::constructor(default(clock = None))]
    pub fn create_with_pin(
        path: String,
        pin: String,
        clock: Option<Arc<dyn TimeSource>>,
    ) -> Result<Arc<Self>> {
        let pin = Zeroizing::new(pin);
        Ok(Arc::new(Self(core::Wallet::create(
            path,
            Unlock::Pin(&pin),
            options(clock),
        )?)))
    }

    /// [`Wallet::create_with_pin`] with the PIN as UTF-8 bytes, wiped after use. Prefer it: the
    /// app can wipe its own byte array after the call, never a string.
    #[uniffi::constructor(default(clock = None))]
    pub fn create_with_pin_bytes(
        path: String,
        mut pin: Vec<u8>,
        clock: Option<Arc<dyn TimeSource>>,
    ) -> Result<Arc<Self>> {
        let wallet = wipe_after(&mut pin, |pin| {
            core::Wallet::create(path, Unlock::PinBytes(pin), options(clock))
        })?;
        Ok(Arc::new(Self(wallet)))
    }

    /// Creates a wallet database at `path` protected by the platform key provider.
    #[uniffi::constructor(default(clock = None))]
    pub fn create_with_key_provider(
        path: String,
        key_provider: Arc<dyn KeyProvider>,
        clock: Option<Arc<dyn TimeSource>>,
    ) -> Result<Arc<Self>> {
        let p = provider(key_provider);
        Ok(Arc::new(Self(core::Wallet::create(
            path,
            Unlock::Provider(&p),
            options(clock),
        )?)))
    }

    /// Opens and unlocks a wallet with its PIN.
    #[uniffi::constructor(default(clock = None))]
    pub fn open_with_pin(path: String, pin: String, clock: Option<Arc<dyn TimeSource>>) -> Result<Arc<Self>> {
        let pin = Zeroizing::new(pin);
        Ok(Arc::new(Self(core::Wallet::open(
            path,
            Unlock::Pin(&pin),
            options(clock),
        )?)))
    }

    /// [`Wallet::open_with_pin`] with the PIN as UTF-8 bytes, wiped after use.
    #[uniffi::constructor(default(clock = None))]
    pub fn open_with_pin_bytes(
        path: String,
        mut pin: Vec<u8>,
        clock: Option<Arc<dyn TimeSource>>,
    ) -> Result<Arc<Self>> {
        let wallet = wipe_after(&mut pin, |pin| {
            core::Wallet::open(path, Unlock::PinBytes(pin), options(clock))
        })?;
        Ok(Arc::new(Self(wallet)))
    }

    /// Opens and unlocks a wallet with the platform key provider.
    #[uniffi::constructor(default(clock = None))]
    pub fn open_with_key_provider(
        path: String,
        key_provider: Arc<dyn KeyProvider>,
        clock: Option<Arc<dyn TimeSource>>,
    ) -> Result<Arc<Self>> {
        let p = provider(key_provider);
        Ok(Arc::new(Self(core::Wallet::open(
            path,
            Unlock::Provider(&p),
            options(clock),
        )?)))
    }

    /// Opens a wallet without unlocking it (e.g. to show the PIN back-off timer).
    #[uniffi::constructor(default(clock = None))]
    pub fn open_locked(path: String, clock: Option<Arc<dyn TimeSource>>) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(core::Wallet::open_locked(path, options(clock))?)))
    }

    pub fn lock(&self) {
        self.0.lock()
    }

    pub fn is_locked(&self) -> bool {
        self.0.is_locked()
    }

    /// Unlocks with the PIN. Fails with `WrongPin`, `PinBackoff` (wait), or `PinLocked` after
    /// 10 wrong PINs in a row (only the key provider can unlock the wallet then).
    pub fn unlock_with_pin(&self, pin: String) -> Result<()> {
        let pin = Zeroizing::new(pin);
        Ok(self.0.unlock(Unlock::Pin(&pin))?)
    }

    /// [`Wallet::unlock_with_pin`] with the PIN as UTF-8 bytes, wiped after use.
    pub fn unlock_with_pin_bytes(&self, mut pin: Vec<u8>) -> Result<()> {
        Ok(wipe_after(&mut pin, |pin| self.0.unlock(Unlock::PinBytes(pin)))?)
    }

    pub fn unlock_with_key_provider(&self, key_provider: Arc<dyn KeyProvider>) -> Result<()> {
        Ok(self.0.unlock(Unlock::Provider(&provider(key_provider)))?)
    }

    /// Seconds until the next PIN attempt is allowed; `PinLocked` when PIN unlock is disabled.
    pub fn pin_retry_after_secs(&self) -> Result<i64> {
        Ok(signed(self.0.pin_retry_after_secs()?))
    }

    pub fn change_pin(&self, old_pin: String, new_pin: String) -> Result<()> {
        let (old_pin, new_pin) = (Zeroizing::new(old_pin), Zeroizing::new(new_pin));
        Ok(self.0.change_pin(&old_pin, &new_pin)?)
    }

    /// [`Wallet::change_pin`] with the PINs as UTF-8 bytes, both wiped after use.
    pub fn change_pin_bytes(&self, mut old_pin: Vec<u8>, mut new_pin: Vec<u8>) -> Result<()> {
        Ok(wipe_after(&mut old_pin, |old| {
            wipe_after(&mut new_pin, |new| self.0.change_pin_bytes(old, new))
        })?)
    }

    /// Adds or replaces the PIN (wallet unlocked).
    pub fn set_pin(&self, new_pin: String) -> Result<()> {
        let new_pin = Zeroizing::new(new_pin);
        Ok(self.0.set_pin(&new_pin)?)
    }

    /// [`Wallet::set_pin`] with the PIN as UTF-8 bytes, wiped after use.
    pub fn set_pin_bytes(&self, mut new_pin: Vec<u8>) -> Result<()> {
        Ok(wipe_after(&mut new_pin, |pin| self.0.set_pin_bytes(pin))?)
    }

    /// Adds or replaces the platform key (wallet unlocked). No data is re-encrypted.
    pub fn set_key_provider(&self, key_provider: Arc<dyn KeyProvider>) -> Result<()> {
        Ok(self.0.set_key_provider(&provider(key_provider))?)
    }

    /// Rotates the data key (wallet unlocked): every credential is re-encrypted under a fresh
    /// key and every way of unlocking rewrapped, in one transaction. Give what each of the
    /// wallet's unlock methods needs: `pin` (UTF-8 bytes, wiped after use; the current PIN, or
    /// a new one to change it at the same time) if it has a PIN, `key_provider` if it has a
    /// platform key. A missing one is `InvalidInput` naming it, and nothing changes. Returns
    /// how many credentials were re-encrypted. After a PIN change, this is what makes an old
    /// copy of the wallet file and the old PIN useless for data added later.
    #[uniffi::method(default(pin = None, key_provider = None))]
    pub fn rotate_data_key(
        &self,
        pin: Option<Vec<u8>>,
        key_provider: Option<Arc<dyn KeyProvider>>,
    ) -> Result<i64> {
        let key_provider = key_provider.map(provider);
        let mut pin = pin;
        let rotate = |pin: Option<&[u8]>| {
            let mut unlocks = Vec::with_capacity(2);
            if let Some(pin) = pin {
                unlocks.push(Unlock::PinBytes(pin));
            }
            if let Some(p) = &key_provider {
                unlocks.push(Unlock::Provider(p));
            }
            self.0.rotate_data_key(&unlocks)
        };
        let resealed = match pin.as_mut() {
            Some(pin) => wipe_after(pin, |pin| rotate(Some(pin)))?,
            None => rotate(None)?,
        };
        Ok(signed(resealed as u64))
    }

    /// The holder's Ed25519 public key (32 bytes).
    pub fn holder_public_key(&self) -> Result<Vec<u8>> {
        Ok(self.0.holder_public_key()?.to_vec())
    }

    /// Adds a self-entered credential from its JSON fields. Returns its id.
    pub fn add_json(&self, credential_type: CredentialType, json: String) -> Result<String> {
        Ok(self.0.add(&Credential::from_json(credential_type, &json)?)?)
    }

    /// All credentials, or those of one type.
    pub fn list(&self, credential_type: Option<CredentialType>) -> Result<Vec<CredentialSummary>> {
        Ok(self
            .0
            .list(credential_type)?
            .iter()
            .map(CredentialSummary::from)
            .collect())
    }

    /// What a list screen shows of every credential, or of those of one type (holder name,
    /// issuer, expiry), without opening the credentials: faster than `list` on a large wallet.
    pub fn list_summaries(
        &self,
        credential_type: Option<CredentialType>,
    ) -> Result<Vec<CredentialListEntry>> {
        Ok(self
            .0
            .list_summaries(credential_type)?
            .into_iter()
            .map(CredentialListEntry::from)
            .collect())
    }

    /// One credential with its claims labelled in Vietnamese and English.
    pub fn get(&self, id: String) -> Result<CredentialDetail> {
        Ok(CredentialDetail::from(&self.0.get(&id)?))
    }

    pub fn delete(&self, id: String) -> Result<()> {
        Ok(self.0.delete(&id)?)
    }

    /// The claims of a credential the citizen may choose to show or hide when presenting (the
    /// issuer made them selectively disclosable), in display order: what a claim picker offers.
    /// The credential's other claims are always visible. Empty for a hand-added credential.
    pub fn disclosable_claims(&self, credential_id: String) -> Result<Vec<String>> {
        Ok(self.0.disclosable_claims(&credential_id)?)
    }

    /// Imports an issuer-signed credential (the raw SD-CWT bytes, or the `VN1C:` transfer text
    /// as UTF-8 bytes) after checking it against `trust_list` and this wallet's holder key.
    /// Returns its id. Nothing is stored when it fails (`Rejected` with the reason, or
    /// `InvalidInput` for a credential issued to another wallet).
    pub fn import_issued(&self, issued: Vec<u8>, trust_list: Arc<TrustList>) -> Result<String> {
        Ok(self.0.import_issued(&issued, &trust_list.0)?)
    }

    /// [`Wallet::import_issued`] for the `VN1C:` transfer text an issuer app shows.
    pub fn import_issued_text(&self, transfer_text: String, trust_list: Arc<TrustList>) -> Result<String> {
        Ok(self.0.import_issued(transfer_text.as_bytes(), &trust_list.0)?)
    }

    /// A short-lived QR presentation of an issued credential showing `claims` (names such as
    /// `full_name`, `dob`) among its selectively disclosable ones, for the counter `audience`
    /// (`None`: "offline") and its challenge `nonce`. Fails with `QrTooLarge` when the claims
    /// do not fit a QR code a phone camera reads: disclose fewer. `ttl_secs` is the lifetime
    /// (default 120 s, at most 600).
    #[uniffi::method(default(audience = None, nonce = None, ttl_secs = None))]
    pub fn present(
        &self,
        credential_id: String,
        claims: Vec<String>,
        audience: Option<String>,
        nonce: Option<Vec<u8>>,
        ttl_secs: Option<i32>,
    ) -> Result<Arc<Presentation>> {
        let ttl_secs = ttl_secs.map(|t| unsigned(t, "ttl_secs")).transpose()?;
        Ok(Arc::new(Presentation(self.0.present(&PresentationRequest {
            credential_id,
            claims,
            audience,
            nonce,
            ttl_secs,
        })?)))
    }
}

/// One way of unlocking, for the async calls that take `pin` or `key_provider`: exactly one.
enum OneUnlock {
    Pin(Vec<u8>),
    Provider(Arc<dyn KeyProvider>),
}

fn one_unlock(pin: Option<Vec<u8>>, key_provider: Option<Arc<dyn KeyProvider>>) -> Result<OneUnlock> {
    match (pin, key_provider) {
        (Some(pin), None) => Ok(OneUnlock::Pin(pin)),
        (None, Some(p)) => Ok(OneUnlock::Provider(p)),
        (pin, _) => {
            if let Some(mut pin) = pin {
                zeroize::Zeroize::zeroize(&mut pin);
            }
            Err(invalid(
                "pin / key provider",
                InputRule::Invalid("give exactly one of the PIN and the key provider"),
            ))
        }
    }
}

/// Async variants of the calls that can take longer than a frame (Kotlin `suspend`, Swift
/// `async`, Python coroutines). Each runs the blocking call on a thread of its own
/// (`blocking.rs`) and completes on the caller's executor, so a UI thread never waits: Argon2id
/// for a PIN (0.1–1 s on a phone), the app's key provider (called on that thread: it may wait
/// for a biometric prompt), SQLite writes, signature checks, QR encoding. The PIN is UTF-8 bytes,
/// wiped after use. Each async export costs about 7 KB of library size, hence one call per job
/// (PIN or key provider as arguments) rather than a twin of every sync call.
#[uniffi::export]
impl Wallet {
    /// [`Wallet::create_with_pin_bytes`] or [`Wallet::create_with_key_provider`], off the
    /// calling thread: give exactly one of `pin` and `key_provider` (`InvalidInput` otherwise).
    #[uniffi::constructor(default(pin = None, key_provider = None, clock = None))]
    pub async fn create_async(
        path: String,
        pin: Option<Vec<u8>>,
        key_provider: Option<Arc<dyn KeyProvider>>,
        clock: Option<Arc<dyn TimeSource>>,
    ) -> Result<Arc<Self>> {
        let unlock = one_unlock(pin, key_provider)?;
        blocking::run("create", move || match unlock {
            OneUnlock::Pin(pin) => Self::create_with_pin_bytes(path, pin, clock),
            OneUnlock::Provider(p) => Self::create_with_key_provider(path, p, clock),
        })
        .await
    }

    /// [`Wallet::open_with_pin_bytes`] or [`Wallet::open_with_key_provider`], off the calling
    /// thread: give exactly one of `pin` and `key_provider` (`InvalidInput` otherwise).
    #[uniffi::constructor(default(pin = None, key_provider = None, clock = None))]
    pub async fn open_async(
        path: String,
        pin: Option<Vec<u8>>,
        key_provider: Option<Arc<dyn KeyProvider>>,
        clock: Option<Arc<dyn TimeSource>>,
    ) -> Result<Arc<Self>> {
        let unlock = one_unlock(pin, key_provider)?;
        blocking::run("open", move || match unlock {
            OneUnlock::Pin(pin) => Self::open_with_pin_bytes(path, pin, clock),
            OneUnlock::Provider(p) => Self::open_with_key_provider(path, p, clock),
        })
        .await
    }

    /// [`Wallet::unlock_with_pin_bytes`] or [`Wallet::unlock_with_key_provider`], off the calling
    /// thread: give exactly one of `pin` and `key_provider` (`InvalidInput` otherwise).
    #[uniffi::method(default(pin = None, key_provider = None))]
    pub async fn unlock_async(
        self: Arc<Self>,
        pin: Option<Vec<u8>>,
        key_provider: Option<Arc<dyn KeyProvider>>,
    ) -> Result<()> {
        let unlock = one_unlock(pin, key_provider)?;
        blocking::run("unlock", move || match unlock {
            OneUnlock::Pin(pin) => self.unlock_with_pin_bytes(pin),
            OneUnlock::Provider(p) => self.unlock_with_key_provider(p),
        })
        .await
    }

    /// Sets or changes the PIN off the calling thread (both wiped after use): with `old_pin`,
    /// [`Wallet::change_pin_bytes`] (the old PIN is checked); without, [`Wallet::set_pin_bytes`]
    /// (the wallet must be unlocked).
    #[uniffi::method(default(old_pin = None))]
    pub async fn set_pin_async(self: Arc<Self>, new_pin: Vec<u8>, old_pin: Option<Vec<u8>>) -> Result<()> {
        blocking::run("set-pin", move || match old_pin {
            Some(old_pin) => self.change_pin_bytes(old_pin, new_pin),
            None => self.set_pin_bytes(new_pin),
        })
        .await
    }

    /// [`Wallet::rotate_data_key`], off the calling thread: re-encrypts every credential.
    #[uniffi::method(default(pin = None, key_provider = None))]
    pub async fn rotate_data_key_async(
        self: Arc<Self>,
        pin: Option<Vec<u8>>,
        key_provider: Option<Arc<dyn KeyProvider>>,
    ) -> Result<i64> {
        blocking::run("rotate", move || self.rotate_data_key(pin, key_provider)).await
    }

    /// [`Wallet::import_issued`], off the calling thread: the raw SD-CWT bytes or the `VN1C:`
    /// transfer text as UTF-8 bytes.
    pub async fn import_issued_async(
        self: Arc<Self>,
        issued: Vec<u8>,
        trust_list: Arc<TrustList>,
    ) -> Result<String> {
        blocking::run("import", move || self.import_issued(issued, trust_list)).await
    }
}
