//! The one flat public error: every core error maps to a variant an app can act on.
//! Messages never carry personal data (the core guarantees it for its errors).

use citizen_wallet_core::{Error, ImageError, InputError, InputRule, Lang, RejectReason, StateError};

#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum WalletError {
    /// Wrong PIN; the next attempt is allowed after `retry_after_secs`.
    #[error("wrong PIN; try again in {retry_after_secs} s")]
    WrongPin {
        retry_after_secs: i64,
        failed_attempts: i32,
    },
    /// Too many wrong PINs: wait `retry_after_secs` before trying again.
    #[error("too many wrong PIN attempts; try again in {retry_after_secs} s")]
    PinBackoff { retry_after_secs: i64 },
    /// PIN unlock is disabled after too many wrong PINs in a row: unlock with the key provider
    /// (which enables the PIN again).
    #[error("PIN unlock is disabled after too many wrong PINs; unlock with the device key")]
    PinLocked,
    /// The platform key does not open this wallet.
    #[error("the key does not open this wallet")]
    WrongKey,
    /// The wallet is locked.
    #[error("the wallet is locked")]
    Locked,
    #[error("not found: {what}")]
    NotFound { what: String },
    #[error("already exists: {what}")]
    AlreadyExists { what: String },
    /// Input failed validation: `field` names it, `reason` is `"<field>: <rule>"` (never the
    /// value).
    #[error("invalid input: {reason}")]
    InvalidInput { field: String, reason: String },
    /// An image yielded no QR text. `problem` tells a camera loop to keep scanning
    /// (`NoCodeFound`, `Unreadable`) from a file that is the problem (`NotAnImage`, `Damaged`,
    /// `TooLarge`, `TooComplex`); `reason` is a sentence for the person holding the camera.
    #[error("image: {reason}")]
    Image { problem: ImageError, reason: String },
    /// Stored data failed its integrity check.
    #[error("tampered: {reason}")]
    Tampered { reason: String },
    /// The database is unusable (corrupt, foreign, newer version); left untouched.
    #[error("corrupted: {reason}")]
    Corrupted { reason: String },
    /// The presentation would not fit a readable QR code: disclose fewer claims.
    #[error("QR too large: {bytes} bytes need version {needed_version}, limit {max_version}")]
    QrTooLarge {
        bytes: i64,
        needed_version: i32,
        max_version: i32,
    },
    /// A credential or presentation was rejected: `message_en` / `message_vi` are sentences a
    /// citizen or clinic officer understands. (Not `message`: Kotlin exceptions own that name.)
    #[error("rejected: {message_en}")]
    Rejected {
        reason: RejectReason,
        message_en: String,
        message_vi: String,
    },
    /// The app's key provider failed.
    #[error("key provider: {reason}")]
    KeyProvider { reason: String },
    /// SQLite failed (disk full, busy, read-only...); only the kind is reported.
    #[error("storage: {reason}")]
    Storage { reason: String },
    /// A cryptographic primitive failed where it should not (e.g. the OS random generator).
    #[error("crypto: {reason}")]
    Crypto { reason: String },
    /// The verifier's counter state file cannot be used (`problem`: foreign, damaged, from a
    /// newer version, or made for another root key); it is left untouched. `reason` is a
    /// sentence for the developer.
    #[error("counter state: {reason}")]
    CounterState { problem: StateError, reason: String },
    /// The app's holder signer did not answer within `timeout_ms`; its call was cancelled and
    /// no presentation was made. Ask again (the citizen may have left the prompt open).
    #[error("holder signer: no signature within {timeout_ms} ms")]
    HolderSignerTimedOut { timeout_ms: i64 },
    /// Anything else (a bug): report it.
    #[error("internal error: {reason}")]
    Internal { reason: String },
}

impl From<Error> for WalletError {
    fn from(e: Error) -> Self {
        let reason = e.to_string();
        match e {
            Error::WrongPin {
                retry_after_secs,
                failed_attempts,
            } => Self::WrongPin {
                retry_after_secs: signed(retry_after_secs),
                failed_attempts: i32::try_from(failed_attempts).unwrap_or(i32::MAX),
            },
            Error::Backoff { retry_after_secs } => Self::PinBackoff {
                retry_after_secs: signed(retry_after_secs),
            },
            Error::PinLocked => Self::PinLocked,
            Error::WrongKey => Self::WrongKey,
            Error::Locked => Self::Locked,
            Error::NotFound(what) => Self::NotFound { what: what.into() },
            Error::AlreadyExists(what) => Self::AlreadyExists { what: what.into() },
            Error::InvalidInput(e) => Self::InvalidInput {
                field: e.field.to_string(),
                reason: e.to_string(),
            },
            Error::Image(problem) => Self::Image {
                problem,
                reason: problem.message().into(),
            },
            Error::Tampered(r) => Self::Tampered { reason: r.into() },
            Error::Corrupted(reason) => Self::Corrupted { reason },
            Error::QrTooLarge {
                bytes,
                needed_version,
                max_version,
            } => Self::QrTooLarge {
                bytes: i64::try_from(bytes).unwrap_or(i64::MAX),
                needed_version: needed_version.into(),
                max_version: max_version.into(),
            },
            Error::Rejected(r) => Self::Rejected {
                reason: r,
                message_en: r.message(Lang::En).into(),
                message_vi: r.message(Lang::Vi).into(),
            },
            Error::KeyProvider(reason) => Self::KeyProvider { reason },
            Error::Storage(reason) => Self::Storage { reason },
            Error::Crypto(r) => Self::Crypto { reason: r.into() },
            Error::CounterState(problem) => Self::CounterState {
                problem,
                reason: problem.message().into(),
            },
            // `Error` is non-exhaustive: a variant added later is reported, never lost.
            _ => Self::Internal { reason },
        }
    }
}

impl From<WalletError> for Error {
    /// Errors coming back from foreign callbacks (the app's key provider).
    fn from(e: WalletError) -> Self {
        match e {
            WalletError::WrongKey => Error::WrongKey,
            other => Error::KeyProvider(other.to_string()),
        }
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for WalletError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::KeyProvider {
            reason: format!("unexpected callback error: {}", e.reason),
        }
    }
}

pub type Result<T, E = WalletError> = std::result::Result<T, E>;

/// A count or time from the core (unsigned) for the public API, which has no unsigned types
/// (Kotlin's `ULong` / Swift's `UInt64` are awkward to use): values above `i64::MAX`, which no
/// real count reaches, read as `i64::MAX`.
pub(crate) fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A signed argument of the public API converted to the unsigned type the core takes:
/// negative or too large is `InvalidInput` naming `field`, never a panic or a wrap-around.
pub(crate) fn unsigned<T: TryFrom<i64>>(value: impl Into<i64>, field: &'static str) -> Result<T> {
    T::try_from(value.into())
        .map_err(|_| invalid(field, InputRule::Range("out of range (negative or too large)")))
}

/// Invalid input found by the bindings themselves (e.g. a key of the wrong length), in the
/// same shape as the core's.
pub(crate) fn invalid(field: &'static str, rule: InputRule) -> WalletError {
    Error::from(InputError::new(field, rule)).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_error_maps_to_an_actionable_variant() {
        type Expect = fn(&WalletError) -> bool;
        let cases: Vec<(Error, Expect)> = vec![
            (
                Error::WrongPin {
                    retry_after_secs: 4,
                    failed_attempts: 3,
                },
                |e| {
                    matches!(
                        e,
                        WalletError::WrongPin {
                            retry_after_secs: 4,
                            failed_attempts: 3
                        }
                    )
                },
            ),
            (Error::Backoff { retry_after_secs: 8 }, |e| {
                matches!(e, WalletError::PinBackoff { retry_after_secs: 8 })
            }),
            (Error::PinLocked, |e| matches!(e, WalletError::PinLocked)),
            (Error::WrongKey, |e| matches!(e, WalletError::WrongKey)),
            (Error::Locked, |e| matches!(e, WalletError::Locked)),
            (
                Error::NotFound("credential"),
                |e| matches!(e, WalletError::NotFound { what } if what == "credential"),
            ),
            (Error::AlreadyExists("wallet"), |e| {
                matches!(e, WalletError::AlreadyExists { .. })
            }),
            (
                InputError::new("pin", InputRule::TooShort { min: 6 }).into(),
                |e| {
                    matches!(e, WalletError::InvalidInput { field, reason }
                        if field == "pin" && reason == "pin: must be at least 6 characters")
                },
            ),
            (ImageError::NoCodeFound.into(), |e| {
                matches!(e, WalletError::Image { problem: ImageError::NoCodeFound, reason }
                    if reason.starts_with("no QR code found"))
            }),
            (Error::Tampered("credentials"), |e| {
                matches!(e, WalletError::Tampered { .. })
            }),
            (Error::Corrupted("not a wallet".into()), |e| {
                matches!(e, WalletError::Corrupted { .. })
            }),
            (
                Error::QrTooLarge {
                    bytes: 900,
                    needed_version: 24,
                    max_version: 20,
                },
                |e| {
                    matches!(
                        e,
                        WalletError::QrTooLarge {
                            bytes: 900,
                            needed_version: 24,
                            max_version: 20
                        }
                    )
                },
            ),
            (Error::Rejected(RejectReason::Revoked), |e| {
                matches!(e, WalletError::Rejected { reason: RejectReason::Revoked, message_en, message_vi }
                    if message_en == RejectReason::Revoked.message(Lang::En)
                        && message_vi == RejectReason::Revoked.message(Lang::Vi))
            }),
            (Error::KeyProvider("cancelled".into()), |e| {
                matches!(e, WalletError::KeyProvider { .. })
            }),
            (Error::Storage("disk is full".into()), |e| {
                matches!(e, WalletError::Storage { .. })
            }),
            (Error::Crypto("rng"), |e| matches!(e, WalletError::Crypto { .. })),
            (Error::CounterState(StateError::OtherRootKey), |e| {
                matches!(e, WalletError::CounterState { problem: StateError::OtherRootKey, reason }
                    if reason == StateError::OtherRootKey.message())
            }),
        ];
        for (core_error, expected) in cases {
            let shown = core_error.to_string();
            let mapped = WalletError::from(core_error);
            assert!(expected(&mapped), "{shown} -> {mapped:?}");
            assert!(!matches!(mapped, WalletError::Internal { .. }));
        }
    }

    #[test]
    fn signed_arguments_convert_or_are_invalid_input_naming_the_argument() {
        assert_eq!(unsigned::<u32>(7, "ttl_secs").unwrap(), 7);
        assert_eq!(unsigned::<u64>(i64::MAX, "index").unwrap(), i64::MAX as u64);
        for (result, field) in [
            (unsigned::<u32>(-1, "ttl_secs").map(|_| ()), "ttl_secs"),
            (unsigned::<u8>(300, "version").map(|_| ()), "version"),
            (unsigned::<u32>(i64::MAX, "width").map(|_| ()), "width"),
        ] {
            assert!(
                matches!(&result, Err(WalletError::InvalidInput { field: f, reason })
                    if f == field && reason.starts_with(field) && reason.contains("out of range")),
                "{result:?}"
            );
        }
        assert_eq!(signed(5), 5);
        assert_eq!(signed(u64::MAX), i64::MAX);
    }

    #[test]
    fn foreign_wrong_key_stays_wrong_key_and_other_failures_are_key_provider() {
        assert!(matches!(Error::from(WalletError::WrongKey), Error::WrongKey));
        assert!(matches!(Error::from(WalletError::Locked), Error::KeyProvider(_)));
        let unexpected = WalletError::from(uniffi::UnexpectedUniFFICallbackError {
            reason: "RuntimeError".into(),
        });
        assert!(matches!(unexpected, WalletError::KeyProvider { .. }));
    }
}
