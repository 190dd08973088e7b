/* hangar-vm-console.h — where a machine's screen is and how to reach it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-vm.h"

G_BEGIN_DECLS

typedef enum
{
  HANGAR_GRAPHICS_NONE,
  HANGAR_GRAPHICS_VNC,
  HANGAR_GRAPHICS_SPICE,
  HANGAR_GRAPHICS_OTHER,
} HangarGraphicsType;

typedef struct
{
  HangarGraphicsType  type;
  char               *listen;     /* address the server listens on, or NULL */
  int                 port;       /* -1 when not running or autoport not yet chosen */
  int                 tls_port;
  gboolean            secure_only; /* SPICE defaultMode='secure': TLS port only */
  char               *password;   /* only when the connection may read secure XML */
  gboolean            has_serial; /* a serial/console device for a text console */
} HangarGraphicsInfo;

void                hangar_graphics_info_free          (HangarGraphicsInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarGraphicsInfo, hangar_graphics_info_free)

HangarGraphicsInfo *hangar_graphics_info_parse         (const char   *domain_xml,
                                                        GError      **error);

/* How the console reaches a machine's display (review finding M7). */
typedef enum
{
  HANGAR_CONSOLE_ROUTE_LIBVIRT,  /* virDomainOpenGraphicsFD on a local connection */
  HANGAR_CONSOLE_ROUTE_SSH,      /* ssh -W tunnels to listen:port */
  HANGAR_CONSOLE_ROUTE_TCP,      /* straight to host:port (or host:tls_port) */
  HANGAR_CONSOLE_ROUTE_NONE,     /* unreachable from here: see reason */
} HangarConsoleRoute;

typedef struct
{
  HangarConsoleRoute  route;
  char               *host;           /* where TCP connects (ssh: the tunnel's target) */
  int                 port;           /* plaintext port, -1 when not to be used */
  int                 tls_port;       /* when tls: the port every channel uses */
  gboolean            tls;            /* TLS, the server verified against ca_file */
  char               *ca_file;        /* the CA libvirt uses for the connection's host */
  gboolean            encrypted;      /* nobody on the network reads it (fd, ssh, TLS, loopback) */
  gboolean            send_saved_password; /* a saved or XML password may go unasked */
  gboolean            confirm_listen; /* the listen address is not the host: ask first */
  char               *listen;         /* the server's listen address, for the question */
  char               *uri_host;       /* the connection's host, for the question */
  char               *reason;         /* ROUTE_NONE: why, for the user */
} HangarConsolePlan;

void                hangar_console_plan_free           (HangarConsolePlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarConsolePlan, hangar_console_plan_free)

HangarConsolePlan  *hangar_console_plan_new            (const HangarGraphicsInfo *info,
                                                        const char               *uri,
                                                        gboolean                  local,
                                                        const char * const       *host_addresses);
char               *hangar_console_ca_file_for_uri     (const char               *uri);
gboolean            hangar_console_address_is_loopback (const char               *address);
char               *hangar_console_uri_host            (const char               *uri);

void                hangar_vm_get_graphics_async       (HangarVm            *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
HangarGraphicsInfo *hangar_vm_get_graphics_finish      (HangarVm            *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                hangar_vm_open_graphics_fds_async  (HangarVm            *self,
                                                        guint                n_fds,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GArray             *hangar_vm_open_graphics_fds_finish (HangarVm            *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
