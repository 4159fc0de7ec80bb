//! `cwallet bench`: the performance figures of docs/PERFORMANCE.md, measured in one run.
//!
//! Prints one JSON object (`--json`) or a table: medians of repeated runs and the ratios
//! computed from them, each against a floor or a baseline measured in the same run, then each
//! target with met / missed. `--quick` measures fewer repetitions and a 10,000,000-entry status
//! list instead of 100,000,000 (the JSON says which: `mode`, `status_list_entries`).
//!
//! The workloads are the `citizen-wallet-workload` crate (`perf/workload/`), shared with the
//! criterion benches and the peer comparison (`perf/run-peers.sh`). Build with optimizations
//! (`--release` or `--profile bench`); a debug build is refused unless `--allow-debug` is given.

use std::path::PathBuf;
use std::time::Instant;

use citizen_wallet_workload as workload;
use serde_json::{json, Map, Value};
use workload::codec::CodecPlan;
use workload::store::StorePlan;
use workload::timing::Plan;
use workload::PEOPLE_JSON;

use crate::output::{CliError, CliResult};

/// `cwallet bench` options.
#[derive(clap::Args, Clone, Debug)]
pub struct BenchArgs {
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Fewer repetitions and a 10M-entry status list (under a minute on 2 cores).
    #[arg(long)]
    pub quick: bool,
    /// Only these sections (comma-separated: store, codec, camera, status).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Directory for the temporary databases (default: the system temp dir). Use a disk like
    /// the one you care about: the store figures include fsync.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// zxing-cpp's times on the camera section's frames (JSON written by perf/camera_set.py,
    /// `target/camera-set/zxing-frames.json`): adds `frame_decode_ratio`, ours / zxing-cpp.
    #[arg(long)]
    pub zxing_frames: Option<PathBuf>,
    /// Run even in an unoptimized build (figures are then meaningless).
    #[arg(long)]
    pub allow_debug: bool,
}

fn err(e: workload::BoxError) -> CliError {
    CliError::Io(format!("bench: {e}"))
}

/// The measured value of `key` (top-level), if present.
fn num(o: &Map<String, Value>, key: &str) -> Option<f64> {
    o.get(key).and_then(Value::as_f64)
}

struct Target {
    key: &'static str,
    op: &'static str,
    limit: f64,
}

const TARGETS: &[Target] = &[
    Target {
        key: "present_ratio",
        op: "<=",
        limit: 1.2,
    },
    Target {
        key: "verify_ratio",
        op: "<=",
        limit: 1.5,
    },
    Target {
        key: "verifier_per_s",
        op: ">=",
        limit: 6000.0,
    },
    Target {
        key: "insert_overhead_ratio",
        op: "<=",
        limit: 1.25,
    },
    Target {
        key: "get_overhead_ratio",
        op: "<=",
        limit: 1.25,
    },
    Target {
        key: "list_overhead_ratio",
        op: "<=",
        limit: 1.25,
    },
    Target {
        key: "open_overhead_ratio",
        op: "<=",
        limit: 1.25,
    },
    Target {
        key: "insert_floor_ratio",
        op: "<=",
        limit: 1.5,
    },
    Target {
        key: "get_floor_ratio",
        op: "<=",
        limit: 1.5,
    },
    Target {
        key: "list_floor_ratio",
        op: "<=",
        limit: 1.5,
    },
    Target {
        key: "open_ms",
        op: "<=",
        limit: 1.0,
    },
    Target {
        key: "frame_720p_decode_verify_ms",
        op: "<=",
        limit: 20.0,
    },
    Target {
        key: "frame_480p_decode_verify_ms",
        op: "<=",
        limit: 8.0,
    },
    Target {
        key: "frame_720p_no_code_ms",
        op: "<=",
        limit: 5.0,
    },
    Target {
        key: "checkin_qr_version",
        op: "<=",
        limit: 14.0,
    },
    Target {
        key: "checkin_qr_version_max",
        op: "<=",
        limit: 13.0,
    },
    Target {
        key: "status_list_bytes",
        op: "<=",
        limit: 1_500_000.0,
    },
    Target {
        key: "status_lookup_ns",
        op: "<=",
        limit: 1000.0,
    },
];

fn evaluate(o: &Map<String, Value>, quick: bool, elapsed_s: f64) -> Value {
    let mut out = Vec::new();
    for t in TARGETS {
        if let Some(v) = num(o, t.key) {
            let met = if t.op == "<=" { v <= t.limit } else { v >= t.limit };
            // How far from the target, as a factor (> 1 = missed by that much).
            let factor = if t.op == "<=" { v / t.limit } else { t.limit / v };
            out.push(json!({
                "metric": t.key, "value": v, "target": format!("{} {}", t.op, t.limit),
                "met": met, "factor": workload::timing::round3(factor),
            }));
        }
    }
    if let (Some(m), Some(i)) = (
        o.get("kdf_params")
            .and_then(|p| p.get("memory_kib"))
            .and_then(Value::as_f64),
        o.get("kdf_params")
            .and_then(|p| p.get("iterations"))
            .and_then(Value::as_f64),
    ) {
        out.push(json!({
            "metric": "kdf_params", "value": format!("{m} KiB, {i} passes"),
            "target": ">= 19456 KiB, >= 2 passes", "met": m >= 19_456.0 && i >= 2.0,
        }));
    }
    let limit = if quick { 60.0 } else { 300.0 };
    out.push(json!({
        "metric": "elapsed_s", "value": workload::timing::round3(elapsed_s),
        "target": format!("<= {limit}"), "met": elapsed_s <= limit,
        "factor": workload::timing::round3(elapsed_s / limit),
    }));
    Value::Array(out)
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    json!({
        "cpu": cpu,
        "threads": std::thread::available_parallelism().map(usize::from).unwrap_or(0),
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
        "optimized": !cfg!(debug_assertions),
    })
}

fn merge(into: &mut Map<String, Value>, section: Value, breakdown_key: &str) {
    if let Value::Object(m) = section {
        for (k, v) in m {
            if k == "breakdown" {
                into.insert(breakdown_key.to_owned(), v);
            } else {
                into.insert(k, v);
            }
        }
    }
}

/// Runs the selected sections and returns the JSON object.
pub fn measure(args: &BenchArgs) -> CliResult<Value> {
    let start = Instant::now();
    let want = |s: &str| args.only.is_empty() || args.only.iter().any(|o| o == s);
    let dir = workload::WorkDir::new(args.dir.as_deref()).map_err(err)?;
    let mut o = Map::new();
    o.insert("mode".into(), json!(if args.quick { "quick" } else { "full" }));
    o.insert("machine".into(), machine());

    if want("codec") {
        let plan = if args.quick {
            CodecPlan::QUICK
        } else {
            CodecPlan::FULL
        };
        let r = workload::codec::run(dir.path(), PEOPLE_JSON, plan).map_err(err)?;
        merge(&mut o, r, "codec_breakdown");
    }
    if want("camera") {
        let plan = if args.quick {
            Plan::new(2, 11, 1)
        } else {
            Plan::new(3, 31, 1)
        };
        let world = workload::codec::World::new(dir.path(), PEOPLE_JSON).map_err(err)?;
        let r = workload::camera::run(&world, plan).map_err(err)?;
        merge(&mut o, r, "camera_breakdown");
        if let Some(path) = &args.zxing_frames {
            let text = std::fs::read_to_string(path).map_err(|e| CliError::Io(format!("bench: {e}")))?;
            let z: Value = serde_json::from_str(&text).map_err(|e| CliError::Io(format!("bench: {e}")))?;
            if let (Some(ours), Some(theirs)) = (
                num(&o, "frame_720p_decode_ms"),
                z.get("720p").and_then(Value::as_f64),
            ) {
                o.insert("zxing_cpp_720p_decode_ms".into(), json!(theirs));
                o.insert(
                    "frame_decode_ratio".into(),
                    json!(workload::timing::round3(ours / theirs)),
                );
            }
        }
    }
    if want("store") {
        let plan = if args.quick {
            StorePlan::QUICK
        } else {
            StorePlan::FULL
        };
        let records = workload::records::make(PEOPLE_JSON, 10_000).map_err(err)?;
        let r = workload::store::run(dir.path(), &records, plan).map_err(err)?;
        merge(&mut o, r.to_json(), "store_breakdown");
    }
    if want("status") {
        let (entries, plan) = if args.quick {
            (10_000_000, Plan::new(1, 11, 100_000))
        } else {
            (workload::status::FULL_ENTRIES, Plan::new(1, 21, 100_000))
        };
        let r = workload::status::run(entries, plan).map_err(err)?;
        merge(&mut o, r, "status_breakdown");
    }
    let elapsed = start.elapsed().as_secs_f64();
    o.insert("elapsed_s".into(), json!(workload::timing::round3(elapsed)));
    let targets = evaluate(&o, args.quick, elapsed);
    o.insert("targets".into(), targets);
    Ok(Value::Object(o))
}

fn table(v: &Value) -> String {
    let mut s = String::new();
    let Some(o) = v.as_object() else {
        return s;
    };
    for (k, val) in o {
        match val {
            Value::Object(m) if k != "machine" => {
                s.push_str(&format!("{k}:\n"));
                for (k2, v2) in m {
                    s.push_str(&format!("  {k2:<36} {v2}\n"));
                }
            }
            Value::Array(a) => {
                s.push_str(&format!("{k}:\n"));
                for t in a {
                    let met = t.get("met").and_then(Value::as_bool).unwrap_or(false);
                    s.push_str(&format!(
                        "  {:<24} {:>14} {:<16} {}\n",
                        t.get("metric").and_then(Value::as_str).unwrap_or(""),
                        t.get("value").map(ToString::to_string).unwrap_or_default(),
                        t.get("target").and_then(Value::as_str).unwrap_or(""),
                        if met { "met" } else { "MISSED" }
                    ));
                }
            }
            _ => s.push_str(&format!("{k:<38} {val}\n")),
        }
    }
    s
}

/// `cwallet bench`.
pub fn run(args: &BenchArgs) -> CliResult {
    if cfg!(debug_assertions) && !args.allow_debug {
        return Err(CliError::Usage(
            "cwallet bench needs an optimized build: cargo run --profile bench -p cwallet -- bench (or --allow-debug)"
                .into(),
        ));
    }
    let v = measure(args)?;
    if args.json {
        crate::output::out_line(&v.to_string());
    } else {
        crate::output::out_text(&table(&v));
    }
    Ok(())
}
