/* hangar-test-app.c — running the real application inside a test.
 *
 * The test drives Hangar as a user would: the same command line, the same
 * actions. A periodic callback advances a test-specific script of steps
 * while the application's own main loop runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "hangar-test-app.h"


HangarWindow *
hangar_test_run_window (HangarTestRun *run)
{
  return hangar_application_get_main_window (run->app);
}

static gboolean
hangar_test_run_tick (gpointer user_data)
{
  HangarTestRun *run = user_data;

  if (run->steps[run->step] == NULL)
    return G_SOURCE_REMOVE;

  if (run->steps[run->step] (run))
    {
      g_test_message ("step %u done after %.0f ms", run->step,
                      (g_get_monotonic_time () - run->step_started) / 1000.0);
      run->step++;
      run->step_started = g_get_monotonic_time ();
      if (run->steps[run->step] == NULL)
        return G_SOURCE_REMOVE;
    }
  else if (g_get_monotonic_time () - run->step_started > run->step_timeout_ms * 1000)
    {
      g_test_message ("step %u timed out", run->step);
      run->timed_out = TRUE;
      g_application_quit (G_APPLICATION (run->app));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Runs Hangar with @argv (argv[0] included, NULL-terminated) and the steps;
 * the last step should close the windows so the app ends by itself.
 * Returns the application's exit status. */
int
hangar_test_run_app (HangarTestRun        *run,
                     const char * const   *argv,
                     const HangarTestStep *steps,
                     guint                 step_timeout_ms)
{
  int status;

  run->app = hangar_application_new ();
  /* Tests run side by side: never hand our command line to another one. */
  g_application_set_flags (G_APPLICATION (run->app),
                           g_application_get_flags (G_APPLICATION (run->app))
                           | G_APPLICATION_NON_UNIQUE);
  run->steps = steps;
  run->step = 0;
  run->step_started = g_get_monotonic_time ();
  run->step_timeout_ms = step_timeout_ms;
  g_timeout_add (50, hangar_test_run_tick, run);

  status = g_application_run (G_APPLICATION (run->app), g_strv_length ((char **) argv),
                              (char **) argv);
  g_clear_object (&run->app);
  g_assert_false (run->timed_out);
  g_assert_null (steps[run->step]);
  return status;
}

/* Saves what @widget shows as a PNG in the test log directory. */
char *
hangar_test_screenshot (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("HANGAR_TEST_LOGDIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;
  char *path;

  /* A window mapped a moment ago may not have its size yet. */
  for (guint tries = 0; gtk_widget_get_width (widget) == 0 && tries < 200; tries++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  /* A widget with a pending relayout draws nothing: let a frame pass. */
  for (guint tries = 0; node == NULL && tries < 100; tries++)
    {
      g_clear_object (&snapshot);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        g_usleep (10000);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

/* The widget named @name under @widget (gtk_widget_set_name()), or NULL. */
GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The same, failing the test when there is none. */
GtkWidget *
named (GtkWidget  *root,
       const char *name)
{
  GtkWidget *widget = find_named (root, name);

  if (widget == NULL)
    g_error ("no widget named %s", name);
  return widget;
}

/* The first toplevel of @type, such as a dialog the app opened. */
GtkWidget *
hangar_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

/* Counts the rows under each connection row, as the list shows them. */
guint
hangar_test_count_machine_rows (HangarWindow *window)
{
  GListModel *rows = hangar_window_get_rows (window);
  guint n = g_list_model_get_n_items (rows);
  guint machines = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);

      if (gtk_tree_list_row_get_depth (row) == 1)
        machines++;
    }
  return machines;
}

