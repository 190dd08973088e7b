/* details-view-test-util.h — driving a HangarDetailsView in a window, as the
 * details and snapshots view tests both do.
 *
 * tests/support's hangar_test_ui_dep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "details-test-util.h"
#include "hangar-details-view.h"
#include "hangar-test-app.h"

G_BEGIN_DECLS

/* The app's resource bundle; naming it links it in (and with it the
 * details templates, once the app library carries them). */
GResource *hangar_get_resource (void);

/* find_named() and named() are hangar-test-app.h's. */
/* Whether the view has a configuration and no task running; wait_idle()
 * waits for that. */
gboolean   view_idle           (gpointer           data);
void       wait_idle           (HangarDetailsView *view);
/* An "applied" handler that sets *@done, and the condition that it did,
 * for hangar_test_wait(). */
void       on_applied          (HangarDetailsView *view,
                                gboolean           ok,
                                gboolean          *done);
gboolean   applied_cb          (gpointer           data);
/* Presses Apply as a user would (the button must be enabled), waits for
 * the result and the re-read. */
void       press_apply         (HangarDetailsView *view);
/* Revert puts the form back and disables Apply again. */
void       press_revert        (HangarDetailsView *view);
/* Fails the test unless @xpath in `virsh dumpxml` of @name is @expected. */
void       assert_xpath        (const char        *name,
                                gboolean           live,
                                const char        *xpath,
                                const char        *expected);
/* Selects @section and saves a screenshot details-SECTION[SUFFIX].png. */
void       shoot_as            (HangarDetailsView *view,
                                const char        *section,
                                const char        *suffix);
void       shoot               (HangarDetailsView *view,
                                const char        *section);
/* Whether *(gpointer *) @data is NULL, for hangar_test_wait(). */
gboolean   is_null             (gpointer           data);
/* Destroys the window; the view must go too once its tasks are back. */
void       destroy_and_check   (GtkWindow         *window,
                                gpointer           view);
/* A 1000×760 window showing @child. */
GtkWindow *window_with         (GtkWidget         *child);
/* The visible toplevel named @name (a dialog the view made). */
GtkWidget *find_dialog         (const char        *name);

G_END_DECLS
