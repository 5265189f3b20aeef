//! Fuzz target: the Nexudus response decoder: `NNN\n` (HTTP status) then a body, run
//! through the client's decoding for every endpoint.
//! Invariants: see `checks::envelope` in `fuzz/checks.rs`.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::envelope(data));
