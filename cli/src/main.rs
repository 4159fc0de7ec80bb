//! `cwallet`: the citizen-wallet command line.
//!
//! One binary for every role: the citizen's wallet (`init`, `add`, `list`, `show`, `delete`,
//! `change-pin`, `holder-key`, `import`, `present`), the issuing authority (`issuer ...`), the
//! clinic counter (`verify`, and `request` for a counter that asks), the end-to-end story (`demo`) and measurements (`bench`).
//! PINs never come from argv: `--pin-stdin` or the `CWALLET_PIN` environment variable.
//! Exit 3: wrong PIN, back-off, PIN disabled after 10 wrong PINs (`pin_locked`), wrong key.

mod authority;
mod bench;
mod demo;
mod holder_cmd;
mod issuer_cmd;
mod output;
mod pin;
mod request_cmd;
mod verify_cmd;
mod wallet_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cwallet",
    version,
    about = "Offline citizen credential wallet: store, present, verify"
)]
struct Cli {
    /// Wallet directory (holds wallet.db).
    #[arg(long, global = true, env = "CWALLET_DIR", default_value = "./cwallet-data")]
    wallet: PathBuf,
    /// Read the PIN from the first line of standard input (else env CWALLET_PIN).
    #[arg(long, global = true)]
    pin_stdin: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new wallet protected by a PIN.
    ///
    /// Wrong PINs meet a back-off (1 s, doubling, up to 1 h; exit 3 `backoff`). After 10 wrong
    /// PINs in a row the PIN is disabled (exit 3 `pin_locked`); a cwallet wallet has no other
    /// way of unlocking, so it can then no longer be opened.
    Init(Fmt),
    /// Add a self-entered credential from a JSON file (fields as in the samples).
    Add {
        /// citizen_id, health_insurance, health_book, judicial_record or clinic_checkin.
        #[arg(long = "type")]
        credential_type: String,
        /// The JSON file with the credential's fields.
        #[arg(long)]
        json: PathBuf,
        /// Machine-readable JSON output (`--json` names the input file here).
        #[arg(long)]
        json_out: bool,
    },
    /// List credentials (optionally of one type).
    List {
        #[arg(long = "type")]
        credential_type: Option<String>,
        #[command(flatten)]
        fmt: Fmt,
    },
    /// Show one credential with vi/en labels.
    Show {
        id: String,
        #[command(flatten)]
        fmt: Fmt,
    },
    /// Delete one credential.
    Delete {
        id: String,
        #[command(flatten)]
        fmt: Fmt,
    },
    /// Change the PIN (old PIN as usual; new PIN from the second stdin line or CWALLET_NEW_PIN).
    ///
    /// Without --rotate only the wrapping of the data key changes: an old copy of wallet.db
    /// still opens with the old PIN, and so does everything added to the wallet later. With
    /// --rotate the data key itself is replaced and every credential re-encrypted (one
    /// transaction), so the old PIN and an old copy open nothing added afterwards.
    ChangePin {
        /// Also rotate the data key: re-encrypt every credential under a fresh key.
        #[arg(long)]
        rotate: bool,
        #[command(flatten)]
        fmt: Fmt,
    },
    /// Print the holder public key (hex), for an issuer to bind credentials to.
    HolderKey(Fmt),
    /// Import an issued credential (its `VN1C:` transfer text or raw bytes) after checking it.
    Import {
        /// The signed trust list.
        #[arg(long)]
        trust: PathBuf,
        /// The pinned root public key: 64 hex characters or the root's key / .pub.json file.
        #[arg(long)]
        root_key: String,
        /// The credential file.
        file: PathBuf,
        #[command(flatten)]
        fmt: Fmt,
    },
    /// Present chosen claims of a credential as a QR code (terminal, text, PNG, SVG).
    Present(holder_cmd::PresentArgs),
    /// A counter with a screen asks: sign a request QR with its reader key and keep the open
    /// nonce in its counter state (`--state DIR`); the citizen answers with
    /// `present --request`, the counter checks the answer with `verify --state DIR`.
    Request(request_cmd::RequestArgs),
    /// The clinic counter: verify a presentation from QR text or a PNG image, offline.
    /// Exit 0 valid, 8 valid but revocation status not current, 5 rejected.
    Verify(verify_cmd::VerifyArgs),
    /// The issuing authority: keys, credentials, trust list, status list, revocation.
    Issuer {
        #[command(subcommand)]
        command: issuer_cmd::IssuerCommand,
        #[command(flatten)]
        fmt: Fmt,
    },
    /// The whole clinic story on built-in sample data: issue, store, present, verify.
    Demo(demo::DemoArgs),
    /// Measure speed, sizes and ratios against floors (docs/PERFORMANCE.md).
    Bench(bench::BenchArgs),
}

/// Output format flag shared by the commands.
#[derive(clap::Args, Clone, Copy)]
pub struct Fmt {
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (w, p) = (&cli.wallet, cli.pin_stdin);
    let out = |json: bool| output::Output::new(json);
    let (result, out) = match &cli.command {
        Command::Init(f) => (wallet_cmd::init(w, p, &out(f.json)), out(f.json)),
        Command::Add {
            credential_type,
            json,
            json_out,
        } => (
            wallet_cmd::add(w, p, credential_type, json, &out(*json_out)),
            out(*json_out),
        ),
        Command::List { credential_type, fmt } => (
            wallet_cmd::list(w, p, credential_type.as_deref(), &out(fmt.json)),
            out(fmt.json),
        ),
        Command::Show { id, fmt } => (wallet_cmd::show(w, p, id, &out(fmt.json)), out(fmt.json)),
        Command::Delete { id, fmt } => (wallet_cmd::delete(w, p, id, &out(fmt.json)), out(fmt.json)),
        Command::ChangePin { rotate, fmt } => (
            wallet_cmd::change_pin(w, p, *rotate, &out(fmt.json)),
            out(fmt.json),
        ),
        Command::HolderKey(f) => (wallet_cmd::holder_key(w, p, &out(f.json)), out(f.json)),
        Command::Import {
            trust,
            root_key,
            file,
            fmt,
        } => (
            holder_cmd::import(w, p, trust, root_key, file, &out(fmt.json)),
            out(fmt.json),
        ),
        Command::Present(a) => (holder_cmd::present(w, p, a), out(a.fmt.json)),
        Command::Request(a) => (request_cmd::run(a), out(a.fmt.json)),
        Command::Verify(a) => match verify_cmd::run(a) {
            Ok(code) => return code,
            Err(e) => (Err(e), out(a.fmt.json)),
        },
        Command::Issuer { command, fmt } => (issuer_cmd::run(command, &out(fmt.json)), out(fmt.json)),
        Command::Demo(a) => (demo::run(a), out(a.fmt.json)),
        Command::Bench(a) => (bench::run(a), out(a.json)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => out.fail(&e),
    }
}
