/* hangar-test-app.h — running the real application inside a test.
 *
 * The test drives Hangar as a user would: the same command line, the same
 * actions. A periodic callback advances a test-specific script of steps
 * while the application's own main loop runs.
 *
 * tests/support's hangar_test_ui_dep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-application.h"
#include "hangar-window.h"

G_BEGIN_DECLS

typedef struct _HangarTestRun HangarTestRun;

/* Returns TRUE when the step is done and the next one may start. */
typedef gboolean (*HangarTestStep) (HangarTestRun *run);

struct _HangarTestRun
{
  HangarApplication   *app;
  const HangarTestStep *steps;
  guint                 step;
  gint64                step_started;
  guint                 step_timeout_ms;
  gboolean              timed_out;
  gpointer              data;
};

HangarWindow *hangar_test_run_window         (HangarTestRun        *run);

/* Runs Hangar with @argv (argv[0] included, NULL-terminated) and the steps;
 * the last step should close the windows so the app ends by itself.
 * Returns the application's exit status. */
int           hangar_test_run_app            (HangarTestRun        *run,
                                              const char * const   *argv,
                                              const HangarTestStep *steps,
                                              guint                 step_timeout_ms);

/* Saves what @widget shows as a PNG in the test log directory; returns
 * its path. */
char         *hangar_test_screenshot         (GtkWidget            *widget,
                                              const char           *name);

/* The widget named @name (gtk_widget_set_name()) under @widget, or NULL;
 * named() fails the test when there is none. */
GtkWidget    *find_named                     (GtkWidget            *widget,
                                              const char           *name);
GtkWidget    *named                          (GtkWidget            *root,
                                              const char           *name);

/* The first visible toplevel of @type, such as a dialog the app opened. */
GtkWidget    *hangar_test_find_toplevel      (GType                 type);

/* Counts the rows under each connection row, as the list shows them. */
guint         hangar_test_count_machine_rows (HangarWindow         *window);

G_END_DECLS
