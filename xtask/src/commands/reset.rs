//! `cargo xtask reset KATA`: the skeleton back, the learner's work kept aside.
//!
//! The skeleton is taken from git: the kata's `src/lib.rs` as of the newest
//! commit that changed it *by a maintainer*, someone who has also committed to
//! the tests, the solutions or the runner. Learners edit `src/lib.rs` and
//! never those, so this finds the skeleton even after a learner has committed
//! their own work (as a classroom assignment asks them to), and it still
//! finds a skeleton that maintainers improved after the kata first shipped.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use crate::cargo::git;
use crate::session::{Session, relative};

pub fn run(session: &mut Session, kata: &str) -> Result<bool> {
    let index = session.find(kata)?;
    let kata = session.katas[index].clone();
    let root = session.root.clone();
    let lib = kata.lib_file();
    let lib_in_repo = relative(&root, &lib).into_owned();

    // Find the skeleton before touching anything: if git cannot help, nothing changes.
    let commit = skeleton_commit(&root, &lib_in_repo).context(
        "reset needs the git history to find the original skeleton; nothing was changed",
    )?;
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

/// The newest commit that changed `lib` and whose author also maintains the
/// project (has committed to the tests, the solutions or the runner).
fn skeleton_commit(root: &Path, lib: &str) -> Result<String> {
    let maintainers = git(
        root,
        &[
            "log",
            "--format=%ae",
            "--",
            "solutions",
            "katas/*/tests",
            "xtask",
        ],
    )?;
    let maintainers: Vec<&str> = maintainers.lines().collect();
    let history = git(root, &["log", "--format=%H %ae", "--", lib])?;
    history
        .lines()
        .filter_map(|line| line.split_once(' '))
        .find(|(_, author)| maintainers.contains(author))
        .map(|(commit, _)| commit.to_owned())
        .with_context(|| format!("no maintainer's commit of {lib} is in the git history"))
}

/// `.kata-backups/<slug>/lib-<seconds since 1970>.rs`: never overwrites an older backup.
fn backup_path(root: &Path, slug: &str) -> PathBuf {
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
