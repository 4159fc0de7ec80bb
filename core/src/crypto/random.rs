//! The operating system's random number generator, with failures as typed errors.

use crate::{Error, Result};

/// Fills `buf` from the OS RNG.
pub(crate) fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::getrandom(buf).map_err(|_| Error::Crypto("the OS random number generator failed"))
}

/// `N` random bytes.
pub(crate) fn bytes<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    fill(&mut b)?;
    Ok(b)
}
