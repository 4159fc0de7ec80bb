//! CWT claim keys: the registered ones (RFC 8392), the IETF token status list's, and our
//! private ones. One table of labels for every signed message kind (credentials,
//! presentations, trust lists, status lists), so no two kinds can disagree on a number.

/// `iss`: the issuer's short name (credentials).
pub const ISS: i64 = 1;
/// `sub`: the subject (status lists: the issuer's key id, hex).
pub const SUB: i64 = 2;
/// `aud`: the counter a presentation is for.
pub const AUD: i64 = 3;
/// `exp`: expiry, Unix seconds.
pub const EXP: i64 = 4;
/// `nbf`: not before, Unix seconds.
pub const NBF: i64 = 5;
/// `iat`: issued at, Unix seconds.
pub const IAT: i64 = 6;
/// `cnf`: the holder key a credential is bound to (RFC 8747).
pub const CNF: i64 = 8;
/// `cnonce`: the counter's challenge in a presentation.
pub const CNONCE: i64 = 39;
/// IETF token status list: `status_list` claim (`{"bits", "lst"}`).
pub const STATUS_LIST: i64 = 65533;
/// IETF token status list: `ttl` claim (the list's maximum age, seconds).
pub const TTL: i64 = 65534;
/// Private: credential type code ([`crate::model::CredentialType::code`]).
pub const TYPE: &str = "t";
/// Private: index in the issuer's status list.
pub const STATUS: &str = "s";
/// Private: a trust list's or status list's sequence number in its signer's series (an
/// unsigned integer; each list the signer publishes carries a higher one). No registered claim
/// orders lists: `cti` (RFC 8392) is an opaque identifier, and the IETF token status list has
/// only `iat`, `exp` and `ttl`, which a list signed in the same second or by a clock set ahead
/// cannot order. A text key, like our other private claims, so it can never collide with a
/// registered integer label; a generic status-list reader ignores it.
pub const SEQUENCE: &str = "seq";
/// Private: when a trust list should have been replaced by a newer one, Unix seconds (past it
/// the verifier's verdicts are stale, not invalid: `exp` would tell generic CWT tools to refuse
/// the list outright).
pub const NEXT_UPDATE: &str = "next_update";
