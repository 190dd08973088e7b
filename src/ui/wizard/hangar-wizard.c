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

#include "hangar-combo-row.h"
#include "hangar-connection.h"
#include "hangar-connection-manager.h"
#include "hangar-domain-spec.h"
#include "hangar-host-info.h"
#include "hangar-install-checks.h"
#include "hangar-name.h"
#include "hangar-os.h"
#include "hangar-vm.h"
#include "hangar-wizard-private.h"

static const char *page_order[] = { "source", "os", "resources", "storage", "finish" };

G_DEFINE_FINAL_TYPE (HangarWizard, hangar_wizard, ADW_TYPE_WINDOW)

/* --- helpers ------------------------------------------------------------------ */

const char *
_hangar_wizard_current_page (HangarWizard *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

HangarInstallMethod
_hangar_wizard_install_method (HangarWizard *self)
{
  if (gtk_check_button_get_active (self->method_url))
    return HANGAR_INSTALL_TREE;
  if (gtk_check_button_get_active (self->method_pxe))
    return HANGAR_INSTALL_PXE;
  if (gtk_check_button_get_active (self->method_import))
    return HANGAR_INSTALL_IMPORT;
  if (gtk_check_button_get_active (self->method_cloud))
    return HANGAR_INSTALL_CLOUD;
  if (gtk_check_button_get_active (self->method_manual))
    return HANGAR_INSTALL_MANUAL;
  return HANGAR_INSTALL_ISO;
}

char *
_hangar_wizard_entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

gboolean
_hangar_wizard_is_touched (HangarWizard *self,
                           gpointer      widget)
{
  return g_hash_table_contains (self->touched, widget);
}

/* Shows @message under the field (or hides the label) and marks @row. */
void
_hangar_wizard_show_field_error (gpointer    row,
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

void
_hangar_wizard_show_status (GtkLabel   *label,
                            const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

HangarPoolInfo *
_hangar_wizard_selected_pool (HangarWizard *self)
{
  guint i = adw_combo_row_get_selected (self->pool_row);

  if (self->host == NULL || self->host->pools == NULL || i >= self->host->pools->len)
    return NULL;
  return g_ptr_array_index (self->host->pools, i);
}

const NetworkChoice *
_hangar_wizard_selected_network (HangarWizard *self)
{
  guint i = adw_combo_row_get_selected (self->network_row);

  if (self->networks == NULL || i >= self->networks->len)
    return NULL;
  return &g_array_index (self->networks, NetworkChoice, i);
}

const char *
_hangar_wizard_os_display_name (OsinfoOs *os)
{
  return os ? osinfo_product_get_name (OSINFO_PRODUCT (os)) : _("Generic (unknown system)");
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
void
_hangar_wizard_update (HangarWizard *self)
{
  const char *page = _hangar_wizard_current_page (self);
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

  ok = _hangar_wizard_validate_page (self, page);
  if (g_str_equal (page, "finish"))
    _hangar_wizard_update_summary (self);

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
                          self->detecting || self->inspecting || self->users_checking ||
                          self->host_cancellable != NULL ||
                          (self->connection != NULL && self->host == NULL &&
                           self->host_error == NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.forward", ok);
}

/* --- navigation ------------------------------------------------------------------ */

static gboolean
page_applies (HangarWizard *self,
              const char   *page)
{
  /* An imported image is the disk: there is nothing to choose. So is a
   * cloud image, whose size is asked with it. */
  return !(g_str_equal (page, "storage") &&
           (_hangar_wizard_install_method (self) == HANGAR_INSTALL_IMPORT ||
            _hangar_wizard_install_method (self) == HANGAR_INSTALL_CLOUD));
}

static void
go_to (HangarWizard *self,
       const char   *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);
  if (g_str_equal (page, "os"))
    {
      if (!self->os_chosen && self->detected_os != NULL)
        _hangar_wizard_set_os (self, self->detected_os, TRUE);
      _hangar_wizard_fill_os_list (self);
    }
  _hangar_wizard_update (self);
}

static void
forward_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  HangarWizard *self = HANGAR_WIZARD (widget);
  int index = page_index (_hangar_wizard_current_page (self));

  if (index < 0 || !_hangar_wizard_validate_page (self, _hangar_wizard_current_page (self)))
    return;
  if (index == G_N_ELEMENTS (page_order) - 1)
    {
      _hangar_wizard_create (self);
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
  int index = page_index (_hangar_wizard_current_page (self));

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
  _hangar_wizard_update (self);
}

static void
on_express_changed (HangarWizard *self)
{
  _hangar_wizard_update (self);
}

static void
on_cloud_changed (HangarWizard *self)
{
  _hangar_wizard_update (self);
}

static void
on_combo_changed (HangarWizard *self,
                  GParamSpec   *pspec,
                  GtkWidget    *field)
{
  _hangar_wizard_update (self);
}

static void
on_name_changed (HangarWizard *self,
                 GtkWidget    *field)
{
  if (!self->setting_name)
    self->name_edited = TRUE;
  _hangar_wizard_update (self);
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
  _hangar_wizard_update (self);
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
  _hangar_wizard_inspect_cancel (self);
  _hangar_wizard_disk_users_cancel (self);
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
  g_free (self->inspect_error);
  g_free (self->users_target);
  g_strfreev (self->users_of);
  g_free (self->users_error);
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

  g_type_ensure (HANGAR_TYPE_EXPRESS_GROUP);
  g_type_ensure (HANGAR_TYPE_WIZARD_CLOUD);
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
  BIND (method_cloud);
  BIND (cloud_group);
  BIND (cloud_section);
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
  BIND (kvm_group);
  BIND (kvm_warning);
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
  BIND (existing_warning);
  BIND (existing_confirm);
  BIND (name_row);
  BIND (name_error);
  BIND (network_row);
  BIND (bridge_row);
  BIND (network_error);
  BIND (firmware_row);
  BIND (firmware_error);
  BIND (console_row);
  BIND (customize_switch);
  BIND (express_group);
  BIND (summary_source_row);
  BIND (summary_os_row);
  BIND (summary_resources_row);
  BIND (summary_storage_row);
  BIND (progress_page);
  BIND (progress_bar);
  BIND (step_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_combo_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_express_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_cloud_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_method_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_browse_clicked);
  gtk_widget_class_bind_template_callback (widget_class, _hangar_wizard_on_download_os_clicked);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_os_search_changed",
                                                 G_CALLBACK (_hangar_wizard_on_os_search_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_os_row_activated",
                                                 G_CALLBACK (_hangar_wizard_on_os_row_activated));

  gtk_widget_class_install_action (widget_class, "wizard.forward", NULL, forward_activated);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hangar_wizard_init (HangarWizard *self)
{
  self->touched = g_hash_table_new (NULL, NULL);
  self->networks = g_array_new (FALSE, TRUE, sizeof (NetworkChoice));
  g_array_set_clear_func (self->networks, (GDestroyNotify) _hangar_wizard_network_choice_clear);
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* "UEFI with Secure Boot and TPM" is longer than libadwaita shows. */
  hangar_combo_row_show_whole (self->firmware_row);
  hangar_combo_row_show_whole (self->console_row);
}

/**
 * hangar_wizard_new:
 * @application: the application; the machine's window opens in it, through
 *   its `app.show-machine` action
 * @connections: (nullable): every connection the user has, to offer the
 *   connected ones
 * @connection: (nullable): the host to _hangar_wizard_create the machine on; %NULL for
 *   the first connected one (the user can pick another when several are)
 *
 * Returns: (transfer none): the wizard, not shown yet
 */
HangarWizard *
hangar_wizard_new (GtkApplication   *application,
                   GListModel       *connections,
                   HangarConnection *connection)
{
  HangarWizard *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWindow *parent;
  guint selected = 0;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (connections == NULL || G_IS_LIST_MODEL (connections), NULL);
  g_return_val_if_fail (connection == NULL || HANGAR_IS_CONNECTION (connection), NULL);

  parent = gtk_application_get_active_window (application);
  self = g_object_new (HANGAR_TYPE_WIZARD,
                       "application", application,
                       "transient-for", parent,
                       NULL);
  self->application = application;

  for (guint i = 0; connections != NULL && i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(HangarConnection) item = g_list_model_get_item (connections, i);

      if (item == connection ||
          hangar_connection_get_state (item) == HANGAR_CONNECTION_STATE_CONNECTED)
        g_ptr_array_add (self->connections, g_object_ref (item));
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
                           G_CALLBACK (_hangar_wizard_on_connection_selected), self,
                           G_CONNECT_SWAPPED);
  if (self->connections->len > 0)
    _hangar_wizard_set_connection (self, g_ptr_array_index (self->connections, selected));

  _hangar_wizard_load_db (self);
  _hangar_wizard_update (self);
  return self;
}

const char *
hangar_wizard_get_page (HangarWizard *self)
{
  g_return_val_if_fail (HANGAR_IS_WIZARD (self), NULL);
  return _hangar_wizard_current_page (self);
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
  return self->detecting || self->inspecting || self->host_cancellable != NULL ||
         self->db == NULL ||
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

