//! The space as Nexudus announces it (`GET {PORTAL}/api/public/businesses/current`)
//! and what the client makes of it: the login-link base and its language.
//!
//! Today's Nexudus names the space's own members-portal home,
//! `NativeHomeUrlWithLanguage` (e.g. `https://members.example.com/fr`: a
//! custom domain, with the language the space uses). The seed's Nexudus names
//! nothing; then links start at `{PORTAL}/{NEXUDUS_LANGUAGE}`.

use url::Url;

use super::envelope::BusinessRecord;
use super::urls::is_segment;

/// The space, from `businesses/current`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Space {
    /// `Id`: the businessId today's password reset names.
    pub business_id: u64,
    /// `Name`, trimmed (empty when Nexudus gave none).
    pub name: String,
    /// `NativeHomeUrlWithLanguage` when it is a plain http(s) URL (origin and
    /// an optional path of simple segments); `None` when it is missing or
    /// anything else, and links then start at `{PORTAL}/{NEXUDUS_LANGUAGE}`.
    pub home_url: Option<Url>,
}

impl Space {
    pub(crate) fn from_record(record: BusinessRecord) -> Space {
        Space {
            business_id: record.id,
            name: record
                .name
                .map(|name| name.trim().to_owned())
                .unwrap_or_default(),
            home_url: record.native_home_url.as_deref().and_then(home_url),
        }
    }
}

/// Where login links start and the portal language, as the client uses them.
#[derive(Debug, Clone)]
pub(crate) struct Portal {
    pub space: Option<Space>,
    /// `{base}/user/login` is the login page.
    pub base: Url,
    pub language: String,
}

impl Portal {
    /// Nothing discovered: `{PORTAL}/{NEXUDUS_LANGUAGE}`.
    pub fn fallback(home: Url, language: &str) -> Portal {
        Portal {
            space: None,
            base: home,
            language: language.to_owned(),
        }
    }

    /// The discovered space; its home when usable, else `fallback`'s base.
    /// The language is the home's last path segment when it looks like a
    /// language code, else the configured one.
    pub fn discovered(space: Space, fallback: &Portal) -> Portal {
        let (base, language) = match &space.home_url {
            Some(home) => (
                home.clone(),
                language_of(home).unwrap_or_else(|| fallback.language.clone()),
            ),
            None => (fallback.base.clone(), fallback.language.clone()),
        };
        Portal {
            space: Some(space),
            base,
            language,
        }
    }
}

/// Longest discovered URL we accept; a real portal home is far shorter.
const MAX_HOME_URL: usize = 512;

/// Validates `NativeHomeUrlWithLanguage`: http(s), a host, no credentials,
/// query or fragment, and a path of simple segments (a trailing `/` is
/// dropped). Login links are built on it and sent to members, so anything
/// odd is refused rather than repaired.
pub(crate) fn home_url(raw: &str) -> Option<Url> {
    let raw = raw.trim();
    if raw.len() > MAX_HOME_URL {
        return None;
    }
    let mut url = Url::parse(raw).ok()?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|host| !host.is_empty())
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none();
    if !plain {
        return None;
    }
    let segments: Vec<String> = url
        .path_segments()?
        .filter(|segment| !segment.is_empty())
        .map(str::to_owned)
        .collect();
    // Empty segments in the middle (`/a//b`) are odd too, not only trailing ones.
    let in_path = url.path().trim_matches('/').split('/').count();
    if segments.iter().any(|s| !is_segment(s))
        || (!segments.is_empty() && in_path != segments.len())
    {
        return None;
    }
    url.path_segments_mut().ok()?.clear().extend(&segments);
    Some(url)
}

/// The language a portal home ends with (`…/fr` → `fr`, `…/pt-BR` → `pt-BR`).
fn language_of(home: &Url) -> Option<String> {
    let last = home.path_segments()?.next_back()?;
    let looks_like_language = (2..=10).contains(&last.len())
        && last.starts_with(|c: char| c.is_ascii_alphabetic())
        && last.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    looks_like_language.then(|| last.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_homes_are_kept_with_any_trailing_slash_dropped() {
        for (raw, kept) in [
            (
                "https://members.example.com/fr",
                "https://members.example.com/fr",
            ),
            (
                " https://members.example.com/fr/ ",
                "https://members.example.com/fr",
            ),
            (
                "https://x.spaces.nexudus.com/en",
                "https://x.spaces.nexudus.com/en",
            ),
            ("http://127.0.0.1:8080/pt-BR", "http://127.0.0.1:8080/pt-BR"),
            (
                "https://members.example.com",
                "https://members.example.com/",
            ),
            (
                "https://example.com/portal/de",
                "https://example.com/portal/de",
            ),
        ] {
            assert_eq!(
                home_url(raw).map(String::from).as_deref(),
                Some(kept),
                "{raw}"
            );
        }
    }

    #[test]
    fn odd_homes_are_refused() {
        for raw in [
            "",
            "members.example.com/fr",
            "javascript:alert(1)",
            "ftp://members.example.com/fr",
            "https://user:pw@members.example.com/fr",
            "https://members.example.com/fr?x=1",
            "https://members.example.com/fr#top",
            "https://members.example.com/f%20r",
            "https://members.example.com/a//b",
            "data:text/html,hi",
        ] {
            assert_eq!(home_url(raw), None, "{raw}");
        }
        assert_eq!(
            home_url(&format!("https://x.example/{}", "a".repeat(600))),
            None
        );
    }

    fn portal_from(home: Option<&str>) -> Portal {
        let fallback =
            Portal::fallback(Url::parse("https://x.spaces.nexudus.com/en").unwrap(), "en");
        let space = Space {
            business_id: 1,
            name: "S".to_owned(),
            home_url: home.and_then(home_url),
        };
        Portal::discovered(space, &fallback)
    }

    #[test]
    fn the_language_is_the_homes_last_segment_when_it_looks_like_one() {
        let portal = portal_from(Some("https://members.example.com/fr"));
        assert_eq!(portal.language, "fr");
        assert_eq!(portal.base.as_str(), "https://members.example.com/fr");

        let portal = portal_from(Some("https://members.example.com"));
        assert_eq!(portal.language, "en");
        assert_eq!(portal.base.as_str(), "https://members.example.com/");

        let portal = portal_from(Some("https://members.example.com/portal_home"));
        assert_eq!(portal.language, "en");
    }

    #[test]
    fn without_a_usable_home_the_fallback_base_and_language_stay() {
        let portal = portal_from(Some("https://members.example.com/fr?x"));
        assert_eq!(portal.base.as_str(), "https://x.spaces.nexudus.com/en");
        assert_eq!(portal.language, "en");
        assert_eq!(portal.space.map(|s| s.business_id), Some(1));
    }
}
