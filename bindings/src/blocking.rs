//! Async variants without an async runtime: [`run`] does blocking work (Argon2id, SQLite, image
//! decoding, the app's key provider) on a new OS thread and returns a future that completes
//! when it is done. uniffi turns the exported `async fn`s that await it into Kotlin `suspend`
//! functions, Swift `async` functions and Python coroutines; each language's own machinery
//! (coroutines, Swift concurrency, asyncio) polls the future, so no tokio or other executor is
//! linked in.
//!
//! One thread per call (named `cwallet-<call>`), not a pool: a call never waits for another
//! to free a worker, so a key provider that itself waits on the app cannot deadlock the
//! library, and many concurrent calls all progress (Argon2id's memory is then spent by each).
//! Cancelling the awaiting coroutine or task drops the future: the work still runs to its end
//! (a half-done unlock or re-encryption is never abandoned) and its result is dropped.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use crate::error::{Result, WalletError};

struct Slot<T> {
    result: Option<Result<T>>,
    waker: Option<Waker>,
}

/// The receiving end: ready once the worker thread has stored the result.
struct Done<T>(Arc<Mutex<Slot<T>>>);

fn lock<T>(slot: &Mutex<Slot<T>>) -> MutexGuard<'_, Slot<T>> {
    // Only this module locks it, and never panics while holding it.
    slot.lock().unwrap_or_else(|e| e.into_inner())
}

impl<T> Future for Done<T> {
    type Output = Result<T>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let mut slot = lock(&self.0);
        match slot.result.take() {
            Some(result) => Poll::Ready(result),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// The sending end, moved into the worker: stores the result and wakes the future. Dropped
/// without a result (the work panicked and the stack unwound through it), it stores
/// `WalletError::Internal` instead, so the future always completes.
struct Sender<T> {
    slot: Arc<Mutex<Slot<T>>>,
    name: &'static str,
    sent: bool,
}

impl<T> Sender<T> {
    fn send(mut self, result: Result<T>) {
        self.sent = true;
        Self::store(&self.slot, result);
    }

    fn store(slot: &Mutex<Slot<T>>, result: Result<T>) {
        let waker = {
            let mut slot = lock(slot);
            slot.result = Some(result);
            slot.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if !self.sent {
            let reason = format!("{} panicked", self.name);
            Self::store(&self.slot, Err(WalletError::Internal { reason }));
        }
    }
}

/// Starts `job` on a new thread: not generic, so the thread machinery is compiled once for all
/// async calls. A panic stops at the thread's edge (std catches it there; the job's `Sender` has
/// reported it as `Internal` while unwinding).
fn spawn(name: &'static str, job: Box<dyn FnOnce() + Send>) -> Result<()> {
    std::thread::Builder::new()
        .name(format!("cwallet-{name}"))
        .spawn(job)
        .map(drop)
        .map_err(|_| WalletError::Internal {
            reason: format!("could not start a thread for {name}"),
        })
}

/// Runs `work` on a new thread named `cwallet-<name>`; the returned future completes with its
/// result. A panic in `work` arrives as `WalletError::Internal` (never across the FFI); a
/// thread that cannot be started is `Internal` too. (A plain function returning the future,
/// not an `async fn`: one state machine less per call, which matters for the library's size.)
pub(crate) fn run<T, F>(name: &'static str, work: F) -> impl Future<Output = Result<T>> + Send
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    let slot = Arc::new(Mutex::new(Slot {
        result: None,
        waker: None,
    }));
    let sender = Sender {
        slot: Arc::clone(&slot),
        name,
        sent: false,
    };
    if let Err(e) = spawn(name, Box::new(move || sender.send(work()))) {
        // The job was dropped unrun (its Sender stored "panicked"): report why instead.
        lock(&slot).result = Some(Err(e));
    }
    Done(slot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::Wake;

    /// Polls a future to completion on this thread, parking between polls: what a foreign
    /// executor does, minus the executor.
    fn block_on<F: Future>(f: F) -> F::Output {
        struct Unpark(std::thread::Thread, AtomicBool);
        impl Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.1.store(true, Ordering::SeqCst);
                self.0.unpark();
            }
        }
        let waker_state = Arc::new(Unpark(std::thread::current(), AtomicBool::new(false)));
        let waker = Waker::from(Arc::clone(&waker_state));
        let mut cx = Context::from_waker(&waker);
        let mut f = std::pin::pin!(f);
        loop {
            if let Poll::Ready(out) = f.as_mut().poll(&mut cx) {
                return out;
            }
            while !waker_state.1.swap(false, Ordering::SeqCst) {
                std::thread::park();
            }
        }
    }

    #[test]
    fn the_result_arrives_from_another_thread() {
        let here = std::thread::current().id();
        let (value, there) = block_on(run("test", || Ok((42, std::thread::current())))).unwrap();
        assert_eq!(value, 42);
        assert_ne!(there.id(), here);
        assert_eq!(there.name(), Some("cwallet-test"));
    }

    #[test]
    fn errors_and_panics_arrive_as_typed_errors() {
        let e = block_on(run::<(), _>("test", || Err(WalletError::Locked))).unwrap_err();
        assert!(matches!(e, WalletError::Locked));
        let e = block_on(run::<(), _>("boom", || panic!("deliberate"))).unwrap_err();
        assert!(matches!(e, WalletError::Internal { reason } if reason == "boom panicked"));
    }

    #[test]
    fn many_concurrent_calls_complete() {
        let sum: i32 = std::thread::scope(|s| {
            let awaiting: Vec<_> = (0..64)
                .map(|i| {
                    s.spawn(move || {
                        block_on(run("test", move || {
                            std::thread::sleep(std::time::Duration::from_millis(5));
                            Ok(i)
                        }))
                    })
                })
                .collect();
            awaiting.into_iter().map(|h| h.join().unwrap().unwrap()).sum()
        });
        assert_eq!(sum, (0..64).sum::<i32>());
    }
}
