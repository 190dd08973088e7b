/* console-session-fixture.c — a session, a display and a guest, for the
 * console tests against real guests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "console-session-fixture.h"

#include "console-test-util.h"
#include "hangar-spice-session.h"
#include "hangar-test-util.h"
#include "hangar-vnc-session.h"

static int
open_fd_cb (HangarConsoleSession  *session,
            GError               **error,
            gpointer               user_data)
{
  Fixture *f = user_data;

  return console_guest_open_graphics (f->guest, error);
}

static void
on_connected (HangarConsoleSession *session,
              Fixture              *f)
{
  f->n_connected++;
}

static void
on_disconnected (HangarConsoleSession *session,
                 const char           *reason,
                 Fixture              *f)
{
  f->n_disconnected++;
  g_free (f->disconnect_reason);
  f->disconnect_reason = g_strdup (reason);
}

static void
on_framebuffer_resized (HangarConsoleSession *session,
                        guint                 width,
                        guint                 height,
                        Fixture              *f)
{
  f->n_resized++;
}

static void
on_cut_text (HangarConsoleSession *session,
             const char           *text,
             Fixture              *f)
{
  g_test_message ("Guest clipboard: \"%s\"", text);
  g_free (f->cut_text);
  f->cut_text = g_strdup (text);
}

static void
on_error (HangarConsoleSession *session,
          const GError         *error,
          Fixture              *f)
{
  g_test_message ("Session error: %s", error->message);
  g_clear_error (&f->error);
  f->error = g_error_copy (error);
}

static gboolean
widget_ready (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->protocol = data;
  if (f->protocol->graphics != CONSOLE_GUEST_VNC)
    hangar_test_tolerate_spice_teardown ();

  f->session = f->protocol->graphics == CONSOLE_GUEST_VNC
               ? hangar_vnc_session_new ()
               : hangar_spice_session_new ();
  hangar_console_session_set_open_fd_func (f->session, open_fd_cb, f, NULL);
  g_signal_connect (f->session, "connected", G_CALLBACK (on_connected), f);
  g_signal_connect (f->session, "disconnected", G_CALLBACK (on_disconnected), f);
  g_signal_connect (f->session, "error", G_CALLBACK (on_error), f);
  g_signal_connect (f->session, "framebuffer-resized", G_CALLBACK (on_framebuffer_resized), f);
  g_signal_connect (f->session, "cut-text", G_CALLBACK (on_cut_text), f);

  f->window = gtk_window_new ();
  f->display = HANGAR_DISPLAY (hangar_display_new ());
  hangar_display_set_session (f->display, f->session);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->display));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 450);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (console_test_wait_until (widget_ready, f->display, 5000));
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  hangar_console_session_disconnect (f->session);
  g_clear_pointer (&f->guest, console_guest_free);
  console_test_iterate (100);

  hangar_display_set_session (f->display, NULL);
  g_object_ref (f->display);
  gtk_window_destroy (GTK_WINDOW (f->window));
  console_test_iterate (10);
  g_assert_finalize_object (f->display);

  g_signal_handlers_disconnect_by_data (f->session, f);
  g_assert_finalize_object (f->session);

  g_clear_pointer (&f->disconnect_reason, g_free);
  g_clear_pointer (&f->cut_text, g_free);
  g_clear_error (&f->error);
}

gboolean
start_guest (Fixture          *f,
             ConsoleGuestKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *why_not = NULL;

  if (!console_guest_available (&why_not))
    {
      g_test_skip (why_not);
      return FALSE;
    }

  f->guest = console_guest_new (f->protocol->graphics, kind, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->guest);

  return TRUE;
}

void
connect_session (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  int fd;

  fd = console_guest_open_graphics (f->guest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);

  f->n_resized_at_connect = f->n_resized;
  hangar_console_session_connect_fd (f->session, fd, &error);
  g_assert_no_error (error);
}

gboolean
is_connected (gpointer data)
{
  Fixture *f = data;

  return hangar_console_session_get_state (f->session) == HANGAR_CONSOLE_STATE_CONNECTED ||
         f->n_disconnected > 0;
}

gboolean
is_disconnected (gpointer data)
{
  Fixture *f = data;

  return hangar_console_session_get_state (f->session) == HANGAR_CONSOLE_STATE_DISCONNECTED;
}

/* A framebuffer from this connection (not the last frame of the previous
 * one) with something other than black on it: SeaBIOS's banner. */
gboolean
has_content (gpointer data)
{
  Fixture *f = data;
  guint8 *fb;
  guint w, h;
  gsize stride;

  if (f->n_resized == f->n_resized_at_connect)
    return FALSE;

  fb = hangar_display_get_framebuffer (f->display, &w, &h, &stride);
  if (fb == NULL)
    return FALSE;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        const guint8 *p = fb + y * stride + x * 4;

        if (p[0] > 0x20 || p[1] > 0x20 || p[2] > 0x20)
          return TRUE;
      }

  return FALSE;
}

void
wait_first_frame (Fixture *f)
{
  gint64 start = g_get_monotonic_time ();

  g_assert_true (console_test_wait_until (is_connected, f, 30000));
  g_assert_cmpuint (f->n_disconnected, ==, 0);
  g_assert_cmpint (hangar_console_session_get_state (f->session), ==,
                   HANGAR_CONSOLE_STATE_CONNECTED);
  g_assert_true (console_test_wait_until (has_content, f, 30000));

  g_test_message ("%s: first frame with content %.0f ms after connecting",
                  f->protocol->name, (g_get_monotonic_time () - start) / 1000.0);
}

/* Pixels whose colour differs by more than a little in any channel, out
 * of all; -1 when sizes differ. */

gboolean
serial_has (gpointer data)
{
  SerialWait *w = data;
  g_autofree char *log = console_guest_read_serial (w->guest);

  return strstr (log, w->needle) != NULL;
}

/* Waits until @has finds @needle in the guest's serial log; fails the
 * test with the whole log otherwise. */
void
wait_serial_until (Fixture     *f,
                   gboolean   (*has) (gpointer data),
                   const char  *needle,
                   guint        timeout_ms)
{
  SerialWait w = { f->guest, needle };

  if (!console_test_wait_until (has, &w, timeout_ms))
    {
      g_autofree char *log = console_guest_read_serial (f->guest);

      g_test_message ("Serial log:\n%s", log);
    }
  g_assert_true (has (&w));
}

void
wait_serial (Fixture    *f,
             const char *needle)
{
  wait_serial_until (f, serial_has, needle, 30000);
}

void
type_text (Fixture    *f,
           const char *text)
{
  console_test_type_text (f->display, text);
}

gboolean
serial_has_line (gpointer data)
{
  SerialWait *w = data;
  g_autofree char *log = console_guest_read_serial (w->guest);
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (g_str_equal (lines[i], w->needle))
        return TRUE;
    }

  return FALSE;
}

void
wait_serial_line (Fixture    *f,
                  const char *line)
{
  wait_serial_until (f, serial_has_line, line, 30000);
}

gboolean
has_cut_text (gpointer data)
{
  Fixture *f = data;

  return f->cut_text != NULL;
}

/* With the guest's agent (mini-vdagent) on the SPICE agent port, what
 * the session sends arrives in the guest, as the guest's agent reads it:
 * monitor configs from resize requests (the display's "Auto-resize guest
 * to the window" included) and the client's clipboard; and text the guest
 * copies comes back as the session's cut-text. */
