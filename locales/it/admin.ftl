# Ciò che leggono i community manager: risposte di /admin, messaggi del canale di audit.
# Le risposte di /admin sono nella lingua Discord del manager; i messaggi di audit
# nella lingua del bot (BOT_LOCALE, o quella del server).
# $member, $previous, $actor e $by sono menzioni Discord (<@…>), $channel una
# menzione di canale (<#…>): lasciale intere. $retry e $when sono timestamp
# relativi (<t:…:R>), $since una data completa (<t:…:f>).

## Rifiuto

admin-refused = Solo i community manager (Gestisci server, o un ruolo da manager) possono usare `/admin`.

## /admin link, unlink, login, reset-password

admin-linked = L'account di { $member } ora è collegato a **{ $email }**.
admin-link-moved = Questo account Nexudus era collegato a { $previous }; quel collegamento è stato rimosso.
admin-no-such-user = Nessun utente Nexudus ha l'email **{ $email }**. Controlla come è scritta, o la scheda del membro in Nexudus.
admin-unlinked = L'account di { $member } non è più collegato (era **{ $email }**).
admin-not-linked = L'account di { $member } non è collegato a Nexudus. Usa `/admin link` per collegarlo.
admin-login-delivered = Un link di accesso monouso è stato inviato in DM a { $member }.
admin-login-dm-closed = { $member } non accetta messaggi diretti da questo server, quindi il link non è stato inviato. Chiedigli di usare `/login`: il link gli apparirà in privato.
admin-login-failed = Discord non ha consegnato il DM a { $member }. Riprova tra un minuto.
admin-link-gone = L'utente Nexudus collegato a { $member } non esiste più. Ricollega l'account con `/admin link` (o chiedigli di usare `/link`).
admin-reset-requested = Nexudus invierà un link per reimpostare la password a **{ $email }** (l'email collegata di { $member }).
admin-member-rate-limited = { $member } ha esaurito il limite per questa azione; si libera { $retry }. `/admin limits member:… clear:true` lo azzera.
admin-already-running = Una richiesta per { $member } è già in corso.
admin-unknown-page = Quella pagina non è tra le scelte configurate.
admin-nexudus-unavailable = Non è stato possibile raggiungere Nexudus (fuori servizio, lento o che limita le chiamate). Riprova tra qualche minuto.
admin-hourly-budget-spent = Il bot ha esaurito la quota oraria di chiamate a Nexudus; si rinnova { $retry }.
admin-misconfigured = Nexudus ha rifiutato le credenziali REST del bot. Chi gestisce il bot deve eseguire `nexudus-bot check` e verificare NEXUDUS_API_USERNAME/NEXUDUS_API_PASSWORD, l'accesso API e i ruoli User-Edit e User-List.

## /admin audit-channel e panel

admin-audit-channel-set = Gli eventi di audit saranno pubblicati in { $channel }.
admin-audit-channel-cleared = Gli eventi di audit non saranno più pubblicati in un canale (restano comunque nel registro di audit).
admin-panel-posted = Il pannello per i membri è pubblicato in { $channel }.
admin-panel-failed = Non sono riuscito a pubblicare in { $channel }. Controlla che io possa vedere il canale, inviarvi messaggi e incorporare link.

## /admin whois

whois-linked = L'account di { $member } è collegato a **{ $email }** (utente Nexudus { $user }) dal { $since }, da parte di { $by }.
whois-no-requests = Nessuna richiesta registrata finora.
whois-recent-header = **Ultime richieste** (prima le più recenti):
whois-entry = • { $when } `{ $action }`: **{ $outcome }** (`{ $request }`)
whois-entry-by = • { $when } `{ $action }` da { $actor }: **{ $outcome }** (`{ $request }`)

## /admin limits

limits-header = Limiti di { $member }:
limits-header-cleared = Limiti di { $member } azzerati. Ora:
limits-line = • { $name }: { $remaining } su { $count } rimasti (limite { $limit })
limits-line-blocked = • { $name }: { $remaining } su { $count } rimasti (limite { $limit }), di nuovo possibile { $retry }
limits-line-refilling = • { $name }: { $remaining } su { $count } rimasti (limite { $limit }), un posto si libera { $retry }
limits-reset-emails = email di reimpostazione a { $email }

## /admin stats

stats-uptime = **Attivo da** { $days } g { $hours } h { $minutes } min · **membri collegati**: { $linked }
stats-uptime-linked-unknown = **Attivo da** { $days } g { $hours } h { $minutes } min · **membri collegati**: sconosciuto
stats-refusals = **Rifiuti per limite**: { $refusals } · **DM non riusciti**: { $failures }
stats-no-requests = Nessuna richiesta dall'avvio.
stats-requests-header = **Richieste dall'avvio**
stats-request-line = • `{ $command }` { $outcome }: { $count }
stats-latency-header = **Latenza di Nexudus** (chiamate recenti)
stats-latency-line =
    • { $endpoint }: p50 { $p50 } ms, p95 { $p95 } ms su { $calls ->
        [one] { $calls } chiamata
       *[other] { $calls } chiamate
    }
stats-hourly-budget = **Quota Nexudus di quest'ora**: { $left } su { $limit } rimasti
stats-longest-wait = **Attesa più lunga in coda** (ultima ora): { $seconds ->
        [one] { $seconds } secondo
       *[other] { $seconds } secondi
    }

## Messaggi del canale di audit

audit-the-bot = il bot
audit-summary = { $who } · `{ $action }` → **{ $outcome }**
audit-member = membro: { $member }
audit-email = email: { $email }
audit-footer = richiesta { $request }
audit-detail-moved = spostato dall'utente Discord { $previous }
audit-detail-channel = canale { $channel }
audit-detail-subcommand = sottocomando { $subcommand }

## Esiti, come li mostrano whois, stats e l'audit

outcome-dm-sent = DM inviato
outcome-dm-closed = DM chiusi
outcome-dm-failed = DM non riuscito
outcome-link-gone = account sparito
outcome-not-linked = non collegato
outcome-rate-limited = limite raggiunto
outcome-already-running = già in corso
outcome-unknown-page = pagina sconosciuta
outcome-invalid-email = email non valida
outcome-need-email = email mancante
outcome-reset-requested = reimpostazione richiesta
outcome-linked = collegato
outcome-linked-moved = collegato (spostato)
outcome-invalid-credentials = credenziali non valide
outcome-two-factor-required = codice di verifica necessario
outcome-must-reset-password = nuova password necessaria
outcome-account-not-found = account non trovato
outcome-shown = mostrato
outcome-unlinked = scollegato
outcome-cleared = azzerato
outcome-set = impostato
outcome-posted = pubblicato
outcome-post-failed = pubblicazione non riuscita
outcome-not-a-manager = non è manager
outcome-rest-credentials-rejected = credenziali REST rifiutate
outcome-internal-error = errore interno
outcome-not-found = non trovato
outcome-throttled = rallentato da Nexudus
outcome-timeout = tempo scaduto
outcome-unavailable = non disponibile
outcome-malformed = risposta illeggibile
outcome-queue-full = coda piena
outcome-hourly-budget-spent = quota oraria esaurita
outcome-shutting-down = riavvio
outcome-started = iniziato
outcome-ended = finito
outcome-rejected = rifiutate
outcome-accepted = accettate

## Ruoli da membro: /admin sync, /admin whois, il canale di audit
admin-sync-off = I ruoli da membro non sono configurati: imposta MEMBER_ROLE_ID o PLAN_ROLES e riavvia il bot.
# $roles, $added, $removed: menzioni di ruoli, o roles-none.
admin-sync-member = { $member } ora ha { $roles }. Aggiunti: { $added }. Rimossi: { $removed }.
# $roles: menzioni di ruoli.
admin-sync-refused = Discord ha rifiutato { $roles }: dai al bot il permesso «Gestisci ruoli» e trascina il suo ruolo sopra questi ruoli in Impostazioni server ▸ Ruoli.
admin-sync-left = { $member } non è nel server: niente da cambiare.
admin-sync-everyone = Sincronizzati { $members } membri collegati: { $added } ruoli aggiunti, { $removed } rimossi, { $unchanged } membri invariati, { $failed } non riusciti, { $left } fuori dal server.
admin-sync-busy = È già in corso una sincronizzazione di tutti; i conteggi saranno nel registro di audit quando finisce.
roles-none = nessuno
# $plans: nomi dei piani, separati da virgole.
whois-plans = Piani: { $plans }
whois-no-plans = Nessun piano attivo.
# $when: un tempo relativo.
whois-roles = Ruoli gestiti assegnati: { $roles } (visti { $when })
audit-detail-role = ruolo { $role }: dai al bot il permesso «Gestisci ruoli» e trascina il suo ruolo sopra { $role } in Impostazioni server ▸ Ruoli
audit-detail-synced = { $added } ruoli aggiunti, { $removed } rimossi, { $unchanged } membri invariati, { $failed } non riusciti
outcome-synced = sincronizzato
outcome-forbidden = rifiutato da Discord
# Motivi mostrati nel registro di audit del server per le modifiche ai ruoli fatte dal bot (al massimo 512 caratteri).
role-reason-linked = Collegato a Nexudus: i ruoli seguono i piani del membro
role-reason-unlinked = Scollegato da Nexudus
role-reason-plans = I piani Nexudus del membro sono cambiati
