/* latency-proxy.h — a TCP proxy that holds data back, for the latency test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DAEMON_PORT   16509
#define DELAY_US      (150 * G_TIME_SPAN_MILLISECOND)

typedef struct _Proxy Proxy;

struct _Proxy
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GSocket      *listener;
  guint16       port;
  GPtrArray    *directions;
  guint64       bytes;    /* forwarded, both ways */
  guint         accepted;
  GSocketAddress *target;  /* where it forwards to */
};

Proxy    *proxy_start (void);
Proxy    *proxy_start_to (GSocketAddress *target);
void      proxy_stop  (Proxy    *proxy);
gboolean  proxy_quit  (gpointer  data);

G_END_DECLS
