//! `cargo xtask reset KATA`: the skeleton back, the learner's work kept aside.
//!
//! The skeleton is taken from git: the kata's `src/lib.rs` as it was in the
//! last commit that changed the kata's *tests*. Maintainers change a skeleton
//! together with its tests; learners edit `src/lib.rs` and never the tests, so
//! that commit holds the skeleton even when the learner has committed their
//! own work since (as a classroom assignment asks them to).

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use crate::cargo::git;
use crate::session::{Session, relative};

pub fn run(session: &mut Session, kata: &str) -> Result<bool> {
    let index = session.find(kata)?;
    let kata = session.katas[index].clone();
    let root = session.root.clone();
    let lib = kata.lib_file();
    let lib_in_repo = relative(&root, &lib).into_owned();
    let tests_in_repo = relative(&root, &kata.test_file()).into_owned();

    // Find the skeleton before touching anything: if git cannot help, nothing changes.
    let commit = git(&root, &["log", "-1", "--format=%H", "--", &tests_in_repo]).context(
        "reset needs the git history to find the original skeleton; nothing was changed",
    )?;
    let commit = commit.trim();
    if commit.is_empty() {
        bail!(
            "{tests_in_repo} is not in the git history, so the original skeleton cannot be found; nothing was changed"
        );
    }
    let skeleton = git(&root, &["show", &format!("{commit}:{lib_in_repo}")])?;

    let current = std::fs::read_to_string(&lib).unwrap_or_default();
    if current == skeleton {
        println!(
            "{} is already the original skeleton; nothing to do.",
            lib_in_repo
        );
        return Ok(true);
    }
    let backup = backup_path(&root, &kata.meta.slug);
    std::fs::create_dir_all(backup.parent().expect("a backup file has a directory"))?;
    std::fs::write(&backup, &current).with_context(|| {
        format!(
            "cannot back up your code to {}; nothing was changed",
            backup.display()
        )
    })?;
    std::fs::write(&lib, skeleton).with_context(|| format!("cannot write {}", lib.display()))?;
    session.state.kata(&kata.meta.slug).last = None;
    session.state.save(&root)?;

    println!("Your version is saved as {}.", relative(&root, &backup));
    println!("{lib_in_repo} is the original skeleton again.");
    Ok(true)
}

/// `.kata-backups/<slug>/lib-<seconds since 1970>.rs`: never overwrites an older backup.
fn backup_path(root: &std::path::Path, slug: &str) -> PathBuf {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let dir = root.join(".kata-backups").join(slug);
    let mut path = dir.join(format!("lib-{seconds}.rs"));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("lib-{seconds}-{n}.rs"));
        n += 1;
    }
    path
}
