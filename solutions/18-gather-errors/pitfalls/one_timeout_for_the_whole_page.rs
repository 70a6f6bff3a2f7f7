//! Pitfall: one timeout around the whole page instead of one per section.
//!
//! `timeout(SERVICE_TIMEOUT, join!(…))` does bound the page, but when it
//! fires it drops all three calls together, so one hung service throws away
//! the sections that had already answered. Each section needs its own
//! timeout to degrade on its own.
//!
//! Caught by: a_hanging_service_degrades_after_the_timeout

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{Backend, Dashboard, Profile, SERVICE_TIMEOUT, Service, Stats, fail_fast, settle};

use tokio::time::timeout;

pub async fn load_dashboard(backend: &Backend, user_id: u64) -> Dashboard {
    let all = timeout(SERVICE_TIMEOUT, async {
        tokio::join!(
            backend.profile(user_id),
            backend.stats(user_id),
            backend.notifications(user_id),
        )
    })
    .await;
    // When the page times out, every section goes with it.
    let (profile, stats, notifications) = all.unwrap_or_else(|_elapsed| {
        let timed_out = "timed out".to_owned();
        (
            Err(timed_out.clone()),
            Err(timed_out.clone()),
            Err(timed_out),
        )
    });
    let mut problems = Vec::new();
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
