//! The child program of kata 39: a small, portable binary whose behaviour
//! the tests choose with its arguments. You do not need to change this file
//! (and must not: the tests rely on it as it is); cargo builds it as the
//! `subprocesses-child` binary, and the tests find it through
//! `CARGO_BIN_EXE_subprocesses-child`.
//!
//! ```text
//! subprocesses-child echo WORD...         prints the words, exits 0
//! subprocesses-child late MILLIS WORD...  waits, then prints the words, exits 0
//! subprocesses-child fail CODE MESSAGE    prints MESSAGE on stderr, exits CODE
//! subprocesses-child flood BYTES          writes BYTES to stderr, then BYTES to stdout
//! subprocesses-child meet DIR COUNT NAME  creates DIR/NAME, waits until DIR holds
//!                                         COUNT entries, prints "met COUNT"
//! subprocesses-child hang LOCK            locks the file LOCK, creates LOCK.ready,
//!                                         and sleeps, holding the lock
//! subprocesses-child await-release LOCK   waits until LOCK.ready exists and LOCK
//!                                         can be locked, prints "released"
//! ```
//!
//! Nothing waits forever: a child that waits gives up after [`GIVE_UP`]
//! (exit code 2), and `hang` ends by itself after [`GIVE_UP`] too, so a
//! child that a wrong answer leaves behind does not run for ever.
//!
//! The lock is the tests' window on a child's life: the operating system
//! releases a process's file locks when it ends, so "LOCK can be locked
//! again" means "the child that held it is gone", on Linux, macOS and
//! Windows alike.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How long any waiting child waits at most.
const GIVE_UP: Duration = Duration::from_secs(10);

/// How often a waiting child looks again.
const POLL: Duration = Duration::from_millis(5);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words = |from: usize| args.get(from..).unwrap_or_default().join(" ");
    match args.first().map(String::as_str) {
        Some("echo") => {
            println!("{}", words(1));
            ExitCode::SUCCESS
        }
        Some("late") => {
            pause(Duration::from_millis(number(&args, 1)));
            println!("{}", words(2));
            ExitCode::SUCCESS
        }
        Some("fail") => {
            eprintln!("{}", words(2));
            ExitCode::from(u8::try_from(number(&args, 1)).unwrap_or(1))
        }
        Some("flood") => flood(usize::try_from(number(&args, 1)).unwrap_or(0)),
        Some("meet") => meet(&path(&args, 1), number(&args, 2), &words(3)),
        Some("hang") => hang(&path(&args, 1)),
        Some("await-release") => await_release(&path(&args, 1)),
        _ => {
            eprintln!("usage: see katas/39-subprocesses/child/main.rs");
            ExitCode::from(64)
        }
    }
}

fn number(args: &[String], at: usize) -> u64 {
    args.get(at).and_then(|n| n.parse().ok()).unwrap_or(0)
}

fn path(args: &[String], at: usize) -> PathBuf {
    PathBuf::from(args.get(at).map(String::as_str).unwrap_or_default())
}

/// Sleeps the whole process: this is a child program with no async worker
/// to block, so a plain `thread::sleep` is exactly right here.
#[allow(
    clippy::disallowed_methods,
    reason = "a plain program, not async code: there is no worker to block"
)]
fn pause(duration: Duration) {
    std::thread::sleep(duration);
}

/// Waits until `ready` says yes, looking every [`POLL`]; false after
/// [`GIVE_UP`].
fn wait_until(mut ready: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while !ready() {
        if start.elapsed() > GIVE_UP {
            return false;
        }
        pause(POLL);
    }
    true
}

/// Fills stderr first, then stdout: a parent that reads stdout to its end
/// before it reads stderr waits for this child, which waits for it.
fn flood(bytes: usize) -> ExitCode {
    let written = std::io::stderr()
        .write_all(&vec![b'e'; bytes])
        .and_then(|()| std::io::stdout().write_all(&vec![b'o'; bytes]));
    if written.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn meet(dir: &Path, count: u64, name: &str) -> ExitCode {
    if File::create(dir.join(name)).is_err() {
        return ExitCode::from(1);
    }
    let everyone_is_here =
        || fs::read_dir(dir).is_ok_and(|entries| entries.count() as u64 >= count);
    if wait_until(everyone_is_here) {
        println!("met {count}");
        ExitCode::SUCCESS
    } else {
        eprintln!("gave up waiting for {count} children in {}", dir.display());
        ExitCode::from(2)
    }
}

fn ready_file(lock: &Path) -> PathBuf {
    let mut name = lock.as_os_str().to_owned();
    name.push(".ready");
    PathBuf::from(name)
}

fn hang(lock: &Path) -> ExitCode {
    let Ok(file) = File::create(lock) else {
        return ExitCode::from(1);
    };
    if file.lock().is_err() || File::create(ready_file(lock)).is_err() {
        return ExitCode::from(1);
    }
    // Holds the lock (the file stays open) until it is killed, or gives up.
    pause(GIVE_UP);
    drop(file);
    ExitCode::from(2)
}

fn await_release(lock: &Path) -> ExitCode {
    let released = wait_until(|| {
        ready_file(lock).exists()
            && File::options()
                .write(true)
                .open(lock)
                .is_ok_and(|file| file.try_lock().is_ok())
    });
    if released {
        println!("released");
        ExitCode::SUCCESS
    } else {
        eprintln!("{} was never released", lock.display());
        ExitCode::from(2)
    }
}
