//! The claim registry: every top-level credential field, its compact key inside signed
//! credentials, and its display labels in Vietnamese and English.
//!
//! Signed credentials carry claims under short text keys (`"fn"` rather than `"full_name"`):
//! each byte saved is a smaller QR code at the counter. The long names are the JSON field names
//! of [`Credential`](super::Credential). Keys are fixed forever once issued: add, never rename.

use super::{Credential, CredentialType};
use crate::{InputError, InputRule, Result};

/// One claim: JSON name, compact key, labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimDef {
    /// The JSON field name in [`Credential`] (`"full_name"`), used to choose claims.
    pub name: &'static str,
    /// The compact key inside signed credentials (`"fn"`).
    pub key: &'static str,
    /// The English display label ("Full name").
    pub label_en: &'static str,
    /// The Vietnamese display label ("Họ và tên").
    pub label_vi: &'static str,
}

const fn c(
    name: &'static str,
    key: &'static str,
    label_en: &'static str,
    label_vi: &'static str,
) -> ClaimDef {
    ClaimDef {
        name,
        key,
        label_en,
        label_vi,
    }
}

/// All claims. Keys are unique; a name means the same thing in every credential type.
pub const CLAIMS: &[ClaimDef] = &[
    c("full_name", "fn", "Full name", "Họ và tên"),
    c("dob", "bd", "Date of birth", "Ngày sinh"),
    c("sex", "sx", "Sex", "Giới tính"),
    c("citizen_id", "id", "Citizen ID number", "Số định danh cá nhân"),
    c("old_id", "oid", "Old ID card number", "Số CMND cũ"),
    c("address", "ad", "Permanent address", "Nơi thường trú"),
    c("ethnicity", "et", "Ethnicity", "Dân tộc"),
    c("nationality", "na", "Nationality", "Quốc tịch"),
    c("issue_date", "isd", "Date of issue", "Ngày cấp"),
    c("code", "hi", "Health insurance code", "Mã thẻ BHYT"),
    c("bhyt_code", "hi", "Health insurance code", "Mã thẻ BHYT"),
    c(
        "registered_clinic",
        "kcb",
        "Registered clinic",
        "Nơi đăng ký KCB ban đầu",
    ),
    c("valid_from", "vf", "Valid from", "Giá trị từ ngày"),
    c("valid_to", "vt", "Valid to", "Giá trị đến ngày"),
    c("benefit_level", "ml", "Benefit level", "Mức hưởng"),
    c("blood_type", "bt", "Blood type", "Nhóm máu"),
    c("allergies", "al", "Allergies", "Dị ứng"),
    c(
        "chronic",
        "ch",
        "Chronic conditions (ICD-10)",
        "Bệnh mạn tính (ICD-10)",
    ),
    c("vaccinations", "vx", "Vaccinations", "Tiêm chủng"),
    c("visits", "vs", "Visits", "Lần khám bệnh"),
    c("form", "fm", "Certificate form", "Mẫu phiếu"),
    c("status", "st", "Criminal record status", "Tình trạng án tích"),
    c("convictions", "cv", "Convictions", "Án tích"),
    c("issuer", "io", "Issuing office", "Cơ quan cấp"),
    c("issued", "ii", "Date of issue", "Ngày cấp"),
    c("number", "no", "Certificate number", "Số phiếu"),
];

impl ClaimDef {
    /// The definition of a claim by its JSON name.
    pub fn by_name(name: &str) -> Option<&'static ClaimDef> {
        CLAIMS.iter().find(|c| c.name == name)
    }

    /// The definition of a claim by its compact key within a credential type (the type decides
    /// between names that share a key, like `code` and `bhyt_code`).
    pub fn by_key(ty: CredentialType, key: &str) -> Option<&'static ClaimDef> {
        let names = claim_names(ty);
        CLAIMS.iter().find(|c| c.key == key && names.contains(&c.name))
    }
}

/// The claim names of a credential type, in display order.
pub fn claim_names(ty: CredentialType) -> &'static [&'static str] {
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
            "issue_date",
        ],
        CredentialType::HealthInsurance => &[
            "full_name",
            "dob",
            "code",
            "registered_clinic",
            "valid_from",
            "valid_to",
            "benefit_level",
        ],
        CredentialType::HealthBook => &[
            "full_name",
            "dob",
            "citizen_id",
            "blood_type",
            "allergies",
            "chronic",
            "vaccinations",
            "visits",
        ],
        CredentialType::JudicialRecord => &[
            "full_name",
            "dob",
            "citizen_id",
            "form",
            "status",
            "convictions",
            "issuer",
            "issued",
            "number",
        ],
        CredentialType::ClinicCheckin => &["full_name", "dob", "citizen_id", "bhyt_code"],
    }
}

/// One claim with its value, as shown to a verifier or used to build a credential.
#[derive(Clone, PartialEq)]
pub struct ClaimValue {
    /// Which claim it is (name, key, labels).
    pub def: &'static ClaimDef,
    /// Its value, as in the credential's JSON form.
    pub value: serde_json::Value,
}

impl std::fmt::Debug for ClaimValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClaimValue {{ {}: .. }}", self.def.name)
    }
}

impl ClaimValue {
    /// The value for people: strings as they are, lists joined with "; ", objects as
    /// `key: value` pairs.
    pub fn display(&self) -> String {
        display_value(&self.value)
    }
}

/// See [`ClaimValue::display`].
pub fn display_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) if a.is_empty() => "—".into(),
        serde_json::Value::Array(a) => a.iter().map(display_value).collect::<Vec<_>>().join("; "),
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k}: {}", display_value(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

impl Credential {
    /// The credential's claims in display order (absent optional fields are left out).
    pub fn claims(&self) -> Vec<ClaimValue> {
        let serde_json::Value::Object(mut map) = self.to_value() else {
            return Vec::new();
        };
        claim_names(self.credential_type())
            .iter()
            .filter_map(|name| {
                let value = map.remove(*name)?;
                let def = ClaimDef::by_name(name)?;
                Some(ClaimValue { def, value })
            })
            .collect()
    }

    /// Rebuilds a full credential from all its claims (e.g. an imported issued credential).
    pub fn from_claims(ty: CredentialType, claims: Vec<ClaimValue>) -> Result<Self> {
        let mut map = serde_json::Map::new();
        for c in claims {
            if !claim_names(ty).contains(&c.def.name) {
                return Err(InputError::new(
                    "claims",
                    InputRule::Unknown {
                        expected: claim_names(ty).join(", "),
                    },
                )
                .into());
            }
            map.insert(c.def.name.to_string(), c.value);
        }
        Self::from_value(ty, serde_json::Value::Object(map))
    }
}

/// Resolves user-given claim names (`full_name,dob`) for a credential type, with a clear error
/// listing the valid names.
pub fn resolve_claim_names(ty: CredentialType, requested: &[String]) -> Result<Vec<&'static ClaimDef>> {
    let names = claim_names(ty);
    requested
        .iter()
        .map(|r| {
            let r = r.trim();
            names
                .iter()
                .find(|n| **n == r)
                .and_then(|n| ClaimDef::by_name(n))
                .ok_or_else(|| {
                    InputError::new(
                        "claims",
                        InputRule::Unknown {
                            expected: names.join(", "),
                        },
                    )
                    .into()
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_claim_is_registered_and_keys_are_unique_per_type() {
        for ty in CredentialType::ALL {
            let mut keys = std::collections::HashSet::new();
            for name in claim_names(ty) {
                let def = ClaimDef::by_name(name).unwrap();
                assert!(keys.insert(def.key), "{ty}: duplicate key {}", def.key);
                assert_eq!(ClaimDef::by_key(ty, def.key).unwrap().name, *name);
            }
        }
    }

    #[test]
    fn unknown_claim_names_are_listed() {
        let err = resolve_claim_names(CredentialType::ClinicCheckin, &["shoe_size".into()]).unwrap_err();
        assert!(err.to_string().contains("bhyt_code"));
    }
}
