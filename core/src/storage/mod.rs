//! The encrypted store: every SQL statement the wallet runs, and every value it seals.
//!
//! * [`db`]: opening and creating the SQLite file (pragmas, identity and schema checks);
//! * [`schema`]: the migrations and what each table holds;
//! * [`cipher`]: the store cipher that seals every value and tags every lookup key;
//! * `sealed`: the one definition of the tables and columns that hold sealed values (part of
//!   every value's associated data);
//! * `wallet_db`: `WalletDb`, the open database, with one method per read or write the wallet
//!   makes, each one transaction, built from one file per table: `meta`, `key_slots`,
//!   `holder_key`, `credentials`, `pin_attempts`.
//!
//! The scheme and the layout are described in `core/src/storage/README.md`.

pub(crate) mod cipher;
mod credentials;
pub(crate) mod db;
mod holder_key;
mod key_slots;
mod meta;
pub(crate) mod payload;
mod pin_attempts;
pub mod schema;
mod sealed;
mod wallet_db;

pub(crate) use credentials::NewCredential;
pub(crate) use key_slots::Slot;
pub(crate) use meta::KeyCheck;
pub(crate) use wallet_db::WalletDb;
