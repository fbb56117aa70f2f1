//! The example runner: real interpreters in real subprocesses, fenced in by the sandbox's
//! limits. Hostile programs (a loop, a memory hog, a fork bomb, a flood of output, a socket,
//! an abort) end as the sandbox promises and leave nothing running.

use std::time::Duration;

use pykb::verify::blocks::{PythonRange, examples};

use pykb::verify::sandbox::{self, Ending, Limits};
use pykb::verify::{Status, run_example};

use crate::helpers::{interpreters, require_tool, without_the_seed_queue};

fn quick() -> Limits {
    Limits {
        wall: Duration::from_secs(3),
        ..Limits::default()
    }
}

fn run(code: &str) -> Option<sandbox::Run> {
    let python = interpreters()?.pop()?;
    Some(sandbox::run(&python.path, code, &quick()).expect("the interpreter starts"))
}

/// Processes whose command line carries `marker` (every process of a run has the code in its
/// arguments, `python -c CODE`).
fn still_running(marker: &str) -> usize {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| {
            std::fs::read(entry.path().join("cmdline"))
                .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains(marker))
        })
        .count()
}

fn gone(marker: &str) -> bool {
    for _ in 0..100 {
        if still_running(marker) == 0 {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn interpreters_are_found_once_per_version_oldest_first() {
    let Some(found) = interpreters() else { return };
    let versions: Vec<_> = found.iter().map(|i| i.version).collect();
    let mut sorted = versions.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(versions, sorted);
    assert!(versions.iter().all(|v| v.minor() >= (3, 9)), "{versions:?}");
    eprintln!(
        "interpreters: {}",
        found
            .iter()
            .map(|i| format!("{} ({})", i.version, i.path.display()))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

#[test]
fn a_matching_example_passes_and_a_wrong_output_is_caught_on_every_interpreter() {
    let Some(pythons) = interpreters() else {
        return;
    };
    let body = "```python\nprint(1 + 1)\n```\n\n```output\n2\n```\n\n```python\nprint(1 + 1)\n```\n\n```output\n3\n```\n";
    let found = examples(body).unwrap();
    let right = run_example(&found[0], &PythonRange::default(), &pythons, &quick()).unwrap();
    assert_eq!(right.len(), pythons.len());
    assert_eq!(Status::of(&right), Status::Ok);
    let wrong = run_example(&found[1], &PythonRange::default(), &pythons, &quick()).unwrap();
    assert_eq!(Status::of(&wrong), Status::Fails);
    assert!(wrong.iter().all(|o| o.output == "2\n" && !o.matches));
}

#[test]
fn an_exception_shows_as_its_last_traceback_line() {
    let Some(run) = run("print('before')\nraise ValueError('bad value')") else {
        return;
    };
    assert_eq!(run.ending, Ending::Exited(1));
    assert_eq!(run.shown_output(), "before\nValueError: bad value\n");
}

#[test]
fn a_loop_is_stopped_at_the_time_limit() {
    let Some(run) = run("# marker-loop-7f3a\nwhile True:\n    pass") else {
        return;
    };
    assert_eq!(run.ending, Ending::TimedOut);
    assert!(run.elapsed < Duration::from_secs(8), "{:?}", run.elapsed);
    assert!(gone("marker-loop-7f3a"));
}

#[test]
fn a_memory_hog_gets_a_memory_error() {
    let Some(run) = run("x = bytearray(2 * 1024 ** 3)\nprint('allocated')") else {
        return;
    };
    assert_eq!(run.ending, Ending::Exited(1));
    assert_eq!(run.shown_output(), "MemoryError\n");
}

#[test]
fn a_flood_of_output_is_cut_off() {
    let Some(run) = run("import sys\nfor _ in range(1000):\n    sys.stdout.write('x' * 10_000)")
    else {
        return;
    };
    assert_eq!(run.ending, Ending::TooMuchOutput);
    assert_eq!(run.stdout.len(), Limits::default().output);
}

#[test]
fn an_abort_is_a_crash() {
    let Some(run) = run("import os\nos.abort()") else {
        return;
    };
    assert_eq!(run.ending, Ending::Signalled(6));
    assert!(run.problem().is_some());
}

#[test]
fn the_environment_is_empty_and_the_directory_fresh() {
    let Some(fresh) = run(
        "import os\nprint(sorted(os.listdir('.')), 'PYKB_DATA_DIR' in os.environ, os.environ.get('LANG'))",
    ) else {
        return;
    };
    assert_eq!(fresh.shown_output(), "[] False C.UTF-8\n");
    let Some(written) = run(
        "open('made.txt', 'w').write('x')\nimport sys\nsys.path.insert(0, '.')\nprint(open('made.txt').read())",
    ) else {
        return;
    };
    assert_eq!(written.shown_output(), "x\n");
}

#[test]
fn a_fork_bomb_is_bounded_and_leaves_nothing_running() {
    let (pids_cgroup, _) = sandbox::fences();
    // As root nothing but a cgroup bounds the processes: never run a bomb without one.
    // SAFETY: a plain system call.
    let root = unsafe { libc::geteuid() } == 0;
    if root
        && !require_tool(
            "a writable pids cgroup (cgroup v1 pids or v2 with pids delegated)",
            pids_cgroup,
        )
    {
        return;
    }
    let bomb = "# marker-bomb-91c2\nimport os, time\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        time.sleep(0.01)";
    let Some(run) = run(bomb) else { return };
    assert_eq!(run.ending, Ending::TimedOut);
    assert!(
        gone("marker-bomb-91c2"),
        "{} bomb processes left",
        still_running("marker-bomb-91c2")
    );
}

#[test]
fn the_network_is_out_of_reach_where_the_os_allows_a_namespace() {
    let (_, network) = sandbox::fences();
    if !require_tool(
        "network namespaces (root or unprivileged user namespaces)",
        network,
    ) {
        return;
    }
    let Some(run) = run(
        "import socket\ntry:\n    socket.create_connection(('10.255.255.1', 80), timeout=2)\n    print('connected')\nexcept OSError as e:\n    print(type(e).__name__, e.errno)",
    ) else {
        return;
    };
    assert!(
        run.stdout.starts_with("OSError 101"),
        "{}",
        run.shown_output()
    );
}

#[tokio::test]
async fn pykb_verify_names_an_example_whose_output_is_wrong_and_exits_1() {
    if interpreters().is_none() {
        return;
    }
    let app = crate::helpers::TestApp::new().await;
    let mut draft = crate::helpers::seed_draft("what-is-python-used-for");
    let right = pykb::domain::ArticleDraft {
        slug: pykb::domain::Slug::parse("adds-up").unwrap(),
        title: "Adds up".into(),
        body: "Sums.\n\n```python\nprint(1 + 1)\n```\n\n```output\n2\n```\n".into(),
        related: vec![],
        ..draft.clone()
    };
    app.save(None, 0, &right).await;
    draft.slug = pykb::domain::Slug::parse("does-not-add-up").unwrap();
    draft.title = "Does not add up".into();
    draft.related = vec![];
    draft.body = "Sums.\n\n```python\nprint(1 + 1)\n```\n\n```output\n3\n```\n".into();
    app.save(None, 0, &draft).await;

    let passed = crate::helpers::pykb(app.dir.path(), &["verify", "adds-up"], "");
    let text = crate::helpers::output_text(&passed);
    assert!(passed.status.success(), "{text}");
    assert!(text.contains("1 ok, 0 differ, 0 fail"), "{text}");

    let failed = crate::helpers::pykb(
        app.dir.path(),
        &["verify", "does-not-add-up", "adds-up"],
        "",
    );
    let text = crate::helpers::output_text(&failed);
    assert_eq!(failed.status.code(), Some(1), "{text}");
    assert!(text.contains("does-not-add-up, example 1: fails"), "{text}");
    assert!(
        text.contains("    3") && text.contains("    2"),
        "expected and printed: {text}"
    );

    let missing = crate::helpers::pykb(app.dir.path(), &["verify", "no-such-entry"], "");
    assert!(crate::helpers::output_text(&missing).contains("no article has the slug"));
}

/// An article with one right and one wrong example, saved through the write path.
async fn save_examples(app: &crate::helpers::TestApp, slug: &str) -> i64 {
    let mut draft = crate::helpers::seed_draft("what-is-python-used-for");
    draft.slug = pykb::domain::Slug::parse(slug).unwrap();
    draft.title = format!("Examples of {slug}");
    draft.related = vec![];
    // Two programs (identical code would run once per Python: runs are remembered by code).
    draft.body = "Sums.\n\n```python\nprint(1 + 1)\n```\n\n```output\n2\n```\n\nWrong.\n\n```python\nprint(2 * 1)\n```\n\n```output\n3\n```\n".into();
    app.save(None, 0, &draft).await
}

async fn api_examples(app: &crate::helpers::TestApp, slug: &str) -> serde_json::Value {
    let body = app.get(&format!("/api/articles/{slug}")).await.body;
    serde_json::from_str::<serde_json::Value>(&body).unwrap()["examples"].clone()
}

#[tokio::test]
async fn a_save_queues_its_examples_and_the_results_reach_the_api() {
    let Some(pythons) = interpreters() else {
        return;
    };
    let app = crate::helpers::TestApp::with_config(|c| c.metrics = true).await;
    without_the_seed_queue(&app).await;
    save_examples(&app, "sums-up").await;
    let queued = pykb::db::verification::queue_length(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        queued, 1,
        "the save queued its article in its own transaction"
    );

    // Before any run: pending (and that answer is cached).
    let pending = api_examples(&app, "sums-up").await;
    assert_eq!(pending[0]["status"], "pending");
    assert_eq!(pending[1]["status"], "pending");

    assert!(
        app.get("/metrics")
            .await
            .body
            .contains("pykb_verify_queue 1")
    );
    let verifier = app.state.verifier.clone();
    let done = pykb::verify::worker::drain(&app.state.db, &app.state.page_cache, &verifier)
        .await
        .unwrap();
    assert_eq!(done, 1);
    let metrics = app.get("/metrics").await.body;
    let n = pythons.len();
    assert!(metrics.contains("pykb_verify_queue 0"), "{metrics}");
    assert!(
        metrics.contains(&format!("pykb_example_runs_total {}", 2 * n)),
        "{metrics}"
    );
    assert!(
        metrics.contains(&format!("pykb_example_run_failures_total {n}")),
        "{metrics}"
    );
    assert_eq!(
        pykb::db::verification::queue_length(&app.state.db)
            .await
            .unwrap(),
        0
    );

    // The cached answer was forgotten: the results show at once.
    let examples = api_examples(&app, "sums-up").await;
    assert_eq!(examples[0]["status"], "ok", "{examples}");
    assert_eq!(examples[1]["status"], "fails", "{examples}");
    let results = examples[1]["results"].as_array().unwrap();
    assert_eq!(results.len(), pythons.len());
    assert!(
        results
            .iter()
            .all(|r| r["status"] == "differs" && r["output"] == "2\n"),
        "{examples}"
    );
    let versions: Vec<String> = examples[0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["python"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = pythons.iter().map(|p| p.version.to_string()).collect();
    assert_eq!(versions, expected, "every interpreter, oldest first");
}

#[tokio::test]
async fn queued_examples_survive_a_stop_before_they_ran() {
    let Some(_) = interpreters() else {
        return;
    };
    let app = crate::helpers::TestApp::new().await;
    without_the_seed_queue(&app).await;
    save_examples(&app, "sums-later").await;
    // Stopped before any verification ran: the queue is in the database.
    let app = app.restart().await;
    assert_eq!(
        pykb::db::verification::queue_length(&app.state.db)
            .await
            .unwrap(),
        1
    );
    let verifier = app.state.verifier.clone();
    pykb::verify::worker::drain(&app.state.db, &app.state.page_cache, &verifier)
        .await
        .unwrap();
    assert_eq!(api_examples(&app, "sums-later").await[0]["status"], "ok");
}

#[tokio::test]
async fn new_interpreters_queue_every_published_article_once() {
    let Some(pythons) = interpreters() else {
        return;
    };
    let app = crate::helpers::TestApp::new().await;
    let published = pykb::db::maintenance::published_ids(&app.state.db)
        .await
        .unwrap()
        .len() as i64;
    assert_eq!(
        pykb::db::verification::queue_length(&app.state.db)
            .await
            .unwrap(),
        published,
        "the seed import queued what it wrote"
    );
    without_the_seed_queue(&app).await;
    pykb::verify::worker::queue_for_new_interpreters(&app.state.db, &pythons)
        .await
        .unwrap();
    let queued = pykb::db::verification::queue_length(&app.state.db)
        .await
        .unwrap();
    assert_eq!(queued, published);
    // The same interpreters again: nothing more (the queue is not refilled at every start).
    crate::helpers::sql_execute(&app.state.db, "DELETE FROM verify_queue").await;
    pykb::verify::worker::queue_for_new_interpreters(&app.state.db, &pythons)
        .await
        .unwrap();
    assert_eq!(
        pykb::db::verification::queue_length(&app.state.db)
            .await
            .unwrap(),
        0
    );
    // One more interpreter (or one fewer): every article again.
    pykb::verify::worker::queue_for_new_interpreters(&app.state.db, &pythons[..pythons.len() - 1])
        .await
        .unwrap();
    assert_eq!(
        pykb::db::verification::queue_length(&app.state.db)
            .await
            .unwrap(),
        published
    );
}

#[tokio::test]
async fn the_public_page_marks_each_example_with_its_verification() {
    let Some(pythons) = interpreters() else {
        return;
    };
    let app = crate::helpers::TestApp::new().await;
    without_the_seed_queue(&app).await;
    save_examples(&app, "sums-shown").await;
    let page = app.get("/q/sums-shown").await.html();
    assert_eq!(
        crate::helpers::attrs(&page, "[data-example]", "data-verify"),
        ["pending", "pending"]
    );
    assert!(crate::helpers::texts(&page, ".verify-pending").len() == 2);

    let verifier = app.state.verifier.clone();
    pykb::verify::worker::drain(&app.state.db, &app.state.page_cache, &verifier)
        .await
        .unwrap();
    let page = app.get("/q/sums-shown").await.html();
    assert_eq!(
        crate::helpers::attrs(&page, "[data-example]", "data-verify"),
        ["ok", "fails"]
    );
    let versions: Vec<String> = pythons.iter().map(|p| p.version.to_string()).collect();
    assert_eq!(
        crate::helpers::attrs(&page, "[data-example]", "data-python"),
        [versions.join(" "), versions.join(" ")]
    );
    let ok = crate::helpers::texts(&page, ".verify-ok").join(" ");
    assert!(ok.contains("Verified on CPython"), "{ok}");
    let failing = crate::helpers::texts(&page, ".verify-fails summary").join(" ");
    assert!(failing.contains("Prints something else"), "{failing}");
    let printed = crate::helpers::texts(&page, ".verify-fails pre");
    assert_eq!(printed.len(), pythons.len(), "what each Python printed");
    assert!(printed.iter().all(|t| t.trim() == "2"), "{printed:?}");
}

#[tokio::test]
async fn pykb_import_queues_what_it_writes() {
    let app = crate::helpers::TestApp::new().await;
    without_the_seed_queue(&app).await;
    let dir = app.stop().await;
    let (_, text) = pykb::content::seed_files()
        .iter()
        .find(|(name, _)| *name == "what-is-python-used-for.md")
        .unwrap();
    let incoming = tempfile::tempdir().unwrap();
    let text = text.replace(
        "slug = \"what-is-python-used-for\"",
        "slug = \"imported-and-queued\"",
    );
    assert!(text.contains("imported-and-queued"));
    std::fs::write(incoming.path().join("imported-and-queued.md"), text).unwrap();
    let output = crate::helpers::pykb(
        dir.path(),
        &["import", incoming.path().to_str().unwrap()],
        "",
    );
    assert!(
        output.status.success(),
        "{}",
        crate::helpers::output_text(&output)
    );
    let app = crate::helpers::TestApp::open(dir).await;
    let mut conn = app.state.db.acquire().await.unwrap();
    let (id, _) = pykb::db::articles::id_and_version(&mut conn, "imported-and-queued")
        .await
        .unwrap()
        .unwrap();
    let queued = crate::helpers::sql_i64(
        &app.state.db,
        &format!("SELECT count(*) FROM verify_queue WHERE article_id = {id}"),
    )
    .await;
    assert_eq!(queued, 1);
}
