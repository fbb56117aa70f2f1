use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::state::AppState;

/// `GET /healthz`: 200 once the database answers and the search index is open and caught up
/// with it; 503 with the reasons until then.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let mut problems = Vec::new();
    let (database, lag) = match state.db.ping().await {
        Ok(()) => match state.search.lag(&state.db).await {
            Ok(0) => ("ok", Some(0)),
            Ok(n) => {
                problems.push(format!(
                    "the search index is {n} change(s) behind the database"
                ));
                ("ok", Some(n))
            }
            Err(err) => {
                problems.push(format!("cannot read the change log: {err:#}"));
                ("ok", None)
            }
        },
        // No point asking a database that does not answer how far behind the index is.
        Err(err) => {
            problems.push(format!("database not answering: {err}"));
            ("unavailable", None)
        }
    };
    let index = match state.search.health() {
        Ok(()) => "ok",
        Err(why) => {
            problems.push(why);
            "unavailable"
        }
    };
    if problems.is_empty() {
        let body = json!({
            "status": "ok",
            "database": database,
            "backend": state.db.backend_name(),
            "index": index,
            "index_lag": 0,
        });
        return (StatusCode::OK, Json(body));
    }
    tracing::warn!(?problems, "health check failed");
    let body = json!({
        "status": "unavailable",
        "database": database,
        "backend": state.db.backend_name(),
        "index": index,
        "index_lag": lag,
        "problems": problems,
    });
    (StatusCode::SERVICE_UNAVAILABLE, Json(body))
}
