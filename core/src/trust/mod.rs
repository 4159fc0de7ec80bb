//! Trust: which issuers a wallet or a counter accepts, for what and when, and which of their
//! credentials are revoked.
//!
//! * the **trust list** ([`TrustList`], [`TrustedIssuer`]): the issuers a root key vouches for,
//!   the credential types each may issue and when;
//! * the issuers' **status lists** ([`StatusList`], its bitstring in [`status_bits`]): which
//!   credentials are revoked, as of when.
//!
//! Signing a trust list or a status list is a method on its type ([`TrustList::sign`],
//! [`StatusList::sign`]); the keys, and issuing credentials, are in [`crate::issuer`].

pub mod status_bits;
mod status_list;
mod trust_list;

pub use status_list::StatusList;
pub use trust_list::{TrustList, TrustedIssuer};
