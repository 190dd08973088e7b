/* hangar-connection-private.h — what the connection's files share.
 *
 * hangar-connection.c         the object, its list, opening and closing
 * hangar-connection-events.c  domain events and the refreshes they trigger
 * hangar-connection-stats.c   bulk reads: first listing, statistics, details
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt/libvirt.h>

#include "hangar-connection.h"
#include "hangar-connection-auth-private.h"
#include "hangar-credential-request.h"
#include "hangar-host-caps.h"
#include "hangar-vm-private.h"

G_BEGIN_DECLS

struct _HangarConnection
{
  GObject                parent_instance;

  char                  *uri;
  char                  *display_name;
  char                  *error_message;
  HangarConnectionState  state;

  virConnectPtr          conn;
  int                    lifecycle_id;
  guint                  generation;

  GPtrArray             *vms;
  GHashTable            *by_uuid;

  /* Events that arrive while the first list is read apply after it: one
   * entry per machine (hangar-connection-events.c), so a storm of events
   * cannot grow it beyond the host's machines (review finding L8). */
  GQueue                *early_events;
  GHashTable            *early_by_uuid;

  /* Reads that must stay in order (event refreshes) go through one thread.
   * A refresh asked for a machine whose read is queued and not started yet
   * joins that read instead of queueing another (L8): refresh_pending maps
   * UUID → that queued job, under refresh_lock (the worker takes a job out
   * as it starts it). */
  GThreadPool           *serial;
  GMutex                 refresh_lock;
  GHashTable            *refresh_pending;
  guint                  refresh_reads;   /* atomic; for tests */
  GCancellable          *cancellable;

  guint                  stats_source;
  guint                  stats_interval;
  /* The delay between rounds really used: the setting, or longer when the
   * host is slow to answer (hangar-connection-stats.c). */
  guint                  stats_effective_interval;
  guint                  stats_nowait_unsupported : 1;
  guint                  stats_enabled : 1;
  guint                  stats_in_flight : 1;
  /* Every Hangar window is hidden or minimised: no rounds at all. */
  guint                  stats_paused : 1;
  /* The machines somebody shows (hangar_vm_hold_stats()): HangarVm → NULL,
   * no references; a round asks for the running ones among them only. */
  GHashTable            *stats_held;
  /* Domain handles by UUID for the statistics worker, refcounted so the
   * worker and the connection can each drop theirs. */
  struct _HangarStatsCache *stats_cache;
  /* Titles and graphics being read, the machines on screen first. */
  struct _HangarDetailsQueue *details;
  guint                  stats_rounds;       /* for tests */
  char                 **stats_last_uuids;   /* for tests, with HANGAR_TEST_HOOKS */
  /* Which UUID each name stands for, filled by the statistics worker (see
   * hangar-connection-stats.c); replaced, never changed, by the main
   * thread whenever a name may have moved to another machine. */
  GHashTable            *stats_names;
  guint                  stats_names_generation;

  guint                  reconnect_source;
  guint                  reconnect_attempt;
  /* Gives up an open that takes too long (review finding L13). */
  guint                  open_watchdog;
  /* The first listing, added to the list a chunk per main-loop turn. */
  GPtrArray             *adding;        /* of HangarVmInfo */
  guint                  adding_pos;
  guint                  adding_source;
  gint64                 adding_started_us;
  gint64                 adding_longest_us;
  /* The credential question being asked, if any: the watchdog waits. */
  HangarCredentialRequest *asking;
  guint                  was_connected : 1;
  guint                  wanted : 1;

  /* The host's capabilities, read once per open handle, and the read in
   * flight (hangar-connection-job.c). */
  HangarHostCaps        *caps;
  char                  *caps_xml;
  struct _HangarConnectionCapsRead *caps_read;

  /* The thread the object lives on: the one running the main loop. */
  GThread               *main_thread;
};

/* The list, the state and every notification change on the main thread
 * only: widgets are bound to them. (Not g_main_context_is_owner(): a
 * test iterating the context by hand owns it only inside each iteration.) */
#define _hangar_connection_assert_main_thread(self) \
  g_assert (g_thread_self () == (self)->main_thread)

/* Event callbacks may outlive the object: they hold a weak reference and
 * the generation they were registered for. Reference-counted, as libvirt
 * and the main loop may both hold one. */
typedef struct _HangarConnectionCapsRead HangarConnectionCapsRead;

typedef struct
{
  GWeakRef self;
  guint    generation;
} EventContext;

GError        *_hangar_libvirt_error          (const char       *what);
virConnectPtr  _hangar_connection_dup_handle  (HangarConnection *self,
                                               GError          **error);
void           _hangar_handle_release         (virConnectPtr     conn);

EventContext     *_hangar_event_context_new      (HangarConnection *self);
EventContext     *_hangar_event_context_ref      (EventContext     *ctx);
HangarConnection *_hangar_event_context_get      (EventContext     *ctx);
void              _hangar_event_context_free     (gpointer          data);

void     _hangar_connection_add_vms             (HangarConnection      *self,
                                                 GPtrArray             *infos);
void     _hangar_connection_remove_vm           (HangarConnection      *self,
                                                 HangarVm              *vm);
void     _hangar_connection_teardown            (HangarConnection      *self,
                                                 HangarConnectionState  state,
                                                 const char            *message);
void     _hangar_connection_schedule_reconnect  (HangarConnection      *self);

/* hangar-connection-events.c */
int      _hangar_connection_on_lifecycle_event  (virConnectPtr          conn,
                                                 virDomainPtr           dom,
                                                 int                    event,
                                                 int                    detail,
                                                 void                  *opaque);
void     _hangar_connection_on_close            (virConnectPtr          conn,
                                                 int                    reason,
                                                 void                  *opaque);
void     _hangar_connection_closed              (HangarConnection      *self,
                                                 int                    reason);
void     _hangar_connection_serial_worker       (gpointer               data,
                                                 gpointer               user_data);
void     _hangar_connection_replay_early_events (HangarConnection      *self);
void     _hangar_connection_drop_early_events   (HangarConnection      *self);

/* hangar-connection-auth.c (the rest is in hangar-connection-auth-private.h) */
void              _hangar_connection_auth_class_init (GObjectClass      *object_class);

/* hangar-connection-job.c */
void     _hangar_connection_caps_clear          (HangarConnection      *self);

/* hangar-connection-stats.c */
GPtrArray *_hangar_connection_read_all_domains  (virConnectPtr          conn);
void     _hangar_connection_fetch_details       (HangarConnection      *self);
void     _hangar_connection_details_prioritize  (HangarConnection      *self,
                                                 HangarVm              *vm);
void     _hangar_connection_details_cancel      (HangarConnection      *self);
void     _hangar_connection_stats_start         (HangarConnection      *self);
void     _hangar_connection_stats_stop          (HangarConnection      *self);
void     _hangar_connection_stats_forget_names  (HangarConnection      *self);
void     _hangar_connection_stats_interest      (HangarConnection      *self,
                                                 HangarVm              *vm,
                                                 gboolean               held);
void     _hangar_connection_stats_forget_vm     (HangarConnection      *self,
                                                 HangarVm              *vm);
void     _hangar_connection_stats_clear         (HangarConnection      *self);
void     _hangar_connection_set_effective_interval (HangarConnection   *self,
                                                    guint               interval_ms);

G_END_DECLS
