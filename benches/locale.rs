//! What one localized sentence costs: formatting a catalogue message with two
//! arguments (English and French), one with two plural selections, finding
//! the catalogue for a Discord locale, loading the whole catalogue (once
//! per process), and whole replies through the bot's own `Messages` handle.
//!
//! `cargo bench --bench locale` (a few seconds, build aside).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use nexudus_bot::i18n::{Catalogue, FluentArgs, Locale, user_mention};
use nexudus_bot::messages::Messages;

fn format(c: &mut Criterion) {
    let catalogue = Catalogue::get();
    let member = user_mention(123_456_789_012_345_678);
    let mut group = c.benchmark_group("format");
    for locale in [Locale::En, Locale::Fr] {
        group.bench_function(format!("two_arguments_{locale}"), |b| {
            b.iter(|| {
                let mut args = FluentArgs::with_capacity(2);
                args.set("member", member.as_str());
                args.set("email", "ada.lovelace@example.com");
                black_box(catalogue.format(
                    black_box(locale),
                    black_box("admin-reset-requested"),
                    Some(&args),
                ))
            })
        });
        group.bench_function(format!("two_plurals_{locale}"), |b| {
            b.iter(|| {
                let mut args = FluentArgs::with_capacity(2);
                args.set("place", black_box(12));
                args.set("seconds", black_box(8));
                black_box(catalogue.format(black_box(locale), "queue-place", Some(&args)))
            })
        });
    }
    group.bench_function("no_arguments_fr", |b| {
        b.iter(|| black_box(catalogue.format(black_box(Locale::Fr), "login-check-dms", None)))
    });
    group.finish();
}

/// What a handler pays per reply: the handle for the interaction's locale, then the sentence.
fn messages(c: &mut Criterion) {
    let retry_at = std::time::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let mut group = c.benchmark_group("messages");
    for code in ["en-US", "fr", "es-419"] {
        group.bench_function(format!("rate_limited_{code}"), |b| {
            b.iter(|| black_box(Messages::for_discord(black_box(code)).rate_limited(retry_at)))
        });
    }
    group.bench_function("admin_linked_moved_de", |b| {
        let text = Messages::new(Locale::De);
        b.iter(|| {
            black_box(text.admin_linked(
                black_box(123_456_789_012_345_678),
                "ada.lovelace@example.com",
                Some(876_543_210_987_654_321),
            ))
        })
    });
    group.finish();
}

fn resolve(c: &mut Criterion) {
    let mut group = c.benchmark_group("resolve");
    for code in ["fr", "es-419", "pt-BR", "ja"] {
        group.bench_function(code, |b| b.iter(|| Locale::from_discord(black_box(code))));
    }
    group.finish();
}

fn load(c: &mut Criterion) {
    c.bench_function("load_catalogue", |b| {
        b.iter(|| black_box(Catalogue::load()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = format, messages, resolve, load
}
criterion_main!(benches);
