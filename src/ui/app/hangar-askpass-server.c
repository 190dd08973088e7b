/* hangar-askpass.c — ssh's passwords, passphrases and host keys, asked in Hangar's windows.
 *
 * libvirt runs ssh itself for qemu+ssh:// URIs. When ssh needs a password,
 * a key passphrase, or the user's word on an unknown host key, it runs the
 * program named by SSH_ASKPASS with the question as its argument and reads
 * the answer from its output. Hangar's program (src/askpass/hangar-askpass.c)
 * passes the question to this object over a UNIX socket in a private
 * directory under the user's runtime directory; the question is shown in a
 * dialog on top of the active window, and the answer (or a refusal) goes
 * back the same way.
 *
 * libvirt hands ssh only a few variables (SSH_ASKPASS and DISPLAY among
 * them, not SSH_ASKPASS_REQUIRE), so SSH_ASKPASS names a link to the
 * program inside the private directory, and the program finds the socket
 * beside the path it was started by. ssh uses an askpass program when it
 * has no terminal and DISPLAY is set; when the session has none (Wayland
 * without X) DISPLAY is set to a word that names no X display, so that
 * nothing started with it (libvirt's session daemon, QEMU) can reach
 * another user's X server. The environment is set by
 * hangar_askpass_prepare() in main(), before any thread exists: setenv()
 * is not thread-safe, and libvirt's ssh gets it from the process.
 *
 * A question for a secret from the ssh process whose last secret we
 * answered means that answer was refused: the dialog says so. After
 * Cancel, that ssh process is refused without asking.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <adwaita.h>

#include "hangar-askpass-server.h"
#include "hangar-host-key-dialog.h"

#define PROGRAM_NAME   "hangar-askpass"
#define SOCKET_NAME    "socket"
#define HEADER         "hangar-askpass 1"
#define MAX_QUESTION   (64 * 1024)
/* Most questions waiting for their dialog. ssh asks one at a time per
 * connection; more than this is a client asking in a loop, refused rather
 * than queued without end (review finding L8). */
#define MAX_PENDING    16

struct _HangarAskpass
{
  GObject           parent_instance;

  GtkApplication   *app;          /* weak: the app owns us */
  GSocketService   *service;
  char             *dir;
  char             *socket_path;
  char             *program;      /* the link SSH_ASKPASS names */

  GQueue            pending;      /* Question*, the first one on screen */
  GtkWindow        *dialog;
  guint             n_asked;

  /* The ssh process whose last question was a secret we answered: asked
   * again by it, that answer was wrong. */
  gint64            answered_secret_pid;
  /* The ssh process the user said Cancel to: it is not asked again. */
  gint64            cancelled_pid;
};

G_DEFINE_FINAL_TYPE (HangarAskpass, hangar_askpass, G_TYPE_OBJECT)

static HangarAskpass *default_askpass;

typedef struct
{
  HangarAskpass      *askpass;
  GSocketConnection  *connection;
  GByteArray         *buffer;      /* what the program sent, at most MAX_QUESTION */
  guint8              chunk[4096];
  HangarAskpassKind   kind;
  char               *hint;
  char               *question;
  gint64              pid;
  char               *reply;       /* may hold a password: wiped when freed */
} Question;

static void ask_next (HangarAskpass *self);

static void
question_free (Question *question)
{
  g_clear_object (&question->connection);
  g_clear_pointer (&question->buffer, g_byte_array_unref);
  g_free (question->hint);
  g_free (question->question);
  if (question->reply != NULL)
    {
      explicit_bzero (question->reply, strlen (question->reply));
      g_free (question->reply);
    }
  g_free (question);
}

/**
 * hangar_askpass_classify:
 * @question: ssh's words
 * @prompt_hint: (nullable): SSH_ASKPASS_PROMPT as ssh set it
 *
 * Returns: what kind of answer @question wants
 */
HangarAskpassKind
hangar_askpass_classify (const char *question,
                         const char *prompt_hint)
{
  g_return_val_if_fail (question != NULL, HANGAR_ASKPASS_SECRET);

  if (strstr (question, "(yes/no") != NULL)
    return HANGAR_ASKPASS_HOST_KEY;
  if (g_strcmp0 (prompt_hint, "confirm") == 0)
    return HANGAR_ASKPASS_CONFIRM;
  return HANGAR_ASKPASS_SECRET;
}

/* --- answering --------------------------------------------------------------- */

static void
reply_written (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Question *question = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    g_debug ("askpass: the answer was not delivered: %s", error->message);
  g_io_stream_close (G_IO_STREAM (question->connection), NULL, NULL);
  question_free (question);
}

/* Takes @question; @answer NULL refuses. */
static void
reply (Question   *question,
       const char *answer)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (question->connection));

  question->reply = answer ? g_strconcat ("OK\n", answer, NULL) : g_strdup ("CANCEL\n");
  g_output_stream_write_all_async (out, question->reply, strlen (question->reply),
                                   G_PRIORITY_DEFAULT, NULL, reply_written, question);
}

/* After Cancel: the same ssh's other secret questions that wait their
 * turn are refused too, not shown one after another. */
static void
refuse_waiting_from (HangarAskpass *self,
                     gint64         pid)
{
  GList *l = self->pending.head;

  /* Called once the answered question left the queue: none is on
   * screen. */
  if (pid <= 0)
    return;
  while (l != NULL)
    {
      GList *next = l->next;
      Question *waiting = l->data;

      if (waiting->kind == HANGAR_ASKPASS_SECRET && waiting->pid == pid)
        {
          g_queue_delete_link (&self->pending, l);
          reply (waiting, NULL);
        }
      l = next;
    }
}

static void
on_dialog_response (AdwMessageDialog *dialog,
                    const char       *response,
                    HangarAskpass    *self)
{
  Question *question = g_queue_pop_head (&self->pending);
  const char *answer = NULL;
  HangarAskpassKind kind;

  g_assert (question != NULL);
  kind = question->kind;
  self->dialog = NULL;

  switch (question->kind)
    {
    case HANGAR_ASKPASS_HOST_KEY:
      /* Only the user's choice says yes; closing the dialog says no. */
      answer = g_strcmp0 (response, HANGAR_HOST_KEY_ACCEPT) == 0 ? "yes" : "no";
      break;
    case HANGAR_ASKPASS_CONFIRM:
      answer = g_strcmp0 (response, "yes") == 0 ? "yes" : NULL;
      break;
    case HANGAR_ASKPASS_SECRET:
    default:
      if (g_strcmp0 (response, "ok") == 0)
        answer = gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)));
      break;
    }
  g_debug ("askpass: %s", answer != NULL ? "answered" : "refused");
  self->answered_secret_pid = kind == HANGAR_ASKPASS_SECRET && answer != NULL
                              ? question->pid : -1;
  if (kind == HANGAR_ASKPASS_SECRET && answer == NULL)
    {
      self->cancelled_pid = question->pid;
      refuse_waiting_from (self, question->pid);
    }
  reply (question, answer);
  if (answer != NULL && kind == HANGAR_ASKPASS_SECRET)
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "");
  ask_next (self);
}

static void
on_entry_activate (GtkWidget        *entry,
                   AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "ok");
}

static GtkWidget *
secret_dialog (HangarAskpass *self,
               GtkWindow     *parent,
               Question      *question)
{
  g_autofree char *folded = g_utf8_casefold (question->question, -1);
  gboolean passphrase = strstr (folded, "passphrase") != NULL;
  gboolean again = question->pid > 0 && question->pid == self->answered_secret_pid;
  GtkWidget *dialog;
  GtkWidget *entry;
  g_autofree char *body = NULL;
  const char *asked = g_strstrip (question->question);

  if (again)
    /* TRANSLATORS: %s is ssh's own question, such as “root@host's password:”. */
    body = g_strdup_printf (_("That was not accepted. Try again.\n\n%s"), asked);
  else
    body = g_strdup (asked);

  dialog = adw_message_dialog_new (parent,
                                   passphrase ? _("Passphrase Needed") : _("Password Needed"),
                                   body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "ok", _("C_onnect"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  /* A GtkEntry, not a GtkPasswordEntry: GTK 4.8's password entry leaves
   * a focus handler behind on a message dialog closed by a response. */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  passphrase ? _("Passphrase") : _("Password"),
                                  -1);
  g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);

  return dialog;
}

static GtkWidget *
confirm_dialog (GtkWindow *parent,
                Question  *question)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, _("Confirm"),
                                              g_strstrip (question->question));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "no", _("_No"),
                                    "yes", _("_Yes"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "no");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "no");
  return dialog;
}

/* One dialog at a time: questions from several connections wait their turn. */
static void
ask_next (HangarAskpass *self)
{
  Question *question = g_queue_peek_head (&self->pending);
  GtkWindow *parent = NULL;
  GtkWidget *dialog;

  if (question == NULL || self->dialog != NULL)
    return;

  if (self->app != NULL)
    parent = gtk_application_get_active_window (self->app);

  switch (question->kind)
    {
    case HANGAR_ASKPASS_HOST_KEY:
      dialog = hangar_host_key_dialog_new (parent, question->question);
      break;
    case HANGAR_ASKPASS_CONFIRM:
      dialog = confirm_dialog (parent, question);
      break;
    case HANGAR_ASKPASS_SECRET:
    default:
      dialog = secret_dialog (self, parent, question);
      break;
    }

  self->n_asked++;
  self->dialog = GTK_WINDOW (dialog);
  gtk_window_set_modal (self->dialog, TRUE);
  if (self->app != NULL)
    gtk_window_set_application (self->dialog, self->app);
  g_signal_connect (dialog, "response", G_CALLBACK (on_dialog_response), self);
  gtk_window_present (self->dialog);
}

/* --- reading the question ------------------------------------------------------ */

static gboolean
parse_question (Question *question)
{
  const char *data = (const char *) question->buffer->data;
  gsize size = question->buffer->len;
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (data == NULL || size == 0)
    return FALSE;
  text = g_strndup (data, size);
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  /* header, SSH_ASKPASS_PROMPT, ssh's pid, then the question itself */
  parts = g_strsplit (text, "\n", 4);
  if (g_strv_length (parts) < 4 || g_strcmp0 (parts[0], HEADER) != 0)
    return FALSE;
  question->hint = g_strdup (parts[1]);
  question->pid = g_ascii_strtoll (parts[2], NULL, 10);
  question->question = g_strdup (parts[3]);
  question->kind = hangar_askpass_classify (question->question, question->hint);
  return TRUE;
}

static void read_more (Question *question);

static void
question_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Question *question = user_data;
  HangarAskpass *self = question->askpass;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n > 0)
    {
      /* Only our own user gets here; still, a question is a few lines,
       * and a client that sends more is cut off, not buffered. */
      if (question->buffer->len + n > MAX_QUESTION)
        {
          g_debug ("askpass: a question longer than %d bytes: refused", MAX_QUESTION);
          g_io_stream_close (G_IO_STREAM (question->connection), NULL, NULL);
          question_free (question);
          return;
        }
      g_byte_array_append (question->buffer, question->chunk, n);
      read_more (question);
      return;
    }
  if (n < 0 || !parse_question (question))
    {
      g_debug ("askpass: unreadable question: %s", error ? error->message : "bad format");
      reply (question, NULL);
      return;
    }

  g_debug ("askpass: ssh (pid %" G_GINT64_FORMAT ") asks: %s", question->pid, question->question);

  /* ssh takes a refused password as an empty one and asks again, up to
   * three times: after Cancel, it gets no more dialogs, only refusals. */
  if (question->kind == HANGAR_ASKPASS_SECRET && question->pid > 0
      && question->pid == self->cancelled_pid)
    {
      reply (question, NULL);
      return;
    }
  if (self->pending.length >= MAX_PENDING)
    {
      g_debug ("askpass: %u questions wait already: refused", self->pending.length);
      reply (question, NULL);
      return;
    }
  g_queue_push_tail (&self->pending, question);
  ask_next (self);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             HangarAskpass     *self)
{
  g_autoptr(GCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  Question *question;

  /* The directory is ours alone; still, answer only our own user. */
  credentials = g_socket_get_credentials (g_socket_connection_get_socket (connection), &error);
  if (credentials == NULL || g_credentials_get_unix_user (credentials, NULL) != getuid ())
    {
      g_warning ("askpass: refused a question from another user");
      return TRUE;
    }

  question = g_new0 (Question, 1);
  question->askpass = self;
  question->connection = g_object_ref (connection);
  question->buffer = g_byte_array_new ();
  read_more (question);
  return TRUE;
}

/* The program sends its question and shuts its side: read to the end. */
static void
read_more (Question *question)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (question->connection)),
                             question->chunk, sizeof question->chunk, G_PRIORITY_DEFAULT, NULL,
                             question_read, question);
}

/* --- setting up ------------------------------------------------------------------- */

/* The program: HANGAR_ASKPASS_PROGRAM, else the build tree's (running
 * uninstalled), else the installed one. */
static char *
find_program (void)
{
#if HANGAR_TEST_HOOKS
  const char *from_env = g_getenv ("HANGAR_ASKPASS_PROGRAM");
#else
  const char *from_env = NULL;
#endif
  g_autofree char *installed = g_build_filename (LIBEXECDIR, PROGRAM_NAME, NULL);
  g_autofree char *built = g_build_filename (BUILD_DIR, "src", "askpass", PROGRAM_NAME, NULL);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);

  if (from_env != NULL && *from_env != '\0')
    return g_strdup (from_env);
  if (self_exe != NULL && g_str_has_prefix (self_exe, BUILD_DIR "/")
      && g_file_test (built, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&built);
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);
  if (g_file_test (built, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&built);
  return NULL;
}

/* What hangar_askpass_prepare() chose: the private directory, the socket
 * in it and the link SSH_ASKPASS names. Set once, before threads exist. */
static char *prepared_dir;
static char *prepared_socket;
static char *prepared_program;

/* The private directory and the link in it, made again after an earlier
 * askpass took them away on shutdown. */
static gboolean
make_dir_and_link (GError **error)
{
  g_autofree char *target = find_program ();
  GStatBuf st;

  if (target == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s is not installed in %s", PROGRAM_NAME, LIBEXECDIR);
      return FALSE;
    }
  if ((g_mkdir (prepared_dir, 0700) != 0 && errno != EEXIST)
      || g_lstat (prepared_dir, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: %s", prepared_dir, g_strerror (saved));
      return FALSE;
    }
  /* Whoever could write here could answer ssh's questions. */
  if (!S_ISDIR (st.st_mode) || st.st_uid != getuid () || (st.st_mode & 0077) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "%s is not a private folder of this user", prepared_dir);
      return FALSE;
    }
  g_unlink (prepared_program);
  if (symlink (target, prepared_program) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: %s", prepared_program, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_askpass_prepare:
 * @error: where a failure goes
 *
 * Makes the private directory for the askpass socket and points
 * SSH_ASKPASS (and SSH_ASKPASS_REQUIRE, HANGAR_ASKPASS_SOCKET, DISPLAY
 * when there is none) at it. Call from main(), before the application
 * runs: it changes the process environment, which is only safe while no
 * other thread exists, and libvirt's ssh takes SSH_ASKPASS and DISPLAY
 * from there. hangar_askpass_start() listens later. Calling it again does
 * nothing.
 *
 * Returns: whether ssh's questions can come to Hangar
 */
gboolean
hangar_askpass_prepare (GError **error)
{
  g_autofree char *template = NULL;

  if (prepared_dir != NULL)
    return TRUE;

  template = g_build_filename (g_get_user_runtime_dir (), "hangar-askpass-XXXXXX", NULL);
  g_mkdir_with_parents (g_get_user_runtime_dir (), 0700);
  if (g_mkdtemp_full (template, 0700) == NULL)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: %s", template, g_strerror (saved));
      return FALSE;
    }
  prepared_dir = g_steal_pointer (&template);
  prepared_socket = g_build_filename (prepared_dir, SOCKET_NAME, NULL);
  prepared_program = g_build_filename (prepared_dir, PROGRAM_NAME, NULL);
  if (!make_dir_and_link (error))
    {
      g_rmdir (prepared_dir);
      g_clear_pointer (&prepared_dir, g_free);
      g_clear_pointer (&prepared_socket, g_free);
      g_clear_pointer (&prepared_program, g_free);
      return FALSE;
    }

  g_setenv ("SSH_ASKPASS", prepared_program, TRUE);
  /* ssh started by Hangar itself keeps this; libvirt's ssh does not get
   * it and relies on having no terminal, which a desktop app has not. */
  g_setenv ("SSH_ASKPASS_REQUIRE", "force", TRUE);
  g_setenv ("HANGAR_ASKPASS_SOCKET", prepared_socket, TRUE);
  /* ssh asks a program only when DISPLAY is set, and never opens it. A
   * real display number (":0") would be passed on to everything started
   * from here and could be another user's X server: this names none. */
  if (g_getenv ("DISPLAY") == NULL)
    g_setenv ("DISPLAY", ":hangar-askpass", FALSE);
  return TRUE;
}

static gboolean
setup (HangarAskpass  *self,
       GError        **error)
{
  g_autoptr(GSocketAddress) address = NULL;

  if (prepared_dir == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           "hangar_askpass_prepare() was not called before the application ran");
      return FALSE;
    }
  if (!make_dir_and_link (error))
    return FALSE;
  self->dir = g_strdup (prepared_dir);
  self->socket_path = g_strdup (prepared_socket);
  self->program = g_strdup (prepared_program);

  g_unlink (self->socket_path);
  address = g_unix_socket_address_new (self->socket_path);
  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                                      NULL, NULL, error))
    return FALSE;
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);
  return TRUE;
}

static void
on_app_shutdown (GApplication  *app,
                 HangarAskpass *self)
{
  g_clear_object (&default_askpass);
}

static void
hangar_askpass_dispose (GObject *object)
{
  HangarAskpass *self = (HangarAskpass *) object;
  Question *question;

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  /* Whoever still waits gets a refusal rather than silence. */
  while ((question = g_queue_pop_head (&self->pending)) != NULL)
    {
      g_io_stream_close (G_IO_STREAM (question->connection), NULL, NULL);
      question_free (question);
    }
  if (self->dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->dialog, self);
      gtk_window_destroy (g_steal_pointer (&self->dialog));
    }
  if (self->socket_path != NULL)
    g_unlink (self->socket_path);
  if (self->program != NULL)
    g_unlink (self->program);
  if (self->dir != NULL)
    g_rmdir (self->dir);
  g_clear_weak_pointer (&self->app);

  G_OBJECT_CLASS (hangar_askpass_parent_class)->dispose (object);
}

static void
hangar_askpass_finalize (GObject *object)
{
  HangarAskpass *self = (HangarAskpass *) object;

  g_free (self->dir);
  g_free (self->socket_path);
  g_free (self->program);

  G_OBJECT_CLASS (hangar_askpass_parent_class)->finalize (object);
}

static void
hangar_askpass_class_init (HangarAskpassClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_askpass_dispose;
  object_class->finalize = hangar_askpass_finalize;
}

static void
hangar_askpass_init (HangarAskpass *self)
{
  g_queue_init (&self->pending);
  self->answered_secret_pid = -1;
  self->cancelled_pid = -1;
}

/**
 * hangar_askpass_start:
 * @app: the application, whose active window the dialogs belong to
 *
 * Listens for ssh's questions on the socket hangar_askpass_prepare() chose
 * (which must have been called first, in main()). Call it from startup,
 * before any connection is opened. Calling it again returns the same
 * object. Stops when @app shuts down.
 *
 * Returns: (transfer none) (nullable): the askpass, or %NULL when the
 *   program or the socket is not available (ssh then fails as without it)
 */
HangarAskpass *
hangar_askpass_start (GtkApplication *app)
{
  g_autoptr(HangarAskpass) self = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);

  if (default_askpass != NULL)
    return default_askpass;

  self = g_object_new (HANGAR_TYPE_ASKPASS, NULL);
  g_set_weak_pointer (&self->app, app);
  if (!setup (self, &error))
    {
      /* Not prepared is how tests that need no ssh run the app. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED))
        g_debug ("ssh passwords cannot be asked for: %s", error->message);
      else
        g_warning ("ssh passwords cannot be asked for: %s", error->message);
      return NULL;
    }

  g_signal_connect_object (app, "shutdown", G_CALLBACK (on_app_shutdown), self, 0);
  default_askpass = g_steal_pointer (&self);
  g_debug ("askpass: listening on %s", default_askpass->socket_path);
  return default_askpass;
}

/**
 * hangar_askpass_get_default:
 *
 * Returns: (transfer none) (nullable): the askpass hangar_askpass_start() made
 */
HangarAskpass *
hangar_askpass_get_default (void)
{
  return default_askpass;
}

const char *
hangar_askpass_get_socket_path (HangarAskpass *self)
{
  g_return_val_if_fail (HANGAR_IS_ASKPASS (self), NULL);
  return self->socket_path;
}

/**
 * hangar_askpass_get_program:
 *
 * Returns: what SSH_ASKPASS is set to: a link to the program beside the socket
 */
const char *
hangar_askpass_get_program (HangarAskpass *self)
{
  g_return_val_if_fail (HANGAR_IS_ASKPASS (self), NULL);
  return self->program;
}

/**
 * hangar_askpass_get_dialog:
 *
 * Returns: (transfer none) (nullable): the question on screen: a
 *   #HangarHostKeyDialog, or an #AdwMessageDialog whose extra child is the
 *   password entry
 */
GtkWindow *
hangar_askpass_get_dialog (HangarAskpass *self)
{
  g_return_val_if_fail (HANGAR_IS_ASKPASS (self), NULL);
  return self->dialog;
}

/* How many questions have been shown. */
guint
hangar_askpass_get_n_asked (HangarAskpass *self)
{
  g_return_val_if_fail (HANGAR_IS_ASKPASS (self), 0);
  return self->n_asked;
}
