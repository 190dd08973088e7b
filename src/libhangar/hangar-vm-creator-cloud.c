/* hangar-vm-creator-cloud.c — a machine from a cloud image: its disk and its NoCloud seed.
 *
 * The cloud image is never used in place: qemu-img copies it into the
 * pool as a standalone qcow2 (after the same checks as an imported image:
 * one with a backing file or an external data file is refused, see
 * hangar-image-check.c), which is then grown to the size asked. The
 * seed (hangar-cloud-init.c) is made in memory and uploaded into a raw
 * volume beside the disk through the storage API (libarchive's writer
 * only keeps its data in an unlinked temporary file while it writes).
 * Both are remembered for the undo.
 *
 * The seed stays attached: cloud-init looks at it on every boot to see
 * whether the instance changed. It holds the password's SHA-512 crypt
 * hash, never the password, and the ssh public key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-cloud-init.h"
#include "hangar-install-checks.h"
#include "hangar-units.h"
#include "hangar-vm-creator-private.h"

static gboolean
check_image (Job               *job,
             const char        *path,
             HangarDiskFormat  *format,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!hangar_install_check_image (path, format, &local_error))
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
  if (*format != HANGAR_DISK_FORMAT_QCOW2 && *format != HANGAR_DISK_FORMAT_RAW)
    return _hangar_vm_creator_job_fail (job, error,
                                        _("“%s” is a %s image; cloud images are qcow2 or raw."),
                                        path, hangar_disk_format_to_string (*format));
  if (hangar_install_inspect_image (path, *format, cancellable, &local_error))
    return TRUE;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
}

/* Grows the copy to the size asked; a smaller size than the image's own
 * would cut its file system, so it is refused. */
static gboolean
resize_disk (Job      *job,
             GError  **error)
{
  const HangarDomainSpec *spec = job->spec;
  guint64 wanted = spec->disk_capacity_gib * 1024 * 1024 * 1024;
  virStorageVolInfo info;
  virStorageVolPtr vol;
  gboolean ok = TRUE;

  virStoragePoolRefresh (job->pool, 0);
  if ((vol = virStorageVolLookupByPath (job->conn, spec->disk_path)) == NULL ||
      virStorageVolGetInfo (vol, &info) < 0)
    ok = _hangar_vm_creator_job_fail_libvirt (job, error);
  else if (wanted != 0 && wanted < info.capacity)
    {
      g_autofree char *size = g_format_size_full (info.capacity, G_FORMAT_SIZE_IEC_UNITS);

      ok = _hangar_vm_creator_job_fail (job, error,
                                        _("The cloud image’s disk is already %s: choose at least "
                                          "that size."), size);
    }
  else if (wanted > info.capacity && virStorageVolResize (vol, wanted, 0) < 0)
    ok = _hangar_vm_creator_job_fail_libvirt (job, error);
  if (vol != NULL)
    virStorageVolFree (vol);
  virResetLastError ();
  return ok;
}

static gboolean
upload_seed (Job           *job,
             GBytes        *seed,
             GCancellable  *cancellable,
             GError       **error)
{
  HangarDomainSpec *spec = job->spec;
  g_autofree char *stem = g_strdup_printf ("%s-cidata", spec->name);
  g_autofree char *name = _hangar_vm_creator_unique_volume_name (job, stem, ".iso");
  g_autofree char *xml = NULL;
  gsize size;
  const char *data = g_bytes_get_data (seed, &size);
  virStorageVolPtr vol = NULL;
  virStreamPtr stream = NULL;
  char *path;
  gsize sent = 0;
  gboolean ok = FALSE;

  xml = g_markup_printf_escaped ("<volume><name>%s</name>"
                                 "<capacity unit='bytes'>%" G_GSIZE_FORMAT "</capacity>"
                                 "<target><format type='raw'/></target></volume>",
                                 name, size);
  if ((path = _hangar_vm_creator_create_volume (job, xml, error)) == NULL)
    return FALSE;
  g_free (spec->cloud_seed_path);
  spec->cloud_seed_path = path;

  if ((vol = virStorageVolLookupByPath (job->conn, path)) == NULL ||
      (stream = virStreamNew (job->conn, 0)) == NULL ||
      virStorageVolUpload (vol, stream, 0, size, 0) < 0)
    {
      _hangar_vm_creator_job_fail_libvirt (job, error);
      goto out;
    }
  while (sent < size)
    {
      int n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          virStreamAbort (stream);
          goto out;
        }
      if ((n = virStreamSend (stream, data + sent, MIN (size - sent, 256 * 1024))) < 0)
        {
          _hangar_vm_creator_job_fail_libvirt (job, error);
          virStreamAbort (stream);
          goto out;
        }
      sent += n;
      _hangar_vm_creator_job_report (job, 0.2 + 0.8 * sent / size, NULL);
    }
  if (virStreamFinish (stream) < 0)
    {
      _hangar_vm_creator_job_fail_libvirt (job, error);
      goto out;
    }
  ok = TRUE;

out:
  if (stream != NULL)
    virStreamFree (stream);
  if (vol != NULL)
    virStorageVolFree (vol);
  virResetLastError ();
  return ok;
}

/**
 * _hangar_vm_creator_step_cloud:
 *
 * Two steps of the bar: CONVERT copies and grows the disk, DISK writes
 * and uploads the seed.
 */
gboolean
_hangar_vm_creator_step_cloud (Job           *job,
                               GCancellable  *cancellable,
                               GError       **error)
{
  HangarDomainSpec *spec = job->spec;
  g_autoptr(HangarCloudInit) config = NULL;
  g_autoptr(GBytes) seed = NULL;
  g_autoptr(GError) local_error = NULL;
  HangarDiskFormat format = HANGAR_DISK_FORMAT_QCOW2;
  g_autofree char *name = NULL;

  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_CONVERT);
  if (!_hangar_vm_creator_job_check (job, cancellable, error))
    return FALSE;
  if (spec->cloud_image_path == NULL || spec->cloud_init == NULL)
    return _hangar_vm_creator_job_fail (job, error, _("Choose the cloud image and its user."));
  /* The settings first: nothing is copied for a seed that cannot be made. */
  if (!hangar_cloud_init_check (spec->cloud_init, &local_error))
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
  /* The image is read here, by qemu-img: it has to be on this computer,
   * and so must the pool it goes into. */
  if (!job->local)
    return _hangar_vm_creator_job_fail (job, error,
                                        _("Cloud images can be used on this computer’s own "
                                          "connections only."));
  if (!check_image (job, spec->cloud_image_path, &format, cancellable, error))
    return FALSE;

  name = _hangar_vm_creator_unique_volume_name (job, spec->name, ".qcow2");
  g_free (spec->disk_path);
  spec->disk_path = g_build_filename (job->pool_path, name, NULL);
  spec->disk_format = HANGAR_DISK_FORMAT_QCOW2;
  spec->disk_mode = HANGAR_DISK_EXISTING;
  _hangar_vm_creator_job_remember (job, UNDO_VOLUME, spec->disk_path);
  if (!_hangar_vm_creator_qemu_img_convert (job, spec->cloud_image_path, format, spec->disk_path,
                                            cancellable, error) ||
      !resize_disk (job, error))
    return FALSE;

  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_DISK);
  _hangar_vm_creator_job_report (job, 0, _("Writing the cloud-init settings"));
  if (!_hangar_vm_creator_job_check (job, cancellable, error))
    return FALSE;
  /* One instance per machine: cloud-init runs its first-boot modules
   * again only when this changes. */
  config = hangar_cloud_init_copy (spec->cloud_init);
  if (config->instance_id == NULL)
    config->instance_id = g_strdup_printf ("iid-%s", spec->uuid);
  if ((seed = hangar_cloud_init_build_seed (config, NULL, &local_error)) == NULL)
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
  return upload_seed (job, seed, cancellable, error);
}
