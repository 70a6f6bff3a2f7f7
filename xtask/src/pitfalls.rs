//! Pitfalls: the classic wrong answers, kept so that `verify` can prove each
//! kata's tests reject them, and so that a learner who has solved the kata can
//! read them as the mistakes to avoid.
//!
//! A pitfall is a file in `solutions/NN-slug/pitfalls/`, in one of two forms:
//!
//! - `NAME.patch`: a header, then a unified diff against the solution. The
//!   usual form: the mistake stands alone, and nothing else is repeated.
//! - `NAME.rs`: a whole replacement of the solution's `src/lib.rs`, with the
//!   header as `//!` lines; for a wrong answer that is a different design.
//!
//! ```text
//! Pitfall: awaiting each fetch before starting the next.
//!
//! Why it is wrong, for a learner to read after solving.
//!
//! Caught by: three_one_second_fetches_take_one_second
//!
//! --- a/src/lib.rs
//! +++ b/src/lib.rs
//! @@ …
//! ```

mod workspace;

use std::path::PathBuf;

use anyhow::{Context, Result};

pub use workspace::{Prepared, lock_workspace, read_table, write_workspace};

use crate::katas::Kata;

#[derive(Debug, Clone)]
pub struct Pitfall {
    /// The file name without its extension.
    pub name: String,
    pub file: PathBuf,
    pub form: Form,
    /// The first line of its header: what goes wrong.
    pub summary: String,
    /// The rest of the header's prose: why it is wrong.
    pub why: String,
    /// The tests that must fail against it.
    pub caught_by: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A diff against the solution (`.patch`).
    Patch,
    /// A whole replacement of the solution's `src/lib.rs` (`.rs`).
    Replacement,
}

impl Pitfall {
    /// The file's text (read again: pitfalls are small).
    pub fn text(&self) -> Result<String> {
        std::fs::read_to_string(&self.file)
            .with_context(|| format!("cannot read {}", self.file.display()))
    }
}

/// Checks, without building anything, that a patch pitfall still applies
/// to the solution it was made from.
pub fn check_applies(kata: &Kata, pitfall: &Pitfall) -> Result<()> {
    if pitfall.form != Form::Patch {
        return Ok(());
    }
    for part in crate::patch::split(&pitfall.text()?)? {
        let file = kata.solution_dir.join(&part.path);
        let original = std::fs::read_to_string(&file)
            .with_context(|| format!("it changes {}, which does not exist", part.path.display()))?;
        crate::patch::apply_to(&part, &original)?;
    }
    Ok(())
}

/// The pitfalls of a kata, in name order.
pub fn discover(kata: &Kata) -> Result<Vec<Pitfall>> {
    let dir = kata.pitfalls_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut pitfalls = Vec::new();
    for entry in entries {
        let file = entry?.path();
        let form = match file.extension().and_then(|e| e.to_str()) {
            Some("patch") => Form::Patch,
            Some("rs") => Form::Replacement,
            _ => continue,
        };
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let header = parse_header(&text, form);
        let name = file
            .file_stem()
            .expect("a file with an extension has a stem")
            .to_string_lossy()
            .into_owned();
        pitfalls.push(Pitfall {
            name,
            file,
            form,
            summary: header.summary,
            why: header.why,
            caught_by: header.caught_by,
        });
    }
    pitfalls.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(pitfalls)
}

#[derive(Debug, Default, PartialEq)]
pub struct Header {
    pub summary: String,
    pub why: String,
    pub caught_by: Vec<String>,
}

/// Reads `Pitfall: …`, the prose after it, and `Caught by: a, b` from a
/// pitfall's header: the lines before the diff of a patch, the leading `//!`
/// lines of a replacement file.
pub fn parse_header(text: &str, form: Form) -> Header {
    let lines: Vec<&str> = match form {
        Form::Patch => text
            .lines()
            .take_while(|line| !line.starts_with("--- "))
            .collect(),
        Form::Replacement => text.lines().map_while(|l| l.strip_prefix("//!")).collect(),
    };
    let mut header = Header::default();
    let mut why = Vec::new();
    for line in lines {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Pitfall:") {
            header.summary = rest.trim().to_owned();
        } else if let Some(rest) = line.strip_prefix("Caught by:") {
            header.caught_by.extend(
                rest.split(',')
                    .map(|name| name.trim().to_owned())
                    .filter(|name| !name.is_empty()),
            );
        } else if !header.summary.is_empty() && header.caught_by.is_empty() {
            why.push(line);
        }
    }
    header.why = why.join("\n").trim().to_owned();
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replacement_header_names_the_pitfall_and_its_catchers() {
        let text = "//! Pitfall: awaiting in a loop.\n//!\n//! Each one waits.\n//!\n//! Caught by: a_test, another\n\nfn x() {}\n//! Caught by: not_in_the_header\n";
        let header = parse_header(text, Form::Replacement);
        assert_eq!(header.summary, "awaiting in a loop.");
        assert_eq!(header.why, "Each one waits.");
        assert_eq!(header.caught_by, ["a_test", "another"]);
    }

    #[test]
    fn a_patch_header_ends_where_the_diff_starts() {
        let text = "Pitfall: awaiting in a loop.\n\nEach one waits\nfor the last.\n\nCaught by: a_test\n\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-Caught by: in_the_code\n+x\n";
        let header = parse_header(text, Form::Patch);
        assert_eq!(header.summary, "awaiting in a loop.");
        assert_eq!(header.why, "Each one waits\nfor the last.");
        assert_eq!(header.caught_by, ["a_test"]);
    }
}
