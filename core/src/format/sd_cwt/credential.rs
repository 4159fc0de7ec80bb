//! The issuer credential (SD-CWT): parsing and checking its structure, reading its claims, and
//! keeping only the disclosures a holder chose.

use super::disclosure::Disclosure;
use crate::crypto::holder::HolderPublicKey;
use crate::crypto::signing::PublicKey;
use crate::format::cbor::{map_get, map_get_int, Value, SIMPLE_REDACTED_KEYS};
use crate::format::compact::decode_claim;
use crate::format::cose::{self, key, label, Sign1};
use crate::format::{cwt, limits};
use crate::model::{ClaimDef, ClaimValue, CredentialType};
use crate::{RejectReason, Result};

/// A structurally valid SD-CWT (signature **not** yet checked).
#[derive(Clone)]
pub struct SdCwt {
    /// The COSE_Sign1 the credential travels in (issuer signature, headers, raw payload).
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
    /// The claim and its value, by the model's claim registry.
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
            _ => return Err(RejectReason::WrongMessageType.into()),
        }
        sign1.check_alg()?;
        match map_get_int(&sign1.protected, label::SD_ALG) {
            None => {}
            Some(v) if v.as_i64() == Some(cose::ALG_SHA256) => {}
            Some(_) => return Err(RejectReason::UnsupportedAlgorithm.into()),
        }
        let disclosures = match map_get_int(&sign1.unprotected, label::SD_CLAIMS) {
            None => Vec::new(),
            Some(Value::Array(a)) => {
                // The draft: an empty `sd_claims` is invalid (omit it instead).
                if a.is_empty() {
                    return Err(RejectReason::Malformed.into());
                }
                Disclosure::parse_list(a)?
            }
            Some(_) => return Err(RejectReason::Malformed.into()),
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
        self.iss_if_any()?.ok_or(RejectReason::Malformed.into())
    }

    /// `iss`, if present: credentials issued for presentation format 2 carry neither `iss` nor
    /// a `kid` (16 bytes less in every QR); the verifier finds their issuer among the trust
    /// list's issuers of the credential's type, by signature. Not text is
    /// [`RejectReason::Malformed`].
    pub fn iss_if_any(&self) -> Result<Option<&str>> {
        self.claim(cwt::ISS)
            .map(|v| v.as_text().ok_or(RejectReason::Malformed.into()))
            .transpose()
    }

    /// `iat` (required in our profile).
    pub fn iat(&self) -> Result<i64> {
        super::int_claim(&self.payload, cwt::IAT)
    }

    /// `exp` (required in our profile).
    pub fn exp(&self) -> Result<i64> {
        super::int_claim(&self.payload, cwt::EXP)
    }

    /// `nbf`, if any.
    pub fn nbf(&self) -> Result<Option<i64>> {
        self.claim(cwt::NBF)
            .map(|v| v.as_i64().ok_or(RejectReason::Malformed.into()))
            .transpose()
    }

    /// The 8-byte issuer key id.
    pub fn kid(&self) -> Result<[u8; 8]> {
        self.kid_if_any()?.ok_or(RejectReason::Malformed.into())
    }

    /// The 8-byte issuer key id, if the credential names one: credentials issued for
    /// presentation format 2 carry none (10 bytes less in every QR; the issuer is found by
    /// `iss` in the trust list instead). A `kid` of another length is
    /// [`RejectReason::Malformed`].
    pub fn kid_if_any(&self) -> Result<Option<[u8; 8]>> {
        self.sign1
            .kid()
            .map(|k| <[u8; 8]>::try_from(k).map_err(|_| RejectReason::Malformed.into()))
            .transpose()
    }

    /// The credential type (private claim `"t"`).
    pub fn credential_type(&self) -> Result<CredentialType> {
        map_get(&self.payload, &Value::text(cwt::TYPE))
            .and_then(Value::as_u64)
            .and_then(CredentialType::from_code)
            .ok_or(RejectReason::Malformed.into())
    }

    /// The status list index (private claim `"s"`), if the issuer assigned one.
    pub fn status_index(&self) -> Result<Option<u64>> {
        map_get(&self.payload, &Value::text(cwt::STATUS))
            .map(|v| v.as_u64().ok_or(RejectReason::Malformed.into()))
            .transpose()
    }

    /// The holder's Ed25519 key from `cnf`. A non-Ed25519 key (e.g. the draft's P-256 example)
    /// is [`RejectReason::UnsupportedAlgorithm`].
    pub fn holder_key_bytes(&self) -> Result<[u8; 32]> {
        key::ed25519_from_cnf(self.claim(cwt::CNF).ok_or(RejectReason::Malformed)?)
    }

    /// The holder key from `cnf`: Ed25519 or P-256 (compressed), see
    /// [`crate::format::cose::key`].
    pub fn holder(&self) -> Result<HolderPublicKey> {
        key::holder_from_cnf(self.claim(cwt::CNF).ok_or(RejectReason::Malformed)?)
    }

    /// The holder key as a verified-point [`PublicKey`].
    pub fn holder_key(&self) -> Result<PublicKey> {
        PublicKey::from_bytes(&self.holder_key_bytes()?).map_err(|_| RejectReason::Malformed.into())
    }

    /// The top-level Redacted Claim Hashes (the `simple(59)` array of the payload), at most
    /// [`limits::MAX_REDACTED_CLAIMS`] ([`RejectReason::TooLarge`] above).
    pub fn top_level_digests(&self) -> Result<Vec<[u8; 32]>> {
        match map_get(&self.payload, &Value::Simple(SIMPLE_REDACTED_KEYS)) {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) if a.len() > limits::MAX_REDACTED_CLAIMS => {
                Err(RejectReason::TooLarge.into())
            }
            Some(Value::Array(a)) => a
                .iter()
                .map(|d| {
                    d.as_bytes()
                        .and_then(|b| <[u8; 32]>::try_from(b).ok())
                        .ok_or(RejectReason::Malformed.into())
                })
                .collect(),
            Some(_) => Err(RejectReason::Malformed.into()),
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
                return Err(RejectReason::DisclosureMismatch.into());
            }
            if d.value.is_some() && d.key.is_none() {
                return Err(RejectReason::DisclosureMismatch.into());
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
            if key == cwt::TYPE || key == cwt::STATUS {
                continue;
            }
            let def = ClaimDef::by_key(ty, key).ok_or(RejectReason::Malformed)?;
            found.push((def, v, false));
        }
        for d in &self.disclosures {
            let (Some(Value::Text(key)), Some(v)) = (&d.key, &d.value) else {
                continue; // decoys
            };
            if key == cwt::TYPE || key == cwt::STATUS {
                return Err(RejectReason::DisclosureMismatch.into());
            }
            let def = ClaimDef::by_key(ty, key).ok_or(RejectReason::Malformed)?;
            if found.iter().any(|(f, _, _)| f.key == def.key) {
                return Err(RejectReason::DisclosureMismatch.into());
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
                        value: decode_claim(def, v)?,
                    },
                    selectively_disclosed: sd,
                })
            })
            .collect()
    }

    /// Checks that the unprotected (unsigned) header carries only what this format puts there:
    /// the issuer's `kid` (label 4, when not protected) and the disclosures (`sd_claims`, 17),
    /// each checked against the signed payload. Any other label is data nobody signed, which a
    /// relay could add to a credential and which would then travel, holder-signed, inside every
    /// presentation: [`RejectReason::UnsignedData`]. The wallet's import and the verifier call
    /// this; the parser itself stays tolerant (the SD-CWT draft's examples, credentials stored
    /// before this check).
    pub fn check_unprotected(&self) -> Result<()> {
        let allowed = [Value::int(label::KID), Value::int(label::SD_CLAIMS)];
        if self.sign1.unprotected.iter().all(|(k, _)| allowed.contains(k)) {
            Ok(())
        } else {
            Err(RejectReason::UnsignedData.into())
        }
    }

    /// The same credential carrying only the disclosures at `keep` (indices into
    /// [`disclosures`](Self::disclosures)); the issuer's signed parts are unchanged. Of the
    /// unprotected header only an unprotected `kid` is kept besides the chosen disclosures:
    /// a presentation never carries other unsigned labels, even of a credential stored before
    /// import refused them ([`check_unprotected`](Self::check_unprotected)).
    pub fn with_disclosures(&self, keep: &[usize]) -> Sign1 {
        let mut s = self.sign1.clone();
        s.unprotected.retain(|(k, _)| *k == Value::int(label::KID));
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
