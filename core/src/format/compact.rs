//! Compact claim encodings (since presentation format 2): the same values in fewer bytes,
//! losslessly, for the claims every check-in QR carries.
//!
//! | claim | JSON (model) | signed as | bytes (check-in sample) |
//! |---|---|---|---|
//! | dates (`dob`, `issue_date`, `valid_from`, `valid_to`, `issued`) | `"1992-03-14"` | days since 1970-01-01, an integer (negative before 1970) | 11 → 3 |
//! | `citizen_id` (always 12 digits) | `"001192034517"` | the number, an unsigned integer; read back zero-padded to 12 digits, so the leading province code `001` survives | 13 → 5 or 9 |
//! | BHYT code (`code`, `bhyt_code`) | `"DN4010115283746"` | an unsigned integer: 10 digits as `n`; 12 digits as `10^10 + n`; 2 letters + 13 digits as `2·10^12 + (26·L1 + L2)·10^13 + n` | 16 → 9 |
//!
//! A value that does not have the claim's shape (it cannot, once validated by the model, but a
//! hand-made issuer may sign anything) stays text. Reading is by CBOR type: text is read as
//! text (credentials issued before these encodings, and any claim without one), an integer is
//! decoded by the claim's rule; an integer out of its rule's range is
//! [`RejectReason::Malformed`]. Every other claim goes through `json` unchanged.

use super::cbor::Value;
use super::json::{cbor_to_json, json_to_cbor};
use crate::model::{ClaimDef, Date};
use crate::{RejectReason, Result};

const DATE_CLAIMS: &[&str] = &["dob", "issue_date", "valid_from", "valid_to", "issued"];
const BHYT_CLAIMS: &[&str] = &["code", "bhyt_code"];

const TEN_10: u64 = 10_000_000_000;
const TEN_12: u64 = 1_000_000_000_000;
const TEN_13: u64 = 10_000_000_000_000;
/// Where 15-character BHYT codes start (past `10^10 + 10^12`, the 12-digit range's end).
const BHYT15_BASE: u64 = 2 * TEN_12;

/// The signed form of claim `def`'s value `v`.
pub(crate) fn encode_claim(def: &ClaimDef, v: &serde_json::Value) -> Result<Value> {
    if let serde_json::Value::String(s) = v {
        if let Some(c) = compact(def.name, s) {
            return Ok(c);
        }
    }
    json_to_cbor(v)
}

/// The model (JSON) value of claim `def` from its signed form.
pub(crate) fn decode_claim(def: &ClaimDef, v: &Value) -> Result<serde_json::Value> {
    let as_int = match v {
        Value::Uint(_) | Value::Nint(_) => v.as_i64(),
        _ => return cbor_to_json(v),
    };
    let name = def.name;
    let text = if DATE_CLAIMS.contains(&name) {
        let days = as_int.ok_or(RejectReason::Malformed)?;
        // Years 1800..2200, the model's range (1800-01-01 is day -62,091).
        if !(-62_100..=84_400).contains(&days) {
            return Err(RejectReason::Malformed.into());
        }
        let d = Date::from_unix(days * 86_400);
        Date::new(d.year(), d.month(), d.day()).map_err(|_| RejectReason::Malformed)?;
        d.to_string()
    } else if name == "citizen_id" {
        let n = v
            .as_u64()
            .filter(|n| *n < TEN_12)
            .ok_or(RejectReason::Malformed)?;
        format!("{n:012}")
    } else if BHYT_CLAIMS.contains(&name) {
        let n = v.as_u64().ok_or(RejectReason::Malformed)?;
        bhyt_text(n).ok_or(RejectReason::Malformed)?
    } else {
        return cbor_to_json(v);
    };
    Ok(serde_json::Value::String(text))
}

fn compact(name: &str, s: &str) -> Option<Value> {
    if DATE_CLAIMS.contains(&name) {
        let d = Date::parse(s).ok()?;
        // Only the canonical text round-trips.
        (d.to_string() == s).then(|| Value::int(d.days_since_epoch()))
    } else if name == "citizen_id" {
        (s.len() == 12 && all_digits(s)).then(|| s.parse().ok().map(Value::Uint))?
    } else if BHYT_CLAIMS.contains(&name) {
        bhyt_int(s).map(Value::Uint)
    } else {
        None
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn bhyt_int(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    match b.len() {
        10 if all_digits(s) => s.parse().ok(),
        12 if all_digits(s) => s.parse::<u64>().ok().map(|n| TEN_10 + n),
        15 if b[0].is_ascii_uppercase() && b[1].is_ascii_uppercase() && all_digits(&s[2..]) => {
            let letters = u64::from(b[0] - b'A') * 26 + u64::from(b[1] - b'A');
            let n: u64 = s[2..].parse().ok()?;
            Some(BHYT15_BASE + letters * TEN_13 + n)
        }
        _ => None,
    }
}

fn bhyt_text(n: u64) -> Option<String> {
    if n < TEN_10 {
        Some(format!("{n:010}"))
    } else if n < TEN_10 + TEN_12 {
        Some(format!("{:012}", n - TEN_10))
    } else if n >= BHYT15_BASE {
        let m = n - BHYT15_BASE;
        let letters = m / TEN_13;
        if letters >= 26 * 26 {
            return None;
        }
        let l1 = char::from(b'A' + u8::try_from(letters / 26).ok()?);
        let l2 = char::from(b'A' + u8::try_from(letters % 26).ok()?);
        Some(format!("{l1}{l2}{:013}", m % TEN_13))
    } else {
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::format::cbor;

    fn def(name: &str) -> &'static ClaimDef {
        ClaimDef::by_name(name).unwrap()
    }

    fn round_trip(name: &str, text: &str, bytes: usize) {
        let j = serde_json::Value::String(text.into());
        let c = encode_claim(def(name), &j).unwrap();
        assert!(!matches!(c, Value::Text(_)), "{name} {text}");
        assert_eq!(cbor::encode(&c).len(), bytes, "{name} {text}");
        assert_eq!(decode_claim(def(name), &c).unwrap(), j, "{name} {text}");
        // The text form (format 1 credentials) still reads.
        assert_eq!(decode_claim(def(name), &Value::text(text)).unwrap(), j);
    }

    #[test]
    fn compact_claims_round_trip_losslessly() {
        round_trip("dob", "1992-03-14", 3);
        round_trip("dob", "1964-01-23", 3);
        round_trip("dob", "1800-01-01", 3);
        round_trip("valid_to", "2199-12-31", 5);
        round_trip("valid_to", "2026-12-31", 3);
        round_trip("citizen_id", "001192034517", 5);
        round_trip("citizen_id", "079085012384", 9);
        round_trip("citizen_id", "000000000001", 1);
        round_trip("bhyt_code", "DN4010115283746", 9);
        round_trip("code", "ZZ5999999999999", 9);
        round_trip("code", "AA1000000000000", 9);
        round_trip("code", "7912345678", 9);
        round_trip("code", "0012345678", 5);
        round_trip("code", "001192034517", 9);
        // Not of the shape: stays text.
        for (name, text) in [
            ("dob", "1992-3-14"),
            ("citizen_id", "0011920345"),
            ("code", "dn4010115283746"),
        ] {
            let c = encode_claim(def(name), &serde_json::Value::String(text.into())).unwrap();
            assert_eq!(c, Value::text(text));
        }
        // Integers out of range are malformed, not misread.
        for (name, v) in [
            ("dob", Value::int(1_000_000)),
            ("citizen_id", Value::Uint(TEN_12)),
            ("citizen_id", Value::int(-1)),
            ("code", Value::Uint(TEN_10 + TEN_12)),
            ("code", Value::Uint(BHYT15_BASE + 676 * TEN_13)),
        ] {
            assert!(decode_claim(def(name), &v).is_err(), "{name}");
        }
        // Other claims are unchanged.
        let n = serde_json::Value::String("Nguyễn Văn An".into());
        assert_eq!(
            encode_claim(def("full_name"), &n).unwrap(),
            Value::text("Nguyễn Văn An")
        );
    }
}
