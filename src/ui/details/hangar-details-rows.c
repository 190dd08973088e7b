/* hangar-details-rows.c — rows the details view and its device forms share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-combo-row.h"
#include "hangar-details-rows.h"
#include "hangar-plain-text.h"

/* Combo rows show values; an unknown value from the XML is added, not lost.
 * The empty string stands for “not set” and shows @empty_label. */
void
hangar_details_combo_setup (AdwComboRow        *row,
                            const char * const *values,
                            const char         *empty_label)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; values[i]; i++)
    gtk_string_list_append (list, *values[i] ? values[i] : empty_label);
  g_object_set_data_full (G_OBJECT (row), "hangar-values",
                          g_strdupv ((char **) values), (GDestroyNotify) g_strfreev);
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

void
hangar_details_combo_set (AdwComboRow *row,
                          const char  *value)
{
  char **v = g_object_get_data (G_OBJECT (row), "hangar-values");
  guint i;

  if (value == NULL)
    value = "";
  for (i = 0; v && v[i]; i++)
    if (g_str_equal (v[i], value))
      {
        adw_combo_row_set_selected (row, i);
        return;
      }

  /* Not one we offer: keep it. */
  {
    GStrvBuilder *builder = g_strv_builder_new ();
    char **grown;

    g_strv_builder_addv (builder, (const char **) v);
    g_strv_builder_add (builder, value);
    grown = g_strv_builder_end (builder);
    g_strv_builder_unref (builder);
    g_object_set_data_full (G_OBJECT (row), "hangar-values", grown, (GDestroyNotify) g_strfreev);
    gtk_string_list_append (GTK_STRING_LIST (adw_combo_row_get_model (row)), value);
    adw_combo_row_set_selected (row, i);
  }
}

const char *
hangar_details_combo_get (AdwComboRow *row)
{
  char **v = g_object_get_data (G_OBJECT (row), "hangar-values");
  guint selected = adw_combo_row_get_selected (row);

  if (v == NULL || selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length (v))
    return NULL;
  return *v[selected] ? v[selected] : NULL;
}

AdwComboRow *
hangar_details_add_combo_row (AdwPreferencesGroup *group,
                              const char          *title,
                              const char * const  *values,
                              const char          *empty_label,
                              const char          *name)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (row, name);
  hangar_details_combo_setup (ADW_COMBO_ROW (row), values, empty_label);
  hangar_combo_row_show_whole (ADW_COMBO_ROW (row));
  adw_preferences_group_add (group, row);
  return ADW_COMBO_ROW (row);
}

GtkSwitch *
hangar_details_add_switch_row (AdwPreferencesGroup *group,
                               const char          *title,
                               const char          *subtitle,
                               const char          *name)
{
  GtkWidget *row = hangar_row_plain (adw_action_row_new ());
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_widget_set_name (sw, name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  adw_preferences_group_add (group, row);
  return GTK_SWITCH (sw);
}

GtkLabel *
hangar_details_add_fact_row (AdwPreferencesGroup *group,
                             const char          *title)
{
  GtkWidget *row = hangar_row_plain (adw_action_row_new ());
  GtkWidget *label = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Not wrapped: GTK 4.8 mis-measures wrapping labels in a row's suffix. */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);
  return GTK_LABEL (label);
}

void
hangar_details_set_fact (GtkLabel   *label,
                         const char *value)
{
  gtk_label_set_text (label, value && *value ? value : _("—"));
}

/* Names @widget “@id-@part”, the name tests and the person tests look for. */
void
hangar_details_name_widget (GtkWidget  *widget,
                            const char *id,
                            const char *part)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", id, part);

  gtk_widget_set_name (widget, name);
}

/* A device page's Remove Hardware… button removes the device @id. */
void
hangar_details_remove_button_setup (GtkWidget  *button,
                                    const char *id)
{
  hangar_details_name_widget (button, id, "remove");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "details.remove-hardware");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
}
