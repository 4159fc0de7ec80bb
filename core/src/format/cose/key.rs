//! COSE_Key (RFC 9052 section 7) for Ed25519 keys: the holder key carried in a credential's
//! `cnf` claim, its RFC 9679 thumbprint, and the 8-byte key ids of issuer keys.

use sha2::{Digest, Sha256};

use crate::format::cbor::{self, map_get_int, Value};
use crate::{RejectReason, Result};

/// The `cnf` claim value for an Ed25519 holder key: `{1: {1: 1, -1: 6, -2: x}}`.
pub fn cnf_for(holder: &[u8; 32]) -> Value {
    Value::Map(vec![(Value::Uint(1), cose_key(holder))])
}

fn cose_key(x: &[u8; 32]) -> Value {
    Value::Map(vec![
        (Value::Uint(1), Value::Uint(1)),
        (Value::int(-1), Value::Uint(6)),
        (Value::int(-2), Value::Bytes(x.to_vec())),
    ])
}

/// The RFC 9679 COSE Key thumbprint of an Ed25519 key (SHA-256 of `{1: 1, -1: 6, -2: x}` in
/// deterministic encoding).
pub fn key_thumbprint(x: &[u8; 32]) -> [u8; 32] {
    Sha256::digest(cbor::encode(&cose_key(x))).into()
}

/// The 8-byte key id of an Ed25519 public key: the first 8 bytes of its SHA-256.
pub fn kid_for(public: &[u8; 32]) -> [u8; 8] {
    let d = Sha256::digest(public);
    let mut kid = [0u8; 8];
    kid.copy_from_slice(&d[..8]);
    kid
}

/// The Ed25519 key in a `cnf` claim value (`{1: COSE_Key}`). A key of another type (e.g. the
/// SD-CWT draft's P-256 example) is [`RejectReason::UnsupportedAlgorithm`]; a damaged one is
/// [`RejectReason::Malformed`].
pub fn ed25519_from_cnf(cnf: &Value) -> Result<[u8; 32]> {
    let key = cnf
        .as_map()
        .and_then(|m| map_get_int(m, 1))
        .and_then(Value::as_map)
        .ok_or(RejectReason::Malformed)?;
    let kty = map_get_int(key, 1).and_then(Value::as_i64);
    let crv = map_get_int(key, -1).and_then(Value::as_i64);
    if kty != Some(1) || crv != Some(6) {
        return Err(RejectReason::UnsupportedAlgorithm.into());
    }
    map_get_int(key, -2)
        .and_then(Value::as_bytes)
        .and_then(|x| <[u8; 32]>::try_from(x).ok())
        .ok_or(RejectReason::Malformed.into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn kid_and_thumbprint_are_stable() {
        let k = [7u8; 32];
        assert_eq!(kid_for(&k), kid_for(&k));
        assert_eq!(key_thumbprint(&k).len(), 32);
        assert_ne!(kid_for(&k), kid_for(&[8u8; 32]));
    }
}
