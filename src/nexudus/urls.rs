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
    portal: Url,
    user_token: Url,
    member_token: Url,
    start_password_reset: Url,
    business: Url,
    users: Url,
    coworkers: Url,
    contracts: Url,
}

impl Urls {
    pub fn new(api: &Url, portal: &Url, language: &str) -> anyhow::Result<Self> {
        let api = base(api).context("NEXUDUS_API_URL")?;
        let portal = base(portal).context("NEXUDUS_PORTAL_URL")?;
        if !is_segment(language) {
            bail!("NEXUDUS_LANGUAGE must be one path segment");
        }
        Ok(Urls {
            user_token: join(&api, &["sys", "users", "token"]),
            users: join(&api, &["sys", "users"]),
            coworkers: join(&api, &["spaces", "coworkers"]),
            contracts: join(&api, &["billing", "coworkercontracts"]),
            member_token: join(&portal, &["api", "token"]),
            start_password_reset: join(&portal, &["api", "sys", "users", "startPasswordReset"]),
            business: join(&portal, &["api", "public", "businesses", "current"]),
            api,
            portal,
        })
    }

    /// `{API}/sys/users/token` (the seed's member login)
    pub fn user_token(&self) -> Url {
        self.user_token.clone()
    }

    /// `{PORTAL}/api/token` (today's member login)
    pub fn member_token(&self) -> Url {
        self.member_token.clone()
    }

    /// `{PORTAL}/api/sys/users/startPasswordReset` (today's reset)
    pub fn start_password_reset(&self) -> Url {
        self.start_password_reset.clone()
    }

    /// `{PORTAL}/api/public/businesses/current`
    pub fn business(&self) -> Url {
        self.business.clone()
    }

    /// `{API}/sys/users/{id}/token/refresh`
    pub fn token_refresh(&self, user_id: u64) -> Url {
        join(
            &self.api,
            &["sys", "users", &user_id.to_string(), "token", "refresh"],
        )
    }

    /// `{API}/sys/users?User_Email={email}&page={page}&size={size}`
    pub fn find_user(&self, email: &str, page: u32, size: u32) -> Url {
        with_query(
            &self.users,
            &[
                ("User_Email", email),
                ("page", &page.to_string()),
                ("size", &size.to_string()),
            ],
        )
    }

    /// `{API}/spaces/coworkers?Coworker_User={userId}`
    pub fn coworker_of_user(&self, user_id: u64) -> Url {
        with_query(&self.coworkers, &[("Coworker_User", &user_id.to_string())])
    }

    /// `{API}/spaces/coworkers?size={size}`: the start of the coworker list.
    pub fn coworkers(&self, size: u32) -> Url {
        with_query(&self.coworkers, &[("size", &size.to_string())])
    }

    /// `{API}/billing/coworkercontracts?CoworkerContract_Coworker={id}&CoworkerContract_Active=true&size={size}`
    pub fn active_contracts_of(&self, coworker_id: u64, size: u32) -> Url {
        with_query(
            &self.contracts,
            &[
                ("CoworkerContract_Coworker", &coworker_id.to_string()),
                ("CoworkerContract_Active", "true"),
                ("size", &size.to_string()),
            ],
        )
    }

    /// `{API}/billing/coworkercontracts?CoworkerContract_Active=true&page={page}&size={size}`
    pub fn active_contracts(&self, page: u32, size: u32) -> Url {
        with_query(
            &self.contracts,
            &[
                ("CoworkerContract_Active", "true"),
                ("page", &page.to_string()),
                ("size", &size.to_string()),
            ],
        )
    }

    /// `{API}/billing/coworkercontracts?size={size}`: the start of the contract list.
    pub fn contracts(&self, size: u32) -> Url {
        with_query(&self.contracts, &[("size", &size.to_string())])
    }

    /// `{PORTAL}/{lang}/user/resetPassword?email={email}` (the seed's reset)
    pub fn reset_password(&self, language: &str, email: &str) -> Url {
        let page = join(&self.portal, &[language, "user", "resetPassword"]);
        with_query(&page, &[("email", email)])
    }

    /// `{PORTAL}/{lang}`: the login-link base when Nexudus names none.
    pub fn portal_home(&self, language: &str) -> Url {
        join(&self.portal, &[language])
    }
}

/// `{base}/user/login?t={token}&redirectUrl={redirect}`; the caller
/// guarantees `redirect` is a relative path and `base` an http(s) base.
pub(crate) fn login(base: &Url, token: &str, redirect: &str) -> String {
    let login = join(base, &["user", "login"]);
    with_query(&login, &[("t", token), ("redirectUrl", redirect)]).into()
}

/// One non-empty path segment that needs no escaping and is not `.`/`..`.
pub(crate) fn is_segment(raw: &str) -> bool {
    !raw.is_empty()
        && raw != "."
        && raw != ".."
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
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
                u.find_user("a+b@c.d", 2, 100).as_str(),
                "https://spaces.nexudus.com/api/sys/users?User_Email=a%2Bb%40c.d&page=2&size=100"
            );
            assert_eq!(
                u.reset_password("fr", "a b@c.d").as_str(),
                "https://x.spaces.nexudus.com/fr/user/resetPassword?email=a+b%40c.d"
            );
            assert_eq!(
                u.member_token().as_str(),
                "https://x.spaces.nexudus.com/api/token"
            );
            assert_eq!(
                u.start_password_reset().as_str(),
                "https://x.spaces.nexudus.com/api/sys/users/startPasswordReset"
            );
            assert_eq!(
                u.business().as_str(),
                "https://x.spaces.nexudus.com/api/public/businesses/current"
            );
            assert_eq!(
                u.coworker_of_user(42).as_str(),
                "https://spaces.nexudus.com/api/spaces/coworkers?Coworker_User=42"
            );
            assert_eq!(
                u.active_contracts_of(7, 100).as_str(),
                "https://spaces.nexudus.com/api/billing/coworkercontracts?CoworkerContract_Coworker=7&CoworkerContract_Active=true&size=100"
            );
            assert_eq!(
                u.active_contracts(3, 100).as_str(),
                "https://spaces.nexudus.com/api/billing/coworkercontracts?CoworkerContract_Active=true&page=3&size=100"
            );
            assert_eq!(
                u.coworkers(1).as_str(),
                "https://spaces.nexudus.com/api/spaces/coworkers?size=1"
            );
            assert_eq!(
                u.contracts(1).as_str(),
                "https://spaces.nexudus.com/api/billing/coworkercontracts?size=1"
            );
            assert_eq!(
                login(&u.portal_home("en"), "t", "/").as_str(),
                "https://x.spaces.nexudus.com/en/user/login?t=t&redirectUrl=%2F"
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
