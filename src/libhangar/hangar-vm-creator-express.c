/* hangar-vm-creator-express.c — the creator's express-install step: the
 * installer's kernel and initrd out of the ISO, the answers inside the
 * initrd, both into the pool.
 *
 * The install boot (HANGAR_BUILD_STAGE_INSTALL) starts that kernel with
 * the answers' kernel arguments and the ISO still in the drive; the
 * persistent definition has neither and boots the disk. QEMU reads the
 * kernel and initrd into memory when it starts, so the creator deletes
 * both volumes right after the start (hangar-vm-creator.c): the initrd
 * holds the passwords, and it is gone before the install even runs —
 * also when Hangar is closed meanwhile. The install boot ends at the
 * installer's reboot (on_reboot=destroy), and nothing of it stays.
 *
 * Windows takes its answers (autounattend.xml) from a small ISO of their
 * own, a second CD drive in the install boot only. QEMU keeps that file
 * open, so deleting it after the start (on a local host: an unlink)
 * leaves Windows Setup able to read it while nothing stays on the host's
 * disk. The virtio-win drivers' ISO goes in too when the host has it
 * (the builder adds it to every Windows machine).
 *
 * Every file goes in through the storage API (virStorageVolUpload), so
 * the pool's permissions and the daemon's view of it stay right.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-express-media.h"
#include "hangar-express.h"
#include "hangar-os.h"
#include "hangar-vm-creator-private.h"

#define CHUNK (256 * 1024)

/* A raw volume of @capacity bytes, readable by its owner only (the
 * daemon labels it for QEMU when the machine starts). */
static virStorageVolPtr
create_raw_volume (Job         *job,
                   const char  *stem,
                   const char  *ext,
                   guint64      capacity,
                   char       **path_out,
                   GError     **error)
{
  g_autofree char *name = _hangar_vm_creator_unique_volume_name (job, stem, ext);
  g_autofree char *xml = g_markup_printf_escaped (
    "<volume><name>%s</name><capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>"
    "<target><format type='raw'/><permissions><mode>0600</mode></permissions></target>"
    "</volume>", name, capacity);
  g_autofree char *path = NULL;
  virStorageVolPtr vol;

  if ((path = _hangar_vm_creator_create_volume (job, xml, error)) == NULL)
    return NULL;
  if ((vol = virStorageVolLookupByPath (job->conn, path)) == NULL)
    {
      _hangar_vm_creator_job_fail_libvirt (job, error);
      return NULL;
    }
  *path_out = g_steal_pointer (&path);
  return vol;
}

typedef struct
{
  Job          *job;
  GCancellable *cancellable;
  virStreamPtr  stream;
  guint64       done;
  guint64       total;      /* both files, for the progress bar */
} Upload;

static gboolean
upload_send (Upload      *up,
             const char  *data,
             gsize        len,
             GError     **error)
{
  while (len > 0)
    {
      int n;

      if (g_cancellable_set_error_if_cancelled (up->cancellable, error))
        return FALSE;
      if ((n = virStreamSend (up->stream, data, MIN (len, CHUNK))) < 0)
        return _hangar_vm_creator_job_fail_libvirt (up->job, error);
      data += n;
      len -= n;
      up->done += n;
    }
  _hangar_vm_creator_job_report (up->job, up->total ? (double) up->done / up->total : 0, NULL);
  return TRUE;
}

/* Writes @bytes into a new volume. */
static char *
upload_bytes (Upload      *up,
              const char  *stem,
              GBytes      *bytes,
              GError     **error)
{
  gsize len = g_bytes_get_size (bytes);
  g_autofree char *path = NULL;
  virStorageVolPtr vol;
  gboolean ok = TRUE;

  if ((vol = create_raw_volume (up->job, stem, ".iso", len, &path, error)) == NULL)
    return NULL;
  up->stream = virStreamNew (up->job->conn, 0);
  if (up->stream == NULL || virStorageVolUpload (vol, up->stream, 0, len, 0) < 0)
    ok = _hangar_vm_creator_job_fail_libvirt (up->job, error);
  ok = ok && upload_send (up, g_bytes_get_data (bytes, NULL), len, error);
  if (ok && virStreamFinish (up->stream) < 0)
    ok = _hangar_vm_creator_job_fail_libvirt (up->job, error);
  if (!ok && up->stream != NULL)
    virStreamAbort (up->stream);
  g_clear_pointer (&up->stream, virStreamFree);
  virStorageVolFree (vol);
  virResetLastError ();
  return ok ? g_steal_pointer (&path) : NULL;
}

/* Copies @member of the ISO into a new volume, followed by @tail (the
 * padding and the answers' archive) when given. */
static char *
copy_out (Upload        *up,
          HangarIsoFile *file,
          const char    *stem,
          GBytes        *tail,
          GError       **error)
{
  guint64 size = hangar_iso_file_get_size (file);
  gsize pad = tail ? hangar_express_initrd_padding (size) : 0;
  gsize tail_len = tail ? g_bytes_get_size (tail) : 0;
  guint64 capacity = size + pad + tail_len;
  g_autofree char *buffer = g_malloc (CHUNK);
  g_autofree char *path = NULL;
  virStorageVolPtr vol;
  gboolean ok = TRUE;
  gssize n;

  if ((vol = create_raw_volume (up->job, stem, "", capacity, &path, error)) == NULL)
    return NULL;
  up->stream = virStreamNew (up->job->conn, 0);
  if (up->stream == NULL || virStorageVolUpload (vol, up->stream, 0, capacity, 0) < 0)
    ok = _hangar_vm_creator_job_fail_libvirt (up->job, error);
  while (ok && (n = hangar_iso_file_read (file, buffer, CHUNK, error)) != 0)
    ok = n > 0 && upload_send (up, buffer, n, error);
  if (ok && tail != NULL)
    {
      g_autofree char *zeros = g_malloc0 (pad + 1);

      ok = upload_send (up, zeros, pad, error) &&
           upload_send (up, g_bytes_get_data (tail, NULL), tail_len, error);
    }
  if (ok && virStreamFinish (up->stream) < 0)
    ok = _hangar_vm_creator_job_fail_libvirt (up->job, error);
  if (!ok && up->stream != NULL)
    virStreamAbort (up->stream);
  g_clear_pointer (&up->stream, virStreamFree);
  virStorageVolFree (vol);
  virResetLastError ();
  return ok ? g_steal_pointer (&path) : NULL;
}

gboolean
_hangar_vm_creator_step_express (Job           *job,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  HangarDomainSpec *spec = job->spec;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(OsinfoMedia) media = NULL;
  g_autoptr(HangarExpressScript) script = NULL;
  g_autoptr(HangarIsoFile) kernel = NULL;
  g_autoptr(HangarIsoFile) initrd = NULL;
  g_autoptr(GBytes) cpio = NULL;
  g_autofree char *stem = NULL;
  OsinfoDb *db;
  OsinfoOs *os;
  Upload up = { job, cancellable, NULL, 0, 0 };

  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_EXPRESS);
  if (!_hangar_vm_creator_job_check (job, cancellable, error))
    return FALSE;

  if (spec->install_method != HANGAR_INSTALL_ISO || spec->iso_path == NULL)
    return _hangar_vm_creator_job_fail (job, error,
                                        _("An express installation needs an installation image."));
  if (!job->local)
    return _hangar_vm_creator_job_fail (job, error,
                                        _("An express installation needs a connection to this "
                                          "computer: the installation image is read here."));
  if (!job->start)
    return _hangar_vm_creator_job_fail (job, error,
                                        _("An express installation starts the machine right away: "
                                          "it cannot be customized first."));

  /* The media itself says where its kernel and initrd are. */
  if ((db = hangar_os_get_db (&local_error)) == NULL)
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
  media = osinfo_media_create_from_location (spec->iso_path, cancellable, &local_error);
  if (media == NULL || !osinfo_db_identify_media (db, media))
    return _hangar_vm_creator_job_fail (job, error,
                                        _("“%s” is not an installation image Hangar can install "
                                          "automatically."), spec->iso_path);
  os = spec->os != NULL ? spec->os : osinfo_media_get_os (media);
  script = hangar_express_generate (os, media, job->express, spec->caps->arch, &local_error);
  if (script == NULL)
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
  if (script->method == OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_CDROM)
    {
      g_autoptr(GBytes) iso = hangar_express_make_answers_iso (script->file_name, script->script,
                                                               &local_error);

      if (iso == NULL)
        return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
      up.total = g_bytes_get_size (iso);
      stem = g_strdup_printf ("%s-install-answers", spec->name);
      g_free (spec->answers_iso_path);
      spec->answers_iso_path = upload_bytes (&up, stem, iso, error);
      return spec->answers_iso_path != NULL;
    }
  if (script->method != OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD)
    return _hangar_vm_creator_job_fail (job, error,
                                        _("Hangar cannot yet install %s automatically."),
                                        osinfo_product_get_name (OSINFO_PRODUCT (os)));
  if (osinfo_media_get_kernel_path (media) == NULL || osinfo_media_get_initrd_path (media) == NULL)
    return _hangar_vm_creator_job_fail (job, error,
                                        _("The OS database does not say where this image’s "
                                          "installer is."));

  kernel = hangar_iso_file_open (spec->iso_path, osinfo_media_get_kernel_path (media), cancellable,
                                 &local_error);
  if (kernel != NULL)
    initrd = hangar_iso_file_open (spec->iso_path, osinfo_media_get_initrd_path (media),
                                   cancellable, &local_error);
  if (kernel == NULL || initrd == NULL)
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
  if ((cpio = hangar_express_make_cpio (script->file_name, script->script, &local_error)) == NULL)
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);

  up.total = hangar_iso_file_get_size (kernel) + hangar_iso_file_get_size (initrd) +
             g_bytes_get_size (cpio);
  stem = g_strdup_printf ("%s-install-kernel", spec->name);
  g_free (spec->kernel_path);
  if ((spec->kernel_path = copy_out (&up, kernel, stem, NULL, error)) == NULL)
    return FALSE;
  g_free (stem);
  stem = g_strdup_printf ("%s-install-initrd", spec->name);
  g_free (spec->initrd_path);
  if ((spec->initrd_path = copy_out (&up, initrd, stem, cpio, error)) == NULL)
    return FALSE;

  g_free (spec->extra_cmdline);
  spec->extra_cmdline = g_strdup (script->cmdline);
  return TRUE;
}
