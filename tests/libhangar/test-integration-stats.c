/* test-integration-stats.c — statistics reach the right machine.
 *
 * The statistics worker finds a record's machine by its name, looking
 * each name's UUID up once (virDomainGetUUIDString is costly with many
 * machines). A name can change hands: here machine A runs as N1 and is
 * sampled, then is shut off and renamed to N2, and a new machine B, with
 * another vCPU count, is defined and started as N1. B's samples must go
 * to B, and none to A, on a real system libvirtd with real QEMU guests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hangar-connection.h"
#include "hangar-vm.h"
#include "hangar-test-util.h"

#define URI "qemu:///system"
#define HISTORY_MAX 4096

static char *name_1;
static char *name_2;

#define virsh(...) hangar_test_virsh (URI, NULL, __VA_ARGS__)

/* A diskless guest without a display: SeaBIOS spins, which is enough to
 * be sampled. */
static void
define_guest (const char *name,
              guint       vcpus)
{
  g_autofree char *xml = g_strdup_printf (
    "<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
    "<vcpu>%u</vcpu><os><type arch='x86_64'>hvm</type></os>"
    "<devices><memballoon model='none'/></devices></domain>", name, vcpus);
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("hangar-stats-XXXXXX.xml", &path, NULL);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  g_assert_true (virsh ("define %s", path));
  g_unlink (path);
}

static void
remove_guest (const char *name)
{
  virsh ("destroy %s", name);
  virsh ("undefine %s", name);
}

static gboolean
connected (gpointer data)
{
  return hangar_connection_get_state (data) == HANGAR_CONNECTION_STATE_CONNECTED;
}

typedef struct
{
  HangarConnection *connection;
  const char       *key;       /* name or UUID */
  guint             samples;   /* at least this many CPU samples */
  guint             vcpus;
} Wanted;

static guint
cpu_samples (HangarVm *vm)
{
  static float history[HISTORY_MAX];

  return hangar_vm_get_cpu_history (vm, history, HISTORY_MAX);
}

static gboolean
vm_sampled (gpointer data)
{
  Wanted *w = data;
  HangarVm *vm = hangar_connection_lookup_vm (w->connection, w->key);

  return vm != NULL && hangar_vm_is_active (vm) && cpu_samples (vm) >= w->samples
         && hangar_vm_get_vcpus (vm) == w->vcpus;
}

static gboolean
vm_named (gpointer data)
{
  Wanted *w = data;
  HangarVm *vm = hangar_connection_lookup_vm (w->connection, w->key);

  return vm != NULL && !hangar_vm_is_active (vm);
}

static void
test_name_changes_hands (void)
{
  g_autoptr(HangarConnection) connection = hangar_connection_new (URI);
  g_autofree char *uuid_a = NULL;
  HangarVm *a;
  HangarVm *b;
  guint a_samples;
  Wanted w = { connection, NULL, 0, 0 };

  hangar_connection_set_stats_interval (connection, 200);
  hangar_connection_set_stats_enabled (connection, TRUE);
  hangar_test_hold_all_stats (connection);
  hangar_connection_open (connection);
  g_assert_true (hangar_test_wait (connected, connection, 30000));

  /* A runs as N1 and is sampled: the worker now knows N1's UUID. */
  define_guest (name_1, 1);
  g_assert_true (virsh ("start %s", name_1));
  w.key = name_1;
  w.samples = 3;
  w.vcpus = 1;
  g_assert_true (hangar_test_wait (vm_sampled, &w, 60000));
  a = hangar_connection_lookup_vm (connection, name_1);
  uuid_a = g_strdup (hangar_vm_get_uuid (a));

  /* A goes off and becomes N2; the model follows by events. */
  g_assert_true (virsh ("destroy %s", name_1));
  g_assert_true (virsh ("domrename %s %s", name_1, name_2));
  w.key = name_2;
  g_assert_true (hangar_test_wait (vm_named, &w, 30000));
  a_samples = cpu_samples (a);

  /* B, with two vCPUs, takes N1. */
  define_guest (name_1, 2);
  g_assert_true (virsh ("start %s", name_1));
  w.key = name_1;
  w.samples = 5;
  w.vcpus = 2;
  g_assert_true (hangar_test_wait (vm_sampled, &w, 60000));
  b = hangar_connection_lookup_vm (connection, name_1);
  g_assert_cmpstr (hangar_vm_get_uuid (b), !=, uuid_a);

  /* Nothing of B's reached A, which still is what it was. */
  g_assert_true (hangar_connection_lookup_vm (connection, uuid_a) == a);
  g_assert_cmpstr (hangar_vm_get_name (a), ==, name_2);
  g_assert_false (hangar_vm_is_active (a));
  g_assert_cmpuint (cpu_samples (a), ==, a_samples);
  g_assert_cmpuint (hangar_vm_get_vcpus (a), ==, 1);
  g_test_message ("A: %u samples, %u vCPU; B: %u samples, %u vCPUs", cpu_samples (a),
                  hangar_vm_get_vcpus (a), cpu_samples (b), hangar_vm_get_vcpus (b));

  hangar_connection_close (connection);
}

static void
cleanup (void)
{
  remove_guest (name_1);
  remove_guest (name_2);
}

/* What a run that failed half-way left behind. */
static void
remove_stale (void)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) names = NULL;

  if (!g_spawn_command_line_sync ("virsh -q -c " URI " list --all --name", &out, NULL, NULL, NULL))
    return;
  names = g_strsplit (out, "\n", -1);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (g_strstrip (names[i]), "hangar-stats-"))
      remove_guest (names[i]);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  name_1 = g_strdup_printf ("hangar-stats-n1-%d", (int) getpid ());
  name_2 = g_strdup_printf ("hangar-stats-n2-%d", (int) getpid ());
  remove_stale ();
  g_test_add_func ("/hangar/integration/stats/name-changes-hands", test_name_changes_hands);

  status = g_test_run ();
  cleanup ();
  g_free (name_1);
  g_free (name_2);
  return status;
}
