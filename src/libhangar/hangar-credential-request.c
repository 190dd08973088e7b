/* hangar-credential-request.c — one question for credentials, from libvirt to the user.
 *
 * libvirt asks from the thread that opens the connection; the question is
 * handed to the main thread as this object, and the open thread waits on a
 * condition until someone replies, cancels, or the connection is closed.
 * The main thread never waits: reply() and cancel() only set the answer.
 *
 * The fields are written by the open thread before the request is handed
 * over and never change afterwards; the answer is guarded by a mutex.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <libvirt/libvirt.h>

#include "hangar-credential-request.h"

typedef struct
{
  int   libvirt_type;
  char *prompt;
  char *challenge;
  char *defresult;
} Field;

struct _HangarCredentialRequest
{
  GObject               parent_instance;

  char                 *uri;
  char                 *display_name;
  char                 *previous_error;
  GArray               *fields;   /* of Field */

  GMutex                lock;
  GCond                 cond;
  gboolean              done;
  HangarCredentialWait  outcome;
  char                **values;

  /* Main thread only. */
  gboolean              finished_emitted;
};

G_DEFINE_FINAL_TYPE (HangarCredentialRequest, hangar_credential_request, G_TYPE_OBJECT)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
field_clear (gpointer data)
{
  Field *field = data;

  g_free (field->prompt);
  g_free (field->challenge);
  g_free (field->defresult);
}

static void
hangar_credential_request_finalize (GObject *object)
{
  HangarCredentialRequest *self = (HangarCredentialRequest *)object;

  g_free (self->uri);
  g_free (self->display_name);
  g_free (self->previous_error);
  g_array_unref (self->fields);
  if (self->values != NULL)
    {
      /* Passwords: don't leave them in freed memory. */
      for (guint i = 0; self->values[i] != NULL; i++)
        memset (self->values[i], 0, strlen (self->values[i]));
      g_strfreev (self->values);
    }
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (hangar_credential_request_parent_class)->finalize (object);
}

static void
hangar_credential_request_class_init (HangarCredentialRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hangar_credential_request_finalize;

  /**
   * HangarCredentialRequest::finished:
   *
   * The request has its answer, was refused, or its connection was
   * closed: a dialog showing it should go away. Emitted once, on the main
   * thread.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hangar_credential_request_init (HangarCredentialRequest *self)
{
  self->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  g_array_set_clear_func (self->fields, field_clear);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

HangarCredentialRequest *
_hangar_credential_request_new (const char *uri,
                                const char *display_name,
                                const char *previous_error)
{
  HangarCredentialRequest *self = g_object_new (HANGAR_TYPE_CREDENTIAL_REQUEST, NULL);

  self->uri = g_strdup (uri);
  self->display_name = g_strdup (display_name);
  self->previous_error = g_strdup (previous_error);
  return self;
}

void
_hangar_credential_request_add_field (HangarCredentialRequest *self,
                                      int                      libvirt_type,
                                      const char              *prompt,
                                      const char              *challenge,
                                      const char              *defresult)
{
  Field field = {
    libvirt_type,
    g_strdup (prompt),
    g_strdup (challenge),
    g_strdup (defresult),
  };

  g_array_append_val (self->fields, field);
}

static Field *
get_field (HangarCredentialRequest *self,
           guint                    i)
{
  if (i >= self->fields->len)
    return NULL;
  return &g_array_index (self->fields, Field, i);
}

/* The request settles once; later answers are ignored. Any thread. */
static gboolean
settle (HangarCredentialRequest *self,
        HangarCredentialWait     outcome,
        const char * const      *values)
{
  gboolean settled = FALSE;

  g_mutex_lock (&self->lock);
  if (!self->done)
    {
      self->done = TRUE;
      self->outcome = outcome;
      self->values = g_strdupv ((char **) values);
      g_cond_broadcast (&self->cond);
      settled = TRUE;
    }
  g_mutex_unlock (&self->lock);
  return settled;
}

static void
emit_finished (HangarCredentialRequest *self)
{
  if (self->finished_emitted)
    return;
  self->finished_emitted = TRUE;
  g_signal_emit (self, signals[FINISHED], 0);
}

static gboolean
emit_finished_cb (gpointer data)
{
  emit_finished (data);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  settle (user_data, HANGAR_CREDENTIAL_WAIT_CANCELLED, NULL);
}

/**
 * _hangar_credential_request_wait:
 * @cancellable: (nullable): the connection's; cancelling it ends the wait
 *
 * Waits for the answer. Only for the open thread: never call it on the
 * main thread, which is the one that answers.
 */
HangarCredentialWait
_hangar_credential_request_wait (HangarCredentialRequest *self,
                                 GCancellable            *cancellable)
{
  HangarCredentialWait outcome;
  gulong handler = 0;

  /* The main thread answers: waiting there would never end. */
  g_return_val_if_fail (!g_main_context_is_owner (g_main_context_default ()),
                        HANGAR_CREDENTIAL_WAIT_REFUSED);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);

  g_mutex_lock (&self->lock);
  while (!self->done)
    g_cond_wait (&self->cond, &self->lock);
  outcome = self->outcome;
  g_mutex_unlock (&self->lock);

  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);

  /* Nobody on the main thread knows yet: tell the dialog to go away. */
  if (outcome == HANGAR_CREDENTIAL_WAIT_CANCELLED)
    g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, emit_finished_cb,
                                g_object_ref (self), g_object_unref);
  return outcome;
}

/* After _hangar_credential_request_wait() gave ANSWERED. */
const char *
_hangar_credential_request_get_value (HangarCredentialRequest *self,
                                      guint                    i)
{
  const char *value = NULL;

  g_mutex_lock (&self->lock);
  if (self->values != NULL && i < g_strv_length (self->values))
    value = self->values[i];
  g_mutex_unlock (&self->lock);
  return value;
}

/* --- public ---------------------------------------------------------------- */

/**
 * hangar_credential_request_reply:
 * @values: one answer per field, in order (an empty string for none)
 *
 * Answers the request; does nothing when it is already finished.
 */
void
hangar_credential_request_reply (HangarCredentialRequest *self,
                                 const char * const      *values)
{
  g_return_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self));
  g_return_if_fail (values != NULL);
  g_return_if_fail (g_strv_length ((char **) values) == self->fields->len);

  if (settle (self, HANGAR_CREDENTIAL_WAIT_ANSWERED, values))
    emit_finished (self);
}

/**
 * hangar_credential_request_cancel:
 *
 * Refuses to answer: the connection fails as libvirt reports it.
 */
void
hangar_credential_request_cancel (HangarCredentialRequest *self)
{
  g_return_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self));

  if (settle (self, HANGAR_CREDENTIAL_WAIT_REFUSED, NULL))
    emit_finished (self);
}

gboolean
hangar_credential_request_is_finished (HangarCredentialRequest *self)
{
  gboolean done;

  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self), TRUE);

  g_mutex_lock (&self->lock);
  done = self->done;
  g_mutex_unlock (&self->lock);
  return done;
}

/**
 * hangar_credential_request_get_uri:
 *
 * Returns: the libvirt URI of the connection that asks
 */
const char *
hangar_credential_request_get_uri (HangarCredentialRequest *self)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self), NULL);
  return self->uri;
}

const char *
hangar_credential_request_get_display_name (HangarCredentialRequest *self)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self), NULL);
  return self->display_name;
}

/**
 * hangar_credential_request_get_previous_error:
 *
 * Returns: (nullable): why the previous attempt, which had been answered,
 *   failed — shown so the user knows to try again — or %NULL
 */
const char *
hangar_credential_request_get_previous_error (HangarCredentialRequest *self)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self), NULL);
  return self->previous_error;
}

guint
hangar_credential_request_get_n_fields (HangarCredentialRequest *self)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self), 0);
  return self->fields->len;
}

int
hangar_credential_request_get_libvirt_type (HangarCredentialRequest *self,
                                            guint                    i)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self), 0);
  g_return_val_if_fail (i < self->fields->len, 0);
  return get_field (self, i)->libvirt_type;
}

HangarCredentialKind
hangar_credential_request_get_kind (HangarCredentialRequest *self,
                                    guint                    i)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self), HANGAR_CREDENTIAL_TEXT);
  g_return_val_if_fail (i < self->fields->len, HANGAR_CREDENTIAL_TEXT);

  switch (get_field (self, i)->libvirt_type)
    {
    case VIR_CRED_USERNAME:
    case VIR_CRED_AUTHNAME:
      return HANGAR_CREDENTIAL_USERNAME;
    case VIR_CRED_PASSPHRASE:
      return HANGAR_CREDENTIAL_PASSWORD;
    case VIR_CRED_NOECHOPROMPT:
      return HANGAR_CREDENTIAL_SECRET_TEXT;
    default:
      return HANGAR_CREDENTIAL_TEXT;
    }
}

/**
 * hangar_credential_request_get_prompt:
 *
 * Returns: (nullable): libvirt's prompt for the field, such as “Username:”
 */
const char *
hangar_credential_request_get_prompt (HangarCredentialRequest *self,
                                      guint                    i)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self), NULL);
  g_return_val_if_fail (i < self->fields->len, NULL);
  return get_field (self, i)->prompt;
}

/**
 * hangar_credential_request_get_challenge:
 *
 * Returns: (nullable): extra text to show with the prompt (a host key's
 *   fingerprint, for instance)
 */
const char *
hangar_credential_request_get_challenge (HangarCredentialRequest *self,
                                         guint                    i)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self), NULL);
  g_return_val_if_fail (i < self->fields->len, NULL);
  return get_field (self, i)->challenge;
}

/**
 * hangar_credential_request_get_default:
 *
 * Returns: (nullable): the answer to prefill, such as the user name
 */
const char *
hangar_credential_request_get_default (HangarCredentialRequest *self,
                                       guint                    i)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (self), NULL);
  g_return_val_if_fail (i < self->fields->len, NULL);
  return get_field (self, i)->defresult;
}
