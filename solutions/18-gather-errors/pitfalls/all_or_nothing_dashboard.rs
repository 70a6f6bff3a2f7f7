//! Pitfall: loading the dashboard with `try_join!` (all or nothing).
//!
//! The sections are loaded together, and one failure ends the batch, so a
//! single broken service blanks the whole page: the good sections, already
//! loaded or about to be, are thrown away. Fail-fast suits jobs whose results
//! are useless apart; a dashboard's sections are independent.
//!
//! Caught by: a_failing_service_blanks_only_its_own_section, every_failed_section_is_listed, a_hanging_service_degrades_after_the_timeout

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{Backend, Dashboard, Profile, SERVICE_TIMEOUT, Service, Stats, fail_fast, settle};

use tokio::time::timeout;

pub async fn load_dashboard(backend: &Backend, user_id: u64) -> Dashboard {
    let all = timeout(SERVICE_TIMEOUT, async {
        tokio::try_join!(
            async {
                backend
                    .profile(user_id)
                    .await
                    .map_err(|e| (Service::Profile, e))
            },
            async {
                backend
                    .stats(user_id)
                    .await
                    .map_err(|e| (Service::Stats, e))
            },
            async {
                backend
                    .notifications(user_id)
                    .await
                    .map_err(|e| (Service::Notifications, e))
            },
        )
    })
    .await;
    match all {
        Ok(Ok((profile, stats, notifications))) => Dashboard {
            profile: Some(profile),
            stats: Some(stats),
            notifications: Some(notifications),
            problems: vec![],
        },
        Ok(Err(problem)) => Dashboard {
            profile: None,
            stats: None,
            notifications: None,
            problems: vec![problem],
        },
        Err(_elapsed) => Dashboard {
            profile: None,
            stats: None,
            notifications: None,
            problems: vec![],
        },
    }
}
