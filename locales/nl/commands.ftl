# Beschrijvingen van commando's en opties, in de commandokiezer van Discord.
# Discord staat 1 tot 100 tekens toe. Namen van commando's en opties
# blijven Engels: alleen deze teksten worden vertaald.

## Commando's voor leden

cmd-login-description = Krijg een eenmalige link waarmee je inlogt op het ledenportaal
cmd-login-page-description = Welke pagina van het portaal je opent
cmd-reset-password-description = Krijg een e-mail met een link om je wachtwoord voor het portaal te resetten
cmd-reset-password-email-description = Je e-mailadres voor het ledenportaal (leeg: dat van je gekoppelde account)
cmd-link-description = Koppel je Discord-account aan je account op het ledenportaal
cmd-unlink-description = Ontkoppel je Discord-account van het ledenportaal
cmd-account-description = Laat zien welk account op het ledenportaal aan jou gekoppeld is

## /admin en zijn subcommando's (communitymanagers)

cmd-admin-description = Hulpmiddelen voor communitymanagers voor de bot van het ledenportaal
cmd-admin-link-description = Koppel een lid aan het Nexudus-account met dit e-mailadres (zonder wachtwoord)
cmd-admin-unlink-description = Verwijder de koppeling van een lid
cmd-admin-whois-description = Toon de koppeling van een lid en de laatste verzoeken
cmd-admin-login-description = Stuur een lid een eenmalige inloglink per DM (jij ziet de link nooit)
cmd-admin-reset-password-description = Stuur de e-mail om het wachtwoord te resetten naar het gekoppelde adres van een lid
cmd-admin-limits-description = Toon de limieten van een lid, of zet ze terug
cmd-admin-stats-description = Tellingen sinds de start, Nexudus-vertraging, gekoppelde leden
cmd-admin-audit-channel-description = Kies het kanaal voor audit-meldingen (leeg: niet meer plaatsen)
cmd-admin-panel-description = Plaats het selfservicepaneel voor leden in een kanaal
cmd-admin-sync-description = Lees de abonnementen opnieuw uit Nexudus en herstel de ledenrollen

## Opties van /admin (de optie `page` gebruikt cmd-login-page-description)

cmd-admin-member-option = Het lid
cmd-admin-email-option = Het Nexudus-e-mailadres van het lid (dat van het ledenportaal)
cmd-admin-clear-option = Zet de limieten nu terug
cmd-admin-channel-option = Het kanaal
cmd-admin-sync-member-option = Eén lid (leeg: iedereen)
