//! Pitfall: a dashboard whose stats section has no timeout of its own.
//!
//! Profile and notifications are each wrapped in `timeout`, stats is not (a
//! copy-paste slip, or "stats is always fast"). A hung stats service then
//! holds the whole page forever: the sections are independent only if every
//! one of them is bounded.
//!
//! Caught by: every_section_has_its_own_timeout

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use futures::future::{join_all, try_join_all};
use tokio::time::{Instant, timeout};

// ---------------------------------------------------------------------------
// Settled results and fail-fast
// ---------------------------------------------------------------------------

/// Runs every job concurrently to the end and returns every outcome, `Ok`
/// and `Err` alike, in the order of `jobs`.
pub async fn settle<T, E, F>(jobs: impl IntoIterator<Item = F>) -> Vec<Result<T, E>>
where
    F: Future<Output = Result<T, E>>,
{
    // `join_all` does not look inside the outputs: to it an `Err` is just a
    // value. So it waits for every job, and keeps the input order.
    join_all(jobs).await
}

/// Runs every job concurrently. Returns all the values in the order of
/// `jobs` if every job succeeds; otherwise returns the first error (the first
/// to *happen*) as soon as it happens, after cancelling every job still
/// running: when it returns, their cleanup has run.
pub async fn fail_fast<T, E, F>(jobs: impl IntoIterator<Item = F>) -> Result<Vec<T>, E>
where
    T: Send + 'static,
    E: Send + 'static,
    F: Future<Output = Result<T, E>> + Send + 'static,
{
    // `try_join_all` polls every job, and on the first `Err` it is ready with
    // that error. The `TryJoinAll` future still holds the other jobs; it is a
    // temporary of this statement, so it is dropped right here, before
    // `fail_fast` returns, and dropping a job's future is what cancels it.
    //
    // The bounds allow spawning, but spawning would need more care: a dropped
    // `JoinHandle` detaches its task, so the siblings would run on. Without
    // spawning, cancellation is just ownership.
    try_join_all(jobs).await
}

// ---------------------------------------------------------------------------
// The simulated backend (given)
// ---------------------------------------------------------------------------

/// The services a dashboard is built from, in the order of its sections.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// Who the user is.
    Profile,
    /// Counters about the user.
    Stats,
    /// The user's unread notifications.
    Notifications,
}

/// The profile section.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The user's display name.
    pub name: String,
}

/// The stats section.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// How many posts the user wrote.
    pub posts: u32,
    /// How many followers the user has.
    pub followers: u32,
}

/// How one simulated service behaves.
#[derive(Debug, Clone)]
enum Health {
    /// Answers after this latency.
    Healthy(Duration),
    /// Fails with this message after this latency.
    Failing(Duration, String),
    /// Never answers.
    Hanging,
}

/// Simulated services: healthy by default, each with its own latency
/// (profile 300 ms, stats 500 ms, notifications 200 ms).
///
/// This part is given: you do not need to change it.
#[derive(Debug)]
pub struct Backend {
    health: HashMap<Service, Health>,
    /// Every call made, with the (tokio) time it started.
    calls: Mutex<Vec<(Service, Instant)>>,
}

impl Default for Backend {
    fn default() -> Self {
        Self::new()
    }
}

impl Backend {
    /// A backend whose three services are healthy.
    pub fn new() -> Self {
        let health = HashMap::from([
            (
                Service::Profile,
                Health::Healthy(Duration::from_millis(300)),
            ),
            (Service::Stats, Health::Healthy(Duration::from_millis(500))),
            (
                Service::Notifications,
                Health::Healthy(Duration::from_millis(200)),
            ),
        ]);
        Self {
            health,
            calls: Mutex::default(),
        }
    }

    /// Makes `service` fail with `message`, after its usual latency.
    pub fn failing(mut self, service: Service, message: &str) -> Self {
        let latency = match self.health[&service] {
            Health::Healthy(latency) | Health::Failing(latency, _) => latency,
            Health::Hanging => Duration::ZERO,
        };
        self.health
            .insert(service, Health::Failing(latency, message.to_owned()));
        self
    }

    /// Makes `service` never answer.
    pub fn hanging(mut self, service: Service) -> Self {
        self.health.insert(service, Health::Hanging);
        self
    }

    /// The calls made so far, in the order they started, with their start times.
    pub fn calls(&self) -> Vec<(Service, Instant)> {
        self.calls
            .lock()
            .expect("no call panics while logging")
            .clone()
    }

    /// One call to `service`: logs it, waits, then answers or fails.
    async fn call(&self, service: Service) -> Result<(), String> {
        // A std Mutex is right here: the guard is a temporary of this one
        // statement, never held across an `.await`.
        self.calls
            .lock()
            .expect("no call panics while logging")
            .push((service, Instant::now()));
        match self.health[&service].clone() {
            Health::Healthy(latency) => {
                tokio::time::sleep(latency).await;
                Ok(())
            }
            Health::Failing(latency, message) => {
                tokio::time::sleep(latency).await;
                Err(message)
            }
            Health::Hanging => std::future::pending().await,
        }
    }

    /// The user's profile: `user {user_id}`.
    pub async fn profile(&self, user_id: u64) -> Result<Profile, String> {
        self.call(Service::Profile).await?;
        Ok(Profile {
            name: format!("user {user_id}"),
        })
    }

    /// The user's stats: 12 posts, 340 followers.
    pub async fn stats(&self, user_id: u64) -> Result<Stats, String> {
        let _ = user_id;
        self.call(Service::Stats).await?;
        Ok(Stats {
            posts: 12,
            followers: 340,
        })
    }

    /// The user's notifications: two of them.
    pub async fn notifications(&self, user_id: u64) -> Result<Vec<String>, String> {
        self.call(Service::Notifications).await?;
        Ok(vec![
            format!("welcome back, user {user_id}"),
            "you have a new follower".to_owned(),
        ])
    }
}

// ---------------------------------------------------------------------------
// The dashboard
// ---------------------------------------------------------------------------

/// How long a dashboard waits for any one service before giving up on it.
pub const SERVICE_TIMEOUT: Duration = Duration::from_secs(1);

/// A page built from independent sections; a section whose service failed is
/// `None`, and the failure is listed in `problems`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// The profile section, if its service answered.
    pub profile: Option<Profile>,
    /// The stats section, if its service answered.
    pub stats: Option<Stats>,
    /// The notifications section, if its service answered.
    pub notifications: Option<Vec<String>>,
    /// Each failed section, in [`Service`] order, with the service's error
    /// message, or `"timed out"` when it did not answer within
    /// [`SERVICE_TIMEOUT`].
    pub problems: Vec<(Service, String)>,
}

/// Bounds one section's call by [`SERVICE_TIMEOUT`], turning a hang into an
/// error like any other.
async fn section<T>(call: impl Future<Output = Result<T, String>>) -> Result<T, String> {
    // Two layers: the outer `Err` is the timeout, the inner one the service's.
    timeout(SERVICE_TIMEOUT, call)
        .await
        .unwrap_or_else(|_elapsed| Err("timed out".to_owned()))
}

/// Loads the three sections concurrently. Each one degrades on its own: a
/// failing or hanging service blanks its section and is listed in
/// `problems`, and every other section is kept. Takes as long as the slowest
/// section, and never longer than [`SERVICE_TIMEOUT`].
pub async fn load_dashboard(backend: &Backend, user_id: u64) -> Dashboard {
    // `join!`, not `try_join!`: the sections are independent, so one error
    // must not end the others. Each gets its own timeout, so a hung service
    // cannot hold the page beyond `SERVICE_TIMEOUT` either. The three futures
    // have different output types, which `join!` handles and `join_all`
    // (one type for all) would not.
    let (profile, stats, notifications) = tokio::join!(
        section(backend.profile(user_id)),
        // No bound on this one.
        backend.stats(user_id),
        section(backend.notifications(user_id)),
    );

    let mut problems = Vec::new();
    // `.map_err(..).ok()` keeps a good section as `Some`, and files a bad one
    // under `problems` (in `Service` order, the order of these lines).
    let mut keep = |service: Service, error: String| problems.push((service, error));
    let profile = profile.map_err(|e| keep(Service::Profile, e)).ok();
    let stats = stats.map_err(|e| keep(Service::Stats, e)).ok();
    let notifications = notifications
        .map_err(|e| keep(Service::Notifications, e))
        .ok();

    Dashboard {
        profile,
        stats,
        notifications,
        problems,
    }
}
