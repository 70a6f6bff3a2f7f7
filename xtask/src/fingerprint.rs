//! Fingerprints of a crate's files, so that a kata whose files have not
//! changed is not built and run again.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

/// Bumped when the runner's verdicts change shape, to drop old cached results.
const RUNNER_VERSION: u32 = 1;

/// A fingerprint of everything a crate's test verdict depends on: its own
/// files (sources, tests, manifest), the extra files given (a shared test
/// file, the workspace manifest and lock file), and the runner's version.
pub fn of_crate(dir: &Path, extra: &[PathBuf]) -> String {
    let mut inputs = vec![dir.to_path_buf()];
    inputs.extend(extra.iter().cloned());
    of_inputs("", &inputs)
}

/// A fingerprint of `salt` and the files at `inputs`: each one a file, or a
/// directory taken with every file below it.
pub fn of_inputs(salt: &str, inputs: &[PathBuf]) -> String {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut below = Vec::new();
            collect(input, &mut below);
            below.sort();
            files.extend(below);
        } else {
            files.push(input.clone());
        }
    }

    // SipHash with fixed keys: stable across runs, which is all a cache needs.
    let mut hasher = DefaultHasher::new();
    RUNNER_VERSION.hash(&mut hasher);
    salt.hash(&mut hasher);
    for file in &files {
        file.hash(&mut hasher);
        std::fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// Every file below `dir`, skipping hidden entries and build output.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
