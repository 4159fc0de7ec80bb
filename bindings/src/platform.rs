//! What the app implements: the platform key provider (Android Keystore, iOS Keychain /
//! Secure Enclave) and, optionally, a clock; both adapted to the core's traits.

use std::sync::Arc;

use citizen_wallet_core as core;
use zeroize::Zeroizing;

use crate::error::{Result, WalletError};

/// Wraps and unwraps the wallet's 32-byte data key with a key the platform keeps.
/// Implement it in Kotlin/Swift; throw `WalletError.WrongKey` when the key does not match.
#[uniffi::export(with_foreign)]
pub trait KeyProvider: Send + Sync {
    /// A stable, non-secret identifier of the platform key (e.g. the keystore alias).
    fn key_id(&self) -> String;
    fn wrap(&self, data_key: Vec<u8>) -> Result<Vec<u8>>;
    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>>;
}

/// Adapts a foreign [`KeyProvider`] to the core trait.
pub(crate) struct ForeignKeyProvider(pub Arc<dyn KeyProvider>);

impl core::KeyProvider for ForeignKeyProvider {
    fn key_id(&self) -> String {
        self.0.key_id()
    }
    fn wrap(&self, data_key: &[u8]) -> core::Result<Vec<u8>> {
        Ok(self.0.wrap(data_key.to_vec())?)
    }
    fn unwrap(&self, wrapped: &[u8]) -> core::Result<Zeroizing<Vec<u8>>> {
        Ok(Zeroizing::new(self.0.unwrap(wrapped.to_vec())?))
    }
}

/// A software key provider with a fresh random in-memory key, for tests and demos. Real apps
/// implement [`KeyProvider`] with the platform keystore.
#[uniffi::export]
pub fn software_key_provider(key_id: String) -> Result<Arc<dyn KeyProvider>> {
    Ok(Arc::new(SoftwareKeyProvider(core::SoftwareKeyProvider::make(
        key_id,
    )?)))
}

struct SoftwareKeyProvider(core::SoftwareKeyProvider);

impl KeyProvider for SoftwareKeyProvider {
    fn key_id(&self) -> String {
        core::KeyProvider::key_id(&self.0)
    }
    fn wrap(&self, data_key: Vec<u8>) -> Result<Vec<u8>> {
        Ok(core::KeyProvider::wrap(&self.0, &data_key)?)
    }
    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>> {
        core::KeyProvider::unwrap(&self.0, &wrapped)
            .map(|k| k.to_vec())
            .map_err(WalletError::from)
    }
}

/// The current time, when the app has a better source than the device clock (a counter
/// synchronised to a trusted time server, a test). Without one the library reads the system
/// clock. A wallet stamps presentations and times its PIN back-off with it; a verifier checks
/// expiry and freshness against it. Implement it in Kotlin/Swift; it must be cheap and must not
/// block.
#[uniffi::export(with_foreign)]
pub trait TimeSource: Send + Sync {
    /// Unix time in seconds.
    fn now_unix(&self) -> i64;
}

/// Adapts a foreign [`TimeSource`] to the core's `Clock`.
struct ForeignClock(Arc<dyn TimeSource>);

impl core::Clock for ForeignClock {
    fn now_unix(&self) -> i64 {
        self.0.now_unix()
    }
}

/// The app's clock as the core's, or the system clock when the app gives none.
pub(crate) fn core_clock(clock: Option<Arc<dyn TimeSource>>) -> Arc<dyn core::Clock> {
    match clock {
        Some(c) => Arc::new(ForeignClock(c)),
        None => Arc::new(core::SystemClock),
    }
}
