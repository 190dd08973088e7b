/* hangar-host-key-dialog.c — an unknown ssh host key, for the user to accept or refuse.
 *
 * ssh meets a host it has no key for and asks, through Hangar's askpass,
 * "Are you sure you want to continue connecting (yes/no/[fingerprint])?"
 * after naming the host, the key type and its fingerprint. This dialog
 * shows them so the user can compare the fingerprint with the one the
 * host's administrator gives, and answers only what the user chooses:
 * Refuse is the default and what closing the dialog means.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-host-key-dialog.h"

struct _HangarHostKeyDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkLabel         *key_type_label;
  GtkLabel         *fingerprint_label;
  GtkLabel         *question_label;

  char             *host;
  char             *key_type;
  char             *fingerprint;
};

G_DEFINE_FINAL_TYPE (HangarHostKeyDialog, hangar_host_key_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The text between @start and @end on @line, or NULL. */
static char *
between (const char *line,
         const char *start,
         const char *end)
{
  const char *from = strstr (line, start);
  const char *to;

  if (from == NULL)
    return NULL;
  from += strlen (start);
  to = strstr (from, end);
  if (to == NULL)
    return NULL;
  return g_strndup (from, to - from);
}

/**
 * hangar_host_key_parse:
 * @question: what ssh asks about an unknown host key
 * @host: (out) (optional): the host as ssh names it: “[127.0.0.1]:2222”
 * @key_type: (out) (optional): “ED25519”, “RSA”, …
 * @fingerprint: (out) (optional): “SHA256:…”
 *
 * Reads ssh's question, which is in English whatever the locale:
 *
 *   The authenticity of host 'HOST (ADDRESS)' can't be established.
 *   TYPE key fingerprint is FINGERPRINT.
 *   …
 *   Are you sure you want to continue connecting (yes/no/[fingerprint])?
 *
 * Returns: whether @question is about a host key with a fingerprint
 */
gboolean
hangar_host_key_parse (const char  *question,
                       char       **host,
                       char       **key_type,
                       char       **fingerprint)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *found_host = NULL;
  g_autofree char *found_type = NULL;
  g_autofree char *found_fingerprint = NULL;

  g_return_val_if_fail (question != NULL, FALSE);

  if (strstr (question, "(yes/no") == NULL)
    return FALSE;

  lines = g_strsplit (question, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      const char *marker;

      if (found_host == NULL && (found_host = between (line, "authenticity of host '", "'")))
        {
          /* "HOST (ADDRESS)": the first is what the user typed. */
          char *space = strstr (found_host, " (");

          if (space != NULL)
            *space = '\0';
        }
      else if (found_fingerprint == NULL
               && (marker = strstr (line, " key fingerprint is ")) != NULL)
        {
          const char *value = marker + strlen (" key fingerprint is ");
          gsize len = strlen (value);

          found_type = g_strndup (line, marker - line);
          if (len > 0 && value[len - 1] == '.')
            len--;
          found_fingerprint = g_strndup (value, len);
        }
    }

  if (found_fingerprint == NULL || *found_fingerprint == '\0')
    return FALSE;
  if (host != NULL)
    *host = g_steal_pointer (&found_host);
  if (key_type != NULL)
    *key_type = g_steal_pointer (&found_type);
  if (fingerprint != NULL)
    *fingerprint = g_steal_pointer (&found_fingerprint);
  return TRUE;
}

static void
hangar_host_key_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HANGAR_TYPE_HOST_KEY_DIALOG);

  G_OBJECT_CLASS (hangar_host_key_dialog_parent_class)->dispose (object);
}

static void
hangar_host_key_dialog_finalize (GObject *object)
{
  HangarHostKeyDialog *self = (HangarHostKeyDialog *) object;

  g_free (self->host);
  g_free (self->key_type);
  g_free (self->fingerprint);

  G_OBJECT_CLASS (hangar_host_key_dialog_parent_class)->finalize (object);
}

static void
hangar_host_key_dialog_class_init (HangarHostKeyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_host_key_dialog_dispose;
  object_class->finalize = hangar_host_key_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-host-key-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarHostKeyDialog, key_type_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostKeyDialog, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostKeyDialog, question_label);
}

static void
hangar_host_key_dialog_init (HangarHostKeyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * hangar_host_key_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @question: ssh's question, fingerprint included
 *
 * Returns: (transfer floating): the dialog, not shown yet; its response is
 *   %HANGAR_HOST_KEY_ACCEPT or %HANGAR_HOST_KEY_REFUSE
 */
GtkWidget *
hangar_host_key_dialog_new (GtkWindow  *parent,
                            const char *question)
{
  HangarHostKeyDialog *self;
  g_autofree char *body = NULL;
  g_autofree char *type_text = NULL;

  g_return_val_if_fail (question != NULL, NULL);

  self = g_object_new (HANGAR_TYPE_HOST_KEY_DIALOG, "transient-for", parent, NULL);
  if (!hangar_host_key_parse (question, &self->host, &self->key_type, &self->fingerprint))
    {
      /* A question we cannot read is still shown in full, never answered for the user. */
      g_clear_pointer (&self->host, g_free);
      g_clear_pointer (&self->key_type, g_free);
      g_clear_pointer (&self->fingerprint, g_free);
    }

  if (self->host != NULL)
    body = g_strdup_printf (_("Hangar cannot confirm that it is talking to %s: this computer "
                              "has not connected to it before. Compare the fingerprint below "
                              "with the one the host’s administrator gives you, and trust the "
                              "key only if they are the same."), self->host);
  else
    body = g_strdup (_("Hangar cannot confirm the identity of the host: this computer has not "
                       "connected to it before. Trust its key only if you know it is the "
                       "right one."));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  if (self->key_type != NULL)
    {
      /* TRANSLATORS: %s is a key type such as ED25519 or RSA. */
      type_text = g_strdup_printf (_("%s key fingerprint"), self->key_type);
      gtk_label_set_text (self->key_type_label, type_text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->key_type_label), self->key_type != NULL);
  gtk_label_set_text (self->fingerprint_label, self->fingerprint ? self->fingerprint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_label), self->fingerprint != NULL);
  gtk_label_set_text (self->question_label, question);
  return GTK_WIDGET (self);
}

const char *
hangar_host_key_dialog_get_host (HangarHostKeyDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_KEY_DIALOG (self), NULL);
  return self->host;
}

const char *
hangar_host_key_dialog_get_key_type (HangarHostKeyDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_KEY_DIALOG (self), NULL);
  return self->key_type;
}

const char *
hangar_host_key_dialog_get_fingerprint (HangarHostKeyDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_KEY_DIALOG (self), NULL);
  return self->fingerprint;
}
