/* test-details-view.c — the details view on real guests (snapshots:
 * test-details-snapshots.c).
 *
 * Each section's form is changed through its widgets, applied with the
 * view's Apply action, and the result read back with `virsh dumpxml`.
 * Screenshots of each section go to $HANGAR_TEST_LOGDIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <adwaita.h>
#include <libvirt/virterror.h>

#include "details-view-test-util.h"

static HangarConnection *connection;

static void
test_sections (void)
{
  g_autofree char *image = details_make_qcow2 (DETAILS_PREFIX "view");
  g_autofree char *devices = g_strdup_printf (
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
      "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
      "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>"
      "<interface type='user'><mac address='52:54:00:aa:bb:03'/><model type='virtio'/></interface>",
      image);
  g_autofree char *name = details_define_guest ("view", NULL, devices);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  HangarDetailsView *view = HANGAR_DETAILS_VIEW (hangar_details_view_new (vm));
  GtkWindow *window = window_with (GTK_WIDGET (view));
  GtkWidget *root = GTK_WIDGET (view);
  g_auto(GStrv) sections = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  wait_idle (view);
  sections = hangar_details_view_list_sections (view);
  {
    /* libvirt adds controllers and PS/2 input of its own: those are
     * test_devices' business. */
    g_autoptr(GStrvBuilder) mine = g_strv_builder_new ();
    g_auto(GStrv) list = NULL;
    g_autofree char *joined = NULL;

    for (guint i = 0; sections[i]; i++)
      if (!g_str_has_prefix (sections[i], "dev-"))
        g_strv_builder_add (mine, sections[i]);
    list = g_strv_builder_end (mine);
    joined = g_strjoinv (" ", list);
    g_assert_cmpstr (joined, ==, "overview performance cpu memory boot disk-vda disk-sda "
                                 "nic-52:54:00:aa:bb:03 xml snapshots");
  }

  /* Overview: Apply follows the form; Revert restores it. */
  shoot (view, "overview");
  g_assert_false (gtk_widget_is_sensitive (named (root, "details-apply")));
  g_assert_false (gtk_widget_get_visible (named (root, "edited-overview")));
  gtk_editable_set_text (GTK_EDITABLE (named (root, "overview-title")), "From the form");
  g_assert_true (gtk_widget_is_sensitive (named (root, "details-apply")));
  g_assert_true (hangar_details_view_has_unapplied_changes (view));
  g_assert_true (gtk_widget_get_visible (named (root, "edited-overview")));
  /* Edits stay with their section while another is shown. */
  g_assert_true (hangar_details_view_select_section (view, "memory"));
  g_assert_false (gtk_widget_is_sensitive (named (root, "details-apply")));
  g_assert_true (gtk_widget_get_visible (named (root, "edited-overview")));
  g_assert_true (hangar_details_view_select_section (view, "overview"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (root, "overview-title"))), ==,
                   "From the form");
  g_signal_emit_by_name (named (root, "details-revert"), "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (root, "overview-title"))), ==, "");
  g_assert_false (gtk_widget_is_sensitive (named (root, "details-apply")));
  g_assert_false (hangar_details_view_has_unapplied_changes (view));

  gtk_editable_set_text (GTK_EDITABLE (named (root, "overview-title")), "From the form");
  gtk_switch_set_active (GTK_SWITCH (named (root, "overview-autostart")), TRUE);
  press_apply (view);
  g_assert_false (hangar_details_view_get_status_is_error (view));
  assert_xpath (name, FALSE, "/domain/title", "From the form");
  g_assert_false (gtk_widget_is_sensitive (named (root, "details-apply")));
  gtk_switch_set_active (GTK_SWITCH (named (root, "overview-autostart")), FALSE);
  press_apply (view);
  shoot (view, "overview");

  /* CPUs */
  g_assert_true (hangar_details_view_select_section (view, "cpu"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (root, "cpu-maximum")), 4);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (named (root, "cpu-topology")), TRUE);
  press_revert (view);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (named (root, "cpu-maximum"))),
                   ==, 1);
  g_assert_false (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (named (root, "cpu-topology"))));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (root, "cpu-maximum")), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (root, "cpu-current")), 2);
  press_apply (view);
  assert_xpath (name, FALSE, "/domain/vcpu", "2");
  assert_xpath (name, FALSE, "/domain/vcpu/@current", NULL);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (named (root, "cpu-maximum"))),
                   ==, 2);
  shoot (view, "cpu");

  /* Memory */
  g_assert_true (hangar_details_view_select_section (view, "memory"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (root, "memory-current")), 64);
  press_revert (view);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (named (root, "memory-current"))),
                   ==, 128);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (root, "memory-current")), 96);
  press_apply (view);
  assert_xpath (name, FALSE, "/domain/currentMemory", "98304");
  assert_xpath (name, FALSE, "/domain/memory", "131072");
  shoot (view, "memory");

  /* Boot: CD first, then the disk, with the menu. */
  g_assert_true (hangar_details_view_select_section (view, "boot"));
  gtk_editable_set_text (GTK_EDITABLE (named (root, "boot-kernel")), "/boot/vmlinuz");
  press_revert (view);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (root, "boot-kernel"))), ==, "");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (root, "boot-cdrom")), TRUE);
  g_signal_emit_by_name (named (root, "boot-up-cdrom"), "clicked");
  gtk_switch_set_active (GTK_SWITCH (named (root, "boot-menu")), TRUE);
  press_apply (view);
  assert_xpath (name, FALSE, "/domain/os/boot[1]/@dev", "cdrom");
  assert_xpath (name, FALSE, "/domain/os/boot[2]/@dev", "hd");
  assert_xpath (name, FALSE, "/domain/os/bootmenu/@enable", "yes");
  shoot (view, "boot");

  /* Disk: the cache mode. */
  g_assert_true (hangar_details_view_select_section (view, "disk-vda"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (root, "disk-vda-bus")), 1);
  press_revert (view);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (named (root, "disk-vda-bus"))), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (root, "disk-vda-cache")), 2);
  press_apply (view);
  assert_xpath (name, FALSE, "/domain/devices/disk[target/@dev='vda']/driver/@cache", "writeback");
  shoot (view, "disk-vda");
  shoot (view, "disk-sda");

  /* NIC: link down. */
  g_assert_true (hangar_details_view_select_section (view, "nic-52:54:00:aa:bb:03"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (root, "nic-52:54:00:aa:bb:03-model")), 1);
  press_revert (view);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (named (root, "nic-52:54:00:aa:bb:03-model"))),
                    ==, 0);
  gtk_switch_set_active (GTK_SWITCH (named (root, "nic-52:54:00:aa:bb:03-link")), FALSE);
  press_apply (view);
  assert_xpath (name, FALSE, "/domain/devices/interface/link/@state", "down");
  /* From user networking to the host's "default" network, from its menu. */
  g_assert_true (gtk_widget_get_visible (named (root, "nic-52:54:00:aa:bb:03-networks")));
  g_assert_true (gtk_widget_activate_action (root, "details.pick-network", "(ss)",
                                             "nic-52:54:00:aa:bb:03", "default"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (root, "nic-52:54:00:aa:bb:03-source"))),
                   ==, "default");
  press_apply (view);
  assert_xpath (name, FALSE, "/domain/devices/interface/@type", "network");
  assert_xpath (name, FALSE, "/domain/devices/interface/source/@network", "default");
  assert_xpath (name, FALSE, "/domain/devices/interface/mac/@address", "52:54:00:aa:bb:03");
  shoot (view, "nic-52:54:00:aa:bb:03");

  /* XML: libvirt's error shown, nothing changed; Revert restores the text. */
  g_assert_true (details_virsh (&before, "dumpxml --inactive %s", name));
  g_assert_true (hangar_details_view_select_section (view, "xml"));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (named (root, "xml-editor")));
  gtk_text_buffer_get_start_iter (buffer, &iter);
  {
    GtkTextIter match_start, match_end;

    g_assert_true (gtk_text_iter_forward_search (&iter, "</devices>", 0, &match_start,
                                                 &match_end, NULL));
    gtk_text_buffer_insert (buffer, &match_start, "<frobnicator/>", -1);
  }
  press_apply (view);
  g_assert_true (hangar_details_view_get_status_is_error (view));
  g_assert_nonnull (strstr (hangar_details_view_get_status (view), "schema"));
  g_assert_true (details_virsh (&after, "dumpxml --inactive %s", name));
  g_assert_cmpstr (before, ==, after);
  g_assert_true (hangar_details_view_has_unapplied_changes (view));
  shoot (view, "xml");
  g_signal_emit_by_name (named (root, "details-revert"), "clicked");
  g_assert_false (hangar_details_view_has_unapplied_changes (view));

  shoot (view, "snapshots");

  /* Renamed while shut off: same UUID, new name. */
  {
    g_autofree char *new_name = g_strdup_printf ("%s-renamed", name);

    g_ptr_array_add (details_guests, g_strdup (new_name));
    g_assert_true (hangar_details_view_select_section (view, "overview"));
    gtk_editable_set_text (GTK_EDITABLE (named (root, "overview-name")), new_name);
    press_apply (view);
    g_assert_false (hangar_details_view_get_status_is_error (view));
    assert_xpath (new_name, FALSE, "/domain/uuid", hangar_vm_get_uuid (vm));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (root, "overview-name"))), ==,
                     new_name);
  }

  destroy_and_check (window, view);
}

static gboolean
no_remove_dialog (gpointer data)
{
  return find_dialog ("details-remove-dialog") == NULL;
}

/* Removes a device through its section's button and the confirmation. */
static void
remove_through_dialog (HangarDetailsView *view,
                       const char        *id)
{
  g_autofree char *button = g_strdup_printf ("%s-remove", id);
  gboolean done = FALSE;
  gulong handler;
  GtkWidget *dialog;

  g_assert_true (hangar_details_view_select_section (view, id));
  g_signal_emit_by_name (named (GTK_WIDGET (view), button), "clicked");
  dialog = find_dialog ("details-remove-dialog");
  g_assert_nonnull (dialog);
  handler = g_signal_connect (view, "applied", G_CALLBACK (on_applied), &done);
  /* What the button does: answer, then close. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  gtk_window_close (GTK_WINDOW (dialog));
  if (!hangar_test_wait (applied_cb, &done, 60000))
    g_error ("removing %s: %s", id, hangar_details_view_get_status (view));
  g_signal_handler_disconnect (view, handler);
  g_assert_true (hangar_test_wait (no_remove_dialog, NULL, 10000));
  wait_idle (view);
}

static gboolean
xml_dialog_gone (gpointer data)
{
  return find_dialog ("details-xml-changed-dialog") == NULL;
}

static gboolean
view_clean (gpointer data)
{
  return view_idle (data) && !hangar_details_view_has_unapplied_changes (data);
}

/* Types @text into the XML editor just before </devices>. */
static void
type_into_xml (HangarDetailsView *view,
               const char        *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter, match_start, match_end;

  g_assert_true (hangar_details_view_select_section (view, "xml"));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (named (GTK_WIDGET (view), "xml-editor")));
  gtk_text_buffer_get_start_iter (buffer, &iter);
  g_assert_true (gtk_text_iter_forward_search (&iter, "</devices>", 0, &match_start, &match_end,
                                               NULL));
  gtk_text_buffer_insert (buffer, &match_start, text, -1);
  g_assert_true (hangar_details_view_has_unapplied_changes (view));
}

/* Applies the XML over a definition that changed meanwhile: refused, and
 * the dialog asks; answers it with @response. */
static void
apply_stale_xml (HangarDetailsView *view,
                 const char        *response)
{
  GtkWidget *dialog;

  wait_idle (view);
  press_apply (view);
  g_assert_true (hangar_details_view_get_status_is_error (view));
  dialog = find_dialog ("details-xml-changed-dialog");
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (hangar_test_wait (xml_dialog_gone, NULL, 10000));
}

/* M5: the XML editor does not revert what changed since it was filled. */
static void
test_xml_stale (void)
{
  g_autofree char *name = details_define_guest ("xml-stale", NULL, NULL);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  HangarDetailsView *view = HANGAR_DETAILS_VIEW (hangar_details_view_new (vm));
  GtkWindow *window = window_with (GTK_WIDGET (view));
  gboolean done = FALSE;
  gulong handler;

  wait_idle (view);
  type_into_xml (view, "<watchdog model='i6300esb' action='reset'/>");
  /* Meanwhile, virsh raises the memory. */
  g_assert_true (details_virsh (NULL, "setmaxmem %s 256M --config", name));

  /* Reload: the edit goes, the other change stays, the editor shows it. */
  apply_stale_xml (view, "reload");
  g_assert_true (hangar_test_wait (view_clean, view, 60000));
  assert_xpath (name, FALSE, "/domain/memory", "262144");
  assert_xpath (name, FALSE, "/domain/devices/watchdog/@model", NULL);
  {
    g_autofree char *now = NULL;
    g_autofree char *shown = g_strdup (hangar_vm_config_get_xml (
                                         hangar_details_view_get_config (view)));

    g_assert_true (details_virsh (&now, "dumpxml --inactive %s", name));
    g_assert_cmpstr (g_strstrip (now), ==, g_strstrip (shown));
  }

  /* Overwrite: the edit wins, as asked. */
  type_into_xml (view, "<watchdog model='i6300esb' action='reset'/>");
  g_assert_true (details_virsh (NULL, "setmaxmem %s 200M --config", name));
  handler = g_signal_connect (view, "applied", G_CALLBACK (on_applied), &done);
  apply_stale_xml (view, "overwrite");
  g_assert_true (hangar_test_wait (applied_cb, &done, 60000));
  g_signal_handler_disconnect (view, handler);
  wait_idle (view);
  g_test_message ("overwrite: %s", hangar_details_view_get_status (view));
  g_assert_false (hangar_details_view_get_status_is_error (view));
  assert_xpath (name, FALSE, "/domain/devices/watchdog/@model", "i6300esb");
  assert_xpath (name, FALSE, "/domain/memory", "262144");

  destroy_and_check (window, view);
}

static gboolean
has_section (HangarDetailsView *view,
             const char        *id)
{
  g_auto(GStrv) sections = hangar_details_view_list_sections (view);

  return g_strv_contains ((const char * const *) sections, id);
}

/* Displays, video, sound and watchdogs change through their forms; every
 * other kind is shown, and goes with Remove Hardware. */
static void
test_devices (void)
{
  g_autofree char *name = details_define_guest ("devices", NULL,
      "<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>"
      "<listen type='address' address='127.0.0.1'/></graphics>"
      "<video><model type='vga' vram='16384' heads='1'/></video>"
      "<sound model='ich6'/>"
      "<watchdog model='i6300esb' action='reset'/>"
      "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"
      "<serial type='pty'><target port='0'/></serial>"
      "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
      "<filesystem type='mount' accessmode='mapped'><source dir='/tmp'/>"
      "<target dir='hangarshare'/></filesystem>"
      "<input type='tablet' bus='usb'/>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  HangarDetailsView *view = HANGAR_DETAILS_VIEW (hangar_details_view_new (vm));
  GtkWindow *window = window_with (GTK_WIDGET (view));
  GtkWidget *root = GTK_WIDGET (view);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *expected[] = { "dev-graphics-0", "dev-video-0", "dev-sound-0", "dev-watchdog-0",
                             "dev-rng-0", "dev-serial-0", "dev-console-0", "dev-channel-0",
                             "dev-filesystem-0", "dev-input-0", NULL };

  wait_idle (view);
  for (guint i = 0; expected[i]; i++)
    if (!has_section (view, expected[i]))
      g_error ("no section %s", expected[i]);
  /* The PCI root is libvirt's plumbing, not a device to show. */
  {
    g_autoptr(GPtrArray) devices = hangar_vm_config_get_devices (hangar_details_view_get_config (view));

    g_assert_cmpuint (devices->len, >=, G_N_ELEMENTS (expected) - 1);
    for (guint i = 0; i < devices->len; i++)
      {
        HangarDeviceSettings *device = g_ptr_array_index (devices, i);

        g_assert_false (g_str_has_prefix (device->title, "Controller PCI"));
        g_assert_nonnull (strstr (device->xml, "<"));
      }
  }

  /* Display: address, port and password; a bad port changes nothing. */
  g_assert_true (hangar_details_view_select_section (view, "dev-graphics-0"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (root, "dev-graphics-0-listen"))),
                   ==, "127.0.0.1");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (root, "dev-graphics-0-port"))),
                   ==, "");
  gtk_editable_set_text (GTK_EDITABLE (named (root, "dev-graphics-0-port")), "12");
  g_assert_true (details_virsh (&before, "dumpxml --inactive %s", name));
  press_apply (view);
  g_assert_true (hangar_details_view_get_status_is_error (view));
  g_assert_nonnull (strstr (hangar_details_view_get_status (view), "5900"));
  g_assert_true (details_virsh (&after, "dumpxml --inactive %s", name));
  g_assert_cmpstr (before, ==, after);
  press_revert (view);
  gtk_editable_set_text (GTK_EDITABLE (named (root, "dev-graphics-0-listen")), "0.0.0.0");
  gtk_editable_set_text (GTK_EDITABLE (named (root, "dev-graphics-0-port")), "5977");
  gtk_editable_set_text (GTK_EDITABLE (named (root, "dev-graphics-0-password")), "s3cret");
  press_apply (view);
  g_assert_false (hangar_details_view_get_status_is_error (view));
  assert_xpath (name, FALSE, "/domain/devices/graphics/@port", "5977");
  assert_xpath (name, FALSE, "/domain/devices/graphics/@autoport", "no");
  assert_xpath (name, FALSE, "/domain/devices/graphics/@listen", "0.0.0.0");
  {
    g_autofree char *secure = NULL;

    g_assert_true (details_virsh (&secure, "dumpxml --inactive --security-info %s", name));
    g_assert_nonnull (strstr (secure, "passwd='s3cret'"));
  }
  g_assert_false (hangar_details_view_has_unapplied_changes (view));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (root, "dev-graphics-0-port"))),
                   ==, "5977");
  shoot (view, "dev-graphics-0");

  /* Video, sound, watchdog: models and action. */
  g_assert_true (hangar_details_view_select_section (view, "dev-video-0"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (root, "dev-video-0-model")), 0);
  press_apply (view);
  assert_xpath (name, FALSE, "/domain/devices/video/model/@type", "virtio");
  /* Retitled: the section follows the device. */
  g_assert_true (has_section (view, "dev-video-0"));
  shoot (view, "dev-video-0");

  g_assert_true (hangar_details_view_select_section (view, "dev-sound-0"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (root, "dev-sound-0-model")), 0);
  press_apply (view);
  assert_xpath (name, FALSE, "/domain/devices/sound/@model", "ich9");
  shoot (view, "dev-sound-0");

  g_assert_true (hangar_details_view_select_section (view, "dev-watchdog-0"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (named (root, "dev-watchdog-0-action")), 2);
  press_apply (view);
  assert_xpath (name, FALSE, "/domain/devices/watchdog/@action", "poweroff");
  assert_xpath (name, FALSE, "/domain/devices/watchdog/@model", "i6300esb");
  shoot (view, "dev-watchdog-0");

  /* Shown, then removed with confirmation. */
  shoot (view, "dev-filesystem-0");
  shoot (view, "dev-channel-0");
  remove_through_dialog (view, "dev-rng-0");
  assert_xpath (name, FALSE, "count(/domain/devices/rng)", "0");
  g_assert_false (has_section (view, "dev-rng-0"));
  remove_through_dialog (view, "dev-filesystem-0");
  assert_xpath (name, FALSE, "count(/domain/devices/filesystem)", "0");
  g_assert_false (has_section (view, "dev-filesystem-0"));

  destroy_and_check (window, view);
}

static gboolean
name_editable (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

/* A running diskless guest: what changes live says so, what cannot says
 * it waits for a restart, and the live XML shows it. */
static void
test_running (void)
{
  g_autofree char *iso = g_strdup_printf (IMAGES_DIR "/" DETAILS_PREFIX "view-media-%d.iso",
                                          (int) getpid ());
  g_autofree char *name = details_define_guest ("running", "<vcpu current='1'>2</vcpu>",
      "<interface type='user'><mac address='52:54:00:aa:bb:04'/><model type='e1000'/></interface>"
      "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>"
      "<memballoon model='virtio'/>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  HangarDetailsView *view = NULL;
  GtkWindow *window;
  GtkWidget *root;

  g_assert_true (g_file_set_contents (iso, "not really an ISO", -1, NULL));
  g_ptr_array_add (details_files, g_strdup (iso));
  g_assert_true (details_virsh (NULL, "start %s", name));

  view = HANGAR_DETAILS_VIEW (hangar_details_view_new (vm));
  window = window_with (GTK_WIDGET (view));
  root = GTK_WIDGET (view);
  wait_idle (view);
  g_assert_true (hangar_vm_config_is_active (hangar_details_view_get_config (view)));
  g_assert_false (gtk_widget_get_sensitive (named (root, "overview-name")));

  /* vCPUs up to the maximum: live. */
  g_assert_true (hangar_details_view_select_section (view, "cpu"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (root, "cpu-current")), 2);
  press_apply (view);
  g_assert_cmpstr (hangar_details_view_get_status (view), ==,
                   "Saved, and applied to the running machine.");
  assert_xpath (name, TRUE, "count(/domain/vcpus/vcpu[@enabled='yes'])", "2");
  assert_xpath (name, FALSE, "/domain/vcpu/@current", NULL);

  /* Beyond it: after a restart. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (root, "cpu-maximum")), 3);
  press_apply (view);
  g_assert_true (g_str_has_prefix (hangar_details_view_get_status (view),
                                   "Saved. The change applies after the machine restarts."));
  assert_xpath (name, FALSE, "/domain/vcpu", "3");
  assert_xpath (name, TRUE, "/domain/vcpu", "2");
  shoot_as (view, "cpu", "-running");

  /* Link down and up again, live. */
  g_assert_true (hangar_details_view_select_section (view, "nic-52:54:00:aa:bb:04"));
  gtk_switch_set_active (GTK_SWITCH (named (root, "nic-52:54:00:aa:bb:04-link")), FALSE);
  press_apply (view);
  assert_xpath (name, TRUE, "/domain/devices/interface/link/@state", "down");
  gtk_switch_set_active (GTK_SWITCH (named (root, "nic-52:54:00:aa:bb:04-link")), TRUE);
  press_apply (view);
  assert_xpath (name, TRUE, "/domain/devices/interface/link/@state", "up");
  assert_xpath (name, FALSE, "/domain/devices/interface/link/@state", "up");

  /* A medium in, then the Eject button. */
  g_assert_true (hangar_details_view_select_section (view, "disk-sda"));
  gtk_editable_set_text (GTK_EDITABLE (named (root, "disk-sda-path")), iso);
  press_apply (view);
  g_assert_cmpstr (hangar_details_view_get_status (view), ==,
                   "Saved, and applied to the running machine.");
  assert_xpath (name, TRUE, "/domain/devices/disk/source/@file", iso);
  shoot_as (view, "disk-sda", "-running");
  g_signal_emit_by_name (named (root, "disk-sda-eject"), "clicked");
  press_apply (view);
  assert_xpath (name, TRUE, "/domain/devices/disk/source/@file", NULL);
  assert_xpath (name, FALSE, "/domain/devices/disk/source/@file", NULL);

  /* The balloon. */
  g_assert_true (hangar_details_view_select_section (view, "memory"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (root, "memory-current")), 96);
  press_apply (view);
  g_assert_cmpstr (hangar_details_view_get_status (view), ==,
                   "Saved, and applied to the running machine.");
  assert_xpath (name, FALSE, "/domain/currentMemory", "98304");

  /* Stopped under the view: it reads again, and the name can change. */
  g_assert_true (details_virsh (NULL, "destroy %s", name));
  g_assert_true (hangar_test_wait (name_editable, named (root, "overview-name"), 30000));
  wait_idle (view);
  g_assert_false (hangar_vm_config_is_active (hangar_details_view_get_config (view)));

  destroy_and_check (window, view);
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

  g_test_add_func ("/hangar/details/view/sections", test_sections);
  g_test_add_func ("/hangar/details/view/devices", test_devices);
  g_test_add_func ("/hangar/details/view/xml-stale", test_xml_stale);
  g_test_add_func ("/hangar/details/view/running", test_running);

  status = g_test_run ();
  hangar_connection_close (connection);
  g_clear_object (&connection);
  details_cleanup ();
  return status;
}
