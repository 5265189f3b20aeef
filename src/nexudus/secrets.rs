//! Secret values handed out by the client. Their `Debug` (and `Display`, where
//! there is one) never show the secret, so they can sit in structs that get
//! logged without leaking anything.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A one-time portal login token minted for a Nexudus user.
///
/// It has no `Display` and no accessor: the only thing to do with it is
/// [`NexudusClient::login_url`](super::NexudusClient::login_url).
pub struct LoginToken(SecretString);

impl LoginToken {
    /// Wraps a token (the client does this; also useful for test doubles).
    pub fn new(token: SecretString) -> Self {
        LoginToken(token)
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for LoginToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LoginToken([redacted])")
    }
}

/// A ready-to-open portal login link: it logs whoever opens it in, once.
///
/// `Debug` and `Display` are redacted; [`LoginUrl::expose`] is meant for one
/// place only: the URL of the Discord link button sent to the member.
pub struct LoginUrl(SecretString);

impl LoginUrl {
    pub(crate) fn new(url: String) -> Self {
        LoginUrl(SecretString::from(url))
    }

    /// The full URL, token included. Put it in a Discord link button; never
    /// log it, store it or show it in a channel.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for LoginUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LoginUrl([redacted])")
    }
}

impl fmt::Display for LoginUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted login URL]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_or_display() {
        let token = LoginToken::new(SecretString::from("tok-SECRET-123"));
        assert_eq!(format!("{token:?}"), "LoginToken([redacted])");
        assert_eq!(format!("{token:#?}"), "LoginToken([redacted])");

        let url = LoginUrl::new("https://p.example/en/user/login?t=tok-SECRET-123".to_owned());
        for shown in [
            format!("{url:?}"),
            format!("{url:#?}"),
            format!("{url}"),
            url.to_string(),
        ] {
            assert!(!shown.contains("SECRET"), "{shown}");
            assert!(!shown.contains("p.example"), "{shown}");
        }
        assert!(url.expose().contains("tok-SECRET-123"));

        let password = SecretString::from("hunter2-SECRET");
        assert!(!format!("{password:?}").contains("SECRET"));
    }
}
