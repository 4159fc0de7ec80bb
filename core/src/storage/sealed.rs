//! Where sealed values live: one constant per column that holds sealed bytes, the single
//! definition of the `<table>/<column>` part of every value's associated data.
//!
//! A sealed value is bound to `citizen-wallet/v1/<table>/<column>/<row>` (see
//! [`cipher`](super::cipher)), so these names are part of the on-disk format: renaming a
//! constant's table or column would make every existing wallet unreadable. The unit tests check
//! that each constant names a real table and column of the latest schema, that every `*_sealed`
//! column of the schema has a constant, and that the associated data is byte for byte what
//! wallets were written with.

use zeroize::Zeroizing;

use super::cipher::{self, StoreCipher};
use crate::Result;

/// A column whose values are sealed, bound to their table, column and row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SealedColumn {
    pub(crate) table: &'static str,
    pub(crate) column: &'static str,
}

impl SealedColumn {
    const fn new(table: &'static str, column: &'static str) -> Self {
        Self { table, column }
    }

    /// The associated data of this column's value in row `row`.
    pub(crate) fn aad(self, row: &str) -> Vec<u8> {
        cipher::aad(self.table, self.column, row)
    }

    /// Seals `plaintext` under the store's value key for row `row` of this column.
    pub(crate) fn seal(self, cipher: &StoreCipher, row: &str, plaintext: &[u8]) -> Result<Vec<u8>> {
        cipher.seal(self.table, self.column, row, plaintext)
    }

    /// [`SealedColumn::seal`] in the small values' size classes (128 bytes first).
    pub(crate) fn seal_small(self, cipher: &StoreCipher, row: &str, plaintext: &[u8]) -> Result<Vec<u8>> {
        cipher.seal_small(self.table, self.column, row, plaintext)
    }

    /// Opens a value sealed for row `row` of this column; anything else is `Error::Tampered`.
    pub(crate) fn open(self, cipher: &StoreCipher, row: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        cipher.open(self.table, self.column, row, sealed)
    }
}

/// `meta.value` of the row `key = 'canary'` (the only sealed `meta` value): a known plaintext
/// under the value key.
pub(crate) const META_CANARY: SealedColumn = SealedColumn::new("meta", "value");

/// `key_slots.wrapped` of the PIN slot (row `slot = 'pin'`): the data key wrapped under the
/// Argon2id key of the PIN, not under the value key. (A provider slot's `wrapped` is the
/// platform provider's own format; the core adds no associated data to it.)
pub(crate) const KEY_SLOT_WRAPPED: SealedColumn = SealedColumn::new("key_slots", "wrapped");

/// `holder_key.seed_sealed` (row `id = 1`): the holder's Ed25519 seed.
pub(crate) const HOLDER_SEED: SealedColumn = SealedColumn::new("holder_key", "seed_sealed");

/// `credentials.payload_sealed` (row: the credential id): the credential's fields, in compact
/// CBOR since schema 3, as JSON before (`storage/payload.rs`).
pub(crate) const CREDENTIAL_PAYLOAD: SealedColumn = SealedColumn::new("credentials", "payload_sealed");

/// `credentials.issued_sealed` (row: the credential id): the issuer's SD-CWT bytes.
pub(crate) const CREDENTIAL_ISSUED: SealedColumn = SealedColumn::new("credentials", "issued_sealed");

/// `credentials.summary_sealed` (row: the credential id, since schema 3): what a list screen
/// shows (type, label, issuer, expiry; `storage/payload.rs`), in the small size classes.
pub(crate) const CREDENTIAL_SUMMARY: SealedColumn = SealedColumn::new("credentials", "summary_sealed");

/// Every sealed column.
#[cfg(test)]
pub(crate) const ALL: [SealedColumn; 6] = [
    META_CANARY,
    KEY_SLOT_WRAPPED,
    HOLDER_SEED,
    CREDENTIAL_PAYLOAD,
    CREDENTIAL_ISSUED,
    CREDENTIAL_SUMMARY,
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use rusqlite::Connection;

    use super::*;
    use crate::storage::schema;
    use crate::Error;

    /// `(table, column)` of every column of every table of the latest schema.
    fn latest_columns() -> BTreeSet<(String, String)> {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::migrate(&mut conn).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(tables.len() >= 5, "{tables:?}");
        let mut out = BTreeSet::new();
        for table in tables {
            let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})")).unwrap();
            let columns = stmt.query_map([], |r| r.get::<_, String>(1)).unwrap();
            for c in columns {
                out.insert((table.clone(), c.unwrap()));
            }
        }
        out
    }

    #[test]
    fn every_sealed_column_exists_in_the_latest_schema() {
        let columns = latest_columns();
        for s in ALL {
            assert!(
                columns.contains(&(s.table.to_owned(), s.column.to_owned())),
                "{}.{} is not a column of the latest schema",
                s.table,
                s.column
            );
        }
    }

    #[test]
    fn every_sealed_column_of_the_schema_has_a_constant() {
        let named: BTreeSet<(String, String)> = ALL
            .iter()
            .map(|s| (s.table.to_owned(), s.column.to_owned()))
            .collect();
        assert_eq!(named.len(), ALL.len(), "a column is named twice");
        for (table, column) in latest_columns() {
            if column.ends_with("_sealed") {
                assert!(
                    named.contains(&(table.clone(), column.clone())),
                    "{table}.{column}"
                );
            }
        }
    }

    /// The associated data is part of the file format: these are the bytes existing wallets
    /// were sealed with.
    #[test]
    fn associated_data_is_unchanged() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(META_CANARY.aad("canary"), b"citizen-wallet/v1/meta/value/canary");
        assert_eq!(
            KEY_SLOT_WRAPPED.aad("pin"),
            b"citizen-wallet/v1/key_slots/wrapped/pin"
        );
        assert_eq!(
            HOLDER_SEED.aad("1"),
            b"citizen-wallet/v1/holder_key/seed_sealed/1"
        );
        assert_eq!(
            CREDENTIAL_PAYLOAD.aad(id),
            format!("citizen-wallet/v1/credentials/payload_sealed/{id}").as_bytes()
        );
        assert_eq!(
            CREDENTIAL_ISSUED.aad(id),
            format!("citizen-wallet/v1/credentials/issued_sealed/{id}").as_bytes()
        );
        assert_eq!(
            CREDENTIAL_SUMMARY.aad(id),
            format!("citizen-wallet/v1/credentials/summary_sealed/{id}").as_bytes()
        );
    }

    #[test]
    fn a_value_opens_only_in_its_own_column_and_row() {
        let c = StoreCipher::new(&crate::crypto::DataKey::make().unwrap());
        let sealed = CREDENTIAL_PAYLOAD.seal(&c, "a", b"x").unwrap();
        assert_eq!(&CREDENTIAL_PAYLOAD.open(&c, "a", &sealed).unwrap()[..], b"x");
        assert_eq!(
            &c.open("credentials", "payload_sealed", "a", &sealed).unwrap()[..],
            b"x"
        );
        assert!(matches!(
            CREDENTIAL_PAYLOAD.open(&c, "b", &sealed),
            Err(Error::Tampered(_))
        ));
        assert!(matches!(
            CREDENTIAL_ISSUED.open(&c, "a", &sealed),
            Err(Error::Tampered(_))
        ));
    }
}
