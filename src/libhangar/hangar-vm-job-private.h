/* hangar-vm-job-private.h — a connection job on one machine, found by its UUID.
 *
 * A thin layer over hangar_connection_run_job(): a job embeds HangarVmJob
 * as its first member and is the task data. The worker finds the domain
 * with _hangar_vm_job_lookup_domain() and says it is done with libvirt
 * with _hangar_vm_job_done(); the connection's runner gives the handle
 * back in the worker once the thread function returns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "hangar-vm.h"

G_BEGIN_DECLS

typedef struct
{
  virConnectPtr    conn;        /* borrowed from the runner, in the worker only */
  char            *uuid;
  GTaskThreadFunc  thread_func;
} HangarVmJob;

gboolean      _hangar_vm_job_start         (HangarVm             *vm,
                                            GTask                *task,
                                            HangarVmJob          *job,
                                            GTaskThreadFunc       thread_func);
void          _hangar_vm_job_run           (HangarVm             *vm,
                                            HangarVmJob          *job,
                                            GDestroyNotify        job_free,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data,
                                            gpointer              source_tag,
                                            GTaskThreadFunc       thread_func);
void          _hangar_vm_job_clear         (HangarVmJob          *job);

/* In the worker thread: */
virDomainPtr  _hangar_vm_job_lookup_domain (HangarVmJob          *job,
                                            GError              **error);
void          _hangar_vm_job_done          (HangarVmJob          *job,
                                            virDomainPtr          dom);

G_END_DECLS
