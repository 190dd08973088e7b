/* wizard-test-util.c — what the wizard's tests share: virsh, test ISOs, cleanup.
 *
 * Every machine and volume a test makes is named hangar-wiztest-*, and
 * removed at the start (stale ones from a crashed run) and at the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wizard-test-util.h"

/* Runs virsh on the test connection; returns its output, NULL on failure. */
char *
wiztest_virsh (const char *format,
               ...)
{
  va_list args;
  g_autofree char *args_text = NULL;
  g_autofree char *command = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = -1;

  va_start (args, format);
  args_text = g_strdup_vprintf (format, args);
  va_end (args);
  command = g_strdup_printf ("virsh -q -c " WIZTEST_URI " %s", args_text);
  if (!g_spawn_command_line_sync (command, &out, &err, &status, NULL))
    return NULL;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s: %s", command, err);
      g_free (out);
      return NULL;
    }
  return out;
}

/* Other tests restart the system daemon: give it a moment to come back. */
gboolean
wiztest_daemon_running (void)
{
  for (guint i = 0; i < 300; i++)
    {
      if (g_file_test ("/var/run/libvirt/libvirt-sock", G_FILE_TEST_EXISTS))
        return TRUE;
      g_usleep (100000);
    }
  return FALSE;
}

gboolean
wiztest_domain_exists (const char *name)
{
  g_autofree char *out = wiztest_virsh ("domstate %s", name);

  return out != NULL;
}

/* Every hangar-wiztest-* volume in every pool, as "pool/volume" lines. */
GPtrArray *
wiztest_list_volumes (void)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *pools = wiztest_virsh ("pool-list --name");
  g_auto(GStrv) pool_names = NULL;

  if (pools == NULL)
    return found;
  pool_names = g_strsplit (pools, "\n", -1);
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
          g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[j]), " \t", 2);

          if (fields[0] != NULL && g_str_has_prefix (fields[0], WIZTEST_PREFIX))
            g_ptr_array_add (found, g_strdup_printf ("%s/%s", pool, fields[0]));
        }
    }
  return found;
}

void
wiztest_cleanup (void)
{
  g_autofree char *names = wiztest_virsh ("list --all --name");
  g_autoptr(GPtrArray) volumes = NULL;
  g_auto(GStrv) lines = NULL;

  lines = g_strsplit (names ? names : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *name = g_strstrip (lines[i]);

      if (!g_str_has_prefix (name, WIZTEST_PREFIX))
        continue;
      g_free (wiztest_virsh ("destroy %s", name));
      g_free (wiztest_virsh ("undefine --nvram %s", name));
    }

  volumes = wiztest_list_volumes ();
  for (guint i = 0; i < volumes->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (volumes, i), "/", 2);

      g_free (wiztest_virsh ("vol-delete --pool %s %s", parts[0], parts[1]));
    }
}

/* A bootable ISO whose volume ID osinfo-db 20221203 knows as Debian 11. */
char *
wiztest_make_iso (const char *dir,
                  const char *volume_id)
{
  g_autofree char *tree = g_build_filename (dir, "iso-tree", NULL);
  g_autofree char *boot = g_build_filename (tree, "boot.img", NULL);
  g_autofree char *boot_data = g_malloc0 (2048);
  char *iso = g_build_filename (dir, "wiztest.iso", NULL);
  const char *argv[] = { "xorriso", "-as", "mkisofs", "-V", volume_id, "-b", "boot.img",
                         "-no-emul-boot", "-boot-load-size", "4", "-o", iso, tree, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (tree, 0755), ==, 0);
  g_assert_true (g_file_set_contents (boot, boot_data, 2048, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  /* QEMU runs as libvirt-qemu: the file must be readable to all. */
  g_chmod (iso, 0644);
  g_chmod (dir, 0755);
  return iso;
}

/* The capacity in bytes `virsh vol-info` reports for a volume path. */
guint64
wiztest_volume_capacity (const char *path)
{
  g_autofree char *out = wiztest_virsh ("vol-info --bytes %s", path);
  g_auto(GStrv) lines = NULL;

  if (out == NULL)
    return 0;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Capacity:"))
      return g_ascii_strtoull (g_strstrip (lines[i] + strlen ("Capacity:")), NULL, 10);
  return 0;
}

/* A Fedora 37 tree as osinfo-db 20221203 knows it. */
const char wiztest_treeinfo[] =
  "[general]\n"
  "family = Fedora\n"
  "version = 37\n"
  "arch = x86_64\n"
  "variant = Everything\n"
  "\n"
  "[images-x86_64]\n"
  "kernel = images/pxeboot/vmlinuz\n"
  "initrd = images/pxeboot/initrd.img\n";

/* python3 -m http.server on a free port of 127.0.0.1, serving @root. */
GSubprocess *
wiztest_start_http_server (const char *root,
                   guint16    *port)
{
  g_autoptr(GSocketListener) probe = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  GSubprocess *server;

  /* A free port: bind one, let it go, give it to the server. */
  *port = g_socket_listener_add_any_inet_port (probe, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (probe);
  port_text = g_strdup_printf ("%u", *port);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, "python3", "-m", "http.server", "--bind", "127.0.0.1",
                             "--directory", root, port_text, NULL);
  g_assert_no_error (error);

  /* Wait until it answers. */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) c = g_socket_client_connect_to_host (client, "127.0.0.1", *port,
                                                                        NULL, NULL);
      if (c != NULL)
        break;
      g_usleep (100000);
    }
  return server;
}
