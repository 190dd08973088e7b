/* hangar-window.h — the main window: every machine on every connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"
#include "hangar-application.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_WINDOW (hangar_window_get_type ())

G_DECLARE_FINAL_TYPE (HangarWindow, hangar_window, HANGAR, WINDOW, AdwApplicationWindow)

typedef enum
{
  HANGAR_WINDOW_SHOW_CONSOLE,
  HANGAR_WINDOW_SHOW_EDITOR,
  HANGAR_WINDOW_SHOW_CREATOR,
  HANGAR_WINDOW_SHOW_HOST,
} HangarWindowShow;

HangarWindow *hangar_window_new              (HangarApplication *application);
HangarVm     *hangar_window_get_selected_vm  (HangarWindow      *self);
gboolean      hangar_window_select_vm        (HangarWindow      *self,
                                              HangarVm          *vm);
GListModel   *hangar_window_get_rows         (HangarWindow      *self);
void          hangar_window_show_for_machine (HangarWindow      *self,
                                              HangarConnection  *connection,
                                              const char        *name,
                                              HangarWindowShow   what);
void          hangar_window_show_error       (HangarWindow      *self,
                                              const char        *title,
                                              const GError      *error);
void          hangar_window_set_search_text  (HangarWindow      *self,
                                              const char        *text);

G_END_DECLS
