//! What the app implements: the platform key provider (Android Keystore, iOS Keychain /
//! Secure Enclave), adapted to the core's `KeyProvider` trait.

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
