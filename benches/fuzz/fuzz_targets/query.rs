//! The search query parser on arbitrary text: it must never panic, and what it reads back as
//! a query string must parse to the same query.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = pykb::search::parse(text);
    let again = pykb::search::parse(&parsed.to_query_string());
    assert_eq!(parsed.to_query_string(), again.to_query_string(), "{text:?}");
});
