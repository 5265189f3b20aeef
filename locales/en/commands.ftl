# Command and option descriptions, shown in Discord's command picker.
# Discord allows 1 to 100 characters each. Command and option names stay
# English (docs and managers rely on them): only these texts are translated.

## Member commands

cmd-login-description = Get a one-time link that logs you into the member portal
cmd-login-page-description = Which portal page to open
cmd-reset-password-description = Get an email with a link to reset your member portal password
cmd-reset-password-email-description = Your member portal email (leave empty to use your linked account)
cmd-link-description = Connect your Discord account to your member portal account
cmd-unlink-description = Disconnect your Discord account from the member portal
cmd-account-description = Show which member portal account is linked to you

## /admin and its subcommands (community managers)

cmd-admin-description = Community manager tools for the member portal bot
cmd-admin-link-description = Link a member to the Nexudus account with this email (no password needed)
cmd-admin-unlink-description = Remove a member's link
cmd-admin-whois-description = Show a member's link and their last requests
cmd-admin-login-description = DM a member a one-time login link (you never see the link)
cmd-admin-reset-password-description = Send the password reset email to a member's linked email
cmd-admin-limits-description = Show a member's rate limits, or clear them
cmd-admin-stats-description = Counts since start, Nexudus latency, linked members
cmd-admin-audit-channel-description = Set the channel where audit events are posted (empty: stop posting)
cmd-admin-panel-description = Post the member self-service panel in a channel
cmd-admin-sync-description = Re-read plans from Nexudus and fix membership roles

## /admin options (the `page` option uses cmd-login-page-description)

cmd-admin-member-option = The member
cmd-admin-email-option = Their Nexudus (member portal) email
cmd-admin-clear-option = Reset their limits now
cmd-admin-channel-option = The channel
cmd-admin-sync-member-option = One member (leave empty for everyone)
