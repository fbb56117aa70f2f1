//! Search benchmark: query latency of the tantivy index against plain SQLite FTS5 (bm25) over
//! the same documents, in the same run, plus index build times.
//!
//! Two corpora: the seed content (62 pages) and the Python 3.11 documentation as Debian's
//! `python3.11-doc` ships it (reStructuredText sources split into one document per section and
//! per API entry: well over 10,000 documents). Run it with `benches/search.sh`, which installs
//! that package, or directly:
//!
//!     cargo bench --bench search -- [--docs DIR] [--rounds N]
//!
//! Both engines answer every query of `tests/app/relevance.txt` (and, on the documentation,
//! a set of API lookups) `rounds` times; the report gives p50 and p99 per engine and their
//! ratio. pykb's figure includes everything a request pays for: the bounded queue, the
//! blocking-thread hop, facet counts and snippets.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use pykb::db::{self, articles, baseline};
use pykb::domain::{ArticleDraft, Difficulty, Kind, Slug, Status};
use pykb::search::SearchRequest;
use pykb::{AppState, Config};

const DEFAULT_DOCS: &str = "/usr/share/doc/python3.11/html/_sources";

/// Lookups a reader of the library reference would type.
const DOC_QUERIES: &[&str] = &[
    "re.split",
    "os.path.join",
    "json.dumps indent",
    "asyncio.gather",
    "subprocess run capture output",
    "dataclass frozen",
    "functools lru_cache",
    "contextlib contextmanager",
    "itertools groupby",
    "collections defaultdict",
    "threading Lock",
    "__init_subclass__",
    "sys.getrefcount",
    "gc.collect",
    "weakref finalize",
    "pathlib glob",
    "datetime timezone utc",
    "logging basicConfig",
    "unittest mock patch",
    "typing Protocol",
    "\"context manager\"",
    "decimal rounding",
    "sqlite3 connect",
    "argparse subparsers",
    "multiprocessing Pool map",
    "enum auto",
    "zipfile extract",
    "heapq nlargest",
    "string format specification",
    "garbage colector",
];

fn main() -> anyhow::Result<()> {
    let mut docs = PathBuf::from(DEFAULT_DOCS);
    let mut rounds = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--docs" => docs = args.next().context("--docs needs a directory")?.into(),
            "--rounds" => {
                rounds = args
                    .next()
                    .context("--rounds needs a number")?
                    .parse()
                    .context("--rounds needs a number")?
            }
            // cargo bench passes --bench; anything else is a mistake worth reporting.
            "--bench" => {}
            other => bail!("unknown argument {other:?}; usage: search [--docs DIR] [--rounds N]"),
        }
    }
    // Quiet by default: the tantivy and sqlx logs would drown the report.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(&docs, rounds))
}

async fn run(docs: &Path, rounds: usize) -> anyhow::Result<()> {
    let relevance: Vec<String> = include_str!("../tests/app/relevance.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.rsplit_once('|').map(|(q, _)| q.trim().to_owned()))
        .collect();

    println!("# pykb search benchmark ({rounds} rounds per query)\n");
    let seed = Corpus::open().await?;
    seed.report("seed corpus", &relevance, rounds).await?;

    if !docs.is_dir() {
        bail!(
            "{} not found: install Debian's python3.11-doc (benches/search.sh does), \
             or pass --docs DIR with reStructuredText sources",
            docs.display()
        );
    }
    let corpus = Corpus::open().await?;
    let sections = read_rst_tree(docs)?;
    eprintln!(
        "loading {} documentation sections into the database…",
        sections.len()
    );
    corpus.load(&sections).await?;
    let mut queries = relevance.clone();
    queries.extend(DOC_QUERIES.iter().map(|q| (*q).to_owned()));
    corpus
        .report("Python 3.11 documentation + seed", &queries, rounds)
        .await?;
    Ok(())
}

/// A data directory with the app open on it, and an FTS5 baseline beside it.
struct Corpus {
    state: AppState,
    scratch: sqlx::SqlitePool,
    _dir: tempfile::TempDir,
}

impl Corpus {
    async fn open() -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut config = Config::local(dir.path().to_path_buf(), "http://bench.invalid");
        // Rounds repeat every query: the bench times the index, not the memo in front of it.
        config.search_cache = false;
        let state = AppState::open(config).await?;
        state.search.wait_ready().await;
        state.search.health().map_err(anyhow::Error::msg)?;
        let scratch = sqlx::SqlitePool::connect(&format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("baseline.sqlite").display()
        ))
        .await?;
        Ok(Corpus {
            state,
            scratch,
            _dir: dir,
        })
    }

    /// Inserts the sections as published articles in one transaction.
    async fn load(&self, sections: &[Section]) -> anyhow::Result<()> {
        let started = Instant::now();
        let mut tx = self.state.db.begin().await?;
        for (n, section) in sections.iter().enumerate() {
            let draft = ArticleDraft {
                slug: Slug::parse(&format!("doc-{n}"))?,
                title: section.title.clone(),
                summary: String::new(),
                body: section.body.clone(),
                kind: Kind::Article,
                difficulty: Difficulty::Intermediate,
                status: Status::Published,
                tags: Vec::new(),
                related: Vec::new(),
                python: Default::default(),
            };
            // The index reads the Markdown, not the rendered HTML, which the bench never serves.
            let unrendered = pykb::render::RenderedBody {
                html: String::new(),
                headings: "[]".to_owned(),
                answer_json: "\"\"".to_owned(),
                links: "[]".to_owned(),
            };
            articles::insert(&mut tx, &draft, &unrendered, db::now(), None).await?;
            if n % 2000 == 0 {
                eprintln!("  {n}/{}", sections.len());
            }
        }
        tx.commit().await?;
        eprintln!("  loaded in {:.1} s", started.elapsed().as_secs_f64());
        Ok(())
    }

    async fn report(&self, name: &str, queries: &[String], rounds: usize) -> anyhow::Result<()> {
        let db = &self.state.db;
        let started = Instant::now();
        let documents = self.state.search.rebuild(db).await?;
        let tantivy_build = started.elapsed();
        let started = Instant::now();
        baseline::build(&self.scratch, db).await?;
        let fts_build = started.elapsed();

        let mut ours = Vec::with_capacity(queries.len() * rounds);
        let mut theirs = Vec::with_capacity(queries.len() * rounds);
        let mut zero_hits = 0;
        for round in 0..rounds {
            for query in queries {
                let request = SearchRequest {
                    query: query.clone(),
                    limit: 10,
                    correct: true,
                    ..SearchRequest::default()
                };
                let started = Instant::now();
                let results = self.state.search.search(request).await?;
                ours.push(started.elapsed());
                if round == 0 && results.total == 0 {
                    zero_hits += 1;
                }
                let started = Instant::now();
                baseline::search(&self.scratch, query, 10).await?;
                theirs.push(started.elapsed());
            }
        }
        // Results as you type: every query typed out two characters at a time, as the
        // header's box asks /api/suggest (eight results, the last word as a prefix).
        let mut typing = Vec::new();
        for _ in 0..rounds {
            for query in queries {
                let chars: Vec<char> = query.chars().collect();
                for end in (2..=chars.len()).step_by(2) {
                    let request = SearchRequest {
                        query: chars[..end].iter().collect(),
                        limit: 8,
                        correct: true,
                        as_you_type: true,
                        ..SearchRequest::default()
                    };
                    let started = Instant::now();
                    self.state.search.search(request).await?;
                    typing.push(started.elapsed());
                }
            }
        }
        let (p50, p99) = percentiles(&mut ours);
        let (f50, f99) = percentiles(&mut theirs);
        let (t50, t99) = percentiles(&mut typing);
        println!(
            "## {name}: {documents} documents, {} queries",
            queries.len()
        );
        println!(
            "index build: tantivy {:.2} s, FTS5 {:.2} s",
            tantivy_build.as_secs_f64(),
            fts_build.as_secs_f64()
        );
        println!("| engine | p50 | p99 |\n|---|---|---|");
        println!("| pykb (tantivy) | {} | {} |", ms(p50), ms(p99));
        println!("| SQLite FTS5 bm25 | {} | {} |", ms(f50), ms(f99));
        println!(
            "| pykb as you type ({} prefixes) | {} | {} |",
            typing.len() / rounds.max(1),
            ms(t50),
            ms(t99)
        );
        println!(
            "ratio FTS5/pykb: p50 {:.2}×, p99 {:.2}×; queries pykb found nothing for: {zero_hits}\n",
            f50.as_secs_f64() / p50.as_secs_f64(),
            f99.as_secs_f64() / p99.as_secs_f64()
        );
        Ok(())
    }
}

fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.50), at(0.99))
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// One searchable unit of the documentation: a titled section or one API entry.
struct Section {
    title: String,
    body: String,
}

fn read_rst_tree(root: &Path) -> anyhow::Result<Vec<Section>> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".rst.txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut sections = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        split_rst(&text, &mut sections);
    }
    Ok(sections)
}

const API_DIRECTIVES: &[&str] = &[
    "function",
    "method",
    "class",
    "attribute",
    "data",
    "exception",
    "decorator",
    "classmethod",
    "staticmethod",
    "module",
    "opcode",
    "envvar",
    "option",
    "cmdoption",
    "describe",
];

/// Splits reStructuredText at headings (a text line underlined with punctuation) and at API
/// directives (`.. function:: re.split(...)`), one section each.
fn split_rst(text: &str, out: &mut Vec<Section>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut current: Option<Section> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let next = lines.get(i + 1).copied().unwrap_or("");
        let heading = !line.trim().is_empty()
            && !line.starts_with(' ')
            && !is_adornment(line)
            && is_adornment(next)
            && next.trim().len() >= line.trim().len();
        let directive = line
            .trim_start()
            .strip_prefix(".. ")
            .and_then(|rest| rest.split_once("::"))
            .filter(|(name, _)| API_DIRECTIVES.contains(&name.trim_start_matches("py:")));
        if heading || directive.is_some() {
            flush(&mut current, out);
            let title = match directive {
                Some((name, signature)) if name.ends_with("module") => {
                    format!("module {}", signature.trim())
                }
                Some((_, signature)) => signature.trim().to_owned(),
                None => line.trim().to_owned(),
            };
            current = Some(Section {
                title,
                body: String::new(),
            });
            i += if heading { 2 } else { 1 };
            continue;
        }
        if !is_adornment(line)
            && let Some(section) = current.as_mut()
        {
            section.body.push_str(line);
            section.body.push('\n');
        }
        i += 1;
    }
    flush(&mut current, out);
}

fn is_adornment(line: &str) -> bool {
    let line = line.trim_end();
    let mut chars = line.chars();
    match chars.next() {
        Some(first) if "=-~^*#\"'`+:.".contains(first) => {
            line.len() >= 3 && chars.all(|c| c == first)
        }
        _ => false,
    }
}

/// Keeps a section that says something, its body dedented so Markdown does not read every
/// indented paragraph as code.
fn flush(current: &mut Option<Section>, out: &mut Vec<Section>) {
    let Some(section) = current.take() else {
        return;
    };
    let indent = section
        .body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let body: String = section
        .body
        .lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n");
    if section.title.is_empty() || body.trim().len() < 20 {
        return;
    }
    let mut title = section.title;
    title.truncate(title.floor_char_boundary(200));
    out.push(Section {
        title,
        body: body.trim().to_owned(),
    });
}
