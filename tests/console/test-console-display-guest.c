/* test-console-display-guest.c — guest cursor shapes and guest resize,
 * against a guest that drives its display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tiny Linux guest, given a virtio GPU, runs mini-kms: it fills a
 * screen of the connector's preferred mode with one colour, sets a
 * 64×64 hardware cursor, and sets the new preferred mode whenever QEMU
 * changes it, which QEMU's virtio GPU does when a client asks for
 * another size. Over VNC and SPICE each:
 *
 *  - cursor: the session's cursor must be the guest's image, with its
 *    hotspot, and the display must show it as its pointer;
 *  - resize: a resize request (the session's, then the display's
 *    "auto-resize guest to the window") must reach the guest as a new
 *    mode, and come back as a framebuffer of that size in the guest's
 *    colour.
 */
#include "config.h"

#include <gtk/gtk.h>

#include "console-session-fixture.h"
#include "console-test-util.h"
#include "hangar-test-util.h"

/* What mini-kms.c draws. */
#define GUEST_FILL_R 0x33
#define GUEST_FILL_G 0x66
#define GUEST_FILL_B 0x99
#define GUEST_CURSOR_SIZE 64
#define GUEST_HOT_X 5
#define GUEST_HOT_Y 7

/* The cursor's quarters, as cairo ARGB32 bytes (B, G, R, A). */
static const struct
{
  int x, y;
  guint8 bgra[4];
} cursor_probes[] = {
  { 10, 10, { 0x00, 0x00, 0xff, 0xff } },  /* red */
  { 50, 10, { 0x00, 0xff, 0x00, 0xff } },  /* green */
  { 10, 50, { 0xff, 0x00, 0x00, 0xff } },  /* blue */
  { 50, 50, { 0x00, 0x00, 0x00, 0x00 } },  /* transparent */
};

static gboolean
has_guest_cursor (gpointer data)
{
  Fixture *f = data;
  GdkTexture *cursor = hangar_console_session_get_cursor (f->session, NULL, NULL);

  return cursor != NULL &&
         gdk_texture_get_width (cursor) == GUEST_CURSOR_SIZE &&
         gdk_texture_get_height (cursor) == GUEST_CURSOR_SIZE;
}

static void
check_cursor (Fixture *f)
{
  g_autofree guint8 *pixels = NULL;
  g_autofree char *name = NULL;
  GdkTexture *cursor;
  GdkCursor *shown;
  gsize stride;
  int hot_x = -1, hot_y = -1;

  wait_serial_until (f, serial_has, "hangar-kms: cursor set", 90000);
  if (!console_test_wait_until (has_guest_cursor, f, 30000))
    {
      cursor = hangar_console_session_get_cursor (f->session, NULL, NULL);
      g_test_message ("Session cursor: %dx%d", cursor ? gdk_texture_get_width (cursor) : 0,
                      cursor ? gdk_texture_get_height (cursor) : 0);
    }
  g_assert_true (has_guest_cursor (f));

  cursor = hangar_console_session_get_cursor (f->session, &hot_x, &hot_y);
  g_assert_cmpint (hot_x, ==, GUEST_HOT_X);
  g_assert_cmpint (hot_y, ==, GUEST_HOT_Y);

  name = g_strdup_printf ("%s-guest-cursor.png", f->protocol->name);
  console_test_save_png (cursor, name);

  pixels = console_test_download (cursor, &stride);
  for (guint i = 0; i < G_N_ELEMENTS (cursor_probes); i++)
    {
      const guint8 *p = pixels + cursor_probes[i].y * stride + cursor_probes[i].x * 4;

      g_test_message ("cursor (%d,%d): %02x %02x %02x %02x", cursor_probes[i].x,
                      cursor_probes[i].y, p[0], p[1], p[2], p[3]);
      for (guint c = 0; c < 4; c++)
        g_assert_cmpuint (p[c], ==, cursor_probes[i].bgra[c]);
    }

  /* The display's pointer is the guest's cursor. */
  shown = gtk_widget_get_cursor (GTK_WIDGET (f->display));
  g_assert_nonnull (shown);
  g_assert_true (gdk_cursor_get_texture (shown) == cursor);
  g_assert_cmpint (gdk_cursor_get_hotspot_x (shown), ==, GUEST_HOT_X);
  g_assert_cmpint (gdk_cursor_get_hotspot_y (shown), ==, GUEST_HOT_Y);
}

typedef struct
{
  Fixture *f;
  guint width;
  guint height;
} FrameWait;

/* The display's framebuffer has the size and, at its corners and centre,
 * the guest's colour. */
static gboolean
has_guest_frame (gpointer data)
{
  FrameWait *w = data;
  guint8 *fb;
  guint width, height;
  gsize stride;

  fb = hangar_display_get_framebuffer (w->f->display, &width, &height, &stride);
  if (fb == NULL || width != w->width || height != w->height)
    return FALSE;

  for (guint i = 0; i < 5; i++)
    {
      guint x = i == 4 ? width / 2 : (i & 1) * (width - 1);
      guint y = i == 4 ? height / 2 : (i >> 1) * (height - 1);
      const guint8 *p = fb + y * stride + x * 4;

      if (p[0] != GUEST_FILL_B || p[1] != GUEST_FILL_G || p[2] != GUEST_FILL_R)
        return FALSE;
    }

  return TRUE;
}

/* The display, rendered, shows the guest's colour in its middle: the
 * framebuffer's damage has reached the widget's tiles. */
static gboolean
display_shows_fill (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GdkTexture) shot = console_test_render_widget (GTK_WIDGET (f->display));
  g_autofree guint8 *pixels = NULL;
  const guint8 *p;
  gsize stride;

  pixels = console_test_download (shot, &stride);
  p = pixels + (gdk_texture_get_height (shot) / 2) * stride + (gdk_texture_get_width (shot) / 2) * 4;

  return p[0] == GUEST_FILL_B && p[1] == GUEST_FILL_G && p[2] == GUEST_FILL_R;
}

static void
wait_display_shows_fill (Fixture *f)
{
  g_assert_true (console_test_wait_until (display_shows_fill, f, 10000));
}

static void
wait_guest_mode (Fixture *f,
                 guint    width,
                 guint    height)
{
  g_autofree char *line = g_strdup_printf ("hangar-kms: mode %ux%u", width, height);
  FrameWait w = { f, width, height };
  gint64 start = g_get_monotonic_time ();

  wait_serial_until (f, serial_has_line, line, 60000);
  if (!console_test_wait_until (has_guest_frame, &w, 30000))
    {
      guint fb_width = 0, fb_height = 0;
      gsize stride;
      guint8 *fb = hangar_display_get_framebuffer (f->display, &fb_width, &fb_height, &stride);

      g_test_message ("Framebuffer %ux%u, centre %02x %02x %02x", fb_width, fb_height,
                      fb ? fb[(fb_height / 2) * stride + (fb_width / 2) * 4 + 2] : 0,
                      fb ? fb[(fb_height / 2) * stride + (fb_width / 2) * 4 + 1] : 0,
                      fb ? fb[(fb_height / 2) * stride + (fb_width / 2) * 4] : 0);
    }
  g_assert_true (has_guest_frame (&w));
  wait_display_shows_fill (f);
  g_test_message ("%s: %ux%u in the guest and on the display %.0f ms after the request",
                  f->protocol->name, width, height, (g_get_monotonic_time () - start) / 1000.0);
}

static void
save_display (Fixture    *f,
              const char *what)
{
  g_autoptr(GdkTexture) shot = console_test_render_widget (GTK_WIDGET (f->display));
  g_autofree char *name = g_strdup_printf ("%s-guest-%s.png", f->protocol->name, what);

  console_test_save_png (shot, name);
}

static void
log_guest (Fixture *f)
{
  g_autofree char *serial = console_guest_read_serial (f->guest);
  g_auto(GStrv) lines = g_strsplit (serial, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "hangar-kms:") != NULL || strstr (lines[i], "hangar-agent:") != NULL)
      g_test_message ("%s", g_strchomp (lines[i]));
}

static void
test_cursor_and_resize (Fixture       *f,
                        gconstpointer  data)
{
  int scale;
  guint width, height;

  if (!start_guest (f, CONSOLE_GUEST_LINUX_KMS))
    return;

  connect_session (f);
  wait_first_frame (f);

  check_cursor (f);
  wait_display_shows_fill (f);
  save_display (f, "first");

  /* Through the session... */
  hangar_console_session_request_resize (f->session, 1024, 768);
  wait_guest_mode (f, 1024, 768);
  save_display (f, "1024x768");

  /* ...and through the display, sized to its window. */
  hangar_display_set_resize_guest (f->display, TRUE);
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (f->display));
  width = gtk_widget_get_width (GTK_WIDGET (f->display)) * scale;
  height = gtk_widget_get_height (GTK_WIDGET (f->display)) * scale;
  wait_guest_mode (f, width, height);
  save_display (f, "window");

  /* A new mode keeps the cursor. */
  g_assert_true (has_guest_cursor (f));

  /* On SPICE the monitor configs went to the virtio GPU: the server
   * keeps them from the guest's agent when QEMU's display takes them. */
  if (f->protocol->graphics == CONSOLE_GUEST_SPICE)
    {
      g_autofree char *serial = console_guest_read_serial (f->guest);

      g_assert_nonnull (strstr (serial, "hangar-agent: client capabilities"));
      g_assert_null (strstr (serial, "hangar-agent: monitors"));
    }

  log_guest (f);
  g_assert_null (f->error);
  g_assert_cmpint (hangar_console_session_get_state (f->session), ==,
                   HANGAR_CONSOLE_STATE_CONNECTED);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/hangar/console/vnc/guest-display", Fixture, &vnc,
              fixture_setup, test_cursor_and_resize, fixture_teardown);
  g_test_add ("/hangar/console/spice/guest-display", Fixture, &spice,
              fixture_setup, test_cursor_and_resize, fixture_teardown);

  return g_test_run ();
}
