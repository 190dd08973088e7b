/* test-ssh-tunnel.c — console tunnels through a real sshd to a real guest's VNC server.
 *
 * Starts the private sshd (tools/start-sshd) and a disk-less QEMU guest
 * with VNC on qemu:///system, reaches it through
 * qemu+ssh://root@127.0.0.1:PORT/system?keyfile=KEY&no_verify=1 with
 * virsh, then opens console tunnels with that same URI: two at once must
 * both read the server's greeting over ONE ssh master; a server that waits
 * for the client to speak (as SPICE does) must be reported up too; a
 * refused port, a closed ssh port and a refused key must fail with ssh's
 * own words before the timeout.
 *
 * The guest is started with VIR_DOMAIN_START_AUTODESTROY: libvirtd
 * destroys it when this process's connection goes, however the test ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "hangar-ssh.h"
#include "hangar-ssh-tunnel.h"

static char *runtime_dir;
static char *ssh_uri;
static char *sshd_key;
static int sshd_port;
static int vnc_port;
static virConnectPtr conn;
static virDomainPtr guest;
static char *guest_name;

/* ---- helpers ----------------------------------------------------------- */

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  Wait *wait = data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static int
open_tunnel (const HangarSshTarget  *target,
             const char             *host,
             int                     port,
             GError                **error)
{
  Wait wait = { NULL };
  int fd;

  hangar_ssh_tunnel_open_async (target, host, port, NULL, got_result, &wait);
  fd = hangar_ssh_tunnel_open_finish (wait_for (&wait), error);
  g_object_unref (wait.result);
  return fd;
}

static HangarSshTarget *
test_target (void)
{
  g_autoptr(GError) error = NULL;
  HangarSshTarget *target = hangar_ssh_target_new_from_uri (ssh_uri, &error);

  g_assert_no_error (error);
  return target;
}

/* Reads exactly @len bytes within a few seconds. */
static void
read_exactly (int    fd,
              char  *buf,
              gsize  len)
{
  gsize got = 0;

  while (got < len)
    {
      struct pollfd p = { fd, POLLIN, 0 };
      ssize_t n;

      g_assert_cmpint (poll (&p, 1, 10000), ==, 1);
      n = read (fd, buf + got, len - got);
      g_assert_cmpint (n, >, 0);
      got += n;
    }
}

/* ssh masters for our control directory: the detached master renames
 * itself "ssh: CONTROL_PATH [mux]". */
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
      gsize len;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &cmdline, &len, NULL))
        continue;
      if (g_str_has_prefix (cmdline, prefix) && strstr (cmdline, "[mux]") != NULL)
        count++;
    }
  return count;
}

/* TCP connections to our sshd held by this run's ssh processes (its
 * children and its masters): the number of logins. Counted by socket, as
 * the tunnel that became the master keeps a copy of the master's. */
static guint
count_ssh_logins (void)
{
  g_autoptr(GHashTable) inodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autofree char *dir = hangar_ssh_tunnel_get_control_dir (NULL);
  g_autofree char *prefix = g_strdup_printf ("ssh: %s/", dir);
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  const char *name;

  g_assert_true (g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL));
  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      unsigned rem_port, state;
      unsigned long inode;

      if (sscanf (lines[i], " %*d: %*x:%*x %*x:%x %x %*x:%*x %*x:%*x %*x %*d %*d %lu",
                  &rem_port, &state, &inode) == 3
          && (int) rem_port == sshd_port && state == 1)
        g_hash_table_add (inodes, g_strdup_printf ("socket:[%lu]", inode));
    }

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *stat_path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *cmd_path = g_strdup_printf ("/proc/%s/cmdline", name);
      g_autofree char *fd_path = g_strdup_printf ("/proc/%s/fd", name);
      g_autofree char *stat = NULL;
      g_autofree char *cmdline = NULL;
      g_autoptr(GDir) fds = NULL;
      const char *fd;
      int ppid = 0;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (stat_path, &stat, NULL, NULL)
          || !g_file_get_contents (cmd_path, &cmdline, NULL, NULL))
        continue;
      sscanf (stat, "%*d (%*[^)]) %*c %d", &ppid);
      if (!(ppid == getpid () || g_str_has_prefix (cmdline, prefix)))
        continue;
      if ((fds = g_dir_open (fd_path, 0, NULL)) == NULL)
        continue;
      while ((fd = g_dir_read_name (fds)) != NULL)
        {
          g_autofree char *link_path = g_build_filename (fd_path, fd, NULL);
          g_autofree char *target = g_file_read_link (link_path, NULL);

          if (target != NULL && g_hash_table_contains (inodes, target))
            g_hash_table_add (seen, g_steal_pointer (&target));
        }
    }
  return g_hash_table_size (seen);
}

/* "ssh -O exit" is answered before the master is gone. */
static gboolean
masters_gone_within (guint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (count_masters () > 0 && g_get_monotonic_time () < end)
    g_usleep (50000);
  return count_masters () == 0;
}

/* ssh processes that are children of this test (tunnels not yet reaped). */
static guint
count_child_ssh (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint count = 0;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *stat = NULL;
      char comm[64];
      char state;
      int ppid;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      if (sscanf (stat, "%*d (%63[^)]) %c %d", comm, &state, &ppid) == 3
          && ppid == getpid () && g_str_equal (comm, "ssh"))
        count++;
    }
  return count;
}

/* Lets the main loop reap exited children until none is left. */
static gboolean
no_child_ssh_within (guint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      if (count_child_ssh () == 0)
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
  return count_child_ssh () == 0;
}

static int
master_check (const HangarSshTarget *target)
{
  g_autofree char *dir = hangar_ssh_tunnel_get_control_dir (NULL);
  g_auto(GStrv) argv = hangar_ssh_build_control_argv (target, dir, "check");
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                               | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
  return status;
}

/* ---- set-up ------------------------------------------------------------ */

static gboolean
start_sshd (void)
{
  const char *source = g_getenv ("HANGAR_SOURCE_DIR");
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  script = g_build_filename (source ? source : ".", "tools", "start-sshd", NULL);
  {
    const char *argv[] = { script, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error)
        || !g_spawn_check_wait_status (status, NULL))
      {
        g_printerr ("# %s failed: %s%s\n", script, error ? error->message : "", err ? err : "");
        return FALSE;
      }
  }
  words = g_strsplit (g_strstrip (out), " ", 2);
  g_assert_cmpint (g_strv_length (words), ==, 2);
  sshd_port = atoi (words[0]);
  sshd_key = g_strdup (words[1]);
  g_assert_cmpint (sshd_port, >, 0);
  ssh_uri = g_strdup_printf ("qemu+ssh://root@127.0.0.1:%d/system?keyfile=%s&no_verify=1",
                             sshd_port, sshd_key);
  return TRUE;
}

static gboolean
start_guest (void)
{
  g_autofree char *xml = NULL;
  g_autofree char *live = NULL;
  const char *port;

  /* Other tests restart libvirtd now and then: give it a moment. */
  for (int i = 0; i < 30 && (conn = virConnectOpen ("qemu:///system")) == NULL; i++)
    g_usleep (G_USEC_PER_SEC);
  if (conn == NULL)
    {
      g_printerr ("# qemu:///system does not answer (tools/start-daemons)\n");
      return FALSE;
    }
  guest_name = g_strdup_printf ("hangar-ssh-%d", (int) getpid ());
  xml = g_strdup_printf ("<domain type='qemu'><name>%s</name>"
                         "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                         "<os><type arch='x86_64'>hvm</type></os>"
                         "<devices><graphics type='vnc' port='-1' autoport='yes'"
                         " listen='127.0.0.1'/>"
                         "<video><model type='vga'/></video></devices></domain>",
                         guest_name);
  /* Transient and destroyed with our connection: nothing outlives us. */
  guest = virDomainCreateXML (conn, xml, VIR_DOMAIN_START_AUTODESTROY);
  g_assert_nonnull (guest);

  live = virDomainGetXMLDesc (guest, 0);
  port = strstr (live, "<graphics type='vnc' port='");
  g_assert_nonnull (port);
  vnc_port = atoi (port + strlen ("<graphics type='vnc' port='"));
  g_assert_cmpint (vnc_port, >=, 5900);
  return TRUE;
}

/* ---- tests ------------------------------------------------------------- */

static void
test_libvirt_over_ssh (void)
{
  g_autofree char *command = g_strdup_printf ("virsh -c '%s' list --name", ssh_uri);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  /* The same URI the tunnels use works for libvirt itself
   * (virt-ssh-helper on the far side). */
  g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, NULL));
  g_test_message ("%s: %s", command, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, guest_name));
}

static void
test_two_tunnels_one_master (void)
{
  g_autoptr(HangarSshTarget) target = test_target ();
  g_autoptr(GError) error_a = NULL;
  g_autoptr(GError) error_b = NULL;
  Wait a = { NULL }, b = { NULL };
  char greeting[13] = { 0 };
  int fd_a, fd_b;

  g_assert_cmpuint (count_masters (), ==, 0);

  /* Both at once, before any master exists: the second must wait for the
   * first to log in and then share its connection. */
  hangar_ssh_tunnel_open_async (target, "127.0.0.1", vnc_port, NULL, got_result, &a);
  hangar_ssh_tunnel_open_async (target, "127.0.0.1", vnc_port, NULL, got_result, &b);
  fd_a = hangar_ssh_tunnel_open_finish (wait_for (&a), &error_a);
  fd_b = hangar_ssh_tunnel_open_finish (wait_for (&b), &error_b);
  g_clear_object (&a.result);
  g_clear_object (&b.result);
  g_assert_no_error (error_a);
  g_assert_no_error (error_b);
  g_assert_cmpint (fd_a, >=, 0);
  g_assert_cmpint (fd_b, >=, 0);

  /* The open did not eat the server's first bytes. */
  read_exactly (fd_a, greeting, 12);
  g_assert_cmpstr (greeting, ==, "RFB 003.008\n");
  memset (greeting, 0, sizeof greeting);
  read_exactly (fd_b, greeting, 12);
  g_assert_cmpstr (greeting, ==, "RFB 003.008\n");

  g_assert_cmpuint (count_masters (), ==, 1);
  g_assert_cmpint (master_check (target), ==, 0);
  g_assert_cmpuint (count_child_ssh (), ==, 2);
  /* One login for both: the second did not race the first to a
   * connection of its own. */
  g_assert_cmpuint (count_ssh_logins (), ==, 1);

  /* Closing our end ends ssh, and ssh is reaped. */
  close (fd_a);
  close (fd_b);
  g_assert_true (no_child_ssh_within (10));
  /* The master stays for the next console. */
  g_assert_cmpuint (count_masters (), ==, 1);
}

static void
test_third_tunnel_reuses_master (void)
{
  g_autoptr(HangarSshTarget) target = test_target ();
  g_autoptr(GError) error = NULL;
  char greeting[13] = { 0 };
  gint64 start = g_get_monotonic_time ();
  int fd;

  fd = open_tunnel (target, "127.0.0.1", vnc_port, &error);
  g_assert_no_error (error);
  g_test_message ("tunnel over the existing master: %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  read_exactly (fd, greeting, 12);
  g_assert_cmpstr (greeting, ==, "RFB 003.008\n");
  g_assert_cmpuint (count_masters (), ==, 1);
  g_assert_cmpuint (count_ssh_logins (), ==, 1);
  close (fd);
  g_assert_true (no_child_ssh_within (10));
}

typedef struct
{
  GSocketConnection *accepted;
} Listener;

static void
accepted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  Listener *l = data;

  l->accepted = g_socket_listener_accept_finish (G_SOCKET_LISTENER (object), result, NULL, NULL);
}

static void
test_silent_server (void)
{
  g_autoptr(HangarSshTarget) target = test_target ();
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  Listener l = { NULL };
  char buf[6] = { 0 };
  guint16 port;
  int fd;

  /* A server that waits for the client to speak, as SPICE's does. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (listener, NULL, accepted_cb, &l);

  fd = open_tunnel (target, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  while (l.accepted == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (write (fd, "hello", 5), ==, 5);
  g_assert_true (g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (l.accepted)),
                                          buf, 5, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (buf, ==, "hello");

  close (fd);
  g_clear_object (&l.accepted);
  g_assert_true (no_child_ssh_within (10));
}

/* A port nobody listens on: bind one, close it. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  guint16 port;

  probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_true (g_socket_bind (probe, any, FALSE, NULL));
  bound = g_socket_get_local_address (probe, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (probe, NULL);
  return port;
}

static void
test_refused_port (void)
{
  g_autoptr(HangarSshTarget) target = test_target ();
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int fd;

  fd = open_tunnel (target, "127.0.0.1", closed_port (), &error);
  g_test_message ("refused port: %s", error ? error->message : "(no error)");
  g_assert_cmpint (fd, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  /* ssh's own words, and only what went wrong. */
  g_assert_nonnull (strstr (error->message, "refused"));
  g_assert_null (strstr (error->message, "debug"));
  g_assert_null (strstr (error->message, "Authenticated"));
  g_assert_cmpint (g_get_monotonic_time () - start, <,
                   HANGAR_SSH_TUNNEL_TIMEOUT_SECONDS * G_USEC_PER_SEC);
  g_assert_true (no_child_ssh_within (10));
}

static void
test_wrong_ssh_port (void)
{
  g_autoptr(HangarSshTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int fd;

  /* Port 1 on loopback: nothing there, the connection is refused. */
  target = hangar_ssh_target_new ("root", "127.0.0.1", 1, sshd_key, TRUE, &error);
  g_assert_no_error (error);
  fd = open_tunnel (target, "127.0.0.1", vnc_port, &error);
  g_test_message ("wrong ssh port: %s", error ? error->message : "(no error)");
  g_assert_cmpint (fd, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "ssh: connect to host 127.0.0.1 port 1: "
                                            "Connection refused"));
  g_assert_cmpint (g_get_monotonic_time () - start, <,
                   HANGAR_SSH_TUNNEL_TIMEOUT_SECONDS * G_USEC_PER_SEC);
  g_assert_true (no_child_ssh_within (10));
}

static void
test_key_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hangar-ssh-key-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "stranger", NULL);
  g_autofree char *pub = g_strconcat (key, ".pub", NULL);
  g_autoptr(HangarSshTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  const char *keygen[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key, NULL };
  int status = -1;
  int fd;

  g_assert_true (g_spawn_sync (NULL, (char **) keygen, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* Another user, so that root's running master is not simply reused. */
  target = hangar_ssh_target_new ("nobody", "127.0.0.1", sshd_port, key, TRUE, &error);
  g_assert_no_error (error);
  fd = open_tunnel (target, "127.0.0.1", vnc_port, &error);
  g_test_message ("refused key: %s", error ? error->message : "(no error)");
  g_assert_cmpint (fd, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Permission denied"));
  g_assert_true (no_child_ssh_within (10));

  g_unlink (key);
  g_unlink (pub);
  g_rmdir (dir);
}

/* A fake sshd that accepts and then says nothing, or only its banner:
 * a host that hangs. Connections are kept open until the server is freed. */
typedef struct
{
  GSocketListener *listener;
  GPtrArray       *connections;
  const char      *say;
  guint16          port;
} Mute;

static void
mute_accepted (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  Mute *mute = data;
  GSocketConnection *connection;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (object), result, NULL, NULL);
  if (connection == NULL)
    return;
  if (mute->say != NULL)
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                               mute->say, strlen (mute->say), NULL, NULL, NULL);
  g_ptr_array_add (mute->connections, connection);
  g_socket_listener_accept_async (mute->listener, NULL, mute_accepted, mute);
}

static Mute *
mute_new (const char *say)
{
  g_autoptr(GError) error = NULL;
  Mute *mute = g_new0 (Mute, 1);

  mute->listener = g_socket_listener_new ();
  mute->connections = g_ptr_array_new_with_free_func (g_object_unref);
  mute->say = say;
  mute->port = g_socket_listener_add_any_inet_port (mute->listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (mute->listener, NULL, mute_accepted, mute);
  return mute;
}

static void
mute_free (Mute *mute)
{
  g_socket_listener_close (mute->listener);
  /* Let the pending accept see the close before its data goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (mute->listener);
  g_ptr_array_unref (mute->connections);
  g_free (mute);
}

static void
test_cancel (void)
{
  Mute *mute = mute_new (NULL);
  g_autoptr(HangarSshTarget) target = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  gint64 end, start;
  int fd;

  target = hangar_ssh_target_new ("root", "127.0.0.1", mute->port, sshd_key, TRUE, &error);
  g_assert_no_error (error);
  hangar_ssh_tunnel_open_async (target, "127.0.0.1", vnc_port, cancellable, got_result, &wait);

  /* Wait until ssh runs and hangs on the mute host, then cancel. */
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (mute->connections->len == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (mute->connections->len, ==, 1);
  g_assert_cmpuint (count_child_ssh (), ==, 1);
  g_assert_null (wait.result);

  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  fd = hangar_ssh_tunnel_open_finish (wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_cmpint (fd, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_true (no_child_ssh_within (10));
  mute_free (mute);
}

static void
test_silent_host (void)
{
  Mute *mute = mute_new (NULL);
  g_autoptr(HangarSshTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int fd;

  /* No banner: ssh gives up after its ConnectTimeout, in its own words. */
  target = hangar_ssh_target_new ("root", "127.0.0.1", mute->port, sshd_key, TRUE, &error);
  g_assert_no_error (error);
  fd = open_tunnel (target, "127.0.0.1", vnc_port, &error);
  g_test_message ("silent host: %s (%.1f s)", error ? error->message : "(no error)",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (fd, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "timed out"));
  g_assert_cmpint (g_get_monotonic_time () - start, <,
                   HANGAR_SSH_TUNNEL_TIMEOUT_SECONDS * G_USEC_PER_SEC);
  g_assert_true (no_child_ssh_within (10));
  mute_free (mute);
}

static void
test_stalled_host (void)
{
  Mute *mute = mute_new ("SSH-2.0-OpenSSH_9.2\r\n");
  g_autoptr(HangarSshTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 took;
  int fd;

  /* A banner, then nothing: no ssh timeout covers this; the tunnel's own
   * does, and kills ssh. */
  target = hangar_ssh_target_new ("root", "127.0.0.1", mute->port, sshd_key, TRUE, &error);
  g_assert_no_error (error);
  fd = open_tunnel (target, "127.0.0.1", vnc_port, &error);
  took = g_get_monotonic_time () - start;
  g_test_message ("stalled host: %s (%.1f s)", error ? error->message : "(no error)",
                  took / (double) G_USEC_PER_SEC);
  g_assert_cmpint (fd, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (took, >=, (HANGAR_SSH_TUNNEL_TIMEOUT_SECONDS - 1) * G_USEC_PER_SEC);
  g_assert_cmpint (took, <, (HANGAR_SSH_TUNNEL_TIMEOUT_SECONDS + 3) * G_USEC_PER_SEC);
  g_assert_true (no_child_ssh_within (10));
  mute_free (mute);
}

static void
test_refused_before_running (void)
{
  g_autofree char *marker = g_build_filename (runtime_dir, "pwned", NULL);
  g_autofree char *uri = NULL;
  g_autoptr(HangarSshTarget) target = NULL;
  g_autoptr(GError) error = NULL;

  /* Were this host handed to ssh, ssh would run the command. */
  uri = g_strdup_printf ("qemu+ssh://-oProxyCommand=touch%%20%s/system", marker);
  target = hangar_ssh_target_new_from_uri (uri, &error);
  g_assert_null (target);
  g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_HOST);
  g_clear_error (&error);

  target = hangar_ssh_target_new_from_uri ("qemu+ssh://-oProxyCommand=x@host/system", &error);
  g_assert_null (target);
  g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_USER);

  g_clear_error (&error);

  /* A target filled in by hand is checked again before ssh runs. */
  {
    g_autofree char *host = g_strdup_printf ("-oProxyCommand=touch %s", marker);
    HangarSshTarget forged = { NULL, host, 0, NULL, FALSE };
    HangarSshTarget forged_user = { (char *) "-oProxyCommand=x", (char *) "h", 0, NULL, FALSE };
    Wait wait = { NULL };

    g_assert_cmpint (open_tunnel (&forged, "127.0.0.1", 5900, &error), ==, -1);
    g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_HOST);
    g_clear_error (&error);
    g_assert_cmpint (open_tunnel (&forged_user, "127.0.0.1", 5900, &error), ==, -1);
    g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_USER);
    g_clear_error (&error);
    hangar_ssh_tunnel_stop_master_async (&forged, NULL, got_result, &wait);
    g_assert_false (hangar_ssh_tunnel_stop_master_finish (wait_for (&wait), &error));
    g_clear_object (&wait.result);
    g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_HOST);
  }

  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_child_ssh (), ==, 0);
}

static void
test_stop_master (void)
{
  g_autoptr(HangarSshTarget) target = test_target ();
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };

  g_assert_cmpuint (count_masters (), ==, 1);
  hangar_ssh_tunnel_stop_master_async (target, NULL, got_result, &wait);
  g_assert_true (hangar_ssh_tunnel_stop_master_finish (wait_for (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  g_assert_true (masters_gone_within (5));
  g_assert_cmpint (master_check (target), !=, 0);

  /* Stopping what is not there says so. */
  hangar_ssh_tunnel_stop_master_async (target, NULL, got_result, &wait);
  g_assert_false (hangar_ssh_tunnel_stop_master_finish (wait_for (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
}

static void
test_many_at_once (void)
{
  g_autoptr(HangarSshTarget) target = test_target ();
  Mute *server = mute_new (NULL);
  Wait waits[8] = { { NULL } };
  int fds[G_N_ELEMENTS (waits)];
  Wait stop = { NULL };

  /* A SPICE console opens its channels together, with no master yet:
   * still one login. */
  g_assert_cmpuint (count_masters (), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    hangar_ssh_tunnel_open_async (target, "127.0.0.1", server->port, NULL, got_result, &waits[i]);
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      g_autoptr(GError) error = NULL;

      fds[i] = hangar_ssh_tunnel_open_finish (wait_for (&waits[i]), &error);
      g_clear_object (&waits[i].result);
      g_assert_no_error (error);
    }
  while (server->connections->len < G_N_ELEMENTS (waits))
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (count_masters (), ==, 1);
  g_assert_cmpuint (count_ssh_logins (), ==, 1);

  /* ssh ends once both sides have closed (it passes a half-close on). */
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    close (fds[i]);
  mute_free (server);
  g_assert_true (no_child_ssh_within (10));

  hangar_ssh_tunnel_stop_master_async (target, NULL, got_result, &stop);
  g_assert_true (hangar_ssh_tunnel_stop_master_finish (wait_for (&stop), NULL));
  g_clear_object (&stop.result);
  g_assert_true (masters_gone_within (5));
}

static void
test_refused_port_on_login (void)
{
  g_autoptr(HangarSshTarget) target = test_target ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  Wait stop = { NULL };
  int fd;

  /* No master yet: this open logs in (ssh says more at its log level)
   * and then the port is refused. Only the refusal is reported. */
  g_assert_cmpuint (count_masters (), ==, 0);
  fd = open_tunnel (target, "127.0.0.1", closed_port (), &error);
  g_assert_cmpint (fd, ==, -1);
  expected = g_strdup_printf ("The console could not be reached through ssh (root@127.0.0.1:%d): "
                              "Stdio forwarding request failed: Session open refused by peer",
                              sshd_port);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_true (no_child_ssh_within (10));

  /* The login itself worked and stays for the next console. */
  g_assert_cmpuint (count_masters (), ==, 1);
  hangar_ssh_tunnel_stop_master_async (target, NULL, got_result, &stop);
  g_assert_true (hangar_ssh_tunnel_stop_master_finish (wait_for (&stop), NULL));
  g_clear_object (&stop.result);
  g_assert_true (masters_gone_within (5));
}

int
main (int argc, char *argv[])
{
  int ret;

  setlocale (LC_ALL, "");
  /* A private runtime directory, read by GLib once: control sockets of
   * this run only, so the master count is ours. */
  runtime_dir = g_dir_make_tmp ("hangar-ssh-test-XXXXXX", NULL);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/ssh/tunnel/refused-before-running", test_refused_before_running);

  if (getuid () != 0 || !g_file_test ("/usr/sbin/sshd", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("# needs root and openssh-server: tunnel tests skipped\n");
    }
  else if (!start_sshd () || !start_guest ())
    {
      /* Without the daemons the rest cannot run, and that is a failure. */
      g_test_add_func ("/hangar/ssh/tunnel/set-up", (GTestFunc) g_test_fail);
    }
  else
    {
      g_test_add_func ("/hangar/ssh/tunnel/libvirt-over-ssh", test_libvirt_over_ssh);
      g_test_add_func ("/hangar/ssh/tunnel/two-tunnels-one-master", test_two_tunnels_one_master);
      g_test_add_func ("/hangar/ssh/tunnel/reuse-master", test_third_tunnel_reuses_master);
      g_test_add_func ("/hangar/ssh/tunnel/silent-server", test_silent_server);
      g_test_add_func ("/hangar/ssh/tunnel/refused-port", test_refused_port);
      g_test_add_func ("/hangar/ssh/tunnel/wrong-ssh-port", test_wrong_ssh_port);
      g_test_add_func ("/hangar/ssh/tunnel/key-refused", test_key_refused);
      g_test_add_func ("/hangar/ssh/tunnel/cancel", test_cancel);
      g_test_add_func ("/hangar/ssh/tunnel/silent-host", test_silent_host);
      g_test_add_func ("/hangar/ssh/tunnel/stalled-host", test_stalled_host);
      g_test_add_func ("/hangar/ssh/tunnel/stop-master", test_stop_master);
      g_test_add_func ("/hangar/ssh/tunnel/many-at-once", test_many_at_once);
      g_test_add_func ("/hangar/ssh/tunnel/refused-port-on-login", test_refused_port_on_login);
    }

  ret = g_test_run ();

  if (guest != NULL)
    {
      virDomainDestroy (guest);
      virDomainFree (guest);
    }
  if (conn != NULL)
    virConnectClose (conn);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf %s", runtime_dir);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return ret;
}
