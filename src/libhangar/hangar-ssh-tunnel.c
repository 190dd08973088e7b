/* hangar-ssh-tunnel.c — a console's byte stream through ssh -W, one ssh connection per host.
 *
 * A tunnel is `ssh … -W LISTEN:PORT -- HOST` whose stdin and stdout are
 * one end of a socketpair; the caller gets the other end and hands it to
 * gvnc or spice-glib as if it were a TCP socket. All tunnels to a host
 * share one ssh connection: the first one logs in and leaves a master
 * behind (ControlMaster=auto, ControlPersist), the others ride on it.
 *
 * Two tunnels opened at once to a host with no master yet would each log
 * in (the loser of the race for the control socket keeps a connection of
 * its own), so opening is gated per host: while one tunnel finds out
 * whether a master runs (`ssh -O check`) or brings one up, the others
 * wait, then ride on the master it made.
 *
 * When is a tunnel up? A VNC server speaks first, so the first byte from
 * it would do; a SPICE server waits for the client, so it would not. Both
 * are covered by one line of ssh's own. With LogLevel=DEBUG2 the mux
 * client prints "master session id" when the master's reply to the stdio
 * forwarding request arrives, and OpenSSH sends that reply only once the
 * far host has confirmed the channel, that is, connected to LISTEN:PORT;
 * an ssh that runs without a master (another Hangar won the race for the
 * control socket: "disabling multiplexing") prints "open confirm" for the
 * channel instead. So a refused port is a failure with ssh's message
 * ("Stdio forwarding request failed: Session open refused by peer"), not a
 * socket that closes a moment after success. The first byte from the far
 * side (peeked, not read) also counts, in case an ssh words these lines
 * differently.
 *
 * Until then ssh's stderr is collected without its debug lines; if ssh
 * exits, the open fails with that text. After success ssh lives as long
 * as the stream: when the caller closes its end, ssh sees end of file and
 * exits, and g_subprocess_wait_async() reaps it.
 *
 * Call from one thread (the main thread): the per-host gates are not
 * locked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Ssh"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "hangar-ssh-tunnel.h"
#include "hangar-ssh-tunnel-private.h"

/* After ssh exits, how long to wait for the rest of its stderr. */
#define STDERR_GRACE_MS 1000

typedef struct _Gate Gate;

typedef struct
{
  GTask            *task;          /* while opening; NULL once answered */
  HangarSshTarget  *target;
  char             *key;           /* user@host:port, for messages */
  char             *gate;          /* the master's gate: key and control tag */
  char             *control_dir;
  char             *listen_host;
  int               port;

  GSubprocess      *process;
  GDataInputStream *stderr_lines;
  GString          *messages;      /* what ssh said, less its debug lines */
  int               fd;            /* our end of the socketpair until handed over */

  GSource          *fd_source;
  GSource          *timeout_source;
  GSource          *cancel_source;
  GSource          *grace_source;

  guint             exited : 1;
  guint             stderr_done : 1;
  guint             holds_gate : 1;
  guint             queued : 1;
} Tunnel;

struct _Gate
{
  gboolean busy;     /* a tunnel is checking for, or bringing up, the master */
  GQueue   waiting;  /* Tunnel*, each holding a reference */
};

static GHashTable *gates;

static void spawn_tunnel (Tunnel *tunnel);
static void run_check    (Tunnel *tunnel);

static void
tunnel_clear (Tunnel *tunnel)
{
  g_assert (tunnel->task == NULL);
  g_assert (tunnel->fd_source == NULL && tunnel->timeout_source == NULL);
  g_clear_pointer (&tunnel->target, hangar_ssh_target_free);
  g_clear_pointer (&tunnel->key, g_free);
  g_clear_pointer (&tunnel->gate, g_free);
  g_clear_pointer (&tunnel->control_dir, g_free);
  g_clear_pointer (&tunnel->listen_host, g_free);
  g_clear_object (&tunnel->process);
  g_clear_object (&tunnel->stderr_lines);
  if (tunnel->messages != NULL)
    g_string_free (tunnel->messages, TRUE);
  if (tunnel->fd >= 0)
    close (tunnel->fd);
}

static Tunnel *
tunnel_ref (Tunnel *tunnel)
{
  return g_rc_box_acquire (tunnel);
}

static void
tunnel_unref (Tunnel *tunnel)
{
  g_rc_box_release_full (tunnel, (GDestroyNotify) tunnel_clear);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* The fd travels in the task boxed, so an answer nobody collects is closed. */
static void
fd_box_free (gpointer data)
{
  int *box = data;

  if (*box >= 0)
    close (*box);
  g_free (box);
}

/* ---- per-host gates ---------------------------------------------------- */

static Gate *
gate_for (const char *key)
{
  Gate *gate;

  if (gates == NULL)
    gates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gate = g_hash_table_lookup (gates, key);
  if (gate == NULL)
    {
      gate = g_new0 (Gate, 1);
      g_queue_init (&gate->waiting);
      g_hash_table_insert (gates, g_strdup (key), gate);
    }
  return gate;
}

static void
gate_forget_if_idle (const char *key)
{
  Gate *gate = g_hash_table_lookup (gates, key);

  if (gate != NULL && !gate->busy && g_queue_is_empty (&gate->waiting))
    g_hash_table_remove (gates, key);
}

static void
gate_enter (Tunnel *tunnel)
{
  Gate *gate = gate_for (tunnel->gate);

  if (gate->busy)
    {
      tunnel->queued = TRUE;
      g_queue_push_tail (&gate->waiting, tunnel_ref (tunnel));
      return;
    }
  gate->busy = TRUE;
  tunnel->holds_gate = TRUE;
  run_check (tunnel);
}

/* @master_up: the master is known to run, so every waiting tunnel may go
 * at once; otherwise the next one in line gets to try. */
static void
gate_leave (Tunnel   *tunnel,
            gboolean  master_up)
{
  g_autofree char *key = g_strdup (tunnel->gate);
  Gate *gate;

  if (!tunnel->holds_gate)
    return;
  tunnel->holds_gate = FALSE;
  gate = g_hash_table_lookup (gates, key);
  g_assert (gate != NULL && gate->busy);
  gate->busy = FALSE;

  while (!g_queue_is_empty (&gate->waiting))
    {
      Tunnel *next = g_queue_pop_head (&gate->waiting);

      next->queued = FALSE;
      if (next->task == NULL)
        {
          tunnel_unref (next);
          continue;
        }
      if (master_up)
        spawn_tunnel (next);
      else
        {
          gate->busy = TRUE;
          next->holds_gate = TRUE;
          run_check (next);
          tunnel_unref (next);
          break;
        }
      tunnel_unref (next);
    }
  gate_forget_if_idle (key);
}

/* ---- answering --------------------------------------------------------- */

static void
stop_watching (Tunnel *tunnel)
{
  destroy_source (&tunnel->fd_source);
  destroy_source (&tunnel->timeout_source);
  destroy_source (&tunnel->cancel_source);
  destroy_source (&tunnel->grace_source);
}

static void
complete_ok (Tunnel *tunnel)
{
  g_autoptr(GTask) task = g_steal_pointer (&tunnel->task);
  int *box;

  g_assert (task != NULL);
  stop_watching (tunnel);
  gate_leave (tunnel, TRUE);

  g_debug ("ssh tunnel to %s → %s:%d is up", tunnel->key,
           tunnel->listen_host ? tunnel->listen_host : "", tunnel->port);
  /* What ssh said on the way up is only warnings (such as a host key that
   * no_verify let through unchecked): not an error, but not to be lost. */
  if (tunnel->messages->len > 0)
    g_message ("ssh to %s: %s", tunnel->key, tunnel->messages->str);
  box = g_new (int, 1);
  *box = tunnel->fd;
  tunnel->fd = -1;
  g_task_return_pointer (task, box, fd_box_free);
}

/* Takes @error. */
static void
complete_error (Tunnel *tunnel,
                GError *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&tunnel->task);

  g_assert (task != NULL);
  stop_watching (tunnel);

  if (tunnel->queued)
    {
      Gate *gate = g_hash_table_lookup (gates, tunnel->gate);

      if (gate != NULL && g_queue_remove (&gate->waiting, tunnel))
        {
          tunnel->queued = FALSE;
          gate_forget_if_idle (tunnel->gate);
          tunnel_unref (tunnel);
        }
    }
  gate_leave (tunnel, FALSE);

  if (tunnel->process != NULL && !tunnel->exited)
    g_subprocess_force_exit (tunnel->process);
  if (tunnel->fd >= 0)
    {
      close (tunnel->fd);
      tunnel->fd = -1;
    }
  g_task_return_error (task, error);
}

/* ssh's own words, or a plain statement when it said nothing. */
static char *
ssh_said (Tunnel *tunnel)
{
  if (tunnel->messages->len > 0)
    return g_strdup (tunnel->messages->str);
  if (tunnel->exited && tunnel->process != NULL && g_subprocess_get_if_exited (tunnel->process))
    return g_strdup_printf (_("ssh ended with status %d and gave no reason."),
                            g_subprocess_get_exit_status (tunnel->process));
  return g_strdup (_("ssh gave no reason."));
}

static void
fail_with_ssh_message (Tunnel *tunnel)
{
  g_autofree char *said = ssh_said (tunnel);

  complete_error (tunnel, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                       _("The console could not be reached through ssh (%s): %s"),
                                       tunnel->key, said));
}

static void
maybe_fail_on_exit (Tunnel *tunnel)
{
  if (tunnel->task != NULL && tunnel->exited && tunnel->stderr_done)
    fail_with_ssh_message (tunnel);
}

/* ---- watching ssh ------------------------------------------------------ */

static gboolean
on_timeout (gpointer data)
{
  Tunnel *tunnel = data;
  g_autofree char *said = NULL;

  g_clear_pointer (&tunnel->timeout_source, g_source_unref);
  said = tunnel->messages->len > 0 ? g_strdup_printf ("\n%s", tunnel->messages->str) : g_strdup ("");
  complete_error (tunnel, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                       _("No answer through ssh from %s within %d seconds.%s"),
                                       tunnel->key, HANGAR_SSH_TUNNEL_TIMEOUT_SECONDS, said));
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      data)
{
  Tunnel *tunnel = data;
  GError *error = NULL;

  g_clear_pointer (&tunnel->cancel_source, g_source_unref);
  g_cancellable_set_error_if_cancelled (cancellable, &error);
  complete_error (tunnel, error);
  return G_SOURCE_REMOVE;
}

static gboolean
on_grace_over (gpointer data)
{
  Tunnel *tunnel = data;

  g_clear_pointer (&tunnel->grace_source, g_source_unref);
  if (tunnel->task != NULL)
    fail_with_ssh_message (tunnel);
  return G_SOURCE_REMOVE;
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  Tunnel *tunnel = data;

  /* Also reaps ssh, so no zombie is left whatever happened before. */
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  tunnel->exited = TRUE;
  g_debug ("ssh tunnel to %s: ssh exited", tunnel->key);

  if (tunnel->task != NULL)
    {
      if (tunnel->stderr_done)
        maybe_fail_on_exit (tunnel);
      else
        {
          /* Anything still holding stderr open must not hold the answer. */
          tunnel->grace_source = g_timeout_source_new (STDERR_GRACE_MS);
          g_source_set_callback (tunnel->grace_source, on_grace_over, tunnel, NULL);
          g_source_attach (tunnel->grace_source, g_task_get_context (tunnel->task));
        }
    }
  tunnel_unref (tunnel);
}

static gboolean
is_noise (const char *line)
{
  /* Debug output is there for one line only, and the note that the login
   * worked (printed at this log level) is not what went wrong. ssh's
   * warnings about host keys stay: with no_verify they are the only sign
   * that a key was taken unchecked, or has changed. */
  return g_str_has_prefix (line, "debug")
         || g_str_has_prefix (line, "Authenticated to ");
}

static void
on_stderr_line (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  Tunnel *tunnel = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                    &length, &error);
  if (line == NULL)
    {
      if (error != NULL)
        g_debug ("ssh tunnel to %s: reading stderr: %s", tunnel->key, error->message);
      tunnel->stderr_done = TRUE;
      maybe_fail_on_exit (tunnel);
      tunnel_unref (tunnel);
      return;
    }

  g_strchomp (line);
  if (g_str_has_prefix (line, "debug")
      && (strstr (line, "master session id") != NULL || strstr (line, ": open confirm ") != NULL))
    {
      if (tunnel->task != NULL)
        complete_ok (tunnel);
    }
  else if (!is_noise (line) && *line != '\0')
    {
      if (tunnel->task != NULL)
        {
          if (tunnel->messages->len > 0)
            g_string_append_c (tunnel->messages, '\n');
          g_string_append (tunnel->messages, line);
        }
      else
        g_debug ("ssh tunnel to %s: %s", tunnel->key, line);
    }

  /* Keep reading after success too: a full pipe would stall ssh. */
  g_data_input_stream_read_line_async (tunnel->stderr_lines, G_PRIORITY_DEFAULT, NULL,
                                       on_stderr_line, tunnel);
}

static gboolean
on_fd_ready (int          fd,
             GIOCondition condition,
             gpointer     data)
{
  Tunnel *tunnel = data;
  char byte;
  ssize_t n;

  /* Peek: the byte belongs to the console protocol, not to us. */
  n = recv (fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0)
    {
      complete_ok (tunnel);
      return G_SOURCE_REMOVE;
    }
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return G_SOURCE_CONTINUE;

  /* End of stream before a word from the server: ssh is ending, and its
   * exit will say why. */
  g_clear_pointer (&tunnel->fd_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* ---- the steps --------------------------------------------------------- */

static void
spawn_tunnel (Tunnel *tunnel)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  int pair[2];

  g_assert (tunnel->task != NULL);
  g_assert (tunnel->process == NULL);

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    {
      int saved = errno;

      complete_error (tunnel, g_error_new (G_IO_ERROR, g_io_error_from_errno (saved),
                                           _("Could not make a socket for the ssh tunnel: %s"),
                                           g_strerror (saved)));
      return;
    }
  tunnel->fd = pair[0];

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Never ask on a terminal: with BatchMode a missing key fails at once
   * with ssh's message. Console tunnels log in with keys only: Hangar's
   * askpass dialog answers libvirt's ssh, and the process environment
   * says SSH_ASKPASS_REQUIRE=force for it, which is undone here. A host
   * that takes only passwords has libvirt connected but no console. */
  g_subprocess_launcher_setenv (launcher, "SSH_ASKPASS_REQUIRE", "never", TRUE);
  g_subprocess_launcher_take_stdin_fd (launcher, fcntl (pair[1], F_DUPFD_CLOEXEC, 3));
  g_subprocess_launcher_take_stdout_fd (launcher, pair[1]);

  argv = hangar_ssh_build_tunnel_argv (tunnel->target, tunnel->control_dir,
                                       tunnel->listen_host, tunnel->port);
  /* With ControlMaster=auto any tunnel may become the master. */
  _hangar_ssh_tunnel_remember_master (tunnel->gate, tunnel->target);
  tunnel->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  /* The launcher holds ssh's end: drop it now, or the stream would never
   * see end of file when ssh exits. */
  g_clear_object (&launcher);
  if (tunnel->process == NULL)
    {
      complete_error (tunnel, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                           _("Could not start ssh: %s"), error->message));
      return;
    }

  g_subprocess_wait_async (tunnel->process, NULL, on_exited, tunnel_ref (tunnel));

  tunnel->stderr_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (tunnel->process));
  g_data_input_stream_read_line_async (tunnel->stderr_lines, G_PRIORITY_DEFAULT, NULL,
                                       on_stderr_line, tunnel_ref (tunnel));

  tunnel->fd_source = g_unix_fd_source_new (tunnel->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (tunnel->fd_source, (GSourceFunc) on_fd_ready, tunnel, NULL);
  g_source_attach (tunnel->fd_source, g_task_get_context (tunnel->task));
}

static void
on_checked (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  Tunnel *tunnel = data;
  gboolean master_up;

  master_up = g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, NULL);
  if (tunnel->task == NULL)
    gate_leave (tunnel, master_up);
  else if (master_up)
    {
      gate_leave (tunnel, TRUE);
      spawn_tunnel (tunnel);
    }
  else
    /* This tunnel logs in and becomes the master; the others wait for it. */
    spawn_tunnel (tunnel);
  tunnel_unref (tunnel);
}

static void
run_check (Tunnel *tunnel)
{
  g_autoptr(GSubprocess) check = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  argv = hangar_ssh_build_control_argv (tunnel->target, tunnel->control_dir, "check");
  check = g_subprocess_newv ((const char * const *) argv,
                             G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error);
  if (check == NULL)
    {
      complete_error (tunnel, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                           _("Could not start ssh: %s"), error->message));
      return;
    }
  g_subprocess_wait_check_async (check, NULL, on_checked, tunnel_ref (tunnel));
}

/* ---- public ------------------------------------------------------------ */

static gboolean
is_private_dir (const char  *dir,
                GError     **error)
{
  GStatBuf st;

  if (g_mkdir_with_parents (dir, 0700) != 0 || g_lstat (dir, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not make the folder %s for ssh's connections: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode) || st.st_uid != getuid ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("%s is not a folder of yours: ssh's connections cannot be kept there."),
                   dir);
      return FALSE;
    }
  /* Whoever can reach the control sockets can use the logins behind them. */
  if ((st.st_mode & 0777) != 0700 && g_chmod (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not make %s private: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_ssh_tunnel_get_control_dir:
 * @error: where a failure goes
 *
 * The private folder (mode 0700) for the ssh control sockets, made if
 * needed: `hangar/ssh` in the user's runtime directory, or, when that path
 * would be too long for a socket name (ssh adds a 40-character hash, the
 * control tag and, while binding, 17 more), a folder of this process's
 * own in /tmp with a name nobody can guess and take first.
 *
 * Returns: (transfer full) (nullable): the folder, or %NULL with @error set
 */
static char *fallback;

/* At shutdown, once the masters have been told to end: the fallback
 * folder goes too, and a later call makes a fresh one. A master answers
 * `ssh -O exit` before it removes its socket, so give it a moment. */
void
_hangar_ssh_tunnel_forget_fallback_dir (void)
{
  if (fallback == NULL)
    return;
  for (guint i = 0; i < 50 && g_rmdir (fallback) != 0 && errno == ENOTEMPTY; i++)
    g_usleep (20000);
  g_clear_pointer (&fallback, g_free);
}

char *
hangar_ssh_tunnel_get_control_dir (GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "hangar", "ssh", NULL);
  struct sockaddr_un addr;

  if (strlen (dir) + 1 + 40 + 1 + HANGAR_SSH_CONTROL_TAG_LEN + 17 >= sizeof addr.sun_path)
    {
      if (fallback == NULL)
        {
          fallback = g_dir_make_tmp ("hangar-ssh-XXXXXX", error);
          if (fallback == NULL)
            return NULL;
        }
      g_free (dir);
      dir = g_strdup (fallback);
    }
  if (!is_private_dir (dir, error))
    return NULL;
  return g_steal_pointer (&dir);
}

/* A HangarSshTarget is a plain struct that anyone can fill in: check it
 * again, so that nothing reaches ssh's command line unchecked. */
static HangarSshTarget *
revalidate (const HangarSshTarget  *target,
            GError                **error)
{
  return hangar_ssh_target_new (target->user, target->host, target->port,
                                target->keyfile, target->no_verify, error);
}

/**
 * hangar_ssh_tunnel_open_async:
 * @target: the host to log in to
 * @listen_host: (nullable): the console server's listen address from the
 *   domain XML (0.0.0.0, :: and %NULL mean the far host's loopback)
 * @port: the console server's port
 * @cancellable: (nullable): cancels the open and kills ssh
 * @callback: called on the current thread-default main context
 * @user_data: for @callback
 *
 * Opens a byte stream to @listen_host:@port as seen from @target, through
 * the host's shared ssh connection. Fails with ssh's own message when ssh
 * does (unknown host, refused login, refused port), and with
 * %G_IO_ERROR_TIMED_OUT after %HANGAR_SSH_TUNNEL_TIMEOUT_SECONDS.
 */
void
hangar_ssh_tunnel_open_async (const HangarSshTarget *target,
                              const char            *listen_host,
                              int                    port,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Tunnel *tunnel;

  g_return_if_fail (target != NULL);
  g_return_if_fail (port > 0 && port <= 65535);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_ssh_tunnel_open_async);
  /* The answer is an fd: a late cancellation must not drop it unclosed. */
  g_task_set_check_cancellable (task, FALSE);

  tunnel = g_rc_box_new0 (Tunnel);
  tunnel->fd = -1;
  tunnel->messages = g_string_new (NULL);
  tunnel->target = revalidate (target, &error);
  tunnel->listen_host = g_strdup (listen_host);
  tunnel->port = port;
  tunnel->task = g_object_ref (task);
  g_task_set_task_data (task, tunnel, (GDestroyNotify) tunnel_unref);

  if (g_task_return_error_if_cancelled (task))
    {
      g_clear_object (&tunnel->task);
      return;
    }

  if (tunnel->target == NULL)
    {
      g_clear_object (&tunnel->task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  tunnel->key = hangar_ssh_target_to_string (tunnel->target);
  {
    g_autofree char *tag = hangar_ssh_target_control_tag (tunnel->target);

    tunnel->gate = g_strdup_printf ("%s %s", tunnel->key, tag);
  }

  tunnel->control_dir = hangar_ssh_tunnel_get_control_dir (&error);
  if (tunnel->control_dir == NULL)
    {
      g_clear_object (&tunnel->task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tunnel->timeout_source = g_timeout_source_new_seconds (HANGAR_SSH_TUNNEL_TIMEOUT_SECONDS);
  g_source_set_callback (tunnel->timeout_source, on_timeout, tunnel, NULL);
  g_source_attach (tunnel->timeout_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      tunnel->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (tunnel->cancel_source, (GSourceFunc) on_cancelled, tunnel, NULL);
      g_source_attach (tunnel->cancel_source, g_task_get_context (task));
    }

  gate_enter (tunnel);
}

/**
 * hangar_ssh_tunnel_open_finish:
 * @result: the result given to the callback
 * @error: where a failure goes
 *
 * Returns: a connected stream socket (the caller owns it and closes it,
 *   which ends ssh), or -1 with @error set
 */
int
hangar_ssh_tunnel_open_finish (GAsyncResult  *result,
                               GError       **error)
{
  int *box;
  int fd;

  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hangar_ssh_tunnel_open_async, -1);

  box = g_task_propagate_pointer (G_TASK (result), error);
  if (box == NULL)
    return -1;
  fd = *box;
  g_free (box);
  return fd;
}
