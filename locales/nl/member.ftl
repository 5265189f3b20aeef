# Wat een lid leest: antwoorden (alleen zichtbaar voor het lid), de inlog-DM, de formulieren.
# Taal: de Discord-taal van het lid.
# Laat Discord-markdown (**vet**, `code`) en commandonamen (/link) staan zoals ze zijn.
# $retry is een Discord-tijdstempel (<t:…:R>): Discord toont die als "over 5 minuten"
# in de taal van de lezer.

## /login

login-dm-title = Je inloglink voor het ledenportaal
login-button = Open het ledenportaal
login-dm-body =
    Tik op de knop om in te loggen en **{ $page }** te openen.
    De link werkt **één keer** en verloopt snel. Deel hem niet: iedereen met deze link kan je account openen.
login-check-dms = Kijk in je privéberichten: daar staat je inloglink. 📬
login-dms-closed =
    Ik kon je geen privébericht sturen, dus hier is je link. Hij werkt één keer en verloopt snel; deel hem niet.
    Tip: wil je links voortaan per DM krijgen, sta dan privéberichten van serverleden toe (servernaam ▸ Privacyinstellingen ▸ Privéberichten).
login-dm-failed = Ik kon je inloglink nu niet bezorgen. Probeer het over een minuut opnieuw.
not-linked =
    Je Discord-account is nog niet gekoppeld aan een account op het ledenportaal.
    Gebruik één keer `/link` met je e-mailadres en wachtwoord van het portaal, daarna werkt `/login` met één tik.
link-gone = Je gekoppelde account op het ledenportaal bestaat niet meer. Gebruik `/link` opnieuw met je huidige e-mailadres en wachtwoord van het portaal.
unknown-page = Die pagina hoort niet bij de keuzes. Kies een pagina uit de lijst, of laat het leeg.

## /reset-password

reset-sent = Als **{ $email }** bij een account op het ledenportaal hoort, is er een e-mail onderweg om je wachtwoord te resetten. Kijk over een paar minuten in je inbox (en in je spammap).
reset-needs-email =
    Laat me weten naar welk e-mailadres de link moet: gebruik `/reset-password email:jij@example.com`.
    Tip: na `/link` heeft `/reset-password` geen e-mailadres meer nodig.
invalid-email = Dat lijkt geen e-mailadres ({ $reason }). Controleer het en probeer het opnieuw.
email-problem-empty = het is leeg
email-problem-too-long = het is langer dan 254 tekens
email-problem-at = er moet precies één @ in staan
email-problem-local = het deel vóór de @ ontbreekt of is te lang
email-problem-domain = het deel na de @ heeft een punt nodig, zoals example.com
email-problem-whitespace = er staan spaties of onzichtbare tekens in

## Formulieren (titels en labels: hooguit 45 tekens; voorbeeldteksten: 100)

email-placeholder = jij@example.com
link-modal-title = Koppel je account op het ledenportaal
link-modal-email = E-mailadres voor het ledenportaal
link-modal-password = Wachtwoord voor het ledenportaal
link-modal-password-hint = Alleen naar Nexudus gestuurd ter controle; nooit bewaard
link-modal-two-factor = Tweestapscode (als je account die gebruikt)
link-modal-two-factor-hint = De 6-cijferige code uit je authenticator-app
reset-modal-title = Reset je wachtwoord voor het portaal
reset-modal-email = E-mailadres voor het ledenportaal

## /link

linked = Klaar: je Discord-account is nu gekoppeld aan **{ $email }**. Met `/login` krijg je voortaan met één tik een inloglink.
link-invalid-credentials = Het e-mailadres of wachtwoord klopt niet. Controleer ze allebei en probeer `/link` opnieuw. Wachtwoord vergeten? Gebruik `/reset-password`.
link-two-factor-required = Je account gebruikt tweestapsverificatie: open `/link` opnieuw en vul de 6-cijferige code uit je authenticator-app in.
link-must-reset-password = Nexudus vraagt je eerst een nieuw wachtwoord te kiezen: gebruik `/reset-password` en daarna opnieuw `/link`.
link-account-not-found = Nexudus heeft je inlog geaccepteerd, maar ik kan je ledengegevens niet vinden. Vraag een communitymanager om je account te koppelen.

## /unlink en /account

unlinked = Je Discord-account is niet meer gekoppeld aan **{ $email }**.
nothing-to-unlink = Je Discord-account is niet gekoppeld aan een account op het ledenportaal, dus er valt niets te ontkoppelen.
account =
    Je Discord-account is gekoppeld aan **{ $email }** (sinds { $since }).
    Gebruik `/unlink` om het te ontkoppelen.

## Weigeringen en fouten bij alle commando's

rate-limited = Je hebt dit in korte tijd een paar keer gevraagd. Je kunt het { $retry } opnieuw proberen.
already-running = Je vorige verzoek is al onderweg. Even geduld.
nexudus-unavailable = Ik kan het ledenportaal nu niet bereiken. Probeer het over een paar minuten opnieuw.
misconfigured = De bot kan het ledenportaal niet bereiken door een probleem in de instellingen. De communitymanagers zijn op de hoogte; probeer het later opnieuw.
wrong-guild = Deze bot werkt alleen op de server van zijn coworkingcommunity.
not-in-guild = Gebruik dit commando op de communityserver, niet in een privébericht.
shutting-down = De bot start opnieuw op. Probeer het over een minuut opnieuw.
internal-error = Er ging aan mijn kant iets mis. Probeer het over een minuut opnieuw.

## In de wachtrij voor het ledenportaal

queue-place =
    { $place ->
        [1] Je bent als volgende aan de beurt, over ongeveer { $seconds ->
            [one] { $seconds } seconde.
           *[other] { $seconds } seconden.
        }
       *[other] Je bent nummer { $place } in de wachtrij, nog ongeveer { $seconds ->
            [one] { $seconds } seconde.
           *[other] { $seconds } seconden.
        }
    }
queue-full = Er vragen nu heel veel leden tegelijk iets aan, dus ik kan je verzoek niet aannemen. Probeer het { $retry } opnieuw.
hourly-budget-spent = Het ledenportaal is erg druk; probeer het { $retry } opnieuw.
queue-restarting = De bot start opnieuw op, dus je verzoek is niet verstuurd. Probeer het over een minuut opnieuw.

## Het ledenpaneel (geplaatst door een manager; in de taal van de server)

panel-title = Ledenportaal
panel-body = Log in op het ledenportaal zonder wachtwoord te typen, vraag een e-mail aan om je wachtwoord te resetten, of koppel je Discord-account één keer zodat de rest met één tik gaat. Alles wat ik stuur, zie alleen jij.
panel-login = Inloggen op het portaal
panel-reset = Wachtwoord resetten
panel-link = Account koppelen

## Ledenrollen, na /link en in /account
# $roles: rolvermeldingen, gescheiden door komma's.
linked-roles = Je ledenrollen: { $roles }
linked-no-plan = Je hebt nog geen actief abonnement in Nexudus, dus voorlopig geen ledenrol.
linked-roles-later = Je ledenrollen volgen over een paar minuten.
# $plans: namen van abonnementen, gescheiden door komma's.
account-plans = Je abonnementen: { $plans }
account-no-plans = Je hebt geen actief abonnement.
# $plan: de naam van een abonnement.
plan-paused = { $plan } (gepauzeerd)
