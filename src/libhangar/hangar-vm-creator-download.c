/* hangar-vm-creator-download.c — the installer's download over HTTP and the qemu-img conversion.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-os.h"
#include "hangar-tree-download.h"
#include "hangar-vm-creator-private.h"

/* --- download over HTTP --------------------------------------------------------- */

/* The most a single file may be. Tests make it small to show that a body
 * past it is refused without sending a gigabyte. */
static goffset
download_cap (void)
{
#if HANGAR_TEST_HOOKS
  const char *cap = g_getenv ("HANGAR_TEST_DOWNLOAD_CAP");

  if (cap != NULL && *cap != '\0')
    return g_ascii_strtoll (cap, NULL, 10);
#endif
  return HANGAR_TREE_DOWNLOAD_MAX_BYTES;
}

/* One header line, without its end. A server must not make Hangar buffer
 * without end (review findings M2 and L8), so a line stops at
 * HANGAR_HTTP_MAX_HEADER_LINE bytes. NULL with @error unset at the end of
 * the stream. */
static char *
read_header_line (GBufferedInputStream  *in,
                  GCancellable          *cancellable,
                  GError               **error)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (;;)
    {
      int c = g_buffered_input_stream_read_byte (in, cancellable, error);

      if (c < 0)
        {
          if (error != NULL && *error != NULL)
            return NULL;
          return line->len > 0 ? g_string_free (g_steal_pointer (&line), FALSE) : NULL;
        }
      if (c == '\n')
        break;
      if (line->len >= HANGAR_HTTP_MAX_HEADER_LINE)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("The server sent a header line longer than %u bytes."),
                       (guint) HANGAR_HTTP_MAX_HEADER_LINE);
          return NULL;
        }
      g_string_append_c (line, (char) c);
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* A plain HTTP/1.0 GET with GIO's sockets (TLS for https through
 * glib-networking): libsoup's headers are not in Debian 12's -dev set this
 * project builds with, and GIO's http support needs gvfs. HTTP/1.0 keeps
 * the body free of chunked encoding.
 *
 * Redirects are followed only within @tree_url's scheme, host and port:
 * the user chose that server, and an https tree must not continue in the
 * clear (review finding M2). A Content-Length above @max_length is
 * refused before the body is read. */
static GIOStream *
http_open (const char    *url,
           const char    *tree_url,
           goffset        max_length,
           goffset       *length,
           GInputStream **body,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *current = NULL;

  /* g_uri_parse (NULL) would fail a precondition without setting @error,
   * and the caller reads @error's message. */
  if (url == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("There is no address to download from."));
      return NULL;
    }
  current = g_strdup (url);

  for (guint redirects = 0; redirects < 6; redirects++)
    {
      g_autoptr(GUri) uri = g_uri_parse (current, G_URI_FLAGS_ENCODED, error);
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GBufferedInputStream) in = NULL;
      g_autofree char *request = NULL;
      g_autofree char *status_line = NULL;
      g_autofree char *location = NULL;
      g_autofree char *path = NULL;
      const char *scheme;
      int status = 0;
      guint headers = 0;
      gboolean tls;

      if (uri == NULL)
        return NULL;
      scheme = g_uri_get_scheme (uri);
      tls = g_ascii_strcasecmp (scheme, "https") == 0;
      if (!tls && g_ascii_strcasecmp (scheme, "http") != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Only http and https addresses can be downloaded from, not “%s”."),
                       scheme);
          return NULL;
        }
      if (!hangar_tree_download_same_origin (tree_url, current, error))
        return NULL;
      g_socket_client_set_tls (client, tls);
      g_socket_client_set_timeout (client, 30);
      connection = g_socket_client_connect_to_uri (client, current, tls ? 443 : 80,
                                                   cancellable, error);
      if (connection == NULL)
        return NULL;

      path = g_uri_join (G_URI_FLAGS_ENCODED, NULL, NULL, NULL, -1, g_uri_get_path (uri),
                         g_uri_get_query (uri), NULL);
      request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: Hangar/" VERSION
                                 "\r\nAccept: */*\r\n\r\n",
                                 path[0] ? path : "/", g_uri_get_host (uri));
      if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                      request, strlen (request), NULL, cancellable, error))
        return NULL;

      in = G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new (
             g_io_stream_get_input_stream (G_IO_STREAM (connection))));
      g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
      status_line = read_header_line (in, cancellable, error);
      if (status_line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         _("The server closed the connection without answering."));
          return NULL;
        }
      if (sscanf (status_line, "HTTP/%*d.%*d %d", &status) != 1)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The server’s answer is not HTTP."));
          return NULL;
        }

      *length = -1;
      for (;;)
        {
          g_autofree char *line = read_header_line (in, cancellable, error);
          char *colon;

          if (line == NULL)
            {
              if (error != NULL && *error != NULL)
                return NULL;
              break;
            }
          g_strchomp (line);
          if (line[0] == '\0')
            break;
          if (++headers > HANGAR_HTTP_MAX_HEADERS)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                           _("The server sent more than %u header lines."),
                           (guint) HANGAR_HTTP_MAX_HEADERS);
              return NULL;
            }
          if ((colon = strchr (line, ':')) == NULL)
            continue;
          *colon = '\0';
          if (g_ascii_strcasecmp (line, "Content-Length") == 0)
            *length = g_ascii_strtoll (g_strstrip (colon + 1), NULL, 10);
          else if (g_ascii_strcasecmp (line, "Location") == 0)
            {
              g_free (location);
              location = g_strdup (g_strstrip (colon + 1));
            }
        }

      if (status >= 300 && status < 400 && location != NULL)
        {
          char *next = g_uri_resolve_relative (current, location, G_URI_FLAGS_NONE, error);

          if (next == NULL)
            return NULL;
          g_free (current);
          current = next;
          continue;
        }
      if (status != 200)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("%s answered “%s”."), current, g_strstrip (status_line));
          return NULL;
        }
      if (*length > max_length)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("%s is %" G_GINT64_FORMAT " bytes, more than the %" G_GINT64_FORMAT
                         " bytes an installer file may be."),
                       current, (gint64) *length, (gint64) max_length);
          return NULL;
        }

      /* Headers were read through the buffer: hand on the buffer too. */
      *body = G_INPUT_STREAM (g_steal_pointer (&in));
      return G_IO_STREAM (g_steal_pointer (&connection));
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s redirects too often."), url);
  return NULL;
}

/* The tree's .treeinfo as this server sends it now, for its [checksums]
 * section, which libosinfo reads past. NULL with @error when neither
 * .treeinfo nor treeinfo can be read: libosinfo has just read one, so a
 * tree that no longer answers is not installed from unchecked. */
static GBytes *
fetch_treeinfo (const char    *tree_url,
                GCancellable  *cancellable,
                GError       **error)
{
  static const char *const names[] = { ".treeinfo", "treeinfo" };
  g_autoptr(GError) first_error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GIOStream) connection = NULL;
      g_autoptr(GInputStream) body = NULL;
      g_autoptr(GByteArray) data = g_byte_array_new ();
      g_autofree char *base = g_str_has_suffix (tree_url, "/") ? g_strdup (tree_url)
                                                               : g_strconcat (tree_url, "/", NULL);
      g_autofree char *url = g_strconcat (base, names[i], NULL);
      goffset length = -1;
      guint8 buf[16384];
      gssize n;

      connection = http_open (url, tree_url, HANGAR_TREE_DOWNLOAD_MAX_TREEINFO, &length, &body,
                              cancellable, &local_error);
      if (connection != NULL)
        {
          while ((n = g_input_stream_read (body, buf, sizeof buf, cancellable,
                                           &local_error)) > 0)
            {
              if (data->len + n > HANGAR_TREE_DOWNLOAD_MAX_TREEINFO)
                {
                  g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               _("%s is larger than a .treeinfo may be."), url);
                  n = -1;
                  break;
                }
              g_byte_array_append (data, buf, n);
            }
          if (n == 0)
            return g_byte_array_free_to_bytes (g_steal_pointer (&data));
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }
  g_propagate_error (error, g_steal_pointer (&first_error));
  return NULL;
}

/* Copies the file at @tmp_path into the volume at @path through libvirt,
 * which works the same for remote hosts. */
static gboolean
upload_file (Job         *job,
             const char  *tmp_path,
             const char  *path,
             goffset      size,
             GError     **error)
{
  g_autofree guint8 *buf = g_malloc (256 * 1024);
  virStorageVolPtr vol = virStorageVolLookupByPath (job->conn, path);
  virStreamPtr st = vol ? virStreamNew (job->conn, 0) : NULL;
  gboolean ok = FALSE;
  gssize n = -1;
  int fd = -1;

  if (st != NULL && virStorageVolUpload (vol, st, 0, size, 0) == 0)
    {
      if ((fd = g_open (tmp_path, O_RDONLY | O_CLOEXEC, 0)) >= 0)
        {
          while ((n = read (fd, buf, 256 * 1024)) > 0)
            if (virStreamSend (st, (const char *) buf, n) < 0)
              break;
          close (fd);
        }
      if (n == 0 && virStreamFinish (st) == 0)
        ok = TRUE;
      else
        virStreamAbort (st);
    }
  if (!ok)
    _hangar_vm_creator_job_fail_libvirt (job, error);
  if (st != NULL)
    virStreamFree (st);
  if (vol != NULL)
    virStorageVolFree (vol);
  return ok;
}

/* Downloads @url into a new raw volume named after @stem in the pool.
 * Spooled to a private file first: the volume needs its size up front and
 * servers do not always send one. With @expected_hex, the file must have
 * that digest before any volume is made. */
static char *
download_to_volume (Job           *job,
                    const char    *url,
                    const char    *tree_url,
                    GChecksumType  checksum_type,
                    const char    *expected_hex,
                    const char    *stem,
                    double         from,
                    double         to,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GIOStream) connection = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *vol_name = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree guint8 *buf = g_malloc (256 * 1024);
  g_autoptr(GChecksum) checksum = expected_hex ? g_checksum_new (checksum_type) : NULL;
  goffset cap = download_cap ();
  goffset length = -1, received = 0;
  gint64 last_report = 0;
  gboolean write_failed = FALSE;
  gssize n;
  int fd;

  text = g_strdup_printf (_("Downloading %s"), url);
  _hangar_vm_creator_job_report (job, from, text);

  connection = http_open (url, tree_url, cap, &length, &body, cancellable, &local_error);
  if (connection == NULL)
    goto download_failed;

  fd = g_file_open_tmp ("hangar-download-XXXXXX", &tmp_path, &local_error);
  if (fd < 0)
    goto download_failed;
  _hangar_vm_creator_job_remember (job, UNDO_FILE, tmp_path);

  while ((n = g_input_stream_read (body, buf, 256 * 1024, cancellable, &local_error)) > 0)
    {
      /* A server that keeps sending must not fill $TMPDIR, often RAM. */
      if (n > cap - received)
        {
          g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("it is larger than the %" G_GINT64_FORMAT
                         " bytes an installer file may be"), (gint64) cap);
          write_failed = TRUE;
          break;
        }
      if (checksum != NULL)
        g_checksum_update (checksum, buf, n);
      if (write (fd, buf, n) != n)
        {
          g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (errno),
                       "%s", g_strerror (errno));
          write_failed = TRUE;
          break;
        }
      received += n;
      if (length > 0 && g_get_monotonic_time () - last_report > 100000)
        {
          last_report = g_get_monotonic_time ();
          _hangar_vm_creator_job_report (job, from + (to - from) * 0.9 * received / length, NULL);
        }
    }
  close (fd);
  if (n < 0 || write_failed)
    goto download_failed;
  if ((length >= 0 && received != length) || received == 0)
    {
      g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   received == 0 ? _("the file is empty") : _("the download stopped early"));
      goto download_failed;
    }
  if (checksum != NULL && g_ascii_strcasecmp (g_checksum_get_string (checksum), expected_hex) != 0)
    {
      g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("its checksum is %s, but the tree’s .treeinfo lists %s"),
                   g_checksum_get_string (checksum), expected_hex);
      goto download_failed;
    }

  vol_name = _hangar_vm_creator_unique_volume_name (job, stem, "");
  xml = g_markup_printf_escaped ("<volume><name>%s</name>"
                                 "<capacity unit='bytes'>%" G_GINT64_FORMAT "</capacity>"
                                 "<target><format type='raw'/></target></volume>",
                                 vol_name, (gint64) received);
  if ((path = _hangar_vm_creator_create_volume (job, xml, error)) == NULL)
    return NULL;
  if (!upload_file (job, tmp_path, path, received, error))
    return NULL;

  g_unlink (tmp_path);
  _hangar_vm_creator_job_forget (job, UNDO_FILE, tmp_path);
  _hangar_vm_creator_job_report (job, to, NULL);
  return g_steal_pointer (&path);

download_failed:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    /* Every path here sets local_error today; a NULL one must still not
     * take the whole app down from a worker thread (review finding M3). */
    _hangar_vm_creator_job_fail (job, error, _("%s could not be downloaded: %s"), url,
                                 local_error != NULL ? local_error->message
                                 : _("unknown error"));
  return NULL;
}

/* The digest the tree lists for @path: TRUE with @hex NULL when it lists
 * none, FALSE when the entry cannot be checked. */
static gboolean
find_checksum (GBytes         *treeinfo,
               const char     *path,
               GChecksumType  *type,
               char          **hex,
               GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (treeinfo, &size);

  if (hangar_treeinfo_find_checksum (data != NULL ? data : "", size, path, type, hex,
                                     &local_error))
    return TRUE;
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
_hangar_vm_creator_step_download (Job           *job,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  HangarDomainSpec *spec = job->spec;
  g_autoptr(OsinfoTree) tree = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *kernel_url = NULL;
  g_autofree char *initrd_url = NULL;
  g_autofree char *stem = NULL;
  g_autoptr(GBytes) treeinfo = NULL;
  g_autofree char *kernel_hex = NULL;
  g_autofree char *initrd_hex = NULL;
  GChecksumType kernel_type = G_CHECKSUM_SHA256, initrd_type = G_CHECKSUM_SHA256;
  OsinfoDb *db;

  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_DOWNLOAD);
  if (!_hangar_vm_creator_job_check (job, cancellable, error))
    return FALSE;

  /* The tree says where its kernel is; the wizard has read it before, but
   * only the URL travels in the spec. */
  if ((db = hangar_os_get_db (&local_error)) == NULL)
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
  /* libosinfo's blocking read runs a main loop on the thread-default
   * context, which in this worker would be the application's: libvirt
   * events would be dispatched here, off the main thread. */
  {
    g_autoptr(GMainContext) context = g_main_context_new ();

    g_main_context_push_thread_default (context);
    tree = hangar_os_identify_tree (db, spec->tree_url, cancellable, &local_error);
    g_main_context_pop_thread_default (context);
  }
  if (tree == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
    }
  /* The paths come from the server's .treeinfo: one that makes no valid
   * address (review finding M3, `images/%zz`) fails the step. */
  kernel_url = hangar_os_tree_resolve (tree, osinfo_tree_get_kernel_path (tree), &local_error);
  if (kernel_url != NULL)
    initrd_url = hangar_os_tree_resolve (tree, osinfo_tree_get_initrd_path (tree), &local_error);
  if (kernel_url == NULL || initrd_url == NULL)
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error != NULL
                                        ? local_error->message
                                        : _("The tree names no valid kernel address."));

  /* The checksums, when the tree lists them, are checked before any volume
   * is made (review finding M2). */
  treeinfo = fetch_treeinfo (spec->tree_url, cancellable, &local_error);
  if (treeinfo == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return _hangar_vm_creator_job_fail (job, error, _("The tree’s .treeinfo could not be read "
                                                        "again to check its checksums: %s"),
                                          local_error->message);
    }
  if (!find_checksum (treeinfo, osinfo_tree_get_kernel_path (tree), &kernel_type, &kernel_hex,
                      &local_error)
      || !find_checksum (treeinfo, osinfo_tree_get_initrd_path (tree), &initrd_type, &initrd_hex,
                         &local_error))
    return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);

  stem = g_strdup_printf ("%s-kernel", spec->name);
  g_free (spec->kernel_path);
  spec->kernel_path = download_to_volume (job, kernel_url, spec->tree_url, kernel_type, kernel_hex,
                                          stem, 0.0, 0.3, cancellable, error);
  if (spec->kernel_path == NULL)
    return FALSE;
  g_free (stem);
  stem = g_strdup_printf ("%s-initrd", spec->name);
  g_free (spec->initrd_path);
  spec->initrd_path = download_to_volume (job, initrd_url, spec->tree_url, initrd_type, initrd_hex,
                                          stem, 0.3, 1.0, cancellable, error);
  return spec->initrd_path != NULL;
}

/* --- converting an imported image ----------------------------------------------- */

/* Runs `qemu-img convert -p` from @source (read as @format) to a qcow2
 * @target, reporting its progress in the current step. The caller has
 * remembered @target for the undo. */
gboolean
_hangar_vm_creator_qemu_img_convert (Job               *job,
                                     const char        *source,
                                     HangarDiskFormat   format,
                                     const char        *target,
                                     GCancellable      *cancellable,
                                     GError           **error)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  GInputStream *out;
  char buf[512];
  gssize n;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                              &local_error, "qemu-img", "convert", "-p",
                              "-f", hangar_disk_format_to_string (format),
                              "-O", "qcow2", source, target, NULL);
  if (process == NULL)
    return _hangar_vm_creator_job_fail (job, error, _("qemu-img could not be run: %s"),
                                        local_error->message);

  /* qemu-img prints "    (12.34/100%)" and a carriage return as it goes. */
  out = g_subprocess_get_stdout_pipe (process);
  while ((n = g_input_stream_read (out, buf, sizeof buf - 1, cancellable, &local_error)) > 0)
    {
      char *open_paren;

      buf[n] = '\0';
      g_string_append (output, buf);
      /* The last complete "(x/100%)" is where it is. */
      if ((open_paren = strrchr (output->str, '(')) != NULL && strchr (open_paren, '%') != NULL)
        _hangar_vm_creator_job_report (job, g_ascii_strtod (open_paren + 1, NULL) / 100.0, NULL);
      if (output->len > 4096)
        g_string_erase (output, 0, output->len - 1024);
    }
  if (n < 0)
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return _hangar_vm_creator_job_fail (job, error, "%s", local_error->message);
    }
  if (!g_subprocess_wait_check (process, cancellable, &local_error))
    {
      g_autofree char *tail = g_strstrip (g_strdup (output->str));

      return _hangar_vm_creator_job_fail (job, error, _("qemu-img could not convert the image: %s"),
                                          tail[0] ? tail : local_error->message);
    }
  return TRUE;
}

gboolean
_hangar_vm_creator_step_convert (Job           *job,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  HangarDomainSpec *spec = job->spec;
  g_autofree char *name = NULL;
  g_autofree char *target = NULL;

  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_CONVERT);
  if (!_hangar_vm_creator_job_check (job, cancellable, error))
    return FALSE;
  if (!job->local)
    return _hangar_vm_creator_job_fail (job, error,
                                        _("VirtualBox and VMware images can be converted on this "
                                          "computer’s own connections only."));

  name = _hangar_vm_creator_unique_volume_name (job, spec->name, ".qcow2");
  target = g_build_filename (job->pool_path, name, NULL);
  _hangar_vm_creator_job_remember (job, UNDO_VOLUME, target);
  if (!_hangar_vm_creator_qemu_img_convert (job, spec->import_path, spec->import_format, target,
                                            cancellable, error))
    return FALSE;

  virStoragePoolRefresh (job->pool, 0);
  virResetLastError ();
  g_free (spec->import_converted_path);
  spec->import_converted_path = g_steal_pointer (&target);
  _hangar_vm_creator_job_report (job, 1, NULL);
  return TRUE;
}
