//! Repository invariants that can be checked by reading files: `cargo test`
//! runs them, so a kata with missing metadata, README sections, hints or
//! pitfall headers, or with a second copy of its tests, fails the build.
//! (`cargo xtask verify` adds what needs compiling and running.)

use xtask::commands::verify::{numbering_problems, static_problems};
use xtask::katas::{discover, workspace_root};

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
    let katas = discover(&workspace_root()).expect("the katas can be read");
    assert!(!katas.is_empty(), "no kata found");
    assert_eq!(numbering_problems(&katas), Vec::<String>::new());
}

#[test]
fn every_kata_has_a_reference_solution_and_every_solution_a_kata() {
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
