# What a member reads: replies (only they see them), the login DM, the forms.
# Language: the member's Discord language.
# Keep Discord markdown (**bold**, `code`) and command names (/link) as they are.
# $retry is a Discord timestamp (<t:…:R>): Discord shows it as "in 5 minutes"
# in the reader's own language, so it needs no words around it for the time.

## /login

login-dm-title = Your member portal login link
login-button = Open the member portal
# $page: the portal page's label, as the space configured it.
login-dm-body =
    Tap the button to log in and open **{ $page }**.
    The link works **once** and expires soon. Don't share it: anyone with it can open your account.
login-check-dms = Check your direct messages: your login link is there. 📬
login-dms-closed =
    I couldn't send you a direct message, so here is your link. It works once and expires soon; don't share it.
    Tip: to get links by DM next time, allow direct messages from server members (Server name ▸ Privacy Settings ▸ Direct Messages).
login-dm-failed = I couldn't deliver your login link right now. Please try again in a minute.
not-linked =
    Your Discord account isn't linked to a member portal account yet.
    Use `/link` once with your portal email and password, then `/login` works with one tap.
link-gone = Your linked member portal account no longer exists. Use `/link` again with your current portal email and password.
unknown-page = That page isn't one of the choices. Pick a page from the list, or leave it empty.

## /reset-password

# Same wording whether or not an account exists: it must not reveal who is a member.
reset-sent = If **{ $email }** belongs to a member portal account, a password reset email is on its way. Check your inbox (and the spam folder) in a few minutes.
reset-needs-email =
    Tell me which email to send the reset link to: use `/reset-password email:you@example.com`.
    Tip: after `/link`, `/reset-password` needs no email.
# $reason: one of the email-problem-* messages below.
invalid-email = That doesn't look like an email address ({ $reason }). Please check it and try again.
email-problem-empty = it is empty
email-problem-too-long = it is longer than 254 characters
email-problem-at = it needs exactly one @
email-problem-local = the part before the @ is missing or too long
email-problem-domain = the part after the @ needs a dot, like example.com
email-problem-whitespace = it contains spaces or invisible characters

## Forms (Discord modals: titles and labels 45 characters at most, placeholders 100)

email-placeholder = you@example.com
link-modal-title = Link your member portal account
link-modal-email = Member portal email
link-modal-password = Member portal password
link-modal-password-hint = Sent only to Nexudus to check it; never stored
link-modal-two-factor = Two-factor code (if your account uses it)
link-modal-two-factor-hint = The 6-digit code from your authenticator app
reset-modal-title = Reset your portal password
reset-modal-email = Member portal email

## /link

linked = Done: your Discord account is now linked to **{ $email }**. `/login` now sends you a login link with one tap.
link-invalid-credentials = The email or password is not valid. Please check both and try `/link` again. Forgot your password? Use `/reset-password`.
link-two-factor-required = Your account uses two-factor authentication: open `/link` again and enter the 6-digit code from your authenticator app.
link-must-reset-password = Nexudus asks you to choose a new password first: use `/reset-password`, then `/link` again.
link-account-not-found = Nexudus accepted your sign-in but I couldn't find your member record. Please ask a community manager to link your account.

## /unlink and /account

unlinked = Your Discord account is no longer linked to **{ $email }**.
nothing-to-unlink = Your Discord account isn't linked to a member portal account, so there is nothing to unlink.
# $since: a Discord date (<t:…:f>), shown in the reader's time zone.
account =
    Your Discord account is linked to **{ $email }** (since { $since }).
    Use `/unlink` to disconnect it.

## Refusals and failures shared by every command

rate-limited = You've asked for this a few times in a short while. You can try again { $retry }.
already-running = Your previous request is already on its way. Give it a moment.
nexudus-unavailable = I couldn't reach the member portal just now. Please try again in a few minutes.
misconfigured = The bot can't talk to the member portal because of a setup problem. The community managers have been told; please try again later.
wrong-guild = This bot only works in its coworking community's server.
not-in-guild = Please use this command in the community server, not in a direct message.
shutting-down = The bot is restarting. Please try again in a minute.
internal-error = Something went wrong on my side. Please try again in a minute.

## Waiting in line for the member portal

# Edited into the reply while the member waits; $place and $seconds are numbers.
queue-place =
    { $place ->
        [one] You're next in line, about { $seconds ->
            [one] { $seconds } second.
           *[other] { $seconds } seconds.
        }
       *[other] You're number { $place } in line, about { $seconds ->
            [one] { $seconds } second.
           *[other] { $seconds } seconds.
        }
    }
queue-full = Lots of members are asking right now, so I can't take your request. Please try again { $retry }.
hourly-budget-spent = The member portal is very busy; try again { $retry }.
queue-restarting = The bot is restarting, so your request was not sent. Please try again in a minute.

## The member panel (posted by a manager; in the server's language)

panel-title = Member portal
panel-body = Log in to the member portal without typing a password, get a password reset email, or link your Discord account once so the rest is one tap. Everything I send is visible only to you.
panel-login = Log in to the portal
panel-reset = Reset password
panel-link = Link account

## Membership roles, after /link and in /account
# $roles: role mentions, comma-separated.
linked-roles = Your member roles: { $roles }
linked-no-plan = You have no active plan in Nexudus yet, so no member role for now.
linked-roles-later = Your member roles will follow in a few minutes.
# $plans: plan names, comma-separated.
account-plans = Your plans: { $plans }
account-no-plans = You have no active plan.
# $plan: a plan name.
plan-paused = { $plan } (paused)
