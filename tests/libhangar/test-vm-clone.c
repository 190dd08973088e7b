/* test-vm-clone.c — cloning machines on the system daemon.
 *
 * The guests' disks are volumes of a throw-away directory pool; every
 * guest, volume and the pool are removed at exit, and stale ones from a
 * crashed run at the start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#define DETAILS_PREFIX "hangar-d2-"
#include "details-test-util.h"
#include "hangar-name.h"
#include "hangar-vm-clone.h"
#include "clone-test-util.h"

static HangarConnection *connection;

static char *
volumes (void)
{
  char *list = NULL;

  g_assert_true (details_virsh (NULL, "pool-refresh " POOL));
  g_assert_true (details_virsh (&list, "vol-list --pool " POOL));
  return list;
}

typedef struct
{
  GAsyncResult *result;
  guint         reports;
  double        last;
} CloneWait;

static void
on_progress (const char *target,
             double      fraction,
             gpointer    data)
{
  CloneWait *wait = data;

  wait->reports++;
  wait->last = fraction;
}

static char *
clone_wait (HangarVm    *vm,
            const char  *name,
            CloneWait   *wait,
            GError     **error)
{
  hangar_vm_clone_async (vm, name, on_progress, wait, NULL, NULL,
                         hangar_test_async_ready, &wait->result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &wait->result, 120000));
  return hangar_vm_clone_finish (vm, wait->result, error);
}

static char *
disk_source (const char *guest,
             const char *target)
{
  g_autofree char *xpath = g_strdup_printf ("string(/domain/devices/disk[target/@dev='%s']"
                                            "/source/@file)", target);

  return details_xpath (guest, FALSE, xpath);
}

static gboolean
is_running (gpointer data)
{
  return hangar_vm_is_active (data);
}

static void
test_copy (void)
{
  g_autofree char *base = g_strdup_printf (DETAILS_PREFIX "src-%d", (int) getpid ());
  g_autofree char *vol_name = g_strdup_printf ("%s.qcow2", base);
  g_autofree char *ro_name = g_strdup_printf (DETAILS_PREFIX "ro-%d.raw", (int) getpid ());
  g_autofree char *image = make_volume (vol_name, "qcow2", "64M");
  g_autofree char *ro_image = make_volume (ro_name, "raw", "1M");
  g_autofree char *devices = g_strdup_printf (
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
      "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
      "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
      "<source file='%s'/><target dev='vdb' bus='virtio'/><readonly/></disk>"
      "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>"
      "<interface type='user'><mac address='52:54:00:d2:00:01'/><model type='virtio'/></interface>"
      "<graphics type='vnc' listen='127.0.0.1'/>",
      image, ro_image);
  g_autofree char *name = details_define_guest ("src", NULL, devices);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autoptr(HangarVm) clone_vm = NULL;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *suggested = hangar_vm_clone_suggest_name (vm);
  g_autofree char *expected = g_strdup_printf ("%s-clone", name);
  g_autofree char *clone = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *shared = NULL;
  g_autofree char *info_a = NULL;
  g_autofree char *info_b = NULL;
  g_autofree char *uuid_a = NULL;
  g_autofree char *uuid_b = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *again = NULL;
  CloneWait wait = { 0 };

  g_assert_cmpstr (suggested, ==, expected);

  /* The plan: vda copied, the read-only disk and the CD drive shared. */
  hangar_vm_clone_plan_async (vm, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 30000));
  plan = hangar_vm_clone_plan_finish (vm, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->len, ==, 3);
  g_assert_cmpint (((HangarCloneDisk *) g_ptr_array_index (plan, 0))->action, ==, HANGAR_CLONE_DISK_COPY);
  g_assert_cmpint (((HangarCloneDisk *) g_ptr_array_index (plan, 1))->action, ==, HANGAR_CLONE_DISK_SHARE);
  g_assert_cmpint (((HangarCloneDisk *) g_ptr_array_index (plan, 2))->action, ==, HANGAR_CLONE_DISK_SHARE);

  g_ptr_array_add (details_guests, g_strdup (suggested));
  clone = clone_wait (vm, suggested, &wait, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (clone, ==, suggested);
  g_assert_cmpuint (wait.reports, >=, 1);
  g_assert_cmpfloat (wait.last, ==, 1.0);

  /* A separate file of the same size in the same pool. */
  copy = disk_source (clone, "vda");
  g_assert_nonnull (copy);
  g_assert_cmpstr (copy, !=, image);
  g_assert_true (g_str_has_prefix (copy, POOL_DIR "/"));
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_assert_true (details_virsh (&info_a, "vol-info %s --bytes", image));
  g_assert_true (details_virsh (&info_b, "vol-info %s --bytes", copy));
  g_assert_nonnull (strstr (info_a, "Capacity:"));
  {
    g_autofree char *cap_a = g_strndup (strstr (info_a, "Capacity:"), strcspn (strstr (info_a, "Capacity:"), "\n"));
    g_autofree char *cap_b = g_strndup (strstr (info_b, "Capacity:"), strcspn (strstr (info_b, "Capacity:"), "\n"));

    g_assert_cmpstr (cap_a, ==, cap_b);
  }
  shared = disk_source (clone, "vdb");
  g_assert_cmpstr (shared, ==, ro_image);

  uuid_a = details_xpath (name, FALSE, "string(/domain/uuid)");
  uuid_b = details_xpath (clone, FALSE, "string(/domain/uuid)");
  g_assert_nonnull (uuid_b);
  g_assert_cmpstr (uuid_a, !=, uuid_b);
  mac = details_xpath (clone, FALSE, "string(/domain/devices/interface/mac/@address)");
  g_assert_nonnull (mac);
  g_assert_cmpstr (mac, !=, "52:54:00:d2:00:01");

  /* The clone runs (SeaBIOS finds no boot disk, which is fine), and the
   * next suggestion moves on. */
  clone_vm = details_wait_vm (connection, clone);
  g_assert_true (details_virsh (NULL, "start %s", clone));
  g_assert_true (hangar_test_wait (is_running, clone_vm, 30000));
  g_assert_true (details_virsh (NULL, "destroy %s", clone));
  again = hangar_vm_clone_suggest_name (vm);
  g_free (expected);
  expected = g_strdup_printf ("%s-clone-2", name);
  g_assert_cmpstr (again, ==, expected);
}

/* A destination volume taken: refused before anything is made. */
static void
test_taken_volume (void)
{
  g_autofree char *base = g_strdup_printf (DETAILS_PREFIX "taken-%d", (int) getpid ());
  g_autofree char *vol_name = g_strdup_printf ("%s.qcow2", base);
  g_autofree char *image = make_volume (vol_name, "qcow2", "64M");
  g_autofree char *devices = g_strdup_printf (
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
      "<source file='%s'/><target dev='vda' bus='virtio'/></disk>", image);
  g_autofree char *name = details_define_guest ("taken", NULL, devices);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autofree char *new_name = g_strdup_printf ("%s-copy", name);
  g_autofree char *taken = g_strdup_printf ("%s.qcow2", new_name);
  g_autofree char *taken_path = make_volume (taken, "qcow2", "1M");
  g_autofree char *before = volumes ();
  g_autofree char *after = NULL;
  g_autofree char *clone = NULL;
  g_autoptr(GError) error = NULL;
  CloneWait wait = { 0 };

  g_ptr_array_add (details_guests, g_strdup (new_name));
  clone = clone_wait (vm, new_name, &wait, &error);
  g_assert_null (clone);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, taken));
  after = volumes ();
  g_assert_cmpstr (before, ==, after);
  g_assert_false (details_virsh (NULL, "domstate %s", new_name));
  g_clear_object (&wait.result);
}

/* M4: without secure XML the clone would lose the display password, so
 * it is refused and nothing is made. */
static void
test_no_secure_xml (void)
{
  g_autofree char *name = details_define_guest ("nosec", NULL,
      "<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' passwd='x'/>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autofree char *new_name = g_strdup_printf ("%s-clone", name);
  g_autofree char *clone = NULL;
  g_autoptr(GError) error = NULL;
  CloneWait wait = { 0 };

  g_ptr_array_add (details_guests, g_strdup (new_name));
  g_setenv ("HANGAR_TEST_NO_SECURE_XML", "1", TRUE);
  clone = clone_wait (vm, new_name, &wait, &error);
  g_unsetenv ("HANGAR_TEST_NO_SECURE_XML");
  g_assert_null (clone);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_false (details_virsh (NULL, "domstate %s", new_name));
  g_clear_object (&wait.result);
}

/* A failure after the copies removes them. */
static void
test_rollback (void)
{
  g_autofree char *a_name = g_strdup_printf (DETAILS_PREFIX "rb-a-%d.qcow2", (int) getpid ());
  g_autofree char *b_name = g_strdup_printf (DETAILS_PREFIX "rb-b-%d.qcow2", (int) getpid ());
  g_autofree char *a = make_volume (a_name, "qcow2", "64M");
  g_autofree char *b = make_volume (b_name, "qcow2", "32M");
  g_autofree char *devices = g_strdup_printf (
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
      "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
      "<source file='%s'/><target dev='vdb' bus='virtio'/></disk>", a, b);
  g_autofree char *name = details_define_guest ("rb", NULL, devices);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autofree char *new_name = g_strdup_printf ("%s-clone", name);
  g_autofree char *before = volumes ();
  g_autofree char *after = NULL;
  g_autofree char *clone = NULL;
  g_autoptr(GError) error = NULL;
  CloneWait wait = { 0 };

  g_ptr_array_add (details_guests, g_strdup (new_name));
  g_setenv ("HANGAR_TEST_CLONE_FAIL", "define", TRUE);
  clone = clone_wait (vm, new_name, &wait, &error);
  g_unsetenv ("HANGAR_TEST_CLONE_FAIL");
  g_assert_null (clone);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  /* Both disks were copied before the failure… */
  g_assert_cmpfloat (wait.last, ==, 1.0);
  /* …and neither copy is left. */
  after = volumes ();
  g_assert_cmpstr (before, ==, after);
  g_assert_false (details_virsh (NULL, "domstate %s", new_name));
  g_clear_object (&wait.result);
}

static void
test_running (void)
{
  g_autofree char *name = details_define_guest ("run", NULL, "<graphics type='vnc' listen='127.0.0.1'/>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autofree char *clone = NULL;
  g_autoptr(GError) error = NULL;
  CloneWait wait = { 0 };

  g_assert_true (details_virsh (NULL, "start %s", name));
  g_assert_true (hangar_test_wait (is_running, vm, 30000));
  clone = clone_wait (vm, "hangar-d2-never", &wait, &error);
  g_assert_null (clone);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "Shut it down"));
  g_assert_false (details_virsh (NULL, "domstate hangar-d2-never"));
  g_clear_object (&wait.result);
  details_virsh (NULL, "destroy %s", name);
}

/* A writable disk outside any pool refuses the clone, with the reason. */
static void
test_outside_pool (void)
{
  g_autofree char *path = g_strdup_printf ("%s/" DETAILS_PREFIX "loose-%d.qcow2",
                                           g_get_tmp_dir (), (int) getpid ());
  g_autofree char *command = g_strdup_printf ("qemu-img create -q -f qcow2 %s 16M", path);
  g_autofree char *devices = NULL;
  g_autofree char *name = NULL;
  g_autoptr(HangarVm) vm = NULL;
  g_autofree char *clone = NULL;
  g_autoptr(GError) error = NULL;
  CloneWait wait = { 0 };

  g_assert_true (details_run (command, NULL));
  g_ptr_array_add (details_files, g_strdup (path));
  devices = g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                             "<source file='%s'/><target dev='vda' bus='virtio'/></disk>", path);
  name = details_define_guest ("loose", NULL, devices);
  vm = details_wait_vm (connection, name);
  clone = clone_wait (vm, "hangar-d2-loose-clone", &wait, &error);
  g_assert_null (clone);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "not in a storage pool"));
  g_clear_object (&wait.result);
}

static void
test_names (void)
{
  g_autofree char *name = details_define_guest ("names", NULL, NULL);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autoptr(GError) error = NULL;

  g_assert_false (hangar_vm_clone_validate_name (vm, name, &error));
  g_assert_error (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_TAKEN);
  g_clear_error (&error);
  g_assert_false (hangar_vm_clone_validate_name (vm, "a/b", &error));
  g_assert_error (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_SLASH);
  g_clear_error (&error);
  g_assert_true (hangar_vm_clone_validate_name (vm, "hangar-d2-free-name", &error));
  g_assert_no_error (error);
}

/* Defines a UEFI guest whose variables live at @nvram, with a VNC
 * console on a fixed port. It never starts, so OVMF need not run. */
static char *
define_uefi_guest (const char *suffix,
                   const char *nvram)
{
  char *name = g_strdup_printf (DETAILS_PREFIX "%s-%d", suffix, (int) getpid ());
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;

  xml = g_strdup_printf ("<domain type='qemu'><name>%s</name>"
                         "<memory unit='MiB'>128</memory><vcpu>1</vcpu><features><acpi/></features>"
                         "<os><type arch='x86_64' machine='pc'>hvm</type>"
                         "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd"
                         "</loader><nvram>%s</nvram></os>"
                         "<devices><graphics type='vnc' port='5901' autoport='no' "
                         "listen='127.0.0.1'/></devices></domain>", name, nvram);
  path = g_strdup_printf ("%s/%s.xml", g_get_tmp_dir (), name);
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  g_ptr_array_add (details_guests, g_strdup (name));
  g_assert_true (details_virsh (NULL, "define %s", path));
  g_unlink (path);
  return name;
}

/* Review finding L7: the clone keeps its own copy of the UEFI variables
 * (a new path, the same bytes), and a fixed console port becomes automatic
 * so the clone can run beside its source. */
static void
test_nvram (void)
{
  g_autofree char *vars_name = g_strdup_printf (DETAILS_PREFIX "nv-%d_VARS.fd", (int) getpid ());
  g_autofree char *vars = make_volume (vars_name, "raw", "128K");
  g_autofree char *name = NULL;
  g_autofree char *new_name = NULL;
  g_autofree char *clone = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *expected_copy = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *autoport = NULL;
  g_autofree char *port = NULL;
  g_autofree char *source_port = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarVm) vm = NULL;
  char known[128 * 1024];
  gsize len = 0;
  CloneWait wait = { 0 };

  if (!g_file_test ("/usr/share/OVMF/OVMF_CODE.fd", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No OVMF firmware (package ovmf)");
      return;
    }
  /* Variables the template would not have. */
  for (gsize i = 0; i < sizeof known; i++)
    known[i] = (char) (i * 7 + 3);
  g_assert_true (g_file_set_contents (vars, known, sizeof known, NULL));

  name = define_uefi_guest ("nv", vars);
  vm = details_wait_vm (connection, name);
  new_name = g_strdup_printf ("%s-clone", name);
  g_ptr_array_add (details_guests, g_strdup (new_name));
  clone = clone_wait (vm, new_name, &wait, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (clone, ==, new_name);

  copy = details_xpath (clone, FALSE, "string(/domain/os/nvram)");
  g_test_message ("source NVRAM %s, clone's %s", vars, copy);
  g_assert_nonnull (copy);
  g_assert_cmpstr (copy, !=, vars);
  expected_copy = g_strdup_printf (POOL_DIR "/%s_VARS.fd", new_name);
  g_assert_cmpstr (copy, ==, expected_copy);
  g_assert_true (g_file_get_contents (copy, &bytes, &len, NULL));
  g_assert_cmpuint (len, ==, sizeof known);
  g_assert_true (memcmp (bytes, known, sizeof known) == 0);

  autoport = details_xpath (clone, FALSE, "string(/domain/devices/graphics/@autoport)");
  port = details_xpath (clone, FALSE, "string(/domain/devices/graphics/@port)");
  g_assert_cmpstr (autoport, ==, "yes");
  g_assert_true (port == NULL || port[0] == '\0' || g_strcmp0 (port, "-1") == 0);
  /* The source keeps its own. */
  source_port = details_xpath (name, FALSE, "string(/domain/devices/graphics/@port)");
  g_assert_cmpstr (source_port, ==, "5901");
  g_clear_object (&wait.result);
}

/* A variables file left at the clone's path by a deleted machine of that
 * name is not reused: the clone is refused and the file kept. */
static void
test_nvram_stale (void)
{
  g_autofree char *vars_name = g_strdup_printf (DETAILS_PREFIX "ns-%d_VARS.fd", (int) getpid ());
  g_autofree char *vars = make_volume (vars_name, "raw", "128K");
  g_autofree char *name = NULL;
  g_autofree char *new_name = NULL;
  g_autofree char *stale_name = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *clone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarVm) vm = NULL;
  CloneWait wait = { 0 };

  if (!g_file_test ("/usr/share/OVMF/OVMF_CODE.fd", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No OVMF firmware (package ovmf)");
      return;
    }
  name = define_uefi_guest ("ns", vars);
  vm = details_wait_vm (connection, name);
  new_name = g_strdup_printf ("%s-clone", name);
  stale_name = g_strdup_printf ("%s_VARS.fd", new_name);
  stale = make_volume (stale_name, "raw", "64K");
  before = volumes ();

  g_ptr_array_add (details_guests, g_strdup (new_name));
  clone = clone_wait (vm, new_name, &wait, &error);
  g_assert_null (clone);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_test_message ("%s", error->message);
  after = volumes ();
  g_assert_cmpstr (before, ==, after);
  g_assert_false (details_virsh (NULL, "domstate %s", new_name));
  g_clear_object (&wait.result);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  details_init ();
  make_pool ();
  connection = details_connect ();

  g_test_add_func ("/hangar/details/clone/names", test_names);
  g_test_add_func ("/hangar/details/clone/copy", test_copy);
  g_test_add_func ("/hangar/details/clone/taken-volume", test_taken_volume);
  g_test_add_func ("/hangar/details/clone/rollback", test_rollback);
  g_test_add_func ("/hangar/details/clone/no-secure-xml", test_no_secure_xml);
  g_test_add_func ("/hangar/details/clone/running", test_running);
  g_test_add_func ("/hangar/details/clone/outside-pool", test_outside_pool);
  g_test_add_func ("/hangar/details/clone/nvram", test_nvram);
  g_test_add_func ("/hangar/details/clone/nvram-stale", test_nvram_stale);

  status = g_test_run ();
  hangar_connection_close (connection);
  g_clear_object (&connection);
  details_cleanup ();
  return status;
}
