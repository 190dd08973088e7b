/* hangar-wizard.c — the new-machine wizard: install media, OS, resources, storage, name.
 *
 * Five pages and a progress page in a GtkStack. Each page has one
 * validation function that writes its messages next to the fields and
 * says whether Forward may be used; every change to a field runs it
 * again. Nothing reaches libvirt from the main thread: the host is read
 * by hangar_host_info_query_async(), media are identified in workers, and
 * HangarVmCreator makes the machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-application.h"
#include "hangar-connection.h"
#include "hangar-connection-manager.h"
#include "hangar-domain-spec.h"
#include "hangar-host-info.h"
#include "hangar-install-checks.h"
#include "hangar-machine-window.h"
#include "hangar-name.h"
#include "hangar-os.h"
#include "hangar-vm.h"
#include "hangar-wizard.h"

#define MIB (G_GUINT64_CONSTANT (1) << 20)
#define GIB (G_GUINT64_CONSTANT (1) << 30)

/* How long typing in the URL field must pause before the tree is read. */
#define URL_CHECK_DELAY_MS 500
/* How long the new machine may take to show up in the connection's list. */
#define VM_APPEAR_TIMEOUT_S 20

static const char *page_order[] = { "source", "os", "resources", "storage", "finish" };

typedef struct
{
  HangarNetworkMode  mode;
  char              *source;
} NetworkChoice;

struct _HangarWizard
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkWidget           *back_button;
  GtkWidget           *forward_button;
  GtkWidget           *busy_spinner;
  GtkStack            *stack;

  GtkWidget           *connection_group;
  AdwComboRow         *connection_row;
  GtkLabel            *connection_error;
  GtkCheckButton      *method_iso;
  GtkCheckButton      *method_url;
  GtkCheckButton      *method_pxe;
  GtkCheckButton      *method_import;
  GtkCheckButton      *method_manual;
  GtkWidget           *iso_group;
  AdwEntryRow         *iso_row;
  GtkWidget           *iso_browse;
  GtkLabel            *iso_error;
  GtkLabel            *iso_status;
  GtkWidget           *url_group;
  AdwEntryRow         *url_row;
  GtkLabel            *url_error;
  GtkLabel            *url_status;
  GtkWidget           *import_group;
  AdwEntryRow         *import_row;
  GtkWidget           *import_browse;
  GtkLabel            *import_error;

  AdwActionRow        *os_row;
  GtkLabel            *os_error;
  AdwEntryRow         *os_search_row;
  GtkListBox          *os_list;

  AdwPreferencesGroup *memory_group;
  GtkSpinButton       *memory_spin;
  GtkLabel            *memory_error;
  GtkLabel            *memory_warning;
  AdwPreferencesGroup *cpus_group;
  GtkSpinButton       *cpus_spin;

  GtkCheckButton      *disk_new;
  GtkCheckButton      *disk_existing;
  GtkCheckButton      *disk_none;
  GtkWidget           *new_disk_group;
  AdwComboRow         *pool_row;
  GtkSpinButton       *size_spin;
  GtkLabel            *size_error;
  GtkWidget           *existing_group;
  AdwEntryRow         *existing_row;
  GtkWidget           *existing_browse;
  GtkLabel            *existing_error;

  AdwEntryRow         *name_row;
  GtkLabel            *name_error;
  AdwComboRow         *network_row;
  AdwEntryRow         *bridge_row;
  GtkLabel            *network_error;
  AdwComboRow         *firmware_row;
  GtkLabel            *firmware_error;
  GtkSwitch           *customize_switch;
  AdwActionRow        *summary_os_row;
  AdwActionRow        *summary_resources_row;
  AdwActionRow        *summary_storage_row;

  AdwStatusPage       *progress_page;
  GtkProgressBar      *progress_bar;
  GtkLabel            *step_label;

  /* State */
  GtkApplication      *application;
  GPtrArray           *connections;       /* HangarConnection offered */
  HangarConnection    *connection;
  HangarHostInfo      *host;
  char                *host_error;
  GCancellable        *host_cancellable;
  gulong               state_handler;

  OsinfoDb            *db;
  GCancellable        *detect_cancellable;
  char                *detect_target;     /* the path or URL being or last identified */
  char                *detected_for;      /* the path or URL last identified */
  char                *detect_error;
  OsinfoOs            *detected_os;
  gboolean             detecting;
  guint                url_timeout;

  OsinfoOs            *os;                /* nullable: generic */
  gboolean             os_chosen;
  gboolean             os_from_user;
  char                *defaults_for;      /* the OS id whose defaults are set */
  gboolean             name_edited;
  gboolean             setting_name;
  GHashTable          *touched;           /* fields the user has edited */

  HangarDiskFormat     import_format;
  HangarDiskFormat     existing_format;
  GArray              *networks;          /* NetworkChoice, as network_row lists them */

  HangarVmCreator     *creator;
  GCancellable        *create_cancellable;
  char                *created_uuid;
  gulong               appear_handler;
  guint                appear_timeout;
  gboolean             failed;
};

G_DEFINE_FINAL_TYPE (HangarWizard, hangar_wizard, ADW_TYPE_WINDOW)

static void update (HangarWizard *self);
static void detect_start (HangarWizard *self);
static void set_os (HangarWizard *self, OsinfoOs *os, gboolean chosen);
static void fill_os_list (HangarWizard *self);

/* --- helpers ------------------------------------------------------------------ */

static const char *
current_page (HangarWizard *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

static HangarInstallMethod
install_method (HangarWizard *self)
{
  if (gtk_check_button_get_active (self->method_url))
    return HANGAR_INSTALL_TREE;
  if (gtk_check_button_get_active (self->method_pxe))
    return HANGAR_INSTALL_PXE;
  if (gtk_check_button_get_active (self->method_import))
    return HANGAR_INSTALL_IMPORT;
  if (gtk_check_button_get_active (self->method_manual))
    return HANGAR_INSTALL_MANUAL;
  return HANGAR_INSTALL_ISO;
}

static char *
entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static gboolean
is_touched (HangarWizard *self,
            gpointer      widget)
{
  return g_hash_table_contains (self->touched, widget);
}

/* Shows @message under the field (or hides the label) and marks @row. */
static void
show_field_error (gpointer    row,
                  GtkLabel   *label,
                  const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (row == NULL)
    return;
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
show_status (GtkLabel   *label,
             const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static HangarPoolInfo *
selected_pool (HangarWizard *self)
{
  guint i = adw_combo_row_get_selected (self->pool_row);

  if (self->host == NULL || self->host->pools == NULL || i >= self->host->pools->len)
    return NULL;
  return g_ptr_array_index (self->host->pools, i);
}

static const NetworkChoice *
selected_network (HangarWizard *self)
{
  guint i = adw_combo_row_get_selected (self->network_row);

  if (self->networks == NULL || i >= self->networks->len)
    return NULL;
  return &g_array_index (self->networks, NetworkChoice, i);
}

static const char *
os_display_name (OsinfoOs *os)
{
  return os ? osinfo_product_get_name (OSINFO_PRODUCT (os)) : _("Generic (unknown system)");
}

/* --- host --------------------------------------------------------------------- */

static void
fill_pools (HangarWizard *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; self->host && i < self->host->pools->len; i++)
    {
      HangarPoolInfo *pool = g_ptr_array_index (self->host->pools, i);
      g_autofree char *free_text = g_format_size_full (pool->available, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *label = NULL;

      if (pool->planned && pool->available == 0)
        label = g_strdup_printf (_("%s (new, in %s)"), pool->name, pool->path);
      else if (pool->planned)
        label = g_strdup_printf (_("%s (new, in %s): %s free"), pool->name, pool->path, free_text);
      else
        label = g_strdup_printf (_("%s: %s free"), pool->name, free_text);
      gtk_string_list_append (list, label);
    }
  adw_combo_row_set_model (self->pool_row, G_LIST_MODEL (list));
}

static void
network_choice_clear (NetworkChoice *choice)
{
  g_free (choice->source);
}

static void
fill_networks (HangarWizard *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint preferred = 0;
  NetworkChoice choice;

  g_array_set_size (self->networks, 0);
  for (guint i = 0; self->host && self->host->networks[i] != NULL; i++)
    {
      g_autofree char *label = g_strdup_printf (_("Network “%s”"),
                                                self->host->networks[i]);

      choice.mode = HANGAR_NETWORK_VIRTUAL;
      choice.source = g_strdup (self->host->networks[i]);
      if (g_str_equal (choice.source, "default") &&
          self->host->kind == HANGAR_CONNECTION_KIND_SYSTEM)
        preferred = self->networks->len;
      g_array_append_val (self->networks, choice);
      gtk_string_list_append (list, label);
    }

  choice.mode = HANGAR_NETWORK_USER;
  choice.source = NULL;
  if (self->host && (self->host->kind == HANGAR_CONNECTION_KIND_SESSION ||
                     self->networks->len == 0))
    preferred = self->networks->len;
  g_array_append_val (self->networks, choice);
  gtk_string_list_append (list, _("User-mode networking"));

  choice.mode = HANGAR_NETWORK_BRIDGE;
  g_array_append_val (self->networks, choice);
  gtk_string_list_append (list, _("Host bridge"));

  choice.mode = HANGAR_NETWORK_NONE;
  g_array_append_val (self->networks, choice);
  gtk_string_list_append (list, _("No network"));

  adw_combo_row_set_model (self->network_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->network_row, preferred);
}

static void
apply_host_limits (HangarWizard *self)
{
  GtkAdjustment *cpus = gtk_spin_button_get_adjustment (self->cpus_spin);
  g_autofree char *memory = NULL;
  g_autofree char *description = NULL;

  if (self->host == NULL)
    return;

  gtk_adjustment_set_upper (cpus, MAX (self->host->cpus, 1));
  description = g_strdup_printf (ngettext ("The host has %u processor.",
                                           "The host has %u processors.", self->host->cpus),
                                 self->host->cpus);
  adw_preferences_group_set_description (self->cpus_group, description);
  g_clear_pointer (&description, g_free);

  memory = g_format_size_full (self->host->memory_mib * MIB, G_FORMAT_SIZE_IEC_UNITS);
  if (self->host->free_memory_mib > 0)
    {
      g_autofree char *free_text = g_format_size_full (self->host->free_memory_mib * MIB,
                                                       G_FORMAT_SIZE_IEC_UNITS);

      description = g_strdup_printf (_("The host has %s of memory, %s of it free."),
                                     memory, free_text);
    }
  else
    description = g_strdup_printf (_("The host has %s of memory."), memory);
  adw_preferences_group_set_description (self->memory_group, description);
}

/* Memory, processors, disk size, firmware: libosinfo's advice for the
 * chosen system, bounded by the host. Applied when the system changes. */
static void
apply_os_defaults (HangarWizard *self)
{
  g_autoptr(HangarDomainSpec) spec = hangar_domain_spec_new ();
  const char *id = self->os ? osinfo_entity_get_id (OSINFO_ENTITY (self->os)) : "generic";
  guint64 memory;
  guint vcpus;

  if (self->host == NULL || g_strcmp0 (self->defaults_for, id) == 0)
    return;
  g_free (self->defaults_for);
  self->defaults_for = g_strdup (id);

  spec->connection_kind = self->host->kind;
  hangar_domain_spec_set_caps (spec, self->host->caps);
  hangar_domain_spec_set_os (spec, self->os);
  hangar_domain_spec_apply_os_defaults (spec);

  memory = spec->memory_mib;
  /* Leave the host a quarter of its memory. */
  if (self->host->memory_mib > 0 && memory > self->host->memory_mib * 3 / 4)
    memory = MAX (256, (self->host->memory_mib * 3 / 4) / 256 * 256);
  vcpus = MIN (spec->vcpus, MAX (self->host->cpus, 1));

  gtk_spin_button_set_value (self->memory_spin, memory);
  gtk_spin_button_set_value (self->cpus_spin, vcpus);
  gtk_spin_button_set_value (self->size_spin, spec->disk_capacity_gib);
  adw_combo_row_set_selected (self->firmware_row, spec->tpm ? 2
                                                  : spec->firmware == HANGAR_FIRMWARE_UEFI ? 1 : 0);
}

static void
suggest_name (HangarWizard *self)
{
  g_autofree char *name = NULL;
  const char *short_id = self->os ? osinfo_product_get_short_id (OSINFO_PRODUCT (self->os)) : NULL;

  if (self->name_edited || self->host == NULL)
    return;
  name = hangar_name_suggest (short_id ? short_id : "machine",
                              (const char * const *) self->host->domain_names);
  self->setting_name = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  self->setting_name = FALSE;
}

static void
on_host_info (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HangarWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  HangarHostInfo *info = hangar_host_info_query_finish (HANGAR_CONNECTION (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->stack == NULL)
    {
      g_clear_pointer (&info, hangar_host_info_free);
      return;
    }
  g_clear_object (&self->host_cancellable);
  if (HANGAR_CONNECTION (object) != self->connection)
    {
      g_clear_pointer (&info, hangar_host_info_free);
      return;
    }

  g_clear_pointer (&self->host_error, g_free);
  if (info == NULL)
    self->host_error = g_strdup (error->message);
  self->host = info;
  if (info != NULL)
    {
      fill_pools (self);
      fill_networks (self);
      apply_host_limits (self);
      g_clear_pointer (&self->defaults_for, g_free);
      apply_os_defaults (self);
      suggest_name (self);
    }
  update (self);
}

static void
query_host (HangarWizard *self)
{
  g_cancellable_cancel (self->host_cancellable);
  g_clear_object (&self->host_cancellable);
  g_clear_pointer (&self->host, hangar_host_info_free);
  g_clear_pointer (&self->host_error, g_free);

  if (self->connection == NULL)
    return;
  switch (hangar_connection_get_state (self->connection))
    {
    case HANGAR_CONNECTION_STATE_CONNECTED:
      self->host_cancellable = g_cancellable_new ();
      hangar_host_info_query_async (self->connection, self->host_cancellable, on_host_info,
                                    g_object_ref (self));
      break;
    case HANGAR_CONNECTION_STATE_CONNECTING:
      break;
    default:
      self->host_error = g_strdup_printf (_("%s is not connected."),
                                          hangar_connection_get_display_name (self->connection));
      break;
    }
}

static void
on_connection_state (HangarWizard *self)
{
  query_host (self);
  update (self);
}

static void
set_connection (HangarWizard     *self,
                HangarConnection *connection)
{
  if (self->connection == connection)
    return;
  g_clear_signal_handler (&self->state_handler, self->connection);
  g_set_object (&self->connection, connection);
  if (connection != NULL)
    self->state_handler = g_signal_connect_object (connection, "notify::state",
                                                   G_CALLBACK (on_connection_state), self,
                                                   G_CONNECT_SWAPPED);
  query_host (self);
  update (self);
}

static void
on_connection_selected (HangarWizard *self)
{
  guint i = adw_combo_row_get_selected (self->connection_row);

  if (i < self->connections->len)
    set_connection (self, g_ptr_array_index (self->connections, i));
}

/* --- detection ------------------------------------------------------------------ */

typedef struct
{
  HangarInstallMethod  method;
  char                *location;
} DetectData;

static void
detect_data_free (DetectData *data)
{
  g_free (data->location);
  g_free (data);
}

static void
detect_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DetectData *data = task_data;
  g_autoptr(GError) error = NULL;
  OsinfoDb *db = hangar_os_get_db (&error);
  OsinfoOs *os = NULL;

  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->method == HANGAR_INSTALL_TREE)
    {
      g_autoptr(OsinfoTree) tree = hangar_os_identify_tree (db, data->location, cancellable,
                                                            &error);

      if (tree == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      os = osinfo_tree_get_os (tree);
    }
  else
    {
      os = hangar_os_identify_iso (db, data->location, cancellable, &error);
      if (os == NULL && error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  g_task_return_pointer (task, os, g_object_unref);
}

static void
on_detected (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HangarWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OsinfoOs) os = g_task_propagate_pointer (G_TASK (result), &error);
  DetectData *data = g_task_get_task_data (G_TASK (result));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->stack == NULL)
    return;
  g_clear_object (&self->detect_cancellable);
  self->detecting = FALSE;

  g_free (self->detected_for);
  self->detected_for = g_strdup (data->location);
  g_clear_pointer (&self->detect_error, g_free);
  if (error != NULL)
    self->detect_error = g_strdup (error->message);
  g_set_object (&self->detected_os, os);
  /* What the media says wins over an earlier guess, not over the user. */
  if (os != NULL && !self->os_from_user)
    set_os (self, os, TRUE);
  update (self);
}

static void
run_detection (HangarWizard        *self,
               HangarInstallMethod  method,
               const char          *location)
{
  g_autoptr(GTask) task = NULL;
  DetectData *data = g_new0 (DetectData, 1);

  g_cancellable_cancel (self->detect_cancellable);
  g_clear_object (&self->detect_cancellable);
  self->detect_cancellable = g_cancellable_new ();
  self->detecting = TRUE;

  data->method = method;
  data->location = g_strdup (location);
  task = g_task_new (NULL, self->detect_cancellable, on_detected, g_object_ref (self));
  g_task_set_task_data (task, data, (GDestroyNotify) detect_data_free);
  g_task_run_in_thread (task, detect_thread);
}

static void
load_db_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  OsinfoDb *db = hangar_os_get_db (&error);

  if (db == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (db), g_object_unref);
}

static void
on_db_loaded (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HangarWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  OsinfoDb *db = g_task_propagate_pointer (G_TASK (result), &error);

  if (db == NULL)
    g_warning ("%s", error->message);
  if (self->stack == NULL)
    {
      g_clear_object (&db);
      return;
    }
  self->db = db;
  if (g_strcmp0 (current_page (self), "os") == 0)
    fill_os_list (self);
  update (self);
}

/* Reading the database takes a few hundred milliseconds, once. */
static void
load_db (HangarWizard *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_db_loaded, g_object_ref (self));

  g_task_run_in_thread (task, load_db_thread);
}

static gboolean
on_url_timeout (gpointer user_data)
{
  HangarWizard *self = user_data;
  g_autofree char *url = entry_text (self->url_row);

  self->url_timeout = 0;
  run_detection (self, HANGAR_INSTALL_TREE, url);
  update (self);
  return G_SOURCE_REMOVE;
}

/* Identifies the media in the current field when it changed since last time. */
static void
detect_start (HangarWizard *self)
{
  HangarInstallMethod method = install_method (self);
  g_autofree char *location = NULL;

  if (method == HANGAR_INSTALL_ISO)
    location = entry_text (self->iso_row);
  else if (method == HANGAR_INSTALL_TREE)
    location = entry_text (self->url_row);
  else
    return;

  /* Already identified, or being identified. */
  if (g_strcmp0 (location, self->detect_target) == 0)
    return;

  g_free (self->detect_target);
  self->detect_target = g_strdup (location);
  g_clear_handle_id (&self->url_timeout, g_source_remove);
  g_clear_pointer (&self->detected_for, g_free);
  g_clear_pointer (&self->detect_error, g_free);
  g_clear_object (&self->detected_os);
  if (method == HANGAR_INSTALL_TREE)
    {
      /* Wait for the typing to pause: each check is a download. */
      g_cancellable_cancel (self->detect_cancellable);
      g_clear_object (&self->detect_cancellable);
      self->detecting = TRUE;
      self->url_timeout = g_timeout_add (URL_CHECK_DELAY_MS, on_url_timeout, self);
    }
  else
    run_detection (self, method, location);
}

/* --- validation ---------------------------------------------------------------- */

static gboolean
url_is_well_formed (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  return g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0 ||
         g_ascii_strcasecmp (scheme, "ftp") == 0;
}

static gboolean
validate_source (HangarWizard *self)
{
  HangarInstallMethod method = install_method (self);
  gboolean local = self->connection == NULL || hangar_connection_is_local (self->connection);
  gboolean ok = TRUE;

  gtk_widget_set_visible (self->iso_group, method == HANGAR_INSTALL_ISO);
  gtk_widget_set_visible (self->url_group, method == HANGAR_INSTALL_TREE);
  gtk_widget_set_visible (self->import_group, method == HANGAR_INSTALL_IMPORT);

  if (self->connection == NULL)
    {
      show_field_error (self->connection_row, self->connection_error,
                        _("Connect to a host first."));
      ok = FALSE;
    }
  else if (self->host_error != NULL)
    {
      show_field_error (self->connection_row, self->connection_error, self->host_error);
      ok = FALSE;
    }
  else
    {
      show_field_error (self->connection_row, self->connection_error, NULL);
      if (self->host == NULL)
        ok = FALSE;  /* still reading it */
    }

  if (method == HANGAR_INSTALL_ISO)
    {
      g_autofree char *path = entry_text (self->iso_row);
      g_autoptr(GError) error = NULL;
      gboolean checked;

      /* A remote host's files cannot be looked at from here. */
      if (local)
        checked = hangar_install_check_iso (path, &error);
      else
        checked = g_path_is_absolute (path);
      if (!checked)
        {
          gboolean empty = path[0] == '\0';

          show_field_error (self->iso_row, self->iso_error,
                            empty && !is_touched (self, self->iso_row) ? NULL
                            : error ? error->message : _("Give the full path of the file."));
          show_status (self->iso_status, NULL);
          ok = FALSE;
        }
      else if (!local)
        {
          show_field_error (self->iso_row, self->iso_error, NULL);
          show_status (self->iso_status, NULL);
        }
      else
        {
          detect_start (self);
          if (self->detecting || g_strcmp0 (self->detected_for, path) != 0)
            {
              show_field_error (self->iso_row, self->iso_error, NULL);
              show_status (self->iso_status, _("Looking for the operating system…"));
              ok = FALSE;
            }
          else if (self->detect_error != NULL)
            {
              show_field_error (self->iso_row, self->iso_error, self->detect_error);
              show_status (self->iso_status, NULL);
              ok = FALSE;
            }
          else
            {
              g_autofree char *found = NULL;

              if (self->detected_os != NULL)
                found = g_strdup_printf (_("Detected: %s"), os_display_name (self->detected_os));
              show_field_error (self->iso_row, self->iso_error, NULL);
              show_status (self->iso_status,
                           found ? found : _("The operating system on this media is not known: "
                                             "choose it on the next page."));
            }
        }
    }
  else if (method == HANGAR_INSTALL_TREE)
    {
      g_autofree char *url = entry_text (self->url_row);

      if (!url_is_well_formed (url))
        {
          g_clear_handle_id (&self->url_timeout, g_source_remove);
          g_cancellable_cancel (self->detect_cancellable);
          g_clear_object (&self->detect_cancellable);
          g_clear_pointer (&self->detect_target, g_free);
          self->detecting = FALSE;
          show_field_error (self->url_row, self->url_error,
                            url[0] == '\0' && !is_touched (self, self->url_row) ? NULL
                            : _("Enter an http, https or ftp address."));
          show_status (self->url_status, NULL);
          ok = FALSE;
        }
      else
        {
          detect_start (self);
          if (self->detecting || g_strcmp0 (self->detected_for, url) != 0)
            {
              show_field_error (self->url_row, self->url_error, NULL);
              show_status (self->url_status, _("Reading the tree…"));
              ok = FALSE;
            }
          else if (self->detect_error != NULL)
            {
              show_field_error (self->url_row, self->url_error, self->detect_error);
              show_status (self->url_status, NULL);
              ok = FALSE;
            }
          else
            {
              g_autofree char *found = NULL;

              if (self->detected_os != NULL)
                found = g_strdup_printf (_("Detected: %s"), os_display_name (self->detected_os));
              show_field_error (self->url_row, self->url_error, NULL);
              show_status (self->url_status,
                           found ? found : _("An installable tree of a system Hangar does not "
                                             "know: choose it on the next page."));
            }
        }
    }
  else if (method == HANGAR_INSTALL_IMPORT)
    {
      g_autofree char *path = entry_text (self->import_row);
      g_autoptr(GError) error = NULL;
      gboolean checked;

      self->import_format = HANGAR_DISK_FORMAT_QCOW2;
      if (local)
        checked = hangar_install_check_image (path, &self->import_format, &error);
      else
        checked = g_path_is_absolute (path);
      if (checked && !local && hangar_disk_format_needs_conversion (self->import_format))
        checked = FALSE;
      show_field_error (self->import_row, self->import_error,
                        checked || (path[0] == '\0' && !is_touched (self, self->import_row)) ? NULL
                        : error ? error->message : _("Give the full path of the file."));
      ok = ok && checked;
    }

  return ok;
}

static gboolean
validate_os (HangarWizard *self)
{
  if (!self->os_chosen)
    {
      adw_action_row_set_subtitle (self->os_row, NULL);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->os_row), _("Not chosen yet"));
      show_field_error (NULL, self->os_error,
                        _("Search for the system below, or pick a generic one."));
      return FALSE;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->os_row), os_display_name (self->os));
  adw_action_row_set_subtitle (self->os_row,
                               self->os != NULL && self->os == self->detected_os
                               ? _("Detected from the installation media") : NULL);
  show_field_error (NULL, self->os_error, NULL);
  return TRUE;
}

static gboolean
validate_resources (HangarWizard *self)
{
  guint64 memory = gtk_spin_button_get_value_as_int (self->memory_spin);
  g_autoptr(GError) error = NULL;
  gboolean ok = self->host != NULL &&
                hangar_install_check_memory (memory, self->host->memory_mib, &error);

  show_field_error (self->memory_spin, self->memory_error, error ? error->message : NULL);
  if (ok && self->host->free_memory_mib > 0 && memory > self->host->free_memory_mib)
    {
      g_autofree char *free_text = g_format_size_full (self->host->free_memory_mib * MIB,
                                                       G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *warning = g_strdup_printf (_("Only %s is free on the host now: the "
                                                    "machine may not start, or slow the host "
                                                    "down."), free_text);

      show_status (self->memory_warning, warning);
    }
  else
    show_status (self->memory_warning, NULL);
  return ok;
}

static gboolean
validate_storage (HangarWizard *self)
{
  gboolean local = self->connection == NULL || hangar_connection_is_local (self->connection);
  gboolean ok = TRUE;

  gtk_widget_set_visible (self->new_disk_group, gtk_check_button_get_active (self->disk_new));
  gtk_widget_set_visible (self->existing_group,
                          gtk_check_button_get_active (self->disk_existing));

  if (gtk_check_button_get_active (self->disk_new))
    {
      HangarPoolInfo *pool = selected_pool (self);
      guint64 size = gtk_spin_button_get_value_as_int (self->size_spin);
      g_autoptr(GError) error = NULL;

      if (pool == NULL)
        {
          g_set_error_literal (&error, HANGAR_INSTALL_CHECK_ERROR,
                               HANGAR_INSTALL_CHECK_ERROR_EMPTY,
                               _("The host has no storage pool for new disks."));
          ok = FALSE;
        }
      /* A pool still to be made on a remote host has no known free space. */
      else if (pool->planned && !local)
        ok = hangar_install_check_disk_size (size, G_MAXUINT64, &error);
      else
        ok = hangar_install_check_disk_size (size, pool->available, &error);
      show_field_error (self->size_spin, self->size_error, error ? error->message : NULL);
    }
  else if (gtk_check_button_get_active (self->disk_existing))
    {
      g_autofree char *path = entry_text (self->existing_row);
      g_autoptr(GError) error = NULL;

      self->existing_format = HANGAR_DISK_FORMAT_QCOW2;
      if (local)
        ok = hangar_install_check_image (path, &self->existing_format, &error);
      else
        ok = g_path_is_absolute (path);
      if (ok && hangar_disk_format_needs_conversion (self->existing_format))
        {
          g_set_error_literal (&error, HANGAR_INSTALL_CHECK_ERROR,
                               HANGAR_INSTALL_CHECK_ERROR_UNKNOWN_FORMAT,
                               _("VirtualBox and VMware images need converting: import them "
                                 "on the first page instead."));
          ok = FALSE;
        }
      show_field_error (self->existing_row, self->existing_error,
                        ok || (path[0] == '\0' && !is_touched (self, self->existing_row)) ? NULL
                        : error ? error->message : _("Give the full path of the file."));
    }
  return ok;
}

static gboolean
validate_finish (HangarWizard *self)
{
  g_autofree char *name = entry_text (self->name_row);
  g_autoptr(GError) name_error = NULL;
  const NetworkChoice *network = selected_network (self);
  const char *network_message = NULL;
  const char *firmware_message = NULL;
  guint firmware = adw_combo_row_get_selected (self->firmware_row);
  gboolean ok = self->host != NULL;

  /* The name exactly as typed: spaces at the ends are refused, not trimmed. */
  g_free (name);
  name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  if (!hangar_name_validate_new (name, self->host ? (const char * const *) self->host->domain_names
                                                  : NULL, &name_error))
    ok = FALSE;
  show_field_error (self->name_row, self->name_error, name_error ? name_error->message : NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->bridge_row),
                          network != NULL && network->mode == HANGAR_NETWORK_BRIDGE);
  if (network == NULL)
    network_message = _("Choose a network.");
  else if (network->mode == HANGAR_NETWORK_BRIDGE)
    {
      g_autofree char *bridge = entry_text (self->bridge_row);

      if (bridge[0] == '\0' || strpbrk (bridge, " /\t") != NULL || strlen (bridge) > 15)
        network_message = _("Give the name of a bridge on the host, such as br0.");
    }
  else if (network->mode == HANGAR_NETWORK_NONE && install_method (self) == HANGAR_INSTALL_PXE)
    network_message = _("Network boot needs a network.");
  show_field_error (network != NULL && network->mode == HANGAR_NETWORK_BRIDGE
                    ? (gpointer) self->bridge_row : (gpointer) self->network_row,
                    self->network_error, network_message);
  if (network != NULL && network->mode != HANGAR_NETWORK_BRIDGE)
    gtk_widget_remove_css_class (GTK_WIDGET (self->bridge_row), "error");
  ok = ok && network_message == NULL;

  if (self->host != NULL)
    {
      const HangarHostCaps *caps = self->host->caps;

      if (firmware >= 1 && !caps->has_uefi)
        firmware_message = _("UEFI firmware (OVMF) is not installed on the host.");
      else if (firmware == 2 && !caps->has_secure_boot)
        firmware_message = _("The host has no UEFI firmware with Secure Boot.");
      else if (firmware == 2 && !caps->has_tpm_emulator)
        firmware_message = _("An emulated TPM needs swtpm, which is not installed on the host.");
      else if (firmware == 2 && !hangar_host_caps_has_machine (caps, "q35"))
        firmware_message = _("Secure Boot needs the Q35 machine type, which this host lacks.");
    }
  show_field_error (self->firmware_row, self->firmware_error, firmware_message);
  ok = ok && firmware_message == NULL;

  return ok;
}

static gboolean
validate_page (HangarWizard *self,
               const char   *page)
{
  if (g_str_equal (page, "source"))
    return validate_source (self);
  if (g_str_equal (page, "os"))
    return validate_os (self);
  if (g_str_equal (page, "resources"))
    return validate_resources (self);
  if (g_str_equal (page, "storage"))
    return validate_storage (self);
  if (g_str_equal (page, "finish"))
    return validate_finish (self);
  return FALSE;
}

static void
update_summary (HangarWizard *self)
{
  g_autofree char *resources = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *storage = NULL;
  guint cpus = gtk_spin_button_get_value_as_int (self->cpus_spin);

  adw_action_row_set_subtitle (self->summary_os_row, os_display_name (self->os));
  memory = g_format_size_full ((guint64) gtk_spin_button_get_value_as_int (self->memory_spin) * MIB,
                               G_FORMAT_SIZE_IEC_UNITS);
  resources = g_strdup_printf (ngettext ("%s, %u processor", "%s, %u processors", cpus),
                               memory, cpus);
  adw_action_row_set_subtitle (self->summary_resources_row, resources);

  if (install_method (self) == HANGAR_INSTALL_IMPORT)
    storage = g_strdup_printf (_("The imported image %s"),
                               gtk_editable_get_text (GTK_EDITABLE (self->import_row)));
  else if (gtk_check_button_get_active (self->disk_new))
    {
      HangarPoolInfo *pool = selected_pool (self);

      storage = g_strdup_printf (_("A new disk of %d GiB in the pool “%s”"),
                                 gtk_spin_button_get_value_as_int (self->size_spin),
                                 pool ? pool->name : "");
    }
  else if (gtk_check_button_get_active (self->disk_existing))
    storage = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->existing_row)));
  else
    storage = g_strdup (_("No disk"));
  adw_action_row_set_subtitle (self->summary_storage_row, storage);
}

static int
page_index (const char *page)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_order); i++)
    if (g_strcmp0 (page_order[i], page) == 0)
      return i;
  return -1;
}

/* Checks the current page, and sets the buttons and the title to match. */
static void
update (HangarWizard *self)
{
  const char *page = current_page (self);
  int index = page_index (page);
  gboolean creating = self->creator != NULL && hangar_vm_creator_get_running (self->creator);
  gboolean ok;

  if (index < 0)
    {
      /* The progress page. */
      gtk_button_set_label (GTK_BUTTON (self->back_button),
                            creating ? _("_Cancel") : _("_Back"));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.forward", FALSE);
      gtk_widget_set_visible (self->forward_button, FALSE);
      /* The progress bar says it already. */
      gtk_widget_set_visible (self->busy_spinner, FALSE);
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }

  ok = validate_page (self, page);
  if (g_str_equal (page, "finish"))
    update_summary (self);

  {
    g_autofree char *subtitle = g_strdup_printf (_("Step %d of %d"), index + 1,
                                                 (int) G_N_ELEMENTS (page_order));

    adw_window_title_set_subtitle (self->window_title, subtitle);
  }
  gtk_button_set_label (GTK_BUTTON (self->back_button), index == 0 ? _("_Cancel") : _("_Back"));
  gtk_button_set_label (GTK_BUTTON (self->forward_button),
                        g_str_equal (page, "finish") ? _("C_reate") : _("_Forward"));
  gtk_widget_set_visible (self->forward_button, TRUE);
  gtk_widget_set_visible (self->busy_spinner,
                          self->detecting || self->host_cancellable != NULL ||
                          (self->connection != NULL && self->host == NULL &&
                           self->host_error == NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.forward", ok);
}

/* --- OS page ------------------------------------------------------------------- */

static void
set_os (HangarWizard *self,
        OsinfoOs     *os,
        gboolean      chosen)
{
  g_set_object (&self->os, os);
  self->os_chosen = chosen;
  if (chosen)
    {
      apply_os_defaults (self);
      suggest_name (self);
    }
}

static GtkWidget *
os_list_row (OsinfoOs   *os,
             const char *title,
             const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (os != NULL)
    g_object_set_data_full (G_OBJECT (row), "os", g_object_ref (os), g_object_unref);
  g_object_set_data (G_OBJECT (row), "is-os-choice", GINT_TO_POINTER (TRUE));
  return row;
}

static void
fill_os_list (HangarWizard *self)
{
  g_autofree char *text = entry_text (self->os_search_row);
  g_autoptr(GPtrArray) matches = NULL;
  GtkWidget *child;
  OsinfoOs *generic_linux;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->os_list))) != NULL)
    gtk_list_box_remove (self->os_list, child);
  if (self->db == NULL)
    return;

  matches = hangar_os_search (self->db, text, 12);
  for (guint i = 0; i < matches->len; i++)
    {
      OsinfoOs *os = g_ptr_array_index (matches, i);

      gtk_list_box_append (self->os_list,
                           os_list_row (os, os_display_name (os),
                                        osinfo_product_get_short_id (OSINFO_PRODUCT (os))));
    }
  if (text[0] != '\0' && matches->len == 0)
    {
      GtkWidget *none = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none),
                                     _("Nothing matches: a generic system below fits most "
                                       "new releases."));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (none), FALSE);
      gtk_widget_add_css_class (none, "dim-label");
      gtk_list_box_append (self->os_list, none);
    }

  /* Always there: what a system the database does not know yet is. */
  if ((generic_linux = hangar_os_find_generic (self->db, "linux")) != NULL)
    gtk_list_box_append (self->os_list,
                         os_list_row (generic_linux, _("Generic Linux"),
                                      osinfo_product_get_name (OSINFO_PRODUCT (generic_linux))));
  gtk_list_box_append (self->os_list,
                       os_list_row (NULL, _("Generic (unknown system)"),
                                    _("Devices every system has drivers for")));
}

static void
on_os_search_changed (HangarWizard *self)
{
  fill_os_list (self);
}

static void
on_os_row_activated (HangarWizard  *self,
                     GtkListBoxRow *row)
{
  if (g_object_get_data (G_OBJECT (row), "is-os-choice") == NULL)
    return;
  set_os (self, g_object_get_data (G_OBJECT (row), "os"), TRUE);
  self->os_from_user = TRUE;
  update (self);
}

/* --- creating ------------------------------------------------------------------- */

static HangarDomainSpec *
build_spec (HangarWizard *self)
{
  HangarDomainSpec *spec = hangar_domain_spec_new ();
  const NetworkChoice *network = selected_network (self);
  guint firmware = adw_combo_row_get_selected (self->firmware_row);

  spec->connection_kind = self->host->kind;
  hangar_domain_spec_set_caps (spec, self->host->caps);
  hangar_domain_spec_set_os (spec, self->os);
  spec->install_method = install_method (self);
  switch (spec->install_method)
    {
    case HANGAR_INSTALL_ISO:
      spec->iso_path = entry_text (self->iso_row);
      break;
    case HANGAR_INSTALL_TREE:
      spec->tree_url = entry_text (self->url_row);
      break;
    case HANGAR_INSTALL_IMPORT:
      spec->import_path = entry_text (self->import_row);
      spec->import_format = self->import_format;
      break;
    case HANGAR_INSTALL_PXE:
    case HANGAR_INSTALL_MANUAL:
    default:
      break;
    }

  spec->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  spec->memory_mib = gtk_spin_button_get_value_as_int (self->memory_spin);
  spec->vcpus = gtk_spin_button_get_value_as_int (self->cpus_spin);

  if (spec->install_method == HANGAR_INSTALL_IMPORT ||
      gtk_check_button_get_active (self->disk_none))
    spec->disk_mode = HANGAR_DISK_NONE;
  else if (gtk_check_button_get_active (self->disk_existing))
    {
      spec->disk_mode = HANGAR_DISK_EXISTING;
      spec->disk_path = entry_text (self->existing_row);
      spec->disk_format = self->existing_format;
    }
  else
    {
      spec->disk_mode = HANGAR_DISK_NEW;
      spec->disk_format = HANGAR_DISK_FORMAT_QCOW2;
      spec->disk_capacity_gib = gtk_spin_button_get_value_as_int (self->size_spin);
    }

  spec->network_mode = network->mode;
  if (network->mode == HANGAR_NETWORK_VIRTUAL)
    spec->network_source = g_strdup (network->source);
  else if (network->mode == HANGAR_NETWORK_BRIDGE)
    spec->network_source = entry_text (self->bridge_row);

  spec->firmware = firmware >= 1 ? HANGAR_FIRMWARE_UEFI : HANGAR_FIRMWARE_BIOS;
  spec->secure_boot = firmware == 2;
  spec->tpm = firmware == 2;
  return spec;
}

static void
show_machine (HangarWizard *self,
              HangarVm     *vm)
{
  g_clear_signal_handler (&self->appear_handler, self->connection);
  g_clear_handle_id (&self->appear_timeout, g_source_remove);
  if (self->application != NULL)
    hangar_machine_window_present_for (self->application, vm);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_connection_items_changed (HangarWizard *self)
{
  HangarVm *vm = hangar_connection_lookup_vm (self->connection, self->created_uuid);

  if (vm != NULL)
    show_machine (self, vm);
}

static gboolean
on_appear_timeout (gpointer user_data)
{
  HangarWizard *self = user_data;

  /* The machine exists, but the list never showed it: nothing to open. */
  self->appear_timeout = 0;
  g_clear_signal_handler (&self->appear_handler, self->connection);
  g_warning ("The new machine %s did not appear in the list", self->created_uuid);
  gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
on_created (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HangarWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = hangar_vm_creator_run_finish (HANGAR_VM_CREATOR (object), result, &error);
  HangarVm *vm;

  g_clear_object (&self->create_cancellable);
  if (self->stack == NULL)
    {
      /* Closed while creating, and done before the cancellation counted. */
      if (uuid != NULL && (vm = hangar_connection_lookup_vm (self->connection, uuid)) != NULL)
        hangar_machine_window_present_for (self->application, vm);
      return;
    }
  if (uuid == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_stack_set_visible_child_name (self->stack, "finish");
          update (self);
          return;
        }
      self->failed = TRUE;
      if (error->domain == HANGAR_VM_CREATOR_ERROR)
        {
          g_autofree char *title = g_strdup_printf (_("%s failed"),
                                                    hangar_vm_creator_step_describe (error->code));

          adw_status_page_set_title (self->progress_page, title);
        }
      else
        adw_status_page_set_title (self->progress_page, _("The machine could not be created"));
      adw_status_page_set_icon_name (self->progress_page, "dialog-error-symbolic");
      adw_status_page_set_description (self->progress_page, error->message);
      gtk_label_set_text (self->step_label,
                          _("Nothing was left behind. Go back to change your choices."));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      update (self);
      return;
    }

  self->created_uuid = g_steal_pointer (&uuid);
  update (self);
  if ((vm = hangar_connection_lookup_vm (self->connection, self->created_uuid)) != NULL)
    {
      show_machine (self, vm);
      return;
    }
  /* The domain event has not reached the list yet. */
  self->appear_handler = g_signal_connect_object (self->connection, "items-changed",
                                                  G_CALLBACK (on_connection_items_changed), self,
                                                  G_CONNECT_SWAPPED);
  self->appear_timeout = g_timeout_add_seconds (VM_APPEAR_TIMEOUT_S, on_appear_timeout, self);
}

static void
on_creator_running (HangarWizard *self)
{
  update (self);
}

static void
create (HangarWizard *self)
{
  g_autoptr(HangarDomainSpec) spec = build_spec (self);
  HangarPoolInfo *pool = selected_pool (self);

  g_clear_object (&self->creator);
  self->creator = hangar_vm_creator_new (self->connection, spec);
  hangar_vm_creator_set_pool_name (self->creator, pool ? pool->name : NULL);
  hangar_vm_creator_set_start (self->creator, !gtk_switch_get_active (self->customize_switch));
  g_object_bind_property (self->creator, "progress", self->progress_bar, "fraction",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->creator, "step", self->step_label, "label",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->creator, "notify::running", G_CALLBACK (on_creator_running),
                           self, G_CONNECT_SWAPPED);

  self->failed = FALSE;
  adw_status_page_set_icon_name (self->progress_page, "computer-symbolic");
  adw_status_page_set_title (self->progress_page, _("Creating the Machine"));
  adw_status_page_set_description (self->progress_page, spec->name);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "progress");

  self->create_cancellable = g_cancellable_new ();
  hangar_vm_creator_run_async (self->creator, self->create_cancellable, on_created,
                               g_object_ref (self));
  update (self);
}

/* --- navigation ------------------------------------------------------------------ */

static gboolean
page_applies (HangarWizard *self,
              const char   *page)
{
  /* An imported image is the disk: there is nothing to choose. */
  return !(g_str_equal (page, "storage") && install_method (self) == HANGAR_INSTALL_IMPORT);
}

static void
go_to (HangarWizard *self,
       const char   *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);
  if (g_str_equal (page, "os"))
    {
      if (!self->os_chosen && self->detected_os != NULL)
        set_os (self, self->detected_os, TRUE);
      fill_os_list (self);
    }
  update (self);
}

static void
forward_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  HangarWizard *self = HANGAR_WIZARD (widget);
  int index = page_index (current_page (self));

  if (index < 0 || !validate_page (self, current_page (self)))
    return;
  if (index == G_N_ELEMENTS (page_order) - 1)
    {
      create (self);
      return;
    }
  do
    index++;
  while (!page_applies (self, page_order[index]));
  go_to (self, page_order[index]);
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  HangarWizard *self = HANGAR_WIZARD (widget);
  int index = page_index (current_page (self));

  if (index < 0)
    {
      if (self->creator != NULL && hangar_vm_creator_get_running (self->creator))
        g_cancellable_cancel (self->create_cancellable);
      else if (self->created_uuid == NULL)
        go_to (self, "finish");
      return;
    }
  if (index == 0)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  do
    index--;
  while (!page_applies (self, page_order[index]));
  go_to (self, page_order[index]);
}

/* --- field signals ------------------------------------------------------------------ */

static void
on_field_changed (HangarWizard *self,
                  GtkWidget    *field)
{
  g_hash_table_add (self->touched, field);
  update (self);
}

static void
on_combo_changed (HangarWizard *self,
                  GParamSpec   *pspec,
                  GtkWidget    *field)
{
  update (self);
}

static void
on_name_changed (HangarWizard *self,
                 GtkWidget    *field)
{
  if (!self->setting_name)
    self->name_edited = TRUE;
  update (self);
}

static void
on_method_toggled (HangarWizard   *self,
                   GtkCheckButton *button)
{
  if (!gtk_check_button_get_active (button))
    return;
  /* A detection for another method says nothing about this one. */
  g_cancellable_cancel (self->detect_cancellable);
  g_clear_object (&self->detect_cancellable);
  g_clear_handle_id (&self->url_timeout, g_source_remove);
  self->detecting = FALSE;
  g_clear_pointer (&self->detect_target, g_free);
  g_clear_pointer (&self->detected_for, g_free);
  g_clear_pointer (&self->detect_error, g_free);
  if (self->detected_os != NULL && self->os == self->detected_os && !self->os_from_user)
    self->os_chosen = FALSE;
  g_clear_object (&self->detected_os);
  update (self);
}

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  AdwEntryRow *row = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (row), path);
    }
  g_object_unref (row);
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
on_browse_clicked (HangarWizard *self,
                   GtkWidget    *button)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  AdwEntryRow *row;
  const char *title;
  GtkFileChooserNative *chooser;

  if (button == self->iso_browse)
    {
      row = self->iso_row;
      title = _("Choose Installation Media");
      gtk_file_filter_set_name (filter, _("ISO images"));
      gtk_file_filter_add_suffix (filter, "iso");
      gtk_file_filter_add_mime_type (filter, "application/x-cd-image");
    }
  else
    {
      row = button == self->import_browse ? self->import_row : self->existing_row;
      title = _("Choose a Disk Image");
      gtk_file_filter_set_name (filter, _("Disk images"));
      for (const char **s = (const char *[]) { "qcow2", "img", "raw", "vdi", "vmdk", NULL };
           *s != NULL; s++)
        gtk_file_filter_add_suffix (filter, *s);
    }

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), g_object_ref (row));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- object ------------------------------------------------------------------------- */

static gboolean
hangar_wizard_close_request (GtkWindow *window)
{
  HangarWizard *self = HANGAR_WIZARD (window);

  /* A creation under way is cancelled and cleans up after itself; the
   * task keeps what it needs alive. */
  g_cancellable_cancel (self->create_cancellable);
  return GTK_WINDOW_CLASS (hangar_wizard_parent_class)->close_request (window);
}

static void
hangar_wizard_dispose (GObject *object)
{
  HangarWizard *self = HANGAR_WIZARD (object);

  g_cancellable_cancel (self->host_cancellable);
  g_cancellable_cancel (self->detect_cancellable);
  g_cancellable_cancel (self->create_cancellable);
  g_clear_object (&self->host_cancellable);
  g_clear_object (&self->detect_cancellable);
  g_clear_object (&self->create_cancellable);
  g_clear_handle_id (&self->url_timeout, g_source_remove);
  g_clear_handle_id (&self->appear_timeout, g_source_remove);
  if (self->connection != NULL)
    {
      g_clear_signal_handler (&self->state_handler, self->connection);
      g_clear_signal_handler (&self->appear_handler, self->connection);
    }
  g_clear_object (&self->connection);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_object (&self->creator);
  g_clear_object (&self->db);
  g_clear_object (&self->detected_os);
  g_clear_object (&self->os);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_WIZARD);

  G_OBJECT_CLASS (hangar_wizard_parent_class)->dispose (object);
}

static void
hangar_wizard_finalize (GObject *object)
{
  HangarWizard *self = HANGAR_WIZARD (object);

  g_clear_pointer (&self->host, hangar_host_info_free);
  g_free (self->host_error);
  g_free (self->detect_target);
  g_free (self->detected_for);
  g_free (self->detect_error);
  g_free (self->defaults_for);
  g_free (self->created_uuid);
  g_hash_table_unref (self->touched);
  g_array_unref (self->networks);

  G_OBJECT_CLASS (hangar_wizard_parent_class)->finalize (object);
}

static void
hangar_wizard_class_init (HangarWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hangar_wizard_dispose;
  object_class->finalize = hangar_wizard_finalize;
  window_class->close_request = hangar_wizard_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-wizard.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HangarWizard, name)
  BIND (window_title);
  BIND (back_button);
  BIND (forward_button);
  BIND (busy_spinner);
  BIND (stack);
  BIND (connection_group);
  BIND (connection_row);
  BIND (connection_error);
  BIND (method_iso);
  BIND (method_url);
  BIND (method_pxe);
  BIND (method_import);
  BIND (method_manual);
  BIND (iso_group);
  BIND (iso_row);
  BIND (iso_browse);
  BIND (iso_error);
  BIND (iso_status);
  BIND (url_group);
  BIND (url_row);
  BIND (url_error);
  BIND (url_status);
  BIND (import_group);
  BIND (import_row);
  BIND (import_browse);
  BIND (import_error);
  BIND (os_row);
  BIND (os_error);
  BIND (os_search_row);
  BIND (os_list);
  BIND (memory_group);
  BIND (memory_spin);
  BIND (memory_error);
  BIND (memory_warning);
  BIND (cpus_group);
  BIND (cpus_spin);
  BIND (disk_new);
  BIND (disk_existing);
  BIND (disk_none);
  BIND (new_disk_group);
  BIND (pool_row);
  BIND (size_spin);
  BIND (size_error);
  BIND (existing_group);
  BIND (existing_row);
  BIND (existing_browse);
  BIND (existing_error);
  BIND (name_row);
  BIND (name_error);
  BIND (network_row);
  BIND (bridge_row);
  BIND (network_error);
  BIND (firmware_row);
  BIND (firmware_error);
  BIND (customize_switch);
  BIND (summary_os_row);
  BIND (summary_resources_row);
  BIND (summary_storage_row);
  BIND (progress_page);
  BIND (progress_bar);
  BIND (step_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_combo_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_method_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_browse_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_os_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_os_row_activated);

  gtk_widget_class_install_action (widget_class, "wizard.forward", NULL, forward_activated);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hangar_wizard_init (HangarWizard *self)
{
  self->touched = g_hash_table_new (NULL, NULL);
  self->networks = g_array_new (FALSE, TRUE, sizeof (NetworkChoice));
  g_array_set_clear_func (self->networks, (GDestroyNotify) network_choice_clear);
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * hangar_wizard_new:
 * @application: the application; the machine's window opens in it
 * @connection: (nullable): the host to create the machine on; %NULL for
 *   the first connected one (the user can pick another when several are)
 *
 * Returns: (transfer none): the wizard, not shown yet
 */
HangarWizard *
hangar_wizard_new (GtkApplication   *application,
                   HangarConnection *connection)
{
  HangarWizard *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWindow *parent;
  guint selected = 0;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (connection == NULL || HANGAR_IS_CONNECTION (connection), NULL);

  parent = gtk_application_get_active_window (application);
  self = g_object_new (HANGAR_TYPE_WIZARD,
                       "application", application,
                       "transient-for", parent,
                       NULL);
  self->application = application;

  if (HANGAR_IS_APPLICATION (application))
    {
      HangarApplication *app = HANGAR_APPLICATION (application);
      GListModel *all = G_LIST_MODEL (hangar_application_get_connections (app));

      for (guint i = 0; i < g_list_model_get_n_items (all); i++)
        {
          g_autoptr(HangarConnection) item = g_list_model_get_item (all, i);

          if (item == connection ||
              hangar_connection_get_state (item) == HANGAR_CONNECTION_STATE_CONNECTED)
            g_ptr_array_add (self->connections, g_object_ref (item));
        }
    }
  if (connection != NULL && !g_ptr_array_find (self->connections, connection, NULL))
    g_ptr_array_add (self->connections, g_object_ref (connection));

  for (guint i = 0; i < self->connections->len; i++)
    {
      HangarConnection *item = g_ptr_array_index (self->connections, i);

      gtk_string_list_append (names, hangar_connection_get_display_name (item));
      if (item == connection)
        selected = i;
    }
  adw_combo_row_set_model (self->connection_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->connection_row, selected);
  /* Only a choice when there is one to make. */
  gtk_widget_set_visible (self->connection_group,
                          self->connections->len > 1 || self->connections->len == 0);
  g_signal_connect_object (self->connection_row, "notify::selected",
                           G_CALLBACK (on_connection_selected), self, G_CONNECT_SWAPPED);
  if (self->connections->len > 0)
    set_connection (self, g_ptr_array_index (self->connections, selected));

  load_db (self);
  update (self);
  return self;
}

const char *
hangar_wizard_get_page (HangarWizard *self)
{
  g_return_val_if_fail (HANGAR_IS_WIZARD (self), NULL);
  return current_page (self);
}

/**
 * hangar_wizard_get_busy:
 *
 * Whether the wizard is waiting on the host, media detection or the
 * creation.
 */
gboolean
hangar_wizard_get_busy (HangarWizard *self)
{
  g_return_val_if_fail (HANGAR_IS_WIZARD (self), FALSE);
  return self->detecting || self->host_cancellable != NULL || self->db == NULL ||
         (self->creator != NULL && hangar_vm_creator_get_running (self->creator));
}

gboolean
hangar_wizard_can_go_forward (HangarWizard *self)
{
  g_return_val_if_fail (HANGAR_IS_WIZARD (self), FALSE);
  return gtk_widget_get_sensitive (self->forward_button) &&
         gtk_widget_get_visible (self->forward_button);
}

/**
 * hangar_wizard_get_detected_os:
 *
 * Returns: (transfer none) (nullable): what the media was identified as
 */
OsinfoOs *
hangar_wizard_get_detected_os (HangarWizard *self)
{
  g_return_val_if_fail (HANGAR_IS_WIZARD (self), NULL);
  return self->detected_os;
}

/**
 * hangar_wizard_get_os:
 *
 * Returns: (transfer none) (nullable): the chosen system, %NULL for generic
 */
OsinfoOs *
hangar_wizard_get_os (HangarWizard *self)
{
  g_return_val_if_fail (HANGAR_IS_WIZARD (self), NULL);
  return self->os;
}

/**
 * hangar_wizard_get_connection:
 *
 * Returns: (transfer none) (nullable): the host the machine goes to
 */
HangarConnection *
hangar_wizard_get_connection (HangarWizard *self)
{
  g_return_val_if_fail (HANGAR_IS_WIZARD (self), NULL);
  return self->connection;
}

/**
 * hangar_wizard_get_creator:
 *
 * Returns: (transfer none) (nullable): the creation under way or done
 */
HangarVmCreator *
hangar_wizard_get_creator (HangarWizard *self)
{
  g_return_val_if_fail (HANGAR_IS_WIZARD (self), NULL);
  return self->creator;
}
