# O que os community managers leem: respostas do /admin, publicações do canal de auditoria.
# As respostas do /admin usam o idioma do Discord do manager; as publicações de
# auditoria, o idioma do bot (BOT_LOCALE, ou o do servidor).
# $member, $previous, $actor e $by são menções do Discord (<@…>), $channel uma
# menção de canal (<#…>): mantenha-as inteiras. $retry e $when são carimbos de
# tempo relativos (<t:…:R>), $since uma data completa (<t:…:f>).

## Recusa

admin-refused = Só community managers (Gerenciar servidor, ou um cargo de manager) podem usar `/admin`.

## /admin link, unlink, login, reset-password

admin-linked = A conta de { $member } agora está vinculada a **{ $email }**.
admin-link-moved = Esta conta Nexudus estava vinculada a { $previous }; esse vínculo foi removido.
admin-no-such-user = Nenhum usuário do Nexudus tem o e-mail **{ $email }**. Confira a grafia, ou o cadastro do membro no Nexudus.
admin-unlinked = A conta de { $member } não está mais vinculada (era **{ $email }**).
admin-not-linked = A conta de { $member } não está vinculada ao Nexudus. Use `/admin link` para vincular.
admin-login-delivered = Um link de login de uso único foi enviado por DM para { $member }.
admin-login-dm-closed = { $member } não aceita mensagens diretas deste servidor, então o link não foi enviado. Peça para a pessoa usar `/login`: o link aparece só para ela.
admin-login-failed = O Discord não entregou a DM para { $member }. Tente de novo em um minuto.
admin-link-gone = O usuário do Nexudus vinculado a { $member } não existe mais. Vincule de novo com `/admin link` (ou peça para a pessoa usar `/link`).
admin-reset-requested = O Nexudus vai enviar um link de redefinição de senha para **{ $email }** (o e-mail vinculado de { $member }).
admin-member-rate-limited = { $member } esgotou o limite para isso; ele libera { $retry }. `/admin limits member:… clear:true` zera o limite.
admin-already-running = Um pedido para { $member } já está a caminho.
admin-unknown-page = Essa página não está entre as opções configuradas.
admin-nexudus-unavailable = Não foi possível falar com o Nexudus (fora do ar, lento ou limitando chamadas). Tente de novo em alguns minutos.
admin-hourly-budget-spent = O bot esgotou a cota por hora de chamadas ao Nexudus; ela renova { $retry }.
admin-misconfigured = O Nexudus recusou as credenciais REST do bot. Quem opera o bot deve rodar `nexudus-bot check` e conferir NEXUDUS_API_USERNAME/NEXUDUS_API_PASSWORD, o acesso à API e as funções User-Edit e User-List.

## /admin audit-channel e panel

admin-audit-channel-set = Os eventos de auditoria serão publicados em { $channel }.
admin-audit-channel-cleared = Os eventos de auditoria não serão mais publicados em um canal (continuam guardados no registro de auditoria).
admin-panel-posted = O painel para membros foi publicado em { $channel }.
admin-panel-failed = Não consegui publicar em { $channel }. Confira se consigo ver o canal, enviar mensagens e incorporar links lá.

## /admin whois

whois-linked = A conta de { $member } está vinculada a **{ $email }** (usuário Nexudus { $user }) desde { $since }, por { $by }.
whois-no-requests = Nenhum pedido registrado ainda.
whois-recent-header = **Últimos pedidos** (mais recentes primeiro):
whois-entry = • { $when } `{ $action }`: **{ $outcome }** (`{ $request }`)
whois-entry-by = • { $when } `{ $action }` por { $actor }: **{ $outcome }** (`{ $request }`)

## /admin limits

limits-header = Limites de { $member }:
limits-header-cleared = Limites de { $member } zerados. Agora:
limits-line = • { $name }: restam { $remaining } de { $count } (limite { $limit })
limits-line-blocked = • { $name }: restam { $remaining } de { $count } (limite { $limit }), liberado de novo { $retry }
limits-line-refilling = • { $name }: restam { $remaining } de { $count } (limite { $limit }), uma vaga libera { $retry }
limits-reset-emails = e-mails de redefinição para { $email }

## /admin stats

stats-uptime = **No ar há** { $days } d { $hours } h { $minutes } min · **membros vinculados**: { $linked }
stats-uptime-linked-unknown = **No ar há** { $days } d { $hours } h { $minutes } min · **membros vinculados**: desconhecido
stats-refusals = **Recusas por limite**: { $refusals } · **DMs com falha**: { $failures }
stats-no-requests = Nenhum pedido desde o início.
stats-requests-header = **Pedidos desde o início**
stats-request-line = • `{ $command }` { $outcome }: { $count }
stats-latency-header = **Latência do Nexudus** (chamadas recentes)
stats-latency-line =
    • { $endpoint }: p50 { $p50 } ms, p95 { $p95 } ms em { $calls ->
        [one] { $calls } chamada
       *[other] { $calls } chamadas
    }
stats-hourly-budget = **Cota do Nexudus nesta hora**: restam { $left } de { $limit }
stats-longest-wait = **Maior espera na fila** (última hora): { $seconds ->
        [one] { $seconds } segundo
       *[other] { $seconds } segundos
    }

## Publicações do canal de auditoria

audit-the-bot = o bot
audit-summary = { $who } · `{ $action }` → **{ $outcome }**
audit-member = membro: { $member }
audit-email = e-mail: { $email }
audit-footer = pedido { $request }
audit-detail-moved = transferido do usuário do Discord { $previous }
audit-detail-channel = canal { $channel }
audit-detail-subcommand = subcomando { $subcommand }

## Resultados, como whois, stats e a auditoria os mostram

outcome-dm-sent = DM enviada
outcome-dm-closed = DMs fechadas
outcome-dm-failed = DM com falha
outcome-link-gone = conta inexistente
outcome-not-linked = não vinculado
outcome-rate-limited = limite atingido
outcome-already-running = já em andamento
outcome-unknown-page = página desconhecida
outcome-invalid-email = e-mail inválido
outcome-need-email = falta o e-mail
outcome-reset-requested = redefinição pedida
outcome-linked = vinculado
outcome-linked-moved = vinculado (transferido)
outcome-invalid-credentials = credenciais inválidas
outcome-two-factor-required = falta o código de verificação
outcome-must-reset-password = precisa de senha nova
outcome-account-not-found = conta não encontrada
outcome-shown = mostrado
outcome-unlinked = desvinculado
outcome-cleared = zerado
outcome-set = definido
outcome-posted = publicado
outcome-post-failed = falha ao publicar
outcome-not-a-manager = não é manager
outcome-rest-credentials-rejected = credenciais REST recusadas
outcome-internal-error = erro interno
outcome-not-found = não encontrado
outcome-throttled = limitado pelo Nexudus
outcome-timeout = tempo esgotado
outcome-unavailable = indisponível
outcome-malformed = resposta ilegível
outcome-queue-full = fila cheia
outcome-hourly-budget-spent = cota por hora esgotada
outcome-shutting-down = reiniciando
outcome-started = começou
outcome-ended = terminou
outcome-rejected = recusadas
outcome-accepted = aceitas

## Cargos de membro: /admin sync, /admin whois, o canal de auditoria
admin-sync-off = Os cargos de membro não estão configurados: defina MEMBER_ROLE_ID ou PLAN_ROLES e reinicie o bot.
# $roles, $added, $removed: menções de cargos, ou roles-none.
admin-sync-member = { $member } agora tem { $roles }. Adicionados: { $added }. Removidos: { $removed }.
# $roles: menções de cargos.
admin-sync-refused = O Discord recusou { $roles }: dê ao bot a permissão "Gerenciar cargos" e arraste o cargo dele para cima desses cargos em Configurações do servidor ▸ Cargos.
admin-sync-left = { $member } não está no servidor: não há nada para mudar.
admin-sync-everyone = { $members } membros vinculados sincronizados: { $added } cargos adicionados, { $removed } removidos, { $unchanged } membros sem mudança, { $failed } com falha, { $left } fora do servidor.
admin-sync-busy = Uma sincronização de todos já está em andamento; as contagens vão aparecer no registro de auditoria quando ela terminar.
roles-none = nenhum
# $plans: nomes de planos, separados por vírgulas.
whois-plans = Planos: { $plans }
whois-no-plans = Nenhum plano ativo.
# $when: um tempo relativo.
whois-roles = Cargos gerenciados atribuídos: { $roles } (visto { $when })
audit-detail-role = cargo { $role }: dê ao bot a permissão "Gerenciar cargos" e arraste o cargo dele para cima de { $role } em Configurações do servidor ▸ Cargos
audit-detail-synced = { $added } cargos adicionados, { $removed } removidos, { $unchanged } membros sem mudança, { $failed } com falha
outcome-synced = sincronizado
outcome-forbidden = recusado pelo Discord
# Motivos mostrados no registro de auditoria do servidor para as mudanças de cargos feitas pelo bot (no máximo 512 caracteres).
role-reason-linked = Vinculado ao Nexudus: os cargos seguem os planos do membro
role-reason-unlinked = Desvinculado do Nexudus
role-reason-plans = Os planos do Nexudus do membro mudaram
