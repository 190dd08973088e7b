/* hangar-ssh-tunnel-masters.c — ending the shared ssh connections the console tunnels leave.
 *
 * A tunnel's ssh may stay behind as the master of its host's connection
 * for HANGAR_SSH_CONTROL_PERSIST seconds after its last console. Logged
 * in, it serves anyone who can reach its socket as this user, so it must
 * not outlive Hangar: every target a tunnel was spawned for is remembered
 * here, and hangar_ssh_tunnel_stop_all_masters() ends them at shutdown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Ssh"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-ssh-tunnel.h"
#include "hangar-ssh-tunnel-private.h"

/* gate → HangarSshTarget: every master this process may have brought up. */
static GHashTable *masters;

void
_hangar_ssh_tunnel_remember_master (const char            *gate,
                                    const HangarSshTarget *target)
{
  if (masters == NULL)
    masters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) hangar_ssh_target_free);
  if (!g_hash_table_contains (masters, gate))
    g_hash_table_insert (masters, g_strdup (gate), hangar_ssh_target_copy (target));
}

static void
on_master_stopped (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  GSubprocess *process = G_SUBPROCESS (object);

  if (!g_subprocess_communicate_utf8_finish (process, result, NULL, &err, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The ssh connection could not be closed: %s"),
                             err != NULL ? g_strstrip (err) : "");
}

/**
 * hangar_ssh_tunnel_stop_master_async:
 * @target: the host whose shared ssh connection should end
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when ssh has answered
 * @user_data: for @callback
 *
 * Ends the host's shared ssh connection now (`ssh -O exit`) instead of
 * %HANGAR_SSH_CONTROL_PERSIST seconds after its last tunnel; open tunnels
 * through it end too. Fails when no master runs.
 */
void
hangar_ssh_tunnel_stop_master_async (const HangarSshTarget *target,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HangarSshTarget) checked = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_auto(GStrv) argv = NULL;

  g_return_if_fail (target != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_ssh_tunnel_stop_master_async);

  /* A plain struct anyone can fill in: check it again before ssh sees it. */
  checked = hangar_ssh_target_new (target->user, target->host, target->port,
                                   target->keyfile, target->no_verify, &error);
  if (checked == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dir = hangar_ssh_tunnel_get_control_dir (&error);
  if (dir == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  argv = hangar_ssh_build_control_argv (checked, dir, "exit");
  process = g_subprocess_newv ((const char * const *) argv,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  if (process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_subprocess_communicate_utf8_async (process, NULL, cancellable, on_master_stopped,
                                       g_steal_pointer (&task));
}

gboolean
hangar_ssh_tunnel_stop_master_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  guint    pending;
  gboolean timed_out;
} StopAll;

static void
on_one_master_stopped (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  StopAll *all = data;

  /* "No master" is fine here: a tunnel that failed to log in left none. */
  hangar_ssh_tunnel_stop_master_finish (result, NULL);
  all->pending--;
  g_rc_box_release (all);
}

static gboolean
on_stop_all_timeout (gpointer data)
{
  StopAll *all = data;

  all->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * hangar_ssh_tunnel_stop_all_masters:
 *
 * Ends every shared ssh connection that this process's tunnels may have
 * brought up (`ssh -O exit`, answered by the local master without the
 * network), and waits up to five seconds for the answers, iterating the
 * thread-default main context. For when the application shuts down.
 */
void
hangar_ssh_tunnel_stop_all_masters (void)
{
  g_autoptr(GHashTable) targets = g_steal_pointer (&masters);
  g_autoptr(GSource) timeout = NULL;
  GMainContext *context = g_main_context_ref_thread_default ();
  GHashTableIter iter;
  gpointer value;
  StopAll *all;

  if (targets == NULL)
    {
      g_main_context_unref (context);
      return;
    }

  /* Counted by reference: an answer after the timeout must find it. */
  all = g_rc_box_new0 (StopAll);
  g_hash_table_iter_init (&iter, targets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      all->pending++;
      hangar_ssh_tunnel_stop_master_async (value, NULL, on_one_master_stopped,
                                           g_rc_box_acquire (all));
    }

  timeout = g_timeout_source_new_seconds (5);
  g_source_set_callback (timeout, on_stop_all_timeout, all, NULL);
  g_source_attach (timeout, context);
  while (all->pending > 0 && !all->timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);

  if (all->pending > 0)
    g_message ("%u ssh connections did not answer when asked to end", all->pending);
  else
    _hangar_ssh_tunnel_forget_fallback_dir ();
  g_rc_box_release (all);
  g_main_context_unref (context);
}
