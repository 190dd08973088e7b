/* test-details-snapshots.c — the snapshots view on real guests: create,
 * revert (and the second question before a forced revert), delete, and
 * what a machine that cannot have snapshots says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <adwaita.h>
#include <libvirt/virterror.h>

#include "details-view-test-util.h"
#include "hangar-snapshots-view.h"

static HangarConnection *connection;

static gboolean
snapshots_idle (gpointer data)
{
  return hangar_snapshots_view_get_list (data) != NULL && !hangar_snapshots_view_is_busy (data);
}

typedef struct
{
  HangarSnapshotsView *view;
  guint                count;
} CountWait;

static gboolean
snapshots_count (gpointer data)
{
  CountWait *wait = data;

  return snapshots_idle (wait->view)
         && hangar_snapshots_view_get_list (wait->view)->snapshots->len == wait->count;
}

static void
wait_count (HangarSnapshotsView *view,
            guint                count)
{
  CountWait wait = { view, count };

  if (!hangar_test_wait (snapshots_count, &wait, 120000))
    g_error ("expected %u snapshots; status: %s", count, hangar_snapshots_view_get_status (view));
}

static void
respond (const char *response)
{
  GtkWidget *dialog = NULL;

  for (guint i = 0; dialog == NULL && i < 200; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      dialog = hangar_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
      if (dialog == NULL)
        g_usleep (10000);
    }
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
is_state (gpointer data)
{
  g_autofree char *state = NULL;
  const char *name = ((const char **) data)[0];
  const char *want = ((const char **) data)[1];

  details_virsh (&state, "domstate %s", name);
  return state && g_str_has_prefix (state, want);
}

static void
test_snapshots (void)
{
  g_autofree char *image = details_make_qcow2 (DETAILS_PREFIX "snap");
  g_autofree char *devices = g_strdup_printf (
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
      "<source file='%s'/><target dev='vda' bus='virtio'/></disk>", image);
  g_autofree char *name = details_define_guest ("snap", NULL, devices);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  HangarSnapshotsView *view = HANGAR_SNAPSHOTS_VIEW (hangar_snapshots_view_new (vm));
  GtkWindow *window = window_with (GTK_WIDGET (view));
  GtkWidget *root = GTK_WIDGET (view);
  g_autofree char *list = NULL;
  g_autofree char *shot = NULL;
  HangarSnapshotInfo *info;
  const char *off[] = { name, "shut off" };
  const char *running[] = { name, "running" };

  wait_count (view, 0);
  g_assert_null (hangar_snapshots_view_get_list (view)->unsupported);
  g_assert_false (gtk_widget_is_sensitive (named (root, "snapshot-create")));

  /* Taken shut off, through the form. */
  gtk_editable_set_text (GTK_EDITABLE (named (root, "snapshot-name")), "first");
  gtk_editable_set_text (GTK_EDITABLE (named (root, "snapshot-description")), "Before anything");
  g_assert_true (gtk_widget_is_sensitive (named (root, "snapshot-create")));
  g_signal_emit_by_name (named (root, "snapshot-create"), "clicked");
  wait_count (view, 1);
  info = g_ptr_array_index (hangar_snapshots_view_get_list (view)->snapshots, 0);
  g_assert_cmpstr (info->name, ==, "first");
  g_assert_cmpstr (info->description, ==, "Before anything");
  g_assert_cmpstr (info->state, ==, "shutoff");
  g_assert_cmpint (info->creation_time, >, 0);

  /* Taken running: with memory. */
  g_assert_true (details_virsh (NULL, "start %s", name));
  gtk_editable_set_text (GTK_EDITABLE (named (root, "snapshot-name")), "running");
  g_signal_emit_by_name (named (root, "snapshot-create"), "clicked");
  wait_count (view, 2);
  info = g_ptr_array_index (hangar_snapshots_view_get_list (view)->snapshots, 1);
  g_assert_cmpstr (info->name, ==, "running");
  g_assert_cmpstr (info->state, ==, "running");
  g_assert_true (info->has_memory);
  g_assert_cmpstr (info->parent, ==, "first");
  g_assert_true (details_virsh (&list, "snapshot-list --name %s", name));
  g_assert_nonnull (strstr (list, "first"));
  g_assert_nonnull (strstr (list, "running"));
  shot = hangar_test_screenshot (GTK_WIDGET (window), "details-snapshots-list.png");

  /* Revert to the shut-off one, confirmed: the machine follows it. */
  hangar_snapshots_view_ask_revert (view, "first");
  respond ("revert");
  g_assert_true (hangar_test_wait (is_state, off, 60000));
  wait_count (view, 2);
  g_assert_cmpstr (hangar_snapshots_view_get_status (view), ==, "Reverted to the snapshot.");

  /* And forward to the running one: it runs again, from its memory. */
  hangar_snapshots_view_ask_revert (view, "running");
  respond ("revert");
  g_assert_true (hangar_test_wait (is_state, running, 60000));
  wait_count (view, 2);
  g_assert_cmpstr (hangar_snapshots_view_get_status (view), ==, "Reverted to the snapshot.");

  /* Delete, confirmed. */
  hangar_snapshots_view_ask_delete (view, "running");
  respond ("delete");
  wait_count (view, 1);
  g_clear_pointer (&list, g_free);
  g_assert_true (details_virsh (&list, "snapshot-list --name %s", name));
  g_assert_null (strstr (list, "running"));

  /* Cancel deletes nothing. */
  hangar_snapshots_view_ask_delete (view, "first");
  respond ("cancel");
  wait_count (view, 1);

  destroy_and_check (window, view);
}

static gboolean
risky_dialog_shown (gpointer data)
{
  return find_dialog ("snapshot-revert-risky-dialog") != NULL;
}

static gboolean
status_is (gpointer data)
{
  HangarSnapshotsView *view = ((gpointer *) data)[0];

  return g_strcmp0 (hangar_snapshots_view_get_status (view), ((gpointer *) data)[1]) == 0;
}

/* Reverts to "risky" and answers the second question with @answer. */
static void
revert_risky (HangarSnapshotsView *view,
              const char          *answer)
{
  GtkWidget *dialog;

  hangar_snapshots_view_ask_revert (view, "risky");
  respond ("revert");
  if (!hangar_test_wait (risky_dialog_shown, NULL, 30000))
    g_error ("no second question; status: %s", hangar_snapshots_view_get_status (view));
  dialog = find_dialog ("snapshot-revert-risky-dialog");
  g_test_message ("asked: %s", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "the test's reason"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), answer);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* L6: a revert libvirt calls risky is not forced on the first yes; its
 * reason is shown and asked about. libvirt 9.0 calls a revert risky only
 * for flags Hangar does not pass, so the test hook HANGAR_TEST_SNAPSHOT_RISKY
 * stands in for it (unforced reverts fail with VIR_ERR_SNAPSHOT_REVERT_RISKY);
 * the forced one is libvirt's test driver's real revert. */
static void
test_snapshots_risky (void)
{
  g_autoptr(HangarConnection) test_conn = hangar_connection_new ("test:///default");
  g_autoptr(HangarVm) vm = NULL;
  virConnectPtr conn;
  virDomainPtr dom;
  virDomainSnapshotPtr snap;
  const char *snap_xml = "<domainsnapshot><name>risky</name></domainsnapshot>";
  HangarSnapshotsView *view;
  GtkWindow *window;
  gpointer cancelled[2], reverted[2];

  hangar_connection_open (test_conn);
  g_assert_true (hangar_test_wait (details_connected, test_conn, 30000));
  vm = details_wait_vm (test_conn, "test");

  /* The same driver state, for what the test does behind Hangar's back. */
  conn = virConnectOpen ("test:///default");
  g_assert_nonnull (conn);
  dom = virDomainLookupByName (conn, "test");
  g_assert_nonnull (dom);
  g_assert_cmpint (virDomainIsActive (dom), ==, 1);
  snap = virDomainSnapshotCreateXML (dom, snap_xml, 0);
  if (snap == NULL)
    g_error ("snapshot: %s", virGetLastErrorMessage ());
  g_assert_nonnull (snap);
  virDomainSnapshotFree (snap);

  view = HANGAR_SNAPSHOTS_VIEW (hangar_snapshots_view_new (vm));
  window = window_with (GTK_WIDGET (view));
  wait_count (view, 1);

  g_setenv ("HANGAR_TEST_SNAPSHOT_RISKY", "the test's reason", TRUE);

  /* Cancel at the second question: nothing forced, the machine as it was. */
  revert_risky (view, "cancel");
  cancelled[0] = view;
  cancelled[1] = (gpointer) "Reverted to the snapshot.";
  g_assert_false (status_is (cancelled));
  g_assert_cmpint (virDomainIsActive (dom), ==, 1);

  /* Force Revert: the snapshot's machine it is. */
  revert_risky (view, "force");
  reverted[0] = view;
  reverted[1] = (gpointer) "Reverted to the snapshot.";
  g_assert_true (hangar_test_wait (status_is, reverted, 30000));
  g_unsetenv ("HANGAR_TEST_SNAPSHOT_RISKY");

  destroy_and_check (window, view);
  snap = virDomainSnapshotLookupByName (dom, "risky", 0);
  if (snap != NULL)
    {
      virDomainSnapshotDelete (snap, VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY);
      virDomainSnapshotFree (snap);
    }
  virDomainFree (dom);
  virConnectClose (conn);
  hangar_connection_close (test_conn);
}

static void
test_snapshots_unsupported (void)
{
  g_autofree char *name = details_define_guest ("nosnap", NULL, NULL);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  HangarSnapshotsView *view = HANGAR_SNAPSHOTS_VIEW (hangar_snapshots_view_new (vm));
  GtkWindow *window = window_with (GTK_WIDGET (view));
  g_autofree char *shot = NULL;
  g_autofree char *raw = NULL;

  wait_count (view, 0);
  g_assert_cmpstr (hangar_snapshots_view_get_list (view)->unsupported, ==,
                   "This machine has no writable disk to keep snapshots in.");
  gtk_editable_set_text (GTK_EDITABLE (named (GTK_WIDGET (view), "snapshot-name")), "nope");
  g_assert_false (gtk_widget_is_sensitive (named (GTK_WIDGET (view), "snapshot-create")));
  shot = hangar_test_screenshot (GTK_WIDGET (window), "details-snapshots-unsupported.png");
  gtk_window_destroy (window);

  /* The pure check, on raw disks and UEFI. */
  raw = hangar_snapshots_check_xml ("<domain><os><type>hvm</type></os><devices>"
                                    "<disk type='file' device='disk'><driver type='raw'/>"
                                    "<source file='/x.img'/><target dev='vda'/></disk>"
                                    "</devices></domain>");
  g_assert_cmpstr (raw, ==, "Disk vda is in raw format: internal snapshots need qcow2 disks.");
  g_free (raw);
  raw = hangar_snapshots_check_xml ("<domain><os firmware='efi'><type>hvm</type></os>"
                                    "<devices/></domain>");
  g_assert_nonnull (strstr (raw, "UEFI"));
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

  g_test_add_func ("/hangar/details/view/snapshots", test_snapshots);
  g_test_add_func ("/hangar/details/view/snapshots-unsupported", test_snapshots_unsupported);
  g_test_add_func ("/hangar/details/view/snapshots-risky", test_snapshots_risky);

  status = g_test_run ();
  hangar_connection_close (connection);
  g_clear_object (&connection);
  details_cleanup ();
  return status;
}
