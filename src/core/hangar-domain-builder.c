/* hangar-domain-builder.c — a libvirt domain definition from the wizard's choices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "hangar-domain-builder.h"
#include "hangar-name.h"

/* libvirt-gconfig 4.0 has no autoptr support for its types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainOs, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainCpu, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainClock, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainTimer, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainPowerManagement, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDisk, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDiskDriver, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainControllerUsb, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainInterface, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainChannel, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainChardevSource, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainInput, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainGraphicsSpice, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainSound, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainVideo, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainRedirdev, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainMemballoon, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

G_DEFINE_QUARK (hangar-domain-builder-error-quark, hangar_domain_builder_error)

/* libosinfo device ids: the legacy (transitional) and the virtio 1.0 id. */
#define DEV_VIRTIO_BLOCK      "http://pcisig.com/pci/1af4/1001"
#define DEV_VIRTIO1_BLOCK     "http://pcisig.com/pci/1af4/1042"
#define DEV_VIRTIO_NET        "http://pcisig.com/pci/1af4/1000"
#define DEV_VIRTIO1_NET       "http://pcisig.com/pci/1af4/1041"
#define DEV_VIRTIO_CONSOLE    "http://pcisig.com/pci/1af4/1003"
#define DEV_VIRTIO1_CONSOLE   "http://pcisig.com/pci/1af4/1043"
#define DEV_VIRTIO_BALLOON    "http://pcisig.com/pci/1af4/1002"
#define DEV_VIRTIO1_BALLOON   "http://pcisig.com/pci/1af4/1045"
#define DEV_VIRTIO_RNG        "http://pcisig.com/pci/1af4/1005"
#define DEV_VIRTIO1_RNG       "http://pcisig.com/pci/1af4/1044"
#define DEV_VIRTIO1_GPU       "http://pcisig.com/pci/1af4/1050"
#define DEV_QXL               "http://pcisig.com/pci/1b36/0100"
#define DEV_QEMU_XHCI         "http://pcisig.com/pci/1b36/0004"
#define DEV_E1000E            "http://pcisig.com/pci/8086/10d3"
#define DEV_E1000             "http://pcisig.com/pci/8086/100e"
#define DEV_ICH9_HDA          "http://pcisig.com/pci/8086/293e"
#define DEV_ICH6              "http://pcisig.com/pci/8086/2668"
#define DEV_AC97              "http://pcisig.com/pci/8086/2415"
#define DEV_Q35               "http://qemu.org/chipset/x86/q35"

#define GRAPHICS_LISTEN       "127.0.0.1"
#define GUEST_AGENT_CHANNEL   "org.qemu.guest_agent.0"
#define VDAGENT_CHANNEL       "com.redhat.spice.0"

/* What the builder decided, so each part reads one answer. */
typedef struct
{
  const HangarDomainSpec *spec;
  HangarBuildStage        stage;
  gboolean                kvm;
  gboolean                q35;
  gboolean                windows;
  gboolean                is_linux;
  gboolean                virtio_disk;
  gboolean                virtio_serial;
  guint                   next_sata;
  guint                   next_virtio;
} Plan;

static gboolean
has_device (const Plan *plan,
            const char *legacy_id,
            const char *modern_id)
{
  return (legacy_id != NULL && hangar_domain_spec_os_has_device (plan->spec, legacy_id)) ||
         (modern_id != NULL && hangar_domain_spec_os_has_device (plan->spec, modern_id));
}

/*
 * libvirt-gconfig 4.0 has no objects for <tpm>, <rng>, Hyper-V features,
 * firmware features or graphics <listen>. Every gconfig object exposes its
 * libxml2 node through the public "node" property; these elements are
 * parsed from small, fixed fragments and appended there, under the element
 * @under (created when missing) or directly.
 */
static xmlNode *
object_node (gpointer object)
{
  xmlNode *node = NULL;

  g_object_get (object, "node", &node, NULL);
  g_assert (node != NULL);
  return node;
}

static void
append_xml (gpointer    object,
            const char *under,
            const char *fragment)
{
  xmlNode *parent = object_node (object);
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;

  if (under != NULL)
    {
      xmlNode *child;

      for (child = parent->children; child != NULL; child = child->next)
        if (child->type == XML_ELEMENT_NODE && xmlStrEqual (child->name, BAD_CAST under))
          break;
      if (child == NULL)
        child = xmlNewChild (parent, NULL, BAD_CAST under, NULL);
      parent = child;
    }

  doc = xmlReadMemory (fragment, strlen (fragment), "fragment.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOBLANKS);
  root = doc ? xmlDocGetRootElement (doc) : NULL;
  /* The fragments are written in this file: a parse error is a bug here. */
  g_return_if_fail (root != NULL);

  xmlAddChild (parent, xmlDocCopyNode (root, parent->doc, 1));
}

static void
set_error (GError     **error,
           int          code,
           const char  *message)
{
  g_set_error_literal (error, HANGAR_DOMAIN_BUILDER_ERROR, code, message);
}

static gboolean
check_spec (const HangarDomainSpec  *spec,
            GError                 **error)
{
  g_autoptr(GError) name_error = NULL;

  if (spec->caps == NULL || spec->caps->arch == NULL)
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_HOST,
                 _("The host’s capabilities are not known yet."));
      return FALSE;
    }

  /* Machine types, firmware and devices below are the PC's. */
  if (!g_str_equal (spec->caps->arch, "x86_64") && !g_str_equal (spec->caps->arch, "i686"))
    {
      g_set_error (error, HANGAR_DOMAIN_BUILDER_ERROR, HANGAR_DOMAIN_BUILDER_ERROR_NO_HOST,
                   _("Hangar can create machines on x86 hosts only; this host is %s."),
                   spec->caps->arch);
      return FALSE;
    }

  if (!hangar_name_validate (spec->name, &name_error))
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NAME, name_error->message);
      return FALSE;
    }

  if (spec->memory_mib == 0)
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_MEMORY,
                 _("The machine needs some memory."));
      return FALSE;
    }

  if (spec->vcpus == 0)
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_VCPUS,
                 _("The machine needs at least one processor."));
      return FALSE;
    }

  switch (spec->install_method)
    {
    case HANGAR_INSTALL_ISO:
      if (spec->iso_path == NULL || spec->iso_path[0] == '\0')
        {
          set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_MEDIA,
                     _("Choose the installation image or drive."));
          return FALSE;
        }
      break;

    case HANGAR_INSTALL_TREE:
      if (spec->kernel_path == NULL || spec->initrd_path == NULL || spec->tree_url == NULL)
        {
          set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_MEDIA,
                     _("The installer’s kernel and initrd have not been downloaded."));
          return FALSE;
        }
      break;

    case HANGAR_INSTALL_PXE:
      if (spec->network_mode == HANGAR_NETWORK_NONE)
        {
          set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_NETWORK,
                     _("Network boot needs a network connection."));
          return FALSE;
        }
      break;

    case HANGAR_INSTALL_IMPORT:
      if (spec->import_path == NULL)
        {
          set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_DISK,
                     _("Choose the disk image to import."));
          return FALSE;
        }
      if (hangar_disk_format_needs_conversion (spec->import_format) &&
          spec->import_converted_path == NULL)
        {
          set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NEEDS_CONVERSION,
                     _("This disk image has to be converted to qcow2 before it can be used."));
          return FALSE;
        }
      break;

    case HANGAR_INSTALL_MANUAL:
    default:
      break;
    }

  if (spec->install_method != HANGAR_INSTALL_IMPORT && spec->disk_mode != HANGAR_DISK_NONE)
    {
      if (spec->disk_path == NULL || spec->disk_path[0] == '\0')
        {
          set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_DISK,
                     _("The disk has no location."));
          return FALSE;
        }
      if (hangar_disk_format_needs_conversion (spec->disk_format))
        {
          set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NEEDS_CONVERSION,
                     _("This disk image has to be converted to qcow2 before it can be used."));
          return FALSE;
        }
    }

  if ((spec->network_mode == HANGAR_NETWORK_VIRTUAL ||
       spec->network_mode == HANGAR_NETWORK_BRIDGE) &&
      (spec->network_source == NULL || spec->network_source[0] == '\0'))
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_NETWORK,
                 spec->network_mode == HANGAR_NETWORK_BRIDGE
                 ? _("Give the name of the host bridge.")
                 : _("Choose a virtual network."));
      return FALSE;
    }

  if (spec->firmware == HANGAR_FIRMWARE_UEFI && !spec->caps->has_uefi)
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_UEFI,
                 _("UEFI firmware (OVMF) is not installed on the host."));
      return FALSE;
    }

  if (spec->secure_boot && spec->firmware != HANGAR_FIRMWARE_UEFI)
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_SECURE_BOOT,
                 _("Secure Boot needs UEFI firmware."));
      return FALSE;
    }

  if (spec->secure_boot && !spec->caps->has_secure_boot)
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_SECURE_BOOT,
                 _("The host has no UEFI firmware with Secure Boot."));
      return FALSE;
    }

  if (spec->tpm && !spec->caps->has_tpm_emulator)
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_TPM,
                 _("An emulated TPM needs swtpm, which is not installed on the host."));
      return FALSE;
    }

  return TRUE;
}

static void
add_metadata (GVirConfigDomain *domain,
              const Plan       *plan)
{
  g_autofree char *xml = NULL;

  if (plan->spec->os == NULL)
    return;

  xml = g_markup_printf_escaped ("<libosinfo><os id=\"%s\"/></libosinfo>",
                                 osinfo_entity_get_id (OSINFO_ENTITY (plan->spec->os)));
  /* Fails only on malformed XML, which the escaping above rules out. */
  if (!gvir_config_domain_set_custom_xml_ns_children (domain, xml, HANGAR_LIBOSINFO_NS,
                                                      HANGAR_LIBOSINFO_NS_URI, NULL))
    g_warn_if_reached ();
}

/* The kernel argument that tells the installer where the tree is, such as
 * Anaconda's "inst.repo"; libosinfo records it on some releases only. */
static const char *
kernel_url_argument (OsinfoOs *os,
                     guint     depth)
{
  g_autoptr(OsinfoProductList) parents = NULL;
  const char *arg;

  if (os == NULL || depth > 16)
    return NULL;
  if ((arg = osinfo_os_get_kernel_url_argument (os)) != NULL)
    return arg;

  parents = osinfo_product_get_related (OSINFO_PRODUCT (os),
                                        OSINFO_PRODUCT_RELATIONSHIP_DERIVES_FROM);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (parents)); i++)
    {
      OsinfoEntity *parent = osinfo_list_get_nth (OSINFO_LIST (parents), i);

      if ((arg = kernel_url_argument (OSINFO_OS (parent), depth + 1)) != NULL)
        return arg;
    }
  return NULL;
}

static void
add_os (GVirConfigDomain *domain,
        const Plan       *plan)
{
  const HangarDomainSpec *spec = plan->spec;
  g_autoptr(GVirConfigDomainOs) os = gvir_config_domain_os_new ();
  GList *boot = NULL;
  gboolean installing = plan->stage == HANGAR_BUILD_STAGE_INSTALL;

  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_os_set_arch (os, spec->caps->arch);
  gvir_config_domain_os_set_machine (os, plan->q35 ? "q35" : "pc");

  if (spec->firmware == HANGAR_FIRMWARE_UEFI)
    {
      g_autofree char *fw = NULL;
      const char *on = spec->secure_boot ? "yes" : "no";

      /* libvirt picks the OVMF build and its NVRAM template from the
       * firmware descriptors; stating both features keeps it from picking
       * a Secure Boot build nobody asked for, or the other way round. */
      gvir_config_domain_os_set_firmware (os, GVIR_CONFIG_DOMAIN_OS_FIRMWARE_EFI);
      fw = g_strdup_printf ("<firmware>"
                              "<feature enabled='%s' name='enrolled-keys'/>"
                              "<feature enabled='%s' name='secure-boot'/>"
                            "</firmware>", on, on);
      append_xml (os, NULL, fw);
    }

  if (installing && spec->install_method == HANGAR_INSTALL_TREE)
    {
      const char *url_arg = kernel_url_argument (spec->os, 0);
      g_autoptr(GString) cmdline = g_string_new (NULL);

      gvir_config_domain_os_set_kernel (os, spec->kernel_path);
      gvir_config_domain_os_set_ramdisk (os, spec->initrd_path);
      if (url_arg != NULL)
        g_string_append_printf (cmdline, "%s=%s", url_arg, spec->tree_url);
      if (spec->extra_cmdline != NULL && spec->extra_cmdline[0] != '\0')
        g_string_append_printf (cmdline, "%s%s", cmdline->len ? " " : "", spec->extra_cmdline);
      if (cmdline->len > 0)
        gvir_config_domain_os_set_cmdline (os, cmdline->str);
    }

  switch (spec->install_method)
    {
    case HANGAR_INSTALL_ISO:
      if (installing)
        boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_CDROM));
      boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_HD));
      /* An installation that did not finish boots the media again. */
      if (!installing)
        boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_CDROM));
      break;

    case HANGAR_INSTALL_PXE:
      if (installing)
        boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_NETWORK));
      boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_HD));
      if (!installing)
        boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_NETWORK));
      break;

    case HANGAR_INSTALL_TREE:
      /* The installer boots from <kernel>; afterwards the disk does. */
      if (!installing)
        boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_HD));
      break;

    case HANGAR_INSTALL_IMPORT:
    case HANGAR_INSTALL_MANUAL:
    default:
      boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_HD));
      break;
    }
  if (boot != NULL)
    gvir_config_domain_os_set_boot_devices (os, boot);
  g_list_free (boot);

  gvir_config_domain_set_os (domain, os);
}

/* The Hyper-V enlightenments Windows guests get under KVM, in libvirt's
 * names and order. */
static const char *hyperv_wanted[] = {
  "relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic", "stimer", "reset",
  "frequencies",
};

/* Offered by the host, and what it builds on is too: QEMU refuses the
 * guest otherwise. hv-stimer also needs hv-time, the hypervclock timer. */
static gboolean
hyperv_usable (const Plan *plan,
               const char *feature)
{
  if (!plan->kvm || !plan->windows ||
      !hangar_host_caps_has_hyperv (plan->spec->caps, feature))
    return FALSE;
  if (g_str_equal (feature, "synic"))
    return hyperv_usable (plan, "vpindex");
  if (g_str_equal (feature, "stimer"))
    return hyperv_usable (plan, "synic");
  return TRUE;
}

static void
add_features (GVirConfigDomain *domain,
              const Plan       *plan)
{
  g_autoptr(GString) xml = g_string_new ("<features><acpi/><apic/>");

  if (plan->kvm && plan->windows)
    {
      g_autoptr(GString) hyperv = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (hyperv_wanted); i++)
        if (hyperv_usable (plan, hyperv_wanted[i]))
          g_string_append_printf (hyperv, "<%s state='on'%s/>", hyperv_wanted[i],
                                  g_str_equal (hyperv_wanted[i], "spinlocks")
                                  ? " retries='8191'" : "");
      if (hyperv->len > 0)
        g_string_append_printf (xml, "<hyperv mode='custom'>%s</hyperv>", hyperv->str);
    }
  /* The VMware port would steal the pointer from the USB tablet. */
  g_string_append (xml, "<vmport state='off'/>");
  if (plan->spec->secure_boot)
    g_string_append (xml, "<smm state='on'/>");
  g_string_append (xml, "</features>");

  append_xml (domain, NULL, xml->str);
}

static void
add_cpu (GVirConfigDomain *domain,
         const Plan       *plan)
{
  g_autoptr(GVirConfigDomainCpu) cpu = NULL;

  if (plan->kvm)
    {
      cpu = gvir_config_domain_cpu_new ();
      gvir_config_domain_cpu_set_mode (cpu, GVIR_CONFIG_DOMAIN_CPU_MODE_HOST_PASSTHROUGH);
    }
  else if (hangar_domain_spec_os_needs_tpm (plan->spec))
    {
      /* Windows 11 refuses QEMU's default TCG CPU (no POPCNT, no SSE4.2):
       * give it everything TCG can emulate. gconfig has no enum value for
       * this mode. */
      cpu = gvir_config_domain_cpu_new_from_xml ("<cpu mode='maximum'/>", NULL);
    }

  if (cpu != NULL)
    gvir_config_domain_set_cpu (domain, cpu);
}

static void
add_timer (GVirConfigDomainClock *klock,
           GVirConfigDomainTimer *timer,
           gboolean               present,
           int                    tick_policy)
{
  if (tick_policy >= 0)
    gvir_config_domain_timer_set_tick_policy (timer, tick_policy);
  if (!present)
    gvir_config_domain_timer_set_present (timer, FALSE);
  gvir_config_domain_clock_add_timer (klock, timer);
  g_object_unref (timer);
}

static void
add_clock (GVirConfigDomain *domain,
           const Plan       *plan)
{
  g_autoptr(GVirConfigDomainClock) klock = gvir_config_domain_clock_new ();

  /* Windows keeps the hardware clock in local time. */
  gvir_config_domain_clock_set_offset (klock, plan->windows ? GVIR_CONFIG_DOMAIN_CLOCK_LOCALTIME
                                                            : GVIR_CONFIG_DOMAIN_CLOCK_UTC);
  add_timer (klock, GVIR_CONFIG_DOMAIN_TIMER (gvir_config_domain_timer_rtc_new ()),
             TRUE, GVIR_CONFIG_DOMAIN_TIMER_TICK_POLICY_CATCHUP);
  add_timer (klock, GVIR_CONFIG_DOMAIN_TIMER (gvir_config_domain_timer_pit_new ()),
             TRUE, GVIR_CONFIG_DOMAIN_TIMER_TICK_POLICY_DELAY);
  add_timer (klock, GVIR_CONFIG_DOMAIN_TIMER (gvir_config_domain_timer_hpet_new ()),
             FALSE, -1);
  if (hyperv_usable (plan, "stimer"))
    append_xml (klock, NULL, "<timer name='hypervclock' present='yes'/>");

  gvir_config_domain_set_clock (domain, klock);
}

static void
add_lifecycle (GVirConfigDomain *domain,
               const Plan       *plan)
{
  g_autoptr(GVirConfigDomainPowerManagement) pm = gvir_config_domain_power_management_new ();
  gboolean install_boot = plan->stage == HANGAR_BUILD_STAGE_INSTALL &&
                          (plan->spec->install_method == HANGAR_INSTALL_ISO ||
                           plan->spec->install_method == HANGAR_INSTALL_TREE ||
                           plan->spec->install_method == HANGAR_INSTALL_PXE);

  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_POWEROFF,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);
  /* The installer's reboot ends the install boot; the persistent
   * definition, which boots the disk, takes over from there. */
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_REBOOT,
                                    install_boot ? GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY
                                                 : GVIR_CONFIG_DOMAIN_LIFECYCLE_RESTART);
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_CRASH,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);

  gvir_config_domain_power_management_set_mem_suspend_enabled (pm, FALSE);
  gvir_config_domain_power_management_set_disk_suspend_enabled (pm, FALSE);
  gvir_config_domain_set_power_management (domain, pm);
}

static char *
next_target (Plan     *plan,
             gboolean  virtio)
{
  guint n = virtio ? plan->next_virtio++ : plan->next_sata++;

  /* 26 disks are more than a new machine ever gets. */
  g_assert (n < 26);
  return g_strdup_printf ("%s%c", virtio ? "vd" : (plan->q35 ? "sd" : "hd"), 'a' + n);
}

static void
add_disk (GVirConfigDomain *domain,
          Plan             *plan,
          const char       *path,
          HangarDiskFormat  format)
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
        add_disk (domain, plan, spec->import_converted_path, HANGAR_DISK_FORMAT_QCOW2);
      else
        add_disk (domain, plan, spec->import_path, spec->import_format);
    }
  else if (spec->disk_mode != HANGAR_DISK_NONE)
    {
      add_disk (domain, plan, spec->disk_path, spec->disk_format);
    }

  if (spec->install_method == HANGAR_INSTALL_ISO)
    add_cdrom (domain, plan, spec->iso_path);

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

  if (has_device (plan, DEV_VIRTIO_NET, DEV_VIRTIO1_NET))
    model = "virtio";
  else if (spec->os != NULL && !has_device (plan, DEV_E1000E, NULL) &&
           has_device (plan, DEV_E1000, NULL))
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
  add_channel (domain,
               GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (
                 gvir_config_domain_chardev_source_spicevmc_new ()),
               VDAGENT_CHANNEL);
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

static void
add_graphics (GVirConfigDomain *domain,
              const Plan       *plan)
{
  g_autoptr(GVirConfigDomainGraphicsSpice) spice = gvir_config_domain_graphics_spice_new ();
  g_autofree char *listen = NULL;

  gvir_config_domain_graphics_spice_set_autoport (spice, TRUE);
  /* Only this host can reach the display; remote consoles go through ssh. */
  listen = g_strdup_printf ("<listen type='address' address='%s'/>", GRAPHICS_LISTEN);
  append_xml (spice, NULL, listen);
  /* Local consoles gain nothing from compression; it only costs CPU. */
  gvir_config_domain_graphics_spice_set_image_compression (
    spice, GVIR_CONFIG_DOMAIN_GRAPHICS_SPICE_IMAGE_COMPRESSION_OFF);
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (spice));
}

static void
add_sound (GVirConfigDomain *domain,
           const Plan       *plan)
{
  g_autoptr(GVirConfigDomainSound) sound = NULL;
  GVirConfigDomainSoundModel model;

  if (has_device (plan, DEV_ICH9_HDA, NULL))
    model = GVIR_CONFIG_DOMAIN_SOUND_MODEL_ICH9;
  else if (has_device (plan, DEV_ICH6, NULL))
    model = GVIR_CONFIG_DOMAIN_SOUND_MODEL_ICH6;
  else if (has_device (plan, DEV_AC97, NULL))
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
  else if (has_device (plan, DEV_VIRTIO1_GPU, NULL))
    /* As the primary card on x86 libvirt makes this virtio-vga, which
     * also shows the firmware and the boot loader. */
    model = GVIR_CONFIG_DOMAIN_VIDEO_MODEL_VIRTIO;
  else if (has_device (plan, DEV_QXL, NULL))
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
  /* Two USB devices from the console's machine can be passed over SPICE. */
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
  gboolean virtio_balloon = has_device (plan, DEV_VIRTIO_BALLOON, DEV_VIRTIO1_BALLOON) ||
                            (plan->windows && plan->spec->caps->virtio_win_iso != NULL);

  /* Spelled out either way: libvirt adds a virtio balloon when there is
   * no <memballoon>, and a guest without the driver shows an unknown
   * device. */
  gvir_config_domain_memballoon_set_model (balloon, virtio_balloon
                                                    ? GVIR_CONFIG_DOMAIN_MEMBALLOON_MODEL_VIRTIO
                                                    : GVIR_CONFIG_DOMAIN_MEMBALLOON_MODEL_NONE);
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (balloon));

  if (has_device (plan, DEV_VIRTIO_RNG, DEV_VIRTIO1_RNG))
    append_xml (domain, "devices",
                "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>");

  if (plan->spec->tpm)
    append_xml (domain, "devices",
                "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>");
}

/**
 * hangar_domain_builder_build:
 * @spec: the wizard's choices, with the host's capabilities in @spec->caps
 * @stage: the definition that starts the installation, or the one that
 *   stays
 *
 * Turns @spec into a domain definition: KVM when the host offers it, else
 * QEMU's emulator; virtio disk and network where libosinfo says the OS has
 * the drivers, SATA and e1000e otherwise; SPICE on 127.0.0.1 with a USB
 * tablet; Hyper-V enlightenments, local time, QXL and the virtio-win ISO
 * for Windows; virtio graphics and the guest agent channel for Linux; UEFI,
 * Secure Boot and an emulated TPM as @spec asks. Nothing touches a daemon.
 *
 * Returns: (transfer full): the definition, or %NULL with @error set when
 *   @spec cannot be built on this host
 */
GVirConfigDomain *
hangar_domain_builder_build (const HangarDomainSpec  *spec,
                             HangarBuildStage         stage,
                             GError                 **error)
{
  g_autoptr(GVirConfigDomain) domain = NULL;
  Plan plan = { 0 };

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_spec (spec, error))
    return NULL;

  plan.spec = spec;
  plan.stage = stage;
  plan.kvm = spec->caps->has_kvm && !spec->force_emulation;
  plan.windows = hangar_domain_spec_is_windows (spec);
  plan.is_linux = spec->os != NULL && g_strcmp0 (osinfo_os_get_family (spec->os), "linux") == 0;
  plan.q35 = hangar_host_caps_has_machine (spec->caps, "q35") &&
             (spec->os == NULL || hangar_domain_spec_os_has_device (spec, DEV_Q35));
  plan.virtio_disk = has_device (&plan, DEV_VIRTIO_BLOCK, DEV_VIRTIO1_BLOCK);
  /* Windows has no virtio-serial driver of its own, but the SPICE guest
   * tools that bring the agent bring the driver too. */
  plan.virtio_serial = has_device (&plan, DEV_VIRTIO_CONSOLE, DEV_VIRTIO1_CONSOLE) ||
                       plan.windows;

  if (spec->secure_boot && !plan.q35)
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_SECURE_BOOT,
                 _("Secure Boot needs the Q35 machine type, which this host does not offer."));
      return NULL;
    }

  domain = gvir_config_domain_new ();
  gvir_config_domain_set_virt_type (domain, plan.kvm ? GVIR_CONFIG_DOMAIN_VIRT_KVM
                                                     : GVIR_CONFIG_DOMAIN_VIRT_QEMU);
  gvir_config_domain_set_name (domain, spec->name);
  if (spec->uuid != NULL)
    gvir_config_domain_set_uuid (domain, spec->uuid);
  add_metadata (domain, &plan);
  gvir_config_domain_set_memory (domain, spec->memory_mib * 1024);
  gvir_config_domain_set_current_memory (domain, spec->memory_mib * 1024);
  gvir_config_domain_set_vcpus (domain, spec->vcpus);
  add_os (domain, &plan);
  add_features (domain, &plan);
  add_cpu (domain, &plan);
  add_clock (domain, &plan);
  add_lifecycle (domain, &plan);

  add_storage (domain, &plan);
  add_usb (domain, &plan);
  add_network (domain, &plan);
  add_channels (domain, &plan);
  add_input (domain, &plan);
  add_graphics (domain, &plan);
  add_sound (domain, &plan);
  add_video (domain, &plan);
  add_usb_redirection (domain, &plan);
  add_memballoon_rng_tpm (domain, &plan);

  return g_steal_pointer (&domain);
}

/**
 * hangar_domain_builder_to_xml:
 *
 * Like hangar_domain_builder_build(), as XML text for virDomainDefineXML().
 *
 * Returns: (transfer full) (nullable): the XML
 */
char *
hangar_domain_builder_to_xml (const HangarDomainSpec  *spec,
                              HangarBuildStage         stage,
                              GError                 **error)
{
  g_autoptr(GVirConfigDomain) domain = hangar_domain_builder_build (spec, stage, error);

  if (domain == NULL)
    return NULL;
  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
}

/**
 * hangar_domain_builder_build_volume:
 * @spec: choices with a new disk (%HANGAR_DISK_NEW)
 *
 * The storage volume the create step makes in the pool before the machine
 * is defined (virStorageVolCreateXML): named after the file in
 * @spec->disk_path, thin-provisioned, qcow2 unless raw was asked for.
 *
 * Returns: (transfer full): the volume, or %NULL with @error set
 */
GVirConfigStorageVol *
hangar_domain_builder_build_volume (const HangarDomainSpec  *spec,
                                    GError                 **error)
{
  g_autoptr(GVirConfigStorageVol) vol = NULL;
  g_autoptr(GVirConfigStorageVolTarget) target = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (spec->disk_mode != HANGAR_DISK_NEW || spec->disk_path == NULL || spec->disk_path[0] == '\0')
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_DISK,
                 _("No new disk was asked for."));
      return NULL;
    }
  if (spec->disk_capacity_gib == 0)
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_DISK,
                 _("The disk needs a size."));
      return NULL;
    }
  if (spec->disk_format != HANGAR_DISK_FORMAT_QCOW2 && spec->disk_format != HANGAR_DISK_FORMAT_RAW)
    {
      set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NEEDS_CONVERSION,
                 _("New disks are made as qcow2 or raw images."));
      return NULL;
    }

  name = g_path_get_basename (spec->disk_path);
  vol = gvir_config_storage_vol_new ();
  gvir_config_storage_vol_set_name (vol, name);
  gvir_config_storage_vol_set_capacity (vol, spec->disk_capacity_gib * 1024 * 1024 * 1024);
  /* Space is taken as the guest writes, not up front. */
  gvir_config_storage_vol_set_allocation (vol, 0);
  target = gvir_config_storage_vol_target_new ();
  gvir_config_storage_vol_target_set_format (target,
                                             hangar_disk_format_to_string (spec->disk_format));
  gvir_config_storage_vol_set_target (vol, target);

  return g_steal_pointer (&vol);
}
