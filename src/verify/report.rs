//! What readers and the API are told of an article's examples: each example's status over the
//! interpreters it ran on, from the stored runs (`db::verification`).

use serde::Serialize;

use super::Status;
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
}

/// The report for a body with `examples` examples; `enabled` false: verification is off.
pub fn report(examples: usize, runs: &[StoredRun], enabled: bool) -> Vec<ExampleReport> {
    (0..examples)
        .map(|index| {
            let mut mine: Vec<&StoredRun> =
                runs.iter().filter(|r| r.example == index as i64).collect();
            mine.sort_by_key(|r| crate::verify::interpreters::Version::parse(&r.python));
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
                    })
                    .collect(),
            }
        })
        .collect()
}
