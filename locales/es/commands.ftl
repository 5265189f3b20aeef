# Descripciones de comandos y opciones, en el selector de comandos de Discord.
# Discord admite de 1 a 100 caracteres. Los nombres de comandos y opciones
# se quedan en inglés: solo se traducen estos textos.

## Comandos de miembros

cmd-login-description = Recibe un enlace de un solo uso para entrar en el portal de miembros
cmd-login-page-description = Qué página del portal abrir
cmd-reset-password-description = Recibe un correo con un enlace para restablecer la contraseña del portal
cmd-reset-password-email-description = Tu correo del portal de miembros (vacío: el de tu cuenta vinculada)
cmd-link-description = Vincula tu cuenta de Discord con tu cuenta del portal de miembros
cmd-unlink-description = Desvincula tu cuenta de Discord del portal de miembros
cmd-account-description = Muestra qué cuenta del portal de miembros está vinculada a ti

## /admin y sus subcomandos (community managers)

cmd-admin-description = Herramientas de community manager para el bot del portal de miembros
cmd-admin-link-description = Vincula a un miembro con la cuenta de Nexudus de este correo (sin contraseña)
cmd-admin-unlink-description = Quita la vinculación de un miembro
cmd-admin-whois-description = Muestra la vinculación de un miembro y sus últimas solicitudes
cmd-admin-login-description = Envía por MD a un miembro un enlace de acceso de un solo uso (tú no lo ves)
cmd-admin-reset-password-description = Envía el correo para restablecer la contraseña al correo vinculado del miembro
cmd-admin-limits-description = Muestra los límites de uso de un miembro, o los borra
cmd-admin-stats-description = Cifras desde el arranque, latencia de Nexudus, miembros vinculados
cmd-admin-audit-channel-description = Elige el canal donde se publican los eventos de auditoría (vacío: dejar de publicar)
cmd-admin-panel-description = Publica en un canal el panel de autoservicio para miembros
cmd-admin-sync-description = Vuelve a leer los planes de Nexudus y corrige los roles de miembro

## Opciones de /admin (la opción `page` usa cmd-login-page-description)

cmd-admin-member-option = El miembro
cmd-admin-email-option = Su correo de Nexudus (del portal de miembros)
cmd-admin-clear-option = Restablecer sus límites ahora
cmd-admin-channel-option = El canal
cmd-admin-sync-member-option = Un miembro (vacío: todos)
