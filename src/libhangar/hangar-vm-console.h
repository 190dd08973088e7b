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
  char               *password;   /* only when the connection may read secure XML */
  gboolean            has_serial; /* a serial/console device for a text console */
} HangarGraphicsInfo;

void                hangar_graphics_info_free          (HangarGraphicsInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarGraphicsInfo, hangar_graphics_info_free)

HangarGraphicsInfo *hangar_graphics_info_parse         (const char   *domain_xml,
                                                        GError      **error);

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
