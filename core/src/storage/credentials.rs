//! The `credentials` table: sealing a credential into a row ([`NewCredential`]) and opening a
//! row back ([`CredentialRow`], [`SummaryRow`], [`SealedIssued`]), and every statement on the
//! table: insert one or many, get by id, list all or by type tag (whole credentials or their
//! summaries), delete, read the issuer-signed bytes, rewrite the rows older wallets wrote in
//! JSON (migration 3), reseal every row (a key rotation). What the sealed values hold is
//! `payload.rs`'s.

use rusqlite::{params, Connection, OptionalExtension};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::cipher::StoreCipher;
use super::payload::{self, Summary};
use super::sealed::{CREDENTIAL_ISSUED, CREDENTIAL_PAYLOAD, CREDENTIAL_SUMMARY};
use crate::crypto::random;
use crate::model::{Credential, CredentialType};
use crate::wallet::{CredentialSummary, StoredCredential};
use crate::{Error, Result};

const INSERT_SQL: &str =
    "INSERT INTO credentials (id, type_tag, payload_sealed, issued_sealed, added_at, summary_sealed)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/// Summaries of one type, oldest first (the payload only of a row written before schema 3,
/// which has no summary yet).
const SUMMARIES_BY_TYPE_SQL: &str =
    "SELECT id, type_tag, summary_sealed, issued_sealed IS NOT NULL, added_at,
            CASE WHEN summary_sealed IS NULL THEN payload_sealed END
     FROM credentials WHERE type_tag = ?1 ORDER BY added_at, id";
/// Every summary, oldest first.
const SUMMARIES_ALL_SQL: &str = "SELECT id, type_tag, summary_sealed, issued_sealed IS NOT NULL, added_at,
            CASE WHEN summary_sealed IS NULL THEN payload_sealed END
     FROM credentials ORDER BY added_at, id";
/// Whether a row written before schema 3 is left (a search of `credentials_unsummarized`).
const UNSUMMARIZED_SQL: &str = "SELECT EXISTS (SELECT 1 FROM credentials WHERE summary_sealed IS NULL)";
/// One credential by id: a search of the primary key.
const GET_SQL: &str =
    "SELECT id, type_tag, payload_sealed, issued_sealed IS NOT NULL, added_at FROM credentials WHERE id = ?1";
/// The credentials of one type (by its tag), oldest first: a search of `credentials_by_type`.
const LIST_BY_TYPE_SQL: &str =
    "SELECT id, type_tag, payload_sealed, issued_sealed IS NOT NULL, added_at FROM credentials
     WHERE type_tag = ?1 ORDER BY added_at, id";
/// Every credential, oldest first.
const LIST_ALL_SQL: &str =
    "SELECT id, type_tag, payload_sealed, issued_sealed IS NOT NULL, added_at FROM credentials
     ORDER BY added_at, id";
const DELETE_SQL: &str = "DELETE FROM credentials WHERE id = ?1";
const ISSUED_SQL: &str = "SELECT issued_sealed FROM credentials WHERE id = ?1";

/// A credential sealed into a new row, under a fresh random id, ready to insert.
pub(crate) struct NewCredential {
    id: String,
    type_tag: Vec<u8>,
    payload: Vec<u8>,
    issued: Option<Vec<u8>>,
    summary: Vec<u8>,
}

/// The sealed payload (encoding 1) and summary of `credential` for row `id`.
fn seal_payload_and_summary(
    cipher: &StoreCipher,
    id: &str,
    credential: &Credential,
    issued: Option<&[u8]>,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let summary = Summary::of(credential, issued)?;
    Ok((
        CREDENTIAL_PAYLOAD.seal(cipher, id, &payload::encode(credential))?,
        CREDENTIAL_SUMMARY.seal_small(cipher, id, &summary.encode())?,
    ))
}

impl NewCredential {
    /// Seals `credential` (validated and normalized by the caller), its summary and, if given,
    /// its issuer-signed bytes, under `cipher`.
    pub(crate) fn seal(cipher: &StoreCipher, credential: &Credential, issued: Option<&[u8]>) -> Result<Self> {
        let id = hex::encode(random::bytes::<16>()?);
        let (payload, summary) = seal_payload_and_summary(cipher, &id, credential, issued)?;
        Ok(Self {
            type_tag: cipher.type_tag(credential.credential_type()).to_vec(),
            payload,
            summary,
            issued: issued
                .map(|b| CREDENTIAL_ISSUED.seal(cipher, &id, b))
                .transpose()?,
            id,
        })
    }

    /// The new credential's id.
    pub(crate) fn into_id(self) -> String {
        self.id
    }
}

/// Inserts `rows` (call it in a transaction: all or none).
pub(super) fn insert_all(conn: &Connection, rows: &[NewCredential], now: i64) -> Result<()> {
    let mut stmt = conn.prepare_cached(INSERT_SQL)?;
    for r in rows {
        stmt.execute(params![r.id, r.type_tag, r.payload, r.issued, now, r.summary])?;
    }
    Ok(())
}

/// A credential row as read, still sealed.
pub(crate) struct CredentialRow {
    id: String,
    type_tag: Vec<u8>,
    payload: Vec<u8>,
    signed: bool,
    added_at: i64,
}

impl CredentialRow {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            type_tag: r.get(1)?,
            payload: r.get(2)?,
            signed: r.get(3)?,
            added_at: r.get(4)?,
        })
    }

    /// Opens the row under `cipher`: [`Error::Tampered`] if the payload was not sealed for this
    /// row or the type tag does not match the type inside.
    pub(crate) fn open(self, cipher: &StoreCipher) -> Result<StoredCredential> {
        let credential = self.open_payload(cipher)?;
        Ok(StoredCredential {
            id: self.id,
            credential,
            signed: self.signed,
            added_at: self.added_at,
        })
    }

    /// The credential the payload holds (either encoding), its type tag checked.
    fn open_payload(&self, cipher: &StoreCipher) -> Result<Credential> {
        open_credential(cipher, &self.id, &self.type_tag, &self.payload)
    }
}

/// Opens the sealed payload of row `id` and checks its type against the row's tag.
fn open_credential(cipher: &StoreCipher, id: &str, type_tag: &[u8], sealed: &[u8]) -> Result<Credential> {
    let plain = CREDENTIAL_PAYLOAD.open(cipher, id, sealed)?;
    let credential = payload::decode(&plain)?;
    check_tag(cipher, credential.credential_type(), type_tag)?;
    Ok(credential)
}

/// A keyed hash (secret-derived) against a value an attacker may have written: compared in
/// constant time.
fn check_tag(cipher: &StoreCipher, ty: CredentialType, type_tag: &[u8]) -> Result<()> {
    if !bool::from(cipher.type_tag(ty)[..].ct_eq(type_tag)) {
        return Err(Error::Tampered("credential type tag does not match its contents"));
    }
    Ok(())
}

/// A row's summary as read, still sealed (or, for a row written before schema 3, its payload).
pub(crate) struct SummaryRow {
    id: String,
    type_tag: Vec<u8>,
    summary: Option<Vec<u8>>,
    signed: bool,
    added_at: i64,
    payload: Option<Vec<u8>>,
}

impl SummaryRow {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            type_tag: r.get(1)?,
            summary: r.get(2)?,
            signed: r.get(3)?,
            added_at: r.get(4)?,
            payload: r.get(5)?,
        })
    }

    /// Opens the summary under `cipher` (its type checked against the row's tag, like a
    /// payload's); a row written before schema 3 is summarized from its payload.
    pub(crate) fn open(self, cipher: &StoreCipher) -> Result<CredentialSummary> {
        let s = match (&self.summary, &self.payload) {
            (Some(sealed), _) => {
                let plain = CREDENTIAL_SUMMARY.open(cipher, &self.id, sealed)?;
                let s = Summary::decode(&plain)?;
                check_tag(cipher, s.credential_type, &self.type_tag)?;
                s
            }
            (None, Some(sealed)) => {
                let credential = open_credential(cipher, &self.id, &self.type_tag, sealed)?;
                Summary::of(&credential, None)?
            }
            (None, None) => return Err(Error::Corrupted("stored credential unreadable".into())),
        };
        Ok(CredentialSummary {
            id: self.id,
            credential_type: s.credential_type,
            label: s.label,
            issuer: s.issuer,
            expires_at: s.expires_at,
            valid_to: s.valid_to,
            signed: self.signed,
            added_at: self.added_at,
        })
    }
}

/// Every summary, or those whose type tag is `type_tag`, oldest first (the type's statement
/// searches `credentials_by_type`, as [`list_by_type`] does).
pub(super) fn summaries(conn: &Connection, type_tag: Option<&[u8]>) -> Result<Vec<SummaryRow>> {
    Ok(match type_tag {
        Some(tag) => conn
            .prepare_cached(SUMMARIES_BY_TYPE_SQL)?
            .query_map([tag], SummaryRow::from_row)?
            .collect::<std::result::Result<_, _>>()?,
        None => conn
            .prepare_cached(SUMMARIES_ALL_SQL)?
            .query_map([], SummaryRow::from_row)?
            .collect::<std::result::Result<_, _>>()?,
    })
}

/// Whether a row written before schema 3 (JSON, no summary) is left.
pub(super) fn any_unsummarized(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached(UNSUMMARIZED_SQL)?
        .query_row([], |r| r.get(0))?)
}

/// Migration 3's second half, which needs the data key (call it in a `BEGIN IMMEDIATE`
/// transaction, after the canary check): rewrites every row written before schema 3, its JSON
/// payload in encoding 1 and a summary beside it, both sealed under `cipher`. A row that does
/// not open is left as it is (it reads as tampered, as before). Returns the rows rewritten.
pub(super) fn summarize_all(conn: &Connection, cipher: &StoreCipher) -> Result<usize> {
    /// id, type tag, sealed payload, sealed issuer-signed bytes.
    type OldRow = (String, Vec<u8>, Vec<u8>, Option<Vec<u8>>);
    let rows: Vec<OldRow> = conn
        .prepare(
            "SELECT id, type_tag, payload_sealed, issued_sealed FROM credentials
             WHERE summary_sealed IS NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let mut write =
        conn.prepare_cached("UPDATE credentials SET payload_sealed = ?2, summary_sealed = ?3 WHERE id = ?1")?;
    let mut done = 0;
    for (id, tag, sealed, issued) in rows {
        let Ok(credential) = open_credential(cipher, &id, &tag, &sealed) else {
            continue;
        };
        let issued = match issued
            .map(|s| CREDENTIAL_ISSUED.open(cipher, &id, &s))
            .transpose()
        {
            Ok(i) => i,
            Err(_) => continue,
        };
        let (payload, summary) =
            seal_payload_and_summary(cipher, &id, &credential, issued.as_deref().map(|v| &v[..]))?;
        write.execute(params![id, payload, summary])?;
        done += 1;
    }
    Ok(done)
}

/// One row by id. [`Error::NotFound`] if there is none.
pub(super) fn get(conn: &Connection, id: &str) -> Result<CredentialRow> {
    conn.prepare_cached(GET_SQL)?
        .query_row([id], CredentialRow::from_row)
        .optional()?
        .ok_or(Error::NotFound("credential"))
}

/// Every row, oldest first.
pub(super) fn list_all(conn: &Connection) -> Result<Vec<CredentialRow>> {
    Ok(conn
        .prepare_cached(LIST_ALL_SQL)?
        .query_map([], CredentialRow::from_row)?
        .collect::<std::result::Result<_, _>>()?)
}

/// The rows whose type tag is `type_tag`, oldest first.
///
/// A statement of its own, not `?1 IS NULL OR type_tag = ?1` shared with [`list_all`]: SQLite
/// plans that OR as a full scan of every sealed row, where `type_tag = ?1` searches the index.
pub(super) fn list_by_type(conn: &Connection, type_tag: &[u8]) -> Result<Vec<CredentialRow>> {
    Ok(conn
        .prepare_cached(LIST_BY_TYPE_SQL)?
        .query_map([type_tag], CredentialRow::from_row)?
        .collect::<std::result::Result<_, _>>()?)
}

/// Deletes one row (one statement: its own transaction). [`Error::NotFound`] if there is none.
pub(super) fn delete(conn: &Connection, id: &str) -> Result<()> {
    if conn.execute(DELETE_SQL, [id])? == 0 {
        return Err(Error::NotFound("credential"));
    }
    Ok(())
}

/// Reseals every credential from `old` to `new` (a data key rotation, inside its
/// transaction): payload (in encoding 1), summary and issuer-signed bytes resealed (and so
/// padded, if an older wallet sealed them unpadded), type tag derived again. A row that does
/// not open under `old` is [`Error::Tampered`] and the rotation fails whole.
pub(super) fn reseal_all(conn: &Connection, old: &StoreCipher, new: &StoreCipher) -> Result<usize> {
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM credentials")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let mut read = conn.prepare_cached(
        "SELECT id, type_tag, payload_sealed, issued_sealed IS NOT NULL, added_at, issued_sealed
         FROM credentials WHERE id = ?1",
    )?;
    let mut write = conn.prepare_cached(
        "UPDATE credentials SET type_tag = ?2, payload_sealed = ?3, issued_sealed = ?4, summary_sealed = ?5
         WHERE id = ?1",
    )?;
    for id in &ids {
        let (row, issued): (CredentialRow, Option<Vec<u8>>) =
            read.query_row([id], |r| Ok((CredentialRow::from_row(r)?, r.get(5)?)))?;
        // Opened as a credential: checks its type tag too, and gives the type to tag anew. The
        // payload is encoded again (the same bytes, if it was in encoding 1 already: the
        // encoding is deterministic), and its summary made again.
        let credential = row.open_payload(old)?;
        let ty = credential.credential_type();
        let issued = issued
            .map(|sealed| CREDENTIAL_ISSUED.open(old, id, &sealed))
            .transpose()?;
        let (payload, summary) =
            seal_payload_and_summary(new, id, &credential, issued.as_deref().map(|v| &v[..]))?;
        let issued = issued
            .map(|bytes| CREDENTIAL_ISSUED.seal(new, id, &bytes))
            .transpose()?;
        write.execute(params![id, new.type_tag(ty).to_vec(), payload, issued, summary])?;
    }
    Ok(ids.len())
}

/// The issuer-signed bytes of a credential, still sealed.
pub(crate) struct SealedIssued {
    id: String,
    sealed: Vec<u8>,
}

impl SealedIssued {
    /// Opens the bytes under `cipher`; [`Error::Tampered`] if they were not sealed for this row.
    pub(crate) fn open(&self, cipher: &StoreCipher) -> Result<Zeroizing<Vec<u8>>> {
        CREDENTIAL_ISSUED.open(cipher, &self.id, &self.sealed)
    }
}

/// The sealed issuer-signed bytes of credential `id`: `None` if it was added by hand,
/// [`Error::NotFound`] if there is no such credential.
pub(super) fn issued(conn: &Connection, id: &str) -> Result<Option<SealedIssued>> {
    let sealed: Option<Vec<u8>> = conn
        .prepare_cached(ISSUED_SQL)?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or(Error::NotFound("credential"))?;
    Ok(sealed.map(|sealed| SealedIssued {
        id: id.to_owned(),
        sealed,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::db;

    /// The query plans of the listing statements on a real wallet schema.
    fn plan(sql: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let conn = db::create(&dir.path().join("w.db")).unwrap();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map([&[0u8; 16][..]], |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn listing_by_type_searches_the_type_index() {
        let p = plan(LIST_BY_TYPE_SQL);
        assert!(p.contains("USING INDEX credentials_by_type"), "{p}");
        assert!(!p.contains("SCAN credentials"), "{p}");
    }

    #[test]
    fn summaries_by_type_search_the_type_index_and_pending_rows_their_own() {
        let p = plan(SUMMARIES_BY_TYPE_SQL);
        assert!(p.contains("USING INDEX credentials_by_type"), "{p}");
        let p = plan(&format!("{UNSUMMARIZED_SQL} AND ?1 IS NOT NULL"));
        // A scan of the partial index, which holds only the rows still to rewrite: none once
        // the first unlock has run.
        assert!(p.contains("INDEX credentials_unsummarized"), "{p}");
    }

    #[test]
    fn lookups_by_id_use_the_primary_key() {
        let p = plan(GET_SQL);
        assert!(p.contains("sqlite_autoindex_credentials_1"), "{p}");
    }
}
