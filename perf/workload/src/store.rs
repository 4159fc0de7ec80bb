//! The store workload, three ways on the same records:
//!
//! * **ours**: [`Wallet`] (XChaCha20-Poly1305 per value, HMAC type tags, WAL, synchronous FULL):
//!   `add_all` of 10,000 records (one transaction), `get` by id, `list(Some(type))` of ~1,000,
//!   `open` with a key provider (no KDF), and the Argon2id KDF alone;
//! * **plain**: [`PlainStore`], rusqlite with the same tables (our migrations), the same
//!   pragmas (WAL, synchronous FULL, secure_delete, foreign keys), the same statements and the
//!   same bytes (each credential's JSON serialization) stored unencrypted, with the type name
//!   in the `type_tag` column. It does what our wallet does minus the cryptography: random ids,
//!   JSON (de)serialization of the `Credential`, one transaction for the batch. It does not
//!   validate (ours does, and that counts against ours);
//! * **crypto only**: [`CryptoOnly`], the AEAD and tag work those operations need, with no
//!   SQLite: per record one XChaCha20-Poly1305 seal (or open) under a random 24-byte nonce with
//!   the same associated data, and one HMAC-SHA256 type tag.
//!
//! * **floor** (naive encrypted): [`NaiveStore`], what an encrypted store cannot avoid: the
//!   same table and pragmas, each record's payload bytes (exactly the plaintext our store
//!   seals, encoded once before the clock starts) sealed once per row (XChaCha20-Poly1305, no
//!   padding) with its HMAC type tag, one transaction for the batch; get and list open them
//!   back, and return bytes, not typed credentials.
//!
//! `*_overhead_ratio = (ours - plain) / crypto_only`: what encryption costs our store above
//! plain rusqlite, in units of the unavoidable crypto (target <= 1.25).
//! `*_floor_ratio = ours / floor` (target <= 1.5, issue 16). The breakdown's
//! `*_floor_padded_*`: the same floor sealing each payload padded as the store pads it (what
//! the padding rule alone costs; not a target). `list_summaries_ms`: the same
//! listing as `list_by_type_ms`, summaries only (`Wallet::list_summaries`).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use citizen_wallet_core::internal::derive_pin_key;
use citizen_wallet_core::internal::encode_stored_payload;
use citizen_wallet_core::internal::schema;
use citizen_wallet_core::model::{Credential, CredentialType};
use citizen_wallet_core::FixedClock;
use citizen_wallet_core::KdfParams;
use citizen_wallet_core::{SoftwareKeyProvider, StoredCredential, Unlock, Wallet, WalletOptions};
use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use sha2::Sha256;

use crate::records::{LISTED_TYPE, OTHER_TYPE};
use crate::timing::{median, median_ns, medians_interleaved, ns_to_ms, ns_to_us, round3, Plan};
use crate::{fill_random, hex_lower, Res, Rng};

/// 2026-01-15T00:00:00Z.
pub const T0: i64 = 1_768_435_200;

/// How much to measure.
#[derive(Debug, Clone, Copy)]
pub struct StorePlan {
    /// Fresh databases filled with all the records (median of these).
    pub insert_reps: usize,
    pub get: Plan,
    pub list: Plan,
    pub open_reps: usize,
    pub kdf_reps: usize,
}

impl StorePlan {
    pub const FULL: StorePlan = StorePlan {
        insert_reps: 21,
        get: Plan::new(20, 301, 20),
        list: Plan::new(2, 61, 1),
        open_reps: 9,
        kdf_reps: 7,
    };
    pub const QUICK: StorePlan = StorePlan {
        insert_reps: 7,
        get: Plan::new(10, 101, 20),
        list: Plan::new(1, 21, 1),
        open_reps: 5,
        kdf_reps: 3,
    };
}

fn db_files(path: &Path) -> [PathBuf; 3] {
    let s = path.display().to_string();
    [
        path.to_path_buf(),
        PathBuf::from(format!("{s}-wal")),
        PathBuf::from(format!("{s}-shm")),
    ]
}

fn remove_db(path: &Path) {
    for f in db_files(path) {
        let _ = std::fs::remove_file(f);
    }
    let _ = std::fs::remove_file(format!("{}-clean", path.display()));
}

/// Total bytes of a database's files (main, -wal, -shm).
pub fn db_bytes(path: &Path) -> u64 {
    db_files(path)
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum()
}

fn options() -> WalletOptions {
    WalletOptions {
        clock: Arc::new(FixedClock::new(T0)),
        ..WalletOptions::default()
    }
}

// ---------------------------------------------------------------- ours

/// A fresh wallet unlocked by a software key provider (no KDF at creation or opening).
pub fn create_wallet(path: &Path, provider: &SoftwareKeyProvider) -> Res<Wallet> {
    remove_db(path);
    Ok(Wallet::create(path, Unlock::Provider(provider), options())?)
}

pub fn open_wallet(path: &Path, provider: &SoftwareKeyProvider) -> Res<Wallet> {
    Ok(Wallet::open(path, Unlock::Provider(provider), options())?)
}

fn check_get(c: &StoredCredential, id: &str) -> Res<()> {
    if c.id != id {
        return Err("get returned another row".into());
    }
    Ok(())
}

fn check_list(n: usize, want: usize) -> Res<()> {
    if n != want {
        return Err(format!("list returned {n} rows, expected {want}").into());
    }
    Ok(())
}

// ---------------------------------------------------------------- plain

/// rusqlite, same schema, pragmas and statements as the wallet, values unencrypted.
pub struct PlainStore {
    conn: Connection,
}

const INSERT_SQL: &str =
    "INSERT INTO credentials (id, type_tag, payload_sealed, issued_sealed, added_at) VALUES (?1, ?2, ?3, ?4, ?5)";
const GET_SQL: &str =
    "SELECT id, type_tag, payload_sealed, issued_sealed IS NOT NULL, added_at FROM credentials WHERE id = ?1";
const LIST_BY_TYPE_SQL: &str =
    "SELECT id, type_tag, payload_sealed, issued_sealed IS NOT NULL, added_at FROM credentials
     WHERE type_tag = ?1 ORDER BY added_at, id";
const LIST_ALL_SQL: &str =
    "SELECT id, type_tag, payload_sealed, issued_sealed IS NOT NULL, added_at FROM credentials
     ORDER BY added_at, id";

/// A `credentials` row as read back: id, type tag, JSON, signed?, added_at.
type RawRow = (String, Vec<u8>, Vec<u8>, bool, i64);

/// A plain row read back: the credential and its row facts, as the wallet returns them.
pub struct PlainRow {
    pub id: String,
    pub credential: Credential,
    pub signed: bool,
    pub added_at: i64,
}

impl PlainStore {
    fn configure(conn: &Connection) -> Res<()> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err("plain store: WAL refused".into());
        }
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA secure_delete = ON;
             PRAGMA trusted_schema = OFF;",
        )?;
        Ok(())
    }

    pub fn create(path: &Path) -> Res<Self> {
        remove_db(path);
        let mut conn = Connection::open(path)?;
        Self::configure(&conn)?;
        schema::migrate(&mut conn)?;
        Ok(Self { conn })
    }

    pub fn open(path: &Path) -> Res<Self> {
        let conn = Connection::open(path)?;
        Self::configure(&conn)?;
        if schema::version(&conn)? != schema::LATEST_VERSION {
            return Err("plain store: unexpected schema version".into());
        }
        Ok(Self { conn })
    }

    pub fn add_all(&mut self, creds: &[Credential]) -> Res<Vec<String>> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(creds.len());
        {
            let mut stmt = tx.prepare_cached(INSERT_SQL)?;
            for c in creds {
                let mut r = [0u8; 16];
                fill_random(&mut r)?;
                let id = hex_lower(&r);
                let json = serde_json::to_vec(c)?;
                stmt.execute(params![
                    id,
                    c.credential_type().as_str().as_bytes(),
                    json,
                    None::<Vec<u8>>,
                    T0
                ])?;
                ids.push(id);
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    }

    fn decode(raw: RawRow) -> Res<PlainRow> {
        let (id, tag, json, signed, added_at) = raw;
        let credential: Credential = serde_json::from_slice(&json)?;
        if credential.credential_type().as_str().as_bytes() != tag.as_slice() {
            return Err("plain store: type column does not match".into());
        }
        Ok(PlainRow {
            id,
            credential,
            signed,
            added_at,
        })
    }

    pub fn get(&self, id: &str) -> Res<PlainRow> {
        let raw = self
            .conn
            .prepare_cached(GET_SQL)?
            .query_row([id], Self::row)
            .optional()?
            .ok_or("plain store: not found")?;
        Self::decode(raw)
    }

    pub fn list(&self, ty: Option<CredentialType>) -> Res<Vec<PlainRow>> {
        let raws = match ty {
            Some(t) => self
                .conn
                .prepare_cached(LIST_BY_TYPE_SQL)?
                .query_map([t.as_str().as_bytes()], Self::row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            None => self
                .conn
                .prepare_cached(LIST_ALL_SQL)?
                .query_map([], Self::row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        raws.into_iter().map(Self::decode).collect()
    }

    /// `PRAGMA quick_check` (what our `open` runs on every open), for the breakdown.
    pub fn quick_check(&self) -> Res<()> {
        let ok: String = self.conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err("quick_check failed".into());
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- crypto only

/// The AEAD and tag work of the store, without SQLite.
pub struct CryptoOnly {
    aead: XChaCha20Poly1305,
    tag_key: [u8; 32],
}

/// One sealed value: `1 || nonce(24) || ciphertext || tag(16)`, the wallet's layout.
pub fn aad_for(id: &str) -> Vec<u8> {
    format!("citizen-wallet/v1/credentials/payload_sealed/{id}").into_bytes()
}

impl CryptoOnly {
    pub fn new() -> Res<Self> {
        let mut k = [0u8; 32];
        fill_random(&mut k)?;
        let mut t = [0u8; 32];
        fill_random(&mut t)?;
        Ok(Self {
            aead: XChaCha20Poly1305::new(&k.into()),
            tag_key: t,
        })
    }

    pub fn tag(&self, ty: CredentialType) -> Res<[u8; 16]> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.tag_key)?;
        mac.update(b"credential_type");
        mac.update(&[0]);
        mac.update(ty.as_str().as_bytes());
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        Ok(out)
    }

    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Res<Vec<u8>> {
        let mut nonce = [0u8; 24];
        fill_random(&mut nonce)?;
        let mut out = Vec::with_capacity(1 + 24 + plaintext.len() + 16);
        out.push(1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = self
            .aead
            .encrypt_in_place_detached(XNonce::from_slice(&nonce), aad, &mut out[25..])
            .map_err(|_| "seal failed")?;
        out.extend_from_slice(&tag);
        Ok(out)
    }

    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Res<Vec<u8>> {
        if sealed.len() < 41 || sealed[0] != 1 {
            return Err("bad sealed value".into());
        }
        let (body, tag) = sealed[25..].split_at(sealed.len() - 41);
        let mut out = body.to_vec();
        self.aead
            .decrypt_in_place_detached(XNonce::from_slice(&sealed[1..25]), aad, &mut out, tag.into())
            .map_err(|_| "open failed")?;
        Ok(out)
    }
}

// ---------------------------------------------------------------- floor: naive encrypted

/// The naive encrypted store: plain rusqlite (our tables and pragmas), each row's payload
/// bytes sealed once, unpadded, with its HMAC type tag; no (de)serialization, no validation.
pub struct NaiveStore {
    conn: Connection,
}

impl NaiveStore {
    pub fn create(path: &Path) -> Res<Self> {
        Ok(Self {
            conn: PlainStore::create(path)?.conn,
        })
    }

    /// Inserts `payloads` (already encoded) sealed under `crypto`, one transaction.
    pub fn add_all(
        &mut self,
        crypto: &CryptoOnly,
        payloads: &[Vec<u8>],
        types: &[CredentialType],
    ) -> Res<Vec<String>> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(payloads.len());
        {
            let mut stmt = tx.prepare_cached(INSERT_SQL)?;
            for (p, ty) in payloads.iter().zip(types) {
                let mut r = [0u8; 16];
                fill_random(&mut r)?;
                let id = hex_lower(&r);
                let sealed = crypto.seal(&aad_for(&id), p)?;
                stmt.execute(params![id, &crypto.tag(*ty)?[..], sealed, None::<Vec<u8>>, T0])?;
                ids.push(id);
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    fn open_row(crypto: &CryptoOnly, raw: RawRow) -> Res<(String, Vec<u8>)> {
        let (id, _tag, sealed, _, _) = raw;
        let plain = crypto.open(&aad_for(&id), &sealed)?;
        Ok((id, plain))
    }

    pub fn get(&self, crypto: &CryptoOnly, id: &str) -> Res<(String, Vec<u8>)> {
        let raw = self
            .conn
            .prepare_cached(GET_SQL)?
            .query_row([id], PlainStore::row)
            .optional()?
            .ok_or("naive store: not found")?;
        Self::open_row(crypto, raw)
    }

    pub fn list(&self, crypto: &CryptoOnly, ty: CredentialType) -> Res<Vec<(String, Vec<u8>)>> {
        let raws = self
            .conn
            .prepare_cached(LIST_BY_TYPE_SQL)?
            .query_map([&crypto.tag(ty)?[..]], PlainStore::row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter().map(|r| Self::open_row(crypto, r)).collect()
    }
}

/// `p` padded as the store pads a payload before sealing (ISO/IEC 7816-4 to 1,024 bytes, or
/// to `2^k - 128`; core/src/crypto/aead.rs): the floor's breakdown, what padding alone costs.
pub fn padded(p: &[u8]) -> Vec<u8> {
    let needed = p.len() + 1;
    let len = if needed <= 1024 {
        1024
    } else {
        (needed + 128).next_power_of_two() - 128
    };
    let mut out = p.to_vec();
    out.push(0x80);
    out.resize(len, 0);
    out
}

/// The payload bytes our store seals for each record (encoding 1).
pub fn stored_payloads(records: &[Credential]) -> Vec<Vec<u8>> {
    records
        .iter()
        .map(|c| encode_stored_payload(c).to_vec())
        .collect()
}

// ---------------------------------------------------------------- the run

/// Every store figure, in the units of the names.
#[derive(Debug, Clone, Default)]
pub struct StoreResults {
    pub records: usize,
    pub listed: usize,
    pub json_bytes_avg: f64,
    pub payload_bytes_avg: f64,
    pub insert_10k_ms: f64,
    pub insert_10k_floor_ms: f64,
    pub get_floor_us: f64,
    pub list_by_type_floor_ms: f64,
    pub list_summaries_ms: f64,
    pub insert_10k_floor_padded_ms: f64,
    pub get_floor_padded_us: f64,
    pub list_by_type_floor_padded_ms: f64,
    pub insert_10k_plain_ms: f64,
    pub insert_10k_crypto_ms: f64,
    pub get_us: f64,
    pub get_plain_us: f64,
    pub get_crypto_us: f64,
    pub list_by_type_ms: f64,
    pub list_by_type_plain_ms: f64,
    pub list_by_type_crypto_ms: f64,
    pub open_ms: f64,
    pub open_plain_ms: f64,
    pub open_crypto_ms: f64,
    pub kdf_ms: f64,
    pub unlock_pin_ms: f64,
    pub validate_10k_ms: f64,
    pub serialize_10k_ms: f64,
    pub encode_10k_ms: f64,
    pub quick_check_ms: f64,
    pub schema_check_ms: f64,
    pub db_bytes: u64,
    pub db_plain_bytes: u64,
    /// The ids our wallet gave the records (in record order), for the peer comparison.
    pub ids: Vec<String>,
}

fn ratio(a: f64, b: f64) -> f64 {
    round3(a / b)
}

fn overhead(ours: f64, plain: f64, crypto: f64) -> f64 {
    round3((ours - plain) / crypto)
}

impl StoreResults {
    pub fn insert_overhead_ratio(&self) -> f64 {
        overhead(
            self.insert_10k_ms,
            self.insert_10k_plain_ms,
            self.insert_10k_crypto_ms,
        )
    }
    pub fn get_overhead_ratio(&self) -> f64 {
        overhead(self.get_us, self.get_plain_us, self.get_crypto_us)
    }
    pub fn list_overhead_ratio(&self) -> f64 {
        overhead(
            self.list_by_type_ms,
            self.list_by_type_plain_ms,
            self.list_by_type_crypto_ms,
        )
    }

    /// The figures as a JSON object (ratios computed from the same run).
    pub fn to_json(&self) -> serde_json::Value {
        let r = round3;
        json!({
            "records": self.records,
            "listed": self.listed,
            "json_bytes_avg": r(self.json_bytes_avg),
            "payload_bytes_avg": r(self.payload_bytes_avg),
            "insert_10k_floor_ms": r(self.insert_10k_floor_ms),
            "insert_floor_ratio": ratio(self.insert_10k_ms, self.insert_10k_floor_ms),
            "get_floor_us": r(self.get_floor_us),
            "get_floor_ratio": ratio(self.get_us, self.get_floor_us),
            "list_by_type_floor_ms": r(self.list_by_type_floor_ms),
            "list_floor_ratio": ratio(self.list_by_type_ms, self.list_by_type_floor_ms),
            "list_summaries_ms": r(self.list_summaries_ms),
            "list_summaries_floor_ratio": ratio(self.list_summaries_ms, self.list_by_type_floor_ms),
            "insert_10k_ms": r(self.insert_10k_ms),
            "insert_10k_plain_ms": r(self.insert_10k_plain_ms),
            "insert_10k_crypto_ms": r(self.insert_10k_crypto_ms),
            "insert_ratio": ratio(self.insert_10k_ms, self.insert_10k_plain_ms),
            "insert_overhead_ratio": self.insert_overhead_ratio(),
            "get_us": r(self.get_us),
            "get_plain_us": r(self.get_plain_us),
            "get_crypto_us": r(self.get_crypto_us),
            "get_ratio": ratio(self.get_us, self.get_plain_us),
            "get_overhead_ratio": self.get_overhead_ratio(),
            "list_by_type_ms": r(self.list_by_type_ms),
            "list_by_type_plain_ms": r(self.list_by_type_plain_ms),
            "list_by_type_crypto_ms": r(self.list_by_type_crypto_ms),
            "list_ratio": ratio(self.list_by_type_ms, self.list_by_type_plain_ms),
            "list_overhead_ratio": self.list_overhead_ratio(),
            "open_ms": r(self.open_ms),
            "open_plain_ms": r(self.open_plain_ms),
            "open_crypto_ms": r(self.open_crypto_ms),
            "open_ratio": ratio(self.open_ms, self.open_plain_ms),
            "open_overhead_ratio": overhead(self.open_ms, self.open_plain_ms, self.open_crypto_ms),
            "kdf_ms": r(self.kdf_ms),
            "kdf_params": {
                "algorithm": "Argon2id v0x13",
                "memory_kib": KdfParams::OWASP_MIN.memory_kib,
                "iterations": KdfParams::OWASP_MIN.iterations,
                "parallelism": KdfParams::OWASP_MIN.parallelism,
            },
            "unlock_pin_ms": r(self.unlock_pin_ms),
            "db_bytes": self.db_bytes,
            "db_plain_bytes": self.db_plain_bytes,
            "breakdown": {
                "validate_10k_ms": r(self.validate_10k_ms),
                "serialize_10k_ms": r(self.serialize_10k_ms),
                "encode_10k_ms": r(self.encode_10k_ms),
                "insert_10k_floor_padded_ms": r(self.insert_10k_floor_padded_ms),
                "insert_floor_padded_ratio": ratio(self.insert_10k_ms, self.insert_10k_floor_padded_ms),
                "get_floor_padded_us": r(self.get_floor_padded_us),
                "get_floor_padded_ratio": ratio(self.get_us, self.get_floor_padded_us),
                "list_by_type_floor_padded_ms": r(self.list_by_type_floor_padded_ms),
                "list_floor_padded_ratio": ratio(self.list_by_type_ms, self.list_by_type_floor_padded_ms),
                "quick_check_ms": r(self.quick_check_ms),
                "schema_check_ms": r(self.schema_check_ms),
            },
        })
    }
}

/// Runs the whole store workload in `dir` on `records`.
pub fn run(dir: &Path, records: &[Credential], plan: StorePlan) -> Res<StoreResults> {
    let n = records.len();
    let listed = records
        .iter()
        .filter(|c| c.credential_type() == LISTED_TYPE)
        .count();
    let jsons = crate::records::json_bytes(records)?;
    let payloads = stored_payloads(records);
    let padded_payloads: Vec<Vec<u8>> = payloads.iter().map(|p| padded(p)).collect();
    let mut out = StoreResults {
        records: n,
        listed,
        json_bytes_avg: jsons.iter().map(Vec::len).sum::<usize>() as f64 / n.max(1) as f64,
        payload_bytes_avg: payloads.iter().map(Vec::len).sum::<usize>() as f64 / n.max(1) as f64,
        ..StoreResults::default()
    };
    let provider = SoftwareKeyProvider::make("bench")?;
    let ours = dir.join("ours.db");
    let plain = dir.join("plain.db");
    let naive = dir.join("naive.db");
    let naive_padded = dir.join("naive-padded.db");

    // The crypto-only work on the same values: AADs of ids shaped like the wallet's.
    let crypto = CryptoOnly::new()?;
    let types: Vec<CredentialType> = records.iter().map(Credential::credential_type).collect();
    let aads: Vec<Vec<u8>> = (0..n)
        .map(|_| {
            let mut r = [0u8; 16];
            fill_random(&mut r)?;
            Ok(aad_for(&hex_lower(&r)))
        })
        .collect::<Res<_>>()?;

    // ---- insert: ours, plain, crypto-only and the floor in turn (the order rotating), so
    // drift (page cache, disk, other processes) hits all four alike.
    let mut t = [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let mut ids = Vec::new();
    let mut naive_ids = Vec::new();
    let mut padded_ids = Vec::new();
    for rep in 0..plan.insert_reps.max(1) {
        for j in 0..5 {
            let which = (rep + j) % 5;
            let e = match which {
                0 => {
                    let w = create_wallet(&ours, &provider)?;
                    let t0 = Instant::now();
                    ids = w.add_all(records)?;
                    t0.elapsed()
                }
                1 => {
                    let mut p = PlainStore::create(&plain)?;
                    let t0 = Instant::now();
                    black_box(p.add_all(records)?);
                    t0.elapsed()
                }
                2 => {
                    let t0 = Instant::now();
                    for ((json, aad), ty) in jsons.iter().zip(&aads).zip(&types) {
                        black_box(crypto.seal(aad, json)?);
                        black_box(crypto.tag(*ty)?);
                    }
                    t0.elapsed()
                }
                3 => {
                    let mut s = NaiveStore::create(&naive)?;
                    let t0 = Instant::now();
                    naive_ids = s.add_all(&crypto, &payloads, &types)?;
                    t0.elapsed()
                }
                _ => {
                    let mut s = NaiveStore::create(&naive_padded)?;
                    let t0 = Instant::now();
                    padded_ids = s.add_all(&crypto, &padded_payloads, &types)?;
                    t0.elapsed()
                }
            };
            t[which].push(e.as_secs_f64() * 1e3);
        }
    }
    let [t_ours, t_plain, t_crypto, t_floor, t_floor_padded] = t;
    out.insert_10k_floor_padded_ms = median(t_floor_padded);
    out.insert_10k_floor_ms = median(t_floor);
    out.insert_10k_ms = median(t_ours);
    out.insert_10k_plain_ms = median(t_plain);
    out.insert_10k_crypto_ms = median(t_crypto);
    out.db_bytes = db_bytes(&ours);
    out.db_plain_bytes = db_bytes(&plain);

    // ---- the same databases, reopened (as an app does at start).
    let wallet = open_wallet(&ours, &provider)?;
    let plain_store = PlainStore::open(&plain)?;
    let plain_ids: Vec<String> = plain_store.list(None)?.into_iter().map(|r| r.id).collect();
    let naive_store = NaiveStore {
        conn: PlainStore::open(&naive)?.conn,
    };
    let padded_store = NaiveStore {
        conn: PlainStore::open(&naive_padded)?.conn,
    };
    let sealed: Vec<Vec<u8>> = jsons
        .iter()
        .zip(&aads)
        .map(|(j, a)| crypto.seal(a, j))
        .collect::<Res<_>>()?;

    // ---- get by id (random ids, the same sequence of rows for all three), in alternation.
    let (mut r1, mut r2, mut r3, mut r4, mut r5) = (Rng(1), Rng(1), Rng(1), Rng(1), Rng(1));
    let m = medians_interleaved(
        plan.get,
        &mut [
            &mut || {
                let id = &ids[r1.below(n)];
                check_get(&black_box(wallet.get(id)?), id)
            },
            &mut || {
                let id = &plain_ids[r2.below(n)];
                let row = black_box(plain_store.get(id)?);
                if &row.id != id {
                    return Err("plain get returned another row".into());
                }
                Ok(())
            },
            &mut || {
                let i = r3.below(n);
                black_box(crypto.open(&aads[i], &sealed[i])?);
                black_box(crypto.tag(types[i])?);
                Ok(())
            },
            &mut || {
                let id = &naive_ids[r4.below(n)];
                let (got, _) = black_box(naive_store.get(&crypto, id)?);
                if &got != id {
                    return Err("naive get returned another row".into());
                }
                Ok(())
            },
            &mut || {
                let id = &padded_ids[r5.below(n)];
                let (got, _) = black_box(padded_store.get(&crypto, id)?);
                if &got != id {
                    return Err("naive get returned another row".into());
                }
                Ok(())
            },
        ],
    )?;
    out.get_floor_padded_us = ns_to_us(m[4]);
    out.get_floor_us = ns_to_us(m[3]);
    out.get_us = ns_to_us(m[0]);
    out.get_plain_us = ns_to_us(m[1]);
    out.get_crypto_us = ns_to_us(m[2]);

    // ---- list one type (~1,000 of 10,000 rows), in alternation.
    let listed_idx: Vec<usize> = (0..n).filter(|&i| types[i] == LISTED_TYPE).collect();
    let m = medians_interleaved(
        plan.list,
        &mut [
            &mut || check_list(black_box(wallet.list(Some(LISTED_TYPE))?).len(), listed),
            &mut || check_list(black_box(plain_store.list(Some(LISTED_TYPE))?).len(), listed),
            &mut || {
                black_box(crypto.tag(LISTED_TYPE)?);
                for &i in &listed_idx {
                    black_box(crypto.open(&aads[i], &sealed[i])?);
                    black_box(crypto.tag(types[i])?);
                }
                Ok(())
            },
            &mut || check_list(black_box(naive_store.list(&crypto, LISTED_TYPE)?).len(), listed),
            &mut || check_list(black_box(padded_store.list(&crypto, LISTED_TYPE)?).len(), listed),
            &mut || check_list(black_box(wallet.list_summaries(Some(LISTED_TYPE))?).len(), listed),
        ],
    )?;
    out.list_by_type_floor_ms = ns_to_ms(m[3]);
    out.list_by_type_floor_padded_ms = ns_to_ms(m[4]);
    out.list_summaries_ms = ns_to_ms(m[5]);
    out.list_by_type_ms = ns_to_ms(m[0]);
    out.list_by_type_plain_ms = ns_to_ms(m[1]);
    out.list_by_type_crypto_ms = ns_to_ms(m[2]);
    out.quick_check_ms = ns_to_ms(median_ns(Plan::new(1, plan.open_reps, 1), || {
        plain_store.quick_check()
    })?);
    // What else our open does beyond plain: build the expected schema (an in-memory database
    // migrated to the file's version) to compare with the file's.
    out.schema_check_ms = ns_to_ms(median_ns(Plan::new(1, plan.open_reps, 1), || {
        black_box(schema::expected_dump(schema::LATEST_VERSION)?);
        Ok(())
    })?);
    drop(wallet);
    drop(plain_store);
    drop(naive_store);
    drop(padded_store);

    // ---- open (after a clean close: each open's drop leaves the clean-close marker the next
    // open uses; `quick_check_ms` above is what an open after an unclean shutdown adds) (no KDF: key provider), alternating.
    let mut o_ours = Vec::new();
    let mut o_plain = Vec::new();
    for i in 0..plan.open_reps.max(1) + 1 {
        let t = Instant::now();
        let w = open_wallet(&ours, &provider)?;
        let e = t.elapsed().as_secs_f64() * 1e3;
        drop(w);
        let t = Instant::now();
        let p = PlainStore::open(&plain)?;
        let ep = t.elapsed().as_secs_f64() * 1e3;
        drop(p);
        if i > 0 {
            o_ours.push(e);
            o_plain.push(ep);
        }
    }
    out.open_ms = median(o_ours);
    out.open_plain_ms = median(o_plain);

    // ---- the KDF alone, and a whole PIN unlock.
    let salt = [7u8; 16];
    out.kdf_ms = ns_to_ms(median_ns(Plan::new(1, plan.kdf_reps, 1), || {
        black_box(derive_pin_key("246810", &salt, KdfParams::OWASP_MIN)?);
        Ok(())
    })?);
    {
        let w = open_wallet(&ours, &provider)?;
        w.set_pin("246810")?;
    }
    out.unlock_pin_ms = ns_to_ms(median_ns(Plan::new(1, plan.kdf_reps, 1), || {
        black_box(Wallet::open(&ours, Unlock::Pin("246810"), options())?);
        Ok(())
    })?);

    // Opening: unwrap the data key, check the canary, open the holder seed (three small opens).
    let small: Vec<(Vec<u8>, Vec<u8>)> = ["key", "canary", "seed"]
        .iter()
        .map(|a| Ok((a.as_bytes().to_vec(), crypto.seal(a.as_bytes(), &[0u8; 32])?)))
        .collect::<Res<_>>()?;
    out.open_crypto_ms = ns_to_ms(median_ns(Plan::new(10, 21, 100), || {
        for (a, s) in &small {
            black_box(crypto.open(a, s)?);
        }
        Ok(())
    })?);

    // ---- breakdown of ours beyond plain: validation (normalize + check, as the wallet does
    // it: without a copy when nothing needs normalizing) and JSON.
    out.validate_10k_ms = ns_to_ms(median_ns(Plan::new(1, plan.insert_reps.max(3), 1), || {
        for c in records {
            black_box(c.to_normalized()?);
        }
        Ok(())
    })?);
    out.serialize_10k_ms = ns_to_ms(median_ns(Plan::new(1, plan.insert_reps.max(3), 1), || {
        for c in records {
            black_box(serde_json::to_vec(c)?);
        }
        Ok(())
    })?);

    // What the store's own encoding (CBOR, storage/payload.rs) costs for the same records.
    out.encode_10k_ms = ns_to_ms(median_ns(Plan::new(1, plan.insert_reps.max(3), 1), || {
        for c in records {
            black_box(encode_stored_payload(c));
        }
        Ok(())
    })?);

    remove_db(&ours);
    remove_db(&plain);
    remove_db(&naive);
    remove_db(&naive_padded);
    out.ids = ids;
    debug_assert!(types.iter().all(|t| *t == LISTED_TYPE || *t == OTHER_TYPE));
    Ok(out)
}
