/* hangar-express-media.c — files read out of an ISO image, and the small
 * cpio archive that carries an install script into an initrd.
 *
 * libarchive reads ISO 9660 (with Rock Ridge and Joliet names) as a plain
 * file: no loop mount, no root. Linux unpacks every cpio archive it finds
 * one after the other in its initrd, compressed or not, so the answers
 * file goes in as a second, uncompressed newc archive appended to the
 * installer's own initrd (at a 4-byte boundary, which the kernel needs;
 * Hangar pads to 512). Windows Setup looks for autounattend.xml at the
 * root of every removable drive: its answers go on a small ISO of their
 * own (libarchive's ISO 9660 writer, with Joliet names).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>

#include "hangar-express-media.h"

#define INITRD_ALIGN 512

struct _HangarIsoFile
{
  struct archive *archive;
  guint64         size;
};

/* install.amd/vmlinuz, whether libarchive says ./install.amd/vmlinuz or
 * (plain ISO 9660 names) INSTALL.AMD/VMLINUZ.;1 */
static gboolean
member_matches (const char *pathname,
                const char *member)
{
  g_autofree char *name = NULL;
  char *version;

  while (pathname[0] == '.' && pathname[1] == '/')
    pathname += 2;
  while (pathname[0] == '/')
    pathname++;
  while (member[0] == '/')
    member++;
  name = g_strdup (pathname);
  if ((version = strrchr (name, ';')) != NULL)
    *version = '\0';
  if (g_str_has_suffix (name, ".") && !g_str_has_suffix (member, "."))
    name[strlen (name) - 1] = '\0';
  return g_ascii_strcasecmp (name, member) == 0;
}

/**
 * hangar_iso_file_open:
 * @member: the file's path inside the image, as libosinfo names it
 *   (install.amd/initrd.gz)
 *
 * Blocks on I/O: run it in a worker.
 *
 * Returns: (transfer full) (nullable): the file, ready to read, or %NULL
 *   with @error set (%G_IO_ERROR_NOT_FOUND when the image has no such file)
 */
HangarIsoFile *
hangar_iso_file_open (const char    *iso_path,
                      const char    *member,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(HangarIsoFile) file = g_new0 (HangarIsoFile, 1);
  struct archive_entry *entry;
  int r;

  g_return_val_if_fail (iso_path != NULL, NULL);
  g_return_val_if_fail (member != NULL, NULL);

  file->archive = archive_read_new ();
  archive_read_support_format_iso9660 (file->archive);
  if (archive_read_open_filename (file->archive, iso_path, 64 * 1024) != ARCHIVE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” could not be read as an ISO image: %s"), iso_path,
                   archive_error_string (file->archive));
      return NULL;
    }
  while ((r = archive_read_next_header (file->archive, &entry)) == ARCHIVE_OK ||
         r == ARCHIVE_WARN)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (archive_entry_filetype (entry) == AE_IFREG &&
          member_matches (archive_entry_pathname (entry), member))
        {
          file->size = archive_entry_size (entry);
          return g_steal_pointer (&file);
        }
    }
  if (r != ARCHIVE_EOF)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("“%s” could not be read as an ISO image: %s"), iso_path,
                 archive_error_string (file->archive));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The installation image has no “%s”."), member);
  return NULL;
}

guint64
hangar_iso_file_get_size (HangarIsoFile *file)
{
  g_return_val_if_fail (file != NULL, 0);
  return file->size;
}

/**
 * hangar_iso_file_read:
 *
 * Returns: the bytes read, 0 at the end, -1 with @error set
 */
gssize
hangar_iso_file_read (HangarIsoFile  *file,
                      void           *buffer,
                      gsize           size,
                      GError        **error)
{
  la_ssize_t n;

  g_return_val_if_fail (file != NULL, -1);

  n = archive_read_data (file->archive, buffer, size);
  if (n < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The installation image could not be read: %s"),
                   archive_error_string (file->archive));
      return -1;
    }
  return n;
}

void
hangar_iso_file_close (HangarIsoFile *file)
{
  if (file == NULL)
    return;
  if (file->archive != NULL)
    archive_read_free (file->archive);
  g_free (file);
}

/**
 * hangar_express_initrd_padding:
 *
 * Returns: how many zero bytes go between an initrd of @initrd_size bytes
 *   and the archive appended to it
 */
gsize
hangar_express_initrd_padding (guint64 initrd_size)
{
  return (INITRD_ALIGN - initrd_size % INITRD_ALIGN) % INITRD_ALIGN;
}


/* Writes the archive's one file, with a fixed time (the same answers give
 * the same bytes), and closes the archive. */
static gboolean
write_one_file (struct archive *archive,
                const char     *file_name,
                int             perm,
                const char     *contents,
                gsize           len)
{
  struct archive_entry *entry = archive_entry_new ();
  gboolean ok;

  archive_entry_set_pathname (entry, file_name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, perm);
  archive_entry_set_size (entry, len);
  archive_entry_set_mtime (entry, 0, 0);
  ok = archive_write_header (archive, entry) == ARCHIVE_OK &&
       archive_write_data (archive, contents, len) == (la_ssize_t) len &&
       archive_write_close (archive) == ARCHIVE_OK;
  archive_entry_free (entry);
  return ok;
}

/**
 * hangar_express_make_cpio:
 * @file_name: the file's name at the initrd's root: preseed.cfg
 * @contents: its text
 *
 * Returns: (transfer full): a newc cpio archive holding the one file,
 *   readable by its owner only, or %NULL with @error set
 */
GBytes *
hangar_express_make_cpio (const char  *file_name,
                          const char  *contents,
                          GError     **error)
{
  struct archive *archive = archive_write_new ();
  gsize len = strlen (contents);
  /* The archive's size: headers, names and the trailer fit in 1 KiB. */
  gsize capacity = len + strlen (file_name) + 1024;
  g_autofree guchar *buffer = g_malloc0 (capacity);
  size_t used = 0;
  gboolean ok;

  archive_write_set_format_cpio_newc (archive);
  archive_write_add_filter_none (archive);
  /* No block padding: the kernel reads the archive to its trailer. */
  archive_write_set_bytes_per_block (archive, 0);
  ok = archive_write_open_memory (archive, buffer, capacity, &used) == ARCHIVE_OK &&
       write_one_file (archive, file_name, 0600, contents, len);
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The installation answers could not be packed: %s"),
                   archive_error_string (archive));
      archive_write_free (archive);
      explicit_bzero (buffer, capacity);
      return NULL;
    }
  archive_write_free (archive);
  return g_bytes_new_take (g_steal_pointer (&buffer), used);
}

/* libarchive's memory writer wants the whole buffer up front. */
typedef struct
{
  GByteArray *data;
} IsoSink;

static la_ssize_t
iso_sink_write (struct archive *archive,
                void           *user_data,
                const void     *buffer,
                size_t          length)
{
  IsoSink *sink = user_data;

  g_byte_array_append (sink->data, buffer, length);
  return length;
}

/**
 * hangar_express_make_answers_iso:
 * @file_name: the file's name at the disc's root: autounattend.xml
 * @contents: its text
 *
 * Returns: (transfer full): an ISO 9660 image (with Joliet names) holding
 *   the one file, or %NULL with @error set
 */
GBytes *
hangar_express_make_answers_iso (const char  *file_name,
                                 const char  *contents,
                                 GError     **error)
{
  struct archive *archive = archive_write_new ();
  IsoSink sink = { g_byte_array_new () };
  gsize len = strlen (contents);
  gboolean ok;

  ok = archive_write_set_format_iso9660 (archive) == ARCHIVE_OK &&
       archive_write_set_format_option (archive, "iso9660", "volume-id", "HANGAR_ANSWERS")
         == ARCHIVE_OK &&
       archive_write_set_format_option (archive, "iso9660", "joliet", "1") == ARCHIVE_OK &&
       archive_write_open (archive, &sink, NULL, iso_sink_write, NULL) == ARCHIVE_OK &&
       write_one_file (archive, file_name, 0400, contents, len);
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The installation answers could not be packed: %s"),
                   archive_error_string (archive));
      archive_write_free (archive);
      explicit_bzero (sink.data->data, sink.data->len);
      g_byte_array_unref (sink.data);
      return NULL;
    }
  archive_write_free (archive);
  return g_byte_array_free_to_bytes (sink.data);
}
