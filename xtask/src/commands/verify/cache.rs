//! Verdicts `verify` can reuse: a skeleton, solution, pitfall or lint check
//! that passed on inputs that have not changed since (by content, as the
//! learner's progress is) passes again, so a warm `verify` builds and runs
//! only what changed.
//!
//! Only passes are kept: a failure is what a maintainer is fixing, and it is
//! run again every time. A pass remembers how many runs it held for, so
//! `--repeat 5` does not take a pass seen in one run on trust.
//! The file lives in `target/`: it is build output, and `cargo clean` drops it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    runs: usize,
    /// What the verdict said, to print it again (`solution passes 12/12`).
    summary: String,
}

fn path(target: &Path) -> PathBuf {
    target.join("xtask").join("verify-cache.json")
}

impl Cache {
    /// The cache in `target`; a missing or unreadable one is empty (it is
    /// only a shortcut: losing it costs time, never a verdict).
    pub fn load(target: &Path) -> Cache {
        std::fs::read_to_string(path(target))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, target: &Path) -> Result<()> {
        let file = path(target);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(self).expect("the cache serialises");
        std::fs::write(&file, text).with_context(|| format!("cannot write {}", file.display()))
    }

    /// The summary of a pass on these very inputs, held for at least `runs` runs.
    pub fn pass(&self, key: &str, fingerprint: &str, runs: usize) -> Option<&str> {
        self.entries
            .get(key)
            .filter(|e| e.fingerprint == fingerprint && e.runs >= runs)
            .map(|e| e.summary.as_str())
    }

    pub fn record_pass(&mut self, key: &str, fingerprint: &str, runs: usize, summary: &str) {
        self.entries.insert(
            key.to_owned(),
            Entry {
                fingerprint: fingerprint.to_owned(),
                runs,
                summary: summary.to_owned(),
            },
        );
    }

    pub fn forget(&mut self, key: &str) {
        self.entries.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_is_reused_only_on_the_same_inputs_and_enough_runs() {
        let mut cache = Cache::default();
        cache.record_pass("01 solution", "abc", 3, "passes 5/5");
        assert_eq!(cache.pass("01 solution", "abc", 1), Some("passes 5/5"));
        assert_eq!(cache.pass("01 solution", "abc", 3), Some("passes 5/5"));
        assert_eq!(
            cache.pass("01 solution", "abc", 5),
            None,
            "3 runs are not 5"
        );
        assert_eq!(cache.pass("01 solution", "abd", 1), None, "other inputs");
        assert_eq!(cache.pass("02 solution", "abc", 1), None);
        cache.forget("01 solution");
        assert_eq!(cache.pass("01 solution", "abc", 1), None);
    }

    #[test]
    fn an_unreadable_cache_is_an_empty_one() {
        let dir = std::env::temp_dir().join(format!("xtask-cache-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("xtask")).unwrap();
        std::fs::write(path(&dir), "{ not json").unwrap();
        assert_eq!(Cache::load(&dir).pass("k", "f", 1), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
