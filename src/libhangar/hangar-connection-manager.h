/* hangar-connection-manager.h — the list of hosts Hangar knows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-connection.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CONNECTION_MANAGER (hangar_connection_manager_get_type ())

G_DECLARE_FINAL_TYPE (HangarConnectionManager, hangar_connection_manager, HANGAR,
                      CONNECTION_MANAGER, GObject)

HangarConnectionManager *hangar_connection_manager_new    (GSettings               *settings);
HangarConnection        *hangar_connection_manager_add    (HangarConnectionManager *self,
                                                           const char              *uri);
HangarConnection        *hangar_connection_manager_find   (HangarConnectionManager *self,
                                                           const char              *uri);
void                     hangar_connection_manager_remove (HangarConnectionManager *self,
                                                           HangarConnection        *connection);
char                   **hangar_connection_manager_get_autoconnect_uris
                                                          (HangarConnectionManager *self);
void                     hangar_connection_manager_set_stats_paused
                                                          (HangarConnectionManager *self,
                                                           gboolean                 paused);

G_END_DECLS
