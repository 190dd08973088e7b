/* hangar-json.c — a small, strict JSON reader into GVariant.
 *
 * For machine-written JSON such as `qemu-img info --output=json` (the
 * platform has no json-glib development package). Objects become a{sv},
 * arrays av, strings s, integers x, other numbers d, true and false b,
 * null (). Anything that is not RFC 8259 JSON is refused, and nesting is
 * bounded, so hostile input costs little.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include "hangar-json.h"

#define MAX_DEPTH 64

G_DEFINE_QUARK (hangar-json-error-quark, hangar_json_error)

typedef struct
{
  const char *p;
  const char *end;
  guint       depth;
} Reader;

static GVariant *read_value (Reader  *r,
                             GError **error);

static gboolean
fail (Reader      *r,
      GError     **error,
      const char  *what)
{
  /* Not for people: the caller words its own message. */
  g_set_error (error, HANGAR_JSON_ERROR, 0, "%s at byte %" G_GSIZE_FORMAT, what,
               (gsize) (r->end - r->p));
  return FALSE;
}

static void
skip_space (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static gboolean
read_hex4 (Reader   *r,
           gunichar *out)
{
  gunichar value = 0;

  if (r->end - r->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (r->p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + (gunichar) digit;
    }
  r->p += 4;
  *out = value;
  return TRUE;
}

static char *
read_string (Reader  *r,
             GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert (*r->p == '"');
  r->p++;
  while (r->p < r->end && *r->p != '"')
    {
      guchar c = (guchar) *r->p;

      if (c < 0x20)
        {
          fail (r, error, "control character in a string");
          return NULL;
        }
      if (c != '\\')
        {
          g_string_append_c (out, (char) c);
          r->p++;
          continue;
        }
      if (++r->p >= r->end)
        break;
      c = (guchar) *r->p++;
      switch (c)
        {
        case '"': case '\\': case '/':
          g_string_append_c (out, (char) c);
          break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar ch, low;

            if (!read_hex4 (r, &ch))
              {
                fail (r, error, "bad \\u escape");
                return NULL;
              }
            if (ch >= 0xd800 && ch < 0xdc00)
              {
                /* A surrogate pair: the low half must follow. */
                if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
                  {
                    fail (r, error, "lone surrogate");
                    return NULL;
                  }
                r->p += 2;
                if (!read_hex4 (r, &low) || low < 0xdc00 || low >= 0xe000)
                  {
                    fail (r, error, "lone surrogate");
                    return NULL;
                  }
                ch = 0x10000 + ((ch - 0xd800) << 10) + (low - 0xdc00);
              }
            else if ((ch >= 0xdc00 && ch < 0xe000) || ch == 0)
              {
                /* A NUL would cut the string short where it is used. */
                fail (r, error, "invalid character escape");
                return NULL;
              }
            g_string_append_unichar (out, ch);
          }
          break;
        default:
          fail (r, error, "unknown escape");
          return NULL;
        }
    }
  if (r->p >= r->end)
    {
      fail (r, error, "unterminated string");
      return NULL;
    }
  r->p++;
  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      fail (r, error, "string is not UTF-8");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GVariant *
read_number (Reader  *r,
             GError **error)
{
  const char *start = r->p;
  gboolean integer = TRUE;
  g_autofree char *text = NULL;

  if (r->p < r->end && *r->p == '-')
    r->p++;
  if (r->p < r->end && *r->p == '0')
    r->p++;
  else if (r->p < r->end && *r->p >= '1' && *r->p <= '9')
    while (r->p < r->end && g_ascii_isdigit (*r->p))
      r->p++;
  else
    {
      fail (r, error, "bad number");
      return NULL;
    }
  if (r->p < r->end && *r->p == '.')
    {
      integer = FALSE;
      r->p++;
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        {
          fail (r, error, "bad fraction");
          return NULL;
        }
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      integer = FALSE;
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        {
          fail (r, error, "bad exponent");
          return NULL;
        }
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }

  text = g_strndup (start, r->p - start);
  if (integer)
    {
      gint64 value;

      if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
        return g_variant_new_int64 (value);
      /* Larger than 64 bits (qemu's unsigned sizes): keep it as a double. */
    }
  return g_variant_new_double (g_ascii_strtod (text, NULL));
}

static gboolean
read_word (Reader     *r,
           const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (r->end - r->p) < len || memcmp (r->p, word, len) != 0)
    return FALSE;
  r->p += len;
  return TRUE;
}

static GVariant *
read_container (Reader  *r,
                GError **error)
{
  gboolean object = *r->p == '{';
  char close = object ? '}' : ']';
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (object ? G_VARIANT_TYPE_VARDICT
                                                                   : G_VARIANT_TYPE ("av"));

  if (++r->depth > MAX_DEPTH)
    {
      fail (r, error, "nested too deeply");
      return NULL;
    }
  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == close)
    {
      r->p++;
      r->depth--;
      return g_variant_builder_end (&builder);
    }

  for (;;)
    {
      g_autofree char *key = NULL;
      GVariant *value;

      skip_space (r);
      if (object)
        {
          if (r->p >= r->end || *r->p != '"')
            {
              fail (r, error, "expected a key");
              return NULL;
            }
          if ((key = read_string (r, error)) == NULL)
            return NULL;
          skip_space (r);
          if (r->p >= r->end || *r->p != ':')
            {
              fail (r, error, "expected ':'");
              return NULL;
            }
          r->p++;
        }
      if ((value = read_value (r, error)) == NULL)
        return NULL;
      if (object)
        g_variant_builder_add (&builder, "{sv}", key, value);
      else
        g_variant_builder_add (&builder, "v", value);

      skip_space (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == close)
        {
          r->p++;
          r->depth--;
          return g_variant_builder_end (&builder);
        }
      fail (r, error, "expected ',' or the end of the container");
      return NULL;
    }
}

static GVariant *
read_value (Reader  *r,
            GError **error)
{
  skip_space (r);
  if (r->p >= r->end)
    {
      fail (r, error, "unexpected end");
      return NULL;
    }
  switch (*r->p)
    {
    case '{':
    case '[':
      return read_container (r, error);
    case '"':
      {
        char *s = read_string (r, error);

        return s != NULL ? g_variant_new_take_string (s) : NULL;
      }
    case 't':
      if (read_word (r, "true"))
        return g_variant_new_boolean (TRUE);
      break;
    case 'f':
      if (read_word (r, "false"))
        return g_variant_new_boolean (FALSE);
      break;
    case 'n':
      if (read_word (r, "null"))
        return g_variant_new_tuple (NULL, 0);
      break;
    default:
      return read_number (r, error);
    }
  fail (r, error, "unknown word");
  return NULL;
}

/**
 * hangar_json_parse:
 * @length: the length of @text, or -1 when it ends with a NUL
 *
 * Returns: (transfer full) (nullable): the value, floating reference sunk,
 *   or %NULL with @error set
 */
GVariant *
hangar_json_parse (const char  *text,
                   gssize       length,
                   GError     **error)
{
  Reader r;
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  r.p = text;
  r.end = text + (length < 0 ? strlen (text) : (gsize) length);
  r.depth = 0;

  value = read_value (&r, error);
  if (value == NULL)
    return NULL;
  g_variant_ref_sink (value);
  skip_space (&r);
  if (r.p != r.end)
    {
      fail (&r, error, "text after the value");
      return NULL;
    }
  return g_steal_pointer (&value);
}
