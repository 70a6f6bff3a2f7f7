//! `cargo xtask solution [KATA]`: once the learner's kata passes, the
//! reference solution and the classic wrong answers (the kata's pitfalls),
//! each with why its tests reject it.

use anyhow::{Context, Result, bail};

use crate::pitfalls::{self, Form};
use crate::render::counted;
use crate::session::{Session, relative};
use crate::ui::Ui;

pub fn run(session: &mut Session, kata: Option<&str>, force: bool) -> Result<bool> {
    let index = session.chosen(kata)?;
    let kata = session.katas[index].clone();
    let file = kata.solution_file();
    if !file.is_file() {
        bail!(
            "this copy of the katas has no reference solutions (a classroom copy leaves them out: your teacher has them); `cargo xtask hint {}` helps instead",
            kata.meta.slug
        );
    }
    if !force {
        let outcome = session
            .check(&[index], false, &mut |_, _| {})?
            .remove(0)
            .outcome;
        if !outcome.passed() {
            println!(
                "Your {} does not pass yet ({}). The solution is shown once it does: \
                 try `cargo xtask hint {}` first, or add `--force`.",
                kata.label(),
                outcome.status().label(),
                kata.meta.slug
            );
            return Ok(false);
        }
    }
    let ui = session.ui;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read the reference solution {}", file.display()))?;
    println!(
        "{}\n",
        ui.dim(format!("// {}", relative(&session.root, &file)))
    );
    println!("{text}");

    let found = pitfalls::discover(&kata)?;
    if found.is_empty() {
        return Ok(true);
    }
    println!(
        "{}",
        ui.bold(format!(
            "The classic wrong answers: {}, each a change to the solution above that the tests reject",
            counted(found.len(), "pitfall")
        ))
    );
    for (number, pitfall) in found.iter().enumerate() {
        println!(
            "\n{} {}\n",
            ui.bold(format!("{}. {}", number + 1, pitfall.summary)),
            ui.dim(format!("({})", pitfall.name))
        );
        println!("{}\n", pitfall.why);
        println!(
            "{}",
            ui.dim(format!("Caught by: {}", pitfall.caught_by.join(", ")))
        );
        let text = pitfall.text()?;
        match pitfall.form {
            Form::Patch => {
                let diff = &text[text.find("--- ").unwrap_or(0)..];
                println!("\n{}", colour_diff(ui, diff));
            }
            Form::Replacement => println!(
                "{}",
                ui.dim(format!(
                    "A different design, in {}.",
                    relative(&session.root, &pitfall.file)
                ))
            ),
        }
    }
    Ok(true)
}

/// A unified diff with its removed lines red and its added lines green.
fn colour_diff(ui: Ui, diff: &str) -> String {
    diff.lines()
        .map(|line| {
            if line.starts_with("+++") || line.starts_with("---") || line.starts_with("@@") {
                ui.dim(line)
            } else if line.starts_with('+') {
                ui.green(line)
            } else if line.starts_with('-') {
                ui.red(line)
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
