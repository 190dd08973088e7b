/* hangar-spice-files.c — files into a SPICE guest's agent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HangarFileTransfer wraps spice-client-glib's SpiceFileTransferTask, so
 * that the window showing the progress need not know SPICE: the name, the
 * progress (0 to 1), and a "finished" signal carrying the error, if any —
 * once, whether the guest's agent took the file, refused it, the user
 * cancelled, or the connection ended first.
 *
 * HangarSpiceFiles is a session's part: it hands files to the main
 * channel's file copy, keeps a HangarFileTransfer in the session's list
 * for each file on its way, and says why a guest cannot take files.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <glib/gi18n.h>
#include <spice/vd_agent.h>

#include "hangar-spice-files.h"

struct _HangarFileTransfer
{
  GObject parent_instance;

  SpiceFileTransferTask *task;
  char *name;
  double progress;
  guint64 total_bytes;
  gboolean finished;
};

G_DEFINE_FINAL_TYPE (HangarFileTransfer, hangar_file_transfer, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_PROGRESS,
  PROP_FINISHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
finish (HangarFileTransfer *self,
        const GError       *error)
{
  if (self->finished)
    return;
  self->finished = TRUE;
  if (self->task != NULL)
    g_signal_handlers_disconnect_by_data (self->task, self);
  g_object_ref (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  g_signal_emit (self, signals[FINISHED], 0, error);
  g_object_unref (self);
}

static void
on_task_progress (SpiceFileTransferTask *task,
                  GParamSpec            *pspec,
                  HangarFileTransfer    *self)
{
  double progress = spice_file_transfer_task_get_progress (task);

  self->total_bytes = spice_file_transfer_task_get_total_bytes (task);
  /* spice-client-glib reports NaN before it knows the file's size. */
  if (progress != progress || progress < 0)
    progress = 0;
  if (progress > 1)
    progress = 1;
  if (progress == self->progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
on_task_finished (SpiceFileTransferTask *task,
                  GError                *error,
                  HangarFileTransfer    *self)
{
  if (error == NULL && self->progress < 1)
    {
      self->progress = 1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  finish (self, error);
}

static HangarFileTransfer *
file_transfer_new (GObject *task)
{
  HangarFileTransfer *self;

  g_return_val_if_fail (SPICE_IS_FILE_TRANSFER_TASK (task), NULL);

  self = g_object_new (HANGAR_TYPE_FILE_TRANSFER, NULL);
  self->task = g_object_ref (SPICE_FILE_TRANSFER_TASK (task));
  self->name = spice_file_transfer_task_get_filename (self->task);
  g_signal_connect (self->task, "notify::progress", G_CALLBACK (on_task_progress), self);
  g_signal_connect (self->task, "finished", G_CALLBACK (on_task_finished), self);
  return self;
}

/* The session ended under the transfer: it is over, whatever the task
 * says later. */
static void
file_transfer_fail (HangarFileTransfer *self,
                    const GError       *error)
{
  g_return_if_fail (HANGAR_IS_FILE_TRANSFER (self));

  if (self->finished)
    return;
  if (self->task != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->task, self);
      spice_file_transfer_task_cancel (self->task);
    }
  finish (self, error);
}

const char *
hangar_file_transfer_get_name (HangarFileTransfer *self)
{
  g_return_val_if_fail (HANGAR_IS_FILE_TRANSFER (self), NULL);

  return self->name;
}

double
hangar_file_transfer_get_progress (HangarFileTransfer *self)
{
  g_return_val_if_fail (HANGAR_IS_FILE_TRANSFER (self), 0);

  return self->progress;
}

guint64
hangar_file_transfer_get_total_bytes (HangarFileTransfer *self)
{
  g_return_val_if_fail (HANGAR_IS_FILE_TRANSFER (self), 0);

  return self->total_bytes;
}

gboolean
hangar_file_transfer_get_finished (HangarFileTransfer *self)
{
  g_return_val_if_fail (HANGAR_IS_FILE_TRANSFER (self), FALSE);

  return self->finished;
}

/* Stops sending; "finished" follows, with a G_IO_ERROR_CANCELLED error. */
void
hangar_file_transfer_cancel (HangarFileTransfer *self)
{
  g_return_if_fail (HANGAR_IS_FILE_TRANSFER (self));

  if (!self->finished && self->task != NULL)
    spice_file_transfer_task_cancel (self->task);
}

static void
hangar_file_transfer_dispose (GObject *object)
{
  HangarFileTransfer *self = HANGAR_FILE_TRANSFER (object);

  if (self->task != NULL)
    g_signal_handlers_disconnect_by_data (self->task, self);
  g_clear_object (&self->task);

  G_OBJECT_CLASS (hangar_file_transfer_parent_class)->dispose (object);
}

static void
hangar_file_transfer_finalize (GObject *object)
{
  HangarFileTransfer *self = HANGAR_FILE_TRANSFER (object);

  g_free (self->name);

  G_OBJECT_CLASS (hangar_file_transfer_parent_class)->finalize (object);
}

static void
hangar_file_transfer_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HangarFileTransfer *self = HANGAR_FILE_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_file_transfer_class_init (HangarFileTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_file_transfer_dispose;
  object_class->finalize = hangar_file_transfer_finalize;
  object_class->get_property = hangar_file_transfer_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarFileTransfer::finished:
   * @error: (nullable): why the file did not arrive, %NULL if it did
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
hangar_file_transfer_init (HangarFileTransfer *self)
{
}

/* --- a session's files ------------------------------------------------- */

struct _HangarSpiceFiles
{
  GListStore *transfers;       /* the session's list */
  SpiceMainChannel *main;      /* while the session has one */
  HangarSpiceFilesFinished finished;
  gpointer data;
};

HangarSpiceFiles *
hangar_spice_files_new (GListStore               *transfers,
                        HangarSpiceFilesFinished  finished,
                        gpointer                  data)
{
  HangarSpiceFiles *self = g_new0 (HangarSpiceFiles, 1);

  self->transfers = g_object_ref (transfers);
  self->finished = finished;
  self->data = data;
  return self;
}

static void
on_transfer_finished (HangarFileTransfer *transfer,
                      const GError       *error,
                      HangarSpiceFiles   *self)
{
  guint position;

  g_signal_handlers_disconnect_by_func (transfer, on_transfer_finished, self);
  g_object_ref (transfer);
  /* A file that did not arrive: spice-client-glib queues the news for the
   * guest's agent (which otherwise keeps its half-written file) but does
   * not wake its main channel to send it, so it would wait for the next
   * message to the guest. Asking for the mouse mode the session already
   * has is harmless and sends it along. */
  if (error != NULL && self->main != NULL)
    {
      int mode = SPICE_MOUSE_MODE_SERVER;

      g_object_get (self->main, "mouse-mode", &mode, NULL);
      spice_main_channel_request_mouse_mode (self->main, mode);
    }
  if (g_list_store_find (self->transfers, transfer, &position))
    g_list_store_remove (self->transfers, position);
  if (self->finished != NULL)
    self->finished (transfer, error, self->data);
  g_object_unref (transfer);
}

/* spice-client-glib made a task for one of the files we gave it. */
static void
on_new_file_transfer (SpiceMainChannel *channel,
                      GObject          *task,
                      HangarSpiceFiles *self)
{
  g_autoptr(HangarFileTransfer) transfer = file_transfer_new (task);

  g_signal_connect (transfer, "finished", G_CALLBACK (on_transfer_finished), self);
  g_list_store_append (self->transfers, transfer);
}

/* Each file's outcome is its transfer's; this only collects the whole. */
static void
on_file_copy_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!spice_main_channel_file_copy_finish (SPICE_MAIN_CHANNEL (source), result, &error))
    g_debug ("SPICE: sending files: %s", error->message);
}

/* Ends every transfer still on its way: the connection is going. */
static void
fail_transfers (HangarSpiceFiles *self)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED,
                                                 _("The connection to the guest ended before the file arrived"));

  while (g_list_model_get_n_items (G_LIST_MODEL (self->transfers)) > 0)
    {
      g_autoptr(HangarFileTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (self->transfers), 0);

      /* Its "finished" takes it off the list. */
      if (hangar_file_transfer_get_finished (transfer))
        g_list_store_remove (self->transfers, 0);
      else
        file_transfer_fail (transfer, error);
    }
}

/* The session's main channel came (or went, with %NULL). */
void
hangar_spice_files_set_main (HangarSpiceFiles *self,
                             SpiceMainChannel *main)
{
  g_return_if_fail (self != NULL);

  if (self->main == main)
    return;
  if (self->main != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->main, self);
      self->main = NULL;
      fail_transfers (self);
    }
  self->main = main;
  if (main != NULL)
    g_signal_connect (main, "new-file-transfer", G_CALLBACK (on_new_file_transfer), self);
}

void
hangar_spice_files_free (HangarSpiceFiles *self)
{
  if (self == NULL)
    return;
  hangar_spice_files_set_main (self, NULL);
  fail_transfers (self);
  g_object_unref (self->transfers);
  g_free (self);
}

/* Whether the guest can take files now (@connected: the session is);
 * @error says why not, worded for the user. */
gboolean
hangar_spice_files_check (HangarSpiceFiles  *self,
                          gboolean           connected,
                          GError           **error)
{
  gboolean agent = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->main == NULL || !connected)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("The console is not connected to the guest."));
      return FALSE;
    }
  g_object_get (self->main, "agent-connected", &agent, NULL);
  if (!agent)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The guest has no SPICE agent running. Install spice-vdagent (Linux) or the SPICE guest tools (Windows) in the guest to send it files."));
      return FALSE;
    }
  if (spice_main_channel_agent_test_capability (self->main, VD_AGENT_CAP_FILE_XFER_DISABLED))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("The guest's agent does not accept files: file transfer is turned off in the guest."));
      return FALSE;
    }

  return TRUE;
}

/* Hands @files to the main channel's file copy; the caller checked. */
gboolean
hangar_spice_files_send (HangarSpiceFiles  *self,
                         GFile            **files,
                         guint              n_files,
                         GError           **error)
{
  g_autoptr(GPtrArray) sources = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (n_files == 0)
    return TRUE;
  if (self->main == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("The console is not connected to the guest."));
      return FALSE;
    }

  sources = g_ptr_array_new_full (n_files + 1, NULL);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (sources, files[i]);
  g_ptr_array_add (sources, NULL);
  spice_main_channel_file_copy_async (self->main, (GFile **) sources->pdata, G_FILE_COPY_NONE,
                                      NULL, NULL, NULL, on_file_copy_done, NULL);
  return TRUE;
}
