//! Worst-case render times: for each shape of body known to make Markdown parsers or HTML
//! tree builders slow (deep nesting, long delimiter runs, many small elements), a body of up to
//! 200,000 characters (the form's limit) built from that shape goes through `render_body`, the
//! whole save-time render, and the slowest of three runs is printed. The form refuses some of
//! these shapes (the last column says on which line); every other writer (import, the seed
//! sync, the start-up re-render) renders them, so each must stay well under a second.
//!
//! `cargo bench --bench hostile` (exit status 1 if any shape takes a second or more).

use std::time::{Duration, Instant};

use pykb::editing::MAX_BODY_CHARS;
use pykb::render::{render_body, too_deep_line};

/// `unit` repeated until the body would pass `MAX_BODY_CHARS`, between `head` and `tail`.
fn fill(head: &str, unit: &str, tail: &str) -> String {
    let room = MAX_BODY_CHARS - head.chars().count() - tail.chars().count();
    let n = room / unit.chars().count();
    format!("{head}{}{tail}", unit.repeat(n))
}

/// Lines `line(i)` for i = 0, 1, … until the body is full.
fn lines(line: impl Fn(usize) -> String) -> String {
    let mut body = String::new();
    for i in 0.. {
        let next = line(i);
        if body.chars().count() + next.chars().count() > MAX_BODY_CHARS {
            break;
        }
        body.push_str(&next);
    }
    body
}

fn shapes() -> Vec<(&'static str, String)> {
    vec![
        ("list markers on one line (- - - … x)", fill("", "- ", "x")),
        (
            "ordered markers on one line (1. 1. …)",
            fill("", "1. ", "x"),
        ),
        ("quote markers on one line (> > > …)", fill("", "> ", "x")),
        ("quote markers, no spaces (>>>> …)", fill("", ">", "x")),
        ("quotes and lists mixed (> - > - …)", fill("", "> - ", "x")),
        (
            "nested lists by indentation",
            lines(|i| format!("{}- a\n", "  ".repeat(i))),
        ),
        (
            "nested quotes, one more per line",
            lines(|i| format!("{} a\n", ">".repeat(i + 1))),
        ),
        ("emphasis run (***…a***…)", {
            let n = MAX_BODY_CHARS / 2 - 1;
            format!("{}a{}", "*".repeat(n), "*".repeat(n))
        }),
        ("alternating emphasis (*a _b …)", {
            let n = MAX_BODY_CHARS / 12;
            format!("{}{}", "*a _b ".repeat(n), " b_ a*".repeat(n))
        }),
        ("strong and emphasis (**a *b …)", fill("", "**a *b ", "")),
        ("open brackets ([[[[…)", fill("", "[", "")),
        ("link openers ([a](<b …)", fill("", "[a](<b", "")),
        ("bracket-paren ([ (]( …)", fill("", "[ (](", "")),
        ("nested links ([[a](b) …)", fill("", "[[a](/q/b)", "")),
        ("raw HTML (<><>…)", fill("", "<>", "")),
        ("escaped backticks (\\``…)", fill("", "\\``", "")),
        (
            "backtick runs (` `` ``` …)",
            lines(|i| "`".repeat(i % 50 + 1) + " "),
        ),
        ("autolink openers (<http://a …)", fill("", "<http://a ", "")),
        ("entities (&amp;&#1;…)", fill("", "&amp;&#1;&#x0;", "")),
        ("strikethrough (~~a ~~b …)", fill("", "~~a ~b ", "")),
        (
            "table, 2 rows × many columns",
            format!(
                "{}|\n{}|\n",
                "|a".repeat(MAX_BODY_CHARS / 6),
                "|-".repeat(MAX_BODY_CHARS / 6)
            ),
        ),
        ("table, many rows", {
            let mut body = "|a|b|\n|-|-|\n".to_owned();
            body.push_str(&"|x|y|\n".repeat((MAX_BODY_CHARS - body.len()) / 6));
            body
        }),
        ("headings (## a …)", fill("", "## a\n", "")),
        (
            "reference definitions",
            lines(|i| format!("[r{i}]: /q/x\n[r{i}]\n")),
        ),
        (
            "code blocks (```python …)",
            fill("", "```python\nx = 1\n```\n", ""),
        ),
        ("one long line of Python", {
            let head = "```python\nx = [";
            fill(head, "1, ", "]\n```\n")
        }),
        ("deeply bracketed Python", {
            let n = (MAX_BODY_CHARS - 20) / 2;
            format!("```python\n{}{}\n```\n", "(".repeat(n), ")".repeat(n))
        }),
        ("ordinary Python in 4 KB blocks", {
            let line = "    total = compute(values[i], \"text\", 42)  # a comment\n";
            let block = format!("```python\n{}```\n\n", line.repeat(4096 / line.len()));
            fill("", &block, "")
        }),
        (
            "Python strings and escapes",
            fill("```python\n", "'\\'\"\\\"", "\n```\n"),
        ),
        ("long words (no spaces)", "a".repeat(MAX_BODY_CHARS)),
        ("blank lines", "\n".repeat(MAX_BODY_CHARS)),
    ]
}

fn main() {
    println!("{:<42} {:>8} {:>10}  form", "shape", "chars", "worst ms");
    let mut worst = Duration::ZERO;
    for (name, body) in shapes() {
        assert!(body.chars().count() <= MAX_BODY_CHARS, "{name} is too long");
        let slowest = (0..3)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(render_body(std::hint::black_box(&body)));
                started.elapsed()
            })
            .max()
            .unwrap_or_default();
        worst = worst.max(slowest);
        let form = match too_deep_line(&body) {
            Some(line) => format!("refused (line {line})"),
            None => "accepted".to_owned(),
        };
        println!(
            "{name:<42} {:>8} {:>10.1}  {form}",
            body.chars().count(),
            slowest.as_secs_f64() * 1e3
        );
    }
    println!(
        "worst case: {:.1} ms (limit 1000 ms)",
        worst.as_secs_f64() * 1e3
    );
    if worst >= Duration::from_secs(1) {
        std::process::exit(1);
    }
}
