//! COSE_Sign1 (RFC 9052 section 4.2): a decoded structure whose signed parts are kept
//! byte-exact, Ed25519 signing and verification over the `Sig_structure`.

use super::{label, ALG_ED25519, ALG_EDDSA};
use crate::crypto::signing::{PublicKey, SigningKey};
use crate::format::cbor::{self, map_get_int, Value, TAG_COSE_SIGN1};
use crate::{RejectReason, Result};

/// A decoded COSE_Sign1 whose signed parts are kept byte-exact.
#[derive(Clone, PartialEq)]
pub struct Sign1 {
    /// The serialized protected header (the bstr contents, exactly as signed).
    pub protected_raw: Vec<u8>,
    /// The protected header, decoded.
    pub protected: Vec<(Value, Value)>,
    /// The unprotected header (not covered by the signature).
    pub unprotected: Vec<(Value, Value)>,
    /// The payload (the bstr contents, exactly as signed).
    pub payload_raw: Vec<u8>,
    /// The signature over the `Sig_structure` (64 bytes for Ed25519).
    pub signature: Vec<u8>,
}

impl std::fmt::Debug for Sign1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sign1")
            .field("protected_len", &self.protected_raw.len())
            .field("payload_len", &self.payload_raw.len())
            .finish_non_exhaustive()
    }
}

impl Sign1 {
    /// Signs `payload` with `key`. `protected` must hold `typ`; `alg` (Ed25519) is added first.
    pub fn sign(
        key: &SigningKey,
        mut protected: Vec<(Value, Value)>,
        unprotected: Vec<(Value, Value)>,
        payload: Vec<u8>,
    ) -> Self {
        protected.insert(0, (Value::int(label::ALG), Value::int(ALG_ED25519)));
        let protected = match Value::sorted_map(protected) {
            Value::Map(m) => m,
            _ => Vec::new(),
        };
        let protected_raw = cbor::encode(&Value::Map(protected.clone()));
        let signature = key.sign_raw(&sig_structure(&protected_raw, &payload)).to_vec();
        Self {
            protected_raw,
            protected,
            unprotected,
            payload_raw: payload,
            signature,
        }
    }

    /// Parses a tagged COSE_Sign1 from bytes (at most `max_len`).
    pub fn parse(bytes: &[u8], max_len: usize) -> Result<Self> {
        Self::from_value(&cbor::decode(bytes, max_len)?)
    }

    /// Reads a tagged COSE_Sign1 from a decoded value (e.g. the `kcwt` header of a KBT).
    pub fn from_value(v: &Value) -> Result<Self> {
        let Value::Tag(TAG_COSE_SIGN1, inner) = v else {
            return Err(RejectReason::Malformed.into());
        };
        let [Value::Bytes(p), Value::Map(u), Value::Bytes(payload), Value::Bytes(sig)] =
            inner.as_array().ok_or(RejectReason::Malformed)?
        else {
            return Err(RejectReason::Malformed.into());
        };
        let protected = if p.is_empty() {
            Vec::new()
        } else {
            match cbor::decode(p, p.len())? {
                Value::Map(m) => m,
                _ => return Err(RejectReason::Malformed.into()),
            }
        };
        if map_get_int(&protected, label::CRIT).is_some() {
            return Err(RejectReason::Malformed.into());
        }
        // A label in both buckets is ambiguous (RFC 9052 section 3).
        if u.iter().any(|(k, _)| protected.iter().any(|(pk, _)| pk == k)) {
            return Err(RejectReason::Malformed.into());
        }
        Ok(Self {
            protected_raw: p.clone(),
            protected,
            unprotected: u.clone(),
            payload_raw: payload.clone(),
            signature: sig.clone(),
        })
    }

    /// The tagged COSE_Sign1 value.
    pub fn to_value(&self) -> Value {
        Value::Tag(
            TAG_COSE_SIGN1,
            Box::new(Value::Array(vec![
                Value::Bytes(self.protected_raw.clone()),
                Value::Map(self.unprotected.clone()),
                Value::Bytes(self.payload_raw.clone()),
                Value::Bytes(self.signature.clone()),
            ])),
        )
    }

    /// The encoded COSE_Sign1.
    pub fn to_bytes(&self) -> Vec<u8> {
        cbor::encode(&self.to_value())
    }

    /// The `alg` header (protected).
    pub fn alg(&self) -> Option<i64> {
        map_get_int(&self.protected, label::ALG).and_then(Value::as_i64)
    }

    /// Fails with [`RejectReason::UnsupportedAlgorithm`] unless `alg` is Ed25519 or EdDSA.
    pub fn check_alg(&self) -> Result<()> {
        match self.alg() {
            Some(ALG_ED25519 | ALG_EDDSA) => Ok(()),
            Some(_) => Err(RejectReason::UnsupportedAlgorithm.into()),
            None => Err(RejectReason::Malformed.into()),
        }
    }

    /// Fails with [`RejectReason::WrongMessageType`] unless the protected `typ` is `typ`.
    pub fn check_typ(&self, typ: &Value) -> Result<()> {
        match map_get_int(&self.protected, label::TYP) {
            Some(t) if t == typ => Ok(()),
            _ => Err(RejectReason::WrongMessageType.into()),
        }
    }

    /// The `kid`, protected or unprotected.
    pub fn kid(&self) -> Option<&[u8]> {
        map_get_int(&self.protected, label::KID)
            .or_else(|| map_get_int(&self.unprotected, label::KID))
            .and_then(Value::as_bytes)
    }

    /// Checks `alg` and the Ed25519 signature with `key`; failure is `reason`.
    pub fn verify(&self, key: &PublicKey, reason: RejectReason) -> Result<()> {
        self.check_alg()?;
        key.verify_raw(
            &sig_structure(&self.protected_raw, &self.payload_raw),
            &self.signature,
            reason,
        )
    }

    /// The `Sig_structure` this message's signature is over.
    pub(crate) fn to_be_signed(&self) -> Vec<u8> {
        sig_structure(&self.protected_raw, &self.payload_raw)
    }

    /// A message to be signed by someone else (a holder signer): `protected` is encoded as
    /// given (sorted), no `alg` is added, the signature is empty until set.
    pub(crate) fn unsigned(protected: Vec<(Value, Value)>, payload: Vec<u8>) -> Self {
        let protected = match Value::sorted_map(protected) {
            Value::Map(m) => m,
            _ => Vec::new(),
        };
        Self {
            protected_raw: cbor::encode(&Value::Map(protected.clone())),
            protected,
            unprotected: Vec::new(),
            payload_raw: payload,
            signature: Vec::new(),
        }
    }

    /// The payload decoded as a map (at most `max_len` bytes).
    pub fn payload_map(&self, max_len: usize) -> Result<Vec<(Value, Value)>> {
        match cbor::decode(&self.payload_raw, max_len)? {
            Value::Map(m) => Ok(m),
            _ => Err(RejectReason::Malformed.into()),
        }
    }
}

/// `Sig_structure` for COSE_Sign1 with empty external AAD.
fn sig_structure(protected_raw: &[u8], payload: &[u8]) -> Vec<u8> {
    cbor::encode(&Value::Array(vec![
        Value::text("Signature1"),
        Value::Bytes(protected_raw.to_vec()),
        Value::Bytes(Vec::new()),
        Value::Bytes(payload.to_vec()),
    ]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::format::cose::{TYP_KBT, TYP_SD_CWT};
    use crate::Error;

    #[test]
    fn sign_verify_and_domain_separation() {
        let k = SigningKey::make().unwrap();
        let s = Sign1::sign(
            &k,
            vec![(Value::int(label::TYP), Value::Uint(TYP_KBT))],
            vec![],
            b"payload".to_vec(),
        );
        let bytes = s.to_bytes();
        assert_eq!(bytes[0], 0xd2);
        let p = Sign1::parse(&bytes, 1000).unwrap();
        p.verify(&k.public(), RejectReason::BadHolderSignature).unwrap();
        p.check_typ(&Value::Uint(TYP_KBT)).unwrap();
        assert!(matches!(
            p.check_typ(&Value::Uint(TYP_SD_CWT)),
            Err(Error::Rejected(RejectReason::WrongMessageType))
        ));
        let other = SigningKey::make().unwrap();
        assert!(matches!(
            p.verify(&other.public(), RejectReason::BadHolderSignature),
            Err(Error::Rejected(RejectReason::BadHolderSignature))
        ));
        // Untagged COSE_Sign1 is refused.
        assert!(Sign1::parse(&bytes[1..], 1000).is_err());
    }
}
