//! A classroom copy: the katas handed out as an assignment, graded on every
//! push. `cargo xtask classroom` writes one; `cargo xtask report` grades it.
//!
//! Two files make a copy a classroom copy, both under `.classroom/`:
//!
//! - `points.toml`: each kata's points (from its level unless the teacher
//!   said otherwise when exporting);
//! - `manifest.sha256`: the SHA-256 of every file a student must not change,
//!   in `sha256sum`'s own format, so that the grading workflow can check it
//!   with the system's `sha256sum` before it trusts the runner at all.
//!
//! What a student may change in a kata is its `src/` (but not `src/given.rs`);
//! everything else of the kata is protected, and a file added outside `src/`
//! (a `build.rs`, a second test file) counts as a change. The manifest's own
//! digest lives in the grading workflow, which the teacher owns.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::katas::{Kata, Level};

/// Where a classroom copy keeps its grading files.
pub const DIR: &str = ".classroom";
pub const MANIFEST: &str = ".classroom/manifest.sha256";
pub const POINTS: &str = ".classroom/points.toml";

/// Files of the runner and the workspace that no student changes: the runner
/// grades, so it must be the teacher's. (`Cargo.lock` is left out: cargo may
/// rewrite it, and a changed lock can only change dependency versions.)
pub const RUNNER_FILES: &[&str] = &[
    "Cargo.toml",
    ".cargo/config.toml",
    "clippy.toml",
    "rustfmt.toml",
    "xtask",
    POINTS,
];

/// Whether the workspace at `root` is a classroom copy.
pub fn is_copy(root: &Path) -> bool {
    root.join(MANIFEST).is_file()
}

/// The SHA-256 of some bytes, in lower-case hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The default points of a kata: its level, so that harder katas count more.
pub fn default_points(level: Level) -> u32 {
    match level {
        Level::Basic => 1,
        Level::Intermediate => 2,
        Level::Advanced => 3,
    }
}

/// Each kata's points (by slug), from `points.toml`.
pub fn read_points(root: &Path) -> Result<BTreeMap<String, u32>> {
    let file = root.join(POINTS);
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let table: toml::Table =
        toml::from_str(&text).with_context(|| format!("{} is not valid TOML", file.display()))?;
    let mut points = BTreeMap::new();
    for (slug, value) in table {
        let Some(value) = value.as_integer().and_then(|v| u32::try_from(v).ok()) else {
            bail!(
                "{}: the points of {slug} are not a whole number",
                file.display()
            );
        };
        points.insert(slug, value);
    }
    Ok(points)
}

/// The files of a kata a student must not change: all of it but `src/`,
/// and `src/given.rs`. Paths relative to the workspace root, sorted.
pub fn protected_kata_files(root: &Path, kata: &Kata) -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect(&kata.dir, &mut files);
    let src = kata.dir.join("src");
    let mut protected: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| !f.starts_with(&src) || f.ends_with("src/given.rs"))
        .map(|f| f.strip_prefix(root).unwrap_or(&f).to_path_buf())
        .collect();
    protected.sort();
    protected
}

/// The runner's and the workspace's protected files, relative to `root`.
pub fn protected_runner_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for name in RUNNER_FILES {
        let path = root.join(name);
        if path.is_dir() {
            collect(&path, &mut files);
        } else if path.is_file() {
            files.push(path);
        }
    }
    let mut files: Vec<PathBuf> = files
        .into_iter()
        .map(|f| f.strip_prefix(root).unwrap_or(&f).to_path_buf())
        .collect();
    files.sort();
    files
}

/// The manifest's text for these files: `HASH  PATH` lines, sorted by path.
pub fn manifest_text(root: &Path, files: &[PathBuf]) -> Result<String> {
    let mut lines: Vec<(String, String)> = Vec::new();
    for file in files {
        let bytes = std::fs::read(root.join(file))
            .with_context(|| format!("cannot read {}", file.display()))?;
        lines.push((slashed(file), sha256(&bytes)));
    }
    lines.sort();
    Ok(lines
        .into_iter()
        .map(|(path, hash)| format!("{hash}  {path}\n"))
        .collect())
}

/// The manifest as written: path → hash.
pub fn read_manifest(root: &Path) -> Result<(String, BTreeMap<String, String>)> {
    let text = std::fs::read_to_string(root.join(MANIFEST))
        .with_context(|| format!("cannot read {MANIFEST}"))?;
    let mut entries = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Some((hash, path)) = line.split_once("  ") else {
            bail!("{MANIFEST} has a line that is not `HASH  PATH`: {line}");
        };
        entries.insert(path.to_owned(), hash.to_owned());
    }
    Ok((text, entries))
}

/// What became of a kata's protected files: empty when all are as handed
/// out; else one line per file changed, removed or added.
pub fn kata_changes(root: &Path, kata: &Kata, manifest: &BTreeMap<String, String>) -> Vec<String> {
    let prefix = format!(
        "{}/",
        slashed(kata.dir.strip_prefix(root).unwrap_or(&kata.dir))
    );
    let mut changes = Vec::new();
    let present = protected_kata_files(root, kata);
    for (path, hash) in manifest.iter().filter(|(p, _)| p.starts_with(&prefix)) {
        match std::fs::read(root.join(path)) {
            Ok(bytes) if sha256(&bytes) == *hash => {}
            Ok(_) => changes.push(format!("{path} was changed")),
            Err(_) => changes.push(format!("{path} was removed")),
        }
    }
    for path in present.iter().map(|p| slashed(p)) {
        if !manifest.contains_key(&path) {
            changes.push(format!("{path} was added"));
        }
    }
    changes
}

/// `a/b/c` whatever the platform's separator: the manifest's paths are
/// `sha256sum`'s, with forward slashes.
pub fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every file below `dir`, hidden ones included (a hidden `.cargo/config.toml`
/// in a kata is a change too), build output excluded.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name() == "target" {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_sha256sum_s() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn harder_katas_count_more() {
        assert!(default_points(Level::Basic) < default_points(Level::Intermediate));
        assert!(default_points(Level::Intermediate) < default_points(Level::Advanced));
    }
}
