/* hangar-stats-holder.c — a widget asks for a machine's statistics while it is on screen.
 *
 * Statistics are polled only for the machines some view holds
 * (hangar_vm_hold_stats()). A window or a page of graphs holds its
 * machine while it is mapped, and lets go when it is unmapped, switched
 * to another machine, or destroyed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include "hangar-stats-holder.h"

typedef struct
{
  HangarVm *vm;       /* a reference */
  gboolean  holding;
} Holder;

static void
holder_update (GtkWidget *widget,
               Holder    *holder)
{
  gboolean want = holder->vm != NULL && gtk_widget_get_mapped (widget);

  if (want == holder->holding)
    return;
  holder->holding = want;
  if (want)
    hangar_vm_hold_stats (holder->vm);
  else
    hangar_vm_release_stats (holder->vm);
}

static void
holder_free (gpointer data)
{
  Holder *holder = data;

  if (holder->holding)
    hangar_vm_release_stats (holder->vm);
  g_clear_object (&holder->vm);
  g_free (holder);
}

/**
 * hangar_widget_hold_stats:
 * @widget: a view that shows @vm's statistics
 * @vm: (nullable): the machine, or %NULL for none
 *
 * Holds @vm's statistics whenever @widget is mapped, until it is called
 * again with another machine or the widget goes.
 */
void
hangar_widget_hold_stats (GtkWidget *widget,
                          HangarVm  *vm)
{
  Holder *holder;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (vm == NULL || HANGAR_IS_VM (vm));

  holder = g_object_get_data (G_OBJECT (widget), "hangar-stats-holder");
  if (holder == NULL)
    {
      holder = g_new0 (Holder, 1);
      g_object_set_data_full (G_OBJECT (widget), "hangar-stats-holder", holder, holder_free);
      g_signal_connect (widget, "map", G_CALLBACK (holder_update), holder);
      g_signal_connect (widget, "unmap", G_CALLBACK (holder_update), holder);
    }
  if (holder->vm == vm)
    return;
  if (holder->holding)
    {
      hangar_vm_release_stats (holder->vm);
      holder->holding = FALSE;
    }
  g_set_object (&holder->vm, vm);
  holder_update (widget, holder);
}
