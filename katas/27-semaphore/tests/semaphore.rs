//! Kata 27 tests: at most K jobs in flight, and a semaphore with a ceiling.
//!
//! The tests run on tokio's paused clock, so "at most three at once" and
//! "four rounds of 100 ms" are exact: the given `Service` counts the jobs in
//! flight at every moment and records when each started. One test races
//! releases from eight OS threads.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::FutureExt;
use semaphore::{BoundedSemaphore, Job, OverRelease, Service, process_all};
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Jobs 0, 1, 2… with these durations in milliseconds.
fn jobs(durations: &[u64]) -> Vec<Job> {
    durations
        .iter()
        .zip(0..)
        .map(|(&millis, id)| Job {
            id,
            duration: ms(millis),
        })
        .collect()
}

/// Runs the jobs through `process_all` on `service`, within the test limit.
async fn run(service: &Service, jobs: Vec<Job>, limit: usize) -> Vec<u32> {
    timeout(LIMIT, process_all(jobs, limit, |job| service.handle(job)))
        .await
        .expect("process_all never finished")
}

// ---- process_all -------------------------------------------------------------

/// Ten jobs, three slots: never more than three in flight, and at some
/// moment exactly three (not fewer: the slots are used).
#[tokio::test(start_paused = true)]
async fn the_peak_in_flight_is_exactly_the_limit() {
    let service = Service::new();

    run(&service, jobs(&[100; 10]), 3).await;

    assert_eq!(
        service.peak(),
        3,
        "the most jobs in flight at once must be the limit: more breaks the promise, \
         fewer wastes slots"
    );
    assert_eq!(service.finished(), 10);
}

/// n jobs of d with k slots take ceil(n / k) × d.
#[tokio::test(start_paused = true)]
async fn n_jobs_of_equal_length_take_ceil_n_over_k_rounds() {
    for (n, k, rounds) in [(10, 3, 4), (9, 3, 3), (1, 3, 1), (3, 1, 3), (7, 7, 1)] {
        let service = Service::new();
        let start = Instant::now();

        run(&service, jobs(&vec![100; n]), k).await;

        assert_eq!(
            start.elapsed(),
            ms(100) * rounds,
            "{n} jobs of 100 ms with {k} slots take {rounds} rounds"
        );
    }
}

/// A slot is refilled the moment its job ends: a long first job does not
/// hold up the short ones behind it, as a batch would.
#[tokio::test(start_paused = true)]
async fn a_free_slot_is_refilled_at_once() {
    let service = Service::new();
    let start = Instant::now();

    run(&service, jobs(&[300, 100, 100, 100]), 2).await;

    assert_eq!(
        service.starts(),
        [(0, ms(0)), (1, ms(0)), (2, ms(100)), (3, ms(200))],
        "job 2 must start when job 1 ends, not when the whole first pair has ended"
    );
    assert_eq!(start.elapsed(), ms(300));
}

/// Results come back in the order of the input, whatever order the jobs
/// finish in.
#[tokio::test(start_paused = true)]
async fn results_keep_the_input_order() {
    let service = Service::new();

    let results = run(&service, jobs(&[500, 400, 300, 200, 100]), 2).await;

    assert_eq!(results, [0, 10, 20, 30, 40]);
}

/// Jobs start in the order given: the semaphore serves waiters first come,
/// first served.
#[tokio::test(start_paused = true)]
async fn jobs_start_in_input_order() {
    let service = Service::new();
    let durations: Vec<u64> = (0..100).map(|i| 10 + (i * 37) % 50).collect();

    run(&service, jobs(&durations), 7).await;

    let order: Vec<u32> = service.starts().iter().map(|(id, _)| *id).collect();
    assert_eq!(order, (0..100).collect::<Vec<u32>>());
}

/// A limit of one runs the jobs one after another; a limit above the number
/// of jobs (even `usize::MAX`) runs them all at once; no jobs take no time.
#[tokio::test(start_paused = true)]
async fn limits_of_one_and_of_more_than_enough() {
    let service = Service::new();
    let start = Instant::now();
    run(&service, jobs(&[100, 100, 100]), 1).await;
    assert_eq!(start.elapsed(), ms(300));
    assert_eq!(service.peak(), 1);

    for limit in [4, usize::MAX] {
        let service = Service::new();
        let start = Instant::now();
        run(&service, jobs(&[100, 100, 100]), limit).await;
        assert_eq!(start.elapsed(), ms(100), "a limit of {limit}");
        assert_eq!(service.peak(), 3);
    }

    let start = Instant::now();
    assert!(run(&Service::new(), Vec::new(), 3).await.is_empty());
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// A limit of zero would never start a job: it is refused at once, with a
/// panic that says why. (The panic runs in a spawned task, so its message in
/// the output is the default panic hook, not a failing test.)
#[tokio::test(start_paused = true)]
async fn a_limit_of_zero_panics() {
    let outcome = tokio::spawn(async {
        let service = Service::new();
        process_all(jobs(&[100]), 0, |job| service.handle(job)).await
    })
    .await;

    let panic = outcome
        .expect_err("a limit of 0 must panic: no job could ever start")
        .into_panic();
    let message = match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(message), _) => message.to_string(),
        (_, Some(message)) => message.clone(),
        _ => String::new(),
    };
    assert!(
        message.contains("a limit of 0"),
        "the panic should say that a limit of 0 is refused, not {message:?}"
    );
}

/// Dropping the batch half way stops it: the jobs in flight are dropped with
/// it, and no new job starts afterwards.
#[tokio::test(start_paused = true)]
async fn dropping_the_batch_stops_its_jobs() {
    let service = Service::new();

    let cut = timeout(
        ms(250),
        process_all(jobs(&[100; 10]), 3, |job| service.handle(job)),
    )
    .await;
    assert!(
        cut.is_err(),
        "ten jobs of 100 ms, three at a time, take 400 ms"
    );

    assert_eq!(service.in_flight(), 0, "jobs were left running");
    assert_eq!(service.abandoned(), 3, "jobs 6, 7 and 8 were cut off");
    sleep(Duration::from_secs(10)).await;
    assert_eq!(service.starts().len(), 9, "a job started after the drop");
}

/// A job waiting for a slot sleeps until one is free: the whole batch is
/// polled a handful of times, however long the wait, not every millisecond.
#[tokio::test(start_paused = true)]
async fn a_waiting_job_sleeps_until_a_slot_is_free() {
    let service = Service::new();
    let mut batch = Box::pin(process_all(jobs(&[10_000, 100]), 1, |job| {
        service.handle(job)
    }));
    let mut polls = 0;

    let results = timeout(
        LIMIT,
        std::future::poll_fn(|cx| {
            polls += 1;
            batch.as_mut().poll(cx)
        }),
    )
    .await
    .expect("process_all never finished");

    assert_eq!(results, [0, 10]);
    assert!(
        polls <= 10,
        "the batch was polled {polls} times while its second job waited 10 s for a slot: \
         is it checking a counter in a loop instead of waiting to be woken?"
    );
}

/// A thousand jobs of 10 ms, ten at a time: one hundred rounds, never more
/// than ten in flight.
#[tokio::test(start_paused = true)]
async fn a_thousand_jobs_ten_at_a_time() {
    let service = Service::new();
    let start = Instant::now();

    let results = run(&service, jobs(&[10; 1000]), 10).await;

    assert_eq!(start.elapsed(), ms(1000));
    assert_eq!(service.peak(), 10);
    assert_eq!(results.len(), 1000);
    assert_eq!(results[999], 9990);
}

// ---- BoundedSemaphore ------------------------------------------------------------

/// Permits are taken without waiting while there are some; the next acquire
/// waits until a release, and gets the permit at that very moment.
#[tokio::test(start_paused = true)]
async fn acquire_waits_only_when_no_permit_is_left() {
    let semaphore = Arc::new(BoundedSemaphore::new(2));
    let start = Instant::now();

    timeout(LIMIT, semaphore.acquire()).await.unwrap();
    timeout(LIMIT, semaphore.acquire()).await.unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(semaphore.available(), 0);

    let releaser = tokio::spawn({
        let semaphore = semaphore.clone();
        async move {
            sleep(ms(300)).await;
            semaphore.release()
        }
    });
    timeout(LIMIT, semaphore.acquire())
        .await
        .expect("the third acquire was never served, although a permit was released");

    assert_eq!(start.elapsed(), ms(300));
    assert_eq!(releaser.await.unwrap(), Ok(()));
    assert_eq!(semaphore.available(), 0);
}

/// The ceiling: a release with no permit out is refused, and leaves the
/// semaphore as it was.
#[tokio::test(start_paused = true)]
async fn a_release_beyond_the_ceiling_is_an_error() {
    let semaphore = BoundedSemaphore::new(2);

    assert_eq!(
        semaphore.release(),
        Err(OverRelease { permits: 2 }),
        "nothing was acquired, so nothing may be released"
    );
    assert_eq!(
        semaphore.available(),
        2,
        "a refused release must add nothing"
    );

    timeout(LIMIT, semaphore.acquire()).await.unwrap();
    assert_eq!(semaphore.available(), 1);
    assert_eq!(semaphore.release(), Ok(()));
    assert_eq!(semaphore.release(), Err(OverRelease { permits: 2 }));
    assert_eq!(semaphore.available(), 2);
}

/// A semaphore of zero permits: every acquire waits, every release is too
/// many.
#[tokio::test(start_paused = true)]
async fn zero_permits_admit_nobody() {
    let semaphore = BoundedSemaphore::new(0);

    assert!(timeout(ms(100), semaphore.acquire()).await.is_err());
    assert_eq!(semaphore.release(), Err(OverRelease { permits: 0 }));
    assert_eq!(semaphore.available(), 0);
}

/// Released permits go to the waiters in the order they came.
#[tokio::test(start_paused = true)]
async fn waiters_are_served_in_arrival_order() {
    let semaphore = Arc::new(BoundedSemaphore::new(1));
    timeout(LIMIT, semaphore.acquire()).await.unwrap();
    let served = Arc::new(std::sync::Mutex::new(Vec::new()));

    let mut waiters = Vec::new();
    for id in 0..5 {
        let (semaphore, served) = (semaphore.clone(), served.clone());
        waiters.push(tokio::spawn(async move {
            semaphore.acquire().await;
            served.lock().unwrap().push(id);
            sleep(ms(10)).await;
            semaphore.release().unwrap();
        }));
        sleep(ms(1)).await; // each waiter queues before the next one comes
    }
    semaphore.release().unwrap();
    for waiter in waiters {
        timeout(LIMIT, waiter).await.unwrap().unwrap();
    }

    assert_eq!(*served.lock().unwrap(), [0, 1, 2, 3, 4]);
    assert_eq!(semaphore.available(), 1);
}

/// An acquire dropped while it waits takes no permit: the one released
/// afterwards is still there for the next caller.
#[tokio::test(start_paused = true)]
async fn a_cancelled_acquire_takes_nothing() {
    let semaphore = BoundedSemaphore::new(1);
    timeout(LIMIT, semaphore.acquire()).await.unwrap();

    let cut = timeout(ms(100), semaphore.acquire()).await;
    assert!(cut.is_err(), "no permit was free");
    assert_eq!(semaphore.release(), Ok(()));

    assert_eq!(
        semaphore.available(),
        1,
        "the cancelled acquire must not have taken the released permit"
    );
    assert_eq!(
        semaphore.release(),
        Err(OverRelease { permits: 1 }),
        "the cancelled acquire must not count as a permit taken"
    );
}

/// Four OS threads each take a permit and then release twice, 50 000 times
/// over, on a semaphore of two permits: every second release is one too many
/// unless another thread's permit is out. The semaphore must never hold more
/// than its two permits, and exactly one release may succeed per acquire. A
/// check made apart from the update lets an extra one through now and then;
/// the storm gives that window many chances.
#[test]
fn concurrent_releases_never_pass_the_ceiling() {
    const CEILING: usize = 2;
    const THREADS: usize = 4;
    const ROUNDS: usize = 50_000;
    let semaphore = BoundedSemaphore::new(CEILING);
    let (acquired, released) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let most_free = AtomicUsize::new(0);

    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                for _ in 0..ROUNDS {
                    // One poll, no runtime needed: a permit if one is free,
                    // else the acquire is dropped (and must take nothing).
                    // Never blocking keeps a broken semaphore from hanging.
                    if semaphore.acquire().now_or_never().is_none() {
                        std::thread::yield_now();
                        continue;
                    }
                    acquired.fetch_add(1, Ordering::Relaxed);
                    for _ in 0..2 {
                        if semaphore.release().is_ok() {
                            released.fetch_add(1, Ordering::Relaxed);
                            most_free.fetch_max(semaphore.available(), Ordering::Relaxed);
                        }
                    }
                }
            });
        }
    });

    assert!(
        most_free.into_inner() <= CEILING,
        "a semaphore of {CEILING} permits held more: two releases gave the same permit back; \
         is the check separate from the update?"
    );
    assert_eq!(
        (released.into_inner(), semaphore.available()),
        (acquired.into_inner(), CEILING),
        "one release may succeed per acquire, leaving every permit free at the end"
    );
}
