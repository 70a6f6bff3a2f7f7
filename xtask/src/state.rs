//! The learner's state, kept in `.kata-state.json` at the workspace root:
//! which kata they are on, how many hints they have seen, and the last
//! verdict on each kata with the fingerprint of the files it was given for.
//!
//! The file is the learner's, so it is never thrown away: one that cannot be
//! read is moved aside (and the learner told where) before a fresh one starts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::outcome::Outcome;

pub const FILE_NAME: &str = ".kata-state.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// The kata `watch`, `check` and `hint` use when none is named.
    #[serde(default)]
    pub current: Option<String>,
    #[serde(default)]
    pub katas: BTreeMap<String, KataState>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct KataState {
    #[serde(default)]
    pub hints_shown: usize,
    #[serde(default)]
    pub last: Option<LastCheck>,
}

/// A verdict and the fingerprint of the files it was reached on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LastCheck {
    pub fingerprint: String,
    pub outcome: Outcome,
    /// The compiler's warnings on the kata's code, rendered.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// The state file and what became of it when it was loaded.
pub struct Loaded {
    pub state: State,
    /// Set when an unreadable file was moved aside: the learner must be told.
    pub warning: Option<String>,
}

pub fn path(root: &Path) -> PathBuf {
    root.join(FILE_NAME)
}

/// Loads the state; a missing file is a fresh start, an unreadable one is
/// moved aside to `.kata-state.json.corrupt-<time>` and reported.
pub fn load(root: &Path) -> Result<Loaded> {
    let file = path(root);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Loaded {
                state: State::default(),
                warning: None,
            });
        }
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", file.display())),
    };
    match serde_json::from_str(&text) {
        Ok(state) => Ok(Loaded {
            state,
            warning: None,
        }),
        Err(err) => {
            let seconds = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default();
            let aside = file.with_file_name(format!("{FILE_NAME}.corrupt-{seconds}"));
            std::fs::rename(&file, &aside).with_context(|| {
                format!(
                    "{} is unreadable ({err}) and could not be moved aside",
                    file.display()
                )
            })?;
            Ok(Loaded {
                state: State::default(),
                warning: Some(format!(
                    "{} was unreadable ({err}); it is kept as {} and a fresh one was started. \
                     Only hint counts and cached results are lost; your code is untouched.",
                    file.display(),
                    aside.display()
                )),
            })
        }
    }
}

impl State {
    pub fn kata(&mut self, slug: &str) -> &mut KataState {
        self.katas.entry(slug.to_owned()).or_default()
    }

    /// The last verdict, if it was reached on files with this fingerprint.
    pub fn fresh_outcome(&self, slug: &str, fingerprint: &str) -> Option<&Outcome> {
        self.fresh_check(slug, fingerprint)
            .map(|last| &last.outcome)
    }

    /// The last check, if it was made on files with this fingerprint.
    pub fn fresh_check(&self, slug: &str, fingerprint: &str) -> Option<&LastCheck> {
        let last = self.katas.get(slug)?.last.as_ref()?;
        (last.fingerprint == fingerprint).then_some(last)
    }

    pub fn last_outcome(&self, slug: &str) -> Option<&Outcome> {
        Some(&self.katas.get(slug)?.last.as_ref()?.outcome)
    }

    pub fn record(
        &mut self,
        slug: &str,
        fingerprint: String,
        outcome: Outcome,
        warnings: Vec<String>,
    ) {
        self.kata(slug).last = Some(LastCheck {
            fingerprint,
            outcome,
            warnings,
        });
    }

    /// Writes the state: to a temporary file first, then renamed over the old
    /// one, so that an interrupted write never leaves a half-written file.
    pub fn save(&self, root: &Path) -> Result<()> {
        let file = path(root);
        let temporary = file.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).expect("the state is plain data");
        std::fs::write(&temporary, text)
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        std::fs::rename(&temporary, &file)
            .with_context(|| format!("cannot replace {}", file.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-state-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_missing_file_is_a_fresh_start() {
        let dir = scratch("missing");
        let loaded = load(&dir).unwrap();
        assert!(loaded.warning.is_none());
        assert!(loaded.state.katas.is_empty());
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_not_lost() {
        let dir = scratch("corrupt");
        std::fs::write(path(&dir), "{ not json").unwrap();

        let loaded = load(&dir).unwrap();

        assert!(loaded.warning.unwrap().contains("unreadable"));
        let kept: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with(".kata-state.json.corrupt-"))
            .collect();
        assert_eq!(kept.len(), 1);
        let text = std::fs::read_to_string(dir.join(&kept[0])).unwrap();
        assert_eq!(text, "{ not json");
    }

    #[test]
    fn state_survives_a_save_and_load() {
        let dir = scratch("roundtrip");
        let mut state = State::default();
        state.kata("promise").hints_shown = 2;
        state.record(
            "promise",
            "abc".into(),
            Outcome::Passed { tests: vec![] },
            vec!["unused variable".into()],
        );
        state.save(&dir).unwrap();

        let loaded = load(&dir).unwrap().state;
        assert_eq!(loaded.katas["promise"].hints_shown, 2);
        assert!(loaded.fresh_outcome("promise", "abc").unwrap().passed());
        assert!(loaded.fresh_outcome("promise", "changed").is_none());
        let last = loaded.fresh_check("promise", "abc").unwrap();
        assert_eq!(last.warnings, ["unused variable"]);
    }
}
