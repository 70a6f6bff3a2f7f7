//! Kata 39 tests: real child processes, started, read, timed and killed.
//!
//! The children are the kata's own program (`child/main.rs`), which cargo
//! builds beside the tests and names in `CARGO_BIN_EXE_subprocesses-child`:
//! no shell, so the tests run alike on Linux, macOS and Windows.
//!
//! Child processes live in real time, so these tests run on tokio's real
//! clock (a paused clock would jump to every time limit while a child is
//! still starting), and prove what they claim by events rather than by
//! durations: children that can only finish if their siblings run at the
//! same time, a child that can only finish once another one is dead, and a
//! file lock that the operating system releases only when its holder is
//! gone. Every call is under a watchdog, so a wrong answer fails instead of
//! hanging.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use subprocesses::{Job, Outcome, run_all};

/// How long any `run_all` in these tests may take on a loaded machine. The
/// slowest right answer here takes half a second.
const WATCHDOG: Duration = Duration::from_secs(5);

/// A limit that no child in these tests should reach.
const AMPLE: Duration = Duration::from_secs(4);

/// The kata's child program.
fn child() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_subprocesses-child"))
}

/// A job running the child program with `args`.
fn job(args: &[&str], limit: Duration) -> Job {
    Job::new(child(), args.iter().copied(), limit)
}

/// `run_all` under the watchdog.
async fn run(jobs: &[Job]) -> Vec<Outcome> {
    tokio::time::timeout(WATCHDOG, run_all(jobs))
        .await
        .unwrap_or_else(|_| {
            panic!(
                "run_all did not return within {WATCHDOG:?}: are the children run one after \
                 another, or is a child waited for that can never finish?"
            )
        })
}

/// The output of a child that must have exited.
fn exited(outcome: &Outcome) -> &Output {
    match outcome {
        Outcome::Exited(output) => output,
        other => panic!("the child should have exited by itself, got {other:?}"),
    }
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("the child writes UTF-8")
}

/// A fresh directory of this test's own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("kata39-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory can be made");
        Self(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The argument that names a file in this directory.
    fn arg(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether the `hang` child that locked `lock` got that far: it creates
/// `LOCK.ready` once it holds the lock.
fn was_locked(lock: &Path) -> bool {
    let mut ready = lock.as_os_str().to_owned();
    ready.push(".ready");
    Path::new(&ready).exists()
}

/// Whether the lock can be taken now, that is, whether no process holds it.
fn is_free(lock: &Path) -> bool {
    std::fs::File::options()
        .write(true)
        .open(lock)
        .is_ok_and(|file| file.try_lock().is_ok())
}

/// Whether the lock is free within `patience`. A process's locks are
/// released as it exits (on Windows, a moment later).
async fn freed_within(lock: &Path, patience: Duration) -> bool {
    let start = Instant::now();
    while !is_free(lock) {
        if start.elapsed() > patience {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

/// How long the operating system may take to release a dead child's lock.
/// On Unix it is released before the child can be waited for; on Windows
/// it may come a moment later.
const RELEASE: Duration = if cfg!(windows) {
    Duration::from_secs(1)
} else {
    Duration::ZERO
};

/// A child runs, and what it printed comes back with its exit status.
#[tokio::test]
async fn a_child_runs_and_its_output_comes_back() {
    let outcomes = run(&[job(&["echo", "hello", "world"], AMPLE)]).await;

    assert_eq!(outcomes.len(), 1);
    let output = exited(&outcomes[0]);
    assert!(output.status.success(), "echo exits with 0");
    assert_eq!(text(&output.stdout), "hello world\n");
    assert_eq!(text(&output.stderr), "");
}

/// A failing child's exit code and what it wrote to stderr come back.
#[tokio::test]
async fn an_exit_code_and_stderr_come_back() {
    let outcomes = run(&[job(&["fail", "3", "no", "such", "user"], AMPLE)]).await;

    let output = exited(&outcomes[0]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(text(&output.stderr), "no such user\n");
    assert_eq!(text(&output.stdout), "");
}

/// The outcomes keep the order of the jobs, not the order the children
/// finish in (the first one here finishes last).
#[tokio::test]
async fn outcomes_keep_the_order_of_the_jobs() {
    let outcomes = run(&[
        job(&["late", "300", "first"], AMPLE),
        job(&["echo", "second"], AMPLE),
        job(&["echo", "third"], AMPLE),
    ])
    .await;

    let printed: Vec<&str> = outcomes
        .iter()
        .map(|outcome| text(&exited(outcome).stdout))
        .collect();
    assert_eq!(printed, ["first\n", "second\n", "third\n"]);
}

/// The children run at the same time: four children that each wait until
/// all four have arrived can only finish together. Run one after another,
/// the first waits for siblings that have not started.
#[tokio::test]
async fn the_children_run_at_the_same_time() {
    let scratch = Scratch::new("meet");
    let meeting = scratch.arg("");
    let jobs: Vec<Job> = (0..4)
        .map(|i| job(&["meet", &meeting, "4", &format!("child{i}")], AMPLE))
        .collect();

    let outcomes = run(&jobs).await;

    for (i, outcome) in outcomes.iter().enumerate() {
        let Outcome::Exited(output) = outcome else {
            panic!(
                "child {i} could not meet the other three ({outcome:?}): the children must \
                 all run at the same time, not one after another"
            );
        };
        assert_eq!(text(&output.stdout), "met 4\n");
    }
}

/// Ten children at once, each with its own output, in its own place.
#[tokio::test]
async fn ten_children_each_get_their_own_output() {
    let jobs: Vec<Job> = (0..10)
        .map(|i| job(&["echo", &format!("child {i}")], AMPLE))
        .collect();

    let outcomes = run(&jobs).await;

    for (i, outcome) in outcomes.iter().enumerate() {
        assert_eq!(text(&exited(outcome).stdout), format!("child {i}\n"));
    }
}

/// A child that writes a megabyte to stderr and then one to stdout gets
/// both back whole: both pipes are read while it runs. (A pipe holds some
/// 64 KiB; a parent that waits for the exit first, or reads stdout to its
/// end before stderr, waits for a child that waits for it.)
#[tokio::test]
async fn a_megabyte_on_both_pipes_comes_back_whole() {
    const BYTES: usize = 1 << 20;

    let outcomes = run(&[job(&["flood", &BYTES.to_string()], AMPLE)]).await;

    let Outcome::Exited(output) = &outcomes[0] else {
        panic!(
            "the flooding child did not finish ({:?}): read stdout and stderr at the same \
             time as you wait for the exit, or the child blocks on a full pipe",
            outcomes[0]
        );
    };
    assert!(output.status.success());
    assert_eq!(output.stdout.len(), BYTES, "stdout came back cut");
    assert_eq!(output.stderr.len(), BYTES, "stderr came back cut");
    assert!(output.stdout.iter().all(|&b| b == b'o'));
    assert!(output.stderr.iter().all(|&b| b == b'e'));
}

/// A child still running at its limit is killed and waited for: `run_all`
/// returns `Killed` no sooner than the limit, and by then the child is gone
/// (the lock it held is free again).
#[tokio::test]
async fn a_child_over_its_limit_is_killed_and_reaped() {
    let scratch = Scratch::new("killed");
    let lock = scratch.path("lock");
    let limit = Duration::from_millis(500);
    let start = Instant::now();

    let outcomes = run(&[job(&["hang", &scratch.arg("lock")], limit)]).await;

    let took = start.elapsed();
    let Outcome::Killed(status) = &outcomes[0] else {
        panic!(
            "a child that hangs must be killed at its limit, got {:?}",
            outcomes[0]
        );
    };
    assert!(
        !status.success(),
        "a killed child does not exit with success"
    );
    assert!(
        took >= limit,
        "killed after {took:?}, before the limit of {limit:?}"
    );
    assert!(
        was_locked(&lock),
        "the child had not even started within {limit:?} (a very loaded machine?)"
    );
    assert!(
        freed_within(&lock, RELEASE).await,
        "run_all returned, and the child it reported as killed is still running: kill it, \
         and wait for it to be gone, before reporting"
    );
}

/// Each child has its own limit: the one that hangs is killed at its limit
/// while its sibling (with a longer one) still runs, and the sibling, which
/// waits for the first one's death, then finishes.
#[tokio::test]
async fn each_child_is_killed_at_its_own_limit() {
    let scratch = Scratch::new("own-limit");
    let lock = scratch.arg("lock");

    let outcomes = run(&[
        // Long enough for the child to start and take its lock, even on a
        // loaded machine: the sibling waits for that before anything else.
        job(&["hang", &lock], Duration::from_millis(500)),
        job(&["await-release", &lock], AMPLE),
    ])
    .await;

    assert!(
        matches!(outcomes[0], Outcome::Killed(_)),
        "the hanging child must be killed at its limit, got {:?}",
        outcomes[0]
    );
    let Outcome::Exited(output) = &outcomes[1] else {
        panic!(
            "the sibling waited in vain for the hanging child to die ({:?}): each child must \
             be killed at its own limit, while the others run on",
            outcomes[1]
        );
    };
    assert_eq!(text(&output.stdout), "released\n");
}

/// A program that cannot be started is reported as `Failed`, and the other
/// jobs run as usual.
#[tokio::test]
async fn a_program_that_cannot_start_is_reported_and_the_others_run() {
    let scratch = Scratch::new("missing");
    let missing = Job::new(scratch.path("no-such-program"), ["echo"], AMPLE);

    let outcomes = run(&[missing, job(&["echo", "still", "here"], AMPLE)]).await;

    match &outcomes[0] {
        Outcome::Failed(error) => assert_eq!(error.kind(), std::io::ErrorKind::NotFound),
        other => panic!("a program that does not exist cannot run, got {other:?}"),
    }
    assert_eq!(text(&exited(&outcomes[1]).stdout), "still here\n");
}

/// When the caller gives up on `run_all` (drops it: a time-out of its own, a
/// cancelled task), the children it started die too: none is left running
/// on its own (an orphan).
#[tokio::test]
async fn dropping_run_all_kills_its_children() {
    let scratch = Scratch::new("dropped");
    let locks = [scratch.path("lock0"), scratch.path("lock1")];
    let jobs = vec![
        job(&["hang", &scratch.arg("lock0")], Duration::from_secs(60)),
        job(&["hang", &scratch.arg("lock1")], Duration::from_secs(60)),
    ];
    let running = tokio::spawn(async move { run_all(&jobs).await });

    let start = Instant::now();
    while !locks.iter().all(|lock| was_locked(lock)) {
        assert!(
            !running.is_finished(),
            "run_all ended before its children had even started: {:?}",
            running.await
        );
        assert!(
            start.elapsed() < WATCHDOG,
            "the children never started (each creates a file once it runs)"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    running.abort();
    let _ = running.await;

    for lock in &locks {
        assert!(
            freed_within(lock, WATCHDOG).await,
            "run_all was dropped, and a child it started is still running: ask tokio to \
             kill a child whose handle is dropped (`kill_on_drop`)"
        );
    }
}

/// No jobs, no children, nothing to wait for.
#[tokio::test]
async fn no_jobs_no_children() {
    assert!(run(&[]).await.is_empty());
}
