#!/usr/bin/env python3
"""The Huffman code of the share cards' run coder (core/image.c,
card_lit_len and card_cl_len), from the symbol counts of cards' title rows.

usage: tools/card_codes.py CARD.png...

Reads palette cards (others are skipped), takes the rows from y 140 to 525
that differ from the row above (where titles are drawn), codes them as the
run coder does (each row after a filter byte 0, a run of one index a
literal and then copies of distance 1 of up to 258 bytes, the rest as
literals), counts the symbols, and prints the two C tables: code lengths of
the 286 literal/length symbols (every symbol gets one, at most 15 bits) and
of the code-length code (at most 7 bits). The tables in core/image.c came
from 255 cards of the bench corpus's first 2,000 articles and 50 cards of
test titles in many scripts."""
import heapq
import struct
import sys
import zlib

BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
        115, 131, 163, 195, 227, 258]


def palette_rows(path):
    data = open(path, 'rb').read()
    pos, idat, kind = 8, b'', None
    while pos < len(data):
        n, = struct.unpack('>I', data[pos:pos + 4])
        ctype, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if ctype == b'IHDR':
            w, h, _, kind = struct.unpack('>IIBB', body[:10])
        elif ctype == b'IDAT':
            idat += body
        pos += 12 + n
    if kind != 3:
        return None
    raw, rows, prev = zlib.decompress(idat), [], bytes(w)
    for y in range(h):
        f, line = raw[y * (w + 1)], raw[y * (w + 1) + 1:(y + 1) * (w + 1)]
        if f == 2:
            line = bytes((a + b) & 255 for a, b in zip(line, prev))
        elif f != 0:
            raise ValueError(f'{path}: filter {f}')
        rows.append(line)
        prev = line
    return rows


def count(paths):
    freq, cards = [0] * 286, 0
    for path in paths:
        rows = palette_rows(path)
        if rows is None:
            continue
        cards += 1
        stream = bytearray()
        for y in range(140, min(525, len(rows))):
            if rows[y] != rows[y - 1]:
                stream += b'\0' + rows[y]
        i = 0
        while i < len(stream):
            j = i + 1
            while j < len(stream) and stream[j] == stream[i]:
                j += 1
            freq[stream[i]] += 1
            rest = j - i - 1
            while rest >= 3:
                run = min(258, rest)
                freq[257 + max(k for k in range(29) if BASE[k] <= run)] += 1
                rest -= run
            freq[stream[i]] += rest
            i = j
    freq[256] += cards
    return freq


def lengths(freq, limit):
    """Huffman code lengths of the symbols of nonzero freq, at most limit
    bits (counts halved until they fit)."""
    used = [i for i, f in enumerate(freq) if f]
    f = [freq[i] for i in used]
    while True:
        heap = [(x, i, None) for i, x in enumerate(f)]
        heapq.heapify(heap)
        n = len(heap)
        while len(heap) > 1:
            a, b = heapq.heappop(heap), heapq.heappop(heap)
            n += 1
            heapq.heappush(heap, (a[0] + b[0], n, (a, b)))
        out = [0] * len(f)
        stack = [(heap[0], 0)]
        while stack:
            node, depth = stack.pop()
            if node[2] is None:
                out[node[1]] = max(depth, 1)
            else:
                stack += [(node[2][0], depth + 1), (node[2][1], depth + 1)]
        if max(out) <= limit:
            res = [0] * len(freq)
            for i, l in zip(used, out):
                res[i] = l
            return res
        f = [(x >> 1) + 1 for x in f]


def c_array(values):
    lines, line = [], '   '
    for v in values:
        if len(line) + 4 > 98:
            lines.append(line)
            line = '   '
        line += f' {v},'
    return '\n'.join(lines + [line])


def main(paths):
    lit = lengths([f + 1 for f in count(paths)], 15)  # every symbol a code
    cl_freq = [0] * 19
    for l in lit + [1, 1]:  # and the two one-bit distance codes
        cl_freq[l] += 1
    cl = lengths([f + 1 if f else 0 for f in cl_freq], 7)
    print('static const uint8_t card_lit_len[286] = {\n' + c_array(lit) + '\n};')
    print('static const uint8_t card_cl_len[19] = {\n' + c_array(cl) + '\n};')


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
