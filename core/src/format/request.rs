//! A reader's request QR: what a counter asks a citizen's wallet to present, signed with the
//! reader key the trust list certifies ([`crate::trust::TrustedReader`]).
//!
//! ```text
//! "VN1R:" || base45( 18([ << {1: -19, 4: h'<reader kid>', 16: "application/cw-request+cwt"} >>, {},
//!     << {4: exp, 6: iat, 39: h'<16-byte nonce>', "t": type code, "c": ["fn", "bd", ...],
//!         "p": purpose code} >>,
//!     h'<reader signature>' ]) )
//! ```
//!
//! Its own prefix (`VN1R:`, never taken for a `VN1:` presentation) and its own COSE `typ`, so a
//! reader signature can never be taken for a credential, presentation or list, nor theirs for a
//! request. Claims travel as their compact keys ([`crate::model::ClaimDef::key`]); the type and
//! purpose as their codes. The payload must have exactly these six entries. This module reads
//! the structure only: who the reader is, whether it may ask this, and the times are
//! [`crate::ReaderRequest`]'s checks.

use super::cbor::{self, map_get, Value};
use super::cose::{label, Sign1, TYP_REQUEST};
use super::{base45, cwt, limits};
use crate::crypto::signing::SigningKey;
use crate::{RejectReason, Result};

/// Prefix of a reader's request QR (format version 1).
pub const REQUEST_PREFIX: &str = "VN1R:";
/// Length of a request's nonce.
pub const NONCE_BYTES: usize = 16;
/// Private claim: the credential type code asked for.
const TYPE: &str = cwt::TYPE;
/// Private claim: the compact keys of the claims asked for.
const CLAIMS: &str = "c";
/// Private claim: the purpose code.
const PURPOSE: &str = "p";

/// The signed content of a request.
#[derive(Clone, PartialEq, Eq)]
pub struct RequestFields {
    /// The counter's fresh challenge; the answer carries it as `cnonce`.
    pub nonce: [u8; NONCE_BYTES],
    /// The credential type code asked for.
    pub type_code: u64,
    /// Compact keys of the claims asked for, in the reader's order.
    pub claim_keys: Vec<String>,
    /// The purpose code.
    pub purpose_code: u64,
    /// When the reader signed it (Unix seconds).
    pub iat: i64,
    /// When it expires (Unix seconds).
    pub exp: i64,
}

impl std::fmt::Debug for RequestFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestFields")
            .field("type_code", &self.type_code)
            .field("claim_keys", &self.claim_keys)
            .field("purpose_code", &self.purpose_code)
            .field("iat", &self.iat)
            .field("exp", &self.exp)
            .finish_non_exhaustive()
    }
}

/// A structurally valid request (signature not checked yet).
#[derive(Debug, Clone)]
pub struct SignedRequest {
    /// The COSE_Sign1 (the reader's signature, headers, raw payload).
    pub sign1: Sign1,
    /// The reader's key id from the protected header.
    pub kid: [u8; 8],
    /// The signed content.
    pub fields: RequestFields,
}

/// Signs a request with the reader key whose id is `kid`.
pub fn sign(key: &SigningKey, kid: [u8; 8], f: &RequestFields) -> Vec<u8> {
    let payload = cbor::encode(&Value::sorted_map(vec![
        (Value::int(cwt::EXP), Value::int(f.exp)),
        (Value::int(cwt::IAT), Value::int(f.iat)),
        (Value::int(cwt::CNONCE), Value::Bytes(f.nonce.to_vec())),
        (Value::text(TYPE), Value::Uint(f.type_code)),
        (
            Value::text(CLAIMS),
            Value::Array(f.claim_keys.iter().map(|k| Value::text(k.clone())).collect()),
        ),
        (Value::text(PURPOSE), Value::Uint(f.purpose_code)),
    ]));
    let protected = vec![
        (Value::int(label::TYP), Value::text(TYP_REQUEST)),
        (Value::int(label::KID), Value::Bytes(kid.to_vec())),
    ];
    Sign1::sign(key, protected, Vec::new(), payload).to_bytes()
}

/// Parses a signed request: CBOR/COSE structure and size, `typ`, `alg`, the reader `kid` and
/// the payload's six entries.
///
/// # Errors
/// [`RejectReason::TooLarge`] past [`limits::MAX_REQUEST_BYTES`];
/// [`RejectReason::WrongMessageType`] for another kind of signed data;
/// [`RejectReason::UnsupportedAlgorithm`]; [`RejectReason::Malformed`] for anything else.
pub fn parse(bytes: &[u8]) -> Result<SignedRequest> {
    if bytes.len() > limits::MAX_REQUEST_BYTES {
        return Err(RejectReason::TooLarge.into());
    }
    let sign1 = Sign1::parse(bytes, limits::MAX_REQUEST_BYTES)?;
    sign1.check_typ(&Value::text(TYP_REQUEST))?;
    sign1.check_alg()?;
    if !sign1.unprotected.is_empty() {
        return Err(RejectReason::Malformed.into());
    }
    let kid: [u8; 8] = cbor::map_get_int(&sign1.protected, label::KID)
        .and_then(Value::as_bytes)
        .and_then(|b| b.try_into().ok())
        .ok_or(RejectReason::Malformed)?;
    let p = sign1.payload_map(sign1.payload_raw.len())?;
    if p.len() != 6 {
        return Err(RejectReason::Malformed.into());
    }
    let get = |k: Value| map_get(&p, &k).ok_or(RejectReason::Malformed);
    let nonce: [u8; NONCE_BYTES] = get(Value::int(cwt::CNONCE))?
        .as_bytes()
        .and_then(|b| b.try_into().ok())
        .ok_or(RejectReason::Malformed)?;
    let claims = get(Value::text(CLAIMS))?
        .as_array()
        .ok_or(RejectReason::Malformed)?;
    if claims.is_empty() || claims.len() > limits::MAX_DISCLOSURES {
        return Err(RejectReason::Malformed.into());
    }
    let claim_keys = claims
        .iter()
        .map(|c| {
            c.as_text()
                .map(str::to_owned)
                .ok_or(RejectReason::Malformed.into())
        })
        .collect::<Result<Vec<_>>>()?;
    let fields = RequestFields {
        nonce,
        type_code: get(Value::text(TYPE))?.as_u64().ok_or(RejectReason::Malformed)?,
        claim_keys,
        purpose_code: get(Value::text(PURPOSE))?
            .as_u64()
            .ok_or(RejectReason::Malformed)?,
        iat: get(Value::int(cwt::IAT))?
            .as_i64()
            .ok_or(RejectReason::Malformed)?,
        exp: get(Value::int(cwt::EXP))?
            .as_i64()
            .ok_or(RejectReason::Malformed)?,
    };
    Ok(SignedRequest { sign1, kid, fields })
}

/// The QR text of a signed request.
pub fn encode_text(bytes: &[u8]) -> String {
    format!("{REQUEST_PREFIX}{}", base45::encode(bytes))
}

/// The signed request inside a `VN1R:` text (surrounding whitespace ignored).
///
/// # Errors
/// [`RejectReason::TooLarge`] past [`limits::MAX_REQUEST_TEXT_CHARS`];
/// [`RejectReason::NotOurFormat`] for another prefix (a `VN1:` presentation included);
/// [`RejectReason::Malformed`] for bad base45.
pub fn decode_text(text: &str) -> Result<Vec<u8>> {
    if text.len() > limits::MAX_REQUEST_TEXT_CHARS + 16 {
        return Err(RejectReason::TooLarge.into());
    }
    let text = text.trim();
    if text.len() > limits::MAX_REQUEST_TEXT_CHARS {
        return Err(RejectReason::TooLarge.into());
    }
    let body = text
        .strip_prefix(REQUEST_PREFIX)
        .ok_or(RejectReason::NotOurFormat)?;
    base45::decode(body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::format::cose::TYP_KBT;
    use crate::Error;

    fn fields() -> RequestFields {
        RequestFields {
            nonce: [7; NONCE_BYTES],
            type_code: 5,
            claim_keys: vec!["fn".into(), "bd".into()],
            purpose_code: 1,
            iat: 1000,
            exp: 1300,
        }
    }

    #[test]
    fn round_trip_and_domain_separation() {
        let k = SigningKey::from_seed(&[3; 32]).unwrap();
        let bytes = sign(&k, [1; 8], &fields());
        let text = encode_text(&bytes);
        assert!(text.starts_with("VN1R:"));
        let r = parse(&decode_text(&format!("{text}\n")).unwrap()).unwrap();
        assert_eq!(r.fields, fields());
        assert_eq!(r.kid, [1; 8]);
        r.sign1
            .verify(&k.public(), RejectReason::BadReaderSignature)
            .unwrap();
        // A presentation's text or signed data is not a request, and a request's text is not a
        // presentation's.
        assert!(matches!(
            decode_text("VN1:ABC"),
            Err(Error::Rejected(RejectReason::NotOurFormat))
        ));
        assert!(matches!(
            crate::format::qr_text::decode_presentation(&text),
            Err(Error::Rejected(RejectReason::NotOurFormat))
        ));
        let kbt_like = Sign1::sign(
            &k,
            vec![(Value::int(label::TYP), Value::Uint(TYP_KBT))],
            vec![],
            cbor::encode(&Value::sorted_map(vec![])),
        )
        .to_bytes();
        assert!(matches!(
            parse(&kbt_like),
            Err(Error::Rejected(RejectReason::WrongMessageType))
        ));
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            if let Ok(r) = parse(&b) {
                assert!(r
                    .sign1
                    .verify(&k.public(), RejectReason::BadReaderSignature)
                    .is_err());
            }
        }
        assert!(matches!(
            parse(&vec![0; limits::MAX_REQUEST_BYTES + 1]),
            Err(Error::Rejected(RejectReason::TooLarge))
        ));
    }
}
