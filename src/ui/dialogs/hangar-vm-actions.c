/* hangar-vm-actions.c — the vm.* actions, for whichever machine a window shows.
 *
 * The main window points this group at the selected machine, a machine
 * window at its own. Which actions are enabled is decided in one place,
 * update(), from the machine's state. Results are reported with signals so
 * each window shows them its own way (toasts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-delete-dialog.h"
#include "hangar-vm-actions.h"

struct _HangarVmActions
{
  GSimpleActionGroup  parent_instance;

  GtkWindow          *parent;   /* weak */
  HangarVm           *vm;
  GSignalGroup       *vm_signals;
};

enum {
  SIG_ERROR,
  SIG_MESSAGE,
  SIG_OPEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarVmActions, hangar_vm_actions, G_TYPE_SIMPLE_ACTION_GROUP)

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
set_enabled (HangarVmActions *self,
             const char      *name,
             gboolean         enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update (HangarVmActions *self)
{
  HangarVm *vm = self->vm;

  for (guint i = 0; i < G_N_ELEMENTS (op_actions); i++)
    set_enabled (self, op_actions[i].name, vm && hangar_vm_can_run_op (vm, op_actions[i].op));
  set_enabled (self, "toggle-pause",
               vm && (hangar_vm_can_run_op (vm, HANGAR_VM_OP_PAUSE)
                      || hangar_vm_can_run_op (vm, HANGAR_VM_OP_RESUME)));
  set_enabled (self, "open", vm != NULL);
  set_enabled (self, "delete", vm != NULL);
}

/* @format says what failed, with one %s for the machine's name. */
static void
report_error (HangarVmActions *self,
              HangarVm        *vm,
              const char      *format,
              const GError    *error)
{
  g_autofree char *title = NULL;

  /* The formats are ours (hangar_vm_op_describe and the literals below). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  title = g_strdup_printf (format, hangar_vm_get_name (vm));
#pragma GCC diagnostic pop

  g_signal_emit (self, signals[SIG_ERROR], 0, title, error);
}

/* --- lifecycle --------------------------------------------------------------- */

typedef struct
{
  HangarVmActions *self;
  HangarVmOp       op;
} OpContext;

static void
op_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  OpContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  if (!hangar_vm_run_op_finish (HANGAR_VM (object), result, &error))
    report_error (ctx->self, HANGAR_VM (object), hangar_vm_op_describe (ctx->op), error);
  g_object_unref (ctx->self);
  g_free (ctx);
}

static void
run_op (HangarVmActions *self,
        HangarVmOp       op)
{
  OpContext *ctx;

  if (self->vm == NULL || !hangar_vm_can_run_op (self->vm, op))
    return;

  ctx = g_new0 (OpContext, 1);
  ctx->self = g_object_ref (self);
  ctx->op = op;
  hangar_vm_run_op_async (self->vm, op, NULL, op_done, ctx);
}

/* --- Force Off and Force Reset ask first ------------------------------------------ */

typedef struct
{
  HangarVmActions *self;
  HangarVm        *vm;
  HangarVmOp       op;
  GtkCheckButton  *dont_ask;
} ConfirmContext;

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  ConfirmContext *ctx = user_data;

  if (g_str_equal (response, "confirm"))
    {
      if (gtk_check_button_get_active (ctx->dont_ask))
        {
          g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

          g_settings_set_boolean (settings, "confirm-force", FALSE);
        }
      /* The machine asked about, even if the window moved on meanwhile. */
      if (hangar_vm_can_run_op (ctx->vm, ctx->op))
        {
          OpContext *op_ctx = g_new0 (OpContext, 1);

          op_ctx->self = g_object_ref (ctx->self);
          op_ctx->op = ctx->op;
          hangar_vm_run_op_async (ctx->vm, ctx->op, NULL, op_done, op_ctx);
        }
    }
  g_object_unref (ctx->self);
  g_object_unref (ctx->vm);
  g_free (ctx);
}

/* Force Off pulls the plug and Force Reset presses the reset button: what
 * the guest had not saved is lost, so both ask, unless the user said not
 * to (the "confirm-force" setting). */
static gboolean
confirm_force (HangarVmActions *self,
               HangarVmOp       op)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autofree char *heading = NULL;
  ConfirmContext *ctx;
  AdwMessageDialog *dialog;
  const char *body, *label;

  if (!g_settings_get_boolean (settings, "confirm-force"))
    return FALSE;

  if (op == HANGAR_VM_OP_FORCE_OFF)
    {
      heading = g_strdup_printf (_("Force Off “%s”?"), hangar_vm_get_name (self->vm));
      body = _("The machine stops at once, as if its power cord were pulled. "
               "Anything not saved in it is lost.");
      label = _("_Force Off");
    }
  else
    {
      heading = g_strdup_printf (_("Force Reset “%s”?"), hangar_vm_get_name (self->vm));
      body = _("The machine restarts at once, as if its reset button were pressed. "
               "Anything not saved in it is lost.");
      label = _("_Force Reset");
    }

  ctx = g_new0 (ConfirmContext, 1);
  ctx->self = g_object_ref (self);
  ctx->vm = g_object_ref (self->vm);
  ctx->op = op;
  ctx->dont_ask = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("_Don’t ask again")));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (self->parent, heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "confirm", label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (ctx->dont_ask));
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), ctx);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
op_activated (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  HangarVmActions *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  for (guint i = 0; i < G_N_ELEMENTS (op_actions); i++)
    if (g_str_equal (op_actions[i].name, name))
      {
        HangarVmOp op = op_actions[i].op;

        if (self->vm != NULL && hangar_vm_can_run_op (self->vm, op)
            && (op == HANGAR_VM_OP_FORCE_OFF || op == HANGAR_VM_OP_RESET)
            && confirm_force (self, op))
          return;
        run_op (self, op);
      }
}

static void
toggle_pause_activated (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  HangarVmActions *self = user_data;

  if (self->vm == NULL)
    return;
  run_op (self, hangar_vm_can_run_op (self->vm, HANGAR_VM_OP_RESUME)
                ? HANGAR_VM_OP_RESUME : HANGAR_VM_OP_PAUSE);
}

static void
open_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  HangarVmActions *self = user_data;

  if (self->vm != NULL)
    g_signal_emit (self, signals[SIG_OPEN], 0, self->vm);
}

/* --- delete ------------------------------------------------------------------ */

typedef struct
{
  HangarVmActions  *self;
  HangarVm         *vm;
  char            **paths;
} DeleteContext;

static DeleteContext *
delete_context_new (HangarVmActions *self,
                    HangarVm        *vm)
{
  DeleteContext *ctx = g_new0 (DeleteContext, 1);

  ctx->self = g_object_ref (self);
  ctx->vm = g_object_ref (vm);
  return ctx;
}

static void
delete_context_free (DeleteContext *ctx)
{
  g_object_unref (ctx->self);
  g_object_unref (ctx->vm);
  g_strfreev (ctx->paths);
  g_free (ctx);
}

static void
delete_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DeleteContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  if (!hangar_vm_delete_finish (ctx->vm, result, &error))
    report_error (ctx->self, ctx->vm, _("Could not delete “%s”"), error);
  else
    {
      g_autofree char *message = g_strdup_printf (_("“%s” was deleted"),
                                                  hangar_vm_get_name (ctx->vm));
      g_signal_emit (ctx->self, signals[SIG_MESSAGE], 0, message);
    }
  delete_context_free (ctx);
}

static void
start_delete (DeleteContext *ctx)
{
  hangar_vm_delete_async (ctx->vm, (const char * const *) ctx->paths, NULL, delete_done, ctx);
}

static void
force_off_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DeleteContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  /* Once this returns the daemon has stopped it; the event follows. */
  if (!hangar_vm_run_op_finish (ctx->vm, result, &error))
    {
      report_error (ctx->self, ctx->vm, _("Could not delete “%s”"), error);
      delete_context_free (ctx);
      return;
    }
  start_delete (ctx);
}

static void
on_force_off_response (AdwMessageDialog *dialog,
                       const char       *response,
                       DeleteContext    *ctx)
{
  if (g_str_equal (response, "force-off"))
    hangar_vm_run_op_async (ctx->vm, HANGAR_VM_OP_FORCE_OFF, NULL, force_off_done, ctx);
  else
    delete_context_free (ctx);
}

static void
confirm_force_off (DeleteContext *ctx)
{
  g_autofree char *heading = g_strdup_printf (_("Force “%s” off?"), hangar_vm_get_name (ctx->vm));
  AdwMessageDialog *confirm;

  /* Second confirmation: forcing off loses whatever the guest had not saved. */
  confirm = ADW_MESSAGE_DIALOG (adw_message_dialog_new (ctx->self->parent, heading,
                                _("The machine is running. It will be turned off at once, "
                                  "like pulling the plug: anything the guest has not saved "
                                  "will be lost.")));
  adw_message_dialog_add_responses (confirm, "cancel", _("_Cancel"),
                                    "force-off", _("_Force Off and Delete"), NULL);
  adw_message_dialog_set_response_appearance (confirm, "force-off", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (confirm, "cancel");
  adw_message_dialog_set_close_response (confirm, "cancel");
  g_signal_connect (confirm, "response", G_CALLBACK (on_force_off_response), ctx);
  gtk_window_present (GTK_WINDOW (confirm));
}

static void
on_delete_response (HangarDeleteDialog *dialog,
                    const char         *response,
                    HangarVmActions    *self)
{
  DeleteContext *ctx;

  if (!g_str_equal (response, "delete"))
    return;

  ctx = delete_context_new (self, hangar_delete_dialog_get_vm (dialog));
  ctx->paths = hangar_delete_dialog_get_selected_paths (dialog);
  if (hangar_vm_is_active (ctx->vm))
    confirm_force_off (ctx);
  else
    start_delete (ctx);
}

static void
list_disks_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HangarVmActions) self = user_data;
  HangarVm *vm = HANGAR_VM (object);
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  disks = hangar_vm_list_disks_finish (vm, result, &error);
  if (disks == NULL)
    {
      report_error (self, vm, _("Could not delete “%s”"), error);
      return;
    }

  dialog = hangar_delete_dialog_new (self->parent, vm, disks);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_activated (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  HangarVmActions *self = user_data;

  if (self->vm == NULL)
    return;
  hangar_vm_list_disks_async (self->vm, NULL, list_disks_done, g_object_ref (self));
}

static const GActionEntry entries[] = {
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

/* --- object ------------------------------------------------------------------ */

static void
hangar_vm_actions_dispose (GObject *object)
{
  HangarVmActions *self = (HangarVmActions *)object;

  g_clear_weak_pointer (&self->parent);
  g_clear_object (&self->vm_signals);
  g_clear_object (&self->vm);

  G_OBJECT_CLASS (hangar_vm_actions_parent_class)->dispose (object);
}

static void
hangar_vm_actions_class_init (HangarVmActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_vm_actions_dispose;

  /**
   * HangarVmActions::error:
   * @title: what failed, for people
   * @error: why
   */
  signals[SIG_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
  signals[SIG_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * HangarVmActions::open:
   *
   * vm.open was activated: the owner decides where the machine opens.
   */
  signals[SIG_OPEN] =
    g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HANGAR_TYPE_VM);
}

static void
hangar_vm_actions_init (HangarVmActions *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  self->vm_signals = g_signal_group_new (HANGAR_TYPE_VM);
  g_signal_group_connect_swapped (self->vm_signals, "notify::state", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->vm_signals, "notify::persistent", G_CALLBACK (update),
                                  self);
  update (self);
}

/**
 * hangar_vm_actions_new:
 * @parent: (nullable): the window dialogs are attached to
 */
HangarVmActions *
hangar_vm_actions_new (GtkWindow *parent)
{
  HangarVmActions *self = g_object_new (HANGAR_TYPE_VM_ACTIONS, NULL);

  g_set_weak_pointer (&self->parent, parent);
  return self;
}

/**
 * hangar_vm_actions_get_vm:
 *
 * Returns: (transfer none) (nullable): the machine the actions act on
 */
HangarVm *
hangar_vm_actions_get_vm (HangarVmActions *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_ACTIONS (self), NULL);
  return self->vm;
}

void
hangar_vm_actions_set_vm (HangarVmActions *self,
                          HangarVm        *vm)
{
  g_return_if_fail (HANGAR_IS_VM_ACTIONS (self));
  g_return_if_fail (vm == NULL || HANGAR_IS_VM (vm));

  if (!g_set_object (&self->vm, vm))
    return;
  g_signal_group_set_target (self->vm_signals, vm);
  update (self);
}
