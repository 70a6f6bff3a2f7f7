//! `cargo xtask next`: move to the first kata not yet passed.

use anyhow::Result;

use crate::session::{Session, relative};

pub fn run(session: &mut Session) -> Result<bool> {
    let Some(index) = session.first_not_passed() else {
        println!("Every kata passes. `cargo xtask progress --fresh` checks them all again.");
        return Ok(true);
    };
    session.set_current(index);
    session.state.save(&session.root)?;
    print!("{}", introduce(session, index));
    Ok(true)
}

/// What a learner needs to start on a kata.
pub fn introduce(session: &Session, index: usize) -> String {
    let kata = &session.katas[index];
    let ui = session.ui;
    format!(
        "{}\n{}\n\n  The question: {}\n  Read:         {}\n  Edit:         {}\n  Test:         cargo test -p {}   (or `cargo xtask watch`)\n",
        ui.bold(format!("{} · {}", kata.label(), kata.meta.title)),
        ui.dim(format!("{} · {}", kata.meta.level, kata.meta.track)),
        kata.meta.question,
        relative(&session.root, &kata.dir.join("README.md")),
        relative(&session.root, &kata.lib_file()),
        kata.meta.slug,
    )
}
