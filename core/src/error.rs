//! The core's one error type.
//!
//! Every fallible function in `citizen-wallet-core` returns [`Error`]. Messages are written for
//! the person who must act on them (a mobile developer, a citizen, a clinic officer) and **never
//! contain personal data**: no names, ID numbers, codes, diagnoses or key material. Where an error
//! wraps a lower-level one (SQLite, CBOR), only the lower-level *kind* is kept, never its text,
//! because SQLite messages can quote values.

use std::borrow::Cow;
use std::fmt;

/// Why a presentation or credential was rejected by a verifier or importer.
///
/// Each reason has an officer-readable message (see [`RejectReason::message`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RejectReason {
    /// The text is not one of our QR codes (wrong prefix, foreign format such as an EU DCC `HC1:`).
    NotOurFormat,
    /// The QR text or CBOR structure is damaged or truncated.
    Malformed,
    /// The credential's issuer is not in the trust list.
    UnknownIssuer,
    /// The issuer is trusted, but not for this credential type (e.g. a court issuing health data).
    IssuerNotAllowedForType,
    /// The issuer's entry in the trust list is outside its validity window.
    IssuerNotValidNow,
    /// The issuer signature does not verify (forged or altered credential).
    BadIssuerSignature,
    /// The holder signature does not verify (not presented by the credential's owner).
    BadHolderSignature,
    /// A disclosed claim does not belong to this credential (its digest is not in the credential).
    DisclosureMismatch,
    /// The credential has expired.
    CredentialExpired,
    /// The credential is not valid yet (issued in the future beyond the clock-skew tolerance).
    CredentialNotYetValid,
    /// The presentation's short validity window has passed (possible screenshot replay).
    PresentationExpired,
    /// The presentation was created in the future beyond the clock-skew tolerance.
    PresentationFromFuture,
    /// The presentation was made for another counter (audience mismatch).
    WrongAudience,
    /// The presentation does not answer this counter's challenge (nonce mismatch).
    WrongNonce,
    /// The issuer has revoked the credential.
    Revoked,
    /// The signature algorithm is not supported (we verify Ed25519 only).
    UnsupportedAlgorithm,
    /// The trust list or status list itself is invalid (bad root signature, expired).
    BadTrustData,
    /// The input exceeds a size limit.
    TooLarge,
    /// The signed data is of another kind (e.g. a trust list or an issued credential shown where a
    /// presentation is expected): its COSE `typ` does not match.
    WrongMessageType,
}

impl RejectReason {
    /// A sentence a clinic officer understands (English).
    pub fn message(self) -> &'static str {
        match self {
            Self::NotOurFormat => "this is not a citizen-wallet QR code",
            Self::Malformed => "the QR code is damaged or incomplete",
            Self::UnknownIssuer => "the issuing authority is not in the trust list",
            Self::IssuerNotAllowedForType => {
                "the issuing authority is not allowed to issue this kind of document"
            }
            Self::IssuerNotValidNow => "the issuing authority's key is not valid at this time",
            Self::BadIssuerSignature => "the document was forged or altered (issuer signature invalid)",
            Self::BadHolderSignature => {
                "the QR was not created by the document's owner (holder signature invalid)"
            }
            Self::DisclosureMismatch => "a shown field does not belong to this document",
            Self::CredentialExpired => "the document has expired",
            Self::CredentialNotYetValid => "the document is not valid yet",
            Self::PresentationExpired => "the QR code has expired; ask the citizen to show a fresh one",
            Self::PresentationFromFuture => "the QR code's time is in the future; check the clocks",
            Self::WrongAudience => "the QR code was made for another counter",
            Self::WrongNonce => "the QR code does not answer this counter's challenge",
            Self::Revoked => "the document has been revoked by its issuer",
            Self::UnsupportedAlgorithm => "the signature algorithm is not supported",
            Self::BadTrustData => "the trust list or status list is invalid",
            Self::TooLarge => "the input is too large",
            Self::WrongMessageType => "this code is not a presentation (wrong kind of signed data)",
        }
    }

    /// The same sentence in Vietnamese.
    pub fn message_vi(self) -> &'static str {
        match self {
            Self::NotOurFormat => "đây không phải mã QR của ví công dân",
            Self::Malformed => "mã QR bị hỏng hoặc không đầy đủ",
            Self::UnknownIssuer => "cơ quan cấp không có trong danh sách tin cậy",
            Self::IssuerNotAllowedForType => "cơ quan cấp không được phép cấp loại giấy tờ này",
            Self::IssuerNotValidNow => "khóa của cơ quan cấp không còn hiệu lực",
            Self::BadIssuerSignature => "giấy tờ bị giả mạo hoặc sửa đổi (chữ ký cơ quan cấp không hợp lệ)",
            Self::BadHolderSignature => "mã QR không do chủ giấy tờ tạo (chữ ký người giữ không hợp lệ)",
            Self::DisclosureMismatch => "một trường hiển thị không thuộc giấy tờ này",
            Self::CredentialExpired => "giấy tờ đã hết hạn",
            Self::CredentialNotYetValid => "giấy tờ chưa có hiệu lực",
            Self::PresentationExpired => "mã QR đã hết hạn; đề nghị công dân tạo mã mới",
            Self::PresentationFromFuture => "thời gian của mã QR ở tương lai; kiểm tra đồng hồ",
            Self::WrongAudience => "mã QR được tạo cho quầy khác",
            Self::WrongNonce => "mã QR không khớp với mã thử thách của quầy",
            Self::Revoked => "giấy tờ đã bị cơ quan cấp thu hồi",
            Self::UnsupportedAlgorithm => "thuật toán chữ ký không được hỗ trợ",
            Self::BadTrustData => "danh sách tin cậy hoặc danh sách trạng thái không hợp lệ",
            Self::TooLarge => "dữ liệu quá lớn",
            Self::WrongMessageType => "mã này không phải mã xuất trình (sai loại dữ liệu ký)",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

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
    /// PIN unlock is disabled: [`MAX_PIN_FAILURES`](crate::wallet::MAX_PIN_FAILURES) wrong PINs
    /// in a row. Nothing was checked. Unlocking with the platform key provider enables it
    /// again (and resets the count).
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

impl Error {
    /// Shorthand for [`Error::Rejected`].
    pub fn rejected(reason: RejectReason) -> Self {
        Self::Rejected(reason)
    }
}

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

/// Why an image yielded no QR text ([`crate::qr::decode_png`], [`crate::qr::decode_luma`],
/// [`crate::Verifier::verify_png`]). A camera loop keeps scanning on
/// [`NoCodeFound`](Self::NoCodeFound) and [`Unreadable`](Self::Unreadable); the others are
/// about the file or buffer itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[non_exhaustive]
pub enum ImageError {
    /// Not a PNG file (wrong signature or header).
    NotAnImage,
    /// A PNG whose data is damaged or truncated, or a luma buffer of the wrong length.
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
            Self::NotAnImage => "not a PNG file",
            Self::Damaged => "the PNG data is damaged or truncated",
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
