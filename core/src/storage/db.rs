//! Opening the SQLite file: pragmas, identity checks, and the rule that we never create over,
//! delete or "repair" an existing wallet on our own; and the clean-close marker that lets an
//! open skip the integrity scan of a file no one has touched since the wallet closed it.
//!
//! **Clean-close marker.** `PRAGMA quick_check` reads every page (4-9 ms on a 10,000-credential
//! wallet, most of an open). It matters after a crash, a copy made mid-write, a restored
//! backup or a file someone else wrote; not after our own clean close. So when the last
//! connection of a [`WalletDb`](super::WalletDb) closes cleanly (SQLite has checkpointed and
//! deleted the `-wal`), it writes `<file>-clean`: the library version and schema version, and
//! the main file's device, inode, size, modification and status-change times (nanoseconds).
//! The next open removes the marker first (so a crash in that session leaves none), and skips
//! `quick_check` only if the marker is exactly what the file is now: no `-wal` beside it, the
//! same inode, size and times, the same library and schema version. Anything else (no marker,
//! a `-wal` left by a crash or by another open connection, a file copied, replaced, restored or
//! written by anything, which always sets its status-change time, a new app version) runs the
//! full check, as before. The marker holds no personal data. Residual: someone who can set the
//! clock and write the file within the timestamps' resolution; they could equally craft a file
//! that passes `quick_check` (a structural check, not an authentication: the sealed values
//! are what is authenticated). Non-Unix builds write no marker and always check.

use std::io::Read;
use std::path::{Path, PathBuf};

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

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// What the clean-close marker of the file at `path` must say: the library and schema versions
/// and the file's identity, size and times. `None` where there is no such thing (not Unix, not a
/// regular file).
#[cfg(unix)]
fn close_fingerprint(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some(format!(
        "citizen-wallet clean close 1\n{} {}\n{} {} {} {}.{:09} {}.{:09}\n",
        env!("CARGO_PKG_VERSION"),
        schema::LATEST_VERSION,
        m.dev(),
        m.ino(),
        m.len(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec()
    ))
}

#[cfg(not(unix))]
fn close_fingerprint(_path: &Path) -> Option<String> {
    None
}

/// Records that the wallet at `path` was closed cleanly (see the module docs): call it after the
/// last connection closed without error. Writes nothing while a `-wal` is there (another
/// connection is still open, or the close did not checkpoint). Best effort: without a marker
/// the next open runs the full check.
pub(crate) fn mark_clean_close(path: &Path) {
    if beside(path, "-wal").exists() {
        return;
    }
    if let Some(fingerprint) = close_fingerprint(path) {
        let _ = std::fs::write(beside(path, "-clean"), fingerprint);
    }
}

/// Whether the file at `path` is exactly as the wallet's last clean close left it. Removes the
/// marker in any case: from now on the file is in use, and only its own clean close marks it
/// again. A marker that cannot be removed counts as absent.
fn take_clean_close(path: &Path) -> bool {
    let marker = beside(path, "-clean");
    let mut text = String::new();
    let read = std::fs::File::open(&marker).and_then(|f| f.take(512).read_to_string(&mut text));
    if read.is_err() || std::fs::remove_file(&marker).is_err() {
        return false;
    }
    !beside(path, "-wal").exists() && close_fingerprint(path).is_some_and(|f| f == text)
}

/// Opens an existing wallet database, migrating it forward. A file that is not a wallet, is
/// corrupt, or comes from a newer version gives [`Error::Corrupted`] and is left untouched.
/// `PRAGMA quick_check` is skipped only when the file is as the wallet's last clean close left
/// it (see the module docs).
pub(crate) fn open(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::NotFound("wallet database"));
    }
    let clean = take_clean_close(path);
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
    if !clean {
        let ok: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(not_a_wallet)?;
        if ok != "ok" {
            return Err(Error::Corrupted("database failed its integrity check".into()));
        }
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// The kernel stamps times from a coarse clock (a few milliseconds): a change must come
    /// later than that to be seen, which any crash, copy or restore does.
    fn later() {
        std::thread::sleep(std::time::Duration::from_millis(25));
    }

    #[test]
    fn a_marker_counts_only_for_the_untouched_file_and_only_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.db");
        std::fs::write(&p, b"x").unwrap();
        let marker = beside(&p, "-clean");

        assert!(!take_clean_close(&p), "no marker");
        mark_clean_close(&p);
        assert!(marker.exists());
        assert!(take_clean_close(&p));
        assert!(!marker.exists(), "taken on open");
        assert!(!take_clean_close(&p), "only once");

        // The file written after the close (same size, same inode).
        mark_clean_close(&p);
        later();
        std::fs::write(&p, b"y").unwrap();
        assert!(!take_clean_close(&p));

        // A -wal beside it: a connection still open, or a crash.
        mark_clean_close(&p);
        std::fs::write(beside(&p, "-wal"), b"").unwrap();
        assert!(!take_clean_close(&p));
        mark_clean_close(&p);
        assert!(!marker.exists(), "no marker while a -wal is there");
        std::fs::remove_file(beside(&p, "-wal")).unwrap();

        // Another file put in its place, with the old marker.
        mark_clean_close(&p);
        let saved = std::fs::read(&marker).unwrap();
        later();
        std::fs::write(dir.path().join("other"), b"y").unwrap();
        std::fs::rename(dir.path().join("other"), &p).unwrap();
        std::fs::write(&marker, &saved).unwrap();
        assert!(!take_clean_close(&p));

        // Another version, or garbage.
        mark_clean_close(&p);
        let text = std::fs::read_to_string(&marker).unwrap();
        std::fs::write(&marker, text.replace(env!("CARGO_PKG_VERSION"), "0.0.0-other")).unwrap();
        assert!(!take_clean_close(&p));
        std::fs::write(&marker, vec![b'7'; 100_000]).unwrap();
        assert!(!take_clean_close(&p));
        assert!(!marker.exists());
    }
}
