/* test-wizard-express.c — an express install made through the wizard's
 * widgets, as a user would: the fake Debian 11 ISO
 * (tests/support/make-fake-debian-iso.sh), the answers typed into the
 * Express Installation group, Create. The guest's "installer" prints the
 * user and host name it found in the preseed on its serial port and
 * powers off; the machine's definition then boots from its disk, and the
 * injected initrd is gone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hangar-connection.h"
#include "hangar-express-group.h"
#include "hangar-wizard.h"
#include "hangar-test-app.h"
#include "hangar-test-util.h"
#include "wizard-test-util.h"

#define NAME WIZTEST_PREFIX "express-ui"

static char *tmp_dir;
static char *iso_path;
static char *log_path;

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

static gpointer
express_child (const char *name)
{
  gpointer widget = gtk_widget_get_template_child (child ("express_group"),
                                                   HANGAR_TYPE_EXPRESS_GROUP, name);
  g_assert_nonnull (widget);
  return widget;
}

static void
set_text (gpointer    field,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (field), text);
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

static gboolean
on_page (const char *page)
{
  return wizard () != NULL && !hangar_wizard_get_busy (wizard ()) &&
         g_strcmp0 (hangar_wizard_get_page (wizard ()), page) == 0 &&
         !gtk_stack_get_transition_running (child ("stack"));
}

static gboolean
step_open_wizard (HangarTestRun *run)
{
  GListModel *connections = G_LIST_MODEL (hangar_application_get_connections (run->app));
  g_autoptr(HangarConnection) connection = g_list_model_get_item (connections, 0);

  if (hangar_test_run_window (run) == NULL ||
      hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    return FALSE;
  gtk_window_present (GTK_WINDOW (hangar_wizard_new (GTK_APPLICATION (run->app), connections,
                                                     connection)));
  return TRUE;
}

static gboolean
step_source (HangarTestRun *run)
{
  if (!on_page ("source") || !gtk_widget_get_mapped (GTK_WIDGET (wizard ())))
    return FALSE;
  gtk_check_button_set_active (child ("method_iso"), TRUE);
  set_text (child ("iso_row"), iso_path);
  return TRUE;
}

static gboolean
step_detected (HangarTestRun *run)
{
  OsinfoOs *os;

  if (!on_page ("source") || (os = hangar_wizard_get_detected_os (wizard ())) == NULL)
    return FALSE;
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (os)), ==, "debian11");
  forward ();
  return TRUE;
}

static gboolean
step_os (HangarTestRun *run)
{
  if (!on_page ("os"))
    return FALSE;
  forward ();
  return TRUE;
}

static gboolean
step_resources (HangarTestRun *run)
{
  if (!on_page ("resources"))
    return FALSE;
  gtk_spin_button_set_value (child ("memory_spin"), 256);
  gtk_spin_button_set_value (child ("cpus_spin"), 1);
  forward ();
  return TRUE;
}

static gboolean
step_storage (HangarTestRun *run)
{
  if (!on_page ("storage"))
    return FALSE;
  gtk_check_button_set_active (child ("disk_new"), TRUE);
  gtk_spin_button_set_value (child ("size_spin"), 1);
  forward ();
  return TRUE;
}

static gboolean
step_finish (HangarTestRun *run)
{
  if (!on_page ("finish"))
    return FALSE;
  set_text (child ("name_row"), NAME);
  g_assert_true (gtk_widget_get_visible (child ("express_group")));
  g_assert_true (gtk_switch_get_active (express_child ("enable_switch")));
  /* The host name follows the machine's name until one is typed. */
  g_assert_cmpstr (gtk_editable_get_text (express_child ("host_row")), ==, NAME);
  set_text (express_child ("user_row"), "joana");
  set_text (express_child ("full_name_row"), "Joana Souza");
  set_text (express_child ("password_row"), "senha-secreta");
  set_text (express_child ("confirm_row"), "senha-secreta");
  set_text (express_child ("host_row"), "estacao-ui");
  set_text (child ("name_row"), NAME);
  g_assert_cmpstr (gtk_editable_get_text (express_child ("host_row")), ==, "estacao-ui");
  screenshot ("wizard-express-finish.png");
  g_setenv ("HANGAR_VM_CREATOR_INSTALL_SERIAL_LOG", log_path, TRUE);
  forward ();
  return TRUE;
}

static gboolean
domain_stopped (void)
{
  g_autofree char *state = wiztest_virsh ("domstate " NAME);

  return state != NULL && strstr (state, "shut off") != NULL;
}

/* The wizard closes when the machine runs; the "installer" then reads
 * its answers and powers off. */
static gboolean
step_installed (HangarTestRun *run)
{
  g_autofree char *serial = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(GPtrArray) volumes = NULL;

  if (wizard () != NULL || !wiztest_domain_exists (NAME) || !domain_stopped ())
    return FALSE;
  g_unsetenv ("HANGAR_VM_CREATOR_INSTALL_SERIAL_LOG");
  g_assert_true (g_file_get_contents (log_path, &serial, NULL, NULL));
  g_test_message ("serial: %s", serial);
  g_assert_nonnull (strstr (serial, "preseed user=joana host=estacao-ui"));

  xml = wiztest_virsh ("dumpxml --inactive " NAME);
  g_assert_nonnull (xml);
  g_assert_null (strstr (xml, "<kernel>"));
  g_assert_null (strstr (xml, "<initrd>"));
  g_assert_nonnull (strstr (xml, "<boot dev='hd'/>"));
  g_assert_null (strstr (xml, "senha"));
  /* Only the disk: the installer's kernel and initrd are gone. */
  volumes = wiztest_list_volumes ();
  for (guint i = 0; i < volumes->len; i++)
    {
      g_test_message ("volume: %s", (char *) g_ptr_array_index (volumes, i));
      g_assert_null (strstr (g_ptr_array_index (volumes, i), "-install-"));
    }
  g_assert_cmpuint (volumes->len, ==, 1);
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

/* The fake installer powers off within seconds of the start, while the
 * machine window's SPICE console may still be linking: spice-client-glib
 * then warns of an incomplete link header. That one warning is expected
 * here; everything else stays fatal. */
static gboolean
is_link_cut (const char *log_domain,
             const char *message)
{
  return g_strcmp0 (log_domain, "GSpice") == 0 && message != NULL &&
         g_str_has_prefix (message, "incomplete link header");
}

static gboolean
link_cut_not_fatal (const char     *log_domain,
                    GLogLevelFlags  log_level,
                    const char     *message,
                    gpointer        user_data)
{
  return !is_link_cut (log_domain, message) && !hangar_test_is_spice_teardown (log_domain, message);
}

static void
print_link_cut (const char     *log_domain,
                GLogLevelFlags  log_level,
                const char     *message,
                gpointer        user_data)
{
  if (is_link_cut (log_domain, message) || hangar_test_is_spice_teardown (log_domain, message))
    g_printerr ("%s: %s (the guest powered off, ignored)\n", log_domain, message);
  else
    g_log_default_handler (log_domain, log_level, message, user_data);
}

static void
test_express (void)
{
  const char *argv[] = { "hangar", "--connect", WIZTEST_URI, NULL };
  const HangarTestStep steps[] = {
    step_open_wizard, step_source, step_detected, step_os, step_resources, step_storage,
    step_finish, step_installed, step_close_all, NULL,
  };
  HangarTestRun run = { 0 };

  hangar_test_tolerate_spice_teardown ();
  g_log_set_handler ("GSpice", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_FLAG_FATAL,
                     print_link_cut, NULL);
  g_test_log_set_fatal_handler (link_cut_not_fatal, NULL);
  /* A TCG guest boots the installer: minutes on a loaded 2-core machine. */
  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 240000), ==, 0);
  wiztest_cleanup ();
}

static char *
fake_debian_iso (void)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tests", "support",
                                              "make-fake-debian-iso.sh", NULL);
  const char *cache = g_getenv ("HANGAR_TEST_CACHE");
  g_autofree char *dir = g_strdup (cache && *cache ? cache : "/var/cache/hangar-test");
  g_autofree char *cached = g_build_filename (dir, "fake-debian-11.iso", NULL);
  g_autofree char *data = NULL;
  char *copy = g_build_filename (tmp_dir, "fake-debian-11.iso", NULL);
  const char *argv[] = { "sh", script, dir, NULL };
  gsize len;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (cached, &data, &len, NULL));
  g_assert_true (g_file_set_contents (copy, data, len, NULL));
  g_chmod (copy, 0644);
  return copy;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log_dir = NULL;
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
  g_chmod (tmp_dir, 0755);
  iso_path = fake_debian_iso ();
  /* A folder QEMU's user can write the serial log into. */
  log_dir = g_build_filename (tmp_dir, "serial", NULL);
  g_assert_cmpint (g_mkdir_with_parents (log_dir, 0777), ==, 0);
  g_chmod (log_dir, 0777);
  log_path = g_build_filename (log_dir, "install.log", NULL);

  g_test_add_func ("/hangar/wizard/ui/express-install", test_express);
  ret = g_test_run ();

  wiztest_cleanup ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return ret;
}
