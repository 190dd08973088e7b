/* hangar-connection-auth-private.h — the credentials callback of a connection's open.
 *
 * The virConnectAuth is made on the main thread and used by the open
 * thread, whose callback may wait for the user's answer (the main thread
 * never waits). Declared apart from the connection's struct so that the
 * SASL tests can open a URI exactly as the open thread does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt/libvirt.h>

#include "hangar-connection.h"

G_BEGIN_DECLS

virConnectAuthPtr _hangar_connection_auth_new   (HangarConnection  *self);
void              _hangar_connection_auth_free  (virConnectAuthPtr  auth);
/* The error a failed open shows: a refused or missing password says so. */
GError           *_hangar_connection_auth_error (virConnectAuthPtr  auth);

G_END_DECLS
