//! Human or JSON output, and the mapping of errors to messages and exit codes.
//!
//! Exit codes: 0 ok, 1 other error, 2 usage, 3 wrong PIN / back-off / PIN disabled / wrong key,
//! 4 not found, 5 invalid input or rejected credential/QR, 6 damaged or tampered data (also an
//! unusable counter state file), 7 QR too large.

use std::process::ExitCode;

use citizen_wallet_core::Error;

/// A CLI failure: a core error, or a problem of the CLI itself (files, arguments).
#[derive(Debug)]
pub enum CliError {
    Core(Error),
    Usage(String),
    Io(String),
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Core(e)
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

pub fn io_err(what: &str, path: &std::path::Path, e: std::io::Error) -> CliError {
    CliError::Io(format!("{what} {}: {}", path.display(), e.kind()))
}

impl CliError {
    fn code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Io(_) => 1,
            CliError::Core(e) => match e {
                Error::WrongPin { .. }
                | Error::Backoff { .. }
                | Error::PinLocked
                | Error::WrongKey
                | Error::Locked => 3,
                Error::NotFound(_) => 4,
                Error::InvalidInput(_) | Error::Image(_) | Error::Rejected(_) | Error::AlreadyExists(_) => 5,
                Error::Tampered(_) | Error::Corrupted(_) | Error::CounterState(_) => 6,
                Error::QrTooLarge { .. } => 7,
                _ => 1,
            },
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            CliError::Usage(_) => "usage",
            CliError::Io(_) => "io",
            CliError::Core(e) => match e {
                Error::WrongPin { .. } => "wrong_pin",
                Error::Backoff { .. } => "backoff",
                Error::PinLocked => "pin_locked",
                Error::WrongKey => "wrong_key",
                Error::Locked => "locked",
                Error::NotFound(_) => "not_found",
                Error::AlreadyExists(_) => "already_exists",
                Error::InvalidInput(_) => "invalid_input",
                Error::Image(_) => "image",
                Error::Rejected(_) => "rejected",
                Error::Tampered(_) => "tampered",
                Error::Corrupted(_) => "corrupted",
                Error::QrTooLarge { .. } => "qr_too_large",
                Error::KeyProvider(_) => "key_provider",
                Error::Storage(_) => "storage",
                Error::CounterState(_) => "counter_state",
                _ => "error",
            },
        }
    }

    fn message(&self) -> String {
        match self {
            CliError::Usage(m) | CliError::Io(m) => m.clone(),
            CliError::Core(e) => e.to_string(),
        }
    }
}

/// Writes `text` to standard output. A closed pipe (`cwallet list | head`) ends the output
/// quietly instead of panicking.
pub fn out_text(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// [`out_text`] with a newline.
pub fn out_line(text: &str) {
    out_text(&format!("{text}\n"));
}

pub struct Output {
    pub json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Prints a JSON value (in --json mode) or the human text.
    pub fn print(&self, human: impl FnOnce() -> String, json: impl FnOnce() -> serde_json::Value) {
        if self.json {
            out_line(&json().to_string());
        } else {
            let text = human();
            if !text.is_empty() {
                out_line(text.trim_end());
            }
        }
    }

    pub fn fail(&self, e: &CliError) -> ExitCode {
        // A rejection (e.g. a counter's request the wallet refuses) has its sentence in
        // Vietnamese too.
        let rejected = match e {
            CliError::Core(citizen_wallet_core::Error::Rejected(r)) => Some(*r),
            _ => None,
        };
        if self.json {
            let mut j = serde_json::json!({ "ok": false, "error": e.kind(), "message": e.message() });
            if let Some(r) = rejected {
                j["reason"] = format!("{r:?}").into();
                j["message_vi"] = r.message(citizen_wallet_core::Lang::Vi).into();
            }
            out_line(&j.to_string());
        } else {
            eprintln!("error: {}", e.message());
            if let Some(r) = rejected {
                eprintln!("lỗi: {}", r.message(citizen_wallet_core::Lang::Vi));
            }
        }
        ExitCode::from(e.code())
    }
}
