//! Fuzz target: the Nexudus webhook's body parser and signature check, on a
//! raw body (also read as a signature header).
//! Invariants: see `checks::webhook` in `fuzz/checks.rs`.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::webhook(data));
