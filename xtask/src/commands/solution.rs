//! `cargo xtask solution KATA`: the reference, once the learner's kata passes.

use anyhow::{Context, Result};

use crate::session::{Session, relative};

pub fn run(session: &mut Session, kata: &str, force: bool) -> Result<bool> {
    let index = session.find(kata)?;
    let kata = session.katas[index].clone();
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
    let file = kata.solution_dir.join("src").join("lib.rs");
    let text = std::fs::read_to_string(&file).with_context(|| {
        format!(
            "no reference solution at {} (a classroom copy may leave it out)",
            file.display()
        )
    })?;
    println!(
        "{}\n",
        session
            .ui
            .dim(format!("// {}", relative(&session.root, &file)))
    );
    println!("{text}");
    Ok(true)
}
