# Rebuilds the ICU common data embedded in a node binary with only the items an English-only,
# Intl-free script needs; the freed bytes are zero-filled (they compress to nothing).
import re, struct, sys
src, dst = sys.argv[1], sys.argv[2]
b = bytearray(open(src, 'rb').read())
start = b.find(b'\x90\x00\xda\x27\x14\x00\x00\x00\x00\x00\x02\x00CmnD')
assert start > 0 and b.find(b'\x90\x00\xda\x27\x14\x00\x00\x00\x00\x00\x02\x00CmnD', start + 1) < 0
hs = struct.unpack_from('<H', b, start)[0]
toc = start + hs
n = struct.unpack_from('<I', b, toc)[0]
ents = []
for i in range(n):
    no, do = struct.unpack_from('<II', b, toc + 4 + 8 * i)
    name = b[toc + no:b.index(b'\0', toc + no)].decode()
    ents.append([name, do])
total = 0x1f92d30  # size of icudt78_dat
items = []
for i, (nm, do) in enumerate(ents):
    end = ents[i + 1][1] if i + 1 < n else total - hs
    items.append((nm, bytes(b[toc + do:toc + end])))
def keep(nm):
    p = nm.split('/')[1:]
    f = p[-1]
    if f.endswith('.cnv') or f in ('unames.icu', 'confusables.cfu'):
        return False
    loc = re.match(r'^([a-z]{2,3})(_[A-Za-z0-9]+)*\.res$', f)
    if loc and loc.group(1) != 'en':
        return False
    if len(p) == 1:
        return True
    sub = p[0]
    if f.endswith('.dict') or sub == 'translit':
        return False
    if sub == 'coll':
        return f in ('root.res', 'ucadata.icu', 'res_index.res')
    return True
kept = [(nm, data) for nm, data in items if keep(nm)]
# TOC: count, entries, names; items 16-aligned after it.
names = b''.join(nm.encode() + b'\0' for nm, _ in kept)
head = 4 + 8 * len(kept)
off = head + len(names)
off = (off + 15) & ~15
entries, blobs, pos = [], [], off
for (nm, data), noff in zip(kept, [head + sum(len(k.encode()) + 1 for k, _ in kept[:i]) for i in range(len(kept))]):
    entries.append(struct.pack('<II', noff, pos))
    pad = (-len(data)) % 16
    blobs.append(data + b'\0' * pad)
    pos += len(data) + pad
body = struct.pack('<I', len(kept)) + b''.join(entries) + names
body += b'\0' * (off - len(body)) + b''.join(blobs)
assert hs + len(body) <= total, (hs + len(body), total)
b[toc:start + total] = body + b'\0' * (start + total - toc - len(body))
open(dst, 'wb').write(b)
print(f'ICU items kept {len(kept)}/{n}, {len(body)} of {total - hs} bytes')
