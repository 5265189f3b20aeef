# Was ein Mitglied liest: Antworten (nur für das Mitglied sichtbar), die Login-DM, die Formulare.
# Sprache: die Discord-Sprache des Mitglieds.
# Discord-Markdown (**fett**, `Code`) und Befehlsnamen (/link) bleiben, wie sie sind.
# $retry ist ein Discord-Zeitstempel (<t:…:R>): Discord zeigt ihn als „in 5 Minuten“
# in der Sprache der Lesenden.

## /login

login-dm-title = Dein Login-Link fürs Mitgliederportal
login-button = Mitgliederportal öffnen
login-dm-body =
    Tippe auf den Button, um dich einzuloggen und **{ $page }** zu öffnen.
    Der Link funktioniert **nur einmal** und läuft bald ab. Teile ihn nicht: Wer ihn hat, kommt in dein Konto.
login-check-dms = Schau in deine Direktnachrichten: Dort wartet dein Login-Link. 📬
login-dms-closed =
    Ich konnte dir keine Direktnachricht schicken, darum hier dein Link. Er funktioniert nur einmal und läuft bald ab; teile ihn nicht.
    Tipp: Damit Links beim nächsten Mal per DM kommen, erlaube Direktnachrichten von Servermitgliedern (Servername ▸ Privatsphäreeinstellungen ▸ Direktnachrichten).
login-dm-failed = Ich konnte dir deinen Login-Link gerade nicht zustellen. Versuch es in einer Minute noch einmal.
not-linked =
    Dein Discord-Konto ist noch nicht mit einem Konto im Mitgliederportal verknüpft.
    Nutze einmal `/link` mit deiner Portal-E-Mail und deinem Passwort, danach klappt `/login` mit einem Tipp.
link-gone = Dein verknüpftes Konto im Mitgliederportal gibt es nicht mehr. Nutze `/link` noch einmal mit deiner aktuellen Portal-E-Mail und deinem Passwort.
unknown-page = Diese Seite gehört nicht zur Auswahl. Wähle eine Seite aus der Liste oder lass das Feld leer.

## /reset-password

reset-sent = Falls **{ $email }** zu einem Konto im Mitgliederportal gehört, ist eine E-Mail zum Zurücksetzen des Passworts unterwegs. Schau in ein paar Minuten in dein Postfach (und in den Spam-Ordner).
reset-needs-email =
    Sag mir, an welche E-Mail der Link gehen soll: `/reset-password email:du@example.com`.
    Tipp: Nach `/link` braucht `/reset-password` keine E-Mail mehr.
invalid-email = Das sieht nicht nach einer E-Mail-Adresse aus ({ $reason }). Bitte prüf sie und versuch es noch einmal.
email-problem-empty = sie ist leer
email-problem-too-long = sie ist länger als 254 Zeichen
email-problem-at = sie braucht genau ein @
email-problem-local = der Teil vor dem @ fehlt oder ist zu lang
email-problem-domain = der Teil nach dem @ braucht einen Punkt, etwa example.com
email-problem-whitespace = sie enthält Leerzeichen oder unsichtbare Zeichen

## Formulare (Titel und Beschriftungen höchstens 45 Zeichen, Platzhalter 100)

email-placeholder = du@example.com
link-modal-title = Konto im Mitgliederportal verknüpfen
link-modal-email = E-Mail im Mitgliederportal
link-modal-password = Passwort im Mitgliederportal
link-modal-password-hint = Geht nur zur Prüfung an Nexudus; wird nie gespeichert
link-modal-two-factor = Zwei-Faktor-Code (falls dein Konto ihn nutzt)
link-modal-two-factor-hint = Der 6-stellige Code aus deiner Authenticator-App
reset-modal-title = Portal-Passwort zurücksetzen
reset-modal-email = E-Mail im Mitgliederportal

## /link

linked = Erledigt: Dein Discord-Konto ist jetzt mit **{ $email }** verknüpft. `/login` schickt dir ab sofort mit einem Tipp einen Login-Link.
link-invalid-credentials = E-Mail oder Passwort stimmen nicht. Prüf beides und versuch `/link` noch einmal. Passwort vergessen? Nutze `/reset-password`.
link-two-factor-required = Dein Konto nutzt Zwei-Faktor-Authentifizierung: Öffne `/link` noch einmal und gib den 6-stelligen Code aus deiner Authenticator-App ein.
link-must-reset-password = Nexudus möchte, dass du zuerst ein neues Passwort wählst: Nutze `/reset-password`, danach noch einmal `/link`.
link-account-not-found = Nexudus hat deine Anmeldung akzeptiert, aber ich finde deinen Mitgliedseintrag nicht. Bitte einen Community-Manager, dein Konto zu verknüpfen.

## /unlink und /account

unlinked = Dein Discord-Konto ist nicht mehr mit **{ $email }** verknüpft.
nothing-to-unlink = Dein Discord-Konto ist mit keinem Konto im Mitgliederportal verknüpft, es gibt also nichts aufzuheben.
account =
    Dein Discord-Konto ist mit **{ $email }** verknüpft (seit { $since }).
    Mit `/unlink` hebst du die Verknüpfung auf.

## Ablehnungen und Fehler bei allen Befehlen

rate-limited = Du hast das in kurzer Zeit mehrmals angefragt. Du kannst es { $retry } wieder versuchen.
already-running = Deine vorige Anfrage ist schon unterwegs. Gib ihr einen Moment.
nexudus-unavailable = Ich erreiche das Mitgliederportal gerade nicht. Versuch es in ein paar Minuten noch einmal.
misconfigured = Der Bot erreicht das Mitgliederportal wegen eines Einrichtungsproblems nicht. Die Community-Manager wissen Bescheid; versuch es bitte später noch einmal.
wrong-guild = Dieser Bot funktioniert nur auf dem Server seiner Coworking-Community.
not-in-guild = Nutze diesen Befehl bitte auf dem Community-Server, nicht in einer Direktnachricht.
shutting-down = Der Bot startet gerade neu. Versuch es in einer Minute noch einmal.
internal-error = Bei mir ist etwas schiefgelaufen. Versuch es in einer Minute noch einmal.

## In der Warteschlange fürs Mitgliederportal

queue-place =
    { $place ->
        [1] Du bist als Nächstes dran, in etwa { $seconds ->
            [one] { $seconds } Sekunde.
           *[other] { $seconds } Sekunden.
        }
       *[other] Du bist Nummer { $place } in der Warteschlange, etwa { $seconds ->
            [one] { $seconds } Sekunde.
           *[other] { $seconds } Sekunden.
        }
    }
queue-full = Gerade fragen sehr viele Mitglieder gleichzeitig, deshalb kann ich deine Anfrage nicht annehmen. Versuch es { $retry } noch einmal.
hourly-budget-spent = Das Mitgliederportal ist gerade sehr ausgelastet; versuch es { $retry } noch einmal.
queue-restarting = Der Bot startet neu, deine Anfrage wurde deshalb nicht gesendet. Versuch es in einer Minute noch einmal.

## Das Mitglieder-Panel (postet ein Manager; in der Sprache des Servers)

panel-title = Mitgliederportal
panel-body = Logg dich ohne Passwort ins Mitgliederportal ein, lass dir eine E-Mail zum Zurücksetzen des Passworts schicken oder verknüpfe dein Discord-Konto einmal, dann geht der Rest mit einem Tipp. Alles, was ich schicke, siehst nur du.
panel-login = Ins Portal einloggen
panel-reset = Passwort zurücksetzen
panel-link = Konto verknüpfen

## Mitgliedsrollen, nach /link und in /account
# $roles: Rollen-Erwähnungen, durch Kommas getrennt.
linked-roles = Deine Mitgliedsrollen: { $roles }
linked-no-plan = Du hast in Nexudus noch keinen aktiven Tarif, deshalb vorerst keine Mitgliedsrolle.
linked-roles-later = Deine Mitgliedsrollen folgen in ein paar Minuten.
# $plans: Tarifnamen, durch Kommas getrennt.
account-plans = Deine Tarife: { $plans }
account-no-plans = Du hast keinen aktiven Tarif.
# $plan: ein Tarifname.
plan-paused = { $plan } (pausiert)
