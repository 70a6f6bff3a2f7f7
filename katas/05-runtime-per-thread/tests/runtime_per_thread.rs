//! Kata 05 tests: shards on their own threads and runtimes.
//!
//! `run_sharded` is a plain blocking function (like the parent process that
//! starts the workers in Python), so these are plain `#[test]`s in *real*
//! time: each shard runs a runtime of its own, which no paused clock can
//! reach. No test relies on how fast the machine is: where jobs must run at
//! the same time, or one must finish before another, they wait for each
//! other at a `Rendezvous` (which only jobs in flight at once can pass), and
//! the few delays that remain are margins of 100 ms or more after such a
//! meeting. Each call runs on a helper thread with a time limit, so a hang
//! fails the test instead of stalling the run.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, ThreadId};
use std::time::Duration;

use runtime_per_thread::{Done, Job, Rendezvous, Report, run_sharded};

/// Long enough for any right answer.
const LIMIT: Duration = Duration::from_secs(5);

/// How long a job waits at a rendezvous for the others: far more than jobs
/// that really run at the same time need, even on a busy machine.
const PATIENCE: Duration = Duration::from_secs(1);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Runs `run_sharded` on a helper thread and waits for it at most `LIMIT`.
/// Returns the report and the id of the thread that called `run_sharded`.
fn run_within_limit(jobs: Vec<Job>, shards: usize) -> (Report, ThreadId) {
    let (tx, rx) = mpsc::channel();
    let caller = thread::spawn(move || {
        let report = run_sharded(jobs, shards);
        // The test may have given up waiting; then nobody needs the report.
        let _ = tx.send((report, thread::current().id()));
    });
    match rx.recv_timeout(LIMIT) {
        Ok(answer) => answer,
        Err(RecvTimeoutError::Timeout) => panic!(
            "run_sharded did not return within {LIMIT:?}: is a Sender still alive \
             (the channel never closes), or does a shard never end?"
        ),
        // `run_sharded` itself panicked: show its panic.
        Err(RecvTimeoutError::Disconnected) => match caller.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the caller sends the report before it returns"),
        },
    }
}

/// `count` jobs `0..count`, each answering after a short delay.
fn quick_jobs(count: u32) -> Vec<Job> {
    (0..count)
        .map(|id| Job::new(id, u64::from(id) + 1, ms(u64::from(id % 3))))
        .collect()
}

/// The results keyed by job id; fails on a job reported twice.
fn by_job(done: &[Done]) -> HashMap<u32, &Done> {
    let mut map = HashMap::new();
    for record in done {
        assert!(
            map.insert(record.job, record).is_none(),
            "job {} was reported more than once",
            record.job
        );
    }
    map
}

/// Twelve jobs on three shards: each one done exactly once, with the right answer.
#[test]
fn every_job_is_done_exactly_once() {
    let (report, _) = run_within_limit(quick_jobs(12), 3);

    let done = by_job(&report.done);
    let mut ids: Vec<u32> = done.keys().copied().collect();
    ids.sort_unstable();
    assert_eq!(ids, (0..12).collect::<Vec<_>>(), "some jobs were not done");
    for (id, record) in done {
        let input = u64::from(id) + 1;
        assert_eq!(record.output, input * input, "wrong answer for job {id}");
    }
    assert!(
        report.failed.is_empty(),
        "no job panics, yet shards failed: {:?}",
        report.failed
    );
}

/// Job `i` goes to shard `i % shards`.
#[test]
fn jobs_are_dealt_round_robin() {
    let (report, _) = run_within_limit(quick_jobs(10), 4);

    assert_eq!(report.done.len(), 10, "some jobs were not done");
    for record in &report.done {
        assert_eq!(
            record.shard,
            record.job as usize % 4,
            "job {} ran on the wrong shard",
            record.job
        );
    }
}

/// Four shards: four distinct OS threads, none of them the caller's, each
/// running a current-thread runtime of its own; a shard's jobs all stay on
/// its thread.
#[test]
fn each_shard_runs_on_its_own_thread() {
    let (report, caller) = run_within_limit(quick_jobs(12), 4);

    assert_eq!(report.done.len(), 12, "some jobs were not done");
    let mut thread_of_shard: HashMap<usize, ThreadId> = HashMap::new();
    for record in &report.done {
        assert!(
            record.on_current_thread_runtime,
            "job {} ran on a multi-thread runtime: each shard needs a \
             current-thread runtime of its own",
            record.job
        );
        assert_ne!(
            record.thread, caller,
            "job {} ran on the thread that called run_sharded",
            record.job
        );
        let thread = *thread_of_shard.entry(record.shard).or_insert(record.thread);
        assert_eq!(
            record.thread, thread,
            "the jobs of shard {} ran on more than one thread",
            record.shard
        );
    }
    let distinct: HashSet<ThreadId> = thread_of_shard.values().copied().collect();
    assert_eq!(
        distinct.len(),
        4,
        "4 shards ran on {} distinct threads: shards shared a thread",
        distinct.len()
    );
}

/// Four shards: four runtimes, one per shard, not one shared by all; a
/// shard's jobs all run on its one runtime.
#[test]
fn each_shard_has_a_runtime_of_its_own() {
    let (report, _) = run_within_limit(quick_jobs(12), 4);

    assert_eq!(report.done.len(), 12, "some jobs were not done");
    let mut runtime_of_shard = HashMap::new();
    for record in &report.done {
        let runtime = *runtime_of_shard
            .entry(record.shard)
            .or_insert(record.runtime);
        assert_eq!(
            record.runtime, runtime,
            "the jobs of shard {} ran on more than one runtime: build one runtime \
             per shard and run all its jobs on it",
            record.shard
        );
    }
    let distinct: HashSet<_> = runtime_of_shard.values().copied().collect();
    assert_eq!(
        distinct.len(),
        4,
        "4 shards ran on {} distinct runtimes: shards shared a runtime (a thread \
         per shard calling block_on on one runtime is still one runtime)",
        distinct.len()
    );
}

/// Three shards of four jobs, and all twelve must be in flight at once to
/// get past their rendezvous: the shards run side by side, and so do the
/// jobs inside each shard.
#[test]
fn shards_and_their_jobs_all_run_at_the_same_time() {
    let everyone = Rendezvous::new(12, PATIENCE);
    let jobs = (0..12)
        .map(|id| Job::new(id, 1, Duration::ZERO).meeting(&everyone))
        .collect();

    let (report, _) = run_within_limit(jobs, 3);

    assert!(
        report.failed.is_empty(),
        "twelve jobs on three shards did not all run at the same time: they ran \
         one after another (within a shard, or shard after shard). Failures: {:?}",
        report.failed
    );
    assert_eq!(report.done.len(), 12, "some jobs were not done");
}

/// A shard sends each result as soon as it is ready, not in one batch at its
/// end: job 0 (shard 0) answers at once, job 1 (shard 1) 150 ms later, job 2
/// (shard 0 again) 300 ms later; job 0 must arrive before job 1.
#[test]
fn each_result_is_sent_as_soon_as_it_is_ready() {
    let start = Rendezvous::new(3, PATIENCE);
    let jobs = vec![
        Job::new(0, 2, Duration::ZERO).meeting(&start),
        Job::new(1, 2, ms(150)).meeting(&start),
        Job::new(2, 2, ms(300)).meeting(&start),
    ];

    let (report, _) = run_within_limit(jobs, 2);

    assert!(
        report.failed.is_empty(),
        "no job panics: {:?}",
        report.failed
    );
    let order: Vec<u32> = report.done.iter().map(|record| record.job).collect();
    let position = |id| order.iter().position(|&job| job == id);
    assert!(
        matches!((position(0), position(1)), (Some(first), Some(second)) if first < second),
        "results arrived in the order {order:?}: job 0 of shard 0 was ready 150 ms \
         before job 1 of shard 1, so it must arrive first. Send each result as it \
         is ready, not all of a shard's results when the shard ends"
    );
}

/// Jobs 4 and 5 panic, so shards 1 and 2 (of three) fail: both are reported
/// with their panic messages, in shard order although shard 2 fails first
/// (job 4 panics 200 ms after job 5, which it meets first), and every job of
/// shard 0 is still done.
#[test]
fn a_panicking_shard_is_reported() {
    let failures = Rendezvous::new(2, PATIENCE);
    let jobs = (0..9)
        .map(|id| match id {
            4 => Job::failing(id, ms(200)).meeting(&failures),
            5 => Job::failing(id, Duration::ZERO).meeting(&failures),
            _ => Job::new(id, 2, ms(5)),
        })
        .collect();

    let (report, _) = run_within_limit(jobs, 3);

    let failed: Vec<usize> = report.failed.iter().map(|f| f.shard).collect();
    assert_eq!(
        failed,
        [1, 2],
        "shards 1 and 2 panicked; the report must name them in shard order, \
         not in the order they failed: {:?}",
        report.failed
    );
    for (failure, job) in report.failed.iter().zip([4, 5]) {
        assert_eq!(
            failure.message,
            format!("job {job} failed on purpose"),
            "shard {} must be reported with the panic message of job {job} itself \
             (the payload of JoinError::into_panic), not a wrapper around it",
            failure.shard
        );
    }
    let done = by_job(&report.done);
    for id in [0, 3, 6] {
        assert!(
            done.contains_key(&id),
            "job {id} of the healthy shard 0 was lost"
        );
    }
}

/// A shard's results sent before it panics are kept: on shard 1, job 4
/// answers as soon as it has met job 1, and job 1 (dealt to the shard first)
/// panics 100 ms after that.
#[test]
fn results_sent_before_a_shard_panics_are_kept() {
    let meeting = Rendezvous::new(2, PATIENCE);
    let jobs = vec![
        Job::new(0, 3, ms(1)),
        Job::failing(1, ms(100)).meeting(&meeting),
        Job::new(2, 3, ms(1)),
        Job::new(3, 3, ms(1)),
        Job::new(4, 7, Duration::ZERO).meeting(&meeting),
        Job::new(5, 3, ms(1)),
    ];

    let (report, _) = run_within_limit(jobs, 3);

    let done = by_job(&report.done);
    assert!(
        done.get(&4).is_some_and(|record| record.output == 49),
        "job 4 finished 100 ms before job 1 panicked on the same shard, but its \
         result was lost: send each result as it finishes, in the order they \
         finish, not in the order the jobs were dealt"
    );
    let failed: Vec<usize> = report.failed.iter().map(|f| f.shard).collect();
    assert_eq!(failed, [1], "shard 1 panicked and must be reported");
}

/// A panic stops its shard: two jobs of shard 1 panic (job 1 as soon as it
/// has met job 3, job 3 100 ms later), yet the shard is reported once, with
/// the first panic, and its job 5 that would have answered at 200 ms is
/// dropped with it. Shard 0 is untouched.
#[test]
fn a_shard_stops_at_its_first_panic() {
    let meeting = Rendezvous::new(2, PATIENCE);
    let jobs = vec![
        Job::new(0, 2, ms(1)),
        Job::failing(1, Duration::ZERO).meeting(&meeting),
        Job::new(2, 2, ms(1)),
        Job::failing(3, ms(100)).meeting(&meeting),
        Job::new(4, 2, ms(1)),
        Job::new(5, 2, ms(200)),
    ];

    let (report, _) = run_within_limit(jobs, 2);

    let failed: Vec<usize> = report.failed.iter().map(|f| f.shard).collect();
    assert_eq!(
        failed,
        [1],
        "shard 1 must be reported once, as one shard that failed, not once per \
         failing job: {:?}",
        report.failed
    );
    assert_eq!(
        report.failed[0].message, "job 1 failed on purpose",
        "shard 1 must fail with its first panic, that of job 1"
    );
    let done = by_job(&report.done);
    assert!(
        !done.contains_key(&5),
        "job 5 of shard 1 was still running when its shard panicked: it must be \
         dropped with the shard, not carry on"
    );
    for id in [0, 2, 4] {
        assert!(
            done.contains_key(&id),
            "job {id} of the healthy shard 0 was lost"
        );
    }
}

/// No jobs: nothing done, nothing failed. More shards than jobs is fine too.
#[test]
fn no_jobs_give_an_empty_report() {
    let (report, _) = run_within_limit(Vec::new(), 3);
    assert!(report.done.is_empty() && report.failed.is_empty());

    let (report, _) = run_within_limit(quick_jobs(2), 5);
    assert_eq!(
        report.done.len(),
        2,
        "with more shards than jobs, a job was lost"
    );
    assert!(report.failed.is_empty());
}

/// Zero shards is a caller's mistake, and panics as documented, even with
/// no jobs to deal.
#[test]
fn zero_shards_panic() {
    let (tx, rx) = mpsc::channel();
    let caller = thread::spawn(move || {
        let report = run_sharded(Vec::new(), 0);
        let _ = tx.send(report);
    });
    match rx.recv_timeout(LIMIT) {
        Ok(report) => panic!(
            "run_sharded(no jobs, 0 shards) returned {report:?}: its docs promise \
             a panic when `shards` is zero"
        ),
        Err(RecvTimeoutError::Timeout) => {
            panic!("run_sharded(no jobs, 0 shards) neither returned nor panicked")
        }
        Err(RecvTimeoutError::Disconnected) => assert!(
            caller.join().is_err(),
            "run_sharded(no jobs, 0 shards) must panic"
        ),
    }
}
