/* test-vm-hardware.c — Add Hardware and Remove Hardware on real guests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#define DETAILS_PREFIX "hangar-d2-"
#include "details-test-util.h"
#include "clone-test-util.h"
#include "hangar-vm-hardware.h"

static HangarConnection *connection;

static HangarApplyFlags
add (HangarVm           *vm,
     HangarHardwareSpec *spec,
     char              **note)
{
  g_autoptr(GAsyncResult) result = NULL;

  hangar_vm_add_hardware_async (vm, spec, NULL, hangar_test_async_ready, &result);
  return details_apply_wait (vm, &result, note, NULL);
}

static HangarApplyFlags
remove_device (HangarVm   *vm,
               const char *xml,
               char      **note)
{
  g_autoptr(GAsyncResult) result = NULL;

  hangar_vm_remove_hardware_async (vm, xml, NULL, hangar_test_async_ready, &result);
  return details_apply_wait (vm, &result, note, NULL);
}

static guint
count (const char *name,
       gboolean    live,
       const char *path)
{
  g_autofree char *expr = g_strdup_printf ("count(%s)", path);
  g_autofree char *value = details_xpath (name, live, expr);

  return value ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;
}

static void
assert_count (const char *name,
              gboolean    live,
              const char *path,
              guint       expected)
{
  guint n = count (name, live, path);

  if (n != expected)
    g_error ("%s %s: %u, not %u", live ? "live" : "inactive", path, n, expected);
}

static char *
raw_file (const char *suffix)
{
  g_autofree char *path = g_strdup_printf (IMAGES_DIR "/" DETAILS_PREFIX "%s-%d.raw", suffix,
                                           (int) getpid ());
  g_autofree char *command = g_strdup_printf ("qemu-img create -q -f raw %s 16M", path);

  g_assert_true (details_run (command, NULL));
  g_ptr_array_add (details_files, g_strdup (path));
  return g_steal_pointer (&path);
}

static void
test_xml (void)
{
  HangarHardwareSpec spec = { .kind = HANGAR_HW_NIC, .type = (char *) "bridge",
                              .source = (char *) "br0" };
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = hangar_hardware_device_xml (&spec, NULL, &error);
  g_autofree char *target = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (xml, ==, "<interface type='bridge'><source bridge='br0'/>"
                            "<model type='virtio'/></interface>");
  g_clear_pointer (&xml, g_free);

  spec.source = (char *) "br0'/><evil";
  xml = hangar_hardware_device_xml (&spec, NULL, &error);
  g_assert_null (xml);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  target = hangar_hardware_next_target ("<domain><devices>"
                                        "<disk><target dev='vda'/></disk>"
                                        "<disk><target dev='vdc'/></disk>"
                                        "<disk><target dev='sda'/></disk>"
                                        "</devices></domain>", "virtio");
  g_assert_cmpstr (target, ==, "vdb");
  g_free (target);
  target = hangar_hardware_next_target ("<domain><devices/></domain>", "sata");
  g_assert_cmpstr (target, ==, "sda");

  spec = (HangarHardwareSpec) { .kind = HANGAR_HW_DISK_EXISTING, .path = (char *) "/a/b.qcow2" };
  xml = hangar_hardware_device_xml (&spec, "vdb", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (xml, ==, "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                            "<source file='/a/b.qcow2'/><target dev='vdb' bus='virtio'/></disk>");
  g_clear_pointer (&xml, g_free);

  /* Graphics (M10): no port on this host, where Hangar opens the console
   * through libvirt; on a remote one the loopback and a password. */
  spec = (HangarHardwareSpec) { .kind = HANGAR_HW_GRAPHICS, .type = (char *) "spice" };
  xml = hangar_hardware_device_xml (&spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (xml, ==, "<graphics type='spice'><listen type='none'/></graphics>");
  g_clear_pointer (&xml, g_free);
  for (guint i = 0; i < 2; i++)
    {
      const char *passwd;
      gsize len;

      spec = (HangarHardwareSpec) { .kind = HANGAR_HW_GRAPHICS,
                                    .type = (char *) (i == 0 ? "spice" : "vnc"), .remote = TRUE };
      xml = hangar_hardware_device_xml (&spec, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (xml, "<listen type='address' address='127.0.0.1'/>"));
      passwd = strstr (xml, "passwd='");
      g_assert_nonnull (passwd);
      passwd += strlen ("passwd='");
      len = strcspn (passwd, "'");
      /* VNC reads 8 characters of it, SPICE all 16. */
      g_assert_cmpuint (len, ==, i == 0 ? 16 : 8);
      g_clear_pointer (&xml, g_free);
    }

  /* PCI addresses: with or without the domain; anything else refused. */
  spec = (HangarHardwareSpec) { .kind = HANGAR_HW_PCI_HOST, .source = (char *) "0000:01:1f.7" };
  xml = hangar_hardware_device_xml (&spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (xml, ==, "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                            "<address domain='0x0000' bus='0x01' slot='0x1f' function='0x7'/>"
                            "</source></hostdev>");
  g_clear_pointer (&xml, g_free);
  spec.source = (char *) "02:00.1";
  xml = hangar_hardware_device_xml (&spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (xml, "bus='0x02' slot='0x00' function='0x1'"));
  g_clear_pointer (&xml, g_free);
  {
    const char *bad[] = { "", "01:00", "01:00.8", "01:20.0", "zz:00.0", "0000:01:00.0'/>", NULL };

    for (guint i = 0; bad[i]; i++)
      {
        spec.source = (char *) bad[i];
        g_assert_null (hangar_hardware_device_xml (&spec, NULL, &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
        g_clear_error (&error);
      }
  }

  /* Shared folders: virtiofs by default, 9p on request; path and tag checked. */
  spec = (HangarHardwareSpec) { .kind = HANGAR_HW_FILESYSTEM, .path = (char *) "/srv/a&b",
                                .source = (char *) "share" };
  xml = hangar_hardware_device_xml (&spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (xml, ==, "<filesystem type='mount' accessmode='passthrough'>"
                            "<driver type='virtiofs'/><source dir='/srv/a&amp;b'/>"
                            "<target dir='share'/></filesystem>");
  g_clear_pointer (&xml, g_free);
  spec.type = (char *) "9p";
  xml = hangar_hardware_device_xml (&spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (xml, "accessmode='mapped'"));
  g_clear_pointer (&xml, g_free);
  spec.path = (char *) "relative/dir";
  g_assert_null (hangar_hardware_device_xml (&spec, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  spec.path = (char *) "/srv";
  spec.source = (char *) "a tag";
  g_assert_null (hangar_hardware_device_xml (&spec, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

static void
test_add_offline (void)
{
  /* xHCI, as new machines get: the PIIX3 controller has only two ports. */
  g_autofree char *name = details_define_guest ("hw", NULL, "<controller type='usb' model='qemu-xhci'/>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autofree char *existing = raw_file ("hw-existing");
  g_autoptr(HangarHardwareHost) host = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_path = NULL;
  struct { HangarHardwareKind kind; const char *type; const char *model; const char *xpath; } simple[] = {
    { HANGAR_HW_INPUT, "tablet", NULL, "/domain/devices/input[@type='tablet' and @bus='usb']" },
    { HANGAR_HW_INPUT, "keyboard", NULL, "/domain/devices/input[@type='keyboard' and @bus='usb']" },
    { HANGAR_HW_INPUT, "mouse", NULL, "/domain/devices/input[@type='mouse' and @bus='usb']" },
    { HANGAR_HW_GRAPHICS, "vnc", NULL, "/domain/devices/graphics[@type='vnc']" },
    { HANGAR_HW_GRAPHICS, "spice", NULL, "/domain/devices/graphics[@type='spice']" },
    { HANGAR_HW_SOUND, NULL, "ich6", "/domain/devices/sound[@model='ich6']" },
    { HANGAR_HW_SERIAL, NULL, NULL, "/domain/devices/serial[@type='pty']" },
    { HANGAR_HW_CHANNEL, "qemu-ga", NULL,
      "/domain/devices/channel[target/@name='org.qemu.guest_agent.0']" },
    { HANGAR_HW_CHANNEL, "spice-vdagent", NULL,
      "/domain/devices/channel[@type='spicevmc' and target/@name='com.redhat.spice.0']" },
    { HANGAR_HW_VIDEO, NULL, "virtio", "/domain/devices/video/model[@type='virtio']" },
    { HANGAR_HW_WATCHDOG, NULL, "i6300esb", "/domain/devices/watchdog[@model='i6300esb']" },
    { HANGAR_HW_RNG, NULL, NULL, "/domain/devices/rng[@model='virtio']/backend[@model='random']" },
  };

  hangar_vm_hardware_host_async (vm, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 30000));
  host = hangar_vm_hardware_host_finish (vm, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) host->pools, POOL));
  g_test_message ("%u USB devices, TPM emulator: %s", host->usb_devices->len,
                  host->tpm_emulator ? "yes" : "no");

  {
    HangarHardwareSpec spec = { .kind = HANGAR_HW_DISK_NEW, .pool = (char *) POOL, .size_mib = 16 };

    g_assert_cmpint (add (vm, &spec, NULL), ==, HANGAR_APPLY_CONFIG);
    new_path = details_xpath (name, FALSE, "string(/domain/devices/disk[target/@dev='vda']/source/@file)");
    g_assert_nonnull (new_path);
    g_assert_true (g_str_has_prefix (new_path, POOL_DIR "/"));
    g_assert_true (g_file_test (new_path, G_FILE_TEST_EXISTS));
    assert_count (name, FALSE, "/domain/devices/disk[target/@dev='vda']/driver[@type='qcow2']", 1);
  }
  {
    HangarHardwareSpec spec = { .kind = HANGAR_HW_DISK_EXISTING, .path = existing, .bus = (char *) "sata" };

    add (vm, &spec, NULL);
    assert_count (name, FALSE, "/domain/devices/disk[target/@dev='sda' and target/@bus='sata']", 1);
  }
  {
    HangarHardwareSpec spec = { .kind = HANGAR_HW_CDROM };

    add (vm, &spec, NULL);
    assert_count (name, FALSE, "/domain/devices/disk[@device='cdrom' and target/@dev='sdb']", 1);
  }
  {
    HangarHardwareSpec spec = { .kind = HANGAR_HW_NIC, .type = (char *) "network",
                                .source = (char *) "default", .model = (char *) "e1000e" };

    add (vm, &spec, NULL);
    assert_count (name, FALSE, "/domain/devices/interface[source/@network='default' and model/@type='e1000e']", 1);
  }
  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    {
      HangarHardwareSpec spec = { .kind = simple[i].kind, .type = (char *) simple[i].type,
                                  .model = (char *) simple[i].model };

      add (vm, &spec, NULL);
      assert_count (name, FALSE, simple[i].xpath, 1);
    }

  {
    HangarHardwareSpec spec = { .kind = HANGAR_HW_TPM };
    g_autoptr(GAsyncResult) tpm_result = NULL;
    g_autoptr(GError) tpm_error = NULL;

    hangar_vm_add_hardware_async (vm, &spec, NULL, hangar_test_async_ready, &tpm_result);
    details_apply_wait (vm, &tpm_result, NULL, &tpm_error);
    if (host->tpm_emulator)
      {
        g_assert_no_error (tpm_error);
        assert_count (name, FALSE, "/domain/devices/tpm/backend[@type='emulator']", 1);
      }
    else
      {
        /* No swtpm here: libvirt refuses, and says why. */
        g_assert_nonnull (tpm_error);
        g_test_message ("TPM: %s", tpm_error->message);
        assert_count (name, FALSE, "/domain/devices/tpm", 0);
      }
  }
  if (host->usb_devices->len > 0)
    {
      HangarUsbDevice *usb = g_ptr_array_index (host->usb_devices, 0);
      HangarHardwareSpec spec = { .kind = HANGAR_HW_USB_HOST, .vendor = usb->vendor,
                                  .product = usb->product };

      add (vm, &spec, NULL);
      assert_count (name, FALSE, "/domain/devices/hostdev[@type='usb']", 1);
    }

  /* A host folder, over 9p and (where virtiofsd is) virtiofs, which
   * needs the guest's memory shared. */
  {
    HangarHardwareSpec spec = { .kind = HANGAR_HW_FILESYSTEM, .path = (char *) "/tmp",
                                .source = (char *) "tmp9p", .type = (char *) "9p" };

    add (vm, &spec, NULL);
    assert_count (name, FALSE, "/domain/devices/filesystem[target/@dir='tmp9p' and "
                               "source/@dir='/tmp' and @accessmode='mapped']", 1);
  }
  g_test_message ("virtiofs: %s", host->virtiofs ? "yes" : "no");
  if (host->virtiofs)
    {
      HangarHardwareSpec spec = { .kind = HANGAR_HW_FILESYSTEM, .path = (char *) "/tmp",
                                  .source = (char *) "tmpfs" };

      assert_count (name, FALSE, "/domain/memoryBacking/access[@mode='shared']", 0);
      add (vm, &spec, NULL);
      assert_count (name, FALSE, "/domain/devices/filesystem[target/@dir='tmpfs']/driver"
                                 "[@type='virtiofs']", 1);
      assert_count (name, FALSE, "/domain/memoryBacking/access[@mode='shared']", 1);
    }
  /* A host PCI device, into the definition only: the machine never starts. */
  g_test_message ("%u PCI devices", host->pci_devices->len);
  if (host->pci_devices->len > 0)
    {
      HangarPciDevice *pci = g_ptr_array_index (host->pci_devices, 0);
      HangarHardwareSpec spec = { .kind = HANGAR_HW_PCI_HOST, .source = pci->address };

      g_test_message ("PCI: %s", pci->description);
      add (vm, &spec, NULL);
      assert_count (name, FALSE, "/domain/devices/hostdev[@type='pci' and @managed='yes']", 1);
    }

  /* Remove Hardware on the shut-off guest: the new disk and the NIC. */
  {
    g_autoptr(HangarVmConfig) config = details_dumpxml (name);
    g_autofree char *disk = hangar_vm_config_get_device_xml (config, "/domain/devices/disk[target/@dev='vda']");
    g_autofree char *nic = hangar_vm_config_get_device_xml (config, "/domain/devices/interface");

    g_assert_nonnull (disk);
    g_assert_nonnull (nic);
    g_assert_cmpint (remove_device (vm, disk, NULL), ==, HANGAR_APPLY_CONFIG);
    g_assert_cmpint (remove_device (vm, nic, NULL), ==, HANGAR_APPLY_CONFIG);
    assert_count (name, FALSE, "/domain/devices/disk[target/@dev='vda']", 0);
    assert_count (name, FALSE, "/domain/devices/interface", 0);
  }
}

static gboolean
is_running (gpointer data)
{
  return hangar_vm_is_active (data);
}

static void
test_hotplug (void)
{
  g_autofree char *name = details_define_guest ("hwlive",
                                                /* PCI hotplug needs ACPI */
                                                "<vcpu>1</vcpu><features><acpi/></features>",
                                                "<controller type='usb' model='qemu-xhci'/>"
                                                "<graphics type='vnc' listen='127.0.0.1'/>");
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autofree char *virtio_file = raw_file ("hw-virtio");
  g_autofree char *usb_file = raw_file ("hw-usb");
  g_autofree char *note = NULL;
  HangarApplyFlags flags;

  g_assert_true (details_virsh (NULL, "start %s", name));
  g_assert_true (hangar_test_wait (is_running, vm, 30000));

  {
    HangarHardwareSpec spec = { .kind = HANGAR_HW_DISK_EXISTING, .path = virtio_file, .bus = (char *) "virtio" };

    g_assert_cmpint (add (vm, &spec, NULL), ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_LIVE);
    assert_count (name, TRUE, "/domain/devices/disk[target/@dev='vda']", 1);
    assert_count (name, FALSE, "/domain/devices/disk[target/@dev='vda']", 1);
  }
  {
    HangarHardwareSpec spec = { .kind = HANGAR_HW_DISK_EXISTING, .path = usb_file, .bus = (char *) "usb" };

    g_assert_cmpint (add (vm, &spec, NULL), ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_LIVE);
    assert_count (name, TRUE, "/domain/devices/disk[target/@dev='sda' and target/@bus='usb']", 1);
  }
  {
    HangarHardwareSpec spec = { .kind = HANGAR_HW_NIC, .type = (char *) "network",
                                .source = (char *) "default" };

    g_assert_cmpint (add (vm, &spec, NULL), ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_LIVE);
    assert_count (name, TRUE, "/domain/devices/interface[source/@network='default']", 1);
  }
  {
    /* A sound card cannot be hotplugged: defined, for the next boot. */
    HangarHardwareSpec spec = { .kind = HANGAR_HW_SOUND };

    g_assert_cmpint (add (vm, &spec, &note), ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_NEEDS_RESTART);
    g_assert_nonnull (note);
    assert_count (name, TRUE, "/domain/devices/sound", 0);
    assert_count (name, FALSE, "/domain/devices/sound", 1);
    g_clear_pointer (&note, g_free);
  }

  /* Unplug. USB needs no guest cooperation: gone from the live XML. */
  {
    g_autoptr(HangarVmConfig) config = details_dumpxml (name);
    g_autofree char *usb = hangar_vm_config_get_device_xml (config, "/domain/devices/disk[target/@dev='sda']");
    g_autofree char *virtio = hangar_vm_config_get_device_xml (config, "/domain/devices/disk[target/@dev='vda']");
    g_autofree char *nic = hangar_vm_config_get_device_xml (config, "/domain/devices/interface");

    flags = remove_device (vm, usb, &note);
    g_assert_cmpint (flags, ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_LIVE);
    assert_count (name, TRUE, "/domain/devices/disk[target/@dev='sda']", 0);
    assert_count (name, FALSE, "/domain/devices/disk[target/@dev='sda']", 0);
    g_clear_pointer (&note, g_free);

    /* PCI devices: SeaBIOS without an OS never acknowledges the unplug, so
     * libvirt's request stays pending. The definition loses them anyway and
     * the note says the guest was asked. */
    flags = remove_device (vm, virtio, &note);
    g_test_message ("virtio disk unplug: flags %d, %s", flags, note ? note : "(no note)");
    g_assert_true (flags & HANGAR_APPLY_CONFIG);
    g_assert_true ((flags & HANGAR_APPLY_LIVE) || note != NULL);
    assert_count (name, FALSE, "/domain/devices/disk[target/@dev='vda']", 0);
    if (flags & HANGAR_APPLY_LIVE)
      assert_count (name, TRUE, "/domain/devices/disk[target/@dev='vda']", 0);
    g_clear_pointer (&note, g_free);

    flags = remove_device (vm, nic, &note);
    g_test_message ("NIC unplug: flags %d, %s", flags, note ? note : "(no note)");
    g_assert_true (flags & HANGAR_APPLY_CONFIG);
    g_assert_true ((flags & HANGAR_APPLY_LIVE) || note != NULL);
    assert_count (name, FALSE, "/domain/devices/interface", 0);
    if (flags & HANGAR_APPLY_LIVE)
      assert_count (name, TRUE, "/domain/devices/interface", 0);
  }
  details_virsh (NULL, "destroy %s", name);
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
  make_pool ();
  connection = details_connect ();

  g_test_add_func ("/hangar/details/hardware/xml", test_xml);
  g_test_add_func ("/hangar/details/hardware/add-offline", test_add_offline);
  g_test_add_func ("/hangar/details/hardware/hotplug", test_hotplug);

  status = g_test_run ();
  hangar_connection_close (connection);
  g_clear_object (&connection);
  details_cleanup ();
  return status;
}
