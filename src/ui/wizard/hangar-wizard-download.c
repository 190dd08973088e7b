/* hangar-wizard-download.c — the wizard's hook for "Download an OS": the
 * dialog's file becomes the install media, and the wizard goes on as for a
 * local ISO (detection names the OS).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hangar-os-download-dialog.h"
#include "hangar-wizard-private.h"

static void
on_downloaded (HangarWizard *self,
               const char   *path,
               const char   *os_id)
{
  gtk_editable_set_text (GTK_EDITABLE (self->iso_row), path);
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
