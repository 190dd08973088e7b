/* hangar-os-download-dialog.c — "Download an OS".
 *
 * Lists hangar_os_catalogue() for the host's architecture (read on a
 * worker: loading the database takes a while), filtered by the search
 * entry; Download fetches the chosen entry into @folder with a
 * HangarOsDownloader, showing bytes, rate and time left, with Pause/Resume
 * and Cancel. When the file is whole (and checked, when a checksum is
 * published), ::downloaded gives its path, the OS and whether it is a
 * cloud image, and the dialog closes. Cloud images are listed when they
 * are qcow2 files (what the wizard's Cloud image source takes); others
 * are shown greyed, saying why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sys/utsname.h>

#include "hangar-os.h"
#include "hangar-os-catalogue.h"
#include "hangar-os-download.h"
#include "hangar-os-download-dialog.h"

struct _HangarOsDownloadDialog
{
  AdwWindow parent_instance;

  GtkButton *download_button;
  GtkLabel *notice;
  GtkSearchEntry *search;
  GtkListBox *list;
  GtkWidget *progress_box;
  GtkProgressBar *progress;
  GtkLabel *progress_label;
  GtkButton *pause_button;
  GtkButton *cancel_button;
  GtkLabel *error_label;

  char *folder;
  GPtrArray *catalogue;
  GCancellable *cancellable;
  HangarOsDownloader *downloader;
  HangarOsDownload *chosen;
};

G_DEFINE_FINAL_TYPE (HangarOsDownloadDialog, hangar_os_download_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_DOWNLOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (HangarOsDownloadDialog *self,
            const char             *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static HangarOsDownload *
row_download (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "hangar-os-download") : NULL;
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       data)
{
  HangarOsDownloadDialog *self = data;

  return hangar_os_download_matches (row_download (row),
                                     gtk_editable_get_text (GTK_EDITABLE (self->search)));
}

static void
on_search_changed (HangarOsDownloadDialog *self)
{
  gtk_list_box_invalidate_filter (self->list);
}

static gboolean
is_busy (HangarOsDownloadDialog *self)
{
  return self->downloader != NULL;
}

static void
update_buttons (HangarOsDownloadDialog *self)
{
  /* The list box tells of its last selection while it is disposed. */
  if (self->list == NULL || self->download_button == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->download_button),
                            !is_busy (self) && gtk_list_box_get_selected_row (self->list) != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->list), !is_busy (self));
  gtk_widget_set_visible (self->progress_box, is_busy (self));
}

static void
on_size_known (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(AdwActionRow) row = data;
  g_autoptr(GError) error = NULL;
  gint64 size = hangar_os_download_query_size_finish (result, &error);
  const char *base = g_object_get_data (G_OBJECT (row), "hangar-subtitle");
  g_autofree char *subtitle = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    subtitle = g_strdup_printf ("%s · %s", base, error->message);
  else if (size > 0)
    {
      g_autofree char *text = g_format_size (size);

      subtitle = g_strdup_printf ("%s · %s", base, text);
    }
  if (subtitle != NULL)
    adw_action_row_set_subtitle (row, subtitle);
}

static void
on_row_selected (HangarOsDownloadDialog *self)
{
  GtkListBoxRow *row;
  HangarOsDownload *download;

  update_buttons (self);
  if (self->list == NULL || (row = gtk_list_box_get_selected_row (self->list)) == NULL)
    return;

  /* The size, when the server tells (HEAD), once per row. */
  download = row_download (row);
  if (download == NULL || g_object_get_data (G_OBJECT (row), "hangar-size-asked") != NULL)
    return;
  g_object_set_data (G_OBJECT (row), "hangar-size-asked", GINT_TO_POINTER (TRUE));
  hangar_os_download_query_size_async (download->url, self->cancellable, on_size_known,
                                       g_object_ref (row));
}

/* Returns: NULL when @download can be used, or why not, for its row */
static const char *
unusable_reason (const HangarOsDownload *download)
{
  if (download->kind != HANGAR_OS_DOWNLOAD_CLOUD_IMAGE || hangar_os_download_is_cloud_qcow2 (download))
    return NULL;
  /* Translators: after "Cloud image · " in a greyed row of the list */
  return _("only qcow2 cloud images can be downloaded here");
}

static void
add_rows (HangarOsDownloadDialog *self)
{
  for (guint i = 0; i < self->catalogue->len; i++)
    {
      HangarOsDownload *download = self->catalogue->pdata[i];
      GtkWidget *row;
      g_autofree char *subtitle = NULL;
      const char *why_not;

      /* Install media, and cloud images the wizard's Cloud image source
       * can take; disk images without cloud-init have no login. */
      if (download->kind == HANGAR_OS_DOWNLOAD_DISK_IMAGE)
        continue;
      row = adw_action_row_new ();

      subtitle = download->variant != NULL && g_strcmp0 (download->variant, download->name) != 0
                   ? g_strdup_printf ("%s · %s", hangar_os_download_kind_label (download->kind),
                                      download->variant)
                   : g_strdup (hangar_os_download_kind_label (download->kind));
      why_not = unusable_reason (download);
      if (why_not != NULL)
        {
          /* Shown, not hidden: the user learns why it cannot be had. */
          g_autofree char *full = g_strdup_printf ("%s · %s", subtitle, why_not);

          g_free (subtitle);
          subtitle = g_steal_pointer (&full);
          gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
          gtk_widget_set_sensitive (row, FALSE);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), download->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set_data_full (G_OBJECT (row), "hangar-subtitle", g_strdup (subtitle), g_free);
      g_object_set_data (G_OBJECT (row), "hangar-os-download", download);
      gtk_list_box_append (self->list, row);
    }
}

static void
on_catalogue_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(HangarOsDownloadDialog) self = data;
  g_autoptr(GError) error = NULL;
  GPtrArray *catalogue = g_task_propagate_pointer (G_TASK (result), &error);

  if (catalogue == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  self->catalogue = catalogue;
  add_rows (self);
}

static void
load_catalogue (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  OsinfoDb *db = hangar_os_get_db (&error);

  if (db == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hangar_os_catalogue (db, task_data),
                           (GDestroyNotify) g_ptr_array_unref);
}

/* --- the download ------------------------------------------------------------------------------ */

static char *
format_progress (HangarOsDownloader *downloader)
{
  guint64 received = hangar_os_downloader_get_received (downloader);
  guint64 total = hangar_os_downloader_get_total (downloader);
  double rate = hangar_os_downloader_get_rate (downloader);
  gint64 left = hangar_os_downloader_get_seconds_left (downloader);
  g_autofree char *got = g_format_size (received);
  g_autofree char *all = total > 0 ? g_format_size (total) : NULL;
  g_autofree char *speed = rate > 0 ? g_format_size ((guint64) rate) : NULL;
  GString *text = g_string_new (NULL);

  switch (hangar_os_downloader_get_state (downloader))
    {
    case HANGAR_DOWNLOAD_VERIFYING:
      return g_strdup (_("Checking the checksum…"));
    case HANGAR_DOWNLOAD_PAUSED:
      g_string_append (text, _("Paused"));
      g_string_append (text, " — ");
      break;
    default:
      break;
    }

  if (all != NULL)
    /* Translators: bytes downloaded of the whole, such as "1.2 GB of 3.9 GB". */
    g_string_append_printf (text, _("%s of %s"), got, all);
  else
    g_string_append (text, got);
  if (speed != NULL)
    /* Translators: a download rate, such as "12.3 MB/s". */
    g_string_append_printf (text, _(", %s/s"), speed);
  if (left >= 0)
    {
      if (left >= 3600)
        g_string_append_printf (text, _(", %d h %02d min left"), (int) (left / 3600),
                                (int) (left % 3600 / 60));
      else if (left >= 60)
        g_string_append_printf (text, _(", %d min %02d s left"), (int) (left / 60),
                                (int) (left % 60));
      else
        g_string_append_printf (text, _(", %d s left"), (int) left);
    }
  return g_string_free (text, FALSE);
}

static void
on_progress (HangarOsDownloadDialog *self,
             HangarOsDownloader     *downloader)
{
  guint64 total = hangar_os_downloader_get_total (downloader);
  g_autofree char *text = format_progress (downloader);

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress,
                                   (double) hangar_os_downloader_get_received (downloader) / total);
  else
    gtk_progress_bar_pulse (self->progress);
  gtk_label_set_text (self->progress_label, text);
  gtk_button_set_label (self->pause_button,
                        hangar_os_downloader_get_state (downloader) == HANGAR_DOWNLOAD_PAUSED
                          ? _("_Resume") : _("_Pause"));
}

static void start_download (HangarOsDownloadDialog *self);

static void
on_download_finished (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  g_autoptr(HangarOsDownloadDialog) self = data;
  HangarOsDownloader *downloader = HANGAR_OS_DOWNLOADER (source);
  g_autoptr(GError) error = NULL;

  if (hangar_os_downloader_start_finish (downloader, result, &error))
    {
      g_autofree char *path = g_strdup (hangar_os_downloader_get_destination (downloader));
      g_autofree char *os_id = g_strdup (self->chosen->os_id);
      gboolean cloud = hangar_os_download_is_cloud_qcow2 (self->chosen);

      g_clear_object (&self->downloader);
      g_signal_emit (self, signals[SIGNAL_DOWNLOADED], 0, path, os_id, cloud);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  switch (hangar_os_downloader_get_state (downloader))
    {
    case HANGAR_DOWNLOAD_PAUSED:
      on_progress (self, downloader);
      return;
    case HANGAR_DOWNLOAD_CANCELLED:
      g_clear_object (&self->downloader);
      break;
    default:
      /* A broken transfer may be resumed: keep it, offer Resume. */
      if (g_error_matches (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_TRUNCATED))
        {
          show_error (self, error->message);
          gtk_button_set_label (self->pause_button, _("_Resume"));
          return;
        }
      show_error (self, error->message);
      g_clear_object (&self->downloader);
      break;
    }
  update_buttons (self);
}

static void
start_download (HangarOsDownloadDialog *self)
{
  show_error (self, NULL);
  gtk_button_set_label (self->pause_button, _("_Pause"));
  hangar_os_downloader_start_async (self->downloader, self->cancellable, on_download_finished,
                                    g_object_ref (self));
}

static void
on_download_clicked (HangarOsDownloadDialog *self)
{
  HangarOsDownload *download = row_download (gtk_list_box_get_selected_row (self->list));
  g_autofree char *name = NULL;
  g_autofree char *destination = NULL;

  if (download == NULL || is_busy (self) || unusable_reason (download) != NULL)
    return;

  name = hangar_os_download_file_name (download);
  destination = g_build_filename (self->folder, name, NULL);
  if (g_mkdir_with_parents (self->folder, 0755) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("Could not make the folder “%s”."), self->folder);

      show_error (self, message);
      return;
    }
  if (g_file_test (destination, G_FILE_TEST_EXISTS))
    {
      /* Downloaded before: use it. */
      g_signal_emit (self, signals[SIGNAL_DOWNLOADED], 0, destination, download->os_id,
                     hangar_os_download_is_cloud_qcow2 (download));
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  g_clear_pointer (&self->chosen, hangar_os_download_free);
  self->chosen = hangar_os_download_copy (download);
  self->downloader = hangar_os_downloader_new (download->url, destination, NULL);
  g_signal_connect_object (self->downloader, "progress", G_CALLBACK (on_progress), self,
                           G_CONNECT_SWAPPED);
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_label_set_text (self->progress_label, _("Connecting…"));
  update_buttons (self);
  start_download (self);
}

static void
on_pause_clicked (HangarOsDownloadDialog *self)
{
  HangarDownloadState state;

  if (self->downloader == NULL)
    return;
  state = hangar_os_downloader_get_state (self->downloader);
  if (state == HANGAR_DOWNLOAD_RUNNING)
    hangar_os_downloader_pause (self->downloader);
  else if (state == HANGAR_DOWNLOAD_PAUSED || state == HANGAR_DOWNLOAD_FAILED)
    start_download (self);
}

static void
on_cancel_clicked (HangarOsDownloadDialog *self)
{
  if (self->downloader == NULL)
    return;
  hangar_os_downloader_cancel (self->downloader);
  if (hangar_os_downloader_get_state (self->downloader) == HANGAR_DOWNLOAD_CANCELLED)
    {
      g_clear_object (&self->downloader);
      update_buttons (self);
    }
}

static gboolean
on_close_request (GtkWindow *window)
{
  HangarOsDownloadDialog *self = HANGAR_OS_DOWNLOAD_DIALOG (window);

  /* Closing is cancelling: nothing half-downloaded stays behind. */
  if (self->downloader != NULL)
    hangar_os_downloader_cancel (self->downloader);
  g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
hangar_os_download_dialog_dispose (GObject *object)
{
  HangarOsDownloadDialog *self = HANGAR_OS_DOWNLOAD_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->downloader);
  g_clear_pointer (&self->catalogue, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, hangar_os_download_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_OS_DOWNLOAD_DIALOG);
  G_OBJECT_CLASS (hangar_os_download_dialog_parent_class)->dispose (object);
}

static void
hangar_os_download_dialog_finalize (GObject *object)
{
  HangarOsDownloadDialog *self = HANGAR_OS_DOWNLOAD_DIALOG (object);

  g_free (self->folder);
  G_OBJECT_CLASS (hangar_os_download_dialog_parent_class)->finalize (object);
}

static void
hangar_os_download_dialog_class_init (HangarOsDownloadDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hangar_os_download_dialog_dispose;
  object_class->finalize = hangar_os_download_dialog_finalize;
  window_class->close_request = on_close_request;

  /**
   * HangarOsDownloadDialog::downloaded:
   * @path: the downloaded file
   * @os_id: the libosinfo id of the OS it installs
   * @cloud_image: whether the file is a qcow2 cloud image (for the
   *   Cloud image source), not install media
   */
  signals[SIGNAL_DOWNLOADED] = g_signal_new ("downloaded", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING,
                                             G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-os-download-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarOsDownloadDialog, download_button);
  gtk_widget_class_bind_template_child (widget_class, HangarOsDownloadDialog, notice);
  gtk_widget_class_bind_template_child (widget_class, HangarOsDownloadDialog, search);
  gtk_widget_class_bind_template_child (widget_class, HangarOsDownloadDialog, list);
  gtk_widget_class_bind_template_child (widget_class, HangarOsDownloadDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, HangarOsDownloadDialog, progress);
  gtk_widget_class_bind_template_child (widget_class, HangarOsDownloadDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, HangarOsDownloadDialog, pause_button);
  gtk_widget_class_bind_template_child (widget_class, HangarOsDownloadDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HangarOsDownloadDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_download_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pause_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
hangar_os_download_dialog_init (HangarOsDownloadDialog *self)
{
  g_autofree char *version = hangar_os_catalogue_db_version (NULL);
  g_autofree char *notice = hangar_os_catalogue_notice (version);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->notice, notice);
  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);
}

/**
 * hangar_os_download_dialog_new:
 * @folder: where downloads land
 */
HangarOsDownloadDialog *
hangar_os_download_dialog_new (GtkWindow  *parent,
                               const char *folder)
{
  HangarOsDownloadDialog *self = g_object_new (HANGAR_TYPE_OS_DOWNLOAD_DIALOG,
                                               "transient-for", parent, NULL);
  g_autoptr(GTask) task = NULL;
  struct utsname host;

  self->folder = g_strdup (folder);
  /* The local host's architecture: downloads go to this computer. */
  task = g_task_new (NULL, self->cancellable, on_catalogue_loaded, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (uname (&host) == 0 ? host.machine : "x86_64"), g_free);
  g_task_run_in_thread (task, load_catalogue);
  return self;
}
