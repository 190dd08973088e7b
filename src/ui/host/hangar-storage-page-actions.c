/* hangar-storage-page-actions.c — the storage page's actions: start, stop,
 * refresh, autostart and delete pools, delete volumes, and the forms that
 * create pools and volumes.
 *
 * The new-pool form shows the fields the chosen type of pool uses; both
 * forms check what they can before anything is sent, and show libvirt's
 * answer in place when the creation fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-storage-page-private.h"

/* --- changes -------------------------------------------------------------------------- */
typedef enum
{
  STORAGE_POOL,
  STORAGE_VOLUME,
} StorageTarget;

typedef struct
{
  HangarStoragePage    *self;   /* not a reference: see hangar_host_cancelled */
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
storage_op_new (HangarStoragePage *self,
                StorageTarget      target,
                const char        *pool,
                const char        *name)
{
  StorageOp *op = g_new0 (StorageOp, 1);

  op->self = self;
  op->target = target;
  op->pool = g_strdup (pool);
  op->name = g_strdup (name);
  return op;
}

/* A creation started from @form: storage_done() shows its result in the
 * form, and closes it when all went well. */
static StorageOp *
storage_create_op (HangarStoragePage    *self,
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

static void confirm_forced_delete (HangarStoragePage *self,
                                   const char        *pool,
                                   const char        *volume,
                                   const GError      *error);

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

static void
storage_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  StorageOp *op = user_data;
  HangarStoragePage *self = op->self;
  g_autoptr(GError) error = NULL;

  if (!hangar_host_op_finish (result, &error) && hangar_host_cancelled (error))
    {
      storage_op_free (op);
      return;
    }
  g_assert (self->pending > 0);
  self->pending--;

  if (op->form != NULL)
    {
      hangar_host_form_dialog_set_busy (op->form, FALSE);
      /* The user may have closed the form meanwhile: say it elsewhere then. */
      if (error != NULL && self->form != op->form)
        hangar_host_show_error (GTK_WIDGET (self), op->target == STORAGE_POOL
                                              ? _("Pool Not Created")
                                              : _("Volume Not Created"), error);
      else if (error != NULL)
        hangar_host_form_dialog_show_error (op->form, error);
      else if (self->form == op->form)
        hangar_host_set_form (&self->form, NULL);
    }
  else if (error != NULL)
    {
      if (op->target == STORAGE_VOLUME
          && g_error_matches (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IN_USE))
        confirm_forced_delete (self, op->pool, op->name, error);
      else
        hangar_host_show_error (GTK_WIDGET (self), op->target == STORAGE_VOLUME
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
        hangar_host_toast (GTK_WIDGET (self), text);
    }

  /* Pools first: their use and free space change with every volume. */
  if (op->target == STORAGE_POOL && op->create && error == NULL)
    {
      g_free (self->selected_pool);
      self->selected_pool = g_strdup (op->name);
    }
  _hangar_storage_page_list_pools (self);
  storage_op_free (op);
}

static void
run_pool_action (HangarStoragePage *self,
                 const char        *name,
                 HangarHostAction   action)
{
  StorageOp *op = storage_op_new (self, STORAGE_POOL, name, name);

  op->action = action;
  self->pending++;
  hangar_host_pool_run_async (self->connection, name, action, self->cancellable,
                              storage_done, op);
}

static void
run_volume_delete (HangarStoragePage *self,
                   const char        *pool,
                   const char        *name,
                   gboolean           force)
{
  StorageOp *op = storage_op_new (self, STORAGE_VOLUME, pool, name);

  op->action = HANGAR_HOST_ACTION_DELETE;
  self->pending++;
  hangar_host_volume_delete_async (self->connection, pool, name, force, self->cancellable,
                                   storage_done, op);
}

static GtkWidget *
confirm_dialog (HangarStoragePage *self,
                const char        *heading,
                const char        *body,
                const char        *accept_label)
{
  GtkWidget *dialog = adw_message_dialog_new (hangar_host_page_window (GTK_WIDGET (self)),
                                              heading, body);

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
on_pool_delete_response (AdwMessageDialog  *dialog,
                         const char        *response,
                         HangarStoragePage *self)
{
  if (g_str_equal (response, "delete"))
    run_pool_action (self, g_object_get_data (G_OBJECT (dialog), "pool"),
                     HANGAR_HOST_ACTION_DELETE);
}

static void
on_volume_delete_response (AdwMessageDialog  *dialog,
                           const char        *response,
                           HangarStoragePage *self)
{
  if (g_str_equal (response, "delete"))
    run_volume_delete (self, g_object_get_data (G_OBJECT (dialog), "pool"),
                       g_object_get_data (G_OBJECT (dialog), "volume"),
                       GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "force")));
}

static GtkWidget *
volume_dialog (HangarStoragePage *self,
               const char        *heading,
               const char        *body,
               const char        *accept_label,
               const char        *pool,
               const char        *volume,
               gboolean           force)
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
confirm_forced_delete (HangarStoragePage *self,
                       const char        *pool,
                       const char        *volume,
                       const GError      *error)
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
  HangarStoragePage *self = HANGAR_STORAGE_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (g_str_equal (action_name, "host.pool-select"))
    _hangar_storage_page_select_pool (self, name);
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
      HangarHostPool *pool = _hangar_storage_page_find_pool (self, name, NULL);
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
  HangarStoragePage *self = HANGAR_STORAGE_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autofree char *heading = g_strdup_printf (_("Delete the Volume “%s”?"), name);

  if (self->selected_pool == NULL)
    return;
  volume_dialog (self, heading, _("Its data is deleted for good."), _("_Delete"),
                 self->selected_pool, name, FALSE);
}

/* --- the new-pool and new-volume forms ------------------------------------------------ */

static const char * const volume_formats[] = { "qcow2", "raw", NULL };

static char **
store_names (GListModel *store)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (store);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (store, i);

      if (HANGAR_IS_HOST_POOL (item))
        g_strv_builder_add (builder, HANGAR_HOST_POOL (item)->name);
      else
        g_strv_builder_add (builder, HANGAR_HOST_VOLUME (item)->name);
    }
  return g_strv_builder_end (builder);
}

static char *
suggest_name (GListModel *store,
              const char *stem,
              const char *suffix)
{
  g_auto(GStrv) names = store_names (store);

  for (guint i = 1; ; i++)
    {
      char *name = g_strdup_printf ("%s%u%s", stem, i, suffix);

      if (!g_strv_contains ((const char * const *) names, name))
        return name;
      g_free (name);
    }
}

/* The new-pool form: which fields each type of pool uses, and what they are called. */
typedef struct
{
  const char *fields;          /* space-separated field ids shown */
  const char *device_title;
  const char *path_title;
  const char *build_title;
  const char *build_subtitle;
} PoolForm;

static const PoolForm pool_forms[HANGAR_N_POOL_TYPES] = {
  [HANGAR_POOL_DIR] = {
    "path build", NULL,
    N_("Folder on the host"),
    N_("Create the folder"), N_("When it does not exist yet"),
  },
  [HANGAR_POOL_FS] = {
    "source-device format path build",
    N_("Device, such as /dev/sdb1"),
    N_("Mount folder on the host"),
    N_("Make a file system on the device"),
    N_("Only on an empty device: libvirt refuses one that holds a file system"),
  },
  [HANGAR_POOL_NETFS] = {
    "source-host source-path format path", NULL,
    N_("Mount folder on the host (created if missing)"), NULL, NULL,
  },
  [HANGAR_POOL_LOGICAL] = {
    "source-name source-device build",
    N_("Devices for a new group, such as /dev/sdb /dev/sdc"),
    NULL,
    N_("Make a new volume group from the devices"),
    N_("Only on empty devices: libvirt refuses ones that hold data"),
  },
  [HANGAR_POOL_ISCSI] = {
    "source-host iqn path", NULL,
    N_("Folder the target's disks appear in"), NULL, NULL,
  },
  [HANGAR_POOL_DISK] = {
    "source-device path build",
    N_("Disk, such as /dev/sdb"),
    N_("Folder the partitions appear in"),
    N_("Write a new partition table"),
    N_("Only on an empty disk: libvirt refuses one that has partitions"),
  },
};

static const char * const pool_fields[] = {
  "source-host", "source-path", "iqn", "source-name", "source-device", "format", "path",
  "build", NULL,
};

static char **
pool_format_labels (HangarPoolType type)
{
  const char * const *formats = hangar_pool_formats (type);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; formats != NULL && formats[i] != NULL; i++)
    g_strv_builder_add (builder, i == 0 ? _("Find out when mounting") : formats[i]);
  return g_strv_builder_end (builder);
}

static void
on_pool_type_changed (GObject              *row,
                      GParamSpec           *pspec,
                      HangarHostFormDialog *form)
{
  HangarPoolType type = hangar_host_form_dialog_get_choice (form, "type");
  HangarPoolType before = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (form), "pool-type"));
  const PoolForm *shown = &pool_forms[MIN (type, HANGAR_N_POOL_TYPES - 1)];
  g_auto(GStrv) ids = g_strsplit (shown->fields, " ", -1);
  g_auto(GStrv) formats = pool_format_labels (type);
  const char *path = hangar_host_form_dialog_get_text (form, "path");

  for (guint i = 0; pool_fields[i] != NULL; i++)
    hangar_host_form_dialog_set_field_visible (form, pool_fields[i],
                                               g_strv_contains ((const char * const *) ids,
                                                                pool_fields[i]));
  if (shown->device_title != NULL)
    hangar_host_form_dialog_set_field_title (form, "source-device", _(shown->device_title),
                                             NULL);
  if (shown->path_title != NULL)
    hangar_host_form_dialog_set_field_title (form, "path", _(shown->path_title), NULL);
  if (shown->build_title != NULL)
    hangar_host_form_dialog_set_field_title (form, "build", _(shown->build_title),
                                             _(shown->build_subtitle));
  if (formats[0] != NULL)
    {
      hangar_host_form_dialog_set_field_title (form, "format",
                                               type == HANGAR_POOL_NETFS ? _("Protocol")
                                                                          : _("File system"),
                                               NULL);
      hangar_host_form_dialog_set_choices (form, "format", (const char * const *) formats,
                                           type == HANGAR_POOL_NETFS ? 1 : 0);
    }
  /* A path the user did not type follows the type. */
  if (path[0] == '\0' || g_str_equal (path, hangar_pool_default_target (before)))
    hangar_host_form_dialog_set_text (form, "path", hangar_pool_default_target (type));
  /* Building writes to devices: the user turns it on each time. */
  hangar_host_form_dialog_set_switch (form, "build", FALSE);
  g_object_set_data (G_OBJECT (form), "pool-type", GUINT_TO_POINTER (type));
}

static void
on_pool_form_submit (HangarHostFormDialog *form,
                     HangarStoragePage    *self)
{
  HangarPoolType type = hangar_host_form_dialog_get_choice (form, "type");
  const char * const *formats = hangar_pool_formats (type);
  HangarPoolSpec spec = {
    .name = hangar_host_form_dialog_get_text (form, "name"),
    .type = type,
    .target = hangar_host_form_dialog_get_text (form, "path"),
    .source_host = hangar_host_form_dialog_get_text (form, "source-host"),
    .source_path = hangar_host_form_dialog_get_text (form, "source-path"),
    .devices = hangar_host_form_dialog_get_text (form, "source-device"),
    .source_name = hangar_host_form_dialog_get_text (form, "source-name"),
    .iqn = hangar_host_form_dialog_get_text (form, "iqn"),
    .format = formats ? formats[hangar_host_form_dialog_get_choice (form, "format")] : NULL,
    .build = hangar_pool_can_build (type) && hangar_host_form_dialog_get_switch (form, "build"),
  };
  g_auto(GStrv) names = store_names (G_LIST_MODEL (self->pools));
  g_autoptr(GError) error = NULL;
  StorageOp *op;

  if (!hangar_pool_spec_check (&spec, (const char * const *) names,
                               hangar_connection_is_local (self->connection), &error))
    {
      hangar_host_form_dialog_show_error (form, error);
      return;
    }

  op = storage_create_op (self, FALSE, spec.name, spec.name, form);
  hangar_host_form_dialog_set_busy (form, TRUE);
  self->pending++;
  hangar_host_pool_create_async (self->connection, &spec, self->cancellable,
                                 storage_done, op);
}

static void
new_pool_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HangarStoragePage *self = HANGAR_STORAGE_PAGE (widget);
  g_autofree char *name = suggest_name (G_LIST_MODEL (self->pools), "pool", "");
  g_auto(GStrv) formats = pool_format_labels (HANGAR_POOL_FS);
  const char *types[HANGAR_N_POOL_TYPES + 1] = { NULL };
  HangarHostFormDialog *form;

  for (guint t = 0; t < HANGAR_N_POOL_TYPES; t++)
    types[t] = _hangar_storage_page_pool_type_label (hangar_pool_type_to_string (t));

  form = hangar_host_form_dialog_new (hangar_host_page_window (GTK_WIDGET (self)),
                                      _("New Storage Pool"), _("_Create"));
  /* Room for six fields and libvirt's reason under them. */
  gtk_window_set_default_size (GTK_WINDOW (form), 520, 640);
  hangar_host_form_dialog_add_entry (form, "name", _("Name"), name);
  hangar_host_form_dialog_add_choice (form, "type", _("Type"), types, HANGAR_POOL_DIR);
  hangar_host_form_dialog_add_entry (form, "source-host", _("Server"), "");
  hangar_host_form_dialog_add_entry (form, "source-path", _("Exported folder or share"), "");
  hangar_host_form_dialog_add_entry (form, "iqn",
                                     _("Target name, such as iqn.2023-01.com.example:disks"),
                                     "");
  hangar_host_form_dialog_add_entry (form, "source-name", _("Volume group"), "");
  hangar_host_form_dialog_add_entry (form, "source-device", _("Device"), "");
  hangar_host_form_dialog_add_choice (form, "format", _("File system"),
                                      (const char * const *) formats, 0);
  hangar_host_form_dialog_add_entry (form, "path", _("Folder on the host"), "");
  hangar_host_form_dialog_add_switch (form, "build", _("Create the folder"), NULL, FALSE);
  g_signal_connect_object (form, "submit", G_CALLBACK (on_pool_form_submit), self, 0);
  g_signal_connect_object (hangar_host_form_dialog_get_row (form, "type"), "notify::selected",
                           G_CALLBACK (on_pool_type_changed), form, 0);
  on_pool_type_changed (NULL, NULL, form);
  hangar_host_set_form (&self->form, form);
}

static void
on_volume_form_submit (HangarHostFormDialog *form,
                       HangarStoragePage    *self)
{
  const char *name = hangar_host_form_dialog_get_text (form, "name");
  const char *size = hangar_host_form_dialog_get_text (form, "capacity");
  guint format = hangar_host_form_dialog_get_choice (form, "format");
  g_auto(GStrv) names = store_names (G_LIST_MODEL (self->volumes));
  g_autoptr(GError) error = NULL;
  guint64 capacity = 0;
  StorageOp *op;

  if (!hangar_host_check_name (name, (const char * const *) names, &error)
      || !hangar_parse_size (size, &capacity, &error))
    {
      hangar_host_form_dialog_show_error (form, error);
      return;
    }
  if (self->selected_pool == NULL)
    {
      hangar_host_form_dialog_set_field_error (form, NULL, _("Select a pool first."));
      return;
    }

  op = storage_create_op (self, TRUE, self->selected_pool, name, form);
  hangar_host_form_dialog_set_busy (form, TRUE);
  self->pending++;
  hangar_host_volume_create_async (self->connection, self->selected_pool, name,
                                   volume_formats[MIN (format, 1)], capacity,
                                   self->cancellable, storage_done, op);
}

static void
on_volume_format_changed (GObject              *row,
                          GParamSpec           *pspec,
                          HangarHostFormDialog *form)
{
  const char *name = hangar_host_form_dialog_get_text (form, "name");
  guint format = hangar_host_form_dialog_get_choice (form, "format");
  const char *from = format == 0 ? ".img" : ".qcow2";
  const char *to = format == 0 ? ".qcow2" : ".img";

  /* Keep a suggested name's extension in step with the format. */
  if (g_str_has_suffix (name, from))
    {
      g_autofree char *stem = g_strndup (name, strlen (name) - strlen (from));
      g_autofree char *renamed = g_strconcat (stem, to, NULL);

      hangar_host_form_dialog_set_text (form, "name", renamed);
    }
}

static void
new_volume_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HangarStoragePage *self = HANGAR_STORAGE_PAGE (widget);
  const char *format_labels[] = { _("qcow2 — grows as used, snapshots"),
                                  _("raw — plain, fastest"), NULL };
  g_autofree char *name = suggest_name (G_LIST_MODEL (self->volumes), "volume", ".qcow2");
  g_autofree char *title = NULL;
  HangarHostFormDialog *form;

  if (self->selected_pool == NULL)
    return;
  /* Translators: the title of the new-volume form, with the pool's name */
  title = g_strdup_printf (_("New Volume in “%s”"), self->selected_pool);
  form = hangar_host_form_dialog_new (hangar_host_page_window (GTK_WIDGET (self)), title,
                                      _("_Create"));
  hangar_host_form_dialog_add_entry (form, "name", _("Name"), name);
  hangar_host_form_dialog_add_choice (form, "format", _("Format"), format_labels, 0);
  hangar_host_form_dialog_add_entry (form, "capacity", _("Size"), "10 GiB");
  g_signal_connect_object (form, "submit", G_CALLBACK (on_volume_form_submit), self, 0);
  g_signal_connect_object (hangar_host_form_dialog_get_row (form, "format"), "notify::selected",
                           G_CALLBACK (on_volume_format_changed), form, 0);
  hangar_host_set_form (&self->form, form);
}

void
_hangar_storage_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "host.new-pool", NULL, new_pool_action);
  gtk_widget_class_install_action (widget_class, "host.new-volume", NULL, new_volume_action);
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
