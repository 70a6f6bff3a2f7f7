//! `cargo xtask python` (maintainers): runs every Python program in the
//! katas' READMEs and checks that it prints what its `# prints:` comments
//! say (`snippets` has the rules). An interview candidate will repeat what
//! "The Python idea" says, so it is checked like the Rust side.
//!
//! The katas target CPython 3.11 to 3.13; CI runs this with the oldest and
//! the newest (`.github/workflows/python.yml`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::cargo::run_with_limit;
use crate::katas::Kata;
use crate::render::{counted, indent};
use crate::session::Session;
use crate::snippets::{self, Snippet};

/// The oldest Python the READMEs are written for.
pub const OLDEST: (u32, u32) = (3, 11);

/// Each program sleeps tenths of a second; one that takes this long hangs.
const LIMIT: Duration = Duration::from_secs(10);

pub fn run(session: &Session, names: &[String], python: Option<&Path>) -> Result<bool> {
    let katas: Vec<&Kata> = if names.is_empty() {
        session.katas.iter().collect()
    } else {
        let mut chosen = Vec::new();
        for name in names {
            chosen.push(&session.katas[session.find(name)?]);
        }
        chosen
    };
    let python = python.map_or_else(|| PathBuf::from("python3"), Path::to_path_buf);
    let version = version_of(&python)?;
    let scratch = session.root.join("target").join("xtask").join("python");
    std::fs::create_dir_all(&scratch)
        .with_context(|| format!("cannot create {}", scratch.display()))?;

    let jobs: Vec<(&Kata, usize, Snippet)> = katas
        .iter()
        .flat_map(|kata| {
            let readme = std::fs::read_to_string(kata.dir.join("README.md")).unwrap_or_default();
            snippets::extract(&readme)
                .into_iter()
                .enumerate()
                .map(move |(i, snippet)| (*kata, i + 1, snippet))
        })
        .collect();
    eprintln!(
        "Running {} with Python {version}…",
        counted(jobs.len(), "Python program")
    );

    // Programs mostly sleep, so several at a time cost little.
    let problems: Mutex<Vec<Option<String>>> = Mutex::new(vec![None; jobs.len()]);
    let next = Mutex::new(0);
    thread::scope(|scope| {
        for _ in 0..4.min(jobs.len()) {
            scope.spawn(|| {
                loop {
                    let index = {
                        let mut next = next.lock().unwrap_or_else(|e| e.into_inner());
                        *next += 1;
                        *next - 1
                    };
                    let Some((kata, number, snippet)) = jobs.get(index) else {
                        break;
                    };
                    let verdict = check(&python, &scratch, kata, *number, snippet).err();
                    problems.lock().unwrap_or_else(|e| e.into_inner())[index] = verdict;
                }
            });
        }
    });
    let problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());

    let ui = session.ui;
    let mut failed_katas = 0;
    for kata in &katas {
        let mine: Vec<(&usize, &Snippet, &Option<String>)> = jobs
            .iter()
            .zip(&problems)
            .filter(|((k, _, _), _)| k.meta.number == kata.meta.number)
            .map(|((_, n, s), p)| (n, s, p))
            .collect();
        let mut lines = Vec::new();
        if mine.is_empty() {
            lines.push("its README has no ```python block".to_owned());
        }
        for (number, snippet, problem) in &mine {
            if let Some(problem) = problem {
                lines.push(format!(
                    "block {number} (README.md line {}):\n{}",
                    snippet.line,
                    indent(problem)
                ));
            }
        }
        let mark = if lines.is_empty() {
            ui.green("✓")
        } else {
            failed_katas += 1;
            ui.red("✗")
        };
        println!(
            "{mark} {:<32} {}",
            kata.label(),
            ui.dim(counted(mine.len(), "block"))
        );
        for line in lines {
            println!("    {} {line}", ui.red("-"));
        }
    }
    println!(
        "\npython {version}: {} passed, {failed_katas} failed",
        katas.len() - failed_katas
    );
    Ok(failed_katas == 0)
}

/// Runs one program and compares its output with what it says it prints.
fn check(
    python: &Path,
    scratch: &Path,
    kata: &Kata,
    number: usize,
    snippet: &Snippet,
) -> Result<(), String> {
    let expected = snippets::expected(&snippet.code);
    // A file, not `-c`: tracebacks then name a line a maintainer can find.
    let file = scratch.join(format!("{}-{number}.py", kata.dir_name()));
    std::fs::write(&file, &snippet.code)
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let mut command = Command::new(python);
    command
        .arg(&file)
        .current_dir(scratch)
        // Unbuffered, so that what was printed before a hang is still seen.
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let run = run_with_limit(&mut command, LIMIT).map_err(|e| format!("{e:#}"))?;
    if expected.is_empty() {
        // Show what it printed: that is what the comments should say.
        return Err(format!(
            "it says nothing about what it prints: add `# prints:` comments (docs/AUTHORING.md); it printed:\n{}\n  and on standard error:\n{}",
            indent(&run.stdout),
            indent(&run.stderr)
        ));
    }
    snippets::compare(&expected, &run)
}

/// `3.11.7`, or why this Python cannot be used.
fn version_of(python: &Path) -> Result<String> {
    let output = Command::new(python)
        .args(["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"])
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        _ => bail!(
            "cannot run `{}`: `cargo xtask python` runs the READMEs' Python programs and needs CPython {}.{} or newer (install it, or pass --python PATH)",
            python.display(),
            OLDEST.0,
            OLDEST.1
        ),
    };
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if (major, minor) < OLDEST {
        bail!(
            "`{}` is Python {version}; the katas target {}.{} and newer",
            python.display(),
            OLDEST.0,
            OLDEST.1
        );
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checker's own test, with a real Python where there is one: the
    /// right `# prints:` line passes, a deliberately wrong one fails.
    #[test]
    fn a_wrong_prints_line_fails_with_a_real_python() {
        let _alone = crate::children::TEST_LOCK
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let python = PathBuf::from("python3");
        if version_of(&python).is_err() {
            eprintln!(
                "skipped: no python3 3.11+ here (the comparison itself is tested in snippets)"
            );
            return;
        }
        let scratch = std::env::temp_dir().join(format!("xtask-python-{}", std::process::id()));
        std::fs::create_dir_all(&scratch).unwrap();
        let kata = crate::katas::discover(&crate::katas::workspace_root()).unwrap()[0].clone();
        let program = |says: &str| Snippet {
            line: 1,
            code: format!(
                "import asyncio\n\nasync def main():\n    await asyncio.sleep(0.01)\n    print(sum([1, 2, 3]))  # prints: {says}\n\nasyncio.run(main())\n"
            ),
        };
        assert_eq!(check(&python, &scratch, &kata, 1, &program("6")), Ok(()));
        let problem = check(&python, &scratch, &kata, 1, &program("7")).unwrap_err();
        assert!(problem.contains("expected: 7"), "{problem}");
        let _ = std::fs::remove_dir_all(&scratch);
    }
}
