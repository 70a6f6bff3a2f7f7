//! The generated workspace in which `verify` builds pitfalls.
//!
//! Adding a crate per pitfall to the real workspace would put a hundred wrong
//! answers into every learner's build. Instead `verify` writes a separate
//! workspace under `target/xtask/pitfalls`, one package per pitfall, that
//! shares the main `target/` directory, so tokio and friends are not compiled
//! again.
//!
//! Each package is a mirror of the two directories a solution reaches:
//!
//! ```text
//! target/xtask/pitfalls/<kata>-pitfall-<name>/
//!   solutions/NN-slug/   the solution's crate, renamed, with the pitfall applied
//!   katas/NN-slug/       the kata's given code and tests, which the solution includes
//! ```
//!
//! so that every relative path in the solution (`#[path = "../../../katas/…"]`,
//! its `[[test]]`) leads where it does in the real tree. Files are written
//! only when their content changes: cargo judges freshness by modification
//! time, and rewriting an unchanged file would rebuild the pitfall.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use toml::{Table, Value};

use super::{Form, Pitfall};
use crate::katas::Kata;
use crate::patch;
use crate::runner::Subject;

/// Where the generated workspace lives (its build output goes to the main
/// workspace's target directory).
fn workspace_dir(root: &Path) -> PathBuf {
    root.join("target").join("xtask").join("pitfalls")
}

/// Takes the pitfall workspace for this process until the returned file is
/// dropped, waiting (and saying so) while another `verify` holds it.
pub fn lock_workspace(root: &Path) -> Result<std::fs::File> {
    // Beside the workspace, not in it.
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

/// A pitfall made ready to build, or why it cannot be (a patch that no
/// longer applies is the maintainer's to fix, not a crash of `verify`).
pub type Prepared = std::result::Result<Subject, String>;

/// Writes the pitfall workspace with one package per pitfall given, and
/// returns its manifest and, in the order given, each pitfall's subject.
pub fn write_workspace(
    root: &Path,
    pitfalls: &[(&Kata, &Pitfall)],
) -> Result<(PathBuf, Vec<Prepared>)> {
    let dir = workspace_dir(root);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;

    let mut prepared = Vec::new();
    let mut members = Vec::new();
    for (kata, pitfall) in pitfalls {
        let package = format!(
            "{}-pitfall-{}",
            kata.meta.slug,
            pitfall.name.replace('_', "-")
        );
        let package_dir = dir.join(&package);
        match mirror(kata, pitfall, &package, &package_dir) {
            Ok(crate_dir) => {
                members.push(Value::from(format!(
                    "{package}/solutions/{}",
                    kata.dir_name()
                )));
                prepared.push(Ok(Subject {
                    label: format!("{} pitfall {}", kata.label(), pitfall.name),
                    package,
                    dir: crate_dir,
                }));
            }
            Err(err) => prepared.push(Err(format!("pitfall {}: {err:#}", pitfall.name))),
        }
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
    // Path dependencies (the workspace-hack crate) are relative to the real
    // root; from here they must be absolute.
    if let Some(Value::Table(dependencies)) = section.get_mut("dependencies") {
        for (_, dependency) in dependencies.iter_mut() {
            let Some(dependency) = dependency.as_table_mut() else {
                continue;
            };
            if let Some(path) = dependency.get("path").and_then(Value::as_str) {
                let absolute = root.join(path).to_string_lossy().into_owned();
                dependency.insert("path".into(), Value::from(absolute));
            }
        }
    }
    // A pitfall is built once and seldom again, so incremental compilation's
    // caches cost more than they save: measured on 40 pitfalls, a cold build
    // took 15-55 % longer with them, and they were 6 of the 12 GB that a
    // fresh `.ci/run` left in `target/`. (The registry crates are never
    // incremental, so they are still shared with the main workspace.)
    let dev_profile = workspace
        .entry("profile")
        .or_insert_with(|| Value::Table(Table::new()))
        .as_table_mut()
        .context("[profile] in the root Cargo.toml is not a table")?
        .entry("dev")
        .or_insert_with(|| Value::Table(Table::new()))
        .as_table_mut()
        .context("[profile.dev] in the root Cargo.toml is not a table")?;
    dev_profile.insert("incremental".into(), Value::Boolean(false));
    let manifest = dir.join("Cargo.toml");
    write_if_changed(&manifest, toml::to_string(&workspace)?.as_bytes())?;
    // The same lock file, so that the same versions are built (and reused).
    let lock = root.join("Cargo.lock");
    if lock.exists() {
        write_if_changed(&dir.join("Cargo.lock"), &std::fs::read(&lock)?)?;
    }
    Ok((manifest, prepared))
}

/// Writes one pitfall's package and returns the directory of its crate.
fn mirror(kata: &Kata, pitfall: &Pitfall, package: &str, package_dir: &Path) -> Result<PathBuf> {
    let mut files = Files::default();
    files.add_tree(
        &kata.solution_dir,
        Path::new("solutions").join(kata.dir_name()),
    )?;
    files.add_tree(&kata.dir, Path::new("katas").join(kata.dir_name()))?;
    // Only the solution's manifest is a package here.
    files
        .0
        .remove(&Path::new("katas").join(kata.dir_name()).join("Cargo.toml"));

    let crate_rel = Path::new("solutions").join(kata.dir_name());
    let mut manifest = read_table(&kata.solution_dir.join("Cargo.toml"))?;
    let Some(Value::Table(section)) = manifest.get_mut("package") else {
        bail!("{} has no [package]", kata.solution_dir.display());
    };
    section.insert("name".into(), Value::from(package));
    match pitfall.form {
        Form::Patch => {
            for part in patch::split(&pitfall.text()?)? {
                let file = crate_rel.join(&part.path);
                let Some(original) = files.0.get(&file) else {
                    bail!("it changes {}, which does not exist", part.path.display());
                };
                let original = String::from_utf8_lossy(original).into_owned();
                let patched = patch::apply_to(&part, &original)?;
                files.0.insert(file, patched.into_bytes());
            }
        }
        Form::Replacement => {
            let Some(Value::Table(lib)) = manifest.get_mut("lib") else {
                bail!("{} has no [lib]", kata.solution_dir.display());
            };
            let file_name = pitfall
                .file
                .file_name()
                .expect("a pitfall file has a name")
                .to_string_lossy();
            lib.insert("path".into(), Value::from(format!("pitfalls/{file_name}")));
        }
    }
    files.0.insert(
        crate_rel.join("Cargo.toml"),
        toml::to_string(&manifest)?.into_bytes(),
    );
    files.sync(package_dir)?;
    Ok(package_dir.join(crate_rel))
}

/// The files of a package, by path relative to it.
#[derive(Default)]
struct Files(BTreeMap<PathBuf, Vec<u8>>);

impl Files {
    /// Every file below `dir` (no hidden entries, no build output), at `under`.
    fn add_tree(&mut self, dir: &Path, under: PathBuf) -> Result<()> {
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || name == "target" {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                self.add_tree(&path, under.join(&name))?;
            } else {
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                self.0.insert(under.join(&name), bytes);
            }
        }
        Ok(())
    }

    /// Makes `dir` hold exactly these files, touching only what differs.
    fn sync(&self, dir: &Path) -> Result<()> {
        for (path, bytes) in &self.0 {
            write_if_changed(&dir.join(path), bytes)?;
        }
        remove_others(dir, dir, &self.0)
    }
}

fn remove_others(base: &Path, dir: &Path, keep: &BTreeMap<PathBuf, Vec<u8>>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            remove_others(base, &path, keep)?;
        } else {
            let relative = path.strip_prefix(base).expect("below the base");
            if !keep.contains_key(relative) {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

pub fn read_table(file: &Path) -> Result<Table> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    toml::from_str(&text).with_context(|| format!("{} is not valid TOML", file.display()))
}
