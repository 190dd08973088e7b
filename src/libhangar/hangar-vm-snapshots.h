/* hangar-vm-snapshots.h — a machine's internal snapshots, listed and changed off the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"

G_BEGIN_DECLS

typedef struct
{
  char     *name;
  char     *description;
  char     *parent;         /* NULL for a root */
  char     *state;          /* the machine's state when taken: "running", "shutoff", … */
  gint64    creation_time;  /* seconds since the epoch */
  gboolean  has_memory;     /* reverting resumes the running machine */
  gboolean  current;
} HangarSnapshotInfo;

typedef struct
{
  GPtrArray *snapshots;     /* HangarSnapshotInfo, oldest first */
  char      *unsupported;   /* why new snapshots cannot be taken, or NULL */
} HangarSnapshotList;

void hangar_snapshot_info_free (HangarSnapshotInfo *info);
void hangar_snapshot_list_free (HangarSnapshotList *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarSnapshotInfo, hangar_snapshot_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarSnapshotList, hangar_snapshot_list_free)

char               *hangar_snapshots_check_xml     (const char          *domain_xml);

void                hangar_vm_snapshots_list_async (HangarVm            *vm,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
HangarSnapshotList *hangar_vm_snapshots_list_finish (HangarVm           *vm,
                                                     GAsyncResult       *result,
                                                     GError            **error);
void                hangar_vm_snapshot_create_async (HangarVm           *vm,
                                                     const char         *name,
                                                     const char         *description,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
void                hangar_vm_snapshot_revert_async (HangarVm           *vm,
                                                     const char         *name,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
void                hangar_vm_snapshot_force_revert_async (HangarVm           *vm,
                                                           const char         *name,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
void                hangar_vm_snapshot_delete_async (HangarVm           *vm,
                                                     const char         *name,
                                                     gboolean            with_children,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean            hangar_vm_snapshot_op_finish    (HangarVm           *vm,
                                                     GAsyncResult       *result,
                                                     GError            **error);

G_END_DECLS
