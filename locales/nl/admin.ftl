# Wat communitymanagers lezen: antwoorden van /admin, berichten in het auditkanaal.
# Antwoorden van /admin zijn in de Discord-taal van de manager; auditberichten in
# de taal van de bot (BOT_LOCALE, of die van de server).
# $member, $previous, $actor en $by zijn Discord-vermeldingen (<@…>), $channel een
# kanaalvermelding (<#…>): laat ze heel. $retry en $when zijn relatieve
# tijdstempels (<t:…:R>), $since een volledige datum (<t:…:f>).

## Weigering

admin-refused = Alleen communitymanagers (Server beheren, of een managerrol) kunnen `/admin` gebruiken.

## /admin link, unlink, login, reset-password

admin-linked = { $member } is nu gekoppeld aan **{ $email }**.
admin-link-moved = Dit Nexudus-account was eerder gekoppeld aan { $previous }; die koppeling is verwijderd.
admin-no-such-user = Geen enkele Nexudus-gebruiker heeft het e-mailadres **{ $email }**. Controleer de spelling, of het profiel van het lid in Nexudus.
admin-unlinked = { $member } is niet meer gekoppeld (was **{ $email }**).
admin-not-linked = { $member } is niet gekoppeld aan een Nexudus-account. Gebruik `/admin link` om te koppelen.
admin-login-delivered = { $member } heeft per DM een eenmalige inloglink gekregen.
admin-login-dm-closed = { $member } accepteert geen privéberichten van deze server, dus de link is niet verstuurd. Vraag het lid om zelf `/login` te gebruiken: dan verschijnt de link alleen voor het lid.
admin-login-failed = Discord heeft de DM aan { $member } niet bezorgd. Probeer het over een minuut opnieuw.
admin-link-gone = De Nexudus-gebruiker die aan { $member } gekoppeld was, bestaat niet meer. Koppel opnieuw met `/admin link` (of vraag het lid om `/link`).
admin-reset-requested = Nexudus is gevraagd een link om het wachtwoord te resetten te mailen naar **{ $email }** (het gekoppelde adres van { $member }).
admin-member-rate-limited = De limiet van { $member } hiervoor is op; die komt { $retry } weer vrij. `/admin limits member:… clear:true` zet hem terug.
admin-already-running = Er is al een verzoek voor { $member } onderweg.
admin-unknown-page = Die pagina hoort niet bij de ingestelde keuzes.
admin-nexudus-unavailable = Nexudus was niet bereikbaar (plat, traag of aan het afremmen). Probeer het over een paar minuten opnieuw.
admin-hourly-budget-spent = De bot heeft zijn uurbudget aan Nexudus-aanroepen opgebruikt; het vult zich { $retry } weer aan.
admin-misconfigured = Nexudus heeft de REST-inloggegevens van de bot geweigerd. De beheerder moet `nexudus-bot check` draaien en NEXUDUS_API_USERNAME/NEXUDUS_API_PASSWORD, API-toegang en de rollen User-Edit en User-List controleren.

## /admin audit-channel en panel

admin-audit-channel-set = Audit-meldingen worden geplaatst in { $channel }.
admin-audit-channel-cleared = Audit-meldingen worden niet meer in een kanaal geplaatst (ze blijven in het auditlogboek staan).
admin-panel-posted = Het ledenpaneel is geplaatst in { $channel }.
admin-panel-failed = Ik kon niet plaatsen in { $channel }. Controleer of ik het kanaal kan zien, er berichten kan sturen en links kan insluiten.

## /admin whois

whois-linked = { $member } is gekoppeld aan **{ $email }** (Nexudus-gebruiker { $user }), sinds { $since }, door { $by }.
whois-no-requests = Nog geen verzoeken vastgelegd.
whois-recent-header = **Laatste verzoeken** (nieuwste eerst):
whois-entry = • { $when } `{ $action }`: **{ $outcome }** (`{ $request }`)
whois-entry-by = • { $when } `{ $action }` door { $actor }: **{ $outcome }** (`{ $request }`)

## /admin limits

limits-header = Limieten van { $member }:
limits-header-cleared = Limieten van { $member } teruggezet. Nu:
limits-line = • { $name }: { $remaining } van { $count } over (limiet { $limit })
limits-line-blocked = • { $name }: { $remaining } van { $count } over (limiet { $limit }), weer mogelijk { $retry }
limits-line-refilling = • { $name }: { $remaining } van { $count } over (limiet { $limit }), een plek komt { $retry } vrij
limits-reset-emails = reset-e-mails naar { $email }

## /admin stats

stats-uptime = **Actief sinds** { $days } d { $hours } u { $minutes } min · **gekoppelde leden**: { $linked }
stats-uptime-linked-unknown = **Actief sinds** { $days } d { $hours } u { $minutes } min · **gekoppelde leden**: onbekend
stats-refusals = **Weigeringen door limieten**: { $refusals } · **mislukte DM's**: { $failures }
stats-no-requests = Geen verzoeken sinds de start.
stats-requests-header = **Verzoeken sinds de start**
stats-request-line = • `{ $command }` { $outcome }: { $count }
stats-latency-header = **Nexudus-vertraging** (recente aanroepen)
stats-latency-line =
    • { $endpoint }: p50 { $p50 } ms, p95 { $p95 } ms over { $calls ->
        [one] { $calls } aanroep
       *[other] { $calls } aanroepen
    }
stats-hourly-budget = **Nexudus-budget dit uur**: { $left } van { $limit } over
stats-longest-wait = **Langste wachttijd in de rij** (laatste uur): { $seconds ->
        [one] { $seconds } seconde
       *[other] { $seconds } seconden
    }

## Berichten in het auditkanaal

audit-the-bot = de bot
audit-summary = { $who } · `{ $action }` → **{ $outcome }**
audit-member = lid: { $member }
audit-email = e-mail: { $email }
audit-footer = verzoek { $request }
audit-detail-moved = verplaatst van Discord-gebruiker { $previous }
audit-detail-channel = kanaal { $channel }
audit-detail-subcommand = subcommando { $subcommand }

## Uitkomsten, zoals whois, stats en de audit ze tonen

outcome-dm-sent = DM verstuurd
outcome-dm-closed = DM's gesloten
outcome-dm-failed = DM mislukt
outcome-link-gone = account verdwenen
outcome-not-linked = niet gekoppeld
outcome-rate-limited = limiet bereikt
outcome-already-running = al bezig
outcome-unknown-page = onbekende pagina
outcome-invalid-email = ongeldig e-mailadres
outcome-need-email = e-mailadres nodig
outcome-reset-requested = reset aangevraagd
outcome-linked = gekoppeld
outcome-linked-moved = gekoppeld (verplaatst)
outcome-invalid-credentials = ongeldige inloggegevens
outcome-two-factor-required = tweestapscode nodig
outcome-must-reset-password = nieuw wachtwoord nodig
outcome-account-not-found = account niet gevonden
outcome-shown = getoond
outcome-unlinked = ontkoppeld
outcome-cleared = teruggezet
outcome-set = ingesteld
outcome-posted = geplaatst
outcome-post-failed = plaatsen mislukt
outcome-not-a-manager = geen manager
outcome-rest-credentials-rejected = REST-inloggegevens geweigerd
outcome-internal-error = interne fout
outcome-not-found = niet gevonden
outcome-throttled = afgeremd door Nexudus
outcome-timeout = time-out
outcome-unavailable = niet bereikbaar
outcome-malformed = onleesbaar antwoord
outcome-queue-full = wachtrij vol
outcome-hourly-budget-spent = uurbudget op
outcome-shutting-down = herstart
outcome-started = begonnen
outcome-ended = voorbij
outcome-rejected = geweigerd
outcome-accepted = geaccepteerd

## Ledenrollen: /admin sync, /admin whois, het auditkanaal
admin-sync-off = Ledenrollen zijn niet ingesteld: stel MEMBER_ROLE_ID of PLAN_ROLES in en start de bot opnieuw.
# $roles, $added, $removed: rolvermeldingen, of roles-none.
admin-sync-member = { $member } heeft nu { $roles }. Toegevoegd: { $added }. Verwijderd: { $removed }.
# $roles: rolvermeldingen.
admin-sync-refused = Discord weigerde { $roles }: geef de bot het recht "Rollen beheren" en sleep zijn rol boven deze rollen in Serverinstellingen ▸ Rollen.
admin-sync-left = { $member } zit niet op de server: er valt niets te wijzigen.
admin-sync-everyone = { $members } gekoppelde leden gesynchroniseerd: { $added } rollen toegevoegd, { $removed } verwijderd, { $unchanged } leden ongewijzigd, { $failed } mislukt, { $left } niet op de server.
admin-sync-busy = Er loopt al een synchronisatie van iedereen; de aantallen staan in het auditlogboek zodra die klaar is.
roles-none = geen
# $plans: namen van abonnementen, gescheiden door komma's.
whois-plans = Abonnementen: { $plans }
whois-no-plans = Geen actief abonnement.
# $when: een relatieve tijd.
whois-roles = Beheerde rollen in bezit: { $roles } (gezien { $when })
audit-detail-role = rol { $role }: geef de bot het recht "Rollen beheren" en sleep zijn rol boven { $role } in Serverinstellingen ▸ Rollen
audit-detail-synced = { $added } rollen toegevoegd, { $removed } verwijderd, { $unchanged } leden ongewijzigd, { $failed } mislukt
outcome-synced = gesynchroniseerd
outcome-forbidden = geweigerd door Discord
# Redenen in het auditlogboek van de server voor de rolwijzigingen van de bot (hooguit 512 tekens).
role-reason-linked = Gekoppeld aan Nexudus: de rollen volgen de abonnementen van het lid
role-reason-unlinked = Ontkoppeld van Nexudus
role-reason-plans = De Nexudus-abonnementen van het lid zijn gewijzigd
