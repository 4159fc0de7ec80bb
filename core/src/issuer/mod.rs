//! The issuer side: keys, and issuing SD-CWT credentials.
//!
//! Used by tests, the demo, the CLI, and by real issuers' back ends. Nothing here touches the
//! wallet's store. Three kinds of key sign three kinds of message, each with its own COSE `typ`
//! (see `src/format/cose/mod.rs`):
//!
//! * an **issuer key** ([`IssuerKey`]) signs credentials ([`Issuer::issue`]) and that issuer's
//!   status list ([`crate::trust::StatusList::sign`]);
//! * the **root key** (also an [`IssuerKey`]) signs the trust list naming the issuers, what each
//!   may issue and when ([`crate::trust::TrustList::sign`]);
//! * the **holder key** (in the wallet) signs presentations ([`crate::Wallet::present`]).
//!
//! Trust lists and status lists themselves (building, signing, reading, checking) are in
//! [`crate::trust`].

use zeroize::Zeroizing;

use crate::crypto::holder::HolderPublicKey;
use crate::crypto::signing::SigningKey;
use crate::format::cbor::{self, Value, SIMPLE_REDACTED_KEYS};
use crate::format::cose::key;
use crate::format::cose::{label, Sign1, TYP_SD_CWT};
use crate::format::sd_cwt::Disclosure;
use crate::format::{compact, cwt};
use crate::format::{limits, qr_text};
use crate::model::{claim_names, resolve_claim_names, Credential, CredentialType};
use crate::{InputError, InputRule, Result};

/// An Ed25519 key of a signing authority (an issuer, or the trust-list root).
#[derive(Clone, Debug)]
pub struct IssuerKey {
    key: SigningKey,
}

impl IssuerKey {
    /// A fresh random key.
    pub fn generate() -> Result<Self> {
        Ok(Self {
            key: SigningKey::make()?,
        })
    }

    /// From a 32-byte seed (for keys kept in an HSM export, or fixed demo keys).
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        Ok(Self {
            key: SigningKey::from_seed(seed)?,
        })
    }

    /// The 32-byte seed, for sealed storage only.
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        self.key.seed()
    }

    /// The public key.
    pub fn public(&self) -> [u8; 32] {
        self.key.public().to_bytes()
    }

    /// The key id carried in signed messages: the first 8 bytes of SHA-256 of the public key.
    pub fn kid(&self) -> [u8; 8] {
        key::kid_for(&self.public())
    }

    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }
}

/// An issuing authority: its key and its short `iss` name (e.g. `"BYT"`).
#[derive(Clone, Debug)]
pub struct Issuer {
    /// The key that signs its credentials; its public key must be in the trust list.
    pub key: IssuerKey,
    /// Carried in every credential: keep it short, it is in every QR code.
    pub iss: String,
}

impl Issuer {
    /// An issuer signing with `key` under the name `iss` (which must match its trust-list entry).
    pub fn new(key: IssuerKey, iss: impl Into<String>) -> Self {
        Self { key, iss: iss.into() }
    }

    /// The claims made selectively disclosable when the issuer has no specific policy.
    ///
    /// Every claim named here costs 34 bytes in **every** presentation (its digest stays in the
    /// signed payload; a credential without the claim carries a decoy digest instead, see
    /// [`issue`](Self::issue)), so the defaults redact what is personal or sensitive and sign
    /// document metadata in clear. Measured with the sample people (see `tests/verify_roundtrip.rs`):
    ///
    /// * citizen ID: all but `issue_date` (8 redacted: 2 claims shown = QR version 20);
    /// * health insurance: all but `valid_from`/`valid_to` (the card's validity is what the
    ///   counter checks first);
    /// * health book: all (everything in it is health data);
    /// * judicial record: `citizen_id`, `status` and `convictions`; the holder's name, date of
    ///   birth and the certificate's form, office, date and number are in clear. With all nine
    ///   redacted even one disclosed claim needs QR version 21+, above what phones read; a
    ///   judicial record is only ever shown to identify its holder's record, and the record itself
    ///   (status, convictions) stays selectively disclosable;
    /// * clinic check-in: none (its four claims are pre-selected for the counter; in clear the QR
    ///   is version 14 instead of 19, see DESIGN.md).
    pub fn default_sd_claims(ty: CredentialType) -> &'static [&'static str] {
        match ty {
            CredentialType::CitizenId => &[
                "full_name",
                "dob",
                "sex",
                "citizen_id",
                "old_id",
                "address",
                "ethnicity",
                "nationality",
            ],
            CredentialType::HealthInsurance => {
                &["full_name", "dob", "code", "registered_clinic", "benefit_level"]
            }
            CredentialType::JudicialRecord => &["citizen_id", "status", "convictions"],
            CredentialType::ClinicCheckin => &[],
            CredentialType::HealthBook => claim_names(CredentialType::HealthBook),
        }
    }

    /// Issues `cred` to the holder key `holder_public` as an SD-CWT carrying **all** its
    /// disclosures (the wallet keeps them; presentations choose among them).
    ///
    /// `sd_claims` names the claims to redact (see [`default_sd_claims`](Self::default_sd_claims));
    /// the others are signed in clear and visible in every presentation. `status_index` is the
    /// credential's entry in this issuer's [`crate::trust::StatusList`].
    ///
    /// **Decoys.** A credential without some of the redacted claims (no old ID number, no
    /// convictions) gets one decoy digest for each missing one, so it carries as many digests
    /// as `sd_claims` names claims: every credential issued under the same policy shows a
    /// verifier the same count, in bytewise order. The decoy disclosures (`[salt]`) go to the
    /// holder with the others (the wallet's import requires a disclosure for every digest); a
    /// presentation never carries them, and a verifier ignores digests nobody discloses. Cost:
    /// 34 bytes per decoy in every presentation; none for a type whose policy redacts nothing
    /// (clinic check-in).
    ///
    /// **Wire form** (since presentation format 2): dates, the citizen ID number and the BHYT
    /// code are signed in their compact integer forms (`format/compact.rs`), and the
    /// credential carries neither `kid` nor `iss` (verifiers find the issuer among the trust
    /// list's issuers of its type, by signature): 19 + 16 bytes less in every check-in QR.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an invalid credential, an unknown claim name, `exp <= iat` or
    /// `exp` more than [`limits::MAX_CREDENTIAL_LIFETIME_SECS`] (100 years) after `iat`, an
    /// empty or long `iss`, or a holder key that is not an Ed25519 point.
    pub fn issue(
        &self,
        cred: &Credential,
        holder_public: &[u8; 32],
        sd_claims: &[&str],
        iat: i64,
        exp: i64,
        status_index: u64,
    ) -> Result<Vec<u8>> {
        let holder = HolderPublicKey::from_bytes(crate::HolderAlg::Ed25519, holder_public)?;
        self.issue_to(cred, &holder, sd_claims, iat, exp, status_index)
    }

    /// [`issue`](Self::issue) to a holder key of either algorithm: Ed25519, or ES256 (P-256,
    /// carried compressed in `cnf`) for a key in the Secure Enclave or StrongBox.
    ///
    /// # Errors
    /// As [`issue`](Self::issue).
    pub fn issue_to(
        &self,
        cred: &Credential,
        holder: &HolderPublicKey,
        sd_claims: &[&str],
        iat: i64,
        exp: i64,
        status_index: u64,
    ) -> Result<Vec<u8>> {
        let mut cred = cred.clone();
        cred.normalize_and_validate()?;
        let ty = cred.credential_type();
        let requested: Vec<String> = sd_claims.iter().map(|s| (*s).to_owned()).collect();
        let sd: Vec<&str> = resolve_claim_names(ty, &requested)?
            .iter()
            .map(|d| d.name)
            .collect();
        check_lifetime(iat, exp)?;
        if self.iss.trim().is_empty() || self.iss.len() > limits::MAX_NAME_BYTES {
            return Err(InputError::new("issuer", InputRule::Invalid("iss must be 1 to 256 bytes")).into());
        }
        holder.verifying()?;

        // No `iss` and no `kid`: the counter finds the issuer among the trust list's issuers of
        // this type, by signature (16 bytes less in every QR; `iss` stays this issuer's name in
        // the trust list).
        let mut payload = vec![
            (Value::int(cwt::IAT), Value::int(iat)),
            (Value::int(cwt::EXP), Value::int(exp)),
            (Value::int(cwt::CNF), key::cnf_for_holder(holder)),
            (Value::text(cwt::TYPE), Value::Uint(u64::from(ty.code()))),
            (Value::text(cwt::STATUS), Value::Uint(status_index)),
        ];
        let mut disclosures = Vec::new();
        for c in cred.claims() {
            let key = Value::text(c.def.key);
            let value = compact::encode_claim(c.def, &c.value)?;
            if sd.contains(&c.def.name) {
                disclosures.push(Disclosure::make(key, value)?);
            } else {
                payload.push((key, value));
            }
        }
        // Decoys up to the number of claims the policy redacts: every credential of a type issued
        // under one policy carries the same number of digests, so their count does not reveal
        // which optional claims it has (an old ID number, and so an age; convictions...).
        let policy_len = {
            let mut names = sd.clone();
            names.sort_unstable();
            names.dedup();
            names.len()
        };
        while disclosures.len() < policy_len {
            disclosures.push(Disclosure::decoy()?);
        }
        if !disclosures.is_empty() {
            // Sorted digests: their order reveals nothing about which claim is which, or which
            // digests are decoys.
            let mut digests: Vec<[u8; 32]> = disclosures.iter().map(Disclosure::digest).collect();
            digests.sort_unstable();
            payload.push((
                Value::Simple(SIMPLE_REDACTED_KEYS),
                Value::Array(digests.into_iter().map(|d| Value::Bytes(d.to_vec())).collect()),
            ));
        }
        let payload = cbor::encode(&Value::sorted_map(payload));
        let mut unprotected = Vec::new();
        if !disclosures.is_empty() {
            unprotected.push((
                Value::int(label::SD_CLAIMS),
                Value::Array(disclosures.iter().map(Disclosure::to_value).collect()),
            ));
        }
        let protected = vec![(Value::int(label::TYP), Value::Uint(TYP_SD_CWT))];
        let bytes = Sign1::sign(self.key.signing_key(), protected, unprotected, payload).to_bytes();
        if bytes.len() > limits::MAX_ISSUED_BYTES {
            return Err(
                InputError::new("credential", InputRule::Invalid("larger than 64 KiB once signed")).into(),
            );
        }
        Ok(bytes)
    }

    /// [`issue_to`](Self::issue_to) with [`default_sd_claims`](Self::default_sd_claims).
    ///
    /// # Errors
    /// As [`issue`](Self::issue).
    pub fn issue_default_to(
        &self,
        cred: &Credential,
        holder: &HolderPublicKey,
        iat: i64,
        exp: i64,
        status_index: u64,
    ) -> Result<Vec<u8>> {
        let sd = Self::default_sd_claims(cred.credential_type());
        self.issue_to(cred, holder, sd, iat, exp, status_index)
    }

    /// [`issue`](Self::issue) with [`default_sd_claims`](Self::default_sd_claims).
    pub fn issue_default(
        &self,
        cred: &Credential,
        holder_public: &[u8; 32],
        iat: i64,
        exp: i64,
        status_index: u64,
    ) -> Result<Vec<u8>> {
        let sd = Self::default_sd_claims(cred.credential_type());
        self.issue(cred, holder_public, sd, iat, exp, status_index)
    }
}

/// `exp` after `iat`, at most [`limits::MAX_CREDENTIAL_LIFETIME_SECS`] later (checked
/// arithmetic: any two `i64`s may be asked for).
fn check_lifetime(iat: i64, exp: i64) -> Result<()> {
    if exp <= iat {
        return Err(InputError::new("credential", InputRule::Invalid("exp must be after iat")).into());
    }
    // `None`: so far apart that the difference does not fit an i64.
    match exp.checked_sub(iat) {
        Some(life) if life <= limits::MAX_CREDENTIAL_LIFETIME_SECS => Ok(()),
        _ => Err(InputError::new(
            "credential",
            InputRule::Range("exp must be at most 100 years after iat"),
        )
        .into()),
    }
}

/// The `VN1C:` transfer text of an issued credential (what an issuer app hands to the wallet).
pub fn transfer_text(sd_cwt: &[u8]) -> String {
    qr_text::encode_issued(sd_cwt)
}
