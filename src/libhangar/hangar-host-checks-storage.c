/* hangar-host-checks-storage.c — the storage forms' checks, without GTK or libvirt:
 * pool types and their fields (folders, devices, host names, iSCSI names,
 * volume groups), and volume sizes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hangar-host-checks.h"

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
