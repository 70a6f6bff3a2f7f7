//! `cargo xtask list`: every kata and its last known status.

use anyhow::Result;

use crate::session::Session;

pub fn run(session: &Session) -> Result<bool> {
    let ui = session.ui;
    let current = session.current();
    println!(
        "{}",
        ui.bold(format!(
            "   {:<3}{:<28} {:<14} {:<22} {}",
            "#", "kata", "level", "track", "status"
        ))
    );
    for (index, kata) in session.katas.iter().enumerate() {
        let pointer = if index == current { "▶" } else { " " };
        println!(
            " {pointer} {:02} {:<28} {:<14} {:<22} {}",
            kata.meta.number,
            kata.meta.slug,
            kata.meta.level.to_string(),
            kata.meta.track,
            ui.status(session.status(index)),
        );
    }
    println!(
        "\n{}",
        ui.dim("▶ marks the current kata. Statuses are from the last check of the files as they are now.")
    );
    Ok(true)
}
