/* hangar-spice-session.h — a console session over SPICE (spice-client-glib).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <spice-client.h>

#include "hangar-console-session.h"
#include "hangar-spice-usb.h"

G_BEGIN_DECLS

/* Declared by hand rather than with G_DECLARE_FINAL_TYPE, which would need
 * HangarConsoleSessionClass, kept in hangar-console-session-private.h. */
#define HANGAR_TYPE_SPICE_SESSION    (hangar_spice_session_get_type ())
#define HANGAR_SPICE_SESSION(obj)    (G_TYPE_CHECK_INSTANCE_CAST ((obj), HANGAR_TYPE_SPICE_SESSION, HangarSpiceSession))
#define HANGAR_IS_SPICE_SESSION(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), HANGAR_TYPE_SPICE_SESSION))

typedef struct _HangarSpiceSession HangarSpiceSession;

GType                 hangar_spice_session_get_type (void) G_GNUC_CONST;
HangarConsoleSession *hangar_spice_session_new      (void);
gboolean              hangar_spice_session_connect_tls (HangarSpiceSession  *self,
                                                        const char          *host,
                                                        int                  tls_port,
                                                        const char          *ca_file,
                                                        GError             **error);

gboolean              hangar_spice_session_check_send_files (HangarSpiceSession  *self,
                                                             GError             **error);
gboolean              hangar_spice_session_send_files    (HangarSpiceSession  *self,
                                                          GFile              **files,
                                                          guint                n_files,
                                                          GError             **error);
GListModel           *hangar_spice_session_get_transfers (HangarSpiceSession  *self);
GListModel           *hangar_spice_session_get_usb_devices (HangarSpiceSession *self);
void                  hangar_spice_session_set_usb_redirected (HangarSpiceSession *self,
                                                               HangarUsbDevice    *device,
                                                               gboolean            redirected);
gboolean              hangar_spice_session_share_cd      (HangarSpiceSession  *self,
                                                          const char          *path,
                                                          GError             **error);

SpiceSession         *hangar_spice_session_get_spice (HangarSpiceSession *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarSpiceSession, g_object_unref)

G_END_DECLS
