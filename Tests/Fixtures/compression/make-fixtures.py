"""Writes the compression fixtures of BaifsTests with Python's own zlib and gzip modules.

Run from this folder: python3 make-fixtures.py. Every output is deterministic (mtime=0).
  text.txt        the uncompressed text every fixture holds (words from a fixed pseudo-random walk)
  stored.gz       level 0: DEFLATE stored blocks only
  fixed.gz        strategy Z_FIXED: blocks with the fixed Huffman codes
  dynamic.gz      level 9: blocks with dynamic Huffman codes
  named.gz        a header with FNAME, FEXTRA, FCOMMENT and FHCRC flags (the body is level 6)
  two-members.gz  two gzip members one after the other; they decompress to text.txt + text.txt
"""
import gzip, struct, zlib

words = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "numpy", "array", "pixel",
         "label", "feature", "gradient", "tensor", "baifs", "deflate", "huffman", "checksum"]
state, out = 12345, []
for _ in range(900):
    state = (state * 1103515245 + 12345) % 2**31
    out.append(words[state % len(words)])
text = (" ".join(out) + "\n").encode()
open("text.txt", "wb").write(text)

def deflate(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY):
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return compressor.compress(data) + compressor.flush()

def member(body, data, flags=0, extra=b""):
    return (b"\x1f\x8b\x08" + bytes([flags]) + struct.pack("<I", 0) + b"\x00\xff" + extra + body
            + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF))

def block_type(body):
    return (body[0] >> 1) & 3

stored, fixed, dynamic = deflate(text, 0), deflate(text, 9, zlib.Z_FIXED), deflate(text, 9)
assert (block_type(stored), block_type(fixed), block_type(dynamic)) == (0, 1, 2)
open("stored.gz", "wb").write(member(stored, text))
open("fixed.gz", "wb").write(member(fixed, text))
open("dynamic.gz", "wb").write(member(dynamic, text))

header_fields = struct.pack("<H", 4) + b"ab\x00\x01" + b"text.txt\x00" + b"a comment\x00"
header = b"\x1f\x8b\x08" + bytes([0x04 | 0x08 | 0x10 | 0x02]) + struct.pack("<I", 0) + b"\x00\xff" + header_fields
header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
body = deflate(text, 6)
open("named.gz", "wb").write(header + body + struct.pack("<II", zlib.crc32(text), len(text)))

open("two-members.gz", "wb").write(gzip.compress(text, mtime=0) + gzip.compress(text, mtime=0))
assert gzip.decompress(open("named.gz", "rb").read()) == text
assert gzip.decompress(open("two-members.gz", "rb").read()) == text + text
