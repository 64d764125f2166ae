//! The `json` argument of code42-file-events-search: any text either parses into a query that
//! survives a round trip, or is refused with an error naming the argument. Never a panic.
#![no_main]

use code42_plugin::Error;
use code42_plugin::query::FileEventQuery;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match FileEventQuery::parse("json", text) {
        Ok(query) => {
            let again = FileEventQuery::parse("json", &query.to_json().to_string()).expect("a parsed query reparses");
            assert_eq!(again, query);
        }
        Err(Error::InvalidArgument { name, .. }) => assert_eq!(name, "json"),
        Err(other) => panic!("unexpected error kind: {other:?}"),
    }
});
