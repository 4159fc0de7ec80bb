//! SD-CWT issuer credentials and SD-KBT presentations (draft-ietf-spice-sd-cwt), our profile.
//!
//! ## Issuer credential (SD-CWT)
//!
//! ```text
//! 18([ << {1: -19, 16: 293} >>,                     / alg Ed25519, typ application/sd-cwt /
//!      {4: h'<8-byte kid>', 17: [<<disclosure>>, ...]},   / kid = SHA-256(issuer key)[..8] /
//!      << { 1: "iss", 4: exp, 6: iat,
//!           8: {1: {1: 1, -1: 6, -2: h'<holder key>'}},  / cnf: holder COSE_Key (OKP Ed25519) /
//!           "t": <credential type code>, "s": <status list index>,
//!           "fn": "...", ...                               / claims in clear (compact keys) /
//!           simple(59): [h'<sha-256>', ...] } >>,         / redacted claim keys /
//!      h'<signature>' ])
//! ```
//!
//! * A disclosure is the bstr-wrapped array `[salt (16 random bytes), value, key]`; its digest is
//!   SHA-256 over the **encoded bstr** (head included), exactly as the draft's example files
//!   compute it (`example-issuer_cwt.cbor`; note the separate `example-first-blinded-hash.txt`
//!   was computed over the bstr contents only and does not match the example's own payload).
//! * `sd_alg` is omitted (the draft's default, SHA-256, saves 4 bytes); `-16` is accepted, any
//!   other value is [`RejectReason::UnsupportedAlgorithm`].
//! * Only top-level claims are redacted (one disclosure per claim). The verifier accepts no
//!   nested redaction in our credentials; the generic [`redacted_digests`] walker still reads
//!   nested `simple(59)` maps and tag-60 array elements, for the draft's examples.
//! * Private claims: `"t"` (credential type, [`CredentialType::code`]) and `"s"` (index in the
//!   issuer's status list). The IETF token-status-list `status` claim (65535, `{"status_list":
//!   {"idx", "uri"}}`) costs about 30 bytes more per QR; our status list is found by the issuer's
//!   `kid` instead of a URI, so a one-letter private claim carries all that is needed.
//!   One-letter text keys are reserved for the envelope; credential claims use the registry's
//!   two- and three-letter keys ([`crate::model::ClaimDef::key`]).
//!
//! ## Presentation (SD-KBT)
//!
//! ```text
//! 18([ << {1: -19, 16: 294, 13: <the issuer SD-CWT with only the chosen disclosures>} >>,
//!      {},
//!      << {3: "aud", 6: iat, 4: exp, ? 39: h'<counter nonce>'} >>,
//!      h'<holder signature>' ])
//! ```

use sha2::{Digest, Sha256};

use super::cbor::{self, map_get, map_get_int, Value, SIMPLE_REDACTED_KEYS, TAG_REDACTED_ELEMENT};
use super::cose::{self, label, Sign1};
use super::limits;
use crate::crypto::random;
use crate::crypto::signing::{PublicKey, SigningKey};
use crate::model::{ClaimDef, ClaimValue, CredentialType};
use crate::{Error, RejectReason, Result};

/// CWT claim keys (RFC 8392) and our private claims.
pub mod claim {
    pub const ISS: i64 = 1;
    pub const AUD: i64 = 3;
    pub const EXP: i64 = 4;
    pub const NBF: i64 = 5;
    pub const IAT: i64 = 6;
    pub const CNF: i64 = 8;
    pub const CNONCE: i64 = 39;
    /// Private: credential type code.
    pub const TYPE: &str = "t";
    /// Private: index in the issuer's status list.
    pub const STATUS: &str = "s";
}

/// Salt length of a disclosure (128 bits, the draft's minimum).
pub const SALT_LEN: usize = 16;

fn malformed() -> Error {
    Error::Rejected(RejectReason::Malformed)
}

fn mismatch() -> Error {
    Error::Rejected(RejectReason::DisclosureMismatch)
}

// ---------------------------------------------------------------------------------------------
// Claim values: JSON (the model) <-> CBOR
// ---------------------------------------------------------------------------------------------

/// Converts a model JSON value to CBOR (strings, integers, booleans, null, arrays, objects).
pub fn json_to_cbor(v: &serde_json::Value) -> Result<Value> {
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::Uint(u)
            } else if let Some(i) = n.as_i64() {
                Value::int(i)
            } else {
                return Err(Error::InvalidInput(
                    "claim values: fractional numbers are not supported".into(),
                ));
            }
        }
        serde_json::Value::String(s) => Value::Text(s.clone()),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(json_to_cbor).collect::<Result<_>>()?),
        serde_json::Value::Object(m) => Value::Map(
            m.iter()
                .map(|(k, v)| Ok((Value::Text(k.clone()), json_to_cbor(v)?)))
                .collect::<Result<_>>()?,
        ),
    })
}

/// Converts a CBOR claim value back to JSON. Byte strings, tags, simple values and non-text map
/// keys do not occur in our claims: [`RejectReason::Malformed`].
pub fn cbor_to_json(v: &Value) -> Result<serde_json::Value> {
    Ok(match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Uint(u) => serde_json::Value::from(*u),
        Value::Nint(_) => serde_json::Value::from(v.as_i64().ok_or_else(malformed)?),
        Value::Text(s) => serde_json::Value::String(s.clone()),
        Value::Array(a) => serde_json::Value::Array(a.iter().map(cbor_to_json).collect::<Result<_>>()?),
        Value::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| Ok((k.as_text().ok_or_else(malformed)?.to_owned(), cbor_to_json(v)?)))
                .collect::<Result<_>>()?,
        ),
        Value::Bytes(_) | Value::Tag(..) | Value::Simple(_) => return Err(malformed()),
    })
}

// ---------------------------------------------------------------------------------------------
// Disclosures
// ---------------------------------------------------------------------------------------------

/// One salted disclosure: `[salt, value, key]` (a claim), `[salt, value]` (an array element)
/// or `[salt]` (a decoy).
#[derive(Clone, PartialEq)]
pub struct Disclosure {
    /// The encoded array (the contents of the bstr carried in `sd_claims`).
    pub raw: Vec<u8>,
    pub salt: Vec<u8>,
    pub value: Option<Value>,
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

    /// Reads one disclosure from the contents of an `sd_claims` bstr.
    pub fn parse(raw: &[u8]) -> Result<Self> {
        let Value::Array(a) = cbor::decode(raw, raw.len())? else {
            return Err(malformed());
        };
        let (salt, value, key) = match a.as_slice() {
            [Value::Bytes(s)] => (s, None, None),
            [Value::Bytes(s), v] => (s, Some(v.clone()), None),
            [Value::Bytes(s), v, k @ (Value::Text(_) | Value::Uint(_) | Value::Nint(_))] => {
                (s, Some(v.clone()), Some(k.clone()))
            }
            _ => return Err(malformed()),
        };
        if salt.len() != SALT_LEN {
            return Err(malformed());
        }
        Ok(Self {
            raw: raw.to_vec(),
            salt: salt.clone(),
            value,
            key,
        })
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

// ---------------------------------------------------------------------------------------------
// Holder key (cnf)
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Issued SD-CWT
// ---------------------------------------------------------------------------------------------

/// A structurally valid SD-CWT (signature **not** yet checked).
#[derive(Clone)]
pub struct SdCwt {
    pub sign1: Sign1,
    /// The decoded payload (CWT claims set).
    pub payload: Vec<(Value, Value)>,
    /// The disclosures in `sd_claims` (all of them in an issued credential, the chosen ones in
    /// a presentation).
    pub disclosures: Vec<Disclosure>,
}

impl std::fmt::Debug for SdCwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SdCwt")
            .field("disclosures", &self.disclosures.len())
            .finish_non_exhaustive()
    }
}

/// One claim of a credential with whether it was redacted (selectively disclosable).
#[derive(Clone, PartialEq)]
pub struct ShownClaim {
    pub claim: ClaimValue,
    /// `true` when the claim came from a disclosure, `false` when it is in the signed payload in
    /// clear (always visible).
    pub selectively_disclosed: bool,
}

impl std::fmt::Debug for ShownClaim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ShownClaim {{ {}: .., sd: {} }}",
            self.claim.def.name, self.selectively_disclosed
        )
    }
}

impl SdCwt {
    /// Parses a stand-alone issued SD-CWT (at most [`limits::MAX_ISSUED_BYTES`]).
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        Self::from_sign1(Sign1::parse(bytes, limits::MAX_ISSUED_BYTES)?)
    }

    /// Checks `typ` (293), `alg`, `sd_alg` and reads the payload and disclosures.
    pub fn from_sign1(sign1: Sign1) -> Result<Self> {
        match map_get_int(&sign1.protected, label::TYP) {
            Some(Value::Uint(cose::TYP_SD_CWT)) => {}
            Some(Value::Text(t)) if t == "application/sd-cwt" => {}
            _ => return Err(Error::Rejected(RejectReason::WrongMessageType)),
        }
        sign1.check_alg()?;
        match map_get_int(&sign1.protected, label::SD_ALG) {
            None => {}
            Some(v) if v.as_i64() == Some(cose::ALG_SHA256) => {}
            Some(_) => return Err(Error::Rejected(RejectReason::UnsupportedAlgorithm)),
        }
        let disclosures = match map_get_int(&sign1.unprotected, label::SD_CLAIMS) {
            None => Vec::new(),
            Some(Value::Array(a)) => {
                // The draft: an empty `sd_claims` is invalid (omit it instead).
                if a.is_empty() {
                    return Err(malformed());
                }
                if a.len() > limits::MAX_DISCLOSURES {
                    return Err(Error::Rejected(RejectReason::TooLarge));
                }
                a.iter()
                    .map(|d| Disclosure::parse(d.as_bytes().ok_or_else(malformed)?))
                    .collect::<Result<Vec<_>>>()?
            }
            Some(_) => return Err(malformed()),
        };
        let payload = sign1.payload_map(sign1.payload_raw.len())?;
        Ok(Self {
            sign1,
            payload,
            disclosures,
        })
    }

    /// The signed payload as a value (for the generic digest walker).
    pub fn payload_value(&self) -> Value {
        Value::Map(self.payload.clone())
    }

    fn claim(&self, key: i64) -> Option<&Value> {
        map_get_int(&self.payload, key)
    }

    /// `iss` (text).
    pub fn iss(&self) -> Result<&str> {
        self.claim(claim::ISS)
            .and_then(Value::as_text)
            .ok_or_else(malformed)
    }

    /// `iat` (required in our profile).
    pub fn iat(&self) -> Result<i64> {
        self.claim(claim::IAT)
            .and_then(Value::as_i64)
            .ok_or_else(malformed)
    }

    /// `exp` (required in our profile).
    pub fn exp(&self) -> Result<i64> {
        self.claim(claim::EXP)
            .and_then(Value::as_i64)
            .ok_or_else(malformed)
    }

    /// `nbf`, if any.
    pub fn nbf(&self) -> Result<Option<i64>> {
        self.claim(claim::NBF)
            .map(|v| v.as_i64().ok_or_else(malformed))
            .transpose()
    }

    /// The 8-byte issuer key id.
    pub fn kid(&self) -> Result<[u8; 8]> {
        self.sign1
            .kid()
            .and_then(|k| <[u8; 8]>::try_from(k).ok())
            .ok_or_else(malformed)
    }

    /// The credential type (private claim `"t"`).
    pub fn credential_type(&self) -> Result<CredentialType> {
        map_get(&self.payload, &Value::text(claim::TYPE))
            .and_then(Value::as_u64)
            .and_then(CredentialType::from_code)
            .ok_or_else(malformed)
    }

    /// The status list index (private claim `"s"`), if the issuer assigned one.
    pub fn status_index(&self) -> Result<Option<u64>> {
        map_get(&self.payload, &Value::text(claim::STATUS))
            .map(|v| v.as_u64().ok_or_else(malformed))
            .transpose()
    }

    /// The holder's Ed25519 key from `cnf`. A non-Ed25519 key (e.g. the draft's P-256 example)
    /// is [`RejectReason::UnsupportedAlgorithm`].
    pub fn holder_key_bytes(&self) -> Result<[u8; 32]> {
        let cnf = self
            .claim(claim::CNF)
            .and_then(Value::as_map)
            .ok_or_else(malformed)?;
        let key = map_get_int(cnf, 1)
            .and_then(Value::as_map)
            .ok_or_else(malformed)?;
        let kty = map_get_int(key, 1).and_then(Value::as_i64);
        let crv = map_get_int(key, -1).and_then(Value::as_i64);
        if kty != Some(1) || crv != Some(6) {
            return Err(Error::Rejected(RejectReason::UnsupportedAlgorithm));
        }
        map_get_int(key, -2)
            .and_then(Value::as_bytes)
            .and_then(|x| <[u8; 32]>::try_from(x).ok())
            .ok_or_else(malformed)
    }

    /// The holder key as a verified-point [`PublicKey`].
    pub fn holder_key(&self) -> Result<PublicKey> {
        PublicKey::from_bytes(&self.holder_key_bytes()?).map_err(|_| malformed())
    }

    /// The top-level Redacted Claim Hashes (the `simple(59)` array of the payload), at most
    /// [`limits::MAX_REDACTED_CLAIMS`] ([`RejectReason::TooLarge`] above).
    pub fn top_level_digests(&self) -> Result<Vec<[u8; 32]>> {
        match map_get(&self.payload, &Value::Simple(SIMPLE_REDACTED_KEYS)) {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) if a.len() > limits::MAX_REDACTED_CLAIMS => {
                Err(Error::Rejected(RejectReason::TooLarge))
            }
            Some(Value::Array(a)) => a
                .iter()
                .map(|d| {
                    d.as_bytes()
                        .and_then(|b| <[u8; 32]>::try_from(b).ok())
                        .ok_or_else(malformed)
                })
                .collect(),
            Some(_) => Err(malformed()),
        }
    }

    /// Checks every disclosure against the payload: its digest is among the top-level
    /// Redacted Claim Hashes, no disclosure appears twice, and claim disclosures carry a key
    /// (our profile redacts top-level claims only). Failures are
    /// [`RejectReason::DisclosureMismatch`].
    pub fn check_disclosures(&self) -> Result<()> {
        let digests = self.top_level_digests()?;
        let mut seen = std::collections::HashSet::new();
        for d in &self.disclosures {
            let h = d.digest();
            if !digests.contains(&h) || !seen.insert(h) {
                return Err(mismatch());
            }
            if d.value.is_some() && d.key.is_none() {
                return Err(mismatch());
            }
        }
        Ok(())
    }

    /// The claims visible in this SD-CWT: the payload's claims in clear plus every disclosed
    /// claim, in the type's display order. Call after [`check_disclosures`](Self::check_disclosures).
    ///
    /// Unknown claim keys, and a disclosed key that repeats a key in clear or another
    /// disclosure, are rejected (the draft: duplicate keys invalidate the whole SD-CWT).
    pub fn claims(&self) -> Result<Vec<ShownClaim>> {
        let ty = self.credential_type()?;
        let mut found: Vec<(&'static ClaimDef, &Value, bool)> = Vec::new();
        for (k, v) in &self.payload {
            let Value::Text(key) = k else { continue };
            if key == claim::TYPE || key == claim::STATUS {
                continue;
            }
            let def = ClaimDef::by_key(ty, key).ok_or_else(malformed)?;
            found.push((def, v, false));
        }
        for d in &self.disclosures {
            let (Some(Value::Text(key)), Some(v)) = (&d.key, &d.value) else {
                continue; // decoys
            };
            if key == claim::TYPE || key == claim::STATUS {
                return Err(mismatch());
            }
            let def = ClaimDef::by_key(ty, key).ok_or_else(malformed)?;
            if found.iter().any(|(f, _, _)| f.key == def.key) {
                return Err(mismatch());
            }
            found.push((def, v, true));
        }
        let order = crate::model::claim_names(ty);
        found.sort_by_key(|(def, _, _)| order.iter().position(|n| *n == def.name));
        found
            .into_iter()
            .map(|(def, v, sd)| {
                Ok(ShownClaim {
                    claim: ClaimValue {
                        def,
                        value: cbor_to_json(v)?,
                    },
                    selectively_disclosed: sd,
                })
            })
            .collect()
    }

    /// The same credential carrying only the disclosures at `keep` (indices into
    /// [`disclosures`](Self::disclosures)); the issuer's signed parts are unchanged.
    pub fn with_disclosures(&self, keep: &[usize]) -> Sign1 {
        let mut s = self.sign1.clone();
        s.unprotected.retain(|(k, _)| *k != Value::int(label::SD_CLAIMS));
        let chosen: Vec<Value> = keep
            .iter()
            .filter_map(|&i| self.disclosures.get(i))
            .map(Disclosure::to_value)
            .collect();
        if !chosen.is_empty() {
            s.unprotected
                .push((Value::int(label::SD_CLAIMS), Value::Array(chosen)));
        }
        s
    }
}

// ---------------------------------------------------------------------------------------------
// SD-KBT
// ---------------------------------------------------------------------------------------------

/// A structurally valid SD-KBT (no signature checked yet).
#[derive(Clone)]
pub struct Kbt {
    pub sign1: Sign1,
    /// The issuer SD-CWT from `kcwt`.
    pub cwt: SdCwt,
    pub payload: Vec<(Value, Value)>,
}

impl std::fmt::Debug for Kbt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kbt")
            .field("cwt", &self.cwt)
            .finish_non_exhaustive()
    }
}

impl Kbt {
    /// Signs a presentation of `cwt` (already reduced to the chosen disclosures).
    pub fn sign(
        holder: &SigningKey,
        cwt: &Sign1,
        aud: &str,
        iat: i64,
        exp: i64,
        nonce: Option<&[u8]>,
    ) -> Vec<u8> {
        let protected = vec![
            (Value::int(label::TYP), Value::Uint(cose::TYP_KBT)),
            (Value::int(label::KCWT), cwt.to_value()),
        ];
        let mut payload = vec![
            (Value::int(claim::AUD), Value::text(aud)),
            (Value::int(claim::EXP), Value::int(exp)),
            (Value::int(claim::IAT), Value::int(iat)),
        ];
        if let Some(n) = nonce {
            payload.push((Value::int(claim::CNONCE), Value::Bytes(n.to_vec())));
        }
        let payload = cbor::encode(&Value::sorted_map(payload));
        Sign1::sign(holder, protected, Vec::new(), payload).to_bytes()
    }

    /// Parses a presentation, checking in order: CBOR/COSE structure, the KBT's `typ` and `alg`,
    /// the embedded SD-CWT's structure, `typ`, `alg` and `sd_alg`, and the KBT payload shape.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let sign1 = Sign1::parse(bytes, limits::MAX_PRESENTATION_BYTES)?;
        match map_get_int(&sign1.protected, label::TYP) {
            Some(Value::Uint(cose::TYP_KBT)) => {}
            Some(Value::Text(t)) if t == "application/kb+cwt" => {}
            _ => return Err(Error::Rejected(RejectReason::WrongMessageType)),
        }
        sign1.check_alg()?;
        // Our presentations carry nothing unsigned.
        if !sign1.unprotected.is_empty() {
            return Err(malformed());
        }
        let kcwt = map_get_int(&sign1.protected, label::KCWT).ok_or_else(malformed)?;
        let cwt = SdCwt::from_sign1(Sign1::from_value(kcwt)?)?;
        let payload = sign1.payload_map(sign1.payload_raw.len())?;
        Ok(Self { sign1, cwt, payload })
    }

    /// Parses the draft's example KBT (non-empty unprotected header tolerated, any `alg`).
    pub fn parse_lenient(bytes: &[u8]) -> Result<Self> {
        let sign1 = Sign1::parse(bytes, limits::MAX_ISSUED_BYTES)?;
        sign1.check_typ(&Value::Uint(cose::TYP_KBT))?;
        let kcwt = map_get_int(&sign1.protected, label::KCWT).ok_or_else(malformed)?;
        let inner = Sign1::from_value(kcwt)?;
        inner.check_typ(&Value::Uint(cose::TYP_SD_CWT))?;
        let payload = inner.payload_map(inner.payload_raw.len())?;
        let disclosures = match map_get_int(&inner.unprotected, label::SD_CLAIMS) {
            Some(Value::Array(a)) if a.len() > limits::MAX_DISCLOSURES => {
                return Err(Error::Rejected(RejectReason::TooLarge))
            }
            Some(Value::Array(a)) => a
                .iter()
                .map(|d| Disclosure::parse(d.as_bytes().ok_or_else(malformed)?))
                .collect::<Result<_>>()?,
            _ => Vec::new(),
        };
        let kbt_payload = sign1.payload_map(sign1.payload_raw.len())?;
        Ok(Self {
            sign1,
            cwt: SdCwt {
                sign1: inner,
                payload,
                disclosures,
            },
            payload: kbt_payload,
        })
    }

    fn claim(&self, key: i64) -> Option<&Value> {
        map_get_int(&self.payload, key)
    }

    /// `aud` (required, 1 to [`limits::MAX_AUDIENCE_BYTES`] bytes as a presentation is made).
    pub fn aud(&self) -> Result<&str> {
        self.claim(claim::AUD)
            .and_then(Value::as_text)
            .filter(|a| !a.is_empty() && a.len() <= limits::MAX_AUDIENCE_BYTES)
            .ok_or_else(malformed)
    }

    /// `iat` (required in our profile).
    pub fn iat(&self) -> Result<i64> {
        self.claim(claim::IAT)
            .and_then(Value::as_i64)
            .ok_or_else(malformed)
    }

    /// `exp` (required in our profile: presentations are short-lived).
    pub fn exp(&self) -> Result<i64> {
        self.claim(claim::EXP)
            .and_then(Value::as_i64)
            .ok_or_else(malformed)
    }

    /// `cnonce`, if any (1 to [`limits::MAX_NONCE_BYTES`] bytes as a presentation is made).
    pub fn nonce(&self) -> Result<Option<&[u8]>> {
        self.claim(claim::CNONCE)
            .map(|v| {
                v.as_bytes()
                    .filter(|n| !n.is_empty() && n.len() <= limits::MAX_NONCE_BYTES)
                    .ok_or_else(malformed)
            })
            .transpose()
    }
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
        // A 15-byte salt is refused.
        let bad = cbor::encode(&Value::Array(vec![
            Value::Bytes(vec![0; 15]),
            Value::Null,
            Value::text("x"),
        ]));
        assert!(Disclosure::parse(&bad).is_err());
    }

    #[test]
    fn json_cbor_round_trip() {
        let j = serde_json::json!({"a": [1, -2, "x", {"b": null, "c": true}], "d": 18446744073709551615u64});
        assert_eq!(cbor_to_json(&json_to_cbor(&j).unwrap()).unwrap(), j);
        assert!(json_to_cbor(&serde_json::json!(1.5)).is_err());
        assert!(cbor_to_json(&Value::Bytes(vec![1])).is_err());
    }

    #[test]
    fn kid_and_thumbprint_are_stable() {
        let k = [7u8; 32];
        assert_eq!(kid_for(&k), kid_for(&k));
        assert_eq!(key_thumbprint(&k).len(), 32);
        assert_ne!(kid_for(&k), kid_for(&[8u8; 32]));
    }
}
