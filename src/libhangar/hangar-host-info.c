/* hangar-host-info.c — what the new-machine wizard needs to know about a host.
 *
 * Read in one worker thread when the wizard picks a connection: memory and
 * CPUs for the limits, the machine names for a unique name, pools for the
 * disk, networks; with the capabilities for the builder, which the
 * connection reads once for everyone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "hangar-connection-job.h"
#include "hangar-disk-users.h"
#include "hangar-host-info.h"

void
hangar_pool_info_free (HangarPoolInfo *pool)
{
  if (pool == NULL)
    return;
  g_free (pool->name);
  g_free (pool->path);
  g_free (pool);
}

void
hangar_host_info_free (HangarHostInfo *info)
{
  if (info == NULL)
    return;
  hangar_host_caps_free (info->caps);
  g_strfreev (info->domain_names);
  g_clear_pointer (&info->pools, g_ptr_array_unref);
  g_strfreev (info->networks);
  g_free (info);
}

HangarPoolInfo *
hangar_host_info_find_pool (HangarHostInfo *info,
                            const char     *name)
{
  g_return_val_if_fail (info != NULL, NULL);

  for (guint i = 0; info->pools != NULL && i < info->pools->len; i++)
    {
      HangarPoolInfo *pool = g_ptr_array_index (info->pools, i);

      if (g_strcmp0 (pool->name, name) == 0)
        return pool;
    }
  return NULL;
}

/**
 * hangar_host_info_default_pool_path:
 *
 * Where the default pool goes when the host has none: libvirt's own place
 * for system connections, the user's data directory for session ones.
 *
 * Returns: (transfer full): the directory
 */
char *
hangar_host_info_default_pool_path (HangarConnectionKind kind)
{
  if (kind == HANGAR_CONNECTION_KIND_SESSION)
    return g_build_filename (g_get_user_data_dir (), "libvirt", "images", NULL);
  return g_strdup ("/var/lib/libvirt/images");
}

HangarConnectionKind
hangar_host_info_kind_for_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NON_DNS, NULL);

  if (parsed != NULL && g_strcmp0 (g_uri_get_path (parsed), "/session") == 0)
    return HANGAR_CONNECTION_KIND_SESSION;
  return HANGAR_CONNECTION_KIND_SYSTEM;
}

static GError *
libvirt_error (const char *what)
{
  virErrorPtr err = virGetLastError ();
  GError *error = g_error_new (HANGAR_LIBVIRT_ERROR, err ? err->code : VIR_ERR_INTERNAL_ERROR,
                               "%s: %s", what,
                               err && err->message ? err->message : _("unknown error"));

  virResetLastError ();
  return error;
}

/* The free space of the file system @path would be on: its nearest
 * existing parent, for a default pool that is not made yet. */
static guint64
local_free_space (const char *path,
                  guint64    *capacity)
{
  g_autofree char *dir = g_strdup (path);

  while (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      char *parent = g_path_get_dirname (dir);

      g_free (dir);
      dir = parent;
    }

  {
    g_autoptr(GFile) file = g_file_new_for_path (dir);
    g_autoptr(GFileInfo) fs = g_file_query_filesystem_info (file,
                                                            G_FILE_ATTRIBUTE_FILESYSTEM_FREE ","
                                                            G_FILE_ATTRIBUTE_FILESYSTEM_SIZE,
                                                            NULL, NULL);
    if (fs == NULL)
      return 0;
    *capacity = g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_SIZE);
    return g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  }
}

static HangarPoolInfo *
read_pool (virStoragePoolPtr pool)
{
  HangarPoolInfo *info = g_new0 (HangarPoolInfo, 1);
  virStoragePoolInfo pi;
  char *xml;

  info->name = g_strdup (virStoragePoolGetName (pool));
  info->active = virStoragePoolIsActive (pool) == 1;
  if (virStoragePoolGetInfo (pool, &pi) == 0)
    {
      info->capacity = pi.capacity;
      info->available = pi.available;
    }
  if ((xml = virStoragePoolGetXMLDesc (pool, 0)) != NULL)
    {
      GVirConfigStoragePool *config = gvir_config_storage_pool_new_from_xml (xml, NULL);

      if (config != NULL)
        {
          GVirConfigStoragePoolTarget *target = gvir_config_storage_pool_get_target (config);

          if (target != NULL)
            {
              info->path = g_strdup (gvir_config_storage_pool_target_get_path (target));
              g_object_unref (target);
            }
          g_object_unref (config);
        }
      free (xml);
    }
  return info;
}

typedef struct
{
  gboolean        local;
  HangarHostCaps *caps;   /* the connection's, read before the job */
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_clear_pointer (&data->caps, hangar_host_caps_free);
  g_free (data);
}

static void
query_thread (GTask         *task,
              virConnectPtr  conn,
              gpointer       task_data,
              GCancellable  *cancellable)
{
  QueryData *data = task_data;
  g_autoptr(HangarHostInfo) info = g_new0 (HangarHostInfo, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) networks = g_ptr_array_new_with_free_func (g_free);
  virDomainPtr *domains = NULL;
  virStoragePoolPtr *pools = NULL;
  virNetworkPtr *nets = NULL;
  virNodeInfo node;
  char *uri;
  int n;

  uri = virConnectGetURI (conn);
  info->kind = hangar_host_info_kind_for_uri (uri);
  free (uri);
  info->local = data->local;

  /* The capabilities are the connection's, read once for it. */
  info->caps = g_steal_pointer (&data->caps);

  if (virNodeGetInfo (conn, &node) == 0)
    {
      info->memory_mib = node.memory / 1024;
      info->cpus = node.cpus;
    }
  else
    virResetLastError ();
  {
    unsigned long long free_bytes = virNodeGetFreeMemory (conn);

    info->free_memory_mib = free_bytes / (1024 * 1024);
    if (free_bytes == 0)
      virResetLastError ();
  }

  n = virConnectListAllDomains (conn, &domains, 0);
  if (n < 0)
    {
      g_task_return_error (task, libvirt_error (_("The machines could not be listed")));
      return;
    }
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (names, g_strdup (virDomainGetName (domains[i])));
      virDomainFree (domains[i]);
    }
  free (domains);
  g_ptr_array_add (names, NULL);
  info->domain_names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);

  info->pools = g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_pool_info_free);
  n = virConnectListAllStoragePools (conn, &pools, 0);
  if (n < 0)
    {
      virResetLastError ();
      n = 0;
    }
  for (int i = 0; i < n; i++)
    {
      HangarPoolInfo *pool = read_pool (pools[i]);

      /* Only directory-like pools can hold a new qcow2 file. */
      if (pool->path != NULL && g_str_has_prefix (pool->path, "/") &&
          !g_str_has_prefix (pool->path, "/dev"))
        {
          if (g_str_equal (pool->name, HANGAR_DEFAULT_POOL))
            g_ptr_array_insert (info->pools, 0, pool);
          else
            g_ptr_array_add (info->pools, pool);
        }
      else
        hangar_pool_info_free (pool);
      virStoragePoolFree (pools[i]);
    }
  free (pools);

  if (hangar_host_info_find_pool (info, HANGAR_DEFAULT_POOL) == NULL)
    {
      HangarPoolInfo *planned = g_new0 (HangarPoolInfo, 1);

      planned->name = g_strdup (HANGAR_DEFAULT_POOL);
      planned->path = hangar_host_info_default_pool_path (info->kind);
      planned->planned = TRUE;
      /* A remote host's free space is known only once the pool exists. */
      if (info->local)
        planned->available = local_free_space (planned->path, &planned->capacity);
      g_ptr_array_insert (info->pools, 0, planned);
    }

  n = virConnectListAllNetworks (conn, &nets, 0);
  if (n < 0)
    {
      virResetLastError ();
      n = 0;
    }
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (networks, g_strdup (virNetworkGetName (nets[i])));
      virNetworkFree (nets[i]);
    }
  free (nets);
  g_ptr_array_add (networks, NULL);
  info->networks = (char **) g_ptr_array_free (g_steal_pointer (&networks), FALSE);

  g_task_return_pointer (task, g_steal_pointer (&info), (GDestroyNotify) hangar_host_info_free);
}

static void
on_query_caps (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  HangarConnection *connection = HANGAR_CONNECTION (object);
  g_autoptr(GTask) task = user_data;
  QueryData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if ((data->caps = hangar_connection_get_caps_finish (connection, result, NULL, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  hangar_connection_run_job (connection, task, query_thread);
}

/**
 * hangar_host_info_query_async:
 *
 * Reads, in a worker thread, what the wizard needs to know about the host
 * behind @connection.
 */
void
hangar_host_info_query_async (HangarConnection    *connection,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  QueryData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  task = g_task_new (connection, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_host_info_query_async);
  /* Read here: the worker must not touch the object. */
  data = g_new0 (QueryData, 1);
  data->local = hangar_connection_is_local (connection);
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);
  hangar_connection_get_caps_async (connection, cancellable, on_query_caps, task);
}

/**
 * hangar_host_info_query_finish:
 *
 * Returns: (transfer full): what was read
 */
HangarHostInfo *
hangar_host_info_query_finish (HangarConnection  *connection,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- who uses a disk ------------------------------------------------------------- */

typedef struct
{
  gboolean       local;
  char          *path;
} UsersData;

static void
users_data_free (UsersData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
users_thread (GTask         *task,
              virConnectPtr  conn,
              gpointer       task_data,
              GCancellable  *cancellable)
{
  UsersData *data = task_data;
  g_autoptr(HangarDiskUsers) users = NULL;
  GError *error = NULL;
  char **names;

  /* The same reading delete uses to keep disks other machines need. */
  if ((users = _hangar_disk_users_read (conn, NULL, data->local, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if ((names = _hangar_disk_users_lookup (users, data->path)) == NULL)
    names = g_new0 (char *, 1);
  g_task_return_pointer (task, names, (GDestroyNotify) g_strfreev);
}

/**
 * hangar_host_info_disk_users_async:
 *
 * In a worker: which machines of @connection have @path among their disks
 * or their disks' backing files.
 */
void
hangar_host_info_disk_users_async (HangarConnection    *connection,
                                   const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  UsersData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (path != NULL);

  task = g_task_new (connection, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_host_info_disk_users_async);
  data = g_new0 (UsersData, 1);
  data->local = hangar_connection_is_local (connection);
  data->path = g_strdup (path);
  g_task_set_task_data (task, data, (GDestroyNotify) users_data_free);
  hangar_connection_run_job (connection, task, users_thread);
}

/**
 * hangar_host_info_disk_users_finish:
 *
 * Returns: (transfer full): the machines' names, an empty array when none
 *   uses the disk; %NULL with @error set when they could not be read
 */
char **
hangar_host_info_disk_users_finish (HangarConnection  *connection,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
