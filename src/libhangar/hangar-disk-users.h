/* hangar-disk-users.h — which machines need a disk, read in a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef struct _HangarDiskUsers HangarDiskUsers;

HangarDiskUsers *_hangar_disk_users_read   (virConnectPtr     conn,
                                            const char       *except_uuid,
                                            gboolean          local,
                                            GError          **error);
char           **_hangar_disk_users_lookup (HangarDiskUsers  *users,
                                            const char       *path);
void             _hangar_disk_users_free   (HangarDiskUsers  *users);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarDiskUsers, _hangar_disk_users_free)

G_END_DECLS
