/* test-vnc-bounds.c — a VNC session against a fake server that sends
 * sizes no client should allocate (review finding M8).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fake server runs in a thread of its own on one end of a socketpair,
 * with blocking I/O; the session under test runs on the main context on
 * the other end, as it would over virDomainOpenGraphicsFD.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hangar-console-session.h"
#include "hangar-vnc-session.h"

typedef struct
{
  guint16 width;
  guint16 height;
  /* A rich cursor of this size after the first update, when not 0. */
  guint16 cursor_side;
} Script;

typedef struct
{
  int fd;
  const Script *script;
} Server;

static gboolean
read_all (int     fd,
          guint8 *buf,
          gsize   len)
{
  while (len > 0)
    {
      gssize n = read (fd, buf, len);

      if (n <= 0)
        return FALSE;
      buf += n;
      len -= n;
    }
  return TRUE;
}

static void
write_all (int           fd,
           const guint8 *buf,
           gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);

      if (n <= 0)
        return;  /* the client hung up: what it does then is the test */
      buf += n;
      len -= n;
    }
}

static void
put_u16 (GByteArray *a,
         guint16     v)
{
  guint8 be[2] = { v >> 8, v & 0xff };

  g_byte_array_append (a, be, 2);
}

static void
put_u32 (GByteArray *a,
         guint32     v)
{
  guint8 be[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (a, be, 4);
}

/* RFB 3.8 without authentication up to ServerInit, then an optional
 * cursor, then it drains whatever the client sends until it hangs up. */
static gpointer
server_thread (gpointer data)
{
  Server *server = data;
  const Script *script = server->script;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buf[4096];
  static const guint8 pixel_format[16] = {
    32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0,
  };

  write_all (server->fd, (const guint8 *) "RFB 003.008\n", 12);
  if (!read_all (server->fd, buf, 12))
    return NULL;
  write_all (server->fd, (const guint8 []) { 1, 1 }, 2);
  if (!read_all (server->fd, buf, 1))
    return NULL;
  write_all (server->fd, (const guint8 []) { 0, 0, 0, 0 }, 4);
  if (!read_all (server->fd, buf, 1))
    return NULL;

  put_u16 (out, script->width);
  put_u16 (out, script->height);
  g_byte_array_append (out, pixel_format, sizeof pixel_format);
  put_u32 (out, 4);
  g_byte_array_append (out, (const guint8 *) "test", 4);
  write_all (server->fd, out->data, out->len);

  if (script->cursor_side > 0)
    {
      guint side = script->cursor_side;
      gsize pixels = (gsize) side * side * 4;
      gsize mask = (gsize) (side + 7) / 8 * side;
      g_autofree guint8 *body = g_malloc0 (pixels + mask);

      /* FramebufferUpdate, one rectangle, RichCursor (-239). */
      g_byte_array_set_size (out, 0);
      g_byte_array_append (out, (const guint8 []) { 0, 0 }, 2);
      put_u16 (out, 1);
      put_u16 (out, 0);
      put_u16 (out, 0);
      put_u16 (out, side);
      put_u16 (out, side);
      put_u32 (out, (guint32) -239);
      write_all (server->fd, out->data, out->len);
      write_all (server->fd, body, pixels + mask);
    }

  while (read (server->fd, buf, sizeof buf) > 0)
    ;
  return NULL;
}

typedef struct
{
  GError *error;
  gboolean connected;
  gboolean disconnected;
  gboolean cursor;
} Seen;

static void
on_error (HangarConsoleSession *session,
          const GError         *error,
          Seen                 *seen)
{
  if (seen->error == NULL)
    seen->error = g_error_copy (error);
}

static void
on_connected (HangarConsoleSession *session,
              Seen                 *seen)
{
  seen->connected = TRUE;
}

static void
on_disconnected (HangarConsoleSession *session,
                 const char           *reason,
                 Seen                 *seen)
{
  seen->disconnected = TRUE;
}

static void
on_cursor_changed (HangarConsoleSession *session,
                   Seen                 *seen)
{
  seen->cursor = TRUE;
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs a session against @script until @done says so (or 20 s pass). */
static void
run_session (const Script *script,
             gboolean      (*done) (Seen *seen),
             Seen         *seen)
{
  g_autoptr(HangarConsoleSession) session = hangar_vnc_session_new ();
  g_autoptr(GError) error = NULL;
  gboolean timed_out = FALSE;
  Server server = { -1, script };
  GThread *thread;
  guint timeout;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  server.fd = fds[1];
  thread = g_thread_new ("fake-vnc-server", server_thread, &server);

  g_signal_connect (session, "error", G_CALLBACK (on_error), seen);
  g_signal_connect (session, "connected", G_CALLBACK (on_connected), seen);
  g_signal_connect (session, "disconnected", G_CALLBACK (on_disconnected), seen);
  g_signal_connect (session, "cursor-changed", G_CALLBACK (on_cursor_changed), seen);
  g_assert_true (hangar_console_session_connect_fd (session, fds[0], &error));
  g_assert_no_error (error);

  timeout = g_timeout_add_seconds (20, on_timeout, &timed_out);
  while (!timed_out && !done (seen))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);

  hangar_console_session_disconnect (session);
  while (hangar_console_session_get_state (session) != HANGAR_CONSOLE_STATE_DISCONNECTED)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (session, seen);
  g_clear_object (&session);

  /* The client end is closed: the server's drain loop ends. */
  shutdown (fds[1], SHUT_RDWR);
  g_thread_join (thread);
  close (fds[1]);
}

static gboolean
is_disconnected (Seen *seen)
{
  return seen->disconnected;
}

static gboolean
is_connected (Seen *seen)
{
  return seen->connected;
}

static gboolean
has_cursor_or_ended (Seen *seen)
{
  return seen->cursor || seen->disconnected;
}

static void
test_huge_desktop (void)
{
  /* Finding M8: 65535² is 17 GB at 4 bytes a pixel. */
  static const Script script = { 65535, 65535, 0 };
  Seen seen = { 0 };

  run_session (&script, is_disconnected, &seen);
  g_assert_error (seen.error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_FAILED);
  g_test_message ("%s", seen.error->message);
  g_assert_false (seen.connected);
  g_clear_error (&seen.error);
}

static void
test_sane_desktop (void)
{
  /* The same server with a real size: proof the refusal above is the
   * size's doing. */
  static const Script script = { 640, 480, 0 };
  Seen seen = { 0 };

  run_session (&script, is_connected, &seen);
  g_assert_no_error (seen.error);
  g_assert_true (seen.connected);
}

static void
test_huge_cursor (void)
{
  static const Script script = { 640, 480, 600 };
  Seen seen = { 0 };

  run_session (&script, has_cursor_or_ended, &seen);
  g_assert_error (seen.error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_FAILED);
  g_test_message ("%s", seen.error->message);
  g_assert_false (seen.cursor);
  g_assert_true (seen.disconnected);
  g_clear_error (&seen.error);
}

static void
test_sane_cursor (void)
{
  static const Script script = { 640, 480, 64 };
  Seen seen = { 0 };

  run_session (&script, has_cursor_or_ended, &seen);
  g_assert_no_error (seen.error);
  g_assert_true (seen.cursor);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/console/vnc-bounds/huge-desktop", test_huge_desktop);
  g_test_add_func ("/hangar/console/vnc-bounds/sane-desktop", test_sane_desktop);
  g_test_add_func ("/hangar/console/vnc-bounds/huge-cursor", test_huge_cursor);
  g_test_add_func ("/hangar/console/vnc-bounds/sane-cursor", test_sane_cursor);

  return g_test_run ();
}
