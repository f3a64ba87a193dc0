//! Test hooks for the write stage, compiled into debug builds only. `cargo test` builds the
//! binary it runs in debug, so the tests reach them with no extra flag; every release build
//! (what is installed, benchmarked and run in CI to publish) has none, so no environment can
//! make a real build abort or fail its writes. A cargo feature would do the same but must be
//! passed to every test command, and left on by mistake it would ship.
//!
//! - `NTG_TEST_KILL_AT=<step>` aborts the process at `reached(step)`, or as it is about to
//!   write its n-th file with `write-<n>`: a kill at a known moment. The steps, in order:
//!   `staged`, `index-placed`, `moved-aside` (fallback swap only), `exchanged`,
//!   `old-removed`, and `index-doomed` (an unneeded index renamed away, not yet deleted).
//! - `NTG_TEST_FAIL_WRITE_AFTER=<n>` fails every write after the n-th with "No space left on
//!   device", as a full disk does.
//! - `NTG_TEST_NO_EXCHANGE=1` makes the exchange report itself unsupported, so the fallback
//!   swap runs on Linux too.

use std::io;

/// Aborts the process if `NTG_TEST_KILL_AT` names `step` (debug builds only).
#[cfg(debug_assertions)]
pub fn reached(step: &str) {
    if std::env::var("NTG_TEST_KILL_AT").is_ok_and(|s| s == step) {
        std::process::abort();
    }
}

/// Aborts the process if `NTG_TEST_KILL_AT` names `step` (debug builds only).
#[cfg(not(debug_assertions))]
pub fn reached(_step: &str) {}

/// Called before each file the output folder writes: counts it, aborts or fails it when a
/// hook says so.
#[cfg(debug_assertions)]
pub(super) fn before_write() -> io::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let n = WRITES.fetch_add(1, Ordering::SeqCst) + 1;
    reached(&format!("write-{n}"));
    let limit = std::env::var("NTG_TEST_FAIL_WRITE_AFTER").ok();
    if limit
        .and_then(|l| l.parse::<usize>().ok())
        .is_some_and(|l| n > l)
    {
        return Err(io::Error::from_raw_os_error(28));
    }
    Ok(())
}

#[cfg(not(debug_assertions))]
pub(super) fn before_write() -> io::Result<()> {
    Ok(())
}

/// Whether the exchange is to be treated as unsupported (debug builds only).
pub(super) fn no_exchange() -> bool {
    cfg!(debug_assertions) && std::env::var_os("NTG_TEST_NO_EXCHANGE").is_some()
}
