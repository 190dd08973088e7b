/* hangar-error.c — how a window tells the user something went wrong.
 *
 * A toast says what failed, in a few words that fit; its Details button
 * opens the full message
 * (libvirt's errors are long and specific, and that is what people search
 * for), with a Copy button.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-error.h"
#include "hangar-plain-text.h"

static void
on_details_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  if (g_str_equal (response, "copy"))
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (dialog)),
                            adw_message_dialog_get_body (dialog));
}

static void
show_details (AdwToast  *toast,
              GtkWindow *parent)
{
  const char *title = g_object_get_data (G_OBJECT (toast), "hangar-title");
  const char *details = g_object_get_data (G_OBJECT (toast), "hangar-details");
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (parent, title, details);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "copy", _("_Copy"), "close", _("_Close"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response", G_CALLBACK (on_details_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * hangar_error_toast:
 * @overlay: where the toast shows
 * @parent: the window the details dialog belongs to
 * @title: what failed, for people
 * @error: (nullable): why
 */
void
hangar_error_toast (AdwToastOverlay *overlay,
                    GtkWindow       *parent,
                    const char      *title,
                    const GError    *error)
{
  AdwToast *toast;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (title != NULL);

  g_message ("%s: %s", title, error ? error->message : "");

  toast = hangar_toast_new_plain (title);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  if (error != NULL)
    {
      adw_toast_set_button_label (toast, _("_Details"));
      g_object_set_data_full (G_OBJECT (toast), "hangar-title", g_strdup (title), g_free);
      g_object_set_data_full (G_OBJECT (toast), "hangar-details", g_strdup (error->message),
                              g_free);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (show_details), parent, 0);
    }
  adw_toast_overlay_add_toast (overlay, toast);
}
