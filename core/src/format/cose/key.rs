//! COSE_Key (RFC 9052 section 7) for holder keys: the key carried in a credential's `cnf`
//! claim (Ed25519 as OKP, P-256 as EC2 with a compressed point), its RFC 9679 thumbprint, and
//! the 8-byte key ids of issuer keys.
//!
//! | holder key | `cnf` value | bytes |
//! |---|---|---|
//! | Ed25519 | `{1: {1: 1, -1: 6, -2: h'<32-byte x>'}}` | 42 |
//! | P-256 | `{1: {1: 2, -1: 1, -2: h'<32-byte x>', -3: <sign of y: bool>}}` | 44 |
//!
//! P-256 keys travel **compressed** (RFC 9053 section 7.1.1: `y` as a boolean, the sign bit):
//! 32 bytes fewer in every QR. An uncompressed `y` (a 32-byte bstr) is refused as
//! [`RejectReason::Malformed`]: one encoding per key, and our issuer never writes it. A
//! P-256 key whose `alg` (3) is present must say ES256 (`-7`); another curve (`crv` not 1) or
//! key type is [`RejectReason::UnsupportedAlgorithm`]; an `x` not on the curve is
//! [`RejectReason::Malformed`].

use sha2::{Digest, Sha256};

use crate::crypto::holder::HolderPublicKey;
use crate::format::cbor::{self, map_get_int, Value};
use crate::{RejectReason, Result};

/// The `cnf` claim value for an Ed25519 holder key: `{1: {1: 1, -1: 6, -2: x}}`.
pub fn cnf_for(holder: &[u8; 32]) -> Value {
    cnf_for_holder(&HolderPublicKey::Ed25519(*holder))
}

/// The `cnf` claim value for a holder key (see the table above).
pub fn cnf_for_holder(holder: &HolderPublicKey) -> Value {
    Value::Map(vec![(Value::Uint(1), cose_key(holder, None))])
}

/// The COSE_Key of `holder`; with `full_y`, a P-256 key carries its `y` in full (the RFC 9679
/// thumbprint's form).
fn cose_key(holder: &HolderPublicKey, full_y: Option<[u8; 32]>) -> Value {
    match holder {
        HolderPublicKey::Ed25519(x) => Value::Map(vec![
            (Value::Uint(1), Value::Uint(1)),
            (Value::int(-1), Value::Uint(6)),
            (Value::int(-2), Value::Bytes(x.to_vec())),
        ]),
        HolderPublicKey::P256(p) => {
            let (prefix, x) = p.split_at(1);
            let y = match full_y {
                Some(y) => Value::Bytes(y.to_vec()),
                None => Value::Bool(prefix == [3]),
            };
            Value::Map(vec![
                (Value::Uint(1), Value::Uint(2)),
                (Value::int(-1), Value::Uint(1)),
                (Value::int(-2), Value::Bytes(x.to_vec())),
                (Value::int(-3), y),
            ])
        }
    }
}

/// The RFC 9679 COSE Key thumbprint of an Ed25519 key (SHA-256 of `{1: 1, -1: 6, -2: x}` in
/// deterministic encoding).
pub fn key_thumbprint(x: &[u8; 32]) -> [u8; 32] {
    holder_thumbprint(&HolderPublicKey::Ed25519(*x))
}

/// The RFC 9679 thumbprint of a holder key. For P-256 the thumbprint covers `kty`, `crv`, `x`
/// and the full `y` (as the RFC requires), not the compressed form carried in `cnf`.
pub fn holder_thumbprint(holder: &HolderPublicKey) -> [u8; 32] {
    Sha256::digest(cbor::encode(&cose_key(holder, holder.p256_y()))).into()
}

/// The 8-byte key id of an Ed25519 public key: the first 8 bytes of its SHA-256.
pub fn kid_for(public: &[u8; 32]) -> [u8; 8] {
    let d = Sha256::digest(public);
    let mut kid = [0u8; 8];
    kid.copy_from_slice(&d[..8]);
    kid
}

/// The Ed25519 key in a `cnf` claim value (`{1: COSE_Key}`). A key of another type is
/// [`RejectReason::UnsupportedAlgorithm`]; a damaged one is [`RejectReason::Malformed`].
pub fn ed25519_from_cnf(cnf: &Value) -> Result<[u8; 32]> {
    match holder_from_cnf(cnf)? {
        HolderPublicKey::Ed25519(x) => Ok(x),
        HolderPublicKey::P256(_) => Err(RejectReason::UnsupportedAlgorithm.into()),
    }
}

/// The holder key in a `cnf` claim value (`{1: COSE_Key}`): OKP Ed25519 or EC2 P-256
/// (compressed); see the module docs for what is refused and why.
pub fn holder_from_cnf(cnf: &Value) -> Result<HolderPublicKey> {
    let key = cnf
        .as_map()
        .and_then(|m| map_get_int(m, 1))
        .and_then(Value::as_map)
        .ok_or(RejectReason::Malformed)?;
    let kty = map_get_int(key, 1).and_then(Value::as_i64);
    let crv = map_get_int(key, -1).and_then(Value::as_i64);
    let alg = map_get_int(key, 3)
        .map(|a| a.as_i64().ok_or(RejectReason::Malformed))
        .transpose()?;
    let x = map_get_int(key, -2)
        .and_then(Value::as_bytes)
        .and_then(|x| <[u8; 32]>::try_from(x).ok());
    match (kty, crv) {
        (Some(1), Some(6)) => {
            if alg.is_some_and(|a| a != -19 && a != -8) {
                return Err(RejectReason::UnsupportedAlgorithm.into());
            }
            x.map(HolderPublicKey::Ed25519)
                .ok_or(RejectReason::Malformed.into())
        }
        (Some(2), Some(1)) => {
            if alg.is_some_and(|a| a != -7) {
                return Err(RejectReason::UnsupportedAlgorithm.into());
            }
            let x = x.ok_or(RejectReason::Malformed)?;
            // Compressed only: `y` is the sign bit.
            let Some(Value::Bool(odd)) = map_get_int(key, -3) else {
                return Err(RejectReason::Malformed.into());
            };
            let mut sec1 = [0u8; 33];
            sec1[0] = if *odd { 3 } else { 2 };
            sec1[1..].copy_from_slice(&x);
            // The point must be on the curve.
            let pk = HolderPublicKey::P256(sec1);
            pk.verifying().map_err(|_| RejectReason::Malformed)?;
            Ok(pk)
        }
        _ => Err(RejectReason::UnsupportedAlgorithm.into()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::crypto::holder::SoftwareP256Signer;
    use crate::Error;

    #[test]
    fn kid_and_thumbprint_are_stable() {
        let k = [7u8; 32];
        assert_eq!(kid_for(&k), kid_for(&k));
        assert_eq!(key_thumbprint(&k).len(), 32);
        assert_ne!(kid_for(&k), kid_for(&[8u8; 32]));
    }

    fn rejected(v: &Value) -> RejectReason {
        match holder_from_cnf(v) {
            Err(Error::Rejected(r)) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn p256_cnf_round_trips_compressed_and_refuses_the_rest() {
        let pk = SoftwareP256Signer::generate().unwrap().public();
        let cnf = cnf_for_holder(&pk);
        assert_eq!(cbor::encode(&cnf).len(), 44);
        assert_eq!(cbor::encode(&cnf_for(&[9; 32])).len(), 42);
        assert_eq!(holder_from_cnf(&cnf).unwrap(), pk);
        let with = |label: i64, v: Value| {
            let mut key = cose_key(&pk, None);
            if let Value::Map(m) = &mut key {
                m.retain(|(k, _)| *k != Value::int(label));
                m.push((Value::int(label), v));
            }
            Value::Map(vec![(Value::Uint(1), key)])
        };
        // Uncompressed `y`: refused (one encoding per key).
        let y = pk.p256_y().unwrap();
        assert_eq!(
            rejected(&with(-3, Value::Bytes(y.to_vec()))),
            RejectReason::Malformed
        );
        // P-384 (crv 2), X25519 (OKP crv 4): not ours.
        assert_eq!(
            rejected(&with(-1, Value::Uint(2))),
            RejectReason::UnsupportedAlgorithm
        );
        // An alg other than ES256.
        assert_eq!(
            rejected(&with(3, Value::int(-35))),
            RejectReason::UnsupportedAlgorithm
        );
        assert!(holder_from_cnf(&with(3, Value::int(-7))).is_ok());
        // An x that is not on the curve (x = 5 has no square root on P-256? try until one fails).
        let off = (0u8..=255)
            .map(|b| with(-2, Value::Bytes(vec![b; 32])))
            .find(|v| holder_from_cnf(v).is_err())
            .unwrap();
        assert_eq!(rejected(&off), RejectReason::Malformed);
        // A short x.
        assert_eq!(
            rejected(&with(-2, Value::Bytes(vec![1; 31]))),
            RejectReason::Malformed
        );
        // Thumbprint over the full y: differs from a hash of the compressed form.
        assert_ne!(
            holder_thumbprint(&pk),
            <[u8; 32]>::from(Sha256::digest(cbor::encode(&cose_key(&pk, None))))
        );
        assert!(matches!(
            ed25519_from_cnf(&cnf),
            Err(Error::Rejected(RejectReason::UnsupportedAlgorithm))
        ));
    }
}
