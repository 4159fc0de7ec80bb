//! Presentations: the holder chooses claims, signs a short-lived SD-KBT, and gets QR text.
//!
//! What the verifier sees:
//!
//! * the claims the holder chose, among the credential's **selectively disclosable** ones (each
//!   chosen claim's disclosure is kept, the others are dropped: their values stay hidden, only
//!   their salted digests remain in the signed credential);
//! * **always** the claims the issuer signed in clear (not redacted). For the clinic check-in
//!   credential these are all four claims (name, date of birth, ID number, BHYT code): the
//!   issuer pre-selected them for the counter, which is what keeps the QR small.
//!   [`Presentation::always_visible`] lists them so an app can tell the citizen.
//!
//! The presentation is bound to the holder key in the credential's `cnf`, to an audience (a
//! counter id, or [`OFFLINE_AUDIENCE`] for a counter that announces none), to an optional
//! counter nonce, and to a short validity window ([`DEFAULT_TTL_SECS`]): a one-way QR can be
//! photographed and replayed, so it expires quickly.
//!
//! A presentation that would not fit a QR code a phone camera reads (version
//! [`qr::MAX_READABLE_VERSION`] at ECC M) is refused with [`Error::QrTooLarge`] naming the size,
//! never turned into an unreadable code.

use crate::crypto::holder::{HolderPublicKey, HolderSigner};
use crate::crypto::signing::SigningKey;
use crate::format::cbor::Value;
use crate::format::limits;
use crate::format::qr_text;
use crate::format::sd_cwt::{Kbt, SdCwt, UnsignedKbt};
use crate::model::{claim_names, resolve_claim_names, ClaimDef, CredentialType};
use crate::qr::{self, Ecc, QrMatrix};
use crate::{Error, InputError, InputRule, Result};

/// The audience of a presentation made without a counter id.
pub const OFFLINE_AUDIENCE: &str = "offline";
/// Default presentation lifetime: two minutes.
pub const DEFAULT_TTL_SECS: u32 = limits::DEFAULT_PRESENTATION_TTL_SECS;

/// What the holder wants to show.
#[derive(Clone, PartialEq, Eq)]
pub struct PresentationRequest {
    /// The wallet's id of the credential.
    pub credential_id: String,
    /// Claim names (`full_name`, `dob`...) to disclose among the selectively disclosable ones.
    pub claims: Vec<String>,
    /// The counter id, or `None` for [`OFFLINE_AUDIENCE`].
    pub audience: Option<String>,
    /// The counter's challenge, if it showed one.
    pub nonce: Option<Vec<u8>>,
    /// Lifetime in seconds (default [`DEFAULT_TTL_SECS`], at most 600).
    pub ttl_secs: Option<u32>,
}

impl std::fmt::Debug for PresentationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PresentationRequest")
            .field("claims", &self.claims)
            .field("audience", &self.audience)
            .field("ttl_secs", &self.ttl_secs)
            .finish_non_exhaustive()
    }
}

/// A ready-to-show presentation.
#[derive(Clone, PartialEq)]
pub struct Presentation {
    /// `VN2:` + base45 of the SD-KBT (presentation format 2).
    pub qr_text: String,
    /// Size of the SD-KBT in bytes.
    pub bytes: usize,
    /// The smallest QR version holding `qr_text` at ECC M.
    pub qr_version: u8,
    /// The QR modules, for apps that draw the code themselves.
    pub qr: QrMatrix,
    /// Selectively disclosable claims shown (names).
    pub disclosed: Vec<String>,
    /// Claims signed in clear by the issuer: shown in every presentation (names).
    pub always_visible: Vec<String>,
    /// The audience the presentation is bound to.
    pub audience: String,
    /// Unix seconds after which verifiers reject it.
    pub expires_at: i64,
}

impl std::fmt::Debug for Presentation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presentation")
            .field("bytes", &self.bytes)
            .field("qr_version", &self.qr_version)
            .field("disclosed", &self.disclosed)
            .field("always_visible", &self.always_visible)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A presentation laid out and waiting for the holder's signature: for a holder key behind a
/// signer that takes its time (a key in the Secure Enclave or StrongBox, behind a biometric
/// prompt). [`Wallet::prepare_presentation`](crate::Wallet::prepare_presentation) makes it; the
/// app has [`to_be_signed`](Self::to_be_signed) signed by the key in the credential's `cnf`
/// ([`holder`](Self::holder)) and calls [`finish`](Self::finish). Nothing is locked or held
/// open meanwhile: a signer that never answers blocks nothing, and a pending presentation that
/// is dropped leaves no trace. Its lifetime runs from when it was prepared: finish well within
/// [`DEFAULT_TTL_SECS`].
#[derive(Clone)]
pub struct PendingPresentation {
    unsigned: UnsignedKbt,
    meta: Meta,
}

impl std::fmt::Debug for PendingPresentation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingPresentation")
            .field("alg", &self.unsigned.holder().alg())
            .field("disclosed", &self.meta.disclosed)
            .field("expires_at", &self.meta.expires_at)
            .finish_non_exhaustive()
    }
}

impl PendingPresentation {
    /// The bytes to sign: the SD-KBT's COSE `Sig_structure` (its `typ` 294 keeps the signature
    /// from serving as any other kind of message). ES256 signers hash it with SHA-256 and
    /// return `r || s` (64 bytes, not DER); Ed25519 signers sign it as is.
    pub fn to_be_signed(&self) -> Vec<u8> {
        self.unsigned.to_be_signed()
    }

    /// The holder key that must sign (the credential's `cnf`).
    pub fn holder(&self) -> HolderPublicKey {
        self.unsigned.holder()
    }

    /// The presentation, once `signature` verifies with [`holder`](Self::holder).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] ("holder signature") for a signature that is not 64 bytes or
    /// does not verify; [`Error::QrTooLarge`].
    pub fn finish(self, signature: &[u8]) -> Result<Presentation> {
        let kbt = self.unsigned.finish(signature)?;
        into_presentation(kbt, self.meta)
    }
}

#[derive(Clone)]
struct Meta {
    disclosed: Vec<String>,
    always_visible: Vec<String>,
    audience: String,
    expires_at: i64,
}

/// The claims of an issued credential that the holder may show or hide (the issuer made them
/// selectively disclosable), by name in display order: what a claim picker offers. Every other
/// claim with a value is always visible in a presentation.
///
/// # Errors
/// [`Error::Rejected`] when the stored credential does not parse.
pub(crate) fn disclosable_claims(issued_sd_cwt: &[u8]) -> Result<Vec<String>> {
    let cwt = SdCwt::parse(issued_sd_cwt)?;
    Ok(claims_with(cwt.credential_type()?, |key| {
        cwt.disclosures
            .iter()
            .any(|d| d.key.as_ref().and_then(Value::as_text) == Some(key))
    }))
}

/// The claim names of `ty`, in display order, whose compact key `has` says the credential carries.
fn claims_with(ty: CredentialType, has: impl Fn(&str) -> bool) -> Vec<String> {
    claim_names(ty)
        .iter()
        .filter_map(|n| ClaimDef::by_name(n))
        .filter(|d| has(d.key))
        .map(|d| d.name.to_owned())
        .collect()
}

/// Builds the SD-KBT bytes presenting `claims` of the issued credential `issued_sd_cwt` (with
/// all its disclosures, as the wallet stores it).
///
/// # Errors
/// [`Error::InvalidInput`] when the credential is bound to another holder key, a claim name is
/// unknown for its type or has no value in it, or the audience, nonce or ttl is out of range;
/// [`Error::Rejected`] when the stored credential does not parse.
pub fn build_presentation(
    issued_sd_cwt: &[u8],
    holder_key: &SigningKey,
    claims: &[String],
    aud: Option<&str>,
    nonce: Option<&[u8]>,
    now: i64,
    ttl_secs: Option<u32>,
) -> Result<Vec<u8>> {
    build_presentation_with(issued_sd_cwt, holder_key, claims, aud, nonce, now, ttl_secs)
}

/// [`build_presentation`] with any [`HolderSigner`] (Ed25519 or ES256).
///
/// # Errors
/// As [`build_presentation`], and the signer's own errors.
pub fn build_presentation_with(
    issued_sd_cwt: &[u8],
    signer: &dyn HolderSigner,
    claims: &[String],
    aud: Option<&str>,
    nonce: Option<&[u8]>,
    now: i64,
    ttl_secs: Option<u32>,
) -> Result<Vec<u8>> {
    let (p, sig) = prepare_and_sign(issued_sd_cwt, signer, claims, aud, nonce, now, ttl_secs)?;
    p.unsigned.finish(&sig)
}

/// [`build_presentation`], then the QR text, checked to fit a readable QR code.
///
/// # Errors
/// As [`build_presentation`], and [`Error::QrTooLarge`] when the QR would exceed version
/// [`qr::MAX_READABLE_VERSION`] at ECC M.
pub fn present(
    issued_sd_cwt: &[u8],
    holder_key: &SigningKey,
    claims: &[String],
    aud: Option<&str>,
    nonce: Option<&[u8]>,
    now: i64,
    ttl_secs: Option<u32>,
) -> Result<Presentation> {
    present_with(issued_sd_cwt, holder_key, claims, aud, nonce, now, ttl_secs)
}

/// [`present`] with any [`HolderSigner`].
///
/// # Errors
/// As [`present`], and the signer's own errors.
pub(crate) fn present_with(
    issued_sd_cwt: &[u8],
    signer: &dyn HolderSigner,
    claims: &[String],
    aud: Option<&str>,
    nonce: Option<&[u8]>,
    now: i64,
    ttl_secs: Option<u32>,
) -> Result<Presentation> {
    let (p, sig) = prepare_and_sign(issued_sd_cwt, signer, claims, aud, nonce, now, ttl_secs)?;
    p.finish(&sig)
}

/// [`prepare`] for `signer`'s key, and its signature: what [`build_presentation_with`] and
/// [`present_with`] finish, as bytes or as a QR.
fn prepare_and_sign(
    issued_sd_cwt: &[u8],
    signer: &dyn HolderSigner,
    claims: &[String],
    aud: Option<&str>,
    nonce: Option<&[u8]>,
    now: i64,
    ttl_secs: Option<u32>,
) -> Result<(PendingPresentation, Vec<u8>)> {
    let p = prepare(
        issued_sd_cwt,
        Some(&signer.public_key()?),
        claims,
        aud,
        nonce,
        now,
        ttl_secs,
    )?;
    let sig = signer.sign(&p.to_be_signed())?;
    Ok((p, sig))
}

fn into_presentation(kbt: Vec<u8>, meta: Meta) -> Result<Presentation> {
    let qr_text = qr_text::encode_presentation(&kbt);
    let matrix = qr::fit(&qr_text, Ecc::M, qr::MAX_READABLE_VERSION).map_err(|e| match e {
        Error::QrTooLarge {
            needed_version,
            max_version,
            ..
        } => Error::QrTooLarge {
            bytes: kbt.len(),
            needed_version,
            max_version,
        },
        other => other,
    })?;
    Ok(Presentation {
        bytes: kbt.len(),
        qr_version: matrix.version,
        qr: matrix,
        qr_text,
        disclosed: meta.disclosed,
        always_visible: meta.always_visible,
        audience: meta.audience,
        expires_at: meta.expires_at,
    })
}

/// Lays out a presentation of `issued`. With `holder`, the credential must be bound to that
/// key ([`InputRule::OtherHolder`] otherwise); without, to whatever key its `cnf` names.
pub(crate) fn prepare(
    issued: &[u8],
    holder: Option<&HolderPublicKey>,
    claims: &[String],
    aud: Option<&str>,
    nonce: Option<&[u8]>,
    now: i64,
    ttl_secs: Option<u32>,
) -> Result<PendingPresentation> {
    let cwt = SdCwt::parse(issued)?;
    let bound = cwt.holder()?;
    if holder.is_some_and(|h| *h != bound) {
        return Err(InputError::new("credential", InputRule::OtherHolder).into());
    }
    cwt.check_disclosures()?;
    let ty = cwt.credential_type()?;
    let aud = aud.unwrap_or(OFFLINE_AUDIENCE);
    if aud.is_empty() || aud.len() > limits::MAX_AUDIENCE_BYTES {
        return Err(InputError::new("audience", InputRule::Range("must be 1 to 128 bytes")).into());
    }
    if nonce.is_some_and(|n| n.is_empty() || n.len() > limits::MAX_NONCE_BYTES) {
        return Err(InputError::new("nonce", InputRule::Range("must be 1 to 64 bytes")).into());
    }
    let ttl = ttl_secs.unwrap_or(DEFAULT_TTL_SECS);
    if ttl == 0 || ttl > limits::MAX_PRESENTATION_TTL_SECS {
        return Err(InputError::new("ttl", InputRule::Range("must be 1 to 600 seconds")).into());
    }

    let mut keep = Vec::new();
    let mut disclosed = Vec::new();
    for def in resolve_claim_names(ty, claims)? {
        let key = crate::format::cbor::Value::text(def.key);
        if let Some(i) = cwt.disclosures.iter().position(|d| d.key.as_ref() == Some(&key)) {
            if !keep.contains(&i) {
                keep.push(i);
                disclosed.push(def.name.to_owned());
            }
        } else if !cwt.payload.iter().any(|(k, _)| *k == key) {
            return Err(InputError::new(
                "claims",
                InputRule::Invalid("the credential has no value for a chosen claim"),
            )
            .into());
        }
    }
    let always_visible = claims_with(ty, |key| {
        cwt.payload.iter().any(|(k, _)| k.as_text() == Some(key))
    });
    let reduced = cwt.with_disclosures(&keep);
    let exp = now.saturating_add(i64::from(ttl));
    Ok(PendingPresentation {
        unsigned: Kbt::prepare(&bound, &reduced, aud, now, exp, nonce),
        meta: Meta {
            disclosed,
            always_visible,
            audience: aud.to_owned(),
            expires_at: exp,
        },
    })
}
