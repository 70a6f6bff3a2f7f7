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
    print!(
        "{}",
        render::warnings(ui, &checked.warnings, "from the compiler on this kata")
    );
    if checked.cached {
        println!(
            "{}",
            ui.dim("(nothing changed since the last check; `--fresh` runs it again)")
        );
    }
    if checked.outcome.passed() {
        let advice = session.clippy_advice(index, &checked.warnings)?;
        print!(
            "{}",
            render::warnings(
                ui,
                &advice,
                "from clippy: your kata passes, and this is still worth fixing"
            )
        );
        println!("\n{}", render::solved(ui, kata));
    } else {
        println!(
            "\nEdit {} and check again, or ask for a hint: `cargo xtask hint {}`.",
            crate::session::relative(&session.root, &kata.lib_file()),
            kata.meta.slug
        );
    }
    Ok(checked.outcome.passed())
}
