# Descriptions des commandes et options, dans le sélecteur de commandes de Discord.
# Discord accepte de 1 à 100 caractères. Les noms des commandes et options
# restent en anglais : seuls ces textes sont traduits.

## Commandes des membres

cmd-login-description = Recevoir un lien à usage unique pour vous connecter au portail membres
cmd-login-page-description = La page du portail à ouvrir
cmd-reset-password-description = Recevoir un e-mail avec un lien pour réinitialiser votre mot de passe du portail
cmd-reset-password-email-description = Votre e-mail du portail membres (vide : celui de votre compte associé)
cmd-link-description = Associer votre compte Discord à votre compte du portail membres
cmd-unlink-description = Dissocier votre compte Discord du portail membres
cmd-account-description = Voir quel compte du portail membres vous est associé

## /admin et ses sous-commandes (community managers)

cmd-admin-description = Outils des community managers pour le bot du portail membres
cmd-admin-link-description = Associer un membre au compte Nexudus de cet e-mail (sans mot de passe)
cmd-admin-unlink-description = Supprimer l'association d'un membre
cmd-admin-whois-description = Voir l'association d'un membre et ses dernières demandes
cmd-admin-login-description = Envoyer en MP à un membre un lien de connexion à usage unique (vous ne le voyez pas)
cmd-admin-reset-password-description = Envoyer l'e-mail de réinitialisation à l'e-mail associé du membre
cmd-admin-limits-description = Voir les limites d'un membre, ou les remettre à zéro
cmd-admin-stats-description = Compteurs depuis le démarrage, latence de Nexudus, membres associés
cmd-admin-audit-channel-description = Choisir le salon où publier les événements d'audit (vide : ne plus publier)
cmd-admin-panel-description = Publier le panneau libre-service des membres dans un salon
cmd-admin-sync-description = Relire les abonnements dans Nexudus et corriger les rôles de membre

## Options de /admin (l'option `page` utilise cmd-login-page-description)

cmd-admin-member-option = Le membre
cmd-admin-email-option = Son e-mail Nexudus (celui du portail membres)
cmd-admin-clear-option = Remettre ses limites à zéro maintenant
cmd-admin-channel-option = Le salon
cmd-admin-sync-member-option = Un membre (vide : tout le monde)
