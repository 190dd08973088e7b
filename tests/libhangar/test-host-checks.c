/* test-host-checks.c — the host window's pure decisions: network, pool and
 * volume forms, and the virtualization advice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "hangar-host-checks.h"

static void
test_ipv4 (void)
{
  struct { const char *text; gboolean ok; guint32 value; } addresses[] = {
    { "192.168.1.1", TRUE, 0xc0a80101 },
    { "0.0.0.0", TRUE, 0 },
    { "255.255.255.255", TRUE, 0xffffffff },
    { "256.1.1.1", FALSE, 0 },
    { "1.2.3", FALSE, 0 },
    { "1.2.3.4.5", FALSE, 0 },
    { "01.2.3.4", FALSE, 0 },
    { "1.2.3.4 ", FALSE, 0 },
    { "a.b.c.d", FALSE, 0 },
    { "", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      guint32 value = 12345;

      g_assert_cmpint (hangar_ipv4_parse_address (addresses[i].text, &value), ==,
                       addresses[i].ok);
      if (addresses[i].ok)
        {
          g_autofree char *back = hangar_ipv4_format_address (value);

          g_assert_cmphex (value, ==, addresses[i].value);
          g_assert_cmpstr (back, ==, addresses[i].text);
        }
    }

  g_assert_true (hangar_ipv4_overlaps (0xc0a80100, 24, 0xc0a801fe, 24));
  g_assert_true (hangar_ipv4_overlaps (0xc0a80000, 16, 0xc0a86401, 24));
  g_assert_true (hangar_ipv4_overlaps (0xc0a86401, 24, 0xc0a80000, 16));
  g_assert_false (hangar_ipv4_overlaps (0xc0a80100, 24, 0xc0a80200, 24));
  g_assert_false (hangar_ipv4_overlaps (0xc0a80100, 25, 0xc0a80180, 25));
}

static void
test_cidr (void)
{
  struct { const char *text; gboolean ok; guint prefix; } cases[] = {
    { "192.168.100.0/24", TRUE, 24 },
    { " 10.0.0.0/8 ", TRUE, 8 },
    { "10.0.0.0/30", TRUE, 30 },
    { "10.0.0.0/31", FALSE, 0 },
    { "10.0.0.0/7", FALSE, 0 },
    { "10.0.0.0/33", FALSE, 0 },
    { "10.0.0.0/", FALSE, 0 },
    { "10.0.0.0/x", FALSE, 0 },
    { "10.0.0.0/24x", FALSE, 0 },
    { "10.0.0.0", FALSE, 0 },
    { "10.0.0/24", FALSE, 0 },
    { "", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint32 address;
      guint prefix = 0;
      gboolean ok = hangar_ipv4_parse_cidr (cases[i].text, &address, &prefix, &error);

      g_test_message ("%s: %s", cases[i].text, error ? error->message : "ok");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpuint (prefix, ==, cases[i].prefix);
      else
        g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK);
    }
}

static void
test_network_spec (void)
{
  const char *names[] = { "default", "lab", NULL };
  const char *ranges[] = { "192.168.122.1/24 default", "10.10.0.1/16 lab", NULL };
  struct {
    const char *name, *network, *start, *end;
    int code;  /* -1: accepted */
  } cases[] = {
    { "good", "192.168.200.0/24", "192.168.200.10", "192.168.200.100", -1 },
    { "good", "192.168.200.0/24", "", "", -1 },
    { "good", "192.168.200.5/24", "192.168.200.10", "192.168.200.100", -1 },
    { "", "192.168.200.0/24", "", "", HANGAR_HOST_ERROR_NAME },
    { "has space", "192.168.200.0/24", "", "", HANGAR_HOST_ERROR_NAME },
    { "a/b", "192.168.200.0/24", "", "", HANGAR_HOST_ERROR_NAME },
    { "-x", "192.168.200.0/24", "", "", HANGAR_HOST_ERROR_NAME },
    { "default", "192.168.200.0/24", "", "", HANGAR_HOST_ERROR_NAME },
    { "good", "192.168.300.0/24", "", "", HANGAR_HOST_ERROR_NETWORK },
    { "good", "192.168.200.0", "", "", HANGAR_HOST_ERROR_NETWORK },
    { "good", "192.168.200.255/24", "", "", HANGAR_HOST_ERROR_NETWORK },
    /* Overlaps: same range, a range inside an existing one, one around it. */
    { "good", "192.168.122.0/24", "", "", HANGAR_HOST_ERROR_NETWORK },
    { "good", "10.10.5.0/24", "", "", HANGAR_HOST_ERROR_NETWORK },
    { "good", "192.168.0.0/16", "", "", HANGAR_HOST_ERROR_NETWORK },
    /* DHCP outside, on the edges, reversed, half given, over the gateway. */
    { "good", "192.168.200.0/24", "192.168.201.10", "192.168.200.100",
      HANGAR_HOST_ERROR_DHCP_START },
    { "good", "192.168.200.0/24", "192.168.200.10", "192.168.201.100",
      HANGAR_HOST_ERROR_DHCP_END },
    { "good", "192.168.200.0/24", "192.168.200.0", "192.168.200.100",
      HANGAR_HOST_ERROR_DHCP_START },
    { "good", "192.168.200.0/24", "192.168.200.10", "192.168.200.255",
      HANGAR_HOST_ERROR_DHCP_END },
    { "good", "192.168.200.0/24", "192.168.200.100", "192.168.200.10",
      HANGAR_HOST_ERROR_DHCP_END },
    { "good", "192.168.200.0/24", "192.168.200.10", "", HANGAR_HOST_ERROR_DHCP_END },
    { "good", "192.168.200.0/24", "", "192.168.200.10", HANGAR_HOST_ERROR_DHCP_START },
    { "good", "192.168.200.0/24", "192.168.200.1", "192.168.200.10",
      HANGAR_HOST_ERROR_DHCP_START },
    { "good", "192.168.200.0/24", "nonsense", "192.168.200.10", HANGAR_HOST_ERROR_DHCP_START },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HangarNetworkSpec spec = {
        .name = cases[i].name, .forward = HANGAR_NETWORK_FORWARD_ISOLATED,
        .network = cases[i].network, .dhcp_start = cases[i].start, .dhcp_end = cases[i].end,
      };
      g_autoptr(GError) error = NULL;
      HangarNetworkPlan plan;
      gboolean ok = hangar_network_spec_check (&spec, names, ranges, &plan, &error);

      g_test_message ("%u %s %s %s–%s: %s", i, cases[i].name, cases[i].network, cases[i].start,
                      cases[i].end, error ? error->message : "ok");
      if (cases[i].code < 0)
        g_assert_no_error (error);
      else
        {
          g_assert_false (ok);
          g_assert_error (error, HANGAR_HOST_ERROR, cases[i].code);
        }
    }

  /* The overlap message names the network in the way. */
  {
    HangarNetworkSpec spec = { .name = "x", .network = "192.168.122.128/25" };
    g_autoptr(GError) error = NULL;

    g_assert_false (hangar_network_spec_check (&spec, names, ranges, NULL, &error));
    g_assert_nonnull (strstr (error->message, "default"));
  }
}

static void
test_network_xml (void)
{
  HangarNetworkSpec spec = {
    .name = "hangar-hosttest-x", .forward = HANGAR_NETWORK_FORWARD_NAT,
    .network = "192.168.210.0/24", .dhcp_start = "192.168.210.10",
    .dhcp_end = "192.168.210.20",
  };
  HangarNetworkPlan plan;
  g_autofree char *xml = NULL;
  g_autofree char *isolated = NULL;

  g_assert_true (hangar_network_spec_check (&spec, NULL, NULL, &plan, NULL));
  g_assert_cmphex (plan.gateway, ==, 0xc0a8d201);
  xml = hangar_network_spec_to_xml (&spec, &plan);
  g_assert_nonnull (strstr (xml, "<name>hangar-hosttest-x</name>"));
  g_assert_nonnull (strstr (xml, "<forward mode='nat'/>"));
  g_assert_nonnull (strstr (xml, "<ip address='192.168.210.1' prefix='24'>"));
  g_assert_nonnull (strstr (xml, "<range start='192.168.210.10' end='192.168.210.20'/>"));

  spec.forward = HANGAR_NETWORK_FORWARD_ISOLATED;
  spec.dhcp_start = spec.dhcp_end = NULL;
  g_assert_true (hangar_network_spec_check (&spec, NULL, NULL, &plan, NULL));
  isolated = hangar_network_spec_to_xml (&spec, &plan);
  g_assert_null (strstr (isolated, "<forward"));
  g_assert_null (strstr (isolated, "<dhcp>"));
  g_assert_nonnull (strstr (isolated, "<ip address='192.168.210.1' prefix='24'/>"));
}

static void
test_pool_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hangar-hosttest-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "file", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));

  g_assert_true (hangar_pool_check_path (dir, TRUE, &error));
  g_assert_no_error (error);

  g_assert_false (hangar_pool_check_path (missing, TRUE, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_false (hangar_pool_check_path (file, TRUE, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH);
  g_clear_error (&error);

  g_assert_false (hangar_pool_check_path ("relative/dir", TRUE, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH);
  g_clear_error (&error);

  g_assert_false (hangar_pool_check_path ("", FALSE, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH);
  g_clear_error (&error);

  /* A remote host's folders cannot be seen from here: only the form is checked. */
  g_assert_true (hangar_pool_check_path (missing, FALSE, &error));
  g_assert_no_error (error);

  g_unlink (file);
  g_rmdir (dir);
}

/* Each case: the text, whether it passes. */
typedef struct
{
  const char *text;
  gboolean    ok;
} Case;

static void
check_cases (gboolean (*check) (const char *, GError **),
             const Case  *cases,
             gsize        n,
             int          code)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = check (cases[i].text, &error);

      g_test_message ("%s: %s", cases[i].text, error ? error->message : "ok");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, HANGAR_HOST_ERROR, code);
    }
}

static gboolean
check_target (const char  *path,
              GError     **error)
{
  return hangar_check_absolute_path (path, HANGAR_HOST_ERROR_PATH, error);
}

static void
test_pool_fields (void)
{
  const Case paths[] = {
    { "/mnt/vms", TRUE }, { "/", TRUE }, { "/srv/a b/c", TRUE }, { "/mnt/vms/", TRUE },
    { "", FALSE }, { NULL, FALSE }, { "mnt/vms", FALSE }, { "~/vms", FALSE },
    { "/mnt/../etc", FALSE }, { "/mnt/./vms", FALSE }, { "/..", FALSE },
  };
  const Case devices[] = {
    { "/dev/sdb", TRUE }, { "/dev/sdb1", TRUE }, { "/dev/disk/by-id/ata-X_123", TRUE },
    { "/dev/mapper/vg-lv", TRUE }, { "/dev/nvme0n1p2", TRUE },
    { "", FALSE }, { NULL, FALSE }, { "sdb", FALSE }, { "/dev", FALSE }, { "/dev/", FALSE },
    { "/dev//sdb", FALSE }, { "/dev/sdb/", FALSE }, { "/dev/../etc/passwd", FALSE },
    { "/home/disk.img", FALSE }, { "/devices/sdb", FALSE },
  };
  const Case hosts[] = {
    { "nas", TRUE }, { "nas.example.com", TRUE }, { "nas.example.com.", TRUE },
    { "192.168.1.20", TRUE }, { "::1", TRUE }, { "fe80::1", TRUE }, { "xn--bcher-kva.example", TRUE },
    { "bücher.example", TRUE }, { "a-b.c-d", TRUE },
    { "", FALSE }, { NULL, FALSE }, { "-oProxyCommand=x", FALSE }, { "nas-.example", FALSE },
    { "nas..example", FALSE }, { "nas.example.com:2049", FALSE }, { "nas/export", FALSE },
    { "[::1]", FALSE }, { "na s", FALSE }, { ".", FALSE },
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", FALSE },
  };
  const Case iqns[] = {
    { "iqn.2013-06.com.example:pool", TRUE }, { "iqn.2003-01.org.linux-iscsi.host.x8664:sn.1", TRUE },
    { "iqn.1992-01.com.example", TRUE }, { "eui.02004567a425678d", TRUE },
    { "naa.52004567ba64678d", TRUE }, { "naa.52004567ba64678d52004567ba64678d", TRUE },
    { "", FALSE }, { NULL, FALSE }, { "iqn.2013-13.com.example:pool", FALSE },
    { "iqn.13-06.com.example", FALSE }, { "iqn.2013-06", FALSE },
    { "IQN.2013-06.com.example:pool", FALSE }, { "iqn.2013-06.com.example:Pool", FALSE },
    { "iqn.2013-06.-com.example", FALSE }, { "iqn.2013-06.com.example:po ol", FALSE },
    { "eui.02004567a425678", FALSE }, { "naa.xyz", FALSE }, { "com.example:pool", FALSE },
    { "iqn.2013-06.com.example:pool\n", FALSE },
  };
  const Case vgs[] = {
    { "vg0", TRUE }, { "data_vg", TRUE }, { "vg.a+b-c", TRUE },
    { "", FALSE }, { NULL, FALSE }, { "-vg", FALSE }, { ".", FALSE }, { "..", FALSE },
    { "vg/0", FALSE }, { "vg 0", FALSE }, { "vgé", FALSE },
  };
  g_autofree char *long_vg = g_strnfill (128, 'v');
  g_autoptr(GError) error = NULL;

  check_cases (check_target, paths, G_N_ELEMENTS (paths), HANGAR_HOST_ERROR_PATH);
  check_cases (hangar_check_device_path, devices, G_N_ELEMENTS (devices),
               HANGAR_HOST_ERROR_SOURCE_DEVICE);
  check_cases (hangar_check_host_name, hosts, G_N_ELEMENTS (hosts),
               HANGAR_HOST_ERROR_SOURCE_HOST);
  check_cases (hangar_check_iqn, iqns, G_N_ELEMENTS (iqns), HANGAR_HOST_ERROR_IQN);
  check_cases (hangar_check_vg_name, vgs, G_N_ELEMENTS (vgs), HANGAR_HOST_ERROR_SOURCE_NAME);
  g_assert_false (hangar_check_vg_name (long_vg, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_NAME);
  long_vg[127] = '\0';
  g_assert_true (hangar_check_vg_name (long_vg, NULL));

  /* The code passed is the field's. */
  g_clear_error (&error);
  g_assert_false (hangar_check_absolute_path ("x", HANGAR_HOST_ERROR_SOURCE_PATH, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_PATH);
}

static void
assert_spec (const HangarPoolSpec *spec,
             int                   code)
{
  g_autoptr(GError) error = NULL;
  const char * const existing[] = { "taken", NULL };
  gboolean ok = hangar_pool_spec_check (spec, existing, FALSE, &error);

  g_test_message ("%s %s: %s", hangar_pool_type_to_string (spec->type), spec->name,
                  error ? error->message : "ok");
  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, HANGAR_HOST_ERROR, code);
    }
}

static void
test_pool_spec (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hangar-hosttest-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  HangarPoolSpec spec;
  g_auto(GStrv) devices = NULL;
  g_autoptr(GError) error = NULL;

  /* dir: the folder must exist, unless the pool creates it. */
  spec = (HangarPoolSpec) { .name = "p", .type = HANGAR_POOL_DIR, .target = dir };
  g_assert_true (hangar_pool_spec_check (&spec, NULL, TRUE, &error));
  g_assert_no_error (error);
  spec.target = missing;
  g_assert_false (hangar_pool_spec_check (&spec, NULL, TRUE, &error));
  g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  spec.build = TRUE;
  g_assert_true (hangar_pool_spec_check (&spec, NULL, TRUE, &error));
  g_assert_cmpint (hangar_pool_spec_build (&spec), ==, HANGAR_POOL_BUILD_FOLDER);
  spec.build = FALSE;
  g_assert_cmpint (hangar_pool_spec_build (&spec), ==, HANGAR_POOL_BUILD_NONE);
  spec.name = "taken";
  assert_spec (&spec, HANGAR_HOST_ERROR_NAME);
  spec = (HangarPoolSpec) { .name = "p", .type = HANGAR_POOL_DIR, .target = "/x/../y" };
  assert_spec (&spec, HANGAR_HOST_ERROR_PATH);

  /* fs: one device, a known format, and a real one to make. */
  spec = (HangarPoolSpec) { .name = "p", .type = HANGAR_POOL_FS, .devices = "/dev/sdb1",
                            .target = "/mnt/p", .format = "auto" };
  assert_spec (&spec, -1);
  g_assert_cmpint (hangar_pool_spec_build (&spec), ==, HANGAR_POOL_BUILD_FOLDER);
  spec.build = TRUE;
  assert_spec (&spec, HANGAR_HOST_ERROR_FORMAT);
  spec.format = "ext4";
  assert_spec (&spec, -1);
  g_assert_cmpint (hangar_pool_spec_build (&spec), ==, HANGAR_POOL_BUILD_NEW);
  spec.format = "nfs";
  assert_spec (&spec, HANGAR_HOST_ERROR_FORMAT);
  spec.format = NULL;
  spec.build = FALSE;
  assert_spec (&spec, -1);
  spec.devices = "/dev/sdb1 /dev/sdc1";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_DEVICE);
  spec.devices = "sdb1";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_DEVICE);
  spec.devices = "";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_DEVICE);
  spec.devices = "/dev/sdb1";
  spec.target = "";
  assert_spec (&spec, HANGAR_HOST_ERROR_PATH);

  /* netfs: server, export, format; the mount folder is always made. */
  spec = (HangarPoolSpec) { .name = "p", .type = HANGAR_POOL_NETFS, .source_host = "nas",
                            .source_path = "/export/vms", .target = "/mnt/nas",
                            .format = "nfs" };
  assert_spec (&spec, -1);
  g_assert_cmpint (hangar_pool_spec_build (&spec), ==, HANGAR_POOL_BUILD_FOLDER);
  spec.source_host = "nas:2049";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_HOST);
  spec.source_host = "nas";
  spec.source_path = "export";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_PATH);
  spec.source_path = "/export";
  spec.format = "ext4";
  assert_spec (&spec, HANGAR_HOST_ERROR_FORMAT);
  /* Samba: a share's name, not a folder. */
  spec.format = "cifs";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_PATH);
  spec.source_path = "vms";
  assert_spec (&spec, -1);
  spec.source_path = "../vms";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_PATH);
  spec.source_path = "vms";
  spec.target = "mnt";
  assert_spec (&spec, HANGAR_HOST_ERROR_PATH);

  /* logical: a group name; devices only to make a new group. */
  spec = (HangarPoolSpec) { .name = "p", .type = HANGAR_POOL_LOGICAL, .source_name = "vg0" };
  assert_spec (&spec, -1);
  g_assert_cmpint (hangar_pool_spec_build (&spec), ==, HANGAR_POOL_BUILD_NONE);
  spec.build = TRUE;
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_DEVICE);
  spec.devices = " /dev/sdb, /dev/sdc\t/dev/sdd ";
  assert_spec (&spec, -1);
  g_assert_cmpint (hangar_pool_spec_build (&spec), ==, HANGAR_POOL_BUILD_NEW);
  devices = hangar_pool_spec_devices (&spec);
  g_assert_cmpuint (g_strv_length (devices), ==, 3);
  g_assert_cmpstr (devices[0], ==, "/dev/sdb");
  g_assert_cmpstr (devices[2], ==, "/dev/sdd");
  spec.devices = "/dev/sdb /tmp/x";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_DEVICE);
  spec.devices = NULL;
  spec.source_name = "vg/0";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_NAME);

  /* iscsi: server and target name; no building. */
  spec = (HangarPoolSpec) { .name = "p", .type = HANGAR_POOL_ISCSI, .source_host = "10.0.0.5",
                            .iqn = "iqn.2013-06.com.example:pool", .build = TRUE,
                            .target = hangar_pool_default_target (HANGAR_POOL_ISCSI) };
  assert_spec (&spec, -1);
  g_assert_cmpstr (spec.target, ==, "/dev/disk/by-path");
  g_assert_cmpint (hangar_pool_spec_build (&spec), ==, HANGAR_POOL_BUILD_NONE);
  spec.iqn = "target1";
  assert_spec (&spec, HANGAR_HOST_ERROR_IQN);
  spec.iqn = "iqn.2013-06.com.example:pool";
  spec.source_host = "";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_HOST);

  /* disk: one whole device; a partition table only when asked. */
  spec = (HangarPoolSpec) { .name = "p", .type = HANGAR_POOL_DISK, .devices = "/dev/sdc",
                            .target = hangar_pool_default_target (HANGAR_POOL_DISK) };
  assert_spec (&spec, -1);
  g_assert_cmpint (hangar_pool_spec_build (&spec), ==, HANGAR_POOL_BUILD_NONE);
  spec.build = TRUE;
  g_assert_cmpint (hangar_pool_spec_build (&spec), ==, HANGAR_POOL_BUILD_NEW);
  spec.devices = "/var/disk";
  assert_spec (&spec, HANGAR_HOST_ERROR_SOURCE_DEVICE);

  /* What the form offers per type. */
  g_assert_true (hangar_pool_can_build (HANGAR_POOL_DIR));
  g_assert_true (hangar_pool_can_build (HANGAR_POOL_FS));
  g_assert_false (hangar_pool_can_build (HANGAR_POOL_NETFS));
  g_assert_true (hangar_pool_can_build (HANGAR_POOL_LOGICAL));
  g_assert_false (hangar_pool_can_build (HANGAR_POOL_ISCSI));
  g_assert_true (hangar_pool_can_build (HANGAR_POOL_DISK));
  g_assert_null (hangar_pool_formats (HANGAR_POOL_DIR));
  g_assert_cmpstr (hangar_pool_formats (HANGAR_POOL_FS)[0], ==, "auto");
  g_assert_true (g_strv_contains (hangar_pool_formats (HANGAR_POOL_NETFS), "glusterfs"));
  for (guint t = 0; t < HANGAR_N_POOL_TYPES; t++)
    g_assert_nonnull (hangar_pool_type_to_string (t));
  g_assert_cmpstr (hangar_pool_type_to_string (HANGAR_POOL_LOGICAL), ==, "logical");

  g_rmdir (dir);
}

static void
test_sizes (void)
{
  struct { const char *text; guint64 bytes; } good[] = {
    { "20", G_GUINT64_CONSTANT (20) << 30 },
    { "20G", G_GUINT64_CONSTANT (20) << 30 },
    { "20 GiB", G_GUINT64_CONSTANT (20) << 30 },
    { "512 MiB", G_GUINT64_CONSTANT (512) << 20 },
    { "1.5t", (G_GUINT64_CONSTANT (3) << 40) / 2 },
    { "1024k", G_GUINT64_CONSTANT (1) << 20 },
  };
  const char *bad[] = { "", "  ", "GiB", "-5", "20 parsecs", "1k", "5000 TiB", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      guint64 bytes = 0;

      g_assert_true (hangar_parse_size (good[i].text, &bytes, NULL));
      g_assert_cmpuint (bytes, ==, good[i].bytes);
    }
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 bytes = 0;

      g_assert_false (hangar_parse_size (bad[i], &bytes, &error));
      g_assert_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_CAPACITY);
    }
}

static void
test_virt_advice (void)
{
  const HangarFact Y = HANGAR_FACT_YES, N = HANGAR_FACT_NO, U = HANGAR_FACT_UNKNOWN;
  struct {
    HangarVirtFacts facts;
    HangarVirtVerdict verdict;
    const char *hint;  /* a word the advice must contain */
  } cases[] = {
    /* local, vmx cpu, all there */
    { { TRUE, FALSE, Y, N, Y, Y, Y }, HANGAR_VIRT_WORKS, NULL },
    /* system daemon: the user's own access to /dev/kvm does not matter */
    { { TRUE, FALSE, Y, N, Y, N, Y }, HANGAR_VIRT_WORKS, NULL },
    /* no flags at all: firmware */
    { { TRUE, FALSE, N, N, N, N, N }, HANGAR_VIRT_NO_CPU_SUPPORT, "firmware" },
    /* Intel flag, no /dev/kvm: the Intel module */
    { { TRUE, FALSE, Y, N, N, N, N }, HANGAR_VIRT_NO_MODULE, "kvm_intel" },
    /* AMD flag, no /dev/kvm: the AMD module */
    { { TRUE, FALSE, N, Y, N, N, N }, HANGAR_VIRT_NO_MODULE, "kvm_amd" },
    /* session, /dev/kvm closed to the user: the kvm group */
    { { TRUE, TRUE, Y, N, Y, N, N }, HANGAR_VIRT_NO_ACCESS, "kvm" },
    { { TRUE, TRUE, Y, N, Y, N, Y }, HANGAR_VIRT_NO_ACCESS, "usermod" },
    /* everything there but libvirt does not offer it */
    { { TRUE, FALSE, Y, N, Y, Y, N }, HANGAR_VIRT_NOT_OFFERED, "QEMU" },
    /* remote: capabilities only */
    { { FALSE, FALSE, U, U, U, U, Y }, HANGAR_VIRT_WORKS, NULL },
    { { FALSE, FALSE, Y, U, U, U, N }, HANGAR_VIRT_NO_MODULE, "kvm_intel" },
    { { FALSE, FALSE, U, U, U, U, N }, HANGAR_VIRT_NOT_OFFERED, "firmware" },
    { { FALSE, FALSE, U, U, U, U, U }, HANGAR_VIRT_UNKNOWN, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = NULL;
      g_autofree char *advice = NULL;
      HangarVirtVerdict verdict = hangar_virt_advise (&cases[i].facts, &title, &advice);

      g_test_message ("%u: %s — %s", i, title, advice ? advice : "");
      g_assert_cmpint (verdict, ==, cases[i].verdict);
      g_assert_nonnull (title);
      if (verdict == HANGAR_VIRT_WORKS)
        g_assert_null (advice);
      else
        g_assert_nonnull (advice);
      if (cases[i].hint != NULL)
        g_assert_nonnull (strstr (advice, cases[i].hint));
    }
}

static void
test_cpu_percent (void)
{
  g_assert_cmpfloat_with_epsilon (hangar_host_cpu_percent (100, 1000, 150, 1100), 50.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (hangar_host_cpu_percent (100, 1000, 100, 1000), 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (hangar_host_cpu_percent (0, 0, 300, 200), 100.0, 1e-9);
  /* Counters going backwards (a daemon restart) are not a spike. */
  g_assert_cmpfloat_with_epsilon (hangar_host_cpu_percent (500, 1000, 100, 200), 0.0, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/host/checks/ipv4", test_ipv4);
  g_test_add_func ("/hangar/host/checks/cidr", test_cidr);
  g_test_add_func ("/hangar/host/checks/network-spec", test_network_spec);
  g_test_add_func ("/hangar/host/checks/network-xml", test_network_xml);
  g_test_add_func ("/hangar/host/checks/pool-path", test_pool_path);
  g_test_add_func ("/hangar/host/checks/pool-fields", test_pool_fields);
  g_test_add_func ("/hangar/host/checks/pool-spec", test_pool_spec);
  g_test_add_func ("/hangar/host/checks/sizes", test_sizes);
  g_test_add_func ("/hangar/host/checks/virt-advice", test_virt_advice);
  g_test_add_func ("/hangar/host/checks/cpu-percent", test_cpu_percent);

  return g_test_run ();
}
