# Descrições de comandos e opções, no seletor de comandos do Discord.
# O Discord aceita de 1 a 100 caracteres. Os nomes de comandos e opções
# ficam em inglês: só estes textos são traduzidos.

## Comandos de membros

cmd-login-description = Receba um link de uso único que faz login no portal de membros
cmd-login-page-description = Qual página do portal abrir
cmd-reset-password-description = Receba um e-mail com um link para redefinir a senha do portal
cmd-reset-password-email-description = Seu e-mail do portal de membros (vazio: o da sua conta vinculada)
cmd-link-description = Vincule sua conta do Discord à sua conta do portal de membros
cmd-unlink-description = Desvincule sua conta do Discord do portal de membros
cmd-account-description = Mostra qual conta do portal de membros está vinculada a você

## /admin e seus subcomandos (community managers)

cmd-admin-description = Ferramentas de community manager para o bot do portal de membros
cmd-admin-link-description = Vincula um membro à conta Nexudus deste e-mail (sem senha)
cmd-admin-unlink-description = Remove o vínculo de um membro
cmd-admin-whois-description = Mostra o vínculo de um membro e os pedidos mais recentes
cmd-admin-login-description = Envia por DM a um membro um link de login de uso único (você nunca o vê)
cmd-admin-reset-password-description = Envia o e-mail de redefinição de senha para o e-mail vinculado do membro
cmd-admin-limits-description = Mostra os limites de uso de um membro, ou os zera
cmd-admin-stats-description = Contagens desde o início, latência do Nexudus, membros vinculados
cmd-admin-audit-channel-description = Define o canal onde os eventos de auditoria são publicados (vazio: parar)
cmd-admin-panel-description = Publica num canal o painel de autoatendimento para membros
cmd-admin-sync-description = Relê os planos do Nexudus e corrige os cargos de membro

## Opções de /admin (a opção `page` usa cmd-login-page-description)

cmd-admin-member-option = O membro
cmd-admin-email-option = O e-mail Nexudus do membro (o do portal de membros)
cmd-admin-clear-option = Zerar os limites agora
cmd-admin-channel-option = O canal
cmd-admin-sync-member-option = Um membro (vazio: todos)
