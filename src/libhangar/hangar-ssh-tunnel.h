/* hangar-ssh-tunnel.h — a console's byte stream through ssh -W, one ssh connection per host.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-ssh.h"

G_BEGIN_DECLS

/* How long opening a tunnel may take, login included, before ssh is killed. */
#define HANGAR_SSH_TUNNEL_TIMEOUT_SECONDS 15

char     *hangar_ssh_tunnel_get_control_dir   (GError                **error);

void      hangar_ssh_tunnel_open_async        (const HangarSshTarget  *target,
                                               const char             *listen_host,
                                               int                     port,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
int       hangar_ssh_tunnel_open_finish       (GAsyncResult           *result,
                                               GError                **error);

void      hangar_ssh_tunnel_stop_master_async (const HangarSshTarget  *target,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
gboolean  hangar_ssh_tunnel_stop_master_finish (GAsyncResult          *result,
                                                GError               **error);
void      hangar_ssh_tunnel_stop_all_masters  (void);

G_END_DECLS
