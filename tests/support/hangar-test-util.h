/* hangar-test-util.h — helpers shared by the tests: waiting on the main
 * loop, virsh, async results, SPICE's teardown criticals.
 *
 * GTK-free: tests/support's hangar_test_support_dep, which every test may
 * link (libhangar's tests included).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-connection.h"

G_BEGIN_DECLS

typedef gboolean (*HangarTestCondition) (gpointer data);

/* Iterates the default main context until @cond holds or @timeout_ms
 * passes; returns whether it held. */
gboolean hangar_test_wait                    (HangarTestCondition  cond,
                                              gpointer             data,
                                              guint                timeout_ms);

/* Runs `virsh -q -c URI ARGS`, ARGS printf-style. Its output goes to
 * @out when given and never to the TAP stream; when it fails, its error
 * becomes a test message. Returns whether it succeeded. */
gboolean hangar_test_virsh                   (const char          *uri,
                                              char               **out,
                                              const char          *format,
                                              ...) G_GNUC_PRINTF (3, 4);

/* The names of every machine on @uri as `virsh list --all` gives them,
 * sorted; and those @connection lists, sorted, to compare with them. */
char   **hangar_test_virsh_domain_names      (const char          *uri);
char   **hangar_test_connection_vm_names     (HangarConnection    *connection);

/* An async call's callback that keeps its result in *(GAsyncResult **)
 * @user_data, and the condition that it has arrived, for hangar_test_wait(). */
void     hangar_test_async_ready             (GObject             *object,
                                              GAsyncResult        *result,
                                              gpointer             user_data);
gboolean hangar_test_result_ready            (gpointer             data);

/* Holds the statistics of every machine @connection lists, now and later
 * (as if every row were on screen): statistics rounds ask only for held
 * machines. */
void     hangar_test_hold_all_stats          (HangarConnection    *connection);

/* Whether a critical is one of spice-client-glib's known teardown
 * criticals (see hangar-test-util.c). */
gboolean hangar_test_is_spice_teardown       (const char          *log_domain,
                                              const char          *message);

/* Call at the start of each test case that opens a SPICE console: GLib
 * resets the fatal handler before every test case. */
void     hangar_test_tolerate_spice_teardown (void);

G_END_DECLS
