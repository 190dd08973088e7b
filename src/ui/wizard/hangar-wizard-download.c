/* hangar-wizard-download.c — the wizard's hook for "Download an OS": an
 * installer's file becomes the install media, and the wizard goes on as
 * for a local ISO (detection names the OS); a cloud image switches the
 * wizard to its Cloud image source with the file as the image, and the
 * OS is the one it was downloaded for (an image has nothing to detect).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hangar-os.h"
#include "hangar-os-download-dialog.h"
#include "hangar-wizard-private.h"

static void
on_downloaded (HangarWizard *self,
               const char   *path,
               const char   *os_id,
               gboolean      cloud_image)
{
  OsinfoDb *db;
  OsinfoOs *os;

  if (!cloud_image)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->iso_row), path);
      return;
    }

  /* Toggling the method forgets what was detected for the ISO. */
  gtk_check_button_set_active (self->method_cloud, TRUE);
  hangar_wizard_cloud_set_image_path (self->cloud_section, path);
  /* The database is loaded already: the dialog listed it. */
  db = os_id != NULL && !self->os_from_user ? hangar_os_get_db (NULL) : NULL;
  os = db != NULL ? osinfo_db_get_os (db, os_id) : NULL;
  if (os != NULL)
    _hangar_wizard_set_os (self, os, TRUE);
  _hangar_wizard_update (self);
}

/* Where downloads land: the user's Downloads folder (or home). */
static char *
download_folder (void)
{
  const char *downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);

  return g_strdup (downloads != NULL ? downloads : g_get_home_dir ());
}

void
_hangar_wizard_on_download_os_clicked (HangarWizard *self)
{
  g_autofree char *folder = NULL;
  HangarOsDownloadDialog *dialog;

  if (self->connection != NULL && !hangar_connection_is_local (self->connection))
    {
      _hangar_wizard_show_field_error (self->iso_row, self->iso_error,
                                       _("Download an OS works on this computer’s own "
                                         "connections; for a remote host, download the ISO "
                                         "into one of its storage pools."));
      return;
    }

  folder = download_folder ();
  dialog = hangar_os_download_dialog_new (GTK_WINDOW (self), folder);
  g_signal_connect_object (dialog, "downloaded", G_CALLBACK (on_downloaded), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}
