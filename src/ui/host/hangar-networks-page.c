/* hangar-networks-page.c — the host window's virtual networks page.
 *
 * The list is read the first time the page is shown (hangar_networks_page_load)
 * and again when the connection comes back; every change goes through
 * hangar-host-model's workers and is followed by a new listing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-accessible.h"
#include "hangar-connection.h"
#include "hangar-host-common.h"
#include "hangar-host-model.h"
#include "hangar-networks-page.h"
#include "hangar-plain-text.h"

struct _HangarNetworksPage
{
  AdwPreferencesPage    parent_instance;

  /* Template widgets */
  AdwPreferencesGroup  *networks_group;
  GtkListBox           *networks_list;

  HangarConnection     *connection;
  GSignalGroup         *connection_signals;
  GCancellable         *cancellable;
  GListStore           *networks;
  HangarHostFormDialog *form;          /* weak: the open form, if any */
  guint                 pending;
  guint                 wanted : 1;
};

G_DEFINE_FINAL_TYPE (HangarNetworksPage, hangar_networks_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_networks (HangarNetworksPage *self);

/* The form's choices, in this order. */
static const HangarNetworkForward forward_choices[] = {
  HANGAR_NETWORK_FORWARD_NAT,
  HANGAR_NETWORK_FORWARD_ROUTE,
  HANGAR_NETWORK_FORWARD_ISOLATED,
  HANGAR_NETWORK_FORWARD_OPEN,
};

static const char *
forward_label (const char *mode)
{
  if (mode == NULL)
    return _("Isolated");
  if (g_str_equal (mode, "nat"))
    return _("NAT");
  if (g_str_equal (mode, "route"))
    return _("Routed");
  if (g_str_equal (mode, "open"))
    return _("Open");
  if (g_str_equal (mode, "bridge"))
    return _("Bridged");
  return mode;
}

static GtkWidget *
property_row (const char *title,
              const char *value)
{
  GtkWidget *row = hangar_row_plain (adw_action_row_new ());
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  hangar_accessible_name_row_controls (row);
  return row;
}

static void
on_autostart_changed (GtkSwitch  *button,
                      GParamSpec *pspec,
                      const char *name)
{
  gtk_widget_activate_action (GTK_WIDGET (button),
                              gtk_switch_get_active (button) ? "host.network-autostart-on"
                                                             : "host.network-autostart-off",
                              "s", name);
}

static GtkWidget *
create_network_row (gpointer item,
                    gpointer user_data)
{
  HangarHostNetwork *net = item;
  GtkWidget *row = hangar_row_plain (adw_expander_row_new ());
  GtkWidget *autostart_row = adw_action_row_new ();
  GtkWidget *autostart = gtk_switch_new ();
  g_autoptr(GString) subtitle = g_string_new (net->active ? _("Active") : _("Inactive"));
  g_autofree char *dhcp = NULL;
  g_autofree char *users = NULL;

  g_string_append_printf (subtitle, " · %s", forward_label (net->forward));
  if (net->ipv4 != NULL)
    g_string_append_printf (subtitle, " · %s", net->ipv4);
  if (net->autostart)
    g_string_append_printf (subtitle, " · %s", _("starts with the host"));
  if (net->users != NULL && net->users[0] != NULL)
    g_string_append_printf (subtitle, " · %s",
                            g_dngettext (GETTEXT_PACKAGE, "in use by a running machine",
                                         "in use by running machines",
                                         g_strv_length (net->users)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), net->name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row),
                               gtk_image_new_from_icon_name (net->active
                                                             ? "network-workgroup-symbolic"
                                                             : "network-offline-symbolic"));

  if (net->active)
    adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                                 hangar_host_action_button ("media-playback-stop-symbolic",
                                                             _("Stop"), "host.network-stop",
                                                             net->name));
  else
    adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                                 hangar_host_action_button ("media-playback-start-symbolic",
                                                             _("Start"), "host.network-start",
                                                             net->name));
  {
    GtkWidget *delete = hangar_host_action_button ("user-trash-symbolic", _("Delete"),
                                                    "host.network-delete", net->name);

    /* Set apart from Stop and coloured as destructive: a slip of the
     * pointer from one to the other must not land on Delete. It asks too.
     * The row puts each action before the ones added earlier, so the gap
     * goes on Delete's end, towards Stop. */
    gtk_widget_set_margin_end (delete, 18);
    gtk_widget_add_css_class (delete, "error");
    adw_expander_row_add_action (ADW_EXPANDER_ROW (row), delete);
  }

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            property_row (_("Forwarding"), forward_label (net->forward)));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            property_row (_("IPv4 network"), net->ipv4 ? net->ipv4 : _("None")));
  if (net->dhcp_start != NULL && net->dhcp_end != NULL)
    dhcp = g_strdup_printf ("%s – %s", net->dhcp_start, net->dhcp_end);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            property_row (_("DHCP range"), dhcp ? dhcp : _("No DHCP")));
  if (net->bridge != NULL)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), property_row (_("Bridge"), net->bridge));
  if (net->users != NULL && net->users[0] != NULL)
    {
      users = g_strjoinv (", ", net->users);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                property_row (_("Used by running machines"), users));
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (autostart_row),
                                 _("Start with the host"));
  gtk_switch_set_active (GTK_SWITCH (autostart), net->autostart);
  gtk_widget_set_valign (autostart, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (autostart, net->persistent);
  adw_action_row_add_suffix (ADW_ACTION_ROW (autostart_row), autostart);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (autostart_row), autostart);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), autostart_row);
  /* The row lives no longer than its item: the name stays valid. */
  g_signal_connect (autostart, "notify::active", G_CALLBACK (on_autostart_changed), net->name);
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (net), g_object_unref);
  hangar_accessible_name_row_controls (row);
  return row;
}

/* --- listing ------------------------------------------------------------------------- */

static void
on_networks_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = hangar_host_list_finish (result, &error);
  HangarNetworksPage *self = user_data;

  if (hangar_host_cancelled (error))
    return;
  g_assert (self->pending > 0);
  self->pending--;
  if (rows == NULL)
    {
      hangar_group_set_plain_description (self->networks_group, error->message);
      return;
    }
  adw_preferences_group_set_description (self->networks_group,
                                         rows->len == 0 ? _("This host has no virtual networks.")
                                                        : NULL);
  hangar_host_store_replace (self->networks, rows);
}

static void
list_networks (HangarNetworksPage *self)
{
  self->pending++;
  hangar_host_list_networks_async (self->connection, self->cancellable, on_networks_listed,
                                   self);
}

/* --- changes ------------------------------------------------------------------------- */

typedef struct
{
  HangarNetworksPage   *self;     /* not a reference: see hangar_host_cancelled */
  char                 *name;
  HangarHostAction      action;
  HangarHostFormDialog *form;
} NetworkOp;

static void
network_op_free (NetworkOp *op)
{
  g_free (op->name);
  g_clear_object (&op->form);
  g_free (op);
}

static const char *
action_heading (HangarHostAction action)
{
  switch (action)
    {
    case HANGAR_HOST_ACTION_START:
      return _("Network Not Started");
    case HANGAR_HOST_ACTION_STOP:
      return _("Network Not Stopped");
    case HANGAR_HOST_ACTION_DELETE:
      return _("Network Not Deleted");
    default:
      return _("Network Not Changed");
    }
}

static void
on_network_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  NetworkOp *op = user_data;
  HangarNetworksPage *self = op->self;
  g_autoptr(GError) error = NULL;

  if (!hangar_host_op_finish (result, &error) && hangar_host_cancelled (error))
    {
      network_op_free (op);
      return;
    }
  g_assert (self->pending > 0);
  self->pending--;
  if (error != NULL)
    {
      if (g_error_matches (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IN_USE))
        hangar_host_show_error (GTK_WIDGET (self), _("Network In Use"), error);
      else
        hangar_host_show_error (GTK_WIDGET (self), action_heading (op->action), error);
    }
  else if (op->action == HANGAR_HOST_ACTION_DELETE)
    {
      g_autofree char *text = g_strdup_printf (_("Network “%s” deleted"), op->name);

      hangar_host_toast (GTK_WIDGET (self), text);
    }
  list_networks (self);
  network_op_free (op);
}

static void
run_network_action (HangarNetworksPage *self,
                    const char         *name,
                    HangarHostAction    action)
{
  NetworkOp *op = g_new0 (NetworkOp, 1);

  op->self = self;
  op->name = g_strdup (name);
  op->action = action;
  self->pending++;
  hangar_host_network_run_async (self->connection, name, action, self->cancellable,
                                 on_network_done, op);
}

static void
on_delete_response (AdwMessageDialog   *dialog,
                    const char         *response,
                    HangarNetworksPage *self)
{
  if (g_str_equal (response, "delete"))
    run_network_action (self, g_object_get_data (G_OBJECT (dialog), "name"),
                        HANGAR_HOST_ACTION_DELETE);
}

static void
network_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HangarNetworksPage *self = HANGAR_NETWORKS_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (g_str_equal (action_name, "host.network-start"))
    run_network_action (self, name, HANGAR_HOST_ACTION_START);
  else if (g_str_equal (action_name, "host.network-stop"))
    run_network_action (self, name, HANGAR_HOST_ACTION_STOP);
  else if (g_str_equal (action_name, "host.network-autostart-on"))
    run_network_action (self, name, HANGAR_HOST_ACTION_AUTOSTART_ON);
  else if (g_str_equal (action_name, "host.network-autostart-off"))
    run_network_action (self, name, HANGAR_HOST_ACTION_AUTOSTART_OFF);
  else if (g_str_equal (action_name, "host.network-delete"))
    {
      g_autofree char *heading = g_strdup_printf (_("Delete the Network “%s”?"), name);
      GtkWidget *dialog = adw_message_dialog_new (hangar_host_page_window (GTK_WIDGET (self)),
                                                  heading,
                                                  _("Its definition is removed from the host. "
                                                    "Machines set up to use it will not start "
                                                    "until they are given another network."));

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "delete", _("_Delete"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
      g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (name), g_free);
      g_signal_connect (dialog, "response", G_CALLBACK (on_delete_response), self);
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

/* --- the new-network form ---------------------------------------------------------- */

static void
existing_networks (HangarNetworksPage   *self,
                   char               ***names,
                   char               ***ranges)
{
  g_autoptr(GStrvBuilder) name_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) range_builder = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->networks));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarHostNetwork) net = g_list_model_get_item (G_LIST_MODEL (self->networks), i);

      g_strv_builder_add (name_builder, net->name);
      if (net->ipv4 != NULL)
        {
          g_autofree char *range = g_strdup_printf ("%s %s", net->ipv4, net->name);

          g_strv_builder_add (range_builder, range);
        }
    }
  *names = g_strv_builder_end (name_builder);
  *ranges = g_strv_builder_end (range_builder);
}

static void
on_network_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  NetworkOp *op = user_data;
  HangarNetworksPage *self = op->self;
  g_autoptr(GError) error = NULL;

  if (!hangar_host_op_finish (result, &error) && hangar_host_cancelled (error))
    {
      network_op_free (op);
      return;
    }
  g_assert (self->pending > 0);
  self->pending--;
  hangar_host_form_dialog_set_busy (op->form, FALSE);
  if (error != NULL && self->form != op->form)
    hangar_host_show_error (GTK_WIDGET (self), _("Network Not Created"), error);
  else if (error != NULL)
    hangar_host_form_dialog_show_error (op->form, error);
  else
    {
      g_autofree char *text = g_strdup_printf (_("Network “%s” created and started"), op->name);

      /* A form that is no longer the window's was closed already. */
      if (self->form == op->form)
        hangar_host_set_form (&self->form, NULL);
      hangar_host_toast (GTK_WIDGET (self), text);
    }
  list_networks (self);
  network_op_free (op);
}

static void
on_network_form_submit (HangarHostFormDialog *form,
                        HangarNetworksPage   *self)
{
  HangarNetworkSpec spec = { 0 };
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) ranges = NULL;
  g_autoptr(GError) error = NULL;
  NetworkOp *op;
  guint choice;

  spec.name = hangar_host_form_dialog_get_text (form, "name");
  choice = hangar_host_form_dialog_get_choice (form, "forward");
  spec.forward = forward_choices[MIN (choice, G_N_ELEMENTS (forward_choices) - 1)];
  spec.network = hangar_host_form_dialog_get_text (form, "network");
  spec.dhcp_start = hangar_host_form_dialog_get_text (form, "dhcp-start");
  spec.dhcp_end = hangar_host_form_dialog_get_text (form, "dhcp-end");

  /* First against what the page shows; the worker checks again against the host. */
  existing_networks (self, &names, &ranges);
  if (!hangar_network_spec_check (&spec, (const char * const *) names,
                                  (const char * const *) ranges, NULL, &error))
    {
      hangar_host_form_dialog_show_error (form, error);
      return;
    }

  op = g_new0 (NetworkOp, 1);
  op->self = self;
  op->name = g_strdup (spec.name);
  op->form = g_object_ref (form);
  hangar_host_form_dialog_set_busy (form, TRUE);
  self->pending++;
  hangar_host_network_create_async (self->connection, &spec, self->cancellable,
                                    on_network_created, op);
}

/* A name and a 192.168.x.0/24 nobody uses yet, so the form starts valid. */
static void
suggest_network (HangarNetworksPage  *self,
                 char               **name,
                 char               **range,
                 char               **start,
                 char               **end)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) ranges = NULL;

  existing_networks (self, &names, &ranges);
  for (guint i = 1; ; i++)
    {
      *name = g_strdup_printf ("network%u", i);
      if (!g_strv_contains ((const char * const *) names, *name))
        break;
      g_free (*name);
    }
  for (guint third = 100; third < 255; third++)
    {
      HangarNetworkSpec spec = { .name = "x" };
      g_autofree char *candidate = g_strdup_printf ("192.168.%u.0/24", third);

      spec.network = candidate;
      if (hangar_network_spec_check (&spec, NULL, (const char * const *) ranges, NULL, NULL))
        {
          *range = g_steal_pointer (&candidate);
          *start = g_strdup_printf ("192.168.%u.128", third);
          *end = g_strdup_printf ("192.168.%u.254", third);
          return;
        }
    }
  *range = g_strdup ("");
  *start = g_strdup ("");
  *end = g_strdup ("");
}

static void
new_network_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HangarNetworksPage *self = HANGAR_NETWORKS_PAGE (widget);
  const char *forward_labels[] = {
    _("NAT — guests reach outside through the host"),
    _("Routed — guests routed, not translated"),
    _("Isolated — guests and host only"),
    _("Open — no firewall rules added"),
    NULL,
  };
  g_autofree char *name = NULL;
  g_autofree char *range = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  HangarHostFormDialog *form;

  suggest_network (self, &name, &range, &start, &end);
  form = hangar_host_form_dialog_new (hangar_host_page_window (GTK_WIDGET (self)),
                                      _("New Virtual Network"), _("_Create"));
  hangar_host_form_dialog_add_entry (form, "name", _("Name"), name);
  hangar_host_form_dialog_add_choice (form, "forward", _("Connectivity"), forward_labels, 0);
  hangar_host_form_dialog_add_entry (form, "network", _("IPv4 network (address/prefix)"), range);
  hangar_host_form_dialog_add_entry (form, "dhcp-start", _("DHCP range start (empty: no DHCP)"),
                                     start);
  hangar_host_form_dialog_add_entry (form, "dhcp-end", _("DHCP range end"), end);
  g_signal_connect_object (form, "submit", G_CALLBACK (on_network_form_submit), self, 0);
  hangar_host_set_form (&self->form, form);
}

/* --- the object ------------------------------------------------------------------------ */

/* Back (or there for the first time): read again what was shown. */
static void
on_connection_state (HangarNetworksPage *self)
{
  if (self->wanted
      && hangar_connection_get_state (self->connection) == HANGAR_CONNECTION_STATE_CONNECTED)
    list_networks (self);
}

static void
hangar_networks_page_dispose (GObject *object)
{
  HangarNetworksPage *self = HANGAR_NETWORKS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  hangar_host_set_form (&self->form, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_NETWORKS_PAGE);
  g_clear_object (&self->networks);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (hangar_networks_page_parent_class)->dispose (object);
}

static void
hangar_networks_page_finalize (GObject *object)
{
  HangarNetworksPage *self = HANGAR_NETWORKS_PAGE (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (hangar_networks_page_parent_class)->finalize (object);
}

static void
hangar_networks_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HangarNetworksPage *self = HANGAR_NETWORKS_PAGE (object);

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
hangar_networks_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  HangarNetworksPage *self = HANGAR_NETWORKS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      hangar_networks_page_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_networks_page_class_init (HangarNetworksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_networks_page_dispose;
  object_class->finalize = hangar_networks_page_finalize;
  object_class->get_property = hangar_networks_page_get_property;
  object_class->set_property = hangar_networks_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, HANGAR_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-networks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarNetworksPage, networks_group);
  gtk_widget_class_bind_template_child (widget_class, HangarNetworksPage, networks_list);

  gtk_widget_class_install_action (widget_class, "host.new-network", NULL, new_network_action);
  gtk_widget_class_install_action (widget_class, "host.network-start", "s", network_action);
  gtk_widget_class_install_action (widget_class, "host.network-stop", "s", network_action);
  gtk_widget_class_install_action (widget_class, "host.network-autostart-on", "s",
                                   network_action);
  gtk_widget_class_install_action (widget_class, "host.network-autostart-off", "s",
                                   network_action);
  gtk_widget_class_install_action (widget_class, "host.network-delete", "s", network_action);
}

static void
hangar_networks_page_init (HangarNetworksPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->networks = g_list_store_new (HANGAR_TYPE_HOST_NETWORK);
  self->connection_signals = g_signal_group_new (HANGAR_TYPE_CONNECTION);
  g_signal_group_connect_swapped (self->connection_signals, "notify::state",
                                  G_CALLBACK (on_connection_state), self);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_bind_model (self->networks_list, G_LIST_MODEL (self->networks),
                           create_network_row, self, NULL);
}

/* --- public API ------------------------------------------------------------------------ */

HangarConnection *
hangar_networks_page_get_connection (HangarNetworksPage *self)
{
  g_return_val_if_fail (HANGAR_IS_NETWORKS_PAGE (self), NULL);

  return self->connection;
}

void
hangar_networks_page_set_connection (HangarNetworksPage *self,
                                     HangarConnection   *connection)
{
  g_return_if_fail (HANGAR_IS_NETWORKS_PAGE (self));
  g_return_if_fail (connection == NULL || HANGAR_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;
  g_signal_group_set_target (self->connection_signals, connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

/* Reads the networks the first time the page is shown. */
void
hangar_networks_page_load (HangarNetworksPage *self)
{
  g_return_if_fail (HANGAR_IS_NETWORKS_PAGE (self));

  if (!self->wanted)
    hangar_networks_page_reload (self);
}

/* Reads the networks again, when the host is there to ask. */
void
hangar_networks_page_reload (HangarNetworksPage *self)
{
  g_return_if_fail (HANGAR_IS_NETWORKS_PAGE (self));

  if (self->connection == NULL
      || hangar_connection_get_state (self->connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    return;
  self->wanted = TRUE;
  list_networks (self);
}

/* Whether a read or a change is still running. */
gboolean
hangar_networks_page_is_busy (HangarNetworksPage *self)
{
  g_return_val_if_fail (HANGAR_IS_NETWORKS_PAGE (self), FALSE);

  return self->pending > 0;
}

/**
 * hangar_networks_page_get_networks:
 *
 * Returns: (transfer none): the #HangarHostNetwork rows shown
 */
GListModel *
hangar_networks_page_get_networks (HangarNetworksPage *self)
{
  g_return_val_if_fail (HANGAR_IS_NETWORKS_PAGE (self), NULL);

  return G_LIST_MODEL (self->networks);
}

/**
 * hangar_networks_page_get_form:
 *
 * Returns: (transfer none) (nullable): the open new-network form
 */
GtkWindow *
hangar_networks_page_get_form (HangarNetworksPage *self)
{
  g_return_val_if_fail (HANGAR_IS_NETWORKS_PAGE (self), NULL);

  return GTK_WINDOW (self->form);
}
