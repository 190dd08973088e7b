/* hangar-host-model-storage.c — the host's storage pools and volumes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-connection-job.h"
#include "hangar-disk-users.h"
#include "hangar-gconfig.h"
#include "hangar-host-model-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolSource, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)

static char **
volume_users (GPtrArray  *uses,
              const char *pool,
              const char *volume,
              const char *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *pool_vol = g_strdup_printf ("%s/%s", pool, volume);

  for (guint i = 0; uses != NULL && i < uses->len; i++)
    {
      DomainUse *use = g_ptr_array_index (uses, i);

      if (_hangar_host_strings_contain (use->files, path) ||
          _hangar_host_strings_contain (use->pool_vols, pool_vol))
        g_strv_builder_add (builder, use->name);
    }
  return g_strv_builder_end (builder);
}

/* --- storage ------------------------------------------------------------------------- */

/* Where a pool's storage is, in the words its type uses. */
static char *
pool_source (xmlDoc     *doc,
             const char *type)
{
  g_autofree char *host = hangar_xml_string (doc, NULL, "/pool/source/host/@name");
  g_autofree char *dir = hangar_xml_string (doc, NULL, "/pool/source/dir/@path");
  g_autofree char *device = hangar_xml_string (doc, NULL, "/pool/source/device/@path");
  g_autofree char *name = hangar_xml_string (doc, NULL, "/pool/source/name");

  if (g_strcmp0 (type, "netfs") == 0 && host != NULL)
    return g_strdup_printf ("%s:%s", host, dir ? dir : name ? name : "");
  if (g_strcmp0 (type, "iscsi") == 0 && host != NULL)
    return g_strdup_printf ("%s %s", host, device ? device : "");
  if (g_strcmp0 (type, "logical") == 0 && name != NULL)
    return g_steal_pointer (&name);
  if (device != NULL && g_strcmp0 (type, "dir") != 0)
    return g_steal_pointer (&device);
  return NULL;
}

static HangarHostPool *
read_pool (virStoragePoolPtr pool)
{
  HangarHostPool *row = g_object_new (HANGAR_TYPE_HOST_POOL, NULL);
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);
  virStoragePoolInfo info;
  int autostart = 0;

  row->name = g_strdup (virStoragePoolGetName (pool));
  row->active = virStoragePoolIsActive (pool) == 1;
  row->persistent = virStoragePoolIsPersistent (pool) == 1;
  if (virStoragePoolGetAutostart (pool, &autostart) == 0)
    row->autostart = autostart != 0;
  if (virStoragePoolGetInfo (pool, &info) == 0)
    {
      row->capacity = info.capacity;
      row->allocation = info.allocation;
      row->available = info.available;
    }
  if (doc != NULL)
    {
      row->type = hangar_xml_string (doc, NULL, "/pool/@type");
      row->path = hangar_xml_string (doc, NULL, "/pool/target/path");
      row->source = pool_source (doc, row->type);
    }
  virResetLastError ();
  return row;
}

GPtrArray *
_hangar_host_list_pools (virConnectPtr   conn,
                         GError        **error)
{
  virStoragePoolPtr *pools = NULL;
  GPtrArray *rows;
  int n = virConnectListAllStoragePools (conn, &pools, 0);

  if (n < 0)
    {
      *error = hangar_libvirt_error_new (_("Could not list the storage pools"));
      return NULL;
    }
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (rows, read_pool (pools[i]));
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  return rows;
}

static HangarHostVolume *
read_volume (const char      *pool,
             virStorageVolPtr vol,
             GPtrArray       *uses)
{
  HangarHostVolume *row = g_object_new (HANGAR_TYPE_HOST_VOLUME, NULL);
  g_autofree char *xml = virStorageVolGetXMLDesc (vol, 0);
  g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);
  char *path = virStorageVolGetPath (vol);
  virStorageVolInfo info;

  row->pool = g_strdup (pool);
  row->name = g_strdup (virStorageVolGetName (vol));
  row->path = g_strdup (path);
  free (path);
  if (virStorageVolGetInfo (vol, &info) == 0)
    {
      row->capacity = info.capacity;
      row->allocation = info.allocation;
    }
  if (doc != NULL)
    row->format = hangar_xml_string (doc, NULL, "/volume/target/format/@type");
  row->users = volume_users (uses, pool, row->name, row->path);
  virResetLastError ();
  return row;
}

GPtrArray *
_hangar_host_list_volumes (virConnectPtr   conn,
                           const char     *pool_name,
                           GError        **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, pool_name);
  virStorageVolPtr *vols = NULL;
  g_autoptr(GPtrArray) uses = NULL;
  GPtrArray *rows;
  int n;

  if (pool == NULL)
    {
      *error = hangar_libvirt_error_new (_("The storage pool is no longer there"));
      return NULL;
    }
  n = virStoragePoolListAllVolumes (pool, &vols, 0);
  virStoragePoolFree (pool);
  if (n < 0)
    {
      *error = hangar_libvirt_error_new (_("Could not list the volumes"));
      return NULL;
    }
  uses = _hangar_host_read_domain_uses (conn, FALSE, error);
  g_clear_error (error);

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (rows, read_volume (pool_name, vols[i], uses));
      virStorageVolFree (vols[i]);
    }
  free (vols);
  return rows;
}

static const GVirConfigStoragePoolType gconfig_pool_types[HANGAR_N_POOL_TYPES] = {
  [HANGAR_POOL_DIR] = GVIR_CONFIG_STORAGE_POOL_TYPE_DIR,
  [HANGAR_POOL_FS] = GVIR_CONFIG_STORAGE_POOL_TYPE_FS,
  [HANGAR_POOL_NETFS] = GVIR_CONFIG_STORAGE_POOL_TYPE_NETFS,
  [HANGAR_POOL_LOGICAL] = GVIR_CONFIG_STORAGE_POOL_TYPE_LOGICAL,
  [HANGAR_POOL_ISCSI] = GVIR_CONFIG_STORAGE_POOL_TYPE_ISCSI,
  [HANGAR_POOL_DISK] = GVIR_CONFIG_STORAGE_POOL_TYPE_DISK,
};

/* What libvirt-gconfig 4.0 cannot write: a volume group's second and
 * further devices (it keeps one <device>), and a netfs export folder (its
 * set_directory() writes <directory>, which libvirt ignores, not <dir>). */
static char *
add_to_source (const char         *xml,
               const char         *dir,
               const char * const *more_devices)
{
  g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);
  g_autoptr(GPtrArray) found = hangar_xml_nodes (doc, NULL, "/pool/source");
  xmlNode *source;
  xmlNode *last = NULL;

  g_assert (doc != NULL);
  g_assert (found->len == 1);
  source = g_ptr_array_index (found, 0);
  if (dir != NULL)
    xmlSetProp (xmlNewChild (source, NULL, BAD_CAST "dir", NULL), BAD_CAST "path",
                BAD_CAST dir);
  for (xmlNode *child = source->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && xmlStrEqual (child->name, BAD_CAST "device"))
      last = child;
  for (guint i = 0; more_devices != NULL && more_devices[i] != NULL; i++)
    {
      xmlNode *device = xmlNewNode (NULL, BAD_CAST "device");

      g_assert (last != NULL);
      xmlSetProp (device, BAD_CAST "path", BAD_CAST more_devices[i]);
      last = xmlAddNextSibling (last, device);
    }
  return hangar_xml_dump_node (xmlDocGetRootElement (doc));
}

/**
 * hangar_host_pool_spec_to_xml:
 * @spec: a spec that hangar_pool_spec_check() accepted
 *
 * Returns: (transfer full): the pool's libvirt XML
 */
char *
hangar_host_pool_spec_to_xml (const HangarPoolSpec *spec)
{
  g_autoptr(GVirConfigStoragePool) config = gvir_config_storage_pool_new ();
  g_autoptr(GVirConfigStoragePoolTarget) target = gvir_config_storage_pool_target_new ();
  g_autoptr(GVirConfigStoragePoolSource) source = gvir_config_storage_pool_source_new ();
  g_auto(GStrv) devices = NULL;
  g_autofree char *vg_path = NULL;
  g_autofree char *xml = NULL;
  const char *format = NULL;
  const char *path = spec->target;

  g_return_val_if_fail (spec != NULL && spec->type < HANGAR_N_POOL_TYPES, NULL);

  devices = hangar_pool_spec_devices (spec);
  if (hangar_pool_formats (spec->type) != NULL)
    format = spec->format && spec->format[0] ? spec->format : "auto";

  gvir_config_storage_pool_set_name (config, spec->name);
  gvir_config_storage_pool_set_pool_type (config, gconfig_pool_types[spec->type]);
  switch (spec->type)
    {
    case HANGAR_POOL_DIR:
      break;
    case HANGAR_POOL_NETFS:
      gvir_config_storage_pool_source_set_host (source, spec->source_host);
      break;
    case HANGAR_POOL_LOGICAL:
      /* The group's volumes appear under /dev/GROUP. */
      gvir_config_storage_pool_source_set_name (source, spec->source_name);
      vg_path = g_strconcat ("/dev/", spec->source_name, NULL);
      path = vg_path;
      break;
    case HANGAR_POOL_ISCSI:
      gvir_config_storage_pool_source_set_host (source, spec->source_host);
      gvir_config_storage_pool_source_set_device_path (source, spec->iqn);
      break;
    case HANGAR_POOL_FS:
    case HANGAR_POOL_DISK:
    default:
      break;
    }
  if (spec->type != HANGAR_POOL_ISCSI && devices[0] != NULL)
    gvir_config_storage_pool_source_set_device_path (source, devices[0]);
  if (format != NULL)
    gvir_config_storage_pool_source_set_format (source, format);
  if (spec->type != HANGAR_POOL_DIR)
    gvir_config_storage_pool_set_source (config, source);
  gvir_config_storage_pool_target_set_path (target, path);
  gvir_config_storage_pool_set_target (config, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

  if (spec->type == HANGAR_POOL_NETFS)
    return add_to_source (xml, spec->source_path, NULL);
  if (spec->type == HANGAR_POOL_LOGICAL && devices[0] != NULL && devices[1] != NULL)
    return add_to_source (xml, NULL, (const char * const *) devices + 1);
  return g_steal_pointer (&xml);
}

static void
job_pool_spec (JobData        *data,
               HangarPoolSpec *spec)
{
  *spec = (HangarPoolSpec) {
    .name = data->name,
    .type = data->pool_type,
    .target = data->path,
    .source_host = data->source_host,
    .source_path = data->source_path,
    .devices = data->devices,
    .source_name = data->source_name,
    .iqn = data->iqn,
    .format = data->format,
    .build = data->build,
  };
}

/* Define, build if needed, start. A pool that cannot be built or started is
 * undefined again: the form stays open with libvirt's reason, so the user
 * can correct it, and the host keeps no half-made pool. What a build made
 * (a folder, a file system) stays, as libvirt cannot tell it was new. */
gboolean
_hangar_host_pool_create (JobData  *data,
                          GError  **error)
{
  HangarPoolSpec spec;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autofree char *xml = NULL;
  HangarPoolBuild build;
  virStoragePoolPtr pool;

  job_pool_spec (data, &spec);
  rows = _hangar_host_list_pools (data->conn, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    g_strv_builder_add (builder, HANGAR_HOST_POOL (g_ptr_array_index (rows, i))->name);
  names = g_strv_builder_end (builder);
  if (!hangar_pool_spec_check (&spec, (const char * const *) names, data->local, error))
    return FALSE;

  xml = hangar_host_pool_spec_to_xml (&spec);
  pool = virStoragePoolDefineXML (data->conn, xml, 0);
  if (pool == NULL)
    {
      *error = hangar_libvirt_error_new (_("Could not create the storage pool"));
      return FALSE;
    }

  build = hangar_pool_spec_build (&spec);
  if (build != HANGAR_POOL_BUILD_NONE
      && virStoragePoolBuild (pool, build == HANGAR_POOL_BUILD_NEW
                                    ? VIR_STORAGE_POOL_BUILD_NO_OVERWRITE : 0) < 0)
    {
      *error = hangar_libvirt_error_new (build == HANGAR_POOL_BUILD_NEW
                                         ? _("Could not prepare the device for the storage pool")
                                         : _("Could not create the storage pool's folder"));
    }
  else if (virStoragePoolCreate (pool, 0) < 0)
    {
      virErrorPtr err = virGetLastError ();
      gboolean missing = err != NULL && err->message != NULL && !data->local
                         && spec.type == HANGAR_POOL_DIR
                         && strstr (err->message, "No such file") != NULL;

      /* A remote folder that does not exist shows up only here. */
      if (missing)
        g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH,
                     _("There is no folder %s on the host: create it first, or turn on "
                       "“Create the folder”."), spec.target);
      else
        *error = hangar_libvirt_error_new (_("Could not start the new storage pool"));
    }
  if (*error != NULL)
    {
      virStoragePoolUndefine (pool);
      virResetLastError ();
    }
  virStoragePoolFree (pool);
  return *error == NULL;
}

gboolean
_hangar_host_pool_run (JobData  *data,
                       GError  **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (data->conn, data->name);
  const char *what = NULL;
  int ret = 0;

  if (pool == NULL)
    {
      *error = hangar_libvirt_error_new (_("The storage pool is no longer there"));
      return FALSE;
    }

  switch (data->action)
    {
    case HANGAR_HOST_ACTION_START:
      what = _("Could not start the storage pool");
      ret = virStoragePoolCreate (pool, 0);
      break;
    case HANGAR_HOST_ACTION_STOP:
      what = _("Could not stop the storage pool");
      ret = virStoragePoolDestroy (pool);
      break;
    case HANGAR_HOST_ACTION_REFRESH:
      what = _("Could not refresh the storage pool");
      ret = virStoragePoolRefresh (pool, 0);
      break;
    case HANGAR_HOST_ACTION_AUTOSTART_ON:
    case HANGAR_HOST_ACTION_AUTOSTART_OFF:
      what = _("Could not change whether the storage pool starts with the host");
      ret = virStoragePoolSetAutostart (pool, data->action == HANGAR_HOST_ACTION_AUTOSTART_ON);
      break;
    case HANGAR_HOST_ACTION_DELETE:
      /* The definition goes, the folder and its files stay. */
      what = _("Could not delete the storage pool");
      if (virStoragePoolIsActive (pool) == 1)
        ret = virStoragePoolDestroy (pool);
      if (ret == 0 && virStoragePoolIsPersistent (pool) == 1)
        ret = virStoragePoolUndefine (pool);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ret < 0)
    *error = hangar_libvirt_error_new (what);
  virStoragePoolFree (pool);
  return *error == NULL;
}

gboolean
_hangar_host_volume_create (JobData  *data,
                            GError  **error)
{
  g_autoptr(GVirConfigStorageVol) config = gvir_config_storage_vol_new ();
  g_autoptr(GVirConfigStorageVolTarget) target = gvir_config_storage_vol_target_new ();
  virStoragePoolPtr pool = NULL;
  virStorageVolPtr vol = NULL;
  g_autofree char *xml = NULL;

  if (!hangar_host_check_name (data->name, NULL, error))
    return FALSE;
  if (g_strcmp0 (data->format, "qcow2") != 0 && g_strcmp0 (data->format, "raw") != 0)
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NOT_SUPPORTED,
                   _("Volumes can be qcow2 or raw, not “%s”."), data->format);
      return FALSE;
    }
  if (data->capacity < 1024 * 1024)
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_CAPACITY,
                           _("The size must be at least 1 MiB."));
      return FALSE;
    }

  pool = virStoragePoolLookupByName (data->conn, data->pool);
  if (pool == NULL)
    {
      *error = hangar_libvirt_error_new (_("The storage pool is no longer there"));
      return FALSE;
    }
  vol = virStorageVolLookupByName (pool, data->name);
  if (vol != NULL)
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME,
                   _("There is already a volume named “%s” in this pool."), data->name);
      virStorageVolFree (vol);
      virStoragePoolFree (pool);
      return FALSE;
    }
  virResetLastError ();

  gvir_config_storage_vol_set_name (config, data->name);
  gvir_config_storage_vol_set_capacity (config, data->capacity);
  /* Thin: raw files are sparse, qcow2 grows as the guest writes. */
  gvir_config_storage_vol_set_allocation (config, 0);
  gvir_config_storage_vol_target_set_format (target, data->format);
  gvir_config_storage_vol_set_target (config, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

  vol = virStorageVolCreateXML (pool, xml, 0);
  if (vol == NULL)
    *error = hangar_libvirt_error_new (_("Could not create the volume"));
  else
    virStorageVolFree (vol);
  virStoragePoolFree (pool);
  return vol != NULL;
}

gboolean
_hangar_host_volume_delete (JobData  *data,
                            GError  **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (data->conn, data->pool);
  virStorageVolPtr vol;
  g_autoptr(GPtrArray) uses = NULL;
  g_auto(GStrv) users = NULL;
  char *path;

  if (pool == NULL)
    {
      *error = hangar_libvirt_error_new (_("The storage pool is no longer there"));
      return FALSE;
    }
  vol = virStorageVolLookupByName (pool, data->name);
  virStoragePoolFree (pool);
  if (vol == NULL)
    {
      *error = hangar_libvirt_error_new (_("The volume is no longer there"));
      return FALSE;
    }

  if (!data->force)
    {
      uses = _hangar_host_read_domain_uses (data->conn, FALSE, error);
      if (uses == NULL)
        {
          virStorageVolFree (vol);
          return FALSE;
        }
      path = virStorageVolGetPath (vol);
      users = volume_users (uses, data->pool, data->name, path);
      /* The base image under another machine's overlay is no disk in its
       * definition, yet deleting it destroys that machine's data too. */
      if (users[0] == NULL && path != NULL)
        {
          g_autoptr(HangarDiskUsers) chains = _hangar_disk_users_read (data->conn, NULL,
                                                                       data->local, NULL);

          if (chains != NULL)
            {
              g_strfreev (users);
              users = _hangar_disk_users_lookup (chains, path);
              if (users == NULL)
                users = g_new0 (char *, 1);
            }
        }
      free (path);
      if (users[0] != NULL)
        {
          g_autofree char *names = g_strjoinv (", ", users);

          g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IN_USE,
                       _("The volume “%s” is a disk of these machines: %s. "
                         "Deleting it destroys their data."), data->name, names);
          virStorageVolFree (vol);
          return FALSE;
        }
    }

  if (virStorageVolDelete (vol, 0) < 0)
    *error = hangar_libvirt_error_new (_("Could not delete the volume"));
  virStorageVolFree (vol);
  return *error == NULL;
}

static gpointer
list_pools (JobData  *data,
            GError  **error)
{
  return _hangar_host_list_pools (data->conn, error);
}

static gpointer
list_volumes (JobData  *data,
              GError  **error)
{
  return _hangar_host_list_volumes (data->conn, data->pool, error);
}

/* --- public calls ---------------------------------------------------------------------- */

void
hangar_host_list_pools_async (HangarConnection    *connection,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  _hangar_host_start_job (connection, _hangar_host_rows_new (list_pools),
                          hangar_host_list_pools_async, cancellable, callback, user_data);
}

void
hangar_host_list_volumes_async (HangarConnection    *connection,
                                const char          *pool,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (pool != NULL);

  data = _hangar_host_rows_new (list_volumes);
  data->pool = g_strdup (pool);
  _hangar_host_start_job (connection, data, hangar_host_list_volumes_async, cancellable, callback,
                          user_data);
}

/**
 * hangar_host_pool_create_async:
 * @spec: the pool; checked again in the worker against the host's pools
 *
 * Defines the pool, builds what the spec asks for (see
 * hangar_pool_spec_build()) and starts it. A pool that cannot be built or
 * started is undefined again, and the error carries libvirt's reason.
 */
void
hangar_host_pool_create_async (HangarConnection     *connection,
                               const HangarPoolSpec *spec,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (spec != NULL);

  data = _hangar_host_op_new (_hangar_host_pool_create);
  data->name = g_strdup (spec->name);
  data->pool_type = spec->type;
  data->path = g_strdup (spec->target);
  data->source_host = g_strdup (spec->source_host);
  data->source_path = g_strdup (spec->source_path);
  data->devices = g_strdup (spec->devices);
  data->source_name = g_strdup (spec->source_name);
  data->iqn = g_strdup (spec->iqn);
  data->format = g_strdup (spec->format);
  data->build = spec->build;
  _hangar_host_start_job (connection, data, hangar_host_pool_create_async, cancellable, callback,
                          user_data);
}

/**
 * hangar_host_pool_run_async:
 *
 * Deleting a pool removes its definition; its folder and files stay.
 */
void
hangar_host_pool_run_async (HangarConnection    *connection,
                            const char          *name,
                            HangarHostAction     action,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (name != NULL);

  data = _hangar_host_op_new (_hangar_host_pool_run);
  data->name = g_strdup (name);
  data->action = action;
  _hangar_host_start_job (connection, data, hangar_host_pool_run_async, cancellable, callback,
                          user_data);
}

void
hangar_host_volume_create_async (HangarConnection    *connection,
                                 const char          *pool,
                                 const char          *name,
                                 const char          *format,
                                 guint64              capacity,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (pool != NULL);

  data = _hangar_host_op_new (_hangar_host_volume_create);
  data->pool = g_strdup (pool);
  data->name = g_strdup (name);
  data->format = g_strdup (format);
  data->capacity = capacity;
  _hangar_host_start_job (connection, data, hangar_host_volume_create_async, cancellable, callback,
                          user_data);
}

/**
 * hangar_host_volume_delete_async:
 * @force: delete even when a machine has the volume as a disk
 *
 * Without @force, a volume a machine uses is refused with
 * %HANGAR_HOST_ERROR_IN_USE naming the machines.
 */
void
hangar_host_volume_delete_async (HangarConnection    *connection,
                                 const char          *pool,
                                 const char          *name,
                                 gboolean             force,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (pool != NULL && name != NULL);

  data = _hangar_host_op_new (_hangar_host_volume_delete);
  data->pool = g_strdup (pool);
  data->name = g_strdup (name);
  data->force = force;
  _hangar_host_start_job (connection, data, hangar_host_volume_delete_async, cancellable, callback,
                          user_data);
}
