/* hangar-plain-text.c — text that is shown as it is, never read as markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include "hangar-plain-text.h"

/**
 * hangar_toast_new_plain:
 * @text: what the toast says, shown as it is
 *
 * Returns: (transfer full): a new toast
 */
AdwToast *
hangar_toast_new_plain (const char *text)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  escaped = g_markup_escape_text (text, -1);
  return adw_toast_new (escaped);
}

/**
 * hangar_status_page_set_plain_description:
 * @page: a status page
 * @text: (nullable): the description, shown as it is
 */
void
hangar_status_page_set_plain_description (AdwStatusPage *page,
                                          const char    *text)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (ADW_IS_STATUS_PAGE (page));

  if (text != NULL)
    escaped = g_markup_escape_text (text, -1);
  adw_status_page_set_description (page, escaped);
}

/**
 * hangar_row_plain:
 * @row: an #AdwPreferencesRow
 *
 * Makes the row show its title and subtitle as they are. Rows made from
 * data call this once, before their text is set.
 *
 * Returns: (transfer none): @row, so it can wrap the row's constructor
 */
gpointer
hangar_row_plain (gpointer row)
{
  g_return_val_if_fail (ADW_IS_PREFERENCES_ROW (row), row);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

/**
 * hangar_group_set_plain_title:
 * @group: a preferences group
 * @text: the title, shown as it is
 */
void
hangar_group_set_plain_title (AdwPreferencesGroup *group,
                              const char          *text)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  escaped = g_markup_escape_text (text ? text : "", -1);
  adw_preferences_group_set_title (group, escaped);
}

/**
 * hangar_group_set_plain_description:
 * @group: a preferences group
 * @text: (nullable): the description, shown as it is
 */
void
hangar_group_set_plain_description (AdwPreferencesGroup *group,
                                    const char          *text)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  if (text != NULL)
    escaped = g_markup_escape_text (text, -1);
  adw_preferences_group_set_description (group, escaped);
}
