//! What every command starts from: the katas, the learner's state, how to
//! print, and a runner that checks katas without redoing unchanged work.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;

use crate::cargo::Cargo;
use crate::fingerprint;
use crate::katas::{self, Kata};
use crate::outcome::{Outcome, Status};
use crate::runner::{Event, Runner, Subject};
use crate::state::{self, State};
use crate::ui::Ui;

pub struct Session {
    pub root: PathBuf,
    pub katas: Vec<Kata>,
    pub state: State,
    pub ui: Ui,
    pub runner: Runner,
}

/// A verdict, and whether it was reused from an earlier check.
pub struct Checked {
    pub outcome: Outcome,
    /// The compiler's warnings on the kata's code.
    pub warnings: Vec<String>,
    pub cached: bool,
}

impl Session {
    pub fn open(time_limit: Duration) -> Result<Session> {
        let root = katas::workspace_root();
        let katas = katas::discover(&root)?;
        let ui = Ui::from_env();
        let loaded = state::load(&root)?;
        if let Some(warning) = loaded.warning {
            eprintln!("{} {warning}", ui.yellow("warning:"));
        }
        let runner = Runner::new(Cargo::from_env(ui.color), time_limit);
        Ok(Session {
            root,
            katas,
            state: loaded.state,
            ui,
            runner,
        })
    }

    pub fn find(&self, name: &str) -> Result<usize> {
        let kata = katas::find(&self.katas, name)?;
        Ok(self.index_of(kata))
    }

    fn index_of(&self, kata: &Kata) -> usize {
        self.katas
            .iter()
            .position(|k| k.meta.number == kata.meta.number)
            .expect("the kata came from this list")
    }

    /// The kata named, else the current one, else the first not yet passed.
    pub fn chosen(&self, name: Option<&str>) -> Result<usize> {
        match name {
            Some(name) => self.find(name),
            None => Ok(self.current()),
        }
    }

    pub fn current(&self) -> usize {
        self.state
            .current
            .as_deref()
            .and_then(|slug| self.katas.iter().position(|k| k.meta.slug == slug))
            .unwrap_or_else(|| self.first_not_passed().unwrap_or(0))
    }

    /// The first kata (in order) whose last known verdict on its present
    /// files is not a pass.
    pub fn first_not_passed(&self) -> Option<usize> {
        (0..self.katas.len()).find(|&i| self.status(i) != Status::Passed)
    }

    pub fn set_current(&mut self, index: usize) {
        self.state.current = Some(self.katas[index].meta.slug.clone());
    }

    /// The last verdict on the kata's present files; `NotChecked` when the
    /// files changed since.
    pub fn status(&self, index: usize) -> Status {
        let kata = &self.katas[index];
        self.state
            .fresh_outcome(&kata.meta.slug, &self.fingerprint(kata))
            .map_or(Status::NotChecked, Outcome::status)
    }

    pub fn fingerprint(&self, kata: &Kata) -> String {
        fingerprint::of_crate(&kata.dir, &self.shared_inputs())
    }

    /// Files outside a kata that its verdict depends on.
    fn shared_inputs(&self) -> Vec<PathBuf> {
        vec![self.root.join("Cargo.toml"), self.root.join("Cargo.lock")]
    }

    pub fn manifest(&self) -> PathBuf {
        self.root.join("Cargo.toml")
    }

    /// Checks the katas at `indices`: those unchanged since their last check
    /// keep their verdict; the others are built together and run. Saves the state.
    pub fn check(
        &mut self,
        indices: &[usize],
        fresh: bool,
        on_event: &mut dyn FnMut(usize, Event),
    ) -> Result<Vec<Checked>> {
        let fingerprints: Vec<String> = indices
            .iter()
            .map(|&i| self.fingerprint(&self.katas[i]))
            .collect();
        let mut results: Vec<Option<Checked>> = Vec::with_capacity(indices.len());
        let mut stale = Vec::new();
        for (position, &index) in indices.iter().enumerate() {
            let slug = &self.katas[index].meta.slug;
            let cached = (!fresh)
                .then(|| self.state.fresh_check(slug, &fingerprints[position]))
                .flatten();
            match cached {
                Some(last) => results.push(Some(Checked {
                    outcome: last.outcome.clone(),
                    warnings: last.warnings.clone(),
                    cached: true,
                })),
                None => {
                    results.push(None);
                    stale.push(position);
                }
            }
        }

        let subjects: Vec<Subject> = stale
            .iter()
            .map(|&position| kata_subject(&self.katas[indices[position]]))
            .collect();
        let manifest = self.manifest();
        let verdicts = self.runner.check(&manifest, &subjects, &mut |event| {
            // Events name subjects; the caller thinks in kata indices.
            let kata_of = |i: usize| indices[stale[i]];
            match event {
                Event::Compiled { index } => on_event(kata_of(index), Event::Compiled { index }),
                Event::Finished { index, outcome } => {
                    on_event(kata_of(index), Event::Finished { index, outcome })
                }
                other => on_event(usize::MAX, other),
            }
        })?;
        for (&position, verdict) in stale.iter().zip(verdicts) {
            let (outcome, warnings) = (verdict.outcome, verdict.warnings);
            let slug = self.katas[indices[position]].meta.slug.clone();
            self.state.record(
                &slug,
                fingerprints[position].clone(),
                outcome.clone(),
                warnings.clone(),
            );
            results[position] = Some(Checked {
                outcome,
                warnings,
                cached: false,
            });
        }
        self.state.save(&self.root)?;
        Ok(results
            .into_iter()
            .map(|r| r.expect("every kata checked"))
            .collect())
    }
}

impl Session {
    /// What clippy says about a kata's code beyond the compiler's own
    /// warnings: the workspace's lints name a blocking `std::thread::sleep`
    /// even where the tests let it through. Only that kata is linted.
    pub fn clippy_advice(&self, index: usize, compiler: &[String]) -> Result<Vec<String>> {
        let kata = &self.katas[index];
        let lints = self
            .runner
            .cargo
            .clippy(&self.manifest(), &[kata.package().to_owned()])?;
        let manifest = kata.dir.join("Cargo.toml");
        Ok(lints
            .errors
            .get(&manifest)
            .into_iter()
            .chain(lints.warnings.get(&manifest))
            .flatten()
            .filter(|finding| !compiler.contains(finding))
            .cloned()
            .collect())
    }
}

/// The learner's crate of a kata, as the runner sees it.
pub fn kata_subject(kata: &Kata) -> Subject {
    Subject {
        label: kata.label(),
        package: kata.package().to_owned(),
        dir: kata.dir.clone(),
    }
}

/// A path relative to the workspace root, for display.
pub fn relative<'a>(root: &Path, path: &'a Path) -> std::borrow::Cow<'a, str> {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy()
}
