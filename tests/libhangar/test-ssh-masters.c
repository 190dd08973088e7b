/* test-ssh-masters.c — which ssh masters the console tunnels share, and that none outlives Hangar.
 *
 * Against the private sshd (tools/start-sshd) and a small TCP server of
 * this test's own on 127.0.0.1 (no guest needed):
 *
 * - a tunnel of a no_verify=1 connection and one of a connection that
 *   checks the host key never share a master, nor do two key files;
 * - hangar_ssh_tunnel_stop_all_masters() (what the application calls on
 *   shutdown) leaves no master behind;
 * - when the runtime directory is too long for socket names, the control
 *   sockets go to a fresh private folder in /tmp, not to a predictable one.
 *
 * The runtime directory is made too long on purpose, so every tunnel here
 * uses that fallback folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hangar-ssh.h"
#include "hangar-ssh-tunnel.h"

static char *runtime_dir;
static char *sshd_key;
static char *sshd_key_copy;
static int sshd_port;
static GSocketService *server;
static guint16 server_port;
static GPtrArray *server_connections;

/* ---- helpers ----------------------------------------------------------- */

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           data)
{
  /* Speak first, as a VNC server does, and keep the connection. */
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             "hello\n", 6, NULL, NULL, NULL);
  g_ptr_array_add (server_connections, g_object_ref (connection));
  return TRUE;
}

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static int
open_tunnel (const HangarSshTarget  *target,
             GError                **error)
{
  GAsyncResult *result = NULL;
  int fd;

  hangar_ssh_tunnel_open_async (target, "127.0.0.1", server_port, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  fd = hangar_ssh_tunnel_open_finish (result, error);
  g_object_unref (result);
  return fd;
}

static HangarSshTarget *
target_for (const char *keyfile,
            gboolean    no_verify)
{
  g_autoptr(GError) error = NULL;
  HangarSshTarget *target = hangar_ssh_target_new ("root", "127.0.0.1", sshd_port, keyfile,
                                                   no_verify, &error);

  g_assert_no_error (error);
  return target;
}

/* Detached masters rename themselves "ssh: CONTROL_PATH [mux]". */
static guint
count_masters (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autofree char *dir = hangar_ssh_tunnel_get_control_dir (NULL);
  g_autofree char *prefix = g_strdup_printf ("ssh: %s/", dir);
  const char *name;
  guint count = 0;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/cmdline", name);
      g_autofree char *cmdline = NULL;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &cmdline, NULL, NULL))
        continue;
      if (g_str_has_prefix (cmdline, prefix) && strstr (cmdline, "[mux]") != NULL)
        count++;
    }
  return count;
}

static gboolean
masters_within (guint want,
                guint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (count_masters () != want && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (50000);
    }
  return count_masters () == want;
}

/* Opens a tunnel, checks the server's greeting came through, closes it. */
static gboolean
tunnel_works (const HangarSshTarget  *target,
              GError                **error)
{
  char buf[7] = { 0 };
  gsize got = 0;
  int fd = open_tunnel (target, error);

  if (fd < 0)
    return FALSE;
  while (got < 6)
    {
      ssize_t n = read (fd, buf + got, 6 - got);

      g_assert_cmpint (n, >, 0);
      got += n;
    }
  g_assert_cmpstr (buf, ==, "hello\n");
  close (fd);
  return TRUE;
}

/* ---- tests ------------------------------------------------------------- */

static void
test_fallback_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = hangar_ssh_tunnel_get_control_dir (&error);
  g_autofree char *again = hangar_ssh_tunnel_get_control_dir (NULL);
  g_autofree char *predictable = g_strdup_printf ("%s/hangar-ssh-%u", g_get_tmp_dir (),
                                                  (guint) getuid ());
  GStatBuf st;

  g_assert_no_error (error);
  /* Too long a runtime directory: a folder in /tmp, but not one whose
   * name another user could guess and make first. */
  g_assert_true (g_str_has_prefix (dir, g_get_tmp_dir ()));
  g_assert_cmpstr (dir, !=, predictable);
  g_assert_cmpstr (dir, ==, again);
  g_assert_cmpint (g_lstat (dir, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpuint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpuint (st.st_uid, ==, getuid ());
}

static void
test_no_verify_not_shared (void)
{
  g_autoptr(HangarSshTarget) unchecked = target_for (sshd_key, TRUE);
  g_autoptr(HangarSshTarget) checked = target_for (sshd_key, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_true (masters_within (0, 5));
  g_assert_true (tunnel_works (unchecked, &error));
  g_assert_no_error (error);
  g_assert_true (masters_within (1, 5));

  /* A connection that checks the host key must log in by itself: riding
   * the unchecked master would skip its check. It may then fail (the key
   * is not known), or succeed (no_verify recorded the key, as libvirt's
   * does); either way it does not use the first master. */
  if (tunnel_works (checked, &error))
    g_assert_true (masters_within (2, 5));
  else
    {
      g_test_message ("checked connection: %s", error->message);
      g_assert_true (masters_within (1, 5));
    }

  hangar_ssh_tunnel_stop_all_masters ();
  g_assert_true (masters_within (0, 5));
}

static void
test_keyfiles_not_shared (void)
{
  g_autoptr(HangarSshTarget) a = target_for (sshd_key, TRUE);
  g_autoptr(HangarSshTarget) b = target_for (sshd_key_copy, TRUE);
  g_autoptr(GError) error = NULL;

  g_assert_true (masters_within (0, 5));
  g_assert_true (tunnel_works (a, &error));
  g_assert_no_error (error);
  g_assert_true (tunnel_works (b, &error));
  g_assert_no_error (error);
  g_assert_true (masters_within (2, 5));

  /* The same target again rides its own master. */
  g_assert_true (tunnel_works (a, &error));
  g_assert_no_error (error);
  g_assert_true (masters_within (2, 5));

  hangar_ssh_tunnel_stop_all_masters ();
  g_assert_true (masters_within (0, 5));
}

static void
test_stop_all (void)
{
  g_autoptr(HangarSshTarget) target = target_for (sshd_key, TRUE);
  g_autoptr(GError) error = NULL;

  /* What the application does on shutdown: with tunnels opened and
   * closed, their master (ControlPersist) must not stay logged in. */
  g_assert_true (masters_within (0, 5));
  g_assert_true (tunnel_works (target, &error));
  g_assert_no_error (error);
  g_assert_true (tunnel_works (target, &error));
  g_assert_no_error (error);
  g_assert_true (masters_within (1, 5));

  hangar_ssh_tunnel_stop_all_masters ();
  g_assert_true (masters_within (0, 5));

  /* Nothing left to stop: returns at once. */
  hangar_ssh_tunnel_stop_all_masters ();
  /* And a private /tmp folder that served the sockets is gone with them. */
  {
    g_autofree char *dir = hangar_ssh_tunnel_get_control_dir (NULL);
    g_autofree char *again = NULL;

    g_assert_true (tunnel_works (target, &error));
    g_assert_no_error (error);
    hangar_ssh_tunnel_stop_all_masters ();
    g_assert_true (masters_within (0, 5));
    g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
    again = hangar_ssh_tunnel_get_control_dir (NULL);
    g_assert_cmpstr (again, !=, dir);
  }
}

/* ---- set-up ------------------------------------------------------------ */

static gboolean
start_sshd (void)
{
  const char *source = g_getenv ("HANGAR_SOURCE_DIR");
  g_autofree char *script = g_build_filename (source ? source : ".", "tools", "start-sshd", NULL);
  const char *argv[] = { script, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *key = NULL;
  g_auto(GStrv) words = NULL;
  gsize len;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("# %s failed: %s\n", script, err ? err : "");
      return FALSE;
    }
  words = g_strsplit (g_strstrip (out), " ", 2);
  g_assert_cmpint (g_strv_length (words), ==, 2);
  sshd_port = atoi (words[0]);
  sshd_key = g_strdup (words[1]);

  /* The same key under another name: another key file, as far as the
   * control sockets can tell. */
  sshd_key_copy = g_build_filename (runtime_dir, "second_key", NULL);
  g_assert_true (g_file_get_contents (sshd_key, &key, &len, NULL));
  g_assert_true (g_file_set_contents_full (sshd_key_copy, key, len, G_FILE_SET_CONTENTS_NONE,
                                           0600, NULL));
  return TRUE;
}

static void
start_server (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  server_connections = g_ptr_array_new_with_free_func (g_object_unref);
  server = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (server), any,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  server_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (server, "incoming", G_CALLBACK (on_incoming), NULL);
}

int
main (int argc, char *argv[])
{
  g_autofree char *long_dir = NULL;
  int ret;

  setlocale (LC_ALL, "");
  /* A runtime directory too long for socket names (GLib reads it once):
   * the control sockets must go to the fallback folder. */
  runtime_dir = g_dir_make_tmp ("hangar-ssh-masters-XXXXXX", NULL);
  long_dir = g_build_filename (runtime_dir, "a-runtime-directory-long-enough-that-ssh-"
                               "control-socket-names-would-not-fit-in-sun-path", NULL);
  g_assert_cmpint (g_mkdir_with_parents (long_dir, 0700), ==, 0);
  g_setenv ("XDG_RUNTIME_DIR", long_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/ssh/masters/fallback-dir", test_fallback_dir);
  if (getuid () != 0 || !g_file_test ("/usr/sbin/sshd", G_FILE_TEST_IS_EXECUTABLE))
    g_printerr ("# needs root and openssh-server: master tests skipped\n");
  else if (!start_sshd ())
    g_test_add_func ("/hangar/ssh/masters/set-up", (GTestFunc) g_test_fail);
  else
    {
      start_server ();
      g_test_add_func ("/hangar/ssh/masters/no-verify-not-shared", test_no_verify_not_shared);
      g_test_add_func ("/hangar/ssh/masters/keyfiles-not-shared", test_keyfiles_not_shared);
      g_test_add_func ("/hangar/ssh/masters/stop-all", test_stop_all);
    }

  ret = g_test_run ();

  hangar_ssh_tunnel_stop_all_masters ();
  if (server != NULL)
    {
      g_socket_service_stop (server);
      g_socket_listener_close (G_SOCKET_LISTENER (server));
      g_clear_object (&server);
    }
  g_clear_pointer (&server_connections, g_ptr_array_unref);
  {
    g_autofree char *dir = hangar_ssh_tunnel_get_control_dir (NULL);
    g_autofree char *cmd = g_strdup_printf ("rm -rf %s %s", runtime_dir, dir ? dir : "");

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return ret;
}
