//! A small, strict CBOR (RFC 8949) value type with a bounded decoder and a deterministic encoder.
//!
//! Why not `ciborium::Value`: SD-CWT puts the CBOR simple value 59 (`redacted_claim_keys`) in map
//! keys, and ciborium's data model cannot represent simple values other than false/true/null/
//! undefined (it fails with "expected known simple value"). A verifier that cannot read the
//! standard's own structure is no good, so this module decodes into its own [`Value`].
//!
//! The decoder accepts exactly one encoding per value, which makes signed structures
//! unambiguous and tampering visible:
//!
//! * definite lengths only (no indefinite-length strings, arrays or maps);
//! * preferred serialization: every integer, length and simple value in its shortest head;
//! * no floating-point values (none of our structures uses them);
//! * no duplicate keys in any map; text is valid UTF-8;
//! * no bytes after the top-level item;
//! * the [limits](super::limits) on depth, container length and item count, checked before any
//!   allocation (a length larger than the remaining input is rejected as truncated).
//!
//! Violations are [`RejectReason::Malformed`], limit overruns [`RejectReason::TooLarge`].
//! Error messages never include decoded content.

use std::collections::HashSet;
use std::fmt;

use super::limits;
use crate::{RejectReason, Result};

/// The simple value SD-CWT uses as the `redacted_claim_keys` map key.
pub const SIMPLE_REDACTED_KEYS: u8 = 59;
/// The tag SD-CWT uses for a redacted array element.
pub const TAG_REDACTED_ELEMENT: u64 = 60;
/// The COSE_Sign1 tag (RFC 9052).
pub const TAG_COSE_SIGN1: u64 = 18;

/// One CBOR data item.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// An unsigned integer (major type 0).
    Uint(u64),
    /// A negative integer (major type 1): the value is `-1 - n`.
    Nint(u64),
    /// A byte string (major type 2, definite length).
    Bytes(Vec<u8>),
    /// A UTF-8 text string (major type 3, definite length).
    Text(String),
    /// An array (major type 4, definite length).
    Array(Vec<Value>),
    /// Entries in encoding order.
    Map(Vec<(Value, Value)>),
    /// A tagged item (major type 6): the tag number and the item.
    Tag(u64, Box<Value>),
    /// `false` or `true` (simple values 20 and 21).
    Bool(bool),
    /// `null` (simple value 22).
    Null,
    /// Any other simple value (e.g. 59, undefined = 23).
    Simple(u8),
}

/// Debug shows the shape, never the content (values may be personal data).
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Uint(_) | Value::Nint(_) => f.write_str("Int(..)"),
            Value::Bytes(b) => write!(f, "Bytes(len {})", b.len()),
            Value::Text(t) => write!(f, "Text(len {})", t.len()),
            Value::Array(a) => f.debug_list().entries(a).finish(),
            Value::Map(m) => f.debug_map().entries(m.iter().map(|(k, v)| (k, v))).finish(),
            Value::Tag(t, v) => write!(f, "Tag({t}, {v:?})"),
            Value::Bool(_) => f.write_str("Bool(..)"),
            Value::Null => f.write_str("Null"),
            Value::Simple(s) => write!(f, "Simple({s})"),
        }
    }
}

impl Value {
    /// An integer.
    pub fn int(i: i64) -> Value {
        if i >= 0 {
            Value::Uint(i.unsigned_abs())
        } else {
            Value::Nint(i.unsigned_abs() - 1)
        }
    }

    /// A text string.
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    /// A map whose entries are sorted in RFC 8949 core deterministic order (bytewise order of
    /// the encoded keys), so the same claims always encode to the same bytes.
    pub fn sorted_map(mut entries: Vec<(Value, Value)>) -> Value {
        entries.sort_by_cached_key(|(k, _)| encode(k));
        Value::Map(entries)
    }

    /// The integer value, if it is an integer that fits in `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Uint(u) => i64::try_from(*u).ok(),
            Value::Nint(n) => i64::try_from(*n).ok().map(|n| -1 - n),
            _ => None,
        }
    }

    /// The value, if it is an unsigned integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Uint(u) => Some(*u),
            _ => None,
        }
    }

    /// The string, if it is a text string.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The bytes, if it is a byte string.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The elements, if it is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The entries in encoding order, if it is a map.
    pub fn as_map(&self) -> Option<&[(Value, Value)]> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
}

/// The value under `key` in a map's entries (maps never hold duplicate keys after decoding).
pub fn map_get<'a>(map: &'a [(Value, Value)], key: &Value) -> Option<&'a Value> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The value under integer label `label`.
pub fn map_get_int(map: &[(Value, Value)], label: i64) -> Option<&Value> {
    map_get(map, &Value::int(label))
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/// Encodes `v` in preferred serialization (map entries in the order given).
pub fn encode(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(v, &mut out);
    out
}

/// Appends the head of major type `major` with argument `n`, in its shortest form (for
/// encoders that write items directly, like the store's payloads).
pub fn write_head(major: u8, n: u64, out: &mut Vec<u8>) {
    head(major, n, out);
}

fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if let Ok(b) = u8::try_from(n) {
        out.push(m | 24);
        out.push(b);
    } else if let Ok(s) = u16::try_from(n) {
        out.push(m | 25);
        out.extend_from_slice(&s.to_be_bytes());
    } else if let Ok(w) = u32::try_from(n) {
        out.push(m | 26);
        out.extend_from_slice(&w.to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn len64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Appends the encoding of `v` to `out`.
pub fn encode_into(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Uint(u) => head(0, *u, out),
        Value::Nint(n) => head(1, *n, out),
        Value::Bytes(b) => {
            head(2, len64(b.len()), out);
            out.extend_from_slice(b);
        }
        Value::Text(t) => {
            head(3, len64(t.len()), out);
            out.extend_from_slice(t.as_bytes());
        }
        Value::Array(a) => {
            head(4, len64(a.len()), out);
            for x in a {
                encode_into(x, out);
            }
        }
        Value::Map(m) => {
            head(5, len64(m.len()), out);
            for (k, x) in m {
                encode_into(k, out);
                encode_into(x, out);
            }
        }
        Value::Tag(t, x) => {
            head(6, *t, out);
            encode_into(x, out);
        }
        Value::Bool(false) => out.push(0xf4),
        Value::Bool(true) => out.push(0xf5),
        Value::Null => out.push(0xf6),
        Value::Simple(s) => {
            if *s < 24 {
                out.push(0xe0 | s);
            } else {
                out.push(0xf8);
                out.push(*s);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

/// Decodes exactly one item filling all of `bytes`, within the [limits](super::limits).
///
/// `max_len` is the caller's byte limit for this kind of document, checked first.
pub fn decode(bytes: &[u8], max_len: usize) -> Result<Value> {
    if bytes.len() > max_len {
        return Err(RejectReason::TooLarge.into());
    }
    let mut d = Decoder {
        buf: bytes,
        pos: 0,
        items: 0,
    };
    let v = d.item(0)?;
    if d.pos != bytes.len() {
        return Err(RejectReason::Malformed.into());
    }
    Ok(v)
}

struct Decoder<'a> {
    buf: &'a [u8],
    pos: usize,
    items: usize,
}

impl Decoder<'_> {
    fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Result<&[u8]> {
        if n > self.remaining() {
            return Err(RejectReason::Malformed.into());
        }
        let s = self
            .buf
            .get(self.pos..self.pos + n)
            .ok_or(RejectReason::Malformed)?;
        self.pos += n;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(*self.take(1)?.first().ok_or(RejectReason::Malformed)?)
    }

    /// Reads the argument of a head with additional info `ai`, insisting on the shortest form.
    fn argument(&mut self, ai: u8) -> Result<u64> {
        let n = match ai {
            0..=23 => return Ok(u64::from(ai)),
            24 => {
                let b = u64::from(self.byte()?);
                if b < 24 {
                    return Err(RejectReason::Malformed.into());
                }
                b
            }
            25 => {
                let s = self.take(2)?;
                let v = u64::from(u16::from_be_bytes([s[0], s[1]]));
                if v <= 0xff {
                    return Err(RejectReason::Malformed.into());
                }
                v
            }
            26 => {
                let s = self.take(4)?;
                let v = u64::from(u32::from_be_bytes([s[0], s[1], s[2], s[3]]));
                if v <= 0xffff {
                    return Err(RejectReason::Malformed.into());
                }
                v
            }
            27 => {
                let s = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(s);
                let v = u64::from_be_bytes(a);
                if v <= 0xffff_ffff {
                    return Err(RejectReason::Malformed.into());
                }
                v
            }
            // 28..=30 reserved; 31 indefinite length (not accepted).
            _ => return Err(RejectReason::Malformed.into()),
        };
        Ok(n)
    }

    fn length(&mut self, ai: u8, min_bytes_each: usize) -> Result<usize> {
        let n = self.argument(ai)?;
        let n = usize::try_from(n).map_err(|_| RejectReason::Malformed)?;
        // Every element takes at least `min_bytes_each` bytes: a longer claim is truncation
        // (or a lie meant to make us allocate), so refuse before allocating.
        if n.saturating_mul(min_bytes_each) > self.remaining() {
            return Err(RejectReason::Malformed.into());
        }
        Ok(n)
    }

    fn item(&mut self, depth: usize) -> Result<Value> {
        self.items += 1;
        if self.items > limits::MAX_CBOR_ITEMS || depth > limits::MAX_CBOR_DEPTH {
            return Err(RejectReason::TooLarge.into());
        }
        let ib = self.byte()?;
        let major = ib >> 5;
        let ai = ib & 0x1f;
        match major {
            0 => Ok(Value::Uint(self.argument(ai)?)),
            1 => Ok(Value::Nint(self.argument(ai)?)),
            2 => {
                let n = self.length(ai, 1)?;
                Ok(Value::Bytes(self.take(n)?.to_vec()))
            }
            3 => {
                let n = self.length(ai, 1)?;
                let s = std::str::from_utf8(self.take(n)?).map_err(|_| RejectReason::Malformed)?;
                Ok(Value::Text(s.to_owned()))
            }
            4 => {
                let n = self.length(ai, 1)?;
                if n > limits::MAX_CBOR_CONTAINER_LEN {
                    return Err(RejectReason::TooLarge.into());
                }
                let mut a = Vec::with_capacity(n);
                for _ in 0..n {
                    a.push(self.item(depth + 1)?);
                }
                Ok(Value::Array(a))
            }
            5 => {
                let n = self.length(ai, 2)?;
                if n > limits::MAX_CBOR_CONTAINER_LEN {
                    return Err(RejectReason::TooLarge.into());
                }
                let mut m = Vec::with_capacity(n);
                for _ in 0..n {
                    let k = self.item(depth + 1)?;
                    let v = self.item(depth + 1)?;
                    m.push((k, v));
                }
                let mut seen = HashSet::with_capacity(n);
                if !m.iter().all(|(k, _)| seen.insert(k)) {
                    return Err(RejectReason::Malformed.into());
                }
                Ok(Value::Map(m))
            }
            6 => {
                let t = self.argument(ai)?;
                Ok(Value::Tag(t, Box::new(self.item(depth + 1)?)))
            }
            _ => match ai {
                20 => Ok(Value::Bool(false)),
                21 => Ok(Value::Bool(true)),
                22 => Ok(Value::Null),
                0..=19 | 23 => Ok(Value::Simple(ai)),
                24 => {
                    let s = self.byte()?;
                    if s < 32 {
                        return Err(RejectReason::Malformed.into());
                    }
                    Ok(Value::Simple(s))
                }
                // Floats (25..=27), reserved and "break" are not accepted.
                _ => Err(RejectReason::Malformed.into()),
            },
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::Error;

    fn rt(v: Value) {
        let b = encode(&v);
        assert_eq!(decode(&b, 1 << 20).unwrap(), v);
    }

    #[test]
    fn round_trips() {
        for i in [
            0i64,
            23,
            24,
            255,
            256,
            65535,
            65536,
            -1,
            -24,
            -25,
            -257,
            i64::MIN,
            i64::MAX,
        ] {
            rt(Value::int(i));
            assert_eq!(Value::int(i).as_i64(), Some(i));
        }
        rt(Value::Uint(u64::MAX));
        rt(Value::Simple(59));
        rt(Value::Simple(23));
        rt(Value::Tag(
            18,
            Box::new(Value::Array(vec![Value::Bytes(vec![1; 300]), Value::Null])),
        ));
        rt(Value::Map(vec![
            (Value::Simple(59), Value::Array(vec![Value::Bytes(vec![0; 32])])),
            (Value::text("fn"), Value::text("Nguyễn")),
            (Value::Bool(true), Value::Bool(false)),
        ]));
        assert_eq!(encode(&Value::Simple(59)), [0xf8, 0x3b]);
    }

    #[test]
    fn rejects_non_preferred_indefinite_float_duplicates_trailing() {
        for bad in [
            &[0x18, 0x05][..],               // 5 in two bytes
            &[0x19, 0x00, 0x10],             // 16 in three bytes
            &[0x5f, 0x41, 0x00, 0xff],       // indefinite bytes
            &[0xf9, 0x3c, 0x00],             // half float
            &[0xf8, 0x10],                   // simple < 32 in two bytes
            &[0xa2, 0x01, 0x01, 0x01, 0x02], // duplicate key
            &[0x01, 0x01],                   // trailing byte
            &[0x62, 0xff, 0xfe],             // invalid UTF-8
            &[0x9b, 0, 0, 0, 1, 0, 0, 0, 0], // huge array, no content
            &[0x1c],                         // reserved
        ] {
            let e = decode(bad, 1 << 20).unwrap_err();
            assert!(
                matches!(e, Error::Rejected(RejectReason::Malformed)),
                "{bad:02x?}: {e:?}"
            );
        }
    }

    #[test]
    fn limits_are_enforced() {
        let deep: Vec<u8> = std::iter::repeat_n(0x81, 40).chain([0x00]).collect();
        assert!(matches!(
            decode(&deep, 1 << 20),
            Err(Error::Rejected(RejectReason::TooLarge))
        ));
        assert!(matches!(
            decode(&[0; 10], 5),
            Err(Error::Rejected(RejectReason::TooLarge))
        ));
        let mut long = vec![0x99, 0x07, 0xd0]; // array of 2000
        long.extend(std::iter::repeat_n(0x00, 2000));
        assert!(matches!(
            decode(&long, 1 << 20),
            Err(Error::Rejected(RejectReason::TooLarge))
        ));
    }
}
