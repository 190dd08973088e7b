/* hangar-display-input.c — keyboard, pointer and grab for HangarDisplay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input comes from one capture-phase GtkEventControllerLegacy: keys by
 * hardware keycode through the XT keymap, the pointer in guest pixels,
 * scroll as wheel clicks. A click grabs the keyboard (system shortcuts
 * inhibited); pressing and releasing Ctrl+Alt alone lets it go.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include "hangar-display-private.h"
#include "hangar-keymap.h"

static gboolean
key_is_pressed (HangarDisplay *self,
                guint16        qnum)
{
  return (self->pressed[qnum / 32] & (1u << (qnum % 32))) != 0;
}

static void
set_key_pressed (HangarDisplay *self,
                 guint16        qnum,
                 gboolean       pressed)
{
  if (pressed)
    self->pressed[qnum / 32] |= 1u << (qnum % 32);
  else
    self->pressed[qnum / 32] &= ~(1u << (qnum % 32));
}

static void
send_key (HangarDisplay *self,
          guint16        qnum,
          guint          keyval,
          gboolean       pressed)
{
  g_assert (qnum < 256);

  set_key_pressed (self, qnum, pressed);
  g_signal_emit (self, _hangar_display_signals[KEY_EVENT], 0, (guint) qnum, keyval, pressed);
  if (self->session != NULL)
    hangar_console_session_send_key (self->session, qnum, keyval, pressed);
}

/* Lets go of every key the guest believes is held, so focus leaving the
 * window in the middle of Alt+Tab does not leave Alt stuck. */
void
_hangar_display_release_all_keys (HangarDisplay *self)
{
  for (guint q = 1; q < 256; q++)
    if (key_is_pressed (self, q))
      send_key (self, q, 0, FALSE);
}

static gboolean
is_ctrl (guint16 qnum)
{
  return qnum == 0x1d || qnum == 0x9d;
}

static gboolean
is_alt (guint16 qnum)
{
  return qnum == 0x38 || qnum == 0xb8;
}

void
_hangar_display_grab (HangarDisplay *self,
                      GdkEvent      *event)
{
  GtkNative *native;
  GdkSurface *surface;

  if (self->grabbed)
    return;

  native = gtk_widget_get_native (GTK_WIDGET (self));
  surface = native != NULL ? gtk_native_get_surface (native) : NULL;
  if (surface != NULL && GDK_IS_TOPLEVEL (surface))
    gdk_toplevel_inhibit_system_shortcuts (GDK_TOPLEVEL (surface), event);

  self->grabbed = TRUE;
  self->ungrab_armed = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), _hangar_display_properties[PROP_GRABBED]);
}

/**
 * hangar_display_ungrab:
 *
 * Gives the keyboard back to the desktop.
 */
void
hangar_display_ungrab (HangarDisplay *self)
{
  GtkNative *native;
  GdkSurface *surface;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  if (!self->grabbed)
    return;

  native = gtk_widget_get_native (GTK_WIDGET (self));
  surface = native != NULL ? gtk_native_get_surface (native) : NULL;
  if (surface != NULL && GDK_IS_TOPLEVEL (surface))
    gdk_toplevel_restore_system_shortcuts (GDK_TOPLEVEL (surface));

  self->grabbed = FALSE;
  self->ungrab_armed = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), _hangar_display_properties[PROP_GRABBED]);
}

gboolean
hangar_display_get_grabbed (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), FALSE);

  return self->grabbed;
}

/* The path every key takes, from the event controller and from tests:
 * @keycode is the X11 hardware keycode (evdev + 8). */
gboolean
_hangar_display_key (HangarDisplay *self,
                     guint          keycode,
                     guint          keyval,
                     gboolean       pressed)
{
  guint16 qnum = hangar_keymap_x11_to_qnum (keycode);

  if (qnum == 0)
    {
      g_debug ("No scancode for keycode %u (keyval 0x%x)", keycode, keyval);
      return FALSE;
    }

  /* Ctrl+Alt pressed and released with nothing else releases the grab;
   * Ctrl+Alt+F2 and friends still reach the guest. */
  if (pressed)
    {
      if ((is_ctrl (qnum) || is_alt (qnum)) && self->grabbed)
        {
          gboolean ctrl = is_ctrl (qnum) || key_is_pressed (self, 0x1d) || key_is_pressed (self, 0x9d);
          gboolean alt = is_alt (qnum) || key_is_pressed (self, 0x38) || key_is_pressed (self, 0xb8);

          self->ungrab_armed = ctrl && alt;
        }
      else
        self->ungrab_armed = FALSE;
    }

  /* A release for a key the guest never saw pressed (held before the
   * focus came here) is dropped. */
  if (!pressed && !key_is_pressed (self, qnum))
    return TRUE;

  send_key (self, qnum, keyval, pressed);

  if (!pressed && self->ungrab_armed && (is_ctrl (qnum) || is_alt (qnum)))
    {
      _hangar_display_release_all_keys (self);
      hangar_display_ungrab (self);
    }

  return TRUE;
}

/**
 * hangar_display_send_keys:
 * @qnums: (array length=n_qnums): scancodes, see hangar-keymap.h
 *
 * Presses the keys in order and releases them in reverse, for the "Send
 * key" menu (Ctrl+Alt+Del and the like).
 */
void
hangar_display_send_keys (HangarDisplay *self,
                          const guint16 *qnums,
                          guint          n_qnums)
{
  g_return_if_fail (HANGAR_IS_DISPLAY (self));
  g_return_if_fail (qnums != NULL || n_qnums == 0);

  for (guint i = 0; i < n_qnums; i++)
    if (qnums[i] != 0 && qnums[i] < 256)
      send_key (self, qnums[i], 0, TRUE);
  for (guint i = n_qnums; i > 0; i--)
    if (qnums[i - 1] != 0 && qnums[i - 1] < 256)
      send_key (self, qnums[i - 1], 0, FALSE);
}

static void
send_pointer (HangarDisplay *self)
{
  g_signal_emit (self, _hangar_display_signals[POINTER_EVENT], 0,
                 self->last_guest_x, self->last_guest_y, (guint) self->buttons);
  if (self->session != NULL)
    hangar_console_session_send_pointer (self->session,
                                         self->last_guest_x, self->last_guest_y,
                                         self->buttons);
}

static void
send_scroll (HangarDisplay         *self,
             HangarScrollDirection  direction)
{
  g_signal_emit (self, _hangar_display_signals[SCROLL_EVENT], 0,
                 (int) direction, (guint) self->buttons);
  if (self->session != NULL)
    hangar_console_session_send_scroll (self->session, direction, self->buttons);
}

/* The pointer paths the event controller takes, also called by tests:
 * @x and @y in widget coordinates. */
void
_hangar_display_motion (HangarDisplay *self,
                        double         x,
                        double         y)
{
  _hangar_display_widget_to_guest (self, x, y, &self->last_guest_x, &self->last_guest_y);
  send_pointer (self);
}

static gboolean
event_position (HangarDisplay *self,
                GdkEvent      *event,
                double        *x,
                double        *y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkNative *native = gtk_widget_get_native (widget);
  double nx, ny;

  if (native == NULL || !gdk_event_get_position (event, x, y))
    return FALSE;

  gtk_native_get_surface_transform (native, &nx, &ny);

  return gtk_widget_translate_coordinates (GTK_WIDGET (native), widget,
                                           *x - nx, *y - ny, x, y);
}

static HangarButtonMask
button_mask (guint button)
{
  switch (button)
    {
    case GDK_BUTTON_PRIMARY:
      return HANGAR_BUTTON_LEFT;
    case GDK_BUTTON_MIDDLE:
      return HANGAR_BUTTON_MIDDLE;
    case GDK_BUTTON_SECONDARY:
      return HANGAR_BUTTON_RIGHT;
    default:
      return 0;
    }
}

void
_hangar_display_button (HangarDisplay *self,
                        guint          button,
                        gboolean       pressed)
{
  /* X11 without XI2 smooth scrolling reports the wheel as buttons 4–7. */
  if (button >= 4 && button <= 7)
    {
      if (pressed)
        send_scroll (self, (HangarScrollDirection) (button - 4));
      return;
    }

  if (pressed)
    self->buttons |= button_mask (button);
  else
    self->buttons &= ~button_mask (button);
  send_pointer (self);
}

static void
handle_scroll (HangarDisplay *self,
               GdkEvent      *event)
{
  GdkScrollDirection direction = gdk_scroll_event_get_direction (event);
  double dx, dy;

  switch (direction)
    {
    case GDK_SCROLL_UP:
      send_scroll (self, HANGAR_SCROLL_UP);
      return;
    case GDK_SCROLL_DOWN:
      send_scroll (self, HANGAR_SCROLL_DOWN);
      return;
    case GDK_SCROLL_LEFT:
      send_scroll (self, HANGAR_SCROLL_LEFT);
      return;
    case GDK_SCROLL_RIGHT:
      send_scroll (self, HANGAR_SCROLL_RIGHT);
      return;
    case GDK_SCROLL_SMOOTH:
    default:
      break;
    }

  /* Touchpads scroll smoothly; the guest only knows wheel clicks. */
  gdk_scroll_event_get_deltas (event, &dx, &dy);
  self->scroll_dx += dx;
  self->scroll_dy += dy;
  for (; self->scroll_dy <= -1.0; self->scroll_dy += 1.0)
    send_scroll (self, HANGAR_SCROLL_UP);
  for (; self->scroll_dy >= 1.0; self->scroll_dy -= 1.0)
    send_scroll (self, HANGAR_SCROLL_DOWN);
  for (; self->scroll_dx <= -1.0; self->scroll_dx += 1.0)
    send_scroll (self, HANGAR_SCROLL_LEFT);
  for (; self->scroll_dx >= 1.0; self->scroll_dx -= 1.0)
    send_scroll (self, HANGAR_SCROLL_RIGHT);
}

static gboolean
on_legacy_event (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 HangarDisplay            *self)
{
  GdkEventType type = gdk_event_get_event_type (event);

  switch ((int) type)
    {
    case GDK_KEY_PRESS:
    case GDK_KEY_RELEASE:
      return _hangar_display_key (self,
                                  gdk_key_event_get_keycode (event),
                                  gdk_key_event_get_keyval (event),
                                  type == GDK_KEY_PRESS);

    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
      {
        double x, y;

        if (type == GDK_BUTTON_PRESS)
          {
            gtk_widget_grab_focus (GTK_WIDGET (self));
            _hangar_display_grab (self, event);
          }

        if (event_position (self, event, &x, &y))
          _hangar_display_widget_to_guest (self, x, y, &self->last_guest_x, &self->last_guest_y);
        _hangar_display_button (self, gdk_button_event_get_button (event), type == GDK_BUTTON_PRESS);
        return TRUE;
      }

    case GDK_MOTION_NOTIFY:
      {
        double x, y;

        if (event_position (self, event, &x, &y))
          _hangar_display_motion (self, x, y);
        return TRUE;
      }

    case GDK_SCROLL:
      handle_scroll (self, event);
      return TRUE;

    case GDK_GRAB_BROKEN:
      hangar_display_ungrab (self);
      return FALSE;

    default:
      return FALSE;
    }
}

/* Also called by tests, with the local state they want. */
void
_hangar_display_sync_locks (HangarDisplay  *self,
                            HangarLockMask  locks)
{
  if (self->session != NULL)
    hangar_console_session_sync_locks (self->session, locks);
}

/* Lock keys toggled while the keyboard was elsewhere would otherwise turn
 * the guest's letters to the wrong case. */
static void
on_focus_enter (GtkEventControllerFocus *controller,
                HangarDisplay           *self)
{
  GdkSeat *seat = gdk_display_get_default_seat (gtk_widget_get_display (GTK_WIDGET (self)));
  GdkDevice *keyboard = seat != NULL ? gdk_seat_get_keyboard (seat) : NULL;
  HangarLockMask locks = 0;

  if (keyboard == NULL)
    return;

  if (gdk_device_get_caps_lock_state (keyboard))
    locks |= HANGAR_LOCK_CAPS;
  if (gdk_device_get_num_lock_state (keyboard))
    locks |= HANGAR_LOCK_NUM;
  if (gdk_device_get_scroll_lock_state (keyboard))
    locks |= HANGAR_LOCK_SCROLL;

  _hangar_display_sync_locks (self, locks);
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                HangarDisplay           *self)
{
  _hangar_display_release_all_keys (self);
  if (self->buttons != 0)
    {
      self->buttons = 0;
      send_pointer (self);
    }
  hangar_display_ungrab (self);
}

void
_hangar_display_init_input (HangarDisplay *self)
{
  GtkEventController *controller;

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (on_legacy_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
