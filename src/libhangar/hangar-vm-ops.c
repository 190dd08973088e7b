/* hangar-vm-ops.c — lifecycle operations and deletion, run off the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>
#include "hangar-gconfig.h"

#include "hangar-connection-job.h"
#include "hangar-disk-users.h"
#include "hangar-vm-job-private.h"
#include "hangar-vm-private.h"

/**
 * hangar_vm_op_describe:
 *
 * Returns: a format with one %s, the machine's name, saying @op failed:
 *   “Could not start “%s””
 */
const char *
hangar_vm_op_describe (HangarVmOp op)
{
  /* Translators: in all of these, %s is a virtual machine's name */
  switch (op)
    {
    case HANGAR_VM_OP_START:
      return _("Could not start “%s”");
    case HANGAR_VM_OP_PAUSE:
      return _("Could not pause “%s”");
    case HANGAR_VM_OP_RESUME:
      return _("Could not resume “%s”");
    case HANGAR_VM_OP_SHUTDOWN:
      return _("Could not shut down “%s”");
    case HANGAR_VM_OP_REBOOT:
      return _("Could not reboot “%s”");
    case HANGAR_VM_OP_RESET:
      return _("Could not reset “%s”");
    case HANGAR_VM_OP_FORCE_OFF:
      return _("Could not force “%s” off");
    case HANGAR_VM_OP_SAVE:
      return _("Could not save “%s”");
    default:
      return _("Could not change “%s”");
    }
}

/* What a worker needs besides the connection and UUID. */
typedef struct
{
  HangarVmJob     base;
  HangarVmOp      op;
  char          **paths;
  gboolean        local;
} OpData;

static void
op_data_free (OpData *data)
{
  _hangar_vm_job_clear (&data->base);
  g_strfreev (data->paths);
  g_free (data);
}

static void
run_op_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OpData *data = task_data;
  HangarVmOp op = data->op;
  GError *error = NULL;
  virDomainPtr dom;
  int ret = -1;

  if ((dom = _hangar_vm_job_lookup_domain (&data->base, &error)) == NULL)
    {
      _hangar_vm_job_done (&data->base, NULL);
      g_task_return_error (task, error);
      return;
    }

  switch (op)
    {
    case HANGAR_VM_OP_START:
      ret = virDomainCreate (dom);
      break;
    case HANGAR_VM_OP_PAUSE:
      ret = virDomainSuspend (dom);
      break;
    case HANGAR_VM_OP_RESUME:
      {
        int state = VIR_DOMAIN_NOSTATE;

        /* A guest suspended to RAM is woken up; virDomainResume only
         * continues a paused one, and refuses this. */
        if (virDomainGetState (dom, &state, NULL, 0) == 0 && state == VIR_DOMAIN_PMSUSPENDED)
          ret = virDomainPMWakeup (dom, 0);
        else
          ret = virDomainResume (dom);
      }
      break;
    case HANGAR_VM_OP_SHUTDOWN:
      ret = virDomainShutdown (dom);
      break;
    case HANGAR_VM_OP_REBOOT:
      ret = virDomainReboot (dom, 0);
      break;
    case HANGAR_VM_OP_RESET:
      ret = virDomainReset (dom, 0);
      break;
    case HANGAR_VM_OP_FORCE_OFF:
      ret = virDomainDestroy (dom);
      break;
    case HANGAR_VM_OP_SAVE:
      ret = virDomainManagedSave (dom, 0);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ret < 0)
    error = hangar_libvirt_error_new (_("libvirt refused"));
  _hangar_vm_job_done (&data->base, dom);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * hangar_vm_run_op_async:
 *
 * Runs one lifecycle operation in a worker thread. The new state arrives
 * through the connection's domain events, not through the result.
 */
void
hangar_vm_run_op_async (HangarVm            *self,
                        HangarVmOp           op,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  OpData *data;

  g_return_if_fail (HANGAR_IS_VM (self));

  data = g_new0 (OpData, 1);
  data->op = op;
  _hangar_vm_job_run (self, &data->base, (GDestroyNotify) op_data_free, cancellable, callback,
                      user_data, hangar_vm_run_op_async, run_op_thread);
}

gboolean
hangar_vm_run_op_finish (HangarVm      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
disk_path (GVirConfigDomainDisk *disk,
           virConnectPtr         conn,
           gboolean             *in_pool,
           gboolean             *block)
{
  GVirConfigDomainDiskType type = gvir_config_domain_disk_get_disk_type (disk);
  const char *source = gvir_config_domain_disk_get_source (disk);
  virStorageVolPtr vol;
  virStorageVolInfo info;
  char *path = NULL;

  *in_pool = FALSE;
  *block = type == GVIR_CONFIG_DOMAIN_DISK_BLOCK;
  if (source == NULL)
    return NULL;

  /* Network disks and <source pool= volume=> have no path to offer here. */
  if (type != GVIR_CONFIG_DOMAIN_DISK_FILE && type != GVIR_CONFIG_DOMAIN_DISK_BLOCK)
    return NULL;

  path = g_strdup (source);
  vol = virStorageVolLookupByPath (conn, path);
  if (vol != NULL)
    {
      *in_pool = TRUE;
      /* A logical volume may be attached as a file path too. */
      if (virStorageVolGetInfo (vol, &info) == 0 && info.type == VIR_STORAGE_VOL_BLOCK)
        *block = TRUE;
      virStorageVolFree (vol);
    }
  virResetLastError ();
  return path;
}

/* Read on the main thread: the worker must not touch the object. */
static gboolean
is_local (HangarVm *vm)
{
  HangarConnection *connection = hangar_vm_get_connection (vm);

  return connection != NULL && hangar_connection_is_local (connection);
}

static void
list_disks_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  OpData *data = task_data;
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(HangarDiskUsers) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  virDomainPtr dom;
  GList *devices;

  if ((dom = _hangar_vm_job_lookup_domain (&data->base, &error)) == NULL)
    {
      _hangar_vm_job_done (&data->base, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  if (xml == NULL)
    {
      error = hangar_libvirt_error_new (_("Could not read the machine’s definition"));
      _hangar_vm_job_done (&data->base, dom);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  config = gvir_config_domain_new_from_xml (xml, &error);
  if (config == NULL)
    {
      _hangar_vm_job_done (&data->base, dom);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  disks = g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_disk_info_free);
  devices = gvir_config_domain_get_devices (config);
  for (GList *l = devices; l != NULL; l = l->next)
    {
      GVirConfigDomainDisk *disk;
      HangarDiskInfo *info;
      GVirConfigDomainDiskGuestDeviceType device;
      g_autofree char *disk_xml = NULL;

      if (!GVIR_CONFIG_IS_DOMAIN_DISK (l->data))
        continue;
      disk = l->data;

      info = g_new0 (HangarDiskInfo, 1);
      info->target = g_strdup (gvir_config_domain_disk_get_target_dev (disk));
      device = gvir_config_domain_disk_get_guest_device_type (disk);
      info->device = g_strdup (device == GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_CDROM ? "cdrom"
                               : device == GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_FLOPPY ? "floppy"
                               : "disk");
      info->path = disk_path (disk, data->base.conn, &info->in_pool, &info->block);
      /* gconfig has setters but no getters for these two flags; libvirt
       * writes them as empty elements in its normalised XML. */
      disk_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (disk));
      info->readonly = strstr (disk_xml, "<readonly/>") != NULL
                       || device == GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_CDROM;
      info->shareable = strstr (disk_xml, "<shareable/>") != NULL;
      if (info->path == NULL)
        {
          hangar_disk_info_free (info);
          continue;
        }
      g_ptr_array_add (disks, info);
    }
  g_list_free_full (devices, g_object_unref);

  /* <shareable/> is not the only sign of a disk another machine needs:
   * look at what every other machine uses. */
  users = _hangar_disk_users_read (data->base.conn, data->base.uuid, data->local, &error);
  _hangar_vm_job_done (&data->base, dom);
  if (users == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < disks->len; i++)
    {
      HangarDiskInfo *info = g_ptr_array_index (disks, i);

      info->used_by = _hangar_disk_users_lookup (users, info->path);
    }

  g_task_return_pointer (task, g_steal_pointer (&disks), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * hangar_vm_list_disks_async:
 *
 * Lists the machine's disks (with a source), for the delete dialog.
 */
void
hangar_vm_list_disks_async (HangarVm            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  OpData *data;

  g_return_if_fail (HANGAR_IS_VM (self));

  data = g_new0 (OpData, 1);
  data->local = is_local (self);
  _hangar_vm_job_run (self, &data->base, (GDestroyNotify) op_data_free, cancellable, callback,
                      user_data, hangar_vm_list_disks_async, list_disks_thread);
}

/**
 * hangar_vm_list_disks_finish:
 *
 * Returns: (transfer full) (element-type HangarDiskInfo): the disks
 */
GPtrArray *
hangar_vm_list_disks_finish (HangarVm      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OpData *data = task_data;
  virConnectPtr conn = data->base.conn;
  g_autoptr(GString) failed = g_string_new (NULL);
  GError *error = NULL;
  g_autoptr(HangarDiskUsers) users = NULL;
  g_autoptr(GError) users_error = NULL;
  virDomainPtr dom;
  const unsigned int flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                             | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
                             | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA
                             | VIR_DOMAIN_UNDEFINE_NVRAM;

  if ((dom = _hangar_vm_job_lookup_domain (&data->base, &error)) == NULL)
    {
      _hangar_vm_job_done (&data->base, NULL);
      g_task_return_error (task, error);
      return;
    }

  if (virDomainIsActive (dom) == 1)
    {
      _hangar_vm_job_done (&data->base, dom);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("The machine is running. Force it off before deleting it."));
      return;
    }

  /* The definition goes first: if that fails, no data has been touched. */
  if (virDomainUndefineFlags (dom, flags) < 0)
    {
      virErrorPtr err = virGetLastError ();

      /* Drivers that do not know some of the flags refuse them all. */
      if ((err != NULL && (err->code == VIR_ERR_NO_SUPPORT || err->code == VIR_ERR_INVALID_ARG)
           && virDomainUndefine (dom) == 0) == FALSE)
        {
          error = hangar_libvirt_error_new (_("Could not delete the machine"));
          _hangar_vm_job_done (&data->base, dom);
          g_task_return_error (task, error);
          return;
        }
    }
  virDomainFree (g_steal_pointer (&dom));

  /* Checked again now, whatever the dialog showed: another machine may
   * have taken the disk since, or the caller chose it anyway. */
  if (data->paths != NULL && data->paths[0] != NULL)
    users = _hangar_disk_users_read (conn, data->base.uuid, data->local, &users_error);

  for (guint i = 0; data->paths && data->paths[i]; i++)
    {
      const char *path = data->paths[i];
      g_auto(GStrv) used_by = NULL;
      virStorageVolPtr vol;

      if (users == NULL)
        {
          /* Translators: the first %s is a disk's path, the second why */
          g_string_append_printf (failed, _("%s: Hangar could not check which machines use it "
                                            "(%s)"), path, users_error->message);
          g_string_append_c (failed, '\n');
          continue;
        }
      if ((used_by = _hangar_disk_users_lookup (users, path)) != NULL)
        {
          g_autofree char *names = g_strjoinv (", ", used_by);

          /* Translators: the first %s is a disk's path, the second machine names */
          g_string_append_printf (failed, _("%s: used by %s"), path, names);
          g_string_append_c (failed, '\n');
          continue;
        }

      vol = virStorageVolLookupByPath (conn, path);

      if (vol != NULL)
        {
          if (virStorageVolDelete (vol, 0) < 0)
            {
              virErrorPtr err = virGetLastError ();
              g_string_append_printf (failed, "%s: %s\n", path,
                                      err && err->message ? err->message : "");
            }
          virStorageVolFree (vol);
          continue;
        }
      virResetLastError ();

      if (data->local)
        {
          if (g_unlink (path) != 0 && errno != ENOENT)
            g_string_append_printf (failed, "%s: %s\n", path, g_strerror (errno));
        }
      else
        {
          /* Translators: %s is a disk's path on a remote host */
          g_string_append_printf (failed, _("%s: not in a storage pool on the remote host, so "
                                            "Hangar cannot delete it"), path);
          g_string_append_c (failed, '\n');
        }
    }
  _hangar_vm_job_done (&data->base, NULL);

  if (failed->len > 0)
    {
      guint n = 0;

      for (const char *c = failed->str; *c; c++)
        n += *c == '\n';
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The machine was deleted, but this file was kept:\n%s",
                                            "The machine was deleted, but these files were kept:\n%s",
                                            n),
                               failed->str);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * hangar_vm_delete_async:
 * @storage_paths: (nullable) (array zero-terminated=1): disks to delete too
 *
 * Removes the machine's definition (with its saved state, snapshot
 * metadata and UEFI variables), then the chosen disks: through the storage
 * pool API when libvirt knows them as volumes, from the file system for a
 * local connection otherwise. A running machine is refused. A disk that
 * another machine still uses (directly or under its backing chain) is
 * kept, and the error says so.
 */
void
hangar_vm_delete_async (HangarVm            *self,
                        const char * const  *storage_paths,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  OpData *data;

  g_return_if_fail (HANGAR_IS_VM (self));

  data = g_new0 (OpData, 1);
  data->paths = g_strdupv ((char **) storage_paths);
  data->local = is_local (self);
  _hangar_vm_job_run (self, &data->base, (GDestroyNotify) op_data_free, cancellable, callback,
                      user_data, hangar_vm_delete_async, delete_thread);
}

gboolean
hangar_vm_delete_finish (HangarVm      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
