//! Unified diffs, as pitfalls keep them: the smallest change that turns the
//! reference solution into a wrong answer.
//!
//! A pitfall patch may touch several files of the solution's crate; each
//! file's part starts at its `--- a/PATH` line. Parsing and applying are
//! diffy's; this module only splits the parts and says what went wrong in
//! terms a maintainer can act on.

use std::path::PathBuf;

use anyhow::{Result, bail};

/// One file's part of a patch.
#[derive(Debug)]
pub struct FilePatch<'a> {
    /// The path it changes, relative to the crate (`src/lib.rs`).
    pub path: PathBuf,
    /// Its `---`/`+++` lines and hunks, as diffy reads them.
    pub text: &'a str,
}

/// Splits the diff part of a pitfall (everything from the first `--- ` line)
/// into one part per file. Text before the first `--- ` (the header) is ignored.
pub fn split(text: &str) -> Result<Vec<FilePatch<'_>>> {
    let starts: Vec<usize> = line_starts(text)
        .filter(|&at| {
            text[at..].starts_with("--- ")
                && text[at..]
                    .split_once('\n')
                    .is_some_and(|(_, rest)| rest.starts_with("+++ "))
        })
        .collect();
    if starts.is_empty() {
        bail!("it has no diff: no `--- a/src/lib.rs` / `+++ b/src/lib.rs` lines");
    }
    let mut parts = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let part = &text[start..end];
        let old = part
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("--- "))
            .expect("a part starts with its `--- ` line");
        parts.push(FilePatch {
            path: crate_path(old)?,
            text: part,
        });
    }
    Ok(parts)
}

/// The text of one file after its part of the patch.
pub fn apply_to(part: &FilePatch<'_>, original: &str) -> Result<String> {
    let parsed = diffy::Patch::from_str(part.text).map_err(|err| {
        anyhow::anyhow!("its diff of {} is unreadable: {err}", part.path.display())
    })?;
    diffy::apply(original, &parsed).map_err(|err| {
        anyhow::anyhow!(
            "its diff no longer applies to {} ({err}): the solution changed under it; re-make it with `diff -u`",
            part.path.display()
        )
    })
}

/// `a/src/lib.rs` (or `src/lib.rs`) as a path inside the crate; nothing may
/// point outside it.
fn crate_path(header: &str) -> Result<PathBuf> {
    let name = header.split('\t').next().unwrap_or(header).trim();
    let name = name.strip_prefix("a/").unwrap_or(name);
    let path = PathBuf::from(name);
    let inside = path
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if name.is_empty() || !inside {
        bail!(
            "its diff names `{header}`: paths must be inside the solution's crate, like `a/src/lib.rs`"
        );
    }
    Ok(path)
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOLUTION: &str = "fn a() {\n    right();\n}\n\nfn b() {}\n";

    #[test]
    fn a_patch_after_its_header_changes_the_named_file() {
        let text = "Pitfall: wrong.\n\nCaught by: t\n\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,3 +1,3 @@\n fn a() {\n-    right();\n+    wrong();\n }\n";
        let parts = split(text).unwrap();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].path, PathBuf::from("src/lib.rs"));
        assert_eq!(
            apply_to(&parts[0], SOLUTION).unwrap(),
            "fn a() {\n    wrong();\n}\n\nfn b() {}\n"
        );
    }

    #[test]
    fn a_patch_whose_context_is_gone_says_the_solution_changed() {
        let text = "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,3 +1,3 @@\n fn c() {\n-    right();\n+    wrong();\n }\n";
        let parts = split(text).unwrap();
        let err = apply_to(&parts[0], SOLUTION).unwrap_err().to_string();
        assert!(err.contains("no longer applies"), "{err}");
    }

    #[test]
    fn each_file_of_a_patch_is_its_own_part() {
        let text = "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-x\n+y\n--- a/src/other.rs\n+++ b/src/other.rs\n@@ -1 +1 @@\n-p\n+q\n";
        let parts = split(text).unwrap();
        let paths: Vec<_> = parts.iter().map(|p| p.path.clone()).collect();
        assert_eq!(
            paths,
            [PathBuf::from("src/lib.rs"), PathBuf::from("src/other.rs")]
        );
        assert_eq!(apply_to(&parts[1], "p\n").unwrap(), "q\n");
    }

    #[test]
    fn no_diff_and_paths_outside_the_crate_are_refused() {
        assert!(split("Pitfall: nothing here.\n").is_err());
        assert!(split("--- a/../../x.rs\n+++ b/../../x.rs\n@@ -1 +1 @@\n-x\n+y\n").is_err());
        assert!(split("--- /etc/passwd\n+++ /etc/passwd\n@@ -1 +1 @@\n-x\n+y\n").is_err());
    }
}
