//! `cargo xtask check [KATA]`: one kata, in detail.

use anyhow::Result;

use crate::render;
use crate::session::Session;

pub fn run(session: &mut Session, kata: Option<&str>, fresh: bool) -> Result<bool> {
    let index = session.chosen(kata)?;
    session.set_current(index);
    let checked = session.check(&[index], fresh, &mut |_, _| {})?.remove(0);
    let kata = &session.katas[index];
    let ui = session.ui;
    print!("{}", render::outcome_details(ui, kata, &checked.outcome));
    if checked.cached {
        println!(
            "{}",
            ui.dim("(nothing changed since the last check; `--fresh` runs it again)")
        );
    }
    if checked.outcome.passed() {
        println!("\nWell done. `cargo xtask next` moves on.");
    } else {
        println!(
            "\nEdit {} and check again, or ask for a hint: `cargo xtask hint {}`.",
            crate::session::relative(&session.root, &kata.lib_file()),
            kata.meta.slug
        );
    }
    Ok(checked.outcome.passed())
}
