/* hangar-keymap.c — hardware keycodes to XT/QEMU "qnum" scancodes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK hands us the X11 hardware keycode of a key (on Linux, under X11 and
 * Wayland alike, that is the kernel's evdev code plus 8). VNC's QEMU
 * extended key event and SPICE's inputs channel both want the PC/XT set-1
 * scancode in QEMU's "qnum" packing: a plain scancode stays as is, an
 * E0-prefixed one becomes 0x80 | code. Sending scancodes rather than
 * keysyms lets the guest apply its own layout.
 *
 * The table is written from linux/input-event-codes.h and the set-1
 * scancode list; keys with no PC scancode map to 0 (dropped).
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "hangar-keymap.h"

#include <linux/input-event-codes.h>

static const guint16 evdev_to_qnum[256] = {
  /* Codes 1 to 83 are the original XT keyboard: evdev numbered them after
   * their set-1 scancodes, so they map to themselves. */
  [KEY_ESC] = 0x01,
  [KEY_1] = 0x02, [KEY_2] = 0x03, [KEY_3] = 0x04, [KEY_4] = 0x05, [KEY_5] = 0x06,
  [KEY_6] = 0x07, [KEY_7] = 0x08, [KEY_8] = 0x09, [KEY_9] = 0x0a, [KEY_0] = 0x0b,
  [KEY_MINUS] = 0x0c, [KEY_EQUAL] = 0x0d, [KEY_BACKSPACE] = 0x0e, [KEY_TAB] = 0x0f,
  [KEY_Q] = 0x10, [KEY_W] = 0x11, [KEY_E] = 0x12, [KEY_R] = 0x13, [KEY_T] = 0x14,
  [KEY_Y] = 0x15, [KEY_U] = 0x16, [KEY_I] = 0x17, [KEY_O] = 0x18, [KEY_P] = 0x19,
  [KEY_LEFTBRACE] = 0x1a, [KEY_RIGHTBRACE] = 0x1b, [KEY_ENTER] = 0x1c,
  [KEY_LEFTCTRL] = 0x1d,
  [KEY_A] = 0x1e, [KEY_S] = 0x1f, [KEY_D] = 0x20, [KEY_F] = 0x21, [KEY_G] = 0x22,
  [KEY_H] = 0x23, [KEY_J] = 0x24, [KEY_K] = 0x25, [KEY_L] = 0x26,
  [KEY_SEMICOLON] = 0x27, [KEY_APOSTROPHE] = 0x28, [KEY_GRAVE] = 0x29,
  [KEY_LEFTSHIFT] = 0x2a, [KEY_BACKSLASH] = 0x2b,
  [KEY_Z] = 0x2c, [KEY_X] = 0x2d, [KEY_C] = 0x2e, [KEY_V] = 0x2f, [KEY_B] = 0x30,
  [KEY_N] = 0x31, [KEY_M] = 0x32,
  [KEY_COMMA] = 0x33, [KEY_DOT] = 0x34, [KEY_SLASH] = 0x35, [KEY_RIGHTSHIFT] = 0x36,
  [KEY_KPASTERISK] = 0x37, [KEY_LEFTALT] = 0x38, [KEY_SPACE] = 0x39,
  [KEY_CAPSLOCK] = 0x3a,
  [KEY_F1] = 0x3b, [KEY_F2] = 0x3c, [KEY_F3] = 0x3d, [KEY_F4] = 0x3e, [KEY_F5] = 0x3f,
  [KEY_F6] = 0x40, [KEY_F7] = 0x41, [KEY_F8] = 0x42, [KEY_F9] = 0x43, [KEY_F10] = 0x44,
  [KEY_NUMLOCK] = 0x45, [KEY_SCROLLLOCK] = 0x46,
  [KEY_KP7] = 0x47, [KEY_KP8] = 0x48, [KEY_KP9] = 0x49, [KEY_KPMINUS] = 0x4a,
  [KEY_KP4] = 0x4b, [KEY_KP5] = 0x4c, [KEY_KP6] = 0x4d, [KEY_KPPLUS] = 0x4e,
  [KEY_KP1] = 0x4f, [KEY_KP2] = 0x50, [KEY_KP3] = 0x51, [KEY_KP0] = 0x52,
  [KEY_KPDOT] = 0x53,

  /* AT and international additions, single-byte codes. */
  [KEY_ZENKAKUHANKAKU] = 0x76,
  [KEY_102ND] = 0x56,
  [KEY_F11] = 0x57, [KEY_F12] = 0x58,
  [KEY_RO] = 0x73,
  [KEY_KATAKANA] = 0x78,
  [KEY_HIRAGANA] = 0x77,
  [KEY_HENKAN] = 0x79,
  [KEY_KATAKANAHIRAGANA] = 0x70,
  [KEY_MUHENKAN] = 0x7b,
  [KEY_KPJPCOMMA] = 0x5c,
  [KEY_KPEQUAL] = 0x59,
  [KEY_KPCOMMA] = 0x7e,
  [KEY_HANGEUL] = 0x72,
  [KEY_HANJA] = 0x71,
  [KEY_YEN] = 0x7d,
  [KEY_F13] = 0x5d, [KEY_F14] = 0x5e, [KEY_F15] = 0x5f, [KEY_F16] = 0x55,
  [KEY_F17] = 0x83, [KEY_F18] = 0xf7, [KEY_F19] = 0x84, [KEY_F20] = 0x5a,
  [KEY_F21] = 0x74, [KEY_F22] = 0xf9, [KEY_F23] = 0x6d, [KEY_F24] = 0x6f,

  /* The E0-prefixed keys of the 101-key keyboard: 0x80 | second byte. */
  [KEY_KPENTER] = 0x9c,
  [KEY_RIGHTCTRL] = 0x9d,
  [KEY_KPSLASH] = 0xb5,
  /* The PrintScreen/SysRq key. QEMU's PS/2 keyboard turns "print" into
   * 0x54 by itself when Alt is held, so send print, not sysrq. */
  [KEY_SYSRQ] = 0xb7,
  [KEY_RIGHTALT] = 0xb8,
  [KEY_HOME] = 0xc7,
  [KEY_UP] = 0xc8,
  [KEY_PAGEUP] = 0xc9,
  [KEY_LEFT] = 0xcb,
  [KEY_RIGHT] = 0xcd,
  [KEY_END] = 0xcf,
  [KEY_DOWN] = 0xd0,
  [KEY_PAGEDOWN] = 0xd1,
  [KEY_INSERT] = 0xd2,
  [KEY_DELETE] = 0xd3,
  [KEY_PAUSE] = 0xc6,
  [KEY_LEFTMETA] = 0xdb,
  [KEY_RIGHTMETA] = 0xdc,
  [KEY_COMPOSE] = 0xdd,

  /* Multimedia and ACPI keys (Microsoft's E0 assignments). */
  [KEY_MUTE] = 0xa0,
  [KEY_VOLUMEDOWN] = 0xae,
  [KEY_VOLUMEUP] = 0xb0,
  [KEY_POWER] = 0xde,
  [KEY_SLEEP] = 0xdf,
  [KEY_WAKEUP] = 0xe3,
  [KEY_CALC] = 0xa1,
  [KEY_MAIL] = 0xec,
  [KEY_BOOKMARKS] = 0xe6,
  [KEY_COMPUTER] = 0xeb,
  [KEY_BACK] = 0xea,
  [KEY_FORWARD] = 0xe9,
  [KEY_NEXTSONG] = 0x99,
  [KEY_PLAYPAUSE] = 0xa2,
  [KEY_PREVIOUSSONG] = 0x90,
  [KEY_STOPCD] = 0xa4,
  [KEY_HOMEPAGE] = 0xb2,
  [KEY_REFRESH] = 0xe7,
  [KEY_SEARCH] = 0xe5,
  [KEY_MEDIA] = 0xed,
  [KEY_BRIGHTNESSDOWN] = 0xcc,
  [KEY_BRIGHTNESSUP] = 0xd4,

  /* Sun-style editing keys, as QEMU numbers them. */
  [KEY_STOP] = 0xe8,
  [KEY_AGAIN] = 0x85,
  [KEY_PROPS] = 0x86,
  [KEY_UNDO] = 0x87,
  [KEY_FRONT] = 0x8c,
  [KEY_COPY] = 0xf8,
  [KEY_OPEN] = 0x64,
  [KEY_PASTE] = 0x65,
  [KEY_FIND] = 0xc1,
  [KEY_CUT] = 0xbc,
  [KEY_HELP] = 0xf5,
  [KEY_MENU] = 0x9e,
  [KEY_KPPLUSMINUS] = 0xce,
  [KEY_KPLEFTPAREN] = 0xf6,
  [KEY_KPRIGHTPAREN] = 0xfb,
};

/**
 * hangar_keymap_evdev_to_qnum:
 * @evdev_code: a Linux input event key code (`KEY_*`)
 *
 * Returns: the QEMU qnum scancode, or 0 when the key has none
 */
guint16
hangar_keymap_evdev_to_qnum (guint evdev_code)
{
  if (evdev_code >= G_N_ELEMENTS (evdev_to_qnum))
    return 0;

  return evdev_to_qnum[evdev_code];
}

/**
 * hangar_keymap_x11_to_qnum:
 * @keycode: an X11 hardware keycode, as gdk_key_event_get_keycode() gives
 *
 * Returns: the QEMU qnum scancode, or 0 when the key has none
 */
guint16
hangar_keymap_x11_to_qnum (guint keycode)
{
  if (keycode < 8)
    return 0;

  return hangar_keymap_evdev_to_qnum (keycode - 8);
}

/**
 * hangar_keymap_qnum_fkey:
 * @n: 1 to 12
 *
 * Returns: the scancode of function key F@n, or 0 when @n is out of range
 */
guint16
hangar_keymap_qnum_fkey (guint n)
{
  g_return_val_if_fail (n >= 1 && n <= 12, 0);

  if (n <= 10)
    return HANGAR_QNUM_F1 + (n - 1);

  return 0x57 + (n - 11);
}
