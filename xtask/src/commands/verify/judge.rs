//! Verdicts on what `verify` ran: a solution must pass every run, a skeleton
//! must compile and fail, a pitfall must fail its named tests in every run.
//! Each judge returns the line to print on success, or the problem.

use crate::outcome::Outcome;
use crate::pitfalls::Pitfall;
use crate::render::indent;
use crate::runner::Verdict;

/// `solution passes 12/12`, or what went wrong and in which run.
pub fn solution(verdict: &Verdict) -> Result<String, String> {
    let runs: Vec<&Outcome> = verdict.runs().collect();
    for (run, outcome) in runs.iter().enumerate() {
        if !outcome.passed() {
            return Err(format!(
                "the solution does not pass{}: {}",
                in_run(run, runs.len()),
                describe(outcome)
            ));
        }
    }
    let count = verdict.outcome.tests().len();
    Ok(format!(
        "solution passes {count}/{count}{}",
        times(runs.len())
    ))
}

/// `skeleton fails 12/12`, or the problems: it must compile without a
/// warning and fail (not hang, not crash, not pass).
pub fn skeleton(verdict: &Verdict) -> Result<String, Vec<String>> {
    let outcome = &verdict.outcome;
    let mut problems = Vec::new();
    let summary = match outcome {
        Outcome::Failed { tests } => {
            let failed = outcome.failed_tests().count();
            format!("skeleton fails {failed}/{}", tests.len())
        }
        other => {
            problems.push(format!(
                "the skeleton must compile and fail its tests, but: {}",
                describe(other)
            ));
            String::new()
        }
    };
    for warning in &verdict.warnings {
        problems.push(format!("the skeleton has a warning:\n{}", indent(warning)));
    }
    if problems.is_empty() {
        Ok(summary)
    } else {
        Err(problems)
    }
}

/// A pitfall is caught when, in every run, each test its header names fails.
pub fn pitfall(pitfall: &Pitfall, verdict: &Verdict) -> Result<(), String> {
    let runs: Vec<&Outcome> = verdict.runs().collect();
    let escapes: Vec<(usize, String)> = runs
        .iter()
        .enumerate()
        .filter_map(|(run, outcome)| caught_in(pitfall, outcome).err().map(|e| (run, e)))
        .collect();
    let Some((first, problem)) = escapes.first() else {
        return Ok(());
    };
    if escapes.len() < runs.len() {
        // Caught sometimes: the worst kind of test, since it looks fine.
        return Err(format!(
            "pitfall {} is caught only by luck: in {} of {} runs; run {}: {problem}",
            pitfall.name,
            runs.len() - escapes.len(),
            runs.len(),
            first + 1
        ));
    }
    Err(format!("pitfall {}{}", pitfall.name, problem))
}

/// Whether one run caught the pitfall; the problem reads after its name.
fn caught_in(pitfall: &Pitfall, outcome: &Outcome) -> Result<(), String> {
    match outcome {
        Outcome::Passed { .. } => Err(" is not caught: every test passes".to_owned()),
        Outcome::DoesNotCompile { diagnostics } => Err(format!(
            " does not compile, so it proves nothing:\n{}",
            indent(diagnostics.first().map_or("", String::as_str))
        )),
        Outcome::CouldNotRun { reason } => Err(format!(" could not run: {reason}")),
        Outcome::Failed { .. } | Outcome::TimedOut { .. } | Outcome::Crashed { .. } => {
            let failed: Vec<&str> = outcome.failed_tests().collect();
            let missed: Vec<&str> = pitfall
                .caught_by
                .iter()
                .map(String::as_str)
                .filter(|name| !failed.contains(name))
                .collect();
            if missed.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    ": {} should fail but did not (failed: {})",
                    missed.join(", "),
                    if failed.is_empty() {
                        "none".to_owned()
                    } else {
                        failed.join(", ")
                    }
                ))
            }
        }
    }
}

fn in_run(run: usize, runs: usize) -> String {
    if runs > 1 {
        format!(" in run {} of {runs}", run + 1)
    } else {
        String::new()
    }
}

/// ` (×5)` after a verdict that held for several runs.
pub fn times(runs: usize) -> String {
    if runs > 1 {
        format!(" (×{runs})")
    } else {
        String::new()
    }
}

pub fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Failed { .. } => {
            let failed: Vec<_> = outcome.failed_tests().collect();
            format!("{} failed: {}", failed.len(), failed.join(", "))
        }
        Outcome::DoesNotCompile { diagnostics } => format!(
            "it does not compile:\n{}",
            indent(diagnostics.first().map_or("", String::as_str))
        ),
        Outcome::TimedOut { limit_secs, .. } => format!("it timed out after {limit_secs} s"),
        other => other.status().label().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{TestCase, TestResult};
    use crate::pitfalls::Form;

    fn outcome(failing: &[&str]) -> Outcome {
        let tests = ["a", "b"]
            .iter()
            .map(|name| TestCase {
                name: (*name).to_owned(),
                result: if failing.contains(name) {
                    TestResult::Failed
                } else {
                    TestResult::Passed
                },
                message: None,
            })
            .collect();
        if failing.is_empty() {
            Outcome::Passed { tests }
        } else {
            Outcome::Failed { tests }
        }
    }

    fn wrong_answer() -> Pitfall {
        Pitfall {
            name: "wrong".to_owned(),
            file: "wrong.patch".into(),
            form: Form::Patch,
            summary: "wrong.".to_owned(),
            why: "because.".to_owned(),
            caught_by: vec!["a".to_owned()],
        }
    }

    fn verdict(runs: Vec<Outcome>) -> Verdict {
        let mut runs = runs.into_iter();
        Verdict {
            outcome: runs.next().unwrap(),
            repeats: runs.collect(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_pitfall_caught_in_every_run_is_caught() {
        let runs = vec![outcome(&["a"]), outcome(&["a", "b"])];
        assert_eq!(pitfall(&wrong_answer(), &verdict(runs)), Ok(()));
    }

    #[test]
    fn a_pitfall_caught_in_some_runs_only_is_reported_as_luck() {
        let runs = vec![outcome(&["a"]), outcome(&[]), outcome(&["a"])];
        let problem = pitfall(&wrong_answer(), &verdict(runs)).unwrap_err();
        assert!(
            problem.contains("only by luck: in 2 of 3 runs; run 2"),
            "{problem}"
        );
    }

    #[test]
    fn a_pitfall_failing_other_tests_than_named_is_not_caught() {
        let problem = pitfall(&wrong_answer(), &verdict(vec![outcome(&["b"])])).unwrap_err();
        assert!(
            problem.contains("a should fail but did not (failed: b)"),
            "{problem}"
        );
    }

    #[test]
    fn a_solution_failing_one_run_of_several_is_reported_with_the_run() {
        let runs = vec![outcome(&[]), outcome(&["b"])];
        let problem = solution(&verdict(runs)).unwrap_err();
        assert!(problem.contains("in run 2 of 2: 1 failed: b"), "{problem}");
        assert_eq!(
            solution(&verdict(vec![outcome(&[]), outcome(&[])])),
            Ok("solution passes 2/2 (×2)".to_owned())
        );
    }
}
