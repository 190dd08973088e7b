/* test-builder-qemu.c — built definitions started by a real QEMU.
 *
 * The golden tests prove libvirt's parser takes the XML; this proves QEMU
 * takes the devices. Each machine is transient (virDomainCreateXML) and
 * disk-less, runs for a moment under software emulation and is destroyed:
 * nothing is left on the host. Skipped when qemu:///system cannot be
 * opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-domain-builder.h"
#include "hangar-os.h"

static OsinfoDb *db;
static virConnectPtr conn;
static HangarHostCaps *host_caps;

static OsinfoOs *
find_os (const char *short_id)
{
  OsinfoOs *os = hangar_os_find (db, short_id);

  g_assert_nonnull (os);
  return os;
}

static gboolean
read_host (void)
{
  g_autoptr(GError) error = NULL;
  char *caps_xml;
  char *domcaps_xml;

  conn = virConnectOpen ("qemu:///system");
  if (conn == NULL)
    return FALSE;

  host_caps = hangar_host_caps_new ();
  caps_xml = virConnectGetCapabilities (conn);
  g_assert_nonnull (caps_xml);
  hangar_host_caps_parse (host_caps, caps_xml, &error);
  g_assert_no_error (error);
  free (caps_xml);

  domcaps_xml = virConnectGetDomainCapabilities (conn, NULL, NULL,
                                                 hangar_host_caps_has_machine (host_caps, "q35") ? "q35" : NULL,
                                                 "qemu", 0);
  g_assert_nonnull (domcaps_xml);
  hangar_host_caps_parse_domain_caps (host_caps, domcaps_xml, &error);
  g_assert_no_error (error);
  free (domcaps_xml);
  return TRUE;
}

static HangarDomainSpec *
make_spec (const char *short_id)
{
  g_autoptr(HangarDomainSpec) spec = hangar_domain_spec_new ();

  spec->connection_kind = HANGAR_CONNECTION_KIND_SYSTEM;
  hangar_domain_spec_set_caps (spec, host_caps);
  if (short_id != NULL)
    hangar_domain_spec_set_os (spec, find_os (short_id));
  hangar_domain_spec_apply_os_defaults (spec);
  spec->name = g_strdup_printf ("hangar-test-builder-%d-%s", (int) getpid (),
                                short_id ? short_id : "generic");
  spec->install_method = HANGAR_INSTALL_MANUAL;
  spec->disk_mode = HANGAR_DISK_NONE;
  /* No dependence on the "default" network being up, and no KVM: it
   * cannot run every guest on nested hosts like these. */
  spec->network_mode = HANGAR_NETWORK_USER;
  spec->force_emulation = TRUE;
  spec->memory_mib = 256;
  return g_steal_pointer (&spec);
}

static void
test_start (gconstpointer data)
{
  const char *short_id = data;
  g_autoptr(HangarDomainSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  virDomainPtr dom;
  int state = -1;

  if (conn == NULL)
    {
      g_test_skip ("qemu:///system is not available");
      return;
    }

  spec = make_spec (short_id);
  xml = hangar_domain_builder_to_xml (spec, HANGAR_BUILD_STAGE_INSTALL, &error);
  g_assert_no_error (error);

  dom = virDomainCreateXML (conn, xml, 0);
  if (dom == NULL)
    g_error ("QEMU refused %s: %s\n%s", spec->name, virGetLastErrorMessage (), xml);

  g_usleep (G_USEC_PER_SEC / 2);
  g_assert_cmpint (virDomainGetState (dom, &state, NULL, 0), ==, 0);
  g_assert_cmpint (state, ==, VIR_DOMAIN_RUNNING);
  g_assert_cmpint (virDomainDestroy (dom), ==, 0);
  virDomainFree (dom);
}

/* M10: a machine made for this host opens no port for its console (any
 * local user could connect to one on 127.0.0.1), yet the console still
 * works through the socket libvirt hands over, as Hangar's does. */
static void
test_console_through_fd (void)
{
  g_autoptr(HangarDomainSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  char *live;
  virDomainPtr dom;
  guint8 link[34] = { 0 };
  guint8 reply[20] = { 0 };
  gsize got = 0;
  int fd;

  if (conn == NULL)
    {
      g_test_skip ("qemu:///system is not available");
      return;
    }

  spec = make_spec (NULL);
  g_free (spec->name);
  spec->name = g_strdup_printf ("hangar-test-builder-%d-console", (int) getpid ());
  xml = hangar_domain_builder_to_xml (spec, HANGAR_BUILD_STAGE_INSTALL, &error);
  g_assert_no_error (error);
  dom = virDomainCreateXML (conn, xml, 0);
  if (dom == NULL)
    g_error ("QEMU refused %s: %s\n%s", spec->name, virGetLastErrorMessage (), xml);

  /* Running, and its SPICE server listens on no port. */
  live = virDomainGetXMLDesc (dom, 0);
  g_assert_nonnull (live);
  g_test_message ("%s", strstr (live, "<graphics"));
  g_assert_nonnull (strstr (live, "<graphics type='spice'"));
  g_assert_nonnull (strstr (live, "<listen type='none'/>"));
  g_assert_null (strstr (live, "<graphics type='spice' port="));
  free (live);

  /* The console through libvirt: a SPICE link request for the main
   * channel (RedLinkHeader + RedLinkMess, little-endian) is answered with
   * the server's own header and "no error". */
  fd = virDomainOpenGraphicsFD (dom, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);
  if (fd < 0)
    g_error ("virDomainOpenGraphicsFD: %s", virGetLastErrorMessage ());
  memcpy (link, "REDQ", 4);
  link[4] = 2;          /* major */
  link[8] = 2;          /* minor */
  link[12] = 18;        /* size of what follows */
  link[20] = 1;         /* channel type: main */
  link[30] = 18;        /* caps offset */
  g_assert_cmpint (write (fd, link, sizeof link), ==, sizeof link);
  while (got < sizeof reply)
    {
      ssize_t n = read (fd, reply + got, sizeof reply - got);

      g_assert_cmpint (n, >, 0);
      got += n;
    }
  g_assert_cmpmem (reply, 4, "REDQ", 4);
  g_assert_cmpuint (reply[16] | reply[17] << 8 | reply[18] << 16 | (guint) reply[19] << 24, ==, 0);
  close (fd);

  g_assert_cmpint (virDomainDestroy (dom), ==, 0);
  virDomainFree (dom);
}

/* Windows 11 as the wizard makes it: UEFI with Secure Boot (OVMF, with
 * SMM) and a TPM 2.0 emulated by swtpm, which libvirt starts beside QEMU.
 * The running machine must have all three, as libvirt reports it. */
static void
test_start_windows_11 (void)
{
  g_autoptr(HangarDomainSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *nvram = NULL;
  char *live;
  virDomainPtr dom;
  int state = -1;

  if (conn == NULL)
    {
      g_test_skip ("qemu:///system is not available");
      return;
    }
  if (!host_caps->has_uefi || !host_caps->has_secure_boot || !host_caps->has_tpm_emulator)
    {
      g_test_skip ("this host lacks OVMF with Secure Boot or swtpm (tools/setup installs them)");
      return;
    }

  spec = make_spec ("win11");
  xml = hangar_domain_builder_to_xml (spec, HANGAR_BUILD_STAGE_INSTALL, &error);
  g_assert_no_error (error);

  dom = virDomainCreateXML (conn, xml, 0);
  if (dom == NULL)
    g_error ("QEMU refused %s: %s\n%s", spec->name, virGetLastErrorMessage (), xml);

  live = virDomainGetXMLDesc (dom, 0);
  g_assert_nonnull (live);
  g_test_message ("%s", live);
  g_assert_nonnull (strstr (live, "<backend type='emulator' version='2.0'"));
  g_assert_nonnull (strstr (live, "secure='yes'"));
  g_assert_nonnull (strstr (live, "<smm state='on'/>"));
  {
    const char *start = strstr (live, "<nvram");

    /* Copied from the template for this machine: removed below, as a
     * transient machine's NVRAM outlives it. */
    if (start != NULL && (start = strchr (start, '>')) != NULL)
      nvram = g_strndup (start + 1, strcspn (start + 1, "<"));
  }
  free (live);

  g_usleep (G_USEC_PER_SEC);
  g_assert_cmpint (virDomainGetState (dom, &state, NULL, 0), ==, 0);
  g_assert_cmpint (state, ==, VIR_DOMAIN_RUNNING);
  g_assert_cmpint (virDomainDestroy (dom), ==, 0);
  virDomainFree (dom);
  if (nvram != NULL && *nvram == '/')
    g_unlink (nvram);
}

/* What the host's own capabilities say decides, not a guess: on a host
 * without swtpm, Windows 11 gets a clear error rather than a failed
 * start. Whether this host has it or not, the builder is told it has not. */
static void
test_host_refusal (void)
{
  g_autoptr(HangarDomainSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) domain = NULL;
  gboolean had_tpm_emulator;

  if (conn == NULL)
    {
      g_test_skip ("qemu:///system is not available");
      return;
    }

  had_tpm_emulator = host_caps->has_tpm_emulator;
  host_caps->has_tpm_emulator = FALSE;
  spec = make_spec ("win11");
  domain = hangar_domain_builder_build (spec, HANGAR_BUILD_STAGE_INSTALL, &error);
  host_caps->has_tpm_emulator = had_tpm_emulator;
  g_assert_null (domain);
  g_assert_nonnull (error);
  g_assert_true (error->domain == HANGAR_DOMAIN_BUILDER_ERROR);
  g_test_message ("%s", error->message);
}

static void
quiet (void        *user_data,
       virErrorPtr  error)
{
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

  /* A missing daemon is a skip, not a failure; say why in the log. */
  virSetErrorFunc (NULL, quiet);
  if (!read_host ())
    g_printerr ("# qemu:///system: %s\n", virGetLastErrorMessage ());

  g_test_add_data_func ("/hangar/wizard/qemu/start/linux", "linux2022", test_start);
  g_test_add_data_func ("/hangar/wizard/qemu/start/fedora", "fedora37", test_start);
  g_test_add_data_func ("/hangar/wizard/qemu/start/windows", "win10", test_start);
  g_test_add_data_func ("/hangar/wizard/qemu/start/generic", NULL, test_start);
  g_test_add_func ("/hangar/wizard/qemu/start/windows-11", test_start_windows_11);
  g_test_add_func ("/hangar/wizard/qemu/host-refusal", test_host_refusal);
  g_test_add_func ("/hangar/wizard/qemu/console-through-fd", test_console_through_fd);

  ret = g_test_run ();

  hangar_host_caps_free (host_caps);
  if (conn != NULL)
    virConnectClose (conn);
  return ret;
}
