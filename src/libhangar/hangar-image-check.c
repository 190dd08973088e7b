/* hangar-image-check.c — an imported disk image must stand alone.
 *
 * An image downloaded from anywhere may name other files on this host: a
 * qcow2 backing file or external data file, the extents of a VMDK. QEMU
 * and qemu-img follow those names and would copy the files they point at
 * (an ssh key, a password database) into the new machine's disk, where
 * its guest reads them (the class of CVE-2024-32498). So before an image
 * is converted or attached, qemu-img describes it, with its format given
 * so nothing is probed, and anything that is not a single self-contained
 * file is refused with the reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "hangar-install-checks.h"
#include "hangar-json.h"

/* qemu-img's description of one image is a few hundred bytes. */
#define MAX_INFO_BYTES  (1024 * 1024)
/* An image that makes qemu-img wait (a data file naming a FIFO) is
 * refused rather than left hanging. */
#define INFO_TIMEOUT_S  "30"

static const char *
lookup_string (GVariant   *dict,
               const char *key)
{
  const char *value = NULL;

  if (dict == NULL || !g_variant_lookup (dict, key, "&s", &value))
    return NULL;
  return value;
}

static GVariant *
lookup_dict (GVariant   *dict,
             const char *key)
{
  if (dict == NULL)
    return NULL;
  return g_variant_lookup_value (dict, key, G_VARIANT_TYPE_VARDICT);
}

static gboolean
refuse (GError     **error,
        const char  *format,
        ...) G_GNUC_PRINTF (2, 3);

static gboolean
refuse (GError     **error,
        const char  *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, HANGAR_INSTALL_CHECK_ERROR,
                       HANGAR_INSTALL_CHECK_ERROR_EXTERNAL_FILE, message);
  return FALSE;
}

static gboolean
check_vmdk (GVariant    *data,
            const char  *path,
            GError     **error)
{
  const char *create_type = lookup_string (data, "create-type");
  g_autoptr(GVariant) extents = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) extent = NULL;
  const char *extent_file;

  if (g_strcmp0 (create_type, "monolithicSparse") != 0
      && g_strcmp0 (create_type, "streamOptimized") != 0)
    return refuse (error, _("“%s” is a VMDK of the type “%s”, which keeps the disk in other "
                            "files. Hangar imports single-file VMDK images only "
                            "(monolithicSparse or streamOptimized)."),
                   path, create_type ? create_type : "?");

  if (data != NULL)
    extents = g_variant_lookup_value (data, "extents", G_VARIANT_TYPE ("av"));
  if (extents == NULL || g_variant_n_children (extents) != 1)
    return refuse (error, _("“%s” is made of %u extents. Hangar imports single-file VMDK "
                            "images only."),
                   path, extents ? (guint) g_variant_n_children (extents) : 0);

  first = g_variant_get_child_value (extents, 0);
  extent = g_variant_get_variant (first);
  extent_file = g_variant_is_of_type (extent, G_VARIANT_TYPE_VARDICT)
                ? lookup_string (extent, "filename") : NULL;
  if (g_strcmp0 (extent_file, path) != 0)
    return refuse (error, _("“%s” reads its data from another file, “%s”. Hangar imports "
                            "single-file VMDK images only."),
                   path, extent_file ? extent_file : "?");
  return TRUE;
}

/**
 * hangar_install_check_image_info:
 * @info: what `qemu-img info --output=json -f FORMAT PATH` printed
 * @length: its length, or -1
 * @path: the image, as given to qemu-img
 * @format: the format it was read as
 *
 * Refuses an image that names any file but itself: a backing file, a
 * qcow2 external data file, a VMDK of several extents or whose extent is
 * elsewhere.
 */
gboolean
hangar_install_check_image_info (const char        *info,
                                 gssize             length,
                                 const char        *path,
                                 HangarDiskFormat   format,
                                 GError           **error)
{
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariant) specific = NULL;
  g_autoptr(GVariant) data = NULL;
  const char *backing;
  const char *data_file;

  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  root = hangar_json_parse (info, length, NULL);
  if (root == NULL || !g_variant_is_of_type (root, G_VARIANT_TYPE_VARDICT))
    return refuse (error, _("qemu-img described “%s” in a way Hangar cannot read."), path);

  if (g_strcmp0 (lookup_string (root, "format"), hangar_disk_format_to_string (format)) != 0)
    return refuse (error, _("qemu-img does not read “%s” as a %s image."), path,
                   hangar_disk_format_to_string (format));

  backing = lookup_string (root, "full-backing-filename");
  if (backing == NULL)
    backing = lookup_string (root, "backing-filename");
  if (backing != NULL)
    return refuse (error, _("“%s” is not self-contained: it reads another file, “%s”, as its "
                            "backing file. Hangar imports only images that stand alone; merge "
                            "it into one file first (qemu-img convert)."), path, backing);

  specific = lookup_dict (root, "format-specific");
  data = lookup_dict (specific, "data");

  switch (format)
    {
    case HANGAR_DISK_FORMAT_QCOW2:
      data_file = lookup_string (data, "data-file");
      if (data_file != NULL
          || (data != NULL && g_variant_lookup (data, "data-file-raw", "b", NULL)))
        return refuse (error, _("“%s” keeps its data in another file, “%s”. Hangar imports "
                                "only images that stand alone."),
                       path, data_file ? data_file : "?");
      return TRUE;
    case HANGAR_DISK_FORMAT_VMDK:
      return check_vmdk (data, path, error);
    case HANGAR_DISK_FORMAT_RAW:
    case HANGAR_DISK_FORMAT_VDI:
    default:
      return TRUE;
    }
}

/**
 * hangar_install_inspect_image:
 * @path: an absolute path
 *
 * Runs qemu-img on the image and checks it with
 * hangar_install_check_image_info(). Blocks: call it from a worker thread.
 */
gboolean
hangar_install_inspect_image (const char        *path,
                              HangarDiskFormat   format,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  const char *text;
  gsize size;

  g_return_val_if_fail (path != NULL, FALSE);

  /* Only a path: "json:{…}" or "nbd:…" would be read as a protocol. */
  if (!g_path_is_absolute (path))
    return refuse (error, _("Give the full path of the file."));

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &local_error, "timeout", INFO_TIMEOUT_S,
                              "qemu-img", "info", "--output=json",
                              "-f", hangar_disk_format_to_string (format), path, NULL);
  if (process == NULL
      || !g_subprocess_communicate (process, NULL, cancellable, &out, &err, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return refuse (error, _("qemu-img could not be run: %s"), local_error->message);
    }

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_autofree char *message = g_strndup (g_bytes_get_data (err, NULL),
                                            MIN (g_bytes_get_size (err), 1024));

      g_strstrip (message);
      g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNREADABLE,
                   _("qemu-img could not read “%s”: %s"), path,
                   message[0] != '\0' ? message : _("it took too long or failed"));
      return FALSE;
    }

  text = g_bytes_get_data (out, &size);
  if (text == NULL || size == 0 || size > MAX_INFO_BYTES)
    return refuse (error, _("qemu-img described “%s” in a way Hangar cannot read."), path);
  return hangar_install_check_image_info (text, (gssize) size, path, format, error);
}
