//! Kata 05 tests: shards on their own threads and runtimes.
//!
//! `run_sharded` is a plain blocking function (like the parent process that
//! starts the workers in Python), so these are plain `#[test]`s in *real*
//! time: each shard runs a runtime of its own, which no paused clock can
//! reach. Delays are tens of milliseconds, margins are wide, and each call
//! runs on a helper thread with a time limit, so a hang fails the test
//! instead of stalling the run.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use runtime_per_thread::{Done, Job, Report, run_sharded};

/// Long enough for any right answer.
const LIMIT: Duration = Duration::from_secs(5);

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

/// Three shards of four jobs that each wait 100 ms finish in about 100 ms:
/// the shards run side by side, and so do the jobs inside each shard.
#[test]
fn shards_and_their_jobs_all_run_at_the_same_time() {
    let jobs = (0..12).map(|id| Job::new(id, 1, ms(100))).collect();
    let started = Instant::now();

    let (report, _) = run_within_limit(jobs, 3);

    let took = started.elapsed();
    assert_eq!(report.done.len(), 12, "some jobs were not done");
    assert!(took >= ms(100), "the jobs cannot have waited: {took:?}");
    assert!(
        took < ms(250),
        "twelve jobs of 100 ms on three shards took {took:?}: they ran one after another \
         (within a shard, or shard after shard) instead of all at once"
    );
}

/// Jobs 4 and 5 panic, so shards 1 and 2 (of three) fail: both are reported
/// with their panic messages, in shard order although shard 2 fails first,
/// and every job of shard 0 is still done.
#[test]
fn a_panicking_shard_is_reported() {
    let jobs = (0..9)
        .map(|id| match id {
            4 => Job::failing(id, ms(40)),
            5 => Job::failing(id, ms(5)),
            _ => Job::new(id, 2, ms(5)),
        })
        .collect();

    let (report, _) = run_within_limit(jobs, 3);

    let failed: Vec<usize> = report.failed.iter().map(|f| f.shard).collect();
    assert_eq!(
        failed,
        [1, 2],
        "shards 1 and 2 panicked; the report must name them in shard order, \
         not in the order they failed"
    );
    for (failure, job) in report.failed.iter().zip(["job 4", "job 5"]) {
        assert!(
            failure.message.contains(job),
            "shard {} failed with {:?}, not with the panic of {job}",
            failure.shard,
            failure.message
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

/// A shard's results sent before it panics are kept: job 1 answers at once,
/// job 4 on the same shard panics 30 ms later.
#[test]
fn results_sent_before_a_shard_panics_are_kept() {
    let jobs = vec![
        Job::new(0, 3, ms(1)),
        Job::new(1, 7, Duration::ZERO),
        Job::new(2, 3, ms(1)),
        Job::new(3, 3, ms(1)),
        Job::failing(4, ms(30)),
        Job::new(5, 3, ms(1)),
    ];

    let (report, _) = run_within_limit(jobs, 3);

    let done = by_job(&report.done);
    assert!(
        done.get(&1).is_some_and(|record| record.output == 49),
        "job 1 finished before its shard panicked, but its result was lost"
    );
    let failed: Vec<usize> = report.failed.iter().map(|f| f.shard).collect();
    assert_eq!(failed, [1], "shard 1 panicked and must be reported");
}

/// A panic stops its shard: two jobs of shard 1 panic (at 5 ms and at 30 ms),
/// yet the shard is reported once, with the first panic, and its job that
/// would have answered at 80 ms is dropped with it. Shard 0 is untouched.
#[test]
fn a_shard_stops_at_its_first_panic() {
    let jobs = vec![
        Job::new(0, 2, ms(1)),
        Job::failing(1, ms(5)),
        Job::new(2, 2, ms(1)),
        Job::failing(3, ms(30)),
        Job::new(4, 2, ms(1)),
        Job::new(5, 2, ms(80)),
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
    assert!(
        report.failed[0].message.contains("job 1"),
        "shard 1 failed with {:?}, not with its first panic, that of job 1",
        report.failed[0].message
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
