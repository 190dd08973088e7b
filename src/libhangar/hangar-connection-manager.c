/* hangar-connection-manager.c — the list of hosts Hangar knows.
 *
 * A GListModel of HangarConnection, in the order they were added. Every
 * connection gets the statistics settings bound, so changing the interval
 * in GSettings reaches every host at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include "hangar-connection-manager.h"

struct _HangarConnectionManager
{
  GObject     parent_instance;

  GSettings  *settings;
  GListStore *connections;
  gboolean    stats_paused;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HangarConnectionManager, hangar_connection_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return HANGAR_TYPE_CONNECTION;
}

static guint
get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (HANGAR_CONNECTION_MANAGER (model)->connections));
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (HANGAR_CONNECTION_MANAGER (model)->connections),
                                position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
on_items_changed (GListModel              *model,
                  guint                    position,
                  guint                    removed,
                  guint                    added,
                  HangarConnectionManager *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
hangar_connection_manager_dispose (GObject *object)
{
  HangarConnectionManager *self = (HangarConnectionManager *)object;

  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_func (self->connections, on_items_changed, self);
  g_clear_object (&self->connections);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hangar_connection_manager_parent_class)->dispose (object);
}

static void
hangar_connection_manager_class_init (HangarConnectionManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hangar_connection_manager_dispose;
}

static void
hangar_connection_manager_init (HangarConnectionManager *self)
{
  self->connections = g_list_store_new (HANGAR_TYPE_CONNECTION);
  g_signal_connect (self->connections, "items-changed", G_CALLBACK (on_items_changed), self);
}

/**
 * hangar_connection_manager_new:
 * @settings: (nullable): the application's settings, or %NULL for defaults
 */
HangarConnectionManager *
hangar_connection_manager_new (GSettings *settings)
{
  HangarConnectionManager *self = g_object_new (HANGAR_TYPE_CONNECTION_MANAGER, NULL);

  g_set_object (&self->settings, settings);
  return self;
}

/**
 * hangar_connection_manager_find:
 *
 * Returns: (transfer none) (nullable): the connection for @uri
 */
HangarConnection *
hangar_connection_manager_find (HangarConnectionManager *self,
                                const char              *uri)
{
  guint n;

  g_return_val_if_fail (HANGAR_IS_CONNECTION_MANAGER (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarConnection) connection =
        g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      if (g_str_equal (hangar_connection_get_uri (connection), uri))
        return connection;
    }
  return NULL;
}

/**
 * hangar_connection_manager_add:
 *
 * Adds a connection for @uri, or returns the one already there.
 *
 * Returns: (transfer none): the connection
 */
HangarConnection *
hangar_connection_manager_add (HangarConnectionManager *self,
                               const char              *uri)
{
  g_autoptr(HangarConnection) connection = NULL;
  HangarConnection *existing;

  g_return_val_if_fail (HANGAR_IS_CONNECTION_MANAGER (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  if ((existing = hangar_connection_manager_find (self, uri)) != NULL)
    return existing;

  connection = hangar_connection_new (uri);
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "stats-interval", connection, "stats-interval",
                       G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "stats-enabled", connection, "stats-enabled",
                       G_SETTINGS_BIND_GET);
    }
  hangar_connection_set_stats_paused (connection, self->stats_paused);
  g_list_store_append (self->connections, connection);
  return connection;
}

void
hangar_connection_manager_remove (HangarConnectionManager *self,
                                  HangarConnection        *connection)
{
  guint position;

  g_return_if_fail (HANGAR_IS_CONNECTION_MANAGER (self));
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  if (!g_list_store_find (self->connections, connection, &position))
    return;
  hangar_connection_close (connection);
  g_list_store_remove (self->connections, position);
}

/**
 * hangar_connection_manager_get_autoconnect_uris:
 *
 * Returns: (transfer full): the saved connections marked autoconnect
 */
char **
hangar_connection_manager_get_autoconnect_uris (HangarConnectionManager *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION_MANAGER (self), NULL);

  if (self->settings == NULL)
    return g_new0 (char *, 1);
  return g_settings_get_strv (self->settings, "autoconnect");
}

/**
 * hangar_connection_manager_set_stats_paused:
 * @paused: every window is hidden or minimised
 *
 * Stops (or starts again) every connection's statistics rounds, also of
 * connections added later.
 */
void
hangar_connection_manager_set_stats_paused (HangarConnectionManager *self,
                                            gboolean                 paused)
{
  guint n;

  g_return_if_fail (HANGAR_IS_CONNECTION_MANAGER (self));

  self->stats_paused = !!paused;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarConnection) connection =
        g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      hangar_connection_set_stats_paused (connection, paused);
    }
}
