/* hangar-window-private.h — what the window's files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-vm-actions.h"
#include "hangar-window.h"

G_BEGIN_DECLS

struct _HangarWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *stack;
  GtkColumnView        *column_view;
  GtkWidget            *resume_button;
  GtkWidget            *pause_button;
  GtkWidget            *shutdown_button;
  GMenuModel           *row_menu;
  GMenu                *row_power_section;  /* Start, Pause, Resume, Shut Down ▸ */
  GMenuItem            *row_power_item;     /* Shut Down ▸, while taken out of it */
  int                   row_power_index;

  HangarApplication    *application;
  GListModel           *connections;   /* HangarConnectionManager */

  /* connections → rows of machines, filtered by the search and sorted by
   * the column view's sorter inside each connection. */
  GtkTreeListModel     *tree;
  GtkStringFilter      *filter;
  GtkSingleSelection   *selection;
  GtkColumnViewColumn  *name_column;

  /* The selected machine; the vm.* actions act on it. */
  HangarVm             *current;
  /* The selected connection row; the win.connection-* actions act on it. */
  HangarConnection     *current_connection;
  GMenuModel           *connection_menu;
  /* The context menus of machine and connection rows, popovers kept for
   * the window's life (see _hangar_window_popup_row_menu()). */
  GtkWidget            *row_popover;
  GtkWidget            *connection_popover;
  GtkWidget            *menu_anchor;     /* weak: the cell a menu was opened on */
  guint                 menu_popup_source;
  HangarVmActions      *vm_actions;

  GSignalGroup         *populate_signals;
  gboolean              populated_logged;
  /* Each connection's machines reach the rows a few per frame
   * (hangar-window-list.c): its pacers, borrowed. */
  GPtrArray            *pacers;
  GHashTable           *pending_shows;   /* HangarConnection → GPtrArray of PendingShow */
};

void      _hangar_window_list_init       (HangarWindow *self);
void      _hangar_window_list_dispose    (HangarWindow *self);
void      _hangar_window_actions_init    (HangarWindow *self);
void      _hangar_window_actions_update  (HangarWindow *self);
void      _hangar_window_set_current     (HangarWindow *self,
                                          HangarVm     *vm);
void      _hangar_window_popup_row_menu  (HangarWindow *self,
                                          GMenuModel   *menu,
                                          GtkWidget    *widget,
                                          double        x,
                                          double        y);
void      _hangar_window_set_current_connection (HangarWindow     *self,
                                                 HangarConnection *connection);
void      _hangar_window_toast           (HangarWindow *self,
                                          const char   *message);

G_END_DECLS
