# Ce que lisent les community managers : réponses de /admin, messages du salon d'audit.
# Les réponses de /admin sont dans la langue Discord du manager ; les messages
# d'audit dans celle du bot (BOT_LOCALE, ou celle du serveur).
# $member, $previous, $actor et $by sont des mentions Discord (<@…>), $channel une
# mention de salon (<#…>) : gardez-les entières. $retry et $when sont des
# horodatages relatifs (<t:…:R>), $since une date complète (<t:…:f>).

## Refus

admin-refused = Seuls les community managers (Gérer le serveur, ou un rôle de manager) peuvent utiliser `/admin`.

## /admin link, unlink, login, reset-password

admin-linked = Le compte de { $member } est maintenant associé à **{ $email }**.
admin-link-moved = Ce compte Nexudus était associé à { $previous } ; cette association a été supprimée.
admin-no-such-user = Aucun utilisateur Nexudus n'a l'e-mail **{ $email }**. Vérifiez l'orthographe, ou la fiche du membre dans Nexudus.
admin-unlinked = Le compte de { $member } n'est plus associé (c'était **{ $email }**).
admin-not-linked = Le compte de { $member } n'est associé à aucun compte Nexudus. Utilisez `/admin link` pour l'associer.
admin-login-delivered = Un lien de connexion à usage unique a été envoyé en MP à { $member }.
admin-login-dm-closed = { $member } n'accepte pas les messages privés de ce serveur, le lien n'a donc pas été envoyé. Demandez-lui de lancer `/login` : le lien lui apparaîtra alors en privé.
admin-login-failed = Discord n'a pas remis le MP à { $member }. Réessayez dans une minute.
admin-link-gone = L'utilisateur Nexudus associé à { $member } n'existe plus. Refaites l'association avec `/admin link` (ou demandez-lui de faire `/link`).
admin-reset-requested = Nexudus doit envoyer un lien de réinitialisation du mot de passe à **{ $email }** (l'e-mail associé de { $member }).
admin-member-rate-limited = { $member } a épuisé sa limite pour cette action ; elle se libère { $retry }. `/admin limits member:… clear:true` la remet à zéro.
admin-already-running = Une demande pour { $member } est déjà en cours.
admin-unknown-page = Cette page ne fait pas partie des choix configurés.
admin-nexudus-unavailable = Impossible de joindre Nexudus (en panne, lent ou qui limite les appels). Réessayez dans quelques minutes.
admin-hourly-budget-spent = Le bot a épuisé son quota horaire d'appels à Nexudus ; il se renouvelle { $retry }.
admin-misconfigured = Nexudus a refusé les identifiants REST du bot. L'opérateur doit lancer `nexudus-bot check` et vérifier NEXUDUS_API_USERNAME/NEXUDUS_API_PASSWORD, l'accès à l'API et les rôles User-Edit et User-List.

## /admin audit-channel et panel

admin-audit-channel-set = Les événements d'audit seront publiés dans { $channel }.
admin-audit-channel-cleared = Les événements d'audit ne seront plus publiés dans un salon (ils restent dans le journal d'audit).
admin-panel-posted = Le panneau des membres est publié dans { $channel }.
admin-panel-failed = Je n'ai pas pu publier dans { $channel }. Vérifiez que je peux voir le salon, y envoyer des messages et y intégrer des liens.

## /admin whois

whois-linked = Le compte de { $member } est associé à **{ $email }** (utilisateur Nexudus { $user }) depuis le { $since }, par { $by }.
whois-no-requests = Aucune demande enregistrée pour l'instant.
whois-recent-header = **Dernières demandes** (les plus récentes d'abord) :
whois-entry = • { $when } `{ $action }` : **{ $outcome }** (`{ $request }`)
whois-entry-by = • { $when } `{ $action }` par { $actor } : **{ $outcome }** (`{ $request }`)

## /admin limits

limits-header = Limites de { $member } :
limits-header-cleared = Limites de { $member } remises à zéro. Maintenant :
limits-line = • { $name } : { $remaining } sur { $count } restants (limite { $limit })
limits-line-blocked = • { $name } : { $remaining } sur { $count } restants (limite { $limit }), à nouveau possible { $retry }
limits-line-refilling = • { $name } : { $remaining } sur { $count } restants (limite { $limit }), une place se libère { $retry }
limits-reset-emails = e-mails de réinitialisation à { $email }

## /admin stats

stats-uptime = **En service depuis** { $days } j { $hours } h { $minutes } min · **membres associés** : { $linked }
stats-uptime-linked-unknown = **En service depuis** { $days } j { $hours } h { $minutes } min · **membres associés** : inconnu
stats-refusals = **Refus pour limite** : { $refusals } · **MP en échec** : { $failures }
stats-no-requests = Aucune demande depuis le démarrage.
stats-requests-header = **Demandes depuis le démarrage**
stats-request-line = • `{ $command }` { $outcome } : { $count }
stats-latency-header = **Latence de Nexudus** (appels récents)
stats-latency-line =
    • { $endpoint } : p50 { $p50 } ms, p95 { $p95 } ms sur { $calls ->
        [one] { $calls } appel
       *[other] { $calls } appels
    }
stats-hourly-budget = **Quota Nexudus cette heure** : { $left } sur { $limit } restants
stats-longest-wait = **Plus longue attente dans la file** (dernière heure) : { $seconds ->
        [one] { $seconds } seconde
       *[other] { $seconds } secondes
    }

## Messages du salon d'audit

audit-the-bot = le bot
audit-summary = { $who } · `{ $action }` → **{ $outcome }**
audit-member = membre : { $member }
audit-email = e-mail : { $email }
audit-footer = demande { $request }
audit-detail-moved = déplacé depuis l'utilisateur Discord { $previous }
audit-detail-channel = salon { $channel }
audit-detail-subcommand = sous-commande { $subcommand }

## Résultats, tels que les montrent whois, stats et l'audit

outcome-dm-sent = MP envoyé
outcome-dm-closed = MP fermés
outcome-dm-failed = MP en échec
outcome-link-gone = compte disparu
outcome-not-linked = non associé
outcome-rate-limited = limite atteinte
outcome-already-running = déjà en cours
outcome-unknown-page = page inconnue
outcome-invalid-email = e-mail invalide
outcome-need-email = e-mail manquant
outcome-reset-requested = réinitialisation demandée
outcome-linked = associé
outcome-linked-moved = associé (déplacé)
outcome-invalid-credentials = identifiants invalides
outcome-two-factor-required = code à deux facteurs requis
outcome-must-reset-password = nouveau mot de passe requis
outcome-account-not-found = compte introuvable
outcome-shown = affiché
outcome-unlinked = dissocié
outcome-cleared = effacé
outcome-set = défini
outcome-posted = publié
outcome-post-failed = publication en échec
outcome-not-a-manager = pas manager
outcome-rest-credentials-rejected = identifiants REST refusés
outcome-internal-error = erreur interne
outcome-not-found = introuvable
outcome-throttled = freiné par Nexudus
outcome-timeout = délai dépassé
outcome-unavailable = indisponible
outcome-malformed = réponse illisible
outcome-queue-full = file pleine
outcome-hourly-budget-spent = quota horaire épuisé
outcome-shutting-down = redémarrage
outcome-started = début
outcome-ended = fin
outcome-rejected = refusés
outcome-accepted = acceptés

## Rôles de membre : /admin sync, /admin whois, le salon d'audit
admin-sync-off = Les rôles de membre ne sont pas configurés : définissez MEMBER_ROLE_ID ou PLAN_ROLES et redémarrez le bot.
# $roles, $added, $removed : mentions de rôles, ou roles-none.
admin-sync-member = { $member } a maintenant { $roles }. Ajoutés : { $added }. Retirés : { $removed }.
# $roles : mentions de rôles.
admin-sync-refused = Discord a refusé { $roles } : donnez au bot la permission « Gérer les rôles » et faites glisser son rôle au-dessus de ces rôles dans Paramètres du serveur ▸ Rôles.
admin-sync-left = { $member } n'est pas sur le serveur : rien à changer.
admin-sync-everyone = { $members } membres associés synchronisés : { $added } rôles ajoutés, { $removed } retirés, { $unchanged } membres inchangés, { $failed } en échec, { $left } absents du serveur.
admin-sync-busy = Une synchronisation de tous les membres est déjà en cours ; ses compteurs seront dans le journal d'audit quand elle sera terminée.
roles-none = aucun
# $plans : noms d'abonnements, séparés par des virgules.
whois-plans = Abonnements : { $plans }
whois-no-plans = Aucun abonnement actif.
# $when : un temps relatif.
whois-roles = Rôles gérés détenus : { $roles } (vu { $when })
audit-detail-role = rôle { $role } : donnez au bot la permission « Gérer les rôles » et faites glisser son rôle au-dessus de { $role } dans Paramètres du serveur ▸ Rôles
audit-detail-synced = { $added } rôles ajoutés, { $removed } retirés, { $unchanged } membres inchangés, { $failed } en échec
outcome-synced = synchronisé
outcome-forbidden = refusé par Discord
# Motifs affichés dans le journal d'audit du serveur pour les changements de rôles du bot (512 caractères au plus).
role-reason-linked = Associé à Nexudus : les rôles suivent les abonnements du membre
role-reason-unlinked = Dissocié de Nexudus
role-reason-plans = Les abonnements Nexudus du membre ont changé
