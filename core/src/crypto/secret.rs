//! Secrets handed over in buffers the core owns: wiping them when the call is done.
//!
//! A foreign caller (Kotlin, Swift, Python through the bindings) passes a PIN or key as a byte
//! array; uniffi hands it to Rust as a `Vec<u8>` that is then ours. [`wipe_after`] runs the
//! call on it and overwrites it with zeros afterwards, whether the call succeeded, failed or
//! panicked. What the host language and uniffi copy before that is described in SECURITY.md
//! ("Secrets across the FFI").

use zeroize::Zeroize;

/// Overwrites a buffer with zeros when dropped: on return and while unwinding from a panic.
struct WipeOnDrop<'a>(&'a mut Vec<u8>);

impl Drop for WipeOnDrop<'_> {
    fn drop(&mut self) {
        wipe(self.0);
    }
}

/// Overwrites every byte of `buf`, its spare capacity included, with zeros (volatile writes
/// that the optimizer keeps). The length stays, so a caller can see the zeros.
pub fn wipe(buf: &mut Vec<u8>) {
    let len = buf.len();
    // Bring the spare capacity into the initialized part (no reallocation: at most capacity),
    // zeroize all of it, then give the length back.
    buf.resize(buf.capacity(), 0);
    buf.as_mut_slice().zeroize();
    buf.truncate(len);
}

/// Runs `f` on `secret`, then wipes `secret` ([`wipe`]), also when `f` fails or panics.
pub fn wipe_after<R>(secret: &mut Vec<u8>, f: impl FnOnce(&[u8]) -> R) -> R {
    let guard = WipeOnDrop(secret);
    f(guard.0.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buffer_is_zeros_after_the_call() {
        let mut pin = b"246810".to_vec();
        let seen = wipe_after(&mut pin, |p| p.to_vec());
        assert_eq!(seen, b"246810", "the call saw the secret");
        assert_eq!(pin, [0u8; 6], "and it was wiped after");
    }

    #[test]
    fn the_buffer_is_wiped_when_the_call_fails_or_panics() {
        let mut pin = b"135790".to_vec();
        let r: Result<(), &str> = wipe_after(&mut pin, |_| Err("wrong PIN"));
        assert!(r.is_err());
        assert_eq!(pin, [0u8; 6]);

        let mut pin = b"975310".to_vec();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            wipe_after(&mut pin, |_| -> () { panic!("a bug in the call") })
        }));
        assert!(caught.is_err());
        assert_eq!(pin, [0u8; 6]);
    }

    #[test]
    fn spare_capacity_is_wiped_and_nothing_is_reallocated() {
        let mut buf = Vec::with_capacity(64);
        buf.extend_from_slice(b"a secret longer than the PIN");
        buf.truncate(6); // the rest of the secret now lives in the spare capacity
        let (cap, ptr) = (buf.capacity(), buf.as_ptr());
        wipe(&mut buf);
        assert_eq!(buf, [0u8; 6]);
        // Wiped in place: the spare capacity was zeroized through the same allocation (safe
        // code cannot read spare capacity back; `unsafe` is forbidden here).
        assert_eq!((buf.capacity(), buf.as_ptr()), (cap, ptr));
    }
}
