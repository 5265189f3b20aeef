//! nexudus-bot: a Discord bot that gives coworking members one-time Nexudus
//! portal logins and password resets, and lets community managers run it.
//!
//! The binary (`src/main.rs`) only parses the CLI; everything lives here so
//! tests can build and run the whole app.

pub mod app;
pub mod check;
pub mod config;
pub mod discord;
pub mod email;
pub mod heap;
pub mod i18n;
pub mod inflight;
pub mod lifecycle;
pub mod log_context;
pub mod messages;
pub mod metrics;
pub mod nexudus;
pub mod ops;
pub mod pages;
pub mod ratelimit;
pub mod request;
pub mod roles;
pub mod service;
pub mod store;
pub mod telemetry;
