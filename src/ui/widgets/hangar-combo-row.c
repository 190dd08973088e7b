/* hangar-combo-row.c — combo rows that show their choices whole.
 *
 * libadwaita 1.2's own factory cuts every choice to 20 characters, in the
 * row and in its list: "Channel (guest agent, …", "UEFI with Secure Boot…",
 * and more so in Portuguese. These factories show the whole text; the row
 * and its list grow to fit it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include "hangar-combo-row.h"

static const char *
item_text (GtkListItem *item)
{
  gpointer object = gtk_list_item_get_item (item);

  return GTK_IS_STRING_OBJECT (object) ? gtk_string_object_get_string (object) : "";
}

static GtkWidget *
choice_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

/* The row: the chosen value alone. */
static void
setup_current (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  gtk_list_item_set_child (item, choice_label ());
}

static void
bind_current (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), item_text (item));
}

/* The list: each value, and a check mark by the chosen one. */
static void
setup_choice (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_append (GTK_BOX (box), choice_label ());
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("object-select-symbolic"));
  gtk_list_item_set_child (item, box);
}

static void
sync_check (AdwComboRow *row,
            GParamSpec  *pspec,
            GtkListItem *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (check, adw_combo_row_get_selected_item (row)
                                 == gtk_list_item_get_item (item) ? 1.0 : 0.0);
}

static void
bind_choice (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             AdwComboRow              *row)
{
  GtkWidget *label = gtk_widget_get_first_child (gtk_list_item_get_child (item));

  gtk_label_set_text (GTK_LABEL (label), item_text (item));
  g_signal_connect (row, "notify::selected-item", G_CALLBACK (sync_check), item);
  sync_check (row, NULL, item);
}

static void
unbind_choice (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, sync_check, item);
}

/**
 * hangar_combo_row_show_whole:
 * @row: a combo row whose model is a #GtkStringList
 *
 * Shows the row's choices without cutting them short.
 */
void
hangar_combo_row_show_whole (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) current = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (current, "setup", G_CALLBACK (setup_current), NULL);
  g_signal_connect (current, "bind", G_CALLBACK (bind_current), NULL);
  /* The row outlives its factories' items: no reference, no cycle. */
  g_signal_connect (list, "setup", G_CALLBACK (setup_choice), NULL);
  g_signal_connect (list, "bind", G_CALLBACK (bind_choice), row);
  g_signal_connect (list, "unbind", G_CALLBACK (unbind_choice), row);
  adw_combo_row_set_factory (row, current);
  adw_combo_row_set_list_factory (row, list);
}
