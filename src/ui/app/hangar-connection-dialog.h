/* hangar-connection-dialog.h — Add Connection: a libvirt URI built from a few choices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-application.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CONNECTION_DIALOG (hangar_connection_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HangarConnectionDialog, hangar_connection_dialog, HANGAR,
                      CONNECTION_DIALOG, AdwWindow)

GtkWidget  *hangar_connection_dialog_new     (HangarApplication      *application,
                                              GtkWindow              *parent);
const char *hangar_connection_dialog_get_uri (HangarConnectionDialog *self);
void        hangar_connection_dialog_set_remote (HangarConnectionDialog *self,
                                                 int                     transport,
                                                 const char             *user,
                                                 const char             *host);
gboolean    hangar_connection_dialog_connect (HangarConnectionDialog *self);

G_END_DECLS
