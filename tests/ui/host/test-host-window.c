/* test-host-window.c — the host window in the real application, on the
 * system libvirtd: each page shown (and photographed), a network and a
 * directory pool with a volume created, changed and deleted through the
 * window's forms and actions, bad input refused with a field error, the
 * pool form's fields for each type, and a pool that cannot start.
 * Every change is checked with virsh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <unistd.h>

#include "hangar-host-form-dialog.h"
#include "hangar-host-window.h"
#include "hangar-test-app.h"
#include "host-test-util.h"

typedef struct
{
  HangarConnection *connection;
  HangarHostWindow *window;
  char             *network;
  char             *range;
  char             *pool;
  char             *pool_dir;
  char             *mount_dir;
  char             *volume;
  char             *vm;
  char            **networks_before;
  char            **pools_before;
  gint64            last_attempt;
  guint             attempts;
} Fixture;

static Fixture fixture;

/* --- helpers ------------------------------------------------------------------------------ */

static HangarHostFormDialog *
form (void)
{
  GtkWindow *window = hangar_host_window_get_form (fixture.window);

  return window ? HANGAR_HOST_FORM_DIALOG (window) : NULL;
}

static gboolean
idle (void)
{
  return !hangar_host_window_is_busy (fixture.window);
}

static gpointer
find_item (GListModel *model,
           const char *name)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      const char *item_name;

      if (HANGAR_IS_HOST_NETWORK (item))
        item_name = HANGAR_HOST_NETWORK (item)->name;
      else if (HANGAR_IS_HOST_POOL (item))
        item_name = HANGAR_HOST_POOL (item)->name;
      else
        item_name = HANGAR_HOST_VOLUME (item)->name;
      if (g_str_equal (item_name, name))
        return item;  /* the model keeps it alive */
    }
  return NULL;
}

/* The page that owns @action, as a button on it would find it: the
 * networks and storage pages own their host.* actions, the window the rest. */
static GtkWidget *
action_owner (const char *action)
{
  if (strstr (action, "network") != NULL)
    return hangar_host_window_get_networks_page (fixture.window);
  if (strstr (action, "pool") != NULL || strstr (action, "volume") != NULL)
    return hangar_host_window_get_storage_page (fixture.window);
  return GTK_WIDGET (fixture.window);
}

static void
activate (const char *action,
          const char *target)
{
  if (target != NULL)
    g_assert_true (gtk_widget_activate_action (action_owner (action), action, "s", target));
  else
    g_assert_true (gtk_widget_activate_action (action_owner (action), action, NULL));
}

static void
assert_field (const char *command,
              const char *key,
              const char *expected)
{
  g_autofree char *out = NULL;
  g_autofree char *value = NULL;

  g_assert_true (host_virsh (&out, "%s", command));
  value = host_virsh_field (out, key);
  g_assert_cmpstr (value, ==, expected);
}

/* Submits the open form with bad input: the field named gets an error
 * and the form stays open. */
static void
submit_expecting (const char *field)
{
  HangarHostFormDialog *dialog = form ();

  hangar_host_form_dialog_submit (dialog);
  g_test_message ("%s: %s", field, hangar_host_form_dialog_get_field_error (dialog, field));
  g_assert_nonnull (hangar_host_form_dialog_get_field_error (dialog, field));
  g_assert_false (hangar_host_form_dialog_get_busy (dialog));
  g_assert_true (form () == dialog);
}

/* Answers the message dialog on top, if there is one. */
static gboolean
respond (const char *heading_part,
         const char *response)
{
  GtkWidget *dialog = hangar_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  const char *heading;

  if (dialog == NULL)
    return FALSE;
  heading = adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog));
  g_test_message ("dialog: %s — %s", heading,
                  adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_nonnull (strstr (heading, heading_part));
  g_object_ref (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  return TRUE;
}

static void
shot (const char *name)
{
  g_autofree char *path = hangar_test_screenshot (GTK_WIDGET (fixture.window), name);
}

/* --- connecting and the overview ------------------------------------------------------------ */

static gboolean
step_connected (HangarTestRun *run)
{
  GListModel *connections;
  HangarConnectionState state;
  guint n;

  if (hangar_test_run_window (run) == NULL)
    return FALSE;
  connections = G_LIST_MODEL (hangar_application_get_connections (run->app));
  n = g_list_model_get_n_items (connections);
  for (guint i = 0; i < n && fixture.connection == NULL; i++)
    {
      g_autoptr(HangarConnection) c = g_list_model_get_item (connections, i);

      if (g_str_equal (hangar_connection_get_uri (c), HOST_TEST_URI))
        fixture.connection = c;
    }
  g_assert_nonnull (fixture.connection);

  state = hangar_connection_get_state (fixture.connection);
  if (state == HANGAR_CONNECTION_STATE_FAILED)
    {
      /* Another test may be restarting the daemon: try again, a few times. */
      if (g_get_monotonic_time () - fixture.last_attempt > 2 * G_USEC_PER_SEC)
        {
          g_assert_cmpuint (fixture.attempts++, <, 8);
          g_test_message ("connecting again: %s",
                          hangar_connection_get_error_message (fixture.connection));
          fixture.last_attempt = g_get_monotonic_time ();
          hangar_connection_open (fixture.connection);
        }
      run->step_started = g_get_monotonic_time ();
      return FALSE;
    }
  if (state != HANGAR_CONNECTION_STATE_CONNECTED)
    return FALSE;

  hangar_host_window_present_for (GTK_APPLICATION (run->app), fixture.connection);
  fixture.window = HANGAR_HOST_WINDOW (hangar_test_find_toplevel (HANGAR_TYPE_HOST_WINDOW));
  g_assert_nonnull (fixture.window);
  g_assert_true (hangar_host_window_get_connection (fixture.window) == fixture.connection);
  /* One window per connection. */
  hangar_host_window_present_for (GTK_APPLICATION (run->app), fixture.connection);
  {
    guint windows = 0;

    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (run->app)); l; l = l->next)
      windows += HANGAR_IS_HOST_WINDOW (l->data);
    g_assert_cmpuint (windows, ==, 1);
  }
  g_assert_cmpstr (hangar_host_window_get_page (fixture.window), ==, "overview");
  return TRUE;
}

static gboolean
step_overview (HangarTestRun *run)
{
  if (!hangar_host_window_has_overview (fixture.window)
      || hangar_host_window_get_n_usage_samples (fixture.window) < 3 || !idle ())
    return FALSE;
  /* Storage is listed only when its page is opened. */
  g_assert_cmpuint (hangar_host_window_get_n_pool_listings (fixture.window), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (hangar_host_window_get_pools (fixture.window)), ==, 0);
  /* Tall enough to show the virtualization advice too. */
  gtk_widget_set_size_request (GTK_WIDGET (fixture.window), -1, 1000);
  shot ("host-overview.png");
  gtk_widget_set_size_request (GTK_WIDGET (fixture.window), -1, -1);

  fixture.networks_before = host_virsh_names ("net-list");
  hangar_host_window_set_page (fixture.window, "networks");
  return TRUE;
}

/* --- networks ------------------------------------------------------------------------------ */

static gboolean
step_networks_listed (HangarTestRun *run)
{
  GListModel *networks = hangar_host_window_get_networks (fixture.window);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  if (!idle () || g_list_model_get_n_items (networks) < g_strv_length (fixture.networks_before))
    return FALSE;
  g_assert_cmpuint (g_list_model_get_n_items (networks), ==,
                    g_strv_length (fixture.networks_before));
  for (guint i = 0; i < g_list_model_get_n_items (networks); i++)
    g_ptr_array_add (rows, g_list_model_get_item (networks, i));
  fixture.range = host_test_free_range (rows);
  fixture.network = g_strdup_printf (HOST_TEST_PREFIX "winnet-%d", (int) getpid ());
  shot ("host-networks.png");
  activate ("host.new-network", NULL);
  return TRUE;
}

static gboolean
step_network_form (HangarTestRun *run)
{
  HangarHostFormDialog *dialog = form ();
  g_autofree char *prefix = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_auto(GStrv) now = NULL;

  if (dialog == NULL || !gtk_widget_get_mapped (GTK_WIDGET (dialog)))
    return FALSE;
  /* The form starts out valid: a free name and range are suggested. */
  g_assert_cmpstr (hangar_host_form_dialog_get_text (dialog, "name"), !=, "");
  g_assert_cmpstr (hangar_host_form_dialog_get_text (dialog, "network"), !=, "");

  prefix = g_strndup (fixture.range, strlen (fixture.range) - strlen ("0/24"));
  start = g_strconcat (prefix, "20", NULL);
  end = g_strconcat (prefix, "40", NULL);
  hangar_host_form_dialog_set_text (dialog, "name", fixture.network);
  hangar_host_form_dialog_set_choice (dialog, "forward", 2);  /* isolated */

  /* Overlapping the default network. */
  hangar_host_form_dialog_set_text (dialog, "network", "192.168.122.0/24");
  hangar_host_form_dialog_set_text (dialog, "dhcp-start", "");
  hangar_host_form_dialog_set_text (dialog, "dhcp-end", "");
  if (find_item (hangar_host_window_get_networks (fixture.window), "default") != NULL)
    submit_expecting ("network");
  /* Not a network at all. */
  hangar_host_form_dialog_set_text (dialog, "network", "192.168.2.0/40");
  submit_expecting ("network");
  /* DHCP outside the network. */
  hangar_host_form_dialog_set_text (dialog, "network", fixture.range);
  hangar_host_form_dialog_set_text (dialog, "dhcp-start", "10.99.0.20");
  hangar_host_form_dialog_set_text (dialog, "dhcp-end", end);
  submit_expecting ("dhcp-start");
  /* Start after end. */
  hangar_host_form_dialog_set_text (dialog, "dhcp-start", end);
  hangar_host_form_dialog_set_text (dialog, "dhcp-end", start);
  submit_expecting ("dhcp-end");
  /* A bad name. */
  hangar_host_form_dialog_set_text (dialog, "name", "no spaces please");
  submit_expecting ("name");
  shot ("host-network-form-error.png");
  {
    g_autofree char *path = hangar_test_screenshot (GTK_WIDGET (dialog),
                                                    "host-network-form-dialog.png");
  }
  now = host_virsh_names ("net-list");
  g_assert_cmpstrv (now, fixture.networks_before);

  hangar_host_form_dialog_set_text (dialog, "name", fixture.network);
  hangar_host_form_dialog_set_text (dialog, "dhcp-start", start);
  hangar_host_form_dialog_set_text (dialog, "dhcp-end", end);
  hangar_host_form_dialog_submit (dialog);
  g_assert_null (hangar_host_form_dialog_get_field_error (dialog, "network"));
  g_assert_true (hangar_host_form_dialog_get_busy (dialog));
  return TRUE;
}

static HangarHostNetwork *
network_row (void)
{
  return find_item (hangar_host_window_get_networks (fixture.window), fixture.network);
}

static gboolean
step_network_created (HangarTestRun *run)
{
  g_autofree char *info = NULL;
  g_autofree char *dump = NULL;
  HangarHostNetwork *row;

  if (form () != NULL || !idle () || (row = network_row ()) == NULL)
    return FALSE;
  g_assert_true (row->active);
  g_assert_null (row->forward);
  info = g_strdup_printf ("net-info %s", fixture.network);
  assert_field (info, "Active", "yes");
  assert_field (info, "Autostart", "no");
  g_assert_true (host_virsh (&dump, "net-dumpxml %s", fixture.network));
  g_assert_null (strstr (dump, "<forward"));
  shot ("host-networks-created.png");
  activate ("host.network-stop", fixture.network);
  return TRUE;
}

static gboolean
step_network_stopped (HangarTestRun *run)
{
  g_autofree char *info = g_strdup_printf ("net-info %s", fixture.network);
  HangarHostNetwork *row = network_row ();

  if (!idle () || row == NULL || row->active)
    return FALSE;
  assert_field (info, "Active", "no");
  activate ("host.network-start", fixture.network);
  return TRUE;
}

static gboolean
step_network_started (HangarTestRun *run)
{
  g_autofree char *info = g_strdup_printf ("net-info %s", fixture.network);
  HangarHostNetwork *row = network_row ();

  if (!idle () || row == NULL || !row->active)
    return FALSE;
  assert_field (info, "Active", "yes");
  activate ("host.network-autostart-on", fixture.network);
  return TRUE;
}

static gboolean
step_network_autostart_on (HangarTestRun *run)
{
  g_autofree char *info = g_strdup_printf ("net-info %s", fixture.network);
  HangarHostNetwork *row = network_row ();

  if (!idle () || row == NULL || !row->autostart)
    return FALSE;
  assert_field (info, "Autostart", "yes");
  activate ("host.network-autostart-off", fixture.network);
  return TRUE;
}

static gboolean
step_network_autostart_off (HangarTestRun *run)
{
  g_autofree char *info = g_strdup_printf ("net-info %s", fixture.network);
  HangarHostNetwork *row = network_row ();

  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;

  if (!idle () || row == NULL || row->autostart)
    return FALSE;
  assert_field (info, "Autostart", "no");

  /* A running machine on the network: deleting it is refused. */
  fixture.vm = g_strdup_printf (HOST_TEST_PREFIX "winnetvm-%d", (int) getpid ());
  xml = g_strdup_printf ("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                         "<os><type arch='x86_64'>hvm</type></os><devices>"
                         "<interface type='network'><source network='%s'/>"
                         "<model type='e1000'/></interface></devices></domain>",
                         fixture.vm, fixture.network);
  path = g_strdup_printf ("/tmp/%s.xml", fixture.vm);
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  g_assert_true (host_virsh (NULL, "define %s", path));
  g_unlink (path);
  g_assert_true (host_virsh (NULL, "start %s", fixture.vm));
  activate ("host.network-delete", fixture.network);
  return TRUE;
}

static gboolean
step_network_delete_refused_confirmed (HangarTestRun *run)
{
  return respond ("Delete the Network", "delete");
}

static gboolean
step_network_in_use (HangarTestRun *run)
{
  GtkWidget *dialog;
  g_autofree char *info = g_strdup_printf ("net-info %s", fixture.network);

  if (!idle () || (dialog = hangar_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) == NULL)
    return FALSE;
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            fixture.vm));
  {
    g_autofree char *path = hangar_test_screenshot (dialog, "host-network-in-use.png");
  }
  g_assert_true (respond ("Network In Use", "close"));
  assert_field (info, "Active", "yes");

  g_assert_true (host_virsh (NULL, "destroy %s", fixture.vm));
  g_assert_true (host_virsh (NULL, "undefine %s", fixture.vm));
  g_clear_pointer (&fixture.vm, g_free);
  activate ("host.network-delete", fixture.network);
  return TRUE;
}

static gboolean
step_network_delete_confirmed (HangarTestRun *run)
{
  return respond ("Delete the Network", "delete");
}

static gboolean
step_network_deleted (HangarTestRun *run)
{
  g_auto(GStrv) now = NULL;

  if (!idle () || network_row () != NULL)
    return FALSE;
  g_assert_false (host_virsh (NULL, "net-info %s", fixture.network));
  now = host_virsh_names ("net-list");
  g_assert_cmpstrv (now, fixture.networks_before);

  fixture.pools_before = host_virsh_names ("pool-list");
  hangar_host_window_set_page (fixture.window, "storage");
  return TRUE;
}

/* --- storage ------------------------------------------------------------------------------- */

static gboolean
step_storage_listed (HangarTestRun *run)
{
  if (hangar_host_window_get_n_pool_listings (fixture.window) == 0 || !idle ())
    return FALSE;
  g_assert_cmpuint (g_list_model_get_n_items (hangar_host_window_get_pools (fixture.window)), ==,
                    g_strv_length (fixture.pools_before));
  fixture.pool = g_strdup_printf (HOST_TEST_PREFIX "winpool-%d", (int) getpid ());
  fixture.pool_dir = g_dir_make_tmp (HOST_TEST_PREFIX "winpool-XXXXXX", NULL);
  g_assert_nonnull (fixture.pool_dir);
  fixture.mount_dir = g_dir_make_tmp (HOST_TEST_PREFIX "winmount-XXXXXX", NULL);
  g_assert_nonnull (fixture.mount_dir);
  activate ("host.new-pool", NULL);
  return TRUE;
}

static HangarHostPool *
pool_row (void)
{
  return find_item (hangar_host_window_get_pools (fixture.window), fixture.pool);
}

/* The form shows exactly these of the pool fields. */
static void
assert_fields (HangarHostFormDialog *dialog,
               const char           *shown)
{
  const char * const fields[] = { "source-host", "source-path", "iqn", "source-name",
                                  "source-device", "format", "path", "build", NULL };
  g_auto(GStrv) ids = g_strsplit (shown, " ", -1);

  g_assert_true (hangar_host_form_dialog_get_field_visible (dialog, "name"));
  g_assert_true (hangar_host_form_dialog_get_field_visible (dialog, "type"));
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_test_message ("%s: %s", fields[i],
                      hangar_host_form_dialog_get_field_visible (dialog, fields[i])
                      ? "shown" : "hidden");
      g_assert_cmpint (hangar_host_form_dialog_get_field_visible (dialog, fields[i]), ==,
                       g_strv_contains ((const char * const *) ids, fields[i]));
    }
}

static gboolean
step_pool_form_types (HangarTestRun *run)
{
  HangarHostFormDialog *dialog = form ();
  GListModel *formats;

  if (dialog == NULL || !gtk_widget_get_mapped (GTK_WIDGET (dialog)))
    return FALSE;
  hangar_host_form_dialog_set_text (dialog, "name", fixture.pool);

  /* A folder: the folder, and whether to create it. */
  g_assert_cmpuint (hangar_host_form_dialog_get_choice (dialog, "type"), ==, HANGAR_POOL_DIR);
  assert_fields (dialog, "path build");
  g_assert_false (hangar_host_form_dialog_get_switch (dialog, "build"));

  /* A disk: the device, where partitions appear (filled in), a partition table. */
  hangar_host_form_dialog_set_choice (dialog, "type", HANGAR_POOL_DISK);
  assert_fields (dialog, "source-device path build");
  g_assert_cmpstr (hangar_host_form_dialog_get_text (dialog, "path"), ==, "/dev");
  g_assert_cmpstr (hangar_host_form_dialog_get_field_title (dialog, "build"), ==,
                   "Write a new partition table");
  hangar_host_form_dialog_set_text (dialog, "source-device", "sdb");
  submit_expecting ("source-device");

  /* iSCSI: server, target name, and the folder its disks appear in. */
  hangar_host_form_dialog_set_choice (dialog, "type", HANGAR_POOL_ISCSI);
  assert_fields (dialog, "source-host iqn path");
  g_assert_cmpstr (hangar_host_form_dialog_get_text (dialog, "path"), ==, "/dev/disk/by-path");
  hangar_host_form_dialog_set_text (dialog, "source-host", "san.example.com");
  hangar_host_form_dialog_set_text (dialog, "iqn", "target1");
  submit_expecting ("iqn");
  g_assert_nonnull (strstr (hangar_host_form_dialog_get_field_error (dialog, "iqn"), "iqn."));
  {
    g_autofree char *path = hangar_test_screenshot (GTK_WIDGET (dialog),
                                                    "host-pool-form-iscsi-error.png");
  }

  /* LVM: a group, and devices only to make a new one. */
  hangar_host_form_dialog_set_choice (dialog, "type", HANGAR_POOL_LOGICAL);
  assert_fields (dialog, "source-name source-device build");
  hangar_host_form_dialog_set_text (dialog, "source-name", "-vg");
  submit_expecting ("source-name");
  hangar_host_form_dialog_set_text (dialog, "source-name", "vg0");
  hangar_host_form_dialog_set_text (dialog, "source-device", "");
  hangar_host_form_dialog_set_switch (dialog, "build", TRUE);
  submit_expecting ("source-device");

  /* NFS: server, export, protocol (nfs chosen), mount folder; no build switch. */
  hangar_host_form_dialog_set_choice (dialog, "type", HANGAR_POOL_NETFS);
  assert_fields (dialog, "source-host source-path format path");
  formats = adw_combo_row_get_model (ADW_COMBO_ROW (hangar_host_form_dialog_get_row (dialog,
                                                                                      "format")));
  g_assert_cmpuint (g_list_model_get_n_items (formats), ==, 4);
  g_assert_cmpuint (hangar_host_form_dialog_get_choice (dialog, "format"), ==, 1);
  hangar_host_form_dialog_set_text (dialog, "source-host", "nas.example.com:2049");
  hangar_host_form_dialog_set_text (dialog, "source-path", "/export/vms");
  hangar_host_form_dialog_set_text (dialog, "path", fixture.mount_dir);
  submit_expecting ("source-host");
  return TRUE;
}

static gboolean
step_pool_form_netfs (HangarTestRun *run)
{
  HangarHostFormDialog *dialog = form ();
  g_auto(GStrv) now = NULL;

  /* The entry titles move when text is set: photograph once they settled. */
  if (g_get_monotonic_time () - run->step_started < G_USEC_PER_SEC / 2)
    return FALSE;
  {
    g_autofree char *path = hangar_test_screenshot (GTK_WIDGET (dialog),
                                                    "host-pool-form-netfs-error.png");
  }
  hangar_host_form_dialog_set_text (dialog, "source-host", "nfs.invalid");
  hangar_host_form_dialog_set_text (dialog, "source-path", "export");
  submit_expecting ("source-path");
  now = host_virsh_names ("pool-list");
  g_assert_cmpstrv (now, fixture.pools_before);

  /* Well formed, but there is no server: libvirt cannot mount it. */
  hangar_host_form_dialog_set_text (dialog, "source-path", "/export/vms");
  hangar_host_form_dialog_submit (dialog);
  g_assert_true (hangar_host_form_dialog_get_busy (dialog));
  return TRUE;
}

static gboolean
step_pool_start_failed (HangarTestRun *run)
{
  HangarHostFormDialog *dialog = form ();
  const char *message;
  g_auto(GStrv) now = NULL;

  g_assert_nonnull (dialog);
  if (hangar_host_form_dialog_get_busy (dialog) || !idle ()
      || g_get_monotonic_time () - run->step_started < G_USEC_PER_SEC / 2)
    return FALSE;
  /* The form stays, with libvirt's reason; the half-made pool is gone. */
  message = hangar_host_form_dialog_get_field_error (dialog, NULL);
  g_test_message ("start failed: %s", message);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "Could not start the new storage pool: "));
  g_assert_cmpuint (strlen (message), >, strlen ("Could not start the new storage pool: "));
  {
    g_autofree char *path = hangar_test_screenshot (GTK_WIDGET (dialog),
                                                    "host-pool-form-start-failed.png");
  }
  g_assert_false (host_virsh (NULL, "pool-info %s", fixture.pool));
  g_assert_null (pool_row ());
  now = host_virsh_names ("pool-list");
  g_assert_cmpstrv (now, fixture.pools_before);

  hangar_host_form_dialog_set_choice (dialog, "type", HANGAR_POOL_DIR);
  assert_fields (dialog, "path build");
  return TRUE;
}

static gboolean
step_pool_form (HangarTestRun *run)
{
  HangarHostFormDialog *dialog = form ();
  g_autofree char *missing = NULL;
  g_auto(GStrv) now = NULL;

  if (dialog == NULL || !gtk_widget_get_mapped (GTK_WIDGET (dialog)))
    return FALSE;
  missing = g_build_filename (fixture.pool_dir, "not-there", NULL);
  hangar_host_form_dialog_set_text (dialog, "name", fixture.pool);
  hangar_host_form_dialog_set_text (dialog, "path", missing);
  submit_expecting ("path");
  g_assert_nonnull (strstr (hangar_host_form_dialog_get_field_error (dialog, "path"), missing));
  {
    g_autofree char *path = hangar_test_screenshot (GTK_WIDGET (dialog),
                                                    "host-pool-form-error.png");
  }
  hangar_host_form_dialog_set_text (dialog, "path", "relative/path");
  submit_expecting ("path");
  hangar_host_form_dialog_set_text (dialog, "path", fixture.pool_dir);
  hangar_host_form_dialog_set_text (dialog, "name", "");
  submit_expecting ("name");
  now = host_virsh_names ("pool-list");
  g_assert_cmpstrv (now, fixture.pools_before);

  hangar_host_form_dialog_set_text (dialog, "name", fixture.pool);
  hangar_host_form_dialog_submit (dialog);
  g_assert_true (hangar_host_form_dialog_get_busy (dialog));
  return TRUE;
}

static gboolean
step_pool_created (HangarTestRun *run)
{
  g_autofree char *info = g_strdup_printf ("pool-info %s", fixture.pool);
  HangarHostPool *row;

  if (form () != NULL || !idle () || (row = pool_row ()) == NULL)
    return FALSE;
  /* The new pool is the one shown. */
  g_assert_cmpstr (hangar_host_window_get_selected_pool (fixture.window), ==, fixture.pool);
  g_assert_true (row->active);
  g_assert_cmpstr (row->path, ==, fixture.pool_dir);
  assert_field (info, "State", "running");
  activate ("host.pool-refresh", fixture.pool);
  return TRUE;
}

static gboolean
step_pool_refreshed (HangarTestRun *run)
{
  if (!idle ())
    return FALSE;
  g_assert_cmpuint (g_list_model_get_n_items (hangar_host_window_get_volumes (fixture.window)),
                    ==, 0);
  fixture.volume = g_strdup (HOST_TEST_PREFIX "disk.qcow2");
  activate ("host.new-volume", NULL);
  return TRUE;
}

static gboolean
step_volume_form (HangarTestRun *run)
{
  HangarHostFormDialog *dialog = form ();
  g_autofree char *out = NULL;

  if (dialog == NULL || !gtk_widget_get_mapped (GTK_WIDGET (dialog)))
    return FALSE;
  hangar_host_form_dialog_set_text (dialog, "name", fixture.volume);
  hangar_host_form_dialog_set_choice (dialog, "format", 0);
  hangar_host_form_dialog_set_text (dialog, "capacity", "lots");
  submit_expecting ("capacity");
  hangar_host_form_dialog_set_text (dialog, "capacity", "0");
  submit_expecting ("capacity");
  hangar_host_form_dialog_set_text (dialog, "capacity", "1 GiB");
  hangar_host_form_dialog_set_text (dialog, "name", "a/b");
  submit_expecting ("name");
  g_assert_true (host_virsh (&out, "vol-list %s", fixture.pool));
  g_assert_null (strstr (out, HOST_TEST_PREFIX));

  hangar_host_form_dialog_set_text (dialog, "name", fixture.volume);
  hangar_host_form_dialog_submit (dialog);
  g_assert_true (hangar_host_form_dialog_get_busy (dialog));
  return TRUE;
}

static gboolean
step_volume_created (HangarTestRun *run)
{
  g_autofree char *info = NULL;
  g_autofree char *devices = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;
  HangarHostVolume *row;

  if (form () != NULL || !idle ()
      || (row = find_item (hangar_host_window_get_volumes (fixture.window), fixture.volume)) == NULL)
    return FALSE;
  g_assert_cmpstr (row->format, ==, "qcow2");
  info = g_strdup_printf ("vol-info --pool %s %s", fixture.pool, fixture.volume);
  assert_field (info, "Capacity", "1.00 GiB");
  shot ("host-storage.png");

  /* A machine gets the volume as its disk: deleting needs a second yes. */
  g_free (fixture.vm);
  fixture.vm = g_strdup_printf (HOST_TEST_PREFIX "winvm-%d", (int) getpid ());
  xml = g_strdup_printf ("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                         "<os><type arch='x86_64'>hvm</type></os><devices>"
                         "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                         "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
                         "</devices></domain>", fixture.vm, row->path);
  path = g_strdup_printf ("/tmp/%s.xml", fixture.vm);
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  g_assert_true (host_virsh (NULL, "define %s", path));
  g_unlink (path);

  activate ("host.volume-delete", fixture.volume);
  return TRUE;
}

static gboolean
step_volume_delete_confirmed (HangarTestRun *run)
{
  return respond ("Delete the Volume", "delete");
}

static gboolean
step_volume_in_use (HangarTestRun *run)
{
  GtkWidget *dialog;

  if (!idle () || (dialog = hangar_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) == NULL)
    return FALSE;
  /* Refused: still there, and the second question names the machine. */
  g_assert_true (host_virsh (NULL, "vol-info --pool %s %s", fixture.pool, fixture.volume));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            fixture.vm));
  {
    g_autofree char *path = hangar_test_screenshot (dialog, "host-volume-in-use.png");
  }
  return respond ("Volume In Use", "delete");
}

static gboolean
step_volume_deleted (HangarTestRun *run)
{
  if (!idle () || find_item (hangar_host_window_get_volumes (fixture.window), fixture.volume))
    return FALSE;
  g_assert_false (host_virsh (NULL, "vol-info --pool %s %s", fixture.pool, fixture.volume));
  g_assert_true (host_virsh (NULL, "undefine %s", fixture.vm));
  activate ("host.pool-stop", fixture.pool);
  return TRUE;
}

static gboolean
step_pool_stopped (HangarTestRun *run)
{
  g_autofree char *info = g_strdup_printf ("pool-info %s", fixture.pool);
  HangarHostPool *row = pool_row ();

  if (!idle () || row == NULL || row->active)
    return FALSE;
  assert_field (info, "State", "inactive");
  /* A stopped pool takes no new volumes. */
  g_assert_false (gtk_widget_activate_action (action_owner ("host.new-volume"), "host.new-volume",
                                              NULL) && form () != NULL);
  activate ("host.pool-delete", fixture.pool);
  return TRUE;
}

static gboolean
step_pool_delete_confirmed (HangarTestRun *run)
{
  return respond ("Delete the Pool", "delete");
}

static gboolean
step_pool_deleted (HangarTestRun *run)
{
  g_auto(GStrv) now = NULL;

  if (!idle () || pool_row () != NULL)
    return FALSE;
  g_assert_false (host_virsh (NULL, "pool-info %s", fixture.pool));
  g_assert_true (g_file_test (fixture.pool_dir, G_FILE_TEST_IS_DIR));
  now = host_virsh_names ("pool-list");
  g_assert_cmpstrv (now, fixture.pools_before);
  hangar_host_window_set_page (fixture.window, "interfaces");
  return TRUE;
}

/* --- interfaces, and closing ------------------------------------------------------------ */

static gboolean
step_interfaces (HangarTestRun *run)
{
  GListModel *interfaces = hangar_host_window_get_interfaces (fixture.window);

  if (!idle () || (g_list_model_get_n_items (interfaces) == 0
                   && hangar_host_window_get_interfaces_message (fixture.window) == NULL))
    return FALSE;
  g_assert_cmpuint (g_list_model_get_n_items (interfaces), >, 0);
  shot ("host-interfaces.png");

  /* Closing the window ends it: nothing keeps it (or its usage poll) alive. */
  g_object_add_weak_pointer (G_OBJECT (fixture.window), (gpointer *) &fixture.window);
  gtk_window_close (GTK_WINDOW (fixture.window));
  gtk_window_close (GTK_WINDOW (hangar_test_run_window (run)));
  return TRUE;
}

static void
cleanup (void)
{
  host_test_remove_stale ();
  if (fixture.pool_dir != NULL)
    g_rmdir (fixture.pool_dir);
  if (fixture.mount_dir != NULL)
    g_rmdir (fixture.mount_dir);
}

static void
test_host_window (void)
{
  const char *argv[] = { "hangar", "--connect", HOST_TEST_URI, NULL };
  const HangarTestStep steps[] = {
    step_connected, step_overview,
    step_networks_listed, step_network_form, step_network_created, step_network_stopped,
    step_network_started, step_network_autostart_on, step_network_autostart_off,
    step_network_delete_refused_confirmed, step_network_in_use,
    step_network_delete_confirmed, step_network_deleted,
    step_storage_listed, step_pool_form_types, step_pool_form_netfs,
    step_pool_start_failed, step_pool_form, step_pool_created, step_pool_refreshed,
    step_volume_form, step_volume_created, step_volume_delete_confirmed, step_volume_in_use,
    step_volume_deleted, step_pool_stopped, step_pool_delete_confirmed, step_pool_deleted,
    step_interfaces,
    NULL,
  };
  HangarTestRun run = { 0 };

  if (hangar_test_run_app (&run, argv, steps, 30000) != 0)
    g_error ("hangar exited with an error");
  g_assert_null (fixture.window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  host_test_remove_stale ();
  host_test_cleanup_on_crash (cleanup);
  g_test_add_func ("/hangar/host/window", test_host_window);
  status = g_test_run ();
  cleanup ();

  g_free (fixture.network);
  g_free (fixture.range);
  g_free (fixture.pool);
  g_free (fixture.pool_dir);
  g_free (fixture.mount_dir);
  g_free (fixture.volume);
  g_free (fixture.vm);
  g_strfreev (fixture.networks_before);
  g_strfreev (fixture.pools_before);
  return status;
}
