/* hangar-test-util.h — helpers shared by the tests: waiting on the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*HangarTestCondition) (gpointer data);

/* Iterates the default main context until @cond holds or @timeout_ms
 * passes; returns whether it held. */
static inline gboolean
hangar_test_wait (HangarTestCondition cond,
                  gpointer            data,
                  guint               timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

/* Runs the main loop until an async call has delivered its result. */
static inline void
hangar_test_async_ready (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static inline gboolean
hangar_test_result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

G_END_DECLS
