//! The accept loop: HTTP/1.1 over hyper with a header-read timeout, so a client that dribbles
//! its request headers is cut off instead of holding a connection open (axum::serve sets no
//! timer, hence no such timeout). Each connection learns its peer address (`ConnectInfo`),
//! and a graceful shutdown lets requests in flight finish, up to a limit. The page cache's
//! front (`page_cache::front`) answers plain hits before the router is asked.

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::ServiceExt as _;

use crate::page_cache::front::Front;

/// How long requests in flight may take to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` completes, asking `front` (the page cache's
/// fast path) first when there is one. `header_read_timeout` bounds how long a client may take
/// to send a request's headers.
pub async fn run(
    listener: TcpListener,
    app: Router,
    front: Option<Front>,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                Err(err) => {
                    // Out of file descriptors, typically: wait a little rather than spin.
                    tracing::warn!(error = %err, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // An answer's last partial segment goes out at once instead of waiting for the ACK of
        // the one before (Nagle): measured +3-15% requests/s and a lower p99 on cached pages
        // without compression (issue 16). A socket that refuses it still works.
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let front = front.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            let answered = front.as_ref().and_then(|front| front.answer(&request));
            let app = app.clone();
            async move {
                if let Some(response) = answered {
                    return Ok::<_, Infallible>(response);
                }
                request.extensions_mut().insert(ConnectInfo(peer));
                app.oneshot(request.map(Body::new)).await
            }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_read_timeout)
            .keep_alive(true)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(peer = %peer, error = %err, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN_TIMEOUT) => {
            tracing::warn!("requests still running after {DRAIN_TIMEOUT:?}; stopping anyway");
        }
    }
}
