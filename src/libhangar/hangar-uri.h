/* hangar-uri.h — libvirt URI validation, readable names and the default connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HANGAR_URI_ERROR (hangar_uri_error_quark ())

typedef enum
{
  HANGAR_URI_ERROR_EMPTY,
  HANGAR_URI_ERROR_SYNTAX,
  HANGAR_URI_ERROR_UNKNOWN_DRIVER,
  HANGAR_URI_ERROR_UNKNOWN_TRANSPORT,
  HANGAR_URI_ERROR_BAD_HOST,
  HANGAR_URI_ERROR_BAD_USER,
} HangarUriError;

typedef enum
{
  HANGAR_HYPERVISOR_QEMU_SYSTEM,
  HANGAR_HYPERVISOR_QEMU_SESSION,
  HANGAR_HYPERVISOR_LXC,
  HANGAR_HYPERVISOR_XEN,
} HangarHypervisor;

typedef enum
{
  HANGAR_TRANSPORT_SSH,
  HANGAR_TRANSPORT_TCP,
  HANGAR_TRANSPORT_TLS,
} HangarTransport;

GQuark    hangar_uri_error_quark       (void);
char     *hangar_uri_build             (HangarHypervisor  hypervisor,
                                        gboolean          remote,
                                        HangarTransport   transport,
                                        const char       *user,
                                        const char       *host_and_port,
                                        GError          **error);
gboolean  hangar_uri_validate          (const char  *uri,
                                        GError     **error);
char     *hangar_uri_display_name      (const char  *uri);
gboolean  hangar_uri_is_local          (const char  *uri);
gboolean  hangar_uri_skips_host_key_check (const char *uri);
char     *hangar_uri_get_driver        (const char  *uri);
char     *hangar_uri_pick_default      (const char  *system_socket_dir);

G_END_DECLS
