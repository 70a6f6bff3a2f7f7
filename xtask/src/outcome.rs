//! What happened when a kata was checked, and how to read libtest's output.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The verdict on one kata. Never a bare bool: each way of not passing asks
/// the learner for something different.
#[must_use]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Every test passed.
    Passed { tests: Vec<TestCase> },
    /// It compiled and ran, and some tests failed.
    Failed { tests: Vec<TestCase> },
    /// The compiler refused it; `diagnostics` are the rendered errors.
    DoesNotCompile { diagnostics: Vec<String> },
    /// It ran past its wall-clock limit and was killed.
    TimedOut {
        limit_secs: u64,
        tests: Vec<TestCase>,
    },
    /// The test binary died without a verdict (a signal, an abort, a stack overflow).
    Crashed {
        detail: String,
        tests: Vec<TestCase>,
    },
    /// The runner could not run it at all (no test binary, cargo missing...).
    CouldNotRun { reason: String },
}

/// One test of a kata and what became of it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TestCase {
    pub name: String,
    pub result: TestResult,
    /// For a failed test, what it printed (the panic message first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TestResult {
    Passed,
    Failed,
    Ignored,
    /// Still running when the binary was killed.
    Unfinished,
}

/// The one-word status shown by `list` and the summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failing,
    DoesNotCompile,
    TimedOut,
    NotChecked,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failing => "failing",
            Status::DoesNotCompile => "does not compile",
            Status::TimedOut => "timed out",
            Status::NotChecked => "not yet checked",
        }
    }
}

impl Outcome {
    pub fn status(&self) -> Status {
        match self {
            Outcome::Passed { .. } => Status::Passed,
            Outcome::Failed { .. } | Outcome::Crashed { .. } | Outcome::CouldNotRun { .. } => {
                Status::Failing
            }
            Outcome::DoesNotCompile { .. } => Status::DoesNotCompile,
            Outcome::TimedOut { .. } => Status::TimedOut,
        }
    }

    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Passed { .. })
    }

    pub fn tests(&self) -> &[TestCase] {
        match self {
            Outcome::Passed { tests }
            | Outcome::Failed { tests }
            | Outcome::TimedOut { tests, .. }
            | Outcome::Crashed { tests, .. } => tests,
            Outcome::DoesNotCompile { .. } | Outcome::CouldNotRun { .. } => &[],
        }
    }

    /// The names of the tests that did not pass (failed or never finished).
    pub fn failed_tests(&self) -> impl Iterator<Item = &str> {
        self.tests()
            .iter()
            .filter(|t| matches!(t.result, TestResult::Failed | TestResult::Unfinished))
            .map(|t| t.name.as_str())
    }

    /// Reads the output of a libtest binary that exited on its own.
    pub fn from_test_run(exit_ok: bool, stdout: &str) -> Outcome {
        let tests = parse_libtest(stdout);
        let any_failed = tests.iter().any(|t| t.result == TestResult::Failed);
        if exit_ok && !any_failed {
            Outcome::Passed { tests }
        } else {
            Outcome::Failed { tests }
        }
    }

    /// A binary killed at its limit: what finished keeps its verdict, every
    /// other listed test is marked unfinished.
    pub fn timed_out(limit: Duration, partial_stdout: &str, all_tests: &[String]) -> Outcome {
        let mut tests = parse_libtest(partial_stdout);
        for name in all_tests {
            if !tests.iter().any(|t| &t.name == name) {
                tests.push(TestCase {
                    name: name.clone(),
                    result: TestResult::Unfinished,
                    message: None,
                });
            }
        }
        Outcome::TimedOut {
            limit_secs: limit.as_secs(),
            tests,
        }
    }
}

/// The likely reasons a kata's tests never finish, shown with a timeout.
pub const TIMEOUT_CAUSES: &[&str] = &[
    "a blocking call on the async worker (std::thread::sleep, a busy loop, a blocking \
     recv or lock): it starves every other task and freezes tokio's paused clock",
    "a lock held across `.await` that another task needs to make progress",
    "a future that is created but never awaited or polled, or a waker that is never woken",
    "a loop that only yields (`yield_now`) and never sleeps: the paused clock cannot advance",
];

/// Parses libtest's human output: `test NAME ... ok|FAILED|ignored` lines and
/// the `---- NAME stdout ----` sections of the failures.
///
/// libtest's JSON output needs a nightly toolchain, so the stable text format
/// is what there is; it has been stable for years.
pub fn parse_libtest(stdout: &str) -> Vec<TestCase> {
    let mut tests: Vec<TestCase> = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, verdict)) = rest.rsplit_once(" ... ") else {
            continue;
        };
        let result = match verdict.trim() {
            "ok" => TestResult::Passed,
            "FAILED" => TestResult::Failed,
            v if v.starts_with("ignored") => TestResult::Ignored,
            _ => continue,
        };
        tests.push(TestCase {
            name: test_name(name).to_owned(),
            result,
            message: None,
        });
    }
    for (name, output) in failure_sections(stdout) {
        let name = test_name(&name);
        if let Some(test) = tests.iter_mut().find(|t| t.name == name) {
            test.message = Some(output);
        }
    }
    // Tests report in the order they finish, which changes from run to run.
    tests.sort_by(|a, b| a.name.cmp(&b.name));
    tests
}

/// A test's name as its file spells it: libtest adds ` - should panic` to
/// the name of a `#[should_panic]` test.
fn test_name(reported: &str) -> &str {
    reported
        .strip_suffix(" - should panic")
        .unwrap_or(reported)
        .trim()
}

/// The captured output of each failed test, keyed by test name.
fn failure_sections(stdout: &str) -> Vec<(String, String)> {
    let mut sections = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"))
        {
            sections.extend(current.take().map(finish_section));
            current = Some((name.to_owned(), Vec::new()));
        } else if line == "failures:" || line.starts_with("test result:") {
            sections.extend(current.take().map(finish_section));
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line);
        }
    }
    sections.extend(current.map(finish_section));
    sections
}

fn finish_section((name, lines): (String, Vec<&str>)) -> (String, String) {
    let text = lines
        .iter()
        .filter(|line| !line.starts_with("note: run with `RUST_BACKTRACE=1`"))
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    (name, crate::failure::without_thread_ids(text.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILING_RUN: &str = "
running 3 tests
test b_second ... FAILED
test a_first ... ok
test c_third ... ignored, slow

failures:

---- b_second stdout ----

thread 'b_second' panicked at tests/kata.rs:10:5:
assertion `left == right` failed: the fetches ran one after another
  left: 3s
 right: 1s
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    b_second

test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s
";

    #[test]
    fn each_test_line_gives_a_verdict() {
        let tests = parse_libtest(FAILING_RUN);
        let verdicts: Vec<_> = tests.iter().map(|t| (t.name.as_str(), t.result)).collect();
        assert_eq!(
            verdicts,
            [
                ("a_first", TestResult::Passed),
                ("b_second", TestResult::Failed),
                ("c_third", TestResult::Ignored),
            ]
        );
    }

    #[test]
    fn a_failed_test_keeps_its_panic_message_without_the_backtrace_note() {
        let tests = parse_libtest(FAILING_RUN);
        let message = tests[1].message.as_deref().unwrap();
        assert!(message.starts_with("thread 'b_second' panicked at tests/kata.rs:10:5:"));
        assert!(message.contains("the fetches ran one after another"));
        assert!(!message.contains("RUST_BACKTRACE"));
        assert_eq!(tests[0].message, None);
    }

    /// libtest reports `#[should_panic]` tests as `NAME - should panic`; a
    /// pitfall's `Caught by` names them as the file does.
    #[test]
    fn should_panic_tests_keep_their_own_name() {
        let run = "test refuses_zero - should panic ... FAILED\n\nfailures:\n\n---- refuses_zero - should panic stdout ----\nnote: test did not panic as expected\n\nfailures:\n    refuses_zero - should panic\n";
        let tests = parse_libtest(run);
        assert_eq!(tests[0].name, "refuses_zero");
        assert_eq!(tests[0].result, TestResult::Failed);
        assert!(
            tests[0]
                .message
                .as_deref()
                .unwrap()
                .contains("did not panic")
        );
    }

    #[test]
    fn a_clean_exit_with_no_failure_is_a_pass() {
        let outcome = Outcome::from_test_run(true, "test a ... ok\n");
        assert!(outcome.passed());
        assert!(!Outcome::from_test_run(false, "test a ... ok\n").passed());
    }

    #[test]
    fn a_timeout_marks_the_tests_that_never_reported() {
        let all = ["a".to_owned(), "hangs".to_owned()];
        let outcome = Outcome::timed_out(Duration::from_secs(10), "test a ... ok\n", &all);
        assert_eq!(outcome.status(), Status::TimedOut);
        assert_eq!(outcome.failed_tests().collect::<Vec<_>>(), ["hangs"]);
    }
}
