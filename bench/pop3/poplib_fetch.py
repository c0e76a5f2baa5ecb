#!/usr/bin/env python3
"""Fetch every message of a POP3 mailbox over STLS with Python's poplib,
keeping them on the server; prints "<messages> <octets>".

usage: poplib_fetch.py HOST PORT USER PASSWORD_FILE CA_FILE
"""
import poplib
import ssl
import sys

host, port, user, pwfile, cafile = sys.argv[1:6]
password = open(pwfile).read().rstrip("\r\n")
ctx = ssl.create_default_context(cafile=cafile)
# Verified against the CA and the host (the certificate lists 127.0.0.1).
p = poplib.POP3(host, int(port), timeout=60)
p.stls(context=ctx)
p.user(user)
p.pass_(password)
count, _ = p.stat()
total = 0
for n in range(1, count + 1):
    _, lines, octets = p.retr(n)
    total += octets
p.quit()
print(count, total)
