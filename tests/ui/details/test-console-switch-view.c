/* test-console-switch-view.c — Details ▸ Display ▸ Display protocol, as a
 * user switches a running SPICE machine to VNC for its next boot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <adwaita.h>

#define DETAILS_PREFIX "hangar-d9v-"
#include "details-view-test-util.h"

static HangarConnection *connection;

static gboolean
status_has_next_boot (gpointer data)
{
  const char *status = hangar_details_view_get_status (data);

  return status != NULL && strstr (status, "next boot") != NULL && !hangar_details_view_is_busy (data);
}

static void
test_switch (void)
{
  g_autofree char *name = details_define_guest (
    "console", NULL,
    "<graphics type='spice'><listen type='none'/></graphics>"
    "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>"
    "<video><model type='vga'/></video><memballoon model='none'/>");
  g_autoptr(HangarVm) vm = NULL;
  HangarDetailsView *view;
  GtkWindow *window;
  AdwComboRow *row;
  GtkWidget *button;

  g_assert_true (details_virsh (NULL, "start %s", name));
  vm = details_wait_vm (connection, name);
  view = HANGAR_DETAILS_VIEW (hangar_details_view_new (vm));
  window = window_with (GTK_WIDGET (view));
  wait_idle (view);

  g_assert_true (hangar_details_view_select_section (view, "dev-graphics-0"));
  row = ADW_COMBO_ROW (named (GTK_WIDGET (view), "console-protocol"));
  button = named (GTK_WIDGET (view), "console-protocol-switch");
  /* SPICE now: nothing to switch to yet. */
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);
  g_assert_false (gtk_widget_is_sensitive (button));

  adw_combo_row_set_selected (row, 0);
  g_assert_true (gtk_widget_is_sensitive (button));
  shoot_as (view, "dev-graphics-0", "-console-switch");
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (hangar_test_wait (status_has_next_boot, view, 60000));
  g_test_message ("status: %s", hangar_details_view_get_status (view));
  g_assert_false (hangar_details_view_get_status_is_error (view));

  /* The definition has VNC and QEMU's clipboard agent; the running
   * machine keeps SPICE until its next boot. */
  assert_xpath (name, FALSE, "string(/domain/devices/graphics/@type)", "vnc");
  assert_xpath (name, FALSE, "count(/domain/devices/channel[@type='qemu-vdagent'])", "1");
  assert_xpath (name, FALSE, "count(/domain/devices/channel[@type='spicevmc'])", "0");
  assert_xpath (name, TRUE, "string(/domain/devices/graphics/@type)", "spice");

  /* The page, rebuilt from the new definition, offers SPICE back. */
  g_assert_true (hangar_details_view_select_section (view, "dev-graphics-0"));
  row = ADW_COMBO_ROW (named (GTK_WIDGET (view), "console-protocol"));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (named (GTK_WIDGET (view), "console-protocol-switch")));

  destroy_and_check (window, view);
  details_virsh (NULL, "destroy %s", name);
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

  g_test_add_func ("/hangar/details/console-switch/view", test_switch);

  status = g_test_run ();
  hangar_connection_close (connection);
  g_clear_object (&connection);
  details_cleanup ();
  return status;
}
