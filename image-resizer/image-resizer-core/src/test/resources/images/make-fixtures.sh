#!/usr/bin/env bash
# make-fixtures.sh - regenerates the image-resizer test fixtures in the folder
# this script lives in (see README.md for what each file is and what a test
# can assert about its pixels), then verifies every file and fails on a mismatch.
#
# Base pattern "quadrants": upright 120x80, four 60x40 quadrants:
#   top-left red (255,0,0), top-right green (0,255,0),
#   bottom-left blue (0,0,255), bottom-right white (255,255,255).
#
# Makes: exif-orientation-1..8.jpg, progressive.jpg, cmyk.jpg, ycck.jpg,
#        grayscale.jpg, alpha.png, palette-transparent.png, gray-alpha.png,
#        rgb16.png, gray16.png, animated.gif, bmp24.bmp, lossy.webp,
#        alpha.webp, wide.png, tall.jpg, small.png, not-an-image.txt
#
# Needs (Debian 12 packages): imagemagick (ImageMagick 6, /usr/bin/convert and
# /usr/bin/identify), python3 + python3-pil (Pillow 9.4, with WebP support),
# gcc + libjpeg62-turbo-dev (to build ycck.c, which writes ycck.jpg).
# The full paths are used on purpose: /usr/local/bin/convert on the build
# machine is not ImageMagick, and a pyenv python3 may lack PIL.
# ycck.c is compiled into a temporary directory; no binary is left behind.
set -euo pipefail

CONVERT=/usr/bin/convert
IDENTIFY=/usr/bin/identify
PYTHON=/usr/bin/python3
CC=${CC:-gcc}

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$OUT"

for tool in "$CONVERT" "$IDENTIFY" "$PYTHON"; do
    [[ -x "$tool" ]] || { echo "missing $tool" >&2; exit 1; }
done
command -v "$CC" >/dev/null || { echo "missing C compiler $CC" >&2; exit 1; }
"$PYTHON" -c 'import PIL.features as f, sys; sys.exit(0 if f.check("webp") else 1)' \
    || { echo "$PYTHON has no PIL with WebP support (apt-get install python3-pil)" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# --- ycck.jpg: written directly with libjpeg (JCS_YCCK, Adobe transform=2) ---
"$CC" -O2 -Wall -o "$TMP/ycck" "$OUT/ycck.c" -ljpeg
"$TMP/ycck" "$OUT/ycck.jpg"

# --- rgb16.png: 16 bits per channel RGB via ImageMagick (PNG48 forces colour
# type 2 / depth 16; all ancillary chunks excluded so output is reproducible) ---
"$CONVERT" -size 60x40 xc:'rgb(255,0,0)' xc:'rgb(0,255,0)' +append \
    \( -size 60x40 xc:'rgb(0,0,255)' xc:'rgb(255,255,255)' +append \) -append \
    -depth 16 -define png:exclude-chunk=all PNG48:"$OUT/rgb16.png"

# --- everything else with Pillow ---
"$PYTHON" - "$OUT" <<'PYEOF'
import os
import sys
from PIL import Image

out = sys.argv[1]
RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)
T = Image.Transpose


def p(name):
    return os.path.join(out, name)


def quadrants(w=120, h=80):
    im = Image.new("RGB", (w, h))
    hw, hh = w // 2, h // 2
    im.paste(RED, (0, 0, hw, hh))
    im.paste(GREEN, (hw, 0, w, hh))
    im.paste(BLUE, (0, hh, hw, h))
    im.paste(WHITE, (hw, hh, w, h))
    return im


JPEG = dict(quality=95, subsampling=0)  # 4:4:4, colours stay true
upright = quadrants()

# EXIF orientation N: stored pixels = inverse of the display transform for N,
# so that a viewer applying tag N shows the upright 120x80 pattern.
STORE = {
    1: None,
    2: T.FLIP_LEFT_RIGHT,  # display: mirror horizontal
    3: T.ROTATE_180,       # display: rotate 180
    4: T.FLIP_TOP_BOTTOM,  # display: mirror vertical
    5: T.TRANSPOSE,        # display: transpose (self-inverse)
    6: T.ROTATE_90,        # display: rotate 90 CW -> store rotated 90 CCW
    7: T.TRANSVERSE,       # display: transverse (self-inverse)
    8: T.ROTATE_270,       # display: rotate 270 CW (=90 CCW) -> store 90 CW
}
for n, op in STORE.items():
    stored = upright if op is None else upright.transpose(op)
    exif = Image.Exif()
    exif[0x0112] = n  # Orientation, in IFD0 of a real APP1 "Exif" segment
    stored.save(p(f"exif-orientation-{n}.jpg"), "JPEG", exif=exif.tobytes(), **JPEG)

upright.save(p("progressive.jpg"), "JPEG", progressive=True, **JPEG)

# Plain Adobe CMYK JPEG (APP14 transform=0).  Not ImageMagick: IM 6 always
# writes CMYK JPEGs as YCCK (it calls jpeg_set_colorspace(JCS_YCCK)).
# Pillow's RGB->CMYK is C=255-R, M=255-G, Y=255-B, K=0, and it stores the
# Adobe-inverted values.
upright.convert("CMYK").save(p("cmyk.jpg"), "JPEG", **JPEG)

g = Image.new("L", (120, 80), 64)
g.paste(192, (60, 0, 120, 80))
g.save(p("grayscale.jpg"), "JPEG", quality=95)

a = Image.new("RGBA", (120, 80), (255, 0, 0, 255))
a.paste((0, 0, 0, 0), (60, 0, 120, 80))
a.save(p("alpha.png"))
a.save(p("alpha.webp"), "WEBP", lossless=True, exact=True, quality=100, method=6)

pal = Image.new("P", (120, 80), 0)
pal.putpalette([0, 255, 0, 0, 0, 0])  # index 0 green, index 1 black
pal.paste(1, (60, 0, 120, 80))
pal.save(p("palette-transparent.png"), bits=8, transparency=1)  # tRNS: idx1 alpha 0

la = Image.new("LA", (120, 80), (128, 255))
la.paste((128, 0), (60, 0, 120, 80))
la.save(p("gray-alpha.png"))

raw = b"".join(
    ((16384 if x < 60 else 49152).to_bytes(2, "little")) for _ in range(80) for x in range(120)
)
Image.frombytes("I;16", (120, 80), raw).save(p("gray16.png"))  # colour type 0, depth 16

Image.new("RGB", (120, 80), RED).save(
    p("animated.gif"), save_all=True,
    append_images=[Image.new("RGB", (120, 80), BLUE)], duration=500, loop=0)

upright.save(p("bmp24.bmp"))  # RGB -> 24-bit BI_RGB
upright.save(p("lossy.webp"), "WEBP", quality=95, method=6)

Image.new("RGB", (800, 200), (0, 128, 255)).save(p("wide.png"))
Image.new("RGB", (300, 900), (255, 128, 0)).save(p("tall.jpg"), "JPEG", **JPEG)
quadrants(50, 30).save(p("small.png"))

with open(p("not-an-image.txt"), "w") as f:
    f.write("This is not an image.\n"
            "It is a plain text file used to check that the image resizer\n"
            "rejects non-image input with a clear error instead of crashing.\n")
PYEOF

# --- verification: exits non-zero on any mismatch ---
"$PYTHON" - "$OUT" "$CONVERT" <<'PYEOF'
import io
import os
import struct
import subprocess
import sys
from PIL import Image, ImageOps

out, convert = sys.argv[1], sys.argv[2]
failures = []
RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)
QUAD = {(30, 20): RED, (90, 20): GREEN, (30, 60): BLUE, (90, 60): WHITE}


def p(name):
    return os.path.join(out, name)


def check(cond, msg):
    if not cond:
        failures.append(msg)


def close(a, b, tol):
    a = a if isinstance(a, tuple) else (a,)
    b = b if isinstance(b, tuple) else (b,)
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b))


def expect_px(name, im, facts, tol):
    for xy, want in facts.items():
        got = im.getpixel(xy)
        check(close(got, want, tol), f"{name}: pixel {xy} = {got}, want {want} +/-{tol}")


def jpeg_segments(name):
    """(marker, payload) for every segment up to SOS."""
    d = open(p(name), "rb").read()
    assert d[:2] == b"\xff\xd8", name
    i, segs = 2, []
    while i < len(d):
        m = d[i + 1]
        n = struct.unpack(">H", d[i + 2:i + 4])[0]
        segs.append((m, d[i + 4:i + 2 + n]))
        if m == 0xDA:
            break
        i += 2 + n
    return segs


def png_chunks(name):
    d = open(p(name), "rb").read()
    assert d[:8] == b"\x89PNG\r\n\x1a\n", name
    i, chunks = 8, []
    while i < len(d):
        n = struct.unpack(">I", d[i:i + 4])[0]
        chunks.append((d[i + 4:i + 8], d[i + 8:i + 8 + n]))
        i += 12 + n
    return chunks


def ihdr(name):
    t, data = png_chunks(name)[0]
    assert t == b"IHDR"
    w, h, depth, ctype = struct.unpack(">IIBB", data[:10])
    return w, h, depth, ctype


def im_decode(name, *ops):
    """Decode with ImageMagick (independent of Pillow) into a Pillow image."""
    png = subprocess.run([convert, p(name), *ops, "-depth", "8", "png24:-"],
                         check=True, capture_output=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


# 1. EXIF orientations
for n in range(1, 9):
    f = f"exif-orientation-{n}.jpg"
    im = Image.open(p(f))
    stored = (80, 120) if n >= 5 else (120, 80)
    check(im.size == stored, f"{f}: stored size {im.size}, want {stored}")
    check(any(m == 0xE1 and s.startswith(b"Exif\0\0") for m, s in jpeg_segments(f)),
          f"{f}: no APP1 Exif segment")
    check(im.getexif().get(0x0112) == n, f"{f}: Orientation {im.getexif().get(0x0112)}, want {n}")
    up = ImageOps.exif_transpose(im).convert("RGB")
    check(up.size == (120, 80), f"{f}: PIL exif_transpose size {up.size}")
    expect_px(f + " (PIL exif_transpose)", up, QUAD, 40)
    up2 = im_decode(f, "-auto-orient")
    check(up2.size == (120, 80), f"{f}: ImageMagick -auto-orient size {up2.size}")
    expect_px(f + " (ImageMagick -auto-orient)", up2, QUAD, 40)

# 2. progressive
im = Image.open(p("progressive.jpg"))
check(im.info.get("progressive") or im.info.get("progression"), "progressive.jpg: not progressive")
check(any(m == 0xC2 for m, _ in jpeg_segments("progressive.jpg")), "progressive.jpg: no SOF2")
check(im.size == (120, 80) and im.mode == "RGB", f"progressive.jpg: {im.size} {im.mode}")
expect_px("progressive.jpg", im, QUAD, 40)


# 3./4. CMYK and YCCK
def adobe_jpeg(name, transform):
    im = Image.open(p(name))
    check(im.mode == "CMYK" and im.size == (120, 80), f"{name}: {im.mode} {im.size}")
    check(im.info.get("adobe_transform") == transform,
          f"{name}: adobe_transform {im.info.get('adobe_transform')}, want {transform}")
    segs = jpeg_segments(name)
    app14 = [s for m, s in segs if m == 0xEE and s.startswith(b"Adobe")]
    check(len(app14) == 1 and app14[0][11] == transform, f"{name}: APP14 transform")
    sof = [s for m, s in segs if m in (0xC0, 0xC1, 0xC2)]
    check(len(sof) == 1 and sof[0][5] == 4, f"{name}: SOF is not 4-component")
    # after PIL's inversion of Adobe data: ink values
    expect_px(name + " (PIL CMYK ink)", im,
              {(30, 20): (0, 255, 255, 0), (90, 20): (255, 0, 255, 0),
               (30, 60): (255, 255, 0, 0), (90, 60): (0, 0, 0, 0)}, 40)
    expect_px(name + " (PIL .convert('RGB'))", im.convert("RGB"), QUAD, 40)
    expect_px(name + " (ImageMagick -colorspace sRGB)", im_decode(name, "-colorspace", "sRGB"), QUAD, 40)


adobe_jpeg("cmyk.jpg", 0)
adobe_jpeg("ycck.jpg", 2)

# 5. grayscale
im = Image.open(p("grayscale.jpg"))
check(im.mode == "L" and im.size == (120, 80), f"grayscale.jpg: {im.mode} {im.size}")
check([s[5] for m, s in jpeg_segments("grayscale.jpg") if m == 0xC0] == [1], "grayscale.jpg: not 1 component")
expect_px("grayscale.jpg", im, {(30, 40): 64, (90, 40): 192}, 8)

# 6. alpha.png
im = Image.open(p("alpha.png"))
check(ihdr("alpha.png") == (120, 80, 8, 6), f"alpha.png IHDR {ihdr('alpha.png')}")
check(im.mode == "RGBA", f"alpha.png mode {im.mode}")
expect_px("alpha.png", im, {(30, 40): (255, 0, 0, 255), (90, 40): (0, 0, 0, 0)}, 0)

# 7. palette-transparent.png
im = Image.open(p("palette-transparent.png"))
check(ihdr("palette-transparent.png") == (120, 80, 8, 3), f"palette IHDR {ihdr('palette-transparent.png')}")
check(any(t == b"tRNS" for t, _ in png_chunks("palette-transparent.png")), "palette: no tRNS")
check(im.mode == "P", f"palette mode {im.mode}")
expect_px("palette-transparent.png", im.convert("RGBA"),
          {(30, 40): (0, 255, 0, 255), (90, 40): (0, 0, 0, 0)}, 0)

# 8. gray-alpha.png
im = Image.open(p("gray-alpha.png"))
check(ihdr("gray-alpha.png") == (120, 80, 8, 4), f"gray-alpha IHDR {ihdr('gray-alpha.png')}")
check(im.mode == "LA", f"gray-alpha mode {im.mode}")
expect_px("gray-alpha.png", im, {(30, 40): (128, 255), (90, 40): (128, 0)}, 0)

# 9. rgb16.png (Pillow reads 16-bit RGB as 8-bit RGB; ImageMagick gives 16-bit values)
check(ihdr("rgb16.png") == (120, 80, 16, 2), f"rgb16 IHDR {ihdr('rgb16.png')}")
expect_px("rgb16.png", Image.open(p("rgb16.png")).convert("RGB"), QUAD, 0)
txt = subprocess.run([convert, p("rgb16.png"), "-depth", "16", "txt:-"],
                     check=True, capture_output=True, text=True).stdout
want16 = {"30,20": "(65535,0,0)", "90,20": "(0,65535,0)", "30,60": "(0,0,65535)", "90,60": "(65535,65535,65535)"}
for line in txt.splitlines():
    key = line.split(":")[0]
    if key in want16:
        check(line.split()[1] == want16.pop(key), f"rgb16.png 16-bit pixel: {line}")
check(not want16, f"rgb16.png: pixels not found {want16}")

# 10. gray16.png
im = Image.open(p("gray16.png"))
check(ihdr("gray16.png") == (120, 80, 16, 0), f"gray16 IHDR {ihdr('gray16.png')}")
expect_px("gray16.png", im, {(30, 40): 16384, (90, 40): 49152}, 0)

# 11. animated.gif
im = Image.open(p("animated.gif"))
check(im.size == (120, 80) and getattr(im, "n_frames", 1) == 2, f"animated.gif {im.size} frames={getattr(im, 'n_frames', 1)}")
im.seek(0)
expect_px("animated.gif frame 0", im.convert("RGB"), {(0, 0): RED, (60, 40): RED, (119, 79): RED}, 0)
im.seek(1)
expect_px("animated.gif frame 1", im.convert("RGB"), {(0, 0): BLUE, (60, 40): BLUE, (119, 79): BLUE}, 0)

# 12. bmp24.bmp
d = open(p("bmp24.bmp"), "rb").read()
check(d[:2] == b"BM" and struct.unpack("<H", d[28:30])[0] == 24 and struct.unpack("<I", d[30:34])[0] == 0,
      "bmp24.bmp: not 24-bit BI_RGB")
im = Image.open(p("bmp24.bmp"))
check(im.size == (120, 80) and im.mode == "RGB", f"bmp24 {im.size} {im.mode}")
expect_px("bmp24.bmp", im, QUAD, 0)


# 13./14. WebP
def riff_chunks(name):
    d = open(p(name), "rb").read()
    assert d[:4] == b"RIFF" and d[8:12] == b"WEBP", name
    i, ids = 12, []
    while i < len(d):
        cid, n = d[i:i + 4], struct.unpack("<I", d[i + 4:i + 8])[0]
        ids.append(cid)
        i += 8 + n + (n & 1)
    return ids


check(b"VP8 " in riff_chunks("lossy.webp"), f"lossy.webp chunks {riff_chunks('lossy.webp')}")
im = Image.open(p("lossy.webp"))
check(im.size == (120, 80), f"lossy.webp size {im.size}")
expect_px("lossy.webp", im.convert("RGB"), QUAD, 40)
check(b"VP8L" in riff_chunks("alpha.webp"), f"alpha.webp chunks {riff_chunks('alpha.webp')}")
im = Image.open(p("alpha.webp"))
check(im.size == (120, 80) and im.mode == "RGBA", f"alpha.webp {im.size} {im.mode}")
expect_px("alpha.webp", im, {(30, 40): (255, 0, 0, 255), (90, 40): (0, 0, 0, 0)}, 0)

# 15.-17. geometry fixtures
im = Image.open(p("wide.png"))
check(im.size == (800, 200) and ihdr("wide.png")[2:] == (8, 2), f"wide.png {im.size} {ihdr('wide.png')}")
expect_px("wide.png", im, {(0, 0): (0, 128, 255), (400, 100): (0, 128, 255), (799, 199): (0, 128, 255)}, 0)
im = Image.open(p("tall.jpg"))
check(im.size == (300, 900) and im.mode == "RGB", f"tall.jpg {im.size} {im.mode}")
expect_px("tall.jpg", im, {(0, 0): (255, 128, 0), (150, 450): (255, 128, 0), (299, 899): (255, 128, 0)}, 8)
im = Image.open(p("small.png"))
check(im.size == (50, 30) and ihdr("small.png")[2:] == (8, 2), f"small.png {im.size} {ihdr('small.png')}")
expect_px("small.png", im, {(12, 7): RED, (37, 7): GREEN, (12, 22): BLUE, (37, 22): WHITE}, 0)

# 18. not an image
try:
    Image.open(p("not-an-image.txt"))
    failures.append("not-an-image.txt: Pillow opened it")
except Exception:
    pass

# sizes
names = ([f"exif-orientation-{n}.jpg" for n in range(1, 9)] +
         "progressive.jpg cmyk.jpg ycck.jpg grayscale.jpg alpha.png palette-transparent.png "
         "gray-alpha.png rgb16.png gray16.png animated.gif bmp24.bmp lossy.webp alpha.webp "
         "wide.png tall.jpg small.png not-an-image.txt".split())
total = 0
for n in names:
    s = os.path.getsize(p(n))
    total += s
    # an uncompressed 24-bit BMP of 120x80 is 28,854 bytes by nature; all else <= 15 KiB
    limit = 30 * 1024 if n.endswith(".bmp") else 15 * 1024
    check(s <= limit, f"{n}: {s} bytes > {limit} bytes")
check(total <= 150 * 1024, f"total {total} bytes > 150 KiB")

if failures:
    print("FIXTURE VERIFICATION FAILED:", *failures, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"verified {len(names)} fixtures, {total} bytes total")
PYEOF

ls -la "$OUT"
