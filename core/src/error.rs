//! The core's one error type.
//!
//! Every fallible function in `citizen-wallet-core` returns [`Error`]. Messages are written for
//! the person who must act on them (a mobile developer, a citizen, a clinic officer) and **never
//! contain personal data**: no names, ID numbers, codes, diagnoses or key material. Where an error
//! wraps a lower-level one (SQLite, CBOR), only the lower-level *kind* is kept, never its text,
//! because SQLite messages can quote values.

use crate::trust::RejectReason;

/// The core error. See the module docs for the no-personal-data rule.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The PIN is wrong. Another attempt is allowed after `retry_after_secs` seconds.
    #[error("wrong PIN; try again in {retry_after_secs} s")]
    WrongPin {
        retry_after_secs: u64,
        failed_attempts: u32,
    },
    /// Too many wrong PINs recently: wait before trying again. Nothing was checked.
    #[error("too many wrong PIN attempts; try again in {retry_after_secs} s")]
    Backoff { retry_after_secs: u64 },
    /// The key provider or key does not open this wallet (canary check failed).
    #[error("the key does not open this wallet")]
    WrongKey,
    /// The wallet is locked: unlock it first.
    #[error("the wallet is locked")]
    Locked,
    /// No record with that id (or of that kind).
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// Already exists (e.g. creating a wallet where one is).
    #[error("already exists: {0}")]
    AlreadyExists(&'static str),
    /// Caller input failed validation. The reason names the field and rule, never the value.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A stored value failed authentication: it was altered, or moved to another row.
    #[error("stored data failed its integrity check (tampered or moved): {0}")]
    Tampered(&'static str),
    /// The database is not a readable wallet (corrupt, foreign, or from a newer version).
    /// The files are left untouched for recovery.
    #[error("the wallet database is unusable: {0}")]
    Corrupted(String),
    /// A presentation does not fit in a QR code a counter can read.
    #[error("the QR code would need version {needed_version} ({bytes} bytes) but the limit is version {max_version}; disclose fewer claims")]
    QrTooLarge {
        bytes: usize,
        needed_version: u8,
        max_version: u8,
    },
    /// A credential or presentation was rejected.
    #[error("rejected: {0}")]
    Rejected(RejectReason),
    /// The platform key provider failed (keystore unavailable, user cancelled biometrics...).
    #[error("key provider failed: {0}")]
    KeyProvider(String),
    /// SQLite failed. Only the error kind is kept (SQLite messages may quote values).
    #[error("storage error: {0}")]
    Storage(String),
    /// A cryptographic primitive failed where it should not (e.g. the OS RNG).
    #[error("cryptographic failure: {0}")]
    Crypto(&'static str),
}

/// The one way to build a rejection: `Err(RejectReason::Malformed.into())`,
/// `.ok_or(RejectReason::Malformed)?`, `.map_err(|_| RejectReason::BadTrustData)?`.
impl From<RejectReason> for Error {
    fn from(r: RejectReason) -> Self {
        Self::Rejected(r)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match &e {
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                ErrorCode::NotADatabase => Error::Corrupted("not a wallet database".into()),
                ErrorCode::DatabaseCorrupt => Error::Corrupted("database file is corrupt".into()),
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                    Error::Storage("database is busy".into())
                }
                ErrorCode::ReadOnly => Error::Storage("database is read-only".into()),
                ErrorCode::DiskFull => Error::Storage("disk is full".into()),
                ErrorCode::CannotOpen => Error::Storage("cannot open database file".into()),
                ErrorCode::ConstraintViolation => Error::Storage("constraint violation".into()),
                other => Error::Storage(format!("sqlite {other:?}")),
            },
            rusqlite::Error::QueryReturnedNoRows => Error::NotFound("record"),
            // Any other variant: keep the variant kind only.
            other => Error::Storage(format!("sqlite {}", variant_name(other))),
        }
    }
}

fn variant_name(e: &rusqlite::Error) -> &'static str {
    match e {
        rusqlite::Error::InvalidColumnType(..) => "invalid column type",
        rusqlite::Error::InvalidColumnIndex(..) => "invalid column index",
        rusqlite::Error::InvalidColumnName(..) => "invalid column name",
        rusqlite::Error::FromSqlConversionFailure(..) => "conversion failure",
        rusqlite::Error::IntegralValueOutOfRange(..) => "value out of range",
        rusqlite::Error::InvalidParameterCount(..) => "parameter count",
        _ => "error",
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
