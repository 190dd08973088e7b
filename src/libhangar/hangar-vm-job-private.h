/* hangar-vm-job-private.h — what every worker job on one machine starts and ends with.
 *
 * A job embeds HangarVmJob as its first member. The caller fills the rest
 * in and hands it to _hangar_vm_job_run(), which takes a reference to the
 * machine's connection and its UUID on the main thread. The worker finds
 * the domain with _hangar_vm_job_lookup_domain() and gives the reference
 * back with _hangar_vm_job_done() in its own thread, because the last
 * reference may close the connection, which is an RPC.
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
  virConnectPtr  conn;
  char          *uuid;
} HangarVmJob;

gboolean      _hangar_vm_job_init          (HangarVmJob          *job,
                                            HangarVm             *vm,
                                            GError              **error);
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
