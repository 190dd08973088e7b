/* hangar-vnc-session.c — a console session over VNC (gvnc-1.0).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gvnc runs the protocol in a coroutine on the main context and emits its
 * signals there; it decodes straight into our framebuffer memory through
 * a VncBaseFramebuffer, and asks the server for the next update by itself.
 *
 * The guest's clipboard comes from QEMU over a side channel of our own
 * (hangar-vnc-clipboard.c), as gvnc cannot read QEMU's clipboard messages.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <glib/gi18n.h>
#include <gvnc.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hangar-bounds.h"
#include "hangar-console-session-private.h"
#include "hangar-vnc-clipboard.h"
#include "hangar-vnc-session.h"

struct _HangarVncSession
{
  HangarConsoleSession parent_instance;

  VncConnection *conn;
  VncBaseFramebuffer *fb;
  guint update_source;
  guint16 last_x;
  guint16 last_y;
  gboolean have_position;
  HangarButtonMask buttons;
  /* The server reads client cut text as UTF-8 (QEMU), not Latin-1. */
  gboolean utf8_cut_text;
  /* The guest's clipboard, from QEMU; and where a TCP connection goes,
   * for the side channel when there is no open-fd function. */
  HangarVncClipboard *clipboard;
  GSocketAddress *peer;
};

typedef struct
{
  HangarConsoleSessionClass parent_class;
} HangarVncSessionClass;

G_DEFINE_FINAL_TYPE (HangarVncSession, hangar_vnc_session, HANGAR_TYPE_CONSOLE_SESSION)

/* What our framebuffer holds: 32 bits per pixel, B, G, R, X in memory. */
static const VncPixelFormat local_format = {
  .bits_per_pixel = 32,
  .depth = 24,
  .byte_order = G_LITTLE_ENDIAN,
  .true_color_flag = 1,
  .red_max = 255,
  .green_max = 255,
  .blue_max = 255,
  .red_shift = 16,
  .green_shift = 8,
  .blue_shift = 0,
};

/* gvnc reports the server's own words as vnc-error before the signal
 * that says what failed: @message is the reason to give. */
static void
hangar_vnc_session_fail (HangarVncSession *self,
                         GQuark            domain,
                         int               code,
                         const char       *message)
{
  HangarConsoleSession *session = HANGAR_CONSOLE_SESSION (self);

  _hangar_console_session_fail (session, domain, code, message);
  _hangar_console_session_set_reason (session, message);
}

/* Sizes come from the server (16 bits each in RFB): one we will not
 * allocate ends the session with an error. */
static gboolean
hangar_vnc_session_setup_framebuffer (HangarVncSession *self)
{
  HangarConsoleSession *session = HANGAR_CONSOLE_SESSION (self);
  g_autoptr(GError) error = NULL;
  const VncPixelFormat *remote_format;
  guint8 *pixels;
  gsize stride;
  int width = vnc_connection_get_width (self->conn);
  int height = vnc_connection_get_height (self->conn);

  pixels = _hangar_console_session_resize_framebuffer (session, MAX (width, 0), MAX (height, 0),
                                                       &stride, &error);
  if (pixels == NULL)
    {
      hangar_vnc_session_fail (self, error->domain, error->code, error->message);
      vnc_connection_shutdown (self->conn);
      return FALSE;
    }

  remote_format = vnc_connection_get_pixel_format (self->conn);

  g_clear_object (&self->fb);
  self->fb = vnc_base_framebuffer_new (pixels, width, height, stride,
                                       &local_format, remote_format);
  vnc_connection_set_framebuffer (self->conn, VNC_FRAMEBUFFER (self->fb));
  return TRUE;
}

/* QEMU names its desktop "QEMU", or "QEMU (NAME)" after the -name
 * option (libvirt passes the domain's name); the guest cannot change the
 * prefix. */
static gboolean
hangar_vnc_session_server_is_qemu (VncConnection *conn)
{
  const char *name = vnc_connection_get_name (conn);

  return name != NULL && (g_str_equal (name, "QEMU") || g_str_has_prefix (name, "QEMU ("));
}

/* A second connection to the server, for its clipboard: through the
 * open-fd function as SPICE's channels get theirs (a local libvirt's
 * virDomainOpenGraphicsFD, an ssh tunnel), or to the same TCP address. */
static void
hangar_vnc_session_start_clipboard (HangarVncSession *self)
{
  HangarConsoleSession *session = HANGAR_CONSOLE_SESSION (self);
  const char *password = hangar_console_session_get_password (session);
  g_autoptr(GError) error = NULL;
  int fd;

  fd = _hangar_console_session_open_fd (session, &error);
  if (fd >= 0)
    self->clipboard = hangar_vnc_clipboard_new (fd, password);
  else if (self->peer != NULL)
    self->clipboard = hangar_vnc_clipboard_new_for_address (self->peer, password);
  else
    {
      g_debug ("No VNC clipboard channel: %s", error->message);
      return;
    }
  /* The same way as plain cut text: UTF-8 already. */
  g_signal_connect_swapped (self->clipboard, "text",
                            G_CALLBACK (_hangar_console_session_cut_text), self);
}

static void
hangar_vnc_session_drop_clipboard (HangarVncSession *self)
{
  if (self->clipboard == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->clipboard, self);
  hangar_vnc_clipboard_close (self->clipboard);
  g_clear_object (&self->clipboard);
}

static void
on_vnc_initialized (VncConnection    *conn,
                    HangarVncSession *self)
{
  /* Cheap-to-decode encodings first: the server is usually on this host
   * or one hop away, where ZRLE's compression pays less than its CPU. */
  static gint32 encodings[] = {
    VNC_CONNECTION_ENCODING_EXTENDED_DESKTOP_RESIZE,
    VNC_CONNECTION_ENCODING_DESKTOP_RESIZE,
    VNC_CONNECTION_ENCODING_DESKTOP_NAME,
    VNC_CONNECTION_ENCODING_LAST_RECT,
    VNC_CONNECTION_ENCODING_WMVi,
    VNC_CONNECTION_ENCODING_ALPHA_CURSOR,
    VNC_CONNECTION_ENCODING_RICH_CURSOR,
    VNC_CONNECTION_ENCODING_XCURSOR,
    VNC_CONNECTION_ENCODING_POINTER_CHANGE,
    VNC_CONNECTION_ENCODING_EXT_KEY_EVENT,
    VNC_CONNECTION_ENCODING_LED_STATE,
    VNC_CONNECTION_ENCODING_ZRLE,
    VNC_CONNECTION_ENCODING_HEXTILE,
    VNC_CONNECTION_ENCODING_RRE,
    VNC_CONNECTION_ENCODING_COPY_RECT,
    VNC_CONNECTION_ENCODING_RAW,
  };

  if (!vnc_connection_set_pixel_format (conn, &local_format) ||
      !vnc_connection_set_encodings (conn, G_N_ELEMENTS (encodings), encodings))
    {
      vnc_connection_shutdown (conn);
      return;
    }

  self->utf8_cut_text = hangar_vnc_session_server_is_qemu (conn);

  if (!hangar_vnc_session_setup_framebuffer (self))
    return;
  _hangar_console_session_set_absolute_pointer (HANGAR_CONSOLE_SESSION (self),
                                                vnc_connection_get_abs_pointer (conn));

  if (!vnc_connection_framebuffer_update_request (conn, FALSE, 0, 0,
                                                  vnc_connection_get_width (conn),
                                                  vnc_connection_get_height (conn)))
    {
      vnc_connection_shutdown (conn);
      return;
    }

  _hangar_console_session_connected (HANGAR_CONSOLE_SESSION (self));

  /* QEMU shares its clipboard only in Extended Clipboard messages. */
  if (self->utf8_cut_text && self->clipboard == NULL)
    hangar_vnc_session_start_clipboard (self);
}

static void
on_vnc_desktop_resize (VncConnection    *conn,
                       guint16           width,
                       guint16           height,
                       HangarVncSession *self)
{
  hangar_vnc_session_setup_framebuffer (self);
}

static void
on_vnc_pixel_format_changed (VncConnection    *conn,
                             VncPixelFormat   *format,
                             HangarVncSession *self)
{
  hangar_vnc_session_setup_framebuffer (self);
}

static gboolean
request_update_cb (gpointer data)
{
  HangarVncSession *self = data;

  self->update_source = 0;

  if (self->conn != NULL && vnc_connection_is_initialized (self->conn))
    vnc_connection_framebuffer_update_request (self->conn, TRUE, 0, 0,
                                               vnc_connection_get_width (self->conn),
                                               vnc_connection_get_height (self->conn));

  return G_SOURCE_REMOVE;
}

static void
on_vnc_framebuffer_update (VncConnection    *conn,
                           guint16           x,
                           guint16           y,
                           guint16           width,
                           guint16           height,
                           HangarVncSession *self)
{
  _hangar_console_session_damage (HANGAR_CONSOLE_SESSION (self), x, y, width, height);

  /* gvnc re-requests after pseudo-encodings only; asking for the next
   * incremental update is the client's job. The signal comes once per
   * rectangle: ask once, when the message has been read. */
  if (self->update_source == 0)
    self->update_source = g_idle_add (request_update_cb, self);
}

static void
on_vnc_cursor_changed (VncConnection    *conn,
                       VncCursor        *cursor,
                       HangarVncSession *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  guint32 *pixels;
  guint width, height;

  if (cursor == NULL)
    {
      _hangar_console_session_set_cursor (HANGAR_CONSOLE_SESSION (self), NULL, 0, 0);
      return;
    }

  width = vnc_cursor_get_width (cursor);
  height = vnc_cursor_get_height (cursor);
  if (width == 0 || height == 0)
    {
      _hangar_console_session_set_cursor (HANGAR_CONSOLE_SESSION (self), NULL, 0, 0);
      return;
    }
  if (!hangar_bounds_check_cursor (width, height, &error))
    {
      hangar_vnc_session_fail (self, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_FAILED,
                               error->message);
      vnc_connection_shutdown (self->conn);
      return;
    }

  /* gvnc hands every cursor encoding over as native-endian 32-bit ARGB
   * words (B, G, R, A bytes on little-endian machines), the layout of
   * GDK_MEMORY_DEFAULT. Alpha cursors (QEMU's choice when offered) come
   * premultiplied, as the encoding says; rich cursors keep their colour
   * under a transparent mask bit, which premultiplied pixels cannot
   * have: clear those, and both read right. */
  pixels = g_memdup2 (vnc_cursor_get_data (cursor), (gsize) width * height * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    if (pixels[i] >> 24 == 0)
      pixels[i] = 0;
  bytes = g_bytes_new_take (pixels, (gsize) width * height * 4);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, width * 4);
  _hangar_console_session_set_cursor (HANGAR_CONSOLE_SESSION (self), texture,
                                      vnc_cursor_get_hotx (cursor),
                                      vnc_cursor_get_hoty (cursor));
}

static void
on_vnc_pointer_mode_changed (VncConnection    *conn,
                             gboolean          absolute,
                             HangarVncSession *self)
{
  _hangar_console_session_set_absolute_pointer (HANGAR_CONSOLE_SESSION (self), absolute);
}

static void
on_vnc_server_cut_text (VncConnection    *conn,
                        const GString    *text,
                        HangarVncSession *self)
{
  g_autofree char *utf8 = NULL;

  /* Plain RFB cut text is Latin-1. */
  utf8 = g_convert (text->str, text->len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
  if (utf8 != NULL)
    _hangar_console_session_cut_text (HANGAR_CONSOLE_SESSION (self), utf8);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static void
on_vnc_auth_choose_type (VncConnection    *conn,
                         GValueArray      *types,
                         HangarVncSession *self)
{
  static const guint preferred[] = {
    VNC_CONNECTION_AUTH_VENCRYPT,
    VNC_CONNECTION_AUTH_TLS,
    VNC_CONNECTION_AUTH_VNC,
    VNC_CONNECTION_AUTH_NONE,
  };

  for (guint p = 0; p < G_N_ELEMENTS (preferred); p++)
    for (guint i = 0; i < types->n_values; i++)
      if (g_value_get_enum (g_value_array_get_nth (types, i)) == (int) preferred[p])
        {
          vnc_connection_set_auth_type (conn, preferred[p]);
          return;
        }

  hangar_vnc_session_fail (self, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_UNSUPPORTED,
                           _("The VNC server asks for a kind of authentication Hangar does not support"));
  vnc_connection_shutdown (conn);
}

static void
on_vnc_auth_choose_subtype (VncConnection    *conn,
                            guint             type,
                            GValueArray      *subtypes,
                            HangarVncSession *self)
{
  static const guint preferred[] = {
    VNC_CONNECTION_AUTH_VENCRYPT_X509VNC,
    VNC_CONNECTION_AUTH_VENCRYPT_X509NONE,
    VNC_CONNECTION_AUTH_VENCRYPT_TLSVNC,
    VNC_CONNECTION_AUTH_VENCRYPT_TLSNONE,
    VNC_CONNECTION_AUTH_VNC,
    VNC_CONNECTION_AUTH_NONE,
  };

  for (guint p = 0; p < G_N_ELEMENTS (preferred); p++)
    for (guint i = 0; i < subtypes->n_values; i++)
      if (g_value_get_enum (g_value_array_get_nth (subtypes, i)) == (int) preferred[p])
        {
          vnc_connection_set_auth_subtype (conn, preferred[p]);
          return;
        }

  hangar_vnc_session_fail (self, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_UNSUPPORTED,
                           _("The VNC server asks for a kind of authentication Hangar does not support"));
  vnc_connection_shutdown (conn);
}

static void
on_vnc_auth_credential (VncConnection    *conn,
                        GValueArray      *credentials,
                        HangarVncSession *self)
{
  HangarConsoleSession *session = HANGAR_CONSOLE_SESSION (self);

  for (guint i = 0; i < credentials->n_values; i++)
    {
      int type = g_value_get_enum (g_value_array_get_nth (credentials, i));
      const char *value = NULL;

      switch (type)
        {
        case VNC_CONNECTION_CREDENTIAL_PASSWORD:
          value = hangar_console_session_get_password (session);
          break;
        case VNC_CONNECTION_CREDENTIAL_USERNAME:
          value = hangar_console_session_get_username (session);
          break;
        case VNC_CONNECTION_CREDENTIAL_CLIENTNAME:
          value = "hangar";
          break;
        default:
          break;
        }

      if (value == NULL)
        {
          hangar_vnc_session_fail (self, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_REQUIRED,
                                   type == VNC_CONNECTION_CREDENTIAL_USERNAME
                                   ? _("The VNC server needs a user name and password")
                                   : _("The VNC server needs a password"));
          vnc_connection_shutdown (conn);
          return;
        }

      if (!vnc_connection_set_credential (conn, type, value))
        {
          vnc_connection_shutdown (conn);
          return;
        }
    }
}

G_GNUC_END_IGNORE_DEPRECATIONS

static void
on_vnc_auth_failure (VncConnection    *conn,
                     const char       *reason,
                     HangarVncSession *self)
{
  g_autofree char *message = NULL;

  if (reason != NULL && *reason != '\0')
    message = g_strdup_printf (_("The VNC server refused the password: %s"), reason);
  else
    message = g_strdup (_("The VNC server refused the password"));

  hangar_vnc_session_fail (self, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_FAILED, message);
}

static void
on_vnc_auth_unsupported (VncConnection    *conn,
                         guint             type,
                         HangarVncSession *self)
{
  hangar_vnc_session_fail (self, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_UNSUPPORTED,
                           _("The VNC server asks for a kind of authentication Hangar does not support"));
}

static void
on_vnc_error (VncConnection    *conn,
              const char       *message,
              HangarVncSession *self)
{
  g_debug ("VNC error: %s", message);

  /* Keep the first, most specific, reason (an auth failure is followed
   * by a generic I/O error). */
  _hangar_console_session_note_reason (HANGAR_CONSOLE_SESSION (self), message);
}

static void
on_vnc_disconnected (VncConnection    *conn,
                     HangarVncSession *self)
{
  g_clear_handle_id (&self->update_source, g_source_remove);
  hangar_vnc_session_drop_clipboard (self);
  _hangar_console_session_disconnected (HANGAR_CONSOLE_SESSION (self));
}

static void
hangar_vnc_session_drop_connection (HangarVncSession *self)
{
  if (self->conn == NULL)
    return;

  g_clear_handle_id (&self->update_source, g_source_remove);
  hangar_vnc_session_drop_clipboard (self);
  g_clear_object (&self->peer);
  g_signal_handlers_disconnect_by_data (self->conn, self);
  vnc_connection_shutdown (self->conn);
  g_clear_object (&self->conn);
  g_clear_object (&self->fb);
}

/* Where @fd goes if it is a TCP connection, to open another one. */
static GSocketAddress *
tcp_peer_address (int fd)
{
  struct sockaddr_storage address;
  socklen_t len = sizeof address;

  if (getpeername (fd, (struct sockaddr *) &address, &len) < 0
      || (address.ss_family != AF_INET && address.ss_family != AF_INET6))
    return NULL;

  return g_socket_address_new_from_native (&address, len);
}

static gboolean
hangar_vnc_session_connect_fd (HangarConsoleSession  *session,
                               int                    fd,
                               GError               **error)
{
  HangarVncSession *self = HANGAR_VNC_SESSION (session);

  /* A connection is single-use: start over with a fresh one. */
  hangar_vnc_session_drop_connection (self);
  self->last_x = self->last_y = 0;
  self->have_position = FALSE;
  self->buttons = 0;
  self->peer = tcp_peer_address (fd);

  if (g_getenv ("HANGAR_VNC_DEBUG") != NULL)
    vnc_util_set_debug (TRUE);

  self->conn = vnc_connection_new ();
  g_signal_connect (self->conn, "vnc-initialized", G_CALLBACK (on_vnc_initialized), self);
  g_signal_connect (self->conn, "vnc-desktop-resize", G_CALLBACK (on_vnc_desktop_resize), self);
  g_signal_connect (self->conn, "vnc-pixel-format-changed",
                    G_CALLBACK (on_vnc_pixel_format_changed), self);
  g_signal_connect (self->conn, "vnc-framebuffer-update",
                    G_CALLBACK (on_vnc_framebuffer_update), self);
  g_signal_connect (self->conn, "vnc-cursor-changed", G_CALLBACK (on_vnc_cursor_changed), self);
  g_signal_connect (self->conn, "vnc-pointer-mode-changed",
                    G_CALLBACK (on_vnc_pointer_mode_changed), self);
  g_signal_connect (self->conn, "vnc-server-cut-text", G_CALLBACK (on_vnc_server_cut_text), self);
  g_signal_connect (self->conn, "vnc-auth-choose-type", G_CALLBACK (on_vnc_auth_choose_type), self);
  g_signal_connect (self->conn, "vnc-auth-choose-subtype",
                    G_CALLBACK (on_vnc_auth_choose_subtype), self);
  g_signal_connect (self->conn, "vnc-auth-credential", G_CALLBACK (on_vnc_auth_credential), self);
  g_signal_connect (self->conn, "vnc-auth-failure", G_CALLBACK (on_vnc_auth_failure), self);
  g_signal_connect (self->conn, "vnc-auth-unsupported", G_CALLBACK (on_vnc_auth_unsupported), self);
  g_signal_connect (self->conn, "vnc-error", G_CALLBACK (on_vnc_error), self);
  g_signal_connect (self->conn, "vnc-disconnected", G_CALLBACK (on_vnc_disconnected), self);

  /* Share the desktop with other viewers (virt-manager, remote-viewer)
   * instead of kicking them off. */
  vnc_connection_set_shared (self->conn, TRUE);

  if (!vnc_connection_open_fd (self->conn, fd))
    {
      hangar_vnc_session_drop_connection (self);
      g_set_error_literal (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_TRANSPORT,
                           _("Could not start the VNC connection"));
      return FALSE;
    }

  /* From here the GSocket gvnc wraps around @fd owns it. */
  return TRUE;
}

static void
hangar_vnc_session_disconnect (HangarConsoleSession *session)
{
  HangarVncSession *self = HANGAR_VNC_SESSION (session);

  if (self->conn != NULL)
    vnc_connection_shutdown (self->conn);
}

static void
hangar_vnc_session_send_key (HangarConsoleSession *session,
                             guint16               qnum,
                             guint                 keyval,
                             gboolean              pressed)
{
  HangarVncSession *self = HANGAR_VNC_SESSION (session);

  /* With QEMU's extended key event the scancode is what counts; the
   * keysym is only for servers that lack it. */
  vnc_connection_key_event (self->conn, pressed, keyval, qnum);
}

/* With the pointer-type-change extension, QEMU in relative mode reads a
 * pointer event as motion from the centre of a 65535×65535 space. */
#define RELATIVE_CENTRE 0x7fff

static void
hangar_vnc_session_send_pointer (HangarConsoleSession *session,
                                 double                x,
                                 double                y,
                                 HangarButtonMask      buttons)
{
  HangarVncSession *self = HANGAR_VNC_SESSION (session);
  guint16 ix = (guint16) x, iy = (guint16) y;

  if (hangar_console_session_get_absolute_pointer (session))
    {
      vnc_connection_pointer_event (self->conn, buttons, ix, iy);
    }
  else
    {
      /* No pointer lock: send how far the pointer moved over the picture.
       * The guest's own pointer may drift from ours. */
      int dx = self->have_position ? ix - self->last_x : 0;
      int dy = self->have_position ? iy - self->last_y : 0;

      vnc_connection_pointer_event (self->conn, buttons,
                                    RELATIVE_CENTRE + CLAMP (dx, -RELATIVE_CENTRE, RELATIVE_CENTRE),
                                    RELATIVE_CENTRE + CLAMP (dy, -RELATIVE_CENTRE, RELATIVE_CENTRE));
    }

  self->last_x = ix;
  self->last_y = iy;
  self->have_position = TRUE;
  self->buttons = buttons;
}

static void
hangar_vnc_session_send_scroll (HangarConsoleSession  *session,
                                HangarScrollDirection  direction,
                                HangarButtonMask       buttons)
{
  HangarVncSession *self = HANGAR_VNC_SESSION (session);
  guint8 wheel = 1 << (3 + direction);
  guint16 x = self->last_x, y = self->last_y;

  /* RFB has no scroll message: the wheel is buttons 4 to 7, pressed and
   * released where the pointer is (or, relative, without moving it). */
  if (!hangar_console_session_get_absolute_pointer (session))
    x = y = RELATIVE_CENTRE;

  vnc_connection_pointer_event (self->conn, buttons | wheel, x, y);
  vnc_connection_pointer_event (self->conn, buttons, x, y);
}

static void
hangar_vnc_session_request_resize (HangarConsoleSession *session,
                                   guint                 width,
                                   guint                 height)
{
  HangarVncSession *self = HANGAR_VNC_SESSION (session);
  VncConnectionResizeStatus status;

  /* gvnc 1.3.1 returns only UNSUPPORTED (the server announced no
   * ExtendedDesktopSize) as a status; otherwise whether the request went
   * out, TRUE reading as ..._ADMIN_PROHIBITED. The server's answer comes
   * later, and a resize as vnc-desktop-resize. */
  status = vnc_connection_set_size (self->conn, width, height);
  if (status == VNC_CONNECTION_RESIZE_STATUS_UNSUPPORTED)
    g_debug ("VNC server cannot resize the desktop (to %ux%u)", width, height);
}

static void
hangar_vnc_session_send_cut_text (HangarConsoleSession *session,
                                  const char           *text)
{
  HangarVncSession *self = HANGAR_VNC_SESSION (session);
  g_autofree char *latin1 = NULL;
  gsize len = 0;

  /* RFB says cut text is Latin-1, but QEMU (6.1 and later) puts the bytes
   * on its clipboard as they come, as UTF-8 text, and hands them so to
   * the guest's agent: Latin-1 would turn "ç" into an invalid byte there
   * and "→" into "?". Its VNC server has no other way in: the Extended
   * Clipboard messages, which are UTF-8 by definition, are not in gvnc. */
  if (self->utf8_cut_text)
    {
      vnc_connection_client_cut_text (self->conn, text, strlen (text));
      if (self->clipboard != NULL)
        hangar_vnc_clipboard_note_client_text (self->clipboard, text);
      return;
    }

  latin1 = g_convert_with_fallback (text, -1, "ISO-8859-1", "UTF-8", "?", NULL, &len, NULL);
  if (latin1 != NULL)
    vnc_connection_client_cut_text (self->conn, latin1, len);
}

static void
hangar_vnc_session_sync_locks (HangarConsoleSession *session,
                               HangarLockMask        locks)
{
  HangarVncSession *self = HANGAR_VNC_SESSION (session);
  static const struct { HangarLockMask lock; guint16 qnum; guint keyval; } keys[] = {
    { HANGAR_LOCK_CAPS, 0x3a, 0xffe5 /* Caps_Lock */ },
    { HANGAR_LOCK_NUM, 0x45, 0xff7f /* Num_Lock */ },
    { HANGAR_LOCK_SCROLL, 0x46, 0xff14 /* Scroll_Lock */ },
  };
  int guest;

  /* The guest's LEDs come with QEMU's LED state pseudo-encoding; RFB has
   * no message to set them, so press the keys that differ. */
  guest = vnc_connection_get_ledstate (self->conn);
  if (guest < 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (((guest & keys[i].lock) != 0) != ((locks & keys[i].lock) != 0))
      {
        vnc_connection_key_event (self->conn, TRUE, keys[i].keyval, keys[i].qnum);
        vnc_connection_key_event (self->conn, FALSE, keys[i].keyval, keys[i].qnum);
      }
}

static void
hangar_vnc_session_dispose (GObject *object)
{
  HangarVncSession *self = HANGAR_VNC_SESSION (object);

  hangar_vnc_session_drop_connection (self);

  G_OBJECT_CLASS (hangar_vnc_session_parent_class)->dispose (object);
}

static void
hangar_vnc_session_class_init (HangarVncSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HangarConsoleSessionClass *session_class = HANGAR_CONSOLE_SESSION_CLASS (klass);

  object_class->dispose = hangar_vnc_session_dispose;

  session_class->connect_fd = hangar_vnc_session_connect_fd;
  session_class->disconnect = hangar_vnc_session_disconnect;
  session_class->send_key = hangar_vnc_session_send_key;
  session_class->send_pointer = hangar_vnc_session_send_pointer;
  session_class->send_scroll = hangar_vnc_session_send_scroll;
  session_class->request_resize = hangar_vnc_session_request_resize;
  session_class->send_cut_text = hangar_vnc_session_send_cut_text;
  session_class->sync_locks = hangar_vnc_session_sync_locks;
}

static void
hangar_vnc_session_init (HangarVncSession *self)
{
}

HangarConsoleSession *
hangar_vnc_session_new (void)
{
  return g_object_new (HANGAR_TYPE_VNC_SESSION, NULL);
}
