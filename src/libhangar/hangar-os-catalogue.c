/* hangar-os-catalogue.c — what libosinfo knows how to download.
 *
 * Every OS in the database whose install media (osinfo_media_get_url) or
 * disk images (osinfo_image_get_url) have a URL, for one architecture,
 * grouped by distribution with the newest release of each first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-os-catalogue.h"

G_DEFINE_BOXED_TYPE (HangarOsDownload, hangar_os_download,
                     hangar_os_download_copy, hangar_os_download_free)

HangarOsDownload *
hangar_os_download_copy (const HangarOsDownload *download)
{
  HangarOsDownload *copy;

  g_return_val_if_fail (download != NULL, NULL);

  copy = g_new0 (HangarOsDownload, 1);
  copy->os = download->os != NULL ? g_object_ref (download->os) : NULL;
  copy->os_id = g_strdup (download->os_id);
  copy->short_id = g_strdup (download->short_id);
  copy->name = g_strdup (download->name);
  copy->distro = g_strdup (download->distro);
  copy->version = g_strdup (download->version);
  copy->release_date = g_strdup (download->release_date);
  copy->variant = g_strdup (download->variant);
  copy->url = g_strdup (download->url);
  copy->arch = g_strdup (download->arch);
  copy->format = g_strdup (download->format);
  copy->kind = download->kind;
  copy->newest = download->newest;
  return copy;
}

void
hangar_os_download_free (HangarOsDownload *download)
{
  if (download == NULL)
    return;
  g_clear_object (&download->os);
  g_free (download->os_id);
  g_free (download->short_id);
  g_free (download->name);
  g_free (download->distro);
  g_free (download->version);
  g_free (download->release_date);
  g_free (download->variant);
  g_free (download->url);
  g_free (download->arch);
  g_free (download->format);
  g_free (download);
}

/**
 * hangar_os_download_kind_label:
 *
 * Returns: what the entry is, for people: "Installer ISO", "Live ISO", …
 */
const char *
hangar_os_download_kind_label (HangarOsDownloadKind kind)
{
  switch (kind)
    {
    case HANGAR_OS_DOWNLOAD_INSTALLER:
      return _("Installer ISO");
    case HANGAR_OS_DOWNLOAD_LIVE:
      return _("Live ISO");
    case HANGAR_OS_DOWNLOAD_CLOUD_IMAGE:
      return _("Cloud image");
    case HANGAR_OS_DOWNLOAD_DISK_IMAGE:
      return _("Disk image");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * hangar_os_download_file_name:
 *
 * The last part of the URL's path, safe as a file or volume name: no
 * slash, no leading dot. Falls back to the short id.
 *
 * Returns: (transfer full): a file name such as "debian-11.5.0-amd64-netinst.iso"
 */
char *
hangar_os_download_file_name (const HangarOsDownload *download)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *base = NULL;
  const char *path;
  const char *slash;

  g_return_val_if_fail (download != NULL, NULL);

  uri = g_uri_parse (download->url, G_URI_FLAGS_NONE, NULL);
  path = uri != NULL ? g_uri_get_path (uri) : NULL;
  if (path != NULL)
    {
      slash = strrchr (path, '/');
      base = g_uri_unescape_string (slash != NULL ? slash + 1 : path, "/");
    }

  if (base != NULL)
    for (char *p = base; *p != '\0'; p++)
      if (*p == '\\' || g_ascii_iscntrl (*p))
        *p = '_';

  if (base == NULL || base[0] == '\0' || base[0] == '.' || !g_utf8_validate (base, -1, NULL))
    {
      g_free (base);
      base = g_strdup_printf ("%s-%s.%s",
                              download->short_id != NULL ? download->short_id : "os",
                              download->arch != NULL ? download->arch : "any",
                              download->format != NULL ? download->format : "iso");
    }
  return g_steal_pointer (&base);
}

/**
 * hangar_os_download_is_cloud_qcow2:
 *
 * Whether @download is a cloud image whose file is a qcow2 image as it
 * is (not an archive of one): what the wizard's Cloud image source takes
 * straight from a download.
 */
gboolean
hangar_os_download_is_cloud_qcow2 (const HangarOsDownload *download)
{
  static const char *const packed[] = { ".xz", ".gz", ".bz2", ".zst", ".zip", ".tar", NULL };
  g_autofree char *name = NULL;

  g_return_val_if_fail (download != NULL, FALSE);

  if (download->kind != HANGAR_OS_DOWNLOAD_CLOUD_IMAGE || g_strcmp0 (download->format, "qcow2") != 0)
    return FALSE;
  name = hangar_os_download_file_name (download);
  for (guint i = 0; packed[i] != NULL; i++)
    if (g_str_has_suffix (name, packed[i]))
      return FALSE;
  return TRUE;
}

static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

/**
 * hangar_os_download_matches:
 * @text: what the user typed, such as "fedora work"
 *
 * Whether every word of @text is in the entry's name, short id, variant
 * or kind, ignoring case. Empty text matches everything.
 */
gboolean
hangar_os_download_matches (const HangarOsDownload *download,
                            const char             *text)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (download != NULL, FALSE);

  if (text == NULL)
    return TRUE;
  folded = g_utf8_casefold (text, -1);
  words = g_strsplit_set (folded, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (!contains_folded (download->name, words[i])
          && !contains_folded (download->short_id, words[i])
          && !contains_folded (download->variant, words[i])
          && !contains_folded (hangar_os_download_kind_label (download->kind), words[i]))
        return FALSE;
    }
  return TRUE;
}

static char *
first_variant_name (OsinfoMedia *media)
{
  g_autoptr(OsinfoOsVariantList) variants = osinfo_media_get_os_variants (media);

  if (variants == NULL || osinfo_list_get_length (OSINFO_LIST (variants)) == 0)
    return NULL;
  return g_strdup (osinfo_os_variant_get_name (
      OSINFO_OS_VARIANT (osinfo_list_get_nth (OSINFO_LIST (variants), 0))));
}

static HangarOsDownload *
download_new (OsinfoOs   *os,
              const char *url,
              const char *arch)
{
  OsinfoProduct *product = OSINFO_PRODUCT (os);
  HangarOsDownload *download = g_new0 (HangarOsDownload, 1);

  download->os = g_object_ref (os);
  download->os_id = g_strdup (osinfo_entity_get_id (OSINFO_ENTITY (os)));
  download->short_id = g_strdup (osinfo_product_get_short_id (product));
  download->name = g_strdup (osinfo_product_get_name (product));
  download->distro = g_strdup (osinfo_os_get_distro (os));
  if (download->distro == NULL)
    download->distro = g_strdup (osinfo_os_get_family (os));
  download->version = g_strdup (osinfo_product_get_version (product));
  download->release_date = g_strdup (osinfo_product_get_release_date_string (product));
  download->url = g_strdup (url);
  download->arch = g_strdup (arch);
  return download;
}

static gboolean
arch_matches (const char *have,
              const char *want)
{
  return g_strcmp0 (have, want) == 0 || g_strcmp0 (have, "all") == 0;
}

/* Only what the downloader can fetch: the database also lists container
 * disks (docker://). */
static gboolean
downloadable (const char *url)
{
  return url != NULL
         && (g_ascii_strncasecmp (url, "https://", 8) == 0
             || g_ascii_strncasecmp (url, "http://", 7) == 0);
}

static void
add_os (GPtrArray  *out,
        OsinfoOs   *os,
        const char *arch)
{
  g_autoptr(OsinfoMediaList) media = osinfo_os_get_media_list (os);
  g_autoptr(OsinfoImageList) images = osinfo_os_get_image_list (os);

  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (media)); i++)
    {
      OsinfoMedia *m = OSINFO_MEDIA (osinfo_list_get_nth (OSINFO_LIST (media), i));
      const char *url = osinfo_media_get_url (m);
      HangarOsDownload *download;

      if (!downloadable (url) || !arch_matches (osinfo_media_get_architecture (m), arch))
        continue;
      download = download_new (os, url, arch);
      download->kind = osinfo_media_get_live (m) ? HANGAR_OS_DOWNLOAD_LIVE
                                                 : HANGAR_OS_DOWNLOAD_INSTALLER;
      download->variant = first_variant_name (m);
      g_ptr_array_add (out, download);
    }

  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (images)); i++)
    {
      OsinfoImage *image = OSINFO_IMAGE (osinfo_list_get_nth (OSINFO_LIST (images), i));
      const char *url = osinfo_image_get_url (image);
      HangarOsDownload *download;

      if (!downloadable (url) || !arch_matches (osinfo_image_get_architecture (image), arch))
        continue;
      download = download_new (os, url, arch);
      download->kind = osinfo_image_get_cloud_init (image) ? HANGAR_OS_DOWNLOAD_CLOUD_IMAGE
                                                           : HANGAR_OS_DOWNLOAD_DISK_IMAGE;
      download->format = g_strdup (osinfo_image_get_format (image));
      g_ptr_array_add (out, download);
    }
}

static int
compare_versions (const char *a,
                  const char *b)
{
  g_autofree char *ka = NULL;
  g_autofree char *kb = NULL;

  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  /* Numbers as numbers: "10" after "9". */
  ka = g_utf8_collate_key_for_filename (a, -1);
  kb = g_utf8_collate_key_for_filename (b, -1);
  return strcmp (ka, kb);
}

/* By distribution; in each, the newest release first (release date, then
 * version), installers before live media before images. */
static int
compare_entries (gconstpointer pa,
                 gconstpointer pb)
{
  const HangarOsDownload *a = *(HangarOsDownload **) pa;
  const HangarOsDownload *b = *(HangarOsDownload **) pb;
  int cmp;

  if ((cmp = g_strcmp0 (a->distro, b->distro)) != 0)
    return cmp;
  if ((cmp = g_strcmp0 (b->release_date, a->release_date)) != 0)
    return cmp;
  if ((cmp = compare_versions (b->version, a->version)) != 0)
    return cmp;
  if ((cmp = g_strcmp0 (a->os_id, b->os_id)) != 0)
    return cmp;
  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  if ((cmp = g_strcmp0 (a->variant, b->variant)) != 0)
    return cmp;
  return g_strcmp0 (a->url, b->url);
}

/**
 * hangar_os_catalogue:
 * @arch: the guest architecture, the host's own ("x86_64"; from
 *   #HangarHostCaps for a connection)
 *
 * Returns: (transfer container) (element-type HangarOsDownload): what the
 *   database knows how to download for @arch, grouped by distribution,
 *   newest release first; each distribution's newest release is marked
 */
GPtrArray *
hangar_os_catalogue (OsinfoDb   *db,
                     const char *arch)
{
  g_autoptr(OsinfoOsList) all = NULL;
  GPtrArray *out;
  const char *newest_id = NULL;
  const char *distro = NULL;

  g_return_val_if_fail (OSINFO_IS_DB (db), NULL);
  g_return_val_if_fail (arch != NULL, NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_os_download_free);
  all = osinfo_db_get_os_list (db);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (all)); i++)
    add_os (out, OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (all), i)), arch);

  g_ptr_array_sort (out, compare_entries);

  for (guint i = 0; i < out->len; i++)
    {
      HangarOsDownload *download = out->pdata[i];

      if (i == 0 || g_strcmp0 (download->distro, distro) != 0)
        {
          distro = download->distro;
          newest_id = download->os_id;
        }
      download->newest = g_strcmp0 (download->os_id, newest_id) == 0;
    }
  return out;
}

/**
 * hangar_os_catalogue_db_version:
 * @path: (nullable): a database directory, or %NULL for the system's
 *   ($OSINFO_SYSTEM_DIR, else /usr/share/osinfo)
 *
 * Returns: (transfer full) (nullable): the osinfo-db version, a date such
 *   as "20221203", or %NULL when the database does not say
 */
char *
hangar_os_catalogue_db_version (const char *path)
{
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;

  if (path == NULL)
    path = g_getenv ("OSINFO_SYSTEM_DIR");
  if (path == NULL)
    path = "/usr/share/osinfo";
  file = g_build_filename (path, "VERSION", NULL);
  if (!g_file_get_contents (file, &contents, NULL, NULL))
    return NULL;
  g_strstrip (contents);
  if (strlen (contents) < 8 || strlen (contents) > 32)
    return NULL;
  for (const char *p = contents; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return NULL;
  return g_steal_pointer (&contents);
}

/**
 * hangar_os_catalogue_notice:
 * @db_version: (nullable): from hangar_os_catalogue_db_version()
 *
 * Returns: (transfer full): the sentence the list shows above itself, so
 *   nobody wonders where Debian 12 went
 */
char *
hangar_os_catalogue_notice (const char *db_version)
{
  if (db_version != NULL && strlen (db_version) >= 4)
    {
      g_autofree char *year = g_strndup (db_version, 4);

      /* Debian 12 came out on 2023-06-10: an older database lacks it. */
      if (strcmp (db_version, "20230610") < 0)
        /* Translators: %s is a year, such as 2022. */
        return g_strdup_printf (_("The OS database is from %s — newer releases "
                                  "(such as Debian 12) are not listed, but can be "
                                  "installed from an ISO."), year);
      /* Translators: %s is a year, such as 2024. */
      return g_strdup_printf (_("The OS database is from %s — newer releases are "
                                "not listed, but can be installed from an ISO."), year);
    }
  return g_strdup (_("The OS database does not say how old it is — newer releases "
                     "may be missing, but can be installed from an ISO."));
}
