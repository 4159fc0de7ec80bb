//! The credential types a citizen holds, their fields, and their validation.
//!
//! Field names follow the synthetic samples (`shared/data/samples/people.json`) so a JSON export
//! of one credential deserializes directly. Every type has hand-written `Debug` that prints no
//! personal data (see [`redacted_debug!`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ids::{check_bhyt_code, check_citizen_id_matches, check_icd10, check_old_id, parse_citizen_id};
use super::name::{is_normalized_name, normalize_name};
use super::Date;
use crate::{Error, InputError, InputRule, Result};

/// Longest free-text field we accept (address, facility, status...), in bytes.
pub const MAX_TEXT_LEN: usize = 512;
/// Most list entries (visits, vaccinations, drugs...) in one field.
pub const MAX_LIST_LEN: usize = 256;

/// The kinds of credential the wallet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CredentialType {
    /// Citizen identity card (CCCD / thẻ căn cước).
    CitizenId,
    /// Health insurance card (thẻ BHYT).
    HealthInsurance,
    /// Electronic health book (sổ sức khỏe điện tử).
    HealthBook,
    /// Judicial record certificate (phiếu lý lịch tư pháp).
    JudicialRecord,
    /// Purpose-specific clinic check-in credential: name, date of birth, ID and BHYT code only,
    /// issued so that the counter QR stays small (see DESIGN.md, size anchors).
    ClinicCheckin,
}

impl CredentialType {
    /// Every type, in the order of their [`code`](Self::code)s.
    pub const ALL: [CredentialType; 5] = [
        Self::CitizenId,
        Self::HealthInsurance,
        Self::HealthBook,
        Self::JudicialRecord,
        Self::ClinicCheckin,
    ];

    /// Stable name used in JSON, the CLI and trust lists.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CitizenId => "citizen_id",
            Self::HealthInsurance => "health_insurance",
            Self::HealthBook => "health_book",
            Self::JudicialRecord => "judicial_record",
            Self::ClinicCheckin => "clinic_checkin",
        }
    }

    /// Compact code carried inside signed credentials (a small integer keeps QR codes small).
    pub fn code(self) -> u8 {
        match self {
            Self::CitizenId => 1,
            Self::HealthInsurance => 2,
            Self::HealthBook => 3,
            Self::JudicialRecord => 4,
            Self::ClinicCheckin => 5,
        }
    }

    /// The type with this [`code`](Self::code), if any.
    pub fn from_code(code: u64) -> Option<Self> {
        Self::ALL.into_iter().find(|t| u64::from(t.code()) == code)
    }

    /// The type named `s` (its [`as_str`](Self::as_str) name, e.g. `"clinic_checkin"`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the known types.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            InputError::new(
                "credential type",
                InputRule::Unknown {
                    expected: Self::names(),
                },
            )
            .into()
        })
    }

    fn names() -> String {
        Self::ALL
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The type's name for people, in English ("Health insurance card").
    pub fn label_en(self) -> &'static str {
        match self {
            Self::CitizenId => "Citizen identity card",
            Self::HealthInsurance => "Health insurance card",
            Self::HealthBook => "Electronic health book",
            Self::JudicialRecord => "Judicial record certificate",
            Self::ClinicCheckin => "Clinic check-in",
        }
    }

    /// The type's name for people, in Vietnamese ("Thẻ bảo hiểm y tế").
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::CitizenId => "Căn cước công dân",
            Self::HealthInsurance => "Thẻ bảo hiểm y tế",
            Self::HealthBook => "Sổ sức khỏe điện tử",
            Self::JudicialRecord => "Phiếu lý lịch tư pháp",
            Self::ClinicCheckin => "Thông tin tiếp đón khám bệnh",
        }
    }
}

impl fmt::Display for CredentialType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Sex as printed on the ID card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Sex {
    /// Male (Nam); `"M"` in JSON.
    #[serde(rename = "M")]
    Male,
    /// Female (Nữ); `"F"` in JSON.
    #[serde(rename = "F")]
    Female,
    /// Neither; `"X"` in JSON.
    #[serde(rename = "X")]
    Other,
}

/// Hand-written Debug for personal-data structs: the type name and nothing else.
macro_rules! redacted_debug {
    ($($t:ty),*) => {$(
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($t), " { .. }"))
            }
        }
    )*};
}

/// Citizen identity card (CCCD 2021 / thẻ căn cước 2024).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct CitizenIdCard {
    /// The 12-digit citizen ID number; must agree with `dob` and `sex`.
    pub citizen_id: String,
    /// The old 9-digit identity card number (CMND), if any.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "empty_as_none"
    )]
    pub old_id: Option<String>,
    /// Full name (normalized to NFC, single spaces).
    pub full_name: String,
    /// Date of birth.
    pub dob: Date,
    /// Sex, as printed on the card; must agree with the ID number.
    pub sex: Sex,
    /// Permanent address (nơi thường trú).
    pub address: String,
    /// Ethnicity (dân tộc), if recorded.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "empty_as_none"
    )]
    pub ethnicity: Option<String>,
    /// Nationality, if recorded (`"VN"` when read from the card's QR).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "empty_as_none"
    )]
    pub nationality: Option<String>,
    /// Date of issue of the card, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_date: Option<Date>,
}

/// Health insurance card (thẻ BHYT).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthInsuranceCard {
    /// The insured person's full name.
    pub full_name: String,
    /// The insured person's date of birth.
    pub dob: Date,
    /// 15-character card code, or the 10-digit social insurance / 12-digit personal number.
    pub code: String,
    /// Registered primary clinic (`MA_DKBD`).
    pub registered_clinic: String,
    /// First day of validity.
    pub valid_from: Date,
    /// Last day of validity (not before `valid_from`).
    pub valid_to: Date,
    /// Benefit level (mức hưởng) 1 to 5, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benefit_level: Option<u8>,
}

/// One vaccine dose in a [`HealthBook`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Vaccination {
    /// The vaccine's name ("Comirnaty (COVID-19)").
    pub vaccine: String,
    /// Which dose of the series (1, 2, 3...).
    pub dose: u8,
    /// When it was given.
    pub date: Date,
    /// Where it was given, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The vaccine's lot number, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
}

/// One visit to a health facility in a [`HealthBook`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    /// Date of the visit.
    pub date: Date,
    /// The facility visited.
    pub facility: String,
    /// outpatient, inpatient, emergency...
    #[serde(rename = "type")]
    pub visit_type: String,
    /// Why the patient came, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// ICD-10 codes, main diagnosis first.
    #[serde(default)]
    pub diagnoses: Vec<String>,
    /// Drugs prescribed, one entry per drug with dose and quantity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drugs: Vec<String>,
    /// Procedures performed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<String>,
    /// Height measured at the visit, in centimetres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_cm: Option<u16>,
    /// Weight measured at the visit, in kilograms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<u16>,
    /// Date of the follow-up visit (tái khám), if one was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_date: Option<Date>,
}

/// Electronic health book (sổ sức khỏe điện tử, QĐ 1332/QĐ-BYT).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthBook {
    /// The patient's full name.
    pub full_name: String,
    /// The patient's date of birth.
    pub dob: Date,
    /// The patient's 12-digit citizen ID number.
    pub citizen_id: String,
    /// ABO blood group with Rh sign (`"O+"`, `"AB-"`...), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blood_type: Option<String>,
    /// Known allergies, in free text.
    #[serde(default)]
    pub allergies: Vec<String>,
    /// Chronic conditions as ICD-10 codes.
    #[serde(default)]
    pub chronic: Vec<String>,
    /// Vaccinations received.
    #[serde(default)]
    pub vaccinations: Vec<Vaccination>,
    /// Visits to health facilities.
    #[serde(default)]
    pub visits: Vec<Visit>,
}

/// One conviction (án tích) listed on a [`JudicialRecord`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Conviction {
    /// The offence ("Đánh bạc").
    pub offence: String,
    /// The article of law applied, if given ("Điều 248 BLHS 1999").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub law: Option<String>,
    /// The judgment's number, if given ("45/2010/HS-ST").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judgment: Option<String>,
    /// The penalty imposed, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<String>,
    /// When the conviction was expunged (xóa án tích), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expunged: Option<Date>,
}

/// Judicial record certificate (phiếu lý lịch tư pháp) no. 1 or no. 2.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct JudicialRecord {
    /// The holder's full name.
    pub full_name: String,
    /// The holder's date of birth.
    pub dob: Date,
    /// The holder's 12-digit citizen ID number.
    pub citizen_id: String,
    /// 1 or 2.
    pub form: u8,
    /// e.g. "Không có án tích".
    pub status: String,
    /// The convictions listed (empty when there are none).
    #[serde(default)]
    pub convictions: Vec<Conviction>,
    /// The office that issued the certificate ("Sở Tư pháp TP Hà Nội").
    pub issuer: String,
    /// Date of issue of the certificate.
    pub issued: Date,
    /// The certificate's number.
    pub number: String,
}

/// The clinic check-in credential: the four fields a counter needs, nothing more.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ClinicCheckin {
    /// The patient's full name.
    pub full_name: String,
    /// The patient's date of birth.
    pub dob: Date,
    /// The patient's 12-digit citizen ID number.
    pub citizen_id: String,
    /// The health insurance card code (as [`HealthInsuranceCard::code`]).
    pub bhyt_code: String,
}

redacted_debug!(
    CitizenIdCard,
    HealthInsuranceCard,
    Vaccination,
    Visit,
    HealthBook,
    Conviction,
    JudicialRecord,
    ClinicCheckin
);

/// Any credential the wallet holds.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum Credential {
    /// A citizen identity card ([`CredentialType::CitizenId`]).
    CitizenId(CitizenIdCard),
    /// A health insurance card ([`CredentialType::HealthInsurance`]).
    HealthInsurance(HealthInsuranceCard),
    /// An electronic health book ([`CredentialType::HealthBook`]).
    HealthBook(HealthBook),
    /// A judicial record certificate ([`CredentialType::JudicialRecord`]).
    JudicialRecord(JudicialRecord),
    /// A clinic check-in credential ([`CredentialType::ClinicCheckin`]).
    ClinicCheckin(ClinicCheckin),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credential::{:?} {{ .. }}", self.credential_type())
    }
}

fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    Ok(s.filter(|s| !s.trim().is_empty()))
}

fn text(field: &'static str, s: &str) -> Result<()> {
    if s.trim().is_empty() {
        return Err(InputError::new(field, InputRule::Empty).into());
    }
    opt_text(field, Some(s))
}

fn opt_text(field: &'static str, s: Option<&str>) -> Result<()> {
    match s {
        Some(s) if s.len() > MAX_TEXT_LEN => {
            Err(InputError::new(field, InputRule::TooLong { max: MAX_TEXT_LEN }).into())
        }
        Some(s) if has_control_char(s) => Err(InputError::new(field, InputRule::ControlCharacters).into()),
        _ => Ok(()),
    }
}

/// `s.chars().any(char::is_control)`, on bytes: the control characters (Unicode `Cc`) are
/// U+0000-U+001F and U+007F (one byte each in UTF-8) and U+0080-U+009F (`C2 80`-`C2 9F`).
/// Every stored text is checked on every insert, so this runs over ~1 KB per credential.
fn has_control_char(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().any(|&x| x < 0x20 || x == 0x7f)
        || b.windows(2).any(|w| w[0] == 0xc2 && (0x80..0xa0).contains(&w[1]))
}

fn list<T>(field: &'static str, v: &[T]) -> Result<()> {
    if v.len() > MAX_LIST_LEN {
        return Err(InputError::new(field, InputRule::TooMany { max: MAX_LIST_LEN }).into());
    }
    Ok(())
}

impl Credential {
    /// Which kind of credential this is.
    pub fn credential_type(&self) -> CredentialType {
        match self {
            Self::CitizenId(_) => CredentialType::CitizenId,
            Self::HealthInsurance(_) => CredentialType::HealthInsurance,
            Self::HealthBook(_) => CredentialType::HealthBook,
            Self::JudicialRecord(_) => CredentialType::JudicialRecord,
            Self::ClinicCheckin(_) => CredentialType::ClinicCheckin,
        }
    }

    /// The holder's full name (every credential type carries one).
    pub fn full_name(&self) -> &str {
        match self {
            Self::CitizenId(c) => &c.full_name,
            Self::HealthInsurance(c) => &c.full_name,
            Self::HealthBook(c) => &c.full_name,
            Self::JudicialRecord(c) => &c.full_name,
            Self::ClinicCheckin(c) => &c.full_name,
        }
    }

    /// Parses one credential of type `ty` from its JSON fields (the layout of the samples).
    pub fn from_json(ty: CredentialType, json: &str) -> Result<Self> {
        if json.len() > 1 << 20 {
            return Err(InputError::new("credential JSON", InputRule::Invalid("larger than 1 MiB")).into());
        }
        let v: serde_json::Value = serde_json::from_str(json).map_err(|e| {
            InputError::new(
                "credential JSON",
                InputRule::Syntax {
                    line: e.line(),
                    column: e.column(),
                },
            )
        })?;
        Self::from_value(ty, v)
    }

    /// Builds one credential of type `ty` from a JSON object of its fields, normalized and
    /// validated.
    pub fn from_value(ty: CredentialType, v: serde_json::Value) -> Result<Self> {
        // serde's messages can quote input values ("invalid type: integer `1192034517`",
        // "unknown variant `...`"): keep only the name in "missing field `name`", which is one
        // of our own field names, never input.
        fn de<T: serde::de::DeserializeOwned>(ty: CredentialType, v: serde_json::Value) -> Result<T> {
            serde_json::from_value(v).map_err(|e| {
                let msg = e.to_string();
                let field = msg
                    .strip_prefix("missing field `")
                    .and_then(|rest| rest.split('`').next())
                    .filter(|f| f.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                    .map_or_else(|| ty.to_string(), |f| format!("{ty}.{f}"));
                Error::from(InputError::new(
                    field,
                    InputRule::Invalid("missing or mistyped field"),
                ))
            })
        }
        let mut c = match ty {
            CredentialType::CitizenId => Self::CitizenId(de(ty, v)?),
            CredentialType::HealthInsurance => Self::HealthInsurance(de(ty, v)?),
            CredentialType::HealthBook => Self::HealthBook(de(ty, v)?),
            CredentialType::JudicialRecord => Self::JudicialRecord(de(ty, v)?),
            CredentialType::ClinicCheckin => Self::ClinicCheckin(de(ty, v)?),
        };
        c.normalize_and_validate()?;
        Ok(c)
    }

    /// The credential's fields as a JSON object (the inverse of [`Credential::from_value`]).
    pub fn to_value(&self) -> serde_json::Value {
        let v = match self {
            Self::CitizenId(c) => serde_json::to_value(c),
            Self::HealthInsurance(c) => serde_json::to_value(c),
            Self::HealthBook(c) => serde_json::to_value(c),
            Self::JudicialRecord(c) => serde_json::to_value(c),
            Self::ClinicCheckin(c) => serde_json::to_value(c),
        };
        // Serializing plain structs of strings and numbers cannot fail.
        v.unwrap_or(serde_json::Value::Null)
    }

    /// Normalizes names to NFC and checks every field's format and size.
    pub fn normalize_and_validate(&mut self) -> Result<()> {
        let n = self.full_name_mut();
        if !is_normalized_name(n) {
            *n = normalize_name(n);
        }
        self.validate_normalized()
    }

    /// [`Self::normalize_and_validate`] for a borrowed credential, copying it only when a name
    /// needs normalizing (credentials this library built or read back never do): the store
    /// seals thousands per batch, and a deep copy of each cost as much as its validation.
    pub fn to_normalized(&self) -> Result<std::borrow::Cow<'_, Credential>> {
        if is_normalized_name(self.full_name()) {
            self.validate_normalized()?;
            Ok(std::borrow::Cow::Borrowed(self))
        } else {
            let mut c = self.clone();
            c.normalize_and_validate()?;
            Ok(std::borrow::Cow::Owned(c))
        }
    }

    fn full_name_mut(&mut self) -> &mut String {
        match self {
            Self::CitizenId(c) => &mut c.full_name,
            Self::HealthInsurance(c) => &mut c.full_name,
            Self::HealthBook(c) => &mut c.full_name,
            Self::JudicialRecord(c) => &mut c.full_name,
            Self::ClinicCheckin(c) => &mut c.full_name,
        }
    }

    /// Every check of [`Self::normalize_and_validate`], on a credential whose name is already
    /// normalized.
    fn validate_normalized(&self) -> Result<()> {
        match self {
            Self::CitizenId(c) => {
                text("full_name", &c.full_name)?;
                check_citizen_id_matches(&c.citizen_id, c.dob, c.sex)?;
                if let Some(old) = &c.old_id {
                    check_old_id(old)?;
                }
                text("address", &c.address)?;
                opt_text("ethnicity", c.ethnicity.as_deref())?;
                opt_text("nationality", c.nationality.as_deref())?;
            }
            Self::HealthInsurance(c) => {
                text("full_name", &c.full_name)?;
                check_bhyt_code(&c.code)?;
                text("registered_clinic", &c.registered_clinic)?;
                if c.valid_to < c.valid_from {
                    return Err(InputError::new("valid_to", InputRule::Invalid("before valid_from")).into());
                }
                if let Some(l) = c.benefit_level {
                    if !(1..=5).contains(&l) {
                        return Err(InputError::new("benefit_level", InputRule::Range("must be 1-5")).into());
                    }
                }
            }
            Self::HealthBook(c) => {
                text("full_name", &c.full_name)?;
                parse_citizen_id(&c.citizen_id)?;
                opt_text("blood_type", c.blood_type.as_deref())?;
                if let Some(bt) = &c.blood_type {
                    const TYPES: [&str; 8] = ["O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"];
                    if !TYPES.contains(&bt.as_str()) {
                        return Err(InputError::new(
                            "blood_type",
                            InputRule::Format("expected ABO with Rh sign"),
                        )
                        .into());
                    }
                }
                list("allergies", &c.allergies)?;
                for a in &c.allergies {
                    text("allergies", a)?;
                }
                list("chronic", &c.chronic)?;
                for code in &c.chronic {
                    check_icd10(code)?;
                }
                list("vaccinations", &c.vaccinations)?;
                for v in &c.vaccinations {
                    text("vaccinations.vaccine", &v.vaccine)?;
                    opt_text("vaccinations.place", v.place.as_deref())?;
                    opt_text("vaccinations.lot", v.lot.as_deref())?;
                }
                list("visits", &c.visits)?;
                for v in &c.visits {
                    text("visits.facility", &v.facility)?;
                    text("visits.type", &v.visit_type)?;
                    opt_text("visits.reason", v.reason.as_deref())?;
                    list("visits.diagnoses", &v.diagnoses)?;
                    for d in &v.diagnoses {
                        check_icd10(d)?;
                    }
                    list("visits.drugs", &v.drugs)?;
                    list("visits.procedures", &v.procedures)?;
                    for s in v.drugs.iter().chain(&v.procedures) {
                        text("visits.drugs/procedures", s)?;
                    }
                }
            }
            Self::JudicialRecord(c) => {
                text("full_name", &c.full_name)?;
                parse_citizen_id(&c.citizen_id)?;
                if c.form != 1 && c.form != 2 {
                    return Err(InputError::new("form", InputRule::Range("must be 1 or 2")).into());
                }
                text("status", &c.status)?;
                text("issuer", &c.issuer)?;
                text("number", &c.number)?;
                list("convictions", &c.convictions)?;
                for cv in &c.convictions {
                    text("convictions.offence", &cv.offence)?;
                    for s in [&cv.law, &cv.judgment, &cv.penalty] {
                        opt_text("convictions", s.as_deref())?;
                    }
                }
            }
            Self::ClinicCheckin(c) => {
                text("full_name", &c.full_name)?;
                parse_citizen_id(&c.citizen_id)?;
                check_bhyt_code(&c.bhyt_code)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_check_on_bytes_is_char_is_control() {
        // Every scalar value, alone and between Vietnamese text.
        for c in (0..=0x10_ffff_u32).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("Hà{c}Nội")] {
                assert_eq!(has_control_char(&s), c.is_control(), "U+{:04X}", u32::from(c));
            }
        }
        assert!(!has_control_char(""));
        assert!(!has_control_char("Đặng Thị Ngọc Ánh, 12 phố Huế"));
    }

    fn checkin(name: &str) -> Credential {
        Credential::ClinicCheckin(ClinicCheckin {
            full_name: name.into(),
            dob: Date::parse("1990-05-17").unwrap(),
            citizen_id: "001090012345".into(),
            bhyt_code: "DN4010123456789".into(),
        })
    }

    #[test]
    fn to_normalized_borrows_a_normalized_credential_and_copies_otherwise() {
        use std::borrow::Cow;
        let ok = checkin("Nguyễn Văn An");
        assert!(matches!(ok.to_normalized().unwrap(), Cow::Borrowed(c) if *c == ok));

        let messy = checkin("  Nguyễn   Văn An ");
        let mut want = messy.clone();
        want.normalize_and_validate().unwrap();
        match messy.to_normalized().unwrap() {
            Cow::Owned(c) => assert_eq!(c, want),
            Cow::Borrowed(_) => panic!("a name to normalize must give a copy"),
        }

        // The same checks as normalize_and_validate, borrowed or not.
        for bad in [checkin("Nguyễn\u{7}An"), checkin(" "), checkin(" Lê\u{90}Văn ")] {
            let mut m = bad.clone();
            assert_eq!(bad.to_normalized().is_err(), m.normalize_and_validate().is_err());
            assert!(bad.to_normalized().is_err());
        }
    }
}
