//! Fuzz target: the typed-email validator and the email normalisation.
//! Invariants: see `checks::email` in `fuzz/checks.rs`.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::email(data));
