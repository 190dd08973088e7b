/* hangar-vm-job.c — the connection reference and UUID a machine's worker job carries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/parser.h>

#include "hangar-connection-private.h"
#include "hangar-vm-job-private.h"

/**
 * _hangar_vm_job_init:
 *
 * Gives @job a reference to @vm's connection and @vm's UUID. Call on the
 * main thread.
 *
 * Returns: %FALSE with @error set when @vm has no usable connection
 */
gboolean
_hangar_vm_job_init (HangarVmJob  *job,
                     HangarVm     *vm,
                     GError      **error)
{
  HangarConnection *connection = hangar_vm_get_connection (vm);

  g_assert (job->conn == NULL);

  if (connection == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The connection is gone."));
      return FALSE;
    }
  if ((job->conn = _hangar_connection_dup_handle (connection, error)) == NULL)
    return FALSE;

  /* libxml2 wants its first initialisation on one thread, before workers
   * (libvirt-gconfig parses with it too). */
  xmlInitParser ();

  job->uuid = g_strdup (hangar_vm_get_uuid (vm));
  return TRUE;
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
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, job_free);
  if (!_hangar_vm_job_init (job, vm, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, thread_func);
}

/**
 * _hangar_vm_job_clear:
 *
 * Frees what HangarVmJob holds, for the job's free function. The
 * connection reference is normally given back by the worker already.
 */
void
_hangar_vm_job_clear (HangarVmJob *job)
{
  _hangar_handle_release (g_steal_pointer (&job->conn));
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
    g_propagate_error (error, _hangar_libvirt_error (_("The machine is no longer there")));
  return dom;
}

/**
 * _hangar_vm_job_done:
 * @dom: (nullable) (transfer full): the domain, freed here
 *
 * Gives the connection reference back. Call in the worker thread, once it
 * needs libvirt no more: the last reference may close the connection.
 */
void
_hangar_vm_job_done (HangarVmJob  *job,
                     virDomainPtr  dom)
{
  if (dom != NULL)
    virDomainFree (dom);
  g_clear_pointer (&job->conn, virConnectClose);
}
