//! Corrupt and hostile files: whatever sits at the wallet path, opening it gives the wallet or a
//! typed error, never a panic; the library never deletes, empties or recreates the file, and a
//! refused file keeps its bytes for recovery.
//!
//! Cases: truncated databases (at 13 lengths), random bytes, a SQLite header followed by random
//! bytes, another app's SQLite database, a database claiming our application id with foreign
//! tables, a wallet from a newer schema version, a wallet with a zeroed page, a lost `-wal`
//! file (two ways), a garbage `-wal` file, and a directory where the file should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use citizen_wallet_test_support as common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use citizen_wallet_core::internal::schema::{APPLICATION_ID, LATEST_VERSION};
use citizen_wallet_core::FixedClock;
use citizen_wallet_core::{Error, SoftwareKeyProvider, StoredCredential, Unlock, Wallet};
use common::*;
use rusqlite::Connection;

struct Fixture {
    dir: tempfile::TempDir,
    provider: SoftwareKeyProvider,
    clock: Arc<FixedClock>,
}

impl Fixture {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            provider: SoftwareKeyProvider::make("hostile-test").unwrap(),
            clock: Arc::new(FixedClock::new(T0)),
        }
    }

    /// The path of a new SQLite file `name`, created and set up by `setup`.
    fn sqlite(&self, name: &str, setup: impl FnOnce(&Connection)) -> PathBuf {
        let p = self.path(name);
        with_sqlite(&p, setup);
        p
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A closed (fully checkpointed) wallet holding every sample credential.
    fn wallet(&self, name: &str) -> PathBuf {
        let p = self.path(name);
        let w = Wallet::create(&p, Unlock::Provider(&self.provider), options(&self.clock)).unwrap();
        w.add_all(&all_credentials()).unwrap();
        drop(w);
        assert!(!sidecar(&p, "-wal").exists(), "a closed wallet has no -wal");
        p
    }

    fn open(&self, p: &Path) -> citizen_wallet_core::Result<Vec<StoredCredential>> {
        Wallet::open(p, Unlock::Provider(&self.provider), options(&self.clock)).and_then(|w| w.list(None))
    }

    /// Opens `p`, requires a typed refusal, and requires the file and its `-wal` (if any) to be
    /// exactly as before.
    /// `refused`, and the error is `Error::Corrupted`.
    #[track_caller]
    fn refused_as_corrupted(&self, case: &str, p: &Path) {
        let e = self.refused(case, p);
        assert!(is_corrupted(&e), "{e:?}");
    }

    fn refused(&self, case: &str, p: &Path) -> Error {
        let before = std::fs::read(p).unwrap();
        let wal_before = std::fs::read(sidecar(p, "-wal")).ok();
        let e = match self.open(p) {
            Ok(list) => panic!("{case}: opened with {} credentials", list.len()),
            Err(e) => e,
        };
        let after = std::fs::read(p).unwrap_or_else(|_| panic!("{case}: the file was deleted"));
        assert!(after == before, "{case}: the refused file was modified");
        // Reading a WAL-mode file may leave a new, empty -wal beside it; an existing one must
        // stay exactly as it was.
        let wal_after = std::fs::read(sidecar(p, "-wal")).ok();
        assert!(
            wal_after == wal_before || (wal_before.is_none() && wal_after.is_some_and(|w| w.is_empty())),
            "{case}: the refused file's -wal was modified or deleted"
        );
        println!("{case:<48} -> {e:?}");
        e
    }
}

fn sidecar(p: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", p.display()))
}

fn random_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

/// Opens (creating) the SQLite file `p`, runs `setup` on it and closes it.
fn with_sqlite(p: &Path, setup: impl FnOnce(&Connection)) {
    let c = Connection::open(p).unwrap();
    setup(&c);
}

fn is_corrupted(e: &Error) -> bool {
    matches!(e, Error::Corrupted(_))
}

#[test]
fn truncated_databases_are_refused_untouched() {
    let f = Fixture::new();
    let good = f.wallet("good.db");
    let full = std::fs::read(&good).unwrap();
    let page = 4096;
    assert!(full.len() >= 4 * page, "the sample wallet spans several pages");
    let lengths = [
        0,
        1,
        16,
        99,
        100,
        512,
        page - 1,
        page,
        page + 100,
        full.len() / 2,
        full.len() - page,
        full.len() - page / 2,
        full.len() - 1,
    ];
    let original = f.open(&good).unwrap();
    for len in lengths {
        let p = f.path(&format!("truncated-{len}.db"));
        std::fs::write(&p, &full[..len]).unwrap();
        let case = format!("truncated to {len} of {} bytes", full.len());
        if len > full.len() - page {
            // Cutting into the last page's unused tail may lose nothing: then the whole wallet
            // must read back intact (every value is authenticated), never a part of it.
            match f.open(&p) {
                Ok(list) => {
                    assert_eq!(list, original, "{case}: opened with different content");
                    println!("{case:<48} -> opens, every credential intact");
                }
                Err(e) => {
                    assert!(
                        is_corrupted(&e) || matches!(e, Error::Tampered(_)),
                        "{case}: {e:?}"
                    );
                    println!("{case:<48} -> {e:?}");
                }
            }
            assert!(std::fs::metadata(&p).unwrap().len() >= len as u64);
            continue;
        }
        let e = f.refused(&case, &p);
        assert!(is_corrupted(&e), "{case}: {e:?}");
    }
    // The original is untouched by all this and still opens.
    assert_eq!(f.open(&good).unwrap().len(), all_credentials().len());
}

#[test]
fn random_bytes_and_a_forged_header_are_refused_untouched() {
    let f = Fixture::new();
    for (i, n) in [7usize, 100, 4096, 65_536].into_iter().enumerate() {
        let p = f.path(&format!("random-{n}.db"));
        std::fs::write(&p, random_bytes(n, 0x9e37_79b9_7f4a_7c15 + i as u64)).unwrap();
        f.refused_as_corrupted(&format!("{n} random bytes"), &p);
    }
    // A valid SQLite magic string followed by random bytes.
    let p = f.path("forged-header.db");
    let mut b = b"SQLite format 3\0".to_vec();
    b.extend(random_bytes(8192 - 16, 42));
    std::fs::write(&p, b).unwrap();
    f.refused_as_corrupted("SQLite magic + random bytes", &p);
}

#[test]
fn another_sqlite_database_is_refused_untouched() {
    let f = Fixture::new();
    // Another app's database, e.g. a notes app.
    let p = f.sqlite("notes.db", |c| {
        c.execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
             INSERT INTO notes (body) VALUES ('buy rice');",
        )
        .unwrap();
    });
    f.refused_as_corrupted("another app's SQLite database", &p);

    // Another app's database in WAL mode, with data still in its -wal.
    let p = f.path("notes-wal.db");
    let keep = Connection::open(&p).unwrap();
    keep.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
         INSERT INTO notes (body) VALUES ('buy rice');",
    )
    .unwrap();
    let wal_before = std::fs::read(sidecar(&p, "-wal")).unwrap();
    f.refused_as_corrupted("another app's WAL database (open elsewhere)", &p);
    assert_eq!(std::fs::read(sidecar(&p, "-wal")).unwrap(), wal_before);
    let n: i64 = keep
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);

    // The same, copied with its -wal while that app had it open (nobody else has it open now):
    // refusing it must not checkpoint that -wal into the file.
    let copy = f.path("notes-wal-copy.db");
    std::fs::copy(&p, &copy).unwrap();
    std::fs::copy(sidecar(&p, "-wal"), sidecar(&copy, "-wal")).unwrap();
    f.refused_as_corrupted("another app's WAL database with its -wal", &copy);
    drop(keep);

    // An empty (zero-table) SQLite database, as a crashed create can leave before the header.
    let p = f.path("empty.db");
    Connection::open(&p).unwrap().execute_batch("VACUUM").unwrap();
    f.refused_as_corrupted("an empty SQLite database", &p);
}

#[test]
fn a_foreign_database_claiming_our_application_id_is_refused() {
    let f = Fixture::new();
    // Our application id, schema version 0, someone else's tables.
    let p = f.sqlite("impostor-v0.db", |c| {
        c.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        c.execute_batch("CREATE TABLE meta (k TEXT, v TEXT); INSERT INTO meta VALUES ('a', 'b');")
            .unwrap();
    });
    f.refused_as_corrupted("our application id, version 0, foreign tables", &p);

    // Our application id and the latest version number, but none of our tables.
    let p = f.sqlite("impostor-latest.db", |c| {
        c.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        c.pragma_update(None, "user_version", LATEST_VERSION).unwrap();
        c.execute_batch("CREATE TABLE other (x); INSERT INTO other VALUES (1);")
            .unwrap();
    });
    f.refused_as_corrupted("our application id, latest version, no tables", &p);
}

#[test]
fn a_wallet_from_a_newer_schema_is_refused_and_kept_for_the_newer_app() {
    let f = Fixture::new();
    let p = f.wallet("newer.db");
    with_sqlite(&p, |c| {
        c.pragma_update(None, "user_version", LATEST_VERSION + 1).unwrap();
    });
    let e = f.refused("a wallet from schema version LATEST+1", &p);
    assert!(matches!(&e, Error::Corrupted(m) if m.contains("newer")), "{e:?}");
    // Everything is still there for the newer app.
    let c = Connection::open(&p).unwrap();
    let v: u32 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let n: usize = c
        .query_row("SELECT count(*) FROM credentials", [], |r| r.get(0))
        .unwrap();
    assert_eq!((v, n), (LATEST_VERSION + 1, all_credentials().len()));
}

#[test]
fn a_wallet_with_a_zeroed_page_is_refused_untouched() {
    let f = Fixture::new();
    let good = f.wallet("good.db");
    let full = std::fs::read(&good).unwrap();
    let pages = full.len() / 4096;
    for page in 0..pages {
        let mut b = full.clone();
        b[page * 4096..(page + 1) * 4096].fill(0);
        let p = f.path(&format!("zeroed-page-{page}.db"));
        std::fs::write(&p, b).unwrap();
        let e = f.refused(&format!("page {} of {pages} zeroed", page + 1), &p);
        assert!(
            matches!(e, Error::Corrupted(_) | Error::Tampered(_)),
            "page {page}: {e:?}"
        );
    }
}

/// A damaged wallet whose recent commits are still in its `-wal`: refused, and the `-wal` is
/// neither checkpointed into the damaged file nor deleted, so recovery tools get both.
#[test]
fn a_damaged_wallet_keeps_its_wal() {
    let f = Fixture::new();
    let p = f.wallet("w.db");
    let w = Wallet::open(&p, Unlock::Provider(&f.provider), options(&f.clock)).unwrap();
    w.add_all(&all_credentials()).unwrap();
    let copy = f.path("damaged.db");
    std::fs::copy(&p, &copy).unwrap();
    std::fs::copy(sidecar(&p, "-wal"), sidecar(&copy, "-wal")).unwrap();
    drop(w);
    let mut b = std::fs::read(&copy).unwrap();
    b[2 * 4096..3 * 4096].fill(0);
    std::fs::write(&copy, b).unwrap();
    f.refused_as_corrupted("a damaged wallet with a -wal", &copy);
}

/// What a careless backup does: copy the main file while the wallet is open, without `-wal`.
#[test]
fn a_lost_wal_gives_an_older_consistent_wallet_or_a_typed_error() {
    let f = Fixture::new();
    let creds = all_credentials();
    let (first, later) = creds.split_at(creds.len() / 2);

    // 1. Lost before the first checkpoint: the main file holds only the header.
    let p = f.path("fresh.db");
    let w = Wallet::create(&p, Unlock::Provider(&f.provider), options(&f.clock)).unwrap();
    w.add_all(&creds).unwrap();
    let copy = f.path("fresh-copy.db");
    std::fs::copy(&p, &copy).unwrap();
    f.refused_as_corrupted("-wal lost before the first checkpoint", &copy);
    drop(w);

    // 2. Lost after a checkpoint: the older state comes back, and is consistent.
    let p = f.path("older.db");
    let w = Wallet::create(&p, Unlock::Provider(&f.provider), options(&f.clock)).unwrap();
    let old_ids = w.add_all(first).unwrap();
    drop(w); // closing checkpoints
    let w = Wallet::open(&p, Unlock::Provider(&f.provider), options(&f.clock)).unwrap();
    w.add_all(later).unwrap();
    let copy = f.path("older-copy.db");
    std::fs::copy(&p, &copy).unwrap();
    std::fs::copy(sidecar(&p, "-shm"), sidecar(&copy, "-shm")).unwrap();
    let got = f.open(&copy).unwrap();
    let mut got_ids: Vec<_> = got.iter().map(|s| s.id.clone()).collect();
    let mut want = old_ids.clone();
    got_ids.sort();
    want.sort();
    assert_eq!(
        got_ids, want,
        "the WAL-less copy is exactly the last checkpointed state"
    );
    for s in &got {
        let i = old_ids.iter().position(|id| *id == s.id).unwrap();
        assert_eq!(&s.credential, &first[i]);
    }
    println!(
        "{:<48} -> older state: {} of {} credentials (loss not detectable)",
        "-wal lost after a checkpoint",
        got.len(),
        creds.len()
    );
    // The real wallet is unaffected.
    assert_eq!(w.list(None).unwrap().len(), creds.len());
}

#[test]
fn a_garbage_wal_is_ignored_by_sqlite_and_the_checkpointed_wallet_opens() {
    let f = Fixture::new();
    let p = f.wallet("w.db");
    std::fs::write(sidecar(&p, "-wal"), random_bytes(64 * 1024, 7)).unwrap();
    let got = f.open(&p).unwrap();
    assert_eq!(got.len(), all_credentials().len());
    println!("{:<48} -> ignored, wallet opens", "a -wal of random bytes");
}

#[test]
fn a_directory_or_nothing_at_the_path_is_not_found_and_never_created() {
    let f = Fixture::new();
    let d = f.path("dir.db");
    std::fs::create_dir(&d).unwrap();
    assert!(matches!(f.open(&d), Err(Error::NotFound(_))));
    assert!(d.is_dir());
    let missing = f.path("missing.db");
    assert!(matches!(f.open(&missing), Err(Error::NotFound(_))));
    assert!(!missing.exists(), "opening a missing wallet created a file");
    assert!(!sidecar(&missing, "-wal").exists());
}

/// The clean-close marker (`<file>-clean`) lets an open skip `quick_check` only for the file the
/// wallet's last clean close left: a page zeroed in place after the close, a file left open
/// at a crash (its `-wal` remains), a copy, are all checked in full and refused as before.
#[test]
fn the_clean_close_marker_skips_the_check_only_for_an_untouched_file() {
    let f = Fixture::new();
    let p = f.wallet("w.db");
    let marker = sidecar(&p, "-clean");
    assert!(marker.exists(), "a clean close marks the file");
    assert_eq!(f.open(&p).unwrap().len(), all_credentials().len());
    assert!(marker.exists(), "and the clean close after that open again");

    // Zeroed in place after the close: same inode and size, later times.
    std::thread::sleep(std::time::Duration::from_millis(25));
    let mut b = std::fs::read(&p).unwrap();
    let pages = b.len() / 4096;
    b[(pages - 1) * 4096..].fill(0);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&p)
        .and_then(|mut file| std::io::Write::write_all(&mut file, &b))
        .unwrap();
    let e = f.refused("last page zeroed in place after a clean close", &p);
    assert!(matches!(e, Error::Corrupted(_) | Error::Tampered(_)), "{e:?}");
    assert!(!marker.exists(), "the marker is used up by the open that read it");

    // A wallet still open at a "crash": no marker (its open took it), a -wal left.
    let p = f.wallet("crashed.db");
    let w = Wallet::open(&p, Unlock::Provider(&f.provider), options(&f.clock)).unwrap();
    w.add_all(&all_credentials()[..2]).unwrap();
    assert!(!sidecar(&p, "-clean").exists());
    std::mem::forget(w);
    assert!(sidecar(&p, "-wal").exists());
    assert_eq!(f.open(&p).unwrap().len(), all_credentials().len() + 2);
}
