//! Logging: human-readable or JSON lines, never a secret.

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::config::LogFormat;

/// Targets that can print raw gateway or HTTP payloads (modal passwords, tokens)
/// at debug/trace. They stay at `info` unless `RUST_LOG` names them explicitly.
const CHATTY_TARGETS: &[&str] = &[
    "serenity",
    "tungstenite",
    "tokio_tungstenite",
    "hyper",
    "hyper_util",
    "h2",
    "reqwest",
    "rustls",
];

/// The filter actually used: `RUST_LOG` plus an `info` ceiling on [`CHATTY_TARGETS`] it does not name.
pub fn effective_filter(rust_log: &str) -> String {
    let mut directives = vec![rust_log.trim().to_owned()];
    for target in CHATTY_TARGETS {
        let named = rust_log
            .split(',')
            .any(|directive| directive.trim().split(['=', '[']).next() == Some(*target));
        if !named {
            directives.push(format!("{target}=info"));
        }
    }
    directives.retain(|d| !d.is_empty());
    directives.join(",")
}

/// Installs the global subscriber and routes panics through it, so that with
/// `LOG_FORMAT=json` every line the process writes is JSON.
pub fn init(format: LogFormat, rust_log: &str) {
    let filter =
        EnvFilter::try_new(effective_filter(rust_log)).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_span_events(FmtSpan::NONE);
    // A second init (tests calling run twice in one process) keeps the first subscriber.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        // Only a literal message is logged: a formatted one could quote runtime data, secrets included.
        let message = info
            .payload()
            .downcast_ref::<&'static str>()
            .copied()
            .unwrap_or("(formatted message withheld)");
        tracing::error!(target: "panic", %location, message, "a task panicked; this is a bug");
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_everywhere_still_keeps_serenity_at_info() {
        let filter = effective_filter("debug");
        assert!(filter.starts_with("debug,"));
        assert!(filter.contains("serenity=info"));
        assert!(filter.contains("tungstenite=info"));
    }

    #[test]
    fn a_target_named_in_rust_log_is_left_as_asked() {
        let filter = effective_filter("info,serenity=trace");
        assert!(!filter.contains("serenity=info"));
        assert!(filter.contains("serenity=trace"));
    }
}
