//! `cargo xtask classroom DIR`: writes a student template, ready to push as
//! the template repository of a GitHub Classroom assignment.
//!
//! The copy has the chosen katas and the runner, and none of the
//! maintainers' things: no solutions, no pitfalls, no maintainers' CI. It
//! gets a README for students, a grading workflow (points per kata, shown in
//! Classroom's own UI through its grading reporter), and the manifest that
//! lets grading tell a solved kata from a kata whose tests were changed
//! (see [`crate::classroom`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use toml::Value;

use crate::classroom::{self, MANIFEST, POINTS};
use crate::katas::{Kata, Level};
use crate::pitfalls::read_table;
use crate::render::counted;
use crate::session::Session;

#[derive(Debug)]
pub struct Options {
    pub dir: PathBuf,
    /// Which katas: numbers, ranges (`25-33`), slugs or track names,
    /// comma-separated; all when `None`.
    pub katas: Option<String>,
    /// Keep each kata's last hint (the one that nearly gives the answer) out.
    pub hold_back_last_hint: bool,
    /// Points per level, `basic=1,intermediate=2,advanced=3` by default.
    pub points: Option<String>,
}

pub fn run(session: &Session, options: &Options) -> Result<bool> {
    if classroom::is_copy(&session.root) {
        bail!("this is a classroom copy already: export from the maintainers' repository");
    }
    let dir = &options.dir;
    if dir.exists()
        && std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .next()
            .is_some()
    {
        bail!(
            "{} exists and is not empty: give a new directory (nothing was written)",
            dir.display()
        );
    }
    let katas = choose(&session.katas, options.katas.as_deref())?;
    let per_level = level_points(options.points.as_deref())?;
    let root = &session.root;

    copy_workspace(root, dir)?;
    let mut points = BTreeMap::new();
    for kata in &katas {
        let target = dir.join("katas").join(kata.dir_name());
        copy_tree(&kata.dir, &target)?;
        if options.hold_back_last_hint {
            hold_back_last_hint(kata, &target)?;
        }
        points.insert(kata.meta.slug.clone(), per_level(kata.meta.level));
    }
    let points_text: String = points
        .iter()
        .map(|(slug, p)| format!("{slug} = {p}\n"))
        .collect();
    write(
        dir,
        POINTS,
        &format!(
            "# Each kata's points: `cargo xtask report --format classroom` reads this.\n{points_text}"
        ),
    )?;

    // The copy's own view of its katas, for the lock file, the manifest and
    // the README.
    let copied = crate::katas::discover(dir)?;
    copy_lock_file(root, dir, &copied)?;
    let mut protected = classroom::protected_runner_files(dir);
    for kata in &copied {
        protected.extend(classroom::protected_kata_files(dir, kata));
    }
    let manifest = classroom::manifest_text(dir, &protected)?;
    write(dir, MANIFEST, &manifest)?;
    let digest = classroom::sha256(manifest.as_bytes());
    let max_score: u32 = points.values().sum();
    write(
        dir,
        ".github/workflows/classroom.yml",
        &workflow(&digest, max_score),
    )?;
    write(dir, "README.md", &student_readme(&copied, &points))?;
    write(dir, ".gitignore", GITIGNORE)?;

    println!(
        "Wrote a student template with {} ({} points) to {}.",
        counted(copied.len(), "kata"),
        max_score,
        dir.display()
    );
    println!(
        "Next: `cd {}`, `git init`, commit everything, push it to GitHub, mark the repository as a template, and use it as the starter code of a GitHub Classroom assignment.",
        dir.display()
    );
    println!("Its workflow grades every push; the manifest's digest in it is {digest}.");
    Ok(true)
}

/// The katas a selection names, in curriculum order.
pub fn choose(katas: &[Kata], selection: Option<&str>) -> Result<Vec<Kata>> {
    let Some(selection) = selection else {
        return Ok(katas.to_vec());
    };
    let mut chosen: Vec<u32> = Vec::new();
    for item in selection
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        let range = item.split_once('-').and_then(|(a, b)| {
            Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?))
        });
        let track: Vec<u32> = katas
            .iter()
            .filter(|k| k.meta.track.eq_ignore_ascii_case(item))
            .map(|k| k.meta.number)
            .collect();
        if let Some((first, last)) = range {
            let found: Vec<u32> = katas
                .iter()
                .map(|k| k.meta.number)
                .filter(|n| (first..=last).contains(n))
                .collect();
            if found.is_empty() {
                bail!("no kata is numbered {first} to {last}");
            }
            chosen.extend(found);
        } else if !track.is_empty() {
            chosen.extend(track);
        } else {
            let kata = crate::katas::find(katas, item).map_err(|err| {
                let mut tracks: Vec<&str> = katas.iter().map(|k| k.meta.track.as_str()).collect();
                tracks.dedup();
                anyhow::anyhow!(
                    "{err:#} A selection is numbers, ranges (25-33), slugs or track names ({}), separated by commas.",
                    tracks.join(", ")
                )
            })?;
            chosen.push(kata.meta.number);
        }
    }
    Ok(katas
        .iter()
        .filter(|k| chosen.contains(&k.meta.number))
        .cloned()
        .collect())
}

/// `basic=1,intermediate=2,advanced=3` as a function of the level.
fn level_points(spec: Option<&str>) -> Result<impl Fn(Level) -> u32> {
    let mut table = [
        classroom::default_points(Level::Basic),
        classroom::default_points(Level::Intermediate),
        classroom::default_points(Level::Advanced),
    ];
    for item in spec
        .unwrap_or("")
        .split(',')
        .filter(|i| !i.trim().is_empty())
    {
        let Some((level, points)) = item.split_once('=') else {
            bail!("--points takes `basic=1,intermediate=2,advanced=3`, not `{item}`");
        };
        let points: u32 = points
            .trim()
            .parse()
            .with_context(|| format!("--points: `{points}` is not a whole number"))?;
        let slot = match level.trim().to_lowercase().as_str() {
            "basic" | "b" => 0,
            "intermediate" | "i" => 1,
            "advanced" | "a" => 2,
            other => bail!("--points: `{other}` is not a level (basic, intermediate, advanced)"),
        };
        table[slot] = points;
    }
    Ok(move |level| match level {
        Level::Basic => table[0],
        Level::Intermediate => table[1],
        Level::Advanced => table[2],
    })
}

/// The workspace without its katas, solutions and maintainers' files, with
/// the members fixed.
fn copy_workspace(root: &Path, dir: &Path) -> Result<()> {
    copy_tree(&root.join("xtask"), &dir.join("xtask"))?;
    copy_tree(&root.join("docs"), &dir.join("docs"))?;
    for file in [".cargo/config.toml", "clippy.toml", "rustfmt.toml"] {
        let from = root.join(file);
        if from.is_file() {
            let to = dir.join(file);
            std::fs::create_dir_all(to.parent().expect("a file has a directory"))?;
            std::fs::copy(&from, &to)
                .with_context(|| format!("cannot copy {file} to {}", to.display()))?;
        }
    }
    let mut manifest = read_table(&root.join("Cargo.toml"))?;
    let workspace = manifest
        .get_mut("workspace")
        .and_then(Value::as_table_mut)
        .context("the root Cargo.toml has no [workspace]")?;
    workspace.insert(
        "members".into(),
        Value::Array(vec!["katas/*".into(), "xtask".into()]),
    );
    // Plain `cargo test` checks the runner only: the katas fail until solved.
    workspace.insert("default-members".into(), Value::Array(vec!["xtask".into()]));
    write(
        dir,
        "Cargo.toml",
        &format!(
            "# A classroom copy of the async Rust katas (`cargo xtask classroom`).\n{}",
            toml::to_string(&manifest)?
        ),
    )
}

/// The lock file without the packages the copy does not have (solutions and
/// the katas left out), so that the first build of the template does not
/// rewrite it and a student's first commit does not carry a changed lock.
fn copy_lock_file(root: &Path, dir: &Path, copied: &[Kata]) -> Result<()> {
    let from = root.join("Cargo.lock");
    let Ok(lock) = std::fs::read_to_string(&from) else {
        return Ok(()); // No lock to copy: cargo makes one on the first build.
    };
    let local: BTreeSet<String> = ["xtask", "workspace-hack"]
        .into_iter()
        .chain(copied.iter().map(Kata::package))
        .map(str::to_owned)
        .collect();
    write(dir, "Cargo.lock", &trim_lock(&lock, &local))
}

/// Drops from a `Cargo.lock` every package of the workspace itself (one with
/// no `source`) whose name is not in `keep`. Text in, text out, in cargo's
/// own layout: a lock rewritten by a TOML library would differ in form, and
/// cargo would write it back.
fn trim_lock(lock: &str, keep: &BTreeSet<String>) -> String {
    let kept: Vec<&str> = lock
        .trim_end_matches('\n')
        .split("\n\n")
        .filter(|block| {
            if !block.starts_with("[[package]]") || block.contains("\nsource = ") {
                return true;
            }
            let name = block
                .lines()
                .find_map(|line| line.strip_prefix("name = \""))
                .and_then(|rest| rest.strip_suffix('"'));
            name.is_none_or(|name| keep.contains(name))
        })
        .collect();
    kept.join("\n\n") + "\n"
}

/// Drops the last hint of a copied kata's `kata.toml`.
fn hold_back_last_hint(kata: &Kata, target: &Path) -> Result<()> {
    let mut meta = kata.meta.clone();
    meta.hints.pop();
    meta.source = None;
    write(
        target,
        "kata.toml",
        &format!(
            "# Kata metadata: the runner (`cargo xtask`) reads this file and nothing else.\n# The last hint is held back by your teacher.\n{}",
            toml::to_string(&meta)?
        ),
    )
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name))?;
        } else {
            std::fs::copy(&path, to.join(&name))
                .with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}

fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a file has a directory"))?;
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

const GITIGNORE: &str = "/target
# Your progress, revealed hints and reset backups stay on your machine.
/.kata-state.json
/.kata-state.json.*
/.kata-backups/
# Reports the grading workflow writes.
/grading/
";

/// The grading workflow. It checks the files that grade before it runs
/// anything of the student's: the manifest against the digest written here,
/// then the runner's files against the manifest, with the system's
/// `sha256sum`. Then the runner grades every kata, checking each kata's
/// protected files itself, and the reporter gives the points to Classroom.
fn workflow(digest: &str, max_score: u32) -> String {
    format!(
        r#"# Written by `cargo xtask classroom`: grades every push of an assignment.
# Points go to GitHub Classroom through its grading reporter; the job summary
# has a table of katas, and the reports are kept as an artifact.
name: Autograding

on:
  push:
  repository_dispatch:
  workflow_dispatch:

permissions:
  checks: write
  actions: read
  contents: read

env:
  # The digest of .classroom/manifest.sha256 as handed out.
  MANIFEST_SHA256: {digest}
  MAX_SCORE: {max_score}

jobs:
  grade:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      - uses: Swatinem/rust-cache@v2
      - name: The files that grade are the ones handed out
        id: integrity
        run: |
          mkdir -p grading
          fail() {{
            echo "::error::$1"
            printf '{{"version":1,"status":"error","max_score":%s,"tests":[{{"name":"integrity","status":"error","score":0,"message":"%s","line_no":0}}]}}' "$MAX_SCORE" "$1" > grading/classroom.json
            echo "result=$(base64 -w0 grading/classroom.json)" >> "$GITHUB_OUTPUT"
            exit 1
          }}
          echo "$MANIFEST_SHA256  .classroom/manifest.sha256" | sha256sum --check --status - \
            || fail "the manifest of protected files was changed"
          grep -E '  (xtask/|Cargo\.toml$|\.cargo/|clippy\.toml$|rustfmt\.toml$|\.classroom/)' .classroom/manifest.sha256 \
            | sha256sum --check --quiet - || fail "the runner or the workspace settings were changed"
      - name: Grade every kata
        id: katas
        run: |
          cargo xtask report --format classroom --manifest-sha256 "$MANIFEST_SHA256" --output grading/classroom.json || true
          cargo xtask report --format junit --manifest-sha256 "$MANIFEST_SHA256" --output grading/report.xml || true
          cargo xtask report --format markdown --manifest-sha256 "$MANIFEST_SHA256" >> "$GITHUB_STEP_SUMMARY" || true
          echo "result=$(base64 -w0 grading/classroom.json)" >> "$GITHUB_OUTPUT"
      - uses: classroom-resources/autograding-grading-reporter@v1
        if: always()
        env:
          KATAS_RESULTS: "${{{{ steps.katas.outputs.result || steps.integrity.outputs.result }}}}"
        with:
          runners: katas
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: grading
          path: grading/
"#
    )
}

/// The README a student finds in the template.
fn student_readme(katas: &[Kata], points: &BTreeMap<String, u32>) -> String {
    let total: u32 = points.values().sum();
    let mut table =
        String::from("| # | kata | level | points | the question |\n|---|---|---|---|---|\n");
    for kata in katas {
        table += &format!(
            "| {:02} | [{}](katas/{}) | {} | {} | {} |\n",
            kata.meta.number,
            kata.meta.slug,
            kata.dir_name(),
            kata.meta.level.letter(),
            points.get(&kata.meta.slug).copied().unwrap_or(0),
            kata.meta.question
        );
    }
    format!(
        r#"# Async Rust katas: your assignment

Each kata is a classic Python asyncio interview question turned into a small Rust
exercise on tokio: read its `README.md` (the question, the Python answer, how it maps
to Rust, your task), complete its `src/lib.rs`, and its tests tell you what is still
wrong until it is right.

## Set up

With a stable Rust toolchain, 1.89 or newer ([rustup](https://rustup.rs)):

```sh
cargo xtask progress   # every kata, what passes (nothing yet)
cargo xtask watch      # the current kata, checked on every save; h for a hint
```

`cargo xtask check`, `hint`, `next`, `list` and `reset` do what their names say
(`cargo xtask help` lists them). `cargo test -p SLUG` runs one kata's tests with plain
cargo.

## How you are graded

Every push runs the grading workflow (`.github/workflows/classroom.yml`): each kata
whose tests all pass earns its points, {total} in all. The Actions tab shows every
run, a table of your katas in its summary, and the points in GitHub Classroom.

Write your code in each kata's `src/` (`src/lib.rs`, and modules of your own if you
like). Everything else is checked against the copy you were given: a kata whose
tests, given code (`src/given.rs`), `Cargo.toml`, `kata.toml` or `README.md` differ,
or that has a file added outside `src/`, is graded 0 and reported as *tampered*; a
changed runner (`xtask/`) or workspace setting stops the grading altogether.

<!-- kata-table: one row per kata -->
{table}<!-- /kata-table -->

## How it is built

Each kata is a crate: `katas/NN-slug/` holds its `README.md`, its `kata.toml` (title,
level, hints), `src/lib.rs` (yours to complete), `src/given.rs` (code given to you) and
`tests/` (the tests). `cargo xtask` builds every kata in one cargo build and runs their
tests in parallel, each under a wall-clock limit, so a kata that hangs is stopped and
the likely causes named. Debug info is line tables only (line numbers in panics, at a
fraction of the build time), and every kata depends on `xtask/workspace-hack`, so that
checking one kata reuses what checking all of them compiled.
[`docs/TESTING.md`](docs/TESTING.md) says how the tests use tokio's paused clock.
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_default_to_the_level_and_can_be_set_per_level() {
        let default = level_points(None).unwrap();
        assert_eq!((default(Level::Basic), default(Level::Advanced)), (1, 3));
        let custom = level_points(Some("advanced=5, b=2")).unwrap();
        assert_eq!(
            (
                custom(Level::Basic),
                custom(Level::Intermediate),
                custom(Level::Advanced)
            ),
            (2, 2, 5)
        );
        assert!(level_points(Some("expert=9")).is_err());
    }

    #[test]
    fn the_lock_loses_only_the_workspace_packages_the_copy_lacks() {
        let lock = "# This file is automatically @generated by Cargo.\nversion = 4\n\n\
[[package]]\nname = \"tokio\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n\
[[package]]\nname = \"why-async\"\nversion = \"0.1.0\"\ndependencies = [\n \"tokio\",\n]\n\n\
[[package]]\nname = \"why-async-solution\"\nversion = \"0.1.0\"\ndependencies = [\n \"tokio\",\n]\n";
        let keep: BTreeSet<String> = ["why-async".to_string()].into();
        let trimmed = trim_lock(lock, &keep);
        assert!(trimmed.contains("name = \"tokio\""), "{trimmed}");
        assert!(trimmed.contains("name = \"why-async\"\n"), "{trimmed}");
        assert!(!trimmed.contains("why-async-solution"), "{trimmed}");
        assert!(trimmed.ends_with("]\n"), "the layout is kept: {trimmed:?}");
    }
}
