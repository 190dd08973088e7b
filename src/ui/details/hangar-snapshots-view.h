/* hangar-snapshots-view.h — a machine's snapshots: list, take, revert, delete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"
#include "hangar-vm-snapshots.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_SNAPSHOTS_VIEW (hangar_snapshots_view_get_type ())

G_DECLARE_FINAL_TYPE (HangarSnapshotsView, hangar_snapshots_view, HANGAR, SNAPSHOTS_VIEW, AdwBin)

GtkWidget          *hangar_snapshots_view_new             (HangarVm            *vm);
void                hangar_snapshots_view_reload          (HangarSnapshotsView *self);
gboolean            hangar_snapshots_view_is_busy         (HangarSnapshotsView *self);
HangarSnapshotList *hangar_snapshots_view_get_list        (HangarSnapshotsView *self);
const char         *hangar_snapshots_view_get_status      (HangarSnapshotsView *self);
void                hangar_snapshots_view_ask_revert      (HangarSnapshotsView *self,
                                                           const char          *name);
void                hangar_snapshots_view_ask_delete      (HangarSnapshotsView *self,
                                                           const char          *name);

G_END_DECLS
