//! Configuration as an operator meets it: defaults, every variable, and one
//! message naming every problem without echoing a secret.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use nexudus_bot::config::{Config, ConfigError, DatabasePath, LogFormat};
use nexudus_bot::i18n::Locale;
use nexudus_bot::pages::PortalPages;
use nexudus_bot::ratelimit::Limit;
use secrecy::ExposeSecret;

const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.s3cr3t-t0ken-value";
const PASSWORD: &str = "hunter2-super-secret";

fn minimal() -> HashMap<String, String> {
    [
        ("DISCORD_TOKEN", TOKEN),
        ("NEXUDUS_PORTAL_URL", "https://coolspace.spaces.nexudus.com"),
        ("NEXUDUS_API_USERNAME", "bot@coolspace.example"),
        ("NEXUDUS_API_PASSWORD", PASSWORD),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn with(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    let mut vars = minimal();
    for (k, v) in pairs {
        vars.insert((*k).to_owned(), (*v).to_owned());
    }
    vars
}

fn load(vars: &HashMap<String, String>) -> Config {
    match Config::from_map(vars) {
        Ok(config) => config,
        Err(err) => panic!("expected a valid config, got: {err}"),
    }
}

fn problems(vars: &HashMap<String, String>) -> Vec<String> {
    match Config::from_map(vars) {
        Ok(_) => panic!("expected the configuration to be refused"),
        Err(ConfigError { problems }) => problems,
    }
}

fn assert_one_problem_mentions(vars: &HashMap<String, String>, needle: &str) {
    let problems = problems(vars);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains(needle),
        "{:?} should mention {needle}",
        problems[0]
    );
}

#[test]
fn the_four_required_variables_are_enough_and_the_defaults_are_the_documented_ones() {
    let config = load(&minimal());
    assert_eq!(config.discord.token.expose_secret(), TOKEN);
    assert!(config.discord.guild_ids.is_empty());
    assert!(config.discord.manager_role_ids.is_empty());
    assert!(config.discord.api_base.is_none());
    assert_eq!(
        config.nexudus.api_url.as_str(),
        "https://spaces.nexudus.com/api"
    );
    assert_eq!(
        config.nexudus.portal_url.host_str(),
        Some("coolspace.spaces.nexudus.com")
    );
    assert_eq!(config.nexudus.language, "en");
    assert_eq!(config.nexudus.api_username, "bot@coolspace.example");
    assert_eq!(config.nexudus.api_password.expose_secret(), PASSWORD);
    let pages: Vec<_> = config
        .nexudus
        .portal_pages
        .iter()
        .map(|p| (p.label(), p.path()))
        .collect();
    assert_eq!(
        pages,
        [
            ("Home", "/"),
            ("Bookings", "/en/bookings"),
            ("Invoices", "/en/invoices"),
            ("Profile", "/en/profile"),
            ("Events", "/en/events")
        ]
    );
    assert_eq!(config.nexudus.timeout, Duration::from_secs(10));
    assert_eq!(config.nexudus.queue, Duration::from_secs(120));
    assert_eq!(config.nexudus.max_concurrency.get(), 4);
    assert_eq!(config.nexudus.max_rps.get(), 2);
    assert_eq!(config.nexudus.max_per_hour.get(), 4500);
    assert_eq!(config.audit_retention, Duration::from_secs(90 * 86_400));
    assert_eq!(config.limits.login.to_string(), "3/10m");
    assert_eq!(config.limits.reset.to_string(), "3/1h");
    assert_eq!(config.limits.link.to_string(), "5/1h");
    assert_eq!(
        config.database_path,
        DatabasePath::File(PathBuf::from("data/nexudus-bot.db"))
    );
    assert_eq!(
        config.ops_addr,
        Some("0.0.0.0:8080".parse::<SocketAddr>().unwrap())
    );
    assert_eq!(config.log_format, LogFormat::Pretty);
    assert_eq!(config.log_filter, "info");
}

#[test]
fn every_optional_variable_is_read() {
    let config = load(&with(&[
        ("NEXUDUS_API_URL", "http://127.0.0.1:9000/api"),
        ("NEXUDUS_LANGUAGE", "pt-BR"),
        (
            "NEXUDUS_PORTAL_PAGES",
            "Desk=/{lang}/bookings?type=desk, Home=/",
        ),
        ("NEXUDUS_TIMEOUT_SECS", "20"),
        ("NEXUDUS_QUEUE_SECS", "300"),
        ("NEXUDUS_MAX_CONCURRENCY", "8"),
        ("NEXUDUS_MAX_RPS", "5"),
        ("NEXUDUS_MAX_PER_HOUR", "1200"),
        ("AUDIT_RETENTION_DAYS", "30"),
        ("RATE_LIMIT_LOGIN", "10/1m"),
        ("RATE_LIMIT_RESET", "2/1d"),
        ("RATE_LIMIT_LINK", "4/30s"),
        (
            "DISCORD_GUILD_IDS",
            "111111111111111111, 222222222222222222",
        ),
        ("MANAGER_ROLE_IDS", "333333333333333333"),
        ("DISCORD_API_BASE", "http://127.0.0.1:8765"),
        ("DATABASE_URL", "sqlite:///data/bot.db"),
        ("OPS_ADDR", "127.0.0.1:9100"),
        ("LOG_FORMAT", "json"),
        ("RUST_LOG", "nexudus_bot=debug"),
    ]));
    assert_eq!(config.nexudus.api_url.as_str(), "http://127.0.0.1:9000/api");
    assert_eq!(config.nexudus.language, "pt-BR");
    let desk = config.nexudus.portal_pages.by_label("Desk").unwrap();
    assert_eq!(desk.path(), "/pt-BR/bookings?type=desk");
    assert_eq!(config.nexudus.portal_pages.default_page().label(), "Desk");
    assert_eq!(config.nexudus.timeout, Duration::from_secs(20));
    assert_eq!(config.nexudus.queue, Duration::from_secs(300));
    assert_eq!(config.nexudus.max_concurrency.get(), 8);
    assert_eq!(config.nexudus.max_rps.get(), 5);
    assert_eq!(config.nexudus.max_per_hour.get(), 1200);
    assert_eq!(config.audit_retention, Duration::from_secs(30 * 86_400));
    assert_eq!(config.limits.login.count.get(), 10);
    assert_eq!(config.limits.login.period, Duration::from_secs(60));
    assert_eq!(config.limits.reset.period, Duration::from_secs(86_400));
    assert_eq!(config.limits.link.period, Duration::from_secs(30));
    let guilds: Vec<u64> = config.discord.guild_ids.iter().map(|g| g.get()).collect();
    assert_eq!(guilds, [111111111111111111, 222222222222222222]);
    assert_eq!(config.discord.manager_role_ids[0].get(), 333333333333333333);
    assert_eq!(
        config.discord.api_base.as_ref().unwrap().as_str(),
        "http://127.0.0.1:8765/"
    );
    assert_eq!(
        config.database_path,
        DatabasePath::File(PathBuf::from("/data/bot.db"))
    );
    assert_eq!(config.ops_addr, Some("127.0.0.1:9100".parse().unwrap()));
    assert_eq!(config.log_format, LogFormat::Json);
    assert_eq!(config.log_filter, "nexudus_bot=debug");
}

#[test]
fn an_empty_ops_addr_disables_the_ops_server() {
    assert_eq!(load(&with(&[("OPS_ADDR", "")])).ops_addr, None);
}

#[test]
fn an_in_memory_database_is_accepted() {
    assert_eq!(
        load(&with(&[("DATABASE_URL", "sqlite::memory:")])).database_path,
        DatabasePath::Memory
    );
}

#[test]
fn a_bad_value_of_each_variable_is_named() {
    let cases: &[(&str, &str, &str)] = &[
        ("DISCORD_TOKEN", "not a token", "DISCORD_TOKEN"),
        ("NEXUDUS_PORTAL_URL", "coolspace", "NEXUDUS_PORTAL_URL"),
        (
            "NEXUDUS_PORTAL_URL",
            "https://coolspace.spaces.nexudus.com/en/home",
            "NEXUDUS_PORTAL_URL",
        ),
        ("NEXUDUS_API_USERNAME", "admin", "NEXUDUS_API_USERNAME"),
        (
            "NEXUDUS_API_URL",
            "ftp://spaces.nexudus.com/api",
            "NEXUDUS_API_URL",
        ),
        ("NEXUDUS_LANGUAGE", "english please", "NEXUDUS_LANGUAGE"),
        (
            "NEXUDUS_PORTAL_PAGES",
            "Home=https://evil.example/",
            "NEXUDUS_PORTAL_PAGES",
        ),
        ("NEXUDUS_TIMEOUT_SECS", "0", "NEXUDUS_TIMEOUT_SECS"),
        ("NEXUDUS_QUEUE_SECS", "601", "NEXUDUS_QUEUE_SECS"),
        ("NEXUDUS_MAX_CONCURRENCY", "many", "NEXUDUS_MAX_CONCURRENCY"),
        ("NEXUDUS_MAX_RPS", "1000", "NEXUDUS_MAX_RPS"),
        ("NEXUDUS_MAX_PER_HOUR", "0", "NEXUDUS_MAX_PER_HOUR"),
        ("NEXUDUS_MAX_PER_HOUR", "lots", "NEXUDUS_MAX_PER_HOUR"),
        ("AUDIT_RETENTION_DAYS", "0", "AUDIT_RETENTION_DAYS"),
        ("AUDIT_RETENTION_DAYS", "3651", "AUDIT_RETENTION_DAYS"),
        ("AUDIT_RETENTION_DAYS", "a year", "AUDIT_RETENTION_DAYS"),
        ("RATE_LIMIT_LOGIN", "three", "RATE_LIMIT_LOGIN"),
        ("RATE_LIMIT_RESET", "3/1w", "RATE_LIMIT_RESET"),
        ("RATE_LIMIT_LINK", "0/1h", "RATE_LIMIT_LINK"),
        ("DISCORD_GUILD_IDS", "123,abc", "DISCORD_GUILD_IDS"),
        ("MANAGER_ROLE_IDS", "-5", "MANAGER_ROLE_IDS"),
        (
            "DISCORD_API_BASE",
            "http://127.0.0.1:8765/api",
            "DISCORD_API_BASE",
        ),
        ("DATABASE_URL", "sqlite://", "DATABASE_URL"),
        ("OPS_ADDR", "everywhere", "OPS_ADDR"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT"),
        ("RUST_LOG", "nexudus_bot=loud", "RUST_LOG"),
    ];
    for (name, value, needle) in cases {
        assert_one_problem_mentions(&with(&[(name, value)]), needle);
    }
}

#[test]
fn every_problem_is_listed_in_one_message() {
    let mut vars = with(&[
        ("RATE_LIMIT_LOGIN", "three"),
        ("NEXUDUS_PORTAL_URL", "not a url"),
        ("OPS_ADDR", "x"),
    ]);
    vars.remove("DISCORD_TOKEN");
    vars.remove("NEXUDUS_API_PASSWORD");
    let err = Config::from_map(&vars).unwrap_err();
    let message = err.to_string();
    for needle in [
        "DISCORD_TOKEN is missing",
        "NEXUDUS_API_PASSWORD is missing",
        "NEXUDUS_PORTAL_URL",
        "RATE_LIMIT_LOGIN=`three`",
        "OPS_ADDR",
    ] {
        assert!(
            message.contains(needle),
            "{message:?} should mention {needle}"
        );
    }
    assert_eq!(err.problems.len(), 5, "{message}");
    assert!(message.starts_with("invalid configuration:"));
}

#[test]
fn nothing_set_lists_all_four_required_variables() {
    let problems = problems(&HashMap::new());
    for name in [
        "DISCORD_TOKEN",
        "NEXUDUS_PORTAL_URL",
        "NEXUDUS_API_USERNAME",
        "NEXUDUS_API_PASSWORD",
    ] {
        assert!(
            problems.iter().any(|p| p == &format!("{name} is missing")),
            "{problems:?}"
        );
    }
    assert_eq!(problems.len(), 4);
}

#[test]
fn secrets_never_appear_in_problems_or_debug_output() {
    // A token of the wrong shape, and a secret smuggled into a URL's userinfo.
    let vars = with(&[
        ("DISCORD_TOKEN", "hunter2 token with spaces"),
        ("DISCORD_API_BASE", "http://user:hunter2@127.0.0.1:1/x"),
        ("RATE_LIMIT_LOGIN", "bad"),
    ]);
    let message = Config::from_map(&vars).unwrap_err().to_string();
    assert!(!message.contains("hunter2"), "{message}");
    assert!(!message.contains(PASSWORD));

    let config = load(&minimal());
    let debug = format!("{config:?}");
    assert!(
        !debug.contains(TOKEN),
        "the Discord token leaked into Debug"
    );
    assert!(
        !debug.contains(PASSWORD),
        "the Nexudus password leaked into Debug"
    );
}

#[test]
fn portal_pages_must_stay_on_the_portal() {
    for path in [
        "https://evil.example",
        "//evil.example/x",
        "/\\evil.example",
        "bookings",
        "/a b",
        "/x\u{7}",
    ] {
        let spec = format!("Bad={path}");
        assert!(
            PortalPages::parse(&spec, "en").is_err(),
            "{path:?} should be refused"
        );
    }
    let err = PortalPages::parse("A=/,A=/x,=/y,B", "en").unwrap_err();
    assert!(
        err.contains("twice") && err.contains("label") && err.contains("label=/path"),
        "{err}"
    );
    let too_many: Vec<String> = (0..26).map(|i| format!("P{i}=/p{i}")).collect();
    assert!(
        PortalPages::parse(&too_many.join(","), "en")
            .unwrap_err()
            .contains("at most 25")
    );
}

#[test]
fn limits_read_and_print_as_count_over_period() {
    let limit: Limit = "3/10m".parse().unwrap();
    assert_eq!(
        (limit.count.get(), limit.period),
        (3, Duration::from_secs(600))
    );
    assert_eq!(
        "5/h".parse::<Limit>().unwrap().period,
        Duration::from_secs(3_600)
    );
    assert_eq!(" 2 / 45s ".parse::<Limit>().unwrap().to_string(), "2/45s");
    for bad in [
        "", "3", "/10m", "3/", "3/10", "3/10x", "x/10m", "3/0m", "3/999d", "-1/1m", "3/1.5h",
    ] {
        assert!(bad.parse::<Limit>().is_err(), "{bad:?} should be refused");
    }
}

#[test]
fn bot_locale_is_optional_takes_a_catalogue_or_discord_code_and_names_the_choices_when_unknown() {
    assert_eq!(load(&minimal()).discord.bot_locale, None);
    let spanish = load(&with(&[("BOT_LOCALE", "es-419")]));
    assert_eq!(spanish.discord.bot_locale, Some(Locale::Es));
    let vars = with(&[("BOT_LOCALE", "klingon")]);
    assert_one_problem_mentions(&vars, "BOT_LOCALE=`klingon`");
    assert_one_problem_mentions(&vars, "en, es, fr, de, it, pt-BR, nl");
}

// ---- membership roles ----

#[test]
fn membership_roles_are_off_by_default_with_an_hourly_reconcile_ready() {
    let config = load(&minimal());
    assert!(!config.roles.enabled());
    assert_eq!(config.roles.sync_interval, Some(Duration::from_secs(3600)));
    assert!(config.roles.webhook_secret.is_none());
}

#[test]
fn membership_roles_read_the_member_role_plan_roles_interval_and_secret() {
    let config = load(&with(&[
        ("DISCORD_GUILD_IDS", "123"),
        ("MEMBER_ROLE_ID", "700"),
        ("PLAN_ROLES", "Dedicated Desk=701, Hot  desk =702"),
        ("ROLE_SYNC_INTERVAL", "15m"),
        ("NEXUDUS_WEBHOOK_SECRET", "webhook-secret-value"),
    ]));
    let roles = &config.roles;
    assert!(roles.enabled());
    assert_eq!(
        roles.managed().into_iter().collect::<Vec<_>>(),
        [700, 701, 702]
    );
    assert_eq!(roles.plan_roles.role_for("hot desk"), Some(702));
    assert_eq!(roles.sync_interval, Some(Duration::from_secs(900)));
    assert_eq!(
        roles
            .webhook_secret
            .as_ref()
            .map(|s| s.expose_secret().to_owned()),
        Some("webhook-secret-value".to_owned())
    );
    let off = load(&with(&[
        ("DISCORD_GUILD_IDS", "123"),
        ("MEMBER_ROLE_ID", "700"),
        ("ROLE_SYNC_INTERVAL", "off"),
    ]));
    assert_eq!(off.roles.sync_interval, None);
}

#[test]
fn every_bad_roles_variable_is_named_in_one_message() {
    let problems = problems(&with(&[
        ("MEMBER_ROLE_ID", "members"),
        ("PLAN_ROLES", "Desk"),
        ("ROLE_SYNC_INTERVAL", "5s"),
    ]));
    let all = problems.join("\n");
    assert!(all.contains("MEMBER_ROLE_ID=`members`"), "{all}");
    assert!(all.contains("PLAN_ROLES"), "{all}");
    assert!(
        all.contains("ROLE_SYNC_INTERVAL=`5s`: must be at least 10s"),
        "{all}"
    );
    assert_eq!(problems.len(), 3, "{all}");
}

#[test]
fn roles_without_a_configured_server_are_refused() {
    assert_one_problem_mentions(&with(&[("MEMBER_ROLE_ID", "700")]), "DISCORD_GUILD_IDS");
}

#[test]
fn a_webhook_secret_without_roles_or_without_the_ops_server_is_refused_without_echoing_it() {
    let secret = "webhook-secret-value";
    let alone = problems(&with(&[("NEXUDUS_WEBHOOK_SECRET", secret)]));
    assert_eq!(alone.len(), 1, "{alone:?}");
    assert!(
        alone[0].contains("MEMBER_ROLE_ID or PLAN_ROLES"),
        "{alone:?}"
    );
    let no_ops = problems(&with(&[
        ("DISCORD_GUILD_IDS", "123"),
        ("MEMBER_ROLE_ID", "700"),
        ("NEXUDUS_WEBHOOK_SECRET", secret),
        ("OPS_ADDR", ""),
    ]));
    assert_eq!(no_ops.len(), 1, "{no_ops:?}");
    assert!(no_ops[0].contains("OPS_ADDR"), "{no_ops:?}");
    assert!(!alone.concat().contains(secret) && !no_ops.concat().contains(secret));
}
