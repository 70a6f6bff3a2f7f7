//! How a failed test's output reads: what a learner must see first is the
//! panic that failed the test (the assertion and its message), however much
//! the test printed before it; then any other panic (a spawned task's), then
//! the printed output, its head and its tail.

/// A failed test's output, taken apart.
#[derive(Debug, Default, PartialEq)]
pub struct Failure {
    pub panics: Vec<Panic>,
    /// Everything else the test printed.
    pub output: Vec<String>,
}

/// `thread 'NAME' panicked at LOCATION:` and the message under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Panic {
    pub thread: String,
    /// `katas/01-why-async/src/lib.rs:20:5`
    pub location: String,
    pub message: String,
}

impl Panic {
    /// Whether the panic happened in code the kata gives (`src/given.rs`).
    pub fn in_given_code(&self) -> bool {
        self.location.contains("given.rs:")
    }

    /// Whether the panic is a `todo!()` left in the skeleton.
    pub fn is_todo(&self) -> bool {
        self.message.starts_with("not yet implemented")
    }

    /// Whether the test gave up waiting with a timeout of its own (on the
    /// paused clock a hang ends there, not at the wall-clock limit).
    pub fn is_test_timeout(&self) -> bool {
        self.message.contains("Elapsed(())") || self.message.contains("deadline has elapsed")
    }
}

impl Failure {
    /// The panic that failed the test: the one on the test's own thread (libtest
    /// names the thread after the test), else the last one.
    pub fn own_panic(&self, test: &str) -> Option<&Panic> {
        self.panics
            .iter()
            .find(|p| p.thread == test)
            .or(self.panics.last())
    }
}

/// Takes a failed test's captured output apart.
pub fn parse(raw: &str) -> Failure {
    let mut failure = Failure::default();
    let mut lines = raw.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((thread, location)) = panic_line(line) else {
            failure.output.push(line.to_owned());
            continue;
        };
        // The message runs to the next panic, a libtest note, or the end;
        // `assert_eq!` messages span several lines (`left:`, `right:`).
        let mut message = Vec::new();
        while let Some(next) = lines.peek() {
            if panic_line(next).is_some() || next.starts_with("note: ") || next.is_empty() {
                break;
            }
            message.push(lines.next().expect("peeked").to_owned());
        }
        failure.panics.push(Panic {
            thread,
            location,
            message: message.join("\n"),
        });
    }
    while failure.output.last().is_some_and(|l| l.trim().is_empty()) {
        failure.output.pop();
    }
    while failure.output.first().is_some_and(|l| l.trim().is_empty()) {
        failure.output.remove(0);
    }
    failure
}

/// `thread 'NAME' panicked at LOC:` → (NAME, LOC). Newer Rust writes the
/// thread's id too (`thread 'NAME' (1234) panicked at`); it is noise here.
fn panic_line(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("thread '")?;
    let (thread, rest) = rest.split_once('\'')?;
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix('(') {
        Some(after) => after.split_once(')')?.1.trim_start(),
        None => rest,
    };
    let location = rest.strip_prefix("panicked at ")?.trim_end_matches(':');
    Some((thread.to_owned(), location.to_owned()))
}

/// Drops the thread ids newer Rust puts in panic lines, everywhere in `text`.
pub fn without_thread_ids(text: &str) -> String {
    text.lines()
        .map(|line| match panic_line(line) {
            Some((thread, location)) => format!("thread '{thread}' panicked at {location}:"),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// How many printed lines to keep from the head and from the tail.
const KEPT: usize = 8;
/// Longer lines are cut: one huge `Debug` dump should not fill the screen.
const MAX_LINE: usize = 300;

/// The failure for a person: the test's own panic first, then the other
/// panics, then what it printed (its head and tail when long).
pub fn arrange(raw: &str, test: &str) -> String {
    let failure = parse(raw);
    let own = failure.own_panic(test).cloned();
    let mut out = Vec::new();
    if let Some(panic) = &own {
        out.push(format!("panicked at {}:", panic.location));
        out.extend(panic.message.lines().map(cut));
    }
    for panic in failure.panics.iter().filter(|p| Some(*p) != own.as_ref()) {
        out.push(String::new());
        let note = if panic.in_given_code() {
            " (in the kata's given code: the test makes it panic on purpose; the failure is the message above)"
        } else {
            ""
        };
        out.push(format!(
            "thread '{}' also panicked at {}{note}:",
            panic.thread, panic.location
        ));
        out.extend(panic.message.lines().map(cut));
    }
    if !failure.output.is_empty() {
        if !out.is_empty() {
            out.push(String::new());
        }
        let total = failure.output.len();
        out.push(format!(
            "it printed {}:",
            crate::render::counted(total, "line")
        ));
        if total <= 2 * KEPT {
            out.extend(failure.output.iter().map(|l| cut(l)));
        } else {
            out.extend(failure.output[..KEPT].iter().map(|l| cut(l)));
            out.push(format!("… ({} lines) …", total - 2 * KEPT));
            out.extend(failure.output[total - KEPT..].iter().map(|l| cut(l)));
        }
    }
    if out.is_empty() {
        out.push("(it printed nothing)".to_owned());
    }
    out.join("\n")
}

fn cut(line: &str) -> String {
    match line.char_indices().nth(MAX_LINE) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noisy_failure(printed: usize) -> String {
        let mut raw: Vec<String> = (0..printed).map(|i| format!("tick {i}")).collect();
        raw.push(
            "thread 'fetches_run_together' (27823) panicked at tests/why_async.rs:40:5:".into(),
        );
        raw.push("assertion `left == right` failed: the fetches ran one after another".into());
        raw.push("  left: 3s".into());
        raw.push(" right: 1s".into());
        raw.join("\n")
    }

    /// A test that prints 600 lines still shows its assertion, and first.
    #[test]
    fn the_panic_comes_first_however_long_the_output() {
        let text = arrange(&noisy_failure(600), "fetches_run_together");
        let first: Vec<&str> = text.lines().take(4).collect();
        assert_eq!(
            first,
            [
                "panicked at tests/why_async.rs:40:5:",
                "assertion `left == right` failed: the fetches ran one after another",
                "  left: 3s",
                " right: 1s",
            ]
        );
        assert!(text.contains("it printed 600 lines:"), "{text}");
        assert!(text.contains("tick 0"), "{text}");
        assert!(text.contains("tick 599"), "{text}");
        assert!(text.contains("… (584 lines) …"), "{text}");
        assert!(!text.contains("tick 300"), "{text}");
    }

    #[test]
    fn thread_ids_are_dropped() {
        let text = without_thread_ids(&noisy_failure(0));
        assert!(
            text.starts_with("thread 'fetches_run_together' panicked at tests/why_async.rs:40:5:"),
            "{text}"
        );
        let panic = &parse(&noisy_failure(1)).panics[0];
        assert_eq!(panic.thread, "fetches_run_together");
        assert_eq!(panic.location, "tests/why_async.rs:40:5");
    }

    #[test]
    fn a_panic_in_given_code_on_another_thread_is_said_to_be_on_purpose() {
        let raw = "thread 'tokio-runtime-worker' panicked at katas/13-cancel-task/src/given.rs:30:9:\nthe job failed on purpose\nthread 'reports_a_panic' panicked at katas/13-cancel-task/tests/cancel_task.rs:80:5:\nexpected Panicked, got Cancelled";
        let text = arrange(raw, "reports_a_panic");
        assert!(
            text.starts_with(
                "panicked at katas/13-cancel-task/tests/cancel_task.rs:80:5:\nexpected Panicked"
            ),
            "{text}"
        );
        assert!(
            text.contains("the test makes it panic on purpose"),
            "{text}"
        );
    }

    #[test]
    fn todos_and_test_timeouts_are_recognised() {
        let todo = parse(
            "thread 't' panicked at katas/01-why-async/src/lib.rs:20:5:\nnot yet implemented: fetch [\"a\"]",
        );
        assert!(todo.panics[0].is_todo());
        let waited =
            parse("thread 't' panicked at tests/x.rs:9:5:\nfetch_all never finished: Elapsed(())");
        assert!(waited.panics[0].is_test_timeout());
        assert!(!todo.panics[0].is_test_timeout());
    }
}
