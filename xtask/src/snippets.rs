//! The Python programs in the katas' READMEs, and what each says it prints.
//!
//! Every ```` ```python ```` block of a README is a complete program. It
//! states its output in comments, which read top to bottom are its whole
//! standard output:
//!
//! ```text
//! print(total)  # prints: 6          one line
//! # prints:                          the comment lines below, in order
//! # fetched a
//! # prints in any order:             the comment lines below, in any order
//! # b
//! # logs: never retrieved            text that must appear on standard error
//! ```
//!
//! `…` in an expected line matches any text. Standard error must be empty
//! unless the program declares `# logs:` lines. This module only reads and
//! compares; `cargo xtask python` runs the programs.

use crate::render::indent;

/// One Python block of a README.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    /// The README line of its opening fence, for messages.
    pub line: usize,
    pub code: String,
}

/// The Python blocks of a README, in order.
pub fn extract(readme: &str) -> Vec<Snippet> {
    let mut snippets = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (number, line) in readme.lines().enumerate() {
        match &mut open {
            None if line.trim_start() == "```python" => open = Some((number + 1, String::new())),
            None => {}
            Some((start, code)) => {
                if line.trim_start() == "```" {
                    snippets.push(Snippet {
                        line: *start,
                        code: std::mem::take(code),
                    });
                    open = None;
                } else {
                    code.push_str(line);
                    code.push('\n');
                }
            }
        }
    }
    snippets
}

/// What a program says it prints.
#[derive(Debug, Default, PartialEq)]
pub struct Expected {
    pub stdout: Vec<Segment>,
    /// Texts that must each appear in standard error.
    pub logs: Vec<String>,
}

/// A run of expected lines.
#[derive(Debug, PartialEq)]
pub enum Segment {
    InOrder(Vec<String>),
    AnyOrder(Vec<String>),
}

impl Expected {
    /// Whether the program states anything at all about its output.
    pub fn is_empty(&self) -> bool {
        self.stdout.is_empty() && self.logs.is_empty()
    }

    fn line_count(&self) -> usize {
        self.stdout
            .iter()
            .map(|s| match s {
                Segment::InOrder(lines) | Segment::AnyOrder(lines) => lines.len(),
            })
            .sum()
    }
}

const PRINTS: &str = "# prints:";
const ANY_ORDER: &str = "# prints in any order:";
const LOGS: &str = "# logs:";

/// Reads the `# prints` and `# logs` comments of a program.
pub fn expected(code: &str) -> Expected {
    let mut expected = Expected::default();
    // The block being read, if any: its lines go to a segment of this kind.
    let mut block: Option<(bool, Vec<String>)> = None;
    let finish = |block: &mut Option<(bool, Vec<String>)>, expected: &mut Expected| {
        if let Some((any_order, lines)) = block.take() {
            push(expected, any_order, lines);
        }
    };
    for line in code.lines() {
        let trimmed = line.trim_start();
        let is_comment = trimmed.starts_with('#');
        if let Some(at) = line.find(ANY_ORDER) {
            finish(&mut block, &mut expected);
            if line[at + ANY_ORDER.len()..].trim().is_empty() {
                block = Some((true, Vec::new()));
            }
        } else if let Some(at) = line.find(PRINTS) {
            finish(&mut block, &mut expected);
            let text = line[at + PRINTS.len()..].trim();
            if text.is_empty() && is_comment {
                block = Some((false, Vec::new()));
            } else {
                push(&mut expected, false, vec![text.to_owned()]);
            }
        } else if let Some(at) = line.find(LOGS) {
            finish(&mut block, &mut expected);
            expected
                .logs
                .push(line[at + LOGS.len()..].trim().to_owned());
        } else if let (Some((_, lines)), true) = (&mut block, is_comment) {
            let text = &trimmed[1..];
            lines.push(text.strip_prefix(' ').unwrap_or(text).trim_end().to_owned());
        } else {
            finish(&mut block, &mut expected);
        }
    }
    finish(&mut block, &mut expected);
    expected
}

/// Adds lines to the expected output, joining a run of in-order lines.
fn push(expected: &mut Expected, any_order: bool, lines: Vec<String>) {
    match (any_order, expected.stdout.last_mut()) {
        (false, Some(Segment::InOrder(previous))) => previous.extend(lines),
        (false, _) => expected.stdout.push(Segment::InOrder(lines)),
        (true, _) => expected.stdout.push(Segment::AnyOrder(lines)),
    }
}

/// What one run of a program gave.
#[derive(Debug)]
pub struct Run {
    /// `None` when it did not exit by itself (killed at the time limit).
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Compares a run with what the program says it prints; the error says
/// what differs, for a maintainer to fix.
pub fn compare(expected: &Expected, run: &Run) -> Result<(), String> {
    let mut problems = Vec::new();
    match run.exit_code {
        Some(0) => {}
        Some(code) => problems.push(format!("it exited with status {code}")),
        None => problems.push("it did not finish within the time limit".to_owned()),
    }
    let actual: Vec<&str> = run.stdout.lines().map(str::trim_end).collect();
    let actual: &[&str] = trim_trailing_blank(&actual);
    if let Err(problem) = compare_stdout(expected, actual) {
        problems.push(problem);
    }
    let stderr = run.stderr.trim();
    if expected.logs.is_empty() {
        if !stderr.is_empty() {
            problems.push(format!(
                "it wrote to standard error, which no `# logs:` line expects:\n{}",
                indent(stderr)
            ));
        }
    } else {
        for log in &expected.logs {
            if !matches_within(log, stderr) {
                problems.push(format!(
                    "`# logs: {log}` is not in its standard error:\n{}",
                    indent(if stderr.is_empty() {
                        "(nothing)"
                    } else {
                        stderr
                    })
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn compare_stdout(expected: &Expected, actual: &[&str]) -> Result<(), String> {
    let mismatch = |detail: String| {
        Err(format!(
            "{detail}\n  it printed:\n{}",
            indent(
                if actual.is_empty() {
                    "(nothing)".to_owned()
                } else {
                    actual.join("\n")
                }
                .as_str()
            )
        ))
    };
    if actual.len() != expected.line_count() {
        return mismatch(format!(
            "it printed {} lines where its `# prints` comments say {}",
            actual.len(),
            expected.line_count()
        ));
    }
    let mut at = 0;
    for segment in &expected.stdout {
        match segment {
            Segment::InOrder(lines) => {
                for (offset, pattern) in lines.iter().enumerate() {
                    let got = actual[at + offset];
                    if !matches(pattern, got) {
                        return mismatch(format!(
                            "line {} differs:\n    expected: {pattern}\n    printed:  {got}",
                            at + offset + 1
                        ));
                    }
                }
                at += lines.len();
            }
            Segment::AnyOrder(lines) => {
                let mut unmatched: Vec<&str> = actual[at..at + lines.len()].to_vec();
                for pattern in lines {
                    match unmatched.iter().position(|got| matches(pattern, got)) {
                        Some(found) => {
                            unmatched.remove(found);
                        }
                        None => {
                            return mismatch(format!(
                                "lines {}–{} (in any order) have no `{pattern}`",
                                at + 1,
                                at + lines.len()
                            ));
                        }
                    }
                }
                at += lines.len();
            }
        }
    }
    Ok(())
}

/// Whether `line` is `pattern`, where `…` in the pattern stands for any text.
pub fn matches(pattern: &str, line: &str) -> bool {
    let pattern = pattern.trim_end();
    let parts: Vec<&str> = pattern.split('…').collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !line.starts_with(first) || line.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &line[first.len()..];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(found) => rest = &rest[found + middle.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Whether `pattern` (with `…` wildcards) appears within some line of `text`.
fn matches_within(pattern: &str, text: &str) -> bool {
    let wrapped = format!("…{}…", pattern.trim());
    text.lines().any(|line| matches(&wrapped, line))
}

fn trim_trailing_blank<'a>(lines: &'a [&'a str]) -> &'a [&'a str] {
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    &lines[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROGRAM: &str = r#"import asyncio

async def main():
    print("start")  # prints: start
    # prints in any order:
    # a
    # b
    for x in {"a", "b"}:
        print(x)
    print(f"took {0.5:.1f} s")
    # prints:
    # took 0.5 s
    # done in … s

asyncio.run(main())
"#;

    fn run(stdout: &str, stderr: &str) -> Run {
        Run {
            exit_code: Some(0),
            stdout: stdout.to_owned(),
            stderr: stderr.to_owned(),
        }
    }

    #[test]
    fn blocks_are_found_with_their_line() {
        let readme = "# Title\n\n```python\nprint(1)  # prints: 1\n```\n\n```rust\nfn x() {}\n```\n```python\npass\n```\n";
        let snippets = extract(readme);
        assert_eq!(snippets.len(), 2);
        assert_eq!(snippets[0].line, 3);
        assert_eq!(snippets[0].code, "print(1)  # prints: 1\n");
        assert_eq!(snippets[1].code, "pass\n");
    }

    #[test]
    fn the_comments_give_the_whole_output_in_order() {
        let expected = expected(PROGRAM);
        assert_eq!(
            expected.stdout,
            [
                Segment::InOrder(vec!["start".into()]),
                Segment::AnyOrder(vec!["a".into(), "b".into()]),
                Segment::InOrder(vec!["took 0.5 s".into(), "done in … s".into()]),
            ]
        );
    }

    #[test]
    fn the_right_output_passes_in_either_order() {
        let expected = expected(PROGRAM);
        let first = run("start\na\nb\ntook 0.5 s\ndone in 0.503 s\n", "");
        let second = run("start\nb\na\ntook 0.5 s\ndone in 1 s\n\n", "");
        assert_eq!(compare(&expected, &first), Ok(()));
        assert_eq!(compare(&expected, &second), Ok(()));
    }

    /// The checker's own test: a deliberately wrong `# prints:` line fails.
    #[test]
    fn a_wrong_prints_line_fails_and_says_where() {
        let wrong = PROGRAM.replace("# took 0.5 s", "# took 0.6 s");
        let problem = compare(
            &expected(&wrong),
            &run("start\na\nb\ntook 0.5 s\ndone in 0.5 s\n", ""),
        )
        .unwrap_err();
        assert!(problem.contains("line 4 differs"), "{problem}");
        assert!(problem.contains("expected: took 0.6 s"), "{problem}");
    }

    #[test]
    fn missing_or_extra_lines_fail() {
        let expected = expected(PROGRAM);
        assert!(compare(&expected, &run("start\na\nb\ntook 0.5 s\n", "")).is_err());
        assert!(compare(&expected, &run("start\na\nb\ntook 0.5 s\nx\ny\n", "")).is_err());
        assert!(compare(&expected, &run("start\na\nc\ntook 0.5 s\nx s\n", "")).is_err());
    }

    #[test]
    fn standard_error_must_be_expected() {
        let program = "print(1)  # prints: 1\n";
        assert!(compare(&expected(program), &run("1\n", "Traceback ...\n")).is_err());
        let logged = "print(1)  # prints: 1\n# logs: Task exception was never retrieved\n";
        let stderr = "Task exception was never retrieved\nfuture: <Task ...>\n";
        assert_eq!(compare(&expected(logged), &run("1\n", stderr)), Ok(()));
        assert!(compare(&expected(logged), &run("1\n", "")).is_err());
    }

    #[test]
    fn a_failed_or_killed_program_fails() {
        let expected = expected("print(1)  # prints: 1\n");
        let mut failed = run("1\n", "");
        failed.exit_code = Some(1);
        assert!(compare(&expected, &failed).is_err());
        failed.exit_code = None;
        assert!(compare(&expected, &failed).is_err());
    }

    #[test]
    fn an_ellipsis_stands_for_any_text() {
        assert!(matches("took … s", "took 0.51 s"));
        assert!(matches("…", ""));
        assert!(matches(
            "<Task …> done",
            "<Task pending name='Task-2'> done"
        ));
        assert!(!matches("took … s", "took 0.51 ms!"));
        assert!(!matches("ab…ba", "aba"));
        assert!(matches("exact", "exact"));
        assert!(!matches("exact", "exactly"));
    }
}
