//! Checks a set of crates the fast way: one `cargo build` for all of them,
//! then their test binaries run in parallel, each under a wall-clock limit.
//!
//! The runner only reports *events*; what the learner sees (a progress bar, a
//! summary, a JSON or JUnit report) is drawn from them by the renderers.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use anyhow::Result;

use crate::cargo::{self, Cargo};
use crate::outcome::{Outcome, TestCase};

/// One crate to check: a kata, a solution, or a pitfall.
#[derive(Debug, Clone)]
pub struct Subject {
    /// How the output names it (`01 why-async`).
    pub label: String,
    pub package: String,
    pub dir: PathBuf,
}

impl Subject {
    fn manifest(&self) -> PathBuf {
        self.dir.join("Cargo.toml")
    }
}

/// What happens while a check runs, in order.
#[derive(Debug)]
pub enum Event<'a> {
    /// The build of `count` crates starts.
    Building { count: usize },
    /// Subject `index` compiled (its test binary is ready).
    Compiled { index: usize },
    /// The build is over; `count` test binaries are about to run.
    Testing { count: usize },
    /// Subject `index` has its verdict.
    Finished { index: usize, outcome: &'a Outcome },
}

/// A subject's verdict, and the compiler's warnings on the way to it.
#[derive(Debug)]
pub struct Verdict {
    /// The first run's outcome.
    pub outcome: Outcome,
    /// The outcomes of the further runs asked for by [`Runner::repeat`].
    pub repeats: Vec<Outcome>,
    pub warnings: Vec<String>,
}

impl Verdict {
    /// Every run's outcome, the first one first.
    pub fn runs(&self) -> impl Iterator<Item = &Outcome> {
        std::iter::once(&self.outcome).chain(&self.repeats)
    }
}

#[derive(Debug, Clone)]
pub struct Runner {
    pub cargo: Cargo,
    /// The wall-clock limit of one crate's test binary.
    pub limit: Duration,
    /// How many test binaries run at once.
    pub jobs: usize,
    /// How many times each crate's tests run (`verify --repeat`): a verdict
    /// that holds only in some runs is luck, not a verdict.
    pub repeat: usize,
}

impl Runner {
    pub fn new(cargo: Cargo, limit: Duration) -> Runner {
        let jobs = thread::available_parallelism().map_or(2, |n| n.get());
        Runner {
            cargo,
            limit,
            jobs,
            repeat: 1,
        }
    }

    /// Builds every subject in one cargo invocation of the workspace at
    /// `manifest`, then runs the test binaries of those that compiled.
    /// The verdicts come back in the order of `subjects`.
    pub fn check(
        &self,
        manifest: &Path,
        subjects: &[Subject],
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Vec<Verdict>> {
        if subjects.is_empty() {
            return Ok(Vec::new());
        }
        on_event(Event::Building {
            count: subjects.len(),
        });
        let packages: Vec<String> = subjects.iter().map(|s| s.package.clone()).collect();
        let manifests: Vec<PathBuf> = subjects.iter().map(Subject::manifest).collect();
        let build = self.cargo.build_tests(manifest, &packages, |compiled| {
            if let Some(index) = manifests.iter().position(|m| m == compiled) {
                on_event(Event::Compiled { index });
            }
        })?;

        // Verdicts known without running anything: compile errors, missing binaries.
        let mut outcomes: Vec<Option<Outcome>> = vec![None; subjects.len()];
        let mut repeats: Vec<Vec<Outcome>> = vec![Vec::new(); subjects.len()];
        let mut to_run = Vec::new();
        for (index, manifest) in manifests.iter().enumerate() {
            if let Some(errors) = build.errors.get(manifest) {
                outcomes[index] = Some(Outcome::DoesNotCompile {
                    diagnostics: errors.clone(),
                });
            } else if let Some(binaries) = build.test_binaries.get(manifest) {
                to_run.push((index, binaries.clone()));
            } else {
                outcomes[index] = Some(Outcome::CouldNotRun {
                    reason: no_binary_reason(&build.stderr),
                });
            }
        }
        for (index, outcome) in outcomes.iter().enumerate() {
            if let Some(outcome) = outcome {
                on_event(Event::Finished { index, outcome });
            }
        }

        on_event(Event::Testing {
            count: to_run.len(),
        });
        let (sender, verdicts) = mpsc::channel();
        let next = AtomicUsize::new(0);
        thread::scope(|scope| {
            for _ in 0..self.jobs.min(to_run.len()) {
                let sender = sender.clone();
                let (next, to_run) = (&next, &to_run);
                scope.spawn(move || {
                    while let Some((index, binaries)) =
                        to_run.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        let runs = self.run_repeatedly(binaries, &subjects[*index].dir);
                        // The receiver lives until every worker is done.
                        sender
                            .send((*index, runs))
                            .expect("the runner is listening");
                    }
                });
            }
            drop(sender);
            // Events are reported here, on the caller's thread, as they come.
            for (index, mut runs) in verdicts {
                let first = runs.remove(0);
                on_event(Event::Finished {
                    index,
                    outcome: &first,
                });
                outcomes[index] = Some(first);
                repeats[index] = runs;
            }
        });
        Ok(outcomes
            .into_iter()
            .zip(repeats)
            .zip(&manifests)
            .map(|((outcome, repeats), manifest)| Verdict {
                outcome: outcome.expect("every subject got a verdict"),
                repeats,
                warnings: build.warnings.get(manifest).cloned().unwrap_or_default(),
            })
            .collect())
    }

    /// Runs a crate's tests [`Runner::repeat`] times, at least once. A run
    /// that hangs or crashes ends the series: its verdict is already clear,
    /// and another ten seconds of hanging would tell nothing new.
    fn run_repeatedly(&self, binaries: &[PathBuf], dir: &Path) -> Vec<Outcome> {
        let mut runs = Vec::new();
        for _ in 0..self.repeat.max(1) {
            let outcome = self.run_binaries(binaries, dir);
            let conclusive = matches!(outcome, Outcome::TimedOut { .. } | Outcome::Crashed { .. });
            runs.push(outcome);
            if conclusive {
                break;
            }
        }
        runs
    }

    /// Runs a crate's test binaries (normally one) and merges their verdicts.
    fn run_binaries(&self, binaries: &[PathBuf], dir: &Path) -> Outcome {
        let mut merged: Option<Outcome> = None;
        for binary in binaries {
            let outcome = cargo::run_test_binary(binary, dir, self.limit);
            merged = Some(match merged {
                None => outcome,
                Some(previous) => merge(previous, outcome),
            });
        }
        merged.expect("a crate with test binaries has at least one")
    }
}

/// The worse of two verdicts, with the tests of both.
fn merge(a: Outcome, b: Outcome) -> Outcome {
    if a.passed() {
        return with_tests(b, a.tests());
    }
    with_tests(a, b.tests())
}

fn with_tests(mut outcome: Outcome, more: &[TestCase]) -> Outcome {
    match &mut outcome {
        Outcome::Passed { tests }
        | Outcome::Failed { tests }
        | Outcome::TimedOut { tests, .. }
        | Outcome::Crashed { tests, .. } => tests.extend_from_slice(more),
        Outcome::DoesNotCompile { .. } | Outcome::CouldNotRun { .. } => {}
    }
    outcome
}

fn no_binary_reason(stderr: &str) -> String {
    let stderr = stderr.trim();
    if stderr.is_empty() {
        "cargo built no test binary for it: does it have a tests/ file?".to_owned()
    } else {
        format!("cargo could not build it:\n{stderr}")
    }
}
