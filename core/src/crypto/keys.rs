//! Symmetric keys: the random data key (DEK) that seals every stored value, and the subkeys
//! derived from it.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::random;
use crate::{Error, Result};

/// Length of every symmetric key, in bytes.
pub(crate) const KEY_LEN: usize = 32;

/// A 256-bit symmetric key. Zeroized on drop; `Debug` prints nothing of it.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct DataKey([u8; KEY_LEN]);

impl DataKey {
    /// A fresh random key.
    pub fn make() -> Result<Self> {
        Ok(Self(random::bytes()?))
    }

    /// Takes ownership of key bytes (e.g. unwrapped by a key provider).
    pub fn from_slice(b: &[u8]) -> Result<Self> {
        let arr: [u8; KEY_LEN] = b.try_into().map_err(|_| Error::WrongKey)?;
        Ok(Self(arr))
    }

    /// The raw key bytes (to wrap the key, or to derive from it).
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// A subkey for one purpose: HMAC-SHA256(key, "citizen-wallet/v1/" + purpose).
    /// Different purposes give independent keys (the value key never doubles as the tag key).
    pub fn derive_subkey(&self, purpose: &str) -> DataKey {
        DataKey(hmac_sha256(&self.0, &[b"citizen-wallet/v1/", purpose.as_bytes()]))
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// HMAC-SHA256 over the concatenation of `parts`.
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable_hmac(),
    };
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

#[cold]
fn unreachable_hmac() -> ! {
    // HMAC's InvalidLength is impossible for SHA-256 (any key length is accepted).
    std::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subkeys_are_distinct_and_deterministic() {
        let k = DataKey::make().unwrap();
        assert_eq!(k.derive_subkey("a"), k.derive_subkey("a"));
        assert_ne!(k.derive_subkey("a"), k.derive_subkey("b"));
        assert_ne!(k.derive_subkey("a").as_bytes(), k.as_bytes());
        assert_eq!(format!("{k:?}"), "DataKey(<redacted>)");
    }
}
