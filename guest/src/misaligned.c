/*
 * misaligned: packed structs, memcpy to and from odd offsets, and real misaligned load/store
 * instructions (lh/lw/ld/sh/sw/sd/flw/fld/fsw/fsd through inline asm at odd addresses), which
 * Linux on RISC-V permits in user mode (hardware or trap-and-emulate).
 */
#include "check.h"
#include <inttypes.h>
#include <stdint.h>

struct __attribute__((packed)) rec {
    uint8_t tag;
    uint64_t u64;
    uint16_t u16;
    uint32_t u32;
    double d;
    int16_t s16;
    float f;
    int64_t s64;
};

static uint8_t buf[256] __attribute__((aligned(16)));

static int64_t ld_at(const void *p) { int64_t r; __asm__ volatile("ld %0,0(%1)" : "=r"(r) : "r"(p) : "memory"); return r; }
static int64_t lw_at(const void *p) { int64_t r; __asm__ volatile("lw %0,0(%1)" : "=r"(r) : "r"(p) : "memory"); return r; }
static int64_t lwu_at(const void *p) { int64_t r; __asm__ volatile("lwu %0,0(%1)" : "=r"(r) : "r"(p) : "memory"); return r; }
static int64_t lh_at(const void *p) { int64_t r; __asm__ volatile("lh %0,0(%1)" : "=r"(r) : "r"(p) : "memory"); return r; }
static int64_t lhu_at(const void *p) { int64_t r; __asm__ volatile("lhu %0,0(%1)" : "=r"(r) : "r"(p) : "memory"); return r; }
static void sd_at(void *p, int64_t v) { __asm__ volatile("sd %1,0(%0)" : : "r"(p), "r"(v) : "memory"); }
static void sw_at(void *p, int64_t v) { __asm__ volatile("sw %1,0(%0)" : : "r"(p), "r"(v) : "memory"); }
static void sh_at(void *p, int64_t v) { __asm__ volatile("sh %1,0(%0)" : : "r"(p), "r"(v) : "memory"); }
static double fld_at(const void *p) { double r; __asm__ volatile("fld %0,0(%1)" : "=f"(r) : "r"(p) : "memory"); return r; }
static float flw_at(const void *p) { float r; __asm__ volatile("flw %0,0(%1)" : "=f"(r) : "r"(p) : "memory"); return r; }
static void fsd_at(void *p, double v) { __asm__ volatile("fsd %1,0(%0)" : : "r"(p), "f"(v) : "memory"); }
static void fsw_at(void *p, float v) { __asm__ volatile("fsw %1,0(%0)" : : "r"(p), "f"(v) : "memory"); }

int main(void) {
    printf("sizeof(struct rec)=%zu offsetof u64=%zu d=%zu s64=%zu\n", sizeof(struct rec),
           __builtin_offsetof(struct rec, u64), __builtin_offsetof(struct rec, d),
           __builtin_offsetof(struct rec, s64));

    /* packed struct placed at every offset 0..7 inside a buffer */
    for (int off = 0; off < 8; off++) {
        struct rec *r = (struct rec *)(buf + off);
        memset(buf, 0xa5, sizeof buf);
        r->tag = (uint8_t)off;
        r->u64 = 0x0102030405060708ULL + off;
        r->u16 = (uint16_t)(0xbeef + off);
        r->u32 = 0xdeadbeefu - off;
        r->d = 3.25 + off;
        r->s16 = (int16_t)(-2 - off);
        r->f = -1.5f * off;
        r->s64 = -0x1234567890LL * (off + 1);
        CHECK_EQ(r->u64, 0x0102030405060708ULL + off);
        CHECK_EQ(r->u16, 0xbeef + off);
        CHECK_EQ(r->u32, 0xdeadbeefu - off);
        CHECK(r->d == 3.25 + off);
        CHECK_EQ(r->s16, -2 - off);
        CHECK(r->f == -1.5f * off);
        CHECK_EQ(r->s64, -0x1234567890LL * (off + 1));
        CHECK_EQ(buf[off + sizeof(struct rec)], 0xa5);
        if (off) CHECK_EQ(buf[off - 1], 0xa5);
        /* the bytes are little-endian at their packed offsets */
        CHECK_EQ(buf[off + 1], 0x08 + off);
        CHECK_EQ(buf[off + 8], 0x01);
        uint32_t sum = 0;
        for (size_t i = 0; i < sizeof(struct rec); i++) sum = sum * 31 + buf[off + i];
        printf("packed rec at +%d: hash=%08x\n", off, sum);
    }

    /* memcpy in and out of odd offsets */
    for (int off = 0; off < 16; off++) {
        uint64_t v = 0x1122334455667788ULL ^ ((uint64_t)off << 56);
        memcpy(buf + off, &v, sizeof v);
        uint64_t w;
        memcpy(&w, buf + off, sizeof w);
        CHECK_EQ(w, v);
        double d = 1.0 / (off + 3), e;
        memcpy(buf + off + 9, &d, sizeof d);
        memcpy(&e, buf + off + 9, sizeof e);
        CHECK(d == e);
    }

    /* real misaligned accesses through load/store instructions */
    for (int i = 0; i < 64; i++) buf[i] = (uint8_t)(i * 7 + 1);
    for (int off = 1; off < 8; off++) {
        int64_t d = ld_at(buf + off), w = lw_at(buf + off), wu = lwu_at(buf + off);
        int64_t h = lh_at(buf + off), hu = lhu_at(buf + off);
        uint64_t expect = 0;
        for (int i = 7; i >= 0; i--) expect = (expect << 8) | buf[off + i];
        CHECK_EQ(d, (int64_t)expect);
        CHECK_EQ(w, (int64_t)(int32_t)expect);
        CHECK_EQ(wu, (int64_t)(uint32_t)expect);
        CHECK_EQ(h, (int64_t)(int16_t)expect);
        CHECK_EQ(hu, (int64_t)(uint16_t)expect);
        printf("misaligned +%d: ld=%016" PRIx64 " lw=%" PRId64 " lhu=%" PRIx64 "\n", off,
               (uint64_t)d, w, (uint64_t)hu);
    }
    /* an access crossing a page boundary inside the buffer's page pair */
    static uint8_t pages[8192] __attribute__((aligned(4096)));
    for (int i = 0; i < 16; i++) pages[4096 - 8 + i] = (uint8_t)(0xf0 + i);
    CHECK_EQ((uint64_t)ld_at(pages + 4096 - 3), 0xfcfbfaf9f8f7f6f5ULL);
    for (int off = 1; off < 8; off++) {
        sd_at(buf + 100 + off, 0x0807060504030201LL);
        for (int i = 0; i < 8; i++) CHECK_EQ(buf[100 + off + i], i + 1);
        sw_at(buf + 120 + off, 0x44332211);
        CHECK_EQ(buf[120 + off], 0x11);
        CHECK_EQ(buf[123 + off], 0x44);
        sh_at(buf + 140 + off, 0xbbaa);
        CHECK_EQ(buf[140 + off], 0xaa);
        CHECK_EQ(buf[141 + off], 0xbb);
        fsd_at(buf + 160 + off, -0.125 * off);
        CHECK(fld_at(buf + 160 + off) == -0.125 * off);
        fsw_at(buf + 180 + off, 2.5f * off);
        CHECK(flw_at(buf + 180 + off) == 2.5f * off);
    }
    sd_at(pages + 4096 - 5, 0x1122334455667788LL);
    CHECK_EQ((uint64_t)ld_at(pages + 4096 - 5), 0x1122334455667788ULL);
    CHECK_EQ(pages[4095], 0x44);
    CHECK_EQ(pages[4096], 0x33);
    printf("page-crossing ld/sd ok\n");
    return DONE("misaligned");
}
