# Ce que lit un membre : réponses (visibles par lui seul), le MP de connexion, les formulaires.
# Langue : celle de Discord du membre.
# Gardez le markdown de Discord (**gras**, `code`) et les noms de commandes (/link).
# $retry est un horodatage Discord (<t:…:R>) : Discord l'affiche « dans 5 minutes »
# dans la langue du lecteur.

## /login

login-dm-title = Votre lien de connexion au portail membres
login-button = Ouvrir le portail membres
login-dm-body =
    Touchez le bouton pour vous connecter et ouvrir **{ $page }**.
    Le lien ne marche **qu'une fois** et expire vite. Ne le partagez pas : toute personne qui l'a peut ouvrir votre compte.
login-check-dms = Regardez vos messages privés : votre lien de connexion vous y attend. 📬
login-dms-closed =
    Je n'ai pas pu vous envoyer de message privé, alors voici votre lien. Il ne marche qu'une fois et expire vite ; ne le partagez pas.
    Astuce : pour recevoir les liens en MP la prochaine fois, autorisez les messages privés des membres du serveur (nom du serveur ▸ Paramètres de confidentialité ▸ Messages privés).
login-dm-failed = Je n'ai pas pu vous remettre votre lien de connexion pour l'instant. Réessayez dans une minute.
not-linked =
    Votre compte Discord n'est pas encore associé à un compte du portail membres.
    Utilisez `/link` une fois avec l'e-mail et le mot de passe du portail, puis `/login` marche en un geste.
link-gone = Le compte du portail membres qui vous était associé n'existe plus. Refaites `/link` avec votre e-mail et votre mot de passe actuels.
unknown-page = Cette page ne fait pas partie des choix. Choisissez une page dans la liste, ou laissez vide.

## /reset-password

reset-sent = Si **{ $email }** correspond à un compte du portail membres, un e-mail de réinitialisation du mot de passe est en route. Regardez votre boîte de réception (et les spams) d'ici quelques minutes.
reset-needs-email =
    Dites-moi à quelle adresse envoyer le lien : utilisez `/reset-password email:vous@example.com`.
    Astuce : après `/link`, `/reset-password` n'a plus besoin d'e-mail.
invalid-email = Cela ne ressemble pas à une adresse e-mail ({ $reason }). Vérifiez-la et réessayez.
email-problem-empty = elle est vide
email-problem-too-long = elle dépasse 254 caractères
email-problem-at = il faut exactement un @
email-problem-local = la partie avant le @ manque ou est trop longue
email-problem-domain = la partie après le @ doit contenir un point, comme example.com
email-problem-whitespace = elle contient des espaces ou des caractères invisibles

## Formulaires (titres et libellés : 45 caractères au plus ; exemples : 100)

email-placeholder = vous@example.com
link-modal-title = Associer votre compte du portail membres
link-modal-email = E-mail du portail membres
link-modal-password = Mot de passe du portail membres
link-modal-password-hint = Envoyé seulement à Nexudus pour vérification ; jamais conservé
link-modal-two-factor = Code à deux facteurs (si vous l'utilisez)
link-modal-two-factor-hint = Le code à 6 chiffres de votre application d'authentification
reset-modal-title = Réinitialiser votre mot de passe
reset-modal-email = E-mail du portail membres

## /link

linked = C'est fait : votre compte Discord est maintenant associé à **{ $email }**. `/login` vous envoie désormais un lien de connexion en un geste.
link-invalid-credentials = L'e-mail ou le mot de passe n'est pas valide. Vérifiez les deux et refaites `/link`. Mot de passe oublié ? Utilisez `/reset-password`.
link-two-factor-required = Votre compte utilise la double authentification : rouvrez `/link` et saisissez le code à 6 chiffres de votre application d'authentification.
link-must-reset-password = Nexudus vous demande d'abord de choisir un nouveau mot de passe : utilisez `/reset-password`, puis refaites `/link`.
link-account-not-found = Nexudus a accepté votre connexion, mais je ne trouve pas votre fiche membre. Demandez à un community manager d'associer votre compte.

## /unlink et /account

unlinked = Votre compte Discord n'est plus associé à **{ $email }**.
nothing-to-unlink = Votre compte Discord n'est associé à aucun compte du portail membres : il n'y a rien à dissocier.
account =
    Votre compte Discord est associé à **{ $email }** (depuis le { $since }).
    Utilisez `/unlink` pour le dissocier.

## Refus et échecs communs à toutes les commandes

rate-limited = Vous avez fait cette demande plusieurs fois en peu de temps. Vous pourrez réessayer { $retry }.
already-running = Votre demande précédente est déjà en cours. Patientez un instant.
nexudus-unavailable = Je n'arrive pas à joindre le portail membres pour le moment. Réessayez dans quelques minutes.
misconfigured = Le bot ne peut pas joindre le portail membres à cause d'un problème de configuration. Les community managers sont prévenus ; réessayez plus tard.
wrong-guild = Ce bot ne fonctionne que sur le serveur de sa communauté de coworking.
not-in-guild = Utilisez cette commande sur le serveur de la communauté, pas en message privé.
shutting-down = Le bot redémarre. Réessayez dans une minute.
internal-error = Quelque chose s'est mal passé de mon côté. Réessayez dans une minute.

## Dans la file d'attente du portail membres

queue-place =
    { $place ->
        [1] Vous êtes en tête de file : environ { $seconds ->
            [one] { $seconds } seconde.
           *[other] { $seconds } secondes.
        }
       *[other] Vous êtes n° { $place } dans la file : environ { $seconds ->
            [one] { $seconds } seconde.
           *[other] { $seconds } secondes.
        }
    }
queue-full = Beaucoup de membres font une demande en ce moment et je ne peux pas prendre la vôtre. Réessayez { $retry }.
hourly-budget-spent = Le portail membres est très sollicité ; réessayez { $retry }.
queue-restarting = Le bot redémarre, votre demande n'a donc pas été envoyée. Réessayez dans une minute.

## Le panneau des membres (publié par un manager ; dans la langue du serveur)

panel-title = Portail membres
panel-body = Connectez-vous au portail membres sans taper de mot de passe, recevez un e-mail pour réinitialiser votre mot de passe, ou associez votre compte Discord une fois pour que tout le reste se fasse en un geste. Tout ce que j'envoie n'est visible que par vous.
panel-login = Se connecter au portail
panel-reset = Réinitialiser le mot de passe
panel-link = Associer mon compte

## Rôles de membre, après /link et dans /account
# $roles : mentions de rôles, séparées par des virgules.
linked-roles = Vos rôles de membre : { $roles }
linked-no-plan = Vous n'avez pas encore d'abonnement actif dans Nexudus, donc pas de rôle de membre pour l'instant.
linked-roles-later = Vos rôles de membre arriveront d'ici quelques minutes.
# $plans : noms d'abonnements, séparés par des virgules.
account-plans = Vos abonnements : { $plans }
account-no-plans = Vous n'avez aucun abonnement actif.
# $plan : un nom d'abonnement.
plan-paused = { $plan } (en pause)
