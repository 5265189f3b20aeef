# Ciò che legge un membro: risposte (visibili solo a lui), il DM di accesso, i moduli.
# Lingua: quella di Discord del membro.
# Mantieni il markdown di Discord (**grassetto**, `codice`) e i nomi dei comandi (/link).
# $retry è un timestamp di Discord (<t:…:R>): Discord lo mostra come «tra 5 minuti»
# nella lingua di chi legge.

## /login

login-dm-title = Il tuo link di accesso al portale membri
login-button = Apri il portale membri
login-dm-body =
    Tocca il pulsante per entrare e aprire **{ $page }**.
    Il link funziona **una sola volta** e scade presto. Non condividerlo: chiunque lo abbia può aprire il tuo account.
login-check-dms = Controlla i tuoi messaggi diretti: il link di accesso è lì. 📬
login-dms-closed =
    Non sono riuscito a mandarti un messaggio diretto, quindi ecco qui il tuo link. Funziona una sola volta e scade presto; non condividerlo.
    Suggerimento: per ricevere i link in DM la prossima volta, consenti i messaggi diretti dai membri del server (nome del server ▸ Impostazioni privacy ▸ Messaggi diretti).
login-dm-failed = Non sono riuscito a consegnarti il link di accesso in questo momento. Riprova tra un minuto.
not-linked =
    Il tuo account Discord non è ancora collegato a un account del portale membri.
    Usa `/link` una volta con email e password del portale, poi `/login` funziona con un tocco.
link-gone = L'account del portale membri collegato non esiste più. Usa di nuovo `/link` con l'email e la password attuali del portale.
unknown-page = Quella pagina non è tra le scelte. Scegline una dall'elenco o lascia vuoto.

## /reset-password

reset-sent = Se **{ $email }** corrisponde a un account del portale membri, è in arrivo un'email per reimpostare la password. Controlla la posta in arrivo (e lo spam) tra qualche minuto.
reset-needs-email =
    Dimmi a quale email mandare il link: usa `/reset-password email:tu@example.com`.
    Suggerimento: dopo `/link`, `/reset-password` non ha bisogno dell'email.
invalid-email = Non sembra un indirizzo email ({ $reason }). Controllalo e riprova.
email-problem-empty = è vuoto
email-problem-too-long = supera i 254 caratteri
email-problem-at = serve esattamente una @
email-problem-local = la parte prima della @ manca o è troppo lunga
email-problem-domain = la parte dopo la @ deve avere un punto, come example.com
email-problem-whitespace = contiene spazi o caratteri invisibili

## Moduli (titoli ed etichette: al massimo 45 caratteri; esempi: 100)

email-placeholder = tu@example.com
link-modal-title = Collega il tuo account del portale membri
link-modal-email = Email del portale membri
link-modal-password = Password del portale membri
link-modal-password-hint = Inviata solo a Nexudus per verificarla; mai salvata
link-modal-two-factor = Codice di verifica (se il tuo account lo usa)
link-modal-two-factor-hint = Il codice a 6 cifre della tua app di autenticazione
reset-modal-title = Reimposta la password del portale
reset-modal-email = Email del portale membri

## /link

linked = Fatto: il tuo account Discord ora è collegato a **{ $email }**. D'ora in poi `/login` ti manda un link di accesso con un tocco.
link-invalid-credentials = L'email o la password non sono valide. Controllale entrambe e riprova `/link`. Password dimenticata? Usa `/reset-password`.
link-two-factor-required = Il tuo account usa l'autenticazione a due fattori: apri di nuovo `/link` e inserisci il codice a 6 cifre della tua app di autenticazione.
link-must-reset-password = Nexudus ti chiede prima di scegliere una nuova password: usa `/reset-password`, poi di nuovo `/link`.
link-account-not-found = Nexudus ha accettato l'accesso, ma non trovo la tua scheda membro. Chiedi a un community manager di collegare il tuo account.

## /unlink e /account

unlinked = Il tuo account Discord non è più collegato a **{ $email }**.
nothing-to-unlink = Il tuo account Discord non è collegato a nessun account del portale membri, quindi non c'è niente da scollegare.
account =
    Il tuo account Discord è collegato a **{ $email }** (dal { $since }).
    Usa `/unlink` per scollegarlo.

## Rifiuti ed errori comuni a tutti i comandi

rate-limited = L'hai chiesto diverse volte in poco tempo. Potrai riprovare { $retry }.
already-running = La tua richiesta precedente è già in corso. Dalle un attimo.
nexudus-unavailable = Non riesco a raggiungere il portale membri in questo momento. Riprova tra qualche minuto.
misconfigured = Il bot non riesce a comunicare con il portale membri per un problema di configurazione. I community manager sono stati avvisati; riprova più tardi.
wrong-guild = Questo bot funziona solo nel server della sua community di coworking.
not-in-guild = Usa questo comando nel server della community, non in un messaggio diretto.
shutting-down = Il bot si sta riavviando. Riprova tra un minuto.
internal-error = Qualcosa è andato storto da parte mia. Riprova tra un minuto.

## In coda per il portale membri

queue-place =
    { $place ->
        [1] Sei al primo posto in coda, circa { $seconds ->
            [one] { $seconds } secondo.
           *[other] { $seconds } secondi.
        }
       *[other] Sei al posto numero { $place } in coda, circa { $seconds ->
            [one] { $seconds } secondo.
           *[other] { $seconds } secondi.
        }
    }
queue-full = In questo momento tanti membri stanno facendo richieste e non posso accettare la tua. Riprova { $retry }.
hourly-budget-spent = Il portale membri è molto occupato; riprova { $retry }.
queue-restarting = Il bot si sta riavviando, quindi la tua richiesta non è stata inviata. Riprova tra un minuto.

## Il pannello per i membri (lo pubblica un manager; nella lingua del server)

panel-title = Portale membri
panel-body = Entra nel portale membri senza digitare la password, ricevi un'email per reimpostarla, oppure collega una volta il tuo account Discord e tutto il resto sarà a portata di tocco. Tutto ciò che invio è visibile solo a te.
panel-login = Entra nel portale
panel-reset = Reimposta password
panel-link = Collega account

## Ruoli da membro, dopo /link e in /account
# $roles: menzioni di ruoli, separate da virgole.
linked-roles = I tuoi ruoli da membro: { $roles }
linked-no-plan = Non hai ancora un piano attivo in Nexudus, quindi per ora nessun ruolo da membro.
linked-roles-later = I tuoi ruoli da membro arriveranno tra qualche minuto.
# $plans: nomi dei piani, separati da virgole.
account-plans = I tuoi piani: { $plans }
account-no-plans = Non hai nessun piano attivo.
# $plan: il nome di un piano.
plan-paused = { $plan } (in pausa)
