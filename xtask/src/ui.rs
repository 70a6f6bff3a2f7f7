//! How output looks: colour and progress bars only on a terminal, and never
//! when `NO_COLOR` is set (https://no-color.org).

use std::fmt::Display;
use std::io::IsTerminal;

use owo_colors::OwoColorize;

use crate::outcome::Status;

#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// Colour on stdout.
    pub color: bool,
    /// A person at a terminal: prompts and single keys make sense.
    pub interactive: bool,
    /// Draw progress bars: a terminal, and no `NO_COLOR` (which the README
    /// promises turns the bar off too).
    pub progress_bar: bool,
}

impl Ui {
    pub fn from_env() -> Ui {
        Ui::decide(Env {
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            dumb: std::env::var("TERM").is_ok_and(|t| t == "dumb"),
            forced: std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
            stdout_tty: std::io::stdout().is_terminal(),
            stderr_tty: std::io::stderr().is_terminal(),
        })
    }

    fn decide(env: Env) -> Ui {
        let interactive = env.stdout_tty && env.stderr_tty && !env.dumb;
        Ui {
            color: !env.no_color && (env.forced || (env.stdout_tty && !env.dumb)),
            interactive,
            progress_bar: interactive && !env.no_color,
        }
    }

    /// Plain text: for reports and tests.
    pub fn plain() -> Ui {
        Ui {
            color: false,
            interactive: false,
            progress_bar: false,
        }
    }

    pub fn green(&self, text: impl Display) -> String {
        self.paint(text, |t| t.green().to_string())
    }

    pub fn red(&self, text: impl Display) -> String {
        self.paint(text, |t| t.red().to_string())
    }

    pub fn yellow(&self, text: impl Display) -> String {
        self.paint(text, |t| t.yellow().to_string())
    }

    pub fn bold(&self, text: impl Display) -> String {
        self.paint(text, |t| t.bold().to_string())
    }

    pub fn dim(&self, text: impl Display) -> String {
        self.paint(text, |t| t.dimmed().to_string())
    }

    fn paint(&self, text: impl Display, style: impl Fn(&String) -> String) -> String {
        let text = text.to_string();
        if self.color { style(&text) } else { text }
    }

    /// A status word, with its mark, coloured by how good it is.
    pub fn status(&self, status: Status) -> String {
        let word = format!("{} {}", mark(status), status.label());
        match status {
            Status::Passed => self.green(word),
            Status::Failing | Status::DoesNotCompile | Status::TimedOut => self.red(word),
            Status::NotChecked => self.dim(word),
        }
    }
}

/// What decides how output looks.
#[derive(Debug, Clone, Copy, Default)]
struct Env {
    no_color: bool,
    dumb: bool,
    forced: bool,
    stdout_tty: bool,
    stderr_tty: bool,
}

/// A mark that reads without colour too.
pub fn mark(status: Status) -> &'static str {
    match status {
        Status::Passed => "✓",
        Status::Failing => "✗",
        Status::DoesNotCompile => "✗",
        Status::TimedOut => "⧗",
        Status::NotChecked => "·",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TERMINAL: Env = Env {
        no_color: false,
        dumb: false,
        forced: false,
        stdout_tty: true,
        stderr_tty: true,
    };

    #[test]
    fn a_terminal_gets_colour_and_a_bar() {
        let ui = Ui::decide(TERMINAL);
        assert!(ui.color && ui.interactive && ui.progress_bar);
    }

    /// The README promises: never a bar (nor colour) with NO_COLOR.
    #[test]
    fn no_color_means_no_colour_and_no_bar_even_on_a_terminal() {
        let ui = Ui::decide(Env {
            no_color: true,
            ..TERMINAL
        });
        assert!(!ui.color && !ui.progress_bar);
        assert!(ui.interactive, "single keys in watch still make sense");
    }

    #[test]
    fn a_pipe_gets_plain_text() {
        let ui = Ui::decide(Env {
            stdout_tty: false,
            ..TERMINAL
        });
        assert!(!ui.color && !ui.interactive && !ui.progress_bar);
    }
}
