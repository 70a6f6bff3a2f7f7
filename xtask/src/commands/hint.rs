//! `cargo xtask hint [KATA]`: one more hint each time, gentlest first.

use anyhow::Result;

use crate::session::Session;

pub fn run(session: &mut Session, kata: Option<&str>) -> Result<bool> {
    let index = session.chosen(kata)?;
    let kata = session.katas[index].clone();
    let total = kata.meta.hints.len();
    let state = session.state.kata(&kata.meta.slug);
    state.hints_shown = (state.hints_shown + 1).min(total);
    let shown = state.hints_shown;
    session.state.save(&session.root)?;

    let ui = session.ui;
    println!("{}", ui.bold(format!("Hints for {}", kata.label())));
    for (number, hint) in kata.meta.hints.iter().take(shown).enumerate() {
        println!("\n{} {hint}", ui.yellow(format!("{}.", number + 1)));
    }
    if shown < total {
        println!(
            "\n{}",
            ui.dim(format!("{shown} of {total}. Ask again for the next one."))
        );
    } else {
        println!(
            "\n{}",
            ui.dim("That was the last hint. Once your kata passes, `cargo xtask solution` shows the reference.")
        );
    }
    Ok(true)
}
