//! Reading PINs without putting them in argv (visible to every process via `ps`).

use std::io::BufRead;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::output::{CliError, CliResult};

/// Lines read from stdin so far (the PIN, then the new PIN for `change-pin`).
static STDIN_LINES: Mutex<Vec<Zeroizing<String>>> = Mutex::new(Vec::new());

fn stdin_line(n: usize) -> CliResult<Zeroizing<String>> {
    let mut lines = STDIN_LINES.lock().unwrap_or_else(|e| e.into_inner());
    let stdin = std::io::stdin();
    while lines.len() <= n {
        let mut s = Zeroizing::new(String::new());
        let read = stdin
            .lock()
            .read_line(&mut s)
            .map_err(|e| CliError::Io(format!("reading stdin: {}", e.kind())))?;
        if read == 0 {
            return Err(CliError::Usage("expected a PIN line on standard input".into()));
        }
        let trimmed = Zeroizing::new(s.trim_end_matches(['\r', '\n']).to_string());
        lines.push(trimmed);
    }
    Ok(lines[n].clone())
}

/// The wallet PIN: stdin line 1 with `--pin-stdin`, else `CWALLET_PIN`.
pub fn pin(from_stdin: bool) -> CliResult<Zeroizing<String>> {
    if from_stdin {
        return stdin_line(0);
    }
    std::env::var("CWALLET_PIN")
        .map(Zeroizing::new)
        .map_err(|_| CliError::Usage("no PIN: pass --pin-stdin (PIN on stdin) or set CWALLET_PIN".into()))
}

/// The new PIN for `change-pin`: stdin line 2 with `--pin-stdin`, else `CWALLET_NEW_PIN`.
pub fn new_pin(from_stdin: bool) -> CliResult<Zeroizing<String>> {
    if from_stdin {
        return stdin_line(1);
    }
    std::env::var("CWALLET_NEW_PIN").map(Zeroizing::new).map_err(|_| {
        CliError::Usage("no new PIN: pass it as the second stdin line or set CWALLET_NEW_PIN".into())
    })
}
