/* hangar-vm-clone.h — a copy of a shut-off machine, its writable disks copied.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"

G_BEGIN_DECLS

typedef enum
{
  HANGAR_CLONE_DISK_COPY,    /* a writable pool volume: copied into the same pool */
  HANGAR_CLONE_DISK_SHARE,   /* read-only, shareable or removable media: both use it */
  HANGAR_CLONE_DISK_REFUSE,  /* writable but outside any pool: the clone cannot go on */
} HangarCloneDiskAction;

typedef struct
{
  char                  *target;   /* vda, sdb… */
  char                  *path;     /* NULL for an empty drive */
  char                  *pool;     /* the pool of a volume to copy */
  char                  *reason;   /* for people: why shared or refused */
  HangarCloneDiskAction  action;
  guint64                size;     /* bytes to copy (the volume's allocation) */
} HangarCloneDisk;

void hangar_clone_disk_free (HangarCloneDisk *disk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarCloneDisk, hangar_clone_disk_free)

/* Called on the caller's main context while disks are copied. */
typedef void (*HangarCloneProgressFunc) (const char *target,
                                         double      fraction,
                                         gpointer    user_data);

char      **hangar_vm_clone_existing_names (HangarVm             *vm);
char       *hangar_vm_clone_suggest_name   (HangarVm             *vm);
gboolean    hangar_vm_clone_validate_name  (HangarVm             *vm,
                                            const char           *name,
                                            GError              **error);

void        hangar_vm_clone_plan_async     (HangarVm             *vm,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GPtrArray  *hangar_vm_clone_plan_finish    (HangarVm             *vm,
                                            GAsyncResult         *result,
                                            GError              **error);

void        hangar_vm_clone_async          (HangarVm                *vm,
                                            const char              *new_name,
                                            HangarCloneProgressFunc  progress,
                                            gpointer                 progress_data,
                                            GDestroyNotify           progress_destroy,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
char       *hangar_vm_clone_finish         (HangarVm                *vm,
                                            GAsyncResult            *result,
                                            GError                 **error);

G_END_DECLS
