/* test-hardware-dialog.c — Add Hardware and Remove Hardware through the details view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <adwaita.h>

#define DETAILS_PREFIX "hangar-d2-"
#include "details-test-util.h"
#include "hangar-add-hardware-dialog.h"
#include "hangar-details-view.h"
#include "hangar-test-app.h"

static HangarConnection *connection;

GResource *hangar_get_resource (void);

/* The newest toplevel of @type, or NULL. */
static GtkWidget *
toplevel_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i - 1);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

static gboolean
view_idle (gpointer data)
{
  return hangar_details_view_get_config (data) != NULL && !hangar_details_view_is_busy (data);
}

static gboolean
dialog_ready (gpointer data)
{
  return hangar_add_hardware_dialog_is_ready (data);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
has_section (gpointer data)
{
  gpointer *args = data;
  g_auto(GStrv) sections = hangar_details_view_list_sections (args[0]);

  for (guint i = 0; sections[i]; i++)
    if (g_str_has_prefix (sections[i], args[1]))
      return args[2] == NULL;
  return args[2] != NULL;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_applied (HangarDetailsView *view,
            gboolean           ok,
            gboolean          *done)
{
  *done = TRUE;
}

/* Opens Add Hardware from the view, picks @kind, types @path (if any),
 * presses Add. */
static void
add_through_dialog_with_path (HangarDetailsView  *view,
                              HangarHardwareKind  kind,
                              const char         *path,
                              const char         *screenshot)
{
  GtkWidget *dialog;
  gpointer weak;

  g_signal_emit_by_name (named (GTK_WIDGET (view), "details-add-hardware"), "clicked");
  dialog = toplevel_of_type (HANGAR_TYPE_ADD_HARDWARE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (hangar_test_wait (dialog_ready, dialog, 30000));
  hangar_add_hardware_dialog_set_kind (HANGAR_ADD_HARDWARE_DIALOG (dialog), kind);
  if (path != NULL)
    gtk_editable_set_text (GTK_EDITABLE (named (dialog, "hardware-path")), path);
  if (screenshot != NULL)
    g_free (hangar_test_screenshot (dialog, screenshot));
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_assert_true (gtk_widget_is_sensitive (named (dialog, "hardware-add")));
  g_signal_emit_by_name (named (dialog, "hardware-add"), "clicked");
  g_assert_true (hangar_test_wait (is_null, &weak, 60000));
  g_assert_true (hangar_test_wait (view_idle, view, 60000));
}

static void
add_through_dialog (HangarDetailsView  *view,
                    HangarHardwareKind  kind,
                    const char         *screenshot)
{
  add_through_dialog_with_path (view, kind, NULL, screenshot);
}

static void
test_add_and_remove (void)
{
  g_autofree char *name = details_define_guest ("hwdlg", NULL, "<controller type='usb' model='qemu-xhci'/>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  HangarDetailsView *view = HANGAR_DETAILS_VIEW (hangar_details_view_new (vm));
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  g_autofree char *mac = NULL;
  g_autofree char *section = NULL;
  g_autofree char *button = NULL;
  GtkWidget *dialog;
  gboolean done = FALSE;
  gpointer args[3];

  gtk_window_set_default_size (window, 1000, 760);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  g_assert_true (hangar_test_wait (view_idle, view, 60000));

  /* A NIC on the default network, then a sound card. */
  add_through_dialog (view, HANGAR_HW_NIC, "hardware-dialog-nic.png");
  mac = details_xpath (name, FALSE, "string(/domain/devices/interface[source/@network='default']"
                                    "/mac/@address)");
  g_assert_nonnull (mac);
  section = g_strdup_printf ("nic-%s", mac);
  args[0] = view; args[1] = section; args[2] = NULL;
  g_assert_true (hangar_test_wait (has_section, args, 30000));
  add_through_dialog (view, HANGAR_HW_SOUND, NULL);
  g_assert_nonnull (details_xpath (name, FALSE, "string(/domain/devices/sound/@model)"));

  /* A shared folder: the tag is filled in, the folder typed. */
  add_through_dialog_with_path (view, HANGAR_HW_FILESYSTEM, "/tmp", "hardware-dialog-folder.png");
  g_assert_cmpstr (details_xpath (name, FALSE, "string(/domain/devices/filesystem/target/@dir)"),
                   ==, "hostshare");
  args[1] = (gpointer) "dev-filesystem-0";
  args[2] = NULL;
  g_assert_true (hangar_test_wait (has_section, args, 30000));
  args[1] = section;

  /* The host's PCI devices are offered; Add only when there are some. */
  g_signal_emit_by_name (named (GTK_WIDGET (view), "details-add-hardware"), "clicked");
  dialog = toplevel_of_type (HANGAR_TYPE_ADD_HARDWARE_DIALOG);
  g_assert_true (hangar_test_wait (dialog_ready, dialog, 30000));
  hangar_add_hardware_dialog_set_kind (HANGAR_ADD_HARDWARE_DIALOG (dialog), HANGAR_HW_PCI_HOST);
  {
    AdwComboRow *devices = ADW_COMBO_ROW (named (dialog, "hardware-usb"));
    guint n = g_list_model_get_n_items (adw_combo_row_get_model (devices));

    g_test_message ("PCI devices offered: %u", n);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (devices)));
    g_assert_cmpint (gtk_widget_is_sensitive (named (dialog, "hardware-add")), ==, n > 0);
  }
  g_free (hangar_test_screenshot (dialog, "hardware-dialog-pci.png"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Kinds this host cannot give say so, and Add stays disabled. */
  g_signal_emit_by_name (named (GTK_WIDGET (view), "details-add-hardware"), "clicked");
  dialog = toplevel_of_type (HANGAR_TYPE_ADD_HARDWARE_DIALOG);
  g_assert_true (hangar_test_wait (dialog_ready, dialog, 30000));
  hangar_add_hardware_dialog_set_kind (HANGAR_ADD_HARDWARE_DIALOG (dialog), HANGAR_HW_TPM);
  g_test_message ("TPM: %s", hangar_add_hardware_dialog_get_status (HANGAR_ADD_HARDWARE_DIALOG (dialog)));
  if (g_find_program_in_path ("swtpm") == NULL)
    {
      g_assert_nonnull (strstr (hangar_add_hardware_dialog_get_status (HANGAR_ADD_HARDWARE_DIALOG (dialog)),
                                "swtpm"));
      g_assert_false (gtk_widget_is_sensitive (named (dialog, "hardware-add")));
      g_free (hangar_test_screenshot (dialog, "hardware-dialog-tpm.png"));
    }
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Remove Hardware on the NIC's section, confirmed. */
  g_assert_true (hangar_details_view_select_section (view, section));
  button = g_strdup_printf ("%s-remove", section);
  g_signal_emit_by_name (named (GTK_WIDGET (view), button), "clicked");
  dialog = toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_free (hangar_test_screenshot (dialog, "hardware-remove-confirm.png"));
  g_signal_connect (view, "applied", G_CALLBACK (on_applied), &done);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  g_assert_true (hangar_test_wait (flag_set, &done, 60000));
  g_assert_true (hangar_test_wait (view_idle, view, 60000));
  g_assert_null (details_xpath (name, FALSE, "string(/domain/devices/interface/mac/@address)"));
  args[2] = GINT_TO_POINTER (1);
  g_assert_true (hangar_test_wait (has_section, args, 30000));
  g_free (hangar_test_screenshot (GTK_WIDGET (window), "hardware-removed.png"));
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

  g_test_add_func ("/hangar/details/hardware-dialog/add-and-remove", test_add_and_remove);

  status = g_test_run ();
  hangar_connection_close (connection);
  g_clear_object (&connection);
  details_cleanup ();
  return status;
}
