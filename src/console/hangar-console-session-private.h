/* hangar-console-session-private.h — the backend side of HangarConsoleSession.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-console-session.h"

G_BEGIN_DECLS

struct _HangarConsoleSessionClass
{
  GObjectClass parent_class;

  /* Starts the protocol on @fd. On failure the backend has dropped what
   * it started and set @error; the session closes @fd. */
  gboolean (*connect_fd)     (HangarConsoleSession   *self,
                              int                     fd,
                              GError                **error);
  /* Ends the connection; the backend reports its end with
   * _hangar_console_session_disconnected() as for any other. */
  void     (*disconnect)     (HangarConsoleSession   *self);
  void     (*send_key)       (HangarConsoleSession   *self,
                              guint16                 qnum,
                              guint                   keyval,
                              gboolean                pressed);
  void     (*send_pointer)   (HangarConsoleSession   *self,
                              double                  x,
                              double                  y,
                              HangarButtonMask        buttons);
  void     (*send_scroll)    (HangarConsoleSession   *self,
                              HangarScrollDirection   direction,
                              HangarButtonMask        buttons);
  void     (*request_resize) (HangarConsoleSession   *self,
                              guint                   width,
                              guint                   height);
  void     (*send_cut_text)  (HangarConsoleSession   *self,
                              const char             *text);
  void     (*sync_locks)     (HangarConsoleSession   *self,
                              HangarLockMask          locks);
};

/* Pixels are XRGB8888 little endian (B, G, R, padding in memory). The
 * returned memory stays valid until the next resize; backends write into
 * it and then call _hangar_console_session_damage(). */
guint8  *_hangar_console_session_resize_framebuffer (HangarConsoleSession *self,
                                                     guint                 width,
                                                     guint                 height,
                                                     gsize                *stride,
                                                     GError              **error);
guint8  *_hangar_console_session_peek_framebuffer   (HangarConsoleSession *self,
                                                     guint                *width,
                                                     guint                *height,
                                                     gsize                *stride);
void     _hangar_console_session_damage             (HangarConsoleSession *self,
                                                     int                   x,
                                                     int                   y,
                                                     int                   width,
                                                     int                   height);
void     _hangar_console_session_set_cursor         (HangarConsoleSession *self,
                                                     GdkTexture           *texture,
                                                     int                   hot_x,
                                                     int                   hot_y);
void     _hangar_console_session_set_absolute_pointer (HangarConsoleSession *self,
                                                       gboolean              absolute);
void     _hangar_console_session_connected          (HangarConsoleSession *self);
void     _hangar_console_session_disconnected       (HangarConsoleSession *self);
void     _hangar_console_session_error              (HangarConsoleSession *self,
                                                     const GError         *error);
void     _hangar_console_session_fail               (HangarConsoleSession *self,
                                                     GQuark                domain,
                                                     int                   code,
                                                     const char           *message);
void     _hangar_console_session_note_reason        (HangarConsoleSession *self,
                                                     const char           *message);
void     _hangar_console_session_set_reason         (HangarConsoleSession *self,
                                                     const char           *message);
void     _hangar_console_session_cut_text           (HangarConsoleSession *self,
                                                     const char           *text);
void     _hangar_console_session_begin              (HangarConsoleSession *self);
void     _hangar_console_session_abort              (HangarConsoleSession *self);
int      _hangar_console_session_open_fd            (HangarConsoleSession *self,
                                                     GError              **error);

G_END_DECLS
