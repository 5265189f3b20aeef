//! The catalogue under `locales/`: every translation against English, and
//! every text against Discord's limits. Adding a message in English only fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::LazyLock;

use fluent_syntax::ast;
use nexudus_bot::i18n::{Catalogue, FILES, FluentArgs, FluentValue, Locale, sources};

/// Discord's locale codes (the `AvailableLocalesEnum` of its API spec).
const DISCORD_LOCALES: &[&str] = &[
    "ar", "bg", "cs", "da", "de", "el", "en-GB", "en-US", "es-419", "es-ES", "fi", "fr", "he",
    "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "nl", "no", "pl", "pt-BR", "ro", "ru", "sv-SE",
    "th", "tr", "uk", "vi", "zh-CN", "zh-TW",
];

/// Placeholders that take a number (counts, seconds): formatted with several
/// values so every plural branch is exercised.
const NUMERIC: &[&str] = &[
    "place",
    "seconds",
    "days",
    "hours",
    "minutes",
    "linked",
    "refusals",
    "failures",
    "count",
    "remaining",
    "p50",
    "p95",
    "calls",
];

const MEMBER: &str = "<@123456789012345678>";
const CHANNEL: &str = "<#234567890123456789>";
const RELATIVE: &str = "<t:1767225600:R>";
const FULL: &str = "<t:1767225600:f>";

fn sample(name: &str) -> String {
    match name {
        "member" | "previous" | "actor" | "by" | "who" => MEMBER.to_owned(),
        "channel" => CHANNEL.to_owned(),
        "retry" | "when" => RELATIVE.to_owned(),
        "since" => FULL.to_owned(),
        "email" => "ada.lovelace@example.com".to_owned(),
        other => format!("sample-{other}"),
    }
}

/// One message as written: the variables it uses.
struct Message {
    variables: BTreeSet<String>,
}

/// A locale's messages by id, read from its folder on disk.
fn read(locale: Locale) -> BTreeMap<String, (String, Message)> {
    let mut messages = BTreeMap::new();
    for file in FILES {
        let path = folder(locale).join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let resource = fluent_syntax::parser::parse(text.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{}: syntax errors {errors:?}", path.display()));
        for entry in resource.body {
            match entry {
                ast::Entry::Message(message) => {
                    let mut variables = BTreeSet::new();
                    if let Some(pattern) = &message.value {
                        pattern_variables(pattern, &mut variables);
                    }
                    for attribute in &message.attributes {
                        pattern_variables(&attribute.value, &mut variables);
                    }
                    let previous = messages.insert(
                        message.id.name.to_owned(),
                        (file.to_owned(), Message { variables }),
                    );
                    assert!(
                        previous.is_none(),
                        "{locale}/{file}: `{}` is defined twice",
                        message.id.name
                    );
                }
                ast::Entry::Term(term) => panic!(
                    "{locale}/{file}: term `-{}`: the catalogue uses plain messages only",
                    term.id.name
                ),
                ast::Entry::Junk { content } => panic!("{locale}/{file}: junk {content:?}"),
                _ => {}
            }
        }
    }
    messages
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, out);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, out);
            }
        }
        _ => {}
    }
}

fn folder(locale: Locale) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(locale.tag())
}

/// English as written, read once: the reference every translation is held to.
fn english() -> &'static BTreeMap<String, (String, Message)> {
    static ENGLISH: LazyLock<BTreeMap<String, (String, Message)>> =
        LazyLock::new(|| read(Locale::En));
    &ENGLISH
}

/// Argument sets covering every plural branch of `variables`.
fn argument_sets(variables: &BTreeSet<String>) -> Vec<FluentArgs<'static>> {
    [0u64, 1, 2, 5, 21, 1000]
        .into_iter()
        .map(|number| {
            let mut args = FluentArgs::new();
            for name in variables {
                if NUMERIC.contains(&name.as_str()) {
                    args.set(name.clone(), FluentValue::from(number));
                } else {
                    args.set(name.clone(), FluentValue::from(sample(name)));
                }
            }
            args
        })
        .collect()
}

fn text(locale: Locale, id: &str) -> String {
    let variables = &english()[id].1.variables;
    let args = argument_sets(variables).remove(2);
    Catalogue::get()
        .try_format(locale, id, Some(&args))
        .unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn every_locale_folder_is_a_catalogue_locale_with_the_same_files() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("locales");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&root)
        .expect("locales/ exists")
        .map(|entry| {
            entry
                .expect("readable")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let known: BTreeSet<String> = Locale::ALL.iter().map(|l| l.tag().to_owned()).collect();
    assert_eq!(
        on_disk, known,
        "each folder of locales/ needs its Locale variant (src/i18n.rs), and each variant its folder"
    );
    for locale in Locale::ALL {
        let files: BTreeSet<String> = std::fs::read_dir(folder(locale))
            .expect("locale folder exists")
            .map(|entry| {
                entry
                    .expect("readable")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        let expected: BTreeSet<String> = FILES.iter().map(|f| (*f).to_owned()).collect();
        assert_eq!(files, expected, "{locale}: files of the folder");
        for (name, compiled) in sources(locale) {
            let disk = std::fs::read_to_string(folder(locale).join(name)).expect("readable");
            assert_eq!(
                compiled, disk,
                "{locale}/{name}: the compiled text is the file's"
            );
        }
    }
}

#[test]
fn the_catalogue_loads_without_problems() {
    assert_eq!(Catalogue::get().problems(), &[] as &[String]);
}

#[test]
fn message_ids_are_kebab_case() {
    for id in english().keys() {
        let kebab = id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
        assert!(kebab, "`{id}` is not kebab-case");
    }
}

#[test]
fn every_translation_has_exactly_the_english_message_ids() {
    let english = english();
    let mut problems = Vec::new();
    for locale in Locale::ALL.into_iter().skip(1) {
        let translation = read(locale);
        for (id, (file, _)) in english {
            match translation.get(id) {
                None => problems.push(format!(
                    "{locale}: `{id}` is missing (English has it in {file})"
                )),
                Some((other, _)) if other != file => problems.push(format!(
                    "{locale}: `{id}` is in {other}, English has it in {file}"
                )),
                Some(_) => {}
            }
        }
        for id in translation.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!("{locale}: `{id}` is not in English"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_translation_uses_the_placeholders_of_english() {
    let english = english();
    let mut problems = Vec::new();
    for locale in Locale::ALL.into_iter().skip(1) {
        for (id, (_, message)) in read(locale) {
            let Some((_, source)) = english.get(&id) else {
                continue;
            };
            for missing in source.variables.difference(&message.variables) {
                problems.push(format!("{locale}: `{id}` does not use {{ ${missing} }}"));
            }
            for extra in message.variables.difference(&source.variables) {
                problems.push(format!(
                    "{locale}: `{id}` uses {{ ${extra} }}, English does not"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_message_formats_cleanly_in_every_locale() {
    let catalogue = Catalogue::get();
    let mut problems = Vec::new();
    for (id, (_, message)) in english() {
        for args in argument_sets(&message.variables) {
            for locale in Locale::ALL {
                let text = match catalogue.try_format(locale, id, Some(&args)) {
                    Ok(text) => text,
                    Err(err) => {
                        problems.push(err.to_string());
                        continue;
                    }
                };
                if text.trim().is_empty() {
                    problems.push(format!("{locale}: `{id}` is empty"));
                }
                if text.contains(['\u{2068}', '\u{2069}']) {
                    problems.push(format!("{locale}: `{id}` has Unicode isolation marks"));
                }
                for name in &message.variables {
                    if !NUMERIC.contains(&name.as_str()) && !text.contains(&sample(name)) {
                        problems.push(format!(
                            "{locale}: `{id}` does not show {{ ${name} }} whole: {text:?}"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn mentions_and_timestamps_come_out_exactly_as_discord_needs_them() {
    let mut args = FluentArgs::new();
    args.set("member", MEMBER);
    args.set("retry", RELATIVE);
    let text = Catalogue::get().format(Locale::Fr, "admin-member-rate-limited", Some(&args));
    assert!(text.contains(MEMBER), "{text}");
    assert!(text.contains(RELATIVE), "{text}");
    assert!(!text.contains(['\u{2068}', '\u{2069}']), "{text:?}");
}

#[test]
fn translations_are_not_english_left_in_place() {
    // Texts that may rightly read the same in another language.
    let same_is_fine = |id: &str| {
        matches!(
            id,
            "stats-latency-line" | "whois-entry" | "audit-summary" | "stats-request-line"
                // Italian writes "email" too.
                | "audit-email"
        )
    };
    let mut problems = Vec::new();
    for id in english().keys() {
        let source = text(Locale::En, id);
        for locale in Locale::ALL.into_iter().skip(1) {
            if !same_is_fine(id) && text(locale, id) == source {
                problems.push(format!(
                    "{locale}: `{id}` reads the same as English: {source:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn command_descriptions_fit_discord_in_every_locale() {
    let ids: Vec<&str> = english()
        .iter()
        .filter(|(_, (file, _))| file == "commands.ftl")
        .map(|(id, _)| id.as_str())
        .collect();
    assert!(ids.contains(&"cmd-login-description"));
    let mut problems = Vec::new();
    for id in &ids {
        for locale in Locale::ALL {
            let description = text(locale, id);
            let length = description.chars().count();
            if !(1..=100).contains(&length) || description.contains('\n') {
                problems.push(format!(
                    "{locale}: `{id}` has {length} characters (Discord: one line, 1 to 100): {description:?}"
                ));
            }
        }
        let localized = Catalogue::get().description_localizations(id);
        let codes: Vec<&str> = localized.iter().map(|(code, _)| *code).collect();
        assert_eq!(
            codes,
            ["es-ES", "es-419", "fr", "de", "it", "pt-BR", "nl"],
            "`{id}`: one localization per Discord locale a catalogue serves"
        );
        for (code, description) in &localized {
            assert!(
                DISCORD_LOCALES.contains(code),
                "{code} is not a Discord locale"
            );
            assert_eq!(*description, text(Locale::from_discord(code), id));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_catalogue_locale_answers_to_its_discord_codes() {
    for locale in Locale::ALL {
        for code in locale.discord_codes() {
            assert!(
                DISCORD_LOCALES.contains(code),
                "{code} is not a Discord locale"
            );
            assert_eq!(Locale::from_discord(code), locale);
        }
    }
}

#[test]
fn forms_buttons_and_audit_reasons_fit_discord_in_every_locale() {
    // Discord: modal titles and input labels 45 characters, placeholders 100, button labels 80.
    let limits: &[(&str, usize)] = &[
        ("link-modal-title", 45),
        ("link-modal-email", 45),
        ("link-modal-password", 45),
        ("link-modal-two-factor", 45),
        ("reset-modal-title", 45),
        ("reset-modal-email", 45),
        ("email-placeholder", 100),
        ("link-modal-password-hint", 100),
        ("link-modal-two-factor-hint", 100),
        ("login-button", 80),
        ("panel-login", 80),
        ("panel-reset", 80),
        ("panel-link", 80),
        // X-Audit-Log-Reason: 1 to 512 characters.
        ("role-reason-linked", 512),
        ("role-reason-unlinked", 512),
        ("role-reason-plans", 512),
    ];
    let mut problems = Vec::new();
    for (id, max) in limits {
        for locale in Locale::ALL {
            let label = text(locale, id);
            let length = label.chars().count();
            if length > *max || label.contains('\n') {
                problems.push(format!(
                    "{locale}: `{id}` has {length} characters (Discord: one line, at most {max}): {label:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn a_count_picks_the_right_plural_in_each_language() {
    let mut args = FluentArgs::new();
    args.set("place", 3);
    args.set("seconds", 1);
    let catalogue = Catalogue::get();
    assert_eq!(
        catalogue.format(Locale::En, "queue-place", Some(&args)),
        "You're number 3 in line, about 1 second."
    );
    args.set("seconds", 8);
    assert_eq!(
        catalogue.format(Locale::En, "queue-place", Some(&args)),
        "You're number 3 in line, about 8 seconds."
    );
    args.set("place", 1);
    assert_eq!(
        catalogue.format(Locale::En, "queue-place", Some(&args)),
        "You're next in line, about 8 seconds."
    );
    // French counts zero as singular, German does not: each bundle has its language's rules.
    let mut zero = FluentArgs::new();
    zero.set("seconds", 0);
    assert!(
        catalogue
            .format(Locale::Fr, "stats-longest-wait", Some(&zero))
            .ends_with(" 0 seconde")
    );
    assert!(
        catalogue
            .format(Locale::De, "stats-longest-wait", Some(&zero))
            .ends_with(" 0 Sekunden")
    );
}
