//! Fuzz target: the `NEXUDUS_PORTAL_PAGES` parser: `LANG\n` then a spec; every accepted
//! path must stay relative to the portal and survive a login URL.
//! Invariants: see `checks::portal_pages` in `fuzz/checks.rs`.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::portal_pages(data));
