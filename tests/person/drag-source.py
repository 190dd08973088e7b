#!/usr/bin/python3
# drag-source.py — another application on the test's desktop, with files to
# drag: a small GTK window whose label can be dragged, offering the files
# named on the command line as text/uri-list, as a file manager does.
# Prints "ready" once its window is shown.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import sys

import gi

gi.require_version('Gdk', '4.0')
gi.require_version('Gtk', '4.0')
from gi.repository import Gdk, Gio, GLib, Gtk  # noqa: E402

paths = sys.argv[1:]


def on_prepare(source, x, y):
    uris = ''.join(Gio.File.new_for_path(p).get_uri() + '\r\n' for p in paths)
    return Gdk.ContentProvider.new_for_bytes('text/uri-list', GLib.Bytes.new(uris.encode()))


def on_activate(app):
    window = Gtk.ApplicationWindow(application=app, title='Files to drag')
    window.set_default_size(220, 120)
    label = Gtk.Label(label='\n'.join(p.rsplit('/', 1)[-1] for p in paths))
    source = Gtk.DragSource(actions=Gdk.DragAction.COPY)
    source.connect('prepare', on_prepare)
    label.add_controller(source)
    window.set_child(label)
    window.present()
    GLib.timeout_add(500, lambda: print('ready', flush=True) and False)


app = Gtk.Application(application_id='org.hangar.TestDragSource',
                      flags=Gio.ApplicationFlags.NON_UNIQUE)
app.connect('activate', on_activate)
app.run([])
