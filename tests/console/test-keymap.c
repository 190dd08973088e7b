/* test-keymap.c — the evdev/X11 to XT "qnum" scancode table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expected values are the PC/XT scan code set 1 make codes, written
 * out here independently of the table (by keyboard row, as printed in the
 * IBM PC/AT technical reference), with E0-prefixed keys as 0x80 | code.
 * Evdev codes are written as numbers so a typo in the table's KEY_* names
 * cannot cancel out.
 */
#include <glib.h>

#include "hangar-keymap.h"

typedef struct
{
  const char *name;
  guint evdev;
  guint16 xt;
} KeyCase;

static const KeyCase cases[] = {
  /* Top row */
  { "Escape", 1, 0x01 },
  { "1", 2, 0x02 }, { "2", 3, 0x03 }, { "3", 4, 0x04 }, { "4", 5, 0x05 },
  { "5", 6, 0x06 }, { "6", 7, 0x07 }, { "7", 8, 0x08 }, { "8", 9, 0x09 },
  { "9", 10, 0x0a }, { "0", 11, 0x0b },
  { "minus", 12, 0x0c }, { "equal", 13, 0x0d }, { "BackSpace", 14, 0x0e },
  /* Q row */
  { "Tab", 15, 0x0f },
  { "q", 16, 0x10 }, { "w", 17, 0x11 }, { "e", 18, 0x12 }, { "r", 19, 0x13 },
  { "t", 20, 0x14 }, { "y", 21, 0x15 }, { "u", 22, 0x16 }, { "i", 23, 0x17 },
  { "o", 24, 0x18 }, { "p", 25, 0x19 },
  { "Return", 28, 0x1c },
  /* A row */
  { "Control_L", 29, 0x1d },
  { "a", 30, 0x1e }, { "s", 31, 0x1f }, { "d", 32, 0x20 }, { "f", 33, 0x21 },
  { "g", 34, 0x22 }, { "h", 35, 0x23 }, { "j", 36, 0x24 }, { "k", 37, 0x25 },
  { "l", 38, 0x26 },
  /* Z row */
  { "Shift_L", 42, 0x2a },
  { "z", 44, 0x2c }, { "x", 45, 0x2d }, { "c", 46, 0x2e }, { "v", 47, 0x2f },
  { "b", 48, 0x30 }, { "n", 49, 0x31 }, { "m", 50, 0x32 },
  { "comma", 51, 0x33 }, { "period", 52, 0x34 }, { "slash", 53, 0x35 },
  { "Shift_R", 54, 0x36 },
  { "Alt_L", 56, 0x38 }, { "space", 57, 0x39 }, { "Caps_Lock", 58, 0x3a },
  /* Function keys */
  { "F1", 59, 0x3b }, { "F2", 60, 0x3c }, { "F3", 61, 0x3d }, { "F4", 62, 0x3e },
  { "F5", 63, 0x3f }, { "F6", 64, 0x40 }, { "F7", 65, 0x41 }, { "F8", 66, 0x42 },
  { "F9", 67, 0x43 }, { "F10", 68, 0x44 }, { "F11", 87, 0x57 }, { "F12", 88, 0x58 },
  /* Keypad */
  { "Num_Lock", 69, 0x45 }, { "KP_7", 71, 0x47 }, { "KP_0", 82, 0x52 },
  { "KP_Enter", 96, 0x9c }, { "KP_Divide", 98, 0xb5 },
  /* The E0 block: right-hand modifiers, navigation, arrows */
  { "Control_R", 97, 0x9d }, { "Alt_R", 100, 0xb8 },
  { "Super_L", 125, 0xdb }, { "Super_R", 126, 0xdc }, { "Menu", 127, 0xdd },
  { "Home", 102, 0xc7 }, { "Up", 103, 0xc8 }, { "Prior", 104, 0xc9 },
  { "Left", 105, 0xcb }, { "Right", 106, 0xcd }, { "End", 107, 0xcf },
  { "Down", 108, 0xd0 }, { "Next", 109, 0xd1 }, { "Insert", 110, 0xd2 },
  { "Delete", 111, 0xd3 },
  { "Print", 99, 0xb7 },
  { "Pause", 119, 0xc6 },
};

static void
test_evdev (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint16 got = hangar_keymap_evdev_to_qnum (cases[i].evdev);

      if (got != cases[i].xt)
        g_test_message ("%s: evdev %u gave 0x%02x, expected 0x%02x",
                        cases[i].name, cases[i].evdev, got, cases[i].xt);
      g_assert_cmphex (got, ==, cases[i].xt);
    }
}

static void
test_x11 (void)
{
  /* X11 hardware keycodes are evdev + 8: "a" is 38, Return 36, Up 111. */
  g_assert_cmphex (hangar_keymap_x11_to_qnum (38), ==, 0x1e);
  g_assert_cmphex (hangar_keymap_x11_to_qnum (36), ==, 0x1c);
  g_assert_cmphex (hangar_keymap_x11_to_qnum (111), ==, 0xc8);
  g_assert_cmphex (hangar_keymap_x11_to_qnum (105), ==, 0x9d); /* Control_R */

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmphex (hangar_keymap_x11_to_qnum (cases[i].evdev + 8), ==, cases[i].xt);
}

static void
test_unmapped (void)
{
  /* Below the X11 offset, reserved, out of range, and keys with no PC
   * scancode (KEY_MICMUTE 248) give 0 rather than garbage. */
  for (guint k = 0; k < 8; k++)
    g_assert_cmphex (hangar_keymap_x11_to_qnum (k), ==, 0);
  g_assert_cmphex (hangar_keymap_evdev_to_qnum (0), ==, 0);
  g_assert_cmphex (hangar_keymap_evdev_to_qnum (248), ==, 0);
  g_assert_cmphex (hangar_keymap_evdev_to_qnum (256), ==, 0);
  g_assert_cmphex (hangar_keymap_evdev_to_qnum (G_MAXUINT), ==, 0);
  g_assert_cmphex (hangar_keymap_x11_to_qnum (G_MAXUINT), ==, 0);
}

static void
test_unique (void)
{
  /* No two keys may send the same scancode: the guest could not tell them
   * apart. */
  g_autofree guint *owner = g_new0 (guint, 0x100);

  for (guint k = 1; k < 256; k++)
    {
      guint16 q = hangar_keymap_evdev_to_qnum (k);

      if (q == 0)
        continue;
      g_assert_cmpuint (q, <, 0x100);
      if (owner[q] != 0)
        g_test_message ("evdev %u and %u both map to 0x%02x", owner[q], k, q);
      g_assert_cmpuint (owner[q], ==, 0);
      owner[q] = k;
    }
}

static void
test_fkeys (void)
{
  static const guint16 expected[] = { 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40,
                                      0x41, 0x42, 0x43, 0x44, 0x57, 0x58 };

  for (guint n = 1; n <= 12; n++)
    g_assert_cmphex (hangar_keymap_qnum_fkey (n), ==, expected[n - 1]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/console/keymap/evdev", test_evdev);
  g_test_add_func ("/hangar/console/keymap/x11", test_x11);
  g_test_add_func ("/hangar/console/keymap/unmapped", test_unmapped);
  g_test_add_func ("/hangar/console/keymap/unique", test_unique);
  g_test_add_func ("/hangar/console/keymap/fkeys", test_fkeys);

  return g_test_run ();
}
