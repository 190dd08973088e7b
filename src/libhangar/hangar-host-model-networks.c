/* hangar-host-model-networks.c — the host's networks and network interfaces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-connection-job.h"
#include "hangar-host-model-private.h"

static char **
network_users (GPtrArray  *uses,
               const char *network)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; uses != NULL && i < uses->len; i++)
    {
      DomainUse *use = g_ptr_array_index (uses, i);

      if (use->active && _hangar_host_strings_contain (use->networks, network))
        g_strv_builder_add (builder, use->name);
    }
  return g_strv_builder_end (builder);
}

/* --- networks ---------------------------------------------------------------------- */

static HangarHostNetwork *
read_network (virNetworkPtr  net,
              GPtrArray     *uses)
{
  HangarHostNetwork *row = g_object_new (HANGAR_TYPE_HOST_NETWORK, NULL);
  g_autofree char *xml = virNetworkGetXMLDesc (net, 0);
  g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);
  int autostart = 0;

  row->name = g_strdup (virNetworkGetName (net));
  row->active = virNetworkIsActive (net) == 1;
  row->persistent = virNetworkIsPersistent (net) == 1;
  if (virNetworkGetAutostart (net, &autostart) == 0)
    row->autostart = autostart != 0;
  if (doc != NULL)
    {
      const char *ip = "/network/ip[not(@family) or @family='ipv4']";
      g_autofree char *start = g_strdup_printf ("%s/dhcp/range/@start", ip);
      g_autofree char *end = g_strdup_printf ("%s/dhcp/range/@end", ip);

      row->forward = hangar_xml_string (doc, NULL, "/network/forward/@mode");
      /* <forward/> without a mode is NAT. */
      if (row->forward == NULL && hangar_xml_exists (doc, NULL, "/network/forward"))
        row->forward = g_strdup ("nat");
      row->bridge = hangar_xml_string (doc, NULL, "/network/bridge/@name");
      row->ipv4 = _hangar_host_read_ipv4 (doc, ip);
      row->dhcp_start = hangar_xml_string (doc, NULL, start);
      row->dhcp_end = hangar_xml_string (doc, NULL, end);
    }
  row->users = network_users (uses, row->name);
  virResetLastError ();
  return row;
}

GPtrArray *
_hangar_host_list_networks (virConnectPtr   conn,
                            GError        **error)
{
  virNetworkPtr *nets = NULL;
  g_autoptr(GPtrArray) uses = NULL;
  GPtrArray *rows;
  int n;

  n = virConnectListAllNetworks (conn, &nets, 0);
  if (n < 0)
    {
      *error = hangar_libvirt_error_new (_("Could not list the virtual networks"));
      return NULL;
    }
  /* Without the machines the list is still worth showing. */
  uses = _hangar_host_read_domain_uses (conn, TRUE, error);
  g_clear_error (error);

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (rows, read_network (nets[i], uses));
      virNetworkFree (nets[i]);
    }
  free (nets);
  return rows;
}

gboolean
_hangar_host_network_create (JobData  *data,
                             GError  **error)
{
  HangarNetworkSpec spec = {
    .name = data->name, .forward = data->forward, .network = data->network,
    .dhcp_start = data->dhcp_start, .dhcp_end = data->dhcp_end,
  };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ranges = g_strv_builder_new ();
  g_auto(GStrv) existing_names = NULL;
  g_auto(GStrv) existing_ranges = NULL;
  HangarNetworkPlan plan;
  g_autofree char *xml = NULL;
  virNetworkPtr net;

  /* Checked again against what the host has now, not what the form saw. */
  rows = _hangar_host_list_networks (data->conn, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      HangarHostNetwork *row = g_ptr_array_index (rows, i);

      g_strv_builder_add (names, row->name);
      if (row->ipv4 != NULL)
        {
          g_autofree char *range = g_strdup_printf ("%s %s", row->ipv4, row->name);

          g_strv_builder_add (ranges, range);
        }
    }
  existing_names = g_strv_builder_end (names);
  existing_ranges = g_strv_builder_end (ranges);
  if (!hangar_network_spec_check (&spec, (const char * const *) existing_names,
                                  (const char * const *) existing_ranges, &plan, error))
    return FALSE;

  xml = hangar_network_spec_to_xml (&spec, &plan);
  net = virNetworkDefineXML (data->conn, xml);
  if (net == NULL)
    {
      *error = hangar_libvirt_error_new (_("Could not create the network"));
      return FALSE;
    }
  if (virNetworkCreate (net) < 0)
    {
      /* Nothing half-made stays behind. */
      *error = hangar_libvirt_error_new (_("Could not start the new network"));
      virNetworkUndefine (net);
      virNetworkFree (net);
      virResetLastError ();
      return FALSE;
    }
  virNetworkFree (net);
  return TRUE;
}

gboolean
_hangar_host_network_run (JobData  *data,
                          GError  **error)
{
  virNetworkPtr net = virNetworkLookupByName (data->conn, data->name);
  const char *what = NULL;
  int ret = 0;

  if (net == NULL)
    {
      *error = hangar_libvirt_error_new (_("The network is no longer there"));
      return FALSE;
    }

  switch (data->action)
    {
    case HANGAR_HOST_ACTION_START:
      what = _("Could not start the network");
      ret = virNetworkCreate (net);
      break;
    case HANGAR_HOST_ACTION_STOP:
      what = _("Could not stop the network");
      ret = virNetworkDestroy (net);
      break;
    case HANGAR_HOST_ACTION_AUTOSTART_ON:
    case HANGAR_HOST_ACTION_AUTOSTART_OFF:
      what = _("Could not change whether the network starts with the host");
      ret = virNetworkSetAutostart (net, data->action == HANGAR_HOST_ACTION_AUTOSTART_ON);
      break;
    case HANGAR_HOST_ACTION_DELETE:
      {
        g_autoptr(GPtrArray) uses = _hangar_host_read_domain_uses (data->conn, TRUE, error);
        g_auto(GStrv) users = NULL;

        if (uses == NULL)
          break;
        users = network_users (uses, data->name);
        if (users[0] != NULL)
          {
            g_autofree char *names = g_strjoinv (", ", users);

            g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IN_USE,
                         _("The network “%s” is in use by the running machines: %s. "
                           "Shut them down or move them to another network first."),
                         data->name, names);
            break;
          }
        what = _("Could not delete the network");
        if (virNetworkIsActive (net) == 1)
          ret = virNetworkDestroy (net);
        if (ret == 0 && virNetworkIsPersistent (net) == 1)
          ret = virNetworkUndefine (net);
      }
      break;
    case HANGAR_HOST_ACTION_REFRESH:
    default:
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NOT_SUPPORTED,
                           _("Networks cannot do that."));
      break;
    }

  if (ret < 0 && *error == NULL)
    *error = hangar_libvirt_error_new (what);
  virNetworkFree (net);
  return *error == NULL;
}

/* --- host interfaces ----------------------------------------------------------------- */

static char *
read_sysfs (const char *root,
            const char *name,
            const char *file)
{
  g_autofree char *path = g_build_filename (root, name, file, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_strstrip (contents);
}

/**
 * hangar_host_read_sysfs_interfaces:
 * @root: (nullable): the folder to read, /sys/class/net by default
 *
 * The kernel's network interfaces, for a local host whose libvirt cannot
 * list them (no netcf or udev backend). Plain file reads: call it off the
 * main thread for /sys, or in tests on a folder made to look like it.
 *
 * Returns: (transfer full) (element-type HangarHostInterface): the
 *   interfaces, sorted by name
 */
GPtrArray *
hangar_host_read_sysfs_interfaces (const char  *root,
                                   GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *name;

  if (root == NULL)
    root = "/sys/class/net";
  dir = g_dir_open (root, 0, error);
  if (dir == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      HangarHostInterface *row = g_object_new (HANGAR_TYPE_HOST_INTERFACE, NULL);
      g_autofree char *bridge = g_build_filename (root, name, "bridge", NULL);
      g_autofree char *operstate = read_sysfs (root, name, "operstate");

      row->name = g_strdup (name);
      row->mac = read_sysfs (root, name, "address");
      /* Loopback and some virtual devices say "unknown" while working. */
      row->active = g_strcmp0 (operstate, "up") == 0 || g_strcmp0 (operstate, "unknown") == 0;
      row->kind = g_strdup (g_file_test (bridge, G_FILE_TEST_IS_DIR) ? "bridge" : "ethernet");
      g_ptr_array_add (rows, row);
    }
  g_ptr_array_sort (rows, _hangar_host_compare_rows);
  return g_steal_pointer (&rows);
}

GPtrArray *
_hangar_host_list_interfaces (JobData  *data,
                              GError  **error)
{
  virInterfacePtr *ifaces = NULL;
  GPtrArray *rows;
  int n = virConnectListAllInterfaces (data->conn, &ifaces, 0);

  if (n < 0)
    {
      virResetLastError ();
      /* Without netcf (or the udev backend) libvirt cannot list them; on
       * this machine the kernel can. */
      if (data->local)
        return hangar_host_read_sysfs_interfaces (NULL, error);
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NOT_SUPPORTED,
                           _("This host's libvirt cannot list its network interfaces."));
      return NULL;
    }
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n; i++)
    {
      HangarHostInterface *row = g_object_new (HANGAR_TYPE_HOST_INTERFACE, NULL);
      g_autofree char *xml = virInterfaceGetXMLDesc (ifaces[i], 0);
      g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);

      row->name = g_strdup (virInterfaceGetName (ifaces[i]));
      row->mac = g_strdup (virInterfaceGetMACString (ifaces[i]));
      row->active = virInterfaceIsActive (ifaces[i]) == 1;
      if (doc != NULL)
        {
          row->kind = hangar_xml_string (doc, NULL, "/interface/@type");
          row->ipv4 = _hangar_host_read_ipv4 (doc, "/interface/protocol[@family='ipv4']/ip");
        }
      g_ptr_array_add (rows, row);
      virInterfaceFree (ifaces[i]);
    }
  free (ifaces);
  virResetLastError ();
  return rows;
}

static gpointer
list_networks (JobData  *data,
               GError  **error)
{
  return _hangar_host_list_networks (data->conn, error);
}

static gpointer
list_interfaces (JobData  *data,
                 GError  **error)
{
  return _hangar_host_list_interfaces (data, error);
}

/* --- public calls ---------------------------------------------------------------------- */

void
hangar_host_list_networks_async (HangarConnection    *connection,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  _hangar_host_start_job (connection, _hangar_host_rows_new (list_networks),
                          hangar_host_list_networks_async, cancellable, callback, user_data);
}

void
hangar_host_list_interfaces_async (HangarConnection    *connection,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  _hangar_host_start_job (connection, _hangar_host_rows_new (list_interfaces),
                          hangar_host_list_interfaces_async, cancellable, callback, user_data);
}

/**
 * hangar_host_network_create_async:
 *
 * Defines and starts a network. The spec is checked again in the worker
 * against the host's networks as they are then; a network that cannot
 * start is undefined again.
 */
void
hangar_host_network_create_async (HangarConnection        *connection,
                                  const HangarNetworkSpec *spec,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (spec != NULL);

  data = _hangar_host_op_new (_hangar_host_network_create);
  data->name = g_strdup (spec->name);
  data->forward = spec->forward;
  data->network = g_strdup (spec->network);
  data->dhcp_start = g_strdup (spec->dhcp_start);
  data->dhcp_end = g_strdup (spec->dhcp_end);
  _hangar_host_start_job (connection, data, hangar_host_network_create_async, cancellable, callback,
                          user_data);
}

/**
 * hangar_host_network_run_async:
 *
 * Starts, stops, deletes a network or changes its autostart. Deleting is
 * refused (%HANGAR_HOST_ERROR_IN_USE) while a running machine uses it.
 */
void
hangar_host_network_run_async (HangarConnection    *connection,
                               const char          *name,
                               HangarHostAction     action,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (name != NULL);

  data = _hangar_host_op_new (_hangar_host_network_run);
  data->name = g_strdup (name);
  data->action = action;
  _hangar_host_start_job (connection, data, hangar_host_network_run_async, cancellable, callback,
                          user_data);
}
