//! The core has no way to reach a network: no networking crate anywhere in its dependency
//! graph (for every target, with and without the `uniffi` feature the bindings turn on), no
//! socket code in its sources, and no logging facade in the graph the apps link by default.
//!
//! The dependency graph comes from `cargo tree --offline`, run by this test; when cargo is not
//! available (e.g. the test binary was copied elsewhere) the test says so and skips.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Crates that open sockets, speak HTTP/TLS/DNS or run an async network runtime.
const NETWORK_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "h2",
    "h3",
    "http",
    "http-body",
    "tokio",
    "tokio-util",
    "async-std",
    "smol",
    "mio",
    "socket2",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "rustls",
    "native-tls",
    "openssl",
    "openssl-sys",
    "quinn",
    "tungstenite",
    "websocket",
    "trust-dns-resolver",
    "hickory-resolver",
    "libp2p",
];

/// Logging facades: a log line could carry personal data; the core emits none.
const LOGGING_CRATES: &[&str] = &["log", "tracing", "tracing-core", "slog", "env_logger", "fern"];

fn core_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The package names in core's normal dependency graph, or `None` if cargo cannot be run.
/// The targets apps build the library for (Android ABIs, iOS device and simulator, the desktop
/// counter and CI hosts).
const APP_TARGETS: &[&str] = &[
    "aarch64-linux-android",
    "armv7-linux-androideabi",
    "x86_64-linux-android",
    "i686-linux-android",
    "aarch64-apple-ios",
    "aarch64-apple-ios-sim",
    "x86_64-apple-ios",
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "aarch64-apple-darwin",
    "x86_64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

fn dependency_names(features: &[&str]) -> Option<BTreeSet<String>> {
    dependency_names_for(features, &["all"])
}

fn dependency_names_for(features: &[&str], targets: &[&str]) -> Option<BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(core_dir()).args([
        "tree",
        "-p",
        "citizen-wallet-core",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--format",
        "{p}",
    ]);
    for t in targets {
        cmd.args(["--target", t]);
    }
    for f in features {
        cmd.args(["--features", f]);
    }
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => {
            println!("skipped: cannot run cargo ({e})");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: BTreeSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    assert!(
        names.contains("citizen-wallet-core") && names.contains("rusqlite"),
        "{names:?}"
    );
    Some(names)
}

#[test]
fn no_network_crate_in_the_core_dependency_graph() {
    for features in [&[][..], &["uniffi"][..]] {
        let Some(names) = dependency_names(features) else {
            return;
        };
        let found: Vec<&&str> = NETWORK_CRATES.iter().filter(|c| names.contains(**c)).collect();
        assert!(
            found.is_empty(),
            "networking crates in citizen-wallet-core (features {features:?}): {found:?}"
        );
        println!("features {features:?}: {} crates, none networking", names.len());
    }
}

#[test]
fn no_logging_facade_in_the_default_core_graph() {
    // For the targets apps build: `log` is in the graph for wasm32-unknown-unknown only
    // (rxing -> chrono's clock -> iana-time-zone, which logs there), a target no app ships.
    let Some(names) = dependency_names_for(&[], APP_TARGETS) else {
        return;
    };
    let found: Vec<&&str> = LOGGING_CRATES.iter().filter(|c| names.contains(**c)).collect();
    assert!(
        found.is_empty(),
        "logging crates in citizen-wallet-core: {found:?}"
    );
}

#[test]
fn no_socket_code_in_core_sources() {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&core_dir().join("src"), &mut files);
    assert!(files.len() > 10);
    let forbidden = [
        "std::net",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "UnixStream",
        "UnixListener",
        "ToSocketAddrs",
        "std::process::Command",
    ];
    for f in &files {
        for line in std::fs::read_to_string(f).unwrap().lines() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "{}: `{word}` in the core ({line})",
                    f.display()
                );
            }
        }
    }
}
