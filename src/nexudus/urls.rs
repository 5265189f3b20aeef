//! The client's URLs, built once from the configured bases.
//!
//! Bases may or may not end with `/` and may carry a path (`…/api`), so paths
//! are appended segment by segment (`path_segments_mut`), never by string
//! concatenation, and query values go through `query_pairs_mut`, which
//! percent-encodes them (a `+` in an email becomes `%2B` and survives).

use anyhow::{Context, bail};
use url::Url;

/// Precomputed endpoint URLs.
#[derive(Debug, Clone)]
pub(crate) struct Urls {
    api: Url,
    user_token: Url,
    users: Url,
    reset_password: Url,
    login: Url,
}

impl Urls {
    pub fn new(api: &Url, portal: &Url, language: &str) -> anyhow::Result<Self> {
        let api = base(api).context("NEXUDUS_API_URL")?;
        let portal = base(portal).context("NEXUDUS_PORTAL_URL")?;
        if language.is_empty() || language.contains('/') {
            bail!("NEXUDUS_LANGUAGE must be one path segment");
        }
        Ok(Urls {
            user_token: join(&api, &["sys", "users", "token"]),
            users: join(&api, &["sys", "users"]),
            reset_password: join(&portal, &[language, "user", "resetPassword"]),
            login: join(&portal, &[language, "user", "login"]),
            api,
        })
    }

    /// `{API}/sys/users/token`
    pub fn user_token(&self) -> Url {
        self.user_token.clone()
    }

    /// `{API}/sys/users/{id}/token/refresh`
    pub fn token_refresh(&self, user_id: u64) -> Url {
        join(
            &self.api,
            &["sys", "users", &user_id.to_string(), "token", "refresh"],
        )
    }

    /// `{API}/sys/users?User_Email={email}`
    pub fn find_user(&self, email: &str) -> Url {
        with_query(&self.users, &[("User_Email", email)])
    }

    /// `{PORTAL}/{lang}/user/resetPassword?email={email}`
    pub fn reset_password(&self, email: &str) -> Url {
        with_query(&self.reset_password, &[("email", email)])
    }

    /// `{PORTAL}/{lang}/user/login?t={token}&redirectUrl={redirect}`; the
    /// caller guarantees `redirect` is a relative path.
    pub fn login(&self, token: &str, redirect: &str) -> String {
        with_query(&self.login, &[("t", token), ("redirectUrl", redirect)]).into()
    }
}

/// Checks that `url` is an http(s) base and drops any query or fragment.
fn base(url: &Url) -> anyhow::Result<Url> {
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        bail!("must be an http(s) URL");
    }
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// Appends path segments (percent-encoded) to a base, with or without a trailing `/`.
fn join(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    // `base()` checked that the URL can be a base, so this always applies.
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

fn with_query(url: &Url, pairs: &[(&str, &str)]) -> Url {
    let mut url = url.clone();
    url.query_pairs_mut().extend_pairs(pairs);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(api: &str, portal: &str) -> Urls {
        Urls::new(
            &Url::parse(api).unwrap(),
            &Url::parse(portal).unwrap(),
            "en",
        )
        .unwrap()
    }

    #[test]
    fn paths_join_the_same_with_or_without_a_trailing_slash() {
        for (api, portal) in [
            (
                "https://spaces.nexudus.com/api",
                "https://x.spaces.nexudus.com",
            ),
            (
                "https://spaces.nexudus.com/api/",
                "https://x.spaces.nexudus.com/",
            ),
        ] {
            let u = urls(api, portal);
            assert_eq!(
                u.user_token().as_str(),
                "https://spaces.nexudus.com/api/sys/users/token"
            );
            assert_eq!(
                u.token_refresh(42).as_str(),
                "https://spaces.nexudus.com/api/sys/users/42/token/refresh"
            );
            assert_eq!(
                u.find_user("a+b@c.d").as_str(),
                "https://spaces.nexudus.com/api/sys/users?User_Email=a%2Bb%40c.d"
            );
            assert_eq!(
                u.reset_password("a b@c.d").as_str(),
                "https://x.spaces.nexudus.com/en/user/resetPassword?email=a+b%40c.d"
            );
        }
    }

    #[test]
    fn non_http_bases_are_refused() {
        let ok = Url::parse("https://x.example").unwrap();
        assert!(Urls::new(&Url::parse("mailto:a@b.c").unwrap(), &ok, "en").is_err());
        assert!(Urls::new(&ok, &Url::parse("ftp://x.example").unwrap(), "en").is_err());
        assert!(Urls::new(&ok, &ok, "en/x").is_err());
    }
}
