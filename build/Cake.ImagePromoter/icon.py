#!/usr/bin/env python3
"""Writes icon.png beside this file: the package icon of Cake.ImagePromoter and ImagePromoter.Core.

64x64 RGBA, standard library only: a dark-blue rounded tile with three amber boxes climbing to the right
(images promoted from one registry to the next). Run it again after changing it; the PNG is committed.
"""
import os
import struct
import zlib

SIZE, RADIUS = 64, 10
TILE, BOX, CLEAR = (0x1F, 0x3A, 0x5F, 255), (0xF2, 0xA9, 0x00, 255), (0, 0, 0, 0)


def pixel(x, y):
    for x0, y0 in ((8, 40), (24, 28), (40, 16)):
        if x0 <= x < x0 + 14 and y0 <= y < y0 + 14:
            return BOX
    cx, cy = min(max(x, RADIUS), SIZE - 1 - RADIUS), min(max(y, RADIUS), SIZE - 1 - RADIUS)
    return TILE if (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2 else CLEAR


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


rows = b"".join(b"\x00" + bytes(c for x in range(SIZE) for c in pixel(x, y)) for y in range(SIZE))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png"), "wb") as out:
    out.write(png)
