//! The encrypted store: SQLite file handling ([`db`]), schema and migrations ([`schema`]), and
//! the cipher that seals every value and tags every lookup key ([`cipher`]).
//!
//! The scheme is described in `core/src/storage/README.md`.

pub mod cipher;
pub mod db;
pub mod schema;
