/* hangar-ssh-tunnel-private.h — what the tunnel and its masters' bookkeeping share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-ssh.h"

G_BEGIN_DECLS

void _hangar_ssh_tunnel_remember_master     (const char            *gate,
                                             const HangarSshTarget *target);
void _hangar_ssh_tunnel_forget_fallback_dir (void);

G_END_DECLS
