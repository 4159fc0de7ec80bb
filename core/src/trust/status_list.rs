//! An issuer's signed status list: which of its credentials are revoked, as of when.
//!
//! The token follows the IETF Token Status List CWT shape (draft-ietf-oauth-status-list), so a
//! generic tool can read it:
//!
//! ```text
//! 18([ << {1: -19, 4: h'<issuer kid>', 16: "application/statuslist+cwt"} >>, {},
//!      << {2: "<issuer kid, hex>", 6: issued_at, "seq": sequence, 65534: max_age_secs (ttl),
//!          65533: {"bits": 1, "lst": h'<zlib-compressed bitstring>'}} >>,
//!      h'<issuer signature>' ])
//! ```
//!
//! It is signed by the **issuer's own key** (the one in the trust list), so an issuer can only
//! revoke its own credentials. A verifier treats a list older than `issued_at + max_age_secs`
//! as stale: credentials still verify, flagged "valid, status as of <date>".
//! The bitstring is [`StatusBits`] (decompression bounded by
//! [`limits::MAX_STATUS_LIST_ENTRIES`]).
//!
//! Every list carries a **sequence number** (`"seq"`, [`cwt::SEQUENCE`], a private claim a
//! generic reader ignores): the issuer numbers the lists it signs, each higher than the last,
//! so a verifier holding a list that revokes a credential refuses an earlier one that does not,
//! even one signed in the same second ([`crate::trust::CounterState`]). A list without it is
//! refused: nothing was deployed before it existed.

use crate::crypto::signing::PublicKey;
use crate::format::cbor::{self, map_get, map_get_int, Value};
use crate::format::cose::{label, Sign1, TYP_STATUS_LIST};
use crate::format::cwt;
use crate::format::limits;
use crate::issuer::IssuerKey;
use crate::{InputError, InputRule, RejectReason, Result};

use super::status_bits::StatusBits;
use super::TrustList;

/// One issuer's revocation list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    /// The issuer's key id (the list is signed by that key).
    pub issuer_kid: [u8; 8],
    /// Unix seconds.
    pub issued_at: i64,
    /// Its number in the issuer's series of lists: each list the issuer signs carries a higher
    /// one. A verifier holding list `n` refuses any list numbered below `n`.
    pub sequence: u64,
    /// How long after `issued_at` the list counts as current.
    pub max_age_secs: u32,
    /// One bit per credential index (the `"s"` claim of the credential), set = revoked.
    pub bits: StatusBits,
}

impl StatusList {
    /// A list of at least `len` entries for the issuer with key id `issuer_kid`, none revoked,
    /// number 1 in the issuer's series. An issuer numbers each later list it signs higher
    /// ([`with_sequence`](Self::with_sequence)); `cwallet issuer status-list` keeps the number
    /// in the issuer's key file.
    ///
    /// The token carries whole bytes and no length (IETF token status list), so a verifier reads
    /// `8 * bytes` entries. The list is made that long here (`len` rounded up to a multiple of
    /// 8), so that the issuer's list and the one a verifier reads back are the same: an index
    /// the issuer calls unknown is unknown to every verifier too.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] above 2^30 entries.
    pub fn new(issuer_kid: [u8; 8], len: usize, issued_at: i64, max_age_secs: u32) -> Result<Self> {
        let whole_bytes = len.checked_next_multiple_of(8).ok_or_else(|| {
            InputError::new(
                "status list length",
                InputRule::Range("must be at most 2^30 entries"),
            )
        })?;
        Ok(Self {
            issuer_kid,
            issued_at,
            sequence: 1,
            max_age_secs,
            bits: StatusBits::new(whole_bytes)?,
        })
    }

    /// Sets the list's sequence number (builder style).
    pub fn with_sequence(mut self, sequence: u64) -> Self {
        self.sequence = sequence;
        self
    }

    /// Revokes entry `idx`.
    pub fn revoke(&mut self, idx: u64) -> Result<()> {
        self.bits.set(to_index(idx)?, true)
    }

    /// Whether entry `idx` is revoked. An index past the end is an error (unknown status).
    pub fn is_revoked(&self, idx: u64) -> Result<bool> {
        self.bits.get(to_index(idx)?)
    }

    /// Whether the list is past its maximum age at `now`.
    pub fn is_stale(&self, now: i64) -> bool {
        now > self.issued_at.saturating_add(i64::from(self.max_age_secs))
    }

    /// Signs the list with the issuer's key.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `issuer` is not the key named by `issuer_kid`.
    pub fn sign(&self, issuer: &IssuerKey) -> Result<Vec<u8>> {
        if issuer.kid() != self.issuer_kid {
            return Err(InputError::new(
                "status list",
                InputRule::Invalid("signed by another key than its issuer's"),
            )
            .into());
        }
        let payload = cbor::encode(&Value::sorted_map(vec![
            (Value::int(cwt::SUB), Value::text(hex::encode(self.issuer_kid))),
            (Value::int(cwt::IAT), Value::int(self.issued_at)),
            (Value::text(cwt::SEQUENCE), Value::Uint(self.sequence)),
            (Value::int(cwt::TTL), Value::Uint(u64::from(self.max_age_secs))),
            (
                Value::int(cwt::STATUS_LIST),
                Value::sorted_map(vec![
                    (Value::text("bits"), Value::Uint(1)),
                    (Value::text("lst"), Value::Bytes(self.bits.to_compressed())),
                ]),
            ),
        ]));
        let protected = vec![
            (Value::int(label::TYP), Value::text(TYP_STATUS_LIST)),
            (Value::int(label::KID), Value::Bytes(self.issuer_kid.to_vec())),
        ];
        Ok(Sign1::sign(issuer.signing_key(), protected, Vec::new(), payload).to_bytes())
    }

    /// Reads a signed list and checks it against its issuer's key in `trust`.
    ///
    /// # Errors
    /// [`RejectReason::UnknownIssuer`] when the signer is not in the trust list;
    /// [`RejectReason::BadTrustData`] for a bad signature or structure;
    /// [`RejectReason::TooLarge`] for an oversized list or decompression bomb.
    pub fn parse_verify(bytes: &[u8], trust: &TrustList) -> Result<Self> {
        let s = Self::parse_sign1(bytes)?;
        let kid = s.kid().ok_or(RejectReason::BadTrustData)?;
        let issuer = trust.find(kid).ok_or(RejectReason::UnknownIssuer)?;
        Self::finish(&s, &issuer.public_key)
    }

    /// Reads a signed list and checks it against `issuer_public`.
    pub fn parse_verify_with_key(bytes: &[u8], issuer_public: &[u8; 32]) -> Result<Self> {
        let s = Self::parse_sign1(bytes)?;
        Self::finish(&s, issuer_public)
    }

    fn parse_sign1(bytes: &[u8]) -> Result<Sign1> {
        if bytes.len() > limits::MAX_STATUS_LIST_BYTES {
            return Err(RejectReason::TooLarge.into());
        }
        let s = Sign1::parse(bytes, limits::MAX_STATUS_LIST_BYTES).map_err(|_| RejectReason::BadTrustData)?;
        s.check_typ(&Value::text(TYP_STATUS_LIST))
            .map_err(|_| RejectReason::BadTrustData)?;
        Ok(s)
    }

    fn finish(s: &Sign1, issuer_public: &[u8; 32]) -> Result<Self> {
        let key = PublicKey::from_bytes(issuer_public).map_err(|_| RejectReason::BadTrustData)?;
        s.verify(&key, RejectReason::BadTrustData)
            .map_err(|_| RejectReason::BadTrustData)?;
        let issuer_kid: [u8; 8] = s
            .kid()
            .and_then(|k| k.try_into().ok())
            .ok_or(RejectReason::BadTrustData)?;
        if crate::format::cose::key::kid_for(issuer_public) != issuer_kid {
            return Err(RejectReason::BadTrustData.into());
        }
        let p = s
            .payload_map(s.payload_raw.len())
            .map_err(|_| RejectReason::BadTrustData)?;
        let issued_at = map_get_int(&p, cwt::IAT)
            .and_then(Value::as_i64)
            .ok_or(RejectReason::BadTrustData)?;
        let sequence = map_get(&p, &Value::text(cwt::SEQUENCE))
            .and_then(Value::as_u64)
            .ok_or(RejectReason::BadTrustData)?;
        let max_age_secs = map_get_int(&p, cwt::TTL)
            .and_then(Value::as_u64)
            .and_then(|t| u32::try_from(t).ok())
            .ok_or(RejectReason::BadTrustData)?;
        let sl = map_get_int(&p, cwt::STATUS_LIST)
            .and_then(Value::as_map)
            .ok_or(RejectReason::BadTrustData)?;
        if map_get(sl, &Value::text("bits")).and_then(Value::as_u64) != Some(1) {
            return Err(RejectReason::BadTrustData.into());
        }
        let lst = map_get(sl, &Value::text("lst"))
            .and_then(Value::as_bytes)
            .ok_or(RejectReason::BadTrustData)?;
        let bits = StatusBits::from_compressed(lst, limits::MAX_STATUS_LIST_ENTRIES)?;
        Ok(Self {
            issuer_kid,
            issued_at,
            sequence,
            max_age_secs,
            bits,
        })
    }
}

fn to_index(idx: u64) -> Result<usize> {
    usize::try_from(idx).map_err(|_| {
        InputError::new("status index", InputRule::Range("must be inside the status list")).into()
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::model::CredentialType;
    use crate::trust::TrustedIssuer;
    use crate::Error;

    #[test]
    fn sign_parse_revoke_and_staleness() {
        let k = IssuerKey::generate().unwrap();
        let mut l = StatusList::new(k.kid(), 1000, 100, 3600).unwrap();
        l.revoke(7).unwrap();
        let bytes = l.sign(&k).unwrap();
        let p = StatusList::parse_verify_with_key(&bytes, &k.public()).unwrap();
        assert!(p.is_revoked(7).unwrap());
        assert!(!p.is_revoked(8).unwrap());
        assert!(!p.is_stale(3700));
        assert!(p.is_stale(3701));
        let trust = TrustList::new(0).with(TrustedIssuer::new(
            k.public(),
            "X",
            "X",
            "X",
            0,
            10,
            &[CredentialType::CitizenId],
        ));
        assert_eq!(StatusList::parse_verify(&bytes, &trust).unwrap().issued_at, 100);
        let other = IssuerKey::generate().unwrap();
        assert!(matches!(
            StatusList::parse_verify_with_key(&bytes, &other.public()),
            Err(Error::Rejected(RejectReason::BadTrustData))
        ));
        assert!(matches!(
            StatusList::parse_verify(&bytes, &TrustList::new(0)),
            Err(Error::Rejected(RejectReason::UnknownIssuer))
        ));
        assert!(l.sign(&other).is_err());
    }

    /// A status list token signed by `k` whose `lst` is `lst` (otherwise as `sign` makes it).
    fn token_with_lst(k: &IssuerKey, lst: Vec<u8>) -> Vec<u8> {
        let payload = cbor::encode(&Value::sorted_map(vec![
            (Value::int(cwt::SUB), Value::text(hex::encode(k.kid()))),
            (Value::int(cwt::IAT), Value::int(100)),
            (Value::text(cwt::SEQUENCE), Value::Uint(1)),
            (Value::int(cwt::TTL), Value::Uint(3600)),
            (
                Value::int(cwt::STATUS_LIST),
                Value::sorted_map(vec![
                    (Value::text("bits"), Value::Uint(1)),
                    (Value::text("lst"), Value::Bytes(lst)),
                ]),
            ),
        ]));
        let protected = vec![
            (Value::int(label::TYP), Value::text(TYP_STATUS_LIST)),
            (Value::int(label::KID), Value::Bytes(k.kid().to_vec())),
        ];
        Sign1::sign(k.signing_key(), protected, Vec::new(), payload).to_bytes()
    }

    #[test]
    fn a_signed_list_with_bytes_after_its_zlib_stream_is_refused() {
        let k = IssuerKey::generate().unwrap();
        let l = StatusList::new(k.kid(), 1000, 100, 3600).unwrap();
        let good = l.bits.to_compressed();
        let ok = token_with_lst(&k, good.clone());
        assert_eq!(StatusList::parse_verify_with_key(&ok, &k.public()).unwrap(), l);
        let mut trailing = good.clone();
        trailing.extend_from_slice(&[0, 0]);
        assert!(matches!(
            StatusList::parse_verify_with_key(&token_with_lst(&k, trailing), &k.public()),
            Err(Error::Rejected(RejectReason::BadTrustData))
        ));
        // Two streams back to back: the second would be invisible to this reader.
        let mut twice = good.clone();
        twice.extend_from_slice(&good);
        assert!(StatusList::parse_verify_with_key(&token_with_lst(&k, twice), &k.public()).is_err());
    }

    #[test]
    fn the_length_read_back_is_the_length_signed() {
        let k = IssuerKey::generate().unwrap();
        for (asked, len) in [(0usize, 0usize), (1, 8), (1000, 1000), (1001, 1008), (1007, 1008)] {
            let mut l = StatusList::new(k.kid(), asked, 100, 3600).unwrap();
            assert_eq!(l.bits.len(), len, "{asked}");
            if asked > 0 {
                l.revoke(asked as u64 - 1).unwrap();
            }
            let back = StatusList::parse_verify_with_key(&l.sign(&k).unwrap(), &k.public()).unwrap();
            // Exactly the same list: same entries, same revocations, same unknown indices.
            assert_eq!(back, l);
            for idx in [len as u64, len as u64 + 7, u64::MAX] {
                assert!(
                    l.is_revoked(idx).is_err() && back.is_revoked(idx).is_err(),
                    "{idx}"
                );
            }
        }
        assert!(matches!(
            StatusList::new(k.kid(), usize::MAX, 0, 0),
            Err(Error::InvalidInput(_))
        ));
        assert!(StatusList::new(k.kid(), (1 << 30) + 1, 0, 0).is_err());
    }
}
