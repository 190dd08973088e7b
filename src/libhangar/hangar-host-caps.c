/* hangar-host-caps.c — what a host can run, read from libvirt's capabilities.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-host-caps.h"
#include "hangar-xml.h"

G_DEFINE_QUARK (hangar-host-caps-error-quark, hangar_host_caps_error)

G_DEFINE_BOXED_TYPE (HangarHostCaps, hangar_host_caps,
                     hangar_host_caps_copy, hangar_host_caps_free)

HangarHostCaps *
hangar_host_caps_new (void)
{
  return g_new0 (HangarHostCaps, 1);
}

HangarHostCaps *
hangar_host_caps_copy (const HangarHostCaps *caps)
{
  HangarHostCaps *copy;

  g_return_val_if_fail (caps != NULL, NULL);

  copy = g_memdup2 (caps, sizeof *caps);
  copy->arch = g_strdup (caps->arch);
  copy->emulator = g_strdup (caps->emulator);
  copy->machines = g_strdupv (caps->machines);
  copy->virtio_win_iso = g_strdup (caps->virtio_win_iso);
  copy->hyperv_features = g_strdupv (caps->hyperv_features);
  return copy;
}

void
hangar_host_caps_free (HangarHostCaps *caps)
{
  if (caps == NULL)
    return;
  g_free (caps->arch);
  g_free (caps->emulator);
  g_strfreev (caps->machines);
  g_free (caps->virtio_win_iso);
  g_strfreev (caps->hyperv_features);
  g_free (caps);
}

static xmlDoc *
parse_document (const char  *xml,
                const char  *root_name,
                GError     **error)
{
  xmlDoc *doc = hangar_xml_parse (xml, NULL);

  if (doc == NULL || !xmlStrEqual (xmlDocGetRootElement (doc)->name, BAD_CAST root_name))
    {
      g_set_error (error, HANGAR_HOST_CAPS_ERROR, HANGAR_HOST_CAPS_ERROR_PARSE,
                   _("The host’s description could not be read (expected a <%s> document)."),
                   root_name);
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  return doc;
}

/* The text of the first node @expr finds, without the white space around it. */
static char *
eval_string (xmlDoc     *doc,
             const char *expr)
{
  char *text = hangar_xml_string (doc, NULL, expr);

  return text ? g_strstrip (text) : NULL;
}

static char **
eval_strings (xmlDoc     *doc,
              const char *expr)
{
  g_autoptr(GPtrArray) strings = hangar_xml_strings (doc, NULL, expr);

  g_ptr_array_add (strings, NULL);
  return (char **) g_ptr_array_steal (strings, NULL);
}

/**
 * hangar_host_caps_parse:
 * @caps: the structure to fill
 * @capabilities_xml: what virConnectGetCapabilities() returned
 *
 * Reads the host architecture, and for the hvm guest of that architecture
 * its emulator, its machine types and whether KVM is offered. Leaves the
 * firmware, TPM and driver ISO fields alone: the capabilities document
 * does not tell them (see hangar_host_caps_parse_domain_caps()).
 */
gboolean
hangar_host_caps_parse (HangarHostCaps  *caps,
                        const char      *capabilities_xml,
                        GError         **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *arch = NULL;
  g_autofree char *guest = NULL;
  g_autofree char *expr = NULL;

  g_return_val_if_fail (caps != NULL, FALSE);

  if (!(doc = parse_document (capabilities_xml, "capabilities", error)))
    return FALSE;

  arch = eval_string (doc, "/capabilities/host/cpu/arch");
  if (arch == NULL)
    {
      g_set_error_literal (error, HANGAR_HOST_CAPS_ERROR, HANGAR_HOST_CAPS_ERROR_PARSE,
                           _("The host’s description does not say its architecture."));
      return FALSE;
    }

  /* Architecture names are plain identifiers; refuse anything that could
   * change the meaning of the XPath expressions built from them. */
  if (strspn (arch, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
      != strlen (arch))
    {
      g_set_error (error, HANGAR_HOST_CAPS_ERROR, HANGAR_HOST_CAPS_ERROR_PARSE,
                   _("The host reports an unusual architecture, “%s”."), arch);
      return FALSE;
    }

  guest = g_strdup_printf ("/capabilities/guest[os_type='hvm']/arch[@name='%s']", arch);
  if (!hangar_xml_exists (doc, NULL, guest))
    {
      g_set_error (error, HANGAR_HOST_CAPS_ERROR, HANGAR_HOST_CAPS_ERROR_NO_GUEST,
                   _("This host cannot run full virtual machines for its own "
                     "architecture (%s). Is QEMU installed?"), arch);
      return FALSE;
    }

  g_free (caps->arch);
  caps->arch = g_steal_pointer (&arch);

  g_free (caps->emulator);
  expr = g_strdup_printf ("%s/emulator", guest);
  caps->emulator = eval_string (doc, expr);

  g_clear_pointer (&expr, g_free);
  expr = g_strdup_printf ("%s/machine", guest);
  g_strfreev (caps->machines);
  caps->machines = eval_strings (doc, expr);

  g_clear_pointer (&expr, g_free);
  expr = g_strdup_printf ("%s/domain[@type='kvm']", guest);
  caps->has_kvm = hangar_xml_exists (doc, NULL, expr);

  return TRUE;
}

/**
 * hangar_host_caps_parse_domain_caps:
 * @caps: the structure to fill
 * @domain_caps_xml: what virConnectGetDomainCapabilities() returned
 *
 * Reads whether UEFI firmware, Secure Boot and an emulated TPM are
 * available, and which Hyper-V enlightenments KVM offers (nested
 * hypervisors often offer few or none, and QEMU refuses to start a guest
 * asking for one that is missing). This works for remote hosts too,
 * unlike hangar_host_caps_probe_files().
 */
gboolean
hangar_host_caps_parse_domain_caps (HangarHostCaps  *caps,
                                    const char      *domain_caps_xml,
                                    GError         **error)
{
  g_autoptr(xmlDoc) doc = NULL;

  g_return_val_if_fail (caps != NULL, FALSE);

  if (!(doc = parse_document (domain_caps_xml, "domainCapabilities", error)))
    return FALSE;

  /* libvirt lists firmware it can pick by itself under the "firmware" enum
   * and, without descriptors, at least the loader paths it found. */
  caps->has_uefi =
    hangar_xml_exists (doc, NULL, "/domainCapabilities/os/enum[@name='firmware']"
                                  "/value[.='efi']") ||
    hangar_xml_exists (doc, NULL, "/domainCapabilities/os/loader/value");
  caps->has_secure_boot = caps->has_uefi &&
    hangar_xml_exists (doc, NULL, "/domainCapabilities/os/loader/enum[@name='secure']"
                                  "/value[.='yes']");
  caps->has_tpm_emulator =
    hangar_xml_exists (doc, NULL, "/domainCapabilities/devices/tpm[@supported='yes']"
                                  "/enum[@name='backendModel']/value[.='emulator']");

  /* libvirt older than 8.0 does not say; then nothing is known. */
  g_clear_pointer (&caps->hyperv_features, g_strfreev);
  if (hangar_xml_exists (doc, NULL, "/domainCapabilities/features/hyperv"))
    caps->hyperv_features =
      eval_strings (doc, "/domainCapabilities/features/hyperv[@supported='yes']"
                         "/enum[@name='features']/value");

  /* libvirt 9.0 lists only pty, unix and spicevmc channels, whatever
   * QEMU can do; a later one may list QEMU's agent too. Otherwise the
   * hypervisor's version tells (hangar_host_caps_set_hypervisor_version()). */
  if (hangar_xml_exists (doc, NULL, "/domainCapabilities/devices/channel[@supported='yes']"
                                    "/enum[@name='type']/value[.='qemu-vdagent']"))
    caps->has_qemu_vdagent = TRUE;

  return TRUE;
}

/**
 * hangar_host_caps_set_hypervisor_version:
 * @caps: the structure to fill
 * @version: what virConnectGetVersion() gave: major * 1,000,000 +
 *   minor * 1,000 + release; 0 when not known
 *
 * QEMU has its own clipboard agent (the qemu-vdagent chardev, which
 * gives VNC consoles a clipboard) from 6.1 on. An unknown version leaves
 * what the domain capabilities said.
 */
void
hangar_host_caps_set_hypervisor_version (HangarHostCaps *caps,
                                         unsigned long   version)
{
  g_return_if_fail (caps != NULL);

  if (version >= 6001000)
    caps->has_qemu_vdagent = TRUE;
}

static gboolean
exists_under (const char *root,
              const char *path)
{
  g_autofree char *full = g_build_filename (root, path, NULL);

  return g_file_test (full, G_FILE_TEST_EXISTS);
}

/**
 * hangar_host_caps_probe_files:
 * @caps: the structure to fill
 * @root: the file system root to look under, "/" for the real one
 *
 * For local connections on a host without domain capabilities: looks for
 * the files Debian's ovmf, swtpm and virtio-win packages install.
 */
void
hangar_host_caps_probe_files (HangarHostCaps *caps,
                              const char     *root)
{
  static const char *ovmf[] = {
    "usr/share/OVMF/OVMF_CODE_4M.fd",
    "usr/share/OVMF/OVMF_CODE.fd",
    "usr/share/edk2/ovmf/OVMF_CODE.fd",
  };
  static const char *ovmf_secure[] = {
    "usr/share/OVMF/OVMF_CODE_4M.ms.fd",
    "usr/share/OVMF/OVMF_CODE_4M.secboot.fd",
    "usr/share/OVMF/OVMF_CODE.secboot.fd",
    "usr/share/edk2/ovmf/OVMF_CODE.secboot.fd",
  };
  const char *virtio_win = "usr/share/virtio-win/virtio-win.iso";

  g_return_if_fail (caps != NULL);
  g_return_if_fail (root != NULL);

  caps->has_uefi = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (ovmf); i++)
    caps->has_uefi |= exists_under (root, ovmf[i]);

  caps->has_secure_boot = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (ovmf_secure); i++)
    caps->has_secure_boot |= exists_under (root, ovmf_secure[i]);
  caps->has_uefi |= caps->has_secure_boot;

  caps->has_tpm_emulator = exists_under (root, "usr/bin/swtpm");

  g_clear_pointer (&caps->virtio_win_iso, g_free);
  if (exists_under (root, virtio_win))
    caps->virtio_win_iso = g_build_filename ("/", virtio_win, NULL);
}

/**
 * hangar_host_caps_has_hyperv:
 * @feature: a libvirt Hyper-V feature name, such as "relaxed"
 *
 * Whether KVM on this host offers @feature. When the domain capabilities
 * were not read, every feature is assumed, as on any current bare-metal
 * KVM host.
 */
gboolean
hangar_host_caps_has_hyperv (const HangarHostCaps *caps,
                             const char           *feature)
{
  g_return_val_if_fail (caps != NULL, FALSE);

  return caps->hyperv_features == NULL ||
         g_strv_contains ((const char * const *) caps->hyperv_features, feature);
}

gboolean
hangar_host_caps_has_machine (const HangarHostCaps *caps,
                              const char           *machine)
{
  g_return_val_if_fail (caps != NULL, FALSE);

  return caps->machines != NULL &&
         g_strv_contains ((const char * const *) caps->machines, machine);
}
