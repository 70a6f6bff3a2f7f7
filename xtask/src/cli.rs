//! The command line. The `///` docs are the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The async-Rust kata runner.
///
/// Work through the katas in order: `cargo xtask watch` re-checks the current
/// kata on every save and moves on when it passes.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, arg_required_else_help = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Kill a kata's tests after this many seconds of wall-clock time.
    #[arg(long, global = true, default_value_t = 10, value_name = "SECONDS")]
    pub time_limit: u64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every kata with its number, title, level, track and last known status.
    List,
    /// Check one kata: which tests fail and why, or what the compiler says.
    Check {
        /// A kata number, slug or directory (default: the current kata).
        kata: Option<String>,
        /// Run again even if nothing changed since the last check.
        #[arg(long)]
        fresh: bool,
    },
    /// Check every kata in one build and show how far you are.
    Progress {
        /// Run every kata again even if nothing changed.
        #[arg(long)]
        fresh: bool,
    },
    /// Re-check the current kata on every save; move on when it passes.
    Watch {
        /// Start at this kata (default: the current kata).
        kata: Option<String>,
    },
    /// Move to the next kata not yet passed and show what it asks.
    Next,
    /// Reveal one more hint (gentlest first).
    Hint {
        /// A kata number, slug or directory (default: the current kata).
        kata: Option<String>,
    },
    /// Show the reference solution and the classic wrong answers, once your
    /// kata passes.
    Solution {
        /// A kata number, slug or directory (default: the current kata).
        kata: Option<String>,
        /// Show it even though your kata does not pass yet.
        #[arg(long)]
        force: bool,
    },
    /// Put a kata back as it was handed out (every file of it); your version
    /// is backed up first. Needs the repository's git history.
    Reset {
        /// A kata number, slug or directory (default: the current kata).
        kata: Option<String>,
        /// List the backups of the kata instead.
        #[arg(long, conflicts_with = "restore")]
        list: bool,
        /// Put this backup back instead (what is there now is saved first).
        #[arg(long, value_name = "BACKUP")]
        restore: Option<String>,
    },
    /// For maintainers: prove every kata sound (solutions pass, skeletons and
    /// pitfalls fail, metadata, READMEs, lints and formatting in order).
    Verify {
        /// Only these katas (default: all).
        katas: Vec<String>,
        /// Run each solution and pitfall this many times; a pitfall that
        /// escapes any run is reported (caught by luck is not caught).
        #[arg(long, default_value_t = 1, value_name = "N")]
        repeat: usize,
        /// Re-run everything, even verdicts whose inputs have not changed
        /// since they passed.
        #[arg(long)]
        fresh: bool,
    },
    /// For maintainers: run every README's Python program and check that it
    /// prints what its `# prints:` comments say.
    Python {
        /// Only these katas (default: all).
        katas: Vec<String>,
        /// The Python to run (default: `python3`); the katas target 3.11 to 3.13.
        #[arg(long, value_name = "PATH")]
        python: Option<PathBuf>,
    },
    /// Per-kata and per-test results for CI or a classroom.
    Report {
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write the report here instead of to standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// In a classroom copy: the digest of the manifest as handed out (the
        /// grading workflow passes it); every kata is tampered if it differs.
        #[arg(long, value_name = "SHA256")]
        manifest_sha256: Option<String>,
    },
    /// For teachers: write a student template (no solutions, a grading
    /// workflow with points per kata, a manifest of the files students must
    /// not change) into a new directory.
    Classroom {
        /// The new directory to write the template into.
        dir: PathBuf,
        /// Which katas: numbers, ranges (25-33), slugs or track names,
        /// separated by commas (default: all).
        #[arg(long, value_name = "SELECTION")]
        katas: Option<String>,
        /// Leave out each kata's last hint, which nearly gives the answer.
        #[arg(long)]
        hold_back_last_hint: bool,
        /// Points per level (default: basic=1,intermediate=2,advanced=3).
        #[arg(long, value_name = "LEVEL=POINTS,…")]
        points: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Junit,
    /// A Markdown table, e.g. for a CI job summary.
    Markdown,
    /// The result GitHub Classroom's grading reporter reads (base64 it).
    Classroom,
}
