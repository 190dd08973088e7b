/* hangar-host-window.c — one host's details in a window of its own.
 *
 * The overview is read when the window opens; usage is polled once a
 * second only while the window is mapped. The networks, storage and
 * interfaces pages (HangarNetworksPage, HangarStoragePage,
 * HangarInterfacesPage) are placed by the template and read their lists the
 * first time they are shown (storage never at connect: hosts with many
 * pools would make every connection slow). All reads and changes go through
 * hangar-host-model's workers; this file only shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-host-common.h"
#include "hangar-graph.h"
#include "hangar-host-model.h"
#include "hangar-host-window.h"
#include "hangar-interfaces-page.h"
#include "hangar-networks-page.h"
#include "hangar-storage-page.h"
#include "hangar-units.h"

#define USAGE_INTERVAL_MS 1000

struct _HangarHostWindow
{
  AdwApplicationWindow   parent_instance;

  /* Template widgets */
  AdwToastOverlay       *toast_overlay;
  AdwViewSwitcherTitle  *switcher_title;
  AdwViewStack          *view_stack;
  GtkLabel              *hostname_label;
  GtkLabel              *hypervisor_label;
  GtkLabel              *libvirt_label;
  AdwActionRow          *cpu_row;
  GtkLabel              *cpu_label;
  GtkLabel              *memory_label;
  GtkLabel              *cpu_usage_label;
  GtkLabel              *memory_usage_label;
  HangarGraph           *cpu_graph;
  HangarGraph           *memory_graph;
  AdwActionRow          *virt_row;
  AdwActionRow          *virt_facts_row;
  GtkImage              *virt_icon;
  HangarNetworksPage    *networks_page;
  HangarStoragePage     *storage_page;
  HangarInterfacesPage  *interfaces_page;

  HangarConnection      *connection;
  GCancellable          *cancellable;
  HangarHostOverview    *overview;

  guint                  usage_source;
  HangarHostUsage        last_usage;
  guint                  n_usage_samples;
  guint                  pending;
  guint                  usage_in_flight : 1;
};

G_DEFINE_FINAL_TYPE (HangarHostWindow, hangar_host_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
job_started (HangarHostWindow *self)
{
  self->pending++;
}

static void
job_done (HangarHostWindow *self)
{
  g_assert (self->pending > 0);
  self->pending--;
}

/* --- overview ------------------------------------------------------------------------ */

static const char *
fact_text (HangarFact fact,
           const char *yes,
           const char *no)
{
  switch (fact)
    {
    case HANGAR_FACT_YES:
      return yes;
    case HANGAR_FACT_NO:
      return no;
    case HANGAR_FACT_UNKNOWN:
    default:
      return _("not known");
    }
}

static void
show_overview (HangarHostWindow *self)
{
  HangarHostOverview *o = self->overview;
  g_autofree char *hypervisor = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *topology = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *title = NULL;
  g_autofree char *advice = NULL;
  g_autofree char *facts = NULL;
  g_autoptr(GString) cpu_flags = g_string_new (NULL);
  HangarVirtVerdict verdict;

  gtk_label_set_text (self->hostname_label, o->hostname ? o->hostname : _("Unknown"));
  adw_view_switcher_title_set_subtitle (self->switcher_title, o->hostname);
  hypervisor = g_strdup_printf ("%s %s", o->hypervisor ? o->hypervisor : _("Unknown"),
                                o->hypervisor_version ? o->hypervisor_version : "");
  gtk_label_set_text (self->hypervisor_label, g_strstrip (hypervisor));
  gtk_label_set_text (self->libvirt_label, o->libvirt_version ? o->libvirt_version
                                                              : _("Unknown"));
  /* Translators: CPU model and count of logical CPUs */
  cpu = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u CPU", "%s, %u CPUs", o->cpus),
                         o->cpu_model ? o->cpu_model : _("Unknown model"), o->cpus);
  /* Translators: architecture, then CPU topology */
  topology = g_strdup_printf (_("%s · %u × %u cores × %u threads · %u MHz"),
                              o->arch ? o->arch : "?", o->sockets, o->cores, o->threads,
                              o->mhz);
  adw_action_row_set_subtitle (self->cpu_row, topology);
  gtk_label_set_text (self->cpu_label, cpu);
  memory = hangar_format_kib (o->memory_kib);
  gtk_label_set_text (self->memory_label, memory);

  verdict = hangar_virt_advise (&o->virt, &title, &advice);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->virt_row), title);
  adw_action_row_set_subtitle (self->virt_row, advice ? advice : _("Machines run with KVM."));
  gtk_image_set_from_icon_name (self->virt_icon, verdict == HANGAR_VIRT_WORKS
                                                 ? "emblem-ok-symbolic"
                                                 : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->virt_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->virt_icon), "warning");
  gtk_widget_add_css_class (GTK_WIDGET (self->virt_icon),
                            verdict == HANGAR_VIRT_WORKS ? "success" : "warning");

  if (o->virt.cpu_vmx == HANGAR_FACT_YES)
    g_string_append (cpu_flags, "vmx (Intel VT-x)");
  else if (o->virt.cpu_svm == HANGAR_FACT_YES)
    g_string_append (cpu_flags, "svm (AMD-V)");
  else if (o->virt.cpu_vmx == HANGAR_FACT_NO && o->virt.cpu_svm == HANGAR_FACT_NO)
    g_string_append (cpu_flags, _("neither vmx nor svm"));
  else
    g_string_append (cpu_flags, _("not known"));
  if (o->virt.local)
    facts = g_strdup_printf (_("Processor flags: %s · /dev/kvm: %s, %s · libvirt offers KVM: %s"),
                             cpu_flags->str,
                             fact_text (o->virt.kvm_device, _("present"), _("missing")),
                             fact_text (o->virt.kvm_usable, _("usable by you"),
                                        _("not usable by you")),
                             fact_text (o->virt.kvm_in_libvirt, _("yes"), _("no")));
  else
    facts = g_strdup_printf (_("Processor flags: %s · libvirt offers KVM: %s "
                               "(a remote host's /dev/kvm cannot be checked from here)"),
                             cpu_flags->str,
                             fact_text (o->virt.kvm_in_libvirt, _("yes"), _("no")));
  adw_action_row_set_subtitle (self->virt_facts_row, facts);
}

static void
on_overview_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  HangarHostOverview *overview = hangar_host_read_overview_finish (result, &error);
  HangarHostWindow *self = user_data;

  if (hangar_host_cancelled (error))
    return;
  job_done (self);
  if (overview == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->virt_row),
                                     _("Could not read the host"));
      adw_action_row_set_subtitle (self->virt_row, error->message);
      gtk_image_set_from_icon_name (self->virt_icon, "dialog-warning-symbolic");
      return;
    }
  g_clear_pointer (&self->overview, hangar_host_overview_free);
  self->overview = overview;
  show_overview (self);
}

static void
load_overview (HangarHostWindow *self)
{
  job_started (self);
  hangar_host_read_overview_async (self->connection, self->cancellable, on_overview_read, self);
}

/* --- usage ------------------------------------------------------------------------- */

static void
on_usage_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  HangarHostUsage usage;
  HangarHostWindow *self = user_data;
  gboolean ok = hangar_host_read_usage_finish (result, &usage, &error);
  g_autofree char *used = NULL;
  g_autofree char *total = NULL;
  g_autofree char *memory_text = NULL;
  g_autofree char *cpu_text = NULL;
  double memory_percent;

  if (hangar_host_cancelled (error))
    return;
  self->usage_in_flight = FALSE;
  if (!ok)
    {
      /* A dropped connection shows elsewhere; the graphs just pause. */
      g_debug ("usage: %s", error->message);
      return;
    }

  if (self->last_usage.cpu_total > 0)
    {
      double cpu = hangar_host_cpu_percent (self->last_usage.cpu_busy, self->last_usage.cpu_total,
                                            usage.cpu_busy, usage.cpu_total);

      hangar_graph_push_sample (self->cpu_graph, cpu);
      /* Translators: CPU use in percent */
      cpu_text = g_strdup_printf (_("%.0f %%"), cpu);
      gtk_label_set_text (self->cpu_usage_label, cpu_text);
    }
  memory_percent = usage.memory_total_kib > 0
                   ? 100.0 * usage.memory_used_kib / usage.memory_total_kib : 0.0;
  hangar_graph_push_sample (self->memory_graph, memory_percent);
  used = hangar_format_kib (usage.memory_used_kib);
  total = hangar_format_kib (usage.memory_total_kib);
  /* Translators: memory in use, of the total */
  memory_text = g_strdup_printf (_("%s of %s"), used, total);
  gtk_label_set_text (self->memory_usage_label, memory_text);

  self->last_usage = usage;
  self->n_usage_samples++;
}

static gboolean
usage_tick (gpointer user_data)
{
  HangarHostWindow *self = user_data;

  /* A slow host gets one request at a time, never a queue. */
  if (!self->usage_in_flight
      && hangar_connection_get_state (self->connection) == HANGAR_CONNECTION_STATE_CONNECTED)
    {
      self->usage_in_flight = TRUE;
      hangar_host_read_usage_async (self->connection, self->cancellable, on_usage_read, self);
    }
  return G_SOURCE_CONTINUE;
}

static void
usage_start (HangarHostWindow *self)
{
  if (self->usage_source != 0)
    return;
  usage_tick (self);
  self->usage_source = g_timeout_add (USAGE_INTERVAL_MS, usage_tick, self);
}

static void
usage_stop (HangarHostWindow *self)
{
  g_clear_handle_id (&self->usage_source, g_source_remove);
}

/* --- pages ----------------------------------------------------------------------------- */

static void
load_page (HangarHostWindow *self,
           const char       *page)
{
  if (hangar_connection_get_state (self->connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    return;
  if (g_strcmp0 (page, "networks") == 0)
    hangar_networks_page_reload (self->networks_page);
  else if (g_strcmp0 (page, "storage") == 0)
    hangar_storage_page_reload (self->storage_page);
  else if (g_strcmp0 (page, "interfaces") == 0)
    hangar_interfaces_page_reload (self->interfaces_page);
  else
    load_overview (self);
}

/* Each page is read the first time it is shown. */
static void
on_page_changed (HangarHostWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (page, "networks") == 0)
    hangar_networks_page_load (self->networks_page);
  else if (g_strcmp0 (page, "storage") == 0)
    hangar_storage_page_load (self->storage_page);
  else if (g_strcmp0 (page, "interfaces") == 0)
    hangar_interfaces_page_load (self->interfaces_page);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HangarHostWindow *self = HANGAR_HOST_WINDOW (widget);

  load_page (self, adw_view_stack_get_visible_child_name (self->view_stack));
}

static void
on_connection_state (HangarHostWindow *self)
{
  HangarConnectionState state = hangar_connection_get_state (self->connection);

  if (state != HANGAR_CONNECTION_STATE_CONNECTED)
    {
      if (state == HANGAR_CONNECTION_STATE_FAILED)
        hangar_host_toast (GTK_WIDGET (self->toast_overlay),
                           hangar_connection_get_error_message (self->connection));
      return;
    }
  /* Back (or there for the first time): read the overview again; the pages
   * read again what they showed. */
  load_overview (self);
}

static void
update_title (HangarHostWindow *self)
{
  const char *name = hangar_connection_get_display_name (self->connection);
  /* Translators: the window title, with the connection's name */
  g_autofree char *title = g_strdup_printf (_("%s — Host Details"), name);

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_view_switcher_title_set_title (self->switcher_title, name);
}

/* --- the object ------------------------------------------------------------------------ */

static void
hangar_host_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hangar_host_window_parent_class)->map (widget);
  usage_start (HANGAR_HOST_WINDOW (widget));
}

static void
hangar_host_window_unmap (GtkWidget *widget)
{
  usage_stop (HANGAR_HOST_WINDOW (widget));
  GTK_WIDGET_CLASS (hangar_host_window_parent_class)->unmap (widget);
}

static void
hangar_host_window_constructed (GObject *object)
{
  HangarHostWindow *self = HANGAR_HOST_WINDOW (object);

  G_OBJECT_CLASS (hangar_host_window_parent_class)->constructed (object);

  g_assert (HANGAR_IS_CONNECTION (self->connection));
  update_title (self);
  g_signal_connect_object (self->connection, "notify::state",
                           G_CALLBACK (on_connection_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::display-name",
                           G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  if (hangar_connection_get_state (self->connection) == HANGAR_CONNECTION_STATE_CONNECTED)
    load_overview (self);
}

static void
hangar_host_window_dispose (GObject *object)
{
  HangarHostWindow *self = HANGAR_HOST_WINDOW (object);

  usage_stop (self);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_HOST_WINDOW);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (hangar_host_window_parent_class)->dispose (object);
}

static void
hangar_host_window_finalize (GObject *object)
{
  HangarHostWindow *self = HANGAR_HOST_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->overview, hangar_host_overview_free);
  G_OBJECT_CLASS (hangar_host_window_parent_class)->finalize (object);
}

static void
hangar_host_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HangarHostWindow *self = HANGAR_HOST_WINDOW (object);

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
hangar_host_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HangarHostWindow *self = HANGAR_HOST_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_host_window_class_init (HangarHostWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hangar_host_window_constructed;
  object_class->dispose = hangar_host_window_dispose;
  object_class->finalize = hangar_host_window_finalize;
  object_class->get_property = hangar_host_window_get_property;
  object_class->set_property = hangar_host_window_set_property;
  widget_class->map = hangar_host_window_map;
  widget_class->unmap = hangar_host_window_unmap;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, HANGAR_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HANGAR_TYPE_GRAPH);
  g_type_ensure (HANGAR_TYPE_NETWORKS_PAGE);
  g_type_ensure (HANGAR_TYPE_STORAGE_PAGE);
  g_type_ensure (HANGAR_TYPE_INTERFACES_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-host-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, hostname_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, hypervisor_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, libvirt_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, cpu_row);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, cpu_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, memory_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, cpu_usage_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, memory_usage_label);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, cpu_graph);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, memory_graph);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, virt_row);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, virt_facts_row);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, virt_icon);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, networks_page);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, storage_page);
  gtk_widget_class_bind_template_child (widget_class, HangarHostWindow, interfaces_page);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);

  gtk_widget_class_install_action (widget_class, "host.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "host.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
hangar_host_window_init (HangarHostWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* --- public API ------------------------------------------------------------------------ */

HangarHostWindow *
hangar_host_window_new (GtkApplication   *application,
                        HangarConnection *connection)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (HANGAR_IS_CONNECTION (connection), NULL);

  return g_object_new (HANGAR_TYPE_HOST_WINDOW,
                       "application", application,
                       "connection", connection,
                       NULL);
}

/**
 * hangar_host_window_present_for:
 *
 * Shows @connection's host window, opening it the first time: there is
 * one per connection.
 */
void
hangar_host_window_present_for (GtkApplication   *application,
                                HangarConnection *connection)
{
  g_return_if_fail (GTK_IS_APPLICATION (application));
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (HANGAR_IS_HOST_WINDOW (l->data) && HANGAR_HOST_WINDOW (l->data)->connection == connection)
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return;
      }
  gtk_window_present (GTK_WINDOW (hangar_host_window_new (application, connection)));
}

HangarConnection *
hangar_host_window_get_connection (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return self->connection;
}

/* "overview", "networks", "storage" or "interfaces". */
const char *
hangar_host_window_get_page (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

void
hangar_host_window_set_page (HangarHostWindow *self,
                             const char       *page)
{
  g_return_if_fail (HANGAR_IS_HOST_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, page);
}

/* Whether a read or a change is still running. */
gboolean
hangar_host_window_is_busy (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), FALSE);

  return self->pending > 0
         || hangar_networks_page_is_busy (self->networks_page)
         || hangar_storage_page_is_busy (self->storage_page)
         || hangar_interfaces_page_is_busy (self->interfaces_page);
}

gboolean
hangar_host_window_has_overview (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), FALSE);

  return self->overview != NULL;
}

guint
hangar_host_window_get_n_usage_samples (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), 0);

  return self->n_usage_samples;
}

/**
 * hangar_host_window_get_networks:
 *
 * Returns: (transfer none): the #HangarHostNetwork rows shown
 */
GListModel *
hangar_host_window_get_networks (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return hangar_networks_page_get_networks (self->networks_page);
}

/**
 * hangar_host_window_get_pools:
 *
 * Returns: (transfer none): the #HangarHostPool rows shown
 */
GListModel *
hangar_host_window_get_pools (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return hangar_storage_page_get_pools (self->storage_page);
}

/**
 * hangar_host_window_get_volumes:
 *
 * Returns: (transfer none): the selected pool's #HangarHostVolume rows
 */
GListModel *
hangar_host_window_get_volumes (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return hangar_storage_page_get_volumes (self->storage_page);
}

/**
 * hangar_host_window_get_interfaces:
 *
 * Returns: (transfer none): the #HangarHostInterface rows shown
 */
GListModel *
hangar_host_window_get_interfaces (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return hangar_interfaces_page_get_interfaces (self->interfaces_page);
}

/* How many times the pools were listed: 0 until the Storage page is shown. */
guint
hangar_host_window_get_n_pool_listings (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), 0);

  return hangar_storage_page_get_n_pool_listings (self->storage_page);
}

const char *
hangar_host_window_get_selected_pool (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return hangar_storage_page_get_selected_pool (self->storage_page);
}

/* Why the interfaces page has no list, or %NULL. */
const char *
hangar_host_window_get_interfaces_message (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return hangar_interfaces_page_get_message (self->interfaces_page);
}

/**
 * hangar_host_window_get_form:
 *
 * Returns: (transfer none) (nullable): the open new-network, new-pool or
 *   new-volume form
 */
GtkWindow *
hangar_host_window_get_form (HangarHostWindow *self)
{
  GtkWindow *form;

  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  form = hangar_networks_page_get_form (self->networks_page);
  return form != NULL ? form : hangar_storage_page_get_form (self->storage_page);
}

/* The pages, for tests: each owns its host.* actions. */
GtkWidget *
hangar_host_window_get_networks_page (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return GTK_WIDGET (self->networks_page);
}

GtkWidget *
hangar_host_window_get_storage_page (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return GTK_WIDGET (self->storage_page);
}

GtkWidget *
hangar_host_window_get_interfaces_page (HangarHostWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_WINDOW (self), NULL);

  return GTK_WIDGET (self->interfaces_page);
}
