/* hangar-host-common.c — small things the host window's pages share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-host-common.h"
#include "hangar-plain-text.h"
#include "hangar-units.h"

/* A cancelled job's page may be gone: its callback must not touch it. */
gboolean
hangar_host_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
hangar_host_store_replace (GListStore *store,
                           GPtrArray  *rows)
{
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       rows ? rows->pdata : NULL, rows ? rows->len : 0);
}

char *
hangar_host_format_bytes (guint64 bytes)
{
  return hangar_format_kib (bytes / 1024);
}

GtkWidget *
hangar_host_action_button (const char *icon_name,
                           const char *tooltip,
                           const char *action,
                           const char *target)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  return button;
}

/* The window a page is shown in, the parent of its dialogs. */
GtkWindow *
hangar_host_page_window (GtkWidget *page)
{
  GtkRoot *root = gtk_widget_get_root (page);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* A toast in the overlay @inside is in (or is). */
void
hangar_host_toast (GtkWidget  *inside,
                   const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (inside, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  g_return_if_fail (overlay != NULL);
  toast = hangar_toast_new_plain (text);
  /* The newest news replaces the last: changes come in quick runs. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

void
hangar_host_show_error (GtkWidget    *page,
                        const char   *heading,
                        const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (hangar_host_page_window (page), heading,
                                              error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Puts @form (or nothing) in *@slot, closing the form there before; the
 * slot is cleared when the user closes the form. */
void
hangar_host_set_form (HangarHostFormDialog **slot,
                      HangarHostFormDialog  *form)
{
  if (*slot != NULL)
    {
      HangarHostFormDialog *old = *slot;

      g_object_remove_weak_pointer (G_OBJECT (old), (gpointer *) slot);
      *slot = NULL;
      gtk_window_destroy (GTK_WINDOW (old));
    }
  *slot = form;
  if (form != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (form), (gpointer *) slot);
      gtk_window_present (GTK_WINDOW (form));
    }
}
