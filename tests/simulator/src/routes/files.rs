//! `/v1/files`: file bytes by SHA-256 or by exfiltrated-file content id.

use super::{AppState, not_found};
use crate::lock_shared;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

fn bytes(content: Option<&Vec<u8>>) -> Response {
    match content {
        Some(c) => ([(header::CONTENT_TYPE, "application/octet-stream")], c.clone()).into_response(),
        None => not_found("file"),
    }
}

pub(crate) async fn by_sha256(State(shared): AppState, Path(sha256): Path<String>) -> Response {
    bytes(lock_shared(&shared.tenant).files.get(&sha256.to_ascii_lowercase()))
}

pub(crate) async fn by_xfc_id(State(shared): AppState, Path(id): Path<String>) -> Response {
    bytes(lock_shared(&shared.tenant).xfc_files.get(&id))
}
