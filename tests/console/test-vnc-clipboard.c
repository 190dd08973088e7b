/* test-vnc-clipboard.c — the VNC clipboard side channel against a fake
 * server, and its pure parts (VNC Authentication, Extended Clipboard data).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fake server is the test itself, on the other end of a socketpair:
 * it writes what QEMU would and checks every byte the side channel sends
 * back, while the side channel runs on the main context.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "hangar-rfb.h"
#include "hangar-vnc-clipboard.h"

/* --- pure parts ------------------------------------------------------------------- */

static void
hex_to_bytes (const char *hex,
              guint8     *out)
{
  for (guint i = 0; hex[2 * i] != '\0'; i++)
    out[i] = g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]);
}

static void
test_version (void)
{
  static const struct { const char *version; guint minor; } versions[] = {
    { "RFB 003.008\n", 8 },
    { "RFB 003.007\n", 7 },
    { "RFB 003.003\n", 3 },
    { "RFB 003.005\n", 3 },
    { "RFB 003.889\n", 8 },   /* Apple Remote Desktop */
    { "RFB 004.001\n", 0 },
    { "RFB 003.008 ", 0 },
    { "RFB 03.0008\n", 0 },
    { "SSH-2.0-Ope", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      guint8 version[12] = { 0 };

      memcpy (version, versions[i].version, strlen (versions[i].version));
      g_assert_cmpuint (hangar_rfb_version_minor (version), ==, versions[i].minor);
    }
}

/* Vectors from OpenSSL's DES-ECB with the bit-reversed key, checked
 * against the classic DES vector (133457799BBCDFF1, 0123456789ABCDEF →
 * 85E813540F0AB405) first. */
static void
test_vnc_auth (void)
{
  static const struct { const char *password; const char *response; } vectors[] = {
    { "secret", "ee22539f33a5983ec12f9c2edbc995dd" },
    { "password", "b866924125c8eebb9debc1db61c538e2" },
    /* Only the first 8 bytes count. */
    { "passwordXYZ", "b866924125c8eebb9debc1db61c538e2" },
    /* High and low bits of every kind: a wrong bit order shows here. */
    { "Zz9~Kq!x", "6687102c63d4733f70cfdceb8fae3799" },
  };
  guint8 challenge[16];

  for (guint i = 0; i < sizeof challenge; i++)
    challenge[i] = i;

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      guint8 expected[16], response[16];

      hex_to_bytes (vectors[i].response, expected);
      hangar_rfb_vnc_auth_response (vectors[i].password, challenge, response);
      g_assert_cmpmem (response, sizeof response, expected, sizeof expected);
    }
}

/* Text as a Provide message's data carries it: u32 size and the bytes,
 * deflated. */
static GByteArray *
deflated_text (const char *text,
               gsize       len,
               guint32     size)
{
  GByteArray *plain = g_byte_array_new ();
  GByteArray *packed = g_byte_array_new ();
  guint8 be[4] = { size >> 24, size >> 16, size >> 8, size };
  uLongf packed_len;

  g_byte_array_append (plain, be, 4);
  g_byte_array_append (plain, (const guint8 *) text, len);
  packed_len = compressBound (plain->len);
  g_byte_array_set_size (packed, packed_len);
  g_assert_cmpint (compress (packed->data, &packed_len, plain->data, plain->len), ==, Z_OK);
  g_byte_array_set_size (packed, packed_len);
  g_byte_array_unref (plain);
  return packed;
}

static void
test_provided_text (void)
{
  static const char guest[] = "from the guest, ça\r\nline 2\r\n";
  static const guint32 text = HANGAR_RFB_CLIPBOARD_PROVIDE | HANGAR_RFB_CLIPBOARD_TEXT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) data = NULL;
  char *result;

  /* NUL-terminated, CRLF: LF, and no NUL. */
  data = deflated_text (guest, sizeof guest, sizeof guest);
  result = hangar_rfb_clipboard_provided_text (text, data->data, data->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "from the guest, ça\nline 2\n");
  g_free (result);

  /* No text format: nothing, and no error. */
  result = hangar_rfb_clipboard_provided_text (HANGAR_RFB_CLIPBOARD_PROVIDE | (1u << 1),
                                               data->data, data->len, &error);
  g_assert_no_error (error);
  g_assert_null (result);

  /* Cut short: the zlib stream ends early. */
  result = hangar_rfb_clipboard_provided_text (text, data->data, 6, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Not zlib at all. */
  result = hangar_rfb_clipboard_provided_text (text, (const guint8 *) "hello, world", 12, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_byte_array_unref (data);

  /* A size beyond the data. */
  data = deflated_text ("short", 5, 500);
  result = hangar_rfb_clipboard_provided_text (text, data->data, data->len, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_byte_array_unref (data);

  /* Not UTF-8 after all: made valid, not dropped. */
  data = deflated_text ("caf\xe9", 4, 4);
  result = hangar_rfb_clipboard_provided_text (text, data->data, data->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "caf\xef\xbf\xbd");
  g_free (result);

  /* A lone CR stays. */
  result = hangar_rfb_clipboard_text_normalize ("a\rb\r\n", 5);
  g_assert_cmpstr (result, ==, "a\rb\n");
  g_free (result);
}

/* --- the side channel against a fake server ------------------------------------------- */

typedef struct
{
  int server;
  HangarVncClipboard *clipboard;
  GPtrArray *texts;
  gboolean closed;
} Fixture;

static void
on_text (HangarVncClipboard *clipboard,
         const char         *text,
         Fixture            *f)
{
  g_ptr_array_add (f->texts, g_strdup (text));
}

static void
on_closed (HangarVncClipboard *clipboard,
           Fixture            *f)
{
  f->closed = TRUE;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  password)
{
  int fds[2];

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
  f->server = fds[0];
  g_assert_no_errno (fcntl (f->server, F_SETFL, O_NONBLOCK));
  f->texts = g_ptr_array_new_with_free_func (g_free);
  f->clipboard = hangar_vnc_clipboard_new (fds[1], password);
  g_signal_connect (f->clipboard, "text", G_CALLBACK (on_text), f);
  g_signal_connect (f->clipboard, "closed", G_CALLBACK (on_closed), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  password)
{
  hangar_vnc_clipboard_close (f->clipboard);
  g_assert_finalize_object (f->clipboard);
  g_ptr_array_unref (f->texts);
  close (f->server);
}

/* Runs the main context until @done or 5 s have gone by. */
static gboolean
iterate_until (gboolean (*done) (Fixture *f),
               Fixture   *f)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!done (f))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

static void
server_write (Fixture    *f,
              const void *data,
              gsize       len)
{
  g_assert_cmpint (write (f->server, data, len), ==, len);
}

/* The next @len bytes from the side channel must be @expected. */
static void
server_expect (Fixture      *f,
               const guint8 *expected,
               gsize         len)
{
  g_autofree guint8 *got = g_malloc0 (len);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gsize have = 0;

  while (have < len)
    {
      gssize n = read (f->server, got + have, len - have);

      if (n > 0)
        have += n;
      else if (n == 0 || errno != EAGAIN)
        g_error ("the side channel closed or failed with %zu of %zu bytes sent", have, len);
      else if (g_get_monotonic_time () > deadline)
        g_error ("the side channel sent %zu of %zu bytes", have, len);
      else if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_cmpmem (got, len, expected, len);
}

/* Nothing more comes from the side channel, for a while. */
static void
server_expect_nothing (Fixture *f)
{
  guint8 byte;

  for (guint i = 0; i < 100; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  g_assert_cmpint (read (f->server, &byte, 1), ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);
}

static void
server_write_extended (Fixture      *f,
                       guint32       flags,
                       const guint8 *data,
                       gsize         len)
{
  gint32 length = -(gint32) (4 + len);
  guint8 header[12] = {
    3, 0, 0, 0,
    (guint32) length >> 24, (guint32) length >> 16, (guint32) length >> 8, (guint32) length,
    flags >> 24, flags >> 16, flags >> 8, flags,
  };

  server_write (f, header, sizeof header);
  if (len > 0)
    server_write (f, data, len);
}

static void
server_provide (Fixture    *f,
                const char *text)
{
  g_autoptr(GByteArray) data = deflated_text (text, strlen (text) + 1, strlen (text) + 1);

  server_write_extended (f, HANGAR_RFB_CLIPBOARD_PROVIDE | HANGAR_RFB_CLIPBOARD_TEXT,
                         data->data, data->len);
}

static gboolean
has_text (Fixture *f)
{
  return f->texts->len > 0;
}

static gboolean
has_two_texts (Fixture *f)
{
  return f->texts->len > 1;
}

static gboolean
is_closed (Fixture *f)
{
  return f->closed;
}

static const guint8 client_init_shared[] = { 1 };
/* SetEncodings: only the Extended Clipboard pseudo-encoding. */
static const guint8 set_encodings[] = { 2, 0, 0, 1, 0xc0, 0xa1, 0xe5, 0xce };

static void
server_init (Fixture *f)
{
  static const guint8 init[] = {
    0x04, 0x00, 0x03, 0x00,                         /* 1024×768 */
    32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0,
    0, 0, 0, 17,
    'Q', 'E', 'M', 'U', ' ', '(', 'h', 'a', 'n', 'g', 'a', 'r', '-', 't', 's', 't', ')',
  };

  server_write (f, init, sizeof init);
  server_expect (f, set_encodings, sizeof set_encodings);
}

/* What QEMU does: RFB 3.8, VNC Authentication, its caps, and a guest
 * that copies. */
static void
test_conversation (Fixture       *f,
                   gconstpointer  password)
{
  static const guint8 types[] = { 1, 2 };
  static const guint8 vnc_auth[] = { 2 };
  static const guint8 ok[] = { 0, 0, 0, 0 };
  static const guint8 bell[] = { 2 };
  static const guint8 colours[] = { 1, 0, 0, 0, 0, 1, 0xff, 0xff, 0, 0, 0, 0 };
  static const guint8 caps_answer[] = {
    6, 0, 0, 0, 0xff, 0xff, 0xff, 0xf8,
    0x1d, 0x00, 0x00, 0x01,   /* caps, peek, notify, provide; text */
    0x00, 0x80, 0x00, 0x00,   /* at most 8 MiB of text */
  };
  static const guint8 request_text[] = { 6, 0, 0, 0, 0xff, 0xff, 0xff, 0xfc, 0x02, 0, 0, 1 };
  static const guint8 caps[] = { 0, 0, 0, 0 };
  guint8 challenge[16], response[16];

  server_write (f, "RFB 003.008\n", 12);
  server_expect (f, (const guint8 *) "RFB 003.008\n", 12);

  /* Only VNC Authentication; the challenge, and the password's answer. */
  server_write (f, types, sizeof types);
  server_expect (f, vnc_auth, sizeof vnc_auth);
  for (guint i = 0; i < sizeof challenge; i++)
    challenge[i] = g_random_int ();
  server_write (f, challenge, sizeof challenge);
  hangar_rfb_vnc_auth_response (password, challenge, response);
  server_expect (f, response, sizeof response);
  server_write (f, ok, sizeof ok);
  server_expect (f, client_init_shared, sizeof client_init_shared);
  server_init (f);

  /* What else may come, skipped by its length, then QEMU's caps (text,
   * max size 0) and our answer. */
  server_write (f, bell, sizeof bell);
  server_write (f, colours, sizeof colours);
  server_write_extended (f,
                         HANGAR_RFB_CLIPBOARD_CAPS | HANGAR_RFB_CLIPBOARD_TEXT
                         | HANGAR_RFB_CLIPBOARD_REQUEST | HANGAR_RFB_CLIPBOARD_NOTIFY
                         | HANGAR_RFB_CLIPBOARD_PROVIDE,
                         caps, sizeof caps);
  server_expect (f, caps_answer, sizeof caps_answer);

  /* The guest copied: ask for the text, and hand it on. */
  server_write_extended (f, HANGAR_RFB_CLIPBOARD_NOTIFY | HANGAR_RFB_CLIPBOARD_TEXT, NULL, 0);
  server_expect (f, request_text, sizeof request_text);
  server_provide (f, "from the guest, ça\r\nmarche");
  g_assert_true (iterate_until (has_text, f));
  g_assert_cmpstr (g_ptr_array_index (f->texts, 0), ==, "from the guest, ça\nmarche");
  g_ptr_array_set_size (f->texts, 0);

  /* The guest's clipboard holds something else than text: no request. */
  server_write_extended (f, HANGAR_RFB_CLIPBOARD_NOTIFY, NULL, 0);
  server_expect_nothing (f);

  /* What the client sent comes round: not the guest's, not reported;
   * even when it comes after the client sent more. */
  hangar_vnc_clipboard_note_client_text (f->clipboard, "from the client\nline");
  hangar_vnc_clipboard_note_client_text (f->clipboard, "more from the client");
  server_write_extended (f, HANGAR_RFB_CLIPBOARD_NOTIFY | HANGAR_RFB_CLIPBOARD_TEXT, NULL, 0);
  server_expect (f, request_text, sizeof request_text);
  server_provide (f, "from the client\r\nline");
  server_provide (f, "more from the client");
  server_expect_nothing (f);
  g_assert_cmpuint (f->texts->len, ==, 0);

  /* Then the guest's again, a byte at a time: the parser waits for
   * whole messages. */
  {
    g_autoptr(GByteArray) data = deflated_text ("the guest's again", 18, 18);
    guint32 flags = HANGAR_RFB_CLIPBOARD_PROVIDE | HANGAR_RFB_CLIPBOARD_TEXT;
    gint32 length = -(gint32) (4 + data->len);
    guint8 header[12] = {
      3, 0, 0, 0,
      (guint32) length >> 24, (guint32) length >> 16, (guint32) length >> 8, (guint32) length,
      flags >> 24, flags >> 16, flags >> 8, flags,
    };

    g_byte_array_prepend (data, header, sizeof header);
    for (guint i = 0; i < data->len; i++)
      {
        server_write (f, data->data + i, 1);
        while (g_main_context_iteration (NULL, FALSE))
          ;
      }
  }
  g_assert_true (iterate_until (has_text, f));
  g_assert_cmpstr (g_ptr_array_index (f->texts, 0), ==, "the guest's again");

  /* The guest had the clipboard since: the client's texts are its own
   * when it copies them. */
  server_provide (f, "more from the client");
  g_assert_true (iterate_until (has_two_texts, f));
  g_assert_cmpstr (g_ptr_array_index (f->texts, 1), ==, "more from the client");

  /* The server goes: the side channel ends, and says so. */
  g_assert_false (f->closed);
  shutdown (f->server, SHUT_RDWR);
  g_assert_true (iterate_until (is_closed, f));
}

/* An RFB 3.3 server without authentication: it chooses the type. */
static void
test_rfb_33 (Fixture       *f,
             gconstpointer  password)
{
  static const guint8 none[] = { 0, 0, 0, 1 };

  server_write (f, "RFB 003.003\n", 12);
  server_expect (f, (const guint8 *) "RFB 003.003\n", 12);
  server_write (f, none, sizeof none);
  server_expect (f, client_init_shared, sizeof client_init_shared);
  server_init (f);

  /* Plain cut text is skipped: the console's own connection has it. */
  {
    static const guint8 plain[] = { 3, 0, 0, 0, 0, 0, 0, 2, 'h', 'i' };

    server_write (f, plain, sizeof plain);
  }
  server_provide (f, "three three");
  g_assert_true (iterate_until (has_text, f));
  g_assert_cmpuint (f->texts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->texts, 0), ==, "three three");
}

/* More than we take: passed by, and the next message still read. */
static void
test_too_big (Fixture       *f,
              gconstpointer  password)
{
  static const guint8 none[] = { 0, 0, 0, 1 };
  gsize size = HANGAR_RFB_CLIPBOARD_MAX_TEXT + 1000, sent = 0;
  guint8 header[8] = { 3, 0, 0, 0, size >> 24, size >> 16, size >> 8, size };
  g_autofree guint8 *junk = g_malloc0 (size);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  server_write (f, "RFB 003.003\n", 12);
  server_expect (f, (const guint8 *) "RFB 003.003\n", 12);
  server_write (f, none, sizeof none);
  server_expect (f, client_init_shared, sizeof client_init_shared);
  server_init (f);

  server_write (f, header, sizeof header);
  while (sent < size)
    {
      gssize n = write (f->server, junk + sent, size - sent);

      if (n > 0)
        sent += n;
      else
        g_assert_cmpint (errno, ==, EAGAIN);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  server_provide (f, "after the big one");
  g_assert_true (iterate_until (has_text, f));
  g_assert_cmpstr (g_ptr_array_index (f->texts, 0), ==, "after the big one");
  g_assert_false (f->closed);
}

/* A wrong password: the side channel ends, quietly. */
static void
test_refused (Fixture       *f,
              gconstpointer  password)
{
  static const guint8 types[] = { 1, 2 };
  static const guint8 vnc_auth[] = { 2 };
  static const guint8 failed[] = { 0, 0, 0, 1, 0, 0, 0, 21 };
  guint8 challenge[16] = { 0 }, response[16];

  server_write (f, "RFB 003.008\n", 12);
  server_expect (f, (const guint8 *) "RFB 003.008\n", 12);
  server_write (f, types, sizeof types);
  server_expect (f, vnc_auth, sizeof vnc_auth);
  server_write (f, challenge, sizeof challenge);
  hangar_rfb_vnc_auth_response (password, challenge, response);
  server_expect (f, response, sizeof response);
  server_write (f, failed, sizeof failed);
  server_write (f, "Authentication failed", 21);
  g_assert_true (iterate_until (is_closed, f));
  g_assert_cmpuint (f->texts->len, ==, 0);
}

/* No password, and a server that wants one: no way in, no waiting. */
static void
test_no_password (Fixture       *f,
                  gconstpointer  password)
{
  static const guint8 types[] = { 1, 2 };

  server_write (f, "RFB 003.008\n", 12);
  server_expect (f, (const guint8 *) "RFB 003.008\n", 12);
  server_write (f, types, sizeof types);
  g_assert_true (iterate_until (is_closed, f));
}

/* A framebuffer update was never asked for: its length is unknowable. */
static void
test_unexpected (Fixture       *f,
                 gconstpointer  password)
{
  static const guint8 none[] = { 0, 0, 0, 1 };
  static const guint8 update[] = { 0, 0, 0, 1 };

  server_write (f, "RFB 003.003\n", 12);
  server_expect (f, (const guint8 *) "RFB 003.003\n", 12);
  server_write (f, none, sizeof none);
  server_expect (f, client_init_shared, sizeof client_init_shared);
  server_init (f);
  server_write (f, update, sizeof update);
  g_assert_true (iterate_until (is_closed, f));
}

/* A server that keeps asking (Peek: "what do you have?") and never reads
 * the answers: the channel's unsent answers must not grow without end
 * (review finding L8). The socket buffers fill first, then the channel's
 * own queue; it must give up, not keep growing. */
static void
test_never_reads (Fixture       *f,
                  gconstpointer  password)
{
  static const guint8 none[] = { 0, 0, 0, 1 };
  gint32 length = -4;
  guint32 flags = HANGAR_RFB_CLIPBOARD_PEEK;
  guint8 peek[12] = {
    3, 0, 0, 0,
    (guint32) length >> 24, (guint32) length >> 16, (guint32) length >> 8, (guint32) length,
    flags >> 24, flags >> 16, flags >> 8, flags,
  };
  gint64 deadline;
  gsize sent = 0;

  server_write (f, "RFB 003.003\n", 12);
  server_expect (f, (const guint8 *) "RFB 003.003\n", 12);
  server_write (f, none, sizeof none);
  server_expect (f, client_init_shared, sizeof client_init_shared);
  server_init (f);

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!f->closed)
    {
      guint8 batch[sizeof peek * 64];

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      for (guint i = 0; i < 64; i++)
        memcpy (batch + i * sizeof peek, peek, sizeof peek);
      if (write (f->server, batch, sizeof batch) > 0)
        sent += sizeof batch;
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  /* It answered for a while (the socket buffers took some), then stopped. */
  g_assert_cmpuint (sent, >, 64 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/console/rfb/version", test_version);
  g_test_add_func ("/hangar/console/rfb/vnc-auth", test_vnc_auth);
  g_test_add_func ("/hangar/console/rfb/provided-text", test_provided_text);
  g_test_add ("/hangar/console/vnc-clipboard/conversation", Fixture, "s3cr3t-pw",
              fixture_setup, test_conversation, fixture_teardown);
  g_test_add ("/hangar/console/vnc-clipboard/rfb-3.3", Fixture, NULL,
              fixture_setup, test_rfb_33, fixture_teardown);
  g_test_add ("/hangar/console/vnc-clipboard/too-big", Fixture, NULL,
              fixture_setup, test_too_big, fixture_teardown);
  g_test_add ("/hangar/console/vnc-clipboard/refused", Fixture, "wrong",
              fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/hangar/console/vnc-clipboard/no-password", Fixture, NULL,
              fixture_setup, test_no_password, fixture_teardown);
  g_test_add ("/hangar/console/vnc-clipboard/unexpected", Fixture, NULL,
              fixture_setup, test_unexpected, fixture_teardown);
  g_test_add ("/hangar/console/vnc-clipboard/never-reads", Fixture, NULL,
              fixture_setup, test_never_reads, fixture_teardown);

  return g_test_run ();
}
