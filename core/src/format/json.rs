//! The bridge between the model's JSON claim values and CBOR: what an issuer signs and what a
//! verifier shows are the same values.

use super::cbor::Value;
use crate::{InputError, InputRule, RejectReason, Result};

/// Converts a model JSON value to CBOR (strings, integers, booleans, null, arrays, objects).
pub(crate) fn json_to_cbor(v: &serde_json::Value) -> Result<Value> {
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::Uint(u)
            } else if let Some(i) = n.as_i64() {
                Value::int(i)
            } else {
                return Err(InputError::new(
                    "claim values",
                    InputRule::Invalid("fractional numbers are not supported"),
                )
                .into());
            }
        }
        serde_json::Value::String(s) => Value::Text(s.clone()),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(json_to_cbor).collect::<Result<_>>()?),
        serde_json::Value::Object(m) => Value::Map(
            m.iter()
                .map(|(k, v)| Ok((Value::Text(k.clone()), json_to_cbor(v)?)))
                .collect::<Result<_>>()?,
        ),
    })
}

/// Converts a CBOR claim value back to JSON. Byte strings, tags, simple values and non-text map
/// keys do not occur in our claims: [`RejectReason::Malformed`].
pub(crate) fn cbor_to_json(v: &Value) -> Result<serde_json::Value> {
    Ok(match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Uint(u) => serde_json::Value::from(*u),
        Value::Nint(_) => serde_json::Value::from(v.as_i64().ok_or(RejectReason::Malformed)?),
        Value::Text(s) => serde_json::Value::String(s.clone()),
        Value::Array(a) => serde_json::Value::Array(a.iter().map(cbor_to_json).collect::<Result<_>>()?),
        Value::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| {
                    Ok((
                        k.as_text().ok_or(RejectReason::Malformed)?.to_owned(),
                        cbor_to_json(v)?,
                    ))
                })
                .collect::<Result<_>>()?,
        ),
        Value::Bytes(_) | Value::Tag(..) | Value::Simple(_) => return Err(RejectReason::Malformed.into()),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn json_cbor_round_trip() {
        let j = serde_json::json!({"a": [1, -2, "x", {"b": null, "c": true}], "d": 18446744073709551615u64});
        assert_eq!(cbor_to_json(&json_to_cbor(&j).unwrap()).unwrap(), j);
        assert!(json_to_cbor(&serde_json::json!(1.5)).is_err());
        assert!(cbor_to_json(&Value::Bytes(vec![1])).is_err());
    }
}
