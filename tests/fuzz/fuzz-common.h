/* fuzz-common.h — what every fuzz target sets up first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdlib.h>

/* A critical or a warning is a finding: g_return_if_fail() in a library
 * that hostile input reached, or a warning Hangar itself would log. GLib
 * stops a fatal message with SIGTRAP, which libFuzzer does not catch and
 * then keeps no input: abort() here, so the input is saved. Messages of
 * lower levels are dropped, or every run would print them. */
static void
hangar_fuzz_log_handler (const char     *domain,
                         GLogLevelFlags  level,
                         const char     *message,
                         gpointer        data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_printerr ("%s: %s\n", domain ? domain : "(no domain)", message);
      abort ();
    }
}

static inline void
hangar_fuzz_init_logging (void)
{
  g_log_set_default_handler (hangar_fuzz_log_handler, NULL);
}
