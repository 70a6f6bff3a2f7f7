//! Kata 18: how do you handle errors in `gather`?
//!
//! Write three ways of running several fallible jobs together:
//!
//! - [`settle`]: every job runs to the end and every outcome is kept, errors
//!   included (Python's `gather(..., return_exceptions=True)`);
//! - [`fail_fast`]: the first error ends the batch at once, and the jobs still
//!   running are cancelled (Python's plain `gather` leaves them running);
//! - [`load_dashboard`]: a page built from three independent services, where
//!   a failing or hanging service blanks its own section and nothing else.
//!
//! The simulated [`Backend`] is given.
//!
//! Run the tests with `cargo test -p gather-errors`, or `cargo xtask watch`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

// ---------------------------------------------------------------------------
// Settled results and fail-fast
// ---------------------------------------------------------------------------

/// Runs every job concurrently to the end and returns every outcome, `Ok`
/// and `Err` alike, in the order of `jobs`.
pub async fn settle<T, E, F>(jobs: impl IntoIterator<Item = F>) -> Vec<Result<T, E>>
where
    F: Future<Output = Result<T, E>>,
{
    // TODO: run every job together and keep every outcome, in input order.
    let jobs: Vec<F> = jobs.into_iter().collect();
    todo!("settle {} jobs", jobs.len())
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
    // TODO: run every job together; on the first error, cancel the jobs
    // still running (when this returns, their cleanup must have run) and
    // return that error.
    let jobs: Vec<F> = jobs.into_iter().collect();
    todo!("run {} jobs, failing fast", jobs.len())
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
///
/// This part is given: you do not need to change it.
pub const SERVICE_TIMEOUT: Duration = Duration::from_secs(1);

/// A page built from independent sections; a section whose service failed is
/// `None`, and the failure is listed in `problems`.
///
/// This part is given: you do not need to change it.
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

/// Loads the three sections concurrently. Each one degrades on its own: a
/// failing or hanging service blanks its section and is listed in
/// `problems`, and every other section is kept. Takes as long as the slowest
/// section, and never longer than [`SERVICE_TIMEOUT`].
pub async fn load_dashboard(backend: &Backend, user_id: u64) -> Dashboard {
    // TODO: call the three services together, each bounded by
    // SERVICE_TIMEOUT; keep every section that answered, and list each one
    // that failed (or timed out) in `problems`.
    todo!("load the dashboard of user {user_id} from {backend:?}")
}
