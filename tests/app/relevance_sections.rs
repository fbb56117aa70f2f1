//! The second relevance set (`relevance_sections.txt`, issue 20): written blind to the ranking
//! from titles and section headings, half page-level, half section-level, split into a part
//! that may be tuned on and a held-out part that never is; and more tuning data, written the
//! same way later: `relevance_extra.txt` (from the page text too) and `relevance_headings.txt`
//! (from titles and headings only, like the held-out part). This measures pykb and a plain
//! FTS5 bm25 baseline on every part and prints MRR, recall@3 and, for section-level queries,
//! how often the result for the right page links to the right section.

use std::collections::HashSet;

use pykb::db;
use pykb::search::SearchRequest;

use crate::helpers::TestApp;
use crate::search::score;

struct Query {
    text: String,
    slug: String,
    section: Option<String>,
    /// `tune`, `extra` (relevance_extra.txt, more tuning data), `headings`
    /// (relevance_headings.txt, more tuning data written like the held-out part) or `held-out`.
    part: &'static str,
}

fn queries() -> Vec<Query> {
    let mut found = parse(include_str!("relevance_sections.txt"), "tune");
    found.extend(parse(include_str!("relevance_extra.txt"), "extra"));
    found.extend(parse(include_str!("relevance_headings.txt"), "headings"));
    found
}

/// The queries of one set file; after a `# held-out` line they are the held-out part.
fn parse(file: &str, part: &'static str) -> Vec<Query> {
    let mut held_out = false;
    let mut found = Vec::new();
    for line in file.lines() {
        if line.trim() == "# held-out" {
            held_out = true;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        // `\#` starts a query that starts with `#` (`#!/usr/bin/env python3`).
        let line = line.strip_prefix('\\').unwrap_or(line);
        let (text, target) = line.rsplit_once(" | ").expect("query | target");
        let (slug, section) = match target.trim().split_once('#') {
            Some((slug, section)) => (slug.to_owned(), Some(section.to_owned())),
            None => (target.trim().to_owned(), None),
        };
        found.push(Query {
            text: text.trim().to_owned(),
            slug,
            section,
            part: if held_out { "held-out" } else { part },
        });
    }
    found
}

/// pykb's top ten for `query` as (slug, the section its link lands on).
async fn ranked(app: &TestApp, query: &str) -> Vec<(String, Option<String>)> {
    let path = format!(
        "/api/search?limit=10&q={}",
        pykb::routes::encode_query(query)
    );
    app.get(&path).await.json()["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            let url = hit["url"].as_str().unwrap_or_default();
            let section = url.split_once('#').map(|(_, s)| s.to_owned());
            (hit["slug"].as_str().unwrap_or_default().to_owned(), section)
        })
        .collect()
}

/// Appends to `path` one line of what decided where the query's result for its page landed
/// (`search::Landing`), with where it should land: data to tune the landing rule on. Tuning
/// queries only.
async fn landing_features(app: &TestApp, q: &Query, path: &std::ffi::OsStr) {
    use std::io::Write;
    let request = SearchRequest {
        query: q.text.clone(),
        limit: 10,
        correct: true,
        ..SearchRequest::default()
    };
    let results = app.state.search.search(request).await.unwrap();
    let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    let rows = db::articles::published_summaries_by_ids(&app.state.db, &ids)
        .await
        .unwrap();
    let Some(hit) = rows
        .iter()
        .zip(&results.hits)
        .find(|(row, _)| row.slug == q.slug)
        .map(|(_, hit)| hit)
    else {
        return;
    };
    let l = &hit.landing;
    let best = hit.sections.first().map(|s| s.anchor.as_str());
    let line = serde_json::json!({
        "query": q.text, "part": q.part, "want": q.section, "best": best,
        "is_title": l.is_title, "title_coverage": l.title_coverage,
        "section_coverage": l.section_coverage, "heading_coverage": l.heading_coverage,
        "intro_share": l.intro_share, "second_share": l.second_share,
        "matching_sections": l.matching_sections, "page_share": l.page_share, "words": l.words,
        "page_asked_coverage": l.page_asked_coverage,
        "section_asked_coverage": l.section_asked_coverage,
    });
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    writeln!(file, "{line}").unwrap();
}

#[tokio::test]
async fn the_sections_set_is_measured_on_both_parts_against_fts5() {
    // Without the verification worker: its results re-render and re-index pages while the
    // queries run, and the deleted documents it leaves count in the index's statistics until
    // segments merge, so which of two close results comes first varied from run to run.
    let app = TestApp::with_config(|c| c.verify = false).await;
    let all = queries();
    assert!(all.len() >= 200, "at least 200 queries");
    assert!(all.iter().any(|q| q.part == "held-out") && all.iter().any(|q| q.part == "tune"));
    let known: HashSet<String> = crate::helpers::seed_entries()
        .into_iter()
        .map(|(slug, _)| slug)
        .collect();
    let scratch = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
    db::baseline::build(&scratch, &app.state.db).await.unwrap();

    let mut report = Vec::new();
    for part in ["tune", "extra", "headings", "held-out"] {
        let held_out = part == "held-out";
        let (mut ours, mut base) = (Vec::new(), Vec::new());
        let count = all.iter().filter(|q| q.part == part).count();
        let (mut sections, mut sections_right) = (0, 0);
        let (mut pages, mut pages_right) = (0, 0);
        for q in all.iter().filter(|q| q.part == part) {
            assert!(known.contains(&q.slug), "unknown slug {}", q.slug);
            let hits = ranked(&app, &q.text).await;
            let landed = hits.iter().find(|(slug, _)| *slug == q.slug);
            if let Some(section) = &q.section {
                sections += 1;
                if landed.is_some_and(|(_, s)| s.as_deref() == Some(section.as_str())) {
                    sections_right += 1;
                }
            } else {
                pages += 1;
                if landed.is_some_and(|(_, s)| s.is_none()) {
                    pages_right += 1;
                }
            }
            // What went wrong on the tuning part, when asked; never the held-out part, which
            // must stay unseen by whoever tunes.
            let right_place = landed.is_some_and(|(_, s)| *s == q.section);
            if !held_out && std::env::var_os("PYKB_RELEVANCE_MISSES").is_some() && !right_place {
                let top: Vec<String> = hits
                    .iter()
                    .take(3)
                    .map(|(slug, s)| format!("{slug}#{}", s.as_deref().unwrap_or("")))
                    .collect();
                eprintln!(
                    "miss: {:?} wants {}#{} got {top:?}",
                    q.text,
                    q.slug,
                    q.section.as_deref().unwrap_or("")
                );
            }
            if !held_out && let Some(path) = std::env::var_os("PYKB_RELEVANCE_FEATURES") {
                landing_features(&app, q, &path).await;
            }
            let slugs = hits.into_iter().map(|(slug, _)| slug).collect();
            ours.push((q.text.clone(), q.slug.clone(), slugs));
            let fts = db::baseline::search(&scratch, &q.text, 10).await.unwrap();
            base.push((q.text.clone(), q.slug.clone(), fts));
        }
        let (ours, base) = (score(&ours), score(&base));
        let accuracy = f64::from(sections_right) / f64::from(sections.max(1));
        let on_pages = f64::from(pages_right) / f64::from(pages.max(1));
        eprintln!(
            "sections sets, {part} ({} queries): pykb MRR {:.3}, recall@3 {:.3}, section accuracy {:.3} ({sections_right}/{sections}), page-level queries landing on the page {:.3} ({pages_right}/{pages}); FTS5 bm25 MRR {:.3}, recall@3 {:.3}",
            count, ours.mrr, ours.recall_at_3, accuracy, on_pages, base.mrr, base.recall_at_3
        );
        report.push((part, ours.mrr, base.mrr, accuracy));
    }
    // What holds on the part nobody tunes on, with sections as results (2026-12-06: MRR 0.969
    // against FTS5's 0.837, recall@3 0.992, section accuracy 0.828). The goal for
    // section accuracy (>= 0.90) is not met yet; these bounds catch a regression.
    let Some(&(_, ours, base, accuracy)) = report.iter().find(|r| r.0 == "held-out") else {
        panic!("no held-out part")
    };
    assert!(
        ours >= base + 0.1,
        "held-out: pykb MRR {ours:.3} vs FTS5 {base:.3}"
    );
    assert!(accuracy >= 0.8, "held-out section accuracy {accuracy:.3}");
}
