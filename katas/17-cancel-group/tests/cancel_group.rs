//! Kata 17 tests: cancelling a group really stops every child.
//!
//! Each child is a simulated job: it works in one-second steps, counting each
//! step on a shared progress counter, and it carries a drop guard that writes
//! "cleanup N" into a shared log when the child's future is dropped, whether
//! it finished or was cancelled. "finished N" is logged only when the job
//! completes. The tests run on tokio's paused clock, so a child that was
//! "cancelled" but keeps running shows up as progress made while the test
//! sleeps through virtual time. The two tests about a child busy on another
//! worker thread use real time on a multi-thread runtime instead.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cancel_group::{Group, gather};
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// What the children did, shared with the test.
#[derive(Clone, Default)]
struct Probe {
    log: Arc<Mutex<Vec<String>>>,
    steps: Arc<AtomicUsize>,
}

impl Probe {
    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    fn count(&self, prefix: &str) -> usize {
        self.log().iter().filter(|e| e.starts_with(prefix)).count()
    }

    fn steps(&self) -> usize {
        self.steps.load(Ordering::SeqCst)
    }

    /// A job that takes `seconds` one-second steps and returns `id * 10`.
    fn child(&self, id: usize, seconds: usize) -> impl Future<Output = usize> + Send + 'static {
        let probe = self.clone();
        async move {
            let _cleanup = Cleanup {
                id,
                log: Arc::clone(&probe.log),
            };
            for _ in 0..seconds {
                sleep(ms(1000)).await;
                probe.steps.fetch_add(1, Ordering::SeqCst);
            }
            probe.log.lock().unwrap().push(format!("finished {id}"));
            id * 10
        }
    }
}

/// Writes "cleanup N" when the child's future is dropped: the `finally`.
struct Cleanup {
    id: usize,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        self.log
            .lock()
            .unwrap()
            .push(format!("cleanup {}", self.id));
    }
}

/// Drops the group here, as an early `return` or a `?` in its owner would.
fn drop_the_group<T>(_group: Group<T>) {}

/// Lets every task that is ready run (aborted children get dropped), moving
/// the clock by only a millisecond.
async fn let_the_runtime_catch_up() {
    sleep(ms(1)).await;
}

/// Three jobs of 3 s, 1 s and 2 s: results in spawn order, 3 s in all.
#[tokio::test(start_paused = true)]
async fn join_returns_every_result_in_spawn_order() {
    let probe = Probe::default();
    let mut group = Group::new();
    let start = Instant::now();

    group.spawn(probe.child(1, 3));
    group.spawn(probe.child(2, 1));
    group.spawn(probe.child(3, 2));
    let results = timeout(LIMIT, group.join())
        .await
        .expect("join never finished");

    assert_eq!(
        results,
        [10, 20, 30],
        "results must come back in spawn order"
    );
    assert_eq!(
        start.elapsed(),
        ms(3000),
        "the children did not run together: the group took the sum, not the longest"
    );
    assert_eq!(probe.count("finished"), 3);
}

/// Children start when spawned, not when someone joins the group.
#[tokio::test(start_paused = true)]
async fn children_run_before_anyone_joins() {
    let probe = Probe::default();
    let mut group = Group::new();

    group.spawn(probe.child(1, 2));
    group.spawn(probe.child(2, 2));
    sleep(ms(5000)).await;

    assert_eq!(
        probe.count("finished"),
        2,
        "the children did not run until joined: spawn must start them at once"
    );
    let start = Instant::now();
    let results = timeout(LIMIT, group.join())
        .await
        .expect("join never finished");
    assert_eq!(results, [10, 20]);
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "the results were already there"
    );
}

/// Dropping the group cancels every child: each child's cleanup runs and no
/// child finishes its work.
#[tokio::test(start_paused = true)]
async fn dropping_the_group_runs_every_childs_cleanup() {
    let probe = Probe::default();
    let mut group = Group::new();
    for id in 1..=3 {
        group.spawn(probe.child(id, 10));
    }
    sleep(ms(1500)).await;
    assert_eq!(
        probe.count("cleanup"),
        0,
        "a child stopped before the group was dropped"
    );

    drop_the_group(group);
    let_the_runtime_catch_up().await;

    let mut cleanups = probe.log();
    cleanups.sort();
    assert_eq!(
        cleanups,
        ["cleanup 1", "cleanup 2", "cleanup 3"],
        "dropping the group must cancel every child (was a JoinHandle dropped? that detaches)"
    );
}

/// After the group is dropped, no child makes any more progress.
#[tokio::test(start_paused = true)]
async fn no_child_keeps_running_after_the_group_is_dropped() {
    let probe = Probe::default();
    let mut group = Group::new();
    for id in 1..=3 {
        group.spawn(probe.child(id, 10));
    }
    sleep(ms(2500)).await;
    assert_eq!(probe.steps(), 6, "three children, two steps each by 2.5 s");

    drop_the_group(group);
    let_the_runtime_catch_up().await;
    sleep(ms(20_000)).await;

    assert_eq!(
        probe.steps(),
        6,
        "children kept working after the group was dropped: they leaked"
    );
    assert_eq!(
        probe.count("finished"),
        0,
        "a cancelled child finished its work"
    );
}

/// `cancel` returns only once every child has stopped, at once in virtual
/// time: it cancels the children rather than waiting for them.
#[tokio::test(start_paused = true)]
async fn cancel_returns_once_every_child_has_stopped() {
    let probe = Probe::default();
    let mut group = Group::new();
    for id in 1..=3 {
        group.spawn(probe.child(id, 10));
    }
    sleep(ms(1500)).await;
    let start = Instant::now();

    timeout(LIMIT, group.cancel())
        .await
        .expect("cancel never returned");

    assert_eq!(
        probe.count("cleanup"),
        3,
        "cancel returned before every child's cleanup had run: aborting only asks, \
         the abort lands when the runtime next runs the child"
    );
    assert_eq!(
        probe.count("finished"),
        0,
        "cancel waited for the children to finish"
    );
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "cancel must not wait for the work"
    );
    sleep(ms(20_000)).await;
    assert_eq!(probe.steps(), 3, "a child kept working after cancel");
}

/// A child for the multi-thread tests, and the flags it shares with the
/// test. Once it has started (`busy`), it works on its worker thread with no
/// `.await`, so that no abort can land, until the test says `cancel` has
/// returned, or for at most 300 ms after the test said it is cancelling.
/// Only then does it reach an `.await`, where it can be dropped. So `cancel`
/// is always called while the child is busy, and the child stays busy until
/// `cancel` returns or 300 ms have passed, whatever the load on the machine.
#[derive(Clone, Default)]
struct BusyChild {
    busy: Arc<AtomicBool>,
    cancelling: Arc<AtomicBool>,
    cancel_returned: Arc<AtomicBool>,
}

impl BusyChild {
    /// The child's future; its drop writes "cleanup 1" into `log`.
    async fn run(self, log: Arc<Mutex<Vec<String>>>) -> usize {
        let _cleanup = Cleanup { id: 1, log };
        self.busy.store(true, Ordering::SeqCst);
        // Deliberate: work with no `.await` in it, which no abort can
        // interrupt, simulated by blocking this worker thread.
        #[allow(clippy::disallowed_methods)]
        {
            while !self.cancelling.load(Ordering::SeqCst) {
                std::thread::sleep(ms(1));
            }
            let started = std::time::Instant::now();
            while !self.cancel_returned.load(Ordering::SeqCst) && started.elapsed() < ms(300) {
                std::thread::sleep(ms(1));
            }
        }
        loop {
            tokio::task::yield_now().await;
        }
    }

    /// Spawns the child into a new group and waits, in real time, until it
    /// is busy.
    async fn start(&self, log: Arc<Mutex<Vec<String>>>) -> Group<usize> {
        let mut group = Group::new();
        group.spawn(self.clone().run(log));
        timeout(Duration::from_secs(5), async {
            while !self.busy.load(Ordering::SeqCst) {
                sleep(ms(1)).await;
            }
        })
        .await
        .expect("the child never started: spawn must start it at once");
        self.cancelling.store(true, Ordering::SeqCst);
        group
    }

    /// Tells the child that `cancel` has returned.
    fn cancel_returned(&self) {
        self.cancel_returned.store(true, Ordering::SeqCst);
    }
}

/// `cancel` really waits: a child that is busy on another worker thread can
/// only be dropped when it reaches its next `.await`, and `cancel` returns
/// after that, not before. Real time on a multi-thread runtime, because the
/// paused clock cannot show work that runs on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_waits_for_a_child_busy_on_another_thread() {
    let probe = Probe::default();
    let child = BusyChild::default();
    let group = child.start(Arc::clone(&probe.log)).await;

    timeout(Duration::from_secs(5), group.cancel())
        .await
        .expect("cancel never returned");
    let log = probe.log();
    child.cancel_returned();

    assert_eq!(
        log,
        ["cleanup 1"],
        "cancel returned while the child was still running: aborting only asks, \
         and yielding once is a guess; wait until each child has ended"
    );
}

/// `cancel` waits by sleeping until the runtime wakes it, not by spinning:
/// while a child busy on another worker thread takes 300 ms to reach its
/// `.await`, the `cancel` future is polled only a handful of times.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_does_not_spin_while_it_waits() {
    let child = BusyChild::default();
    let group = child.start(Arc::default()).await;

    let mut cancel = std::pin::pin!(group.cancel());
    let mut polls = 0;
    timeout(
        Duration::from_secs(5),
        std::future::poll_fn(|cx| {
            polls += 1;
            cancel.as_mut().poll(cx)
        }),
    )
    .await
    .expect("cancel never returned");
    child.cancel_returned();

    assert!(
        polls <= 10,
        "cancel was polled {polls} times while one child took 300 ms to stop: \
         it spins (a loop around `yield_now` or `try_join_next`); await the \
         children's end instead, which wakes it once per child"
    );
}

/// Children that already finished are untouched by `cancel`; the rest stop.
#[tokio::test(start_paused = true)]
async fn cancel_stops_only_the_children_still_running() {
    let probe = Probe::default();
    let mut group = Group::new();
    group.spawn(probe.child(1, 1));
    group.spawn(probe.child(2, 10));
    sleep(ms(1500)).await;

    timeout(LIMIT, group.cancel())
        .await
        .expect("cancel never returned");

    assert_eq!(
        probe.log(),
        ["finished 1", "cleanup 1", "cleanup 2"],
        "child 1 had finished; child 2 had to be cancelled"
    );
}

/// Dropping `join` half-way (here, by a timeout) cancels every child still
/// running: the children belong to whoever holds the `join` future.
#[tokio::test(start_paused = true)]
async fn dropping_join_half_way_cancels_every_child() {
    let probe = Probe::default();
    let mut group = Group::new();
    group.spawn(probe.child(1, 1));
    group.spawn(probe.child(2, 10));
    group.spawn(probe.child(3, 10));

    let outcome = timeout(ms(2500), group.join()).await;
    assert!(outcome.is_err(), "join cannot finish 10 s of work in 2.5 s");
    let_the_runtime_catch_up().await;

    assert_eq!(
        probe.log(),
        ["finished 1", "cleanup 1", "cleanup 2", "cleanup 3"],
        "dropping the join future must cancel the children still running \
         (did join move them onto a task of its own? dropping its handle detaches it)"
    );
    sleep(ms(20_000)).await;
    assert_eq!(
        probe.steps(),
        5,
        "children kept working after join was dropped"
    );
}

/// An empty group joins at once to no results, as `asyncio.gather()` with
/// no arguments gives `[]`.
#[tokio::test(start_paused = true)]
async fn joining_an_empty_group_gives_no_results() {
    let group: Group<usize> = Group::new();

    let results = timeout(LIMIT, group.join())
        .await
        .expect("join of an empty group never finished");

    assert!(results.is_empty(), "no children, no results");
}

/// Cancelling an empty group returns at once.
#[tokio::test(start_paused = true)]
async fn cancelling_an_empty_group_returns_at_once() {
    let group: Group<usize> = Group::default();
    let start = Instant::now();

    timeout(LIMIT, group.cancel())
        .await
        .expect("cancel of an empty group never returned");

    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// `gather` of no children returns no results, at once.
#[tokio::test(start_paused = true)]
async fn gathering_nothing_gives_no_results() {
    let start = Instant::now();

    let results: Vec<usize> = timeout(LIMIT, gather(Vec::<std::future::Ready<usize>>::new()))
        .await
        .expect("gather of no children never finished");

    assert!(results.is_empty(), "no children, no results");
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// `gather` returns the results in input order, in the time of the longest.
#[tokio::test(start_paused = true)]
async fn gather_returns_every_result_in_order() {
    let probe = Probe::default();
    let start = Instant::now();

    let results = timeout(
        LIMIT,
        gather([probe.child(1, 2), probe.child(2, 3), probe.child(3, 1)]),
    )
    .await
    .expect("gather never finished");

    assert_eq!(results, [10, 20, 30]);
    assert_eq!(
        start.elapsed(),
        ms(3000),
        "the children did not run together"
    );
}

/// `gather` runs each child on a task of its own, as `asyncio.gather` wraps
/// each coroutine in a task: once `gather` has started, its children keep
/// working while its caller is busy elsewhere and does not poll it.
#[tokio::test(start_paused = true)]
async fn gathered_children_run_on_tasks_of_their_own() {
    let probe = Probe::default();
    let gathering = gather([probe.child(1, 2), probe.child(2, 3)]);
    tokio::pin!(gathering);

    // Poll `gather` once, so that it starts, then leave it alone for 5 s.
    tokio::select! {
        biased;
        _ = &mut gathering => panic!("gather cannot finish 3 s of work at once"),
        () = std::future::ready(()) => {}
    }
    sleep(ms(5000)).await;
    assert_eq!(
        probe.count("finished"),
        2,
        "the children made progress only while gather was polled: \
         they were not spawned on tasks of their own"
    );

    let start = Instant::now();
    let results = timeout(LIMIT, gathering)
        .await
        .expect("gather never finished");
    assert_eq!(results, [10, 20]);
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "the results were already there"
    );
}

/// Cancelling `gather` (here, by a timeout that drops it) cancels every child.
#[tokio::test(start_paused = true)]
async fn cancelling_gather_cancels_every_child() {
    let probe = Probe::default();

    let outcome = timeout(
        ms(2500),
        gather([probe.child(1, 10), probe.child(2, 10), probe.child(3, 10)]),
    )
    .await;
    assert!(
        outcome.is_err(),
        "gather cannot finish 10 s of work in 2.5 s"
    );
    let_the_runtime_catch_up().await;

    let mut cleanups = probe.log();
    cleanups.sort();
    assert_eq!(
        cleanups,
        ["cleanup 1", "cleanup 2", "cleanup 3"],
        "dropping the gather future must cancel every child"
    );
    let steps = probe.steps();
    sleep(ms(20_000)).await;
    assert_eq!(
        probe.steps(),
        steps,
        "children kept working after gather was cancelled"
    );
}

/// A child's panic reaches whoever joins the group, and the other children
/// are cancelled rather than left running.
#[tokio::test(start_paused = true)]
async fn a_panicking_child_fails_join_and_cancels_the_rest() {
    let probe = Probe::default();
    let mut group = Group::new();
    group.spawn(probe.child(1, 10));
    group.spawn(async {
        sleep(ms(1000)).await;
        panic!("child 2 crashed")
    });
    group.spawn(probe.child(3, 10));
    let start = Instant::now();

    // Joined on a task of its own, so that the test can look at the panic.
    let joined = timeout(LIMIT, tokio::spawn(group.join()))
        .await
        .expect("join never finished");
    let elapsed = start.elapsed();
    let_the_runtime_catch_up().await;

    let error = joined.expect_err("a child panicked, so join must panic too");
    assert!(error.is_panic());
    let payload = error.into_panic();
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"child 2 crashed"),
        "join must re-raise the child's own panic"
    );
    assert_eq!(elapsed, ms(1000), "the panic was reported late");
    let mut log = probe.log();
    log.sort();
    assert_eq!(
        log,
        ["cleanup 1", "cleanup 3"],
        "the siblings of the panicking child must be cancelled"
    );
}
