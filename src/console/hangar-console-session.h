/* hangar-console-session.h — a protocol-neutral remote display session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

#define HANGAR_CONSOLE_ERROR (hangar_console_error_quark ())

typedef enum
{
  HANGAR_CONSOLE_ERROR_FAILED,
  HANGAR_CONSOLE_ERROR_AUTH_REQUIRED,
  HANGAR_CONSOLE_ERROR_AUTH_FAILED,
  HANGAR_CONSOLE_ERROR_AUTH_UNSUPPORTED,
  HANGAR_CONSOLE_ERROR_TRANSPORT,
} HangarConsoleError;

typedef enum
{
  HANGAR_CONSOLE_STATE_DISCONNECTED,
  HANGAR_CONSOLE_STATE_CONNECTING,
  HANGAR_CONSOLE_STATE_CONNECTED,
} HangarConsoleState;

typedef enum
{
  HANGAR_SCROLL_UP,
  HANGAR_SCROLL_DOWN,
  HANGAR_SCROLL_LEFT,
  HANGAR_SCROLL_RIGHT,
} HangarScrollDirection;

/* Pointer buttons as a mask, in the order VNC and SPICE both use. */
typedef enum
{
  HANGAR_BUTTON_LEFT   = 1 << 0,
  HANGAR_BUTTON_MIDDLE = 1 << 1,
  HANGAR_BUTTON_RIGHT  = 1 << 2,
} HangarButtonMask;

/* Keyboard locks, numbered as VNC's LED state and SPICE's modifiers. */
typedef enum
{
  HANGAR_LOCK_SCROLL = 1 << 0,
  HANGAR_LOCK_NUM    = 1 << 1,
  HANGAR_LOCK_CAPS   = 1 << 2,
} HangarLockMask;

#define HANGAR_TYPE_CONSOLE_SESSION (hangar_console_session_get_type ())

G_DECLARE_DERIVABLE_TYPE (HangarConsoleSession, hangar_console_session,
                          HANGAR, CONSOLE_SESSION, GObject)

/**
 * HangarConsoleOpenFdFunc:
 * @session: the session that needs another connection
 * @error: return location for an error
 * @user_data: data given to hangar_console_session_set_open_fd_func()
 *
 * Opens one more connection to the same display server (SPICE opens one per
 * channel). Runs on the main thread and must not block for long.
 *
 * Returns: a connected socket file descriptor that the session will own,
 *   or -1 with @error set
 */
typedef int (*HangarConsoleOpenFdFunc) (HangarConsoleSession *session,
                                        GError              **error,
                                        gpointer              user_data);

GQuark              hangar_console_error_quark              (void);

gboolean            hangar_console_session_connect_fd       (HangarConsoleSession    *self,
                                                             int                      fd,
                                                             GError                 **error);
void                hangar_console_session_disconnect       (HangarConsoleSession    *self);
void                hangar_console_session_set_open_fd_func (HangarConsoleSession    *self,
                                                             HangarConsoleOpenFdFunc  func,
                                                             gpointer                 user_data,
                                                             GDestroyNotify           destroy);
HangarConsoleState  hangar_console_session_get_state        (HangarConsoleSession    *self);
const char         *hangar_console_session_get_password     (HangarConsoleSession    *self);
void                hangar_console_session_set_password     (HangarConsoleSession    *self,
                                                             const char              *password);
const char         *hangar_console_session_get_username     (HangarConsoleSession    *self);
void                hangar_console_session_set_username     (HangarConsoleSession    *self,
                                                             const char              *username);
GBytes             *hangar_console_session_get_framebuffer  (HangarConsoleSession    *self,
                                                             guint                   *width,
                                                             guint                   *height,
                                                             gsize                   *stride);
GdkTexture         *hangar_console_session_get_cursor       (HangarConsoleSession    *self,
                                                             int                     *hot_x,
                                                             int                     *hot_y);
gboolean            hangar_console_session_get_absolute_pointer (HangarConsoleSession *self);

void                hangar_console_session_send_key         (HangarConsoleSession    *self,
                                                             guint16                  qnum,
                                                             guint                    keyval,
                                                             gboolean                 pressed);
void                hangar_console_session_send_pointer     (HangarConsoleSession    *self,
                                                             double                   x,
                                                             double                   y,
                                                             HangarButtonMask         buttons);
void                hangar_console_session_send_scroll      (HangarConsoleSession    *self,
                                                             HangarScrollDirection    direction,
                                                             HangarButtonMask         buttons);
void                hangar_console_session_request_resize   (HangarConsoleSession    *self,
                                                             guint                    width,
                                                             guint                    height);
void                hangar_console_session_sync_locks       (HangarConsoleSession    *self,
                                                             HangarLockMask           locks);
void                hangar_console_session_send_cut_text    (HangarConsoleSession    *self,
                                                             const char              *text);

G_END_DECLS
