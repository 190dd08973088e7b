/* hangar-os-download-pool.h — a downloaded OS image into a storage pool
 * through libvirt's storage API, on a local or a remote host alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-connection.h"

G_BEGIN_DECLS

/* Called on the caller's main context while bytes go up. */
typedef void (*HangarUploadProgressFunc) (guint64  sent,
                                          guint64  total,
                                          gpointer user_data);

void  hangar_os_download_upload_async  (HangarConnection         *connection,
                                        const char               *pool_name,
                                        const char               *path,
                                        const char               *volume_name,
                                        GCancellable             *cancellable,
                                        HangarUploadProgressFunc  progress,
                                        gpointer                  progress_data,
                                        GAsyncReadyCallback       callback,
                                        gpointer                  user_data);
char *hangar_os_download_upload_finish (HangarConnection         *connection,
                                        GAsyncResult             *result,
                                        GError                  **error);

G_END_DECLS
