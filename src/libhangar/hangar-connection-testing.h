/* hangar-connection-testing.h — what tests may see of a connection's inner state.
 *
 * For tests only: the application never asks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-connection.h"

G_BEGIN_DECLS

/* A statistics read is running in a worker right now. */
gboolean _hangar_connection_test_stats_in_flight (HangarConnection *self);

/* How many machine reads the event refresh worker has run so far. */
guint    _hangar_connection_test_refresh_reads (HangarConnection *self);
/* How many event refreshes are queued and not started. */
guint    _hangar_connection_test_refreshes_waiting (HangarConnection *self);
/* How many machines have events waiting for the first list. */
guint    _hangar_connection_test_early_events  (HangarConnection *self);
/* How many statistics rounds were sent, and the UUIDs the last one asked
 * for (transfer full, sorted). */
guint    _hangar_connection_test_stats_rounds    (HangarConnection *self);
char   **_hangar_connection_test_stats_last_uuids (HangarConnection *self);

G_END_DECLS
