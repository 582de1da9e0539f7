package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static dev.rivet.cpu.Machine.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Random operands (mixed with edge values) through Decoder + Interpreter, compared against reference
 * implementations written from the spec text: BigInteger for multiply-high, division and remainder,
 * explicit masking, loops and bit-by-bit code for the rest.
 */
class AluProperties {
    static final long MIN = Long.MIN_VALUE, MAX = Long.MAX_VALUE;
    static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

    interface Enc3 { int enc(int rd, int rs1, int rs2); }

    record Binary(String name, Enc3 enc, LongBinaryOperator ref) {
        @Override public String toString() { return name; }
    }

    record Unary(String name, Enc3 enc, LongUnaryOperator ref) {
        @Override public String toString() { return name; }
    }

    interface ImmRef { long apply(long a, int imm); }

    record Imm(String name, Enc3 enc, ImmRef ref, int lo, int hi) {
        @Override public String toString() { return name; }
    }

    // ------------------------------------------------------------------ reference helpers

    static BigInteger s(long v) { return BigInteger.valueOf(v); }

    static BigInteger u(long v) { return v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(TWO64); }

    static long sext32(long v) {
        long low = v & 0xffff_ffffL;
        return (low & 0x8000_0000L) != 0 ? low | 0xffff_ffff_0000_0000L : low;
    }

    static long zext32(long v) { return v & 0xffff_ffffL; }

    static boolean ltu(long a, long b) { return u(a).compareTo(u(b)) < 0; }

    static long bit(long v, int i) { return (v >>> i) & 1; }

    static long rotl(long a, int n) {
        n &= 63;
        long r = 0;
        for (int i = 0; i < 64; i++) r |= bit(a, i) << ((i + n) % 64);
        return r;
    }

    static long rotl32(long a, int n) {
        n &= 31;
        long r = 0;
        for (int i = 0; i < 32; i++) r |= bit(a, i) << ((i + n) % 32);
        return sext32(r);
    }

    static long clzRef(long a, int width) {
        int n = 0;
        for (int i = width - 1; i >= 0 && bit(a, i) == 0; i--) n++;
        return n;
    }

    static long ctzRef(long a, int width) {
        int n = 0;
        for (int i = 0; i < width && bit(a, i) == 0; i++) n++;
        return n;
    }

    static long cpopRef(long a, int width) {
        int n = 0;
        for (int i = 0; i < width; i++) n += (int) bit(a, i);
        return n;
    }

    static long mulhRef(BigInteger a, BigInteger b) { return a.multiply(b).shiftRight(64).longValue(); }

    static long divRef(long a, long b) {
        if (b == 0) return -1;
        return s(a).divide(s(b)).longValue(); // truncates toward zero; MIN / -1 wraps to MIN
    }

    static long remRef(long a, long b) {
        if (b == 0) return a;
        return s(a).remainder(s(b)).longValue();
    }

    static long divuRef(long a, long b) { return b == 0 ? -1 : u(a).divide(u(b)).longValue(); }

    static long remuRef(long a, long b) { return b == 0 ? a : u(a).remainder(u(b)).longValue(); }

    static final List<Binary> BASE = List.of(
            new Binary("add", Asm::add, (a, b) -> a + b),
            new Binary("sub", Asm::sub, (a, b) -> a - b),
            new Binary("sll", Asm::sll, (a, b) -> a << (b & 63)),
            new Binary("slt", Asm::slt, (a, b) -> s(a).compareTo(s(b)) < 0 ? 1 : 0),
            new Binary("sltu", Asm::sltu, (a, b) -> ltu(a, b) ? 1 : 0),
            new Binary("xor", Asm::xor, (a, b) -> a ^ b),
            new Binary("srl", Asm::srl, (a, b) -> u(a).shiftRight((int) (b & 63)).longValue()),
            new Binary("sra", Asm::sra, (a, b) -> s(a).shiftRight((int) (b & 63)).longValue()),
            new Binary("or", Asm::or, (a, b) -> a | b),
            new Binary("and", Asm::and, (a, b) -> a & b),
            new Binary("addw", Asm::addw, (a, b) -> sext32(a + b)),
            new Binary("subw", Asm::subw, (a, b) -> sext32(a - b)),
            new Binary("sllw", Asm::sllw, (a, b) -> sext32(zext32(a) << (b & 31))),
            new Binary("srlw", Asm::srlw, (a, b) -> sext32(zext32(a) >>> (b & 31))),
            new Binary("sraw", Asm::sraw, (a, b) -> sext32(s(sext32(a)).shiftRight((int) (b & 31)).longValue())));

    static final List<Binary> M = List.of(
            new Binary("mul", Asm::mul, (a, b) -> s(a).multiply(s(b)).longValue()),
            new Binary("mulh", Asm::mulh, (a, b) -> mulhRef(s(a), s(b))),
            new Binary("mulhsu", Asm::mulhsu, (a, b) -> mulhRef(s(a), u(b))),
            new Binary("mulhu", Asm::mulhu, (a, b) -> mulhRef(u(a), u(b))),
            new Binary("div", Asm::div, AluProperties::divRef),
            new Binary("divu", Asm::divu, AluProperties::divuRef),
            new Binary("rem", Asm::rem, AluProperties::remRef),
            new Binary("remu", Asm::remu, AluProperties::remuRef),
            new Binary("mulw", Asm::mulw, (a, b) -> sext32(s(sext32(a)).multiply(s(sext32(b))).longValue())),
            new Binary("divw", Asm::divw, (a, b) -> sext32(divRef(sext32(a), sext32(b)))),
            new Binary("divuw", Asm::divuw, (a, b) -> sext32(divuRef(zext32(a), zext32(b)))),
            new Binary("remw", Asm::remw, (a, b) -> sext32(remRef(sext32(a), sext32(b)))),
            new Binary("remuw", Asm::remuw, (a, b) -> sext32(remuRef(zext32(a), zext32(b)))));

    static final List<Binary> B = List.of(
            new Binary("sh1add", Asm::sh1add, (a, b) -> a * 2 + b),
            new Binary("sh2add", Asm::sh2add, (a, b) -> a * 4 + b),
            new Binary("sh3add", Asm::sh3add, (a, b) -> a * 8 + b),
            new Binary("add.uw", Asm::addUw, (a, b) -> zext32(a) + b),
            new Binary("sh1add.uw", Asm::sh1addUw, (a, b) -> zext32(a) * 2 + b),
            new Binary("sh2add.uw", Asm::sh2addUw, (a, b) -> zext32(a) * 4 + b),
            new Binary("sh3add.uw", Asm::sh3addUw, (a, b) -> zext32(a) * 8 + b),
            new Binary("andn", Asm::andn, (a, b) -> a & (b ^ -1)),
            new Binary("orn", Asm::orn, (a, b) -> a | (b ^ -1)),
            new Binary("xnor", Asm::xnor, (a, b) -> (a ^ b) ^ -1),
            new Binary("max", Asm::max, (a, b) -> s(a).max(s(b)).longValue()),
            new Binary("maxu", Asm::maxu, (a, b) -> u(a).max(u(b)).longValue()),
            new Binary("min", Asm::min, (a, b) -> s(a).min(s(b)).longValue()),
            new Binary("minu", Asm::minu, (a, b) -> u(a).min(u(b)).longValue()),
            new Binary("rol", Asm::rol, (a, b) -> rotl(a, (int) (b & 63))),
            new Binary("ror", Asm::ror, (a, b) -> rotl(a, (int) (64 - (b & 63)))),
            new Binary("rolw", Asm::rolw, (a, b) -> rotl32(a, (int) (b & 31))),
            new Binary("rorw", Asm::rorw, (a, b) -> rotl32(a, (int) (32 - (b & 31)))),
            new Binary("bclr", Asm::bclr, (a, b) -> bit(a, (int) (b & 63)) == 1 ? a - (1L << (b & 63)) : a),
            new Binary("bset", Asm::bset, (a, b) -> bit(a, (int) (b & 63)) == 1 ? a : a + (1L << (b & 63))),
            new Binary("binv", Asm::binv, (a, b) -> bit(a, (int) (b & 63)) == 1 ? a - (1L << (b & 63)) : a + (1L << (b & 63))),
            new Binary("bext", Asm::bext, (a, b) -> bit(a, (int) (b & 63))));

    static final List<Unary> UNARY = List.of(
            new Unary("clz", (d, s1, s2) -> clz(d, s1), a -> clzRef(a, 64)),
            new Unary("ctz", (d, s1, s2) -> ctz(d, s1), a -> ctzRef(a, 64)),
            new Unary("cpop", (d, s1, s2) -> cpop(d, s1), a -> cpopRef(a, 64)),
            new Unary("clzw", (d, s1, s2) -> clzw(d, s1), a -> clzRef(a, 32)),
            new Unary("ctzw", (d, s1, s2) -> ctzw(d, s1), a -> ctzRef(a, 32)),
            new Unary("cpopw", (d, s1, s2) -> cpopw(d, s1), a -> cpopRef(a, 32)),
            new Unary("sext.b", (d, s1, s2) -> sextB(d, s1), a -> bit(a, 7) == 1 ? a | ~0xffL : a & 0xff),
            new Unary("sext.h", (d, s1, s2) -> sextH(d, s1), a -> bit(a, 15) == 1 ? a | ~0xffffL : a & 0xffff),
            new Unary("zext.h", (d, s1, s2) -> zextH(d, s1), a -> a & 0xffff),
            new Unary("orc.b", (d, s1, s2) -> orcB(d, s1), a -> {
                long r = 0;
                for (int i = 0; i < 8; i++) if (((a >>> (8 * i)) & 0xff) != 0) r |= 0xffL << (8 * i);
                return r;
            }),
            new Unary("rev8", (d, s1, s2) -> rev8(d, s1), a -> {
                long r = 0;
                for (int i = 0; i < 8; i++) r |= ((a >>> (8 * i)) & 0xff) << (8 * (7 - i));
                return r;
            }));

    static final List<Imm> IMMEDIATE = List.of(
            new Imm("addi", Asm::addi, (a, i) -> a + i, -2048, 2047),
            new Imm("slti", Asm::slti, (a, i) -> a < i ? 1 : 0, -2048, 2047),
            new Imm("sltiu", Asm::sltiu, (a, i) -> ltu(a, i) ? 1 : 0, -2048, 2047),
            new Imm("xori", Asm::xori, (a, i) -> a ^ i, -2048, 2047),
            new Imm("ori", Asm::ori, (a, i) -> a | i, -2048, 2047),
            new Imm("andi", Asm::andi, (a, i) -> a & i, -2048, 2047),
            new Imm("addiw", Asm::addiw, (a, i) -> sext32(a + i), -2048, 2047),
            new Imm("slli", Asm::slli, (a, i) -> u(a).shiftLeft(i).longValue(), 0, 63),
            new Imm("srli", Asm::srli, (a, i) -> u(a).shiftRight(i).longValue(), 0, 63),
            new Imm("srai", Asm::srai, (a, i) -> s(a).shiftRight(i).longValue(), 0, 63),
            new Imm("slliw", Asm::slliw, (a, i) -> sext32(zext32(a) << i), 0, 31),
            new Imm("srliw", Asm::srliw, (a, i) -> sext32(zext32(a) >>> i), 0, 31),
            new Imm("sraiw", Asm::sraiw, (a, i) -> sext32(sext32(a) >> i), 0, 31),
            new Imm("slli.uw", Asm::slliUw, (a, i) -> u(zext32(a)).shiftLeft(i).longValue(), 0, 63),
            new Imm("rori", Asm::rori, (a, i) -> rotl(a, 64 - i), 0, 63),
            new Imm("roriw", Asm::roriw, (a, i) -> rotl32(a, 32 - i), 0, 31),
            new Imm("bclri", Asm::bclri, (a, i) -> a & ~(1L << i), 0, 63),
            new Imm("bseti", Asm::bseti, (a, i) -> a | (1L << i), 0, 63),
            new Imm("binvi", Asm::binvi, (a, i) -> a ^ (1L << i), 0, 63),
            new Imm("bexti", Asm::bexti, (a, i) -> bit(a, i), 0, 63));

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Long> operand() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs()),
                Tuple.of(2, Arbitraries.of(0L, 1L, -1L, 2L, -2L, MIN, MAX, MIN + 1, MAX - 1, 0x7fff_ffffL, 0x8000_0000L,
                        0xffff_ffffL, 0x1_0000_0000L, 0xffff_ffff_8000_0000L, 0xffff_ffff_0000_0000L, 31L, 32L, 63L, 64L)),
                Tuple.of(1, Arbitraries.integers().map(i -> (long) i)),
                Tuple.of(1, Arbitraries.longs().between(-70, 70)));
    }

    @Provide
    Arbitrary<Binary> baseOp() { return Arbitraries.of(BASE); }

    @Provide
    Arbitrary<Binary> mOp() { return Arbitraries.of(M); }

    @Provide
    Arbitrary<Binary> bOp() { return Arbitraries.of(B); }

    @Provide
    Arbitrary<Unary> unaryOp() { return Arbitraries.of(UNARY); }

    @Provide
    Arbitrary<Imm> immOp() { return Arbitraries.of(IMMEDIATE); }

    // ------------------------------------------------------------------ properties

    private static void check(Binary op, long a, long b) {
        assertThat(exec(op.enc().enc(RD, RS1, RS2), a, b)).as("%s 0x%x 0x%x", op, a, b).isEqualTo(op.ref().applyAsLong(a, b));
    }

    @Property(tries = 3000)
    void baseIntegerOps(@ForAll("baseOp") Binary op, @ForAll("operand") long a, @ForAll("operand") long b) {
        check(op, a, b);
    }

    @Property(tries = 3000)
    void multiplyDivide(@ForAll("mOp") Binary op, @ForAll("operand") long a, @ForAll("operand") long b) {
        check(op, a, b);
    }

    @Property(tries = 3000)
    void bitmanipBinary(@ForAll("bOp") Binary op, @ForAll("operand") long a, @ForAll("operand") long b) {
        check(op, a, b);
    }

    @Property(tries = 1500)
    void bitmanipUnary(@ForAll("unaryOp") Unary op, @ForAll("operand") long a) {
        assertThat(exec(op.enc().enc(RD, RS1, 0), a)).as("%s 0x%x", op, a).isEqualTo(op.ref().applyAsLong(a));
    }

    @Property(tries = 3000)
    void immediateOps(@ForAll("immOp") Imm op, @ForAll("operand") long a, @ForAll @IntRange(min = 0, max = 4095) int raw) {
        int imm = op.lo() + raw % (op.hi() - op.lo() + 1);
        assertThat(exec(op.enc().enc(RD, RS1, imm), a)).as("%s 0x%x, %d", op, a, imm).isEqualTo(op.ref().apply(a, imm));
    }

    @Property(tries = 1000)
    void sameRegisterForAllOperands(@ForAll("bOp") Binary op, @ForAll("operand") long a) {
        // rd = rs1 = rs2: both sources are read before the destination is written.
        Machine m = new Machine().code(op.enc().enc(RS1, RS1, RS1)).set(RS1, a).runToEcall();
        assertThat(m.x(RS1)).as("%s 0x%x", op, a).isEqualTo(op.ref().applyAsLong(a, a));
    }

    @Property(tries = 1000)
    void branchesCompareLikeTheSpec(@ForAll("operand") long a, @ForAll("operand") long b,
            @ForAll @IntRange(min = 0, max = 5) int which) {
        int[] enc = {beq(RS1, RS2, 8), bne(RS1, RS2, 8), blt(RS1, RS2, 8), bge(RS1, RS2, 8), bltu(RS1, RS2, 8),
            bgeu(RS1, RS2, 8)};
        boolean[] want = {a == b, a != b, s(a).compareTo(s(b)) < 0, s(a).compareTo(s(b)) >= 0, ltu(a, b), !ltu(a, b)};
        Machine m = new Machine().code(enc[which], addi(RD, 0, 1)).set(RS1, a).set(RS2, b).set(RD, 0).runToEcall();
        assertThat(m.x(RD) == 0).as("branch %d 0x%x 0x%x", which, a, b).isEqualTo(want[which]);
    }

    @Property(tries = 1000)
    void storeThenLoadAnywhere(@ForAll("operand") long value, @ForAll @IntRange(min = 0, max = 0x1ff8) int offset,
            @ForAll @IntRange(min = 0, max = 3) int sizeLog) {
        int size = 1 << sizeLog;
        int[] stores = {sb(RS2, RS1, 0), sh(RS2, RS1, 0), sw(RS2, RS1, 0), sd(RS2, RS1, 0)};
        int[] signed = {lb(RD, RS1, 0), lh(RD, RS1, 0), lw(RD, RS1, 0), ld(RD, RS1, 0)};
        int[] unsigned = {lbu(13, RS1, 0), lhu(13, RS1, 0), lwu(13, RS1, 0), ld(13, RS1, 0)};
        long addr = DATA + offset;
        Machine m = new Machine().code(stores[sizeLog], signed[sizeLog], unsigned[sizeLog]).set(RS1, addr).set(RS2, value);
        m.runToEcall();
        int bits = 8 * size;
        long zext = bits == 64 ? value : value & ((1L << bits) - 1);
        long sext = bits == 64 ? value : (zext & (1L << (bits - 1))) != 0 ? zext | (-1L << bits) : zext;
        assertThat(m.x(RD)).isEqualTo(sext);
        assertThat(m.x(13)).isEqualTo(zext);
        for (int i = 0; i < size; i++) assertThat(m.mem.read(addr + i, 1)).isEqualTo((value >>> (8 * i)) & 0xff);
        if (offset > 0) assertThat(m.mem.read(addr - 1, 1)).isZero();
        if (offset + size < 0x2000) assertThat(m.mem.read(addr + size, 1)).isZero();
    }
}
