//! Identifier formats: citizen ID number, old 9-digit ID, BHYT card code, ICD-10 code.
//!
//! Validation errors name the rule that failed, never the value.

use crate::model::{Date, Sex};
use crate::{InputError, InputRule, Result};

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// The structure of a 12-digit citizen ID number (TT 07/2016, TT 59/2021 of the Ministry of
/// Public Security): 3-digit birth province + 1 sex/century digit + 2-digit birth year + 6 digits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CitizenIdParts {
    /// The birth province code (1 to 96), from the first three digits.
    pub province: u16,
    /// The holder's sex, from the fourth digit.
    pub sex: Sex,
    /// The full birth year: the century from the fourth digit plus the fifth and sixth digits.
    pub birth_year: u16,
}

/// Validates a 12-digit citizen ID number and returns its structure.
pub fn parse_citizen_id(id: &str) -> Result<CitizenIdParts> {
    if id.len() != 12 || !all_digits(id) {
        return Err(InputError::new("citizen ID", InputRule::Format("must be 12 digits")).into());
    }
    let d = id.as_bytes();
    let num = |r: std::ops::Range<usize>| d[r].iter().fold(0u16, |a, b| a * 10 + u16::from(b - b'0'));
    let province = num(0..3);
    // Province codes run 001..096 (the 63 pre-2025 provinces kept their codes after the merger).
    if !(1..=96).contains(&province) {
        return Err(InputError::new("citizen ID", InputRule::Invalid("unknown province code")).into());
    }
    let g = u16::from(d[3] - b'0');
    let century = match g / 2 {
        0 => 1900,
        1 => 2000,
        2 => 2100,
        3 => 2200,
        _ => 1800, // 8/9
    };
    let sex = if g % 2 == 0 { Sex::Male } else { Sex::Female };
    Ok(CitizenIdParts {
        province,
        sex,
        birth_year: century + num(4..6),
    })
}

/// Checks that a citizen ID number agrees with the holder's birth date and sex.
pub fn check_citizen_id_matches(id: &str, dob: Date, sex: Sex) -> Result<()> {
    let parts = parse_citizen_id(id)?;
    if parts.birth_year != dob.year() {
        return Err(InputError::new(
            "citizen ID",
            InputRule::Invalid("birth year digits do not match the date of birth"),
        )
        .into());
    }
    if sex != Sex::Other && parts.sex != sex {
        return Err(InputError::new(
            "citizen ID",
            InputRule::Invalid("sex digit does not match the sex field"),
        )
        .into());
    }
    Ok(())
}

/// Validates the old 9-digit identity card number (CMND).
pub fn check_old_id(id: &str) -> Result<()> {
    if id.len() == 9 && all_digits(id) {
        Ok(())
    } else {
        Err(InputError::new("old ID", InputRule::Format("must be 9 digits")).into())
    }
}

/// Validates a health insurance (BHYT) card code: 15 characters (2-letter group, benefit level
/// 1-5, 2-digit province, 10-digit social insurance number), or the bare 10-digit social
/// insurance number, or the 12-digit personal ID that replaces it from 2025.
pub fn check_bhyt_code(code: &str) -> Result<()> {
    match code.len() {
        10 | 12 if all_digits(code) => Ok(()),
        15 => {
            let b = code.as_bytes();
            if !b[0].is_ascii_uppercase() || !b[1].is_ascii_uppercase() {
                return Err(InputError::new(
                    "BHYT code",
                    InputRule::Format("must start with a 2-letter group code"),
                )
                .into());
            }
            if !(b'1'..=b'5').contains(&b[2]) {
                return Err(
                    InputError::new("BHYT code", InputRule::Invalid("benefit level must be 1-5")).into(),
                );
            }
            if !all_digits(&code[3..]) {
                return Err(
                    InputError::new("BHYT code", InputRule::Format("must end with 12 digits")).into(),
                );
            }
            Ok(())
        }
        _ => Err(InputError::new(
            "BHYT code",
            InputRule::Format("must be 15 characters, or 10 or 12 digits"),
        )
        .into()),
    }
}

/// Validates an ICD-10 code such as `J02.9`, `I10`, `E11.9`: letter, 2 digits, optional `.`
/// and 1-2 alphanumerics.
pub fn check_icd10(code: &str) -> Result<()> {
    let b = code.as_bytes();
    let ok = b.len() >= 3
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_alphanumeric()
        && match b.len() {
            3 => true,
            5 | 6 => b[3] == b'.' && b[4..].iter().all(|c| c.is_ascii_alphanumeric()),
            _ => false,
        };
    if ok {
        Ok(())
    } else {
        Err(InputError::new(
            "ICD-10 code",
            InputRule::Format("expected a letter, two digits and an optional .xx suffix"),
        )
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizen_id_structure() {
        let p = parse_citizen_id("001192034517").unwrap();
        assert_eq!((p.province, p.sex, p.birth_year), (1, Sex::Female, 1992));
        let p = parse_citizen_id("048212006731").unwrap();
        assert_eq!((p.province, p.sex, p.birth_year), (48, Sex::Male, 2012));
        assert!(parse_citizen_id("00119203451").is_err());
        assert!(parse_citizen_id("00119203451a").is_err());
        assert!(parse_citizen_id("999192034517").is_err());
        let dob = Date::parse("1992-03-14").unwrap();
        assert!(check_citizen_id_matches("001192034517", dob, Sex::Female).is_ok());
        assert!(check_citizen_id_matches("001092034517", dob, Sex::Female).is_err());
        assert!(check_citizen_id_matches("001193034517", dob, Sex::Female).is_err());
    }

    #[test]
    fn bhyt_and_icd() {
        for ok in ["DN4010115283746", "7912345678", "001192034517"] {
            assert!(check_bhyt_code(ok).is_ok(), "{ok}");
        }
        for bad in [
            "DN6010115283746",
            "dn4010115283746",
            "DN40101152837",
            "79123456789",
        ] {
            assert!(check_bhyt_code(bad).is_err(), "{bad}");
        }
        for ok in ["J02.9", "I10", "E11.9", "S52.52"] {
            assert!(check_icd10(ok).is_ok(), "{ok}");
        }
        for bad in ["j02.9", "I1", "E11-9", "E11.", "1234"] {
            assert!(check_icd10(bad).is_err(), "{bad}");
        }
    }
}
