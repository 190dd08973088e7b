/* latency-proxy.c — a TCP proxy that holds data back, for the latency test.
 *
 * Listens on a free port on 127.0.0.1 and forwards to libvirtd's TCP port
 * (or another address, such as its UNIX socket),
 * holding every chunk DELAY_US in each direction, in a thread with its own
 * GMainContext so the delays never touch the main loop being measured.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "latency-proxy.h"

/* --- the delaying proxy ------------------------------------------------------ */

typedef struct
{
  gint64  due;     /* monotonic time when it may be sent on */
  GBytes *bytes;   /* NULL: the sender closed; shut the other side down */
} Chunk;

typedef struct
{
  Proxy   *proxy;
  GSocket *from;
  GSocket *to;
  GQueue   chunks;
  GSource *reader;
  GSource *timer;
  gboolean done;
} Direction;


static void
chunk_free (Chunk *chunk)
{
  g_clear_pointer (&chunk->bytes, g_bytes_unref);
  g_free (chunk);
}

static void direction_schedule (Direction *dir);

static void
direction_stop (Direction *dir)
{
  if (dir->reader != NULL)
    {
      g_source_destroy (dir->reader);
      g_clear_pointer (&dir->reader, g_source_unref);
    }
  if (dir->timer != NULL)
    {
      g_source_destroy (dir->timer);
      g_clear_pointer (&dir->timer, g_source_unref);
    }
  g_queue_clear_full (&dir->chunks, (GDestroyNotify) chunk_free);
  dir->done = TRUE;
}

static void
direction_free (Direction *dir)
{
  direction_stop (dir);
  g_clear_object (&dir->from);
  g_clear_object (&dir->to);
  g_free (dir);
}

/* Sends on what is due; the writes block, which on loopback is brief. */
static gboolean
direction_flush (gpointer user_data)
{
  Direction *dir = user_data;
  gint64 now = g_get_monotonic_time ();
  Chunk *chunk;

  g_clear_pointer (&dir->timer, g_source_unref);

  while ((chunk = g_queue_peek_head (&dir->chunks)) != NULL && chunk->due <= now)
    {
      g_queue_pop_head (&dir->chunks);
      if (chunk->bytes == NULL)
        {
          g_socket_shutdown (dir->to, FALSE, TRUE, NULL);
          chunk_free (chunk);
          continue;
        }
      {
        gsize size;
        const char *data = g_bytes_get_data (chunk->bytes, &size);
        gsize sent = 0;

        while (sent < size)
          {
            gssize n = g_socket_send (dir->to, data + sent, size - sent, NULL, NULL);

            if (n <= 0)
              {
                chunk_free (chunk);
                direction_stop (dir);
                return G_SOURCE_REMOVE;
              }
            sent += n;
          }
        dir->proxy->bytes += size;
      }
      chunk_free (chunk);
    }
  direction_schedule (dir);
  return G_SOURCE_REMOVE;
}

static void
direction_schedule (Direction *dir)
{
  Chunk *chunk = g_queue_peek_head (&dir->chunks);
  gint64 wait_us;

  if (chunk == NULL || dir->timer != NULL)
    return;
  wait_us = MAX (chunk->due - g_get_monotonic_time (), 0);
  dir->timer = g_timeout_source_new ((guint) ((wait_us + 999) / 1000));
  g_source_set_callback (dir->timer, direction_flush, dir, NULL);
  g_source_attach (dir->timer, dir->proxy->context);
}

static gboolean
direction_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  Direction *dir = user_data;
  char buffer[65536];
  gssize n;
  Chunk *chunk;

  n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);
  chunk = g_new0 (Chunk, 1);
  chunk->due = g_get_monotonic_time () + DELAY_US;
  if (n > 0)
    chunk->bytes = g_bytes_new (buffer, n);
  g_queue_push_tail (&dir->chunks, chunk);
  direction_schedule (dir);

  if (n <= 0)
    {
      /* End of stream (or an error): forward the close, then stop reading. */
      g_clear_pointer (&dir->reader, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
proxy_add_direction (Proxy   *proxy,
                     GSocket *from,
                     GSocket *to)
{
  Direction *dir = g_new0 (Direction, 1);

  dir->proxy = proxy;
  dir->from = g_object_ref (from);
  dir->to = g_object_ref (to);
  g_queue_init (&dir->chunks);
  dir->reader = g_socket_create_source (from, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (dir->reader, (GSourceFunc) direction_readable, dir, NULL);
  g_source_attach (dir->reader, proxy->context);
  g_ptr_array_add (proxy->directions, dir);
}

static gboolean
proxy_accept (GSocket      *listener,
              GIOCondition  condition,
              gpointer      user_data)
{
  Proxy *proxy = user_data;
  g_autoptr(GSocket) client = g_socket_accept (listener, NULL, NULL);
  g_autoptr(GSocket) daemon = NULL;
  GSocketFamily family = g_socket_address_get_family (proxy->target);

  if (client == NULL)
    return G_SOURCE_CONTINUE;
  daemon = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL);
  if (daemon == NULL || !g_socket_connect (daemon, proxy->target, NULL, NULL))
    return G_SOURCE_CONTINUE;   /* dropping the client tells it */

  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  if (family != G_SOCKET_FAMILY_UNIX)
    g_socket_set_option (daemon, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  proxy->accepted++;
  proxy_add_direction (proxy, client, daemon);
  proxy_add_direction (proxy, daemon, client);
  return G_SOURCE_CONTINUE;
}

static gpointer
proxy_thread (gpointer data)
{
  Proxy *proxy = data;
  g_autoptr(GSource) source = NULL;

  g_main_context_push_thread_default (proxy->context);
  source = g_socket_create_source (proxy->listener, G_IO_IN, NULL);
  g_source_set_callback (source, (GSourceFunc) proxy_accept, proxy, NULL);
  g_source_attach (source, proxy->context);

  g_main_loop_run (proxy->loop);

  g_source_destroy (source);
  g_ptr_array_set_size (proxy->directions, 0);
  g_main_context_pop_thread_default (proxy->context);
  return NULL;
}

Proxy *
proxy_start (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) daemon = g_inet_socket_address_new (loopback, DAEMON_PORT);

  return proxy_start_to (daemon);
}

Proxy *
proxy_start_to (GSocketAddress *target)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  proxy->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (proxy->listener, any_port, TRUE, &error));
  g_assert_true (g_socket_listen (proxy->listener, &error));
  bound = g_socket_get_local_address (proxy->listener, &error);
  g_assert_no_error (error);
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  proxy->target = g_object_ref (target);

  proxy->context = g_main_context_new ();
  proxy->loop = g_main_loop_new (proxy->context, FALSE);
  proxy->directions = g_ptr_array_new_with_free_func ((GDestroyNotify) direction_free);
  proxy->thread = g_thread_new ("delay-proxy", proxy_thread, proxy);
  return proxy;
}

gboolean
proxy_quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
proxy_stop (Proxy *proxy)
{
  if (proxy == NULL)
    return;
  g_main_context_invoke (proxy->context, proxy_quit, proxy->loop);
  g_thread_join (proxy->thread);
  g_ptr_array_unref (proxy->directions);
  g_main_loop_unref (proxy->loop);
  g_main_context_unref (proxy->context);
  g_socket_close (proxy->listener, NULL);
  g_object_unref (proxy->listener);
  g_object_unref (proxy->target);
  g_free (proxy);
}
