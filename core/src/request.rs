//! The two-way exchange at a counter with a screen: the counter shows a **request QR** signed
//! with its reader key, the citizen's wallet checks it and answers with a presentation bound to
//! the request.
//!
//! * The counter ([`crate::Verifier::make_request`]) signs what it asks for — a credential type,
//!   the claims, a purpose code, a fresh 16-byte nonce, a lifetime of at most ten minutes — as
//!   `VN1R:` text ([`CounterRequest`]) and remembers the nonce in its state.
//! * The wallet ([`crate::Wallet::read_request`], or [`ReaderRequest::read`] with any clock)
//!   checks the request against the trust list — the reader is certified
//!   ([`crate::trust::TrustedReader`]), the signature is its key's, the reader's window and the
//!   request's times hold, and the request stays within the reader's **role**
//!   ([`crate::trust::ReaderRole`]) — and shows who asks, for what, why and until when
//!   ([`ReaderRequest::summary_in`]). Every refusal is a typed [`RejectReason`] with a vi/en
//!   sentence.
//! * The wallet answers ([`crate::Wallet::answer_request`]) with a presentation bound to the
//!   reader id as audience and to the nonce, disclosing the asked claims or a subset the
//!   citizen chooses.
//! * The counter accepts it ([`crate::Verifier::verify_response`]) only for a nonce it issued
//!   and has not yet seen answered, within the request's lifetime.
//!
//! The wire format is in `format/request.rs`.

use crate::format::cose::key::kid_for;
use crate::format::limits;
use crate::format::request::{self as wire, RequestFields, NONCE_BYTES};
use crate::model::{ClaimDef, CredentialType, Date};
use crate::qr::QrMatrix;
use crate::trust::{text, Lang, ReaderRole, RequestPurpose, TrustList, TrustedReader};
use crate::{Error, InputError, InputRule, Presentation, PresentationRequest, RejectReason, Result, Wallet};

/// How far the wallet's and the counter's clocks may disagree on a request's times (seconds).
pub const REQUEST_CLOCK_SKEW_SECS: u32 = 120;
/// A request's lifetime unless the counter says otherwise: five minutes.
pub const DEFAULT_REQUEST_TTL_SECS: u32 = 300;

/// A reader's request, checked against the trust list: what the citizen's wallet shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderRequest {
    /// The reader's id: the audience the answer is bound to.
    pub reader_id: String,
    /// The reader's name in Vietnamese (from the trust list, not from the request).
    pub reader_name_vi: String,
    /// The reader's name in English.
    pub reader_name_en: String,
    /// The reader's role, which bounds what it may ask.
    pub role: ReaderRole,
    /// The credential type asked for.
    pub credential_type: CredentialType,
    /// The claims asked for, by name (e.g. `full_name`), in the reader's order.
    pub claims: Vec<String>,
    /// Why.
    pub purpose: RequestPurpose,
    /// The counter's challenge, carried by the answer.
    pub nonce: Vec<u8>,
    /// When the reader made it (Unix seconds).
    pub issued_at: i64,
    /// Until when it may be answered (Unix seconds).
    pub expires_at: i64,
}

impl ReaderRequest {
    /// Reads and checks `VN1R:` text at `now` against `trust`, in this order: prefix, base45,
    /// structure, `typ` and `alg`; the reader is in the trust list; its signature; its window
    /// contains `now`; the type and purpose are known and within the reader's role; the claims
    /// belong to the type; the request's times (with [`REQUEST_CLOCK_SKEW_SECS`]).
    ///
    /// # Errors
    /// [`Error::Rejected`] with [`RejectReason::NotOurFormat`], [`RejectReason::Malformed`],
    /// [`RejectReason::TooLarge`], [`RejectReason::WrongMessageType`],
    /// [`RejectReason::UnsupportedAlgorithm`], [`RejectReason::UnknownReader`],
    /// [`RejectReason::BadReaderSignature`], [`RejectReason::ReaderNotValidNow`],
    /// [`RejectReason::RequestBeyondRole`], [`RejectReason::RequestFromFuture`] or
    /// [`RejectReason::RequestExpired`].
    pub fn read(text: &str, trust: &TrustList, now: i64) -> Result<Self> {
        let signed = wire::parse(&wire::decode_text(text)?)?;
        let reader = trust
            .find_reader(&signed.kid)
            .ok_or(RejectReason::UnknownReader)?;
        let key = crate::crypto::signing::PublicKey::from_bytes(&reader.public_key)
            .map_err(|_| RejectReason::BadTrustData)?;
        signed.sign1.verify(&key, RejectReason::BadReaderSignature)?;
        if !reader.valid_at(now) {
            return Err(RejectReason::ReaderNotValidNow.into());
        }
        let f = &signed.fields;
        let ty = CredentialType::from_code(f.type_code).ok_or(RejectReason::Malformed)?;
        let purpose = RequestPurpose::from_code(f.purpose_code).ok_or(RejectReason::Malformed)?;
        if !reader.role.may_ask(ty, purpose) {
            return Err(RejectReason::RequestBeyondRole.into());
        }
        let mut claims: Vec<String> = Vec::with_capacity(f.claim_keys.len());
        for key in &f.claim_keys {
            let def = ClaimDef::by_key(ty, key).ok_or(RejectReason::Malformed)?;
            if claims.iter().any(|c| c == def.name) {
                return Err(RejectReason::Malformed.into());
            }
            claims.push(def.name.to_owned());
        }
        let lifetime_ok = f
            .exp
            .checked_sub(f.iat)
            .is_some_and(|t| (1..=i64::from(limits::MAX_REQUEST_TTL_SECS)).contains(&t));
        if !lifetime_ok {
            return Err(RejectReason::Malformed.into());
        }
        let skew = i64::from(REQUEST_CLOCK_SKEW_SECS);
        if f.iat > now.saturating_add(skew) {
            return Err(RejectReason::RequestFromFuture.into());
        }
        if now > f.exp.saturating_add(skew) {
            return Err(RejectReason::RequestExpired.into());
        }
        Ok(Self {
            reader_id: reader.reader_id.clone(),
            reader_name_vi: reader.name_vi.clone(),
            reader_name_en: reader.name_en.clone(),
            role: reader.role,
            credential_type: ty,
            claims,
            purpose,
            nonce: f.nonce.to_vec(),
            issued_at: f.iat,
            expires_at: f.exp,
        })
    }

    /// The reader's name in `lang`.
    pub fn reader_name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.reader_name_vi,
            Lang::En => &self.reader_name_en,
        }
    }

    /// The labels of the claims asked for, in `lang`.
    pub fn claim_labels(&self, lang: Lang) -> Vec<&'static str> {
        self.claims
            .iter()
            .filter_map(|n| ClaimDef::by_name(n))
            .map(|d| match lang {
                Lang::Vi => d.label_vi,
                Lang::En => d.label_en,
            })
            .collect()
    }

    /// One line for the citizen: who asks (name and role), for what (type and claims), why,
    /// and until when (UTC).
    pub fn summary_in(&self, lang: Lang) -> String {
        let what = match lang {
            Lang::Vi => self.credential_type.label_vi(),
            Lang::En => self.credential_type.label_en(),
        };
        text::request_summary(
            lang,
            self.reader_name(lang),
            self.role,
            what,
            &self.claim_labels(lang).join(", "),
            self.purpose,
            &utc_minute(self.expires_at),
        )
    }
}

/// `YYYY-MM-DD HH:MM UTC`.
fn utc_minute(t: i64) -> String {
    let secs = t.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02} UTC",
        Date::from_unix(t),
        secs / 3600,
        secs % 3600 / 60
    )
}

/// A request the counter shows: its QR text and matrix, and what it remembers.
#[derive(Clone, PartialEq)]
pub struct CounterRequest {
    /// `VN1R:` text.
    pub qr_text: String,
    /// Size of the signed request in bytes.
    pub bytes: usize,
    /// QR version at ECC M.
    pub qr_version: u8,
    /// The QR code to draw.
    pub qr: QrMatrix,
    /// The nonce the answer must carry.
    pub nonce: Vec<u8>,
    /// When the counter made it (Unix seconds).
    pub issued_at: i64,
    /// Until when an answer is accepted (Unix seconds).
    pub expires_at: i64,
}

impl std::fmt::Debug for CounterRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CounterRequest")
            .field("bytes", &self.bytes)
            .field("qr_version", &self.qr_version)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The largest QR version a request may take at ECC M: a counter screen shows it at arm's
/// length to a phone camera, and the answer QR must stay readable too.
pub const MAX_REQUEST_QR_VERSION: u8 = 10;

/// What the counter signs: checks the reader entry and the ask, and builds the fields.
pub(crate) fn build_request(
    trust: &TrustList,
    reader_key: &crate::issuer::IssuerKey,
    credential_type: CredentialType,
    claims: &[String],
    purpose: RequestPurpose,
    ttl_secs: Option<u32>,
    now: i64,
) -> Result<(CounterRequest, RequestFields)> {
    let kid = kid_for(&reader_key.public());
    let reader: &TrustedReader = trust
        .find_reader(&kid)
        .ok_or_else(|| InputError::new("reader key", InputRule::Invalid("not a reader in the trust list")))?;
    if !reader.valid_at(now) {
        return Err(InputError::new(
            "reader key",
            InputRule::Invalid("the reader's trust window does not contain now"),
        )
        .into());
    }
    if !reader.role.may_ask(credential_type, purpose) {
        return Err(InputError::new(
            "request",
            InputRule::Invalid("the reader's role does not allow this credential type or purpose"),
        )
        .into());
    }
    if claims.is_empty() {
        return Err(InputError::new("claims", InputRule::Invalid("ask for at least one claim")).into());
    }
    let defs = crate::model::resolve_claim_names(credential_type, claims)?;
    let mut claim_keys: Vec<String> = Vec::new();
    for d in defs {
        if !claim_keys.iter().any(|k| k == d.key) {
            claim_keys.push(d.key.to_owned());
        }
    }
    let ttl = ttl_secs.unwrap_or(DEFAULT_REQUEST_TTL_SECS);
    if ttl == 0 || ttl > limits::MAX_REQUEST_TTL_SECS {
        return Err(InputError::new("ttl", InputRule::Range("must be 1 to 600 seconds")).into());
    }
    let fields = RequestFields {
        nonce: crate::crypto::random::bytes::<NONCE_BYTES>()?,
        type_code: u64::from(credential_type.code()),
        claim_keys,
        purpose_code: u64::from(purpose.code()),
        iat: now,
        exp: now.saturating_add(i64::from(ttl)),
    };
    let bytes = wire::sign(reader_key.signing_key(), kid, &fields);
    let qr_text = wire::encode_text(&bytes);
    let qr = crate::qr::fit(&qr_text, crate::qr::Ecc::M, MAX_REQUEST_QR_VERSION)?;
    Ok((
        CounterRequest {
            bytes: bytes.len(),
            qr_version: qr.version,
            qr,
            qr_text,
            nonce: fields.nonce.to_vec(),
            issued_at: fields.iat,
            expires_at: fields.exp,
        },
        fields,
    ))
}

impl Wallet {
    /// Reads a reader's request QR text and checks it against `trust` by the wallet's clock
    /// ([`ReaderRequest::read`]): show the citizen [`ReaderRequest::summary_in`] and let them
    /// choose before answering.
    ///
    /// # Errors
    /// As [`ReaderRequest::read`]. Works on a locked wallet (it reads no credential).
    pub fn read_request(&self, text: &str, trust: &TrustList) -> Result<ReaderRequest> {
        ReaderRequest::read(text, trust, self.now())
    }

    /// Answers a checked request with credential `credential_id`: a presentation for the
    /// reader's id as audience, carrying the request's nonce, disclosing the asked claims it
    /// has, or
    /// only `claims` when given (a subset of those asked the citizen chose). The claims the
    /// issuer signed in clear are shown either way ([`Presentation::always_visible`]).
    ///
    /// # Errors
    /// [`RejectReason::RequestExpired`] (as [`Error::Rejected`]) when the request has expired
    /// by the wallet's clock; [`Error::InvalidInput`] when the credential is of another type
    /// than asked or `claims` names a claim not asked for; the errors of [`Wallet::present`].
    pub fn answer_request(
        &self,
        request: &ReaderRequest,
        credential_id: &str,
        claims: Option<&[String]>,
    ) -> Result<Presentation> {
        if self.now()
            > request
                .expires_at
                .saturating_add(i64::from(REQUEST_CLOCK_SKEW_SECS))
        {
            return Err(RejectReason::RequestExpired.into());
        }
        let stored = self.get(credential_id)?;
        if stored.credential.credential_type() != request.credential_type {
            return Err(InputError::new(
                "credential",
                InputRule::Invalid("not of the type the reader asked for"),
            )
            .into());
        }
        let chosen = match claims {
            // Every claim asked that this credential has (an absent optional field is skipped).
            None => {
                let has: Vec<&str> = stored.credential.claims().iter().map(|c| c.def.name).collect();
                request
                    .claims
                    .iter()
                    .filter(|n| has.contains(&n.as_str()))
                    .cloned()
                    .collect()
            }
            Some(c) => {
                let asked = crate::model::resolve_claim_names(request.credential_type, &request.claims)?;
                for d in crate::model::resolve_claim_names(request.credential_type, c)? {
                    if !asked.iter().any(|a| a.key == d.key) {
                        return Err(InputError::new(
                            "claims",
                            InputRule::Invalid("a chosen claim was not asked for"),
                        )
                        .into());
                    }
                }
                c.to_vec()
            }
        };
        if request.nonce.len() != NONCE_BYTES {
            return Err(Error::Rejected(RejectReason::Malformed));
        }
        self.present(&PresentationRequest {
            credential_id: credential_id.to_owned(),
            claims: chosen,
            audience: Some(request.reader_id.clone()),
            nonce: Some(request.nonce.clone()),
            ttl_secs: None,
        })
    }
}
