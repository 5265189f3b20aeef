//! Which interaction a log line belongs to, without a tracing span.
//!
//! Every line written while an interaction is served names its command, user,
//! interaction id and request id. A `tracing` span per interaction would do
//! that, but the span registry keeps a slot for every span ever open at once,
//! and each slot keeps its own small table for good: after a burst of
//! hundreds of interactions in flight, those tables are the only live data on
//! about a MiB of otherwise free pages, which no allocator trim can return.
//! So the context lives in a task-local ([`scope`]) and the log formatters
//! read it: pretty lines end with the fields, JSON lines ([`JsonLines`]) get a
//! `"span"` object shaped like the one a span would give.

use std::fmt;
use std::future::Future;

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::{DefaultFields, Writer};
use tracing_subscriber::fmt::time::{FormatTime, SystemTime};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

tokio::task_local! {
    static INTERACTION: Interaction;
}

/// The interaction being served, as its log lines name it.
#[derive(Debug, Clone)]
pub struct Interaction {
    /// The command, modal or button (its custom id).
    pub command: String,
    pub user_id: u64,
    pub interaction_id: u64,
    pub request_id: String,
}

/// Runs `work` with every log line it writes (in this task) naming `interaction`.
pub async fn scope<F: Future>(interaction: Interaction, work: F) -> F::Output {
    INTERACTION.scope(interaction, work).await
}

/// Pretty lines: the event's fields, then the interaction's.
///
/// Also used for span fields; the bot opens no span of its own, and others'
/// (serenity's, when `RUST_LOG` names it) would show the context twice.
#[derive(Debug, Default)]
pub struct PrettyFields(DefaultFields);

impl<'writer> FormatFields<'writer> for PrettyFields {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> fmt::Result {
        self.0.format_fields(writer.by_ref(), fields)?;
        INTERACTION
            .try_with(|i| {
                write!(
                    writer,
                    " command={} user_id={} interaction_id={} request_id={}",
                    i.command, i.user_id, i.interaction_id, i.request_id
                )
            })
            .unwrap_or(Ok(()))
    }
}

/// JSON lines: one object per event, written whole here: `timestamp`,
/// `level`, `target`, the event's `fields` (its message included) and, while an
/// interaction is served, a `span` object naming it.
#[derive(Debug, Default)]
pub struct JsonLines;

impl<S, N> FormatEvent<S, N> for JsonLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut timestamp = String::new();
        SystemTime.format_time(&mut Writer::new(&mut timestamp))?;
        let mut fields = JsonFields::default();
        event.record(&mut fields);
        let metadata = event.metadata();
        write!(
            writer,
            "{{\"timestamp\":{},\"level\":{},\"target\":{},\"fields\":{}",
            json(&timestamp)?,
            json(metadata.level().as_str())?,
            json(metadata.target())?,
            json(&fields.0)?,
        )?;
        INTERACTION
            .try_with(|i| {
                let span = serde_json::json!({
                    "name": "interaction",
                    "command": i.command,
                    "user_id": i.user_id,
                    "interaction_id": i.interaction_id,
                    "request_id": i.request_id,
                });
                write!(writer, ",\"span\":{span}")
            })
            .unwrap_or(Ok(()))?;
        writeln!(writer, "}}")
    }
}

/// `value` as JSON text.
fn json(value: &(impl serde::Serialize + ?Sized)) -> Result<String, fmt::Error> {
    serde_json::to_string(value).map_err(|_| fmt::Error)
}

/// An event's fields as a JSON object: numbers and booleans as such, the
/// rest (the message included) as text.
#[derive(Default)]
struct JsonFields(serde_json::Map<String, serde_json::Value>);

impl JsonFields {
    fn insert(&mut self, field: &Field, value: impl Into<serde_json::Value>) {
        self.0.insert(field.name().to_owned(), value.into());
    }
}

impl Visit for JsonFields {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.insert(field, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.insert(field, value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.insert(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.insert(field, value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.insert(field, value);
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.insert(field, value.to_string());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.insert(field, format!("{value:?}"));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::fmt::MakeWriter;

    use super::*;

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Captured {
        pub(crate) fn text(&self) -> String {
            String::from_utf8(self.0.lock().expect("lock").clone()).expect("utf-8")
        }
    }

    impl io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Captured;
        fn make_writer(&'a self) -> Captured {
            self.clone()
        }
    }

    pub(crate) fn interaction() -> Interaction {
        Interaction {
            command: "login".to_owned(),
            user_id: 42,
            interaction_id: 7,
            request_id: "abc".to_owned(),
        }
    }

    /// Runs `inside` within an interaction's scope, then logs "outside" after it.
    pub(crate) fn log_within(
        subscriber: impl Subscriber + Send + Sync + 'static,
        inside: impl FnOnce(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        tracing::subscriber::with_default(subscriber, || {
            runtime.block_on(async {
                scope(interaction(), async { inside() }).await;
                tracing::info!("outside");
            });
        });
    }

    /// Logs "inside" within an interaction's scope and "outside" after it.
    fn log_both(subscriber: impl Subscriber + Send + Sync + 'static) {
        log_within(subscriber, || tracing::info!(outcome = "dm_sent", "inside"));
    }

    /// What a subscriber writing [`JsonLines`] wrote while `inside` ran in an
    /// interaction's scope, one parsed object per line.
    pub(crate) fn json_lines_of(inside: impl FnOnce()) -> Vec<serde_json::Value> {
        let out = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .event_format(JsonLines)
            .with_writer(out.clone())
            .finish();
        log_within(subscriber, inside);
        out.text()
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}"))
            })
            .collect()
    }

    #[test]
    fn json_lines_carry_time_level_target_and_typed_fields() {
        let lines = json_lines_of(|| {
            tracing::warn!(
                target: "nexudus_bot::service",
                evicted = 3_u64,
                delta = -2_i64,
                ok = true,
                error = %"no \"answer\"\nfrom Nexudus",
                "retry later"
            );
        });

        assert_eq!(lines.len(), 2, "{lines:?}");
        let line = &lines[0];
        assert!(
            line["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')),
            "{line}"
        );
        assert_eq!(line["level"], "WARN");
        assert_eq!(line["target"], "nexudus_bot::service");
        assert_eq!(line["fields"]["message"], "retry later");
        assert_eq!(line["fields"]["evicted"], 3);
        assert_eq!(line["fields"]["delta"], -2);
        assert_eq!(line["fields"]["ok"], true);
        assert_eq!(line["fields"]["error"], "no \"answer\"\nfrom Nexudus");
        assert_eq!(line["span"]["request_id"], "abc");
    }

    #[test]
    fn json_lines_name_the_interaction_they_were_written_for() {
        let lines = json_lines_of(|| tracing::info!(outcome = "dm_sent", "inside"));

        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["fields"]["message"], "inside");
        assert_eq!(lines[0]["fields"]["outcome"], "dm_sent");
        assert_eq!(lines[0]["span"]["command"], "login");
        assert_eq!(lines[0]["span"]["user_id"], 42);
        assert_eq!(lines[0]["span"]["interaction_id"], 7);
        assert_eq!(lines[0]["span"]["request_id"], "abc");
        assert_eq!(lines[1]["fields"]["message"], "outside");
        assert!(lines[1].get("span").is_none(), "{}", lines[1]);
    }

    #[test]
    fn pretty_lines_end_with_the_interaction_they_were_written_for() {
        let out = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .fmt_fields(PrettyFields::default())
            .with_ansi(false)
            .with_writer(out.clone())
            .finish();
        log_both(subscriber);

        let text = out.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].ends_with(
                "inside outcome=\"dm_sent\" command=login user_id=42 interaction_id=7 request_id=abc"
            ),
            "{}",
            lines[0]
        );
        assert!(lines[1].ends_with("outside"), "{}", lines[1]);
    }
}
