/* hangar-rfb.c — RFB pieces gvnc does not have: VNC Authentication's
 * response and Extended Clipboard data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions, for the VNC clipboard side channel
 * (hangar-vnc-clipboard.c) and its tests.
 */
#include "config.h"

#include <gio/gio.h>
#include <nettle/des.h>
#include <string.h>
#include <zlib.h>

#include "hangar-rfb.h"

static guint32
read_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/**
 * hangar_rfb_version_minor:
 * @version: the server's 12-byte ProtocolVersion, "RFB 003.008\n"
 *
 * Returns: the RFB 3 version a client speaks with this server: 8, 7 or 3
 *   (3.8 and later speak 3.8, Apple's 3.889 too; 3.4 to 3.6 are 3.3), or
 *   0 for anything but RFB 3
 */
guint
hangar_rfb_version_minor (const guint8 version[12])
{
  guint major = 0, minor = 0;

  if (memcmp (version, "RFB ", 4) != 0 || version[7] != '.' || version[11] != '\n')
    return 0;
  for (guint i = 0; i < 3; i++)
    {
      if (!g_ascii_isdigit (version[4 + i]) || !g_ascii_isdigit (version[8 + i]))
        return 0;
      major = major * 10 + (version[4 + i] - '0');
      minor = minor * 10 + (version[8 + i] - '0');
    }
  if (major != 3)
    return 0;

  return minor >= 8 ? 8 : minor == 7 ? 7 : 3;
}

static guint8
reverse_bits (guint8 b)
{
  b = (b & 0xf0) >> 4 | (b & 0x0f) << 4;
  b = (b & 0xcc) >> 2 | (b & 0x33) << 2;
  b = (b & 0xaa) >> 1 | (b & 0x55) << 1;
  return b;
}

/* VNC Authentication: the challenge encrypted with DES, keyed with the
 * password's first 8 bytes — each byte's bits in reverse order, a quirk
 * of the first VNC's DES code that every server since expects. */
void
hangar_rfb_vnc_auth_response (const char   *password,
                              const guint8  challenge[16],
                              guint8        response[16])
{
  struct des_ctx ctx;
  guint8 key[DES_KEY_SIZE] = { 0 };

  for (guint i = 0; i < DES_KEY_SIZE && password[i] != '\0'; i++)
    key[i] = reverse_bits ((guint8) password[i]);

  /* Weak keys (an empty password) still make a schedule; the server
   * computes the same. Parity bits are ignored. */
  des_set_key (&ctx, key);
  des_encrypt (&ctx, 16, response, challenge);

  memset (key, 0, sizeof key);
  memset (&ctx, 0, sizeof ctx);
}

/* Extended clipboard text is UTF-8 with CRLF line ends and a final NUL. */
char *
hangar_rfb_clipboard_text_normalize (const char *text,
                                     gsize       len)
{
  GString *out;

  len = strnlen (text, len);
  out = g_string_sized_new (len);
  for (gsize i = 0; i < len; i++)
    if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
      g_string_append_c (out, text[i]);

  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      char *valid = g_utf8_make_valid (out->str, out->len);

      g_string_free (out, TRUE);
      return valid;
    }
  return g_string_free (out, FALSE);
}

/* A Provide message's data, after its flags: one zlib stream holding, for
 * each format in @flags from the lowest bit up, a u32 size and the bytes.
 * Text is bit 0, so it comes first. Returns %NULL without an error when
 * there is no text. */
char *
hangar_rfb_clipboard_provided_text (guint32        flags,
                                    const guint8  *data,
                                    gsize          len,
                                    GError       **error)
{
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  z_stream zs = { 0 };
  guint32 size;
  int ret = Z_OK;

  if (!(flags & HANGAR_RFB_CLIPBOARD_TEXT))
    return NULL;

  if (inflateInit (&zs) != Z_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "zlib would not start");
      return NULL;
    }

  zs.next_in = (Bytef *) data;
  zs.avail_in = len;
  while (ret != Z_STREAM_END)
    {
      guint8 chunk[16 * 1024];

      zs.next_out = chunk;
      zs.avail_out = sizeof chunk;
      ret = inflate (&zs, Z_NO_FLUSH);
      if (ret != Z_OK && ret != Z_STREAM_END)
        break;
      g_byte_array_append (plain, chunk, sizeof chunk - zs.avail_out);

      /* Only the text matters, and only up to our limit. */
      if (plain->len >= 4 && plain->len >= 4 + (gsize) read_u32 (plain->data))
        break;
      if (plain->len > 4 + HANGAR_RFB_CLIPBOARD_MAX_TEXT)
        break;
      if (zs.avail_in == 0 && ret != Z_STREAM_END)
        break;
    }
  inflateEnd (&zs);

  if (plain->len < 4)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "clipboard data does not inflate (zlib %d)", ret);
      return NULL;
    }

  size = read_u32 (plain->data);
  if (size > HANGAR_RFB_CLIPBOARD_MAX_TEXT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "clipboard text of %u bytes is too long", size);
      return NULL;
    }
  if (plain->len < 4 + (gsize) size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "clipboard text cut short: %u bytes of %u", plain->len - 4, size);
      return NULL;
    }

  return hangar_rfb_clipboard_text_normalize ((const char *) plain->data + 4, size);
}
