//! The store cipher: seals values bound to their place, tags lookup keys, checks the canary.
//!
//! From the data key (DEK) two independent subkeys are derived: the *value key* (AEAD) and the
//! *tag key* (HMAC). Each sealed value's associated data is
//! `citizen-wallet/v1/<table>/<column>/<row id>`, so a value moved to another row or column, or
//! replayed from another table, fails authentication instead of returning the wrong data.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::crypto::tag::{derive_tag, TAG_LEN};
use crate::crypto::{aead, DataKey};
use crate::model::CredentialType;
use crate::{Error, Result};

/// The plaintext of the canary: a wrong key fails on it before any real value is touched.
const CANARY_PLAINTEXT: &[u8] = b"citizen-wallet canary v1";

/// Keys for one open wallet. Zeroized on drop (through [`DataKey`]).
pub struct StoreCipher {
    value_key: DataKey,
    tag_key: DataKey,
}

impl std::fmt::Debug for StoreCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreCipher(<redacted>)")
    }
}

fn aad(table: &str, column: &str, row: &str) -> Vec<u8> {
    format!("citizen-wallet/v1/{table}/{column}/{row}").into_bytes()
}

impl StoreCipher {
    pub fn new(dek: &DataKey) -> Self {
        Self {
            value_key: dek.derive_subkey("store/value"),
            tag_key: dek.derive_subkey("store/tag"),
        }
    }

    /// Seals `plaintext` for `table.column` of row `row`.
    pub fn seal(&self, table: &str, column: &str, row: &str, plaintext: &[u8]) -> Result<Vec<u8>> {
        aead::seal(&self.value_key, &aad(table, column, row), plaintext)
    }

    /// Opens a value sealed for exactly this place; anything else is [`Error::Tampered`].
    pub fn open(&self, table: &str, column: &str, row: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        aead::open(&self.value_key, &aad(table, column, row), sealed)
    }

    /// The lookup tag of a credential type.
    pub fn type_tag(&self, ty: CredentialType) -> [u8; TAG_LEN] {
        derive_tag(&self.tag_key, "credential_type", ty.as_str().as_bytes())
    }

    pub fn make_canary(&self) -> Result<Vec<u8>> {
        self.seal("meta", "value", "canary", CANARY_PLAINTEXT)
    }

    /// Checks the canary: [`Error::WrongKey`] if this key did not make it.
    ///
    /// The AEAD tag check is constant-time (chacha20poly1305 uses `subtle`); the plaintext
    /// comparison is too, by rule: every value derived from a secret is compared with `subtle`.
    pub fn check_canary(&self, sealed: &[u8]) -> Result<()> {
        match self.open("meta", "value", "canary", sealed) {
            Ok(p) if bool::from(p.as_slice().ct_eq(CANARY_PLAINTEXT)) => Ok(()),
            _ => Err(Error::WrongKey),
        }
    }
}
