/* test-console-session.c — VNC and SPICE sessions against real guests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts a guest on the system libvirtd, opens its display
 * through virDomainOpenGraphicsFD, and shows it in a HangarDisplay:
 *
 *  - firmware: SeaBIOS's screen must match libvirt's own screenshot pixel
 *    for pixel (within a small tolerance); destroying the guest must end
 *    the session cleanly, and starting it again must bring frames back.
 *  - keyboard: a tiny Linux guest copies lines typed on its VGA console
 *    to its serial port; "echo hangar-ok" typed through the display's key
 *    path must arrive there.
 *  - agent (SPICE): the same guest runs mini-vdagent on the SPICE agent
 *    port and logs the monitor configs and clipboard text it gets; the
 *    session's resize requests and clipboard must arrive there, and the
 *    guest's clipboard must come back as the session's cut-text.
 *  - clipboard (VNC): the same agent behind QEMU's qemu-vdagent; the
 *    session's client cut text must reach the guest's clipboard.
 */
#include "config.h"

#include <gtk/gtk.h>
#include <math.h>

#include "console-guest.h"
#include "console-test-util.h"
#include "hangar-console-session.h"
#include "hangar-display-private.h"
#include "hangar-spice-session.h"
#include "hangar-test-util.h"
#include "hangar-vnc-session.h"

typedef struct
{
  ConsoleGuestGraphics graphics;
  const char *name;
} Protocol;

static const Protocol vnc = { CONSOLE_GUEST_VNC, "vnc" };
static const Protocol spice = { CONSOLE_GUEST_SPICE, "spice" };

typedef struct
{
  const Protocol *protocol;
  ConsoleGuest *guest;
  GtkWidget *window;
  HangarDisplay *display;
  HangarConsoleSession *session;

  guint n_connected;
  guint n_disconnected;
  guint n_resized;
  guint n_resized_at_connect;
  char *disconnect_reason;
  GError *error;
  /* The last text the guest put on its clipboard, from "cut-text". */
  char *cut_text;
} Fixture;

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

static void
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

static void
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

static gboolean
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

static void
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

static gboolean
is_connected (gpointer data)
{
  Fixture *f = data;

  return hangar_console_session_get_state (f->session) == HANGAR_CONSOLE_STATE_CONNECTED ||
         f->n_disconnected > 0;
}

static gboolean
is_disconnected (gpointer data)
{
  Fixture *f = data;

  return hangar_console_session_get_state (f->session) == HANGAR_CONSOLE_STATE_DISCONNECTED;
}

/* A framebuffer from this connection (not the last frame of the previous
 * one) with something other than black on it: SeaBIOS's banner. */
static gboolean
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

static void
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
static double
mismatch (GdkTexture *ours,
          GdkTexture *theirs)
{
  g_autofree guint8 *a = NULL;
  g_autofree guint8 *b = NULL;
  gsize sa, sb;
  int w = gdk_texture_get_width (ours);
  int h = gdk_texture_get_height (ours);
  guint bad = 0;

  if (w != gdk_texture_get_width (theirs) || h != gdk_texture_get_height (theirs))
    {
      g_test_message ("size %dx%d vs libvirt %dx%d", w, h,
                      gdk_texture_get_width (theirs), gdk_texture_get_height (theirs));
      return -1;
    }

  a = console_test_download (ours, &sa);
  b = console_test_download (theirs, &sb);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int c = 0; c < 3; c++)
        if (ABS ((int) a[y * sa + x * 4 + c] - (int) b[y * sb + x * 4 + c]) > 8)
          {
            bad++;
            break;
          }

  return (double) bad / (w * h);
}

static void
compare_with_libvirt (Fixture    *f,
                      const char *tag)
{
  g_autoptr(GdkTexture) theirs = NULL;
  g_autoptr(GdkTexture) ours = NULL;
  g_autofree char *name = NULL;
  double best = 2;

  /* The screen changes while SeaBIOS runs and the text cursor blinks:
   * take a few looks, letting updates arrive in between. */
  for (int attempt = 0; attempt < 20 && best > 0.001; attempt++)
    {
      g_autoptr(GError) error = NULL;
      double m;

      g_clear_object (&theirs);
      theirs = console_guest_screenshot (f->guest, &error);
      g_assert_no_error (error);
      console_test_iterate (300);

      g_clear_object (&ours);
      ours = hangar_display_get_screenshot (f->display);
      g_assert_nonnull (ours);

      m = mismatch (ours, theirs);
      if (m >= 0)
        best = MIN (best, m);
      g_test_message ("%s %s attempt %d: %.4f%% of pixels differ", f->protocol->name, tag,
                      attempt, m * 100);
    }

  name = g_strdup_printf ("%s-%s-libvirt.png", f->protocol->name, tag);
  console_test_save_png (theirs, name);
  g_free (name);
  name = g_strdup_printf ("%s-%s-framebuffer.png", f->protocol->name, tag);
  console_test_save_png (ours, name);
  g_free (name);

  {
    g_autoptr(GdkTexture) widget = console_test_render_widget (GTK_WIDGET (f->display));

    name = g_strdup_printf ("%s-%s-display.png", f->protocol->name, tag);
    console_test_save_png (widget, name);
  }

  g_assert_cmpfloat (best, >=, 0);
  g_assert_cmpfloat (best, <=, 0.001);
}

static void
test_firmware (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!start_guest (f, CONSOLE_GUEST_FIRMWARE))
    return;

  connect_session (f);
  wait_first_frame (f);
  compare_with_libvirt (f, "firmware");

  /* Pulling the plug ends the session with a reason, and nothing worse
   * (criticals are fatal here). */
  console_guest_destroy (f->guest, &error);
  g_assert_no_error (error);
  g_assert_true (console_test_wait_until (is_disconnected, f, 15000));
  g_assert_cmpuint (f->n_disconnected, ==, 1);
  g_assert_nonnull (f->disconnect_reason);
  g_test_message ("Disconnected: %s", f->disconnect_reason);

  /* The machine comes back: so do frames. */
  console_guest_start (f->guest, &error);
  g_assert_no_error (error);
  f->n_disconnected = 0;
  connect_session (f);
  wait_first_frame (f);
  g_assert_cmpuint (f->n_connected, ==, 2);
  compare_with_libvirt (f, "restarted");

  /* Closing it ourselves is not an error: no reason to show. */
  hangar_console_session_disconnect (f->session);
  g_assert_true (console_test_wait_until (is_disconnected, f, 15000));
  g_assert_cmpuint (f->n_disconnected, ==, 1);
  g_assert_null (f->disconnect_reason);
}

static void
connect_with_password (Fixture    *f,
                       const char *password)
{
  f->n_disconnected = 0;
  g_clear_error (&f->error);
  hangar_console_session_set_password (f->session, password);
  connect_session (f);
}

/* The password paths a UI prompts on: none given, a wrong one, the right
 * one. */
static void
test_password (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *why_not = NULL;

  if (!console_guest_available (&why_not))
    {
      g_test_skip (why_not);
      return;
    }
  f->guest = console_guest_new_with_password (f->protocol->graphics, "hangar42", &error);
  g_assert_no_error (error);

  connect_with_password (f, NULL);
  g_assert_true (console_test_wait_until (is_disconnected, f, 15000));
  g_assert_cmpuint (f->n_disconnected, ==, 1);
  g_assert_cmpuint (f->n_connected, ==, 0);
  g_assert_error (f->error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_REQUIRED);
  g_test_message ("No password: %s / %s", f->error->message, f->disconnect_reason);

  connect_with_password (f, "wrong");
  g_assert_true (console_test_wait_until (is_disconnected, f, 15000));
  g_assert_cmpuint (f->n_disconnected, ==, 1);
  g_assert_cmpuint (f->n_connected, ==, 0);
  g_assert_error (f->error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_FAILED);
  g_test_message ("Wrong password: %s / %s", f->error->message, f->disconnect_reason);

  connect_with_password (f, "hangar42");
  wait_first_frame (f);
  g_assert_null (f->error);
}

/* Evdev codes of the keys we type. */
static guint
evdev_for_char (char c)
{
  static const char letters[] = "qwertyuiop" "asdfghjkl" "zxcvbnm";
  static const guint codes[] = { 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
                                 30, 31, 32, 33, 34, 35, 36, 37, 38,
                                 44, 45, 46, 47, 48, 49, 50 };
  const char *p;

  if (c == ' ')
    return 57;
  if (c == '-')
    return 12;
  if (c == '\n')
    return 28;
  p = strchr (letters, c);
  g_assert_nonnull (p);

  return codes[p - letters];
}

typedef struct
{
  ConsoleGuest *guest;
  const char *needle;
} SerialWait;

static gboolean
serial_has (gpointer data)
{
  SerialWait *w = data;
  g_autofree char *log = console_guest_read_serial (w->guest);

  return strstr (log, w->needle) != NULL;
}

/* Waits until @has finds @needle in the guest's serial log; fails the
 * test with the whole log otherwise. */
static void
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

static void
wait_serial (Fixture    *f,
             const char *needle)
{
  wait_serial_until (f, serial_has, needle, 30000);
}

/* Through the same function the key controller calls, with X11 hardware
 * keycodes (evdev + 8), as a keyboard would: upper case with Shift held,
 * and \x01 for Caps Lock. */
static void
type_text (Fixture    *f,
           const char *text)
{
  for (const char *c = text; *c != '\0'; c++)
    {
      gboolean shift = g_ascii_isupper (*c);
      guint keycode = (*c == '\x01' ? 58 : evdev_for_char (g_ascii_tolower (*c))) + 8;

      if (shift)
        g_assert_true (_hangar_display_key (f->display, 42 + 8, 0, TRUE));
      g_assert_true (_hangar_display_key (f->display, keycode, 0, TRUE));
      console_test_iterate (15);
      g_assert_true (_hangar_display_key (f->display, keycode, 0, FALSE));
      if (shift)
        g_assert_true (_hangar_display_key (f->display, 42 + 8, 0, FALSE));
      console_test_iterate (15);
    }
}

static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  if (!start_guest (f, CONSOLE_GUEST_LINUX))
    return;

  connect_session (f);
  wait_first_frame (f);

  wait_serial_until (f, serial_has, "hangar-guest: ready", 90000);
  /* Let /init get from its banner to reading the console. */
  console_test_iterate (1000);

  type_text (f, "echo hangar-ok\n");
  wait_serial (f, "hangar-guest: got [echo hangar-ok]");

  /* Shifted keys: Shift is just another scancode. */
  type_text (f, "Hangar Ok\n");
  wait_serial (f, "hangar-guest: got [Hangar Ok]");

  /* Caps Lock on in the guest, while the local keyboard has it off (as
   * after toggling it in another window): the display's focus-in sync
   * puts the guest back, and letters come out in lower case. */
  type_text (f, "\x01");
  console_test_iterate (500);
  _hangar_display_sync_locks (f->display, 0);
  console_test_iterate (500);
  type_text (f, "abc\n");
  wait_serial (f, "hangar-guest: got [abc]");

  /* What was typed is on the guest's screen, and on ours. */
  compare_with_libvirt (f, "keyboard");
}

typedef struct
{
  int packets;
  int dx;
  int dy;
  int max_dx;
  gboolean left_down;
  gboolean left_up_after_down;
} MouseLog;

/* The guest's /init writes "hangar-guest: mouse [f x y]" per PS/2 packet:
 * flags (bit 0 left, bit 4/5 x/y sign), then 9-bit two's complement. */
static void
parse_mouse (const char *serial,
             MouseLog   *log)
{
  g_auto(GStrv) lines = g_strsplit (serial, "\n", -1);

  memset (log, 0, sizeof *log);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = strstr (lines[i], "hangar-guest: mouse [");
      guint flags, x, y;

      if (p == NULL || sscanf (p, "hangar-guest: mouse [%x %x %x]", &flags, &x, &y) != 3)
        continue;

      log->packets++;
      log->max_dx = MAX (log->max_dx, (flags & 0x10) ? (int) x - 256 : (int) x);
      log->dx += (flags & 0x10) ? (int) x - 256 : (int) x;
      log->dy += (flags & 0x20) ? (int) y - 256 : (int) y;
      if (flags & 1)
        log->left_down = TRUE;
      else if (log->left_down)
        log->left_up_after_down = TRUE;
    }
}

typedef struct
{
  Fixture *f;
  MouseLog log;
} MouseWait;

static gboolean
mouse_done (gpointer data)
{
  MouseWait *w = data;
  g_autofree char *serial = console_guest_read_serial (w->f->guest);

  parse_mouse (serial, &w->log);
  return w->log.max_dx > 0 && w->log.left_down && w->log.left_up_after_down;
}

/* Pointer motion and a left click through the display's pointer path
 * reach the guest's PS/2 mouse. The guest has no tablet, so this is the
 * relative path: QEMU's VNC server turns positions into motion, and the
 * SPICE session sends motion itself. */
static void
test_pointer (Fixture       *f,
              gconstpointer  data)
{
  HangarDisplayLayout l;
  MouseWait wait = { f };

  if (!start_guest (f, CONSOLE_GUEST_LINUX))
    return;

  connect_session (f);
  wait_first_frame (f);
  g_assert_false (hangar_console_session_get_absolute_pointer (f->session));

  wait_serial_until (f, serial_has, "hangar-guest: ready", 90000);
  /* psmouse probes the mouse in the background after insmod: what is
   * sent before it is ready is lost, so repeat until packets show up. */
  _hangar_display_get_layout (f->display, &l);
  for (int attempt = 0; attempt < 15 && !mouse_done (&wait); attempt++)
    {
      _hangar_display_motion (f->display, l.x + 100.5 * l.scale, l.y + 100.5 * l.scale);
      console_test_iterate (100);
      _hangar_display_motion (f->display, l.x + 160.5 * l.scale, l.y + 100.5 * l.scale);
      console_test_iterate (100);
      _hangar_display_button (f->display, GDK_BUTTON_PRIMARY, TRUE);
      console_test_iterate (100);
      _hangar_display_button (f->display, GDK_BUTTON_PRIMARY, FALSE);
      console_test_wait_until (mouse_done, &wait, 2000);
    }

  if (!mouse_done (&wait))
    {
      g_autofree char *serial = console_guest_read_serial (f->guest);

      g_test_message ("Serial log:\n%s", serial);
    }
  g_test_message ("%s: %d mouse packets, largest move right %d", f->protocol->name,
                  wait.log.packets, wait.log.max_dx);
  /* Guest pixels and PS/2 counts are 1:1 at QEMU's default resolution. */
  g_assert_cmpint (wait.log.max_dx, ==, 60);
  g_assert_true (wait.log.left_down);
  g_assert_true (wait.log.left_up_after_down);
}

typedef struct
{
  Fixture *f;
  int x;
  int y;
  gboolean pressed;
  gboolean released;
  int wheel_up;
  int wheel_down;
  int first_wheel;
} TabletLog;

#define EV_ABS_X 3                    /* EV_ABS | ABS_X << 16 */
#define EV_ABS_Y (3 + (1 << 16))      /* EV_ABS | ABS_Y << 16 */
#define EV_BTN_LEFT (1 + (0x110 << 16)) /* EV_KEY | BTN_LEFT << 16 */
#define EV_WHEEL (2 + (8 << 16))      /* EV_REL | REL_WHEEL << 16 */

static gboolean
tablet_done (gpointer data)
{
  TabletLog *t = data;
  g_autofree char *serial = console_guest_read_serial (t->f->guest);
  g_auto(GStrv) lines = g_strsplit (serial, "\n", -1);

  t->pressed = t->released = FALSE;
  t->wheel_up = t->wheel_down = t->first_wheel = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = strstr (lines[i], "hangar-guest: tablet [");
      int what, value;

      if (p == NULL || sscanf (p, "hangar-guest: tablet [%d %d]", &what, &value) != 2)
        continue;
      if (what == EV_ABS_X)
        t->x = value;
      else if (what == EV_ABS_Y)
        t->y = value;
      else if (what == EV_BTN_LEFT && value == 1)
        t->pressed = TRUE;
      else if (what == EV_BTN_LEFT && value == 0 && t->pressed)
        t->released = TRUE;
      else if (what == EV_WHEEL)
        {
          if (t->first_wheel == 0)
            t->first_wheel = value;
          if (value > 0)
            t->wheel_up++;
          else if (value < 0)
            t->wheel_down++;
        }
    }

  return t->released && t->wheel_up > 0 && t->wheel_down > 0;
}

static gboolean
is_absolute (gpointer data)
{
  Fixture *f = data;

  return hangar_console_session_get_absolute_pointer (f->session);
}

/* With a USB tablet the guest gets positions: a click through the
 * display at guest pixel (300, 200) must land there, in the tablet's
 * 0–32767 range. The wheel (buttons 4 and 5, as X11 reports it) turns
 * the tablet's wheel up and down. */
static void
test_tablet (Fixture       *f,
             gconstpointer  data)
{
  HangarDisplayLayout l;
  TabletLog t = { f };
  SerialWait tablet;
  guint fb_w, fb_h;
  double ex, ey;

  if (!start_guest (f, CONSOLE_GUEST_LINUX_TABLET))
    return;

  connect_session (f);
  wait_first_frame (f);

  tablet.guest = f->guest;
  tablet.needle = "hangar-guest: tablet at /dev/input/event";
  wait_serial (f, tablet.needle);

  /* QEMU switches to the tablet once the guest's driver polls it. */
  g_assert_true (console_test_wait_until (is_absolute, f, 30000));

  g_bytes_unref (hangar_console_session_get_framebuffer (f->session, &fb_w, &fb_h, NULL));
  _hangar_display_get_layout (f->display, &l);
  for (int attempt = 0; attempt < 10 && !tablet_done (&t); attempt++)
    {
      _hangar_display_motion (f->display, l.x + 300.5 * l.scale, l.y + 200.5 * l.scale);
      console_test_iterate (100);
      _hangar_display_button (f->display, GDK_BUTTON_PRIMARY, TRUE);
      console_test_iterate (100);
      _hangar_display_button (f->display, GDK_BUTTON_PRIMARY, FALSE);
      console_test_iterate (100);
      _hangar_display_button (f->display, 4, TRUE);
      _hangar_display_button (f->display, 4, FALSE);
      console_test_iterate (100);
      _hangar_display_button (f->display, 5, TRUE);
      _hangar_display_button (f->display, 5, FALSE);
      console_test_wait_until (tablet_done, &t, 2000);
    }

  ex = 300.0 * 0x7fff / fb_w;
  ey = 200.0 * 0x7fff / fb_h;
  g_test_message ("%s: tablet at %d,%d, expected about %.0f,%.0f (guest %ux%u)",
                  f->protocol->name, t.x, t.y, ex, ey, fb_w, fb_h);
  g_assert_true (t.pressed);
  g_assert_true (t.released);
  /* Up first, as sent, and down after. */
  g_assert_cmpint (t.first_wheel, >, 0);
  g_assert_cmpint (t.wheel_up, >, 0);
  g_assert_cmpint (t.wheel_down, >, 0);
  /* Within a guest pixel. */
  g_assert_cmpfloat (fabs (t.x - ex), <, 0x7fff / (double) fb_w + 1);
  g_assert_cmpfloat (fabs (t.y - ey), <, 0x7fff / (double) fb_h + 1);
}

/* A whole line of the serial log, exactly (the tty may end it with
 * \r\n): "monitors 1 1024x768" must not pass for "... 1024x7680". */
static gboolean
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

static void
wait_serial_line (Fixture    *f,
                  const char *line)
{
  wait_serial_until (f, serial_has_line, line, 30000);
}

static gboolean
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
static void
test_agent (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *early = NULL;
  g_autofree char *window_line = NULL;
  g_autofree char *log = NULL;
  int scale;

  if (!start_guest (f, CONSOLE_GUEST_LINUX_AGENT))
    return;

  connect_session (f);
  wait_first_frame (f);

  /* Asked before the guest's agent is up (the kernel is still booting):
   * the request must wait for the agent, not be lost, nor warn. */
  log = console_guest_read_serial (f->guest);
  g_test_message ("Early requests %s the agent started", strstr (log, "hangar-agent:") ? "after" : "before");
  hangar_console_session_request_resize (f->session, 1000, 700);
  hangar_console_session_send_cut_text (f->session, "early text");

  wait_serial_until (f, serial_has, "hangar-agent: started on /dev/vport", 90000);
  wait_serial_line (f, "hangar-agent: monitors 1 1000x700");
  wait_serial_line (f, "hangar-agent: clipboard early text");

  /* Resize through the session... */
  hangar_console_session_request_resize (f->session, 1024, 768);
  wait_serial_line (f, "hangar-agent: monitors 1 1024x768");

  /* ...and through the display, sized to its window, as the console's
   * "Auto-resize guest to the window" does. */
  hangar_display_set_resize_guest (f->display, TRUE);
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (f->display));
  window_line = g_strdup_printf ("hangar-agent: monitors 1 %dx%d",
                                 gtk_widget_get_width (GTK_WIDGET (f->display)) * scale,
                                 gtk_widget_get_height (GTK_WIDGET (f->display)) * scale);
  wait_serial_line (f, window_line);

  /* The client's clipboard, UTF-8, to the guest. */
  hangar_console_session_send_cut_text (f->session, "Hangar → guest, ça marche");
  wait_serial_line (f, "hangar-agent: client grabbed selection 0");
  wait_serial_line (f, "hangar-agent: clipboard Hangar → guest, ça marche");

  /* The guest copies (its /init hands "copy TEXT" lines to the agent):
   * the session asks for the text and reports it. */
  g_assert_null (f->cut_text);
  type_text (f, "copy from-the-guest\n");
  wait_serial_line (f, "hangar-agent: grabbed from-the-guest");
  wait_serial_line (f, "hangar-agent: client asked for selection 0 type 1");
  if (!console_test_wait_until (has_cut_text, f, 30000))
    {
      g_clear_pointer (&log, g_free);
      log = console_guest_read_serial (f->guest);
      g_test_message ("Serial log:\n%s", log);
    }
  g_assert_cmpstr (f->cut_text, ==, "from-the-guest");

  {
    g_autoptr(GdkTexture) shot = console_test_render_widget (GTK_WIDGET (f->display));

    console_test_save_png (shot, "spice-agent-display.png");
  }

  /* What the guest's agent saw, for the record. */
  {
    g_autofree char *serial = console_guest_read_serial (f->guest);
    g_auto(GStrv) lines = g_strsplit (serial, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      if (strstr (lines[i], "hangar-agent:") != NULL)
        g_test_message ("%s", g_strchomp (lines[i]));
  }
  g_assert_null (f->error);
}

/* VNC has no agent protocol of its own. With QEMU's qemu-vdagent
 * chardev on the guest's agent port, QEMU plays the SPICE client's part
 * towards the guest's agent (mini-vdagent) and joins the guest's
 * clipboard to QEMU's clipboard, which QEMU's VNC server shares as cut
 * text: what the session sends as client cut text must come out of the
 * guest's agent, exactly, ASCII or not.
 *
 * The other way, guest to client, cannot work with gvnc 1.3.1: QEMU's
 * VNC server only tells clients about its clipboard in the Extended
 * Clipboard pseudo-encoding's messages (ui/vnc-clipboard.c: a ServerCutText
 * whose length is negative), to clients that announced it; gvnc has no
 * such encoding, and reads that length as a u32 over its 32 MiB limit
 * and drops the connection ("Cut text length 4294967288 longer than
 * permitted"), so the session must not announce it either. */
static void
test_vnc_clipboard (Fixture       *f,
                    gconstpointer  data)
{
  if (!start_guest (f, CONSOLE_GUEST_LINUX_AGENT))
    return;

  connect_session (f);
  wait_first_frame (f);

  wait_serial_until (f, serial_has, "hangar-agent: started on /dev/vport", 90000);
  /* QEMU's answer to the agent's capabilities: from then on QEMU hands
   * clipboard changes to the agent. Before it, they would be lost. */
  wait_serial_line (f, "hangar-agent: client capabilities");

  hangar_console_session_send_cut_text (f->session, "hangar-ok from the client");
  wait_serial_line (f, "hangar-agent: client grabbed selection 0");
  wait_serial_line (f, "hangar-agent: clipboard hangar-ok from the client");

  /* QEMU takes plain cut text for UTF-8 (its clipboard's text is UTF-8),
   * not the Latin-1 of the RFB specification: "→" has no Latin-1 form,
   * and "ç" in Latin-1 would reach the guest as an invalid byte. */
  hangar_console_session_send_cut_text (f->session, "Hangar → guest, ça marche");
  wait_serial_line (f, "hangar-agent: clipboard Hangar → guest, ça marche");

  /* What the guest's agent saw, for the record. */
  {
    g_autofree char *serial = console_guest_read_serial (f->guest);
    g_auto(GStrv) lines = g_strsplit (serial, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      if (strstr (lines[i], "hangar-agent:") != NULL)
        g_test_message ("%s", g_strchomp (lines[i]));
  }
  g_assert_null (f->error);
  g_assert_cmpint (hangar_console_session_get_state (f->session), ==,
                   HANGAR_CONSOLE_STATE_CONNECTED);
}

/* Without an agent in the guest, resize and clipboard requests go
 * nowhere, quietly: no critical from spice-client-glib (fatal here). */
static void
test_no_agent (Fixture       *f,
               gconstpointer  data)
{
  if (!start_guest (f, CONSOLE_GUEST_FIRMWARE))
    return;

  connect_session (f);
  wait_first_frame (f);

  hangar_console_session_request_resize (f->session, 1024, 768);
  hangar_console_session_send_cut_text (f->session, "nobody reads this");
  hangar_display_set_resize_guest (f->display, TRUE);
  console_test_iterate (1000);

  g_assert_cmpint (hangar_console_session_get_state (f->session), ==,
                   HANGAR_CONSOLE_STATE_CONNECTED);
  g_assert_null (f->error);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/hangar/console/vnc/firmware", Fixture, &vnc,
              fixture_setup, test_firmware, fixture_teardown);
  g_test_add ("/hangar/console/vnc/keyboard", Fixture, &vnc,
              fixture_setup, test_keyboard, fixture_teardown);
  g_test_add ("/hangar/console/vnc/pointer", Fixture, &vnc,
              fixture_setup, test_pointer, fixture_teardown);
  g_test_add ("/hangar/console/vnc/tablet", Fixture, &vnc,
              fixture_setup, test_tablet, fixture_teardown);
  g_test_add ("/hangar/console/vnc/password", Fixture, &vnc,
              fixture_setup, test_password, fixture_teardown);
  g_test_add ("/hangar/console/vnc/clipboard", Fixture, &vnc,
              fixture_setup, test_vnc_clipboard, fixture_teardown);
  g_test_add ("/hangar/console/spice/firmware", Fixture, &spice,
              fixture_setup, test_firmware, fixture_teardown);
  g_test_add ("/hangar/console/spice/keyboard", Fixture, &spice,
              fixture_setup, test_keyboard, fixture_teardown);
  g_test_add ("/hangar/console/spice/pointer", Fixture, &spice,
              fixture_setup, test_pointer, fixture_teardown);
  g_test_add ("/hangar/console/spice/tablet", Fixture, &spice,
              fixture_setup, test_tablet, fixture_teardown);
  g_test_add ("/hangar/console/spice/password", Fixture, &spice,
              fixture_setup, test_password, fixture_teardown);
  g_test_add ("/hangar/console/spice/agent", Fixture, &spice,
              fixture_setup, test_agent, fixture_teardown);
  g_test_add ("/hangar/console/spice/no-agent", Fixture, &spice,
              fixture_setup, test_no_agent, fixture_teardown);

  return g_test_run ();
}
