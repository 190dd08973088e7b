/* hangar-domain-builder.c — a libvirt domain definition from the wizard's choices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-domain-builder-private.h"
#include "hangar-name.h"

G_DEFINE_QUARK (hangar-domain-builder-error-quark, hangar_domain_builder_error)

gboolean
_hangar_domain_builder_has_device (const Plan *plan,
                                   const char *legacy_id,
                                   const char *modern_id)
{
  return (legacy_id != NULL && hangar_domain_spec_os_has_device (plan->spec, legacy_id)) ||
         (modern_id != NULL && hangar_domain_spec_os_has_device (plan->spec, modern_id));
}

/*
 * libvirt-gconfig 4.0 has no objects for <tpm>, <rng>, Hyper-V features,
 * firmware features, graphics <listen> or a disk's <backingStore>. Every gconfig object exposes its
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

void
_hangar_domain_builder_append_xml (gpointer    object,
                                   const char *under,
                                   const char *fragment)
{
  xmlNode *parent = object_node (object);
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;

  if (under != NULL)
    parent = hangar_xml_ensure_child (parent, under);

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

    case HANGAR_INSTALL_CLOUD:
      if (spec->disk_path == NULL || spec->cloud_seed_path == NULL)
        {
          set_error (error, HANGAR_DOMAIN_BUILDER_ERROR_NO_DISK,
                     _("The cloud image has not been copied and its cloud-init seed not "
                       "written yet."));
          return FALSE;
        }
      break;

    case HANGAR_INSTALL_MANUAL:
    default:
      break;
    }

  if (spec->install_method != HANGAR_INSTALL_IMPORT && spec->install_method != HANGAR_INSTALL_CLOUD &&
      spec->disk_mode != HANGAR_DISK_NONE)
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
      _hangar_domain_builder_append_xml (os, NULL, fw);
    }

  /* An express ISO install boots the installer's kernel from the ISO
   * with the answers in its initrd (hangar-vm-creator-express.c). */
  if (installing && (spec->install_method == HANGAR_INSTALL_TREE ||
                     (spec->install_method == HANGAR_INSTALL_ISO && spec->kernel_path != NULL &&
                      spec->initrd_path != NULL)))
    {
      const char *url_arg = kernel_url_argument (spec->os, 0);
      g_autoptr(GString) cmdline = g_string_new (NULL);

      gvir_config_domain_os_set_kernel (os, spec->kernel_path);
      gvir_config_domain_os_set_ramdisk (os, spec->initrd_path);
      if (url_arg != NULL && spec->tree_url != NULL)
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

  _hangar_domain_builder_append_xml (domain, NULL, xml->str);
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
    _hangar_domain_builder_append_xml (klock, NULL, "<timer name='hypervclock' present='yes'/>");

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

/**
 * hangar_domain_builder_build:
 * @spec: the wizard's choices, with the host's capabilities in @spec->caps
 * @stage: the definition that starts the installation, or the one that
 *   stays
 *
 * Turns @spec into a domain definition: KVM when the host offers it, else
 * QEMU's emulator; virtio disk and network where libosinfo says the OS has
 * the drivers, SATA and e1000e otherwise; the SPICE (or VNC, with QEMU's
 * clipboard agent where QEMU has one) console with a USB tablet, on no
 * port locally and on 127.0.0.1 with a password remotely; Hyper-V
 * enlightenments, local time, QXL and the virtio-win ISO for Windows;
 * virtio graphics and the guest agent channel for Linux; UEFI,
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
  plan.virtio_disk = _hangar_domain_builder_has_device (&plan, DEV_VIRTIO_BLOCK, DEV_VIRTIO1_BLOCK);
  /* Windows has no virtio-serial driver of its own, but the SPICE guest
   * tools that bring the agent bring the driver too. */
  plan.virtio_serial =
    _hangar_domain_builder_has_device (&plan, DEV_VIRTIO_CONSOLE, DEV_VIRTIO1_CONSOLE) ||
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

  _hangar_domain_builder_add_devices (domain, &plan);

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
