/* hangar-storage-page.c — the host window's storage page: pools, and the
 * volumes of the selected pool. The changes and their forms are in
 * hangar-storage-page-actions.c.
 *
 * Nothing here runs until the page is first shown (hangar_storage_page_load):
 * hosts with many pools would make every connection slow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-accessible.h"
#include "hangar-connection.h"
#include "hangar-plain-text.h"
#include "hangar-storage-page-private.h"

G_DEFINE_FINAL_TYPE (HangarStoragePage, hangar_storage_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
_hangar_storage_page_pool_type_label (const char *type)
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
  g_autoptr(GString) subtitle = g_string_new (_hangar_storage_page_pool_type_label (pool->type));

  g_string_append_printf (subtitle, " · %s", pool->active ? _("running") : _("stopped"));
  if (pool->active && pool->capacity > 0)
    {
      g_autofree char *used = hangar_host_format_bytes (pool->allocation);
      g_autofree char *capacity = hangar_host_format_bytes (pool->capacity);
      g_autofree char *available = hangar_host_format_bytes (pool->available);
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
  g_autofree char *capacity = hangar_host_format_bytes (vol->capacity);
  g_autofree char *allocation = hangar_host_format_bytes (vol->allocation);
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
                             hangar_host_action_button ("user-trash-symbolic", _("Delete"),
                                                         "host.volume-delete", vol->name));
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (vol), g_object_unref);
  hangar_accessible_name_row_controls (row);
  return row;
}

HangarHostPool *
_hangar_storage_page_find_pool (HangarStoragePage *self,
                                const char        *name,
                                guint             *position)
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

static void
update_actions (HangarStoragePage *self)
{
  HangarHostPool *pool = _hangar_storage_page_find_pool (self, self->selected_pool, NULL);

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
  HangarStoragePage *self = user_data;

  if (hangar_host_cancelled (error))
    return;
  g_assert (self->pending > 0);
  self->pending--;
  hangar_host_store_replace (self->volumes, rows);
  if (rows == NULL)
    hangar_group_set_plain_description (self->volumes_group, error->message);
  else if (rows->len == 0)
    adw_preferences_group_set_description (self->volumes_group, _("This pool has no volumes."));
}

static void
list_volumes (HangarStoragePage *self)
{
  HangarHostPool *pool = _hangar_storage_page_find_pool (self, self->selected_pool, NULL);
  g_autofree char *title = NULL;

  update_actions (self);
  if (pool == NULL)
    {
      hangar_host_store_replace (self->volumes, NULL);
      adw_preferences_group_set_title (self->volumes_group, _("Volumes"));
      adw_preferences_group_set_description (self->volumes_group, _("Select a pool."));
      return;
    }
  /* Translators: the title over a storage pool's volumes */
  title = g_strdup_printf (_("Volumes in “%s”"), pool->name);
  hangar_group_set_plain_title (self->volumes_group, title);
  if (!pool->active)
    {
      hangar_host_store_replace (self->volumes, NULL);
      adw_preferences_group_set_description (self->volumes_group,
                                             _("The pool is stopped: start it to see its "
                                               "volumes."));
      return;
    }
  adw_preferences_group_set_description (self->volumes_group, NULL);
  self->pending++;
  hangar_host_list_volumes_async (self->connection, pool->name, self->cancellable,
                                  on_volumes_listed, self);
}

void
_hangar_storage_page_select_pool (HangarStoragePage *self,
                                  const char        *name)
{
  guint position;

  if (_hangar_storage_page_find_pool (self, name, &position))
    gtk_list_box_select_row (self->pools_list,
                             gtk_list_box_get_row_at_index (self->pools_list, position));
}

static void
on_pool_row_selected (HangarStoragePage *self,
                      GtkListBoxRow     *row)
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
  list_volumes (self);
}

static void
on_pools_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = hangar_host_list_finish (result, &error);
  HangarStoragePage *self = user_data;
  g_autofree char *selected = NULL;

  if (hangar_host_cancelled (error))
    return;
  g_assert (self->pending > 0);
  self->pending--;
  if (rows == NULL)
    {
      hangar_group_set_plain_description (self->pools_group, error->message);
      return;
    }
  adw_preferences_group_set_description (self->pools_group,
                                         rows->len == 0 ? _("This host has no storage pools.")
                                                        : NULL);
  selected = g_strdup (self->selected_pool);
  hangar_host_store_replace (self->pools, rows);
  if (selected == NULL || _hangar_storage_page_find_pool (self, selected, NULL) == NULL)
    {
      g_clear_pointer (&selected, g_free);
      if (rows->len > 0)
        selected = g_strdup (HANGAR_HOST_POOL (g_ptr_array_index (rows, 0))->name);
    }
  g_clear_pointer (&self->selected_pool, g_free);
  if (selected != NULL)
    _hangar_storage_page_select_pool (self, selected);
  if (self->selected_pool == NULL)
    list_volumes (self);
}

void
_hangar_storage_page_list_pools (HangarStoragePage *self)
{
  self->n_pool_listings++;
  self->pending++;
  hangar_host_list_pools_async (self->connection, self->cancellable, on_pools_listed, self);
}

/* --- the object ------------------------------------------------------------------------ */

/* Back (or there for the first time): read again what was shown. */
static void
on_connection_state (HangarStoragePage *self)
{
  if (self->wanted
      && hangar_connection_get_state (self->connection) == HANGAR_CONNECTION_STATE_CONNECTED)
    _hangar_storage_page_list_pools (self);
}

static void
hangar_storage_page_dispose (GObject *object)
{
  HangarStoragePage *self = HANGAR_STORAGE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  hangar_host_set_form (&self->form, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_STORAGE_PAGE);
  g_clear_object (&self->pools);
  g_clear_object (&self->volumes);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (hangar_storage_page_parent_class)->dispose (object);
}

static void
hangar_storage_page_finalize (GObject *object)
{
  HangarStoragePage *self = HANGAR_STORAGE_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->selected_pool);
  G_OBJECT_CLASS (hangar_storage_page_parent_class)->finalize (object);
}

static void
hangar_storage_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HangarStoragePage *self = HANGAR_STORAGE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_storage_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HangarStoragePage *self = HANGAR_STORAGE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      hangar_storage_page_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_storage_page_class_init (HangarStoragePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_storage_page_dispose;
  object_class->finalize = hangar_storage_page_finalize;
  object_class->get_property = hangar_storage_page_get_property;
  object_class->set_property = hangar_storage_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, HANGAR_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-storage-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarStoragePage, pools_group);
  gtk_widget_class_bind_template_child (widget_class, HangarStoragePage, volumes_group);
  gtk_widget_class_bind_template_child (widget_class, HangarStoragePage, pools_list);
  gtk_widget_class_bind_template_child (widget_class, HangarStoragePage, volumes_list);
  gtk_widget_class_bind_template_callback (widget_class, on_pool_row_selected);

  _hangar_storage_page_class_actions_init (widget_class);
}

static void
hangar_storage_page_init (HangarStoragePage *self)
{
  self->cancellable = g_cancellable_new ();
  self->pools = g_list_store_new (HANGAR_TYPE_HOST_POOL);
  self->volumes = g_list_store_new (HANGAR_TYPE_HOST_VOLUME);
  self->connection_signals = g_signal_group_new (HANGAR_TYPE_CONNECTION);
  g_signal_group_connect_swapped (self->connection_signals, "notify::state",
                                  G_CALLBACK (on_connection_state), self);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_bind_model (self->pools_list, G_LIST_MODEL (self->pools),
                           create_pool_row, self, NULL);
  gtk_list_box_bind_model (self->volumes_list, G_LIST_MODEL (self->volumes),
                           create_volume_row, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "host.new-volume", FALSE);
}

/* --- public API ------------------------------------------------------------------------ */

HangarConnection *
hangar_storage_page_get_connection (HangarStoragePage *self)
{
  g_return_val_if_fail (HANGAR_IS_STORAGE_PAGE (self), NULL);

  return self->connection;
}

void
hangar_storage_page_set_connection (HangarStoragePage *self,
                                    HangarConnection  *connection)
{
  g_return_if_fail (HANGAR_IS_STORAGE_PAGE (self));
  g_return_if_fail (connection == NULL || HANGAR_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;
  g_signal_group_set_target (self->connection_signals, connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

/* Reads the pools the first time the page is shown. */
void
hangar_storage_page_load (HangarStoragePage *self)
{
  g_return_if_fail (HANGAR_IS_STORAGE_PAGE (self));

  if (!self->wanted)
    hangar_storage_page_reload (self);
}

/* Reads the pools (and the selected pool's volumes) again, when the host is
 * there to ask. */
void
hangar_storage_page_reload (HangarStoragePage *self)
{
  g_return_if_fail (HANGAR_IS_STORAGE_PAGE (self));

  if (self->connection == NULL
      || hangar_connection_get_state (self->connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    return;
  self->wanted = TRUE;
  _hangar_storage_page_list_pools (self);
}

/* Whether a read or a change is still running. */
gboolean
hangar_storage_page_is_busy (HangarStoragePage *self)
{
  g_return_val_if_fail (HANGAR_IS_STORAGE_PAGE (self), FALSE);

  return self->pending > 0;
}

/**
 * hangar_storage_page_get_pools:
 *
 * Returns: (transfer none): the #HangarHostPool rows shown
 */
GListModel *
hangar_storage_page_get_pools (HangarStoragePage *self)
{
  g_return_val_if_fail (HANGAR_IS_STORAGE_PAGE (self), NULL);

  return G_LIST_MODEL (self->pools);
}

/**
 * hangar_storage_page_get_volumes:
 *
 * Returns: (transfer none): the selected pool's #HangarHostVolume rows
 */
GListModel *
hangar_storage_page_get_volumes (HangarStoragePage *self)
{
  g_return_val_if_fail (HANGAR_IS_STORAGE_PAGE (self), NULL);

  return G_LIST_MODEL (self->volumes);
}

/* How many times the pools were listed: 0 until the page is shown. */
guint
hangar_storage_page_get_n_pool_listings (HangarStoragePage *self)
{
  g_return_val_if_fail (HANGAR_IS_STORAGE_PAGE (self), 0);

  return self->n_pool_listings;
}

const char *
hangar_storage_page_get_selected_pool (HangarStoragePage *self)
{
  g_return_val_if_fail (HANGAR_IS_STORAGE_PAGE (self), NULL);

  return self->selected_pool;
}

/**
 * hangar_storage_page_get_form:
 *
 * Returns: (transfer none) (nullable): the open new-pool or new-volume form
 */
GtkWindow *
hangar_storage_page_get_form (HangarStoragePage *self)
{
  g_return_val_if_fail (HANGAR_IS_STORAGE_PAGE (self), NULL);

  return GTK_WINDOW (self->form);
}
