//! `cargo xtask list`: every kata and its last known status.

use anyhow::Result;

use crate::session::Session;

pub fn run(session: &Session) -> Result<bool> {
    print!("{}", table(session));
    Ok(true)
}

/// The list, its columns as wide as their longest entry.
fn table(session: &Session) -> String {
    let ui = session.ui;
    let current = session.current();
    let width = |column: &dyn Fn(usize) -> String, title: &str| {
        (0..session.katas.len())
            .map(|i| column(i).chars().count())
            .chain([title.len()])
            .max()
            .unwrap_or(0)
    };
    let slug = |i: usize| session.katas[i].meta.slug.clone();
    let level = |i: usize| session.katas[i].meta.level.to_string();
    let track = |i: usize| session.katas[i].meta.track.clone();
    let (slug_w, level_w, track_w) = (
        width(&slug, "kata"),
        width(&level, "level"),
        width(&track, "track"),
    );
    let mut out = ui.bold(format!(
        "   {:<3}{:<slug_w$} {:<level_w$} {:<track_w$} {}",
        "#", "kata", "level", "track", "status"
    ));
    out.push('\n');
    for index in 0..session.katas.len() {
        let pointer = if index == current { "▶" } else { " " };
        out += &format!(
            " {pointer} {:02} {:<slug_w$} {:<level_w$} {:<track_w$} {}\n",
            session.katas[index].meta.number,
            slug(index),
            level(index),
            track(index),
            ui.status(session.status(index)),
        );
    }
    out += &format!(
        "\n{}\n",
        ui.dim("▶ marks the current kata. Statuses are from the last check of the files as they are now.")
    );
    out
}
