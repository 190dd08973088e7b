/* host-test-util.c — what the host tests share: virsh, clean-up of what
 * earlier runs left behind, a connection that survives a daemon restart
 * in another test, and running the model's async calls to the end.
 *
 * Everything a test creates is named hangar-hosttest-*.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "host-test-util.h"

/* The value of "Key:  value" in virsh's info output. */
char *
host_virsh_field (const char *out,
                  const char *key)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], key) && lines[i][strlen (key)] == ':')
      return g_strstrip (g_strdup (lines[i] + strlen (key) + 1));
  return NULL;
}

char **
host_virsh_names (const char *list_command)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!host_virsh (&out, "%s --all --name", list_command))
    return g_new0 (char *, 1);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      g_strv_builder_add (builder, lines[i]);
  return g_strv_builder_end (builder);
}

/* A run that crashed cannot clean up after itself; the next one does. */
void
host_test_remove_stale (void)
{
  g_auto(GStrv) domains = host_virsh_names ("list");
  g_auto(GStrv) networks = host_virsh_names ("net-list");
  g_auto(GStrv) pools = host_virsh_names ("pool-list");

  for (guint i = 0; domains[i] != NULL; i++)
    if (g_str_has_prefix (domains[i], HOST_TEST_PREFIX))
      {
        host_virsh (NULL, "destroy %s", domains[i]);
        host_virsh (NULL, "undefine %s", domains[i]);
      }
  for (guint i = 0; networks[i] != NULL; i++)
    if (g_str_has_prefix (networks[i], HOST_TEST_PREFIX))
      {
        host_virsh (NULL, "net-destroy %s", networks[i]);
        host_virsh (NULL, "net-undefine %s", networks[i]);
      }
  for (guint i = 0; pools[i] != NULL; i++)
    if (g_str_has_prefix (pools[i], HOST_TEST_PREFIX))
      {
        g_autofree char *out = NULL;
        g_auto(GStrv) vols = NULL;

        /* Volumes first, so the temporary folder can go too. */
        host_virsh (NULL, "pool-start %s", pools[i]);
        if (host_virsh (&out, "vol-list %s", pools[i]))
          {
            vols = g_strsplit (out, "\n", -1);
            for (guint j = 0; vols[j] != NULL; j++)
              {
                g_auto(GStrv) fields = g_strsplit_set (g_strstrip (vols[j]), " ", 2);

                if (fields[0] != NULL && fields[0][0] != '\0')
                  host_virsh (NULL, "vol-delete --pool %s %s", pools[i], fields[0]);
              }
          }
        host_virsh (NULL, "pool-destroy %s", pools[i]);
        host_virsh (NULL, "pool-undefine %s", pools[i]);
      }
}

gboolean
host_test_connection_settled (gpointer data)
{
  HangarConnectionState state = hangar_connection_get_state (data);

  return state == HANGAR_CONNECTION_STATE_CONNECTED || state == HANGAR_CONNECTION_STATE_FAILED;
}

/* Another test may be restarting libvirtd right now: try a few times. */
HangarConnection *
host_test_connect (void)
{
  HangarConnection *connection = hangar_connection_new (HOST_TEST_URI);

  for (guint attempt = 0; attempt < 8; attempt++)
    {
      hangar_connection_open (connection);
      g_assert_true (hangar_test_wait (host_test_connection_settled, connection, 30000));
      if (hangar_connection_get_state (connection) == HANGAR_CONNECTION_STATE_CONNECTED)
        return connection;
      g_test_message ("connecting, attempt %u: %s", attempt + 1,
                      hangar_connection_get_error_message (connection));
      hangar_connection_close (connection);
      g_usleep (2 * G_USEC_PER_SEC);
    }
  g_error ("could not connect to %s: %s", HOST_TEST_URI,
           hangar_connection_get_error_message (connection));
  return NULL;
}

/* Waits for an async call's result; the caller finishes and unrefs it. */
GAsyncResult *
host_test_wait_result (GAsyncResult **slot)
{
  if (!hangar_test_wait (hangar_test_result_ready, slot, 60000))
    g_error ("an asynchronous call did not finish within a minute");
  return *slot;
}

/* The model's lists, run to the end; the caller unrefs them. */
GPtrArray *
host_test_list_networks (HangarConnection *connection)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  hangar_host_list_networks_async (connection, NULL, hangar_test_async_ready, &result);
  rows = hangar_host_list_finish (host_test_wait_result (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
  return rows;
}

GPtrArray *
host_test_list_pools (HangarConnection *connection)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  hangar_host_list_pools_async (connection, NULL, hangar_test_async_ready, &result);
  rows = hangar_host_list_finish (host_test_wait_result (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
  return rows;
}

GPtrArray *
host_test_list_volumes (HangarConnection *connection,
                        const char       *pool)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  hangar_host_list_volumes_async (connection, pool, NULL, hangar_test_async_ready, &result);
  rows = hangar_host_list_finish (host_test_wait_result (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
  return rows;
}

HangarHostNetwork *
host_test_find_network (GPtrArray  *rows,
                        const char *name)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (HANGAR_HOST_NETWORK (g_ptr_array_index (rows, i))->name, name))
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* A free 192.168.2xx.0/24 for a test network, by the host's own networks. */
char *
host_test_free_range (GPtrArray *networks)
{
  for (guint third = 200; third < 255; third++)
    {
      g_autofree char *range = g_strdup_printf ("192.168.%u.0/24", third);
      guint32 address;
      guint prefix;
      gboolean taken = FALSE;

      g_assert_true (hangar_ipv4_parse_cidr (range, &address, &prefix, NULL));
      for (guint i = 0; i < networks->len && !taken; i++)
        {
          HangarHostNetwork *row = g_ptr_array_index (networks, i);
          guint32 other;
          guint other_prefix;

          if (row->ipv4 != NULL && hangar_ipv4_parse_cidr (row->ipv4, &other, &other_prefix, NULL))
            taken = hangar_ipv4_overlaps (address, prefix, other, other_prefix);
        }
      if (!taken)
        return g_steal_pointer (&range);
    }
  g_error ("no free 192.168.2xx.0/24 for a test network");
  return NULL;
}

/* A failed assertion aborts the test: what it created goes anyway. */
static void (*host_test_cleanup_func) (void);

static void
host_test_on_crash (int signum)
{
  if (host_test_cleanup_func != NULL)
    host_test_cleanup_func ();
  raise (signum);
}

void
host_test_cleanup_on_crash (void (*func) (void))
{
  struct sigaction action = { 0 };

  host_test_cleanup_func = func;
  action.sa_handler = host_test_on_crash;
  action.sa_flags = SA_RESETHAND;
  sigaction (SIGABRT, &action, NULL);
  sigaction (SIGSEGV, &action, NULL);
  sigaction (SIGTRAP, &action, NULL);
}
