#!/usr/bin/python3
# tricky-http-server.py — serves a folder like `python3 -m http.server`,
# plus the misbehaviours a network install must survive (review finding
# M2), chosen by a step anywhere in the path:
#   redirect-host/   302 to the same path on 127.0.0.2 (same port)
#   redirect-scheme/ 302 to the same path over https
#   endless/         200 with no length and a body that never ends
#   huge-length/     Content-Length: 10 GiB
#   long-header/     a 1 MiB header line
# Listens on 127.0.0.1 and 127.0.0.2 with one port, printed on stdout.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import functools
import http.server
import socketserver
import sys
import threading


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _strip(self, step):
        return self.path.replace('/' + step + '/', '/', 1)

    def do_GET(self):
        port = self.server.server_address[1]
        steps = self.path.split('/')
        if 'redirect-host' in steps:
            self.send_response(302)
            self.send_header('Location', 'http://127.0.0.2:%d%s' % (port, self._strip('redirect-host')))
            self.end_headers()
        elif 'redirect-scheme' in steps:
            self.send_response(302)
            self.send_header('Location', 'https://127.0.0.1:%d%s' % (port, self._strip('redirect-scheme')))
            self.end_headers()
        elif 'endless' in steps:
            self.send_response(200)
            self.end_headers()
            block = b'\0' * 65536
            try:
                while True:
                    self.wfile.write(block)
            except OSError:
                pass
        elif 'huge-length' in steps:
            self.send_response(200)
            self.send_header('Content-Length', str(10 << 30))
            self.end_headers()
            try:
                self.wfile.write(b'\0' * 65536)
            except OSError:
                pass
        elif 'long-header' in steps:
            self.send_response(200)
            self.send_header('X-Junk', 'a' * (1 << 20))
            self.send_header('Content-Length', '5')
            self.end_headers()
            try:
                self.wfile.write(b'hello')
            except OSError:
                pass
        else:
            super().do_GET()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    handler = functools.partial(Handler, directory=sys.argv[1])
    first = Server(('127.0.0.1', 0), handler)
    port = first.server_address[1]
    second = Server(('127.0.0.2', port), handler)
    threading.Thread(target=second.serve_forever, daemon=True).start()
    print(port, flush=True)
    first.serve_forever()


if __name__ == '__main__':
    main()
