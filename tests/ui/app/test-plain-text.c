/* test-plain-text.c — names and messages from outside are shown as they are.
 *
 * A machine, a network, a pool and a volume named like Pango markup with a
 * link, on libvirt's test driver: the list, the delete dialog, the toast
 * after deleting, the machine window and the host window show the names
 * literally, and no label anywhere reads them as markup (a link there
 * would open a web page; with fatal warnings, broken markup fails too).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "hangar-connection.h"
#include "hangar-delete-dialog.h"
#include "hangar-host-window.h"
#include "hangar-machine-window.h"
#include "hangar-vm.h"
#include "hangar-test-app.h"

/* libvirt refuses "/" in names, so no closing tags: broken markup. */
#define HOSTILE "<b>x<a href=\"https:x\">y<u>&"
/* The same, as XML text in the test driver's file. */
#define HOSTILE_XML "&lt;b&gt;x&lt;a href=\"https:x\"&gt;y&lt;u&gt;&amp;"

static char *driver_file;

static void
write_driver_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("hangar-plain-%d.xml", (int) getpid ());
  const char *xml =
    "<node>\n"
    "  <domain type='test'><name>" HOSTILE_XML "</name>"
    "<memory>65536</memory><os><type>hvm</type></os></domain>\n"
    "  <network><name>" HOSTILE_XML "</name><bridge name='hangarbr9'/>"
    "<ip address='192.168.199.1' netmask='255.255.255.0'/></network>\n"
    "  <pool type='dir'><name>" HOSTILE_XML "</name>"
    "<capacity>1073741824</capacity><allocation>0</allocation><available>1073741824</available>"
    "<target><path>/hangar-plain-pool</path></target>\n"
    "    <volume><name>" HOSTILE_XML ".img</name><capacity>1048576</capacity>"
    "<target><path>/hangar-plain-pool/hostile.img</path></target></volume>\n"
    "  </pool>\n"
    "</node>\n";

  driver_file = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_file_set_contents (driver_file, xml, -1, &error);
  g_assert_no_error (error);
}

/* Every label under @widget: whether one shows @text (as a part when
 * @part), and that none parses the hostile text as markup. */
static gboolean
labels_show (GtkWidget  *widget,
             const char *text,
             gboolean    part)
{
  gboolean found = FALSE;

  if (GTK_IS_LABEL (widget))
    {
      GtkLabel *label = GTK_LABEL (widget);
      const char *shown = gtk_label_get_text (label);

      if (gtk_label_get_use_markup (label)
          && strstr (gtk_label_get_label (label), "<a href=\"https:x\">") != NULL)
        g_error ("a label reads “%s” as markup", gtk_label_get_label (label));
      if (part ? strstr (shown, text) != NULL : g_str_equal (shown, text))
        found = TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    found |= labels_show (child, text, part);
  return found;
}

/* The same over every toplevel: dialogs, popovers and other windows too. */
static gboolean
any_window_shows (const char *text,
                  gboolean    part)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      found |= labels_show (window, text, part);
    }
  return found;
}

static HangarConnection *
first_connection (HangarTestRun *run)
{
  GListModel *connections = G_LIST_MODEL (hangar_application_get_connections (run->app));
  g_autoptr(HangarConnection) connection = g_list_model_get_item (connections, 0);

  return connection;  /* the manager keeps it */
}

static gboolean
step_window_shown (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
step_listed (HangarTestRun *run)
{
  HangarConnection *connection = first_connection (run);
  HangarVm *vm;

  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED
      || !any_window_shows (HOSTILE, FALSE))
    return FALSE;
  vm = hangar_connection_lookup_vm (connection, HOSTILE);
  g_assert_nonnull (vm);
  g_assert_true (hangar_window_select_vm (hangar_test_run_window (run), vm));
  return TRUE;
}

static gboolean
step_machine_window (HangarTestRun *run)
{
  GtkWidget *machine;

  gtk_widget_activate_action (GTK_WIDGET (hangar_test_run_window (run)), "vm.open", NULL);
  machine = hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
  if (machine == NULL || !gtk_widget_get_mapped (machine))
    return FALSE;
  /* Its title names the machine. */
  if (!labels_show (machine, HOSTILE, TRUE))
    return FALSE;
  gtk_window_destroy (GTK_WINDOW (machine));
  gtk_widget_activate_action (GTK_WIDGET (hangar_test_run_window (run)), "vm.delete", NULL);
  return TRUE;
}

static gboolean
step_delete_dialog (HangarTestRun *run)
{
  GtkWidget *dialog = hangar_test_find_toplevel (HANGAR_TYPE_DELETE_DIALOG);
  g_autofree char *shot = NULL;

  if (dialog == NULL || gtk_widget_get_width (dialog) == 0 || !labels_show (dialog, HOSTILE, TRUE))
    return FALSE;
  shot = hangar_test_screenshot (dialog, "plain-text-delete-dialog.png");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

/* A running machine needs a second yes. */
static gboolean
step_force_off_confirm (HangarTestRun *run)
{
  GtkWidget *dialog = hangar_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  if (dialog == NULL || HANGAR_IS_DELETE_DIALOG (dialog))
    return FALSE;
  g_assert_true (labels_show (dialog, HOSTILE, TRUE));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "force-off");
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

/* “…” was deleted, in a toast. */
static gboolean
step_deleted_toast (HangarTestRun *run)
{
  g_autofree char *text = g_strdup_printf ("“%s” was deleted", HOSTILE);
  g_autofree char *shot = NULL;

  if (!any_window_shows (text, FALSE))
    return FALSE;
  shot = hangar_test_screenshot (GTK_WIDGET (hangar_test_run_window (run)),
                                 "plain-text-toast.png");
  return TRUE;
}

static gboolean
step_host_networks (HangarTestRun *run)
{
  GtkWidget *host = hangar_test_find_toplevel (HANGAR_TYPE_HOST_WINDOW);

  if (host == NULL || !gtk_widget_get_mapped (host))
    return FALSE;
  hangar_host_window_set_page (HANGAR_HOST_WINDOW (host), "networks");
  if (!labels_show (host, HOSTILE, FALSE))
    return FALSE;
  hangar_host_window_set_page (HANGAR_HOST_WINDOW (host), "storage");
  return TRUE;
}

/* The pool, and its volume under the pool it selected by itself. */
static gboolean
step_host_storage (HangarTestRun *run)
{
  GtkWidget *host = hangar_test_find_toplevel (HANGAR_TYPE_HOST_WINDOW);
  g_autofree char *shot = NULL;

  if (!labels_show (host, HOSTILE, FALSE) || !labels_show (host, HOSTILE ".img", FALSE))
    return FALSE;
  shot = hangar_test_screenshot (host, "plain-text-host-storage.png");
  gtk_window_destroy (GTK_WINDOW (host));
  return TRUE;
}

static gboolean
step_close (HangarTestRun *run)
{
  gtk_window_close (GTK_WINDOW (hangar_test_run_window (run)));
  return TRUE;
}

static void
test_names (void)
{
  g_autofree char *uri = g_strdup_printf ("test://%s", driver_file);
  const char *argv[] = { "hangar", "--connect", uri, NULL };
  const HangarTestStep steps[] = {
    step_window_shown, step_listed, step_machine_window, step_delete_dialog,
    step_force_off_confirm, step_deleted_toast, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 20000), ==, 0);
}

static void
test_host_names (void)
{
  g_autofree char *uri = g_strdup_printf ("test://%s", driver_file);
  const char *argv[] = { "hangar", "--connect", uri, "--show-host-summary", NULL };
  const HangarTestStep steps[] = {
    step_window_shown, step_host_networks, step_host_storage, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 20000), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  write_driver_file ();

  g_test_add_func ("/hangar/ui/plain-text/names", test_names);
  g_test_add_func ("/hangar/ui/plain-text/host-names", test_host_names);

  status = g_test_run ();
  g_unlink (driver_file);
  g_free (driver_file);
  return status;
}
