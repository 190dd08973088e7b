/* test-ui-window.c — the main window under a real X server, on the test driver.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "hangar-connection.h"
#include "hangar-connection-dialog.h"
#include "hangar-delete-dialog.h"
#include "hangar-machine-window.h"
#include "hangar-uri.h"
#include "hangar-vm.h"
#include "hangar-test-app.h"

static char *
generate_domains (guint n)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tests", "data",
                                              "gen-test-domains", NULL);
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autofree char *name = g_strdup_printf ("hangar-ui-%u-%d.xml", n, (int) getpid ());
  char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  const char *argv[] = { "bash", script, count, path, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return path;
}

static HangarConnection *
connection_at (HangarTestRun *run,
               guint          i)
{
  GListModel *connections = G_LIST_MODEL (hangar_application_get_connections (run->app));
  g_autoptr(HangarConnection) connection = g_list_model_get_item (connections, i);

  return connection;  /* the manager keeps it */
}

static gboolean
step_window_shown (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
step_close (HangarTestRun *run)
{
  gtk_window_close (GTK_WINDOW (hangar_test_run_window (run)));
  return TRUE;
}

/* --- 1,000 machines ---------------------------------------------------------- */

static gboolean
step_thousand_listed (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);

  if (hangar_connection_get_state (connection_at (run, 0)) != HANGAR_CONNECTION_STATE_CONNECTED)
    return FALSE;
  return hangar_test_count_machine_rows (window) == 1000;
}

static gboolean
step_thousand_check (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);
  GListModel *rows = hangar_window_get_rows (window);
  g_autoptr(GtkTreeListRow) header = g_list_model_get_item (rows, 0);
  g_autoptr(GtkTreeListRow) first = g_list_model_get_item (rows, 1);
  g_autoptr(GObject) connection = gtk_tree_list_row_get_item (header);
  g_autoptr(GObject) vm = gtk_tree_list_row_get_item (first);
  g_autofree char *shot = NULL;

  g_assert_true (HANGAR_IS_CONNECTION (connection));
  g_assert_true (HANGAR_IS_VM (vm));
  /* Sorted by name. */
  g_assert_cmpstr (hangar_vm_get_name (HANGAR_VM (vm)), ==, "vm-00001");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 1001);

  /* Two thirds run, the rest are off, as generated. */
  g_assert_cmpint (hangar_vm_get_state (HANGAR_VM (vm)), ==, HANGAR_VM_STATE_RUNNING);
  g_assert_cmpint (hangar_vm_get_state (hangar_connection_lookup_vm (HANGAR_CONNECTION (connection),
                                                                     "vm-01000")),
                   ==, HANGAR_VM_STATE_SHUTOFF);

  shot = hangar_test_screenshot (GTK_WIDGET (window), "main-window-1000.png");
  return TRUE;
}

static gboolean
step_search (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);

  hangar_window_set_search_text (window, "VM-0099");
  /* vm-00990 … vm-00999, matched without regard to case. */
  g_assert_cmpuint (hangar_test_count_machine_rows (window), ==, 10);
  hangar_window_set_search_text (window, "no such machine");
  g_assert_cmpuint (hangar_test_count_machine_rows (window), ==, 0);
  hangar_window_set_search_text (window, NULL);
  g_assert_cmpuint (hangar_test_count_machine_rows (window), ==, 1000);
  return TRUE;
}

static void
test_thousand_machines (void)
{
  g_autofree char *path = generate_domains (1000);
  g_autofree char *uri = g_strdup_printf ("test://%s", path);
  const char *argv[] = { "hangar", "--connect", uri, NULL };
  const HangarTestStep steps[] = {
    step_window_shown, step_thousand_listed, step_thousand_check, step_search, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 30000), ==, 0);
  g_unlink (path);
}

/* --- bad input ----------------------------------------------------------------- */

static gboolean
step_bad_settled (HangarTestRun *run)
{
  for (guint i = 0; i < 3; i++)
    if (hangar_connection_get_state (connection_at (run, i)) == HANGAR_CONNECTION_STATE_CONNECTING)
      return FALSE;
  return TRUE;
}

static gboolean
step_bad_check (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);
  HangarConnection *nonsense = connection_at (run, 0);
  HangarConnection *unreachable = connection_at (run, 1);
  HangarConnection *good = connection_at (run, 2);
  g_autofree char *shot = NULL;
  HangarVm *vm;

  g_assert_cmpint (hangar_connection_get_state (nonsense), ==, HANGAR_CONNECTION_STATE_FAILED);
  g_assert_nonnull (strstr (hangar_connection_get_error_message (nonsense), "nonsense"));
  g_assert_cmpint (hangar_connection_get_state (unreachable), ==, HANGAR_CONNECTION_STATE_FAILED);
  g_assert_nonnull (strstr (hangar_connection_get_error_message (unreachable), "127.0.0.1"));
  g_assert_cmpint (hangar_connection_get_state (good), ==, HANGAR_CONNECTION_STATE_CONNECTED);

  shot = hangar_test_screenshot (GTK_WIDGET (window), "bad-input.png");

  /* The window stays usable: the good connection's machine obeys. */
  vm = hangar_connection_lookup_vm (good, "test");
  g_assert_nonnull (vm);
  g_assert_true (hangar_window_select_vm (window, vm));
  g_assert_true (hangar_window_get_selected_vm (window) == vm);
  gtk_widget_activate_action (GTK_WIDGET (window), "vm.pause", NULL);
  run->data = vm;
  return TRUE;
}

static gboolean
step_bad_paused (HangarTestRun *run)
{
  return hangar_vm_get_state (run->data) == HANGAR_VM_STATE_PAUSED;
}

static void
test_bad_input (void)
{
  const char *argv[] = { "hangar", "--connect", "nonsense://x",
                         "--connect", "qemu+tcp://127.0.0.1:1/system",
                         "--connect", "test:///default", NULL };
  const HangarTestStep steps[] = {
    step_window_shown, step_bad_settled, step_bad_check, step_bad_paused, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 20000), ==, 0);
}

/* --- --show-domain-console and errors for unknown names --------------------------- */

static gboolean
step_console_window (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);
  GtkWidget *machine = hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
  HangarMachineWindow *mw = (HangarMachineWindow *) machine;
  g_autofree char *shot = NULL;
  HangarVm *vm;

  /* id 1 is the test driver's one machine, which has no display device. */
  if (machine == NULL || g_strcmp0 (hangar_machine_window_get_page (mw), "message") != 0)
    return FALSE;
  g_assert_cmpstr (hangar_vm_get_name (hangar_machine_window_get_vm (mw)), ==, "test");
  vm = hangar_window_get_selected_vm (window);
  g_assert_true (vm == hangar_machine_window_get_vm (mw));
  shot = hangar_test_screenshot (machine, "machine-window-no-graphics.png");

  /* Opening it again raises the same window. */
  gtk_widget_activate_action (GTK_WIDGET (window), "vm.open", NULL);
  g_assert_true (hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW) == machine);
  gtk_window_destroy (GTK_WINDOW (machine));

  hangar_window_show_for_machine (window, connection_at (run, 0), "nope",
                                  HANGAR_WINDOW_SHOW_EDITOR);
  return TRUE;
}

static gboolean
step_unknown_dialog (HangarTestRun *run)
{
  GtkWidget *dialog = hangar_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  if (dialog == NULL)
    return FALSE;
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                            "nope"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

static void
test_show_options (void)
{
  const char *argv[] = { "hangar", "--connect", "test:///default",
                         "--show-domain-console", "1", NULL };
  const HangarTestStep steps[] = {
    step_window_shown, step_console_window, step_unknown_dialog, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 20000), ==, 0);
}

/* --- --show-domain-editor opens the machine's window on its details ------------- */

static gboolean
step_details_shown (HangarTestRun *run)
{
  HangarMachineWindow *mw =
    (HangarMachineWindow *) hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
  g_autofree char *shot = NULL;

  if (mw == NULL || hangar_machine_window_get_details (mw) == NULL)
    return FALSE;
  g_assert_cmpstr (hangar_vm_get_name (hangar_machine_window_get_vm (mw)), ==, "test");
  shot = hangar_test_screenshot (GTK_WIDGET (mw), "machine-window-details.png");
  gtk_window_destroy (GTK_WINDOW (mw));
  return TRUE;
}

static void
test_show_editor (void)
{
  const char *argv[] = { "hangar", "--connect", "test:///default",
                         "--show-domain-editor", "test", NULL };
  const HangarTestStep steps[] = {
    step_window_shown, step_details_shown, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 20000), ==, 0);
}

/* --- delete a running machine and its disk --------------------------------------- */

static gboolean
step_delete_start (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);
  HangarConnection *connection = connection_at (run, 0);
  HangarVm *vm;

  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    return FALSE;
  vm = hangar_connection_lookup_vm (connection, "vm-00001");
  g_assert_nonnull (vm);
  g_assert_true (hangar_vm_is_active (vm));
  g_assert_true (hangar_window_select_vm (window, vm));
  gtk_widget_activate_action (GTK_WIDGET (window), "vm.delete", NULL);
  return TRUE;
}

static gboolean
step_delete_dialog (HangarTestRun *run)
{
  GtkWidget *dialog = hangar_test_find_toplevel (HANGAR_TYPE_DELETE_DIALOG);
  g_auto(GStrv) paths = NULL;
  g_autofree char *shot = NULL;

  if (dialog == NULL || gtk_widget_get_width (dialog) == 0)
    return FALSE;

  /* The machine's one disk is offered, checked. */
  paths = hangar_delete_dialog_get_selected_paths (HANGAR_DELETE_DIALOG (dialog));
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_true (g_str_has_suffix (paths[0], "vm-00001.qcow2"));
  shot = hangar_test_screenshot (dialog, "delete-dialog.png");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

static gboolean
step_force_off_confirm (HangarTestRun *run)
{
  GtkWidget *dialog = hangar_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  /* A running machine needs a second yes. */
  if (dialog == NULL)
    return FALSE;
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                            "Force"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "force-off");
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

static gboolean
step_deleted (HangarTestRun *run)
{
  HangarConnection *connection = connection_at (run, 0);

  if (hangar_connection_lookup_vm (connection, "vm-00001") != NULL)
    return FALSE;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (connection)), ==, 2);
  g_assert_cmpuint (hangar_test_count_machine_rows (hangar_test_run_window (run)), ==, 2);
  return TRUE;
}

static void
test_delete_running (void)
{
  g_autofree char *path = generate_domains (3);
  g_autofree char *uri = g_strdup_printf ("test://%s", path);
  const char *argv[] = { "hangar", "--connect", uri, NULL };
  const HangarTestStep steps[] = {
    step_window_shown, step_delete_start, step_delete_dialog, step_force_off_confirm,
    step_deleted, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 20000), ==, 0);
  g_unlink (path);
}

/* --- Add Connection ------------------------------------------------------------- */

static gboolean
step_open_dialog (HangarTestRun *run)
{
  if (!step_window_shown (run))
    return FALSE;
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "new-connection", NULL);
  return TRUE;
}

static gboolean
step_dialog_input (HangarTestRun *run)
{
  HangarConnectionDialog *dialog =
    (HangarConnectionDialog *) hangar_test_find_toplevel (HANGAR_TYPE_CONNECTION_DIALOG);
  GtkWidget *widget = GTK_WIDGET (dialog);
  g_autofree char *shot = NULL;
  GtkEditable *uri = NULL;

  if (dialog == NULL)
    return FALSE;

  /* Local by default. */
  g_assert_cmpstr (hangar_connection_dialog_get_uri (dialog), ==, "qemu:///system");

  /* The URI follows the form. */
  hangar_connection_dialog_set_remote (dialog, HANGAR_TRANSPORT_SSH, "root", "server:2222");
  g_assert_cmpstr (hangar_connection_dialog_get_uri (dialog), ==,
                   "qemu+ssh://root@server:2222/system");
  g_assert_true (gtk_widget_is_sensitive (widget));

  /* A host that ssh would read as an option: a message, and no Connect. */
  hangar_connection_dialog_set_remote (dialog, HANGAR_TRANSPORT_SSH, "root", "-oProxyCommand=x");
  g_assert_false (hangar_connection_dialog_connect (dialog));
  shot = hangar_test_screenshot (widget, "add-connection-error.png");

  /* Any URI can be typed in; a wrong one says why. */
  for (GtkWidget *w = widget; w != NULL; )
    {
      /* find the AdwEntryRow titled URI: the last editable in the dialog */
      GtkWidget *next = gtk_widget_get_first_child (w);
      if (next == NULL)
        {
          while (w != widget && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w == widget)
            break;
          next = gtk_widget_get_next_sibling (w);
        }
      w = next;
      if (ADW_IS_ENTRY_ROW (w))
        uri = GTK_EDITABLE (w);
    }
  g_assert_nonnull (uri);
  gtk_editable_set_text (uri, "nonsense");
  g_assert_false (hangar_connection_dialog_connect (dialog));
  gtk_editable_set_text (uri, "test:///default");
  g_assert_true (hangar_connection_dialog_connect (dialog));
  return TRUE;
}

static gboolean
step_connection_added (HangarTestRun *run)
{
  HangarConnectionManager *manager = hangar_application_get_connections (run->app);
  HangarConnection *connection = hangar_connection_manager_find (manager, "test:///default");
  g_auto(GStrv) saved = NULL;
  g_auto(GStrv) autoconnect = NULL;

  if (connection == NULL
      || hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    return FALSE;
  g_assert_null (hangar_test_find_toplevel (HANGAR_TYPE_CONNECTION_DIALOG));
  saved = g_settings_get_strv (hangar_application_get_settings (run->app), "connections");
  autoconnect = g_settings_get_strv (hangar_application_get_settings (run->app), "autoconnect");
  g_assert_true (g_strv_contains ((const char * const *) saved, "test:///default"));
  g_assert_true (g_strv_contains ((const char * const *) autoconnect, "test:///default"));
  return TRUE;
}

static void
test_add_connection (void)
{
  const char *argv[] = { "hangar", "--connect", "nonsense://x", NULL };
  const HangarTestStep steps[] = {
    step_open_dialog, step_dialog_input, step_connection_added, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 20000), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/ui/window/thousand-machines", test_thousand_machines);
  g_test_add_func ("/hangar/ui/window/bad-input", test_bad_input);
  g_test_add_func ("/hangar/ui/window/show-options", test_show_options);
  g_test_add_func ("/hangar/ui/window/show-editor", test_show_editor);
  g_test_add_func ("/hangar/ui/window/delete-running", test_delete_running);
  g_test_add_func ("/hangar/ui/window/add-connection", test_add_connection);

  return g_test_run ();
}
