/*
 * Drives the modern (version 2) virtio-blk device in virtio-mmio slot 0 directly, as a driver
 * would (virtio spec 3.1.1, 4.2.3, 2.7, 5.2.6): negotiates VIRTIO_F_VERSION_1, sets up one split
 * queue, writes a sector, reads it back and compares, reads sector 0 (which the host filled with
 * a known text), flushes, and reports through the test finisher: 0x5555 passes, (code << 16) |
 * 0x3333 fails with the step's code.
 */
#include <stdint.h>

#define MMIO 0x10001000UL
#define FINISHER 0x100000UL
#define QSZ 8

enum { MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014,
       DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034,
       QUEUE_NUM = 0x038, QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, INTERRUPT_STATUS = 0x060,
       INTERRUPT_ACK = 0x064, STATUS = 0x070, QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084,
       QUEUE_DRIVER_LOW = 0x090, QUEUE_DRIVER_HIGH = 0x094, QUEUE_DEVICE_LOW = 0x0a0, QUEUE_DEVICE_HIGH = 0x0a4,
       CONFIG = 0x100 };
enum { ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8, NEEDS_RESET = 64 };
enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4 };
enum { F_NEXT = 1, F_WRITE = 2 };

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
static struct desc desc[QSZ] __attribute__((aligned(16)));
static struct { uint16_t flags, idx, ring[QSZ], used_event; } avail __attribute__((aligned(2)));
static struct { uint16_t flags, idx; struct { uint32_t id, len; } ring[QSZ]; uint16_t avail_event; } used
    __attribute__((aligned(4)));
static struct { uint32_t type, reserved; uint64_t sector; } header;
static uint8_t out[512], in[512];
static volatile uint8_t status;

static void w32(unsigned long reg, uint32_t v) { *(volatile uint32_t *)(MMIO + reg) = v; }
static uint32_t r32(unsigned long reg) { return *(volatile uint32_t *)(MMIO + reg); }

static void finish(uint32_t code) {
    *(volatile uint32_t *)FINISHER = code == 0 ? 0x5555 : code << 16 | 0x3333;
    for (;;) { }
}

static void check(int ok, uint32_t code) {
    if (!ok) finish(code);
}

/* One request: header, optional 512-byte data buffer, status byte. Returns the status. */
static int request(uint32_t type, uint64_t sector, uint8_t *data) {
    header.type = type;
    header.sector = sector;
    status = 0xff;
    int n = 0;
    desc[n] = (struct desc){(uint64_t)&header, sizeof header, F_NEXT, (uint16_t)(n + 1)}; n++;
    if (data) { desc[n] = (struct desc){(uint64_t)data, 512, (uint16_t)(F_NEXT | (type == T_IN ? F_WRITE : 0)), (uint16_t)(n + 1)}; n++; }
    desc[n] = (struct desc){(uint64_t)&status, 1, F_WRITE, 0};
    uint16_t want = (uint16_t)(used.idx + 1);
    avail.ring[avail.idx % QSZ] = 0;
    __sync_synchronize();
    avail.idx++;
    __sync_synchronize();
    w32(QUEUE_NOTIFY, 0);
    while (*(volatile uint16_t *)&used.idx != want) { }
    __sync_synchronize();
    check(used.ring[(uint16_t)(want - 1) % QSZ].id == 0, 20);
    uint32_t isr = r32(INTERRUPT_STATUS);
    check(isr & 1, 21); /* a used buffer notification */
    w32(INTERRUPT_ACK, isr);
    check(r32(INTERRUPT_STATUS) == 0, 22);
    return status;
}

void main(void) {
    check(r32(MAGIC) == 0x74726976, 1);
    check(r32(VERSION) == 2, 2);
    check(r32(DEVICE_ID) == 2, 3);
    w32(STATUS, 0);
    w32(STATUS, ACKNOWLEDGE);
    w32(STATUS, ACKNOWLEDGE | DRIVER);
    w32(DEVICE_FEATURES_SEL, 1);
    check(r32(DEVICE_FEATURES) & 1, 4); /* VIRTIO_F_VERSION_1 (bit 32) */
    w32(DRIVER_FEATURES_SEL, 0);
    w32(DRIVER_FEATURES, 0);
    w32(DRIVER_FEATURES_SEL, 1);
    w32(DRIVER_FEATURES, 1);
    w32(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
    check(r32(STATUS) & FEATURES_OK, 5);
    w32(QUEUE_SEL, 0);
    check(r32(QUEUE_NUM_MAX) >= QSZ, 6);
    check(r32(QUEUE_READY) == 0, 7);
    w32(QUEUE_NUM, QSZ);
    w32(QUEUE_DESC_LOW, (uint32_t)(uint64_t)desc);
    w32(QUEUE_DESC_HIGH, (uint32_t)((uint64_t)desc >> 32));
    w32(QUEUE_DRIVER_LOW, (uint32_t)(uint64_t)&avail);
    w32(QUEUE_DRIVER_HIGH, (uint32_t)((uint64_t)&avail >> 32));
    w32(QUEUE_DEVICE_LOW, (uint32_t)(uint64_t)&used);
    w32(QUEUE_DEVICE_HIGH, (uint32_t)((uint64_t)&used >> 32));
    w32(QUEUE_READY, 1);
    w32(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
    check(!(r32(STATUS) & NEEDS_RESET), 8);
    uint64_t capacity = r32(CONFIG) | (uint64_t)r32(CONFIG + 4) << 32;
    check(capacity >= 8, 9);

    for (int i = 0; i < 512; i++) out[i] = (uint8_t)(i * 7 + 3);
    check(request(T_OUT, 5, out) == 0, 10);
    check(request(T_IN, 5, in) == 0, 11);
    for (int i = 0; i < 512; i++) check(in[i] == out[i], 12);
    check(request(T_IN, 0, in) == 0, 13);
    static const char sig[] = "RIVET-BLK-TEST";
    for (int i = 0; sig[i]; i++) check(in[i] == (uint8_t)sig[i], 14);
    check(request(T_FLUSH, 0, 0) == 0, 15);
    check(request(T_IN, capacity, in) == 1, 16); /* past the end: VIRTIO_BLK_S_IOERR */
    finish(0);
}
