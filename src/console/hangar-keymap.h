/* hangar-keymap.h — hardware keycodes to XT/QEMU "qnum" scancodes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A few scancodes the console sends on its own ("Send key" menu, grab). */
#define HANGAR_QNUM_LEFTCTRL  0x1d
#define HANGAR_QNUM_LEFTALT   0x38
#define HANGAR_QNUM_BACKSPACE 0x0e
#define HANGAR_QNUM_DELETE    0xd3
#define HANGAR_QNUM_PRINT     0xb7
#define HANGAR_QNUM_SYSRQ     0x54
#define HANGAR_QNUM_F1        0x3b

guint16 hangar_keymap_evdev_to_qnum (guint evdev_code);
guint16 hangar_keymap_x11_to_qnum   (guint keycode);
guint16 hangar_keymap_qnum_fkey     (guint n);

G_END_DECLS
