/* test-performance-view.c — the details' Performance section on a running guest.
 *
 * A diskless guest with a small raw disk file runs under TCG; the section
 * must fill from the connection's statistics alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <adwaita.h>

#define DETAILS_PREFIX "hangar-d2-"
#include "details-test-util.h"
#include "hangar-details-view.h"
#include "hangar-performance-view.h"
#include "hangar-test-app.h"

static HangarConnection *connection;

GResource *hangar_get_resource (void);

static gboolean
has_samples (gpointer data)
{
  return hangar_performance_view_get_n_samples (data) >= 2;
}

static gboolean
is_running (gpointer data)
{
  return hangar_vm_is_active (data);
}

static gboolean
is_stopped (gpointer data)
{
  return !hangar_vm_is_active (data);
}

static gboolean
has_digit (const char *text)
{
  for (; text && *text; text++)
    if (g_ascii_isdigit (*text))
      return TRUE;
  return FALSE;
}

static void
test_performance (void)
{
  g_autofree char *raw = g_strdup_printf (IMAGES_DIR "/" DETAILS_PREFIX "perf-%d.raw",
                                          (int) getpid ());
  g_autofree char *command = g_strdup_printf ("qemu-img create -q -f raw %s 16M", raw);
  g_autofree char *devices = NULL;
  g_autofree char *name = NULL;
  g_autoptr(HangarVm) vm = NULL;
  GtkWidget *view;
  GtkWidget *performance;
  GtkWindow *window;
  const char *labels[] = { "performance-cpu-value", "performance-memory-value",
                           "performance-disk-value", "performance-network-value" };

  g_assert_true (details_run (command, NULL));
  g_ptr_array_add (details_files, g_strdup (raw));
  devices = g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                             "<source file='%s'/><target dev='vdb' bus='virtio'/></disk>"
                             "<interface type='user'><model type='virtio'/></interface>",
                             raw);
  name = details_define_guest ("perf", NULL, devices);
  vm = details_wait_vm (connection, name);
  g_assert_true (details_virsh (NULL, "start %s", name));
  g_assert_true (hangar_test_wait (is_running, vm, 30000));

  view = hangar_details_view_new (vm);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1000, 900);
  gtk_window_set_child (window, view);
  gtk_window_present (window);
  g_assert_true (hangar_details_view_select_section (HANGAR_DETAILS_VIEW (view), "performance"));

  performance = find_named (view, "performance-cpu-graph");
  g_assert_nonnull (performance);
  performance = gtk_widget_get_ancestor (performance, HANGAR_TYPE_PERFORMANCE_VIEW);
  g_assert_nonnull (performance);
  g_assert_true (hangar_test_wait (has_samples, performance, 30000));
  g_assert_false (gtk_widget_get_visible (find_named (view, "performance-note")));

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      const char *text = gtk_label_get_text (GTK_LABEL (find_named (view, labels[i])));

      g_test_message ("%s: %s", labels[i], text);
      if (!has_digit (text))
        g_error ("%s shows no number: %s", labels[i], text);
    }

  g_free (hangar_test_screenshot (GTK_WIDGET (window), "details-performance.png"));

  /* Stopped: the note says why the graphs stand still. */
  g_assert_true (details_virsh (NULL, "destroy %s", name));
  g_assert_true (hangar_test_wait (is_stopped, vm, 30000));
  g_assert_true (gtk_widget_get_visible (find_named (view, "performance-note")));
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_nonnull (hangar_get_resource ());

  details_init ();
  connection = details_connect ();
  hangar_connection_set_stats_interval (connection, 500);

  g_test_add_func ("/hangar/details/performance/running", test_performance);

  status = g_test_run ();
  hangar_connection_close (connection);
  g_clear_object (&connection);
  details_cleanup ();
  return status;
}
