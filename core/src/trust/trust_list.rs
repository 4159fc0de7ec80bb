//! The trust list: which issuers a verifier or wallet trusts, for which credential types and
//! when, signed by a root key.
//!
//! ```text
//! 18([ << {1: -19, 4: h'<root kid>', 16: "application/cw-trust-list+cwt"} >>, {},
//!      << {6: issued_at, "seq": sequence, "next_update": unix, "issuers": [
//!           {"kid": h'..8..', "key": h'..32..', "iss": "BYT", "vi": "...", "en": "...",
//!            "nbf": unix, "exp": unix, "types": [2, 3, 5]}, ...],
//!         "readers": [...]} >>,
//!      h'<root signature>' ])
//! ```
//!
//! There is no standard for this yet (ETSI/EUDI trusted lists are XML/JSON with X.509), so the
//! structure is ours; the signature is plain COSE with its own `typ`, so a root signature can
//! never be mistaken for a credential or status list. Every problem reading a trust list is
//! [`RejectReason::BadTrustData`].
//!
//! Every list carries a **sequence number** (`"seq"`, [`cwt::SEQUENCE`]): the root numbers the
//! lists it signs, each higher than the last, so a verifier that holds one refuses an older
//! one (a rollback to a list that still names a removed issuer) even when both were signed in
//! the same second ([`crate::trust::CounterState`]). And a **next update** (`"next_update"`):
//! past it the list is out of date and a verifier's verdicts are stale
//! ([`crate::trust::StaleReason::TrustListExpired`]), not valid. A list without either is
//! refused: nothing was deployed before they existed.
//!
//! **Readers** (`"readers"`, optional, [`TrustedReader`]): counters the root certifies to show
//! signed request QRs, each with a role bounding what it may ask (`reader.rs`). A list without
//! the key has no readers; a list with none is signed without it, as before readers existed.

use crate::crypto::signing::PublicKey;
use crate::format::cbor::{self, map_get, Value};
use crate::format::cose::key::kid_for;
use crate::format::cose::{label, Sign1, TYP_TRUST_LIST};
use crate::format::cwt;
use crate::format::limits;
use crate::issuer::IssuerKey;
use crate::model::CredentialType;
use crate::{InputError, InputRule, RejectReason, Result};

use super::TrustedReader;

/// One trusted issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedIssuer {
    /// First 8 bytes of SHA-256 of `public_key`.
    pub kid: [u8; 8],
    /// The issuer's Ed25519 public key, which must verify its credentials and status list.
    pub public_key: [u8; 32],
    /// The `iss` value its credentials carry.
    pub iss: String,
    /// The issuer's name in Vietnamese, shown in verdicts.
    pub name_vi: String,
    /// The issuer's name in English, shown in verdicts.
    pub name_en: String,
    /// Unix seconds: the key is trusted from `not_before` to `not_after` inclusive.
    pub not_before: i64,
    /// Unix seconds: the end of the trust window (inclusive).
    pub not_after: i64,
    /// The credential types it may issue.
    pub types: Vec<CredentialType>,
}

impl TrustedIssuer {
    /// An entry for `key`, deriving the kid.
    pub fn new(
        key_public: [u8; 32],
        iss: impl Into<String>,
        name_vi: impl Into<String>,
        name_en: impl Into<String>,
        not_before: i64,
        not_after: i64,
        types: &[CredentialType],
    ) -> Self {
        Self {
            kid: kid_for(&key_public),
            public_key: key_public,
            iss: iss.into(),
            name_vi: name_vi.into(),
            name_en: name_en.into(),
            not_before,
            not_after,
            types: types.to_vec(),
        }
    }

    /// Whether this issuer may issue `ty`.
    pub fn allows(&self, ty: CredentialType) -> bool {
        self.types.contains(&ty)
    }

    /// Whether `t` is inside the validity window.
    pub fn valid_at(&self, t: i64) -> bool {
        (self.not_before..=self.not_after).contains(&t)
    }

    fn to_value(&self) -> Value {
        Value::sorted_map(vec![
            (Value::text("kid"), Value::Bytes(self.kid.to_vec())),
            (Value::text("key"), Value::Bytes(self.public_key.to_vec())),
            (Value::text("iss"), Value::text(self.iss.clone())),
            (Value::text("vi"), Value::text(self.name_vi.clone())),
            (Value::text("en"), Value::text(self.name_en.clone())),
            (Value::text("nbf"), Value::int(self.not_before)),
            (Value::text("exp"), Value::int(self.not_after)),
            (
                Value::text("types"),
                Value::Array(
                    self.types
                        .iter()
                        .map(|t| Value::Uint(u64::from(t.code())))
                        .collect(),
                ),
            ),
        ])
    }

    fn from_value(v: &Value) -> Result<Self> {
        let m = v.as_map().ok_or(RejectReason::BadTrustData)?;
        let get = |k: &str| map_get(m, &Value::text(k)).ok_or(RejectReason::BadTrustData);
        let text = |k: &str| -> Result<String> {
            let t = get(k)?.as_text().ok_or(RejectReason::BadTrustData)?;
            if t.len() > limits::MAX_NAME_BYTES {
                return Err(RejectReason::BadTrustData.into());
            }
            Ok(t.to_owned())
        };
        let kid: [u8; 8] = get("kid")?
            .as_bytes()
            .and_then(|b| b.try_into().ok())
            .ok_or(RejectReason::BadTrustData)?;
        let public_key: [u8; 32] = get("key")?
            .as_bytes()
            .and_then(|b| b.try_into().ok())
            .ok_or(RejectReason::BadTrustData)?;
        PublicKey::from_bytes(&public_key).map_err(|_| RejectReason::BadTrustData)?;
        if kid != kid_for(&public_key) {
            return Err(RejectReason::BadTrustData.into());
        }
        let types = get("types")?
            .as_array()
            .ok_or(RejectReason::BadTrustData)?
            .iter()
            .map(|t| {
                t.as_u64()
                    .and_then(CredentialType::from_code)
                    .ok_or(RejectReason::BadTrustData.into())
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            kid,
            public_key,
            iss: text("iss")?,
            name_vi: text("vi")?,
            name_en: text("en")?,
            not_before: get("nbf")?.as_i64().ok_or(RejectReason::BadTrustData)?,
            not_after: get("exp")?.as_i64().ok_or(RejectReason::BadTrustData)?,
            types,
        })
    }
}

/// How long after `issued_at` a list made by [`TrustList::new`] stays current unless
/// [`TrustList::with_next_update`] says otherwise: 30 days.
pub const DEFAULT_TRUST_LIST_VALIDITY_SECS: i64 = 30 * 86_400;

/// A trust list: issuers, when it was issued, its number in the root's series and when it is
/// due to be replaced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustList {
    /// When the root signed it (Unix seconds).
    pub issued_at: i64,
    /// Its number in the root's series of lists: each list the root signs carries a higher one.
    /// A verifier holding list `n` refuses any list numbered below `n`.
    pub sequence: u64,
    /// When it should have been replaced (Unix seconds): after it, verdicts are stale
    /// ([`crate::trust::StaleReason::TrustListExpired`]). Later than `issued_at`.
    pub next_update: i64,
    /// The trusted issuers ([`TrustList::sign`] refuses a key listed twice).
    pub issuers: Vec<TrustedIssuer>,
    /// The certified readers: counters that may show signed request QRs (empty in a list
    /// signed without them). [`TrustList::sign`] refuses a key or a reader id listed twice.
    pub readers: Vec<TrustedReader>,
}

impl TrustList {
    /// An empty list dated `issued_at`, number 1 in its root's series, due for replacement
    /// [`DEFAULT_TRUST_LIST_VALIDITY_SECS`] later. A root that signs more than one list numbers
    /// each later one higher ([`with_sequence`](Self::with_sequence)); the `cwallet issuer
    /// trust-list` command keeps the number in the root's key file.
    pub fn new(issued_at: i64) -> Self {
        Self {
            issued_at,
            sequence: 1,
            next_update: issued_at.saturating_add(DEFAULT_TRUST_LIST_VALIDITY_SECS),
            issuers: Vec::new(),
            readers: Vec::new(),
        }
    }

    /// Sets the list's sequence number (builder style).
    pub fn with_sequence(mut self, sequence: u64) -> Self {
        self.sequence = sequence;
        self
    }

    /// Sets when the list is due to be replaced, Unix seconds (builder style).
    pub fn with_next_update(mut self, next_update: i64) -> Self {
        self.next_update = next_update;
        self
    }

    /// Whether the list is past its `next_update` at `now`.
    pub fn is_expired(&self, now: i64) -> bool {
        now > self.next_update
    }

    /// Adds an issuer (builder style).
    pub fn with(mut self, issuer: TrustedIssuer) -> Self {
        self.issuers.push(issuer);
        self
    }

    /// Adds a reader (builder style).
    pub fn with_reader(mut self, reader: TrustedReader) -> Self {
        self.readers.push(reader);
        self
    }

    /// The reader with key id `kid`.
    pub fn find_reader(&self, kid: &[u8]) -> Option<&TrustedReader> {
        self.readers.iter().find(|r| r.kid.as_slice() == kid)
    }

    /// The issuer with key id `kid`.
    pub fn find(&self, kid: &[u8]) -> Option<&TrustedIssuer> {
        self.issuers.iter().find(|i| i.kid.as_slice() == kid)
    }

    /// Signs the list with the root key.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for duplicate kids, too many issuers, over-long names, or a
    /// `next_update` not after `issued_at`.
    pub fn sign(&self, root: &IssuerKey) -> Result<Vec<u8>> {
        if self.next_update <= self.issued_at {
            return Err(InputError::new(
                "trust list next_update",
                InputRule::Invalid("must be after issued_at"),
            )
            .into());
        }
        if self.issuers.len() > limits::MAX_TRUSTED_ISSUERS {
            return Err(InputError::new("trust list", InputRule::Invalid("more than 1000 issuers")).into());
        }
        for (i, e) in self.issuers.iter().enumerate() {
            if self.issuers[..i].iter().any(|o| o.kid == e.kid) {
                return Err(
                    InputError::new("trust list", InputRule::Invalid("an issuer key appears twice")).into(),
                );
            }
            if [&e.iss, &e.name_vi, &e.name_en]
                .iter()
                .any(|s| s.len() > limits::MAX_NAME_BYTES)
            {
                return Err(InputError::new(
                    "trust list",
                    InputRule::Invalid("a name is longer than 256 bytes"),
                )
                .into());
            }
        }
        check_readers(&self.readers)?;
        let mut entries = vec![
            (Value::int(cwt::IAT), Value::int(self.issued_at)),
            (Value::text(cwt::SEQUENCE), Value::Uint(self.sequence)),
            (Value::text(cwt::NEXT_UPDATE), Value::int(self.next_update)),
            (
                Value::text("issuers"),
                Value::Array(self.issuers.iter().map(TrustedIssuer::to_value).collect()),
            ),
        ];
        // No key without readers: such a list is byte for byte what it was before readers.
        if !self.readers.is_empty() {
            entries.push((
                Value::text("readers"),
                Value::Array(self.readers.iter().map(TrustedReader::to_value).collect()),
            ));
        }
        let payload = cbor::encode(&Value::sorted_map(entries));
        let protected = vec![
            (Value::int(label::TYP), Value::text(TYP_TRUST_LIST)),
            (Value::int(label::KID), Value::Bytes(root.kid().to_vec())),
        ];
        Ok(Sign1::sign(root.signing_key(), protected, Vec::new(), payload).to_bytes())
    }

    /// Reads a signed trust list and checks the root signature.
    ///
    /// # Errors
    /// [`RejectReason::BadTrustData`] for anything wrong (structure, `typ`, signature, entries);
    /// [`RejectReason::TooLarge`] past [`limits::MAX_TRUST_LIST_BYTES`].
    pub fn parse_verify(bytes: &[u8], root_public: &[u8; 32]) -> Result<Self> {
        if bytes.len() > limits::MAX_TRUST_LIST_BYTES {
            return Err(RejectReason::TooLarge.into());
        }
        let root = PublicKey::from_bytes(root_public)?;
        let s = Sign1::parse(bytes, limits::MAX_TRUST_LIST_BYTES).map_err(|_| RejectReason::BadTrustData)?;
        s.check_typ(&Value::text(TYP_TRUST_LIST))
            .map_err(|_| RejectReason::BadTrustData)?;
        s.verify(&root, RejectReason::BadTrustData)
            .map_err(|_| RejectReason::BadTrustData)?;
        let p = s
            .payload_map(s.payload_raw.len())
            .map_err(|_| RejectReason::BadTrustData)?;
        let issued_at = map_get(&p, &Value::int(cwt::IAT))
            .and_then(Value::as_i64)
            .ok_or(RejectReason::BadTrustData)?;
        let sequence = map_get(&p, &Value::text(cwt::SEQUENCE))
            .and_then(Value::as_u64)
            .ok_or(RejectReason::BadTrustData)?;
        let next_update = map_get(&p, &Value::text(cwt::NEXT_UPDATE))
            .and_then(Value::as_i64)
            .filter(|&t| t > issued_at)
            .ok_or(RejectReason::BadTrustData)?;
        let entries = map_get(&p, &Value::text("issuers"))
            .and_then(Value::as_array)
            .ok_or(RejectReason::BadTrustData)?;
        if entries.len() > limits::MAX_TRUSTED_ISSUERS {
            return Err(RejectReason::BadTrustData.into());
        }
        let issuers = entries
            .iter()
            .map(TrustedIssuer::from_value)
            .collect::<Result<Vec<_>>>()?;
        for (i, e) in issuers.iter().enumerate() {
            if issuers[..i].iter().any(|o| o.kid == e.kid) {
                return Err(RejectReason::BadTrustData.into());
            }
        }
        let readers = match map_get(&p, &Value::text("readers")) {
            None => Vec::new(),
            Some(v) => {
                let entries = v.as_array().ok_or(RejectReason::BadTrustData)?;
                if entries.is_empty() || entries.len() > limits::MAX_TRUSTED_ISSUERS {
                    return Err(RejectReason::BadTrustData.into());
                }
                entries
                    .iter()
                    .map(TrustedReader::from_value)
                    .collect::<Result<Vec<_>>>()?
            }
        };
        check_readers(&readers).map_err(|_| RejectReason::BadTrustData)?;
        Ok(Self {
            issued_at,
            sequence,
            next_update,
            issuers,
            readers,
        })
    }

    /// A JSON export for people and other tools (the demo writes it as `trust-list.json`):
    /// kid and public key in hex, names, window and allowed types by name.
    pub fn to_json_export(&self) -> String {
        let issuers: Vec<serde_json::Value> = self
            .issuers
            .iter()
            .map(|i| {
                serde_json::json!({
                    "kid": hex::encode(i.kid),
                    "public_key": hex::encode(i.public_key),
                    "alg": "Ed25519",
                    "iss": i.iss,
                    "name_vi": i.name_vi,
                    "name_en": i.name_en,
                    "not_before": i.not_before,
                    "not_after": i.not_after,
                    "types": i.types.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut doc = serde_json::json!({
            "issued_at": self.issued_at,
            "sequence": self.sequence,
            "next_update": self.next_update,
            "issuers": issuers,
        });
        if !self.readers.is_empty() {
            doc["readers"] = self.readers.iter().map(TrustedReader::to_json).collect();
        }
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }
}

/// Refuses too many readers, a reader key or id listed twice, or an entry [`TrustedReader`]
/// refuses to sign.
fn check_readers(readers: &[TrustedReader]) -> Result<()> {
    let invalid = |why| Err(InputError::new("trust list readers", InputRule::Invalid(why)).into());
    if readers.len() > limits::MAX_TRUSTED_ISSUERS {
        return invalid("more than 1000 readers");
    }
    for (i, r) in readers.iter().enumerate() {
        if let Some(why) = r.sign_problem() {
            return invalid(why);
        }
        if readers[..i]
            .iter()
            .any(|o| o.kid == r.kid || o.reader_id == r.reader_id)
        {
            return invalid("a reader key or reader id appears twice");
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::Error;

    fn list() -> (IssuerKey, TrustList) {
        let root = IssuerKey::generate().unwrap();
        let a = IssuerKey::generate().unwrap();
        let t = TrustList::new(100).with(TrustedIssuer::new(
            a.public(),
            "BYT",
            "Bộ Y tế",
            "Ministry of Health",
            0,
            1000,
            &[CredentialType::HealthBook],
        ));
        (root, t)
    }

    #[test]
    fn sign_parse_round_trip_and_json_export() {
        let (root, t) = list();
        let bytes = t.sign(&root).unwrap();
        assert_eq!(TrustList::parse_verify(&bytes, &root.public()).unwrap(), t);
        let json: serde_json::Value = serde_json::from_str(&t.to_json_export()).unwrap();
        assert_eq!(json["issuers"][0]["types"][0], "health_book");
        assert_eq!(json["issuers"][0]["kid"].as_str().unwrap().len(), 16);
    }

    #[test]
    fn wrong_root_or_tamper_is_bad_trust_data() {
        let (root, t) = list();
        let bytes = t.sign(&root).unwrap();
        let other = IssuerKey::generate().unwrap();
        assert!(matches!(
            TrustList::parse_verify(&bytes, &other.public()),
            Err(Error::Rejected(RejectReason::BadTrustData))
        ));
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            assert!(TrustList::parse_verify(&b, &root.public()).is_err(), "byte {i}");
        }
    }
}
