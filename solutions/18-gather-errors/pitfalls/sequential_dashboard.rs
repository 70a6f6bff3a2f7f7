//! Pitfall: loading the dashboard's sections one after another.
//!
//! Each section degrades on its own, as it should, but each call waits for
//! the previous one: the page costs the sum of the latencies (1 s) instead of
//! the slowest one (500 ms), and a hung service is only noticed after the
//! ones before it have answered.
//!
//! Caught by: the_dashboard_loads_its_sections_concurrently, a_failing_service_blanks_only_its_own_section, a_hanging_service_degrades_after_the_timeout

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
    let profile = section(backend.profile(user_id)).await;
    let stats = section(backend.stats(user_id)).await;
    let notifications = section(backend.notifications(user_id)).await;
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
