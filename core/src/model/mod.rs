//! The credential model: types, fields, validation, claim registry and vi/en labels.
//!
//! Everything here is plain data plus validation; nothing touches storage or crypto. Types that
//! hold personal data implement `Debug` by hand and print no field values.

mod claims;
mod credential;
mod date;
mod ids;
mod name;
mod person;

pub use claims::{claim_names, display_value, resolve_claim_names, ClaimDef, ClaimValue, CLAIMS};
pub use credential::{
    CitizenIdCard, ClinicCheckin, Conviction, Credential, CredentialType, HealthBook, HealthInsuranceCard,
    JudicialRecord, Sex, Vaccination, Visit, MAX_LIST_LEN, MAX_TEXT_LEN,
};
pub use date::Date;
pub use ids::{
    check_bhyt_code, check_citizen_id_matches, check_icd10, check_old_id, parse_citizen_id, CitizenIdParts,
};
pub use name::{folded_key, normalize_name};
pub use person::{parse_cccd_qr, CccdQr, PersonRecord};
