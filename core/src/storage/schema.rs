//! The database schema and its migrations.
//!
//! Migrations are the numbered files in `storage/migrations/`; each runs once, in order, in one
//! transaction with the `user_version` bump, so a crash leaves either the old or the new schema.
//! A migration that has shipped is never edited: the text of each `CREATE` statement, comments
//! inside it included, is stored in the file and compared with [`expected_dump`] when a wallet
//! is opened. Add a new migration instead.
//!
//! The tables of the latest schema (column docs in the SQL files). Each table's statements live
//! in one file of `storage/`, named after it; the columns holding sealed values are named once,
//! in `sealed.rs`.
//!
//! * `meta` (`meta.rs`): key/value pairs: `wallet_id` (random hex), `created_at` (Unix
//!   seconds) and `canary`. Sealed: the `canary` row's `value`.
//! * `key_slots` (`key_slots.rs`): one row per way of unlocking, `slot` = `pin` or `provider`:
//!   the wrapped data key and a key id, and for the PIN its Argon2 salt and parameters (JSON).
//!   Sealed: the `pin` row's `wrapped`, under the PIN's key (a provider wraps in its own format).
//! * `holder_key` (`holder_key.rs`): one row, `id = 1`. Sealed: `seed_sealed`, the holder's
//!   Ed25519 seed.
//! * `credentials` (`credentials.rs`): one row per credential: random id, keyed-hash
//!   `type_tag`, `added_at`; index `credentials_by_type (type_tag, added_at)`. Sealed:
//!   `payload_sealed` (the fields: compact CBOR since schema 3, JSON before; see
//!   `payload.rs`), `issued_sealed` (the issuer's SD-CWT, `NULL` if the credential was added by
//!   hand) and, since schema 3, `summary_sealed` (type, label, issuer, expiry: what a list
//!   screen shows, listed without opening the payload; `NULL` on a row written before
//!   schema 3 until the first unlock rewrites it, which partial index
//!   `credentials_unsummarized` finds at no cost).
//! * `pin_attempts` (`pin_attempts.rs`): one row, `id = 1`: consecutive PIN attempts not proven
//!   right (each counted before its PIN is tested) and the time of the last wrong one. Nothing
//!   sealed.
//!
//! File-level statements (pragmas, identity and schema checks) are in `db.rs` and
//! here.

use rusqlite::Connection;

use crate::{Error, Result};

/// `PRAGMA application_id` of a citizen-wallet database ("CWW1").
pub const APPLICATION_ID: i32 = 0x4357_5731;

/// The migrations, in order. Index + 1 is the schema version each produces.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("001_init", include_str!("migrations/001_init.sql")),
    ("002_pin_backoff", include_str!("migrations/002_pin_backoff.sql")),
    ("003_lean_store", include_str!("migrations/003_lean_store.sql")),
];

/// The schema version this build writes.
pub const LATEST_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema version of an open database.
pub fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuses a schema version newer than this build knows (the file is left for the newer app).
pub fn check_known(version: u32) -> Result<()> {
    if version > LATEST_VERSION {
        return Err(Error::Corrupted(format!(
            "the wallet was written by a newer app (schema {version}, this build knows {LATEST_VERSION}); update the app"
        )));
    }
    Ok(())
}

/// Applies migrations `from..to` (versions), each in its own transaction.
pub fn migrate_to(conn: &mut Connection, to: u32) -> Result<()> {
    let current = version(conn)?;
    check_known(current)?;
    for v in current..to.min(LATEST_VERSION) {
        let (_, sql) = MIGRATIONS[v as usize];
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", v + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Applies every pending migration.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, LATEST_VERSION)
}

/// The schema dump that migrations produce at `version` (built in memory).
pub fn expected_dump(version: u32) -> Result<Vec<(String, String, String)>> {
    let mut conn = Connection::open_in_memory()?;
    migrate_to(&mut conn, version)?;
    dump(&conn)
}

/// A normalized dump of the schema (for comparing databases).
pub fn dump(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut stmt =
        conn.prepare("SELECT type, name, IFNULL(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrading_from_every_old_version_equals_a_fresh_schema() {
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate(&mut fresh).unwrap();
        let want = dump(&fresh).unwrap();
        let want_rows: i64 = fresh
            .query_row("SELECT count(*) FROM pin_attempts", [], |r| r.get(0))
            .unwrap();
        for start in 0..LATEST_VERSION {
            let mut db = Connection::open_in_memory().unwrap();
            migrate_to(&mut db, start).unwrap();
            assert_eq!(version(&db).unwrap(), start);
            migrate(&mut db).unwrap();
            assert_eq!(version(&db).unwrap(), LATEST_VERSION);
            assert_eq!(dump(&db).unwrap(), want, "upgrade from version {start}");
            let rows: i64 = db
                .query_row("SELECT count(*) FROM pin_attempts", [], |r| r.get(0))
                .unwrap();
            assert_eq!(rows, want_rows);
        }
    }

    #[test]
    fn a_newer_schema_is_refused_untouched() {
        let mut db = Connection::open_in_memory().unwrap();
        db.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
        assert!(matches!(migrate(&mut db), Err(Error::Corrupted(_))));
        assert_eq!(version(&db).unwrap(), LATEST_VERSION + 1);
        assert!(dump(&db).unwrap().is_empty());
    }
}
