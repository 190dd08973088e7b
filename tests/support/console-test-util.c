/* console-test-util.c — helpers shared by the console tests and benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "console-test-util.h"

#include <glib/gstdio.h>

#include "hangar-display-private.h"

typedef struct
{
  gboolean (*condition) (gpointer data);
  gpointer data;
} Waiter;

static gboolean
timed_out_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds or @timeout_ms pass. */
gboolean
console_test_wait_until (gboolean (*condition) (gpointer data),
                         gpointer   data,
                         guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
console_test_iterate (guint ms)
{
  console_test_wait_until (never, NULL, ms);
}

/* What the widget draws, through its window's renderer. The widget's own
 * snapshot vfunc is called directly: GtkWidgetPaintable would wait for
 * the next frame. */
GdkTexture *
console_test_render_widget (GtkWidget *widget)
{
  return console_test_render_widget_scaled (widget, 1);
}

/* The same in device pixels at @scale, as the window's surface gets it. */
GdkTexture *
console_test_render_widget_scaled (GtkWidget *widget,
                                   int        scale)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget) * scale;
  int height = gtk_widget_get_height (widget) * scale;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gtk_snapshot_scale (snapshot, scale, scale);
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_assert_nonnull (renderer);

  return gsk_renderer_render_texture (renderer, node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* Pixels as cairo ARGB32: B, G, R, A bytes, premultiplied. */
guint8 *
console_test_download (GdkTexture *texture,
                       gsize      *stride)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  guint8 *data;

  *stride = (gsize) width * 4;
  data = g_malloc ((*stride) * height);
  gdk_texture_download (texture, data, *stride);

  return data;
}

/* A file in $HANGAR_TEST_LOGDIR (created if needed), or in the current
 * directory when it is unset. */
char *
console_test_log_path (const char *name)
{
  const char *dir = g_getenv ("HANGAR_TEST_LOGDIR");

  if (dir == NULL || *dir == '\0')
    dir = ".";
  g_mkdir_with_parents (dir, 0755);

  return g_build_filename (dir, name, NULL);
}

void
console_test_save_png (GdkTexture *texture,
                       const char *name)
{
  g_autofree char *path = console_test_log_path (name);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
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
  if (c == '\\')
    return 43;
  if (c == ',')
    return 51;
  if (c >= '1' && c <= '9')
    return 2 + (c - '1');
  if (c == '0')
    return 11;
  p = strchr (letters, c);
  g_assert_nonnull (p);

  return codes[p - letters];
}

/* Through the same function the key controller calls, with X11 hardware
 * keycodes (evdev + 8), as a keyboard would: upper case with Shift held,
 * and \x01 for Caps Lock. */
void
console_test_type_text (HangarDisplay *display,
                        const char    *text)
{
  for (const char *c = text; *c != '\0'; c++)
    {
      gboolean shift = g_ascii_isupper (*c);
      guint keycode = (*c == '\x01' ? 58 : evdev_for_char (g_ascii_tolower (*c))) + 8;

      if (shift)
        g_assert_true (_hangar_display_key (display, 42 + 8, 0, TRUE));
      g_assert_true (_hangar_display_key (display, keycode, 0, TRUE));
      console_test_iterate (15);
      g_assert_true (_hangar_display_key (display, keycode, 0, FALSE));
      if (shift)
        g_assert_true (_hangar_display_key (display, 42 + 8, 0, FALSE));
      console_test_iterate (15);
    }
}
