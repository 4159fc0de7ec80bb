//! Trust: which issuers a wallet or a counter accepts, for what and when, which of their
//! credentials are revoked, whether an issued credential passes, and the words used when
//! something does not.
//!
//! * the **trust list** ([`TrustList`], [`TrustedIssuer`]): the issuers a root key vouches for,
//!   the credential types each may issue and when;
//! * the **readers** ([`TrustedReader`], [`ReaderRole`]): counters the root certifies to show a
//!   signed request QR, each bounded by its role in what it may ask and why
//!   ([`RequestPurpose`]);
//! * the issuers' **status lists** ([`StatusList`], its bitstring in [`status_bits`]): which
//!   credentials are revoked, as of when;
//! * the **one check of an issued credential against the trust list** (`check_issued`):
//!   issuer known and its signature, `iss`, role, trust window, the credential's own times.
//!   [`crate::Wallet::import_issued`] and [`crate::Verifier`] both call it; what they check
//!   differently is spelled out, with the reasons, in `TrustCheck` (`check.rs`);
//! * the **verdict vocabulary**: why something is rejected ([`RejectReason`], re-exported as
//!   `citizen_wallet_core::RejectReason`) or its revocation status is not current
//!   ([`StaleReason`]), and **every sentence a rejection or a verdict shows**, in Vietnamese and
//!   English ([`Lang`]; the sentences are all in `text.rs`).
//!
//! * the **counter's state** ([`CounterState`]): the newest trust list and status lists a
//!   counter has accepted, kept across restarts, and the rule by which an offered list
//!   replaces the held one or is refused ([`ListUpdate`]: older, conflicting, from the future);
//!
//! Signing a trust list or a status list is a method on its type ([`TrustList::sign`],
//! [`StatusList::sign`]); the keys, and issuing credentials, are in [`crate::issuer`].

mod check;
mod counter_state;
pub(crate) mod open_requests;
mod reader;
mod reason;
pub mod status_bits;
mod status_list;
pub(crate) mod text;
mod trust_list;

pub(crate) use check::{check_issued, IssuerKeys, TrustCheck, TrustedCredential};
pub use counter_state::{CounterState, ListUpdate, StateError, MAX_STATE_BYTES, STATE_FILE_NAME};
pub use reader::{ReaderRole, RequestPurpose, TrustedReader, MAX_READER_ID_BYTES};
pub use reason::{RejectReason, StaleReason};
pub use status_list::StatusList;
pub use text::Lang;
pub use trust_list::{TrustList, TrustedIssuer, DEFAULT_TRUST_LIST_VALIDITY_SECS};
