//! The encrypted store: SQLite file handling ([`db`]), schema and migrations ([`schema`]), the
//! cipher that seals every value and tags every lookup key ([`cipher`]), and the one definition
//! of the columns that hold sealed values (`sealed`).
//!
//! The scheme is described in `core/src/storage/README.md`.

pub mod cipher;
pub mod db;
pub mod schema;
pub(crate) mod sealed;
