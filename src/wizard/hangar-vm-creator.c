/* hangar-vm-creator.c — makes a new machine from the wizard's choices, with progress.
 *
 * One worker thread runs the steps in order: the storage pool (the default
 * one is made on demand), the installer's kernel and initrd for network
 * installs, the conversion of a VirtualBox or VMware image, the new disk,
 * the virtual network, the definition, the start. Whatever a step made is
 * recorded, and a failure (or a cancellation) removes all of it before the
 * error is returned: a volume, a downloaded kernel, a converted image, a
 * machine that was defined but never started.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-connection-private.h"
#include "hangar-domain-builder.h"
#include "hangar-host-info.h"
#include "hangar-os.h"
#include "hangar-vm-creator.h"

G_DEFINE_QUARK (hangar-vm-creator-error-quark, hangar_vm_creator_error)

/* Tests make a step fail on purpose: HANGAR_VM_CREATOR_FAIL_AT=define. */
#define FAIL_AT_ENV "HANGAR_VM_CREATOR_FAIL_AT"
/* QEMU's emulator even where KVM is offered, for hosts whose KVM cannot
 * run guests with the host's CPU model (some nested set-ups). */
#define FORCE_EMULATION_ENV "HANGAR_FORCE_EMULATION"

struct _HangarVmCreator
{
  GObject           parent_instance;

  HangarConnection *connection;
  HangarDomainSpec *spec;
  char             *pool_name;
  gboolean          start;

  double            progress;
  char             *step;
  gboolean          running;
};

G_DEFINE_FINAL_TYPE (HangarVmCreator, hangar_vm_creator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROGRESS,
  PROP_STEP,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *step_names[] = {
  "prepare", "pool", "download", "convert", "disk", "network", "define", "start",
};

/**
 * hangar_vm_creator_step_describe:
 *
 * Returns: what @step does, for people: “Creating the disk”
 */
const char *
hangar_vm_creator_step_describe (HangarVmCreatorStep step)
{
  switch (step)
    {
    case HANGAR_VM_CREATOR_STEP_PREPARE:
      return _("Preparing");
    case HANGAR_VM_CREATOR_STEP_POOL:
      return _("Preparing the storage pool");
    case HANGAR_VM_CREATOR_STEP_DOWNLOAD:
      return _("Downloading the installer");
    case HANGAR_VM_CREATOR_STEP_CONVERT:
      return _("Converting the disk image");
    case HANGAR_VM_CREATOR_STEP_DISK:
      return _("Creating the disk");
    case HANGAR_VM_CREATOR_STEP_NETWORK:
      return _("Starting the network");
    case HANGAR_VM_CREATOR_STEP_DEFINE:
      return _("Defining the machine");
    case HANGAR_VM_CREATOR_STEP_START:
      return _("Starting the machine");
    default:
      g_return_val_if_reached ("");
    }
}

/* --- the job, owned by the worker ------------------------------------------ */

typedef enum
{
  UNDO_VOLUME,  /* a volume, by path */
  UNDO_FILE,    /* a file outside any pool's knowledge */
  UNDO_DOMAIN,  /* a definition, by UUID */
} UndoKind;

typedef struct
{
  UndoKind  kind;
  char     *what;
} Undo;

typedef struct
{
  HangarVmCreator   *self;        /* only to report progress on the main thread */
  GMainContext      *context;
  virConnectPtr      conn;
  HangarDomainSpec  *spec;
  char              *pool_name;
  gboolean           start;
  gboolean           local;

  virStoragePoolPtr  pool;
  char              *pool_path;
  GArray            *undo;        /* Undo */
  char              *fail_at;

  /* Progress: each step has a share of the bar. */
  double             weights[G_N_ELEMENTS (step_names)];
  HangarVmCreatorStep current;
} Job;

static void
undo_clear (Undo *undo)
{
  g_free (undo->what);
}

static void
job_free (Job *job)
{
  g_clear_object (&job->self);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_pointer (&job->pool, virStoragePoolFree);
  _hangar_handle_release (g_steal_pointer (&job->conn));
  hangar_domain_spec_free (job->spec);
  g_free (job->pool_name);
  g_free (job->pool_path);
  g_array_unref (job->undo);
  g_free (job->fail_at);
  g_free (job);
}

static void
job_remember (Job        *job,
              UndoKind    kind,
              const char *what)
{
  Undo undo = { kind, g_strdup (what) };

  g_array_append_val (job->undo, undo);
}

static void
job_forget (Job        *job,
            UndoKind    kind,
            const char *what)
{
  for (guint i = 0; i < job->undo->len; i++)
    {
      Undo *undo = &g_array_index (job->undo, Undo, i);

      if (undo->kind == kind && g_strcmp0 (undo->what, what) == 0)
        {
          g_array_remove_index (job->undo, i);
          return;
        }
    }
}

/* Removes what the job made, newest first. Errors here are only logged:
 * the user needs the original failure, not the cleanup's. */
static void
job_undo (Job *job)
{
  for (guint i = job->undo->len; i > 0; i--)
    {
      Undo *undo = &g_array_index (job->undo, Undo, i - 1);

      switch (undo->kind)
        {
        case UNDO_DOMAIN:
          {
            virDomainPtr dom = virDomainLookupByUUIDString (job->conn, undo->what);

            if (dom != NULL)
              {
                if (virDomainIsActive (dom) == 1)
                  virDomainDestroy (dom);
                if (virDomainUndefineFlags (dom, VIR_DOMAIN_UNDEFINE_NVRAM |
                                                 VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                                 VIR_DOMAIN_UNDEFINE_TPM) < 0)
                  g_warning ("Could not remove the new machine %s: %s", undo->what,
                             virGetLastErrorMessage ());
                virDomainFree (dom);
              }
            break;
          }

        case UNDO_VOLUME:
          {
            virStorageVolPtr vol = virStorageVolLookupByPath (job->conn, undo->what);

            if (vol != NULL)
              {
                if (virStorageVolDelete (vol, 0) < 0)
                  g_warning ("Could not remove %s: %s", undo->what, virGetLastErrorMessage ());
                virStorageVolFree (vol);
              }
            else if (job->local)
              g_unlink (undo->what);
            break;
          }

        case UNDO_FILE:
          if (g_unlink (undo->what) != 0 && errno != ENOENT)
            g_warning ("Could not remove %s: %s", undo->what, g_strerror (errno));
          break;

        default:
          g_assert_not_reached ();
        }
      virResetLastError ();
    }
  g_array_set_size (job->undo, 0);
  if (job->pool != NULL)
    virStoragePoolRefresh (job->pool, 0);
  virResetLastError ();
}

/* --- progress, delivered on the main thread ----------------------------------- */

typedef struct
{
  HangarVmCreator *self;
  double           progress;
  char            *step;
} Report;

static gboolean
report_in_main (gpointer data)
{
  Report *report = data;
  HangarVmCreator *self = report->self;

  if (report->progress != self->progress)
    {
      self->progress = report->progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  if (report->step != NULL && g_strcmp0 (report->step, self->step) != 0)
    {
      g_free (self->step);
      self->step = g_strdup (report->step);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
    }
  return G_SOURCE_REMOVE;
}

static void
report_free (Report *report)
{
  g_object_unref (report->self);
  g_free (report->step);
  g_free (report);
}

/* @fraction: how far the current step is, 0–1. */
static void
job_report (Job        *job,
            double      fraction,
            const char *text)
{
  Report *report = g_new0 (Report, 1);
  double done = 0, total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (job->weights); i++)
    {
      total += job->weights[i];
      if (i < job->current)
        done += job->weights[i];
    }
  done += job->weights[job->current] * CLAMP (fraction, 0.0, 1.0);

  report->self = g_object_ref (job->self);
  report->progress = total > 0 ? done / total : 0;
  report->step = g_strdup (text);
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, report_in_main, report,
                              (GDestroyNotify) report_free);
}

static void
job_enter (Job                 *job,
           HangarVmCreatorStep  step)
{
  job->current = step;
  job_report (job, 0, hangar_vm_creator_step_describe (step));
}

static gboolean
job_fail (Job         *job,
          GError     **error,
          const char  *format,
          ...) G_GNUC_PRINTF (3, 4);

static gboolean
job_fail (Job         *job,
          GError     **error,
          const char  *format,
          ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, HANGAR_VM_CREATOR_ERROR, job->current, message);
  return FALSE;
}

static gboolean
job_fail_libvirt (Job     *job,
                  GError **error)
{
  const char *message = virGetLastErrorMessage ();
  gboolean ret = job_fail (job, error, "%s", message ? message : _("Unknown error"));

  virResetLastError ();
  return ret;
}

/* The test hook: fails the current step when asked to. */
static gboolean
job_check (Job           *job,
           GCancellable  *cancellable,
           GError       **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (job->fail_at != NULL && g_str_equal (job->fail_at, step_names[job->current]))
    return job_fail (job, error, _("The step was made to fail for a test."));
  return TRUE;
}

/* --- steps ------------------------------------------------------------------ */

static gboolean
job_needs_pool (Job *job)
{
  const HangarDomainSpec *spec = job->spec;

  if (spec->install_method == HANGAR_INSTALL_TREE)
    return TRUE;
  if (spec->install_method == HANGAR_INSTALL_IMPORT)
    return hangar_disk_format_needs_conversion (spec->import_format);
  return spec->disk_mode == HANGAR_DISK_NEW;
}

static char *
pool_target_path (virStoragePoolPtr pool)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  GVirConfigStoragePool *config;
  GVirConfigStoragePoolTarget *target;
  char *path = NULL;

  if (xml == NULL || (config = gvir_config_storage_pool_new_from_xml (xml, NULL)) == NULL)
    return NULL;
  if ((target = gvir_config_storage_pool_get_target (config)) != NULL)
    {
      path = g_strdup (gvir_config_storage_pool_target_get_path (target));
      g_object_unref (target);
    }
  g_object_unref (config);
  return path;
}

static gboolean
step_pool (Job           *job,
           GCancellable  *cancellable,
           GError       **error)
{
  job_enter (job, HANGAR_VM_CREATOR_STEP_POOL);
  if (!job_check (job, cancellable, error))
    return FALSE;

  job->pool = virStoragePoolLookupByName (job->conn, job->pool_name);
  if (job->pool == NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *xml = NULL;

      virResetLastError ();
      if (!g_str_equal (job->pool_name, HANGAR_DEFAULT_POOL))
        return job_fail (job, error, _("The storage pool “%s” does not exist."),
                         job->pool_name);

      /* The default pool is made on demand and kept: it is where every
       * later machine's disk goes too, as virt-manager and Boxes do. */
      path = hangar_host_info_default_pool_path (job->spec->connection_kind);
      xml = g_markup_printf_escaped ("<pool type='dir'><name>%s</name>"
                                     "<target><path>%s</path></target></pool>",
                                     job->pool_name, path);
      if ((job->pool = virStoragePoolDefineXML (job->conn, xml, 0)) == NULL)
        return job_fail_libvirt (job, error);
      if (virStoragePoolBuild (job->pool, 0) < 0)
        {
          g_autoptr(GError) local_error = NULL;

          job_fail_libvirt (job, &local_error);
          virStoragePoolUndefine (job->pool);
          g_clear_pointer (&job->pool, virStoragePoolFree);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      virStoragePoolSetAutostart (job->pool, 1);
    }

  if (virStoragePoolIsActive (job->pool) != 1 && virStoragePoolCreate (job->pool, 0) < 0)
    return job_fail_libvirt (job, error);
  /* Files copied in by hand since the daemon last looked. */
  virStoragePoolRefresh (job->pool, 0);
  virResetLastError ();

  job->pool_path = pool_target_path (job->pool);
  if (job->pool_path == NULL)
    return job_fail (job, error, _("The storage pool “%s” has no directory for new disks."),
                     job->pool_name);
  return TRUE;
}

/* A volume name not taken in the pool: NAME.EXT, NAME-2.EXT, … */
static char *
unique_volume_name (Job        *job,
                    const char *stem,
                    const char *ext)
{
  for (guint i = 1; i < 1000; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup_printf ("%s%s", stem, ext)
                                     : g_strdup_printf ("%s-%u%s", stem, i, ext);
      virStorageVolPtr vol = virStorageVolLookupByName (job->pool, name);
      g_autofree char *path = g_build_filename (job->pool_path, name, NULL);

      if (vol == NULL && !(job->local && g_file_test (path, G_FILE_TEST_EXISTS)))
        {
          virResetLastError ();
          return g_steal_pointer (&name);
        }
      if (vol != NULL)
        virStorageVolFree (vol);
    }
  return g_strdup_printf ("%s-%s%s", stem, g_uuid_string_random (), ext);
}

/* Creates a volume from @xml in the job's pool; returns its path. */
static char *
create_volume (Job     *job,
               const char *xml,
               GError **error)
{
  virStorageVolPtr vol = virStorageVolCreateXML (job->pool, xml, 0);
  char *libvirt_path;
  char *path;

  if (vol == NULL)
    {
      job_fail_libvirt (job, error);
      return NULL;
    }
  libvirt_path = virStorageVolGetPath (vol);
  path = g_strdup (libvirt_path);
  free (libvirt_path);
  virStorageVolFree (vol);
  if (path == NULL)
    {
      job_fail_libvirt (job, error);
      return NULL;
    }
  job_remember (job, UNDO_VOLUME, path);
  return path;
}

/* --- download over HTTP --------------------------------------------------------- */

/* A plain HTTP/1.0 GET with GIO's sockets (TLS for https through
 * glib-networking): libsoup's headers are not in Debian 12's -dev set this
 * project builds with, and GIO's http support needs gvfs. HTTP/1.0 keeps
 * the body free of chunked encoding. */
static GIOStream *
http_open (const char    *url,
           goffset       *length,
           GInputStream **body,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *current = g_strdup (url);

  for (guint redirects = 0; redirects < 6; redirects++)
    {
      g_autoptr(GUri) uri = g_uri_parse (current, G_URI_FLAGS_ENCODED, error);
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GDataInputStream) in = NULL;
      g_autofree char *request = NULL;
      g_autofree char *status_line = NULL;
      g_autofree char *location = NULL;
      g_autofree char *path = NULL;
      const char *scheme;
      int status = 0;
      gboolean tls;

      if (uri == NULL)
        return NULL;
      scheme = g_uri_get_scheme (uri);
      tls = g_ascii_strcasecmp (scheme, "https") == 0;
      if (!tls && g_ascii_strcasecmp (scheme, "http") != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Only http and https addresses can be downloaded from, not “%s”."),
                       scheme);
          return NULL;
        }
      g_socket_client_set_tls (client, tls);
      g_socket_client_set_timeout (client, 30);
      connection = g_socket_client_connect_to_uri (client, current, tls ? 443 : 80,
                                                   cancellable, error);
      if (connection == NULL)
        return NULL;

      path = g_uri_join (G_URI_FLAGS_ENCODED, NULL, NULL, NULL, -1, g_uri_get_path (uri),
                         g_uri_get_query (uri), NULL);
      request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: Hangar/" VERSION
                                 "\r\nAccept: */*\r\n\r\n",
                                 path[0] ? path : "/", g_uri_get_host (uri));
      if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                      request, strlen (request), NULL, cancellable, error))
        return NULL;

      in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
      g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
      g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
      status_line = g_data_input_stream_read_line (in, NULL, cancellable, error);
      if (status_line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         _("The server closed the connection without answering."));
          return NULL;
        }
      if (sscanf (status_line, "HTTP/%*d.%*d %d", &status) != 1)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The server’s answer is not HTTP."));
          return NULL;
        }

      *length = -1;
      for (;;)
        {
          g_autofree char *line = g_data_input_stream_read_line (in, NULL, cancellable, error);
          char *colon;

          if (line == NULL)
            {
              if (error != NULL && *error != NULL)
                return NULL;
              break;
            }
          g_strchomp (line);
          if (line[0] == '\0')
            break;
          if ((colon = strchr (line, ':')) == NULL)
            continue;
          *colon = '\0';
          if (g_ascii_strcasecmp (line, "Content-Length") == 0)
            *length = g_ascii_strtoll (g_strstrip (colon + 1), NULL, 10);
          else if (g_ascii_strcasecmp (line, "Location") == 0)
            location = g_strdup (g_strstrip (colon + 1));
        }

      if (status >= 300 && status < 400 && location != NULL)
        {
          char *next = g_uri_resolve_relative (current, location, G_URI_FLAGS_NONE, error);

          if (next == NULL)
            return NULL;
          g_free (current);
          current = next;
          continue;
        }
      if (status != 200)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("%s answered “%s”."), current, g_strstrip (status_line));
          return NULL;
        }

      /* Headers were read through the buffer: hand on the buffer too. */
      *body = G_INPUT_STREAM (g_steal_pointer (&in));
      return G_IO_STREAM (g_steal_pointer (&connection));
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s redirects too often."), url);
  return NULL;
}

/* Copies the file at @tmp_path into the volume at @path through libvirt,
 * which works the same for remote hosts. */
static gboolean
upload_file (Job         *job,
             const char  *tmp_path,
             const char  *path,
             goffset      size,
             GError     **error)
{
  g_autofree guint8 *buf = g_malloc (256 * 1024);
  virStorageVolPtr vol = virStorageVolLookupByPath (job->conn, path);
  virStreamPtr st = vol ? virStreamNew (job->conn, 0) : NULL;
  gboolean ok = FALSE;
  gssize n = -1;
  int fd = -1;

  if (st != NULL && virStorageVolUpload (vol, st, 0, size, 0) == 0)
    {
      if ((fd = g_open (tmp_path, O_RDONLY | O_CLOEXEC, 0)) >= 0)
        {
          while ((n = read (fd, buf, 256 * 1024)) > 0)
            if (virStreamSend (st, (const char *) buf, n) < 0)
              break;
          close (fd);
        }
      if (n == 0 && virStreamFinish (st) == 0)
        ok = TRUE;
      else
        virStreamAbort (st);
    }
  if (!ok)
    job_fail_libvirt (job, error);
  if (st != NULL)
    virStreamFree (st);
  if (vol != NULL)
    virStorageVolFree (vol);
  return ok;
}

/* Downloads @url into a new raw volume named after @stem in the pool.
 * Spooled to a private file first: the volume needs its size up front and
 * servers do not always send one. */
static char *
download_to_volume (Job           *job,
                    const char    *url,
                    const char    *stem,
                    double         from,
                    double         to,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GIOStream) connection = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *vol_name = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree guint8 *buf = g_malloc (256 * 1024);
  goffset length = -1, received = 0;
  gint64 last_report = 0;
  gboolean write_failed = FALSE;
  gssize n;
  int fd;

  text = g_strdup_printf (_("Downloading %s"), url);
  job_report (job, from, text);

  connection = http_open (url, &length, &body, cancellable, &local_error);
  if (connection == NULL)
    goto download_failed;

  fd = g_file_open_tmp ("hangar-download-XXXXXX", &tmp_path, &local_error);
  if (fd < 0)
    goto download_failed;
  job_remember (job, UNDO_FILE, tmp_path);

  while ((n = g_input_stream_read (body, buf, 256 * 1024, cancellable, &local_error)) > 0)
    {
      if (write (fd, buf, n) != n)
        {
          g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (errno),
                       "%s", g_strerror (errno));
          write_failed = TRUE;
          break;
        }
      received += n;
      if (length > 0 && g_get_monotonic_time () - last_report > 100000)
        {
          last_report = g_get_monotonic_time ();
          job_report (job, from + (to - from) * 0.9 * received / length, NULL);
        }
    }
  close (fd);
  if (n < 0 || write_failed)
    goto download_failed;
  if ((length >= 0 && received != length) || received == 0)
    {
      g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   received == 0 ? _("the file is empty") : _("the download stopped early"));
      goto download_failed;
    }

  vol_name = unique_volume_name (job, stem, "");
  xml = g_markup_printf_escaped ("<volume><name>%s</name>"
                                 "<capacity unit='bytes'>%" G_GINT64_FORMAT "</capacity>"
                                 "<target><format type='raw'/></target></volume>",
                                 vol_name, (gint64) received);
  if ((path = create_volume (job, xml, error)) == NULL)
    return NULL;
  if (!upload_file (job, tmp_path, path, received, error))
    return NULL;

  g_unlink (tmp_path);
  job_forget (job, UNDO_FILE, tmp_path);
  job_report (job, to, NULL);
  return g_steal_pointer (&path);

download_failed:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    job_fail (job, error, _("%s could not be downloaded: %s"), url, local_error->message);
  return NULL;
}

static gboolean
step_download (Job           *job,
               GCancellable  *cancellable,
               GError       **error)
{
  HangarDomainSpec *spec = job->spec;
  g_autoptr(OsinfoTree) tree = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *kernel_url = NULL;
  g_autofree char *initrd_url = NULL;
  g_autofree char *stem = NULL;
  OsinfoDb *db;

  job_enter (job, HANGAR_VM_CREATOR_STEP_DOWNLOAD);
  if (!job_check (job, cancellable, error))
    return FALSE;

  /* The tree says where its kernel is; the wizard has read it before, but
   * only the URL travels in the spec. */
  if ((db = hangar_os_get_db (&local_error)) == NULL)
    return job_fail (job, error, "%s", local_error->message);
  tree = hangar_os_identify_tree (db, spec->tree_url, cancellable, &local_error);
  if (tree == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return job_fail (job, error, "%s", local_error->message);
    }
  kernel_url = hangar_os_tree_resolve (tree, osinfo_tree_get_kernel_path (tree));
  initrd_url = hangar_os_tree_resolve (tree, osinfo_tree_get_initrd_path (tree));

  stem = g_strdup_printf ("%s-kernel", spec->name);
  g_free (spec->kernel_path);
  spec->kernel_path = download_to_volume (job, kernel_url, stem, 0.0, 0.3, cancellable, error);
  if (spec->kernel_path == NULL)
    return FALSE;
  g_free (stem);
  stem = g_strdup_printf ("%s-initrd", spec->name);
  g_free (spec->initrd_path);
  spec->initrd_path = download_to_volume (job, initrd_url, stem, 0.3, 1.0, cancellable, error);
  return spec->initrd_path != NULL;
}

/* qemu-img prints "    (12.34/100%)" and a carriage return as it goes. */
static gboolean
step_convert (Job           *job,
              GCancellable  *cancellable,
              GError       **error)
{
  HangarDomainSpec *spec = job->spec;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *target = NULL;
  GInputStream *out;
  char buf[512];
  gssize n;

  job_enter (job, HANGAR_VM_CREATOR_STEP_CONVERT);
  if (!job_check (job, cancellable, error))
    return FALSE;
  if (!job->local)
    return job_fail (job, error, _("VirtualBox and VMware images can be converted on this "
                                   "computer’s own connections only."));

  name = unique_volume_name (job, spec->name, ".qcow2");
  target = g_build_filename (job->pool_path, name, NULL);
  job_remember (job, UNDO_VOLUME, target);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                              &local_error, "qemu-img", "convert", "-p",
                              "-f", hangar_disk_format_to_string (spec->import_format),
                              "-O", "qcow2", spec->import_path, target, NULL);
  if (process == NULL)
    return job_fail (job, error, _("qemu-img could not be run: %s"), local_error->message);

  out = g_subprocess_get_stdout_pipe (process);
  while ((n = g_input_stream_read (out, buf, sizeof buf - 1, cancellable, &local_error)) > 0)
    {
      char *open_paren;

      buf[n] = '\0';
      g_string_append (output, buf);
      /* The last complete "(x/100%)" is where it is. */
      if ((open_paren = strrchr (output->str, '(')) != NULL && strchr (open_paren, '%') != NULL)
        job_report (job, g_ascii_strtod (open_paren + 1, NULL) / 100.0, NULL);
      if (output->len > 4096)
        g_string_erase (output, 0, output->len - 1024);
    }
  if (n < 0)
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return job_fail (job, error, "%s", local_error->message);
    }
  if (!g_subprocess_wait_check (process, cancellable, &local_error))
    {
      g_autofree char *tail = g_strstrip (g_strdup (output->str));

      return job_fail (job, error, _("qemu-img could not convert the image: %s"),
                       tail[0] ? tail : local_error->message);
    }

  virStoragePoolRefresh (job->pool, 0);
  virResetLastError ();
  g_free (spec->import_converted_path);
  spec->import_converted_path = g_steal_pointer (&target);
  job_report (job, 1, NULL);
  return TRUE;
}

static gboolean
step_disk (Job           *job,
           GCancellable  *cancellable,
           GError       **error)
{
  HangarDomainSpec *spec = job->spec;
  g_autoptr(GVirConfigStorageVol) config = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *xml = NULL;
  char *path;

  job_enter (job, HANGAR_VM_CREATOR_STEP_DISK);
  if (!job_check (job, cancellable, error))
    return FALSE;

  name = unique_volume_name (job, spec->name, spec->disk_format == HANGAR_DISK_FORMAT_RAW
                                              ? ".img" : ".qcow2");
  g_free (spec->disk_path);
  spec->disk_path = g_build_filename (job->pool_path, name, NULL);
  if ((config = hangar_domain_builder_build_volume (spec, &local_error)) == NULL)
    return job_fail (job, error, "%s", local_error->message);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  if ((path = create_volume (job, xml, error)) == NULL)
    return FALSE;
  g_free (spec->disk_path);
  spec->disk_path = path;
  return TRUE;
}

static gboolean
step_network (Job           *job,
              GCancellable  *cancellable,
              GError       **error)
{
  virNetworkPtr net;
  int active;

  job_enter (job, HANGAR_VM_CREATOR_STEP_NETWORK);
  if (!job_check (job, cancellable, error))
    return FALSE;

  if ((net = virNetworkLookupByName (job->conn, job->spec->network_source)) == NULL)
    return job_fail (job, error, _("The virtual network “%s” does not exist."),
                     job->spec->network_source);
  active = virNetworkIsActive (net);
  if (active != 1 && virNetworkCreate (net) < 0)
    {
      virNetworkFree (net);
      return job_fail_libvirt (job, error);
    }
  virNetworkFree (net);
  return TRUE;
}

static gboolean
step_define (Job           *job,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *xml = NULL;
  HangarBuildStage stage = HANGAR_BUILD_STAGE_FINAL;
  virDomainPtr dom;

  job_enter (job, HANGAR_VM_CREATOR_STEP_DEFINE);
  if (!job_check (job, cancellable, error))
    return FALSE;

  /* A network install to be customised first keeps its installer boot:
   * the final definition has no kernel to start it with. */
  if (!job->start && job->spec->install_method == HANGAR_INSTALL_TREE)
    stage = HANGAR_BUILD_STAGE_INSTALL;
  if ((xml = hangar_domain_builder_to_xml (job->spec, stage, &local_error)) == NULL)
    return job_fail (job, error, "%s", local_error->message);
  g_debug ("Defining:\n%s", xml);
  if ((dom = virDomainDefineXML (job->conn, xml)) == NULL)
    return job_fail_libvirt (job, error);
  job_remember (job, UNDO_DOMAIN, job->spec->uuid);
  virDomainFree (dom);
  return TRUE;
}

static gboolean
step_start (Job           *job,
            GCancellable  *cancellable,
            GError       **error)
{
  const HangarDomainSpec *spec = job->spec;
  virDomainPtr dom = NULL;

  job_enter (job, HANGAR_VM_CREATOR_STEP_START);
  if (!job_check (job, cancellable, error))
    return FALSE;

  if (spec->install_method == HANGAR_INSTALL_ISO || spec->install_method == HANGAR_INSTALL_TREE ||
      spec->install_method == HANGAR_INSTALL_PXE)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *xml = hangar_domain_builder_to_xml (spec, HANGAR_BUILD_STAGE_INSTALL,
                                                           &local_error);

      if (xml == NULL)
        return job_fail (job, error, "%s", local_error->message);
      /* The install boot runs once, with the same name and UUID as the
       * definition, which takes over when the installer reboots. */
      dom = virDomainCreateXML (job->conn, xml, 0);
    }
  else if ((dom = virDomainLookupByUUIDString (job->conn, spec->uuid)) != NULL &&
           virDomainCreate (dom) < 0)
    g_clear_pointer (&dom, virDomainFree);

  if (dom == NULL)
    return job_fail_libvirt (job, error);
  virDomainFree (dom);
  return TRUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  HangarDomainSpec *spec = job->spec;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  job_enter (job, HANGAR_VM_CREATOR_STEP_PREPARE);
  ok = job_check (job, cancellable, &error);

  if (ok && job_needs_pool (job))
    ok = step_pool (job, cancellable, &error);
  if (ok && spec->install_method == HANGAR_INSTALL_TREE)
    ok = step_download (job, cancellable, &error);
  if (ok && spec->install_method == HANGAR_INSTALL_IMPORT &&
      hangar_disk_format_needs_conversion (spec->import_format))
    ok = step_convert (job, cancellable, &error);
  if (ok && spec->install_method != HANGAR_INSTALL_IMPORT && spec->disk_mode == HANGAR_DISK_NEW)
    ok = step_disk (job, cancellable, &error);
  if (ok && spec->network_mode == HANGAR_NETWORK_VIRTUAL)
    ok = step_network (job, cancellable, &error);
  if (ok)
    ok = step_define (job, cancellable, &error);
  if (ok && job->start)
    ok = step_start (job, cancellable, &error);

  if (!ok)
    {
      job_undo (job);
      job_report (job, 0, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* QEMU read the installer's kernel and initrd when it started: they
   * are not needed again (the install boot ends at the first reboot). */
  if (job->start && spec->install_method == HANGAR_INSTALL_TREE)
    {
      for (guint i = 0; i < job->undo->len; i++)
        {
          Undo *undo = &g_array_index (job->undo, Undo, i);

          if (undo->kind == UNDO_VOLUME && (g_strcmp0 (undo->what, spec->kernel_path) == 0 ||
                                            g_strcmp0 (undo->what, spec->initrd_path) == 0))
            {
              virStorageVolPtr vol = virStorageVolLookupByPath (job->conn, undo->what);

              if (vol != NULL)
                {
                  virStorageVolDelete (vol, 0);
                  virStorageVolFree (vol);
                }
              virResetLastError ();
            }
        }
    }

  job->current = G_N_ELEMENTS (job->weights) - 1;
  job_report (job, 1, job->start ? _("The machine is running") : _("The machine is ready"));
  g_task_return_pointer (task, g_strdup (spec->uuid), g_free);
}

/* --- object ------------------------------------------------------------------ */

static void
hangar_vm_creator_finalize (GObject *object)
{
  HangarVmCreator *self = HANGAR_VM_CREATOR (object);

  g_clear_object (&self->connection);
  hangar_domain_spec_free (self->spec);
  g_free (self->pool_name);
  g_free (self->step);

  G_OBJECT_CLASS (hangar_vm_creator_parent_class)->finalize (object);
}

static void
hangar_vm_creator_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HangarVmCreator *self = HANGAR_VM_CREATOR (object);

  switch (prop_id)
    {
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_STEP:
      g_value_set_string (value, self->step);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_vm_creator_class_init (HangarVmCreatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hangar_vm_creator_finalize;
  object_class->get_property = hangar_vm_creator_get_property;

  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_string ("step", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hangar_vm_creator_init (HangarVmCreator *self)
{
  self->pool_name = g_strdup (HANGAR_DEFAULT_POOL);
  self->start = TRUE;
}

/**
 * hangar_vm_creator_new:
 * @connection: where the machine goes
 * @spec: the choices, with the host's capabilities; copied
 *
 * Returns: (transfer full): a creator, to run once
 */
HangarVmCreator *
hangar_vm_creator_new (HangarConnection       *connection,
                       const HangarDomainSpec *spec)
{
  HangarVmCreator *self;

  g_return_val_if_fail (HANGAR_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  self = g_object_new (HANGAR_TYPE_VM_CREATOR, NULL);
  self->connection = g_object_ref (connection);
  self->spec = hangar_domain_spec_copy (spec);
  return self;
}

/**
 * hangar_vm_creator_set_pool_name:
 * @pool_name: (nullable): the pool for new disks, downloads and converted
 *   images; %NULL for the default pool, made when missing
 */
void
hangar_vm_creator_set_pool_name (HangarVmCreator *self,
                                 const char      *pool_name)
{
  g_return_if_fail (HANGAR_IS_VM_CREATOR (self));

  g_free (self->pool_name);
  self->pool_name = g_strdup (pool_name ? pool_name : HANGAR_DEFAULT_POOL);
}

/**
 * hangar_vm_creator_set_start:
 * @start: %FALSE to define the machine without starting it
 *   (“Customize configuration before install”)
 */
void
hangar_vm_creator_set_start (HangarVmCreator *self,
                             gboolean         start)
{
  g_return_if_fail (HANGAR_IS_VM_CREATOR (self));

  self->start = !!start;
}

double
hangar_vm_creator_get_progress (HangarVmCreator *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CREATOR (self), 0);
  return self->progress;
}

const char *
hangar_vm_creator_get_step (HangarVmCreator *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CREATOR (self), NULL);
  return self->step;
}

gboolean
hangar_vm_creator_get_running (HangarVmCreator *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CREATOR (self), FALSE);
  return self->running;
}

static void
set_running (HangarVmCreator *self,
             gboolean         running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  HangarVmCreator *self = HANGAR_VM_CREATOR (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  char *uuid = g_task_propagate_pointer (G_TASK (result), &error);
  Job *job = g_task_get_task_data (G_TASK (result));

  /* The job may be freed on the worker's thread: drop its reference to
   * this object here. */
  g_clear_object (&job->self);
  set_running (self, FALSE);
  if (uuid == NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_pointer (outer, uuid, g_free);
}

/**
 * hangar_vm_creator_run_async:
 *
 * Creates the machine in a worker thread; progress arrives through the
 * “progress” and “step” properties. On failure or cancellation, what was
 * made is removed before @callback runs.
 */
void
hangar_vm_creator_run_async (HangarVmCreator     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Job *job;

  g_return_if_fail (HANGAR_IS_VM_CREATOR (self));
  g_return_if_fail (!self->running);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, hangar_vm_creator_run_async);
  /* A machine made before the cancellation counted is a success: the
   * caller must hear of it, not lose it. */
  g_task_set_check_cancellable (outer, FALSE);

  job = g_new0 (Job, 1);
  job->conn = _hangar_connection_dup_handle (self->connection, &error);
  if (job->conn == NULL)
    {
      g_free (job);
      g_task_return_new_error (outer, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_PREPARE,
                               "%s", error->message);
      return;
    }
  job->self = g_object_ref (self);
  job->context = g_main_context_ref_thread_default ();
  job->spec = hangar_domain_spec_copy (self->spec);
  job->pool_name = g_strdup (self->pool_name);
  job->start = self->start;
  job->local = hangar_connection_is_local (self->connection);
  job->undo = g_array_new (FALSE, TRUE, sizeof (Undo));
  g_array_set_clear_func (job->undo, (GDestroyNotify) undo_clear);
  job->fail_at = g_strdup (g_getenv (FAIL_AT_ENV));
  if (job->spec->uuid == NULL)
    job->spec->uuid = g_uuid_string_random ();
  if (g_strcmp0 (g_getenv (FORCE_EMULATION_ENV), "1") == 0)
    job->spec->force_emulation = TRUE;

  job->weights[HANGAR_VM_CREATOR_STEP_PREPARE] = 0.02;
  job->weights[HANGAR_VM_CREATOR_STEP_POOL] = job_needs_pool (job) ? 0.08 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_DOWNLOAD] =
    job->spec->install_method == HANGAR_INSTALL_TREE ? 0.6 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_CONVERT] =
    job->spec->install_method == HANGAR_INSTALL_IMPORT &&
    hangar_disk_format_needs_conversion (job->spec->import_format) ? 0.7 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_DISK] =
    job->spec->install_method != HANGAR_INSTALL_IMPORT &&
    job->spec->disk_mode == HANGAR_DISK_NEW ? 0.15 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_NETWORK] =
    job->spec->network_mode == HANGAR_NETWORK_VIRTUAL ? 0.05 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_DEFINE] = 0.1;
  job->weights[HANGAR_VM_CREATOR_STEP_START] = job->start ? 0.2 : 0;

  set_running (self, TRUE);
  task = g_task_new (self, cancellable, on_run_done, g_steal_pointer (&outer));
  g_task_set_source_tag (task, run_thread);
  /* The worker runs to its end (undoing what it made) even when the
   * caller cancels: cancellation is checked between and inside steps. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, run_thread);
}

/**
 * hangar_vm_creator_run_finish:
 *
 * Returns: (transfer full): the new machine's UUID, or %NULL with @error
 *   set: its code is the #HangarVmCreatorStep that failed (or
 *   %G_IO_ERROR_CANCELLED)
 */
char *
hangar_vm_creator_run_finish (HangarVmCreator  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
