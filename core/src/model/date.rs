//! Calendar dates (`YYYY-MM-DD`), validated, with day arithmetic for expiry checks.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{InputError, InputRule, Result};

/// A proleptic Gregorian calendar date. Serialized as `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A validated date.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self> {
        if !(1800..=2200).contains(&year) {
            return Err(InputError::new("date", InputRule::Range("year out of range 1800..2200")).into());
        }
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(InputError::new("date", InputRule::Invalid("no such calendar day")).into());
        }
        Ok(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(InputError::new("date", InputRule::Format("expected YYYY-MM-DD")).into());
        }
        Self::new(
            digits(&s[0..4])? as u16,
            digits(&s[5..7])? as u8,
            digits(&s[8..10])? as u8,
        )
    }

    /// Parses `DDMMYYYY` (the layout printed in the CCCD QR code).
    pub fn parse_ddmmyyyy(s: &str) -> Result<Self> {
        if s.len() != 8 || !s.is_ascii() {
            return Err(InputError::new("date", InputRule::Format("expected DDMMYYYY")).into());
        }
        Self::new(
            digits(&s[4..8])? as u16,
            digits(&s[2..4])? as u8,
            digits(&s[0..2])? as u8,
        )
    }

    /// The year (1800 to 2200).
    pub fn year(self) -> u16 {
        self.year
    }
    /// The month (1 to 12).
    pub fn month(self) -> u8 {
        self.month
    }
    /// The day of the month (1 to 31).
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Unix seconds at 00:00 UTC of this date.
    pub fn unix_start(self) -> i64 {
        self.days_since_epoch() * 86_400
    }

    /// Unix seconds at the end (23:59:59 UTC) of this date.
    pub fn unix_end(self) -> i64 {
        self.unix_start() + 86_399
    }

    /// The UTC date of a unix time.
    pub fn from_unix(secs: i64) -> Self {
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(0, i64::from(u16::MAX)) as u16;
        Self { year, month, day }
    }
}

fn digits(s: &str) -> Result<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputError::new("date", InputRule::Format("expected digits")).into());
    }
    s.parse()
        .map_err(|_| InputError::new("date", InputRule::Format("expected digits")).into())
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Dates can be birth dates: Debug shows only that a date is there.
impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Date(..)")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            Date::parse("1992-03-14").map(|d| d.to_string()).ok().as_deref(),
            Some("1992-03-14")
        );
        assert!(Date::parse("1992-02-30").is_err());
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("92-03-14").is_err());
        assert!(Date::parse("1992-3-140").is_err());
        assert_eq!(
            Date::parse_ddmmyyyy("14031992").ok(),
            Date::parse("1992-03-14").ok()
        );
    }

    #[test]
    fn epoch_round_trip() {
        for s in [
            "1970-01-01",
            "1964-01-23",
            "2000-02-29",
            "2026-12-31",
            "1800-01-01",
        ] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_unix(d.unix_start()), d);
            assert_eq!(Date::from_unix(d.unix_end()), d);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().unix_start(), 86_400);
    }
}
