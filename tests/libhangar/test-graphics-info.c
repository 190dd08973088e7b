/* test-graphics-info.c — hangar_graphics_info_parse(): where a machine's
 * screen is, from domain XML that may hold anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hangar-vm-console.h"

static HangarGraphicsInfo *
parse_ok (const char *xml)
{
  g_autoptr(GError) error = NULL;
  HangarGraphicsInfo *info = hangar_graphics_info_parse (xml, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

static void
test_vnc (void)
{
  /* Review finding L4: the password comes entity-decoded. */
  g_autoptr(HangarGraphicsInfo) info = parse_ok (
    "<domain type='kvm'><name>a</name><devices>"
    "<serial type='pty'/>"
    "<graphics type='vnc' port='5901' autoport='yes' listen='127.0.0.1'"
    " passwd='a&amp;b&quot;c&lt;'><listen type='address' address='::1'/></graphics>"
    "<graphics type='spice' port='5902'/>"
    "</devices></domain>");

  g_assert_cmpint (info->type, ==, HANGAR_GRAPHICS_VNC);
  g_assert_cmpint (info->port, ==, 5901);
  g_assert_cmpint (info->tls_port, ==, -1);
  g_assert_cmpstr (info->listen, ==, "127.0.0.1");
  g_assert_cmpstr (info->password, ==, "a&b\"c<");
  g_assert_true (info->has_serial);
}

static void
test_spice (void)
{
  g_autoptr(HangarGraphicsInfo) info = parse_ok (
    "<domain type='kvm'><devices>"
    "<graphics type='spice' port='5900' tlsPort='5903' listen='0.0.0.0'/>"
    "<console type='pty'/>"
    "</devices></domain>");

  g_assert_cmpint (info->type, ==, HANGAR_GRAPHICS_SPICE);
  g_assert_cmpint (info->port, ==, 5900);
  g_assert_cmpint (info->tls_port, ==, 5903);
  g_assert_null (info->password);
  g_assert_true (info->has_serial);
}

static void
test_none_and_decoys (void)
{
  /* Graphics and serial elements outside /domain/devices, or in another
   * namespace, are not the machine's. */
  g_autoptr(HangarGraphicsInfo) info = parse_ok (
    "<domain type='kvm' xmlns:x='urn:x'>"
    "<metadata><x:y><graphics type='vnc' port='1'/><serial/></x:y></metadata>"
    "<devices><x:graphics type='vnc' port='2'/><disk type='file'/></devices>"
    "</domain>");

  g_assert_cmpint (info->type, ==, HANGAR_GRAPHICS_NONE);
  g_assert_cmpint (info->port, ==, -1);
  g_assert_null (info->listen);
  g_assert_false (info->has_serial);
}

static void
test_odd_values (void)
{
  /* A device type libvirt-gconfig 4.0 does not know made it log a
   * critical (fatal in the tests), found by fuzz-domain-xml; ports that
   * are no ports read as unknown. */
  g_autoptr(HangarGraphicsInfo) info = parse_ok (
    "<domain type='kvm'><devices>"
    "<filesystem type='volume'><source pool='p' volume='v'/><target dir='t'/></filesystem>"
    "<graphics type='dbus' port='99999999999999999999' tlsPort='-5'/>"
    "</devices></domain>");

  g_assert_cmpint (info->type, ==, HANGAR_GRAPHICS_OTHER);
  g_assert_cmpint (info->port, ==, -1);
  g_assert_cmpint (info->tls_port, ==, -1);
}

static void
test_not_domain_xml (void)
{
  static const char *const bad[] = {
    "",
    "   ",
    "<domain",
    "<network><name>default</name></network>",
    "<x:domain xmlns:x='urn:x'/>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HangarGraphicsInfo) info = hangar_graphics_info_parse (bad[i], &error);

      g_assert_null (info);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/model/graphics-info/vnc", test_vnc);
  g_test_add_func ("/hangar/model/graphics-info/spice", test_spice);
  g_test_add_func ("/hangar/model/graphics-info/none-and-decoys", test_none_and_decoys);
  g_test_add_func ("/hangar/model/graphics-info/odd-values", test_odd_values);
  g_test_add_func ("/hangar/model/graphics-info/not-domain-xml", test_not_domain_xml);

  return g_test_run ();
}
