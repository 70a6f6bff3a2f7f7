//! What `verify` can check by reading files alone: metadata, manifests,
//! READMEs, given code, pitfall headers, numbering. `cargo test` runs these
//! too (xtask/tests/repository.rs), so the tree guards itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::Value;

use super::{MIN_HINTS, README_SECTIONS};
use crate::katas::Kata;
use crate::pitfalls::{self, read_table};
use crate::session::relative;

/// What can be checked by reading files alone. `cargo test` runs this too
/// (xtask/tests/repository.rs), so the tree guards itself.
///
/// A classroom copy has no solutions and may hold back the last hint: only
/// what the student's copy has is checked there.
pub fn static_problems(root: &Path, kata: &Kata) -> Vec<String> {
    let mut problems = Vec::new();
    let meta = &kata.meta;
    let classroom = crate::classroom::is_copy(root);
    let min_hints = if classroom { 1 } else { MIN_HINTS };
    let dir_name = kata
        .dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if dir_name != kata.dir_name() {
        problems.push(format!(
            "the directory should be katas/{} to match kata.toml",
            kata.dir_name()
        ));
    }
    if meta.hints.len() < min_hints {
        problems.push(format!(
            "kata.toml has {} hints; at least {min_hints}",
            meta.hints.len()
        ));
    }
    for (field, value) in [
        ("title", &meta.title),
        ("track", &meta.track),
        ("question", &meta.question),
    ] {
        if value.trim().is_empty() {
            problems.push(format!("kata.toml: `{field}` is empty"));
        }
    }
    if meta.source.is_some() {
        problems.push(
            "kata.toml: remove `source`: it names documents that are not in the repository"
                .to_owned(),
        );
    }
    problems.extend(readme_problems(kata));
    if classroom {
        return problems;
    }
    problems.extend(manifest_problems(root, kata));
    problems.extend(given_code_problems(kata));
    match pitfalls::discover(kata) {
        Ok(found) if found.is_empty() => {
            problems.push("no pitfall in solutions/…/pitfalls/".to_owned())
        }
        Ok(found) => {
            let tests = std::fs::read_to_string(kata.test_file()).unwrap_or_default();
            for pitfall in found {
                if pitfall.summary.is_empty() {
                    problems.push(format!("pitfall {}: no `Pitfall:` line", pitfall.name));
                }
                if pitfall.why.is_empty() {
                    problems.push(format!(
                        "pitfall {}: no words on why it is wrong between `Pitfall:` and `Caught by:`",
                        pitfall.name
                    ));
                }
                if pitfall.caught_by.is_empty() {
                    problems.push(format!("pitfall {}: no `Caught by:` line", pitfall.name));
                }
                if let Err(err) = pitfalls::check_applies(kata, &pitfall) {
                    problems.push(format!("pitfall {}: {err:#}", pitfall.name));
                }
                for test in &pitfall.caught_by {
                    if !tests.contains(&format!("fn {test}(")) {
                        problems.push(format!(
                            "pitfall {}: `Caught by` names {test}, which is not a test",
                            pitfall.name
                        ));
                    }
                }
            }
        }
        Err(err) => problems.push(format!("{err:#}")),
    }
    problems
}

fn manifest_problems(root: &Path, kata: &Kata) -> Vec<String> {
    let mut problems = Vec::new();
    let (kata_toml, solution_toml) = match (
        read_table(&kata.dir.join("Cargo.toml")),
        read_table(&kata.solution_dir.join("Cargo.toml")),
    ) {
        (Ok(k), Ok(s)) => (k, s),
        (Err(err), _) | (_, Err(err)) => return vec![format!("{err:#}")],
    };
    let get = |table: &toml::Table, path: &[&str]| -> Option<Value> {
        let mut value = table.get(path[0])?;
        for key in &path[1..] {
            value = value.get(key)?;
        }
        Some(value.clone())
    };
    if get(&kata_toml, &["package", "name"])
        .and_then(|v| v.as_str().map(str::to_owned))
        .as_deref()
        != Some(kata.package())
    {
        problems.push(format!(
            "katas/{}/Cargo.toml: the package must be named `{}`",
            kata.dir_name(),
            kata.package()
        ));
    }
    if get(&solution_toml, &["package", "name"]).and_then(|v| v.as_str().map(str::to_owned))
        != Some(kata.solution_package())
    {
        problems.push(format!(
            "the solution package must be named `{}`",
            kata.solution_package()
        ));
    }
    if get(&solution_toml, &["lib", "name"]).and_then(|v| v.as_str().map(str::to_owned))
        != Some(kata.lib_name())
    {
        problems.push(format!(
            "the solution's [lib] must be named `{}`, as the kata's",
            kata.lib_name()
        ));
    }
    for (who, table) in [("kata", &kata_toml), ("solution", &solution_toml)] {
        if get(table, &["lib", "doctest"]) != Some(Value::Boolean(false))
            || get(table, &["lib", "test"]) != Some(Value::Boolean(false))
        {
            problems.push(format!("the {who}'s [lib] needs `test = false` and `doctest = false` (one test binary per crate)"));
        }
    }
    // The one test file: the solution's only test target is the kata's file.
    let tests = get(&solution_toml, &["test"])
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let paths: Vec<PathBuf> = tests
        .iter()
        .filter_map(|t| t.get("path").and_then(Value::as_str))
        .map(|p| kata.solution_dir.join(p))
        .collect();
    let shared = paths.len() == 1 && same_file(&paths[0], &kata.test_file());
    if !shared || get(&solution_toml, &["package", "autotests"]) != Some(Value::Boolean(false)) {
        problems.push(format!(
            "the solution must run the kata's own tests and no others: `autotests = false` and one [[test]] with path = \"../../katas/{}/tests/{}.rs\"",
            kata.dir_name(),
            kata.lib_name()
        ));
    }
    if !kata.test_file().is_file() {
        problems.push(format!(
            "no test file at {}",
            relative(root, &kata.test_file())
        ));
    }
    let deps = |table: &toml::Table| {
        get(table, &["dependencies"])
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    if deps(&kata_toml) != deps(&solution_toml) {
        problems.push("the kata and its solution must have the same [dependencies]".to_owned());
    }
    if get(&kata_toml, &["dependencies", "workspace-hack"]).is_none() {
        problems.push(format!(
            "katas/{}/Cargo.toml: [dependencies] needs `workspace-hack.workspace = true`, so that every build resolves the same features (xtask/workspace-hack/Cargo.toml says why)",
            kata.dir_name()
        ));
    }
    problems
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Code a kata gives the learner (a simulated service, error types) lives
/// once, in `katas/NN-slug/src/given.rs`, and the solution includes that very
/// file: like the tests, a second copy could drift.
fn given_code_problems(kata: &Kata) -> Vec<String> {
    let mut problems = Vec::new();
    let skeleton = std::fs::read_to_string(kata.lib_file()).unwrap_or_default();
    if skeleton.contains("This part is given") {
        problems.push(format!(
            "katas/{}/src/lib.rs has given code: move it to src/given.rs",
            kata.dir_name()
        ));
    }
    if kata.solution_dir.join("src").join("given.rs").exists() {
        problems.push(format!(
            "solutions/{0}/src/given.rs is a second copy: include katas/{0}/src/given.rs instead",
            kata.dir_name()
        ));
    }
    if kata.dir.join("src").join("given.rs").is_file() {
        let solution = std::fs::read_to_string(kata.solution_file()).unwrap_or_default();
        let include = format!(
            "#[path = \"../../../katas/{}/src/given.rs\"]",
            kata.dir_name()
        );
        if !solution.contains(&include) {
            problems.push(format!(
                "the solution must include the kata's given code: `{include} mod given;`"
            ));
        }
    }
    problems
}

fn readme_problems(kata: &Kata) -> Vec<String> {
    let Ok(readme) = std::fs::read_to_string(kata.dir.join("README.md")) else {
        return vec!["no README.md".to_owned()];
    };
    let mut problems = Vec::new();
    let heading = format!("# {:02} · ", kata.meta.number);
    if !readme.starts_with(&heading) {
        problems.push(format!("README.md must start with `{heading}<title>`"));
    }
    let mut last = 0;
    for section in README_SECTIONS {
        match readme.find(&format!("\n{section}\n")) {
            Some(at) if at >= last => last = at,
            Some(_) => problems.push(format!("README.md: `{section}` is out of order")),
            None => problems.push(format!("README.md has no `{section}` section")),
        }
    }
    for marker in ["**EN:**", "**RU:**", "```python"] {
        if !readme.contains(marker) {
            problems.push(format!("README.md has no {marker}"));
        }
    }
    // Every Python program says what it prints, so that `cargo xtask python`
    // can check it (running them needs Python; reading them does not).
    for snippet in crate::snippets::extract(&readme) {
        if crate::snippets::expected(&snippet.code).is_empty() {
            problems.push(format!(
                "README.md line {}: the Python block says nothing about what it prints (`# prints:`, docs/AUTHORING.md)",
                snippet.line
            ));
        }
    }
    if !readme.contains(&format!("cargo test -p {}", kata.package())) {
        problems.push(format!(
            "README.md should say how to run it: `cargo test -p {}`",
            kata.package()
        ));
    }
    problems
}

/// Kata numbers run 1, 2, 3… with no gap and no repeat.
pub fn numbering_problems(katas: &[Kata]) -> Vec<String> {
    let mut seen: BTreeMap<u32, &str> = BTreeMap::new();
    let mut problems = Vec::new();
    for kata in katas {
        if let Some(other) = seen.insert(kata.meta.number, &kata.meta.slug) {
            problems.push(format!(
                "katas {other} and {} share number {}",
                kata.meta.slug, kata.meta.number
            ));
        }
    }
    for (expected, number) in (1..).zip(seen.keys()) {
        if *number != expected {
            problems.push(format!("kata numbers skip {expected}"));
            break;
        }
    }
    problems
}
