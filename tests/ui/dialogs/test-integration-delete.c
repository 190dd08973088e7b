/* test-integration-delete.c — deleting a machine leaves other machines' disks alone.
 *
 * On the real libvirtd, in a storage pool of its own, machine A has four
 * disks: one only it uses, one that machine B also uses (without
 * <shareable/>), the base image under running machine C's qcow2 overlay, and a
 * block device. Only the first may be offered checked; choosing the others
 * anyway must still keep them, with a message that says why; and B still
 * starts afterwards (TCG, SeaBIOS finds nothing to boot and keeps running).
 * B's name holds markup characters, which the dialog must show as text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "hangar-connection.h"
#include "hangar-delete-dialog.h"
#include "hangar-vm.h"
#include "hangar-test-util.h"

#define URI "qemu:///system"

/* The dialog's template lives in the app library's resources. */
GResource *hangar_get_resource (void);

typedef struct
{
  char *dir;
  char *pool;
  char *a;
  char *b;
  char *b_uuid;
  char *c;
  char *own;
  char *shared;
  char *base;
  char *overlay;
  char *block;
} Fixture;

static gboolean
virsh (char       **out,
       const char  *format,
       ...) G_GNUC_PRINTF (2, 3);

static gboolean
virsh (char       **out,
       const char  *format,
       ...)
{
  g_autofree char *args = NULL;
  va_list ap;

  va_start (ap, format);
  args = g_strdup_vprintf (format, ap);
  va_end (ap);
  return hangar_test_virsh (URI, out, "%s", args);
}

static void
define (Fixture    *f,
        const char *name,
        const char *uuid,
        const char *disks)
{
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *xml = g_strdup_printf (
    "<domain type='qemu'><name>%s</name><uuid>%s</uuid>"
    "<memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os>"
    "<devices>%s</devices></domain>",
    escaped, uuid, disks);
  g_autofree char *path = g_build_filename (f->dir, "domain.xml", NULL);

  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  g_assert_true (virsh (NULL, "define %s", path));
  g_unlink (path);
}

static char *
file_disk (const char *path,
           const char *target)
{
  return g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                          "<source file='%s'/><target dev='%s' bus='virtio'/></disk>",
                          path, target);
}

static void
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a_disks = NULL;
  g_autofree char *own = NULL, *shared = NULL, *base = NULL, *overlay = NULL;
  g_autofree char *b_disk = NULL, *c_disk = NULL;
  int pid = (int) getpid ();

  f->dir = g_dir_make_tmp ("hangar-delete-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (f->dir, 0755);
  f->pool = g_strdup_printf ("hangar-delete-%d", pid);
  f->a = g_strdup_printf ("hangar-delete-a-%d", pid);
  f->b = g_strdup_printf ("hangar-delete-b<&'>-%d", pid);
  f->b_uuid = g_strdup_printf ("6c616e67-6172-4000-8000-%012x", pid);
  f->c = g_strdup_printf ("hangar-delete-c-%d", pid);
  f->own = g_build_filename (f->dir, "own.qcow2", NULL);
  f->shared = g_build_filename (f->dir, "shared.qcow2", NULL);
  f->base = g_build_filename (f->dir, "base.qcow2", NULL);
  f->overlay = g_build_filename (f->dir, "overlay.qcow2", NULL);
  f->block = g_build_filename (f->dir, "not-a-real-lv", NULL);

  g_assert_true (virsh (NULL, "pool-create-as %s dir --target %s", f->pool, f->dir));
  g_assert_true (virsh (NULL, "vol-create-as %s own.qcow2 1M --format qcow2", f->pool));
  g_assert_true (virsh (NULL, "vol-create-as %s shared.qcow2 1M --format qcow2", f->pool));
  g_assert_true (virsh (NULL, "vol-create-as %s base.qcow2 1M --format qcow2", f->pool));
  g_assert_true (virsh (NULL, "vol-create-as %s overlay.qcow2 1M --format qcow2 "
                        "--backing-vol %s --backing-vol-format qcow2", f->pool, f->base));
  /* Never deleted: only named as a block device. */
  g_assert_true (g_file_set_contents (f->block, "", 0, NULL));

  own = file_disk (f->own, "vda");
  shared = file_disk (f->shared, "vdb");
  base = file_disk (f->base, "vdc");
  a_disks = g_strdup_printf ("%s%s%s<disk type='block' device='disk'><driver name='qemu' "
                             "type='raw'/><source dev='%s'/><target dev='vdd' bus='virtio'/>"
                             "</disk>", own, shared, base, f->block);
  define (f, f->a, "6c616e67-6172-4000-8000-0000000000a1", a_disks);
  b_disk = file_disk (f->shared, "vda");
  define (f, f->b, f->b_uuid, b_disk);
  /* Running: libvirt's live definition carries the overlay's chain down
   * to the base. (test-host-model covers a shut-off overlay.) */
  c_disk = file_disk (f->overlay, "vda");
  define (f, f->c, "6c616e67-6172-4000-8000-0000000000c1", c_disk);
  g_assert_true (virsh (NULL, "start %s", f->c));
}

static void
fixture_tear_down (Fixture *f)
{
  virsh (NULL, "destroy %s", f->b_uuid);
  virsh (NULL, "destroy %s", f->c);
  virsh (NULL, "undefine %s", f->a);
  virsh (NULL, "undefine %s", f->b_uuid);
  virsh (NULL, "undefine %s", f->c);
  virsh (NULL, "pool-destroy %s", f->pool);
  for (const char *name = "own.qcow2\0shared.qcow2\0base.qcow2\0overlay.qcow2\0not-a-real-lv\0";
       *name; name += strlen (name) + 1)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->pool);
  g_free (f->a);
  g_free (f->b);
  g_free (f->b_uuid);
  g_free (f->c);
  g_free (f->own);
  g_free (f->shared);
  g_free (f->base);
  g_free (f->overlay);
  g_free (f->block);
}

static gboolean
connected_with (gpointer data)
{
  HangarConnection *connection = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];

  return hangar_connection_get_state (connection) == HANGAR_CONNECTION_STATE_CONNECTED
         && hangar_connection_lookup_vm (connection, name) != NULL;
}

static HangarDiskInfo *
find_disk (GPtrArray  *disks,
           const char *path)
{
  for (guint i = 0; i < disks->len; i++)
    {
      HangarDiskInfo *disk = g_ptr_array_index (disks, i);

      if (g_strcmp0 (disk->path, path) == 0)
        return disk;
    }
  g_error ("%s is not among the disks", path);
  return NULL;
}

/* The subtitles of the dialog's disk rows, as shown. */
static void
collect_subtitles (GtkWidget *widget,
                   GString   *out)
{
  if (ADW_IS_ACTION_ROW (widget))
    {
      g_string_append (out, adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
      g_string_append_c (out, '\n');
      g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_subtitles (child, out);
}

static gboolean
vol_exists (Fixture    *f,
            const char *path)
{
  virsh (NULL, "pool-refresh %s", f->pool);
  return g_file_test (path, G_FILE_TEST_EXISTS) && virsh (NULL, "vol-info %s", path);
}

static void
test_delete_keeps_shared_disks (void)
{
  Fixture f = { 0 };
  g_autoptr(HangarConnection) connection = hangar_connection_new (URI);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) subtitles = g_string_new (NULL);
  g_autofree char *b_used_by = NULL;
  g_autofree char *state = NULL;
  g_auto(GStrv) selected = NULL;
  g_auto(GStrv) forced = NULL;
  GtkWidget *dialog;
  HangarVm *vm;
  gpointer wait[2];

  fixture_set_up (&f);
  hangar_connection_open (connection);
  wait[0] = connection;
  wait[1] = f.c;
  g_assert_true (hangar_test_wait (connected_with, wait, 30000));
  vm = hangar_connection_lookup_vm (connection, f.a);
  g_assert_nonnull (vm);

  hangar_vm_list_disks_async (vm, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 30000));
  disks = hangar_vm_list_disks_finish (vm, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (disks->len, ==, 4);

  g_assert_null (find_disk (disks, f.own)->used_by);
  g_assert_cmpstrv (find_disk (disks, f.shared)->used_by, ((const char *[]) { f.b, NULL }));
  g_assert_cmpstrv (find_disk (disks, f.base)->used_by, ((const char *[]) { f.c, NULL }));
  g_assert_true (find_disk (disks, f.block)->block);

  /* The dialog offers only A's own disk, and says who uses the others. */
  dialog = hangar_delete_dialog_new (NULL, vm, disks);
  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  selected = hangar_delete_dialog_get_selected_paths (HANGAR_DELETE_DIALOG (dialog));
  g_assert_cmpstrv (selected, ((const char *[]) { f.own, NULL }));
  collect_subtitles (dialog, subtitles);
  g_test_message ("subtitles:\n%s", subtitles->str);
  b_used_by = g_strdup_printf ("vdb · Used by %s\n", f.b);
  g_assert_nonnull (strstr (subtitles->str, b_used_by));
  g_assert_nonnull (strstr (subtitles->str, "vdd · block device or logical volume\n"));

  /* Chosen anyway: the delete keeps them and says why. */
  hangar_delete_dialog_set_path_selected (HANGAR_DELETE_DIALOG (dialog), f.shared, TRUE);
  hangar_delete_dialog_set_path_selected (HANGAR_DELETE_DIALOG (dialog), f.base, TRUE);
  forced = hangar_delete_dialog_get_selected_paths (HANGAR_DELETE_DIALOG (dialog));
  g_assert_cmpuint (g_strv_length (forced), ==, 3);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);

  g_clear_object (&result);
  hangar_vm_delete_async (vm, (const char * const *) forced, NULL, hangar_test_async_ready,
                          &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 30000));
  g_assert_false (hangar_vm_delete_finish (vm, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, f.shared));
  g_assert_nonnull (strstr (error->message, f.b));
  g_assert_nonnull (strstr (error->message, f.base));
  g_assert_nonnull (strstr (error->message, f.c));
  g_assert_null (strstr (error->message, f.own));

  g_assert_false (virsh (NULL, "dominfo %s", f.a));
  g_assert_false (vol_exists (&f, f.own));
  g_assert_true (vol_exists (&f, f.shared));
  g_assert_true (vol_exists (&f, f.base));

  /* B still has its disk and starts. */
  g_assert_true (virsh (NULL, "start %s", f.b_uuid));
  g_assert_true (virsh (&state, "domstate %s", f.b_uuid));
  g_assert_cmpstr (g_strstrip (state), ==, "running");

  hangar_connection_close (connection);
  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_nonnull (hangar_get_resource ());

  g_test_add_func ("/hangar/integration/delete/keeps-shared-disks",
                   test_delete_keeps_shared_disks);

  return g_test_run ();
}
