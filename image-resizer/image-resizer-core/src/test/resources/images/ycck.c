/*
 * ycck.c - writes the 120x80 "quadrants" test pattern as a YCCK JPEG
 * (4 components, JPEG colour space YCCK, Adobe APP14 marker with transform=2,
 * 4:4:4 sampling, quality 95).  Used by make-fixtures.sh; build with:
 *   gcc -O2 -o ycck ycck.c -ljpeg      (Debian: libjpeg62-turbo-dev)
 * Usage: ycck OUTPUT.jpg
 *
 * Adobe CMYK/YCCK JPEGs store *inverted* CMYK (255 = no ink), so the samples
 * fed to libjpeg are 255 - ink:
 *   red   ink C0   M255 Y255 K0  -> stored 255,  0,  0,255
 *   green ink C255 M0   Y255 K0  -> stored   0,255,  0,255
 *   blue  ink C255 M255 Y0   K0  -> stored   0,  0,255,255
 *   white ink C0   M0   Y0   K0  -> stored 255,255,255,255
 */
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>

#define W 120
#define H 80

int main(int argc, char **argv) {
    static const unsigned char stored[4][4] = {
        {255, 0, 0, 255},     /* top-left: red */
        {0, 255, 0, 255},     /* top-right: green */
        {0, 0, 255, 255},     /* bottom-left: blue */
        {255, 255, 255, 255}, /* bottom-right: white */
    };
    struct jpeg_compress_struct cinfo;
    struct jpeg_error_mgr jerr;
    unsigned char row[W * 4];
    JSAMPROW rowp[1] = {row};
    FILE *out;
    int x, y, c, i;

    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT.jpg\n", argv[0]);
        return 2;
    }
    out = fopen(argv[1], "wb");
    if (!out) {
        perror(argv[1]);
        return 1;
    }

    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&cinfo);
    jpeg_stdio_dest(&cinfo, out);

    cinfo.image_width = W;
    cinfo.image_height = H;
    cinfo.input_components = 4;
    cinfo.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&cinfo);
    jpeg_set_colorspace(&cinfo, JCS_YCCK);
    jpeg_set_quality(&cinfo, 95, TRUE);
    for (i = 0; i < cinfo.num_components; i++) { /* 4:4:4, no chroma subsampling */
        cinfo.comp_info[i].h_samp_factor = 1;
        cinfo.comp_info[i].v_samp_factor = 1;
    }
    cinfo.write_JFIF_header = FALSE;
    cinfo.write_Adobe_marker = TRUE; /* APP14 "Adobe", transform=2 for YCCK */

    jpeg_start_compress(&cinfo, TRUE);
    for (y = 0; y < H; y++) {
        for (x = 0; x < W; x++) {
            int q = (y < H / 2 ? 0 : 2) + (x < W / 2 ? 0 : 1);
            for (c = 0; c < 4; c++)
                row[x * 4 + c] = stored[q][c];
        }
        jpeg_write_scanlines(&cinfo, rowp, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    if (fclose(out) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
