/* hangar-vm-job.c — a connection job on one machine, found by its UUID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection-job.h"
#include "hangar-vm-job-private.h"

static void
vm_job_thread (GTask         *task,
               virConnectPtr  conn,
               gpointer       task_data,
               GCancellable  *cancellable)
{
  HangarVmJob *job = task_data;

  job->conn = conn;
  job->thread_func (task, g_task_get_source_object (task), task_data, cancellable);
  /* The runner gives the reference back. */
  job->conn = NULL;
}

/**
 * _hangar_vm_job_start:
 * @task: a task on @vm whose task data is the job that starts with @job
 *
 * Runs @thread_func in a worker with the task's data, through the
 * connection's job runner. Call on the main thread.
 *
 * Returns: %TRUE when started; %FALSE when @vm has no usable connection,
 *   which @task reports
 */
gboolean
_hangar_vm_job_start (HangarVm        *vm,
                      GTask           *task,
                      HangarVmJob     *job,
                      GTaskThreadFunc  thread_func)
{
  HangarConnection *connection = hangar_vm_get_connection (vm);

  g_assert (g_task_get_task_data (task) == job);
  g_assert (job->conn == NULL);

  if (connection == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               _("The connection is gone."));
      return FALSE;
    }
  job->uuid = g_strdup (hangar_vm_get_uuid (vm));
  job->thread_func = thread_func;
  return hangar_connection_run_job (connection, task, vm_job_thread);
}

/**
 * _hangar_vm_job_run:
 * @job: (transfer full): the first member of a filled-in job
 * @job_free: frees the whole job; it calls _hangar_vm_job_clear()
 *
 * Runs @thread_func in a worker with @job as task data, or, when @vm has
 * no usable connection, returns that error through @callback.
 */
void
_hangar_vm_job_run (HangarVm            *vm,
                    HangarVmJob         *job,
                    GDestroyNotify       job_free,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag,
                    GTaskThreadFunc      thread_func)
{
  g_autoptr(GTask) task = g_task_new (vm, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, job_free);
  _hangar_vm_job_start (vm, task, job, thread_func);
}

/**
 * _hangar_vm_job_clear:
 *
 * Frees what HangarVmJob holds, for the job's free function.
 */
void
_hangar_vm_job_clear (HangarVmJob *job)
{
  g_assert (job->conn == NULL);
  g_clear_pointer (&job->uuid, g_free);
}

/**
 * _hangar_vm_job_lookup_domain:
 *
 * Finds the job's machine. Call in the worker thread.
 *
 * Returns: (transfer full) (nullable): the domain, or %NULL with @error set
 */
virDomainPtr
_hangar_vm_job_lookup_domain (HangarVmJob  *job,
                              GError      **error)
{
  virDomainPtr dom = virDomainLookupByUUIDString (job->conn, job->uuid);

  if (dom == NULL)
    g_propagate_error (error, hangar_libvirt_error_new (_("The machine is no longer there")));
  return dom;
}

/**
 * _hangar_vm_job_done:
 * @dom: (nullable) (transfer full): the domain, freed here
 *
 * Says the worker needs libvirt no more: the handle is no longer the
 * job's to use. Call in the worker thread.
 */
void
_hangar_vm_job_done (HangarVmJob  *job,
                     virDomainPtr  dom)
{
  if (dom != NULL)
    virDomainFree (dom);
  job->conn = NULL;
}
