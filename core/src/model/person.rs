//! Whole-person records (the layout of `people.json`, as a government export would give them)
//! and the QR printed on the chip ID card (CCCD), turned into typed credentials.

use std::fmt;

use serde::Deserialize;

use super::{
    CitizenIdCard, ClinicCheckin, Credential, CredentialType, Date, HealthBook, HealthInsuranceCard,
    JudicialRecord, Sex,
};
use crate::{InputError, InputRule, Result};

/// One person with every credential a wallet would hold for them.
#[derive(Clone, Deserialize)]
pub struct PersonRecord {
    /// A short handle for tests and the demo (not personal data).
    #[serde(default)]
    pub key: String,
    /// Full name, as on the citizen ID card.
    pub full_name: String,
    /// Date of birth.
    pub dob: Date,
    /// Sex, as on the citizen ID card.
    pub sex: Sex,
    /// The 12-digit citizen ID number.
    pub citizen_id: String,
    /// The old 9-digit ID card number (CMND), if the person had one.
    #[serde(default)]
    pub old_id: Option<String>,
    /// Permanent address.
    pub address: String,
    /// Ethnicity, if recorded.
    #[serde(default)]
    pub ethnicity: Option<String>,
    /// Nationality, if recorded.
    #[serde(default)]
    pub nationality: Option<String>,
    /// The health insurance card's fields without name and date of birth (taken from this
    /// record); a card also yields the clinic check-in credential.
    #[serde(default)]
    pub bhyt: Option<serde_json::Value>,
    /// The electronic health book's fields without name, date of birth and ID number (taken
    /// from this record).
    #[serde(default)]
    pub health_book: Option<serde_json::Value>,
    /// The judicial record certificate's fields without name, date of birth and ID number
    /// (taken from this record).
    #[serde(default)]
    pub judicial_record: Option<serde_json::Value>,
}

impl fmt::Debug for PersonRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonRecord {{ key: {:?}, .. }}", self.key)
    }
}

#[derive(Deserialize)]
struct PeopleFile {
    people: Vec<PersonRecord>,
}

impl PersonRecord {
    /// Parses a `{"people": [...]}` file.
    pub fn parse_list(json: &str) -> Result<Vec<PersonRecord>> {
        let f: PeopleFile = serde_json::from_str(json).map_err(|e| {
            InputError::new(
                "people file",
                InputRule::Syntax {
                    line: e.line(),
                    column: e.column(),
                },
            )
        })?;
        Ok(f.people)
    }

    fn with_identity(&self, mut fields: serde_json::Value, with_id: bool) -> serde_json::Value {
        if let serde_json::Value::Object(m) = &mut fields {
            m.insert("full_name".into(), self.full_name.clone().into());
            m.insert("dob".into(), self.dob.to_string().into());
            if with_id {
                m.insert("citizen_id".into(), self.citizen_id.clone().into());
            }
        }
        fields
    }

    /// Every credential this person holds: citizen ID, and where present health insurance,
    /// health book, judicial record, plus the clinic check-in credential (needs a BHYT card).
    pub fn credentials(&self) -> Result<Vec<Credential>> {
        let mut out = Vec::new();
        let mut id = Credential::CitizenId(CitizenIdCard {
            citizen_id: self.citizen_id.clone(),
            old_id: self.old_id.clone().filter(|s| !s.is_empty()),
            full_name: self.full_name.clone(),
            dob: self.dob,
            sex: self.sex,
            address: self.address.clone(),
            ethnicity: self.ethnicity.clone(),
            nationality: self.nationality.clone(),
            issue_date: None,
        });
        id.normalize_and_validate()?;
        out.push(id);
        if let Some(b) = &self.bhyt {
            let card = Credential::from_value(
                CredentialType::HealthInsurance,
                self.with_identity(b.clone(), false),
            )?;
            if let Credential::HealthInsurance(HealthInsuranceCard { code, .. }) = &card {
                let mut checkin = Credential::ClinicCheckin(ClinicCheckin {
                    full_name: self.full_name.clone(),
                    dob: self.dob,
                    citizen_id: self.citizen_id.clone(),
                    bhyt_code: code.clone(),
                });
                checkin.normalize_and_validate()?;
                out.push(card);
                out.push(checkin);
            }
        }
        if let Some(h) = &self.health_book {
            let book: Credential =
                Credential::from_value(CredentialType::HealthBook, self.with_identity(h.clone(), true))?;
            debug_assert!(matches!(book, Credential::HealthBook(HealthBook { .. })));
            out.push(book);
        }
        if let Some(j) = &self.judicial_record {
            let rec = Credential::from_value(
                CredentialType::JudicialRecord,
                self.with_identity(j.clone(), true),
            )?;
            debug_assert!(matches!(rec, Credential::JudicialRecord(JudicialRecord { .. })));
            out.push(rec);
        }
        Ok(out)
    }
}

/// The fields of the QR printed on a chip ID card: CCCD 2021 (7 fields) or thẻ căn cước 2024
/// (11 fields, the last four often empty), separated by `|`.
#[derive(Clone, PartialEq)]
pub struct CccdQr {
    /// The citizen ID card the QR describes, normalized and validated.
    pub card: CitizenIdCard,
}

impl fmt::Debug for CccdQr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CccdQr { .. }")
    }
}

/// Longest CCCD QR text we look at.
const MAX_CCCD_QR_LEN: usize = crate::format::limits::MAX_CCCD_QR_BYTES;

/// Parses the CCCD QR payload. Tolerates what scanners add: a BOM, NUL bytes, surrounding
/// whitespace and a `CCCD:` prefix.
pub fn parse_cccd_qr(text: &str) -> Result<CccdQr> {
    if text.len() > MAX_CCCD_QR_LEN {
        return Err(InputError::new("CCCD QR", InputRule::TooLong { max: MAX_CCCD_QR_LEN }).into());
    }
    let cleaned: String = text.chars().filter(|c| *c != '\u{feff}' && *c != '\0').collect();
    let mut s = cleaned.trim();
    if let Some(rest) = s.strip_prefix("CCCD:") {
        s = rest.trim_start();
    }
    let fields: Vec<&str> = s.split('|').collect();
    if fields.len() != 7 && fields.len() != 11 {
        return Err(InputError::new(
            "CCCD QR",
            InputRule::Format("expected 7 or 11 fields separated by |"),
        )
        .into());
    }
    let sex = match fields[4].trim() {
        "Nam" => Sex::Male,
        "Nữ" => Sex::Female,
        _ => {
            return Err(InputError::new("CCCD QR", InputRule::Invalid("sex field must be Nam or Nữ")).into())
        }
    };
    let dob = Date::parse_ddmmyyyy(fields[3].trim())?;
    let issue = fields[6].trim();
    let mut cred = Credential::CitizenId(CitizenIdCard {
        citizen_id: fields[0].trim().to_string(),
        old_id: Some(fields[1].trim().to_string()).filter(|s| !s.is_empty()),
        full_name: fields[2].to_string(),
        dob,
        sex,
        address: fields[5].trim().to_string(),
        ethnicity: None,
        nationality: Some("VN".into()),
        issue_date: if issue.is_empty() {
            None
        } else {
            Some(Date::parse_ddmmyyyy(issue)?)
        },
    });
    cred.normalize_and_validate()?;
    match cred {
        Credential::CitizenId(card) => Ok(CccdQr { card }),
        _ => Err(InputError::new("CCCD QR", InputRule::Invalid("not a citizen ID")).into()),
    }
}
