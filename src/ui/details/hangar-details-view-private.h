/* hangar-details-view-private.h — what the details view's files share.
 *
 * hangar-details-view.c          the view, its sections and sidebar
 * hangar-details-view-forms.c    the overview, CPU, memory, boot and XML forms
 * hangar-details-view-actions.c  Add Hardware, Remove Hardware, pick a network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "hangar-details-view.h"

G_BEGIN_DECLS

typedef enum
{
  SECTION_OVERVIEW,
  SECTION_PERFORMANCE,
  SECTION_CPU,
  SECTION_MEMORY,
  SECTION_BOOT,
  SECTION_DISK,
  SECTION_NIC,
  SECTION_DEVICE,
  SECTION_XML,
  SECTION_SNAPSHOTS,
} SectionKind;

typedef struct
{
  SectionKind  kind;
  char        *id;
  char        *key;       /* disk target, MAC, or a device's key (“sound-0”) */
  char        *title;
  const char  *icon;
  GtkWidget   *page;      /* borrowed: the stack owns it; for a device, its form */
  GtkWidget   *edited;    /* borrowed: the sidebar row's “unapplied” mark */
} Section;

struct _HangarDetailsView
{
  AdwBin           parent_instance;

  /* Template */
  GtkListBox      *sidebar;
  GtkStack        *stack;
  GtkWidget       *action_bar;
  GtkLabel        *status_label;
  AdwEntryRow     *name_row;
  AdwEntryRow     *title_row;
  GtkSwitch       *autostart_switch;
  GtkTextView     *description_view;
  AdwPreferencesGroup *facts_group;
  GtkSpinButton   *cpu_current_spin;
  GtkSpinButton   *cpu_max_spin;
  AdwActionRow    *cpu_max_row;
  AdwExpanderRow  *topology_row;
  GtkSpinButton   *sockets_spin;
  GtkSpinButton   *cores_spin;
  GtkSpinButton   *threads_spin;
  AdwComboRow     *cpu_mode_row;
  AdwComboRow     *cpu_model_row;
  GtkSpinButton   *memory_current_spin;
  GtkSpinButton   *memory_max_spin;
  AdwActionRow    *host_memory_row;
  GtkLabel        *memory_error;
  GtkListBox      *boot_list;
  GtkSwitch       *boot_menu_switch;
  AdwEntryRow     *kernel_row;
  AdwEntryRow     *initrd_row;
  AdwEntryRow     *cmdline_row;
  GtkSourceView   *xml_view;

  /* Facts */
  GtkLabel        *uuid_label;
  GtkLabel        *state_label;
  GtkLabel        *hypervisor_label;
  GtkLabel        *arch_label;
  GtkLabel        *emulator_label;
  GtkLabel        *machine_label;
  GtkLabel        *firmware_label;
  AdwActionRow    *os_row;
  GtkMenuButton   *os_button;
  GtkPopover      *os_popover;
  GtkSearchEntry  *os_search;
  GtkListBox      *os_list;

  HangarVm        *vm;
  HangarVmConfig  *config;
  GCancellable    *cancellable;
  GPtrArray       *sections;      /* Section */
  GtkWidget       *snapshots_view;
  GtkWidget       *performance_view;
  GStrv            boot_order;    /* the list's order, every kind */
  GHashTable      *boot_enabled;  /* kind → GtkCheckButton */
  char            *status;
  char            *os_id;         /* the overview's OS: the config's, or the one chosen */
  char            *refill;        /* a section to refill even when edited */
  char            *xml_base;      /* the inactive XML the editor was filled from */
  gulong           state_handler;
  gulong           defined_handler;
  GtkWindow       *window;        /* weak: the toplevel, while rooted */
  gulong           active_handler;
  guint            filling;
  guint            busy : 1;
  guint            status_is_error : 1;
  guint            reload_again : 1;
};

G_GNUC_UNUSED static const char * const boot_kinds[] = { "hd", "cdrom", "network", "fd", NULL };
G_GNUC_UNUSED static const char * const cpu_modes[] = { "", "host-passthrough", "host-model", "custom", NULL };

/* hangar-details-view.c */
void _hangar_details_load (HangarDetailsView *self);
void _hangar_details_set_status (HangarDetailsView *self,
                                 const char        *text,
                                 gboolean           is_error);
void _hangar_details_apply_done (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data);
Section * _hangar_details_add_section (HangarDetailsView *self,
                                       SectionKind kind,
                                       const char *id,
                                       const char *key,
                                       const char *title,
                                       const char *icon,
                                       GtkWidget *page);
Section * _hangar_details_find_section (HangarDetailsView *self,
                                        const char *id);
void _hangar_details_on_form_changed (HangarDetailsView *self);
void _hangar_details_rebuild_sidebar (HangarDetailsView *self);
gboolean _hangar_details_is_device_section (const Section *section);

/* hangar-details-view-forms.c */
void _hangar_details_fill_section (HangarDetailsView *self,
                                   Section *section);
void _hangar_details_form_boot (HangarDetailsView *self,
                                HangarBootSettings *s);
void _hangar_details_form_cpu (HangarDetailsView *self,
                               HangarCpuSettings *s);
void _hangar_details_form_memory (HangarDetailsView *self,
                                  HangarMemorySettings *s);
void _hangar_details_form_overview (HangarDetailsView *self,
                                    HangarOverviewSettings *s);
void _hangar_details_move_boot (GtkButton *button,
                                HangarDetailsView *self);
void _hangar_details_on_cpu_max_changed (HangarDetailsView *self);
void _hangar_details_on_cpu_mode_changed (HangarDetailsView *self);
void _hangar_details_on_memory_max_changed (HangarDetailsView *self);
gboolean _hangar_details_check_memory (HangarDetailsView *self);
gboolean _hangar_details_section_dirty (HangarDetailsView *self,
                                        Section *section);
char * _hangar_details_xml_text (HangarDetailsView *self);
void _hangar_details_apply_xml (HangarDetailsView *self,
                                gboolean           overwrite);
void _hangar_details_ask_xml_changed (HangarDetailsView *self);
void _hangar_details_on_os_popover_show (HangarDetailsView *self);
void _hangar_details_on_os_search_changed (HangarDetailsView *self);
void _hangar_details_on_os_search_activate (HangarDetailsView *self);
void _hangar_details_on_os_row_activated (HangarDetailsView *self,
                                          GtkListBoxRow     *row);

/* hangar-details-view-actions.c */
void _hangar_details_add_hardware_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);
void _hangar_details_remove_hardware_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter);
void _hangar_details_pick_network_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);

G_END_DECLS
