/* hangar-nic-form.c — the details page of one network interface.
 *
 * The form shows the interface of its HangarVmConfig named by its MAC
 * address; setting the config fills it, hangar_nic_form_read() gives the
 * interface as the form has it, and "changed" says the user edited
 * something. Its rows are named “nic-<mac>-<part>” for the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-combo-row.h"
#include "hangar-details-rows.h"
#include "hangar-nic-form.h"

static const char * const nic_types[] = { "network", "bridge", NULL };
static const char * const nic_models[] = { "virtio", "e1000e", "e1000", "rtl8139", NULL };

struct _HangarNicForm
{
  AdwPreferencesPage   parent_instance;

  /* Template widgets */
  AdwComboRow         *type_row;
  AdwEntryRow         *source_row;
  GtkWidget           *networks_button;
  AdwComboRow         *model_row;
  GtkSwitch           *link_switch;
  GtkLabel            *mac_label;
  GtkWidget           *remove_button;

  HangarVmConfig      *config;
  char                *id;
  char                *mac;
  char                *title;
  guint                filling;
};

G_DEFINE_FINAL_TYPE (HangarNicForm, hangar_nic_form, ADW_TYPE_PREFERENCES_PAGE)

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
on_changed (HangarNicForm *self)
{
  if (self->filling > 0)
    return;
  g_signal_emit (self, signals[CHANGED], 0);
}

static HangarNicSettings *
config_nic (HangarNicForm *self)
{
  g_autoptr(GPtrArray) nics = NULL;

  if (self->config == NULL)
    return NULL;
  nics = hangar_vm_config_get_nics (self->config, FALSE);
  for (guint i = 0; i < nics->len; i++)
    {
      HangarNicSettings *nic = g_ptr_array_index (nics, i);

      if (g_strcmp0 (nic->mac, self->mac) == 0)
        return g_ptr_array_steal_index (nics, i);
    }
  return NULL;
}

/* The host's networks in the source row's menu: details.pick-network, with
 * this section's id and the network, puts one in the form. */
static void
fill_networks (HangarNicForm *self)
{
  const char * const *networks = hangar_vm_config_get_networks (self->config);
  g_autoptr(GMenu) menu = g_menu_new ();

  for (guint i = 0; networks[i]; i++)
    {
      g_autofree char *action = NULL;
      GVariant *target = g_variant_new ("(ss)", self->id, networks[i]);

      action = g_action_print_detailed_name ("details.pick-network", target);
      g_menu_append (menu, networks[i], action);
      g_variant_unref (g_variant_ref_sink (target));
    }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->networks_button), G_MENU_MODEL (menu));
  gtk_widget_set_visible (self->networks_button, networks[0] != NULL);
}

static void
fill (HangarNicForm *self)
{
  g_autoptr(HangarNicSettings) nic = config_nic (self);

  fill_networks (self);
  if (nic == NULL)
    return;
  hangar_details_combo_set (self->type_row, nic->type);
  gtk_editable_set_text (GTK_EDITABLE (self->source_row), nic->source ? nic->source : "");
  hangar_details_combo_set (self->model_row, nic->model);
  gtk_switch_set_active (self->link_switch, nic->link_up);
}
static void
hangar_nic_form_dispose (GObject *object)
{
  HangarNicForm *self = HANGAR_NIC_FORM (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_NIC_FORM);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (hangar_nic_form_parent_class)->dispose (object);
}

static void
hangar_nic_form_finalize (GObject *object)
{
  HangarNicForm *self = HANGAR_NIC_FORM (object);

  g_free (self->id);
  g_free (self->mac);
  g_free (self->title);
  G_OBJECT_CLASS (hangar_nic_form_parent_class)->finalize (object);
}

static void
hangar_nic_form_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HangarNicForm *self = HANGAR_NIC_FORM (object);

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
hangar_nic_form_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HangarNicForm *self = HANGAR_NIC_FORM (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      hangar_nic_form_set_config (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_nic_form_class_init (HangarNicFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_nic_form_dispose;
  object_class->finalize = hangar_nic_form_finalize;
  object_class->get_property = hangar_nic_form_get_property;
  object_class->set_property = hangar_nic_form_set_property;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, HANGAR_TYPE_VM_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarNicForm::changed:
   *
   * The user changed a value in the form (filling it does not count).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-nic-form.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarNicForm, type_row);
  gtk_widget_class_bind_template_child (widget_class, HangarNicForm, source_row);
  gtk_widget_class_bind_template_child (widget_class, HangarNicForm, networks_button);
  gtk_widget_class_bind_template_child (widget_class, HangarNicForm, model_row);
  gtk_widget_class_bind_template_child (widget_class, HangarNicForm, link_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarNicForm, mac_label);
  gtk_widget_class_bind_template_child (widget_class, HangarNicForm, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
}

static void
hangar_nic_form_init (HangarNicForm *self)
{
  GtkStringList *list;
  const char *labels[] = { _("Virtual network"), _("Bridge"), NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  hangar_details_combo_setup (self->type_row, nic_types, "");
  hangar_combo_row_show_whole (self->type_row);
  /* Say what the values mean; keep libvirt's words as the values. */
  list = GTK_STRING_LIST (adw_combo_row_get_model (self->type_row));
  gtk_string_list_splice (list, 0, 2, labels);
  hangar_details_combo_setup (self->model_row, nic_models, "");
  hangar_combo_row_show_whole (self->model_row);
}

/**
 * hangar_nic_form_new:
 * @nic: the interface the form is for: its MAC address names it in the config
 */
HangarNicForm *
hangar_nic_form_new (const HangarNicSettings *nic)
{
  HangarNicForm *self;

  g_return_val_if_fail (nic != NULL && nic->mac != NULL, NULL);

  self = g_object_new (HANGAR_TYPE_NIC_FORM, NULL);
  self->mac = g_strdup (nic->mac);
  self->id = g_strdup_printf ("nic-%s", nic->mac);
  self->title = g_strdup_printf (_("NIC %s"), nic->mac + MAX ((int) strlen (nic->mac) - 8, 0));
  hangar_details_name_widget (GTK_WIDGET (self->type_row), self->id, "type");
  hangar_details_name_widget (GTK_WIDGET (self->source_row), self->id, "source");
  hangar_details_name_widget (self->networks_button, self->id, "networks");
  hangar_details_name_widget (GTK_WIDGET (self->model_row), self->id, "model");
  hangar_details_name_widget (GTK_WIDGET (self->link_switch), self->id, "link");
  hangar_details_set_fact (self->mac_label, nic->mac);
  hangar_details_remove_button_setup (self->remove_button, self->id);
  return self;
}

/* The section id, “nic-52:54:00:12:34:56”. */
const char *
hangar_nic_form_get_id (HangarNicForm *self)
{
  g_return_val_if_fail (HANGAR_IS_NIC_FORM (self), NULL);

  return self->id;
}

const char *
hangar_nic_form_get_mac (HangarNicForm *self)
{
  g_return_val_if_fail (HANGAR_IS_NIC_FORM (self), NULL);

  return self->mac;
}

const char *
hangar_nic_form_get_title (HangarNicForm *self)
{
  g_return_val_if_fail (HANGAR_IS_NIC_FORM (self), NULL);

  return self->title;
}

HangarVmConfig *
hangar_nic_form_get_config (HangarNicForm *self)
{
  g_return_val_if_fail (HANGAR_IS_NIC_FORM (self), NULL);

  return self->config;
}

/* Shows @config's interface; "changed" is not emitted while filling. */
void
hangar_nic_form_set_config (HangarNicForm  *self,
                            HangarVmConfig *config)
{
  g_return_if_fail (HANGAR_IS_NIC_FORM (self));
  g_return_if_fail (config == NULL || HANGAR_IS_VM_CONFIG (config));

  if (g_set_object (&self->config, config))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
  if (self->config == NULL)
    return;
  self->filling++;
  fill (self);
  self->filling--;
}

/* Connects the interface to the host's virtual network @network. */
void
hangar_nic_form_pick_network (HangarNicForm *self,
                              const char    *network)
{
  g_return_if_fail (HANGAR_IS_NIC_FORM (self));

  hangar_details_combo_set (self->type_row, "network");
  gtk_editable_set_text (GTK_EDITABLE (self->source_row), network);
}

/**
 * hangar_nic_form_read:
 *
 * Returns: (transfer full) (nullable): the config's interface with the
 *   form's values, what Apply sends; %NULL when the config has no such
 *   interface
 */
HangarNicSettings *
hangar_nic_form_read (HangarNicForm *self)
{
  HangarNicSettings *nic;

  g_return_val_if_fail (HANGAR_IS_NIC_FORM (self), NULL);

  nic = config_nic (self);
  if (nic == NULL)
    return NULL;
  g_free (nic->type);
  nic->type = g_strdup (hangar_details_combo_get (self->type_row));
  g_free (nic->source);
  nic->source = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->source_row)));
  g_free (nic->model);
  nic->model = g_strdup (hangar_details_combo_get (self->model_row));
  nic->link_up = gtk_switch_get_active (self->link_switch);
  return nic;
}

/* Whether the form holds values the config does not. */
gboolean
hangar_nic_form_is_dirty (HangarNicForm *self)
{
  g_autoptr(HangarNicSettings) now = NULL;
  g_autoptr(HangarNicSettings) form = NULL;

  g_return_val_if_fail (HANGAR_IS_NIC_FORM (self), FALSE);

  now = config_nic (self);
  form = hangar_nic_form_read (self);
  return now != NULL && form != NULL && !hangar_nic_settings_equal (now, form);
}
