/* test-host-model.c — the host model against the real system libvirtd.
 *
 * Networks and a directory pool are created, started, stopped, changed and
 * deleted through the model's API, and each step is checked with virsh; a
 * pool of every type the form offers is defined and compared.
 * Bad input must give the right field's error and leave the host as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <unistd.h>

#include "hangar-host-model-private.h"
#include "host-test-util.h"

typedef struct
{
  HangarConnection *connection;
  char             *network;     /* name of the test network */
  char             *range;       /* its 192.168.2xx.0/24 */
  char             *pool;
  char             *pool_dir;
  char             *types_dir;   /* mount folders of the pool-type tests */
} Fixture;

static Fixture fixture;

/* --- running the model's calls ---------------------------------------------------------- */

static gboolean
finish_op (GAsyncResult  *result,
           GError       **error)
{
  gboolean ok = hangar_host_op_finish (host_test_wait_result (&result), error);

  g_object_unref (result);
  return ok;
}

static gboolean
network_run (const char        *name,
             HangarHostAction   action,
             GError           **error)
{
  GAsyncResult *result = NULL;

  hangar_host_network_run_async (fixture.connection, name, action, NULL,
                                 hangar_test_async_ready, &result);
  host_test_wait_result (&result);
  return finish_op (result, error);
}

static gboolean
network_create_mode (const char            *name,
                     HangarNetworkForward   forward,
                     const char            *range,
                     const char            *start,
                     const char            *end,
                     GError               **error)
{
  HangarNetworkSpec spec = {
    .name = name, .forward = forward, .network = range,
    .dhcp_start = start, .dhcp_end = end,
  };
  GAsyncResult *result = NULL;

  hangar_host_network_create_async (fixture.connection, &spec, NULL, hangar_test_async_ready,
                                    &result);
  host_test_wait_result (&result);
  return finish_op (result, error);
}

static gboolean
network_create (const char  *name,
                const char  *range,
                const char  *start,
                const char  *end,
                GError     **error)
{
  return network_create_mode (name, HANGAR_NETWORK_FORWARD_ISOLATED, range, start, end, error);
}

static gboolean
pool_run (const char       *name,
          HangarHostAction  action,
          GError          **error)
{
  GAsyncResult *result = NULL;

  hangar_host_pool_run_async (fixture.connection, name, action, NULL,
                              hangar_test_async_ready, &result);
  host_test_wait_result (&result);
  return finish_op (result, error);
}

static gboolean
pool_create_spec (const HangarPoolSpec  *spec,
                  GError               **error)
{
  GAsyncResult *result = NULL;

  hangar_host_pool_create_async (fixture.connection, spec, NULL, hangar_test_async_ready,
                                 &result);
  host_test_wait_result (&result);
  return finish_op (result, error);
}

static gboolean
pool_create (const char  *name,
             const char  *path,
             GError     **error)
{
  HangarPoolSpec spec = { .name = name, .type = HANGAR_POOL_DIR, .target = path };

  return pool_create_spec (&spec, error);
}

static gboolean
volume_create (const char  *name,
               const char  *format,
               guint64      capacity,
               GError     **error)
{
  GAsyncResult *result = NULL;

  hangar_host_volume_create_async (fixture.connection, fixture.pool, name, format, capacity,
                                   NULL, hangar_test_async_ready, &result);
  host_test_wait_result (&result);
  return finish_op (result, error);
}

static gboolean
volume_delete (const char  *name,
               gboolean     force,
               GError     **error)
{
  GAsyncResult *result = NULL;

  hangar_host_volume_delete_async (fixture.connection, fixture.pool, name, force, NULL,
                                   hangar_test_async_ready, &result);
  host_test_wait_result (&result);
  return finish_op (result, error);
}

static void
assert_virsh_field (const char *command,
                    const char *key,
                    const char *expected)
{
  g_autofree char *out = NULL;
  g_autofree char *value = NULL;

  g_assert_true (host_virsh (&out, "%s", command));
  value = host_virsh_field (out, key);
  g_assert_cmpstr (value, ==, expected);
}

static void
define_domain (const char *name,
               const char *devices)
{
  g_autofree char *xml = g_strdup_printf ("<domain type='qemu'><name>%s</name>"
                                          "<memory unit='MiB'>32</memory><vcpu>1</vcpu>"
                                          "<os><type arch='x86_64'>hvm</type></os>"
                                          "<devices>%s</devices></domain>", name, devices);
  g_autofree char *path = g_strdup_printf ("/tmp/%s.xml", name);

  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  g_assert_true (host_virsh (NULL, "define %s", path));
  g_unlink (path);
}

/* --- the tests --------------------------------------------------------------------------- */

static void
test_overview (void)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarHostOverview) overview = NULL;
  g_autofree char *hostname = NULL;
  g_autofree char *nodeinfo = NULL;
  g_autofree char *cpus = NULL;
  g_autofree char *title = NULL;
  g_autofree char *advice = NULL;
  HangarHostUsage first = { 0 }, second = { 0 };

  hangar_host_read_overview_async (fixture.connection, NULL, hangar_test_async_ready, &result);
  overview = hangar_host_read_overview_finish (host_test_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);

  g_assert_true (host_virsh (&hostname, "hostname"));
  g_assert_cmpstr (overview->hostname, ==, g_strstrip (hostname));
  g_assert_true (host_virsh (&nodeinfo, "nodeinfo"));
  cpus = host_virsh_field (nodeinfo, "CPU(s)");
  g_assert_cmpuint (overview->cpus, ==, atoi (cpus));
  g_assert_cmpuint (overview->memory_kib, >, 0);
  g_assert_cmpstr (overview->hypervisor, ==, "QEMU");
  g_assert_nonnull (overview->hypervisor_version);
  g_assert_true (g_str_has_prefix (overview->libvirt_version, "9."));
  g_assert_true (overview->virt.local);
  /* This machine has /dev/kvm (the test reads it as root). */
  g_assert_cmpint (overview->virt.kvm_device, ==,
                   g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS) ? HANGAR_FACT_YES : HANGAR_FACT_NO);
  g_assert_cmpint (overview->virt.cpu_vmx, !=, HANGAR_FACT_UNKNOWN);
  hangar_virt_advise (&overview->virt, &title, &advice);
  g_test_message ("%s (%s) %s %s, libvirt %s, %u CPUs %s; %s %s", overview->hostname,
                  overview->arch, overview->hypervisor, overview->hypervisor_version,
                  overview->libvirt_version, overview->cpus,
                  overview->cpu_model ? overview->cpu_model : "", title, advice ? advice : "");

  hangar_host_read_usage_async (fixture.connection, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_host_read_usage_finish (host_test_wait_result (&result), &first, &error));
  g_clear_object (&result);
  g_usleep (G_USEC_PER_SEC / 2);
  hangar_host_read_usage_async (fixture.connection, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_host_read_usage_finish (host_test_wait_result (&result), &second, &error));
  g_clear_object (&result);
  g_assert_cmpuint (second.cpu_total, >, first.cpu_total);
  g_assert_cmpuint (second.memory_total_kib, >, 0);
  g_assert_cmpuint (second.memory_used_kib, <=, second.memory_total_kib);
  g_test_message ("cpu %.1f %%, memory %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " KiB",
                  hangar_host_cpu_percent (first.cpu_busy, first.cpu_total, second.cpu_busy,
                                           second.cpu_total),
                  second.memory_used_kib, second.memory_total_kib);
}

static void
test_networks (void)
{
  g_autoptr(GPtrArray) before = host_test_list_networks (fixture.connection);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names_before = NULL;
  g_auto(GStrv) names_now = NULL;
  g_autofree char *vm = g_strdup_printf (HOST_TEST_PREFIX "netvm-%d", (int) getpid ());
  g_autofree char *devices = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *prefix = NULL;
  HangarHostNetwork *row;

  fixture.network = g_strdup_printf (HOST_TEST_PREFIX "net-%d", (int) getpid ());
  fixture.range = host_test_free_range (before);
  prefix = g_strndup (fixture.range, strlen (fixture.range) - strlen ("0/24"));
  start = g_strconcat (prefix, "10", NULL);
  end = g_strconcat (prefix, "50", NULL);
  outside = g_strdup ("10.254.254.10");
  g_test_message ("test network %s on %s", fixture.network, fixture.range);
  names_before = host_virsh_names ("net-list");

  /* Bad input: each gives its field's error and creates nothing. */
  g_assert_false (network_create ("bad name", fixture.range, start, end, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME);
  g_clear_error (&error);
  g_assert_false (network_create (fixture.network, "192.168.2.0/33", NULL, NULL, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_false (network_create (fixture.network, fixture.range, outside, end, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_DHCP_START);
  g_clear_error (&error);
  g_assert_false (network_create (fixture.network, fixture.range, end, start, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_DHCP_END);
  g_clear_error (&error);
  for (guint i = 0; i < before->len; i++)
    {
      row = g_ptr_array_index (before, i);
      if (row->ipv4 == NULL)
        continue;
      /* Overlapping an existing network, even an inactive one. */
      g_assert_false (network_create (fixture.network, row->ipv4, NULL, NULL, &error));
      g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK);
      g_test_message ("overlap: %s", error->message);
      g_clear_error (&error);
      break;
    }
  names_now = host_virsh_names ("net-list");
  g_assert_cmpstrv (names_now, names_before);
  g_clear_pointer (&names_now, g_strfreev);

  /* Created: defined and running, as virsh sees it. */
  g_assert_true (network_create (fixture.network, fixture.range, start, end, &error));
  g_assert_no_error (error);
  xml = g_strdup_printf ("net-info %s", fixture.network);
  assert_virsh_field (xml, "Active", "yes");
  assert_virsh_field (xml, "Persistent", "yes");
  assert_virsh_field (xml, "Autostart", "no");
  {
    g_autofree char *dump = NULL;
    g_autofree char *range_xml = g_strdup_printf ("<range start='%s' end='%s'", start, end);

    g_assert_true (host_virsh (&dump, "net-dumpxml %s", fixture.network));
    g_assert_nonnull (strstr (dump, range_xml));
    g_assert_null (strstr (dump, "<forward"));
  }

  /* The same range again now overlaps the new network. */
  g_assert_false (network_create (HOST_TEST_PREFIX "again", fixture.range, NULL, NULL, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, fixture.network));
  g_clear_error (&error);

  after = host_test_list_networks (fixture.connection);
  row = host_test_find_network (after, fixture.network);
  g_assert_nonnull (row);
  g_assert_true (row->active);
  g_assert_null (row->forward);
  g_assert_cmpstr (row->dhcp_start, ==, start);
  g_assert_cmpstr (row->dhcp_end, ==, end);
  g_clear_pointer (&after, g_ptr_array_unref);

  g_assert_true (network_run (fixture.network, HANGAR_HOST_ACTION_STOP, &error));
  assert_virsh_field (xml, "Active", "no");
  g_assert_true (network_run (fixture.network, HANGAR_HOST_ACTION_START, &error));
  assert_virsh_field (xml, "Active", "yes");
  g_assert_true (network_run (fixture.network, HANGAR_HOST_ACTION_AUTOSTART_ON, &error));
  assert_virsh_field (xml, "Autostart", "yes");
  g_assert_true (network_run (fixture.network, HANGAR_HOST_ACTION_AUTOSTART_OFF, &error));
  assert_virsh_field (xml, "Autostart", "no");
  g_assert_no_error (error);

  /* A running machine on it: deleting is refused and names the machine. */
  devices = g_strdup_printf ("<interface type='network'><source network='%s'/>"
                             "<model type='e1000'/></interface>", fixture.network);
  define_domain (vm, devices);
  g_assert_true (host_virsh (NULL, "start %s", vm));
  after = host_test_list_networks (fixture.connection);
  row = host_test_find_network (after, fixture.network);
  g_assert_cmpuint (g_strv_length (row->users), ==, 1);
  g_assert_cmpstr (row->users[0], ==, vm);
  g_clear_pointer (&after, g_ptr_array_unref);

  g_assert_false (network_run (fixture.network, HANGAR_HOST_ACTION_DELETE, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, vm));
  g_test_message ("refused: %s", error->message);
  g_clear_error (&error);
  assert_virsh_field (xml, "Active", "yes");

  g_assert_true (host_virsh (NULL, "destroy %s", vm));
  g_assert_true (host_virsh (NULL, "undefine %s", vm));
  g_assert_true (network_run (fixture.network, HANGAR_HOST_ACTION_DELETE, &error));
  g_assert_no_error (error);
  g_assert_false (host_virsh (NULL, "net-info %s", fixture.network));
  names_now = host_virsh_names ("net-list");
  g_assert_cmpstrv (names_now, names_before);
}

/* NAT, routed and open networks: the forward mode the host ends up with. */
static void
test_network_modes (void)
{
  struct { HangarNetworkForward forward; const char *mode; } modes[] = {
    { HANGAR_NETWORK_FORWARD_NAT, "nat" },
    { HANGAR_NETWORK_FORWARD_ROUTE, "route" },
    { HANGAR_NETWORK_FORWARD_OPEN, "open" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GPtrArray) rows = host_test_list_networks (fixture.connection);
      g_autofree char *range = host_test_free_range (rows);
      g_autofree char *name = g_strdup_printf (HOST_TEST_PREFIX "%s-%d", modes[i].mode,
                                               (int) getpid ());
      g_autofree char *dump = NULL;
      g_autofree char *expected = g_strdup_printf ("<forward mode='%s'", modes[i].mode);
      g_autoptr(GPtrArray) after = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (network_create_mode (name, modes[i].forward, range, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (host_virsh (&dump, "net-dumpxml %s", name));
      g_assert_nonnull (strstr (dump, expected));
      after = host_test_list_networks (fixture.connection);
      g_assert_cmpstr (host_test_find_network (after, name)->forward, ==, modes[i].mode);
      g_assert_true (host_test_find_network (after, name)->active);
      g_assert_true (network_run (name, HANGAR_HOST_ACTION_DELETE, &error));
      g_assert_no_error (error);
      g_assert_false (host_virsh (NULL, "net-info %s", name));
    }
}

static HangarHostPool *
find_pool (GPtrArray  *rows,
           const char *name)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (HANGAR_HOST_POOL (g_ptr_array_index (rows, i))->name, name))
      return g_ptr_array_index (rows, i);
  return NULL;
}

static void
test_storage (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pools_before = host_virsh_names ("pool-list");
  g_auto(GStrv) pools_now = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *info = NULL;
  g_autofree char *vm = g_strdup_printf (HOST_TEST_PREFIX "diskvm-%d", (int) getpid ());
  g_autofree char *devices = NULL;
  g_autoptr(GPtrArray) pools = NULL;
  g_autoptr(GPtrArray) volumes = NULL;
  HangarHostPool *pool;
  HangarHostVolume *volume;

  fixture.pool = g_strdup_printf (HOST_TEST_PREFIX "pool-%d", (int) getpid ());
  fixture.pool_dir = g_dir_make_tmp (HOST_TEST_PREFIX "pool-XXXXXX", NULL);
  g_assert_nonnull (fixture.pool_dir);
  missing = g_build_filename (fixture.pool_dir, "not-there", NULL);

  /* Bad input creates nothing. */
  g_assert_false (pool_create (fixture.pool, missing, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  g_assert_false (pool_create (fixture.pool, "relative", &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH);
  g_clear_error (&error);
  g_assert_false (pool_create ("no/slash", fixture.pool_dir, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME);
  g_clear_error (&error);
  pools_now = host_virsh_names ("pool-list");
  g_assert_cmpstrv (pools_now, pools_before);
  g_clear_pointer (&pools_now, g_strfreev);

  g_assert_true (pool_create (fixture.pool, fixture.pool_dir, &error));
  g_assert_no_error (error);
  info = g_strdup_printf ("pool-info %s", fixture.pool);
  assert_virsh_field (info, "State", "running");
  assert_virsh_field (info, "Autostart", "no");

  /* The same name again is the name's error. */
  g_assert_false (pool_create (fixture.pool, fixture.pool_dir, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME);
  g_clear_error (&error);

  g_assert_true (pool_run (fixture.pool, HANGAR_HOST_ACTION_REFRESH, &error));
  g_assert_true (pool_run (fixture.pool, HANGAR_HOST_ACTION_AUTOSTART_ON, &error));
  assert_virsh_field (info, "Autostart", "yes");
  g_assert_true (pool_run (fixture.pool, HANGAR_HOST_ACTION_AUTOSTART_OFF, &error));
  assert_virsh_field (info, "Autostart", "no");
  g_assert_no_error (error);

  pools = host_test_list_pools (fixture.connection);
  pool = find_pool (pools, fixture.pool);
  g_assert_nonnull (pool);
  g_assert_cmpstr (pool->type, ==, "dir");
  g_assert_cmpstr (pool->path, ==, fixture.pool_dir);
  g_assert_true (pool->active);
  g_assert_cmpuint (pool->capacity, >, 0);
  g_assert_cmpuint (pool->available, <=, pool->capacity);

  /* Volumes: bad ones first. */
  g_assert_false (volume_create ("", "qcow2", 1 << 30, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME);
  g_clear_error (&error);
  g_assert_false (volume_create (HOST_TEST_PREFIX "tiny", "qcow2", 1024, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_CAPACITY);
  g_clear_error (&error);
  volumes = host_test_list_volumes (fixture.connection, fixture.pool);
  g_assert_cmpuint (volumes->len, ==, 0);
  g_clear_pointer (&volumes, g_ptr_array_unref);

  g_assert_true (volume_create (HOST_TEST_PREFIX "disk.qcow2", "qcow2", 1 << 30, &error));
  g_assert_no_error (error);
  g_assert_true (volume_create (HOST_TEST_PREFIX "raw.img", "raw", 64 << 20, &error));
  g_assert_no_error (error);
  g_assert_false (volume_create (HOST_TEST_PREFIX "raw.img", "raw", 64 << 20, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME);
  g_clear_error (&error);
  {
    g_autofree char *command = g_strdup_printf ("vol-info --pool %s " HOST_TEST_PREFIX
                                                "disk.qcow2", fixture.pool);
    g_autofree char *dump = NULL;

    assert_virsh_field (command, "Capacity", "1.00 GiB");
    g_assert_true (host_virsh (&dump, "vol-dumpxml --pool %s " HOST_TEST_PREFIX "disk.qcow2",
                               fixture.pool));
    g_assert_nonnull (strstr (dump, "<format type='qcow2'/>"));
  }

  /* A machine with the qcow2 as its disk. */
  volumes = host_test_list_volumes (fixture.connection, fixture.pool);
  g_assert_cmpuint (volumes->len, ==, 2);
  volume = g_ptr_array_index (volumes, 0);
  g_assert_cmpstr (volume->name, ==, HOST_TEST_PREFIX "disk.qcow2");
  g_assert_cmpstr (volume->format, ==, "qcow2");
  g_assert_cmpuint (volume->capacity, ==, 1 << 30);
  g_assert_cmpuint (g_strv_length (volume->users), ==, 0);
  devices = g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                             "<source file='%s'/><target dev='vda' bus='virtio'/></disk>",
                             volume->path);
  define_domain (vm, devices);
  g_clear_pointer (&volumes, g_ptr_array_unref);

  volumes = host_test_list_volumes (fixture.connection, fixture.pool);
  volume = g_ptr_array_index (volumes, 0);
  g_assert_cmpuint (g_strv_length (volume->users), ==, 1);
  g_assert_cmpstr (volume->users[0], ==, vm);
  g_assert_cmpuint (g_strv_length (HANGAR_HOST_VOLUME (g_ptr_array_index (volumes, 1))->users),
                    ==, 0);
  g_clear_pointer (&volumes, g_ptr_array_unref);

  /* Refused while used, unless forced. */
  g_assert_false (volume_delete (HOST_TEST_PREFIX "disk.qcow2", FALSE, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, vm));
  g_clear_error (&error);
  g_assert_true (host_virsh (NULL, "vol-info --pool %s " HOST_TEST_PREFIX "disk.qcow2",
                             fixture.pool));
  g_assert_true (volume_delete (HOST_TEST_PREFIX "disk.qcow2", TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (host_virsh (NULL, "vol-info --pool %s " HOST_TEST_PREFIX "disk.qcow2",
                              fixture.pool));
  g_assert_true (volume_delete (HOST_TEST_PREFIX "raw.img", FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (host_virsh (NULL, "undefine %s", vm));

  /* The base image under a machine's overlay: no definition names it,
   * yet deleting it destroys the machine's disk. */
  {
    g_autofree char *overlay_disk = NULL;

    g_assert_true (host_virsh (NULL, "vol-create-as %s " HOST_TEST_PREFIX "base.qcow2 64M "
                               "--format qcow2", fixture.pool));
    g_assert_true (host_virsh (NULL, "vol-create-as %s " HOST_TEST_PREFIX "overlay.qcow2 64M "
                               "--format qcow2 --backing-vol %s/" HOST_TEST_PREFIX "base.qcow2 "
                               "--backing-vol-format qcow2", fixture.pool, fixture.pool_dir));
    overlay_disk = g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' "
                                    "type='qcow2'/><source file='%s/" HOST_TEST_PREFIX
                                    "overlay.qcow2'/><target dev='vda' bus='virtio'/></disk>",
                                    fixture.pool_dir);
    define_domain (vm, overlay_disk);
    g_assert_false (volume_delete (HOST_TEST_PREFIX "base.qcow2", FALSE, &error));
    g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IN_USE);
    g_assert_nonnull (strstr (error->message, vm));
    g_clear_error (&error);
    g_assert_true (host_virsh (NULL, "undefine %s", vm));
    g_assert_true (volume_delete (HOST_TEST_PREFIX "overlay.qcow2", FALSE, &error));
    g_assert_true (volume_delete (HOST_TEST_PREFIX "base.qcow2", FALSE, &error));
    g_assert_no_error (error);
  }

  g_assert_true (pool_run (fixture.pool, HANGAR_HOST_ACTION_STOP, &error));
  g_assert_no_error (error);
  assert_virsh_field (info, "State", "inactive");
  g_assert_true (pool_run (fixture.pool, HANGAR_HOST_ACTION_START, &error));
  g_assert_no_error (error);
  assert_virsh_field (info, "State", "running");
  g_assert_true (pool_run (fixture.pool, HANGAR_HOST_ACTION_STOP, &error));
  g_assert_no_error (error);
  assert_virsh_field (info, "State", "inactive");
  g_assert_true (pool_run (fixture.pool, HANGAR_HOST_ACTION_DELETE, &error));
  g_assert_no_error (error);
  g_assert_false (host_virsh (NULL, "pool-info %s", fixture.pool));
  /* The folder stays: deleting a pool forgets it, it does not wipe it. */
  g_assert_true (g_file_test (fixture.pool_dir, G_FILE_TEST_IS_DIR));
  pools_now = host_virsh_names ("pool-list");
  g_assert_cmpstrv (pools_now, pools_before);
}

/* --- every pool type ------------------------------------------------------------------- */

typedef struct
{
  HangarPoolSpec spec;
  const char    *expect[10];  /* XPath, value pairs the defined pool must show; NULL ends */
  const char    *failure;    /* what the model's error starts with, or NULL: it starts */
  const char    *source;     /* what the pool list says its storage is; NULL for none */
} PoolCase;

/* Any XPath result as text: node values, counts. */
static char *
xpath_value (xmlDoc     *doc,
             const char *expr)
{
  g_autoptr(xmlXPathContext) context = xmlXPathNewContext (doc);
  g_autoptr(xmlXPathObject) found = xmlXPathEvalExpression (BAD_CAST expr, context);
  xmlChar *text;
  char *value;

  g_assert_nonnull (found);
  text = xmlXPathCastToString (found);
  value = g_strdup ((const char *) text);
  xmlFree (text);
  return value;
}

static void
assert_pool_xml (const PoolCase *c,
                 const char     *xml)
{
  g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);
  g_autofree char *type = NULL;

  g_assert_nonnull (doc);
  type = xpath_value (doc, "/pool/@type");
  g_assert_cmpstr (type, ==, hangar_pool_type_to_string (c->spec.type));
  for (guint i = 0; c->expect[i] != NULL; i += 2)
    {
      g_autofree char *value = xpath_value (doc, c->expect[i]);

      g_test_message ("%s %s = %s", c->spec.name, c->expect[i], value);
      g_assert_cmpstr (value, ==, c->expect[i + 1]);
    }
}

static void
pool_cases (PoolCase *cases)
{
  const char *n = HOST_TEST_PREFIX "type-";
  char *fs_mount = g_build_filename (fixture.types_dir, "fs", NULL);
  char *nfs_mount = g_build_filename (fixture.types_dir, "nfs", NULL);
  char *made = g_build_filename (fixture.types_dir, "made", NULL);

  cases[0] = (PoolCase) {
    { .name = g_strconcat (n, "dir", NULL), .type = HANGAR_POOL_DIR, .target = made,
      .build = TRUE },
    { "/pool/target/path", made, "count(/pool/source/*)", "0" },
    NULL,
  };
  cases[1] = (PoolCase) {
    { .name = g_strconcat (n, "fs", NULL), .type = HANGAR_POOL_FS,
      .devices = "/dev/" HOST_TEST_PREFIX "missing", .format = "ext4", .target = fs_mount },
    { "/pool/source/device/@path", "/dev/" HOST_TEST_PREFIX "missing",
      "/pool/source/format/@type", "ext4", "/pool/target/path", fs_mount },
    "Could not start the new storage pool: ",
    "/dev/" HOST_TEST_PREFIX "missing",
  };
  cases[2] = (PoolCase) {
    { .name = g_strconcat (n, "netfs", NULL), .type = HANGAR_POOL_NETFS,
      .source_host = "nfs.invalid", .source_path = "/" HOST_TEST_PREFIX "export",
      .format = "nfs", .target = nfs_mount },
    { "/pool/source/host/@name", "nfs.invalid", "/pool/source/dir/@path",
      "/" HOST_TEST_PREFIX "export", "/pool/source/format/@type", "nfs",
      "/pool/target/path", nfs_mount },
    "Could not start the new storage pool: ",
    "nfs.invalid:/" HOST_TEST_PREFIX "export",
  };
  cases[3] = (PoolCase) {
    { .name = g_strconcat (n, "logical", NULL), .type = HANGAR_POOL_LOGICAL,
      .source_name = "hangar_hosttest_vg",
      .devices = "/dev/" HOST_TEST_PREFIX "pv1 /dev/" HOST_TEST_PREFIX "pv2", .build = TRUE },
    { "/pool/source/name", "hangar_hosttest_vg", "count(/pool/source/device)", "2",
      "/pool/source/device[2]/@path", "/dev/" HOST_TEST_PREFIX "pv2",
      "/pool/target/path", "/dev/hangar_hosttest_vg" },
    /* Building refuses devices it cannot look into: nothing is written. */
    "Could not prepare the device for the storage pool: ",
    "hangar_hosttest_vg",
  };
  cases[4] = (PoolCase) {
    { .name = g_strconcat (n, "iscsi", NULL), .type = HANGAR_POOL_ISCSI,
      .source_host = "iscsi.invalid", .iqn = "iqn.2013-06.org.hangar:hosttest",
      .target = "/dev/disk/by-path" },
    { "/pool/source/host/@name", "iscsi.invalid", "/pool/source/device/@path",
      "iqn.2013-06.org.hangar:hosttest", "/pool/target/path", "/dev/disk/by-path" },
    "Could not start the new storage pool: ",
    "iscsi.invalid iqn.2013-06.org.hangar:hosttest",
  };
  cases[5] = (PoolCase) {
    { .name = g_strconcat (n, "disk", NULL), .type = HANGAR_POOL_DISK,
      .devices = "/dev/" HOST_TEST_PREFIX "disk", .target = "/dev" },
    { "/pool/source/device/@path", "/dev/" HOST_TEST_PREFIX "disk",
      "/pool/target/path", "/dev" },
    "Could not start the new storage pool: ",
    "/dev/" HOST_TEST_PREFIX "disk",
  };
}

static void
pool_cases_free (PoolCase *cases)
{
  g_free ((char *) cases[0].spec.target);
  g_free ((char *) cases[1].spec.target);
  g_free ((char *) cases[2].spec.target);
  for (guint i = 0; i < HANGAR_N_POOL_TYPES; i++)
    g_free ((char *) cases[i].spec.name);
}

/* Each type is defined from our XML and read back from the daemon. Only a
 * folder pool can start here; the others have no server or device (hosts
 * are .invalid, devices do not exist), so they show that libvirt's reason
 * reaches the caller and that the model leaves nothing defined. */
static void
test_pool_types (void)
{
  PoolCase cases[HANGAR_N_POOL_TYPES];
  g_auto(GStrv) pools_before = host_virsh_names ("pool-list");

  fixture.types_dir = g_dir_make_tmp (HOST_TEST_PREFIX "types-XXXXXX", NULL);
  g_assert_nonnull (fixture.types_dir);
  pool_cases (cases);

  for (guint i = 0; i < HANGAR_N_POOL_TYPES; i++)
    {
      const PoolCase *c = &cases[i];
      g_autofree char *xml = NULL;
      g_autofree char *file = NULL;
      g_autofree char *dump = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) pools_now = NULL;

      g_test_message ("pool type %s", hangar_pool_type_to_string (c->spec.type));
      g_assert_true (hangar_pool_spec_check (&c->spec, NULL, TRUE, &error));
      g_assert_no_error (error);

      /* The XML we make is what the daemon keeps. */
      xml = hangar_host_pool_spec_to_xml (&c->spec);
      assert_pool_xml (c, xml);
      file = g_build_filename (fixture.types_dir, "pool.xml", NULL);
      g_assert_true (g_file_set_contents (file, xml, -1, NULL));
      g_assert_true (host_virsh (NULL, "pool-define %s", file));
      g_unlink (file);
      g_assert_true (host_virsh (&dump, "pool-dumpxml %s", c->spec.name));
      assert_pool_xml (c, dump);
      /* The list says where the storage is. */
      {
        g_autoptr(GPtrArray) rows = host_test_list_pools (fixture.connection);
        HangarHostPool *row = NULL;

        for (guint j = 0; j < rows->len; j++)
          if (g_strcmp0 (((HangarHostPool *) g_ptr_array_index (rows, j))->name, c->spec.name) == 0)
            row = g_ptr_array_index (rows, j);
        g_assert_nonnull (row);
        g_assert_cmpstr (row->source, ==, c->source);
      }
      g_assert_true (host_virsh (NULL, "pool-undefine %s", c->spec.name));

      /* Through the model: it starts, or libvirt's reason comes back and
       * nothing stays defined. */
      if (c->failure == NULL)
        {
          g_autofree char *info = g_strdup_printf ("pool-info %s", c->spec.name);

          g_assert_true (pool_create_spec (&c->spec, &error));
          g_assert_no_error (error);
          assert_virsh_field (info, "State", "running");
          /* Built: the folder was made. */
          g_assert_true (g_file_test (c->spec.target, G_FILE_TEST_IS_DIR));
          g_assert_true (pool_run (c->spec.name, HANGAR_HOST_ACTION_REFRESH, &error));
          g_assert_true (pool_run (c->spec.name, HANGAR_HOST_ACTION_DELETE, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (pool_create_spec (&c->spec, &error));
          g_test_message ("%s: %s", c->spec.name, error->message);
          g_assert_error (error, HANGAR_LIBVIRT_ERROR, error->code);
          g_assert_true (g_str_has_prefix (error->message, c->failure));
          /* libvirt's own words follow ours. */
          g_assert_cmpuint (strlen (error->message), >, strlen (c->failure) + 10);
        }
      g_assert_false (host_virsh (NULL, "pool-info %s", c->spec.name));
      pools_now = host_virsh_names ("pool-list");
      g_assert_cmpstrv (pools_now, pools_before);
    }

  pool_cases_free (cases);
}

static void
test_interfaces (void)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gboolean lo = FALSE;

  hangar_host_list_interfaces_async (fixture.connection, NULL, hangar_test_async_ready, &result);
  rows = hangar_host_list_finish (host_test_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      HangarHostInterface *row = g_ptr_array_index (rows, i);

      g_test_message ("%s %s %s %s", row->name, row->kind ? row->kind : "-",
                      row->mac ? row->mac : "-", row->active ? "up" : "down");
      g_assert_nonnull (row->name);
      lo |= g_str_equal (row->name, "lo");
    }
  g_assert_true (lo);
}

static void
cleanup (void)
{
  host_test_remove_stale ();
  if (fixture.pool_dir != NULL)
    g_rmdir (fixture.pool_dir);
  if (fixture.types_dir != NULL)
    {
      const char *made[] = { "made", "fs", "nfs", "pool.xml" };

      for (guint i = 0; i < G_N_ELEMENTS (made); i++)
        {
          g_autofree char *path = g_build_filename (fixture.types_dir, made[i], NULL);

          g_remove (path);
        }
      g_rmdir (fixture.types_dir);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  host_test_remove_stale ();
  fixture.connection = host_test_connect ();

  g_test_add_func ("/hangar/host/model/overview", test_overview);
  g_test_add_func ("/hangar/host/model/networks", test_networks);
  g_test_add_func ("/hangar/host/model/network-modes", test_network_modes);
  g_test_add_func ("/hangar/host/model/storage", test_storage);
  g_test_add_func ("/hangar/host/model/pool-types", test_pool_types);
  g_test_add_func ("/hangar/host/model/interfaces", test_interfaces);

  host_test_cleanup_on_crash (cleanup);
  status = g_test_run ();
  cleanup ();
  hangar_connection_close (fixture.connection);
  g_clear_object (&fixture.connection);
  g_free (fixture.network);
  g_free (fixture.range);
  g_free (fixture.pool);
  g_free (fixture.pool_dir);
  g_free (fixture.types_dir);
  return status;
}
