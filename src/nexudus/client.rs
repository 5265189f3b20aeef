//! [`NexudusClient`]: the four Nexudus calls the bot makes.
//!
//! Every public call is one *operation*, bounded as a whole by
//! `NEXUDUS_TIMEOUT_SECS`: waiting for an outbound slot, the HTTP exchange(s)
//! (the GET→POST fallback of `login_token`, one throttling retry) and any
//! `Retry-After` wait. Each HTTP exchange first takes a slot from the global
//! [`Outbound`] limiter.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use anyhow::Context;
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, RequestBuilder, redirect};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use tokio::time::Instant;
use url::Url;

use super::envelope::{take_token, user_records};
use super::error::{MalformedReason, NexudusError, UnavailableReason};
use super::observe::{CallObserver, Endpoint};
use super::outbound::Outbound;
use super::response::{RawResponse, interpret, is_throttle, parse_retry_after};
use super::secrets::{LoginToken, LoginUrl};
use super::urls::Urls;
use crate::config::NexudusSettings;
use crate::pages::{PortalPage, validate_relative_path};

const USER_AGENT: &str = concat!("nexudus-bot/", env!("CARGO_PKG_VERSION"));

/// The longest `Retry-After` we wait out (design §3); longer ends the
/// operation as `Throttled`.
const MAX_THROTTLE_WAIT: Duration = Duration::from_secs(5);

/// Connecting should be quick; a host that does not accept within this is down.
const CONNECT_TIMEOUT_CAP: Duration = Duration::from_secs(5);

/// Bodies we read at most. The largest legitimate answer is a user list; a
/// bigger body is a misbehaving server, and reading it would cost memory.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Which method `login_token` should use; learnt at the first answer.
const REFRESH_UNKNOWN: u8 = 0;
const REFRESH_GET: u8 = 1;
const REFRESH_POST: u8 = 2;

/// A Nexudus user found by email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NexudusUser {
    pub id: u64,
    /// The email as Nexudus has it (trimmed), which may differ in case from
    /// the one searched for.
    pub email: String,
}

/// The internal Nexudus client. Cheap to clone: clones share one HTTP
/// connection pool, one outbound limiter and what was learnt about the API.
#[derive(Clone)]
pub struct NexudusClient {
    inner: Arc<Inner>,
    observer: Option<Arc<dyn CallObserver>>,
}

struct Inner {
    http: reqwest::Client,
    urls: Urls,
    api_username: String,
    api_password: SecretString,
    timeout: Duration,
    outbound: Outbound,
    refresh_method: AtomicU8,
}

/// The state of one operation: its deadline and whether its one throttling
/// retry was used.
struct Budget {
    deadline: Instant,
    throttle_retried: bool,
}

impl Budget {
    fn new(timeout: Duration) -> Self {
        Budget {
            deadline: Instant::now() + timeout,
            throttle_retried: false,
        }
    }

    fn has_time_for(&self, wait: Duration) -> bool {
        Instant::now() + wait < self.deadline
    }
}

/// The JSON body of `POST /sys/users/token`; borrows, so the password is not copied.
#[derive(Serialize)]
struct UserTokenRequest<'a> {
    email: &'a str,
    password: &'a str,
    #[serde(rename = "validityInMinutes")]
    validity_in_minutes: u32,
}

impl NexudusClient {
    /// Builds the client: one HTTP client (connect timeout, total per-request
    /// timeout, `User-Agent: nexudus-bot/<version>`, `Accept: application/json`
    /// on every call, no redirects followed) and the global outbound limiter.
    ///
    /// Fails only on settings `config` should already have refused (a base
    /// URL that is not http(s), a language that is not one path segment) or
    /// if the TLS backend cannot start.
    pub fn new(settings: &NexudusSettings) -> anyhow::Result<Self> {
        let urls = Urls::new(&settings.api_url, &settings.portal_url, &settings.language)?;
        let mut headers = HeaderMap::new();
        // The portal content-negotiates: without this it answers HTML.
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .connect_timeout(settings.timeout.min(CONNECT_TIMEOUT_CAP))
            .timeout(settings.timeout)
            // A redirect is a misconfigured URL; following it could carry the
            // REST credentials' request somewhere unexpected.
            .redirect(redirect::Policy::none())
            .build()
            .context("cannot build the Nexudus HTTP client")?;
        Ok(NexudusClient {
            inner: Arc::new(Inner {
                http,
                urls,
                api_username: settings.api_username.clone(),
                api_password: settings.api_password.clone(),
                timeout: settings.timeout,
                outbound: Outbound::new(settings.max_concurrency, settings.max_rps),
                refresh_method: AtomicU8::new(REFRESH_UNKNOWN),
            }),
            observer: None,
        })
    }

    /// Reports every operation's endpoint, outcome and latency to `observer`.
    pub fn with_observer(mut self, observer: Arc<dyn CallObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Verifies a member's email and password: `POST {API}/sys/users/token`
    /// with JSON `{"email","password","validityInMinutes"}`, no REST
    /// credentials. Returns the member's JWT (the envelope's `Value`: a string,
    /// or an object with `Token`/`token`).
    ///
    /// The email is trimmed; the password is sent as is. A `WasSuccessful:false`
    /// envelope, whatever the HTTP status, is [`NexudusError::InvalidCredentials`].
    pub async fn user_token(
        &self,
        email: &str,
        password: &SecretString,
        validity_minutes: u32,
    ) -> Result<SecretString, NexudusError> {
        let op = async {
            let mut budget = Budget::new(self.inner.timeout);
            let body = UserTokenRequest {
                email: email.trim(),
                password: password.expose_secret(),
                validity_in_minutes: validity_minutes,
            };
            let url = self.inner.urls.user_token();
            let response = self
                .exchange(Endpoint::UserToken, &mut budget, || {
                    self.inner.http.post(url.clone()).json(&body)
                })
                .await?;
            let value = interpret(Endpoint::UserToken, &response)?;
            take_token(value).map_err(|reason| response.malformed(reason))
        };
        self.observed(Endpoint::UserToken, op).await
    }

    /// Mints a one-time portal login token for a user:
    /// `GET {API}/sys/users/{id}/token/refresh` with the REST credentials.
    ///
    /// Older Nexudus versions want POST: until one method has answered 2xx, a
    /// 404/405 to GET is retried once with POST, and the method that worked
    /// is used for the rest of the process (so afterwards a 404 is simply
    /// [`NexudusError::NotFound`]). The token is the envelope's `Value`: a
    /// string, or an object with a string `Token` (or `token`) field.
    pub async fn login_token(&self, user_id: u64) -> Result<LoginToken, NexudusError> {
        self.observed(Endpoint::LoginToken, self.login_token_op(user_id))
            .await
    }

    async fn login_token_op(&self, user_id: u64) -> Result<LoginToken, NexudusError> {
        let mut budget = Budget::new(self.inner.timeout);
        let url = self.inner.urls.token_refresh(user_id);
        let known = self.inner.refresh_method.load(Ordering::Relaxed);
        let mut call = async |method: Method| {
            self.exchange(Endpoint::LoginToken, &mut budget, || {
                self.rest(method.clone(), &url)
            })
            .await
            .map(|response| (method, response))
        };
        let (method, response) = if known == REFRESH_POST {
            call(Method::POST).await?
        } else {
            let get = call(Method::GET).await?;
            let route_missing = matches!(get.1.status.as_u16(), 404 | 405);
            if known == REFRESH_UNKNOWN && route_missing {
                let post = call(Method::POST).await?;
                // POST not allowed either: GET's answer (e.g. a 404 for an
                // unknown user) is the meaningful one.
                if post.1.status.as_u16() == 405 {
                    get
                } else {
                    post
                }
            } else {
                get
            }
        };
        if response.status.is_success() {
            let learnt = if method == Method::POST {
                REFRESH_POST
            } else {
                REFRESH_GET
            };
            self.inner.refresh_method.store(learnt, Ordering::Relaxed);
        }
        let value = interpret(Endpoint::LoginToken, &response)?;
        let token = take_token(value).map_err(|reason| response.malformed(reason))?;
        Ok(LoginToken::new(token))
    }

    /// Finds a user by email: `GET {API}/sys/users?User_Email={email}` with
    /// the REST credentials.
    ///
    /// The filter may match by "contains", so the record returned is the first
    /// whose `Email` equals `email`, both trimmed, compared case-insensitively;
    /// none is [`NexudusError::NotFound`] (so is an empty email, without a
    /// call). Accepts the bare list `{"Records":[...],"TotalItems":n}` and the
    /// same list wrapped in an envelope.
    pub async fn find_user_by_email(&self, email: &str) -> Result<NexudusUser, NexudusError> {
        let op = async {
            let wanted = email.trim();
            if wanted.is_empty() {
                return Err(NexudusError::NotFound);
            }
            let mut budget = Budget::new(self.inner.timeout);
            let url = self.inner.urls.find_user(wanted);
            let response = self
                .exchange(Endpoint::FindUser, &mut budget, || {
                    self.rest(Method::GET, &url)
                })
                .await?;
            let list = interpret(Endpoint::FindUser, &response)?;
            let records = user_records(list).map_err(|reason| response.malformed(reason))?;
            let wanted = wanted.to_lowercase();
            records
                .into_iter()
                .find_map(|record| {
                    let email = record.email?;
                    let email = email.trim();
                    (email.to_lowercase() == wanted).then(|| NexudusUser {
                        id: record.id,
                        email: email.to_owned(),
                    })
                })
                .ok_or(NexudusError::NotFound)
        };
        self.observed(Endpoint::FindUser, op).await
    }

    /// Asks Nexudus to email a password-reset link:
    /// `GET {PORTAL}/{lang}/user/resetPassword?email={email}` (email trimmed),
    /// no REST credentials. 200 with a successful envelope is `Ok`; 404 (no
    /// such user) is [`NexudusError::NotFound`].
    pub async fn request_password_reset(&self, email: &str) -> Result<(), NexudusError> {
        let op = async {
            let mut budget = Budget::new(self.inner.timeout);
            let url = self.inner.urls.reset_password(email.trim());
            let response = self
                .exchange(Endpoint::PasswordReset, &mut budget, || {
                    self.inner.http.get(url.clone())
                })
                .await?;
            interpret(Endpoint::PasswordReset, &response).map(|_value| ())
        };
        self.observed(Endpoint::PasswordReset, op).await
    }

    /// The link that logs a member into the portal once:
    /// `{PORTAL}/{lang}/user/login?t={token}&redirectUrl={page path}`, query
    /// values percent-encoded. Never requested by the bot.
    ///
    /// `page` comes from the configured pages, whose paths `config` validated
    /// as relative; this is checked again so a login link can never send a
    /// member off the portal (in release builds a bad path becomes `/`).
    pub fn login_url(&self, token: &LoginToken, page: &PortalPage) -> LoginUrl {
        let relative = validate_relative_path(page.path()).is_ok();
        debug_assert!(
            relative,
            "portal page paths are validated relative by config"
        );
        let redirect = if relative {
            page.path()
        } else {
            tracing::warn!(
                page = page.label(),
                "portal page path is not relative; using /"
            );
            "/"
        };
        LoginUrl::new(self.inner.urls.login(token.expose(), redirect))
    }

    /// A request carrying the REST credentials (HTTP Basic).
    fn rest(&self, method: Method, url: &Url) -> RequestBuilder {
        self.inner.http.request(method, url.clone()).basic_auth(
            &self.inner.api_username,
            Some(self.inner.api_password.expose_secret()),
        )
    }

    /// Runs one operation under the time budget and reports it.
    async fn observed<T>(
        &self,
        endpoint: Endpoint,
        op: impl Future<Output = Result<T, NexudusError>>,
    ) -> Result<T, NexudusError> {
        let started = Instant::now();
        let result = tokio::time::timeout(self.inner.timeout, op)
            .await
            .unwrap_or_else(|_elapsed| Err(NexudusError::Timeout));
        let elapsed = started.elapsed();
        let outcome = match &result {
            Ok(_) => "ok",
            Err(error) => error.kind(),
        };
        tracing::debug!(
            endpoint = endpoint.as_str(),
            outcome,
            elapsed_ms = elapsed.as_millis() as u64,
            "nexudus call"
        );
        if let Some(observer) = &self.observer {
            observer.observe(endpoint, outcome, elapsed);
        }
        result
    }

    /// One HTTP exchange, plus the one retry a short `Retry-After` earns.
    ///
    /// A 409/429 is retried once, after waiting `Retry-After`, when that is at
    /// most 5 s and fits in the time left; otherwise (too long, missing or not
    /// in seconds, a second throttle, or no time left to wait) the operation
    /// ends as [`NexudusError::Throttled`] at once rather than sleeping into a
    /// certain timeout.
    async fn exchange(
        &self,
        endpoint: Endpoint,
        budget: &mut Budget,
        request: impl Fn() -> RequestBuilder,
    ) -> Result<RawResponse, NexudusError> {
        loop {
            let response = self.send(endpoint, request()).await?;
            if !is_throttle(response.status) {
                return Ok(response);
            }
            let retry_after = response.retry_after;
            match retry_after {
                Some(wait)
                    if wait <= MAX_THROTTLE_WAIT
                        && !budget.throttle_retried
                        && budget.has_time_for(wait) =>
                {
                    budget.throttle_retried = true;
                    tracing::debug!(
                        endpoint = endpoint.as_str(),
                        wait_ms = wait.as_millis() as u64,
                        "nexudus throttled; waiting before one retry"
                    );
                    tokio::time::sleep(wait).await;
                }
                _ => return Err(NexudusError::Throttled { retry_after }),
            }
        }
    }

    /// Sends one request through the outbound limiter and reads the whole body.
    async fn send(
        &self,
        endpoint: Endpoint,
        request: RequestBuilder,
    ) -> Result<RawResponse, NexudusError> {
        let request = request.build().map_err(transport_error)?;
        let method = request.method().clone();
        // Held until the body is read: a slot is a whole HTTP exchange.
        let _slot = self.inner.outbound.acquire().await?;
        let started = Instant::now();
        let result = self.fetch(request).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        // Never the URL (it holds emails), the body or a header.
        match &result {
            Ok(response) => tracing::debug!(
                endpoint = endpoint.as_str(),
                %method,
                status = response.status.as_u16(),
                elapsed_ms,
                "nexudus http exchange"
            ),
            Err(error) => tracing::debug!(
                endpoint = endpoint.as_str(),
                %method,
                error = error.kind(),
                elapsed_ms,
                "nexudus http exchange failed"
            ),
        }
        result
    }

    async fn fetch(&self, request: reqwest::Request) -> Result<RawResponse, NexudusError> {
        let mut response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(transport_error)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(parse_retry_after);
        let too_large = |body_len: usize| NexudusError::Malformed {
            reason: MalformedReason::BodyTooLarge,
            status: status.as_u16(),
            body_len,
        };
        if let Some(announced) = response.content_length()
            && announced > MAX_BODY_BYTES as u64
        {
            return Err(too_large(usize::try_from(announced).unwrap_or(usize::MAX)));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(too_large(body.len() + chunk.len()));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse {
            status,
            retry_after,
            body,
        })
    }
}

/// Maps a reqwest error without keeping it: it is not `Clone`, and its URL
/// can hold an email (stripped before it is logged, at debug only).
fn transport_error(error: reqwest::Error) -> NexudusError {
    let error = error.without_url();
    tracing::debug!(error = ?error, "nexudus transport error");
    if error.is_connect() {
        NexudusError::unavailable(UnavailableReason::Connect)
    } else if error.is_timeout() {
        NexudusError::Timeout
    } else {
        NexudusError::unavailable(UnavailableReason::Transport)
    }
}

impl fmt::Debug for NexudusClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NexudusClient")
            .field("urls", &self.inner.urls)
            .field("api_username", &self.inner.api_username)
            .field("timeout", &self.inner.timeout)
            .field("observer", &self.observer.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Callers spawn these futures (serenity handlers, tokio tasks): they must be `Send`.
    #[allow(dead_code, clippy::diverging_sub_expression)]
    fn operations_are_send(client: NexudusClient, password: SecretString) {
        fn assert_send<T: Send>(_: T) {}
        assert_send(client.user_token("a@b.c", &password, 5));
        assert_send(client.login_token(1));
        assert_send(client.find_user_by_email("a@b.c"));
        assert_send(client.request_password_reset("a@b.c"));
    }

    #[test]
    fn the_user_agent_names_the_bot_and_its_version() {
        assert_eq!(
            USER_AGENT,
            format!("nexudus-bot/{}", env!("CARGO_PKG_VERSION"))
        );
    }
}
