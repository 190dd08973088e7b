/* hangar-os.c — libosinfo for the wizard: the database, search, generic
 * fallbacks and detection from install media and trees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-os.h"
#include "hangar-tree-download.h"

G_DEFINE_QUARK (hangar-os-error-quark, hangar_os_error)

/**
 * hangar_os_load_db:
 * @path: (nullable): a directory laid out like /usr/share/osinfo, or %NULL
 *   for the system's and the user's databases
 *
 * Returns: (transfer full): the database
 */
OsinfoDb *
hangar_os_load_db (const char  *path,
                   GError     **error)
{
  g_autoptr(OsinfoLoader) loader = osinfo_loader_new ();
  g_autoptr(GError) local_error = NULL;

  if (path != NULL)
    osinfo_loader_process_path (loader, path, &local_error);
  else
    osinfo_loader_process_default_path (loader, &local_error);

  if (local_error != NULL)
    {
      g_set_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_DATABASE,
                   _("The operating system database could not be read: %s"),
                   local_error->message);
      return NULL;
    }

  return g_object_ref (osinfo_loader_get_db (loader));
}

/**
 * hangar_os_get_db:
 *
 * The system's database, read once per process (from any thread) and
 * kept. Reading takes a few hundred milliseconds: call this from a worker
 * the first time.
 *
 * Returns: (transfer none): the database
 */
OsinfoDb *
hangar_os_get_db (GError **error)
{
  static GMutex lock;
  static OsinfoDb *db;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  if (db == NULL)
    db = hangar_os_load_db (NULL, error);
  return db;
}

/**
 * hangar_os_find:
 * @short_id: such as "fedora37"
 *
 * Returns: (transfer none) (nullable): the OS
 */
OsinfoOs *
hangar_os_find (OsinfoDb   *db,
                const char *short_id)
{
  OsinfoOsList *all;

  g_return_val_if_fail (OSINFO_IS_DB (db), NULL);
  g_return_val_if_fail (short_id != NULL, NULL);

  all = osinfo_db_get_os_list (db);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (all)); i++)
    {
      OsinfoProduct *os = OSINFO_PRODUCT (osinfo_list_get_nth (OSINFO_LIST (all), i));
      g_autoptr(GList) ids = osinfo_product_get_short_id_list (os);

      for (GList *l = ids; l != NULL; l = l->next)
        if (g_str_equal (l->data, short_id))
          {
            g_object_unref (all);
            return OSINFO_OS (os);
          }
    }
  g_object_unref (all);
  return NULL;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  OsinfoProduct *pa = *(OsinfoProduct **) a;
  OsinfoProduct *pb = *(OsinfoProduct **) b;
  const char *da = osinfo_product_get_release_date_string (pa);
  const char *db = osinfo_product_get_release_date_string (pb);
  int cmp = g_strcmp0 (db, da);

  if (cmp != 0)
    return cmp;
  return g_strcmp0 (osinfo_product_get_name (pa), osinfo_product_get_name (pb));
}

/**
 * hangar_os_search:
 * @text: what the user typed, such as "windows 11" or "fedora"
 * @max_results: at most this many, 0 for all
 *
 * Systems whose name or short id contains every word of @text, ignoring
 * case, newest first. "Debian 12" finds nothing in osinfo-db 20221203;
 * the wizard then offers hangar_os_find_generic().
 *
 * Returns: (transfer container) (element-type OsinfoOs): the matches
 */
GPtrArray *
hangar_os_search (OsinfoDb   *db,
                  const char *text,
                  guint       max_results)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) words = NULL;
  g_autofree char *folded = NULL;
  OsinfoOsList *all;

  g_return_val_if_fail (OSINFO_IS_DB (db), NULL);

  folded = g_utf8_casefold (text ? text : "", -1);
  words = g_strsplit_set (g_strstrip (folded), " \t", -1);
  if (words[0] == NULL || words[0][0] == '\0')
    return g_steal_pointer (&matches);

  all = osinfo_db_get_os_list (db);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (all)); i++)
    {
      OsinfoProduct *os = OSINFO_PRODUCT (osinfo_list_get_nth (OSINFO_LIST (all), i));
      g_autofree char *haystack = NULL;
      g_autofree char *raw = g_strdup_printf ("%s %s", osinfo_product_get_name (os),
                                              osinfo_product_get_short_id (os));
      gboolean all_found = TRUE;

      haystack = g_utf8_casefold (raw, -1);
      for (guint w = 0; words[w] != NULL && all_found; w++)
        if (words[w][0] != '\0' && strstr (haystack, words[w]) == NULL)
          all_found = FALSE;
      if (all_found)
        g_ptr_array_add (matches, g_object_ref (os));
    }
  g_object_unref (all);

  g_ptr_array_sort (matches, compare_newest_first);
  if (max_results > 0 && matches->len > max_results)
    g_ptr_array_set_size (matches, max_results);
  return g_steal_pointer (&matches);
}

/**
 * hangar_os_find_generic:
 * @family: "linux" is the one libosinfo has generic entries for
 *
 * The newest generic entry of @family ("linux2022" in osinfo-db
 * 20221203): what a current Linux the database does not know yet, such as
 * Debian 12, is best described as.
 *
 * Returns: (transfer none) (nullable): the OS
 */
OsinfoOs *
hangar_os_find_generic (OsinfoDb   *db,
                        const char *family)
{
  OsinfoOs *best = NULL;
  const char *best_id = NULL;
  OsinfoOsList *all;
  gsize prefix_len;

  g_return_val_if_fail (OSINFO_IS_DB (db), NULL);
  g_return_val_if_fail (family != NULL, NULL);

  prefix_len = strlen (family);
  all = osinfo_db_get_os_list (db);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (all)); i++)
    {
      OsinfoOs *os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (all), i));
      const char *id = osinfo_product_get_short_id (OSINFO_PRODUCT (os));
      const char *year;

      if (id == NULL || !g_str_has_prefix (id, family))
        continue;
      year = id + prefix_len;
      if (strlen (year) != 4 || strspn (year, "0123456789") != 4)
        continue;
      if (best_id == NULL || strcmp (id, best_id) > 0)
        {
          best = os;
          best_id = id;
        }
    }
  g_object_unref (all);
  return best;
}

/**
 * hangar_os_name_for_id:
 * @db: (nullable): the database
 * @id: (nullable): a libosinfo id, such as "http://debian.org/debian/11"
 *
 * What to call the system @id in a sentence. The database's name when it
 * knows @id; otherwise a name made like its siblings': a machine made
 * with a newer osinfo-db says "http://debian.org/debian/12", which
 * osinfo-db 20221203 does not know, but its "http://debian.org/debian/11"
 * is "Debian 11", so this is "Debian 12". Without siblings, the id's last
 * two parts ("Debian 12"); the id itself when it has no such shape.
 *
 * Returns: (transfer full) (nullable): the name, %NULL for a %NULL @id
 */
char *
hangar_os_name_for_id (OsinfoDb   *db,
                       const char *id)
{
  g_autofree char *prefix = NULL;
  g_autofree char *family = NULL;
  const char *version;
  const char *start;
  OsinfoOs *os;

  if (id == NULL || *id == '\0')
    return NULL;
  if (db != NULL && (os = osinfo_db_get_os (db, id)) != NULL)
    return g_strdup (osinfo_product_get_name (OSINFO_PRODUCT (os)));

  version = strrchr (id, '/');
  if (version == NULL || version[1] == '\0' || version == id)
    return g_strdup (id);
  version++;
  prefix = g_strndup (id, version - id);

  if (db != NULL)
    {
      OsinfoOsList *all = osinfo_db_get_os_list (db);
      OsinfoProduct *best = NULL;
      const char *best_date = NULL;

      /* The newest sibling: Fedora 20 was "Fedora 20", Fedora 37 is
       * "Fedora Linux 37". */
      for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (all)); i++)
        {
          OsinfoProduct *sibling = OSINFO_PRODUCT (osinfo_list_get_nth (OSINFO_LIST (all), i));
          const char *sibling_id = osinfo_entity_get_id (OSINFO_ENTITY (sibling));
          const char *sibling_name = osinfo_product_get_name (sibling);
          const char *sibling_version = osinfo_product_get_version (sibling);
          const char *date = osinfo_product_get_release_date_string (sibling);

          if (sibling_id == NULL || sibling_name == NULL || sibling_version == NULL
              || !g_str_has_prefix (sibling_id, prefix)
              || strchr (sibling_id + strlen (prefix), '/') != NULL
              || !g_str_has_suffix (sibling_name, sibling_version)
              || strlen (sibling_name) <= strlen (sibling_version))
            continue;
          if (best == NULL || g_strcmp0 (date ? date : "", best_date ? best_date : "") > 0)
            {
              best = sibling;
              best_date = date;
            }
        }
      if (best != NULL)
        {
          const char *best_name = osinfo_product_get_name (best);
          char *name = g_strdup_printf ("%.*s%s",
                                        (int) (strlen (best_name)
                                               - strlen (osinfo_product_get_version (best))),
                                        best_name, version);

          g_object_unref (all);
          return name;
        }
      g_object_unref (all);
    }

  /* "http://example.org/family/version": "Family version". */
  start = version - 1;
  while (start > id && start[-1] != '/')
    start--;
  family = g_strndup (start, version - 1 - start);
  if (*family == '\0' || strchr (family, '.') != NULL)
    return g_strdup (id);
  family[0] = g_ascii_toupper (family[0]);
  return g_strdup_printf ("%s %s", family, version);
}

/**
 * hangar_os_identify_iso:
 * @path: an ISO file or a drive
 *
 * Reads the media's volume descriptors and matches them against the
 * database. Blocks on I/O: run it in a worker.
 *
 * Returns: (transfer full) (nullable): the OS, or %NULL without an error
 *   when the media is fine but unknown (Debian 12 with osinfo-db
 *   20221203), or %NULL with @error set when it cannot be read or does
 *   not boot
 */
OsinfoOs *
hangar_os_identify_iso (OsinfoDb      *db,
                        const char    *path,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(OsinfoMedia) media = NULL;
  g_autoptr(GError) local_error = NULL;
  OsinfoOs *os;

  g_return_val_if_fail (OSINFO_IS_DB (db), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  media = osinfo_media_create_from_location (path, cancellable, &local_error);
  if (media == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, OSINFO_MEDIA_ERROR, OSINFO_MEDIA_ERROR_NOT_BOOTABLE))
        g_set_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NOT_BOOTABLE,
                     _("“%s” cannot start a computer: it is not bootable install media."),
                     path);
      else
        g_set_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NOT_BOOTABLE,
                     _("“%s” could not be read as install media: %s"), path,
                     local_error->message);
      return NULL;
    }

  if (!osinfo_db_identify_media (db, media))
    return NULL;
  os = osinfo_media_get_os (media);
  return os;
}

/**
 * hangar_os_identify_tree:
 * @url: the root of a distribution tree (http, https or ftp)
 *
 * Downloads the tree's .treeinfo (or treeinfo) and matches it against the
 * database. Blocks on the network: run it in a worker.
 *
 * Returns: (transfer full) (nullable): the tree, with its OS
 *   (osinfo_tree_get_os(), %NULL when unknown) and the kernel and initrd
 *   paths relative to @url; %NULL with @error set when @url does not
 *   answer or holds no installable tree
 */
OsinfoTree *
hangar_os_identify_tree (OsinfoDb      *db,
                         const char    *url,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(OsinfoTree) tree = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (OSINFO_IS_DB (db), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  tree = osinfo_tree_create_from_location (url, cancellable, &local_error);
  if (tree == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE,
                     _("No installable tree was found at %s: %s"), url, local_error->message);
      return NULL;
    }

  if (!hangar_os_tree_prepare (db, tree, url, error))
    return NULL;
  return g_steal_pointer (&tree);
}

/**
 * hangar_os_tree_prepare:
 * @db: (nullable): the database to match the tree against, or %NULL to
 *   leave its OS unknown
 * @tree: a tree as read from @url's .treeinfo
 * @url: the root of the tree
 *
 * Checks what a server said in its .treeinfo: a kernel and an initrd, at
 * paths that make addresses inside @url (a crafted path such as `%zz`
 * makes none, review finding M3). The network is not touched, so tests
 * and a fuzz target feed it osinfo_tree_create_from_treeinfo() output.
 *
 * Returns: %TRUE when @tree can be installed from, with its OS matched;
 *   %FALSE with @error (%HANGAR_OS_ERROR_NO_TREE) set otherwise
 */
gboolean
hangar_os_tree_prepare (OsinfoDb    *db,
                        OsinfoTree  *tree,
                        const char  *url,
                        GError     **error)
{
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;

  g_return_val_if_fail (db == NULL || OSINFO_IS_DB (db), FALSE);
  g_return_val_if_fail (OSINFO_IS_TREE (tree), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  if (osinfo_tree_get_kernel_path (tree) == NULL || osinfo_tree_get_initrd_path (tree) == NULL)
    {
      g_set_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE,
                   _("The tree at %s has no installer kernel for this architecture."), url);
      return FALSE;
    }

  /* Matching fills the tree in from the database's copy, URL included:
   * keep what this server said, so the kernel comes from where the user
   * pointed, not from the distribution's mirror. */
  kernel = g_strdup (osinfo_tree_get_kernel_path (tree));
  initrd = g_strdup (osinfo_tree_get_initrd_path (tree));
  if (db != NULL)
    osinfo_db_identify_tree (db, tree);
  osinfo_entity_set_param (OSINFO_ENTITY (tree), OSINFO_TREE_PROP_URL, url);
  osinfo_entity_set_param (OSINFO_ENTITY (tree), OSINFO_TREE_PROP_KERNEL, kernel);
  osinfo_entity_set_param (OSINFO_ENTITY (tree), OSINFO_TREE_PROP_INITRD, initrd);

  /* Refused here, where the wizard can still say so next to the address,
   * rather than when the machine is being made. */
  {
    g_autofree char *kernel_url = hangar_os_tree_resolve (tree, kernel, error);
    g_autofree char *initrd_url = NULL;

    if (kernel_url == NULL)
      return FALSE;
    initrd_url = hangar_os_tree_resolve (tree, initrd, error);
    if (initrd_url == NULL)
      return FALSE;
  }
  return TRUE;
}

/**
 * hangar_os_tree_resolve:
 * @relative_path: such as osinfo_tree_get_kernel_path(); from the server
 *
 * Returns: (transfer full) (nullable): the URL of @relative_path inside
 *   @tree, or %NULL with @error (%HANGAR_OS_ERROR_NO_TREE) set when the
 *   path makes no valid address
 */
char *
hangar_os_tree_resolve (OsinfoTree  *tree,
                        const char  *relative_path,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base_dir = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *base;
  char *resolved;

  g_return_val_if_fail (OSINFO_IS_TREE (tree), NULL);
  g_return_val_if_fail (relative_path != NULL, NULL);

  base = osinfo_tree_get_url (tree);
  if (base == NULL)
    {
      g_set_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE,
                   _("The tree has no address to find “%s” in."), relative_path);
      return NULL;
    }
  base_dir = g_str_has_suffix (base, "/") ? g_strdup (base) : g_strconcat (base, "/", NULL);
  /* Resolved to a GUri first, not with g_uri_resolve_relative(): a
   * reference such as "http:/..//host/k" resolves to an address with no
   * host whose path starts with "//", which GLib 2.74 cannot turn back
   * into a string (it fails an assertion; found by fuzz-treeinfo). Such
   * an address names no file inside the tree either. */
  uri = g_uri_parse_relative (NULL, base_dir, G_URI_FLAGS_NONE, &local_error);
  if (uri != NULL)
    {
      g_autoptr(GUri) base_uri = g_steal_pointer (&uri);

      uri = g_uri_parse_relative (base_uri, relative_path, G_URI_FLAGS_NONE, &local_error);
      if (uri != NULL && g_uri_get_host (uri) == NULL
          && g_str_has_prefix (g_uri_get_path (uri), "//"))
        {
          g_set_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE,
                       _("The tree at %s names a file “%s” outside the tree: it is not downloaded."),
                       base, relative_path);
          return NULL;
        }
    }
  resolved = uri != NULL ? g_uri_to_string (uri) : NULL;
  if (resolved == NULL)
    {
      g_set_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE,
                   _("The tree at %s names a file “%s” that is not a valid address: %s"),
                   base, relative_path, local_error != NULL ? local_error->message : "?");
      return NULL;
    }
  /* g_uri_resolve_relative() takes absolute addresses (http://other/k,
   * //other/k) and `..` above the root as well: the server's .treeinfo
   * would then choose another host or plaintext (review finding M2). */
  if (!hangar_tree_download_inside_tree (base_dir, resolved, &local_error))
    {
      g_set_error (error, HANGAR_OS_ERROR, HANGAR_OS_ERROR_NO_TREE,
                   _("The tree at %s names a file “%s” outside the tree: it is not downloaded."),
                   base, relative_path);
      g_free (resolved);
      return NULL;
    }
  return resolved;
}
