/* mini-vdagent.c — a tiny SPICE guest agent for the console tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real spice-vdagent needs an X session in the guest, far too heavy
 * for the tests' busybox guest under TCG. This speaks just enough of the
 * same protocol (spice/vd_agent.h), over the same virtio-serial port
 * (com.redhat.spice.0), for a test to check what Hangar's SPICE session
 * sends and answers, as seen from inside the guest:
 *
 *  - monitors config (guest resize): logs
 *      "hangar-agent: monitors N W1xH1 W2xH2 ..."
 *  - the client's clipboard: on a grab it asks for UTF-8 text and logs
 *      "hangar-agent: clipboard TEXT"
 *  - the guest's clipboard: each line written to the FIFO COPY_FIFO
 *    becomes the guest's clipboard; the agent grabs, logs
 *      "hangar-agent: grabbed TEXT"
 *    and hands the text over when the client asks for it.
 *  - files the client sends (file transfer): written to XFER_DIR, hashed,
 *    and logged when complete as
 *      "hangar-agent: file received SIZE SHA256 NAME"
 *    or, when the client cancels one,
 *      "hangar-agent: file cancelled after BYTES NAME"
 *    Booted with hangar.noxfer=1 the agent says file transfer is
 *    disabled, as spice-vdagent does when its configuration says so.
 *
 * Everything is logged on the first serial port, which the test reads.
 *
 * Wire format: the port carries chunks, a VDIChunkHeader {port, size}
 * and then size bytes. Concatenating the chunks of one port gives
 * messages, a VDAgentMessage {protocol, type, opaque, size} and then size
 * bytes. A client's message longer than VD_AGENT_MAX_DATA_SIZE arrives in
 * several chunks, and read() may return any part of a chunk, so both
 * layers are reassembled here.
 *
 * Built with `gcc -static` by make-tiny-guest.sh: the guest has no libc.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <spice/vd_agent.h>

#include "mini-sha256.h"

#define PORT_NAME "com.redhat.spice.0"
#define COPY_FIFO "/tmp/hangar-copy"
#define XFER_DIR "/tmp/received"
#define LOG_PATH "/dev/ttyS0"
/* Bigger messages are skipped rather than buffered. */
#define MAX_MESSAGE (1024 * 1024)

static int log_fd = -1;
static int port_fd = -1;
static int xfer_disabled;

/* The guest's clipboard text, NULL while we do not own the clipboard. */
static char *guest_text;

/* Reassembly of one port's messages (VDP_CLIENT_PORT or VDP_SERVER_PORT). */
typedef struct
{
  uint8_t *data;
  size_t len;
  size_t alloc;
  /* Bytes still to drop of a message too big to keep. */
  size_t discard;
} Stream;

static Stream streams[VDP_END_PORT];

static void
say (const char *format,
     ...)
{
  char line[4096];
  va_list args;
  int n;

  va_start (args, format);
  n = vsnprintf (line, sizeof line - 1, format, args);
  va_end (args);
  if (n < 0)
    return;
  if (n > (int) sizeof line - 2)
    n = sizeof line - 2;
  line[n++] = '\n';
  /* One write per line, so lines from /init do not cut into ours. */
  if (log_fd >= 0)
    (void) !write (log_fd, line, n);
}

static void
sleep_ms (long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  nanosleep (&ts, NULL);
}

static int
write_all (int         fd,
           const void *buf,
           size_t      len)
{
  const uint8_t *p = buf;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      p += n;
      len -= n;
    }

  return 0;
}

/* One message in one chunk, to the client, from the three parts most of
 * our messages have: a selection prefix, a fixed part and data. */
static void
send_message (uint32_t    type,
              const void *head,
              size_t      head_len,
              const void *data,
              size_t      data_len)
{
  VDIChunkHeader chunk;
  VDAgentMessage message;
  size_t size = head_len + data_len;
  uint8_t *buf = malloc (sizeof chunk + sizeof message + size);
  uint8_t *p = buf;

  if (buf == NULL)
    return;

  chunk.port = VDP_CLIENT_PORT;
  chunk.size = sizeof message + size;
  message.protocol = VD_AGENT_PROTOCOL;
  message.type = type;
  message.opaque = 0;
  message.size = size;

  memcpy (p, &chunk, sizeof chunk);
  p += sizeof chunk;
  memcpy (p, &message, sizeof message);
  p += sizeof message;
  if (head_len > 0)
    memcpy (p, head, head_len);
  p += head_len;
  if (data_len > 0)
    memcpy (p, data, data_len);

  /* A whole chunk in one write: the server must not see half of one. */
  if (write_all (port_fd, buf, sizeof chunk + sizeof message + size) < 0)
    say ("hangar-agent: write failed: %s", strerror (errno));
  free (buf);
}

static void
send_capabilities (int request)
{
  struct
  {
    VDAgentAnnounceCapabilities announce;
    uint32_t caps[VD_AGENT_CAPS_SIZE];
  } msg;

  memset (&msg, 0, sizeof msg);
  msg.announce.request = request;
  VD_AGENT_SET_CAPABILITY (msg.caps, VD_AGENT_CAP_MONITORS_CONFIG);
  VD_AGENT_SET_CAPABILITY (msg.caps, VD_AGENT_CAP_CLIPBOARD_BY_DEMAND);
  VD_AGENT_SET_CAPABILITY (msg.caps, VD_AGENT_CAP_CLIPBOARD_SELECTION);
  if (xfer_disabled)
    VD_AGENT_SET_CAPABILITY (msg.caps, VD_AGENT_CAP_FILE_XFER_DISABLED);
  send_message (VD_AGENT_ANNOUNCE_CAPABILITIES, &msg, sizeof msg, NULL, 0);
}

/* With VD_AGENT_CAP_CLIPBOARD_SELECTION on both sides (we announce it,
 * and spice-gtk always does), clipboard messages start with 4 bytes:
 * the selection, then 3 reserved. */
static void
send_clipboard_grab (uint8_t selection)
{
  struct { uint8_t selection[4]; uint32_t type; } msg = { { selection }, VD_AGENT_CLIPBOARD_UTF8_TEXT };

  send_message (VD_AGENT_CLIPBOARD_GRAB, &msg, sizeof msg, NULL, 0);
}

static void
send_clipboard_request (uint8_t selection)
{
  struct { uint8_t selection[4]; uint32_t type; } msg = { { selection }, VD_AGENT_CLIPBOARD_UTF8_TEXT };

  send_message (VD_AGENT_CLIPBOARD_REQUEST, &msg, sizeof msg, NULL, 0);
}

static void
send_clipboard_data (uint8_t     selection,
                     uint32_t    type,
                     const char *text)
{
  struct { uint8_t selection[4]; uint32_t type; } msg = { { selection }, type };

  send_message (VD_AGENT_CLIPBOARD, &msg, sizeof msg, text, text ? strlen (text) : 0);
}

static void
handle_monitors_config (const uint8_t *data,
                        uint32_t       size)
{
  const VDAgentMonitorsConfig *config = (const void *) data;
  char line[1024];
  int n;

  if (size < sizeof *config ||
      config->num_of_monitors > (size - sizeof *config) / sizeof (VDAgentMonConfig))
    {
      say ("hangar-agent: bad monitors config (%u bytes)", size);
      return;
    }

  n = snprintf (line, sizeof line, "hangar-agent: monitors %u", config->num_of_monitors);
  for (uint32_t i = 0; i < config->num_of_monitors && n < (int) sizeof line - 24; i++)
    n += snprintf (line + n, sizeof line - n, " %ux%u",
                   config->monitors[i].width, config->monitors[i].height);
  say ("%s", line);
}

/* --- file transfer ------------------------------------------------------ */

/* The client may send several files at once, their data interleaved. */
typedef struct
{
  int used;
  uint32_t id;
  char name[256];
  uint64_t size;
  uint64_t have;
  int fd;
  Sha256 hash;
} Xfer;

static Xfer xfers[8];

static void
send_xfer_status (uint32_t id,
                  uint32_t result)
{
  VDAgentFileXferStatusMessage msg = { id, result };

  send_message (VD_AGENT_FILE_XFER_STATUS, &msg, sizeof msg, NULL, 0);
}

static Xfer *
find_xfer (uint32_t id)
{
  for (size_t i = 0; i < sizeof xfers / sizeof xfers[0]; i++)
    if (xfers[i].used && xfers[i].id == id)
      return &xfers[i];
  return NULL;
}

/* A key's value in the start message's key file ("[vdagent-file-xfer]",
 * then name= and size=), copied into value; 0 when found. */
static int
keyfile_value (const char *text,
               size_t      len,
               const char *key,
               char       *value,
               size_t      value_size)
{
  size_t key_len = strlen (key);
  const char *end = text + len;

  for (const char *line = text; line < end;)
    {
      const char *eol = memchr (line, '\n', end - line);
      size_t line_len = (eol ? eol : end) - line;

      if (line_len > key_len && memcmp (line, key, key_len) == 0 && line[key_len] == '=')
        {
          size_t n = line_len - key_len - 1;

          if (n >= value_size)
            n = value_size - 1;
          memcpy (value, line + key_len + 1, n);
          value[n] = '\0';
          return 0;
        }
      line = eol ? eol + 1 : end;
    }

  return -1;
}

static void
xfer_start (const uint8_t *data,
            uint32_t       size)
{
  VDAgentFileXferStartMessage start;
  char size_text[32];
  char path[512];
  Xfer *x = NULL;

  if (size < sizeof start)
    return;
  memcpy (&start, data, sizeof start);

  if (xfer_disabled)
    {
      say ("hangar-agent: file refused, transfer disabled");
      send_xfer_status (start.id, VD_AGENT_FILE_XFER_STATUS_DISABLED);
      return;
    }

  for (size_t i = 0; i < sizeof xfers / sizeof xfers[0] && x == NULL; i++)
    if (!xfers[i].used)
      x = &xfers[i];
  if (x == NULL)
    {
      send_xfer_status (start.id, VD_AGENT_FILE_XFER_STATUS_ERROR);
      return;
    }

  memset (x, 0, sizeof *x);
  x->id = start.id;
  if (keyfile_value ((const char *) data + sizeof start, size - sizeof start, "name",
                     x->name, sizeof x->name) < 0 ||
      keyfile_value ((const char *) data + sizeof start, size - sizeof start, "size",
                     size_text, sizeof size_text) < 0 ||
      strchr (x->name, '/') != NULL)
    {
      say ("hangar-agent: file start message not understood");
      send_xfer_status (start.id, VD_AGENT_FILE_XFER_STATUS_ERROR);
      return;
    }
  x->size = strtoull (size_text, NULL, 10);

  mkdir (XFER_DIR, 0755);
  snprintf (path, sizeof path, "%s/%s", XFER_DIR, x->name);
  x->fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (x->fd < 0)
    {
      say ("hangar-agent: cannot write %s: %s", path, strerror (errno));
      send_xfer_status (start.id, VD_AGENT_FILE_XFER_STATUS_ERROR);
      return;
    }
  x->used = 1;
  sha256_init (&x->hash);
  say ("hangar-agent: file start %llu %s", (unsigned long long) x->size, x->name);
  send_xfer_status (x->id, VD_AGENT_FILE_XFER_STATUS_CAN_SEND_DATA);
}

static void
xfer_end (Xfer *x)
{
  if (x->fd >= 0)
    close (x->fd);
  x->used = 0;
}

static void
xfer_check_done (Xfer *x)
{
  char hex[65];

  if (x->have < x->size)
    return;
  sha256_finish_hex (&x->hash, hex);
  say ("hangar-agent: file received %llu %s %s", (unsigned long long) x->have, hex, x->name);
  send_xfer_status (x->id, VD_AGENT_FILE_XFER_STATUS_SUCCESS);
  xfer_end (x);
}

static void
xfer_data (const uint8_t *data,
           uint32_t       size)
{
  VDAgentFileXferDataMessage head;
  Xfer *x;

  if (size < sizeof head)
    return;
  memcpy (&head, data, sizeof head);
  x = find_xfer (head.id);
  if (x == NULL || head.size > size - sizeof head)
    return;

  if (write_all (x->fd, data + sizeof head, head.size) < 0)
    {
      say ("hangar-agent: file write failed: %s", strerror (errno));
      send_xfer_status (x->id, VD_AGENT_FILE_XFER_STATUS_ERROR);
      xfer_end (x);
      return;
    }
  sha256_update (&x->hash, data + sizeof head, head.size);
  x->have += head.size;
  xfer_check_done (x);
}

/* The client's status for a transfer: it cancelled it (or failed). */
static void
xfer_status (const uint8_t *data,
             uint32_t       size)
{
  VDAgentFileXferStatusMessage status;
  char path[512];
  Xfer *x;

  if (size < sizeof status)
    return;
  memcpy (&status, data, sizeof status);
  x = find_xfer (status.id);
  if (x == NULL)
    return;
  say ("hangar-agent: file cancelled after %llu %s", (unsigned long long) x->have, x->name);
  snprintf (path, sizeof path, "%s/%s", XFER_DIR, x->name);
  xfer_end (x);
  unlink (path);
}

static void
handle_message (uint32_t              port,
                const VDAgentMessage *header,
                const uint8_t        *data)
{
  uint32_t size = header->size;

  if (header->protocol != VD_AGENT_PROTOCOL)
    {
      say ("hangar-agent: protocol %u, not %u", header->protocol, VD_AGENT_PROTOCOL);
      return;
    }

  switch (header->type)
    {
    case VD_AGENT_ANNOUNCE_CAPABILITIES:
      /* A client (re)connected and introduces itself. */
      if (size >= sizeof (VDAgentAnnounceCapabilities))
        {
          const VDAgentAnnounceCapabilities *caps = (const void *) data;

          say ("hangar-agent: client capabilities%s", caps->request ? ", asked for ours" : "");
          if (caps->request)
            send_capabilities (0);
        }
      break;

    case VD_AGENT_MONITORS_CONFIG:
      handle_monitors_config (data, size);
      break;

    case VD_AGENT_CLIPBOARD_GRAB:
      /* The client copied something: ask for it if it has text. */
      if (size >= 4)
        {
          int has_text = 0;

          for (uint32_t off = 4; off + 4 <= size; off += 4)
            {
              uint32_t type;

              memcpy (&type, data + off, 4);
              has_text |= type == VD_AGENT_CLIPBOARD_UTF8_TEXT;
            }
          say ("hangar-agent: client grabbed selection %u%s", data[0], has_text ? "" : ", no text");
          /* The client owns the clipboard now. */
          free (guest_text);
          guest_text = NULL;
          if (has_text)
            send_clipboard_request (data[0]);
        }
      break;

    case VD_AGENT_CLIPBOARD:
      if (size >= 8)
        {
          uint32_t type;

          memcpy (&type, data + 4, 4);
          say ("hangar-agent: clipboard %s%.*s", type == VD_AGENT_CLIPBOARD_UTF8_TEXT ? "" : "(not text) ",
               (int) (size - 8), (const char *) data + 8);
        }
      break;

    case VD_AGENT_CLIPBOARD_REQUEST:
      /* The client pastes what we grabbed. */
      if (size >= 8)
        {
          uint32_t type;

          memcpy (&type, data + 4, 4);
          say ("hangar-agent: client asked for selection %u type %u", data[0], type);
          if (guest_text != NULL && type == VD_AGENT_CLIPBOARD_UTF8_TEXT)
            send_clipboard_data (data[0], type, guest_text);
          else
            send_clipboard_data (data[0], VD_AGENT_CLIPBOARD_NONE, NULL);
        }
      break;

    case VD_AGENT_CLIPBOARD_RELEASE:
      say ("hangar-agent: client released selection %u", size >= 1 ? data[0] : 0);
      break;

    case VD_AGENT_FILE_XFER_START:
      xfer_start (data, size);
      break;

    case VD_AGENT_FILE_XFER_DATA:
      xfer_data (data, size);
      break;

    case VD_AGENT_FILE_XFER_STATUS:
      xfer_status (data, size);
      break;

    case VD_AGENT_CLIENT_DISCONNECTED:
      /* From the server: the client is gone, and with it any message it
       * had half sent, and the files it was sending. */
      say ("hangar-agent: client disconnected");
      for (size_t i = 0; i < sizeof xfers / sizeof xfers[0]; i++)
        if (xfers[i].used)
          {
            say ("hangar-agent: file abandoned after %llu %s",
                 (unsigned long long) xfers[i].have, xfers[i].name);
            xfer_end (&xfers[i]);
          }
      streams[VDP_CLIENT_PORT].len = 0;
      streams[VDP_CLIENT_PORT].discard = 0;
      break;

    default:
      /* Mouse state, display config, audio volume...: not ours to do. */
      break;
    }

  (void) port;
}

/* Appends a chunk's payload to its port's stream and handles every
 * message that is now complete. */
static void
stream_feed (uint32_t       port,
             const uint8_t *data,
             size_t         len)
{
  Stream *s = &streams[port];

  if (s->discard > 0)
    {
      size_t n = len < s->discard ? len : s->discard;

      s->discard -= n;
      data += n;
      len -= n;
    }

  if (s->len + len > s->alloc)
    {
      size_t alloc = s->alloc ? s->alloc : 4096;
      uint8_t *grown;

      while (alloc < s->len + len)
        alloc *= 2;
      grown = realloc (s->data, alloc);
      if (grown == NULL)
        {
          say ("hangar-agent: out of memory");
          exit (1);
        }
      s->data = grown;
      s->alloc = alloc;
    }
  memcpy (s->data + s->len, data, len);
  s->len += len;

  for (;;)
    {
      VDAgentMessage header;
      size_t total;

      if (s->len < sizeof header)
        break;
      memcpy (&header, s->data, sizeof header);

      if (header.size > MAX_MESSAGE)
        {
          size_t have = s->len - sizeof header;

          say ("hangar-agent: skipping a %u-byte message", header.size);
          s->discard = header.size > have ? header.size - have : 0;
          /* What follows the message in this buffer, if anything, is
           * not possible: a chunk belongs to one message. */
          s->len = 0;
          break;
        }

      total = sizeof header + header.size;
      if (s->len < total)
        break;

      handle_message (port, &header, s->data + sizeof header);
      memmove (s->data, s->data + total, s->len - total);
      s->len -= total;
    }
}

/* Bytes read from the port, in whatever pieces read() returned them. */
static void
port_feed (const uint8_t *data,
           size_t         len)
{
  static VDIChunkHeader chunk;
  static size_t header_have;
  static size_t payload_left;

  while (len > 0)
    {
      if (payload_left == 0)
        {
          size_t n = sizeof chunk - header_have;

          if (n > len)
            n = len;
          memcpy ((uint8_t *) &chunk + header_have, data, n);
          header_have += n;
          data += n;
          len -= n;
          if (header_have < sizeof chunk)
            break;
          header_have = 0;
          payload_left = chunk.size;
          if (chunk.port != VDP_CLIENT_PORT && chunk.port != VDP_SERVER_PORT)
            say ("hangar-agent: chunk for unknown port %u", chunk.port);
          continue;
        }

      {
        size_t n = len < payload_left ? len : payload_left;

        if (chunk.port == VDP_CLIENT_PORT || chunk.port == VDP_SERVER_PORT)
          stream_feed (chunk.port, data, n);
        payload_left -= n;
        data += n;
        len -= n;
      }
    }
}

/* /dev/vportNpM of the port named PORT_NAME, waiting for the virtio
 * drivers to find it. */
static int
find_port (char   *path,
           size_t  size,
           int     timeout_ms)
{
  for (int waited = 0; waited < timeout_ms; waited += 200)
    {
      DIR *dir = opendir ("/sys/class/virtio-ports");
      struct dirent *entry;

      while (dir != NULL && (entry = readdir (dir)) != NULL)
        {
          char name_path[512], name[128] = "";
          FILE *f;

          if (entry->d_name[0] == '.')
            continue;
          snprintf (name_path, sizeof name_path, "/sys/class/virtio-ports/%s/name", entry->d_name);
          f = fopen (name_path, "r");
          if (f == NULL)
            continue;
          if (fgets (name, sizeof name, f) == NULL)
            name[0] = '\0';
          fclose (f);
          name[strcspn (name, "\n")] = '\0';
          if (strcmp (name, PORT_NAME) == 0)
            {
              snprintf (path, size, "/dev/%s", entry->d_name);
              closedir (dir);
              /* devtmpfs may add the node a moment after sysfs. */
              if (access (path, F_OK) == 0)
                return 0;
              dir = NULL;
              break;
            }
        }
      if (dir != NULL)
        closedir (dir);
      sleep_ms (200);
    }

  return -1;
}

/* Lines written to the FIFO: the guest copies that text. */
static void
fifo_feed (const char *data,
           size_t      len)
{
  static char line[4096];
  static size_t have;

  for (size_t i = 0; i < len; i++)
    {
      if (data[i] != '\n')
        {
          if (have < sizeof line - 1)
            line[have++] = data[i];
          continue;
        }
      line[have] = '\0';
      have = 0;
      free (guest_text);
      guest_text = strdup (line);
      say ("hangar-agent: grabbed %s", guest_text);
      send_clipboard_grab (VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD);
    }
}

int
main (void)
{
  char path[300];
  int fifo_fd;

  log_fd = open (LOG_PATH, O_WRONLY | O_NOCTTY);

  {
    char cmdline[1024] = "";
    int fd = open ("/proc/cmdline", O_RDONLY);

    if (fd >= 0)
      {
        ssize_t n = read (fd, cmdline, sizeof cmdline - 1);

        cmdline[n > 0 ? n : 0] = '\0';
        close (fd);
      }
    xfer_disabled = strstr (cmdline, "hangar.noxfer=1") != NULL;
  }

  /* Guests without the channel (VNC, or SPICE without an agent) end here. */
  if (find_port (path, sizeof path, 60000) < 0)
    {
      say ("hangar-agent: no %s port", PORT_NAME);
      return 0;
    }

  port_fd = open (path, O_RDWR | O_NOCTTY);
  if (port_fd < 0)
    {
      say ("hangar-agent: cannot open %s: %s", path, strerror (errno));
      return 1;
    }

  /* Read-write, so the FIFO never reports end-of-file between writers,
   * and writers never wait for a reader. */
  mkfifo (COPY_FIFO, 0666);
  fifo_fd = open (COPY_FIFO, O_RDWR | O_NONBLOCK);

  /* Opening the port made the server see an agent; introduce ourselves. */
  send_capabilities (1);
  say ("hangar-agent: started on %s", path);

  for (;;)
    {
      struct pollfd fds[2] = {
        { port_fd, POLLIN, 0 },
        { fifo_fd, POLLIN, 0 },
      };
      uint8_t buf[4096];
      ssize_t n;

      if (poll (fds, fifo_fd >= 0 ? 2 : 1, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          say ("hangar-agent: poll failed: %s", strerror (errno));
          return 1;
        }

      if (fds[0].revents & POLLIN)
        {
          n = read (port_fd, buf, sizeof buf);
          if (n > 0)
            port_feed (buf, n);
          else if (n < 0 && errno != EINTR && errno != EAGAIN)
            {
              say ("hangar-agent: read failed: %s", strerror (errno));
              return 1;
            }
        }
      else if (fds[0].revents & (POLLHUP | POLLERR))
        /* No host side at the moment: wait for one without spinning. */
        sleep_ms (100);

      if (fifo_fd >= 0 && (fds[1].revents & POLLIN))
        {
          n = read (fifo_fd, buf, sizeof buf);
          if (n > 0)
            fifo_feed ((const char *) buf, n);
        }
    }
}
