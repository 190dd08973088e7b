/* hangar-os-download-pool.c — a downloaded OS image into a storage pool.
 *
 * The file goes up through virStorageVolUpload, which works the same on
 * the local host and on a remote one: a new raw volume of the file's size,
 * then the bytes on a libvirt stream. The pool's free space is checked
 * before anything is made; a failure or a cancel deletes the volume.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "hangar-connection-job.h"
#include "hangar-gconfig.h"
#include "hangar-os-download-pool.h"

#define BLOCK_SIZE (256 * 1024)

typedef struct
{
  char *pool_name;
  char *path;
  char *volume_name;
  HangarUploadProgressFunc progress;
  gpointer progress_data;
  GMainContext *context;
} Upload;

typedef struct
{
  HangarUploadProgressFunc progress;
  gpointer progress_data;
  guint64 sent;
  guint64 total;
} Report;

static void
upload_free (Upload *upload)
{
  g_free (upload->pool_name);
  g_free (upload->path);
  g_free (upload->volume_name);
  g_clear_pointer (&upload->context, g_main_context_unref);
  g_free (upload);
}

static gboolean
report_progress (gpointer data)
{
  Report *report = data;

  report->progress (report->sent, report->total, report->progress_data);
  return G_SOURCE_REMOVE;
}

static void
queue_report (Upload  *upload,
              guint64  sent,
              guint64  total)
{
  Report *report;

  if (upload->progress == NULL)
    return;
  report = g_new0 (Report, 1);
  report->progress = upload->progress;
  report->progress_data = upload->progress_data;
  report->sent = sent;
  report->total = total;
  g_main_context_invoke_full (upload->context, G_PRIORITY_DEFAULT, report_progress,
                              report, g_free);
}

static char *
volume_xml (const char *name,
            guint64     size)
{
  GVirConfigStorageVol *vol = gvir_config_storage_vol_new ();
  GVirConfigStorageVolTarget *target = gvir_config_storage_vol_target_new ();
  char *xml;

  gvir_config_storage_vol_set_name (vol, name);
  gvir_config_storage_vol_set_capacity (vol, size);
  gvir_config_storage_vol_set_allocation (vol, 0);
  gvir_config_storage_vol_target_set_format (target, "raw");
  gvir_config_storage_vol_set_target (vol, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (vol));
  g_object_unref (target);
  g_object_unref (vol);
  return xml;
}

static void
upload_job (GTask         *task,
            virConnectPtr  conn,
            gpointer       task_data,
            GCancellable  *cancellable)
{
  Upload *upload = task_data;
  const char *pool_name = upload->pool_name != NULL ? upload->pool_name : "default";
  g_autofree guint8 *buffer = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *vol_path = NULL;
  virStoragePoolPtr pool = NULL;
  virStorageVolPtr vol = NULL;
  virStreamPtr stream = NULL;
  virStoragePoolInfo info;
  GError *error = NULL;
  GStatBuf st;
  guint64 sent = 0;
  gint64 last_report = 0;
  int fd = -1;

  if (g_stat (upload->path, &st) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not read “%s”: %s"), upload->path, g_strerror (saved));
      return;
    }

  pool = virStoragePoolLookupByName (conn, pool_name);
  if (pool == NULL)
    {
      virResetLastError ();
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The host has no storage pool “%s”."), pool_name);
      return;
    }

  virStoragePoolRefresh (pool, 0);
  virResetLastError ();
  if (virStoragePoolGetInfo (pool, &info) < 0)
    {
      error = hangar_libvirt_error_new (_("Could not read the storage pool"));
      goto out;
    }
  if (info.available < (guint64) st.st_size)
    {
      g_autofree char *free_text = g_format_size (info.available);
      g_autofree char *need_text = g_format_size (st.st_size);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("The storage pool “%s” has %s free; the image needs %s. "
                     "Free some space or choose another pool."),
                   pool_name, free_text, need_text);
      goto out;
    }
  vol = virStorageVolLookupByName (pool, upload->volume_name);
  virResetLastError ();
  if (vol != NULL)
    {
      virStorageVolFree (vol);
      vol = NULL;
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("The storage pool “%s” already has a volume named “%s”."),
                   pool_name, upload->volume_name);
      goto out;
    }

  fd = g_open (upload->path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not read “%s”: %s"), upload->path, g_strerror (saved));
      goto out;
    }

  xml = volume_xml (upload->volume_name, st.st_size);
  vol = virStorageVolCreateXML (pool, xml, 0);
  if (vol == NULL)
    {
      error = hangar_libvirt_error_new (_("Could not make the volume"));
      goto out;
    }
  stream = virStreamNew (conn, 0);
  if (stream == NULL || virStorageVolUpload (vol, stream, 0, st.st_size, 0) < 0)
    {
      error = hangar_libvirt_error_new (_("Could not upload the image"));
      goto out;
    }

  buffer = g_malloc (BLOCK_SIZE);
  queue_report (upload, 0, st.st_size);
  for (;;)
    {
      gssize n = read (fd, buffer, BLOCK_SIZE);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not read “%s”: %s"), upload->path, g_strerror (saved));
          goto out;
        }
      if (n == 0)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        goto out;
      for (gssize done = 0; done < n;)
        {
          int r = virStreamSend (stream, (const char *) buffer + done, n - done);

          if (r < 0)
            {
              error = hangar_libvirt_error_new (_("Could not upload the image"));
              goto out;
            }
          done += r;
        }
      sent += n;
      if (g_get_monotonic_time () - last_report > G_USEC_PER_SEC / 5)
        {
          last_report = g_get_monotonic_time ();
          queue_report (upload, sent, st.st_size);
        }
    }
  if (virStreamFinish (stream) < 0)
    {
      error = hangar_libvirt_error_new (_("Could not upload the image"));
      goto out;
    }
  virStreamFree (stream);
  stream = NULL;
  queue_report (upload, sent, st.st_size);
  vol_path = virStorageVolGetPath (vol);

out:
  if (fd >= 0)
    close (fd);
  if (stream != NULL)
    {
      virStreamAbort (stream);
      virStreamFree (stream);
    }
  if (error != NULL && vol != NULL)
    {
      /* Nothing half-made is left behind. */
      virStorageVolDelete (vol, 0);
      virResetLastError ();
    }
  if (vol != NULL)
    virStorageVolFree (vol);
  virStoragePoolFree (pool);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&vol_path), g_free);
}

/**
 * hangar_os_download_upload_async:
 * @pool_name: (nullable): the pool, or %NULL for "default"
 * @path: the downloaded file, on this computer
 * @volume_name: the new volume's name, such as the file's
 * @progress: (nullable): told the bytes sent, on the caller's context
 *
 * Copies @path into a new volume of the connection's pool.
 */
void
hangar_os_download_upload_async (HangarConnection         *connection,
                                 const char               *pool_name,
                                 const char               *path,
                                 const char               *volume_name,
                                 GCancellable             *cancellable,
                                 HangarUploadProgressFunc  progress,
                                 gpointer                  progress_data,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  Upload *upload;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (path != NULL);
  g_return_if_fail (volume_name != NULL);

  upload = g_new0 (Upload, 1);
  upload->pool_name = g_strdup (pool_name);
  upload->path = g_strdup (path);
  upload->volume_name = g_strdup (volume_name);
  upload->progress = progress;
  upload->progress_data = progress_data;
  upload->context = g_main_context_ref_thread_default ();

  task = g_task_new (connection, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_os_download_upload_async);
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);
  hangar_connection_run_job (connection, task, upload_job);
}

/**
 * hangar_os_download_upload_finish:
 *
 * Returns: (transfer full): the new volume's path on the host
 */
char *
hangar_os_download_upload_finish (HangarConnection  *connection,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
