/* test-ssh.c — ssh targets from libvirt URIs and the ssh command lines built from them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hangar-ssh.h"

static char *
join (GStrv argv)
{
  return g_strjoinv (" ", argv);
}

static void
test_uri_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarSshTarget) t =
    hangar_ssh_target_new_from_uri ("qemu+ssh://root@server.example:2222/system"
                                    "?keyfile=/home/a/.ssh/id%20ed&no_verify=1&mode=direct",
                                    &error);

  g_assert_no_error (error);
  g_assert_nonnull (t);
  g_assert_cmpstr (t->user, ==, "root");
  g_assert_cmpstr (t->host, ==, "server.example");
  g_assert_cmpint (t->port, ==, 2222);
  g_assert_cmpstr (t->keyfile, ==, "/home/a/.ssh/id ed");
  g_assert_true (t->no_verify);
}

static void
test_uri_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarSshTarget) t = hangar_ssh_target_new_from_uri ("qemu+ssh://host/system", &error);
  g_autoptr(HangarSshTarget) v6 = NULL;
  g_autoptr(HangarSshTarget) libssh = NULL;
  g_autofree char *s = NULL;

  g_assert_no_error (error);
  g_assert_null (t->user);
  g_assert_cmpstr (t->host, ==, "host");
  g_assert_cmpint (t->port, ==, 0);
  g_assert_null (t->keyfile);
  g_assert_false (t->no_verify);

  v6 = hangar_ssh_target_new_from_uri ("qemu+ssh://u@[fe80::1]:22/system?no_verify=0", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (v6->host, ==, "fe80::1");
  g_assert_false (v6->no_verify);
  s = hangar_ssh_target_to_string (v6);
  g_assert_cmpstr (s, ==, "u@[fe80::1]:22");

  /* Real names still pass: dots, dashes, underscores, digits, IPv6. */
  {
    const char *good[] = {
      "qemu+ssh://root@vm-host.example.org/system",
      "qemu+ssh://first.last_2@10.0.0.1:2222/system",
      "qemu+ssh://[::1]/system",
      "qemu+ssh://u@[2001:db8::ffff:1.2.3.4]/system",
    };

    for (guint i = 0; i < G_N_ELEMENTS (good); i++)
      {
        g_autoptr(HangarSshTarget) ok = hangar_ssh_target_new_from_uri (good[i], &error);

        g_assert_no_error (error);
        g_assert_nonnull (ok);
      }
  }

  libssh = hangar_ssh_target_new_from_uri ("QEMU+LIBSSH2://h/session", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (libssh->host, ==, "h");
}

static void
assert_refused (const char *uri,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarSshTarget) t = hangar_ssh_target_new_from_uri (uri, &error);

  g_test_message ("%s → %s", uri, error ? error->message : "(accepted)");
  g_assert_null (t);
  g_assert_error (error, HANGAR_SSH_ERROR, code);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_uri_refused (void)
{
  assert_refused ("qemu+ssh://-oProxyCommand=touch%20x/system", HANGAR_SSH_ERROR_BAD_HOST);
  assert_refused ("qemu+ssh://-host/system", HANGAR_SSH_ERROR_BAD_HOST);
  assert_refused ("qemu+ssh://-oProxyCommand=x@host/system", HANGAR_SSH_ERROR_BAD_USER);
  assert_refused ("qemu+ssh://-l@host/system", HANGAR_SSH_ERROR_BAD_USER);
  assert_refused ("qemu+ssh:///system", HANGAR_SSH_ERROR_NO_HOST);
  assert_refused ("qemu+ssh://ho%20st/system", HANGAR_SSH_ERROR_BAD_HOST);
  assert_refused ("qemu+ssh://us%0Aer@host/system", HANGAR_SSH_ERROR_BAD_USER);
  assert_refused ("qemu:///system", HANGAR_SSH_ERROR_NOT_SSH);
  assert_refused ("qemu+tcp://host/system", HANGAR_SSH_ERROR_NOT_SSH);
  assert_refused ("qemu+ssh://host/system?no_verify=yes", HANGAR_SSH_ERROR_SYNTAX);
  assert_refused ("not a uri", HANGAR_SSH_ERROR_SYNTAX);
  /* Shell metacharacters would reach a ProxyCommand's %h and %r. */
  assert_refused ("qemu+ssh://a$(id)b/system", HANGAR_SSH_ERROR_BAD_HOST);
  assert_refused ("qemu+ssh://a%60id%60b/system", HANGAR_SSH_ERROR_BAD_HOST);
  assert_refused ("qemu+ssh://a;b@host/system", HANGAR_SSH_ERROR_BAD_USER);
  assert_refused ("qemu+ssh://%24(id)@host/system", HANGAR_SSH_ERROR_BAD_USER);
  assert_refused ("qemu+ssh://%2Dh/system", HANGAR_SSH_ERROR_BAD_HOST);
}

static void
test_new_refused (void)
{
  g_autoptr(GError) error = NULL;
  HangarSshTarget *t;

  t = hangar_ssh_target_new (NULL, "", 0, NULL, FALSE, &error);
  g_assert_null (t);
  g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_NO_HOST);
  g_clear_error (&error);

  t = hangar_ssh_target_new (NULL, "-W", 0, NULL, FALSE, &error);
  g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_HOST);
  g_clear_error (&error);

  t = hangar_ssh_target_new ("-v", "host", 0, NULL, FALSE, &error);
  g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_USER);
  g_clear_error (&error);

  t = hangar_ssh_target_new ("a", "evil@host", 0, NULL, FALSE, &error);
  g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_HOST);
  g_clear_error (&error);

  t = hangar_ssh_target_new (NULL, "host", 70000, NULL, FALSE, &error);
  g_assert_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_PORT);
  g_clear_error (&error);

  /* Empty user and keyfile mean "ssh's default", not an empty argument. */
  t = hangar_ssh_target_new ("", "host", -1, "", FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (t->user);
  g_assert_null (t->keyfile);
  g_assert_cmpint (t->port, ==, 0);
  hangar_ssh_target_free (t);
}

static void
test_tunnel_argv (void)
{
  g_autoptr(HangarSshTarget) t =
    hangar_ssh_target_new_from_uri ("qemu+ssh://root@127.0.0.1:2222/system"
                                    "?keyfile=/k/id&no_verify=1", NULL);
  g_auto(GStrv) argv = hangar_ssh_build_tunnel_argv (t, "/run/user/0/hangar/ssh", "127.0.0.1", 5900);
  g_autofree char *line = join (argv);
  g_autofree char *tag = hangar_ssh_target_control_tag (t);
  g_autofree char *expected = NULL;

  /* no_verify is libvirt's: StrictHostKeyChecking=no, and the known-hosts
   * file is still read, so a changed key is still noticed. */
  expected = g_strdup_printf ("ssh -o BatchMode=yes -o ControlPath=/run/user/0/hangar/ssh/%%C-%s"
                              " -p 2222 -l root"
                              " -o ControlMaster=auto -o ControlPersist=600"
                              " -o ConnectTimeout=10 -o ServerAliveInterval=15 -o LogLevel=DEBUG2"
                              " -i /k/id"
                              " -o StrictHostKeyChecking=no"
                              " -W 127.0.0.1:5900 -- 127.0.0.1", tag);
  g_assert_cmpstr (line, ==, expected);
  g_assert_null (strstr (line, "UserKnownHostsFile"));
  /* The host is the last word, right after "--". */
  g_assert_cmpstr (argv[g_strv_length (argv) - 2], ==, "--");
}

static void
test_tunnel_argv_minimal (void)
{
  g_autoptr(HangarSshTarget) t = hangar_ssh_target_new (NULL, "h", 0, NULL, FALSE, NULL);
  g_auto(GStrv) argv = hangar_ssh_build_tunnel_argv (t, "/tmp/50%", NULL, 5901);
  g_autofree char *line = join (argv);
  g_autofree char *tag = hangar_ssh_target_control_tag (t);
  g_autofree char *expected = NULL;

  expected = g_strdup_printf ("ssh -o BatchMode=yes -o ControlPath=/tmp/50%%%%/%%C-%s"
                              " -o ControlMaster=auto -o ControlPersist=600"
                              " -o ConnectTimeout=10 -o ServerAliveInterval=15 -o LogLevel=DEBUG2"
                              " -W localhost:5901 -- h", tag);
  g_assert_cmpstr (line, ==, expected);
}

static void
test_destination (void)
{
  struct { const char *listen; const char *expect; } cases[] = {
    { NULL, "localhost:5900" },
    { "", "localhost:5900" },
    { "0.0.0.0", "127.0.0.1:5900" },
    { "::", "::1" },
    { "10.1.2.3", "10.1.2.3:5900" },
    { "fe80::2", "[fe80::2]:5900" },
    { "[::1]", "[::1]:5900" },
    { "vm-host.lan", "vm-host.lan:5900" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *d = hangar_ssh_tunnel_destination (cases[i].listen, 5900);

      if (g_str_equal (cases[i].expect, "::1"))
        g_assert_cmpstr (d, ==, "[::1]:5900");
      else
        g_assert_cmpstr (d, ==, cases[i].expect);
    }
}

static void
test_control_argv (void)
{
  g_autoptr(HangarSshTarget) t =
    hangar_ssh_target_new_from_uri ("qemu+ssh://root@127.0.0.1:2222/system?keyfile=/k&no_verify=1",
                                    NULL);
  g_auto(GStrv) check = hangar_ssh_build_control_argv (t, "/d", "check");
  g_auto(GStrv) exit_argv = hangar_ssh_build_control_argv (t, "/d", "exit");
  g_autofree char *c = join (check);
  g_autofree char *e = join (exit_argv);
  g_autofree char *tag = hangar_ssh_target_control_tag (t);
  g_autofree char *expected_check = NULL;
  g_autofree char *expected_exit = NULL;

  /* Same host, port, user and tag as the tunnel, or it would name another socket. */
  expected_check = g_strdup_printf ("ssh -o BatchMode=yes -o ControlPath=/d/%%C-%s"
                                    " -p 2222 -l root -O check -- 127.0.0.1", tag);
  expected_exit = g_strdup_printf ("ssh -o BatchMode=yes -o ControlPath=/d/%%C-%s"
                                   " -p 2222 -l root -O exit -- 127.0.0.1", tag);
  g_assert_cmpstr (c, ==, expected_check);
  g_assert_cmpstr (e, ==, expected_exit);
}

/* The ControlPath option of a tunnel to @uri. */
static char *
control_path_of (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarSshTarget) t = hangar_ssh_target_new_from_uri (uri, &error);
  g_auto(GStrv) argv = NULL;

  g_assert_no_error (error);
  argv = hangar_ssh_build_tunnel_argv (t, "/d", "127.0.0.1", 5900);
  for (guint i = 0; argv[i] != NULL; i++)
    if (g_str_has_prefix (argv[i], "ControlPath="))
      return g_strdup (argv[i]);
  g_assert_not_reached ();
}

static void
test_control_path_separates (void)
{
  g_autofree char *verify = control_path_of ("qemu+ssh://root@h:22/system");
  g_autofree char *verify0 = control_path_of ("qemu+ssh://root@h:22/system?no_verify=0");
  g_autofree char *no_verify = control_path_of ("qemu+ssh://root@h:22/system?no_verify=1");
  g_autofree char *key_a = control_path_of ("qemu+ssh://root@h:22/system?keyfile=/a");
  g_autofree char *key_b = control_path_of ("qemu+ssh://root@h:22/system?keyfile=/b");
  g_autofree char *key_a_nv = control_path_of ("qemu+ssh://root@h:22/system?keyfile=/a&no_verify=1");
  g_autoptr(HangarSshTarget) t = hangar_ssh_target_new (NULL, "h", 0, "/a", TRUE, NULL);
  g_autofree char *tag = hangar_ssh_target_control_tag (t);

  /* A master that never checked the host key must not carry the consoles
   * of a connection that checks it; nor one key's login another's. */
  g_assert_cmpstr (verify, ==, verify0);
  g_assert_cmpstr (verify, !=, no_verify);
  g_assert_cmpstr (verify, !=, key_a);
  g_assert_cmpstr (key_a, !=, key_b);
  g_assert_cmpstr (key_a, !=, key_a_nv);
  g_assert_cmpstr (no_verify, !=, key_a_nv);

  g_assert_cmpuint (strlen (tag), ==, HANGAR_SSH_CONTROL_TAG_LEN);
  for (const char *p = tag; *p; p++)
    g_assert_true (g_ascii_isdigit (*p) || g_ascii_islower (*p));
}

static void
test_copy (void)
{
  g_autoptr(HangarSshTarget) t = hangar_ssh_target_new ("u", "h", 22, "/k", TRUE, NULL);
  g_autoptr(HangarSshTarget) c = hangar_ssh_target_copy (t);
  g_autofree char *s = hangar_ssh_target_to_string (c);

  g_assert_true (c->user != t->user);
  g_assert_cmpstr (s, ==, "u@h:22");
  g_assert_cmpstr (c->keyfile, ==, "/k");
  g_assert_true (c->no_verify);
  g_assert_true (G_TYPE_IS_BOXED (HANGAR_TYPE_SSH_TARGET));
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/core/ssh/uri/full", test_uri_full);
  g_test_add_func ("/hangar/core/ssh/uri/minimal", test_uri_minimal);
  g_test_add_func ("/hangar/core/ssh/uri/refused", test_uri_refused);
  g_test_add_func ("/hangar/core/ssh/target/refused", test_new_refused);
  g_test_add_func ("/hangar/core/ssh/target/copy", test_copy);
  g_test_add_func ("/hangar/core/ssh/argv/tunnel", test_tunnel_argv);
  g_test_add_func ("/hangar/core/ssh/argv/tunnel-minimal", test_tunnel_argv_minimal);
  g_test_add_func ("/hangar/core/ssh/argv/destination", test_destination);
  g_test_add_func ("/hangar/core/ssh/argv/control", test_control_argv);
  g_test_add_func ("/hangar/core/ssh/argv/control-path-separates", test_control_path_separates);

  return g_test_run ();
}
