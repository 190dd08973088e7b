/* test-wizard-download.c — "Download an OS…" in the new-machine wizard,
 * through its real widgets: a test OS database overlay (in
 * $XDG_CONFIG_HOME/osinfo) lists an OS whose media URL points at
 * os-download-server.py on 127.0.0.1; the test searches for it, downloads
 * it (progress seen, checksum checked), and the wizard goes on with the
 * file as its install media and the OS identified (Debian 11, from the
 * ISO's volume id). Then a second overlay OS's qcow2 cloud image (made
 * with qemu-img) is downloaded the same way, and the wizard is on its
 * Cloud image source with that file as the image and that OS chosen;
 * the same OS's raw cloud image is listed greyed, saying why not. The
 * wizard is finished from there (not started: no console) and the
 * machine's disk is a copy of the image, with its cloud-init seed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "hangar-connection.h"
#include "hangar-os-download-dialog.h"
#include "hangar-wizard.h"
#include "hangar-wizard-cloud.h"
#include "hangar-test-app.h"
#include "hangar-test-util.h"
#include "wizard-test-util.h"

static char *tmp_dir;
static char *download_dir;
static char *destination;
static char *cloud_destination;
static gboolean progress_seen;

static HangarWizard *
wizard (void)
{
  return (HangarWizard *) hangar_test_find_toplevel (HANGAR_TYPE_WIZARD);
}

static HangarOsDownloadDialog *
dialog (void)
{
  return (HangarOsDownloadDialog *) hangar_test_find_toplevel (HANGAR_TYPE_OS_DOWNLOAD_DIALOG);
}

static gpointer
child_of (gpointer    widget,
          GType       type,
          const char *name)
{
  gpointer found = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (found);
  return found;
}

#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define NAME WIZTEST_PREFIX "dlcloud"
#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMKx6NvlYkTQAJO/9xtuXHkExma74LvIcrn3WABWX+ge " \
            "maria@casa"

#define cfield(name) child_of (wchild ("cloud_section"), HANGAR_TYPE_WIZARD_CLOUD, name)
#define wchild(name) child_of (wizard (), HANGAR_TYPE_WIZARD, name)
#define dchild(name) child_of (dialog (), HANGAR_TYPE_OS_DOWNLOAD_DIALOG, name)

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
step_click_download_os (HangarTestRun *run)
{
  GtkWidget *button;

  if (wizard () == NULL || hangar_wizard_get_busy (wizard ()) ||
      !gtk_widget_get_mapped (GTK_WIDGET (wizard ())))
    return FALSE;
  g_assert_cmpstr (hangar_wizard_get_page (wizard ()), ==, "source");
  button = named (GTK_WIDGET (wizard ()), "download-os-button");
  g_assert_true (gtk_widget_is_visible (button));
  gtk_widget_activate (button);
  return TRUE;
}

/* The visible rows of the catalogue. */
static GPtrArray *
visible_rows (void)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (dchild ("list")); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_child_visible (row))
      g_ptr_array_add (rows, row);
  return rows;
}

static gboolean
step_catalogue_shown (HangarTestRun *run)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) found = NULL;

  if (dialog () == NULL || !gtk_widget_get_mapped (GTK_WIDGET (dialog ())))
    return FALSE;
  all = visible_rows ();
  if (all->len == 0)
    return FALSE;   /* the database is still loading */
  g_assert_cmpuint (all->len, >, 100);
  /* The database's age is said. */
  g_assert_nonnull (strstr (gtk_label_get_text (dchild ("notice")), "Debian 12"));
  g_assert_false (gtk_widget_get_sensitive (dchild ("download_button")));

  /* Cloud images are listed too, for the Cloud image source. */
  gtk_editable_set_text (dchild ("search"), "cloud image");
  gtk_list_box_invalidate_filter (dchild ("list"));
  {
    g_autoptr(GPtrArray) clouds = visible_rows ();
    g_assert_cmpuint (clouds->len, >, 0);
  }

  gtk_editable_set_text (dchild ("search"), "hangar test");
  gtk_list_box_invalidate_filter (dchild ("list"));
  found = visible_rows ();
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (found->pdata[0]), ==, "Hangar Test OS 1");
  g_assert_cmpstr (adw_action_row_get_subtitle (found->pdata[0]), ==, "Installer ISO");
  gtk_list_box_select_row (dchild ("list"), found->pdata[0]);
  g_assert_true (gtk_widget_get_sensitive (dchild ("download_button")));
  run->data = found->pdata[0];
  return TRUE;
}

/* Selecting asked the server for the size (HEAD): the row says it. */
static gboolean
step_size_shown (HangarTestRun *run)
{
  const char *subtitle = adw_action_row_get_subtitle (run->data);

  if (g_strcmp0 (subtitle, "Installer ISO") == 0)
    return FALSE;
  g_test_message ("row: %s", subtitle);
  g_assert_nonnull (strstr (subtitle, "kB"));
  run->data = NULL;
  hangar_test_screenshot (GTK_WIDGET (dialog ()), "os-download-list.png");
  gtk_widget_activate (dchild ("download_button"));
  return TRUE;
}

static gboolean
step_downloading (HangarTestRun *run)
{
  if (dialog () != NULL)
    {
      const char *text = gtk_label_get_text (dchild ("progress_label"));

      /* "1.2 MB of 4.0 MB, 1.0 MB/s, 3 s left" while the slow server sends. */
      if (gtk_widget_get_visible (dchild ("progress_box")) && strstr (text, " of ") != NULL)
        {
          if (!progress_seen)
            g_test_message ("progress: %s", text);
          progress_seen = TRUE;
        }
      g_assert_false (gtk_widget_get_visible (dchild ("error_label")));
      return FALSE;
    }
  /* Closed by itself: downloaded and checked. */
  g_assert_true (progress_seen);
  return TRUE;
}

static gboolean
step_os_identified (HangarTestRun *run)
{
  OsinfoOs *os;
  g_autofree char *text = NULL;

  if (hangar_wizard_get_busy (wizard ()))
    return FALSE;
  os = hangar_wizard_get_detected_os (wizard ());
  if (os == NULL)
    return FALSE;
  text = g_strdup (gtk_editable_get_text (wchild ("iso_row")));
  g_assert_cmpstr (text, ==, destination);
  g_assert_true (g_file_test (destination, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (os)), ==, "debian11");
  g_assert_true (hangar_wizard_can_go_forward (wizard ()));
  return TRUE;
}

/* The catalogue again, from the same wizard: the cloud OS's two images. */
static gboolean
step_cloud_catalogue (HangarTestRun *run)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GtkWidget *qcow2 = NULL;
  GtkWidget *raw = NULL;

  if (dialog () == NULL || !gtk_widget_get_mapped (GTK_WIDGET (dialog ())))
    return FALSE;
  all = visible_rows ();
  if (all->len == 0)
    return FALSE;
  gtk_editable_set_text (dchild ("search"), "hangar cloud");
  gtk_list_box_invalidate_filter (dchild ("list"));
  found = visible_rows ();
  g_assert_cmpuint (found->len, ==, 2);
  for (guint i = 0; i < found->len; i++)
    {
      const char *subtitle = adw_action_row_get_subtitle (found->pdata[i]);

      g_test_message ("cloud row: %s", subtitle);
      g_assert_cmpstr (adw_preferences_row_get_title (found->pdata[i]), ==,
                       "Hangar Cloud OS 1");
      g_assert_true (g_str_has_prefix (subtitle, "Cloud image"));
      if (strstr (subtitle, "only qcow2") != NULL)
        raw = found->pdata[i];
      else
        qcow2 = found->pdata[i];
    }
  /* The raw one says why it cannot be had, and cannot be chosen. */
  g_assert_nonnull (raw);
  g_assert_nonnull (qcow2);
  g_assert_false (gtk_widget_get_sensitive (raw));
  g_assert_false (gtk_list_box_row_get_selectable (GTK_LIST_BOX_ROW (raw)));
  g_assert_true (gtk_widget_get_sensitive (qcow2));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (qcow2)), ==, "Cloud image");

  gtk_list_box_select_row (dchild ("list"), GTK_LIST_BOX_ROW (qcow2));
  g_assert_true (gtk_widget_get_sensitive (dchild ("download_button")));
  gtk_widget_activate (dchild ("download_button"));
  return TRUE;
}

static gboolean
step_cloud_downloaded (HangarTestRun *run)
{
  if (dialog () != NULL)
    {
      g_assert_false (gtk_widget_get_visible (dchild ("error_label")));
      return FALSE;
    }
  return TRUE;
}

/* The wizard is on its Cloud image source, with the file and the OS. */
static gboolean
step_on_cloud_source (HangarTestRun *run)
{
  GtkWidget *cloud = wchild ("cloud_section");
  gpointer image_row = gtk_widget_get_template_child (cloud, HANGAR_TYPE_WIZARD_CLOUD,
                                                        "image_row");
  gpointer image_error = gtk_widget_get_template_child (cloud, HANGAR_TYPE_WIZARD_CLOUD,
                                                          "image_error");
  OsinfoOs *os = NULL;

  if (hangar_wizard_get_busy (wizard ()))
    return FALSE;
  g_assert_cmpstr (hangar_wizard_get_page (wizard ()), ==, "source");
  g_assert_true (gtk_check_button_get_active (wchild ("method_cloud")));
  g_assert_false (gtk_check_button_get_active (wchild ("method_iso")));
  g_assert_true (gtk_widget_get_visible (wchild ("cloud_group")));
  g_assert_false (gtk_widget_get_visible (wchild ("iso_group")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (image_row)), ==, cloud_destination);
  g_assert_true (g_file_test (cloud_destination, G_FILE_TEST_IS_REGULAR));
  /* The image is fine: no mistake shown under it. */
  g_assert_false (gtk_widget_get_visible (image_error));
  os = hangar_wizard_get_os (wizard ());
  g_assert_nonnull (os);
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (os)), ==, "hangarcloud1");
  hangar_test_screenshot (GTK_WIDGET (wizard ()), "os-download-cloud-source.png");

  /* What is left to type: the first boot's settings. */
  gtk_editable_set_text (cfield ("user_row"), "maria");
  gtk_editable_set_text (cfield ("password_row"), "segredo");
  gtk_editable_set_text (cfield ("key_row"), KEY);
  gtk_editable_set_text (cfield ("host_row"), "nuvem-dl");
  gtk_spin_button_set_value (cfield ("size_spin"), 1);
  g_assert_true (hangar_wizard_can_go_forward (wizard ()));
  gtk_widget_activate_action (GTK_WIDGET (wizard ()), "wizard.forward", NULL);
  return TRUE;
}

/* The OS is chosen already; the machine is made without starting it
 * (no console to tear down here: test-wizard-cloud starts one). */
static gboolean
step_through_pages (HangarTestRun *run)
{
  const char *page = hangar_wizard_get_page (wizard ());

  if (hangar_wizard_get_busy (wizard ()) ||
      gtk_stack_get_transition_running (wchild ("stack")))
    return FALSE;
  g_assert_cmpstr (page, !=, "storage");
  g_assert_cmpstr (page, !=, "source");
  if (g_str_equal (page, "os"))
    {
      g_assert_true (hangar_wizard_can_go_forward (wizard ()));
      gtk_widget_activate_action (GTK_WIDGET (wizard ()), "wizard.forward", NULL);
      return FALSE;
    }
  if (g_str_equal (page, "resources"))
    {
      gtk_spin_button_set_value (wchild ("memory_spin"), 256);
      gtk_spin_button_set_value (wchild ("cpus_spin"), 1);
      g_assert_true (hangar_wizard_can_go_forward (wizard ()));
      gtk_widget_activate_action (GTK_WIDGET (wizard ()), "wizard.forward", NULL);
      return FALSE;
    }
  g_assert_cmpstr (page, ==, "finish");
  gtk_editable_set_text (GTK_EDITABLE (wchild ("name_row")), NAME);
  gtk_switch_set_active (wchild ("customize_switch"), TRUE);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (wchild ("summary_source_row")),
                            "with the user maria on nuvem-dl"));
  g_assert_true (hangar_wizard_can_go_forward (wizard ()));
  gtk_widget_activate_action (GTK_WIDGET (wizard ()), "wizard.forward", NULL);
  return TRUE;
}

/* The machine's disk is a copy of the downloaded image, with its seed. */
static gboolean
step_created (HangarTestRun *run)
{
  g_autofree char *xml = NULL;

  if (wizard () != NULL || !wiztest_domain_exists (NAME))
    return FALSE;
  g_assert_cmpuint (wiztest_volume_capacity ("/var/lib/libvirt/images/" NAME ".qcow2"), ==, GIB);
  g_assert_cmpuint (wiztest_volume_capacity ("/var/lib/libvirt/images/" NAME "-cidata.iso"),
                    >, 0);
  xml = wiztest_virsh ("dumpxml --inactive " NAME);
  g_assert_nonnull (strstr (xml, "<source file='/var/lib/libvirt/images/" NAME ".qcow2'/>"));
  g_assert_nonnull (strstr (xml, "<source file='/var/lib/libvirt/images/" NAME "-cidata.iso'/>"));
  /* A copy, not an overlay on the Downloads folder's file. */
  g_assert_null (strstr (xml, cloud_destination));
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

static const char overlay_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<libosinfo version=\"0.0.1\">\n"
  "  <os id=\"http://hangar.test/hangartest/1\">\n"
  "    <short-id>hangartest1</short-id>\n"
  "    <name>Hangar Test OS 1</name>\n"
  "    <version>1</version>\n"
  "    <vendor>Hangar</vendor>\n"
  "    <family>linux</family>\n"
  "    <distro>hangartest</distro>\n"
  "    <release-date>2022-11-01</release-date>\n"
  "    <media arch=\"x86_64\">\n"
  "      <url>http://127.0.0.1:%u/slow/hangartest-1.iso</url>\n"
  "      <iso><volume-id>HANGARTEST 1</volume-id></iso>\n"
  "    </media>\n"
  "  </os>\n"
  "</libosinfo>\n";

static const char cloud_overlay_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<libosinfo version=\"0.0.1\">\n"
  "  <os id=\"http://hangar.test/hangarcloud/1\">\n"
  "    <short-id>hangarcloud1</short-id>\n"
  "    <name>Hangar Cloud OS 1</name>\n"
  "    <version>1</version>\n"
  "    <vendor>Hangar</vendor>\n"
  "    <family>linux</family>\n"
  "    <distro>hangarcloud</distro>\n"
  "    <release-date>2022-11-01</release-date>\n"
  "    <image arch=\"x86_64\" format=\"qcow2\" cloud-init=\"true\">\n"
  "      <url>http://127.0.0.1:%u/hangarcloud-1.qcow2</url>\n"
  "    </image>\n"
  "    <image arch=\"x86_64\" format=\"raw\" cloud-init=\"true\">\n"
  "      <url>http://127.0.0.1:%u/hangarcloud-1.raw</url>\n"
  "    </image>\n"
  "  </os>\n"
  "</libosinfo>\n";

static void
test_download_os (void)
{
  const char *argv[] = { "hangar", "--connect", WIZTEST_URI, NULL };
  const HangarTestStep steps[] = {
    step_open_wizard, step_click_download_os, step_catalogue_shown, step_size_shown,
    step_downloading,
    step_os_identified,
    step_click_download_os, step_cloud_catalogue, step_cloud_downloaded, step_on_cloud_source,
    step_through_pages, step_created, step_close_all, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 120000), ==, 0);
  wiztest_cleanup ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *served = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *image = NULL;
  g_autofree char *line = NULL;
  g_autofree char *script = NULL;
  g_autofree char *overlay_dir = NULL;
  g_autofree char *overlay = NULL;
  g_autofree char *user_dirs = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint16 port;
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);

  tmp_dir = g_dir_make_tmp ("hangar-wizdl-XXXXXX", &error);
  g_assert_no_error (error);
  /* Before GLib reads them: the OS database overlay and the Downloads
   * folder live in the test's folder. */
  g_setenv ("XDG_CONFIG_HOME", tmp_dir, TRUE);
  download_dir = g_build_filename (tmp_dir, "Downloads", NULL);
  user_dirs = g_build_filename (tmp_dir, "user-dirs.dirs", NULL);
  {
    g_autofree char *text = g_strdup_printf ("XDG_DOWNLOAD_DIR=\"%s\"\n", download_dir);

    g_assert_true (g_file_set_contents (user_dirs, text, -1, NULL));
  }
  gtk_test_init (&argc, &argv, NULL);

  if (!wiztest_daemon_running ())
    {
      g_test_skip ("The system libvirtd is not running");
      return g_test_run ();
    }

  /* A "distribution" ISO that libosinfo detects as Debian 11, served as
   * the overlay OS's media. */
  served = g_build_filename (tmp_dir, "served", NULL);
  g_assert_cmpint (g_mkdir (served, 0755), ==, 0);
  iso = wiztest_make_iso (tmp_dir, "Debian 11.6.0 amd64 n");
  image = g_build_filename (served, "hangartest-1.iso", NULL);
  g_assert_true (g_file_get_contents (iso, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (image, contents, length, NULL));

  script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tests", "libhangar",
                             "os-download-server.py", NULL);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                             &error, "python3", script, served, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  port = (guint16) g_ascii_strtoull (line, NULL, 10);

  /* A small qcow2 "cloud image", served as the second OS's image. */
  {
    g_autofree char *cloud = g_build_filename (served, "hangarcloud-1.qcow2", NULL);
    g_autofree char *command = g_strdup_printf ("qemu-img create -q -f qcow2 %s 64M", cloud);
    int status = -1;

    g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
    g_assert_cmpint (status, ==, 0);
  }

  overlay_dir = g_build_filename (tmp_dir, "osinfo", "os", "hangar.test", NULL);
  g_assert_cmpint (g_mkdir_with_parents (overlay_dir, 0755), ==, 0);
  overlay = g_build_filename (overlay_dir, "hangartest-1.xml", NULL);
  {
    g_autofree char *xml = g_strdup_printf (overlay_xml, port);

    g_assert_true (g_file_set_contents (overlay, xml, -1, NULL));
  }
  {
    g_autofree char *cloud_overlay = g_build_filename (overlay_dir, "hangarcloud-1.xml", NULL);
    g_autofree char *xml = g_strdup_printf (cloud_overlay_xml, port, port);

    g_assert_true (g_file_set_contents (cloud_overlay, xml, -1, NULL));
  }
  destination = g_build_filename (download_dir, "hangartest-1.iso", NULL);
  cloud_destination = g_build_filename (download_dir, "hangarcloud-1.qcow2", NULL);

  wiztest_cleanup ();
  g_test_add_func ("/hangar/wizard/download-os", test_download_os);
  ret = g_test_run ();

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return ret;
}
