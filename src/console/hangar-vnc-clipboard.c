/* hangar-vnc-clipboard.c — the guest's clipboard from QEMU's VNC server,
 * over a connection of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * QEMU's VNC server tells clients about its clipboard,
 * which qemu-vdagent joins to the guest's, only in Extended Clipboard
 * messages (a ServerCutText with a negative length), and only to clients
 * that announced that pseudo-encoding. gvnc 1.3.1 does not know it and
 * drops the connection when one comes, so the console's gvnc connection
 * cannot announce it. This is a second, shared RFB connection to the same
 * server that does nothing else: it announces only that encoding and
 * never asks for a picture, so the server sends it nothing but clipboard
 * messages. On Notify it sends Request; the Provide that answers carries
 * the text, zlib-deflated.
 *
 * It lives on the main context with a non-blocking socket and a small
 * parser over what has come in so far. It is a nicety: anything going
 * wrong ends it quietly (g_debug), never the console.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "hangar-rfb.h"
#include "hangar-vnc-clipboard-private.h"
#include "hangar-secret.h"

typedef enum
{
  STATE_CONNECTING,       /* new_for_address: the TCP connect is under way */
  STATE_VERSION,
  STATE_SECURITY_TYPES,   /* 3.7 and 3.8: the server lists, we choose */
  STATE_SECURITY_TYPE_33, /* 3.3: the server chooses */
  STATE_CHALLENGE,
  STATE_SECURITY_RESULT,
  STATE_SERVER_INIT,
  STATE_MESSAGES,
  STATE_CLOSED,
} State;

/* RFB security types. */
enum
{
  SECURITY_INVALID = 0,
  SECURITY_NONE = 1,
  SECURITY_VNC = 2,
};

/* Server to client message types; client ones. */
enum
{
  MSG_FRAMEBUFFER_UPDATE = 0,
  MSG_SET_COLOUR_MAP_ENTRIES = 1,
  MSG_BELL = 2,
  MSG_SERVER_CUT_TEXT = 3,
  MSG_CLIENT_SET_ENCODINGS = 2,
  MSG_CLIENT_CUT_TEXT = 6,
};

/* Longest failure reason or desktop name we wait for. */
#define MAX_STRING (64 * 1024)
/* How many of the client's texts we keep to recognise. */
#define MAX_CLIENT_TEXTS 8
/* Longest cut text message we read: the longest text, deflated, and what
 * zlib adds at worst to data it cannot compress. */
#define MAX_MESSAGE (HANGAR_RFB_CLIPBOARD_MAX_TEXT + HANGAR_RFB_CLIPBOARD_MAX_TEXT / 1000 + 1024)
/* Most we hold unsent. The channel only answers (a dozen bytes a
 * message): a server that keeps asking and never reads the answers would
 * otherwise grow this without end (review finding L8). */
#define MAX_PENDING_OUT (64 * 1024)

struct _HangarVncClipboard
{
  GObject parent_instance;

  GSocketConnection *connection;  /* new_for_address: owns the socket */
  GSocket *socket;
  GSource *in_source;
  GSource *out_source;
  GCancellable *cancellable;
  GByteArray *in;
  GByteArray *out;
  guint64 skip;   /* what is left of a message too big to take */
  State state;
  guint minor;
  char *password;
  /* What the client put on the server's clipboard since the guest's
   * last text, oldest first: the server tells us about it too, maybe
   * late (after the client sent more), and it must not come back as the
   * guest's. */
  GPtrArray *client_texts;
};

enum
{
  TEXT,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarVncClipboard, hangar_vnc_clipboard, G_TYPE_OBJECT)

static gboolean on_socket_writable (GSocket *socket, GIOCondition condition, gpointer data);

static guint32
read_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
append_u32 (GByteArray *array,
            guint32     value)
{
  guint8 be[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, be, 4);
}

static void
hangar_vnc_clipboard_shutdown (HangarVncClipboard *self)
{
  self->state = STATE_CLOSED;
  g_cancellable_cancel (self->cancellable);
  if (self->in_source != NULL)
    g_source_destroy (self->in_source);
  g_clear_pointer (&self->in_source, g_source_unref);
  if (self->out_source != NULL)
    g_source_destroy (self->out_source);
  g_clear_pointer (&self->out_source, g_source_unref);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->connection);
  g_byte_array_set_size (self->in, 0);
  g_byte_array_set_size (self->out, 0);
}

static void
hangar_vnc_clipboard_fail (HangarVncClipboard *self,
                           const char         *reason)
{
  if (self->state == STATE_CLOSED)
    return;

  g_debug ("VNC clipboard channel closed: %s", reason);
  hangar_vnc_clipboard_shutdown (self);
  g_signal_emit (self, signals[CLOSED], 0);
}

/* Sends what is queued, as far as the socket takes it now; the rest when
 * it is writable again. */
static gboolean
hangar_vnc_clipboard_flush (HangarVncClipboard  *self,
                            GError             **error)
{
  while (self->out->len > 0)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n = g_socket_send (self->socket, (const char *) self->out->data, self->out->len,
                                NULL, &local_error);

      if (n < 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          if (self->out_source == NULL)
            {
              self->out_source = g_socket_create_source (self->socket, G_IO_OUT, NULL);
              g_source_set_callback (self->out_source, G_SOURCE_FUNC (on_socket_writable),
                                     self, NULL);
              g_source_attach (self->out_source, g_main_context_get_thread_default ());
            }
          return TRUE;
        }
      if (n < 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_byte_array_remove_range (self->out, 0, n);
    }

  if (self->out_source != NULL)
    g_source_destroy (self->out_source);
  g_clear_pointer (&self->out_source, g_source_unref);
  return TRUE;
}

static gboolean
on_socket_writable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      data)
{
  HangarVncClipboard *self = data;
  g_autoptr(GError) error = NULL;

  if (!hangar_vnc_clipboard_flush (self, &error))
    hangar_vnc_clipboard_fail (self, error->message);
  /* Either flush dropped the source or more is still to go. */
  return self->out_source != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
send_client_init (HangarVncClipboard *self)
{
  /* Shared: QEMU's default policy would otherwise disconnect the console
   * itself, which is shared too. */
  static const guint8 shared = 1;

  g_byte_array_append (self->out, &shared, 1);
  self->state = STATE_SERVER_INIT;
}

/* An Extended Clipboard message: flags and what follows them. */
static void
send_extended (HangarVncClipboard *self,
               guint32             flags,
               const guint32      *values,
               guint               n_values)
{
  static const guint8 header[4] = { MSG_CLIENT_CUT_TEXT, 0, 0, 0 };

  g_byte_array_append (self->out, header, sizeof header);
  append_u32 (self->out, (guint32) -(gint32) (4 + 4 * n_values));
  append_u32 (self->out, flags);
  for (guint i = 0; i < n_values; i++)
    append_u32 (self->out, values[i]);
}

static void
handle_extended (HangarVncClipboard *self,
                 guint32             flags,
                 const guint8       *data,
                 gsize               len)
{
  if (flags & HANGAR_RFB_CLIPBOARD_CAPS)
    {
      /* What we take: text, told about and handed over. The server may
       * send text up to this size without being asked. */
      static const guint32 max_text = HANGAR_RFB_CLIPBOARD_MAX_TEXT;

      send_extended (self,
                     HANGAR_RFB_CLIPBOARD_CAPS | HANGAR_RFB_CLIPBOARD_TEXT
                     | HANGAR_RFB_CLIPBOARD_NOTIFY | HANGAR_RFB_CLIPBOARD_PROVIDE
                     | HANGAR_RFB_CLIPBOARD_PEEK,
                     &max_text, 1);
    }
  else if (flags & HANGAR_RFB_CLIPBOARD_PROVIDE)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = hangar_rfb_clipboard_provided_text (flags, data, len, &error);

      if (text == NULL)
        {
          if (error != NULL)
            g_debug ("VNC clipboard: %s", error->message);
          return;
        }
      for (guint i = 0; i < self->client_texts->len; i++)
        if (g_str_equal (text, g_ptr_array_index (self->client_texts, i)))
          {
            g_debug ("VNC clipboard: the client's own text came back");
            return;
          }

      g_debug ("VNC clipboard: %zu bytes of text from the guest", strlen (text));
      g_ptr_array_set_size (self->client_texts, 0);
      g_signal_emit (self, signals[TEXT], 0, text);
    }
  else if (flags & HANGAR_RFB_CLIPBOARD_NOTIFY)
    {
      g_debug ("VNC clipboard: the server's clipboard changed%s",
               flags & HANGAR_RFB_CLIPBOARD_TEXT ? ", asking for its text" : "");
      if (flags & HANGAR_RFB_CLIPBOARD_TEXT)
        send_extended (self, HANGAR_RFB_CLIPBOARD_REQUEST | HANGAR_RFB_CLIPBOARD_TEXT, NULL, 0);
    }
  else if (flags & HANGAR_RFB_CLIPBOARD_PEEK)
    {
      /* We offer nothing: the console's connection sends the client's
       * clipboard as plain cut text. */
      send_extended (self, HANGAR_RFB_CLIPBOARD_NOTIFY, NULL, 0);
    }
  /* Request: we never announced anything to ask for. */
}

/* How much of @data one message (in the current state) takes: 0 while it
 * is not all there, -1 with @reason set when it cannot go on. */
static gssize
hangar_vnc_clipboard_consume (HangarVncClipboard  *self,
                              const guint8        *data,
                              gsize                len,
                              const char         **reason)
{
  switch (self->state)
    {
    case STATE_VERSION:
      {
        char version[13];

        if (len < 12)
          return 0;
        self->minor = hangar_rfb_version_minor (data);
        if (self->minor == 0)
          {
            *reason = "not an RFB 3.x server";
            return -1;
          }
        g_snprintf (version, sizeof version, "RFB 003.%03u\n", self->minor);
        g_byte_array_append (self->out, (const guint8 *) version, 12);
        self->state = self->minor >= 7 ? STATE_SECURITY_TYPES : STATE_SECURITY_TYPE_33;
        return 12;
      }

    case STATE_SECURITY_TYPES:
      {
        guint8 chosen = SECURITY_INVALID;

        if (len < 1 || len < 1 + (gsize) data[0])
          return 0;
        if (data[0] == 0)
          {
            *reason = "the server refused the connection";
            return -1;
          }
        for (guint i = 1; i <= data[0]; i++)
          if (data[i] == SECURITY_NONE)
            chosen = SECURITY_NONE;
          else if (data[i] == SECURITY_VNC && self->password != NULL && chosen == SECURITY_INVALID)
            chosen = SECURITY_VNC;
        if (chosen == SECURITY_INVALID)
          {
            *reason = "no security type we can use without asking";
            return -1;
          }
        g_byte_array_append (self->out, &chosen, 1);
        if (chosen == SECURITY_VNC)
          self->state = STATE_CHALLENGE;
        else if (self->minor >= 8)
          self->state = STATE_SECURITY_RESULT;
        else
          send_client_init (self);  /* 3.7 sends no result for None */
        return 1 + data[0];
      }

    case STATE_SECURITY_TYPE_33:
      if (len < 4)
        return 0;
      switch (read_u32 (data))
        {
        case SECURITY_NONE:
          send_client_init (self);
          return 4;
        case SECURITY_VNC:
          if (self->password != NULL)
            {
              self->state = STATE_CHALLENGE;
              return 4;
            }
          *reason = "the server wants a password and we have none";
          return -1;
        default:
          *reason = "the server refused the connection or wants an unknown security type";
          return -1;
        }

    case STATE_CHALLENGE:
      {
        guint8 response[16];

        if (len < 16)
          return 0;
        hangar_rfb_vnc_auth_response (self->password, data, response);
        g_byte_array_append (self->out, response, sizeof response);
        self->state = STATE_SECURITY_RESULT;
        return 16;
      }

    case STATE_SECURITY_RESULT:
      if (len < 4)
        return 0;
      if (read_u32 (data) != 0)
        {
          /* 3.8 says why, for the debug log. */
          if (self->minor >= 8)
            {
              guint32 reason_len;

              if (len < 8)
                return 0;
              reason_len = read_u32 (data + 4);
              if (reason_len <= MAX_STRING && len < 8 + (gsize) reason_len)
                return 0;
              if (reason_len <= MAX_STRING)
                g_debug ("VNC clipboard: the server says: %.*s", (int) reason_len, data + 8);
            }
          *reason = "authentication failed";
          return -1;
        }
      send_client_init (self);
      return 4;

    case STATE_SERVER_INIT:
      {
        static const guint8 set_encodings[] = {
          MSG_CLIENT_SET_ENCODINGS, 0, 0, 1,
          (guint32) HANGAR_RFB_ENCODING_EXTENDED_CLIPBOARD >> 24,
          (guint32) HANGAR_RFB_ENCODING_EXTENDED_CLIPBOARD >> 16 & 0xff,
          (guint32) HANGAR_RFB_ENCODING_EXTENDED_CLIPBOARD >> 8 & 0xff,
          (guint32) HANGAR_RFB_ENCODING_EXTENDED_CLIPBOARD & 0xff,
        };
        guint32 name_len;

        /* Width, height, pixel format, then the desktop's name. */
        if (len < 24)
          return 0;
        name_len = read_u32 (data + 20);
        if (name_len > MAX_STRING)
          {
            *reason = "desktop name too long";
            return -1;
          }
        if (len < 24 + (gsize) name_len)
          return 0;
        g_byte_array_append (self->out, set_encodings, sizeof set_encodings);
        self->state = STATE_MESSAGES;
        g_debug ("VNC clipboard channel ready (RFB 3.%u)", self->minor);
        return 24 + name_len;
      }

    case STATE_MESSAGES:
      switch (data[0])
        {
        case MSG_BELL:
          return 1;

        case MSG_SET_COLOUR_MAP_ENTRIES:
          {
            gsize size;

            /* Type, padding, first colour, number of colours, 6 bytes each. */
            if (len < 6)
              return 0;
            size = 6 + 6 * (gsize) (data[4] << 8 | data[5]);
            return len < size ? 0 : (gssize) size;
          }

        case MSG_SERVER_CUT_TEXT:
          {
            gint32 length;
            gsize size;

            if (len < 8)
              return 0;
            length = (gint32) read_u32 (data + 4);
            size = length < 0 ? -(gint64) length : length;
            if (length < 0 && size < 4)
              {
                *reason = "extended clipboard message too short";
                return -1;
              }
            if (size > MAX_MESSAGE)
              {
                /* Too much to take: pass it by, and take the next. */
                gsize here = MIN (len, 8 + size);

                g_debug ("VNC clipboard: skipping %zu bytes of cut text", size);
                self->skip = 8 + size - here;
                return here;
              }
            if (len < 8 + size)
              return 0;
            /* Plain cut text (length ≥ 0) goes to the console's own
             * connection too: it is handled there. */
            if (length < 0)
              handle_extended (self, read_u32 (data + 8), data + 12, size - 4);
            return 8 + size;
          }

        default:
          /* Framebuffer updates come only when asked for, and we never
           * ask; anything else has a length we cannot know. */
          *reason = "unexpected message from the server";
          return -1;
        }

    case STATE_CONNECTING:
    case STATE_CLOSED:
    default:
      g_assert_not_reached ();
    }
}

/* Takes what one read from the server brought, however the stream was cut
 * into reads, and answers into self->out. The socket callback and the
 * fuzz target (through the private header) both come in here. Returns
 * FALSE when the channel has ended. */
gboolean
_hangar_vnc_clipboard_receive (HangarVncClipboard *self,
                               const guint8       *buffer,
                               gsize               n)
{
  const char *reason = NULL;
  gsize done = 0;

  g_assert (HANGAR_IS_VNC_CLIPBOARD (self));

  if (self->state == STATE_CLOSED)
    return FALSE;
  if (self->skip > 0)
    {
      gsize skipped = MIN (self->skip, (guint64) n);

      self->skip -= skipped;
      g_byte_array_append (self->in, buffer + skipped, n - skipped);
    }
  else
    g_byte_array_append (self->in, buffer, n);

  /* A "text" handler may close us: check the state after each message. */
  while (self->state != STATE_CLOSED && done < self->in->len)
    {
      gssize used = hangar_vnc_clipboard_consume (self, self->in->data + done,
                                                  self->in->len - done, &reason);

      if (used < 0)
        {
          hangar_vnc_clipboard_fail (self, reason);
          return FALSE;
        }
      if (used == 0)
        break;
      done += used;
    }
  if (self->state == STATE_CLOSED)
    return FALSE;

  g_byte_array_remove_range (self->in, 0, done);
  if (self->out->len > MAX_PENDING_OUT)
    {
      hangar_vnc_clipboard_fail (self, "the server does not read the answers it asks for");
      return FALSE;
    }
  return TRUE;
}

static gboolean
on_socket_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      data)
{
  g_autoptr(HangarVncClipboard) self = g_object_ref (data);
  g_autoptr(GError) error = NULL;
  guint8 buffer[16 * 1024];
  gssize n;

  n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;
  if (n <= 0)
    {
      hangar_vnc_clipboard_fail (self, n == 0 ? "the server closed it" : error->message);
      return G_SOURCE_REMOVE;
    }
  if (!_hangar_vnc_clipboard_receive (self, buffer, n))
    return G_SOURCE_REMOVE;

  if (!hangar_vnc_clipboard_flush (self, &error))
    {
      hangar_vnc_clipboard_fail (self, error->message);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
hangar_vnc_clipboard_start (HangarVncClipboard *self,
                            GSocket            *socket)
{
  self->socket = g_object_ref (socket);
  g_socket_set_blocking (self->socket, FALSE);
  self->state = STATE_VERSION;
  self->in_source = g_socket_create_source (self->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (self->in_source, G_SOURCE_FUNC (on_socket_readable), self, NULL);
  g_source_attach (self->in_source, g_main_context_get_thread_default ());
}

/* A channel with no socket, in the state a fresh connection starts in:
 * what _hangar_vnc_clipboard_receive() is given plays the server. */
HangarVncClipboard *
_hangar_vnc_clipboard_new_detached (const char *password)
{
  HangarVncClipboard *self = g_object_new (HANGAR_TYPE_VNC_CLIPBOARD, NULL);

  self->password = g_strdup (password);
  self->state = STATE_VERSION;
  return self;
}

/* How much the channel has to send; forgets it, as a socket would take it. */
gsize
_hangar_vnc_clipboard_take_output (HangarVncClipboard *self)
{
  gsize len = self->out->len;

  g_byte_array_set_size (self->out, 0);
  return len;
}

/**
 * hangar_vnc_clipboard_new:
 * @fd: a socket connected to the VNC server; the side channel owns it
 * @password: (nullable): the VNC password, for servers that ask for one
 *
 * Starts the side channel on @fd. "text" is emitted with each text the
 * server's clipboard takes from elsewhere (the guest); "closed" when the
 * channel ended by itself.
 */
HangarVncClipboard *
hangar_vnc_clipboard_new (int         fd,
                          const char *password)
{
  HangarVncClipboard *self = g_object_new (HANGAR_TYPE_VNC_CLIPBOARD, NULL);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  self->password = g_strdup (password);
  socket = g_socket_new_from_fd (fd, &error);
  if (socket == NULL)
    {
      close (fd);
      hangar_vnc_clipboard_fail (self, error->message);
      return self;
    }
  hangar_vnc_clipboard_start (self, socket);
  return self;
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(HangarVncClipboard) self = data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (self->state != STATE_CONNECTING)
    return;  /* closed meanwhile */
  if (connection == NULL)
    {
      hangar_vnc_clipboard_fail (self, error->message);
      return;
    }
  /* The GSocket is the connection's: keep the connection with it. */
  self->connection = g_steal_pointer (&connection);
  hangar_vnc_clipboard_start (self, g_socket_connection_get_socket (self->connection));
}

/**
 * hangar_vnc_clipboard_new_for_address:
 * @address: where the VNC server listens (the console's own TCP peer)
 * @password: (nullable): the VNC password, for servers that ask for one
 *
 * Like hangar_vnc_clipboard_new(), over a TCP connection it opens itself.
 */
HangarVncClipboard *
hangar_vnc_clipboard_new_for_address (GSocketAddress *address,
                                      const char     *password)
{
  HangarVncClipboard *self;
  g_autoptr(GSocketClient) client = NULL;

  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), NULL);

  self = g_object_new (HANGAR_TYPE_VNC_CLIPBOARD, NULL);
  client = g_socket_client_new ();
  self->password = g_strdup (password);
  self->state = STATE_CONNECTING;
  g_socket_client_set_timeout (client, 15);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), self->cancellable,
                                 on_connected, g_object_ref (self));
  return self;
}

/**
 * hangar_vnc_clipboard_note_client_text:
 * @text: what the client just put on the server's clipboard
 *
 * The server tells every other client when one sets its clipboard, this
 * side channel included: the text that comes back this way (even after
 * the client sent more) is not the guest's, and is not reported. A text
 * the guest itself copies is, and makes the side channel forget the
 * client's.
 */
void
hangar_vnc_clipboard_note_client_text (HangarVncClipboard *self,
                                       const char         *text)
{
  g_return_if_fail (HANGAR_IS_VNC_CLIPBOARD (self));
  g_return_if_fail (text != NULL);

  if (self->client_texts->len == MAX_CLIENT_TEXTS)
    g_ptr_array_remove_index (self->client_texts, 0);
  g_ptr_array_add (self->client_texts, hangar_rfb_clipboard_text_normalize (text, strlen (text)));
}

/**
 * hangar_vnc_clipboard_close:
 *
 * Ends the side channel, without "closed".
 */
void
hangar_vnc_clipboard_close (HangarVncClipboard *self)
{
  g_return_if_fail (HANGAR_IS_VNC_CLIPBOARD (self));

  hangar_vnc_clipboard_shutdown (self);
}

static void
hangar_vnc_clipboard_dispose (GObject *object)
{
  HangarVncClipboard *self = HANGAR_VNC_CLIPBOARD (object);

  hangar_vnc_clipboard_shutdown (self);

  G_OBJECT_CLASS (hangar_vnc_clipboard_parent_class)->dispose (object);
}

static void
hangar_vnc_clipboard_finalize (GObject *object)
{
  HangarVncClipboard *self = HANGAR_VNC_CLIPBOARD (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->in, g_byte_array_unref);
  g_clear_pointer (&self->out, g_byte_array_unref);
  hangar_secret_clear (&self->password);
  g_clear_pointer (&self->client_texts, g_ptr_array_unref);

  G_OBJECT_CLASS (hangar_vnc_clipboard_parent_class)->finalize (object);
}

static void
hangar_vnc_clipboard_class_init (HangarVncClipboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_vnc_clipboard_dispose;
  object_class->finalize = hangar_vnc_clipboard_finalize;

  /**
   * HangarVncClipboard::text:
   * @text: UTF-8, with LF line ends
   *
   * The server's clipboard holds text from elsewhere (the guest).
   */
  signals[TEXT] =
    g_signal_new ("text", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * HangarVncClipboard::closed:
   *
   * The side channel ended by itself (an error, or the server closed it).
   */
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hangar_vnc_clipboard_init (HangarVncClipboard *self)
{
  self->cancellable = g_cancellable_new ();
  self->in = g_byte_array_new ();
  self->out = g_byte_array_new ();
  self->client_texts = g_ptr_array_new_with_free_func (g_free);
}
