/* hangar-test-util.c — helpers shared by the tests: waiting on the main loop,
 * virsh, async results, SPICE's teardown criticals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "hangar-test-util.h"
#include "hangar-vm.h"


/* Iterates the default main context until @cond holds or @timeout_ms
 * passes; returns whether it held. */
gboolean
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

/* Runs `virsh -q -c URI ARGS`, ARGS printf-style. Its output goes to
 * @out when given and never to the TAP stream; when it fails, its error
 * becomes a test message. Returns whether it succeeded. */
gboolean
hangar_test_virsh (const char  *uri,
                   char       **out,
                   const char  *format,
                   ...)
{
  g_autofree char *args = NULL;
  g_autofree char *command = NULL;
  g_autofree char *ignored = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;
  int status = -1;

  va_start (ap, format);
  args = g_strdup_vprintf (format, ap);
  va_end (ap);
  command = g_strdup_printf ("virsh -q -c %s %s", uri, args);
  if (out == NULL)
    out = &ignored;
  if (!g_spawn_command_line_sync (command, out, &err, &status, &error))
    g_error ("%s: %s", command, error->message);
  if (status != 0)
    g_test_message ("%s: %s", command, g_strstrip (err));
  return status == 0;
}

/* qsort hands over pointers to the elements. */
static int
compare_names (const void *a,
               const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

char **
hangar_test_virsh_domain_names (const char *uri)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char **names;

  g_assert_true (hangar_test_virsh (uri, &out, "list --all --name"));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      g_strv_builder_add (builder, lines[i]);
  names = g_strv_builder_end (builder);
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);
  return names;
}

char **
hangar_test_connection_vm_names (HangarConnection *connection)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (connection));
  char **names = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarVm) vm = g_list_model_get_item (G_LIST_MODEL (connection), i);
      names[i] = g_strdup (hangar_vm_get_name (vm));
    }
  qsort (names, n, sizeof (char *), compare_names);
  return names;
}

/* Runs the main loop until an async call has delivered its result. */
void
hangar_test_async_ready (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
hangar_test_result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* spice-client-glib 0.42 logs criticals of its own when a session is
 * disconnected while a channel's coroutine is still running (linking, or
 * writing what was queued): spice_session_channel_destroy() clears the
 * channel's session first, and the coroutine then asks the NULL session
 * whether it is read-only (spice_channel_write_msg) or reads its
 * properties. Known upstream; harmless outside tests, where criticals are
 * not fatal. A test that closes a SPICE console soon after opening it
 * may meet them: these are printed plainly instead of aborting, and
 * everything else stays fatal. */
gboolean
hangar_test_is_spice_teardown (const char *log_domain,
                               const char *message)
{
  if (message == NULL)
    return FALSE;
  if (g_strcmp0 (log_domain, "GSpice") == 0)
    return g_str_has_prefix (message, "spice_session_get_")
           || g_str_has_prefix (message, "spice_channel_");
  return g_strcmp0 (log_domain, "GLib-GObject") == 0
         && g_str_has_prefix (message, "g_object_get: assertion");
}

static gboolean
hangar_test_spice_teardown_not_fatal (const char     *log_domain,
                                      GLogLevelFlags  log_level,
                                      const char     *message,
                                      gpointer        user_data)
{
  return !hangar_test_is_spice_teardown (log_domain, message);
}

/* GLib's own handler prints a fatal message as TAP's "Bail out!", which
 * fails the run even when the message is then let through. */
static void
hangar_test_print_spice_teardown (const char     *log_domain,
                                  GLogLevelFlags  log_level,
                                  const char     *message,
                                  gpointer        user_data)
{
  if (hangar_test_is_spice_teardown (log_domain, message))
    g_printerr ("%s: %s (spice-client-glib teardown, ignored)\n", log_domain, message);
  else
    g_log_default_handler (log_domain, log_level, message, user_data);
}

/* Call at the start of each test case that opens a SPICE console: GLib
 * resets the fatal handler before every test case. */
void
hangar_test_tolerate_spice_teardown (void)
{
  static gsize handlers = 0;

  if (g_once_init_enter (&handlers))
    {
      g_log_set_handler ("GSpice", G_LOG_LEVEL_CRITICAL | G_LOG_FLAG_FATAL,
                         hangar_test_print_spice_teardown, NULL);
      g_log_set_handler ("GLib-GObject", G_LOG_LEVEL_CRITICAL | G_LOG_FLAG_FATAL,
                         hangar_test_print_spice_teardown, NULL);
      g_once_init_leave (&handlers, 1);
    }
  g_test_log_set_fatal_handler (hangar_test_spice_teardown_not_fatal, NULL);
}


static void
hold_added (GListModel *model,
            guint       position,
            guint       removed,
            guint       added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(HangarVm) vm = g_list_model_get_item (model, i);

      hangar_vm_hold_stats (vm);
    }
}

void
hangar_test_hold_all_stats (HangarConnection *connection)
{
  g_signal_connect (connection, "items-changed", G_CALLBACK (hold_added), NULL);
  hold_added (G_LIST_MODEL (connection), 0, 0, g_list_model_get_n_items (G_LIST_MODEL (connection)));
}
