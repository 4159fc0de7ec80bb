//! Cryptographic building blocks, each in a file named for its job.
//!
//! Rules (after bitwarden sdk-internal): `make_*` functions are random (fresh keys, nonces),
//! `derive_*` functions are deterministic; every secret type zeroizes on drop and has a `Debug`
//! that prints no key material; every signature is domain-separated (COSE `Sig_structure` with a
//! distinct `typ` per message kind, see [`signing`]).

pub mod aead;
pub mod kdf;
pub mod keys;
pub mod random;
pub mod secret;
pub mod signing;
pub mod tag;

pub use keys::{DataKey, KEY_LEN};
