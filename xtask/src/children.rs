//! Every child process the runner starts is registered here, so that none
//! outlives it. Ctrl-C reaches the whole process group anyway; a SIGTERM or
//! SIGHUP (a CI job cancelled, a terminal closed, `kill`) reaches the runner
//! alone, and a learner's `loop {}` would keep both cores busy with nobody
//! left to stop it. On such a signal the runner kills its children, gives the
//! terminal back as it found it, and exits.

use std::sync::Mutex;

/// How a child is stopped when the runner must go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A test binary or a program under test: killed outright.
    Program,
    /// Cargo: asked to stop, so that it stops its own rustc children.
    Cargo,
}

static LIVE: Mutex<Vec<(u32, Kind)>> = Mutex::new(Vec::new());

/// A registered child; it is forgotten again when this is dropped (after
/// the child was waited for).
#[derive(Debug)]
pub struct Registered(u32);

pub fn register(pid: u32, kind: Kind) -> Registered {
    live().push((pid, kind));
    Registered(pid)
}

impl Drop for Registered {
    fn drop(&mut self) {
        live().retain(|(pid, _)| *pid != self.0);
    }
}

fn live() -> std::sync::MutexGuard<'static, Vec<(u32, Kind)>> {
    // A panic elsewhere must not stop the clean-up.
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Stops every registered child.
pub fn stop_all() {
    for (pid, kind) in live().iter() {
        stop(*pid, *kind);
    }
}

#[cfg(unix)]
fn stop(pid: u32, kind: Kind) {
    let signal = match kind {
        Kind::Program => libc::SIGKILL,
        Kind::Cargo => libc::SIGTERM,
    };
    // SAFETY: `kill` has no memory-safety preconditions; a pid that has
    // exited meanwhile only makes it fail, which is fine.
    unsafe {
        libc::kill(pid as libc::pid_t, signal);
    }
}

#[cfg(not(unix))]
fn stop(_pid: u32, _kind: Kind) {}

/// Watches for SIGTERM, SIGHUP and SIGINT on a thread of its own: on one,
/// stops the children, runs `restore` (the terminal's settings), and exits
/// as a process killed by that signal would (128 + its number).
#[cfg(unix)]
pub fn stop_with_the_runner(restore: fn()) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            stop_all();
            restore();
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
pub fn stop_with_the_runner(_restore: fn()) {}

/// Tests that start children hold this, so that `stop_all` in one does not
/// kill another's.
#[cfg(test)]
pub static TEST_LOCK: Mutex<()> = Mutex::new(());

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn stop_all_kills_a_registered_child_and_forgets_it_once_waited() {
        let _alone = TEST_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep runs");
        let registered = register(child.id(), Kind::Program);
        let started = std::time::Instant::now();
        stop_all();
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "the child was killed, not left to finish"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        drop(registered);
        assert!(!live().iter().any(|(pid, _)| *pid == child.id()));
    }
}
