//! `cargo xtask report`: every kata's verdict and every test's, for CI and
//! classrooms. The same verdicts as `progress`, drawn as JSON, JUnit,
//! Markdown, or the result GitHub Classroom's grading reporter reads.
//!
//! In a classroom copy each kata also gets its points, and its protected
//! files are checked against the manifest: a kata whose tests (or given
//! code, manifest...) changed is *tampered*, worth 0 and named as such in
//! every format, never passed.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;

use crate::classroom;
use crate::cli::Format;
use crate::katas::Kata;
use crate::outcome::{Outcome, TestResult};
use crate::render::ProgressView;
use crate::session::Session;

/// A kata's grade: its verdict, and in a classroom copy its points and
/// whatever was changed that must not be.
pub struct Grade<'a> {
    pub kata: &'a Kata,
    pub outcome: &'a Outcome,
    /// Protected files changed, removed or added; empty when all is in order.
    pub tampered: Vec<String>,
    /// What the kata is worth (`None` outside a classroom copy).
    pub points: Option<u32>,
}

impl Grade<'_> {
    pub fn passed(&self) -> bool {
        self.tampered.is_empty() && self.outcome.passed()
    }

    pub fn score(&self) -> u32 {
        if self.passed() {
            self.points.unwrap_or(0)
        } else {
            0
        }
    }

    fn status_label(&self) -> String {
        if self.tampered.is_empty() {
            format!(
                "{} {}",
                crate::ui::mark(self.outcome.status()),
                self.outcome.status().label()
            )
        } else {
            "✗ tampered".to_owned()
        }
    }
}

pub fn run(
    session: &mut Session,
    format: Format,
    output: Option<&Path>,
    manifest_sha256: Option<&str>,
) -> Result<bool> {
    let all: Vec<usize> = (0..session.katas.len()).collect();
    let view = ProgressView::new(session.ui, all.len());
    let katas = session.katas.clone();
    let checked = session.check(&all, false, &mut |kata, event| {
        view.on_event(&katas, kata, &event);
    })?;
    view.finish();
    let outcomes: Vec<&Outcome> = checked.iter().map(|c| &c.outcome).collect();
    let grades = grade(&session.root, &katas, &outcomes, manifest_sha256)?;
    let text = match format {
        Format::Json => json(&grades),
        Format::Junit => junit(&grades)?,
        Format::Markdown => markdown(&grades),
        Format::Classroom => classroom_result(&grades),
    };
    match output {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(path, text)
                .with_context(|| format!("cannot write the report to {}", path.display()))?
        }
        None => print!("{text}"),
    }
    Ok(grades.iter().all(Grade::passed))
}

/// The grades: in a classroom copy, with points and the integrity check.
pub fn grade<'a>(
    root: &Path,
    katas: &'a [Kata],
    outcomes: &[&'a Outcome],
    manifest_sha256: Option<&str>,
) -> Result<Vec<Grade<'a>>> {
    let classroom = classroom::is_copy(root);
    let points = if classroom {
        classroom::read_points(root)?
    } else {
        BTreeMap::new()
    };
    let (text, manifest) = if classroom {
        classroom::read_manifest(root)?
    } else {
        (String::new(), BTreeMap::new())
    };
    // Changes that make every grade worthless: the manifest itself (when the
    // workflow gave its digest), or the runner that grades.
    let mut everything = Vec::new();
    if classroom {
        if let Some(expected) = manifest_sha256
            && classroom::sha256(text.as_bytes()) != expected.trim()
        {
            everything.push(format!("{} was changed", classroom::MANIFEST));
        }
        for file in classroom::protected_runner_files(root) {
            let path = classroom::slashed(&file);
            let same = manifest.get(&path).is_some_and(|hash| {
                std::fs::read(root.join(&file)).is_ok_and(|b| classroom::sha256(&b) == *hash)
            });
            if !same {
                everything.push(format!("{path} differs from the manifest"));
            }
        }
    }
    Ok(katas
        .iter()
        .zip(outcomes)
        .map(|(kata, outcome)| {
            let mut tampered = everything.clone();
            if classroom {
                tampered.extend(classroom::kata_changes(root, kata, &manifest));
            }
            Grade {
                kata,
                outcome,
                tampered,
                points: classroom.then(|| points.get(&kata.meta.slug).copied().unwrap_or(0)),
            }
        })
        .collect())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    solved: usize,
    total: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    points: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_points: Option<u32>,
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
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tampered: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    points: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_points: Option<u32>,
}

pub fn json(grades: &[Grade]) -> String {
    let classroom = grades.iter().any(|g| g.points.is_some());
    let report = JsonReport {
        solved: grades.iter().filter(|g| g.passed()).count(),
        total: grades.len(),
        points: classroom.then(|| grades.iter().map(Grade::score).sum()),
        max_points: classroom.then(|| grades.iter().filter_map(|g| g.points).sum()),
        katas: grades
            .iter()
            .map(|grade| JsonKata {
                number: grade.kata.meta.number,
                slug: &grade.kata.meta.slug,
                title: &grade.kata.meta.title,
                level: grade.kata.meta.level.to_string(),
                track: &grade.kata.meta.track,
                outcome: grade.outcome,
                tampered: &grade.tampered,
                points: grade.points.map(|_| grade.score()),
                max_points: grade.points,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).expect("the report is plain data") + "\n"
}

/// What GitHub Classroom's grading reporter
/// (`classroom-resources/autograding-grading-reporter`) reads, once base64
/// encoded: one "test" per kata, scored with the kata's points.
pub fn classroom_result(grades: &[Grade]) -> String {
    let tests: Vec<serde_json::Value> = grades
        .iter()
        .map(|grade| {
            let message = if !grade.tampered.is_empty() {
                format!("tampered: {}", grade.tampered.join("; "))
            } else if grade.outcome.passed() {
                format!("all {} tests pass", grade.outcome.tests().len())
            } else {
                let failed: Vec<&str> = grade.outcome.failed_tests().collect();
                match failed.is_empty() {
                    true => grade.outcome.status().label().to_owned(),
                    false => format!("failing: {}", failed.join(", ")),
                }
            };
            serde_json::json!({
                "name": grade.kata.label(),
                "status": if grade.passed() { "pass" } else { "fail" },
                "score": grade.score(),
                "message": message,
                "line_no": 0,
            })
        })
        .collect();
    let result = serde_json::json!({
        "version": 1,
        "status": if grades.iter().all(Grade::passed) { "pass" } else { "fail" },
        "max_score": grades.iter().filter_map(|g| g.points).sum::<u32>(),
        "tests": tests,
    });
    serde_json::to_string_pretty(&result).expect("the result is plain data") + "\n"
}

/// One JUnit test suite per kata, one test case per test. A kata that does
/// not compile or times out also gets a case of its own, so that a grader
/// counting failures never counts it as empty.
pub fn junit(grades: &[Grade]) -> Result<String> {
    let mut report = Report::new("katas");
    for grade in grades {
        let (kata, outcome) = (grade.kata, grade.outcome);
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
        if !grade.tampered.is_empty() {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message("tampered: protected files differ from the ones handed out");
            status.set_description(grade.tampered.join("\n"));
            suite.add_test_case(TestCase::new("integrity", status));
        }
        report.add_test_suite(suite);
    }
    report.to_string().context("cannot write the JUnit report")
}

pub fn markdown(grades: &[Grade]) -> String {
    let classroom = grades.iter().any(|g| g.points.is_some());
    let solved = grades.iter().filter(|g| g.passed()).count();
    let mut out = format!("### Katas: {solved}/{} solved", grades.len());
    if classroom {
        let score: u32 = grades.iter().map(Grade::score).sum();
        let max: u32 = grades.iter().filter_map(|g| g.points).sum();
        out += &format!(", {score}/{max} points");
    }
    out += "\n\n| # | kata | level | status | tests passed |";
    out += if classroom {
        " points |\n|---|---|---|---|---|---|\n"
    } else {
        "\n|---|---|---|---|---|\n"
    };
    for grade in grades {
        let tests = grade.outcome.tests();
        let passed = tests
            .iter()
            .filter(|t| t.result == TestResult::Passed)
            .count();
        out += &format!(
            "| {:02} | {} | {} | {} | {passed}/{} |",
            grade.kata.meta.number,
            grade.kata.meta.slug,
            grade.kata.meta.level,
            grade.status_label(),
            tests.len()
        );
        if let Some(points) = grade.points {
            out += &format!(" {}/{points} |", grade.score());
        }
        out.push('\n');
    }
    let tampered: Vec<&Grade> = grades.iter().filter(|g| !g.tampered.is_empty()).collect();
    if !tampered.is_empty() {
        out += "\nTampered (graded 0):\n";
        for grade in tampered {
            out += &format!("- {}: {}\n", grade.kata.label(), grade.tampered.join("; "));
        }
    }
    out
}
