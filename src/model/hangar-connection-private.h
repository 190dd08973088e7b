/* hangar-connection-private.h — internals shared by the model's files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt/libvirt.h>

#include "hangar-connection.h"

G_BEGIN_DECLS

GError        *_hangar_libvirt_error          (const char       *what);
virConnectPtr  _hangar_connection_dup_handle  (HangarConnection *self,
                                               GError          **error);
void           _hangar_handle_release         (virConnectPtr     conn);

G_END_DECLS
