/* details-test-util.h — throw-away guests on the system daemon for the
 * tests of a machine's configuration, hardware and clones and of their
 * views.
 *
 * Every guest is named DETAILS_PREFIX*: stale ones from a crashed run are
 * removed at the start, and each test removes its own even when it fails
 * (an atexit hook). A test may define DETAILS_PREFIX before including
 * this, so that tests running at once never remove each other's guests.
 *
 * GTK-free: tests/support's hangar_test_support_dep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <signal.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "hangar-connection.h"
#include "hangar-vm.h"
#include "hangar-vm-config.h"
#include "hangar-test-util.h"

G_BEGIN_DECLS

#define DETAILS_URI    "qemu:///system"
#ifndef DETAILS_PREFIX
#define DETAILS_PREFIX "hangar-details-"
#endif
#define IMAGES_DIR     "/var/lib/libvirt/images"

extern GPtrArray  *details_guests;            /* names to remove at exit */
extern GPtrArray  *details_files;             /* files to remove at exit */
extern void      (*details_cleanup_hook) (void);  /* more to remove, last */
extern const char *details_prefix;            /* what details_init() was given */

/* Runs @command; its output goes to @out when given. */
gboolean          details_run          (const char        *command,
                                        char             **out);
/* Runs `virsh -q -c DETAILS_URI ARGS`, ARGS printf-style. */
gboolean          details_virsh        (char             **out,
                                        const char        *format,
                                        ...) G_GNUC_PRINTF (2, 3);
void              details_remove_guest (const char        *name);
void              details_cleanup      (void);

/* Removes guests and images a crashed run left, and arranges the clean-up
 * of this run's; call it first. */
void              details_init_prefix  (const char        *prefix);
#define details_init() details_init_prefix (DETAILS_PREFIX)

/* A small qcow2 image, removed at exit. */
char             *details_make_qcow2   (const char        *name);
/* Defines a guest from the devices given, removed at exit. */
char             *details_define_guest (const char        *suffix,
                                        const char        *extra_top,
                                        const char        *devices);
/* What `virsh dumpxml` says now, parsed. */
HangarVmConfig   *details_dumpxml      (const char        *name);
char             *details_xpath        (const char        *name,
                                        gboolean           live,
                                        const char        *xpath);

/* Whether @data, a HangarConnection, is connected or failed. */
gboolean          details_connected    (gpointer           data);
HangarConnection *details_connect      (void);
/* The machine as the connection lists it, once the define event arrived. */
HangarVm         *details_wait_vm      (HangarConnection  *connection,
                                        const char        *name);
HangarVmConfig   *details_load         (HangarVm          *vm);
/* Waits for an apply; returns its flags, or fails the test on an error
 * unless @error is given. */
HangarApplyFlags  details_apply_wait   (HangarVm          *vm,
                                        GAsyncResult     **result,
                                        char             **note,
                                        GError           **error);

G_END_DECLS
