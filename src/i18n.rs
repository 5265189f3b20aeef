//! The reader's language: the Fluent catalogue under `locales/`, compiled into
//! the binary, and formatting with a fallback to English.
//!
//! Each locale folder holds the same [`FILES`]; `tests/locales.rs` checks every
//! translation against English (ids, placeholders, formatting, lengths).

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
pub use fluent_bundle::{FluentArgs, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language the catalogue speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locale {
    En,
    Es,
    Fr,
    De,
    It,
    PtBr,
    Nl,
}

impl Locale {
    /// Every catalogue locale; [`Locale::En`] first, the fallback.
    pub const ALL: [Locale; 7] = [
        Locale::En,
        Locale::Es,
        Locale::Fr,
        Locale::De,
        Locale::It,
        Locale::PtBr,
        Locale::Nl,
    ];

    pub const FALLBACK: Locale = Locale::En;

    /// The folder under `locales/`, a BCP 47 tag.
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Es => "es",
            Locale::Fr => "fr",
            Locale::De => "de",
            Locale::It => "it",
            Locale::PtBr => "pt-BR",
            Locale::Nl => "nl",
        }
    }

    /// Discord's locale codes served by this catalogue (Discord has no plain `es` or `en`).
    pub const fn discord_codes(self) -> &'static [&'static str] {
        match self {
            Locale::En => &["en-US", "en-GB"],
            Locale::Es => &["es-ES", "es-419"],
            Locale::Fr => &["fr"],
            Locale::De => &["de"],
            Locale::It => &["it"],
            Locale::PtBr => &["pt-BR"],
            Locale::Nl => &["nl"],
        }
    }

    /// The language subtag, for matching a region this catalogue does not name (`es-MX`, `pt-PT`).
    const fn language(self) -> &'static str {
        match self {
            Locale::PtBr => "pt",
            other => other.tag(),
        }
    }

    /// The catalogue for a Discord (or BCP 47) locale: the exact code first,
    /// then its language part (`es-419` → `es`); `None` when no catalogue speaks it.
    pub fn matching(code: &str) -> Option<Locale> {
        let code = code.trim();
        let exact = Locale::ALL.into_iter().find(|locale| {
            code.eq_ignore_ascii_case(locale.tag())
                || locale
                    .discord_codes()
                    .iter()
                    .any(|discord| code.eq_ignore_ascii_case(discord))
        });
        exact.or_else(|| {
            let language = code.split(['-', '_']).next().unwrap_or_default();
            Locale::ALL
                .into_iter()
                .find(|locale| language.eq_ignore_ascii_case(locale.language()))
        })
    }

    /// The catalogue for an interaction's or a server's locale, English when none speaks it (`ja`).
    pub fn from_discord(code: &str) -> Locale {
        Locale::matching(code).unwrap_or(Locale::FALLBACK)
    }

    const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A locale setting (`BOT_LOCALE`) no catalogue speaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "no catalogue for `{0}`; one of en, es, fr, de, it, pt-BR, nl (or a Discord locale such as es-419)"
)]
pub struct UnknownLocale(pub String);

impl FromStr for Locale {
    type Err = UnknownLocale;

    fn from_str(value: &str) -> Result<Locale, UnknownLocale> {
        Locale::matching(value).ok_or_else(|| UnknownLocale(value.trim().to_owned()))
    }
}

/// The files of each locale folder.
pub const FILES: [&str; 3] = ["commands.ftl", "member.ftl", "admin.ftl"];

/// One locale folder's files, in [`FILES`] order, compiled in.
macro_rules! locale_files {
    ($tag:literal) => {
        [
            include_str!(concat!("../locales/", $tag, "/commands.ftl")),
            include_str!(concat!("../locales/", $tag, "/member.ftl")),
            include_str!(concat!("../locales/", $tag, "/admin.ftl")),
        ]
    };
}

/// The compiled-in text of `locale`'s files, named as in [`FILES`].
pub fn sources(locale: Locale) -> [(&'static str, &'static str); FILES.len()] {
    let texts = match locale {
        Locale::En => locale_files!("en"),
        Locale::Es => locale_files!("es"),
        Locale::Fr => locale_files!("fr"),
        Locale::De => locale_files!("de"),
        Locale::It => locale_files!("it"),
        Locale::PtBr => locale_files!("pt-BR"),
        Locale::Nl => locale_files!("nl"),
    };
    let mut named = [("", ""); FILES.len()];
    for (slot, (name, text)) in named.iter_mut().zip(FILES.into_iter().zip(texts)) {
        *slot = (name, text);
    }
    named
}

/// Discord's limit for a command or option description, in characters.
pub const DESCRIPTION_MAX: usize = 100;

/// Why [`Catalogue::try_format`] gave no clean text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("`{locale}` has no message `{id}`")]
    Missing { locale: Locale, id: String },
    /// A placeholder without its argument, or an unknown reference: the text has `{$name}` holes.
    #[error("`{locale}` message `{id}`: {errors}")]
    Unresolved {
        locale: Locale,
        id: String,
        errors: String,
    },
}

/// Every locale's bundle, parsed once.
pub struct Catalogue {
    bundles: Vec<FluentBundle<FluentResource>>,
    problems: Vec<String>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::load);

impl Catalogue {
    /// The compiled-in catalogue, parsed on first use.
    pub fn get() -> &'static Catalogue {
        &CATALOGUE
    }

    /// Parses every locale anew ([`Catalogue::get`] does it once). Keeps
    /// whatever parses: a broken line loses its message (English then answers
    /// for it) and is listed in [`Catalogue::problems`], never a panic.
    pub fn load() -> Catalogue {
        Catalogue::from_sources(|locale| sources(locale).to_vec())
    }

    fn from_sources(sources: impl Fn(Locale) -> Vec<(&'static str, &'static str)>) -> Catalogue {
        let mut problems = Vec::new();
        let bundles = Locale::ALL
            .into_iter()
            .map(|locale| {
                let langid = locale
                    .tag()
                    .parse::<LanguageIdentifier>()
                    .unwrap_or_else(|err| {
                        problems.push(format!("{locale}: bad language tag ({err})"));
                        LanguageIdentifier::default()
                    });
                let mut bundle = FluentBundle::new_concurrent(vec![langid]);
                // Isolation marks around placeables would break `<@id>` mentions and `<t:…:R>` timestamps.
                bundle.set_use_isolating(false);
                for (file, text) in sources(locale) {
                    let resource = FluentResource::try_new(text.to_owned()).unwrap_or_else(
                        |(resource, errors)| {
                            for error in errors {
                                problems.push(format!("{locale}/{file}: {error}"));
                            }
                            resource
                        },
                    );
                    if let Err(errors) = bundle.add_resource(resource) {
                        for error in errors {
                            problems.push(format!("{locale}/{file}: {error}"));
                        }
                    }
                }
                bundle
            })
            .collect();
        Catalogue { bundles, problems }
    }

    /// Syntax errors and duplicate ids found while loading; empty for a shipped catalogue.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    fn bundle(&self, locale: Locale) -> Option<&FluentBundle<FluentResource>> {
        self.bundles.get(locale.index())
    }

    /// Whether `locale` itself has message `id` (no fallback).
    pub fn has(&self, locale: Locale, id: &str) -> bool {
        self.bundle(locale)
            .and_then(|bundle| bundle.get_message(id))
            .is_some_and(|message| message.value().is_some())
    }

    /// `id` in `locale` exactly: no fallback, and any unresolved placeholder is an error.
    pub fn try_format(
        &self,
        locale: Locale,
        id: &str,
        args: Option<&FluentArgs<'_>>,
    ) -> Result<String, FormatError> {
        let missing = || FormatError::Missing {
            locale,
            id: id.to_owned(),
        };
        let bundle = self.bundle(locale).ok_or_else(missing)?;
        let pattern = bundle
            .get_message(id)
            .and_then(|message| message.value())
            .ok_or_else(missing)?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if errors.is_empty() {
            Ok(text.into_owned())
        } else {
            Err(FormatError::Unresolved {
                locale,
                id: id.to_owned(),
                errors: errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            })
        }
    }

    /// `id` in `locale`, else in English, else the id itself. Never fails: a
    /// message with a missing argument keeps a `{$name}` hole and is logged.
    pub fn format(&self, locale: Locale, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let locale = if self.has(locale, id) {
            locale
        } else {
            Locale::FALLBACK
        };
        let Some(bundle) = self.bundle(locale) else {
            return id.to_owned();
        };
        let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
            tracing::warn!(id, "no such message in the catalogue");
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            // Names only: the errors carry placeholder names, never argument values.
            tracing::warn!(id, %locale, errors = ?errors, "a catalogue message did not resolve");
        }
        text.into_owned()
    }

    /// `description_localizations` for a command or option: (Discord locale
    /// code, text) for every non-English catalogue that has `id`. English is the
    /// command's plain `description`.
    pub fn description_localizations(&self, id: &str) -> Vec<(&'static str, String)> {
        Locale::ALL
            .into_iter()
            .filter(|locale| *locale != Locale::FALLBACK && self.has(*locale, id))
            .flat_map(|locale| {
                let text = within(self.format(locale, id, None), DESCRIPTION_MAX);
                locale
                    .discord_codes()
                    .iter()
                    .map(move |code| (*code, text.clone()))
            })
            .collect()
    }
}

/// Cut to `max` characters: Discord refuses the whole registration for one long description.
fn within(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// The catalogue in one locale: the handle replies are rendered through.
#[derive(Clone, Copy)]
pub struct Localizer {
    locale: Locale,
    catalogue: &'static Catalogue,
}

impl fmt::Debug for Localizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Localizer").field(&self.locale).finish()
    }
}

impl Localizer {
    pub fn new(locale: Locale) -> Localizer {
        Localizer {
            locale,
            catalogue: Catalogue::get(),
        }
    }

    /// For an interaction's `locale` (or a server's `preferred_locale`).
    pub fn for_discord(code: &str) -> Localizer {
        Localizer::new(Locale::from_discord(code))
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// A message without placeholders.
    pub fn text(&self, id: &str) -> String {
        self.catalogue.format(self.locale, id, None)
    }

    /// A message with its placeholders.
    pub fn format(&self, id: &str, args: &FluentArgs<'_>) -> String {
        self.catalogue.format(self.locale, id, Some(args))
    }
}

/// `<@id>`: a member mention, as `$member`-style placeholders take it (a string:
/// Fluent numbers are floats and would round a Discord id).
pub fn user_mention(id: u64) -> String {
    format!("<@{id}>")
}

/// `<@&id>`: a role mention, for `$role` and `$roles`.
pub fn role_mention(id: u64) -> String {
    format!("<@&{id}>")
}

/// `<#id>`: a channel mention, for `$channel`.
pub fn channel_mention(id: u64) -> String {
    format!("<#{id}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_discord_locale_finds_its_catalogue_by_code_then_by_language() {
        assert_eq!(Locale::from_discord("fr"), Locale::Fr);
        assert_eq!(Locale::from_discord("es-ES"), Locale::Es);
        assert_eq!(Locale::from_discord("es-419"), Locale::Es);
        assert_eq!(Locale::from_discord("pt-BR"), Locale::PtBr);
        assert_eq!(Locale::from_discord("pt-PT"), Locale::PtBr);
        assert_eq!(Locale::from_discord("en-GB"), Locale::En);
        assert_eq!(Locale::from_discord("de_AT"), Locale::De);
        assert_eq!(Locale::from_discord("NL"), Locale::Nl);
    }

    #[test]
    fn a_locale_no_catalogue_speaks_falls_back_to_english() {
        assert_eq!(Locale::from_discord("ja"), Locale::En);
        assert_eq!(Locale::from_discord("zh-TW"), Locale::En);
        assert_eq!(Locale::from_discord(""), Locale::En);
        assert_eq!(Locale::matching("ja"), None);
    }

    #[test]
    fn a_locale_setting_parses_strictly_and_names_the_choices() {
        assert_eq!("pt-BR".parse::<Locale>(), Ok(Locale::PtBr));
        assert_eq!(" es ".parse::<Locale>(), Ok(Locale::Es));
        let err = "klingon".parse::<Locale>().unwrap_err().to_string();
        assert!(err.contains("klingon") && err.contains("pt-BR"), "{err}");
    }

    #[test]
    fn a_message_missing_in_a_translation_is_answered_in_english() {
        let catalogue = Catalogue::from_sources(|locale| match locale {
            Locale::En => vec![("member.ftl", "hello = Hello { $member }\nbye = Bye")],
            _ => vec![("member.ftl", "bye = Salut")],
        });
        assert!(
            catalogue.problems().is_empty(),
            "{:?}",
            catalogue.problems()
        );
        let args = FluentArgs::from_iter([("member", user_mention(42))]);
        assert_eq!(catalogue.format(Locale::Fr, "bye", None), "Salut");
        assert_eq!(
            catalogue.format(Locale::Fr, "hello", Some(&args)),
            "Hello <@42>"
        );
        assert_eq!(catalogue.format(Locale::Fr, "nothing", None), "nothing");
    }

    #[test]
    fn a_broken_line_is_reported_and_the_rest_of_the_file_still_loads() {
        let catalogue = Catalogue::from_sources(|_| {
            vec![(
                "member.ftl",
                "good = Fine\nbroken = { $oops\nalso-good = Also fine",
            )]
        });
        assert!(!catalogue.problems().is_empty());
        assert_eq!(catalogue.format(Locale::De, "also-good", None), "Also fine");
        assert_eq!(catalogue.format(Locale::De, "good", None), "Fine");
    }

    #[test]
    fn a_missing_argument_is_an_error_for_try_format_and_a_hole_for_format() {
        let catalogue = Catalogue::get();
        let err = catalogue
            .try_format(Locale::En, "linked", None)
            .unwrap_err();
        assert!(matches!(err, FormatError::Unresolved { .. }), "{err}");
        assert!(
            catalogue
                .format(Locale::En, "linked", None)
                .contains("{$email}")
        );
    }

    #[test]
    fn long_descriptions_are_cut_to_discords_limit() {
        let cut = within("é".repeat(150), DESCRIPTION_MAX);
        assert_eq!(cut.chars().count(), DESCRIPTION_MAX);
        assert!(cut.ends_with('…'));
        assert_eq!(within("short".to_owned(), DESCRIPTION_MAX), "short");
    }
}
