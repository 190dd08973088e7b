/* hangar-wizard-pages.c — the wizard's pages filled in: host facts, media detection, OS list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-connection-manager.h"
#include "hangar-domain-spec.h"
#include "hangar-host-info.h"
#include "hangar-install-checks.h"
#include "hangar-name.h"
#include "hangar-os.h"
#include "hangar-vm.h"
#include "hangar-wizard-private.h"
#include "hangar-plain-text.h"

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

void
_hangar_wizard_network_choice_clear (NetworkChoice *choice)
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
  _hangar_wizard_update (self);
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
  _hangar_wizard_update (self);
}

void
_hangar_wizard_set_connection (HangarWizard     *self,
                               HangarConnection *connection)
{
  if (self->connection == connection)
    return;
  g_clear_signal_handler (&self->state_handler, self->connection);
  g_set_object (&self->connection, connection);
  /* Another host's machines say nothing about this one's disks. */
  _hangar_wizard_disk_users_cancel (self);
  if (connection != NULL)
    self->state_handler = g_signal_connect_object (connection, "notify::state",
                                                   G_CALLBACK (on_connection_state), self,
                                                   G_CONNECT_SWAPPED);
  query_host (self);
  _hangar_wizard_update (self);
}

void
_hangar_wizard_on_connection_selected (HangarWizard *self)
{
  guint i = adw_combo_row_get_selected (self->connection_row);

  if (i < self->connections->len)
    _hangar_wizard_set_connection (self, g_ptr_array_index (self->connections, i));
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
  g_autoptr(GMainContext) context = g_main_context_new ();
  OsinfoDb *db = hangar_os_get_db (&error);
  OsinfoOs *os = NULL;

  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->method == HANGAR_INSTALL_TREE)
    {
      g_autoptr(OsinfoTree) tree = NULL;

      /* libosinfo's blocking reads run a main loop on the thread-default
       * context, which in this worker would be the application's. */
      g_main_context_push_thread_default (context);
      tree = hangar_os_identify_tree (db, data->location, cancellable, &error);
      g_main_context_pop_thread_default (context);

      if (tree == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      os = osinfo_tree_get_os (tree);
    }
  else
    {
      g_main_context_push_thread_default (context);
      os = hangar_os_identify_iso (db, data->location, cancellable, &error);
      g_main_context_pop_thread_default (context);
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
    _hangar_wizard_set_os (self, os, TRUE);
  _hangar_wizard_update (self);
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
  if (g_strcmp0 (_hangar_wizard_current_page (self), "os") == 0)
    _hangar_wizard_fill_os_list (self);
  _hangar_wizard_update (self);
}

/* Reading the database takes a few hundred milliseconds, once. */
void
_hangar_wizard_load_db (HangarWizard *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_db_loaded, g_object_ref (self));

  g_task_run_in_thread (task, load_db_thread);
}

static gboolean
on_url_timeout (gpointer user_data)
{
  HangarWizard *self = user_data;
  g_autofree char *url = _hangar_wizard_entry_text (self->url_row);

  self->url_timeout = 0;
  run_detection (self, HANGAR_INSTALL_TREE, url);
  _hangar_wizard_update (self);
  return G_SOURCE_REMOVE;
}

/* Identifies the media in the current field when it changed since last time. */
/* --- the image to import ---------------------------------------------------------- */

typedef struct
{
  char             *path;
  HangarDiskFormat  format;
} InspectData;

static void
inspect_data_free (InspectData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
inspect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  InspectData *data = task_data;
  GError *error = NULL;

  if (hangar_install_inspect_image (data->path, data->format, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_inspected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HangarWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->stack == NULL)
    return;
  g_clear_object (&self->inspect_cancellable);
  self->inspecting = FALSE;
  g_clear_pointer (&self->inspect_error, g_free);
  if (error != NULL)
    self->inspect_error = g_strdup (error->message);
  _hangar_wizard_update (self);
}

void
_hangar_wizard_inspect_cancel (HangarWizard *self)
{
  g_cancellable_cancel (self->inspect_cancellable);
  g_clear_object (&self->inspect_cancellable);
  g_clear_pointer (&self->inspect_target, g_free);
  g_clear_pointer (&self->inspect_error, g_free);
  self->inspecting = FALSE;
}

/**
 * _hangar_wizard_image_inspected:
 * @refused: (out): why qemu-img's look refused the image, or %NULL while
 *   it is still looking
 *
 * Whether @path, read as @format, was looked at and stands alone (see
 * hangar-image-check.c). Starts the look in a worker when it is a new
 * file; the wizard updates when it ends. The creator looks again before
 * it uses the file: this is for the message next to the field.
 */
gboolean
_hangar_wizard_image_inspected (HangarWizard      *self,
                                const char        *path,
                                HangarDiskFormat   format,
                                const char       **refused)
{
  g_autofree char *target = g_strdup_printf ("%s:%s", hangar_disk_format_to_string (format),
                                             path);
  g_autoptr(GTask) task = NULL;
  InspectData *data;

  *refused = NULL;
  if (g_strcmp0 (self->inspect_target, target) == 0)
    {
      if (self->inspecting)
        return FALSE;
      *refused = self->inspect_error;
      return self->inspect_error == NULL;
    }

  _hangar_wizard_inspect_cancel (self);
  self->inspect_cancellable = g_cancellable_new ();
  self->inspect_target = g_strdup (target);
  self->inspecting = TRUE;
  data = g_new0 (InspectData, 1);
  data->path = g_strdup (path);
  data->format = format;
  task = g_task_new (NULL, self->inspect_cancellable, on_inspected, g_object_ref (self));
  g_task_set_source_tag (task, _hangar_wizard_image_inspected);
  g_task_set_task_data (task, data, (GDestroyNotify) inspect_data_free);
  g_task_run_in_thread (task, inspect_thread);
  return FALSE;
}

/* --- other machines on the existing disk ----------------------------------------- */

static void
on_disk_users (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HangarWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  char **users = hangar_host_info_disk_users_finish (HANGAR_CONNECTION (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->stack == NULL)
    {
      g_strfreev (users);
      return;
    }
  g_clear_object (&self->users_cancellable);
  self->users_checking = FALSE;
  g_strfreev (self->users_of);
  self->users_of = users;
  g_clear_pointer (&self->users_error, g_free);
  if (error != NULL)
    self->users_error = g_strdup (error->message);
  _hangar_wizard_update (self);
}

void
_hangar_wizard_disk_users_cancel (HangarWizard *self)
{
  g_cancellable_cancel (self->users_cancellable);
  g_clear_object (&self->users_cancellable);
  g_clear_pointer (&self->users_target, g_free);
  g_clear_pointer (&self->users_of, g_strfreev);
  g_clear_pointer (&self->users_error, g_free);
  self->users_checking = FALSE;
}

/**
 * _hangar_wizard_disk_users_checked:
 *
 * Whether the machines using @path on the wizard's connection are known
 * (in users_of, or users_error). Starts reading them in a worker for a new
 * path, and then asks again for the confirmation; the wizard updates when
 * the reading ends.
 */
gboolean
_hangar_wizard_disk_users_checked (HangarWizard *self,
                                   const char   *path)
{
  if (g_strcmp0 (self->users_target, path) == 0)
    return !self->users_checking;

  _hangar_wizard_disk_users_cancel (self);
  if (self->connection == NULL)
    return FALSE;
  self->users_cancellable = g_cancellable_new ();
  self->users_target = g_strdup (path);
  self->users_checking = TRUE;
  hangar_host_info_disk_users_async (self->connection, path, self->users_cancellable,
                                     on_disk_users, g_object_ref (self));
  /* A yes for another file is no yes for this one. Last: the toggle
   * updates the wizard, which must find this reading already under way. */
  gtk_check_button_set_active (self->existing_confirm, FALSE);
  return FALSE;
}

void
_hangar_wizard_detect_start (HangarWizard *self)
{
  HangarInstallMethod method = _hangar_wizard_install_method (self);
  g_autofree char *location = NULL;

  if (method == HANGAR_INSTALL_ISO)
    location = _hangar_wizard_entry_text (self->iso_row);
  else if (method == HANGAR_INSTALL_TREE)
    location = _hangar_wizard_entry_text (self->url_row);
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

/* --- OS page ------------------------------------------------------------------- */

void
_hangar_wizard_set_os (HangarWizard *self,
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
  GtkWidget *row = hangar_row_plain (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (os != NULL)
    g_object_set_data_full (G_OBJECT (row), "os", g_object_ref (os), g_object_unref);
  g_object_set_data (G_OBJECT (row), "is-os-choice", GINT_TO_POINTER (TRUE));
  return row;
}

void
_hangar_wizard_fill_os_list (HangarWizard *self)
{
  g_autofree char *text = _hangar_wizard_entry_text (self->os_search_row);
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
                           os_list_row (os, _hangar_wizard_os_display_name (os),
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

void
_hangar_wizard_on_os_search_changed (HangarWizard *self)
{
  _hangar_wizard_fill_os_list (self);
  g_hash_table_add (self->touched, self->os_search_row);
  _hangar_wizard_update (self);
}

void
_hangar_wizard_on_os_row_activated (HangarWizard  *self,
                                    GtkListBoxRow *row)
{
  if (g_object_get_data (G_OBJECT (row), "is-os-choice") == NULL)
    return;
  _hangar_wizard_set_os (self, g_object_get_data (G_OBJECT (row), "os"), TRUE);
  self->os_from_user = TRUE;
  _hangar_wizard_update (self);
}
