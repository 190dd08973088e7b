/* hangar-os-download.c — downloads an OS image over HTTP(S) with libsoup.
 *
 * The transfer runs on a worker thread with a session of its own and the
 * synchronous libsoup API; progress goes back to the caller's main
 * context. The bytes land in DESTINATION.part, which is renamed to
 * DESTINATION only once the whole file is there and its checksum, when
 * the database or the server gives one, matches.
 *
 * Pause cancels the transfer and keeps the .part file; starting again asks
 * for the rest with Range and If-Range (the ETag or Last-Modified the
 * first answer carried), and a server that answers 200 instead of 206
 * starts the file over. Cancel removes the .part file.
 *
 * Redirects are followed by hand (at most 10): never from https to
 * anything else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "hangar-os-download.h"
#include "hangar-units.h"

#define MAX_REDIRECTS 10
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 5)
#define BLOCK_SIZE (256 * 1024)

struct _HangarOsDownloader
{
  GObject parent_instance;

  char *url;
  char *destination;
  char *expected_sha256;

  GMainContext *context;
  GCancellable *cancellable;
  gulong user_cancel_id;
  GCancellable *user_cancellable;

  /* Shared with the worker: under @lock. */
  GMutex lock;
  HangarDownloadState state;
  guint64 received;
  guint64 total;
  double rate;
  gint64 seconds_left;
  char *validator;
  char *checksum_url;
  gboolean verified;
  gboolean resumed;
  guint requests;
  gboolean notify_queued;
  gint discard;        /* atomic: cancelling removes the .part file */
};

G_DEFINE_TYPE (HangarOsDownloader, hangar_os_downloader, G_TYPE_OBJECT)

enum
{
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (hangar-download-error-quark, hangar_download_error)

static void
hangar_os_downloader_dispose (GObject *object)
{
  HangarOsDownloader *self = HANGAR_OS_DOWNLOADER (object);

  if (self->user_cancellable != NULL)
    g_cancellable_disconnect (self->user_cancellable, self->user_cancel_id);
  self->user_cancel_id = 0;
  g_clear_object (&self->user_cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (hangar_os_downloader_parent_class)->dispose (object);
}

static void
hangar_os_downloader_finalize (GObject *object)
{
  HangarOsDownloader *self = HANGAR_OS_DOWNLOADER (object);

  g_free (self->url);
  g_free (self->destination);
  g_free (self->expected_sha256);
  g_free (self->validator);
  g_free (self->checksum_url);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (hangar_os_downloader_parent_class)->finalize (object);
}

static void
hangar_os_downloader_class_init (HangarOsDownloaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_os_downloader_dispose;
  object_class->finalize = hangar_os_downloader_finalize;

  /**
   * HangarOsDownloader::progress:
   *
   * The state, bytes, rate or time left changed; emitted on the main
   * context that started the download, at most five times a second
   * while bytes flow.
   */
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
hangar_os_downloader_init (HangarOsDownloader *self)
{
  g_mutex_init (&self->lock);
  self->seconds_left = -1;
}

/**
 * hangar_os_downloader_new:
 * @url: an http or https URL
 * @destination: the file to make; DESTINATION.part holds it meanwhile
 * @sha256: (nullable): the checksum the database gives; without one, the
 *   server's SHA256SUMS, FILE.sha256 or CHECKSUM next to the file is used
 */
HangarOsDownloader *
hangar_os_downloader_new (const char *url,
                          const char *destination,
                          const char *sha256)
{
  HangarOsDownloader *self;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (destination != NULL, NULL);

  self = g_object_new (HANGAR_TYPE_OS_DOWNLOADER, NULL);
  self->url = g_strdup (url);
  self->destination = g_strdup (destination);
  self->expected_sha256 = sha256 != NULL ? g_ascii_strdown (sha256, -1) : NULL;
  return self;
}

const char *
hangar_os_downloader_get_url (HangarOsDownloader *self)
{
  g_return_val_if_fail (HANGAR_IS_OS_DOWNLOADER (self), NULL);
  return self->url;
}

const char *
hangar_os_downloader_get_destination (HangarOsDownloader *self)
{
  g_return_val_if_fail (HANGAR_IS_OS_DOWNLOADER (self), NULL);
  return self->destination;
}

char *
hangar_os_downloader_get_partial_path (HangarOsDownloader *self)
{
  g_return_val_if_fail (HANGAR_IS_OS_DOWNLOADER (self), NULL);
  return g_strconcat (self->destination, ".part", NULL);
}

#define LOCKED_GETTER(type, name, field)                         \
  type                                                           \
  hangar_os_downloader_get_##name (HangarOsDownloader *self)     \
  {                                                              \
    type value;                                                  \
    g_return_val_if_fail (HANGAR_IS_OS_DOWNLOADER (self), 0);    \
    g_mutex_lock (&self->lock);                                  \
    value = self->field;                                         \
    g_mutex_unlock (&self->lock);                                \
    return value;                                                \
  }

LOCKED_GETTER (HangarDownloadState, state, state)
LOCKED_GETTER (guint64, received, received)
LOCKED_GETTER (guint64, total, total)
LOCKED_GETTER (double, rate, rate)
LOCKED_GETTER (gint64, seconds_left, seconds_left)
LOCKED_GETTER (gboolean, verified, verified)
LOCKED_GETTER (guint, requests, requests)
LOCKED_GETTER (gboolean, resumed, resumed)

/* Only read on the main context once the download has finished. */
const char *
hangar_os_downloader_get_checksum_url (HangarOsDownloader *self)
{
  g_return_val_if_fail (HANGAR_IS_OS_DOWNLOADER (self), NULL);
  return self->checksum_url;
}

/* --- progress, from the worker to the main context ----------------------------------------- */

static gboolean
emit_progress (gpointer data)
{
  HangarOsDownloader *self = data;

  g_mutex_lock (&self->lock);
  self->notify_queued = FALSE;
  g_mutex_unlock (&self->lock);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  return G_SOURCE_REMOVE;
}

/* Called with @lock held. */
static void
queue_progress_locked (HangarOsDownloader *self)
{
  GSource *source;

  if (self->notify_queued || self->context == NULL)
    return;
  self->notify_queued = TRUE;
  /* Never run on the spot (invoke would, on the main thread, under @lock). */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_progress, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[hangar] download progress");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
set_state (HangarOsDownloader  *self,
           HangarDownloadState  state)
{
  g_mutex_lock (&self->lock);
  self->state = state;
  if (state != HANGAR_DOWNLOAD_RUNNING)
    {
      self->rate = 0;
      self->seconds_left = -1;
    }
  queue_progress_locked (self);
  g_mutex_unlock (&self->lock);
}

/* --- HTTP ----------------------------------------------------------------------------------- */

static SoupSession *
new_session (void)
{
  SoupSession *session = soup_session_new_with_options ("timeout", 60,
                                                        "idle-timeout", 60,
                                                        "user-agent", "Hangar ",
                                                        NULL);

  /* The bytes as the server stores them: a checksum is over those. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  return session;
}

static gboolean
is_http (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  return g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0;
}

/* Sends @method to @url and follows redirects by hand. Returns the body
 * of the final answer, whatever its status; @msg gets the message. */
static GInputStream *
send_following (SoupSession   *session,
                const char    *method,
                const char    *url,
                guint64        offset,
                const char    *validator,
                SoupMessage  **out_msg,
                char         **out_url,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri == NULL || !is_http (uri) || g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_HTTP,
                   _("“%s” is not an http or https address."), url);
      return NULL;
    }

  for (guint hops = 0; hops <= MAX_REDIRECTS; hops++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new_from_uri (method, uri);
      g_autoptr(GInputStream) body = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GUri) next = NULL;
      SoupMessageHeaders *request = soup_message_get_request_headers (msg);
      const char *location;
      guint status;

      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      soup_message_headers_replace (request, "Accept-Encoding", "identity");
      if (offset > 0)
        {
          soup_message_headers_set_range (request, (goffset) offset, -1);
          if (validator != NULL)
            soup_message_headers_replace (request, "If-Range", validator);
        }

      body = soup_session_send (session, msg, cancellable, &local_error);
      if (body == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_NETWORK,
                         _("Could not reach %s: %s"), g_uri_get_host (uri),
                         local_error->message);
          return NULL;
        }

      status = soup_message_get_status (msg);
      if (!SOUP_STATUS_IS_REDIRECTION (status) || status == SOUP_STATUS_NOT_MODIFIED)
        {
          *out_msg = g_steal_pointer (&msg);
          if (out_url != NULL)
            *out_url = g_uri_to_string (uri);
          return g_steal_pointer (&body);
        }

      g_input_stream_close (body, NULL, NULL);
      location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
      next = location != NULL ? g_uri_parse_relative (uri, location, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
      if (next == NULL || !is_http (next))
        {
          g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_REDIRECT,
                       _("%s sent the download to an address Hangar cannot follow."),
                       g_uri_get_host (uri));
          return NULL;
        }
      if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0
          && g_ascii_strcasecmp (g_uri_get_scheme (next), "https") != 0)
        {
          g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_REDIRECT,
                       _("%s sent the download from a secure (https) address to an "
                         "insecure one; Hangar does not follow it."),
                       g_uri_get_host (uri));
          return NULL;
        }
      g_clear_pointer (&uri, g_uri_unref);
      uri = g_steal_pointer (&next);
    }

  g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_REDIRECT,
               _("The server redirected the download more than %d times."), MAX_REDIRECTS);
  return NULL;
}

static void
set_status_error (GError      **error,
                  SoupMessage  *msg)
{
  GUri *uri = soup_message_get_uri (msg);
  guint status = soup_message_get_status (msg);

  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
    g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_HTTP,
                 _("%s does not have this file any more (%u %s). The OS database "
                   "may be older than the server's layout."),
                 g_uri_get_host (uri), status, soup_message_get_reason_phrase (msg));
  else
    g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_HTTP,
                 _("%s answered “%u %s”."), g_uri_get_host (uri), status,
                 soup_message_get_reason_phrase (msg));
}

/* --- checksums ------------------------------------------------------------------------------- */

static gboolean
is_sha256_hex (const char *text,
               gsize       length)
{
  if (length != 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
same_name (const char *listed,
           gsize       length,
           const char *file_name)
{
  while (length > 0 && (listed[0] == '*' || listed[0] == ' '))
    listed++, length--;
  if (length >= 2 && listed[0] == '.' && listed[1] == '/')
    listed += 2, length -= 2;
  while (length > 0 && g_ascii_isspace (listed[length - 1]))
    length--;
  return length == strlen (file_name) && strncmp (listed, file_name, length) == 0;
}

/**
 * hangar_os_download_find_checksum:
 * @sums: a checksum file: GNU ("HEX  NAME", "HEX *NAME"), BSD or Fedora
 *   ("SHA256 (NAME) = HEX"), or one HEX alone (FILE.sha256)
 * @file_name: the file whose checksum is wanted
 * @sha256: (out): its SHA-256, lower case
 *
 * Returns: whether @sums lists a SHA-256 for @file_name
 */
gboolean
hangar_os_download_find_checksum (const char  *sums,
                                  gsize        length,
                                  const char  *file_name,
                                  char       **sha256)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (sums != NULL, FALSE);
  g_return_val_if_fail (file_name != NULL, FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  copy = g_strndup (sums, length);
  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      gsize n = strlen (line);

      if (g_str_has_prefix (line, "SHA256 ("))
        {
          const char *close = strstr (line, ") = ");
          const char *name = line + strlen ("SHA256 (");

          if (close != NULL && same_name (name, close - name, file_name)
              && is_sha256_hex (close + 4, strlen (close + 4)))
            {
              *sha256 = g_ascii_strdown (close + 4, -1);
              return TRUE;
            }
        }
      else if (n >= 64 && is_sha256_hex (line, 64)
               && (n == 64 || (g_ascii_isspace (line[64])
                               && same_name (line + 65, n - 65, file_name))))
        {
          *sha256 = g_ascii_strdown (line, 64);
          return TRUE;
        }
    }
  return FALSE;
}

/* The checksum files a server may keep next to @url, best first. */
static GPtrArray *
checksum_candidates (const char *url,
                     char      **file_name)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  GPtrArray *candidates = g_ptr_array_new_with_free_func (g_free);
  const char *path;
  const char *slash;
  g_autofree char *base = NULL;

  *file_name = NULL;
  if (uri == NULL)
    return candidates;
  path = g_uri_get_path (uri);
  slash = strrchr (path, '/');
  if (slash == NULL || slash[1] == '\0')
    return candidates;
  base = g_strdup (slash + 1);
  *file_name = g_uri_unescape_string (base, NULL);

  for (guint i = 0; i < 3; i++)
    {
      static const char *const names[] = { "SHA256SUMS", NULL, "CHECKSUM" };
      g_autofree char *sibling = names[i] != NULL ? g_strdup (names[i])
                                                  : g_strconcat (base, ".sha256", NULL);
      g_autoptr(GUri) next = g_uri_parse_relative (uri, sibling, SOUP_HTTP_URI_FLAGS, NULL);

      if (next != NULL)
        g_ptr_array_add (candidates, g_uri_to_string (next));
    }
  return candidates;
}

/* Fetches a checksum file; %NULL without an error when the server has
 * none. */
static GBytes *
fetch_small (SoupSession   *session,
             const char    *url,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[16384];

  body = send_following (session, "GET", url, 0, NULL, &msg, NULL, cancellable, &local_error);
  if (body == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    return NULL;

  for (;;)
    {
      gssize n = g_input_stream_read (body, buffer, sizeof buffer, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_byte_array_append (data, buffer, n);
      if (data->len > HANGAR_DOWNLOAD_MAX_CHECKSUM)
        return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static char *
sha256_of_file (HangarOsDownloader  *self,
                const char          *path,
                GCancellable        *cancellable,
                GError             **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (BLOCK_SIZE);

  if (in == NULL)
    return NULL;
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buffer, BLOCK_SIZE, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, n);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* --- the transfer ---------------------------------------------------------------------------- */

static gboolean
transfer (HangarOsDownloader  *self,
          SoupSession         *session,
          const char          *part,
          char               **final_url,
          GCancellable        *cancellable,
          GError             **error)
{
  g_autoptr(GFile) part_file = g_file_new_for_path (part);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree char *validator = NULL;
  g_autofree guint8 *buffer = NULL;
  SoupMessageHeaders *headers;
  GStatBuf st;
  guint64 offset = 0;
  guint64 received;
  guint64 total = 0;
  gint64 last_time;
  guint64 last_bytes;
  double rate = 0;
  guint status;

  g_mutex_lock (&self->lock);
  validator = g_strdup (self->validator);
  g_mutex_unlock (&self->lock);

  /* Resume only a file this downloader began, with a validator to ask
   * the server that it is still the same file. */
  if (validator != NULL && g_stat (part, &st) == 0 && st.st_size > 0)
    offset = st.st_size;

  body = send_following (session, "GET", self->url, offset, validator, &msg, final_url,
                         cancellable, error);
  if (body == NULL)
    return FALSE;

  g_mutex_lock (&self->lock);
  self->requests++;
  g_mutex_unlock (&self->lock);

  status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);

  if (status == SOUP_STATUS_PARTIAL_CONTENT && offset > 0)
    {
      goffset start = 0, end = 0, length = 0;

      if (!soup_message_headers_get_content_range (headers, &start, &end, &length)
          || (guint64) start != offset)
        {
          g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_HTTP,
                       _("The server sent a different part of the file than asked for."));
          g_unlink (part);
          return FALSE;
        }
      total = length > 0 ? (guint64) length : 0;
      out = g_file_append_to (part_file, G_FILE_CREATE_NONE, cancellable, error);
    }
  else if (status == SOUP_STATUS_OK)
    {
      const char *etag = soup_message_headers_get_one (headers, "ETag");
      const char *modified = soup_message_headers_get_one (headers, "Last-Modified");

      offset = 0;
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
        total = soup_message_headers_get_content_length (headers);

      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->validator, g_free);
      /* A weak ETag may not be used with If-Range. */
      if (etag != NULL && !g_str_has_prefix (etag, "W/"))
        self->validator = g_strdup (etag);
      else if (modified != NULL)
        self->validator = g_strdup (modified);
      g_mutex_unlock (&self->lock);

      if (total > (guint64) HANGAR_DOWNLOAD_MAX_BYTES)
        {
          g_autofree char *size = g_format_size (total);

          g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_TOO_BIG,
                       _("The server says the file is %s, more than an OS image can be."),
                       size);
          return FALSE;
        }
      out = g_file_replace (part_file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error);
    }
  else if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && offset > 0)
    {
      /* The file changed under us, or the part is already whole: begin
       * again rather than guess. */
      g_unlink (part);
      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->validator, g_free);
      g_mutex_unlock (&self->lock);
      g_input_stream_close (body, NULL, NULL);
      g_clear_object (&body);
      g_clear_pointer (final_url, g_free);
      return transfer (self, session, part, final_url, cancellable, error);
    }
  else
    {
      set_status_error (error, msg);
      return FALSE;
    }

  if (out == NULL)
    return FALSE;

  g_mutex_lock (&self->lock);
  self->resumed = offset > 0;
  self->received = offset;
  self->total = total;
  queue_progress_locked (self);
  g_mutex_unlock (&self->lock);

  buffer = g_malloc (BLOCK_SIZE);
  received = offset;
  last_time = g_get_monotonic_time ();
  last_bytes = received;
  for (;;)
    {
      g_autoptr(GError) read_error = NULL;
      gssize n = g_input_stream_read (body, buffer, BLOCK_SIZE, cancellable, &read_error);
      gint64 now;

      if (n < 0)
        {
          g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
          if (g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&read_error));
          else
            {
              g_autofree char *done = g_format_size (received);

              g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_TRUNCATED,
                           _("The connection broke after %s: %s. Resume continues "
                             "where it stopped."), done, read_error->message);
            }
          return FALSE;
        }
      if (n == 0)
        break;
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), buffer, n, NULL,
                                      cancellable, error))
        return FALSE;
      received += n;
      if (received > (guint64) HANGAR_DOWNLOAD_MAX_BYTES || (total > 0 && received > total))
        {
          g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_TOO_BIG,
                       _("The server sent more than the file can be."));
          g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
          g_unlink (part);
          return FALSE;
        }

      now = g_get_monotonic_time ();
      if (now - last_time >= PROGRESS_INTERVAL_US)
        {
          double sample = (received - last_bytes) * (double) G_USEC_PER_SEC / (now - last_time);

          rate = rate > 0 ? 0.7 * rate + 0.3 * sample : sample;
          last_time = now;
          last_bytes = received;
          g_mutex_lock (&self->lock);
          self->received = received;
          self->rate = rate;
          self->seconds_left = total > 0 && rate > 1 ? (gint64) ((total - received) / rate) : -1;
          queue_progress_locked (self);
          g_mutex_unlock (&self->lock);
        }
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->received = received;
  queue_progress_locked (self);
  g_mutex_unlock (&self->lock);

  if (total > 0 && received < total)
    {
      g_autofree char *done = g_format_size (received);
      g_autofree char *all = g_format_size (total);

      g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_TRUNCATED,
                   _("The server closed the connection after %s of %s. Resume "
                     "continues where it stopped."), done, all);
      return FALSE;
    }
  return TRUE;
}

static gboolean
verify (HangarOsDownloader  *self,
        SoupSession         *session,
        const char          *part,
        const char          *final_url,
        GCancellable        *cancellable,
        GError             **error)
{
  g_autofree char *expected = g_strdup (self->expected_sha256);
  g_autofree char *source = NULL;
  g_autofree char *actual = NULL;

  if (expected == NULL)
    {
      /* Next to the file where the redirects ended: a mirror keeps the
       * sums with the image. */
      g_autofree char *file_name = NULL;
      g_autoptr(GPtrArray) candidates = checksum_candidates (final_url, &file_name);

      for (guint i = 0; expected == NULL && file_name != NULL && i < candidates->len; i++)
        {
          g_autoptr(GError) local_error = NULL;
          g_autoptr(GBytes) sums = fetch_small (session, candidates->pdata[i], cancellable,
                                                &local_error);

          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (sums != NULL
              && hangar_os_download_find_checksum (g_bytes_get_data (sums, NULL),
                                                   g_bytes_get_size (sums),
                                                   file_name, &expected))
            source = g_strdup (candidates->pdata[i]);
        }
    }
  else
    source = g_strdup (self->url);

  if (expected == NULL)
    return TRUE;

  set_state (self, HANGAR_DOWNLOAD_VERIFYING);
  actual = sha256_of_file (self, part, cancellable, error);
  if (actual == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (actual, expected) != 0)
    {
      g_unlink (part);
      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->validator, g_free);
      g_mutex_unlock (&self->lock);
      g_set_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_CHECKSUM,
                   _("The downloaded file is damaged or not the one published: its "
                     "SHA-256 checksum does not match. It was deleted."));
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  self->verified = TRUE;
  g_free (self->checksum_url);
  self->checksum_url = g_steal_pointer (&source);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
download_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  HangarOsDownloader *self = source_object;
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *part = hangar_os_downloader_get_partial_path (self);
  g_autofree char *final_url = NULL;
  g_autoptr(GError) error = NULL;

  if (g_file_test (self->destination, G_FILE_TEST_EXISTS))
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 _("“%s” already exists."), self->destination);
  else if (transfer (self, session, part, &final_url, cancellable, &error)
           && verify (self, session, part, final_url, cancellable, &error))
    {
      if (g_rename (part, self->destination) != 0)
        {
          int saved = errno;

          g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not move the download to “%s”: %s"),
                       self->destination, g_strerror (saved));
        }
    }

  if (error == NULL)
    {
      set_state (self, HANGAR_DOWNLOAD_DONE);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (g_atomic_int_get (&self->discard))
        {
          g_unlink (part);
          set_state (self, HANGAR_DOWNLOAD_CANCELLED);
        }
      else
        set_state (self, HANGAR_DOWNLOAD_PAUSED);
    }
  else
    {
      /* A file that cannot be resumed is no use to anyone. */
      if (!g_error_matches (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_TRUNCATED))
        g_unlink (part);
      set_state (self, HANGAR_DOWNLOAD_FAILED);
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
user_cancelled (GCancellable *cancellable,
                gpointer      data)
{
  HangarOsDownloader *self = data;

  g_atomic_int_set (&self->discard, TRUE);
  g_cancellable_cancel (self->cancellable);
}

/**
 * hangar_os_downloader_start_async:
 * @cancellable: (nullable): cancelling it is hangar_os_downloader_cancel()
 *
 * Downloads, or resumes a paused or broken download. Fails with
 * %G_IO_ERROR_CANCELLED after a pause or a cancel (see the state).
 */
void
hangar_os_downloader_start_async (HangarOsDownloader  *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HangarDownloadState state;

  g_return_if_fail (HANGAR_IS_OS_DOWNLOADER (self));

  state = hangar_os_downloader_get_state (self);
  g_return_if_fail (state != HANGAR_DOWNLOAD_RUNNING && state != HANGAR_DOWNLOAD_VERIFYING);

  if (self->user_cancellable != NULL)
    g_cancellable_disconnect (self->user_cancellable, self->user_cancel_id);
  self->user_cancel_id = 0;
  g_clear_object (&self->user_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  g_atomic_int_set (&self->discard, FALSE);
  g_mutex_lock (&self->lock);
  self->verified = FALSE;
  self->state = HANGAR_DOWNLOAD_RUNNING;
  /* What a resume keeps, until the server answers. */
  {
    g_autofree char *part = hangar_os_downloader_get_partial_path (self);
    GStatBuf st;

    self->received = self->validator != NULL && g_stat (part, &st) == 0 ? (guint64) st.st_size : 0;
    self->rate = 0;
    self->seconds_left = -1;
  }
  queue_progress_locked (self);
  g_mutex_unlock (&self->lock);

  if (cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (cancellable);
      self->user_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (user_cancelled),
                                                    self, NULL);
    }

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_os_downloader_start_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, download_thread);
}

gboolean
hangar_os_downloader_start_finish (HangarOsDownloader  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * hangar_os_downloader_pause:
 *
 * Stops the transfer and keeps what arrived; start again to resume.
 */
void
hangar_os_downloader_pause (HangarOsDownloader *self)
{
  g_return_if_fail (HANGAR_IS_OS_DOWNLOADER (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/**
 * hangar_os_downloader_cancel:
 *
 * Stops the transfer and deletes what arrived.
 */
void
hangar_os_downloader_cancel (HangarOsDownloader *self)
{
  HangarDownloadState state;

  g_return_if_fail (HANGAR_IS_OS_DOWNLOADER (self));

  state = hangar_os_downloader_get_state (self);
  g_atomic_int_set (&self->discard, TRUE);
  if (state == HANGAR_DOWNLOAD_RUNNING || state == HANGAR_DOWNLOAD_VERIFYING)
    g_cancellable_cancel (self->cancellable);
  else if (state != HANGAR_DOWNLOAD_DONE)
    {
      hangar_os_downloader_discard (self);
      set_state (self, HANGAR_DOWNLOAD_CANCELLED);
    }
}

/**
 * hangar_os_downloader_discard:
 *
 * Deletes the .part file of a download that is not running.
 */
void
hangar_os_downloader_discard (HangarOsDownloader *self)
{
  g_autofree char *part = NULL;

  g_return_if_fail (HANGAR_IS_OS_DOWNLOADER (self));

  part = hangar_os_downloader_get_partial_path (self);
  g_unlink (part);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->validator, g_free);
  self->received = 0;
  g_mutex_unlock (&self->lock);
}

/* --- size ------------------------------------------------------------------------------------ */

static void
query_size_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) body = NULL;
  GError *error = NULL;
  SoupMessageHeaders *headers;

  body = send_following (session, "HEAD", task_data, 0, NULL, &msg, NULL, cancellable, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      set_status_error (&error, msg);
      g_task_return_error (task, error);
      return;
    }
  headers = soup_message_get_response_headers (msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    g_task_return_int (task, soup_message_headers_get_content_length (headers));
  else
    g_task_return_int (task, -1);
}

/**
 * hangar_os_download_query_size_async:
 *
 * Asks the server (HEAD, redirects as for a download) how big @url is.
 */
void
hangar_os_download_query_size_async (const char          *url,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_os_download_query_size_async);
  g_task_set_task_data (task, g_strdup (url), g_free);
  g_task_run_in_thread (task, query_size_thread);
}

/**
 * hangar_os_download_query_size_finish:
 *
 * Returns: the size in bytes, -1 when the server does not say, or -1 with
 *   @error set
 */
gint64
hangar_os_download_query_size_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  return g_task_propagate_int (G_TASK (result), error);
}
