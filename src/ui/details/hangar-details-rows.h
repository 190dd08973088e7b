/* hangar-details-rows.h — rows the details view and its device forms share:
 * combo rows that keep libvirt's values, switch rows and fact rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void         hangar_details_combo_setup     (AdwComboRow         *row,
                                             const char * const  *values,
                                             const char          *empty_label);
void         hangar_details_combo_set       (AdwComboRow         *row,
                                             const char          *value);
const char  *hangar_details_combo_get       (AdwComboRow         *row);
AdwComboRow *hangar_details_add_combo_row   (AdwPreferencesGroup *group,
                                             const char          *title,
                                             const char * const  *values,
                                             const char          *empty_label,
                                             const char          *name);
GtkSwitch   *hangar_details_add_switch_row  (AdwPreferencesGroup *group,
                                             const char          *title,
                                             const char          *subtitle,
                                             const char          *name);
GtkLabel    *hangar_details_add_fact_row    (AdwPreferencesGroup *group,
                                             const char          *title);
void         hangar_details_set_fact        (GtkLabel            *label,
                                             const char          *value);
void         hangar_details_name_widget     (GtkWidget           *widget,
                                             const char          *id,
                                             const char          *part);
void         hangar_details_remove_button_setup (GtkWidget       *button,
                                                 const char      *id);

G_END_DECLS
