//! `TestApp`: the real application over a temporary data directory.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use pykb::db::store::{Backend, Split};
use pykb::db::{Conn, Db};
use pykb::domain::ArticleDraft;
use pykb::editing::Saved;
use pykb::{AppState, Config, app};
use scraper::{Html, Selector};
use tempfile::TempDir;
use tower::ServiceExt;

pub const BASE_URL: &str = "http://pykb.test";
/// The first admin's password in every test app (user `admin`).
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    /// Kept so the directory lives as long as the app; `reopen` starts over the same one.
    pub dir: TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestApp {
    /// A fresh data directory, migrated and seeded as on a first start.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        Self::open(dir).await
    }

    /// A fresh app whose configuration `change` adjusts first.
    pub async fn with_config(change: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        Self::open_with(dir, change).await
    }

    /// Starts over an existing data directory (after the caller stopped the previous app).
    pub async fn open(dir: TempDir) -> Self {
        Self::open_with(dir, |_| {}).await
    }

    /// Stops this instance and hands back its data directory (for the operator commands,
    /// which want the server stopped).
    pub async fn stop(self) -> TempDir {
        let TestApp { state, router, dir } = self;
        state.db.close().await;
        drop(router);
        drop(state);
        dir
    }

    async fn open_with(dir: TempDir, change: impl FnOnce(&mut Config)) -> Self {
        let mut config = Config::local(dir.path().to_path_buf(), BASE_URL);
        if let Some(url) = postgres_database(dir.path()) {
            config.database = pykb::config::Database::Postgres(url);
        }
        config.admin_password = Some(ADMIN_PASSWORD.to_owned());
        change(&mut config);
        let state = AppState::open(config).await.expect("the app starts");
        state.search.wait_ready().await;
        let router = app(state.clone());
        Self { state, router, dir }
    }

    /// Stops this instance and starts a new one over the same data directory: a restart.
    pub async fn restart(self) -> Self {
        let dir = self.stop().await;
        Self::open(dir).await
    }

    /// Saves an article the way the admin form does (one transaction, then the index catches
    /// up), as the bootstrap admin; `id` None creates. Returns the article's id.
    pub async fn save(&self, id: Option<i64>, version: i64, draft: &ArticleDraft) -> i64 {
        let admin = pykb::db::users::by_name(&mut self.state.db.acquire().await.unwrap(), "admin")
            .await
            .unwrap()
            .expect("the bootstrap admin exists");
        match pykb::editing::save(
            self.state.stores(),
            id,
            version,
            draft,
            admin.id,
            pykb::editing::NewTopics::Allowed,
            "",
        )
        .await
        .expect("the save runs")
        {
            Saved::Done { id } => id,
            other => panic!("the save was refused: {other:?}"),
        }
    }

    /// The id and version of the article with this slug (which must exist).
    pub async fn id_and_version(&self, slug: &str) -> (i64, i64) {
        let mut conn = self.state.db.acquire().await.unwrap();
        pykb::db::articles::id_and_version(&mut conn, slug)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no article {slug}"))
    }

    /// The slugs `/api/search` finds for `q`, best first.
    pub async fn search_slugs(&self, q: &str) -> Vec<String> {
        let response = self
            .get(&format!("/api/search?q={}", pykb::routes::encode_query(q)))
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        response.json()["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(|hit| hit["slug"].as_str().map(str::to_owned))
            .collect()
    }

    /// Names of the index directories moved aside as unusable.
    pub fn broken_indexes(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| name.starts_with("index.broken"))
            .collect()
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a complete body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

impl TestResponse {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// The body as JSON (a test failure, naming the body, when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// Text of every element matching `selector`, whitespace-trimmed.
pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("a valid selector");
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// Value of `attribute` on every element matching `selector`.
pub fn attrs(html: &Html, selector: &str, attribute: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("a valid selector");
    html.select(&selector)
        .filter_map(|e| e.value().attr(attribute))
        .map(str::to_owned)
        .collect()
}

/// The seed entry with this slug, as its file in `content/` says it.
pub fn seed_draft(slug: &str) -> ArticleDraft {
    let file = format!("{slug}.md");
    let (name, text) = pykb::content::seed_files()
        .iter()
        .find(|(name, _)| *name == file)
        .unwrap_or_else(|| panic!("no seed file {file}"));
    pykb::content::parse_document(name, text).expect("seed parses")
}

/// The seed files as (slug, title), from the embedded content.
/// How many entries the seed content has (every one published).
pub fn seed_count() -> usize {
    pykb::content::seed_files().len()
}

pub fn seed_entries() -> Vec<(String, String)> {
    pykb::content::seed_files()
        .iter()
        .map(|(name, text)| {
            let draft = pykb::content::parse_document(name, text).expect("seed parses");
            (draft.slug.to_string(), draft.title)
        })
        .collect()
}

/// Whether a test that needs an outside tool should fail (in CI) or skip loudly (elsewhere).
pub fn require_tool(tool: &str, found: bool) -> bool {
    if found {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{tool} is required under CI=true but was not found; .ci/run installs it");
    }
    eprintln!(
        "\n*** SKIPPED: {tool} not found; install it to run this test (CI fails without it) ***\n"
    );
    false
}

/// A browser's view of the admin: the cookies it holds, the CSRF token of its last form, and
/// the address it connects from (what the server sees as the socket peer).
pub struct Client<'a> {
    pub app: &'a TestApp,
    pub cookies: Vec<(String, String)>,
    pub csrf: String,
    pub addr: SocketAddr,
    /// An `X-Forwarded-For` header to send, as a reverse proxy would.
    pub forwarded_for: Option<String>,
}

impl<'a> Client<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self::from_addr(app, "192.0.2.10:50000")
    }

    pub fn from_addr(app: &'a TestApp, addr: &str) -> Self {
        Self {
            app,
            cookies: Vec::new(),
            csrf: String::new(),
            addr: addr.parse().expect("a socket address"),
            forwarded_for: None,
        }
    }

    /// Signs in as the bootstrap admin.
    pub async fn signed_in(app: &'a TestApp) -> Self {
        Self::signed_in_as(app, "admin", ADMIN_PASSWORD).await
    }

    pub async fn signed_in_as(app: &'a TestApp, username: &str, password: &str) -> Self {
        let mut client = Self::new(app);
        let response = client.sign_in(username, password).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        client
    }

    pub async fn sign_in(&mut self, username: &str, password: &str) -> TestResponse {
        self.get("/admin/login").await;
        self.post(
            "/admin/login",
            &[("username", username), ("password", password)],
        )
        .await
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, mut request: Request<Body>) -> TestResponse {
        request.extensions_mut().insert(ConnectInfo(self.addr));
        if let Some(hop) = &self.forwarded_for {
            request
                .headers_mut()
                .insert("x-forwarded-for", hop.parse().unwrap());
        }
        let response = self.app.request(request).await;
        for value in response.headers.get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !attributes.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        let html = response.html();
        if let Some(token) = attrs(&html, "input[name=csrf_token]", "value").first() {
            self.csrf = token.clone();
        }
        response
    }

    pub async fn get(&mut self, uri: &str) -> TestResponse {
        let request = Request::get(uri)
            .header("cookie", self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// Posts a form as the browser would: with the CSRF token of the last page it got, unless
    /// `fields` bring their own `csrf_token` (a forged or stale one, to see it refused).
    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let own_token = fields.iter().any(|(k, _)| *k == "csrf_token");
        let token = [("csrf_token", self.csrf.as_str())];
        let added = if own_token { &token[..0] } else { &token[..] };
        let body = fields
            .iter()
            .chain(added)
            .map(|(k, v)| format!("{k}={}", pykb::routes::encode_query(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(uri)
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }
}

/// The fields of the article form for a new published question, as the editor fills them.
pub fn article_form<'a>(title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("slug", ""),
        ("summary", "A summary."),
        ("tags", "Memory, basics"),
        ("related", ""),
        ("kind", "question"),
        ("difficulty", "beginner"),
        ("status", "published"),
        ("body", body),
        ("version", "0"),
    ]
}

/// Whether this run of the suite is its PostgreSQL half (`tests/app/postgres.rs` starts it).
pub fn on_postgres() -> bool {
    std::env::var("PYKB_TEST_BACKEND").as_deref() == Ok("postgres")
}

/// Prefix of the databases the PostgreSQL half creates, one per data directory: this process's
/// id, so the run that started it drops them all afterwards.
pub fn postgres_database_prefix(pid: u32) -> String {
    format!("pykb_test_{pid}_")
}

/// In the PostgreSQL half, the URL of the database that belongs to the data directory `dir`:
/// created on the server of `PYKB_TEST_POSTGRES_URL` for a new directory, the same one again
/// for a restart or a `pykb` command on it (its URL is kept in the directory). `None` in the
/// SQLite half.
pub fn postgres_database(dir: &std::path::Path) -> Option<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static CREATED: AtomicUsize = AtomicUsize::new(0);
    if !on_postgres() {
        return None;
    }
    let marker = dir.join("postgres-database-url");
    if let Ok(url) = std::fs::read_to_string(&marker) {
        return Some(url);
    }
    let server = std::env::var("PYKB_TEST_POSTGRES_URL").expect("PYKB_TEST_POSTGRES_URL is set");
    let name = format!(
        "{}{}",
        postgres_database_prefix(std::process::id()),
        CREATED.fetch_add(1, Ordering::Relaxed)
    );
    let url = with_database(&server, &name);
    // Its own runtime on its own thread: callers are async tests and plain functions alike.
    let create = server.clone();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(async {
                use sqlx::Connection as _;
                let mut conn = sqlx::PgConnection::connect(&create)
                    .await
                    .expect("PYKB_TEST_POSTGRES_URL accepts connections");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                    .execute(&mut conn)
                    .await
                    .expect("a test database is created");
            })
    })
    .join()
    .expect("the test database is created");
    std::fs::create_dir_all(dir).expect("the data directory is made");
    std::fs::write(&marker, &url).expect("the database's URL is kept");
    Some(url)
}

/// `url` (a PostgreSQL URL) naming the database `name` instead of its own.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority..].find('/') {
        Some(slash) => &base[..authority + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

/// The database of the data directory `dir` (made by a `pykb` command run on it), opened.
pub async fn open_database(dir: &std::path::Path) -> Db {
    let database = match postgres_database(dir) {
        Some(url) => pykb::config::Database::Postgres(url),
        None => pykb::config::Database::Sqlite(dir.join(pykb::db::DATABASE_FILE)),
    };
    Db::connect(&database, pykb::db::BUSY_TIMEOUT)
        .await
        .expect("the database opens")
}

/// The environment a `pykb` process on the data directory `dir` needs besides
/// `PYKB_DATA_DIR`: its database, in the PostgreSQL half.
pub fn database_env(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    postgres_database(dir)
        .map(|url| vec![("PYKB_DATABASE_URL", url)])
        .unwrap_or_default()
}

/// Runs the real `pykb` binary with `args` on the data directory `dir`, `stdin` piped in.
pub fn pykb(dir: &std::path::Path, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_pykb"))
        .args(args)
        .env("PYKB_DATA_DIR", dir)
        .envs(database_env(dir))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the pykb binary runs");
    child
        .stdin
        .take()
        .expect("a stdin pipe")
        .write_all(stdin.as_bytes())
        .expect("stdin is written");
    child.wait_with_output().expect("pykb finishes")
}

/// stdout and stderr of a command, for assertions and their messages.
pub fn output_text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The real `pykb` server on a free loopback port over a data directory; killed (SIGKILL) when
/// dropped.
pub struct RunningServer {
    child: std::process::Child,
    pub base: String,
}

impl RunningServer {
    pub async fn start(dir: &std::path::Path) -> RunningServer {
        Self::start_logging(dir, None).await
    }

    /// The same, with the server's log (at level info) written to `log` when given.
    pub async fn start_logging(
        dir: &std::path::Path,
        log: Option<&std::path::Path>,
    ) -> RunningServer {
        Self::start_with(dir, log, &[]).await
    }

    /// The same, with settings of its own (`env` overrides the defaults set here).
    pub async fn start_with(
        dir: &std::path::Path,
        log: Option<&std::path::Path>,
        env: &[(&str, &str)],
    ) -> RunningServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // The log goes to standard output.
        let stdout = match log {
            Some(path) => {
                std::process::Stdio::from(std::fs::File::create(path).expect("a log file"))
            }
            None => std::process::Stdio::null(),
        };
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_pykb"))
            .env("PYKB_DATA_DIR", dir)
            .envs(database_env(dir))
            .env("PYKB_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", if log.is_some() { "info" } else { "warn" })
            // Tests of verification drive it in process (tests/app/verify.rs); a server per
            // test running every seed example on every Python would load the whole suite.
            .env("PYKB_VERIFY", "0")
            .envs(env.iter().copied())
            .stdout(stdout)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the pykb binary starts");
        let server = RunningServer {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = std::time::Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "the server did not start"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        server
    }
}

/// Sends `request` as raw bytes to `addr` and reads what comes back until the server closes
/// the connection or `wait` passes (then returns what it has).
pub async fn raw_http(addr: &str, request: &[u8], wait: std::time::Duration) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("the server accepts");
    stream
        .write_all(request)
        .await
        .expect("the request is sent");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(wait, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends a request straight to a router; returns the response head and the raw body bytes
/// (for compressed bodies, which are not text).
pub trait OneshotBytes {
    async fn oneshot_bytes(self, request: Request<Body>) -> (axum::http::response::Parts, Vec<u8>);
}

impl OneshotBytes for Router {
    async fn oneshot_bytes(self, request: Request<Body>) -> (axum::http::response::Parts, Vec<u8>) {
        let response = self.oneshot(request).await.expect("the router answers");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("a complete body").to_bytes();
        (parts, bytes.to_vec())
    }
}

/// The CPython interpreters of this machine (3.9 and later), or None: skipped loudly, and a
/// failure under CI.
pub fn interpreters() -> Option<Vec<pykb::verify::interpreters::Interpreter>> {
    use pykb::verify::interpreters::{Places, discover};
    let found = discover(&Places::from_env());
    require_tool("python3 (3.9 or later)", !found.is_empty()).then_some(found)
}

/// Empties the verification queue the seed import filled (every seed article on every Python
/// would take a test half a minute; `content.rs` checks them), so a drain runs only what the
/// test saves.
pub async fn without_the_seed_queue(app: &TestApp) {
    sql_execute(&app.state.db, "DELETE FROM verify_queue").await;
}

/// The SQLite pool, for tests about the SQLite file itself (not run on PostgreSQL:
/// `postgres.rs`).
pub fn sqlite_pool(db: &Db) -> &sqlx::SqlitePool {
    match Backend::split(db) {
        Split::Sqlite(pool) => pool,
        Split::Postgres(_) => panic!("a test about the SQLite file ran on PostgreSQL"),
    }
}

/// The SQLite connection, likewise.
pub fn sqlite_conn(conn: &mut Conn) -> &mut sqlx::SqliteConnection {
    match Backend::split(conn) {
        Split::Sqlite(conn) => conn,
        Split::Postgres(_) => panic!("a test about the SQLite file ran on PostgreSQL"),
    }
}

/// Runs a statement a test needs that the application has no function for, on whichever
/// backend the app runs (plain SQL both understand, values written in); rows changed.
pub async fn sql_execute(db: &Db, sql: &str) -> u64 {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match Backend::split(db) {
        Split::Sqlite(pool) => sqlx::query(sql)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
        Split::Postgres(pool) => sqlx::query(sql)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
    }
    .unwrap_or_else(|err| panic!("{err}"))
}

/// The one integer a test's query returns, on either backend.
pub async fn sql_i64(db: &Db, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match Backend::split(db) {
        Split::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Split::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .unwrap_or_else(|err| panic!("{err}"))
}

/// The texts of a test's query's first column, on either backend.
pub async fn sql_strings(db: &Db, sql: &str) -> Vec<String> {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match Backend::split(db) {
        Split::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        Split::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .unwrap_or_else(|err| panic!("{err}"))
}

/// The column names of a table, on either backend.
pub async fn table_columns(db: &Db, table: &str) -> Vec<String> {
    let sql = match Backend::split(db) {
        Split::Sqlite(_) => format!("SELECT name FROM pragma_table_info('{table}')"),
        Split::Postgres(_) => format!(
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_name = '{table}' AND table_schema = current_schema()"
        ),
    };
    sql_strings(db, &sql).await
}

/// A plain HTTP client for tests against real `pykb` processes.
pub type Http = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    http_body_util::Full<axum::body::Bytes>,
>;

pub fn http_client() -> Http {
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http()
}

/// An answer from a real server.
pub struct Answer {
    pub status: u16,
    pub location: String,
    pub cookies: Vec<String>,
    pub body: String,
}

pub async fn send(
    http: &Http,
    method: &str,
    url: &str,
    cookies: &str,
    form: Option<&[(&str, &str)]>,
) -> Result<Answer, String> {
    let body = form
        .map(|fields| {
            fields
                .iter()
                .map(|(k, v)| format!("{k}={}", pykb::routes::encode_query(v)))
                .collect::<Vec<_>>()
                .join("&")
        })
        .unwrap_or_default();
    let request = hyper::Request::builder()
        .method(method)
        .uri(url)
        .header("cookie", cookies)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(http_body_util::Full::new(axum::body::Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let response = http.request(request).await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let location = header("location").concat();
    let cookies = header("set-cookie");
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(Answer {
        status,
        location,
        cookies,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

pub fn cookie_pairs(set_cookies: &[String]) -> Vec<String> {
    set_cookies
        .iter()
        .filter(|c| !c.contains("Max-Age=0"))
        .filter_map(|c| c.split(';').next())
        .map(str::to_owned)
        .collect()
}

/// Signs in as the first admin over real HTTP; returns the cookie header and the session's CSRF token.
pub async fn sign_in(http: &Http, base: &str) -> (String, String) {
    let form = send(http, "GET", &format!("{base}/admin/login"), "", None)
        .await
        .unwrap();
    let visitor = cookie_pairs(&form.cookies).join("; ");
    let token = attrs(
        &scraper::Html::parse_document(&form.body),
        "input[name=csrf_token]",
        "value",
    )
    .remove(0);
    let fields = [
        ("username", "admin"),
        ("password", ADMIN_PASSWORD),
        ("csrf_token", token.as_str()),
    ];
    let done = send(
        http,
        "POST",
        &format!("{base}/admin/login"),
        &visitor,
        Some(&fields),
    )
    .await
    .unwrap();
    assert_eq!(done.status, 303, "{}", done.body);
    let session = cookie_pairs(&done.cookies)
        .into_iter()
        .find(|c| c.starts_with("pykb_session="))
        .expect("a session cookie");
    let page = send(
        http,
        "GET",
        &format!("{base}/admin/articles/new"),
        &session,
        None,
    )
    .await
    .unwrap();
    let token = attrs(
        &scraper::Html::parse_document(&page.body),
        "input[name=csrf_token]",
        "value",
    )
    .remove(0);
    (session, token)
}
