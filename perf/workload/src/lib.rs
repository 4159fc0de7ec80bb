//! The measured workloads, shared by `cwallet bench` (cli/src/bench.rs), the criterion benches
//! (core/benches/*.rs) and the peer comparison (perf/peers/ours), so the three measure the same
//! records and the same operations.
//!
//! It returns errors instead of panicking (the workspace lints deny unwrap outside tests, and
//! `cwallet bench` reports them like any other command error).
//!
//! * [`records`]: 10,000 realistic credentials (~1 KB of JSON each, every row different);
//! * [`store`]: our encrypted wallet, the same work on plain rusqlite, and the crypto alone;
//! * [`codec`]: presentation and verification against their floors, the check-in QR size;
//! * [`qr_budget`]: the check-in QR per sample person and holder-key type;
//! * [`camera`]: the check-in code read from camera luma frames and verified;
//! * [`status`]: the 100M-entry status list;
//! * [`timing`]: repeated runs and medians.
// The store figures are one `json!` object, longer than the default limit allows.
#![recursion_limit = "256"]

pub mod camera;
pub mod codec;
pub mod qr_budget;
pub mod records;
pub mod status;
pub mod store;
pub mod timing;

/// The synthetic people the records and the check-in credential are built from: the file the
/// core's tests use (`core/tests/data/people.json`), built into the binary.
pub const PEOPLE_JSON: &str = include_str!("../../../core/tests/data/people.json");

/// The error type of the workloads.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// The result type of the workloads.
pub type Res<T> = std::result::Result<T, BoxError>;

/// A directory removed (with its contents) when dropped.
pub struct WorkDir {
    path: std::path::PathBuf,
}

impl WorkDir {
    /// A new empty directory under `parent` (or the system temp dir).
    pub fn new(parent: Option<&std::path::Path>) -> Res<Self> {
        let base = parent.map_or_else(std::env::temp_dir, std::path::Path::to_path_buf);
        let mut r = [0u8; 8];
        fill_random(&mut r)?;
        let path = base.join(format!("cw-bench-{}-{}", std::process::id(), hex_lower(&r)));
        std::fs::create_dir_all(&path)?;
        Ok(Self { path })
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Fills `buf` from the OS RNG.
pub fn fill_random(buf: &mut [u8]) -> Res<()> {
    getrandom::getrandom(buf).map_err(|e| format!("OS random number generator: {e}").into())
}

/// Lowercase hex without the `hex` crate.
pub fn hex_lower(b: &[u8]) -> String {
    const D: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for &x in b {
        s.push(char::from(D[usize::from(x >> 4)]));
        s.push(char::from(D[usize::from(x & 15)]));
    }
    s
}

/// splitmix64: a deterministic generator (the workloads must not depend on a rand crate).
#[derive(Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-enough in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}
