//! The store cipher: seals values bound to their place and tags lookup keys.
//!
//! From the data key (DEK) two independent subkeys are derived: the *value key* (AEAD) and the
//! *tag key* (HMAC). Each sealed value's associated data is
//! `citizen-wallet/v1/<table>/<column>/<row id>`, so a value moved to another row or column, or
//! replayed from another table, fails authentication instead of returning the wrong data. The
//! tables and columns that hold sealed values are named once, in `storage/sealed.rs`; the
//! canary that detects a wrong key is `storage/meta.rs`'s.
//!
//! Values are padded before sealing (sealed format version 2: 1 KiB, or one class per power
//! of two above, see [`aead::padded_len`]), so a file reader learns a size class, not a size.
//! Values that older wallets sealed unpadded (version 1) still open, and are padded when they
//! are next written (a data key rotation rewrites them all).

use zeroize::Zeroizing;

use crate::crypto::tag::{derive_tag, TAG_LEN};
use crate::crypto::{aead, DataKey};
use crate::model::CredentialType;
use crate::Result;

/// Keys for one open wallet. Zeroized on drop (through [`DataKey`]).
pub struct StoreCipher {
    value_key: DataKey,
    tag_key: DataKey,
    /// The tag of each [`CredentialType::ALL`] entry, in that order, derived once: every
    /// insert, get and listed row needs one, and there are only five.
    type_tags: [[u8; TAG_LEN]; CredentialType::ALL.len()],
}

impl std::fmt::Debug for StoreCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreCipher(<redacted>)")
    }
}

fn derive_type_tag(tag_key: &DataKey, ty: CredentialType) -> [u8; TAG_LEN] {
    derive_tag(tag_key, "credential_type", ty.as_str().as_bytes())
}

/// The associated data of the value in `table.column` of row `row`: part of the file format.
pub(crate) fn aad(table: &str, column: &str, row: &str) -> Vec<u8> {
    const PREFIX: &[u8] = b"citizen-wallet/v1/";
    let mut out = Vec::with_capacity(PREFIX.len() + table.len() + column.len() + row.len() + 2);
    for part in [
        PREFIX,
        table.as_bytes(),
        b"/",
        column.as_bytes(),
        b"/",
        row.as_bytes(),
    ] {
        out.extend_from_slice(part);
    }
    out
}

impl StoreCipher {
    /// The cipher of the store whose data key is `dek` (its value and tag subkeys).
    pub fn new(dek: &DataKey) -> Self {
        let tag_key = dek.derive_subkey("store/tag");
        Self {
            value_key: dek.derive_subkey("store/value"),
            type_tags: CredentialType::ALL.map(|ty| derive_type_tag(&tag_key, ty)),
            tag_key,
        }
    }

    /// Seals `plaintext` for `table.column` of row `row`, padded to its size bucket (sealed
    /// format version 2, see [`aead::seal_padded`]). The store names its places through the
    /// constants of `storage/sealed.rs`.
    pub fn seal(&self, table: &str, column: &str, row: &str, plaintext: &[u8]) -> Result<Vec<u8>> {
        aead::seal_padded(&self.value_key, &aad(table, column, row), plaintext)
    }

    /// [`StoreCipher::seal`] with the small values' first size class
    /// ([`aead::MIN_PADDED_LEN_SMALL`], 128 bytes) instead of 1 KiB: a credential's summary.
    pub(crate) fn seal_small(
        &self,
        table: &str,
        column: &str,
        row: &str,
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        aead::seal_padded_from(
            &self.value_key,
            &aad(table, column, row),
            plaintext,
            aead::MIN_PADDED_LEN_SMALL,
        )
    }

    /// Opens a value sealed for exactly this place, padded (version 2) or, as older wallets
    /// wrote it, unpadded (version 1); anything else is
    /// [`Error::Tampered`](crate::Error::Tampered).
    pub fn open(&self, table: &str, column: &str, row: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        aead::open(&self.value_key, &aad(table, column, row), sealed)
    }

    /// The lookup tag of a credential type.
    pub fn type_tag(&self, ty: CredentialType) -> [u8; TAG_LEN] {
        CredentialType::ALL
            .iter()
            .zip(&self.type_tags)
            .find_map(|(t, tag)| (*t == ty).then_some(*tag))
            .unwrap_or_else(|| derive_type_tag(&self.tag_key, ty))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_type_tags_are_the_derived_ones() {
        let dek = DataKey::make().unwrap();
        let c = StoreCipher::new(&dek);
        let tag_key = dek.derive_subkey("store/tag");
        for ty in CredentialType::ALL {
            assert_eq!(
                c.type_tag(ty),
                derive_tag(&tag_key, "credential_type", ty.as_str().as_bytes())
            );
        }
        // Different types, different tags; another key, other tags.
        let other = StoreCipher::new(&DataKey::make().unwrap());
        for (i, a) in CredentialType::ALL.iter().enumerate() {
            assert_ne!(c.type_tag(*a), other.type_tag(*a));
            for b in &CredentialType::ALL[i + 1..] {
                assert_ne!(c.type_tag(*a), c.type_tag(*b));
            }
        }
    }
}
