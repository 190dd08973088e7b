/* hangar-wizard-cloud.c — the wizard's “Cloud image” source: the image and its first boot.
 *
 * The fields of a machine made from a cloud image: the image file, the
 * disk's size, and what cloud-init sets up (user, password, ssh key, host
 * name). Each is checked with libhangar's hangar-cloud-init as it is
 * typed, and a mistake is shown under its field once the field has been
 * edited. The wizard asks validate() whether Forward may go on and
 * fill_spec() for the creator; "changed" tells it to ask again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-cloud-init.h"
#include "hangar-install-checks.h"
#include "hangar-secret.h"
#include "hangar-wizard-cloud.h"

struct _HangarWizardCloud
{
  AdwBin          parent_instance;

  AdwEntryRow    *image_row;
  GtkWidget      *image_browse;
  GtkLabel       *image_error;
  GtkSpinButton  *size_spin;
  AdwEntryRow    *user_row;
  GtkLabel       *user_error;
  AdwEntryRow    *password_row;
  GtkLabel       *password_error;
  AdwEntryRow    *key_row;
  GtkLabel       *key_error;
  AdwEntryRow    *host_row;
  GtkLabel       *host_error;

  GHashTable     *touched;  /* rows the user has edited */
  gboolean        filling;  /* defaults being set: not the user's edits */
};

G_DEFINE_FINAL_TYPE (HangarWizardCloud, hangar_wizard_cloud, ADW_TYPE_BIN)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Shows @message under @row, or hides the label; marks the row. */
static void
show_error (AdwEntryRow *row,
            GtkLabel    *label,
            const char  *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* A field's verdict: its message is shown only once it was edited (an
 * empty form is not a list of mistakes). */
static gboolean
judge (HangarWizardCloud *self,
       AdwEntryRow       *row,
       GtkLabel          *label,
       gboolean           ok,
       const char        *message)
{
  show_error (row, label, ok || !g_hash_table_contains (self->touched, row) ? NULL : message);
  return ok;
}

/**
 * hangar_wizard_cloud_validate:
 * @local: whether the connection is this computer's own (the image is
 *   read here)
 *
 * Returns: whether every field is fine
 */
gboolean
hangar_wizard_cloud_validate (HangarWizardCloud *self,
                              gboolean           local)
{
  g_autofree char *image = row_text (self->image_row);
  g_autofree char *user = row_text (self->user_row);
  g_autofree char *key = row_text (self->key_row);
  g_autofree char *host = row_text (self->host_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autoptr(GError) error = NULL;
  HangarDiskFormat format = HANGAR_DISK_FORMAT_QCOW2;
  gboolean ok = TRUE;
  gboolean fine;

  g_return_val_if_fail (HANGAR_IS_WIZARD_CLOUD (self), FALSE);

  if (!local)
    {
      fine = FALSE;
      /* Said at once: nothing typed here can make it work. */
      show_error (self->image_row, self->image_error,
                  _("Cloud images can be used on this computer’s own connections only."));
    }
  else
    {
      fine = image[0] != '\0' && hangar_install_check_image (image, &format, &error);
      if (fine && format != HANGAR_DISK_FORMAT_QCOW2 && format != HANGAR_DISK_FORMAT_RAW)
        {
          g_clear_error (&error);
          g_set_error (&error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNKNOWN_FORMAT,
                       _("This is a %s image; cloud images are qcow2 or raw."),
                       hangar_disk_format_to_string (format));
          fine = FALSE;
        }
      judge (self, self->image_row, self->image_error, fine,
             error ? error->message : _("Choose the cloud image file."));
    }
  ok = ok && fine;
  g_clear_error (&error);

  fine = hangar_cloud_init_check_user_name (user, &error);
  ok = judge (self, self->user_row, self->user_error, fine, error ? error->message : NULL) && ok;
  g_clear_error (&error);

  fine = hangar_cloud_init_check_password (password, &error);
  if (fine && password[0] == '\0' && key[0] == '\0')
    {
      g_set_error_literal (&error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_NO_LOGIN,
                           _("Give a password, an ssh key or both: cloud images have no other "
                             "way to log in."));
      fine = FALSE;
    }
  /* Emptying the key field is enough to hear that a password is needed. */
  if (!fine && g_hash_table_contains (self->touched, self->key_row))
    g_hash_table_add (self->touched, self->password_row);
  ok = judge (self, self->password_row, self->password_error, fine,
              error ? error->message : NULL) && ok;
  g_clear_error (&error);

  fine = hangar_cloud_init_check_ssh_key (key, &error);
  ok = judge (self, self->key_row, self->key_error, fine, error ? error->message : NULL) && ok;
  g_clear_error (&error);

  fine = hangar_cloud_init_check_host_name (host, &error);
  ok = judge (self, self->host_row, self->host_error, fine, error ? error->message : NULL) && ok;
  return ok;
}

/**
 * hangar_wizard_cloud_fill_spec:
 *
 * Sets @spec's cloud image, disk size and cloud-init settings.
 */
void
hangar_wizard_cloud_fill_spec (HangarWizardCloud *self,
                               HangarDomainSpec  *spec)
{
  g_autofree char *key = NULL;
  HangarCloudInit *config;

  g_return_if_fail (HANGAR_IS_WIZARD_CLOUD (self));

  g_free (spec->cloud_image_path);
  spec->cloud_image_path = row_text (self->image_row);
  spec->disk_capacity_gib = gtk_spin_button_get_value_as_int (self->size_spin);
  spec->disk_format = HANGAR_DISK_FORMAT_QCOW2;

  config = hangar_cloud_init_new ();
  config->user_name = row_text (self->user_row);
  config->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  if (config->password[0] == '\0')
    hangar_secret_clear (&config->password);
  key = row_text (self->key_row);
  config->ssh_key = key[0] != '\0' ? g_steal_pointer (&key) : NULL;
  config->host_name = row_text (self->host_row);
  hangar_cloud_init_free (spec->cloud_init);
  spec->cloud_init = config;
}

/* Returns: (transfer full): the source, for the summary */
char *
hangar_wizard_cloud_describe (HangarWizardCloud *self)
{
  g_autofree char *image = row_text (self->image_row);
  g_autofree char *user = row_text (self->user_row);
  g_autofree char *host = row_text (self->host_row);

  /* Translators: the first %s is the path of a cloud image, the second a
   * user name, the third a host name */
  return g_strdup_printf (_("The cloud image %s, with the user %s on %s"), image, user, host);
}

/**
 * hangar_wizard_cloud_set_image_path:
 * @path: a cloud image file on this computer
 *
 * Sets the image, as if the user had chosen it: a mistake in it is
 * shown at once, and ::changed is emitted.
 */
void
hangar_wizard_cloud_set_image_path (HangarWizardCloud *self,
                                    const char        *path)
{
  g_return_if_fail (HANGAR_IS_WIZARD_CLOUD (self));
  g_return_if_fail (path != NULL);

  g_hash_table_add (self->touched, self->image_row);
  /* Emits ::changed through the row's own signal. */
  gtk_editable_set_text (GTK_EDITABLE (self->image_row), path);
}

/* --- signals ------------------------------------------------------------------- */

static void
on_changed (HangarWizardCloud *self,
            GtkWidget         *row)
{
  if (!self->filling)
    g_hash_table_add (self->touched, row);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                gpointer         user_data)
{
  g_autoptr(AdwEntryRow) row = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (row), path);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_browse_clicked (HangarWizardCloud *self,
                   GtkWidget         *button)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  gtk_file_filter_set_name (filter, _("Cloud images"));
  gtk_file_filter_add_suffix (filter, "qcow2");
  gtk_file_filter_add_suffix (filter, "img");
  gtk_file_filter_add_suffix (filter, "raw");
  chooser = gtk_file_chooser_native_new (_("Choose a Cloud Image"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen),
                    g_object_ref (self->image_row));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- object ---------------------------------------------------------------------- */

static void
hangar_wizard_cloud_dispose (GObject *object)
{
  HangarWizardCloud *self = HANGAR_WIZARD_CLOUD (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_WIZARD_CLOUD);
  G_OBJECT_CLASS (hangar_wizard_cloud_parent_class)->dispose (object);
}

static void
hangar_wizard_cloud_finalize (GObject *object)
{
  HangarWizardCloud *self = HANGAR_WIZARD_CLOUD (object);

  g_hash_table_unref (self->touched);
  G_OBJECT_CLASS (hangar_wizard_cloud_parent_class)->finalize (object);
}

static void
hangar_wizard_cloud_class_init (HangarWizardCloudClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_wizard_cloud_dispose;
  object_class->finalize = hangar_wizard_cloud_finalize;

  /**
   * HangarWizardCloud::changed:
   *
   * A field changed: its verdict may have too.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-wizard-cloud.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, image_row);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, image_browse);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, image_error);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, size_spin);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, user_row);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, user_error);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, password_row);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, password_error);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, key_row);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, key_error);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, host_row);
  gtk_widget_class_bind_template_child (widget_class, HangarWizardCloud, host_error);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_browse_clicked);
}

static void
hangar_wizard_cloud_init (HangarWizardCloud *self)
{
  g_autofree char *key = hangar_cloud_init_default_ssh_key (NULL);
  const char *user = g_get_user_name ();

  self->touched = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Defaults: the desktop's user name when the guest can have it, and
   * the user's own ssh key. */
  self->filling = TRUE;
  if (hangar_cloud_init_check_user_name (user, NULL))
    gtk_editable_set_text (GTK_EDITABLE (self->user_row), user);
  if (key != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->key_row), key);
  self->filling = FALSE;
}
