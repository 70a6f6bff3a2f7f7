//! Kata 33 tests: a periodic job on a schedule that does not drift.
//!
//! The given `Job` writes down when each run started; on the paused clock a
//! run of 300 ms takes exactly 300 ms of virtual time and no real time, so
//! start times are exact and an hour of runs takes a moment. A helper task
//! cancels the stop token at a chosen instant. (The job also panics if the
//! loop blocks its thread between runs: see `Job::run`.)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use periodic::{Job, run_every};
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior, sleep_until};
use tokio_util::sync::CancellationToken;

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

const SECOND: Duration = Duration::from_secs(1);

/// Cancels `stop` at `start + after`, from a task of its own.
fn stop_at(stop: &CancellationToken, start: Instant, after: Duration) -> JoinHandle<()> {
    let stop = stop.clone();
    tokio::spawn(async move {
        sleep_until(start + after).await;
        stop.cancel();
    })
}

/// Runs the job every second with the given policy until `stop_after`, and
/// returns when `run_every` returned, measured from the start.
async fn every_second(job: &Job, missed: MissedTickBehavior, stop_after: Duration) -> Duration {
    let start = Instant::now();
    let stop = CancellationToken::new();
    let stopper = stop_at(&stop, start, stop_after);
    run_every(SECOND, missed, &stop, || job.run()).await;
    let returned = start.elapsed();
    stopper.abort();
    returned
}

/// The schedule is fixed in advance: runs start at 0, 1, 2, 3 s although
/// each takes 300 ms (a sleep after each run would start them at 0, 1.3,
/// 2.6 s). A stop at 3.5 s, while waiting, returns at 3.5 s.
#[tokio::test(start_paused = true)]
async fn runs_start_every_second_although_each_takes_300_ms() {
    let job = Job::new([ms(300)]);

    let returned = every_second(&job, MissedTickBehavior::Burst, ms(3500)).await;

    assert_eq!(
        job.starts(),
        [ms(0), ms(1000), ms(2000), ms(3000)],
        "runs must start every second on the dot: the first at once, and the time a run \
         takes must not push the next one back"
    );
    assert_eq!(
        returned,
        ms(3500),
        "a stop while waiting must end the loop at once"
    );
    assert!(!job.overlapped(), "runs must never overlap");
}

/// An hour of runs, 3 601 of them, every one on its second: nothing drifts.
#[tokio::test(start_paused = true)]
async fn an_hour_of_runs_does_not_drift() {
    let job = Job::new([ms(300)]);

    every_second(&job, MissedTickBehavior::Skip, ms(3_600_500)).await;

    let starts = job.starts();
    assert_eq!(
        starts.len(),
        3601,
        "one run per second for an hour, and one at 0 s"
    );
    for (k, start) in starts.iter().enumerate() {
        assert_eq!(
            *start,
            SECOND * k as u32,
            "run {k} started off its second: the schedule drifted"
        );
    }
}

/// `Burst`: a 2.5 s run misses the ticks of 2 s and 3 s; they fire at once,
/// one after the other, and then the old schedule goes on (5 s, 6 s).
#[tokio::test(start_paused = true)]
async fn burst_fires_the_missed_ticks_at_once() {
    let job = Job::new([ms(300), ms(2500), ms(300)]);

    every_second(&job, MissedTickBehavior::Burst, ms(6900)).await;

    assert_eq!(
        job.starts(),
        [0, 1000, 3500, 3800, 4100, 5000, 6000].map(ms),
        "Burst: the ticks of 2 s and 3 s fire back to back after the long run (3.5 s, 3.8 s), \
         then the tick of 4 s (4.1 s), then 5 s and 6 s as planned"
    );
    assert!(!job.overlapped(), "runs must never overlap");
}

/// `Delay`: after the 2.5 s run, one tick at once (3.5 s), then a new
/// schedule counted from it (4.5 s, 5.5 s, 6.5 s).
#[tokio::test(start_paused = true)]
async fn delay_starts_a_new_schedule_after_an_overrun() {
    let job = Job::new([ms(300), ms(2500), ms(300)]);

    every_second(&job, MissedTickBehavior::Delay, ms(6900)).await;

    assert_eq!(
        job.starts(),
        [0, 1000, 3500, 4500, 5500, 6500].map(ms),
        "Delay: one run at once after the long run, then every second from there"
    );
    assert!(!job.overlapped(), "runs must never overlap");
}

/// `Skip`: after the 2.5 s run, one tick at once (3.5 s), then the next
/// instant of the old schedule (4 s, 5 s, 6 s).
#[tokio::test(start_paused = true)]
async fn skip_keeps_the_old_schedule_after_an_overrun() {
    let job = Job::new([ms(300), ms(2500), ms(300)]);

    every_second(&job, MissedTickBehavior::Skip, ms(6900)).await;

    assert_eq!(
        job.starts(),
        [0, 1000, 3500, 4000, 5000, 6000].map(ms),
        "Skip: one run at once after the long run, then back on the whole seconds"
    );
    assert!(!job.overlapped(), "runs must never overlap");
}

/// A stop while the loop waits for its next tick ends it at once.
#[tokio::test(start_paused = true)]
async fn a_stop_while_waiting_returns_at_once() {
    let job = Job::new([ms(300)]);

    let returned = every_second(&job, MissedTickBehavior::Burst, ms(1500)).await;

    assert_eq!(job.starts(), [ms(0), ms(1000)]);
    assert_eq!(
        returned,
        ms(1500),
        "the loop was waiting for the tick of 2 s: the stop must end it at 1.5 s"
    );
}

/// A stop during a run lets the run finish, then ends the loop.
#[tokio::test(start_paused = true)]
async fn a_stop_during_a_run_lets_it_finish() {
    let job = Job::new([ms(300)]);

    let returned = every_second(&job, MissedTickBehavior::Burst, ms(1100)).await;

    assert_eq!(job.starts(), [ms(0), ms(1000)]);
    assert_eq!(
        returned,
        ms(1300),
        "the run of 1 s was in progress at 1.1 s: it must finish (at 1.3 s), not be cut"
    );
    assert_eq!(job.running(), 0, "the loop returned with a run still going");
}

/// A stop during a run that overran: when the run ends, the next tick is
/// due at once, and the stop must still win. (Twenty rounds: a `select!`
/// that picks at random would let one more run start in about half of them.)
#[tokio::test(start_paused = true)]
async fn a_stop_during_an_overrun_starts_no_other_run() {
    for round in 0..20 {
        let job = Job::new([ms(2500)]);

        let returned = every_second(&job, MissedTickBehavior::Burst, ms(1000)).await;

        assert_eq!(
            job.starts(),
            [ms(0)],
            "round {round}: the stop came during the first run; no other run may start"
        );
        assert_eq!(
            returned,
            ms(2500),
            "round {round}: return when the run ends"
        );
    }
}

/// A stop before the loop starts: no run at all.
#[tokio::test(start_paused = true)]
async fn a_stop_before_the_start_runs_nothing() {
    let job = Job::new([ms(300)]);
    let stop = CancellationToken::new();
    stop.cancel();
    let start = Instant::now();

    run_every(SECOND, MissedTickBehavior::Burst, &stop, || job.run()).await;

    assert!(
        job.starts().is_empty(),
        "the stop was already there: no run"
    );
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// Waiting for the next tick leaves the thread to the other tasks: a
/// heartbeat every 100 ms on the same thread beats on time all along.
#[tokio::test(start_paused = true)]
async fn waiting_leaves_the_thread_to_other_tasks() {
    let job = Job::new([ms(300)]);
    let beats: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let start = Instant::now();
    let heartbeat = {
        let beats = Arc::clone(&beats);
        tokio::spawn(async move {
            for k in 1..=30 {
                sleep_until(start + ms(100) * k).await;
                beats.lock().unwrap().push(start.elapsed());
            }
        })
    };

    every_second(&job, MissedTickBehavior::Burst, ms(3500)).await;
    heartbeat.await.expect("the heartbeat panicked");

    let expected: Vec<Duration> = (1..=30).map(|k| ms(100) * k).collect();
    assert_eq!(
        *beats.lock().unwrap(),
        expected,
        "the heartbeat missed its beats: the loop kept the thread while it waited"
    );
}

/// A period of zero is a mistake, and the panic says so.
#[tokio::test(start_paused = true)]
#[should_panic(expected = "period")]
async fn a_zero_period_panics() {
    let job = Job::new([ms(300)]);
    let stop = CancellationToken::new();
    run_every(Duration::ZERO, MissedTickBehavior::Burst, &stop, || {
        job.run()
    })
    .await;
}
