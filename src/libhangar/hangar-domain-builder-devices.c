/* hangar-domain-builder-devices.c — the devices in a new machine's domain definition.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include "hangar-domain-builder-private.h"

#define GRAPHICS_LISTEN       "127.0.0.1"
#define GUEST_AGENT_CHANNEL   "org.qemu.guest_agent.0"
#define VDAGENT_CHANNEL       "com.redhat.spice.0"

static char *
next_target (Plan     *plan,
             gboolean  virtio)
{
  guint n = virtio ? plan->next_virtio++ : plan->next_sata++;

  /* 26 disks are more than a new machine ever gets. */
  g_assert (n < 26);
  return g_strdup_printf ("%s%c", virtio ? "vd" : (plan->q35 ? "sd" : "hd"), 'a' + n);
}

/* @standalone: an imported image, from anywhere. An empty <backingStore/>
 * tells libvirt and QEMU it has no backing chain, so they never open a
 * file its header names (the import checks refuse such images first). */
static void
add_disk (GVirConfigDomain *domain,
          Plan             *plan,
          const char       *path,
          HangarDiskFormat  format,
          gboolean          standalone)
{
  g_autoptr(GVirConfigDomainDisk) disk = gvir_config_domain_disk_new ();
  g_autoptr(GVirConfigDomainDiskDriver) driver = gvir_config_domain_disk_driver_new ();
  g_autofree char *target = next_target (plan, plan->virtio_disk);

  gvir_config_domain_disk_set_type (disk, g_str_has_prefix (path, "/dev/")
                                          ? GVIR_CONFIG_DOMAIN_DISK_BLOCK
                                          : GVIR_CONFIG_DOMAIN_DISK_FILE);
  gvir_config_domain_disk_set_guest_device_type (disk, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK);
  gvir_config_domain_disk_driver_set_name (driver, "qemu");
  gvir_config_domain_disk_driver_set_format (driver, format == HANGAR_DISK_FORMAT_RAW
                                                     ? GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW
                                                     : GVIR_CONFIG_DOMAIN_DISK_FORMAT_QCOW2);
  /* Freed blocks go back to the host's file system. */
  gvir_config_domain_disk_driver_set_discard (driver, GVIR_CONFIG_DOMAIN_DISK_DRIVER_DISCARD_UNMAP);
  gvir_config_domain_disk_set_driver (disk, driver);
  gvir_config_domain_disk_set_source (disk, path);
  if (standalone)
    _hangar_domain_builder_append_xml (disk, NULL, "<backingStore/>");
  gvir_config_domain_disk_set_target_dev (disk, target);
  gvir_config_domain_disk_set_target_bus (disk, plan->virtio_disk
                                                ? GVIR_CONFIG_DOMAIN_DISK_BUS_VIRTIO
                                                : (plan->q35 ? GVIR_CONFIG_DOMAIN_DISK_BUS_SATA
                                                             : GVIR_CONFIG_DOMAIN_DISK_BUS_IDE));
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (disk));
}

static void
add_cdrom (GVirConfigDomain *domain,
           Plan             *plan,
           const char       *path)
{
  g_autoptr(GVirConfigDomainDisk) disk = gvir_config_domain_disk_new ();
  g_autoptr(GVirConfigDomainDiskDriver) driver = gvir_config_domain_disk_driver_new ();
  g_autofree char *target = next_target (plan, FALSE);
  gboolean drive = g_str_has_prefix (path, "/dev/");

  gvir_config_domain_disk_set_type (disk, drive ? GVIR_CONFIG_DOMAIN_DISK_BLOCK
                                                : GVIR_CONFIG_DOMAIN_DISK_FILE);
  gvir_config_domain_disk_set_guest_device_type (disk, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_CDROM);
  gvir_config_domain_disk_driver_set_name (driver, "qemu");
  gvir_config_domain_disk_driver_set_format (driver, GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW);
  gvir_config_domain_disk_set_driver (disk, driver);
  gvir_config_domain_disk_set_source (disk, path);
  gvir_config_domain_disk_set_target_dev (disk, target);
  gvir_config_domain_disk_set_target_bus (disk, plan->q35 ? GVIR_CONFIG_DOMAIN_DISK_BUS_SATA
                                                          : GVIR_CONFIG_DOMAIN_DISK_BUS_IDE);
  gvir_config_domain_disk_set_readonly (disk, TRUE);
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (disk));
}

static void
add_storage (GVirConfigDomain *domain,
             Plan             *plan)
{
  const HangarDomainSpec *spec = plan->spec;

  if (spec->install_method == HANGAR_INSTALL_IMPORT)
    {
      if (hangar_disk_format_needs_conversion (spec->import_format))
        add_disk (domain, plan, spec->import_converted_path, HANGAR_DISK_FORMAT_QCOW2, TRUE);
      else
        add_disk (domain, plan, spec->import_path, spec->import_format, TRUE);
    }
  else if (spec->install_method == HANGAR_INSTALL_CLOUD)
    {
      /* The copy made from the cloud image, and the NoCloud seed that
       * cloud-init looks for by its label on every boot. */
      add_disk (domain, plan, spec->disk_path, HANGAR_DISK_FORMAT_QCOW2, TRUE);
      add_cdrom (domain, plan, spec->cloud_seed_path);
    }
  else if (spec->disk_mode != HANGAR_DISK_NONE)
    {
      add_disk (domain, plan, spec->disk_path, spec->disk_format, FALSE);
    }

  if (spec->install_method == HANGAR_INSTALL_ISO)
    add_cdrom (domain, plan, spec->iso_path);
  /* Windows Setup finds its answers on any drive; only the install boot
   * has them (hangar-vm-creator-express.c). */
  if (plan->stage == HANGAR_BUILD_STAGE_INSTALL && spec->answers_iso_path != NULL)
    add_cdrom (domain, plan, spec->answers_iso_path);

  /* Drivers for virtio devices, the QXL display and the SPICE agent. */
  if (plan->windows && spec->caps->virtio_win_iso != NULL)
    add_cdrom (domain, plan, spec->caps->virtio_win_iso);
}

static void
add_usb (GVirConfigDomain *domain,
         const Plan       *plan)
{
  g_autoptr(GVirConfigDomainControllerUsb) usb = gvir_config_domain_controller_usb_new ();

  gvir_config_domain_controller_set_index (GVIR_CONFIG_DOMAIN_CONTROLLER (usb), 0);
  /* Without the OS's word, the model is left to libvirt, whose default
   * for the machine type is the one old systems have drivers for. */
  if (hangar_domain_spec_os_has_device (plan->spec, DEV_QEMU_XHCI))
    {
      GVirConfigDomainControllerUsbModel model = GVIR_CONFIG_DOMAIN_CONTROLLER_USB_MODEL_QEMU_XHCI;

      gvir_config_domain_controller_usb_set_model (usb, model);
      gvir_config_domain_controller_set_ports (GVIR_CONFIG_DOMAIN_CONTROLLER (usb), 15);
    }
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (usb));
}

static void
add_network (GVirConfigDomain *domain,
             const Plan       *plan)
{
  const HangarDomainSpec *spec = plan->spec;
  g_autoptr(GVirConfigDomainInterface) iface = NULL;
  const char *model;

  switch (spec->network_mode)
    {
    case HANGAR_NETWORK_VIRTUAL:
      {
        GVirConfigDomainInterfaceNetwork *net = gvir_config_domain_interface_network_new ();

        gvir_config_domain_interface_network_set_source (net, spec->network_source);
        iface = GVIR_CONFIG_DOMAIN_INTERFACE (net);
        break;
      }

    case HANGAR_NETWORK_BRIDGE:
      {
        GVirConfigDomainInterfaceBridge *bridge = gvir_config_domain_interface_bridge_new ();

        gvir_config_domain_interface_bridge_set_source (bridge, spec->network_source);
        iface = GVIR_CONFIG_DOMAIN_INTERFACE (bridge);
        break;
      }

    case HANGAR_NETWORK_USER:
      iface = GVIR_CONFIG_DOMAIN_INTERFACE (gvir_config_domain_interface_user_new ());
      break;

    case HANGAR_NETWORK_NONE:
    default:
      return;
    }

  if (_hangar_domain_builder_has_device (plan, DEV_VIRTIO_NET, DEV_VIRTIO1_NET))
    model = "virtio";
  else if (spec->os != NULL && !_hangar_domain_builder_has_device (plan, DEV_E1000E, NULL) &&
           _hangar_domain_builder_has_device (plan, DEV_E1000, NULL))
    model = "e1000";
  else
    model = "e1000e";
  gvir_config_domain_interface_set_model (iface, model);
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (iface));
}

static void
add_channel (GVirConfigDomain              *domain,
             GVirConfigDomainChardevSource *source,
             const char                    *target_name)
{
  g_autoptr(GVirConfigDomainChannel) channel = gvir_config_domain_channel_new ();
  g_autoptr(GVirConfigDomainChardevSource) owned_source = source;

  gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (channel), source);
  gvir_config_domain_channel_set_target_type (channel, GVIR_CONFIG_DOMAIN_CHANNEL_TARGET_VIRTIO);
  gvir_config_domain_channel_set_target_name (channel, target_name);
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (channel));
}

static void
add_channels (GVirConfigDomain *domain,
              const Plan       *plan)
{
  if (!plan->virtio_serial)
    return;

  /* libvirt makes up the socket path of a unix channel without one. */
  if (plan->is_linux)
    add_channel (domain,
                 GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (gvir_config_domain_chardev_source_unix_new ()),
                 GUEST_AGENT_CHANNEL);
  /* Clipboard, display resizing and the absolute pointer in SPICE. */
  if (plan->spec->console == HANGAR_CONSOLE_SPICE)
    add_channel (domain,
                 GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (
                   gvir_config_domain_chardev_source_spicevmc_new ()),
                 VDAGENT_CHANNEL);
  /* VNC has no agent protocol: QEMU's own agent takes the SPICE client's
   * place on the same port and joins the guest's clipboard to the one
   * QEMU's VNC server shares. Its mouse stays off: the USB tablet already
   * gives an absolute pointer, and with it on QEMU would send the pointer
   * to the agent instead. libvirt-gconfig 4.0 has no object for it. */
  else if (plan->spec->caps->has_qemu_vdagent)
    _hangar_domain_builder_append_xml (domain, "devices", HANGAR_QEMU_VDAGENT_CHANNEL_XML);
}

static void
add_input (GVirConfigDomain *domain,
           const Plan       *plan)
{
  g_autoptr(GVirConfigDomainInput) tablet = gvir_config_domain_input_new ();

  /* An absolute pointer: the guest's cursor follows the console's without
   * a grab. */
  gvir_config_domain_input_set_device_type (tablet, GVIR_CONFIG_DOMAIN_INPUT_DEVICE_TABLET);
  gvir_config_domain_input_set_bus (tablet, GVIR_CONFIG_DOMAIN_INPUT_BUS_USB);
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (tablet));
}

/* Any local user can connect to a port on 127.0.0.1, and whoever does
 * has the guest's keyboard, screen and USB redirection. On this host
 * Hangar needs no port (virDomainOpenGraphicsFD): the display listens on
 * none. On a remote host the console comes through ssh to the host's
 * loopback, so there is a port, and a password that only the secure XML
 * shows. */
static void
add_graphics (GVirConfigDomain *domain,
              const Plan       *plan)
{
  g_autoptr(GVirConfigDomainGraphicsSpice) spice = NULL;
  g_autoptr(GVirConfigDomainGraphicsVnc) vnc = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *password = NULL;
  gboolean is_vnc = plan->spec->console == HANGAR_CONSOLE_VNC;

  if (plan->spec->remote)
    {
      if (plan->spec->graphics_password != NULL && *plan->spec->graphics_password != '\0')
        password = g_strdup (plan->spec->graphics_password);
      else
        password = hangar_domain_spec_new_graphics_password ();
      /* VNC reads only the first 8 characters. */
      if (is_vnc && strlen (password) > 8)
        password[8] = '\0';
      listen = g_strdup_printf ("<listen type='address' address='%s'/>", GRAPHICS_LISTEN);
    }
  else
    listen = g_strdup ("<listen type='none'/>");

  if (is_vnc)
    {
      vnc = gvir_config_domain_graphics_vnc_new ();
      if (password != NULL)
        {
          gvir_config_domain_graphics_vnc_set_autoport (vnc, TRUE);
          gvir_config_domain_graphics_vnc_set_password (vnc, password);
        }
      _hangar_domain_builder_append_xml (vnc, NULL, listen);
      gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (vnc));
    }
  else
    {
      spice = gvir_config_domain_graphics_spice_new ();
      if (password != NULL)
        {
          gvir_config_domain_graphics_spice_set_autoport (spice, TRUE);
          gvir_config_domain_graphics_spice_set_password (spice, password);
        }
      _hangar_domain_builder_append_xml (spice, NULL, listen);
      /* Local consoles gain nothing from compression; it only costs CPU. */
      gvir_config_domain_graphics_spice_set_image_compression (
        spice, GVIR_CONFIG_DOMAIN_GRAPHICS_SPICE_IMAGE_COMPRESSION_OFF);
      gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (spice));
    }
  if (password != NULL)
    explicit_bzero (password, strlen (password));
}

static void
add_sound (GVirConfigDomain *domain,
           const Plan       *plan)
{
  g_autoptr(GVirConfigDomainSound) sound = NULL;
  GVirConfigDomainSoundModel model;

  if (_hangar_domain_builder_has_device (plan, DEV_ICH9_HDA, NULL))
    model = GVIR_CONFIG_DOMAIN_SOUND_MODEL_ICH9;
  else if (_hangar_domain_builder_has_device (plan, DEV_ICH6, NULL))
    model = GVIR_CONFIG_DOMAIN_SOUND_MODEL_ICH6;
  else if (_hangar_domain_builder_has_device (plan, DEV_AC97, NULL))
    model = GVIR_CONFIG_DOMAIN_SOUND_MODEL_AC97;
  else
    return;

  sound = gvir_config_domain_sound_new ();
  gvir_config_domain_sound_set_model (sound, model);
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (sound));
}

static void
add_video (GVirConfigDomain *domain,
           const Plan       *plan)
{
  g_autoptr(GVirConfigDomainVideo) video = gvir_config_domain_video_new ();
  GVirConfigDomainVideoModel model;

  if (plan->windows)
    model = GVIR_CONFIG_DOMAIN_VIDEO_MODEL_QXL;
  else if (_hangar_domain_builder_has_device (plan, DEV_VIRTIO1_GPU, NULL))
    /* As the primary card on x86 libvirt makes this virtio-vga, which
     * also shows the firmware and the boot loader. */
    model = GVIR_CONFIG_DOMAIN_VIDEO_MODEL_VIRTIO;
  else if (_hangar_domain_builder_has_device (plan, DEV_QXL, NULL))
    model = GVIR_CONFIG_DOMAIN_VIDEO_MODEL_QXL;
  else
    model = GVIR_CONFIG_DOMAIN_VIDEO_MODEL_VGA;

  gvir_config_domain_video_set_model (video, model);
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (video));
}

static void
add_usb_redirection (GVirConfigDomain *domain,
                     const Plan       *plan)
{
  /* Two USB devices from the console's machine can be passed over SPICE;
   * without SPICE QEMU refuses the channels. */
  if (plan->spec->console != HANGAR_CONSOLE_SPICE)
    return;
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GVirConfigDomainRedirdev) redir = gvir_config_domain_redirdev_new ();
      g_autoptr(GVirConfigDomainChardevSource) source =
        GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (gvir_config_domain_chardev_source_spicevmc_new ());

      gvir_config_domain_redirdev_set_bus (redir, GVIR_CONFIG_DOMAIN_REDIRDEV_BUS_USB);
      gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (redir), source);
      gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (redir));
    }
}

static void
add_memballoon_rng_tpm (GVirConfigDomain *domain,
                        const Plan       *plan)
{
  g_autoptr(GVirConfigDomainMemballoon) balloon = gvir_config_domain_memballoon_new ();
  gboolean virtio_balloon =
    _hangar_domain_builder_has_device (plan, DEV_VIRTIO_BALLOON, DEV_VIRTIO1_BALLOON) ||
    (plan->windows && plan->spec->caps->virtio_win_iso != NULL);

  /* Spelled out either way: libvirt adds a virtio balloon when there is
   * no <memballoon>, and a guest without the driver shows an unknown
   * device. */
  gvir_config_domain_memballoon_set_model (balloon, virtio_balloon
                                                    ? GVIR_CONFIG_DOMAIN_MEMBALLOON_MODEL_VIRTIO
                                                    : GVIR_CONFIG_DOMAIN_MEMBALLOON_MODEL_NONE);
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (balloon));

  if (_hangar_domain_builder_has_device (plan, DEV_VIRTIO_RNG, DEV_VIRTIO1_RNG))
    _hangar_domain_builder_append_xml (domain, "devices",
                                       "<rng model='virtio'>"
                                       "<backend model='random'>/dev/urandom</backend></rng>");

  if (plan->spec->tpm)
    _hangar_domain_builder_append_xml (domain, "devices",
                                       "<tpm model='tpm-crb'>"
                                       "<backend type='emulator' version='2.0'/></tpm>");
}

/* The devices in the order a reader of the XML expects them. */
void
_hangar_domain_builder_add_devices (GVirConfigDomain *domain,
                                    Plan             *plan)
{
  add_storage (domain, plan);
  add_usb (domain, plan);
  add_network (domain, plan);
  add_channels (domain, plan);
  add_input (domain, plan);
  add_graphics (domain, plan);
  add_sound (domain, plan);
  add_video (domain, plan);
  add_usb_redirection (domain, plan);
  add_memballoon_rng_tpm (domain, plan);
}
