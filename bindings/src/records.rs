//! Records that cross the FFI: display-ready views of core values (claims with labels, summaries).
//! Enums (`CredentialType`, `RejectReason`) are derived in the core itself.

use citizen_wallet_core as core;
use core::model::{ClaimValue, CredentialType};
use core::StoredCredential;

/// A credential in a list.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CredentialSummary {
    pub id: String,
    pub credential_type: CredentialType,
    pub label_vi: String,
    pub label_en: String,
    /// True when the wallet holds the issuer-signed form (it can be presented as a QR).
    pub signed: bool,
    pub added_at: i64,
}

impl From<&StoredCredential> for CredentialSummary {
    fn from(s: &StoredCredential) -> Self {
        let ty = s.credential.credential_type();
        Self {
            id: s.id.clone(),
            credential_type: ty,
            label_vi: ty.label_vi().into(),
            label_en: ty.label_en().into(),
            signed: s.signed,
            added_at: s.added_at,
        }
    }
}

/// A credential as a list screen shows it, read from its small sealed summary without opening
/// the credential (`Wallet::list_summaries`).
#[derive(Clone, uniffi::Record)]
pub struct CredentialListEntry {
    pub id: String,
    pub credential_type: CredentialType,
    /// The type's name in Vietnamese and English.
    pub label_vi: String,
    pub label_en: String,
    /// The holder's full name, as the credential gives it.
    pub holder_name: String,
    /// The issuer id (`iss`) of an imported credential, the issuing office of a judicial record
    /// typed in by hand; null otherwise.
    pub issuer: Option<String>,
    /// When the imported, issuer-signed form expires (Unix seconds).
    pub expires_at: Option<i64>,
    /// The last day of validity the credential states (`YYYY-MM-DD`, health insurance cards).
    pub valid_to: Option<String>,
    pub signed: bool,
    pub added_at: i64,
}

impl std::fmt::Debug for CredentialListEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "CredentialListEntry {{ id: {:?}, credential_type: {:?}, .. }}",
            self.id, self.credential_type
        )
    }
}

impl From<core::CredentialSummary> for CredentialListEntry {
    fn from(s: core::CredentialSummary) -> Self {
        Self {
            id: s.id,
            credential_type: s.credential_type,
            label_vi: s.credential_type.label_vi().into(),
            label_en: s.credential_type.label_en().into(),
            holder_name: s.label,
            issuer: s.issuer,
            expires_at: s.expires_at,
            valid_to: s.valid_to.map(|d| d.to_string()),
            signed: s.signed,
            added_at: s.added_at,
        }
    }
}

/// One claim, labelled for display.
#[derive(Clone, uniffi::Record)]
pub struct Claim {
    /// Stable name (`full_name`, `dob`, ...): use it to choose claims to disclose.
    pub name: String,
    pub label_vi: String,
    pub label_en: String,
    /// The value for display (lists joined with "; ").
    pub display_value: String,
    /// The value as JSON.
    pub json_value: String,
}

impl std::fmt::Debug for Claim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Claim {{ name: {:?}, .. }}", self.name)
    }
}

impl From<&ClaimValue> for Claim {
    fn from(c: &ClaimValue) -> Self {
        Self {
            name: c.def.name.into(),
            label_vi: c.def.label_vi.into(),
            label_en: c.def.label_en.into(),
            display_value: c.display(),
            json_value: c.value.to_string(),
        }
    }
}

/// A credential with all its claims.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CredentialDetail {
    pub summary: CredentialSummary,
    pub claims: Vec<Claim>,
    /// The credential's fields as JSON (the layout `add_json` accepts).
    pub json: String,
}

impl From<&StoredCredential> for CredentialDetail {
    fn from(s: &StoredCredential) -> Self {
        Self {
            summary: s.into(),
            claims: s.credential.claims().iter().map(Claim::from).collect(),
            json: s.credential.to_value().to_string(),
        }
    }
}
