//! Several pykb nodes serving one site from one PostgreSQL database: real processes, real
//! HTTP, each node with its own data directory (search index, page cache in memory). Runs in
//! the PostgreSQL half of the suite (`postgres.rs`); the SQLite half has one node by design.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::helpers::{
    ADMIN_PASSWORD, Http, RunningServer, http_client, on_postgres, postgres_database, send, sign_in,
};

/// How long a change may take to reach another node: the bound is one second; the
/// deadline is generous for a loaded test machine, and the time taken is printed.
const DEADLINE: Duration = Duration::from_secs(10);

/// A data directory for a second node on the same database as `first`.
fn beside(first: &Path) -> tempfile::TempDir {
    let url = postgres_database(first).expect("the first node's database");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("postgres-database-url"), url).unwrap();
    dir
}

/// Posts the article form for a new article to the node at `base`.
async fn create(
    http: &Http,
    base: &str,
    cookies: &str,
    fields: &[(&str, &str)],
) -> Result<crate::helpers::Answer, String> {
    send(
        http,
        "POST",
        &format!("{base}/admin/articles"),
        cookies,
        Some(fields),
    )
    .await
}

/// The first node on a new database: it creates the first admin.
async fn first_node(dir: &Path) -> RunningServer {
    RunningServer::start_with(dir, None, &[("PYKB_ADMIN_PASSWORD", ADMIN_PASSWORD)]).await
}

async fn healthy(http: &Http, base: &str) {
    let started = Instant::now();
    loop {
        let answer = send(http, "GET", &format!("{base}/healthz"), "", None).await;
        if matches!(&answer, Ok(a) if a.status == 200) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{base} never became healthy: {:?}",
            answer.map(|a| a.body)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls `url` until `done` says yes about its status and body; returns how long it took.
async fn until(http: &Http, url: &str, what: &str, done: impl Fn(u16, &str) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        if let Ok(answer) = send(http, "GET", url, "", None).await
            && done(answer.status, &answer.body)
        {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < DEADLINE,
            "{what}: not within {DEADLINE:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_on_one_node_reaches_the_pages_and_search_of_the_other() {
    if !on_postgres() {
        eprintln!("several nodes need PostgreSQL: this test runs in the PostgreSQL half");
        return;
    }
    let a_dir = tempfile::tempdir().unwrap();
    let b_dir = beside(a_dir.path());
    let a = first_node(a_dir.path()).await;
    let b = RunningServer::start(b_dir.path()).await;
    let http = http_client();
    healthy(&http, &a.base).await;
    healthy(&http, &b.base).await;

    // B serves (and caches) the home page and a topic page before the change.
    let topic = format!("{}/tags/oop", b.base);
    let before = send(&http, "GET", &topic, "", None).await.unwrap();
    assert_eq!(before.status, 200);
    assert!(!before.body.contains("Nodes share one database"));

    // A new article, saved through A.
    let (cookies, csrf) = sign_in(&http, &a.base).await;
    let fields = [
        ("title", "Nodes share one database"),
        ("slug", "nodes-share-one-database"),
        ("summary", "Written on one node, read on another."),
        ("tags", "oop"),
        ("kind", "question"),
        ("difficulty", "beginner"),
        ("status", "published"),
        ("body", "The word quetzalcoatlus is in no other answer.\n"),
        ("version", "0"),
        ("csrf_token", csrf.as_str()),
    ];
    let saved = create(&http, &a.base, &cookies, &fields).await.unwrap();
    assert_eq!(saved.status, 303, "{}", saved.body);
    // The form answers with the article's edit page: /admin/articles/{id}/…
    let id = saved
        .location
        .trim_start_matches("/admin/articles/")
        .split(['/', '?'])
        .next()
        .unwrap_or_default()
        .to_owned();

    let page = until(
        &http,
        &format!("{}/q/nodes-share-one-database", b.base),
        "the new page on B",
        |status, body| status == 200 && body.contains("quetzalcoatlus"),
    )
    .await;
    let found = until(
        &http,
        &format!("{}/api/search?q=quetzalcoatlus", b.base),
        "the new page in B's search",
        |status, body| status == 200 && body.contains("nodes-share-one-database"),
    )
    .await;
    let listed = until(&http, &topic, "B's cached topic page", |status, body| {
        status == 200 && body.contains("Nodes share one database")
    })
    .await;
    eprintln!("on B after a save on A: page {page:?}, search {found:?}, topic list {listed:?}");

    // A rename on A: B answers the old address with a permanent redirect.
    let mut renamed = fields.to_vec();
    for field in &mut renamed {
        match field.0 {
            "slug" => field.1 = "nodes-share-a-database",
            "version" => field.1 = "1",
            _ => {}
        }
    }
    let saved = send(
        &http,
        "POST",
        &format!("{}/admin/articles/{id}", a.base),
        &cookies,
        Some(&renamed),
    )
    .await
    .unwrap();
    assert_eq!(saved.status, 303, "{}", saved.body);
    until(
        &http,
        &format!("{}/q/nodes-share-one-database", b.base),
        "the old address on B",
        |status, _| status == 301,
    )
    .await;
    let moved = send(
        &http,
        "GET",
        &format!("{}/q/nodes-share-one-database", b.base),
        "",
        None,
    )
    .await
    .unwrap();
    assert!(
        moved.location.ends_with("/q/nodes-share-a-database"),
        "{}",
        moved.location
    );
    until(
        &http,
        &format!("{}/api/search?q=quetzalcoatlus", b.base),
        "the new address in B's search",
        |status, body| status == 200 && body.contains("nodes-share-a-database"),
    )
    .await;

    // Each node reports its own lag, and both are caught up.
    for base in [&a.base, &b.base] {
        let health = send(&http, "GET", &format!("{base}/healthz"), "", None)
            .await
            .unwrap();
        let json: serde_json::Value = serde_json::from_str(&health.body).unwrap();
        assert_eq!(json["index_lag"], 0, "{base}: {}", health.body);
    }
    drop(a);
    drop(b);
}

/// A node that joins later builds its index from the database and serves pages meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_added_later_builds_its_index_and_catches_up() {
    if !on_postgres() {
        eprintln!("several nodes need PostgreSQL: this test runs in the PostgreSQL half");
        return;
    }
    let a_dir = tempfile::tempdir().unwrap();
    let a = first_node(a_dir.path()).await;
    let http = http_client();
    healthy(&http, &a.base).await;
    let (cookies, csrf) = sign_in(&http, &a.base).await;
    let fields = [
        ("title", "Written before the second node"),
        ("slug", "written-before-the-second-node"),
        ("tags", "oop"),
        ("kind", "question"),
        ("difficulty", "beginner"),
        ("status", "published"),
        ("body", "The word archaeopteryx marks it.\n"),
        ("version", "0"),
        ("csrf_token", csrf.as_str()),
    ];
    let saved = create(&http, &a.base, &cookies, &fields).await.unwrap();
    assert_eq!(saved.status, 303, "{}", saved.body);

    let b_dir = beside(a_dir.path());
    let b = RunningServer::start(b_dir.path()).await;
    // Pages do not wait for the index.
    let page = send(
        &http,
        "GET",
        &format!("{}/q/written-before-the-second-node", b.base),
        "",
        None,
    )
    .await
    .unwrap();
    assert_eq!(page.status, 200);
    until(
        &http,
        &format!("{}/api/search?q=archaeopteryx", b.base),
        "the earlier article in the new node's search",
        |status, body| status == 200 && body.contains("written-before-the-second-node"),
    )
    .await;
    healthy(&http, &b.base).await;
}

/// A TCP relay between a node and PostgreSQL that the test can cut, as a server restart or a
/// network fault looks from the node: every open connection drops, new ones are refused, until
/// it is restored. (The suite's server itself is shared by tests running beside this one.)
struct Relay {
    port: u16,
    up: std::sync::Arc<std::sync::atomic::AtomicBool>,
    links: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Relay {
    async fn to(upstream: String) -> Relay {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let links = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (is_up, all) = (up.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !is_up.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let upstream = upstream.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                all.lock().unwrap().push(link.abort_handle());
            }
        });
        Relay { port, up, links }
    }

    fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// `url` with its host and port replaced by the relay's, and the host:port it named.
fn through(url: &str, port: u16) -> (String, String) {
    let authority_start = url.find("://").unwrap() + 3;
    let at = url[authority_start..]
        .find('@')
        .map_or(authority_start, |i| authority_start + i + 1);
    let end = url[at..].find('/').map_or(url.len(), |i| at + i);
    let upstream = url[at..end].to_owned();
    let upstream = if upstream.contains(':') {
        upstream
    } else {
        format!("{upstream}:5432")
    };
    (
        format!("{}127.0.0.1:{port}{}", &url[..at], &url[end..]),
        upstream,
    )
}

/// PostgreSQL going away under a reading load: the node answers 503 (a save keeps the text)
/// while it is away and 200 again once it is back, without being restarted, and follows the
/// changes made meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_going_away_gives_503s_then_the_node_recovers_by_itself() {
    if !on_postgres() {
        eprintln!(
            "this test is about a PostgreSQL server going away: it runs in the PostgreSQL half"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let direct = postgres_database(dir.path()).unwrap();
    let relay_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (_, upstream) = through(&direct, relay_port);
    let relay = Relay::to(upstream).await;
    let (relayed, _) = through(&direct, relay.port);
    std::fs::write(dir.path().join("postgres-database-url"), &relayed).unwrap();
    // Every page from the database, so each request needs it.
    let node = RunningServer::start_with(
        dir.path(),
        None,
        &[
            ("PYKB_ADMIN_PASSWORD", ADMIN_PASSWORD),
            ("PYKB_PAGE_CACHE", "0"),
        ],
    )
    .await;
    let http = http_client();
    healthy(&http, &node.base).await;
    let (cookies, csrf) = sign_in(&http, &node.base).await;
    let page = format!("{}/q/releasing-memory-in-python", node.base);
    assert_eq!(
        send(&http, "GET", &page, "", None).await.unwrap().status,
        200
    );

    relay.cut();
    let started = Instant::now();
    let mut statuses = Vec::new();
    while started.elapsed() < Duration::from_secs(3) {
        let answer = send(&http, "GET", &page, "", None).await.unwrap();
        statuses.push(answer.status);
    }
    assert!(statuses.contains(&503), "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 503 || *s == 200),
        "only 503s once the database is gone (a request in flight may finish): {statuses:?}"
    );
    let fields = [
        ("title", "Typed while the database was away"),
        ("slug", "typed-while-the-database-was-away"),
        ("tags", "oop"),
        ("kind", "question"),
        ("difficulty", "beginner"),
        ("status", "published"),
        ("body", "Nothing typed is lost: pterodactylus.\n"),
        ("version", "0"),
        ("csrf_token", csrf.as_str()),
    ];
    let refused = create(&http, &node.base, &cookies, &fields).await.unwrap();
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert!(
        refused.body.contains("pterodactylus"),
        "the text comes back to the editor"
    );

    relay.restore();
    let back = until(
        &http,
        &page,
        "pages after the database is back",
        |status, _| status == 200,
    )
    .await;
    eprintln!("pages served again {back:?} after the database came back");
    let saved = create(&http, &node.base, &cookies, &fields).await.unwrap();
    assert_eq!(saved.status, 303, "{}", saved.body);
    until(
        &http,
        &format!("{}/api/search?q=pterodactylus", node.base),
        "the save after recovery in search",
        |status, body| status == 200 && body.contains("typed-while-the-database-was-away"),
    )
    .await;
    healthy(&http, &node.base).await;
}

/// A node killed (SIGKILL) in the middle of saves loses none it acknowledged: the other node on
/// the same database serves each of them and finds each in its search.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_during_saves_loses_nothing_it_acknowledged() {
    if !on_postgres() {
        eprintln!("several nodes need PostgreSQL: this test runs in the PostgreSQL half");
        return;
    }
    let a_dir = tempfile::tempdir().unwrap();
    let b_dir = beside(a_dir.path());
    let a = first_node(a_dir.path()).await;
    let b = RunningServer::start(b_dir.path()).await;
    let http = http_client();
    healthy(&http, &a.base).await;
    healthy(&http, &b.base).await;
    let (cookies, csrf) = sign_in(&http, &a.base).await;
    let a_base = a.base.clone();
    let killer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(700)).await;
        drop(a); // SIGKILL, whatever it is doing
    });
    let mut acknowledged = Vec::new();
    for n in 0..500 {
        let slug = format!("saved-on-a-killed-node-{n}");
        let body = format!("Save number {n} carries the word killmark{n}.\n");
        let fields = [
            ("title", slug.as_str()),
            ("slug", slug.as_str()),
            ("tags", "oop"),
            ("kind", "question"),
            ("difficulty", "beginner"),
            ("status", "published"),
            ("body", body.as_str()),
            ("version", "0"),
            ("csrf_token", csrf.as_str()),
        ];
        match create(&http, &a_base, &cookies, &fields).await {
            Ok(answer) if answer.status == 303 => acknowledged.push(n),
            Ok(answer) => panic!("save {n} answered {}: {}", answer.status, answer.body),
            // The node is gone: the save in flight may or may not have committed.
            Err(_) => break,
        }
    }
    killer.await.unwrap();
    assert!(
        !acknowledged.is_empty() && acknowledged.len() < 500,
        "saves were acknowledged, then the node died: {}",
        acknowledged.len()
    );
    for n in &acknowledged {
        let page = send(
            &http,
            "GET",
            &format!("{}/q/saved-on-a-killed-node-{n}", b.base),
            "",
            None,
        )
        .await
        .unwrap();
        assert_eq!(page.status, 200, "acknowledged save {n} is on B");
        assert!(page.body.contains(&format!("killmark{n}")));
    }
    let last = acknowledged[acknowledged.len() - 1];
    until(
        &http,
        &format!("{}/api/search?q=killmark{last}", b.base),
        "the last acknowledged save in B's search",
        |status, body| status == 200 && body.contains(&format!("saved-on-a-killed-node-{last}\"")),
    )
    .await;
    eprintln!(
        "{} saves acknowledged before the kill, all on B",
        acknowledged.len()
    );
}
