//! What a person reads: the progress bar while katas are checked, the details
//! of one kata's verdict, and the summary over all katas. Each draws from the
//! runner's events and verdicts; none of them runs anything.

use std::collections::BTreeMap;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::katas::Kata;
use crate::outcome::{Outcome, Status, TIMEOUT_CAUSES, TestResult};
use crate::runner::Event;
use crate::ui::{Ui, mark};

/// A progress bar on stderr while katas are built and tested; nothing at all
/// when stderr is not a terminal.
pub struct ProgressView {
    bar: ProgressBar,
}

impl ProgressView {
    pub fn new(ui: Ui, total: usize) -> ProgressView {
        let bar = if ui.interactive {
            ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        let style = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
            .expect("the template is valid")
            .progress_chars("=> ");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(100));
        ProgressView { bar }
    }

    /// Katas whose verdicts were reused count as done from the start.
    pub fn skip(&self, count: usize) {
        self.bar.inc(count as u64);
    }

    pub fn on_event(&self, katas: &[Kata], kata: usize, event: &Event) {
        match event {
            Event::Building { count } => self.bar.set_message(format!("building {count} katas")),
            Event::Compiled { .. } => {
                self.bar
                    .set_message(format!("compiled {}", katas[kata].label()));
            }
            Event::Testing { count } => self.bar.set_message(format!("testing {count} katas")),
            Event::Finished { .. } => {
                self.bar.inc(1);
                self.bar
                    .set_message(format!("checked {}", katas[kata].label()));
            }
        }
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// How many failing tests `check` shows in full.
const SHOWN_FAILURES: usize = 3;

/// A test's output, cut to a readable length.
fn truncate(message: &str) -> String {
    const MAX_LINES: usize = 30;
    const MAX_LINE: usize = 300;
    let lines: Vec<&str> = message.lines().collect();
    let mut out: Vec<String> = lines
        .iter()
        .take(MAX_LINES)
        .map(|line| match line.char_indices().nth(MAX_LINE) {
            Some((cut, _)) => format!("{}…", &line[..cut]),
            None => (*line).to_owned(),
        })
        .collect();
    if lines.len() > MAX_LINES {
        out.push(format!("… ({} more lines)", lines.len() - MAX_LINES));
    }
    out.join("\n")
}

/// One line per kata: mark, number, slug, status.
pub fn kata_line(ui: Ui, kata: &Kata, status: Status) -> String {
    format!(
        "{} {:<28} {}",
        ui.bold(format!("{:02}", kata.meta.number)),
        kata.meta.slug,
        ui.status(status)
    )
}

/// The details of one kata's verdict, as `check` and `watch` show them.
pub fn outcome_details(ui: Ui, kata: &Kata, outcome: &Outcome) -> String {
    let mut out = String::new();
    let title = format!("{} · {}", kata.label(), kata.meta.title);
    match outcome {
        Outcome::Passed { tests } => {
            out += &format!(
                "{} {title}: all {} tests pass.\n",
                ui.green(mark(Status::Passed)),
                tests.len()
            );
        }
        Outcome::Failed { tests } => {
            let mut failed: Vec<_> = tests
                .iter()
                .filter(|t| t.result == TestResult::Failed)
                .collect();
            failed.sort_by(|a, b| a.name.cmp(&b.name));
            out += &format!(
                "{} {title}: {} of {} tests fail.\n",
                ui.red(mark(Status::Failing)),
                failed.len(),
                tests.len()
            );
            let mut sorted: Vec<_> = tests.iter().collect();
            sorted.sort_by(|a, b| a.name.cmp(&b.name));
            for test in sorted {
                let line = match test.result {
                    TestResult::Passed => ui.green(format!("  ✓ {}", test.name)),
                    TestResult::Failed => ui.red(format!("  ✗ {}", test.name)),
                    TestResult::Ignored => ui.dim(format!("  - {} (ignored)", test.name)),
                    TestResult::Unfinished => ui.yellow(format!("  ⧗ {}", test.name)),
                };
                out += &line;
                out.push('\n');
            }
            // The first few failures in full; more would scroll the first
            // (often the simplest to fix) out of sight.
            for test in failed.iter().take(SHOWN_FAILURES) {
                out += &format!("\n{}\n", ui.bold(format!("── {} ──", test.name)));
                out += &truncate(test.message.as_deref().unwrap_or("(it printed nothing)"));
                out.push('\n');
            }
            if failed.len() > SHOWN_FAILURES {
                out += &ui.dim(format!(
                    "\n…and {}: `cargo test -p {}` shows them all.\n",
                    counted(failed.len() - SHOWN_FAILURES, "more failing test"),
                    kata.meta.slug
                ));
            }
        }
        Outcome::DoesNotCompile { diagnostics } => {
            out += &format!(
                "{} {title}: does not compile.\n\n",
                ui.red(mark(Status::DoesNotCompile))
            );
            for diagnostic in diagnostics {
                out += diagnostic.trim_end();
                out += "\n\n";
            }
        }
        Outcome::TimedOut { limit_secs, tests } => {
            out += &format!(
                "{} {title}: still running after {limit_secs} s of wall-clock time, so it was stopped \
                 (`--time-limit` changes the limit).\n",
                ui.red(mark(Status::TimedOut)),
            );
            let unfinished: Vec<_> = tests
                .iter()
                .filter(|t| t.result == TestResult::Unfinished)
                .map(|t| t.name.as_str())
                .collect();
            if !unfinished.is_empty() {
                out += &format!("Never finished: {}\n", unfinished.join(", "));
            }
            out += "The tests run on tokio's paused clock, so a hang means that no task could make progress. Likely causes:\n";
            for cause in TIMEOUT_CAUSES {
                out += &format!("  - {cause}\n");
            }
        }
        Outcome::Crashed { detail, .. } => {
            out += &format!(
                "{} {title}: the test binary crashed ({detail}).\n",
                ui.red(mark(Status::Failing))
            );
        }
        Outcome::CouldNotRun { reason } => {
            out += &format!("{} {title}: could not be run: {reason}\n", ui.red("!"));
        }
    }
    out
}

/// The summary over all katas: a line each, a line per track, and the share solved.
pub fn summary(ui: Ui, katas: &[Kata], statuses: &[Status]) -> String {
    let mut out = String::new();
    let mut tracks: BTreeMap<u32, (&str, usize, usize)> = BTreeMap::new();
    for (kata, &status) in katas.iter().zip(statuses) {
        out += &kata_line(ui, kata, status);
        out.push('\n');
        // Tracks are ordered by their first kata.
        let first_number = katas
            .iter()
            .find(|k| k.meta.track == kata.meta.track)
            .map_or(0, |k| k.meta.number);
        let entry = tracks
            .entry(first_number)
            .or_insert((kata.meta.track.as_str(), 0, 0));
        entry.2 += 1;
        if status == Status::Passed {
            entry.1 += 1;
        }
    }
    out.push('\n');
    for (name, solved, total) in tracks.values() {
        out += &format!("{:<40} {solved:>3}/{total}\n", format!("Track: {name}"));
    }
    let solved = statuses.iter().filter(|&&s| s == Status::Passed).count();
    let percent = (solved * 100).checked_div(katas.len()).unwrap_or(0);
    out += &ui.bold(format!(
        "\n{solved}/{} katas solved ({percent}%)\n",
        katas.len()
    ));
    out
}

/// "1 kata", "3 katas": `noun` with its count, plural when it is not one.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::katas::{Level, Meta};
    use crate::outcome::TestCase;

    fn kata(number: u32, slug: &str, track: &str) -> Kata {
        Kata {
            meta: Meta {
                number,
                slug: slug.into(),
                title: format!("The {slug} kata"),
                level: Level::Basic,
                track: track.into(),
                source: "000".into(),
                question: "Why?".into(),
                hints: vec![],
            },
            dir: PathBuf::from(format!("katas/{number:02}-{slug}")),
            solution_dir: PathBuf::from(format!("solutions/{number:02}-{slug}")),
        }
    }

    #[test]
    fn the_summary_counts_each_track_and_the_share_solved() {
        let katas = [
            kata(1, "a", "One"),
            kata(2, "b", "One"),
            kata(3, "c", "Two"),
        ];
        let statuses = [Status::Passed, Status::Failing, Status::DoesNotCompile];

        let text = summary(Ui::plain(), &katas, &statuses);

        assert!(
            text.contains("01 a                            ✓ passed"),
            "{text}"
        );
        assert!(
            text.contains("03 c                            ✗ does not compile"),
            "{text}"
        );
        assert!(
            text.contains("Track: One                                 1/2"),
            "{text}"
        );
        assert!(
            text.contains("Track: Two                                 0/1"),
            "{text}"
        );
        assert!(text.contains("1/3 katas solved (33%)"), "{text}");
    }

    #[test]
    fn a_timeout_names_the_unfinished_tests_and_the_likely_causes() {
        let outcome = Outcome::TimedOut {
            limit_secs: 10,
            tests: vec![TestCase {
                name: "waits_forever".into(),
                result: TestResult::Unfinished,
                message: None,
            }],
        };

        let text = outcome_details(Ui::plain(), &kata(7, "promise", "One"), &outcome);

        assert!(text.contains("still running after 10 s"), "{text}");
        assert!(text.contains("Never finished: waits_forever"), "{text}");
        assert!(text.contains("lock held across `.await`"), "{text}");
    }

    #[test]
    fn only_the_first_failures_are_shown_in_full() {
        let tests = (0..5)
            .map(|i| TestCase {
                name: format!("t{i}"),
                result: TestResult::Failed,
                message: Some(format!("panic number {i}")),
            })
            .collect();

        let text = outcome_details(
            Ui::plain(),
            &kata(1, "a", "One"),
            &Outcome::Failed { tests },
        );

        assert!(text.contains("5 of 5 tests fail"), "{text}");
        assert!(text.contains("panic number 2"), "{text}");
        assert!(!text.contains("panic number 3"), "{text}");
        assert!(text.contains("…and 2 more failing tests"), "{text}");
    }
}
