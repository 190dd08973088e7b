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
 *  - no-agent (SPICE): without an agent, requests go nowhere, quietly.
 */
#include "config.h"

#include <gtk/gtk.h>

#include "console-session-fixture.h"
#include "console-test-util.h"
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

  g_assert_cmpint (hangar_console_session_get_state (f->session), ==,
                   HANGAR_CONSOLE_STATE_CONNECTED);
  g_assert_null (f->error);
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

  return g_test_run ();
}
