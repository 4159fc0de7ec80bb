//! The two-way request QR (issue 12 item 2): certified readers in the trust list, the counter
//! making a request and verifying the answer, the citizen's wallet reading a request and
//! answering it. Delegates to the core (`citizen_wallet_core::ReaderRequest`,
//! `Verifier::make_request` / `verify_response`, `Wallet::read_request` / `answer_request`).

use std::sync::Arc;

use citizen_wallet_core as core;
use core::model::CredentialType;
use core::trust::{self, ReaderRole, RequestPurpose};
use core::{InputRule, Lang};

use crate::error::{invalid, signed, unsigned, Result};
use crate::issuer::{IssuerKey, TrustedIssuer};
use crate::presentation::{Presentation, QrMatrix};
use crate::verifier::{key32, TrustList, Verdict, Verifier};
use crate::wallet::Wallet;

/// A certified reader (a counter that may show request QRs) in a trust list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustedReader {
    /// Key id (8 bytes), derived from the public key.
    pub kid: Vec<u8>,
    /// Ed25519 public key (32 bytes).
    pub public_key: Vec<u8>,
    /// The reader's id: the audience answers are bound to (1 to 16 bytes).
    pub reader_id: String,
    pub name_vi: String,
    pub name_en: String,
    pub not_before: i64,
    pub not_after: i64,
    /// What it may ask for.
    pub role: ReaderRole,
}

impl From<&trust::TrustedReader> for TrustedReader {
    fn from(r: &trust::TrustedReader) -> Self {
        Self {
            kid: r.kid.to_vec(),
            public_key: r.public_key.to_vec(),
            reader_id: r.reader_id.clone(),
            name_vi: r.name_vi.clone(),
            name_en: r.name_en.clone(),
            not_before: r.not_before,
            not_after: r.not_after,
            role: r.role,
        }
    }
}

impl TryFrom<TrustedReader> for trust::TrustedReader {
    type Error = crate::error::WalletError;
    fn try_from(r: TrustedReader) -> Result<Self> {
        let entry = trust::TrustedReader::new(
            key32(&r.public_key, "reader public key")?,
            r.reader_id,
            r.name_vi,
            r.name_en,
            r.not_before,
            r.not_after,
            r.role,
        );
        if !r.kid.is_empty() && r.kid != entry.kid {
            return Err(invalid(
                "reader kid",
                InputRule::Invalid("does not match the public key"),
            ));
        }
        Ok(entry)
    }
}

/// Builds and signs a trust list naming issuers and readers (see `sign_trust_list`).
#[uniffi::export(default(sequence = 1, next_update = None))]
pub fn sign_trust_list_with_readers(
    root: Arc<IssuerKey>,
    issued_at: i64,
    issuers: Vec<TrustedIssuer>,
    readers: Vec<TrustedReader>,
    sequence: i64,
    next_update: Option<i64>,
) -> Result<Vec<u8>> {
    let mut list = trust::TrustList::new(issued_at).with_sequence(unsigned(sequence, "sequence")?);
    for i in issuers {
        list = list.with(trust::TrustedIssuer::try_from(i)?);
    }
    for r in readers {
        list = list.with_reader(trust::TrustedReader::try_from(r)?);
    }
    if let Some(t) = next_update {
        list = list.with_next_update(t);
    }
    Ok(list.sign(&root.0)?)
}

#[uniffi::export]
impl TrustList {
    /// The certified readers (empty for a list without readers).
    pub fn readers(&self) -> Vec<TrustedReader> {
        self.0.readers.iter().map(TrustedReader::from).collect()
    }
}

/// The role's name for people.
#[uniffi::export]
pub fn reader_role_label(role: ReaderRole, lang: Lang) -> String {
    role.label(lang).to_owned()
}

/// The credential types a reader of `role` may ask for.
#[uniffi::export]
pub fn reader_role_allowed_types(role: ReaderRole) -> Vec<CredentialType> {
    role.allowed_types().to_vec()
}

/// Why a reader asks, for people.
#[uniffi::export]
pub fn request_purpose_message(purpose: RequestPurpose, lang: Lang) -> String {
    purpose.message(lang).to_owned()
}

/// A reader's request, checked against the trust list: what the citizen's app shows before
/// answering (who asks, for what, why, until when), display-ready in both languages.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReaderRequest {
    pub reader_id: String,
    pub reader_name_vi: String,
    pub reader_name_en: String,
    pub role: ReaderRole,
    pub role_vi: String,
    pub role_en: String,
    pub credential_type: CredentialType,
    /// The claims asked for, by name (`full_name`...).
    pub claims: Vec<String>,
    pub claim_labels_vi: Vec<String>,
    pub claim_labels_en: Vec<String>,
    pub purpose: RequestPurpose,
    pub purpose_vi: String,
    pub purpose_en: String,
    /// One line: who asks, for what, why, until when.
    pub summary_vi: String,
    pub summary_en: String,
    /// The counter's challenge (16 bytes).
    pub nonce: Vec<u8>,
    pub issued_at: i64,
    pub expires_at: i64,
}

impl From<core::ReaderRequest> for ReaderRequest {
    fn from(r: core::ReaderRequest) -> Self {
        let labels = |lang| r.claim_labels(lang).into_iter().map(str::to_owned).collect();
        Self {
            reader_id: r.reader_id.clone(),
            reader_name_vi: r.reader_name_vi.clone(),
            reader_name_en: r.reader_name_en.clone(),
            role: r.role,
            role_vi: r.role.label(Lang::Vi).to_owned(),
            role_en: r.role.label(Lang::En).to_owned(),
            credential_type: r.credential_type,
            claims: r.claims.clone(),
            claim_labels_vi: labels(Lang::Vi),
            claim_labels_en: labels(Lang::En),
            purpose: r.purpose,
            purpose_vi: r.purpose.message(Lang::Vi).to_owned(),
            purpose_en: r.purpose.message(Lang::En).to_owned(),
            summary_vi: r.summary_in(Lang::Vi),
            summary_en: r.summary_in(Lang::En),
            nonce: r.nonce,
            issued_at: r.issued_at,
            expires_at: r.expires_at,
        }
    }
}

impl From<ReaderRequest> for core::ReaderRequest {
    fn from(r: ReaderRequest) -> Self {
        Self {
            reader_id: r.reader_id,
            reader_name_vi: r.reader_name_vi,
            reader_name_en: r.reader_name_en,
            role: r.role,
            credential_type: r.credential_type,
            claims: r.claims,
            purpose: r.purpose,
            nonce: r.nonce,
            issued_at: r.issued_at,
            expires_at: r.expires_at,
        }
    }
}

/// A request the counter shows: its QR (text and modules) and what the answer must carry.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CounterRequest {
    /// `VN1R:` text.
    pub qr_text: String,
    pub qr_version: i32,
    pub byte_count: i64,
    pub matrix: QrMatrix,
    pub nonce: Vec<u8>,
    pub issued_at: i64,
    pub expires_at: i64,
}

impl From<core::CounterRequest> for CounterRequest {
    fn from(r: core::CounterRequest) -> Self {
        Self {
            qr_text: r.qr_text,
            qr_version: r.qr_version.into(),
            byte_count: signed(r.bytes as u64),
            matrix: QrMatrix::from(&r.qr),
            nonce: r.nonce,
            issued_at: r.issued_at,
            expires_at: r.expires_at,
        }
    }
}

#[uniffi::export]
impl Wallet {
    /// Reads a counter's request QR text and checks it against `trust_list` (reader certified,
    /// its signature, its window, the ask within its role, the request's times). Refusals are
    /// `WalletError.Rejected` with the reason and its vi/en sentences. Works while locked.
    pub fn read_request(&self, text: String, trust_list: Arc<TrustList>) -> Result<ReaderRequest> {
        Ok(self.0.read_request(&text, &trust_list.0)?.into())
    }

    /// Answers a checked request with credential `credential_id`: bound to the reader's id and
    /// the request's nonce, disclosing the claims asked (`claims` = None) or the subset given.
    #[uniffi::method(default(claims = None))]
    pub fn answer_request(
        &self,
        request: ReaderRequest,
        credential_id: String,
        claims: Option<Vec<String>>,
    ) -> Result<Arc<Presentation>> {
        let request = core::ReaderRequest::from(request);
        Ok(Arc::new(Presentation(self.0.answer_request(
            &request,
            &credential_id,
            claims.as_deref(),
        )?)))
    }
}

#[uniffi::export]
impl Verifier {
    /// Makes a request QR signed with `reader_key` (a reader in the trust list whose role
    /// allows `credential_type` and `purpose`) and remembers its nonce (saved in the counter
    /// state for a verifier made `with_state`). `ttl_secs`: default 300, at most 600.
    #[uniffi::method(default(ttl_secs = None))]
    pub fn make_request(
        &self,
        reader_key: Arc<IssuerKey>,
        credential_type: CredentialType,
        claims: Vec<String>,
        purpose: RequestPurpose,
        ttl_secs: Option<i32>,
    ) -> Result<CounterRequest> {
        let ttl_secs = ttl_secs.map(|t| unsigned(t, "ttl_secs")).transpose()?;
        Ok(self
            .0
            .make_request(&reader_key.0, credential_type, &claims, purpose, ttl_secs)?
            .into())
    }

    /// Verifies an answer to one of this counter's requests: accepted once, for a nonce it
    /// issued, within the request's lifetime.
    pub fn verify_response(&self, text: String) -> Result<Verdict> {
        Ok(self.0.verify_response(&text)?.into())
    }

    /// Accept only answers to this counter's requests (one-way codes are refused).
    pub fn set_require_requests(&self, on: bool) {
        self.0.set_require_requests(on);
    }

    pub fn requires_requests(&self) -> bool {
        self.0.requires_requests()
    }

    /// How many of this counter's requests are neither answered nor expired.
    pub fn open_requests(&self) -> i64 {
        signed(self.0.open_requests() as u64)
    }
}
