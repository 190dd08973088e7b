/* hangar-host-window-storage.c — the host window's storage page: pools, and
 * the volumes of the selected pool.
 *
 * Nothing here runs until the page is first shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-accessible.h"
#include "hangar-connection.h"
#include "hangar-host-window-private.h"
#include "hangar-plain-text.h"

const char *
_hangar_host_pool_type_label (const char *type)
{
  static const struct { const char *type; const char *label; } labels[] = {
    { "dir", N_("Folder") },
    { "fs", N_("File system") },
    { "netfs", N_("Network file system") },
    { "logical", N_("LVM volume group") },
    { "iscsi", N_("iSCSI target") },
    { "iscsi-direct", N_("iSCSI target") },
    { "disk", N_("Physical disk") },
    { "scsi", N_("SCSI adapter") },
    { "mpath", N_("Multipath devices") },
    { "rbd", N_("Ceph RBD") },
    { "gluster", N_("Gluster") },
    { "zfs", N_("ZFS") },
  };

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].type, type))
      return _(labels[i].label);
  return type ? type : _("Unknown type");
}

static const char *
pool_type_icon (const char *type)
{
  if (g_strcmp0 (type, "dir") == 0)
    return "folder-symbolic";
  if (g_strcmp0 (type, "netfs") == 0)
    return "folder-remote-symbolic";
  if (g_strcmp0 (type, "iscsi") == 0 || g_strcmp0 (type, "iscsi-direct") == 0)
    return "network-server-symbolic";
  return "drive-harddisk-symbolic";
}

static GMenuModel *
pool_menu (HangarHostPool *pool)
{
  GMenu *menu = g_menu_new ();
  GVariant *target = g_variant_new_string (pool->name);
  g_autoptr(GMenuItem) item = NULL;

  g_variant_ref_sink (target);
#define ADD(label, action) \
  G_STMT_START { \
    item = g_menu_item_new (label, NULL); \
    g_menu_item_set_action_and_target_value (item, action, target); \
    g_menu_append_item (menu, item); \
    g_clear_object (&item); \
  } G_STMT_END
  if (pool->active)
    {
      ADD (_("_Refresh"), "host.pool-refresh");
      ADD (_("S_top"), "host.pool-stop");
    }
  else
    ADD (_("_Start"), "host.pool-start");
  if (pool->persistent)
    {
      if (pool->autostart)
        ADD (_("Do_n’t Start with the Host"), "host.pool-autostart-off");
      else
        ADD (_("Start with the _Host"), "host.pool-autostart-on");
    }
  ADD (_("_Delete…"), "host.pool-delete");
#undef ADD
  g_variant_unref (target);
  return G_MENU_MODEL (menu);
}

static GtkWidget *
create_pool_row (gpointer item,
                 gpointer user_data)
{
  HangarHostPool *pool = item;
  GtkWidget *row = hangar_row_plain (adw_action_row_new ());
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenuModel) menu = pool_menu (pool);
  g_autoptr(GString) subtitle = g_string_new (_hangar_host_pool_type_label (pool->type));

  g_string_append_printf (subtitle, " · %s", pool->active ? _("running") : _("stopped"));
  if (pool->active && pool->capacity > 0)
    {
      g_autofree char *used = _hangar_host_format_bytes (pool->allocation);
      g_autofree char *capacity = _hangar_host_format_bytes (pool->capacity);
      g_autofree char *available = _hangar_host_format_bytes (pool->available);
      GtkWidget *level = gtk_level_bar_new_for_interval (0, 1);

      /* Translators: storage pool use: used, capacity, free */
      g_string_append_printf (subtitle, _(" · %s used of %s, %s free"), used, capacity,
                              available);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (level),
                               (double) pool->allocation / (double) pool->capacity);
      gtk_widget_set_size_request (level, 80, -1);
      gtk_widget_set_valign (level, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), level);
    }
  if (pool->autostart)
    g_string_append_printf (subtitle, " · %s", _("starts with the host"));
  if (pool->source != NULL && pool->path != NULL)
    /* Translators: a storage pool's source, then where it appears on the host */
    g_string_append_printf (subtitle, _("\n%s on %s"), pool->source, pool->path);
  else if (pool->path != NULL)
    g_string_append_printf (subtitle, "\n%s", pool->path);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pool->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (pool_type_icon (pool->type)));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), menu);
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_widget_set_tooltip_text (menu_button, _("Pool actions"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (pool), g_object_unref);
  hangar_accessible_name_row_controls (row);
  return row;
}

static GtkWidget *
create_volume_row (gpointer item,
                   gpointer user_data)
{
  HangarHostVolume *vol = item;
  GtkWidget *row = hangar_row_plain (adw_action_row_new ());
  g_autofree char *capacity = _hangar_host_format_bytes (vol->capacity);
  g_autofree char *allocation = _hangar_host_format_bytes (vol->allocation);
  g_autoptr(GString) subtitle = g_string_new (vol->format ? vol->format : _("unknown format"));

  /* Translators: a volume's size, and how much of it is on disk */
  g_string_append_printf (subtitle, _(" · %s (%s on disk)"), capacity, allocation);
  if (vol->users != NULL && vol->users[0] != NULL)
    {
      g_autofree char *users = g_strjoinv (", ", vol->users);

      /* Translators: the machines that have this volume as a disk */
      g_string_append_printf (subtitle, _(" · used by %s"), users);
    }
  else
    g_string_append_printf (subtitle, " · %s", _("not used by any machine"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), vol->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("drive-harddisk-symbolic"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             _hangar_host_action_button ("user-trash-symbolic", _("Delete"),
                                                         "host.volume-delete", vol->name));
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (vol), g_object_unref);
  hangar_accessible_name_row_controls (row);
  return row;
}

static HangarHostPool *
find_pool (HangarHostWindow *self,
           const char       *name,
           guint            *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->pools));

  for (guint i = 0; name != NULL && i < n; i++)
    {
      g_autoptr(HangarHostPool) pool = g_list_model_get_item (G_LIST_MODEL (self->pools), i);

      if (g_str_equal (pool->name, name))
        {
          if (position != NULL)
            *position = i;
          return pool;  /* the store keeps it alive */
        }
    }
  return NULL;
}

void
_hangar_host_window_update_storage_actions (HangarHostWindow *self)
{
  HangarHostPool *pool = find_pool (self, self->selected_pool, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "host.new-volume",
                                 pool != NULL && pool->active);
}

/* --- listing -------------------------------------------------------------------------- */

static void
on_volumes_listed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = hangar_host_list_finish (result, &error);
  HangarHostWindow *self = user_data;

  if (_hangar_host_window_cancelled (error))
    return;
  _hangar_host_window_job_done (self);
  _hangar_host_window_replace (self->volumes, rows);
  if (rows == NULL)
    hangar_group_set_plain_description (self->volumes_group, error->message);
  else if (rows->len == 0)
    adw_preferences_group_set_description (self->volumes_group, _("This pool has no volumes."));
}

void
_hangar_host_window_load_volumes (HangarHostWindow *self)
{
  HangarHostPool *pool = find_pool (self, self->selected_pool, NULL);
  g_autofree char *title = NULL;

  _hangar_host_window_update_storage_actions (self);
  if (pool == NULL)
    {
      _hangar_host_window_replace (self->volumes, NULL);
      adw_preferences_group_set_title (self->volumes_group, _("Volumes"));
      adw_preferences_group_set_description (self->volumes_group, _("Select a pool."));
      return;
    }
  /* Translators: the title over a storage pool's volumes */
  title = g_strdup_printf (_("Volumes in “%s”"), pool->name);
  hangar_group_set_plain_title (self->volumes_group, title);
  if (!pool->active)
    {
      _hangar_host_window_replace (self->volumes, NULL);
      adw_preferences_group_set_description (self->volumes_group,
                                             _("The pool is stopped: start it to see its "
                                               "volumes."));
      return;
    }
  adw_preferences_group_set_description (self->volumes_group, NULL);
  _hangar_host_window_job_started (self);
  hangar_host_list_volumes_async (self->connection, pool->name, self->cancellable,
                                  on_volumes_listed, self);
}

static void
select_pool (HangarHostWindow *self,
             const char       *name)
{
  guint position;

  if (find_pool (self, name, &position))
    gtk_list_box_select_row (self->pools_list,
                             gtk_list_box_get_row_at_index (self->pools_list, position));
}

static void
on_pool_row_selected (HangarHostWindow *self,
                      GtkListBoxRow    *row)
{
  HangarHostPool *pool;

  /* Rows go away while the list is replaced: the choice stays. */
  if (row == NULL)
    return;
  pool = g_object_get_data (G_OBJECT (row), "item");
  if (pool == NULL)
    pool = g_object_get_data (G_OBJECT (gtk_list_box_row_get_child (row)), "item");
  if (pool == NULL)
    return;
  g_free (self->selected_pool);
  self->selected_pool = g_strdup (pool->name);
  _hangar_host_window_load_volumes (self);
}

static void
on_pools_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = hangar_host_list_finish (result, &error);
  HangarHostWindow *self = user_data;
  g_autofree char *selected = NULL;

  if (_hangar_host_window_cancelled (error))
    return;
  _hangar_host_window_job_done (self);
  if (rows == NULL)
    {
      hangar_group_set_plain_description (self->pools_group, error->message);
      return;
    }
  adw_preferences_group_set_description (self->pools_group,
                                         rows->len == 0 ? _("This host has no storage pools.")
                                                        : NULL);
  selected = g_strdup (self->selected_pool);
  _hangar_host_window_replace (self->pools, rows);
  if (selected == NULL || find_pool (self, selected, NULL) == NULL)
    {
      g_clear_pointer (&selected, g_free);
      if (rows->len > 0)
        selected = g_strdup (HANGAR_HOST_POOL (g_ptr_array_index (rows, 0))->name);
    }
  g_clear_pointer (&self->selected_pool, g_free);
  if (selected != NULL)
    select_pool (self, selected);
  if (self->selected_pool == NULL)
    _hangar_host_window_load_volumes (self);
}

void
_hangar_host_window_load_pools (HangarHostWindow *self)
{
  self->n_pool_listings++;
  _hangar_host_window_job_started (self);
  hangar_host_list_pools_async (self->connection, self->cancellable, on_pools_listed, self);
}

/* --- changes -------------------------------------------------------------------------- */

typedef enum
{
  STORAGE_POOL,
  STORAGE_VOLUME,
} StorageTarget;

typedef struct
{
  HangarHostWindow     *self;   /* not a reference: see _hangar_host_window_cancelled */
  StorageTarget         target;
  char                 *pool;
  char                 *name;
  HangarHostAction      action;
  gboolean              create;
  HangarHostFormDialog *form;
} StorageOp;

static void
storage_op_free (StorageOp *op)
{
  g_free (op->pool);
  g_free (op->name);
  g_clear_object (&op->form);
  g_free (op);
}

static StorageOp *
storage_op_new (HangarHostWindow *self,
                StorageTarget     target,
                const char       *pool,
                const char       *name)
{
  StorageOp *op = g_new0 (StorageOp, 1);

  op->self = self;
  op->target = target;
  op->pool = g_strdup (pool);
  op->name = g_strdup (name);
  return op;
}

/* A creation started from @form: _hangar_host_window_storage_done() shows
 * its result in the form, and closes it when all went well. */
gpointer
_hangar_host_window_storage_create_op (HangarHostWindow     *self,
                                       gboolean              volume,
                                       const char           *pool,
                                       const char           *name,
                                       HangarHostFormDialog *form)
{
  StorageOp *op = storage_op_new (self, volume ? STORAGE_VOLUME : STORAGE_POOL, pool, name);

  op->create = TRUE;
  op->form = g_object_ref (form);
  return op;
}

static void confirm_forced_delete (HangarHostWindow *self,
                                   const char       *pool,
                                   const char       *volume,
                                   const GError     *error);

static const char *
pool_heading (HangarHostAction action)
{
  switch (action)
    {
    case HANGAR_HOST_ACTION_START:
      return _("Pool Not Started");
    case HANGAR_HOST_ACTION_STOP:
      return _("Pool Not Stopped");
    case HANGAR_HOST_ACTION_REFRESH:
      return _("Pool Not Refreshed");
    case HANGAR_HOST_ACTION_DELETE:
      return _("Pool Not Deleted");
    default:
      return _("Pool Not Changed");
    }
}

void
_hangar_host_window_storage_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  StorageOp *op = user_data;
  HangarHostWindow *self = op->self;
  g_autoptr(GError) error = NULL;

  if (!hangar_host_op_finish (result, &error) && _hangar_host_window_cancelled (error))
    {
      storage_op_free (op);
      return;
    }
  _hangar_host_window_job_done (self);

  if (op->form != NULL)
    {
      hangar_host_form_dialog_set_busy (op->form, FALSE);
      /* The user may have closed the form meanwhile: say it elsewhere then. */
      if (error != NULL && self->form != op->form)
        _hangar_host_window_show_error (self, op->target == STORAGE_POOL
                                              ? _("Pool Not Created")
                                              : _("Volume Not Created"), error);
      else if (error != NULL)
        hangar_host_form_dialog_show_error (op->form, error);
      else if (self->form == op->form)
        _hangar_host_window_set_form (self, NULL);
    }
  else if (error != NULL)
    {
      if (op->target == STORAGE_VOLUME
          && g_error_matches (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IN_USE))
        confirm_forced_delete (self, op->pool, op->name, error);
      else
        _hangar_host_window_show_error (self, op->target == STORAGE_VOLUME
                                              ? _("Volume Not Deleted")
                                              : pool_heading (op->action), error);
    }

  if (error == NULL)
    {
      g_autofree char *text = NULL;

      if (op->create)
        text = g_strdup_printf (op->target == STORAGE_POOL ? _("Pool “%s” created")
                                                           : _("Volume “%s” created"), op->name);
      else if (op->action == HANGAR_HOST_ACTION_DELETE)
        text = g_strdup_printf (op->target == STORAGE_POOL ? _("Pool “%s” deleted")
                                                           : _("Volume “%s” deleted"), op->name);
      if (text != NULL)
        _hangar_host_window_toast (self, text);
    }

  /* Pools first: their use and free space change with every volume. */
  if (op->target == STORAGE_POOL && op->create && error == NULL)
    {
      g_free (self->selected_pool);
      self->selected_pool = g_strdup (op->name);
    }
  _hangar_host_window_load_pools (self);
  storage_op_free (op);
}

static void
run_pool_action (HangarHostWindow *self,
                 const char       *name,
                 HangarHostAction  action)
{
  StorageOp *op = storage_op_new (self, STORAGE_POOL, name, name);

  op->action = action;
  _hangar_host_window_job_started (self);
  hangar_host_pool_run_async (self->connection, name, action, self->cancellable,
                              _hangar_host_window_storage_done, op);
}

static void
run_volume_delete (HangarHostWindow *self,
                   const char       *pool,
                   const char       *name,
                   gboolean          force)
{
  StorageOp *op = storage_op_new (self, STORAGE_VOLUME, pool, name);

  op->action = HANGAR_HOST_ACTION_DELETE;
  _hangar_host_window_job_started (self);
  hangar_host_volume_delete_async (self->connection, pool, name, force, self->cancellable,
                                   _hangar_host_window_storage_done, op);
}

static GtkWidget *
confirm_dialog (HangarHostWindow *self,
                const char       *heading,
                const char       *body,
                const char       *accept_label)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", accept_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  return dialog;
}

static void
on_pool_delete_response (AdwMessageDialog *dialog,
                         const char       *response,
                         HangarHostWindow *self)
{
  if (g_str_equal (response, "delete"))
    run_pool_action (self, g_object_get_data (G_OBJECT (dialog), "pool"),
                     HANGAR_HOST_ACTION_DELETE);
}

static void
on_volume_delete_response (AdwMessageDialog *dialog,
                           const char       *response,
                           HangarHostWindow *self)
{
  if (g_str_equal (response, "delete"))
    run_volume_delete (self, g_object_get_data (G_OBJECT (dialog), "pool"),
                       g_object_get_data (G_OBJECT (dialog), "volume"),
                       GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "force")));
}

static GtkWidget *
volume_dialog (HangarHostWindow *self,
               const char       *heading,
               const char       *body,
               const char       *accept_label,
               const char       *pool,
               const char       *volume,
               gboolean          force)
{
  GtkWidget *dialog = confirm_dialog (self, heading, body, accept_label);

  g_object_set_data_full (G_OBJECT (dialog), "pool", g_strdup (pool), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "volume", g_strdup (volume), g_free);
  g_object_set_data (G_OBJECT (dialog), "force", GINT_TO_POINTER (force));
  g_signal_connect (dialog, "response", G_CALLBACK (on_volume_delete_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* The second confirmation: a machine's disk goes only when asked twice. */
static void
confirm_forced_delete (HangarHostWindow *self,
                       const char       *pool,
                       const char       *volume,
                       const GError     *error)
{
  g_autofree char *body = g_strdup_printf ("%s\n\n%s", error->message,
                                           _("Delete it anyway? The machines will not start "
                                             "until they are given another disk."));

  volume_dialog (self, _("Volume In Use"), body, _("Delete _Anyway"), pool, volume, TRUE);
}

static void
pool_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HangarHostWindow *self = HANGAR_HOST_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (g_str_equal (action_name, "host.pool-select"))
    select_pool (self, name);
  else if (g_str_equal (action_name, "host.pool-start"))
    run_pool_action (self, name, HANGAR_HOST_ACTION_START);
  else if (g_str_equal (action_name, "host.pool-stop"))
    run_pool_action (self, name, HANGAR_HOST_ACTION_STOP);
  else if (g_str_equal (action_name, "host.pool-refresh"))
    run_pool_action (self, name, HANGAR_HOST_ACTION_REFRESH);
  else if (g_str_equal (action_name, "host.pool-autostart-on"))
    run_pool_action (self, name, HANGAR_HOST_ACTION_AUTOSTART_ON);
  else if (g_str_equal (action_name, "host.pool-autostart-off"))
    run_pool_action (self, name, HANGAR_HOST_ACTION_AUTOSTART_OFF);
  else if (g_str_equal (action_name, "host.pool-delete"))
    {
      static const char * const folder_types[] = { "dir", "fs", "netfs", NULL };
      HangarHostPool *pool = find_pool (self, name, NULL);
      g_autofree char *heading = g_strdup_printf (_("Delete the Pool “%s”?"), name);
      g_autofree char *body = NULL;
      GtkWidget *dialog;

      if (pool != NULL && pool->path != NULL
          && g_strv_contains (folder_types, pool->type ? pool->type : ""))
        body = g_strdup_printf (_("The host forgets the pool. The folder %s and the files in "
                                  "it stay where they are."), pool->path);
      else
        body = g_strdup (_("The host forgets the pool. Its volumes' data stays where it is."));
      dialog = confirm_dialog (self, heading, body, _("_Delete"));
      g_object_set_data_full (G_OBJECT (dialog), "pool", g_strdup (name), g_free);
      g_signal_connect (dialog, "response", G_CALLBACK (on_pool_delete_response), self);
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
volume_delete_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  HangarHostWindow *self = HANGAR_HOST_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autofree char *heading = g_strdup_printf (_("Delete the Volume “%s”?"), name);

  if (self->selected_pool == NULL)
    return;
  volume_dialog (self, heading, _("Its data is deleted for good."), _("_Delete"),
                 self->selected_pool, name, FALSE);
}

void
_hangar_host_window_storage_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_pool_row_selected);
  gtk_widget_class_install_action (widget_class, "host.new-pool", NULL,
                                   _hangar_host_window_new_pool_action);
  gtk_widget_class_install_action (widget_class, "host.new-volume", NULL,
                                   _hangar_host_window_new_volume_action);
  gtk_widget_class_install_action (widget_class, "host.pool-select", "s", pool_action);
  gtk_widget_class_install_action (widget_class, "host.pool-start", "s", pool_action);
  gtk_widget_class_install_action (widget_class, "host.pool-stop", "s", pool_action);
  gtk_widget_class_install_action (widget_class, "host.pool-refresh", "s", pool_action);
  gtk_widget_class_install_action (widget_class, "host.pool-autostart-on", "s", pool_action);
  gtk_widget_class_install_action (widget_class, "host.pool-autostart-off", "s", pool_action);
  gtk_widget_class_install_action (widget_class, "host.pool-delete", "s", pool_action);
  gtk_widget_class_install_action (widget_class, "host.volume-delete", "s",
                                   volume_delete_action);
}

void
_hangar_host_window_storage_init (HangarHostWindow *self)
{
  gtk_list_box_bind_model (self->pools_list, G_LIST_MODEL (self->pools),
                           create_pool_row, self, NULL);
  gtk_list_box_bind_model (self->volumes_list, G_LIST_MODEL (self->volumes),
                           create_volume_row, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "host.new-volume", FALSE);
}
