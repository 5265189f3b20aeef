//! Shared helpers for the integration tests. Each test binary uses a subset.
#![allow(dead_code)]

pub mod bot;
pub mod fake_discord;
pub mod nexudus;
pub mod nexudus_today;
