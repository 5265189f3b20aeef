//! Logging: human-readable or JSON lines, never a secret.

use std::io::IsTerminal as _;

use tracing_subscriber::filter::{EnvFilter, FilterFn};
use tracing_subscriber::fmt::{self, format::FmtSpan};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::config::LogFormat;
use crate::log_context::{JsonLines, PrettyFields};

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

/// Whether a `RUST_LOG` directive names `target` itself.
fn names(rust_log: &str, target: &str) -> bool {
    rust_log
        .split(',')
        .any(|directive| directive.trim().split(['=', '[']).next() == Some(target))
}

/// The [`CHATTY_TARGETS`] that `RUST_LOG` does not name.
fn unnamed_chatty_targets(rust_log: &str) -> Vec<&'static str> {
    CHATTY_TARGETS
        .iter()
        .copied()
        .filter(|target| !names(rust_log, target))
        .collect()
}

/// The filter actually used: `RUST_LOG` plus an `info` ceiling on [`CHATTY_TARGETS`] it does not name.
pub fn effective_filter(rust_log: &str) -> String {
    let mut directives = vec![rust_log.trim().to_owned()];
    for target in unnamed_chatty_targets(rust_log) {
        directives.push(format!("{target}=info"));
    }
    directives.retain(|d| !d.is_empty());
    directives.join(",")
}

/// Whether `target` is `module` or inside it.
fn within(target: &str, module: &str) -> bool {
    target
        .strip_prefix(module)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

/// Whether a span is kept: not one of the unnamed chatty targets'.
///
/// serenity's `#[instrument]` spans are at `info` and record their arguments
/// with `Debug`: every HTTP request, its body included (a login link, byte by
/// byte), formatted on each call. That is most of the bot's CPU in a burst of
/// interactions, and a secret one log event away from a log line. Their
/// events (warnings, errors) are kept.
fn span_kept(metadata: &tracing::Metadata<'_>, quiet: &[&str]) -> bool {
    !metadata.is_span() || !quiet.iter().any(|module| within(metadata.target(), module))
}

/// Installs the global subscriber and routes panics through it, so that with
/// `LOG_FORMAT=json` every line the process writes is JSON.
pub fn init(format: LogFormat, rust_log: &str) {
    let filter =
        EnvFilter::try_new(effective_filter(rust_log)).unwrap_or_else(|_| EnvFilter::new("info"));
    let quiet = unnamed_chatty_targets(rust_log);
    let spans = FilterFn::new(move |metadata| span_kept(metadata, &quiet));
    let subscriber = tracing_subscriber::registry().with(filter).with(spans);
    let layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_span_events(FmtSpan::NONE);
    // A second init (tests calling run twice in one process) keeps the first subscriber.
    // The interaction a line belongs to comes from `log_context`, not from spans.
    let _ = match format {
        LogFormat::Json => subscriber.with(layer.event_format(JsonLines)).try_init(),
        LogFormat::Pretty => subscriber
            .with(layer.fmt_fields(PrettyFields::default()))
            .try_init(),
    };
    std::panic::set_hook(Box::new(log_panic));
}

/// Writes a panic as one log line (so JSON too), with its location.
fn log_panic(info: &std::panic::PanicHookInfo<'_>) {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_context::tests::json_lines_of;

    #[test]
    fn a_panic_is_one_json_line_naming_its_interaction() {
        let lines = json_lines_of(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(log_panic));
            let caught = std::panic::catch_unwind(|| panic!("the link was not built"));
            std::panic::set_hook(previous);
            assert!(caught.is_err());
        });

        let line = &lines[0];
        assert_eq!(line["level"], "ERROR", "{line}");
        assert_eq!(line["target"], "panic");
        assert_eq!(line["fields"]["message"], "the link was not built");
        assert!(
            line["fields"]["location"]
                .as_str()
                .is_some_and(|l| l.starts_with("src/telemetry.rs:")),
            "{line}"
        );
        assert_eq!(line["span"]["command"], "login");
    }

    #[test]
    fn debug_everywhere_still_keeps_serenity_at_info() {
        let filter = effective_filter("debug");
        assert!(filter.starts_with("debug,"));
        assert!(filter.contains("serenity=info"));
        assert!(filter.contains("tungstenite=info"));
    }

    #[test]
    fn serenity_request_spans_are_dropped_unless_rust_log_names_serenity() {
        // Spans made by the macros keep their metadata even when disabled.
        let request = tracing::info_span!(target: "serenity::http::client", "request");
        let request = request.metadata().expect("metadata");
        let lookalike = tracing::info_span!(target: "serenity_like::x", "request");
        let ours = tracing::info_span!("interaction");

        assert!(!span_kept(request, &unnamed_chatty_targets("debug")));
        assert!(span_kept(
            request,
            &unnamed_chatty_targets("info,serenity=debug")
        ));
        let quiet = unnamed_chatty_targets("info");
        assert!(span_kept(lookalike.metadata().expect("metadata"), &quiet));
        assert!(span_kept(ours.metadata().expect("metadata"), &quiet));
    }

    #[test]
    fn a_target_named_in_rust_log_is_left_as_asked() {
        let filter = effective_filter("info,serenity=trace");
        assert!(!filter.contains("serenity=info"));
        assert!(filter.contains("serenity=trace"));
    }
}
