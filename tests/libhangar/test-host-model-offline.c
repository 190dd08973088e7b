/* test-host-model-offline.c — the host model where no daemon is needed.
 *
 * libvirt's in-process test driver stands for a host that is not QEMU,
 * and a made-up sysfs tree for a local host whose libvirt cannot list
 * its interfaces. The model on the real system daemon is
 * test-host-model.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hangar-host-model-private.h"
#include "host-test-util.h"

/* The fallback for a local host whose libvirt cannot list interfaces. */
static void
test_sysfs_interfaces (void)
{
  g_autofree char *root = g_dir_make_tmp (HOST_TEST_PREFIX "sysfs-XXXXXX", NULL);
  g_autofree char *eth = g_build_filename (root, "enp1s0", NULL);
  g_autofree char *bridge = g_build_filename (root, "br0", "bridge", NULL);
  g_autofree char *br = g_build_filename (root, "br0", NULL);
  g_autofree char *file = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  HangarHostInterface *row;

  g_assert_cmpint (g_mkdir (eth, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (bridge, 0755), ==, 0);
  file = g_build_filename (eth, "address", NULL);
  g_assert_true (g_file_set_contents (file, "52:54:00:12:34:56\n", -1, NULL));
  g_free (file);
  file = g_build_filename (eth, "operstate", NULL);
  g_assert_true (g_file_set_contents (file, "up\n", -1, NULL));
  g_free (file);
  file = g_build_filename (br, "operstate", NULL);
  g_assert_true (g_file_set_contents (file, "down\n", -1, NULL));

  rows = hangar_host_read_sysfs_interfaces (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->name, ==, "br0");
  g_assert_cmpstr (row->kind, ==, "bridge");
  g_assert_false (row->active);
  g_assert_null (row->mac);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row->name, ==, "enp1s0");
  g_assert_cmpstr (row->kind, ==, "ethernet");
  g_assert_cmpstr (row->mac, ==, "52:54:00:12:34:56");
  g_assert_true (row->active);

  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_null (hangar_host_read_sysfs_interfaces ("/nonexistent/hangar", &error));
  g_assert_nonnull (error);

  g_unlink (file);
  g_free (file);
  file = g_build_filename (eth, "address", NULL);
  g_unlink (file);
  g_free (file);
  file = g_build_filename (eth, "operstate", NULL);
  g_unlink (file);
  g_rmdir (eth);
  g_rmdir (bridge);
  g_rmdir (br);
  g_rmdir (root);
}

/* libvirt's in-process test driver: a host that is not QEMU, with no
 * usage statistics, still gets every page. */
static void
test_test_driver (void)
{
  g_autoptr(HangarConnection) connection = hangar_connection_new ("test:///default");
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarHostOverview) overview = NULL;
  g_autoptr(GPtrArray) networks = NULL;
  g_autoptr(GPtrArray) pools = NULL;
  g_autoptr(GPtrArray) volumes = NULL;
  g_autoptr(GPtrArray) interfaces = NULL;

  hangar_connection_open (connection);
  g_assert_true (hangar_test_wait (host_test_connection_settled, connection, 10000));
  g_assert_cmpint (hangar_connection_get_state (connection), ==,
                   HANGAR_CONNECTION_STATE_CONNECTED);

  hangar_host_read_overview_async (connection, NULL, hangar_test_async_ready, &result);
  overview = hangar_host_read_overview_finish (host_test_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpstr (overview->hypervisor, ==, "TEST");
  g_assert_cmpuint (overview->cpus, >, 0);

  networks = host_test_list_networks (connection);
  g_assert_nonnull (host_test_find_network (networks, "default"));
  g_assert_cmpstr (host_test_find_network (networks, "default")->ipv4, ==, "192.168.122.1/24");
  pools = host_test_list_pools (connection);
  g_assert_cmpuint (pools->len, >=, 1);
  volumes = host_test_list_volumes (connection, HANGAR_HOST_POOL (g_ptr_array_index (pools, 0))->name);
  g_assert_nonnull (volumes);

  hangar_host_list_interfaces_async (connection, NULL, hangar_test_async_ready, &result);
  interfaces = hangar_host_list_finish (host_test_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpuint (interfaces->len, >=, 1);

  hangar_connection_close (connection);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/host/model/sysfs-interfaces", test_sysfs_interfaces);
  g_test_add_func ("/hangar/host/model/test-driver", test_test_driver);

  return g_test_run ();
}
