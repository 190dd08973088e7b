/* hangar-window.c — the main window: every machine on every connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-error.h"
#include "hangar-plain-text.h"
#include "hangar-host-window.h"
#include "hangar-machine-window.h"
#include "hangar-vm.h"
#include "hangar-window-private.h"
#include "hangar-wizard.h"

G_DEFINE_FINAL_TYPE (HangarWindow, hangar_window, ADW_TYPE_APPLICATION_WINDOW)

void _hangar_window_actions_class_init (GtkWidgetClass *widget_class);

static void
on_search_changed (HangarWindow   *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  gtk_string_filter_set_search (self->filter, *text ? text : NULL);
}

static void
on_stop_search (HangarWindow   *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
on_row_activated (HangarWindow  *self,
                  guint          position,
                  GtkColumnView *view)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  g_autoptr(GObject) item = row ? gtk_tree_list_row_get_item (row) : NULL;

  if (HANGAR_IS_VM (item))
    {
      _hangar_window_set_current (self, HANGAR_VM (item));
      gtk_widget_activate_action (GTK_WIDGET (self), "vm.open", NULL);
    }
  else if (HANGAR_IS_CONNECTION (item))
    {
      HangarConnectionState state = hangar_connection_get_state (HANGAR_CONNECTION (item));

      /* Activating a connection that is down tries again. */
      if (state == HANGAR_CONNECTION_STATE_FAILED
          || state == HANGAR_CONNECTION_STATE_DISCONNECTED)
        hangar_connection_open (HANGAR_CONNECTION (item));
      else
        gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
    }
}

/* --- --show-* options ------------------------------------------------------- */

typedef struct
{
  char             *name;
  HangarWindowShow  what;
} PendingShow;

static void
pending_show_free (PendingShow *pending)
{
  g_free (pending->name);
  g_free (pending);
}

static void
message (HangarWindow *self,
         const char   *heading,
         const char   *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
run_show (HangarWindow     *self,
          HangarConnection *connection,
          const char       *name,
          HangarWindowShow  what)
{
  HangarVm *vm;

  if (what == HANGAR_WINDOW_SHOW_HOST
      && hangar_connection_get_state (connection) == HANGAR_CONNECTION_STATE_CONNECTED)
    {
      hangar_host_window_present_for (GTK_APPLICATION (self->application), connection);
      return;
    }

  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    {
      g_autofree char *heading = g_strdup_printf (_("Could not open “%s”"),
                                                  name ? name
                                                  : hangar_connection_get_display_name (connection));
      const char *reason = hangar_connection_get_error_message (connection);
      g_autofree char *body = NULL;

      if (reason != NULL)
        /* Translators: %s is a connection's name, then the reason (a sentence) */
        body = g_strdup_printf (_("%s is not connected. %s"),
                                hangar_connection_get_display_name (connection), reason);
      else
        body = g_strdup_printf (_("%s is not connected."),
                                hangar_connection_get_display_name (connection));
      message (self, heading, body);
      return;
    }

  vm = hangar_connection_lookup_vm (connection, name);
  if (vm == NULL)
    {
      g_autofree char *heading = g_strdup_printf (_("No machine called “%s”"), name);
      g_autofree char *body = g_strdup_printf (_("%s has no machine with that name, id or UUID."),
                                               hangar_connection_get_display_name (connection));
      message (self, heading, body);
      return;
    }

  hangar_window_select_vm (self, vm);
  if (what == HANGAR_WINDOW_SHOW_CONSOLE)
    hangar_machine_window_present_for (GTK_APPLICATION (self->application), vm);
  else
    hangar_machine_window_show_details (
      hangar_machine_window_present_for (GTK_APPLICATION (self->application), vm));
}

static void
on_pending_connection_state (HangarConnection *connection,
                             GParamSpec       *pspec,
                             HangarWindow     *self)
{
  GPtrArray *pending;

  if (hangar_connection_get_state (connection) == HANGAR_CONNECTION_STATE_CONNECTING)
    return;

  g_signal_handlers_disconnect_by_func (connection, on_pending_connection_state, self);
  pending = g_hash_table_lookup (self->pending_shows, connection);
  for (guint i = 0; pending && i < pending->len; i++)
    {
      PendingShow *show = g_ptr_array_index (pending, i);
      run_show (self, connection, show->name, show->what);
    }
  g_hash_table_remove (self->pending_shows, connection);
}

/**
 * hangar_window_show_for_machine:
 * @connection: (nullable): where @name lives
 * @name: (nullable): a machine's name, id or UUID
 *
 * Carries out a --show-* option or the Open action. Machines are looked up
 * once @connection has finished connecting.
 */
void
hangar_window_show_for_machine (HangarWindow     *self,
                                HangarConnection *connection,
                                const char       *name,
                                HangarWindowShow  what)
{
  GPtrArray *pending;
  PendingShow *show;

  g_return_if_fail (HANGAR_IS_WINDOW (self));

  if (what == HANGAR_WINDOW_SHOW_CREATOR)
    {
      HangarWizard *wizard = hangar_wizard_new (GTK_APPLICATION (self->application),
                                                G_LIST_MODEL (hangar_application_get_connections (self->application)),
                                                connection);

      gtk_window_present (GTK_WINDOW (wizard));
      return;
    }

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (what == HANGAR_WINDOW_SHOW_HOST || name != NULL);

  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTING)
    {
      run_show (self, connection, name, what);
      return;
    }

  pending = g_hash_table_lookup (self->pending_shows, connection);
  if (pending == NULL)
    {
      pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_show_free);
      g_hash_table_insert (self->pending_shows, g_object_ref (connection), pending);
      g_signal_connect_object (connection, "notify::state",
                               G_CALLBACK (on_pending_connection_state), self, 0);
    }
  show = g_new0 (PendingShow, 1);
  show->name = g_strdup (name);
  show->what = what;
  g_ptr_array_add (pending, show);
}

/* --- object ------------------------------------------------------------------ */

static gboolean
hangar_window_close_request (GtkWindow *window)
{
  HangarWindow *self = HANGAR_WINDOW (window);
  GSettings *settings = hangar_application_get_settings (self->application);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (hangar_window_parent_class)->close_request (window);
}

/* “application” is not a construct property, so it is only set after
 * constructed(): the window is wired up from hangar_window_new(). */
static void
setup (HangarWindow      *self,
       HangarApplication *application)
{
  GSettings *settings;

  self->application = application;
  settings = hangar_application_get_settings (self->application);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  _hangar_window_actions_init (self);
  _hangar_window_list_init (self);

  if (g_strcmp0 (APP_ID, BASE_ID) != 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
hangar_window_dispose (GObject *object)
{
  HangarWindow *self = (HangarWindow *)object;

  _hangar_window_list_dispose (self);
  g_clear_pointer (&self->row_popover, gtk_widget_unparent);
  g_clear_pointer (&self->connection_popover, gtk_widget_unparent);
  g_clear_weak_pointer (&self->menu_anchor);
  g_clear_handle_id (&self->menu_popup_source, g_source_remove);
  g_clear_pointer (&self->pending_shows, g_hash_table_unref);
  g_clear_object (&self->current);
  g_clear_object (&self->current_connection);
  g_clear_object (&self->vm_actions);
  g_clear_object (&self->row_power_item);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_WINDOW);

  G_OBJECT_CLASS (hangar_window_parent_class)->dispose (object);
}

static void
hangar_window_class_init (HangarWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hangar_window_dispose;
  window_class->close_request = hangar_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, shutdown_button);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, row_menu);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, row_power_section);
  gtk_widget_class_bind_template_child (widget_class, HangarWindow, connection_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  _hangar_window_actions_class_init (widget_class);
}

static void
hangar_window_init (HangarWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pending_shows = g_hash_table_new_full (NULL, NULL, g_object_unref,
                                               (GDestroyNotify) g_ptr_array_unref);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
}

HangarWindow *
hangar_window_new (HangarApplication *application)
{
  HangarWindow *self;

  g_return_val_if_fail (HANGAR_IS_APPLICATION (application), NULL);

  self = g_object_new (HANGAR_TYPE_WINDOW, "application", application, NULL);
  setup (self, application);
  return self;
}

/**
 * hangar_window_get_selected_vm:
 *
 * Returns: (transfer none) (nullable): the machine the vm.* actions act on
 */
HangarVm *
hangar_window_get_selected_vm (HangarWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_WINDOW (self), NULL);
  return self->current;
}

/**
 * hangar_window_show_error:
 * @title: what failed, for people
 * @error: why
 */
void
hangar_window_show_error (HangarWindow *self,
                          const char   *title,
                          const GError *error)
{
  g_return_if_fail (HANGAR_IS_WINDOW (self));

  hangar_error_toast (self->toast_overlay, GTK_WINDOW (self), title, error);
}

void
_hangar_window_toast (HangarWindow *self,
                      const char   *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, hangar_toast_new_plain (message));
}
