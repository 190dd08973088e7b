/* host-test-util.h — what the host tests share: virsh, clean-up of what
 * earlier runs left behind, a connection that survives a daemon restart
 * in another test, and running the model's async calls to the end.
 *
 * Everything a test creates is named hangar-hosttest-*.
 *
 * GTK-free: tests/support's hangar_test_support_dep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hangar-connection.h"
#include "hangar-host-model.h"
#include "hangar-test-util.h"

G_BEGIN_DECLS

#define HOST_TEST_URI    "qemu:///system"
#define HOST_TEST_PREFIX "hangar-hosttest-"

/* Runs virsh on the test host; see hangar_test_virsh(). */
#define host_virsh(out, ...) hangar_test_virsh (HOST_TEST_URI, out, __VA_ARGS__)

/* The value of "Key:  value" in virsh's info output. */
char              *host_virsh_field             (const char        *out,
                                                 const char        *key);
/* The names `virsh LIST_COMMAND --all --name` prints. */
char             **host_virsh_names             (const char        *list_command);
/* A run that crashed cannot clean up after itself; the next one does. */
void               host_test_remove_stale       (void);
gboolean           host_test_connection_settled (gpointer           data);
/* Another test may be restarting libvirtd right now: tries a few times. */
HangarConnection  *host_test_connect            (void);
/* Waits for an async call's result; the caller finishes and unrefs it. */
GAsyncResult      *host_test_wait_result        (GAsyncResult     **slot);
/* The model's lists, run to the end; the caller unrefs them. */
GPtrArray         *host_test_list_networks      (HangarConnection  *connection);
GPtrArray         *host_test_list_pools         (HangarConnection  *connection);
GPtrArray         *host_test_list_volumes       (HangarConnection  *connection,
                                                 const char        *pool);
HangarHostNetwork *host_test_find_network       (GPtrArray         *rows,
                                                 const char        *name);
/* A free 192.168.2xx.0/24 for a test network, by the host's own networks. */
char              *host_test_free_range         (GPtrArray         *networks);
/* A failed assertion aborts the test: @func removes what it created anyway. */
void               host_test_cleanup_on_crash   (void             (*func) (void));

G_END_DECLS
