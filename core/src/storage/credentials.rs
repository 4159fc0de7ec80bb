//! The `credentials` table: sealing a credential into a row ([`NewCredential`]) and opening a
//! row back ([`CredentialRow`], [`SealedIssued`]), and every statement on the table: insert one
//! or many, get by id, list all or by type tag, delete, read the issuer-signed bytes.

use rusqlite::{params, Connection, OptionalExtension};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::cipher::StoreCipher;
use super::sealed::{CREDENTIAL_ISSUED, CREDENTIAL_PAYLOAD};
use crate::crypto::random;
use crate::model::Credential;
use crate::wallet::StoredCredential;
use crate::{Error, InputError, InputRule, Result};

const INSERT_SQL: &str =
    "INSERT INTO credentials (id, type_tag, payload_sealed, issued_sealed, added_at) VALUES (?1, ?2, ?3, ?4, ?5)";
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
}

impl NewCredential {
    /// Seals `credential` (validated and normalized by the caller) and, if given, its
    /// issuer-signed bytes, under `cipher`.
    pub(crate) fn seal(cipher: &StoreCipher, credential: &Credential, issued: Option<&[u8]>) -> Result<Self> {
        let id = hex::encode(random::bytes::<16>()?);
        let json = Zeroizing::new(
            serde_json::to_vec(credential)
                .map_err(|_| InputError::new("credential", InputRule::Invalid("not serializable")))?,
        );
        Ok(Self {
            type_tag: cipher.type_tag(credential.credential_type()).to_vec(),
            payload: CREDENTIAL_PAYLOAD.seal(cipher, &id, &json)?,
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
        stmt.execute(params![r.id, r.type_tag, r.payload, r.issued, now])?;
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
        let (_, credential) = self.open_payload(cipher)?;
        Ok(StoredCredential {
            id: self.id,
            credential,
            signed: self.signed,
            added_at: self.added_at,
        })
    }

    /// The payload's plaintext (JSON) and the credential it holds, its type tag checked.
    fn open_payload(&self, cipher: &StoreCipher) -> Result<(Zeroizing<Vec<u8>>, Credential)> {
        let json = CREDENTIAL_PAYLOAD.open(cipher, &self.id, &self.payload)?;
        let credential: Credential = serde_json::from_slice(&json)
            .map_err(|_| Error::Corrupted("stored credential unreadable".into()))?;
        // A keyed hash (secret-derived) against a value an attacker may have written: compare in
        // constant time.
        if !bool::from(cipher.type_tag(credential.credential_type())[..].ct_eq(&self.type_tag[..])) {
            return Err(Error::Tampered("credential type tag does not match its contents"));
        }
        Ok((json, credential))
    }
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
/// transaction): payload and issuer-signed bytes resealed (and so padded, if an older wallet
/// sealed them unpadded), type tag derived again. A row that does not open under `old` is
/// [`Error::Tampered`] and the rotation fails whole.
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
        "UPDATE credentials SET type_tag = ?2, payload_sealed = ?3, issued_sealed = ?4 WHERE id = ?1",
    )?;
    for id in &ids {
        let (row, issued): (CredentialRow, Option<Vec<u8>>) =
            read.query_row([id], |r| Ok((CredentialRow::from_row(r)?, r.get(5)?)))?;
        // Opened as a credential: checks its type tag too, and gives the type to tag anew. The
        // JSON is resealed as it was.
        let (json, credential) = row.open_payload(old)?;
        let ty = credential.credential_type();
        let issued = issued
            .map(|sealed| {
                let bytes = CREDENTIAL_ISSUED.open(old, id, &sealed)?;
                CREDENTIAL_ISSUED.seal(new, id, &bytes)
            })
            .transpose()?;
        write.execute(params![
            id,
            new.type_tag(ty).to_vec(),
            CREDENTIAL_PAYLOAD.seal(new, id, &json)?,
            issued
        ])?;
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
    fn lookups_by_id_use_the_primary_key() {
        let p = plan(GET_SQL);
        assert!(p.contains("sqlite_autoindex_credentials_1"), "{p}");
    }
}
