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
#include "hangar-details-view.h"
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
  /* The thousand come back a few rows per frame, as when they arrived. */
  g_assert_cmpuint (hangar_test_count_machine_rows (window), <, 1000);
  return TRUE;
}

static gboolean
step_search_cleared (HangarTestRun *run)
{
  return hangar_test_count_machine_rows (hangar_test_run_window (run)) == 1000;
}

static void
test_thousand_machines (void)
{
  g_autofree char *path = generate_domains (1000);
  g_autofree char *uri = g_strdup_printf ("test://%s", path);
  const char *argv[] = { "hangar", "--connect", uri, NULL };
  const HangarTestStep steps[] = {
    step_window_shown, step_thousand_listed, step_thousand_check, step_search,
    step_search_cleared, step_close, NULL,
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

/* The entry row titled @title inside @root. */
static GtkWidget *
entry_row (GtkWidget  *root,
           const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_ENTRY_ROW (child)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      if ((found = entry_row (child, title)) != NULL)
        return found;
    }
  return NULL;
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

  /* A host that ssh would read as an option: a message, and no Connect.
   * The host field is marked, not the URI row, which keeps the last URI
   * the form made. */
  hangar_connection_dialog_set_remote (dialog, HANGAR_TRANSPORT_SSH, "root", "-oProxyCommand=x");
  g_assert_false (hangar_connection_dialog_connect (dialog));
  g_assert_true (gtk_widget_has_css_class (entry_row (widget, "Host_name[:port]"), "error"));
  g_assert_false (gtk_widget_has_css_class (entry_row (widget, "URI"), "error"));
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
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (uri), "error"));
  g_assert_false (gtk_widget_has_css_class (entry_row (widget, "Host_name[:port]"), "error"));
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

/* --- a machine window across a disconnect and a connect ------------------------- */

/* The daemon-killing version is in test-machine-window; here the user
 * disconnects the host, which takes the machine out of the list the same
 * way, and connects it again: the window follows the new object and its
 * Details page with it, and a window closed meanwhile is freed. */

static HangarVm *old_vm;
static gpointer  closed_window;

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && gtk_widget_get_mapped (child))
        return child;
      if ((found = find_widget (child, type)) != NULL)
        return found;
    }
  return NULL;
}

static const char *
status_title (HangarMachineWindow *mw)
{
  GtkWidget *page = find_widget (GTK_WIDGET (mw), ADW_TYPE_STATUS_PAGE);

  return page ? adw_status_page_get_title (ADW_STATUS_PAGE (page)) : NULL;
}

static gboolean
step_follow_disconnect (HangarTestRun *run)
{
  HangarMachineWindow *mw =
    (HangarMachineWindow *) hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);

  if (mw == NULL || hangar_machine_window_get_details (mw) == NULL
      || g_strcmp0 (hangar_machine_window_get_page (mw), "message") != 0)
    return FALSE;
  old_vm = g_object_ref (hangar_machine_window_get_vm (mw));
  adw_view_stack_set_visible_child_name (
    ADW_VIEW_STACK (find_widget (GTK_WIDGET (mw), ADW_TYPE_VIEW_STACK)), "console");

  hangar_connection_close (connection_at (run, 0));
  g_assert_cmpstr (status_title (mw), ==, "Not Connected");
  g_assert_true (hangar_machine_window_get_vm (mw) == old_vm);
  hangar_connection_open (connection_at (run, 0));
  return TRUE;
}

static gboolean
step_follow_connect (HangarTestRun *run)
{
  HangarMachineWindow *mw =
    (HangarMachineWindow *) hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
  HangarConnection *connection = connection_at (run, 0);
  HangarVm *vm = hangar_machine_window_get_vm (mw);
  GtkWidget *details;

  if (vm == old_vm)
    return FALSE;
  g_assert_cmpint (hangar_connection_get_state (connection), ==,
                   HANGAR_CONNECTION_STATE_CONNECTED);
  g_assert_true (hangar_connection_lookup_vm (connection, hangar_vm_get_uuid (old_vm)) == vm);
  g_assert_cmpstr (status_title (mw), !=, "Not Connected");
  g_assert_cmpstr (status_title (mw), !=, "Machine Deleted");
  details = hangar_machine_window_get_details (mw);
  g_assert_nonnull (details);
  g_assert_true (hangar_details_view_get_vm (HANGAR_DETAILS_VIEW (details)) == vm);

  /* Opening it from the main window raises this window. */
  g_assert_true (hangar_window_select_vm (hangar_test_run_window (run), vm));
  gtk_widget_activate_action (GTK_WIDGET (hangar_test_run_window (run)), "vm.open", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (run->app)); l; l = l->next)
    if (HANGAR_IS_MACHINE_WINDOW (l->data))
      g_assert_true (l->data == (gpointer) mw);

  /* Down again, and the window closed while it waits. */
  hangar_connection_close (connection);
  closed_window = mw;
  g_object_add_weak_pointer (G_OBJECT (mw), &closed_window);
  gtk_window_destroy (GTK_WINDOW (mw));
  return TRUE;
}

static gboolean
step_closed_window_freed (HangarTestRun *run)
{
  if (closed_window != NULL)
    return FALSE;
  /* Nothing of the window still listens to the connection. */
  hangar_connection_open (connection_at (run, 0));
  return TRUE;
}

static gboolean
step_reconnected_without_window (HangarTestRun *run)
{
  return hangar_connection_get_state (connection_at (run, 0))
         == HANGAR_CONNECTION_STATE_CONNECTED;
}

static void
test_machine_window_follows (void)
{
  const char *argv[] = { "hangar", "--connect", "test:///default",
                         "--show-domain-editor", "test", NULL };
  const HangarTestStep steps[] = {
    step_window_shown, step_follow_disconnect, step_follow_connect, step_closed_window_freed,
    step_reconnected_without_window, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 20000), ==, 0);
  g_clear_object (&old_vm);
}

/* Edits in progress on the Details page are not thrown away by a reconnect:
 * the page stays as it was until the user reloads it. */
static gboolean
step_edit_then_disconnect (HangarTestRun *run)
{
  HangarMachineWindow *mw =
    (HangarMachineWindow *) hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
  GtkWidget *details = mw ? hangar_machine_window_get_details (mw) : NULL;
  GtkWidget *entry;
  g_autofree char *text = NULL;

  if (details == NULL || hangar_details_view_is_busy (HANGAR_DETAILS_VIEW (details))
      || hangar_details_view_get_config (HANGAR_DETAILS_VIEW (details)) == NULL)
    return FALSE;
  entry = find_widget (details, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (entry);
  text = g_strconcat (gtk_editable_get_text (GTK_EDITABLE (entry)), "-edited", NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_assert_true (hangar_details_view_has_unapplied_changes (HANGAR_DETAILS_VIEW (details)));

  old_vm = g_object_ref (hangar_machine_window_get_vm (mw));
  hangar_connection_close (connection_at (run, 0));
  hangar_connection_open (connection_at (run, 0));
  return TRUE;
}

static gboolean
step_edits_kept (HangarTestRun *run)
{
  HangarMachineWindow *mw =
    (HangarMachineWindow *) hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
  HangarVm *vm = hangar_machine_window_get_vm (mw);
  GtkWidget *details = hangar_machine_window_get_details (mw);

  if (vm == old_vm)
    return FALSE;
  g_assert_true (hangar_details_view_get_vm (HANGAR_DETAILS_VIEW (details)) == old_vm);
  g_assert_true (hangar_details_view_has_unapplied_changes (HANGAR_DETAILS_VIEW (details)));
  g_free (hangar_test_screenshot (GTK_WIDGET (mw), "machine-window-edits-kept.png"));

  /* The toast's Discard Changes button. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (mw), "machine.reload-details", NULL));
  details = hangar_machine_window_get_details (mw);
  g_assert_true (hangar_details_view_get_vm (HANGAR_DETAILS_VIEW (details)) == vm);
  gtk_window_destroy (GTK_WINDOW (mw));
  return TRUE;
}

static void
test_machine_window_keeps_edits (void)
{
  const char *argv[] = { "hangar", "--connect", "test:///default",
                         "--show-domain-editor", "test", NULL };
  const HangarTestStep steps[] = {
    step_window_shown, step_edit_then_disconnect, step_edits_kept, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 20000), ==, 0);
  g_clear_object (&old_vm);
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
  g_test_add_func ("/hangar/ui/window/machine-window-follows", test_machine_window_follows);
  g_test_add_func ("/hangar/ui/window/machine-window-keeps-edits",
                   test_machine_window_keeps_edits);
  g_test_add_func ("/hangar/ui/window/delete-running", test_delete_running);
  g_test_add_func ("/hangar/ui/window/add-connection", test_add_connection);

  return g_test_run ();
}
