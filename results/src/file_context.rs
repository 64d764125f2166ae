//! The XSOAR `File` context of a file a command returned: size, hashes (MD5, SHA1, SHA256,
//! SSDeep), name, extension, and a `file(1)`-style type with its MIME type.

use md5::Md5;
use serde_json::{Value, json};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// The `File` object of `data` saved under `name`; `entry_id` says where it can be found again.
pub fn describe(name: &str, entry_id: &str, data: &[u8]) -> Value {
    let (kind, mime) = file_type(data);
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty() && !e.contains(['/', '\\']));
    json!({
        "Name": name,
        "EntryID": entry_id,
        "Size": data.len(),
        "MD5": hex::encode(Md5::digest(data)),
        "SHA1": hex::encode(Sha1::digest(data)),
        "SHA256": hex::encode(Sha256::digest(data)),
        "SSDeep": fuzzyhash::FuzzyHash::new(data).to_string(),
        "Extension": extension,
        "Type": kind,
        "Info": mime,
    })
}

/// A description in the style of `file` and the MIME type in the style of `file -i`.
fn file_type(data: &[u8]) -> (String, String) {
    if data.is_empty() {
        return ("empty".into(), "inode/x-empty; charset=binary".into());
    }
    if let Some(kind) = infer::get(data) {
        let description = match kind.extension() {
            "pdf" => "PDF document".to_string(),
            "zip" => "Zip archive data".to_string(),
            "gz" => "gzip compressed data".to_string(),
            "png" => "PNG image data".to_string(),
            "jpg" => "JPEG image data".to_string(),
            "docx" | "xlsx" | "pptx" => "Microsoft OOXML".to_string(),
            "exe" | "dll" => "PE32 executable".to_string(),
            "elf" => "ELF executable".to_string(),
            other => format!("{} data", other.to_ascii_uppercase()),
        };
        return (description, format!("{}; charset=binary", kind.mime_type()));
    }
    match std::str::from_utf8(data) {
        Ok(text) if !text.contains('\0') => {
            if text.is_ascii() {
                ("ASCII text".into(), "text/plain; charset=us-ascii".into())
            } else {
                ("Unicode text, UTF-8 text".into(), "text/plain; charset=utf-8".into())
            }
        }
        _ => ("data".into(), "application/octet-stream; charset=binary".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values from `ssdeep -b` 2.14.1 and `file`/`file -i` 5.44.
    #[test]
    fn matches_the_standard_tools() {
        let small = describe("Small.TXT", "x", b"hello world\n");
        assert_eq!(small["SSDeep"], "3:iKFSMPv:rJPv");
        assert_eq!(small["MD5"], "6f5902ac237024bdd0c176cb93063dc4");
        assert_eq!(small["SHA1"], "22596363b3de40b06f981fb85d82312e8c0ed511");
        assert_eq!(small["SHA256"], "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447");
        assert_eq!(
            (small["Type"].as_str(), small["Info"].as_str()),
            (Some("ASCII text"), Some("text/plain; charset=us-ascii"))
        );
        assert_eq!(small["Extension"], "txt");
        assert_eq!(small["Size"], 12);

        let generated: Vec<u8> = (0u64..70_000).map(|i| ((i * 2_654_435_761) >> 13) as u8).collect();
        let bin = describe("gen.bin", "x", &generated);
        assert_eq!(bin["SSDeep"], "96:O9R/J/ZLkrihjP1rPFpzUF1KPDzbVP7nPkj/kRXt3N5A3kdVdN:miihdfrzbpnCQ3c49");
        assert_eq!(bin["Type"], "data");

        let text: String = (0..3000).map(|i| format!("lorem ipsum dolor sit amet {}\n", i * i % 977)).collect();
        assert_eq!(
            describe("gen.txt", "x", text.as_bytes())["SSDeep"],
            "384:1n0rjEQYpoHmRDDn0rjEQYpoHmRDDn0rjEQYpoHmRDDb:1n0r/YYmRDDn0r/YYmRDDn0r/YYmRDDb"
        );
        assert_eq!(describe("e", "x", b"")["SSDeep"], "3::");
    }

    #[test]
    fn recognises_binary_formats() {
        let pdf = describe("r.pdf", "x", b"%PDF-1.7\n%binary");
        assert_eq!(
            (pdf["Type"].as_str(), pdf["Info"].as_str()),
            (Some("PDF document"), Some("application/pdf; charset=binary"))
        );
        assert_eq!(describe("noext", "x", b"\x1f\x8b\x08\x00rest")["Type"], "gzip compressed data");
        assert!(describe("noext", "x", b"a")["Extension"].is_null());
    }
}
