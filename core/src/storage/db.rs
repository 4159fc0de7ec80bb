//! Opening the SQLite file: pragmas, identity checks, and the rule that we never create over,
//! delete or "repair" an existing wallet on our own.

use std::path::Path;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::schema::{self, APPLICATION_ID};
use crate::{Error, Result};

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // WAL for concurrent readers; FULL sync so a commit survives power loss, not only a crash.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Storage("could not enable WAL journal".into()));
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA trusted_schema = OFF;",
    )?;
    Ok(())
}

/// Creates a new wallet database at `path`. Fails with [`Error::AlreadyExists`] if a file is
/// there (we never overwrite a wallet).
pub(crate) fn create(path: &Path) -> Result<Connection> {
    if path.exists() {
        return Err(Error::AlreadyExists(
            "a wallet database already exists at this path",
        ));
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    configure(&conn)?;
    schema::migrate(&mut conn)?;
    Ok(conn)
}

/// Opens an existing wallet database, migrating it forward. A file that is not a wallet, is
/// corrupt, or comes from a newer version gives [`Error::Corrupted`] and is left untouched.
pub(crate) fn open(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::NotFound("wallet database"));
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Until the file is known to be a wallet we can use, closing this connection must not
    // checkpoint someone's `-wal` into the main file (SQLite does that on the last close).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    // Identity first, before any pragma that could write (journal mode) touches the file.
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(not_a_wallet)?;
    if app_id != APPLICATION_ID {
        return Err(Error::Corrupted("not a citizen-wallet database".into()));
    }
    let ok: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(not_a_wallet)?;
    if ok != "ok" {
        return Err(Error::Corrupted("database failed its integrity check".into()));
    }
    // Version 0 is never a usable wallet: `create` migrates before it stores anything. It is an
    // interrupted creation, or a wallet whose `-wal` (holding everything) was lost. Refuse it
    // as it is rather than migrate over it; a newer version is refused before any write too.
    match schema::version(&conn)? {
        0 => {
            return Err(Error::Corrupted(
                "the wallet is incomplete: its creation was interrupted or its -wal file was lost".into(),
            ))
        }
        v => {
            schema::check_known(v)?;
            // Exactly the tables and indexes our migrations make at that version: a foreign
            // database that borrowed our application id is refused here, unwritten.
            if schema::dump(&conn)? != schema::expected_dump(v)? {
                return Err(Error::Corrupted(
                    "the database does not have the wallet schema".into(),
                ));
            }
        }
    }
    configure(&conn)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
    schema::migrate(&mut conn)?;
    Ok(conn)
}

fn not_a_wallet(e: rusqlite::Error) -> Error {
    match Error::from(e) {
        Error::Corrupted(m) => Error::Corrupted(m),
        _ => Error::Corrupted("not a readable wallet database".into()),
    }
}
