/* hangar-disk-users.c — which machines need a disk, read in a worker thread.
 *
 * A disk can belong to more than one machine without <shareable/>: a data
 * disk attached to two machines, an ISO attached as a disk, or the base
 * image under another machine's qcow2 overlay (a linked clone). Before a
 * machine's disks are offered for deletion, and again at the moment they
 * are deleted, every other machine's definition (live and inactive) is
 * read and each file it needs is collected, down its backing chain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "hangar-connection-job.h"
#include "hangar-disk-users.h"
#include "hangar-xml.h"

/* Deeper chains than this are broken or hostile; stop following them. */
#define MAX_CHAIN_DEPTH 32
#define QCOW2_MAGIC     0x514649fbu
#define QCOW2_MAX_NAME  1023

struct _HangarDiskUsers
{
  GHashTable *users;     /* path → GPtrArray of machine names */
  GHashTable *backing;   /* path → its backing file ("" for none), a cache */
  virConnectPtr conn;    /* borrowed for the time of the read */
  gboolean    local;
};

void
_hangar_disk_users_free (HangarDiskUsers *users)
{
  if (users == NULL)
    return;
  g_hash_table_unref (users->users);
  g_hash_table_unref (users->backing);
  g_free (users);
}

static void
add_user (HangarDiskUsers *users,
          const char      *path,
          const char      *name)
{
  GPtrArray *names = g_hash_table_lookup (users->users, path);

  if (names == NULL)
    {
      names = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (users->users, g_strdup (path), names);
    }
  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), name) == 0)
      return;
  g_ptr_array_add (names, g_strdup (name));
}

static guint64
read_be (const guint8 *bytes,
         guint         n)
{
  guint64 value = 0;

  for (guint i = 0; i < n; i++)
    value = (value << 8) | bytes[i];
  return value;
}

/* The backing file a local qcow2 image names in its header, for images
 * that no storage pool knows (libvirt then cannot tell us). */
static char *
qcow2_backing_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  guint8 header[20];
  gsize got = 0;
  guint64 offset;
  guint32 size;

  stream = g_file_read (file, NULL, NULL);
  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), header, sizeof header, &got,
                                   NULL, NULL)
      || got != sizeof header
      || read_be (header, 4) != QCOW2_MAGIC)
    return NULL;

  offset = read_be (header + 8, 8);
  size = (guint32) read_be (header + 16, 4);
  if (offset == 0 || size == 0 || size > QCOW2_MAX_NAME)
    return NULL;

  name = g_malloc0 (size + 1);
  if (!g_seekable_seek (G_SEEKABLE (stream), (goffset) offset, G_SEEK_SET, NULL, NULL)
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), name, size, &got, NULL, NULL)
      || got != size
      || strlen (name) != size)
    return NULL;

  /* A relative backing file is relative to the overlay's folder; a
   * protocol (nbd:, http:) is no file of this host. */
  if (g_path_is_absolute (name))
    return g_steal_pointer (&name);
  if (strchr (name, ':') != NULL)
    return NULL;
  dir = g_path_get_dirname (path);
  return g_build_filename (dir, name, NULL);
}

static char *
volume_backing_file (virConnectPtr conn,
                     const char   *path)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;

  if (vol == NULL)
    {
      virResetLastError ();
      return NULL;
    }
  xml = virStorageVolGetXMLDesc (vol, 0);
  virStorageVolFree (vol);
  if (xml == NULL)
    {
      virResetLastError ();
      return NULL;
    }

  doc = hangar_xml_parse (xml, NULL);
  return hangar_xml_string (doc, NULL, "/volume/backingStore/path");
}

static void add_path (HangarDiskUsers *users,
                      const char      *path,
                      const char      *name);

/* A path and everything below it in its backing chain. */
static void
add_chain (HangarDiskUsers *users,
           const char      *path,
           const char      *name)
{
  g_autofree char *current = g_strdup (path);

  for (guint depth = 0; current != NULL && depth < MAX_CHAIN_DEPTH; depth++)
    {
      const char *cached;
      char *next;

      add_path (users, current, name);

      if (g_hash_table_lookup_extended (users->backing, current, NULL, (gpointer *) &cached))
        next = cached[0] != '\0' ? g_strdup (cached) : NULL;
      else
        {
          next = volume_backing_file (users->conn, current);
          if (next == NULL && users->local)
            next = qcow2_backing_file (current);
          g_hash_table_insert (users->backing, g_strdup (current), g_strdup (next ? next : ""));
        }
      g_free (current);
      current = next;
    }
}

static char *
pool_volume_path (virConnectPtr  conn,
                  const xmlChar *pool_name,
                  const xmlChar *volume_name)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, (const char *) pool_name);
  virStorageVolPtr vol;
  char *path = NULL;

  if (pool == NULL)
    {
      virResetLastError ();
      return NULL;
    }
  vol = virStorageVolLookupByName (pool, (const char *) volume_name);
  virStoragePoolFree (pool);
  if (vol != NULL)
    {
      char *libvirt_path = virStorageVolGetPath (vol);

      path = g_strdup (libvirt_path);
      free (libvirt_path);
      virStorageVolFree (vol);
    }
  virResetLastError ();
  return path;
}

static void
add_path (HangarDiskUsers *users,
          const char      *path,
          const char      *name)
{
  add_user (users, path, name);
  if (users->local)
    {
      g_autofree char *real = realpath (path, NULL);

      if (real != NULL && g_strcmp0 (real, path) != 0)
        add_user (users, real, name);
    }
}

/* Every file and device a definition names for its disks. A running
 * machine's definition carries its backing chain (<backingStore>), so
 * only disks without one are followed down their chain by hand. */
static void
add_definition (HangarDiskUsers *users,
                const char      *xml,
                const char      *name)
{
  g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);
  g_autoptr(GPtrArray) disks = hangar_xml_nodes (doc, NULL, "/domain/devices/disk");

  for (guint d = 0; d < disks->len; d++)
    {
      xmlNode *disk = g_ptr_array_index (disks, d);
      gboolean chain_known = hangar_xml_child (disk, "backingStore") != NULL;
      g_autoptr(GPtrArray) sources = hangar_xml_nodes (doc, disk, ".//source");

      for (guint i = 0; i < sources->len; i++)
        {
          xmlNode *source = g_ptr_array_index (sources, i);
          xmlChar *file = xmlGetProp (source, BAD_CAST "file");
          xmlChar *dev = xmlGetProp (source, BAD_CAST "dev");
          xmlChar *pool = xmlGetProp (source, BAD_CAST "pool");
          xmlChar *volume = xmlGetProp (source, BAD_CAST "volume");
          g_autofree char *path = NULL;

          if (file != NULL || dev != NULL)
            path = g_strdup ((const char *) (file != NULL ? file : dev));
          else if (pool != NULL && volume != NULL)
            path = pool_volume_path (users->conn, pool, volume);

          if (path != NULL && chain_known)
            add_path (users, path, name);
          else if (path != NULL)
            add_chain (users, path, name);
          xmlFree (file);
          xmlFree (dev);
          xmlFree (pool);
          xmlFree (volume);
        }
    }
}

/**
 * _hangar_disk_users_read:
 * @except_uuid: (nullable): the machine whose own disks these are
 * @local: whether the connection's files are this host's files, so image
 *   headers can be read for backing files no pool knows
 *
 * In a worker thread: reads which other machines need which disks.
 *
 * Returns: (transfer full) (nullable): the users, or %NULL with @error set
 *   when the machines cannot be listed
 */
HangarDiskUsers *
_hangar_disk_users_read (virConnectPtr   conn,
                         const char     *except_uuid,
                         gboolean        local,
                         GError        **error)
{
  HangarDiskUsers *users;
  virDomainPtr *doms = NULL;
  int n;

  n = virConnectListAllDomains (conn, &doms, 0);
  if (n < 0)
    {
      g_propagate_error (error, hangar_libvirt_error_new (_("Could not check which machines use "
                                                         "the disks")));
      return NULL;
    }

  users = g_new0 (HangarDiskUsers, 1);
  users->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  users->backing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  users->conn = conn;
  users->local = local;

  for (int i = 0; i < n; i++)
    {
      char uuid[VIR_UUID_STRING_BUFLEN];
      const char *name = virDomainGetName (doms[i]);

      if (virDomainGetUUIDString (doms[i], uuid) == 0 && g_strcmp0 (uuid, except_uuid) != 0)
        {
          /* A running machine's live disks and the ones it will have at
           * its next start may differ: both count. A shut-off machine has
           * only the one definition (its id, listed with it, says which,
           * without another round trip). */
          const unsigned int flags[] = { VIR_DOMAIN_XML_INACTIVE, 0 };
          guint n_flags = virDomainGetID (doms[i]) == (unsigned int) -1 ? 1 : 2;

          for (guint f = 0; f < n_flags; f++)
            {
              g_autofree char *xml = virDomainGetXMLDesc (doms[i], flags[f]);

              if (xml != NULL)
                add_definition (users, xml, name);
            }
        }
      virResetLastError ();
      virDomainFree (doms[i]);
    }
  free (doms);
  users->conn = NULL;
  return users;
}

/**
 * _hangar_disk_users_lookup:
 *
 * Returns: (transfer full) (nullable): the names of the machines that need
 *   @path, or %NULL when none does
 */
char **
_hangar_disk_users_lookup (HangarDiskUsers *users,
                           const char      *path)
{
  GPtrArray *names;
  g_autofree char *real = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (users != NULL, NULL);

  names = g_hash_table_lookup (users->users, path);
  if (names == NULL && users->local && (real = realpath (path, NULL)) != NULL)
    names = g_hash_table_lookup (users->users, real);
  if (names == NULL || names->len == 0)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));
  return g_strv_builder_end (builder);
}
