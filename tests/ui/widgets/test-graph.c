/* test-graph.c — HangarGraph draws the numbers it is given.
 *
 * Each graph is rendered to a texture (and saved beside the other
 * screenshots, to look at): samples in, paint at the heights they stand
 * for, nothing where there is no sample.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hangar-graph.h"
#include "hangar-test-app.h"

#define WIDTH 240
#define HEIGHT 100

typedef struct
{
  guchar *pixels;   /* B, G, R, A premultiplied, as gdk_texture_download() gives */
  gsize   stride;
  int     width;
  int     height;
} Picture;

static void
picture_free (Picture *picture)
{
  g_free (picture->pixels);
  g_free (picture);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Picture, picture_free)

/* Shows @graph alone in a window of its own and photographs it. */
static Picture *
render (GtkWidget  *graph,
        const char *name)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  g_autofree char *path = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  Picture *picture = g_new0 (Picture, 1);

  gtk_widget_set_size_request (graph, WIDTH, HEIGHT);
  gtk_widget_set_halign (graph, GTK_ALIGN_START);
  gtk_widget_set_valign (graph, GTK_ALIGN_START);
  gtk_window_set_child (window, graph);
  gtk_window_present (window);

  path = hangar_test_screenshot (graph, name);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  picture->width = gdk_texture_get_width (texture);
  picture->height = gdk_texture_get_height (texture);
  g_assert_cmpint (picture->width, ==, WIDTH);
  g_assert_cmpint (picture->height, ==, HEIGHT);
  picture->stride = (gsize) picture->width * 4;
  picture->pixels = g_malloc (picture->stride * picture->height);
  gdk_texture_download (texture, picture->pixels, picture->stride);

  gtk_window_destroy (window);
  return picture;
}

static const guchar *
pixel (Picture *picture,
       int      x,
       int      y)
{
  return picture->pixels + (gsize) y * picture->stride + (gsize) x * 4;
}

static gboolean
painted (Picture *picture,
         int      x,
         int      y)
{
  return pixel (picture, x, y)[3] > 0;
}

enum { BLUE = 0, RED = 2 };

/* Painted in a colour with @more well above @less: GNOME's blue (#3584e4)
 * leans to BLUE, its orange (#e66100) to RED, the grey grid to neither. */
static gboolean
leans (Picture *picture,
       int      x,
       int      y,
       int      more,
       int      less)
{
  const guchar *p = pixel (picture, x, y);

  return p[3] > 0 && p[more] > p[less] + 20;
}

#define bluish(picture, x, y) leans (picture, x, y, BLUE, RED)
#define orangish(picture, x, y) leans (picture, x, y, RED, BLUE)

static void
test_percent (void)
{
  GtkWidget *graph = hangar_graph_new ();
  float values[HANGAR_GRAPH_N_SAMPLES / 2];
  g_autoptr(Picture) picture = NULL;
  /* Half of the newest columns are filled: from the right edge to the middle. */
  int filled_x = WIDTH - 10, empty_x = 10;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = 50.0f;
  g_assert_cmpfloat (hangar_graph_get_max (HANGAR_GRAPH (graph)), ==, 100.0f);
  hangar_graph_set_samples (HANGAR_GRAPH (graph), 0, values, G_N_ELEMENTS (values));
  g_assert_cmpuint (hangar_graph_get_n_samples (HANGAR_GRAPH (graph), 0), ==, G_N_ELEMENTS (values));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (graph)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);

  picture = render (graph, "graph-percent.png");

  /* 50 %: the line at mid-height, filled below it, nothing above. */
  g_assert_false (painted (picture, filled_x, HEIGHT / 4));
  g_assert_true (bluish (picture, filled_x, HEIGHT / 2 - 1));
  g_assert_true (bluish (picture, filled_x, 3 * HEIGHT / 4));
  /* No samples there yet: the baseline alone. */
  g_assert_false (painted (picture, empty_x, 3 * HEIGHT / 4));
  g_assert_true (painted (picture, empty_x, HEIGHT - 1));
}

static void
test_rates (void)
{
  GtkWidget *graph = hangar_graph_new ();
  float read[HANGAR_GRAPH_N_SAMPLES], written[HANGAR_GRAPH_N_SAMPLES];
  g_autoptr(Picture) picture = NULL;

  /* Rates scale to the largest shown (with a tenth of room above it). */
  for (guint i = 0; i < HANGAR_GRAPH_N_SAMPLES; i++)
    {
      read[i] = i < HANGAR_GRAPH_N_SAMPLES / 2 ? 1000.0f : 0.0f;
      written[i] = 500.0f;
    }
  hangar_graph_set_max (HANGAR_GRAPH (graph), 0);
  hangar_graph_set_divisions (HANGAR_GRAPH (graph), 4);
  hangar_graph_set_samples (HANGAR_GRAPH (graph), 0, read, G_N_ELEMENTS (read));
  hangar_graph_set_samples (HANGAR_GRAPH (graph), 1, written, G_N_ELEMENTS (written));

  picture = render (graph, "graph-rates.png");

  /* The older half: read near the top, filled down to the bottom. */
  g_assert_true (bluish (picture, WIDTH / 4, HEIGHT / 5));
  g_assert_true (bluish (picture, WIDTH / 4, 4 * HEIGHT / 5 + 3));
  g_assert_false (painted (picture, WIDTH / 4, 4));
  /* Written, a line at 500 / 1100 of the height, over both halves. */
  g_assert_true (orangish (picture, 3 * WIDTH / 4, (int) ((HEIGHT - 1) * (1 - 500 / 1100.0f))));
  /* The newer half reads nothing: no fill between the grid lines. */
  g_assert_false (painted (picture, 3 * WIDTH / 4, HEIGHT / 8));
  g_assert_false (painted (picture, 3 * WIDTH / 4, 7 * HEIGHT / 8));
}

static void
test_push (void)
{
  GtkWidget *graph = g_object_ref_sink (g_object_new (HANGAR_TYPE_GRAPH, "divisions", 2, NULL));
  g_autoptr(Picture) picture = NULL;

  gtk_widget_add_css_class (graph, "accent");
  for (guint i = 0; i < HANGAR_GRAPH_N_SAMPLES + 5; i++)
    hangar_graph_push_sample (HANGAR_GRAPH (graph), i < 5 ? 0.0f : 100.0f);
  /* The oldest fell off: all the samples kept are 100 %. */
  g_assert_cmpuint (hangar_graph_get_n_samples (HANGAR_GRAPH (graph), 0), ==,
                    HANGAR_GRAPH_N_SAMPLES);
  g_assert_cmpuint (hangar_graph_get_divisions (HANGAR_GRAPH (graph)), ==, 2);

  picture = render (graph, "graph-push.png");
  g_assert_true (painted (picture, 2, HEIGHT / 4));
  g_assert_true (painted (picture, WIDTH - 2, HEIGHT / 4));

  hangar_graph_clear (HANGAR_GRAPH (graph));
  g_assert_cmpuint (hangar_graph_get_n_samples (HANGAR_GRAPH (graph), 0), ==, 0);
  g_assert_finalize_object (graph);
}

/* As the host window's template has it. */
static void
test_template (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(Picture) picture = NULL;
  GtkWidget *graph;

  g_type_ensure (HANGAR_TYPE_GRAPH);
  gtk_builder_add_from_string (builder,
                               "<interface><object class='HangarGraph' id='graph'>"
                               "<property name='divisions'>2</property>"
                               "<style><class name='accent'/></style>"
                               "</object></interface>", -1, &error);
  g_assert_no_error (error);
  graph = GTK_WIDGET (gtk_builder_get_object (builder, "graph"));
  g_assert_cmpuint (hangar_graph_get_divisions (HANGAR_GRAPH (graph)), ==, 2);
  g_assert_true (gtk_widget_has_css_class (graph, "accent"));

  /* The grid: top, middle and bottom lines, and nothing between. */
  picture = render (graph, "graph-template.png");
  g_assert_true (painted (picture, WIDTH / 2, 0));
  g_assert_true (painted (picture, WIDTH / 2, HEIGHT / 2));
  g_assert_true (painted (picture, WIDTH / 2, HEIGHT - 1));
  g_assert_false (painted (picture, WIDTH / 2, HEIGHT / 4));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  g_test_add_func ("/hangar/widgets/graph/percent", test_percent);
  g_test_add_func ("/hangar/widgets/graph/rates", test_rates);
  g_test_add_func ("/hangar/widgets/graph/push", test_push);
  g_test_add_func ("/hangar/widgets/graph/template", test_template);

  return g_test_run ();
}
