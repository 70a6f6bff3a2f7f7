//! The one module that runs child processes: cargo itself, the test
//! binaries it builds, git, and the READMEs' Python programs. Everything else
//! asks this module and gets plain data.
//!
//! `Err` means "could not run"; a build or test run that ran and failed is an
//! `Ok` carrying what went wrong.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use cargo_metadata::Message;
use cargo_metadata::diagnostic::DiagnosticLevel;
use wait_timeout::ChildExt;

use crate::children;
use crate::outcome::{Outcome, TestCase, TestResult};

/// How to call cargo.
#[derive(Debug, Clone)]
pub struct Cargo {
    program: OsString,
    /// Ask cargo for diagnostics rendered with colour.
    pub color: bool,
    /// Build here instead of the workspace's own `target/` (the generated
    /// pitfall workspace shares the main one, so nothing is compiled twice).
    pub target_dir: Option<PathBuf>,
}

/// What one `cargo build --tests` produced, per package (keyed by manifest path).
#[derive(Debug, Default)]
pub struct Build {
    pub test_binaries: HashMap<PathBuf, Vec<PathBuf>>,
    pub errors: HashMap<PathBuf, Vec<String>>,
    pub warnings: HashMap<PathBuf, Vec<String>>,
    /// cargo's own stderr: the only explanation when it fails before compiling
    /// anything (a broken manifest, no network for a missing crate).
    pub stderr: String,
}

impl Cargo {
    /// The cargo that started us (`CARGO`, set by `cargo run`), else `cargo` on PATH.
    pub fn from_env(color: bool) -> Cargo {
        let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Cargo {
            program,
            color,
            target_dir: None,
        }
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.stdin(Stdio::null());
        if let Some(dir) = &self.target_dir {
            command.env("CARGO_TARGET_DIR", dir);
        }
        command
    }

    /// Builds the test binaries of `packages` in one cargo invocation.
    ///
    /// `--keep-going` keeps one broken kata from stopping the others: cargo
    /// compiles everything it can and reports each failure as a message.
    /// `on_compiled` hears the manifest path of each test binary as it is built.
    pub fn build_tests(
        &self,
        manifest: &Path,
        packages: &[String],
        on_compiled: impl FnMut(&Path),
    ) -> Result<Build> {
        self.compile("build", manifest, packages, on_compiled)
    }

    /// Runs clippy over the tests and libraries of `packages` and collects
    /// its findings per package, as `build_tests` does for the compiler's.
    pub fn clippy(&self, manifest: &Path, packages: &[String]) -> Result<Build> {
        self.compile("clippy", manifest, packages, |_| {})
    }

    fn compile(
        &self,
        subcommand: &str,
        manifest: &Path,
        packages: &[String],
        mut on_compiled: impl FnMut(&Path),
    ) -> Result<Build> {
        let format = if self.color {
            "--message-format=json-diagnostic-rendered-ansi"
        } else {
            "--message-format=json"
        };
        let mut command = self.command();
        command
            .args([subcommand, "--tests", "--keep-going", "--quiet", format])
            .arg("--manifest-path")
            .arg(manifest)
            .args(packages.iter().flat_map(|p| ["--package", p.as_str()]))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().with_context(|| {
            format!("failed to run `cargo {subcommand} --tests`: is cargo installed?")
        })?;
        let _registered = children::register(child.id(), children::Kind::Cargo);
        let stderr = drain_in_background(child.stderr.take().expect("stderr was piped"));
        let stdout = BufReader::new(child.stdout.take().expect("stdout was piped"));

        let mut build = Build::default();
        for message in Message::parse_stream(stdout) {
            match message.context("unreadable output from cargo")? {
                Message::CompilerArtifact(artifact) if artifact.profile.test => {
                    let manifest = PathBuf::from(artifact.manifest_path);
                    on_compiled(&manifest);
                    if let Some(exe) = artifact.executable {
                        build
                            .test_binaries
                            .entry(manifest)
                            .or_default()
                            .push(exe.into());
                    }
                }
                Message::CompilerMessage(msg) => {
                    let rendered = msg.message.rendered.clone().unwrap_or(msg.message.message);
                    let Some(manifest) = manifest_of(&msg.package_id.repr) else {
                        continue;
                    };
                    let list = match msg.message.level {
                        DiagnosticLevel::Error | DiagnosticLevel::Ice => &mut build.errors,
                        DiagnosticLevel::Warning => &mut build.warnings,
                        _ => continue,
                    };
                    let list = list.entry(manifest).or_default();
                    // A lib's warnings are reported again for each target that
                    // uses it; once is enough.
                    if !list.contains(&rendered) {
                        list.push(rendered);
                    }
                }
                _ => {}
            }
        }
        child.wait().context("cargo did not exit")?;
        build.stderr = stderr.join().unwrap_or_default();
        Ok(build)
    }

    /// Runs cargo with `args` in `dir` and returns (success, stdout, stderr).
    pub fn run(&self, dir: &Path, args: &[&str]) -> Result<(bool, String, String)> {
        let output = self
            .command()
            .args(args)
            .current_dir(dir)
            .output()
            .with_context(|| format!("failed to run `cargo {}`", args.join(" ")))?;
        Ok((
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ))
    }
}

/// The manifest of a local package, from its id
/// (`path+file:///work/katas/01-why-async#why-async@0.1.0`).
fn manifest_of(package_id: &str) -> Option<PathBuf> {
    let url = package_id.strip_prefix("path+file://")?;
    let path = url.split('#').next()?;
    Some(PathBuf::from(percent_decode(path)).join("Cargo.toml"))
}

/// Undoes the URL escapes cargo puts in package ids (`%20` for a space).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs one test binary with a wall-clock limit and reads its verdict.
///
/// The binary runs in its crate's directory with `CARGO_MANIFEST_DIR` set, as
/// `cargo test` would. Past `limit` it is killed: a learner's deadlock must
/// never hang the runner.
pub fn run_test_binary(exe: &Path, crate_dir: &Path, limit: Duration) -> Outcome {
    let spawned = Command::new(exe)
        .args(["--color", "never"])
        .current_dir(crate_dir)
        .env("CARGO_MANIFEST_DIR", crate_dir)
        // Short panic messages: a learner wants the assertion, not the backtrace.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => {
            return Outcome::CouldNotRun {
                reason: format!("cannot start {}: {err}", exe.display()),
            };
        }
    };
    let _registered = children::register(child.id(), children::Kind::Program);
    let stdout = collect_in_background(child.stdout.take().expect("stdout was piped"));
    let stderr = collect_in_background(child.stderr.take().expect("stderr was piped"));

    match child.wait_timeout(limit) {
        Ok(Some(status)) => {
            let out = stdout.finish();
            if status.code().is_none() || status.code() == Some(134) {
                let tests = crate::outcome::parse_libtest(&out);
                let detail = format!("{status}\n{}", stderr.finish().trim());
                return Outcome::Crashed { detail, tests };
            }
            Outcome::from_test_run(status.success(), &out)
        }
        Ok(None) => {
            kill(&mut child);
            let all_tests = list_tests(exe, crate_dir);
            let timed_out = Outcome::timed_out(limit, &stdout.snapshot(), &all_tests);
            settle_unfinished(exe, crate_dir, timed_out)
        }
        Err(err) => {
            kill(&mut child);
            Outcome::CouldNotRun {
                reason: format!("lost track of {}: {err}", exe.display()),
            }
        }
    }
}

/// How long a test gets on its own after its binary was stopped: every
/// kata's tests finish in well under this with a right answer.
const ALONE: Duration = Duration::from_secs(3);

/// After a wall-clock timeout, the tests that never reported were either
/// hung or never started (libtest runs a few at a time, and hung ones block
/// the rest), and the failures have no message yet. Each is run again on
/// its own, briefly, so that the learner sees which ones hang and why the
/// others fail.
fn settle_unfinished(exe: &Path, crate_dir: &Path, outcome: Outcome) -> Outcome {
    let Outcome::TimedOut { limit_secs, tests } = outcome else {
        return outcome;
    };
    let settled: Vec<TestCase> = thread::scope(|scope| {
        let runs: Vec<_> = tests
            .iter()
            .map(|test| {
                scope.spawn(move || {
                    // A failure's message comes at the end of a run, so the
                    // failures before the kill have none yet: those run again too.
                    let unknown = test.result == TestResult::Unfinished
                        || (test.result == TestResult::Failed && test.message.is_none());
                    if !unknown {
                        return test.clone();
                    }
                    run_alone(exe, crate_dir, &test.name).unwrap_or_else(|| test.clone())
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("a test run does not panic"))
            .collect()
    });
    Outcome::TimedOut {
        limit_secs,
        tests: settled,
    }
}

/// One test alone, under [`ALONE`]: its verdict, or `None` if it hangs there too.
fn run_alone(exe: &Path, crate_dir: &Path, name: &str) -> Option<TestCase> {
    let mut command = Command::new(exe);
    command
        .args(["--exact", name, "--test-threads", "1", "--color", "never"])
        .current_dir(crate_dir)
        .env("CARGO_MANIFEST_DIR", crate_dir)
        .env("RUST_BACKTRACE", "0");
    let run = run_with_limit(&mut command, ALONE).ok()?;
    run.exit_code?;
    crate::outcome::parse_libtest(&run.stdout)
        .into_iter()
        .find(|t| t.name == name)
}

fn kill(child: &mut Child) {
    // The child may have exited between the timeout and now; either way it is gone.
    let _ = child.kill();
    let _ = child.wait();
}

/// The names of the tests in a binary (`--list`), for naming the unfinished ones.
fn list_tests(exe: &Path, crate_dir: &Path) -> Vec<String> {
    let output = Command::new(exe)
        .args(["--list", "--format", "terse"])
        .current_dir(crate_dir)
        .stdin(Stdio::null())
        .output();
    let Ok(output) = output else {
        return Vec::new();
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect()
}

/// A pipe being read to its end on a thread. What has arrived stays readable
/// at any time: after a kill, what the tests printed so far is still wanted.
struct Collector {
    text: Arc<Mutex<String>>,
    done: mpsc::Receiver<()>,
}

fn collect_in_background(pipe: impl Read + Send + 'static) -> Collector {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    let (done_tx, done) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
            let mut text = sink.lock().unwrap_or_else(|e| e.into_inner());
            text.push_str(&String::from_utf8_lossy(&line));
            line.clear();
        }
        // The receiver may be gone already; nothing is waiting then.
        let _ = done_tx.send(());
    });
    Collector { text, done }
}

impl Collector {
    fn snapshot(&self) -> String {
        self.text.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The whole output of a process that has exited. The pipe normally
    /// closes with it; a grandchild that inherited the pipe could keep it open,
    /// so the wait for the last lines is bounded.
    fn finish(&self) -> String {
        let _ = self.done.recv_timeout(Duration::from_millis(500));
        self.snapshot()
    }
}

fn drain_in_background(pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        let _ = BufReader::new(pipe).read_to_string(&mut text);
        text
    })
}

/// Runs a program to its end, or kills it at `limit`, and returns what it
/// printed. `Err` only when it could not be started.
pub fn run_with_limit(command: &mut Command, limit: Duration) -> Result<crate::snippets::Run> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {:?}", command.get_program()))?;
    let _registered = children::register(child.id(), children::Kind::Program);
    let stdout = collect_in_background(child.stdout.take().expect("stdout was piped"));
    let stderr = collect_in_background(child.stderr.take().expect("stderr was piped"));
    let exit_code = match child.wait_timeout(limit) {
        // A program killed by a signal has no code; -1 keeps it a failure.
        Ok(Some(status)) => Some(status.code().unwrap_or(-1)),
        _ => {
            kill(&mut child);
            None
        }
    };
    Ok(crate::snippets::Run {
        exit_code,
        stdout: stdout.finish(),
        stderr: stderr.finish(),
    })
}

/// Runs git in `dir` and returns its stdout, or why it failed.
pub fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .context("failed to run git: is it installed?")?;
    if !output.status.success() {
        anyhow::bail!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After a wall-clock timeout, a test that only never got its turn is run
    /// alone and gets its real verdict; one that hangs stays unfinished.
    /// (This very test binary plays the kata's.)
    #[test]
    fn unfinished_tests_are_run_alone_for_their_verdict() {
        let _alone = crate::children::TEST_LOCK
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let exe = std::env::current_exe().unwrap();
        let dir = std::env::current_dir().unwrap();
        let unfinished = |name: &str| TestCase {
            name: name.to_owned(),
            result: TestResult::Unfinished,
            message: None,
        };
        let outcome = Outcome::TimedOut {
            limit_secs: 10,
            tests: vec![
                unfinished("cargo::tests::a_package_id_leads_to_its_manifest"),
                unfinished("no_such_test_hangs_forever"),
            ],
        };
        let Outcome::TimedOut { tests, .. } = settle_unfinished(&exe, &dir, outcome) else {
            panic!("still a timeout");
        };
        assert_eq!(tests[0].result, TestResult::Passed);
        assert_eq!(tests[1].result, TestResult::Unfinished);
    }

    #[test]
    fn a_package_id_leads_to_its_manifest() {
        let id = "path+file:///work/my%20katas/katas/01-why-async#why-async@0.1.0";
        assert_eq!(
            manifest_of(id),
            Some(PathBuf::from(
                "/work/my katas/katas/01-why-async/Cargo.toml"
            ))
        );
        assert_eq!(
            manifest_of("registry+https://github.com/rust-lang/crates.io-index#tokio@1.47.0"),
            None
        );
    }
}
