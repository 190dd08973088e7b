/* hangar-domain-spec.c — the choices made in the new-machine wizard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "hangar-domain-spec.h"

#define GIB (G_GUINT64_CONSTANT (1024) * 1024 * 1024)
#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

/* What a generic machine gets when libosinfo has no advice. */
#define DEFAULT_MEMORY_MIB 2048
#define DEFAULT_VCPUS      2
#define DEFAULT_DISK_GIB   25

G_DEFINE_BOXED_TYPE (HangarDomainSpec, hangar_domain_spec,
                     hangar_domain_spec_copy, hangar_domain_spec_free)

HangarDomainSpec *
hangar_domain_spec_new (void)
{
  HangarDomainSpec *spec = g_new0 (HangarDomainSpec, 1);

  spec->memory_mib = DEFAULT_MEMORY_MIB;
  spec->vcpus = DEFAULT_VCPUS;
  spec->disk_format = HANGAR_DISK_FORMAT_QCOW2;
  spec->disk_capacity_gib = DEFAULT_DISK_GIB;
  spec->import_format = HANGAR_DISK_FORMAT_QCOW2;
  return spec;
}

HangarDomainSpec *
hangar_domain_spec_copy (const HangarDomainSpec *spec)
{
  HangarDomainSpec *copy;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_memdup2 (spec, sizeof *spec);
  copy->iso_path = g_strdup (spec->iso_path);
  copy->tree_url = g_strdup (spec->tree_url);
  copy->kernel_path = g_strdup (spec->kernel_path);
  copy->initrd_path = g_strdup (spec->initrd_path);
  copy->extra_cmdline = g_strdup (spec->extra_cmdline);
  copy->answers_iso_path = g_strdup (spec->answers_iso_path);
  copy->import_path = g_strdup (spec->import_path);
  copy->import_converted_path = g_strdup (spec->import_converted_path);
  copy->cloud_image_path = g_strdup (spec->cloud_image_path);
  copy->cloud_init = spec->cloud_init ? hangar_cloud_init_copy (spec->cloud_init) : NULL;
  copy->cloud_seed_path = g_strdup (spec->cloud_seed_path);
  copy->os = spec->os ? g_object_ref (spec->os) : NULL;
  copy->name = g_strdup (spec->name);
  copy->uuid = g_strdup (spec->uuid);
  copy->disk_path = g_strdup (spec->disk_path);
  copy->network_source = g_strdup (spec->network_source);
  copy->caps = spec->caps ? hangar_host_caps_copy (spec->caps) : NULL;
  copy->graphics_password = g_strdup (spec->graphics_password);
  return copy;
}

void
hangar_domain_spec_free (HangarDomainSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->iso_path);
  if (spec->graphics_password != NULL)
    explicit_bzero (spec->graphics_password, strlen (spec->graphics_password));
  g_free (spec->graphics_password);
  g_free (spec->tree_url);
  g_free (spec->kernel_path);
  g_free (spec->initrd_path);
  g_free (spec->extra_cmdline);
  g_free (spec->answers_iso_path);
  g_free (spec->import_path);
  g_free (spec->import_converted_path);
  g_free (spec->cloud_image_path);
  hangar_cloud_init_free (spec->cloud_init);
  g_free (spec->cloud_seed_path);
  g_clear_object (&spec->os);
  g_free (spec->name);
  g_free (spec->uuid);
  g_free (spec->disk_path);
  g_free (spec->network_source);
  hangar_host_caps_free (spec->caps);
  g_free (spec);
}

void
hangar_domain_spec_set_os (HangarDomainSpec *spec,
                           OsinfoOs         *os)
{
  g_return_if_fail (spec != NULL);
  g_return_if_fail (os == NULL || OSINFO_IS_OS (os));

  g_set_object (&spec->os, os);
}

void
hangar_domain_spec_set_caps (HangarDomainSpec     *spec,
                             const HangarHostCaps *caps)
{
  g_return_if_fail (spec != NULL);

  g_clear_pointer (&spec->caps, hangar_host_caps_free);
  if (caps != NULL)
    spec->caps = hangar_host_caps_copy (caps);
}

gboolean
hangar_domain_spec_is_windows (const HangarDomainSpec *spec)
{
  g_return_val_if_fail (spec != NULL, FALSE);

  if (spec->os == NULL)
    return FALSE;
  return g_strcmp0 (osinfo_os_get_distro (spec->os), "win") == 0 ||
         g_strcmp0 (osinfo_os_get_family (spec->os), "winnt") == 0;
}

static gboolean
os_is_or_derives_from (OsinfoProduct *product,
                       const char    *short_id,
                       guint          depth)
{
  g_autoptr(OsinfoProductList) parents = NULL;

  if (g_strcmp0 (osinfo_product_get_short_id (product), short_id) == 0)
    return TRUE;
  if (depth > 16)
    return FALSE;

  parents = osinfo_product_get_related (product, OSINFO_PRODUCT_RELATIONSHIP_DERIVES_FROM);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (parents)); i++)
    {
      OsinfoEntity *parent = osinfo_list_get_nth (OSINFO_LIST (parents), i);

      if (os_is_or_derives_from (OSINFO_PRODUCT (parent), short_id, depth + 1))
        return TRUE;
    }
  return FALSE;
}

/**
 * hangar_domain_spec_os_needs_tpm:
 *
 * Whether the OS refuses to install without a TPM 2.0 and Secure Boot.
 * osinfo-db 20221203 does not record this, so it is known here by name:
 * Windows 11 and what derives from it.
 */
gboolean
hangar_domain_spec_os_needs_tpm (const HangarDomainSpec *spec)
{
  g_return_val_if_fail (spec != NULL, FALSE);

  return spec->os != NULL && os_is_or_derives_from (OSINFO_PRODUCT (spec->os), "win11", 0);
}

/**
 * hangar_domain_spec_os_needs_uefi:
 *
 * Whether libosinfo says the OS does not boot from BIOS on this
 * architecture (Windows 11 says so).
 */
gboolean
hangar_domain_spec_os_needs_uefi (const HangarDomainSpec *spec)
{
  g_autoptr(OsinfoFirmwareList) firmwares = NULL;
  const char *arch;
  gboolean efi = FALSE;
  gboolean no_bios = FALSE;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (spec->os == NULL)
    return FALSE;

  arch = spec->caps && spec->caps->arch ? spec->caps->arch : "x86_64";
  firmwares = osinfo_os_get_complete_firmware_list (spec->os, NULL);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (firmwares)); i++)
    {
      OsinfoFirmware *fw = OSINFO_FIRMWARE (osinfo_list_get_nth (OSINFO_LIST (firmwares), i));
      const char *fw_arch = osinfo_firmware_get_architecture (fw);
      const char *type = osinfo_firmware_get_firmware_type (fw);

      if (g_strcmp0 (fw_arch, arch) != 0 && g_strcmp0 (fw_arch, "all") != 0)
        continue;
      if (g_strcmp0 (type, "efi") == 0 && osinfo_firmware_is_supported (fw))
        efi = TRUE;
      if (g_strcmp0 (type, "bios") == 0 && !osinfo_firmware_is_supported (fw))
        no_bios = TRUE;
    }
  return efi && no_bios;
}

/**
 * hangar_domain_spec_os_has_device:
 * @device_id: a libosinfo device id, e.g. "http://pcisig.com/pci/1af4/1042"
 *
 * Whether libosinfo says the OS has a driver for @device_id out of the box.
 * Always %FALSE for a generic machine.
 */
gboolean
hangar_domain_spec_os_has_device (const HangarDomainSpec *spec,
                                  const char             *device_id)
{
  g_autoptr(OsinfoDeviceList) devices = NULL;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);

  if (spec->os == NULL)
    return FALSE;

  devices = osinfo_os_get_all_devices (spec->os, NULL);
  return osinfo_list_find_by_id (OSINFO_LIST (devices), device_id) != NULL;
}

static OsinfoResources *
find_resources (OsinfoResourcesList *list,
                const char          *arch)
{
  OsinfoResources *all = NULL;

  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
    {
      OsinfoResources *res = OSINFO_RESOURCES (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *res_arch = osinfo_resources_get_architecture (res);

      if (g_strcmp0 (res_arch, arch) == 0)
        return res;
      if (g_strcmp0 (res_arch, OSINFO_ARCHITECTURE_ALL) == 0)
        all = res;
    }
  return all;
}

/* libosinfo's recommendation when it has one; otherwise our default, but
 * never below the OS's minimum. Negative means "not given". */
static guint64
pick (gint64  recommended,
      gint64  minimum,
      guint64 fallback)
{
  if (recommended > 0)
    return recommended;
  if (minimum > 0 && (guint64) minimum > fallback)
    return minimum;
  return fallback;
}

/**
 * hangar_domain_spec_apply_os_defaults:
 *
 * Sets memory, CPUs, disk size, firmware and network from the OS and the
 * connection: libosinfo's recommended resources (else its minimum, else
 * Hangar's defaults), UEFI where the OS requires it, UEFI with Secure Boot
 * and a TPM for Windows 11, the "default" NAT network on system
 * connections and user-mode networking on session ones. The wizard calls
 * it when the OS changes, then lets the user adjust; bounding by the host's
 * memory is the wizard's job.
 */
void
hangar_domain_spec_apply_os_defaults (HangarDomainSpec *spec)
{
  const char *arch;

  g_return_if_fail (spec != NULL);

  arch = spec->caps && spec->caps->arch ? spec->caps->arch : "x86_64";

  spec->memory_mib = DEFAULT_MEMORY_MIB;
  spec->vcpus = DEFAULT_VCPUS;
  spec->disk_capacity_gib = DEFAULT_DISK_GIB;
  if (spec->os != NULL)
    {
      g_autoptr(OsinfoResourcesList) recommended = osinfo_os_get_recommended_resources (spec->os);
      g_autoptr(OsinfoResourcesList) minimum = osinfo_os_get_minimum_resources (spec->os);
      OsinfoResources *rec = find_resources (recommended, arch);
      OsinfoResources *min = find_resources (minimum, arch);

      spec->memory_mib =
        pick (rec ? osinfo_resources_get_ram (rec) : -1,
              min ? osinfo_resources_get_ram (min) : -1,
              DEFAULT_MEMORY_MIB * MIB) / MIB;
      spec->disk_capacity_gib =
        (pick (rec ? osinfo_resources_get_storage (rec) : -1,
               min ? osinfo_resources_get_storage (min) : -1,
               DEFAULT_DISK_GIB * GIB) + GIB - 1) / GIB;
      spec->vcpus =
        pick (rec ? osinfo_resources_get_n_cpus (rec) : -1,
              min ? osinfo_resources_get_n_cpus (min) : -1,
              DEFAULT_VCPUS);
    }

  spec->firmware = HANGAR_FIRMWARE_BIOS;
  spec->secure_boot = FALSE;
  spec->tpm = FALSE;
  if (hangar_domain_spec_os_needs_uefi (spec))
    spec->firmware = HANGAR_FIRMWARE_UEFI;
  if (hangar_domain_spec_os_needs_tpm (spec))
    {
      spec->firmware = HANGAR_FIRMWARE_UEFI;
      spec->secure_boot = TRUE;
      spec->tpm = TRUE;
    }

  g_clear_pointer (&spec->network_source, g_free);
  if (spec->connection_kind == HANGAR_CONNECTION_KIND_SYSTEM)
    {
      spec->network_mode = HANGAR_NETWORK_VIRTUAL;
      spec->network_source = g_strdup ("default");
    }
  else
    {
      spec->network_mode = HANGAR_NETWORK_USER;
    }
}

/**
 * hangar_domain_spec_new_graphics_password:
 *
 * A password for a new machine's console on a remote host: 16 letters
 * and digits (about 95 bits) from the kernel's random source. SPICE takes
 * up to 60 characters; VNC uses only the first 8.
 *
 * Returns: (transfer full): the password
 */
char *
hangar_domain_spec_new_graphics_password (void)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char *password = g_malloc (17);
  guint i = 0;

  while (i < 16)
    {
      guint8 bytes[32];
      ssize_t n = getrandom (bytes, sizeof bytes, 0);

      /* getrandom() blocks only before the pool is seeded, and never fails
       * on Linux ≥ 3.17 except when interrupted. */
      if (n <= 0)
        continue;
      /* 248 is the largest multiple of 62 under 256: no bias. */
      for (ssize_t j = 0; j < n && i < 16; j++)
        if (bytes[j] < 248)
          password[i++] = alphabet[bytes[j] % 62];
      explicit_bzero (bytes, sizeof bytes);
    }
  password[16] = '\0';
  return password;
}

const char *
hangar_disk_format_to_string (HangarDiskFormat format)
{
  switch (format)
    {
    case HANGAR_DISK_FORMAT_QCOW2: return "qcow2";
    case HANGAR_DISK_FORMAT_RAW: return "raw";
    case HANGAR_DISK_FORMAT_VDI: return "vdi";
    case HANGAR_DISK_FORMAT_VMDK: return "vmdk";
    default: g_return_val_if_reached ("raw");
    }
}

/* VirtualBox and VMware images run badly or not at all under QEMU
 * (no snapshots, slow paths); the wizard converts them to qcow2 first. */
gboolean
hangar_disk_format_needs_conversion (HangarDiskFormat format)
{
  return format == HANGAR_DISK_FORMAT_VDI || format == HANGAR_DISK_FORMAT_VMDK;
}
