/* wizard-test-util.h — what the wizard's and the creator's tests share:
 * virsh, test ISOs, trees served over HTTP, cleanup.
 *
 * Every machine and volume a test makes is named hangar-wiztest-*, and
 * removed at the start (stale ones from a crashed run) and at the end.
 *
 * GTK-free: tests/support's hangar_test_support_dep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

G_BEGIN_DECLS

#define WIZTEST_URI    "qemu:///system"
#define WIZTEST_PREFIX "hangar-wiztest-"

/* Runs virsh on the test connection; returns its output, NULL on failure. */
char        *wiztest_virsh             (const char *format,
                                        ...) G_GNUC_PRINTF (1, 2);
/* Other tests restart the system daemon: gives it a moment to come back. */
gboolean     wiztest_daemon_running    (void);
gboolean     wiztest_domain_exists     (const char *name);
/* Every hangar-wiztest-* volume in every pool, as "pool/volume" lines. */
GPtrArray   *wiztest_list_volumes      (void);
/* Removes every hangar-wiztest-* machine and volume. */
void         wiztest_cleanup           (void);
/* A bootable ISO whose volume ID osinfo-db 20221203 knows as Debian 11. */
char        *wiztest_make_iso          (const char *dir,
                                        const char *volume_id);
/* The capacity in bytes `virsh vol-info` reports for a volume path. */
guint64      wiztest_volume_capacity   (const char *path);
/* A Fedora 37 tree's .treeinfo as osinfo-db 20221203 knows it. */
extern const char wiztest_treeinfo[];
/* python3 -m http.server on a free port of 127.0.0.1, serving @root. */
GSubprocess *wiztest_start_http_server (const char *root,
                                        guint16    *port);

G_END_DECLS
