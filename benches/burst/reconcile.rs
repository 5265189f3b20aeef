//! The roles part: a reconcile of many linked members, a tenth of whose plans
//! changed, with the burst running against the same bot at the same time.
//!
//! Before the bot starts, every member holds in the fake Discord the member
//! role, the role of their old plan (Hot Desk or Dedicated Desk, one each
//! in turn) and a role the bot does not manage. In the fake Nexudus, one
//! member in ten has changed: one in a hundred has no plan any more (two
//! roles to remove), the others switched plans (one role off, one on). So
//! the reconcile must write exactly two roles for each changed member, and
//! read ⌈active plans / 100⌉ pages (every coworker id is known).
//!
//! The bot runs with the defaults (`NEXUDUS_MAX_RPS=2`, `ROLE_SYNC_INTERVAL`
//! 1 h, so one reconcile starts with the bot). Once its first role write
//! arrives (the pages are read), the floor's burst and then the bot's are
//! sent; the bot's first-callback p99 against that floor is the figure the
//! reconcile must not move.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use nexudus_bot::store::Link;

use crate::fake_discord::{FakeDiscord, FakeMember};
use crate::nexudus::FakeNexudus;
use crate::process::{Proc, mib};
use crate::stats::ms;
use crate::{
    Burst, MAX_RPS, Mix, bot_env, burst_against, database_file, fake_discord_options, floor_burst,
    free_port, mix_links, seed, wait_ready,
};

/// Discord ids of the reconciled members.
const RECONCILE_MEMBERS: u64 = 560_000_000_000_000_000;
/// Nexudus user and coworker ids of the reconciled members, and the coworker
/// ids given to the burst's members (who hold no plan).
const USERS: u64 = 1_000_000;
const COWORKERS: u64 = 2_000_000;
const MIX_COWORKERS: u64 = 3_000_000;
/// The managed roles, and one the bot must never touch.
const MEMBER_ROLE: u64 = 570_000_000_000_000_001;
const HOT_DESK_ROLE: u64 = 570_000_000_000_000_002;
const DESK_ROLE: u64 = 570_000_000_000_000_003;
const UNMANAGED_ROLE: u64 = 570_000_000_000_000_004;
const HOT_DESK: &str = "Hot Desk";
const DESK: &str = "Dedicated Desk";
/// The line the bot logs when a reconcile ends.
const RECONCILED: &str = "membership roles reconciled";

/// What the roles part measured.
pub struct Reconcile {
    members: usize,
    changed: usize,
    ended: usize,
    active_plans: usize,
    /// Pages of active contracts Nexudus served: the reconcile's only Nexudus calls.
    pages: usize,
    /// Nexudus calls as the bot counted them (its log line): pages and coworker lookups.
    logged_calls: Option<u64>,
    /// The writes expected, the writes seen, and how many of those were not expected.
    expected_writes: usize,
    writes: usize,
    wrong_writes: usize,
    /// Writes of the role the bot does not manage (must be 0).
    unmanaged_writes: usize,
    /// Member reads (`GET /guilds/{g}/members/{u}`) by the reconcile.
    member_reads: usize,
    /// Bot start → the first role write, and the reconcile's own `took_ms`.
    first_write: Duration,
    took: Duration,
    /// The bot's RSS when ready and its peak (VmHWM) at the reconcile's end.
    ready_rss: u64,
    peak_rss: u64,
    /// The floor's burst and the bot's, both during the reconcile.
    floor: Burst,
    burst: Burst,
    /// Role writes done when the burst's last member had a final reply.
    writes_by_burst_end: usize,
}

/// A member's plan before and after: `None` for no plan.
fn plans(i: u64) -> (&'static str, Option<&'static str>) {
    let (before, other) = if i.is_multiple_of(2) {
        (HOT_DESK, DESK)
    } else {
        (DESK, HOT_DESK)
    };
    let after = match (i % 10, i % 100) {
        (_, 0) => None,
        (0, _) => Some(other),
        _ => Some(before),
    };
    (before, after)
}

fn role_of(plan: &str) -> u64 {
    if plan == HOT_DESK {
        HOT_DESK_ROLE
    } else {
        DESK_ROLE
    }
}

/// `(method, member, role)` of every write the reconcile should make.
fn expected_writes(members: u64) -> BTreeSet<(String, u64, u64)> {
    let mut writes = BTreeSet::new();
    for i in 0..members {
        let member = RECONCILE_MEMBERS + i;
        match plans(i) {
            (before, None) => {
                writes.insert(("DELETE".to_owned(), member, MEMBER_ROLE));
                writes.insert(("DELETE".to_owned(), member, role_of(before)));
            }
            (before, Some(after)) if after != before => {
                writes.insert(("DELETE".to_owned(), member, role_of(before)));
                writes.insert(("PUT".to_owned(), member, role_of(after)));
            }
            _ => {}
        }
    }
    writes
}

/// `(method, member, role)` of a recorded role write.
fn write_of(path: &str, method: &str) -> Option<(String, u64, u64)> {
    let seg: Vec<&str> = path.split('/').collect();
    match seg.as_slice() {
        [
            "",
            "api",
            "v10",
            "guilds",
            _,
            "members",
            user,
            "roles",
            role,
        ] => Some((method.to_owned(), user.parse().ok()?, role.parse().ok()?)),
        _ => None,
    }
}

/// A whole number after `key` in a log line (`key=N` or `"key":N`).
fn logged_number(line: &str, key: &str) -> Option<u64> {
    let after = line.split(key).nth(1)?;
    let digits: String = after
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

pub async fn reconcile_run(members: usize, mix: &Mix) -> Reconcile {
    let members_n = members as u64;
    let dir = tempfile::tempdir().expect("temp dir");
    let reconciled = (0..members_n).map(|i| Link {
        discord_user_id: RECONCILE_MEMBERS + i,
        nexudus_user_id: USERS + i,
        email: format!("member{i}@example.com"),
        linked_at: 1_700_000_000,
        linked_by: RECONCILE_MEMBERS + i,
        coworker_id: Some(COWORKERS + i),
    });
    let burst_members = mix_links(mix)
        .zip(MIX_COWORKERS..)
        .map(|(link, coworker)| Link {
            coworker_id: Some(coworker),
            ..link
        });
    seed(&database_file(dir.path()), reconciled.chain(burst_members)).await;

    let nexudus = FakeNexudus::start(Duration::ZERO).await;
    let contracts: Vec<(u64, String)> = (0..members_n)
        .filter_map(|i| Some((COWORKERS + i, plans(i).1?.to_owned())))
        .collect();
    let active_plans = contracts.len();
    nexudus.set_active_contracts(contracts);

    let discord = FakeDiscord::start(fake_discord_options()).await;
    let guild = discord.options().guild_ids[0];
    discord.add_role(guild, MEMBER_ROLE, "Members", 1);
    discord.add_role(guild, HOT_DESK_ROLE, HOT_DESK, 2);
    discord.add_role(guild, DESK_ROLE, DESK, 3);
    discord.add_role(guild, UNMANAGED_ROLE, "Volunteers", 4);
    for i in 0..members_n {
        let roles = [MEMBER_ROLE, role_of(plans(i).0), UNMANAGED_ROLE];
        discord.add_member(&FakeMember::member(RECONCILE_MEMBERS + i).with_roles(&roles));
    }
    let expected = expected_writes(members_n);

    let ops_port = free_port();
    let mut env = bot_env(&discord, &nexudus, dir.path(), ops_port);
    env.insert("MEMBER_ROLE_ID".to_owned(), MEMBER_ROLE.to_string());
    env.insert(
        "PLAN_ROLES".to_owned(),
        format!("{HOT_DESK}={HOT_DESK_ROLE},{DESK}={DESK_ROLE}"),
    );
    let exe = Path::new(env!("CARGO_BIN_EXE_nexudus-bot"));
    let started = Instant::now();
    let mut bot = Proc::spawn(exe, &["run"], &env, dir.path(), &[RECONCILED]);
    wait_ready(&mut bot, &discord, ops_port).await;
    let ready_rss = bot.rss();
    println!(
        "roles: nexudus-bot (pid {}) ready, reconciling {members} linked members ({} plans active)",
        bot.pid(),
        active_plans
    );
    // The pages come first (at NEXUDUS_MAX_RPS), then the Discord writes.
    let pages_deadline = Instant::now()
        + Duration::from_secs((active_plans as u64).div_ceil(100) / MAX_RPS as u64 * 3 + 60);
    while discord.role_writes().is_empty() {
        bot.assert_running("waiting for the reconcile's first role write");
        assert!(
            Instant::now() < pages_deadline,
            "the reconcile wrote no role; the bot's output:\n{}",
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let first_write = started.elapsed();
    println!("roles: first role write after {first_write:.1?}; the bursts start");
    let floor = floor_burst(mix).await;
    let burst = burst_against(&mut bot, &discord, &nexudus, mix).await;
    let writes_by_burst_end = discord.role_writes().len();
    println!(
        "roles: burst during the reconcile: first callback {} (p99 {:.2}× the floor's {}), {writes_by_burst_end} of {} writes done",
        burst.first,
        burst.first.p99.as_secs_f64() / floor.first.p99.as_secs_f64(),
        ms(floor.first.p99),
        expected.len()
    );
    // Each member costs one spaced read, each write one spaced call.
    let spacing = nexudus_bot::roles::sync::DISCORD_SPACING;
    let budget = spacing * (members + mix.total() + expected.len()) as u32 * 3;
    let deadline = Instant::now() + budget + Duration::from_secs(120);
    while bot.seen(RECONCILED) == 0 {
        bot.assert_running("waiting for the reconcile to end");
        assert!(
            Instant::now() < deadline,
            "the reconcile did not end; the bot's output:\n{}",
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let line = bot.lines_seen(RECONCILED).remove(0);
    let took = Duration::from_millis(logged_number(&line, "took_ms").unwrap_or_default());
    let logged_calls = logged_number(&line, "nexudus_calls");
    let peak_rss = bot.peak_rss();
    let written: Vec<(String, u64, u64)> = discord
        .role_writes()
        .iter()
        .filter(|r| r.status < 300)
        .filter_map(|r| write_of(&r.path, &r.method))
        .collect();
    let member_reads = discord
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.contains("/members/"))
        .count();
    bot.stop();
    println!(
        "roles: reconciled in {took:.1?}: {} role writes ({} expected), {} contract pages, peak RSS {}",
        written.len(),
        expected.len(),
        nexudus.contract_pages(),
        mib(peak_rss)
    );
    Reconcile {
        members,
        changed: (0..members_n).filter(|i| i.is_multiple_of(10)).count(),
        ended: (0..members_n).filter(|i| i.is_multiple_of(100)).count(),
        active_plans,
        pages: nexudus.contract_pages(),
        logged_calls,
        expected_writes: expected.len(),
        writes: written.len(),
        wrong_writes: written.iter().filter(|w| !expected.contains(*w)).count(),
        unmanaged_writes: written
            .iter()
            .filter(|(_, _, role)| *role == UNMANAGED_ROLE)
            .count(),
        member_reads,
        first_write,
        took,
        ready_rss,
        peak_rss,
        floor,
        burst,
        writes_by_burst_end,
    }
}

impl Reconcile {
    pub fn markdown(&self, line: &mut impl FnMut(String)) {
        let ratio = self.burst.first.p99.as_secs_f64() / self.floor.first.p99.as_secs_f64();
        line(format!(
            "Roles: a reconcile of {} linked members (every coworker id known), {} of whose plans \
             changed ({} ended, {} switched between Hot Desk and Dedicated Desk), {} active plans; \
             `MEMBER_ROLE_ID` and `PLAN_ROLES` for both plans, every member also holding a role the \
             bot does not manage; the defaults otherwise (`NEXUDUS_MAX_RPS={MAX_RPS}`, the reconcile \
             at start). Once the first role write arrived, the floor's burst and then the bot's \
             ({} interactions, the mix above) ran during the reconcile.",
            self.members,
            self.changed,
            self.ended,
            self.changed - self.ended,
            self.active_plans,
            self.burst.outcomes.values().sum::<usize>(),
        ));
        line(String::new());
        line("| reconcile | |".to_owned());
        line("|---|---|".to_owned());
        line(format!(
            "| Nexudus calls: pages of 100 active plans; all, as the bot counted them | **{}** (⌈{} / 100⌉ = {}); {} |",
            self.pages,
            self.active_plans,
            self.active_plans.div_ceil(100),
            self.logged_calls
                .map_or("not logged".to_owned(), |calls| calls.to_string())
        ));
        line(format!(
            "| Discord role writes; expected; not expected; of the unmanaged role | **{}**; {}; {}; {} |",
            self.writes, self.expected_writes, self.wrong_writes, self.unmanaged_writes
        ));
        line(format!("| Discord member reads | {} |", self.member_reads));
        line(format!(
            "| bot start → first role write; the reconcile's wall time | {:.1} s; **{:.1} s** |",
            self.first_write.as_secs_f64(),
            self.took.as_secs_f64()
        ));
        line(format!(
            "| bot RSS when ready → peak (VmHWM) | {} → **{}** |",
            mib(self.ready_rss),
            mib(self.peak_rss)
        ));
        line(format!(
            "| burst during it: first callback p50 / p99 / max; the floor's | {}; {} |",
            self.burst.first, self.floor.first
        ));
        line(format!(
            "| first-callback p99 ÷ floor p99 (goal: as without a reconcile) | **{ratio:.2}** |"
        ));
        line(format!(
            "| burst: members served; wait p50 / p99; without a final reply; Discord 429s; rule violations | {}; {} / {}; {}; {}; {} |",
            self.burst.served_count,
            ms(self.burst.served.p50),
            ms(self.burst.served.p99),
            self.burst.unanswered,
            self.burst.discord_429s,
            self.burst.violations.len()
        ));
        line(format!(
            "| role writes done when the burst's last member was answered | {} of {} |",
            self.writes_by_burst_end, self.expected_writes
        ));
    }
}
