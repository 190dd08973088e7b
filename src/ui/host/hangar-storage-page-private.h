/* hangar-storage-page-private.h — what hangar-storage-page.c (the lists) and
 * hangar-storage-page-actions.c (the changes and their forms) share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-host-common.h"
#include "hangar-host-model.h"
#include "hangar-storage-page.h"

G_BEGIN_DECLS

struct _HangarStoragePage
{
  AdwPreferencesPage    parent_instance;

  /* Template widgets */
  AdwPreferencesGroup  *pools_group;
  AdwPreferencesGroup  *volumes_group;
  GtkListBox           *pools_list;
  GtkListBox           *volumes_list;

  HangarConnection     *connection;
  GSignalGroup         *connection_signals;
  GCancellable         *cancellable;
  GListStore           *pools;
  GListStore           *volumes;
  char                 *selected_pool;
  HangarHostFormDialog *form;          /* weak: the open form, if any */
  guint                 pending;
  guint                 n_pool_listings;
  guint                 wanted : 1;
};

const char     *_hangar_storage_page_pool_type_label (const char        *type);
HangarHostPool *_hangar_storage_page_find_pool       (HangarStoragePage *self,
                                                      const char        *name,
                                                      guint             *position);
void            _hangar_storage_page_select_pool     (HangarStoragePage *self,
                                                      const char        *name);
void            _hangar_storage_page_list_pools      (HangarStoragePage *self);

/* hangar-storage-page-actions.c */
void            _hangar_storage_page_class_actions_init (GtkWidgetClass *widget_class);

G_END_DECLS
