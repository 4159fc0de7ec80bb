//! Cryptographic building blocks, each in a file named for its job.
//!
//! Rules (after bitwarden sdk-internal): `make_*` functions are random (fresh keys, nonces),
//! `derive_*` functions are deterministic; every secret type zeroizes on drop and has a `Debug`
//! that prints no key material; every signature is domain-separated (COSE `Sig_structure` with a
//! distinct `typ` per message kind, see [`signing`]).

pub(crate) mod aead;
pub(crate) mod holder;
pub(crate) mod kdf;
pub(crate) mod keys;
pub(crate) mod random;
pub(crate) mod secret;
pub(crate) mod signing;
pub(crate) mod tag;

pub use keys::DataKey;
pub(crate) use keys::KEY_LEN;
