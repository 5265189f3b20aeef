//! A fake Nexudus of one generation, on wiremock: [`FakeNexudus::today`]
//! answers only today's member endpoints (`businesses/current`, `api/token`,
//! `startPasswordReset`), [`FakeNexudus::seed`] only the seed's
//! (`sys/users/token`, `/{lang}/user/resetPassword`). Both serve the REST calls
//! (user lookup, paged; login-token refresh). The members portal and the REST
//! API are two servers, as in production (`{PORTAL}` is the space's host,
//! `{API}` is `spaces.nexudus.com/api`), so a call sent to the wrong one is
//! a 404, like everything else neither generation knows.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use url::Url;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Today's member login: `POST {PORTAL}/api/token`.
pub const MEMBER_TOKEN: &str = "/api/token";
/// Today's reset: `POST {PORTAL}/api/sys/users/startPasswordReset`.
pub const START_PASSWORD_RESET: &str = "/api/sys/users/startPasswordReset";
/// The space: `GET {PORTAL}/api/public/businesses/current`.
pub const BUSINESS: &str = "/api/public/businesses/current";
/// The seed's member login: `POST {API}/sys/users/token`.
pub const SEED_USER_TOKEN: &str = "/api/sys/users/token";
/// The REST user list: `GET {API}/sys/users`.
pub const USERS: &str = "/api/sys/users";

/// A member Nexudus knows.
#[derive(Debug, Clone)]
pub struct FakeMember {
    pub user_id: u64,
    pub email: String,
    pub password: String,
    /// The two-factor code the account wants, if it uses two-factor.
    pub totp: Option<String>,
    /// Nexudus wants a new password before anything else.
    pub must_reset_password: bool,
}

impl FakeMember {
    pub fn new(user_id: u64, email: &str, password: &str) -> FakeMember {
        FakeMember {
            user_id,
            email: email.to_owned(),
            password: password.to_owned(),
            totp: None,
            must_reset_password: false,
        }
    }

    pub fn with_totp(mut self, code: &str) -> FakeMember {
        self.totp = Some(code.to_owned());
        self
    }

    pub fn must_reset_password(mut self) -> FakeMember {
        self.must_reset_password = true;
        self
    }
}

/// What `businesses/current` announces.
#[derive(Debug, Clone)]
pub struct FakeSpace {
    pub id: u64,
    pub name: String,
    /// `NativeHomeUrlWithLanguage`, sent as is.
    pub home: String,
}

impl FakeSpace {
    pub fn new(id: u64, name: &str, home: &str) -> FakeSpace {
        FakeSpace {
            id,
            name: name.to_owned(),
            home: home.to_owned(),
        }
    }
}

/// How a route that is not there answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// 404 with an HTML page (IIS, a gateway).
    Html404,
    /// 404 with ASP.NET's JSON `{"Message":"No HTTP resource was found…"}`.
    Json404,
    /// 405 with JSON: the path exists for other methods only.
    Json405,
}

impl Missing {
    pub fn response(self) -> ResponseTemplate {
        match self {
            Missing::Html404 => ResponseTemplate::new(404).set_body_raw(
                "<!DOCTYPE html><html><body><h1>404 - File or directory not found.</h1></body></html>",
                "text/html",
            ),
            Missing::Json404 => ResponseTemplate::new(404).set_body_json(json!({
                "Message": "No HTTP resource was found that matches the request URI."
            })),
            Missing::Json405 => ResponseTemplate::new(405).set_body_json(json!({
                "Message": "The requested resource does not support http method 'POST'."
            })),
        }
    }
}

/// A fake Nexudus: the portal and the REST API on two servers.
pub struct FakeNexudus {
    pub portal: MockServer,
    pub api: MockServer,
    members: Arc<Vec<FakeMember>>,
    /// Records of the user list beyond the members (near misses), in order,
    /// listed before the members.
    extra_users: Arc<Mutex<Vec<(u64, String)>>>,
    /// The most records the user list serves per page, whatever `size` asks.
    page_cap: Arc<Mutex<usize>>,
}

impl FakeNexudus {
    /// A Nexudus that answers only today's member endpoints; the seed's are 404.
    pub async fn today(space: &FakeSpace, members: &[FakeMember]) -> FakeNexudus {
        let fake = FakeNexudus::start(members).await;
        Mock::given(method("GET"))
            .and(path(BUSINESS))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "Id": space.id,
                "Name": space.name,
                "NativeHomeUrlWithLanguage": space.home,
                "WebAddress": "fake",
                "Currency": {"Code": "EUR"},
            })))
            .mount(&fake.portal)
            .await;
        Mock::given(method("POST"))
            .and(path(MEMBER_TOKEN))
            .respond_with(TodayLogin(Arc::clone(&fake.members)))
            .mount(&fake.portal)
            .await;
        Mock::given(method("POST"))
            .and(path(START_PASSWORD_RESET))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope(Value::Null)))
            .mount(&fake.portal)
            .await;
        fake
    }

    /// A Nexudus that answers only the seed's member endpoints, with routes it
    /// does not have answering `missing`.
    pub async fn seed(members: &[FakeMember], missing: Missing) -> FakeNexudus {
        let fake = FakeNexudus::start(members).await;
        Mock::given(method("POST"))
            .and(path(SEED_USER_TOKEN))
            .respond_with(SeedLogin(Arc::clone(&fake.members)))
            .mount(&fake.api)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(r"^/[A-Za-z][A-Za-z0-9-]*/user/resetPassword$"))
            .respond_with(SeedReset(Arc::clone(&fake.members)))
            .mount(&fake.portal)
            .await;
        if missing != Missing::Html404 {
            for server in [&fake.portal, &fake.api] {
                Mock::given(wiremock::matchers::any())
                    .respond_with(missing.response())
                    .with_priority(u8::MAX - 1)
                    .mount(server)
                    .await;
            }
        }
        fake
    }

    async fn start(members: &[FakeMember]) -> FakeNexudus {
        let fake = FakeNexudus {
            portal: MockServer::start().await,
            api: MockServer::start().await,
            members: Arc::new(members.to_vec()),
            extra_users: Arc::new(Mutex::new(Vec::new())),
            page_cap: Arc::new(Mutex::new(100)),
        };
        Mock::given(method("GET"))
            .and(path(USERS))
            .respond_with(UserList {
                members: Arc::clone(&fake.members),
                extra: Arc::clone(&fake.extra_users),
                page_cap: Arc::clone(&fake.page_cap),
            })
            .mount(&fake.api)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(r"^/api/sys/users/\d+/token/refresh$"))
            .respond_with(|request: &Request| {
                let id = request.url.path().split('/').nth(4).unwrap_or_default();
                ResponseTemplate::new(200).set_body_json(envelope(json!(login_token_for(id))))
            })
            .mount(&fake.api)
            .await;
        // Unmatched requests get wiremock's bare 404; real ones come with a page.
        for server in [&fake.portal, &fake.api] {
            Mock::given(wiremock::matchers::any())
                .respond_with(Missing::Html404.response())
                .with_priority(u8::MAX)
                .mount(server)
                .await;
        }
        fake
    }

    /// `NEXUDUS_PORTAL_URL` for this fake.
    pub fn portal_url(&self) -> Url {
        Url::parse(&self.portal.uri()).expect("the portal's URL")
    }

    /// `NEXUDUS_API_URL` for this fake.
    pub fn api_url(&self) -> Url {
        Url::parse(&format!("{}/api", self.api.uri())).expect("the API's URL")
    }

    /// Adds records to the user list, listed before the members.
    pub fn add_users(&self, records: impl IntoIterator<Item = (u64, String)>) {
        self.extra_users
            .lock()
            .expect("the user list")
            .extend(records);
    }

    /// Serves at most `cap` records per page of the user list.
    pub fn cap_pages_at(&self, cap: usize) {
        *self.page_cap.lock().expect("the page cap") = cap;
    }

    /// Every request either server received.
    pub async fn requests(&self) -> Vec<Request> {
        let mut all = self.portal.received_requests().await.unwrap_or_default();
        all.extend(self.api.received_requests().await.unwrap_or_default());
        all
    }

    /// Requests with this method whose path matches exactly, on either server.
    pub async fn requests_to(&self, wanted_method: &str, wanted_path: &str) -> Vec<Request> {
        self.requests()
            .await
            .into_iter()
            .filter(|r| r.method.as_str() == wanted_method && r.url.path() == wanted_path)
            .collect()
    }

    pub async fn count(&self, wanted_method: &str, wanted_path: &str) -> usize {
        self.requests_to(wanted_method, wanted_path).await.len()
    }

    /// Requests to the seed's reset page, whatever the language.
    pub async fn seed_resets(&self) -> Vec<Request> {
        self.requests()
            .await
            .into_iter()
            .filter(|r| r.url.path().ends_with("/user/resetPassword"))
            .collect()
    }
}

/// The one-time token the fake mints for a user id.
pub fn login_token_for(user_id: &str) -> String {
    format!("one-time-{user_id}")
}

/// A Nexudus success envelope around `value`.
pub fn envelope(value: Value) -> Value {
    json!({"Status": 200, "Message": "OK", "Value": value, "WasSuccessful": true, "Errors": null})
}

/// The fields of a form-encoded body.
pub fn form_fields(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn oauth_error(code: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": code, "error_description": code}))
}

/// Today's `api/token`: an OAuth password grant, as the members portal answers it.
struct TodayLogin(Arc<Vec<FakeMember>>);

impl Respond for TodayLogin {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let fields = form_fields(request);
        if field(&fields, "grant_type") != Some("password") {
            return oauth_error("unsupported_grant_type");
        }
        let (Some(username), Some(password)) =
            (field(&fields, "username"), field(&fields, "password"))
        else {
            return oauth_error("invalid_request");
        };
        let Some(member) = self
            .0
            .iter()
            .find(|m| m.email.eq_ignore_ascii_case(username) && m.password == password)
        else {
            return oauth_error("invalid_grant");
        };
        if let Some(wanted) = &member.totp
            && field(&fields, "totp") != Some(wanted.as_str())
        {
            return oauth_error("two_factor_auth_check");
        }
        if member.must_reset_password {
            return oauth_error("must_reset_password");
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("member-access-{}", member.user_id),
            "token_type": "bearer",
            "expires_in": 1199,
        }))
    }
}

/// The seed's `sys/users/token`: JSON in, envelope out; a wrong password is
/// `WasSuccessful:false` with `Status:500` on HTTP 200.
struct SeedLogin(Arc<Vec<FakeMember>>);

impl Respond for SeedLogin {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let (email, password) = (body["email"].as_str(), body["password"].as_str());
        let known = self.0.iter().find(|m| {
            email.is_some_and(|e| m.email.eq_ignore_ascii_case(e))
                && password == Some(m.password.as_str())
        });
        match known {
            Some(member) => ResponseTemplate::new(200)
                .set_body_json(envelope(json!(format!("member-jwt-{}", member.user_id)))),
            None => ResponseTemplate::new(200).set_body_json(json!({
                "Status": 500, "Message": "Invalid credentials", "Value": null,
                "WasSuccessful": false, "Errors": null
            })),
        }
    }
}

/// The seed's reset page: "sent" for a known email, 404 for anyone else.
struct SeedReset(Arc<Vec<FakeMember>>);

impl Respond for SeedReset {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let email = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "email")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        if self.0.iter().any(|m| m.email.eq_ignore_ascii_case(&email)) {
            ResponseTemplate::new(200).set_body_json(envelope(Value::Null))
        } else {
            ResponseTemplate::new(404).set_body_string("Not found")
        }
    }
}

/// `sys/users?User_Email=`: a "contains" filter, paged (`page` from 1,
/// `size`, capped), with `HasNextPage`.
struct UserList {
    members: Arc<Vec<FakeMember>>,
    extra: Arc<Mutex<Vec<(u64, String)>>>,
    page_cap: Arc<Mutex<usize>>,
}

impl Respond for UserList {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = |key: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned())
        };
        let wanted = query("User_Email").unwrap_or_default().to_lowercase();
        let page: usize = query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let cap = *self.page_cap.lock().expect("the page cap");
        let size: usize = query("size")
            .and_then(|s| s.parse().ok())
            .unwrap_or(25)
            .min(cap);
        let all: Vec<(u64, String)> = {
            let extra = self.extra.lock().expect("the user list");
            extra
                .iter()
                .cloned()
                .chain(self.members.iter().map(|m| (m.user_id, m.email.clone())))
                .filter(|(_, email)| email.to_lowercase().contains(&wanted))
                .collect()
        };
        let start = (page.max(1) - 1) * size;
        let records: Vec<Value> = all
            .iter()
            .skip(start)
            .take(size)
            .map(|(id, email)| json!({"Id": id, "Email": email, "FullName": "Someone"}))
            .collect();
        let total_pages = all.len().div_ceil(size.max(1));
        ResponseTemplate::new(200).set_body_json(json!({
            "Records": records,
            "CurrentPage": page,
            "CurrentPageSize": size,
            "TotalItems": all.len(),
            "TotalPages": total_pages,
            "HasNextPage": page < total_pages,
            "HasPreviousPage": page > 1,
        }))
    }
}
