# What community managers read: /admin replies, the audit channel's posts.
# /admin replies use the manager's Discord language; audit posts the bot's
# language (BOT_LOCALE, or the server's).
# $member, $previous, $actor and $by are Discord mentions (<@…>), $channel a
# channel mention (<#…>): keep them whole. $retry and $when are relative Discord
# timestamps (<t:…:R>), $since a full date (<t:…:f>).

## Refusal

admin-refused = Only community managers (Manage Server, or a manager role) can use `/admin`.

## /admin link, unlink, login, reset-password

admin-linked = { $member } is now linked to **{ $email }**.
# A second line after admin-linked when the Nexudus account moved from another member.
admin-link-moved = This Nexudus account was linked to { $previous } before; that link was removed.
admin-no-such-user = No Nexudus user has the email **{ $email }**. Check the spelling, or the member's profile in Nexudus.
admin-unlinked = { $member } is no longer linked (was **{ $email }**).
admin-not-linked = { $member } isn't linked to a Nexudus account. Use `/admin link` to link them.
admin-login-delivered = A one-time login link was sent to { $member } by DM.
admin-login-dm-closed = { $member } doesn't accept direct messages from this server, so the link was not sent. Ask them to run `/login` themselves: the link then appears privately to them.
admin-login-failed = Discord didn't deliver the DM to { $member }. Try again in a minute.
admin-link-gone = { $member }'s linked Nexudus user no longer exists. Link them again with `/admin link` (or ask them to `/link`).
admin-reset-requested = Nexudus was asked to email a password reset link to **{ $email }** ({ $member }'s linked email).
admin-member-rate-limited = { $member }'s limit for this is used up; it frees up { $retry }. `/admin limits member:… clear:true` resets it.
admin-already-running = A request for { $member } is already on its way.
admin-unknown-page = That page isn't one of the configured choices.
admin-nexudus-unavailable = Nexudus could not be reached (down, slow or throttling). Try again in a few minutes.
admin-hourly-budget-spent = The bot has used its hourly budget of Nexudus calls; it refills { $retry }.
admin-misconfigured = Nexudus rejected the bot's REST credentials. The operator should run `nexudus-bot check` and verify NEXUDUS_API_USERNAME/NEXUDUS_API_PASSWORD, API access and the User-Edit and User-List roles.

## /admin audit-channel and panel

admin-audit-channel-set = Audit events will be posted in { $channel }.
admin-audit-channel-cleared = Audit events will no longer be posted in a channel (they are still kept in the audit log).
admin-panel-posted = The member panel is posted in { $channel }.
admin-panel-failed = I couldn't post in { $channel }. Check that I can view the channel, send messages and embed links there.

## /admin whois
# $user: the Nexudus user id. $action: the audit action, e.g. admin_login.
# $outcome: one of the outcome-* messages below. $request: the request id.

whois-linked = { $member } is linked to **{ $email }** (Nexudus user { $user }), since { $since } by { $by }.
whois-no-requests = No requests recorded yet.
whois-recent-header = **Last requests** (newest first):
whois-entry = • { $when } `{ $action }`: **{ $outcome }** (`{ $request }`)
# The same line when someone else (a manager) made the request.
whois-entry-by = • { $when } `{ $action }` by { $actor }: **{ $outcome }** (`{ $request }`)

## /admin limits
# $name: a command (/login) or limits-reset-emails. $limit: the setting, e.g. 3/10m.

limits-header = Limits of { $member }:
limits-header-cleared = Limits of { $member } cleared. Now:
limits-line = • { $name }: { $remaining } of { $count } left (limit { $limit })
limits-line-blocked = • { $name }: { $remaining } of { $count } left (limit { $limit }), next allowed { $retry }
limits-line-refilling = • { $name }: { $remaining } of { $count } left (limit { $limit }), a slot frees { $retry }
limits-reset-emails = reset emails to { $email }

## /admin stats

stats-uptime = **Up for** { $days }d { $hours }h { $minutes }m · **linked members**: { $linked }
stats-uptime-linked-unknown = **Up for** { $days }d { $hours }h { $minutes }m · **linked members**: unknown
stats-refusals = **Rate-limit refusals**: { $refusals } · **DM failures**: { $failures }
stats-no-requests = No requests since start.
stats-requests-header = **Requests since start**
# $command: the audit action; $outcome: an outcome-* message.
stats-request-line = • `{ $command }` { $outcome }: { $count }
stats-latency-header = **Nexudus latency** (recent calls)
stats-latency-line =
    • { $endpoint }: p50 { $p50 } ms, p95 { $p95 } ms over { $calls ->
        [one] { $calls } call
       *[other] { $calls } calls
    }
stats-hourly-budget = **Nexudus budget this hour**: { $left } of { $limit } left
stats-longest-wait = **Longest wait in line** (last hour): { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }

## Audit-channel posts

audit-the-bot = the bot
# $who: a mention, or audit-the-bot.
audit-summary = { $who } · `{ $action }` → **{ $outcome }**
audit-member = member: { $member }
# $email is masked (a***@e***.com).
audit-email = email: { $email }
audit-footer = request { $request }
audit-detail-moved = moved from Discord user { $previous }
audit-detail-channel = channel { $channel }
audit-detail-subcommand = subcommand { $subcommand }

## Outcomes, as whois, stats and audit posts show them
# outcome-<label>, for the outcome labels of the audit log (dm_sent → outcome-dm-sent).

outcome-dm-sent = DM sent
outcome-dm-closed = DMs closed
outcome-dm-failed = DM failed
outcome-link-gone = link gone
outcome-not-linked = not linked
outcome-rate-limited = rate limited
outcome-already-running = already running
outcome-unknown-page = unknown page
outcome-invalid-email = invalid email
outcome-need-email = email needed
outcome-reset-requested = reset requested
outcome-linked = linked
outcome-linked-moved = linked (moved)
outcome-invalid-credentials = invalid credentials
outcome-two-factor-required = two-factor code needed
outcome-must-reset-password = new password needed
outcome-account-not-found = account not found
outcome-shown = shown
outcome-unlinked = unlinked
outcome-cleared = cleared
outcome-set = set
outcome-posted = posted
outcome-post-failed = post failed
outcome-not-a-manager = not a manager
outcome-rest-credentials-rejected = REST credentials rejected
outcome-internal-error = internal error
outcome-not-found = not found
outcome-throttled = throttled
outcome-timeout = timeout
outcome-unavailable = unavailable
outcome-malformed = malformed answer
outcome-queue-full = queue full
outcome-hourly-budget-spent = hourly budget spent
outcome-shutting-down = restarting
outcome-started = started
outcome-ended = ended
outcome-rejected = rejected
outcome-accepted = accepted

## Membership roles: /admin sync, /admin whois, the audit channel
admin-sync-off = Membership roles are not set up: set MEMBER_ROLE_ID or PLAN_ROLES and restart the bot.
# $roles, $added, $removed: role mentions, or roles-none.
admin-sync-member = { $member } now holds { $roles }. Added: { $added }. Removed: { $removed }.
# $roles: role mentions.
admin-sync-refused = Discord refused { $roles }: give the bot the Manage Roles permission and drag its role above these roles in Server Settings ▸ Roles.
admin-sync-left = { $member } is not in the server: nothing to change.
admin-sync-everyone = Synced { $members } linked members: { $added } roles added, { $removed } removed, { $unchanged } members unchanged, { $failed } failed, { $left } not in the server.
admin-sync-busy = A sync of everyone is already running; its counts will be in the audit log when it ends.
roles-none = none
# $plans: plan names, comma-separated.
whois-plans = Plans: { $plans }
whois-no-plans = No active plan.
# $when: a relative time.
whois-roles = Managed roles held: { $roles } (seen { $when })
audit-detail-role = role { $role }: give the bot the Manage Roles permission and drag its role above { $role } in Server Settings ▸ Roles
audit-detail-synced = { $added } roles added, { $removed } removed, { $unchanged } members unchanged, { $failed } failed
outcome-synced = synced
outcome-forbidden = refused by Discord
# Reasons shown in the server's audit log for the bot's role changes (at most 512 characters).
role-reason-linked = Linked to Nexudus: roles follow the member's plans
role-reason-unlinked = Unlinked from Nexudus
role-reason-plans = The member's Nexudus plans changed
