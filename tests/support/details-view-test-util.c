/* details-view-test-util.c — driving a HangarDetailsView in a window, as the
 * details and snapshots view tests both do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "details-view-test-util.h"

gboolean
view_idle (gpointer data)
{
  return hangar_details_view_get_config (data) != NULL && !hangar_details_view_is_busy (data);
}

void
wait_idle (HangarDetailsView *view)
{
  g_assert_true (hangar_test_wait (view_idle, view, 60000));
}

gboolean
applied_cb (gpointer data)
{
  return *(gboolean *) data;
}

void
on_applied (HangarDetailsView *view,
            gboolean           ok,
            gboolean          *done)
{
  *done = TRUE;
}

/* Presses Apply as a user would (the button must be enabled), waits for
 * the result and the re-read. */
void
press_apply (HangarDetailsView *view)
{
  GtkWidget *apply = named (GTK_WIDGET (view), "details-apply");
  gboolean done = FALSE;
  gulong id = g_signal_connect (view, "applied", G_CALLBACK (on_applied), &done);

  g_assert_true (gtk_widget_is_sensitive (apply));
  g_signal_emit_by_name (apply, "clicked");
  g_assert_true (hangar_test_wait (applied_cb, &done, 60000));
  g_signal_handler_disconnect (view, id);
  wait_idle (view);
  g_test_message ("%s: %s", hangar_details_view_get_section (view),
                  hangar_details_view_get_status (view));
}

/* Revert puts the form back and disables Apply again. */
void
press_revert (HangarDetailsView *view)
{
  GtkWidget *root = GTK_WIDGET (view);

  g_assert_true (gtk_widget_is_sensitive (named (root, "details-apply")));
  g_assert_true (hangar_details_view_has_unapplied_changes (view));
  g_signal_emit_by_name (named (root, "details-revert"), "clicked");
  g_assert_false (gtk_widget_is_sensitive (named (root, "details-apply")));
  g_assert_false (hangar_details_view_has_unapplied_changes (view));
}

void
assert_xpath (const char *name,
              gboolean    live,
              const char *xpath,
              const char *expected)
{
  g_autofree char *value = details_xpath (name, live, xpath);

  if (g_strcmp0 (value, expected) != 0)
    g_error ("%s %s: %s ≠ %s", live ? "live" : "inactive", xpath,
             value ? value : "(nothing)", expected ? expected : "(nothing)");
}

void
shoot_as (HangarDetailsView *view,
          const char        *section,
          const char        *suffix)
{
  g_autofree char *file = g_strdup_printf ("details-%s%s.png", section, suffix);
  g_autofree char *path = NULL;

  g_assert_true (hangar_details_view_select_section (view, section));
  g_assert_cmpstr (hangar_details_view_get_section (view), ==, section);
  path = hangar_test_screenshot (gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_WINDOW), file);
}

void
shoot (HangarDetailsView *view,
       const char        *section)
{
  shoot_as (view, section, "");
}

gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Destroys the window; the view must go too once its tasks are back. */
void
destroy_and_check (GtkWindow *window,
                   gpointer   view)
{
  gpointer weak = view;

  g_object_add_weak_pointer (G_OBJECT (view), &weak);
  gtk_window_destroy (window);
  g_assert_true (hangar_test_wait (is_null, &weak, 30000));
}

GtkWindow *
window_with (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 1000, 760);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  return window;
}

/* The visible toplevel named @name (a dialog the view made). */
GtkWidget *
find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (window), name) == 0 && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}
