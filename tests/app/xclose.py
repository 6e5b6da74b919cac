#!/usr/bin/python3
"""Close a top-level X11 window the way a window manager's close button
does: send it WM_PROTOCOLS / WM_DELETE_WINDOW (GTK turns that into a close
request). Works without a window manager (Xvfb). Stdlib only (ctypes + libX11).

    xclose.py TITLE        exit 0 if a window titled TITLE was sent the request, 1 if none
"""
import ctypes
import ctypes.util
import sys

x = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XDefaultRootWindow.restype = ctypes.c_ulong
x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong),
                         ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)), ctypes.POINTER(ctypes.c_uint)]
x.XFetchName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_char_p)]
x.XFree.argtypes = [ctypes.c_void_p]
x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
x.XFlush.argtypes = [ctypes.c_void_p]
x.XCloseDisplay.argtypes = [ctypes.c_void_p]


class ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5), ("pad", ctypes.c_long * 24)]


def windows(d, w):
    root, parent = ctypes.c_ulong(), ctypes.c_ulong()
    kids = ctypes.POINTER(ctypes.c_ulong)()
    n = ctypes.c_uint()
    if not x.XQueryTree(d, w, ctypes.byref(root), ctypes.byref(parent), ctypes.byref(kids), ctypes.byref(n)):
        return
    children = [kids[i] for i in range(n.value)]
    if kids:
        x.XFree(kids)
    for c in children:
        yield c
        yield from windows(d, c)


def main():
    title = sys.argv[1].encode()
    d = x.XOpenDisplay(None)
    if not d:
        print("xclose: cannot open the display", file=sys.stderr)
        return 2
    protocols = x.XInternAtom(d, b"WM_PROTOCOLS", 0)
    delete = x.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
    sent = 0
    for w in windows(d, x.XDefaultRootWindow(d)):
        name = ctypes.c_char_p()
        if x.XFetchName(d, w, ctypes.byref(name)) and name.value:
            match = name.value == title
            x.XFree(name)
            if match:
                ev = ClientMessage(type=33, send_event=1, display=d, window=w, message_type=protocols, format=32)
                ev.data[0] = delete
                x.XSendEvent(d, w, 0, 0, ctypes.byref(ev))
                sent += 1
    x.XFlush(d)
    x.XCloseDisplay(d)
    print(f"xclose: sent WM_DELETE_WINDOW to {sent} window(s) titled {title.decode()!r}")
    return 0 if sent else 1


if __name__ == "__main__":
    sys.exit(main())
