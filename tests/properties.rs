//! Property tests (proptest) of the promises the bot's safety rests on:
//!
//! - a login URL built by the client always points at the configured portal,
//!   carries the token unchanged and redirects only to a configured relative
//!   path, whatever the token and the configured pages;
//! - email validation and normalisation are stable;
//! - a role reconcile writes exactly the difference on managed roles;
//! - the per-member limiter never lets more than COUNT requests through in any
//!   window of PERIOD (refunded ones aside), never refuses needlessly, and its
//!   `retry_after` is exactly the wait after which a request is allowed again.
//!
//! Failing cases are not persisted to files: shrink, fix, and pin the minimal
//! case in a plain test (or in `tests/fuzz_corpus/`).

use std::collections::{BTreeSet, HashMap};
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use nexudus_bot::config::Config;
use nexudus_bot::email::{normalize_email, parse_email};
use nexudus_bot::nexudus::{LoginToken, NexudusClient};
use nexudus_bot::pages::{PortalPages, validate_relative_path};
use nexudus_bot::ratelimit::{Decision, Hit, KeyedLimiter, Limit};
use nexudus_bot::roles::Plan;
use nexudus_bot::roles::plan::{changes, wanted_roles};
use nexudus_bot::roles::settings::{PlanRoles, RoleSettings};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use secrecy::SecretString;
use url::Url;

/// 256 cases per property, nothing written to disk.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Login URLs
// ---------------------------------------------------------------------------

/// A portal origin an operator could configure: http(s), a DNS name or an
/// IP address, with or without a port (default ports included).
fn portal_origin() -> impl Strategy<Value = String> {
    let host = prop_oneof![
        "[a-z][a-z0-9-]{0,12}(\\.[a-z][a-z0-9-]{0,12}){0,3}",
        "[a-z]{1,12}\\.spaces\\.nexudus\\.com",
        any::<[u8; 4]>().prop_map(|[a, b, c, d]| format!("{a}.{b}.{c}.{d}")),
        Just("[::1]".to_owned()),
    ];
    let port = prop_oneof![
        Just(None),
        Just(Some(80u16)),
        Just(Some(443)),
        any::<u16>().prop_map(Some),
    ];
    (prop_oneof![Just("https"), Just("http")], host, port).prop_map(|(scheme, host, port)| {
        match port {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        }
    })
}

/// A `NEXUDUS_LANGUAGE` the configuration accepts.
fn language() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9-]{1,9}"
}

/// One page path: pieces that are awkward in a URL query (`&`, `=`, `#`, `?`,
/// `%`, `+`, `{lang}`, Unicode…) after a leading `/`. Some are not relative
/// (`//x`, `a://b`, whitespace).
fn page_path() -> impl Strategy<Value = String> {
    let plain = prop::sample::select(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~-"
            .chars()
            .collect::<Vec<_>>(),
    );
    let awkward = prop::sample::select(vec![
        "{lang}",
        "/",
        "?",
        "#",
        "&redirectUrl=",
        "&t=",
        "=",
        "+",
        "%2F%2F",
        "%",
        ":",
        "@",
        ";",
    ]);
    let piece = prop_oneof![
        3 => prop::collection::vec(plain, 1..=8).prop_map(String::from_iter),
        3 => awkward.prop_map(str::to_owned),
        1 => prop::collection::vec(any::<char>(), 1..=3).prop_map(String::from_iter),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| format!("/{}", pieces.concat()))
}

/// A label a community manager could type: any characters but `,` and `=`,
/// not blank.
fn page_label() -> impl Strategy<Value = String> {
    let char = any::<char>().prop_map(|c| if matches!(c, ',' | '=') { '_' } else { c });
    prop::collection::vec(char, 1..=20)
        .prop_map(String::from_iter)
        .prop_filter("a blank label", |label| !label.trim().is_empty())
}

/// A `NEXUDUS_PORTAL_PAGES` spec of 1 to 25 entries with distinct labels,
/// spaced around the separators now and then. Paths that are not relative are
/// left out here (the fuzzer covers their refusal), so nearly every spec is
/// accepted: `{lang}` is replaced by letters, digits and `-` only, so a path
/// valid with `en` is valid with any configured language.
fn pages_spec() -> impl Strategy<Value = String> {
    let path = page_path().prop_filter("a path that is not relative", |path| {
        validate_relative_path(&path.replace("{lang}", "en")).is_ok()
    });
    let entry = (page_label(), path, any::<bool>());
    prop::collection::vec(entry, 1..=25).prop_map(|entries| {
        let mut seen = Vec::new();
        entries
            .into_iter()
            .filter(|(label, _, _)| {
                let fresh = !seen.contains(&label.trim().to_owned());
                seen.push(label.trim().to_owned());
                fresh
            })
            .map(|(label, path, spaced)| {
                if spaced {
                    format!(" {label} = {path} ")
                } else {
                    format!("{label}={path}")
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// A configuration with this portal, language and pages, through the same
/// validation start-up uses.
fn configure(portal: &str, lang: &str, pages: &str) -> Result<Config, String> {
    let vars: HashMap<String, String> = [
        ("DISCORD_TOKEN", "prop.token.value"),
        ("NEXUDUS_PORTAL_URL", portal),
        ("NEXUDUS_API_USERNAME", "api@portal.example"),
        ("NEXUDUS_API_PASSWORD", "secret"),
        ("NEXUDUS_LANGUAGE", lang),
        ("NEXUDUS_PORTAL_PAGES", pages),
        ("OPS_ADDR", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    Config::from_map(&vars).map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_login_url_stays_on_the_portal_and_round_trips_token_and_page(
        portal in portal_origin(),
        lang in language(),
        spec in pages_spec(),
        token in prop_oneof![any::<String>(), "[!-~]{1,64}"],
    ) {
        prop_assume!(PortalPages::parse(&spec, &lang).is_ok());
        let config = configure(&portal, &lang, &spec)
            .unwrap_or_else(|e| panic!("{portal} {lang} {spec:?}: {e}"));
        let client = NexudusClient::new(&config.nexudus).expect("the client builds");
        let expected = Url::parse(&portal).expect("a configured portal parses");
        let configured: Vec<&str> =
            config.nexudus.portal_pages.iter().map(|page| page.path()).collect();

        for page in config.nexudus.portal_pages.iter() {
            let secret = LoginToken::new(SecretString::from(token.clone()));
            let url = client.login_url(&secret, page);
            let url = Url::parse(url.expose()).expect("a login URL parses");
            prop_assert_eq!(url.scheme(), expected.scheme());
            prop_assert_eq!(url.host_str(), expected.host_str());
            prop_assert_eq!(url.port_or_known_default(), expected.port_or_known_default());
            prop_assert_eq!(url.username(), "");
            prop_assert_eq!(url.password(), None);
            prop_assert_eq!(url.path(), format!("/{lang}/user/login"));
            prop_assert_eq!(url.fragment(), None);
            let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            prop_assert_eq!(query.len(), 2, "query {:?}", query);
            prop_assert_eq!(&query[0], &("t".to_owned(), token.clone()));
            prop_assert_eq!(&query[1].0, "redirectUrl");
            prop_assert_eq!(&query[1].1, page.path());
            prop_assert!(configured.contains(&query[1].1.as_str()));
            // Where a browser lands when the portal redirects there.
            let landing = expected.join(&query[1].1).expect("a relative path resolves");
            prop_assert_eq!(landing.origin(), expected.origin());
        }
    }

    #[test]
    fn a_label_that_is_not_configured_finds_no_page(
        spec in pages_spec(),
        forged in any::<String>(),
    ) {
        let Ok(pages) = PortalPages::parse(&spec, "en") else {
            return Ok(());
        };
        let known = pages.iter().any(|page| page.label() == forged);
        prop_assert_eq!(pages.by_label(&forged).is_some(), known);
    }
}

// ---------------------------------------------------------------------------
// Emails
// ---------------------------------------------------------------------------

/// Mostly email-shaped text, with the case-mapping oddities of Unicode
/// (`İ`, `Σ`, `ẞ`, the Kelvin sign, ligatures) and stray whitespace.
fn email_like() -> impl Strategy<Value = String> {
    let part = "[a-zA-Z0-9.+_İΣσςẞßKﬃÅ\u{212a}-]{0,20}";
    (
        "\\s{0,2}",
        part,
        prop_oneof![Just("@"), Just("@@"), Just("")],
        part,
        "(\\.[a-zA-ZİΣ]{1,6}){0,3}",
        "\\s{0,2}",
    )
        .prop_map(|(a, local, at, domain, tld, z)| format!("{a}{local}{at}{domain}{tld}{z}"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn normalising_an_email_twice_changes_nothing(
        raw in prop_oneof![any::<String>(), email_like()],
    ) {
        // The reset limit per email is keyed by this normalisation.
        let once = normalize_email(&raw);
        prop_assert_eq!(normalize_email(&once), once);
    }

    #[test]
    fn an_accepted_email_is_trimmed_short_has_one_at_and_is_accepted_again(
        raw in prop_oneof![any::<String>(), email_like()],
    ) {
        if let Ok(email) = parse_email(&raw) {
            prop_assert_eq!(email.as_str(), raw.trim());
            prop_assert!(email.len() <= 254);
            prop_assert_eq!(email.matches('@').count(), 1);
            prop_assert!(!email.chars().any(|c| c.is_whitespace() || c.is_control()));
            prop_assert_eq!(parse_email(&email), Ok(email.clone()));
        }
    }
}

// ---------------------------------------------------------------------------
// The per-member limiter
// ---------------------------------------------------------------------------

/// A limit of 1 to 12 requests per period, the period anywhere from a
/// nanosecond to a year.
fn any_limit() -> impl Strategy<Value = Limit> {
    let period = prop_oneof![
        (1u64..=1_000).prop_map(Duration::from_nanos),
        (1u64..=10_000).prop_map(Duration::from_millis),
        (1u64..=366 * 86_400).prop_map(Duration::from_secs),
    ];
    (1u32..=12, period).prop_map(|(count, period)| Limit {
        count: NonZeroU32::new(count).expect("count is at least 1"),
        period,
    })
}

/// The time between two requests, relative to the period so every scale of
/// period sees bursts, near-misses and long pauses.
#[derive(Debug, Clone, Copy)]
enum Gap {
    /// A few nanoseconds: simultaneous requests and off-by-one edges.
    Nanos(u64),
    /// A fraction of the period, in thousandths (up to 1.5 periods).
    Permille(u32),
    /// Exactly one period.
    Period,
}

impl Gap {
    fn resolve(self, period: Duration) -> Duration {
        match self {
            Gap::Nanos(n) => Duration::from_nanos(n),
            Gap::Permille(p) => {
                let nanos = period.as_nanos() * u128::from(p) / 1_000;
                Duration::from_nanos(u64::try_from(nanos).expect("fits in u64 nanoseconds"))
            }
            Gap::Period => period,
        }
    }
}

fn gap() -> impl Strategy<Value = Gap> {
    prop_oneof![
        (0u64..=3).prop_map(Gap::Nanos),
        (0u32..=1_500).prop_map(Gap::Permille),
        Just(Gap::Period),
    ]
}

/// Requests from up to three keys, as `(key, gap since the previous request)`.
fn requests() -> impl Strategy<Value = Vec<(u8, Gap)>> {
    prop::collection::vec((0u8..3, gap()), 1..200)
}

/// The most allowed instants inside one half-open window `[s, s + period)`.
/// The fullest window can always be taken to start at an allowed instant.
fn fullest_window(allowed: &[Instant], period: Duration) -> usize {
    allowed
        .iter()
        .map(|&start| {
            allowed
                .iter()
                .filter(|&&t| t >= start && t - start < period)
                .count()
        })
        .max()
        .unwrap_or(0)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_window_of_one_period_ever_holds_more_than_count_allowed_requests(
        limit in any_limit(),
        requests in requests(),
    ) {
        let limiter = KeyedLimiter::new(limit);
        let count = limit.count.get() as usize;
        let mut now = Instant::now();
        let mut allowed: [Vec<Instant>; 3] = Default::default();
        for (key, gap) in requests {
            now += gap.resolve(limit.period);
            let hits = &mut allowed[usize::from(key)];
            let live: Vec<Instant> = hits
                .iter()
                .copied()
                .filter(|&hit| now - hit < limit.period)
                .collect();
            match limiter.check_at(&key, now) {
                Decision::Allowed(_) => {
                    prop_assert!(live.len() < count, "allowed with {} live", live.len());
                    hits.push(now);
                }
                Decision::Refused { retry_after } => {
                    // Refused only when full, and told exactly when the oldest
                    // counted request leaves the window.
                    prop_assert_eq!(live.len(), count, "refused needlessly");
                    prop_assert!(retry_after > Duration::ZERO);
                    prop_assert_eq!(retry_after, limit.period - (now - live[0]));
                    let state = limiter.state_at(&key, now);
                    prop_assert_eq!(state.remaining, 0);
                    prop_assert_eq!(state.next_slot_in, Some(retry_after));
                }
            }
        }
        for hits in &allowed {
            prop_assert!(fullest_window(hits, limit.period) <= count);
        }
    }

    #[test]
    fn even_out_of_order_request_times_never_overfill_a_window(
        limit in any_limit(),
        requests in prop::collection::vec((0u8..3, 0u32..=5_000, 0u64..=3), 1..200),
    ) {
        // Racing callers can bring instants older than ones already logged.
        let limiter = KeyedLimiter::new(limit);
        let count = limit.count.get() as usize;
        let start = Instant::now();
        let mut allowed: [Vec<Instant>; 3] = Default::default();
        for (key, permille, nanos) in requests {
            let at = start
                + Gap::Permille(permille).resolve(limit.period)
                + Duration::from_nanos(nanos);
            match limiter.check_at(&key, at) {
                Decision::Allowed(_) => allowed[usize::from(key)].push(at),
                Decision::Refused { retry_after } => {
                    prop_assert!(retry_after > Duration::ZERO && retry_after <= limit.period);
                }
            }
        }
        for hits in &allowed {
            prop_assert!(fullest_window(hits, limit.period) <= count);
        }
    }

    #[test]
    fn waiting_out_a_refusals_retry_after_is_always_allowed(
        limit in any_limit(),
        gaps in prop::collection::vec(gap(), 1..200),
    ) {
        let limiter = KeyedLimiter::new(limit);
        let mut now = Instant::now();
        for gap in gaps {
            now += gap.resolve(limit.period);
            if let Decision::Refused { retry_after } = limiter.check_at(&"member", now) {
                prop_assert!(retry_after > Duration::ZERO && retry_after <= limit.period);
                // Not a nanosecond sooner…
                let almost = now + retry_after - Duration::from_nanos(1);
                prop_assert!(!limiter.would_allow_at(&"member", almost).is_allowed());
                // …but then, yes.
                now += retry_after;
                prop_assert!(limiter.check_at(&"member", now).is_allowed());
            }
        }
    }

    #[test]
    fn refunded_requests_stop_counting_and_the_others_never_overfill_a_window(
        limit in any_limit(),
        steps in prop::collection::vec(
            (0u8..2, gap(), prop::option::weighted(0.25, any::<prop::sample::Index>())),
            1..200,
        ),
    ) {
        // A refund gives back one allowed request (a try that failed through
        // no fault of the member), any of the key's, not only its newest: the
        // limiter must then behave exactly as if that request had never been
        // allowed, and the others keep counting.
        let limiter = KeyedLimiter::new(limit);
        let count = limit.count.get() as usize;
        let mut now = Instant::now();
        let mut counted: [Vec<(Instant, Hit)>; 2] = Default::default();
        // Allowed requests whose refund came after they stopped counting.
        let mut expired: [Vec<Instant>; 2] = Default::default();
        for (key, gap, refund) in steps {
            now += gap.resolve(limit.period);
            let hits = &mut counted[usize::from(key)];
            if let Some(which) = refund {
                if !hits.is_empty() {
                    let (at, hit) = hits.remove(which.index(hits.len()));
                    if !limiter.refund(&key, hit) {
                        // Only a request that no longer counts can be out of the log.
                        prop_assert!(now - at >= limit.period, "a counted request was not given back");
                        expired[usize::from(key)].push(at);
                    }
                }
                continue;
            }
            let live = hits.iter().filter(|(hit, _)| now - *hit < limit.period).count();
            match limiter.check_at(&key, now) {
                Decision::Allowed(hit) => {
                    prop_assert!(live < count, "allowed with {} live", live);
                    hits.push((now, hit));
                }
                Decision::Refused { .. } => prop_assert_eq!(live, count, "refused needlessly"),
            }
        }
        for (hits, expired) in counted.iter().zip(&expired) {
            let mut instants: Vec<Instant> = hits.iter().map(|(at, _)| *at).collect();
            instants.extend(expired);
            prop_assert!(fullest_window(&instants, limit.period) <= count);
        }
    }

    #[test]
    fn a_valid_limit_prints_as_text_that_parses_back_to_it(
        count in 1u32..=1_000,
        secs in 1u64..=366 * 86_400,
    ) {
        let limit = Limit {
            count: NonZeroU32::new(count).expect("count is at least 1"),
            period: Duration::from_secs(secs),
        };
        prop_assert_eq!(limit.to_string().parse::<Limit>(), Ok(limit));
    }
}

/// Role ids drawn from a small range, so managed, held and wanted roles overlap.
fn role_set() -> impl Strategy<Value = BTreeSet<u64>> {
    proptest::collection::btree_set(1u64..12, 0..8)
}

proptest! {
    #![proptest_config(config())]

    /// Whatever the plans and the roles a member holds, the reconcile's
    /// writes are exactly the difference on managed roles: after them the
    /// member holds the wanted managed roles, every other role as before,
    /// and nothing is written twice or in vain.
    #[test]
    fn role_writes_are_exactly_the_difference_on_managed_roles(
        member_role in proptest::option::of(1u64..12),
        plan_roles in proptest::collection::vec(("[A-Za-z ]{1,8}", 1u64..12), 0..5),
        plans in proptest::collection::vec(("[A-Za-z ]{1,8}", any::<bool>()), 0..5),
        current in role_set(),
    ) {
        let spec: Vec<String> = plan_roles.iter().map(|(name, role)| format!("{name}={role}")).collect();
        // Names that collapse to the same plan are refused by the parser; skip those cases.
        let Ok(parsed) = PlanRoles::parse(&spec.join(",")) else { return Ok(()); };
        let settings = RoleSettings { member_role, plan_roles: parsed, ..RoleSettings::default() };
        let managed = settings.managed();
        let plans: Vec<Plan> = plans.into_iter().map(|(name, paused)| Plan { name, paused }).collect();
        let wanted = wanted_roles(&settings, &plans);
        prop_assert!(wanted.is_subset(&managed));

        let current_list: Vec<u64> = current.iter().copied().collect();
        let diff = changes(&managed, &wanted, &current_list);
        let mut after = current.clone();
        for role in &diff.add {
            prop_assert!(!current.contains(role), "adds only what is missing");
            prop_assert!(managed.contains(role), "adds only managed roles");
            after.insert(*role);
        }
        for role in &diff.remove {
            prop_assert!(current.contains(role), "removes only what is held");
            prop_assert!(managed.contains(role), "removes only managed roles");
            after.remove(role);
        }
        let managed_after: BTreeSet<u64> = after.intersection(&managed).copied().collect();
        prop_assert_eq!(&managed_after, &wanted);
        let others_after: BTreeSet<u64> = after.difference(&managed).copied().collect();
        let others_before: BTreeSet<u64> = current.difference(&managed).copied().collect();
        prop_assert_eq!(others_after, others_before);
        // Applying the writes again changes nothing.
        let after_list: Vec<u64> = after.iter().copied().collect();
        prop_assert!(changes(&managed, &wanted, &after_list).is_empty());
    }
}
