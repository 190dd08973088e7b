#!/usr/bin/python3
# os-download-server.py — serves the files of a folder for the OS
# downloader's tests, with byte ranges (If-Range on a strong ETag) and the
# misbehaviours a download must survive, chosen by steps in the path
# before the file name:
#   cut/       the first GET of each file sends half its body, then closes
#   slow/      about 1 MiB/s
#   norange/   ignores Range: always 200 and the whole file
#   badsums/   SHA256SUMS lists a wrong checksum
#   nosums/    no checksum files at all
#   fedora/    no SHA256SUMS, a CHECKSUM in Fedora's "SHA256 (NAME) = HEX" form
#   moved/     302 to the same path without "moved/"
# SHA256SUMS, NAME.sha256 and CHECKSUM are made from the folder's files.
# Listens on 127.0.0.1; prints the port on stdout.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import hashlib
import http.server
import os
import socketserver
import sys
import threading
import time

ROOT = sys.argv[1]
STEPS = {'cut', 'slow', 'norange', 'badsums', 'nosums', 'fedora', 'moved'}
cut_done = set()


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def _parse(self):
        parts = [p for p in self.path.split('?')[0].split('/') if p]
        steps = set(p for p in parts[:-1] if p in STEPS)
        name = parts[-1] if parts else ''
        return steps, name

    def _plain(self, status, body=b'', headers=()):
        self.send_response(status)
        self.send_header('Content-Length', str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def _sums(self, steps, name):
        files = sorted(f for f in os.listdir(ROOT) if os.path.isfile(os.path.join(ROOT, f)))
        if 'nosums' in steps:
            return None
        if name == 'SHA256SUMS' and 'fedora' not in steps:
            lines = []
            for f in files:
                digest = sha256(os.path.join(ROOT, f))
                if 'badsums' in steps:
                    digest = '0' * 64
                lines.append('%s  %s\n' % (digest, f))
            return ''.join(lines).encode()
        if name == 'CHECKSUM' and 'fedora' in steps:
            return ''.join('SHA256 (%s) = %s\n' % (f, sha256(os.path.join(ROOT, f)))
                           for f in files).encode()
        return None

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        steps, name = self._parse()
        if 'moved' in steps:
            self._plain(302, headers=[('Location', self.path.replace('/moved/', '/', 1))])
            return
        if name in ('SHA256SUMS', 'CHECKSUM') or name.endswith('.sha256'):
            body = self._sums(steps, name)
            if body is None:
                self._plain(404, b'no such file\n')
            else:
                self._plain(200, body)
            return
        path = os.path.join(ROOT, name)
        if not name or '/' in name or not os.path.isfile(path):
            self._plain(404, b'no such file\n')
            return
        with open(path, 'rb') as f:
            data = f.read()
        etag = '"%s"' % sha256(path)[:16]
        start = 0
        status = 200
        rng = self.headers.get('Range')
        if_range = self.headers.get('If-Range')
        if rng and 'norange' not in steps and (if_range is None or if_range == etag):
            start = int(rng.split('=')[1].split('-')[0])
            if start >= len(data):
                self._plain(416, headers=[('Content-Range', 'bytes */%d' % len(data))])
                return
            status = 206
        self.send_response(status)
        self.send_header('Content-Length', str(len(data) - start))
        self.send_header('ETag', etag)
        self.send_header('Accept-Ranges', 'bytes')
        if status == 206:
            self.send_header('Content-Range', 'bytes %d-%d/%d' % (start, len(data) - 1, len(data)))
        self.end_headers()
        if self.command == 'HEAD':
            return
        body = data[start:]
        if 'cut' in steps and self.path not in cut_done:
            cut_done.add(self.path)
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        try:
            for i in range(0, len(body), 65536):
                self.wfile.write(body[i:i + 65536])
                if 'slow' in steps:
                    time.sleep(0.06)
        except OSError:
            pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def watch_stdin():
    # The test holds our stdin: when it ends, however it ends, so do we.
    sys.stdin.read()
    os._exit(0)


server = Server(('127.0.0.1', 0), Handler)
threading.Thread(target=watch_stdin, daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()
