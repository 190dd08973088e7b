/* test-wizard-ui.c — the new-machine wizard driven page by page, as a user would.
 *
 * Runs the real application on the system libvirtd under a real X
 * server. Every bad input is typed into its field and must show up next
 * to it with Forward disabled; the good path goes from an ISO made here
 * (detected as Debian 11) to a running machine in its console window.
 * A screenshot of each page goes to $HANGAR_TEST_LOGDIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hangar-connection.h"
#include "hangar-express-group.h"
#include "hangar-machine-window.h"
#include "hangar-vm.h"
#include "hangar-wizard.h"
#include "hangar-test-app.h"
#include "hangar-test-util.h"
#include "wizard-test-util.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define NAME WIZTEST_PREFIX "ui"
#define TAKEN WIZTEST_PREFIX "taken"

static char *tmp_dir;
static char *iso_path;
static char *text_path;
static char *odd_image_path;
static char *secret_path;
static char *descriptor_path;
static char *backed_path;
static char *tree_root;

static HangarWizard *
wizard (void)
{
  return (HangarWizard *) hangar_test_find_toplevel (HANGAR_TYPE_WIZARD);
}

static gpointer
child (const char *name)
{
  gpointer widget = gtk_widget_get_template_child (GTK_WIDGET (wizard ()), HANGAR_TYPE_WIZARD,
                                                   name);

  g_assert_nonnull (widget);
  return widget;
}

/* A widget of the express-install group on the last page. */
static gpointer
express_child (const char *name)
{
  gpointer widget = gtk_widget_get_template_child (child ("express_group"),
                                                   HANGAR_TYPE_EXPRESS_GROUP, name);
  g_assert_nonnull (widget);
  return widget;
}

static void
assert_express_error (const char *row,
                      const char *expected)
{
  GtkWidget *label = express_child ("error_label");
  const char *message = gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label))
                                                       : NULL;

  g_test_message ("express %s: %s", row, message ? message : "(none)");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, expected));
  g_assert_true (gtk_widget_has_css_class (express_child (row), "error"));
  g_assert_false (hangar_wizard_can_go_forward (wizard ()));
}

static void
set_express_text (const char *field,
                  const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (express_child (field)), text);
}

static void
set_text (const char *field,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (field)), text);
}

/* The message shown under a field, or NULL when there is none. */
static const char *
field_error (const char *label)
{
  GtkWidget *widget = child (label);

  if (!gtk_widget_get_visible (widget))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (widget));
}

static void
assert_field_error (const char *row,
                    const char *label,
                    const char *expected)
{
  const char *message = field_error (label);

  g_test_message ("%s: %s", row, message ? message : "(none)");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, expected));
  if (row != NULL)
    g_assert_true (gtk_widget_has_css_class (child (row), "error"));
  g_assert_false (hangar_wizard_can_go_forward (wizard ()));
}

static void
assert_field_fine (const char *row,
                   const char *label)
{
  g_assert_null (field_error (label));
  if (row != NULL)
    g_assert_false (gtk_widget_has_css_class (child (row), "error"));
}

static void
screenshot (const char *name)
{
  g_autofree char *path = hangar_test_screenshot (GTK_WIDGET (wizard ()), name);
}

static void
forward (void)
{
  g_assert_true (hangar_wizard_can_go_forward (wizard ()));
  gtk_widget_activate_action (GTK_WIDGET (wizard ()), "wizard.forward", NULL);
}

/* On @page, with the slide from the last one over (a screenshot taken
 * during it shows the old page). */
static gboolean
on_page (const char *page)
{
  return wizard () != NULL && g_strcmp0 (hangar_wizard_get_page (wizard ()), page) == 0 &&
         !gtk_stack_get_transition_running (child ("stack"));
}

static gboolean
idle (void)
{
  return wizard () != NULL && !hangar_wizard_get_busy (wizard ());
}

static HangarConnection *
first_connection (HangarTestRun *run)
{
  GListModel *connections = G_LIST_MODEL (hangar_application_get_connections (run->app));
  g_autoptr(HangarConnection) connection = g_list_model_get_item (connections, 0);

  return connection;  /* the manager keeps it */
}

/* --- steps shared by both runs -------------------------------------------------------- */

static gboolean
step_open_wizard (HangarTestRun *run)
{
  GListModel *connections = G_LIST_MODEL (hangar_application_get_connections (run->app));
  HangarConnection *connection = first_connection (run);

  if (hangar_test_run_window (run) == NULL ||
      hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(HangarConnection) other = g_list_model_get_item (connections, i);

      if (hangar_connection_get_state (other) == HANGAR_CONNECTION_STATE_CONNECTING)
        return FALSE;
    }
  gtk_window_present (GTK_WINDOW (hangar_wizard_new (GTK_APPLICATION (run->app), connections, connection)));
  return TRUE;
}

static gboolean
step_source_ready (HangarTestRun *run)
{
  if (!idle () || !gtk_widget_get_mapped (GTK_WIDGET (wizard ())))
    return FALSE;
  g_assert_cmpstr (hangar_wizard_get_page (wizard ()), ==, "source");
  /* Nothing typed yet: no complaint, but no way forward either. */
  assert_field_fine ("iso_row", "iso_error");
  g_assert_false (hangar_wizard_can_go_forward (wizard ()));
  /* One connection: no choice to show. */
  g_assert_false (gtk_widget_get_visible (child ("connection_group")));
  screenshot ("wizard-1-source-empty.png");

  /* Bad media, one by one. */
  set_text ("iso_row", "/nonexistent/debian.iso");
  assert_field_error ("iso_row", "iso_error", "does not exist");
  set_text ("iso_row", text_path);
  assert_field_error ("iso_row", "iso_error", "is not an installation image");
  screenshot ("wizard-1-source-not-iso.png");
  set_text ("iso_row", "");
  assert_field_error ("iso_row", "iso_error", "Choose a file");

  set_text ("iso_row", iso_path);
  return TRUE;
}

static gboolean
step_iso_detected (HangarTestRun *run)
{
  OsinfoOs *os;

  if (!idle ())
    return FALSE;
  os = hangar_wizard_get_detected_os (wizard ());
  g_assert_nonnull (os);
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (os)), ==, "debian11");
  assert_field_fine ("iso_row", "iso_error");
  g_assert_nonnull (strstr (gtk_label_get_text (child ("iso_status")), "Debian 11"));
  screenshot ("wizard-1-source.png");
  forward ();
  return TRUE;
}

static gboolean
step_os_page (HangarTestRun *run)
{
  GtkWidget *list = child ("os_list");
  AdwPreferencesRow *first;
  guint rows = 0;

  if (!on_page ("os"))
    return FALSE;
  g_assert_true (hangar_wizard_get_os (wizard ()) == hangar_wizard_get_detected_os (wizard ()));
  g_assert_cmpstr (adw_preferences_row_get_title (child ("os_row")), ==, "Debian 11");

  /* The search finds what osinfo-db knows, and offers the generic ones. */
  set_text ("os_search_row", "fedora 37");
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    rows++;
  g_assert_cmpuint (rows, >=, 3);
  first = ADW_PREFERENCES_ROW (gtk_widget_get_first_child (list));
  g_assert_cmpstr (adw_preferences_row_get_title (first), ==, "Fedora Linux 37");
  screenshot ("wizard-2-os-search.png");
  set_text ("os_search_row", "");
  /* Searching does not change the choice. */
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (hangar_wizard_get_os (wizard ()))),
                   ==, "debian11");
  screenshot ("wizard-2-os.png");
  forward ();
  return TRUE;
}

static gboolean
step_resources_page (HangarTestRun *run)
{
  GtkSpinButton *memory;

  if (!on_page ("resources"))
    return FALSE;
  memory = child ("memory_spin");
  /* libosinfo's advice for Debian 11, within what the host has. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (memory), >=, 256);
  g_assert_true (hangar_wizard_can_go_forward (wizard ()));

  gtk_spin_button_set_value (memory, 0);
  assert_field_error ("memory_spin", "memory_error", "needs some memory");
  gtk_spin_button_set_value (memory, 16 * 1024 * 1024);
  assert_field_error ("memory_spin", "memory_error", "The host has only");
  screenshot ("wizard-3-resources-too-much.png");
  gtk_spin_button_set_value (memory, 256);
  gtk_spin_button_set_value (child ("cpus_spin"), 1);
  assert_field_fine ("memory_spin", "memory_error");
  screenshot ("wizard-3-resources.png");
  forward ();
  return TRUE;
}

static gboolean
step_storage_page (HangarTestRun *run)
{
  GtkSpinButton *size;

  if (!on_page ("storage"))
    return FALSE;
  size = child ("size_spin");
  g_assert_true (gtk_check_button_get_active (child ("disk_new")));
  g_assert_cmpuint (adw_combo_row_get_selected (child ("pool_row")), ==, 0);

  gtk_spin_button_set_value (size, 0);
  assert_field_error ("size_spin", "size_error", "needs a size");
  gtk_spin_button_set_value (size, 1000000);
  assert_field_error ("size_spin", "size_error", "free");
  screenshot ("wizard-4-storage-too-big.png");

  /* An existing image of an unknown kind. */
  gtk_check_button_set_active (child ("disk_existing"), TRUE);
  set_text ("existing_row", odd_image_path);
  assert_field_error ("existing_row", "existing_error", "not a disk image Hangar knows");
  gtk_check_button_set_active (child ("disk_new"), TRUE);

  gtk_spin_button_set_value (size, 1);
  assert_field_fine ("size_spin", "size_error");
  screenshot ("wizard-4-storage.png");
  forward ();
  return TRUE;
}

static gboolean
step_finish_page (HangarTestRun *run)
{
  GtkStringObject *network;
  const char *suggested;

  if (!on_page ("finish"))
    return FALSE;
  /* Named after the OS, unique on the host. */
  suggested = gtk_editable_get_text (child ("name_row"));
  g_test_message ("suggested name: %s", suggested);
  g_assert_true (g_str_has_prefix (suggested, "debian11"));
  assert_field_fine ("name_row", "name_error");
  /* The NAT network on a system connection. */
  network = adw_combo_row_get_selected_item (child ("network_row"));
  g_assert_cmpstr (gtk_string_object_get_string (network), ==, "Network “default”");

  set_text ("name_row", "");
  assert_field_error ("name_row", "name_error", "");
  set_text ("name_row", "bad/name");
  assert_field_error ("name_row", "name_error", "/");
  set_text ("name_row", TAKEN);
  assert_field_error ("name_row", "name_error", "already");
  screenshot ("wizard-5-finish-taken.png");
  set_text ("name_row", NAME);
  assert_field_fine ("name_row", "name_error");

  /* Debian 11 has an install script: express install is offered, on,
   * with the desktop's language and a host name from the machine's
   * name; its answers are checked next to the fields. */
  g_assert_true (gtk_widget_get_visible (child ("express_group")));
  g_assert_true (gtk_switch_get_active (express_child ("enable_switch")));
  g_assert_cmpstr (gtk_editable_get_text (express_child ("host_row")), ==,
                   "hangar-wiztest-ui");
  g_assert_cmpstr (gtk_editable_get_text (express_child ("time_zone_row")), !=, "");
  set_express_text ("user_row", "maria");
  set_express_text ("password_row", "");
  assert_express_error ("password_row", "Enter a password");
  set_express_text ("password_row", "senha");
  set_express_text ("confirm_row", "outra");
  assert_express_error ("confirm_row", "do not match");
  set_express_text ("confirm_row", "senha");
  set_express_text ("user_row", "Maria");
  assert_express_error ("user_row", "lower-case");
  set_express_text ("user_row", "maria");
  set_express_text ("host_row", "-maquina");
  assert_express_error ("host_row", "start or end");
  set_express_text ("host_row", "maquina");
  g_assert_false (gtk_widget_get_visible (express_child ("error_label")));
  g_assert_true (hangar_wizard_can_go_forward (wizard ()));
  screenshot ("wizard-5-finish-express.png");
  /* This ISO holds no installer to run: the install goes on by hand. */
  gtk_switch_set_active (express_child ("enable_switch"), FALSE);
  g_assert_false (gtk_widget_get_visible (express_child ("password_row")));
  screenshot ("wizard-5-finish.png");
  return TRUE;
}

/* --- the good path ------------------------------------------------------------------------ */

static gboolean
step_create (HangarTestRun *run)
{
  forward ();
  g_assert_cmpstr (hangar_wizard_get_page (wizard ()), ==, "progress");
  g_assert_nonnull (hangar_wizard_get_creator (wizard ()));
  return TRUE;
}

/* The page shows for as long as the creation takes: about a second. */
static gboolean
step_progress (HangarTestRun *run)
{
  HangarVmCreator *creator;

  if (wizard () == NULL)
    {
      g_test_message ("the creation ended before a screenshot");
      return TRUE;
    }
  creator = hangar_wizard_get_creator (wizard ());
  if (hangar_vm_creator_get_progress (creator) == 0 || !on_page ("progress"))
    return FALSE;
  screenshot ("wizard-6-progress.png");
  return TRUE;
}

static gboolean
step_console_opened (HangarTestRun *run)
{
  HangarMachineWindow *window =
    (HangarMachineWindow *) hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
  g_autofree char *shot = NULL;

  if (window == NULL || wizard () != NULL || !hangar_machine_window_is_console_connected (window))
    return FALSE;
  g_assert_cmpstr (hangar_vm_get_name (hangar_machine_window_get_vm (window)), ==, NAME);
  shot = hangar_test_screenshot (GTK_WIDGET (window), "wizard-7-console.png");
  return TRUE;
}

static gboolean
step_check_machine (HangarTestRun *run)
{
  g_autofree char *state = wiztest_virsh ("domstate " NAME);
  g_autofree char *xml = wiztest_virsh ("dumpxml --inactive " NAME);

  g_assert_nonnull (state);
  g_assert_cmpstr (g_strstrip (state), ==, "running");
  g_assert_cmpuint (wiztest_volume_capacity ("/var/lib/libvirt/images/" NAME ".qcow2"), ==, GIB);
  g_assert_nonnull (xml);
  g_assert_nonnull (strstr (xml, "<memory unit='KiB'>262144</memory>"));
  g_assert_nonnull (strstr (xml, "<source file='/var/lib/libvirt/images/" NAME ".qcow2'/>"));
  g_assert_nonnull (strstr (xml, iso_path));
  g_assert_nonnull (strstr (xml, "<source network='default'/>"));
  g_assert_nonnull (strstr (xml, "<graphics type='spice'"));
  g_assert_nonnull (strstr (xml, "http://debian.org/debian/11"));
  return TRUE;
}

static gboolean
step_close_all (HangarTestRun *run)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (run->app));

  for (GList *l = g_list_copy (windows); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_close (l->data);
  return TRUE;
}

static void
test_create_from_iso (void)
{
  const char *argv[] = { "hangar", "--connect", WIZTEST_URI, NULL };
  const HangarTestStep steps[] = {
    step_open_wizard, step_source_ready, step_iso_detected, step_os_page, step_resources_page,
    step_storage_page, step_finish_page, step_create, step_progress, step_console_opened,
    step_check_machine, step_close_all, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 60000), ==, 0);
  wiztest_cleanup ();
}

/* --- other sources, and a failure at the define step --------------------------------------- */

static gboolean
step_bad_sources (HangarTestRun *run)
{
  if (!idle () || !gtk_widget_get_mapped (GTK_WIDGET (wizard ())))
    return FALSE;

  /* Two hosts open: the wizard asks which, the one it was opened for first. */
  g_assert_true (gtk_widget_get_visible (child ("connection_group")));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (child ("connection_row"))),
                    ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (child ("connection_row")), ==, 0);

  gtk_check_button_set_active (child ("method_url"), TRUE);
  g_assert_true (gtk_widget_get_visible (child ("url_group")));
  g_assert_false (gtk_widget_get_visible (child ("iso_group")));
  set_text ("url_row", "not a url");
  assert_field_error ("url_row", "url_error", "http, https or ftp");
  /* Nothing listens on port 1: the tree does not answer. */
  set_text ("url_row", "http://127.0.0.1:1/tree/");
  g_assert_false (hangar_wizard_can_go_forward (wizard ()));
  return TRUE;
}

static gboolean
step_url_unreachable (HangarTestRun *run)
{
  if (!idle () || field_error ("url_error") == NULL)
    return FALSE;
  assert_field_error ("url_row", "url_error", "No installable tree");
  screenshot ("wizard-1-source-bad-url.png");

  set_text ("url_row", run->data);
  return TRUE;
}

static gboolean
step_url_detected (HangarTestRun *run)
{
  OsinfoOs *os;

  if (!idle () || !gtk_widget_get_visible (child ("url_status")) ||
      strstr (gtk_label_get_text (child ("url_status")), "Detected") == NULL)
    return FALSE;
  assert_field_fine ("url_row", "url_error");
  os = hangar_wizard_get_detected_os (wizard ());
  g_assert_nonnull (os);
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (os)), ==, "fedora37");
  g_assert_true (hangar_wizard_can_go_forward (wizard ()));
  screenshot ("wizard-1-source-url.png");

  gtk_check_button_set_active (child ("method_import"), TRUE);
  set_text ("import_row", odd_image_path);
  assert_field_error ("import_row", "import_error", "not a disk image Hangar knows");
  set_text ("import_row", iso_path);
  assert_field_error ("import_row", "import_error", "Install from it instead");
  /* Images that name other host files (review H1): a VMDK descriptor is
   * refused by its header; a qcow2 with a backing file once qemu-img has
   * looked at it, in a worker (the next step waits for it). */
  set_text ("import_row", descriptor_path);
  assert_field_error ("import_row", "import_error", "VMDK descriptor");
  set_text ("import_row", backed_path);
  g_assert_false (hangar_wizard_can_go_forward (wizard ()));
  return TRUE;
}

static gboolean
step_import_inspected (HangarTestRun *run)
{
  if (!idle () || field_error ("import_error") == NULL)
    return FALSE;
  assert_field_error ("import_row", "import_error", "backing file");
  assert_field_error ("import_row", "import_error", secret_path);
  screenshot ("wizard-1-source-bad-import.png");

  /* Back to the ISO, which is still known. */
  gtk_check_button_set_active (child ("method_iso"), TRUE);
  set_text ("iso_row", iso_path);
  return TRUE;
}

static gboolean
step_to_finish (HangarTestRun *run)
{
  const char *page = hangar_wizard_get_page (wizard ());

  if (!idle () || !on_page (page))
    return FALSE;
  if (g_str_equal (page, "os") &&
      g_strcmp0 (osinfo_product_get_short_id (OSINFO_PRODUCT (hangar_wizard_get_os (wizard ()))),
                 "win11") != 0)
    {
      GtkWidget *row;

      /* The user picks Windows 11 over the detected system. */
      set_text ("os_search_row", "windows 11");
      row = gtk_widget_get_first_child (child ("os_list"));
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       "Microsoft Windows 11");
      gtk_widget_activate (row);
      g_assert_cmpstr (adw_preferences_row_get_title (child ("os_row")), ==,
                       "Microsoft Windows 11");
      screenshot ("wizard-2-os-windows.png");
      return FALSE;
    }
  if (g_str_equal (page, "finish"))
    {
      /* Windows 11 wants UEFI, Secure Boot and a TPM; this host has
       * neither OVMF nor swtpm, and the wizard says so by the field. */
      g_assert_cmpuint (adw_combo_row_get_selected (child ("firmware_row")), ==, 2);
      if (!g_file_test ("/usr/share/OVMF", G_FILE_TEST_IS_DIR))
        {
          assert_field_error ("firmware_row", "firmware_error", "OVMF");
          screenshot ("wizard-5-finish-no-uefi.png");
        }
      adw_combo_row_set_selected (child ("firmware_row"), 0);
      assert_field_fine ("firmware_row", "firmware_error");
      set_text ("name_row", NAME);
      return TRUE;
    }
  /* Small sizes first: Windows 11's suggested 64 GiB disk may not fit the
   * test host's pool, and the page would rightly refuse it. */
  if (g_str_equal (page, "storage"))
    gtk_spin_button_set_value (child ("size_spin"), 1);
  if (g_str_equal (page, "resources"))
    gtk_spin_button_set_value (child ("memory_spin"), 256);
  if (!hangar_wizard_can_go_forward (wizard ()))
    return FALSE;
  forward ();
  return FALSE;
}

/* Cancel at once: the creation stops at its next check and takes back
 * what it made. */
static gboolean
step_create_and_cancel (HangarTestRun *run)
{
  forward ();
  g_assert_cmpstr (hangar_wizard_get_page (wizard ()), ==, "progress");
  g_assert_cmpstr (gtk_button_get_label (child ("back_button")), ==, "_Cancel");
  gtk_widget_activate_action (GTK_WIDGET (wizard ()), "wizard.back", NULL);
  return TRUE;
}

static gboolean
step_cancelled (HangarTestRun *run)
{
  g_autoptr(GPtrArray) volumes = NULL;

  if (hangar_wizard_get_busy (wizard ()) || !on_page ("finish"))
    return FALSE;
  g_assert_false (wiztest_domain_exists (NAME));
  volumes = wiztest_list_volumes ();
  g_assert_cmpuint (volumes->len, ==, 0);
  g_assert_true (hangar_wizard_can_go_forward (wizard ()));
  return TRUE;
}

static gboolean
step_create_fails (HangarTestRun *run)
{
  g_setenv ("HANGAR_VM_CREATOR_FAIL_AT", "define", TRUE);
  forward ();
  return TRUE;
}

static gboolean
step_failure_shown (HangarTestRun *run)
{
  AdwStatusPage *page;
  g_autoptr(GPtrArray) volumes = NULL;

  if (hangar_wizard_get_busy (wizard ()) || !on_page ("progress"))
    return FALSE;
  g_unsetenv ("HANGAR_VM_CREATOR_FAIL_AT");
  page = child ("progress_page");
  g_assert_cmpstr (hangar_wizard_get_page (wizard ()), ==, "progress");
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Defining the machine failed");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "made to fail"));
  screenshot ("wizard-6-failed.png");

  /* The disk made before the failure is gone; so is the machine. */
  g_assert_false (wiztest_domain_exists (NAME));
  volumes = wiztest_list_volumes ();
  g_assert_cmpuint (volumes->len, ==, 0);

  /* Back to the last page, choices intact. */
  gtk_widget_activate_action (GTK_WIDGET (wizard ()), "wizard.back", NULL);
  g_assert_cmpstr (hangar_wizard_get_page (wizard ()), ==, "finish");
  g_assert_cmpstr (gtk_editable_get_text (child ("name_row")), ==, NAME);
  g_assert_true (hangar_wizard_can_go_forward (wizard ()));
  return TRUE;
}

static void
test_bad_input_and_failure (void)
{
  const char *argv[] = { "hangar", "--connect", WIZTEST_URI, "--connect", "test:///default", NULL };
  const HangarTestStep steps[] = {
    step_open_wizard, step_bad_sources, step_url_unreachable, step_url_detected,
    step_import_inspected, step_to_finish,
    step_create_and_cancel, step_cancelled, step_create_fails, step_failure_shown, step_close_all,
    NULL,
  };
  HangarTestRun run = { 0 };
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  server = wiztest_start_http_server (tree_root, &port);
  url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  run.data = url;
  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 60000), ==, 0);
  g_subprocess_force_exit (server);
  wiztest_cleanup ();
}

/* The new machine's SPICE console is closed right after it connected. */
static void
run_tolerating_spice_teardown (gconstpointer data)
{
  GTestFunc test = (GTestFunc) data;

  hangar_test_tolerate_spice_teardown ();
  test ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  /* Nested KVM here refuses the host's CPU model: emulate. */
  g_setenv ("HANGAR_FORCE_EMULATION", "1", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  if (!wiztest_daemon_running ())
    {
      g_test_skip ("The system libvirtd is not running");
      return g_test_run ();
    }

  wiztest_cleanup ();
  tmp_dir = g_dir_make_tmp ("hangar-wiztest-XXXXXX", &error);
  g_assert_no_error (error);
  iso_path = wiztest_make_iso (tmp_dir, "Debian 11.6.0 amd64 n");
  text_path = g_build_filename (tmp_dir, "notes.iso", NULL);
  g_assert_true (g_file_set_contents (text_path, "not an ISO\n", -1, NULL));
  odd_image_path = g_build_filename (tmp_dir, "disk.bin", NULL);
  tree_root = g_build_filename (tmp_dir, "tree", NULL);
  g_assert_cmpint (g_mkdir_with_parents (tree_root, 0755), ==, 0);
  {
    g_autofree char *info = g_build_filename (tree_root, ".treeinfo", NULL);

    g_assert_true (g_file_set_contents (info, wiztest_treeinfo, -1, NULL));
  }
  g_assert_true (g_file_set_contents (odd_image_path, "no header here\n", -1, NULL));
  secret_path = g_build_filename (tmp_dir, "secret", NULL);
  g_assert_true (g_file_set_contents (secret_path, "HANGAR-H1-MARKER\n", -1, NULL));
  descriptor_path = g_build_filename (tmp_dir, "appliance.vmdk", NULL);
  {
    g_autofree char *text = g_strdup_printf ("# Disk DescriptorFile\nversion=1\n"
                                             "createType=\"monolithicFlat\"\n"
                                             "RW 1 FLAT \"%s\" 0\n", secret_path);
    g_autofree char *command = NULL;
    int status = -1;

    g_assert_true (g_file_set_contents (descriptor_path, text, -1, NULL));
    backed_path = g_build_filename (tmp_dir, "appliance.qcow2", NULL);
    command = g_strdup_printf ("qemu-img create -q -f qcow2 -b %s -F raw %s 1M",
                               secret_path, backed_path);
    g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  /* A name the wizard must refuse as taken. */
  {
    g_autofree char *xml_path = g_build_filename (tmp_dir, "taken.xml", NULL);
    g_autofree char *out = NULL;

    g_assert_true (g_file_set_contents (xml_path,
                                        "<domain type='qemu'><name>" TAKEN "</name>"
                                        "<memory unit='MiB'>64</memory>"
                                        "<os><type arch='x86_64'>hvm</type></os></domain>",
                                        -1, NULL));
    out = wiztest_virsh ("define %s", xml_path);
    g_assert_nonnull (out);
  }

  g_test_add_data_func ("/hangar/wizard/ui/create-from-iso", (gconstpointer) test_create_from_iso,
                        run_tolerating_spice_teardown);
  g_test_add_data_func ("/hangar/wizard/ui/bad-input-and-failure",
                        (gconstpointer) test_bad_input_and_failure,
                        run_tolerating_spice_teardown);

  ret = g_test_run ();

  wiztest_cleanup ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return ret;
}
