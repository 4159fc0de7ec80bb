//! The holder presentation (SD-KBT): the issuer credential with the chosen disclosures, signed
//! by the holder key for one audience, a short window and an optional counter nonce.

use super::credential::SdCwt;
use super::disclosure::Disclosure;
use crate::crypto::signing::SigningKey;
use crate::format::cbor::{self, map_get_int, Value};
use crate::format::cose::{self, label, Sign1};
use crate::format::{cwt, limits};
use crate::{RejectReason, Result};

/// A structurally valid SD-KBT (no signature checked yet).
#[derive(Clone)]
pub struct Kbt {
    /// The COSE_Sign1 the presentation travels in (holder signature, headers, raw payload).
    pub sign1: Sign1,
    /// The issuer SD-CWT from `kcwt`.
    pub cwt: SdCwt,
    /// The decoded payload (`aud`, `iat`, `exp`, optional `cnonce`).
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
            (Value::int(cwt::AUD), Value::text(aud)),
            (Value::int(cwt::EXP), Value::int(exp)),
            (Value::int(cwt::IAT), Value::int(iat)),
        ];
        if let Some(n) = nonce {
            payload.push((Value::int(cwt::CNONCE), Value::Bytes(n.to_vec())));
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
            _ => return Err(RejectReason::WrongMessageType.into()),
        }
        sign1.check_alg()?;
        // Our presentations carry nothing unsigned.
        if !sign1.unprotected.is_empty() {
            return Err(RejectReason::Malformed.into());
        }
        let kcwt = map_get_int(&sign1.protected, label::KCWT).ok_or(RejectReason::Malformed)?;
        let cwt = SdCwt::from_sign1(Sign1::from_value(kcwt)?)?;
        let payload = sign1.payload_map(sign1.payload_raw.len())?;
        Ok(Self { sign1, cwt, payload })
    }

    /// Parses the draft's example KBT (non-empty unprotected header tolerated, any `alg`).
    pub fn parse_lenient(bytes: &[u8]) -> Result<Self> {
        let sign1 = Sign1::parse(bytes, limits::MAX_ISSUED_BYTES)?;
        sign1.check_typ(&Value::Uint(cose::TYP_KBT))?;
        let kcwt = map_get_int(&sign1.protected, label::KCWT).ok_or(RejectReason::Malformed)?;
        let inner = Sign1::from_value(kcwt)?;
        inner.check_typ(&Value::Uint(cose::TYP_SD_CWT))?;
        let payload = inner.payload_map(inner.payload_raw.len())?;
        let disclosures = match map_get_int(&inner.unprotected, label::SD_CLAIMS) {
            Some(Value::Array(a)) => Disclosure::parse_list(a)?,
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
        self.claim(cwt::AUD)
            .and_then(Value::as_text)
            .filter(|a| !a.is_empty() && a.len() <= limits::MAX_AUDIENCE_BYTES)
            .ok_or(RejectReason::Malformed.into())
    }

    /// `iat` (required in our profile).
    pub fn iat(&self) -> Result<i64> {
        super::int_claim(&self.payload, cwt::IAT)
    }

    /// `exp` (required in our profile: presentations are short-lived).
    pub fn exp(&self) -> Result<i64> {
        super::int_claim(&self.payload, cwt::EXP)
    }

    /// `cnonce`, if any (1 to [`limits::MAX_NONCE_BYTES`] bytes as a presentation is made).
    pub fn nonce(&self) -> Result<Option<&[u8]>> {
        self.claim(cwt::CNONCE)
            .map(|v| {
                v.as_bytes()
                    .filter(|n| !n.is_empty() && n.len() <= limits::MAX_NONCE_BYTES)
                    .ok_or(RejectReason::Malformed.into())
            })
            .transpose()
    }
}
