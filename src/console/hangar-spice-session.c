/* hangar-spice-session.c — a console session over SPICE (spice-client-glib).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SPICE uses one connection per channel. The main channel gets the
 * descriptor given to connect_fd(); every other channel we use (display,
 * inputs, cursor) asks for its own through "open-fd", which we pass on to
 * the session's open-fd function (for a local libvirt, one more
 * virDomainOpenGraphicsFD each).
 *
 * Sound (playback, and recording while allowed) is hangar-spice-sound.c's.
 * USB devices (and CD images made USB drives) go over the guest's USB
 * redirection channels: hangar-spice-usb.c.
 * Files go to the guest's agent (spice-client-glib's file transfer), each
 * followed by a HangarFileTransfer in the "transfers" list while on its
 * way.
 *
 * The display channel decodes into a primary surface it owns; invalidated
 * rectangles are copied from there into our framebuffer, so the copy
 * follows the damage.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <glib/gi18n.h>
#include <spice-client.h>
#include <spice/vd_agent.h>
#include <string.h>
#include <unistd.h>

#include "hangar-bounds.h"
#include "hangar-console-session-private.h"
#include "hangar-spice-files.h"
#include "hangar-spice-session.h"
#include "hangar-spice-sound.h"
#include "hangar-spice-usb.h"

struct _HangarSpiceSession
{
  HangarConsoleSession parent_instance;

  SpiceSession *spice;
  SpiceMainChannel *main;
  SpiceInputsChannel *inputs;
  SpiceChannel *display;
  SpiceCursorChannel *cursor;

  /* The display channel's primary surface, valid between its create and
   * destroy signals. */
  const guint8 *primary;
  int primary_width;
  int primary_height;
  int primary_stride;

  HangarButtonMask buttons;
  int last_x;
  int last_y;
  gboolean have_position;

  /* The client's clipboard text, offered to the guest's agent; pending
   * while there is no agent able to take the offer yet. */
  char *clipboard;
  gboolean clipboard_pending;

  /* Over TLS (review finding M7): the CA the server was checked against,
   * for the message when it fails. */
  char *ca_file;

  /* The guest's sound, and the user's choices for it, kept across
   * reconnections. */
  HangarSpiceSound *sound;
  gboolean muted;
  gboolean microphone;

  /* HangarFileTransfer, each file sent to the guest until it arrived or
   * failed. */
  GListStore *transfers;
  HangarSpiceFiles *files;

  /* HangarUsbDevice, the desktop's USB devices as this console sees them;
   * the machine's name, for other consoles to say who has a device. */
  HangarSpiceUsb *usb;
  GListStore *usb_devices;
  gboolean usb_auto_redirect;
  char *machine_name;
};

enum
{
  PROP_0,
  PROP_MUTED,
  PROP_MICROPHONE,
  PROP_PLAYING,
  PROP_RECORDING,
  PROP_CAN_SEND_FILES,
  PROP_USB_CHANNELS,
  PROP_USB_FREE_CHANNELS,
  PROP_USB_AUTO_REDIRECT,
  PROP_MACHINE_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  TRANSFER_FINISHED,
  USB_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  HangarConsoleSessionClass parent_class;
} HangarSpiceSessionClass;

G_DEFINE_FINAL_TYPE (HangarSpiceSession, hangar_spice_session, HANGAR_TYPE_CONSOLE_SESSION)

static gboolean
disconnect_cb (gpointer data)
{
  HangarSpiceSession *self = data;

  if (self->spice != NULL)
    spice_session_disconnect (self->spice);
  return G_SOURCE_REMOVE;
}

/* Ends the session over something the server sent that we will not
 * take. From the main context, not from inside the channel's handler,
 * whose coroutine is still in the middle of that message. */
static void
hangar_spice_session_refuse (HangarSpiceSession *self,
                             const char         *message)
{
  _hangar_console_session_fail (HANGAR_CONSOLE_SESSION (self), HANGAR_CONSOLE_ERROR,
                                HANGAR_CONSOLE_ERROR_FAILED, message);
  self->primary = NULL;
  g_idle_add_full (G_PRIORITY_DEFAULT, disconnect_cb, g_object_ref (self), g_object_unref);
}

static void
copy_from_primary (HangarSpiceSession *self,
                   int                 x,
                   int                 y,
                   int                 width,
                   int                 height)
{
  guint8 *fb;
  guint fb_width, fb_height;
  gsize fb_stride;

  fb = _hangar_console_session_peek_framebuffer (HANGAR_CONSOLE_SESSION (self),
                                                 &fb_width, &fb_height, &fb_stride);
  if (fb == NULL || self->primary == NULL)
    return;

  if (!hangar_bounds_clip_rect (fb_width, fb_height, &x, &y, &width, &height))
    return;

  /* Both are 32-bit xRGB little endian: plain row copies. */
  for (int row = y; row < y + height; row++)
    memcpy (fb + row * fb_stride + (gsize) x * 4,
            self->primary + (gsize) row * self->primary_stride + (gsize) x * 4,
            (gsize) width * 4);

  _hangar_console_session_damage (HANGAR_CONSOLE_SESSION (self), x, y, width, height);
}

static void
on_display_primary_create (SpiceChannel       *channel,
                           int                 format,
                           int                 width,
                           int                 height,
                           int                 stride,
                           int                 shmid,
                           gpointer            data,
                           HangarSpiceSession *self)
{
  g_autoptr(GError) error = NULL;

  /* spice-client-glib passes the server's surface description on as it
   * came (review finding M8): check it before the first byte is read. */
  if (format != SPICE_SURFACE_FMT_32_xRGB && format != SPICE_SURFACE_FMT_32_ARGB)
    {
      g_autofree char *message = g_strdup_printf (_("The SPICE server sent a screen in an "
                                                    "unsupported format (%d)."), format);

      hangar_spice_session_refuse (self, message);
      return;
    }
  if (data == NULL || !hangar_bounds_check_framebuffer (width, height, stride, &error)
      || _hangar_console_session_resize_framebuffer (HANGAR_CONSOLE_SESSION (self),
                                                     width, height, NULL, &error) == NULL)
    {
      hangar_spice_session_refuse (self, error != NULL ? error->message
                                   : _("The SPICE server sent a screen without pixels."));
      return;
    }

  self->primary = data;
  self->primary_width = width;
  self->primary_height = height;
  self->primary_stride = stride;
  copy_from_primary (self, 0, 0, width, height);
}

static void
on_display_primary_destroy (SpiceChannel       *channel,
                            HangarSpiceSession *self)
{
  self->primary = NULL;
}

static void
on_display_invalidate (SpiceChannel       *channel,
                       int                 x,
                       int                 y,
                       int                 width,
                       int                 height,
                       HangarSpiceSession *self)
{
  copy_from_primary (self, x, y, width, height);
}

static void
on_cursor_notify (SpiceCursorChannel *channel,
                  GParamSpec         *pspec,
                  HangarSpiceSession *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  SpiceCursorShape *shape = NULL;

  g_object_get (channel, "cursor", &shape, NULL);

  if (shape != NULL && shape->data != NULL && shape->width > 0 && shape->height > 0
      && !hangar_bounds_check_cursor (shape->width, shape->height, &error))
    {
      hangar_spice_session_refuse (self, error->message);
    }
  else if (shape != NULL && shape->data != NULL && shape->width > 0 && shape->height > 0)
    {
      g_autoptr(GBytes) bytes = NULL;

      /* spice-client-glib converts every cursor type to 32-bit ARGB in
       * native order and then swaps red and blue for GdkPixbuf
       * (channel-cursor.c, set_cursor()): R, G, B, A bytes here, alpha
       * not premultiplied. */
      bytes = g_bytes_new (shape->data, (gsize) shape->width * shape->height * 4);
      texture = gdk_memory_texture_new (shape->width, shape->height, GDK_MEMORY_R8G8B8A8,
                                        bytes, (gsize) shape->width * 4);
      _hangar_console_session_set_cursor (HANGAR_CONSOLE_SESSION (self), texture,
                                          shape->hot_spot_x, shape->hot_spot_y);
    }
  else
    _hangar_console_session_set_cursor (HANGAR_CONSOLE_SESSION (self), NULL, 0, 0);

  if (shape != NULL)
    g_boxed_free (SPICE_TYPE_CURSOR_SHAPE, shape);
}

static void
on_mouse_mode_notify (SpiceMainChannel   *channel,
                      GParamSpec         *pspec,
                      HangarSpiceSession *self)
{
  int mode = 0;

  g_object_get (channel, "mouse-mode", &mode, NULL);
  _hangar_console_session_set_absolute_pointer (HANGAR_CONSOLE_SESSION (self),
                                                mode == SPICE_MOUSE_MODE_CLIENT);
}

static void
on_clipboard_selection (SpiceMainChannel   *channel,
                        guint               selection,
                        guint               type,
                        const guint8       *data,
                        guint               size,
                        HangarSpiceSession *self)
{
  g_autofree char *text = NULL;

  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD || type != VD_AGENT_CLIPBOARD_UTF8_TEXT)
    return;

  text = g_strndup ((const char *) data, size);
  if (g_utf8_validate (text, -1, NULL))
    _hangar_console_session_cut_text (HANGAR_CONSOLE_SESSION (self), text);
}

static gboolean
on_clipboard_grab (SpiceMainChannel   *channel,
                   guint               selection,
                   guint32            *types,
                   guint               n_types,
                   HangarSpiceSession *self)
{
  /* The guest copied something: ask for it as text. */
  if (selection != VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD)
    return TRUE;

  /* Newer than what we may still have to offer: don't offer that later. */
  self->clipboard_pending = FALSE;

  for (guint i = 0; i < n_types; i++)
    if (types[i] == VD_AGENT_CLIPBOARD_UTF8_TEXT)
      {
        spice_main_channel_clipboard_selection_request (channel, selection,
                                                        VD_AGENT_CLIPBOARD_UTF8_TEXT);
        break;
      }

  return TRUE;
}

static gboolean
on_clipboard_request (SpiceMainChannel   *channel,
                      guint               selection,
                      guint               type,
                      HangarSpiceSession *self)
{
  if (self->clipboard == NULL || type != VD_AGENT_CLIPBOARD_UTF8_TEXT)
    return FALSE;

  spice_main_channel_clipboard_selection_notify (channel, selection, type,
                                                 (const guchar *) self->clipboard,
                                                 strlen (self->clipboard));
  return TRUE;
}

static gboolean
agent_connected (HangarSpiceSession *self)
{
  gboolean connected = FALSE;

  if (self->main != NULL)
    g_object_get (self->main, "agent-connected", &connected, NULL);

  return connected;
}

/* Offers our clipboard to the guest, if its agent can take it now:
 * spice-client-glib drops a grab made without an agent, and warns about
 * one made before the agent said it does clipboard on demand. */
static void
offer_clipboard (HangarSpiceSession *self)
{
  guint32 types[] = { VD_AGENT_CLIPBOARD_UTF8_TEXT };

  if (self->clipboard == NULL || !agent_connected (self) ||
      !spice_main_channel_agent_test_capability (self->main, VD_AGENT_CAP_CLIPBOARD_BY_DEMAND))
    {
      self->clipboard_pending = self->clipboard != NULL;
      return;
    }

  self->clipboard_pending = FALSE;
  spice_main_channel_clipboard_selection_grab (self->main, VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD,
                                               types, G_N_ELEMENTS (types));
}

/* The guest's agent connected, left, or told its capabilities. */
static void
on_agent_update (SpiceMainChannel   *channel,
                 HangarSpiceSession *self)
{
  /* An agent that leaves forgets our offer (the guest rebooted, say):
   * make it again to the next one. */
  if (!agent_connected (self))
    self->clipboard_pending = self->clipboard != NULL;
  else if (self->clipboard_pending)
    offer_clipboard (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SEND_FILES]);
}

/* --- files into the guest --------------------------------------------- */

static void
on_transfer_finished (HangarFileTransfer *transfer,
                      const GError       *error,
                      gpointer            data)
{
  g_signal_emit (data, signals[TRANSFER_FINISHED], 0, transfer, error);
}

/**
 * hangar_spice_session_check_send_files:
 * @error: why not, worded for the user
 *
 * Whether the guest can take files now: the session is connected and the
 * guest's agent is running and accepts them.
 */
gboolean
hangar_spice_session_check_send_files (HangarSpiceSession  *self,
                                       GError             **error)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_SESSION (self), FALSE);

  return hangar_spice_files_check (self->files,
                                   hangar_console_session_get_state (HANGAR_CONSOLE_SESSION (self)) ==
                                   HANGAR_CONSOLE_STATE_CONNECTED,
                                   error);
}

/**
 * hangar_spice_session_send_files:
 * @files: (array length=n_files): local files to copy into the guest
 *
 * Sends files to the guest's agent, which saves them (spice-vdagent: in
 * the user's Downloads folder). Each file appears in
 * hangar_spice_session_get_transfers() while on its way, and
 * #HangarSpiceSession::transfer-finished tells how it ended.
 *
 * Returns: %FALSE with @error if the guest cannot take files now
 */
gboolean
hangar_spice_session_send_files (HangarSpiceSession  *self,
                                 GFile              **files,
                                 guint                n_files,
                                 GError             **error)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_SESSION (self), FALSE);
  g_return_val_if_fail (files != NULL || n_files == 0, FALSE);

  return hangar_spice_session_check_send_files (self, error) &&
         hangar_spice_files_send (self->files, files, n_files, error);
}

/**
 * hangar_spice_session_get_usb_devices:
 *
 * Returns: (transfer none): a list of #HangarUsbDevice, the desktop's USB
 *   devices (and shared CD images) while connected
 */
GListModel *
hangar_spice_session_get_usb_devices (HangarSpiceSession *self)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_SESSION (self), NULL);

  return G_LIST_MODEL (self->usb_devices);
}

/* Redirects @device into the guest, or gives it back to this computer;
 * a failure comes as #HangarSpiceSession::usb-error. */
void
hangar_spice_session_set_usb_redirected (HangarSpiceSession *self,
                                         HangarUsbDevice    *device,
                                         gboolean            redirected)
{
  g_return_if_fail (HANGAR_IS_SPICE_SESSION (self));

  if (self->usb != NULL)
    hangar_spice_usb_set_redirected (self->usb, device, redirected);
}

/**
 * hangar_spice_session_share_cd:
 * @path: a CD or DVD image on this computer
 *
 * Puts @path into the guest as a USB CD drive (over a free USB
 * redirection channel); it shows in the USB devices as "SPICE CD".
 */
gboolean
hangar_spice_session_share_cd (HangarSpiceSession  *self,
                               const char          *path,
                               GError             **error)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_SESSION (self), FALSE);

  if (self->usb == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("The console is not connected to the guest."));
      return FALSE;
    }
  if (hangar_spice_usb_get_free_channels (self->usb) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           hangar_spice_usb_get_channels (self->usb) == 0
                           ? _("This machine has no USB redirection channels.")
                           : _("Every USB redirection channel of this machine is in use: give a device back first."));
      return FALSE;
    }
  return hangar_spice_usb_share_cd (self->usb, path, error);
}

/**
 * hangar_spice_session_get_transfers:
 *
 * Returns: (transfer none): a list of #HangarFileTransfer, the files on
 *   their way into the guest
 */
GListModel *
hangar_spice_session_get_transfers (HangarSpiceSession *self)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_SESSION (self), NULL);

  return G_LIST_MODEL (self->transfers);
}

static void
on_channel_open_fd (SpiceChannel       *channel,
                    int                 with_tls,
                    HangarSpiceSession *self)
{
  g_autoptr(GError) error = NULL;
  int fd;

  fd = _hangar_console_session_open_fd (HANGAR_CONSOLE_SESSION (self), &error);
  if (fd < 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("Could not open a connection for a SPICE channel: %s"), error->message);

      _hangar_console_session_fail (HANGAR_CONSOLE_SESSION (self), HANGAR_CONSOLE_ERROR,
                                    HANGAR_CONSOLE_ERROR_TRANSPORT, message);
      return;
    }

  if (!spice_channel_open_fd (channel, fd))
    close (fd);
}

static void
on_channel_event (SpiceChannel       *channel,
                  SpiceChannelEvent   event,
                  HangarSpiceSession *self)
{
  HangarConsoleSession *session = HANGAR_CONSOLE_SESSION (self);

  switch (event)
    {
    case SPICE_CHANNEL_OPENED:
      if (SPICE_IS_MAIN_CHANNEL (channel))
        _hangar_console_session_connected (session);
      break;

    case SPICE_CHANNEL_ERROR_AUTH:
      if (hangar_console_session_get_password (session) == NULL)
        _hangar_console_session_fail (session, HANGAR_CONSOLE_ERROR,
                                      HANGAR_CONSOLE_ERROR_AUTH_REQUIRED,
                                      _("The SPICE server needs a password"));
      else
        _hangar_console_session_fail (session, HANGAR_CONSOLE_ERROR,
                                      HANGAR_CONSOLE_ERROR_AUTH_FAILED,
                                      _("The SPICE server refused the password"));
      spice_session_disconnect (self->spice);
      break;

    case SPICE_CHANNEL_ERROR_TLS:
      if (self->ca_file != NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("The secure connection to the SPICE server failed: its "
                               "certificate could not be verified with the certificate "
                               "authority in %s, or it does not name the host."),
                             self->ca_file);

          _hangar_console_session_fail (session, HANGAR_CONSOLE_ERROR,
                                        HANGAR_CONSOLE_ERROR_TRANSPORT, message);
        }
      else
        _hangar_console_session_fail (session, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_TRANSPORT,
                                      _("The secure connection to the SPICE server failed"));
      spice_session_disconnect (self->spice);
      break;

    case SPICE_CHANNEL_ERROR_CONNECT:
    case SPICE_CHANNEL_ERROR_LINK:
    case SPICE_CHANNEL_ERROR_IO:
    case SPICE_CHANNEL_CLOSED:
      /* Only the main channel's fate decides the session's. */
      if (SPICE_IS_MAIN_CHANNEL (channel))
        {
          const GError *error = spice_channel_get_error (channel);

          if (event != SPICE_CHANNEL_CLOSED && error != NULL)
            _hangar_console_session_note_reason (session, error->message);
          spice_session_disconnect (self->spice);
        }
      break;

    case SPICE_CHANNEL_NONE:
    case SPICE_CHANNEL_SWITCHING:
    default:
      break;
    }
}

static void
on_channel_new (SpiceSession       *spice,
                SpiceChannel       *channel,
                HangarSpiceSession *self)
{
  int id = 0;

  g_object_get (channel, "channel-id", &id, NULL);

  g_signal_connect_object (channel, "open-fd", G_CALLBACK (on_channel_open_fd), self, 0);
  g_signal_connect_object (channel, "channel-event", G_CALLBACK (on_channel_event), self, 0);

  if (SPICE_IS_MAIN_CHANNEL (channel))
    {
      self->main = SPICE_MAIN_CHANNEL (channel);
      g_signal_connect_object (channel, "notify::mouse-mode",
                               G_CALLBACK (on_mouse_mode_notify), self, 0);
      g_signal_connect_object (channel, "main-clipboard-selection",
                               G_CALLBACK (on_clipboard_selection), self, 0);
      g_signal_connect_object (channel, "main-clipboard-selection-grab",
                               G_CALLBACK (on_clipboard_grab), self, 0);
      g_signal_connect_object (channel, "main-clipboard-selection-request",
                               G_CALLBACK (on_clipboard_request), self, 0);
      g_signal_connect_object (channel, "main-agent-update",
                               G_CALLBACK (on_agent_update), self, 0);
      hangar_spice_files_set_main (self->files, self->main);
      /* The session connects the main channel itself. */
      return;
    }

  if (SPICE_IS_DISPLAY_CHANNEL (channel) && id == 0)
    {
      self->display = channel;
      g_signal_connect_object (channel, "display-primary-create",
                               G_CALLBACK (on_display_primary_create), self, 0);
      g_signal_connect_object (channel, "display-primary-destroy",
                               G_CALLBACK (on_display_primary_destroy), self, 0);
      g_signal_connect_object (channel, "display-invalidate",
                               G_CALLBACK (on_display_invalidate), self, 0);
      spice_channel_connect (channel);
    }
  else if (SPICE_IS_INPUTS_CHANNEL (channel))
    {
      self->inputs = SPICE_INPUTS_CHANNEL (channel);
      spice_channel_connect (channel);
    }
  else if (SPICE_IS_CURSOR_CHANNEL (channel) && id == 0)
    {
      self->cursor = SPICE_CURSOR_CHANNEL (channel);
      g_signal_connect_object (channel, "notify::cursor", G_CALLBACK (on_cursor_notify), self, 0);
      spice_channel_connect (channel);
    }
  else if (SPICE_IS_USBREDIR_CHANNEL (channel))
    {
      if (self->usb != NULL)
        hangar_spice_usb_add_channel (self->usb, channel);
    }
  else if (self->sound != NULL)
    hangar_spice_sound_add_channel (self->sound, channel);
  /* Smartcards, ports and further monitors are left unconnected. */
}

static void
on_channel_destroy (SpiceSession       *spice,
                    SpiceChannel       *channel,
                    HangarSpiceSession *self)
{
  if ((gpointer) channel == (gpointer) self->main)
    {
      self->main = NULL;
      hangar_spice_files_set_main (self->files, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SEND_FILES]);
    }
  else if ((gpointer) channel == (gpointer) self->inputs)
    self->inputs = NULL;
  else if (channel == self->display)
    {
      self->display = NULL;
      self->primary = NULL;
    }
  else if ((gpointer) channel == (gpointer) self->cursor)
    self->cursor = NULL;
  else if (SPICE_IS_USBREDIR_CHANNEL (channel))
    {
      if (self->usb != NULL)
        hangar_spice_usb_remove_channel (self->usb, channel);
    }
  else if (self->sound != NULL)
    hangar_spice_sound_remove_channel (self->sound, channel);
}

static void
on_spice_disconnected (SpiceSession       *spice,
                       HangarSpiceSession *self)
{
  self->primary = NULL;
  _hangar_console_session_disconnected (HANGAR_CONSOLE_SESSION (self));
}

static void
release_spice (SpiceSession *spice)
{
  spice_session_disconnect (spice);
  g_object_unref (spice);
}

static void
hangar_spice_session_drop (HangarSpiceSession *self)
{
  if (self->spice == NULL)
    return;

  /* The channels' handlers point at us too, and the channels outlive this
   * call: cut them all, or a late display update reaches a freed session. */
  {
    GList *channels = spice_session_get_channels (self->spice);

    for (GList *l = channels; l != NULL; l = l->next)
      g_signal_handlers_disconnect_by_data (l->data, self);
    g_list_free (channels);
  }
  g_signal_handlers_disconnect_by_data (self->spice, self);
  hangar_spice_files_set_main (self->files, NULL);
  g_clear_pointer (&self->sound, hangar_spice_sound_free);
  g_clear_pointer (&self->usb, hangar_spice_usb_free);
  release_spice (g_steal_pointer (&self->spice));
  self->main = NULL;
  self->inputs = NULL;
  self->display = NULL;
  self->cursor = NULL;
  self->primary = NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SEND_FILES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USB_CHANNELS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USB_FREE_CHANNELS]);
}

static void
on_usb_changed (gpointer data)
{
  g_object_notify_by_pspec (G_OBJECT (data), properties[PROP_USB_CHANNELS]);
  g_object_notify_by_pspec (G_OBJECT (data), properties[PROP_USB_FREE_CHANNELS]);
}

static void
on_usb_failed (HangarUsbDevice *device,
               const GError    *error,
               gpointer         data)
{
  g_signal_emit (data, signals[USB_ERROR], 0, device, error);
}

static void
on_sound_changed (gpointer data)
{
  g_object_notify_by_pspec (G_OBJECT (data), properties[PROP_PLAYING]);
  g_object_notify_by_pspec (G_OBJECT (data), properties[PROP_RECORDING]);
}

static void
hangar_spice_session_prepare (HangarSpiceSession *self)
{
  HangarConsoleSession *session = HANGAR_CONSOLE_SESSION (self);

  hangar_spice_session_drop (self);
  self->buttons = 0;
  self->have_position = FALSE;
  /* Still the client's clipboard: offer it to the new connection's agent. */
  self->clipboard_pending = self->clipboard != NULL;

  self->spice = spice_session_new ();
  g_object_set (self->spice,
                "password", hangar_console_session_get_password (session),
                "enable-audio", TRUE,
                "enable-usbredir", TRUE,
                "enable-smartcard", FALSE,
                NULL);
  self->sound = hangar_spice_sound_new (self->spice, self->muted, self->microphone,
                                        on_sound_changed, self);
  self->usb = hangar_spice_usb_new (self->spice, self->usb_devices, self->machine_name,
                                    self->usb_auto_redirect, on_usb_changed, on_usb_failed, self);
  g_signal_connect (self->spice, "channel-new", G_CALLBACK (on_channel_new), self);
  g_signal_connect (self->spice, "channel-destroy", G_CALLBACK (on_channel_destroy), self);
  g_signal_connect (self->spice, "disconnected", G_CALLBACK (on_spice_disconnected), self);
}

static gboolean
hangar_spice_session_connect_fd (HangarConsoleSession  *session,
                                 int                    fd,
                                 GError               **error)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (session);

  g_clear_pointer (&self->ca_file, g_free);
  hangar_spice_session_prepare (self);

  if (!spice_session_open_fd (self->spice, fd))
    {
      hangar_spice_session_drop (self);
      g_set_error_literal (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_TRANSPORT,
                           _("Could not start the SPICE connection"));
      return FALSE;
    }

  return TRUE;
}

/**
 * hangar_spice_session_connect_tls:
 * @host: the display's host, as its certificate names it
 * @tls_port: the server's TLS port
 * @ca_file: the certificate authority the server must be signed by
 *
 * Connects every channel over TLS to @host:@tls_port (spice-client-glib
 * opens the sockets itself; "secure-channels" is "all", so no channel
 * falls back to plaintext), verifying the server's certificate against
 * @ca_file and @host (review finding M7). Progress is reported with the
 * #HangarConsoleSession signals, as for connect_fd().
 */
gboolean
hangar_spice_session_connect_tls (HangarSpiceSession  *self,
                                  const char          *host,
                                  int                  tls_port,
                                  const char          *ca_file,
                                  GError             **error)
{
  HangarConsoleSession *session = HANGAR_CONSOLE_SESSION (self);
  const char *all[] = { "all", NULL };
  g_autofree char *port = NULL;

  g_return_val_if_fail (HANGAR_IS_SPICE_SESSION (self), FALSE);
  g_return_val_if_fail (host != NULL && ca_file != NULL, FALSE);
  g_return_val_if_fail (tls_port > 0 && tls_port <= 65535, FALSE);

  if (hangar_console_session_get_state (session) != HANGAR_CONSOLE_STATE_DISCONNECTED)
    {
      g_set_error_literal (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_FAILED,
                           _("The console is already connected"));
      return FALSE;
    }

  _hangar_console_session_begin (session);
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  hangar_spice_session_prepare (self);
  port = g_strdup_printf ("%d", tls_port);
  g_object_set (self->spice,
                "host", host,
                "tls-port", port,
                "ca-file", ca_file,
                "secure-channels", all,
                NULL);
  if (!spice_session_connect (self->spice))
    {
      hangar_spice_session_drop (self);
      _hangar_console_session_abort (session);
      g_set_error_literal (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_TRANSPORT,
                           _("Could not start the SPICE connection"));
      return FALSE;
    }
  return TRUE;
}

static void
hangar_spice_session_disconnect (HangarConsoleSession *session)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (session);

  if (self->spice != NULL)
    spice_session_disconnect (self->spice);
}

/* QEMU numbers E0-prefixed keys 0x80 | code; spice-client-glib wants
 * 0x100 | code and sends the prefix itself. */
static guint
qnum_to_spice (guint16 qnum)
{
  if (qnum & 0x80)
    return 0x100 | (qnum & 0x7f);

  return qnum;
}

static void
hangar_spice_session_send_key (HangarConsoleSession *session,
                               guint16               qnum,
                               guint                 keyval,
                               gboolean              pressed)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (session);

  if (self->inputs == NULL)
    return;

  if (pressed)
    spice_inputs_channel_key_press (self->inputs, qnum_to_spice (qnum));
  else
    spice_inputs_channel_key_release (self->inputs, qnum_to_spice (qnum));
}

static void
hangar_spice_session_send_pointer (HangarConsoleSession *session,
                                   double                x,
                                   double                y,
                                   HangarButtonMask      buttons)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (session);
  static const struct { HangarButtonMask mask; int button; } map[] = {
    { HANGAR_BUTTON_LEFT, SPICE_MOUSE_BUTTON_LEFT },
    { HANGAR_BUTTON_MIDDLE, SPICE_MOUSE_BUTTON_MIDDLE },
    { HANGAR_BUTTON_RIGHT, SPICE_MOUSE_BUTTON_RIGHT },
  };
  HangarButtonMask old = self->buttons;
  int ix = (int) x, iy = (int) y;

  if (self->inputs == NULL)
    return;

  /* Our mask bits are SPICE's. Move first, then press or release. */
  if (hangar_console_session_get_absolute_pointer (session))
    spice_inputs_channel_position (self->inputs, ix, iy, 0, old);
  else if (self->have_position && (ix != self->last_x || iy != self->last_y))
    /* Relative mode without a pointer lock: send how far the pointer
     * moved over the picture. The guest's pointer may drift from ours. */
    spice_inputs_channel_motion (self->inputs, ix - self->last_x, iy - self->last_y, old);

  self->last_x = ix;
  self->last_y = iy;
  self->have_position = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if ((buttons & map[i].mask) && !(old & map[i].mask))
        spice_inputs_channel_button_press (self->inputs, map[i].button, buttons);
      else if (!(buttons & map[i].mask) && (old & map[i].mask))
        spice_inputs_channel_button_release (self->inputs, map[i].button, buttons);
    }

  self->buttons = buttons;
}

static void
hangar_spice_session_send_scroll (HangarConsoleSession  *session,
                                  HangarScrollDirection  direction,
                                  HangarButtonMask       buttons)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (session);
  int button;

  if (self->inputs == NULL)
    return;

  /* SPICE has wheel buttons for up and down only. */
  if (direction == HANGAR_SCROLL_UP)
    button = SPICE_MOUSE_BUTTON_UP;
  else if (direction == HANGAR_SCROLL_DOWN)
    button = SPICE_MOUSE_BUTTON_DOWN;
  else
    return;

  spice_inputs_channel_button_press (self->inputs, button, buttons);
  spice_inputs_channel_button_release (self->inputs, button, buttons);
}

static void
hangar_spice_session_request_resize (HangarConsoleSession *session,
                                     guint                 width,
                                     guint                 height)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (session);

  if (self->main == NULL)
    return;

  /* The guest's agent does the resizing. Without one yet, keep the
   * config: spice-client-glib sends what it holds once an agent
   * announces its capabilities (and refuses, with a critical, to send
   * to no agent). */
  spice_main_channel_update_display_enabled (self->main, 0, TRUE, FALSE);
  spice_main_channel_update_display (self->main, 0, 0, 0, width, height, FALSE);
  if (agent_connected (self))
    spice_main_channel_send_monitor_config (self->main);
}

static void
hangar_spice_session_send_cut_text (HangarConsoleSession *session,
                                    const char           *text)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (session);

  g_free (self->clipboard);
  self->clipboard = g_strdup (text);

  /* Offer it; the guest's agent asks for the data when it pastes. */
  offer_clipboard (self);
}

static void
hangar_spice_session_sync_locks (HangarConsoleSession *session,
                                 HangarLockMask        locks)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (session);

  /* Same bits as SpiceKeyboardModifierFlags; the server presses the lock
   * keys that differ. */
  if (self->inputs != NULL)
    spice_inputs_channel_set_key_locks (self->inputs, locks);
}

static void
hangar_spice_session_dispose (GObject *object)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (object);

  hangar_spice_session_drop (self);

  G_OBJECT_CLASS (hangar_spice_session_parent_class)->dispose (object);
}

static void
hangar_spice_session_finalize (GObject *object)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (object);

  g_clear_pointer (&self->clipboard, g_free);
  g_clear_pointer (&self->files, hangar_spice_files_free);
  g_clear_object (&self->transfers);
  g_clear_object (&self->usb_devices);
  g_free (self->machine_name);

  g_free (self->ca_file);
  G_OBJECT_CLASS (hangar_spice_session_parent_class)->finalize (object);
}

static void
hangar_spice_session_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (object);

  switch (prop_id)
    {
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_MICROPHONE:
      g_value_set_boolean (value, self->microphone);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, hangar_spice_sound_get_playing (self->sound));
      break;
    case PROP_RECORDING:
      g_value_set_boolean (value, hangar_spice_sound_get_recording (self->sound));
      break;
    case PROP_CAN_SEND_FILES:
      g_value_set_boolean (value, hangar_spice_session_check_send_files (self, NULL));
      break;
    case PROP_USB_CHANNELS:
      g_value_set_uint (value, hangar_spice_usb_get_channels (self->usb));
      break;
    case PROP_USB_FREE_CHANNELS:
      g_value_set_uint (value, hangar_spice_usb_get_free_channels (self->usb));
      break;
    case PROP_USB_AUTO_REDIRECT:
      g_value_set_boolean (value, self->usb_auto_redirect);
      break;
    case PROP_MACHINE_NAME:
      g_value_set_string (value, self->machine_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_spice_session_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  HangarSpiceSession *self = HANGAR_SPICE_SESSION (object);
  gboolean on;

  if (prop_id == PROP_MACHINE_NAME)
    {
      /* Kept for the next connection's USB: other consoles say a device
       * is this machine's by it. */
      if (g_strcmp0 (self->machine_name, g_value_get_string (value)) == 0)
        return;
      g_free (self->machine_name);
      self->machine_name = g_value_dup_string (value);
      g_object_notify_by_pspec (object, pspec);
      return;
    }

  on = g_value_get_boolean (value);
  switch (prop_id)
    {
    case PROP_MUTED:
      if (self->muted == on)
        return;
      self->muted = on;
      if (self->sound != NULL)
        hangar_spice_sound_set_muted (self->sound, on);
      break;
    case PROP_MICROPHONE:
      if (self->microphone == on)
        return;
      self->microphone = on;
      if (self->sound != NULL)
        hangar_spice_sound_set_microphone (self->sound, on);
      break;
    case PROP_USB_AUTO_REDIRECT:
      if (self->usb_auto_redirect == on)
        return;
      self->usb_auto_redirect = on;
      if (self->usb != NULL)
        hangar_spice_usb_set_auto_redirect (self->usb, on);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
hangar_spice_session_class_init (HangarSpiceSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HangarConsoleSessionClass *session_class = HANGAR_CONSOLE_SESSION_CLASS (klass);

  object_class->dispose = hangar_spice_session_dispose;
  object_class->finalize = hangar_spice_session_finalize;
  object_class->get_property = hangar_spice_session_get_property;
  object_class->set_property = hangar_spice_session_set_property;

  /* The guest's sound is played unless muted (the guest's own volume and
   * mute are followed either way). */
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the guest may record from the desktop's microphone: off
   * unless the user allows it. */
  properties[PROP_MICROPHONE] =
    g_param_spec_boolean ("microphone", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The guest has a sound card and its playback channel is open. */
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The record channel is open: the guest can hear the microphone. */
  properties[PROP_RECORDING] =
    g_param_spec_boolean ("recording", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The guest's agent takes files now (see
   * hangar_spice_session_check_send_files() for why not). */
  properties[PROP_CAN_SEND_FILES] =
    g_param_spec_boolean ("can-send-files", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The guest's USB redirection channels, and those no device uses. */
  properties[PROP_USB_CHANNELS] =
    g_param_spec_uint ("usb-channels", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USB_FREE_CHANNELS] =
    g_param_spec_uint ("usb-free-channels", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* USB devices plugged in while connected go to the guest by themselves. */
  properties[PROP_USB_AUTO_REDIRECT] =
    g_param_spec_boolean ("usb-auto-redirect", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The machine's name, shown by other consoles for a device this one has. */
  properties[PROP_MACHINE_NAME] =
    g_param_spec_string ("machine-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarSpiceSession::usb-error:
   * @device: the #HangarUsbDevice
   * @error: why it could not be redirected, or failed once redirected
   */
  signals[USB_ERROR] =
    g_signal_new ("usb-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  HANGAR_TYPE_USB_DEVICE, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * HangarSpiceSession::transfer-finished:
   * @transfer: a #HangarFileTransfer, no longer in the transfers list
   * @error: (nullable): why the file did not arrive; %NULL if it did
   */
  signals[TRANSFER_FINISHED] =
    g_signal_new ("transfer-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  HANGAR_TYPE_FILE_TRANSFER, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  session_class->connect_fd = hangar_spice_session_connect_fd;
  session_class->disconnect = hangar_spice_session_disconnect;
  session_class->send_key = hangar_spice_session_send_key;
  session_class->send_pointer = hangar_spice_session_send_pointer;
  session_class->send_scroll = hangar_spice_session_send_scroll;
  session_class->request_resize = hangar_spice_session_request_resize;
  session_class->send_cut_text = hangar_spice_session_send_cut_text;
  session_class->sync_locks = hangar_spice_session_sync_locks;
}

static void
hangar_spice_session_init (HangarSpiceSession *self)
{
  self->transfers = g_list_store_new (HANGAR_TYPE_FILE_TRANSFER);
  self->files = hangar_spice_files_new (self->transfers, on_transfer_finished, self);
  self->usb_devices = g_list_store_new (HANGAR_TYPE_USB_DEVICE);
}

HangarConsoleSession *
hangar_spice_session_new (void)
{
  return g_object_new (HANGAR_TYPE_SPICE_SESSION, NULL);
}

/**
 * hangar_spice_session_get_spice:
 *
 * The spice-client-glib session underneath, while connecting or
 * connected; for tests and diagnostics (its channels), not to drive.
 */
SpiceSession *
hangar_spice_session_get_spice (HangarSpiceSession *self)
{
  g_return_val_if_fail (HANGAR_IS_SPICE_SESSION (self), NULL);

  return self->spice;
}
