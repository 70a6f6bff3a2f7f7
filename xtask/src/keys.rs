//! One-letter commands for `watch`, read on a thread of their own.
//!
//! On a terminal each key acts at once, as in rustlings: no Enter needed.
//! Elsewhere (a pipe, a script, an editor's task runner) commands come one per
//! line, so `echo q | cargo xtask watch` works too.

use std::io::{BufRead, IsTerminal};
use std::sync::mpsc::Sender;

/// How commands are typed, for the prompt to say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyInput {
    /// Each key acts as it is pressed.
    SingleKeys,
    /// A command is a line: a letter, then Enter.
    Lines,
}

/// Starts the reader thread; every command is sent as `wrap(text)`, and
/// `at_end` when standard input ends.
///
/// The returned guard puts the terminal back as it found it when dropped:
/// the reader switches the terminal to raw mode while it waits for a key, so
/// leaving `watch` in the middle of that wait must undo it.
pub fn read_commands<T: Send + 'static>(
    sender: Sender<T>,
    wrap: fn(String) -> T,
    at_end: T,
) -> (KeyInput, Option<TerminalGuard>) {
    let term = console::Term::stdout();
    if std::io::stdin().is_terminal() && term.is_term() {
        let guard = TerminalGuard::save();
        std::thread::spawn(move || {
            // Ctrl-C is not a key here: `read_key` raises SIGINT for it,
            // after restoring the terminal itself.
            while let Ok(key) = term.read_key() {
                if let console::Key::Char(c) = key
                    && sender.send(wrap(c.to_string())).is_err()
                {
                    break;
                }
            }
        });
        (KeyInput::SingleKeys, guard)
    } else {
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if sender.send(wrap(line)).is_err() {
                    return;
                }
            }
            // Nobody is left to type `q`: say so, rather than watch forever.
            let _ = sender.send(at_end);
        });
        (KeyInput::Lines, None)
    }
}

/// The settings saved by the live [`TerminalGuard`], for [`restore_terminal`].
#[cfg(unix)]
static SAVED: std::sync::Mutex<Option<libc::termios>> = std::sync::Mutex::new(None);

/// Puts the terminal back as `watch` found it, if `watch` changed it: for
/// an exit that skips destructors (a signal).
pub fn restore_terminal() {
    #[cfg(unix)]
    if let Some(saved) = *SAVED.lock().unwrap_or_else(|e| e.into_inner()) {
        // SAFETY: `saved` came from `tcgetattr` on the same descriptor.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &saved);
        }
    }
}

/// The terminal's settings when `watch` started, restored on drop.
#[derive(Debug)]
pub struct TerminalGuard {
    #[cfg(unix)]
    saved: libc::termios,
}

impl TerminalGuard {
    #[cfg(unix)]
    fn save() -> Option<TerminalGuard> {
        let mut saved = std::mem::MaybeUninit::<libc::termios>::uninit();
        // SAFETY: `tcgetattr` fills the struct it is given when it returns 0,
        // and only then is it read.
        let guard = unsafe {
            (libc::tcgetattr(libc::STDIN_FILENO, saved.as_mut_ptr()) == 0).then(|| TerminalGuard {
                saved: saved.assume_init(),
            })
        };
        if let Some(guard) = &guard {
            *SAVED.lock().unwrap_or_else(|e| e.into_inner()) = Some(guard.saved);
        }
        guard
    }

    #[cfg(not(unix))]
    fn save() -> Option<TerminalGuard> {
        None
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: `saved` came from `tcgetattr` on the same descriptor.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved);
            *SAVED.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }
}
