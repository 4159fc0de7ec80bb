//! The core's one error type.
//!
//! Every fallible function in `citizen-wallet-core` returns [`Error`]. Messages are written for
//! the person who must act on them (a mobile developer, a citizen, a clinic officer) and **never
//! contain personal data**: no names, ID numbers, codes, diagnoses or key material. Where an error
//! wraps a lower-level one (SQLite, CBOR), only the lower-level *kind* is kept, never its text,
//! because SQLite messages can quote values.

use std::borrow::Cow;
use std::fmt;

use crate::trust::{RejectReason, StateError};

/// The core error: every fallible function of this crate returns it.
///
/// Messages are written for the person who must act on them and **never contain personal
/// data** (no names, ID numbers, codes, diagnoses or key material); a wrapped lower-level error
/// (SQLite, CBOR) keeps only its kind, never its text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The PIN is wrong. Another attempt is allowed after `retry_after_secs` seconds.
    #[error("wrong PIN; try again in {retry_after_secs} s")]
    WrongPin {
        /// Seconds to wait before the next attempt is allowed.
        retry_after_secs: u64,
        /// Wrong PINs in a row, this one included (a correct PIN resets the count).
        failed_attempts: u32,
    },
    /// Too many wrong PINs recently: wait before trying again. Nothing was checked.
    #[error("too many wrong PIN attempts; try again in {retry_after_secs} s")]
    Backoff {
        /// Seconds to wait before the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// PIN unlock is disabled: [`MAX_PIN_FAILURES`](crate::MAX_PIN_FAILURES) wrong PINs in a
    /// row. Nothing was checked. Unlocking with the platform key provider enables it again (and
    /// resets the count).
    #[error("PIN unlock is disabled after too many wrong PINs; unlock with the device key")]
    PinLocked,
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
    /// Caller input failed validation: [`InputError`] names the field and the rule it broke,
    /// never the value.
    #[error("invalid input: {0}")]
    InvalidInput(InputError),
    /// An image yielded no QR text; [`ImageError`] says whether to keep scanning
    /// ([`ImageError::NoCodeFound`]) or that the file itself is the problem.
    #[error("image: {0}")]
    Image(ImageError),
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
        /// What had to fit, in bytes: the signed presentation, or the text given to
        /// [`qr::fit`](crate::qr::fit).
        bytes: usize,
        /// The smallest QR version that would hold it (41 when not even version 40 does).
        needed_version: u8,
        /// The largest version allowed.
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
    /// A verifier's counter state file ([`crate::trust::CounterState::open`]) cannot be used;
    /// [`StateError`] says why. The file is left untouched.
    #[error("the counter state file is unusable: {0}")]
    CounterState(StateError),
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

/// Which caller input failed validation and which rule it broke. Never the value: the field is
/// one of our names (`dob`, `pin`, `audience`, `visits.diagnoses`...), the rule a fixed sentence.
///
/// Apps branch on [`field`](Self::field) (which form field to mark) and [`rule`](Self::rule);
/// `Display` gives `"<field>: <rule>"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The field, argument or part of the input.
    pub field: Cow<'static, str>,
    /// The rule it broke.
    pub rule: InputRule,
}

/// The rule an input broke (see [`InputError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputRule {
    /// Required, but empty or missing.
    Empty,
    /// Shorter than `min` characters.
    TooShort {
        /// The fewest characters allowed.
        min: usize,
    },
    /// Longer than `max` bytes.
    TooLong {
        /// The most bytes allowed.
        max: usize,
    },
    /// A list with more than `max` entries.
    TooMany {
        /// The most entries allowed.
        max: usize,
    },
    /// Contains control characters.
    ControlCharacters,
    /// Not parseable (JSON) at this position.
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Not in the expected form; the sentence says which (`"expected YYYY-MM-DD"`,
    /// `"must be 12 digits"`).
    Format(&'static str),
    /// Outside the allowed values; the sentence says which (`"must be 1-5"`,
    /// `"must be between 1 and 40"`).
    Range(&'static str),
    /// A name the input does not know (a claim or credential type); `expected` lists the
    /// known ones.
    Unknown {
        /// The names that would have been accepted.
        expected: String,
    },
    /// A credential bound (`cnf`) to another holder key: issued to another wallet.
    OtherHolder,
    /// A credential added by hand: it has no issuer signature, so it cannot be presented.
    Unsigned,
    /// Any other rule, as a sentence (`"before valid_from"`, `"no such calendar day"`).
    Invalid(&'static str),
}

impl InputError {
    /// An input error for `field` breaking `rule`.
    pub fn new(field: impl Into<Cow<'static, str>>, rule: InputRule) -> Self {
        Self {
            field: field.into(),
            rule,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

impl fmt::Display for InputRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("must not be empty"),
            Self::TooShort { min } => write!(f, "must be at least {min} characters"),
            Self::TooLong { max } => write!(f, "longer than {max} bytes"),
            Self::TooMany { max } => write!(f, "more than {max} entries"),
            Self::ControlCharacters => f.write_str("contains control characters"),
            Self::Syntax { line, column } => write!(f, "syntax error at line {line} column {column}"),
            Self::OtherHolder => f.write_str("bound to another holder key (issued to another wallet)"),
            Self::Unsigned => f.write_str("added by hand: it has no issuer signature to present"),
            Self::Format(rule) | Self::Range(rule) | Self::Invalid(rule) => f.write_str(rule),
            Self::Unknown { expected } => write!(f, "unknown (expected one of: {expected})"),
        }
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Self::InvalidInput(e)
    }
}

/// Why an image yielded no QR text ([`crate::qr::decode_image`], [`crate::qr::decode_png`],
/// [`crate::qr::decode_luma`], [`crate::qr::decode_luma_with_stride`],
/// [`crate::Verifier::verify_image`], [`crate::Verifier::verify_png`]). A camera loop keeps scanning on
/// [`NoCodeFound`](Self::NoCodeFound) and [`Unreadable`](Self::Unreadable); the others are
/// about the file or buffer itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[non_exhaustive]
pub enum ImageError {
    /// Not a PNG (or, for `decode_image`, JPEG) file: wrong signature or header.
    NotAnImage,
    /// A PNG or JPEG whose data is damaged or truncated, or a luma buffer of the wrong length.
    Damaged,
    /// File or declared dimensions above the limits ([`crate::qr::MAX_PNG_BYTES`],
    /// [`crate::qr::MAX_IMAGE_SIDE`], [`crate::qr::MAX_IMAGE_PIXELS`]).
    TooLarge,
    /// No QR code in the picture: keep scanning.
    NoCodeFound,
    /// A QR code was found but could not be read (damaged, blurred, not text).
    Unreadable,
    /// More than [`crate::qr::MAX_FINDER_PATTERNS`] finder-like patterns: searching them all
    /// would take too long (a crafted or very busy picture).
    TooComplex,
}

impl ImageError {
    /// A sentence for the person holding the camera (English).
    pub fn message(self) -> &'static str {
        match self {
            Self::NotAnImage => "not a PNG or JPEG file",
            Self::Damaged => "the image data is damaged or truncated",
            Self::TooLarge => "too large",
            Self::NoCodeFound => "no QR code found; hold the code flat, in focus and fully in view",
            Self::Unreadable => "the QR code could not be read",
            Self::TooComplex => "too many QR-like patterns to search; crop the picture to the one QR code",
        }
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl From<ImageError> for Error {
    fn from(e: ImageError) -> Self {
        Self::Image(e)
    }
}
