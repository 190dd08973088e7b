/* hangar-accessible.c — accessible names for controls libadwaita leaves unnamed.
 *
 * GTK 4.8 and libadwaita 1.2 name a row after its title, but not the spin
 * button or switch put at its end, the enable switch and header of an
 * AdwExpanderRow, or icon-only buttons (the password row's show-text
 * toggle, a row's menu button): a screen reader says "spin button", "switch",
 * "button" and the user cannot tell which. The row's title, or the
 * button's tooltip, is the name a sighted user reads there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "hangar-accessible.h"

static void
set_label (GtkWidget  *widget,
           const char *label)
{
  if (label != NULL && *label != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    label, -1);
}

static void
name_under (GtkWidget  *widget,
            const char *row_title)
{
  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      row_title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
      if (ADW_IS_EXPANDER_ROW (widget))
        set_label (widget, row_title);
    }
  else if (GTK_IS_SPIN_BUTTON (widget) || GTK_IS_SWITCH (widget))
    set_label (widget, row_title);
  else if (GTK_IS_BUTTON (widget) && gtk_widget_get_tooltip_text (widget) != NULL
           && gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    set_label (widget, gtk_widget_get_tooltip_text (widget));
  else if (GTK_IS_MENU_BUTTON (widget) && gtk_widget_get_tooltip_text (widget) != NULL
           && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL)
    {
      /* A menu button is a box around the toggle button one presses. */
      set_label (widget, gtk_widget_get_tooltip_text (widget));
      if (gtk_widget_get_first_child (widget) != NULL)
        set_label (gtk_widget_get_first_child (widget), gtk_widget_get_tooltip_text (widget));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_under (child, row_title);
}

/**
 * hangar_accessible_name_row_controls:
 * @root: a widget holding preference rows
 *
 * Names the spin buttons and switches inside @root's rows after their
 * row's title, expander rows after their title, and icon-only buttons
 * after their tooltip. Call it again after adding rows.
 */
void
hangar_accessible_name_row_controls (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));
  name_under (root, NULL);
}
