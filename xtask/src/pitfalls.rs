//! Pitfalls: the classic wrong answers, kept so that `verify` can prove each
//! kata's tests reject them.
//!
//! A pitfall is one file, `solutions/NN-slug/pitfalls/NAME.rs`, that replaces
//! the solution's `src/lib.rs`. Its header names the tests that must catch it:
//!
//! ```text
//! //! Pitfall: awaiting each fetch before starting the next.
//! //! Caught by: three_one_second_fetches_take_one_second
//! ```
//!
//! To build them without adding a crate per pitfall to the workspace (and to
//! every learner's build), `verify` writes a separate workspace under
//! `target/xtask/pitfalls`, one package per pitfall, that shares the main
//! `target/` directory so that tokio and friends are not compiled again.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use toml::{Table, Value};

use crate::katas::Kata;
use crate::runner::Subject;

#[derive(Debug, Clone)]
pub struct Pitfall {
    /// The file name without `.rs`.
    pub name: String,
    pub file: PathBuf,
    /// The first line of its header: what goes wrong.
    pub summary: String,
    /// The tests that must fail against it.
    pub caught_by: Vec<String>,
}

/// The pitfalls of a kata, in file-name order.
pub fn discover(kata: &Kata) -> Result<Vec<Pitfall>> {
    let dir = kata.pitfalls_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut pitfalls = Vec::new();
    for entry in entries {
        let file = entry?.path();
        if file.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let (summary, caught_by) = parse_header(&text);
        let name = file
            .file_stem()
            .expect("a .rs file has a stem")
            .to_string_lossy()
            .into_owned();
        pitfalls.push(Pitfall {
            name,
            file,
            summary,
            caught_by,
        });
    }
    pitfalls.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(pitfalls)
}

/// Reads `//! Pitfall: …` and `//! Caught by: a, b` from a pitfall's header.
pub fn parse_header(text: &str) -> (String, Vec<String>) {
    let mut summary = String::new();
    let mut caught_by = Vec::new();
    for line in text.lines().map_while(|l| l.strip_prefix("//!")) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Pitfall:") {
            summary = rest.trim().to_owned();
        } else if let Some(rest) = line.strip_prefix("Caught by:") {
            caught_by.extend(
                rest.split(',')
                    .map(|name| name.trim().to_owned())
                    .filter(|name| !name.is_empty()),
            );
        }
    }
    (summary, caught_by)
}

/// Where the generated pitfall workspace lives (its build output goes to the
/// main workspace's target directory).
fn workspace_dir(root: &Path) -> PathBuf {
    root.join("target").join("xtask").join("pitfalls")
}

/// Takes the pitfall workspace for this process until the returned file is
/// dropped, waiting (and saying so) while another `verify` holds it.
pub fn lock_workspace(root: &Path) -> Result<std::fs::File> {
    // Beside the workspace, not in it: writing the workspace deletes it first.
    let path = workspace_dir(root).with_extension("lock");
    let dir = path
        .parent()
        .expect("the pitfall workspace has a parent directory");
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    if file.try_lock().is_err() {
        eprintln!("Another `cargo xtask verify` is building the pitfalls; waiting for it…");
        file.lock()
            .with_context(|| format!("cannot lock {}", path.display()))?;
    }
    Ok(file)
}

/// Writes the pitfall workspace and returns its manifest and one subject per
/// pitfall, in the order given.
pub fn write_workspace(
    root: &Path,
    pitfalls: &[(&Kata, &Pitfall)],
) -> Result<(PathBuf, Vec<Subject>)> {
    let dir = workspace_dir(root);
    // Old packages would otherwise linger as members of nothing.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;

    let mut subjects = Vec::new();
    let mut members = Vec::new();
    for (kata, pitfall) in pitfalls {
        let package = format!(
            "{}-pitfall-{}",
            kata.meta.slug,
            pitfall.name.replace('_', "-")
        );
        let package_dir = dir.join(&package);
        std::fs::create_dir_all(&package_dir)?;
        let manifest = pitfall_manifest(kata, pitfall, &package)?;
        std::fs::write(package_dir.join("Cargo.toml"), manifest)?;
        members.push(Value::from(package.clone()));
        subjects.push(Subject {
            label: format!("{} pitfall {}", kata.label(), pitfall.name),
            package,
            dir: package_dir,
        });
    }

    // The workspace manifest is the real one with other members: the same
    // dependency versions, features, lints and profiles.
    let mut workspace = read_table(&root.join("Cargo.toml"))?;
    let section = workspace
        .get_mut("workspace")
        .and_then(Value::as_table_mut)
        .context("the root Cargo.toml has no [workspace]")?;
    section.insert("members".into(), Value::Array(members));
    section.remove("default-members");
    let manifest = dir.join("Cargo.toml");
    std::fs::write(&manifest, toml::to_string(&workspace)?)?;
    // The same lock file, so that the same versions are built (and reused).
    let lock = root.join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock"))?;
    }
    Ok((manifest, subjects))
}

/// The solution's manifest, renamed, with the pitfall as its library and
/// every path made absolute.
fn pitfall_manifest(kata: &Kata, pitfall: &Pitfall, package: &str) -> Result<String> {
    let mut manifest = read_table(&kata.solution_dir.join("Cargo.toml"))?;
    let Some(Value::Table(section)) = manifest.get_mut("package") else {
        bail!("{} has no [package]", kata.solution_dir.display());
    };
    section.insert("name".into(), Value::from(package));
    let Some(Value::Table(lib)) = manifest.get_mut("lib") else {
        bail!("{} has no [lib]", kata.solution_dir.display());
    };
    lib.insert("path".into(), Value::from(path_string(&pitfall.file)));
    if let Some(Value::Array(tests)) = manifest.get_mut("test") {
        for test in tests.iter_mut().filter_map(Value::as_table_mut) {
            if let Some(path) = test.get("path").and_then(Value::as_str) {
                let absolute = kata.solution_dir.join(path);
                test.insert("path".into(), Value::from(path_string(&absolute)));
            }
        }
    }
    Ok(toml::to_string(&manifest)?)
}

pub fn read_table(file: &Path) -> Result<Table> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    toml::from_str(&text).with_context(|| format!("{} is not valid TOML", file.display()))
}

fn path_string(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_the_pitfall_and_its_catchers() {
        let text = "//! Pitfall: awaiting in a loop.\n//!\n//! Caught by: a_test, another\n\nfn x() {}\n//! Caught by: not_in_the_header\n";
        let (summary, caught_by) = parse_header(text);
        assert_eq!(summary, "awaiting in a loop.");
        assert_eq!(caught_by, ["a_test", "another"]);
    }
}
