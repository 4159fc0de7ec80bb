//! Salted disclosures (`[salt, value, key]`) and Redacted Claim Hashes: what lets a holder show
//! one claim and hide the others.

use sha2::{Digest, Sha256};

use crate::crypto::random;
use crate::format::cbor::{self, Value, SIMPLE_REDACTED_KEYS, TAG_REDACTED_ELEMENT};
use crate::format::limits;
use crate::{RejectReason, Result};

/// Salt length of a disclosure (128 bits, the draft's minimum).
pub const SALT_LEN: usize = 16;

/// One salted disclosure: `[salt, value, key]` (a claim), `[salt, value]` (an array element)
/// or `[salt]` (a decoy).
#[derive(Clone, PartialEq)]
pub struct Disclosure {
    /// The encoded array (the contents of the bstr carried in `sd_claims`).
    pub raw: Vec<u8>,
    /// The random salt ([`SALT_LEN`] bytes).
    pub salt: Vec<u8>,
    /// The disclosed value; `None` only in a decoy.
    pub value: Option<Value>,
    /// The claim key (text or integer); `None` for an array element or a decoy.
    pub key: Option<Value>,
}

impl std::fmt::Debug for Disclosure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Disclosure")
            .field("digest", &hex::encode(self.digest()))
            .finish_non_exhaustive()
    }
}

impl Disclosure {
    /// A new claim disclosure with a fresh random salt.
    pub fn make(key: Value, value: Value) -> Result<Self> {
        let salt = random::bytes::<SALT_LEN>()?.to_vec();
        let raw = cbor::encode(&Value::Array(vec![
            Value::Bytes(salt.clone()),
            value.clone(),
            key.clone(),
        ]));
        Ok(Self {
            raw,
            salt,
            value: Some(value),
            key: Some(key),
        })
    }

    /// A new decoy disclosure, `[salt]`, with a fresh random salt. Its digest sits among a
    /// credential's Redacted Claim Hashes like any other, so that their number does not tell how
    /// many claims are hidden (SD-CWT, decoy digests). The issuer hands decoys to the holder
    /// with the real disclosures; a holder never presents them.
    pub fn decoy() -> Result<Self> {
        let salt = random::bytes::<SALT_LEN>()?.to_vec();
        let raw = cbor::encode(&Value::Array(vec![Value::Bytes(salt.clone())]));
        Ok(Self {
            raw,
            salt,
            value: None,
            key: None,
        })
    }

    /// Whether this is a decoy (`[salt]`: no value, no key).
    pub fn is_decoy(&self) -> bool {
        self.value.is_none() && self.key.is_none()
    }

    /// Reads one disclosure from the contents of an `sd_claims` bstr.
    pub fn parse(raw: &[u8]) -> Result<Self> {
        let Value::Array(a) = cbor::decode(raw, raw.len())? else {
            return Err(RejectReason::Malformed.into());
        };
        let (salt, value, key) = match a.as_slice() {
            [Value::Bytes(s)] => (s, None, None),
            [Value::Bytes(s), v] => (s, Some(v.clone()), None),
            [Value::Bytes(s), v, k @ (Value::Text(_) | Value::Uint(_) | Value::Nint(_))] => {
                (s, Some(v.clone()), Some(k.clone()))
            }
            _ => return Err(RejectReason::Malformed.into()),
        };
        if salt.len() != SALT_LEN {
            return Err(RejectReason::Malformed.into());
        }
        Ok(Self {
            raw: raw.to_vec(),
            salt: salt.clone(),
            value,
            key,
        })
    }

    /// Reads the disclosures of an `sd_claims` array: each a bstr, at most
    /// [`limits::MAX_DISCLOSURES`] of them.
    pub(super) fn parse_list(list: &[Value]) -> Result<Vec<Self>> {
        if list.len() > limits::MAX_DISCLOSURES {
            return Err(RejectReason::TooLarge.into());
        }
        list.iter()
            .map(|d| Self::parse(d.as_bytes().ok_or(RejectReason::Malformed)?))
            .collect()
    }

    /// The Redacted Claim Hash: SHA-256 of the encoded bstr.
    pub fn digest(&self) -> [u8; 32] {
        disclosure_digest(&self.raw)
    }

    /// The disclosure as carried in `sd_claims`.
    pub fn to_value(&self) -> Value {
        Value::Bytes(self.raw.clone())
    }
}

/// SHA-256 over the bstr-encoded disclosure (CBOR head plus `raw`).
pub fn disclosure_digest(raw: &[u8]) -> [u8; 32] {
    Sha256::digest(cbor::encode(&Value::Bytes(raw.to_vec()))).into()
}

/// Every Redacted Claim Hash anywhere in `v`: entries of `simple(59)` arrays in maps and tag-60
/// array elements, depth first.
pub fn redacted_digests(v: &Value) -> Vec<Vec<u8>> {
    fn walk(v: &Value, out: &mut Vec<Vec<u8>>) {
        match v {
            Value::Map(m) => {
                for (k, x) in m {
                    if *k == Value::Simple(SIMPLE_REDACTED_KEYS) {
                        if let Value::Array(a) = x {
                            out.extend(a.iter().filter_map(|d| d.as_bytes().map(<[u8]>::to_vec)));
                        }
                    } else {
                        walk(x, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Tag(TAG_REDACTED_ELEMENT, inner) => {
                if let Value::Bytes(b) = inner.as_ref() {
                    out.push(b.clone());
                }
            }
            Value::Tag(_, inner) => walk(inner, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut out);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn disclosure_round_trip_and_digest_over_the_encoded_bstr() {
        let d = Disclosure::make(Value::text("fn"), Value::text("Nguyễn Văn A")).unwrap();
        let p = Disclosure::parse(&d.raw).unwrap();
        assert_eq!(p, d);
        let mut bstr = vec![0x58, u8::try_from(d.raw.len()).unwrap()];
        bstr.extend_from_slice(&d.raw);
        assert_eq!(d.digest(), <[u8; 32]>::from(Sha256::digest(&bstr)));
        // A decoy is `[salt]` and reads back as one.
        let decoy = Disclosure::decoy().unwrap();
        assert!(decoy.is_decoy() && !d.is_decoy());
        assert_eq!(Disclosure::parse(&decoy.raw).unwrap(), decoy);
        assert_eq!(decoy.raw.len(), 1 + 1 + SALT_LEN);
        assert_ne!(Disclosure::decoy().unwrap().digest(), decoy.digest());
        // A 15-byte salt is refused.
        let bad = cbor::encode(&Value::Array(vec![
            Value::Bytes(vec![0; 15]),
            Value::Null,
            Value::text("x"),
        ]));
        assert!(Disclosure::parse(&bad).is_err());
    }
}
