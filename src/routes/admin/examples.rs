//! What an editor is told of a body's Python examples: on the preview (run now, ahead of the
//! background queue) and on the edit page (the stored runs of the saved text), each example
//! that prints something else with a line diff of what it shows against what it printed.

use std::sync::Arc;

use crate::cpu::RENDER;
use crate::db::verification;
use crate::domain::PythonRange;
use crate::editing::{DiffLine, diff_lines};
use crate::verify::blocks::{Example, examples};
use crate::verify::engine::fingerprint;
use crate::verify::report::{ExampleReport, Mismatch, mismatches, report};
use crate::{AppState, Result};

/// The examples' state as the editor sees it.
#[derive(Debug, Clone, Default)]
pub struct ExamplesView {
    pub total: usize,
    pub ok: usize,
    pub not_run: usize,
    pub failing: Vec<MismatchView>,
    /// Verification is switched off (`PYKB_VERIFY=0`).
    pub off: bool,
}

#[derive(Debug, Clone)]
pub struct MismatchView {
    pub example: usize,
    pub block: usize,
    pub status: &'static str,
    pub runs: Vec<MismatchRunView>,
}

#[derive(Debug, Clone)]
pub struct MismatchRunView {
    pub python: String,
    pub problem: Option<String>,
    /// The output block against what it printed.
    pub diff: Vec<DiffLine>,
}

impl ExamplesView {
    fn new(found: &[Example], reports: &[ExampleReport], off: bool) -> Self {
        let count = |status: &str| reports.iter().filter(|r| r.status == status).count();
        ExamplesView {
            total: found.len(),
            ok: count("ok"),
            not_run: count("pending"),
            failing: mismatches(found, reports).into_iter().map(view).collect(),
            off,
        }
    }

    /// A line saying how the examples stand ("3 examples: 2 print what is shown on every
    /// Python, 1 prints something else").
    pub fn summary(&self) -> String {
        if self.off {
            return "Examples are not run on this site (PYKB_VERIFY=0).".to_owned();
        }
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let mut parts = Vec::new();
        if self.ok > 0 {
            parts.push(plural(
                self.ok,
                "prints what is shown on every Python it is about",
                "print what is shown on every Python they are about",
            ));
        }
        if !self.failing.is_empty() {
            parts.push(plural(
                self.failing.len(),
                "prints something else",
                "print something else",
            ));
        }
        if self.not_run > 0 {
            parts.push(format!("{} not run yet", self.not_run));
        }
        format!(
            "{}: {}.",
            plural(self.total, "Python example", "Python examples"),
            parts.join(", ")
        )
    }
}

fn view(mismatch: Mismatch) -> MismatchView {
    MismatchView {
        example: mismatch.example,
        block: mismatch.block,
        status: mismatch.status,
        runs: mismatch
            .runs
            .into_iter()
            .map(|run| MismatchRunView {
                diff: diff_lines(&run.expected, &run.printed),
                python: run.python,
                problem: run.problem,
            })
            .collect(),
    }
}

/// The preview's report: every example of `body` run now on every interpreter (see
/// `Verifier::preview`; the stored runs of article `id`'s unchanged examples are reused), and
/// the rendered `html` marked as the public page will be. Parsing the body and diffing outputs
/// run in the render pool, like the rendering itself.
pub async fn preview(
    state: &AppState,
    id: Option<i64>,
    body: &str,
    python: &str,
    html: String,
) -> Result<(String, Option<ExamplesView>)> {
    let found = {
        let body = body.to_owned();
        RENDER
            .run(move || examples(&body).unwrap_or_default())
            .await?
    };
    if found.is_empty() {
        return Ok((html, None));
    }
    let page = PythonRange::parse(python).unwrap_or_default();
    let known = match id {
        Some(id) => verification::runs(&state.db, id).await?,
        None => Vec::new(),
    };
    let reports = Arc::clone(&state.verifier)
        .preview(&found, page, &known)
        .await;
    let off = !state.verifier.enabled();
    let shown = RENDER
        .run(move || {
            let marked = crate::verify::report::mark_page(&html, &reports);
            (marked, Some(ExamplesView::new(&found, &reports, off)))
        })
        .await?;
    Ok(shown)
}

/// The edit page's report: the stored runs of the saved text (runs of an earlier text of an
/// example do not count: it shows as not run yet). Parsed, fingerprinted and diffed in the
/// render pool.
pub async fn stored(
    state: &AppState,
    id: i64,
    body: &str,
    python: &str,
) -> Result<Option<ExamplesView>> {
    let runs = verification::runs(&state.db, id).await?;
    let (body, python) = (body.to_owned(), python.to_owned());
    let off = !state.verifier.enabled();
    let view = RENDER
        .run(move || {
            let found = examples(&body).unwrap_or_default();
            if found.is_empty() {
                return None;
            }
            let page = PythonRange::parse(&python).unwrap_or_default();
            let prints: Vec<String> = found.iter().map(|e| fingerprint(e, &page)).collect();
            let current: Vec<_> = runs
                .into_iter()
                .filter(|run| {
                    usize::try_from(run.example)
                        .ok()
                        .and_then(|at| prints.get(at))
                        .is_some_and(|print| *print == run.fingerprint)
                })
                .collect();
            let reports = report(found.len(), &current, !off);
            Some(ExamplesView::new(&found, &reports, off))
        })
        .await?;
    Ok(view)
}
