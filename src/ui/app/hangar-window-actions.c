/* hangar-window-actions.c — the win.* actions of the main window, and its vm.* group.
 *
 * The vm.* group (HangarVmActions) always acts on the selected machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-clone-dialog.h"
#include "hangar-connection.h"
#include "hangar-host-window.h"
#include "hangar-vm-actions.h"
#include "hangar-vm.h"
#include "hangar-window-private.h"

/* The row menu hides what does not apply (hidden-when); a submenu cannot
 * be, so Shut Down ▸ is taken out of the menu while none of its items
 * applies, and put back where it was. */
static void
sync_row_power_submenu (HangarWindow *self,
                        gboolean      any)
{
  GMenuModel *section = G_MENU_MODEL (self->row_power_section);

  if (section == NULL)
    return;
  if (!any && self->row_power_item == NULL)
    {
      for (int i = 0; i < g_menu_model_get_n_items (section); i++)
        {
          g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (section, i,
                                                                      G_MENU_LINK_SUBMENU);

          if (submenu == NULL)
            continue;
          self->row_power_item = g_menu_item_new_from_model (section, i);
          self->row_power_index = i;
          g_menu_remove (self->row_power_section, i);
          break;
        }
    }
  else if (any && self->row_power_item != NULL)
    {
      g_menu_insert_item (self->row_power_section,
                          MIN (self->row_power_index, g_menu_model_get_n_items (section)),
                          self->row_power_item);
      g_clear_object (&self->row_power_item);
    }
}

void
_hangar_window_actions_update (HangarWindow *self)
{
  gboolean paused = g_action_group_get_action_enabled (G_ACTION_GROUP (self->vm_actions),
                                                       "resume");

  /* One button in the header: Pause, or Resume while paused. */
  gtk_widget_set_visible (self->resume_button, paused);
  gtk_widget_set_visible (self->pause_button, !paused);

  /* A menu button stays clickable whatever its items say: it would open a
   * menu of nothing but greyed items. */
  {
    static const char * const power[] = { "shutdown", "reboot", "reset", "force-off", "save" };
    gboolean any = FALSE;

    for (guint i = 0; i < G_N_ELEMENTS (power) && !any; i++)
      any = g_action_group_get_action_enabled (G_ACTION_GROUP (self->vm_actions), power[i]);
    gtk_widget_set_sensitive (self->shutdown_button, any);
    sync_row_power_submenu (self, any);
  }
}

void
_hangar_window_set_current (HangarWindow *self,
                            HangarVm     *vm)
{
  if (!g_set_object (&self->current, vm))
    return;
  hangar_vm_actions_set_vm (self->vm_actions, vm);
}

static void
on_vm_error (HangarWindow *self,
             const char   *title,
             const GError *error)
{
  hangar_window_show_error (self, title, error);
}

static void
on_vm_open (HangarWindow *self,
            HangarVm     *vm)
{
  hangar_window_show_for_machine (self, hangar_vm_get_connection (vm), hangar_vm_get_uuid (vm),
                                  HANGAR_WINDOW_SHOW_CONSOLE);
}

/* --- window actions ---------------------------------------------------------- */

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
new_vm_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  HangarConnection *connection = self->current_connection;

  /* On the selected host; with none selected the wizard offers a choice. */
  if (connection == NULL && self->current != NULL)
    connection = hangar_vm_get_connection (self->current);
  hangar_window_show_for_machine (self, connection, NULL, HANGAR_WINDOW_SHOW_CREATOR);
}

static void
vm_details_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  if (self->current != NULL)
    hangar_window_show_for_machine (self, hangar_vm_get_connection (self->current),
                                    hangar_vm_get_uuid (self->current),
                                    HANGAR_WINDOW_SHOW_EDITOR);
}

static void
vm_clone_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  if (self->current != NULL)
    hangar_clone_dialog_present (GTK_WINDOW (self), self->current);
}

static void
row_menu_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  GtkWidget *list = GTK_WIDGET (self->column_view);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  double x = gtk_widget_get_width (list) / 3.0;
  double y = 48;
  graphene_rect_t bounds;

  /* Under the focused row, where the keyboard user is looking; else near
   * the top of the list. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, list)
      && gtk_widget_compute_bounds (focus, list, &bounds))
    y = bounds.origin.y + bounds.size.height;

  if (self->current != NULL)
    _hangar_window_popup_row_menu (self, self->row_menu, list, x, y);
  else if (self->current_connection != NULL)
    _hangar_window_popup_row_menu (self, self->connection_menu, list, x, y);
}

/* --- connections ------------------------------------------------------------- */

static void
update_connection_actions (HangarWindow *self)
{
  HangarConnectionState state = self->current_connection
                                ? hangar_connection_get_state (self->current_connection)
                                : HANGAR_CONNECTION_STATE_CONNECTED;
  gboolean down = state == HANGAR_CONNECTION_STATE_DISCONNECTED
                  || state == HANGAR_CONNECTION_STATE_FAILED;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connection-connect",
                                 self->current_connection != NULL && down);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connection-disconnect",
                                 self->current_connection != NULL && !down);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connection-remove",
                                 self->current_connection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connection-details",
                                 self->current_connection != NULL
                                 && state == HANGAR_CONNECTION_STATE_CONNECTED);
}

void
_hangar_window_set_current_connection (HangarWindow     *self,
                                       HangarConnection *connection)
{
  if (self->current_connection != NULL)
    g_signal_handlers_disconnect_by_func (self->current_connection, update_connection_actions,
                                          self);
  if (!g_set_object (&self->current_connection, connection))
    {
      update_connection_actions (self);
      return;
    }
  if (connection != NULL)
    g_signal_connect_object (connection, "notify::state", G_CALLBACK (update_connection_actions),
                             self, G_CONNECT_SWAPPED);
  update_connection_actions (self);
}

static void
connection_connect_activated (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  if (self->current_connection != NULL)
    hangar_connection_open (self->current_connection);
}

static void
connection_details_activated (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  if (self->current_connection != NULL)
    hangar_host_window_present_for (GTK_APPLICATION (self->application),
                                    self->current_connection);
}

static void
connection_disconnect_activated (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  HangarWindow *self = HANGAR_WINDOW (widget);

  if (self->current_connection != NULL)
    hangar_connection_close (self->current_connection);
}

static void
strv_remove (GSettings  *settings,
             const char *key,
             const char *value)
{
  g_auto(GStrv) values = g_settings_get_strv (settings, key);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; values[i] != NULL; i++)
    if (!g_str_equal (values[i], value))
      g_strv_builder_add (builder, values[i]);
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (settings, key, (const char * const *) kept);
}

/* Forgets a connection: nothing on the host changes, so no confirmation. */
static void
connection_remove_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  g_autoptr(HangarConnection) connection = NULL;
  GSettings *settings = hangar_application_get_settings (self->application);
  g_autofree char *message = NULL;

  if (self->current_connection == NULL)
    return;
  connection = g_object_ref (self->current_connection);
  _hangar_window_set_current_connection (self, NULL);
  strv_remove (settings, "connections", hangar_connection_get_uri (connection));
  strv_remove (settings, "autoconnect", hangar_connection_get_uri (connection));
  hangar_connection_manager_remove (hangar_application_get_connections (self->application),
                                    connection);
  message = g_strdup_printf (_("Removed “%s”"), hangar_connection_get_display_name (connection));
  _hangar_window_toast (self, message);
}

/* The popover grabs the pointer: the row it was opened on never sees the
 * pointer leave or the button go up, and would stay highlighted (hovered,
 * pressed) beside the selected row. */
static void
on_row_popover_closed (HangarWindow *self)
{
  for (GtkWidget *w = self->menu_anchor;
       w != NULL && w != GTK_WIDGET (self->column_view);
       w = gtk_widget_get_parent (w))
    gtk_widget_unset_state_flags (w, GTK_STATE_FLAG_PRELIGHT | GTK_STATE_FLAG_ACTIVE);
  g_clear_weak_pointer (&self->menu_anchor);
}

/* The popovers stay parented for the window's life. Unparenting one on
 * "closed" (as a popover made per click would need) destroys it before
 * the activated item's action runs: GTK emits "closed" first, and the
 * action, looked up through the popover's ancestors, is then gone. Made
 * once, each is also measured with its accelerator labels known: a
 * popover made on the click came out a row too short. */
static GtkWidget *
row_popover_new (HangarWindow *self,
                 GMenuModel   *menu)
{
  GtkWidget *popover = gtk_popover_menu_new_from_model (menu);

  g_signal_connect_object (popover, "closed", G_CALLBACK (on_row_popover_closed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_parent (popover, GTK_WIDGET (self->column_view));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_BOTTOM);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  return popover;
}

static gboolean
is_menu_item (GtkWidget *widget)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  return role == GTK_ACCESSIBLE_ROLE_MENU_ITEM || role == GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX
         || role == GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO;
}

static gboolean
focus_first_item (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_mapped (child))
        continue;
      if (is_menu_item (child) && gtk_widget_grab_focus (child))
        return TRUE;
      if (focus_first_item (child))
        return TRUE;
    }
  return FALSE;
}

static gboolean
popup_menu_idle (gpointer user_data)
{
  GtkWidget *popover = user_data;
  HangarWindow *self = HANGAR_WINDOW (gtk_widget_get_root (popover));
  GtkWidget *focus;

  self->menu_popup_source = 0;
  gtk_popover_popup (GTK_POPOVER (popover));
  /* A popover gives the focus to its first item only when it has none
   * inside. Closed from a submenu (Shut Down ▸ Save), it keeps it on the
   * main page's scrolled window: the next menu would open with no item
   * focused, and after Shift+F10 Return would do nothing. */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus == NULL || !gtk_widget_is_ancestor (focus, popover)
      || !gtk_widget_get_mapped (focus) || !is_menu_item (focus))
    focus_first_item (popover);
  return G_SOURCE_REMOVE;
}

void
_hangar_window_popup_row_menu (HangarWindow *self,
                               GMenuModel   *menu,
                               GtkWidget    *widget,
                               double        x,
                               double        y)
{
  GtkWidget *popover = menu == self->row_menu ? self->row_popover : self->connection_popover;
  double px = x, py = y;

  if (!gtk_widget_translate_coordinates (widget, GTK_WIDGET (self->column_view), x, y, &px, &py))
    px = x, py = y;

  g_set_weak_pointer (&self->menu_anchor, widget);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover),
                               &(GdkRectangle) { (int) px, (int) py, 1, 1 });
  /* Selecting the row has just shown and hidden items (hidden-when); the
   * menu's separators follow in an idle of GTK's own. Popped up before it,
   * the popover keeps the height without them and cuts off its last item. */
  g_clear_handle_id (&self->menu_popup_source, g_source_remove);
  self->menu_popup_source = g_idle_add_full (G_PRIORITY_LOW, popup_menu_idle,
                                             g_object_ref (popover), g_object_unref);
}

void
_hangar_window_actions_init (HangarWindow *self)
{
  self->row_popover = row_popover_new (self, self->row_menu);
  self->connection_popover = row_popover_new (self, self->connection_menu);

  self->vm_actions = hangar_vm_actions_new (GTK_WINDOW (self));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "vm", G_ACTION_GROUP (self->vm_actions));
  g_signal_connect_object (self->vm_actions, "error", G_CALLBACK (on_vm_error), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vm_actions, "message", G_CALLBACK (_hangar_window_toast), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vm_actions, "open", G_CALLBACK (on_vm_open), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vm_actions, "action-enabled-changed",
                           G_CALLBACK (_hangar_window_actions_update), self, G_CONNECT_SWAPPED);
  _hangar_window_actions_update (self);
  update_connection_actions (self);
}

void
_hangar_window_actions_class_init (GtkWidgetClass *widget_class);

void
_hangar_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.new-vm", NULL, new_vm_activated);
  gtk_widget_class_install_action (widget_class, "win.row-menu", NULL, row_menu_activated);
  gtk_widget_class_install_action (widget_class, "win.vm-details", NULL, vm_details_activated);
  gtk_widget_class_install_action (widget_class, "win.vm-clone", NULL, vm_clone_activated);
  gtk_widget_class_install_action (widget_class, "win.connection-connect", NULL,
                                   connection_connect_activated);
  gtk_widget_class_install_action (widget_class, "win.connection-disconnect", NULL,
                                   connection_disconnect_activated);
  gtk_widget_class_install_action (widget_class, "win.connection-remove", NULL,
                                   connection_remove_activated);
  gtk_widget_class_install_action (widget_class, "win.connection-details", NULL,
                                   connection_details_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-vm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "win.row-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "win.row-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "vm.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "vm.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "vm.toggle-pause", NULL);
}
