//! `cargo xtask progress`: every kata in one build, with a bar and a summary.

use std::time::Instant;

use anyhow::Result;

use crate::outcome::Status;
use crate::render::{self, ProgressView};
use crate::session::Session;

pub fn run(session: &mut Session, fresh: bool) -> Result<bool> {
    let started = Instant::now();
    let all: Vec<usize> = (0..session.katas.len()).collect();
    let view = ProgressView::new(session.ui, all.len());
    if !fresh {
        let unchanged = all
            .iter()
            .filter(|&&i| session.status(i) != Status::NotChecked)
            .count();
        view.skip(unchanged);
    }
    let katas = session.katas.clone();
    let checked = session.check(&all, fresh, &mut |kata, event| {
        view.on_event(&katas, kata, &event);
    })?;
    view.finish();

    let statuses: Vec<Status> = checked.iter().map(|c| c.outcome.status()).collect();
    let warnings: Vec<usize> = checked.iter().map(|c| c.warnings.len()).collect();
    print!(
        "{}",
        render::summary(session.ui, &session.katas, &statuses, &warnings)
    );
    let rerun = checked.iter().filter(|c| !c.cached).count();
    println!(
        "{}",
        session.ui.dim(format!(
            "{rerun} checked now, {} unchanged since their last check, in {:.1} s.",
            checked.len() - rerun,
            started.elapsed().as_secs_f64()
        ))
    );
    let all_passed = statuses.iter().all(|&s| s == Status::Passed);
    if let Some(next) = session.first_not_passed().filter(|_| !all_passed) {
        println!(
            "Next up: {} (`cargo xtask check {}` for details).",
            session.katas[next].label(),
            session.katas[next].meta.slug
        );
    }
    Ok(all_passed)
}
