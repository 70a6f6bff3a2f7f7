//! `cargo xtask reset KATA`: the kata as it was handed out, the learner's
//! work kept aside first. `--list` shows the backups; `--restore NAME` puts
//! one back (keeping the present state aside too, so nothing is ever lost).
//!
//! The original comes from git: every file of `katas/NN-slug/` as of the
//! newest commit that touched the kata *by a maintainer*, someone who has
//! also committed to the tests, the solutions or the runner. Learners edit
//! the kata and never those, so this finds the original even after a learner
//! has committed their own work (as a classroom assignment asks them to).
//! Without git history there is no original to go back to, and reset says so
//! before it changes anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use crate::cargo::git;
use crate::katas::Kata;
use crate::session::{Session, relative};

/// What `reset` is asked to do.
#[derive(Debug)]
pub enum Action {
    /// Put the original back.
    Reset,
    /// Show the backups.
    List,
    /// Put this backup back.
    Restore(String),
}

pub fn run(session: &mut Session, kata: Option<&str>, action: Action) -> Result<bool> {
    let index = session.chosen(kata)?;
    let kata = session.katas[index].clone();
    let root = session.root.clone();
    let backups = root.join(".kata-backups").join(&kata.meta.slug);
    match action {
        Action::List => {
            list(&root, &kata, &backups);
            Ok(true)
        }
        Action::Restore(name) => {
            let backup = backups.join(&name);
            if !backup.is_dir() {
                bail!(
                    "there is no backup `{name}` of {}: `cargo xtask reset {} --list` shows them",
                    kata.label(),
                    kata.meta.slug
                );
            }
            let wanted = read_tree(&backup)?;
            let changed = put_back(&root, &kata, &backups, &wanted)?;
            session.state.kata(&kata.meta.slug).last = None;
            session.state.save(&root)?;
            report(&root, &kata, changed, &format!("backup {name}"));
            Ok(true)
        }
        Action::Reset => {
            // Find the original before touching anything: if git cannot help,
            // nothing changes.
            let original = original_files(&root, &kata).context(
                "reset needs the repository's git history to find the kata as it was handed out; nothing was changed",
            )?;
            let changed = put_back(&root, &kata, &backups, &original)?;
            session.state.kata(&kata.meta.slug).last = None;
            session.state.save(&root)?;
            report(&root, &kata, changed, "the original");
            Ok(true)
        }
    }
}

fn report(root: &Path, kata: &Kata, changed: Option<PathBuf>, what: &str) {
    match changed {
        None => println!(
            "{} is already {what}; nothing to do.",
            relative(root, &kata.dir)
        ),
        Some(backup) => {
            println!("Your version is saved in {}.", relative(root, &backup));
            println!("{} is {what} again.", relative(root, &kata.dir));
            println!(
                "`cargo xtask reset {} --list` shows every backup; `--restore NAME` puts one back.",
                kata.meta.slug
            );
        }
    }
}

fn list(root: &Path, kata: &Kata, backups: &Path) {
    let mut names: Vec<String> = std::fs::read_dir(backups)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    if names.is_empty() {
        println!("No backups of {} yet.", kata.label());
        return;
    }
    println!("Backups of {}, oldest first:", kata.label());
    for name in &names {
        let files = read_tree(&backups.join(name)).map_or(0, |f| f.len());
        println!("  {name}  ({})", crate::render::counted(files, "file"));
    }
    println!(
        "\n`cargo xtask reset {} --restore NAME` puts one back (what is there now is saved first). They live in {}.",
        kata.meta.slug,
        relative(root, backups)
    );
}

/// Makes the kata's directory hold exactly `wanted` (paths relative to it),
/// after saving what is there now. Returns the backup made, or `None` when
/// the kata already held exactly that.
fn put_back(
    root: &Path,
    kata: &Kata,
    backups: &Path,
    wanted: &BTreeMap<PathBuf, Vec<u8>>,
) -> Result<Option<PathBuf>> {
    let present = read_tree(&kata.dir)?;
    if &present == wanted {
        return Ok(None);
    }
    let backup = backup_dir(backups);
    for (path, bytes) in &present {
        let file = backup.join(path);
        std::fs::create_dir_all(file.parent().expect("a file has a directory"))?;
        std::fs::write(&file, bytes).with_context(|| {
            format!(
                "cannot back up your code to {}; nothing was changed",
                backup.display()
            )
        })?;
    }
    for path in present.keys().filter(|p| !wanted.contains_key(*p)) {
        let file = kata.dir.join(path);
        std::fs::remove_file(&file)
            .with_context(|| format!("cannot remove {}", relative(root, &file)))?;
    }
    for (path, bytes) in wanted {
        if present.get(path) == Some(bytes) {
            continue;
        }
        let file = kata.dir.join(path);
        std::fs::create_dir_all(file.parent().expect("a file has a directory"))?;
        std::fs::write(&file, bytes)
            .with_context(|| format!("cannot write {}", relative(root, &file)))?;
    }
    Ok(Some(backup))
}

/// Every file below `dir` (no hidden entries, no build output), by path
/// relative to it.
fn read_tree(dir: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(sub) = pending.pop() {
        let entries = std::fs::read_dir(dir.join(&sub))
            .with_context(|| format!("cannot read {}", dir.join(&sub).display()))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || name == "target" {
                continue;
            }
            let path = sub.join(&name);
            if entry.path().is_dir() {
                pending.push(path);
            } else {
                files.insert(path, std::fs::read(entry.path())?);
            }
        }
    }
    Ok(files)
}

/// The kata's files as a maintainer last committed them.
fn original_files(root: &Path, kata: &Kata) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let dir_in_repo = relative(root, &kata.dir).into_owned();
    let commit = maintainer_commit(root, &dir_in_repo)?;
    let listing = git(
        root,
        &["ls-tree", "-r", "--name-only", &commit, "--", &dir_in_repo],
    )?;
    let mut files = BTreeMap::new();
    for path in listing.lines() {
        let text = git(root, &["show", &format!("{commit}:{path}")])?;
        let relative_path = Path::new(path)
            .strip_prefix(&dir_in_repo)
            .expect("ls-tree lists paths below the directory asked for");
        files.insert(relative_path.to_path_buf(), text.into_bytes());
    }
    if files.is_empty() {
        bail!("git has no files of {dir_in_repo}");
    }
    Ok(files)
}

/// The newest commit that changed `dir` and whose author also maintains the
/// project (has committed to the tests, the solutions or the runner).
fn maintainer_commit(root: &Path, dir: &str) -> Result<String> {
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
    let history = git(root, &["log", "--format=%H %ae", "--", dir])?;
    history
        .lines()
        .filter_map(|line| line.split_once(' '))
        .find(|(_, author)| maintainers.contains(author))
        .map(|(commit, _)| commit.to_owned())
        .with_context(|| format!("no maintainer's commit of {dir} is in the git history"))
}

/// `.kata-backups/<slug>/<UTC date and time>/`: names that sort by age and
/// never overwrite an older backup.
fn backup_dir(backups: &Path) -> PathBuf {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let stamp = utc_stamp(seconds);
    let mut path = backups.join(&stamp);
    let mut n = 1;
    while path.exists() {
        path = backups.join(format!("{stamp}-{n}"));
        n += 1;
    }
    path
}

/// `2026-11-30-140501` for a time in seconds since 1970 (UTC).
fn utc_stamp(seconds: u64) -> String {
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    // Days to a civil date: Howard Hinnant's algorithm, for the proleptic
    // Gregorian calendar.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::katas::{Level, Meta};

    fn scratch_kata(name: &str) -> (PathBuf, Kata) {
        let root = std::env::temp_dir().join(format!("xtask-reset-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join("katas").join("01-a");
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let kata = Kata {
            meta: Meta {
                number: 1,
                slug: "a".into(),
                title: "A".into(),
                level: Level::Basic,
                track: "One".into(),
                source: None,
                question: "Why?".into(),
                hints: vec![],
            },
            dir,
            solution_dir: root.join("solutions").join("01-a"),
        };
        (root, kata)
    }

    #[test]
    fn backups_are_named_by_their_utc_time() {
        assert_eq!(utc_stamp(0), "1970-01-01-000000");
        assert_eq!(utc_stamp(1_796_046_118), "2026-11-30-134158");
        assert_eq!(utc_stamp(951_782_400), "2000-02-29-000000");
    }

    /// Every file is put back (an edited given.rs too), a file the learner
    /// added is removed, and all of it is in the backup first.
    #[test]
    fn the_whole_kata_goes_back_and_nothing_is_lost() {
        let (root, kata) = scratch_kata("whole");
        std::fs::write(kata.dir.join("src/lib.rs"), "my answer").unwrap();
        std::fs::write(kata.dir.join("src/given.rs"), "edited").unwrap();
        std::fs::write(kata.dir.join("src/extra.rs"), "mine").unwrap();
        let original: BTreeMap<PathBuf, Vec<u8>> = [
            (PathBuf::from("src/lib.rs"), b"todo".to_vec()),
            (PathBuf::from("src/given.rs"), b"given".to_vec()),
        ]
        .into();
        let backups = root.join(".kata-backups").join("a");

        let backup = put_back(&root, &kata, &backups, &original)
            .unwrap()
            .unwrap();

        assert_eq!(read_tree(&kata.dir).unwrap(), original);
        let saved = read_tree(&backup).unwrap();
        assert_eq!(saved[Path::new("src/lib.rs")], b"my answer");
        assert_eq!(saved[Path::new("src/extra.rs")], b"mine");
        assert_eq!(
            put_back(&root, &kata, &backups, &original).unwrap(),
            None,
            "nothing to do the second time"
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
