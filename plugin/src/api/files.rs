//! File downloads: `/v1/files`.

use super::{Call, Client, segment};
use crate::error::Result;
use crate::http::HttpClient;

pub fn by_sha256<H: HttpClient>(client: &Client<H>, sha256: &str) -> Result<Vec<u8>> {
    let path = format!("/v1/files/get-file-by-sha256/{}", segment(sha256));
    Ok(client.send(Call::get(&path).download())?.body)
}

pub fn by_xfc_content_id<H: HttpClient>(client: &Client<H>, id: &str) -> Result<Vec<u8>> {
    let path = format!("/v1/files/get-file-by-xfc-content-id/{}", segment(id));
    Ok(client.send(Call::get(&path).download())?.body)
}
