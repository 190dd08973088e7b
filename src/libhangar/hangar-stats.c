/* hangar-stats.c — statistics math: CPU usage from counters, sample history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <time.h>
#include <unistd.h>

#include "hangar-stats.h"

/**
 * hangar_stats_cpu_percent:
 *
 * CPU usage of a guest between two samples, as a share of all its vCPUs
 * (100 % means every vCPU busy the whole interval). Returns a negative value
 * when the samples cannot be compared: the first sample, a clock that did
 * not move, or a counter that went back (the guest restarted).
 */
double
hangar_stats_cpu_percent (guint64 prev_cpu_ns,
                          guint64 cpu_ns,
                          gint64  prev_time_us,
                          gint64  time_us,
                          guint   vcpus)
{
  double elapsed_ns;
  double percent;

  if (prev_time_us <= 0 || time_us <= prev_time_us || cpu_ns < prev_cpu_ns)
    return -1.0;

  elapsed_ns = (double) (time_us - prev_time_us) * 1000.0;
  percent = (double) (cpu_ns - prev_cpu_ns) * 100.0 / (elapsed_ns * MAX (vcpus, 1));
  return CLAMP (percent, 0.0, 100.0);
}

void
hangar_history_push (HangarHistory *history,
                     float          value)
{
  g_return_if_fail (history != NULL);

  history->values[history->head] = value;
  history->head = (history->head + 1) % HANGAR_HISTORY_LENGTH;
  if (history->length < HANGAR_HISTORY_LENGTH)
    history->length++;
}

/**
 * hangar_history_read:
 * @out: (out caller-allocates): room for @max values
 *
 * Copies up to @max of the newest samples into @out, oldest first.
 *
 * Returns: the number of values written
 */
guint
hangar_history_read (const HangarHistory *history,
                     float               *out,
                     guint                max)
{
  guint n;
  guint start;

  g_return_val_if_fail (history != NULL, 0);

  n = MIN (history->length, max);
  start = (history->head + HANGAR_HISTORY_LENGTH - n) % HANGAR_HISTORY_LENGTH;
  for (guint i = 0; i < n; i++)
    out[i] = history->values[(start + i) % HANGAR_HISTORY_LENGTH];
  return n;
}

void
hangar_history_clear (HangarHistory *history)
{
  g_return_if_fail (history != NULL);

  history->head = 0;
  history->length = 0;
}

/**
 * hangar_process_age_ms:
 *
 * Milliseconds since this process was started by exec, from the kernel's
 * start time (in clock ticks since boot), so start-up figures include the
 * dynamic linker and library constructors, not just main().
 *
 * Returns: the age, or -1 when /proc is not readable
 */
double
hangar_process_age_ms (void)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_comm;
  struct timespec now;
  long ticks_per_s;
  double start_s;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
    return -1.0;
  /* The command name may contain spaces: fields start after its ')'. */
  after_comm = strrchr (stat, ')');
  if (after_comm == NULL)
    return -1.0;
  fields = g_strsplit (after_comm + 2, " ", 0);
  /* starttime is field 22 overall, the 20th after the name. */
  if (g_strv_length (fields) < 20)
    return -1.0;
  ticks_per_s = sysconf (_SC_CLK_TCK);
  start_s = g_ascii_strtod (fields[19], NULL) / (double) ticks_per_s;
  clock_gettime (CLOCK_BOOTTIME, &now);
  return ((double) now.tv_sec + now.tv_nsec / 1e9 - start_s) * 1000.0;
}
