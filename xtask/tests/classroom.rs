//! The classroom, end to end, as a teacher and a class would meet it: export a
//! student template, check that it builds and that every kata fails cleanly in
//! it, solve two katas with the reference solutions, tamper with a third kata's
//! tests, and grade.
//!
//! It builds a second workspace, in its own target directory under `target/`
//! (the one `cargo test` holds is locked while this runs): about two minutes
//! the first time, seconds after that.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use xtask::katas::workspace_root;

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// `cargo xtask ARGS` to run in `dir`, building into the test's own target dir.
fn xtask_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = cargo();
    command
        .arg("xtask")
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("NO_COLOR", "1");
    command
}

fn xtask(dir: &Path, args: &[&str]) -> Output {
    xtask_command(dir, args).output().expect("cargo runs")
}

/// `cargo xtask watch` in `dir` with `input` piped in; it must end by itself
/// with success. Returns what it printed.
fn watch(dir: &Path, input: &[u8]) -> String {
    let mut watch = xtask_command(dir, &["watch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    // Dropping stdin after the write is the end of input.
    let mut stdin = watch.stdin.take().expect("stdin is piped");
    stdin.write_all(input).expect("watch reads its input");
    drop(stdin);
    let output = watch.wait_with_output().expect("watch ends");
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    shown
}

fn target_dir() -> PathBuf {
    workspace_root().join("target").join("classroom-test")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A reference solution made to live in the kata's place: it includes the
/// kata's given code from beside it rather than from the solutions' tree.
fn solve(template: &Path, root: &Path, kata: &str) {
    let solution = std::fs::read_to_string(root.join("solutions").join(kata).join("src/lib.rs"))
        .expect("the solution is readable");
    let include = format!("#[path = \"../../../katas/{kata}/src/given.rs\"]\n");
    let solution = solution.replace(&include, "");
    std::fs::write(
        template.join("katas").join(kata).join("src/lib.rs"),
        solution,
    )
    .unwrap();
}

/// Makes `to` hold exactly the files of `from`, touching only what differs.
fn sync(from: &Path, to: &Path) {
    fn files(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if entry.file_name() == "target" {
                continue;
            }
            if path.is_dir() {
                files(&path, base, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let (mut wanted, mut present) = (Vec::new(), Vec::new());
    files(from, from, &mut wanted);
    files(to, to, &mut present);
    for file in present.iter().filter(|f| !wanted.contains(f)) {
        std::fs::remove_file(to.join(file)).unwrap();
    }
    for file in &wanted {
        let bytes = std::fs::read(from.join(file)).unwrap();
        if std::fs::read(to.join(file)).ok().as_ref() != Some(&bytes) {
            std::fs::create_dir_all(to.join(file).parent().unwrap()).unwrap();
            std::fs::write(to.join(file), bytes).unwrap();
        }
    }
}

#[test]
fn a_template_grades_solved_katas_and_catches_tampering() {
    let root = workspace_root();
    if xtask::classroom::is_copy(&root) {
        eprintln!("a classroom copy: exporting needs the maintainers' repository");
        return;
    }
    // The teacher exports four katas into a new directory.
    let export = target_dir().join(format!("export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&export);
    let exported = xtask(
        &root,
        &[
            "classroom",
            export.to_str().unwrap(),
            "--katas",
            "1,2,14,15",
            "--hold-back-last-hint",
        ],
    );
    assert!(exported.status.success(), "{}", text(&exported));
    // The test works in a copy that stays in one place, rewriting only the
    // files that changed: cargo judges freshness by path and modification
    // time, so a second run reuses what the first compiled.
    let template = target_dir().join("template");
    sync(&export, &template);
    let exported_lock = std::fs::read_to_string(template.join("Cargo.lock")).unwrap();
    let _ = std::fs::remove_dir_all(&export);
    assert!(
        !template.join("solutions").exists(),
        "no solutions in a template"
    );
    assert!(!template.join(".github/workflows/ci.yml").exists());
    let workflow =
        std::fs::read_to_string(template.join(".github/workflows/classroom.yml")).unwrap();
    let manifest = std::fs::read(template.join(xtask::classroom::MANIFEST)).unwrap();
    let digest = xtask::classroom::sha256(&manifest);
    assert!(
        workflow.contains(&digest),
        "the workflow holds the manifest's digest"
    );

    // Fresh, every kata fails cleanly (none fails to compile) ...
    let progress = xtask(&template, &["progress"]);
    let shown = text(&progress);
    assert_eq!(progress.status.code(), Some(1), "{shown}");
    assert!(shown.contains("0/4 katas solved"), "{shown}");
    assert_eq!(shown.matches("✗ failing").count(), 4, "{shown}");
    // ... and its own `cargo test` passes.
    let tested = cargo()
        .args(["test", "-q"])
        .current_dir(&template)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    assert!(tested.status.success(), "{}", text(&tested));
    // Building the template left its lock file as handed out: a student's
    // first commit carries no lock file rewritten by cargo.
    assert_eq!(
        std::fs::read_to_string(template.join("Cargo.lock")).unwrap(),
        exported_lock,
        "cargo rewrote the template's Cargo.lock"
    );

    // A student who drives `watch` from a pipe is told the commands, gets
    // a hint and has a typo named even when `q` follows at once (all of it
    // arrives during the first check); with nothing more to read, `watch`
    // ends by itself.
    let watched = watch(&template, b"hint\nbogus\nq\n");
    for expected in [
        "Commands, one per line: h (hint)",
        "Hints for 01 why-async",
        "Unknown command \"bogus\". Commands: h (hint)",
    ] {
        assert!(watched.contains(expected), "no {expected:?} in:\n{watched}");
    }
    let watched = watch(&template, b"");
    assert!(watched.contains("End of input: watch stops."), "{watched}");

    // A student solves two katas and rewrites a third one's tests.
    solve(&template, &root, "01-why-async");
    solve(&template, &root, "02-lazy-futures");
    // Kata 01 passes with two mistakes its tests let through: a future never
    // awaited and a blocking sleep. `check` names both, and says what
    // `solution` now shows.
    let lib = template.join("katas/01-why-async/src/lib.rs");
    let mut solved = std::fs::read_to_string(&lib).unwrap();
    solved.push_str(
        "\npub async fn forgetful(network: &Network) {\n    network.fetch(\"x\");\n    std::thread::sleep(std::time::Duration::ZERO);\n}\n",
    );
    std::fs::write(&lib, solved).unwrap();
    let checked = text(&xtask(&template, &["check", "why-async"]));
    for expected in [
        "tests pass",
        "from the compiler",
        "futures do nothing unless you `.await` or poll them",
        "from clippy",
        "std::thread::sleep",
        "Well done. `cargo xtask next` moves on.",
    ] {
        assert!(checked.contains(expected), "no {expected:?} in:\n{checked}");
    }
    // A classroom copy has no solutions to offer, and says so.
    assert!(!checked.contains("xtask solution"), "{checked}");
    let asked = xtask(&template, &["solution", "why-async"]);
    assert_eq!(asked.status.code(), Some(2), "{}", text(&asked));
    assert!(
        text(&asked).contains("no reference solutions"),
        "{}",
        text(&asked)
    );
    let tests = template.join("katas/14-timeout/tests/timeout.rs");
    std::fs::write(&tests, "#[test]\nfn passes() {}\n").unwrap();

    let graded = xtask(
        &template,
        &[
            "report",
            "--format",
            "classroom",
            "--manifest-sha256",
            &digest,
        ],
    );
    let report: serde_json::Value =
        serde_json::from_slice(&graded.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&graded)));
    let katas = report["tests"].as_array().expect("one entry per kata");
    let by_name = |name: &str| {
        katas
            .iter()
            .find(|k| k["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {report:#}"))
    };
    assert_eq!(by_name("01 why-async")["score"], 1, "{report:#}");
    assert_eq!(by_name("01 why-async")["status"], "pass");
    assert_eq!(by_name("02 lazy-futures")["score"], 1, "{report:#}");
    let tampered = by_name("14 timeout");
    assert_eq!(tampered["score"], 0, "{report:#}");
    assert_eq!(tampered["status"], "fail");
    let message = tampered["message"].as_str().unwrap();
    assert!(
        message.contains("tampered") && message.contains("katas/14-timeout/tests/timeout.rs"),
        "{message}"
    );
    assert_eq!(by_name("15 shield")["score"], 0, "{report:#}");
    assert_eq!(report["max_score"], 1 + 1 + 1 + 2, "{report:#}");
    assert_eq!(report["status"], "fail");

    // The other formats say the same; a second run gives the same result.
    let markdown = text(&xtask(
        &template,
        &[
            "report",
            "--format",
            "markdown",
            "--manifest-sha256",
            &digest,
        ],
    ));
    assert!(
        markdown.contains("Katas: 2/4 solved, 2/5 points"),
        "{markdown}"
    );
    assert!(markdown.contains("✗ tampered"), "{markdown}");
    let again = xtask(
        &template,
        &[
            "report",
            "--format",
            "classroom",
            "--manifest-sha256",
            &digest,
        ],
    );
    assert_eq!(
        again.stdout, graded.stdout,
        "a report run twice gives the same result"
    );

    // A student who edits the manifest too is caught by the digest.
    std::fs::write(template.join(xtask::classroom::MANIFEST), "").unwrap();
    let forged = xtask(
        &template,
        &[
            "report",
            "--format",
            "classroom",
            "--manifest-sha256",
            &digest,
        ],
    );
    let forged: serde_json::Value = serde_json::from_slice(&forged.stdout).unwrap();
    assert!(
        forged["tests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["score"] == 0),
        "{forged:#}"
    );
}
