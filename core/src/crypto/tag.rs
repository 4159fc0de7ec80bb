//! Keyed hashes ("tags") for lookups: the database indexes `HMAC(tag key, domain || value)`,
//! never the value, so equal values can be found without storing them in the clear.

use super::keys::hmac_sha256;
use super::DataKey;

/// Length of stored tags. 16 bytes of HMAC-SHA256 is ample for equality lookups.
pub(crate) const TAG_LEN: usize = 16;

/// The tag of `value` in lookup domain `domain` (e.g. `"credential_type"`).
pub(crate) fn derive_tag(tag_key: &DataKey, domain: &str, value: &[u8]) -> [u8; TAG_LEN] {
    let full = hmac_sha256(tag_key.as_bytes(), &[domain.as_bytes(), &[0], value]);
    let mut out = [0u8; TAG_LEN];
    out.copy_from_slice(&full[..TAG_LEN]);
    out
}
