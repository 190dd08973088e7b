/* hangar-device-section.c — the details page of a device other than a disk
 * or a network interface.
 *
 * Displays, video, sound and watchdogs get a small form; every other kind
 * shows what it is. The section shows the device of its HangarVmConfig
 * named by its key (“sound-0”); setting the config fills it,
 * hangar_device_section_read() gives the device as the form has it, and
 * "changed" says the user edited something. Its rows are named
 * “dev-<key>-<field>” for the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-details-rows.h"
#include "hangar-device-section.h"
#include "hangar-plain-text.h"

static const char * const video_models[] = { "virtio", "qxl", "vga", "bochs", "cirrus", "ramfb",
                                             "none", NULL };
static const char * const sound_models[] = { "ich9", "ich6", "ac97", "es1370", "sb16", "usb", NULL };
static const char * const watchdog_models[] = { "i6300esb", "ib700", "itco", NULL };
static const char * const watchdog_actions[] = { "reset", "shutdown", "poweroff", "pause", "none",
                                                 "dump", "inject-nmi", NULL };

struct _HangarDeviceSection
{
  AdwPreferencesPage   parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *group;
  AdwPreferencesGroup *facts_group;
  GtkWidget           *remove_group;
  GtkWidget           *remove_button;

  /* The form, for the kinds that have one */
  AdwComboRow         *model_row;
  AdwComboRow         *action_row;
  AdwEntryRow         *listen_row;
  AdwEntryRow         *port_row;
  AdwEntryRow         *password_row;

  HangarVmConfig      *config;
  char                *id;
  char                *key;
  char                *title;
  const char          *icon;
  guint                filling;
};

G_DEFINE_FINAL_TYPE (HangarDeviceSection, hangar_device_section, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONFIG,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_changed (HangarDeviceSection *self)
{
  if (self->filling > 0)
    return;
  g_signal_emit (self, signals[CHANGED], 0);
}

static const char *
kind_icon (const HangarDeviceSettings *device)
{
  switch (device->kind)
    {
    case HANGAR_DEVICE_GRAPHICS:
    case HANGAR_DEVICE_VIDEO:
      return "video-display-symbolic";
    case HANGAR_DEVICE_SOUND:
      return "audio-speakers-symbolic";
    case HANGAR_DEVICE_INPUT:
      if (strstr (device->xml, "\"keyboard\"") != NULL)
        return "input-keyboard-symbolic";
      if (strstr (device->xml, "\"mouse\"") != NULL)
        return "input-mouse-symbolic";
      return "input-tablet-symbolic";
    case HANGAR_DEVICE_SERIAL:
    case HANGAR_DEVICE_CONSOLE:
    case HANGAR_DEVICE_CHANNEL:
      return "utilities-terminal-symbolic";
    case HANGAR_DEVICE_HOSTDEV:
    case HANGAR_DEVICE_REDIRDEV:
      return "media-removable-symbolic";
    case HANGAR_DEVICE_FILESYSTEM:
      return "folder-symbolic";
    case HANGAR_DEVICE_TPM:
      return "channel-secure-symbolic";
    case HANGAR_DEVICE_RNG:
      return "media-playlist-shuffle-symbolic";
    case HANGAR_DEVICE_WATCHDOG:
      return "alarm-symbolic";
    case HANGAR_DEVICE_CONTROLLER:
    default:
      return "applications-system-symbolic";
    }
}

/* The PS/2 mouse and keyboard of an x86 machine are part of its chipset:
 * libvirt adds them back to every definition, so removing them would
 * seem to work and change nothing. */
gboolean
hangar_device_is_builtin (const HangarDeviceSettings *device)
{
  return device->kind == HANGAR_DEVICE_INPUT && device->xml != NULL
         && strstr (device->xml, "bus=\"ps2\"") != NULL;
}

static AdwComboRow *
add_combo (HangarDeviceSection *self,
           const char          *field,
           const char          *title,
           const char * const  *values)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", self->id, field);
  AdwComboRow *row = hangar_details_add_combo_row (self->group, title, values, "", name);

  g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (on_changed), self);
  return row;
}

static AdwEntryRow *
add_entry (HangarDeviceSection *self,
           const char          *field,
           const char          *title,
           gboolean             secret)
{
  GtkWidget *row = secret ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  hangar_details_name_widget (row, self->id, field);
  adw_preferences_group_add (self->group, row);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (on_changed), self);
  return ADW_ENTRY_ROW (row);
}

static void
add_form (HangarDeviceSection        *self,
          const HangarDeviceSettings *device)
{
  AdwPreferencesGroup *group = self->group;

  switch (device->kind)
    {
    case HANGAR_DEVICE_GRAPHICS:
      self->listen_row = add_entry (self, "listen", _("Listen address"), FALSE);
      self->port_row = add_entry (self, "port", _("Port (empty: chosen automatically)"), FALSE);
      self->password_row = add_entry (self, "password", _("Password (empty: none)"), TRUE);
      adw_preferences_group_set_description (group,
                                             _("127.0.0.1 lets only this host connect, 0.0.0.0 "
                                               "every network. Changes apply when the machine "
                                               "next starts."));
      break;
    case HANGAR_DEVICE_VIDEO:
      self->model_row = add_combo (self, "model", _("Model"), video_models);
      adw_preferences_group_set_description (group,
                                             _("virtio suits Linux guests, qxl Windows guests "
                                               "with the SPICE drivers. Changes apply when the "
                                               "machine next starts."));
      break;
    case HANGAR_DEVICE_SOUND:
      self->model_row = add_combo (self, "model", _("Model"), sound_models);
      adw_preferences_group_set_description (group, _("Changes apply when the machine next "
                                                      "starts."));
      break;
    case HANGAR_DEVICE_WATCHDOG:
      self->model_row = add_combo (self, "model", _("Model"), watchdog_models);
      self->action_row = add_combo (self, "action", _("When the guest stops answering"),
                                    watchdog_actions);
      adw_preferences_group_set_description (group, _("Changes apply when the machine next "
                                                      "starts."));
      break;
    default:
      break;
    }
}

/**
 * hangar_device_section_get_device:
 *
 * Returns: (transfer full) (nullable): the config's device, as read
 */
HangarDeviceSettings *
hangar_device_section_get_device (HangarDeviceSection *self)
{
  g_autoptr(GPtrArray) devices = NULL;

  g_return_val_if_fail (HANGAR_IS_DEVICE_SECTION (self), NULL);

  if (self->config == NULL)
    return NULL;
  devices = hangar_vm_config_get_devices (self->config);
  for (guint i = 0; i < devices->len; i++)
    {
      HangarDeviceSettings *device = g_ptr_array_index (devices, i);

      if (g_strcmp0 (device->key, self->key) == 0)
        return g_ptr_array_steal_index (devices, i);
    }
  return NULL;
}

static void
fill (HangarDeviceSection *self)
{
  g_autoptr(HangarDeviceSettings) device = hangar_device_section_get_device (self);

  if (device == NULL)
    return;
  if (self->model_row != NULL)
    hangar_details_combo_set (self->model_row, device->model);
  if (self->action_row != NULL)
    hangar_details_combo_set (self->action_row, device->action);
  if (self->listen_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->listen_row), device->listen);
  if (self->port_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->port_row), device->port);
  if (self->password_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), device->password);
}

static void
hangar_device_section_dispose (GObject *object)
{
  HangarDeviceSection *self = HANGAR_DEVICE_SECTION (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_DEVICE_SECTION);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (hangar_device_section_parent_class)->dispose (object);
}

static void
hangar_device_section_finalize (GObject *object)
{
  HangarDeviceSection *self = HANGAR_DEVICE_SECTION (object);

  g_free (self->id);
  g_free (self->key);
  g_free (self->title);
  G_OBJECT_CLASS (hangar_device_section_parent_class)->finalize (object);
}

static void
hangar_device_section_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HangarDeviceSection *self = HANGAR_DEVICE_SECTION (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_device_section_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HangarDeviceSection *self = HANGAR_DEVICE_SECTION (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      hangar_device_section_set_config (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_device_section_class_init (HangarDeviceSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_device_section_dispose;
  object_class->finalize = hangar_device_section_finalize;
  object_class->get_property = hangar_device_section_get_property;
  object_class->set_property = hangar_device_section_set_property;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, HANGAR_TYPE_VM_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarDeviceSection::changed:
   *
   * The user changed a value in the form (filling it does not count).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-device-section.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarDeviceSection, group);
  gtk_widget_class_bind_template_child (widget_class, HangarDeviceSection, facts_group);
  gtk_widget_class_bind_template_child (widget_class, HangarDeviceSection, remove_group);
  gtk_widget_class_bind_template_child (widget_class, HangarDeviceSection, remove_button);
}

static void
hangar_device_section_init (HangarDeviceSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * hangar_device_section_new:
 * @device: the device the section is for: its key names it in the config
 */
HangarDeviceSection *
hangar_device_section_new (const HangarDeviceSettings *device)
{
  HangarDeviceSection *self;

  g_return_val_if_fail (device != NULL && device->key != NULL, NULL);

  self = g_object_new (HANGAR_TYPE_DEVICE_SECTION, NULL);
  self->key = g_strdup (device->key);
  self->id = g_strdup_printf ("dev-%s", device->key);
  self->title = g_strdup (device->title);
  self->icon = kind_icon (device);
  hangar_group_set_plain_title (self->group, device->title);
  add_form (self, device);

  if (device->facts != NULL && device->facts[0] != NULL)
    {
      AdwPreferencesGroup *facts = self->group;

      if (hangar_device_kind_editable (device->kind))
        {
          facts = self->facts_group;
          gtk_widget_set_visible (GTK_WIDGET (facts), TRUE);
        }
      for (guint i = 0; device->facts[i] && device->facts[i + 1]; i += 2)
        hangar_details_set_fact (hangar_details_add_fact_row (facts, device->facts[i]),
                                 device->facts[i + 1]);
    }
  if (hangar_device_is_builtin (device))
    {
      adw_preferences_group_set_description (self->group, _("Built into the machine’s chipset: "
                                                            "it cannot be removed."));
      gtk_widget_set_visible (self->remove_group, FALSE);
    }
  else
    hangar_details_remove_button_setup (self->remove_button, self->id);
  return self;
}

/* The section id, “dev-sound-0”. */
const char *
hangar_device_section_get_id (HangarDeviceSection *self)
{
  g_return_val_if_fail (HANGAR_IS_DEVICE_SECTION (self), NULL);

  return self->id;
}

const char *
hangar_device_section_get_key (HangarDeviceSection *self)
{
  g_return_val_if_fail (HANGAR_IS_DEVICE_SECTION (self), NULL);

  return self->key;
}

const char *
hangar_device_section_get_title (HangarDeviceSection *self)
{
  g_return_val_if_fail (HANGAR_IS_DEVICE_SECTION (self), NULL);

  return self->title;
}

const char *
hangar_device_section_get_icon (HangarDeviceSection *self)
{
  g_return_val_if_fail (HANGAR_IS_DEVICE_SECTION (self), NULL);

  return self->icon;
}

HangarVmConfig *
hangar_device_section_get_config (HangarDeviceSection *self)
{
  g_return_val_if_fail (HANGAR_IS_DEVICE_SECTION (self), NULL);

  return self->config;
}

/* Shows @config's device; "changed" is not emitted while filling. */
void
hangar_device_section_set_config (HangarDeviceSection *self,
                                  HangarVmConfig      *config)
{
  g_return_if_fail (HANGAR_IS_DEVICE_SECTION (self));
  g_return_if_fail (config == NULL || HANGAR_IS_VM_CONFIG (config));

  if (g_set_object (&self->config, config))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
  if (self->config == NULL)
    return;
  self->filling++;
  fill (self);
  self->filling--;
}

/**
 * hangar_device_section_read:
 *
 * Returns: (transfer full) (nullable): the device as read, with the form's
 *   values: what Apply sends
 */
HangarDeviceSettings *
hangar_device_section_read (HangarDeviceSection *self)
{
  HangarDeviceSettings *device;

  g_return_val_if_fail (HANGAR_IS_DEVICE_SECTION (self), NULL);

  device = hangar_device_section_get_device (self);
  if (device == NULL)
    return NULL;
  if (self->model_row != NULL)
    {
      g_free (device->model);
      device->model = g_strdup (hangar_details_combo_get (self->model_row));
    }
  if (self->action_row != NULL)
    {
      g_free (device->action);
      device->action = g_strdup (hangar_details_combo_get (self->action_row));
    }
  if (self->listen_row != NULL)
    {
      g_free (device->listen);
      device->listen = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->listen_row)));
    }
  if (self->port_row != NULL)
    {
      g_free (device->port);
      device->port = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->port_row)));
    }
  if (self->password_row != NULL)
    {
      g_free (device->password);
      device->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
    }
  return device;
}

/* Whether the form holds values the config does not. */
gboolean
hangar_device_section_is_dirty (HangarDeviceSection *self)
{
  g_autoptr(HangarDeviceSettings) now = NULL;
  g_autoptr(HangarDeviceSettings) form = NULL;

  g_return_val_if_fail (HANGAR_IS_DEVICE_SECTION (self), FALSE);

  now = hangar_device_section_get_device (self);
  form = hangar_device_section_read (self);
  return now != NULL && form != NULL && !hangar_device_settings_equal (now, form);
}
