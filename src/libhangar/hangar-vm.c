/* hangar-vm.c — one virtual machine on a connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include "hangar-gconfig.h"

#include "hangar-connection-private.h"
#include "hangar-stats.h"
#include "hangar-vm-private.h"

struct _HangarVm
{
  GObject           parent_instance;

  /* No virDomainPtr here: its last unref may close the connection, and
   * that is an RPC the main thread must not make. Workers look the domain
   * up by UUID. */
  GWeakRef          connection;

  char             *name;
  char             *title;
  char             *description;
  char              uuid[VIR_UUID_STRING_BUFLEN];
  int               id;
  HangarVmState     state;
  guint             vcpus;
  guint64           memory_total;
  guint64           memory_used;
  double            cpu_percent;

  /* The previous CPU sample, to turn the counter into a rate. */
  guint64           prev_cpu_ns;
  gint64            prev_time_us;

  /* Allocated on the first sample: most machines in a big list are off. */
  HangarHistory    *cpu_history;
  HangarHistory    *memory_history;

  /* Disk and network counters, allocated when a driver reports them. */
  HangarHistory    *io_history;      /* HANGAR_VM_N_IO of them */
  guint64           prev_io[HANGAR_VM_N_IO];
  gint64            prev_io_time_us;

  /* How many views show this machine's statistics right now (a list row
   * on screen, an open window, a graph): only those are polled. */
  guint             stats_holds;

  guint             persistent : 1;
  guint             has_managed_save : 1;
  guint             has_graphics : 1;
};

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_NAME,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_UUID,
  PROP_ID,
  PROP_STATE,
  PROP_STATE_LABEL,
  PROP_STATE_ICON,
  PROP_ACTIVE,
  PROP_PERSISTENT,
  PROP_HAS_MANAGED_SAVE,
  PROP_HAS_GRAPHICS,
  PROP_CPU_PERCENT,
  PROP_MEMORY_USED,
  PROP_MEMORY_TOTAL,
  PROP_VCPUS,
  N_PROPS
};

enum {
  STATS_UPDATED,
  REMOVED,
  DEFINITION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarVm, hangar_vm, G_TYPE_OBJECT)

void
hangar_disk_info_free (HangarDiskInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->target);
  g_free (info->device);
  g_free (info->path);
  g_strfreev (info->used_by);
  g_free (info);
}

void
_hangar_vm_info_free (HangarVmInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->title);
  g_free (info->description);
  g_free (info);
}

static void
read_details (HangarVmInfo *info,
              virDomainPtr  dom)
{
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  GList *devices;

  xml = virDomainGetXMLDesc (dom, 0);
  if (xml == NULL)
    return;

  config = gvir_config_domain_new_from_xml (xml, &error);
  if (config == NULL)
    {
      g_debug ("Could not parse the XML of %s: %s", info->name, error->message);
      return;
    }

  info->have_details = TRUE;
  info->title = g_strdup (gvir_config_domain_get_title (config));
  info->description = g_strdup (gvir_config_domain_get_description (config));

  devices = gvir_config_domain_get_devices (config);
  for (GList *l = devices; l != NULL; l = l->next)
    if (GVIR_CONFIG_IS_DOMAIN_GRAPHICS (l->data))
      info->has_graphics = TRUE;
  g_list_free_full (devices, g_object_unref);
}

/**
 * _hangar_vm_info_read:
 * @dom: (transfer none): a domain
 *
 * Reads what the list shows about @dom. Talks to the daemon: worker
 * threads only.
 *
 * Returns: (transfer full) (nullable): the facts, or %NULL when the domain
 *   vanished meanwhile
 */
HangarVmInfo *
_hangar_vm_info_read (virDomainPtr dom,
                      gboolean     with_details)
{
  HangarVmInfo *info;
  virDomainInfo dinfo;
  const char *name;

  name = virDomainGetName (dom);
  if (name == NULL || virDomainGetInfo (dom, &dinfo) < 0)
    return NULL;

  info = g_new0 (HangarVmInfo, 1);
  info->name = g_strdup (name);
  virDomainGetUUIDString (dom, info->uuid);
  info->id = (int) virDomainGetID (dom);
  info->state = dinfo.state;
  info->vcpus = dinfo.nrVirtCpu;
  info->memory_total = dinfo.maxMem;
  info->persistent = virDomainIsPersistent (dom) == 1;
  info->has_managed_save = virDomainHasManagedSaveImage (dom, 0) == 1;

  if (with_details)
    read_details (info, dom);

  return info;
}

static void
hangar_vm_finalize (GObject *object)
{
  HangarVm *self = (HangarVm *)object;

  g_weak_ref_clear (&self->connection);
  g_free (self->name);
  g_free (self->title);
  g_free (self->description);
  g_free (self->cpu_history);
  g_free (self->memory_history);
  g_free (self->io_history);

  G_OBJECT_CLASS (hangar_vm_parent_class)->finalize (object);
}

static void
hangar_vm_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HangarVm *self = HANGAR_VM (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_take_object (value, g_weak_ref_get (&self->connection));
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;
    case PROP_ID:
      g_value_set_int (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATE_LABEL:
      g_value_set_string (value, hangar_vm_get_state_label (self));
      break;
    case PROP_STATE_ICON:
      g_value_set_string (value, hangar_vm_get_state_icon (self));
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, hangar_vm_is_active (self));
      break;
    case PROP_PERSISTENT:
      g_value_set_boolean (value, self->persistent);
      break;
    case PROP_HAS_MANAGED_SAVE:
      g_value_set_boolean (value, self->has_managed_save);
      break;
    case PROP_HAS_GRAPHICS:
      g_value_set_boolean (value, self->has_graphics);
      break;
    case PROP_CPU_PERCENT:
      g_value_set_double (value, self->cpu_percent);
      break;
    case PROP_MEMORY_USED:
      g_value_set_uint64 (value, self->memory_used);
      break;
    case PROP_MEMORY_TOTAL:
      g_value_set_uint64 (value, self->memory_total);
      break;
    case PROP_VCPUS:
      g_value_set_uint (value, self->vcpus);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_vm_class_init (HangarVmClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = hangar_vm_finalize;
  object_class->get_property = hangar_vm_get_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, HANGAR_TYPE_CONNECTION, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, ro);
  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, ro);
  properties[PROP_ID] = g_param_spec_int ("id", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HANGAR_TYPE_VM_STATE, HANGAR_VM_STATE_NOSTATE, ro);
  properties[PROP_STATE_LABEL] = g_param_spec_string ("state-label", NULL, NULL, NULL, ro);
  properties[PROP_STATE_ICON] = g_param_spec_string ("state-icon", NULL, NULL, NULL, ro);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, ro);
  properties[PROP_PERSISTENT] = g_param_spec_boolean ("persistent", NULL, NULL, TRUE, ro);
  properties[PROP_HAS_MANAGED_SAVE] =
    g_param_spec_boolean ("has-managed-save", NULL, NULL, FALSE, ro);
  properties[PROP_HAS_GRAPHICS] = g_param_spec_boolean ("has-graphics", NULL, NULL, FALSE, ro);
  properties[PROP_CPU_PERCENT] =
    g_param_spec_double ("cpu-percent", NULL, NULL, 0.0, 100.0, 0.0, ro);
  properties[PROP_MEMORY_USED] =
    g_param_spec_uint64 ("memory-used", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_MEMORY_TOTAL] =
    g_param_spec_uint64 ("memory-total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarVm::stats-updated:
   *
   * A new statistics sample arrived; graphs redraw from the history.
   */
  signals[STATS_UPDATED] =
    g_signal_new ("stats-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * HangarVm::removed:
   *
   * The machine left its connection's list: deleted, or the connection
   * closed. Windows showing it close or say so.
   */
  signals[REMOVED] =
    g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * HangarVm::definition-changed:
   *
   * libvirt said the machine's definition changed (a DEFINED event:
   * `virsh define` or `edit`, another manager, Hangar itself), and its
   * facts were read again. Details pages read the definition again.
   */
  signals[DEFINITION_CHANGED] =
    g_signal_new ("definition-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hangar_vm_init (HangarVm *self)
{
  self->id = -1;
  self->persistent = TRUE;
  g_weak_ref_init (&self->connection, NULL);
}

HangarVm *
_hangar_vm_new (HangarConnection *connection,
                HangarVmInfo     *info)
{
  HangarVm *self = g_object_new (HANGAR_TYPE_VM, NULL);

  g_weak_ref_set (&self->connection, connection);
  memcpy (self->uuid, info->uuid, sizeof self->uuid);
  /* Nobody listens yet: set fields directly instead of notifying. */
  self->name = g_steal_pointer (&info->name);
  self->id = info->id;
  self->state = info->state;
  self->persistent = info->persistent;
  self->has_managed_save = info->has_managed_save;
  self->vcpus = info->vcpus;
  self->memory_total = info->memory_total;
  if (info->have_details)
    {
      self->title = g_steal_pointer (&info->title);
      self->description = g_steal_pointer (&info->description);
      self->has_graphics = info->has_graphics;
    }
  return self;
}

static void
set_string (HangarVm   *self,
            char      **field,
            const char *value,
            int         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * _hangar_vm_apply_info:
 * @with_state: whether to take the run state too
 *
 * Facts read in a worker may be older than the last domain event: a read
 * that raced a start would put the machine back to “shut off”. Events own
 * the run state, so only a first listing passes @with_state.
 */
void
_hangar_vm_apply_info (HangarVm     *self,
                       HangarVmInfo *info,
                       gboolean      with_state)
{
  g_return_if_fail (HANGAR_IS_VM (self));

  g_object_freeze_notify (G_OBJECT (self));

  set_string (self, &self->name, info->name, PROP_NAME);
  if (with_state)
    {
      _hangar_vm_set_state (self, info->state, info->id);
      _hangar_vm_set_persistent (self, info->persistent);
      _hangar_vm_set_has_managed_save (self, info->has_managed_save);
    }
  if (self->vcpus != info->vcpus)
    {
      self->vcpus = info->vcpus;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VCPUS]);
    }
  if (self->memory_total != info->memory_total)
    {
      self->memory_total = info->memory_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_TOTAL]);
    }
  if (info->have_details)
    {
      set_string (self, &self->title, info->title, PROP_TITLE);
      set_string (self, &self->description, info->description, PROP_DESCRIPTION);
      if (self->has_graphics != info->has_graphics)
        {
          self->has_graphics = info->has_graphics;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_GRAPHICS]);
        }
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
state_is_active (HangarVmState state)
{
  return state != HANGAR_VM_STATE_SHUTOFF && state != HANGAR_VM_STATE_NOSTATE
      && state != HANGAR_VM_STATE_CRASHED;
}

void
_hangar_vm_set_state (HangarVm      *self,
                      HangarVmState  state,
                      int            id)
{
  gboolean was_active;

  g_return_if_fail (HANGAR_IS_VM (self));

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }

  if (self->state == state)
    return;

  was_active = state_is_active (self->state);
  self->state = state;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_LABEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_ICON]);
  if (was_active != state_is_active (state))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
      if (!state_is_active (state))
        {
          /* A stopped machine uses nothing; the graph starts over next boot. */
          self->prev_time_us = 0;
          self->cpu_percent = 0.0;
          self->memory_used = 0;
          if (self->cpu_history)
            hangar_history_clear (self->cpu_history);
          if (self->memory_history)
            hangar_history_clear (self->memory_history);
          self->prev_io_time_us = 0;
          for (guint i = 0; self->io_history && i < HANGAR_VM_N_IO; i++)
            hangar_history_clear (&self->io_history[i]);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU_PERCENT]);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_USED]);
          g_signal_emit (self, signals[STATS_UPDATED], 0);
        }
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_hangar_vm_set_persistent (HangarVm *self,
                           gboolean  persistent)
{
  if (self->persistent == !!persistent)
    return;
  self->persistent = !!persistent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
}

void
_hangar_vm_set_has_managed_save (HangarVm *self,
                                 gboolean  has_managed_save)
{
  if (self->has_managed_save == !!has_managed_save)
    return;
  self->has_managed_save = !!has_managed_save;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MANAGED_SAVE]);
  /* A shut-off machine with a saved image reads “Saved”. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_LABEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_ICON]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_hangar_vm_push_sample (HangarVm *self,
                        gint64    time_us,
                        guint64   cpu_ns,
                        gboolean  have_cpu,
                        guint     vcpus,
                        guint64   memory_used,
                        guint64   memory_total)
{
  double percent = -1.0;

  g_return_if_fail (HANGAR_IS_VM (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (vcpus != 0 && vcpus != self->vcpus)
    {
      self->vcpus = vcpus;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VCPUS]);
    }

  if (have_cpu)
    {
      percent = hangar_stats_cpu_percent (self->prev_cpu_ns, cpu_ns, self->prev_time_us,
                                          time_us, self->vcpus);
      self->prev_cpu_ns = cpu_ns;
      self->prev_time_us = time_us;
    }

  if (percent >= 0.0)
    {
      if (self->cpu_history == NULL)
        self->cpu_history = g_new0 (HangarHistory, 1);
      hangar_history_push (self->cpu_history, percent);
      if (self->cpu_percent != percent)
        {
          self->cpu_percent = percent;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU_PERCENT]);
        }
    }

  if (memory_total != 0 && memory_total != self->memory_total)
    {
      self->memory_total = memory_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_TOTAL]);
    }
  if (memory_used != 0)
    {
      if (self->memory_history == NULL)
        self->memory_history = g_new0 (HangarHistory, 1);
      hangar_history_push (self->memory_history,
                           self->memory_total ? 100.0 * memory_used / self->memory_total : 0.0);
      if (memory_used != self->memory_used)
        {
          self->memory_used = memory_used;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_USED]);
        }
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (percent >= 0.0 || memory_used != 0)
    g_signal_emit (self, signals[STATS_UPDATED], 0);
}

/**
 * hangar_vm_get_connection:
 *
 * Returns: (transfer none) (nullable): the connection, or %NULL once it is gone
 */
HangarConnection *
hangar_vm_get_connection (HangarVm *self)
{
  g_autoptr(HangarConnection) connection = NULL;

  g_return_val_if_fail (HANGAR_IS_VM (self), NULL);

  /* The connection owns its machines, so it outlives any caller's use. */
  connection = g_weak_ref_get (&self->connection);
  return connection;
}

const char *
hangar_vm_get_name (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), NULL);
  return self->name;
}

const char *
hangar_vm_get_title (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), NULL);
  return self->title;
}

const char *
hangar_vm_get_description (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), NULL);
  return self->description;
}

const char *
hangar_vm_get_uuid (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), NULL);
  return self->uuid;
}

int
hangar_vm_get_id (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), -1);
  return self->id;
}

HangarVmState
hangar_vm_get_state (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), HANGAR_VM_STATE_NOSTATE);
  return self->state;
}

gboolean
hangar_vm_is_active (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), FALSE);
  return state_is_active (self->state);
}

const char *
hangar_vm_get_state_label (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), NULL);

  switch (self->state)
    {
    case HANGAR_VM_STATE_RUNNING:
    case HANGAR_VM_STATE_BLOCKED:
      return C_("machine state", "Running");
    case HANGAR_VM_STATE_PAUSED:
      return C_("machine state", "Paused");
    case HANGAR_VM_STATE_SHUTDOWN:
      return C_("machine state", "Shutting down");
    case HANGAR_VM_STATE_SHUTOFF:
      return self->has_managed_save ? C_("machine state", "Saved") : C_("machine state", "Shut off");
    case HANGAR_VM_STATE_CRASHED:
      return C_("machine state", "Crashed");
    case HANGAR_VM_STATE_PMSUSPENDED:
      return C_("machine state", "Suspended");
    case HANGAR_VM_STATE_NOSTATE:
    default:
      return C_("machine state", "Unknown");
    }
}

const char *
hangar_vm_get_state_icon (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), NULL);

  switch (self->state)
    {
    case HANGAR_VM_STATE_RUNNING:
    case HANGAR_VM_STATE_BLOCKED:
      return "media-playback-start-symbolic";
    case HANGAR_VM_STATE_PAUSED:
    case HANGAR_VM_STATE_PMSUSPENDED:
      return "media-playback-pause-symbolic";
    case HANGAR_VM_STATE_SHUTDOWN:
      return "system-shutdown-symbolic";
    case HANGAR_VM_STATE_CRASHED:
      return "dialog-error-symbolic";
    case HANGAR_VM_STATE_SHUTOFF:
      return self->has_managed_save ? "document-save-symbolic" : "media-playback-stop-symbolic";
    case HANGAR_VM_STATE_NOSTATE:
    default:
      return "dialog-question-symbolic";
    }
}

gboolean
hangar_vm_get_persistent (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), FALSE);
  return self->persistent;
}

gboolean
hangar_vm_get_has_managed_save (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), FALSE);
  return self->has_managed_save;
}

gboolean
hangar_vm_get_has_graphics (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), FALSE);
  return self->has_graphics;
}

double
hangar_vm_get_cpu_percent (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), 0.0);
  return self->cpu_percent;
}

guint64
hangar_vm_get_memory_used (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), 0);
  return self->memory_used;
}

guint64
hangar_vm_get_memory_total (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), 0);
  return self->memory_total;
}

guint
hangar_vm_get_vcpus (HangarVm *self)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), 0);
  return self->vcpus;
}

guint
hangar_vm_get_cpu_history (HangarVm *self,
                           float    *out,
                           guint     max)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), 0);
  return self->cpu_history ? hangar_history_read (self->cpu_history, out, max) : 0;
}

guint
hangar_vm_get_memory_history (HangarVm *self,
                              float    *out,
                              guint     max)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), 0);
  return self->memory_history ? hangar_history_read (self->memory_history, out, max) : 0;
}

/**
 * hangar_vm_can_run_op:
 *
 * Whether @op makes sense for the machine's current state; the actions
 * that run operations are enabled by this one function.
 */
gboolean
hangar_vm_can_run_op (HangarVm   *self,
                      HangarVmOp  op)
{
  HangarVmState state;

  g_return_val_if_fail (HANGAR_IS_VM (self), FALSE);

  state = self->state;
  switch (op)
    {
    case HANGAR_VM_OP_START:
      return state == HANGAR_VM_STATE_SHUTOFF || state == HANGAR_VM_STATE_CRASHED;
    case HANGAR_VM_OP_PAUSE:
      return state == HANGAR_VM_STATE_RUNNING || state == HANGAR_VM_STATE_BLOCKED;
    case HANGAR_VM_OP_RESUME:
      return state == HANGAR_VM_STATE_PAUSED || state == HANGAR_VM_STATE_PMSUSPENDED;
    case HANGAR_VM_OP_SHUTDOWN:
    case HANGAR_VM_OP_REBOOT:
      return state == HANGAR_VM_STATE_RUNNING || state == HANGAR_VM_STATE_BLOCKED;
    case HANGAR_VM_OP_RESET:
      return state_is_active (state) && state != HANGAR_VM_STATE_SHUTDOWN;
    case HANGAR_VM_OP_FORCE_OFF:
      return state_is_active (state);
    case HANGAR_VM_OP_SAVE:
      return self->persistent
          && (state == HANGAR_VM_STATE_RUNNING || state == HANGAR_VM_STATE_BLOCKED
              || state == HANGAR_VM_STATE_PAUSED);
    default:
      return FALSE;
    }
}

void
_hangar_vm_emit_removed (HangarVm *self)
{
  g_return_if_fail (HANGAR_IS_VM (self));
  g_signal_emit (self, signals[REMOVED], 0);
}

void
_hangar_vm_emit_definition_changed (HangarVm *self)
{
  g_return_if_fail (HANGAR_IS_VM (self));
  g_signal_emit (self, signals[DEFINITION_CHANGED], 0);
}

/* Turns the cumulative byte counters into KiB/s between two samples. */
void
_hangar_vm_push_io_sample (HangarVm *self,
                           gint64    time_us,
                           guint64   disk_read,
                           guint64   disk_write,
                           guint64   net_rx,
                           guint64   net_tx)
{
  guint64 now[HANGAR_VM_N_IO] = { disk_read, disk_write, net_rx, net_tx };
  double seconds;

  g_return_if_fail (HANGAR_IS_VM (self));

  if (self->io_history == NULL)
    self->io_history = g_new0 (HangarHistory, HANGAR_VM_N_IO);

  seconds = (time_us - self->prev_io_time_us) / 1e6;
  if (self->prev_io_time_us > 0 && seconds > 0)
    for (guint i = 0; i < HANGAR_VM_N_IO; i++)
      {
        /* A counter that went back means the guest restarted: no rate. */
        double rate = now[i] >= self->prev_io[i] ? (now[i] - self->prev_io[i]) / 1024.0 / seconds
                                                 : 0.0;
        hangar_history_push (&self->io_history[i], rate);
      }

  memcpy (self->prev_io, now, sizeof now);
  self->prev_io_time_us = time_us;
}

/**
 * hangar_vm_get_io_history:
 * @out: (out caller-allocates): room for @max values
 *
 * The newest disk or network rates in KiB/s, oldest first.
 *
 * Returns: how many values were written
 */
guint
hangar_vm_get_io_history (HangarVm   *self,
                          HangarVmIo  io,
                          float      *out,
                          guint       max)
{
  g_return_val_if_fail (HANGAR_IS_VM (self), 0);
  g_return_val_if_fail (io < HANGAR_VM_N_IO, 0);

  return self->io_history ? hangar_history_read (&self->io_history[io], out, max) : 0;
}

/**
 * hangar_vm_hold_stats:
 *
 * Says a view shows this machine's statistics: the connection polls only
 * the machines somebody holds. Every hold is undone with
 * hangar_vm_release_stats().
 */
void
hangar_vm_hold_stats (HangarVm *self)
{
  g_autoptr(HangarConnection) connection = NULL;

  g_return_if_fail (HANGAR_IS_VM (self));

  if (self->stats_holds++ > 0)
    return;
  connection = g_weak_ref_get (&self->connection);
  if (connection != NULL)
    _hangar_connection_stats_interest (connection, self, TRUE);
}

void
hangar_vm_release_stats (HangarVm *self)
{
  g_autoptr(HangarConnection) connection = NULL;

  g_return_if_fail (HANGAR_IS_VM (self));
  g_return_if_fail (self->stats_holds > 0);

  if (--self->stats_holds > 0)
    return;
  connection = g_weak_ref_get (&self->connection);
  if (connection != NULL)
    _hangar_connection_stats_interest (connection, self, FALSE);
}

gboolean
_hangar_vm_stats_held (HangarVm *self)
{
  return self->stats_holds > 0;
}
