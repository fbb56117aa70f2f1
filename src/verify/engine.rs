//! The verifier every part of the server shares (`AppState::verifier`): the interpreters
//! (found once, in the background), the run slots both the worker and previews take
//! (`slots`), and a memo of recent runs, so a preview followed by a save, or a preview
//! repeated while an editor types, runs only what changed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::sync::{Notify, OnceCell};

use super::Outcome;
use super::blocks::{Applies, Example, PythonRange};
use super::interpreters::{Interpreter, Places, Version, discover};
use super::sandbox::Limits;
use super::slots::{Lane, RunSlots};
use crate::db::verification::StoredRun;
use crate::memo::{Memo, MemoStats};
use crate::verify::report::{ExampleReport, report};

/// Runs remembered (by code and interpreter); only outputs up to `MEMO_OUTPUT_BYTES` are kept,
/// so the memo holds at most a few MiB.
const MEMO_RUNS: usize = 1024;
const MEMO_OUTPUT_BYTES: usize = 4096;

/// How long a preview may start runs: later runs are left for the background after a save,
/// and a run started in time ends within the sandbox's wall limit, inside the request timeout.
pub const PREVIEW_BUDGET: Duration = Duration::from_secs(12);

/// What a run printed, as the memo keeps it.
#[derive(Debug, Clone)]
struct Printed {
    output: String,
    problem: Option<String>,
}

pub struct Verifier {
    enabled: bool,
    places: Places,
    interpreters: OnceCell<Vec<Interpreter>>,
    slots: Arc<RunSlots>,
    limits: Limits,
    memo: Memo<([u8; 16], Version), Printed>,
    metrics: Option<Arc<crate::metrics::Metrics>>,
    /// Wakes the background worker after a write queued examples.
    pub wake: Notify,
}

impl Verifier {
    /// `enabled` false: nothing runs, every example reports `off`.
    pub fn new(enabled: bool, pythons: Option<String>, jobs: usize) -> Self {
        Verifier {
            enabled,
            places: Places::with(pythons),
            interpreters: OnceCell::new(),
            slots: RunSlots::new(jobs),
            limits: Limits::default(),
            memo: Memo::new(MEMO_RUNS),
            metrics: None,
            wake: Notify::new(),
        }
    }

    /// Counts its runs and failures in `/metrics`.
    pub fn with_metrics(mut self, metrics: Arc<crate::metrics::Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// With other limits than the sandbox's defaults (tests use a shorter time limit).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The interpreters, found on first use (on a blocking thread; a second or so).
    pub async fn interpreters(&self) -> &[Interpreter] {
        if !self.enabled {
            return &[];
        }
        self.interpreters
            .get_or_init(|| async {
                let places = self.places.clone();
                tokio::task::spawn_blocking(move || discover(&places))
                    .await
                    .unwrap_or_else(|err| {
                        tracing::error!(error = %err, "finding Python interpreters failed");
                        Vec::new()
                    })
            })
            .await
    }

    pub fn memo_stats(&self) -> MemoStats {
        self.memo.stats()
    }

    /// Runs one example on one interpreter in `lane` (remembered runs are not run again).
    /// `None` when the interpreter cannot start (removed since it was found) or the run
    /// panicked: the example shows as not run there.
    pub async fn run(
        &self,
        lane: Lane,
        example: Arc<Example>,
        page: PythonRange,
        interpreter: &Interpreter,
    ) -> Option<Outcome> {
        let key = (code_key(&example.code), interpreter.version);
        let remembered = self.memo.get(0, &key);
        let ran_now = remembered.is_none();
        let printed = match remembered {
            Some(printed) => printed,
            None => {
                let slot = self.slots.acquire(lane).await;
                let (path, limits, code) = (
                    interpreter.path.clone(),
                    self.limits.clone(),
                    example.code.clone(),
                );
                let run = tokio::task::spawn_blocking(move || {
                    let _slot = slot;
                    super::sandbox::run(&path, &code, &limits)
                })
                .await;
                let run = match run {
                    Ok(Ok(run)) => run,
                    Ok(Err(err)) => {
                        tracing::warn!(python = %interpreter.path.display(), error = %err, "an example could not start");
                        return None;
                    }
                    Err(err) => {
                        tracing::error!(error = %err, "an example's run panicked");
                        return None;
                    }
                };
                let printed = Printed {
                    output: run.shown_output(),
                    problem: run.problem(),
                };
                if printed.output.len() <= MEMO_OUTPUT_BYTES {
                    self.memo.insert(0, key, printed.clone());
                }
                printed
            }
        };
        let minor = interpreter.version.minor();
        let outcome = Outcome {
            python: interpreter.version,
            matches: printed.problem.is_none() && printed.output == example.expected_for(minor),
            output: printed.output,
            problem: printed.problem,
            outside_range: !example.covers(minor, &page),
        };
        if let Some(metrics) = &self.metrics
            && ran_now
        {
            metrics.example_runs.inc();
            if !outcome.matches && !outcome.outside_range {
                metrics.example_run_failures.inc();
            }
        }
        Some(outcome)
    }

    /// What a preview shows: every example of `body` run on every interpreter now, ahead of
    /// the background queue, for at most `PREVIEW_BUDGET` of starting runs; what did not start
    /// in time reports as not run. `known` are the article's stored runs: an example whose
    /// fingerprint has one (wherever the example now sits) is not run again. Each report lines
    /// up with `examples` by index.
    pub async fn preview(
        self: &Arc<Self>,
        examples: &[Example],
        page: PythonRange,
        known: &[StoredRun],
    ) -> Vec<ExampleReport> {
        let interpreters = self.interpreters().await.to_vec();
        let deadline = Instant::now() + PREVIEW_BUDGET;
        let mut tasks = tokio::task::JoinSet::new();
        let mut runs = Vec::new();
        for example in examples {
            let print = fingerprint(example, &page);
            let example = Arc::new(example.clone());
            for interpreter in &interpreters {
                let python = interpreter.version.to_string();
                if let Some(run) = known
                    .iter()
                    .find(|r| r.fingerprint == print && r.python == python)
                {
                    runs.push(StoredRun {
                        example: example.index as i64,
                        ..run.clone()
                    });
                    continue;
                }
                let (verifier, example, interpreter) =
                    (Arc::clone(self), Arc::clone(&example), interpreter.clone());
                tasks.spawn(async move {
                    let index = example.index;
                    let ran = tokio::time::timeout_at(
                        deadline.into(),
                        verifier.run(Lane::Preview, example, page, &interpreter),
                    )
                    .await;
                    (index, ran.ok().flatten())
                });
            }
        }
        while let Some(joined) = tasks.join_next().await {
            if let Ok((index, Some(outcome))) = joined {
                runs.push(stored(index, String::new(), outcome, 0));
            }
        }
        report(examples.len(), &runs, self.enabled)
    }
}

/// A run as the database keeps it.
pub fn stored(index: usize, fingerprint: String, outcome: Outcome, ran_at: i64) -> StoredRun {
    StoredRun {
        example: index as i64,
        python: outcome.python.to_string(),
        fingerprint,
        matches: outcome.matches,
        outside_range: outcome.outside_range,
        output: outcome.output,
        problem: outcome.problem,
        ran_at,
    }
}

fn code_key(code: &str) -> [u8; 16] {
    let digest = Sha256::digest(code.as_bytes());
    let mut key = [0; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

/// What a stored run depends on: the code, its marks, its output blocks and the page's
/// declared Pythons (which decide what counts as a failure).
pub fn fingerprint(example: &Example, page: &PythonRange) -> String {
    let mut hash = Sha256::new();
    hash.update(example.code.as_bytes());
    hash.update(format!("\0{:?}\0{:?}\0{page}", example.min, example.max).as_bytes());
    for output in &example.outputs {
        let applies = match output.applies {
            Applies::Every => String::new(),
            Applies::Only((a, b)) => format!("={a}.{b}"),
            Applies::From((a, b)) => format!("+{a}.{b}"),
        };
        hash.update(format!("\0{applies}\0").as_bytes());
        hash.update(output.text.as_bytes());
    }
    hash.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
