//! `cargo xtask hint [KATA]`: one more hint each time, gentlest first.

use anyhow::Result;

use crate::katas::Kata;
use crate::session::Session;
use crate::ui::Ui;

pub fn run(session: &mut Session, kata: Option<&str>) -> Result<bool> {
    let index = session.chosen(kata)?;
    let kata = session.katas[index].clone();
    let shown = reveal_one_more(session, index);
    session.state.save(&session.root)?;
    print!("{}", hints(session.ui, &kata, shown));
    Ok(true)
}

/// Counts one more hint as seen (never more than there are) and returns how
/// many are now seen.
pub fn reveal_one_more(session: &mut Session, index: usize) -> usize {
    let kata = &session.katas[index];
    let total = kata.meta.hints.len();
    let state = session.state.kata(&kata.meta.slug);
    state.hints_shown = (state.hints_shown + 1).min(total);
    state.hints_shown
}

/// The first `shown` hints of a kata, and what comes next.
pub fn hints(ui: Ui, kata: &Kata, shown: usize) -> String {
    let total = kata.meta.hints.len();
    let mut out = format!("{}\n", ui.bold(format!("Hints for {}", kata.label())));
    for (number, hint) in kata.meta.hints.iter().take(shown).enumerate() {
        out += &format!("\n{} {hint}\n", ui.yellow(format!("{}.", number + 1)));
    }
    let next = if shown < total {
        format!("{shown} of {total}. Ask again for the next one.")
    } else {
        "That was the last hint. Once your kata passes, `cargo xtask solution` shows the reference."
            .to_owned()
    };
    out += &format!("\n{}\n", ui.dim(next));
    out
}
