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
 *  - pointer, tablet: mouse packets and tablet events the guest reads
 *    must follow the display's pointer path.
 *  - password: a guest with a graphics password, answered.
 *  - sound (SPICE): a guest with a sound card; QEMU's own monitor says
 *    the playback channel is open; muting stops its sound before
 *    spice-client-glib's player and survives a reconnection; the microphone is passed on only while allowed.
 *
 * The guest agents' tests (clipboard, resize) are in test-console-agent.c.
 */
#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "console-session-fixture.h"
#include "hangar-spice-session.h"
#include "console-test-util.h"
#include "hangar-test-util.h"

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

/* --- sound (SPICE) ----------------------------------------------------------------- */

static gboolean
session_flag (HangarConsoleSession *session,
              const char           *name)
{
  gboolean on = FALSE;

  g_object_get (session, name, &on, NULL);
  return on;
}

static gboolean
is_playing (gpointer data)
{
  return session_flag (((Fixture *) data)->session, "playing");
}

static gboolean
is_recording (gpointer data)
{
  return session_flag (((Fixture *) data)->session, "recording");
}

/* Whether QEMU says a client has a SPICE channel of @type open (HMP
 * "info spice" lists each open channel with a "channel: TYPE:ID" line;
 * 5 is playback, 6 record). */
static gboolean
qemu_has_channel (Fixture *f,
                  int      type)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *info = console_guest_monitor (f->guest, "info spice", &error);
  g_autofree char *needle = g_strdup_printf ("channel: %d:", type);

  g_assert_no_error (error);
  return strstr (info, needle) != NULL;
}

typedef struct
{
  Fixture *f;
  int type;
  gboolean open;
} ChannelWait;

static gboolean
qemu_channel_is (gpointer data)
{
  ChannelWait *wait = data;

  return qemu_has_channel (wait->f, wait->type) == wait->open;
}

static void
wait_qemu_channel (Fixture  *f,
                   int       type,
                   gboolean  open)
{
  ChannelWait wait = { f, type, open };

  if (!console_test_wait_until (qemu_channel_is, &wait, 15000))
    {
      g_autofree char *info = console_guest_monitor (f->guest, "info spice", NULL);

      g_test_message ("QEMU's info spice:\n%s", info);
      g_error ("SPICE channel type %d was not %s in QEMU within 15 s", type,
               open ? "open" : "closed");
    }
}

static gpointer
find_channel (Fixture *f,
              GType    type)
{
  SpiceSession *client = hangar_spice_session_get_spice (HANGAR_SPICE_SESSION (f->session));
  GList *channels = spice_session_get_channels (client);
  gpointer found = NULL;

  for (GList *l = channels; l != NULL && found == NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      found = l->data;
  g_list_free (channels);
  return found;
}

/* SpiceAudio has no sound device to play to or record from here, and says
 * so with warnings: those are not the test's failures. */
static gboolean
tolerate_audio_warnings (const char     *domain,
                         GLogLevelFlags  level,
                         const char     *message,
                         gpointer        data)
{
  return !(g_strcmp0 (domain, "GSpice") == 0 && (level & G_LOG_LEVEL_WARNING));
}

/* Counts of the guest's sound: every "playback-data" spice-client-glib
 * emitted (an emission hook, which runs whatever a handler does) and
 * those that reached past the session's handler (one connected after
 * it and SpiceAudio's); every "record-start". */
typedef struct
{
  Fixture *f;
  guint received;
  guint played;
  guint record_starts;
  guint at_least;
} SoundCounts;

static SoundCounts counts;

static gboolean
on_any_emission (GSignalInvocationHint *hint,
                 guint                  n_values,
                 const GValue          *values,
                 gpointer               data)
{
  (*(guint *) data)++;
  return TRUE;
}

static void
on_played (SpicePlaybackChannel *channel,
           gpointer              data,
           int                   size,
           SoundCounts          *c)
{
  c->played++;
}

static gboolean
received_more (gpointer data)
{
  return counts.received >= counts.at_least;
}

static gboolean
played_more (gpointer data)
{
  return counts.played >= counts.at_least;
}

static gboolean
record_started (gpointer data)
{
  return counts.record_starts > 0;
}

/* Waits until @what grew by @more from now. */
static void
wait_more (gboolean (*condition) (gpointer data),
           guint     *what,
           guint      more,
           const char *name)
{
  counts.at_least = *what + more;
  if (!console_test_wait_until (condition, NULL, 30000))
    g_error ("%s: %u, not %u, after 30 s", name, *what, counts.at_least);
}

static void
test_sound (Fixture       *f,
            gconstpointer  data)
{
  SpicePlaybackChannel *playback;
  guint hook_data, hook_record;
  guint played;

  if (!start_guest (f, CONSOLE_GUEST_LINUX_SOUND))
    return;
  g_test_log_set_fatal_handler (tolerate_audio_warnings, NULL);
  memset (&counts, 0, sizeof counts);
  /* The channels' classes (and signals) exist once referenced. */
  g_type_class_ref (SPICE_TYPE_PLAYBACK_CHANNEL);
  g_type_class_ref (SPICE_TYPE_RECORD_CHANNEL);
  hook_data = g_signal_add_emission_hook (g_signal_lookup ("playback-data", SPICE_TYPE_PLAYBACK_CHANNEL),
                                          0, on_any_emission, &counts.received, NULL);
  hook_record = g_signal_add_emission_hook (g_signal_lookup ("record-start", SPICE_TYPE_RECORD_CHANNEL),
                                            0, on_any_emission, &counts.record_starts, NULL);

  connect_session (f);
  wait_first_frame (f);
  wait_serial (f, "tone playing");

  /* The playback channel opens by itself (QEMU sees it) and the guest's
   * tone arrives and goes on to the player. */
  g_assert_true (console_test_wait_until (is_playing, f, 15000));
  wait_qemu_channel (f, SPICE_CHANNEL_PLAYBACK, TRUE);
  playback = find_channel (f, SPICE_TYPE_PLAYBACK_CHANNEL);
  g_assert_nonnull (playback);
  g_signal_connect (playback, "playback-data", G_CALLBACK (on_played), &counts);
  wait_more (played_more, &counts.played, 20, "sound played");

  /* Muted: the guest goes on playing, nothing reaches the player. */
  g_object_set (f->session, "muted", TRUE, NULL);
  played = counts.played;
  wait_more (received_more, &counts.received, 50, "sound received while muted");
  g_assert_cmpuint (counts.played, ==, played);
  g_object_set (f->session, "muted", FALSE, NULL);
  wait_more (played_more, &counts.played, 20, "sound played after unmuting");

  /* The guest records (mini-tone): its record-start came, and was kept
   * from the recorder while the microphone is not allowed. */
  wait_serial (f, "tone recording");
  g_assert_true (console_test_wait_until (record_started, NULL, 30000));
  g_assert_false (is_recording (f));
  /* Allowed, the guest hears the microphone; taken back, no more. */
  g_object_set (f->session, "microphone", TRUE, NULL);
  g_assert_true (is_recording (f));
  console_test_iterate (500);
  g_object_set (f->session, "microphone", FALSE, NULL);
  g_assert_false (is_recording (f));

  /* A muted console reconnecting stays muted. */
  g_object_set (f->session, "muted", TRUE, NULL);
  hangar_console_session_disconnect (f->session);
  g_assert_true (console_test_wait_until (is_disconnected, f, 15000));
  g_assert_false (is_playing (f));
  f->n_disconnected = 0;
  connect_session (f);
  wait_first_frame (f);
  g_assert_true (console_test_wait_until (is_playing, f, 15000));
  playback = find_channel (f, SPICE_TYPE_PLAYBACK_CHANNEL);
  g_signal_connect (playback, "playback-data", G_CALLBACK (on_played), &counts);
  played = counts.played;
  wait_more (received_more, &counts.received, 50, "sound received after reconnecting muted");
  g_assert_cmpuint (counts.played, ==, played);

  /* Ended here, where its warnings are tolerated, not in the teardown. */
  hangar_console_session_disconnect (f->session);
  g_assert_true (console_test_wait_until (is_disconnected, f, 15000));
  g_signal_remove_emission_hook (g_signal_lookup ("playback-data", SPICE_TYPE_PLAYBACK_CHANNEL),
                                 hook_data);
  g_signal_remove_emission_hook (g_signal_lookup ("record-start", SPICE_TYPE_RECORD_CHANNEL),
                                 hook_record);
}

int
main (int   argc,
      char *argv[])
{
  /* No sound device here: spice-client-glib's player plays into a sink
   * that discards: the whole pipeline, as spice-client-glib takes it
   * (it finds the elements named appsrc and audiosink, and gives the
   * latter the guest's volume and mute: a volume element takes them). */
  g_setenv ("SPICE_GST_AUDIOSINK",
            "appsrc name=appsrc is-live=true format=time "
            "caps=audio/x-raw,format=S16LE,channels=2,rate=48000,layout=interleaved "
            "! volume name=audiosink ! fakesink sync=false", TRUE);
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
  g_test_add ("/hangar/console/spice/sound", Fixture, &spice,
              fixture_setup, test_sound, fixture_teardown);

  return g_test_run ();
}
