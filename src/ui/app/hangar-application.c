/* hangar-application.c — the application: command line, connections, windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-application.h"
#include "hangar-askpass-server.h"
#include "hangar-connection-dialog.h"
#include "hangar-credentials.h"
#include "hangar-machine-window.h"
#include "hangar-resources.h"
#include "hangar-stats.h"
#include "hangar-ssh-tunnel.h"
#include "hangar-uri.h"
#include "hangar-vm.h"
#include "hangar-window.h"

struct _HangarApplication
{
  AdwApplication           parent_instance;

  GSettings               *settings;
  HangarConnectionManager *connections;
  /* The local default opened because nothing was saved, if it was. */
  char                    *implicit_uri;
  /* --connect's hosts, from the command line of the process itself. */
  char                   **early_uris;
  GPtrArray               *early_opened;  /* what startup opened from them */
};

G_DEFINE_FINAL_TYPE (HangarApplication, hangar_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "connect", 'c', 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Connect to the libvirt host at URI (repeatable)"), N_("URI") },
  { "show-domain-console", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show the console of the machine NAME (name, id or UUID)"), N_("NAME") },
  { "show-domain-editor", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show the details of the machine NAME (name, id or UUID)"), N_("NAME") },
  { "show-domain-creator", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the new machine wizard"), NULL },
  { "show-host-summary", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the host details of the first connection"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

HangarApplication *
hangar_application_new (void)
{
  return g_object_new (HANGAR_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/hangar/Hangar",
                       NULL);
}

static int
hangar_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("hangar %s\n", VERSION);
      return 0;
    }
  /* Kept for startup, which runs only if this process becomes the
   * application: it opens them before GTK starts. */
  g_variant_dict_lookup (options, "connect", "^as", &HANGAR_APPLICATION (app)->early_uris);
  return -1;
}

static HangarWindow *
ensure_main_window (HangarApplication *self)
{
  HangarWindow *window = hangar_application_get_main_window (self);

  if (window == NULL)
    window = hangar_window_new (self);
  return window;
}

static void
open_uri (HangarApplication *self,
          const char        *uri,
          GPtrArray         *opened)
{
  HangarConnection *connection = hangar_connection_manager_add (self->connections, uri);

  hangar_connection_open (connection);
  if (opened != NULL)
    g_ptr_array_add (opened, connection);
}

/* What opens when the command line names no host: the saved connections
 * marked autoconnect, or else the local default. */
static void
open_default_connections (HangarApplication *self,
                          GPtrArray         *opened)
{
  g_auto(GStrv) autoconnect = hangar_connection_manager_get_autoconnect_uris (self->connections);
  g_auto(GStrv) saved = g_settings_get_strv (self->settings, "connections");

  /* Saved connections are listed even when not opened, to connect later. */
  for (guint i = 0; saved[i] != NULL; i++)
    hangar_connection_manager_add (self->connections, saved[i]);

  if (autoconnect[0] != NULL)
    {
      for (guint i = 0; autoconnect[i] != NULL; i++)
        open_uri (self, autoconnect[i], opened);
    }
  else if (saved[0] == NULL)
    {
      g_autofree char *uri = hangar_uri_pick_default (NULL);

      g_debug ("No saved connections: opening %s", uri);
      open_uri (self, uri, opened);
      g_free (self->implicit_uri);
      self->implicit_uri = g_strdup (uri);
    }
}

/* A running Hangar asked for a --show-* without --connect: the machine is
 * looked for on the connections it already lists, connected ones first
 * (still connecting ones wait for their machines; a failed one at least
 * says why it cannot show anything). */
static HangarConnection *
pick_listed_connection (HangarApplication *self,
                        const char        *machine)
{
  GListModel *list = G_LIST_MODEL (self->connections);
  HangarConnection *connected = NULL;
  HangarConnection *other = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      /* The manager keeps its connections: a borrowed pointer will do. */
      g_autoptr(HangarConnection) connection = g_list_model_get_item (list, i);
      HangarConnectionState state = hangar_connection_get_state (connection);

      if (state == HANGAR_CONNECTION_STATE_CONNECTED)
        {
          if (machine == NULL || hangar_connection_lookup_vm (connection, machine) != NULL)
            return connection;
          if (connected == NULL)
            connected = connection;
        }
      else if (other == NULL || (state == HANGAR_CONNECTION_STATE_CONNECTING
                                 && hangar_connection_get_state (other)
                                    != HANGAR_CONNECTION_STATE_CONNECTING))
        other = connection;
    }
  return connected != NULL ? connected : other;
}

static int
hangar_application_command_line (GApplication            *app,
                                  GApplicationCommandLine *cmdline)
{
  HangarApplication *self = HANGAR_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autoptr(GPtrArray) opened = g_ptr_array_new ();
  g_autofree const char **uris = NULL;
  const char *console_name = NULL;
  const char *editor_name = NULL;
  gboolean creator = FALSE;
  gboolean host_summary = FALSE;
  HangarWindow *window;
  gboolean first = hangar_application_get_main_window (self) == NULL;

  g_variant_dict_lookup (options, "connect", "^a&s", &uris);
  g_variant_dict_lookup (options, "show-domain-console", "&s", &console_name);
  g_variant_dict_lookup (options, "show-domain-editor", "&s", &editor_name);
  g_variant_dict_lookup (options, "show-domain-creator", "b", &creator);
  g_variant_dict_lookup (options, "show-host-summary", "b", &host_summary);

  /* The process's own command line: its hosts are already opening. */
  if (self->early_opened != NULL)
    {
      g_ptr_array_extend (opened, self->early_opened, NULL, NULL);
      g_clear_pointer (&self->early_opened, g_ptr_array_unref);
    }
  else if (uris != NULL && uris[0] != NULL)
    {
      for (guint i = 0; uris[i] != NULL; i++)
        open_uri (self, uris[i], opened);
    }
  else if (first)
    open_default_connections (self, opened);

  window = ensure_main_window (self);
  if (first)
    g_debug ("main window built at %.0f ms", hangar_process_age_ms ());

  gtk_window_present (GTK_WINDOW (window));

  /* The --show-* options act on the first connection named, or else on
   * those already listed. */
  if (opened->len == 0 && (console_name || editor_name || creator || host_summary))
    {
      HangarConnection *listed = pick_listed_connection (self, console_name ? console_name
                                                                            : editor_name);

      if (listed != NULL)
        g_ptr_array_add (opened, listed);
      else
        g_application_command_line_printerr (cmdline, "%s\n",
                                             _("No connection is open: give one with --connect"));
    }
  if (opened->len > 0)
    {
      HangarConnection *target = g_ptr_array_index (opened, 0);

      if (console_name != NULL)
        hangar_window_show_for_machine (window, target, console_name, HANGAR_WINDOW_SHOW_CONSOLE);
      if (editor_name != NULL)
        hangar_window_show_for_machine (window, target, editor_name, HANGAR_WINDOW_SHOW_EDITOR);
      if (creator)
        hangar_window_show_for_machine (window, target, NULL, HANGAR_WINDOW_SHOW_CREATOR);
      if (host_summary)
        hangar_window_show_for_machine (window, target, NULL, HANGAR_WINDOW_SHOW_HOST);
    }

  return 0;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing the windows lets them save their size; the app then ends by itself. */
  for (GList *l = g_list_copy (windows); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  HangarApplication *self = HANGAR_APPLICATION (user_data);
  const char *developers[] = { _("The Hangar developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Hangar"),
                        "application-icon", BASE_ID,
                        "developer-name", _("The Hangar developers"),
                        "version", VERSION,
                        "comments", _("Manage virtual machines on this computer and on remote hosts"),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
new_connection_activated (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  HangarApplication *self = HANGAR_APPLICATION (user_data);
  GtkWidget *dialog;

  dialog = hangar_connection_dialog_new (self,
                                         gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* app.show-machine (uri, uuid, page): the one way a view opens a machine's
 * window, so that views need not know each other. @page is "console" or
 * "details". A machine no longer there opens nothing. */
static void
show_machine_activated (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  HangarApplication *self = HANGAR_APPLICATION (user_data);
  const char *uri, *uuid, *page;
  HangarConnection *connection;
  HangarMachineWindow *window;
  HangarVm *vm;

  g_variant_get (param, "(&s&s&s)", &uri, &uuid, &page);
  connection = hangar_connection_manager_find (self->connections, uri);
  vm = connection != NULL ? hangar_connection_lookup_vm (connection, uuid) : NULL;
  if (vm == NULL)
    return;
  window = hangar_machine_window_present_for (GTK_APPLICATION (self), vm);
  if (g_str_equal (page, "details"))
    hangar_machine_window_show_details (window);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "new-connection", new_connection_activated },
  { "show-machine", show_machine_activated, "(sss)" },
};

/* --- statistics only while something shows ---------------------------------- */

static gboolean
window_shows (GtkWindow *window)
{
  GdkSurface *surface;

  if (!gtk_widget_get_visible (GTK_WIDGET (window)))
    return FALSE;
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  return surface == NULL || !GDK_IS_TOPLEVEL (surface)
         || !(gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & GDK_TOPLEVEL_STATE_MINIMIZED);
}

/* Every window hidden or minimised: nobody sees a figure, so no
 * statistics round runs at all (issue 16). */
static void
update_stats_paused (HangarApplication *self)
{
  gboolean paused = TRUE;

  if (self->connections == NULL)
    return;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (window_shows (l->data))
      {
        paused = FALSE;
        break;
      }
  hangar_connection_manager_set_stats_paused (self->connections, paused);
}

static void
on_window_realize (GtkWidget         *window,
                   HangarApplication *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_signal_connect_object (surface, "notify::state", G_CALLBACK (update_stats_paused), self,
                           G_CONNECT_SWAPPED);
  update_stats_paused (self);
}

static void
hangar_application_window_added (GtkApplication *app,
                                 GtkWindow      *window)
{
  HangarApplication *self = HANGAR_APPLICATION (app);

  GTK_APPLICATION_CLASS (hangar_application_parent_class)->window_added (app, window);
  g_signal_connect_object (window, "notify::visible", G_CALLBACK (update_stats_paused), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "realize", G_CALLBACK (on_window_realize), self, 0);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_window_realize (GTK_WIDGET (window), self);
  update_stats_paused (self);
}

static void
hangar_application_window_removed (GtkApplication *app,
                                   GtkWindow      *window)
{
  HangarApplication *self = HANGAR_APPLICATION (app);

  g_signal_handlers_disconnect_by_data (window, self);
  GTK_APPLICATION_CLASS (hangar_application_parent_class)->window_removed (app, window);
  update_stats_paused (self);
}

static void
hangar_application_startup (GApplication *app)
{
  HangarApplication *self = HANGAR_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *connection_accels[] = { "<Control><Shift>n", NULL };

  /* Before any connection: libvirt's ssh asks its questions through us. */
  hangar_askpass_start (GTK_APPLICATION (self));

  self->settings = g_settings_new (BASE_ID);
  self->connections = hangar_connection_manager_new (self->settings);
  hangar_credentials_attach (self, self->connections);

  /* The hosts start opening (each on a thread of its own) before GTK and
   * the window are set up: the list is then ready after the longer of the
   * two, not after both one by one. The command line that follows finds
   * them in early_opened. */
  self->early_opened = g_ptr_array_new ();
  if (self->early_uris != NULL && self->early_uris[0] != NULL)
    {
      for (guint i = 0; self->early_uris[i] != NULL; i++)
        open_uri (self, self->early_uris[i], self->early_opened);
    }
  else
    open_default_connections (self, self->early_opened);
  g_clear_pointer (&self->early_uris, g_strfreev);

  G_APPLICATION_CLASS (hangar_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-connection",
                                         connection_accels);
}

static void
hangar_application_shutdown (GApplication *app)
{
  HangarApplication *self = HANGAR_APPLICATION (app);
  guint n = self->connections ? g_list_model_get_n_items (G_LIST_MODEL (self->connections)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarConnection) connection =
        g_list_model_get_item (G_LIST_MODEL (self->connections), i);
      hangar_connection_close (connection);
    }

  /* The consoles' shared ssh connections would otherwise stay logged in
   * for minutes after Hangar has gone (ControlPersist). */
  hangar_ssh_tunnel_stop_all_masters ();

  G_APPLICATION_CLASS (hangar_application_parent_class)->shutdown (app);
}

static void
hangar_application_dispose (GObject *object)
{
  HangarApplication *self = (HangarApplication *)object;

  g_clear_object (&self->connections);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->implicit_uri, g_free);
  g_clear_pointer (&self->early_uris, g_strfreev);
  g_clear_pointer (&self->early_opened, g_ptr_array_unref);

  G_OBJECT_CLASS (hangar_application_parent_class)->dispose (object);
}

static void
hangar_application_class_init (HangarApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = hangar_application_dispose;
  app_class->startup = hangar_application_startup;
  app_class->shutdown = hangar_application_shutdown;
  app_class->command_line = hangar_application_command_line;
  app_class->handle_local_options = hangar_application_handle_local_options;
  gtk_app_class->window_added = hangar_application_window_added;
  gtk_app_class->window_removed = hangar_application_window_removed;

  /* The resources live in a static library: referencing them here keeps
   * the linker from dropping them (their constructor registers them). */
  g_assert (hangar_get_resource () != NULL);
}

static void
hangar_application_init (HangarApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Manage virtual machines with libvirt."));
}

/**
 * hangar_application_get_connections:
 *
 * Returns: (transfer none): every connection, as a #GListModel of #HangarConnection
 */
HangarConnectionManager *
hangar_application_get_connections (HangarApplication *self)
{
  g_return_val_if_fail (HANGAR_IS_APPLICATION (self), NULL);
  return self->connections;
}

GSettings *
hangar_application_get_settings (HangarApplication *self)
{
  g_return_val_if_fail (HANGAR_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * hangar_application_get_implicit_uri:
 *
 * The local connection opened at start because no connection was saved:
 * it is in the list without being in the settings.
 *
 * Returns: (nullable): its URI, or %NULL when the connections came from
 *   the settings or the command line
 */
const char *
hangar_application_get_implicit_uri (HangarApplication *self)
{
  g_return_val_if_fail (HANGAR_IS_APPLICATION (self), NULL);
  return self->implicit_uri;
}

/**
 * hangar_application_get_main_window:
 *
 * Returns: (transfer none) (nullable): the main window, if it is open
 */
HangarWindow *
hangar_application_get_main_window (HangarApplication *self)
{
  g_return_val_if_fail (HANGAR_IS_APPLICATION (self), NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (HANGAR_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}
