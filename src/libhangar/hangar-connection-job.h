/* hangar-connection-job.h — libvirt work on a connection, in a worker thread.
 *
 * Everything that calls libvirt outside the connection's own files goes
 * through here instead of the connection's private header:
 *
 *   hangar_connection_run_job()        one function on a worker, with a
 *                                      handle of its own, answered through
 *                                      a GTask on the caller's main context
 *   hangar_libvirt_error_new()         libvirt's last error as a GError
 *   hangar_connection_dup_handle()     a handle for objects that keep one
 *                                      (a serial console's stream)
 *   hangar_connection_get_caps_async() the host's capabilities, read once
 *                                      per open connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "hangar-connection.h"
#include "hangar-host-caps.h"

G_BEGIN_DECLS

/**
 * HangarConnectionJobFunc:
 * @task: the task given to hangar_connection_run_job(): return through it
 * @conn: (transfer none): a reference to the connection's handle that is
 *   the job's own until the function returns
 * @task_data: @task's task data
 * @cancellable: @task's cancellable
 *
 * Runs in a worker thread: it must not touch GObjects of the main thread.
 */
typedef void (*HangarConnectionJobFunc) (GTask         *task,
                                         virConnectPtr  conn,
                                         gpointer       task_data,
                                         GCancellable  *cancellable);

gboolean       hangar_connection_run_job          (HangarConnection         *self,
                                                   GTask                    *task,
                                                   HangarConnectionJobFunc   func);

GError        *hangar_libvirt_error_new           (const char               *what);

virConnectPtr  hangar_connection_dup_handle       (HangarConnection         *self,
                                                   GError                  **error);
void           hangar_connection_release_handle   (virConnectPtr             conn);

void           hangar_connection_get_caps_async   (HangarConnection         *self,
                                                   GCancellable             *cancellable,
                                                   GAsyncReadyCallback       callback,
                                                   gpointer                  user_data);
HangarHostCaps *hangar_connection_get_caps_finish (HangarConnection         *self,
                                                   GAsyncResult             *result,
                                                   char                    **xml,
                                                   GError                  **error);

G_END_DECLS
