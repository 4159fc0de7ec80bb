//! The holder presentation (SD-KBT): the issuer credential with the chosen disclosures, signed
//! by the holder key for one audience, a short window and an optional counter nonce.

use super::credential::SdCwt;
use super::disclosure::Disclosure;
use crate::crypto::holder::{HolderAlg, HolderPublicKey, HolderSigner};
use crate::crypto::signing::SigningKey;
use crate::format::cbor::{self, map_get_int, Value};
use crate::format::cose::{self, label, Sign1};
use crate::format::qr_text::PresentationFormat;
use crate::format::{cwt, limits};
use crate::{Error, InputError, InputRule, RejectReason, Result};

/// A structurally valid SD-KBT (no signature checked yet).
#[derive(Clone)]
pub struct Kbt {
    /// The COSE_Sign1 the presentation travels in (holder signature, headers, raw payload).
    pub sign1: Sign1,
    /// The issuer SD-CWT from `kcwt`.
    pub cwt: SdCwt,
    /// The decoded payload (`aud`, `iat`, `exp`, optional `cnonce`).
    pub payload: Vec<(Value, Value)>,
    /// The format version it was read as (the QR prefix).
    pub format: PresentationFormat,
}

impl std::fmt::Debug for Kbt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kbt")
            .field("cwt", &self.cwt)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// An SD-KBT laid out and waiting for its holder signature: what a presentation with a signer
/// that takes its time (a biometric prompt, a secure element) is split into. Nothing secret is
/// in it; the holder signs [`to_be_signed`](Self::to_be_signed) and [`finish`](Self::finish)
/// checks that signature before it goes into a QR code.
#[derive(Clone)]
pub struct UnsignedKbt {
    sign1: Sign1,
    holder: HolderPublicKey,
}

impl std::fmt::Debug for UnsignedKbt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnsignedKbt")
            .field("alg", &self.holder.alg())
            .finish_non_exhaustive()
    }
}

impl UnsignedKbt {
    /// The COSE `Sig_structure` the holder signs (its protected header carries `typ` 294).
    pub fn to_be_signed(&self) -> Vec<u8> {
        self.sign1.to_be_signed()
    }

    /// The holder key the signature must verify with (the credential's `cnf`).
    pub fn holder(&self) -> HolderPublicKey {
        self.holder
    }

    /// The encoded SD-KBT with `signature`, after checking that it verifies with the
    /// credential's holder key: a signer that answers with something else (a DER-encoded ECDSA
    /// signature, another key's) is an error here, never a QR code the counter refuses.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] ("holder signature") for a signature that is not 64 bytes or does
    /// not verify.
    pub fn finish(mut self, signature: &[u8]) -> Result<Vec<u8>> {
        if signature.len() != 64 {
            return Err(InputError::new(
                "holder signature",
                InputRule::Format("expected 64 bytes (COSE form; ES256: r || s, not DER)"),
            )
            .into());
        }
        let key = self.holder.verifying()?;
        key.verify(
            &self.sign1.to_be_signed(),
            signature,
            RejectReason::BadHolderSignature,
        )
        .map_err(|_| {
            Error::from(InputError::new(
                "holder signature",
                InputRule::Invalid("does not verify with the credential's holder key"),
            ))
        })?;
        self.sign1.signature = signature.to_vec();
        Ok(self.sign1.to_bytes())
    }
}

impl Kbt {
    /// Lays out a format-2 presentation of `cwt` (already reduced to the chosen disclosures)
    /// for the holder key `holder`, to be signed by a [`HolderSigner`].
    ///
    /// Format 2: the protected header is `{16: 294, 13: <credential>}` (no `alg`: the `cnf`
    /// key fixes it); the payload `{3: aud, 6: iat, ? 4: exp, ? 39: nonce}` omits `exp` when it
    /// is `iat` + [`limits::DEFAULT_PRESENTATION_TTL_SECS`].
    pub fn prepare(
        holder: &HolderPublicKey,
        cwt: &Sign1,
        aud: &str,
        iat: i64,
        exp: i64,
        nonce: Option<&[u8]>,
    ) -> UnsignedKbt {
        let protected = vec![
            (Value::int(label::TYP), Value::Uint(cose::TYP_KBT)),
            (Value::int(label::KCWT), cwt.to_value()),
        ];
        let mut payload = vec![
            (Value::int(cwt::AUD), Value::text(aud)),
            (Value::int(cwt::IAT), Value::int(iat)),
        ];
        if iat.checked_add(i64::from(limits::DEFAULT_PRESENTATION_TTL_SECS)) != Some(exp) {
            payload.push((Value::int(cwt::EXP), Value::int(exp)));
        }
        if let Some(n) = nonce {
            payload.push((Value::int(cwt::CNONCE), Value::Bytes(n.to_vec())));
        }
        let payload = cbor::encode(&Value::sorted_map(payload));
        UnsignedKbt {
            sign1: Sign1::unsigned(protected, payload),
            holder: *holder,
        }
    }

    /// Signs a presentation of `cwt` with `holder` (a signer that answers at once).
    ///
    /// # Errors
    /// The signer's error; [`Error::InvalidInput`] when its signature does not verify
    /// ([`UnsignedKbt::finish`]).
    pub fn sign_with(
        holder: &dyn HolderSigner,
        cwt: &Sign1,
        aud: &str,
        iat: i64,
        exp: i64,
        nonce: Option<&[u8]>,
    ) -> Result<Vec<u8>> {
        let unsigned = Self::prepare(&holder.public_key()?, cwt, aud, iat, exp, nonce);
        let sig = holder.sign(&unsigned.to_be_signed())?;
        unsigned.finish(&sig)
    }

    /// Signs a presentation of `cwt` with an Ed25519 holder key (format 2).
    pub fn sign(
        holder: &SigningKey,
        cwt: &Sign1,
        aud: &str,
        iat: i64,
        exp: i64,
        nonce: Option<&[u8]>,
    ) -> Vec<u8> {
        let unsigned = Self::prepare(
            &HolderPublicKey::Ed25519(holder.public().to_bytes()),
            cwt,
            aud,
            iat,
            exp,
            nonce,
        );
        let mut sign1 = unsigned.sign1;
        sign1.signature = holder.sign_raw(&sign1.to_be_signed()).to_vec();
        sign1.to_bytes()
    }

    /// Signs a presentation in the **format-1** layout (`alg` in the protected header, `exp`
    /// always present): for tests of the verifier's support of version-1 codes only.
    pub fn sign_v1(
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

    /// Parses a format-2 presentation ([`parse_format`](Self::parse_format)).
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        Self::parse_format(bytes, PresentationFormat::V2)
    }

    /// Parses a presentation of format `format`, checking in order: CBOR/COSE structure, the
    /// KBT's `typ` and its `alg` (format 1: present; format 2: absent), the embedded SD-CWT's
    /// structure, `typ`, `alg` and `sd_alg`, and the KBT payload shape.
    pub fn parse_format(bytes: &[u8], format: PresentationFormat) -> Result<Self> {
        let sign1 = Sign1::parse(bytes, limits::MAX_PRESENTATION_BYTES)?;
        match map_get_int(&sign1.protected, label::TYP) {
            Some(Value::Uint(cose::TYP_KBT)) => {}
            Some(Value::Text(t)) if t == "application/kb+cwt" => {}
            _ => return Err(RejectReason::WrongMessageType.into()),
        }
        match (format, sign1.alg()) {
            (PresentationFormat::V1, _) => sign1.check_alg()?,
            (PresentationFormat::V2, None) => {}
            // One encoding per presentation: an `alg` in a format-2 KBT is refused.
            (PresentationFormat::V2, Some(_)) => return Err(RejectReason::Malformed.into()),
        }
        // Our presentations carry nothing unsigned.
        if !sign1.unprotected.is_empty() {
            return Err(RejectReason::Malformed.into());
        }
        let kcwt = map_get_int(&sign1.protected, label::KCWT).ok_or(RejectReason::Malformed)?;
        let cwt = SdCwt::from_sign1(Sign1::from_value(kcwt)?)?;
        let payload = sign1.payload_map(sign1.payload_raw.len())?;
        Ok(Self {
            sign1,
            cwt,
            payload,
            format,
        })
    }

    /// Checks the holder signature with the key in the credential's `cnf` and returns that key.
    /// Format 1 names its `alg`, which must be the key's (Ed25519: `-19` or `-8`; a format-1
    /// code with an ES256 key does not exist); format 2 takes the key's.
    ///
    /// # Errors
    /// [`RejectReason::UnsupportedAlgorithm`] for a key type or `alg` we do not verify;
    /// [`RejectReason::Malformed`] for a damaged `cnf`; [`RejectReason::BadHolderSignature`].
    pub fn verify_holder(&self) -> Result<HolderPublicKey> {
        let holder = self.cwt.holder()?;
        let key = holder.verifying().map_err(|_| RejectReason::Malformed)?;
        if self.format == PresentationFormat::V1 && key.alg() != HolderAlg::Ed25519 {
            return Err(RejectReason::UnsupportedAlgorithm.into());
        }
        key.verify(
            &self.sign1.to_be_signed(),
            &self.sign1.signature,
            RejectReason::BadHolderSignature,
        )?;
        Ok(holder)
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
            format: PresentationFormat::V1,
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

    /// `exp`: required in format 1; in format 2, when absent, `iat` plus
    /// [`limits::DEFAULT_PRESENTATION_TTL_SECS`] (presentations are short-lived either way).
    pub fn exp(&self) -> Result<i64> {
        match (self.format, self.claim(cwt::EXP)) {
            (PresentationFormat::V2, None) => self
                .iat()?
                .checked_add(i64::from(limits::DEFAULT_PRESENTATION_TTL_SECS))
                .ok_or(RejectReason::Malformed.into()),
            _ => super::int_claim(&self.payload, cwt::EXP),
        }
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
