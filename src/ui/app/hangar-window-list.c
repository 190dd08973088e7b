/* hangar-window-list.c — the machine list: a column view over connections → machines.
 *
 * Rows are GtkTreeListRows: each connection is a parent row and its
 * machines, filtered by the search and sorted by the column headers, are
 * its children. Cells are recycled; each keeps a GSignalGroup on the item
 * it shows so only the properties a column displays cause it to update.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-graph.h"
#include "hangar-stats.h"
#include "hangar-units.h"
#include "hangar-vm.h"
#include "hangar-window-private.h"

typedef struct
{
  GtkWidget *(*setup)  (HangarWindow *self);
  void       (*update) (GtkWidget    *cell,
                        GObject      *item);
  const char *notify[7];
} CellKind;

/* Returns: (transfer none): the row's connection or machine, which the
 * row keeps alive */
static GObject *
tree_row_item (GtkTreeListRow *row)
{
  g_autoptr(GObject) item = row ? gtk_tree_list_row_get_item (row) : NULL;

  return item;
}

static GObject *
row_item (GtkListItem *list_item)
{
  return tree_row_item (gtk_list_item_get_item (list_item));
}

/* --- tooltips -------------------------------------------------------------- */

/* GTK 4.8 asks the X server where the pointer is (two round trips) on
 * every gtk_widget_set_tooltip_text(): a row bound or a title read would
 * wait on the X server once per cell, tens of times in one dispatch when a
 * list arrives. The cells' labels keep has-tooltip set from their setup
 * and give their text when GTK asks for it. */
static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "hangar-tooltip");

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
tooltip_setup (GtkWidget *widget)
{
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}

static void
set_tooltip (GtkWidget  *widget,
             const char *text)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (widget), "hangar-tooltip"), text) != 0)
    g_object_set_data_full (G_OBJECT (widget), "hangar-tooltip", g_strdup (text), g_free);
}

/* --- name ------------------------------------------------------------------ */

static GtkWidget *
name_setup (HangarWindow *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *status = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (status), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (status), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (status, TRUE);
  gtk_widget_add_css_class (status, "dim-label");
  tooltip_setup (label);
  tooltip_setup (status);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), status);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  return expander;
}

static const char *
connection_status (HangarConnection *connection)
{
  switch (hangar_connection_get_state (connection))
    {
    case HANGAR_CONNECTION_STATE_CONNECTING:
      return _("Connecting…");
    case HANGAR_CONNECTION_STATE_FAILED:
      return hangar_connection_get_error_message (connection);
    case HANGAR_CONNECTION_STATE_DISCONNECTED:
      return hangar_connection_get_error_message (connection)
             ? hangar_connection_get_error_message (connection) : _("Not connected");
    case HANGAR_CONNECTION_STATE_CONNECTED:
    default:
      return NULL;
    }
}

static void
name_update (GtkWidget *cell,
             GObject   *item)
{
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (cell));
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (icon);
  GtkWidget *spinner = gtk_widget_get_next_sibling (label);
  GtkWidget *status = gtk_widget_get_next_sibling (spinner);

  if (HANGAR_IS_CONNECTION (item))
    {
      HangarConnection *connection = HANGAR_CONNECTION (item);
      HangarConnectionState state = hangar_connection_get_state (connection);
      const char *text = connection_status (connection);
      guint every_ms = hangar_connection_get_stats_effective_interval (connection);
      g_autofree char *slow = NULL;
      gboolean failed = state == HANGAR_CONNECTION_STATE_FAILED
                        || (state == HANGAR_CONNECTION_STATE_DISCONNECTED && text != NULL);

      gtk_image_set_from_icon_name (GTK_IMAGE (icon), failed ? "dialog-warning-symbolic"
                                    : hangar_connection_is_local (connection)
                                    ? "computer-symbolic" : "network-server-symbolic");
      gtk_widget_set_visible (icon, TRUE);
      gtk_label_set_text (GTK_LABEL (label), hangar_connection_get_display_name (connection));
      gtk_widget_add_css_class (label, "heading");
      set_tooltip (label, hangar_connection_get_uri (connection));
      /* A host slow to answer is asked less often: say so where the host is. */
      if (state == HANGAR_CONNECTION_STATE_CONNECTED && hangar_connection_get_stats_enabled (connection)
          && every_ms > hangar_connection_get_stats_interval (connection))
        {
          guint seconds = (every_ms + 999) / 1000;

          text = slow = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                      "Statistics every %u second (slow host)",
                                                      "Statistics every %u seconds (slow host)",
                                                      seconds), seconds);
        }
      gtk_spinner_set_spinning (GTK_SPINNER (spinner), state == HANGAR_CONNECTION_STATE_CONNECTING);
      gtk_widget_set_visible (spinner, state == HANGAR_CONNECTION_STATE_CONNECTING);
      gtk_label_set_text (GTK_LABEL (status), text ? text : "");
      set_tooltip (status, text);
      if (failed)
        gtk_widget_add_css_class (status, "error");
      else
        gtk_widget_remove_css_class (status, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      hangar_connection_get_display_name (connection), -1);
    }
  else if (HANGAR_IS_VM (item))
    {
      HangarVm *vm = HANGAR_VM (item);
      const char *title = hangar_vm_get_title (vm);
      const char *description = hangar_vm_get_description (vm);
      g_autofree char *tooltip = NULL;

      if (title != NULL && description != NULL)
        tooltip = g_strdup_printf ("%s\n%s", title, description);
      else
        tooltip = g_strdup (title ? title : description);

      gtk_widget_set_visible (icon, FALSE);
      gtk_label_set_text (GTK_LABEL (label), hangar_vm_get_name (vm));
      gtk_widget_remove_css_class (label, "heading");
      set_tooltip (label, tooltip);
      gtk_spinner_set_spinning (GTK_SPINNER (spinner), FALSE);
      gtk_widget_set_visible (spinner, FALSE);
      gtk_label_set_text (GTK_LABEL (status), "");
      set_tooltip (status, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      hangar_vm_get_name (vm), -1);
    }
}

/* --- state ----------------------------------------------------------------- */

static GtkWidget *
state_setup (HangarWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
state_update (GtkWidget *cell,
              GObject   *item)
{
  GtkWidget *icon = gtk_widget_get_first_child (cell);
  GtkWidget *label = gtk_widget_get_next_sibling (icon);
  gboolean is_vm = HANGAR_IS_VM (item);

  gtk_widget_set_visible (cell, is_vm);
  if (!is_vm)
    return;
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), hangar_vm_get_state_icon (HANGAR_VM (item)));
  gtk_label_set_text (GTK_LABEL (label), hangar_vm_get_state_label (HANGAR_VM (item)));
}

/* --- cpu ------------------------------------------------------------------- */

static void
cpu_graph_update (GtkWidget *graph,
                  HangarVm  *vm)
{
  float history[HANGAR_HISTORY_LENGTH];
  guint n = vm != NULL ? hangar_vm_get_cpu_history (vm, history, G_N_ELEMENTS (history)) : 0;

  hangar_graph_set_samples (HANGAR_GRAPH (graph), 0, history, n);
}

/* A recycled cell lets go of its machine, as the label's group does. */
static void
cpu_graph_unbind (GtkWidget *graph)
{
  g_signal_group_set_target (g_object_get_data (G_OBJECT (graph), "hangar-signals"), NULL);
  hangar_graph_clear (HANGAR_GRAPH (graph));
}

static GtkWidget *
cpu_setup (HangarWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *graph = hangar_graph_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GSignalGroup *samples = g_signal_group_new (HANGAR_TYPE_VM);

  /* Every sample moves the graph on, also one that leaves cpu-percent
   * as it was: the graph follows its machine's stats-updated. */
  g_signal_group_connect_swapped (samples, "stats-updated", G_CALLBACK (cpu_graph_update), graph);
  g_object_set_data_full (G_OBJECT (graph), "hangar-signals", samples, g_object_unref);
  gtk_widget_add_css_class (graph, "hangar-sparkline");
  gtk_accessible_update_property (GTK_ACCESSIBLE (graph), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("CPU usage graph"), -1);
  gtk_widget_set_hexpand (graph, TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), 5);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), graph);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
cpu_update (GtkWidget *cell,
            GObject   *item)
{
  HangarVm *vm = HANGAR_IS_VM (item) ? HANGAR_VM (item) : NULL;
  GtkWidget *graph = gtk_widget_get_first_child (cell);
  GtkWidget *label = gtk_widget_get_next_sibling (graph);
  float last;
  gboolean shown = vm != NULL && hangar_vm_is_active (vm);

  g_signal_group_set_target (g_object_get_data (G_OBJECT (graph), "hangar-signals"), vm);
  cpu_graph_update (graph, vm);
  /* Hidden by opacity, not by visibility: the graph is taller than a row's
   * text, so a cell that came and went would change the row's height
   * whenever a machine starts or stops, and move every row below it. */
  gtk_widget_set_opacity (cell, shown ? 1.0 : 0.0);
  gtk_accessible_update_state (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_STATE_HIDDEN, !shown, -1);

  /* The number beside the graph; nothing until a sample arrived (drivers
   * without CPU statistics never send one). */
  if (shown && hangar_vm_get_cpu_history (vm, &last, 1) == 1)
    {
      /* Translators: CPU usage in percent, e.g. “12 %” */
      g_autofree char *text = g_strdup_printf (_("%.0f %%"), hangar_vm_get_cpu_percent (vm));
      gtk_label_set_text (GTK_LABEL (label), text);
    }
  else
    gtk_label_set_text (GTK_LABEL (label), "");
}

/* --- memory ---------------------------------------------------------------- */

static GtkWidget *
memory_setup (HangarWindow *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "hangar-state-label");
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
memory_update (GtkWidget *cell,
               GObject   *item)
{
  HangarVm *vm;
  g_autofree char *total = NULL;
  g_autofree char *used = NULL;
  g_autofree char *text = NULL;

  if (!HANGAR_IS_VM (item))
    {
      gtk_label_set_text (GTK_LABEL (cell), "");
      return;
    }

  vm = HANGAR_VM (item);
  /* Not read yet (a remote host's machines get it with their details). */
  if (hangar_vm_get_memory_total (vm) == 0)
    {
      gtk_label_set_text (GTK_LABEL (cell), "");
      return;
    }
  total = hangar_format_kib (hangar_vm_get_memory_total (vm));
  if (hangar_vm_is_active (vm) && hangar_vm_get_memory_used (vm) > 0)
    {
      used = hangar_format_kib (hangar_vm_get_memory_used (vm));
      /* Translators: memory in use out of the memory the machine has */
      text = g_strdup_printf (_("%s of %s"), used, total);
    }
  gtk_label_set_text (GTK_LABEL (cell), text ? text : total);
}

static const CellKind name_kind = {
  name_setup, name_update,
  { "notify::name", "notify::title", "notify::description", "notify::state",
    "notify::error-message", "notify::stats-effective-interval", NULL },
};
static const CellKind state_kind = {
  state_setup, state_update, { "notify::state-label", NULL },
};
static const CellKind cpu_kind = {
  cpu_setup, cpu_update, { "notify::active", "notify::cpu-percent", NULL },
};
static const CellKind memory_kind = {
  memory_setup, memory_update,
  { "notify::memory-used", "notify::memory-total", "notify::active", NULL },
};

/* --- factories ------------------------------------------------------------- */

static void
cell_refresh (GtkListItem *list_item)
{
  const CellKind *kind = g_object_get_data (G_OBJECT (list_item), "hangar-kind");
  GObject *item = row_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (item != NULL && child != NULL)
    kind->update (child, item);
}

static void
on_cell_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *list_item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  HangarWindow *self = HANGAR_WINDOW (gtk_widget_get_root (widget));
  GObject *item = row_item (list_item);
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  guint position;

  if (item == NULL || !GTK_IS_TREE_LIST_ROW (row))
    return;
  /* The row's own position in the tree, not the list item's: while a
   * connection's machines arrive a few per frame, the column view may not
   * have told the list item its new position yet, and selecting by it
   * picked a machine under a connection row's menu. */
  position = gtk_tree_list_row_get_position (row);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  _hangar_window_popup_row_menu (self, HANGAR_IS_VM (item) ? self->row_menu : self->connection_menu,
                                 widget, x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
factory_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               HangarWindow             *self)
{
  const CellKind *kind = g_object_get_data (G_OBJECT (factory), "hangar-kind");
  GtkWidget *child = kind->setup (self);
  GSignalGroup *signals = g_signal_group_new (G_TYPE_OBJECT);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_cell_pressed), list_item);
  gtk_widget_add_controller (child, GTK_EVENT_CONTROLLER (click));

  for (guint i = 0; kind->notify[i] != NULL; i++)
    g_signal_group_connect_swapped (signals, kind->notify[i], G_CALLBACK (cell_refresh),
                                    list_item);
  g_object_set_data (G_OBJECT (list_item), "hangar-kind", (gpointer) kind);
  g_object_set_data_full (G_OBJECT (list_item), "hangar-signals", signals, g_object_unref);
  gtk_list_item_set_child (list_item, child);
}

static void
release_held (HangarVm *vm)
{
  hangar_vm_release_stats (vm);
  g_object_unref (vm);
}

static void
factory_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              HangarWindow             *self)
{
  GSignalGroup *signals = g_object_get_data (G_OBJECT (list_item), "hangar-signals");
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (GTK_IS_TREE_EXPANDER (child))
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child),
                                    gtk_list_item_get_item (list_item));
  g_signal_group_set_target (signals, row_item (list_item));
  /* GtkColumnView binds the rows on screen and a few around them: those
   * are the machines whose statistics are polled (issue 16). One column
   * holds for the row. */
  if (g_object_get_data (G_OBJECT (list_item), "hangar-kind") == &name_kind
      && HANGAR_IS_VM (row_item (list_item)))
    {
      HangarVm *vm = HANGAR_VM (row_item (list_item));

      hangar_vm_hold_stats (vm);
      g_object_set_data_full (G_OBJECT (list_item), "hangar-held", g_object_ref (vm),
                              (GDestroyNotify) release_held);
    }
  cell_refresh (list_item);
}

static void
factory_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                HangarWindow             *self)
{
  GSignalGroup *signals = g_object_get_data (G_OBJECT (list_item), "hangar-signals");
  GtkWidget *child = gtk_list_item_get_child (list_item);

  g_signal_group_set_target (signals, NULL);
  g_object_set_data (G_OBJECT (list_item), "hangar-held", NULL);
  if (GTK_IS_TREE_EXPANDER (child))
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), NULL);
  if (HANGAR_IS_GRAPH (gtk_widget_get_first_child (child)))
    cpu_graph_unbind (gtk_widget_get_first_child (child));
}

static GtkColumnViewColumn *
add_column (HangarWindow   *self,
            const char     *title,
            const CellKind *kind,
            GtkSorter      *sorter,
            gboolean        expand,
            int             fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), "hangar-kind", (gpointer) kind);
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind), self);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (sorter);
  g_object_unref (column);
  return column;
}

static GtkSorter *
numeric_sorter (const char *property)
{
  return GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (HANGAR_TYPE_VM, NULL,
                                                                          property)));
}

static int
vm_state_rank (HangarVm *vm)
{
  return vm ? (int) hangar_vm_get_state (vm) : 0;
}

/* GtkNumericSorter does not take enums. */
static GtkSorter *
state_sorter (void)
{
  GtkExpression *expression =
    gtk_cclosure_expression_new (G_TYPE_INT, NULL, 0, NULL, G_CALLBACK (vm_state_rank), NULL, NULL);

  return GTK_SORTER (gtk_numeric_sorter_new (expression));
}

/* --- a large arrival, a few rows per frame --------------------------------- */

/* GTK 4.8's column view makes and binds a row for each of up to 200
 * items in the items-changed emission itself, and lays them all out in
 * the next frame: a thousand machines arriving at once held one dispatch
 * for 100–600 ms. So each connection's sorted machines reach the tree
 * through a GtkSliceListModel that shows a growing prefix: one step per
 * frame of the window's frame clock, sized so that adding it takes about
 * PACE_BUDGET_US. The sort sees everything at once, so the first page
 * shows the first machines in the list's order and stays as it is while
 * the rest arrive. A change to machines already shown (an event, a
 * machine defined or gone) passes straight through. */
#define PACE_BUDGET_US   4000
#define PACE_CHEAP_ROW_US 20
#define PACE_FIRST_STEP  8
#define PACE_MIN_STEP    4
#define PACE_MAX_STEP    G_MAXINT

typedef struct
{
  HangarWindow      *window;   /* weak */
  HangarConnection  *connection;
  gulong             state_handler;
  GtkSliceListModel *slice;    /* NULL once the tree dropped it */
  guint              step;
  guint              tick;     /* the tick callback, while machines wait */
} Pacer;

static void
pacer_clear (Pacer *pacer)
{
  g_clear_object (&pacer->connection);
  if (pacer->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (pacer->window), (gpointer *) &pacer->window);
}

static void
pacer_unref (Pacer *pacer)
{
  g_rc_box_release_full (pacer, (GDestroyNotify) pacer_clear);
}

static guint
pacer_waiting (Pacer *pacer)
{
  guint n, shown;

  if (pacer->slice == NULL)
    return 0;
  n = g_list_model_get_n_items (gtk_slice_list_model_get_model (pacer->slice));
  shown = g_list_model_get_n_items (G_LIST_MODEL (pacer->slice));
  return n > shown ? n - shown : 0;
}

static void check_populated (HangarWindow *self);

static gboolean
pacer_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  Pacer *pacer = data;
  guint waiting = pacer_waiting (pacer);
  guint shown, step;
  gint64 started, took;

  if (waiting == 0)
    {
      pacer->tick = 0;
      if (pacer->window != NULL)
        check_populated (pacer->window);
      return G_SOURCE_REMOVE;
    }
  shown = g_list_model_get_n_items (G_LIST_MODEL (pacer->slice));
  step = MIN (pacer->step, waiting);
  started = g_get_monotonic_time ();
  gtk_slice_list_model_set_size (pacer->slice, shown + step);
  took = g_get_monotonic_time () - started;

  /* The next step should take about the budget at this step's cost per
   * row, and at most twice as many rows while rows cost their widgets
   * (the column view's first 200 do). Past those a row costs next to
   * nothing: the next step is then what the budget allows, not twice
   * this one, so the rest come in a frame or two. */
  pacer->step = (guint) CLAMP ((gint64) step * PACE_BUDGET_US / MAX (took, 1), PACE_MIN_STEP,
                               took < (gint64) step * PACE_CHEAP_ROW_US ? PACE_MAX_STEP
                                                                        : 2 * (gint64) step);
  return G_SOURCE_CONTINUE;
}

static void
pacer_tick_done (gpointer data)
{
  Pacer *pacer = data;

  pacer->tick = 0;
  pacer_unref (pacer);
}

static void
pacer_schedule (Pacer *pacer)
{
  if (pacer->tick != 0 || pacer->slice == NULL || pacer->window == NULL)
    return;
  /* The first listing arrives in chunks (hangar-connection.c), each
   * sorted in among the last: rows shown meanwhile would be made again
   * with every chunk. The rows wait for the whole list. */
  if (hangar_connection_get_state (pacer->connection) == HANGAR_CONNECTION_STATE_CONNECTING)
    return;
  pacer->tick = gtk_widget_add_tick_callback (GTK_WIDGET (pacer->window->column_view), pacer_tick,
                                              g_rc_box_acquire (pacer), pacer_tick_done);
}

/* After the slice's own handler (connected first): the slice already
 * shows what changed among its rows. */
static void
on_paced_changed (GListModel *sorted,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Pacer      *pacer)
{
  guint n = g_list_model_get_n_items (sorted);

  if (pacer->slice == NULL)
    return;
  /* Machines gone: the slice shrinks with them, so that a later arrival
   * (a reconnection) is paced again. */
  if (gtk_slice_list_model_get_size (pacer->slice) > n)
    gtk_slice_list_model_set_size (pacer->slice, n);
  if (pacer_waiting (pacer) == 0)
    return;
  /* One machine defined while nothing waits: shown at once. */
  if (pacer->tick == 0 && pacer_waiting (pacer) <= PACE_MIN_STEP
      && hangar_connection_get_state (pacer->connection) != HANGAR_CONNECTION_STATE_CONNECTING)
    {
      gtk_slice_list_model_set_size (pacer->slice, n);
      return;
    }
  pacer_schedule (pacer);
}

static void
pacer_detach (gpointer data)
{
  Pacer *pacer = data;

  if (pacer->window != NULL && pacer->window->pacers != NULL)
    g_ptr_array_remove_fast (pacer->window->pacers, pacer);
  g_clear_signal_handler (&pacer->state_handler, pacer->connection);
  pacer->slice = NULL;
  pacer_unref (pacer);
}

static void
on_paced_state (HangarConnection *connection,
                GParamSpec       *pspec,
                Pacer            *pacer)
{
  if (pacer_waiting (pacer) > 0)
    pacer_schedule (pacer);
}

static GListModel *
pacer_new (HangarWindow     *self,
           HangarConnection *connection,
           GListModel       *sorted)
{
  GtkSliceListModel *slice = gtk_slice_list_model_new (g_object_ref (sorted), 0, 0);
  Pacer *pacer = g_rc_box_new0 (Pacer);

  pacer->window = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &pacer->window);
  pacer->slice = slice;
  pacer->connection = g_object_ref (connection);
  pacer->state_handler = g_signal_connect (connection, "notify::state",
                                           G_CALLBACK (on_paced_state), pacer);
  pacer->step = PACE_FIRST_STEP;
  g_ptr_array_add (self->pacers, pacer);
  g_object_set_data_full (G_OBJECT (slice), "hangar-pacer", pacer, pacer_detach);
  /* The slice owns the sorted model: the handler goes with it. */
  g_signal_connect (sorted, "items-changed", G_CALLBACK (on_paced_changed), pacer);
  on_paced_changed (sorted, 0, 0, g_list_model_get_n_items (sorted), pacer);
  g_object_unref (sorted);
  return G_LIST_MODEL (slice);
}

/* Whether machines wait to be shown in some connection's rows. */
static gboolean
pacers_busy (HangarWindow *self)
{
  for (guint i = 0; i < self->pacers->len; i++)
    if (pacer_waiting (g_ptr_array_index (self->pacers, i)) > 0)
      return TRUE;
  return FALSE;
}

/* Every waiting machine shown now (before looking one up in the rows). */
static void
pacers_flush (HangarWindow *self)
{
  for (guint i = 0; i < self->pacers->len; i++)
    {
      Pacer *pacer = g_ptr_array_index (self->pacers, i);

      if (pacer_waiting (pacer) > 0)
        gtk_slice_list_model_set_size (pacer->slice,
                                       g_list_model_get_n_items (gtk_slice_list_model_get_model (pacer->slice)));
    }
}

/* Children of a connection row: its machines, searched and sorted, and
 * shown a few per frame when many arrive at once. */
static GListModel *
create_child_model (gpointer item,
                    gpointer user_data)
{
  HangarWindow *self = user_data;
  GtkFilterListModel *filtered;
  GtkSorter *sorter;

  if (!HANGAR_IS_CONNECTION (item))
    return NULL;

  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (item)),
                                        g_object_ref (GTK_FILTER (self->filter)));
  sorter = gtk_column_view_get_sorter (self->column_view);
  return pacer_new (self, item, G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                                                 g_object_ref (sorter))));
}

static void
update_empty (HangarWindow *self)
{
  gboolean empty = g_list_model_get_n_items (self->connections) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

/* --- “populated” log line, for bench/list-scale ---------------------------- */

static guint
count_machines (HangarWindow *self,
                gboolean     *settled)
{
  guint n = g_list_model_get_n_items (self->connections);
  guint total = 0;

  *settled = TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarConnection) connection = g_list_model_get_item (self->connections, i);

      if (hangar_connection_get_state (connection) == HANGAR_CONNECTION_STATE_CONNECTING)
        *settled = FALSE;
      total += g_list_model_get_n_items (G_LIST_MODEL (connection));
    }
  return total;
}

static void
on_after_paint (GdkFrameClock *clock,
                HangarWindow  *self)
{
  gboolean settled;
  guint total = count_machines (self, &settled);

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, self);
  g_debug ("populated %u machines in %.0f ms", total, hangar_process_age_ms ());
}

static void
check_populated (HangarWindow *self)
{
  GdkFrameClock *clock;
  gboolean settled;
  guint total;

  if (self->populated_logged)
    return;
  total = count_machines (self, &settled);
  if (!settled || total == 0 || pacers_busy (self))
    return;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock == NULL)
    return;

  /* Logged once the list has been painted, not when the model filled. */
  self->populated_logged = TRUE;
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
  gtk_widget_queue_draw (GTK_WIDGET (self->column_view));
}

static void
on_connections_changed (HangarWindow *self,
                        guint         position,
                        guint         removed,
                        guint         added,
                        GListModel   *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(HangarConnection) connection = g_list_model_get_item (model, i);

      g_signal_connect_object (connection, "notify::state", G_CALLBACK (check_populated), self,
                               G_CONNECT_SWAPPED);
    }
  update_empty (self);
}

/* --- selection -------------------------------------------------------------- */

static void
on_selection_changed (HangarWindow *self)
{
  GObject *item = tree_row_item (gtk_single_selection_get_selected_item (self->selection));

  _hangar_window_set_current (self, HANGAR_IS_VM (item) ? HANGAR_VM (item) : NULL);
  _hangar_window_set_current_connection (self, HANGAR_IS_CONNECTION (item)
                                               ? HANGAR_CONNECTION (item) : NULL);
}

void
_hangar_window_list_init (HangarWindow *self)
{
  GtkExpression *name_expression;
  GtkSorter *name_sorter;

  self->pacers = g_ptr_array_new ();
  name_expression = gtk_property_expression_new (HANGAR_TYPE_VM, NULL, "name");
  self->filter = gtk_string_filter_new (gtk_expression_ref (name_expression));
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);

  name_sorter = GTK_SORTER (gtk_string_sorter_new (name_expression));
  self->name_column = add_column (self, _("Name"), &name_kind, name_sorter, TRUE, -1);
  add_column (self, _("State"), &state_kind, state_sorter (), FALSE, 140);
  add_column (self, _("CPU usage"), &cpu_kind, numeric_sorter ("cpu-percent"), FALSE, 170);
  add_column (self, _("Memory"), &memory_kind, numeric_sorter ("memory-total"), FALSE, 160);
  gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);

  self->connections = G_LIST_MODEL (hangar_application_get_connections (self->application));
  self->tree = gtk_tree_list_model_new (g_object_ref (self->connections), FALSE, TRUE,
                                        create_child_model, self, NULL);
  /* Autoselect off before the model is in: connections open before the
   * window is built, so the first row may already be there, and a
   * selection made before the handler below would leave the window's
   * current connection unset (its menu then had every item disabled). */
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->tree));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->connections, "items-changed",
                           G_CALLBACK (on_connections_changed), self, G_CONNECT_SWAPPED);
  on_connections_changed (self, 0, 0, g_list_model_get_n_items (self->connections),
                          self->connections);
  g_signal_connect_swapped (self, "map", G_CALLBACK (check_populated), self);
}

void
_hangar_window_list_dispose (HangarWindow *self)
{
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->filter);
  /* The slices are gone with the tree, and their pacers with them. */
  g_clear_pointer (&self->pacers, g_ptr_array_unref);
}

/**
 * hangar_window_get_rows:
 *
 * Returns: (transfer none): the rows as shown: #GtkTreeListRow items whose
 *   items are connections and machines
 */
GListModel *
hangar_window_get_rows (HangarWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->tree);
}

gboolean
hangar_window_select_vm (HangarWindow *self,
                         HangarVm     *vm)
{
  guint n;

  g_return_val_if_fail (HANGAR_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (HANGAR_IS_VM (vm), FALSE);

  pacers_flush (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->tree));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), i);

      if (tree_row_item (row) == (gpointer) vm)
        {
          gtk_single_selection_set_selected (self->selection, i);
          /* The scroll action lives on the list view inside the column view. */
          for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
               child != NULL; child = gtk_widget_get_next_sibling (child))
            if (GTK_IS_LIST_VIEW (child))
              gtk_widget_activate_action (child, "list.scroll-to-item", "u", i);
          return TRUE;
        }
    }
  return FALSE;
}

void
hangar_window_set_search_text (HangarWindow *self,
                               const char   *text)
{
  g_return_if_fail (HANGAR_IS_WINDOW (self));

  gtk_search_bar_set_search_mode (self->search_bar, text != NULL && *text != '\0');
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  gtk_string_filter_set_search (self->filter, text);
}
