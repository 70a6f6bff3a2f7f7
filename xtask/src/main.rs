fn main() -> std::process::ExitCode {
    restore_default_sigpipe();
    xtask::main()
}

/// Rust ignores SIGPIPE, so `cargo xtask list | head` would panic in
/// `println!` once `head` has read enough. A command-line tool should stop
/// quietly instead, as `ls | head` does: restore the default action.
#[cfg(unix)]
fn restore_default_sigpipe() {
    // SAFETY: called first thing in `main`, before any other thread exists;
    // setting a signal's action to the default has no other precondition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_default_sigpipe() {}
