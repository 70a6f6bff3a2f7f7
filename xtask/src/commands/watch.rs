//! `cargo xtask watch`: check the current kata on every save, move on when it
//! passes, and take one-letter commands meanwhile (see [`crate::keys`]).
//!
//! The check runs on a thread of its own, so that `q` and `h` act at once even
//! while a build or a slow test is under way; other commands wait for the
//! verdict. Where file watching is unavailable (no inotify, a network file
//! system), watching falls back to polling, and `r` re-runs by hand in any case.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use anyhow::Result;
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::children;
use crate::commands::{hint, list, next::introduce};
use crate::keys::{KeyInput, read_commands};
use crate::render;
use crate::session::{Checked, Session};

enum Input {
    Changed(Vec<PathBuf>),
    Key(String),
    /// Standard input ended (a pipe closed, Ctrl-D): nobody is left to type.
    Closed,
}

/// What a typed command asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Hint,
    Next,
    Rerun,
    List,
    Quit,
    Nothing,
    Unknown(String),
}

const COMMANDS: &str = "h (hint) · n (next kata) · r (re-run) · l (list) · q (quit)";

fn parse(text: &str) -> Command {
    match text.trim().to_lowercase().as_str() {
        "h" | "hint" => Command::Hint,
        "n" | "next" => Command::Next,
        "r" | "run" | "rerun" | "re-run" => Command::Rerun,
        "l" | "list" => Command::List,
        "q" | "quit" | "exit" => Command::Quit,
        "" => Command::Nothing,
        other => Command::Unknown(other.to_owned()),
    }
}

/// How long to wait for more changes after one: an editor's save is often
/// several events (write, rename, touch).
const SETTLE: Duration = Duration::from_millis(150);

pub fn run(session: &mut Session, start: Option<&str>) -> Result<bool> {
    let mut index = session.chosen(start)?;
    session.set_current(index);
    let (sender, inputs) = mpsc::channel();
    let _watcher = watch_files(&session.root.join("katas"), sender.clone(), session);
    // Held until `watch` returns: it gives the terminal back as it was.
    let (key_input, _terminal) = read_commands(sender, Input::Key, Input::Closed);
    if key_input == KeyInput::Lines {
        // Nobody sees single-key prompts in a pipe: say once what it takes.
        println!("Commands, one per line: {COMMANDS}.");
    }

    let mut fresh = false;
    loop {
        if session.ui.interactive {
            // Clear the screen so the latest verdict is the only one in view.
            print!("\x1b[2J\x1b[H");
        }
        println!(
            "{}",
            session
                .ui
                .dim(format!("Checking {}…", session.katas[index].label()))
        );
        let mut waiting = Vec::new();
        let Some(checked) = check_live(session, index, fresh, &inputs, &mut waiting)? else {
            return Ok(true);
        };
        let kata = &session.katas[index];
        let ui = session.ui;
        print!("{}", render::outcome_details(ui, kata, &checked.outcome));
        print!(
            "{}",
            render::warnings(ui, &checked.warnings, "from the compiler on this kata")
        );
        if checked.outcome.passed() {
            let advice = session.clippy_advice(index, &checked.warnings)?;
            print!(
                "{}",
                render::warnings(
                    ui,
                    &advice,
                    "from clippy: your kata passes, and this is still worth fixing"
                )
            );
            println!("\n{}", render::solved(ui, &session.katas[index]));
            match session.first_not_passed() {
                Some(next) => {
                    index = next;
                    session.set_current(index);
                    session.state.save(&session.root)?;
                    println!("\nOn to the next one.\n\n{}", introduce(session, index));
                }
                None => {
                    println!("\nEvery kata passes. Well done!");
                    return Ok(true);
                }
            }
        }
        fresh = false;
        prompt(session, key_input);
        // Commands typed during the check come first, then new input.
        let mut waiting = waiting.into_iter();
        loop {
            let input = match waiting.next() {
                Some(input) => input,
                None => match next_input(&inputs) {
                    Some(input) => input,
                    None => return Ok(true),
                },
            };
            match input {
                Input::Changed(paths) => {
                    if paths
                        .iter()
                        .any(|p| p.starts_with(&session.katas[index].dir))
                    {
                        break;
                    }
                }
                Input::Closed => {
                    println!("End of input: watch stops.");
                    return Ok(true);
                }
                Input::Key(key) => match parse(&key) {
                    Command::Quit => return Ok(true),
                    Command::Rerun => {
                        fresh = true;
                        break;
                    }
                    Command::Hint => {
                        let slug = session.katas[index].meta.slug.clone();
                        hint::run(session, Some(&slug))?;
                        prompt(session, key_input);
                    }
                    Command::Next => {
                        index = (index + 1) % session.katas.len();
                        session.set_current(index);
                        session.state.save(&session.root)?;
                        print!("\n{}", introduce(session, index));
                        break;
                    }
                    Command::List => {
                        list::run(session)?;
                        prompt(session, key_input);
                    }
                    Command::Nothing => {}
                    Command::Unknown(other) => {
                        say_unknown(&other);
                        prompt(session, key_input);
                    }
                },
            }
        }
    }
}

/// Checks a kata on a thread of its own while the keys stay live: `q`
/// stops the check (and every process it started) and ends `watch` (`None`);
/// `h` shows the next hint at once, and a typo is named at once. Other
/// commands are kept in `waiting` for after the verdict; saves during the
/// check are news for the next one.
fn check_live(
    session: &mut Session,
    index: usize,
    fresh: bool,
    inputs: &Receiver<Input>,
    waiting: &mut Vec<Input>,
) -> Result<Option<Checked>> {
    let ui = session.ui;
    let kata = session.katas[index].clone();
    let mut hints_seen = session
        .state
        .katas
        .get(&kata.meta.slug)
        .map_or(0, |s| s.hints_shown);
    let mut quit = false;
    let checked = std::thread::scope(|scope| {
        let check = scope.spawn(|| session.check(&[index], fresh, &mut |_, _| {}));
        while !check.is_finished() {
            match inputs.recv_timeout(Duration::from_millis(50)) {
                Ok(Input::Key(_)) if quit => {}
                Ok(Input::Key(key)) => match parse(&key) {
                    Command::Quit => {
                        // The check ends as soon as its children are gone.
                        quit = true;
                        println!("Stopping…");
                        children::stop_all();
                    }
                    Command::Hint => {
                        hints_seen = (hints_seen + 1).min(kata.meta.hints.len());
                        print!("{}", hint::hints(ui, &kata, hints_seen));
                    }
                    // Said at once: waiting for the verdict would answer a
                    // typo after a later `q` had already ended `watch`.
                    Command::Unknown(other) => {
                        say_unknown(&other);
                    }
                    _ => waiting.push(Input::Key(key)),
                },
                Ok(Input::Closed) => waiting.push(Input::Closed),
                Ok(Input::Changed(_)) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        check.join().expect("the check does not panic")
    });
    let state = session.state.kata(&kata.meta.slug);
    state.hints_shown = state.hints_shown.max(hints_seen);
    session.state.save(&session.root)?;
    if quit {
        return Ok(None);
    }
    Ok(Some(checked?.remove(0)))
}

fn say_unknown(command: &str) {
    println!("Unknown command {command:?}. Commands: {COMMANDS}.");
}

fn prompt(session: &Session, key_input: KeyInput) {
    let text = match key_input {
        KeyInput::SingleKeys => format!("Watching for saves. {COMMANDS}"),
        KeyInput::Lines => format!("Watching for saves. Type a command and Enter: {COMMANDS}"),
    };
    println!("\n{}", session.ui.dim(text));
}

/// The next input; a burst of file changes comes back as one. `None` once
/// every source of input is gone.
fn next_input(inputs: &Receiver<Input>) -> Option<Input> {
    match inputs.recv().ok()? {
        Input::Changed(mut paths) => {
            while let Ok(more) = inputs.recv_timeout(SETTLE) {
                match more {
                    Input::Changed(more_paths) => paths.extend(more_paths),
                    other => return Some(other),
                }
            }
            Some(Input::Changed(paths))
        }
        other => Some(other),
    }
}

/// Watches `dir` with the system's notifications, else by polling it.
fn watch_files(dir: &Path, sender: Sender<Input>, session: &Session) -> Option<Box<dyn Watcher>> {
    let handler = move |event: notify::Result<notify::Event>| {
        // Reading a file is an event too (the runner reads every file it
        // fingerprints); only a write, a new file or a removal is news.
        if let Some(event) = event.ok().filter(|e| !e.kind.is_access()) {
            // The loop may have ended; then nobody needs the news.
            let _ = sender.send(Input::Changed(event.paths));
        }
    };
    let native = RecommendedWatcher::new(handler.clone(), notify::Config::default())
        .map(|w| Box::new(w) as Box<dyn Watcher>);
    let mut watcher = match native {
        Ok(watcher) => watcher,
        Err(err) => {
            eprintln!("File notifications are unavailable ({err}); polling every second instead.");
            let config = notify::Config::default().with_poll_interval(Duration::from_secs(1));
            match PollWatcher::new(handler, config) {
                Ok(watcher) => Box::new(watcher),
                Err(err) => {
                    eprintln!(
                        "{} cannot watch files ({err}): press r to re-run.",
                        session.ui.yellow("warning:")
                    );
                    return None;
                }
            }
        }
    };
    if let Err(err) = watcher.watch(dir, RecursiveMode::Recursive) {
        eprintln!(
            "{} cannot watch {} ({err}): press r to re-run.",
            session.ui.yellow("warning:"),
            dir.display()
        );
        return None;
    }
    Some(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_words_are_commands_and_anything_else_is_named() {
        assert_eq!(parse("h"), Command::Hint);
        assert_eq!(parse("hint\n"), Command::Hint);
        assert_eq!(parse("Q"), Command::Quit);
        assert_eq!(parse("next"), Command::Next);
        assert_eq!(parse(" "), Command::Nothing);
        assert_eq!(parse("solve it"), Command::Unknown("solve it".to_owned()));
    }
}
