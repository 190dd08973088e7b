/* console-test-util.h — helpers shared by the console tests and benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-display.h"

G_BEGIN_DECLS

gboolean    console_test_wait_until        (gboolean   (*condition) (gpointer data),
                                            gpointer     data,
                                            guint        timeout_ms);
void        console_test_iterate           (guint        ms);
GdkTexture *console_test_render_widget     (GtkWidget   *widget);
GdkTexture *console_test_render_widget_scaled (GtkWidget *widget,
                                            int          scale);
guint8     *console_test_download          (GdkTexture  *texture,
                                            gsize       *stride);
char       *console_test_log_path          (const char  *name);
void        console_test_save_png          (GdkTexture  *texture,
                                            const char  *name);

/* Types @text through the display's key path (lower-case letters, upper
 * case with Shift, digits not included, space, '-', newline, \x01 for
 * Caps Lock). */
void        console_test_type_text         (HangarDisplay *display,
                                            const char  *text);

G_END_DECLS
