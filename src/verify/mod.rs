//! Verified examples: every ```` ```python ```` block of a body run on every CPython the
//! server has, its output compared with the output blocks under it (see `blocks` for the
//! notation, `sandbox` for how a run is fenced in, `interpreters` for which Pythons).
//!
//! An example's status over the interpreters in its range: `ok` when its output matches on
//! every one, `differs` when on some, `fails` when on none (or it crashes or times out
//! everywhere); `pending` before it ran, `off` with verification switched off.

pub mod blocks;
pub mod engine;
pub mod interpreters;
pub mod report;
pub mod sandbox;
pub mod slots;
pub mod worker;

pub use engine::Verifier;

use std::sync::atomic::{AtomicBool, Ordering};

/// Whether this process serves with verification switched off (`PYKB_VERIFY=0`), for the
/// footer every page shares. A process serves one configuration, so `app::serve` sets it once
/// rather than every page struct carrying it; tests that build several apps in one process
/// never set it.
static SERVING_UNVERIFIED: AtomicBool = AtomicBool::new(false);

pub fn serving_unverified() {
    SERVING_UNVERIFIED.store(true, Ordering::Relaxed);
}

/// The footer's claim about examples: exactly what this server does.
pub fn footer_claim() -> &'static str {
    if SERVING_UNVERIFIED.load(Ordering::Relaxed) {
        "This server runs no examples: their outputs are shown as written, not verified."
    } else {
        "Each Python example carries a mark saying which CPython versions ran it and whether \
         it printed what is shown."
    }
}

use blocks::{Example, PythonRange};
use interpreters::Interpreter;
use sandbox::Limits;

/// One example on one interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub python: interpreters::Version,
    /// Whether it printed what its output block shows for this version.
    pub matches: bool,
    /// What it printed (stdout, and the traceback's last line when it failed).
    pub output: String,
    /// Why the run did not end on its own, if it did not.
    pub problem: Option<String>,
    /// Whether the version is outside the example's range (shown, never a failure).
    pub outside_range: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Differs,
    Fails,
    Pending,
    Off,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Differs => "differs",
            Status::Fails => "fails",
            Status::Pending => "pending",
            Status::Off => "off",
        }
    }

    /// From the outcomes on every interpreter (those outside the range do not count).
    pub fn of(outcomes: &[Outcome]) -> Status {
        Status::from_runs(outcomes.iter().map(|o| (o.matches, o.outside_range)))
    }

    /// From each run's (matches, outside range).
    pub fn from_runs(runs: impl Iterator<Item = (bool, bool)>) -> Status {
        let counted: Vec<bool> = runs
            .filter(|(_, outside)| !outside)
            .map(|(matches, _)| matches)
            .collect();
        if counted.is_empty() {
            return Status::Pending;
        }
        let matching = counted.iter().filter(|m| **m).count();
        if matching == counted.len() {
            Status::Ok
        } else if matching == 0 {
            Status::Fails
        } else {
            Status::Differs
        }
    }
}

/// Runs `example` on each interpreter (blocking: from the verification pool or a command).
pub fn run_example(
    example: &Example,
    page: &PythonRange,
    interpreters: &[Interpreter],
    limits: &Limits,
) -> std::io::Result<Vec<Outcome>> {
    interpreters
        .iter()
        .map(|interpreter| {
            let minor = interpreter.version.minor();
            let run = sandbox::run(&interpreter.path, &example.code, limits)?;
            let output = run.shown_output();
            Ok(Outcome {
                python: interpreter.version,
                matches: run.problem().is_none() && output == example.expected_for(minor),
                output,
                problem: run.problem(),
                outside_range: !example.covers(minor, page),
            })
        })
        .collect()
}
