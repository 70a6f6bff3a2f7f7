//! The kata runner behind `cargo xtask`.
//!
//! - [`katas`] finds the katas and reads their metadata;
//! - [`cargo`] runs every child process (cargo, test binaries, git);
//! - [`runner`] checks many crates with one build, emitting [`runner::Event`]s;
//! - [`render`] and the report command draw those events and verdicts;
//! - [`state`] keeps the learner's progress; [`fingerprint`] skips unchanged katas;
//! - [`commands`] holds one file per `cargo xtask` command; [`keys`] reads
//!   `watch`'s one-letter commands.

pub mod cargo;
pub mod children;
pub mod classroom;
pub mod cli;
pub mod commands;
pub mod failure;
pub mod fingerprint;
pub mod katas;
pub mod keys;
pub mod outcome;
pub mod patch;
pub mod pitfalls;
pub mod render;
pub mod runner;
pub mod session;
pub mod snippets;
pub mod state;
pub mod ui;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::*;
use crate::session::Session;

/// Exit codes: 0 when what was asked for passes, 1 when it runs but does not
/// pass (a failing kata, an unsound kata), 2 when the runner itself cannot do
/// what was asked (bad input, cargo missing).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    children::stop_with_the_runner(keys::restore_terminal);
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<bool> {
    let mut session = Session::open(Duration::from_secs(cli.time_limit))?;
    match cli.command {
        Command::List => list::run(&session),
        Command::Check { kata, fresh } => check::run(&mut session, kata.as_deref(), fresh),
        Command::Progress { fresh } => progress::run(&mut session, fresh),
        Command::Watch { kata } => watch::run(&mut session, kata.as_deref()),
        Command::Next => next::run(&mut session),
        Command::Hint { kata } => hint::run(&mut session, kata.as_deref()),
        Command::Solution { kata, force } => solution::run(&mut session, kata.as_deref(), force),
        Command::Reset {
            kata,
            list,
            restore,
        } => {
            let action = match (list, restore) {
                (true, _) => reset::Action::List,
                (false, Some(backup)) => reset::Action::Restore(backup),
                (false, None) => reset::Action::Reset,
            };
            reset::run(&mut session, kata.as_deref(), action)
        }
        Command::Verify {
            katas,
            repeat,
            fresh,
        } => verify::run(
            &mut session,
            &verify::Options {
                katas,
                repeat,
                fresh,
            },
        ),
        Command::Python { katas, python } => python::run(&session, &katas, python.as_deref()),
        Command::Report {
            format,
            output,
            manifest_sha256,
        } => report::run(
            &mut session,
            format,
            output.as_deref(),
            manifest_sha256.as_deref(),
        ),
        Command::Classroom {
            dir,
            katas,
            hold_back_last_hint,
            points,
        } => commands::classroom::run(
            &session,
            &commands::classroom::Options {
                dir,
                katas,
                hold_back_last_hint,
                points,
            },
        ),
    }
}
