//! Fuzz target: the `COUNT/PERIOD` rate-limit parser (`"…".parse::<Limit>()`).
//! Invariants: see `checks::limit` in `fuzz/checks.rs`.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::limit(data));
