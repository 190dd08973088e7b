/* hangar-window-actions.c — the vm.* and win.* actions of the main window.
 *
 * The vm.* group always acts on the selected machine; one function,
 * _hangar_window_actions_update(), decides what is enabled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-delete-dialog.h"
#include "hangar-vm.h"
#include "hangar-window-private.h"

typedef struct
{
  const char *name;
  HangarVmOp  op;
} OpAction;

static const OpAction op_actions[] = {
  { "start", HANGAR_VM_OP_START },
  { "pause", HANGAR_VM_OP_PAUSE },
  { "resume", HANGAR_VM_OP_RESUME },
  { "shutdown", HANGAR_VM_OP_SHUTDOWN },
  { "reboot", HANGAR_VM_OP_REBOOT },
  { "reset", HANGAR_VM_OP_RESET },
  { "force-off", HANGAR_VM_OP_FORCE_OFF },
  { "save", HANGAR_VM_OP_SAVE },
};

static void
set_enabled (HangarWindow *self,
             const char   *name,
             gboolean      enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->vm_actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
_hangar_window_actions_update (HangarWindow *self)
{
  HangarVm *vm = self->current;
  gboolean paused;

  for (guint i = 0; i < G_N_ELEMENTS (op_actions); i++)
    set_enabled (self, op_actions[i].name, vm && hangar_vm_can_run_op (vm, op_actions[i].op));
  set_enabled (self, "toggle-pause",
               vm && (hangar_vm_can_run_op (vm, HANGAR_VM_OP_PAUSE)
                      || hangar_vm_can_run_op (vm, HANGAR_VM_OP_RESUME)));
  set_enabled (self, "open", vm != NULL);
  set_enabled (self, "delete", vm != NULL);

  /* One button in the header: Pause, or Resume while paused. */
  paused = vm && hangar_vm_can_run_op (vm, HANGAR_VM_OP_RESUME);
  gtk_widget_set_visible (self->resume_button, paused);
  gtk_widget_set_visible (self->pause_button, !paused);
}

void
_hangar_window_set_current (HangarWindow *self,
                            HangarVm     *vm)
{
  if (!g_set_object (&self->current, vm))
    return;
  g_signal_group_set_target (self->current_signals, vm);
  _hangar_window_actions_update (self);
}

/* --- lifecycle --------------------------------------------------------------- */

typedef struct
{
  HangarWindow *self;
  HangarVmOp    op;
} OpContext;

static void
op_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  OpContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  if (!hangar_vm_run_op_finish (HANGAR_VM (object), result, &error))
    {
      g_autofree char *title = g_strdup_printf ("%s “%s”", hangar_vm_op_describe (ctx->op),
                                                hangar_vm_get_name (HANGAR_VM (object)));
      hangar_window_show_error (ctx->self, title, error);
    }
  g_object_unref (ctx->self);
  g_free (ctx);
}

static void
run_op (HangarWindow *self,
        HangarVmOp    op)
{
  OpContext *ctx;

  if (self->current == NULL || !hangar_vm_can_run_op (self->current, op))
    return;

  ctx = g_new0 (OpContext, 1);
  ctx->self = g_object_ref (self);
  ctx->op = op;
  hangar_vm_run_op_async (self->current, op, NULL, op_done, ctx);
}

static void
op_activated (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  HangarWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  for (guint i = 0; i < G_N_ELEMENTS (op_actions); i++)
    if (g_str_equal (op_actions[i].name, name))
      run_op (self, op_actions[i].op);
}

static void
toggle_pause_activated (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  HangarWindow *self = user_data;

  if (self->current == NULL)
    return;
  run_op (self, hangar_vm_can_run_op (self->current, HANGAR_VM_OP_RESUME)
                ? HANGAR_VM_OP_RESUME : HANGAR_VM_OP_PAUSE);
}

static void
open_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  HangarWindow *self = user_data;

  if (self->current == NULL)
    return;
  hangar_window_show_for_machine (self, hangar_vm_get_connection (self->current),
                                  hangar_vm_get_name (self->current), HANGAR_WINDOW_SHOW_CONSOLE);
}

/* --- delete ------------------------------------------------------------------ */

static void
delete_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HangarWindow) self = user_data;
  HangarVm *vm = HANGAR_VM (object);
  g_autoptr(GError) error = NULL;

  if (!hangar_vm_delete_finish (vm, result, &error))
    {
      g_autofree char *title = g_strdup_printf (_("Could not delete “%s”"),
                                                hangar_vm_get_name (vm));
      hangar_window_show_error (self, title, error);
      return;
    }
  {
    g_autofree char *message = g_strdup_printf (_("“%s” was deleted"), hangar_vm_get_name (vm));
    _hangar_window_toast (self, message);
  }
}

typedef struct
{
  HangarWindow  *self;
  HangarVm      *vm;
  char         **paths;
} DeleteContext;

static void
delete_context_free (DeleteContext *ctx)
{
  g_object_unref (ctx->self);
  g_object_unref (ctx->vm);
  g_strfreev (ctx->paths);
  g_free (ctx);
}

static void
force_off_then_delete_done (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  DeleteContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  /* The daemon has stopped it once this returns; the event follows. */
  if (!hangar_vm_run_op_finish (ctx->vm, result, &error))
    {
      g_autofree char *title = g_strdup_printf (_("Could not delete “%s”"),
                                                hangar_vm_get_name (ctx->vm));
      hangar_window_show_error (ctx->self, title, error);
    }
  else
    hangar_vm_delete_async (ctx->vm, (const char * const *) ctx->paths, NULL, delete_done,
                            g_object_ref (ctx->self));
  delete_context_free (ctx);
}

static void
on_force_off_response (AdwMessageDialog *dialog,
                       const char       *response,
                       DeleteContext    *ctx)
{
  if (g_str_equal (response, "force-off"))
    {
      hangar_vm_run_op_async (ctx->vm, HANGAR_VM_OP_FORCE_OFF, NULL, force_off_then_delete_done,
                              ctx);
      return;
    }
  delete_context_free (ctx);
}

static void
on_delete_response (HangarDeleteDialog *dialog,
                    const char         *response,
                    HangarWindow       *self)
{
  HangarVm *vm = hangar_delete_dialog_get_vm (dialog);
  g_auto(GStrv) paths = NULL;

  if (!g_str_equal (response, "delete"))
    return;

  paths = hangar_delete_dialog_get_selected_paths (dialog);

  if (hangar_vm_is_active (vm))
    {
      /* Second confirmation: forcing off loses whatever the guest had not saved. */
      DeleteContext *ctx = g_new0 (DeleteContext, 1);
      AdwMessageDialog *confirm;
      g_autofree char *heading = g_strdup_printf (_("Force “%s” off?"), hangar_vm_get_name (vm));

      ctx->self = g_object_ref (self);
      ctx->vm = g_object_ref (vm);
      ctx->paths = g_steal_pointer (&paths);

      confirm = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                    _("The machine is running. It is turned off at once, like "
                                      "pulling the plug; anything the guest has not saved is "
                                      "lost.")));
      adw_message_dialog_add_responses (confirm, "cancel", _("_Cancel"),
                                        "force-off", _("_Force Off and Delete"), NULL);
      adw_message_dialog_set_response_appearance (confirm, "force-off",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (confirm, "cancel");
      adw_message_dialog_set_close_response (confirm, "cancel");
      g_signal_connect (confirm, "response", G_CALLBACK (on_force_off_response), ctx);
      gtk_window_present (GTK_WINDOW (confirm));
      return;
    }

  hangar_vm_delete_async (vm, (const char * const *) paths, NULL, delete_done,
                          g_object_ref (self));
}

static void
list_disks_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HangarWindow) self = user_data;
  HangarVm *vm = HANGAR_VM (object);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  disks = hangar_vm_list_disks_finish (vm, result, &error);
  if (disks == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Could not delete “%s”"),
                                                hangar_vm_get_name (vm));
      hangar_window_show_error (self, title, error);
      return;
    }

  dialog = hangar_delete_dialog_new (GTK_WINDOW (self), vm, disks);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_activated (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  HangarWindow *self = user_data;

  if (self->current == NULL)
    return;
  hangar_vm_list_disks_async (self->current, NULL, list_disks_done, g_object_ref (self));
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
  hangar_window_show_for_machine (HANGAR_WINDOW (widget), NULL, NULL, HANGAR_WINDOW_SHOW_CREATOR);
}

static void
row_menu_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  HangarWindow *self = HANGAR_WINDOW (widget);
  int width = gtk_widget_get_width (GTK_WIDGET (self->column_view));

  if (self->current != NULL)
    _hangar_window_popup_row_menu (self, GTK_WIDGET (self->column_view), width / 3.0, 48);
}

void
_hangar_window_popup_row_menu (HangarWindow *self,
                               GtkWidget    *widget,
                               double        x,
                               double        y)
{
  GtkWidget *popover = gtk_popover_menu_new_from_model (self->row_menu);
  double px = x, py = y;

  if (!gtk_widget_translate_coordinates (widget, GTK_WIDGET (self->column_view), x, y, &px, &py))
    px = x, py = y;

  gtk_widget_set_parent (popover, GTK_WIDGET (self->column_view));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_BOTTOM);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover),
                               &(GdkRectangle) { (int) px, (int) py, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static const GActionEntry vm_entries[] = {
  { "start", op_activated },
  { "pause", op_activated },
  { "resume", op_activated },
  { "toggle-pause", toggle_pause_activated },
  { "shutdown", op_activated },
  { "reboot", op_activated },
  { "reset", op_activated },
  { "force-off", op_activated },
  { "save", op_activated },
  { "open", open_activated },
  { "delete", delete_activated },
};

void
_hangar_window_actions_init (HangarWindow *self)
{
  self->vm_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->vm_actions), vm_entries,
                                   G_N_ELEMENTS (vm_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "vm", G_ACTION_GROUP (self->vm_actions));

  self->current_signals = g_signal_group_new (HANGAR_TYPE_VM);
  g_signal_group_connect_swapped (self->current_signals, "notify::state",
                                  G_CALLBACK (_hangar_window_actions_update), self);
  g_signal_group_connect_swapped (self->current_signals, "notify::persistent",
                                  G_CALLBACK (_hangar_window_actions_update), self);
  _hangar_window_actions_update (self);
}

void
_hangar_window_actions_class_init (GtkWidgetClass *widget_class);

void
_hangar_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.new-vm", NULL, new_vm_activated);
  gtk_widget_class_install_action (widget_class, "win.row-menu", NULL, row_menu_activated);

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
