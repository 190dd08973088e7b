/* hangar-host-checks.c — the host window's decisions, without GTK or libvirt:
 * form checks for networks and virtualization advice (storage pools and
 * volumes: hangar-host-checks-storage.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hangar-host-checks.h"

#define NAME_MAX_LENGTH 64

G_DEFINE_QUARK (hangar-host-error-quark, hangar_host_error)

/**
 * hangar_host_check_name:
 * @name: the name of a new network, pool or volume
 * @existing: (nullable): names already taken
 *
 * Names become file names and bridge or dnsmasq configuration on the host,
 * so only plain characters are allowed.
 */
gboolean
hangar_host_check_name (const char         *name,
                        const char * const *existing,
                        GError            **error)
{
  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME,
                           _("Give it a name."));
      return FALSE;
    }
  if (strlen (name) > NAME_MAX_LENGTH)
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME,
                   _("The name may be at most %d characters long."), NAME_MAX_LENGTH);
      return FALSE;
    }
  if (name[0] == '.' || name[0] == '-')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME,
                           _("The name may not start with “.” or “-”."));
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      {
        g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME,
                             _("Use only letters, digits, “-”, “_” and “.” in the name."));
        return FALSE;
      }
  if (existing != NULL && g_strv_contains (existing, name))
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME,
                   _("There is already one named “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

/* --- IPv4 ---------------------------------------------------------------------- */

/**
 * hangar_ipv4_parse_address:
 *
 * Strict dotted quad: four decimal numbers up to 255, no leading zeros
 * (which some parsers read as octal), nothing else.
 */
gboolean
hangar_ipv4_parse_address (const char *text,
                           guint32    *address)
{
  guint32 value = 0;
  const char *p = text;

  if (text == NULL)
    return FALSE;
  for (guint part = 0; part < 4; part++)
    {
      guint n = 0;
      guint digits = 0;

      if (part > 0)
        {
          if (*p != '.')
            return FALSE;
          p++;
        }
      if (p[0] == '0' && g_ascii_isdigit (p[1]))
        return FALSE;
      while (g_ascii_isdigit (*p) && digits < 4)
        {
          n = n * 10 + (*p - '0');
          digits++;
          p++;
        }
      if (digits == 0 || n > 255)
        return FALSE;
      value = (value << 8) | n;
    }
  if (*p != '\0')
    return FALSE;
  *address = value;
  return TRUE;
}

char *
hangar_ipv4_format_address (guint32 address)
{
  return g_strdup_printf ("%u.%u.%u.%u", address >> 24, (address >> 16) & 0xff,
                          (address >> 8) & 0xff, address & 0xff);
}

static guint32
prefix_mask (guint prefix)
{
  return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

/**
 * hangar_ipv4_parse_cidr:
 * @text: "192.168.200.0/24"
 *
 * Only prefixes from /8 to /30 make sense for a virtual network: it needs
 * an address for the host and at least one for a guest.
 */
gboolean
hangar_ipv4_parse_cidr (const char  *text,
                        guint32     *address,
                        guint       *prefix,
                        GError     **error)
{
  g_autofree char *copy = NULL;
  char *slash;
  char *end = NULL;
  guint64 bits;

  if (text == NULL || text[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK,
                           _("Give the network as an address and prefix length, "
                             "such as 192.168.100.0/24."));
      return FALSE;
    }
  copy = g_strstrip (g_strdup (text));
  slash = strchr (copy, '/');
  if (slash == NULL)
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK,
                   _("Add the prefix length: for example %s/24."), copy);
      return FALSE;
    }
  *slash = '\0';
  if (!hangar_ipv4_parse_address (copy, address))
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK,
                   _("“%s” is not an IPv4 address."), copy);
      return FALSE;
    }
  if (!g_ascii_isdigit (slash[1]))
    bits = G_MAXUINT64;
  else
    bits = g_ascii_strtoull (slash + 1, &end, 10);
  if (bits == G_MAXUINT64 || *end != '\0' || bits > 32)
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK,
                   _("“%s” is not a prefix length: use a number from 8 to 30."), slash + 1);
      return FALSE;
    }
  if (bits < 8 || bits > 30)
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK,
                           _("The prefix length must be from 8 to 30."));
      return FALSE;
    }
  *prefix = bits;
  return TRUE;
}

gboolean
hangar_ipv4_overlaps (guint32 a,
                      guint   a_prefix,
                      guint32 b,
                      guint   b_prefix)
{
  guint32 mask = prefix_mask (MIN (a_prefix, b_prefix));

  return (a & mask) == (b & mask);
}

/* --- networks ------------------------------------------------------------------- */

const char *
hangar_network_forward_to_string (HangarNetworkForward forward)
{
  switch (forward)
    {
    case HANGAR_NETWORK_FORWARD_NAT:
      return "nat";
    case HANGAR_NETWORK_FORWARD_ROUTE:
      return "route";
    case HANGAR_NETWORK_FORWARD_OPEN:
      return "open";
    case HANGAR_NETWORK_FORWARD_ISOLATED:
    default:
      return NULL;
    }
}

static gboolean
check_dhcp_address (const char        *text,
                    HangarHostError    field,
                    const HangarNetworkPlan *plan,
                    guint32           *address,
                    GError           **error)
{
  guint32 mask = prefix_mask (plan->prefix);
  g_autofree char *net = hangar_ipv4_format_address (plan->network);

  if (!hangar_ipv4_parse_address (text, address))
    {
      g_set_error (error, HANGAR_HOST_ERROR, field, _("“%s” is not an IPv4 address."), text);
      return FALSE;
    }
  if ((*address & mask) != plan->network)
    {
      g_set_error (error, HANGAR_HOST_ERROR, field,
                   _("%s is outside the network %s/%u."), text, net, plan->prefix);
      return FALSE;
    }
  if (*address == plan->network || *address == (plan->network | ~mask))
    {
      g_set_error (error, HANGAR_HOST_ERROR, field,
                   _("%s is the network's own or broadcast address; guests cannot use it."),
                   text);
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_network_spec_check:
 * @spec: the form's contents
 * @existing_names: (nullable): networks the host has
 * @existing_networks: (nullable): the host's IPv4 networks as "address/prefix",
 *   each optionally followed by a space and the network's name
 * @plan: (out caller-allocates) (optional): the checked addresses
 *
 * Checks every field of a new network; the error's code names the first
 * wrong field.
 */
gboolean
hangar_network_spec_check (const HangarNetworkSpec  *spec,
                           const char * const       *existing_names,
                           const char * const       *existing_networks,
                           HangarNetworkPlan        *plan,
                           GError                  **error)
{
  HangarNetworkPlan p = { 0 };
  guint32 address;
  guint32 mask;
  gboolean has_start, has_end;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!hangar_host_check_name (spec->name, existing_names, error))
    return FALSE;
  if (!hangar_ipv4_parse_cidr (spec->network, &address, &p.prefix, error))
    return FALSE;

  mask = prefix_mask (p.prefix);
  p.network = address & mask;
  if (address == p.network)
    p.gateway = p.network + 1;
  else if (address == (p.network | ~mask))
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK,
                           _("That is the network's broadcast address: give the network "
                             "address, or the address the host should have in it."));
      return FALSE;
    }
  else
    p.gateway = address;

  for (guint i = 0; existing_networks != NULL && existing_networks[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (existing_networks[i], " ", 2);
      guint32 other;
      guint other_prefix;

      if (!hangar_ipv4_parse_cidr (parts[0], &other, &other_prefix, NULL))
        continue;
      if (hangar_ipv4_overlaps (p.network, p.prefix, other, other_prefix))
        {
          g_autofree char *net = hangar_ipv4_format_address (p.network);

          if (parts[1] != NULL)
            g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK,
                         _("%s/%u overlaps the network “%s” (%s): choose another range."),
                         net, p.prefix, parts[1], parts[0]);
          else
            g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NETWORK,
                         _("%s/%u overlaps an existing network (%s): choose another range."),
                         net, p.prefix, parts[0]);
          return FALSE;
        }
    }

  has_start = spec->dhcp_start != NULL && spec->dhcp_start[0] != '\0';
  has_end = spec->dhcp_end != NULL && spec->dhcp_end[0] != '\0';
  if (has_start && !has_end)
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_DHCP_END,
                           _("Give the last address of the DHCP range too, or leave both empty."));
      return FALSE;
    }
  if (has_end && !has_start)
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_DHCP_START,
                           _("Give the first address of the DHCP range too, or leave both empty."));
      return FALSE;
    }
  if (has_start)
    {
      g_autofree char *gateway = hangar_ipv4_format_address (p.gateway);

      if (!check_dhcp_address (spec->dhcp_start, HANGAR_HOST_ERROR_DHCP_START, &p,
                               &p.dhcp_start, error)
          || !check_dhcp_address (spec->dhcp_end, HANGAR_HOST_ERROR_DHCP_END, &p,
                                  &p.dhcp_end, error))
        return FALSE;
      if (p.dhcp_start > p.dhcp_end)
        {
          g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_DHCP_END,
                       _("The range ends before it starts: %s comes after %s."),
                       spec->dhcp_start, spec->dhcp_end);
          return FALSE;
        }
      if (p.gateway >= p.dhcp_start && p.gateway <= p.dhcp_end)
        {
          g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_DHCP_START,
                       _("The range includes the host's own address %s: start after it "
                         "or end before it."), gateway);
          return FALSE;
        }
      p.dhcp = TRUE;
    }

  if (plan != NULL)
    *plan = p;
  return TRUE;
}

/**
 * hangar_network_spec_to_xml:
 *
 * The libvirt network definition for a checked spec. The bridge name is
 * left to libvirt, which picks a free virbrN.
 *
 * Returns: (transfer full): the XML
 */
char *
hangar_network_spec_to_xml (const HangarNetworkSpec *spec,
                            const HangarNetworkPlan *plan)
{
  g_autoptr(GString) xml = g_string_new ("<network>\n");
  const char *mode = hangar_network_forward_to_string (spec->forward);
  g_autofree char *gateway = hangar_ipv4_format_address (plan->gateway);
  g_autofree char *name = g_markup_escape_text (spec->name, -1);

  g_string_append_printf (xml, "  <name>%s</name>\n", name);
  if (mode != NULL)
    g_string_append_printf (xml, "  <forward mode='%s'/>\n", mode);
  g_string_append_printf (xml, "  <ip address='%s' prefix='%u'", gateway, plan->prefix);
  if (plan->dhcp)
    {
      g_autofree char *start = hangar_ipv4_format_address (plan->dhcp_start);
      g_autofree char *end = hangar_ipv4_format_address (plan->dhcp_end);

      g_string_append_printf (xml, ">\n    <dhcp>\n      <range start='%s' end='%s'/>\n"
                              "    </dhcp>\n  </ip>\n", start, end);
    }
  else
    g_string_append (xml, "/>\n");
  g_string_append (xml, "</network>\n");
  return g_string_free (g_steal_pointer (&xml), FALSE);
}

/* --- hardware virtualization ------------------------------------------------------ */

/**
 * hangar_virt_advise:
 * @facts: what could be found out about the host
 * @title: (out) (transfer full): one line for people
 * @advice: (out) (transfer full) (nullable): what to do, or %NULL when all is well
 *
 * Goes from the most basic need to the last: a processor that can, a
 * loaded kernel module, access to /dev/kvm, and libvirt offering KVM.
 */
HangarVirtVerdict
hangar_virt_advise (const HangarVirtFacts  *facts,
                    char                  **title,
                    char                  **advice)
{
  gboolean intel = facts->cpu_vmx == HANGAR_FACT_YES;
  gboolean amd = facts->cpu_svm == HANGAR_FACT_YES;
  const char *module = intel ? "kvm_intel" : amd ? "kvm_amd" : "kvm_intel or kvm_amd";

  g_return_val_if_fail (title != NULL && advice != NULL, HANGAR_VIRT_UNKNOWN);

  if (facts->kvm_in_libvirt == HANGAR_FACT_YES
      && !(facts->session && facts->kvm_usable == HANGAR_FACT_NO))
    {
      *title = g_strdup (_("Hardware virtualization works"));
      *advice = NULL;
      return HANGAR_VIRT_WORKS;
    }

  if (facts->local)
    {
      if (facts->cpu_vmx == HANGAR_FACT_NO && facts->cpu_svm == HANGAR_FACT_NO)
        {
          *title = g_strdup (_("The processor does not offer hardware virtualization"));
          *advice = g_strdup (_("Turn on Intel VT-x or AMD-V (sometimes called “SVM” or "
                                "“Virtualization Technology”) in the computer's firmware "
                                "(BIOS or UEFI) setup, then start the computer again. "
                                "Until then machines run without KVM, much more slowly."));
          return HANGAR_VIRT_NO_CPU_SUPPORT;
        }
      if (facts->kvm_device == HANGAR_FACT_NO)
        {
          *title = g_strdup (_("The KVM kernel module is not loaded"));
          *advice = g_strdup_printf (_("Load it with “sudo modprobe %s”. If it refuses to "
                                       "load, virtualization is turned off in the firmware: "
                                       "turn on VT-x or AMD-V in the BIOS or UEFI setup."),
                                     module);
          return HANGAR_VIRT_NO_MODULE;
        }
      if (facts->session && facts->kvm_usable == HANGAR_FACT_NO)
        {
          *title = g_strdup (_("You may not use /dev/kvm"));
          *advice = g_strdup (_("Join the “kvm” group with “sudo usermod -aG kvm $USER”, "
                                "then log out and in again."));
          return HANGAR_VIRT_NO_ACCESS;
        }
      if (facts->kvm_in_libvirt == HANGAR_FACT_NO)
        {
          *title = g_strdup (_("libvirt does not offer KVM"));
          *advice = g_strdup (_("/dev/kvm is there, but libvirt found no QEMU that can use "
                                "it. Install the QEMU system emulator (qemu-system-x86) and "
                                "restart libvirtd."));
          return HANGAR_VIRT_NOT_OFFERED;
        }
    }
  else if (facts->kvm_in_libvirt == HANGAR_FACT_NO)
    {
      if (facts->cpu_vmx == HANGAR_FACT_YES || facts->cpu_svm == HANGAR_FACT_YES)
        {
          *title = g_strdup (_("KVM is not available on this host"));
          *advice = g_strdup_printf (_("The processor supports virtualization. On the host, "
                                       "load the kernel module with “sudo modprobe %s”; if it "
                                       "refuses to load, turn on VT-x or AMD-V in the "
                                       "host's firmware setup."), module);
          return HANGAR_VIRT_NO_MODULE;
        }
      *title = g_strdup (_("KVM is not available on this host"));
      *advice = g_strdup (_("On the host, turn on VT-x or AMD-V in the firmware setup and "
                            "load the kvm_intel or kvm_amd kernel module."));
      return HANGAR_VIRT_NOT_OFFERED;
    }

  *title = g_strdup (_("Hardware virtualization: not known"));
  *advice = g_strdup (_("The host did not say whether it can run machines with KVM."));
  return HANGAR_VIRT_UNKNOWN;
}

double
hangar_host_cpu_percent (guint64 busy_before,
                         guint64 total_before,
                         guint64 busy_now,
                         guint64 total_now)
{
  double percent;

  if (total_now <= total_before || busy_now < busy_before)
    return 0.0;
  percent = 100.0 * (double) (busy_now - busy_before) / (double) (total_now - total_before);
  return CLAMP (percent, 0.0, 100.0);
}
