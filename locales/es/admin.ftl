# Lo que leen los community managers: respuestas de /admin y publicaciones del canal de auditoría.
# Las respuestas de /admin usan el idioma de Discord del manager; las publicaciones
# de auditoría, el idioma del bot (BOT_LOCALE, o el del servidor).
# $member, $previous, $actor y $by son menciones de Discord (<@…>), $channel una
# mención de canal (<#…>): déjalas enteras. $retry y $when son marcas de tiempo
# relativas (<t:…:R>), $since una fecha completa (<t:…:f>).

## Rechazo

admin-refused = Solo los community managers (Gestionar servidor, o un rol de manager) pueden usar `/admin`.

## /admin link, unlink, login, reset-password

admin-linked = La cuenta de { $member } ya está vinculada a **{ $email }**.
admin-link-moved = Esta cuenta de Nexudus estaba vinculada a { $previous }; esa vinculación se ha quitado.
admin-no-such-user = Ningún usuario de Nexudus tiene el correo **{ $email }**. Revisa cómo está escrito, o la ficha del miembro en Nexudus.
admin-unlinked = La cuenta de { $member } ya no está vinculada (era **{ $email }**).
admin-not-linked = La cuenta de { $member } no está vinculada a Nexudus. Usa `/admin link` para vincularla.
admin-login-delivered = Se ha enviado por MD a { $member } un enlace de acceso de un solo uso.
admin-login-dm-closed = { $member } no acepta mensajes directos de este servidor, así que el enlace no se ha enviado. Pídele que use `/login`: el enlace le aparecerá en privado.
admin-login-failed = Discord no ha entregado el MD a { $member }. Vuelve a intentarlo en un minuto.
admin-link-gone = El usuario de Nexudus vinculado a { $member } ya no existe. Vuelve a vincular su cuenta con `/admin link` (o pídele que use `/link`).
admin-reset-requested = Se ha pedido a Nexudus que envíe un enlace para restablecer la contraseña a **{ $email }** (el correo vinculado de { $member }).
admin-member-rate-limited = { $member } ha agotado su límite para esto; se libera { $retry }. `/admin limits member:… clear:true` lo restablece.
admin-already-running = Ya hay una solicitud en camino para { $member }.
admin-unknown-page = Esa página no está entre las opciones configuradas.
admin-nexudus-unavailable = No se ha podido conectar con Nexudus (caído, lento o limitando peticiones). Vuelve a intentarlo en unos minutos.
admin-hourly-budget-spent = El bot ha agotado su cupo de llamadas a Nexudus de esta hora; se renueva { $retry }.
admin-misconfigured = Nexudus ha rechazado las credenciales REST del bot. Quien lo opera debe ejecutar `nexudus-bot check` y revisar NEXUDUS_API_USERNAME/NEXUDUS_API_PASSWORD, el acceso a la API y los roles User-Edit y User-List.

## /admin audit-channel y panel

admin-audit-channel-set = Los eventos de auditoría se publicarán en { $channel }.
admin-audit-channel-cleared = Los eventos de auditoría ya no se publicarán en ningún canal (se siguen guardando en el registro de auditoría).
admin-panel-posted = El panel para miembros está publicado en { $channel }.
admin-panel-failed = No he podido publicar en { $channel }. Comprueba que puedo ver el canal, enviar mensajes e insertar enlaces allí.

## /admin whois

whois-linked = La cuenta de { $member } está vinculada a **{ $email }** (usuario de Nexudus { $user }) desde { $since }, por { $by }.
whois-no-requests = Todavía no hay solicitudes registradas.
whois-recent-header = **Últimas solicitudes** (las más recientes primero):
whois-entry = • { $when } `{ $action }`: **{ $outcome }** (`{ $request }`)
whois-entry-by = • { $when } `{ $action }` por { $actor }: **{ $outcome }** (`{ $request }`)

## /admin limits

limits-header = Límites de { $member }:
limits-header-cleared = Límites de { $member } restablecidos. Ahora:
limits-line = • { $name }: quedan { $remaining } de { $count } (límite { $limit })
limits-line-blocked = • { $name }: quedan { $remaining } de { $count } (límite { $limit }); se podrá de nuevo { $retry }
limits-line-refilling = • { $name }: quedan { $remaining } de { $count } (límite { $limit }); se libera uno { $retry }
limits-reset-emails = correos de restablecimiento a { $email }

## /admin stats

stats-uptime = **En marcha desde hace** { $days } d { $hours } h { $minutes } min · **miembros vinculados**: { $linked }
stats-uptime-linked-unknown = **En marcha desde hace** { $days } d { $hours } h { $minutes } min · **miembros vinculados**: desconocido
stats-refusals = **Rechazos por límite**: { $refusals } · **MD fallidos**: { $failures }
stats-no-requests = No hay solicitudes desde el arranque.
stats-requests-header = **Solicitudes desde el arranque**
stats-request-line = • `{ $command }` { $outcome }: { $count }
stats-latency-header = **Latencia de Nexudus** (llamadas recientes)
stats-latency-line =
    • { $endpoint }: p50 { $p50 } ms, p95 { $p95 } ms en { $calls ->
        [one] { $calls } llamada
       *[other] { $calls } llamadas
    }
stats-hourly-budget = **Cupo de Nexudus esta hora**: quedan { $left } de { $limit }
stats-longest-wait = **Espera más larga en la cola** (última hora): { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }

## Publicaciones del canal de auditoría

audit-the-bot = el bot
audit-summary = { $who } · `{ $action }` → **{ $outcome }**
audit-member = miembro: { $member }
audit-email = correo: { $email }
audit-footer = solicitud { $request }
audit-detail-moved = trasladada desde el usuario de Discord { $previous }
audit-detail-channel = canal { $channel }
audit-detail-subcommand = subcomando { $subcommand }

## Resultados, tal como los muestran whois, stats y la auditoría

outcome-dm-sent = MD enviado
outcome-dm-closed = MD cerrados
outcome-dm-failed = MD fallido
outcome-link-gone = cuenta ya inexistente
outcome-not-linked = sin vincular
outcome-rate-limited = límite alcanzado
outcome-already-running = ya en curso
outcome-unknown-page = página desconocida
outcome-invalid-email = correo no válido
outcome-need-email = falta el correo
outcome-reset-requested = restablecimiento pedido
outcome-linked = vinculado
outcome-linked-moved = vinculado (trasladado)
outcome-invalid-credentials = datos no válidos
outcome-two-factor-required = falta el código de verificación
outcome-must-reset-password = necesita contraseña nueva
outcome-account-not-found = cuenta no encontrada
outcome-shown = mostrado
outcome-unlinked = desvinculado
outcome-cleared = borrado
outcome-set = configurado
outcome-posted = publicado
outcome-post-failed = publicación fallida
outcome-not-a-manager = no es manager
outcome-rest-credentials-rejected = credenciales REST rechazadas
outcome-internal-error = error interno
outcome-not-found = no encontrado
outcome-throttled = limitado por Nexudus
outcome-timeout = tiempo agotado
outcome-unavailable = no disponible
outcome-malformed = respuesta ilegible
outcome-queue-full = cola llena
outcome-hourly-budget-spent = cupo por hora agotado
outcome-shutting-down = reiniciando
outcome-started = empezó
outcome-ended = terminó
outcome-rejected = rechazadas
outcome-accepted = aceptadas

## Roles de miembro: /admin sync, /admin whois, el canal de auditoría
admin-sync-off = Los roles de miembro no están configurados: define MEMBER_ROLE_ID o PLAN_ROLES y reinicia el bot.
# $roles, $added, $removed: menciones de roles, o roles-none.
admin-sync-member = { $member } tiene ahora { $roles }. Añadidos: { $added }. Quitados: { $removed }.
# $roles: menciones de roles.
admin-sync-refused = Discord ha rechazado { $roles }: da al bot el permiso «Gestionar roles» y arrastra su rol por encima de esos roles en Ajustes del servidor ▸ Roles.
admin-sync-left = { $member } no está en el servidor: no hay nada que cambiar.
admin-sync-everyone = Sincronizados { $members } miembros vinculados: { $added } roles añadidos, { $removed } quitados, { $unchanged } miembros sin cambios, { $failed } fallidos, { $left } fuera del servidor.
admin-sync-busy = Ya hay una sincronización de todos en curso; sus cifras aparecerán en el registro de auditoría cuando termine.
roles-none = ninguno
# $plans: nombres de planes, separados por comas.
whois-plans = Planes: { $plans }
whois-no-plans = Ningún plan activo.
# $when: un tiempo relativo.
whois-roles = Roles gestionados que tiene: { $roles } (visto { $when })
audit-detail-role = rol { $role }: da al bot el permiso «Gestionar roles» y arrastra su rol por encima de { $role } en Ajustes del servidor ▸ Roles
audit-detail-synced = { $added } roles añadidos, { $removed } quitados, { $unchanged } miembros sin cambios, { $failed } fallidos
outcome-synced = sincronizado
outcome-forbidden = rechazado por Discord
# Motivos que muestra el registro de auditoría del servidor para los cambios de roles del bot (512 caracteres como máximo).
role-reason-linked = Vinculado a Nexudus: los roles siguen los planes del miembro
role-reason-unlinked = Desvinculado de Nexudus
role-reason-plans = Han cambiado los planes de Nexudus del miembro
