/* hangar-install-checks.c — the new-machine wizard's field checks: install
 * media, disk images to import, memory and disk sizes.
 *
 * These read local files: for a remote connection the wizard asks the
 * host's storage pools instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hangar-install-checks.h"

G_DEFINE_QUARK (hangar-install-check-error-quark, hangar_install_check_error)

/* ISO 9660 (and the El Torito and hybrid images built on it) puts its
 * first volume descriptor in sector 16: a type byte, then "CD001". UDF
 * media start their recognition sequence at the same place with "BEA01". */
#define ISO_DESCRIPTOR_OFFSET (16 * 2048 + 1)

static gboolean
open_file (const char  *path,
           int         *fd_out,
           struct stat *st,
           GError     **error)
{
  int fd;

  if (path == NULL || path[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_EMPTY,
                           _("Choose a file."));
      return FALSE;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENOTDIR)
        g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_NOT_FOUND,
                     _("“%s” does not exist."), path);
      else
        g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNREADABLE,
                     _("“%s” cannot be read: %s."), path, g_strerror (saved));
      return FALSE;
    }

  if (fstat (fd, st) != 0 || !(S_ISREG (st->st_mode) || S_ISBLK (st->st_mode)))
    {
      g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNREADABLE,
                   _("“%s” is not a file or a drive."), path);
      close (fd);
      return FALSE;
    }

  *fd_out = fd;
  return TRUE;
}

/* Reads @len bytes at @offset; FALSE when the file is shorter. An empty
 * drive (no disc) reads as an error, which is reported as unreadable. */
static gboolean
read_at (int         fd,
         goffset     offset,
         guint8     *buf,
         gsize       len,
         const char *path,
         gboolean   *short_read,
         GError    **error)
{
  gssize n = pread (fd, buf, len, offset);

  *short_read = FALSE;
  if (n < 0)
    {
      g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNREADABLE,
                   _("“%s” cannot be read: %s."), path, g_strerror (errno));
      return FALSE;
    }
  *short_read = (gsize) n < len;
  return TRUE;
}

static gboolean
is_iso (const guint8 *descriptor)
{
  return memcmp (descriptor, "CD001", 5) == 0 || memcmp (descriptor, "BEA01", 5) == 0;
}

/**
 * hangar_install_check_iso:
 * @path: an ISO file or a CD/DVD drive such as /dev/sr0
 *
 * Checks that @path exists, can be read and holds an ISO 9660 or UDF
 * file system, with one message for each way it can fail.
 */
gboolean
hangar_install_check_iso (const char  *path,
                          GError     **error)
{
  guint8 descriptor[5];
  struct stat st;
  gboolean short_read;
  int fd = -1;
  gboolean ok;

  if (!open_file (path, &fd, &st, error))
    return FALSE;

  ok = read_at (fd, ISO_DESCRIPTOR_OFFSET, descriptor, sizeof descriptor, path,
                &short_read, error);
  close (fd);
  if (!ok)
    return FALSE;

  if (short_read || !is_iso (descriptor))
    {
      g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_NOT_ISO,
                   _("“%s” is not an installation image (ISO)."), path);
      return FALSE;
    }

  return TRUE;
}

/**
 * hangar_install_check_image:
 * @path: a disk image to import
 * @format: (out) (optional): its format
 *
 * Recognises qcow2, VirtualBox VDI and VMware VMDK images by their
 * headers. Raw images have none, so a file without a known header counts
 * as raw only when its name says so (.img, .raw) and its size is whole
 * sectors; anything else is an unknown format. ISO files are refused with
 * a hint to install from them instead.
 */
gboolean
hangar_install_check_image (const char        *path,
                            HangarDiskFormat  *format,
                            GError           **error)
{
  static const char vdi_text[] = "<<< ";
  guint8 head[512] = { 0 };
  guint8 descriptor[5] = { 0 };
  struct stat st;
  gboolean short_read;
  gboolean iso_short;
  int fd = -1;
  gboolean ok;
  g_autofree char *lower = NULL;

  if (!open_file (path, &fd, &st, error))
    return FALSE;

  ok = read_at (fd, 0, head, sizeof head, path, &short_read, error) &&
       read_at (fd, ISO_DESCRIPTOR_OFFSET, descriptor, sizeof descriptor, path,
                &iso_short, error);
  close (fd);
  if (!ok)
    return FALSE;

  if (memcmp (head, "QFI\xfb", 4) == 0)
    {
      if (format)
        *format = HANGAR_DISK_FORMAT_QCOW2;
      return TRUE;
    }

  /* VDI: a text banner, then the signature 0xbeda107f (little endian) at 0x40. */
  if (memcmp (head, vdi_text, strlen (vdi_text)) == 0 &&
      head[0x40] == 0x7f && head[0x41] == 0x10 && head[0x42] == 0xda && head[0x43] == 0xbe)
    {
      if (format)
        *format = HANGAR_DISK_FORMAT_VDI;
      return TRUE;
    }

  /* VMDK: only a sparse extent ("KDMV") is a disk in itself. A text
   * descriptor names other files as the disk's data, any file on this
   * host: qemu-img would copy them into the new machine's disk. */
  if (memcmp (head, "KDMV", 4) == 0)
    {
      if (format)
        *format = HANGAR_DISK_FORMAT_VMDK;
      return TRUE;
    }
  if (memcmp (head, "# Disk DescriptorFile", 21) == 0)
    {
      g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_EXTERNAL_FILE,
                   _("“%s” is a VMDK descriptor: a text file that names other files as the "
                     "disk’s data. Import a single-file VMDK (monolithicSparse or "
                     "streamOptimized) instead."), path);
      return FALSE;
    }

  if (!iso_short && is_iso (descriptor))
    {
      g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNKNOWN_FORMAT,
                   _("“%s” is an installation image, not a disk. Install from it instead."),
                   path);
      return FALSE;
    }

  lower = g_ascii_strdown (path, -1);
  if ((g_str_has_suffix (lower, ".img") || g_str_has_suffix (lower, ".raw")) &&
      S_ISREG (st.st_mode) && st.st_size > 0 && st.st_size % 512 == 0)
    {
      if (format)
        *format = HANGAR_DISK_FORMAT_RAW;
      return TRUE;
    }

  g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNKNOWN_FORMAT,
               _("“%s” is not a disk image Hangar knows. Use a qcow2, raw (.img), "
                 "VirtualBox (.vdi) or VMware (.vmdk) image."), path);
  return FALSE;
}

/**
 * hangar_install_check_memory:
 * @memory_mib: what the user asked for
 * @host_memory_mib: the host's memory (virNodeGetInfo), 0 when not known
 */
gboolean
hangar_install_check_memory (guint64   memory_mib,
                             guint64   host_memory_mib,
                             GError  **error)
{
  if (memory_mib == 0)
    {
      g_set_error_literal (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_SMALL,
                           _("The machine needs some memory."));
      return FALSE;
    }

  if (host_memory_mib > 0 && memory_mib > host_memory_mib)
    {
      g_autofree char *size = g_format_size_full (host_memory_mib << 20,
                                                  G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_LARGE,
                   _("The host has only %s of memory."), size);
      return FALSE;
    }

  return TRUE;
}

/**
 * hangar_check_memory_allocation:
 * @current_mib: the current allocation (what the balloon gives the guest)
 * @maximum_mib: the maximum allocation (what the machine starts with)
 * @host_memory_mib: the host's memory, 0 when not known
 * @current_at_fault: (out) (optional): set to whether @current_mib is the
 *   value refused, so the message goes next to that field
 *
 * The machine details' memory form: each value is held to the wizard's
 * rule (hangar_install_check_memory), so what the wizard refuses cannot be
 * saved later, and the current allocation cannot exceed the maximum.
 */
gboolean
hangar_check_memory_allocation (guint64    current_mib,
                                guint64    maximum_mib,
                                guint64    host_memory_mib,
                                gboolean  *current_at_fault,
                                GError   **error)
{
  if (current_at_fault != NULL)
    *current_at_fault = FALSE;

  if (!hangar_install_check_memory (maximum_mib, host_memory_mib, error))
    return FALSE;

  if (current_at_fault != NULL)
    *current_at_fault = TRUE;

  if (!hangar_install_check_memory (current_mib, host_memory_mib, error))
    return FALSE;

  if (current_mib > maximum_mib)
    {
      g_set_error_literal (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_LARGE,
                           _("The current allocation cannot be more than the maximum."));
      return FALSE;
    }

  if (current_at_fault != NULL)
    *current_at_fault = FALSE;
  return TRUE;
}

/**
 * hangar_install_check_disk_size:
 * @capacity_gib: the new disk's size
 * @pool_available_bytes: free space in the storage pool (virStoragePoolGetInfo)
 *
 * New disks are thin, but a disk larger than the pool's free space fills
 * the host as the guest writes; refuse it.
 */
gboolean
hangar_install_check_disk_size (guint64   capacity_gib,
                                guint64   pool_available_bytes,
                                GError  **error)
{
  guint64 available_gib = pool_available_bytes / (G_GUINT64_CONSTANT (1) << 30);

  if (capacity_gib == 0)
    {
      g_set_error_literal (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_SMALL,
                           _("The disk needs a size."));
      return FALSE;
    }

  if (capacity_gib > available_gib)
    {
      g_autofree char *size = g_format_size_full (pool_available_bytes, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_LARGE,
                   _("The storage pool has only %s free."), size);
      return FALSE;
    }

  return TRUE;
}
