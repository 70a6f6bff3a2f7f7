//! `cargo xtask watch`: check the current kata on every save, move on when it
//! passes, and take one-letter commands meanwhile (see [`crate::keys`]).
//!
//! Where file watching is unavailable (no inotify, a network file system),
//! watching falls back to polling, and `r` re-runs by hand in any case.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use anyhow::Result;
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::commands::{hint, list, next::introduce};
use crate::keys::{KeyInput, read_commands};
use crate::render;
use crate::session::Session;

enum Input {
    Changed(Vec<PathBuf>),
    Key(String),
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
    let (key_input, _terminal) = read_commands(sender, Input::Key);

    let mut fresh = false;
    loop {
        if session.ui.interactive {
            // Clear the screen so the latest verdict is the only one in view.
            print!("\x1b[2J\x1b[H");
        }
        let checked = session.check(&[index], fresh, &mut |_, _| {})?.remove(0);
        let (outcome, warnings) = (checked.outcome, checked.warnings);
        let kata = &session.katas[index];
        let ui = session.ui;
        print!("{}", render::outcome_details(ui, kata, &outcome));
        print!(
            "{}",
            render::warnings(ui, &warnings, "from the compiler on this kata")
        );
        if outcome.passed() {
            let advice = session.clippy_advice(index, &warnings)?;
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
        loop {
            match next_input(&inputs) {
                None => return Ok(true),
                Some(Input::Changed(paths)) => {
                    if paths
                        .iter()
                        .any(|p| p.starts_with(&session.katas[index].dir))
                    {
                        break;
                    }
                }
                Some(Input::Key(key)) => match key.trim() {
                    "q" | "quit" => return Ok(true),
                    "r" => {
                        fresh = true;
                        break;
                    }
                    "h" => {
                        let slug = session.katas[index].meta.slug.clone();
                        hint::run(session, Some(&slug))?;
                        prompt(session, key_input);
                    }
                    "n" => {
                        index = (index + 1) % session.katas.len();
                        session.set_current(index);
                        session.state.save(&session.root)?;
                        print!("\n{}", introduce(session, index));
                        prompt(session, key_input);
                    }
                    "l" => {
                        list::run(session)?;
                        prompt(session, key_input);
                    }
                    "" => {}
                    other => {
                        println!("Unknown command {other:?}.");
                        prompt(session, key_input);
                    }
                },
            }
        }
    }
}

fn prompt(session: &Session, key_input: KeyInput) {
    if session.ui.interactive {
        let then = match key_input {
            KeyInput::SingleKeys => "",
            KeyInput::Lines => ", then Enter",
        };
        println!(
            "\n{}",
            session.ui.dim(format!(
                "Watching for saves. [h]int · [n]ext kata · [r]e-run · [l]ist · [q]uit{then}"
            ))
        );
    }
}

/// The next input; a burst of file changes comes back as one. `None` once
/// every source of input is gone.
fn next_input(inputs: &Receiver<Input>) -> Option<Input> {
    match inputs.recv().ok()? {
        Input::Changed(mut paths) => {
            while let Ok(more) = inputs.recv_timeout(SETTLE) {
                match more {
                    Input::Changed(more_paths) => paths.extend(more_paths),
                    key @ Input::Key(_) => return Some(key),
                }
            }
            Some(Input::Changed(paths))
        }
        key => Some(key),
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
