/* hangar-display.h — the GTK 4 widget that shows a guest's screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-console-session.h"

G_BEGIN_DECLS

typedef enum
{
  HANGAR_DISPLAY_SCALING_FIT,
  HANGAR_DISPLAY_SCALING_ONE_TO_ONE,
} HangarDisplayScaling;

#define HANGAR_TYPE_DISPLAY (hangar_display_get_type ())

G_DECLARE_FINAL_TYPE (HangarDisplay, hangar_display, HANGAR, DISPLAY, GtkWidget)

GtkWidget            *hangar_display_new                  (void);
HangarConsoleSession *hangar_display_get_session          (HangarDisplay        *self);
void                  hangar_display_set_session          (HangarDisplay        *self,
                                                           HangarConsoleSession *session);
void                  hangar_display_set_framebuffer_size (HangarDisplay        *self,
                                                           guint                 width,
                                                           guint                 height);
void                  hangar_display_set_framebuffer      (HangarDisplay        *self,
                                                           GBytes               *bytes,
                                                           guint                 width,
                                                           guint                 height,
                                                           gsize                 stride);
guint8               *hangar_display_get_framebuffer      (HangarDisplay        *self,
                                                           guint                *width,
                                                           guint                *height,
                                                           gsize                *stride);
void                  hangar_display_damage               (HangarDisplay        *self,
                                                           int                   x,
                                                           int                   y,
                                                           int                   width,
                                                           int                   height);
void                  hangar_display_set_cursor           (HangarDisplay        *self,
                                                           GdkTexture           *texture,
                                                           int                   hot_x,
                                                           int                   hot_y);
HangarDisplayScaling  hangar_display_get_scaling          (HangarDisplay        *self);
void                  hangar_display_set_scaling          (HangarDisplay        *self,
                                                           HangarDisplayScaling  scaling);
gboolean              hangar_display_get_resize_guest     (HangarDisplay        *self);
void                  hangar_display_set_resize_guest     (HangarDisplay        *self,
                                                           gboolean              resize_guest);
gboolean              hangar_display_get_grabbed          (HangarDisplay        *self);
void                  hangar_display_ungrab               (HangarDisplay        *self);
void                  hangar_display_send_keys            (HangarDisplay        *self,
                                                           const guint16        *qnums,
                                                           guint                 n_qnums);
GdkTexture           *hangar_display_get_screenshot       (HangarDisplay        *self);

G_END_DECLS
