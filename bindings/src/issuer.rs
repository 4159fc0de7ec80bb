//! The issuer side, for demo apps, tests and issuer tools: keys, issuing credentials, signing
//! trust lists and status lists. A wallet app does not need any of it.

use std::sync::{Arc, Mutex};

use citizen_wallet_core as core;
use core::issuer::{self as iss};
use core::model::{Credential, CredentialType, PersonRecord};
use core::trust;
use core::InputRule;

use crate::error::{invalid, signed, unsigned, Result, WalletError};
use crate::verifier::key32;

fn kid8(bytes: &[u8]) -> Result<[u8; 8]> {
    bytes
        .try_into()
        .map_err(|_| invalid("issuer kid", InputRule::Format("expected 8 bytes")))
}

/// An Ed25519 signing key of an authority: an issuer, or the trust-list root.
#[derive(Debug, uniffi::Object)]
pub struct IssuerKey(pub(crate) iss::IssuerKey);

#[uniffi::export]
impl IssuerKey {
    /// A fresh random key.
    #[uniffi::constructor]
    pub fn generate() -> Result<Arc<Self>> {
        Ok(Arc::new(Self(iss::IssuerKey::generate()?)))
    }

    /// The key for a 32-byte seed (fixed demo keys, or a key exported from an HSM).
    #[uniffi::constructor]
    pub fn from_seed(seed: Vec<u8>) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(iss::IssuerKey::from_seed(&seed)?)))
    }

    /// The 32-byte public key (what a verifier pins for the root).
    pub fn public_key(&self) -> Vec<u8> {
        self.0.public().to_vec()
    }

    /// The 8-byte key id carried in signed messages (SHA-256 of the public key, truncated).
    pub fn kid(&self) -> Vec<u8> {
        self.0.kid().to_vec()
    }
}

/// An issuing authority: its key and its short `iss` name (e.g. `"BHXH"`).
#[derive(Debug, uniffi::Object)]
pub struct Issuer(pub(crate) iss::Issuer);

#[uniffi::export]
impl Issuer {
    #[uniffi::constructor]
    pub fn new(key: Arc<IssuerKey>, iss: String) -> Arc<Self> {
        Arc::new(Self(iss::Issuer::new(key.0.clone(), iss)))
    }

    /// Issues the credential of type `credential_type` given as JSON fields (the layout
    /// `Wallet.add_json` accepts) to the wallet holder key `holder_public_key`, with the type's
    /// default selectively disclosable claims. Returns the SD-CWT bytes (import them with
    /// `Wallet.import_issued`, or hand them over as `transfer_text`).
    pub fn issue_default(
        &self,
        credential_type: CredentialType,
        credential_json: String,
        holder_public_key: Vec<u8>,
        issued_at: i64,
        expires_at: i64,
        status_index: i64,
    ) -> Result<Vec<u8>> {
        let status_index = unsigned(status_index, "status_index")?;
        Ok(self.0.issue_default(
            &Credential::from_json(credential_type, &credential_json)?,
            &key32(&holder_public_key, "holder public key")?,
            issued_at,
            expires_at,
            status_index,
        )?)
    }

    /// [`Issuer::issue_default`] with an explicit list of selectively disclosable claim names
    /// (the others are signed in clear and shown in every presentation).
    #[allow(clippy::too_many_arguments)]
    pub fn issue(
        &self,
        credential_type: CredentialType,
        credential_json: String,
        holder_public_key: Vec<u8>,
        sd_claims: Vec<String>,
        issued_at: i64,
        expires_at: i64,
        status_index: i64,
    ) -> Result<Vec<u8>> {
        let status_index = unsigned(status_index, "status_index")?;
        Ok(self.0.issue(
            &Credential::from_json(credential_type, &credential_json)?,
            &key32(&holder_public_key, "holder public key")?,
            &sd_claims.iter().map(String::as_str).collect::<Vec<_>>(),
            issued_at,
            expires_at,
            status_index,
        )?)
    }

    /// The issuer's `iss` name (its trust-list entry's; credentials of presentation format 2
    /// no longer carry it).
    pub fn iss(&self) -> String {
        self.0.iss.clone()
    }

    /// The issuer's key id.
    pub fn kid(&self) -> Vec<u8> {
        self.0.key.kid().to_vec()
    }
}

/// The claim names an issuer makes selectively disclosable by default for `credential_type`.
#[uniffi::export]
pub fn default_sd_claims(credential_type: CredentialType) -> Vec<String> {
    iss::Issuer::default_sd_claims(credential_type)
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// The `VN1C:` transfer text of an issued credential (what an issuer app shows or sends to the
/// wallet; `Wallet.import_issued_text` reads it).
#[uniffi::export]
pub fn transfer_text(sd_cwt: Vec<u8>) -> String {
    iss::transfer_text(&sd_cwt)
}

/// One entry of a trust list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustedIssuer {
    /// 8-byte key id. When signing a list, leave it empty (it is derived from `public_key`) or
    /// give the matching value.
    pub kid: Vec<u8>,
    /// 32-byte Ed25519 public key.
    pub public_key: Vec<u8>,
    /// The `iss` value its credentials carry.
    pub iss: String,
    pub name_vi: String,
    pub name_en: String,
    /// Unix seconds: trusted from `not_before` to `not_after` inclusive.
    pub not_before: i64,
    pub not_after: i64,
    /// The credential types it may issue.
    pub types: Vec<CredentialType>,
}

impl From<&trust::TrustedIssuer> for TrustedIssuer {
    fn from(t: &trust::TrustedIssuer) -> Self {
        Self {
            kid: t.kid.to_vec(),
            public_key: t.public_key.to_vec(),
            iss: t.iss.clone(),
            name_vi: t.name_vi.clone(),
            name_en: t.name_en.clone(),
            not_before: t.not_before,
            not_after: t.not_after,
            types: t.types.clone(),
        }
    }
}

impl TryFrom<TrustedIssuer> for trust::TrustedIssuer {
    type Error = WalletError;
    fn try_from(t: TrustedIssuer) -> Result<Self> {
        let entry = Self::new(
            key32(&t.public_key, "trusted issuer public key")?,
            t.iss,
            t.name_vi,
            t.name_en,
            t.not_before,
            t.not_after,
            &t.types,
        );
        if !t.kid.is_empty() && t.kid != entry.kid {
            return Err(invalid(
                "trusted issuer kid",
                InputRule::Invalid("does not match its public key"),
            ));
        }
        Ok(entry)
    }
}

/// Builds and signs a trust list with the root key. Verifiers pin the root's public key.
///
/// `sequence`: the list's number in the root's series (default 1): number each later list
/// higher, because a verifier that holds list `n` refuses lists numbered below `n`, so keep the
/// last number where the root key is kept. `next_update`: when the list is due to be replaced
/// (unix seconds; default 30 days after `issued_at`); past it, verdicts are stale.
#[uniffi::export(default(sequence = 1, next_update = None))]
pub fn sign_trust_list(
    root: Arc<IssuerKey>,
    issued_at: i64,
    issuers: Vec<TrustedIssuer>,
    sequence: i64,
    next_update: Option<i64>,
) -> Result<Vec<u8>> {
    let sequence = unsigned(sequence, "sequence")?;
    let mut list = issuers
        .into_iter()
        .map(trust::TrustedIssuer::try_from)
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .fold(trust::TrustList::new(issued_at), trust::TrustList::with)
        .with_sequence(sequence);
    if let Some(t) = next_update {
        list = list.with_next_update(t);
    }
    Ok(list.sign(&root.0)?)
}

/// An issuer's revocation list, to revoke entries and sign it. Thread-safe.
///
/// Each [`sign`](Self::sign) signs a new edition with the next sequence number (1 for the first
/// edition of a new list), so a later edition always replaces an earlier one at a counter,
/// however close their dates. An issuer that keeps its list across restarts stores
/// [`sequence`](Self::sequence) with it and restores it with [`set_sequence`](Self::set_sequence).
#[derive(Debug, uniffi::Object)]
pub struct StatusList(Mutex<trust::StatusList>);

impl StatusList {
    fn list(&self) -> std::sync::MutexGuard<'_, trust::StatusList> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[uniffi::export]
impl StatusList {
    /// A list of `len` entries, none revoked, for the issuer with key id `issuer_kid`; verifiers
    /// flag it stale `max_age_secs` after `issued_at`.
    #[uniffi::constructor]
    pub fn new(issuer_kid: Vec<u8>, len: i64, issued_at: i64, max_age_secs: i32) -> Result<Arc<Self>> {
        let len = usize::try_from(len).map_err(|_| {
            invalid(
                "status list length",
                InputRule::Range("must be between 0 and 2^30 entries"),
            )
        })?;
        let max_age_secs = unsigned(max_age_secs, "max_age_secs")?;
        Ok(Arc::new(Self(Mutex::new(trust::StatusList::new(
            kid8(&issuer_kid)?,
            len,
            issued_at,
            max_age_secs,
        )?))))
    }

    /// Revokes entry `index` (the `status_index` the credential was issued with).
    pub fn revoke(&self, index: i64) -> Result<()> {
        Ok(self.list().revoke(unsigned(index, "index")?)?)
    }

    /// Whether entry `index` is revoked.
    pub fn is_revoked(&self, index: i64) -> Result<bool> {
        Ok(self.list().is_revoked(unsigned(index, "index")?)?)
    }

    /// Sets the list's date (before signing a new edition).
    pub fn set_issued_at(&self, issued_at: i64) {
        self.list().issued_at = issued_at;
    }

    /// The sequence number the next [`sign`](Self::sign) uses.
    pub fn sequence(&self) -> i64 {
        signed(self.list().sequence)
    }

    /// Sets the sequence number the next [`sign`](Self::sign) uses (to continue a series kept
    /// elsewhere: one above the last edition published). Negative is `InvalidInput`.
    pub fn set_sequence(&self, sequence: i64) -> Result<()> {
        self.list().sequence = unsigned(sequence, "sequence")?;
        Ok(())
    }

    /// Signs the list with its issuer's key (`InvalidInput` for another key), as the edition
    /// numbered [`sequence`](Self::sequence); the next call signs the next number.
    pub fn sign(&self, issuer_key: Arc<IssuerKey>) -> Result<Vec<u8>> {
        let mut list = self.list();
        let signed = list.sign(&issuer_key.0)?;
        list.sequence = list.sequence.saturating_add(1);
        Ok(signed)
    }
}

/// One credential of a person in a people file.
#[derive(Clone, uniffi::Record)]
pub struct PersonCredential {
    /// The person's handle in the file (e.g. `"ha"`; not personal data).
    pub person_key: String,
    pub credential_type: CredentialType,
    /// The credential's fields as JSON (what `Issuer.issue_default` and `Wallet.add_json` take).
    pub json: String,
}

impl std::fmt::Debug for PersonCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PersonCredential {{ person_key: {:?}, credential_type: {:?}, .. }}",
            self.person_key, self.credential_type
        )
    }
}

/// Every credential of every person in a `{"people": [...]}` file (the layout of the synthetic
/// samples and of a government export): citizen ID, health insurance, clinic check-in, health
/// book, judicial record, each validated and normalized. For demos and issuer tools.
#[uniffi::export]
pub fn credentials_from_people_json(people_json: String) -> Result<Vec<PersonCredential>> {
    let mut out = Vec::new();
    for person in PersonRecord::parse_list(&people_json)? {
        for c in person.credentials()? {
            out.push(PersonCredential {
                person_key: person.key.clone(),
                credential_type: c.credential_type(),
                json: c.to_value().to_string(),
            });
        }
    }
    Ok(out)
}
