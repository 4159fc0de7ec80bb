//! Wire formats: what is signed, how, and how it travels as text.
//!
//! This module owns the bytes; it knows nothing about trust decisions (that is [`crate::trust`]
//! and [`crate::verify`]) or storage. Layers, bottom up:
//!
//! * [`cbor`]: a strict, bounded CBOR decoder and deterministic encoder (one encoding per value);
//! * [`cose`]: COSE_Sign1 with Ed25519 and the per-message-kind `typ` values (domain separation),
//!   and COSE_Key (holder keys in `cnf`, key ids, thumbprints);
//! * [`cwt`]: the CWT claim labels every signed message kind uses;
//! * [`json`]: the JSON (model) <-> CBOR bridge for claim values, and `compact`: the compact
//!   encodings of dates and ID numbers (format 2);
//! * [`sd_cwt`]: the issuer credential (SD-CWT) and the holder presentation (SD-KBT) of
//!   draft-ietf-spice-sd-cwt, with salted disclosures;
//! * [`base45`] and [`qr_text`]: `VN1:` / `VN1C:` prefixed base45 text for QR codes;
//! * [`request`]: a reader's signed request QR (`VN1R:`), the counter's side of a two-way
//!   exchange;
//! * [`limits`]: every size limit, in one place.

pub mod base45;
pub mod cbor;
pub(crate) mod compact;
pub mod cose;
pub mod cwt;
pub(crate) mod json;
pub mod limits;
pub mod qr_text;
pub mod request;
pub mod sd_cwt;
