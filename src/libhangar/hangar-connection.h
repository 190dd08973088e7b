/* hangar-connection.h — one libvirt host and the machines on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"
#include "hangar-enums.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CONNECTION (hangar_connection_get_type ())
#define HANGAR_LIBVIRT_ERROR   (hangar_libvirt_error_quark ())

G_DECLARE_FINAL_TYPE (HangarConnection, hangar_connection, HANGAR, CONNECTION, GObject)

GQuark                 hangar_libvirt_error_quark          (void);

HangarConnection      *hangar_connection_new               (const char       *uri);
const char            *hangar_connection_get_uri           (HangarConnection *self);
const char            *hangar_connection_get_display_name  (HangarConnection *self);
HangarConnectionState  hangar_connection_get_state         (HangarConnection *self);
const char            *hangar_connection_get_error_message (HangarConnection *self);
gboolean               hangar_connection_is_local          (HangarConnection *self);
void                   hangar_connection_open              (HangarConnection *self);
void                   hangar_connection_close             (HangarConnection *self);
HangarVm              *hangar_connection_lookup_vm         (HangarConnection *self,
                                                            const char       *name_id_or_uuid);
void                   hangar_connection_refresh_vm        (HangarConnection *self,
                                                            HangarVm         *vm);
guint                  hangar_connection_get_stats_interval (HangarConnection *self);
void                   hangar_connection_set_stats_interval (HangarConnection *self,
                                                             guint             interval_ms);
gboolean               hangar_connection_get_stats_enabled (HangarConnection *self);
void                   hangar_connection_set_stats_enabled (HangarConnection *self,
                                                            gboolean          enabled);
gboolean               hangar_connection_get_stats_paused  (HangarConnection *self);
void                   hangar_connection_set_stats_paused  (HangarConnection *self,
                                                            gboolean          paused);
guint                  hangar_connection_get_stats_effective_interval
                                                           (HangarConnection *self);

G_END_DECLS
