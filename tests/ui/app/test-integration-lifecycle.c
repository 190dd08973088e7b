/* test-integration-lifecycle.c — the app's actions against a real libvirtd and QEMU.
 *
 * The test defines a diskless guest (plus one blank disk file, so deleting
 * with storage has something to delete) with virsh, then drives it only
 * through the main window's vm.* actions, and checks every state change
 * arrives through domain events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "hangar-connection.h"
#include "hangar-delete-dialog.h"
#include "hangar-vm.h"
#include "hangar-test-app.h"
#include "hangar-test-util.h"

#define URI "qemu:///system"

typedef struct
{
  char     *name;
  char     *disk;
  HangarVm *vm;
  guint     state_notifies;
} Fixture;

static Fixture fixture;

static gboolean
virsh (const char  *args,
       char       **out)
{
  return hangar_test_virsh (URI, out, "%s", args);
}

/* A run that crashed cannot clean up after itself; the next one does. */
static void
remove_stale_guests (void)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) names = NULL;

  if (!virsh ("list --all --name", &out))
    return;
  names = g_strsplit (out, "\n", -1);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "hangar-it-"))
      {
        g_autofree char *destroy = g_strdup_printf ("destroy %s", names[i]);
        g_autofree char *undefine = g_strdup_printf ("undefine %s", names[i]);
        g_autofree char *disk = g_strdup_printf ("/tmp/%s.img", names[i]);

        virsh (destroy, NULL);
        virsh (undefine, NULL);
        g_unlink (disk);
      }
}

static void
define_guest (void)
{
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;
  g_autofree char *args = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  remove_stale_guests ();
  fixture.name = g_strdup_printf ("hangar-it-%d", (int) getpid ());
  /* libvirt-qemu must be able to open the disk: /tmp is fine, mode 0666. */
  fixture.disk = g_strdup_printf ("/tmp/%s.img", fixture.name);
  fd = g_open (fixture.disk, O_CREAT | O_WRONLY | O_TRUNC, 0666);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 1024 * 1024), ==, 0);
  close (fd);
  g_chmod (fixture.disk, 0666);

  xml = g_strdup_printf ("<domain type='qemu'>"
                         "  <name>%s</name>"
                         "  <title>Hangar integration test</title>"
                         "  <memory unit='MiB'>64</memory>"
                         "  <vcpu>1</vcpu>"
                         "  <os><type arch='x86_64'>hvm</type></os>"
                         "  <devices>"
                         "    <disk type='file' device='disk'>"
                         "      <driver name='qemu' type='raw'/>"
                         "      <source file='%s'/>"
                         "      <target dev='vda' bus='virtio'/>"
                         "    </disk>"
                         "    <graphics type='vnc' listen='127.0.0.1'/>"
                         "  </devices>"
                         "</domain>", fixture.name, fixture.disk);
  path = g_strdup_printf ("/tmp/%s.xml", fixture.name);
  g_assert_true (g_file_set_contents (path, xml, -1, &error));
  args = g_strdup_printf ("define %s", path);
  g_assert_true (virsh (args, NULL));
  g_unlink (path);
}

static HangarConnection *
connection (HangarTestRun *run)
{
  GListModel *connections = G_LIST_MODEL (hangar_application_get_connections (run->app));
  g_autoptr(HangarConnection) c = g_list_model_get_item (connections, 0);

  return c;
}

static void
on_state (HangarVm   *vm,
          GParamSpec *pspec,
          Fixture    *f)
{
  f->state_notifies++;
}

static gboolean
step_listed (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);
  HangarConnection *c;

  if (window == NULL)
    return FALSE;
  c = connection (run);
  if (hangar_connection_get_state (c) == HANGAR_CONNECTION_STATE_FAILED)
    g_error ("%s: %s", URI, hangar_connection_get_error_message (c));
  if (hangar_connection_get_state (c) != HANGAR_CONNECTION_STATE_CONNECTED)
    return FALSE;

  fixture.vm = hangar_connection_lookup_vm (c, fixture.name);
  g_assert_nonnull (fixture.vm);
  g_assert_cmpint (hangar_vm_get_state (fixture.vm), ==, HANGAR_VM_STATE_SHUTOFF);
  g_assert_cmpuint (hangar_vm_get_memory_total (fixture.vm), ==, 65536);
  g_signal_connect (fixture.vm, "notify::state", G_CALLBACK (on_state), &fixture);

  g_assert_true (hangar_window_select_vm (window, fixture.vm));
  gtk_widget_activate_action (GTK_WIDGET (window), "vm.start", NULL);
  return TRUE;
}

/* One state change, from an event: the notify count proves it was pushed,
 * not read back by the test. */
static gboolean
expect_state (HangarTestRun *run,
              HangarVmState  state,
              const char    *virsh_state,
              const char    *next_action)
{
  g_autofree char *args = NULL;
  g_autofree char *out = NULL;

  if (hangar_vm_get_state (fixture.vm) != state)
    return FALSE;
  g_assert_cmpuint (fixture.state_notifies, >=, 1);
  fixture.state_notifies = 0;

  args = g_strdup_printf ("domstate %s", fixture.name);
  g_assert_true (virsh (args, &out));
  g_assert_nonnull (strstr (out, virsh_state));

  if (next_action != NULL)
    gtk_widget_activate_action (GTK_WIDGET (hangar_test_run_window (run)), next_action, NULL);
  return TRUE;
}

static gboolean
step_running (HangarTestRun *run)
{
  if (!expect_state (run, HANGAR_VM_STATE_RUNNING, "running", NULL))
    return FALSE;
  g_assert_cmpint (hangar_vm_get_id (fixture.vm), >, 0);
  return TRUE;
}

/* The bulk statistics poll reaches a real guest: CPU from two samples,
 * memory from the balloon. */
static gboolean
step_stats (HangarTestRun *run)
{
  float history[60];

  if (hangar_vm_get_cpu_history (fixture.vm, history, 60) < 2
      || hangar_vm_get_memory_used (fixture.vm) == 0
      || hangar_vm_get_io_history (fixture.vm, HANGAR_VM_IO_DISK_READ, history, 60) < 1)
    return FALSE;
  /* SeaBIOS read the disk while booting: the first rates include it or
   * are zero, never negative. */
  g_assert_cmpfloat (history[0], >=, 0.0);
  g_assert_cmpfloat (hangar_vm_get_cpu_percent (fixture.vm), >=, 0.0);
  g_assert_cmpfloat (hangar_vm_get_cpu_percent (fixture.vm), <=, 100.0);
  g_assert_cmpuint (hangar_vm_get_memory_used (fixture.vm), <=,
                    hangar_vm_get_memory_total (fixture.vm));
  g_test_message ("cpu %.1f %%, memory %" G_GUINT64_FORMAT " KiB",
                  hangar_vm_get_cpu_percent (fixture.vm), hangar_vm_get_memory_used (fixture.vm));
  gtk_widget_activate_action (GTK_WIDGET (hangar_test_run_window (run)), "vm.pause", NULL);
  return TRUE;
}

static gboolean
step_paused (HangarTestRun *run)
{
  return expect_state (run, HANGAR_VM_STATE_PAUSED, "paused", "vm.resume");
}

static gboolean
step_resumed (HangarTestRun *run)
{
  g_autofree char *shot = NULL;

  if (hangar_vm_get_state (fixture.vm) != HANGAR_VM_STATE_RUNNING)
    return FALSE;
  shot = hangar_test_screenshot (GTK_WIDGET (hangar_test_run_window (run)),
                                 "integration-running.png");
  return expect_state (run, HANGAR_VM_STATE_RUNNING, "running", "vm.force-off");
}

/* Force Off asks first; Cancel leaves the machine running. */
static gboolean
step_force_off_asks (HangarTestRun *run)
{
  GtkWidget *dialog = hangar_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_autofree char *args = g_strdup_printf ("domstate %s", fixture.name);
  g_autofree char *out = NULL;

  if (dialog == NULL)
    return FALSE;
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                            "Force Off"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_usleep (G_USEC_PER_SEC / 2);
  g_assert_true (virsh (args, &out));
  g_assert_nonnull (strstr (out, "running"));
  g_assert_cmpint (hangar_vm_get_state (fixture.vm), ==, HANGAR_VM_STATE_RUNNING);
  gtk_widget_activate_action (GTK_WIDGET (hangar_test_run_window (run)), "vm.force-off", NULL);
  return TRUE;
}

/* The second time: yes, and don't ask again. */
static gboolean
step_force_off_confirm (HangarTestRun *run)
{
  GtkWidget *dialog = hangar_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  GtkWidget *dont_ask;

  if (dialog == NULL)
    return FALSE;
  dont_ask = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  g_assert_true (GTK_IS_CHECK_BUTTON (dont_ask));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (dont_ask), TRUE);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

static gboolean
step_off (HangarTestRun *run)
{
  g_autoptr(GSettings) settings = NULL;

  if (!expect_state (run, HANGAR_VM_STATE_SHUTOFF, "shut off", NULL))
    return FALSE;
  settings = g_settings_new (BASE_ID);
  g_assert_false (g_settings_get_boolean (settings, "confirm-force"));
  gtk_widget_activate_action (GTK_WIDGET (hangar_test_run_window (run)), "vm.delete", NULL);
  return TRUE;
}

static gboolean
step_delete_dialog (HangarTestRun *run)
{
  GtkWidget *dialog = hangar_test_find_toplevel (HANGAR_TYPE_DELETE_DIALOG);
  g_auto(GStrv) paths = NULL;

  if (dialog == NULL)
    return FALSE;
  paths = hangar_delete_dialog_get_selected_paths (HANGAR_DELETE_DIALOG (dialog));
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, fixture.disk);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

static gboolean
step_deleted (HangarTestRun *run)
{
  g_autofree char *args = NULL;

  if (hangar_connection_lookup_vm (connection (run), fixture.name) != NULL)
    return FALSE;

  /* Gone from libvirt, and its disk with it. */
  args = g_strdup_printf ("dominfo %s", fixture.name);
  g_assert_false (virsh (args, NULL));
  g_assert_false (g_file_test (fixture.disk, G_FILE_TEST_EXISTS));
  fixture.vm = NULL;

  gtk_window_close (GTK_WINDOW (hangar_test_run_window (run)));
  return TRUE;
}

static void
test_lifecycle (void)
{
  const char *argv[] = { "hangar", "--connect", URI, NULL };
  const HangarTestStep steps[] = {
    step_listed, step_running, step_stats, step_paused, step_resumed, step_force_off_asks,
    step_force_off_confirm, step_off, step_delete_dialog,
    step_deleted, NULL,
  };
  HangarTestRun run = { 0 };

  define_guest ();
  if (hangar_test_run_app (&run, argv, steps, 30000) != 0)
    g_error ("hangar exited with an error");
  g_clear_pointer (&fixture.name, g_free);
  g_clear_pointer (&fixture.disk, g_free);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/integration/lifecycle", test_lifecycle);

  return g_test_run ();
}
