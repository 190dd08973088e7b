/* hangar-tree-download.c — what a network install may fetch.
 *
 * A tree's .treeinfo and its redirects come from the server (or from
 * whoever sits on the path of an http:// tree): they must not move the
 * installer kernel to another host or to plaintext, nor out of the tree
 * the user chose (review finding M2). Pure decisions, no network, so
 * they are unit-tested alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-tree-download.h"

static int
default_port (const char *scheme)
{
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return 443;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    return 80;
  if (g_ascii_strcasecmp (scheme, "ftp") == 0)
    return 21;
  return -1;
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  return port > 0 ? port : default_port (g_uri_get_scheme (uri));
}

/**
 * hangar_tree_download_same_origin:
 * @tree_url: the tree the user chose
 * @url: an address to fetch: a redirect's target, a kernel's address
 *
 * Whether @url has the tree's scheme, host and port. A redirect from
 * https to http (a downgrade) or to another host is refused: the user
 * trusted one server, and TLS only vouches for that one.
 *
 * Returns: %TRUE when it does; %FALSE with @error
 *   (%G_IO_ERROR_PERMISSION_DENIED) set otherwise
 */
gboolean
hangar_tree_download_same_origin (const char  *tree_url,
                                  const char  *url,
                                  GError     **error)
{
  g_autoptr(GUri) tree = NULL;
  g_autoptr(GUri) target = NULL;
  const char *tree_host, *target_host;

  g_return_val_if_fail (tree_url != NULL, FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  tree = g_uri_parse (tree_url, G_URI_FLAGS_ENCODED, NULL);
  target = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (tree == NULL || target == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("“%s” is not a valid address."), tree == NULL ? tree_url : url);
      return FALSE;
    }
  tree_host = g_uri_get_host (tree);
  target_host = g_uri_get_host (target);
  if (g_ascii_strcasecmp (g_uri_get_scheme (tree), g_uri_get_scheme (target)) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("%s is not fetched: it is not %s like the tree’s address %s."),
                   url, g_uri_get_scheme (tree), tree_url);
      return FALSE;
    }
  if (tree_host == NULL || target_host == NULL
      || g_ascii_strcasecmp (tree_host, target_host) != 0
      || effective_port (tree) != effective_port (target))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("%s is not fetched: it is on another server than the tree %s."),
                   url, tree_url);
      return FALSE;
    }
  return TRUE;
}

/* The path, decoded; NULL when it holds an invalid escape or a NUL. */
static char *
decoded_path (GUri *uri)
{
  return g_uri_unescape_string (g_uri_get_path (uri), NULL);
}

/**
 * hangar_tree_download_inside_tree:
 * @tree_url: the tree's root
 * @url: a file's address as resolved from the tree's .treeinfo
 *
 * Whether @url is under @tree_url: the same origin
 * (hangar_tree_download_same_origin()) and a path below the tree's root
 * with no `.` or `..` step left in it (not even percent-encoded, which a
 * server may decode after the check).
 *
 * Returns: %TRUE when it is; %FALSE with @error
 *   (%G_IO_ERROR_PERMISSION_DENIED) set otherwise
 */
gboolean
hangar_tree_download_inside_tree (const char  *tree_url,
                                  const char  *url,
                                  GError     **error)
{
  g_autoptr(GUri) tree = NULL;
  g_autoptr(GUri) target = NULL;
  g_autofree char *tree_path = NULL;
  g_autofree char *target_path = NULL;
  g_auto(GStrv) steps = NULL;
  gsize root_len;

  g_return_val_if_fail (tree_url != NULL, FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  if (!hangar_tree_download_same_origin (tree_url, url, error))
    return FALSE;
  tree = g_uri_parse (tree_url, G_URI_FLAGS_ENCODED, NULL);
  target = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  tree_path = decoded_path (tree);
  target_path = decoded_path (target);
  if (tree_path == NULL || target_path == NULL)
    goto outside;

  /* The tree's root is a folder, whether or not its address ends in /. */
  root_len = strlen (tree_path);
  while (root_len > 0 && tree_path[root_len - 1] == '/')
    root_len--;
  if (strncmp (target_path, tree_path, root_len) != 0 || target_path[root_len] != '/')
    goto outside;

  steps = g_strsplit (target_path + root_len, "/", -1);
  for (guint i = 0; steps[i] != NULL; i++)
    if (strcmp (steps[i], ".") == 0 || strcmp (steps[i], "..") == 0)
      goto outside;
  return TRUE;

outside:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
               _("%s is not fetched: it is outside the tree %s."), url, tree_url);
  return FALSE;
}

/**
 * hangar_treeinfo_parse_checksum:
 * @value: a `[checksums]` value from a .treeinfo, such as `sha256:0a1b…`
 * @type: (out): the algorithm
 * @hex: (out) (transfer full): the digest in lower-case hex
 *
 * Returns: %TRUE when @value names an algorithm GLib computes and a digest
 *   of its length; %FALSE with @error (%G_IO_ERROR_INVALID_DATA) set
 *   otherwise
 */
gboolean
hangar_treeinfo_parse_checksum (const char     *value,
                                GChecksumType  *type,
                                char          **hex,
                                GError        **error)
{
  static const struct { const char *name; GChecksumType type; } algorithms[] = {
    { "md5", G_CHECKSUM_MD5 },
    { "sha1", G_CHECKSUM_SHA1 },
    { "sha256", G_CHECKSUM_SHA256 },
    { "sha384", G_CHECKSUM_SHA384 },
    { "sha512", G_CHECKSUM_SHA512 },
  };
  g_autofree char *copy = NULL;
  const char *digest;
  char *colon;
  gsize len;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);
  g_return_val_if_fail (hex != NULL, FALSE);

  copy = g_strstrip (g_strdup (value));
  if ((colon = strchr (copy, ':')) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The checksum “%s” names no algorithm."), value);
      return FALSE;
    }
  *colon = '\0';
  digest = colon + 1;
  len = strlen (digest);
  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    {
      if (g_ascii_strcasecmp (g_strstrip (copy), algorithms[i].name) != 0)
        continue;
      if (len != (gsize) g_checksum_type_get_length (algorithms[i].type) * 2
          || strspn (digest, "0123456789abcdefABCDEF") != len)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The checksum “%s” is not a valid %s digest."), value,
                       algorithms[i].name);
          return FALSE;
        }
      *type = algorithms[i].type;
      *hex = g_ascii_strdown (digest, -1);
      return TRUE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The checksum “%s” uses an algorithm Hangar cannot check."), value);
  return FALSE;
}

/**
 * hangar_treeinfo_find_checksum:
 * @treeinfo: the text of a .treeinfo
 * @path: a file's path in the tree, as its `[images-ARCH]` section names it
 * @type: (out): the algorithm
 * @hex: (out) (transfer full): the expected digest in lower-case hex
 *
 * Looks @path up in the `[checksums]` section
 * (`images/pxeboot/vmlinuz = sha256:HEX`). libosinfo reads the rest of the
 * file but not this section.
 *
 * Returns: %TRUE with a digest to check; %FALSE without @error when the
 *   tree lists none for @path; %FALSE with @error set when the file is
 *   not a key file or its entry for @path cannot be checked
 */
gboolean
hangar_treeinfo_find_checksum (const char     *treeinfo,
                               gsize           length,
                               const char     *path,
                               GChecksumType  *type,
                               char          **hex,
                               GError        **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = NULL;
  const char *key = path;

  g_return_val_if_fail (treeinfo != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_data (keyfile, treeinfo, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The tree’s .treeinfo could not be read: %s"), local_error->message);
      return FALSE;
    }
  /* The checksums name paths from the tree's root, as the images do;
   * tolerate a leading "./" or "/" on either side. */
  while (g_str_has_prefix (key, "./") || key[0] == '/')
    key += key[0] == '/' ? 1 : 2;
  value = g_key_file_get_value (keyfile, "checksums", key, NULL);
  if (value == NULL)
    {
      g_autofree char *dotted = g_strconcat ("./", key, NULL);
      g_autofree char *rooted = g_strconcat ("/", key, NULL);

      value = g_key_file_get_value (keyfile, "checksums", dotted, NULL);
      if (value == NULL)
        value = g_key_file_get_value (keyfile, "checksums", rooted, NULL);
    }
  if (value == NULL)
    return FALSE;
  return hangar_treeinfo_parse_checksum (value, type, hex, error);
}
