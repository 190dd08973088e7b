/* details-test-util.c — throw-away guests on the system daemon for the details tests.
 *
 * Every guest is named with details_init()'s prefix (hangar-details-* by
 * default): stale ones from a crashed run are
 * removed at the start, and each test removes its own even when it fails
 * (an atexit hook).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "details-test-util.h"

GPtrArray *details_guests;   /* names to remove at exit */
GPtrArray *details_files;    /* files to remove at exit */
void (*details_cleanup_hook) (void);  /* more to remove, last */
const char *details_prefix = "hangar-details-";

gboolean
details_run (const char  *command,
             char       **out)
{
  g_autofree char *err = NULL;
  g_autofree char *stdout_ = NULL;
  int status = -1;

  if (!g_spawn_command_line_sync (command, &stdout_, &err, &status, NULL))
    return FALSE;
  if (status != 0)
    g_test_message ("%s: %s", command, err);
  if (out)
    *out = g_steal_pointer (&stdout_);
  return status == 0;
}

gboolean
details_virsh (char      **out,
               const char *format,
               ...)
{
  g_autofree char *args = NULL;
  g_autofree char *command = NULL;
  va_list ap;

  va_start (ap, format);
  args = g_strdup_vprintf (format, ap);
  va_end (ap);
  command = g_strdup_printf ("virsh -q -c " DETAILS_URI " %s", args);
  return details_run (command, out);
}

void
details_remove_guest (const char *name)
{
  g_autofree char *destroy = g_strdup_printf ("virsh -q -c " DETAILS_URI " destroy %s", name);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* Most are not running: that error is no news. */
  g_spawn_command_line_sync (destroy, &out, &err, NULL, NULL);
  if (!details_virsh (NULL, "undefine --snapshots-metadata --nvram %s", name))
    details_virsh (NULL, "undefine --snapshots-metadata %s", name);
}

void
details_cleanup (void)
{
  for (guint i = 0; details_guests && i < details_guests->len; i++)
    details_remove_guest (g_ptr_array_index (details_guests, i));
  for (guint i = 0; details_files && i < details_files->len; i++)
    g_unlink (g_ptr_array_index (details_files, i));
  g_clear_pointer (&details_guests, g_ptr_array_unref);
  g_clear_pointer (&details_files, g_ptr_array_unref);
  if (details_cleanup_hook != NULL)
    details_cleanup_hook ();
}

/* A failed assertion aborts, and atexit hooks do not run on abort. */
static void
details_on_abort (int signum)
{
  signal (SIGABRT, SIG_DFL);
  details_cleanup ();
  raise (SIGABRT);
}

/* Removes guests and images a crashed run left, and arranges the clean-up
 * of this run's. */
void
details_init_prefix (const char *prefix)
{
  g_autofree char *names = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *file;

  details_prefix = prefix;
  details_guests = g_ptr_array_new_with_free_func (g_free);
  details_files = g_ptr_array_new_with_free_func (g_free);
  atexit (details_cleanup);
  signal (SIGABRT, details_on_abort);

  if (details_virsh (&names, "list --all --name"))
    {
      lines = g_strsplit (names, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        if (g_str_has_prefix (g_strstrip (lines[i]), details_prefix))
          details_remove_guest (lines[i]);
    }
  dir = g_dir_open (IMAGES_DIR, 0, NULL);
  while (dir && (file = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (file, details_prefix))
      {
        g_autofree char *path = g_build_filename (IMAGES_DIR, file, NULL);
        g_unlink (path);
      }
}

/* A small qcow2 image, removed at exit. */
char *
details_make_qcow2 (const char *name)
{
  g_autofree char *command = NULL;
  char *path = g_strdup_printf (IMAGES_DIR "/%s.qcow2", name);

  command = g_strdup_printf ("qemu-img create -q -f qcow2 %s 64M", path);
  g_assert_true (details_run (command, NULL));
  g_ptr_array_add (details_files, g_strdup (path));
  return path;
}

/* Defines a guest from the devices given, removed at exit. */
char *
details_define_guest (const char *suffix,
                      const char *extra_top,
                      const char *devices)
{
  char *name = g_strdup_printf ("%s%s-%d", details_prefix, suffix, (int) getpid ());
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;

  xml = g_strdup_printf ("<domain type='qemu'><name>%s</name>"
                         "<memory unit='MiB'>128</memory>"
                         "<currentMemory unit='MiB'>128</currentMemory>%s"
                         "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                         "<devices>%s</devices></domain>",
                         name, extra_top ? extra_top : "<vcpu>1</vcpu>", devices ? devices : "");
  path = g_strdup_printf ("%s/%s.xml", g_get_tmp_dir (), name);
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  g_ptr_array_add (details_guests, g_strdup (name));
  g_assert_true (details_virsh (NULL, "define %s", path));
  g_unlink (path);
  return name;
}

/* What `virsh dumpxml` says now, parsed. */
HangarVmConfig *
details_dumpxml (const char *name)
{
  g_autofree char *inactive = NULL;
  g_autofree char *live = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GError) error = NULL;
  HangarVmConfig *config;

  g_assert_true (details_virsh (&inactive, "dumpxml --inactive %s", name));
  g_assert_true (details_virsh (&state, "domstate %s", name));
  if (g_str_has_prefix (state, "running") || g_str_has_prefix (state, "paused"))
    g_assert_true (details_virsh (&live, "dumpxml %s", name));
  config = hangar_vm_config_new_from_xml (inactive, live, &error);
  g_assert_no_error (error);
  return config;
}

char *
details_xpath (const char *name,
               gboolean    live,
               const char *xpath)
{
  g_autoptr(HangarVmConfig) config = details_dumpxml (name);

  if (live)
    g_assert_true (hangar_vm_config_is_active (config));
  return hangar_vm_config_query (config, live, xpath);
}

gboolean
details_connected (gpointer data)
{
  return hangar_connection_get_state (data) == HANGAR_CONNECTION_STATE_CONNECTED
         || hangar_connection_get_state (data) == HANGAR_CONNECTION_STATE_FAILED;
}

HangarConnection *
details_connect (void)
{
  HangarConnection *connection = hangar_connection_new (DETAILS_URI);

  /* Another suite may be restarting the daemon: try for a while. */
  for (guint attempt = 0; attempt < 10; attempt++)
    {
      hangar_connection_open (connection);
      g_assert_true (hangar_test_wait (details_connected, connection, 30000));
      if (hangar_connection_get_state (connection) == HANGAR_CONNECTION_STATE_CONNECTED)
        break;
      g_test_message ("%s: %s", DETAILS_URI, hangar_connection_get_error_message (connection));
      hangar_connection_close (connection);
      g_usleep (G_USEC_PER_SEC);
    }
  g_assert_cmpint (hangar_connection_get_state (connection), ==, HANGAR_CONNECTION_STATE_CONNECTED);
  return connection;
}

typedef struct
{
  HangarConnection *connection;
  const char       *name;
} DetailsLookup;

static gboolean
details_listed (gpointer data)
{
  DetailsLookup *lookup = data;

  return hangar_connection_lookup_vm (lookup->connection, lookup->name) != NULL;
}

/* The machine as the connection lists it, once the define event arrived. */
HangarVm *
details_wait_vm (HangarConnection *connection,
                 const char       *name)
{
  DetailsLookup lookup = { connection, name };

  g_assert_true (hangar_test_wait (details_listed, &lookup, 30000));
  return g_object_ref (hangar_connection_lookup_vm (connection, name));
}

HangarVmConfig *
details_load (HangarVm *vm)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HangarVmConfig *config;

  hangar_vm_config_load_async (vm, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 30000));
  config = hangar_vm_config_load_finish (vm, result, &error);
  g_assert_no_error (error);
  return config;
}

/* Waits for an apply; returns its flags, or fails the test on an error
 * unless @error is given. */
HangarApplyFlags
details_apply_wait (HangarVm       *vm,
                    GAsyncResult  **result,
                    char          **note,
                    GError        **error)
{
  HangarApplyFlags flags = HANGAR_APPLY_NONE;
  g_autoptr(GError) local_error = NULL;

  g_assert_true (hangar_test_wait (hangar_test_result_ready, result, 60000));
  hangar_vm_config_apply_finish (vm, *result, &flags, note, error ? error : &local_error);
  g_assert_no_error (local_error);
  g_clear_object (result);
  return flags;
}
