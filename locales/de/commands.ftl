# Beschreibungen der Befehle und Optionen in Discords Befehlsauswahl.
# Discord erlaubt 1 bis 100 Zeichen. Befehls- und Optionsnamen bleiben
# englisch: übersetzt werden nur diese Texte.

## Befehle für Mitglieder

cmd-login-description = Einmal-Link bekommen, der dich ins Mitgliederportal einloggt
cmd-login-page-description = Welche Seite des Portals geöffnet wird
cmd-reset-password-description = E-Mail mit einem Link bekommen, um dein Portal-Passwort zurückzusetzen
cmd-reset-password-email-description = Deine E-Mail im Mitgliederportal (leer: die deines verknüpften Kontos)
cmd-link-description = Dein Discord-Konto mit deinem Konto im Mitgliederportal verknüpfen
cmd-unlink-description = Die Verknüpfung deines Discord-Kontos mit dem Mitgliederportal aufheben
cmd-account-description = Zeigen, welches Konto im Mitgliederportal mit dir verknüpft ist

## /admin und seine Unterbefehle (Community-Manager)

cmd-admin-description = Werkzeuge für Community-Manager rund um den Mitgliederportal-Bot
cmd-admin-link-description = Ein Mitglied mit dem Nexudus-Konto dieser E-Mail verknüpfen (ohne Passwort)
cmd-admin-unlink-description = Die Verknüpfung eines Mitglieds entfernen
cmd-admin-whois-description = Verknüpfung und letzte Anfragen eines Mitglieds zeigen
cmd-admin-login-description = Einem Mitglied per DM einen Einmal-Login-Link schicken (du siehst ihn nie)
cmd-admin-reset-password-description = Die E-Mail zum Zurücksetzen des Passworts an die verknüpfte E-Mail schicken
cmd-admin-limits-description = Die Limits eines Mitglieds zeigen oder zurücksetzen
cmd-admin-stats-description = Zahlen seit dem Start, Nexudus-Latenz, verknüpfte Mitglieder
cmd-admin-audit-channel-description = Kanal für Audit-Ereignisse festlegen (leer: nicht mehr posten)
cmd-admin-panel-description = Das Selbstbedienungs-Panel für Mitglieder in einem Kanal posten
cmd-admin-sync-description = Tarife neu aus Nexudus lesen und Mitgliedsrollen korrigieren

## Optionen von /admin (die Option `page` nutzt cmd-login-page-description)

cmd-admin-member-option = Das Mitglied
cmd-admin-email-option = Seine Nexudus-E-Mail (die des Mitgliederportals)
cmd-admin-clear-option = Seine Limits jetzt zurücksetzen
cmd-admin-channel-option = Der Kanal
cmd-admin-sync-member-option = Ein Mitglied (leer: alle)
