/* test-console-plan.c — how the console reaches a machine's display
 * (review finding M7): TLS when SPICE offers it, a listen address that is
 * not the connection's host only with the user's word, and no saved
 * password unasked over a plaintext route off this machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "hangar-vm-console.h"

static HangarGraphicsInfo *
parse_ok (const char *graphics)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = g_strdup_printf ("<domain type='kvm'><name>a</name><devices>%s"
                                          "</devices></domain>", graphics);
  HangarGraphicsInfo *info = hangar_graphics_info_parse (xml, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

static void
test_tls_port_secure (void)
{
  g_autoptr(HangarGraphicsInfo) info = parse_ok (
    "<graphics type='spice' port='5900' tlsPort='5901' autoport='yes' listen='0.0.0.0'"
    " defaultMode='secure' passwd='s3cret'/>");
  g_autoptr(HangarConsolePlan) plan = NULL;

  g_assert_true (info->secure_only);
  plan = hangar_console_plan_new (info, "qemu+tcp://hostA/system", FALSE, NULL);
  g_assert_cmpint (plan->route, ==, HANGAR_CONSOLE_ROUTE_TCP);
  g_assert_true (plan->tls);
  g_assert_cmpint (plan->tls_port, ==, 5901);
  /* By the URI's name, which the server's certificate carries. */
  g_assert_cmpstr (plan->host, ==, "hostA");
  g_assert_nonnull (plan->ca_file);
  if (geteuid () == 0)
    g_assert_cmpstr (plan->ca_file, ==, "/etc/pki/CA/cacert.pem");
  g_assert_true (plan->encrypted);
  g_assert_true (plan->send_saved_password);
  g_assert_false (plan->confirm_listen);
}

static void
test_tls_port_offered (void)
{
  /* Offered, not required: still TLS, and the CA is the URI's pkipath. */
  g_autoptr(HangarGraphicsInfo) info = parse_ok (
    "<graphics type='spice' port='5900' tlsPort='5901' listen='192.0.2.7'/>");
  g_autoptr(HangarConsolePlan) plan = NULL;
  const char *addresses[] = { "198.51.100.3", "192.0.2.7", NULL };

  plan = hangar_console_plan_new (info, "qemu+tcp://hostA/system?pkipath=/srv/pki", FALSE,
                                  addresses);
  g_assert_cmpint (plan->route, ==, HANGAR_CONSOLE_ROUTE_TCP);
  g_assert_true (plan->tls);
  g_assert_cmpstr (plan->ca_file, ==, "/srv/pki/cacert.pem");
  /* The listen address is the host's, resolved: no question. */
  g_assert_false (plan->confirm_listen);
  g_assert_cmpstr (plan->host, ==, "hostA");
}

static void
test_secure_without_tls_port (void)
{
  g_autoptr(HangarGraphicsInfo) info = parse_ok (
    "<graphics type='spice' port='5900' defaultMode='secure' listen='0.0.0.0'/>");
  g_autoptr(HangarConsolePlan) plan = hangar_console_plan_new (info, "qemu+tcp://hostA/system",
                                                               FALSE, NULL);

  g_assert_cmpint (plan->route, ==, HANGAR_CONSOLE_ROUTE_NONE);
  g_assert_nonnull (plan->reason);
}

static void
test_foreign_listen (void)
{
  g_autoptr(HangarGraphicsInfo) info = parse_ok (
    "<graphics type='vnc' port='5900' listen='192.0.2.1' passwd='s3cret'/>");
  g_autoptr(HangarConsolePlan) plan = NULL;
  const char *addresses[] = { "198.51.100.3", NULL };

  plan = hangar_console_plan_new (info, "qemu+tcp://hostA/system", FALSE, addresses);
  g_assert_cmpint (plan->route, ==, HANGAR_CONSOLE_ROUTE_TCP);
  g_assert_true (plan->confirm_listen);
  g_assert_cmpstr (plan->listen, ==, "192.0.2.1");
  g_assert_cmpstr (plan->uri_host, ==, "hostA");
  g_assert_cmpstr (plan->host, ==, "192.0.2.1");
  g_assert_false (plan->encrypted);
  g_assert_false (plan->send_saved_password);

  /* Without resolved addresses, the same. */
  g_clear_pointer (&plan, hangar_console_plan_free);
  plan = hangar_console_plan_new (info, "qemu+tls://hostA/system", FALSE, NULL);
  g_assert_true (plan->confirm_listen);
}

static void
test_plaintext_remote (void)
{
  /* The host's own address, but nothing encrypts the way there. */
  g_autoptr(HangarGraphicsInfo) info = parse_ok (
    "<graphics type='vnc' port='5900' listen='198.51.100.3' passwd='s3cret'/>");
  g_autoptr(HangarConsolePlan) plan = NULL;
  const char *addresses[] = { "198.51.100.3", NULL };

  plan = hangar_console_plan_new (info, "qemu+tcp://hostA/system", FALSE, addresses);
  g_assert_cmpint (plan->route, ==, HANGAR_CONSOLE_ROUTE_TCP);
  g_assert_false (plan->confirm_listen);
  g_assert_false (plan->tls);
  g_assert_false (plan->encrypted);
  g_assert_false (plan->send_saved_password);

  /* SPICE without a TLS port: the same. */
  g_clear_pointer (&info, hangar_graphics_info_free);
  g_clear_pointer (&plan, hangar_console_plan_free);
  info = parse_ok ("<graphics type='spice' port='5900' listen='0.0.0.0'/>");
  plan = hangar_console_plan_new (info, "qemu+tcp://10.1.2.3/system", FALSE, NULL);
  g_assert_cmpstr (plan->host, ==, "10.1.2.3");
  g_assert_false (plan->encrypted);
  g_assert_false (plan->send_saved_password);
}

static void
test_loopback_and_local (void)
{
  g_autoptr(HangarGraphicsInfo) info = parse_ok (
    "<graphics type='vnc' port='5900' listen='127.0.0.1'/>");
  g_autoptr(HangarConsolePlan) plan = NULL;

  /* A daemon on this machine reached over TCP: loopback stays here. */
  plan = hangar_console_plan_new (info, "qemu+tcp://127.0.0.1/system", FALSE, NULL);
  g_assert_cmpint (plan->route, ==, HANGAR_CONSOLE_ROUTE_TCP);
  g_assert_cmpstr (plan->host, ==, "127.0.0.1");
  g_assert_false (plan->confirm_listen);
  g_assert_true (plan->encrypted);
  g_assert_true (plan->send_saved_password);

  /* A remote host's loopback is not ours: unreachable, not redirected here. */
  g_clear_pointer (&plan, hangar_console_plan_free);
  plan = hangar_console_plan_new (info, "qemu+tcp://hostA/system", FALSE, NULL);
  g_assert_cmpint (plan->route, ==, HANGAR_CONSOLE_ROUTE_NONE);
  g_assert_nonnull (plan->reason);

  /* Over ssh the tunnel starts on the host: its loopback is right. */
  g_clear_pointer (&plan, hangar_console_plan_free);
  plan = hangar_console_plan_new (info, "qemu+ssh://root@hostA/system", FALSE, NULL);
  g_assert_cmpint (plan->route, ==, HANGAR_CONSOLE_ROUTE_SSH);
  g_assert_cmpstr (plan->host, ==, "127.0.0.1");
  g_assert_true (plan->send_saved_password);

  g_clear_pointer (&plan, hangar_console_plan_free);
  plan = hangar_console_plan_new (info, "qemu:///system", TRUE, NULL);
  g_assert_cmpint (plan->route, ==, HANGAR_CONSOLE_ROUTE_LIBVIRT);
  g_assert_true (plan->send_saved_password);
}

static void
test_loopback_spellings (void)
{
  g_assert_true (hangar_console_address_is_loopback ("localhost"));
  g_assert_true (hangar_console_address_is_loopback ("127.0.0.1"));
  g_assert_true (hangar_console_address_is_loopback ("127.1.2.3"));
  g_assert_true (hangar_console_address_is_loopback ("::1"));
  g_assert_true (hangar_console_address_is_loopback ("::ffff:127.0.0.1"));
  g_assert_false (hangar_console_address_is_loopback ("192.0.2.1"));
  g_assert_false (hangar_console_address_is_loopback ("localhost.example.com"));
  g_assert_false (hangar_console_address_is_loopback (""));
  g_assert_false (hangar_console_address_is_loopback (NULL));
}

static void
test_ca_file (void)
{
  g_autofree char *pki = hangar_console_ca_file_for_uri ("qemu+tls://h/system?no_verify=1&pkipath=/a%20b");
  g_autofree char *plain = hangar_console_ca_file_for_uri ("qemu+tcp://h/system");

  g_assert_cmpstr (pki, ==, "/a b/cacert.pem");
  if (geteuid () == 0)
    g_assert_cmpstr (plain, ==, "/etc/pki/CA/cacert.pem");
  else
    g_assert_true (g_str_has_suffix (plain, "cacert.pem"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/console-plan/tls-port-secure", test_tls_port_secure);
  g_test_add_func ("/console-plan/tls-port-offered", test_tls_port_offered);
  g_test_add_func ("/console-plan/secure-without-tls-port", test_secure_without_tls_port);
  g_test_add_func ("/console-plan/foreign-listen", test_foreign_listen);
  g_test_add_func ("/console-plan/plaintext-remote", test_plaintext_remote);
  g_test_add_func ("/console-plan/loopback-and-local", test_loopback_and_local);
  g_test_add_func ("/console-plan/loopback-spellings", test_loopback_spellings);
  g_test_add_func ("/console-plan/ca-file", test_ca_file);
  return g_test_run ();
}
