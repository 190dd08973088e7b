/* latency-meter.h — how long the main loop goes without running, and why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MAX_STALL_MS  50.0
/* One refresh at 60 Hz: the most work Hangar may do between two frames. */
#define FRAME_MS      16.7

typedef struct
{
  guint  source;
  gint64 last;
  gint64 worst_us;
  guint  ticks;
  /* Results, in ms. */
  double gap;        /* the longest time between two 5 ms ticks */
  double dispatch;   /* the longest time the main thread spent outside poll() */
  double control;    /* the longest gap of an idle thread's own 5 ms ticks */
  /* The longest dispatch less GTK's layout and paint of a frame (what
   * meter_gtk_begin/_end enclose): Hangar's own work, in wall time and in
   * the main thread's CPU time (which a busy machine does not stretch). */
  double own;
  double own_cpu;
  double own_cpu_at;   /* when the dispatch of the most CPU began (monotonic ms) */
  /* Dispatches that mapped a new window (meter_window_mapped()) are kept
   * apart: GTK sizes a new toplevel as it maps it, outside any frame. */
  double map_cpu;
  guint  first_sample;
  guint  samples;          /* of the main thread during long dispatches */
  guint  libvirt_samples;  /* … of which were inside libvirt */
} Meter;

void meter_start (Meter *meter);
void meter_stop (Meter *meter, const char *phase);
gboolean machine_quiet (Meter *meter);
void meter_check (Meter *meter);
gint64 meter_busy_us (void);
void meter_gtk_begin (void);
void meter_gtk_end (void);
void meter_window_mapped (void);
void control_start (void);
void control_stop (void);
void G_GNUC_PRINTF (1, 2) report (const char *format,
                                  ...);

G_END_DECLS
