/* hangar-wizard-create.c — the wizard's pages checked, and the machine created from them.
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
  HangarInstallMethod method = _hangar_wizard_install_method (self);
  gboolean local = self->connection == NULL || hangar_connection_is_local (self->connection);
  gboolean ok = TRUE;

  gtk_widget_set_visible (self->iso_group, method == HANGAR_INSTALL_ISO);
  gtk_widget_set_visible (self->url_group, method == HANGAR_INSTALL_TREE);
  gtk_widget_set_visible (self->import_group, method == HANGAR_INSTALL_IMPORT);
  gtk_widget_set_visible (self->cloud_group, method == HANGAR_INSTALL_CLOUD);

  if (self->connection == NULL)
    {
      _hangar_wizard_show_field_error (self->connection_row, self->connection_error,
                                       _("Connect to a host first."));
      ok = FALSE;
    }
  else if (self->host_error != NULL)
    {
      _hangar_wizard_show_field_error (self->connection_row, self->connection_error,
                                       self->host_error);
      ok = FALSE;
    }
  else
    {
      _hangar_wizard_show_field_error (self->connection_row, self->connection_error, NULL);
      if (self->host == NULL)
        ok = FALSE;  /* still reading it */
    }
  /* As virt-manager does: without KVM every instruction is emulated. */
  gtk_widget_set_visible (self->kvm_group, self->host != NULL && !self->host->caps->has_kvm);
  gtk_label_set_text (self->kvm_warning,
                      _("KVM is not available on this host: machines will use software "
                        "emulation and be very slow."));

  if (method == HANGAR_INSTALL_ISO)
    {
      g_autofree char *path = _hangar_wizard_entry_text (self->iso_row);
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

          _hangar_wizard_show_field_error (self->iso_row, self->iso_error,
                                           empty && !_hangar_wizard_is_touched (self, self->iso_row)
                                           ? NULL
                                           : error ? error->message
                                           : _("Give the full path of the file."));
          _hangar_wizard_show_status (self->iso_status, NULL);
          ok = FALSE;
        }
      else if (!local)
        {
          _hangar_wizard_show_field_error (self->iso_row, self->iso_error, NULL);
          _hangar_wizard_show_status (self->iso_status, NULL);
        }
      else
        {
          _hangar_wizard_detect_start (self);
          if (self->detecting || g_strcmp0 (self->detected_for, path) != 0)
            {
              _hangar_wizard_show_field_error (self->iso_row, self->iso_error, NULL);
              _hangar_wizard_show_status (self->iso_status, _("Looking for the operating system…"));
              ok = FALSE;
            }
          else if (self->detect_error != NULL)
            {
              _hangar_wizard_show_field_error (self->iso_row, self->iso_error, self->detect_error);
              _hangar_wizard_show_status (self->iso_status, NULL);
              ok = FALSE;
            }
          else
            {
              g_autofree char *found = NULL;

              if (self->detected_os != NULL)
                found = g_strdup_printf (_("Detected: %s"),
                                         _hangar_wizard_os_display_name (self->detected_os));
              _hangar_wizard_show_field_error (self->iso_row, self->iso_error, NULL);
              _hangar_wizard_show_status (self->iso_status,
                                          found ? found
                                          : _("The operating system on this media is not known: "
                                              "choose it on the next page."));
            }
        }
    }
  else if (method == HANGAR_INSTALL_TREE)
    {
      g_autofree char *url = _hangar_wizard_entry_text (self->url_row);

      if (!url_is_well_formed (url))
        {
          g_clear_handle_id (&self->url_timeout, g_source_remove);
          g_cancellable_cancel (self->detect_cancellable);
          g_clear_object (&self->detect_cancellable);
          g_clear_pointer (&self->detect_target, g_free);
          self->detecting = FALSE;
          _hangar_wizard_show_field_error (self->url_row, self->url_error,
                                           url[0] == '\0' &&
                                           !_hangar_wizard_is_touched (self, self->url_row)
                                           ? NULL : _("Enter an http, https or ftp address."));
          _hangar_wizard_show_status (self->url_status, NULL);
          ok = FALSE;
        }
      else
        {
          _hangar_wizard_detect_start (self);
          if (self->detecting || g_strcmp0 (self->detected_for, url) != 0)
            {
              _hangar_wizard_show_field_error (self->url_row, self->url_error, NULL);
              _hangar_wizard_show_status (self->url_status, _("Reading the tree…"));
              ok = FALSE;
            }
          else if (self->detect_error != NULL)
            {
              _hangar_wizard_show_field_error (self->url_row, self->url_error, self->detect_error);
              _hangar_wizard_show_status (self->url_status, NULL);
              ok = FALSE;
            }
          else
            {
              g_autofree char *found = NULL;

              if (self->detected_os != NULL)
                found = g_strdup_printf (_("Detected: %s"),
                                         _hangar_wizard_os_display_name (self->detected_os));
              _hangar_wizard_show_field_error (self->url_row, self->url_error, NULL);
              _hangar_wizard_show_status (self->url_status,
                                          found ? found
                                          : _("An installable tree of a system Hangar does not "
                                              "know: choose it on the next page."));
            }
        }
    }
  else if (method == HANGAR_INSTALL_IMPORT)
    {
      g_autofree char *path = _hangar_wizard_entry_text (self->import_row);
      g_autoptr(GError) error = NULL;
      const char *refused = NULL;
      gboolean checked;
      gboolean looking = FALSE;

      self->import_format = HANGAR_DISK_FORMAT_QCOW2;
      if (local)
        checked = hangar_install_check_image (path, &self->import_format, &error);
      else
        checked = g_path_is_absolute (path);
      if (checked && !local && hangar_disk_format_needs_conversion (self->import_format))
        checked = FALSE;
      /* What the header cannot tell (a backing file, extents elsewhere),
       * qemu-img does, in a worker: until it has, Forward waits. */
      if (checked && local &&
          !_hangar_wizard_image_inspected (self, path, self->import_format, &refused))
        {
          checked = FALSE;
          looking = refused == NULL;
        }
      _hangar_wizard_show_field_error (self->import_row, self->import_error,
                                       checked || looking ||
                                       (path[0] == '\0' &&
                                        !_hangar_wizard_is_touched (self, self->import_row))
                                       ? NULL
                                       : refused ? refused
                                       : error ? error->message
                                       : _("Give the full path of the file."));
      ok = ok && checked;
    }
  else if (method == HANGAR_INSTALL_CLOUD)
    ok = hangar_wizard_cloud_validate (self->cloud_section, local) && ok;

  return ok;
}

static gboolean
validate_os (HangarWizard *self)
{
  if (!self->os_chosen)
    {
      adw_action_row_set_subtitle (self->os_row, NULL);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->os_row), _("Not chosen yet"));
      /* Nothing to correct before the person has looked for a system. */
      _hangar_wizard_show_field_error (NULL, self->os_error,
                                       _hangar_wizard_is_touched (self, self->os_search_row)
                                       ? _("Search for the system below, or pick a generic one.")
                                       : NULL);
      return FALSE;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->os_row),
                                 _hangar_wizard_os_display_name (self->os));
  adw_action_row_set_subtitle (self->os_row,
                               self->os != NULL && self->os == self->detected_os
                               ? _("Detected from the installation media") : NULL);
  _hangar_wizard_show_field_error (NULL, self->os_error, NULL);
  return TRUE;
}

static gboolean
validate_resources (HangarWizard *self)
{
  guint64 memory = gtk_spin_button_get_value_as_int (self->memory_spin);
  g_autoptr(GError) error = NULL;
  gboolean ok = self->host != NULL &&
                hangar_install_check_memory (memory, self->host->memory_mib, &error);

  _hangar_wizard_show_field_error (self->memory_spin, self->memory_error,
                                   error ? error->message : NULL);
  if (ok && self->host->free_memory_mib > 0 && memory > self->host->free_memory_mib)
    {
      g_autofree char *free_text = g_format_size_full (self->host->free_memory_mib * MIB,
                                                       G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *warning = g_strdup_printf (_("Only %s is free on the host now: the "
                                                    "machine may not start, or slow the host "
                                                    "down."), free_text);

      _hangar_wizard_show_status (self->memory_warning, warning);
    }
  else
    _hangar_wizard_show_status (self->memory_warning, NULL);
  return ok;
}

/* Two machines writing to one disk corrupt it: a disk another machine
 * uses is said so, and taken only when the person confirms. @checked: the
 * path was accepted and its users read. */
static gboolean
validate_disk_users (HangarWizard *self,
                     gboolean      checked)
{
  g_autofree char *names = NULL;
  g_autofree char *warning = NULL;

  if (checked && self->users_error != NULL)
    /* Translators: %s is why the machines could not be read */
    warning = g_strdup_printf (_("Hangar could not check whether other machines use this disk "
                                 "(%s)."), self->users_error);
  else if (checked && self->users_of != NULL && self->users_of[0] != NULL)
    {
      names = g_strjoinv (", ", self->users_of);
      /* Translators: %s is a list of machine names */
      warning = g_strdup_printf (ngettext ("This disk is used by the machine %s. Two machines "
                                           "writing to one disk corrupt it.",
                                           "This disk is used by the machines %s. Two machines "
                                           "writing to one disk corrupt it.",
                                           g_strv_length (self->users_of)),
                                 names);
    }
  _hangar_wizard_show_status (self->existing_warning, warning);
  gtk_widget_set_visible (GTK_WIDGET (self->existing_confirm), warning != NULL);
  return warning == NULL || gtk_check_button_get_active (self->existing_confirm);
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
      HangarPoolInfo *pool = _hangar_wizard_selected_pool (self);
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
      _hangar_wizard_show_field_error (self->size_spin, self->size_error,
                                       error ? error->message : NULL);
    }
  else if (gtk_check_button_get_active (self->disk_existing))
    {
      g_autofree char *path = _hangar_wizard_entry_text (self->existing_row);
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
      _hangar_wizard_show_field_error (self->existing_row, self->existing_error,
                                       ok ||
                                       (path[0] == '\0' &&
                                        !_hangar_wizard_is_touched (self, self->existing_row))
                                       ? NULL
                                       : error ? error->message
                                       : _("Give the full path of the file."));
      if (ok && !_hangar_wizard_disk_users_checked (self, path))
        ok = FALSE;  /* still reading which machines use it */
      ok = validate_disk_users (self, ok) && ok;
    }
  else
    validate_disk_users (self, FALSE);
  return ok;
}

static gboolean
validate_finish (HangarWizard *self)
{
  g_autofree char *name = _hangar_wizard_entry_text (self->name_row);
  g_autoptr(GError) name_error = NULL;
  const NetworkChoice *network = _hangar_wizard_selected_network (self);
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
  _hangar_wizard_show_field_error (self->name_row, self->name_error,
                                   name_error ? name_error->message : NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->bridge_row),
                          network != NULL && network->mode == HANGAR_NETWORK_BRIDGE);
  if (network == NULL)
    network_message = _("Choose a network.");
  else if (network->mode == HANGAR_NETWORK_BRIDGE)
    {
      g_autofree char *bridge = _hangar_wizard_entry_text (self->bridge_row);

      if (bridge[0] == '\0' || strpbrk (bridge, " /\t") != NULL || strlen (bridge) > 15)
        network_message = _("Give the name of a bridge on the host, such as br0.");
    }
  else if (network->mode == HANGAR_NETWORK_NONE &&
           _hangar_wizard_install_method (self) == HANGAR_INSTALL_PXE)
    network_message = _("Network boot needs a network.");
  _hangar_wizard_show_field_error (network != NULL && network->mode == HANGAR_NETWORK_BRIDGE
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
  _hangar_wizard_show_field_error (self->firmware_row, self->firmware_error, firmware_message);
  ok = ok && firmware_message == NULL;

  /* Express install: an ISO whose own OS (the detected one, not another
   * the user picked) has an install script, read here (a local host),
   * started right away (not customised first). */
  hangar_express_group_set_available (self->express_group,
                                      _hangar_wizard_install_method (self) == HANGAR_INSTALL_ISO &&
                                      self->connection != NULL &&
                                      hangar_connection_is_local (self->connection) &&
                                      !gtk_switch_get_active (self->customize_switch) &&
                                      self->os != NULL && self->detected_os != NULL &&
                                      g_strcmp0 (osinfo_entity_get_id (OSINFO_ENTITY (self->os)),
                                                 osinfo_entity_get_id (OSINFO_ENTITY (
                                                   self->detected_os))) == 0 &&
                                      hangar_express_os_supported (self->os));
  hangar_express_group_suggest_host_name (self->express_group, name);
  ok = hangar_express_group_validate (self->express_group) && ok;

  return ok;
}

gboolean
_hangar_wizard_validate_page (HangarWizard *self,
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

void
_hangar_wizard_update_summary (HangarWizard *self)
{
  g_autofree char *resources = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *storage = NULL;
  g_autofree char *source = NULL;
  guint cpus = gtk_spin_button_get_value_as_int (self->cpus_spin);

  adw_action_row_set_subtitle (self->summary_os_row, _hangar_wizard_os_display_name (self->os));
  memory = g_format_size_full ((guint64) gtk_spin_button_get_value_as_int (self->memory_spin) * MIB,
                               G_FORMAT_SIZE_IEC_UNITS);
  resources = g_strdup_printf (ngettext ("%s, %u processor", "%s, %u processors", cpus),
                               memory, cpus);
  adw_action_row_set_subtitle (self->summary_resources_row, resources);

  switch (_hangar_wizard_install_method (self))
    {
    case HANGAR_INSTALL_ISO:
      /* Translators: %s is the path of an ISO image */
      source = g_strdup_printf (_("The install media %s"),
                                gtk_editable_get_text (GTK_EDITABLE (self->iso_row)));
      break;
    case HANGAR_INSTALL_TREE:
      /* Translators: %s is a URL */
      source = g_strdup_printf (_("The network install tree %s"),
                                gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
      break;
    case HANGAR_INSTALL_PXE:
      source = g_strdup (_("Network boot (PXE)"));
      break;
    case HANGAR_INSTALL_IMPORT:
      /* Translators: %s is the path of a disk image */
      source = g_strdup_printf (_("The imported image %s"),
                                gtk_editable_get_text (GTK_EDITABLE (self->import_row)));
      break;
    case HANGAR_INSTALL_CLOUD:
      source = hangar_wizard_cloud_describe (self->cloud_section);
      break;
    case HANGAR_INSTALL_MANUAL:
    default:
      source = g_strdup (_("Nothing: installed by hand later"));
      break;
    }
  adw_action_row_set_subtitle (self->summary_source_row, source);

  if (_hangar_wizard_install_method (self) == HANGAR_INSTALL_IMPORT)
    storage = g_strdup_printf (_("The imported image %s"),
                               gtk_editable_get_text (GTK_EDITABLE (self->import_row)));
  else if (_hangar_wizard_install_method (self) == HANGAR_INSTALL_CLOUD)
    storage = g_strdup (_("A copy of the cloud image, and its cloud-init settings beside it"));
  else if (gtk_check_button_get_active (self->disk_new))
    {
      HangarPoolInfo *pool = _hangar_wizard_selected_pool (self);
      const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

      /* Where the creator puts it (a number is added if the name is taken). */
      if (pool != NULL && pool->path != NULL && name[0] != '\0')
        {
          g_autofree char *file = g_strdup_printf ("%s.qcow2", name);
          g_autofree char *path = g_build_filename (pool->path, file, NULL);

          /* Translators: %d is a size in GiB, the first %s a pool's name, the second a path */
          storage = g_strdup_printf (_("A new disk of %d GiB in the pool “%s”: %s"),
                                     gtk_spin_button_get_value_as_int (self->size_spin),
                                     pool->name, path);
        }
      else
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

/* --- creating ------------------------------------------------------------------- */

static HangarDomainSpec *
build_spec (HangarWizard *self)
{
  HangarDomainSpec *spec = hangar_domain_spec_new ();
  const NetworkChoice *network = _hangar_wizard_selected_network (self);
  guint firmware = adw_combo_row_get_selected (self->firmware_row);

  spec->connection_kind = self->host->kind;
  /* One console password for the install and the final definition. */
  spec->remote = !self->host->local;
  if (spec->remote)
    spec->graphics_password = hangar_domain_spec_new_graphics_password ();
  hangar_domain_spec_set_caps (spec, self->host->caps);
  hangar_domain_spec_set_os (spec, self->os);
  spec->install_method = _hangar_wizard_install_method (self);
  switch (spec->install_method)
    {
    case HANGAR_INSTALL_ISO:
      spec->iso_path = _hangar_wizard_entry_text (self->iso_row);
      break;
    case HANGAR_INSTALL_TREE:
      spec->tree_url = _hangar_wizard_entry_text (self->url_row);
      break;
    case HANGAR_INSTALL_IMPORT:
      spec->import_path = _hangar_wizard_entry_text (self->import_row);
      spec->import_format = self->import_format;
      break;
    case HANGAR_INSTALL_CLOUD:
      hangar_wizard_cloud_fill_spec (self->cloud_section, spec);
      break;
    case HANGAR_INSTALL_PXE:
    case HANGAR_INSTALL_MANUAL:
    default:
      break;
    }

  spec->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  spec->memory_mib = gtk_spin_button_get_value_as_int (self->memory_spin);
  spec->vcpus = gtk_spin_button_get_value_as_int (self->cpus_spin);

  if (spec->install_method == HANGAR_INSTALL_CLOUD)
    spec->disk_mode = HANGAR_DISK_NEW;  /* the copy; its size is set above */
  else if (spec->install_method == HANGAR_INSTALL_IMPORT ||
           gtk_check_button_get_active (self->disk_none))
    spec->disk_mode = HANGAR_DISK_NONE;
  else if (gtk_check_button_get_active (self->disk_existing))
    {
      spec->disk_mode = HANGAR_DISK_EXISTING;
      spec->disk_path = _hangar_wizard_entry_text (self->existing_row);
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
    spec->network_source = _hangar_wizard_entry_text (self->bridge_row);

  spec->firmware = firmware >= 1 ? HANGAR_FIRMWARE_UEFI : HANGAR_FIRMWARE_BIOS;
  spec->secure_boot = firmware == 2;
  spec->tpm = firmware == 2;
  spec->console = adw_combo_row_get_selected (self->console_row) == 1
                  ? HANGAR_CONSOLE_VNC : HANGAR_CONSOLE_SPICE;
  return spec;
}

/* Opens the machine's window through the application, which owns the
 * windows: the wizard knows no other window. */
static void
present_machine (HangarWizard *self,
                 HangarVm     *vm,
                 const char   *page)
{
  if (self->application == NULL)
    return;
  g_action_group_activate_action (G_ACTION_GROUP (self->application), "show-machine",
                                  g_variant_new ("(sss)",
                                                 hangar_connection_get_uri (self->connection),
                                                 hangar_vm_get_uuid (vm), page));
}

static void
show_machine (HangarWizard *self,
              HangarVm     *vm)
{
  g_clear_signal_handler (&self->appear_handler, self->connection);
  g_clear_handle_id (&self->appear_timeout, g_source_remove);
  /* “Customize before install”: defined, not started, shown for editing. */
  present_machine (self, vm, gtk_switch_get_active (self->customize_switch) ? "details" : "console");
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
        present_machine (self, vm, "console");
      return;
    }
  if (uuid == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_stack_set_visible_child_name (self->stack, "finish");
          _hangar_wizard_update (self);
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
      /* May hold an install server's own status line. */
      hangar_status_page_set_plain_description (self->progress_page, error->message);
      gtk_label_set_text (self->step_label,
                          _("Nothing was left behind. Go back to change your choices."));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      _hangar_wizard_update (self);
      return;
    }

  self->created_uuid = g_steal_pointer (&uuid);
  _hangar_wizard_update (self);
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
  _hangar_wizard_update (self);
}

void
_hangar_wizard_create (HangarWizard *self)
{
  g_autoptr(HangarDomainSpec) spec = build_spec (self);
  HangarPoolInfo *pool = _hangar_wizard_selected_pool (self);

  g_clear_object (&self->creator);
  self->creator = hangar_vm_creator_new (self->connection, spec);
  hangar_vm_creator_set_pool_name (self->creator, pool ? pool->name : NULL);
  hangar_vm_creator_set_start (self->creator, !gtk_switch_get_active (self->customize_switch));
  {
    g_autoptr(HangarExpressConfig) express = hangar_express_group_get_config (self->express_group);

    hangar_vm_creator_set_express (self->creator, express);
  }
  g_object_bind_property (self->creator, "progress", self->progress_bar, "fraction",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->creator, "step", self->step_label, "label",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->creator, "notify::running", G_CALLBACK (on_creator_running),
                           self, G_CONNECT_SWAPPED);

  self->failed = FALSE;
  adw_status_page_set_icon_name (self->progress_page, "computer-symbolic");
  adw_status_page_set_title (self->progress_page, _("Creating the Machine"));
  hangar_status_page_set_plain_description (self->progress_page, spec->name);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "progress");

  self->create_cancellable = g_cancellable_new ();
  hangar_vm_creator_run_async (self->creator, self->create_cancellable, on_created,
                               g_object_ref (self));
  _hangar_wizard_update (self);
}
