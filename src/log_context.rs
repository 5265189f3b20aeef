//! Which interaction a log line belongs to, without a tracing span.
//!
//! Every line written while an interaction is served names its command, user,
//! interaction id and request id. A `tracing` span per interaction would do
//! that, but the span registry keeps a slot for every span ever open at once,
//! and each slot keeps its own small table for good: after a burst of
//! hundreds of interactions in flight, those tables are the only live data on
//! about a MiB of otherwise free pages, which no allocator trim can return.
//! So the context lives in a task-local ([`scope`]) and the log formatters
//! read it: pretty lines end with the fields, JSON lines get a `"span"` object
//! shaped like the one a span would give.

use std::fmt;
use std::future::Future;

use tracing::{Event, Subscriber};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::{DefaultFields, Writer};
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

/// JSON lines: `inner`'s object, with a `"span"` member naming the interaction.
#[derive(Debug)]
pub struct JsonWithInteraction<F>(pub F);

impl<S, N, F> FormatEvent<S, N> for JsonWithInteraction<F>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    F: FormatEvent<S, N>,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let Ok(span) = INTERACTION.try_with(|i| {
            serde_json::json!({
                "command": i.command,
                "user_id": i.user_id,
                "interaction_id": i.interaction_id,
                "request_id": i.request_id,
                "name": "interaction",
            })
        }) else {
            return self.0.format_event(ctx, writer, event);
        };
        let mut line = String::new();
        self.0.format_event(ctx, Writer::new(&mut line), event)?;
        // One object and a newline: the span goes in as its last member.
        match line.trim_end().strip_suffix('}') {
            Some(head) => writeln!(writer, "{head},\"span\":{span}}}"),
            None => writer.write_str(&line),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::fmt::MakeWriter;

    use super::*;

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Captured {
        fn text(&self) -> String {
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

    fn interaction() -> Interaction {
        Interaction {
            command: "login".to_owned(),
            user_id: 42,
            interaction_id: 7,
            request_id: "abc".to_owned(),
        }
    }

    /// Logs "inside" within an interaction's scope and "outside" after it.
    fn log_both(subscriber: impl Subscriber + Send + Sync + 'static) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        tracing::subscriber::with_default(subscriber, || {
            runtime.block_on(async {
                scope(interaction(), async {
                    tracing::info!(outcome = "dm_sent", "inside");
                })
                .await;
                tracing::info!("outside");
            });
        });
    }

    #[test]
    fn json_lines_name_the_interaction_they_were_written_for() {
        let out = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .map_event_format(JsonWithInteraction)
            .with_writer(out.clone())
            .finish();
        log_both(subscriber);

        let lines: Vec<serde_json::Value> = out
            .text()
            .lines()
            .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
            .collect();
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
