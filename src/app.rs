//! The application: the router with its layers, and the server's life cycle. The state every
//! handler shares is in `state`.

use anyhow::Context as _;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::any::Any;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};

use crate::auth::sweep_expired_sessions;
use crate::config::Config;
pub use crate::state::AppState;
use crate::{Error, routes};

/// The whole site as one router, used by `main` and by every test.
pub fn app(state: AppState) -> Router {
    with_layers(routes::router(&state), state)
}

/// `routes` with every layer the site has (security headers, limits, panic page, metrics,
/// tracing): the one stack, so a test can put a route of its own under exactly the same one.
pub fn with_layers(routes: Router<AppState>, state: AppState) -> Router {
    let timeout = state.config.request_timeout;
    routes
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(move |request, next| {
            time_limit(timeout, request, next)
        }))
        .layer(axum::middleware::from_fn(refuse_announced_large_bodies))
        .layer(CatchPanicLayer::custom(panic_page))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::record,
        ))
        .layer(axum::middleware::map_response_with_state(
            state.site_headers.clone(),
            crate::site_headers::add,
        ))
        // Our Error logs real failures itself (with causes); a 4xx/5xx answer such as the 503
        // of an index still opening is not an error of the server.
        .layer(
            TraceLayer::new_for_http()
                .on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG)),
        )
        .with_state(state)
}

/// The largest request body accepted (forms); larger ones get a 413 page.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// A body whose `Content-Length` is over the limit is refused at once, before anything else
/// looks at the request and before the body is read, so a client that sent
/// `Expect: 100-continue` gets its 413 instead of `100 Continue` and a wait.
async fn refuse_announced_large_bodies(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        let mut response = if request.uri().path().starts_with("/api/") {
            Error::form_too_large().into_json_response()
        } else {
            Error::form_too_large().into_response()
        };
        // The body stays unread: the connection cannot be used for another request.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    }
    next.run(request).await
}

/// Answers 408 (our page, or JSON under /api) when a request takes longer than `limit`. The
/// handler's future is dropped, which rolls back an unfinished database transaction.
async fn time_limit(
    limit: std::time::Duration,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "request timed out");
            if api {
                Error::Timeout.into_json_response()
            } else {
                Error::Timeout.into_response()
            }
        }
    }
}

/// A handler that panicked still gets our 500 page, and the process keeps serving.
fn panic_page(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    Error::Internal(anyhow::anyhow!("handler panicked: {detail}")).into_response()
}

/// Serves until SIGINT or SIGTERM, then finishes in-flight requests.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    // Held until the server stops: no import, restore or reindex can write beside it.
    let _lock = crate::commands::DataDirLock::acquire(&config.data_dir, "serve")?;
    let addr = config.addr;
    let state = AppState::open(config).await?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
        format!("cannot listen on {addr} (is another server running there? set PYKB_ADDR)")
    })?;
    tracing::info!(address = %addr, base_url = %state.config.base_url, "pykb is serving");
    tokio::spawn(sweep_expired_sessions(state.clone()));
    tokio::spawn(crate::follow::prune_forever(state.db.clone()));
    tokio::spawn(crate::follow::run_forever(
        state.db.clone(),
        state.search.clone(),
        state.page_cache.clone(),
    ));
    tokio::spawn(
        state
            .search_log
            .clone()
            .run_forever(state.db.clone(), state.config.search_stats_days),
    );
    let rerender = state.clone();
    tokio::spawn(async move {
        if let Err(err) = rerender.rerender_stale().await {
            tracing::error!(
                error = format!("{err:#}"),
                "rendering the stored bodies again stopped; the next start goes on from there"
            );
        }
    });
    if !state.config.verify {
        crate::verify::serving_unverified();
    }
    if state.config.verify {
        tokio::spawn(crate::verify::worker::run_forever(
            state.db.clone(),
            state.page_cache.clone(),
            state.verifier.clone(),
        ));
    }
    let header_timeout = state.config.header_timeout;
    let front = crate::page_cache::front::Front::new(state.page_cache.clone());
    crate::server::run(
        listener,
        app(state),
        Some(front),
        header_timeout,
        shutdown_signal(),
    )
    .await;
    tracing::info!("pykb stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
