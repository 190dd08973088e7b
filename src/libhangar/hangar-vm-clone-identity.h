/* hangar-vm-clone-identity.h — what a clone must not share with its
 * source besides disks: the UEFI variables file and fixed console ports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

typedef struct
{
  virStorageVolPtr  volume;  /* a copy made through the storage API */
  char             *file;    /* a copy made as a local file */
} HangarCloneNvram;

gboolean _hangar_vm_clone_copy_nvram        (virConnectPtr      conn,
                                             xmlDoc            *doc,
                                             const char        *new_name,
                                             HangarCloneNvram  *made,
                                             GError           **error);
void     _hangar_vm_clone_undo_nvram        (HangarCloneNvram  *made);
void     _hangar_vm_clone_clear_nvram       (HangarCloneNvram  *made);
void     _hangar_vm_clone_free_graphics_ports (xmlDoc          *doc);

G_END_DECLS
