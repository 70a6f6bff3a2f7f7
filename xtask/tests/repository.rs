//! Repository invariants that can be checked by reading files: `cargo test`
//! runs them, so a kata with missing metadata, README sections, hints or
//! pitfall headers, or with a second copy of its tests, fails the build.
//! (`cargo xtask verify` adds what needs compiling and running.)

use xtask::classroom;
use xtask::commands::verify::{numbering_problems, static_problems};
use xtask::katas::{discover, workspace_root};

/// A classroom copy (`cargo xtask classroom`) has a chosen set of katas, no
/// solutions and a README for students: the checks that need the
/// maintainers' repository skip there, and say so.
fn maintainers_repository() -> bool {
    let classroom = classroom::is_copy(&workspace_root());
    if classroom {
        eprintln!("a classroom copy: this check needs the maintainers' repository");
    }
    !classroom
}

#[test]
fn every_kata_is_complete_and_consistent() {
    let root = workspace_root();
    let katas = discover(&root).expect("the katas can be read");
    let mut report = String::new();
    for kata in &katas {
        for problem in static_problems(&root, kata) {
            report += &format!("{}: {problem}\n", kata.label());
        }
    }
    assert!(report.is_empty(), "\n{report}");
}

#[test]
fn kata_numbers_run_without_gaps_or_repeats() {
    if !maintainers_repository() {
        return;
    }
    let katas = discover(&workspace_root()).expect("the katas can be read");
    assert!(!katas.is_empty(), "no kata found");
    assert_eq!(numbering_problems(&katas), Vec::<String>::new());
}

#[test]
fn every_kata_has_a_reference_solution_and_every_solution_a_kata() {
    if !maintainers_repository() {
        return;
    }
    let root = workspace_root();
    let katas = discover(&root).expect("the katas can be read");
    for kata in &katas {
        assert!(
            kata.solution_dir.join("Cargo.toml").is_file(),
            "{} has no solutions/{}",
            kata.label(),
            kata.dir_name()
        );
    }
    for entry in std::fs::read_dir(root.join("solutions")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            katas.iter().any(|k| k.dir_name() == name),
            "solutions/{name} belongs to no kata"
        );
    }
}

/// The README's kata table is generated from the katas' metadata; when it is
/// stale the failure prints the rows to paste between the markers.
#[test]
fn the_readme_table_matches_the_katas() {
    if !maintainers_repository() {
        return;
    }
    let root = workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let katas = discover(&root).expect("the katas can be read");
    let rows: String = katas
        .iter()
        .map(|kata| {
            format!(
                "| {:02} | [{}](katas/{}) | {} | {} | {} |\n",
                kata.meta.number,
                kata.meta.slug,
                kata.dir_name(),
                kata.meta.level.letter(),
                kata.meta.track,
                kata.meta.question
            )
        })
        .collect();
    let start = readme
        .find("|---|---|---|---|---|\n")
        .expect("README.md has the kata table's header")
        + "|---|---|---|---|---|\n".len();
    let end = readme[start..]
        .find("<!-- /kata-table -->")
        .expect("README.md has the kata table's end marker")
        + start;
    assert!(
        readme[start..end] == rows,
        "README.md's kata table is stale; its rows should read:\n{rows}"
    );
}

/// The repository stands alone: every Markdown link, and every path to a
/// Markdown file written with a slash (in prose, comments and messages), leads
/// to a file that is here (and, with `#anchor`, to one of its headings);
/// nothing points outside the repository.
#[test]
fn every_reference_leads_to_something_in_the_repository() {
    let root = workspace_root();
    let mut files = Vec::new();
    collect_text_files(&root, &mut files);
    let this_file = root.join("xtask/tests/repository.rs");
    let mut problems = String::new();
    for file in files.iter().filter(|f| **f != this_file) {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let shown = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        if text.contains("../shared/") {
            problems += &format!("{shown} points to ../shared/, outside the repository\n");
        }
        for reference in references(&text) {
            let (path, anchor) = match reference.split_once('#') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (reference.as_str(), None),
            };
            // Relative to the file, or (in prose and messages) to the root.
            let target = [file.parent().unwrap().join(path), root.join(path)]
                .into_iter()
                .find(|t| t.exists());
            let Some(target) = target else {
                problems += &format!("{shown} refers to {reference}, which does not exist\n");
                continue;
            };
            if let Some(anchor) = anchor {
                let headings = std::fs::read_to_string(&target).unwrap_or_default();
                let found = headings
                    .lines()
                    .filter_map(|l| l.strip_prefix('#'))
                    .map(|h| slug(h.trim_start_matches('#')))
                    .any(|s| s == anchor);
                if !found {
                    problems += &format!("{shown} refers to {reference}: no such heading\n");
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{problems}");
}

/// Text files the repository keeps (no build output; of the hidden ones only
/// `.github`, `.cargo` and `.ci`).
fn collect_text_files(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let hidden =
            name.starts_with('.') && ![".github", ".cargo", ".ci"].contains(&name.as_str());
        if name == "target" || hidden {
            continue;
        }
        if path.is_dir() {
            collect_text_files(&path, files);
        } else if ["md", "toml", "rs", "sh", "yml"]
            .iter()
            .any(|ext| path.extension().is_some_and(|e| e == *ext))
        {
            files.push(path);
        }
    }
}

/// Paths to Markdown files: Markdown links (`](x.md)`, `](x.md#a)`), and
/// paths with a slash (`docs/TESTING.md`, `../../README.md#how-it-is-built`).
/// A bare `README.md` in prose names no particular file; web addresses are
/// not checked.
fn references(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices(".md") {
        let start = text[..at]
            .rfind(|c: char| !(c.is_alphanumeric() || "/._-".contains(c)))
            .map_or(0, |i| i + 1);
        let rest = &text[at + 3..];
        if rest.starts_with(|c: char| c.is_alphanumeric()) {
            continue; // `.mdx`, `.md_file`: not a Markdown path
        }
        let anchor = rest.strip_prefix('#').map(|a| {
            &a[..a
                .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(a.len())]
        });
        let path = &text[start..at + 3];
        let is_link = text[..start].ends_with("](");
        if path.len() <= 3 || text[..start].ends_with("://") || text[..start].ends_with(':') {
            continue;
        }
        if is_link || path.contains('/') {
            found.push(match anchor {
                Some(anchor) => format!("{path}#{anchor}"),
                None => path.to_owned(),
            });
        }
    }
    found
}

/// GitHub's anchor for a heading: lower case, spaces to dashes, punctuation dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}
