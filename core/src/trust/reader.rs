//! Readers: the counters (clinic desks, police posts, service desks) that the root certifies in
//! the trust list to show a signed **request QR** ([`crate::ReaderRequest`]), and the **role**
//! that bounds what each may ask.
//!
//! ```text
//! "readers": [{"kid": h'..8..', "key": h'..32..', "id": "bv-bachmai-quay-1", "vi": "...",
//!              "en": "...", "nbf": unix, "exp": unix, "role": 1}, ...]
//! ```
//!
//! A trust list without `"readers"` reads as before (no reader is trusted), and a list with no
//! reader is signed without the key, byte for byte as before readers existed.
//!
//! ## Roles ([`ReaderRole`])
//!
//! | role | may ask for | purposes |
//! |---|---|---|
//! | clinic | clinic check-in, health insurance card, health book | clinic check-in, medical treatment |
//! | police | citizen ID, judicial record | identity check, background check |
//! | service desk | citizen ID, health insurance card | identity check, health insurance procedure |
//!
//! No role may ask for every credential type (a test checks it): a clinic never sees a judicial
//! record, a police post never a health book. The wallet refuses a request beyond its reader's
//! role ([`crate::RejectReason::RequestBeyondRole`]) before showing it to the citizen.

use crate::crypto::signing::PublicKey;
use crate::format::cbor::{map_get, Value};
use crate::format::cose::key::kid_for;
use crate::format::limits;
use crate::model::CredentialType;
use crate::{InputError, InputRule, RejectReason, Result};

/// The longest reader id, in bytes. Every answer QR carries it as its audience, next to the
/// 16-byte nonce, and the check-in answer must stay a version 14 code: a short id such as
/// `"BM-Q1"` costs 5 bytes, a 16-byte id 16.
pub const MAX_READER_ID_BYTES: usize = 16;

/// What kind of counter a reader is: it bounds the credential types and purposes the reader
/// may ask for (see the module docs' table). Its code in the trust list never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReaderRole {
    /// A clinic or hospital reception desk.
    Clinic,
    /// A police post.
    Police,
    /// A public service desk (commune office, one-stop shop).
    ServiceDesk,
}

impl ReaderRole {
    /// Every role.
    pub const ALL: [ReaderRole; 3] = [Self::Clinic, Self::Police, Self::ServiceDesk];

    /// The code in the signed trust list.
    pub fn code(self) -> u8 {
        match self {
            Self::Clinic => 1,
            Self::Police => 2,
            Self::ServiceDesk => 3,
        }
    }

    /// The role with this code.
    pub fn from_code(code: u64) -> Option<Self> {
        Self::ALL.into_iter().find(|r| u64::from(r.code()) == code)
    }

    /// Stable name for the CLI and JSON (`"clinic"`, `"police"`, `"service_desk"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clinic => "clinic",
            Self::Police => "police",
            Self::ServiceDesk => "service_desk",
        }
    }

    /// The role named `s` ([`as_str`](Self::as_str)).
    ///
    /// # Errors
    /// [`crate::Error::InvalidInput`] naming the known roles.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            InputError::new(
                "reader role",
                InputRule::Unknown {
                    expected: "clinic, police, service_desk".into(),
                },
            )
            .into()
        })
    }

    /// The credential types a reader of this role may ask for.
    pub fn allowed_types(self) -> &'static [CredentialType] {
        use CredentialType as T;
        match self {
            Self::Clinic => &[T::ClinicCheckin, T::HealthInsurance, T::HealthBook],
            Self::Police => &[T::CitizenId, T::JudicialRecord],
            Self::ServiceDesk => &[T::CitizenId, T::HealthInsurance],
        }
    }

    /// The purposes a reader of this role may give.
    pub fn allowed_purposes(self) -> &'static [RequestPurpose] {
        use RequestPurpose as P;
        match self {
            Self::Clinic => &[P::ClinicCheckin, P::MedicalTreatment],
            Self::Police => &[P::IdentityCheck, P::BackgroundCheck],
            Self::ServiceDesk => &[P::IdentityCheck, P::InsuranceProcedure],
        }
    }

    /// Whether a reader of this role may ask for `ty` with `purpose`.
    pub fn may_ask(self, ty: CredentialType, purpose: RequestPurpose) -> bool {
        self.allowed_types().contains(&ty) && self.allowed_purposes().contains(&purpose)
    }
}

/// Why a reader asks: a compact code in the signed request, shown in Vietnamese and English
/// ([`RequestPurpose::message`]). Its code never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RequestPurpose {
    /// Registering a patient at the clinic's reception.
    ClinicCheckin,
    /// Treatment: the doctor needs the health record.
    MedicalTreatment,
    /// Checking who the citizen is.
    IdentityCheck,
    /// A background check (employment, licence) needing the judicial record.
    BackgroundCheck,
    /// A health insurance procedure (renewal, reimbursement).
    InsuranceProcedure,
}

impl RequestPurpose {
    /// Every purpose.
    pub const ALL: [RequestPurpose; 5] = [
        Self::ClinicCheckin,
        Self::MedicalTreatment,
        Self::IdentityCheck,
        Self::BackgroundCheck,
        Self::InsuranceProcedure,
    ];

    /// The code in the signed request.
    pub fn code(self) -> u8 {
        match self {
            Self::ClinicCheckin => 1,
            Self::MedicalTreatment => 2,
            Self::IdentityCheck => 3,
            Self::BackgroundCheck => 4,
            Self::InsuranceProcedure => 5,
        }
    }

    /// The purpose with this code.
    pub fn from_code(code: u64) -> Option<Self> {
        Self::ALL.into_iter().find(|p| u64::from(p.code()) == code)
    }

    /// Stable name for the CLI and JSON (`"clinic_checkin"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClinicCheckin => "clinic_checkin",
            Self::MedicalTreatment => "medical_treatment",
            Self::IdentityCheck => "identity_check",
            Self::BackgroundCheck => "background_check",
            Self::InsuranceProcedure => "insurance_procedure",
        }
    }

    /// The purpose named `s` ([`as_str`](Self::as_str)).
    ///
    /// # Errors
    /// [`crate::Error::InvalidInput`] naming the known purposes.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| {
            InputError::new(
                "purpose",
                InputRule::Unknown {
                    expected: Self::ALL.map(Self::as_str).join(", "),
                },
            )
            .into()
        })
    }
}

/// One certified reader (a counter that may show request QRs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedReader {
    /// First 8 bytes of SHA-256 of `public_key`: the `kid` of its requests.
    pub kid: [u8; 8],
    /// The reader's Ed25519 public key, which must verify its requests.
    pub public_key: [u8; 32],
    /// The reader's id: the audience a presentation answering it is bound to (1 to
    /// [`MAX_READER_ID_BYTES`] bytes, not `"offline"`).
    pub reader_id: String,
    /// The reader's name in Vietnamese, shown to the citizen.
    pub name_vi: String,
    /// The reader's name in English, shown to the citizen.
    pub name_en: String,
    /// Unix seconds: the key is trusted from `not_before` to `not_after` inclusive.
    pub not_before: i64,
    /// Unix seconds: the end of the trust window (inclusive).
    pub not_after: i64,
    /// What it may ask for.
    pub role: ReaderRole,
}

impl TrustedReader {
    /// An entry for `key_public`, deriving the kid.
    pub fn new(
        key_public: [u8; 32],
        reader_id: impl Into<String>,
        name_vi: impl Into<String>,
        name_en: impl Into<String>,
        not_before: i64,
        not_after: i64,
        role: ReaderRole,
    ) -> Self {
        Self {
            kid: kid_for(&key_public),
            public_key: key_public,
            reader_id: reader_id.into(),
            name_vi: name_vi.into(),
            name_en: name_en.into(),
            not_before,
            not_after,
            role,
        }
    }

    /// Whether `t` is inside the validity window.
    pub fn valid_at(&self, t: i64) -> bool {
        (self.not_before..=self.not_after).contains(&t)
    }

    /// The entry's problem when signing, if any.
    pub(crate) fn sign_problem(&self) -> Option<&'static str> {
        if self.reader_id.is_empty() || self.reader_id.len() > MAX_READER_ID_BYTES {
            return Some("a reader id must be 1 to 16 bytes");
        }
        if self.reader_id == crate::OFFLINE_AUDIENCE {
            return Some("a reader id cannot be the any-counter audience \"offline\"");
        }
        if [&self.name_vi, &self.name_en]
            .iter()
            .any(|s| s.len() > limits::MAX_NAME_BYTES)
        {
            return Some("a name is longer than 256 bytes");
        }
        None
    }

    pub(crate) fn to_value(&self) -> Value {
        Value::sorted_map(vec![
            (Value::text("kid"), Value::Bytes(self.kid.to_vec())),
            (Value::text("key"), Value::Bytes(self.public_key.to_vec())),
            (Value::text("id"), Value::text(self.reader_id.clone())),
            (Value::text("vi"), Value::text(self.name_vi.clone())),
            (Value::text("en"), Value::text(self.name_en.clone())),
            (Value::text("nbf"), Value::int(self.not_before)),
            (Value::text("exp"), Value::int(self.not_after)),
            (Value::text("role"), Value::Uint(u64::from(self.role.code()))),
        ])
    }

    pub(crate) fn from_value(v: &Value) -> Result<Self> {
        let bad = || crate::Error::from(RejectReason::BadTrustData);
        let m = v.as_map().ok_or_else(bad)?;
        let get = |k: &str| map_get(m, &Value::text(k)).ok_or_else(bad);
        let text = |k: &str, max: usize| -> Result<String> {
            let t = get(k)?.as_text().ok_or_else(bad)?;
            if t.len() > max {
                return Err(bad());
            }
            Ok(t.to_owned())
        };
        let kid: [u8; 8] = get("kid")?
            .as_bytes()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        let public_key: [u8; 32] = get("key")?
            .as_bytes()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        PublicKey::from_bytes(&public_key).map_err(|_| bad())?;
        if kid != kid_for(&public_key) {
            return Err(bad());
        }
        let reader = Self {
            kid,
            public_key,
            reader_id: text("id", MAX_READER_ID_BYTES)?,
            name_vi: text("vi", limits::MAX_NAME_BYTES)?,
            name_en: text("en", limits::MAX_NAME_BYTES)?,
            not_before: get("nbf")?.as_i64().ok_or_else(bad)?,
            not_after: get("exp")?.as_i64().ok_or_else(bad)?,
            role: get("role")?
                .as_u64()
                .and_then(ReaderRole::from_code)
                .ok_or_else(bad)?,
        };
        if reader.sign_problem().is_some() {
            return Err(bad());
        }
        Ok(reader)
    }

    /// The JSON export of one reader (see [`crate::trust::TrustList::to_json_export`]).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kid": hex::encode(self.kid),
            "public_key": hex::encode(self.public_key),
            "alg": "Ed25519",
            "reader_id": self.reader_id,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "not_before": self.not_before,
            "not_after": self.not_after,
            "role": self.role.as_str(),
            "may_ask": self.role.allowed_types().iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            "purposes": self.role.allowed_purposes().iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn no_role_may_ask_for_everything() {
        for role in ReaderRole::ALL {
            assert!(role.allowed_types().len() < CredentialType::ALL.len(), "{role:?}");
            assert_eq!(ReaderRole::from_code(u64::from(role.code())), Some(role));
            assert_eq!(ReaderRole::parse(role.as_str()).unwrap(), role);
        }
        assert!(ReaderRole::Clinic.may_ask(CredentialType::ClinicCheckin, RequestPurpose::ClinicCheckin));
        assert!(!ReaderRole::Clinic.may_ask(CredentialType::JudicialRecord, RequestPurpose::ClinicCheckin));
        assert!(!ReaderRole::Clinic.may_ask(CredentialType::ClinicCheckin, RequestPurpose::BackgroundCheck));
        assert!(!ReaderRole::Police.may_ask(CredentialType::HealthBook, RequestPurpose::IdentityCheck));
        for p in RequestPurpose::ALL {
            assert_eq!(RequestPurpose::from_code(u64::from(p.code())), Some(p));
            assert_eq!(RequestPurpose::parse(p.as_str()).unwrap(), p);
        }
        assert!(ReaderRole::parse("root").is_err());
    }
}
