//! COSE_Sign1 (RFC 9052) with Ed25519, and the `typ` values that keep every message kind apart.
//!
//! Every signature in this crate is a COSE_Sign1 over the `Sig_structure`
//! `["Signature1", protected, h'', payload]` whose protected header carries `alg` and `typ`.
//! The `typ` differs per message kind, so a signature made for one kind never verifies as
//! another:
//!
//! | message | `typ` (label 16) | signer |
//! |---|---|---|
//! | issuer credential (SD-CWT) | 293 (`application/sd-cwt`) | issuer key |
//! | presentation (SD-KBT) | 294 (`application/kb+cwt`) | holder key |
//! | trust list | `"application/cw-trust-list+cwt"` | root key |
//! | status list | `"application/statuslist+cwt"` (IETF token status list) | issuer key |
//! | reader request | `"application/cw-request+cwt"` | reader key |
//!
//! Algorithms: issuers, roots and the wallet's Ed25519 holder key sign with Ed25519 (`-19`,
//! RFC 9864), and the older polymorphic EdDSA (`-8`) is accepted on verification. Holder keys
//! may also be ES256 (`-7`, P-256: `crypto::holder`); a format-2 SD-KBT carries no `alg`, the
//! `cnf` key fixes it. Anything else is [`RejectReason::UnsupportedAlgorithm`] (the SD-CWT
//! draft's issuer signatures in ES256/ES384 parse, but are not checked).
//! The COSE_Sign1 must carry tag 18; a `crit` header is refused (we understand no extensions).
//!
//! Files: `sign1` ([`Sign1`]: the COSE_Sign1 structure, signing and verifying) and [`key`] (COSE_Key:
//! the holder key in `cnf`, key ids and thumbprints).

pub mod key;
mod sign1;

pub use sign1::Sign1;

/// COSE header labels used here.
pub mod label {
    /// `alg`: the signature algorithm (RFC 9052).
    pub const ALG: i64 = 1;
    /// `crit`: header parameters the recipient must understand (refused: we understand none).
    pub const CRIT: i64 = 2;
    /// `kid`: the signer's key id (RFC 9052).
    pub const KID: i64 = 4;
    /// `kcwt`: the issuer SD-CWT embedded in an SD-KBT's protected header.
    pub const KCWT: i64 = 13;
    /// `typ`: the content type, distinct per message kind (RFC 9596).
    pub const TYP: i64 = 16;
    /// `sd_claims`: an SD-CWT's disclosures, in its unprotected header.
    pub const SD_CLAIMS: i64 = 17;
    /// `sd_alg`: the hash algorithm of an SD-CWT's disclosure digests.
    pub const SD_ALG: i64 = 170;
}

/// Ed25519 (RFC 9864, fully specified).
pub const ALG_ED25519: i64 = -19;
/// EdDSA (RFC 9053, polymorphic); accepted on verification only.
pub const ALG_EDDSA: i64 = -8;
/// SHA-256 as a COSE algorithm (the SD-CWT `sd_alg` default).
pub const ALG_SHA256: i64 = -16;

/// `application/sd-cwt`.
pub const TYP_SD_CWT: u64 = 293;
/// `application/kb+cwt`.
pub const TYP_KBT: u64 = 294;
/// Our trust list (a private media type: no standard fits).
pub const TYP_TRUST_LIST: &str = "application/cw-trust-list+cwt";
/// The IETF token status list media type.
pub const TYP_STATUS_LIST: &str = "application/statuslist+cwt";
/// A reader's request QR (a private media type: no standard fits).
pub const TYP_REQUEST: &str = "application/cw-request+cwt";
