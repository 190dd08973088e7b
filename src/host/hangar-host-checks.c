/* hangar-host-checks.c — the host window's decisions, without GTK or libvirt:
 * form checks for networks, pools and volumes, and virtualization advice.
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

/* --- storage -------------------------------------------------------------------- */

/**
 * hangar_pool_check_path:
 * @path: the folder of a new directory pool
 * @local: whether the host is this machine, so the folder can be looked at
 */
gboolean
hangar_pool_check_path (const char  *path,
                        gboolean     local,
                        GError     **error)
{
  if (path == NULL || path[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH,
                           _("Give the folder the pool keeps its volumes in."));
      return FALSE;
    }
  if (!g_path_is_absolute (path))
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH,
                           _("Give the full path of the folder, starting with “/”."));
      return FALSE;
    }
  if (!local)
    return TRUE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH,
                   _("There is no folder %s: create it first, or turn on “Create the "
                     "folder”."), path);
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH,
                   _("%s is a file, not a folder."), path);
      return FALSE;
    }
  return TRUE;
}

/* No "." or ".." components: what the user reads is what the host uses. */
static gboolean
path_is_plain (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

/**
 * hangar_check_absolute_path:
 * @code: the #HangarHostError for the field the path is in
 *
 * A folder on the host or on a server: absolute, without "." or "..".
 */
gboolean
hangar_check_absolute_path (const char  *path,
                            int          code,
                            GError     **error)
{
  if (path == NULL || path[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, code,
                           _("Give the folder's full path, starting with “/”."));
      return FALSE;
    }
  if (path[0] != '/')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, code,
                           _("Give the full path of the folder, starting with “/”."));
      return FALSE;
    }
  if (!path_is_plain (path))
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, code,
                           _("Write the path without “.” or “..” in it."));
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_check_device_path:
 *
 * A block device such as /dev/sdb1 or /dev/disk/by-id/…: a path under /dev.
 */
gboolean
hangar_check_device_path (const char  *path,
                          GError     **error)
{
  if (path == NULL || path[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_DEVICE,
                           _("Give the device, such as /dev/sdb."));
      return FALSE;
    }
  if (!g_str_has_prefix (path, "/dev/") || path[5] == '\0' || path[5] == '/'
      || g_str_has_suffix (path, "/") || !path_is_plain (path))
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_DEVICE,
                   _("“%s” is not a device: give its path under /dev, such as /dev/sdb1."),
                   path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
dns_label_ok (const char *label)
{
  gsize length = strlen (label);

  if (length == 0 || length > 63 || label[0] == '-' || label[length - 1] == '-')
    return FALSE;
  for (const char *p = label; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/**
 * hangar_check_host_name:
 *
 * A server for a network pool: an IP address or a host name (international
 * names are allowed; they are checked in their ASCII form).
 */
gboolean
hangar_check_host_name (const char  *host,
                        GError     **error)
{
  g_autofree char *ascii = NULL;
  g_auto(GStrv) labels = NULL;
  gsize length;
  gboolean ok = TRUE;

  if (host == NULL || host[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_HOST,
                           _("Give the server's host name or IP address."));
      return FALSE;
    }
  if (g_hostname_is_ip_address (host))
    return TRUE;
  ascii = g_hostname_to_ascii (host);
  length = ascii ? strlen (ascii) : 0;
  /* One trailing dot is a fully qualified name. */
  if (length > 1 && ascii[length - 1] == '.')
    ascii[--length] = '\0';
  if (ascii == NULL || length == 0 || length > 253)
    ok = FALSE;
  else
    {
      labels = g_strsplit (ascii, ".", -1);
      for (guint i = 0; ok && labels[i] != NULL; i++)
        ok = dns_label_ok (labels[i]);
    }
  if (!ok)
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_HOST,
                   _("“%s” is neither a host name nor an IP address. Give only the "
                     "name, such as nas.example.com, without a port or a path."), host);
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_check_iqn:
 *
 * An iSCSI target name as RFC 3720 writes them: iqn.YYYY-MM.reversed.domain
 * with an optional ":identifier", or eui./naa. with hexadecimal digits.
 */
gboolean
hangar_check_iqn (const char  *iqn,
                  GError     **error)
{
  static const char pattern[] =
    "^(iqn\\.[0-9]{4}-(0[1-9]|1[0-2])"
    "\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
    "(:[a-z0-9.:-]+)?"
    "|eui\\.[0-9a-f]{16}"
    "|naa\\.[0-9a-f]{16}([0-9a-f]{16})?)$";

  if (iqn == NULL || iqn[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IQN,
                           _("Give the iSCSI target's name, such as "
                             "iqn.2023-01.com.example:storage."));
      return FALSE;
    }
  /* RFC 3720: at most 223 bytes. */
  if (strlen (iqn) > 223 || !g_regex_match_simple (pattern, iqn, G_REGEX_DOLLAR_ENDONLY, 0))
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IQN,
                   _("“%s” is not an iSCSI name. Names are in lower case and look like "
                     "iqn.2023-01.com.example:storage, or “eui.” or “naa.” followed by "
                     "hexadecimal digits."), iqn);
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_check_vg_name:
 *
 * An LVM volume group's name, by LVM's rules.
 */
gboolean
hangar_check_vg_name (const char  *name,
                      GError     **error)
{
  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_NAME,
                           _("Give the volume group's name."));
      return FALSE;
    }
  if (strlen (name) > 127)
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_NAME,
                           _("A volume group's name may be at most 127 characters long."));
      return FALSE;
    }
  if (name[0] == '-' || g_str_equal (name, ".") || g_str_equal (name, ".."))
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_NAME,
                           _("A volume group's name may not start with “-” or be “.” "
                             "or “..”."));
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("+_.-", *p) == NULL)
      {
        g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_NAME,
                             _("Use only letters, digits, “+”, “_”, “.” and “-” in a "
                               "volume group's name."));
        return FALSE;
      }
  return TRUE;
}

const char *
hangar_pool_type_to_string (HangarPoolType type)
{
  static const char * const names[HANGAR_N_POOL_TYPES] = {
    "dir", "fs", "netfs", "logical", "iscsi", "disk",
  };

  g_return_val_if_fail (type < HANGAR_N_POOL_TYPES, NULL);
  return names[type];
}

/**
 * hangar_pool_formats:
 *
 * Returns: (nullable): the formats libvirt knows for the type's source,
 *   "auto" (let mount find out) first, or %NULL when the type has none
 */
const char * const *
hangar_pool_formats (HangarPoolType type)
{
  static const char * const fs[] = {
    "auto", "ext4", "ext3", "ext2", "xfs", "vfat", "iso9660", "udf", NULL,
  };
  static const char * const netfs[] = { "auto", "nfs", "glusterfs", "cifs", NULL };

  if (type == HANGAR_POOL_FS)
    return fs;
  if (type == HANGAR_POOL_NETFS)
    return netfs;
  return NULL;
}

/**
 * hangar_pool_default_target:
 *
 * Returns: where a pool of this type keeps its volumes unless told; "" when
 *   the user must say
 */
const char *
hangar_pool_default_target (HangarPoolType type)
{
  switch (type)
    {
    case HANGAR_POOL_ISCSI:
      return "/dev/disk/by-path";
    case HANGAR_POOL_DISK:
      return "/dev";
    default:
      return "";
    }
}

/**
 * hangar_pool_can_build:
 *
 * Whether the form offers to build the pool: the other types either need
 * no building (iscsi) or only get their mount folder made (netfs).
 */
gboolean
hangar_pool_can_build (HangarPoolType type)
{
  return type == HANGAR_POOL_DIR || type == HANGAR_POOL_FS || type == HANGAR_POOL_LOGICAL
         || type == HANGAR_POOL_DISK;
}

/**
 * hangar_pool_spec_build:
 *
 * Mount folders are always made, as virt-manager does; anything that writes
 * to a device only when the user asked, and then only to an empty one.
 */
HangarPoolBuild
hangar_pool_spec_build (const HangarPoolSpec *spec)
{
  g_return_val_if_fail (spec != NULL, HANGAR_POOL_BUILD_NONE);

  switch (spec->type)
    {
    case HANGAR_POOL_DIR:
      return spec->build ? HANGAR_POOL_BUILD_FOLDER : HANGAR_POOL_BUILD_NONE;
    case HANGAR_POOL_FS:
      return spec->build ? HANGAR_POOL_BUILD_NEW : HANGAR_POOL_BUILD_FOLDER;
    case HANGAR_POOL_NETFS:
      return HANGAR_POOL_BUILD_FOLDER;
    case HANGAR_POOL_LOGICAL:
    case HANGAR_POOL_DISK:
      return spec->build ? HANGAR_POOL_BUILD_NEW : HANGAR_POOL_BUILD_NONE;
    case HANGAR_POOL_ISCSI:
    default:
      return HANGAR_POOL_BUILD_NONE;
    }
}

/**
 * hangar_pool_spec_devices:
 *
 * Returns: (transfer full): the devices typed, split at spaces and commas
 */
char **
hangar_pool_spec_devices (const HangarPoolSpec *spec)
{
  g_auto(GStrv) parts = g_strsplit_set (spec->devices ? spec->devices : "", " \t\n,", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

static gboolean
check_one_device (const HangarPoolSpec  *spec,
                  GError               **error)
{
  g_auto(GStrv) devices = hangar_pool_spec_devices (spec);

  if (devices[0] != NULL && devices[1] != NULL)
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_DEVICE,
                           _("Give one device."));
      return FALSE;
    }
  return hangar_check_device_path (devices[0], error);
}

static gboolean
check_format (const HangarPoolSpec  *spec,
              GError               **error)
{
  const char *format = spec->format && spec->format[0] ? spec->format : "auto";

  if (!g_strv_contains (hangar_pool_formats (spec->type), format))
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_FORMAT,
                   _("This kind of pool cannot use the format “%s”."), format);
      return FALSE;
    }
  if (spec->type == HANGAR_POOL_FS && spec->build && g_str_equal (format, "auto"))
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_FORMAT,
                           _("Choose the file system to make on the device."));
      return FALSE;
    }
  return TRUE;
}

/* NFS and Gluster export folders; Samba exports shares, named without "/". */
static gboolean
check_export (const HangarPoolSpec  *spec,
              GError               **error)
{
  const char *path = spec->source_path;

  if (g_strcmp0 (spec->format, "cifs") != 0)
    return hangar_check_absolute_path (path, HANGAR_HOST_ERROR_SOURCE_PATH, error);
  if (path == NULL || path[0] == '\0' || path[0] == '/' || !path_is_plain (path))
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_PATH,
                           _("Give the share's name, such as vms, without “/” in front."));
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_pool_spec_check:
 * @existing_names: (nullable): the host's pools
 * @local: whether the host is this machine, so a folder can be looked at
 *
 * Checks the fields the pool's type uses; the error's code names the field.
 */
gboolean
hangar_pool_spec_check (const HangarPoolSpec  *spec,
                        const char * const    *existing_names,
                        gboolean               local,
                        GError               **error)
{
  g_return_val_if_fail (spec != NULL, FALSE);

  if (!hangar_host_check_name (spec->name, existing_names, error))
    return FALSE;

  switch (spec->type)
    {
    case HANGAR_POOL_DIR:
      /* A folder that is not there is a typo, unless the user asked for it. */
      if (spec->build)
        return hangar_check_absolute_path (spec->target, HANGAR_HOST_ERROR_PATH, error);
      return hangar_pool_check_path (spec->target, local, error)
             && hangar_check_absolute_path (spec->target, HANGAR_HOST_ERROR_PATH, error);

    case HANGAR_POOL_FS:
      return check_one_device (spec, error)
             && check_format (spec, error)
             && hangar_check_absolute_path (spec->target, HANGAR_HOST_ERROR_PATH, error);

    case HANGAR_POOL_NETFS:
      return hangar_check_host_name (spec->source_host, error)
             && check_format (spec, error)
             && check_export (spec, error)
             && hangar_check_absolute_path (spec->target, HANGAR_HOST_ERROR_PATH, error);

    case HANGAR_POOL_LOGICAL:
      {
        g_auto(GStrv) devices = hangar_pool_spec_devices (spec);

        if (!hangar_check_vg_name (spec->source_name, error))
          return FALSE;
        if (spec->build && devices[0] == NULL)
          {
            g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_SOURCE_DEVICE,
                                 _("Give the devices to make the volume group from, such "
                                   "as /dev/sdb /dev/sdc."));
            return FALSE;
          }
        for (guint i = 0; devices[i] != NULL; i++)
          if (!hangar_check_device_path (devices[i], error))
            return FALSE;
        return TRUE;
      }

    case HANGAR_POOL_ISCSI:
      return hangar_check_host_name (spec->source_host, error)
             && hangar_check_iqn (spec->iqn, error)
             && hangar_check_absolute_path (spec->target, HANGAR_HOST_ERROR_PATH, error);

    case HANGAR_POOL_DISK:
      return check_one_device (spec, error)
             && hangar_check_absolute_path (spec->target, HANGAR_HOST_ERROR_PATH, error);

    default:
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NOT_SUPPORTED,
                           _("Hangar cannot create this kind of storage pool."));
      return FALSE;
    }
}

/**
 * hangar_parse_size:
 * @text: "20", "20G", "20 GiB", "512 MiB", "1.5T"; a bare number is GiB
 * @bytes: (out): the size
 */
gboolean
hangar_parse_size (const char  *text,
                   guint64     *bytes,
                   GError     **error)
{
  static const struct { const char *unit; guint shift; } units[] = {
    { "", 30 }, { "k", 10 }, { "kib", 10 }, { "m", 20 }, { "mib", 20 }, { "g", 30 },
    { "gib", 30 }, { "t", 40 }, { "tib", 40 },
  };
  g_autofree char *copy = NULL;
  char *end = NULL;
  double value;

  if (text == NULL || g_strstrip (copy = g_strdup (text))[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_CAPACITY,
                           _("Give the size, such as 20 GiB."));
      return FALSE;
    }
  if (!g_ascii_isdigit (copy[0]))
    end = copy;
  else
    value = g_ascii_strtod (copy, &end);
  if (end == copy)
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_CAPACITY,
                   _("“%s” is not a size: write a number and a unit, such as 20 GiB."), text);
      return FALSE;
    }
  while (*end == ' ')
    end++;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (end, units[i].unit) == 0)
      {
        double size = value * (double) (G_GUINT64_CONSTANT (1) << units[i].shift);

        if (size < 1024 * 1024)
          {
            g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_CAPACITY,
                                 _("The size must be at least 1 MiB."));
            return FALSE;
          }
        if (size > (double) (G_GUINT64_CONSTANT (1) << 50))
          {
            g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_CAPACITY,
                                 _("The size may be at most 1024 TiB."));
            return FALSE;
          }
        *bytes = (guint64) size;
        return TRUE;
      }
  g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_CAPACITY,
               _("“%s” is not a unit: use MiB, GiB or TiB."), end);
  return FALSE;
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
