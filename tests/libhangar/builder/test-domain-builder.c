/* test-domain-builder.c — the wizard's pure core: host capabilities, the
 * domain builder against golden XML, and libvirt's verdict on that XML.
 *
 * HANGAR_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing;
 * read the diff before committing it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-domain-builder.h"
#include "hangar-os.h"
#include "hangar-host-caps.h"

static OsinfoDb *db;

static char *
data_path (const char *name)
{
  return g_build_filename (BUILDER_SRCDIR, "data", name, NULL);
}

static char *
read_data (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static OsinfoOs *
find_os (const char *short_id)
{
  OsinfoOs *os = hangar_os_find (db, short_id);

  g_assert_nonnull (os);
  return os;
}

/* The host of the golden files: everything installed (OVMF with Secure
 * Boot, swtpm, virtio-win), with or without KVM. */
static HangarHostCaps *
make_caps (gboolean kvm)
{
  g_autoptr(HangarHostCaps) caps = hangar_host_caps_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = read_data (kvm ? "caps-kvm.xml" : "caps-tcg.xml");
  g_autofree char *domcaps = read_data ("domcaps-ovmf.xml");

  hangar_host_caps_parse (caps, xml, &error);
  g_assert_no_error (error);
  hangar_host_caps_parse_domain_caps (caps, domcaps, &error);
  g_assert_no_error (error);
  caps->virtio_win_iso = g_strdup ("/usr/share/virtio-win/virtio-win.iso");
  /* Debian 12's QEMU, 7.2: it has its own clipboard agent for VNC. */
  hangar_host_caps_set_hypervisor_version (caps, 7002000);
  return g_steal_pointer (&caps);
}

/* ---- host capabilities ---- */

static void
test_caps_parse (void)
{
  g_autoptr(HangarHostCaps) kvm = hangar_host_caps_new ();
  g_autoptr(HangarHostCaps) tcg = hangar_host_caps_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *kvm_xml = read_data ("caps-kvm.xml");
  g_autofree char *tcg_xml = read_data ("caps-tcg.xml");

  g_assert_true (hangar_host_caps_parse (kvm, kvm_xml, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kvm->arch, ==, "x86_64");
  g_assert_cmpstr (kvm->emulator, ==, "/usr/bin/qemu-system-x86_64");
  g_assert_true (kvm->has_kvm);
  g_assert_true (hangar_host_caps_has_machine (kvm, "q35"));
  g_assert_true (hangar_host_caps_has_machine (kvm, "pc"));
  g_assert_true (hangar_host_caps_has_machine (kvm, "pc-q35-7.2"));
  g_assert_false (hangar_host_caps_has_machine (kvm, "virt"));

  g_assert_true (hangar_host_caps_parse (tcg, tcg_xml, &error));
  g_assert_no_error (error);
  g_assert_false (tcg->has_kvm);
  g_assert_true (hangar_host_caps_has_machine (tcg, "q35"));
}

static void
test_caps_parse_bad (void)
{
  g_autoptr(HangarHostCaps) caps = hangar_host_caps_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (hangar_host_caps_parse (caps, "<capabilities", &error));
  g_assert_error (error, HANGAR_HOST_CAPS_ERROR, HANGAR_HOST_CAPS_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_false (hangar_host_caps_parse (caps, "<domain/>", &error));
  g_assert_error (error, HANGAR_HOST_CAPS_ERROR, HANGAR_HOST_CAPS_ERROR_PARSE);
  g_clear_error (&error);

  /* A host whose only guests are for another architecture. */
  g_assert_false (hangar_host_caps_parse (caps,
                                          "<capabilities>"
                                            "<host><cpu><arch>x86_64</arch></cpu></host>"
                                            "<guest><os_type>hvm</os_type><arch name='aarch64'>"
                                            "<domain type='qemu'/></arch></guest>"
                                          "</capabilities>",
                                          &error));
  g_assert_error (error, HANGAR_HOST_CAPS_ERROR, HANGAR_HOST_CAPS_ERROR_NO_GUEST);
  g_assert_null (caps->arch);
}

static void
test_caps_domain_caps (void)
{
  g_autoptr(HangarHostCaps) caps = hangar_host_caps_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *none = read_data ("domcaps-no-ovmf.xml");
  g_autofree char *ovmf = read_data ("domcaps-ovmf.xml");

  /* What this very host says: no OVMF, no swtpm. */
  g_assert_true (hangar_host_caps_parse_domain_caps (caps, none, &error));
  g_assert_no_error (error);
  g_assert_false (caps->has_uefi);
  g_assert_false (caps->has_secure_boot);
  g_assert_false (caps->has_tpm_emulator);
  /* A nested KVM: two Hyper-V features only. */
  g_assert_cmpuint (g_strv_length (caps->hyperv_features), ==, 2);
  g_assert_true (hangar_host_caps_has_hyperv (caps, "spinlocks"));
  g_assert_false (hangar_host_caps_has_hyperv (caps, "relaxed"));

  g_assert_true (hangar_host_caps_parse_domain_caps (caps, ovmf, &error));
  g_assert_true (caps->has_uefi);
  g_assert_true (caps->has_secure_boot);
  g_assert_true (caps->has_tpm_emulator);
  g_assert_true (hangar_host_caps_has_hyperv (caps, "relaxed"));
  g_assert_true (hangar_host_caps_has_hyperv (caps, "stimer"));

  /* Not said: assume a bare-metal host. */
  g_assert_true (hangar_host_caps_parse_domain_caps (caps, "<domainCapabilities/>", &error));
  g_assert_null (caps->hyperv_features);
  g_assert_true (hangar_host_caps_has_hyperv (caps, "relaxed"));

  g_assert_false (hangar_host_caps_parse_domain_caps (caps, "<capabilities/>", &error));
  g_assert_error (error, HANGAR_HOST_CAPS_ERROR, HANGAR_HOST_CAPS_ERROR_PARSE);
}

static void
touch (const char *root,
       const char *path)
{
  g_autofree char *full = g_build_filename (root, path, NULL);
  g_autofree char *dir = g_path_get_dirname (full);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (full, "", 0, &error);
  g_assert_no_error (error);
}

static void
test_caps_probe_files (void)
{
  g_autoptr(HangarHostCaps) caps = hangar_host_caps_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("hangar-caps-XXXXXX", &error);

  g_assert_no_error (error);

  hangar_host_caps_probe_files (caps, root);
  g_assert_false (caps->has_uefi);
  g_assert_false (caps->has_secure_boot);
  g_assert_false (caps->has_tpm_emulator);
  g_assert_null (caps->virtio_win_iso);

  touch (root, "usr/share/OVMF/OVMF_CODE_4M.fd");
  hangar_host_caps_probe_files (caps, root);
  g_assert_true (caps->has_uefi);
  g_assert_false (caps->has_secure_boot);

  touch (root, "usr/share/OVMF/OVMF_CODE_4M.ms.fd");
  touch (root, "usr/bin/swtpm");
  touch (root, "usr/share/virtio-win/virtio-win.iso");
  hangar_host_caps_probe_files (caps, root);
  g_assert_true (caps->has_secure_boot);
  g_assert_true (caps->has_tpm_emulator);
  g_assert_cmpstr (caps->virtio_win_iso, ==, "/usr/share/virtio-win/virtio-win.iso");

  /* Leave nothing behind. */
  for (const char *p = "usr/share/OVMF/OVMF_CODE_4M.fd\0usr/share/OVMF/OVMF_CODE_4M.ms.fd\0"
                       "usr/bin/swtpm\0usr/share/virtio-win/virtio-win.iso\0"
                       "usr/share/OVMF\0usr/share/virtio-win\0usr/bin\0usr/share\0usr\0";
       *p != '\0'; p += strlen (p) + 1)
    {
      g_autofree char *full = g_build_filename (root, p, NULL);

      g_assert_cmpint (g_remove (full), ==, 0);
    }
  g_assert_cmpint (g_rmdir (root), ==, 0);
}

/* ---- golden domain XML ---- */

typedef struct
{
  const char          *id;
  const char          *os;        /* short id; NULL = generic */
  const char          *name;
  HangarInstallMethod  method;
  HangarDiskMode       disk;
  HangarDiskFormat     import_format;
  HangarBuildStage     stage;
  HangarConsoleProtocol console;
} GoldenCase;

/*
 * Debian 12 is newer than Debian 12's osinfo-db (20221203), so its ISO is
 * not recognised and a search for "Debian 12" finds nothing. The case uses
 * "linux2022" (libosinfo's Generic Linux 2022), the entry a user picks for
 * a current Linux that the database does not know: it gives virtio devices
 * the way a Debian 12 entry would. The OS-less, truly generic path is the
 * "manual" case.
 */
static const GoldenCase golden_cases[] = {
  { "debian12-iso", "linux2022", "debian12", HANGAR_INSTALL_ISO, HANGAR_DISK_NEW,
    0, HANGAR_BUILD_STAGE_INSTALL },
  { "fedora37-tree", "fedora37", "fedora37", HANGAR_INSTALL_TREE, HANGAR_DISK_NEW,
    0, HANGAR_BUILD_STAGE_INSTALL },
  { "win10-iso", "win10", "win10", HANGAR_INSTALL_ISO, HANGAR_DISK_NEW,
    0, HANGAR_BUILD_STAGE_INSTALL },
  { "win11-iso", "win11", "win11", HANGAR_INSTALL_ISO, HANGAR_DISK_NEW,
    0, HANGAR_BUILD_STAGE_INSTALL },
  { "pxe", "fedora37", "fedora37", HANGAR_INSTALL_PXE, HANGAR_DISK_NEW,
    0, HANGAR_BUILD_STAGE_INSTALL },
  { "import-qcow2", "debian11", "debian11", HANGAR_INSTALL_IMPORT, HANGAR_DISK_NONE,
    HANGAR_DISK_FORMAT_QCOW2, HANGAR_BUILD_STAGE_INSTALL },
  { "import-vdi", "win10", "win10", HANGAR_INSTALL_IMPORT, HANGAR_DISK_NONE,
    HANGAR_DISK_FORMAT_VDI, HANGAR_BUILD_STAGE_INSTALL },
  { "manual", NULL, "vm", HANGAR_INSTALL_MANUAL, HANGAR_DISK_NEW,
    0, HANGAR_BUILD_STAGE_INSTALL },
  /* What stays after the installer: the disk boots, no kernel. */
  { "debian12-iso-final", "linux2022", "debian12", HANGAR_INSTALL_ISO, HANGAR_DISK_NEW,
    0, HANGAR_BUILD_STAGE_FINAL },
  { "fedora37-tree-final", "fedora37", "fedora37", HANGAR_INSTALL_TREE, HANGAR_DISK_NEW,
    0, HANGAR_BUILD_STAGE_FINAL },
  /* A VNC console: QEMU's own clipboard agent instead of SPICE's channels. */
  { "debian12-iso-vnc", "linux2022", "debian12", HANGAR_INSTALL_ISO, HANGAR_DISK_NEW,
    0, HANGAR_BUILD_STAGE_INSTALL, HANGAR_CONSOLE_VNC },
  { "debian12-iso-vnc-final", "linux2022", "debian12", HANGAR_INSTALL_ISO, HANGAR_DISK_NEW,
    0, HANGAR_BUILD_STAGE_FINAL, HANGAR_CONSOLE_VNC },
};

typedef struct
{
  const GoldenCase *gc;
  gboolean          system;
} GoldenTest;

static HangarDomainSpec *
make_spec (const GoldenCase *gc,
           gboolean          system)
{
  g_autoptr(HangarDomainSpec) spec = hangar_domain_spec_new ();
  g_autoptr(HangarHostCaps) caps = make_caps (system);
  const char *pool = system ? "/var/lib/libvirt/images"
                            : "/home/ada/.local/share/libvirt/images";

  spec->connection_kind = system ? HANGAR_CONNECTION_KIND_SYSTEM : HANGAR_CONNECTION_KIND_SESSION;
  hangar_domain_spec_set_caps (spec, caps);
  spec->install_method = gc->method;
  if (gc->os != NULL)
    hangar_domain_spec_set_os (spec, find_os (gc->os));
  hangar_domain_spec_apply_os_defaults (spec);
  spec->name = g_strdup (gc->name);
  spec->console = gc->console;

  spec->disk_mode = gc->disk;
  if (gc->disk == HANGAR_DISK_NEW)
    spec->disk_path = g_strdup_printf ("%s/%s.qcow2", pool, gc->name);

  switch (gc->method)
    {
    case HANGAR_INSTALL_ISO:
      spec->iso_path = g_strdup_printf ("/srv/iso/%s.iso", gc->id);
      break;
    case HANGAR_INSTALL_TREE:
      spec->tree_url = g_strdup ("https://download.example.org/fedora/37/Everything/x86_64/os/");
      spec->kernel_path = g_strdup_printf ("%s/boot/%s-vmlinuz", pool, gc->name);
      spec->initrd_path = g_strdup_printf ("%s/boot/%s-initrd.img", pool, gc->name);
      break;
    case HANGAR_INSTALL_IMPORT:
      spec->import_format = gc->import_format;
      if (gc->import_format == HANGAR_DISK_FORMAT_VDI)
        {
          spec->import_path = g_strdup ("/home/ada/VirtualBox VMs/Windows 10/Windows 10.vdi");
          spec->import_converted_path = g_strdup_printf ("%s/%s.qcow2", pool, gc->name);
        }
      else
        {
          spec->import_path = g_strdup_printf ("%s/%s-cloud.qcow2", pool, gc->name);
        }
      break;
    case HANGAR_INSTALL_PXE:
    case HANGAR_INSTALL_MANUAL:
    default:
      break;
    }

  return g_steal_pointer (&spec);
}

static void
check_golden (const char *xml,
              const char *file_name)
{
  g_autofree char *path = g_build_filename (BUILDER_SRCDIR, "golden", file_name, NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *with_newline = g_strconcat (xml, "\n", NULL);

  if (g_getenv ("HANGAR_UPDATE_GOLDEN") != NULL)
    {
      g_file_set_contents (path, with_newline, -1, &error);
      g_assert_no_error (error);
      g_test_message ("rewrote %s", path);
      return;
    }

  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  if (g_strcmp0 (expected, with_newline) != 0)
    g_test_message ("%s differs from the builder's output:\n%s", path, with_newline);
  g_assert_cmpstr (with_newline, ==, expected);
}

/* libvirt's own parser is the judge: the test driver runs it in process
 * and keeps nothing. */
static void
check_libvirt_accepts (const char *xml)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  virDomainPtr dom;

  g_assert_nonnull (conn);
  dom = virDomainDefineXML (conn, xml);
  if (dom == NULL)
    g_error ("libvirt refused the definition: %s", virGetLastErrorMessage ());
  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  virDomainFree (dom);
  virConnectClose (conn);
}

static void
test_golden (gconstpointer data)
{
  const GoldenTest *t = data;
  g_autoptr(HangarDomainSpec) spec = make_spec (t->gc, t->system);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = hangar_domain_builder_to_xml (spec, t->gc->stage, &error);
  g_autofree char *file_name = g_strdup_printf ("%s-%s.xml", t->gc->id,
                                                t->system ? "system" : "session");

  g_assert_no_error (error);
  g_assert_nonnull (xml);
  check_golden (xml, file_name);
  check_libvirt_accepts (xml);
}

/* ---- the rules, one at a time, so a golden update cannot hide a change ---- */

static char *
build (HangarDomainSpec *spec)
{
  g_autoptr(GError) error = NULL;
  char *xml = hangar_domain_builder_to_xml (spec, HANGAR_BUILD_STAGE_INSTALL, &error);

  g_assert_no_error (error);
  return xml;
}

static void
test_rules_accelerator (void)
{
  g_autoptr(HangarDomainSpec) kvm = make_spec (&golden_cases[0], TRUE);
  g_autoptr(HangarDomainSpec) tcg = make_spec (&golden_cases[0], FALSE);
  g_autofree char *kvm_xml = build (kvm);
  g_autofree char *tcg_xml = build (tcg);

  g_assert_true (g_str_has_prefix (kvm_xml, "<domain type=\"kvm\">"));
  g_assert_nonnull (strstr (kvm_xml, "host-passthrough"));
  g_assert_true (g_str_has_prefix (tcg_xml, "<domain type=\"qemu\">"));
  g_assert_null (strstr (tcg_xml, "host-passthrough"));
}

static void
test_rules_windows (void)
{
  g_autoptr(HangarDomainSpec) win10 = make_spec (&golden_cases[2], TRUE);
  g_autoptr(HangarDomainSpec) win10_tcg = make_spec (&golden_cases[2], FALSE);
  g_autofree char *xml = NULL;
  g_autofree char *tcg_xml = NULL;

  xml = build (win10);
  g_assert_nonnull (strstr (xml, "<hyperv mode=\"custom\">"));
  g_assert_nonnull (strstr (xml, "<clock offset=\"localtime\">"));
  g_assert_nonnull (strstr (xml, "<model type=\"qxl\"/>"));
  g_assert_nonnull (strstr (xml, "bus=\"sata\""));
  g_assert_null (strstr (xml, "bus=\"virtio\""));
  g_assert_nonnull (strstr (xml, "<model type=\"e1000e\"/>"));
  g_assert_nonnull (strstr (xml, "com.redhat.spice.0"));
  g_assert_nonnull (strstr (xml, "/usr/share/virtio-win/virtio-win.iso"));
  g_assert_nonnull (strstr (xml, "<input type=\"tablet\" bus=\"usb\"/>"));
  g_assert_null (strstr (xml, "<tpm"));

  /* Hyper-V enlightenments are a KVM feature. */
  tcg_xml = build (win10_tcg);
  g_assert_null (strstr (tcg_xml, "hyperv"));

  /* A nested KVM offering only hv-spinlocks: QEMU would refuse the rest. */
  {
    g_autoptr(HangarDomainSpec) nested = make_spec (&golden_cases[2], TRUE);
    g_autofree char *domcaps = read_data ("domcaps-no-ovmf.xml");
    g_autofree char *nested_xml = NULL;

    g_assert_true (hangar_host_caps_parse_domain_caps (nested->caps, domcaps, NULL));
    nested_xml = build (nested);
    g_assert_nonnull (strstr (nested_xml, "<hyperv mode=\"custom\">\n"
                                          "      <spinlocks state=\"on\" retries=\"8191\"/>\n"
                                          "    </hyperv>"));
    g_assert_null (strstr (nested_xml, "hypervclock"));

    /* And software emulation, chosen by hand, has none at all. */
    nested->force_emulation = TRUE;
    g_clear_pointer (&nested_xml, g_free);
    nested_xml = build (nested);
    g_assert_true (g_str_has_prefix (nested_xml, "<domain type=\"qemu\">"));
    g_assert_null (strstr (nested_xml, "hyperv"));
  }

  /* No virtio-win ISO on the host, no second CD. */
  g_clear_pointer (&win10->caps->virtio_win_iso, g_free);
  g_clear_pointer (&xml, g_free);
  xml = build (win10);
  g_assert_null (strstr (xml, "virtio-win"));
  g_assert_nonnull (strstr (xml, "com.redhat.spice.0"));
  g_assert_nonnull (strstr (xml, "<memballoon model=\"none\"/>"));
}

static void
test_rules_win11 (void)
{
  g_autoptr(HangarDomainSpec) spec = make_spec (&golden_cases[3], TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;

  g_assert_cmpint (spec->firmware, ==, HANGAR_FIRMWARE_UEFI);
  g_assert_true (spec->secure_boot);
  g_assert_true (spec->tpm);
  g_assert_cmpuint (spec->memory_mib, >=, 4096);

  xml = build (spec);
  g_assert_nonnull (strstr (xml, "<os firmware=\"efi\">"));
  g_assert_nonnull (strstr (xml, "<feature enabled=\"yes\" name=\"secure-boot\"/>"));
  g_assert_nonnull (strstr (xml, "<smm state=\"on\"/>"));
  g_assert_nonnull (strstr (xml, "<backend type=\"emulator\" version=\"2.0\"/>"));

  /* The same machine on a host without OVMF, without swtpm. */
  spec->caps->has_tpm_emulator = FALSE;
  g_assert_null (hangar_domain_builder_build (spec, HANGAR_BUILD_STAGE_INSTALL, &error));
  g_assert_error (error, HANGAR_DOMAIN_BUILDER_ERROR, HANGAR_DOMAIN_BUILDER_ERROR_NO_TPM);
  g_clear_error (&error);

  spec->caps->has_secure_boot = FALSE;
  g_assert_null (hangar_domain_builder_build (spec, HANGAR_BUILD_STAGE_INSTALL, &error));
  g_assert_error (error, HANGAR_DOMAIN_BUILDER_ERROR, HANGAR_DOMAIN_BUILDER_ERROR_NO_SECURE_BOOT);
  g_clear_error (&error);

  spec->caps->has_uefi = FALSE;
  g_assert_null (hangar_domain_builder_build (spec, HANGAR_BUILD_STAGE_INSTALL, &error));
  g_assert_error (error, HANGAR_DOMAIN_BUILDER_ERROR, HANGAR_DOMAIN_BUILDER_ERROR_NO_UEFI);
  g_clear_error (&error);

  /* Secure Boot without UEFI is a contradiction, not a host problem. */
  spec->caps->has_uefi = spec->caps->has_secure_boot = TRUE;
  spec->firmware = HANGAR_FIRMWARE_BIOS;
  g_assert_null (hangar_domain_builder_build (spec, HANGAR_BUILD_STAGE_INSTALL, &error));
  g_assert_error (error, HANGAR_DOMAIN_BUILDER_ERROR, HANGAR_DOMAIN_BUILDER_ERROR_NO_SECURE_BOOT);
}

static void
test_rules_linux (void)
{
  g_autoptr(HangarDomainSpec) spec = make_spec (&golden_cases[1], TRUE);
  g_autofree char *xml = build (spec);

  g_assert_nonnull (strstr (xml, "<target dev=\"vda\" bus=\"virtio\"/>"));
  g_assert_nonnull (strstr (xml, "<model type=\"virtio\"/>"));
  g_assert_nonnull (strstr (xml, "org.qemu.guest_agent.0"));
  g_assert_nonnull (strstr (xml, "<clock offset=\"utc\">"));
  /* A local connection: no port (see test_rules_console). */
  g_assert_nonnull (strstr (xml, "<listen type=\"none\"/>"));
  g_assert_nonnull (strstr (xml, "<cmdline>inst.repo=https://download.example.org/"));
  g_assert_nonnull (strstr (xml, "<on_reboot>destroy</on_reboot>"));
  g_assert_nonnull (strstr (xml, "<libosinfo:os id=\"http://fedoraproject.org/fedora/37\"/>"));
  g_assert_null (strstr (xml, "hyperv"));
  g_assert_null (strstr (xml, "localtime"));
}

static void
test_rules_generic (void)
{
  g_autoptr(HangarDomainSpec) spec = make_spec (&golden_cases[7], TRUE);
  g_autofree char *xml = build (spec);

  /* Nothing is known about the OS: devices every OS has drivers for. */
  g_assert_nonnull (strstr (xml, "bus=\"sata\""));
  g_assert_nonnull (strstr (xml, "<model type=\"e1000e\"/>"));
  g_assert_nonnull (strstr (xml, "<model type=\"vga\"/>"));
  g_assert_null (strstr (xml, "libosinfo"));
  g_assert_null (strstr (xml, "virtio"));
}

static void
test_rules_media (void)
{
  g_autoptr(HangarDomainSpec) spec = make_spec (&golden_cases[0], TRUE);
  g_autofree char *drive_xml = NULL;
  g_autofree char *raw_xml = NULL;

  /* A host drive instead of an ISO file; a fixed UUID for the install
   * boot and the definition to share. */
  g_free (spec->iso_path);
  spec->iso_path = g_strdup ("/dev/sr0");
  spec->uuid = g_strdup ("2b2c1a6e-6d0a-4d55-9a8e-3f1d1d7c2a10");
  drive_xml = build (spec);
  g_assert_nonnull (strstr (drive_xml, "<disk type=\"block\" device=\"cdrom\">"));
  g_assert_nonnull (strstr (drive_xml, "<source dev=\"/dev/sr0\"/>"));
  g_assert_nonnull (strstr (drive_xml, "<uuid>2b2c1a6e-6d0a-4d55-9a8e-3f1d1d7c2a10</uuid>"));
  check_libvirt_accepts (drive_xml);

  /* An existing raw image. */
  spec->disk_mode = HANGAR_DISK_EXISTING;
  spec->disk_format = HANGAR_DISK_FORMAT_RAW;
  g_free (spec->disk_path);
  spec->disk_path = g_strdup ("/srv/disks/debian12.img");
  raw_xml = build (spec);
  g_assert_nonnull (strstr (raw_xml, "<driver name=\"qemu\" type=\"raw\" discard=\"unmap\"/>\n"
                                     "      <source file=\"/srv/disks/debian12.img\"/>"));
}

static void
test_rules_network (void)
{
  g_autoptr(HangarDomainSpec) system = make_spec (&golden_cases[0], TRUE);
  g_autoptr(HangarDomainSpec) session = make_spec (&golden_cases[0], FALSE);
  g_autofree char *system_xml = build (system);
  g_autofree char *session_xml = build (session);
  g_autofree char *bridge_xml = NULL;

  g_assert_nonnull (strstr (system_xml, "<interface type=\"network\">"));
  g_assert_nonnull (strstr (system_xml, "<source network=\"default\"/>"));
  g_assert_nonnull (strstr (session_xml, "<interface type=\"user\">"));

  system->network_mode = HANGAR_NETWORK_BRIDGE;
  g_free (system->network_source);
  system->network_source = g_strdup ("br0");
  bridge_xml = build (system);
  g_assert_nonnull (strstr (bridge_xml, "<source bridge=\"br0\"/>"));
}

/* Each breaks one thing in a good spec and names the error it expects. */
static int
break_spec (HangarDomainSpec *spec,
            guint             which)
{
  switch (which)
    {
    case 0:
      g_clear_pointer (&spec->caps, hangar_host_caps_free);
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_HOST;
    case 1:
      g_clear_pointer (&spec->name, g_free);
      return HANGAR_DOMAIN_BUILDER_ERROR_NAME;
    case 2:
      g_free (spec->name);
      spec->name = g_strdup ("a/b");
      return HANGAR_DOMAIN_BUILDER_ERROR_NAME;
    case 3:
      spec->memory_mib = 0;
      return HANGAR_DOMAIN_BUILDER_ERROR_MEMORY;
    case 4:
      spec->vcpus = 0;
      return HANGAR_DOMAIN_BUILDER_ERROR_VCPUS;
    case 5:
      g_clear_pointer (&spec->iso_path, g_free);
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_MEDIA;
    case 6:
      g_clear_pointer (&spec->disk_path, g_free);
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_DISK;
    case 7:
      spec->disk_format = HANGAR_DISK_FORMAT_VMDK;
      return HANGAR_DOMAIN_BUILDER_ERROR_NEEDS_CONVERSION;
    case 8:
      g_clear_pointer (&spec->network_source, g_free);
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_NETWORK;
    case 9:
      spec->install_method = HANGAR_INSTALL_PXE;
      spec->network_mode = HANGAR_NETWORK_NONE;
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_NETWORK;
    case 10:
      spec->install_method = HANGAR_INSTALL_TREE;
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_MEDIA;
    case 11:
      spec->install_method = HANGAR_INSTALL_IMPORT;
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_DISK;
    case 12:
      spec->install_method = HANGAR_INSTALL_IMPORT;
      spec->import_path = g_strdup ("/srv/old.vdi");
      spec->import_format = HANGAR_DISK_FORMAT_VDI;
      return HANGAR_DOMAIN_BUILDER_ERROR_NEEDS_CONVERSION;
    case 13:
      spec->firmware = HANGAR_FIRMWARE_UEFI;
      spec->caps->has_uefi = FALSE;
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_UEFI;
    case 14:
      spec->tpm = TRUE;
      spec->caps->has_tpm_emulator = FALSE;
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_TPM;
    case 15:
      /* Secure Boot on a host that offers only i440fx. */
      spec->firmware = HANGAR_FIRMWARE_UEFI;
      spec->secure_boot = TRUE;
      g_strfreev (spec->caps->machines);
      spec->caps->machines = g_strsplit ("pc pc-i440fx-7.2", " ", -1);
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_SECURE_BOOT;
    case 16:
      g_free (spec->caps->arch);
      spec->caps->arch = g_strdup ("aarch64");
      return HANGAR_DOMAIN_BUILDER_ERROR_NO_HOST;
    default:
      return -1;
    }
}

/* The value of @attr="…" in the <graphics> element of @xml, or NULL. */
static char *
graphics_attr (const char *xml,
               const char *attr)
{
  const char *start = strstr (xml, "<graphics ");
  g_autofree char *key = g_strdup_printf (" %s=\"", attr);
  const char *end, *found;

  g_assert_nonnull (start);
  end = strchr (start, '>');
  found = strstr (start, key);
  if (found == NULL || found > end)
    return NULL;
  found += strlen (key);
  return g_strndup (found, strcspn (found, "\""));
}

static void
test_rules_console (void)
{
  /* M10: a port on 127.0.0.1 without a password is every local user's. */
  for (guint system = 0; system < 2; system++)
    {
      g_autoptr(HangarDomainSpec) local = make_spec (&golden_cases[0], system);
      g_autoptr(HangarDomainSpec) remote = make_spec (&golden_cases[0], system);
      g_autofree char *local_xml = build (local);
      g_autofree char *remote_xml = NULL;
      g_autofree char *remote_again = NULL;
      g_autofree char *given_xml = NULL;
      g_autofree char *password = NULL;
      g_autofree char *autoport = NULL;

      /* On this host: no port at all, Hangar opens it through libvirt. */
      g_assert_nonnull (strstr (local_xml, "<graphics type=\"spice\">\n      <listen type=\"none\"/>"));
      g_assert_null (graphics_attr (local_xml, "passwd"));
      g_assert_null (graphics_attr (local_xml, "autoport"));
      check_libvirt_accepts (local_xml);

      /* On a remote host: its loopback (behind ssh), with a password. */
      remote->remote = TRUE;
      remote_xml = build (remote);
      remote_again = build (remote);
      password = graphics_attr (remote_xml, "passwd");
      g_assert_nonnull (password);
      g_assert_cmpuint (strlen (password), ==, 16);
      for (const char *c = password; *c; c++)
        g_assert_true (g_ascii_isalnum (*c));
      autoport = graphics_attr (remote_xml, "autoport");
      g_assert_cmpstr (autoport, ==, "yes");
      g_assert_nonnull (strstr (remote_xml, "<listen type=\"address\" address=\"127.0.0.1\"/>"));
      /* Made up anew each time when none is given… */
      g_assert_cmpstr (remote_xml, !=, remote_again);
      check_libvirt_accepts (remote_xml);

      /* …and the given one when the wizard sets it (install and final agree). */
      remote->graphics_password = g_strdup ("Given0Password12");
      given_xml = build (remote);
      g_assert_nonnull (strstr (given_xml, "passwd=\"Given0Password12\""));
    }
}

#define VDAGENT_CHANNEL "<channel type=\"qemu-vdagent\">"

/* VNC machines get QEMU's clipboard agent where QEMU has one (6.1 and
 * later), and none of SPICE's channels; SPICE machines keep theirs. */
static void
test_rules_vnc (void)
{
  const GoldenCase *debian = &golden_cases[0];

  for (guint system = 0; system < 2; system++)
    {
      g_autoptr(HangarDomainSpec) spice = make_spec (debian, system);
      g_autoptr(HangarDomainSpec) vnc = make_spec (debian, system);
      g_autoptr(HangarDomainSpec) remote = make_spec (debian, system);
      g_autoptr(HangarDomainSpec) old_qemu = make_spec (debian, system);
      g_autofree char *spice_xml = build (spice);
      g_autofree char *vnc_xml = NULL;
      g_autofree char *remote_xml = NULL;
      g_autofree char *old_xml = NULL;
      g_autofree char *password = NULL;

      g_assert_nonnull (strstr (spice_xml, "<channel type=\"spicevmc\">"));
      g_assert_null (strstr (spice_xml, "qemu-vdagent"));

      vnc->console = HANGAR_CONSOLE_VNC;
      vnc_xml = build (vnc);
      g_assert_nonnull (strstr (vnc_xml, "<graphics type=\"vnc\">\n      <listen type=\"none\"/>"));
      g_assert_null (strstr (vnc_xml, "spicevmc"));
      g_assert_null (strstr (vnc_xml, "type=\"spice\""));
      g_assert_nonnull (strstr (vnc_xml, VDAGENT_CHANNEL "\n"
                                         "      <source>\n"
                                         "        <clipboard copypaste=\"yes\"/>\n"
                                         "        <mouse mode=\"server\"/>\n"
                                         "      </source>\n"
                                         "      <target type=\"virtio\" name=\"com.redhat.spice.0\"/>\n"
                                         "    </channel>"));
      g_assert_null (strstr (vnc_xml, "<redirdev"));
      check_libvirt_accepts (vnc_xml);

      /* Remote: the loopback and a password VNC reads whole (8). */
      remote->console = HANGAR_CONSOLE_VNC;
      remote->remote = TRUE;
      remote_xml = build (remote);
      password = graphics_attr (remote_xml, "passwd");
      g_assert_cmpuint (strlen (password), ==, 8);
      g_assert_nonnull (strstr (remote_xml, "<listen type=\"address\" address=\"127.0.0.1\"/>"));
      g_assert_nonnull (strstr (remote_xml, VDAGENT_CHANNEL));
      check_libvirt_accepts (remote_xml);

      /* QEMU 6.0 has no such agent: left out, and no error. */
      old_qemu->console = HANGAR_CONSOLE_VNC;
      old_qemu->caps->has_qemu_vdagent = FALSE;
      hangar_host_caps_set_hypervisor_version (old_qemu->caps, 6000000);
      old_xml = build (old_qemu);
      g_assert_null (strstr (old_xml, "qemu-vdagent"));
      g_assert_null (strstr (old_xml, "spicevmc"));
      g_assert_nonnull (strstr (old_xml, "org.qemu.guest_agent.0"));
      check_libvirt_accepts (old_xml);
    }
}

/* Where QEMU's agent is known from: its version, or a libvirt that lists
 * it among the channel types (9.0 does not). */
static void
test_caps_qemu_vdagent (void)
{
  g_autoptr(HangarHostCaps) caps = hangar_host_caps_new ();
  g_autofree char *domcaps = read_data ("domcaps-ovmf.xml");

  g_assert_true (hangar_host_caps_parse_domain_caps (caps, domcaps, NULL));
  g_assert_false (caps->has_qemu_vdagent);
  hangar_host_caps_set_hypervisor_version (caps, 0);
  g_assert_false (caps->has_qemu_vdagent);
  hangar_host_caps_set_hypervisor_version (caps, 6000000);
  g_assert_false (caps->has_qemu_vdagent);
  hangar_host_caps_set_hypervisor_version (caps, 6001000);
  g_assert_true (caps->has_qemu_vdagent);

  caps->has_qemu_vdagent = FALSE;
  g_assert_true (hangar_host_caps_parse_domain_caps (caps,
                                                     "<domainCapabilities><devices>"
                                                     "<channel supported='yes'><enum name='type'>"
                                                     "<value>pty</value><value>qemu-vdagent</value>"
                                                     "</enum></channel></devices></domainCapabilities>",
                                                     NULL));
  g_assert_true (caps->has_qemu_vdagent);
}

static void
test_errors (void)
{
  for (guint i = 0; ; i++)
    {
      g_autoptr(HangarDomainSpec) spec = make_spec (&golden_cases[0], TRUE);
      g_autoptr(GError) error = NULL;
      g_autoptr(GVirConfigDomain) domain = NULL;
      int code = break_spec (spec, i);

      if (code < 0)
        break;
      domain = hangar_domain_builder_build (spec, HANGAR_BUILD_STAGE_INSTALL, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (domain);
      g_assert_error (error, HANGAR_DOMAIN_BUILDER_ERROR, code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_volume (void)
{
  g_autoptr(HangarDomainSpec) spec = make_spec (&golden_cases[0], TRUE);
  g_autoptr(GVirConfigStorageVol) vol = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;

  spec->disk_capacity_gib = 25;
  vol = hangar_domain_builder_build_volume (spec, &error);
  g_assert_no_error (error);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (vol));
  g_assert_cmpstr (xml, ==,
                   "<volume>\n"
                   "  <name>debian12.qcow2</name>\n"
                   "  <capacity>26843545600</capacity>\n"
                   "  <allocation>0</allocation>\n"
                   "  <target>\n"
                   "    <format type=\"qcow2\"/>\n"
                   "  </target>\n"
                   "</volume>");
  g_clear_object (&vol);

  /* libvirt takes it, with the size asked for. */
  {
    virConnectPtr conn = virConnectOpen ("test:///default");
    virStoragePoolPtr pool = virStoragePoolLookupByName (conn, "default-pool");
    virStorageVolPtr created;
    virStorageVolInfo info;

    g_assert_nonnull (pool);
    created = virStorageVolCreateXML (pool, xml, 0);
    if (created == NULL)
      g_error ("libvirt refused the volume: %s", virGetLastErrorMessage ());
    g_assert_cmpint (virStorageVolGetInfo (created, &info), ==, 0);
    g_assert_cmpuint (info.capacity, ==, G_GUINT64_CONSTANT (25) << 30);
    g_assert_cmpint (virStorageVolDelete (created, 0), ==, 0);
    virStorageVolFree (created);
    virStoragePoolFree (pool);
    virConnectClose (conn);
  }

  spec->disk_capacity_gib = 0;
  g_assert_null (hangar_domain_builder_build_volume (spec, &error));
  g_assert_error (error, HANGAR_DOMAIN_BUILDER_ERROR, HANGAR_DOMAIN_BUILDER_ERROR_NO_DISK);
  g_clear_error (&error);

  spec->disk_capacity_gib = 25;
  spec->disk_mode = HANGAR_DISK_EXISTING;
  g_assert_null (hangar_domain_builder_build_volume (spec, &error));
  g_assert_error (error, HANGAR_DOMAIN_BUILDER_ERROR, HANGAR_DOMAIN_BUILDER_ERROR_NO_DISK);
}

static void
test_spec_defaults (void)
{
  g_autoptr(HangarDomainSpec) spec = hangar_domain_spec_new ();
  g_autoptr(HangarHostCaps) caps = make_caps (TRUE);
  g_autoptr(HangarDomainSpec) copy = NULL;

  hangar_domain_spec_set_caps (spec, caps);

  /* Generic: Hangar's own defaults. */
  hangar_domain_spec_apply_os_defaults (spec);
  g_assert_cmpuint (spec->memory_mib, ==, 2048);
  g_assert_cmpuint (spec->vcpus, ==, 2);
  g_assert_cmpuint (spec->disk_capacity_gib, ==, 25);
  g_assert_cmpint (spec->firmware, ==, HANGAR_FIRMWARE_BIOS);
  g_assert_cmpint (spec->network_mode, ==, HANGAR_NETWORK_VIRTUAL);
  g_assert_cmpstr (spec->network_source, ==, "default");

  /* Fedora 37 recommends 2 GiB and 20 GiB. */
  hangar_domain_spec_set_os (spec, find_os ("fedora37"));
  hangar_domain_spec_apply_os_defaults (spec);
  g_assert_cmpuint (spec->memory_mib, ==, 2048);
  g_assert_cmpuint (spec->disk_capacity_gib, ==, 20);
  g_assert_false (hangar_domain_spec_is_windows (spec));
  g_assert_false (hangar_domain_spec_os_needs_tpm (spec));

  /* Windows 11 has only minimums: 4 GiB, 2 CPUs, 64 GiB; UEFI only. */
  hangar_domain_spec_set_os (spec, find_os ("win11"));
  spec->connection_kind = HANGAR_CONNECTION_KIND_SESSION;
  hangar_domain_spec_apply_os_defaults (spec);
  g_assert_cmpuint (spec->memory_mib, ==, 4096);
  g_assert_cmpuint (spec->vcpus, ==, 2);
  g_assert_cmpuint (spec->disk_capacity_gib, ==, 64);
  g_assert_true (hangar_domain_spec_is_windows (spec));
  g_assert_true (hangar_domain_spec_os_needs_uefi (spec));
  g_assert_true (hangar_domain_spec_os_needs_tpm (spec));
  g_assert_cmpint (spec->firmware, ==, HANGAR_FIRMWARE_UEFI);
  g_assert_true (spec->secure_boot && spec->tpm);
  g_assert_cmpint (spec->network_mode, ==, HANGAR_NETWORK_USER);
  g_assert_null (spec->network_source);

  /* Windows 10 boots from BIOS and needs no TPM. */
  hangar_domain_spec_set_os (spec, find_os ("win10"));
  hangar_domain_spec_apply_os_defaults (spec);
  g_assert_cmpint (spec->firmware, ==, HANGAR_FIRMWARE_BIOS);
  g_assert_false (spec->tpm);

  copy = g_boxed_copy (HANGAR_TYPE_DOMAIN_SPEC, spec);
  g_assert_true (copy->os == spec->os);
  g_assert_true (copy->caps != spec->caps);
  g_assert_cmpstr (copy->caps->arch, ==, "x86_64");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) golden_tests = g_ptr_array_new_with_free_func (g_free);
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  db = hangar_os_get_db (&error);
  g_assert_no_error (error);

  g_test_add_func ("/hangar/wizard/caps/parse", test_caps_parse);
  g_test_add_func ("/hangar/wizard/caps/parse-bad", test_caps_parse_bad);
  g_test_add_func ("/hangar/wizard/caps/domain-caps", test_caps_domain_caps);
  g_test_add_func ("/hangar/wizard/caps/probe-files", test_caps_probe_files);
  g_test_add_func ("/hangar/wizard/spec/defaults", test_spec_defaults);

  for (guint i = 0; i < G_N_ELEMENTS (golden_cases); i++)
    for (int system = 1; system >= 0; system--)
      {
        GoldenTest *t = g_new0 (GoldenTest, 1);
        g_autofree char *path = NULL;

        t->gc = &golden_cases[i];
        t->system = system;
        g_ptr_array_add (golden_tests, t);
        path = g_strdup_printf ("/hangar/wizard/builder/golden/%s-%s", t->gc->id,
                                system ? "system" : "session");
        g_test_add_data_func (path, t, test_golden);
      }

  g_test_add_func ("/hangar/wizard/builder/accelerator", test_rules_accelerator);
  g_test_add_func ("/hangar/wizard/builder/windows", test_rules_windows);
  g_test_add_func ("/hangar/wizard/builder/windows-11", test_rules_win11);
  g_test_add_func ("/hangar/wizard/builder/linux", test_rules_linux);
  g_test_add_func ("/hangar/wizard/builder/generic", test_rules_generic);
  g_test_add_func ("/hangar/wizard/builder/network", test_rules_network);
  g_test_add_func ("/hangar/wizard/builder/console", test_rules_console);
  g_test_add_func ("/hangar/wizard/builder/vnc", test_rules_vnc);
  g_test_add_func ("/hangar/wizard/caps/qemu-vdagent", test_caps_qemu_vdagent);
  g_test_add_func ("/hangar/wizard/builder/media", test_rules_media);
  g_test_add_func ("/hangar/wizard/builder/errors", test_errors);
  g_test_add_func ("/hangar/wizard/builder/volume", test_volume);

  ret = g_test_run ();
  return ret;
}
