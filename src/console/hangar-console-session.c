/* hangar-console-session.c — a protocol-neutral remote display session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session owns the guest's framebuffer memory and reports changes as
 * signals; HangarDisplay paints it and sends input back. Backends (VNC,
 * SPICE) subclass it and fill the vtable in the -private.h.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "hangar-bounds.h"
#include "hangar-console-session-private.h"
#include "hangar-secret.h"

typedef struct
{
  HangarConsoleState state;
  char *password;
  char *username;

  /* The framebuffer: `pixels` is the writable alias of `bytes`' data. */
  GBytes *bytes;
  guint8 *pixels;
  guint width;
  guint height;
  gsize stride;

  GdkTexture *cursor;
  int cursor_hot_x;
  int cursor_hot_y;

  gboolean absolute_pointer;

  /* Why the connection is ending, for ::disconnected: the first error
   * noted, unless disconnect() was asked for (closing). */
  char *reason;
  gboolean closing;

  HangarConsoleOpenFdFunc open_fd_func;
  gpointer open_fd_data;
  GDestroyNotify open_fd_destroy;
} HangarConsoleSessionPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HangarConsoleSession, hangar_console_session, G_TYPE_OBJECT)

G_DEFINE_QUARK (hangar-console-error-quark, hangar_console_error)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PASSWORD,
  PROP_USERNAME,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_ABSOLUTE_POINTER,
  N_PROPS
};

enum {
  CONNECTED,
  DISCONNECTED,
  FRAMEBUFFER_RESIZED,
  DAMAGE,
  CURSOR_CHANGED,
  ERROR,
  CUT_TEXT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
hangar_console_session_set_state (HangarConsoleSession *self,
                                  HangarConsoleState    state)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  if (priv->state == state)
    return;

  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
hangar_console_session_dispose (GObject *object)
{
  HangarConsoleSession *self = HANGAR_CONSOLE_SESSION (object);
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_clear_object (&priv->cursor);

  if (priv->open_fd_destroy != NULL)
    g_clear_pointer (&priv->open_fd_data, priv->open_fd_destroy);
  priv->open_fd_func = NULL;
  priv->open_fd_destroy = NULL;

  G_OBJECT_CLASS (hangar_console_session_parent_class)->dispose (object);
}

static void
hangar_console_session_finalize (GObject *object)
{
  HangarConsoleSession *self = HANGAR_CONSOLE_SESSION (object);
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_clear_pointer (&priv->bytes, g_bytes_unref);
  hangar_secret_clear (&priv->password);
  g_clear_pointer (&priv->username, g_free);
  g_clear_pointer (&priv->reason, g_free);

  G_OBJECT_CLASS (hangar_console_session_parent_class)->finalize (object);
}

static void
hangar_console_session_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HangarConsoleSession *self = HANGAR_CONSOLE_SESSION (object);
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, priv->state);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, priv->password);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, priv->username);
      break;
    case PROP_WIDTH:
      g_value_set_uint (value, priv->width);
      break;
    case PROP_HEIGHT:
      g_value_set_uint (value, priv->height);
      break;
    case PROP_ABSOLUTE_POINTER:
      g_value_set_boolean (value, priv->absolute_pointer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_console_session_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HangarConsoleSession *self = HANGAR_CONSOLE_SESSION (object);

  switch (prop_id)
    {
    case PROP_PASSWORD:
      hangar_console_session_set_password (self, g_value_get_string (value));
      break;
    case PROP_USERNAME:
      hangar_console_session_set_username (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_console_session_class_init (HangarConsoleSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_console_session_dispose;
  object_class->finalize = hangar_console_session_finalize;
  object_class->get_property = hangar_console_session_get_property;
  object_class->set_property = hangar_console_session_set_property;

  /* A plain int rather than an enum GType: hangar-enums.c belongs to the
   * app library, and the console library must stand alone. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      HANGAR_CONSOLE_STATE_DISCONNECTED, HANGAR_CONSOLE_STATE_CONNECTED,
                      HANGAR_CONSOLE_STATE_DISCONNECTED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIDTH] =
    g_param_spec_uint ("width", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_uint ("height", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ABSOLUTE_POINTER] =
    g_param_spec_boolean ("absolute-pointer", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * HangarConsoleSession::disconnected:
   * @reason: (nullable): why, for the user, or %NULL after disconnect()
   */
  signals[DISCONNECTED] =
    g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FRAMEBUFFER_RESIZED] =
    g_signal_new ("framebuffer-resized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[DAMAGE] =
    g_signal_new ("damage", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE,
                  4, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);
  signals[CURSOR_CHANGED] =
    g_signal_new ("cursor-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * HangarConsoleSession::error:
   * @error: in the #HANGAR_CONSOLE_ERROR domain; AUTH_REQUIRED means a
   *   password must be set before connecting again
   */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[CUT_TEXT] =
    g_signal_new ("cut-text", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hangar_console_session_init (HangarConsoleSession *self)
{
}

/* A fresh connection starts (from connect_fd, or a backend's own way in
 * such as SPICE over TLS): how the last one ended is forgotten. */
void
_hangar_console_session_begin (HangarConsoleSession *self)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  hangar_console_session_set_state (self, HANGAR_CONSOLE_STATE_CONNECTING);
  g_clear_pointer (&priv->reason, g_free);
  priv->closing = FALSE;
}

/* Back to disconnected when a backend's own way in failed to start. */
void
_hangar_console_session_abort (HangarConsoleSession *self)
{
  hangar_console_session_set_state (self, HANGAR_CONSOLE_STATE_DISCONNECTED);
}

/**
 * hangar_console_session_connect_fd:
 * @fd: a connected socket; the session owns it from now on, also on failure
 *
 * Starts the protocol on @fd. Progress is reported with the
 * #HangarConsoleSession::connected, ::error and ::disconnected signals.
 */
gboolean
hangar_console_session_connect_fd (HangarConsoleSession  *self,
                                   int                    fd,
                                   GError               **error)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_val_if_fail (HANGAR_IS_CONSOLE_SESSION (self), FALSE);
  g_return_val_if_fail (fd >= 0, FALSE);

  if (priv->state != HANGAR_CONSOLE_STATE_DISCONNECTED)
    {
      close (fd);
      g_set_error_literal (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_FAILED,
                           _("The console is already connected"));
      return FALSE;
    }

  _hangar_console_session_begin (self);

  if (!HANGAR_CONSOLE_SESSION_GET_CLASS (self)->connect_fd (self, fd, error))
    {
      close (fd);
      hangar_console_session_set_state (self, HANGAR_CONSOLE_STATE_DISCONNECTED);
      return FALSE;
    }

  return TRUE;
}

void
hangar_console_session_disconnect (HangarConsoleSession *self)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_if_fail (HANGAR_IS_CONSOLE_SESSION (self));

  if (priv->state == HANGAR_CONSOLE_STATE_DISCONNECTED)
    return;

  /* Asked for: the end it brings is no error to report. */
  priv->closing = TRUE;
  HANGAR_CONSOLE_SESSION_GET_CLASS (self)->disconnect (self);
}

/**
 * hangar_console_session_set_open_fd_func:
 *
 * Sets how the session opens further connections to the same server
 * (SPICE channels). For a local libvirt, each call is one more
 * virDomainOpenGraphicsFD().
 */
void
hangar_console_session_set_open_fd_func (HangarConsoleSession    *self,
                                         HangarConsoleOpenFdFunc  func,
                                         gpointer                 user_data,
                                         GDestroyNotify           destroy)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_if_fail (HANGAR_IS_CONSOLE_SESSION (self));

  if (priv->open_fd_destroy != NULL)
    priv->open_fd_destroy (priv->open_fd_data);

  priv->open_fd_func = func;
  priv->open_fd_data = user_data;
  priv->open_fd_destroy = destroy;
}

HangarConsoleState
hangar_console_session_get_state (HangarConsoleSession *self)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_val_if_fail (HANGAR_IS_CONSOLE_SESSION (self), HANGAR_CONSOLE_STATE_DISCONNECTED);

  return priv->state;
}

const char *
hangar_console_session_get_password (HangarConsoleSession *self)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_val_if_fail (HANGAR_IS_CONSOLE_SESSION (self), NULL);

  return priv->password;
}

void
hangar_console_session_set_password (HangarConsoleSession *self,
                                     const char           *password)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_if_fail (HANGAR_IS_CONSOLE_SESSION (self));

  if (g_strcmp0 (priv->password, password) == 0)
    return;

  /* Don't leave the old secret lying in freed memory. */
  hangar_secret_free (priv->password);
  priv->password = g_strdup (password);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD]);
}

const char *
hangar_console_session_get_username (HangarConsoleSession *self)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_val_if_fail (HANGAR_IS_CONSOLE_SESSION (self), NULL);

  return priv->username;
}

void
hangar_console_session_set_username (HangarConsoleSession *self,
                                     const char           *username)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_if_fail (HANGAR_IS_CONSOLE_SESSION (self));

  if (g_strcmp0 (priv->username, username) == 0)
    return;

  g_free (priv->username);
  priv->username = g_strdup (username);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

/**
 * hangar_console_session_get_framebuffer:
 *
 * The guest picture, XRGB8888 little endian: bytes B, G, R and a padding
 * byte that is not alpha. The memory keeps changing as updates arrive.
 *
 * Returns: (transfer full) (nullable): the pixels, or %NULL before the
 *   first frame
 */
GBytes *
hangar_console_session_get_framebuffer (HangarConsoleSession *self,
                                        guint                *width,
                                        guint                *height,
                                        gsize                *stride)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_val_if_fail (HANGAR_IS_CONSOLE_SESSION (self), NULL);

  if (width != NULL)
    *width = priv->width;
  if (height != NULL)
    *height = priv->height;
  if (stride != NULL)
    *stride = priv->stride;

  return priv->bytes != NULL ? g_bytes_ref (priv->bytes) : NULL;
}

/**
 * hangar_console_session_get_cursor:
 *
 * Returns: (transfer none) (nullable): the guest's cursor image, or %NULL
 *   when the guest draws its own or hides it
 */
GdkTexture *
hangar_console_session_get_cursor (HangarConsoleSession *self,
                                   int                  *hot_x,
                                   int                  *hot_y)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_val_if_fail (HANGAR_IS_CONSOLE_SESSION (self), NULL);

  if (hot_x != NULL)
    *hot_x = priv->cursor_hot_x;
  if (hot_y != NULL)
    *hot_y = priv->cursor_hot_y;

  return priv->cursor;
}

gboolean
hangar_console_session_get_absolute_pointer (HangarConsoleSession *self)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_val_if_fail (HANGAR_IS_CONSOLE_SESSION (self), FALSE);

  return priv->absolute_pointer;
}

/**
 * hangar_console_session_send_key:
 * @qnum: the XT scancode in QEMU numbering (see hangar-keymap.h)
 * @keyval: the GDK keyval (an X keysym), for servers without scancodes;
 *   0 if unknown
 */
void
hangar_console_session_send_key (HangarConsoleSession *self,
                                 guint16               qnum,
                                 guint                 keyval,
                                 gboolean              pressed)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_if_fail (HANGAR_IS_CONSOLE_SESSION (self));

  if (priv->state != HANGAR_CONSOLE_STATE_CONNECTED || qnum == 0)
    return;

  HANGAR_CONSOLE_SESSION_GET_CLASS (self)->send_key (self, qnum, keyval, pressed);
}

/**
 * hangar_console_session_send_pointer:
 * @x: guest framebuffer x, in pixels
 * @y: guest framebuffer y, in pixels
 */
void
hangar_console_session_send_pointer (HangarConsoleSession *self,
                                     double                x,
                                     double                y,
                                     HangarButtonMask      buttons)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_if_fail (HANGAR_IS_CONSOLE_SESSION (self));

  if (priv->state != HANGAR_CONSOLE_STATE_CONNECTED)
    return;

  HANGAR_CONSOLE_SESSION_GET_CLASS (self)->send_pointer (self, x, y, buttons);
}

void
hangar_console_session_send_scroll (HangarConsoleSession  *self,
                                    HangarScrollDirection  direction,
                                    HangarButtonMask       buttons)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_if_fail (HANGAR_IS_CONSOLE_SESSION (self));

  if (priv->state != HANGAR_CONSOLE_STATE_CONNECTED)
    return;

  HANGAR_CONSOLE_SESSION_GET_CLASS (self)->send_scroll (self, direction, buttons);
}

/**
 * hangar_console_session_request_resize:
 *
 * Asks the guest to change its resolution, where the protocol and guest
 * allow it (SPICE with an agent, VNC ExtendedDesktopSize). The answer, if
 * any, arrives as #HangarConsoleSession::framebuffer-resized.
 */
void
hangar_console_session_request_resize (HangarConsoleSession *self,
                                       guint                 width,
                                       guint                 height)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_if_fail (HANGAR_IS_CONSOLE_SESSION (self));

  if (priv->state != HANGAR_CONSOLE_STATE_CONNECTED || width == 0 || height == 0)
    return;
  if (width == priv->width && height == priv->height)
    return;

  if (HANGAR_CONSOLE_SESSION_GET_CLASS (self)->request_resize != NULL)
    HANGAR_CONSOLE_SESSION_GET_CLASS (self)->request_resize (self, width, height);
}

/**
 * hangar_console_session_sync_locks:
 * @locks: the local keyboard's Caps, Num and Scroll Lock
 *
 * Brings the guest's lock keys in line with the local keyboard, for when
 * they were toggled while the console did not have the keyboard.
 */
void
hangar_console_session_sync_locks (HangarConsoleSession *self,
                                   HangarLockMask        locks)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_if_fail (HANGAR_IS_CONSOLE_SESSION (self));

  if (priv->state != HANGAR_CONSOLE_STATE_CONNECTED)
    return;

  if (HANGAR_CONSOLE_SESSION_GET_CLASS (self)->sync_locks != NULL)
    HANGAR_CONSOLE_SESSION_GET_CLASS (self)->sync_locks (self, locks);
}

void
hangar_console_session_send_cut_text (HangarConsoleSession *self,
                                      const char           *text)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_return_if_fail (HANGAR_IS_CONSOLE_SESSION (self));
  g_return_if_fail (text != NULL);

  if (priv->state != HANGAR_CONSOLE_STATE_CONNECTED)
    return;

  if (HANGAR_CONSOLE_SESSION_GET_CLASS (self)->send_cut_text != NULL)
    HANGAR_CONSOLE_SESSION_GET_CLASS (self)->send_cut_text (self, text);
}

/* Backend side */

/* Returns NULL with @error set when the size is not one to allocate: it
 * comes from the display server, and a hostile one must end the session
 * (the backend's job), not abort or allocate gigabytes. */
guint8 *
_hangar_console_session_resize_framebuffer (HangarConsoleSession  *self,
                                            guint                  width,
                                            guint                  height,
                                            gsize                 *stride,
                                            GError               **error)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);
  g_autoptr(GError) local_error = NULL;
  gsize size;

  g_assert (HANGAR_IS_CONSOLE_SESSION (self));

  if (!hangar_bounds_check_framebuffer (width, height, (gint64) width * 4, &local_error))
    {
      g_set_error_literal (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_FAILED,
                           local_error->message);
      return NULL;
    }

  /* A fresh buffer rather than a realloc: the display may still hold
   * textures over the old memory, and GBytes keeps it alive for them. */
  g_clear_pointer (&priv->bytes, g_bytes_unref);
  priv->stride = (gsize) width * 4;
  size = priv->stride * height;
  priv->pixels = g_malloc0 (size);
  priv->bytes = g_bytes_new_take (priv->pixels, size);
  priv->width = width;
  priv->height = height;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
  g_signal_emit (self, signals[FRAMEBUFFER_RESIZED], 0, width, height);

  if (stride != NULL)
    *stride = priv->stride;

  return priv->pixels;
}

guint8 *
_hangar_console_session_peek_framebuffer (HangarConsoleSession *self,
                                          guint                *width,
                                          guint                *height,
                                          gsize                *stride)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  *width = priv->width;
  *height = priv->height;
  *stride = priv->stride;

  return priv->pixels;
}

void
_hangar_console_session_damage (HangarConsoleSession *self,
                                int                   x,
                                int                   y,
                                int                   width,
                                int                   height)
{
  g_signal_emit (self, signals[DAMAGE], 0, x, y, width, height);
}

void
_hangar_console_session_set_cursor (HangarConsoleSession *self,
                                    GdkTexture           *texture,
                                    int                   hot_x,
                                    int                   hot_y)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_set_object (&priv->cursor, texture);
  priv->cursor_hot_x = hot_x;
  priv->cursor_hot_y = hot_y;
  g_signal_emit (self, signals[CURSOR_CHANGED], 0);
}

void
_hangar_console_session_set_absolute_pointer (HangarConsoleSession *self,
                                              gboolean              absolute)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  absolute = !!absolute;
  if (priv->absolute_pointer == absolute)
    return;

  priv->absolute_pointer = absolute;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ABSOLUTE_POINTER]);
}

void
_hangar_console_session_connected (HangarConsoleSession *self)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  if (priv->state == HANGAR_CONSOLE_STATE_CONNECTED)
    return;

  hangar_console_session_set_state (self, HANGAR_CONSOLE_STATE_CONNECTED);
  g_signal_emit (self, signals[CONNECTED], 0);
}

/* The backend's connection ended, asked for or not. */
void
_hangar_console_session_disconnected (HangarConsoleSession *self)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);
  g_autofree char *reason = NULL;

  if (!priv->closing)
    reason = g_strdup (priv->reason != NULL
                       ? priv->reason
                       : _("The connection to the display server was closed"));
  priv->closing = FALSE;
  g_clear_pointer (&priv->reason, g_free);

  if (priv->state == HANGAR_CONSOLE_STATE_DISCONNECTED)
    return;

  hangar_console_session_set_state (self, HANGAR_CONSOLE_STATE_DISCONNECTED);
  g_signal_emit (self, signals[DISCONNECTED], 0, reason);
}

void
_hangar_console_session_error (HangarConsoleSession *self,
                               const GError         *error)
{
  g_debug ("Console error: %s", error->message);
  g_signal_emit (self, signals[ERROR], 0, error);
}

/* Reports an error and keeps @message as the reason the coming
 * disconnection gives, unless one was noted before. */
void
_hangar_console_session_fail (HangarConsoleSession *self,
                              GQuark                domain,
                              int                   code,
                              const char           *message)
{
  g_autoptr(GError) error = g_error_new_literal (domain, code, message);

  _hangar_console_session_error (self, error);
  _hangar_console_session_note_reason (self, message);
}

/* The first reason stays: what follows an error (an I/O error after an
 * authentication failure) is mostly its consequence. */
void
_hangar_console_session_note_reason (HangarConsoleSession *self,
                                     const char           *message)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  if (priv->reason == NULL)
    priv->reason = g_strdup (message);
}

/* @message replaces any reason noted before, for a backend that learns
 * the specific one after a generic one. */
void
_hangar_console_session_set_reason (HangarConsoleSession *self,
                                    const char           *message)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  g_free (priv->reason);
  priv->reason = g_strdup (message);
}

void
_hangar_console_session_cut_text (HangarConsoleSession *self,
                                  const char           *text)
{
  g_signal_emit (self, signals[CUT_TEXT], 0, text);
}

int
_hangar_console_session_open_fd (HangarConsoleSession  *self,
                                 GError               **error)
{
  HangarConsoleSessionPrivate *priv = hangar_console_session_get_instance_private (self);

  if (priv->open_fd_func == NULL)
    {
      g_set_error_literal (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_TRANSPORT,
                           _("No way to open another connection to the display server"));
      return -1;
    }

  return priv->open_fd_func (self, error, priv->open_fd_data);
}
