/* hangar-vm-clone.c — a copy of a shut-off machine, its writable disks copied.
 *
 * Everything runs in one worker with its own reference to the connection.
 * The plan (which disk is copied, which shared) is decided from the
 * inactive XML: removable media, read-only and shareable disks stay
 * shared; every other disk must be a storage pool volume, copied into the
 * same pool with virStorageVolCreateXMLFrom. A writable disk outside any
 * pool refuses the clone before anything is created: copying files behind
 * libvirt's back would not work on a remote host, and the copy would be
 * invisible to the pool.
 *
 * While a copy runs in a second thread, the worker reads the new volume's
 * allocation against the source's, and reports progress on the caller's
 * main context. A failure or a cancel deletes every volume made so far,
 * and the definition is the last step, so nothing half-made remains.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-connection.h"
#include "hangar-connection-job.h"
#include "hangar-name.h"
#include "hangar-vm.h"
#include "hangar-vm-clone.h"
#include "hangar-vm-clone-identity.h"
#include "hangar-vm-job-private.h"
#include "hangar-xml.h"

#define POLL_INTERVAL_US (200 * 1000)

void
hangar_clone_disk_free (HangarCloneDisk *disk)
{
  if (disk == NULL)
    return;
  g_free (disk->target);
  g_free (disk->path);
  g_free (disk->pool);
  g_free (disk->reason);
  g_free (disk);
}

/* --- names ----------------------------------------------------------------- */

/**
 * hangar_vm_clone_existing_names:
 *
 * Returns: (transfer full): the names of the machines on @vm's connection
 */
char **
hangar_vm_clone_existing_names (HangarVm *vm)
{
  HangarConnection *connection;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (HANGAR_IS_VM (vm), NULL);

  connection = hangar_vm_get_connection (vm);
  for (guint i = 0; connection && i < g_list_model_get_n_items (G_LIST_MODEL (connection)); i++)
    {
      g_autoptr(HangarVm) other = g_list_model_get_item (G_LIST_MODEL (connection), i);

      g_strv_builder_add (builder, hangar_vm_get_name (other));
    }
  return g_strv_builder_end (builder);
}

/**
 * hangar_vm_clone_suggest_name:
 *
 * “NAME-clone”, then “NAME-clone-2”, “NAME-clone-3”… whichever is free
 * first.
 *
 * Returns: (transfer full): the suggestion
 */
char *
hangar_vm_clone_suggest_name (HangarVm *vm)
{
  g_auto(GStrv) existing = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (HANGAR_IS_VM (vm), NULL);

  existing = hangar_vm_clone_existing_names (vm);
  base = g_strdup_printf ("%s-clone", hangar_vm_get_name (vm));
  if (!g_strv_contains ((const char * const *) existing, base))
    return g_steal_pointer (&base);
  for (guint i = 2; ; i++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s-%u", base, i);

      if (!g_strv_contains ((const char * const *) existing, candidate))
        return g_steal_pointer (&candidate);
    }
}

gboolean
hangar_vm_clone_validate_name (HangarVm    *vm,
                               const char  *name,
                               GError     **error)
{
  g_auto(GStrv) existing = NULL;

  g_return_val_if_fail (HANGAR_IS_VM (vm), FALSE);

  existing = hangar_vm_clone_existing_names (vm);
  return hangar_name_validate_new (name, (const char * const *) existing, error);
}

/* --- the plan ---------------------------------------------------------------- */

typedef struct
{
  HangarCloneDisk  *disk;
  xmlNode          *node;
  virStorageVolPtr  source;   /* for COPY */
} PlannedDisk;

static void
planned_disk_free (PlannedDisk *planned)
{
  hangar_clone_disk_free (planned->disk);
  g_clear_pointer (&planned->source, virStorageVolFree);
  g_free (planned);
}

static virStorageVolPtr
lookup_volume (virConnectPtr  conn,
               xmlNode       *source,
               const char    *type,
               const char    *path)
{
  virStorageVolPtr vol = NULL;

  if (g_strcmp0 (type, "volume") == 0)
    {
      g_autofree char *pool_name = hangar_xml_attr (source, "pool");
      g_autofree char *vol_name = hangar_xml_attr (source, "volume");
      virStoragePoolPtr pool = pool_name ? virStoragePoolLookupByName (conn, pool_name) : NULL;

      if (pool != NULL)
        {
          vol = vol_name ? virStorageVolLookupByName (pool, vol_name) : NULL;
          virStoragePoolFree (pool);
        }
    }
  else if (path != NULL)
    vol = virStorageVolLookupByPath (conn, path);
  virResetLastError ();
  return vol;
}

static PlannedDisk *
plan_disk (virConnectPtr  conn,
           xmlDoc        *doc,
           xmlNode       *node)
{
  PlannedDisk *planned = g_new0 (PlannedDisk, 1);
  HangarCloneDisk *disk = g_new0 (HangarCloneDisk, 1);
  xmlNode *source = hangar_xml_node (doc, node, "source");
  g_autofree char *type = hangar_xml_attr (node, "type");
  g_autofree char *device = hangar_xml_attr (node, "device");
  virStoragePoolPtr pool;
  virStorageVolInfo info;

  planned->disk = disk;
  planned->node = node;
  disk->target = hangar_xml_attr (hangar_xml_node (doc, node, "target"), "dev");
  disk->path = hangar_xml_attr (source, "file");
  if (disk->path == NULL)
    disk->path = hangar_xml_attr (source, "dev");
  if (disk->path == NULL && g_strcmp0 (type, "volume") == 0 && source != NULL)
    {
      g_autofree char *pool_name = hangar_xml_attr (source, "pool");
      g_autofree char *vol_name = hangar_xml_attr (source, "volume");

      if (pool_name && vol_name)
        disk->path = g_strdup_printf ("%s/%s", pool_name, vol_name);
    }
  if (disk->target == NULL)
    disk->target = g_strdup ("?");

  disk->action = HANGAR_CLONE_DISK_SHARE;
  if (g_strcmp0 (device, "cdrom") == 0 || g_strcmp0 (device, "floppy") == 0)
    {
      disk->reason = g_strdup (_("Removable media, shared"));
      return planned;
    }
  if (disk->path == NULL)
    {
      disk->reason = g_strdup (_("Empty, nothing to copy"));
      return planned;
    }
  if (hangar_xml_node (doc, node, "readonly") != NULL)
    {
      disk->reason = g_strdup (_("Read-only, shared"));
      return planned;
    }
  if (hangar_xml_node (doc, node, "shareable") != NULL)
    {
      disk->reason = g_strdup (_("Shareable, shared"));
      return planned;
    }

  disk->action = HANGAR_CLONE_DISK_REFUSE;
  if (g_strcmp0 (type, "network") == 0)
    {
      disk->reason = g_strdup_printf (_("Disk %s is on the network: Hangar cannot copy it."),
                                      disk->target);
      return planned;
    }
  planned->source = lookup_volume (conn, source, type, disk->path);
  if (planned->source == NULL
      || (pool = virStoragePoolLookupByVolume (planned->source)) == NULL)
    {
      virResetLastError ();
      disk->reason = g_strdup_printf (_("Disk %s (%s) is not in a storage pool, so it cannot be "
                                        "copied. Add its folder as a storage pool first."),
                                      disk->target, disk->path);
      return planned;
    }
  disk->pool = g_strdup (virStoragePoolGetName (pool));
  virStoragePoolFree (pool);
  if (virStorageVolGetInfo (planned->source, &info) == 0)
    disk->size = info.allocation > 0 ? info.allocation : info.capacity;
  virResetLastError ();
  disk->action = HANGAR_CLONE_DISK_COPY;
  /* Translators: %s is a storage pool's name */
  disk->reason = g_strdup_printf (_("Copied into pool %s"), disk->pool);
  return planned;
}

static GPtrArray *
plan_disks (virConnectPtr conn,
            xmlDoc       *doc)
{
  g_autoptr(GPtrArray) nodes = hangar_xml_nodes (doc, NULL, "/domain/devices/disk");
  GPtrArray *plan = g_ptr_array_new_with_free_func ((GDestroyNotify) planned_disk_free);

  for (guint i = 0; i < nodes->len; i++)
    g_ptr_array_add (plan, plan_disk (conn, doc, g_ptr_array_index (nodes, i)));
  return plan;
}

/* --- the job ----------------------------------------------------------------- */

typedef struct
{
  HangarCloneProgressFunc func;
  gpointer                data;
  GDestroyNotify          destroy;
} ProgressSink;

static void
progress_sink_clear (ProgressSink *sink)
{
  if (sink->destroy != NULL)
    sink->destroy (sink->data);
}

typedef struct
{
  ProgressSink *sink;   /* a reference (g_rc_box) */
  char         *target;
  double        fraction;
} ProgressMessage;

static gboolean
progress_deliver (gpointer data)
{
  ProgressMessage *message = data;

  if (message->sink->func != NULL)
    message->sink->func (message->target, message->fraction, message->sink->data);
  return G_SOURCE_REMOVE;
}

static void
progress_message_free (gpointer data)
{
  ProgressMessage *message = data;

  g_rc_box_release_full (message->sink, (GDestroyNotify) progress_sink_clear);
  g_free (message->target);
  g_free (message);
}

typedef struct
{
  HangarVmJob    base;
  char          *new_name;
  GMainContext  *context;
  ProgressSink  *sink;
} Job;

static void
job_free (Job *job)
{
  _hangar_vm_job_clear (&job->base);
  g_free (job->new_name);
  g_clear_pointer (&job->context, g_main_context_unref);
  if (job->sink != NULL)
    g_rc_box_release_full (job->sink, (GDestroyNotify) progress_sink_clear);
  g_free (job);
}

static void
report (Job        *job,
        const char *target,
        double      fraction)
{
  ProgressMessage *message;

  if (job->sink == NULL)
    return;
  message = g_new0 (ProgressMessage, 1);
  message->sink = g_rc_box_acquire (job->sink);
  message->target = g_strdup (target);
  message->fraction = CLAMP (fraction, 0.0, 1.0);
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, progress_deliver, message,
                              progress_message_free);
}

/* Reads the inactive definition and the disk plan. */
static xmlDoc *
read_domain (Job           *job,
             gboolean       must_be_off,
             GPtrArray    **plan,
             char         **old_name,
             GError       **error)
{
  virDomainPtr dom = _hangar_vm_job_lookup_domain (&job->base, error);
  g_autofree char *xml = NULL;
  gboolean insecure = FALSE;
  xmlDoc *doc;
  int active;

  if (dom == NULL)
    return NULL;
  *old_name = g_strdup (virDomainGetName (dom));
  active = virDomainIsActive (dom);
  if (must_be_off && active != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("“%s” is running. Shut it down before cloning it."), *old_name);
      virDomainFree (dom);
      virResetLastError ();
      return NULL;
    }
#if HANGAR_TEST_HOOKS
  /* Tests stand in for a user whom libvirt's ACL denies read_secure. */
  if (g_getenv ("HANGAR_TEST_NO_SECURE_XML") == NULL)
#endif
    xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
  if (xml == NULL)
    {
      virResetLastError ();
      xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
      insecure = TRUE;
    }
  if (xml == NULL)
    {
      g_propagate_error (error,
                         hangar_libvirt_error_new (_("Could not read the machine's definition")));
      virDomainFree (dom);
      return NULL;
    }
  virDomainFree (dom);

  doc = hangar_xml_parse (xml, NULL);
  if (doc == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("libvirt gave a definition that is not well-formed XML."));
      return NULL;
    }
  /* libvirt leaves passwd= out of XML that is not secure: the clone's
   * displays would open without the password the original has. */
  if (insecure && hangar_xml_node (doc, NULL, "/domain/devices/graphics") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("libvirt does not let this connection read the display passwords of "
                     "“%s”, so its clone would have none. Clone it over a connection "
                     "allowed to read secure XML."), *old_name);
      xmlFreeDoc (doc);
      return NULL;
    }
  *plan = plan_disks (job->base.conn, doc);
  return doc;
}

static void
plan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *old_name = NULL;
  GError *error = NULL;
  GPtrArray *disks;

  doc = read_domain (job, FALSE, &plan, &old_name, &error);
  _hangar_vm_job_done (&job->base, NULL);
  if (doc == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  disks = g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_clone_disk_free);
  for (guint i = 0; i < plan->len; i++)
    {
      PlannedDisk *planned = g_ptr_array_index (plan, i);

      g_ptr_array_add (disks, g_steal_pointer (&planned->disk));
    }
  g_clear_pointer (&plan, g_ptr_array_unref);
  g_task_return_pointer (task, disks, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * hangar_vm_clone_plan_async:
 *
 * What a clone would do with each of @vm's disks, read in a worker.
 */
void
hangar_vm_clone_plan_async (HangarVm            *vm,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = g_new0 (Job, 1);
  _hangar_vm_job_run (vm, &job->base, (GDestroyNotify) job_free, cancellable, callback, user_data,
                      hangar_vm_clone_plan_async, plan_thread);
}

/**
 * hangar_vm_clone_plan_finish:
 *
 * Returns: (transfer container) (element-type HangarCloneDisk): the disks
 */
GPtrArray *
hangar_vm_clone_plan_finish (HangarVm      *vm,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, vm), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- copying ----------------------------------------------------------------- */

typedef struct
{
  virStoragePoolPtr pool;
  virStorageVolPtr  source;
  char             *xml;
  virStorageVolPtr  result;
  GError           *error;
} Copy;

static gpointer
copy_thread (gpointer data)
{
  Copy *copy = data;

  copy->result = virStorageVolCreateXMLFrom (copy->pool, copy->xml, copy->source, 0);
  if (copy->result == NULL)
    copy->error = hangar_libvirt_error_new (_("Could not copy the disk"));
  return NULL;
}

/* The new volume's name: the machine's name in it replaced, or put in front. */
static char *
copy_name (const char *volume,
           const char *old_name,
           const char *new_name)
{
  if (g_str_has_prefix (volume, old_name))
    return g_strconcat (new_name, volume + strlen (old_name), NULL);
  return g_strdup_printf ("%s-%s", new_name, volume);
}

static char *
volume_format (virStorageVolPtr vol)
{
  g_autofree char *xml = virStorageVolGetXMLDesc (vol, 0);
  g_autoptr(xmlDoc) doc = NULL;

  virResetLastError ();
  if (xml == NULL)
    return NULL;
  doc = hangar_xml_parse (xml, NULL);
  return doc ? hangar_xml_attr (hangar_xml_node (doc, NULL, "/volume/target/format"),
                                "type") : NULL;
}

/* Copies one volume, reporting progress; returns the new volume. */
static virStorageVolPtr
copy_volume (Job            *job,
             PlannedDisk    *planned,
             const char     *name,
             GError        **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByVolume (planned->source);
  g_autofree char *format = volume_format (planned->source);
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  GString *xml = g_string_new (NULL);
  virStorageVolInfo info = { 0 };
  Copy copy = { 0 };
  GThread *thread;

  if (pool == NULL)
    {
      g_propagate_error (error, hangar_libvirt_error_new (_("Could not find the disk's pool")));
      g_string_free (xml, TRUE);
      return NULL;
    }
  virStorageVolGetInfo (planned->source, &info);
  virResetLastError ();
  g_string_append_printf (xml, "<volume><name>%s</name>"
                          "<capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>",
                          escaped, (guint64) info.capacity);
  if (format != NULL)
    g_string_append_printf (xml, "<target><format type='%s'/></target>", format);
  g_string_append (xml, "</volume>");

  copy.pool = pool;
  copy.source = planned->source;
  copy.xml = g_string_free (xml, FALSE);
  report (job, planned->disk->target, 0.0);
  thread = g_thread_new ("hangar-clone-copy", copy_thread, &copy);

  /* The copy thread owns the call; this one watches the new volume grow. */
  while (!g_atomic_pointer_get (&copy.result) && !g_atomic_pointer_get (&copy.error))
    {
      virStorageVolPtr partial;
      virStorageVolInfo now;

      g_usleep (POLL_INTERVAL_US);
      partial = virStorageVolLookupByName (pool, name);
      if (partial != NULL && virStorageVolGetInfo (partial, &now) == 0 && planned->disk->size > 0)
        report (job, planned->disk->target, (double) now.allocation / planned->disk->size);
      g_clear_pointer (&partial, virStorageVolFree);
      virResetLastError ();
    }
  g_thread_join (thread);

  g_free (copy.xml);
  virStoragePoolFree (pool);
  if (copy.result == NULL)
    {
      g_propagate_error (error, copy.error);
      return NULL;
    }
  report (job, planned->disk->target, 1.0);
  return copy.result;
}

static void
point_disk_at (xmlDoc           *doc,
               PlannedDisk      *planned,
               virStorageVolPtr  vol)
{
  xmlNode *source = hangar_xml_node (doc, planned->node, "source");
  g_autofree char *type = hangar_xml_attr (planned->node, "type");
  g_autofree char *path = virStorageVolGetPath (vol);

  virResetLastError ();
  if (g_strcmp0 (type, "volume") == 0)
    xmlSetProp (source, BAD_CAST "volume", BAD_CAST virStorageVolGetName (vol));
  else if (g_strcmp0 (type, "block") == 0)
    xmlSetProp (source, BAD_CAST "dev", BAD_CAST path);
  else
    xmlSetProp (source, BAD_CAST "file", BAD_CAST path);
}

static void
delete_volumes (GPtrArray *created)
{
  for (guint i = 0; i < created->len; i++)
    {
      virStorageVolPtr vol = g_ptr_array_index (created, i);

      if (virStorageVolDelete (vol, 0) < 0)
        {
          g_warning ("Could not remove the partial copy %s", virStorageVolGetName (vol));
          virResetLastError ();
        }
    }
}

static gboolean
check_free_names (Job         *job,
                  GPtrArray   *plan,
                  GPtrArray   *names,
                  GError     **error)
{
  for (guint i = 0; i < plan->len; i++)
    {
      PlannedDisk *planned = g_ptr_array_index (plan, i);
      virStoragePoolPtr pool;
      virStorageVolPtr taken;

      if (planned->disk->action != HANGAR_CLONE_DISK_COPY)
        continue;
      pool = virStoragePoolLookupByVolume (planned->source);
      taken = pool ? virStorageVolLookupByName (pool, g_ptr_array_index (names, i)) : NULL;
      virResetLastError ();
      g_clear_pointer (&pool, virStoragePoolFree);
      if (taken != NULL)
        {
          virStorageVolFree (taken);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("Pool “%s” already has a volume called “%s”. Choose another name for "
                         "the clone, or remove that volume."),
                       planned->disk->pool, (const char *) g_ptr_array_index (names, i));
          return FALSE;
        }
    }
  return TRUE;
}

static char *
clone_worker (Job           *job,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func ((GDestroyNotify) virStorageVolFree);
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *old_name = NULL;
  g_autofree char *xml = NULL;
  HangarCloneNvram nvram = { 0 };
  xmlChar *buf = NULL;
  int len = 0;
  virDomainPtr dom;

  doc = read_domain (job, TRUE, &plan, &old_name, error);
  if (doc == NULL)
    return NULL;

  dom = virDomainLookupByName (job->base.conn, job->new_name);
  virResetLastError ();
  if (dom != NULL)
    {
      virDomainFree (dom);
      g_set_error (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_TAKEN,
                   _("There is already a machine called “%s” on this connection."), job->new_name);
      return NULL;
    }

  /* Everything that can refuse does so before the first copy. */
  for (guint i = 0; i < plan->len; i++)
    {
      PlannedDisk *planned = g_ptr_array_index (plan, i);

      if (planned->disk->action == HANGAR_CLONE_DISK_REFUSE)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, planned->disk->reason);
          return NULL;
        }
      g_ptr_array_add (names, planned->disk->action == HANGAR_CLONE_DISK_COPY
                              ? copy_name (virStorageVolGetName (planned->source), old_name,
                                           job->new_name)
                              : NULL);
    }
  if (!check_free_names (job, plan, names, error))
    return NULL;
  /* The UEFI variables first: a taken or uncopyable file refuses the
   * clone before any disk is copied. */
  if (!_hangar_vm_clone_copy_nvram (job->base.conn, doc, job->new_name, &nvram, error))
    return NULL;

  for (guint i = 0; i < plan->len; i++)
    {
      PlannedDisk *planned = g_ptr_array_index (plan, i);
      virStorageVolPtr vol;

      if (planned->disk->action != HANGAR_CLONE_DISK_COPY)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      vol = copy_volume (job, planned, g_ptr_array_index (names, i), error);
      if (vol == NULL)
        goto fail;
      g_ptr_array_add (created, vol);
      point_disk_at (doc, planned, vol);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  /* A new identity: libvirt makes a UUID and MAC addresses; the NVRAM
   * copy is named above, and fixed console ports would clash. */
  xmlNodeSetContent (hangar_xml_node (doc, NULL, "/domain/name"), BAD_CAST job->new_name);
  hangar_xml_remove_nodes (doc, "/domain/uuid");
  hangar_xml_remove_nodes (doc, "/domain/devices/interface/mac");
  _hangar_vm_clone_free_graphics_ports (doc);
  xmlDocDumpMemory (doc, &buf, &len);
  xml = g_strndup ((const char *) buf, len);
  xmlFree (buf);

#if HANGAR_TEST_HOOKS
  /* Lets the tests see that a late failure leaves nothing behind. */
  if (g_strcmp0 (g_getenv ("HANGAR_TEST_CLONE_FAIL"), "define") == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Injected failure before define");
      goto fail;
    }
#endif
  dom = virDomainDefineXMLFlags (job->base.conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (dom == NULL)
    {
      g_propagate_error (error, hangar_libvirt_error_new (_("Could not define the clone")));
      goto fail;
    }
  virDomainFree (dom);
  _hangar_vm_clone_clear_nvram (&nvram);
  return g_strdup (job->new_name);

fail:
  delete_volumes (created);
  _hangar_vm_clone_undo_nvram (&nvram);
  return NULL;
}

static void
clone_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  char *name = clone_worker (job, cancellable, &error);

  _hangar_vm_job_done (&job->base, NULL);
  if (name == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, name, g_free);
}

/**
 * hangar_vm_clone_async:
 * @vm: a shut-off machine
 * @new_name: the clone's name
 * @progress: (nullable) (scope notified): told how far each copy is
 * @cancellable: a cancel stops after the disk being copied, and removes the copies
 *
 * Copies @vm's writable disks into their pools and defines the copy with a
 * new UUID and new MAC addresses.
 */
void
hangar_vm_clone_async (HangarVm                *vm,
                       const char              *new_name,
                       HangarCloneProgressFunc  progress,
                       gpointer                 progress_data,
                       GDestroyNotify           progress_destroy,
                       GCancellable            *cancellable,
                       GAsyncReadyCallback      callback,
                       gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));
  g_return_if_fail (new_name != NULL);

  task = g_task_new (vm, cancellable, callback, user_data);
  g_task_set_source_tag (task, hangar_vm_clone_async);
  g_task_set_return_on_cancel (task, FALSE);

  if (hangar_vm_is_active (vm))
    {
      if (progress_destroy != NULL)
        progress_destroy (progress_data);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("“%s” is running. Shut it down before cloning it."),
                               hangar_vm_get_name (vm));
      return;
    }
  job = g_new0 (Job, 1);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  if (!hangar_vm_clone_validate_name (vm, new_name, &error))
    {
      if (progress_destroy != NULL)
        progress_destroy (progress_data);
      g_task_return_error (task, error);
      return;
    }
  job->new_name = g_strdup (new_name);
  job->context = g_main_context_ref_thread_default ();
  job->sink = g_rc_box_new0 (ProgressSink);
  job->sink->func = progress;
  job->sink->data = progress_data;
  job->sink->destroy = progress_destroy;
  /* Not started: the progress data goes now, before the error is told. */
  if (!_hangar_vm_job_start (vm, task, &job->base, clone_thread))
    g_rc_box_release_full (g_steal_pointer (&job->sink), (GDestroyNotify) progress_sink_clear);
}

/**
 * hangar_vm_clone_finish:
 *
 * Returns: (transfer full): the clone's name, or %NULL with @error set
 */
char *
hangar_vm_clone_finish (HangarVm      *vm,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, vm), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
