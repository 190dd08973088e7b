/* hangar-wizard-private.h — HangarWizard's struct and internals, shared by its files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-connection.h"
#include "hangar-domain-spec.h"
#include "hangar-express-group.h"
#include "hangar-host-info.h"
#include "hangar-vm-creator.h"
#include "hangar-wizard.h"
#include "hangar-wizard-cloud.h"

G_BEGIN_DECLS

#define MIB (G_GUINT64_CONSTANT (1) << 20)
#define GIB (G_GUINT64_CONSTANT (1) << 30)

/* How long typing in the URL field must pause before the tree is read. */
#define URL_CHECK_DELAY_MS 500
/* How long the new machine may take to show up in the connection's list. */
#define VM_APPEAR_TIMEOUT_S 20

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
  GtkWidget           *kvm_group;
  GtkLabel            *kvm_warning;
  GtkCheckButton      *method_iso;
  GtkCheckButton      *method_url;
  GtkCheckButton      *method_pxe;
  GtkCheckButton      *method_import;
  GtkCheckButton      *method_cloud;
  GtkWidget           *cloud_group;
  HangarWizardCloud   *cloud_section;
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
  GtkLabel            *existing_warning;
  GtkCheckButton      *existing_confirm;

  AdwEntryRow         *name_row;
  GtkLabel            *name_error;
  AdwComboRow         *network_row;
  AdwEntryRow         *bridge_row;
  GtkLabel            *network_error;
  AdwComboRow         *firmware_row;
  GtkLabel            *firmware_error;
  AdwComboRow         *console_row;
  GtkSwitch           *customize_switch;
  HangarExpressGroup  *express_group;
  AdwActionRow        *summary_source_row;
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
  /* qemu-img's look at the image to import, off the main thread. */
  GCancellable        *inspect_cancellable;
  char                *inspect_target;    /* "format:path" being or last inspected */
  char                *inspect_error;     /* why it was refused, NULL when it passed */
  gboolean             inspecting;
  HangarDiskFormat     existing_format;
  /* Which other machines use the existing disk chosen, read off the main thread. */
  GCancellable        *users_cancellable;
  char                *users_target;      /* the path being or last checked */
  char               **users_of;          /* their names; empty when none */
  char                *users_error;       /* why they could not be read */
  gboolean             users_checking;
  GArray              *networks;          /* NetworkChoice, as network_row lists them */

  HangarVmCreator     *creator;
  GCancellable        *create_cancellable;
  char                *created_uuid;
  gulong               appear_handler;
  guint                appear_timeout;
  gboolean             failed;
};

typedef struct
{
  HangarNetworkMode  mode;
  char              *source;
} NetworkChoice;

const char *_hangar_wizard_current_page (HangarWizard *self);

HangarInstallMethod _hangar_wizard_install_method (HangarWizard *self);

char *_hangar_wizard_entry_text (AdwEntryRow *row);

gboolean _hangar_wizard_is_touched (HangarWizard *self,
                                    gpointer      widget);

void _hangar_wizard_show_field_error (gpointer    row,
                                      GtkLabel   *label,
                                      const char *message);

void _hangar_wizard_show_status (GtkLabel   *label,
                                 const char *message);

HangarPoolInfo *_hangar_wizard_selected_pool (HangarWizard *self);

const NetworkChoice *_hangar_wizard_selected_network (HangarWizard *self);

const char *_hangar_wizard_os_display_name (OsinfoOs *os);

void _hangar_wizard_network_choice_clear (NetworkChoice *choice);

void _hangar_wizard_set_connection (HangarWizard     *self,
                                    HangarConnection *connection);

void _hangar_wizard_on_connection_selected (HangarWizard *self);

void _hangar_wizard_load_db (HangarWizard *self);

void _hangar_wizard_detect_start (HangarWizard *self);
gboolean _hangar_wizard_image_inspected (HangarWizard      *self,
                                         const char        *path,
                                         HangarDiskFormat   format,
                                         const char       **refused);
void _hangar_wizard_inspect_cancel (HangarWizard *self);
gboolean _hangar_wizard_disk_users_checked (HangarWizard *self,
                                            const char   *path);
void _hangar_wizard_disk_users_cancel (HangarWizard *self);

gboolean _hangar_wizard_validate_page (HangarWizard *self,
                                       const char   *page);

void _hangar_wizard_update_summary (HangarWizard *self);

void _hangar_wizard_update (HangarWizard *self);

void _hangar_wizard_set_os (HangarWizard *self,
                            OsinfoOs     *os,
                            gboolean      chosen);

void _hangar_wizard_fill_os_list (HangarWizard *self);

void _hangar_wizard_on_os_search_changed (HangarWizard *self);

void _hangar_wizard_on_os_row_activated (HangarWizard  *self,
                                         GtkListBoxRow *row);

void _hangar_wizard_create (HangarWizard *self);

/* hangar-wizard-download.c: "Download an OS…" under the ISO field. */
void _hangar_wizard_on_download_os_clicked (HangarWizard *self);

G_END_DECLS
