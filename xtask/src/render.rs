//! What a person reads: the progress bar while katas are checked, the details
//! of one kata's verdict, and the summary over all katas. Each draws from the
//! runner's events and verdicts; none of them runs anything.

use std::collections::BTreeMap;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::failure;
use crate::katas::Kata;
use crate::outcome::{Outcome, Status, TIMEOUT_CAUSES, TestCase, TestResult};
use crate::runner::Event;
use crate::ui::{Ui, mark};

/// Progress while katas are built and tested, on stderr: a bar on a
/// terminal; elsewhere (a CI log, a pipe, `NO_COLOR`) plain lines, so that a
/// long cold build never looks like a hang.
pub struct ProgressView {
    bar: Option<ProgressBar>,
}

impl ProgressView {
    pub fn new(ui: Ui, total: usize) -> ProgressView {
        if !ui.progress_bar {
            return ProgressView { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
            .expect("the template is valid")
            .progress_chars("=> ");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(100));
        ProgressView { bar: Some(bar) }
    }

    /// Katas whose verdicts were reused count as done from the start.
    pub fn skip(&self, count: usize) {
        match &self.bar {
            Some(bar) => bar.inc(count as u64),
            None if count > 0 => eprintln!(
                "{} unchanged since their last check.",
                counted(count, "kata")
            ),
            None => {}
        }
    }

    /// One more done, silently (the caller reports verdicts itself).
    pub fn advance(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    pub fn on_event(&self, katas: &[Kata], kata: usize, event: &Event) {
        let Some(bar) = &self.bar else {
            if let Some(line) = plain_line(katas, kata, event) {
                eprintln!("{line}");
            }
            return;
        };
        match event {
            Event::Building { count } => {
                bar.set_message(format!("building {}", counted(*count, "kata")))
            }
            Event::Compiled { .. } => {
                bar.set_message(format!("compiled {}", katas[kata].label()));
            }
            Event::Testing { count } => {
                bar.set_message(format!("testing {}", counted(*count, "kata")))
            }
            Event::Finished { .. } => {
                bar.inc(1);
                bar.set_message(format!("checked {}", katas[kata].label()));
            }
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The line a CI log gets for an event: what is being built, then each
/// kata's verdict as it comes.
fn plain_line(katas: &[Kata], kata: usize, event: &Event) -> Option<String> {
    match event {
        Event::Building { count } => Some(format!(
            "Building {} (the first build compiles the dependencies too)…",
            counted(*count, "kata")
        )),
        Event::Compiled { .. } => None,
        Event::Testing { count } => Some(format!("Testing {}…", counted(*count, "kata"))),
        Event::Finished { outcome, .. } => {
            let status = outcome.status();
            Some(format!(
                "{} {}: {}",
                mark(status),
                katas[kata].label(),
                status.label()
            ))
        }
    }
}

/// How many failing tests `check` shows in full.
const SHOWN_FAILURES: usize = 3;

/// One line per kata: mark, number, slug, status, and its warnings if any.
pub fn kata_line(ui: Ui, kata: &Kata, status: Status, warnings: usize) -> String {
    let warned = if warnings > 0 {
        ui.yellow(format!(" ({})", counted(warnings, "warning")))
    } else {
        String::new()
    };
    format!(
        "{} {:<28} {}{warned}",
        ui.bold(format!("{:02}", kata.meta.number)),
        kata.meta.slug,
        ui.status(status)
    )
}

/// The compiler's (or clippy's) warnings on the learner's code, after the
/// verdict: a kata can pass its tests and still hold a future never awaited
/// or a blocking call, and the warning says so in words.
pub fn warnings(ui: Ui, warnings: &[String], from: &str) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n{} {} {from}:\n\n",
        ui.yellow("warning:"),
        counted(warnings.len(), "warning")
    );
    for warning in warnings {
        out += warning.trim_end();
        out += "\n\n";
    }
    out
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
            let failed = tests
                .iter()
                .filter(|t| t.result == TestResult::Failed)
                .count();
            out += &format!(
                "{} {title}: {failed} of {} tests fail.\n",
                ui.red(mark(Status::Failing)),
                tests.len()
            );
            out += &test_list(ui, kata, tests);
            out += &failures(ui, kata, tests);
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
            out += &test_list(ui, kata, tests);
            let order = test_order(kata);
            let mut unfinished: Vec<&TestCase> = tests
                .iter()
                .filter(|t| t.result == TestResult::Unfinished)
                .collect();
            unfinished.sort_by_key(|t| position(&order, &t.name));
            if !unfinished.is_empty() {
                let names: Vec<&str> = unfinished.iter().map(|t| t.name.as_str()).collect();
                out += &format!("\nNever finished: {}\n", names.join(", "));
            }
            out += "The tests run on tokio's paused clock, so a hang means that no task could make progress. Likely causes:\n";
            for cause in TIMEOUT_CAUSES {
                out += &format!("  - {cause}\n");
            }
            out += &failures(ui, kata, tests);
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

/// Every test of a kata with its mark, in the test file's order (simple to subtle).
fn test_list(ui: Ui, kata: &Kata, tests: &[TestCase]) -> String {
    let order = test_order(kata);
    let mut sorted: Vec<&TestCase> = tests.iter().collect();
    sorted.sort_by_key(|t| position(&order, &t.name));
    let mut out = String::new();
    for test in sorted {
        let line = match test.result {
            TestResult::Passed => ui.green(format!("  ✓ {}", test.name)),
            TestResult::Failed => ui.red(format!("  ✗ {}", test.name)),
            TestResult::Ignored => ui.dim(format!("  - {} (ignored)", test.name)),
            TestResult::Unfinished => ui.yellow(format!("  ⧗ {} (never finished)", test.name)),
        };
        out += &line;
        out.push('\n');
    }
    out
}

/// The failed tests' messages. Several tests stopped at the same place (the
/// `todo!()`s of a fresh skeleton, say) are said once; then the first few
/// others in full, in the test file's order.
fn failures(ui: Ui, kata: &Kata, tests: &[TestCase]) -> String {
    let order = test_order(kata);
    let mut failed: Vec<&TestCase> = tests
        .iter()
        .filter(|t| t.result == TestResult::Failed)
        .collect();
    failed.sort_by_key(|t| position(&order, &t.name));
    let own_panic = |test: &TestCase| {
        let parsed = failure::parse(test.message.as_deref().unwrap_or(""));
        parsed.own_panic(&test.name).cloned()
    };

    let mut out = String::new();
    let mut places: Vec<(String, Vec<&TestCase>)> = Vec::new();
    for test in &failed {
        if let Some(panic) = own_panic(test) {
            match places.iter_mut().find(|(at, _)| *at == panic.location) {
                Some((_, tests)) => tests.push(test),
                None => places.push((panic.location.clone(), vec![test])),
            }
        }
    }
    let mut said_once: Vec<&str> = Vec::new();
    // Whether some test gave up waiting (its own timeout on the paused clock).
    let mut gave_up = false;
    for (location, stopped) in places.iter().filter(|(_, t)| t.len() > 1) {
        let panic = own_panic(stopped[0]).expect("grouped by their panic");
        out += &format!(
            "\n{}\n",
            ui.bold(format!(
                "── {} tests stopped at {location} ──",
                stopped.len()
            ))
        );
        out += &panic.message;
        out.push('\n');
        if panic.is_todo() {
            out += &ui.yellow(format!(
                "That is a `todo!()` of the skeleton: replace it with your code ({location}).\n"
            ));
        }
        gave_up |= panic.is_test_timeout();
        let names: Vec<&str> = stopped.iter().map(|t| t.name.as_str()).collect();
        out += &ui.dim(format!("({})\n", names.join(", ")));
        said_once.extend(names);
    }

    let alone: Vec<&&TestCase> = failed
        .iter()
        .filter(|t| !said_once.contains(&t.name.as_str()))
        .collect();
    for test in alone.iter().take(SHOWN_FAILURES) {
        out += &format!("\n{}\n", ui.bold(format!("── {} ──", test.name)));
        out += &failure::arrange(test.message.as_deref().unwrap_or(""), &test.name);
        out.push('\n');
        gave_up |= own_panic(test).is_some_and(|p| p.is_test_timeout());
    }
    if gave_up {
        out += &ui.yellow(
            "\nA test gave up waiting: its own timeout ran out on tokio's paused clock, \
             where a hang costs no real time. Likely causes:\n",
        );
        for cause in TIMEOUT_CAUSES {
            out += &format!("  - {cause}\n");
        }
    }
    if alone.len() > SHOWN_FAILURES {
        out += &ui.dim(format!(
            "\n…and {}: `cargo test -p {}` shows them all.\n",
            counted(alone.len() - SHOWN_FAILURES, "more failing test"),
            kata.meta.slug
        ));
    }
    out
}

/// The kata's test names in the order its test file defines them.
fn test_order(kata: &Kata) -> Vec<String> {
    let text = std::fs::read_to_string(kata.test_file()).unwrap_or_default();
    text.split("fn ")
        .skip(1)
        .filter_map(|rest| rest.split_once('(').map(|(name, _)| name.trim().to_owned()))
        .collect()
}

/// Where a test stands in the file's order; unknown names go last.
fn position(order: &[String], name: &str) -> (usize, String) {
    let at = order.iter().position(|n| n == name).unwrap_or(usize::MAX);
    (at, name.to_owned())
}

/// What a learner can do once a kata passes.
pub fn solved(ui: Ui, kata: &Kata) -> String {
    if !kata.solution_file().is_file() {
        // A classroom copy: the reference stays with the teacher.
        return format!("{} `cargo xtask next` moves on.", ui.green("Well done."));
    }
    let pitfalls = crate::pitfalls::discover(kata).map_or(0, |p| p.len());
    let wrong_answers = if pitfalls > 0 {
        format!(
            " and the classic wrong answers to this question ({}, each with why its tests reject it: good interview material)",
            counted(pitfalls, "pitfall")
        )
    } else {
        String::new()
    };
    format!(
        "{} `cargo xtask solution {}` now shows the reference solution{wrong_answers}. `cargo xtask next` moves on.",
        ui.green("Well done."),
        kata.meta.slug
    )
}

/// The summary over all katas: a line each, a line per track, and the share
/// solved. `warnings` counts each kata's compiler warnings.
pub fn summary(ui: Ui, katas: &[Kata], statuses: &[Status], warnings: &[usize]) -> String {
    let mut out = String::new();
    let mut tracks: BTreeMap<u32, (&str, usize, usize)> = BTreeMap::new();
    for (i, (kata, &status)) in katas.iter().zip(statuses).enumerate() {
        out += &kata_line(ui, kata, status, warnings.get(i).copied().unwrap_or(0));
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
    // As wide as the longest track's name, so that the counts line up.
    let width = tracks
        .values()
        .map(|(name, ..)| format!("Track: {name}").chars().count())
        .max()
        .unwrap_or(0)
        .max(40);
    for (name, solved, total) in tracks.values() {
        out += &format!("{:<width$} {solved:>3}/{total}\n", format!("Track: {name}"));
    }
    let solved = statuses.iter().filter(|&&s| s == Status::Passed).count();
    let percent = (solved * 100).checked_div(katas.len()).unwrap_or(0);
    out += &ui.bold(format!(
        "\n{solved}/{} katas solved ({percent}%)\n",
        katas.len()
    ));
    out
}

/// Text set in under a heading line, trailing blank lines dropped.
pub fn indent(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| format!("      {l}"))
        .collect::<Vec<_>>()
        .join("\n")
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
                source: None,
                question: "Why?".into(),
                hints: vec![],
            },
            dir: PathBuf::from(format!("katas/{number:02}-{slug}")),
            solution_dir: PathBuf::from(format!("solutions/{number:02}-{slug}")),
        }
    }

    #[test]
    fn a_long_track_name_keeps_the_counts_in_line() {
        let long = "Blocking code, threads and runtimes, and more";
        let katas = [kata(1, "a", "One"), kata(2, "b", long)];
        let statuses = [Status::Failing, Status::Failing];

        let text = summary(Ui::plain(), &katas, &statuses, &[0, 0]);

        let columns: Vec<usize> = text
            .lines()
            .filter(|line| line.starts_with("Track: "))
            .map(|line| line.chars().count())
            .collect();
        assert_eq!(columns.len(), 2, "{text}");
        assert_eq!(columns[0], columns[1], "counts out of line:\n{text}");
    }

    #[test]
    fn the_summary_counts_each_track_and_the_share_solved() {
        let katas = [
            kata(1, "a", "One"),
            kata(2, "b", "One"),
            kata(3, "c", "Two"),
        ];
        let statuses = [Status::Passed, Status::Failing, Status::DoesNotCompile];

        let text = summary(Ui::plain(), &katas, &statuses, &[0, 2, 0]);

        assert!(
            text.contains("01 a                            ✓ passed"),
            "{text}"
        );
        assert!(
            text.contains("03 c                            ✗ does not compile"),
            "{text}"
        );
        assert!(
            text.contains("02 b                            ✗ failing (2 warnings)"),
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

    /// Without a terminal (a CI log), progress is plain lines as it happens.
    #[test]
    fn without_a_terminal_each_step_is_a_plain_line() {
        let katas = [kata(1, "a", "One"), kata(2, "b", "One")];
        let failed = Outcome::Failed { tests: vec![] };
        let lines: Vec<Option<String>> = [
            Event::Building { count: 1 },
            Event::Compiled { index: 0 },
            Event::Testing { count: 2 },
            Event::Finished {
                index: 1,
                outcome: &failed,
            },
        ]
        .iter()
        .map(|event| plain_line(&katas, 1, event))
        .collect();
        assert_eq!(
            lines,
            [
                Some("Building 1 kata (the first build compiles the dependencies too)…".to_owned()),
                None,
                Some("Testing 2 katas…".to_owned()),
                Some("✗ 02 b: failing".to_owned()),
            ]
        );
    }

    /// A kata can pass and still hold a future nobody awaits: the warning
    /// reaches the learner, in words.
    #[test]
    fn warnings_are_shown_with_their_source() {
        let text = warnings(
            Ui::plain(),
            &["warning: unused implementer of `Future` that must be used".to_owned()],
            "from the compiler on this kata",
        );
        assert!(
            text.contains("warning: 1 warning from the compiler on this kata:"),
            "{text}"
        );
        assert!(text.contains("unused implementer of `Future`"), "{text}");
        assert_eq!(warnings(Ui::plain(), &[], "x"), "");
    }

    /// Failing tests are listed in the test file's order, not alphabetically:
    /// the file goes from simple to subtle.
    #[test]
    fn tests_are_listed_in_the_order_of_the_test_file() {
        let dir = std::env::temp_dir().join(format!("xtask-order-{}", std::process::id()));
        let mut kata = kata(1, "a", "One");
        kata.dir = dir.clone();
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::write(
            dir.join("tests/a.rs"),
            "#[test]\nfn zebra_first() {}\n#[test]\nfn alpha_second() {}\n",
        )
        .unwrap();
        let tests = ["alpha_second", "zebra_first"]
            .iter()
            .enumerate()
            .map(|(line, name)| TestCase {
                name: (*name).into(),
                result: TestResult::Failed,
                message: Some(format!(
                    "thread '{name}' panicked at tests/a.rs:{line}:1:\n{name} failed"
                )),
            })
            .collect();
        let text = outcome_details(Ui::plain(), &kata, &Outcome::Failed { tests });
        let zebra = text.find("── zebra_first ──").expect("zebra shown");
        let alpha = text.find("── alpha_second ──").expect("alpha shown");
        assert!(zebra < alpha, "{text}");
        let _ = std::fs::remove_dir_all(&dir);
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
