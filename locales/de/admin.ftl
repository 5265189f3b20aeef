# Was Community-Manager lesen: Antworten von /admin, Beiträge im Audit-Kanal.
# Antworten von /admin kommen in der Discord-Sprache des Managers, Audit-Beiträge
# in der Sprache des Bots (BOT_LOCALE oder die des Servers).
# $member, $previous, $actor und $by sind Discord-Erwähnungen (<@…>), $channel eine
# Kanal-Erwähnung (<#…>): bitte unverändert lassen. $retry und $when sind relative
# Zeitstempel (<t:…:R>), $since ein volles Datum (<t:…:f>).

## Ablehnung

admin-refused = Nur Community-Manager (Server verwalten oder eine Manager-Rolle) können `/admin` nutzen.

## /admin link, unlink, login, reset-password

admin-linked = { $member } ist jetzt mit **{ $email }** verknüpft.
admin-link-moved = Dieses Nexudus-Konto war vorher mit { $previous } verknüpft; diese Verknüpfung wurde entfernt.
admin-no-such-user = Kein Nexudus-Nutzer hat die E-Mail **{ $email }**. Prüf die Schreibweise oder das Profil des Mitglieds in Nexudus.
admin-unlinked = { $member } ist nicht mehr verknüpft (war **{ $email }**).
admin-not-linked = { $member } ist mit keinem Nexudus-Konto verknüpft. Mit `/admin link` verknüpfst du es.
admin-login-delivered = { $member } hat per DM einen Einmal-Login-Link bekommen.
admin-login-dm-closed = { $member } nimmt keine Direktnachrichten von diesem Server an, der Link wurde also nicht geschickt. Bitte das Mitglied, selbst `/login` zu nutzen: Dann sieht nur das Mitglied den Link.
admin-login-failed = Discord hat die DM an { $member } nicht zugestellt. Versuch es in einer Minute noch einmal.
admin-link-gone = Den mit { $member } verknüpften Nexudus-Nutzer gibt es nicht mehr. Verknüpfe neu mit `/admin link` (oder lass das Mitglied `/link` nutzen).
admin-reset-requested = Nexudus soll einen Link zum Zurücksetzen des Passworts an **{ $email }** schicken (die verknüpfte E-Mail von { $member }).
admin-member-rate-limited = Das Limit von { $member } dafür ist aufgebraucht; es wird { $retry } wieder frei. `/admin limits member:… clear:true` setzt es zurück.
admin-already-running = Eine Anfrage für { $member } ist schon unterwegs.
admin-unknown-page = Diese Seite gehört nicht zu den eingerichteten Seiten.
admin-nexudus-unavailable = Nexudus war nicht erreichbar (ausgefallen, langsam oder drosselnd). Versuch es in ein paar Minuten noch einmal.
admin-hourly-budget-spent = Der Bot hat sein stündliches Kontingent an Nexudus-Aufrufen aufgebraucht; es füllt sich { $retry } wieder auf.
admin-misconfigured = Nexudus hat die REST-Zugangsdaten des Bots abgelehnt. Der Betreiber sollte `nexudus-bot check` ausführen und NEXUDUS_API_USERNAME/NEXUDUS_API_PASSWORD, den API-Zugriff sowie die Rollen User-Edit und User-List prüfen.

## /admin audit-channel und panel

admin-audit-channel-set = Audit-Ereignisse werden in { $channel } gepostet.
admin-audit-channel-cleared = Audit-Ereignisse werden nicht mehr in einem Kanal gepostet (im Audit-Log bleiben sie erhalten).
admin-panel-posted = Das Mitglieder-Panel ist in { $channel } gepostet.
admin-panel-failed = Ich konnte nicht in { $channel } posten. Prüf, ob ich den Kanal sehen, dort Nachrichten senden und Links einbetten darf.

## /admin whois

whois-linked = { $member } ist mit **{ $email }** verknüpft (Nexudus-Nutzer { $user }), seit { $since }, durch { $by }.
whois-no-requests = Noch keine Anfragen aufgezeichnet.
whois-recent-header = **Letzte Anfragen** (neueste zuerst):
whois-entry = • { $when } `{ $action }`: **{ $outcome }** (`{ $request }`)
whois-entry-by = • { $when } `{ $action }` durch { $actor }: **{ $outcome }** (`{ $request }`)

## /admin limits

limits-header = Limits von { $member }:
limits-header-cleared = Limits von { $member } zurückgesetzt. Jetzt:
limits-line = • { $name }: { $remaining } von { $count } übrig (Limit { $limit })
limits-line-blocked = • { $name }: { $remaining } von { $count } übrig (Limit { $limit }), wieder möglich { $retry }
limits-line-refilling = • { $name }: { $remaining } von { $count } übrig (Limit { $limit }), ein Platz wird { $retry } frei
limits-reset-emails = Reset-E-Mails an { $email }

## /admin stats

stats-uptime = **Läuft seit** { $days } T. { $hours } Std. { $minutes } Min. · **verknüpfte Mitglieder**: { $linked }
stats-uptime-linked-unknown = **Läuft seit** { $days } T. { $hours } Std. { $minutes } Min. · **verknüpfte Mitglieder**: unbekannt
stats-refusals = **Ablehnungen durch Limits**: { $refusals } · **fehlgeschlagene DMs**: { $failures }
stats-no-requests = Seit dem Start keine Anfragen.
stats-requests-header = **Anfragen seit dem Start**
stats-request-line = • `{ $command }` { $outcome }: { $count }
stats-latency-header = **Nexudus-Latenz** (letzte Aufrufe)
stats-latency-line =
    • { $endpoint }: p50 { $p50 } ms, p95 { $p95 } ms bei { $calls ->
        [one] { $calls } Aufruf
       *[other] { $calls } Aufrufen
    }
stats-hourly-budget = **Nexudus-Kontingent diese Stunde**: { $left } von { $limit } übrig
stats-longest-wait = **Längste Wartezeit in der Warteschlange** (letzte Stunde): { $seconds ->
        [one] { $seconds } Sekunde
       *[other] { $seconds } Sekunden
    }

## Beiträge im Audit-Kanal

audit-the-bot = der Bot
audit-summary = { $who } · `{ $action }` → **{ $outcome }**
audit-member = Mitglied: { $member }
audit-email = E-Mail: { $email }
audit-footer = Anfrage { $request }
audit-detail-moved = verschoben vom Discord-Nutzer { $previous }
audit-detail-channel = Kanal { $channel }
audit-detail-subcommand = Unterbefehl { $subcommand }

## Ergebnisse, wie whois, stats und das Audit sie zeigen

outcome-dm-sent = DM gesendet
outcome-dm-closed = DMs geschlossen
outcome-dm-failed = DM fehlgeschlagen
outcome-link-gone = Konto entfernt
outcome-not-linked = nicht verknüpft
outcome-rate-limited = Limit erreicht
outcome-already-running = läuft schon
outcome-unknown-page = unbekannte Seite
outcome-invalid-email = ungültige E-Mail
outcome-need-email = E-Mail fehlt
outcome-reset-requested = Zurücksetzen angefragt
outcome-linked = verknüpft
outcome-linked-moved = verknüpft (verschoben)
outcome-invalid-credentials = ungültige Zugangsdaten
outcome-two-factor-required = Zwei-Faktor-Code nötig
outcome-must-reset-password = neues Passwort nötig
outcome-account-not-found = Konto nicht gefunden
outcome-shown = angezeigt
outcome-unlinked = Verknüpfung aufgehoben
outcome-cleared = zurückgesetzt
outcome-set = festgelegt
outcome-posted = gepostet
outcome-post-failed = Posten fehlgeschlagen
outcome-not-a-manager = kein Manager
outcome-rest-credentials-rejected = REST-Zugangsdaten abgelehnt
outcome-internal-error = interner Fehler
outcome-not-found = nicht gefunden
outcome-throttled = von Nexudus gedrosselt
outcome-timeout = Zeitüberschreitung
outcome-unavailable = nicht erreichbar
outcome-malformed = unlesbare Antwort
outcome-queue-full = Warteschlange voll
outcome-hourly-budget-spent = Stundenkontingent aufgebraucht
outcome-shutting-down = Neustart
outcome-started = begonnen
outcome-ended = beendet
outcome-rejected = abgelehnt
outcome-accepted = akzeptiert

## Mitgliedsrollen: /admin sync, /admin whois, der Audit-Kanal
admin-sync-off = Mitgliedsrollen sind nicht eingerichtet: Setze MEMBER_ROLE_ID oder PLAN_ROLES und starte den Bot neu.
# $roles, $added, $removed: Rollen-Erwähnungen oder roles-none.
admin-sync-member = { $member } hat jetzt { $roles }. Hinzugefügt: { $added }. Entfernt: { $removed }.
# $roles: Rollen-Erwähnungen.
admin-sync-refused = Discord hat { $roles } verweigert: Gib dem Bot die Berechtigung „Rollen verwalten“ und zieh seine Rolle unter Servereinstellungen ▸ Rollen über diese Rollen.
admin-sync-left = { $member } ist nicht auf dem Server: Es gibt nichts zu ändern.
admin-sync-everyone = { $members } verknüpfte Mitglieder synchronisiert: { $added } Rollen hinzugefügt, { $removed } entfernt, { $unchanged } Mitglieder unverändert, { $failed } fehlgeschlagen, { $left } nicht auf dem Server.
admin-sync-busy = Eine Synchronisierung aller Mitglieder läuft schon; ihre Zahlen stehen im Audit-Log, sobald sie fertig ist.
roles-none = keine
# $plans: Tarifnamen, durch Kommas getrennt.
whois-plans = Tarife: { $plans }
whois-no-plans = Kein aktiver Tarif.
# $when: eine relative Zeit.
whois-roles = Verwaltete Rollen des Mitglieds: { $roles } (Stand: { $when })
audit-detail-role = Rolle { $role }: Gib dem Bot die Berechtigung „Rollen verwalten“ und zieh seine Rolle unter Servereinstellungen ▸ Rollen über { $role }
audit-detail-synced = { $added } Rollen hinzugefügt, { $removed } entfernt, { $unchanged } Mitglieder unverändert, { $failed } fehlgeschlagen
outcome-synced = synchronisiert
outcome-forbidden = von Discord verweigert
# Begründungen im Audit-Log des Servers für die Rollenänderungen des Bots (höchstens 512 Zeichen).
role-reason-linked = Mit Nexudus verknüpft: Die Rollen folgen den Tarifen des Mitglieds
role-reason-unlinked = Verknüpfung mit Nexudus aufgehoben
role-reason-plans = Die Nexudus-Tarife des Mitglieds haben sich geändert
