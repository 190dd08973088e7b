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

#include "hangar-connection-job.h"
#include "hangar-domain-builder.h"
#include "hangar-host-info.h"
#include "hangar-os.h"
#include "hangar-vm-creator-private.h"

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
  HangarExpressConfig *express;

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
  "prepare", "pool", "download", "express", "convert", "disk", "network", "define", "start",
};
G_STATIC_ASSERT (G_N_ELEMENTS (step_names) == HANGAR_VM_CREATOR_STEP_START + 1);

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
    case HANGAR_VM_CREATOR_STEP_EXPRESS:
      return _("Preparing the automatic installation");
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

typedef struct
{
  UndoKind  kind;
  char     *what;
} Undo;

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
  g_assert (job->pool == NULL && job->conn == NULL);
  hangar_domain_spec_free (job->spec);
  g_free (job->pool_name);
  g_free (job->pool_path);
  hangar_express_config_free (job->express);
  g_array_unref (job->undo);
  g_free (job->fail_at);
  g_free (job);
}

void
_hangar_vm_creator_job_remember (Job        *job,
                                 UndoKind    kind,
                                 const char *what)
{
  Undo undo = { kind, g_strdup (what) };

  g_array_append_val (job->undo, undo);
}

void
_hangar_vm_creator_job_forget (Job        *job,
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
void
_hangar_vm_creator_job_report (Job        *job,
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

void
_hangar_vm_creator_job_enter (Job                 *job,
                              HangarVmCreatorStep  step)
{
  job->current = step;
  _hangar_vm_creator_job_report (job, 0, hangar_vm_creator_step_describe (step));
}

gboolean
_hangar_vm_creator_job_fail (Job         *job,
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

gboolean
_hangar_vm_creator_job_fail_libvirt (Job     *job,
                                     GError **error)
{
  const char *message = virGetLastErrorMessage ();
  gboolean ret = _hangar_vm_creator_job_fail (job, error, "%s",
                                              message ? message : _("Unknown error"));

  virResetLastError ();
  return ret;
}

/* The test hook: fails the current step when asked to. */
gboolean
_hangar_vm_creator_job_check (Job           *job,
                              GCancellable  *cancellable,
                              GError       **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (job->fail_at != NULL && g_str_equal (job->fail_at, step_names[job->current]))
    return _hangar_vm_creator_job_fail (job, error, _("The step was made to fail for a test."));
  return TRUE;
}

static void
run_steps (GTask        *task,
           Job          *job,
           GCancellable *cancellable)
{
  HangarDomainSpec *spec = job->spec;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  _hangar_vm_creator_job_enter (job, HANGAR_VM_CREATOR_STEP_PREPARE);
  ok = _hangar_vm_creator_job_check (job, cancellable, &error);

  if (ok && spec->install_method == HANGAR_INSTALL_IMPORT)
    ok = _hangar_vm_creator_step_inspect (job, cancellable, &error);
  if (ok && _hangar_vm_creator_job_needs_pool (job))
    ok = _hangar_vm_creator_step_pool (job, cancellable, &error);
  if (ok && spec->install_method == HANGAR_INSTALL_TREE)
    ok = _hangar_vm_creator_step_download (job, cancellable, &error);
  if (ok && job->express != NULL)
    ok = _hangar_vm_creator_step_express (job, cancellable, &error);
  if (ok && spec->install_method == HANGAR_INSTALL_IMPORT &&
      hangar_disk_format_needs_conversion (spec->import_format))
    ok = _hangar_vm_creator_step_convert (job, cancellable, &error);
  if (ok && spec->install_method == HANGAR_INSTALL_CLOUD)
    ok = _hangar_vm_creator_step_cloud (job, cancellable, &error);
  if (ok && spec->install_method != HANGAR_INSTALL_IMPORT &&
      spec->install_method != HANGAR_INSTALL_CLOUD && spec->disk_mode == HANGAR_DISK_NEW)
    ok = _hangar_vm_creator_step_disk (job, cancellable, &error);
  if (ok && spec->network_mode == HANGAR_NETWORK_VIRTUAL)
    ok = _hangar_vm_creator_step_network (job, cancellable, &error);
  if (ok)
    ok = _hangar_vm_creator_step_define (job, cancellable, &error);
  if (ok && job->start)
    ok = _hangar_vm_creator_step_start (job, cancellable, &error);

  if (!ok)
    {
      job_undo (job);
      _hangar_vm_creator_job_report (job, 0, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* QEMU read the installer's kernel and initrd when it started: they
   * are not needed again (the install boot ends at the first reboot).
   * An express install's initrd holds the passwords: it goes now, not
   * when the install ends, so Hangar need not be running then. */
  if (job->start && (spec->install_method == HANGAR_INSTALL_TREE || job->express != NULL))
    {
      for (guint i = 0; i < job->undo->len; i++)
        {
          Undo *undo = &g_array_index (job->undo, Undo, i);

          if (undo->kind == UNDO_VOLUME && (g_strcmp0 (undo->what, spec->kernel_path) == 0 ||
                                            g_strcmp0 (undo->what, spec->initrd_path) == 0 ||
                                            g_strcmp0 (undo->what, spec->answers_iso_path) == 0))
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
  _hangar_vm_creator_job_report (job, 1, job->start ? _("The machine is running")
                                                   : _("The machine is ready"));
  g_task_return_pointer (task, g_strdup (spec->uuid), g_free);
}

static void
run_thread (GTask         *task,
            virConnectPtr  conn,
            gpointer       task_data,
            GCancellable  *cancellable)
{
  Job *job = task_data;

  job->ran = TRUE;
  job->conn = conn;
  run_steps (task, job, cancellable);
  /* The pool holds a reference to the handle too: it goes in this thread
   * with the job's own, which the runner gives back. */
  g_clear_pointer (&job->pool, virStoragePoolFree);
  job->conn = NULL;
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
  hangar_express_config_free (self->express);

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

/**
 * hangar_vm_creator_set_express:
 * @config: (nullable): the answers for an express (unattended) install of
 *   the spec's ISO, copied; %NULL for a normal install
 */
void
hangar_vm_creator_set_express (HangarVmCreator           *self,
                               const HangarExpressConfig *config)
{
  g_return_if_fail (HANGAR_IS_VM_CREATOR (self));

  hangar_express_config_free (self->express);
  self->express = config ? hangar_express_config_copy (config) : NULL;
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
  /* Never started: the host was not connected. */
  if (!job->ran)
    g_task_return_new_error (outer, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_PREPARE,
                             "%s", error->message);
  else if (uuid == NULL)
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
  Job *job;

  g_return_if_fail (HANGAR_IS_VM_CREATOR (self));
  g_return_if_fail (!self->running);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, hangar_vm_creator_run_async);
  /* A machine made before the cancellation counted is a success: the
   * caller must hear of it, not lose it. */
  g_task_set_check_cancellable (outer, FALSE);

  job = g_new0 (Job, 1);
  job->self = g_object_ref (self);
  job->context = g_main_context_ref_thread_default ();
  job->spec = hangar_domain_spec_copy (self->spec);
  job->pool_name = g_strdup (self->pool_name);
  job->start = self->start;
  job->express = self->express ? hangar_express_config_copy (self->express) : NULL;
  job->local = hangar_connection_is_local (self->connection);
  job->undo = g_array_new (FALSE, TRUE, sizeof (Undo));
  g_array_set_clear_func (job->undo, (GDestroyNotify) undo_clear);
#if HANGAR_TEST_HOOKS
  job->fail_at = g_strdup (g_getenv (FAIL_AT_ENV));
  if (g_strcmp0 (g_getenv (FORCE_EMULATION_ENV), "1") == 0)
    job->spec->force_emulation = TRUE;
#endif
  if (job->spec->uuid == NULL)
    job->spec->uuid = g_uuid_string_random ();

  job->weights[HANGAR_VM_CREATOR_STEP_PREPARE] = 0.02;
  job->weights[HANGAR_VM_CREATOR_STEP_POOL] = _hangar_vm_creator_job_needs_pool (job) ? 0.08 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_DOWNLOAD] =
    job->spec->install_method == HANGAR_INSTALL_TREE ? 0.6 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_EXPRESS] = job->express != NULL ? 0.4 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_CONVERT] =
    (job->spec->install_method == HANGAR_INSTALL_IMPORT &&
     hangar_disk_format_needs_conversion (job->spec->import_format)) ||
    job->spec->install_method == HANGAR_INSTALL_CLOUD ? 0.7 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_DISK] =
    job->spec->install_method != HANGAR_INSTALL_IMPORT &&
    (job->spec->disk_mode == HANGAR_DISK_NEW ||
     job->spec->install_method == HANGAR_INSTALL_CLOUD) ? 0.15 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_NETWORK] =
    job->spec->network_mode == HANGAR_NETWORK_VIRTUAL ? 0.05 : 0;
  job->weights[HANGAR_VM_CREATOR_STEP_DEFINE] = 0.1;
  job->weights[HANGAR_VM_CREATOR_STEP_START] = job->start ? 0.2 : 0;

  task = g_task_new (self, cancellable, on_run_done, g_steal_pointer (&outer));
  g_task_set_source_tag (task, run_thread);
  /* The worker runs to its end (undoing what it made) even when the
   * caller cancels: cancellation is checked between and inside steps. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  if (hangar_connection_run_job (self->connection, task, run_thread))
    set_running (self, TRUE);
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

