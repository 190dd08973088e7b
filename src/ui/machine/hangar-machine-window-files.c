/* hangar-machine-window-files.c — files into the guest (SPICE agent).
 *
 * Files dropped on the console, or chosen with the console menu's "Send
 * Files…", go to the guest's agent. While they are on their way a panel
 * at the console's bottom right lists each with its progress and a button
 * to stop it; when they are done a toast says so, or says why not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-error.h"
#include "hangar-spice-files.h"
#include "hangar-machine-window-private.h"
#include "hangar-plain-text.h"
#include "hangar-spice-session.h"

static HangarSpiceSession *
spice_session (HangarMachineWindow *self)
{
  if (self->session != NULL && HANGAR_IS_SPICE_SESSION (self->session))
    return HANGAR_SPICE_SESSION (self->session);
  return NULL;
}

static void
toast (HangarMachineWindow *self,
       const char          *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, hangar_toast_new_plain (text));
}

/* Files that arrived, said in one toast once all are done: a folder
 * dropped file by file would otherwise queue a toast per file. */
static void
report_sent (HangarMachineWindow *self)
{
  g_autofree char *text = NULL;

  if (self->files_sent == 0)
    return;
  if (self->files_sent == 1)
    /* Translators: %s is a file's name */
    text = g_strdup_printf (_("“%s” was sent to the guest"), self->last_sent);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file was sent to the guest",
                                         "%u files were sent to the guest", self->files_sent),
                            self->files_sent);
  toast (self, text);
  self->files_sent = 0;
  g_clear_pointer (&self->last_sent, g_free);
}

static void
on_transfer_finished (HangarSpiceSession  *session,
                      HangarFileTransfer  *transfer,
                      const GError        *error,
                      HangarMachineWindow *self)
{
  const char *name = hangar_file_transfer_get_name (transfer);

  if (error == NULL)
    {
      self->files_sent++;
      g_free (self->last_sent);
      self->last_sent = g_strdup (name);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Sending “%s” was stopped"), name);

      toast (self, text);
    }
  else
    {
      g_autofree char *title = g_strdup_printf (_("Could not send “%s” to the guest"), name);

      hangar_error_toast (self->toast_overlay, GTK_WINDOW (self), title, error);
    }

  if (g_list_model_get_n_items (hangar_spice_session_get_transfers (session)) == 0)
    report_sent (self);
}

static void
on_stop_clicked (GtkButton          *button,
                 HangarFileTransfer *transfer)
{
  hangar_file_transfer_cancel (transfer);
}

/* "1.2 MB of 3.0 MB" under a file's progress bar. */
static void
update_amount (HangarFileTransfer *transfer,
               GParamSpec         *pspec,
               GtkLabel           *label)
{
  guint64 total = hangar_file_transfer_get_total_bytes (transfer);
  g_autofree char *sent = NULL;
  g_autofree char *all = NULL;
  g_autofree char *text = NULL;

  if (total == 0)
    {
      gtk_label_set_label (label, "");
      return;
    }
  sent = g_format_size ((guint64) (hangar_file_transfer_get_progress (transfer) * total));
  all = g_format_size (total);
  /* Translators: how much of a file was sent; "1.2 MB of 3.0 MB" */
  text = g_strdup_printf (_("%s of %s"), sent, all);
  gtk_label_set_label (label, text);
}

static GtkWidget *
create_transfer_row (gpointer item,
                     gpointer user_data)
{
  HangarFileTransfer *transfer = item;
  const char *name = hangar_file_transfer_get_name (transfer);
  g_autofree char *stop_label = NULL;
  GtkWidget *row, *box, *label, *bar, *amount, *button;

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_box_append (GTK_BOX (box), label);
  bar = gtk_progress_bar_new ();
  g_object_bind_property (transfer, "progress", bar, "fraction", G_BINDING_SYNC_CREATE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (bar),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_box_append (GTK_BOX (box), bar);
  amount = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (amount), 0);
  gtk_widget_add_css_class (amount, "caption");
  gtk_widget_add_css_class (amount, "dim-label");
  update_amount (transfer, NULL, GTK_LABEL (amount));
  g_signal_connect_object (transfer, "notify::progress", G_CALLBACK (update_amount), amount, 0);
  gtk_box_append (GTK_BOX (box), amount);
  gtk_box_append (GTK_BOX (row), box);

  button = gtk_button_new_from_icon_name ("process-stop-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Stop Sending"));
  /* Translators: a button's name for screen readers; %s is a file's name */
  stop_label = g_strdup_printf (_("Stop sending “%s”"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, stop_label, -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_stop_clicked), transfer, 0);
  gtk_box_append (GTK_BOX (row), button);

  return row;
}

/* One row per file on its way, made again on each change of the list:
 * a handful of rows at most, changed a few times a second at most. */
static void
update_panel (HangarMachineWindow *self)
{
  HangarSpiceSession *session = self->files_session;
  GListModel *transfers = session ? hangar_spice_session_get_transfers (session) : NULL;
  guint n = transfers ? g_list_model_get_n_items (transfers) : 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->transfers_list))) != NULL)
    gtk_box_remove (self->transfers_list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarFileTransfer) transfer = g_list_model_get_item (transfers, i);

      gtk_box_append (self->transfers_list, create_transfer_row (transfer, self));
    }

  gtk_revealer_set_reveal_child (self->transfers_revealer, n > 0);
  if (n > 0)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Sending %u file to the guest",
                                                             "Sending %u files to the guest", n),
                                                n);

      gtk_label_set_label (self->transfers_title, title);
    }
}

/**
 * _hangar_machine_window_update_files:
 *
 * Follows the window's session: its files on their way in the panel,
 * and "Send Files…" offered while it is a connected SPICE one.
 */
void
_hangar_machine_window_update_files (HangarMachineWindow *self)
{
  HangarSpiceSession *session = spice_session (self);

  if (self->console_actions == NULL)  /* disposed */
    return;

  if (session != self->files_session)
    {
      if (self->files_session != NULL)
        {
          g_signal_handlers_disconnect_by_data (self->files_session, self);
          g_signal_handlers_disconnect_by_data (hangar_spice_session_get_transfers (self->files_session), self);
        }
      g_set_object (&self->files_session, session);
      if (session != NULL)
        {
          g_signal_connect_object (session, "transfer-finished",
                                   G_CALLBACK (on_transfer_finished), self, 0);
          g_signal_connect_object (hangar_spice_session_get_transfers (session), "items-changed",
                                   G_CALLBACK (update_panel), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (session, "notify::state",
                                   G_CALLBACK (_hangar_machine_window_update_files), self,
                                   G_CONNECT_SWAPPED);
        }
      /* What arrived before the session went still gets its toast. */
      report_sent (self);
      update_panel (self);
    }

  /* Offered once connected; whether the guest's agent takes files is
   * said when the user asks, with what to do about it. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->console_actions),
                                                                           "send-files")),
                               session != NULL &&
                               hangar_console_session_get_state (self->session) == HANGAR_CONSOLE_STATE_CONNECTED);
}

/* Hands the files to the guest's agent, or tells why it cannot take them. */
static void
send_files (HangarMachineWindow *self,
            GListModel          *files)
{
  HangarSpiceSession *session = spice_session (self);
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (files);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, g_list_model_get_item (files, i));

  if (session == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("Only a SPICE display can take files. Switch the machine’s display to SPICE in its details to send it files."));
  else
    hangar_spice_session_send_files (session, (GFile **) array->pdata, array->len, &error);

  if (error != NULL)
    {
      const char *title = g_dngettext (GETTEXT_PACKAGE, "Could not send the file to the guest",
                                       "Could not send the files to the guest", MAX (n, 1));

      hangar_error_toast (self->toast_overlay, GTK_WINDOW (self), title, error);
    }
}

static void
on_chooser_response (GtkNativeDialog     *chooser,
                     int                  response,
                     HangarMachineWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      send_files (self, files);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
send_files_activated (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  HangarMachineWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  GtkFileChooserNative *chooser;

  /* Said before choosing, rather than after. */
  if (spice_session (self) == NULL ||
      !hangar_spice_session_check_send_files (spice_session (self), &error))
    {
      g_autoptr(GListStore) none = g_list_store_new (G_TYPE_FILE);

      if (error != NULL)
        hangar_error_toast (self->toast_overlay, GTK_WINDOW (self),
                            _("Could not send files to the guest"), error);
      else
        send_files (self, G_LIST_MODEL (none));
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Send Files to the Guest"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Send"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop (GtkDropTarget       *target,
         const GValue        *value,
         double               x,
         double               y,
         HangarMachineWindow *self)
{
  GdkFileList *list = g_value_get_boxed (value);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  GSList *l = gdk_file_list_get_files (list);

  for (GSList *f = l; f != NULL; f = f->next)
    g_list_store_append (files, f->data);
  g_slist_free (l);
  send_files (self, G_LIST_MODEL (files));
  return TRUE;
}

const GActionEntry _hangar_machine_window_files_entries[] = {
  { "send-files", send_files_activated },
};
const guint _hangar_machine_window_n_files_entries = G_N_ELEMENTS (_hangar_machine_window_files_entries);

/* Builds the panel and the drop target on the console. */
void
_hangar_machine_window_init_files (HangarMachineWindow *self)
{
  GtkDropTarget *target;
  GtkWidget *box;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "hangar-transfers");
  self->transfers_title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->transfers_title), "heading");
  gtk_label_set_xalign (self->transfers_title, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->transfers_title));
  self->transfers_list = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->transfers_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Files on their way to the guest"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->transfers_list));

  self->transfers_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->transfers_revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
  gtk_widget_set_halign (GTK_WIDGET (self->transfers_revealer), GTK_ALIGN_END);
  gtk_widget_set_valign (GTK_WIDGET (self->transfers_revealer), GTK_ALIGN_END);
  gtk_widget_set_size_request (box, 320, -1);
  gtk_revealer_set_child (self->transfers_revealer, box);
  gtk_overlay_add_overlay (self->console_overlay, GTK_WIDGET (self->transfers_revealer));

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->console_overlay), GTK_EVENT_CONTROLLER (target));

  _hangar_machine_window_update_files (self);
}
