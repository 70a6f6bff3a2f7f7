//! `cargo xtask verify` (maintainers): proves every kata sound.
//!
//! For each kata: its metadata, README and file layout are in order; its
//! solution passes; its skeleton compiles without a warning and fails; every
//! pitfall fails, in the tests its header names; clippy and rustfmt have
//! nothing to say about its code. `--repeat N` runs solutions and pitfalls N
//! times: a pitfall caught in some runs only is reported, as luck is no proof.
//!
//! A verdict whose inputs have not changed since it last passed is reused
//! (`cache`), so a warm `verify` runs only what changed; `--fresh` re-runs all.
//! One line per kata, then a total.

mod cache;
mod checks;
mod judge;

use std::path::{Path, PathBuf};

use anyhow::Result;

pub use checks::{numbering_problems, static_problems};

use self::cache::Cache;
use crate::fingerprint;
use crate::katas::Kata;
use crate::pitfalls::{self, Pitfall};
use crate::render::{ProgressView, counted};
use crate::runner::{Runner, Subject, Verdict};
use crate::session::{Session, kata_subject, relative};
use crate::ui::Ui;

/// The README sections every kata has, in this order.
pub const README_SECTIONS: &[&str] = &[
    "## The question",
    "## The Python idea",
    "## In Rust",
    "## Your task",
    "## What the tests check",
    "## Hints",
];

/// The fewest hints a kata may have: a nudge, a direction, and nearly the answer.
pub const MIN_HINTS: usize = 3;

#[derive(Debug)]
pub struct Options {
    /// Only these katas (all when empty).
    pub katas: Vec<String>,
    /// Runs of each solution and pitfall.
    pub repeat: usize,
    /// Ignore reusable verdicts.
    pub fresh: bool,
}

/// What is known of one kata (or of the runner) so far.
#[derive(Default)]
struct Report {
    summary: Vec<String>,
    problems: Vec<String>,
}

/// One thing to build and run, and where its verdict goes.
struct Job {
    kata: usize,
    key: String,
    fingerprint: String,
    subject: Subject,
}

pub fn run(session: &mut Session, options: &Options) -> Result<bool> {
    if crate::classroom::is_copy(&session.root) {
        anyhow::bail!(
            "this is a classroom copy: verify proves katas sound with their solutions and pitfalls, which it leaves out. Run it in the maintainers' repository."
        );
    }
    let katas: Vec<Kata> = if options.katas.is_empty() {
        session.katas.clone()
    } else {
        let mut chosen = Vec::new();
        for name in &options.katas {
            chosen.push(session.katas[session.find(name)?].clone());
        }
        chosen
    };
    let root = session.root.clone();
    let target = main_target_dir(&root);
    let mut cache = if options.fresh {
        Cache::default()
    } else {
        Cache::load(&target)
    };
    let repeat = options.repeat.max(1);
    let shared = shared_inputs(&root);
    let mut reused = 0;

    let mut reports: Vec<Report> = katas
        .iter()
        .map(|kata| Report {
            problems: static_problems(&root, kata),
            ..Report::default()
        })
        .collect();
    if options.katas.is_empty() {
        reports[0].problems.extend(numbering_problems(&katas));
    }

    // Skeletons and solutions: one build, one pass over the test binaries.
    let mut jobs = Vec::new();
    for (i, kata) in katas.iter().enumerate() {
        let skeleton = Job {
            kata: i,
            key: format!("{} skeleton", kata.label()),
            fingerprint: fingerprint::of_inputs("skeleton", &with(&shared, [kata.dir.clone()])),
            subject: kata_subject(kata),
        };
        let solution = Job {
            kata: i,
            key: format!("{} solution", kata.label()),
            fingerprint: fingerprint::of_inputs("solution", &with(&shared, solution_inputs(kata))),
            subject: solution_subject(kata),
        };
        for (job, runs) in [(skeleton, 1), (solution, repeat)] {
            match cache.pass(&job.key, &job.fingerprint, runs) {
                Some(summary) => {
                    reports[i].summary.push(summary.to_owned());
                    reused += 1;
                }
                None => jobs.push(job),
            }
        }
    }
    if !jobs.is_empty() {
        eprintln!("Building and testing {}…", counted(jobs.len(), "crate"));
        let subjects: Vec<Subject> = jobs.iter().map(|j| j.subject.clone()).collect();
        let mut runner = session.runner.clone();
        runner.repeat = repeat;
        let verdicts = run_with(session.ui, &runner, &root.join("Cargo.toml"), &subjects)?;
        for (job, verdict) in jobs.iter().zip(&verdicts) {
            let report = &mut reports[job.kata];
            let judged = if job.key.ends_with("skeleton") {
                judge::skeleton(verdict)
            } else {
                judge::solution(verdict).map_err(|problem| vec![problem])
            };
            match judged {
                Ok(summary) => {
                    let runs = verdict.runs().count();
                    cache.record_pass(&job.key, &job.fingerprint, runs, &summary);
                    report.summary.push(summary);
                }
                Err(problems) => {
                    cache.forget(&job.key);
                    report.problems.extend(problems);
                }
            }
        }
    }

    // Pitfalls: their own generated workspace, one more build.
    let mut found: Vec<(usize, Pitfall, String)> = Vec::new();
    for (i, kata) in katas.iter().enumerate() {
        for pitfall in pitfalls::discover(kata)? {
            let inputs = with(
                &shared,
                solution_inputs(kata)
                    .into_iter()
                    .chain([pitfall.file.clone()]),
            );
            let print = fingerprint::of_inputs("pitfall", &inputs);
            found.push((i, pitfall, print));
        }
    }
    let mut caught = vec![(0usize, 0usize); katas.len()];
    let mut stale = Vec::new();
    for (i, pitfall, print) in &found {
        caught[*i].1 += 1;
        let key = pitfall_key(&katas[*i], pitfall);
        if cache.pass(&key, print, repeat).is_some() {
            caught[*i].0 += 1;
            reused += 1;
        } else {
            stale.push((*i, pitfall, print));
        }
    }
    if !stale.is_empty() {
        // One pitfall workspace per checkout: a second `verify` running at
        // the same time would rewrite it under the first one's build.
        let _lock = pitfalls::lock_workspace(&root)?;
        let pairs: Vec<(&Kata, &Pitfall)> =
            stale.iter().map(|(i, p, _)| (&katas[*i], *p)).collect();
        let (manifest, prepared) = pitfalls::write_workspace(&root, &pairs)?;
        let mut ready = Vec::new();
        for ((i, pitfall, print), prepared) in stale.iter().zip(prepared) {
            match prepared {
                Ok(subject) => ready.push((*i, *pitfall, *print, subject)),
                Err(problem) => reports[*i].problems.push(problem),
            }
        }
        eprintln!(
            "Building and testing {}{}…",
            counted(ready.len(), "pitfall"),
            judge::times(repeat)
        );
        let subjects: Vec<Subject> = ready.iter().map(|r| r.3.clone()).collect();
        let mut runner = session.runner.clone();
        runner.repeat = repeat;
        // The pitfall workspace shares the main one's target directory, so
        // tokio and friends are not compiled a second time.
        runner.cargo.target_dir = Some(target.clone());
        let verdicts = run_with(session.ui, &runner, &manifest, &subjects)?;
        for ((i, pitfall, print, _), verdict) in ready.iter().zip(&verdicts) {
            let key = pitfall_key(&katas[*i], pitfall);
            match judge::pitfall(pitfall, verdict) {
                Ok(()) => {
                    caught[*i].0 += 1;
                    cache.record_pass(&key, print, verdict.runs().count(), "caught");
                }
                Err(problem) => {
                    cache.forget(&key);
                    reports[*i].problems.push(problem);
                }
            }
        }
    }
    for (report, (ok, total)) in reports.iter_mut().zip(&caught) {
        report.summary.push(format!("pitfalls {ok}/{total} caught"));
    }

    // Lints and formatting, of the katas and of the runner itself.
    let mut runner_report = Report {
        summary: vec!["clippy · rustfmt".to_owned()],
        ..Report::default()
    };
    let mut lint_jobs: Vec<LintJob> = katas
        .iter()
        .enumerate()
        .map(|(i, kata)| LintJob {
            kata: Some(i),
            key: format!("{} lints", kata.label()),
            fingerprint: fingerprint::of_inputs("lints", &with(&shared, solution_inputs(kata))),
            packages: vec![kata.package().to_owned(), kata.solution_package()],
            dirs: vec![kata.dir.clone(), kata.solution_dir.clone()],
        })
        .collect();
    lint_jobs.push(LintJob {
        kata: None,
        key: "xtask lints".to_owned(),
        fingerprint: fingerprint::of_inputs("lints", &shared),
        packages: vec!["xtask".to_owned()],
        dirs: vec![root.join("xtask")],
    });
    lint_jobs.retain(|job| {
        let fresh = cache.pass(&job.key, &job.fingerprint, 1).is_some();
        reused += usize::from(fresh);
        !fresh
    });
    if !lint_jobs.is_empty() {
        eprintln!("Running clippy and rustfmt…");
        let packages: Vec<String> = lint_jobs.iter().flat_map(|j| j.packages.clone()).collect();
        let lints = session
            .runner
            .cargo
            .clippy(&root.join("Cargo.toml"), &packages)?;
        let unformatted = unformatted_files(session, &packages)?;
        for job in &lint_jobs {
            let mut found = Vec::new();
            for dir in &job.dirs {
                let manifest = dir.join("Cargo.toml");
                let findings = lints
                    .errors
                    .get(&manifest)
                    .into_iter()
                    .chain(lints.warnings.get(&manifest));
                for finding in findings.flatten() {
                    found.push(format!(
                        "clippy on {}:\n{}",
                        relative(&root, dir),
                        crate::render::indent(finding)
                    ));
                }
                for file in unformatted.iter().filter(|f| f.starts_with(dir)) {
                    found.push(format!(
                        "not rustfmt-clean: {} (run `cargo fmt`)",
                        relative(&root, file)
                    ));
                }
            }
            if found.is_empty() {
                cache.record_pass(&job.key, &job.fingerprint, 1, "clean");
            } else {
                cache.forget(&job.key);
            }
            match job.kata {
                Some(i) => reports[i].problems.extend(found),
                None => runner_report.problems.extend(found),
            }
        }
    }
    cache.save(&target)?;

    let mut rows: Vec<(String, Report)> = katas.iter().map(Kata::label).zip(reports).collect();
    rows.push(("the runner (xtask)".to_owned(), runner_report));
    Ok(print_results(session.ui, &rows, reused))
}

/// Clippy and rustfmt over some packages (a kata and its solution, or the
/// runner), and where their findings go.
struct LintJob {
    /// The kata whose row reports the findings; `None` for the runner.
    kata: Option<usize>,
    key: String,
    fingerprint: String,
    packages: Vec<String>,
    dirs: Vec<PathBuf>,
}

fn pitfall_key(kata: &Kata, pitfall: &Pitfall) -> String {
    format!("{} pitfall {}", kata.label(), pitfall.name)
}

/// Files outside the katas that every verdict depends on: the workspace's
/// manifest, lock file and lint settings, and the runner itself.
fn shared_inputs(root: &Path) -> Vec<PathBuf> {
    [
        "Cargo.toml",
        "Cargo.lock",
        "clippy.toml",
        "rustfmt.toml",
        ".cargo/config.toml",
        "xtask",
    ]
    .iter()
    .map(|name| root.join(name))
    .collect()
}

/// What a solution's verdict reads: the kata (tests, given code) and the
/// solution's crate, but not its pitfalls.
fn solution_inputs(kata: &Kata) -> Vec<PathBuf> {
    let mut inputs = vec![kata.dir.clone()];
    if let Ok(entries) = std::fs::read_dir(&kata.solution_dir) {
        let mut own: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().is_some_and(|n| n != "pitfalls"))
            .collect();
        own.sort();
        inputs.extend(own);
    }
    inputs
}

fn with(shared: &[PathBuf], more: impl IntoIterator<Item = PathBuf>) -> Vec<PathBuf> {
    more.into_iter().chain(shared.iter().cloned()).collect()
}

fn solution_subject(kata: &Kata) -> Subject {
    Subject {
        label: format!("{} solution", kata.label()),
        package: kata.solution_package(),
        dir: kata.solution_dir.clone(),
    }
}

fn run_with(
    ui: Ui,
    runner: &Runner,
    manifest: &Path,
    subjects: &[Subject],
) -> Result<Vec<Verdict>> {
    let view = ProgressView::new(ui, subjects.len());
    let verdicts = runner.check(manifest, subjects, &mut |event| {
        if let crate::runner::Event::Finished { .. } = event {
            view.advance();
        }
    })?;
    view.finish();
    Ok(verdicts)
}

/// The main workspace's target directory, as cargo resolves it.
fn main_target_dir(root: &Path) -> PathBuf {
    cargo_metadata::MetadataCommand::new()
        .current_dir(root)
        .no_deps()
        .exec()
        .map(|metadata| metadata.target_directory.into_std_path_buf())
        .unwrap_or_else(|_| root.join("target"))
}

/// Files that rustfmt would change, among the given packages.
fn unformatted_files(session: &Session, packages: &[String]) -> Result<Vec<PathBuf>> {
    let mut args = vec!["fmt", "--check"];
    for package in packages {
        args.extend(["--package", package.as_str()]);
    }
    args.extend(["--", "--files-with-diff"]);
    let (_, stdout, _) = session.runner.cargo.run(&session.root, &args)?;
    Ok(stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect())
}

fn print_results(ui: Ui, rows: &[(String, Report)], reused: usize) -> bool {
    for (label, report) in rows {
        let mark = if report.problems.is_empty() {
            ui.green("✓")
        } else {
            ui.red("✗")
        };
        println!("{mark} {label:<32} {}", ui.dim(report.summary.join(" · ")));
        for problem in &report.problems {
            println!("    {} {problem}", ui.red("-"));
        }
    }
    let failed = rows.iter().filter(|(_, r)| !r.problems.is_empty()).count();
    // A plain closing line that CI logs and humans both read.
    let reuse = if reused > 0 {
        format!(
            " ({} reused: inputs unchanged since they passed; --fresh re-runs them)",
            counted(reused, "verdict")
        )
    } else {
        String::new()
    };
    println!(
        "\nverify: {} passed, {failed} failed{reuse}",
        rows.len() - failed
    );
    failed == 0
}
