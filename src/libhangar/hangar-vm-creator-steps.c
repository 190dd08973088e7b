/* hangar-vm-creator-steps.c — the new machine's steps: pool, disk, network, definition, start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-domain-builder.h"
#include "hangar-host-info.h"
#include "hangar-install-checks.h"
#include "hangar-vm-creator-private.h"

/* --- steps ------------------------------------------------------------------ */

/* An imported image must stand alone before anything reads it (see
 * hangar-image-check.c). The wizard checked it when it was chosen; this
 * is the check that counts: the file may have changed since, and the
 * creator can be driven without the wizard. */
gboolean
_hangar_vm_creator_step_inspect (Job           *job,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  const HangarDomainSpec *spec = job->spec;
  g_autoptr(GError) local_error = NULL;
  HangarDiskFormat format = spec->import_format;

  /* A remote host's image cannot be read from here: the empty
   * <backingStore/> of imported disks keeps QEMU from following a chain
   * there, and conversion is refused on remote hosts. */
  if (!job->local)
    return TRUE;

  if (!hangar_install_check_image (spec->import_path, &format, &local_error)
      || !hangar_install_inspect_image (spec->import_path, spec->import_format, cancellable,
                                        &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
    }
  if (format != spec->import_format)
    return _hangar_vm_creator_job_fail (job, error, _("“%s” is no longer a %s image."),
                                        spec->import_path,
                                        hangar_disk_format_to_string (spec->import_format));
  return TRUE;
}

gboolean
_hangar_vm_creator_job_needs_pool (Job *job)
{
  const HangarDomainSpec *spec = job->spec;

  if (spec->install_method == HANGAR_INSTALL_TREE || spec->install_method == HANGAR_INSTALL_CLOUD
      || job->express != NULL)
    return TRUE;
  if (spec->install_method == HANGAR_INSTALL_IMPORT)
    return hangar_disk_format_needs_conversion (spec->import_format);
  return spec->disk_mode == HANGAR_DISK_NEW;
}

static char *
pool_target_path (virStoragePoolPtr pool)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  GVirConfigStoragePool *config;
  GVirConfigStoragePoolTarget *target;
  char *path = NULL;

  if (xml == NULL || (config = gvir_config_storage_pool_new_from_xml (xml, NULL)) == NULL)
    return NULL;
  if ((target = gvir_config_storage_pool_get_target (config)) != NULL)
    {
      path = g_strdup (gvir_config_storage_pool_target_get_path (target));
      g_object_unref (target);
    }
  g_object_unref (config);
  return path;
}

gboolean
_hangar_vm_creator_step_pool (Job           *job,
                              GCancellable  *cancellable,
                              GError       **error)
{
  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_POOL);
  if (!_hangar_vm_creator_job_check (job, cancellable, error))
    return FALSE;

  job->pool = virStoragePoolLookupByName (job->conn, job->pool_name);
  if (job->pool == NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *xml = NULL;

      virResetLastError ();
      if (!g_str_equal (job->pool_name, HANGAR_DEFAULT_POOL))
        return _hangar_vm_creator_job_fail (job, error, _("The storage pool “%s” does not exist."),
                                            job->pool_name);

      /* The default pool is made on demand and kept: it is where every
       * later machine's disk goes too, as virt-manager and Boxes do. */
      path = hangar_host_info_default_pool_path (job->spec->connection_kind);
      xml = g_markup_printf_escaped ("<pool type='dir'><name>%s</name>"
                                     "<target><path>%s</path></target></pool>",
                                     job->pool_name, path);
      if ((job->pool = virStoragePoolDefineXML (job->conn, xml, 0)) == NULL)
        return _hangar_vm_creator_job_fail_libvirt (job, error);
      if (virStoragePoolBuild (job->pool, 0) < 0)
        {
          g_autoptr(GError) local_error = NULL;

          _hangar_vm_creator_job_fail_libvirt (job, &local_error);
          virStoragePoolUndefine (job->pool);
          g_clear_pointer (&job->pool, virStoragePoolFree);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      virStoragePoolSetAutostart (job->pool, 1);
    }

  if (virStoragePoolIsActive (job->pool) != 1 && virStoragePoolCreate (job->pool, 0) < 0)
    return _hangar_vm_creator_job_fail_libvirt (job, error);
  /* Files copied in by hand since the daemon last looked. */
  virStoragePoolRefresh (job->pool, 0);
  virResetLastError ();

  job->pool_path = pool_target_path (job->pool);
  if (job->pool_path == NULL)
    return _hangar_vm_creator_job_fail (job, error,
                                        _("The storage pool “%s” has no directory for new disks."),
                                        job->pool_name);
  return TRUE;
}

/* A volume name not taken in the pool: NAME.EXT, NAME-2.EXT, … */
char *
_hangar_vm_creator_unique_volume_name (Job        *job,
                                       const char *stem,
                                       const char *ext)
{
  for (guint i = 1; i < 1000; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup_printf ("%s%s", stem, ext)
                                     : g_strdup_printf ("%s-%u%s", stem, i, ext);
      virStorageVolPtr vol = virStorageVolLookupByName (job->pool, name);
      g_autofree char *path = g_build_filename (job->pool_path, name, NULL);

      if (vol == NULL && !(job->local && g_file_test (path, G_FILE_TEST_EXISTS)))
        {
          virResetLastError ();
          return g_steal_pointer (&name);
        }
      if (vol != NULL)
        virStorageVolFree (vol);
    }
  return g_strdup_printf ("%s-%s%s", stem, g_uuid_string_random (), ext);
}

/* Creates a volume from @xml in the job's pool; returns its path. */
char *
_hangar_vm_creator_create_volume (Job     *job,
                                  const char *xml,
                                  GError **error)
{
  virStorageVolPtr vol = virStorageVolCreateXML (job->pool, xml, 0);
  char *libvirt_path;
  char *path;

  if (vol == NULL)
    {
      _hangar_vm_creator_job_fail_libvirt (job, error);
      return NULL;
    }
  libvirt_path = virStorageVolGetPath (vol);
  path = g_strdup (libvirt_path);
  free (libvirt_path);
  virStorageVolFree (vol);
  if (path == NULL)
    {
      _hangar_vm_creator_job_fail_libvirt (job, error);
      return NULL;
    }
  _hangar_vm_creator_job_remember (job, UNDO_VOLUME, path);
  return path;
}

gboolean
_hangar_vm_creator_step_disk (Job           *job,
                              GCancellable  *cancellable,
                              GError       **error)
{
  HangarDomainSpec *spec = job->spec;
  g_autoptr(GVirConfigStorageVol) config = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *xml = NULL;
  char *path;

  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_DISK);
  if (!_hangar_vm_creator_job_check (job, cancellable, error))
    return FALSE;

  name = _hangar_vm_creator_unique_volume_name (job, spec->name,
                                                spec->disk_format == HANGAR_DISK_FORMAT_RAW
                                                ? ".img" : ".qcow2");
  g_free (spec->disk_path);
  spec->disk_path = g_build_filename (job->pool_path, name, NULL);
  if ((config = hangar_domain_builder_build_volume (spec, &local_error)) == NULL)
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  if ((path = _hangar_vm_creator_create_volume (job, xml, error)) == NULL)
    return FALSE;
  g_free (spec->disk_path);
  spec->disk_path = path;
  return TRUE;
}

gboolean
_hangar_vm_creator_step_network (Job           *job,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  virNetworkPtr net;
  int active;

  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_NETWORK);
  if (!_hangar_vm_creator_job_check (job, cancellable, error))
    return FALSE;

  if ((net = virNetworkLookupByName (job->conn, job->spec->network_source)) == NULL)
    return _hangar_vm_creator_job_fail (job, error, _("The virtual network “%s” does not exist."),
                                        job->spec->network_source);
  active = virNetworkIsActive (net);
  if (active != 1 && virNetworkCreate (net) < 0)
    {
      virNetworkFree (net);
      return _hangar_vm_creator_job_fail_libvirt (job, error);
    }
  virNetworkFree (net);
  return TRUE;
}

gboolean
_hangar_vm_creator_step_define (Job           *job,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *xml = NULL;
  HangarBuildStage stage = HANGAR_BUILD_STAGE_FINAL;
  virDomainPtr dom;

  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_DEFINE);
  if (!_hangar_vm_creator_job_check (job, cancellable, error))
    return FALSE;

  /* A network install to be customised first keeps its installer boot:
   * the final definition has no kernel to start it with. */
  if (!job->start && job->spec->install_method == HANGAR_INSTALL_TREE)
    stage = HANGAR_BUILD_STAGE_INSTALL;
  if ((xml = hangar_domain_builder_to_xml (job->spec, stage, &local_error)) == NULL)
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
  g_debug ("Defining:\n%s", xml);
  if ((dom = virDomainDefineXML (job->conn, xml)) == NULL)
    return _hangar_vm_creator_job_fail_libvirt (job, error);
  _hangar_vm_creator_job_remember (job, UNDO_DOMAIN, job->spec->uuid);
  virDomainFree (dom);
  return TRUE;
}

gboolean
_hangar_vm_creator_step_start (Job           *job,
                               GCancellable  *cancellable,
                               GError       **error)
{
  const HangarDomainSpec *spec = job->spec;
  virDomainPtr dom = NULL;

  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_START);
  if (!_hangar_vm_creator_job_check (job, cancellable, error))
    return FALSE;

  if (spec->install_method == HANGAR_INSTALL_ISO || spec->install_method == HANGAR_INSTALL_TREE ||
      spec->install_method == HANGAR_INSTALL_PXE)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *xml = hangar_domain_builder_to_xml (spec, HANGAR_BUILD_STAGE_INSTALL,
                                                           &local_error);

      if (xml == NULL)
        return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
#if HANGAR_TEST_HOOKS
      /* Tests read what the installer says on its serial port. */
      if (g_getenv ("HANGAR_VM_CREATOR_INSTALL_SERIAL_LOG") != NULL)
        {
          g_autofree char *serial =
            g_markup_printf_escaped ("<serial type='file'><source path='%s'/></serial></devices>",
                                     g_getenv ("HANGAR_VM_CREATOR_INSTALL_SERIAL_LOG"));
          g_autoptr(GString) edited = g_string_new (xml);

          g_string_replace (edited, "</devices>", serial, 1);
          g_free (xml);
          xml = g_string_free (g_steal_pointer (&edited), FALSE);
        }
#endif
      /* The install boot runs once, with the same name and UUID as the
       * definition, which takes over when the installer reboots. */
      dom = virDomainCreateXML (job->conn, xml, 0);
    }
  else if ((dom = virDomainLookupByUUIDString (job->conn, spec->uuid)) != NULL &&
           virDomainCreate (dom) < 0)
    g_clear_pointer (&dom, virDomainFree);

  if (dom == NULL)
    return _hangar_vm_creator_job_fail_libvirt (job, error);
  virDomainFree (dom);
  return TRUE;
}
