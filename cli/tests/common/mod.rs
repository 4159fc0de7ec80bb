//! What the `cwallet` process tests share: running the binary as a user would, reading its
//! JSON, and the sample data.

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

use citizen_wallet_core::model::{Credential, PersonRecord};

/// Starts `cwallet ARGS` with piped stdin, stdout and stderr, outside any PIN or wallet set in
/// the environment.
pub fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_cwallet"))
        .args(args)
        .env_remove("CWALLET_PIN")
        .env_remove("CWALLET_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs `cwallet ARGS` with `stdin` fed in, outside any PIN or wallet set in the environment.
pub fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = spawn(args);
    // A command that does not read its input (or fails before it does) may exit before the
    // write: a closed pipe is then not the test's failure, the exit status and output are.
    match child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.unwrap(),
    }
    child.wait_with_output().unwrap()
}

/// The process's stdout as JSON (panics with the output when it is not).
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&o.stdout)))
}

/// Every credential of the first sample person (core/tests/data/people.json).
pub fn first_person_credentials() -> Vec<Credential> {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/data/people.json"
    ))
    .unwrap();
    PersonRecord::parse_list(&json).unwrap()[0].credentials().unwrap()
}
