/* hangar-express-group.c — the wizard's express-install answers.
 *
 * Shown on the wizard's last page when the chosen ISO's OS has a libosinfo
 * install script: a switch (on by default) and the answers, filled from
 * the desktop (language, keyboard, time zone, the user's login and name)
 * and checked by libhangar's hangar-express as they are typed; the
 * message goes under the group and the wrong field is marked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-express-group.h"

struct _HangarExpressGroup
{
  AdwPreferencesGroup parent_instance;

  GtkSwitch   *enable_switch;
  AdwEntryRow *user_row;
  AdwEntryRow *full_name_row;
  AdwEntryRow *password_row;
  AdwEntryRow *confirm_row;
  AdwEntryRow *admin_row;
  AdwEntryRow *host_row;
  AdwEntryRow *language_row;
  AdwEntryRow *keyboard_row;
  AdwEntryRow *time_zone_row;
  GtkLabel    *error_label;

  gboolean     available;
  gboolean     host_edited;
  gboolean     setting_host;
};

G_DEFINE_FINAL_TYPE (HangarExpressGroup, hangar_express_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
update_rows (HangarExpressGroup *self)
{
  gboolean on = gtk_switch_get_active (self->enable_switch);
  GtkWidget *rows[] = {
    GTK_WIDGET (self->user_row), GTK_WIDGET (self->full_name_row),
    GTK_WIDGET (self->password_row), GTK_WIDGET (self->confirm_row),
    GTK_WIDGET (self->admin_row), GTK_WIDGET (self->host_row),
    GTK_WIDGET (self->language_row), GTK_WIDGET (self->keyboard_row),
    GTK_WIDGET (self->time_zone_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_visible (rows[i], on);
  if (!on)
    gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
on_changed (HangarExpressGroup *self)
{
  update_rows (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_host_changed (HangarExpressGroup *self)
{
  /* The wizard sets the suggestion while it checks its page: telling it
   * again would start that check over inside itself (set_text changes
   * the text twice, through ""). */
  if (self->setting_host)
    return;
  self->host_edited = TRUE;
  on_changed (self);
}

static void
hangar_express_group_class_init (HangarExpressGroupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * HangarExpressGroup::changed:
   *
   * An answer or the switch changed: the wizard checks its page again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-express-group.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, enable_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, user_row);
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, full_name_row);
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, password_row);
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, admin_row);
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, host_row);
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, language_row);
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, keyboard_row);
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, time_zone_row);
  gtk_widget_class_bind_template_child (widget_class, HangarExpressGroup, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_host_changed);
}

static void
hangar_express_group_init (HangarExpressGroup *self)
{
  g_autoptr(HangarExpressConfig) defaults = hangar_express_config_new_from_desktop ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), defaults->user_name);
  gtk_editable_set_text (GTK_EDITABLE (self->full_name_row), defaults->full_name);
  gtk_editable_set_text (GTK_EDITABLE (self->language_row), defaults->language);
  gtk_editable_set_text (GTK_EDITABLE (self->keyboard_row), defaults->keyboard);
  gtk_editable_set_text (GTK_EDITABLE (self->time_zone_row), defaults->time_zone);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  update_rows (self);
}

/**
 * hangar_express_group_set_available:
 * @available: whether the chosen media's OS can be installed by itself
 */
void
hangar_express_group_set_available (HangarExpressGroup *self,
                                    gboolean            available)
{
  g_return_if_fail (HANGAR_IS_EXPRESS_GROUP (self));

  self->available = !!available;
  gtk_widget_set_visible (GTK_WIDGET (self), self->available);
}

gboolean
hangar_express_group_get_active (HangarExpressGroup *self)
{
  g_return_val_if_fail (HANGAR_IS_EXPRESS_GROUP (self), FALSE);
  return self->available && gtk_switch_get_active (self->enable_switch);
}

/* The host name follows the machine's name until the user types one. */
void
hangar_express_group_suggest_host_name (HangarExpressGroup *self,
                                        const char         *machine_name)
{
  g_autofree char *host = NULL;

  g_return_if_fail (HANGAR_IS_EXPRESS_GROUP (self));

  if (self->host_edited || self->setting_host)
    return;
  host = hangar_express_host_name_from (machine_name);
  if (g_strcmp0 (host, text_of (self->host_row)) == 0)
    return;
  self->setting_host = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host);
  self->setting_host = FALSE;
}

static HangarExpressConfig *
read_config (HangarExpressGroup *self)
{
  HangarExpressConfig *config = hangar_express_config_new ();

  config->user_name = g_strdup (text_of (self->user_row));
  config->full_name = g_strstrip (g_strdup (text_of (self->full_name_row)));
  config->password = g_strdup (text_of (self->password_row));
  config->admin_password = g_strdup (text_of (self->admin_row));
  config->host_name = g_strdup (text_of (self->host_row));
  config->language = g_strstrip (g_strdup (text_of (self->language_row)));
  config->keyboard = g_strstrip (g_strdup (text_of (self->keyboard_row)));
  config->time_zone = g_strstrip (g_strdup (text_of (self->time_zone_row)));
  return config;
}

static AdwEntryRow *
row_for_error (HangarExpressGroup *self,
               int                 code)
{
  switch (code)
    {
    case HANGAR_EXPRESS_ERROR_USER_NAME:
      return self->user_row;
    case HANGAR_EXPRESS_ERROR_FULL_NAME:
      return self->full_name_row;
    case HANGAR_EXPRESS_ERROR_PASSWORD:
      return self->password_row;
    case HANGAR_EXPRESS_ERROR_ADMIN_PASSWORD:
      return self->admin_row;
    case HANGAR_EXPRESS_ERROR_HOST_NAME:
      return self->host_row;
    case HANGAR_EXPRESS_ERROR_LANGUAGE:
      return self->language_row;
    case HANGAR_EXPRESS_ERROR_TIME_ZONE:
      return self->time_zone_row;
    default:
      return NULL;
    }
}

/**
 * hangar_express_group_validate:
 *
 * Checks the answers when the express install is on, and shows the first
 * problem under the group with its field marked.
 *
 * Returns: whether the wizard may go on
 */
gboolean
hangar_express_group_validate (HangarExpressGroup *self)
{
  g_autoptr(HangarExpressConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  AdwEntryRow *rows[] = {
    self->user_row, self->full_name_row, self->password_row, self->confirm_row, self->admin_row,
    self->host_row, self->language_row, self->keyboard_row, self->time_zone_row,
  };
  AdwEntryRow *bad = NULL;
  const char *message = NULL;

  g_return_val_if_fail (HANGAR_IS_EXPRESS_GROUP (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
  if (!hangar_express_group_get_active (self))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      return TRUE;
    }

  config = read_config (self);
  if (!hangar_express_config_check (config, &error))
    {
      bad = row_for_error (self, error->code);
      message = error->message;
    }
  else if (g_strcmp0 (config->password, text_of (self->confirm_row)) != 0)
    {
      bad = self->confirm_row;
      message = _("The passwords do not match.");
    }
  if (bad != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (bad), "error");
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  return message == NULL;
}

/**
 * hangar_express_group_get_config:
 *
 * Returns: (transfer full) (nullable): the answers, or %NULL when the
 *   express install is off or unavailable
 */
HangarExpressConfig *
hangar_express_group_get_config (HangarExpressGroup *self)
{
  g_return_val_if_fail (HANGAR_IS_EXPRESS_GROUP (self), NULL);

  if (!hangar_express_group_get_active (self))
    return NULL;
  return read_config (self);
}
