/* test-os.c — libosinfo lookups, and OS detection from a generated ISO and
 * from a distribution tree served on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hangar-os.h"

static OsinfoDb *db;
static char *tmp_dir;

static const char *
short_id (gpointer os)
{
  return osinfo_product_get_short_id (OSINFO_PRODUCT (os));
}

static void
test_find (void)
{
  g_assert_cmpstr (short_id (hangar_os_find (db, "fedora37")), ==, "fedora37");
  g_assert_cmpstr (short_id (hangar_os_find (db, "win11")), ==, "win11");
  g_assert_null (hangar_os_find (db, "debian12"));
  g_assert_cmpstr (short_id (hangar_os_find_generic (db, "linux")), ==, "linux2022");
  g_assert_null (hangar_os_find_generic (db, "winnt"));
}

static gboolean
contains (GPtrArray  *list,
          const char *id)
{
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (short_id (list->pdata[i]), id) == 0)
      return TRUE;
  return FALSE;
}

static void
test_search (void)
{
  g_autoptr(GPtrArray) win = hangar_os_search (db, "Windows 11", 0);
  g_autoptr(GPtrArray) fedora = hangar_os_search (db, "  fedora  ", 0);
  g_autoptr(GPtrArray) fedora37 = hangar_os_search (db, "FEDORA 37", 0);
  g_autoptr(GPtrArray) debian12 = hangar_os_search (db, "Debian 12", 0);
  g_autoptr(GPtrArray) empty = hangar_os_search (db, "", 0);
  g_autoptr(GPtrArray) few = hangar_os_search (db, "ubuntu", 3);

  g_assert_true (contains (win, "win11"));
  g_assert_false (contains (win, "win10"));
  g_assert_true (contains (fedora, "fedora37"));
  g_assert_true (contains (fedora, "fedora20"));
  g_assert_true (contains (fedora37, "fedora37"));
  g_assert_false (contains (fedora37, "fedora36"));
  /* Newer than the database: nothing, and the wizard offers "linux2022". */
  g_assert_cmpuint (debian12->len, ==, 0);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (few->len, ==, 3);

  /* Newest first. */
  for (guint i = 1; i < fedora->len; i++)
    g_assert_cmpint (g_strcmp0 (osinfo_product_get_release_date_string (fedora->pdata[i - 1]),
                                osinfo_product_get_release_date_string (fedora->pdata[i])),
                     >=, 0);
}

static void
assert_name (OsinfoDb   *with,
             const char *id,
             const char *want)
{
  g_autofree char *name = hangar_os_name_for_id (with, id);

  g_assert_cmpstr (name, ==, want);
}

/* What the details say a machine runs: never a raw id when a name can be made. */
static void
test_name_for_id (void)
{
  assert_name (db, "http://debian.org/debian/11", "Debian 11");
  assert_name (db, "http://fedoraproject.org/fedora/37", "Fedora Linux 37");
  /* Newer than osinfo-db 20221203: named like the database's siblings. */
  assert_name (db, "http://debian.org/debian/12", "Debian 12");
  assert_name (db, "http://ubuntu.com/ubuntu/24.04", "Ubuntu 24.04");
  assert_name (db, "http://fedoraproject.org/fedora/40", "Fedora Linux 40");
  /* No siblings: the id's family and version. */
  assert_name (db, "http://example.org/hangaros/3", "Hangaros 3");
  assert_name (NULL, "http://debian.org/debian/12", "Debian 12");
  /* Nothing to make a name of: the id as it is. */
  assert_name (db, "http://example.org/3", "http://example.org/3");
  assert_name (db, "weird", "weird");
  assert_name (db, NULL, NULL);
}

static char *
make_iso (const char *volume_id,
          gboolean    bootable)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "iso-root", NULL);
  g_autofree char *boot = g_build_filename (dir, "boot.img", NULL);
  g_autofree char *iso = g_strdup_printf ("%s/%s.iso", tmp_dir, volume_id);
  g_autofree char *zeros = g_malloc0 (2048);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (boot, zeros, 2048, &error);
  g_assert_no_error (error);

  g_ptr_array_add (argv, (char *) "xorriso");
  g_ptr_array_add (argv, (char *) "-as");
  g_ptr_array_add (argv, (char *) "mkisofs");
  g_ptr_array_add (argv, (char *) "-V");
  g_ptr_array_add (argv, (char *) volume_id);
  if (bootable)
    {
      g_ptr_array_add (argv, (char *) "-b");
      g_ptr_array_add (argv, (char *) "boot.img");
      g_ptr_array_add (argv, (char *) "-no-emul-boot");
      g_ptr_array_add (argv, (char *) "-boot-load-size");
      g_ptr_array_add (argv, (char *) "4");
    }
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, iso);
  g_ptr_array_add (argv, dir);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xorriso failed: %s", err);

  g_assert_cmpint (g_remove (boot), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  return g_steal_pointer (&iso);
}

static void
test_identify_iso (void)
{
  g_autofree char *xorriso = g_find_program_in_path ("xorriso");
  g_autofree char *debian11 = NULL;
  g_autofree char *debian12 = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(OsinfoOs) os = NULL;
  g_autoptr(GError) error = NULL;

  if (xorriso == NULL)
    {
      g_test_skip ("xorriso is not installed");
      return;
    }

  /* The volume id osinfo-db lists for Debian 11's netinst image. */
  debian11 = make_iso ("Debian 11.6.0 amd64 n", TRUE);
  os = hangar_os_identify_iso (db, debian11, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (os);
  g_assert_cmpstr (short_id (os), ==, "debian11");
  g_clear_object (&os);

  /* Bootable, but newer than the database: unknown, not an error. */
  debian12 = make_iso ("Debian 12.2.0 amd64 n", TRUE);
  os = hangar_os_identify_iso (db, debian12, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (os);

  plain = make_iso ("Holiday photos", FALSE);
  os = hangar_os_identify_iso (db, plain, NULL, &error);
  g_assert_null (os);
  g_assert_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NOT_BOOTABLE);
  g_clear_error (&error);

  missing = g_build_filename (tmp_dir, "missing.iso", NULL);
  os = hangar_os_identify_iso (db, missing, NULL, &error);
  g_assert_null (os);
  g_assert_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NOT_BOOTABLE);

  g_assert_cmpint (g_remove (debian11), ==, 0);
  g_assert_cmpint (g_remove (debian12), ==, 0);
  g_assert_cmpint (g_remove (plain), ==, 0);
}

/* ---- trees over HTTP ---- */

static const char treeinfo[] =
  "[general]\n"
  "family = Fedora\n"
  "version = 37\n"
  "arch = x86_64\n"
  "variant = Everything\n"
  "\n"
  "[images-x86_64]\n"
  "kernel = images/pxeboot/vmlinuz\n"
  "initrd = images/pxeboot/initrd.img\n";

typedef struct
{
  GSocketService *service;
  char           *root;
  guint16         port;
} Server;

/* Enough HTTP/1.0 for libosinfo's GET of .treeinfo: the file, or 404. */
static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  Server *server = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (in);
  g_autofree char *request = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *reply = NULL;
  gsize len = 0;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);
  request = g_data_input_stream_read_line (data, NULL, NULL, NULL);
  /* Drain the headers. */
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (data, NULL, NULL, NULL);

      if (line == NULL || line[0] == '\0' || g_str_equal (line, "\r"))
        break;
    }

  parts = g_strsplit (request ? request : "", " ", 3);
  if (g_strv_length (parts) >= 2 && strstr (parts[1], "..") == NULL)
    {
      g_autofree char *clean = g_uri_unescape_string (parts[1], NULL);
      char *query = clean ? strchr (clean, '?') : NULL;

      if (query)
        *query = '\0';
      if (clean)
        path = g_build_filename (server->root, clean, NULL);
    }

  if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
      g_file_get_contents (path, &body, &len, NULL))
    reply = g_strdup_printf ("HTTP/1.0 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                             "Content-Type: text/plain\r\nConnection: close\r\n\r\n", len);
  else
    reply = g_strdup ("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

  g_output_stream_write_all (out, reply, strlen (reply), NULL, NULL, NULL);
  if (body != NULL)
    g_output_stream_write_all (out, body, len, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
server_start (Server     *server,
              const char *root)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  /* A threaded service: libosinfo's request blocks the test's thread. */
  server->service = g_threaded_socket_service_new (2);
  server->root = g_strdup (root);
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &bound, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (server->service, "run", G_CALLBACK (on_incoming), server);
  g_socket_service_start (server->service);
}

static void
server_stop (Server *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
  g_clear_pointer (&server->root, g_free);
}

static void
test_identify_tree (void)
{
  g_autofree char *root = g_build_filename (tmp_dir, "tree", NULL);
  g_autofree char *info = g_build_filename (root, "fedora", ".treeinfo", NULL);
  g_autofree char *info_dir = g_path_get_dirname (info);
  g_autofree char *url = NULL;
  g_autofree char *empty_url = NULL;
  g_autofree char *kernel_url = NULL;
  g_autofree char *expected_kernel = NULL;
  g_autoptr(OsinfoTree) tree = NULL;
  g_autoptr(OsinfoOs) os = NULL;
  g_autoptr(GError) error = NULL;
  Server server = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (info_dir, 0755), ==, 0);
  g_file_set_contents (info, treeinfo, -1, &error);
  g_assert_no_error (error);
  server_start (&server, root);

  url = g_strdup_printf ("http://127.0.0.1:%u/fedora/", server.port);
  tree = hangar_os_identify_tree (db, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tree);
  os = osinfo_tree_get_os (tree);
  g_assert_nonnull (os);
  g_assert_cmpstr (short_id (os), ==, "fedora37");
  g_assert_cmpstr (osinfo_tree_get_kernel_path (tree), ==, "images/pxeboot/vmlinuz");
  g_assert_cmpstr (osinfo_tree_get_initrd_path (tree), ==, "images/pxeboot/initrd.img");
  /* From this server, not from the mirror osinfo-db knows. */
  kernel_url = hangar_os_tree_resolve (tree, osinfo_tree_get_kernel_path (tree), &error);
  g_assert_no_error (error);
  expected_kernel = g_strdup_printf ("http://127.0.0.1:%u/fedora/images/pxeboot/vmlinuz",
                                     server.port);
  g_assert_cmpstr (kernel_url, ==, expected_kernel);
  g_clear_object (&tree);

  /* A server without a tree. */
  empty_url = g_strdup_printf ("http://127.0.0.1:%u/nothing/", server.port);
  tree = hangar_os_identify_tree (db, empty_url, NULL, &error);
  g_assert_null (tree);
  g_assert_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  server_stop (&server);

  /* Nobody answers any more. */
  tree = hangar_os_identify_tree (db, url, NULL, &error);
  g_assert_null (tree);
  g_assert_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE);
  g_test_message ("%s", error->message);

  g_assert_cmpint (g_remove (info), ==, 0);
  g_assert_cmpint (g_rmdir (info_dir), ==, 0);
  g_assert_cmpint (g_rmdir (root), ==, 0);
}

/* Review finding M3: a .treeinfo path that makes no valid address was a
 * NULL URL, then a NULL GError dereferenced in the creator's worker. */
static void
test_tree_bad_paths (void)
{
  static const char *const bad[][2] = {
    { "images/%zz", "images/initrd.img" },
    { "images/vmlinuz", "images/%zz" },
    { "%", "images/initrd.img" },
    /* Review finding M2: out of the tree, to another host or plaintext. */
    { "http://127.0.0.2/vmlinuz", "images/initrd.img" },
    { "//evil.invalid/fedora/vmlinuz", "images/initrd.img" },
    { "images/vmlinuz", "../../initrd.img" },
    { "https://tree.invalid/fedora/vmlinuz", "images/initrd.img" },
    /* Resolves to no host and a path of "//other.invalid/vmlinuz", which
     * GLib cannot print (found by fuzz-treeinfo in CI). */
    { "http:/..//other.invalid/vmlinuz", "images/initrd.img" },
    { "images/vmlinuz", "http:/../..//other.invalid/initrd" },
  };
  const char *url = "http://tree.invalid/fedora/";

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("[general]\nfamily = Fedora\nversion = 37\n"
                                               "arch = x86_64\n\n[images-x86_64]\n"
                                               "kernel = %s\ninitrd = %s\n",
                                               bad[i][0], bad[i][1]);
      g_autoptr(OsinfoTree) tree = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *resolved = NULL;

      tree = osinfo_tree_create_from_treeinfo (text, url, &error);
      g_assert_no_error (error);
      g_assert_nonnull (tree);

      g_assert_false (hangar_os_tree_prepare (db, tree, url, &error));
      g_assert_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE);
      g_test_message ("%s", error->message);
      g_clear_error (&error);

      resolved = hangar_os_tree_resolve (tree, "images/%zz", &error);
      g_assert_null (resolved);
      g_assert_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE);
    }

  /* The same tree with good paths passes, so the refusals above are the
   * paths' doing. */
  {
    g_autoptr(OsinfoTree) tree = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *kernel = NULL;

    /* libosinfo 1.10 dereferences a NULL GError** here: always pass one. */
    tree = osinfo_tree_create_from_treeinfo (treeinfo, url, &error);
    g_assert_no_error (error);
    g_assert_nonnull (tree);
    g_assert_true (hangar_os_tree_prepare (db, tree, url, &error));
    g_assert_no_error (error);
    kernel = hangar_os_tree_resolve (tree, osinfo_tree_get_kernel_path (tree), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (kernel, ==, "http://tree.invalid/fedora/images/pxeboot/vmlinuz");
  }
}

/* The whole way, over HTTP: the wizard's check refuses the tree. */
static void
test_identify_tree_bad_path (void)
{
  g_autofree char *root = g_build_filename (tmp_dir, "bad-tree", NULL);
  g_autofree char *info = g_build_filename (root, ".treeinfo", NULL);
  g_autofree char *url = NULL;
  g_autoptr(OsinfoTree) tree = NULL;
  g_autoptr(GError) error = NULL;
  Server server = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (root, 0755), ==, 0);
  g_file_set_contents (info, "[general]\nfamily = Fedora\nversion = 37\narch = x86_64\n\n"
                       "[images-x86_64]\nkernel = images/%zz\ninitrd = images/initrd.img\n",
                       -1, &error);
  g_assert_no_error (error);
  server_start (&server, root);

  url = g_strdup_printf ("http://127.0.0.1:%u/", server.port);
  tree = hangar_os_identify_tree (db, url, NULL, &error);
  g_assert_null (tree);
  g_assert_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE);
  g_test_message ("%s", error->message);

  server_stop (&server);
  g_assert_cmpint (g_remove (info), ==, 0);
  g_assert_cmpint (g_rmdir (root), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  db = hangar_os_get_db (&error);
  g_assert_no_error (error);
  g_assert_true (db == hangar_os_get_db (NULL));
  tmp_dir = g_dir_make_tmp ("hangar-os-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/hangar/wizard/os/find", test_find);
  g_test_add_func ("/hangar/wizard/os/search", test_search);
  g_test_add_func ("/hangar/wizard/os/name-for-id", test_name_for_id);
  g_test_add_func ("/hangar/wizard/os/identify-iso", test_identify_iso);
  g_test_add_func ("/hangar/wizard/os/identify-tree", test_identify_tree);
  g_test_add_func ("/hangar/wizard/os/tree-bad-paths", test_tree_bad_paths);
  g_test_add_func ("/hangar/wizard/os/identify-tree-bad-path", test_identify_tree_bad_path);

  ret = g_test_run ();

  g_assert_cmpint (g_rmdir (tmp_dir), ==, 0);
  g_free (tmp_dir);
  return ret;
}
