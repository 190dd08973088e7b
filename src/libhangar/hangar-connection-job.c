/* hangar-connection-job.c — libvirt work on a connection, in a worker thread.
 *
 * One way for every caller outside the connection to reach libvirt: the
 * job takes its own reference to the handle on the main thread, runs in a
 * GTask worker and gives the reference back in that worker (the last one
 * may close the connection, which is an RPC). GTask calls back only after
 * the worker function has returned, so the reference is gone by the time
 * the caller hears the result, on the main context it started the job on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>

#include "hangar-connection-job.h"
#include "hangar-connection-private.h"

/* --- jobs ------------------------------------------------------------------ */

typedef struct
{
  HangarConnectionJobFunc  func;
  virConnectPtr            conn;
} JobHandle;

static void
job_handle_free (JobHandle *handle)
{
  /* Only when the worker never ran: it takes the handle. */
  _hangar_handle_release (g_steal_pointer (&handle->conn));
  g_free (handle);
}

static G_DEFINE_QUARK (hangar-connection-job, job_handle)

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  JobHandle *handle = g_object_get_qdata (G_OBJECT (task), job_handle_quark ());
  virConnectPtr conn = g_steal_pointer (&handle->conn);

  handle->func (task, conn, task_data, cancellable);
  /* In this thread, before GTask calls back: the last reference may close
   * the connection. */
  virConnectClose (conn);
}

/**
 * hangar_connection_run_job:
 * @task: a task made on this thread, with the job's data as task data and
 *   the caller's cancellable, callback and source tag
 * @func: the work, run in a worker thread with a handle of its own
 *
 * Runs @func in a worker; it returns its result through @task, which
 * calls back on the main context @task was made on. Call on the main
 * thread. The job's handle is taken now: a job started before a
 * disconnection still talks to the host it was started for (or fails
 * there), never to the next one. A cancelled @task reports
 * %G_IO_ERROR_CANCELLED whatever @func returns (GTask's rule); @func sees
 * the cancellable and decides what it can stop safely.
 *
 * Returns: %TRUE when the job was started; %FALSE when @self is not
 *   connected, which @task reports
 */
gboolean
hangar_connection_run_job (HangarConnection        *self,
                           GTask                   *task,
                           HangarConnectionJobFunc  func)
{
  GError *error = NULL;
  JobHandle *handle;
  virConnectPtr conn;

  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (G_IS_TASK (task), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  _hangar_connection_assert_main_thread (self);

  if ((conn = _hangar_connection_dup_handle (self, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return FALSE;
    }

  /* libxml2 wants its first initialisation on one thread, before workers
   * (libvirt-gconfig parses with it too). */
  xmlInitParser ();

  handle = g_new0 (JobHandle, 1);
  handle->func = func;
  handle->conn = conn;
  g_object_set_qdata_full (G_OBJECT (task), job_handle_quark (), handle,
                           (GDestroyNotify) job_handle_free);
  g_task_run_in_thread (task, job_thread);
  return TRUE;
}

/**
 * hangar_libvirt_error_new:
 * @what: what was being done, for people: “Could not start the machine”
 *
 * Turns libvirt's last error of this thread into a GError and resets it.
 *
 * Returns: (transfer full): the error, in %HANGAR_LIBVIRT_ERROR
 */
GError *
hangar_libvirt_error_new (const char *what)
{
  return _hangar_libvirt_error (what);
}

/**
 * hangar_connection_dup_handle:
 *
 * A reference to the libvirt handle for an object that keeps it beyond one
 * job (a serial console's stream). Give it back with
 * hangar_connection_release_handle(). Jobs use hangar_connection_run_job().
 *
 * Returns: (transfer full) (nullable): the handle, or %NULL with @error set
 *   when not connected
 */
virConnectPtr
hangar_connection_dup_handle (HangarConnection  *self,
                              GError           **error)
{
  return _hangar_connection_dup_handle (self, error);
}

/**
 * hangar_connection_release_handle:
 * @conn: (nullable) (transfer full): a handle from hangar_connection_dup_handle()
 *
 * Gives the reference back from a thread of its own: on the main thread,
 * where the last reference must not close the connection there.
 */
void
hangar_connection_release_handle (virConnectPtr conn)
{
  _hangar_handle_release (conn);
}

/* --- the host's capabilities ------------------------------------------------- */

struct _HangarConnectionCapsRead
{
  guint           generation;
  gboolean        local;
  GPtrArray      *waiters;   /* GTasks */
};

typedef struct
{
  HangarHostCaps *caps;   /* NULL when @xml could not be parsed */
  char           *xml;
  GError         *error;  /* why @caps is NULL */
} CapsResult;

static void
caps_result_free (CapsResult *result)
{
  g_clear_pointer (&result->caps, hangar_host_caps_free);
  g_free (result->xml);
  g_clear_error (&result->error);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapsResult, caps_result_free)

static void
caps_read_free (HangarConnectionCapsRead *read)
{
  g_ptr_array_unref (read->waiters);
  g_free (read);
}

static GError *
caps_error (const char *what)
{
  virErrorPtr err = virGetLastError ();
  GError *error = g_error_new (HANGAR_LIBVIRT_ERROR, err ? err->code : VIR_ERR_INTERNAL_ERROR,
                               "%s: %s", what,
                               err && err->message ? err->message : _("unknown error"));

  virResetLastError ();
  return error;
}

static void
caps_thread (GTask         *task,
             virConnectPtr  conn,
             gpointer       task_data,
             GCancellable  *cancellable)
{
  HangarConnectionCapsRead *read = task_data;
  g_autoptr(CapsResult) result = g_new0 (CapsResult, 1);
  GError *error = NULL;
  char *xml;

  result->caps = hangar_host_caps_new ();
  if ((xml = virConnectGetCapabilities (conn)) == NULL)
    {
      g_task_return_error (task, caps_error (_("The host’s capabilities could not be read")));
      return;
    }
  result->xml = g_strdup (xml);
  free (xml);
  /* The XML still answers those who read it themselves (the host page). */
  if (!hangar_host_caps_parse (result->caps, result->xml, &error))
    {
      g_clear_pointer (&result->caps, hangar_host_caps_free);
      result->error = error;
      g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) caps_result_free);
      return;
    }

  /* Firmware, TPM and Hyper-V; older hosts do not answer, then the files
   * tell for a local one. Asked for the machine type the builder picks:
   * the default one on x86 (pc) cannot do Secure Boot, so libvirt says
   * "no" for it even where OVMF's Secure Boot build is installed. */
  xml = virConnectGetDomainCapabilities (conn, NULL, result->caps->arch,
                                         hangar_host_caps_has_machine (result->caps, "q35")
                                         ? "q35" : NULL,
                                         result->caps->has_kvm ? "kvm" : "qemu", 0);
  if (xml == NULL || !hangar_host_caps_parse_domain_caps (result->caps, xml, NULL))
    {
      virResetLastError ();
      if (read->local)
        hangar_host_caps_probe_files (result->caps, "/");
    }
  free (xml);
  /* QEMU's version: whether it has its own clipboard agent for VNC. */
  {
    unsigned long version = 0;

    if (virConnectGetVersion (conn, &version) < 0)
      virResetLastError ();
    else
      hangar_host_caps_set_hypervisor_version (result->caps, version);
  }
  /* The driver ISO is not in the domain capabilities. */
  if (read->local && g_file_test ("/usr/share/virtio-win/virtio-win.iso", G_FILE_TEST_EXISTS))
    {
      g_free (result->caps->virtio_win_iso);
      result->caps->virtio_win_iso = g_strdup ("/usr/share/virtio-win/virtio-win.iso");
    }
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) caps_result_free);
}

static CapsResult *
caps_result_copy (HangarHostCaps *caps,
                  const char     *xml,
                  const GError   *error)
{
  CapsResult *copy = g_new0 (CapsResult, 1);

  copy->caps = caps ? hangar_host_caps_copy (caps) : NULL;
  copy->xml = g_strdup (xml);
  copy->error = error ? g_error_copy (error) : NULL;
  return copy;
}

static void
on_caps_read (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  HangarConnection *self = HANGAR_CONNECTION (object);
  HangarConnectionCapsRead *read = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  g_autoptr(CapsResult) result = g_task_propagate_pointer (G_TASK (res), &error);

  if (self->caps_read == read)
    self->caps_read = NULL;
  /* Kept only for the handle it was read on. */
  if (result != NULL && result->caps != NULL && read->generation == self->generation
      && self->caps == NULL)
    {
      self->caps = hangar_host_caps_copy (result->caps);
      self->caps_xml = g_strdup (result->xml);
    }
  for (guint i = 0; i < read->waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (read->waiters, i);

      if (result != NULL)
        g_task_return_pointer (waiter, caps_result_copy (result->caps, result->xml, result->error),
                               (GDestroyNotify) caps_result_free);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }
}

/**
 * hangar_connection_get_caps_async:
 *
 * What the host can run: libvirt's capabilities, with the domain
 * capabilities of the machine type Hangar's builder picks. Read in a worker
 * once per open connection; a reconnection reads them again.
 */
void
hangar_connection_get_caps_async (HangarConnection    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) read_task = NULL;
  HangarConnectionCapsRead *read;

  g_return_if_fail (HANGAR_IS_CONNECTION (self));
  _hangar_connection_assert_main_thread (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_connection_get_caps_async);
  if (self->caps != NULL)
    {
      g_task_return_pointer (task, caps_result_copy (self->caps, self->caps_xml, NULL),
                             (GDestroyNotify) caps_result_free);
      return;
    }
  if (self->caps_read != NULL)
    {
      g_ptr_array_add (self->caps_read->waiters, g_steal_pointer (&task));
      return;
    }

  read = g_new0 (HangarConnectionCapsRead, 1);
  read->generation = self->generation;
  read->local = hangar_connection_is_local (self);
  read->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (read->waiters, g_steal_pointer (&task));
  read_task = g_task_new (self, NULL, on_caps_read, NULL);
  g_task_set_source_tag (read_task, caps_thread);
  g_task_set_task_data (read_task, read, (GDestroyNotify) caps_read_free);
  if (hangar_connection_run_job (self, read_task, caps_thread))
    self->caps_read = read;
}

/**
 * hangar_connection_get_caps_finish:
 * @xml: (out) (optional) (transfer full): libvirt's capabilities XML; set
 *   whenever libvirt gave it, even when it could not be parsed
 *
 * Returns: (transfer full): the host's capabilities, or %NULL with @error set
 */
HangarHostCaps *
hangar_connection_get_caps_finish (HangarConnection  *self,
                                   GAsyncResult      *result,
                                   char             **xml,
                                   GError           **error)
{
  g_autoptr(CapsResult) caps = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (xml != NULL)
    *xml = NULL;
  if ((caps = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return NULL;
  if (xml != NULL)
    *xml = g_steal_pointer (&caps->xml);
  if (caps->error != NULL)
    g_propagate_error (error, g_steal_pointer (&caps->error));
  return g_steal_pointer (&caps->caps);
}

/* Forgets the capabilities with the handle they were read on; a read in
 * flight still answers those waiting for it. */
void
_hangar_connection_caps_clear (HangarConnection *self)
{
  self->caps_read = NULL;
  g_clear_pointer (&self->caps, hangar_host_caps_free);
  g_clear_pointer (&self->caps_xml, g_free);
}
