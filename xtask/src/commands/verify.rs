//! `cargo xtask verify` (maintainers): proves every kata sound.
//!
//! For each kata: its metadata, README and file layout are in order; its
//! solution passes; its skeleton compiles without a warning and fails; every
//! pitfall fails, in the tests its header names; clippy and rustfmt have
//! nothing to say about its code. One line per kata, then a total.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::Result;
use toml::Value;

use crate::katas::Kata;
use crate::outcome::Outcome;
use crate::pitfalls::{self, Pitfall, read_table};
use crate::render::{ProgressView, counted};
use crate::runner::{Subject, Verdict};
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

pub fn run(session: &mut Session, names: &[String]) -> Result<bool> {
    let chosen: Vec<usize> = if names.is_empty() {
        (0..session.katas.len()).collect()
    } else {
        names
            .iter()
            .map(|n| session.find(n))
            .collect::<Result<_>>()?
    };
    let katas: Vec<Kata> = chosen.iter().map(|&i| session.katas[i].clone()).collect();
    let root = session.root.clone();
    let ui = session.ui;
    let mut problems: Vec<Vec<String>> = katas.iter().map(|k| static_problems(&root, k)).collect();
    if names.is_empty() {
        problems[0].extend(numbering_problems(&katas));
    }

    // Skeletons and solutions: one build, one pass over the test binaries.
    let mut subjects = Vec::new();
    for kata in &katas {
        subjects.push(kata_subject(kata));
        subjects.push(solution_subject(kata));
    }
    let solutions = if katas.len() == 1 {
        "its solution"
    } else {
        "their solutions"
    };
    eprintln!(
        "Building and testing {} and {solutions}…",
        counted(katas.len(), "kata")
    );
    let verdicts = run_subjects(session, &root.join("Cargo.toml"), &subjects)?;
    let mut summaries: Vec<Vec<String>> = vec![Vec::new(); katas.len()];
    for (i, pair) in verdicts.chunks(2).enumerate() {
        let (skeleton, solution) = (&pair[0], &pair[1]);
        judge_solution(&solution.outcome, &mut problems[i], &mut summaries[i]);
        judge_skeleton(skeleton, &mut problems[i], &mut summaries[i]);
    }

    // Pitfalls: their own generated workspace, one more build.
    let mut found: Vec<(usize, Pitfall)> = Vec::new();
    for (i, kata) in katas.iter().enumerate() {
        for pitfall in pitfalls::discover(kata)? {
            found.push((i, pitfall));
        }
    }
    let pairs: Vec<(&Kata, &Pitfall)> = found.iter().map(|(i, p)| (&katas[*i], p)).collect();
    // One pitfall workspace per checkout: a second `verify` running at the
    // same time would rewrite it under the first one's build, so it waits.
    let _pitfalls_lock = pitfalls::lock_workspace(&root)?;
    let (manifest, subjects) = pitfalls::write_workspace(&root, &pairs)?;
    eprintln!(
        "Building and testing {}…",
        counted(subjects.len(), "pitfall")
    );
    let mut pitfall_session_runner = session.runner.clone();
    // The pitfall workspace shares the main one's target directory (wherever
    // CARGO_TARGET_DIR or a cargo config puts it), so tokio and friends are
    // not compiled a second time.
    pitfall_session_runner.cargo.target_dir = Some(main_target_dir(&root));
    let verdicts = run_with(session.ui, &pitfall_session_runner, &manifest, &subjects)?;
    let mut caught: HashMap<usize, (usize, usize)> = HashMap::new();
    for ((i, pitfall), verdict) in found.iter().zip(&verdicts) {
        let tally = caught.entry(*i).or_default();
        tally.1 += 1;
        match judge_pitfall(pitfall, &verdict.outcome) {
            Ok(()) => tally.0 += 1,
            Err(problem) => problems[*i].push(problem),
        }
    }
    for (i, summary) in summaries.iter_mut().enumerate() {
        let (ok, total) = caught.get(&i).copied().unwrap_or_default();
        summary.push(format!("pitfalls {ok}/{total} caught"));
    }

    // Lints and formatting, of the katas and of the runner itself.
    eprintln!("Running clippy and rustfmt…");
    let mut lint_packages: Vec<String> = katas
        .iter()
        .flat_map(|k| [k.package().to_owned(), k.solution_package()])
        .collect();
    lint_packages.push("xtask".to_owned());
    let lints = session
        .runner
        .cargo
        .clippy(&root.join("Cargo.toml"), &lint_packages)?;
    let unformatted = unformatted_files(session, &lint_packages)?;
    let lint_problems = |dirs: &[&PathBuf]| -> Vec<String> {
        let mut found = Vec::new();
        for dir in dirs {
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
                    indent(finding)
                ));
            }
            for file in unformatted.iter().filter(|f| f.starts_with(dir)) {
                found.push(format!(
                    "not rustfmt-clean: {} (run `cargo fmt`)",
                    relative(&root, file)
                ));
            }
        }
        found
    };
    let mut rows: Vec<Row> = Vec::new();
    for (i, kata) in katas.iter().enumerate() {
        problems[i].extend(lint_problems(&[&kata.dir, &kata.solution_dir]));
        rows.push(Row {
            label: kata.label(),
            summary: summaries[i].join(" · "),
            problems: std::mem::take(&mut problems[i]),
        });
    }
    rows.push(Row {
        label: "the runner (xtask)".to_owned(),
        summary: "clippy · rustfmt".to_owned(),
        problems: lint_problems(&[&root.join("xtask")]),
    });
    Ok(print_results(ui, &rows))
}

/// One line of the verdict: a kata (or the runner) and what is wrong with it.
struct Row {
    label: String,
    summary: String,
    problems: Vec<String>,
}

fn solution_subject(kata: &Kata) -> Subject {
    Subject {
        label: format!("{} solution", kata.label()),
        package: kata.solution_package(),
        dir: kata.solution_dir.clone(),
    }
}

fn run_subjects(session: &Session, manifest: &Path, subjects: &[Subject]) -> Result<Vec<Verdict>> {
    run_with(session.ui, &session.runner, manifest, subjects)
}

fn run_with(
    ui: Ui,
    runner: &crate::runner::Runner,
    manifest: &Path,
    subjects: &[Subject],
) -> Result<Vec<Verdict>> {
    let view = ProgressView::new(ui, subjects.len());
    let verdicts = runner.check(manifest, subjects, &mut |event| {
        if let crate::runner::Event::Finished { .. } = event {
            view.skip(1);
        }
    })?;
    view.finish();
    Ok(verdicts)
}

fn judge_solution(outcome: &Outcome, problems: &mut Vec<String>, summary: &mut Vec<String>) {
    if outcome.passed() {
        summary.push(format!(
            "solution passes {}/{}",
            outcome.tests().len(),
            outcome.tests().len()
        ));
    } else {
        problems.push(format!("the solution does not pass: {}", describe(outcome)));
    }
}

fn judge_skeleton(verdict: &Verdict, problems: &mut Vec<String>, summary: &mut Vec<String>) {
    let outcome = &verdict.outcome;
    match outcome {
        Outcome::Failed { tests } => {
            let failed = outcome.failed_tests().count();
            summary.push(format!("skeleton fails {failed}/{}", tests.len()));
        }
        other => problems.push(format!(
            "the skeleton must compile and fail its tests, but: {}",
            describe(other)
        )),
    }
    for warning in &verdict.warnings {
        problems.push(format!("the skeleton has a warning:\n{}", indent(warning)));
    }
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

fn judge_pitfall(pitfall: &Pitfall, outcome: &Outcome) -> Result<(), String> {
    let name = &pitfall.name;
    match outcome {
        Outcome::Passed { .. } => Err(format!("pitfall {name} is not caught: every test passes")),
        Outcome::DoesNotCompile { diagnostics } => Err(format!(
            "pitfall {name} does not compile, so it proves nothing:\n{}",
            indent(diagnostics.first().map_or("", String::as_str))
        )),
        Outcome::CouldNotRun { reason } => Err(format!("pitfall {name} could not run: {reason}")),
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
                    "pitfall {name}: {} should fail but did not (failed: {})",
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

fn describe(outcome: &Outcome) -> String {
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

fn indent(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| format!("      {l}"))
        .collect::<Vec<_>>()
        .join("\n")
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

fn print_results(ui: Ui, rows: &[Row]) -> bool {
    for row in rows {
        let mark = if row.problems.is_empty() {
            ui.green("✓")
        } else {
            ui.red("✗")
        };
        println!("{mark} {:<32} {}", row.label, ui.dim(&row.summary));
        for problem in &row.problems {
            println!("    {} {problem}", ui.red("-"));
        }
    }
    let failed = rows.iter().filter(|r| !r.problems.is_empty()).count();
    // A plain closing line that CI logs and humans both read.
    println!("\nverify: {} passed, {failed} failed", rows.len() - failed);
    failed == 0
}

/// What can be checked by reading files alone. `cargo test` runs this too
/// (xtask/tests/repository.rs), so the tree guards itself.
pub fn static_problems(root: &Path, kata: &Kata) -> Vec<String> {
    let mut problems = Vec::new();
    let meta = &kata.meta;
    let dir_name = kata
        .dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if dir_name != kata.dir_name() {
        problems.push(format!(
            "the directory should be katas/{} to match kata.toml",
            kata.dir_name()
        ));
    }
    if meta.hints.len() < MIN_HINTS {
        problems.push(format!(
            "kata.toml has {} hints; at least {MIN_HINTS}",
            meta.hints.len()
        ));
    }
    for (field, value) in [
        ("title", &meta.title),
        ("track", &meta.track),
        ("source", &meta.source),
        ("question", &meta.question),
    ] {
        if value.trim().is_empty() {
            problems.push(format!("kata.toml: `{field}` is empty"));
        }
    }
    problems.extend(manifest_problems(root, kata));
    problems.extend(readme_problems(kata));
    problems.extend(given_code_problems(kata));
    match pitfalls::discover(kata) {
        Ok(found) if found.is_empty() => {
            problems.push("no pitfall in solutions/…/pitfalls/".to_owned())
        }
        Ok(found) => {
            let tests = std::fs::read_to_string(kata.test_file()).unwrap_or_default();
            for pitfall in found {
                if pitfall.summary.is_empty() {
                    problems.push(format!("pitfall {}: no `//! Pitfall:` line", pitfall.name));
                }
                if pitfall.caught_by.is_empty() {
                    problems.push(format!(
                        "pitfall {}: no `//! Caught by:` line",
                        pitfall.name
                    ));
                }
                for test in &pitfall.caught_by {
                    if !tests.contains(&format!("fn {test}(")) {
                        problems.push(format!(
                            "pitfall {}: `Caught by` names {test}, which is not a test",
                            pitfall.name
                        ));
                    }
                }
            }
        }
        Err(err) => problems.push(format!("{err:#}")),
    }
    problems
}

fn manifest_problems(root: &Path, kata: &Kata) -> Vec<String> {
    let mut problems = Vec::new();
    let (kata_toml, solution_toml) = match (
        read_table(&kata.dir.join("Cargo.toml")),
        read_table(&kata.solution_dir.join("Cargo.toml")),
    ) {
        (Ok(k), Ok(s)) => (k, s),
        (Err(err), _) | (_, Err(err)) => return vec![format!("{err:#}")],
    };
    let get = |table: &toml::Table, path: &[&str]| -> Option<Value> {
        let mut value = table.get(path[0])?;
        for key in &path[1..] {
            value = value.get(key)?;
        }
        Some(value.clone())
    };
    if get(&kata_toml, &["package", "name"])
        .and_then(|v| v.as_str().map(str::to_owned))
        .as_deref()
        != Some(kata.package())
    {
        problems.push(format!(
            "katas/{}/Cargo.toml: the package must be named `{}`",
            kata.dir_name(),
            kata.package()
        ));
    }
    if get(&solution_toml, &["package", "name"]).and_then(|v| v.as_str().map(str::to_owned))
        != Some(kata.solution_package())
    {
        problems.push(format!(
            "the solution package must be named `{}`",
            kata.solution_package()
        ));
    }
    if get(&solution_toml, &["lib", "name"]).and_then(|v| v.as_str().map(str::to_owned))
        != Some(kata.lib_name())
    {
        problems.push(format!(
            "the solution's [lib] must be named `{}`, as the kata's",
            kata.lib_name()
        ));
    }
    for (who, table) in [("kata", &kata_toml), ("solution", &solution_toml)] {
        if get(table, &["lib", "doctest"]) != Some(Value::Boolean(false))
            || get(table, &["lib", "test"]) != Some(Value::Boolean(false))
        {
            problems.push(format!("the {who}'s [lib] needs `test = false` and `doctest = false` (one test binary per crate)"));
        }
    }
    // The one test file: the solution's only test target is the kata's file.
    let tests = get(&solution_toml, &["test"])
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let paths: Vec<PathBuf> = tests
        .iter()
        .filter_map(|t| t.get("path").and_then(Value::as_str))
        .map(|p| kata.solution_dir.join(p))
        .collect();
    let shared = paths.len() == 1 && same_file(&paths[0], &kata.test_file());
    if !shared || get(&solution_toml, &["package", "autotests"]) != Some(Value::Boolean(false)) {
        problems.push(format!(
            "the solution must run the kata's own tests and no others: `autotests = false` and one [[test]] with path = \"../../katas/{}/tests/{}.rs\"",
            kata.dir_name(),
            kata.lib_name()
        ));
    }
    if !kata.test_file().is_file() {
        problems.push(format!(
            "no test file at {}",
            relative(root, &kata.test_file())
        ));
    }
    let deps = |table: &toml::Table| {
        get(table, &["dependencies"])
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    if deps(&kata_toml) != deps(&solution_toml) {
        problems.push("the kata and its solution must have the same [dependencies]".to_owned());
    }
    problems
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Code a kata gives the learner (a simulated service, error types) lives
/// once, in `katas/NN-slug/src/given.rs`, and the solution includes that very
/// file: like the tests, a second copy could drift.
fn given_code_problems(kata: &Kata) -> Vec<String> {
    let mut problems = Vec::new();
    let skeleton = std::fs::read_to_string(kata.lib_file()).unwrap_or_default();
    if skeleton.contains("This part is given") {
        problems.push(format!(
            "katas/{}/src/lib.rs has given code: move it to src/given.rs",
            kata.dir_name()
        ));
    }
    if kata.solution_dir.join("src").join("given.rs").exists() {
        problems.push(format!(
            "solutions/{0}/src/given.rs is a second copy: include katas/{0}/src/given.rs instead",
            kata.dir_name()
        ));
    }
    if kata.dir.join("src").join("given.rs").is_file() {
        let solution = std::fs::read_to_string(kata.solution_dir.join("src").join("lib.rs"))
            .unwrap_or_default();
        let include = format!(
            "#[path = \"../../../katas/{}/src/given.rs\"]",
            kata.dir_name()
        );
        if !solution.contains(&include) {
            problems.push(format!(
                "the solution must include the kata's given code: `{include} mod given;`"
            ));
        }
    }
    problems
}

fn readme_problems(kata: &Kata) -> Vec<String> {
    let Ok(readme) = std::fs::read_to_string(kata.dir.join("README.md")) else {
        return vec!["no README.md".to_owned()];
    };
    let mut problems = Vec::new();
    let heading = format!("# {:02} · ", kata.meta.number);
    if !readme.starts_with(&heading) {
        problems.push(format!("README.md must start with `{heading}<title>`"));
    }
    let mut last = 0;
    for section in README_SECTIONS {
        match readme.find(&format!("\n{section}\n")) {
            Some(at) if at >= last => last = at,
            Some(_) => problems.push(format!("README.md: `{section}` is out of order")),
            None => problems.push(format!("README.md has no `{section}` section")),
        }
    }
    for marker in ["**EN:**", "**RU:**", "```python"] {
        if !readme.contains(marker) {
            problems.push(format!("README.md has no {marker}"));
        }
    }
    if !readme.contains(&format!("cargo test -p {}", kata.package())) {
        problems.push(format!(
            "README.md should say how to run it: `cargo test -p {}`",
            kata.package()
        ));
    }
    problems
}

/// Kata numbers run 1, 2, 3… with no gap and no repeat.
pub fn numbering_problems(katas: &[Kata]) -> Vec<String> {
    let mut seen: BTreeMap<u32, &str> = BTreeMap::new();
    let mut problems = Vec::new();
    for kata in katas {
        if let Some(other) = seen.insert(kata.meta.number, &kata.meta.slug) {
            problems.push(format!(
                "katas {other} and {} share number {}",
                kata.meta.slug, kata.meta.number
            ));
        }
    }
    for (expected, number) in (1..).zip(seen.keys()) {
        if *number != expected {
            problems.push(format!("kata numbers skip {expected}"));
            break;
        }
    }
    problems
}
