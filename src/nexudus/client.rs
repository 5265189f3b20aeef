//! [`NexudusClient`]: the Nexudus calls the bot makes.
//!
//! Every public call is one *operation*, bounded as a whole by
//! `NEXUDUS_TIMEOUT_SECS`: the HTTP exchange(s) (a fallback to the seed's
//! endpoint, one throttling retry, the pages of a lookup) and any
//! `Retry-After` wait. Each HTTP exchange first waits for its call in the
//! [`Line`], then takes a slot from the global [`Outbound`] limiter.
//!
//! Someone waiting (a member, a manager) joins the line in the service with
//! [`join`](NexudusClient::join) and calls through the client
//! [`on_turn`](NexudusClient::on_turn) returns; their wait is bounded by
//! `NEXUDUS_QUEUE_SECS`, not by the operation's timeout. Other calls
//! (discovery, probes) join the line as [`Class::Background`] call by call.

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, RequestBuilder, StatusCode, redirect};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use tokio::time::Instant;
use url::Url;

use super::discovery::{Portal, Space};
use super::envelope::{self, take_token, user_page};
use super::error::{MalformedReason, NexudusError, UnavailableReason};
use super::line::{Class, JoinError, Line, LineObserver, Ticket, Turn, WaitError};
use super::observe::{CallObserver, Endpoint};
use super::outbound::{self, HourlyBudget, Outbound};
use super::response::{
    RawResponse, interpret, interpret_business, interpret_oauth_token, is_throttle,
    parse_retry_after, parse_wait_in_body,
};
use super::secrets::{LoginToken, LoginUrl};
use super::urls::{self, Urls};
use crate::config::NexudusSettings;
use crate::pages::{PortalPage, validate_relative_path};

const USER_AGENT: &str = concat!("nexudus-bot/", env!("CARGO_PKG_VERSION"));

/// The longest `Retry-After` we wait out; longer ends the operation as
/// `Throttled`.
const MAX_THROTTLE_WAIT: Duration = Duration::from_secs(5);

/// Connecting should be quick; a host that does not accept within this is down.
const CONNECT_TIMEOUT_CAP: Duration = Duration::from_secs(5);

/// Bodies we read at most. The largest legitimate answer is a user list; a
/// bigger body is a misbehaving server, and reading it would cost memory.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Users per page of the lookup: the most Nexudus serves.
const USER_PAGE_SIZE: u32 = 100;
/// Pages of near misses the lookup reads at most before giving up.
const MAX_USER_PAGES: u32 = 20;

/// Validity asked of the seed's member JWT when it only proves a password:
/// it is dropped at once.
const SEED_PROOF_VALIDITY_MINUTES: u32 = 1;

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

/// Which generation of Nexudus endpoints answered a member call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// The members portal's own endpoints on `{PORTAL}` (`api/token`,
    /// `startPasswordReset`).
    Today,
    /// The 2019 endpoints (`{API}/sys/users/token`, `/{lang}/user/resetPassword`).
    Seed,
}

impl Generation {
    /// A stable label, for `check` and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Generation::Today => "today",
            Generation::Seed => "seed",
        }
    }
}

/// What the client has learnt, in this process, about the member calls.
/// `None`: not called yet, or nothing conclusive answered so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generations {
    pub member_login: Option<Generation>,
    pub password_reset: Option<Generation>,
}

/// The generation that answered a call, remembered for the rest of the process.
#[derive(Debug)]
struct Learnt {
    call: &'static str,
    state: AtomicU8,
}

impl Learnt {
    const UNKNOWN: u8 = 0;
    const TODAY: u8 = 1;
    const SEED: u8 = 2;

    fn new(call: &'static str) -> Self {
        Learnt {
            call,
            state: AtomicU8::new(Self::UNKNOWN),
        }
    }

    fn get(&self) -> Option<Generation> {
        match self.state.load(Ordering::Relaxed) {
            Self::TODAY => Some(Generation::Today),
            Self::SEED => Some(Generation::Seed),
            _ => None,
        }
    }

    fn learn(&self, generation: Generation) {
        let state = match generation {
            Generation::Today => Self::TODAY,
            Generation::Seed => Self::SEED,
        };
        if self.state.swap(state, Ordering::Relaxed) != state {
            tracing::info!(
                call = self.call,
                generation = generation.as_str(),
                "Nexudus answers this call at this generation of endpoints; using it from now on"
            );
        }
    }
}

/// Whether a status says "no such route here": today's endpoint is missing.
fn route_missing(status: StatusCode) -> bool {
    matches!(status.as_u16(), 404 | 405)
}

/// The internal Nexudus client. Cheap to clone: clones share one HTTP
/// connection pool, one outbound limiter and what was learnt about the API
/// and the space.
#[derive(Clone)]
pub struct NexudusClient {
    pub(super) inner: Arc<Inner>,
    observer: Option<Arc<dyn CallObserver>>,
    /// The turn of the person this clone calls for; `None`: background work.
    turn: Option<Arc<tokio::sync::Mutex<Turn>>>,
}

/// Why a request could not join the line to Nexudus: answered at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRefusal {
    /// The wait would pass `NEXUDUS_QUEUE_SECS`: there is room again at `retry_at`.
    Full { retry_at: SystemTime },
    /// The hourly budget is spent until `retry_at`.
    HourlyBudgetSpent { retry_at: SystemTime },
    /// The bot is shutting down.
    Closed,
}

pub(super) struct Inner {
    http: reqwest::Client,
    pub(super) urls: Urls,
    api_username: String,
    api_password: SecretString,
    pub(super) timeout: Duration,
    outbound: Outbound,
    line: Line,
    refresh_method: AtomicU8,
    member_login: Learnt,
    password_reset: Learnt,
    /// What links and the seed's portal pages use; replaced by `discover`.
    portal: RwLock<Arc<Portal>>,
    fallback: Portal,
}

/// The state of one operation: its deadline and whether its one throttling
/// retry was used.
pub(super) struct Budget {
    deadline: Instant,
    throttle_retried: bool,
}

impl Budget {
    pub(super) fn new(timeout: Duration) -> Self {
        Budget {
            deadline: Instant::now() + timeout,
            throttle_retried: false,
        }
    }

    fn has_time_for(&self, wait: Duration) -> bool {
        Instant::now() + wait < self.deadline
    }
}

/// The JSON body of the seed's `POST /sys/users/token`; borrows, so the password is not copied.
#[derive(Serialize)]
struct UserTokenRequest<'a> {
    email: &'a str,
    password: &'a str,
    #[serde(rename = "validityInMinutes")]
    validity_in_minutes: u32,
}

/// The JSON body of today's `startPasswordReset`.
#[derive(Serialize)]
struct StartPasswordReset<'a> {
    email: &'a str,
    #[serde(rename = "businessId", skip_serializing_if = "Option::is_none")]
    business_id: Option<u64>,
}

/// A two-factor code as typed, without the spaces apps show in the middle;
/// `None` when nothing is left.
fn two_factor_code(typed: &SecretString) -> Option<SecretString> {
    let code: String = typed
        .expose_secret()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (!code.is_empty()).then(|| SecretString::from(code))
}

impl NexudusClient {
    /// Builds the client: one HTTP client (connect timeout, total per-request
    /// timeout, `User-Agent: nexudus-bot/<version>`, `Accept: application/json`
    /// on every call, no redirects followed) and the global outbound limiter.
    /// Until [`discover`](Self::discover) succeeds, login links start at
    /// `{PORTAL}/{NEXUDUS_LANGUAGE}` and resets name no businessId.
    ///
    /// Fails only on settings `config` should already have refused (a base
    /// URL that is not http(s), a language that is not one path segment) or
    /// if the TLS backend cannot start.
    pub fn new(settings: &NexudusSettings) -> anyhow::Result<Self> {
        NexudusClient::with_line_observer(settings, None)
    }

    /// [`new`](Self::new), telling `line_observer` about the line's waits and length.
    pub fn with_line_observer(
        settings: &NexudusSettings,
        line_observer: Option<Arc<dyn LineObserver>>,
    ) -> anyhow::Result<Self> {
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
        let fallback = Portal::fallback(urls.portal_home(&settings.language), &settings.language);
        Ok(NexudusClient {
            inner: Arc::new(Inner {
                http,
                urls,
                api_username: settings.api_username.clone(),
                api_password: settings.api_password.clone(),
                timeout: settings.timeout,
                outbound: Outbound::new(settings.max_concurrency, settings.max_per_hour),
                line: Line::with_observer(
                    outbound::spacing(settings.max_rps),
                    settings.queue,
                    line_observer,
                ),
                refresh_method: AtomicU8::new(REFRESH_UNKNOWN),
                member_login: Learnt::new("member_login"),
                password_reset: Learnt::new("password_reset"),
                portal: RwLock::new(Arc::new(fallback.clone())),
                fallback,
            }),
            observer: None,
            turn: None,
        })
    }

    // ---- the line ----

    /// Joins the line for an operation of about `calls` calls, for someone
    /// waiting (`class` Member or Manager). Refused at once when the wait
    /// would be too long, the hourly budget is spent, or the bot stops.
    pub fn join(&self, class: Class, calls: u32) -> Result<Ticket, LineRefusal> {
        if let Err(NexudusError::HourlyBudgetSpent { retry_at }) =
            self.inner.outbound.ensure_hourly_left()
        {
            return Err(LineRefusal::HourlyBudgetSpent { retry_at });
        }
        self.inner
            .line
            .join(class, calls)
            .map_err(|error| match error {
                JoinError::Full { retry_after } => LineRefusal::Full {
                    retry_at: SystemTime::now() + retry_after,
                },
                JoinError::Closed => LineRefusal::Closed,
            })
    }

    /// A client whose calls are made on `turn` (got from a [`join`](Self::join) ticket).
    pub fn on_turn(&self, turn: Turn) -> NexudusClient {
        NexudusClient {
            turn: Some(Arc::new(tokio::sync::Mutex::new(turn))),
            ..self.clone()
        }
    }

    /// Closes the line: everyone waiting is told the bot is restarting.
    pub fn close_line(&self) {
        self.inner.line.close();
    }

    /// The longest wait in line of a member or manager in the last hour.
    pub fn longest_wait_last_hour(&self) -> Duration {
        self.inner.line.longest_wait_last_hour()
    }

    /// Waits until this client may make one call: on its turn, or in the
    /// line as background work.
    async fn next_call(&self) -> Result<(), NexudusError> {
        let closed = |_: WaitError| NexudusError::unavailable(UnavailableReason::ShuttingDown);
        match &self.turn {
            Some(turn) => turn.lock().await.next_call().await.map_err(closed),
            None => {
                let mut ticket = self
                    .inner
                    .line
                    .join(Class::Background, 1)
                    .map_err(|_| NexudusError::unavailable(UnavailableReason::ShuttingDown))?;
                ticket.turn().await.map(drop).map_err(closed)
            }
        }
    }

    /// Reports every member and REST operation's endpoint, outcome and
    /// latency to `observer` (discovery and probes are not reported).
    pub fn with_observer(mut self, observer: Arc<dyn CallObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    // ---- the space ----

    /// Asks Nexudus which space this is: `GET {PORTAL}/api/public/businesses/current`,
    /// no credentials. On success the space is kept (shared by every clone):
    /// login links start at its `NativeHomeUrlWithLanguage` when that is a
    /// plain http(s) URL, the portal language becomes that URL's, and resets
    /// name its businessId.
    ///
    /// A failure changes nothing (a space learnt earlier stays) and is not
    /// fatal: the caller logs it once. [`NexudusError::NotFound`] means this
    /// Nexudus does not announce its space (the seed's generation).
    pub async fn discover(&self) -> Result<Space, NexudusError> {
        let op = async {
            let mut budget = Budget::new(self.inner.timeout);
            let url = self.inner.urls.business();
            let response = self
                .exchange("business", &mut budget, || self.inner.http.get(url.clone()))
                .await?;
            interpret_business(&response).map(Space::from_record)
        };
        let space = self.bounded("business", op).await?;
        let portal = Portal::discovered(space.clone(), &self.inner.fallback);
        *self
            .inner
            .portal
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(portal);
        Ok(space)
    }

    /// The space learnt by the last successful [`discover`](Self::discover).
    pub fn space(&self) -> Option<Space> {
        self.portal().space.clone()
    }

    /// Where login links start: the discovered `NativeHomeUrlWithLanguage`,
    /// else `{PORTAL}/{NEXUDUS_LANGUAGE}`. Links are `{base}/user/login?…`.
    pub fn login_base(&self) -> Url {
        self.portal().base.clone()
    }

    /// The portal language in effect: the discovered home's, else
    /// `NEXUDUS_LANGUAGE`. `{lang}` in portal page paths should be this.
    pub fn language(&self) -> String {
        self.portal().language.clone()
    }

    fn portal(&self) -> Arc<Portal> {
        Arc::clone(
            &self
                .inner
                .portal
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Which generation answered the member calls so far in this process.
    pub fn generations(&self) -> Generations {
        Generations {
            member_login: self.inner.member_login.get(),
            password_reset: self.inner.password_reset.get(),
        }
    }

    /// The outbound hourly budget (`NEXUDUS_MAX_PER_HOUR`) as it stands now.
    pub fn hourly_budget(&self) -> HourlyBudget {
        self.inner.outbound.hourly_budget()
    }

    // ---- member login ----

    /// Verifies a member's email and password (and two-factor code, when
    /// given) and returns the member's token, which proves the password and
    /// should be dropped.
    ///
    /// Today's `POST {PORTAL}/api/token`, form-encoded
    /// `grant_type=password&username=…&password=…[&totp=…]`, first; the seed's
    /// `POST {API}/sys/users/token` (JSON) only when today's answers 404 or
    /// 405 before either has answered conclusively, and from then on if that
    /// worked. The email and code are trimmed (inner spaces of the code
    /// dropped; an empty code is none); the password is sent as is. The seed
    /// has no two-factor field: the code is not sent there.
    ///
    /// [`NexudusError::InvalidCredentials`], [`NexudusError::TwoFactorRequired`]
    /// and [`NexudusError::MustResetPassword`] are the member's answers; every
    /// other error is Nexudus failing.
    pub async fn verify_member(
        &self,
        email: &str,
        password: &SecretString,
        two_factor_code: Option<&SecretString>,
    ) -> Result<SecretString, NexudusError> {
        let op = self.verify_member_op(email.trim(), password, two_factor_code);
        self.observed(Endpoint::UserToken, op).await
    }

    async fn verify_member_op(
        &self,
        email: &str,
        password: &SecretString,
        typed_code: Option<&SecretString>,
    ) -> Result<SecretString, NexudusError> {
        let mut budget = Budget::new(self.inner.timeout);
        let code = typed_code.and_then(two_factor_code);
        let today_url = self.inner.urls.member_token();
        let today = || {
            let mut form = vec![
                ("grant_type", "password"),
                ("username", email),
                ("password", password.expose_secret()),
            ];
            if let Some(code) = &code {
                form.push(("totp", code.expose_secret()));
            }
            self.inner.http.post(today_url.clone()).form(&form)
        };
        let seed_body = UserTokenRequest {
            email,
            password: password.expose_secret(),
            validity_in_minutes: SEED_PROOF_VALIDITY_MINUTES,
        };
        let seed_url = self.inner.urls.user_token();
        let seed = || self.inner.http.post(seed_url.clone()).json(&seed_body);
        let (generation, response) = self
            .today_or_seed(
                &self.inner.member_login,
                ("member_token", "user_token"),
                &mut budget,
                today,
                seed,
            )
            .await?;
        let result = match generation {
            Generation::Today => interpret_oauth_token(&response),
            Generation::Seed => seed_token(&response),
        };
        let conclusive = matches!(
            result,
            Ok(_)
                | Err(NexudusError::InvalidCredentials
                    | NexudusError::TwoFactorRequired
                    | NexudusError::MustResetPassword)
        );
        if conclusive {
            self.inner.member_login.learn(generation);
        }
        result
    }

    /// Checks, without naming any account, which generation answers the
    /// member login: today's `api/token` is sent a bare `grant_type=password`
    /// (an OAuth error back means it is there); when that route is missing,
    /// the seed's `sys/users/token` is sent an empty email and password.
    /// Mints nothing and teaches the client nothing.
    pub async fn probe_member_login(&self) -> Result<Generation, NexudusError> {
        let op = async {
            let mut budget = Budget::new(self.inner.timeout);
            let url = self.inner.urls.member_token();
            let response = self
                .exchange("member_token", &mut budget, || {
                    self.inner
                        .http
                        .post(url.clone())
                        .form(&[("grant_type", "password")])
                })
                .await?;
            if !route_missing(response.status) {
                let oauth_error = response.status.is_client_error()
                    && envelope::decode_json(&response.body)
                        .ok()
                        .is_some_and(|document| envelope::oauth_error(&document).is_some());
                return if oauth_error {
                    Ok(Generation::Today)
                } else {
                    interpret_oauth_token(&response).map(|_token| Generation::Today)
                };
            }
            let body = UserTokenRequest {
                email: "",
                password: "",
                validity_in_minutes: SEED_PROOF_VALIDITY_MINUTES,
            };
            let url = self.inner.urls.user_token();
            let response = self
                .exchange("user_token", &mut budget, || {
                    self.inner.http.post(url.clone()).json(&body)
                })
                .await?;
            match seed_token(&response) {
                Ok(_) | Err(NexudusError::InvalidCredentials) => Ok(Generation::Seed),
                Err(error) => Err(error),
            }
        };
        self.bounded("member_token", op).await
    }

    // ---- password reset ----

    /// Asks Nexudus to email a password-reset link to `email` (trimmed).
    ///
    /// Today's `POST {PORTAL}/api/sys/users/startPasswordReset` with JSON
    /// `{"email","businessId"}` (no businessId before a successful
    /// [`discover`](Self::discover)) first; the seed's
    /// `GET {PORTAL}/{lang}/user/resetPassword?email=` only when today's
    /// answers 404 or 405 before either has worked, and from then on if that
    /// worked. No credentials.
    ///
    /// `Ok` whether or not Nexudus knows the email (the seed's 404 included):
    /// callers cannot tell, so neither can a member. Every error is Nexudus
    /// failing.
    pub async fn start_password_reset(&self, email: &str) -> Result<(), NexudusError> {
        let op = self.start_password_reset_op(email.trim());
        self.observed(Endpoint::PasswordReset, op).await
    }

    async fn start_password_reset_op(&self, email: &str) -> Result<(), NexudusError> {
        let mut budget = Budget::new(self.inner.timeout);
        let portal = self.portal();
        let today_body = StartPasswordReset {
            email,
            business_id: portal.space.as_ref().map(|space| space.business_id),
        };
        let today_url = self.inner.urls.start_password_reset();
        let today = || self.inner.http.post(today_url.clone()).json(&today_body);
        let seed_url = self.inner.urls.reset_password(&portal.language, email);
        let seed = || self.inner.http.get(seed_url.clone());
        let (generation, response) = self
            .today_or_seed(
                &self.inner.password_reset,
                ("start_password_reset", "reset_password"),
                &mut budget,
                today,
                seed,
            )
            .await?;
        let sent = match generation {
            // Today's never says "no such user"; a 404 once it worked is a fault.
            Generation::Today if response.status == StatusCode::NOT_FOUND => Err(
                NexudusError::unavailable(UnavailableReason::HttpStatus(404)),
            ),
            _ => interpret(Endpoint::PasswordReset, &response).map(|_value| ()),
        };
        match sent {
            Ok(()) => {
                self.inner.password_reset.learn(generation);
                Ok(())
            }
            // The seed's "no such user": the same as sent, for everyone.
            Err(NexudusError::NotFound) => Ok(()),
            Err(error) => Err(error),
        }
    }

    // ---- REST calls ----

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
            self.exchange("login_token", &mut budget, || {
                self.rest(method.clone(), &url)
            })
            .await
            .map(|response| (method, response))
        };
        let (method, response) = if known == REFRESH_POST {
            call(Method::POST).await?
        } else {
            let get = call(Method::GET).await?;
            if known == REFRESH_UNKNOWN && route_missing(get.1.status) {
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

    /// Finds a user by email: `GET {API}/sys/users?User_Email={email}&page=N&size=100`
    /// with the REST credentials.
    ///
    /// The filter may match by "contains" and list near misses first, so the
    /// user is the first record whose `Email` equals `email`, both trimmed,
    /// compared case-insensitively, reading page after page while Nexudus
    /// says `HasNextPage`, 20 pages at most. No match is
    /// [`NexudusError::NotFound`] (so is an empty email, without a call).
    /// Accepts the bare list `{"Records":[...],"TotalItems":n,…}` and the same
    /// list wrapped in an envelope; a list without `HasNextPage` is one page.
    pub async fn find_user_by_email(&self, email: &str) -> Result<NexudusUser, NexudusError> {
        self.observed(Endpoint::FindUser, self.find_user_op(email.trim()))
            .await
    }

    async fn find_user_op(&self, wanted: &str) -> Result<NexudusUser, NexudusError> {
        if wanted.is_empty() {
            return Err(NexudusError::NotFound);
        }
        let mut budget = Budget::new(self.inner.timeout);
        let wanted_lower = wanted.to_lowercase();
        for page in 1..=MAX_USER_PAGES {
            let url = self.inner.urls.find_user(wanted, page, USER_PAGE_SIZE);
            let response = self
                .exchange("find_user", &mut budget, || self.rest(Method::GET, &url))
                .await?;
            let list = interpret(Endpoint::FindUser, &response)?;
            let found = user_page(list).map_err(|reason| response.malformed(reason))?;
            let last = found.has_next_page != Some(true) || found.records.is_empty();
            let matching = found.records.into_iter().find_map(|record| {
                let email = record.email?;
                let email = email.trim();
                (email.to_lowercase() == wanted_lower).then(|| NexudusUser {
                    id: record.id,
                    email: email.to_owned(),
                })
            });
            if let Some(user) = matching {
                return Ok(user);
            }
            if last {
                return Err(NexudusError::NotFound);
            }
        }
        tracing::warn!(
            pages = MAX_USER_PAGES,
            "Nexudus user lookup gave up after {MAX_USER_PAGES} pages of near misses"
        );
        Err(NexudusError::NotFound)
    }

    // ---- links ----

    /// The link that logs a member into the portal once:
    /// `{login base}/user/login?t={token}&redirectUrl={page path}`, query
    /// values percent-encoded, where the base is [`login_base`](Self::login_base).
    /// Never requested by the bot.
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
        LoginUrl::new(urls::login(&self.portal().base, token.expose(), redirect))
    }

    // ---- plumbing ----

    /// A request carrying the REST credentials (HTTP Basic).
    pub(super) fn rest(&self, method: Method, url: &Url) -> RequestBuilder {
        self.inner.http.request(method, url.clone()).basic_auth(
            &self.inner.api_username,
            Some(self.inner.api_password.expose_secret()),
        )
    }

    /// Today's request, or the seed's: the seed's alone once it is
    /// remembered; otherwise today's, and the seed's after it only when
    /// nothing is remembered yet and today's route is missing (404/405).
    /// A 5xx, a timeout or anything else from today's is its answer.
    async fn today_or_seed(
        &self,
        learnt: &Learnt,
        (today_label, seed_label): (&'static str, &'static str),
        budget: &mut Budget,
        today: impl Fn() -> RequestBuilder,
        seed: impl Fn() -> RequestBuilder,
    ) -> Result<(Generation, RawResponse), NexudusError> {
        let known = learnt.get();
        if known != Some(Generation::Seed) {
            let response = self.exchange(today_label, budget, today).await?;
            if known.is_some() || !route_missing(response.status) {
                return Ok((Generation::Today, response));
            }
            tracing::debug!(
                call = learnt.call,
                status = response.status.as_u16(),
                "today's Nexudus endpoint is missing; trying the seed's"
            );
        }
        let response = self.exchange(seed_label, budget, seed).await?;
        Ok((Generation::Seed, response))
    }

    /// Runs one operation under the time budget and logs it.
    pub(super) async fn bounded<T>(
        &self,
        label: &'static str,
        op: impl Future<Output = Result<T, NexudusError>>,
    ) -> Result<T, NexudusError> {
        let started = Instant::now();
        let result = tokio::time::timeout(self.inner.timeout, op)
            .await
            .unwrap_or_else(|_elapsed| Err(NexudusError::Timeout));
        let outcome = match &result {
            Ok(_) => "ok",
            Err(error) => error.kind(),
        };
        tracing::debug!(
            call = label,
            outcome,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "nexudus call"
        );
        result
    }

    /// Runs one operation under the time budget and reports it.
    pub(super) async fn observed<T>(
        &self,
        endpoint: Endpoint,
        op: impl Future<Output = Result<T, NexudusError>>,
    ) -> Result<T, NexudusError> {
        let started = Instant::now();
        let result = self.bounded(endpoint.as_str(), op).await;
        if let Some(observer) = &self.observer {
            let outcome = match &result {
                Ok(_) => "ok",
                Err(error) => error.kind(),
            };
            observer.observe(endpoint, outcome, started.elapsed());
        }
        result
    }

    /// One HTTP exchange, plus the one retry a short `Retry-After` earns.
    ///
    /// A 409/429 is retried once, after waiting `Retry-After` (or the body's
    /// "Wait N seconds"), when that is at most 5 s and fits in the time left;
    /// otherwise (too long, missing, a second throttle, or no time left to
    /// wait) the operation ends as [`NexudusError::Throttled`] at once rather
    /// than sleeping into a certain timeout.
    pub(super) async fn exchange(
        &self,
        label: &'static str,
        budget: &mut Budget,
        request: impl Fn() -> RequestBuilder,
    ) -> Result<RawResponse, NexudusError> {
        loop {
            let response = self.send(label, request()).await?;
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
                        call = label,
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
        label: &'static str,
        request: RequestBuilder,
    ) -> Result<RawResponse, NexudusError> {
        let request = request.build().map_err(transport_error)?;
        let method = request.method().clone();
        self.next_call().await?;
        // Held until the body is read: a slot is a whole HTTP exchange.
        let _slot = self.inner.outbound.acquire().await?;
        let started = Instant::now();
        let result = self.fetch(request).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        // Never the URL (it holds emails), the body or a header.
        match &result {
            Ok(response) => tracing::debug!(
                call = label,
                %method,
                status = response.status.as_u16(),
                elapsed_ms,
                "nexudus http exchange"
            ),
            Err(error) => tracing::debug!(
                call = label,
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
        let retry_after = match retry_after {
            None if is_throttle(status) => parse_wait_in_body(&body),
            header => header,
        };
        Ok(RawResponse {
            status,
            retry_after,
            body,
        })
    }
}

/// The seed's member login answer: a success envelope's token, or
/// `InvalidCredentials` for `WasSuccessful:false`.
fn seed_token(response: &RawResponse) -> Result<SecretString, NexudusError> {
    let value = interpret(Endpoint::UserToken, response)?;
    take_token(value).map_err(|reason| response.malformed(reason))
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
        assert_send(client.verify_member("a@b.c", &password, Some(&password)));
        assert_send(client.probe_member_login());
        assert_send(client.login_token(1));
        assert_send(client.find_user_by_email("a@b.c"));
        assert_send(client.start_password_reset("a@b.c"));
        assert_send(client.discover());
        assert_send(client.coworker_for_user(1));
        assert_send(client.active_contracts_of(1));
        assert_send(client.active_contracts_page(1));
        assert_send(client.probe_roles_access());
    }

    #[test]
    fn a_two_factor_code_loses_its_spaces_and_an_empty_one_is_none() {
        let code = |typed: &str| {
            two_factor_code(&SecretString::from(typed)).map(|c| c.expose_secret().to_owned())
        };
        assert_eq!(code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(code("654321").as_deref(), Some("654321"));
        assert_eq!(code("  "), None);
        assert_eq!(code(""), None);
    }

    #[test]
    fn the_user_agent_names_the_bot_and_its_version() {
        assert_eq!(
            USER_AGENT,
            format!("nexudus-bot/{}", env!("CARGO_PKG_VERSION"))
        );
    }
}
