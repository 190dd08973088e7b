/* hangar-host-window-private.h — what the host window's files share.
 *
 * hangar-host-window.c           the window, the overview, the interfaces
 * hangar-host-window-networks.c  the virtual networks page
 * hangar-host-window-storage.c   the storage page
 * hangar-host-window-storage-forms.c  its new-pool and new-volume forms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-host-form-dialog.h"
#include "hangar-graph.h"
#include "hangar-host-model.h"
#include "hangar-host-window.h"

G_BEGIN_DECLS

struct _HangarHostWindow
{
  AdwApplicationWindow   parent_instance;

  /* Template widgets */
  AdwToastOverlay       *toast_overlay;
  AdwViewSwitcherTitle  *switcher_title;
  AdwViewStack          *view_stack;
  GtkLabel              *hostname_label;
  GtkLabel              *hypervisor_label;
  GtkLabel              *libvirt_label;
  AdwActionRow          *cpu_row;
  GtkLabel              *cpu_label;
  GtkLabel              *memory_label;
  GtkLabel              *cpu_usage_label;
  GtkLabel              *memory_usage_label;
  HangarGraph           *cpu_graph;
  HangarGraph           *memory_graph;
  AdwActionRow          *virt_row;
  AdwActionRow          *virt_facts_row;
  GtkImage              *virt_icon;
  AdwPreferencesGroup   *networks_group;
  AdwPreferencesGroup   *pools_group;
  AdwPreferencesGroup   *volumes_group;
  AdwPreferencesGroup   *interfaces_group;
  GtkListBox            *networks_list;
  GtkListBox            *pools_list;
  GtkListBox            *volumes_list;
  GtkListBox            *interfaces_list;

  HangarConnection      *connection;
  GCancellable          *cancellable;
  GListStore            *networks;
  GListStore            *pools;
  GListStore            *volumes;
  GListStore            *interfaces;
  char                  *selected_pool;
  char                  *interfaces_message;
  HangarHostOverview    *overview;
  HangarHostFormDialog  *form;          /* weak: the open form, if any */

  guint                  usage_source;
  HangarHostUsage        last_usage;
  guint                  n_usage_samples;
  guint                  pending;
  guint                  n_pool_listings;
  guint                  usage_in_flight : 1;
  guint                  networks_wanted : 1;
  guint                  storage_wanted : 1;
  guint                  interfaces_wanted : 1;
};

void     _hangar_host_window_job_started        (HangarHostWindow *self);
void     _hangar_host_window_job_done           (HangarHostWindow *self);
gboolean _hangar_host_window_cancelled          (const GError     *error);
void     _hangar_host_window_toast              (HangarHostWindow *self,
                                                 const char       *text);
void     _hangar_host_window_show_error         (HangarHostWindow *self,
                                                 const char       *heading,
                                                 const GError     *error);
void     _hangar_host_window_set_form           (HangarHostWindow     *self,
                                                 HangarHostFormDialog *form);
void     _hangar_host_window_replace            (GListStore       *store,
                                                 GPtrArray        *rows);
char    *_hangar_host_format_bytes              (guint64           bytes);
GtkWidget *_hangar_host_action_button           (const char       *icon_name,
                                                 const char       *tooltip,
                                                 const char       *action,
                                                 const char       *target);

/* hangar-host-window-networks.c */
void     _hangar_host_window_networks_class_init (GtkWidgetClass  *widget_class);
void     _hangar_host_window_networks_init      (HangarHostWindow *self);
void     _hangar_host_window_load_networks      (HangarHostWindow *self);

/* hangar-host-window-storage.c */
void     _hangar_host_window_storage_class_init (GtkWidgetClass   *widget_class);
void     _hangar_host_window_storage_init       (HangarHostWindow *self);
void     _hangar_host_window_load_pools         (HangarHostWindow *self);
void     _hangar_host_window_load_volumes       (HangarHostWindow *self);
void     _hangar_host_window_update_storage_actions (HangarHostWindow *self);
const char *_hangar_host_pool_type_label        (const char       *type);
gpointer _hangar_host_window_storage_create_op  (HangarHostWindow     *self,
                                                 gboolean              volume,
                                                 const char           *pool,
                                                 const char           *name,
                                                 HangarHostFormDialog *form);
void     _hangar_host_window_storage_done       (GObject          *source,
                                                 GAsyncResult     *result,
                                                 gpointer          user_data);

/* hangar-host-window-storage-forms.c */
void     _hangar_host_window_new_pool_action    (GtkWidget        *widget,
                                                 const char       *action_name,
                                                 GVariant         *parameter);
void     _hangar_host_window_new_volume_action  (GtkWidget        *widget,
                                                 const char       *action_name,
                                                 GVariant         *parameter);

G_END_DECLS
