//! What readers and the API are told of an article's examples: each example's status over the
//! interpreters it ran on, from the stored runs (`db::verification`).

use serde::Serialize;

use super::Status;
use super::blocks::Example;
use super::interpreters::Version;
use crate::db::verification::StoredRun;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExampleReport {
    pub index: usize,
    pub status: &'static str,
    /// The exact versions it ran on, oldest first.
    pub results: Vec<RunReport>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RunReport {
    pub python: String,
    /// `ok`, `differs` (printed something else), `fails` (crashed or hit a limit), or
    /// `outside` (a version the example is not about: shown, never a failure).
    pub status: &'static str,
    pub output: String,
    /// Why the run did not end on its own (killed, timed out, too much output), if it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The report for an article's rendered body (`html`, whose examples the renderer marked):
/// the stored runs are read only when it has examples. What the page and the API show.
pub async fn for_body(
    db: &crate::db::Db,
    article_id: i64,
    html: &str,
    enabled: bool,
) -> sqlx::Result<Vec<ExampleReport>> {
    let examples = examples_in(html);
    if examples == 0 {
        return Ok(Vec::new());
    }
    let runs = crate::db::verification::runs(db, article_id).await?;
    Ok(report(examples, &runs, enabled))
}

/// The report for a body with `examples` examples; `enabled` false: verification is off.
pub fn report(examples: usize, runs: &[StoredRun], enabled: bool) -> Vec<ExampleReport> {
    (0..examples)
        .map(|index| {
            let mut mine: Vec<&StoredRun> =
                runs.iter().filter(|r| r.example == index as i64).collect();
            mine.sort_by_key(|r| Version::parse(&r.python));
            let status = if enabled {
                Status::from_runs(mine.iter().map(|r| (r.matches, r.outside_range)))
            } else {
                Status::Off
            };
            ExampleReport {
                index,
                status: status.as_str(),
                results: mine
                    .iter()
                    .map(|r| RunReport {
                        python: r.python.clone(),
                        status: if r.outside_range {
                            "outside"
                        } else if r.matches {
                            "ok"
                        } else if r.problem.is_some() {
                            "fails"
                        } else {
                            "differs"
                        },
                        output: r.output.clone(),
                        problem: r.problem.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// How many examples a rendered body has (its renderer marks each, `data-example="N"`).
pub fn examples_in(html: &str) -> usize {
    html.matches(r#" data-example=""#).count()
}

/// The body HTML with each example's verification: `data-verify` (its status) and
/// `data-python` (the exact versions it ran on) on its block, and a badge a reader sees.
pub fn mark_page(html: &str, reports: &[ExampleReport]) -> String {
    let mut marked = html.to_owned();
    for report in reports {
        let tag = format!(r#" data-example="{}">"#, report.index);
        let versions: Vec<&str> = report.results.iter().map(|r| r.python.as_str()).collect();
        let replacement = format!(
            r#" data-example="{}" data-verify="{}" data-python="{}">{}"#,
            report.index,
            report.status,
            versions.join(" "),
            badge(report)
        );
        marked = marked.replacen(&tag, &replacement, 1);
    }
    marked
}

/// "3.9.18" → "3.9".
fn minor(python: &str) -> &str {
    match python.match_indices('.').nth(1) {
        Some((at, _)) => &python[..at],
        None => python,
    }
}

fn span(results: &[&RunReport]) -> String {
    match (results.first(), results.last()) {
        (Some(first), Some(last)) if minor(&first.python) != minor(&last.python) => {
            format!("{}–{}", minor(&first.python), minor(&last.python))
        }
        (Some(only), _) => minor(&only.python).to_owned(),
        _ => String::new(),
    }
}

fn badge(report: &ExampleReport) -> String {
    use crate::render::escape_html;
    let counted: Vec<&RunReport> = report
        .results
        .iter()
        .filter(|r| r.status != "outside")
        .collect();
    let wrong: Vec<&RunReport> = counted
        .iter()
        .copied()
        .filter(|r| r.status != "ok")
        .collect();
    let details = |summary: String| {
        let outputs: String = wrong
            .iter()
            .map(|r| {
                format!(
                    "<p>On CPython {} it printed:</p><pre tabindex=\"0\">{}</pre>",
                    escape_html(&r.python),
                    escape_html(&r.output)
                )
            })
            .collect();
        format!(
            r#"<details class="verify verify-{}"><summary>{summary}</summary>{outputs}</details>"#,
            report.status
        )
    };
    match report.status {
        "ok" => format!(
            r#"<p class="verify verify-ok"><span aria-hidden="true">✓</span> Verified on CPython {}</p>"#,
            span(&counted)
        ),
        "differs" => details(format!(
            "Output differs on {}",
            wrong
                .iter()
                .map(|r| minor(&r.python))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        "fails" => details(format!(
            "<span aria-hidden=\"true\">✗</span> Prints something else on every Python it ran on ({})",
            span(&counted)
        )),
        "off" => r#"<p class="verify verify-off">Not verified: this site runs no examples</p>"#
            .to_owned(),
        _ => r#"<p class="verify verify-pending">Not verified yet</p>"#.to_owned(),
    }
}

/// An example that did not print what it shows on some Python it is about, with what it
/// printed there: what the editor is shown, on the preview and on the edit page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// From 1, among the body's examples.
    pub example: usize,
    /// From 1, among all the body's code blocks (`#code-N`).
    pub block: usize,
    pub status: &'static str,
    pub runs: Vec<MismatchRun>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MismatchRun {
    pub python: String,
    /// Why the run did not end on its own, if it did not.
    pub problem: Option<String>,
    pub expected: String,
    pub printed: String,
}

/// The examples of a body that fail or differ, with what each failing run printed.
pub fn mismatches(examples: &[Example], reports: &[ExampleReport]) -> Vec<Mismatch> {
    examples
        .iter()
        .zip(reports)
        .filter(|(_, r)| r.status == Status::Differs.as_str() || r.status == Status::Fails.as_str())
        .map(|(example, report)| Mismatch {
            example: example.index + 1,
            block: example.block,
            status: report.status,
            runs: report
                .results
                .iter()
                .filter(|r| r.status == "differs" || r.status == "fails")
                .map(|r| {
                    let minor = Version::parse(&r.python).map_or((0, 0), Version::minor);
                    MismatchRun {
                        python: r.python.clone(),
                        problem: r.problem.clone(),
                        expected: example.expected_for(minor).to_owned(),
                        printed: r.output.clone(),
                    }
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(python: &str, status: &'static str, output: &str) -> RunReport {
        RunReport {
            python: python.into(),
            status,
            output: output.into(),
            problem: None,
        }
    }

    #[test]
    fn each_example_gets_its_marks_and_a_badge() {
        let html = r#"<div class="code-block" id="code-1" data-example="0"><pre>a</pre></div><div class="code-block" id="code-2" data-example="1"><pre>b</pre></div><div class="code-block" id="code-3" data-example="2"></div>"#;
        assert_eq!(examples_in(html), 3);
        let reports = [
            ExampleReport {
                index: 0,
                status: "ok",
                results: vec![
                    run("3.9.18", "outside", "x"),
                    run("3.10.13", "ok", ""),
                    run("3.13.0", "ok", ""),
                ],
            },
            ExampleReport {
                index: 1,
                status: "differs",
                results: vec![run("3.12.1", "ok", ""), run("3.13.0", "differs", "<new>\n")],
            },
            ExampleReport {
                index: 2,
                status: "pending",
                results: vec![],
            },
        ];
        let marked = mark_page(html, &reports);
        assert!(
            marked.contains(
                r#"data-example="0" data-verify="ok" data-python="3.9.18 3.10.13 3.13.0">"#
            ),
            "{marked}"
        );
        assert!(marked.contains("Verified on CPython 3.10–3.13"), "{marked}");
        assert!(
            marked.contains(r#"data-verify="differs""#)
                && marked.contains("Output differs on 3.13")
        );
        assert!(
            marked.contains("&lt;new&gt;"),
            "outputs are escaped: {marked}"
        );
        assert!(
            marked.contains(r#"data-verify="pending" data-python="">"#)
                && marked.contains("Not verified yet")
        );
    }
}
