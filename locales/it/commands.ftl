# Descrizioni di comandi e opzioni, nel selettore dei comandi di Discord.
# Discord accetta da 1 a 100 caratteri. I nomi di comandi e opzioni
# restano in inglese: si traducono solo questi testi.

## Comandi per i membri

cmd-login-description = Ricevi un link monouso che ti fa entrare nel portale membri
cmd-login-page-description = Quale pagina del portale aprire
cmd-reset-password-description = Ricevi un'email con un link per reimpostare la password del portale
cmd-reset-password-email-description = La tua email del portale membri (vuoto: quella dell'account collegato)
cmd-link-description = Collega il tuo account Discord al tuo account del portale membri
cmd-unlink-description = Scollega il tuo account Discord dal portale membri
cmd-account-description = Mostra quale account del portale membri è collegato a te

## /admin e i suoi sottocomandi (community manager)

cmd-admin-description = Strumenti per i community manager del bot del portale membri
cmd-admin-link-description = Collega un membro all'account Nexudus con questa email (senza password)
cmd-admin-unlink-description = Rimuovi il collegamento di un membro
cmd-admin-whois-description = Mostra il collegamento di un membro e le sue ultime richieste
cmd-admin-login-description = Invia a un membro in DM un link di accesso monouso (tu non lo vedi mai)
cmd-admin-reset-password-description = Invia l'email di reimpostazione password all'email collegata del membro
cmd-admin-limits-description = Mostra i limiti di un membro, o azzerali
cmd-admin-stats-description = Conteggi dall'avvio, latenza di Nexudus, membri collegati
cmd-admin-audit-channel-description = Imposta il canale dove pubblicare gli eventi di audit (vuoto: smetti di pubblicare)
cmd-admin-panel-description = Pubblica in un canale il pannello self-service per i membri
cmd-admin-sync-description = Rileggi i piani da Nexudus e correggi i ruoli da membro

## Opzioni di /admin (l'opzione `page` usa cmd-login-page-description)

cmd-admin-member-option = Il membro
cmd-admin-email-option = La sua email Nexudus (quella del portale membri)
cmd-admin-clear-option = Azzera subito i suoi limiti
cmd-admin-channel-option = Il canale
cmd-admin-sync-member-option = Un membro (vuoto: tutti)
