//! SD-CWT issuer credentials and SD-KBT presentations (draft-ietf-spice-sd-cwt), our profile.
//!
//! ## Issuer credential (SD-CWT)
//!
//! Format 2 (what our issuer writes since the `VN2:` presentation format): no `kid`, no `iss`
//! (the counter finds the issuer by signature among its trusted issuers), claims in their
//! compact encodings (`format/compact.rs`). Format 1 credentials (with `kid` and `iss`, text
//! claims) still verify.
//!
//! ```text
//! 18([ << {1: -19, 16: 293} >>,                     / alg Ed25519, typ application/sd-cwt /
//!      {? 17: [<<disclosure>>, ...]},                     / format 1 also: 4: kid /
//!      << { 4: exp, 6: iat,                                / format 1 also: 1: "iss" /
//!           8: {1: {1: 1, -1: 6, -2: h'<holder key>'}},  / cnf: OKP Ed25519, or /
//!           / {1: {1: 2, -1: 1, -2: h'<x>', -3: <y sign bit>}}: EC2 P-256 compressed /
//!           "t": <credential type code>, "s": <status list index>,
//!           "fn": "...", ...                               / claims in clear (compact keys) /
//!           simple(59): [h'<sha-256>', ...] } >>,         / redacted claim keys /
//!      h'<signature>' ])
//! ```
//!
//! * A disclosure is the bstr-wrapped array `[salt (16 random bytes), value, key]`; its digest is
//!   SHA-256 over the **encoded bstr** (head included), exactly as the draft's example files
//!   compute it (`example-issuer_cwt.cbor`; note the separate `example-first-blinded-hash.txt`
//!   was computed over the bstr contents only and does not match the example's own payload).
//! * `sd_alg` is omitted (the draft's default, SHA-256, saves 4 bytes); `-16` is accepted, any
//!   other value is [`crate::RejectReason::UnsupportedAlgorithm`].
//! * **Decoys**: the issuer adds decoy digests (of `[salt]` disclosures, as the draft defines
//!   them) until a credential carries as many Redacted Claim Hashes as its policy redacts
//!   claims, so the count does not tell a verifier which optional claims it has; digests are in
//!   bytewise order. The holder receives the decoy disclosures and never presents them; a
//!   verifier ignores digests nobody discloses ([`crate::issuer::Issuer::issue`]).
//! * The unprotected header carries only the issuer's `kid` and `sd_claims`: anything else is
//!   unsigned data a relay could add, refused by import and the verifier
//!   ([`SdCwt::check_unprotected`]).
//! * Only top-level claims are redacted (one disclosure per claim). The verifier accepts no
//!   nested redaction in our credentials; the generic [`redacted_digests`] walker still reads
//!   nested `simple(59)` maps and tag-60 array elements, for the draft's examples.
//! * Private claims: `"t"` (credential type, [`CredentialType::code`]) and `"s"` (index in the
//!   issuer's status list). The IETF token-status-list `status` claim (65535, `{"status_list":
//!   {"idx", "uri"}}`) costs about 30 bytes more per QR; our status list is found by the issuer's
//!   `kid` instead of a URI, so a one-letter private claim carries all that is needed.
//!   One-letter text keys are reserved for the envelope; credential claims use the registry's
//!   two- and three-letter keys ([`crate::model::ClaimDef::key`]).
//!
//! ## Presentation (SD-KBT)
//!
//! ```text
//! 18([ << {16: 294, 13: <the issuer SD-CWT with only the chosen disclosures>} >>,
//!      {},
//!      << {3: "aud", 6: iat, ? 4: exp, ? 39: h'<counter nonce>'} >>,
//!      h'<holder signature: Ed25519, or ES256 r || s>' ])
//! ```
//!
//! Format 2 (`VN2:`): no `alg` in the KBT (the `cnf` key fixes it: the draft's CDDL lists `alg`,
//! a deliberate 2-byte deviation), `exp` only when it is not `iat` + 120 s. Format 1 (`VN1:`)
//! carries `alg` (-19) and always `exp`.
//!
//! Files: `disclosure` (salted disclosures and digests), `credential` ([`SdCwt`]) and `kbt`
//! ([`Kbt`]). CWT claim labels are in `format/cwt.rs`, COSE keys in
//! [`crate::format::cose::key`].

mod credential;
mod disclosure;
mod kbt;

pub use credential::{SdCwt, ShownClaim};
pub use disclosure::{disclosure_digest, redacted_digests, Disclosure, SALT_LEN};
pub use kbt::{Kbt, UnsignedKbt};

use crate::format::cbor::{map_get_int, Value};
use crate::{RejectReason, Result};

/// The integer claim `key` of a CWT claims set (`iat`, `exp`...), required.
fn int_claim(payload: &[(Value, Value)], key: i64) -> Result<i64> {
    map_get_int(payload, key)
        .and_then(Value::as_i64)
        .ok_or(RejectReason::Malformed.into())
}
