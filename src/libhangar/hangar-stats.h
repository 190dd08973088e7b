/* hangar-stats.h — statistics math: CPU usage from counters, sample history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HANGAR_HISTORY_LENGTH 60

/* A fixed ring of the last HANGAR_HISTORY_LENGTH samples, oldest first when read. */
typedef struct
{
  float values[HANGAR_HISTORY_LENGTH];
  guint head;
  guint length;
} HangarHistory;

double hangar_stats_cpu_percent (guint64      prev_cpu_ns,
                                 guint64      cpu_ns,
                                 gint64       prev_time_us,
                                 gint64       time_us,
                                 guint        vcpus);
void   hangar_history_push      (HangarHistory *history,
                                 float          value);
guint  hangar_history_read      (const HangarHistory *history,
                                 float               *out,
                                 guint                max);
void   hangar_history_clear     (HangarHistory *history);

G_END_DECLS

G_BEGIN_DECLS

double hangar_process_age_ms (void);

G_END_DECLS
