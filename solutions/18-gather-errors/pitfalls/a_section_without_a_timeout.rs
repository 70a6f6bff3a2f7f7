//! Pitfall: a dashboard whose stats section has no timeout of its own.
//!
//! Profile and notifications are each wrapped in `timeout`, stats is not (a
//! copy-paste slip, or "stats is always fast"). A hung stats service then
//! holds the whole page forever: the sections are independent only if every
//! one of them is bounded.
//!
//! Caught by: every_section_has_its_own_timeout

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{Backend, Dashboard, Profile, SERVICE_TIMEOUT, Service, Stats, fail_fast, settle};

use tokio::time::timeout;

async fn section<T>(call: impl Future<Output = Result<T, String>>) -> Result<T, String> {
    timeout(SERVICE_TIMEOUT, call)
        .await
        .unwrap_or_else(|_| Err("timed out".to_owned()))
}

pub async fn load_dashboard(backend: &Backend, user_id: u64) -> Dashboard {
    let (profile, stats, notifications) = tokio::join!(
        section(backend.profile(user_id)),
        // No bound on this one.
        backend.stats(user_id),
        section(backend.notifications(user_id)),
    );
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
