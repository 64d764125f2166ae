//! code42-download-file and code42-download-file-by-xfc-id (code42-reference.md §12). The file
//! goes back to the host as a file entry; the host stores it and computes its `File` context.

use super::{CommandResult, FileEntry};
use crate::api::{Client, file_events, files};
use crate::args::Args;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::query::{FileEventQuery, Filter, HashKind, Operator};
use serde_json::{Value, json};

fn file_result(name: &str, data: Vec<u8>) -> CommandResult {
    let readable = format!("Downloaded {name} ({} bytes).", data.len());
    CommandResult { readable, files: vec![FileEntry { name: name.to_string(), data }], ..Default::default() }
}

/// By SHA-256 directly; an MD5 is first turned into the SHA-256 of a file event that has it.
pub fn by_hash<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let hash = args.required("hash")?;
    let sha256 = match HashKind::of("hash", hash)? {
        HashKind::Sha256 => hash.to_string(),
        HashKind::Md5 => {
            let query = FileEventQuery::all_of(vec![Filter::new(HashKind::Md5.term(), Operator::Is, json!(hash))]);
            let events = file_events::search(client, query, 1)?;
            let sha = events.first().and_then(|e| e.pointer("/file/hash/sha256")).and_then(Value::as_str);
            sha.map(String::from)
                .ok_or_else(|| Error::NotFound(format!("No file with MD5 {hash} was found in Code42 file events.")))?
        }
    };
    let data = files::by_sha256(client, &sha256)?;
    Ok(file_result(args.get("filename").unwrap_or(hash), data))
}

pub fn by_xfc_id<H: HttpClient>(client: &Client<H>, args: &Args) -> Result<CommandResult> {
    let id = args.required("xfc_id")?;
    let data = files::by_xfc_content_id(client, id).map_err(|e| {
        let text = e.to_string();
        e.with_message(format!("Error downloading file: {text}"))
    })?;
    Ok(file_result(args.get("filename").unwrap_or(id), data))
}

#[cfg(test)]
mod tests {
    use crate::api::testing::*;
    use crate::commands::testing::{body, run};
    use crate::http::Method;
    use serde_json::json;

    const SHA: &str = "41966f10cc59ab466444add08974fde4cd37f88d79321d42da8e4c79b51c2149";

    // #27
    #[test]
    fn an_md5_is_turned_into_the_sha256_of_a_matching_event() {
        let server = FakeServer::new();
        let mut events = fixture_json("v2_file_event_response.json");
        events["fileEvents"][0]["file"]["hash"]["sha256"] = json!("testhash");
        server.on(Method::Post, "/v2/file-events", 200, events);
        server.on_raw(Method::Get, "/v1/files/get-file-by-sha256/testhash", 200, b"file bytes".to_vec());
        let md5 = "9cea266b4e07974df1982ae3b9de92ce";
        let r = run(&server, "code42-download-file", &[("hash", md5)]).unwrap();
        assert_eq!(r.files.len(), 1);
        assert_eq!((r.files[0].name.as_str(), r.files[0].data.as_slice()), (md5, b"file bytes".as_slice()));
        assert_eq!(
            body(&server, "/v2/file-events")["groups"][0]["filters"][0],
            json!({"term": "file.hash.md5", "operator": "IS", "value": md5})
        );
    }

    // #28
    #[test]
    fn a_sha256_is_downloaded_directly_under_the_given_name() {
        let server = FakeServer::new();
        server.on_raw(Method::Get, &format!("/v1/files/get-file-by-sha256/{SHA}"), 200, vec![]);
        let r = run(&server, "code42-download-file", &[("hash", SHA), ("filename", "report.pdf")]).unwrap();
        assert_eq!(r.files[0].name, "report.pdf");
        assert_eq!(server.api_calls(), [format!("GET /v1/files/get-file-by-sha256/{SHA}")]);
        assert_eq!(header(&server.requests()[1], "accept"), Some("*/*"));
    }

    // #29
    #[test]
    fn other_hash_lengths_are_refused() {
        let err = run(&FakeServer::new(), "code42-download-file", &[("hash", &"a".repeat(128))]).unwrap_err();
        assert_eq!(err.to_string(), "Unsupported hash. Must be SHA256 or MD5.");
    }

    #[test]
    fn an_md5_without_events_says_so() {
        let server = FakeServer::new();
        server.on(Method::Post, "/v2/file-events", 200, json!({"fileEvents": [], "nextPgToken": null}));
        let err = run(&server, "code42-download-file", &[("hash", &"b".repeat(32))]).unwrap_err();
        assert!(err.to_string().starts_with("No file with MD5"), "{err}");
    }

    // #30
    #[test]
    fn downloads_by_xfc_id() {
        let server = FakeServer::new();
        let id = "b6312dbe4aa4212da94523ccb28c5c16";
        server.on_raw(Method::Get, &format!("/v1/files/get-file-by-xfc-content-id/{id}"), 200, vec![]);
        let r = run(&server, "code42-download-file-by-xfc-id", &[("xfc_id", id)]).unwrap();
        assert_eq!((r.files[0].name.as_str(), r.files[0].data.len()), (id, 0));
    }

    // #31
    #[test]
    fn xfc_failures_are_the_reference_error() {
        let server = FakeServer::new();
        let err = run(&server, "code42-download-file-by-xfc-id", &[("xfc_id", "nope")]).unwrap_err();
        assert!(err.to_string().starts_with("Error downloading file: 404"), "{err}");
    }
}
