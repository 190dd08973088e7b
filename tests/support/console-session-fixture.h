/* console-session-fixture.h — a session, a display and a guest, for the
 * console tests against real guests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test case gets a Fixture: a HangarConsoleSession (VNC or SPICE,
 * from the Protocol passed as test data) shown in a HangarDisplay in a
 * window, and, once start_guest() is called, a throw-away guest on the
 * system libvirtd whose serial log the wait_serial*() helpers read.
 */
#pragma once

#include <gtk/gtk.h>

#include "console-guest.h"
#include "hangar-console-session.h"
#include "hangar-display-private.h"

G_BEGIN_DECLS

typedef struct
{
  const Protocol *protocol;
  ConsoleGuest *guest;
  GtkWidget *window;
  HangarDisplay *display;
  HangarConsoleSession *session;

  guint n_connected;
  guint n_disconnected;
  guint n_resized;
  guint n_resized_at_connect;
  char *disconnect_reason;
  GError *error;
  /* The last text the guest put on its clipboard, from "cut-text". */
  char *cut_text;
} Fixture;


void     fixture_setup      (Fixture          *f,
                             gconstpointer     data);
void     fixture_teardown   (Fixture          *f,
                             gconstpointer     data);
gboolean start_guest        (Fixture          *f,
                             ConsoleGuestKind  kind);
void     connect_session    (Fixture          *f);
gboolean is_connected       (gpointer          data);
gboolean is_disconnected    (gpointer          data);
gboolean has_content        (gpointer          data);
void     wait_first_frame   (Fixture          *f);

/* What the serial log conditions get: the guest and what to look for. */
typedef struct
{
  ConsoleGuest *guest;
  const char *needle;
} SerialWait;

/* Serial log conditions for wait_serial_until(): the needle anywhere, or
 * as a whole line. */
gboolean serial_has         (gpointer          data);
gboolean serial_has_line    (gpointer          data);
void     wait_serial_until  (Fixture          *f,
                             gboolean        (*has) (gpointer data),
                             const char       *needle,
                             guint             timeout_ms);
void     wait_serial        (Fixture          *f,
                             const char       *needle);
void     wait_serial_line   (Fixture          *f,
                             const char       *line);
void     type_text          (Fixture          *f,
                             const char       *text);
gboolean has_cut_text       (gpointer          data);

G_END_DECLS
