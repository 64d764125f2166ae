//! Lists read up to a limit: each API family pages in its own way (names of the page and size
//! parameters, first page 0 or 1, largest page, a total or none), described by [`Paging`].

use super::{Call, Client};
use crate::error::Result;
use crate::http::HttpClient;
use serde_json::Value;

/// How one list endpoint pages.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// The page-number parameter, and the number of the first page.
    pub page: &'static str,
    pub first: u32,
    /// The page-size parameter, and the largest size the API takes.
    pub size: &'static str,
    pub max_size: u32,
    /// Where the items are in an answer.
    pub items: &'static str,
    /// Where the number of all matching items is, when the API says it.
    pub total: Option<&'static str>,
    /// Whether the page number and size go in the JSON body (a search sent as a POST) rather
    /// than in the query.
    pub in_body: bool,
}

/// Items read from a list, at most the limit asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub items: Vec<Value>,
    /// How many match in all, when the API says it.
    pub total: Option<u64>,
    /// Whether more match than were read.
    pub more: bool,
}

impl Listed {
    /// A line for the readable output when more match than are shown; empty otherwise.
    pub fn more_note(&self) -> String {
        match (self.more, self.total) {
            (false, _) => String::new(),
            (true, Some(total)) => format!("\nShowing {} of {total}; raise `limit` to see more.\n", self.items.len()),
            (true, None) => {
                format!("\nShowing the first {}; more exist: raise `limit` to see them.\n", self.items.len())
            }
        }
    }
}

/// Reads up to `limit` items of the list `call` asks for (its filters set, no paging), with as
/// few requests as the limit needs. When the first page says how many match, the other pages
/// are read together; otherwise one page after another, until a short page or one item past
/// the limit (which is how a list without a total tells that more exist).
pub fn up_to<H: HttpClient>(client: &Client<H>, call: &Call<'static>, paging: &Paging, limit: usize) -> Result<Listed> {
    let page_call = |number: u32, size: usize| match (&call.body, paging.in_body) {
        (Some(Value::Object(fields)), true) => {
            let mut fields = fields.clone();
            fields.insert(paging.page.into(), number.into());
            fields.insert(paging.size.into(), size.into());
            Call { body: Some(Value::Object(fields)), ..call.clone() }
        }
        _ => call.clone().query(paging.page, number).query(paging.size, size),
    };
    let wanted = if paging.total.is_some() { limit } else { limit + 1 };
    let size = wanted.clamp(1, paging.max_size as usize);
    let first: Value = client.json(page_call(paging.first, size))?;
    let total = paging.total.and_then(|key| first.get(key)).and_then(Value::as_u64);
    let mut items = items_of(first, paging.items);
    if let Some(total) = total {
        let pages = (total.min(limit as u64) as usize).div_ceil(size).max(1);
        let calls: Vec<Call> = (1..pages as u32).map(|n| page_call(paging.first + n, size)).collect();
        for page in client.json_all::<Value>(&calls) {
            items.extend(items_of(page?, paging.items));
        }
    } else {
        let (mut number, mut last_full) = (paging.first, items.len() >= size);
        while last_full && items.len() < wanted {
            number += 1;
            let page = items_of(client.json(page_call(number, size))?, paging.items);
            last_full = page.len() >= size;
            items.extend(page);
        }
    }
    let more = match total {
        Some(total) => total > limit.min(items.len()) as u64,
        None => items.len() > limit,
    };
    items.truncate(limit);
    Ok(Listed { items, total, more })
}

/// The array under `key` of an answer; nothing when it has none.
pub(crate) fn items_of(answer: Value, key: &str) -> Vec<Value> {
    match answer {
        Value::Object(mut map) => match map.remove(key) {
            Some(Value::Array(items)) => items,
            _ => vec![],
        },
        Value::Array(items) if key.is_empty() => items,
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testing::*;
    use crate::http::Method;
    use serde_json::json;

    const WITH_TOTAL: Paging =
        Paging { page: "p", first: 0, size: "n", max_size: 2, items: "items", total: Some("total"), in_body: false };
    const NO_TOTAL: Paging = Paging { total: None, first: 1, ..WITH_TOTAL };

    fn page(ids: &[i64], total: Option<u64>) -> (u16, Value) {
        let mut answer = json!({"items": ids});
        if let Some(total) = total {
            answer["total"] = json!(total);
        }
        (200, answer)
    }

    #[test]
    fn a_total_tells_how_many_pages_to_read_and_whether_more_exist() {
        let server = FakeServer::new();
        server.on_sequence(
            Method::Get,
            "/l",
            vec![page(&[1, 2], Some(7)), page(&[3, 4], Some(7)), page(&[5, 6], Some(7))],
        );
        let listed = up_to(&client(&server), &Call::get("/l").query("f", "x"), &WITH_TOTAL, 5).unwrap();
        assert_eq!(listed.items, [1, 2, 3, 4, 5].map(|n| json!(n)));
        assert_eq!((listed.total, listed.more), (Some(7), true));
        assert!(listed.more_note().contains("Showing 5 of 7"), "{}", listed.more_note());
        let calls = server.api_calls();
        assert_eq!(calls.len(), 3, "three pages of two for five items: {calls:?}");
        assert!(calls.iter().all(|c| c.contains("f=x") && c.contains("n=2")), "{calls:?}");
        assert!(calls[0].contains("p=0"), "{calls:?}");
    }

    #[test]
    fn without_a_total_one_item_past_the_limit_tells_that_more_exist() {
        let server = FakeServer::new();
        server.on_sequence(Method::Get, "/l", vec![page(&[1, 2], None), page(&[3, 4], None)]);
        let listed = up_to(&client(&server), &Call::get("/l"), &NO_TOTAL, 3).unwrap();
        assert_eq!(listed.items, [1, 2, 3].map(|n| json!(n)));
        assert!(listed.more && listed.more_note().contains("more exist"));
        assert!(server.api_calls()[0].contains("p=1"));

        let server = FakeServer::new();
        server.on_sequence(Method::Get, "/l", vec![page(&[1, 2], None), page(&[3], None)]);
        let listed = up_to(&client(&server), &Call::get("/l"), &NO_TOTAL, 3).unwrap();
        assert_eq!(listed.items.len(), 3);
        assert!(!listed.more, "a short page is the last");
        assert_eq!(listed.more_note(), "");
    }

    #[test]
    fn a_search_sent_as_a_post_pages_in_its_body() {
        let server = FakeServer::new();
        server.on_sequence(Method::Post, "/l", vec![page(&[1, 2], None), page(&[3], None)]);
        let paging = Paging { in_body: true, ..NO_TOTAL };
        let listed = up_to(&client(&server), &Call::post("/l", json!({"f": "x"})), &paging, 5).unwrap();
        assert_eq!(listed.items.len(), 3);
        let bodies: Vec<Value> =
            server.requests().iter().filter_map(|r| serde_json::from_slice(r.body.as_deref()?).ok()).collect();
        assert_eq!(bodies, [json!({"f": "x", "p": 1, "n": 2}), json!({"f": "x", "p": 2, "n": 2})]);
        assert!(server.api_calls().iter().all(|c| !c.contains('?')), "nothing in the query");
    }

    #[test]
    fn a_small_limit_reads_one_small_page() {
        let server = FakeServer::new();
        server.on_sequence(Method::Get, "/l", vec![page(&[1], Some(1))]);
        let listed = up_to(&client(&server), &Call::get("/l"), &WITH_TOTAL, 1).unwrap();
        assert_eq!((listed.items.len(), listed.more), (1, false));
        assert_eq!(server.api_calls().len(), 1);
        assert!(server.api_calls()[0].contains("n=1"));
    }
}
