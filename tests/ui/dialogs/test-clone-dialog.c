/* test-clone-dialog.c — the Clone dialog on real guests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <adwaita.h>

#define DETAILS_PREFIX "hangar-d2-"
#include "details-test-util.h"
#include "clone-test-util.h"
#include "hangar-clone-dialog.h"
#include "hangar-test-app.h"

static HangarConnection *connection;

GResource *hangar_get_resource (void);

static gboolean
ready (gpointer data)
{
  return hangar_clone_dialog_is_ready (data);
}

static gboolean
is_running (gpointer data)
{
  return hangar_vm_is_active (data);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
on_cloned (HangarCloneDialog *dialog,
           const char        *name,
           char             **out)
{
  *out = g_strdup (name);
}

static void
test_clone (void)
{
  g_autofree char *vol_name = g_strdup_printf (DETAILS_PREFIX "dlg-%d.qcow2", (int) getpid ());
  g_autofree char *image = make_volume (vol_name, "qcow2", "64M");
  g_autofree char *devices = g_strdup_printf (
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
      "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
      "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>", image);
  g_autofree char *name = details_define_guest ("dlg", NULL, devices);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autofree char *expected = g_strdup_printf ("%s-clone", name);
  g_autofree char *cloned = NULL;
  g_autofree char *copy = NULL;
  GtkWidget *dialog = hangar_clone_dialog_present (NULL, vm);
  GtkWidget *name_row = named (dialog, "clone-name");
  GtkWidget *start = named (dialog, "clone-start");
  GtkWidget *error_label = named (dialog, "clone-name-error");
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_assert_true (hangar_test_wait (ready, dialog, 30000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, expected);
  g_assert_nonnull (find_named (dialog, "clone-disk-vda"));
  g_assert_nonnull (find_named (dialog, "clone-disk-sda"));
  g_assert_true (gtk_widget_is_sensitive (start));
  g_assert_false (gtk_widget_get_visible (error_label));
  g_free (hangar_test_screenshot (dialog, "clone-dialog.png"));

  /* A taken name and a bad one: said next to the field, Clone disabled. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), name);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "already"));
  g_assert_false (gtk_widget_is_sensitive (start));
  g_free (hangar_test_screenshot (dialog, "clone-dialog-name-taken.png"));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "a/b");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_is_sensitive (start));
  gtk_editable_set_text (GTK_EDITABLE (name_row), expected);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_is_sensitive (start));

  g_ptr_array_add (details_guests, g_strdup (expected));
  g_signal_connect (dialog, "cloned", G_CALLBACK (on_cloned), &cloned);
  g_signal_emit_by_name (start, "clicked");
  g_assert_true (hangar_clone_dialog_is_busy (HANGAR_CLONE_DIALOG (dialog)));
  g_assert_true (hangar_test_wait (is_null, &weak, 120000));
  g_assert_cmpstr (cloned, ==, expected);
  copy = details_xpath (expected, FALSE,
                        "string(/domain/devices/disk[target/@dev='vda']/source/@file)");
  g_assert_cmpstr (copy, !=, image);
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));
}

static void
test_running (void)
{
  g_autofree char *name = details_define_guest ("dlgrun", NULL, "<graphics type='vnc' listen='127.0.0.1'/>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  GtkWidget *dialog;

  g_assert_true (details_virsh (NULL, "start %s", name));
  g_assert_true (hangar_test_wait (is_running, vm, 30000));
  dialog = hangar_clone_dialog_present (NULL, vm);
  g_assert_true (hangar_test_wait (ready, dialog, 30000));
  g_assert_nonnull (strstr (hangar_clone_dialog_get_status (HANGAR_CLONE_DIALOG (dialog)),
                            "Shut it down"));
  g_assert_false (gtk_widget_is_sensitive (named (dialog, "clone-start")));
  g_free (hangar_test_screenshot (dialog, "clone-dialog-running.png"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  details_virsh (NULL, "destroy %s", name);
}

static void
test_refused (void)
{
  g_autofree char *path = g_strdup_printf ("%s/" DETAILS_PREFIX "dlgloose-%d.qcow2",
                                           g_get_tmp_dir (), (int) getpid ());
  g_autofree char *command = g_strdup_printf ("qemu-img create -q -f qcow2 %s 16M", path);
  g_autofree char *devices = NULL;
  g_autofree char *name = NULL;
  g_autoptr(HangarVm) vm = NULL;
  GtkWidget *dialog;

  g_assert_true (details_run (command, NULL));
  g_ptr_array_add (details_files, g_strdup (path));
  devices = g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                             "<source file='%s'/><target dev='vda' bus='virtio'/></disk>", path);
  name = details_define_guest ("dlgloose", NULL, devices);
  vm = details_wait_vm (connection, name);
  dialog = hangar_clone_dialog_present (NULL, vm);
  g_assert_true (hangar_test_wait (ready, dialog, 30000));
  g_assert_nonnull (strstr (hangar_clone_dialog_get_status (HANGAR_CLONE_DIALOG (dialog)),
                            "not in a storage pool"));
  g_assert_false (gtk_widget_is_sensitive (named (dialog, "clone-start")));
  g_free (hangar_test_screenshot (dialog, "clone-dialog-refused.png"));
  gtk_window_destroy (GTK_WINDOW (dialog));
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
  make_pool ();
  connection = details_connect ();

  g_test_add_func ("/hangar/details/clone-dialog/clone", test_clone);
  g_test_add_func ("/hangar/details/clone-dialog/running", test_running);
  g_test_add_func ("/hangar/details/clone-dialog/refused", test_refused);

  status = g_test_run ();
  hangar_connection_close (connection);
  g_clear_object (&connection);
  details_cleanup ();
  return status;
}
