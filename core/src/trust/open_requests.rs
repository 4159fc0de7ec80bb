//! The requests a counter has shown and not yet seen answered (its open nonces), kept in its
//! [`super::CounterState`] so a restarted counter still refuses a replayed response.
//!
//! Each entry: the request's nonce, the credential type asked for, its times, and whether a
//! valid answer has been accepted. A response is accepted only for an entry that is open
//! (issued here, not answered) and not expired ([`OpenRequests::check`]); once accepted, the
//! entry is marked answered, so the same response scanned again is
//! [`RejectReason::RequestAlreadyAnswered`]. Entries are forgotten [`REMEMBER_SECS`] after
//! they expire (a response that old is refused anyway: its nonce is then unknown), and beyond
//! [`MAX_OPEN_REQUESTS`] the oldest are dropped first.
//!
//! In the state file (version 2, see `counter_state.rs`):
//! `"requests": [{"n": h'<nonce>', "r": reader id, "t": type code, "i": iat, "e": exp,
//! "a": answered}, ...]`.

use std::collections::BTreeMap;

use crate::format::cbor::{map_get, Value};
use crate::format::request::NONCE_BYTES;
use crate::model::CredentialType;
use crate::{RejectReason, Result};

/// The most requests a counter remembers at once.
pub(crate) const MAX_OPEN_REQUESTS: usize = 256;
/// How long past its expiry a request is remembered: the longest presentation lifetime plus
/// the largest clock-skew tolerance, so a replay within any window is named as a replay.
pub(crate) const REMEMBER_SECS: i64 = 600 + 300;

/// One request the counter made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenRequest {
    /// The reader id: the audience the answer must be bound to.
    pub(crate) reader_id: String,
    pub(crate) credential_type: CredentialType,
    pub(crate) iat: i64,
    pub(crate) exp: i64,
    pub(crate) answered: bool,
}

/// The requests a counter remembers, by nonce.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OpenRequests {
    by_nonce: BTreeMap<[u8; NONCE_BYTES], OpenRequest>,
}

impl OpenRequests {
    pub(crate) fn is_empty(&self) -> bool {
        self.by_nonce.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.by_nonce.len()
    }

    /// How many are neither answered nor expired at `now`.
    pub(crate) fn open_count(&self, now: i64) -> usize {
        self.by_nonce
            .values()
            .filter(|r| !r.answered && now <= r.exp)
            .count()
    }

    /// Forgets entries expired more than [`REMEMBER_SECS`] ago, then the oldest beyond
    /// [`MAX_OPEN_REQUESTS`] - 1 (room for one more).
    pub(crate) fn prune(&mut self, now: i64) {
        self.by_nonce
            .retain(|_, r| r.exp.saturating_add(REMEMBER_SECS) >= now);
        while self.by_nonce.len() >= MAX_OPEN_REQUESTS {
            let oldest = self.by_nonce.iter().min_by_key(|(_, r)| r.iat).map(|(n, _)| *n);
            match oldest {
                Some(n) => {
                    self.by_nonce.remove(&n);
                }
                None => break,
            }
        }
    }

    pub(crate) fn add(&mut self, nonce: [u8; NONCE_BYTES], request: OpenRequest) {
        self.by_nonce.insert(nonce, request);
    }

    /// Whether a response carrying `nonce` may be accepted at `now` (with `skew_secs` of clock
    /// tolerance): the request it answers.
    pub(crate) fn check(&self, nonce: &[u8], now: i64, skew_secs: u32) -> Result<OpenRequest> {
        let r = <[u8; NONCE_BYTES]>::try_from(nonce)
            .ok()
            .and_then(|n| self.by_nonce.get(&n))
            .ok_or(RejectReason::UnknownRequest)?;
        if r.answered {
            return Err(RejectReason::RequestAlreadyAnswered.into());
        }
        if now > r.exp.saturating_add(i64::from(skew_secs)) {
            return Err(RejectReason::RequestExpired.into());
        }
        Ok(r.clone())
    }

    pub(crate) fn mark_answered(&mut self, nonce: &[u8]) {
        if let Some(r) = <[u8; NONCE_BYTES]>::try_from(nonce)
            .ok()
            .and_then(|n| self.by_nonce.get_mut(&n))
        {
            r.answered = true;
        }
    }

    pub(crate) fn to_value(&self) -> Value {
        Value::Array(
            self.by_nonce
                .iter()
                .map(|(n, r)| {
                    Value::sorted_map(vec![
                        (Value::text("n"), Value::Bytes(n.to_vec())),
                        (Value::text("t"), Value::Uint(u64::from(r.credential_type.code()))),
                        (Value::text("i"), Value::int(r.iat)),
                        (Value::text("e"), Value::int(r.exp)),
                        (Value::text("a"), Value::Bool(r.answered)),
                        (Value::text("r"), Value::text(r.reader_id.clone())),
                    ])
                })
                .collect(),
        )
    }

    /// Reads the state file's `"requests"`; `None` when anything is wrong.
    pub(crate) fn from_value(v: &Value) -> Option<Self> {
        let mut out = Self::default();
        let entries = v.as_array()?;
        if entries.len() > MAX_OPEN_REQUESTS {
            return None;
        }
        for e in entries {
            let m = e.as_map()?;
            if m.len() != 6 {
                return None;
            }
            let get = |k: &str| map_get(m, &Value::text(k));
            let nonce: [u8; NONCE_BYTES] = get("n")?.as_bytes()?.try_into().ok()?;
            let request = OpenRequest {
                reader_id: get("r")?
                    .as_text()
                    .filter(|r| !r.is_empty() && r.len() <= crate::format::limits::MAX_AUDIENCE_BYTES)?
                    .to_owned(),
                credential_type: CredentialType::from_code(get("t")?.as_u64()?)?,
                iat: get("i")?.as_i64()?,
                exp: get("e")?.as_i64()?,
                answered: match get("a")? {
                    Value::Bool(b) => *b,
                    _ => return None,
                },
            };
            if out.by_nonce.insert(nonce, request).is_some() {
                return None;
            }
        }
        Some(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::Error;

    fn req(iat: i64) -> OpenRequest {
        OpenRequest {
            reader_id: "quay-1".into(),
            credential_type: CredentialType::ClinicCheckin,
            iat,
            exp: iat + 300,
            answered: false,
        }
    }

    fn reason(r: Result<OpenRequest>) -> RejectReason {
        match r {
            Err(Error::Rejected(r)) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn open_answered_expired_unknown_and_round_trip() {
        let mut o = OpenRequests::default();
        o.add([1; 16], req(1000));
        assert!(o.check(&[1; 16], 1100, 60).is_ok());
        assert_eq!(reason(o.check(&[2; 16], 1100, 60)), RejectReason::UnknownRequest);
        assert_eq!(reason(o.check(&[1; 4], 1100, 60)), RejectReason::UnknownRequest);
        assert_eq!(reason(o.check(&[1; 16], 1361, 60)), RejectReason::RequestExpired);
        let back = OpenRequests::from_value(&o.to_value()).unwrap();
        assert_eq!(back, o);
        o.mark_answered(&[1; 16]);
        assert_eq!(
            reason(o.check(&[1; 16], 1100, 60)),
            RejectReason::RequestAlreadyAnswered
        );
        assert_eq!(o.open_count(1100), 0);
        o.prune(1300 + REMEMBER_SECS);
        assert_eq!(o.len(), 1);
        o.prune(1301 + REMEMBER_SECS);
        assert!(o.is_empty());
        for i in 0..MAX_OPEN_REQUESTS + 5 {
            o.prune(1000);
            let mut n = [0; 16];
            n[..8].copy_from_slice(&(i as u64).to_be_bytes());
            o.add(n, req(1000 + i as i64));
        }
        assert_eq!(o.len(), MAX_OPEN_REQUESTS);
        assert_eq!(reason(o.check(&[0; 16], 1000, 60)), RejectReason::UnknownRequest);
        assert!(OpenRequests::from_value(&Value::Array(vec![Value::Null])).is_none());
    }
}
