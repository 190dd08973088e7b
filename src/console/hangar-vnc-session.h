/* hangar-vnc-session.h — a console session over VNC (gvnc-1.0).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-console-session.h"

G_BEGIN_DECLS

/* Declared by hand rather than with G_DECLARE_FINAL_TYPE, which would need
 * HangarConsoleSessionClass, kept in hangar-console-session-private.h. */
#define HANGAR_TYPE_VNC_SESSION    (hangar_vnc_session_get_type ())
#define HANGAR_VNC_SESSION(obj)    (G_TYPE_CHECK_INSTANCE_CAST ((obj), HANGAR_TYPE_VNC_SESSION, HangarVncSession))
#define HANGAR_IS_VNC_SESSION(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), HANGAR_TYPE_VNC_SESSION))

typedef struct _HangarVncSession HangarVncSession;

GType                 hangar_vnc_session_get_type (void) G_GNUC_CONST;
HangarConsoleSession *hangar_vnc_session_new      (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarVncSession, g_object_unref)

G_END_DECLS
