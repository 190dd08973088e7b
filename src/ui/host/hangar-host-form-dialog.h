/* hangar-host-form-dialog.h — a small form for a new network, pool or volume,
 * with each field's error shown under it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_HOST_FORM_DIALOG (hangar_host_form_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HangarHostFormDialog, hangar_host_form_dialog, HANGAR, HOST_FORM_DIALOG,
                      AdwWindow)

HangarHostFormDialog *hangar_host_form_dialog_new       (GtkWindow            *parent,
                                                         const char           *title,
                                                         const char           *accept_label);
void        hangar_host_form_dialog_add_entry           (HangarHostFormDialog *self,
                                                         const char           *id,
                                                         const char           *title,
                                                         const char           *text);
void        hangar_host_form_dialog_add_choice          (HangarHostFormDialog *self,
                                                         const char           *id,
                                                         const char           *title,
                                                         const char * const   *labels,
                                                         guint                 selected);
void        hangar_host_form_dialog_add_switch          (HangarHostFormDialog *self,
                                                         const char           *id,
                                                         const char           *title,
                                                         const char           *subtitle,
                                                         gboolean              active);
GtkWidget  *hangar_host_form_dialog_get_row             (HangarHostFormDialog *self,
                                                         const char           *id);
const char *hangar_host_form_dialog_get_text            (HangarHostFormDialog *self,
                                                         const char           *id);
void        hangar_host_form_dialog_set_text            (HangarHostFormDialog *self,
                                                         const char           *id,
                                                         const char           *text);
guint       hangar_host_form_dialog_get_choice          (HangarHostFormDialog *self,
                                                         const char           *id);
void        hangar_host_form_dialog_set_choice          (HangarHostFormDialog *self,
                                                         const char           *id,
                                                         guint                 selected);
gboolean    hangar_host_form_dialog_get_switch          (HangarHostFormDialog *self,
                                                         const char           *id);
void        hangar_host_form_dialog_set_switch          (HangarHostFormDialog *self,
                                                         const char           *id,
                                                         gboolean              active);
void        hangar_host_form_dialog_set_choices         (HangarHostFormDialog *self,
                                                         const char           *id,
                                                         const char * const   *labels,
                                                         guint                 selected);
void        hangar_host_form_dialog_set_field_title     (HangarHostFormDialog *self,
                                                         const char           *id,
                                                         const char           *title,
                                                         const char           *subtitle);
const char *hangar_host_form_dialog_get_field_title     (HangarHostFormDialog *self,
                                                         const char           *id);
void        hangar_host_form_dialog_set_field_visible   (HangarHostFormDialog *self,
                                                         const char           *id,
                                                         gboolean              visible);
gboolean    hangar_host_form_dialog_get_field_visible   (HangarHostFormDialog *self,
                                                         const char           *id);
void        hangar_host_form_dialog_set_field_error     (HangarHostFormDialog *self,
                                                         const char           *id,
                                                         const char           *message);
const char *hangar_host_form_dialog_get_field_error     (HangarHostFormDialog *self,
                                                         const char           *id);
void        hangar_host_form_dialog_show_error          (HangarHostFormDialog *self,
                                                         const GError         *error);
void        hangar_host_form_dialog_clear_errors        (HangarHostFormDialog *self);
gboolean    hangar_host_form_dialog_has_errors          (HangarHostFormDialog *self);
void        hangar_host_form_dialog_set_busy            (HangarHostFormDialog *self,
                                                         gboolean              busy);
gboolean    hangar_host_form_dialog_get_busy            (HangarHostFormDialog *self);
void        hangar_host_form_dialog_submit              (HangarHostFormDialog *self);

G_END_DECLS
