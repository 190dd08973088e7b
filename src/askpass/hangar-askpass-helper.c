/* hangar-askpass.c — the SSH_ASKPASS program: asks the running Hangar.
 *
 * ssh runs this with its question as the only argument (a password, a key
 * passphrase, or "Are you sure you want to continue connecting
 * (yes/no/[fingerprint])?" for an unknown host key) and reads the answer
 * from standard output. The question goes to Hangar over a private UNIX
 * socket; Hangar shows it in a dialog and sends back the answer.
 *
 * libvirt runs ssh for qemu+ssh:// with a cleaned environment (only
 * SSH_ASKPASS, DISPLAY, HOME, PATH and a few more pass), so the socket is
 * found next to the path this program was started by: Hangar points
 * SSH_ASKPASS at a link inside its private directory, beside the socket.
 * HANGAR_ASKPASS_SOCKET, when set, names the socket instead.
 *
 * The exchange: this program writes "hangar-askpass 1\n", the value of
 * SSH_ASKPASS_PROMPT (ssh sets it to "confirm" or "none" for questions
 * that take no typed answer), "\n", its parent's (ssh's) process id, "\n",
 * then the question, and shuts its side down. Hangar answers "OK\n" and
 * the answer, or "CANCEL\n". Exit status 0 with the answer on stdout, or 1
 * (ssh then treats the question as refused).
 *
 * Plain C and libc: ssh may run it many times, and it has no windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define SOCKET_NAME "socket"
#define MAX_REPLY   65536

static int
write_all (int         fd,
           const char *data,
           size_t      size)
{
  while (size > 0)
    {
      ssize_t n = write (fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      data += n;
      size -= (size_t) n;
    }
  return 0;
}

static int
socket_path (const char *argv0,
             char       *path,
             size_t      size)
{
  const char *from_env = getenv ("HANGAR_ASKPASS_SOCKET");
  char *copy;
  int n;

  if (from_env != NULL && *from_env != '\0')
    n = snprintf (path, size, "%s", from_env);
  else
    {
      copy = strdup (argv0);
      if (copy == NULL)
        return -1;
      n = snprintf (path, size, "%s/%s", dirname (copy), SOCKET_NAME);
      free (copy);
    }
  return n > 0 && (size_t) n < size ? 0 : -1;
}

int
main (int   argc,
      char *argv[])
{
  const char *question = argc > 1 ? argv[1] : "";
  const char *kind = getenv ("SSH_ASKPASS_PROMPT");
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  char header[128];
  char *reply;
  size_t length = 0;
  int fd;

  if (socket_path (argv[0], address.sun_path, sizeof address.sun_path) < 0)
    {
      fprintf (stderr, "hangar-askpass: no socket path\n");
      return 1;
    }

  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) < 0)
    {
      fprintf (stderr, "hangar-askpass: cannot reach Hangar at %s: %s\n",
               address.sun_path, strerror (errno));
      return 1;
    }

  snprintf (header, sizeof header, "hangar-askpass 1\n%s\n%ld\n",
            kind != NULL ? kind : "", (long) getppid ());
  if (write_all (fd, header, strlen (header)) < 0
      || write_all (fd, question, strlen (question)) < 0
      || shutdown (fd, SHUT_WR) < 0)
    {
      fprintf (stderr, "hangar-askpass: cannot ask Hangar: %s\n", strerror (errno));
      close (fd);
      return 1;
    }

  /* Waits for the user as long as it takes: ssh waits for us too. */
  reply = malloc (MAX_REPLY + 1);
  if (reply == NULL)
    return 1;
  for (;;)
    {
      ssize_t n = read (fd, reply + length, MAX_REPLY - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      length += (size_t) n;
      if (length == MAX_REPLY)
        break;
    }
  close (fd);
  reply[length] = '\0';

  if (strncmp (reply, "OK\n", 3) != 0)
    {
      explicit_bzero (reply, length);
      free (reply);
      return 1;
    }
  /* ssh reads up to the first newline. */
  printf ("%s\n", reply + 3);
  fflush (stdout);
  explicit_bzero (reply, length);
  free (reply);
  return 0;
}
