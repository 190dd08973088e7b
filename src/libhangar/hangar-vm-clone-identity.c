/* hangar-vm-clone-identity.c — the clone's own UEFI variables and ports.
 *
 * A clone that dropped <nvram> started from the firmware's template: boot
 * entries and enrolled Secure Boot keys were lost, and libvirt's default
 * path for the new name could be a stale file left by a deleted machine
 * of that name (review finding L7). As virt-clone does, the file is
 * copied to a new path next to the old one, named after the clone; a path
 * already taken is refused rather than reused. A file in a storage pool is
 * copied through the storage API, which works on remote hosts too; one
 * outside any pool can only be copied on this computer.
 *
 * A graphics device with a fixed port would make the clone fail to start
 * beside its source, so the clone gets an automatic port.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "hangar-connection-job.h"
#include "hangar-uri.h"
#include "hangar-vm-clone-identity.h"
#include "hangar-xml.h"

/* The file an <nvram> names: its text, or <source file=…/> (libvirt 8.5+).
 * @network is set for an NVRAM that is not a file. */
static char *
nvram_path (xmlDoc   *doc,
            xmlNode  *nvram,
            gboolean *network)
{
  g_autofree char *type = hangar_xml_attr (nvram, "type");
  xmlNode *source = hangar_xml_node (doc, nvram, "source");
  xmlChar *text;
  char *path;

  *network = type != NULL && g_strcmp0 (type, "file") != 0;
  if (source != NULL)
    return hangar_xml_attr (source, "file");
  text = xmlNodeGetContent (nvram);
  path = g_strstrip (g_strdup ((const char *) text));
  xmlFree (text);
  if (path[0] == '\0')
    g_clear_pointer (&path, g_free);
  return path;
}

static void
set_nvram_path (xmlDoc     *doc,
                xmlNode    *nvram,
                const char *path)
{
  xmlNode *source = hangar_xml_node (doc, nvram, "source");
  g_autofree char *escaped = NULL;

  if (source != NULL)
    {
      xmlSetProp (source, BAD_CAST "file", BAD_CAST path);
      return;
    }
  /* xmlNodeSetContent takes entity-encoded text. */
  escaped = g_markup_escape_text (path, -1);
  xmlNodeSetContent (nvram, BAD_CAST escaped);
}

static char *
copy_in_pool (virConnectPtr      conn,
              virStorageVolPtr   source,
              const char        *name,
              HangarCloneNvram  *made,
              GError           **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByVolume (source);
  virStorageVolPtr taken;
  virStorageVolInfo info = { 0 };
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *xml = NULL;
  char *path;

  if (pool == NULL)
    {
      g_propagate_error (error, hangar_libvirt_error_new (_("Could not find the pool of the UEFI "
                                                            "variables file")));
      return NULL;
    }
  taken = virStorageVolLookupByName (pool, name);
  virResetLastError ();
  if (taken != NULL)
    {
      virStorageVolFree (taken);
      virStoragePoolFree (pool);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("A UEFI variables file “%s” is left from another machine. Remove it, or "
                     "choose another name for the clone."), name);
      return NULL;
    }
  virStorageVolGetInfo (source, &info);
  virResetLastError ();
  xml = g_strdup_printf ("<volume><name>%s</name>"
                         "<capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>"
                         "<target><format type='raw'/></target></volume>",
                         escaped, (guint64) info.capacity);
  made->volume = virStorageVolCreateXMLFrom (pool, xml, source, 0);
  virStoragePoolFree (pool);
  if (made->volume == NULL)
    {
      g_propagate_error (error, hangar_libvirt_error_new (_("Could not copy the UEFI variables "
                                                            "file")));
      return NULL;
    }
  path = virStorageVolGetPath (made->volume);
  if (path == NULL)
    {
      g_propagate_error (error, hangar_libvirt_error_new (_("Could not copy the UEFI variables "
                                                            "file")));
      _hangar_vm_clone_undo_nvram (made);
    }
  return path;
}

static char *
copy_local (const char        *old_path,
            const char        *new_path,
            HangarCloneNvram  *made,
            GError           **error)
{
  g_autoptr(GFile) from = g_file_new_for_path (old_path);
  g_autoptr(GFile) to = g_file_new_for_path (new_path);
  g_autoptr(GError) local_error = NULL;

  if (g_file_test (new_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("A UEFI variables file %s is left from another machine. Remove it, or "
                     "choose another name for the clone."), new_path);
      return NULL;
    }
  /* Never started: there are no variables yet, and libvirt makes the
   * file from the firmware's template at the new path. */
  if (!g_file_test (old_path, G_FILE_TEST_EXISTS))
    return g_strdup (new_path);
  /* Not G_FILE_COPY_OVERWRITE: a file appearing meanwhile is not ours. */
  if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The UEFI variables file %s could not be copied: %s"), old_path,
                   local_error->message);
      return NULL;
    }
  made->file = g_strdup (new_path);
  return g_strdup (new_path);
}

/**
 * _hangar_vm_clone_copy_nvram:
 * @doc: the clone's definition, changed to name the copy
 * @made: (out caller-allocates): what was made, for _hangar_vm_clone_undo_nvram()
 *
 * Returns: %TRUE when the clone has its own copy (or needs none); %FALSE
 *   with @error set, having made nothing, when it cannot have one
 */
gboolean
_hangar_vm_clone_copy_nvram (virConnectPtr      conn,
                             xmlDoc            *doc,
                             const char        *new_name,
                             HangarCloneNvram  *made,
                             GError           **error)
{
  xmlNode *nvram = hangar_xml_node (doc, NULL, "/domain/os/nvram");
  g_autofree char *old_path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *new_path = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *uri = NULL;
  virStorageVolPtr source;
  gboolean network = FALSE;

  memset (made, 0, sizeof *made);
  if (nvram == NULL)
    return TRUE;
  old_path = nvram_path (doc, nvram, &network);
  if (network)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The machine keeps its UEFI variables on the network: Hangar "
                             "cannot copy them."));
      return FALSE;
    }
  if (old_path == NULL)
    return TRUE;  /* libvirt chooses a path for the new name */

  dir = g_path_get_dirname (old_path);
  name = g_strdup_printf ("%s_VARS.fd", new_name);
  new_path = g_build_filename (dir, name, NULL);

  source = virStorageVolLookupByPath (conn, old_path);
  virResetLastError ();
  if (source != NULL)
    {
      copied = copy_in_pool (conn, source, name, made, error);
      virStorageVolFree (source);
    }
  else
    {
      uri = virConnectGetURI (conn);
      virResetLastError ();
      if (uri == NULL || !hangar_uri_is_local (uri))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("The UEFI variables file %s is not in a storage pool, so it cannot be "
                         "copied on this remote host. Add its folder as a storage pool first."),
                       old_path);
          return FALSE;
        }
      copied = copy_local (old_path, new_path, made, error);
    }
  if (copied == NULL)
    return FALSE;
  set_nvram_path (doc, nvram, copied);
  return TRUE;
}

/* Removes what _hangar_vm_clone_copy_nvram() made, when the clone fails. */
void
_hangar_vm_clone_undo_nvram (HangarCloneNvram *made)
{
  if (made->volume != NULL && virStorageVolDelete (made->volume, 0) < 0)
    {
      g_warning ("Could not remove the copied UEFI variables %s",
                 virStorageVolGetName (made->volume));
      virResetLastError ();
    }
  if (made->file != NULL && g_unlink (made->file) != 0)
    g_warning ("Could not remove the copied UEFI variables %s", made->file);
  _hangar_vm_clone_clear_nvram (made);
}

void
_hangar_vm_clone_clear_nvram (HangarCloneNvram *made)
{
  g_clear_pointer (&made->volume, virStorageVolFree);
  g_clear_pointer (&made->file, g_free);
}

/**
 * _hangar_vm_clone_free_graphics_ports:
 *
 * Gives every VNC or SPICE device with a fixed port an automatic one: two
 * machines cannot listen on one port, so the clone would not start while
 * its source runs.
 */
void
_hangar_vm_clone_free_graphics_ports (xmlDoc *doc)
{
  g_autoptr(GPtrArray) nodes = hangar_xml_nodes (doc, NULL, "/domain/devices/graphics");

  for (guint i = 0; i < nodes->len; i++)
    {
      xmlNode *graphics = g_ptr_array_index (nodes, i);
      g_autofree char *autoport = hangar_xml_attr (graphics, "autoport");
      g_autofree char *port = hangar_xml_attr (graphics, "port");
      g_autofree char *tls_port = hangar_xml_attr (graphics, "tlsPort");
      g_autofree char *websocket = hangar_xml_attr (graphics, "websocket");
      gboolean fixed = g_strcmp0 (autoport, "no") == 0
                       || (port != NULL && g_strcmp0 (port, "-1") != 0)
                       || (tls_port != NULL && g_strcmp0 (tls_port, "-1") != 0);

      if (websocket != NULL && g_strcmp0 (websocket, "-1") != 0)
        xmlSetProp (graphics, BAD_CAST "websocket", BAD_CAST "-1");
      if (!fixed)
        continue;
      xmlUnsetProp (graphics, BAD_CAST "port");
      xmlUnsetProp (graphics, BAD_CAST "tlsPort");
      xmlSetProp (graphics, BAD_CAST "autoport", BAD_CAST "yes");
    }
}
