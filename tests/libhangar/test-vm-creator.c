/* test-vm-creator.c — HangarVmCreator on the real system libvirtd.
 *
 * From an ISO made here with xorriso, from a VirtualBox image converted
 * with qemu-img, and from a distribution tree served on 127.0.0.1: the
 * volume has the capacity asked for, the machine has the devices the
 * builder chose, and it runs. Failures injected at the define step and
 * real ones at the start leave nothing behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hangar-connection.h"
#include "hangar-host-info.h"
#include "hangar-os.h"
#include "hangar-vm-creator.h"
#include "hangar-test-util.h"
#include "wizard-test-util.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)

static char *tmp_dir;
static char *iso_path;
static HangarConnection *connection;
static HangarHostInfo *host;

static gboolean
is_settled (gpointer data)
{
  return hangar_connection_get_state (data) != HANGAR_CONNECTION_STATE_CONNECTING;
}

static void
setup_connection (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  connection = hangar_connection_new (WIZTEST_URI);
  hangar_connection_open (connection);
  g_assert_true (hangar_test_wait (is_settled, connection, 20000));
  g_assert_cmpint (hangar_connection_get_state (connection), ==, HANGAR_CONNECTION_STATE_CONNECTED);

  hangar_host_info_query_async (connection, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 20000));
  host = hangar_host_info_query_finish (connection, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (host->caps->arch);
  g_assert_cmpuint (host->memory_mib, >, 0);
  g_assert_cmpuint (host->cpus, >, 0);
  /* The default pool is always offered, made on demand when missing. */
  g_assert_cmpuint (host->pools->len, >, 0);
  g_assert_cmpstr (((HangarPoolInfo *) g_ptr_array_index (host->pools, 0))->name, ==, "default");
}

static HangarDomainSpec *
new_spec (const char *suffix)
{
  HangarDomainSpec *spec = hangar_domain_spec_new ();

  spec->connection_kind = host->kind;
  hangar_domain_spec_set_caps (spec, host->caps);
  spec->name = g_strdup_printf (WIZTEST_PREFIX "%s", suffix);
  spec->memory_mib = 256;
  spec->vcpus = 1;
  spec->network_mode = HANGAR_NETWORK_NONE;
  spec->disk_mode = HANGAR_DISK_NONE;
  /* Nested KVM here refuses the host's CPU model (MSR 0x10a). */
  spec->force_emulation = TRUE;
  return spec;
}

typedef struct
{
  double  last;
  guint   notifications;
  gboolean went_back;
  GPtrArray *steps;
} ProgressLog;

static void
on_progress (HangarVmCreator *creator,
             GParamSpec      *pspec,
             ProgressLog     *log)
{
  double progress = hangar_vm_creator_get_progress (creator);

  if (progress < log->last)
    log->went_back = TRUE;
  log->last = progress;
  log->notifications++;
}

static void
on_step (HangarVmCreator *creator,
         GParamSpec      *pspec,
         ProgressLog     *log)
{
  g_ptr_array_add (log->steps, g_strdup (hangar_vm_creator_get_step (creator)));
}

/* Runs the creator to its end; returns the UUID or NULL with @error. */
static char *
run_creator (const HangarDomainSpec  *spec,
             gboolean                 start,
             GCancellable            *cancellable,
             ProgressLog             *log,
             GError                 **error)
{
  g_autoptr(HangarVmCreator) creator = hangar_vm_creator_new (connection, spec);
  g_autoptr(GAsyncResult) result = NULL;
  char *uuid;

  hangar_vm_creator_set_start (creator, start);
  if (log != NULL)
    {
      log->steps = g_ptr_array_new_with_free_func (g_free);
      g_signal_connect (creator, "notify::progress", G_CALLBACK (on_progress), log);
      g_signal_connect (creator, "notify::step", G_CALLBACK (on_step), log);
    }
  hangar_vm_creator_run_async (creator, cancellable, hangar_test_async_ready, &result);
  g_assert_true (hangar_vm_creator_get_running (creator));
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 120000));
  uuid = hangar_vm_creator_run_finish (creator, result, error);
  g_assert_false (hangar_vm_creator_get_running (creator));
  g_clear_object (&result);
  /* The worker's last report may still be queued. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return uuid;
}

static void
assert_nothing_left (const char *name)
{
  g_autoptr(GPtrArray) volumes = wiztest_list_volumes ();

  g_assert_false (wiztest_domain_exists (name));
  for (guint i = 0; i < volumes->len; i++)
    g_test_message ("left behind: %s", (char *) g_ptr_array_index (volumes, i));
  g_assert_cmpuint (volumes->len, ==, 0);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    {
      g_test_message ("%s", haystack);
      g_test_message ("missing: %s", needle);
    }
  g_assert_nonnull (strstr (haystack, needle));
}

/* --- from an ISO ----------------------------------------------------------------- */

static void
test_iso (void)
{
  g_autoptr(HangarDomainSpec) spec = new_spec ("iso");
  g_autoptr(GError) error = NULL;
  g_autoptr(OsinfoOs) os = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *live = NULL;
  g_autofree char *inactive = NULL;
  g_autofree char *state = NULL;
  g_autofree char *disk_path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *net_state = NULL;
  ProgressLog log = { 0 };
  OsinfoDb *db = hangar_os_get_db (&error);

  g_assert_no_error (error);
  os = hangar_os_identify_iso (db, iso_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (os);
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (os)), ==, "debian11");

  hangar_domain_spec_set_os (spec, os);
  spec->install_method = HANGAR_INSTALL_ISO;
  spec->iso_path = g_strdup (iso_path);
  spec->disk_mode = HANGAR_DISK_NEW;
  spec->disk_capacity_gib = 1;
  spec->network_mode = HANGAR_NETWORK_VIRTUAL;
  spec->network_source = g_strdup ("default");

  uuid = run_creator (spec, TRUE, NULL, &log, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uuid);
  g_assert_false (log.went_back);
  g_assert_cmpfloat (log.last, ==, 1.0);
  g_assert_cmpuint (log.notifications, >=, 3);
  g_assert_true (g_ptr_array_find_with_equal_func (log.steps, "Creating the disk", g_str_equal,
                                                   NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (log.steps, "Starting the machine", g_str_equal,
                                                   NULL));
  g_ptr_array_unref (log.steps);

  /* Running, from the install definition; the persistent one stays. */
  state = wiztest_virsh ("domstate " WIZTEST_PREFIX "iso");
  g_assert_nonnull (state);
  g_assert_cmpstr (g_strstrip (state), ==, "running");
  live = wiztest_virsh ("dumpxml " WIZTEST_PREFIX "iso");
  inactive = wiztest_virsh ("dumpxml --inactive " WIZTEST_PREFIX "iso");
  g_assert_nonnull (live);
  g_assert_nonnull (inactive);
  expected = g_strdup_printf ("<uuid>%s</uuid>", uuid);
  assert_contains (live, expected);
  assert_contains (inactive, expected);

  /* The new disk: a qcow2 volume of exactly the size asked for. */
  disk_path = g_strdup_printf ("/var/lib/libvirt/images/" WIZTEST_PREFIX "iso.qcow2");
  g_assert_cmpuint (wiztest_volume_capacity (disk_path), ==, 1 * GIB);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("<source file='%s'", disk_path);
  assert_contains (inactive, expected);
  assert_contains (inactive, "<driver name='qemu' type='qcow2' discard='unmap'/>");
  /* Debian 11 has virtio drivers. */
  assert_contains (inactive, "bus='virtio'");
  /* The media as a CD, the install boot from it first. */
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("<source file='%s'", iso_path);
  assert_contains (inactive, expected);
  assert_contains (inactive, "device='cdrom'");
  assert_contains (live, "<boot dev='cdrom'/>");
  /* NAT network, started on demand; SPICE with no port at all (Hangar
   * opens it through libvirt); tablet. */
  assert_contains (inactive, "<interface type='network'>");
  assert_contains (inactive, "<source network='default'/>");
  assert_contains (inactive, "<model type='virtio'/>");
  assert_contains (inactive, "<graphics type='spice'");
  assert_contains (inactive, "<listen type='none'/>");
  g_assert_null (strstr (inactive, "autoport="));
  assert_contains (inactive, "<input type='tablet' bus='usb'");
  assert_contains (inactive, "<libosinfo:os id=\"http://debian.org/debian/11\"/>");
  assert_contains (inactive, "org.qemu.guest_agent.0");
  net_state = wiztest_virsh ("net-info default");
  g_assert_nonnull (net_state);
  assert_contains (net_state, "Active:         yes");

  wiztest_cleanup ();
  assert_nothing_left (WIZTEST_PREFIX "iso");
}

/* --- failures ------------------------------------------------------------------------ */

static void
test_define_fails (void)
{
  g_autoptr(HangarDomainSpec) spec = new_spec ("define-fails");
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  ProgressLog log = { 0 };

  spec->install_method = HANGAR_INSTALL_ISO;
  spec->iso_path = g_strdup (iso_path);
  spec->disk_mode = HANGAR_DISK_NEW;
  spec->disk_capacity_gib = 2;

  g_setenv ("HANGAR_VM_CREATOR_FAIL_AT", "define", TRUE);
  uuid = run_creator (spec, TRUE, NULL, &log, &error);
  g_unsetenv ("HANGAR_VM_CREATOR_FAIL_AT");
  g_assert_null (uuid);
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_DEFINE);
  g_assert_cmpstr (hangar_vm_creator_step_describe (error->code), ==, "Defining the machine");
  /* The disk was made before the failure. */
  g_assert_true (g_ptr_array_find_with_equal_func (log.steps, "Creating the disk", g_str_equal,
                                                   NULL));
  g_ptr_array_unref (log.steps);
  assert_nothing_left (WIZTEST_PREFIX "define-fails");
}

/* A real refusal from QEMU at the start: the machine was defined and its
 * disk made; both go. */
static void
test_start_fails (void)
{
  g_autoptr(HangarDomainSpec) spec = new_spec ("start-fails");
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;

  spec->install_method = HANGAR_INSTALL_ISO;
  spec->iso_path = g_build_filename (tmp_dir, "no-such.iso", NULL);
  spec->disk_mode = HANGAR_DISK_NEW;
  spec->disk_capacity_gib = 1;

  uuid = run_creator (spec, TRUE, NULL, NULL, &error);
  g_assert_null (uuid);
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_START);
  g_test_message ("start failed as expected: %s", error->message);
  g_assert_nonnull (strstr (error->message, "no-such.iso"));
  assert_nothing_left (WIZTEST_PREFIX "start-fails");
}

static void
test_cancel (void)
{
  g_autoptr(HangarDomainSpec) spec = new_spec ("cancel");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;

  spec->install_method = HANGAR_INSTALL_MANUAL;
  spec->disk_mode = HANGAR_DISK_NEW;
  spec->disk_capacity_gib = 1;
  g_cancellable_cancel (cancellable);

  uuid = run_creator (spec, TRUE, cancellable, NULL, &error);
  g_assert_null (uuid);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_nothing_left (WIZTEST_PREFIX "cancel");
}

/* Customize before install: defined, not started. */
static void
test_define_only (void)
{
  g_autoptr(HangarDomainSpec) spec = new_spec ("define-only");
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *state = NULL;

  spec->install_method = HANGAR_INSTALL_PXE;
  spec->network_mode = HANGAR_NETWORK_USER;

  uuid = run_creator (spec, FALSE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uuid);
  state = wiztest_virsh ("domstate " WIZTEST_PREFIX "define-only");
  g_assert_nonnull (state);
  g_assert_cmpstr (g_strstrip (state), ==, "shut off");
  wiztest_cleanup ();
  assert_nothing_left (WIZTEST_PREFIX "define-only");
}

/* --- import with conversion ---------------------------------------------------------------- */

static void
test_import_vdi (void)
{
  g_autoptr(HangarDomainSpec) spec = new_spec ("vdi");
  g_autoptr(GError) error = NULL;
  g_autofree char *vdi = g_build_filename (tmp_dir, "disk.vdi", NULL);
  g_autofree char *command = g_strdup_printf ("qemu-img create -q -f vdi %s 64M", vdi);
  g_autofree char *uuid = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *info = NULL;
  ProgressLog log = { 0 };
  int status = -1;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);

  spec->install_method = HANGAR_INSTALL_IMPORT;
  spec->import_path = g_strdup (vdi);
  spec->import_format = HANGAR_DISK_FORMAT_VDI;

  uuid = run_creator (spec, TRUE, NULL, &log, &error);
  g_assert_no_error (error);
  g_assert_true (g_ptr_array_find_with_equal_func (log.steps, "Converting the disk image",
                                                   g_str_equal, NULL));
  g_ptr_array_unref (log.steps);

  xml = wiztest_virsh ("dumpxml --inactive " WIZTEST_PREFIX "vdi");
  g_assert_nonnull (xml);
  assert_contains (xml, "<source file='/var/lib/libvirt/images/" WIZTEST_PREFIX "vdi.qcow2'");
  info = wiztest_virsh ("vol-dumpxml /var/lib/libvirt/images/" WIZTEST_PREFIX "vdi.qcow2");
  g_assert_nonnull (info);
  assert_contains (info, "<format type='qcow2'/>");
  g_assert_cmpuint (wiztest_volume_capacity ("/var/lib/libvirt/images/" WIZTEST_PREFIX "vdi.qcow2"),
                    ==, 64 << 20);

  wiztest_cleanup ();
  assert_nothing_left (WIZTEST_PREFIX "vdi");

  /* A failure after the conversion removes the converted image. */
  g_clear_pointer (&uuid, g_free);
  g_clear_error (&error);
  g_setenv ("HANGAR_VM_CREATOR_FAIL_AT", "start", TRUE);
  uuid = run_creator (spec, TRUE, NULL, NULL, &error);
  g_unsetenv ("HANGAR_VM_CREATOR_FAIL_AT");
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_START);
  assert_nothing_left (WIZTEST_PREFIX "vdi");
  g_assert_true (g_file_test (vdi, G_FILE_TEST_EXISTS));
}

/* --- imports that name other host files (review H1) ----------------------------------------- */

#define MARKER "HANGAR-H1-MARKER-7f3a9c"

static gboolean
qemu_img (const char *args)
{
  g_autofree char *command = g_strdup_printf ("qemu-img %s", args);
  int status = -1;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  return g_spawn_check_wait_status (status, NULL);
}

static gboolean
holds_marker (const char *data,
              gsize       size)
{
  gsize len = strlen (MARKER);

  for (gsize i = 0; i + len <= size; i++)
    if (data[i] == MARKER[0] && memcmp (data + i, MARKER, len) == 0)
      return TRUE;
  return FALSE;
}

/* Whether any volume of any pool on the host holds the marker. */
static gboolean
marker_in_a_volume (void)
{
  g_autofree char *pools = wiztest_virsh ("pool-list --all --name");
  g_auto(GStrv) pool_names = g_strsplit (pools ? pools : "", "\n", -1);
  gboolean found = FALSE;

  for (guint i = 0; pool_names[i] != NULL; i++)
    {
      g_autofree char *vols = NULL;
      g_auto(GStrv) lines = NULL;
      char *pool = g_strstrip (pool_names[i]);

      if (pool[0] == '\0')
        continue;
      wiztest_virsh ("pool-refresh %s", pool);
      if ((vols = wiztest_virsh ("vol-list %s", pool)) == NULL)
        continue;
      lines = g_strsplit (vols, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[j]), " \t", -1);
          const char *path = NULL;
          g_autofree char *data = NULL;
          gsize size = 0;

          for (guint k = 0; fields[k] != NULL; k++)
            if (fields[k][0] == '/')
              path = fields[k];
          if (path != NULL && g_file_get_contents (path, &data, &size, NULL)
              && holds_marker (data, size))
            {
              g_test_message ("the marker is in %s", path);
              found = TRUE;
            }
        }
    }
  return found;
}

static void
expect_refused (HangarDomainSpec *spec,
                const char       *says)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = run_creator (spec, FALSE, NULL, NULL, &error);

  g_assert_null (uuid);
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_PREPARE);
  g_test_message ("refused: %s", error->message);
  assert_contains (error->message, says);
  assert_nothing_left (spec->name);
}

static void
test_import_external_refs (void)
{
  g_autoptr(HangarDomainSpec) spec = new_spec ("h1");
  g_autoptr(GError) error = NULL;
  g_autofree char *marker = g_build_filename (tmp_dir, "secret", NULL);
  g_autofree char *descriptor = g_build_filename (tmp_dir, "appliance.vmdk", NULL);
  g_autofree char *backed = g_build_filename (tmp_dir, "appliance.qcow2", NULL);
  g_autofree char *clean = g_build_filename (tmp_dir, "clean.qcow2", NULL);
  g_autofree char *text = NULL;
  g_autofree char *args = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(GString) secret = g_string_new (NULL);

  /* A host file worth stealing: 64 KiB of marker. */
  while (secret->len < 65536)
    g_string_append (secret, MARKER "\n");
  g_string_truncate (secret, 65536);
  g_assert_true (g_file_set_contents (marker, secret->str, secret->len, NULL));
  g_assert_false (marker_in_a_volume ());

  spec->install_method = HANGAR_INSTALL_IMPORT;

  /* A VMDK descriptor whose extent is that file: converting it would copy it. */
  text = g_strdup_printf ("# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n"
                          "createType=\"monolithicFlat\"\n\nRW 128 FLAT \"%s\" 0\n\n"
                          "ddb.adapterType = \"ide\"\n", marker);
  g_assert_true (g_file_set_contents (descriptor, text, -1, NULL));
  spec->import_path = g_strdup (descriptor);
  spec->import_format = HANGAR_DISK_FORMAT_VMDK;
  expect_refused (spec, "descriptor");

  /* A qcow2 whose backing file is that file: QEMU would show it to the guest. */
  args = g_strdup_printf ("create -q -f qcow2 -b %s -F raw %s", marker, backed);
  g_assert_true (qemu_img (args));
  g_free (spec->import_path);
  spec->import_path = g_strdup (backed);
  spec->import_format = HANGAR_DISK_FORMAT_QCOW2;
  expect_refused (spec, "backing file");

  /* Converted, the descriptor's data would have landed in a volume. */
  g_assert_false (marker_in_a_volume ());

  /* An image that stands alone is taken, and never followed further. */
  g_free (args);
  args = g_strdup_printf ("create -q -f qcow2 %s 16M", clean);
  g_assert_true (qemu_img (args));
  g_free (spec->import_path);
  spec->import_path = g_strdup (clean);
  uuid = run_creator (spec, FALSE, NULL, NULL, &error);
  g_assert_no_error (error);
  xml = wiztest_virsh ("dumpxml --inactive " WIZTEST_PREFIX "h1");
  g_assert_nonnull (xml);
  assert_contains (xml, "<backingStore/>");
  wiztest_cleanup ();
  assert_nothing_left (WIZTEST_PREFIX "h1");

  g_unlink (marker);
  g_unlink (descriptor);
  g_unlink (backed);
  g_unlink (clean);
}

/* --- network install ------------------------------------------------------------------------ */

static char *
tiny_guest_dir (void)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tests", "support",
                                              "make-tiny-guest.sh", NULL);
  const char *cache = g_getenv ("HANGAR_TEST_CACHE");
  char *dir = g_strdup (cache && *cache ? cache : "/var/cache/hangar-test");
  const char *argv[] = { "sh", script, dir, NULL };
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    g_clear_pointer (&dir, g_free);
  return dir;
}

static void
test_tree (void)
{
  g_autoptr(HangarDomainSpec) spec = new_spec ("tree");
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_build_filename (tmp_dir, "tree", NULL);
  g_autofree char *images = g_build_filename (root, "images", "pxeboot", NULL);
  g_autofree char *info = g_build_filename (root, ".treeinfo", NULL);
  g_autofree char *kernel = g_build_filename (images, "vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (images, "initrd.img", NULL);
  g_autofree char *guest = tiny_guest_dir ();
  g_autofree char *kernel_data = NULL;
  g_autofree char *initrd_data = NULL;
  g_autofree char *url = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *live = NULL;
  g_autofree char *inactive = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GPtrArray) volumes = NULL;
  g_autoptr(OsinfoTree) tree = NULL;
  ProgressLog log = { 0 };
  gsize kernel_len, initrd_len;
  guint16 port;

  if (guest == NULL)
    {
      g_test_skip ("No kernel to serve (make-tiny-guest.sh failed)");
      return;
    }
  /* A real kernel, so that QEMU starts it. */
  {
    g_autofree char *src_kernel = g_build_filename (guest, "vmlinuz", NULL);
    g_autofree char *src_initrd = g_build_filename (guest, "initrd.img", NULL);

    g_assert_true (g_file_get_contents (src_kernel, &kernel_data, &kernel_len, NULL));
    g_assert_true (g_file_get_contents (src_initrd, &initrd_data, &initrd_len, NULL));
  }
  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_true (g_file_set_contents (info, wiztest_treeinfo, -1, NULL));
  g_assert_true (g_file_set_contents (kernel, kernel_data, kernel_len, NULL));
  g_assert_true (g_file_set_contents (initrd, initrd_data, initrd_len, NULL));

  server = wiztest_start_http_server (root, &port);
  url = g_strdup_printf ("http://127.0.0.1:%u/", port);

  tree = hangar_os_identify_tree (hangar_os_get_db (NULL), url, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (osinfo_tree_get_os (tree));
  hangar_domain_spec_set_os (spec, osinfo_tree_get_os (tree));
  spec->install_method = HANGAR_INSTALL_TREE;
  spec->tree_url = g_strdup (url);
  spec->disk_mode = HANGAR_DISK_NEW;
  spec->disk_capacity_gib = 1;
  spec->network_mode = HANGAR_NETWORK_USER;

  uuid = run_creator (spec, TRUE, NULL, &log, &error);
  g_assert_no_error (error);
  g_assert_true (g_ptr_array_find_with_equal_func (log.steps, "Downloading the installer",
                                                   g_str_equal, NULL));
  g_assert_false (log.went_back);
  g_ptr_array_unref (log.steps);

  state = wiztest_virsh ("domstate " WIZTEST_PREFIX "tree");
  g_assert_cmpstr (g_strstrip (state), ==, "running");
  live = wiztest_virsh ("dumpxml " WIZTEST_PREFIX "tree");
  inactive = wiztest_virsh ("dumpxml --inactive " WIZTEST_PREFIX "tree");
  /* The install boot ran the downloaded kernel with the tree's URL… */
  assert_contains (live, "<kernel>/var/lib/libvirt/images/" WIZTEST_PREFIX "tree-kernel</kernel>");
  assert_contains (live, "<initrd>/var/lib/libvirt/images/" WIZTEST_PREFIX "tree-initrd</initrd>");
  assert_contains (live, url);
  /* …and the machine boots its disk from then on. */
  g_assert_null (strstr (inactive, "<kernel>"));
  assert_contains (inactive, "<boot dev='hd'/>");

  /* QEMU has the kernel in memory: the downloads are gone, the disk stays. */
  volumes = wiztest_list_volumes ();
  g_assert_cmpuint (volumes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (volumes, 0), ==, "default/" WIZTEST_PREFIX "tree.qcow2");
  g_clear_pointer (&volumes, g_ptr_array_unref);
  wiztest_cleanup ();

  /* A failure after the downloads removes them too. */
  g_clear_pointer (&uuid, g_free);
  g_setenv ("HANGAR_VM_CREATOR_FAIL_AT", "define", TRUE);
  uuid = run_creator (spec, TRUE, NULL, NULL, &error);
  g_unsetenv ("HANGAR_VM_CREATOR_FAIL_AT");
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_DEFINE);
  assert_nothing_left (WIZTEST_PREFIX "tree");
  g_clear_error (&error);

  /* A tree that stopped answering fails the download step. */
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  uuid = run_creator (spec, TRUE, NULL, NULL, &error);
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_DOWNLOAD);
  g_test_message ("download failed as expected: %s", error->message);
  assert_nothing_left (WIZTEST_PREFIX "tree");
}

/* --- downloads a tree's server must not control (review findings M2, M3) --- */

/* tricky-http-server.py on 127.0.0.1 and 127.0.0.2, serving @root. */
static GSubprocess *
start_tricky_server (const char *root,
                     guint16    *port)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tests",
                                              "libhangar", "tricky-http-server.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *server;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, "python3", script, root, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  *port = (guint16) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (*port, >, 0);
  return server;
}

/* Files named hangar-download-* in the temporary folder, where downloads
 * are spooled. */
static guint
count_spooled (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "hangar-download-"))
      count++;
  return count;
}

/* Makes a tree @name under @root: a .treeinfo naming @kernel and @initrd
 * plus @extra, and small files at images/pxeboot/ and shared/. @name is
 * none of the server's trigger steps, or the .treeinfo would misbehave too. */
static void
make_tree (const char *root,
           const char *name,
           const char *kernel,
           const char *initrd,
           const char *extra)
{
  g_autofree char *images = g_build_filename (root, name, "images", "pxeboot", NULL);
  g_autofree char *shared = g_build_filename (root, "shared", NULL);
  g_autofree char *info = g_build_filename (root, name, ".treeinfo", NULL);
  g_autofree char *text = g_strdup_printf ("[general]\nfamily = Fedora\nversion = 37\n"
                                           "arch = x86_64\n\n[images-x86_64]\nkernel = %s\n"
                                           "initrd = %s\n%s",
                                           kernel, initrd, extra ? extra : "");
  const char *const files[] = { "vmlinuz", "initrd.img" };

  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (shared, 0755), ==, 0);
  g_assert_true (g_file_set_contents (info, text, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *in_tree = g_build_filename (images, files[i], NULL);
      g_autofree char *outside = g_build_filename (shared, files[i], NULL);

      g_assert_true (g_file_set_contents (in_tree, files[i], -1, NULL));
      g_assert_true (g_file_set_contents (outside, files[i], -1, NULL));
    }
}

/* Runs the creator on the tree @name at @port: it must fail in the
 * download step with a message holding @expect, and leave nothing. */
static void
assert_download_refused (guint16     port,
                         const char *name,
                         const char *expect)
{
  g_autoptr(HangarDomainSpec) spec = new_spec ("tricky");
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  guint spooled = count_spooled ();

  spec->install_method = HANGAR_INSTALL_TREE;
  spec->tree_url = g_strdup_printf ("http://127.0.0.1:%u/%s/", port, name);
  spec->disk_mode = HANGAR_DISK_NEW;
  spec->disk_capacity_gib = 1;

  uuid = run_creator (spec, TRUE, NULL, NULL, &error);
  g_assert_null (uuid);
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_DOWNLOAD);
  g_test_message ("%s: %s", name, error->message);
  if (strstr (error->message, expect) == NULL)
    g_test_message ("expected: %s", expect);
  g_assert_nonnull (strstr (error->message, expect));
  assert_nothing_left (WIZTEST_PREFIX "tricky");
  g_assert_cmpuint (count_spooled (), ==, spooled);
}

static void
test_tree_refused (void)
{
  g_autofree char *root = g_build_filename (tmp_dir, "tricky", NULL);
  g_autofree char *kernel_sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "vmlinuz", -1);
  g_autofree char *sums = NULL;
  g_autofree char *absolute = NULL;
  g_autoptr(GSubprocess) server = NULL;
  guint16 port;

  server = start_tricky_server (root, &port);

  /* Redirects that leave the tree's host, or its scheme. */
  make_tree (root, "tree-redirect-host", "redirect-host/images/pxeboot/vmlinuz",
             "images/pxeboot/initrd.img", NULL);
  assert_download_refused (port, "tree-redirect-host", "another server");
  make_tree (root, "tree-redirect-scheme", "redirect-scheme/images/pxeboot/vmlinuz",
             "images/pxeboot/initrd.img", NULL);
  assert_download_refused (port, "tree-redirect-scheme", "is not fetched");

  /* .treeinfo paths out of the tree: up, to another host, to plaintext. */
  make_tree (root, "dotdot", "../shared/vmlinuz", "images/pxeboot/initrd.img", NULL);
  assert_download_refused (port, "dotdot", "outside the tree");
  absolute = g_strdup_printf ("http://127.0.0.2:%u/shared/vmlinuz", port);
  make_tree (root, "absolute", absolute, "images/pxeboot/initrd.img", NULL);
  assert_download_refused (port, "absolute", "outside the tree");
  make_tree (root, "other-host", "//127.0.0.2/shared/vmlinuz", "images/pxeboot/initrd.img", NULL);
  assert_download_refused (port, "other-host", "outside the tree");

  /* The kernel's checksum matches, the initrd's not: the kernel's volume,
   * already made, goes too. */
  sums = g_strdup_printf ("\n[checksums]\nimages/pxeboot/vmlinuz = sha256:%s\n"
                          "images/pxeboot/initrd.img = sha256:%064d\n", kernel_sum, 0);
  make_tree (root, "checksum", "images/pxeboot/vmlinuz", "images/pxeboot/initrd.img", sums);
  assert_download_refused (port, "checksum", "checksum");

  /* Bodies and headers without end. */
  make_tree (root, "tree-huge-length", "huge-length/vmlinuz", "images/pxeboot/initrd.img", NULL);
  assert_download_refused (port, "tree-huge-length", "more than");
  make_tree (root, "tree-long-header", "long-header/vmlinuz", "images/pxeboot/initrd.img", NULL);
  assert_download_refused (port, "tree-long-header", "header line");
  make_tree (root, "tree-endless", "endless/vmlinuz", "images/pxeboot/initrd.img", NULL);
  g_setenv ("HANGAR_TEST_DOWNLOAD_CAP", "4194304", TRUE);
  assert_download_refused (port, "tree-endless", "larger than");
  g_unsetenv ("HANGAR_TEST_DOWNLOAD_CAP");

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

/* Review finding M3: `images/%zz` made a NULL address and a NULL GError
 * dereferenced in the worker, which took the app down. */
static void
test_tree_bad_escape (void)
{
  g_autofree char *root = g_build_filename (tmp_dir, "bad-escape", NULL);
  g_autoptr(GSubprocess) server = NULL;
  guint16 port;

  server = start_tricky_server (root, &port);
  make_tree (root, "tree", "images/%zz", "images/pxeboot/initrd.img", NULL);
  assert_download_refused (port, "tree", "not a valid address");
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!wiztest_daemon_running ())
    {
      g_test_skip ("The system libvirtd is not running");
      return g_test_run ();
    }

  wiztest_cleanup ();
  tmp_dir = g_dir_make_tmp ("hangar-wiztest-XXXXXX", &error);
  g_assert_no_error (error);
  iso_path = wiztest_make_iso (tmp_dir, "Debian 11.6.0 amd64 n");
  setup_connection ();

  g_test_add_func ("/hangar/wizard/creator/iso", test_iso);
  g_test_add_func ("/hangar/wizard/creator/define-fails", test_define_fails);
  g_test_add_func ("/hangar/wizard/creator/start-fails", test_start_fails);
  g_test_add_func ("/hangar/wizard/creator/cancel", test_cancel);
  g_test_add_func ("/hangar/wizard/creator/define-only", test_define_only);
  g_test_add_func ("/hangar/wizard/creator/import-vdi", test_import_vdi);
  g_test_add_func ("/hangar/wizard/creator/import-external-refs", test_import_external_refs);
  g_test_add_func ("/hangar/wizard/creator/tree", test_tree);
  g_test_add_func ("/hangar/wizard/creator/tree-refused", test_tree_refused);
  g_test_add_func ("/hangar/wizard/creator/tree-bad-escape", test_tree_bad_escape);

  ret = g_test_run ();

  wiztest_cleanup ();
  g_clear_pointer (&host, hangar_host_info_free);
  hangar_connection_close (connection);
  g_clear_object (&connection);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return ret;
}
