/* test-console-agent.c — guest agents behind VNC and SPICE sessions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tiny Linux guest runs mini-vdagent on its SPICE agent port and logs
 * what it gets to the serial port:
 *
 *  - agent (SPICE): the session's resize requests and clipboard must
 *    arrive there, and the guest's clipboard must come back as the
 *    session's cut-text.
 *  - clipboard (VNC): the same agent behind QEMU's qemu-vdagent; the
 *    session's client cut text must reach the guest's clipboard, and the
 *    guest's clipboard must come back as cut-text (through the session's
 *    clipboard side channel).
 *  - no-agent (SPICE): without an agent, requests go nowhere, quietly,
 *    and files are refused with the reason.
 *  - files (SPICE): files sent through the session arrive in the guest
 *    whole (the agent logs each one's SHA-256), with progress; a cancelled
 *    one stops, in the guest too; one on its way when the connection
 *    ends fails at once, saying so.
 *  - files-disabled (SPICE): an agent that does not take files: refused
 *    with the reason, before anything is sent.
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <unistd.h>

#include "console-session-fixture.h"
#include "console-test-util.h"
#include "hangar-spice-files.h"
#include "hangar-spice-session.h"
#include "hangar-test-util.h"

static void
test_agent (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *early = NULL;
  g_autofree char *window_line = NULL;
  g_autofree char *log = NULL;
  int scale;

  if (!start_guest (f, CONSOLE_GUEST_LINUX_AGENT))
    return;

  connect_session (f);
  wait_first_frame (f);

  /* Asked before the guest's agent is up (the kernel is still booting):
   * the request must wait for the agent, not be lost, nor warn. */
  log = console_guest_read_serial (f->guest);
  g_test_message ("Early requests %s the agent started", strstr (log, "hangar-agent:") ? "after" : "before");
  hangar_console_session_request_resize (f->session, 1000, 700);
  hangar_console_session_send_cut_text (f->session, "early text");

  wait_serial_until (f, serial_has, "hangar-agent: started on /dev/vport", 90000);
  wait_serial_line (f, "hangar-agent: monitors 1 1000x700");
  wait_serial_line (f, "hangar-agent: clipboard early text");

  /* Resize through the session... */
  hangar_console_session_request_resize (f->session, 1024, 768);
  wait_serial_line (f, "hangar-agent: monitors 1 1024x768");

  /* ...and through the display, sized to its window, as the console's
   * "Auto-resize guest to the window" does. */
  hangar_display_set_resize_guest (f->display, TRUE);
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (f->display));
  window_line = g_strdup_printf ("hangar-agent: monitors 1 %dx%d",
                                 gtk_widget_get_width (GTK_WIDGET (f->display)) * scale,
                                 gtk_widget_get_height (GTK_WIDGET (f->display)) * scale);
  wait_serial_line (f, window_line);

  /* The client's clipboard, UTF-8, to the guest. */
  hangar_console_session_send_cut_text (f->session, "Hangar → guest, ça marche");
  wait_serial_line (f, "hangar-agent: client grabbed selection 0");
  wait_serial_line (f, "hangar-agent: clipboard Hangar → guest, ça marche");

  /* The guest copies (its /init hands "copy TEXT" lines to the agent):
   * the session asks for the text and reports it. */
  g_assert_null (f->cut_text);
  type_text (f, "copy from-the-guest\n");
  wait_serial_line (f, "hangar-agent: grabbed from-the-guest");
  wait_serial_line (f, "hangar-agent: client asked for selection 0 type 1");
  if (!console_test_wait_until (has_cut_text, f, 30000))
    {
      g_clear_pointer (&log, g_free);
      log = console_guest_read_serial (f->guest);
      g_test_message ("Serial log:\n%s", log);
    }
  g_assert_cmpstr (f->cut_text, ==, "from-the-guest");

  /* UTF-8 from the guest, as the agent sends it. */
  g_clear_pointer (&f->cut_text, g_free);
  type_text (f, "copy caf\\303\\251 \\342\\206\\222 ok\n");
  wait_serial_line (f, "hangar-agent: grabbed café → ok");
  g_assert_true (console_test_wait_until (has_cut_text, f, 30000));
  g_assert_cmpstr (f->cut_text, ==, "café → ok");

  {
    g_autoptr(GdkTexture) shot = console_test_render_widget (GTK_WIDGET (f->display));

    console_test_save_png (shot, "spice-agent-display.png");
  }

  /* What the guest's agent saw, for the record. */
  {
    g_autofree char *serial = console_guest_read_serial (f->guest);
    g_auto(GStrv) lines = g_strsplit (serial, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      if (strstr (lines[i], "hangar-agent:") != NULL)
        g_test_message ("%s", g_strchomp (lines[i]));
  }
  g_assert_null (f->error);
}

/* VNC has no agent protocol of its own. With QEMU's qemu-vdagent
 * chardev on the guest's agent port, QEMU plays the SPICE client's part
 * towards the guest's agent (mini-vdagent) and joins the guest's
 * clipboard to QEMU's clipboard, which QEMU's VNC server shares as cut
 * text: what the session sends as client cut text must come out of the
 * guest's agent, exactly, ASCII or not.
 *
 * The other way, guest to client: QEMU's VNC server only tells clients
 * about its clipboard in the Extended Clipboard pseudo-encoding's
 * messages, which gvnc 1.3.1 cannot read; the session gets them on a
 * second connection of its own (hangar-vnc-clipboard.c), opened through
 * the same open-fd function SPICE's channels use. */
static void
test_vnc_clipboard (Fixture       *f,
                    gconstpointer  data)
{
  if (!start_guest (f, CONSOLE_GUEST_LINUX_AGENT))
    return;

  connect_session (f);
  wait_first_frame (f);

  wait_serial_until (f, serial_has, "hangar-agent: started on /dev/vport", 90000);
  /* QEMU's answer to the agent's capabilities: from then on QEMU hands
   * clipboard changes to the agent. Before it, they would be lost. */
  wait_serial_line (f, "hangar-agent: client capabilities");

  hangar_console_session_send_cut_text (f->session, "hangar-ok from the client");
  wait_serial_line (f, "hangar-agent: client grabbed selection 0");
  wait_serial_line (f, "hangar-agent: clipboard hangar-ok from the client");

  /* QEMU takes plain cut text for UTF-8 (its clipboard's text is UTF-8),
   * not the Latin-1 of the RFB specification: "→" has no Latin-1 form,
   * and "ç" in Latin-1 would reach the guest as an invalid byte. */
  hangar_console_session_send_cut_text (f->session, "Hangar → guest, ça marche");
  wait_serial_line (f, "hangar-agent: clipboard Hangar → guest, ça marche");

  /* QEMU tells the side channel about the client's own text too: it
   * must not come back as the guest's. */
  console_test_iterate (1000);
  g_assert_null (f->cut_text);

  /* The guest copies: QEMU asks its agent for the text when the side
   * channel asks QEMU, and the session reports it. */
  type_text (f, "copy from-the-guest\n");
  wait_serial_line (f, "hangar-agent: grabbed from-the-guest");
  wait_serial_line (f, "hangar-agent: client asked for selection 0 type 1");
  if (!console_test_wait_until (has_cut_text, f, 30000))
    {
      g_autofree char *log = console_guest_read_serial (f->guest);

      g_test_message ("Serial log:\n%s", log);
    }
  g_assert_cmpstr (f->cut_text, ==, "from-the-guest");

  /* Each new copy in the guest comes, not only the first (capitals
   * typed with Shift). */
  g_clear_pointer (&f->cut_text, g_free);
  type_text (f, "copy Hangar-OK from the client\n");
  wait_serial_line (f, "hangar-agent: grabbed Hangar-OK from the client");
  g_assert_true (console_test_wait_until (has_cut_text, f, 30000));
  g_assert_cmpstr (f->cut_text, ==, "Hangar-OK from the client");

  /* UTF-8 from the guest: QEMU's extended clipboard carries it as is. */
  g_clear_pointer (&f->cut_text, g_free);
  type_text (f, "copy caf\\303\\251 \\342\\206\\222 ok\n");
  wait_serial_line (f, "hangar-agent: grabbed café → ok");
  g_assert_true (console_test_wait_until (has_cut_text, f, 30000));
  g_assert_cmpstr (f->cut_text, ==, "café → ok");

  /* What the guest's agent saw, for the record. */
  {
    g_autofree char *serial = console_guest_read_serial (f->guest);
    g_auto(GStrv) lines = g_strsplit (serial, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      if (strstr (lines[i], "hangar-agent:") != NULL)
        g_test_message ("%s", g_strchomp (lines[i]));
  }
  g_assert_null (f->error);
  g_assert_cmpint (hangar_console_session_get_state (f->session), ==,
                   HANGAR_CONSOLE_STATE_CONNECTED);
}

/* Without an agent in the guest, resize and clipboard requests go
 * nowhere, quietly: no critical from spice-client-glib (fatal here). */
static void
test_no_agent (Fixture       *f,
               gconstpointer  data)
{
  if (!start_guest (f, CONSOLE_GUEST_FIRMWARE))
    return;

  connect_session (f);
  wait_first_frame (f);

  hangar_console_session_request_resize (f->session, 1024, 768);
  hangar_console_session_send_cut_text (f->session, "nobody reads this");
  hangar_display_set_resize_guest (f->display, TRUE);
  console_test_iterate (1000);

  /* No agent to take files: refused, with what to do about it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GFile) file = g_file_new_for_path ("/etc/hostname");
    gboolean can = TRUE;

    g_object_get (f->session, "can-send-files", &can, NULL);
    g_assert_false (can);
    g_assert_false (hangar_spice_session_send_files (HANGAR_SPICE_SESSION (f->session), &file, 1, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
    g_assert_nonnull (strstr (error->message, "spice-vdagent"));
    g_assert_cmpuint (g_list_model_get_n_items (hangar_spice_session_get_transfers (HANGAR_SPICE_SESSION (f->session))), ==, 0);
  }

  g_assert_cmpint (hangar_console_session_get_state (f->session), ==,
                   HANGAR_CONSOLE_STATE_CONNECTED);
  g_assert_null (f->error);
}

/* --- files ------------------------------------------------------------- */

typedef struct
{
  GHashTable *done;    /* name → error message, or "" when it arrived */
  guint progress_notes;
} Transfers;

static void
on_transfer_finished (HangarSpiceSession *session,
                      HangarFileTransfer *transfer,
                      const GError       *error,
                      Transfers          *t)
{
  g_test_message ("%s: %s", hangar_file_transfer_get_name (transfer),
                  error ? error->message : "arrived");
  g_hash_table_replace (t->done, g_strdup (hangar_file_transfer_get_name (transfer)),
                        g_strdup (error ? error->message : ""));
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_hash_table_replace (t->done, g_strdup_printf ("%s (cancelled)", hangar_file_transfer_get_name (transfer)),
                          g_strdup ("cancelled"));
}

static void
on_progress (HangarFileTransfer *transfer,
             GParamSpec         *pspec,
             Transfers          *t)
{
  t->progress_notes++;
}

static void
on_transfers_changed (GListModel *list,
                      guint       position,
                      guint       removed,
                      guint       added,
                      Transfers  *t)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(HangarFileTransfer) transfer = g_list_model_get_item (list, i);

      g_signal_connect (transfer, "notify::progress", G_CALLBACK (on_progress), t);
    }
}

typedef struct
{
  Transfers *t;
  const char *name;
} DoneWait;

static gboolean
transfer_done (gpointer data)
{
  DoneWait *w = data;

  return g_hash_table_contains (w->t->done, w->name);
}

static gboolean
can_send_files (gpointer data)
{
  gboolean can = FALSE;

  g_object_get (data, "can-send-files", &can, NULL);
  return can;
}

static char *
sha256_of (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static gboolean
transfer_started (gpointer data)
{
  HangarFileTransfer *transfer = data;

  return hangar_file_transfer_get_progress (transfer) > 0 || hangar_file_transfer_get_finished (transfer);
}

static void
test_files (Fixture       *f,
            gconstpointer  data)
{
  HangarSpiceSession *session;
  GListModel *transfers;
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Transfers t = { done, 0 };
  g_autofree char *dir = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *bin_path = NULL;
  g_autofree char *big_path = NULL;
  g_autoptr(GError) error = NULL;

  if (!start_guest (f, CONSOLE_GUEST_LINUX_AGENT))
    return;

  session = HANGAR_SPICE_SESSION (f->session);
  transfers = hangar_spice_session_get_transfers (session);
  g_signal_connect (session, "transfer-finished", G_CALLBACK (on_transfer_finished), &t);
  g_signal_connect (transfers, "items-changed", G_CALLBACK (on_transfers_changed), &t);

  connect_session (f);
  wait_first_frame (f);
  wait_serial_until (f, serial_has, "hangar-agent: started on /dev/vport", 90000);
  g_assert_true (console_test_wait_until (can_send_files, session, 30000));

  /* A text file with a name that is not ASCII, and 3 MiB of noise: many
   * data messages, each of several agent chunks. */
  dir = g_dir_make_tmp ("hangar-files-XXXXXX", &error);
  g_assert_no_error (error);
  text_path = g_build_filename (dir, "notes café.txt", NULL);
  g_assert_true (g_file_set_contents (text_path, "Hangar → guest\nsecond line\n", -1, NULL));
  bin_path = g_build_filename (dir, "noise.bin", NULL);
  {
    gsize size = 3 * 1024 * 1024 + 17;
    g_autofree guint32 *noise = g_new (guint32, size / 4 + 1);
    g_autoptr(GRand) rand = g_rand_new_with_seed (7);

    for (gsize i = 0; i < size / 4 + 1; i++)
      noise[i] = g_rand_int (rand);
    g_assert_true (g_file_set_contents (bin_path, (const char *) noise, size, NULL));
  }

  {
    GFile *files[2] = { g_file_new_for_path (text_path), g_file_new_for_path (bin_path) };
    g_autofree char *text_hash = sha256_of (text_path);
    g_autofree char *bin_hash = sha256_of (bin_path);
    g_autofree char *text_line = NULL;
    g_autofree char *bin_line = NULL;
    DoneWait text_done = { &t, "notes café.txt" };
    DoneWait bin_done = { &t, "noise.bin" };
    gsize text_size = strlen ("Hangar → guest\nsecond line\n");

    g_assert_true (hangar_spice_session_send_files (session, files, 2, &error));
    g_assert_no_error (error);
    g_object_unref (files[0]);
    g_object_unref (files[1]);
    /* Both listed while on their way. */
    g_assert_cmpuint (g_list_model_get_n_items (transfers), ==, 2);

    g_assert_true (console_test_wait_until (transfer_done, &text_done, 60000));
    g_assert_true (console_test_wait_until (transfer_done, &bin_done, 120000));
    g_assert_cmpstr (g_hash_table_lookup (done, "notes café.txt"), ==, "");
    g_assert_cmpstr (g_hash_table_lookup (done, "noise.bin"), ==, "");
    g_assert_cmpuint (g_list_model_get_n_items (transfers), ==, 0);
    /* The progress moved on the way, more than from nothing to all. */
    g_test_message ("%u progress notifications", t.progress_notes);
    g_assert_cmpuint (t.progress_notes, >, 2);

    /* What the guest's agent wrote is what we sent, byte for byte. */
    text_line = g_strdup_printf ("hangar-agent: file received %" G_GSIZE_FORMAT " %s notes café.txt",
                                 text_size, text_hash);
    bin_line = g_strdup_printf ("hangar-agent: file received %u %s noise.bin",
                                3 * 1024 * 1024 + 17, bin_hash);
    wait_serial_line (f, text_line);
    wait_serial_line (f, bin_line);
  }

  /* A big file, cancelled on its way: it stops in the guest too, which
   * drops what it had. */
  big_path = g_build_filename (dir, "big.img", NULL);
  {
    g_autoptr(GFile) file = g_file_new_for_path (big_path);
    g_autoptr(HangarFileTransfer) transfer = NULL;
    DoneWait big_done = { &t, "big.img (cancelled)" };
    int fd = g_open (big_path, O_WRONLY | O_CREAT, 0600);

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (ftruncate (fd, 256 * 1024 * 1024), ==, 0);
    close (fd);

    g_assert_true (hangar_spice_session_send_files (session, &file, 1, &error));
    g_assert_cmpuint (g_list_model_get_n_items (transfers), ==, 1);
    transfer = g_list_model_get_item (transfers, 0);
    g_assert_cmpstr (hangar_file_transfer_get_name (transfer), ==, "big.img");
    wait_serial (f, "hangar-agent: file start 268435456 big.img");
    g_assert_true (console_test_wait_until (transfer_started, transfer, 30000));
    g_assert_false (hangar_file_transfer_get_finished (transfer));
    g_test_message ("cancelling at %.1f %%", 100 * hangar_file_transfer_get_progress (transfer));
    hangar_file_transfer_cancel (transfer);
    g_assert_true (console_test_wait_until (transfer_done, &big_done, 30000));
    g_assert_true (hangar_file_transfer_get_finished (transfer));
    g_assert_cmpuint (g_list_model_get_n_items (transfers), ==, 0);
    wait_serial (f, "hangar-agent: file cancelled after ");
    {
      g_autofree char *log = console_guest_read_serial (f->guest);

      g_assert_null (strstr (log, "hangar-agent: file received 268435456"));
    }
  }

  g_assert_null (f->error);
  g_assert_cmpint (hangar_console_session_get_state (f->session), ==,
                   HANGAR_CONSOLE_STATE_CONNECTED);

  /* The connection ends while a file is on its way: the file fails with
   * the reason, at once, and leaves the list. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (big_path);
    g_autoptr(HangarFileTransfer) transfer = NULL;
    DoneWait big_done = { &t, "big.img" };

    g_hash_table_remove (done, "big.img");
    g_assert_true (hangar_spice_session_send_files (session, &file, 1, &error));
    transfer = g_list_model_get_item (transfers, 0);
    g_assert_true (console_test_wait_until (transfer_started, transfer, 30000));
    hangar_console_session_disconnect (f->session);
    g_assert_true (console_test_wait_until (transfer_done, &big_done, 10000));
    g_assert_cmpstr (g_hash_table_lookup (done, "big.img"), ==,
                     "The connection to the guest ended before the file arrived");
    g_assert_true (hangar_file_transfer_get_finished (transfer));
    g_assert_cmpuint (g_list_model_get_n_items (transfers), ==, 0);
  }

  g_unlink (text_path);
  g_unlink (bin_path);
  g_unlink (big_path);
  g_rmdir (dir);
}

typedef struct
{
  HangarSpiceSession *session;
  GError *error;
} RefusedWait;

static gboolean
refused_as_disabled (gpointer data)
{
  RefusedWait *w = data;

  g_clear_error (&w->error);
  return !hangar_spice_session_check_send_files (w->session, &w->error) &&
         g_error_matches (w->error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
}

/* The guest's agent says it takes no files: Hangar says so, and sends
 * nothing. */
static void
test_files_disabled (Fixture       *f,
                     gconstpointer  data)
{
  RefusedWait w = { NULL, NULL };
  g_autoptr(GFile) file = g_file_new_for_path ("/etc/hostname");
  g_autoptr(GError) error = NULL;

  if (!start_guest (f, CONSOLE_GUEST_LINUX_AGENT_NO_FILES))
    return;

  w.session = HANGAR_SPICE_SESSION (f->session);
  connect_session (f);
  wait_first_frame (f);
  wait_serial_until (f, serial_has, "hangar-agent: started on /dev/vport", 90000);
  g_assert_true (console_test_wait_until (refused_as_disabled, &w, 30000));
  g_assert_nonnull (strstr (w.error->message, "turned off in the guest"));
  g_clear_error (&w.error);

  g_assert_false (hangar_spice_session_send_files (w.session, &file, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (g_list_model_get_n_items (hangar_spice_session_get_transfers (w.session)), ==, 0);
  console_test_iterate (1000);
  {
    g_autofree char *log = console_guest_read_serial (f->guest);

    g_assert_null (strstr (log, "hangar-agent: file"));
  }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/hangar/console/vnc/clipboard", Fixture, &vnc,
              fixture_setup, test_vnc_clipboard, fixture_teardown);
  g_test_add ("/hangar/console/spice/agent", Fixture, &spice,
              fixture_setup, test_agent, fixture_teardown);
  g_test_add ("/hangar/console/spice/no-agent", Fixture, &spice,
              fixture_setup, test_no_agent, fixture_teardown);
  g_test_add ("/hangar/console/spice/files", Fixture, &spice,
              fixture_setup, test_files, fixture_teardown);
  g_test_add ("/hangar/console/spice/files-disabled", Fixture, &spice,
              fixture_setup, test_files_disabled, fixture_teardown);

  return g_test_run ();
}
