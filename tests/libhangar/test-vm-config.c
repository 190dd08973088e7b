/* test-vm-config.c — the details model against the real daemon.
 *
 * Each change goes through HangarVmConfig's async API and is checked in
 * what `virsh dumpxml` says afterwards (inactive, and live for a running
 * guest).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "details-test-util.h"

static HangarConnection *connection;

static void
assert_xpath (const char *name,
              gboolean    live,
              const char *xpath,
              const char *expected)
{
  g_autofree char *value = details_xpath (name, live, xpath);

  if (g_strcmp0 (value, expected) != 0)
    g_error ("%s %s: %s ≠ %s", live ? "live" : "inactive", xpath,
             value ? value : "(nothing)", expected ? expected : "(nothing)");
}

/* No daemon: what the config makes of XML people write by hand. */
static void
test_parse (void)
{
  g_autoptr(HangarVmConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(HangarBootSettings) boot = { 0 };
  g_auto(HangarCpuSettings) cpu = { 0 };
  HangarMemorySettings memory;
  g_autoptr(GPtrArray) nics = NULL;
  g_autoptr(GPtrArray) disks = NULL;

  config = hangar_vm_config_new_from_xml (
      "<domain type='kvm'><name>n</name><memory unit='GiB'>2</memory>"
      "<currentMemory unit='MiB'>1536</currentMemory><vcpu>4</vcpu>"
      "<os><type arch='x86_64' machine='q35'>hvm</type>"
      "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader></os>"
      "<cpu mode='host-passthrough'><topology sockets='1' dies='1' cores='2' threads='2'/></cpu>"
      "<devices>"
      "<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/>"
      "<link state='down'/><boot order='2'/></interface>"
      "<disk type='block' device='disk'><source dev='/dev/vg/root'/><target dev='vda' bus='virtio'/>"
      "<boot order='1'/><shareable/></disk>"
      "</devices></domain>", NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (hangar_vm_config_get_firmware (config), ==, "UEFI");
  g_assert_cmpstr (hangar_vm_config_get_hypervisor (config), ==, "kvm");
  g_assert_null (hangar_vm_config_get_os_id (config));
  hangar_vm_config_get_memory (config, FALSE, &memory);
  g_assert_cmpuint (memory.maximum_kib, ==, 2 * 1024 * 1024);
  g_assert_cmpuint (memory.current_kib, ==, 1536 * 1024);
  hangar_vm_config_get_cpu (config, FALSE, &cpu);
  g_assert_cmpuint (cpu.current, ==, 4);
  g_assert_cmpuint (cpu.cores, ==, 2);
  g_assert_cmpstr (cpu.mode, ==, "host-passthrough");
  hangar_vm_config_get_boot (config, &boot);
  g_assert_cmpstr (boot.order[0], ==, "hd");
  g_assert_cmpstr (boot.order[1], ==, "network");
  g_assert_null (boot.order[2]);
  nics = hangar_vm_config_get_nics (config, FALSE);
  g_assert_cmpstr (((HangarNicSettings *) g_ptr_array_index (nics, 0))->source, ==, "default");
  g_assert_false (((HangarNicSettings *) g_ptr_array_index (nics, 0))->link_up);
  disks = hangar_vm_config_get_disks (config, FALSE);
  g_assert_cmpstr (((HangarDiskSettings *) g_ptr_array_index (disks, 0))->path, ==, "/dev/vg/root");
  g_assert_true (((HangarDiskSettings *) g_ptr_array_index (disks, 0))->shareable);

  /* Not XML at all. */
  g_clear_object (&config);
  config = hangar_vm_config_new_from_xml ("<domain><name>", NULL, &error);
  g_assert_null (config);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_load (void)
{
  g_autofree char *name = details_define_guest ("load",
      "<metadata><libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
      "<libosinfo:os id='http://debian.org/debian/11'/></libosinfo:libosinfo></metadata>"
      "<vcpu current='1'>2</vcpu>",
      "<interface type='user'><mac address='52:54:00:aa:bb:01'/><model type='virtio'/></interface>"
      "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autoptr(HangarVmConfig) config = details_load (vm);
  g_auto(HangarOverviewSettings) overview = { 0 };
  g_auto(HangarCpuSettings) cpu = { 0 };
  HangarMemorySettings memory;
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GPtrArray) nics = NULL;
  HangarDiskSettings *cd;
  HangarNicSettings *nic;

  g_assert_false (hangar_vm_config_is_active (config));
  g_assert_null (hangar_vm_config_get_live_xml (config));
  hangar_vm_config_get_overview (config, &overview);
  g_assert_cmpstr (overview.name, ==, name);
  g_assert_null (overview.title);
  g_assert_false (overview.autostart);
  g_assert_cmpstr (hangar_vm_config_get_uuid (config), ==, hangar_vm_get_uuid (vm));
  g_assert_cmpstr (hangar_vm_config_get_hypervisor (config), ==, "qemu");
  g_assert_cmpstr (hangar_vm_config_get_arch (config), ==, "x86_64");
  g_assert_true (g_str_has_prefix (hangar_vm_config_get_machine_type (config), "pc"));
  g_assert_nonnull (hangar_vm_config_get_emulator (config));
  g_assert_cmpstr (hangar_vm_config_get_firmware (config), ==, "BIOS");
  g_assert_cmpstr (hangar_vm_config_get_os_id (config), ==, "http://debian.org/debian/11");
  g_assert_cmpstr (hangar_vm_config_get_os_name (config), ==, "Debian 11");
  g_assert_cmpuint (hangar_vm_config_get_host_memory_kib (config), >, 1024 * 1024);
  g_assert_nonnull (hangar_vm_config_get_cpu_models (config)[0]);
  g_assert_true (g_strv_contains (hangar_vm_config_get_cpu_models (config), "qemu64"));

  hangar_vm_config_get_cpu (config, FALSE, &cpu);
  g_assert_cmpuint (cpu.current, ==, 1);
  g_assert_cmpuint (cpu.maximum, ==, 2);
  hangar_vm_config_get_memory (config, FALSE, &memory);
  g_assert_cmpuint (memory.maximum_kib, ==, 128 * 1024);
  g_assert_cmpuint (memory.current_kib, ==, 128 * 1024);

  disks = hangar_vm_config_get_disks (config, FALSE);
  g_assert_cmpuint (disks->len, ==, 1);
  cd = g_ptr_array_index (disks, 0);
  g_assert_cmpstr (cd->target, ==, "sda");
  g_assert_cmpstr (cd->device, ==, "cdrom");
  g_assert_null (cd->path);
  g_assert_true (cd->readonly);
  nics = hangar_vm_config_get_nics (config, FALSE);
  g_assert_cmpuint (nics->len, ==, 1);
  nic = g_ptr_array_index (nics, 0);
  g_assert_cmpstr (nic->mac, ==, "52:54:00:aa:bb:01");
  g_assert_cmpstr (nic->model, ==, "virtio");
  g_assert_true (nic->link_up);
}

static void
test_overview (void)
{
  g_autofree char *name = details_define_guest ("overview", NULL, NULL);
  g_autofree char *new_name = g_strdup_printf ("%s-renamed", name);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *dominfo = NULL;
  HangarOverviewSettings want = {
    .name = new_name, .title = "A title", .description = "Line one\nLine <two> & more",
    .autostart = TRUE, .os_id = "http://fedoraproject.org/fedora/37",
  };
  HangarApplyFlags flags;

  g_ptr_array_add (details_guests, g_strdup (new_name));
  hangar_vm_config_set_overview_async (vm, &want, NULL, hangar_test_async_ready, &result);
  flags = details_apply_wait (vm, &result, NULL, NULL);
  g_assert_true (flags & HANGAR_APPLY_CONFIG);
  g_assert_false (flags & HANGAR_APPLY_NEEDS_RESTART);

  assert_xpath (new_name, FALSE, "/domain/title", "A title");
  assert_xpath (new_name, FALSE, "/domain/description", "Line one\nLine <two> & more");
  assert_xpath (new_name, FALSE, "/domain/uuid", hangar_vm_get_uuid (vm));
  /* The OS in libosinfo's metadata, as virt-install records it. */
  assert_xpath (new_name, FALSE, "/domain/metadata/libosinfo:libosinfo/libosinfo:os/@id",
                "http://fedoraproject.org/fedora/37");
  g_assert_true (details_virsh (&dominfo, "dominfo %s", new_name));
  g_assert_nonnull (strstr (dominfo, "Autostart:      enable"));

  /* Clearing the title and autostart. */
  want.title = "";
  want.autostart = FALSE;
  hangar_vm_config_set_overview_async (vm, &want, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (new_name, FALSE, "/domain/title", NULL);
  g_clear_pointer (&dominfo, g_free);
  g_assert_true (details_virsh (&dominfo, "dominfo %s", new_name));
  g_assert_nonnull (strstr (dominfo, "Autostart:      disable"));
}

static void
test_cpu_memory (void)
{
  g_autofree char *name = details_define_guest ("cpu", NULL, NULL);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HangarCpuSettings cpu = { .current = 2, .maximum = 4, .sockets = 1, .cores = 2, .threads = 2,
                            .mode = "custom", .model = "qemu64" };
  HangarMemorySettings memory = { .current_kib = 96 * 1024, .maximum_kib = 256 * 1024 };
  HangarApplyFlags flags;

  hangar_vm_config_set_cpu_async (vm, &cpu, NULL, hangar_test_async_ready, &result);
  flags = details_apply_wait (vm, &result, NULL, NULL);
  g_assert_cmpint (flags, ==, HANGAR_APPLY_CONFIG);
  assert_xpath (name, FALSE, "/domain/vcpu", "4");
  assert_xpath (name, FALSE, "/domain/vcpu/@current", "2");
  assert_xpath (name, FALSE, "/domain/cpu/@mode", "custom");
  assert_xpath (name, FALSE, "/domain/cpu/model", "qemu64");
  assert_xpath (name, FALSE, "/domain/cpu/topology/@cores", "2");
  assert_xpath (name, FALSE, "/domain/cpu/topology/@threads", "2");

  /* A topology that does not add up is refused before libvirt sees it. */
  cpu.cores = 3;
  hangar_vm_config_set_cpu_async (vm, &cpu, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  assert_xpath (name, FALSE, "/domain/cpu/topology/@cores", "2");

  /* Back to the default: no topology, host-model. */
  cpu = (HangarCpuSettings) { .current = 1, .maximum = 1, .mode = "host-model" };
  hangar_vm_config_set_cpu_async (vm, &cpu, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, FALSE, "/domain/vcpu", "1");
  assert_xpath (name, FALSE, "/domain/vcpu/@current", NULL);
  assert_xpath (name, FALSE, "/domain/cpu/@mode", "host-model");
  assert_xpath (name, FALSE, "/domain/cpu/model", NULL);
  assert_xpath (name, FALSE, "/domain/cpu/topology/@cores", NULL);

  hangar_vm_config_set_memory_async (vm, &memory, NULL, hangar_test_async_ready, &result);
  flags = details_apply_wait (vm, &result, NULL, NULL);
  g_assert_cmpint (flags, ==, HANGAR_APPLY_CONFIG);
  assert_xpath (name, FALSE, "/domain/memory", "262144");
  assert_xpath (name, FALSE, "/domain/currentMemory", "98304");

  memory.current_kib = memory.maximum_kib + 1024;
  hangar_vm_config_set_memory_async (vm, &memory, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  assert_xpath (name, FALSE, "/domain/currentMemory", "98304");
}

static void
test_boot (void)
{
  g_autofree char *name = details_define_guest ("boot", NULL,
      "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/>"
      "<boot order='1'/></disk>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autoptr(HangarVmConfig) config = details_load (vm);
  g_autoptr(GAsyncResult) result = NULL;
  g_auto(HangarBootSettings) boot = { 0 };
  char *order[] = { "network", "cdrom", "hd", NULL };
  HangarBootSettings want = { .order = order, .menu = TRUE, .kernel = "/tmp/vmlinuz-none",
                              .initrd = "/tmp/initrd-none", .cmdline = "console=ttyS0 quiet" };

  /* Per-device order reads as a device kind. */
  hangar_vm_config_get_boot (config, &boot);
  g_assert_cmpstr (boot.order[0], ==, "cdrom");
  g_assert_null (boot.order[1]);

  hangar_vm_config_set_boot_async (vm, &want, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, FALSE, "/domain/os/boot[1]/@dev", "network");
  assert_xpath (name, FALSE, "/domain/os/boot[2]/@dev", "cdrom");
  assert_xpath (name, FALSE, "/domain/os/boot[3]/@dev", "hd");
  assert_xpath (name, FALSE, "/domain/devices/disk/boot/@order", NULL);
  assert_xpath (name, FALSE, "/domain/os/bootmenu/@enable", "yes");
  assert_xpath (name, FALSE, "/domain/os/kernel", "/tmp/vmlinuz-none");
  assert_xpath (name, FALSE, "/domain/os/initrd", "/tmp/initrd-none");
  assert_xpath (name, FALSE, "/domain/os/cmdline", "console=ttyS0 quiet");

  want.order[1] = NULL;
  want.menu = FALSE;
  want.kernel = want.initrd = want.cmdline = NULL;
  hangar_vm_config_set_boot_async (vm, &want, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, FALSE, "/domain/os/boot[1]/@dev", "network");
  assert_xpath (name, FALSE, "/domain/os/boot[2]/@dev", NULL);
  assert_xpath (name, FALSE, "/domain/os/bootmenu/@enable", NULL);
  assert_xpath (name, FALSE, "/domain/os/kernel", NULL);
}

static void
test_xml (void)
{
  g_autofree char *name = details_define_guest ("xml", NULL, NULL);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autoptr(HangarVmConfig) config = details_load (vm);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GString) xml = NULL;

  g_assert_true (details_virsh (&before, "dumpxml --inactive %s", name));

  /* Valid XML that libvirt's schema refuses: libvirt's own words come back. */
  xml = g_string_new (hangar_vm_config_get_xml (config));
  g_string_replace (xml, "</devices>", "<frobnicator/></devices>", 1);
  hangar_vm_config_define_xml_async (vm, xml->str, hangar_vm_config_get_xml (config), NULL,
                                     hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, &error);
  g_assert_nonnull (error);
  g_test_message ("libvirt said: %s", error->message);
  g_assert_nonnull (strstr (error->message, "schema"));
  g_clear_error (&error);

  /* Not even XML. */
  hangar_vm_config_define_xml_async (vm, "<domain type='qemu'><name>",
                                     hangar_vm_config_get_xml (config), NULL,
                                     hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* Another machine's UUID. */
  g_string_assign (xml, hangar_vm_config_get_xml (config));
  g_string_replace (xml, hangar_vm_config_get_uuid (config),
                    "0badc0de-0000-4000-8000-000000000001", 1);
  hangar_vm_config_define_xml_async (vm, xml->str, hangar_vm_config_get_xml (config), NULL,
                                     hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_true (details_virsh (&after, "dumpxml --inactive %s", name));
  g_assert_cmpstr (before, ==, after);

  /* A good edit goes through. */
  g_string_assign (xml, hangar_vm_config_get_xml (config));
  g_assert_cmpuint (g_string_replace (xml, "<memory unit='KiB'>131072</memory>",
                                      "<memory unit='KiB'>102400</memory>", 1), ==, 1);
  g_string_replace (xml, "<currentMemory unit='KiB'>131072</currentMemory>",
                    "<currentMemory unit='KiB'>102400</currentMemory>", 1);
  hangar_vm_config_define_xml_async (vm, xml->str, hangar_vm_config_get_xml (config), NULL,
                                     hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, FALSE, "/domain/memory", "102400");
}

/* M5: an XML edit started before another change does not revert it,
 * unless the caller asks to overwrite. */
static void
test_xml_stale (void)
{
  g_autofree char *name = details_define_guest ("xml-stale", NULL, NULL);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autoptr(HangarVmConfig) config = details_load (vm);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) xml = g_string_new (hangar_vm_config_get_xml (config));

  g_assert_cmpuint (g_string_replace (xml, "<on_crash>destroy</on_crash>",
                                      "<on_crash>restart</on_crash>", 1), ==, 1);
  /* Meanwhile, someone else raises the memory. */
  g_assert_true (details_virsh (NULL, "setmaxmem %s 256M --config", name));
  assert_xpath (name, FALSE, "/domain/memory", "262144");

  hangar_vm_config_define_xml_async (vm, xml->str, hangar_vm_config_get_xml (config), NULL,
                                     hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, &error);
  g_assert_error (error, HANGAR_VM_CONFIG_ERROR, HANGAR_VM_CONFIG_ERROR_CHANGED);
  g_clear_error (&error);
  assert_xpath (name, FALSE, "/domain/memory", "262144");
  assert_xpath (name, FALSE, "/domain/on_crash", "destroy");

  /* Overwrite: the user's document wins, as asked. */
  hangar_vm_config_define_xml_async (vm, xml->str, NULL, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, FALSE, "/domain/on_crash", "restart");
  assert_xpath (name, FALSE, "/domain/memory", "131072");
}

static gboolean
has_password (const char *name)
{
  g_autofree char *xml = NULL;

  g_assert_true (details_virsh (&xml, "dumpxml --inactive --security-info %s", name));
  return strstr (xml, "passwd='x'") != NULL;
}

/* M4: without secure XML (read_secure denied), nothing defines a document
 * that lacks the display password; the counts go through the API. */
static void
test_no_secure_xml (void)
{
  g_autofree char *name = details_define_guest ("nosecure", NULL,
      "<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' passwd='x'/>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autoptr(HangarVmConfig) config = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(HangarCpuSettings) cpu = { 0 };
  HangarMemorySettings memory = { .current_kib = 96 * 1024, .maximum_kib = 192 * 1024 };
  char *order[] = { "network", NULL };
  HangarBootSettings boot = { .order = order, .menu = TRUE };
  g_autoptr(GString) xml = NULL;

  g_assert_true (has_password (name));
  g_setenv ("HANGAR_TEST_NO_SECURE_XML", "1", TRUE);
  config = details_load (vm);
  g_assert_null (strstr (hangar_vm_config_get_xml (config), "passwd"));

  /* A change that needs the whole document: refused, nothing changed. */
  hangar_vm_config_set_boot_async (vm, &boot, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, &error);
  g_assert_error (error, HANGAR_VM_CONFIG_ERROR, HANGAR_VM_CONFIG_ERROR_SECRETS);
  g_test_message ("refused: %s", error->message);
  g_clear_error (&error);
  assert_xpath (name, FALSE, "/domain/os/bootmenu/@enable", NULL);
  g_assert_true (has_password (name));

  /* So is the XML editor's document, which lacks it too. */
  xml = g_string_new (hangar_vm_config_get_xml (config));
  g_string_replace (xml, "<on_crash>destroy</on_crash>", "<on_crash>restart</on_crash>", 1);
  hangar_vm_config_define_xml_async (vm, xml->str, NULL, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, &error);
  g_assert_error (error, HANGAR_VM_CONFIG_ERROR, HANGAR_VM_CONFIG_ERROR_SECRETS);
  g_clear_error (&error);
  assert_xpath (name, FALSE, "/domain/on_crash", "destroy");
  g_assert_true (has_password (name));

  /* vCPU counts and memory sizes change through the API instead. */
  hangar_vm_config_get_cpu (config, FALSE, &cpu);
  cpu.current = 1;
  cpu.maximum = 2;
  hangar_vm_config_set_cpu_async (vm, &cpu, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, FALSE, "/domain/vcpu", "2");
  assert_xpath (name, FALSE, "/domain/vcpu/@current", "1");
  g_assert_true (has_password (name));

  hangar_vm_config_set_memory_async (vm, &memory, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, FALSE, "/domain/memory", "196608");
  assert_xpath (name, FALSE, "/domain/currentMemory", "98304");
  g_assert_true (has_password (name));

  g_unsetenv ("HANGAR_TEST_NO_SECURE_XML");

  /* With secure XML, the same boot change goes through, password kept. */
  hangar_vm_config_set_boot_async (vm, &boot, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, FALSE, "/domain/os/bootmenu/@enable", "yes");
  g_assert_true (has_password (name));
}

static void
test_disk (void)
{
  g_autofree char *name = NULL;
  g_autofree char *image = NULL;
  g_autofree char *devices = NULL;
  g_autoptr(HangarVm) vm = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  HangarDiskSettings disk = { .target = "vda", .device = "disk", .bus = "scsi",
                              .cache = "writeback", .readonly = TRUE };

  image = details_make_qcow2 (DETAILS_PREFIX "disk");
  devices = g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                             "<source file='%s'/><target dev='vda' bus='virtio'/></disk>", image);
  name = details_define_guest ("disk", NULL, devices);
  vm = details_wait_vm (connection, name);
  disk.path = image;

  hangar_vm_config_set_disk_async (vm, &disk, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, FALSE, "/domain/devices/disk/target/@bus", "scsi");
  assert_xpath (name, FALSE, "/domain/devices/disk/driver/@cache", "writeback");
  assert_xpath (name, FALSE, "/domain/devices/disk/address/@type", "drive");
  assert_xpath (name, FALSE, "boolean(/domain/devices/disk/readonly)", "true");
  assert_xpath (name, FALSE, "/domain/devices/disk/source/@file", image);

  /* What the details show of its size: the 64 MiB image, measured in the worker. */
  {
    g_autoptr(HangarVmConfig) config = details_load (vm);
    guint64 capacity = 0, allocation = 0;

    g_assert_true (hangar_vm_config_get_disk_size (config, "vda", &capacity, &allocation));
    g_assert_cmpuint (capacity, ==, 64 * 1024 * 1024);
    g_assert_cmpuint (allocation, >, 0);
    g_assert_cmpuint (allocation, <, capacity);
    g_assert_false (hangar_vm_config_get_disk_size (config, "vdz", NULL, NULL));
  }
}

/* A running diskless guest: vCPUs up to the maximum, the balloon, the
 * link state and CD media, live. */
static void
test_live (void)
{
  g_autofree char *name = NULL;
  g_autofree char *iso = g_strdup_printf (IMAGES_DIR "/" DETAILS_PREFIX "media-%d.iso",
                                          (int) getpid ());
  g_autoptr(HangarVm) vm = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *note = NULL;
  g_autoptr(HangarVmConfig) config = NULL;
  g_auto(HangarCpuSettings) cpu = { 0 };
  HangarMemorySettings memory = { .current_kib = 96 * 1024, .maximum_kib = 128 * 1024 };
  HangarNicSettings nic = { .mac = "52:54:00:aa:bb:02", .type = "user", .model = "e1000",
                            .link_up = FALSE };
  HangarDiskSettings cd = { .target = "sda", .device = "cdrom", .bus = "sata", .path = iso,
                            .readonly = TRUE };
  HangarApplyFlags flags;

  g_assert_true (g_file_set_contents (iso, "not really an ISO", -1, NULL));
  g_ptr_array_add (details_files, g_strdup (iso));
  name = details_define_guest ("live", "<vcpu current='1'>2</vcpu>",
                               "<interface type='user'><mac address='52:54:00:aa:bb:02'/>"
                               "<model type='e1000'/></interface>"
                               "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/>"
                               "<readonly/></disk>"
                               "<memballoon model='virtio'/>");
  vm = details_wait_vm (connection, name);
  g_assert_true (details_virsh (NULL, "start %s", name));

  /* As a form would: from what the machine has, one value changed. */
  config = details_load (vm);
  g_assert_true (hangar_vm_config_is_active (config));
  hangar_vm_config_get_cpu (config, FALSE, &cpu);
  g_assert_cmpuint (cpu.current, ==, 1);
  g_assert_cmpuint (cpu.maximum, ==, 2);
  cpu.current = 2;
  hangar_vm_config_set_cpu_async (vm, &cpu, NULL, hangar_test_async_ready, &result);
  flags = details_apply_wait (vm, &result, &note, NULL);
  g_assert_null (note);
  g_assert_cmpint (flags, ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_LIVE);
  assert_xpath (name, TRUE, "/domain/vcpu/@current", NULL);
  assert_xpath (name, TRUE, "count(/domain/vcpus/vcpu[@enabled='yes'])", "2");
  assert_xpath (name, FALSE, "/domain/vcpu/@current", NULL);

  /* Above the maximum it booted with: only after a restart. */
  cpu.current = cpu.maximum = 3;
  hangar_vm_config_set_cpu_async (vm, &cpu, NULL, hangar_test_async_ready, &result);
  flags = details_apply_wait (vm, &result, NULL, NULL);
  g_assert_cmpint (flags, ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_NEEDS_RESTART);
  assert_xpath (name, FALSE, "/domain/vcpu", "3");
  assert_xpath (name, TRUE, "/domain/vcpu", "2");

  hangar_vm_config_set_memory_async (vm, &memory, NULL, hangar_test_async_ready, &result);
  flags = details_apply_wait (vm, &result, &note, NULL);
  g_test_message ("memory: flags %d, note %s", flags, note);
  g_assert_null (note);
  g_assert_cmpint (flags, ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_LIVE);
  assert_xpath (name, FALSE, "/domain/currentMemory", "98304");

  hangar_vm_config_set_nic_async (vm, &nic, NULL, hangar_test_async_ready, &result);
  flags = details_apply_wait (vm, &result, &note, NULL);
  g_assert_null (note);
  g_assert_cmpint (flags, ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_LIVE);
  assert_xpath (name, TRUE, "/domain/devices/interface/link/@state", "down");
  assert_xpath (name, FALSE, "/domain/devices/interface/link/@state", "down");
  nic.link_up = TRUE;
  hangar_vm_config_set_nic_async (vm, &nic, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, TRUE, "/domain/devices/interface/link/@state", "up");

  /* Insert a medium, then eject it. */
  hangar_vm_config_set_disk_async (vm, &cd, NULL, hangar_test_async_ready, &result);
  flags = details_apply_wait (vm, &result, &note, NULL);
  g_assert_null (note);
  g_assert_cmpint (flags, ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_LIVE);
  assert_xpath (name, TRUE, "/domain/devices/disk/source/@file", iso);
  assert_xpath (name, FALSE, "/domain/devices/disk/source/@file", iso);
  cd.path = NULL;
  hangar_vm_config_set_disk_async (vm, &cd, NULL, hangar_test_async_ready, &result);
  details_apply_wait (vm, &result, NULL, NULL);
  assert_xpath (name, TRUE, "/domain/devices/disk/source/@file", NULL);
  assert_xpath (name, FALSE, "/domain/devices/disk/source/@file", NULL);

  /* Renaming a running machine is refused, clearly. */
  {
    g_autoptr(GError) error = NULL;
    HangarOverviewSettings overview = { .name = "hangar-details-nope" };

    hangar_vm_config_set_overview_async (vm, &overview, NULL, hangar_test_async_ready, &result);
    details_apply_wait (vm, &result, NULL, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  details_init ();
  connection = details_connect ();

  g_test_add_func ("/hangar/details/config/parse", test_parse);
  g_test_add_func ("/hangar/details/config/load", test_load);
  g_test_add_func ("/hangar/details/config/overview", test_overview);
  g_test_add_func ("/hangar/details/config/cpu-memory", test_cpu_memory);
  g_test_add_func ("/hangar/details/config/boot", test_boot);
  g_test_add_func ("/hangar/details/config/xml", test_xml);
  g_test_add_func ("/hangar/details/config/xml-stale", test_xml_stale);
  g_test_add_func ("/hangar/details/config/no-secure-xml", test_no_secure_xml);
  g_test_add_func ("/hangar/details/config/disk", test_disk);
  g_test_add_func ("/hangar/details/config/live", test_live);

  status = g_test_run ();
  hangar_connection_close (connection);
  g_clear_object (&connection);
  details_cleanup ();
  return status;
}
