/* hangar-vnc-session.h — a console session over VNC (gvnc-1.0).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-console-session.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_VNC_SESSION (hangar_vnc_session_get_type ())

G_DECLARE_FINAL_TYPE (HangarVncSession, hangar_vnc_session, HANGAR, VNC_SESSION, HangarConsoleSession)

HangarConsoleSession *hangar_vnc_session_new (void);

G_END_DECLS
