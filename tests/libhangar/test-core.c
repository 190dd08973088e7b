/* test-core.c — the pure core: URIs, statistics math, units.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>

#include "hangar-renderer.h"
#include "hangar-stats.h"
#include "hangar-units.h"
#include "hangar-secret.h"
#include "hangar-uri.h"

static void
test_uri_validate (void)
{
  struct { const char *uri; int code; } cases[] = {
    { "qemu:///system", -1 },
    { "qemu:///session", -1 },
    { "test:///default", -1 },
    { "qemu+ssh://root@server.example:2222/system?keyfile=/k&no_verify=1", -1 },
    { "qemu+tcp://127.0.0.1:1/system", -1 },
    { "", HANGAR_URI_ERROR_EMPTY },
    { "   ", HANGAR_URI_ERROR_EMPTY },
    { "nonsense", HANGAR_URI_ERROR_SYNTAX },
    { "nonsense://x", HANGAR_URI_ERROR_UNKNOWN_DRIVER },
    { "qemu+carrierpigeon://host/system", HANGAR_URI_ERROR_UNKNOWN_TRANSPORT },
    { "qemu+ssh://-oProxyCommand=evil/system", HANGAR_URI_ERROR_BAD_HOST },
    { "qemu+ssh://-oProxyCommand@host/system", HANGAR_URI_ERROR_BAD_USER },
    /* Shell metacharacters, and checks made on the decoded text. */
    { "qemu+ssh://a$(id)b/system", HANGAR_URI_ERROR_BAD_HOST },
    { "qemu+ssh://%2Dh/system", HANGAR_URI_ERROR_BAD_HOST },
    { "qemu+ssh://a%60id%60/system", HANGAR_URI_ERROR_BAD_HOST },
    { "qemu+ssh://h%3Bx/system", HANGAR_URI_ERROR_BAD_HOST },
    { "qemu+ssh://%2DoProxyCommand@host/system", HANGAR_URI_ERROR_BAD_USER },
    { "qemu+ssh://a$(id)@host/system", HANGAR_URI_ERROR_BAD_USER },
    { "qemu+ssh://a%7Cb@host/system", HANGAR_URI_ERROR_BAD_USER },
    /* Real names still pass. */
    { "qemu+ssh://root@[::1]/system", -1 },
    { "qemu+ssh://[fe80::1]:22/system", -1 },
    { "qemu+ssh://first.last_2@vm-host.lab.example.org/system", -1 },
    { "qemu+tls://host-1.example/system", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = hangar_uri_validate (cases[i].uri, &error);

      if (cases[i].code < 0)
        g_assert_no_error (error);
      else
        {
          g_assert_false (ok);
          g_assert_error (error, HANGAR_URI_ERROR, cases[i].code);
          g_assert_cmpuint (strlen (error->message), >, 10);
        }
    }
}

static void
test_uri_host_key_check (void)
{
  /* What the machine window's "host key not verified" follows. */
  g_assert_true (hangar_uri_skips_host_key_check ("qemu+ssh://root@h/system?no_verify=1"));
  g_assert_true (hangar_uri_skips_host_key_check ("qemu+libssh2://h/system?keyfile=/k&no_verify=1"));
  g_assert_false (hangar_uri_skips_host_key_check ("qemu+ssh://root@h/system"));
  g_assert_false (hangar_uri_skips_host_key_check ("qemu+ssh://root@h/system?no_verify=0"));
  g_assert_false (hangar_uri_skips_host_key_check ("qemu+tcp://h/system?no_verify=1"));
  g_assert_false (hangar_uri_skips_host_key_check ("qemu:///system"));
  g_assert_false (hangar_uri_skips_host_key_check ("not a uri"));
}

static void
test_uri_display_name (void)
{
  struct { const char *uri; const char *name; } cases[] = {
    { "qemu:///system", "QEMU/KVM — localhost" },
    { "qemu:///session", "QEMU/KVM User session" },
    { "qemu+ssh://root@server/system", "QEMU/KVM — root@server" },
    { "qemu+tcp://server:16509/system", "QEMU/KVM — server" },
    { "test:///default", "Test — default" },
    { "test:///tmp/many.xml", "Test — many.xml" },
    { "lxc:///", "LXC — localhost" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = hangar_uri_display_name (cases[i].uri);
      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

static void
test_uri_local (void)
{
  g_assert_true (hangar_uri_is_local ("qemu:///system"));
  g_assert_true (hangar_uri_is_local ("test:///default"));
  g_assert_false (hangar_uri_is_local ("qemu+ssh://root@127.0.0.1/system"));
}

static void
test_uri_default (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hangar-sock-XXXXXX", NULL);
  g_autofree char *uri = hangar_uri_pick_default (dir);
  g_autofree char *path = g_build_filename (dir, "libvirt-sock", NULL);
  g_autofree char *uri2 = NULL;
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketAddress) addr = NULL;

  /* No socket: the per-user session. */
  g_assert_cmpstr (uri, ==, "qemu:///session");

  /* A socket that answers: the system daemon. */
  sock = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, NULL);
  addr = g_unix_socket_address_new (path);
  g_assert_true (g_socket_bind (sock, addr, TRUE, NULL));
  g_assert_true (g_socket_listen (sock, NULL));
  uri2 = hangar_uri_pick_default (dir);
  g_assert_cmpstr (uri2, ==, "qemu:///system");

  g_socket_close (sock, NULL);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_uri_build (void)
{
  struct {
    HangarHypervisor hv; gboolean remote; HangarTransport tr;
    const char *user; const char *host; const char *uri; int code;
  } cases[] = {
    { HANGAR_HYPERVISOR_QEMU_SYSTEM, FALSE, 0, NULL, NULL, "qemu:///system", -1 },
    { HANGAR_HYPERVISOR_QEMU_SESSION, FALSE, 0, "ignored", "ignored", "qemu:///session", -1 },
    { HANGAR_HYPERVISOR_LXC, FALSE, 0, NULL, NULL, "lxc:///", -1 },
    { HANGAR_HYPERVISOR_XEN, FALSE, 0, NULL, NULL, "xen:///system", -1 },
    { HANGAR_HYPERVISOR_QEMU_SYSTEM, TRUE, HANGAR_TRANSPORT_SSH, "root", "server:2222",
      "qemu+ssh://root@server:2222/system", -1 },
    { HANGAR_HYPERVISOR_QEMU_SYSTEM, TRUE, HANGAR_TRANSPORT_SSH, "", " server ",
      "qemu+ssh://server/system", -1 },
    { HANGAR_HYPERVISOR_QEMU_SESSION, TRUE, HANGAR_TRANSPORT_SSH, "me", "h",
      "qemu+ssh://me@h/session", -1 },
    /* TCP and TLS authenticate through SASL: no user in the URI. */
    { HANGAR_HYPERVISOR_QEMU_SYSTEM, TRUE, HANGAR_TRANSPORT_TCP, "me", "10.0.0.5:16509",
      "qemu+tcp://10.0.0.5:16509/system", -1 },
    { HANGAR_HYPERVISOR_QEMU_SYSTEM, TRUE, HANGAR_TRANSPORT_TLS, NULL, "h.example",
      "qemu+tls://h.example/system", -1 },
    { HANGAR_HYPERVISOR_QEMU_SYSTEM, TRUE, HANGAR_TRANSPORT_SSH, "root", "",
      NULL, HANGAR_URI_ERROR_BAD_HOST },
    { HANGAR_HYPERVISOR_QEMU_SYSTEM, TRUE, HANGAR_TRANSPORT_SSH, "root", "-oProxyCommand=x",
      NULL, HANGAR_URI_ERROR_BAD_HOST },
    { HANGAR_HYPERVISOR_QEMU_SYSTEM, TRUE, HANGAR_TRANSPORT_SSH, "-x", "h",
      NULL, HANGAR_URI_ERROR_BAD_USER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = hangar_uri_build (cases[i].hv, cases[i].remote, cases[i].tr,
                                               cases[i].user, cases[i].host, &error);

      g_assert_cmpstr (uri, ==, cases[i].uri);
      if (cases[i].code < 0)
        g_assert_no_error (error);
      else
        g_assert_error (error, HANGAR_URI_ERROR, cases[i].code);
    }
}

static void
test_cpu_percent (void)
{
  /* 2 vCPUs, 1 s apart, 1 s of CPU time used: half of the machine. */
  g_assert_cmpfloat_with_epsilon (hangar_stats_cpu_percent (5000000000ull, 6000000000ull,
                                                            1000000, 2000000, 2),
                                  50.0, 0.001);
  /* One vCPU fully busy over half a second. */
  g_assert_cmpfloat_with_epsilon (hangar_stats_cpu_percent (0, 500000000ull, 10, 500010, 1),
                                  100.0, 0.001);
  /* 0 vCPUs is treated as one rather than dividing by zero. */
  g_assert_cmpfloat_with_epsilon (hangar_stats_cpu_percent (0, 250000000ull, 10, 1000010, 0),
                                  25.0, 0.001);
  /* Not comparable: first sample, clock not moving, counter reset. */
  g_assert_cmpfloat (hangar_stats_cpu_percent (0, 100, 0, 1000, 1), <, 0.0);
  g_assert_cmpfloat (hangar_stats_cpu_percent (0, 100, 1000, 1000, 1), <, 0.0);
  g_assert_cmpfloat (hangar_stats_cpu_percent (900, 100, 1000, 2000, 1), <, 0.0);
}

static void
test_history (void)
{
  HangarHistory history = { 0 };
  float out[HANGAR_HISTORY_LENGTH];
  guint n;

  g_assert_cmpuint (hangar_history_read (&history, out, 10), ==, 0);
  for (guint i = 0; i < 100; i++)
    hangar_history_push (&history, (float) i);

  n = hangar_history_read (&history, out, HANGAR_HISTORY_LENGTH);
  g_assert_cmpuint (n, ==, HANGAR_HISTORY_LENGTH);
  g_assert_cmpfloat (out[0], ==, 40.0f);
  g_assert_cmpfloat (out[HANGAR_HISTORY_LENGTH - 1], ==, 99.0f);

  n = hangar_history_read (&history, out, 3);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (out[0], ==, 97.0f);
  g_assert_cmpfloat (out[2], ==, 99.0f);

  hangar_history_clear (&history);
  g_assert_cmpuint (hangar_history_read (&history, out, 10), ==, 0);
}

static void
test_units (void)
{
  g_autofree char *a = hangar_format_kib (2 * 1024 * 1024);
  g_autofree char *b = hangar_format_kib (512 * 1024);
  g_autofree char *c = hangar_format_kib (100);
  /* Past 1 TiB, TiB: not “10240.0 GiB”. */
  g_autofree char *d = hangar_format_kib (G_GUINT64_CONSTANT (10240) * 1024 * 1024);
  g_autofree char *e = hangar_format_kib (G_GUINT64_CONSTANT (1024) * 1024 * 1024);

  g_assert_cmpstr (a, ==, "2.0 GiB");
  g_assert_cmpstr (d, ==, "10.0 TiB");
  g_assert_cmpstr (e, ==, "1.0 TiB");
  g_assert_cmpstr (b, ==, "512 MiB");
  g_assert_cmpstr (c, ==, "100 KiB");
}

/* cairo without a GPU render node; GTK's own choice with one. */
static void
test_renderer (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hangar-dri-XXXXXX", &error);
  g_autofree char *card = NULL;
  g_autofree char *render = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (hangar_renderer_for_dri_dir ("/nonexistent/dri"), ==, "cairo");
  g_assert_cmpstr (hangar_renderer_for_dri_dir (dir), ==, "cairo");
  card = g_build_filename (dir, "card0", NULL);
  g_assert_true (g_file_set_contents (card, "", 0, NULL));
  g_assert_cmpstr (hangar_renderer_for_dri_dir (dir), ==, "cairo");
  render = g_build_filename (dir, "renderD128", NULL);
  g_assert_true (g_file_set_contents (render, "", 0, NULL));
  g_assert_null (hangar_renderer_for_dri_dir (dir));
  g_unlink (render);
  g_unlink (card);
  g_rmdir (dir);
}

/* With cairo, GDK's OpenGL goes off, whatever else GDK_DEBUG says. */
static void
test_renderer_gdk_debug (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { NULL, "gl-disable" },
    { "", "gl-disable" },
    { "events", "events,gl-disable" },
    { "events:misc", "events:misc,gl-disable" },
    { "gl-disable", "gl-disable" },
    { "misc,GL-DISABLE", "misc,GL-DISABLE" },
    { "all", "all" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = hangar_renderer_gdk_debug_without_gl (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* Review finding L3: what held a password is zeros before it is freed. */
static void
test_secret (void)
{
  char *secret = g_strdup ("hunter2");
  char *copy = secret;
  gsize length = strlen (secret);

  hangar_secret_wipe (secret);
  for (gsize i = 0; i < length; i++)
    g_assert_cmpint (copy[i], ==, '\0');
  hangar_secret_wipe (NULL);

  hangar_secret_clear (&secret);
  g_assert_null (secret);
  hangar_secret_clear (&secret);
  hangar_secret_free (NULL);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/core/renderer", test_renderer);
  g_test_add_func ("/hangar/core/renderer/gdk-debug", test_renderer_gdk_debug);
  g_test_add_func ("/hangar/core/uri/validate", test_uri_validate);
  g_test_add_func ("/hangar/core/uri/display-name", test_uri_display_name);
  g_test_add_func ("/hangar/core/uri/host-key-check", test_uri_host_key_check);
  g_test_add_func ("/hangar/core/uri/local", test_uri_local);
  g_test_add_func ("/hangar/core/uri/default", test_uri_default);
  g_test_add_func ("/hangar/core/uri/build", test_uri_build);
  g_test_add_func ("/hangar/core/stats/cpu-percent", test_cpu_percent);
  g_test_add_func ("/hangar/core/stats/history", test_history);
  g_test_add_func ("/hangar/core/units", test_units);
  g_test_add_func ("/hangar/core/secret", test_secret);

  return g_test_run ();
}
