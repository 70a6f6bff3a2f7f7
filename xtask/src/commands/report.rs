//! `cargo xtask report`: every kata's verdict and every test's, for CI and
//! classrooms. The same verdicts as `progress`, drawn as JSON, JUnit or Markdown.

use std::path::Path;

use anyhow::{Context, Result};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;

use crate::cli::Format;
use crate::katas::Kata;
use crate::outcome::{Outcome, TestResult};
use crate::render::ProgressView;
use crate::session::Session;

pub fn run(session: &mut Session, format: Format, output: Option<&Path>) -> Result<bool> {
    let all: Vec<usize> = (0..session.katas.len()).collect();
    let view = ProgressView::new(session.ui, all.len());
    let katas = session.katas.clone();
    let checked = session.check(&all, false, &mut |kata, event| {
        view.on_event(&katas, kata, &event);
    })?;
    view.finish();
    let outcomes: Vec<&Outcome> = checked.iter().map(|c| &c.outcome).collect();
    let text = match format {
        Format::Json => json(&katas, &outcomes),
        Format::Junit => junit(&katas, &outcomes)?,
        Format::Markdown => markdown(&katas, &outcomes),
    };
    match output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write the report to {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(outcomes.iter().all(|o| o.passed()))
}

#[derive(Serialize)]
struct JsonReport<'a> {
    solved: usize,
    total: usize,
    katas: Vec<JsonKata<'a>>,
}

#[derive(Serialize)]
struct JsonKata<'a> {
    number: u32,
    slug: &'a str,
    title: &'a str,
    level: String,
    track: &'a str,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

pub fn json(katas: &[Kata], outcomes: &[&Outcome]) -> String {
    let report = JsonReport {
        solved: outcomes.iter().filter(|o| o.passed()).count(),
        total: katas.len(),
        katas: katas
            .iter()
            .zip(outcomes)
            .map(|(kata, outcome)| JsonKata {
                number: kata.meta.number,
                slug: &kata.meta.slug,
                title: &kata.meta.title,
                level: kata.meta.level.to_string(),
                track: &kata.meta.track,
                outcome,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).expect("the report is plain data") + "\n"
}

/// One JUnit test suite per kata, one test case per test. A kata that does
/// not compile or times out also gets a case of its own, so that a grader
/// counting failures never counts it as empty.
pub fn junit(katas: &[Kata], outcomes: &[&Outcome]) -> Result<String> {
    let mut report = Report::new("katas");
    for (kata, outcome) in katas.iter().zip(outcomes) {
        let mut suite = TestSuite::new(kata.dir_name());
        for test in outcome.tests() {
            let status = match test.result {
                TestResult::Passed => TestCaseStatus::success(),
                TestResult::Ignored => TestCaseStatus::skipped(),
                TestResult::Failed | TestResult::Unfinished => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    if let Some(message) = &test.message {
                        // The panic's first line after "thread … panicked at …:".
                        let headline = message.lines().nth(1).unwrap_or(message);
                        status.set_message(headline.trim().to_owned());
                        status.set_description(message.clone());
                    }
                    if test.result == TestResult::Unfinished {
                        status.set_message("did not finish before the time limit");
                    }
                    status
                }
            };
            suite.add_test_case(TestCase::new(test.name.clone(), status));
        }
        let problem = match outcome {
            Outcome::DoesNotCompile { diagnostics } => {
                Some(("does not compile", diagnostics.join("\n")))
            }
            Outcome::TimedOut { limit_secs, .. } => {
                Some(("timed out", format!("killed after {limit_secs} s")))
            }
            Outcome::Crashed { detail, .. } => Some(("crashed", detail.clone())),
            Outcome::CouldNotRun { reason } => Some(("could not run", reason.clone())),
            Outcome::Passed { .. } | Outcome::Failed { .. } => None,
        };
        if let Some((what, detail)) = problem {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(what);
            status.set_description(detail);
            suite.add_test_case(TestCase::new("build", status));
        }
        report.add_test_suite(suite);
    }
    report.to_string().context("cannot write the JUnit report")
}

pub fn markdown(katas: &[Kata], outcomes: &[&Outcome]) -> String {
    let solved = outcomes.iter().filter(|o| o.passed()).count();
    let mut out = format!("### Katas: {solved}/{} solved\n\n", katas.len());
    out += "| # | kata | level | status | tests passed |\n|---|---|---|---|---|\n";
    for (kata, outcome) in katas.iter().zip(outcomes) {
        let tests = outcome.tests();
        let passed = tests
            .iter()
            .filter(|t| t.result == TestResult::Passed)
            .count();
        out += &format!(
            "| {:02} | {} | {} | {} {} | {passed}/{} |\n",
            kata.meta.number,
            kata.meta.slug,
            kata.meta.level,
            crate::ui::mark(outcome.status()),
            outcome.status().label(),
            tests.len()
        );
    }
    out
}
