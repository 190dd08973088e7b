/* hangar-interfaces-page.c — the host window's network interfaces page: the
 * host's own interfaces, their state and addresses, read only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-host-common.h"
#include "hangar-host-model.h"
#include "hangar-interfaces-page.h"
#include "hangar-plain-text.h"

struct _HangarInterfacesPage
{
  AdwPreferencesPage    parent_instance;

  /* Template widgets */
  AdwPreferencesGroup  *interfaces_group;
  GtkListBox           *interfaces_list;

  HangarConnection     *connection;
  GSignalGroup         *connection_signals;
  GCancellable         *cancellable;
  GListStore           *interfaces;
  char                 *message;
  guint                 pending;
  guint                 wanted : 1;
};

G_DEFINE_FINAL_TYPE (HangarInterfacesPage, hangar_interfaces_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_interface_row (gpointer item,
                      gpointer user_data)
{
  HangarHostInterface *iface = item;
  GtkWidget *row = hangar_row_plain (adw_action_row_new ());
  GtkWidget *state = gtk_label_new (iface->active ? _("Up") : _("Down"));
  g_autoptr(GString) subtitle = g_string_new (iface->kind ? iface->kind : _("interface"));

  if (iface->mac != NULL)
    g_string_append_printf (subtitle, " · %s", iface->mac);
  if (iface->ipv4 != NULL)
    g_string_append_printf (subtitle, " · %s", iface->ipv4);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), iface->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_widget_add_css_class (state, iface->active ? "success" : "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (g_strcmp0 (iface->kind, "bridge") == 0
                                                           ? "network-workgroup-symbolic"
                                                           : "network-wired-symbolic"));
  return row;
}

static void
on_interfaces_listed (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = hangar_host_list_finish (result, &error);
  HangarInterfacesPage *self = user_data;

  if (hangar_host_cancelled (error))
    return;
  g_assert (self->pending > 0);
  self->pending--;
  g_clear_pointer (&self->message, g_free);
  hangar_host_store_replace (self->interfaces, rows);
  if (rows == NULL)
    {
      /* Not every host can say: a clear sentence, not an empty list. */
      if (g_error_matches (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NOT_SUPPORTED))
        self->message = g_strdup (_("Not available on this host: its libvirt "
                                               "cannot list network interfaces."));
      else
        self->message = g_strdup (error->message);
    }
  hangar_group_set_plain_description (self->interfaces_group, self->message);
  gtk_widget_set_visible (GTK_WIDGET (self->interfaces_list), rows != NULL && rows->len > 0);
}

static void
list_interfaces (HangarInterfacesPage *self)
{
  self->pending++;
  hangar_host_list_interfaces_async (self->connection, self->cancellable,
                                     on_interfaces_listed, self);
}

/* --- the object ------------------------------------------------------------------------ */

/* Back (or there for the first time): read again what was shown. */
static void
on_connection_state (HangarInterfacesPage *self)
{
  if (self->wanted
      && hangar_connection_get_state (self->connection) == HANGAR_CONNECTION_STATE_CONNECTED)
    list_interfaces (self);
}

static void
hangar_interfaces_page_dispose (GObject *object)
{
  HangarInterfacesPage *self = HANGAR_INTERFACES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_INTERFACES_PAGE);
  g_clear_object (&self->interfaces);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (hangar_interfaces_page_parent_class)->dispose (object);
}

static void
hangar_interfaces_page_finalize (GObject *object)
{
  HangarInterfacesPage *self = HANGAR_INTERFACES_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->message);
  G_OBJECT_CLASS (hangar_interfaces_page_parent_class)->finalize (object);
}

static void
hangar_interfaces_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HangarInterfacesPage *self = HANGAR_INTERFACES_PAGE (object);

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
hangar_interfaces_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HangarInterfacesPage *self = HANGAR_INTERFACES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      hangar_interfaces_page_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_interfaces_page_class_init (HangarInterfacesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_interfaces_page_dispose;
  object_class->finalize = hangar_interfaces_page_finalize;
  object_class->get_property = hangar_interfaces_page_get_property;
  object_class->set_property = hangar_interfaces_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, HANGAR_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-interfaces-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarInterfacesPage, interfaces_group);
  gtk_widget_class_bind_template_child (widget_class, HangarInterfacesPage, interfaces_list);
}

static void
hangar_interfaces_page_init (HangarInterfacesPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->interfaces = g_list_store_new (HANGAR_TYPE_HOST_INTERFACE);
  self->connection_signals = g_signal_group_new (HANGAR_TYPE_CONNECTION);
  g_signal_group_connect_swapped (self->connection_signals, "notify::state",
                                  G_CALLBACK (on_connection_state), self);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_bind_model (self->interfaces_list, G_LIST_MODEL (self->interfaces),
                           create_interface_row, self, NULL);
}

/* --- public API ------------------------------------------------------------------------ */

HangarConnection *
hangar_interfaces_page_get_connection (HangarInterfacesPage *self)
{
  g_return_val_if_fail (HANGAR_IS_INTERFACES_PAGE (self), NULL);

  return self->connection;
}

void
hangar_interfaces_page_set_connection (HangarInterfacesPage *self,
                                       HangarConnection     *connection)
{
  g_return_if_fail (HANGAR_IS_INTERFACES_PAGE (self));
  g_return_if_fail (connection == NULL || HANGAR_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;
  g_signal_group_set_target (self->connection_signals, connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

/* Reads the interfaces the first time the page is shown. */
void
hangar_interfaces_page_load (HangarInterfacesPage *self)
{
  g_return_if_fail (HANGAR_IS_INTERFACES_PAGE (self));

  if (!self->wanted)
    hangar_interfaces_page_reload (self);
}

/* Reads the interfaces again, when the host is there to ask. */
void
hangar_interfaces_page_reload (HangarInterfacesPage *self)
{
  g_return_if_fail (HANGAR_IS_INTERFACES_PAGE (self));

  if (self->connection == NULL
      || hangar_connection_get_state (self->connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    return;
  self->wanted = TRUE;
  list_interfaces (self);
}

/* Whether a read or a change is still running. */
gboolean
hangar_interfaces_page_is_busy (HangarInterfacesPage *self)
{
  g_return_val_if_fail (HANGAR_IS_INTERFACES_PAGE (self), FALSE);

  return self->pending > 0;
}

/**
 * hangar_interfaces_page_get_interfaces:
 *
 * Returns: (transfer none): the #HangarHostInterface rows shown
 */
GListModel *
hangar_interfaces_page_get_interfaces (HangarInterfacesPage *self)
{
  g_return_val_if_fail (HANGAR_IS_INTERFACES_PAGE (self), NULL);

  return G_LIST_MODEL (self->interfaces);
}

/* Why the page has no list, or %NULL. */
const char *
hangar_interfaces_page_get_message (HangarInterfacesPage *self)
{
  g_return_val_if_fail (HANGAR_IS_INTERFACES_PAGE (self), NULL);

  return self->message;
}
