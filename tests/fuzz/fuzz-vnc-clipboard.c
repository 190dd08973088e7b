/* fuzz-vnc-clipboard.c — libFuzzer target: a hostile VNC server against
 * the clipboard side channel's RFB / Extended Clipboard state machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one mode byte, four bytes that seed how the stream is cut into
 * reads, then what the server sends from its first byte ("RFB 003.00x").
 * The stream goes through _hangar_vnc_clipboard_receive(), the code
 * on_socket_readable() runs after each read, in pieces of 1 byte up to
 * the socket callback's 16 KiB, so every message boundary and the skip of
 * oversized messages get split in every way. Mode bit 0 gives the channel
 * a password (VNC Authentication), bit 1 a client text to recognise;
 * bit 2 also feeds the stream to hangar_rfb_clipboard_provided_text(),
 * the inflate and UTF-8 path, directly.
 */
#include "config.h"

#include "fuzz-common.h"

#include "hangar-rfb.h"
#include "hangar-vnc-clipboard-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  hangar_fuzz_init_logging ();
  return 0;
}

static guint32
next_random (guint32 *state)
{
  /* xorshift32: cheap, and the same input always cuts the same way. */
  *state ^= *state << 13;
  *state ^= *state >> 17;
  *state ^= *state << 5;
  return *state;
}

static void
on_text (HangarVncClipboard *clipboard,
         const char         *text,
         gpointer            data)
{
  /* The contract of "text": valid UTF-8 (CRLF became LF; a lone CR is
   * kept on purpose, so it is not checked for). */
  g_assert (g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(HangarVncClipboard) clipboard = NULL;
  guint8 mode;
  guint32 state;
  gsize at;

  if (size < 5)
    return 0;
  mode = data[0];
  state = ((guint32) data[1] << 24 | (guint32) data[2] << 16 | (guint32) data[3] << 8 | data[4])
          | 1;  /* xorshift must not start at 0 */
  data += 5;
  size -= 5;

  if (mode & 4)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      guint32 flags = size >= 4 ? (guint32) data[0] << 24 | data[1] << 16 | data[2] << 8 | data[3]
                                : 0;

      text = hangar_rfb_clipboard_provided_text (flags, data + MIN (size, 4),
                                                 size - MIN (size, 4), &error);
      g_assert ((text == NULL) || g_utf8_validate (text, -1, NULL));
    }

  clipboard = _hangar_vnc_clipboard_new_detached ((mode & 1) ? "s3cr3t" : NULL);
  g_signal_connect (clipboard, "text", G_CALLBACK (on_text), NULL);
  if (mode & 2)
    hangar_vnc_clipboard_note_client_text (clipboard, "from the client\r\n");

  for (at = 0; at < size;)
    {
      guint32 r = next_random (&state);
      /* Mostly small reads, where boundaries fall inside headers; now and
       * then a large one, as a fast local socket gives. */
      gsize chunk = (r & 3) == 0 ? 1 + (r >> 8) % (16 * 1024) : 1 + (r >> 8) % 16;

      chunk = MIN (chunk, size - at);
      if (!_hangar_vnc_clipboard_receive (clipboard, data + at, chunk))
        break;
      at += chunk;
      /* A socket takes what is queued; a fuzz run must not keep it. */
      _hangar_vnc_clipboard_take_output (clipboard);
    }
  return 0;
}
