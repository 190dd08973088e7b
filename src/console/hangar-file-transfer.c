/* hangar-file-transfer.c — one file on its way into a guest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wraps spice-client-glib's SpiceFileTransferTask, so that the window
 * showing the progress need not know SPICE: the name, the progress (0 to
 * 1), and a "finished" signal carrying the error, if any — once, whether
 * the guest's agent took the file, refused it, the user cancelled, or the
 * connection ended first.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <spice-client.h>

#include "hangar-file-transfer.h"

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

HangarFileTransfer *
_hangar_file_transfer_new (GObject *task)
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
void
_hangar_file_transfer_fail (HangarFileTransfer *self,
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
