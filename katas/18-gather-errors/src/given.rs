//! The given part of kata 18: the simulated [`Backend`] and the [`Dashboard`]
//! built from its sections. You do not need to change this file; the tests
//! and the reference solution use it as it is.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

// ---------------------------------------------------------------------------
// The simulated backend
// ---------------------------------------------------------------------------

/// The services a dashboard is built from, in the order of its sections.
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The user's display name.
    pub name: String,
}

/// The stats section.
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
