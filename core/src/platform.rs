//! What the host platform provides: a key provider that wraps the wallet's data key.
//!
//! On Android the app implements [`KeyProvider`] with the Android Keystore (StrongBox where
//! present); on iOS with the Keychain / Secure Enclave. The core never sees the platform key:
//! it hands over the data key to wrap and gets back opaque bytes to store. A software
//! implementation ([`SoftwareKeyProvider`]) serves tests, the CLI and the demo apps.

use std::fmt;

use zeroize::Zeroizing;

use crate::crypto::{aead, DataKey};
use crate::{Error, InputError, InputRule, Result};

/// Wraps and unwraps the wallet's data key with a key the platform keeps.
pub trait KeyProvider: Send + Sync {
    /// A stable identifier of the platform key (stored beside the wrapped key so the wallet can
    /// tell which provider opens it). Not secret.
    fn key_id(&self) -> String;
    /// Encrypts `data_key`. The result is stored in the wallet database.
    fn wrap(&self, data_key: &[u8]) -> Result<Vec<u8>>;
    /// Decrypts what [`KeyProvider::wrap`] returned.
    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>>;
}

/// A key provider holding its key in memory: for tests, the CLI and demo apps. A real app uses
/// the platform keystore instead, because this key has to be stored somewhere by the caller.
pub struct SoftwareKeyProvider {
    id: String,
    key: DataKey,
}

const WRAP_AAD: &[u8] = b"citizen-wallet/v1/software-key-provider/wrap";

impl SoftwareKeyProvider {
    /// A provider with a fresh random key.
    pub fn make(id: impl Into<String>) -> Result<Self> {
        Ok(Self {
            id: id.into(),
            key: DataKey::make()?,
        })
    }

    /// A provider with a given 32-byte key (e.g. loaded from a protected file by the CLI).
    pub fn from_key(id: impl Into<String>, key: &[u8]) -> Result<Self> {
        Ok(Self {
            id: id.into(),
            key: DataKey::from_slice(key)
                .map_err(|_| InputError::new("key provider key", InputRule::Format("expected 32 bytes")))?,
        })
    }

    /// The raw key, for the caller to persist (tests and CLI only).
    pub fn key_bytes(&self) -> &[u8; 32] {
        self.key.as_bytes()
    }
}

impl fmt::Debug for SoftwareKeyProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SoftwareKeyProvider {{ id: {:?}, key: <redacted> }}", self.id)
    }
}

impl KeyProvider for SoftwareKeyProvider {
    fn key_id(&self) -> String {
        self.id.clone()
    }

    fn wrap(&self, data_key: &[u8]) -> Result<Vec<u8>> {
        aead::seal(&self.key, WRAP_AAD, data_key)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        aead::open(&self.key, WRAP_AAD, wrapped).map_err(|_| Error::WrongKey)
    }
}
